"""Each rule's check functions on hand-built Subjects (hash-pinning, exact-pinning, registry-source, deny)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Mapping

import pytest

from checker.errors import UsageError
from checker.commands.explain import explain, list_rules
from checker.model import Change, Dependency, IndexOption, Manifest, Source
from checker.policy.patterns import PackagePattern
from checker.judge.engine import judge
from checker.policy.load import DenyEntry, load_policy
from checker.rules import all_rules, deny, exact_pinning, hash_pinning, registry_source
from checker.rules.base import Issue, Subject

SHA256 = "sha256:" + "a" * 64
SHA512 = "sha512:" + "b" * 128
MD5 = "md5:" + "c" * 32
SHA1 = "sha1:" + "d" * 40
COMMIT = "3f2a9c1e0b7d4a5f6e8c9d0b1a2f3e4d5c6b7a8f"
DEFAULT_HOSTS = ("pypi.org, files.pythonhosted.org, registry.npmjs.org, registry.yarnpkg.com, conda.anaconda.org, "
                 "repo.anaconda.com")


def dep(
    name: str = "requests",
    version: str | None = "2.32.3",
    *,
    specifier: str | None = None,
    ecosystem: str = "pypi",
    source: Source = Source(),
    hashes: tuple[str, ...] = (),
    editable: bool = False,
    constraint: bool = False,
    manifest: str = "requirements.txt",
    line: int | None = 3,
) -> Dependency:
    if specifier is None:
        specifier = f"=={version}" if version is not None else ""
    return Dependency(
        ecosystem, name, version, specifier, source=source, hashes=frozenset(hashes), manifest=manifest, line=line,
        editable=editable, constraint=constraint,
    )


def manifest(
    *deps: Dependency,
    path: str = "requirements.txt",
    fmt: str = "requirements",
    kind: str = "lock",
    indexes: tuple[IndexOption, ...] = (),
) -> Manifest:
    return Manifest(path, fmt, "pypi", tuple(deps), kind=kind, indexes=indexes)


def subject(target: Dependency, *others: Dependency, fmt: str = "requirements", kind: str = "lock") -> Subject:
    """``target`` as a dependency of a manifest that also lists ``others``."""
    return Subject(target, manifest(target, *others, fmt=fmt, kind=kind))


def options(rule: str, **overrides: Any) -> Mapping[str, Any]:
    """A rule's options as the policy loader builds them (``allow_git=[...]`` is the option ``allow-git``)."""
    text = json.dumps({"rules": {rule: {key.replace("_", "-"): value for key, value in overrides.items()}}})
    return load_policy(text, "policy.yml", lambda path: None).rules[rule].options


def hash_issues(target: Subject, **overrides: Any) -> list[Issue]:
    return list(hash_pinning.check(target, options("hash-pinning", **overrides)))


def pin_issues(target: Subject) -> list[Issue]:
    return list(exact_pinning.check(target, options("exact-pinning")))


def source_issues(target: Dependency, **overrides: Any) -> list[Issue]:
    return list(registry_source.check(Subject(target, manifest(target)), options("registry-source", **overrides)))


def index_issues(head: Manifest, base: Manifest | None, **overrides: Any) -> list[Issue]:
    return list(registry_source.check_manifest(head, base, options("registry-source", **overrides)))


def deny_issues(target: Dependency, *entries: DenyEntry) -> list[Issue]:
    return list(deny.check(Subject(target, manifest(target)), {"known-bad": False, "packages": entries}))


def denied(text: str, reason: str | None = None, url: str | None = None) -> DenyEntry:
    return DenyEntry(PackagePattern.parse(text), reason, url)


# --- the rule registry -----------------------------------------------------------------------------------------


def test_rules_and_their_default_levels() -> None:
    assert {rule_id: rule.default_level for rule_id, rule in all_rules().items()} == {
        "unreadable-manifest": "block",
        "hash-pinning": "block", "exact-pinning": "block", "registry-source": "block", "registry-config": "block", "deny": "block",
        "review": "block", "policy-change": "block", "exception-expired": "warn",
        "action-pinning": "block", "pin-comment": "block", "image-pinning": "block", "hook-pinning": "block", "install-command": "block",
        "install-scripts": "block",
        "version-exists": "block", "release-age": "block", "hash-mismatch": "block", "provenance": "block",
        "provenance-downgrade": "block",
    }
    for rule_id, rule in all_rules().items():
        assert rule.id == rule_id
        assert rule.summary and rule.explanation and rule.fix and rule.example


def test_explain() -> None:
    text = explain("hash-pinning")
    assert text.startswith("hash-pinning (default level: block)\n\nEvery downloaded artifact must be checked")
    assert "  algorithms (str-list, default sha256, sha384, sha512): hash algorithms that count as strong\n" in text
    assert "  files-without-hashes (choice, default warn): " in text
    assert list_rules().splitlines()[0] == (
        "hash-pinning          block  Every downloaded artifact must be checked against a hash recorded in the repository."
    )
    with pytest.raises(UsageError) as caught:
        explain("release-speed")
    assert caught.value.message == f"unknown rule 'release-speed'; valid rules: {', '.join(all_rules())}"


# --- hash-pinning ----------------------------------------------------------------------------------------------


def test_hash_checking_mode_file_entry_without_hash() -> None:
    target = dep("idna", "3.10")
    [issue] = hash_issues(subject(target, dep("requests", hashes=(SHA256,))))
    assert issue == Issue(
        "no --hash: the file is in pip's hash-checking mode, so pip will refuse to install it, "
        "and nothing checks what would be downloaded",
        hint="add --hash lines for idna (pip-compile --generate-hashes, or pip hash)",
    )


def test_hash_checking_mode_entry_with_hash_passes() -> None:
    target = dep("requests", hashes=(SHA256, SHA512))
    assert hash_issues(subject(target, dep("idna", "3.10"))) == []


@pytest.mark.parametrize("level", ["off", "info", "warn", "block"])
def test_file_without_any_hashes_takes_its_level_from_the_option(level: str) -> None:
    [issue] = hash_issues(subject(dep("idna", "3.10"), dep("requests")), files_without_hashes=level)
    assert issue == Issue(
        "the requirements file pins no hashes: a republished or tampered artifact would install unnoticed",
        hint="generate the file with hashes: pip-compile --generate-hashes (or uv pip compile --generate-hashes)",
        level=level,
    )


def test_weak_algorithms() -> None:
    [issue] = hash_issues(subject(dep(hashes=(MD5,))))
    assert issue == Issue(
        "weak hash algorithm md5: only sha256, sha384, sha512 are accepted",
        hint="regenerate the hashes with a strong algorithm (pip-compile --generate-hashes writes sha256)",
    )
    [issue] = hash_issues(subject(dep(hashes=(SHA1, MD5))))
    assert issue.message == "weak hash algorithm md5, sha1: only sha256, sha384, sha512 are accepted"


def test_a_weak_hash_beside_a_strong_one_is_still_reported() -> None:
    [issue] = hash_issues(subject(dep(hashes=(SHA256, MD5))))
    assert issue.message == "weak hash algorithm md5: only sha256, sha384, sha512 are accepted"


def test_algorithms_option() -> None:
    [issue] = hash_issues(subject(dep(hashes=(SHA256,))), algorithms=["sha512"])
    assert issue.message == "weak hash algorithm sha256: only sha512 are accepted"
    assert hash_issues(subject(dep(hashes=(SHA512,))), algorithms=["sha512"]) == []


@pytest.mark.parametrize("fmt", ["uv-lock", "pylock", "pipfile-lock"])
def test_lockfile_entry_without_hashes(fmt: str) -> None:
    [issue] = hash_issues(subject(dep(), dep("idna", "3.10", hashes=(SHA256,)), fmt=fmt))
    assert issue == Issue(
        "lock entry carries no hash: the artifact that gets installed is not checked",
        hint="regenerate the lockfile with the package manager so that it records hashes",
    )
    assert hash_issues(subject(dep(hashes=(SHA256,)), fmt=fmt)) == []


def test_direct_url_archive_needs_a_hash_too() -> None:
    archive = dep("tool", "1.0", source=Source("url", "https://example.com/tool-1.0.tar.gz"))
    [issue] = hash_issues(subject(archive, fmt="uv-lock"))
    assert issue.message == "lock entry carries no hash: the artifact that gets installed is not checked"


@pytest.mark.parametrize(
    "exempt",
    [
        dep("local", None, source=Source("path", "./libs/local")),
        dep("mylib", COMMIT, source=Source("git", "https://github.com/acme/mylib", COMMIT, COMMIT)),
        dep("mine", None, editable=True, source=Source("registry")),
        dep("urllib3", "2.2.3", constraint=True),
    ],
    ids=["path", "git", "editable", "constraint"],
)
def test_entries_without_artifacts_are_exempt(exempt: Dependency) -> None:
    hashed = dep("idna", "3.10", hashes=(SHA256,))
    assert hash_issues(subject(exempt, hashed)) == []
    assert hash_issues(subject(exempt, hashed, fmt="uv-lock")) == []


def test_declared_manifests_are_exempt() -> None:
    assert hash_issues(subject(dep("rich", None, specifier=">=13"), fmt="pyproject", kind="declared")) == []
    assert hash_issues(subject(dep(hashes=(MD5,)), fmt="pyproject", kind="declared")) == []


# --- exact-pinning ---------------------------------------------------------------------------------------------


def test_range_in_a_lock_kind_requirements_file() -> None:
    [issue] = pin_issues(subject(dep("requests", None, specifier=">=2,<3")))
    assert issue == Issue(
        ">=2,<3 is a range: what gets installed depends on the day it is installed, and a release published "
        "minutes ago qualifies",
        hint="pin an exact version: requests==X.Y.Z (pip-compile writes exact pins for you)",
    )


def test_wildcard_equality_is_a_range() -> None:
    [issue] = pin_issues(subject(dep("requests", None, specifier="==1.*")))
    assert issue.message.startswith("==1.* is a range: ")


def test_no_specifier_at_all() -> None:
    [issue] = pin_issues(subject(dep("requests", None, specifier="")))
    assert issue.message.startswith("any version is a range: ")


def test_exact_pins_pass() -> None:
    assert pin_issues(subject(dep("requests", "2.32.3"))) == []
    assert pin_issues(subject(dep("requests", "2.32.3", specifier="===2.32.3"))) == []


def test_exact_pinning_exemptions() -> None:
    assert pin_issues(subject(dep("rich", None, specifier=">=13"), fmt="pyproject", kind="declared")) == []
    assert pin_issues(subject(dep("mine", None, specifier="", editable=True))) == []
    assert pin_issues(subject(dep("mylib", None, specifier="", source=Source("git", "https://g.example/x", "main")))) == []
    assert pin_issues(subject(dep("local", None, specifier="", source=Source("path", "./libs/local")))) == []


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


# --- deny ------------------------------------------------------------------------------------------------------


def test_deny_an_exact_version() -> None:
    entry = denied("pypi:evil@1.0", "stole tokens")
    [issue] = deny_issues(dep("evil", "1.0"), entry)
    assert issue == Issue("pypi:evil@1.0 is denied by pypi:evil@1.0: stole tokens", hint="move off this version")
    assert deny_issues(dep("evil", "1.0.1"), entry) == []
    assert deny_issues(dep("evil", "1.0.0"), entry) != []  # the same version, written longer


def test_deny_hint_links_the_write_up() -> None:
    [issue] = deny_issues(dep("evil", "1.0"), denied("pypi:evil@1.0", url="https://example.com/advisory"))
    assert issue == Issue(
        "pypi:evil@1.0 is denied by pypi:evil@1.0", hint="move off this version (see https://example.com/advisory)"
    )


def test_deny_a_range() -> None:
    entry = denied("pypi:requests@<2.31", "CVE-2023-32681")
    [issue] = deny_issues(dep("requests", "2.30.0"), entry)
    assert issue.message == "pypi:requests@2.30.0 is denied by pypi:requests@<2.31: CVE-2023-32681"
    assert deny_issues(dep("requests", "2.31.0"), entry) == []
    assert deny_issues(dep("requests", None, specifier=">=2"), entry) == []  # no exact version: not this range


def test_deny_every_version() -> None:
    entry = denied("pypi:Evil_Pkg")
    [issue] = deny_issues(dep("evil-pkg", None, specifier=">=1"), entry)
    assert issue.message == "pypi:evil-pkg@>=1 is denied by pypi:Evil_Pkg"


def test_deny_scoped_npm_names() -> None:
    entry = denied("npm:@ctrl/tinycolor@4.1.1", "Shai-Hulud worm")
    scoped = dep("@ctrl/tinycolor", "4.1.1", ecosystem="npm", manifest="package-lock.json")
    [issue] = deny_issues(scoped, entry)
    assert issue.message == "npm:@ctrl/tinycolor@4.1.1 is denied by npm:@ctrl/tinycolor@4.1.1: Shai-Hulud worm"
    assert deny_issues(dep("tinycolor", "4.1.1", ecosystem="npm"), entry) == []
    assert deny_issues(dep("@ctrl/tinycolor", "4.1.0", ecosystem="npm"), entry) == []
    assert deny_issues(dep("@ctrl/tinycolor", "4.1.1"), entry) == []  # pypi, not npm
    assert len(deny_issues(scoped, denied("npm:@ctrl/*"))) == 1


def test_deny_reports_the_first_matching_entry_only() -> None:
    issues = deny_issues(dep("evil", "1.0"), denied("pypi:evil", "first"), denied("pypi:evil@1.0", "second"))
    assert [issue.message for issue in issues] == ["pypi:evil@1.0 is denied by pypi:evil: first"]


def judge_upgrade(to_version: str, policy_text: str | None) -> list[tuple[str, str, str]]:
    """Findings (rule, level, message) for requirements.txt moving litellm 1.82.6 -> ``to_version``."""
    before = dep("litellm", "1.82.6", hashes=(SHA256,))
    after = dep("litellm", to_version, hashes=(SHA256,))
    change = Change("upgraded", before, after, "patch")
    policy = load_policy(policy_text, "policy.yml", lambda path: None)
    judgement = judge(
        [change], [manifest(before)], [manifest(after)], policy, today=dt.date(2026, 4, 1),
        pull_request_evidence="approved by alice",
    )
    return [(f.rule, f.level, f.message) for f in judgement.findings]


def test_known_bad_through_the_engine() -> None:
    [(rule, level, message)] = judge_upgrade("1.82.8", None)
    assert (rule, level) == ("deny", "block")
    assert message.startswith("pypi:litellm@1.82.8 is denied by pypi:litellm@1.82.8: published with a PyPI token")
    [(rule, level, message)] = judge_upgrade("1.82.7", None)
    assert message.startswith("pypi:litellm@1.82.7 is denied by pypi:litellm@1.82.7: ")
    assert judge_upgrade("1.82.9", None) == []


def test_known_bad_off_and_own_entries() -> None:
    assert judge_upgrade("1.82.8", "extends: default\nrules:\n  deny: {known-bad: false}\n") == []
    own = "extends: default\nrules:\n  deny: {known-bad: false, packages: [{package: 'pypi:litellm@>=1.82.7,<1.83', reason: pause}]}\n"
    assert judge_upgrade("1.82.9", own) == [
        ("deny", "block", "pypi:litellm@1.82.9 is denied by pypi:litellm@>=1.82.7,<1.83: pause"),
    ]
    assert judge_upgrade("1.82.8", "extends: default\nrules:\n  deny: warn\n")[0][:2] == ("deny", "warn")
