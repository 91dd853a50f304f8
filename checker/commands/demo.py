"""``lockgate demo``: the embedded example (checker/demo/), judged fully offline."""

from __future__ import annotations

import argparse

from checker.commands.output import emit, text_width, use_color


def run(args: argparse.Namespace) -> int:
    from checker.demo.example import run_demo

    return run_demo(args.format, color=args.format == "text" and use_color(),
                    emit=lambda text: emit(text, args.format), known_bad=not args.no_known_bad,
                    width=text_width() if args.format == "text" else None)
