"""NuGet versions and version ranges, as NuGet.Versioning (the library the NuGet client and nuget.org use) reads
them.

Versions (``NuGetVersion.TryParse``)::

    version  = number [ "." number [ "." number [ "." number ] ] ] [ "-" label { "." label } ] [ "+" metadata ] ;
    number   = digit { digit } ;                 (* leading zeros allowed: "1.01" is 1.1 *)
    label    = ( letter | digit | "-" ) { letter | digit | "-" } ;
    metadata = ( letter | digit | "-" | "." ) { ... } ;

Missing parts are zero, so ``1.0``, ``1.0.0`` and ``1.0.0.0`` are one version (NuGet normalises away a zero fourth
part, the "revision"). Order (``VersionComparer.Default``): major, minor, patch, revision; then a version without
release labels after one with them; labels part by part, two numeric parts by number, a numeric part before an
alphanumeric one, two alphanumeric parts without regard to case (``1.0.0-BETA`` == ``1.0.0-beta``); a list that is a
prefix of the other first. Build metadata never counts.

Ranges (``VersionRange.Parse``): interval notation ``[1.0,2.0)``, ``(,2.0]``, ``[1.0,)``, the exact ``[1.0]``, a bare
``1.0`` (at least 1.0), and floating versions (``1.*``, ``1.0.0-beta*``, ``*``: the highest match, whose lower bound
is the version with the star dropped). Only what lockgate needs is kept: whether a version satisfies a range, the
exact version a range pins, and the lower bound.

Pure and cached; over-long input is refused rather than parsed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

MAX_LENGTH = 256
_VERSION = re.compile(r"([0-9]+(?:\.[0-9]+){0,3})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z.-]+))?")
_NUMERIC = re.compile(r"[0-9]+")


class NuGetVersion(NamedTuple):
    release: tuple[int, int, int, int]
    labels: tuple[str, ...]
    metadata: str = ""

    @property
    def is_prerelease(self) -> bool:
        return bool(self.labels)

    def normalized(self) -> str:
        """NuGet's normalised string: three parts (four when the revision is not zero), labels as written, no
        metadata."""
        parts = self.release if self.release[3] else self.release[:3]
        text = ".".join(str(part) for part in parts)
        return text + ("-" + ".".join(self.labels) if self.labels else "")


@lru_cache(maxsize=4096)
def parse(text: str) -> NuGetVersion | None:
    """The version, or None when NuGet would not read ``text`` as one."""
    text = text.strip()
    if not text or len(text) > MAX_LENGTH:
        return None
    found = _VERSION.fullmatch(text)
    if found is None:
        return None
    numbers = [int(part) for part in found.group(1).split(".")]
    if any(number > 2**31 - 1 for number in numbers):  # System.Int32, as NuGet stores them
        return None
    numbers += [0] * (4 - len(numbers))
    labels = tuple(found.group(2).split(".")) if found.group(2) else ()
    return NuGetVersion((numbers[0], numbers[1], numbers[2], numbers[3]), labels, found.group(3) or "")


def _label_key(label: str) -> tuple[int, int | str]:
    if _NUMERIC.fullmatch(label):
        return (0, int(label))
    return (1, label.lower())  # StringComparer.OrdinalIgnoreCase (ASCII labels)


def sort_key(version: NuGetVersion) -> tuple:
    """A key that orders versions as ``VersionComparer.Default`` does (metadata ignored)."""
    return (version.release, not version.labels, tuple(_label_key(label) for label in version.labels))


def compare(a: str, b: str) -> int | None:
    """-1, 0 or 1; None when either is not a NuGet version."""
    va, vb = parse(a), parse(b)
    if va is None or vb is None:
        return None
    ka, kb = sort_key(va), sort_key(vb)
    return (ka > kb) - (ka < kb)


def bump(before: str, after: str) -> str:
    """``major``, ``minor`` or ``patch`` from the first of the three parts that differs; ``other`` for a change of
    the fourth part or of the labels alone (as for PEP 440's fourth component), or an unparsable version."""
    va, vb = parse(before), parse(after)
    if va is None or vb is None:
        return "other"
    for index, name in enumerate(("major", "minor", "patch")):
        if va.release[index] != vb.release[index]:
            return name
    return "other"


class VersionRange(NamedTuple):
    """A parsed range: bounds (None: open), whether each is inclusive, and whether it floats (``1.*``)."""

    low: NuGetVersion | None
    low_inclusive: bool
    high: NuGetVersion | None
    high_inclusive: bool
    floating: bool = False

    def satisfies(self, version: NuGetVersion) -> bool:
        key = sort_key(version)
        if self.low is not None:
            low = sort_key(self.low)
            if key < low or (key == low and not self.low_inclusive):
                return False
        if self.high is not None:
            high = sort_key(self.high)
            if key > high or (key == high and not self.high_inclusive):
                return False
        return True

    @property
    def exact(self) -> NuGetVersion | None:
        """The one version an ``[x]`` or ``[x, x]`` range admits."""
        if (self.low is not None and self.high is not None and self.low_inclusive and self.high_inclusive
                and sort_key(self.low) == sort_key(self.high)):
            return self.low
        return None


def _floating_low(text: str) -> NuGetVersion | None:
    """The lower bound of a floating version: ``1.*`` -> 1.0, ``1.0.0-beta*`` -> 1.0.0-beta, ``*`` -> 0.0.0,
    ``1.0.0-*`` -> 1.0.0-0 (any prerelease of 1.0.0)."""
    if text == "*":
        return parse("0.0.0")
    star = text.index("*")
    if star != len(text) - 1 or "+" in text:
        return None
    head = text[:-1]
    if "-" in head:
        base, _, label = head.partition("-")
        label = label.rstrip(".-")
        version = parse(base)
        if version is None:
            return None
        return version._replace(labels=tuple(label.split(".")) if label else ("0",))
    head = head.rstrip(".")
    return parse(head) if head else None


@lru_cache(maxsize=2048)
def parse_range(text: str) -> VersionRange | None:
    """The range, or None when NuGet would refuse it."""
    text = text.strip()
    if not text or len(text) > MAX_LENGTH:
        return None
    if text[0] not in "[(":
        if "*" in text:
            low = _floating_low(text)
            return None if low is None else VersionRange(low, True, None, False, floating=True)
        version = parse(text)
        return None if version is None else VersionRange(version, True, None, False)
    if len(text) < 3 or text[-1] not in "])":
        return None
    low_inclusive, high_inclusive = text[0] == "[", text[-1] == "]"
    inner = text[1:-1]
    if "," not in inner:
        version = parse(inner)
        if version is None or not (low_inclusive and high_inclusive):
            return None
        return VersionRange(version, True, version, True)
    low_text, _, high_text = inner.partition(",")
    if "," in high_text:
        return None
    low_text, high_text = low_text.strip(), high_text.strip()
    floating = "*" in low_text
    low = (_floating_low(low_text) if floating else parse(low_text)) if low_text else None
    high = parse(high_text) if high_text else None
    if (low_text and low is None) or (high_text and high is None) or (low is None and high is None and
                                                                       (low_text or high_text)):
        return None
    if low is not None and high is not None and sort_key(low) > sort_key(high):
        return None
    return VersionRange(low, low_inclusive if low is not None else False, high,
                        high_inclusive if high is not None else False, floating)


def exact_version(spec: str) -> str | None:
    """The version a declared ``Version`` pins, as written: a plain version (NuGet resolves the lowest version that
    satisfies ``x``, which is ``x`` itself whenever it exists) or ``[x]``; None for a real range or a float."""
    spec = spec.strip()
    if parse(spec) is not None:
        return spec
    parsed = parse_range(spec)
    if parsed is not None and parsed.exact is not None and not parsed.floating:
        inner = spec[1:-1].split(",")[0].strip()
        return inner
    return None


def satisfies(version: str, spec: str) -> bool:
    """Whether ``version`` lies in the NuGet range ``spec`` (prereleases included: a gate asks whether a version is
    inside, not whether NuGet would pick it)."""
    parsed_version = parse(version)
    parsed_range = parse_range(spec)
    return parsed_version is not None and parsed_range is not None and parsed_range.satisfies(parsed_version)


def lower_bound(spec: str) -> str | None:
    parsed = parse_range(spec)
    if parsed is None or parsed.low is None:
        return None
    return parsed.low.normalized()
