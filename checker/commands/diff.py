"""``lockgate diff``: the dependency changes between two trees, unjudged, and the manifests that could not be read
(whose changes are unknown: exit 1)."""

from __future__ import annotations

import argparse

from checker.commands.options import check_request
from checker.commands.output import emit


def run(args: argparse.Namespace) -> int:
    from checker.pipeline.run import run_diff

    report = run_diff(check_request(args))
    if args.format == "json":
        import json

        from checker.report.escape import json_text
        from checker.report.json_format import change_record, finding_record

        doc = {
            "schema": "lockgate/v1",
            "base": report.base,
            "head": report.head,
            "changes": [change_record(c, r) for c, r in zip(report.changes, report.reviews)],
            "findings": [finding_record(f) for f in report.findings],
        }
        emit(json_text(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n", "json")
    else:
        from checker.report.escape import terminal
        from checker.report.text import describe_change

        lines = [f"{terminal(c.manifest)}: {c.kind} {describe_change(c)}" for c in report.changes]
        lines += [f"{terminal(f.manifest)}{f':{f.line}' if f.line else ''}: unreadable: {terminal(f.message)}"
                  for f in report.findings]
        emit("\n".join(lines) + "\n" if lines else "no dependency changes\n")
    return 1 if report.findings else 0
