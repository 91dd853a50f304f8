"""``--format markdown``: the pull-request comment and job summary, rendered from a jinja2 template.

Every decision (what to show, in which order, with which words) is made here in Python; the template only lays
the prepared rows out. Every value that came from a manifest or a registry passes through escape.markdown.
"""

from __future__ import annotations

import os
from typing import Any

from checker.model import Report
from checker.report import escape
from checker.report.text import describe_change, short, summary_line

_SYMBOLS = {"block": "\u274c", "warn": "\u26a0\ufe0f", "pass": "\u2705"}
_HEADLINES = {"block": "Blocked", "warn": "Passes with warnings", "pass": "Passes"}
MARKER = "<!-- lockgate:risk-summary -->"


def _rows(report: Report) -> list[dict[str, Any]]:
    rows = []
    for change, status in zip(report.changes, report.reviews):
        findings = [f for f in report.findings if f.change is change]
        levels = [f.level for f in findings if f.counts]
        risk = "block" if "block" in levels else "warn" if "warn" in levels else "pass"
        rows.append(
            {
                "manifest": escape.code(change.manifest),
                "change": escape.markdown(describe_change(change)),
                "kind": escape.markdown(change.kind),
                "review": escape.markdown(status.state if status.state != "reviewed" else f"reviewed: {status.evidence}"),
                "risk": _SYMBOLS[risk],
                "findings": [
                    {
                        "rule": escape.code(f.rule),
                        "level": escape.markdown(f.level),
                        "message": escape.markdown(f.message),
                        "hint": escape.markdown(f.hint) if f.hint else "",
                        "waived": escape.markdown(f.excepted_by) if f.excepted_by else "",
                    }
                    for f in findings
                ],
            }
        )
    return rows


def _other_findings(report: Report) -> list[dict[str, str]]:
    return [
        {
            "where": escape.code(f"{f.manifest}:{f.line}" if f.line else (f.manifest or "policy")),
            "rule": escape.code(f.rule),
            "level": escape.markdown(f.level),
            "subject": escape.markdown(f"{f.dependency.name} {f.dependency.display_version()}") if f.dependency else "",
            "message": escape.markdown(f.message),
            "hint": escape.markdown(f.hint) if f.hint else "",
        }
        for f in report.findings
        if f.change is None
    ]


def context(report: Report) -> dict[str, Any]:
    return {
        "marker": MARKER,
        "symbol": _SYMBOLS[report.verdict],
        "headline": _HEADLINES[report.verdict],
        "summary": escape.markdown(summary_line(report)),
        "rows": _rows(report),
        "other": _other_findings(report),
        "policy": escape.code(report.policy or "-"),
        "version": escape.markdown(report.version),
        "head": escape.code(short(report.head)),
        "base": escape.code(short(report.base)),
    }


def render(report: Report, color: bool = False) -> str:
    import jinja2

    templates = os.path.join(os.path.dirname(__file__), "templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=False,  # values are escaped for Markdown+HTML in Python, before rendering
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("comment.md.j2").render(**context(report))
