"""npm version semantics: parsing, SemVer 2.0 ordering, bump type, and range matching as node-semver does it.

The tables below are node-semver's own test vectors (test/fixtures/range-include.js, range-exclude.js,
range-parse.js, comparisons.js, equality.js, min-version.js in npm/node-semver), so lockgate reads a range exactly
as npm does. ``loose`` marks the vectors node-semver runs in loose mode; ``pre`` those with includePrerelease.
"""

from __future__ import annotations

import pytest

from checker.versions import semver as nv
from checker.versions.semver import SemVer
from checker.versions.compare import bump, compare, is_valid_spec, lower_bound, version_matches

LOOSE = {"loose": True}
PRE = {"include_prerelease": True}

INCLUDED = [
    ("1.0.0 - 2.0.0", "1.2.3", {}), ("^1.2.3+build", "1.2.3", {}), ("^1.2.3+build", "1.3.0", {}),
    ("1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3", {}), ("1.2.3pre+asdf - 2.4.3-pre+asdf", "1.2.3", LOOSE),
    ("1.2.3-pre+asdf - 2.4.3pre+asdf", "1.2.3", LOOSE), ("1.2.3pre+asdf - 2.4.3pre+asdf", "1.2.3", LOOSE),
    ("1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3-pre.2", {}), ("1.2.3-pre+asdf - 2.4.3-pre+asdf", "2.4.3-alpha", {}),
    ("1.2.3+asdf - 2.4.3+asdf", "1.2.3", {}), ("1.0.0", "1.0.0", {}), (">=*", "0.2.4", {}), ("", "1.0.0", {}),
    ("*", "1.2.3", {}), ("*", "v1.2.3", LOOSE), (">=1.0.0", "1.0.0", {}), (">=1.0.0", "1.0.1", {}),
    (">=1.0.0", "1.1.0", {}), (">1.0.0", "1.0.1", {}), (">1.0.0", "1.1.0", {}), ("<=2.0.0", "2.0.0", {}),
    ("<=2.0.0", "1.9999.9999", {}), ("<=2.0.0", "0.2.9", {}), ("<2.0.0", "1.9999.9999", {}), ("<2.0.0", "0.2.9", {}),
    (">= 1.0.0", "1.0.0", {}), (">=  1.0.0", "1.0.1", {}), (">=   1.0.0", "1.1.0", {}), ("> 1.0.0", "1.0.1", {}),
    (">  1.0.0", "1.1.0", {}), ("<=   2.0.0", "2.0.0", {}), ("<= 2.0.0", "1.9999.9999", {}), ("<=  2.0.0", "0.2.9", {}),
    ("<    2.0.0", "1.9999.9999", {}), ("<\t2.0.0", "0.2.9", {}), (">=0.1.97", "v0.1.97", LOOSE),
    (">=0.1.97", "0.1.97", {}), ("0.1.20 || 1.2.4", "1.2.4", {}), (">=0.2.3 || <0.0.1", "0.0.0", {}),
    (">=0.2.3 || <0.0.1", "0.2.3", {}), (">=0.2.3 || <0.0.1", "0.2.4", {}), ("||", "1.3.4", {}), ("2.x.x", "2.1.3", {}),
    ("1.2.x", "1.2.3", {}), ("1.2.x || 2.x", "2.1.3", {}), ("1.2.x || 2.x", "1.2.3", {}), ("x", "1.2.3", {}),
    ("2.*.*", "2.1.3", {}), ("1.2.*", "1.2.3", {}), ("1.2.* || 2.*", "2.1.3", {}), ("1.2.* || 2.*", "1.2.3", {}),
    ("2", "2.1.2", {}), ("2.3", "2.3.1", {}), ("~0.0.1", "0.0.1", {}), ("~0.0.1", "0.0.2", {}), ("~x", "0.0.9", {}),
    ("~2", "2.0.9", {}), ("~2.4", "2.4.0", {}), ("~2.4", "2.4.5", {}), ("~>3.2.1", "3.2.2", {}), ("~1", "1.2.3", {}),
    ("~>1", "1.2.3", {}), ("~> 1", "1.2.3", {}), ("~1.0", "1.0.2", {}), ("~ 1.0", "1.0.2", {}), ("~ 1.0.3", "1.0.12", {}),
    ("~ 1.0.3alpha", "1.0.12", LOOSE), (">=1", "1.0.0", {}), (">= 1", "1.0.0", {}), ("<1.2", "1.1.1", {}),
    ("< 1.2", "1.1.1", {}), ("~v0.5.4-pre", "0.5.5", {}), ("~v0.5.4-pre", "0.5.4", {}), ("=0.7.x", "0.7.2", {}),
    ("<=0.7.x", "0.7.2", {}), (">=0.7.x", "0.7.2", {}), ("<=0.7.x", "0.6.2", {}), ("~1.2.1 >=1.2.3", "1.2.3", {}),
    ("~1.2.1 =1.2.3", "1.2.3", {}), ("~1.2.1 1.2.3", "1.2.3", {}), ("~1.2.1 >=1.2.3 1.2.3", "1.2.3", {}),
    ("~1.2.1 1.2.3 >=1.2.3", "1.2.3", {}), (">=1.2.1 1.2.3", "1.2.3", {}), ("1.2.3 >=1.2.1", "1.2.3", {}),
    (">=1.2.3 >=1.2.1", "1.2.3", {}), (">=1.2.1 >=1.2.3", "1.2.3", {}), (">=1.2", "1.2.8", {}), ("^1.2.3", "1.8.1", {}),
    ("^0.1.2", "0.1.2", {}), ("^0.1", "0.1.2", {}), ("^0.0.1", "0.0.1", {}), ("^1.2", "1.4.2", {}), ("^1.2 ^1", "1.4.2", {}),
    ("^1.2.3-alpha", "1.2.3-pre", {}), ("^1.2.0-alpha", "1.2.0-pre", {}), ("^0.0.1-alpha", "0.0.1-beta", {}),
    ("^0.0.1-alpha", "0.0.1", {}), ("^0.1.1-alpha", "0.1.1-beta", {}), ("^x", "1.2.3", {}), ("x - 1.0.0", "0.9.7", {}),
    ("x - 1.x", "0.9.7", {}), ("1.0.0 - x", "1.9.7", {}), ("1.x - x", "1.9.7", {}), ("<=7.x", "7.9.9", {}),
    ("2.x", "2.0.0-pre.0", PRE), ("2.x", "2.1.0-pre.0", PRE), ("*", "1.0.0-rc1", PRE), ("^1.0.0-0", "1.0.1-rc1", PRE),
    ("^1.0.0-rc2", "1.0.1-rc1", PRE), ("^1.0.0", "1.0.1-rc1", PRE), ("^1.0.0", "1.1.0-rc1", PRE),
]

EXCLUDED = [
    ("1.0.0 - 2.0.0", "2.2.3", {}), ("1.2.3+asdf - 2.4.3+asdf", "1.2.3-pre.2", {}),
    ("1.2.3+asdf - 2.4.3+asdf", "2.4.3-alpha", {}), ("^1.2.3+build", "2.0.0", {}), ("^1.2.3+build", "1.2.0", {}),
    ("^1.2.3", "1.2.3-pre", {}), ("^1.2", "1.2.0-pre", {}), (">1.2", "1.3.0-beta", {}), ("<=1.2.3", "1.2.3-beta", {}),
    ("^1.2.3", "1.2.3-beta", {}), ("=0.7.x", "0.7.0-asdf", {}), (">=0.7.x", "0.7.0-asdf", {}),
    ("1", "1.0.0beta", LOOSE), ("<1", "1.0.0beta", LOOSE), ("< 1", "1.0.0beta", LOOSE), ("1.0.0", "1.0.1", {}),
    (">=1.0.0", "0.0.0", {}), (">=1.0.0", "0.0.1", {}), (">=1.0.0", "0.1.0", {}), (">1.0.0", "0.0.1", {}),
    (">1.0.0", "0.1.0", {}), ("<=2.0.0", "3.0.0", {}), ("<=2.0.0", "2.9999.9999", {}), ("<=2.0.0", "2.2.9", {}),
    ("<2.0.0", "2.9999.9999", {}), ("<2.0.0", "2.2.9", {}), (">=0.1.97", "v0.1.93", LOOSE), (">=0.1.97", "0.1.93", {}),
    ("0.1.20 || 1.2.4", "1.2.3", {}), (">=0.2.3 || <0.0.1", "0.0.3", {}), (">=0.2.3 || <0.0.1", "0.2.2", {}),
    ("2.x.x", "1.1.3", {}), ("2.x.x", "3.1.3", {}), ("1.2.x", "1.3.3", {}), ("1.2.x || 2.x", "3.1.3", {}),
    ("1.2.x || 2.x", "1.1.3", {}), ("2.*.*", "1.1.3", {}), ("2.*.*", "3.1.3", {}), ("1.2.*", "1.3.3", {}),
    ("1.2.* || 2.*", "3.1.3", {}), ("1.2.* || 2.*", "1.1.3", {}), ("2", "1.1.2", {}), ("2.3", "2.4.1", {}),
    ("~0.0.1", "0.1.0-alpha", {}), ("~0.0.1", "0.1.0", {}), ("~2.4", "2.5.0", {}), ("~2.4", "2.3.9", {}),
    ("~>3.2.1", "3.3.2", {}), ("~>3.2.1", "3.2.0", {}), ("~1", "0.2.3", {}), ("~>1", "2.2.3", {}), ("~1.0", "1.1.0", {}),
    ("<1", "1.0.0", {}), (">=1.2", "1.1.1", {}), ("1", "2.0.0beta", LOOSE), ("~v0.5.4-beta", "0.5.4-alpha", {}),
    ("=0.7.x", "0.8.2", {}), (">=0.7.x", "0.6.2", {}), ("<0.7.x", "0.7.2", {}), ("<1.2.3", "1.2.3-beta", {}),
    ("=1.2.3", "1.2.3-beta", {}), (">1.2", "1.2.8", {}), ("^0.0.1", "0.0.2-alpha", {}), ("^0.0.1", "0.0.2", {}),
    ("^1.2.3", "2.0.0-alpha", {}), ("^1.2.3", "1.2.2", {}), ("^1.2", "1.1.9", {}), ("*", "v1.2.3-foo", LOOSE),
    ("*", "not a version", {}), (">=2", "glorp", {}), ("2.x", "3.0.0-pre.0", PRE), ("^1.0.0", "1.0.0-rc1", PRE),
    ("^1.2.3-rc2", "2.0.0", PRE), ("^1.0.0", "2.0.0-rc1", PRE), ("^1.0.0", "2.0.0-rc1", {}),
]

CANONICAL = [
    ("1.0.0 - 2.0.0", ">=1.0.0 <=2.0.0", {}), ("1.0.0 - 2.0.0", ">=1.0.0-0 <2.0.1-0", PRE),
    ("1 - 2", ">=1.0.0 <3.0.0-0", {}), ("1 - 2", ">=1.0.0-0 <3.0.0-0", PRE), ("1.0 - 2.0", ">=1.0.0 <2.1.0-0", {}),
    ("1.0 - 2.0", ">=1.0.0-0 <2.1.0-0", PRE), ("1.0.0", "1.0.0", {}), (">=*", "*", {}), ("", "*", {}), ("*", "*", {}),
    (">=1.0.0", ">=1.0.0", {}), (">1.0.0", ">1.0.0", {}), ("<=2.0.0", "<=2.0.0", {}), ("1", ">=1.0.0 <2.0.0-0", {}),
    ("<2.0.0", "<2.0.0", {}), (">= 1.0.0", ">=1.0.0", {}), ("> 1.0.0", ">1.0.0", {}), ("<\t2.0.0", "<2.0.0", {}),
    ("0.1.20 || 1.2.4", "0.1.20||1.2.4", {}), (">=0.2.3 || <0.0.1", ">=0.2.3||<0.0.1", {}), ("||", "*", {}),
    ("2.x.x", ">=2.0.0 <3.0.0-0", {}), ("1.2.x", ">=1.2.0 <1.3.0-0", {}),
    ("1.2.x || 2.x", ">=1.2.0 <1.3.0-0||>=2.0.0 <3.0.0-0", {}), ("x", "*", {}), ("2.*.*", ">=2.0.0 <3.0.0-0", {}),
    ("1.2.*", ">=1.2.0 <1.3.0-0", {}), ("2", ">=2.0.0 <3.0.0-0", {}), ("2.3", ">=2.3.0 <2.4.0-0", {}),
    ("~2.4", ">=2.4.0 <2.5.0-0", {}), ("~>3.2.1", ">=3.2.1 <3.3.0-0", {}), ("~1", ">=1.0.0 <2.0.0-0", {}),
    ("~> 1", ">=1.0.0 <2.0.0-0", {}), ("~1.0", ">=1.0.0 <1.1.0-0", {}), ("~ 1.0", ">=1.0.0 <1.1.0-0", {}),
    ("^0", "<1.0.0-0", {}), ("^ 1", ">=1.0.0 <2.0.0-0", {}), ("^0.1", ">=0.1.0 <0.2.0-0", {}),
    ("^1.0", ">=1.0.0 <2.0.0-0", {}), ("^1.2", ">=1.2.0 <2.0.0-0", {}), ("^0.0.1", ">=0.0.1 <0.0.2-0", {}),
    ("^0.0.1-beta", ">=0.0.1-beta <0.0.2-0", {}), ("^0.1.2", ">=0.1.2 <0.2.0-0", {}),
    ("^1.2.3", ">=1.2.3 <2.0.0-0", {}), ("^1.2.3-beta.4", ">=1.2.3-beta.4 <2.0.0-0", {}), ("<1", "<1.0.0-0", {}),
    ("< 1", "<1.0.0-0", {}), (">=1", ">=1.0.0", {}), (">= 1", ">=1.0.0", {}), ("<1.2", "<1.2.0-0", {}),
    (">01.02.03", ">1.2.3", LOOSE), (">01.02.03", None, {}), ("~1.2.3beta", ">=1.2.3-beta <1.3.0-0", LOOSE),
    ("~1.2.3beta", None, {}), ("^ 1.2 ^ 1", ">=1.2.0 <2.0.0-0 >=1.0.0", {}), ("1.2 - 3.4.5", ">=1.2.0 <=3.4.5", {}),
    ("1.2.3 - 3.4", ">=1.2.3 <3.5.0-0", {}), ("1.2 - 3.4", ">=1.2.0 <3.5.0-0", {}), (">1", ">=2.0.0", {}),
    (">1.2", ">=1.3.0", {}), (">X", "<0.0.0-0", {}), ("<X", "<0.0.0-0", {}), ("<x <* || >* 2.x", "<0.0.0-0", {}),
    (">x 2.x || * || <x", "*", {}),
]

GREATER = [
    ("0.0.0", "0.0.0-foo"), ("0.0.1", "0.0.0"), ("1.0.0", "0.9.9"), ("0.10.0", "0.9.0"), ("0.99.0", "0.10.0"),
    ("2.0.0", "1.2.3"), ("v0.0.0", "0.0.0-foo"), ("v0.0.1", "0.0.0"), ("1.2.3", "1.2.3-asdf"), ("1.2.3", "1.2.3-4"),
    ("1.2.3", "1.2.3-4-foo"), ("1.2.3-5-foo", "1.2.3-5"), ("1.2.3-5", "1.2.3-4"), ("1.2.3-5-foo", "1.2.3-5-Foo"),
    ("3.0.0", "2.7.2+asdf"), ("1.2.3-a.10", "1.2.3-a.5"), ("1.2.3-a.b", "1.2.3-a.5"), ("1.2.3-a.b", "1.2.3-a"),
    ("1.2.3-a.b.c.10.d.5", "1.2.3-a.b.c.5.d.100"), ("1.2.3-r2", "1.2.3-r100"), ("1.2.3-r100", "1.2.3-R2"),
]

EQUAL = [
    ("1.2.3", "v1.2.3"), ("1.2.3", "=1.2.3"), ("1.2.3", "v 1.2.3"), ("1.2.3", "= 1.2.3"), ("1.2.3", " v1.2.3"),
    ("1.2.3-0", " = 1.2.3-0"), ("1.2.3-beta", " v 1.2.3-beta"), ("1.2.3-beta+build", " = 1.2.3-beta+otherbuild"),
    ("1.2.3+build", " = 1.2.3+otherbuild"), ("  v1.2.3+build", "1.2.3+otherbuild"),
]

MIN_VERSION = [
    ("*", "0.0.0"), ("* || >=2", "0.0.0"), (">=2 || *", "0.0.0"), (">2 || *", "0.0.0"), ("1.0.0", "1.0.0"),
    ("1.0", "1.0.0"), ("1.0.x", "1.0.0"), ("1.0.*", "1.0.0"), ("1", "1.0.0"), ("1.x.x", "1.0.0"), ("1.*.x", "1.0.0"),
    ("1.x.*", "1.0.0"), ("1.x", "1.0.0"), ("=1.0.0", "1.0.0"), ("~1.1.1", "1.1.1"), ("~1.1.1-beta", "1.1.1-beta"),
    ("~1.1.1 || >=2", "1.1.1"), ("^1.1.1", "1.1.1"), ("^1.1.1-beta", "1.1.1-beta"), ("^2.16.2 ^2.16", "2.16.2"),
    ("1.1.1 - 1.8.0", "1.1.1"), ("1.1 - 1.8.0", "1.1.0"), ("<2", "0.0.0"), ("<0.0.0-beta", "0.0.0-0"),
    ("<0.0.1-beta", "0.0.0"), ("<2 || >4", "0.0.0"), (">4 || <2", "0.0.0"), ("<0.0.0-beta >0.0.0-alpha", "0.0.0-alpha.0"),
    (">=1.1.1 <2 || >=2.2.2 <2", "1.1.1"), (">1.0.0", "1.0.1"), (">1.0.0-0", "1.0.0-0.0"),
    (">1.0.0-beta", "1.0.0-beta.0"), (">2 || >1.0.0", "1.0.1"), (">4 <3", None),
]


@pytest.mark.parametrize(("range_text", "version", "options"), INCLUDED)
def test_node_semver_includes(range_text: str, version: str, options: dict) -> None:
    assert nv.satisfies(version, range_text, loose=options.get("loose", False),
                        include_prerelease=options.get("include_prerelease", False))


@pytest.mark.parametrize(("range_text", "version", "options"), EXCLUDED)
def test_node_semver_excludes(range_text: str, version: str, options: dict) -> None:
    assert not nv.satisfies(version, range_text, loose=options.get("loose", False),
                            include_prerelease=options.get("include_prerelease", False))


@pytest.mark.parametrize(("range_text", "canonical", "options"), CANONICAL)
def test_node_semver_canonical_ranges(range_text: str, canonical: str | None, options: dict) -> None:
    parsed = nv.parse_range(range_text, loose=options.get("loose", False),
                            include_prerelease=options.get("include_prerelease", False))
    assert (None if parsed is None else parsed.range or "*") == canonical


@pytest.mark.parametrize(("greater", "lesser"), GREATER)
def test_semver_ordering(greater: str, lesser: str) -> None:
    assert nv.compare(greater, lesser) == 1
    assert nv.compare(lesser, greater) == -1
    assert nv.parse(greater) > nv.parse(lesser)


@pytest.mark.parametrize(("a", "b"), EQUAL)
def test_equal_versions_ignore_prefixes_and_build(a: str, b: str) -> None:
    assert nv.compare(a, b) == 0
    assert nv.parse(a) == nv.parse(b) and hash(nv.parse(a)) == hash(nv.parse(b))


@pytest.mark.parametrize(("range_text", "minimum"), MIN_VERSION)
def test_min_version(range_text: str, minimum: str | None) -> None:
    found = nv.min_version(range_text)
    assert (None if found is None else found.version) == minimum


def test_semver_2_prerelease_precedence_example() -> None:
    # The example chain of semver.org section 11.
    chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
             "1.0.0-rc.1", "1.0.0"]
    assert sorted(chain, key=nv.parse) == chain
    assert [nv.compare(a, b) for a, b in zip(chain, chain[1:])] == [-1] * (len(chain) - 1)


def test_parse_strict_and_loose() -> None:
    assert nv.parse("1.2.3-beta.1+exp.sha.5114f85") == SemVer(1, 2, 3, ("beta", 1), ("exp", "sha", "5114f85"))
    assert nv.parse("v1.2.3", loose=False) == SemVer(1, 2, 3)  # a leading v is strict SemVer for node-semver
    assert nv.parse("=1.2.3", loose=False) is None
    assert nv.parse("=1.2.3").version == "1.2.3"
    assert nv.parse("01.002.3", loose=False) is None
    assert nv.parse("01.002.3").version == "1.2.3"
    assert nv.parse("1.2.3beta").version == "1.2.3-beta"
    assert nv.parse("1.2") is None and nv.parse("latest") is None and nv.parse("") is None
    assert nv.parse("1.2.3." + "1" * 300) is None  # longer than MAX_LENGTH
    assert nv.parse("9007199254740992.0.0") is None  # above Number.MAX_SAFE_INTEGER
    assert nv.parse("١.٢.٣") is None  # Unicode digits are not SemVer digits
    assert nv.valid(" v2.0.0 ") == "2.0.0"
    assert nv.parse(123) is None  # type: ignore[arg-type]


def test_bump() -> None:
    assert nv.bump("1.2.3", "2.0.0") == "major"
    assert nv.bump("1.2.3", "1.3.0") == "minor"
    assert nv.bump("1.2.3", "1.2.4") == "patch"
    assert nv.bump("5.6.0", "5.6.1") == "patch"
    assert nv.bump("1.0.0-rc.1", "1.0.0") == "other"
    assert nv.bump("1.0.0+a", "1.0.0+b") == "other"
    assert nv.bump("github:x/y", "1.0.0") == "other"


def test_exact_version_and_lower_bound() -> None:
    assert nv.exact_version("4.17.21") == "4.17.21"
    assert nv.exact_version("=v4.17.21") == "4.17.21"
    assert [nv.exact_version(s) for s in ("^4.17.21", "~1.2.3", "1.2", "1.x", "latest", "*", ">=1.0.0")] == [None] * 7
    assert nv.lower_bound("^4.17.0") == "4.17.0"
    assert nv.lower_bound("1.x || >=3") == "1.0.0"
    assert nv.lower_bound(">=1.0.0 <2.0.0") == "1.0.0"
    assert nv.lower_bound("npm:string-width@^4.2.0") == "4.2.0"
    assert nv.lower_bound("string-width-cjs@npm:string-width@^4.2.0") == "4.2.0"
    assert nv.lower_bound("npm:@scope/real@~1.2") == "1.2.0"
    assert [nv.lower_bound(s) for s in ("*", "<2", "latest", "github:u/r", ">4 <3", "1.2.3 junk")] == [None] * 6


def test_loose_parse_records_dropped_words_and_refuses_huge_ranges() -> None:
    assert nv.parse_range(">=1.0.0 junk").dropped == ("junk",)
    assert nv.parse_range(">=1.0.0 junk", loose=False) is None
    assert nv.parse_range("junk") is None
    assert nv.parse_range("x.1") is None  # not an x-range (node-semver's invalidXRangeOrder)
    assert nv.parse_range("1 " * 600) is None
    assert nv.valid_range("^1.2.3") == ">=1.2.3 <2.0.0-0"


def test_versions_module_dispatches_npm() -> None:
    assert compare("npm", "1.0.0-beta.11", "1.0.0-beta.2") == 1
    assert compare("npm", "1.0.0", "1.0.0+build") == 0
    assert compare("npm", "abc", "abc") == 0 and compare("npm", "abc", "1.0.0") is None
    assert compare("pypi", "1.0.0-beta.11", "1.0.0-beta.2") == 1  # PEP 440 too, but by its own rules
    assert compare("pypi", "1.0rc1", "1.0") == -1
    assert bump("npm", "4.1.0", "4.1.1") == "patch"
    assert lower_bound("^1.2", "npm") == "1.2.0"
    assert lower_bound("^1.2") == "1.2"  # PyPI reads it as before
    assert lower_bound("1.x", "npm") == "1.0.0" and lower_bound("1.x") is None


def test_policy_version_matching_for_npm_includes_prereleases() -> None:
    assert version_matches("npm", "4.17.21", "^4.17.0")
    assert not version_matches("npm", "5.0.0", "^4.17.0")
    assert version_matches("npm", "2.0.0-rc.1", "<2.0.0")  # a deny range also catches prereleases below it
    assert version_matches("npm", "1.5.0-evil", ">=1.0.0 <2")
    assert version_matches("npm", "4.1.1", "4.1.1") and not version_matches("npm", "4.1.10", "4.1.1")
    assert version_matches("npm", "3f2a9c1e0b7d4a5f6e8c9d0b1a2f3e4d5c6b7a8f", "3f2a9c1e0b7d4a5f6e8c9d0b1a2f3e4d5c6b7a8f")
    assert version_matches("npm", "1.0.0", "*")
    assert not version_matches("npm", "not-a-version", "^1")


def test_is_valid_spec_per_ecosystem() -> None:
    assert is_valid_spec("^4.17.0", "npm") and is_valid_spec(">=1.2.0 <2 || 3.x", "npm")
    assert is_valid_spec("4.1.1", "npm") and is_valid_spec("latest", "npm")
    assert not is_valid_spec(">=1 <2 junk", "npm") and not is_valid_spec(">=x.1", "npm")
    assert not is_valid_spec("^4.17.0") and not is_valid_spec("^4.17.0", "pypi")  # PyPI unchanged
    assert is_valid_spec(">=1.2,<2") and is_valid_spec("^1.2", "*")
