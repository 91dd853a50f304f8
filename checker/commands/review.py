"""``lockgate review``: record a reviewed dependency change in the review ledger."""

from __future__ import annotations

import argparse
import shlex

from checker.commands.output import emit


def run(args: argparse.Namespace) -> int:
    from checker.review.record import record_review

    done = record_review(
        args.directory, args.package, args.from_version, args.to_version, args.reason,
        reviewer=args.reviewer, ledger=args.ledger, policy_file=args.policy, kind=args.kind, stage=not args.no_stage,
    )
    text = f"{done.path}:{done.line}: recorded review of {done.package} {args.from_version} -> {args.to_version}\n"
    if done.staged:
        text += f"staged {done.path}: commit it with the change it reviews\n"
    else:
        why = f" ({done.not_staged})" if done.not_staged else ""
        text += f"not staged{why}: stage it with the change it reviews: git add {shlex.quote(done.path)}\n"
    emit(text)
    return 0
