"""Comparing versions across ecosystems: ordering, bump type, and matching a version against a range.

PyPI versions follow PEP 440 (through ``packaging``); npm versions and ranges follow node-semver (through
``checker.versions.semver``); RubyGems versions follow ``Gem::Version`` (``checker.versions.rubygems``) and
Composer's its VersionParser and PHP's version_compare (``checker.versions.composer``); Go module versions
follow golang.org/x/mod/semver (``checker.versions.go``: a leading ``v``, pseudo-versions, ``+incompatible``; a
policy range is comparators such as ``>=v1.2.0, <v1.3.0``); NuGet's NuGet.Versioning (``checker.versions.nuget``)
and pub's pub_semver (``checker.versions.pub``), ranges in their own syntax. Versions that do not parse (git
commits, tags such as ``v4``, image digests) cannot be ordered: their bump is ``other``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from packaging.version import Version

_RANGE_CHARS = frozenset("<>=!~^*, |")
# Ecosystems with an ordering module of their own in checker.versions (``compare`` and ``bump``), imported lazily.
_OWN_ORDERING = {"gem": "rubygems", "composer": "composer", "go": "go", "nuget": "nuget", "pub": "pub"}
# Of those, the ecosystems whose policy ranges are written in the ecosystem's own syntax (NuGet's ``[1.0,2.0)``,
# pub's ``^1.2.0`` / ``>=1.0.0 <2.0.0``), matched by the module's ``satisfies``; a plain version is that version.
_OWN_RANGE_SYNTAX = frozenset({"nuget", "pub"})
# An npm policy version that is no range at all (a git commit, a tag): matched by equality.
_NPM_LITERAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")


@lru_cache(maxsize=4096)
def parse_version(text: str) -> Version | None:
    """A ``packaging`` Version, or None when the text is not a version (a tag, a commit, a digest)."""
    from packaging.version import InvalidVersion, Version

    candidate = text[1:] if text[:1] in ("v", "V") and text[1:2].isdigit() else text
    try:
        return Version(candidate)
    except (InvalidVersion, ValueError):  # ValueError: a release number over Python's digit limit
        return None


# Ecosystems ordered by checker/versions/cargo.py: Cargo (the semver crate, build metadata a tie-break) and SwiftPM
# (SemVer 2.0, build metadata ignored).
_CARGO_ORDER = {"cargo": True, "swift": False}


def compare(ecosystem: str, a: str, b: str) -> int | None:
    """-1, 0 or 1 as a sorts before, with or after b; None when they cannot be ordered."""
    if ecosystem in _CARGO_ORDER:
        from checker.versions import cargo

        order = cargo.compare(a, b, build=_CARGO_ORDER[ecosystem])
        return (0 if a == b else None) if order is None else order
    if ecosystem == "maven":
        from checker.versions import maven

        order = maven.compare(a, b)
        return (0 if a == b else None) if order is None else order
    if ecosystem == "npm":
        from checker.versions import semver

        order = semver.compare(a, b)
        return (0 if a == b else None) if order is None else order
    if ecosystem == "docker":
        from checker.versions import refs

        return refs.compare_tags(a, b)
    if ecosystem in _OWN_ORDERING:
        module = _ordering(ecosystem)
        order = module.compare(a, b)
        return (0 if a == b else None) if order is None else order
    va, vb = parse_version(a), parse_version(b)
    if va is None or vb is None:
        return 0 if a == b else None
    return (va > vb) - (va < vb)


def _ordering(ecosystem: str) -> Any:
    import importlib

    return importlib.import_module(f"checker.versions.{_OWN_ORDERING[ecosystem]}")


def bump(ecosystem: str, before: str, after: str) -> str:
    """``major``, ``minor``, ``patch`` or ``other``, from the first release component that differs."""
    if ecosystem in _CARGO_ORDER:
        from checker.versions import cargo

        return cargo.bump(before, after)
    if ecosystem == "maven":
        from checker.versions import maven

        return maven.bump(before, after)
    if ecosystem == "npm":
        from checker.versions import semver

        return semver.bump(before, after)
    if ecosystem == "docker":
        from checker.versions import refs

        return refs.bump_tags(before, after)
    if ecosystem in _OWN_ORDERING:
        found: str = _ordering(ecosystem).bump(before, after)
        return found
    va, vb = parse_version(before), parse_version(after)
    if va is None or vb is None:
        return "other"
    return release_bump(va.release, vb.release)


def release_bump(before: tuple[int, ...], after: tuple[int, ...]) -> str:
    """``major``, ``minor`` or ``patch``: the first of the first three release numbers that differs (a missing one
    counts as 0); ``other`` when they agree."""
    ra, rb = before + (0, 0, 0), after + (0, 0, 0)
    for index, name in enumerate(("major", "minor", "patch")):
        if ra[index] != rb[index]:
            return name
    return "other"


def is_range(spec: str) -> bool:
    return any(char in _RANGE_CHARS for char in spec)


def is_valid_spec(spec: str, ecosystem: str = "pypi") -> bool:
    """Whether ``version_matches`` can use ``spec``: ``*``, an exact version, or a range PEP 440 accepts (for
    npm: a node-semver range; for a pattern of any ecosystem, ``*``: either; maven: a Maven range)."""
    if ecosystem == "maven":
        from checker.versions import maven

        return maven.is_valid_spec(spec)
    if ecosystem == "npm":
        return _is_valid_npm_spec(spec)
    if ecosystem == "go":
        from checker.versions import go

        spec = spec.strip()
        return spec in ("*", "") or go.parse_spec(spec) is not None
    if ecosystem in _OWN_RANGE_SYNTAX:
        return spec.strip() in ("*", "") or _own_spec_valid(ecosystem, spec)
    if ecosystem == "*" and _is_valid_npm_spec(spec):
        return True
    spec = spec.strip()
    if spec in ("*", "") or not is_range(spec):
        return True
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(spec)
    except InvalidSpecifier:
        return False
    return True


def _own_spec_valid(ecosystem: str, spec: str) -> bool:
    """A NuGet range (``[1.0,2.0)``, ``1.*``) or a pub constraint (``^1.2.0``, ``>=1.0.0 <2.0.0``), or a literal
    (a version that does not parse is matched by equality)."""
    module = _ordering(ecosystem)
    if ecosystem == "nuget":
        return module.parse_range(spec) is not None or _NPM_LITERAL.fullmatch(spec.strip()) is not None
    return bool(module.is_constraint(spec)) or _NPM_LITERAL.fullmatch(spec.strip()) is not None


def _is_valid_npm_spec(spec: str) -> bool:
    """A node-semver range that loses no word when read (``^1.2``, ``>=1 <2 || 3.x``), or a single literal such
    as a git commit, matched exactly."""
    spec = spec.strip()
    if spec in ("*", "") or _NPM_LITERAL.fullmatch(spec):
        return True
    from checker.versions import semver

    parsed = semver.parse_range(spec)
    return parsed is not None and not parsed.dropped


def version_matches(ecosystem: str, version: str, spec: str) -> bool:
    """Whether an exact version falls in ``spec``: an exact version, a ``*`` glob, or a PEP 440 range (npm: a
    node-semver range, prereleases included, so that a denied ``<2.0.0`` also catches ``2.0.0-rc.1``)."""
    spec = spec.strip()
    if spec in ("*", ""):
        return True
    if ecosystem == "maven":
        from checker.versions import maven

        return maven.matches(version, spec)
    if ecosystem == "npm":
        from checker.versions import semver

        return version == spec or semver.satisfies(version, spec, include_prerelease=True)
    if ecosystem == "go":
        from checker.versions import go

        return go.matches(version, spec)
    if ecosystem in _OWN_RANGE_SYNTAX:
        return _own_syntax_matches(ecosystem, version, spec)
    if ecosystem in _OWN_ORDERING:
        return _own_matches(ecosystem, version, spec)
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


_OPERATORS = ("<=", ">=", "==", "!=", "<", ">", "=")


def _own_matches(ecosystem: str, version: str, spec: str) -> bool:
    """A policy range for an ecosystem with its own ordering (``gem:rails@>=7,<7.1``): comma-separated comparisons,
    each ordered as the ecosystem orders versions; one that cannot be ordered (a Composer branch) does not match."""
    if version == spec:
        return True
    for part in spec.split(","):
        part = part.strip()
        op = next((o for o in _OPERATORS if part.startswith(o)), "==")
        bound = part[len(op):].strip() if part.startswith(op) else part
        order = compare(ecosystem, version, bound)
        if order is None:
            return False
        if not {"<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0, "==": order == 0,
                "=": order == 0, "!=": order != 0}[op]:
            return False
    return True


def _own_syntax_matches(ecosystem: str, version: str, spec: str) -> bool:
    """NuGet and pub: a plain version is that one version (by the ecosystem's equality: ``1.0`` is NuGet's
    ``1.0.0.0``), not NuGet's "at least" reading of a bare ``Version=""``; anything else is a range of the
    ecosystem's own syntax."""
    module = _ordering(ecosystem)
    if version == spec or module.compare(version, spec) == 0:
        return True
    if ecosystem == "nuget" and spec[:1] not in "[(" and "*" not in spec:
        return False
    return bool(module.satisfies(version, spec))


def lower_bound(specifier: str, ecosystem: str = "pypi") -> str | None:
    """The smallest version a declared range admits, as written (``>=2.1,<3`` -> ``2.1``), or None. npm ranges
    are read as node-semver reads them (``^1.2`` -> ``1.2.0``, ``1.x`` -> ``1.0.0``)."""
    if ecosystem == "npm":
        from checker.versions import semver

        return semver.lower_bound(specifier)
    if ecosystem in _OWN_RANGE_SYNTAX:
        found: str | None = _ordering(ecosystem).lower_bound(specifier)
        return found
    best: str | None = None
    best_version: Version | None = None
    for part in specifier.split(","):
        part = part.strip()
        for op in ("===", "==", ">=", "~=", "^", "~", ">"):
            if part.startswith(op):
                candidate = part[len(op) :].strip().rstrip(".*")
                version = parse_version(candidate)
                if version is not None and (best_version is None or version > best_version):
                    best, best_version = candidate, version
                break
    return best
