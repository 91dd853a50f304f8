"""``lockgate review``: record a reviewed dependency change in the review ledger; with ``--all-pending``, every
change that waits for one.

``--all-pending`` finds the changes by running ``check``'s own judgement (checker/pipeline/pending.py), so it
records exactly what ``check`` blocks on review: by default the index against HEAD, as the pre-commit hook judges
it; with ``--base``/``--head``, a pull request's revisions, for a maintainer recording the review on the base branch.
"""

from __future__ import annotations

import argparse
import shlex

from checker.commands.output import emit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.model import Change
    from checker.review.pending import PendingReviews


def run(args: argparse.Namespace) -> int:
    if args.all_pending:
        return _run_all_pending(args)
    from checker.review.record import record_review

    done = record_review(
        args.directory, args.package, args.from_version, args.to_version, args.reason,
        reviewer=args.reviewer, ledger=args.ledger, policy_file=args.policy, kind=args.kind, stage=not args.no_stage,
    )
    what = "already recorded" if done.already else "recorded"
    text = f"{done.path}:{done.line}: {what} review of {done.package} {args.from_version} -> {args.to_version}\n"
    text += _staging_line(done.path, done.staged, done.not_staged)
    emit(text)
    return 0


def _staging_line(path: str, staged: bool, not_staged: str | None, pull_request: bool = False) -> str:
    """What to do with the ledger next. A pull request's reviews take effect once the ledger is on its base branch
    (the ledger of the pull request's head never counts), so they are committed there, not with the change."""
    if pull_request:
        then = "commit it to the base branch: the pull request's changes count as reviewed once it is there"
        if staged:
            return f"staged {path}: {then}\n"
        why = f" ({not_staged})" if not_staged else ""
        return f"not staged{why}: git add {shlex.quote(path)}, then {then}\n"
    if staged:
        return f"staged {path}: commit it with the change it reviews\n"
    why = f" ({not_staged})" if not_staged else ""
    return f"not staged{why}: stage it with the change it reviews: git add {shlex.quote(path)}\n"


def _head_mode(args: argparse.Namespace) -> str:
    """The head --all-pending judges: a commit, the work tree, or (the default) the index, as the hook does."""
    if args.head:
        return "rev"
    return "worktree" if args.worktree else "staged"


def _run_all_pending(args: argparse.Namespace) -> int:
    from checker.errors import UsageError
    from checker.pipeline.pending import judge_for_review
    from checker.review.ledger import refuse_placeholder
    from checker.review.pending import pending_reviews
    from checker.review.record import record_reviews

    refuse_placeholder(args.reason)  # before the judgement: a placeholder is refused however much waits
    mode = _head_mode(args)
    run = judge_for_review(args.directory, args.base, args.head, mode, args.policy)
    pending = pending_reviews(run.report)
    check_command = _check_command(args, mode, run.base)
    if not pending.waiting:
        emit(f"nothing waits for a review: no entry written ({check_command} shows the verdict)\n")
        return 0
    ledger = args.ledger or run.ledger
    if ledger is None:
        raise UsageError("the policy names no review ledger (review.ledger); pass --ledger")
    done = record_reviews(args.directory, pending.waiting, args.reason, ledger, reviewer=args.reviewer,
                          stage=not args.no_stage)
    refused = "".join(f"not recorded: {_change_text(change)}: {why}; review it in the pull request\n"
                      for change, why in done.refused)
    emit(_summary(done.path, done.written, done.present, pending, check_command) + refused
         + _staging_line(done.path, done.staged, done.not_staged, pull_request=mode == "rev"))
    return 0


def _check_command(args: argparse.Namespace, mode: str, base: str | None) -> str:
    """The ``lockgate check`` that judges what this run judged (to see what still blocks); ``base``: the revision
    compared from (a pull request's merge base)."""
    words = ["lockgate", "check"]
    if base:
        words += ["--base", base if base == args.base else base[:12]]
    words += ["--head", args.head] if mode == "rev" else ["--worktree"] if mode == "worktree" else ["--staged"]
    if args.policy:
        words += ["--policy", args.policy]
    return " ".join(shlex.quote(word) for word in words)


def _change_text(change: Change) -> str:
    from checker.report.escape import terminal  # names and versions are the repository's, not ours

    key = change.dependency.key
    if change.before is None or change.after is None:  # added or removed: one version to name
        return terminal(f"{key} {(change.after or change.before or change.dependency).display_version()} ({change.kind})")
    before, after = change.before.display_version(), change.after.display_version()
    return terminal(f"{key} {before} -> {after}" + (f" ({change.kind})" if before == after else ""))


def _summary(path: str, written: tuple[tuple[Change, int], ...], present: tuple[tuple[Change, int], ...],
             pending: PendingReviews, check_command: str) -> str:
    """One line per entry written or already there; then how many of the changes other rules still block."""
    others = {id(change): rules for change, rules in pending.blocked_by_other}
    lines = []
    for change, line in written:
        still = f" (still blocked by {', '.join(others[id(change)])})" if id(change) in others else ""
        lines.append(f"{path}:{line}: recorded review of {_change_text(change)}{still}")
    for change, line in present:
        lines.append(f"{path}:{line}: already recorded: {_change_text(change)}")
    count = len(pending.blocked_by_other)
    if count:
        lines.append(f"{count} change{'s stay' if count != 1 else ' stays'} blocked by other rules: {check_command} says why")
    return "\n".join(lines) + "\n"
