"""checker.judge.engine.judge on hand-built changes and manifests: levels, exceptions, verdicts, sorting and
judge_all."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

import pytest

from checker.judge.engine import Judgement, judge, verdict_of
from checker.model import Change, IndexOption, ReviewStatus
from checker.rules.base import Issue, Subject
import checker.rules.deny
from tests.judge.hand_built import (
    NO_HASH_PINNING,
    POLICY,
    RANGE_CHANGE,
    TODAY,
    brief,
    dep,
    finding,
    manifest,
    policy,
    run,
    upgrade,
)


# --- levels ----------------------------------------------------------------------------------------------------


def test_a_reviewed_clean_upgrade_passes() -> None:
    judgement = run([upgrade("requests", "2.31.0", "2.32.3")], pull_request_evidence="approved by alice")
    assert judgement == Judgement((), (ReviewStatus("reviewed", "approved by alice"),), "pass")


def test_a_rule_may_lower_its_level() -> None:
    change = upgrade("requests", "2.31.0", "2.32.3", hashes=())
    judgement = run([change], "rules:\n  hash-pinning: {files-without-hashes: info}\n", pull_request_evidence="ok")
    [finding] = judgement.findings
    assert (finding.rule, finding.level, finding.change, finding.dependency) == ("hash-pinning", "info", change, change.after)
    assert (finding.manifest, finding.line) == ("requirements.txt", 3)
    assert judgement.verdict == "pass"


def test_a_rule_never_raises_its_level_above_the_policy() -> None:
    change = upgrade("requests", "2.31.0", "2.32.3", hashes=())
    text = "rules:\n  hash-pinning: {level: warn, files-without-hashes: block}\n"
    judgement = run([change], text, pull_request_evidence="ok")
    assert brief(judgement) == [("hash-pinning", "warn")]
    assert judgement.verdict == "warn"


def test_a_sub_case_set_to_off_is_dropped() -> None:
    change = upgrade("requests", "2.31.0", "2.32.3", hashes=())
    judgement = run([change], "rules:\n  hash-pinning: {files-without-hashes: 'off'}\n", pull_request_evidence="ok")
    assert judgement.findings == ()


def test_rules_set_to_off_do_not_run() -> None:
    before = dep("requests", None, specifier=">=1", hashes=())
    change = Change("upgraded", before, dep("requests", None, specifier=">=2", hashes=()), "major")
    on = run([change], "rules:\n  hash-pinning: {files-without-hashes: block}\n")
    assert brief(on) == [("exact-pinning", "block"), ("hash-pinning", "block"), ("review", "block")]
    off = run([change], "rules:\n  exact-pinning: 'off'\n  hash-pinning: 'off'\n  review: 'off'\n")
    assert off.findings == ()
    assert off.reviews == (ReviewStatus("required"),)  # review is still tracked, it just does not block
    assert off.verdict == "pass"


def _unknown_check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    yield Issue(f"could not reach the registry for {subject.dependency.name}", unknown=True)


@pytest.mark.parametrize(
    "rule_level, on_unknown, expected",
    [("block", "warn", "warn"), ("block", "block", "block"), ("block", "info", "info"), ("warn", "block", "warn")],
)
def test_on_unknown_sets_the_level_of_unknown_findings(
    monkeypatch: pytest.MonkeyPatch, rule_level: str, on_unknown: str, expected: str
) -> None:
    monkeypatch.setattr(checker.rules.deny, "RULE", checker.rules.deny.RULE._replace(check_dependency=_unknown_check))
    text = f"on-unknown: {on_unknown}\nrules:\n  deny: {rule_level}\n"
    judgement = run([upgrade("requests", "2.31.0", "2.32.3")], text, pull_request_evidence="ok")
    [finding] = judgement.findings
    assert (finding.rule, finding.level, finding.unknown) == ("deny", expected, True)
    assert finding.message == "could not reach the registry for requests"
    assert judgement.verdict == {"info": "pass", "warn": "warn", "block": "block"}[expected]


@pytest.mark.parametrize("rule_level", ["block", "warn", "info"])
def test_on_unknown_off_keeps_the_unknown_finding_at_level_off(monkeypatch: pytest.MonkeyPatch, rule_level: str) -> None:
    """``on-unknown: off``: the finding is kept (the JSON output tells a tool what was not checked) at level off,
    which never counts: the verdict is what the known findings say."""
    monkeypatch.setattr(checker.rules.deny, "RULE", checker.rules.deny.RULE._replace(check_dependency=_unknown_check))
    judgement = run([upgrade("requests", "2.31.0", "2.32.3")], f"on-unknown: off\nrules:\n  deny: {rule_level}\n",
                    pull_request_evidence="ok")
    [finding] = judgement.findings
    assert (finding.rule, finding.level, finding.unknown, finding.counts) == ("deny", "off", True, False)
    assert judgement.verdict == "pass"


def test_on_unknown_off_silences_only_unknowns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A finding that is not about an unknown fact keeps its level; a rule that is off stays silent even about
    unknowns (it did not run)."""
    def known_and_unknown(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
        yield Issue("denied", unknown=False)
        yield Issue("could not tell", unknown=True)

    monkeypatch.setattr(checker.rules.deny, "RULE", checker.rules.deny.RULE._replace(check_dependency=known_and_unknown))
    change = upgrade("requests", "2.31.0", "2.32.3")
    judgement = run([change], "on-unknown: off\nrules:\n  deny: block\n", pull_request_evidence="ok")
    assert sorted((f.message, f.level) for f in judgement.findings) == [("could not tell", "off"), ("denied", "block")]
    assert judgement.verdict == "block"
    assert run([change], "on-unknown: off\nrules:\n  deny: 'off'\n", pull_request_evidence="ok").findings == ()


# --- exceptions ------------------------------------------------------------------------------------------------


def test_an_exception_waives_a_finding() -> None:
    text = NO_HASH_PINNING + (
        "exceptions:\n"
        "  - {rule: exact-pinning, package: 'pypi:legacy', reason: migrating to uv, expires: 2026-04-01}\n"
    )
    judgement = run([RANGE_CHANGE], text, pull_request_evidence="ok")
    [finding] = judgement.findings
    assert (finding.rule, finding.level) == ("exact-pinning", "block")
    assert finding.excepted_by == f"migrating to uv (until 2026-04-01, {POLICY}:5)"  # valid through its expiry day
    assert finding.counts is False
    assert judgement.verdict == "pass"


def test_an_exception_for_every_rule() -> None:
    text = NO_HASH_PINNING + "exceptions:\n  - {rule: '*', package: 'pypi:leg*', reason: vendored, expires: 2027-01-31}\n"
    judgement = run([RANGE_CHANGE], text)
    assert [(f.rule, f.excepted_by is not None) for f in judgement.findings] == [("exact-pinning", True), ("review", True)]
    assert judgement.verdict == "pass"


def test_an_exception_only_covers_its_rule_package_and_version() -> None:
    text = NO_HASH_PINNING + (
        "exceptions:\n"
        "  - {rule: hash-pinning, package: 'pypi:legacy', reason: r, expires: 2027-01-31}\n"
        "  - {rule: exact-pinning, package: 'pypi:other', reason: r, expires: 2027-01-31}\n"
        "  - {rule: exact-pinning, package: 'npm:legacy', reason: r, expires: 2027-01-31}\n"
        "  - {rule: exact-pinning, package: 'pypi:legacy@1.0', reason: r, expires: 2027-01-31}\n"
    )
    judgement = run([RANGE_CHANGE], text, pull_request_evidence="ok")
    [finding] = judgement.findings
    assert (finding.rule, finding.excepted_by) == ("exact-pinning", None)
    assert judgement.verdict == "block"


# --- verdicts and sorting --------------------------------------------------------------------------------------


def test_verdict_of() -> None:
    assert verdict_of([]) == "pass"
    assert verdict_of([finding("info")]) == "pass"
    assert verdict_of([finding("info"), finding("warn")]) == "warn"
    assert verdict_of([finding("warn"), finding("block")]) == "block"
    assert verdict_of([finding("block", "waived"), finding("warn")]) == "warn"
    assert verdict_of([finding("off")]) == "pass"


def test_findings_are_sorted_by_manifest_line_and_severity() -> None:
    changes = [
        Change("added", None, dep("zzz", None, specifier=">=1", hashes=(), line=9, manifest="b.txt")),
        Change("added", None, dep("aaa", None, specifier=">=1", hashes=(), line=2, manifest="b.txt")),
        Change("added", None, dep("mmm", None, specifier=">=1", hashes=(), line=5, manifest="a.txt")),
    ]
    heads = [manifest(changes[2].after, path="a.txt"), manifest(changes[0].after, changes[1].after, path="b.txt")]  # type: ignore[arg-type]
    judgement = judge(changes, [], heads, policy(), today=TODAY)
    assert [(f.manifest, f.line, f.rule, f.level) for f in judgement.findings] == [
        ("a.txt", 5, "exact-pinning", "block"),
        ("a.txt", 5, "review", "block"),
        ("a.txt", 5, "hash-pinning", "warn"),
        ("b.txt", 2, "exact-pinning", "block"),
        ("b.txt", 2, "review", "block"),
        ("b.txt", 2, "hash-pinning", "warn"),
        ("b.txt", 9, "exact-pinning", "block"),
        ("b.txt", 9, "review", "block"),
        ("b.txt", 9, "hash-pinning", "warn"),
    ]
    assert judgement.reviews == (ReviewStatus("required"),) * 3


def test_removed_dependencies_are_not_judged_by_dependency_rules() -> None:
    gone = Change("removed", dep("evil", None, specifier=">=1", hashes=()), None)
    judgement = run([gone], "rules:\n  deny: {packages: ['pypi:evil']}\n")
    assert judgement.findings == ()


def test_index_options_judged_against_the_base_manifest() -> None:
    extra = IndexOption("extra-index-url", "http://pypi.internal/simple", 1)
    base = manifest(dep("idna", "3.10"))
    head = manifest(dep("idna", "3.10"), indexes=(extra,))
    [found] = judge([], [base], [head], policy(), today=TODAY).findings
    assert (found.rule, found.level, found.manifest, found.line, found.dependency, found.change) == (
        "registry-source", "block", "requirements.txt", 1, None, None,
    )
    assert judge([], [head], [head], policy(), today=TODAY).findings == ()


# --- judge_all -------------------------------------------------------------------------------------------------


def test_judge_all_judges_every_dependency_of_head() -> None:
    extra = IndexOption("extra-index-url", "https://pypi.org/simple", 1)
    head = manifest(
        dep("requests", "2.32.3"),
        dep("rich", None, specifier=">=13", line=4),
        dep("litellm", "1.82.8", line=5),
        indexes=(extra, IndexOption("trusted-host", "pypi.internal", 2)),
    )
    judgement = judge([], [head], [head], policy(), today=TODAY, judge_all=True)
    assert [(f.rule, f.line, f.dependency.name if f.dependency else None) for f in judgement.findings] == [
        ("registry-source", 2, None),  # base is ignored: every index option counts
        ("exact-pinning", 4, "rich"),
        ("hash-pinning", 4, "rich"),  # a range in a file in pip's hash-checking mode
        ("deny", 5, "litellm"),
    ]
    assert all(f.change is None for f in judgement.findings)
    assert judgement.reviews == ()
    assert judgement.verdict == "block"
