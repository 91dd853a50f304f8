"""Comparing versions across ecosystems: ordering, bump type, and matching a version against a range.

PyPI versions follow PEP 440 (through ``packaging``). Versions that do not parse (git commits, tags such as
``v4``, image digests) cannot be ordered: their bump is ``other``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_RANGE_CHARS = frozenset("<>=!~^*, |")


@lru_cache(maxsize=4096)
def parse_version(text: str) -> Any:
    """A ``packaging`` Version, or None when the text is not a version (a tag, a commit, a digest)."""
    from packaging.version import InvalidVersion, Version

    candidate = text[1:] if text[:1] in ("v", "V") and text[1:2].isdigit() else text
    try:
        return Version(candidate)
    except InvalidVersion:
        return None


def compare(ecosystem: str, a: str, b: str) -> int | None:
    """-1, 0 or 1 as a sorts before, with or after b; None when they cannot be ordered."""
    va, vb = parse_version(a), parse_version(b)
    if va is None or vb is None:
        return 0 if a == b else None
    return (va > vb) - (va < vb)


def bump(ecosystem: str, before: str, after: str) -> str:
    """``major``, ``minor``, ``patch`` or ``other``, from the first release component that differs."""
    va, vb = parse_version(before), parse_version(after)
    if va is None or vb is None:
        return "other"
    ra, rb = va.release + (0, 0, 0), vb.release + (0, 0, 0)
    for index, name in enumerate(("major", "minor", "patch")):
        if ra[index] != rb[index]:
            return name
    return "other"


def is_range(spec: str) -> bool:
    return any(char in _RANGE_CHARS for char in spec)


def is_valid_spec(spec: str) -> bool:
    """Whether ``version_matches`` can use ``spec``: ``*``, an exact version, or a range PEP 440 accepts."""
    spec = spec.strip()
    if spec in ("*", "") or not is_range(spec):
        return True
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(spec)
    except InvalidSpecifier:
        return False
    return True


def version_matches(ecosystem: str, version: str, spec: str) -> bool:
    """Whether an exact version falls in ``spec``: an exact version, a ``*`` glob, or a PEP 440 range."""
    spec = spec.strip()
    if spec in ("*", ""):
        return True
    if not is_range(spec):
        if version == spec:
            return True
        va, vs = parse_version(version), parse_version(spec)
        return va is not None and va == vs
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        specifier = SpecifierSet(spec)
    except InvalidSpecifier:
        return False
    parsed = parse_version(version)
    return parsed is not None and specifier.contains(parsed, prereleases=True)


def lower_bound(specifier: str) -> str | None:
    """The smallest version a declared range admits, as written (``>=2.1,<3`` -> ``2.1``), or None."""
    best = None
    for part in specifier.split(","):
        part = part.strip()
        for op in ("===", "==", ">=", "~=", "^", "~", ">"):
            if part.startswith(op):
                candidate = part[len(op) :].strip().rstrip(".*")
                if parse_version(candidate) is not None and (
                    best is None or parse_version(candidate) > parse_version(best)
                ):
                    best = candidate
                break
    return best
