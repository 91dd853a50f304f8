"""Unknown findings folded into one line per run and cause: "offline, not cached: pypi.org — 8 checks could not be
made for 1,012 packages".

Offline, in the hook, or with a registry that fails, every registry rule reports the same missing answer for every
dependency: a 1,000-package lockfile gives some 8,000 "could not find out" findings that all say one thing. A
reviewer needs that thing once, with how far it reaches and what to do, and the real findings above it; the
machine formats (JSON, SARIF) keep every finding.

The cause is the finding's ``cause`` (the facts' reason) with each URL shown by its host: the reason of a registry
that is down names each package's document ("HTTP 503 from https://pypi.org/simple/requests/"), and a line per
package is what folding is for. The level stays part of the key: unknowns that block (``on-unknown: block``) are
never folded together with ones that warn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import NamedTuple

from checker.model import Finding, Report

__all__ = ["UnknownGroup", "cause_of", "fold_unknowns", "folded", "for_people"]

# scheme://host[:port] then the rest of the URL up to a space, a semicolon, a comma or a closing parenthesis: one
# pass, no backtracking (every quantifier is over a class that the next token cannot start with).
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://([^/\s;,()]+)[^\s;,()]*")
_LEVELS = ("block", "warn", "info", "off")


class UnknownGroup(NamedTuple):
    """The unknown findings of one level and cause: the rules that could not judge, the packages they are about (in
    the order first met, each once), how many findings were folded, and the advice most of them give."""

    level: str
    cause: str
    rules: tuple[str, ...]
    packages: tuple[str, ...]
    checks: int
    hint: str | None

    def words(self, names: int = 3, text: Callable[[str], str] = str) -> str:
        """``offline, not cached: pypi.org: 8 checks (release-age, …) could not be made for 1,012 packages``.
        ``text`` escapes each piece for where it lands (the comment's Markdown), a package name on its own: a name
        set in code must not take the comma after it."""
        checks = f"{self.checks:,} check{'s' if self.checks != 1 else ''}"
        rules = ", ".join(self.rules)
        head = text(f"{self.cause}: {checks} ({rules}) could not be made for")
        return f"{head} {package_words(self.packages, names, text)}"


def package_words(packages: tuple[str, ...], names: int = 3, text: Callable[[str], str] = str) -> str:
    """``requests``, ``a, b and c``, or ``1,012 packages (a, b, c, …)``; ``text`` escapes each piece."""
    if not packages:
        return text("the manifests")
    shown = [text(name) for name in packages[:names]]
    if len(packages) <= names:
        return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {text('and')} {shown[-1]}"
    return f"{text(f'{len(packages):,} packages (')}{', '.join(shown)}, {text('…)')}"


def cause_of(finding: Finding) -> str:
    """The finding's cause with URLs shown by their host; a finding that gives none: its rule could not say."""
    cause = finding.cause.strip() or "the facts it needs were not available"
    return _URL.sub(lambda m: m.group(1), cause)


def for_people(report: Report) -> Report:
    """The report without its level-``off`` findings: ``on-unknown: off`` keeps the unknowns it silences in the
    engine's output, for the machine formats (JSON names what was not checked); the text and the comment do not
    show them at all."""
    if not any(f.level == "off" for f in report.findings):
        return report
    return report._replace(findings=tuple(f for f in report.findings if f.level != "off"))


def folded(finding: Finding) -> bool:
    """Whether the reports fold this finding into its cause's line: an unknown that is not waived."""
    return finding.unknown and finding.excepted_by is None


def fold_unknowns(findings: Iterable[Finding]) -> list[UnknownGroup]:
    """The unknown findings grouped by level and cause, blocking groups first, then the largest."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if folded(finding):
            groups.setdefault((finding.level, cause_of(finding)), []).append(finding)
    out = []
    for (level, cause), members in groups.items():
        rules = tuple(sorted({f.rule for f in members}))
        packages = tuple(dict.fromkeys(f.dependency.name if f.dependency is not None else (f.manifest or "policy")
                                       for f in members))
        hints = Counter(f.hint for f in members if f.hint)
        hint = hints.most_common(1)[0][0] if hints else None
        out.append(UnknownGroup(level, cause, rules, packages, len(members), hint))
    rank = {level: i for i, level in enumerate(_LEVELS)}
    out.sort(key=lambda g: (rank.get(g.level, len(rank)), -g.checks, g.cause))
    return out
