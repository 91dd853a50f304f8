"""The hook's output (``lockgate check --hook``): what blocks, one line per blocked change, each with its rules and
the one command or action that resolves it. Fits a terminal; a developer reads it mid-commit."""

from __future__ import annotations

from checker.report.escape import terminal
from checker.report.text import _Painter, describe_change
from checker.report.wrap import hanging

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


def render(report: Report, color: bool = False, *, width: int | None = None) -> str:
    """The hook's message: a headline with the pull-request comment's counts (``headline_counts``), then, when
    something blocks, one line per blocked change and one per cause of blocking unknowns (``on-unknown: block``
    offline would otherwise name every dependency of the lockfile). ``width``: as in the text format."""
    from checker.report.text import headline
    from checker.report.unknowns import fold_unknowns, folded

    paint = _Painter(color)
    counts = headline(report)
    blocking = [f for f in report.findings if f.counts and f.level == "block"]
    if not blocking:
        note = " (details: lockgate check --staged)" if any(
            f.counts and f.level == "warn" for f in report.findings) else ""
        return "\n".join(hanging(f"lockgate: {paint(report.verdict, 'passed')}: ", counts + note, width)) + "\n"
    lines = []
    by_change: dict[int, list[Finding]] = {}
    loose: list[Finding] = []
    for finding in blocking:
        if folded(finding):
            continue
        if finding.change is not None:
            by_change.setdefault(id(finding.change), []).append(finding)
        else:
            loose.append(finding)
    for change in report.changes:
        found = by_change.get(id(change))
        if not found:
            continue
        # each rule painted on its own, so that a wrap between them leaves no colour running into the indent
        rules = ", ".join(paint("block", rule) for rule in dict.fromkeys(f.rule for f in found))
        where = f"{terminal(change.manifest)}:{change.line}" if change.line else terminal(change.manifest)
        lines += hanging("  ", f"{where}: {describe_change(change)}: {rules}: {_fix_of(found)}",
                         width, indent=4)
    for finding in loose:
        where = terminal(finding.manifest or "policy") + (f":{finding.line}" if finding.line else "")
        subject = f"{terminal(finding.dependency.name)} {terminal(finding.dependency.display_version())}: " if finding.dependency else ""
        lines += hanging("  ", f"{where}: {subject}{paint('block', finding.rule)}: {terminal(finding.message)}",
                         width, indent=4)
    for group in fold_unknowns(blocking):
        fix = f": {terminal(group.hint)}" if group.hint else ""
        lines += hanging("  ", f"{paint('block', 'not')} {paint('block', 'checked')}: {terminal(group.words())}{fix}", width, indent=4)
    head = hanging(f"lockgate: {paint('block', 'blocked')}: ",
                   f"{counts} (policy {terminal(report.policy or '-')}; details: lockgate check --staged)", width)
    return "\n".join(head + lines) + "\n"
