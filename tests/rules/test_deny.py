"""deny on hand-built subjects: exact versions, ranges, every version, scoped npm names, the first matching entry;
the known-bad list through the engine; and the deny index built from a policy."""

from __future__ import annotations

import datetime as dt

from checker.judge.engine import judge
from checker.model import Change, Dependency
from checker.policy.load import DenyEntry, load_policy
from checker.policy.patterns import PackagePattern
from checker.rules import all_rules, deny
from checker.rules.base import Issue, Subject
from tests.rules.npm_lockfiles import entry, lock
from tests.rules.subjects import SHA256, dep, manifest


def deny_issues(target: Dependency, *entries: DenyEntry) -> list[Issue]:
    return list(deny.check(Subject(target, manifest(target)), {"known-bad": False, "packages": entries}))


def denied(text: str, reason: str | None = None, url: str | None = None) -> DenyEntry:
    return DenyEntry(PackagePattern.parse(text), reason, url)


# --- deny ------------------------------------------------------------------------------------------------------


def test_deny_an_exact_version() -> None:
    entry = denied("pypi:evil@1.0", "stole tokens")
    [issue] = deny_issues(dep("evil", "1.0"), entry)
    assert issue == Issue("evil 1.0 is on the policy's deny list (stole tokens)", hint="move off this version")
    assert deny_issues(dep("evil", "1.0.1"), entry) == []
    assert deny_issues(dep("evil", "1.0.0"), entry) != []  # the same version, written longer


def test_deny_hint_links_the_write_up() -> None:
    [issue] = deny_issues(dep("evil", "1.0"), denied("pypi:evil@1.0", url="https://example.com/advisory"))
    assert issue == Issue(
        "evil 1.0 is on the policy's deny list", hint="move off this version (see https://example.com/advisory)"
    )


def test_deny_a_range() -> None:
    entry = denied("pypi:requests@<2.31", "CVE-2023-32681")
    [issue] = deny_issues(dep("requests", "2.30.0"), entry)
    assert issue.message == "requests 2.30.0 is on the policy's deny list (pypi:requests@<2.31: CVE-2023-32681)"
    assert deny_issues(dep("requests", "2.31.0"), entry) == []
    assert deny_issues(dep("requests", None, specifier=">=2"), entry) == []  # no exact version: not this range


def test_deny_every_version() -> None:
    entry = denied("pypi:Evil_Pkg")
    [issue] = deny_issues(dep("evil-pkg", None, specifier=">=1"), entry)
    assert issue.message == "evil-pkg >=1 is on the policy's deny list (pypi:Evil_Pkg)"


def test_deny_scoped_npm_names() -> None:
    entry = denied("npm:@ctrl/tinycolor@4.1.1", "Shai-Hulud worm")
    scoped = dep("@ctrl/tinycolor", "4.1.1", ecosystem="npm", manifest="package-lock.json")
    [issue] = deny_issues(scoped, entry)
    assert issue.message == "@ctrl/tinycolor 4.1.1 is on the policy's deny list (Shai-Hulud worm)"
    assert deny_issues(dep("tinycolor", "4.1.1", ecosystem="npm"), entry) == []
    assert deny_issues(dep("@ctrl/tinycolor", "4.1.0", ecosystem="npm"), entry) == []
    assert deny_issues(dep("@ctrl/tinycolor", "4.1.1"), entry) == []  # pypi, not npm
    assert len(deny_issues(scoped, denied("npm:@ctrl/*"))) == 1


def test_deny_reports_the_first_matching_entry_only() -> None:
    issues = deny_issues(dep("evil", "1.0"), denied("pypi:evil", "first"), denied("pypi:evil@1.0", "second"))
    assert [issue.message for issue in issues] == ["evil 1.0 is on the policy's deny list (pypi:evil: first)"]


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
    assert message.startswith("litellm 1.82.8 is a known-malicious release (published with a PyPI token")
    [(rule, level, message)] = judge_upgrade("1.82.7", None)
    assert message.startswith("litellm 1.82.7 is a known-malicious release (")
    assert judge_upgrade("1.82.9", None) == []


def test_the_fix_stays_on_the_version_the_change_moves_from_unless_it_is_denied_too() -> None:
    from checker.judge.engine import judge as run_judge

    def hint(before: str, after: str) -> str | None:
        change = Change("upgraded", dep("litellm", before, hashes=(SHA256,)), dep("litellm", after, hashes=(SHA256,)), "patch")
        policy = load_policy(None, "policy.yml", lambda path: None)
        found = run_judge([change], [manifest(change.before)], [manifest(change.after)], policy,
                          today=dt.date(2026, 4, 1), pull_request_evidence="approved by alice").findings
        return next(f.hint for f in found if f.rule == "deny")

    assert hint("1.82.6", "1.82.8") == "stay on 1.82.6"
    assert hint("1.82.7", "1.82.8") == "move off this version"  # 1.82.7 is denied too


def test_known_bad_off_and_own_entries() -> None:
    assert judge_upgrade("1.82.8", "extends: default\nrules:\n  deny: {known-bad: false}\n") == []
    own = "extends: default\nrules:\n  deny: {known-bad: false, packages: [{package: 'pypi:litellm@>=1.82.7,<1.83', reason: pause}]}\n"
    assert judge_upgrade("1.82.9", own) == [
        ("deny", "block", "litellm 1.82.9 is on the policy's deny list (pypi:litellm@>=1.82.7,<1.83: pause)"),
    ]
    assert judge_upgrade("1.82.8", "extends: default\nrules:\n  deny: warn\n")[0][:2] == ("deny", "warn")


# --- deny: the index a policy builds (npm lockfiles) -------------------------------------------------------------


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

    assert denied("@evil/thing", "1.0.0") == ["@evil/thing 1.0.0 is on the policy's deny list (npm:@evil/*: glob)"]
    # the policy's own entry comes before the shipped one for the same release
    assert denied("chalk", "5.6.1") == ["chalk 5.6.1 is on the policy's deny list (*:chalk@5.6.1: any-ecosystem)"]
    assert denied("left-pad", "1.3.0") == ["left-pad 1.3.0 is on the policy's deny list (npm:left-pad@>=1.3.0: range)"]
    assert denied("debug", "4.4.2") == [
        "debug 4.4.2 is a known-malicious release (chalk/debug compromise, September 2025: crypto-wallet stealer)"
    ]
    assert denied("debug", "4.4.1") == [] and denied("unrelated", "1.0.0") == []


def test_deny_maven_coordinates_case_sensitive_with_maven_ranges() -> None:
    entry = denied("maven:org.apache.logging.log4j:log4j-core@[2.0-beta9,2.17.1)", "Log4Shell")
    log4j = dep("org.apache.logging.log4j:log4j-core", "2.14.1", ecosystem="maven", specifier="2.14.1")
    assert [i.message for i in deny_issues(log4j, entry)] == [
        "org.apache.logging.log4j:log4j-core 2.14.1 is on the policy's deny list "
        "(maven:org.apache.logging.log4j:log4j-core@[2.0-beta9,2.17.1): Log4Shell)"]
    assert deny_issues(log4j._replace(version="2.17.1"), entry) == []
    assert deny_issues(log4j._replace(version="2.17.1-rc1"), entry) != []  # Maven: rc1 comes before 2.17.1
    assert deny_issues(log4j._replace(version="2.0-beta9"), entry) != []
    assert deny_issues(log4j._replace(name="Org.Apache.Logging.Log4j:log4j-core"), entry) == []  # case-sensitive
    glob = denied("maven:com.evil.*")
    assert deny_issues(dep("com.evil.tools:payload", "1", ecosystem="maven"), glob) != []
