"""``lockgate check``: judge the changes between two trees (or, with ``--all``, every dependency of the head)."""

from __future__ import annotations

import argparse

from checker.commands.options import check_request, head_mode, parse_now
from checker.commands.output import emit, text_width, use_color

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.model import Finding, Report


def run(args: argparse.Namespace) -> int:
    color = args.format == "text" and use_color()
    width = text_width() if args.format == "text" else None  # the hook's compact output too
    if args.hook and args.format == "text":
        args.format = "compact"
    snapshots = None
    if not args.judge_all and not args.policy and not args.paths and args.format not in ("sarif", "github"):
        from checker.pipeline.unchanged import open_and_render_if_unchanged

        parse_now(args.now)  # a bad --now is an error even when there is nothing to judge
        output, snapshots = open_and_render_if_unchanged(
            args.directory, args.base, args.head, head_mode(args), args.format, color, width
        )
        if output is not None:
            emit(output, args.format)
            return 0
    from checker.pipeline.run import exit_code, run_check
    from checker.report import render

    report = run_check(check_request(args), snapshots)
    output = render(report, args.format, color=color, width=width)
    code = exit_code(report)
    if args.hook and args.format == "compact" and code != 0:
        output += _runner_note(report)
    emit(output, args.format)
    return code


def _runner_note(report: Report) -> str:
    """Under a blocked hook's message: how to run the commands it offers from the developer's shell, where the
    hook's own ``lockgate`` may not be (checker/commands/runner.py)."""
    import os
    import sys

    from checker.commands.runner import path_note
    from checker.review.ledger import review_command

    blocking: dict[int, list[Finding]] = {}
    for finding in report.findings:
        if finding.counts and finding.level == "block" and finding.change is not None:
            blocking.setdefault(id(finding.change), []).append(finding)
    # The review command is the fix only where the review is all that blocks (a denied or unpinned version is
    # fixed first, and the message says how).
    commands = [review_command(found[0].change) for found in blocking.values()
                if found[0].change is not None and all(f.rule == "review" for f in found)]
    note = ""
    if len(commands) > 1:  # one command records them all (checker/commands/review.py) instead of N copied one by one
        batch = 'lockgate review --all-pending --reason "..."'
        note = f"{len(commands)} changes wait only for a review: record them all at once with {batch}\n"
        commands = [batch]
    return note + path_note(commands or ["lockgate check --staged"], os.environ, sys.argv[0], sys.executable)
