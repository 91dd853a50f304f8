"""Fetch what GitHub knows about the review of a pull request, as the plain records of checker.review.decision.

Nothing is decided here (checker.review.decision.decide_pull_request does that); this module only asks, and when GitHub
will not answer (a read-only token, a missing permission) it records the problem in words instead of failing:
missing evidence leaves the change blocked, which is the safe side, and the comment says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from checker.github.api import GitHubApiError, GitHubClient
from checker.review.decision import LabelEvent, PullRequestEvidence, PullRequestReview

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.policy.load import ReviewPolicy

_READ_PULLS = "pull-requests: read"


def _login(user: Any) -> str:
    """A user's login; a deleted account appears as ``ghost``, as on github.com."""
    login = getattr(user, "login", None) if user is not None else None
    return login if isinstance(login, str) and login else "ghost"


def _utc(value: Any) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def fetch_pull(client: GitHubClient, number: int) -> Any:
    """The pull request, checked to be one (a server answering garbage with 200 gives PyGithub an object whose
    fields are all None: better a failed read here than an AttributeError later)."""

    def read() -> Any:
        pull = client.repo().get_pull(number)
        if not isinstance(pull.number, int) or not isinstance(getattr(pull.head, "sha", None), str):
            raise ValueError(f"the answer is not pull request #{number}")
        return pull

    return client.once(f"pull/{number}", f"read pull request #{number}", _READ_PULLS, read)


def _reviews(client: GitHubClient, pull: Any) -> tuple[PullRequestReview, ...]:
    raw = client.call(f"list the reviews of pull request #{pull.number}", _READ_PULLS, lambda: list(pull.get_reviews()))
    return tuple(
        PullRequestReview(
            _login(review.user), str(review.state or "").upper(), review.commit_id, _utc(review.submitted_at),
            str(getattr(review, "author_association", None) or "NONE").upper(),
        )
        for review in raw
    )


def _label_events(client: GitHubClient, pull: Any) -> tuple[LabelEvent, ...]:
    raw = client.call(
        f"list the events of pull request #{pull.number}", _READ_PULLS, lambda: list(pull.get_issue_events())
    )
    out = []
    for event in raw:
        created = _utc(event.created_at)
        if event.event in ("labeled", "unlabeled") and event.label is not None and created:
            out.append(LabelEvent(event.label.name, event.event, _login(event.actor), created))
    return tuple(out)


def head_arrival(client: GitHubClient, sha: str) -> dt.datetime | None:
    """When ``sha`` reached this repository, by GitHub's clock: the first commit status posted on it. lockgate posts
    one on every run and runs on every push, so this is the push or shortly after it (never before it, which is the
    safe side: a label applied in between must be applied again). None when the commit has no status yet."""
    commit = client.once(f"commit/{sha}", f"read commit {sha[:12]}", "contents: read", client.repo().get_commit, sha)
    statuses = client.call(f"list the statuses of commit {sha[:12]}", "statuses: read", lambda: list(commit.get_statuses()))
    times = [t for t in (_utc(s.created_at) for s in statuses) if t is not None]
    return min(times) if times else None


def team_members(client: GitHubClient, teams: list[str], logins: set[str]) -> tuple[frozenset[tuple[str, str]], list[str]]:
    """Which of ``logins`` are active members of which ``@org/team``; and the problems met asking."""
    found: set[tuple[str, str]] = set()
    problems: list[str] = []
    for team_name in teams:
        org, _, slug = team_name.lstrip("@").partition("/")
        if not org or not slug:
            continue
        try:
            team = client.call(
                f"read team {team_name}", "organization members: read",
                lambda: client.github.get_organization(org).get_team_by_slug(slug),
            )
        except GitHubApiError as exc:
            problems.append(
                f"{exc.message}. Team membership needs a token with organization Members: read (a GitHub App or a "
                f"fine-grained token); the workflow's GITHUB_TOKEN cannot read teams"
            )
            continue
        for login in sorted(logins):
            try:
                membership = client.call(
                    f"read the membership of {login} in {team_name}", "organization members: read",
                    team.get_team_membership, login,
                )
            except GitHubApiError as exc:
                if exc.status == 404:
                    continue  # not a member
                problems.append(exc.message)
                continue
            if str(getattr(membership, "state", "")).lower() == "active":
                found.add((team_name, login))
    return frozenset(found), problems


def fetch_evidence(client: GitHubClient, number: int, head: str | None, policy: ReviewPolicy) -> PullRequestEvidence:
    """The reviews, label history and team memberships that matter for ``policy``, for the pull request's
    ``head`` (None: the pull request's current head, as for a merge group)."""
    problems: list[str] = []
    try:
        pull = fetch_pull(client, number)
    except GitHubApiError as exc:
        return PullRequestEvidence(number, "", head or "", problems=(exc.message,))
    author = _login(pull.user)
    head = head or pull.head.sha
    if pull.head.sha != head:
        problems.append(f"pull request #{number} has moved on to {pull.head.sha[:12]}; this run judges {head[:12]}")
    labels = tuple(label.name for label in pull.labels)
    reviews: tuple[PullRequestReview, ...] = ()
    try:
        reviews = _reviews(client, pull)
    except GitHubApiError as exc:
        problems.append(exc.message)
    events: tuple[LabelEvent, ...] = ()
    pushed_at = None
    wants_label = policy.label is not None and any(l.casefold() == policy.label.casefold() for l in labels)
    if wants_label:
        try:
            events = _label_events(client, pull)
        except GitHubApiError as exc:
            problems.append(exc.message)
        if not policy.allow_stale_approvals:
            try:
                pushed_at = head_arrival(client, head)
            except GitHubApiError as exc:
                problems.append(exc.message)
    teams = [r for r in policy.reviewers if r.startswith("@")]
    candidates = {r.reviewer for r in reviews if r.state == "APPROVED"} | {e.actor for e in events if e.action == "labeled"}
    candidates = {c for c in candidates if c.casefold() != author.casefold()}
    members: frozenset[tuple[str, str]] = frozenset()
    if teams and candidates:
        members, team_problems = team_members(client, teams, candidates)
        problems.extend(team_problems)
    return PullRequestEvidence(number, author, head, reviews, labels, events, pushed_at, members, tuple(problems))
