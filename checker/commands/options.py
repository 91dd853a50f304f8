"""Options shared by several commands: the pinned clock and the two revisions to compare."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

    from checker.pipeline.run import CheckRequest


def parse_now(text: str | None) -> dt.datetime | None:
    """``--now``: an ISO 8601 time (``Z`` allowed), UTC when it names no zone; None when not given."""
    import datetime as dt

    from checker.errors import UsageError

    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now {text!r} is not an ISO 8601 time (e.g. 2026-03-24T10:00:00Z)") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def head_mode(args: argparse.Namespace) -> str:
    """--staged, --head REV, --worktree; the hook judges the index unless told otherwise."""
    if args.staged:
        return "staged"
    if args.head:
        return "rev"
    if args.worktree or not getattr(args, "hook", False):
        return "worktree"
    return "staged"


def check_request(args: argparse.Namespace) -> CheckRequest:
    """The pipeline's request from the arguments of ``check`` or ``diff``."""
    from checker.pipeline.run import CheckRequest

    return CheckRequest(
        directory=args.directory,
        base=args.base,
        head=args.head,
        head_mode=head_mode(args),
        judge_all=getattr(args, "judge_all", False),
        policy_file=args.policy,
        offline=getattr(args, "offline", False),
        now=parse_now(getattr(args, "now", None)),
        paths=tuple(args.paths),
        hook=getattr(args, "hook", False),
        online=getattr(args, "online", False),
    )
