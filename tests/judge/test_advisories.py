"""The advisory rules in the engine: findings carry their advisory, exceptions by advisory id or alias (with
expiry), malicious waived only by an exception naming its advisory, and the facts of the version moved off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from checker.judge.engine import judge
from checker.model import Change, Dependency, Facts, Manifest
from checker.policy.load import PolicyError, load_policy
from tests.rules.advisories import MALWARE, PROXY_LEAK, PROXY_LEAK_PYSEC, SESSION_VERIFY

TODAY = dt.date(2026, 4, 1)


def dep(name: str, version: str) -> Dependency:
    return Dependency("pypi", name, version, f"=={version}", manifest="requirements.txt", line=2)


def run(exceptions: str = "", name: str = "requests", before: str = "2.30.0", after: str = "2.31.0",
        advisories: Any = (SESSION_VERIFY, PROXY_LEAK_PYSEC), before_advisories: Any = None,
        rules: str = "") -> list[tuple[str, str, str | None, bool]]:
    text = ("extends: default\nreview: {required-for: []}\nrules:\n  hash-pinning: off\n  deny: off\n"
            "  vulnerability: {level: block, severity: moderate}\n  malicious: block\n" + rules + exceptions)
    policy = load_policy(text, ".github/lockgate.yml", lambda p: None)
    change = Change("upgraded", dep(name, before), dep(name, after), "minor")
    facts = {("pypi", name, after): Facts("pypi", name, after, exists=True, vulnerabilities=advisories)}
    if before_advisories is not None:
        facts[("pypi", name, before)] = Facts("pypi", name, before, exists=True, vulnerabilities=before_advisories)
    judged = judge([change], [], [Manifest("requirements.txt", "requirements", "pypi", (change.after,))], policy,
                   today=TODAY, facts=facts)
    return [(f.rule, f.level, f.advisory and f.advisory.id, f.excepted_by is not None) for f in judged.findings
            if f.rule in ("vulnerability", "malicious", "exception-expired")]


def exception(rule: str, expires: str = "2027-01-31", **keys: str) -> str:
    extra = "".join(f", {key}: {value}" for key, value in keys.items())
    return f"exceptions:\n  - {{rule: {rule}{extra}, reason: \"not reachable\", expires: {expires}}}\n"


def test_each_advisory_is_its_own_finding_and_carries_its_record() -> None:
    assert run() == [("vulnerability", "block", "GHSA-9wx4-h78v-vm56", False),
                     ("vulnerability", "block", "PYSEC-2023-74", False)]


@pytest.mark.parametrize("name", ["GHSA-9wx4-h78v-vm56", "ghsa-9wx4-h78v-vm56", "CVE-2024-35195", "cve-2024-35195"])
def test_an_exception_by_id_or_alias_waives_that_advisory_only(name: str) -> None:
    assert run(exception("vulnerability", advisory=name)) == [
        ("vulnerability", "block", "GHSA-9wx4-h78v-vm56", True), ("vulnerability", "block", "PYSEC-2023-74", False)]


def test_an_alias_the_merged_record_got_from_another_database_waives_too() -> None:
    found = run(exception("vulnerability", advisory="GHSA-j8r2-6x86-q33q"),
                advisories=(PROXY_LEAK_PYSEC._replace(aliases=("CVE-2023-32681",)), PROXY_LEAK))
    assert found == [("vulnerability", "block", "GHSA-j8r2-6x86-q33q", True)]


def test_an_exception_naming_another_advisory_waives_nothing() -> None:
    assert [waived for *_, waived in run(exception("vulnerability", advisory="CVE-2024-3519"))] == [False, False]


def test_package_and_advisory_both_narrow() -> None:
    assert [w for *_, w in run(exception("vulnerability", advisory="CVE-2024-35195", package='"pypi:urllib3"'))] == \
        [False, False]
    assert [w for *_, w in run(exception("vulnerability", advisory="CVE-2024-35195", package='"pypi:requests"'))] == \
        [True, False]


def test_a_package_exception_still_waives_every_vulnerability_of_it() -> None:
    assert [w for *_, w in run(exception("vulnerability", package='"pypi:requests"'))] == [True, True]


def test_an_expired_advisory_exception_stops_waiving_and_is_reported() -> None:
    found = run(exception("vulnerability", expires="2026-03-01", advisory="CVE-2024-35195"))
    assert ("exception-expired", "warn", None, False) in found
    assert ("vulnerability", "block", "GHSA-9wx4-h78v-vm56", False) in found


def test_the_expired_message_names_the_advisory() -> None:
    text = ("extends: default\n" + exception("vulnerability", expires="2026-03-01", advisory="CVE-2024-35195"))
    policy = load_policy(text, ".github/lockgate.yml", lambda p: None)
    [finding] = judge([], [], [], policy, today=TODAY).findings
    assert "exception for vulnerability on CVE-2024-35195 expired on 2026-03-01" in finding.message


def test_malicious_is_not_waived_by_a_package_or_a_wildcard_exception() -> None:
    args = dict(name="litellm", before="1.82.6", after="1.82.7", advisories=(MALWARE,))
    with pytest.raises(PolicyError, match="must name the advisory"):
        run(exception("malicious", package='"pypi:litellm"'), **args)
    assert run(exception('"*"', package='"pypi:litellm"'), **args) == [("malicious", "block", "MAL-2026-2144", False)]
    # rule "*" naming the advisory is still not an exception for malicious
    with pytest.raises(PolicyError, match="only findings of vulnerability and malicious"):
        run(exception('"*"', advisory="MAL-2026-2144"), **args)
    assert run(exception("vulnerability", advisory="MAL-2026-2144"), **args) == [
        ("malicious", "block", "MAL-2026-2144", False)]


def test_malicious_is_waived_by_an_exception_naming_its_advisory() -> None:
    args = dict(name="litellm", before="1.82.6", after="1.82.7", advisories=(MALWARE,))
    assert run(exception("malicious", advisory="PYSEC-2026-2"), **args) == [
        ("malicious", "block", "MAL-2026-2144", True)]


@pytest.mark.parametrize("entry, message", [
    ("{rule: vulnerability, reason: r, expires: 2027-01-01}", "needs `package` or `advisory`"),
    ("{rule: release-age, advisory: CVE-2024-35195, reason: r, expires: 2027-01-01}", "only findings of"),
    ("{rule: vulnerability, advisory: 2024-35195, reason: r, expires: 2027-01-01}", "must be one advisory id"),
    ("{rule: vulnerability, advisory: \"CVE-2024-1, CVE-2024-2\", reason: r, expires: 2027-01-01}",
     "must be one advisory id"),
    ("{rule: vulnerability, advisory: [CVE-2024-1], reason: r, expires: 2027-01-01}", "non-empty string"),
])
def test_bad_advisory_exceptions_are_errors(entry: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        load_policy(f"exceptions:\n  - {entry}\n", ".github/lockgate.yml", lambda p: None)


def test_the_facts_of_the_version_moved_off_give_the_fix_line() -> None:
    text = "extends: default\nreview: {required-for: []}\nrules:\n  hash-pinning: off\n  vulnerability: block\n"
    policy = load_policy(text, ".github/lockgate.yml", lambda p: None)
    change = Change("upgraded", dep("requests", "2.30.0"), dep("requests", "2.32.3"), "minor")
    facts = {("pypi", "requests", v): Facts("pypi", "requests", v, exists=True, vulnerabilities=a)
             for v, a in (("2.30.0", (PROXY_LEAK, SESSION_VERIFY)), ("2.32.3", ()))}
    findings = judge([change], [], [Manifest("requirements.txt", "requirements", "pypi", (change.after,))], policy,
                     today=TODAY, facts=facts).findings
    [fixed] = [f for f in findings if f.rule == "vulnerability"]
    assert fixed.level == "info" and "2.30.0 -> 2.32.3 fixes GHSA-j8r2-6x86-q33q" in fixed.message


def test_check_all_reports_every_vulnerable_version_and_no_fix_lines() -> None:
    text = "extends: default\nrules:\n  hash-pinning: off\n  vulnerability: block\n  malicious: block\n"
    policy = load_policy(text, ".github/lockgate.yml", lambda p: None)
    deps = (dep("requests", "2.31.0"), dep("litellm", "1.82.7"), dep("idna", "3.10"))
    facts = {("pypi", "requests", "2.31.0"): Facts("pypi", "requests", "2.31.0", exists=True,
                                                   vulnerabilities=(SESSION_VERIFY,)),
             ("pypi", "litellm", "1.82.7"): Facts("pypi", "litellm", "1.82.7", exists=True, vulnerabilities=(MALWARE,)),
             ("pypi", "idna", "3.10"): Facts("pypi", "idna", "3.10", exists=True, vulnerabilities=())}
    findings = judge([], [], [Manifest("requirements.txt", "requirements", "pypi", deps)], policy, today=TODAY,
                     facts=facts, judge_all=True).findings
    assert sorted((f.rule, f.level, f.advisory and f.advisory.id) for f in findings
                  if f.rule in ("vulnerability", "malicious")) == [
        ("malicious", "block", "MAL-2026-2144"), ("vulnerability", "warn", "GHSA-9wx4-h78v-vm56")]
