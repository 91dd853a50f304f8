"""RubyGems' version ordering, as ``Gem::Version`` (rubygems ``lib/rubygems/version.rb``) defines it.

A version is valid when it matches ``[0-9]+(\\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?`` with blanks
around it (a blank string is ``0``); every ``-`` is read as ``.pre.`` (``1.0.0-rc1`` is ``1.0.0.pre.rc1``). Its
segments are the runs of digits (numbers) and of letters (strings) in it: ``1.2.b3`` is ``[1, 2, "b", 3]``. A
version holding a letter is a prerelease.

Comparison uses the canonical segments: trailing zeros dropped (``1.0.0`` is ``[1]``), and in a prerelease the zeros
just before the first letter too (``1.0.0.a.1.0`` is ``[1, "a", 1]``). Segment by segment: numbers compare as
numbers, strings as strings (bytewise), and a string sorts before a number (``1.0.a < 1.0``). When one version
runs out, the other's rest decides: a string first makes it smaller, a non-zero number larger.

Versions longer than MAX_LENGTH are refused (as not versions) rather than read.
"""

from __future__ import annotations

import re
from functools import lru_cache, total_ordering

MAX_LENGTH = 256
_VALID = re.compile(r"[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?")
_SEGMENT = re.compile(r"[0-9]+|[a-zA-Z]+")
_TRAILING_ZEROS = re.compile(r"(?<=[a-zA-Z.])[.0]+\Z")
_ZEROS_BEFORE_LETTER = re.compile(r"(?:(?<=\.)|\A)[0.]+(?=[a-zA-Z])")
_BLANKS = " \t\n\r\f\v"

Segment = "int | str"


@total_ordering
class GemVersion:
    """A parsed ``Gem::Version``: ``text`` as RubyGems holds it (``-`` read as ``.pre.``), its canonical segments."""

    __slots__ = ("text", "canonical")

    def __init__(self, text: str, canonical: tuple[int | str, ...]) -> None:
        self.text = text
        self.canonical = canonical

    def __repr__(self) -> str:
        return f"GemVersion({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GemVersion) and _compare(self, other) == 0

    def __lt__(self, other: GemVersion) -> bool:
        return _compare(self, other) < 0

    def __hash__(self) -> int:
        return hash(self.canonical)

    @property
    def segments(self) -> tuple[int | str, ...]:
        return _segments(self.text)

    @property
    def prerelease(self) -> bool:
        return any(char.isalpha() for char in self.text)

    @property
    def release(self) -> tuple[int, ...]:
        """The numeric segments before the first string (``1.9.3.alpha.5`` -> ``(1, 9, 3)``)."""
        numbers: list[int] = []
        for segment in self.segments:
            if isinstance(segment, str):
                break
            numbers.append(segment)
        return tuple(numbers)


def _segments(text: str) -> tuple[int | str, ...]:
    return tuple(int(s) if s[0].isdigit() else s for s in _SEGMENT.findall(text))


@lru_cache(maxsize=8192)
def parse(text: str) -> GemVersion | None:
    """The version, or None when ``Gem::Version.correct?`` would say no (or it is longer than MAX_LENGTH)."""
    if len(text) > MAX_LENGTH:
        return None
    stripped = text.strip(_BLANKS)
    if not stripped:
        stripped = "0"
    if not _VALID.fullmatch(stripped):
        return None
    version = stripped.replace("-", ".pre.")
    canonical = _TRAILING_ZEROS.sub("", version)
    if any(char.isalpha() for char in version):
        canonical = _ZEROS_BEFORE_LETTER.sub("", canonical, count=1)
    return GemVersion(version, _segments(canonical))


def _compare(a: GemVersion, b: GemVersion) -> int:
    """``Gem::Version#<=>``, step by step."""
    if a.text == b.text or a.canonical == b.canonical:
        return 0
    left, right = a.canonical, b.canonical
    limit = min(len(left), len(right))
    for lhs, rhs in zip(left[:limit], right[:limit]):
        if lhs == rhs:
            continue
        if isinstance(lhs, str) and isinstance(rhs, int):
            return -1
        if isinstance(lhs, int) and isinstance(rhs, str):
            return 1
        return -1 if lhs < rhs else 1  # type: ignore[operator]  # both int or both str
    for rest, sign in ((right[limit:], 1), (left[limit:], -1)):
        for segment in rest:
            if isinstance(segment, str):
                return sign
            if segment != 0:
                return -sign
    return 0


def compare(a: str, b: str) -> int | None:
    """-1, 0 or 1; None when either is not a RubyGems version."""
    va, vb = parse(a), parse(b)
    if va is None or vb is None:
        return None
    return _compare(va, vb)


def key(text: str) -> GemVersion | None:
    """A sort key (None: not a version), for OSV's ``RubyGems`` ranges."""
    return parse(text)


def bump(before: str, after: str) -> str:
    """``major``, ``minor`` or ``patch`` from the first of the first three release numbers that differs
    (a missing one counts as 0); ``other`` otherwise or when either side is not a version."""
    from checker.versions.compare import release_bump

    va, vb = parse(before), parse(after)
    if va is None or vb is None:
        return "other"
    return release_bump(va.release, vb.release)
