"""Maven's version ordering (checker/versions/maven.py) against Maven's own test vectors.

The vectors are copied from apache/maven, tag maven-3.8.7 (the release installed as /usr/bin/mvn),
``maven-artifact/src/test/java/org/apache/maven/artifact/versioning/ComparableVersionTest.java``: the qualifier and
number orders, ``testVersionsEqual``, ``testVersionComparing``, MNG-5568, MNG-6572, the leading-zero arrays,
MNG-6964 and MNG-7644. During development the port was also held to that release's own ``ComparableVersion``
(its ``main``) on 12,000 generated pairs, canonical forms included, with no difference.
"""

from __future__ import annotations

import pytest

from checker.versions import maven
from checker.versions.compare import bump, compare, is_valid_spec, version_matches

VERSIONS_QUALIFIER = [
    "1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2", "1-beta123", "1-m2", "1-m11", "1-rc", "1-cr2",
    "1-rc123", "1-SNAPSHOT", "1", "1-sp", "1-sp2", "1-sp123", "1-abc", "1-def", "1-pom-1", "1-1-snapshot",
    "1-1", "1-2", "1-123",
]
VERSIONS_NUMBER = [
    "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1", "2.1.0.1", "2.2",
    "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
]
EQUAL = [
    ("1", "1"), ("1", "1.0"), ("1", "1.0.0"), ("1.0", "1.0.0"), ("1", "1-0"), ("1", "1.0-0"), ("1.0", "1.0-0"),
    ("1a", "1-a"), ("1a", "1.0-a"), ("1a", "1.0.0-a"), ("1.0a", "1-a"), ("1.0.0a", "1-a"), ("1x", "1-x"),
    ("1x", "1.0-x"), ("1x", "1.0.0-x"), ("1.0x", "1-x"), ("1.0.0x", "1-x"), ("1ga", "1"), ("1release", "1"),
    ("1final", "1"), ("1cr", "1rc"), ("1a1", "1-alpha-1"), ("1b2", "1-beta-2"), ("1m3", "1-milestone-3"),
    ("1X", "1x"), ("1A", "1a"), ("1B", "1b"), ("1M", "1m"), ("1Ga", "1"), ("1GA", "1"), ("1RELEASE", "1"),
    ("1RELeaSE", "1"), ("1Final", "1"), ("1FinaL", "1"), ("1FINAL", "1"), ("1Cr", "1Rc"), ("1cR", "1rC"),
    ("1m3", "1Milestone3"), ("1m3", "1MileStone3"), ("1m3", "1MILESTONE3"),
    ("1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
]
ORDERED = [
    ("1", "2"), ("1.5", "2"), ("1", "2.5"), ("1.0", "1.1"), ("1.1", "1.2"), ("1.0.0", "1.1"), ("1.0.1", "1.1"),
    ("1.1", "1.2.0"), ("1.0-alpha-1", "1.0"), ("1.0-alpha-1", "1.0-alpha-2"), ("1.0-alpha-1", "1.0-beta-1"),
    ("1.0-beta-1", "1.0-SNAPSHOT"), ("1.0-SNAPSHOT", "1.0"), ("1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"),
    ("1.0", "1.0-1"), ("1.0-1", "1.0-2"), ("1.0.0", "1.0-1"), ("2.0-1", "2.0.1"), ("2.0.1-klm", "2.0.1-lmn"),
    ("2.0.1", "2.0.1-xyz"), ("2.0.1", "2.0.1-123"), ("2.0.1-xyz", "2.0.1-123"),
    # MNG-5568: transitivity
    ("6.1.0rc3", "6.1.0"), ("6.1.0rc3", "6.1H.5-beta"), ("6.1.0", "6.1H.5-beta"),
    # MNG-6572: long numbers
    ("20190126.230843", "1234567890.12345"), ("1234567890.12345", "123456789012345.1H.5-beta"),
    ("20190126.230843", "123456789012345.1H.5-beta"),
    ("123456789012345.1H.5-beta", "12345678901234567890.1H.5-beta"),
    ("1234567890.12345", "12345678901234567890.1H.5-beta"), ("20190126.230843", "12345678901234567890.1H.5-beta"),
    # MNG-6964
    ("1-0.alpha", "1"), ("1-0.beta", "1"), ("1-0.alpha", "1-0.beta"),
]
MNG_7644 = ["abc", "alpha", "a", "beta", "b", "def", "milestone", "m", "RC"]


def _ordered(low: str, high: str) -> None:
    assert compare("maven", low, high) == -1, f"{low} < {high}"
    assert compare("maven", high, low) == 1, f"{high} > {low}"


def _equal(a: str, b: str) -> None:
    assert compare("maven", a, b) == 0, f"{a} == {b}"
    assert compare("maven", b, a) == 0
    assert maven.canonical(a) == maven.canonical(b)


@pytest.mark.parametrize("versions", [VERSIONS_QUALIFIER, VERSIONS_NUMBER])
def test_orders_of_maven(versions: list[str]) -> None:
    for i, low in enumerate(versions):
        for high in versions[i + 1 :]:
            _ordered(low, high)


@pytest.mark.parametrize("a,b", EQUAL)
def test_equal(a: str, b: str) -> None:
    _equal(a, b)


@pytest.mark.parametrize("low,high", ORDERED)
def test_ordered(low: str, high: str) -> None:
    _ordered(low, high)


def test_leading_zeroes() -> None:
    ones = ["0" * n + "1" for n in range(19)]
    zeros = ["0" * n for n in range(1, 20)]
    for group in (ones, zeros):
        for a in group:
            for b in group:
                _equal(a, b)


@pytest.mark.parametrize("x", MNG_7644)
def test_mng_7644(x: str) -> None:
    _ordered(f"1.0.0.{x}1", f"1.0.0-{x}2")
    _equal(f"2-{x}", f"2.0.{x}")
    _equal(f"2-{x}", f"2.0.0.{x}")
    _equal(f"2.0.{x}", f"2.0.0.{x}")


def test_canonical_round_trips() -> None:
    for version in VERSIONS_QUALIFIER + VERSIONS_NUMBER:
        canonical = maven.canonical(version)
        assert canonical is not None and maven.canonical(canonical) == canonical
    assert maven.canonical("1.0.0") == "1"
    assert maven.canonical("6.1.0rc3") == "6.1-rc-3"


def test_unorderable_is_none_never_a_guess() -> None:
    assert compare("maven", "", "1") is None
    assert compare("maven", "1" + "-1" * 200, "1") is None  # longer than Maven 4's limit: not ordered
    huge = "9" * 100_000  # a pathological digit run is not ordered, and costs no quadratic int() conversion
    assert compare("maven", huge, "1") is None
    assert compare("maven", "1.0", "1.0") == 0


def test_bump() -> None:
    assert bump("maven", "31.1-jre", "32.0.0-jre") == "major"
    assert bump("maven", "2.15.2", "2.16.0") == "minor"
    assert bump("maven", "3.12.0", "3.12.1") == "patch"
    assert bump("maven", "1.0-alpha-1", "1.0-beta-1") == "other"
    assert bump("maven", "5.3.30", "5.3.31") == "patch"


@pytest.mark.parametrize("version,spec,expected", [
    ("1.5", "[1.0,2.0)", True), ("2.0", "[1.0,2.0)", False), ("1.0", "(1.0,2.0]", False), ("2.0", "(1.0,2.0]", True),
    ("0.1", "(,1.0]", True), ("3.0", "[1.0,)", True), ("1.2", "[1.2]", True), ("1.2.0", "[1.2]", True),
    ("1.3", "[1.2]", False), ("3.5", "[1,2),[3,4)", True), ("2.5", "[1,2),[3,4)", False),
    ("1.5", "]1.0,2.0[", True), ("1.0", "]1.0,2.0[", False), ("1.2.3", "1.2.+", True), ("1.3.0", "1.2.+", False),
    ("1.0", "1", True), ("2.0-SNAPSHOT", "[1.0,2.0)", True),  # Maven: 2.0-SNAPSHOT < 2.0
])
def test_ranges(version: str, spec: str, expected: bool) -> None:
    assert version_matches("maven", version, spec) is expected
    assert is_valid_spec(spec, "maven")


def test_invalid_ranges() -> None:
    for spec in ("[1.0,2.0", "[1,2,3]", "(1.0)", "[a,b),junk"):
        assert not is_valid_spec(spec, "maven"), spec


def test_exact() -> None:
    assert maven.exact("1.2.3") == "1.2.3"
    assert maven.exact("[1.2.3]") == "1.2.3"
    for spec in ("[1.0,2.0)", "1.+", "latest.release", "LATEST", "RELEASE", "", "1.0 2.0"):
        assert maven.exact(spec) is None, spec
