"""Review: which changes need one, and what counts as evidence that one happened.

Evidence in this module is the review ledger, a YAML file in the repository read *as it stands on the base
revision*, so that a pull request cannot approve its own bump by adding a line. Pull-request approvals and the
review label are gathered by the GitHub layer and handed in as ``pull_request_evidence``.
"""

from __future__ import annotations

from typing import Sequence

from checker.ledger import LedgerEntry
from checker.model import Change, ReviewStatus
from checker.policy.load import ReviewPolicy, SkipEntry


def _skip_matches(entry: SkipEntry, change: Change) -> bool:
    dep = change.dependency
    return (
        (entry.scope is None or entry.scope == dep.scope)
        and (entry.bump is None or entry.bump == change.bump)
        and (entry.kind is None or entry.kind == change.kind)
        and (entry.package is None or entry.package.matches(dep.ecosystem, dep.name, dep.version))
        and (entry.direct is None or entry.direct == dep.direct)
    )


def needs_review(change: Change, policy: ReviewPolicy) -> bool:
    if change.kind not in policy.required_for:
        return False
    return not any(_skip_matches(entry, change) for entry in policy.skip)


def review_statuses(
    changes: Sequence[Change],
    policy: ReviewPolicy,
    ledger: Sequence[LedgerEntry] = (),
    pull_request_evidence: str | None = None,
) -> tuple[ReviewStatus, ...]:
    """One status per change: not-required, reviewed (with the evidence) or required."""
    out = []
    for change in changes:
        if not needs_review(change, policy):
            out.append(ReviewStatus("not-required"))
            continue
        entry = next((e for e in ledger if e.covers(change)), None)
        if entry is not None:
            out.append(ReviewStatus("reviewed", f"ledger {entry.origin} by {entry.reviewer}"))
        elif pull_request_evidence is not None:
            out.append(ReviewStatus("reviewed", pull_request_evidence))
        else:
            out.append(ReviewStatus("required"))
    return tuple(out)
