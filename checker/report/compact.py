"""The hook's output (``lockgate check --hook``): what blocks, one line per blocked change, each with its rules and
the one command or action that resolves it. Fits a terminal; a developer reads it mid-commit."""

from __future__ import annotations

from checker.report.escape import terminal
from checker.report.text import _Painter, describe_change

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.model import Finding, Report

# Which finding's fix to show when several rules block one change: the one that must be fixed first. A review
# is the last step (reviewing a denied or unpinned version is wasted effort).
_FIX_ORDER = ("deny", "registry-source", "hash-pinning", "exact-pinning", "review")


def _fix_of(findings: list[Finding]) -> str:
    ranked = sorted(findings, key=lambda f: _FIX_ORDER.index(f.rule) if f.rule in _FIX_ORDER else len(_FIX_ORDER) - 1)
    for finding in ranked:
        if finding.hint:
            return terminal(finding.hint)
    return "see lockgate explain " + ranked[0].rule


def render(report: Report, color: bool = False) -> str:
    paint = _Painter(color)
    blocking = [f for f in report.findings if f.counts and f.level == "block"]
    warnings = [f for f in report.findings if f.counts and f.level == "warn"]
    if not blocking:
        n = len(report.changes)
        note = f"{n} dependency change{'s' if n != 1 else ''} pass" if n else "no dependency changes"
        if warnings:
            note += f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''}: run lockgate check --staged for details)"
        return f"lockgate: {note}\n"
    lines = []
    by_change: dict[int, list[Finding]] = {}
    loose: list[Finding] = []
    for finding in blocking:
        if finding.change is not None:
            by_change.setdefault(id(finding.change), []).append(finding)
        else:
            loose.append(finding)
    for change in report.changes:
        found = by_change.get(id(change))
        if not found:
            continue
        rules = ", ".join(dict.fromkeys(f.rule for f in found))
        where = f"{terminal(change.manifest)}:{change.line}" if change.line else terminal(change.manifest)
        lines.append(f"  {where}: {describe_change(change)}: {paint('block', rules)}: {_fix_of(found)}")
    for finding in loose:
        where = terminal(finding.manifest or "policy") + (f":{finding.line}" if finding.line else "")
        subject = f"{terminal(finding.dependency.name)} {terminal(finding.dependency.display_version())}: " if finding.dependency else ""
        lines.append(f"  {where}: {subject}{paint('block', finding.rule)}: {terminal(finding.message)}")
    blocked = len(by_change)
    head = f"lockgate: {paint('block', 'blocked')}: {blocked} of {len(report.changes)} dependency change{'s' if len(report.changes) != 1 else ''}"
    if loose:
        head += f" and {len(loose)} other finding{'s' if len(loose) != 1 else ''}"
    head += f" (policy {terminal(report.policy or '-')}; details: lockgate check --staged)"
    return head + "\n" + "\n".join(lines) + "\n"
