"""Go module versions: golang.org/x/mod/semver's ordering, pseudo-versions and ``+incompatible``.

Go's semantic versions (golang.org/x/mod/semver, package doc) are SemVer 2.0 with two differences: the leading
``v`` is required, and ``vMAJOR`` and ``vMAJOR.MINOR`` (without prerelease or build) are shorthands for
``vMAJOR.0.0`` and ``vMAJOR.MINOR.0``::

    version    := "v" major ["." minor ["." patch [prerelease] [build]]]
    major, minor, patch := "0" | [1-9][0-9]*           (no leading zeros)
    prerelease := "-" ident ("." ident)*                (ident: [0-9A-Za-z-]+, a numeric one without leading zero)
    build      := "+" ident ("." ident)*                (ignored by the ordering)

Two versions are equal when their canonical forms (shorthands filled in, build dropped) are: ``v1.2.3+incompatible``
equals ``v1.2.3`` in the ordering, as in Go. Prereleases compare identifier by identifier, numeric ones by value
and below alphanumeric ones.

A pseudo-version (golang.org/x/mod/module/pseudo.go) names an untagged commit; it is a prerelease, so the ordering
above places it below the next tagged version, as Go intends::

    (1) vX.0.0-yyyymmddhhmmss-abcdef123456
    (2) vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef123456[+incompatible]
    (4) vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef123456[+incompatible]

Tested against Go's own vectors (tests/versions/test_go.py). Strings that are not Go versions (a branch name in
a ``replace``, ``latest``) cannot be ordered: ``compare`` answers None and ``bump`` ``other``.

May import: the standard library only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# Linear: every part is a run of one character class, each followed by a fixed separator.
_VERSION = re.compile(
    r"v(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?)?)?"
)
# golang.org/x/mod/module/pseudo.go ``pseudoVersionRE``, with its leading ``v`` and without backtracking hazards:
# ``([^+]*\.)?`` there is a lazy prefix; here the prerelease is split on dots by the caller.
_TIMESTAMP = re.compile(r"[0-9]{14}")
_REVISION = re.compile(r"[A-Za-z0-9]+")
_COMPARATOR = re.compile(r"(<=|>=|<|>|=)?\s*(v\S*)")


class GoVersion(NamedTuple):
    """A parsed Go version. ``prerelease``: its dot-separated identifiers (empty for a release); ``build``: the
    ``+…`` suffix without the plus (``incompatible``), which the ordering ignores."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...]
    build: str
    short: bool  # written as vX or vX.Y

    def key(self) -> tuple:
        """A sort key: Go's precedence (a release sorts after its prereleases; build ignored)."""
        pre = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.prerelease)
        return (self.major, self.minor, self.patch, 0 if pre else 1, pre)

    @property
    def canonical(self) -> str:
        text = f"v{self.major}.{self.minor}.{self.patch}"
        return text + ("-" + ".".join(self.prerelease) if self.prerelease else "")


@lru_cache(maxsize=8192)
def parse(text: str) -> GoVersion | None:
    """The Go version ``text`` is, or None when it is not one (golang.org/x/mod/semver ``IsValid``)."""
    found = _VERSION.fullmatch(text)
    if found is None:
        return None
    major, minor, patch, pre, build = found.groups()
    short = patch is None
    if short and (pre is not None or build is not None):
        return None  # unreachable by the grammar, kept for clarity: v1-pre and v1.2+meta are not versions
    prerelease = tuple(pre.split(".")) if pre else ()
    if any(len(part) > 1 and part[0] == "0" and part.isdigit() for part in prerelease):
        return None  # a numeric identifier with a leading zero
    return GoVersion(int(major), int(minor or 0), int(patch or 0), prerelease, build or "", short)


def is_valid(text: str) -> bool:
    return parse(text) is not None


def canonical(text: str) -> str:
    """golang.org/x/mod/semver ``Canonical``: shorthands filled in, build metadata dropped; "" when invalid."""
    parsed = parse(text)
    return parsed.canonical if parsed is not None else ""


def _ordered(text: str) -> GoVersion | None:
    """A module version, or the Go release of a ``go``/``toolchain`` line (``1.22.3``, ``go1.22.3``) read as one,
    so that a newer toolchain is an upgrade; a release candidate (``1.21rc1``) is no version here."""
    if text[:1] == "v":
        return parse(text)
    release = text[2:] if text[:3] == "go1" else text
    return parse("v" + release) if release[:1].isdigit() else None


def compare(a: str, b: str) -> int | None:
    """-1, 0 or 1 by Go's precedence; None when either is not a Go version (a branch, a commit) and they differ."""
    va, vb = _ordered(a), _ordered(b)
    if va is None or vb is None:
        return 0 if a == b else None
    ka, kb = va.key(), vb.key()
    return (ka > kb) - (ka < kb)


def bump(before: str, after: str) -> str:
    """``major``, ``minor``, ``patch`` or ``other`` from the first of MAJOR.MINOR.PATCH that differs (a new
    pseudo-version of the same base, a prerelease change: ``other``)."""
    va, vb = _ordered(before), _ordered(after)
    if va is None or vb is None:
        return "other"
    for name, x, y in (("major", va.major, vb.major), ("minor", va.minor, vb.minor), ("patch", va.patch, vb.patch)):
        if x != y:
            return name
    return "other"


def is_pseudo_version(text: str) -> bool:
    """golang.org/x/mod/module ``IsPseudoVersion``: one of the forms in the module docstring."""
    parsed = parse(text)
    if parsed is None or text.count("-") < 2 or not parsed.prerelease:
        return False
    parts = parsed.prerelease
    last = parts[-1]
    stamp, dash, revision = last.partition("-")
    if not dash or not _TIMESTAMP.fullmatch(stamp) or not _REVISION.fullmatch(revision):
        return False
    if len(parts) == 1:  # form (1): vX.0.0-yyyymmddhhmmss-rev
        return parsed.minor == 0 and parsed.patch == 0
    return parts[-2] == "0"  # forms (2) and (4): …-0.yyyymmddhhmmss-rev, …-pre.0.yyyymmddhhmmss-rev


def pseudo_version_revision(text: str) -> str | None:
    """The commit a pseudo-version names (its abbreviated hash), or None for any other version."""
    if not is_pseudo_version(text):
        return None
    return text.split("+", 1)[0].rsplit("-", 1)[1]


def matches(version: str, spec: str) -> bool:
    """Whether ``version`` satisfies ``spec``: an exact Go version (compared canonically) or comparators
    (``<``, ``<=``, ``>``, ``>=``, ``=``) joined by commas or spaces, all of which must hold. A spec or a
    version that does not parse matches nothing but itself."""
    if version == spec:
        return True
    comparators = parse_spec(spec)
    if comparators is None or parse(version) is None:
        return False
    for operator, bound in comparators:
        order = compare(version, bound)
        if order is None or not {"<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0,
                                 "=": order == 0}[operator]:
            return False
    return True


def parse_spec(spec: str) -> list[tuple[str, str]] | None:
    """``spec``'s comparators as (operator, version), or None when it is not an exact version or a list of them."""
    comparators = []
    for part in spec.replace(",", " ").replace("<= ", "<=").replace(">= ", ">=").replace("< ", "<") \
            .replace("> ", ">").replace("= ", "=").split():
        found = _COMPARATOR.fullmatch(part)
        if found is None or parse(found.group(2)) is None:
            return None
        comparators.append((found.group(1) or "=", found.group(2)))
    return comparators or None
