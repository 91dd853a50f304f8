"""What the workflow run is about: the event GitHub Actions hands the job (``GITHUB_EVENT_NAME`` and the JSON
payload at ``GITHUB_EVENT_PATH``), reduced to the two revisions to compare and the pull request, if any.

| event | base | head | pull request |
|---|---|---|---|
| pull_request, pull_request_target, pull_request_review | ``pull_request.base.sha`` | ``pull_request.head.sha`` | ``pull_request.number`` |
| merge_group | ``merge_group.base_sha`` | ``merge_group.head_sha`` | from ``merge_group.head_ref`` (``.../pr-123-<sha>``) |
| push | ``before`` (the parent of ``after`` for a new branch) | ``after`` | none |
| workflow_dispatch, others | ``--base`` / the ``base-ref`` input | ``--head`` / ``head-ref``, else ``GITHUB_SHA`` | none |
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping, NamedTuple

from checker.errors import UsageError

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target", "pull_request_review")
SUPPORTED_EVENTS = PULL_REQUEST_EVENTS + ("merge_group", "push", "workflow_dispatch")
MAX_EVENT_BYTES = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_ZERO = re.compile(r"^0+$")
_QUEUE_PR = re.compile(r"/pr-(\d+)-[0-9a-f]{40}$")


class EventContext(NamedTuple):
    """The revisions and pull request of one run.

    ``base``: the revision whose policy and ledger apply and that the head is compared with (None: the head's
    parent). ``head``: the revision judged. ``status_sha``: the commit the ``lockgate`` status goes on.
    ``pull_number``/``pull_author``: the pull request, when the event has one (a merge group knows only the number).
    ``fork``: the pull request comes from another repository (its token is read-only under ``pull_request``).
    """

    name: str
    repository: str
    base: str | None
    head: str
    status_sha: str | None = None
    pull_number: int | None = None
    pull_author: str | None = None
    action: str | None = None
    fork: bool = False
    deleted: bool = False

    @property
    def is_pull_request(self) -> bool:
        return self.name in PULL_REQUEST_EVENTS


def _get(doc: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def _sha(value: Any, what: str, path: str) -> str:
    if not isinstance(value, str) or not _SHA.match(value):
        raise UsageError(f"the event has no commit id at {what} (found {value!r})", path)
    return value


def load_event(path: str | None) -> dict[str, Any]:
    """The event payload; an unreadable or malformed one is a usage error naming the file."""
    if not path:
        return {}
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_EVENT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read the event file ({exc.strerror})", path) from None
    if len(data) > MAX_EVENT_BYTES:
        raise UsageError(f"the event file is larger than {MAX_EVENT_BYTES:,} bytes", path)
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UsageError(f"the event file is not JSON ({exc})", path) from None
    if not isinstance(doc, dict):
        raise UsageError("the event file must hold a JSON object", path)
    return doc


def read_event(env: Mapping[str, str], base: str | None = None, head: str | None = None) -> EventContext:
    """The run's context from the runner's environment; ``base``/``head`` (the action's ``base-ref``/``head-ref``)
    name the revisions for events that are not pull requests."""
    name = env.get("GITHUB_EVENT_NAME", "")
    path = env.get("GITHUB_EVENT_PATH")
    doc = load_event(path)
    where = path or "GITHUB_EVENT_PATH"
    repository = env.get("GITHUB_REPOSITORY") or _get(doc, "repository", "full_name") or ""
    if not isinstance(repository, str) or repository.count("/") != 1:
        raise UsageError(f"GITHUB_REPOSITORY must be owner/name (found {repository!r})")
    action = _get(doc, "action") if isinstance(_get(doc, "action"), str) else None
    if name in PULL_REQUEST_EVENTS:
        if base or head:
            raise UsageError(f"base-ref and head-ref are for events that are not pull requests; {name} names its own revisions")
        pull = _get(doc, "pull_request")
        if not isinstance(pull, dict):
            raise UsageError(f"a {name} event without a pull_request object", where)
        number = pull.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            raise UsageError("the event's pull_request has no number", where)
        head_sha = _sha(_get(pull, "head", "sha"), "pull_request.head.sha", where)
        head_repo = _get(pull, "head", "repo", "full_name")
        author = _get(pull, "user", "login")
        return EventContext(
            name, repository, _sha(_get(pull, "base", "sha"), "pull_request.base.sha", where), head_sha, head_sha,
            number, author if isinstance(author, str) else None, action,
            fork=head_repo != _get(pull, "base", "repo", "full_name"),
        )
    if name == "merge_group":
        group = _get(doc, "merge_group")
        head_sha = _sha(_get(group, "head_sha"), "merge_group.head_sha", where)
        match = _QUEUE_PR.search(str(_get(group, "head_ref") or ""))
        return EventContext(
            name, repository, _sha(_get(group, "base_sha"), "merge_group.base_sha", where), head_sha, head_sha,
            int(match.group(1)) if match else None, None, action,
        )
    if name == "push" and not (base or head):
        after = _get(doc, "after")
        if isinstance(after, str) and _ZERO.match(after):
            return EventContext(name, repository, None, after, None, deleted=True)
        after = _sha(after, "after", where)
        before = _get(doc, "before")
        before = None if not isinstance(before, str) or _ZERO.match(before) else _sha(before, "before", where)
        return EventContext(name, repository, before, after, after)
    if name not in SUPPORTED_EVENTS and not (base or head):
        raise UsageError(
            f"lockgate pr does not know the event {name or '(none)'!r}: it reads "
            f"{', '.join(SUPPORTED_EVENTS)}; for other events pass the base-ref and head-ref inputs"
        )
    head_rev = head or env.get("GITHUB_SHA")
    if not head_rev:
        raise UsageError(f"a {name or 'manual'} run needs head-ref (or GITHUB_SHA)")
    status_sha = head_rev if _SHA.match(head_rev) else None
    return EventContext(name or "workflow_dispatch", repository, base, head_rev, status_sha)
