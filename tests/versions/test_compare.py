"""Version comparison (checker.versions.compare): parsing, bumps, ordering, ranges."""

from __future__ import annotations

import pytest

from checker.versions.compare import bump, compare, is_range, is_valid_spec, lower_bound, parse_version, version_matches


# --- versions --------------------------------------------------------------------------------------------------


def test_parse_version_accepts_a_v_prefix_only_before_a_digit() -> None:
    assert str(parse_version("v4.2.0")) == "4.2.0"
    assert str(parse_version("V2")) == "2"
    assert parse_version("vendor") is None
    assert parse_version("main") is None
    assert parse_version("3f2a9c1e0b7d4a5f6e8c9d0b1a2f3e4d5c6b7a8f") is None


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ("1.2.3", "2.0.0", "major"),
        ("1.2.3", "1.3.0", "minor"),
        ("1.2.3", "1.2.4", "patch"),
        ("2.0.0", "1.9.9", "major"),  # downgrades too
        ("1.0", "1.0.1", "patch"),  # missing components count as 0
        ("1", "1.1", "minor"),
        ("1.0.0", "1.0.0.1", "other"),  # a fourth component
        ("1.0.0", "1.0.0.post1", "other"),
        ("1.0.0rc1", "1.0.0", "other"),
        ("1.0", "1.0.0", "other"),
        ("v4", "v5", "major"),
        ("v4.1.0", "v4.2.0", "minor"),
        ("main", "v5", "other"),
        ("3f2a9c1e0b7d4a5f6e8c9d0b1a2f3e4d5c6b7a8f", "0b1a2f3e4d5c6b7a8f3f2a9c1e0b7d4a5f6e8c9d", "other"),
    ],
)
def test_bump(before: str, after: str, expected: str) -> None:
    assert bump("pypi", before, after) == expected


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("1.0", "2.0", -1),
        ("2.0", "1.0", 1),
        ("1.0", "1.0.0", 0),
        ("1.10", "1.9", 1),  # numeric, not lexical
        ("1.0rc1", "1.0", -1),
        ("1.0", "1.0.post1", -1),
        ("v4", "4.0", 0),
        ("main", "main", 0),
        ("main", "dev", None),
        ("main", "1.0", None),
    ],
)
def test_compare(a: str, b: str, expected: int | None) -> None:
    assert compare("pypi", a, b) == expected


@pytest.mark.parametrize(
    "version, spec, expected",
    [
        ("1.2.3", "1.2.3", True),
        ("1.2.3", "1.2.4", False),
        ("1.0", "1.0.0", True),  # equal as versions
        ("v4.2.0", "4.2.0", True),
        ("main", "main", True),  # not versions: compared as text
        ("main", "dev", False),
        ("1.2.3", "*", True),
        ("1.2.3", "", True),
        ("1.2.3", " 1.2.3 ", True),
        ("1.2.3", ">=1,<2", True),
        ("2.0", ">=1,<2", False),
        ("1.5rc1", ">=1,<2", True),  # prereleases count: a malicious rc is still in the range
        ("2.0rc1", ">=1,<2", False),  # PEP 440: <2 excludes the prereleases of 2
        ("1.82.8", "==1.82.*", True),
        ("1.83.0", "==1.82.*", False),
        ("1.4", "~=1.2", True),
        ("2.0", "~=1.2", False),
        ("1.4", "!=1.4", False),
        ("main", ">=1", False),  # not a version: in no range
        ("1.0", ">=1,,<<2", False),  # not a valid specifier: matches nothing
        ("1.0", "^1.0", False),  # npm ranges are not PEP 440
    ],
)
def test_version_matches(version: str, spec: str, expected: bool) -> None:
    assert version_matches("pypi", version, spec) is expected


@pytest.mark.parametrize(
    "spec, expected",
    [("1.2.3", True), ("*", True), ("", True), ("v4", True), ("3.12-slim", True), (">=1,<2", True),
     ("==1.*", True), ("<2.31", True), ("^1.2", False), ("1.*", False), (">=1,,<<2", False)],
)
def test_is_valid_spec(spec: str, expected: bool) -> None:
    assert is_valid_spec(spec) is expected


def test_is_range() -> None:
    assert is_range(">=1")
    assert is_range("==1.*")
    assert is_range("^1.2")
    assert is_range("1 || 2")
    assert not is_range("1.2.3")
    assert not is_range("v4")


@pytest.mark.parametrize(
    "spec, expected",
    [
        (">=2.1,<3", "2.1"),
        ("<3", None),
        ("", None),
        ("==1.2.3", "1.2.3"),
        ("===1.2.3", "1.2.3"),
        ("~=1.4", "1.4"),
        ("^1.2", "1.2"),
        ("~1.2", "1.2"),
        (">1.0", "1.0"),
        ("==1.*", "1"),
        ("==1.2.*", "1.2"),
        (">=1.0, >=2.0", "2.0"),  # the tightest bound
        (">=2.0,!=2.1", "2.0"),
        (">=banana", None),
    ],
)
def test_lower_bound(spec: str, expected: str | None) -> None:
    assert lower_bound(spec) == expected
