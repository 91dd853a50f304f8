"""``lockgate init``: write a starter policy."""

from __future__ import annotations

import argparse

from checker.commands.output import emit


def run(args: argparse.Namespace) -> int:
    from checker.policy.starter import write_starter

    written = write_starter(args.path, force=args.force)
    emit(f"wrote {written}: edit the reviewers, then commit it\n")
    return 0
