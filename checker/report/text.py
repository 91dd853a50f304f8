"""``--format text``: for a terminal. Grouped by manifest (blocked ones first), one line per change with its
findings under it; then one line per level and cause of what could not be checked (checker/report/unknowns.py);
then the verdict with the pull-request comment's counts (``risk.headline_counts``, the same function), so the two
never disagree. Wrapped to the terminal's width when the command line gives one (checker/report/wrap.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from checker.model import INFO_KINDS
from checker.report.escape import terminal
from checker.report.wrap import hanging

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

    from checker.model import Change, Finding, Report

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


def _finding_lines(finding: Finding, paint: _Painter, indent: str, width: int | None) -> list[str]:
    """A finding: its level, rule and message, then its fix (or the exception that waived it), each wrapped with
    continuation lines under the message text."""
    level = paint(finding.level, finding.level.upper().ljust(5))
    where = f"line {finding.line}: " if finding.line and finding.dependency is None else ""
    lines = hanging(f"{indent}{level} ", f"{finding.rule}: {where}{terminal(finding.message)}", width)
    if finding.excepted_by:
        lines += hanging(f"{indent}      ", "waived: " + terminal(finding.excepted_by), width,
                         paint=lambda piece: paint("dim", piece))
    elif finding.hint:
        # the most useful line: bold, never dimmed
        lines += hanging(f"{indent}      {paint('bold', 'fix:')} ", terminal(finding.hint), width)
    return lines


def _unknown_lines(findings: Iterable[Finding], paint: _Painter, width: int | None) -> list[str]:
    """The run's unknown findings, one line per level and cause (checker/report/unknowns.py), with the advice they
    share: offline, in the hook or with a registry that is down, every registry rule reports the same missing
    answer for every dependency, and 8,000 lines saying it would bury the findings that matter."""
    from checker.report.unknowns import fold_unknowns

    groups = fold_unknowns(findings)
    if not groups:
        return []
    lines = ["", paint("bold", "Not checked")]
    for group in groups:
        level = paint(group.level, group.level.upper().ljust(5))
        lines += hanging(f"  {level} ", terminal(group.words()), width)
        if group.hint:
            lines += hanging(f"        {paint('bold', 'fix:')} ", terminal(group.hint), width)
    return lines


def render(report: Report, color: bool = False, *, now: dt.datetime | None = None, policy: object = None,
           width: int | None = None) -> str:
    """The report for a terminal. ``width``: the terminal's columns to wrap to (checker/report/wrap.py); None
    (a pipe, a CI log) keeps one line per finding so that ``grep`` finds it whole. ``policy`` is accepted for
    symmetry with markdown and not used: text says what a finding's hint says.

    Unknown findings that are not waived are not printed under their change: they fold into one line per level
    and cause after the manifests (``Not checked``)."""
    from checker.report.unknowns import folded, for_people

    report = for_people(report)
    paint = _Painter(color)
    out = header(report.version, report.base, report.head, report.policy, paint, width)
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
        shown_loose = [f for f in loose.get(path, []) if not folded(f)]
        if not manifests.get(path) and not shown_loose:
            continue  # a manifest whose only findings are unknowns: the "Not checked" lines name its packages
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
            described, tail = describe_change(change), ""
            if status.state == "required":
                described, tail = described + "  ", paint("block", "review required")  # kept on one line
            elif status.state == "reviewed":
                # painted word by word, so that a wrap between them leaves no colour running into the indent
                words = f"reviewed ({terminal(status.evidence or '')})".split(" ")
                described += "   " + " ".join(paint("pass", word) for word in words)
            out += hanging(f"  {mark} {change.kind:<14} ", described, width, tail=tail)
            if i in registry:
                label, sep, rest = registry[i].partition(": ")  # "registry: …" or "source: …"
                lead = f"      {paint('dim', terminal(label) + ':')} " if sep else "      "
                out += hanging(lead, terminal(rest if sep else label), width, paint=lambda piece: paint("dim", piece))
            for finding in by_change[i]:
                if not folded(finding):
                    out += _finding_lines(finding, paint, "      ", width)
        subject = None
        for finding in shown_loose:
            if finding.dependency is not None:
                # ``·``: a dependency the change did not touch (``-`` marks a removed one); once for its findings
                line = (f"{terminal(finding.dependency.name)} {terminal(finding.dependency.display_version())}"
                        + (f" (line {finding.line})" if finding.line else ""))
                if line != subject:
                    out += hanging("  · ", line, width)
                    subject = line
                out += _finding_lines(finding, paint, "      ", width)
            else:
                subject = None
                out += _finding_lines(finding, paint, "  ", width)
    out += _unknown_lines(report.findings, paint, width)
    out.append("")
    out += hanging(closing_lead(report.verdict, paint), headline(report, now), width)
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


def header(version: str, base: str, head: str, policy: str | None, paint: _Painter,
           width: int | None = None) -> list[str]:
    return hanging(paint("bold", f"lockgate {version}") + "  ",
                   f"base {terminal(short(base))}  head {terminal(short(head))}  policy {terminal(policy or '-')}",
                   width)


def render_unchanged(version: str, base: str, head: str, color: bool = False, width: int | None = None) -> str:
    """The whole output of a run that found no manifest to compare (built without a Report: see
    checker.pipeline.unchanged, which must not import the risk summary; tests/report/test_formats.py holds these
    words to ``headline_counts`` of a report with no changes)."""
    paint = _Painter(color)
    return ("\n".join(header(version, base, head, None, paint, width)) + "\n\n"
            + "\n".join(hanging(closing_lead("pass", paint), NO_CHANGES, width)) + "\n")


# What headline_counts says of a run with no dependency changes and no findings.
NO_CHANGES = "no dependency changes · no findings"


def headline(report: Report, now: dt.datetime | None = None) -> str:
    """The counts after the verdict, in the pull-request comment's words and computed by its function:
    ``3 of 4 dependency changes blocked · 7 blocking findings · 4 warnings``."""
    from checker.report.risk import headline_counts, summarize

    return terminal(headline_counts(summarize(report, now=now)))


def closing_lead(verdict: str, paint: _Painter) -> str:
    return paint(verdict, _VERDICT_WORDS[verdict]) + ": "


def summary_line(report: Report, paint: _Painter | None = None) -> str:
    """The closing line: ``BLOCKED: 3 of 4 dependency changes blocked · 7 blocking findings · 4 warnings``."""
    return closing_lead(report.verdict, paint or _Painter(False)) + headline(report)
