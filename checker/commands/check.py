"""``lockgate check``: judge the changes between two trees (or, with ``--all``, every dependency of the head)."""

from __future__ import annotations

import argparse

from checker.commands.options import check_request, head_mode, parse_now
from checker.commands.output import emit, use_color


def run(args: argparse.Namespace) -> int:
    color = args.format == "text" and use_color()
    if args.hook and args.format == "text":
        args.format = "compact"
    snapshots = None
    if not args.judge_all and not args.policy and not args.paths and args.format not in ("sarif", "github"):
        from checker.pipeline.unchanged import open_and_render_if_unchanged

        parse_now(args.now)  # a bad --now is an error even when there is nothing to judge
        output, snapshots = open_and_render_if_unchanged(
            args.directory, args.base, args.head, head_mode(args), args.format, color
        )
        if output is not None:
            emit(output, args.format)
            return 0
    from checker.pipeline.run import exit_code, run_check
    from checker.report import render

    report = run_check(check_request(args), snapshots)
    emit(render(report, args.format, color=color), args.format)
    return exit_code(report)
