"""deny: versions that must never be installed (known-malicious releases and the policy's own list)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from checker.rules.base import Issue, Option, Rule, Subject

if TYPE_CHECKING:
    from checker.policy.load import DenyEntry


class _Same:
    """A key that is the very list of entries (by identity), so that their index is built once per run, not
    once per dependency, and is never confused with another list (the cache keeps the list alive)."""

    __slots__ = ("entries",)

    def __init__(self, entries: Sequence[DenyEntry]) -> None:
        self.entries = entries

    def __hash__(self) -> int:
        return id(self.entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.entries is self.entries


def _literal_npm(entry: DenyEntry) -> str | None:
    pattern = entry.pattern
    if pattern.ecosystem == "npm" and "*" not in pattern.name and "?" not in pattern.name:
        return pattern.name
    return None


@lru_cache(maxsize=8)
def _index(key: _Same) -> tuple[dict[str, tuple[DenyEntry, ...]], tuple[DenyEntry, ...]]:
    """The entries worth trying for an npm name (its literal entries and every other kind, in list order), and
    those for any other name. The shipped list is mostly literal npm names, and a lockfile holds thousands of
    packages: trying every entry on every package was most of a large check's time."""
    entries = key.entries
    others = tuple(e for e in entries if _literal_npm(e) is None)
    names = {name for name in map(_literal_npm, entries) if name is not None}
    by_name = {name: tuple(e for e in entries if _literal_npm(e) in (None, name)) for name in names}
    return by_name, others


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    entries = options["packages"]
    if dep.ecosystem == "npm" and len(entries) > 8:
        by_name, others = _index(_Same(entries))
        entries = by_name.get(dep.name, others)
    for entry in entries:
        if entry.pattern.matches(dep.ecosystem, dep.name, dep.version):
            yield Issue(_message(dep.name, dep.display_version(), f"{dep.key}@{dep.display_version()}", entry),
                        hint=_hint(subject, entry, entries))
            return


def _message(name: str, version: str, key: str, entry: DenyEntry) -> str:
    """``litellm 1.82.8 is a known-malicious release (published with a stolen token …)``; a policy entry is named
    only when it is not the very version (a range, a glob): the reader learns which entry to edit, and the version
    is not said twice."""
    what = "a known-malicious release" if entry.known else "on the policy's deny list"
    pattern = entry.pattern.text
    named = "" if pattern == key else pattern
    detail = "; ".join(part for part in (named, entry.reason or "") if part)
    if named and entry.reason:
        detail = f"{named}: {entry.reason}"
    return f"{name} {version} is {what}" + (f" ({detail})" if detail else "")


def _hint(subject: Subject, entry: DenyEntry, entries: Sequence[DenyEntry]) -> str:
    """Stay on the version the change moves from when no entry denies it too; else move off this one."""
    dep, change = subject.dependency, subject.change
    before = change.before if change is not None else None
    see = f" (see {entry.url})" if entry.url else ""
    if before is not None and before.version and before.version != dep.version \
            and not any(other.pattern.matches(before.ecosystem, before.name, before.version) for other in entries):
        return f"stay on {before.display_version()}{see}"
    return f"move off this version{see}"


RULE = Rule(
    id="deny",
    label="known-bad release",
    default_level="block",
    action="Move off this version",
    action_rank=10,
    summary="Versions that must never be installed: publicly documented malicious releases and your own list.",
    explanation=(
        "Some releases are known to be malicious: litellm 1.82.7 and 1.82.8 (March 2026) stole credentials at "
        "start-up, chalk 5.6.1 and debug 4.4.2 (September 2025) swapped crypto-wallet addresses. lockgate ships "
        "a list of publicly documented ones (policies/known-bad.yml, used when `known-bad: true`) and lets a "
        "policy add its own entries, by exact version or range, per ecosystem and name (npm scopes respected: "
        "`npm:@scope/name@1.2.3`)."
    ),
    fix="Move to a version outside the list (a clean release published after the incident, or the one before it).",
    example=(
        "rules:\n"
        "  deny:\n"
        "    level: block\n"
        "    known-bad: true\n"
        "    packages:\n"
        "      - {package: \"pypi:requests@<2.31\", reason: \"CVE-2023-32681\"}"
    ),
    options=(
        Option("known-bad", "bool", True, "also deny the releases listed in lockgate's policies/known-bad.yml"),
        Option("packages", "deny-list", [], "denied packages: `ecosystem:name@version-or-range`, with a reason"),
    ),
    check_dependency=check,
)
