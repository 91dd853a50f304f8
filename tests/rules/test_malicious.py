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


def test_an_action_pinned_by_commit_is_named_by_its_comment_and_the_hint_is_about_ci_secrets() -> None:
    """tj-actions/changed-files, March 2025: GitHub's advisory (CWE-506) for every version up to 45.0.7. A commit
    pin is asked about by its version comment, and the message names both."""
    hijack = Advisory("GHSA-mrrh-fwg8-r2c3", ("CVE-2025-30066",), "tj-actions changed-files through 45.0.7 allows "
                      "remote attackers to discover secrets by reading actions logs.", "high", 8.6, "46.0.1",
                      malicious=True, url="https://osv.dev/vulnerability/GHSA-mrrh-fwg8-r2c3")
    pinned = Dependency("actions", "tj-actions/changed-files", "0e58ed8671d6b60d0890c21b07f8835ace038e67",
                        manifest=".github/workflows/ci.yml", line=9, label="v45.0.7")
    facts = Facts("actions", pinned.name, pinned.version, vulnerabilities=(hijack,))
    manifest = Manifest(".github/workflows/ci.yml", "workflow", "actions", ())
    [issue] = check(Subject(pinned, manifest, Change("added", None, pinned), facts), RULE.defaults())
    assert issue.message.startswith("tj-actions/changed-files v45.0.7 (0e58ed8671d6) is malware according to "
                                    "GHSA-mrrh-fwg8-r2c3 (CVE-2025-30066)")
    assert issue.hint is not None and "job's token and secrets" in issue.hint and ".pth" not in issue.hint
    bare = pinned._replace(label=None)  # no version comment: OSV is not asked, nothing to judge
    assert list(check(Subject(bare, manifest, Change("added", None, bare), facts), RULE.defaults())) == []
