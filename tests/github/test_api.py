"""The GitHub client (checker.github.api) against the fake API through the real PyGithub: base URL, pagination,
error translation with the missing permission named, retries on 5xx and the secondary rate limit, and redaction."""

from __future__ import annotations

import threading
import time

import pytest

from checker.github.api import ApiSettings, GitHubApiError, GitHubClient, Redactor
from checker.github.comment import sticky_comments
from checker.github.evidence import fetch_pull
from checker.report.markdown import MARKER
from tests.fakes.github_api import READ_ONLY, FakeGitHub, Token

TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
BASE, HEAD = "ba" * 20, "1e" * 20


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        server.add_token(TOKEN)
        server.add_pull(7, "mallory", BASE, HEAD)
        yield server


def client(fake: FakeGitHub, token: str = TOKEN, **kwargs: object) -> GitHubClient:
    settings = ApiSettings(token, fake.full_name, fake.api_url, write_interval=0, **kwargs)  # type: ignore[arg-type]
    return GitHubClient(settings, Redactor(token))


def test_requests_go_to_the_configured_api_url(fake: FakeGitHub) -> None:
    pull = fetch_pull(client(fake), 7)
    assert pull.number == 7 and pull.user.login == "mallory" and pull.head.sha == HEAD
    assert fake.requests == [("GET", "/api/v3/repos/acme/app"), ("GET", "/api/v3/repos/acme/app/pulls/7")]


def test_pagination_follows_link_headers(fake: FakeGitHub) -> None:
    for i in range(250):
        fake.add_comment(7, "github-actions[bot]", f"{MARKER}\n{i}" if i in (3, 249) else f"comment {i}")
    c = client(fake)
    found = sticky_comments(c, fetch_pull(c, 7), None)
    assert [comment.body.split("\n")[1] for comment in found] == ["3", "249"]
    pages = [path for method, path in fake.requests if path.endswith("/issues/7/comments")]
    assert len(pages) == 3  # 100 per page: the first request, then page=2 and page=3 from the Link header


def test_an_unknown_token_is_a_401(fake: FakeGitHub) -> None:
    with pytest.raises(GitHubApiError) as caught:
        fetch_pull(client(fake, token="ghs_not_a_real_token_000"), 7)
    assert caught.value.status == 401
    assert str(caught.value) == "cannot read repository acme/app: GitHub refused the token (401: Bad credentials)"


def test_a_read_only_token_gets_403_naming_the_permission(fake: FakeGitHub) -> None:
    fake.add_token("ghs_readonly_token_1234", Token(permissions=dict(READ_ONLY)))
    c = client(fake, token="ghs_readonly_token_1234")
    pull = fetch_pull(c, 7)
    with pytest.raises(GitHubApiError) as caught:
        c.call("comment on pull request #7", "pull-requests: write", pull.create_issue_comment, "hi")
    error = caught.value
    assert error.status == 403 and error.forbidden
    assert error.permission == "issues: write or pull-requests: write"  # from X-Accepted-GitHub-Permissions
    assert str(error) == (
        "cannot comment on pull request #7: the token lacks the permission `issues: write or pull-requests: write` "
        "(403: Resource not accessible by integration)"
    )


def test_not_found_is_a_404(fake: FakeGitHub) -> None:
    with pytest.raises(GitHubApiError) as caught:
        fetch_pull(client(fake), 99)
    assert caught.value.status == 404
    assert str(caught.value).startswith("cannot read pull request #99: not found (404: Not Found)")


def test_validation_failure_is_a_422(fake: FakeGitHub) -> None:
    c = client(fake)
    pull = fetch_pull(c, 7)
    with pytest.raises(GitHubApiError) as caught:
        c.call("comment", "pull-requests: write", pull.create_issue_comment, "x" * 65537)
    assert caught.value.status == 422
    assert "body is too long (maximum is 65536 characters)" in str(caught.value)
    assert fake.comments_on(7) == []


def test_secondary_rate_limit_is_retried_after_retry_after(fake: FakeGitHub) -> None:
    fake.secondary_limit_remaining = 1
    started = time.monotonic()
    pull = fetch_pull(client(fake), 7)
    assert pull.number == 7
    assert fake.secondary_limit_hits == 1
    assert time.monotonic() - started >= 1.0  # waited for Retry-After: 1


def test_429_and_a_failed_edit_are_retried(fake: FakeGitHub) -> None:
    fake.too_many_requests_remaining = 1
    c = client(fake)
    pull = fetch_pull(c, 7)
    assert fake.too_many_requests_remaining == 0
    comment = c.call("comment", "pull-requests: write", pull.create_issue_comment, "hi")
    fake.server_errors_remaining = 1
    c.call("edit", "pull-requests: write", comment.edit, "edited")
    assert fake.comments_on(7)[0]["body"] == "edited"


def test_retries_are_bounded(fake: FakeGitHub) -> None:
    fake.server_errors_remaining = 2
    assert fetch_pull(client(fake), 7).number == 7  # two 502s, then success
    fake.server_errors_remaining = 100
    with pytest.raises(GitHubApiError) as caught:
        fetch_pull(client(fake, retries=2), 7)
    assert "cannot read repository acme/app" in str(caught.value)
    assert fake.server_errors_remaining == 100 - 3  # the first try and two retries, no more


def test_an_unreachable_api_is_an_error_not_a_hang(fake: FakeGitHub) -> None:
    settings = ApiSettings(TOKEN, "acme/app", "http://127.0.0.1:9/api/v3", timeout=2, retries=0, write_interval=0)
    with pytest.raises(GitHubApiError) as caught:
        fetch_pull(GitHubClient(settings, Redactor(TOKEN)), 7)
    assert "did not answer" in str(caught.value) and caught.value.status is None


def test_a_token_echoed_in_an_error_body_is_redacted(fake: FakeGitHub) -> None:
    fake.add_token("ghs_readonly_token_1234", Token(permissions=dict(READ_ONLY)))
    fake.echo_token_in_errors = True
    c = client(fake, token="ghs_readonly_token_1234")
    pull = fetch_pull(c, 7)
    with pytest.raises(GitHubApiError) as caught:
        c.call("comment", "pull-requests: write", pull.create_issue_comment, "hi")
    assert "ghs_readonly_token_1234" not in str(caught.value)
    assert "(token ***)" in str(caught.value)


def test_redactor() -> None:
    redact = Redactor("secret-token", None, "")
    assert redact("a secret-token b secret-token") == "a *** b ***"
    assert Redactor("abc")("abc") == "abc"  # too short to be a token: left alone rather than mangling text


# --- a call abandoned at the deadline (checker/registries/deadline.py) ---------------------------------------------------


def _calls_running() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "lockgate-github-call" and t.is_alive()}


@pytest.mark.parametrize("fault", ["held, then 502", "secondary rate limit"])
def test_a_write_abandoned_at_the_deadline_sends_nothing_more(fake: FakeGitHub, fault: str) -> None:
    """The comment's POST outlives the budget: held by a slow server and then answered 502, or answered with a
    secondary rate limit (403, Retry-After: 1). lockgate reports the comment as failed at the deadline; the thread
    it abandoned must not then retry the POST (GithubRetry retries POST), which would put a comment on the pull
    request after the run said there was none, and no later call may send anything."""
    c = client(fake, budget=0.8, retries=2)
    pull = fetch_pull(c, 7)
    running = _calls_running()
    release = None
    if fault == "held, then 502":
        _, release = fake.hold("create_comment", status=502)
    else:
        fake.secondary_limit_remaining = 1
    with pytest.raises(GitHubApiError) as caught:
        c.call("comment on pull request #7", "pull-requests: write", pull.create_issue_comment, "the report")
    assert str(caught.value) == (f"cannot comment on pull request #7: GitHub's API at {fake.api_url} did not answer "
                                 "within the time budget (0.8 s for all calls of a run)")
    abandoned = _calls_running() - running
    # A held POST keeps its thread until released. The Retry-After wait is woken by the closed gate at the deadline,
    # so that thread may already have ended here (it is never made to wait out the full second).
    assert len(abandoned) == 1 if release is not None else len(abandoned) <= 1
    if release is not None:
        release.set()  # the held POST is answered 502 now, after the deadline: a retry would follow
    for thread in abandoned:
        thread.join(30)  # it ends: the closed gate stops the retry, or wakes it from the Retry-After wait
        assert not thread.is_alive()
    assert fake.comments_on(7) == []
    posts = [path for method, path in fake.requests if method == "POST"]
    assert posts == ["/api/v3/repos/acme/app/issues/7/comments"]  # the one try; no retry went out
    sent = len(fake.requests)
    with pytest.raises(GitHubApiError, match="did not answer within the time budget"):
        c.call("set the lockgate status", "statuses: write", lambda: pull.get_commits())
    assert len(fake.requests) == sent and _calls_running() <= running


def test_writes_are_spaced_before_the_call_and_never_past_the_budget(fake: FakeGitHub) -> None:
    """``write_interval`` spaces writes in the caller's thread. A pause longer than the budget left fails the write
    at once: PyGithub's own spacing slept inside the call, and the write went out after its caller had given up."""
    c = GitHubClient(ApiSettings(TOKEN, fake.full_name, fake.api_url, write_interval=60, budget=5), Redactor(TOKEN))
    pull = fetch_pull(c, 7)
    c.call("comment on pull request #7", "pull-requests: write", pull.create_issue_comment, "first")
    sent, running = len(fake.requests), _calls_running()
    with pytest.raises(GitHubApiError) as caught:
        c.call("comment on pull request #7", "pull-requests: write", pull.create_issue_comment, "second")
    assert "did not answer within the time budget (5 s for all calls of a run)" in str(caught.value)
    assert len(fake.requests) == sent and _calls_running() <= running  # nothing sent, nothing left to send it
    assert [comment["body"] for comment in fake.comments_on(7)] == ["first"]
    assert c.call("read pull request #7", "pull-requests: read", lambda: c.repo().get_pull(7).number) == 7  # reads go on
