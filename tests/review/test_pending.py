"""Which changes of a judged run wait for a review (checker/review/pending.py): those the review rule reports and
that count; the other rules' blocks are counted beside them, unknown facts left out."""

from __future__ import annotations

from checker.model import Finding, Report
from checker.review.pending import pending_reviews
from tests.judge.hand_built import added, upgrade


def _report(changes, findings) -> Report:  # type: ignore[no-untyped-def]
    return Report("base", "head", tuple(changes), tuple(findings), (), "block")


def test_the_changes_the_review_rule_reports_wait_in_the_reports_order() -> None:
    a, b, c = upgrade("a", "1.0", "2.0"), added("b", "1.0"), upgrade("c", "1.0", "1.1")
    findings = [Finding("review", "block", "x", change=c), Finding("review", "warn", "x", change=a),
                Finding("deny", "block", "x", change=c), Finding("deny", "block", "x", change=c)]
    pending = pending_reviews(_report([a, b, c], findings))
    assert pending.waiting == (a, c)
    assert pending.blocked_by_other == ((c, ("deny",)),)


def test_a_waived_review_and_a_review_at_off_do_not_wait() -> None:
    a, b = upgrade("a", "1.0", "2.0"), upgrade("b", "1.0", "2.0")
    findings = [Finding("review", "block", "x", change=a, excepted_by="vendored"), Finding("review", "off", "x", change=b)]
    assert pending_reviews(_report([a, b], findings)).waiting == ()


def test_other_blocks_count_only_what_was_found() -> None:
    """An unknown fact, a warning or a waived finding is no block that stays; a finding about no change (a
    manifest's) is not a change's."""
    a = upgrade("a", "1.0", "2.0")
    findings = [Finding("review", "block", "x", change=a), Finding("release-age", "block", "x", change=a, unknown=True),
                Finding("pin-comment", "warn", "x", change=a), Finding("deny", "block", "x", change=a, excepted_by="r"),
                Finding("unreadable-manifest", "block", "x", manifest="requirements.txt")]
    pending = pending_reviews(_report([a], findings))
    assert (pending.waiting, pending.blocked_by_other) == ((a,), ())
