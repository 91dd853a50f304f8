"""malicious: a version an advisory reports as malware blocks on every change that keeps it, whatever its severity."""

from __future__ import annotations

from typing import Any

import pytest

from checker.model import UNKNOWN, Advisory, Change, Dependency, Facts, Manifest
from checker.rules.base import Issue, Subject
from checker.rules.malicious import RULE, check
from tests.rules.advisories import MALWARE, SESSION_VERIFY

MANIFEST = Manifest("requirements.txt", "requirements", "pypi", ())


def dep(version: str) -> Dependency:
    return Dependency("pypi", "litellm", version, f"=={version}", manifest="requirements.txt", line=1)


def judge(kind: str | None, before: str | None, after: str, advisories: Any) -> list[Issue]:
    change = None if kind is None else Change(kind, dep(before) if before else None, dep(after))
    subject = Subject(dep(after), MANIFEST, change, Facts("pypi", "litellm", after, exists=True,
                                                          vulnerabilities=advisories))
    return list(check(subject, RULE.defaults()))


def test_a_malicious_version_blocks_with_the_advisory_and_what_to_do() -> None:
    [issue] = judge("upgraded", "1.82.6", "1.82.7", (MALWARE,))
    assert issue.message == ("litellm 1.82.7 is malware according to MAL-2026-2144 (PYSEC-2026-2): Malicious "
                             "code in litellm (PyPI)")
    assert issue.level is None and not issue.unknown and issue.advisory == MALWARE
    assert issue.hint is not None and "rotate the secrets" in issue.hint and ".pth" in issue.hint
    assert issue.hint.endswith("(see https://osv.dev/vulnerability/MAL-2026-2144)")


@pytest.mark.parametrize("severity", ["low", "moderate", UNKNOWN])
def test_severity_does_not_lower_it(severity: Any) -> None:
    [issue] = judge("added", None, "1.82.7", (MALWARE._replace(severity=severity),))
    assert issue.level is None


@pytest.mark.parametrize("kind", ["added", "upgraded", "downgraded", "source-changed", "hashes-changed",
                                  "scope-changed", "artifacts-added", "integrity-upgraded"])
def test_every_change_that_keeps_the_version_is_judged(kind: str) -> None:
    before = None if kind == "added" else "1.82.6" if kind in ("upgraded", "downgraded") else "1.82.7"
    assert len(judge(kind, before, "1.82.7", (MALWARE,))) == 1


def test_check_all_judges_every_version() -> None:
    assert len(judge(None, None, "1.82.7", (MALWARE,))) == 1


def test_a_malware_ghsa_and_its_mal_record_are_one_finding() -> None:
    ghsa = Advisory("PYSEC-2026-2", ("MAL-2026-2144",), "Malware in litellm", "critical", malicious=True)
    [issue] = judge("added", None, "1.82.7", (MALWARE, ghsa))
    assert issue.advisory is not None and issue.advisory.id == "PYSEC-2026-2"


def test_vulnerabilities_are_not_its_business() -> None:
    assert judge("added", None, "1.82.7", (SESSION_VERIFY,)) == []
    assert judge("added", None, "1.82.7", ()) == []


def test_unknown_advisories_are_unknown_and_say_only_known_bad_was_checked() -> None:
    [issue] = judge("added", None, "1.82.7", UNKNOWN)
    assert issue.unknown and "only lockgate's known-bad list was checked" in issue.message


@pytest.mark.parametrize("kind", ["artifacts-added", "integrity-upgraded", "hashes-changed", "source-changed"])
def test_unknown_advisories_of_a_same_version_change_are_not_reported(kind: str) -> None:
    assert judge(kind, "1.82.7", "1.82.7", UNKNOWN) == []


def test_no_exception_is_offered() -> None:
    assert not RULE.offers_exception and RULE.action_rank < 10  # before deny: the strongest action first
