"""The sticky pull-request comment: one per pull request, found by a hidden marker and edited in place.

Two runs can race (a push and a review a second apart): both may find no comment and both create one. After
creating, a run lists the comments again, keeps the oldest of lockgate's and deletes the others, and if its own
was deleted writes its body into the one kept. Whichever finishes last wins the body; there is never a second
comment left behind. (The README's example workflow also serialises runs of one pull request with
``concurrency:``, which makes the race rare in the first place.)

Only comments lockgate wrote are ever touched: the marker must open the body *and* the author must be the token's
own identity (or, for the workflow token, whose identity GitHub does not reveal, a bot), so a user who pastes the
marker into a comment of their own cannot get lockgate to overwrite, or be fooled by, it.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from checker.github.api import GitHubApiError, GitHubClient
from checker.report.markdown import MARKER

_WRITE = "pull-requests: write"


class CommentResult(NamedTuple):
    """``action``: created, updated, unchanged (the body was already right) or skipped (nothing to say)."""

    action: str
    url: str | None = None
    id: int | None = None


def identity(client: GitHubClient) -> str | None:
    """The login the token acts as, or None when GitHub does not say (an installation token, such as the
    workflow's GITHUB_TOKEN, may not call ``GET /user``)."""
    try:
        return client.call("read the token's user", "none", lambda: client.github.get_user().login)
    except GitHubApiError:
        return None


def _ours(comment: Any, me: str | None) -> bool:
    body = comment.body or ""
    if not body.startswith(MARKER):
        return False
    user = comment.user
    if me is not None:
        return getattr(user, "login", "").casefold() == me.casefold()
    return getattr(user, "type", "") == "Bot"


def sticky_comments(client: GitHubClient, pull: Any, me: str | None) -> list[Any]:
    """lockgate's comments on the pull request, oldest first."""
    comments = client.call(
        f"list the comments of pull request #{pull.number}", "pull-requests: read", lambda: list(pull.get_issue_comments())
    )
    return sorted((c for c in comments if _ours(c, me)), key=lambda c: c.id)


def upsert(
    client: GitHubClient,
    pull: Any,
    render: Callable[[bool], str],
    create: bool,
) -> CommentResult:
    """Update lockgate's comment with ``render(updated=True)``; when there is none, create one with
    ``render(False)`` if ``create``. Returns what was done."""
    me = identity(client)
    existing = sticky_comments(client, pull, me)
    if not existing and not create:
        return CommentResult("skipped")
    body = render(bool(existing))
    if existing:
        keep = existing[0]
        _delete(client, existing[1:])  # left over from an earlier race
        if keep.body == body:
            return CommentResult("unchanged", keep.html_url, keep.id)
        client.call(f"edit comment {keep.id}", _WRITE, keep.edit, body)
        return CommentResult("updated", keep.html_url, keep.id)
    created = client.call(f"comment on pull request #{pull.number}", _WRITE, pull.create_issue_comment, body)
    if me is None:
        me = getattr(created.user, "login", None)
    after = sticky_comments(client, pull, me)
    if not after or after[0].id == created.id:
        # Ours is the oldest (or the listing does not show it yet): it stays; any newer one is the racing run's.
        _delete(client, after[1:])
        return CommentResult("created", created.html_url, created.id)
    # An older comment exists: the racing run's, which keeps it and may already have deleted ours. Ours goes, and
    # its body, the newer, goes into the one kept.
    keep, extra = after[0], after[1:]
    _delete(client, extra)
    if keep.body != body:
        client.call(f"edit comment {keep.id}", _WRITE, keep.edit, body)
    return CommentResult("updated", keep.html_url, keep.id)


def _delete(client: GitHubClient, comments: list[Any]) -> None:
    for comment in comments:
        try:
            client.call(f"delete duplicate comment {comment.id}", _WRITE, comment.delete)
        except GitHubApiError as exc:
            if exc.status != 404:  # already deleted by the run we raced with
                raise
