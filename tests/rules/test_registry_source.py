"""registry-source on hand-built subjects: registry hosts, plain HTTP, environment references, git, URL and path
sources, the index options of a manifest; and npm's resolved URLs (lockfile injection)."""

from __future__ import annotations

from typing import Any

import pytest

from checker.manifests.package_json import parse as parse_package_json
from checker.model import Dependency, IndexOption, Manifest, Source
from checker.rules import registry_source
from checker.rules.base import Issue, Subject
from tests.rules.npm_lockfiles import SHA512_INTEGRITY, entry, issues, lock
from tests.rules.subjects import COMMIT, dep, manifest, options


DEFAULT_HOSTS = ("pypi.org, files.pythonhosted.org, registry.npmjs.org, registry.yarnpkg.com, conda.anaconda.org, "
                 "repo.anaconda.com")


def source_issues(target: Dependency, **overrides: Any) -> list[Issue]:
    return list(registry_source.check(Subject(target, manifest(target)), options("registry-source", **overrides)))


def index_issues(head: Manifest, base: Manifest | None, **overrides: Any) -> list[Issue]:
    return list(registry_source.check_manifest(head, base, options("registry-source", **overrides)))


# --- registry-source: registry entries -------------------------------------------------------------------------


def registry(url: str | None) -> Dependency:
    return dep(source=Source("registry", url))


def test_default_registry_and_allowed_hosts() -> None:
    assert source_issues(registry(None)) == []
    assert source_issues(registry("https://pypi.org/simple")) == []
    assert source_issues(registry("https://user:token@PyPI.org/simple")) == []


def test_unlisted_host() -> None:
    [issue] = source_issues(registry("https://pypi.example.com/simple"))
    assert issue == Issue(
        f"host pypi.example.com is not an allowed registry host ({DEFAULT_HOSTS})",
        hint="use an allowed registry over HTTPS, or add the host to registry-source.hosts",
    )


def test_wildcard_hosts() -> None:
    assert source_issues(registry("https://pypi.corp.example.com/simple"), hosts=["*.example.com"]) == []
    [issue] = source_issues(registry("https://example.com/simple"), hosts=["*.example.com"])
    assert issue.message == "host example.com is not an allowed registry host (*.example.com)"
    [issue] = source_issues(registry("https://evilexample.com/simple"), hosts=["*.example.com"])
    assert issue.message == "host evilexample.com is not an allowed registry host (*.example.com)"


def test_plain_http() -> None:
    [issue] = source_issues(registry("http://pypi.org/simple"))
    assert issue.message == "http://pypi.org/simple is plain HTTP: anyone on the network path can swap the package"


def test_http_to_localhost_is_only_a_host_question() -> None:
    assert source_issues(registry("http://localhost:8080/simple"), hosts=["localhost"]) == []
    [issue] = source_issues(registry("http://127.0.0.1/simple"))
    assert issue.message == f"host 127.0.0.1 is not an allowed registry host ({DEFAULT_HOSTS})"


@pytest.mark.parametrize(("url", "shown"), [
    ("${PIP_INDEX_URL}", "${PIP_INDEX_URL} holds an environment reference"),
    ("$INDEX/simple", "$INDEX/simple holds an environment reference"),
    # user-info is never shown (checker/redaction.py); the variable it names is, since that is the finding
    ("https://${TOKEN}@pypi.org/simple", "https://pypi.org/simple holds an environment reference in its user-info "
                                         "(${TOKEN})"),
])
def test_environment_references(url: str, shown: str) -> None:
    [issue] = source_issues(registry(url))
    assert issue.message == f"{shown} that lockgate leaves unexpanded: the real source is unknown"


def test_other_schemes() -> None:
    [issue] = source_issues(registry("ftp://mirror.example.com/simple"))
    assert issue.message == "ftp://mirror.example.com/simple is not an http(s) URL"
    assert source_issues(registry("file:///srv/wheels")) == []


# --- registry-source: git, url and path sources ----------------------------------------------------------------


def git(ref: str | None, commit: str | None = None, url: str = "https://github.com/acme/mylib") -> Dependency:
    return dep("mylib", commit or ref, source=Source("git", url, ref, commit))


def test_git_without_allowance() -> None:
    [issue] = source_issues(git(COMMIT, COMMIT))
    assert issue == Issue(
        "comes from git (https://github.com/acme/mylib), outside the package registry",
        hint="add pypi:mylib to registry-source.allow-git if this is intended",
    )


def test_git_allowed_and_pinned_to_a_full_commit() -> None:
    assert source_issues(git(COMMIT), allow_git=["pypi:mylib"]) == []
    assert source_issues(git(COMMIT.upper()), allow_git=["pypi:mylib"]) == []
    assert source_issues(git("v1.2", "a" * 64), allow_git=["pypi:mylib"]) == []  # sha256 repositories
    assert source_issues(git("main", COMMIT), allow_git=["pypi:*"]) == []  # the lockfile resolved the branch


@pytest.mark.parametrize("ref", ["main", "v1.2.0", COMMIT[:12]])
def test_git_ref_that_can_move(ref: str) -> None:
    [issue] = source_issues(git(ref), allow_git=["pypi:mylib"])
    assert issue == Issue(
        f"git ref {ref} is not a full commit: a branch or tag can be moved",
        hint="pin the git dependency to a full 40-character commit",
    )


def test_git_default_branch() -> None:
    [issue] = source_issues(git(None), allow_git=["pypi:mylib"])
    assert issue.message == "git ref (default branch) is not a full commit: a branch or tag can be moved"


def test_git_without_allowance_and_on_a_branch_gives_both_issues() -> None:
    assert [issue.message for issue in source_issues(git("main"))] == [
        "comes from git (https://github.com/acme/mylib), outside the package registry",
        "git ref main is not a full commit: a branch or tag can be moved",
    ]


@pytest.mark.parametrize("url", ["http://github.com/acme/mylib", "git://github.com/acme/mylib"])
def test_git_without_tls(url: str) -> None:
    [issue] = source_issues(git(COMMIT, url=url), allow_git=["pypi:mylib"])
    assert issue == Issue(f"{url} is fetched without TLS", hint="use an https:// or ssh URL")


def test_url_source() -> None:
    archive = dep("tool", "1.0", source=Source("url", "https://example.com/tool-1.0.tar.gz"))
    [issue] = source_issues(archive)
    assert issue == Issue(
        "comes from a direct URL (https://example.com/tool-1.0.tar.gz)",
        hint="add pypi:tool to registry-source.allow-url if this is intended",
    )
    assert source_issues(archive, allow_url=["pypi:tool"]) == []
    assert source_issues(archive, allow_url=["pypi:tool@2.0"]) == [issue]  # the allowance names another version


def test_allowed_url_source_over_plain_http() -> None:
    archive = dep("tool", "1.0", source=Source("url", "http://example.com/tool-1.0.tar.gz"))
    assert source_issues(archive, allow_url=["pypi:tool"]) == [
        Issue("http://example.com/tool-1.0.tar.gz is plain HTTP: anyone on the network path can swap the package")
    ]


def test_path_source() -> None:
    local = dep("local", None, specifier="", source=Source("path", "./libs/local"))
    [issue] = source_issues(local)
    assert issue == Issue(
        "comes from a local path (./libs/local)",
        hint="add pypi:local to registry-source.allow-path if this is intended",
    )
    assert source_issues(local, allow_path=["*"]) == []
    assert source_issues(local, allow_path=["pypi:local"]) == []
    assert source_issues(local, allow_path=["npm:local"]) == [issue]


# --- registry-source: index options of the manifest ------------------------------------------------------------


def test_every_index_option_is_judged_without_a_base() -> None:
    head = manifest(indexes=(
        IndexOption("index-url", "https://pypi.org/simple", 1),
        IndexOption("extra-index-url", "http://pypi.internal/simple", 2),
        IndexOption("trusted-host", "pypi.internal", 3),
        IndexOption("find-links", "https://downloads.example.com/wheels", 4),
        IndexOption("index", "${UV_INDEX_URL}", 5),
    ))
    assert index_issues(head, None) == [
        Issue(
            "extra-index-url: http://pypi.internal/simple is plain HTTP: anyone on the network path can swap the package",
            hint="use an allowed index over HTTPS, or add its host to registry-source.hosts",
            line=2,
        ),
        Issue(
            "--trusted-host pypi.internal turns off TLS verification for that host",
            hint="remove --trusted-host and serve the index over verified HTTPS",
            line=3,
        ),
        Issue(
            f"find-links: host downloads.example.com is not an allowed registry host ({DEFAULT_HOSTS})",
            hint="use an allowed index over HTTPS, or add its host to registry-source.hosts",
            line=4,
        ),
        Issue(
            "index: ${UV_INDEX_URL} holds an environment reference that lockgate leaves unexpanded: the real source "
            "is unknown",
            hint="use an allowed index over HTTPS, or add its host to registry-source.hosts",
            line=5,
        ),
    ]


def test_only_new_index_options_are_judged_against_the_base() -> None:
    old_extra = IndexOption("extra-index-url", "https://pypi.corp.example.com/simple", 1)
    old_trust = IndexOption("trusted-host", "pypi.corp.example.com", 2)
    base = manifest(indexes=(old_extra, old_trust))
    # Same options on other lines: not new. One new extra index and one trusted host for another host: new.
    head = manifest(indexes=(
        IndexOption("extra-index-url", "https://pypi.corp.example.com/simple", 5),
        IndexOption("trusted-host", "pypi.corp.example.com", 6),
        IndexOption("extra-index-url", "https://evil.example.net/simple", 7),
        IndexOption("trusted-host", "evil.example.net", 8),
    ))
    assert [(issue.line, issue.message) for issue in index_issues(head, base)] == [
        (7, f"extra-index-url: host evil.example.net is not an allowed registry host ({DEFAULT_HOSTS})"),
        (8, "--trusted-host evil.example.net turns off TLS verification for that host"),
    ]
    assert index_issues(base, base) == []


def test_a_known_index_of_another_kind_is_new() -> None:
    base = manifest(indexes=(IndexOption("extra-index-url", "https://pypi.corp.example.com/simple", 1),))
    head = manifest(indexes=(IndexOption("index-url", "https://pypi.corp.example.com/simple", 1),))
    [issue] = index_issues(head, base)
    assert issue.message == f"index-url: host pypi.corp.example.com is not an allowed registry host ({DEFAULT_HOSTS})"


def test_allowed_indexes_pass() -> None:
    head = manifest(indexes=(IndexOption("extra-index-url", "https://pypi.corp.example.com/simple", 1),))
    assert index_issues(head, None, hosts=["pypi.org", "*.example.com"]) == []


# --- registry-source: npm lockfiles (resolved URLs) --------------------------------------------------------------


def test_registry_tarball_of_the_entry_itself_passes() -> None:
    assert issues(registry_source, "registry-source", lock({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.0")})) == []
    yarn_mirror = entry("a", "1.0.0", resolved="https://registry.yarnpkg.com/a/-/a-1.0.0.tgz")
    assert issues(registry_source, "registry-source", lock({"node_modules/a": yarn_mirror})) == []


def test_lockfile_injection_another_package() -> None:
    injected = entry("lodash", "4.17.21", resolved="https://registry.npmjs.org/lodash-utils/-/lodash-utils-1.0.0.tgz")
    found = issues(registry_source, "registry-source", lock({"node_modules/lodash": injected}))
    assert [i.message for i in found] == [
        "resolved URL https://registry.npmjs.org/lodash-utils/-/lodash-utils-1.0.0.tgz is the tarball of "
        "lodash-utils@1.0.0, not lodash@4.17.21: the lockfile installs something other than what it names "
        "(lockfile injection)"
    ]


def test_lockfile_injection_another_version_or_scope() -> None:
    older = entry("lodash", "4.17.21", resolved="https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz")
    assert "is the tarball of lodash@4.17.20, not lodash@4.17.21" in issues(
        registry_source, "registry-source", lock({"node_modules/lodash": older})
    )[0].message
    scoped = entry("@ctrl/tinycolor", "4.1.0", resolved="https://registry.npmjs.org/@evil/tinycolor/-/tinycolor-4.1.0.tgz")
    assert "is the tarball of @evil/tinycolor@4.1.0, not @ctrl/tinycolor@4.1.0" in issues(
        registry_source, "registry-source", lock({"node_modules/@ctrl/tinycolor": scoped})
    )[0].message


def test_alias_resolves_to_the_real_package_and_passes() -> None:
    alias = {"name": "string-width", **entry("string-width", "4.2.3")}
    assert issues(registry_source, "registry-source", lock({"node_modules/string-width-cjs": alias})) == []


def test_another_host_or_plain_http() -> None:
    evil = entry("a", "1.0.0", resolved="https://evil.example/a/-/a-1.0.0.tgz")
    assert [i.message for i in issues(registry_source, "registry-source", lock({"node_modules/a": evil}))] == [
        "host evil.example is not an allowed registry host "
        "(pypi.org, files.pythonhosted.org, registry.npmjs.org, registry.yarnpkg.com, conda.anaconda.org, repo.anaconda.com)"
    ]
    allowed = issues(registry_source, "registry-source", lock({"node_modules/a": evil}), hosts=["evil.example"])
    assert allowed == []
    http = entry("a", "1.0.0", resolved="http://registry.npmjs.org/a/-/a-1.0.0.tgz")
    assert [i.message for i in issues(registry_source, "registry-source", lock({"node_modules/a": http}))] == [
        "http://registry.npmjs.org/a/-/a-1.0.0.tgz is plain HTTP: anyone on the network path can swap the package"
    ]


def test_a_query_string_cannot_dress_up_another_path() -> None:
    sneaky = entry("a", "1.0.0", resolved="https://evil.example/x.tgz?/a/-/a-1.0.0.tgz")
    found = issues(registry_source, "registry-source", lock({"node_modules/a": sneaky}))
    assert [i.message for i in found] == ["comes from a direct URL (https://evil.example/x.tgz?/a/-/a-1.0.0.tgz)"]


def test_git_tarball_and_file_sources_need_an_allowance() -> None:
    git = {"version": "1.0.0", "resolved": "git+ssh://git@github.com/acme/g.git#" + "a" * 40, "integrity": SHA512_INTEGRITY}
    assert [i.message for i in issues(registry_source, "registry-source", lock({"node_modules/g": git}))] == [
        "comes from git (ssh://git@github.com/acme/g.git), outside the package registry"
    ]
    assert issues(registry_source, "registry-source", lock({"node_modules/g": git}), allow_git=["npm:g"]) == []
    tarball = {"version": "1.0.0", "resolved": "https://example.com/t-1.0.0.tgz", "integrity": SHA512_INTEGRITY}
    assert [i.message for i in issues(registry_source, "registry-source", lock({"node_modules/t": tarball}))] == [
        "comes from a direct URL (https://example.com/t-1.0.0.tgz)"
    ]
    assert issues(registry_source, "registry-source", lock({"node_modules/t": tarball}), allow_url=["npm:t"]) == []
    local = {"version": "1.0.0", "resolved": "file:vendor/f-1.0.0.tgz", "integrity": SHA512_INTEGRITY}
    assert [i.message for i in issues(registry_source, "registry-source", lock({"node_modules/f": local}))] == [
        "comes from a local path (file:vendor/f-1.0.0.tgz)"
    ]


def test_package_json_git_dependency_must_be_allowed_and_pinned() -> None:
    declared = parse_package_json('{"dependencies": {"w": "github:acme/widget#v1.2.0"}}', "package.json", lambda _: None)
    [dep] = declared.dependencies
    found = list(registry_source.check(Subject(dep, declared), options("registry-source")))
    assert [i.message for i in found] == [
        "comes from git (github:acme/widget), outside the package registry",
        "git ref v1.2.0 is not a full commit: a branch or tag can be moved",
    ]


# --- Cargo and SwiftPM -------------------------------------------------------------------------------------------


def _issues(target: Dependency, **overrides: Any) -> list[str]:
    return [i.message for i in registry_source.check(Subject(target, manifest(target)),
                                                     options("registry-source", **overrides))]


def test_a_cargo_alternative_registry_is_judged_by_its_index_url() -> None:
    ok = dep("serde", "1.0.0", ecosystem="cargo", source=Source("registry", url="sparse+https://index.crates.io"))
    assert _issues(ok, hosts=["index.crates.io"]) == []
    evil = dep("serde", "1.0.0", ecosystem="cargo", source=Source("registry", url="sparse+https://evil.example/ix"))
    [message] = _issues(evil)
    assert "evil.example is not an allowed registry host" in message
    plain = dep("serde", "1.0.0", ecosystem="cargo", source=Source("registry", url="registry+http://evil.example/ix"))
    assert any("plain HTTP" in m for m in _issues(plain, hosts=["evil.example"]))


def test_a_cargo_path_inside_the_repository_is_the_repository_s_own_code() -> None:
    member = dep("grep", None, ecosystem="cargo", source=Source("path", url="crates/grep"), manifest="Cargo.toml")
    assert _issues(member) == []
    outside = dep("x", None, ecosystem="cargo", source=Source("path", url="../../x"), manifest="a/Cargo.toml")
    assert _issues(outside) == ["comes from a local path (../../x)"]
    absolute = dep("y", None, ecosystem="cargo", source=Source("path", url="/etc/y"), manifest="Cargo.toml")
    assert len(_issues(absolute)) == 1


def test_a_swift_pin_is_git_by_nature_but_must_be_a_commit_over_tls() -> None:
    pinned = dep("alamofire", "5.8.0", ecosystem="swift",
                 source=Source("git", url="https://github.com/Alamofire/Alamofire.git", ref="5.8.0", commit=COMMIT))
    assert _issues(pinned) == []
    plain = dep("alamofire", "5.8.0", ecosystem="swift",
                source=Source("git", url="http://github.com/Alamofire/Alamofire.git", ref="5.8.0", commit=COMMIT))
    assert _issues(plain) == ["http://github.com/Alamofire/Alamofire.git is fetched without TLS"]
    cargo_git = dep("c", "0.1.0", ecosystem="cargo", source=Source("git", url="https://github.com/o/c", commit=COMMIT))
    assert any("comes from git" in m for m in _issues(cargo_git))


# --- registry-source: Go replacements --------------------------------------------------------------------------------


def test_a_go_module_replaced_by_another_module_needs_an_allowance() -> None:
    fork = Dependency("go", "golang.org/x/net", "v0.17.0", source=Source("module", "github.com/fork/net", ref="v0.17.1"),
                      manifest="go.mod", line=9)
    [issue] = source_issues(fork)
    assert issue.message == ("is replaced by another module, github.com/fork/net@v0.17.1 (go.mod/go.work replace): "
                             "the code built is not the module's own")
    assert issue.hint == "add go:golang.org/x/net to registry-source.allow-replace if this is intended"
    assert source_issues(fork, **{"allow-replace": ["go:golang.org/x/*"]}) == []
    assert source_issues(fork, **{"allow-path": ["*"], "allow-url": ["*"]}) != []  # another allowance does not do
    local = fork._replace(source=Source("path", "../net"))
    assert [i.message for i in source_issues(local)] == ["comes from a local path (../net)"]
    assert source_issues(local, **{"allow-path": ["go:golang.org/x/net"]}) == []
    assert source_issues(fork._replace(source=Source())) == []  # the module proxy, the default registry
