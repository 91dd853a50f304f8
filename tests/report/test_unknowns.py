"""Unknown findings fold into one line per run, level and cause (checker/report/unknowns.py)."""

from __future__ import annotations

from checker.model import Dependency, Finding
from checker.report.unknowns import cause_of, fold_unknowns, package_words


def dep(name: str) -> Dependency:
    return Dependency("npm", name, "1.0.0", "package-lock.json")


def unknown(rule: str, name: str, cause: str, level: str = "warn", hint: str = "run where the registry can be reached") -> Finding:
    return Finding(rule, level, f"could not check {name}", dep(name), None, "package-lock.json", 3, hint,
                   unknown=True, cause=cause)


def test_the_unknowns_of_one_cause_are_one_group_whatever_the_url_of_each_package() -> None:
    findings = [unknown(rule, name, f"offline, not cached: https://registry.npmjs.org/{name}")
                for name in ("a", "b", "c", "d") for rule in ("release-age", "version-exists")]
    groups = fold_unknowns(findings)
    assert len(groups) == 1
    group = groups[0]
    assert group.cause == "offline, not cached: registry.npmjs.org"
    assert group.rules == ("release-age", "version-exists") and group.checks == 8
    assert group.packages == ("a", "b", "c", "d")
    assert group.words() == ("offline, not cached: registry.npmjs.org: 8 checks (release-age, version-exists) could "
                             "not be made for 4 packages (a, b, c, …)")


def test_levels_and_causes_stay_apart_blocking_first() -> None:
    findings = [unknown("release-age", "a", "HTTP 503 from https://pypi.org/simple/a/ (gave up after 3 tries)"),
                unknown("vulnerability", "a", "offline: OSV was not asked", level="block"),
                unknown("release-age", "b", "HTTP 503 from https://pypi.org/simple/b/ (gave up after 3 tries)")]
    groups = fold_unknowns(findings)
    assert [(g.level, g.cause, g.checks) for g in groups] == [
        ("block", "offline: OSV was not asked", 1),
        ("warn", "HTTP 503 from pypi.org (gave up after 3 tries)", 2),
    ]


def test_known_and_waived_findings_are_not_folded() -> None:
    known = Finding("deny", "block", "denied", dep("a"), None, "package-lock.json", 3)
    waived = unknown("release-age", "b", "offline")._replace(excepted_by="we publish it")
    assert fold_unknowns([known, waived]) == []


def test_a_finding_without_a_cause_still_folds_and_says_so() -> None:
    finding = unknown("scorecard", "a", "")
    assert cause_of(finding) == "the facts it needs were not available"


def test_package_words() -> None:
    assert package_words(("a",)) == "a"
    assert package_words(("a", "b")) == "a and b"
    assert package_words(tuple(f"p{i}" for i in range(1012))) == "1,012 packages (p0, p1, p2, …)"


def test_the_url_pattern_is_linear_on_a_long_line() -> None:
    finding = unknown("release-age", "a", "x://" + "a" * 200_000 + " " + "b:" * 100_000)
    assert cause_of(finding).startswith("a" * 10)
