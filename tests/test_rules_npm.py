"""The rules on npm dependencies: hash-pinning (integrity), registry-source (resolved URLs, lockfile injection),
install-scripts, and deny / review with scoped names, on manifests parsed from real lockfile text."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Mapping

import pytest

from checker.diff.changes import diff
from checker.manifests.package_json import parse as parse_package_json
from checker.manifests.package_lock import parse as parse_lock
from checker.model import Change, Dependency, Facts, Manifest
from checker.manifests.npm_tarball import Tarball, own_registry, parse_tarball_url
from checker.judge.engine import judge
from checker.policy.load import load_policy
from checker.rules import all_rules, hash_pinning, install_scripts, registry_source
from checker.rules.base import Issue, Subject

SHA512 = "sha512-" + "A" * 86 + "=="
SHA1 = "sha1-tSQ9jz7BqjXxNkYFvA0QNuMKtp8="
TODAY = dt.date(2026, 4, 1)


def entry(name: str, version: str, **extra: Any) -> dict:
    """A registry entry as npm writes it: resolved on registry.npmjs.org and sha512 integrity."""
    base = name.rpartition("/")[2]
    return {
        "version": version,
        "resolved": f"https://registry.npmjs.org/{name}/-/{base}-{version}.tgz",
        "integrity": SHA512,
        **extra,
    }


def lockfile(packages: dict[str, dict], root: dict | None = None) -> str:
    body = {"": root or {"dependencies": {k.rsplit("node_modules/", 1)[1]: "*" for k in packages}}}
    body.update(packages)
    return json.dumps({"name": "p", "lockfileVersion": 3, "requires": True, "packages": body}, indent=2)


def lock(packages: dict[str, dict], root: dict | None = None) -> Manifest:
    return parse_lock(lockfile(packages, root), "package-lock.json", lambda _: None)


def options(rule: str, **overrides: Any) -> Mapping[str, Any]:
    text = json.dumps({"rules": {rule: {key.replace("_", "-"): value for key, value in overrides.items()}}})
    return load_policy(text, "policy.yml", lambda _: None).rules[rule].options


def issues(module: Any, rule: str, manifest: Manifest, change: Change | None = None, **overrides: Any) -> list[Issue]:
    [dep] = manifest.dependencies
    return list(module.check(Subject(dep, manifest, change), options(rule, **overrides)))


def messages(found: list[Issue]) -> list[tuple[str, str | None]]:
    return [(i.message, i.level) for i in found]


# ---------------------------------------------------------------------------------------------------------------
# hash-pinning
# ---------------------------------------------------------------------------------------------------------------


def test_sha512_integrity_passes() -> None:
    assert issues(hash_pinning, "hash-pinning", lock({"node_modules/a": entry("a", "1.0.0")})) == []


def test_sha1_only_integrity_is_weak() -> None:
    found = issues(hash_pinning, "hash-pinning", lock({"node_modules/wrappy": entry("wrappy", "1.0.2", integrity=SHA1)}))
    assert messages(found) == [(
        "integrity is sha1 only: SHA-1 collisions are practical, so the recorded hash no longer pins the tarball "
        "(accepted: sha256, sha384, sha512)", None,
    )]


def test_sha1_beside_sha512_is_fine_because_npm_checks_the_strongest() -> None:
    both = lock({"node_modules/a": entry("a", "1.0.0", integrity=f"{SHA1} {SHA512}")})
    assert issues(hash_pinning, "hash-pinning", both) == []


def test_missing_integrity_is_a_finding() -> None:
    bare = {"version": "4.4.1", "resolved": "https://registry.npmjs.org/debug/-/debug-4.4.1.tgz"}
    found = issues(hash_pinning, "hash-pinning", lock({"node_modules/debug": bare}))
    assert [i.message for i in found] == [
        "no integrity: npm installs whatever the registry serves for this version and checks nothing "
        "(lockfile-lint skips entries without integrity; lockgate does not)"
    ]
    # an entry with neither resolved nor integrity too (npm's omit-lockfile-registry-resolved drops only resolved)
    assert len(issues(hash_pinning, "hash-pinning", lock({"node_modules/x": {"version": "1.0.0"}}))) == 1
    # a remote tarball needs integrity as much as a registry package
    tarball = {"version": "1.0.0", "resolved": "https://example.com/t-1.0.0.tgz"}
    assert len(issues(hash_pinning, "hash-pinning", lock({"node_modules/t": tarball}))) == 1


@pytest.mark.parametrize(
    "packages",
    [
        {"node_modules/ms": {"version": "2.1.3", "inBundle": True}},
        {"node_modules/g": {"version": "1.0.0", "resolved": "git+ssh://git@github.com/a/g.git#" + "a" * 40}},
        {"node_modules/l": {"resolved": "../l", "link": True}},
        {"node_modules/f": {"version": "1.0.0", "resolved": "file:f-1.0.0.tgz"}},
    ],
)
def test_bundled_git_link_and_file_entries_are_exempt(packages: dict) -> None:
    assert issues(hash_pinning, "hash-pinning", lock(packages)) == []


def test_package_json_is_not_judged_for_hashes() -> None:
    declared = parse_package_json('{"dependencies": {"a": "^1"}}', "package.json", lambda _: None)
    [dep] = declared.dependencies
    assert list(hash_pinning.check(Subject(dep, declared), options("hash-pinning"))) == []


# ---------------------------------------------------------------------------------------------------------------
# registry-source
# ---------------------------------------------------------------------------------------------------------------


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
    git = {"version": "1.0.0", "resolved": "git+ssh://git@github.com/acme/g.git#" + "a" * 40, "integrity": SHA512}
    assert [i.message for i in issues(registry_source, "registry-source", lock({"node_modules/g": git}))] == [
        "comes from git (ssh://git@github.com/acme/g.git), outside the package registry"
    ]
    assert issues(registry_source, "registry-source", lock({"node_modules/g": git}), allow_git=["npm:g"]) == []
    tarball = {"version": "1.0.0", "resolved": "https://example.com/t-1.0.0.tgz", "integrity": SHA512}
    assert [i.message for i in issues(registry_source, "registry-source", lock({"node_modules/t": tarball}))] == [
        "comes from a direct URL (https://example.com/t-1.0.0.tgz)"
    ]
    assert issues(registry_source, "registry-source", lock({"node_modules/t": tarball}), allow_url=["npm:t"]) == []
    local = {"version": "1.0.0", "resolved": "file:vendor/f-1.0.0.tgz", "integrity": SHA512}
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


# ---------------------------------------------------------------------------------------------------------------
# install-scripts
# ---------------------------------------------------------------------------------------------------------------


def _change(before: dict | None, after: dict, name: str = "@ctrl/tinycolor") -> tuple[Manifest, Change]:
    key = f"node_modules/{name}"
    head = lock({key: after})
    base = lock({key: before}) if before is not None else lock({})
    [change] = diff([base], [head])
    return head, change


def test_a_version_that_gains_an_install_script_blocks() -> None:
    head, change = _change(entry("@ctrl/tinycolor", "4.1.0"), entry("@ctrl/tinycolor", "4.1.1", hasInstallScript=True))
    assert (change.kind, change.bump) == ("upgraded", "patch")
    assert messages(issues(install_scripts, "install-scripts", head, change)) == [(
        "@ctrl/tinycolor 4.1.0 -> 4.1.1 gains an install script: the new version runs code on every npm install "
        "that the old one did not (how the 2025 npm worms spread)", None,
    )]


def test_a_new_package_with_an_install_script_warns() -> None:
    head, change = _change(None, entry("esbuild", "0.25.0", hasInstallScript=True), "esbuild")
    assert change.kind == "added"
    assert messages(issues(install_scripts, "install-scripts", head, change)) == [(
        "a new dependency that runs an install script: esbuild 0.25.0 executes code on every npm install", "warn",
    )]
    assert messages(issues(install_scripts, "install-scripts", head, change, added="block"))[0][1] == "block"
    assert issues(install_scripts, "install-scripts", head, change, allow=["npm:esbuild"]) == []


def test_install_scripts_that_were_there_before_or_are_absent_pass() -> None:
    head, change = _change(entry("sharp", "0.33.0", hasInstallScript=True), entry("sharp", "0.34.0", hasInstallScript=True), "sharp")
    assert issues(install_scripts, "install-scripts", head, change) == []
    head, change = _change(entry("a", "1.0.0"), entry("a", "1.0.1"), "a")
    assert issues(install_scripts, "install-scripts", head, change) == []


def test_unknown_before_warns_instead_of_blocking() -> None:
    head = lock({"node_modules/a": entry("a", "1.0.1", hasInstallScript=True)})
    before = Dependency("npm", "a", "1.0.0", install_script=None)
    change = Change("upgraded", before, head.dependencies[0], "patch")
    assert messages(issues(install_scripts, "install-scripts", head, change)) == [(
        "a 1.0.0 -> 1.0.1 runs an install script; the base revision's lockfile does not record whether the old "
        "version had one", "warn",
    )]


def test_check_all_lists_install_scripts_at_the_added_level() -> None:
    head = lock({"node_modules/a": entry("a", "1.0.1", hasInstallScript=True)})
    assert messages(issues(install_scripts, "install-scripts", head)) == [(
        "a dependency that runs an install script: a 1.0.1 executes code on every npm install", "warn",
    )]


def test_registry_facts_fill_in_when_the_lockfile_does_not_say() -> None:
    v1 = parse_lock(
        '{"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0", "integrity": "' + SHA512 + '"}}}',
        "package-lock.json", lambda _: None,
    )
    [dep] = v1.dependencies
    rule_options = options("install-scripts")
    assert list(install_scripts.check(Subject(dep, v1), rule_options)) == []
    facts = Facts("npm", "a", "1.0.0", install_script=True)
    assert len(list(install_scripts.check(Subject(dep, v1, None, facts), rule_options))) == 1


def test_install_scripts_rule_is_registered_in_the_presets() -> None:
    rule = all_rules()["install-scripts"]
    assert rule.default_level == "block"
    default = load_policy(None, "default", lambda _: None)
    assert (default.rules["install-scripts"].level, default.rules["install-scripts"].options["added"]) == ("block", "warn")
    strict = load_policy("extends: strict\n", "p.yml", lambda _: None)
    assert strict.rules["install-scripts"].options["added"] == "block"


# ---------------------------------------------------------------------------------------------------------------
# deny and review through the engine, with scoped names
# ---------------------------------------------------------------------------------------------------------------


def _judge(
    base: Manifest, head: Manifest, policy_text: str | None = None, evidence: str | None = "approved by alice"
) -> list[tuple[str, str, str]]:
    policy = load_policy(policy_text, "p.yml", lambda _: None)
    changes = diff([base], [head])
    judgement = judge(changes, [base], [head], policy, today=TODAY, pull_request_evidence=evidence)
    return [(f.rule, f.level, f.message) for f in judgement.findings]


def test_known_bad_scoped_release_is_denied() -> None:
    base = lock({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.0")})
    head = lock({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.1")})
    assert ("deny", "block", "npm:@ctrl/tinycolor@4.1.1 is denied by npm:@ctrl/tinycolor@4.1.1: Shai-Hulud worm, "
            "September 2025") in _judge(base, head)


def test_policy_deny_with_an_npm_range_and_scope_glob() -> None:
    base = lock({"node_modules/@acme/x": entry("@acme/x", "1.9.0")})
    head = lock({"node_modules/@acme/x": entry("@acme/x", "2.0.0-rc.1")})
    policy = 'rules:\n  deny:\n    packages:\n      - {package: "npm:@acme/*@^2.0.0-0", reason: "not yet"}\n'
    found = _judge(base, head, policy)
    assert ("deny", "block", "npm:@acme/x@2.0.0-rc.1 is denied by npm:@acme/*@^2.0.0-0: not yet") in found
    assert not any(rule == "deny" for rule, _, _ in _judge(base, head, policy.replace("@acme/*", "@other/*")))


def test_review_blocks_an_unreviewed_npm_bump_unless_skipped_or_approved() -> None:
    base = lock({"node_modules/@babel/core": entry("@babel/core", "7.26.0")})
    head = lock({"node_modules/@babel/core": entry("@babel/core", "7.26.9")})
    assert _judge(base, head, evidence=None) == [(
        "review", "block", "upgraded @babel/core 7.26.0 -> 7.26.9 needs a review by a maintainer",
    )]
    skip = "review:\n  skip: [{package: 'npm:@babel/*'}]\n"
    assert _judge(base, head, skip, evidence=None) == []
    assert _judge(base, head) == []


def test_exception_waives_an_npm_finding_by_scoped_name_and_range() -> None:
    base = lock({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.0")})
    head = lock({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.1", hasInstallScript=True)})
    policy = load_policy(
        "review: {required-for: []}\nexceptions:\n  - {rule: install-scripts, package: 'npm:@ctrl/tinycolor@~4.1.0',"
        " reason: 'read it', expires: 2027-01-31}\n",
        "p.yml", lambda _: None,
    )
    judgement = judge(diff([base], [head]), [base], [head], policy, today=TODAY)
    install = [f for f in judgement.findings if f.rule == "install-scripts"]
    assert [f.excepted_by for f in install] == ["read it (until 2027-01-31, p.yml:3)"]


# ---------------------------------------------------------------------------------------------------------------
# Tarball URLs
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
         Tarball("https://registry.npmjs.org/", "lodash", "4.17.21")),
        ("https://registry.npmjs.org/@ctrl/tinycolor/-/tinycolor-4.1.0.tgz",
         Tarball("https://registry.npmjs.org/", "@ctrl/tinycolor", "4.1.0")),
        ("https://registry.npmjs.org/@ctrl%2ftinycolor/-/tinycolor-4.1.0.tgz",
         Tarball("https://registry.npmjs.org/", "@ctrl/tinycolor", "4.1.0")),
        ("https://registry.yarnpkg.com/debug/-/debug-4.4.1.tgz#6f5ae3c6e9b2b0a0b2a4f3c0",
         Tarball("https://registry.yarnpkg.com/", "debug", "4.4.1")),
        ("https://art.example/artifactory/api/npm/npm/@s/x/-/x-1.0.0-rc.1.tgz",
         Tarball("https://art.example/artifactory/api/npm/npm/", "@s/x", "1.0.0-rc.1")),
        ("https://npm.pkg.github.com/download/@acme/lib/1.2.3/0a1b2c3d4e5f",
         Tarball("https://npm.pkg.github.com/", "@acme/lib", "1.2.3")),
        ("https://codeload.github.com/acme/lib/tar.gz/0123456789abcdef", None),
        ("https://example.com/lib-1.0.0.tgz", None),
        ("https://registry.npmjs.org/lodash/-/other-4.17.21.tgz", None),
        ("git+ssh://git@github.com/a/b.git#abc", None),
        ("file:lib-1.0.0.tgz", None),
    ],
)
def test_parse_tarball_url(url: str, expected: Tarball | None) -> None:
    assert parse_tarball_url(url) == expected


def test_own_registry_fast_path_refuses_anything_unusual() -> None:
    assert own_registry("https://registry.npmjs.org/a/-/a-1.0.0.tgz", "a", "1.0.0") == "https://registry.npmjs.org/"
    assert own_registry("https://r.example/npm/@s/a/-/a-1.0.0.tgz", "@s/a", "1.0.0") == "https://r.example/npm/"
    assert own_registry("http://registry.npmjs.org/a/-/a-1.0.0.tgz", "a", "1.0.0") is None
    assert own_registry("https://evil.example/x?/a/-/a-1.0.0.tgz", "a", "1.0.0") is None
    assert own_registry("https://user@evil.example/a/-/a-1.0.0.tgz", "a", "1.0.0") is None
    assert own_registry("https://r.example/%2e%2e/a/-/a-1.0.0.tgz", "a", "1.0.0") is None
    assert own_registry("https://registry.npmjs.org/a/-/a-1.0.0.tgz", "a", "1.0.1") is None
    assert own_registry("https://registry.npmjs.org/a/-/a-1.0.0.tgz", "a", None) is None


def test_deny_index_keeps_globs_any_ecosystem_and_list_order() -> None:
    policy = (
        "rules:\n  deny:\n    known-bad: true\n    packages:\n"
        "      - {package: 'npm:@evil/*', reason: glob}\n"
        "      - {package: '*:chalk@5.6.1', reason: any-ecosystem}\n"
        "      - {package: 'npm:left-pad@>=1.3.0', reason: range}\n"
    )
    rules = load_policy(policy, "p.yml", lambda _: None)
    from checker.judge.engine import _rule_options

    rule = all_rules()["deny"]
    rule_options = _rule_options(rule, rules)
    assert len(rule_options["packages"]) > 8

    def denied(name: str, version: str) -> list[str]:
        manifest = lock({f"node_modules/{name}": entry(name, version)})
        [dep] = manifest.dependencies
        return [i.message for i in rule.check_dependency(Subject(dep, manifest), rule_options)]

    assert denied("@evil/thing", "1.0.0") == ["npm:@evil/thing@1.0.0 is denied by npm:@evil/*: glob"]
    # the policy's own entry comes before the shipped one for the same release
    assert denied("chalk", "5.6.1") == ["npm:chalk@5.6.1 is denied by *:chalk@5.6.1: any-ecosystem"]
    assert denied("left-pad", "1.3.0") == ["npm:left-pad@1.3.0 is denied by npm:left-pad@>=1.3.0: range"]
    assert denied("debug", "4.4.2") == [
        "npm:debug@4.4.2 is denied by npm:debug@4.4.2: chalk/debug compromise, September 2025: crypto-wallet stealer"
    ]
    assert denied("debug", "4.4.1") == [] and denied("unrelated", "1.0.0") == []
