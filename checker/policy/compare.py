"""What a change to the policy or the review ledger does, in words: pure comparisons of two loaded policies (the
effective ones, ``extends`` resolved) and of two ledgers.

Each difference is one short phrase (``rules.release-age.level block -> warn``) and is sorted into "loosens the
gate" or "other", so that a reviewer sees first what lets more through: a rule's level or an option's level lowered,
a cooldown shortened, an allowance or exclusion added, a required publisher or denied package dropped, an
exception added or extended, a review made easier to get (fewer kinds reviewed, more skips, more reviewers, a
label, stale approvals), facts asked of another registry. Anything else that changed is still listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from checker.model import LEVEL_RANK

# List options where a new entry lets more through, and those where a removed entry does.
_GROWTH_LOOSENS = frozenset({"allow", "allow-git", "allow-url", "allow-path", "allow-replace", "exclude", "hosts",
                             "algorithms"})
_SHRINK_LOOSENS = frozenset({"require", "packages", "trusted-publishers"})
# action-pinning's policies, strictest first.
_PIN_RANK = {"hash-pin": 2, "ref-pin": 1, "any": 0}


class PolicyDiff(NamedTuple):
    """The differences between two effective policies (or two ledgers): phrases that loosen the gate, other
    phrases, and the top-level keys (as the policy file spells them) whose effect changed."""

    loosened: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.loosened or self.other)


class _Collector:
    def __init__(self) -> None:
        self.loosened: list[str] = []
        self.other: list[str] = []
        self.keys: list[str] = []

    def add(self, key: str, phrase: str, loosens: bool) -> None:
        (self.loosened if loosens else self.other).append(phrase)
        if key not in self.keys:
            self.keys.append(key)

    def result(self) -> PolicyDiff:
        return PolicyDiff(tuple(self.loosened), tuple(self.other), tuple(sorted(self.keys)))


def show(value: Any) -> str:
    """A policy value as the policy file would write it (patterns by their text, publishers by package and
    repository, lists in brackets)."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = getattr(value, "text", None)
    if isinstance(text, str):  # a PackagePattern
        return text
    pattern = getattr(value, "pattern", None)
    if pattern is not None:  # a DenyEntry or a PublisherPin
        describe = getattr(value, "describe", None)
        return f"{pattern.text} by {describe()}" if callable(describe) else pattern.text
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (tuple, list, frozenset, set)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def _listing(value: Any) -> list[str]:
    items = value if isinstance(value, (tuple, list)) else () if value is None else (value,)
    return list(dict.fromkeys(show(item) for item in items))


def _compare_list(out: _Collector, key: str, what: str, before: Any, after: Any, grow_loosens: bool | None) -> None:
    old, new = _listing(before), _listing(after)
    added = [item for item in new if item not in old]
    removed = [item for item in old if item not in new]
    if added:
        out.add(key, f"{what}: adds {', '.join(added)}", grow_loosens is True)
    if removed:
        out.add(key, f"{what}: removes {', '.join(removed)}", grow_loosens is False)


def _level_change(out: _Collector, key: str, what: str, before: str, after: str) -> None:
    if before != after:
        lowered = LEVEL_RANK.get(after, 0) < LEVEL_RANK.get(before, 0)
        out.add(key, f"{what} {before} -> {after}", lowered)


def _option(out: _Collector, rule: str, name: str, before: Any, after: Any,
            fallback: tuple[Any, Any] = (None, None)) -> None:
    """One option of one rule. ``fallback``: the values that apply when the option is unset on each side (a
    release-age ``patch-days`` that is not set means ``days``)."""
    what = f"rules.{rule}.{name}"
    if before == after:
        return
    if isinstance(before, str) and isinstance(after, str) and before in LEVEL_RANK and after in LEVEL_RANK:
        _level_change(out, "rules", what, before, after)
    elif isinstance(before, bool) or isinstance(after, bool):
        out.add("rules", f"{what} {show(before)} -> {show(after)}", before is True and after is not True)
    elif isinstance(before, int) or isinstance(after, int):
        old = before if before is not None else fallback[0]
        new = after if after is not None else fallback[1]
        shorter = isinstance(old, int) and isinstance(new, int) and new < old
        out.add("rules", f"{what} {show(before)} -> {show(after)}", shorter or (old is not None and new is None))
    elif isinstance(before, Mapping) or isinstance(after, Mapping):
        old, new = dict(before or {}), dict(after or {})
        for pattern in dict.fromkeys([*old, *new]):
            if old.get(pattern) == new.get(pattern):
                continue
            weaker = _PIN_RANK.get(str(new.get(pattern, "hash-pin")), 2) < _PIN_RANK.get(str(old.get(pattern, "hash-pin")), 2)
            out.add("rules", f"{what}.{pattern} {show(old.get(pattern))} -> {show(new.get(pattern))}", weaker)
    elif isinstance(before, (tuple, list)) or isinstance(after, (tuple, list)):
        grow = True if name in _GROWTH_LOOSENS else False if name in _SHRINK_LOOSENS else None
        _compare_list(out, "rules", what, before, after, grow)
    else:
        out.add("rules", f"{what} {show(before)} -> {show(after)}", False)


def _rules(out: _Collector, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    for rule in dict.fromkeys([*before, *after]):
        old, new = before.get(rule), after.get(rule)
        if old is None or new is None:
            continue  # a rule one lockgate version knows and the other does not: both sides ran this one
        _level_change(out, "rules", f"rules.{rule}.level", old.level, new.level)
        for name in dict.fromkeys([*old.options, *new.options]):
            fallback = (old.options.get("days"), new.options.get("days")) if name.endswith("-days") else (None, None)
            _option(out, rule, name, old.options.get(name), new.options.get(name), fallback)


def _skip_text(entry: Any) -> str:
    parts = [f"{name}: {show(getattr(entry, name))}" for name in ("scope", "bump", "kind", "package", "direct")
             if getattr(entry, name) is not None]
    return "{" + ", ".join(parts) + "}"


def _review(out: _Collector, before: Any, after: Any) -> None:
    old_kinds, new_kinds = list(before.required_for), list(after.required_for)
    dropped = [k for k in old_kinds if k not in new_kinds]
    added = [k for k in new_kinds if k not in old_kinds]
    if dropped:
        out.add("review", f"review.required-for: no longer reviews {', '.join(dropped)}", True)
    if added:
        out.add("review", f"review.required-for: now also reviews {', '.join(added)}", False)
    _compare_list(out, "review", "review.skip", [_skip_text(s) for s in before.skip],
                  [_skip_text(s) for s in after.skip], True)
    _compare_list(out, "review", "review.reviewers", before.reviewers, after.reviewers, True)
    if not before.reviewers and after.reviewers:
        out.add("review", "review.reviewers: from any maintainer to the named reviewers only", False)
    elif before.reviewers and not after.reviewers:
        out.add("review", "review.reviewers: from the named reviewers to any maintainer", True)
    if before.label != after.label:
        out.add("review", f"review.label {show(before.label)} -> {show(after.label)}", after.label is not None)
    if before.ledger != after.ledger:
        out.add("review", f"review.ledger {show(before.ledger)} -> {show(after.ledger)}", after.ledger is not None)
    if before.allow_stale_approvals != after.allow_stale_approvals:
        out.add("review", f"review.allow-stale-approvals {show(before.allow_stale_approvals)} -> "
                          f"{show(after.allow_stale_approvals)}", after.allow_stale_approvals)


def _exception_text(exception: Any) -> str:
    return f"{exception.rule} on {exception.covers} until {exception.expires.isoformat()} ({exception.reason})"


def _exceptions(out: _Collector, before: Sequence[Any], after: Sequence[Any]) -> None:
    old = {(e.rule, e.covers): e for e in before}
    new = {(e.rule, e.covers): e for e in after}
    for key, exception in new.items():
        previous = old.get(key)
        if previous is None:
            out.add("exceptions", f"exceptions: adds {_exception_text(exception)}", True)
        elif previous.expires != exception.expires:
            out.add("exceptions", f"exceptions: {exception.rule} on {exception.covers} expires "
                                  f"{previous.expires.isoformat()} -> {exception.expires.isoformat()}",
                    exception.expires > previous.expires)
        elif previous.reason != exception.reason:
            out.add("exceptions", f"exceptions: {exception.rule} on {exception.covers} gets the reason "
                                  f"{exception.reason!r}", False)
    for key, exception in old.items():
        if key not in new:
            out.add("exceptions", f"exceptions: removes {_exception_text(exception)}", False)


def _registries(out: _Collector, before: Any, after: Any) -> None:
    from checker.redaction import redact_index_url

    from checker.policy.load import OTHER_REGISTRIES

    for key in ("pypi", "npm", *OTHER_REGISTRIES):
        name = key.replace("-", "_")
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            old_text = redact_index_url(old) if old else "the public registry"
            new_text = redact_index_url(new) if new else "the public registry"
            out.add("registries", f"registries.{key}: facts from {old_text} -> {new_text}", True)
    if before.npm_serves_provenance != after.npm_serves_provenance:
        out.add("registries", f"registries.npm.serves-provenance {show(before.npm_serves_provenance)} -> "
                              f"{show(after.npm_serves_provenance)}", False)
    for name, key in (("timeout", "timeout"), ("retries", "retries"), ("budget", "budget"), ("cache", "cache"),
                      ("cache_ttl", "cache-ttl")):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            out.add("registries", f"registries.{key} {show(old)} -> {show(new)}", False)


def _parents(policy: Any) -> tuple[str, ...]:
    """What a policy extends: every link of its chain but itself. A preset on its own (no policy file) counts as
    extending itself, so that adding a file that extends the same preset is no change of ``extends``."""
    chain = tuple(policy.chain)
    return chain if chain and str(chain[-1]).startswith("preset:") else chain[:-1]


def _extends_text(parents: tuple[str, ...]) -> str:
    """``strict (which extends default)`` from a chain of parents (farthest first)."""
    names = [p.removeprefix("preset:") for p in reversed(parents)]
    if not names:
        return "unset"
    return names[0] + (f" (which extends {', then '.join(names[1:])})" if len(names) > 1 else "")


def compare_policies(before: Any, after: Any) -> PolicyDiff:
    """The differences between two effective policies (checker.policy.load.Policy)."""
    out = _Collector()
    if _parents(before) != _parents(after):
        out.add("extends", f"extends {_extends_text(_parents(before))} -> {_extends_text(_parents(after))}", False)
    if before.on_unknown != after.on_unknown:
        _level_change(out, "on-unknown", "on-unknown", before.on_unknown, after.on_unknown)
    _compare_list(out, "paths", "paths.ignore", before.ignore, after.ignore, True)
    _rules(out, before.rules, after.rules)
    if before.review != after.review:
        _review(out, before.review, after.review)
    _exceptions(out, before.exceptions, after.exceptions)
    if before.hook != after.hook:
        if before.hook.on_unknown != after.hook.on_unknown:
            _level_change(out, "hook", "hook.on-unknown", before.hook.on_unknown, after.hook.on_unknown)
        if before.hook.online != after.hook.online:
            out.add("hook", f"hook.online {show(before.hook.online)} -> {show(after.hook.online)}", not after.hook.online)
    if before.registries != after.registries:
        _registries(out, before.registries, after.registries)
    return out.result()


def _entry_text(entry: Any) -> str:
    where = f" in {entry.manifest}" if entry.manifest else ""
    return f"{entry.package.text} {entry.from_version or '-'} -> {entry.to_version}{where} by {entry.reviewer}"


def compare_ledgers(before: Iterable[Any], after: Iterable[Any]) -> PolicyDiff:
    """Entries a ledger gains (each would approve a change in later pull requests) and loses."""
    def key(entry: Any) -> tuple[Any, ...]:
        return (entry.package.text, entry.from_version, entry.to_version, entry.reviewer, entry.reason,
                entry.manifest)

    old = {key(e): e for e in before}
    new = {key(e): e for e in after}
    out = _Collector()
    added = [_entry_text(e) for k, e in new.items() if k not in old]
    removed = [_entry_text(e) for k, e in old.items() if k not in new]
    if added:
        out.add("reviews", f"adds {'a review' if len(added) == 1 else f'{len(added)} reviews'}: {'; '.join(added)}", True)
    if removed:
        out.add("reviews", f"removes {'a review' if len(removed) == 1 else f'{len(removed)} reviews'}: "
                           f"{'; '.join(removed)}", False)
    return out.result()


class FileChange(NamedTuple):
    """One file of the gate that differs: ``kind`` added | removed | modified; ``line``: the first line that differs
    on the head side (None for a removal)."""

    path: str
    kind: str
    line: int | None = None


class PolicyChange(NamedTuple):
    """What a change does to the policy (``subject`` ``policy``) or to the review ledger (``ledger``).
    ``before`` / ``after``: the policy source on each side (``preset:default`` when there is no file)."""

    subject: str
    files: tuple[FileChange, ...]
    diff: PolicyDiff
    before: str
    after: str

    @property
    def path(self) -> str:
        return self.files[0].path

    @property
    def line(self) -> int | None:
        return self.files[0].line
