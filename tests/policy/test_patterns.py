"""Package patterns (checker.policy.patterns): ecosystems, names, versions and ranges."""

from __future__ import annotations

from checker.policy.patterns import PackagePattern


def pattern(text: str) -> PackagePattern:
    return PackagePattern.parse(text)


# --- package patterns ------------------------------------------------------------------------------------------


def test_parse_ecosystem_name_and_version() -> None:
    assert pattern("pypi:litellm@1.82.8") == PackagePattern("pypi", "litellm", "1.82.8", "pypi:litellm@1.82.8")
    assert pattern("PyPI:litellm") == PackagePattern("pypi", "litellm", None, "PyPI:litellm")
    assert pattern("litellm") == PackagePattern("*", "litellm", None, "litellm")
    assert pattern("*:litellm@1.0") == PackagePattern("*", "litellm", "1.0", "*:litellm@1.0")


def test_parse_scoped_npm_names_keep_their_at() -> None:
    assert pattern("npm:@scope/pkg@1.0") == PackagePattern("npm", "@scope/pkg", "1.0", "npm:@scope/pkg@1.0")
    assert pattern("npm:@scope/pkg") == PackagePattern("npm", "@scope/pkg", None, "npm:@scope/pkg")
    assert pattern("npm:@scope/*") == PackagePattern("npm", "@scope/*", None, "npm:@scope/*")


def test_parse_range_and_docker_digest() -> None:
    assert pattern("pypi:requests@>=1,<2").version == ">=1,<2"
    digest = pattern("docker:ghcr.io/org/img@sha256:abc")
    assert (digest.ecosystem, digest.name, digest.version) == ("docker", "ghcr.io/org/img", "sha256:abc")


def test_empty_version_after_at_means_any_version() -> None:
    assert pattern("pypi:x@").version is None


def test_pypi_names_match_canonically() -> None:
    internal = pattern("pypi:Internal_*")
    assert internal.matches("pypi", "internal-tool")
    assert internal.matches("pypi", "internal-")
    assert not internal.matches("pypi", "internaltool")
    assert not internal.matches("pypi", "my-internal-tool")
    assert pattern("pypi:Zope.Interface").matches("pypi", "zope-interface")
    assert pattern("pypi:foo__bar").matches("pypi", "foo-bar")


def test_npm_names_are_case_sensitive_and_exact() -> None:
    assert pattern("npm:chalk").matches("npm", "chalk")
    assert not pattern("npm:Chalk").matches("npm", "chalk")
    assert not pattern("npm:chalk").matches("npm", "chalk-template")
    assert not pattern("npm:foo_bar").matches("npm", "foo-bar")  # canonical folding is PyPI's only


def test_scoped_npm_pattern_matches_version() -> None:
    scoped = pattern("npm:@scope/pkg@1.0")
    assert scoped.matches("npm", "@scope/pkg", "1.0")
    assert scoped.matches("npm", "@scope/pkg", "1.0.0")
    # npm reads "1.0" as node-semver does: the x-range 1.0.x
    assert scoped.matches("npm", "@scope/pkg", "1.0.1")
    assert not scoped.matches("npm", "@scope/pkg", "1.1.0")
    assert not pattern("npm:@scope/pkg@1.0.0").matches("npm", "@scope/pkg", "1.0.1")
    assert not scoped.matches("npm", "@other/pkg", "1.0")
    assert not scoped.matches("npm", "pkg", "1.0")
    assert not scoped.matches("pypi", "@scope/pkg", "1.0")


def test_scope_glob() -> None:
    assert pattern("npm:@nx/*").matches("npm", "@nx/devkit")
    assert not pattern("npm:@nx/*").matches("npm", "nx")


def test_any_ecosystem() -> None:
    star = pattern("*:left-pad")
    assert star.matches("npm", "left-pad")
    assert star.matches("pypi", "left-pad")
    assert not star.matches("npm", "left-pads")
    assert pattern("*").matches("docker", "ghcr.io/org/img")
    assert pattern("*:*").matches("actions", "actions/checkout")


def test_ecosystem_must_match() -> None:
    assert not pattern("pypi:left-pad").matches("npm", "left-pad")


def test_docker_names_ignore_case_and_actions_keep_paths() -> None:
    assert pattern("docker:GHCR.io/Org/*").matches("docker", "ghcr.io/org/img")
    assert pattern("actions:actions/*").matches("actions", "actions/checkout")
    assert pattern("actions:github/codeql-action/*").matches("actions", "github/codeql-action/init")


def test_version_ranges() -> None:
    ranged = pattern("pypi:requests@>=1,<2")
    assert ranged.matches("pypi", "requests", "1.0")
    assert ranged.matches("pypi", "requests", "1.99.1")
    assert not ranged.matches("pypi", "requests", "2.0")
    assert not ranged.matches("pypi", "requests", "0.9")
    assert pattern("pypi:requests@<2.31").matches("pypi", "requests", "2.30.0")
    assert not pattern("pypi:requests@<2.31").matches("pypi", "requests", "2.31.0")
    assert pattern("pypi:x@==1.*").matches("pypi", "x", "1.4.2")
    assert not pattern("pypi:x@==1.*").matches("pypi", "x", "2.0")


def test_a_pattern_with_a_version_does_not_match_an_unknown_version() -> None:
    assert not pattern("pypi:requests@1.0").matches("pypi", "requests", None)
    assert pattern("pypi:requests").matches("pypi", "requests", None)


def test_star_version_matches_any_version() -> None:
    assert pattern("pypi:x@*").matches("pypi", "x", "0.0.1")


def test_crate_names_match_across_dash_underscore_and_case() -> None:
    parse_pattern = PackagePattern.parse
    pattern = parse_pattern("cargo:serde_json")
    assert pattern.matches("cargo", "serde-json", "1.0.0") and pattern.matches("cargo", "Serde_JSON", "1.0.0")
    assert not pattern.matches("cargo", "serdexjson", "1.0.0")
    assert parse_pattern("cargo:tokio-*").matches("cargo", "tokio_util", "0.7.0")
    assert parse_pattern("swift:Alamofire").matches("swift", "alamofire", "5.8.0")


def test_go_module_paths_are_case_sensitive_and_ranges_are_go_versions() -> None:
    pattern = PackagePattern.parse("go:github.com/sirupsen/logrus")
    assert pattern.matches("go", "github.com/sirupsen/logrus", "v1.9.3")
    assert not pattern.matches("go", "github.com/Sirupsen/logrus", "v1.0.0")  # another module
    assert PackagePattern.parse("go:golang.org/x/*").matches("go", "golang.org/x/net", "v0.17.0")
    below = PackagePattern.parse("go:golang.org/x/net@<v0.17.0")
    assert below.matches("go", "golang.org/x/net", "v0.16.0")
    assert below.matches("go", "golang.org/x/net", "v0.17.0-rc.1")
    assert below.matches("go", "golang.org/x/net", "v0.0.0-20231001000000-abcdefabcdef")  # a pseudo-version below
    assert not below.matches("go", "golang.org/x/net", "v0.17.0")
    assert PackagePattern.parse("go:golang.org/x/net@v0.17.0").matches("go", "golang.org/x/net", "v0.17.0")
