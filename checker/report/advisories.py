"""How the reports count advisories: the words after the verdict, ``2 vulnerable changes: 1 critical, 1 high ·
1 malicious``. Plain text, unescaped; the renderers escape it. Only findings that count (neither waived nor off)
and that found something (not ``unknown``, not the info line of a fix) are counted, each version once at the worst
severity of its advisories."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: the text renderer is on the start-up path
    from typing import Iterable

    from checker.model import Finding

# Worst first, as the counts are listed; an advisory without a severity lockgate knows is "unrated".
_ORDER = ("critical", "high", "moderate", "low", "unrated")


def _severity(finding: Finding) -> str:
    advisory = finding.advisory
    severity = getattr(advisory, "severity", None)
    if not isinstance(severity, str):
        return "unrated"
    word = severity.strip().lower()
    word = "moderate" if word == "medium" else word
    return word if word in _ORDER else "unrated"


def advisory_counts(findings: Iterable[Finding], judged_all: bool = False) -> str | None:
    """``2 vulnerable changes: 1 critical, 1 high`` and ``1 malicious change`` (``dependencies`` under
    ``--all``), joined by `` · ``; None when no counting finding names an advisory."""
    worst: dict[tuple[str, str, str, str | None], str] = {}
    malicious: set[tuple[str, str, str, str | None]] = set()
    for finding in findings:
        dep = finding.dependency
        if finding.advisory is None or dep is None or not finding.counts or finding.unknown or finding.level == "info":
            continue
        key = (dep.ecosystem, dep.name, dep.version or "", finding.manifest)
        if finding.rule == "malicious":
            malicious.add(key)
        elif finding.rule == "vulnerability":
            severity = _severity(finding)
            if key not in worst or _ORDER.index(severity) < _ORDER.index(worst[key]):
                worst[key] = severity
    noun = "dependenc" if judged_all else "change"
    parts = []
    if malicious:
        parts.append(f"{len(malicious)} malicious {_plural(noun, len(malicious))}")
    if worst:
        by_severity = [f"{sum(1 for s in worst.values() if s == severity)} {severity}" for severity in _ORDER
                       if severity in worst.values()]
        parts.append(f"{len(worst)} vulnerable {_plural(noun, len(worst))}: {', '.join(by_severity)}")
    return " · ".join(parts) or None


def _plural(noun: str, count: int) -> str:
    if noun == "dependenc":
        return "dependency" if count == 1 else "dependencies"
    return noun if count == 1 else noun + "s"
