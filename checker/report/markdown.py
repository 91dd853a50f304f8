"""``--format markdown``: the pull-request comment and job summary, rendered from a jinja2 template.

Every decision (what to show, in which order, with which words) is made here in Python; the template only lays
the prepared rows out. Every value that came from a manifest or a registry passes through escape.markdown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from checker.model import Finding, Report
from checker.report import escape
from checker.report.text import describe_change, short, summary_line

_SYMBOLS = {"block": "\u274c", "warn": "\u26a0\ufe0f", "pass": "\u2705"}
_HEADLINES = {"block": "Blocked", "warn": "Passes with warnings", "pass": "Passes"}
MARKER = "<!-- lockgate:risk-summary -->"


def _findings_by_change(report: Report) -> dict[int, list[Finding]]:
    by_change: dict[int, list[Finding]] = {}
    for finding in report.findings:
        if finding.change is not None:
            by_change.setdefault(id(finding.change), []).append(finding)
    return by_change


def _risk(findings: list[Finding]) -> str:
    levels = [f.level for f in findings if f.counts]
    return "block" if "block" in levels else "warn" if "warn" in levels else "pass"


def _rows(report: Report, indexes: list[int] | None = None) -> list[dict[str, Any]]:
    """One table row per change (``indexes``: only these changes, in this order)."""
    rows = []
    by_change = _findings_by_change(report)
    for i in range(len(report.changes)) if indexes is None else indexes:
        change, status = report.changes[i], report.reviews[i]
        findings = by_change.get(id(change), [])
        risk = _risk(findings)
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


def context(report: Report, indexes: list[int] | None = None) -> dict[str, Any]:
    return {
        "marker": MARKER,
        "symbol": _SYMBOLS[report.verdict],
        "headline": _HEADLINES[report.verdict],
        "summary": escape.markdown(summary_line(report)),
        "rows": _rows(report, indexes),
        "other": _other_findings(report),
        "policy": escape.code(report.policy or "-"),
        "version": escape.markdown(report.version),
        "head": escape.code(short(report.head)),
        "base": escape.code(short(report.base)),
        "blocked": [],
        "review": None,
        "updated": "",
        "omitted": "",
    }


def _environment():  # type: ignore[no-untyped-def]
    import jinja2

    templates = os.path.join(os.path.dirname(__file__), "templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=False,  # values are escaped for Markdown+HTML in Python, before rendering
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(report: Report, color: bool = False) -> str:
    return _environment().get_template("comment.md.j2").render(**context(report))


# --- the pull-request comment ------------------------------------------------------------------------------------

# GitHub refuses an issue comment longer than 65,536 characters. Sizes are measured in UTF-8 bytes, which are never
# fewer than characters, so a comment that fits here fits there whichever way GitHub counts.
COMMENT_LIMIT = 65536
_RISK_RANK = {"block": 0, "warn": 1, "pass": 2}


@dataclass(frozen=True, slots=True)
class ReviewState:
    """What the comment says about review: the evidence that counted (None: none did), why other signals did not,
    who may review and with which label, and how many changes still wait for a review."""

    evidence: str | None = None
    notes: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    label: str | None = None
    waiting: int = 0


def _blocked(report: Report) -> list[str]:
    """One line per rule that blocks: which rule, how many findings, and one example, most frequent first."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.counts and finding.level == "block":
            by_rule.setdefault(finding.rule, []).append(finding)
    lines = []
    for rule, found in sorted(by_rule.items(), key=lambda item: (-len(item[1]), item[0])):
        first = found[0]
        subject = f"{first.dependency.name} {first.dependency.display_version()}" if first.dependency else (first.manifest or "")
        more = f" and {len(found) - 1} more" if len(found) > 1 else ""
        lines.append(f"{escape.code(rule)}: {escape.markdown(subject)}{more}")
    return lines


def _review(state: ReviewState, head: str) -> dict[str, Any]:
    if state.evidence is not None:
        line = f"\u2705 {escape.markdown(state.evidence)}"
    elif state.waiting:
        who = ", ".join(state.reviewers) if state.reviewers else "a maintainer"
        how = f"an approval of head {short(head)} by {who}"
        if state.label:
            how += f", or the label {state.label} applied by {who} after the latest push"
        count = f"{state.waiting} change{'s' if state.waiting != 1 else ''}"
        line = f"\u23f3 {count} need{'s' if state.waiting == 1 else ''} a review: {escape.markdown(how)}"
    else:
        line = "nothing waits for a review"
    return {"line": line, "notes": [escape.markdown(note) for note in state.notes]}


def render_comment(
    report: Report,
    review: ReviewState | None = None,
    *,
    updated: bool = False,
    limit: int = COMMENT_LIMIT,
    how_to_see_all: str = "the job summary",
) -> str:
    """The sticky pull-request comment (and job summary): the verdict, what blocks, the review state, and the
    changes. When it would exceed ``limit`` bytes, the most serious changes are kept and the rest counted."""
    by_change = _findings_by_change(report)
    ranked = sorted(range(len(report.changes)), key=lambda i: _RISK_RANK[_risk(by_change.get(id(report.changes[i]), []))])
    most = limit // 40  # no item renders in fewer than 40 bytes: more than this many cannot fit
    ctx = context(report, None if len(ranked) <= most else ranked[:most])
    ctx["blocked"] = _blocked(report)
    ctx["review"] = _review(review, report.head) if review is not None else None
    if updated and report.verdict == "pass":
        ctx["updated"] = (
            f"Updated for head {escape.code(short(report.head))}: "
            + ("this pull request no longer changes any dependency." if not report.changes else "nothing blocks any more.")
        )
    template = _environment().get_template("comment.md.j2")
    if len(ranked) <= most:
        text = template.render(**ctx)
        if len(text.encode("utf-8")) <= limit:
            return text
        ctx["rows"] = [ctx["rows"][i] for i in ranked]  # most serious first (stable: manifest order within a rank)
    rows, other = ctx["rows"], ctx["other"]
    total_rows = len(report.changes)
    items = min(len(rows) + len(other), most)

    def attempt(shown: int) -> str:
        kept_rows, kept_other = rows[:shown], other[: max(0, shown - len(rows))]
        left_rows, left_other = total_rows - len(kept_rows), len(other) - len(kept_other)
        parts = []
        if left_rows:
            parts.append(f"{left_rows} of {total_rows} changes")
        if left_other:
            parts.append(f"{left_other} of {len(other)} other findings")
        omitted = (
            f"This comment is too long for GitHub: it leaves out {' and '.join(parts)}, the least serious first. "
            f"See {how_to_see_all} for all of them."
        )
        return template.render(**{**ctx, "rows": kept_rows, "other": kept_other, "omitted": escape.markdown(omitted)})

    low, high = 0, items - 1  # the most items that still fit
    best = attempt(0)
    while low <= high:
        middle = (low + high) // 2
        text = attempt(middle)
        if len(text.encode("utf-8")) <= limit:
            best, low = text, middle + 1
        else:
            high = middle - 1
    if len(best.encode("utf-8")) > limit:  # only the fixed parts left, and still too long: cut at a line
        best = best.encode("utf-8")[: limit - 64].decode("utf-8", "ignore").rsplit("\n", 1)[0] + "\n\n(cut to fit)\n"
    return best
