"""Path globs, package patterns, and version comparison (checker.policy.patterns, checker.versions.compare)."""

from __future__ import annotations

import pytest

from checker.snapshot.globs import path_matches, path_regex
from checker.policy.patterns import PackagePattern
from checker.versions.compare import bump, compare, is_range, is_valid_spec, lower_bound, parse_version, version_matches


def matches(glob: str, path: str) -> bool:
    return path_matches(path, [glob])


def pattern(text: str) -> PackagePattern:
    return PackagePattern.parse(text)


# --- path globs ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, expected",
    [
        ("docs/requirements.txt", True),
        ("docs/a/b/requirements.txt", True),
        ("docs", False),  # `docs/**` is what is inside docs, not docs itself
        ("src/docs/requirements.txt", False),  # a pattern with a slash is anchored at the root
        ("docsx/requirements.txt", False),
        ("requirements.txt", False),
    ],
)
def test_double_star_under_a_directory(path: str, expected: bool) -> None:
    assert matches("docs/**", path) is expected


@pytest.mark.parametrize(
    "path, expected",
    [
        ("requirements.txt", True),
        ("a/requirements.txt", True),
        ("a/b/c/requirements.txt", True),
        ("requirements.txt/inner", True),  # a matched directory covers what is under it
        ("a/requirements.txt.bak", False),
        ("a/dev-requirements.txt", False),
    ],
)
def test_leading_double_star_matches_at_any_depth(path: str, expected: bool) -> None:
    assert matches("**/requirements.txt", path) is expected


@pytest.mark.parametrize(
    "path, expected",
    [
        ("uv.lock", True),
        ("services/api/uv.lock", True),
        ("services/api/uv.lock.orig", False),
        ("xuv.lock", False),
    ],
)
def test_bare_name_matches_at_any_depth(path: str, expected: bool) -> None:
    assert matches("uv.lock", path) is expected


@pytest.mark.parametrize(
    "path, expected",
    [
        ("examples/requirements.txt", True),
        ("examples/deep/pyproject.toml", True),
        ("sub/examples/requirements.txt", True),  # no slash inside: any depth, as in .gitignore
        ("examples-old/requirements.txt", False),
        ("my-examples/requirements.txt", False),
    ],
)
def test_directory_pattern_with_trailing_slash(path: str, expected: bool) -> None:
    assert matches("examples/", path) is expected


def test_directory_pattern_with_inner_slash_is_anchored() -> None:
    assert matches("tools/vendor/", "tools/vendor/requirements.txt")
    assert not matches("tools/vendor/", "x/tools/vendor/requirements.txt")


def test_leading_slash_anchors_a_bare_name_at_the_root() -> None:
    assert matches("/requirements.txt", "requirements.txt")
    assert not matches("/requirements.txt", "sub/requirements.txt")


def test_single_star_and_question_mark_stay_within_one_directory() -> None:
    assert matches("docs/*.txt", "docs/requirements.txt")
    assert not matches("docs/*.txt", "docs/sub/requirements.txt")
    assert matches("req?.txt", "deps/req1.txt")
    assert not matches("req?.txt", "req12.txt")
    assert not matches("req?.txt", "req/.txt")


def test_regex_metacharacters_in_globs_are_literal() -> None:
    assert matches("a+b(1).txt", "a+b(1).txt")
    assert not matches("a.txt", "abtxt")


def test_path_matches_any_of_several_globs() -> None:
    assert path_matches("examples/x/requirements.txt", ["docs/**", "examples/**"])
    assert not path_matches("src/requirements.txt", ["docs/**", "examples/**"])
    assert not path_matches("src/requirements.txt", [])


def test_path_regex_is_compiled_once() -> None:
    assert path_regex("docs/**") is path_regex("docs/**")


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


# --- versions --------------------------------------------------------------------------------------------------


def test_parse_version_accepts_a_v_prefix_only_before_a_digit() -> None:
    assert str(parse_version("v4.2.0")) == "4.2.0"
    assert str(parse_version("V2")) == "2"
    assert parse_version("vendor") is None
    assert parse_version("main") is None
    assert parse_version("3f2a9c1e0b7d4a5f6e8c9d0b1a2f3e4d5c6b7a8f") is None


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ("1.2.3", "2.0.0", "major"),
        ("1.2.3", "1.3.0", "minor"),
        ("1.2.3", "1.2.4", "patch"),
        ("2.0.0", "1.9.9", "major"),  # downgrades too
        ("1.0", "1.0.1", "patch"),  # missing components count as 0
        ("1", "1.1", "minor"),
        ("1.0.0", "1.0.0.1", "other"),  # a fourth component
        ("1.0.0", "1.0.0.post1", "other"),
        ("1.0.0rc1", "1.0.0", "other"),
        ("1.0", "1.0.0", "other"),
        ("v4", "v5", "major"),
        ("v4.1.0", "v4.2.0", "minor"),
        ("main", "v5", "other"),
        ("3f2a9c1e0b7d4a5f6e8c9d0b1a2f3e4d5c6b7a8f", "0b1a2f3e4d5c6b7a8f3f2a9c1e0b7d4a5f6e8c9d", "other"),
    ],
)
def test_bump(before: str, after: str, expected: str) -> None:
    assert bump("pypi", before, after) == expected


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("1.0", "2.0", -1),
        ("2.0", "1.0", 1),
        ("1.0", "1.0.0", 0),
        ("1.10", "1.9", 1),  # numeric, not lexical
        ("1.0rc1", "1.0", -1),
        ("1.0", "1.0.post1", -1),
        ("v4", "4.0", 0),
        ("main", "main", 0),
        ("main", "dev", None),
        ("main", "1.0", None),
    ],
)
def test_compare(a: str, b: str, expected: int | None) -> None:
    assert compare("pypi", a, b) == expected


@pytest.mark.parametrize(
    "version, spec, expected",
    [
        ("1.2.3", "1.2.3", True),
        ("1.2.3", "1.2.4", False),
        ("1.0", "1.0.0", True),  # equal as versions
        ("v4.2.0", "4.2.0", True),
        ("main", "main", True),  # not versions: compared as text
        ("main", "dev", False),
        ("1.2.3", "*", True),
        ("1.2.3", "", True),
        ("1.2.3", " 1.2.3 ", True),
        ("1.2.3", ">=1,<2", True),
        ("2.0", ">=1,<2", False),
        ("1.5rc1", ">=1,<2", True),  # prereleases count: a malicious rc is still in the range
        ("2.0rc1", ">=1,<2", False),  # PEP 440: <2 excludes the prereleases of 2
        ("1.82.8", "==1.82.*", True),
        ("1.83.0", "==1.82.*", False),
        ("1.4", "~=1.2", True),
        ("2.0", "~=1.2", False),
        ("1.4", "!=1.4", False),
        ("main", ">=1", False),  # not a version: in no range
        ("1.0", ">=1,,<<2", False),  # not a valid specifier: matches nothing
        ("1.0", "^1.0", False),  # npm ranges are not PEP 440
    ],
)
def test_version_matches(version: str, spec: str, expected: bool) -> None:
    assert version_matches("pypi", version, spec) is expected


@pytest.mark.parametrize(
    "spec, expected",
    [("1.2.3", True), ("*", True), ("", True), ("v4", True), ("3.12-slim", True), (">=1,<2", True),
     ("==1.*", True), ("<2.31", True), ("^1.2", False), ("1.*", False), (">=1,,<<2", False)],
)
def test_is_valid_spec(spec: str, expected: bool) -> None:
    assert is_valid_spec(spec) is expected


def test_is_range() -> None:
    assert is_range(">=1")
    assert is_range("==1.*")
    assert is_range("^1.2")
    assert is_range("1 || 2")
    assert not is_range("1.2.3")
    assert not is_range("v4")


@pytest.mark.parametrize(
    "spec, expected",
    [
        (">=2.1,<3", "2.1"),
        ("<3", None),
        ("", None),
        ("==1.2.3", "1.2.3"),
        ("===1.2.3", "1.2.3"),
        ("~=1.4", "1.4"),
        ("^1.2", "1.2"),
        ("~1.2", "1.2"),
        (">1.0", "1.0"),
        ("==1.*", "1"),
        ("==1.2.*", "1.2"),
        (">=1.0, >=2.0", "2.0"),  # the tightest bound
        (">=2.0,!=2.1", "2.0"),
        (">=banana", None),
    ],
)
def test_lower_bound(spec: str, expected: str | None) -> None:
    assert lower_bound(spec) == expected
