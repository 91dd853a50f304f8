"""npm's version semantics, as node-semver (the library npm itself uses) defines them.

Versions follow SemVer 2.0: ``MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]``; build metadata never affects ordering;
a version with a prerelease sorts before the same version without one; prerelease identifiers compare
numerically when both are numeric, numeric before alphanumeric, otherwise in ASCII order, and a longer list of
equal leading identifiers sorts later.

Ranges are node-semver's: comparators (``>=1.2.3 <2``), ``||`` alternatives, caret (``^1.2``), tilde (``~1.2``,
``~>1.2``), x-ranges (``1.x``, ``1.2.*``, ``*``, ``""``), hyphen ranges (``1.2 - 2``), and the loose forms npm
accepts in package.json (``v1.2.3``, ``=1.2.3``, ``1.2.3beta``, leading zeros). The translation below follows
node-semver's ``classes/range.js`` step by step (hyphen, trims, caret, tilde, x-range, star, ``>=0.0.0``), so
``^0.0.1`` means ``>=0.0.1 <0.0.2-0`` exactly as in npm, and a prerelease version satisfies a range only when a
comparator of the same ``MAJOR.MINOR.PATCH`` names a prerelease, unless ``include_prerelease`` is asked for.

Everything is pure and cached; inputs longer than ``MAX_RANGE_LENGTH`` are refused rather than parsed, so a
hostile policy or manifest cannot make matching slow.

Public API (stable; the yarn.lock and pnpm-lock.yaml parsers rely on it): ``SemVer``, ``parse``, ``valid``,
``compare``, ``bump``, ``Comparator``, ``Range``, ``parse_range``, ``valid_range``, ``satisfies``,
``min_version``, ``exact_version``, ``lower_bound``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MAX_LENGTH = 256  # node-semver's MAX_LENGTH for a version string
MAX_RANGE_LENGTH = 1024  # longer ranges are refused (node-semver has no limit; npm ranges are short)
MAX_SAFE_INTEGER = 2**53 - 1  # JavaScript's Number.MAX_SAFE_INTEGER: larger components are invalid

# ---------------------------------------------------------------------------------------------------------------
# Regular expressions, built like node-semver's internal/re.js (ASCII only: Python's \d and \s are Unicode-wide)
# ---------------------------------------------------------------------------------------------------------------

_NUM = r"0|[1-9][0-9]*"
_NUM_LOOSE = r"[0-9]+"
_NONNUM = r"[0-9]*[a-zA-Z-][a-zA-Z0-9-]*"
_MAIN = rf"({_NUM})\.({_NUM})\.({_NUM})"
_MAIN_LOOSE = rf"({_NUM_LOOSE})\.({_NUM_LOOSE})\.({_NUM_LOOSE})"
_PRE_ID = rf"(?:{_NUM}|{_NONNUM})"
_PRE_ID_LOOSE = rf"(?:{_NUM_LOOSE}|{_NONNUM})"
_PRE = rf"(?:-({_PRE_ID}(?:\.{_PRE_ID})*))"
# loose prereleases may start with dots instead of a hyphen, but only before a letter: 1.2.3.foo, not 1.2.3.4
_PRE_LOOSE = rf"(?:(?:-|\.*(?=[a-zA-Z-]))({_PRE_ID_LOOSE}(?:\.{_PRE_ID_LOOSE})*))"
_BUILD_ID = r"[0-9A-Za-z-]+"
_BUILD = rf"(?:\+({_BUILD_ID}(?:\.{_BUILD_ID})*))"
_FULL_PLAIN = rf"v?{_MAIN}{_PRE}?{_BUILD}?"
_LOOSE_PLAIN = rf"[v=\s]*{_MAIN_LOOSE}{_PRE_LOOSE}?{_BUILD}?"
_GTLT = r"((?:<|>)?=?)"
_XID = rf"{_NUM}|x|X|\*"
_XID_LOOSE = rf"{_NUM_LOOSE}|x|X|\*"
_XPLAIN = rf"[v=\s]*({_XID})(?:\.({_XID})(?:\.({_XID})(?:{_PRE})?{_BUILD}?)?)?"
_XPLAIN_LOOSE = rf"[v=\s]*({_XID_LOOSE})(?:\.({_XID_LOOSE})(?:\.({_XID_LOOSE})(?:{_PRE_LOOSE})?{_BUILD}?)?)?"


class _Regexes:
    """The compiled expressions, built on first use: compiling them all costs more than a whole lockfile parse,
    and most runs (a lockfile that parses no range) never need the range ones."""

    def __init__(self) -> None:
        def rx(pattern: str) -> re.Pattern[str]:
            return re.compile(pattern, re.ASCII)

        self.xrange = (rx(rf"^{_GTLT}\s*{_XPLAIN}$"), rx(rf"^{_GTLT}\s*{_XPLAIN_LOOSE}$"))
        self.tilde = (rx(rf"^(?:~>?){_XPLAIN}$"), rx(rf"^(?:~>?){_XPLAIN_LOOSE}$"))
        self.caret = (rx(rf"^(?:\^){_XPLAIN}$"), rx(rf"^(?:\^){_XPLAIN_LOOSE}$"))
        self.comparator = (rx(rf"^{_GTLT}\s*({_FULL_PLAIN})$|^$"), rx(rf"^{_GTLT}\s*({_LOOSE_PLAIN})$|^$"))
        self.hyphen = (
            rx(rf"^\s*({_XPLAIN})\s+-\s+({_XPLAIN})\s*$"),
            rx(rf"^\s*({_XPLAIN_LOOSE})\s+-\s+({_XPLAIN_LOOSE})\s*$"),
        )
        self.comparator_trim = rx(rf"(\s*){_GTLT}\s*({_LOOSE_PLAIN}|{_XPLAIN})")
        self.tilde_trim = rx(r"(\s*)(?:~>?)\s+")
        self.caret_trim = rx(r"(\s*)(?:\^)\s+")
        self.star = rx(r"(<|>)?=?\s*\*")
        self.gte0 = rx(r"^\s*>=\s*0\.0\.0\s*$")
        self.gte0_pre = rx(r"^\s*>=\s*0\.0\.0-0\s*$")
        self.build = rx(_BUILD)
        self.alternatives = rx(r"\s*\|\|\s*")
        self.spaces = rx(r"\s+")


@lru_cache(maxsize=1)
def _rx() -> _Regexes:
    return _Regexes()


@lru_cache(maxsize=2)
def _version_regex(loose: bool) -> re.Pattern[str]:
    return re.compile(rf"^{_LOOSE_PLAIN}$" if loose else rf"^{_FULL_PLAIN}$", re.ASCII)


_NUMERIC = re.compile(r"^[0-9]+$", re.ASCII)

# ---------------------------------------------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------------------------------------------


def _compare_identifiers(a: int | str, b: int | str) -> int:
    """node-semver's compareIdentifiers: numbers numerically, numbers before strings, strings in ASCII order."""
    if isinstance(a, int):
        return (a > b) - (a < b) if isinstance(b, int) else -1
    if isinstance(b, int):
        return 1
    return (a > b) - (a < b)


@dataclass(frozen=True, slots=True, eq=False)
class SemVer:
    """A parsed version. Equality and ordering ignore build metadata, as SemVer 2.0 says."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()
    build: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        """The normalised version without build metadata (node-semver's ``.version``): ``1.2.3-beta.1``."""
        main = f"{self.major}.{self.minor}.{self.patch}"
        return main + "-" + ".".join(str(p) for p in self.prerelease) if self.prerelease else main

    def __str__(self) -> str:
        return self.version

    def compare(self, other: SemVer) -> int:
        main = (self.major, self.minor, self.patch)
        other_main = (other.major, other.minor, other.patch)
        if main != other_main:
            return -1 if main < other_main else 1
        return self._compare_pre(other)

    def _compare_pre(self, other: SemVer) -> int:
        a, b = self.prerelease, other.prerelease
        if a and not b:
            return -1
        if b and not a:
            return 1
        for x, y in zip(a, b):
            if x != y:
                return _compare_identifiers(x, y)
        return (len(a) > len(b)) - (len(a) < len(b))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SemVer) and self.compare(other) == 0

    def __hash__(self) -> int:
        return hash((self.major, self.minor, self.patch, self.prerelease))

    def __lt__(self, other: SemVer) -> bool:
        return self.compare(other) < 0

    def __le__(self, other: SemVer) -> bool:
        return self.compare(other) <= 0

    def __gt__(self, other: SemVer) -> bool:
        return self.compare(other) > 0

    def __ge__(self, other: SemVer) -> bool:
        return self.compare(other) >= 0


def _prerelease(text: str | None) -> tuple[int | str, ...]:
    if not text:
        return ()
    out: list[int | str] = []
    for part in text.split("."):
        if _NUMERIC.match(part):
            number = int(part)
            out.append(number if number < MAX_SAFE_INTEGER else part)
        else:
            out.append(part)
    return tuple(out)


@lru_cache(maxsize=8192)
def _parse(text: str, loose: bool) -> SemVer | None:
    if len(text) > MAX_LENGTH:
        return None
    found = _version_regex(loose).match(text.strip())
    if found is None:
        return None
    major, minor, patch = int(found.group(1)), int(found.group(2)), int(found.group(3))
    if max(major, minor, patch) > MAX_SAFE_INTEGER:
        return None
    build = tuple(found.group(5).split(".")) if found.group(5) else ()
    return SemVer(major, minor, patch, _prerelease(found.group(4)), build)


def parse(text: str, loose: bool = True) -> SemVer | None:
    """A SemVer, or None when ``text`` is not a version. Loose (npm's package.json reading) by default:
    ``v1.2.3``, ``=1.2.3``, `` 1.2.3 ``, ``1.2.3beta`` and leading zeros are accepted."""
    if not isinstance(text, str):
        return None
    return _parse(text, loose)


def valid(text: str, loose: bool = True) -> str | None:
    """The normalised version (``v1.2.3`` -> ``1.2.3``), or None."""
    parsed = parse(text, loose)
    return None if parsed is None else parsed.version


def compare(a: str, b: str, loose: bool = True) -> int | None:
    """-1, 0 or 1 as ``a`` sorts before, with or after ``b``; None when either is not a version."""
    va, vb = parse(a, loose), parse(b, loose)
    if va is None or vb is None:
        return None
    return va.compare(vb)


def bump(before: str, after: str) -> str:
    """``major``, ``minor`` or ``patch`` from the first of MAJOR.MINOR.PATCH that differs; ``other`` when only
    the prerelease or build changed or either side is not a version (as lockgate reports PyPI bumps)."""
    va, vb = parse(before), parse(after)
    if va is None or vb is None:
        return "other"
    if va.major != vb.major:
        return "major"
    if va.minor != vb.minor:
        return "minor"
    if va.patch != vb.patch:
        return "patch"
    return "other"


# ---------------------------------------------------------------------------------------------------------------
# Comparators and ranges
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparator:
    """``operator`` (``""`` for equality, ``<``, ``<=``, ``>``, ``>=``) and a version; ``semver`` None is ANY."""

    operator: str
    semver: SemVer | None

    @property
    def value(self) -> str:
        return "" if self.semver is None else f"{self.operator}{self.semver.version}"

    def test(self, version: SemVer) -> bool:
        if self.semver is None:
            return True
        order = version.compare(self.semver)
        op = self.operator
        if op == "":
            return order == 0
        if op == ">":
            return order > 0
        if op == ">=":
            return order >= 0
        if op == "<":
            return order < 0
        return order <= 0  # "<="


_NULL_SET = "<0.0.0-0"


@dataclass(frozen=True, slots=True)
class Range:
    """Alternatives (``||``), each a conjunction of comparators; ``dropped`` lists the words a loose parse threw
    away as not being comparators (npm ignores them; a policy should not)."""

    raw: str
    sets: tuple[tuple[Comparator, ...], ...]
    include_prerelease: bool = False
    dropped: tuple[str, ...] = ()

    @property
    def range(self) -> str:
        """The canonical form, as node-semver's ``range.range``: ``^1.2`` -> ``>=1.2.0 <2.0.0-0``."""
        return "||".join(" ".join(c.value for c in comps).strip() for comps in self.sets).strip()

    def __str__(self) -> str:
        return self.range

    def test(self, version: str | SemVer, loose: bool = True) -> bool:
        """Whether the version satisfies any alternative (a non-version never does)."""
        parsed = version if isinstance(version, SemVer) else parse(version, loose)
        if parsed is None:
            return False
        return any(self._test_set(comps, parsed) for comps in self.sets)

    def _test_set(self, comps: tuple[Comparator, ...], version: SemVer) -> bool:
        if not all(c.test(version) for c in comps):
            return False
        if version.prerelease and not self.include_prerelease:
            # A prerelease only passes when a comparator of the same MAJOR.MINOR.PATCH names a prerelease:
            # ^1.2.3-pr.1 lets 1.2.3-pr.2 in, but not 1.2.4-alpha.
            for comp in comps:
                allowed = comp.semver
                if allowed is not None and allowed.prerelease and (
                    (allowed.major, allowed.minor, allowed.patch) == (version.major, version.minor, version.patch)
                ):
                    return True
            return False
        return True


def _is_x(part: str | None) -> bool:
    return not part or part.lower() == "x" or part == "*"


def _caret(comp: str, loose: bool, include_prerelease: bool) -> str:
    found = _rx().caret[loose].match(comp)
    if found is None:
        return comp
    major, minor, patch, pre = found.group(1), found.group(2), found.group(3), found.group(4)
    z = "-0" if include_prerelease else ""
    if _is_x(major):
        return ""
    if _is_x(minor):
        return f">={major}.0.0{z} <{int(major) + 1}.0.0-0"
    if _is_x(patch):
        if major == "0":
            return f">={major}.{minor}.0{z} <{major}.{int(minor) + 1}.0-0"
        return f">={major}.{minor}.0{z} <{int(major) + 1}.0.0-0"
    if pre:
        if major == "0":
            if minor == "0":
                return f">={major}.{minor}.{patch}-{pre} <{major}.{minor}.{int(patch) + 1}-0"
            return f">={major}.{minor}.{patch}-{pre} <{major}.{int(minor) + 1}.0-0"
        return f">={major}.{minor}.{patch}-{pre} <{int(major) + 1}.0.0-0"
    if major == "0":
        if minor == "0":
            return f">={major}.{minor}.{patch} <{major}.{minor}.{int(patch) + 1}-0"
        return f">={major}.{minor}.{patch} <{major}.{int(minor) + 1}.0-0"
    return f">={major}.{minor}.{patch} <{int(major) + 1}.0.0-0"


def _tilde(comp: str, loose: bool, include_prerelease: bool) -> str:
    found = _rx().tilde[loose].match(comp)
    if found is None:
        return comp
    major, minor, patch, pre = found.group(1), found.group(2), found.group(3), found.group(4)
    z = "-0" if include_prerelease else ""
    if _is_x(major):
        return ""
    if _is_x(minor):
        return f">={major}.0.0{z} <{int(major) + 1}.0.0-0"
    if _is_x(patch):
        return f">={major}.{minor}.0{z} <{major}.{int(minor) + 1}.0-0"
    if pre:
        return f">={major}.{minor}.{patch}-{pre} <{major}.{int(minor) + 1}.0-0"
    return f">={major}.{minor}.{patch} <{major}.{int(minor) + 1}.0-0"


def _xrange(comp: str, loose: bool, include_prerelease: bool) -> str:
    comp = comp.strip()
    found = _rx().xrange[loose].match(comp)
    if found is None:
        return comp
    gtlt, major, minor, patch = found.group(1), found.group(2), found.group(3), found.group(4)
    if (_is_x(major) and not _is_x(minor)) or (_is_x(minor) and patch and not _is_x(patch)):
        return comp  # x.1 or 1.x.3: not an x-range (node-semver's invalidXRangeOrder)
    x_major = _is_x(major)
    x_minor = x_major or _is_x(minor)
    x_patch = x_minor or _is_x(patch)
    if gtlt == "=" and x_patch:
        gtlt = ""
    pre = "-0" if include_prerelease else ""
    if x_major:
        return "<0.0.0-0" if gtlt in (">", "<") else "*"
    if gtlt and x_patch:
        m = 0 if x_minor else int(minor)
        p = 0
        big = int(major)
        if gtlt == ">":
            gtlt = ">="
            if x_minor:
                big, m = big + 1, 0
            else:
                m += 1
        elif gtlt == "<=":
            gtlt = "<"
            if x_minor:
                big += 1
            else:
                m += 1
        if gtlt == "<":
            pre = "-0"
        return f"{gtlt}{big}.{m}.{p}{pre}"
    if x_minor:
        return f">={major}.0.0{pre} <{int(major) + 1}.0.0-0"
    if x_patch:
        return f">={major}.{minor}.0{pre} <{major}.{int(minor) + 1}.0-0"
    return comp


def _hyphen(found: re.Match[str], include_prerelease: bool) -> str:
    """``1.2 - 3.4.5`` -> ``>=1.2.0 <=3.4.5``; ``1.2.3 - 3.4`` -> ``>=1.2.3 <3.5.0-0``."""
    low, l_major, l_minor, l_patch, l_pre = (found.group(i) for i in (1, 2, 3, 4, 5))
    high, h_major, h_minor, h_patch, h_pre = (found.group(i) for i in (7, 8, 9, 10, 11))
    z = "-0" if include_prerelease else ""
    if _is_x(l_major):
        start = ""
    elif _is_x(l_minor):
        start = f">={l_major}.0.0{z}"
    elif _is_x(l_patch):
        start = f">={l_major}.{l_minor}.0{z}"
    elif l_pre:
        start = f">={low}"
    else:
        start = f">={low}{z}"
    if _is_x(h_major):
        end = ""
    elif _is_x(h_minor):
        end = f"<{int(h_major) + 1}.0.0-0"
    elif _is_x(h_patch):
        end = f"<{h_major}.{int(h_minor) + 1}.0-0"
    elif h_pre:
        end = f"<={h_major}.{h_minor}.{h_patch}-{h_pre}"
    elif include_prerelease:
        end = f"<{h_major}.{h_minor}.{int(h_patch) + 1}-0"
    else:
        end = f"<={high}"
    return f"{start} {end}".strip()


def _comparator(text: str, loose: bool) -> Comparator | None:
    """A comparator string as node-semver's Comparator reads it, or None when it is not one."""
    found = _rx().comparator[loose].match(text)
    if found is None:
        return None
    operator = found.group(1) or ""
    if operator == "=":
        operator = ""
    if not found.group(2):
        return Comparator("", None)
    version = parse(found.group(2), loose)
    if version is None:
        return None
    return Comparator(operator, version)


def _parse_set(text: str, loose: bool, include_prerelease: bool, dropped: list[str]) -> tuple[Comparator, ...] | None:
    """One ``||`` alternative as comparators; None when (strict mode) a comparator is invalid."""
    rx = _rx()
    text = rx.build.sub("", text).strip()  # build metadata never takes part in ranges
    hyphen = rx.hyphen[loose].match(text)
    if hyphen is not None:
        text = _hyphen(hyphen, include_prerelease)
    text = rx.comparator_trim.sub(lambda m: (m.group(1) or "") + (m.group(2) or "") + m.group(3), text)
    text = rx.tilde_trim.sub(lambda m: (m.group(1) or "") + "~", text)
    text = rx.caret_trim.sub(lambda m: (m.group(1) or "") + "^", text)
    words = " ".join(rx.spaces.split(text.strip())).split(" ")
    expanded: list[str] = []
    for word in words:
        word = rx.build.sub("", word)
        word = _caret(word, loose, include_prerelease)
        word = " ".join(_tilde(w, loose, include_prerelease) for w in word.strip().split())
        word = " ".join(_xrange(w, loose, include_prerelease) for w in word.split())
        word = rx.star.sub("", word.strip(), count=1)
        expanded.append(word)
    comparators: list[Comparator] = []
    for word in rx.spaces.split(" ".join(expanded)):
        word = word.strip()
        word = "" if (rx.gte0_pre if include_prerelease else rx.gte0).match(word) else word
        comp = _comparator(word, loose)
        if comp is None:
            if not loose:
                return None
            dropped.append(word)
            continue
        comparators.append(comp)
    by_value: dict[str, Comparator] = {}
    for comp in comparators:
        if comp.value == _NULL_SET:
            return (comp,)
        by_value.setdefault(comp.value, comp)
    if len(by_value) > 1:
        by_value.pop("", None)
    return tuple(by_value.values())


@lru_cache(maxsize=4096)
def _parse_range(text: str, loose: bool, include_prerelease: bool) -> Range | None:
    if len(text) > MAX_RANGE_LENGTH:
        return None
    dropped: list[str] = []
    sets: list[tuple[Comparator, ...]] = []
    for part in _rx().alternatives.split(text):
        comps = _parse_set(part.strip(), loose, include_prerelease, dropped)
        if comps is None:
            return None
        if comps:
            sets.append(comps)
    if not sets:
        return None
    if len(sets) > 1:
        first = sets[0]
        sets = [s for s in sets if s[0].value != _NULL_SET] or [first]
        if len(sets) > 1:
            for comps in sets:
                if len(comps) == 1 and comps[0].semver is None:
                    sets = [comps]
                    break
    return Range(text, tuple(sets), include_prerelease, tuple(dropped))


def parse_range(text: str, loose: bool = True, include_prerelease: bool = False) -> Range | None:
    """A Range, or None when ``text`` is not a range. Loose by default, as npm reads package.json ranges."""
    if not isinstance(text, str):
        return None
    return _parse_range(text, loose, include_prerelease)


def valid_range(text: str, loose: bool = True) -> str | None:
    """The canonical range (``*`` for "any"), or None; node-semver's ``validRange``."""
    parsed = parse_range(text, loose)
    if parsed is None:
        return None
    return parsed.range or "*"


def satisfies(version: str, range_text: str, loose: bool = True, include_prerelease: bool = False) -> bool:
    """Whether ``version`` is in ``range_text`` (False for anything that is not a version or a range)."""
    if isinstance(range_text, str) and range_text[:1].isdigit():
        exact = parse(range_text, loose)
        if exact is not None:  # a plain version is the comparator "=version": equality, build ignored
            found = parse(version, loose)
            return found is not None and found == exact
    parsed = parse_range(range_text, loose, include_prerelease)
    return parsed is not None and parsed.test(version, loose)


def min_version(range_text: str, loose: bool = True) -> SemVer | None:
    """The lowest version the range admits, or None when it admits none; node-semver's ``minVersion``."""
    parsed = parse_range(range_text, loose)
    if parsed is None:
        return None
    for candidate in (SemVer(0, 0, 0), SemVer(0, 0, 0, (0,))):
        if parsed.test(candidate):
            return candidate
    best: SemVer | None = None
    for comps in parsed.sets:
        set_min: SemVer | None = None
        for comp in comps:
            if comp.semver is None or comp.operator in ("<", "<="):
                continue
            candidate = comp.semver
            if comp.operator == ">":
                if candidate.prerelease:
                    candidate = SemVer(candidate.major, candidate.minor, candidate.patch, candidate.prerelease + (0,))
                else:
                    candidate = SemVer(candidate.major, candidate.minor, candidate.patch + 1)
            if set_min is None or candidate > set_min:
                set_min = candidate
        if set_min is not None and (best is None or best > set_min):
            best = set_min
    return best if best is not None and parsed.test(best) else None


def exact_version(spec: str) -> str | None:
    """The one version a specifier pins (``1.2.3``, ``=1.2.3``, ``v1.2.3``) normalised, or None for a range,
    a tag, or anything else."""
    if not isinstance(spec, str):
        return None
    text = spec.strip()
    if not text or text[0] in "<>~^*":
        return None
    parsed = parse(text)
    return None if parsed is None else parsed.version


def _strip_alias(spec: str) -> str:
    """``npm:name@range`` or ``alias@npm:name@range`` -> ``range``; anything else unchanged."""
    _, found, rest = spec.partition("npm:")
    if not found:
        return spec
    at = rest.rfind("@")
    return rest[at + 1 :] if at > 0 else "*"


def lower_bound(spec: str) -> str | None:
    """The lowest version a declared range admits (``^1.2`` -> ``1.2.0``), or None when the range has no lower
    bound (``*``, ``<2``), is not a range (a tag, a git URL), or admits nothing. ``npm:`` aliases are looked
    through."""
    text = _strip_alias(spec.strip())
    parsed = parse_range(text)
    if parsed is None or parsed.dropped:
        return None
    lowest = min_version(text)
    if lowest is None or lowest in (SemVer(0, 0, 0), SemVer(0, 0, 0, (0,))):
        return None
    return lowest.version
