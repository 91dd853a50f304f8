"""Composer's version semantics: ``VersionParser::normalize`` and the ordering of normalised versions.

Normalising (composer/semver ``src/VersionParser.php``): blanks trimmed; an alias (``1.0.x-dev as 1.0.0``) and a
stability flag (``@dev``) dropped; ``master``/``trunk``/``default`` are ``dev-master``...; anything starting with
``dev-`` is a branch, kept as is; build metadata (``+foo``) dropped; then either the classical form
``v?N(.N)?(.N)?(.N)?`` with a modifier, padded to four numbers (``v1.2`` -> ``1.2.0.0``), or a date
``v?YYYY(MM)...`` (separators read as ``.``), or a numeric branch ``1.x-dev`` (``1.9999999.9999999.9999999-dev``).
The modifier is ``[._-]?(stable|beta|b|RC|alpha|a|patch|pl|p)(([.-]?N)*)?([.-]?dev)?``, written as ``-alpha2``,
``-beta``, ``-RC1``, ``-patch3`` and ``-dev``. Anything else is not a version.

Ordering: Composer compares normalised versions with PHP's ``version_compare`` (``Constraint::versionCompare``),
and a branch (``dev-main``) is ordered against nothing: two branches are equal only when the same, and a branch
compared with a version (or another branch) has no order (None), as Composer's constraints never match one.
``version_compare`` (php-src ``ext/standard/versioning.c``) canonicalises (``-``, ``_``, ``+`` and any other
non-alphanumeric character become ``.``, and a ``.`` goes between a digit and a non-digit), then compares part by
part: numbers as numbers; words by their rank ``dev`` < ``alpha``/``a`` < ``beta``/``b`` < ``RC``/``rc`` < a
number < ``pl``/``p`` (matched by prefix; an unknown word ranks below ``dev``); when one runs out, the other's
next part decides (a number: larger; a word: as that word against a number).

Inputs longer than MAX_LENGTH are refused (as not versions).
"""

from __future__ import annotations

import re
from functools import lru_cache, total_ordering

MAX_LENGTH = 256
_STABILITIES = r"stable|RC|beta|alpha|dev"
_MODIFIER = r"[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?[0-9]+)*)?)?([.-]?dev)?"
_ALIAS = re.compile(r"([^,\s]+) +as +([^,\s]+)")
_FLAG = re.compile(rf"@(?:{_STABILITIES})\Z", re.IGNORECASE)
_BUILD = re.compile(r"([^,\s+]+)\+[^\s]+")
_CLASSICAL = re.compile(rf"v?([0-9]{{1,5}})(\.[0-9]+)?(\.[0-9]+)?(\.[0-9]+)?{_MODIFIER}", re.IGNORECASE)
_DATE = re.compile(rf"v?([0-9]{{4}}(?:[.:-]?[0-9]{{2}}){{1,6}}(?:[.:-]?[0-9]{{1,3}}){{0,2}}){_MODIFIER}", re.IGNORECASE)
_DEV_SUFFIX = re.compile(r"(.*?)[.-]?dev", re.IGNORECASE | re.DOTALL)
_BRANCH = re.compile(r"v?([0-9]+)(\.(?:[0-9]+|[xX*]))?(\.(?:[0-9]+|[xX*]))?(\.(?:[0-9]+|[xX*]))?", re.IGNORECASE)
_STABILITY_NAMES = {"a": "alpha", "b": "beta", "p": "patch", "pl": "patch", "rc": "RC"}
_BLANKS = " \t\n\r\0\x0b"  # PHP's trim()


@lru_cache(maxsize=8192)
def normalize(version: str) -> str | None:
    """``VersionParser::normalize``, or None where it throws (not a version) or the text is too long."""
    if len(version) > MAX_LENGTH:
        return None
    version = version.strip(_BLANKS)
    alias = _ALIAS.fullmatch(version)
    if alias:
        version = alias.group(1)
    flag = _FLAG.search(version)
    if flag:
        version = version[: flag.start()]
    if version in ("master", "trunk", "default"):
        version = "dev-" + version
    if version[:4].lower() == "dev-":
        return "dev-" + version[4:]
    build = _BUILD.fullmatch(version)
    if build:
        version = build.group(1)
    matched = _CLASSICAL.fullmatch(version)
    if matched:
        numbers = [matched.group(1)] + [matched.group(i) or ".0" for i in (2, 3, 4)]
        result, index = "".join(numbers), 5
    else:
        matched = _DATE.fullmatch(version)
        if matched is None:
            return _numeric_branch(version)
        result, index = re.sub(r"[^0-9]", ".", matched.group(1)), 2
    stability, number, dev = matched.group(index), matched.group(index + 1), matched.group(index + 2)
    if stability:
        if stability == "stable":
            return result
        result += "-" + _STABILITY_NAMES.get(stability.lower(), stability.lower()) + (
            number.lstrip(".-") if number else "")
    if dev:
        result += "-dev"
    return result


def _numeric_branch(version: str) -> str | None:
    """``1.x-dev`` -> ``1.9999999.9999999.9999999-dev``; a non-numeric ``…-dev`` is not a version."""
    found = _DEV_SUFFIX.fullmatch(version)
    if found is None:
        return None
    branch = _BRANCH.fullmatch(found.group(1).strip(_BLANKS))
    if branch is None:
        return None
    parts = [branch.group(1)] + [(branch.group(i) or ".x").replace("*", "x").replace("X", "x") for i in (2, 3, 4)]
    return "".join(parts).replace("x", "9999999") + "-dev"


def is_branch(version: str) -> bool:
    """A ``dev-`` branch (``dev-main``): installed from wherever the branch points, ordered against nothing."""
    normalized = normalize(version)
    return normalized is not None and normalized.startswith("dev-")


# -- PHP's version_compare -----------------------------------------------------------------------------------------

_SPECIAL_FORMS = (("dev", 0), ("alpha", 1), ("a", 1), ("beta", 2), ("b", 2), ("RC", 3), ("rc", 3), ("#", 4),
                  ("pl", 5), ("p", 5))
_NUMBER = "#N#"


def _canonicalize(version: str) -> str:
    """php_canonicalize_version: ``-_+`` and other non-alphanumerics as ``.``, a ``.`` at digit/non-digit edges."""
    if not version:
        return ""
    out = [version[0]]
    previous = version[0]
    for char in version[1:]:
        last = out[-1]
        if char in "-_+":
            if last != ".":
                out.append(".")
        elif (_not_digit(previous) and _digit(char)) or (_digit(previous) and _not_digit(char)):
            if last != ".":
                out.append(".")
            out.append(char)
        elif not (char.isascii() and char.isalnum()):
            if last != ".":
                out.append(".")
        else:
            out.append(char)
        previous = char
    return "".join(out)


def _digit(char: str) -> bool:
    return len(char) == 1 and "0" <= char <= "9"


def _not_digit(char: str) -> bool:
    return not _digit(char) and char != "."


def _form_order(form: str) -> int:
    for name, order in _SPECIAL_FORMS:
        if form.startswith(name):
            return order
    return -1


def _compare_forms(a: str, b: str) -> int:
    found_a, found_b = _form_order(a), _form_order(b)
    return (found_a > found_b) - (found_a < found_b)


def _strtol(text: str) -> int:
    digits = ""
    for char in text:
        if not _digit(char):
            break
        digits += char
    return int(digits or "0")


def version_compare(a: str, b: str) -> int:
    """PHP's ``version_compare($a, $b)``: -1, 0 or 1 (php_version_compare, step by step: ``i``/``j`` are the
    C code's ``p1``/``p2`` as part indexes, ``more_left``/``more_right`` its ``n1``/``n2``)."""
    if not a or not b:
        return 0 if not a and not b else (1 if a else -1)
    left = (a if a[0] == "#" else _canonicalize(a)).split(".")
    right = (b if b[0] == "#" else _canonicalize(b)).split(".")
    i = j = 0
    more_left = more_right = True
    result = 0
    while more_left and more_right and _rest(left, i) and _rest(right, j):
        p1, p2 = left[i], right[j]
        more_left, more_right = i + 1 < len(left), j + 1 < len(right)
        if _digit(p1[:1]) and _digit(p2[:1]):
            l1, l2 = _strtol(p1), _strtol(p2)
            result = (l1 > l2) - (l1 < l2)
        elif not _digit(p1[:1]) and not _digit(p2[:1]):
            result = _compare_forms(p1, p2)
        elif _digit(p1[:1]):
            result = _compare_forms(_NUMBER, p2)
        else:
            result = _compare_forms(p1, _NUMBER)
        if result != 0:
            return result
        i += more_left
        j += more_right
    if more_left:
        rest = ".".join(left[i:])
        return 1 if _digit(rest[:1]) else version_compare(rest, _NUMBER)
    if more_right:
        rest = ".".join(right[j:])
        return -1 if _digit(rest[:1]) else version_compare(_NUMBER, rest)
    return 0


def _rest(parts: list[str], index: int) -> bool:
    """Whether the string from part ``index`` on is non-empty (the C loop's ``*p``)."""
    return index < len(parts) - 1 or (index == len(parts) - 1 and parts[index] != "")


@total_ordering
class ComposerVersion:
    """A normalised, orderable Composer version (never a branch)."""

    __slots__ = ("normalized",)

    def __init__(self, normalized: str) -> None:
        self.normalized = normalized

    def __repr__(self) -> str:
        return f"ComposerVersion({self.normalized!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ComposerVersion) and version_compare(self.normalized, other.normalized) == 0

    def __lt__(self, other: ComposerVersion) -> bool:
        return version_compare(self.normalized, other.normalized) < 0

    def __hash__(self) -> int:
        return hash(self.normalized)


def key(text: str) -> ComposerVersion | None:
    """A sort key (None: not a version, or a branch), for OSV's ``Packagist`` ranges."""
    normalized = normalize(text)
    if normalized is None or normalized.startswith("dev-"):
        return None
    return ComposerVersion(normalized)


def compare(a: str, b: str) -> int | None:
    """-1, 0 or 1; None when either is not a version or is a branch (a branch equals only itself)."""
    na, nb = normalize(a), normalize(b)
    if na is None or nb is None:
        return None
    if na.startswith("dev-") or nb.startswith("dev-"):
        return 0 if na == nb else None
    return version_compare(na, nb)


def bump(before: str, after: str) -> str:
    """``major``, ``minor`` or ``patch`` from the first of the first three numbers that differs; ``other``
    otherwise, for branches, and when either side is not a version."""
    na, nb = normalize(before), normalize(after)
    if na is None or nb is None or na.startswith("dev-") or nb.startswith("dev-"):
        return "other"
    ra, rb = na.split("-", 1)[0].split("."), nb.split("-", 1)[0].split(".")
    for index, name in enumerate(("major", "minor", "patch")):
        a = int(ra[index]) if index < len(ra) and ra[index].isascii() and ra[index].isdigit() else 0
        b = int(rb[index]) if index < len(rb) and rb[index].isascii() and rb[index].isdigit() else 0
        if a != b:
            return name
    return "other"
