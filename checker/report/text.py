"""``--format text``: for a terminal. Grouped by manifest, one line per change with its findings under it."""

from __future__ import annotations

from collections import defaultdict

from checker.model import INFO_KINDS
from checker.report.escape import terminal

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

    from checker.model import Change, Finding, Report, ReviewStatus

_COLORS = {"block": "31", "warn": "33", "info": "36", "pass": "32", "dim": "2", "bold": "1"}
# Kinds that keep the version: shown as the one version, not "1.0 -> 1.0".
SAME_VERSION_SHOWN = ("hashes-changed", "source-changed", *INFO_KINDS)
_VERDICT_WORDS = {"block": "BLOCKED", "warn": "PASSED WITH WARNINGS", "pass": "PASSED"}


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        if not self.enabled:
            return text
        return f"\x1b[{_COLORS[style]}m{text}\x1b[0m"


def short(rev: str) -> str:
    return rev[:12] if len(rev) == 40 and all(c in "0123456789abcdef" for c in rev) else rev


def describe_change(change: Change) -> str:
    dep = change.dependency
    name = terminal(dep.name)
    before = terminal(change.before.display_version()) if change.before else None
    after = terminal(change.after.display_version()) if change.after else None
    if change.before and change.before.label:
        before = f"{before} ({terminal(change.before.label)})"
    if change.after and change.after.label:
        after = f"{after} ({terminal(change.after.label)})"
    if change.kind == "added":
        text = f"{name} {after}"
    elif change.kind == "removed":
        text = f"{name} {before}"
    elif change.kind in SAME_VERSION_SHOWN and before == after:
        text = f"{name} {after}"
    else:
        text = f"{name} {before} -> {after}"
    if change.bump and change.kind in ("upgraded", "downgraded"):
        text += f" ({change.bump})"
    if not dep.direct:
        text += " [transitive]"
    if dep.scope != "prod":
        text += f" [{dep.scope}]"
    return text


def _finding_lines(finding: Finding, paint: _Painter, indent: str) -> list[str]:
    level = paint(finding.level, finding.level.upper().ljust(5))
    where = f"line {finding.line}: " if finding.line and finding.dependency is None else ""
    lines = [f"{indent}{level} {finding.rule}: {where}{terminal(finding.message)}"]
    if finding.excepted_by:
        lines.append(f"{indent}      {paint('dim', 'waived: ' + terminal(finding.excepted_by))}")
    elif finding.hint:
        lines.append(f"{indent}      {paint('bold', 'fix:')} {terminal(finding.hint)}")  # the most useful line
    return lines


def _folded_unknown_lines(findings: list[Finding], paint: _Painter, indent: str) -> list[str]:
    """A change's findings, with the "could not find out" ones of one level folded into a single line.

    Offline, or with a registry that failed, every registry rule reports the same missing answer; the registry
    line above already says why, so four lines repeating it would bury the findings that matter. The rules are
    all named, the level is kept, and the fix is the advice they share. Machine formats keep every finding."""
    from checker.rules import all_rules

    rules = all_rules()
    lines: list[str] = []
    unknown: dict[tuple[str, str], list[Finding]] = defaultdict(list)  # (level, whose answer) -> findings
    for finding in findings:
        if finding.unknown and finding.excepted_by is None:
            source = rules[finding.rule].facts_from if finding.rule in rules else "the registry"
            unknown[(finding.level, source)].append(finding)
    folded = {key for key, group in unknown.items() if len(group) > 1}
    for finding in findings:
        if finding.unknown and finding.excepted_by is None and any(
                finding in unknown[key] for key in folded if key[0] == finding.level):
            continue
        lines.extend(_finding_lines(finding, paint, indent))
    for level in ("block", "warn", "info"):
        for key in sorted(key for key in folded if key[0] == level):
            group = unknown[key]
            source = key[1]
            label = paint(level, level.upper().ljust(5))
            why = "the registry's answer is unknown (see above)" if source == "the registry" else \
                f"{source}'s answer is unknown"
            lines.append(f"{indent}{label} {', '.join(sorted({f.rule for f in group}))}: could not be checked, {why}")
            hint = _shared_hint([f.hint for f in group])
            if hint:
                lines.append(f"{indent}      {paint('bold', 'fix:')} {terminal(hint)}")
    return lines


def _shared_hint(hints: list[str | None]) -> str | None:
    """The advice every hint starts with (``run where the registry can be reached``), or None."""
    present = sorted({h for h in hints if h}, key=len)
    if not present:
        return None
    shortest = present[0]
    for cut in (len(shortest), shortest.find(","), shortest.find(" (")):
        candidate = shortest[:cut].rstrip(" ,") if cut > 0 else ""
        if candidate and all(h.startswith(candidate) for h in present):
            return candidate
    return None


def _review_word(status: ReviewStatus, paint: _Painter) -> str:
    if status.state == "required":
        return paint("block", "review required")
    if status.state == "reviewed":
        return paint("pass", f"reviewed ({terminal(status.evidence or '')})")
    return ""


def render(report: Report, color: bool = False, *, now: dt.datetime | None = None, policy: object = None) -> str:
    """``policy`` is accepted for symmetry with markdown and not used: text says what a finding's hint says."""
    paint = _Painter(color)
    out = [header(report.version, report.base, report.head, report.policy, paint)]
    by_change: dict[int, list[Finding]] = defaultdict(list)
    loose: dict[str, list[Finding]] = defaultdict(list)
    change_index = {id(change): i for i, change in enumerate(report.changes)}
    for finding in report.findings:
        if finding.change is not None and id(finding.change) in change_index:
            by_change[change_index[id(finding.change)]].append(finding)
        else:
            loose[finding.manifest or "(policy)"].append(finding)
    manifests: dict[str, list[int]] = defaultdict(list)
    for i, change in enumerate(report.changes):
        manifests[change.manifest].append(i)
    registry = _registry_lines(report, now)
    rank = {"block": 0, "warn": 1, "info": 2}

    def worst_first(path: str) -> tuple[int, str]:
        """Blocked manifests first, then those that only warn, clean ones last; by path within each."""
        levels = [f.level for i in manifests.get(path, []) for f in by_change[i] if f.counts]
        levels += [f.level for f in loose.get(path, []) if f.counts]
        return min((rank.get(level, 3) for level in levels), default=3), path

    for path in sorted(manifests.keys() | loose.keys(), key=worst_first):
        out.append("")
        out.append(paint("bold", terminal(path)))
        for i in manifests.get(path, []):
            change, status = report.changes[i], report.reviews[i]
            worst = max((f for f in by_change[i] if f.counts), key=lambda f: ("info", "warn", "block").index(f.level), default=None)
            # ``+`` only for an added dependency, ``-`` for a removed one (a passing upgrade or removal marked ``+``
            # read as "added"), ``✓`` for the other changes that pass
            mark = paint(worst.level, "x" if worst.level == "block" else "!") if worst \
                else paint("info", "i") if change.kind in INFO_KINDS \
                else paint("pass", {"added": "+", "removed": "-"}.get(change.kind, "✓"))
            review = _review_word(status, paint)
            out.append(f"  {mark} {change.kind:<14} {describe_change(change)}" + (f"   {review}" if review else ""))
            if i in registry:
                out.append(f"      {paint('dim', terminal(registry[i]))}")
                out.extend(_folded_unknown_lines(by_change[i], paint, "      "))
            else:
                for finding in by_change[i]:
                    out.extend(_finding_lines(finding, paint, "      "))
        for finding in loose.get(path, []):
            if finding.dependency is not None:
                # ``·``: a dependency the change did not touch (``-`` marks a removed one)
                out.append(f"  · {terminal(finding.dependency.name)} {terminal(finding.dependency.display_version())}"
                           + (f" (line {finding.line})" if finding.line else ""))
                out.extend(_finding_lines(finding, paint, "      "))
            else:
                out.extend(_finding_lines(finding, paint, "  "))
    out.append("")
    out.append(summary_line(report, paint))
    return "\n".join(out) + "\n"


def _registry_lines(report: Report, now: dt.datetime | None) -> dict[int, str]:
    """What the registries said about each changed version (only when the run asked them: the facts stage
    filled Report.facts), one line per change; unknown facts read "unknown"."""
    if not report.facts:
        return {}
    from checker.report.risk import registry_line, summarize

    lines = {}
    for row in summarize(report, now=now).changes:
        line = registry_line(row)
        if line is not None:
            lines[row.position] = line
    return lines


def header(version: str, base: str, head: str, policy: str | None, paint: _Painter) -> str:
    return (
        paint("bold", f"lockgate {version}")
        + f"  base {terminal(short(base))}  head {terminal(short(head))}  policy {terminal(policy or '-')}"
    )


def render_unchanged(version: str, base: str, head: str, color: bool = False) -> str:
    """The whole output of a run that found no manifest to compare (built without a Report: see checker.pipeline.unchanged)."""
    paint = _Painter(color)
    return f"{header(version, base, head, None, paint)}\n\n{_summary(paint, 'pass', 0, 0, 0, 'no dependency changes')}\n"


def summary_line(report: Report, paint: _Painter | None = None) -> str:
    counting = [f for f in report.findings if f.counts]
    blocks = sum(1 for f in counting if f.level == "block")
    warns = sum(1 for f in counting if f.level == "warn")
    waived = sum(1 for f in report.findings if f.excepted_by)
    if report.judged_all:
        scope = "all dependencies"
    else:
        n = len(report.changes)
        scope = f"{n} dependency change{'s' if n != 1 else ''}" if n else "no dependency changes"
    advisories = None
    if any(f.advisory is not None for f in counting):
        from checker.report.advisories import advisory_counts

        advisories = advisory_counts(counting, report.judged_all)
    return _summary(paint or _Painter(False), report.verdict, blocks, warns, waived, scope, advisories)


def _summary(paint: _Painter, verdict: str, blocks: int, warns: int, waived: int, scope: str,
             advisories: str | None = None) -> str:
    parts = []
    if blocks:
        parts.append(f"{blocks} blocking finding{'s' if blocks != 1 else ''}")
    if warns:
        parts.append(f"{warns} warning{'s' if warns != 1 else ''}")
    if waived:
        parts.append(f"{waived} waived")
    detail = ", ".join(parts) if parts else "no findings"
    tail = f"; {advisories}" if advisories else ""
    return paint(verdict, _VERDICT_WORDS[verdict]) + f": {detail} ({scope}){tail}"
