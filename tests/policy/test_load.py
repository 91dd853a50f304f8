"""checker.policy.load: presets, extends, validation errors (file, line, valid choices), merging, the starter
policy, the known-bad list and the JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from checker.errors import PolicyError, UsageError
from checker.model import CHANGE_KINDS, ECOSYSTEMS, INFO_KINDS, LEVELS
from checker.policy.patterns import PackagePattern
from checker.policy.load import (
    DenyEntry,
    Policy,
    SkipEntry,
    _yaml_load,
    known_bad,
    load_policy,
    load_policy_file,
    preset_names,
    presets_dir,
)
from checker.policy.schema import policy_schema
from checker.policy.starter import STARTER, write_starter
from checker.rules import all_rules

POLICY = ".github/lockgate.yml"
RULE_IDS = ", ".join(all_rules())
DEFAULT_HOSTS = ("pypi.org", "files.pythonhosted.org", "registry.npmjs.org", "registry.yarnpkg.com", "conda.anaconda.org",
                 "repo.anaconda.com")
ALL_KINDS = ", ".join(CHANGE_KINDS)


def load(text: str | None, files: dict[str, str] | None = None, path: str = POLICY) -> Policy:
    return load_policy(text, path, (files or {}).get)


def error(text: str, files: dict[str, str] | None = None, path: str = POLICY) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        load(text, files, path)
    return caught.value


def preset_text(name: str) -> str:
    return (Path(presets_dir()) / f"{name}.yml").read_text(encoding="utf-8")


def level(policy: Policy, rule: str) -> str:
    return policy.rules[rule].level


def option(policy: Policy, rule: str, name: str) -> Any:
    return policy.rules[rule].options[name]


# --- presets ---------------------------------------------------------------------------------------------------


def test_preset_names() -> None:
    assert preset_names() == ["default", "strict"]


def test_no_policy_file_means_the_default_preset() -> None:
    policy = load(None)
    assert policy.source == "preset:default"
    assert policy.chain == ("preset:default",)
    assert policy.on_unknown == "warn"
    assert policy.ignore == ()
    assert {rule: setting.level for rule, setting in policy.rules.items()} == {
        "unreadable-manifest": "block",
        "hash-pinning": "block", "exact-pinning": "block", "registry-source": "block", "registry-config": "block", "deny": "block",
        "review": "block", "policy-change": "block", "exception-expired": "warn",
        "action-pinning": "block", "pin-comment": "block", "image-pinning": "block", "hook-pinning": "block", "install-command": "block",
        "install-scripts": "block",
        "version-exists": "block", "release-age": "block", "hash-mismatch": "block", "provenance": "block",
        "provenance-downgrade": "block", "publisher-change": "warn", "license": "off", "scorecard": "off",
        "artifact-content": "block", "source-tag": "block",
        "vulnerability": "block", "malicious": "block",
    }
    assert dict(policy.rules["hash-pinning"].options) == {
        "algorithms": ("sha256", "sha384", "sha512"), "files-without-hashes": "warn",
    }
    assert dict(policy.rules["registry-source"].options) == {
        "hosts": DEFAULT_HOSTS, "allow-git": (), "allow-url": (), "allow-path": (PackagePattern("*", "*", None, "*"),),
        "allow-replace": (),
    }
    assert dict(policy.rules["deny"].options) == {"known-bad": True, "packages": ()}
    assert policy.review.required_for == ("added", "upgraded", "downgraded", "source-changed", "hashes-changed",
                                          "scope-changed")
    assert policy.review.skip == ()
    assert policy.review.reviewers == ()
    assert policy.review.label is None
    assert policy.review.ledger == ".github/lockgate-reviews.yml"
    assert policy.review.allow_stale_approvals is False
    assert policy.exceptions == ()


def test_extends_default_equals_no_policy_but_for_its_source() -> None:
    extended, default = load("extends: default\n"), load(None)
    assert extended.chain == ("preset:default", POLICY)
    assert extended.source == POLICY
    assert dict(extended.rules) == dict(default.rules)
    assert extended.review == default.review


def test_strict_preset_hardens_the_default() -> None:
    policy = load("extends: strict\n")
    assert policy.chain == ("preset:default", "preset:strict", POLICY)
    assert policy.on_unknown == "block"
    assert option(policy, "hash-pinning", "files-without-hashes") == "block"
    assert option(policy, "registry-source", "allow-path") == ()
    assert level(policy, "exception-expired") == "block"
    assert policy.review.required_for == tuple(kind for kind in CHANGE_KINDS if kind not in INFO_KINDS)
    assert policy.review.ledger == ".github/lockgate-reviews.yml"  # inherited from default


def test_a_policy_without_extends_starts_from_the_rules_own_defaults() -> None:
    policy = load("on-unknown: info\n")
    assert policy.chain == (POLICY,)
    assert policy.on_unknown == "info"
    assert option(policy, "registry-source", "allow-path") == ()
    assert policy.review.ledger is None


def test_an_empty_policy_file_is_valid() -> None:
    assert load("").chain == (POLICY,)
    assert load("# only a comment\n").chain == (POLICY,)


# --- extends by path -------------------------------------------------------------------------------------------


def test_extends_a_relative_path_through_the_reader() -> None:
    asked: list[str] = []
    files = {".github/base.yml": "extends: strict\non-unknown: info\n"}

    def read(path: str) -> str | None:
        asked.append(path)
        return files.get(path)

    policy = load_policy("extends: base.yml\n", POLICY, read)
    assert asked == [".github/base.yml"]
    assert policy.chain == ("preset:default", "preset:strict", ".github/base.yml", POLICY)
    assert policy.on_unknown == "info"


def test_extends_paths_resolve_against_the_extending_file() -> None:
    files = {
        "policies/team.yml": "extends: ./common/base.yml\n",
        "policies/common/base.yml": "extends: ../../org.yaml\nrules:\n  deny: warn\n",
        "org.yaml": "on-unknown: block\n",
    }
    policy = load("extends: ../policies/team.yml\n", files)
    assert policy.chain == ("org.yaml", "policies/common/base.yml", "policies/team.yml", POLICY)
    assert policy.on_unknown == "block"
    assert level(policy, "deny") == "warn"


def test_extends_a_missing_file() -> None:
    err = error("# comment\nextends: ../shared.yml\n")
    assert (err.path, err.line, err.message) == (POLICY, 2, "extends: shared.yml does not exist")


def test_extends_cycle_through_two_files() -> None:
    files = {".github/a.yml": "extends: b.yml\n", ".github/b.yml": "# b\n\nextends: a.yml\n"}
    err = error(files[".github/a.yml"], files, ".github/a.yml")
    assert (err.path, err.line) == (".github/b.yml", 3)
    assert err.message == "extends cycle: .github/a.yml -> .github/b.yml -> .github/a.yml"


def test_extends_itself() -> None:
    err = error("extends: lockgate.yml\n")
    assert (err.path, err.line, err.message) == (POLICY, 1, f"extends cycle: {POLICY} -> {POLICY}")


def test_extends_chain_depth_is_bounded() -> None:
    files = {f"p{i}.yml": f"extends: p{i + 1}.yml\n" for i in range(20)}
    err = error(files["p0.yml"], files, "p0.yml")
    assert (err.path, err.line) == ("p10.yml", 1)
    assert err.message == "extends chain deeper than 10: " + " -> ".join(
        [f"p{i}.yml" for i in range(11)] + ["p11.yml"]
    )


def test_extends_unknown_preset_lists_the_presets() -> None:
    err = error("on-unknown: warn\nextends: lenient\n")
    assert (err.path, err.line) == (POLICY, 2)
    assert err.message == "extends: unknown preset 'lenient'; valid presets: default, strict (or a path)"


def test_known_bad_list_is_not_a_preset() -> None:
    err = error("extends: known-bad\n")
    assert (err.path, err.line) == (POLICY, 1)
    assert err.message == "extends: unknown preset 'known-bad'; valid presets: default, strict (or a path)"


def test_extends_must_be_a_string() -> None:
    err = error("extends: [default]\n")
    assert (err.line, err.message) == (1, "extends must be a non-empty string; found ['default']")


def test_an_error_in_an_extended_file_names_that_file() -> None:
    files = {".github/base.yml": "rules:\n  deny:\n    level: loud\n"}
    err = error("extends: base.yml\n", files)
    assert (err.path, err.line) == (".github/base.yml", 3)


# --- validation errors -----------------------------------------------------------------------------------------


def test_unknown_top_level_key() -> None:
    err = error("extends: default\n\nrulez: {}\n")
    assert (err.path, err.line) == (POLICY, 3)
    assert err.message == "unknown key 'rulez' in the policy; valid keys: extends, on-unknown, paths, rules, review, exceptions, hook, registries"
    assert str(err) == f"{POLICY}:3: {err.message}"


def test_policy_must_be_a_mapping() -> None:
    err = error("- rules\n")
    assert (err.line, err.message) == (1, "the policy must be a mapping")


def test_not_yaml() -> None:
    err = error("rules: [\n")
    assert (err.line, err.message) == (2, "not valid YAML: expected the node content, but found '<stream end>'")


def test_duplicate_keys() -> None:
    err = error("on-unknown: warn\non-unknown: block\n")
    assert err.line == 2
    assert err.message.startswith("not valid YAML: found duplicate key \"on-unknown\"")


def test_unknown_rule() -> None:
    err = error("rules:\n  hash-pinning: warn\n  release-speed: block\n")
    assert (err.line, err.message) == (3, f"unknown rule 'release-speed'; valid rules: {RULE_IDS}")


def test_rules_must_be_a_mapping() -> None:
    err = error("rules:\n  - deny\n")
    assert (err.line, err.message) == (1, "rules must be a mapping of rule id to settings")


def test_bad_level() -> None:
    err = error("rules:\n  deny:\n    known-bad: true\n    level: loud\n")
    assert (err.line, err.message) == (4, "rules.deny.level must be one of off, info, warn, block; found 'loud'")


def test_bad_level_in_shorthand() -> None:
    err = error("rules:\n  deny: true\n")
    assert (err.line, err.message) == (2, "rules.deny must be one of off, info, warn, block; found True")


def test_unknown_rule_option_lists_the_options() -> None:
    err = error("rules:\n  hash-pinning:\n    algos: [sha256]\n")
    assert (err.line, err.message) == (
        3, "unknown key 'algos' in rules.hash-pinning; valid keys: level, algorithms, files-without-hashes",
    )


def test_bad_bool_option() -> None:
    err = error("rules:\n  deny:\n    known-bad: yes-please\n")
    assert (err.line, err.message) == (3, "rules.deny.known-bad must be true or false; found 'yes-please'")


def test_bad_choice_option() -> None:
    err = error("rules:\n  hash-pinning:\n    files-without-hashes: loud\n")
    assert (err.line, err.message) == (
        3, "rules.hash-pinning.files-without-hashes must be one of off, info, warn, block; found 'loud'",
    )


def test_bad_str_list_option() -> None:
    err = error("rules:\n  hash-pinning:\n    algorithms: 5\n")
    assert (err.line, err.message) == (3, "rules.hash-pinning.algorithms must be a list of strings")
    err = error("rules:\n  registry-source:\n    hosts:\n      - pypi.org\n      - 42\n")
    assert (err.line, err.message) == (5, "rules.registry-source.hosts[1] must be a non-empty string; found 42")


def test_a_single_string_is_a_one_item_list() -> None:
    policy = load("rules:\n  hash-pinning:\n    algorithms: sha512\n  registry-source:\n    allow-git: pypi:mylib\n")
    assert option(policy, "hash-pinning", "algorithms") == ("sha512",)
    assert option(policy, "registry-source", "allow-git") == (PackagePattern("pypi", "mylib", None, "pypi:mylib"),)


def test_bad_package_pattern_option() -> None:
    err = error("rules:\n  registry-source:\n    allow-git:\n      - pypi:ok\n      - nosuch:serde\n")
    assert (err.line, err.message) == (
        5, "rules.registry-source.allow-git[1]: unknown ecosystem 'nosuch' in 'nosuch:serde'; valid: " + ", ".join(ECOSYSTEMS),
    )
    err = error("rules:\n  registry-source:\n    allow-url: ['pypi:']\n")
    assert (err.line, err.message) == (
        3, "rules.registry-source.allow-url[0]: 'pypi:' names no package (expected ecosystem:name[@version])",
    )


def test_a_range_the_matcher_cannot_read_is_an_error() -> None:
    err = error("rules:\n  deny:\n    packages:\n      - pypi:lodash@^4.17.0\n")
    assert (err.line, err.message) == (
        4,
        "rules.deny.packages[0]: '^4.17.0' in 'pypi:lodash@^4.17.0' is neither a version nor a PEP 440 range "
        "(expected e.g. @1.2.3, @>=1.2,<2 or @==1.*)",
    )
    err = error("rules:\n  deny:\n    packages:\n      - npm:lodash@>=4 <5 junk\n")
    assert (err.line, err.message) == (
        4,
        "rules.deny.packages[0]: '>=4 <5 junk' in 'npm:lodash@>=4 <5 junk' is neither a version nor an npm range "
        "(expected e.g. @1.2.3, @^1.2 or @>=1.2.0 <2)",
    )
    assert load("rules:\n  deny:\n    packages:\n      - npm:lodash@^4.17.0\n") is not None


def test_deny_entries() -> None:
    policy = load(
        "rules:\n"
        "  deny:\n"
        "    packages:\n"
        "      - pypi:evil\n"
        "      - {package: 'pypi:requests@<2.31', reason: CVE-2023-32681, url: 'https://example.com/cve'}\n"
    )
    assert option(policy, "deny", "packages") == (
        DenyEntry(PackagePattern("pypi", "evil", None, "pypi:evil")),
        DenyEntry(PackagePattern("pypi", "requests", "<2.31", "pypi:requests@<2.31"), "CVE-2023-32681",
                  "https://example.com/cve"),
    )


def test_bad_deny_entries() -> None:
    err = error("rules:\n  deny:\n    packages:\n      - pypi:ok\n      - {reason: x}\n")
    assert (err.line, err.message) == (5, "rules.deny.packages[1] needs a `package`")
    err = error("rules:\n  deny:\n    packages:\n      - package: pypi:x\n        why: x\n")
    assert (err.line, err.message) == (5, "unknown key 'why' in rules.deny.packages[0]; valid keys: package, reason, url")
    err = error("rules:\n  deny:\n    packages: pypi:x\n")
    assert (err.line, err.message) == (3, "rules.deny.packages must be a list")


def test_bad_on_unknown() -> None:
    err = error("on-unknown: maybe\n")
    assert (err.line, err.message) == (1, "on-unknown must be one of off, info, warn, block; found 'maybe'")
    err = error("hook:\n  on-unknown: quiet\n")
    assert (err.line, err.message) == (2, "hook.on-unknown must be one of off, info, warn, block; found 'quiet'")
    err = error("on-unknown: false\n")  # YAML 1.1's spelling of off is a boolean in YAML 1.2: not a level
    assert err.line == 1 and err.message.startswith("on-unknown must be one of off, info, warn, block")


def test_on_unknown_off() -> None:
    """``off`` (YAML 1.2 reads it as a string, quoted or not) silences unknown facts, in CI and in the hook."""
    assert load("on-unknown: off\n").on_unknown == "off"
    assert load("on-unknown: 'off'\n").on_unknown == "off"
    policy = load("hook:\n  on-unknown: off\n")
    assert (policy.on_unknown, policy.hook.on_unknown) == ("warn", "off")


def test_bad_paths() -> None:
    err = error("paths:\n  skip: []\n")
    assert (err.line, err.message) == (2, "unknown key 'skip' in paths; valid keys: ignore")
    err = error("paths:\n  ignore:\n    - docs/**\n    - ''\n")
    assert (err.line, err.message) == (4, "paths.ignore[1] must be a non-empty string; found ''")


def test_bad_review_key() -> None:
    err = error("review:\n  label: x\n  approvers: [alice]\n")
    assert (err.line, err.message) == (
        3, "unknown key 'approvers' in review; valid keys: required-for, skip, reviewers, label, ledger, allow-stale-approvals",
    )


def test_bad_required_for_kind_flow() -> None:
    err = error("review:\n  required-for: [added, bumped]\n")
    assert (err.line, err.message) == (2, f"review.required-for must be one of {ALL_KINDS}; found 'bumped'")


def test_bad_required_for_kind_block_names_the_item_line() -> None:
    err = error("review:\n  required-for:\n    - added\n    - bumped\n")
    assert (err.line, err.message) == (4, f"review.required-for must be one of {ALL_KINDS}; found 'bumped'")


def test_bad_allow_stale_approvals() -> None:
    err = error("review:\n  allow-stale-approvals: 'yes'\n")
    assert (err.line, err.message) == (2, "review.allow-stale-approvals must be true or false")


def test_skip_entries() -> None:
    policy = load(
        "review:\n"
        "  skip:\n"
        "    - {scope: dev, bump: patch}\n"
        "    - {kind: removed}\n"
        "    - {package: 'npm:@types/*', direct: false}\n"
    )
    assert policy.review.skip == (
        SkipEntry(scope="dev", bump="patch"),
        SkipEntry(kind="removed"),
        SkipEntry(package=PackagePattern("npm", "@types/*", None, "npm:@types/*"), direct=False),
    )


def test_bad_skip_scope() -> None:
    err = error("review:\n  skip:\n    - {scope: dev}\n    - {scope: test}\n")
    assert (err.line, err.message) == (4, "review.skip[1].scope must be one of prod, dev, optional, build; found 'test'")


def test_bad_skip_bump_and_kind() -> None:
    err = error("review:\n  skip:\n    - {bump: tiny}\n")
    assert (err.line, err.message) == (3, "review.skip[0].bump must be one of major, minor, patch, other; found 'tiny'")
    err = error("review:\n  skip:\n    - {kind: bumped}\n")
    assert (err.line, err.message) == (3, f"review.skip[0].kind must be one of {ALL_KINDS}; found 'bumped'")


def test_bad_skip_key() -> None:
    err = error("review:\n  skip:\n    - scope: dev\n      level: patch\n")
    assert (err.line, err.message) == (4, "unknown key 'level' in review.skip[0]; valid keys: scope, bump, kind, package, direct")


def test_bad_skip_direct_and_package() -> None:
    err = error("review:\n  skip:\n    - {direct: 'no'}\n")
    assert (err.line, err.message) == (3, "review.skip[0].direct must be true or false")
    err = error("review:\n  skip:\n    - {package: 'nosuch:serde'}\n")
    assert (err.line, err.message) == (
        3, "review.skip[0].package: unknown ecosystem 'nosuch' in 'nosuch:serde'; valid: " + ", ".join(ECOSYSTEMS),
    )


def test_skip_must_be_a_list() -> None:
    err = error("review:\n  skip: {scope: dev}\n")
    assert (err.line, err.message) == (2, "review.skip must be a list of {scope, bump, kind, package, direct} entries")


def test_reviewers_drop_the_at_of_users_and_keep_teams() -> None:
    policy = load("review:\n  reviewers: [alice, '@bob', '@acme/security']\n")
    assert policy.review.reviewers == ("alice", "bob", "@acme/security")


# --- exceptions ------------------------------------------------------------------------------------------------


def test_exception_fields() -> None:
    policy = load(
        "exceptions:\n"
        "  - {rule: exact-pinning, package: 'pypi:legacy', reason: migrating, expires: 2027-01-31}\n"
        "  - rule: '*'\n"
        "    package: 'npm:@acme/*'\n"
        "    reason: our own scope\n"
        "    expires: '2026-12-01'\n"
        "  - {rule: deny, package: 'pypi:x@1.0', reason: r, expires: 2026-06-30T12:00:00Z}\n"
    )
    first, second, third = policy.exceptions
    assert (first.rule, first.package.text, first.reason, first.expires) == (
        "exact-pinning", "pypi:legacy", "migrating", dt.date(2027, 1, 31),
    )
    assert (first.path, first.line, first.origin) == (POLICY, 2, f"{POLICY}:2")
    assert (second.rule, second.package.name, second.expires, second.line) == ("*", "@acme/*", dt.date(2026, 12, 1), 3)
    assert (third.expires, third.package.version, third.line) == (dt.date(2026, 6, 30), "1.0", 7)
    assert type(third.expires) is dt.date


@pytest.mark.parametrize("missing", ["rule", "package", "reason", "expires"])
def test_exception_missing_a_field(missing: str) -> None:
    fields = {"rule": "deny", "package": "'pypi:x'", "reason": "r", "expires": "2027-01-31"}
    del fields[missing]
    entry = ", ".join(f"{key}: {value}" for key, value in fields.items())
    err = error("exceptions:\n  - {rule: deny, package: 'pypi:y', reason: r, expires: 2027-01-31}\n  - {" + entry + "}\n")
    assert err.line == 3
    assert err.message == (
        "exceptions[1] needs `package` or `advisory` (what the exception waives)" if missing == "package" else
        f"exceptions[1] needs `{missing}` (every exception names a rule, a package or an advisory, a reason and an expiry date)"
    )


def test_exception_missing_expires_line() -> None:
    err = error("rules: {}\nexceptions:\n  - rule: deny\n    package: pypi:x\n    reason: r\n")
    assert (err.line, err.message) == (
        3, "exceptions[0] needs `expires` (every exception names a rule, a package or an advisory, a reason and an expiry date)",
    )


def test_exception_missing_reason_line() -> None:
    err = error("exceptions:\n  - {rule: deny, package: 'pypi:x', expires: 2027-01-31}\n")
    assert (err.line, err.message) == (
        2, "exceptions[0] needs `reason` (every exception names a rule, a package or an advisory, a reason and an expiry date)",
    )


@pytest.mark.parametrize("expires", ["soon", "'2027-02-30'", "20270131", "'31.01.2027'", "[2027-01-31]"])
def test_exception_bad_date(expires: str) -> None:
    err = error(f"exceptions:\n  - rule: deny\n    package: pypi:x\n    reason: r\n    expires: {expires}\n")
    assert (err.line, err.message) == (5, "exceptions[0].expires must be a date such as 2027-01-31")


def test_exception_impossible_unquoted_date_is_an_error_with_a_line() -> None:
    err = error("exceptions:\n  - rule: deny\n    package: pypi:x\n    reason: r\n    expires: 2027-13-01\n")
    assert (err.path, err.line) == (POLICY, 5)
    assert err.message == "not valid YAML: 2027-13-01 is not a valid date (month must be in 1..12)"


def test_exception_unknown_rule() -> None:
    err = error("exceptions:\n  - {rule: release-speed, package: 'pypi:x', reason: r, expires: 2027-01-31}\n")
    assert (err.line, err.message) == (2, f"exceptions[0].rule: unknown rule 'release-speed'; valid rules: {RULE_IDS}")


def test_exception_unknown_key() -> None:
    err = error("exceptions:\n  - rule: deny\n    package: pypi:x\n    reason: r\n    expires: 2027-01-31\n    owner: me\n")
    assert (err.line, err.message) == (6, "unknown key 'owner' in exceptions[0]; valid keys: rule, package, advisory, reason, expires")


def test_exceptions_must_be_a_list() -> None:
    err = error("\nexceptions: {rule: deny}\n")
    assert (err.line, err.message) == (2, "exceptions must be a list of {rule, package or advisory, reason, expires} entries")


# --- shorthand and merging across extends -----------------------------------------------------------------------


def test_rule_shorthand_sets_the_level_only() -> None:
    policy = load("extends: default\nrules:\n  hash-pinning: warn\n  exact-pinning: 'off'\n")
    assert level(policy, "hash-pinning") == "warn"
    assert option(policy, "hash-pinning", "files-without-hashes") == "warn"
    assert level(policy, "exact-pinning") == "off"


def test_options_merge_across_extends() -> None:
    files = {
        ".github/base.yml": (
            "extends: strict\n"
            "rules:\n"
            "  hash-pinning: {algorithms: [sha512]}\n"
            "  registry-source: {hosts: [pypi.example.com], allow-git: ['pypi:our-fork']}\n"
        )
    }
    policy = load("extends: base.yml\nrules:\n  hash-pinning: warn\n  registry-source: {hosts: [pypi.org]}\n", files)
    assert level(policy, "hash-pinning") == "warn"
    assert option(policy, "hash-pinning", "algorithms") == ("sha512",)
    assert option(policy, "hash-pinning", "files-without-hashes") == "block"  # from strict
    assert option(policy, "registry-source", "hosts") == ("pypi.org",)  # a list option is replaced, not merged
    assert option(policy, "registry-source", "allow-git") == (PackagePattern("pypi", "our-fork", None, "pypi:our-fork"),)
    assert option(policy, "registry-source", "allow-path") == ()  # from strict


def test_paths_exceptions_and_review_merge_across_extends() -> None:
    files = {
        ".github/base.yml": (
            "paths: {ignore: ['docs/**']}\n"
            "review: {reviewers: [alice], label: reviewed}\n"
            "exceptions:\n"
            "  - {rule: deny, package: 'pypi:a', reason: base, expires: 2027-01-31}\n"
        )
    }
    policy = load(
        "extends: base.yml\n"
        "paths: {ignore: ['examples/**']}\n"
        "review: {label: deps-ok}\n"
        "exceptions:\n"
        "  - {rule: deny, package: 'pypi:b', reason: head, expires: 2027-01-31}\n",
        files,
    )
    assert policy.ignore == ("docs/**", "examples/**")
    assert policy.review.reviewers == ("alice",)
    assert policy.review.label == "deps-ok"
    assert [(e.reason, e.path, e.line) for e in policy.exceptions] == [
        ("base", ".github/base.yml", 4), ("head", POLICY, 5),
    ]


# --- the starter policy ----------------------------------------------------------------------------------------


def test_starter_policy_loads() -> None:
    policy = load(STARTER)
    assert policy.chain == ("preset:default", POLICY)
    assert policy.on_unknown == "warn"
    assert policy.ignore == ()
    assert {rule: setting.level for rule, setting in policy.rules.items()} == {
        "unreadable-manifest": "block",
        "hash-pinning": "block", "exact-pinning": "block", "registry-source": "block", "registry-config": "block", "deny": "block",
        "review": "block", "policy-change": "block", "exception-expired": "warn",
        "action-pinning": "block", "pin-comment": "block", "image-pinning": "block", "hook-pinning": "block", "install-command": "block",
        "install-scripts": "block",
        "version-exists": "block", "release-age": "block", "hash-mismatch": "block", "provenance": "block",
        "provenance-downgrade": "block", "publisher-change": "warn", "license": "off", "scorecard": "off",
        "artifact-content": "block", "source-tag": "block",
        "vulnerability": "block", "malicious": "block",
    }
    assert option(policy, "registry-source", "hosts") == ("pypi.org", "files.pythonhosted.org", "registry.npmjs.org")
    assert option(policy, "registry-source", "allow-path") == (PackagePattern("*", "*", None, "*"),)
    assert option(policy, "deny", "known-bad") is True
    assert policy.review.skip == (SkipEntry(scope="dev", bump="patch"),)
    assert policy.review.label == "dependencies-reviewed"
    assert policy.review.ledger == ".github/lockgate-reviews.yml"
    assert policy.exceptions == ()


def test_write_starter(tmp_path: Path) -> None:
    target = tmp_path / ".github" / "lockgate.yml"
    assert write_starter(str(target)) == str(target)
    assert target.read_text(encoding="utf-8") == STARTER
    with pytest.raises(UsageError) as caught:
        write_starter(str(target))
    assert caught.value.message == f"{target} exists already; pass --force to overwrite it"
    target.write_text("changed\n", encoding="utf-8")
    write_starter(str(target), force=True)
    assert target.read_text(encoding="utf-8") == STARTER


def test_load_policy_file_reads_extends_from_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("conf").mkdir()
    Path("conf/base.yml").write_text("extends: strict\n", encoding="utf-8")
    Path("conf/lockgate.yml").write_text("extends: base.yml\non-unknown: warn\n", encoding="utf-8")
    policy = load_policy_file("conf/lockgate.yml")
    assert policy.chain == ("preset:default", "preset:strict", "conf/base.yml", "conf/lockgate.yml")
    assert policy.on_unknown == "warn"


def test_load_policy_file_errors(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.yml")
    with pytest.raises(PolicyError) as caught:
        load_policy_file(missing)
    assert (caught.value.path, caught.value.line, caught.value.message) == (missing, None, "policy file does not exist")
    binary = tmp_path / "bin.yml"
    binary.write_bytes(b"\xff\xfe\x00rules")
    with pytest.raises(PolicyError) as caught:
        load_policy_file(str(binary))
    assert caught.value.message == "policy file is not UTF-8 text"


# --- the known-bad list ----------------------------------------------------------------------------------------


def test_known_bad_entries_parse() -> None:
    entries = known_bad()
    assert len(entries) == 66
    assert all(isinstance(entry, DenyEntry) for entry in entries)
    assert all(entry.reason for entry in entries)
    assert all(entry.pattern.version is not None for entry in entries)  # releases, never whole packages
    assert {entry.pattern.ecosystem for entry in entries} == {"pypi", "npm"}
    assert known_bad() is entries  # read once


def test_known_bad_includes_the_litellm_releases() -> None:
    litellm = [entry for entry in known_bad() if entry.pattern.name == "litellm"]
    assert [(e.pattern.ecosystem, e.pattern.version) for e in litellm] == [("pypi", "1.82.7"), ("pypi", "1.82.8")]
    assert litellm[1].reason is not None and "litellm_init.pth" in litellm[1].reason
    assert any(e.pattern.matches("pypi", "litellm", "1.82.8") for e in known_bad())
    assert not any(e.pattern.matches("pypi", "litellm", "1.82.6") for e in known_bad())


def test_known_bad_includes_scoped_npm_releases() -> None:
    assert any(e.pattern.matches("npm", "@ctrl/tinycolor", "4.1.1") for e in known_bad())
    assert any(e.pattern.matches("npm", "chalk", "5.6.1") for e in known_bad())
    assert not any(e.pattern.matches("npm", "chalk", "5.6.0") for e in known_bad())


# --- the JSON Schema -------------------------------------------------------------------------------------------


def schema_errors(policy_text: str) -> list[str]:
    """Errors of a policy document against policy_schema(), by jsonschema (a test dependency)."""
    import jsonschema

    document = json.loads(json.dumps(_yaml_load(policy_text, "policy"), default=lambda v: v.isoformat()))
    validator = jsonschema.Draft202012Validator(policy_schema(), format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(document)]


@pytest.mark.parametrize("name", ["default", "strict"])
def test_schema_accepts_the_presets(name: str) -> None:
    assert schema_errors(preset_text(name)) == []


def test_schema_accepts_the_starter() -> None:
    assert schema_errors(STARTER) == []


def test_schema_accepts_a_full_policy() -> None:
    text = (
        "extends: ./base.yml\n"
        "on-unknown: block\n"
        "paths: {ignore: ['docs/**']}\n"
        "rules:\n"
        "  hash-pinning: warn\n"
        "  deny: {level: block, packages: ['pypi:x', {package: 'pypi:y@<2', reason: r, url: 'https://e.org'}]}\n"
        "review:\n"
        "  skip: [{scope: dev, bump: patch, kind: upgraded, package: 'npm:@types/*', direct: false}]\n"
        "  reviewers: [alice, '@acme/security']\n"
        "  allow-stale-approvals: true\n"
        "exceptions:\n"
        "  - {rule: deny, package: 'pypi:x', reason: r, expires: 2027-01-31}\n"
    )
    load(text, {".github/base.yml": ""})  # the loader agrees
    assert schema_errors(text) == []


def test_schema_rejects_what_the_loader_rejects() -> None:
    assert schema_errors("rulez: {}\n") != []
    assert schema_errors("rules: {deny: loud}\n") != []
    assert schema_errors("rules: {deny: {known-bad: 'yes'}}\n") != []
    assert schema_errors("review: {required-for: [bumped]}\n") != []
    assert schema_errors("exceptions: [{rule: deny, package: 'pypi:x', reason: r}]\n") != []
    assert schema_errors("exceptions: [{rule: deny, package: 'nosuch:x', reason: r, expires: 2027-01-31}]\n") != []


def test_schema_describes_every_rule_and_option() -> None:
    schema = policy_schema()
    rules = schema["properties"]["rules"]["properties"]
    assert list(rules) == list(all_rules())
    for rule_id, rule in all_rules().items():
        levels, settings, empty = rules[rule_id]["oneOf"]  # `rule: block`, `rule: {level: ...}`, `rule:`
        assert levels == {"enum": list(LEVELS)} and empty == {"type": "null"}
        assert list(settings["properties"]) == ["level"] + [o.name for o in rule.options]
    one, many = schema["properties"]["review"]["properties"]["required-for"]["anyOf"]
    assert one == {"enum": list(CHANGE_KINDS)} and many == {"type": "array", "items": one}
    assert list(schema["properties"]) == ["extends", "on-unknown", "paths", "rules", "review", "hook", "exceptions",
                                        "registries"]


# --- errors inside block mappings name the line of the offending field ----------------------------------------


def test_exception_field_errors_name_the_field_line() -> None:
    err = error("exceptions:\n  - rule: deny\n    reason: r\n    package: nosuch:serde\n    expires: 2027-01-31\n")
    assert (err.line, err.message) == (
        4, "exceptions[0].package: unknown ecosystem 'nosuch' in 'nosuch:serde'; valid: " + ", ".join(ECOSYSTEMS),
    )
    err = error("exceptions:\n  - package: pypi:x\n    reason: r\n    expires: 2027-01-31\n    rule: nope\n")
    assert (err.line, err.message) == (5, f"exceptions[0].rule: unknown rule 'nope'; valid rules: {RULE_IDS}")
    err = error("exceptions:\n  - rule: deny\n    package: pypi:x\n    expires: 2027-01-31\n    reason: ''\n")
    assert (err.line, err.message) == (5, "exceptions[0].reason must be a non-empty string; found ''")


def test_skip_field_errors_name_the_field_line() -> None:
    err = error("review:\n  skip:\n    - scope: dev\n      bump: tiny\n")
    assert (err.line, err.message) == (4, "review.skip[0].bump must be one of major, minor, patch, other; found 'tiny'")
    err = error("review:\n  skip:\n    - scope: dev\n      direct: 1\n")
    assert (err.line, err.message) == (4, "review.skip[0].direct must be true or false")


def test_deny_entry_field_errors_name_the_field_line() -> None:
    err = error("rules:\n  deny:\n    packages:\n      - package: pypi:x\n        reason: ''\n")
    assert (err.line, err.message) == (5, "rules.deny.packages[0].reason must be a non-empty string; found ''")
    err = error("rules:\n  deny:\n    packages:\n      - reason: r\n        package: 'pypi:x@>=1,<<2'\n")
    assert err.line == 5


def test_shipped_files_read_the_same_through_json_and_yaml() -> None:
    import os

    from checker.policy.load import _yaml_load, load_shipped_yaml, presets_dir

    for name in sorted(os.listdir(presets_dir())):
        if not name.endswith(".yml"):
            continue
        with open(os.path.join(presets_dir(), name), encoding="utf-8") as handle:
            text = handle.read()
        assert load_shipped_yaml(text, name) == _yaml_load(text, name), name
