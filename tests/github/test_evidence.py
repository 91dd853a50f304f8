"""Pull-request review evidence: what counts (checker.review.decision.decide_pull_request, pure) and how it is fetched from
the GitHub API (checker.github.evidence, through the real PyGithub and the fake API)."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.github.api import ApiSettings, GitHubClient, Redactor
from checker.github.evidence import fetch_evidence
from checker.policy.load import ReviewPolicy
from checker.review.decision import LabelEvent, PullRequestEvidence, PullRequestReview, decide_pull_request
from tests.fakes.github_api import FakeGitHub, Token

HEAD = "ce" * 20
OLD = "0d" * 20
T0 = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone.utc)
ALICE = ReviewPolicy(reviewers=("alice", "@acme/security"), label="deps-ok")


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def review(who: str, state: str = "APPROVED", commit: str = HEAD, minute: int = 1, association: str = "MEMBER") -> PullRequestReview:
    return PullRequestReview(who, state, commit, at(minute), association)


def evidence(*reviews: PullRequestReview, **kwargs: object) -> PullRequestEvidence:
    return PullRequestEvidence(7, kwargs.pop("author", "mallory"), HEAD, tuple(reviews), **kwargs)  # type: ignore[arg-type]


def test_an_approval_on_the_head_by_an_allowed_reviewer_counts() -> None:
    decision = decide_pull_request(evidence(review("Alice")), ALICE)
    assert decision.evidence == "approved by Alice on cececececece"
    assert decision.notes == ()


def test_an_approval_on_an_older_commit_does_not_count() -> None:
    decision = decide_pull_request(evidence(review("alice", commit=OLD)), ALICE)
    assert decision.evidence is None
    assert decision.notes == (
        "approval by alice was given on 0d0d0d0d0d0d, before the latest push (head cececececece): it needs a new approval",
    )


def test_stale_approvals_count_when_the_policy_allows_them() -> None:
    policy = ALICE._replace(allow_stale_approvals=True)
    decision = decide_pull_request(evidence(review("alice", commit=OLD)), policy)
    assert decision.evidence == "approved by alice (on older commit 0d0d0d0d0d0d) on cececececece"


def test_a_later_changes_requested_review_withdraws_the_approval() -> None:
    decision = decide_pull_request(evidence(review("alice"), review("alice", "CHANGES_REQUESTED", minute=2)), ALICE)
    assert decision.evidence is None
    assert decision.notes[0] == "changes requested by alice"


def test_an_outstanding_change_request_by_another_allowed_reviewer_blocks() -> None:
    members = frozenset({("@acme/security", "bob")})
    decision = decide_pull_request(
        evidence(review("alice"), review("bob", "CHANGES_REQUESTED", commit=OLD), team_members=members), ALICE
    )
    assert decision.evidence is None and decision.notes == ("changes requested by bob",)


def test_comments_after_an_approval_do_not_withdraw_it() -> None:
    decision = decide_pull_request(evidence(review("alice"), review("alice", "COMMENTED", minute=3)), ALICE)
    assert decision.evidence == "approved by alice on cececececece"


def test_a_dismissed_approval_does_not_count() -> None:
    decision = decide_pull_request(evidence(review("alice", "DISMISSED")), ALICE)
    assert decision.evidence is None and decision.notes == ("the review by alice was dismissed",)


def test_approval_by_someone_the_policy_does_not_name_does_not_count() -> None:
    decision = decide_pull_request(evidence(review("eve")), ALICE)
    assert decision.evidence is None
    assert decision.notes == ("approval by eve does not count: not an allowed reviewer",)


def test_team_members_count_through_the_team() -> None:
    members = frozenset({("@acme/security", "bob")})
    assert decide_pull_request(evidence(review("bob"), team_members=members), ALICE).evidence == "approved by bob on cececececece"
    assert decide_pull_request(evidence(review("bob")), ALICE).evidence is None


def test_the_author_never_reviews_their_own_bump() -> None:
    policy = ReviewPolicy(reviewers=("mallory",), label="deps-ok")
    decision = decide_pull_request(evidence(review("Mallory")), policy)
    assert decision.evidence is None
    assert decision.notes == ("Mallory opened the pull request and cannot review their own change",)
    labelled = evidence(labels=("deps-ok",), label_events=(LabelEvent("deps-ok", "labeled", "mallory", at(5)),), head_pushed_at=at(1))
    decision = decide_pull_request(labelled, policy)
    assert decision.evidence is None
    assert decision.notes == ("label deps-ok was applied by the pull request's author mallory",)


def test_without_named_reviewers_maintainers_review() -> None:
    policy = ReviewPolicy()
    assert decide_pull_request(evidence(review("carol", association="COLLABORATOR")), policy).evidence is not None
    assert decide_pull_request(evidence(review("dave", association="CONTRIBUTOR")), policy).evidence is None


def test_the_label_counts_when_applied_by_an_allowed_reviewer_after_the_push() -> None:
    events = (LabelEvent("deps-ok", "labeled", "mallory", at(0)), LabelEvent("Deps-OK", "labeled", "alice", at(10)))
    decision = decide_pull_request(evidence(labels=("deps-ok",), label_events=events, head_pushed_at=at(5)), ALICE)
    assert decision.evidence == "label deps-ok applied by alice"


def test_a_label_applied_before_the_push_does_not_count() -> None:
    events = (LabelEvent("deps-ok", "labeled", "alice", at(2)),)
    decision = decide_pull_request(evidence(labels=("deps-ok",), label_events=events, head_pushed_at=at(5)), ALICE)
    assert decision.evidence is None
    assert decision.notes == ("label deps-ok was applied by alice before the latest push: it needs re-applying",)
    unknown = decide_pull_request(evidence(labels=("deps-ok",), label_events=events), ALICE)
    assert unknown.evidence is None
    assert unknown.notes == ("label deps-ok does not count yet: cannot tell when head cececececece was pushed",)


def test_a_removed_label_and_a_label_by_a_stranger_do_not_count() -> None:
    events = (LabelEvent("deps-ok", "labeled", "alice", at(9)),)
    assert decide_pull_request(evidence(labels=(), label_events=events, head_pushed_at=at(5)), ALICE).evidence is None
    stranger = (LabelEvent("deps-ok", "labeled", "eve", at(9)),)
    decision = decide_pull_request(evidence(labels=("deps-ok",), label_events=stranger, head_pushed_at=at(5)), ALICE)
    assert decision.notes == ("label deps-ok was applied by eve, who is not an allowed reviewer",)


def test_problems_reading_github_are_reported() -> None:
    decision = decide_pull_request(evidence(problems=("cannot list the reviews: 403",)), ALICE)
    assert decision.evidence is None and decision.notes == ("cannot list the reviews: 403",)


# --- fetched from the API ---------------------------------------------------------------------------------------


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        yield server


def client(fake: FakeGitHub, token: str = "t-app-1234") -> GitHubClient:
    return GitHubClient(ApiSettings(token, fake.full_name, fake.api_url, write_interval=0), Redactor(token))


def test_fetch_reads_reviews_labels_pushes_and_teams(fake: FakeGitHub) -> None:
    fake.add_token("t-app-1234", Token(permissions={"pull_requests": "read", "statuses": "read", "members": "read",
                                                     "contents": "read"}))
    fake.teams[("acme", "security")] = {"bob": "active", "pat": "pending"}
    fake.add_pull(7, "mallory", "b" * 40, OLD)
    for i in range(120):  # more than one page of reviews
        fake.add_review(7, f"user{i}", "COMMENTED", OLD, "NONE")
    fake.add_review(7, "bob", "APPROVED", OLD)
    fake.add_review(7, "pat", "APPROVED", OLD)
    fake.push(7, HEAD)
    fake.add_status(HEAD, "failure")
    fake.label(7, "deps-ok", "bob")
    found = fetch_evidence(client(fake), 7, HEAD, ALICE)
    assert found.author == "mallory" and found.head == HEAD and found.labels == ("deps-ok",)
    assert len(found.reviews) == 122 and found.reviews[-2] == PullRequestReview(
        "bob", "APPROVED", OLD, found.reviews[-2].submitted_at, "MEMBER")
    assert found.team_members == frozenset({("@acme/security", "bob")})  # pat's membership is pending
    assert found.head_pushed_at is not None and found.label_events[0].at > found.head_pushed_at
    assert found.problems == ()
    assert ("GET", "/api/v3/repos/acme/app/pulls/7/reviews") in fake.requests
    decision = decide_pull_request(found, ALICE)
    assert decision.evidence == "label deps-ok applied by bob"
    assert any("approval by bob was given on 0d0d0d0d0d0d" in note for note in decision.notes)


def test_fetch_without_team_permission_says_what_is_missing(fake: FakeGitHub) -> None:
    fake.add_token("t-app-1234")  # the workflow token: no organization permissions
    fake.teams[("acme", "security")] = {"bob": "active"}
    fake.add_pull(7, "mallory", "b" * 40, HEAD)
    fake.add_review(7, "bob", "APPROVED", HEAD)
    found = fetch_evidence(client(fake), 7, HEAD, ALICE)
    assert found.team_members == frozenset()
    [problem] = found.problems
    assert problem.startswith("cannot read team @acme/security: the token lacks the permission `members: read`")
    assert "organization Members: read" in problem
    assert decide_pull_request(found, ALICE).evidence is None


def test_fetch_with_a_token_that_cannot_read_pull_requests(fake: FakeGitHub) -> None:
    fake.add_token("t-app-1234", Token(permissions={"contents": "read"}))
    fake.add_pull(7, "mallory", "b" * 40, HEAD)
    found = fetch_evidence(client(fake), 7, HEAD, ALICE)
    assert found.reviews == () and found.problems == (
        "cannot read pull request #7: the token lacks the permission `pull-requests: read` "
        "(403: Resource not accessible by integration)",
    )
