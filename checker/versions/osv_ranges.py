"""Whether a version is affected by one entry of an OSV record's ``affected[]`` list, and the fix to point at.

The OSV schema (https://ossf.github.io/osv-schema/, "Evaluation") defines it: a version is affected when the entry's
``versions`` list names it, or when it lies within one of its ``ranges``::

    IncludedInRanges(v, ranges):
      for range in ranges:
        if BeforeLimits(v, range):           # no limit event: an implicit "*" (infinity)
          vulnerable = false
          for evt in sorted(range.events):   # by version; introduced "0" sorts before every version
            if evt.introduced and v >= evt.introduced: vulnerable = true
            elif evt.fixed and v >= evt.fixed: vulnerable = false
            elif evt.last_affected and v > evt.last_affected: vulnerable = false
          if vulnerable: return true
      return false

The ordering is the range's ``type``: ``SEMVER`` is SemVer 2.0 precedence (checker/versions/semver.py, a partial
``1.2`` read as ``1.2.0`` as osv.dev does); ``ECOSYSTEM`` is the package ecosystem's own (PyPI: PEP 440 through
``packaging``; npm and GitHub Actions: SemVer); ``GIT`` events are commits, ordered by the repository's history,
which lockgate does not have: a commit pin equal to an ``introduced`` or ``last_affected`` commit is affected, one
equal to a ``fixed`` or ``limit`` commit is not (by that range), any other commit cannot be told. A GIT range
answers commit queries only (as osv.dev's API does): a release version is judged by the entry's other ranges and
its ``versions`` list (which osv.dev fills from the GIT range's tags); an entry with GIT ranges only and no
``versions`` list cannot be told for a release. ``database_specific``
and ``ecosystem_specific`` never take part (the schema says so).

A gate must not read "cannot tell" as "not affected": whatever cannot be ordered (an ecosystem lockgate has no
ordering for, an event or a version that does not parse, an event object with two keys, a GIT range and a version
that is not a listed commit) makes the answer ``None`` with the reason, unless another range or the ``versions``
list already says "affected". Events at one version keep the order the record writes them in (the sort is stable): ``introduced: X, fixed: X``
is empty, and ``…, fixed: X, introduced: X, …`` (one range closed and the next opened at X) affects X.

The fix hint is the lowest ``fixed`` event above the version for which the entry itself does not say "affected"
(a fix on another branch that a later range re-opens is skipped, and so is one its ``versions`` list names).

May import: the standard library, ``packaging``, checker.versions.semver, .cargo, .rubygems, .composer, .maven,
.go, .nuget and .pub only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

Key = Callable[[str], Any]  # a version string -> a comparable value, or None when it does not parse
_ZERO = (0,)
_EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")
MAX_EVENTS = 2_000  # more events than any real record has (PyPA's most: 28): a hostile record cannot make evaluation slow
MAX_FIX_CANDIDATES = 32  # fixes tried for the hint, lowest first (each is one more evaluation of the entry)


class Match(NamedTuple):
    """``affected``: True, False, or None (cannot tell; ``reason`` says why). ``fixed``: the lowest fixed version
    above the one judged (None: no fix above it, or not affected)."""

    affected: bool | None
    fixed: str | None = None
    reason: str | None = None


def _semver_key(text: str) -> Any:
    from checker.versions import semver

    value = text.strip()
    parsed = semver.parse(value, loose=False)
    if parsed is None:
        core, sep, rest = value.partition("-") if "-" in value else value.partition("+")
        parts = core.split(".")
        if 1 <= len(parts) < 3 and all(p.isdigit() for p in parts):  # osv.dev reads "1.2" as "1.2.0"
            parsed = semver.parse(".".join(parts + ["0"] * (3 - len(parts))) + sep + rest, loose=False)
    return None if parsed is None else (1, parsed)


def _action_key(text: str) -> Any:
    value = text.strip()
    return _semver_key(value[1:] if value[:1] in ("v", "V") else value)


def _pep440_key(text: str) -> Any:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(text.strip()))
    except InvalidVersion:
        return None


def _cargo_key(text: str) -> Any:
    from checker.versions import cargo

    return cargo.osv_key(text)


def _rubygems_key(text: str) -> Any:
    from checker.versions import rubygems

    parsed = rubygems.key(text.strip())
    return None if parsed is None else (1, parsed)


def _packagist_key(text: str) -> Any:
    from checker.versions import composer

    parsed = composer.key(text)
    return None if parsed is None else (1, parsed)


def _maven_key(text: str) -> Any:
    from checker.versions import maven

    parsed = maven.parse(text)
    return None if parsed is None else (1, parsed)


def _go_key(text: str) -> Any:
    """Go's ordering (checker/versions/go.py). The Go vulnerability database writes versions without the ``v``
    (``0.17.0``); a pseudo-version is a prerelease and ``+incompatible`` build metadata, as there."""
    from checker.versions import go

    value = text.strip()
    parsed = go.parse(value if value[:1] == "v" else "v" + value)
    return None if parsed is None else (1, parsed.key())


def _nuget_key(text: str) -> Any:
    from checker.versions import nuget

    parsed = nuget.parse(text)
    return None if parsed is None else (1, nuget.sort_key(parsed))


def _pub_key(text: str) -> Any:
    from checker.versions import pub

    parsed = pub.parse(text.strip())
    return None if parsed is None else (1, pub.sort_key(parsed))


ECOSYSTEM_ORDER: Mapping[str, Key] = {"PyPI": _pep440_key, "npm": _semver_key, "GitHub Actions": _action_key,
                                      "crates.io": _cargo_key, "SwiftURL": _semver_key, "RubyGems": _rubygems_key,
                                      "Packagist": _packagist_key, "Maven": _maven_key,
                                      "Go": _go_key, "NuGet": _nuget_key, "Pub": _pub_key}


def ordering(range_type: str, ecosystem: str) -> Key | None:
    """How versions of a range compare (None: lockgate cannot order them)."""
    if range_type == "SEMVER":
        return _semver_key
    if range_type == "ECOSYSTEM":
        return ECOSYSTEM_ORDER.get(ecosystem.split(":", 1)[0])
    return None


def _events(range_: Mapping[str, Any]) -> list[tuple[str, str]] | str:
    """The range's events as (kind, version) pairs, or why they cannot be read."""
    events = range_.get("events")
    if not isinstance(events, list) or not events:
        return "a range without events"
    if len(events) > MAX_EVENTS:
        return f"a range with more than {MAX_EVENTS} events"
    found = []
    for event in events:
        if not isinstance(event, Mapping) or len(event) != 1:
            return "an event that is not one of introduced, fixed, last_affected or limit"
        [(kind, value)] = event.items()
        if kind not in _EVENT_KINDS or not isinstance(value, str) or not value.strip():
            return f"an event {kind!r} without a version"
        found.append((kind, value.strip()))
    return found


def _in_range(events: list[tuple[str, str]], key: Key, at: Any) -> bool | str:
    """IncludedInRanges for one range (see the module docstring); a str is why it cannot be told."""
    keyed: list[tuple[str, str, Any]] = []
    for kind, value in events:
        if kind == "limit" and "*" in value:
            keyed.append((kind, value, None))
            continue
        if kind == "introduced" and value == "0":
            keyed.append((kind, value, _ZERO))
            continue
        parsed = key(value)
        if parsed is None:
            return f"the {kind} version {value!r} does not parse"
        keyed.append((kind, value, parsed))
    limits = [parsed for kind, _, parsed in keyed if kind == "limit"]
    if limits and not any(limit is None or at < limit for limit in limits):
        return False
    vulnerable = False
    ordered = sorted((item for item in keyed if item[0] != "limit"), key=lambda item: item[2])  # stable: ties as written
    for kind, _, parsed in ordered:
        if kind == "introduced" and at >= parsed:
            vulnerable = True
        elif kind == "fixed" and at >= parsed:
            vulnerable = False
        elif kind == "last_affected" and at > parsed:
            vulnerable = False
    return vulnerable


def _git(events: list[tuple[str, str]], version: str) -> bool | str:
    commit = version.strip().lower()
    kinds = {kind for kind, value in events if value.lower() == commit}
    if kinds & {"introduced", "last_affected"}:
        return True
    if kinds & {"fixed", "limit"}:
        return False
    return "a GIT range: whether a commit lies in it needs the repository's history"


def _is_commit(version: str) -> bool:
    text = version.strip()
    return 7 <= len(text) <= 64 and all(c in "0123456789abcdefABCDEF" for c in text)


def _listed(versions: object, key: Key | None, version: str, at: Any) -> bool:
    if not isinstance(versions, list):
        return False
    for listed in versions:
        if not isinstance(listed, str):
            continue
        if listed.strip() == version.strip():
            return True
        if key is not None and at is not None and key(listed) == at:
            return True
    return False


def _decide(entry: Mapping[str, Any], ecosystem: str, version: str) -> tuple[bool | None, list[str], list[str]]:
    """(affected, why undecided, fixed versions of the ranges that could be read)."""
    eco_key = ordering("ECOSYSTEM", ecosystem)
    at_eco = eco_key(version) if eco_key is not None else None
    listed = _listed(entry.get("versions"), eco_key, version, at_eco)
    reasons: list[str] = []
    fixes: list[str] = []
    ranges = entry.get("ranges")
    if ranges is not None and not isinstance(ranges, list):
        return None, ["'ranges' is not a list"], []
    affected = False
    judged = not ranges  # no range at all: the ``versions`` list is the whole answer
    for range_ in ranges or ():
        if not isinstance(range_, Mapping):
            reasons.append("a range that is not an object")
            continue
        kind = range_.get("type")
        events = _events(range_)
        if isinstance(events, str):
            reasons.append(events)
            continue
        if kind == "GIT":
            if not _is_commit(version):
                continue  # a GIT range answers commit queries; a release is judged by the others and ``versions``
            answer: bool | str = _git(events, version)
            judged = True
        else:
            key = ordering(kind if isinstance(kind, str) else "", ecosystem)
            if key is None:
                reasons.append(f"lockgate cannot order {kind} versions of {ecosystem}")
                continue
            at = key(version)
            if at is None:
                reasons.append(f"{version!r} is not a {'SemVer' if kind == 'SEMVER' else ecosystem} version")
                continue
            answer = _in_range(events, key, at)
            judged = True
            fixes.extend(value for event_kind, value in events if event_kind == "fixed")
        if answer is True:
            affected = True
        elif isinstance(answer, str):
            reasons.append(answer)
    if affected or listed:
        return True, [], fixes
    if not judged and not reasons and not isinstance(entry.get("versions"), list):
        reasons.append("only GIT ranges, and no versions list: whether a release lies in them needs the repository")
    return (None if reasons else False), reasons, fixes


def evaluate(entry: Mapping[str, Any], version: str, ecosystem: str | None = None) -> Match:
    """Whether ``version`` is affected by one ``affected[]`` entry (its package already matched by the caller).
    ``ecosystem``: the OSV ecosystem name (default: the entry's ``package.ecosystem``)."""
    if ecosystem is None:
        package = entry.get("package")
        ecosystem = package.get("ecosystem", "") if isinstance(package, Mapping) else ""
        ecosystem = ecosystem if isinstance(ecosystem, str) else ""
    affected, reasons, fixes = _decide(entry, ecosystem, version)
    if affected is None:
        return Match(None, reason="; ".join(dict.fromkeys(reasons)))
    if not affected:
        return Match(False)
    return Match(True, fixed=lowest_fix(entry, ecosystem, version, fixes))


def lowest_fix(entry: Mapping[str, Any], ecosystem: str, version: str, fixes: Sequence[str]) -> str | None:
    """The lowest of ``fixes`` above ``version`` that the entry does not itself say is affected."""
    key = ordering("ECOSYSTEM", ecosystem) or _semver_key
    at = key(version)
    if at is None:
        return None
    above = sorted({(parsed, fix) for fix in fixes if (parsed := key(fix)) is not None and parsed > at},
                   key=lambda item: item[0])
    for _, fix in above[:MAX_FIX_CANDIDATES]:
        if _decide(entry, ecosystem, fix)[0] is not True:
            return fix
    return None
