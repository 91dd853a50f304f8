"""Maven version semantics: ``ComparableVersion`` ordering, bump type, and Maven's version ranges.

The ordering is a port of Maven's own ``org.apache.maven.artifact.versioning.ComparableVersion`` (maven-artifact
3.8.7, the release /usr/bin/mvn is here; 3.9 only reformatted it), which is what Maven, OSV's ``Maven`` ecosystem
and the POM reference ("Version Order Specification") mean. Its grammar, as that class reads a version:

- the text is lower-cased; ``.`` and ``-`` separate tokens, and so does a change between digits and other
  characters (``1.0alpha1`` is ``1``, ``0``, ``alpha``, ``1``); an empty token is ``0``;
- a ``-`` (and a change between digits and letters) opens a sub-list that holds everything after it, so
  ``1-2`` is ``[1, [2]]``: a hyphen is always less important than a dot;
- a digit run is a number (leading zeros dropped); any other run is a qualifier. Known qualifiers order
  ``alpha`` < ``beta`` < ``milestone`` < ``rc`` < ``snapshot`` < ``""`` (the release) < ``sp``; ``a``, ``b`` and
  ``m`` followed directly by a digit mean ``alpha``, ``beta``, ``milestone``; ``cr`` is ``rc``; ``ga``, ``final``
  and ``release`` are ``""``; unknown qualifiers come after all known ones, in lexical order;
- trailing "null" tokens (``0``, ``""``, empty lists) are dropped from each list (``1.0.0`` is ``1``);
- comparing: a number beats a qualifier and a list; a list beats a qualifier; a missing token compares as null
  (a number > null only when it is not 0; a qualifier against null as against ``""``).

The port keeps Maven's structure (items compared by type, recursion into lists) so that it can be read beside
the Java source. Two deliberate limits: a version longer than ``MAX_LENGTH`` characters is not ordered (Maven 4
refuses them too; every ``-`` nests a list, and a megabyte of them would recurse without end), and digits are
compared as digit strings (length, then text) rather than converted to integers, which is the same order for
numbers without leading zeros and costs linear time on a pathological digit run.

Ranges (``[1.0,2.0)``, ``(,1.0]``, ``[1.2]``, unions ``[1,2),[3,4)``) follow Maven's ``VersionRange``: a square
bracket includes its bound, a round one excludes it, an empty bound is unbounded. Gradle's ``]1.0,2.0[`` (the
reversed brackets mean "excluded") and ``1.+`` prefixes are read too, since Gradle files use them.

May import: the standard library only.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Union

MAX_LENGTH = 256
_QUALIFIERS = ("alpha", "beta", "milestone", "rc", "snapshot", "", "sp")
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_RELEASE_INDEX = str(_QUALIFIERS.index(""))
_SHORT = {"a": "alpha", "b": "beta", "m": "milestone"}


class _Number(tuple):
    """A digit run without leading zeros: compared by length, then text (see the module docstring)."""


class _Text(str):
    """A qualifier, aliases resolved."""


_Item = Union[_Number, _Text, list]
_ZERO = _Number((1, "0"))


def _number(digits: str) -> _Number:
    if not digits.isascii():
        digits = "".join(str(unicodedata.decimal(c)) for c in digits)
    digits = digits.lstrip("0") or "0"
    return _Number((len(digits), digits))


def _qualifier(text: str, followed_by_digit: bool) -> _Text:
    if followed_by_digit and len(text) == 1:
        text = _SHORT.get(text, text)
    return _Text(_ALIASES.get(text, text))


def _comparable(qualifier: str) -> str:
    """Maven's ``comparableQualifier``: the index of a known qualifier, else ``7-<qualifier>``."""
    try:
        return str(_QUALIFIERS.index(qualifier))
    except ValueError:
        return f"{len(_QUALIFIERS)}-{qualifier}"


def _is_null(item: _Item) -> bool:
    if isinstance(item, list):
        return not item
    if isinstance(item, _Number):
        return item == _ZERO
    return _comparable(item) == _RELEASE_INDEX


def _is_digit(char: str) -> bool:
    """Java's ``Character.isDigit`` on one UTF-16 unit: a decimal digit of the Basic Multilingual Plane."""
    return char.isdecimal() and ord(char) < 0x10000


def _normalize(items: list) -> None:
    """Drop trailing null items; a non-null list does not stop the walk (Maven's ``ListItem.normalize``)."""
    for index in range(len(items) - 1, -1, -1):
        item = items[index]
        if _is_null(item):
            del items[index]
        elif not isinstance(item, list):
            break


def _item(is_digit: bool, text: str) -> _Item:
    return _number(text) if is_digit else _qualifier(text, False)


def _parse(version: str) -> list:
    """Maven's ``parseVersion``, step for step."""
    version = version.lower()
    items: list = []
    current = items
    stack = [items]

    def open_list() -> None:
        nonlocal current
        new: list = []
        current.append(new)
        current = new
        stack.append(new)

    is_digit = False
    start = 0
    for index, char in enumerate(version):
        if char == "." or char == "-":
            current.append(_ZERO if index == start else _item(is_digit, version[start:index]))
            start = index + 1
            if char == "-":
                open_list()
        elif _is_digit(char):
            if not is_digit and index > start:
                if current:
                    open_list()
                current.append(_qualifier(version[start:index], True))
                start = index
                open_list()
            is_digit = True
        else:
            if is_digit and index > start:
                current.append(_number(version[start:index]))
                start = index
                open_list()
            is_digit = False
    if len(version) > start:
        if not is_digit and current:
            open_list()
        current.append(_item(is_digit, version[start:]))
    while stack:
        _normalize(stack.pop())
    return items


def _against_null(item: _Item) -> int:
    if isinstance(item, _Number):
        return 0 if item == _ZERO else 1
    if isinstance(item, list):
        for sub in item:
            result = _against_null(sub)
            if result:
                return result
        return 0
    return _sign(_cmp_str(_comparable(item), _RELEASE_INDEX))


def _cmp_str(a: str, b: str) -> int:
    return (a > b) - (a < b)


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def _compare_items(left: _Item | None, right: _Item | None) -> int:
    if left is None:
        return 0 if right is None else -_compare_items(right, None)
    if right is None:
        return _against_null(left)
    if isinstance(left, _Number):
        if isinstance(right, _Number):
            return (left > right) - (left < right)
        return 1  # 1.1 > 1-sp, 1.1 > 1-1
    if isinstance(left, list):
        if isinstance(right, _Number):
            return -1  # 1-1 < 1.0.x
        if not isinstance(right, list):
            return 1  # 1-1 > 1-sp
        for index in range(max(len(left), len(right))):
            result = _compare_items(left[index] if index < len(left) else None,
                                    right[index] if index < len(right) else None)
            if result:
                return result
        return 0
    if isinstance(right, _Text):
        return _cmp_str(_comparable(left), _comparable(right))
    return -1  # a qualifier is below a number and below a list


class MavenVersion:
    """A parsed version, ordered as Maven orders it (usable as a sort key)."""

    __slots__ = ("text", "items")

    def __init__(self, text: str, items: list) -> None:
        self.text = text
        self.items = items

    def compare(self, other: MavenVersion) -> int:
        return _compare_items(self.items, other.items)

    def __lt__(self, other: MavenVersion) -> bool:
        return self.compare(other) < 0

    def __le__(self, other: MavenVersion) -> bool:
        return self.compare(other) <= 0

    def __gt__(self, other: MavenVersion) -> bool:
        return self.compare(other) > 0

    def __ge__(self, other: MavenVersion) -> bool:
        return self.compare(other) >= 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MavenVersion) and self.compare(other) == 0

    def __hash__(self) -> int:
        return hash(canonical_of(self.items))

    def __repr__(self) -> str:
        return f"MavenVersion({self.text!r})"


def canonical_of(items: list) -> str:
    """Maven's ``getCanonical``: items joined by ``.``, a sub-list by ``-``."""
    buffer = ""
    for item in items:
        if buffer:  # Java's ``buffer.length() > 0``: an empty first qualifier adds no separator
            buffer += "-" if isinstance(item, list) else "."
        buffer += canonical_of(item) if isinstance(item, list) else (item[1] if isinstance(item, _Number) else item)
    return buffer


@lru_cache(maxsize=4096)
def parse(text: str) -> MavenVersion | None:
    """The version, or None when it cannot be ordered (empty, or longer than MAX_LENGTH)."""
    text = text.strip()
    if not text or len(text) > MAX_LENGTH:
        return None
    return MavenVersion(text, _parse(text))


def canonical(text: str) -> str | None:
    parsed = parse(text)
    return None if parsed is None else canonical_of(parsed.items)


def compare(a: str, b: str) -> int | None:
    """-1, 0 or 1; None when either cannot be ordered."""
    pa, pb = parse(a), parse(b)
    if pa is None or pb is None:
        return None
    return _sign(pa.compare(pb))


def _release(items: list) -> list[tuple]:
    """The leading numbers of the top-level list, padded to three (``31.1-jre`` -> 31, 1, 0)."""
    found: list[tuple] = []
    for item in items:
        if not isinstance(item, _Number):
            break
        found.append(item)
    return (found + [_ZERO] * 3)[:3]


def bump(before: str, after: str) -> str:
    """``major``, ``minor``, ``patch`` or ``other`` from the first of the three leading numbers that differs."""
    pa, pb = parse(before), parse(after)
    if pa is None or pb is None:
        return "other"
    for name, x, y in zip(("major", "minor", "patch"), _release(pa.items), _release(pb.items)):
        if x != y:
            return name
    return "other"


# -- ranges ---------------------------------------------------------------------------------------------------


class Bound:
    """One restriction of a range: lower and upper (None: unbounded), and whether each is included."""

    __slots__ = ("lower", "lower_inclusive", "upper", "upper_inclusive")

    def __init__(self, lower: MavenVersion | None, lower_inclusive: bool, upper: MavenVersion | None,
                 upper_inclusive: bool) -> None:
        self.lower, self.lower_inclusive = lower, lower_inclusive
        self.upper, self.upper_inclusive = upper, upper_inclusive

    def contains(self, version: MavenVersion) -> bool:
        if self.lower is not None:
            order = version.compare(self.lower)
            if order < 0 or (order == 0 and not self.lower_inclusive):
                return False
        if self.upper is not None:
            order = version.compare(self.upper)
            if order > 0 or (order == 0 and not self.upper_inclusive):
                return False
        return True


def is_range(spec: str) -> bool:
    """Whether ``spec`` is a range or a dynamic version rather than one exact version: Maven's bracket ranges,
    Gradle's ``]a,b[``, prefix ``1.+`` and ``latest.release``-style selectors, Maven's deprecated ``LATEST`` and
    ``RELEASE`` meta-versions."""
    spec = spec.strip()
    return (not spec or spec[0] in "[(]" or spec.endswith("+") or spec.startswith("latest.")
            or spec in ("LATEST", "RELEASE") or "," in spec)


def exact(spec: str) -> str | None:
    """The one version ``spec`` pins: itself when it is no range, the bound of ``[1.2]`` (Maven's hard
    requirement of exactly 1.2); None otherwise."""
    spec = spec.strip()
    if spec.startswith("[") and spec.endswith("]") and "," not in spec:
        inner = spec[1:-1].strip()
        return inner or None
    if not spec or is_range(spec) or any(c.isspace() for c in spec):
        return None
    return spec


def parse_range(spec: str) -> list[Bound] | None:
    """The restrictions of a bracket range (a union), or None when it is not one."""
    spec = spec.strip()
    bounds: list[Bound] = []
    index = 0
    while index < len(spec):
        while index < len(spec) and spec[index] in ", ":
            index += 1
        if index >= len(spec):
            break
        opener = spec[index]
        if opener not in "[(]":
            return None
        close = next((i for i in range(index + 1, len(spec)) if spec[i] in "])["), -1)
        if close < 0:
            return None
        closer = spec[close]
        body = spec[index + 1 : close]
        index = close + 1
        lower_inclusive, upper_inclusive = opener == "[", closer == "]"
        if "," not in body:
            single = parse(body)
            if single is None or not (lower_inclusive and upper_inclusive):
                return None
            bounds.append(Bound(single, True, single, True))
            continue
        low_text, _, high_text = body.partition(",")
        if "," in high_text:
            return None
        low = parse(low_text) if low_text.strip() else None
        high = parse(high_text) if high_text.strip() else None
        if (low_text.strip() and low is None) or (high_text.strip() and high is None):
            return None
        bounds.append(Bound(low, lower_inclusive, high, upper_inclusive))
    return bounds or None


def is_valid_spec(spec: str) -> bool:
    spec = spec.strip()
    if spec in ("*", "") or not is_range(spec):
        return True
    if spec.endswith("+") and "," not in spec and spec[:1] not in "[(]":
        return True
    return parse_range(spec) is not None


def matches(version: str, spec: str) -> bool:
    """Whether an exact version falls in ``spec``: an exact version (Maven equality: ``1.0`` is ``1``), a bracket
    range, or a Gradle prefix ``1.+`` (the text before ``+``, as Gradle's prefix match reads it)."""
    spec = spec.strip()
    if spec in ("*", "") or version == spec:
        return True
    parsed = parse(version)
    if parsed is None:
        return False
    if spec.endswith("+") and spec[:1] not in "[(]" and "," not in spec:
        return version.startswith(spec[:-1])
    if not is_range(spec):
        other = parse(spec)
        return other is not None and parsed.compare(other) == 0
    bounds = parse_range(spec)
    return bounds is not None and any(bound.contains(parsed) for bound in bounds)
