"""Cargo's version semantics, as the ``semver`` crate (the library Cargo itself uses) defines them.

Why not ``checker.versions.semver``: that module is node-semver's reading (loose forms, ``v1.2.3``, components
capped at 2**53, build metadata ignored in ordering), and Cargo differs on each point. The ``semver`` crate parses
strictly and orders build metadata too, as a tie-break after the prerelease:

    version     = number "." number "." number [ "-" prerelease ] [ "+" build ] ;
    number      = "0" | digit-not-zero { digit } ;              (* at most u64::MAX; no leading zero *)
    prerelease  = identifier { "." identifier } ;               (* numeric identifiers without leading zero *)
    build       = build-id { "." build-id } ;                   (* leading zeros allowed *)
    identifier  = 1*( ALPHA | DIGIT | "-" ) ;

Ordering (``semver::Version``'s ``Ord``): major, minor, patch numerically; a version with a prerelease before
the same version without one; prerelease identifiers left to right, numeric ones numerically and before
alphanumeric ones, alphanumeric ones in ASCII order, a longer list of equal leading identifiers later; then build
metadata, compared the same way except that a numeric build identifier equal in value to another but longer
(``+01`` against ``+1``) sorts after it, and the empty build first (``1.0.0 < 1.0.0+a``).

SwiftPM's versions (``Package.resolved`` pins) are SemVer 2.0 too, but build metadata never orders them:
``compare(..., build=False)``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

MAX_COMPONENT = 2**64 - 1  # u64::MAX: a larger number is no version for the semver crate
MAX_LENGTH = 256
_NUMBER = r"(?:0|[1-9][0-9]*)"
_IDENTIFIER = r"[0-9A-Za-z-]+"
_VERSION = re.compile(
    rf"({_NUMBER})\.({_NUMBER})\.({_NUMBER})(?:-({_IDENTIFIER}(?:\.{_IDENTIFIER})*))?"
    rf"(?:\+({_IDENTIFIER}(?:\.{_IDENTIFIER})*))?",
    re.ASCII,
)


class CargoVersion(NamedTuple):
    major: int
    minor: int
    patch: int
    pre: tuple[str, ...]
    build: tuple[str, ...]


def _identifier_key(identifier: str, build: bool) -> tuple:
    """Numeric identifiers before alphanumeric ones; numbers by value (for build metadata, then by length: the
    semver crate's ``+1 < +01``); others in ASCII order."""
    if identifier.isdigit():
        return (0, int(identifier), len(identifier)) if build else (0, int(identifier))
    return (1, identifier)


@lru_cache(maxsize=8192)
def parse(text: str) -> CargoVersion | None:
    """The version, or None when the ``semver`` crate would refuse it (leading zeros, a missing component, a
    number above u64::MAX, anything around it)."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    found = _VERSION.fullmatch(text)
    if found is None:
        return None
    major, minor, patch = (int(found.group(i)) for i in (1, 2, 3))
    if max(major, minor, patch) > MAX_COMPONENT:
        return None
    pre = tuple(found.group(4).split(".")) if found.group(4) else ()
    if any(len(part) > 1 and part.isdigit() and part[0] == "0" for part in pre):
        return None  # "invalid leading zero in pre-release identifier"
    build = tuple(found.group(5).split(".")) if found.group(5) else ()
    return CargoVersion(major, minor, patch, pre, build)


def sort_key(version: CargoVersion, build: bool = True) -> tuple:
    """A key that orders versions as the ``semver`` crate does (``build=False``: SemVer 2.0 precedence, build
    metadata ignored)."""
    pre = (1,) if not version.pre else (0, tuple(_identifier_key(p, False) for p in version.pre))
    metadata = tuple(_identifier_key(b, True) for b in version.build) if build else ()
    return (version.major, version.minor, version.patch, pre, metadata)


def compare(a: str, b: str, build: bool = True) -> int | None:
    """-1, 0 or 1 as ``a`` sorts before, with or after ``b``; None when either is not a version."""
    va, vb = parse(a), parse(b)
    if va is None or vb is None:
        return None
    ka, kb = sort_key(va, build), sort_key(vb, build)
    return (ka > kb) - (ka < kb)


def bump(before: str, after: str) -> str:
    """``major``, ``minor`` or ``patch`` from the first of MAJOR.MINOR.PATCH that differs; ``other`` when only the
    prerelease or build changed or either side is not a version."""
    va, vb = parse(before), parse(after)
    if va is None or vb is None:
        return "other"
    for name, x, y in (("major", va.major, vb.major), ("minor", va.minor, vb.minor), ("patch", va.patch, vb.patch)):
        if x != y:
            return name
    return "other"


def osv_key(text: str) -> tuple | None:
    """The ordering key of a version in an OSV record (``crates.io``'s ECOSYSTEM ranges), None when it does not
    parse."""
    parsed = parse(text.strip())
    return None if parsed is None else (1, sort_key(parsed))
