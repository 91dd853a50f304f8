"""``lockgate review``: record a reviewed dependency change in the review ledger."""

from __future__ import annotations

import argparse

from checker.commands.output import emit


def run(args: argparse.Namespace) -> int:
    from checker.review.record import record_review

    path, line, package = record_review(
        args.directory, args.package, args.from_version, args.to_version, args.reason,
        reviewer=args.reviewer, ledger=args.ledger, policy_file=args.policy, kind=args.kind,
    )
    emit(f"{path}:{line}: recorded review of {package} {args.from_version} -> {args.to_version}\n")
    return 0
