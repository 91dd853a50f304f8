"""Review: which changes need one, and what counts as evidence that one happened.

Evidence is the review ledger, a YAML file in the repository read *as it stands on the base revision*, so that a
pull request cannot approve its own bump by adding a line; and, in the GitHub Action, the pull request's reviews
and review label. The GitHub layer (checker/github/evidence.py) only *fetches* those as plain records
(``PullRequestEvidence``); what counts is decided here, purely, by ``decide_pull_request``, and its outcome is
handed to ``review_statuses`` as ``pull_request_evidence``.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple, Sequence

from checker.review.ledger import LedgerEntry
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
    if _go_graph_only(change):
        return False
    return not any(_skip_matches(entry, change) for entry in policy.skip)


def _go_graph_only(change: Change) -> bool:
    """A go.sum change that builds nothing new and replaces no recorded hash (a version listed only for its
    go.mod added or dropped; checker/manifests/go_sum.py ``graph_only``): not a change of what is built."""
    if change.ecosystem != "go" or not change.manifest.endswith(".sum"):
        return False
    from checker.manifests.go_sum import graph_only

    return graph_only(change.before, change.after)


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


# --- pull-request evidence ---------------------------------------------------------------------------------------

# Review states as the GitHub REST API spells them. COMMENTED and PENDING never change what a reviewer decided.
_DECISIVE = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")
# Author associations that make a reviewer "a maintainer" when the policy names no reviewers.
_MAINTAINERS = ("OWNER", "MEMBER", "COLLABORATOR")


class PullRequestReview(NamedTuple):
    """One submitted review, as ``GET /repos/{owner}/{repo}/pulls/{n}/reviews`` lists it (oldest first)."""

    reviewer: str
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    commit: str | None
    submitted_at: dt.datetime | None = None
    association: str = "NONE"


class LabelEvent(NamedTuple):
    """A ``labeled`` or ``unlabeled`` event of the pull request (``GET /repos/{owner}/{repo}/issues/{n}/events``)."""

    label: str
    action: str  # labeled | unlabeled
    actor: str
    at: dt.datetime


class PullRequestEvidence(NamedTuple):
    """Everything GitHub said about who reviewed a pull request; decided on by ``decide_pull_request``.

    ``head``: the commit being judged. ``head_pushed_at``: when that commit reached the repository, from a
    server-side timestamp (None: unknown, and then a label cannot be shown to postdate the push).
    ``team_members``: ``(team, login)`` pairs (team as the policy writes it, ``@org/team``) for the reviewers
    and labellers that GitHub confirmed as active members. ``problems``: what could not be read and why (a missing
    permission), so the comment and the log can say so instead of silently finding no evidence.
    """

    number: int
    author: str
    head: str
    reviews: tuple[PullRequestReview, ...] = ()
    labels: tuple[str, ...] = ()
    label_events: tuple[LabelEvent, ...] = ()
    head_pushed_at: dt.datetime | None = None
    team_members: frozenset[tuple[str, str]] = frozenset()
    problems: tuple[str, ...] = ()


class PullRequestDecision(NamedTuple):
    """What counts as a review of the head (``evidence``, None when nothing does) and why other signals did not."""

    evidence: str | None
    notes: tuple[str, ...] = ()


def _same_login(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _allowed(login: str, association: str | None, reviewers: Sequence[str], members: frozenset[tuple[str, str]]) -> bool:
    """Whether the policy lets ``login`` review. No reviewers named: the repository's maintainers (by author
    association; None for a labeller, whom GitHub only lets label with triage access or more)."""
    if not reviewers:
        return association is None or association in _MAINTAINERS
    for reviewer in reviewers:
        if reviewer.startswith("@"):
            if any(_same_login(team, reviewer) and _same_login(user, login) for team, user in members):
                return True
        elif _same_login(reviewer, login):
            return True
    return False


def _short(sha: str | None) -> str:
    return (sha or "?")[:12]


def decide_pull_request(evidence: PullRequestEvidence, policy: ReviewPolicy) -> PullRequestDecision:
    """Whether the pull request's reviews or label count as a review of its current head.

    - An approval counts when it is the reviewer's latest decision (a later changes-requested review, or the
      approval being dismissed, withdraws it), it was given on the head commit (or on an older one when
      ``allow-stale-approvals`` is set), and the reviewer is allowed by the policy.
    - The review label counts when it is on the pull request, its latest ``labeled`` event is by an allowed
      reviewer, and that event came after the head was pushed (or the policy allows stale approvals).
    - An outstanding changes-requested review by an allowed reviewer withholds both.
    - The pull request's author never counts, whatever the policy says.
    """
    reviewers = policy.reviewers
    notes: list[str] = list(evidence.problems)
    latest: dict[str, PullRequestReview] = {}
    for review in evidence.reviews:
        if review.state in _DECISIVE:
            latest[review.reviewer.casefold()] = review
    approvals: list[str] = []
    blockers: list[str] = []
    for review in latest.values():
        who = review.reviewer
        if _same_login(who, evidence.author):
            notes.append(f"{who} opened the pull request and cannot review their own change")
            continue
        if not _allowed(who, review.association, reviewers, evidence.team_members):
            if review.state == "APPROVED":
                notes.append(f"approval by {who} does not count: not an allowed reviewer")
            continue
        if review.state == "CHANGES_REQUESTED":
            blockers.append(who)
        elif review.state == "DISMISSED":
            notes.append(f"the review by {who} was dismissed")
        elif review.commit == evidence.head or policy.allow_stale_approvals:
            approvals.append(who if review.commit == evidence.head else f"{who} (on older commit {_short(review.commit)})")
        else:
            notes.append(
                f"approval by {who} was given on {_short(review.commit)}, before the latest push "
                f"(head {_short(evidence.head)}): it needs a new approval"
            )
    label = _label_evidence(evidence, policy, notes)
    if blockers:
        notes.insert(0, f"changes requested by {', '.join(sorted(blockers))}")
        return PullRequestDecision(None, tuple(notes))
    if approvals:
        return PullRequestDecision(f"approved by {', '.join(sorted(approvals))} on {_short(evidence.head)}", tuple(notes))
    return PullRequestDecision(label, tuple(notes))


def _label_evidence(evidence: PullRequestEvidence, policy: ReviewPolicy, notes: list[str]) -> str | None:
    name = policy.label
    if not name or not any(_same_login(label, name) for label in evidence.labels):
        return None
    applied = [e for e in evidence.label_events if e.action == "labeled" and _same_login(e.label, name)]
    if not applied:
        notes.append(f"label {name} is set, but GitHub did not say who applied it")
        return None
    last = max(applied, key=lambda e: e.at)
    if _same_login(last.actor, evidence.author):
        notes.append(f"label {name} was applied by the pull request's author {last.actor}")
        return None
    if not _allowed(last.actor, None, policy.reviewers, evidence.team_members):
        notes.append(f"label {name} was applied by {last.actor}, who is not an allowed reviewer")
        return None
    if not policy.allow_stale_approvals:
        if evidence.head_pushed_at is None:
            notes.append(f"label {name} does not count yet: cannot tell when head {_short(evidence.head)} was pushed")
            return None
        if last.at <= evidence.head_pushed_at:
            notes.append(f"label {name} was applied by {last.actor} before the latest push: it needs re-applying")
            return None
    return f"label {name} applied by {last.actor}"
