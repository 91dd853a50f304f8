"""Dart pub versions and constraints, as package:pub_semver (the library pub itself uses) reads them.

Versions (pub_semver's ``completeVersion`` pattern)::

    version = number "." number "." number [ "-" ids ] [ "+" ids ] ;
    ids     = id { "." id } ;   id = ( letter | digit | "-" ) { letter | digit | "-" } ;
    number  = digit { digit } ;        (* leading zeros allowed: "01.2.3" == "1.2.3" *)

Exactly three numbers: ``1.0`` and ``1.2.3.4`` are not versions. Order (``Version.compareTo``): major, minor,
patch; a prerelease before the release; prerelease identifiers part by part (an identifier that Dart's
``int.tryParse`` reads is a number: numbers by value and before strings, strings by code unit; a missing part
first); then, unlike SemVer, the build: no build before a build, builds compared like prereleases
(``1.0.0 < 1.0.0+build``). Two versions are equal when all of that is (``1.2.3-01`` == ``1.2.3-1``).

Constraints (``VersionConstraint.parse``): ``any``, an exact version, ``^1.2.3`` (up to the next breaking
version: ``<2.0.0``, or ``<0.3.0`` for ``^0.2.1``), and comparisons ``>=``, ``>``, ``<=``, ``<`` separated by
spaces, all of which must hold. Prereleases are included when matching (a gate asks whether a version is inside).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

MAX_LENGTH = 256
_VERSION = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
                      r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?")
# What Dart's int.tryParse accepts of an identifier (sign, decimal or 0x hexadecimal).
_DART_INT = re.compile(r"([+-]?)(?:0[xX]([0-9a-fA-F]+)|([0-9]+))")
_COMPARISON = re.compile(r"\s*(>=|<=|>|<)?\s*([^\s<>=]+)")


class PubVersion(NamedTuple):
    release: tuple[int, int, int]
    pre: tuple[int | str, ...]
    build: tuple[int | str, ...]

    @property
    def is_prerelease(self) -> bool:
        return bool(self.pre)

    def next_breaking(self) -> PubVersion:
        major, minor, _ = self.release
        return PubVersion((major + 1, 0, 0) if major else (0, minor + 1, 0), (), ())


def _part(text: str) -> int | str:
    found = _DART_INT.fullmatch(text)
    if found is None:
        return text
    value = int(found.group(2), 16) if found.group(2) else int(found.group(3))
    return -value if found.group(1) == "-" else value


@lru_cache(maxsize=4096)
def parse(text: str) -> PubVersion | None:
    """The version, or None when pub_semver would refuse ``text``."""
    if len(text) > MAX_LENGTH:
        return None
    found = _VERSION.fullmatch(text)
    if found is None:
        return None
    release = (int(found.group(1)), int(found.group(2)), int(found.group(3)))
    pre = tuple(_part(p) for p in found.group(4).split(".")) if found.group(4) else ()
    build = tuple(_part(p) for p in found.group(5).split(".")) if found.group(5) else ()
    return PubVersion(release, pre, build)


def _list_key(parts: tuple[int | str, ...]) -> tuple:
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in parts)


def sort_key(version: PubVersion) -> tuple:
    """A key that orders versions as ``Version.compareTo`` does (a missing part before a present one: a tuple
    that is a prefix of another sorts first)."""
    return (version.release, bool(not version.pre), _list_key(version.pre), bool(version.build),
            _list_key(version.build))


def compare(a: str, b: str) -> int | None:
    va, vb = parse(a), parse(b)
    if va is None or vb is None:
        return None
    ka, kb = sort_key(va), sort_key(vb)
    return (ka > kb) - (ka < kb)


def bump(before: str, after: str) -> str:
    va, vb = parse(before), parse(after)
    if va is None or vb is None:
        return "other"
    for index, name in enumerate(("major", "minor", "patch")):
        if va.release[index] != vb.release[index]:
            return name
    return "other"


@lru_cache(maxsize=2048)
def _bounds(spec: str) -> tuple[tuple[str, PubVersion], ...] | None:
    """The comparisons a constraint is made of, or None when pub would refuse it."""
    spec = spec.strip()
    if len(spec) > MAX_LENGTH:
        return None
    if spec == "any":
        return ()
    if spec.startswith("^"):
        low = parse(spec[1:].strip())
        return None if low is None else ((">=", low), ("<", low.next_breaking()))
    found: list[tuple[str, PubVersion]] = []
    at = 0
    while at < len(spec):
        match = _COMPARISON.match(spec, at)
        if match is None:
            return None
        operator, version = match.group(1) or "=", parse(match.group(2))
        if version is None:
            return None
        found.append((operator, version))
        at = match.end()
    return tuple(found) if found else None


def is_constraint(spec: str) -> bool:
    return _bounds(spec) is not None


def satisfies(version: str, spec: str) -> bool:
    parsed = parse(version)
    bounds = _bounds(spec)
    if parsed is None or bounds is None:
        return False
    key = sort_key(parsed)
    for operator, bound in bounds:
        other = sort_key(bound)
        if not {"=": key == other, ">=": key >= other, ">": key > other, "<=": key <= other,
                "<": key < other}[operator]:
            return False
    return True


def exact_version(spec: str) -> str | None:
    """The version a constraint pins: a bare version (``1.2.3``, as written); None for any range."""
    spec = spec.strip()
    return spec if parse(spec) is not None else None


def lower_bound(spec: str) -> str | None:
    bounds = _bounds(spec)
    for operator, bound in bounds or ():
        if operator in (">=", ">", "="):
            return ".".join(str(n) for n in bound.release)
    return None
