"""Which changes of a judged run wait for a review (``lockgate review --all-pending``), read off its Report.

A change waits when the ``review`` rule reported it and the finding counts: the policy requires a review, there is
no evidence of one (the ledger the run reads, an approval), and no exception waives it. That is the very judgement
``lockgate check`` and the hook make, so the batch records what they block on review, nothing more: a change the
policy does not require a review of, or whose review rule is off, is never recorded. Whether other rules block the
same change does not matter to the reviewer's record (their blocks stay blocks); the caller says how many do.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.model import Change, Report


class PendingReviews(NamedTuple):
    """``waiting``: the changes that wait for a review, in the report's order. ``blocked_by_other``: every change
    that some other rule blocks on what it found (a fact that could not be obtained is left out: another run may
    find it), with those rules, in the report's order."""

    waiting: tuple[Change, ...]
    blocked_by_other: tuple[tuple[Change, tuple[str, ...]], ...]


def pending_reviews(report: Report) -> PendingReviews:
    waiting: set[int] = set()
    others: dict[int, list[str]] = {}
    for finding in report.findings:
        if finding.change is None or not finding.counts:
            continue
        if finding.rule == "review":
            waiting.add(id(finding.change))
        elif finding.level == "block" and not finding.unknown:
            rules = others.setdefault(id(finding.change), [])
            if finding.rule not in rules:
                rules.append(finding.rule)
    return PendingReviews(
        tuple(change for change in report.changes if id(change) in waiting),
        tuple((change, tuple(others[id(change)])) for change in report.changes if id(change) in others),
    )
