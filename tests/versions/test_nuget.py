"""NuGet versions and ranges (checker/versions/nuget.py) against NuGet.Versioning's own test vectors.

Sources (NuGet/NuGet.Client, test/NuGet.Core.Tests/NuGet.Versioning.Test/):
- VersionComparerTests.cs (commit 70cb6afb6e901b01f678036ec77492a835b97ae0): VersionComparisonDefaultEqual,
  VersionComparisonDefaultNotEqual, VersionComparisonDefaultLess;
- VersionRangeTests.cs (commit 071d6074b041bb9a5dc0e31bfff576d41922ca55): VersionRange_PrettyPrintTests (the bounds
  each range parses to), ParseVersionRangeSatisfies, ParseVersionRangeDoesNotSatisfy, ParseVersionRangeSingleDigit,
  VersionRange_MetadataIsIgnored_Satisfy.
"""

from __future__ import annotations

import pytest

from checker.versions import nuget
from checker.versions.compare import bump, compare, is_valid_spec, lower_bound, version_matches
from checker.versions.osv_ranges import evaluate


@pytest.mark.parametrize(("a", "b"), [
    ("1.0.0", "1.0.0"), ("1.0.0-BETA", "1.0.0-beta"), ("1.0.0-BETA+AA", "1.0.0-beta+aa"),
    ("1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.77.0+aa"),
    ("1.0.0", "1.0.0.0"), ("1.0", "1.0.0"), ("1.01.1", "1.1.1"),  # missing and zero fourth parts, leading zeros
])
def test_equal(a: str, b: str) -> None:
    assert nuget.compare(a, b) == 0 == nuget.compare(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("0.0.0", "1.0.0"), ("1.1.0", "1.0.0"), ("1.0.1", "1.0.0"), ("1.0.0-BETA", "1.0.0-beta2"),
    ("1.0.0+AA", "1.0.0-beta+aa"), ("1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.79.0+aa"),
])
def test_not_equal(a: str, b: str) -> None:
    assert nuget.compare(a, b) != 0


@pytest.mark.parametrize(("a", "b"), [
    ("0.0.0", "1.0.0"), ("1.0.0", "1.1.0"), ("1.0.0", "1.0.1"), ("1.999.9999", "2.1.1"), ("1.0.0-BETA", "1.0.0-beta2"),
    ("1.0.0-beta+AA", "1.0.0+aa"), ("1.0.0-BETA", "1.0.0-beta.1+AA"),
    ("1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.79.0+aa"), ("1.0.0-BETA.X.y.5.79.0+AA", "1.0.0-beta.x.y.5.790.0+abc"),
    ("1.0.0.1", "1.0.1"), ("4.0.3.3", "4.0.3.10"),  # the fourth part
])
def test_less(a: str, b: str) -> None:
    assert nuget.compare(a, b) == -1 and nuget.compare(b, a) == 1


@pytest.mark.parametrize("text", ["", "a", "1.", "1..0", "1.0.0.0.0", "1.0.0-", "1.0.0-a..b", "-1.0.0", "v1.0.0",
                                  "1.0.0-beta+", "99999999999.0.0"])
def test_not_versions(text: str) -> None:
    assert nuget.parse(text) is None


@pytest.mark.parametrize(("spec", "low", "low_inclusive", "high", "high_inclusive"), [
    ("1.0.0", "1.0.0", True, None, False), ("[1.0.0]", "1.0.0", True, "1.0.0", True),
    ("[1.0.0, ]", "1.0.0", True, None, False), ("[1.0.0, )", "1.0.0", True, None, False),
    ("(1.0.0, )", "1.0.0", False, None, False), ("(1.0.0, ]", "1.0.0", False, None, False),
    ("(1.0.0, 2.0.0)", "1.0.0", False, "2.0.0", False), ("[1.0.0, 2.0.0]", "1.0.0", True, "2.0.0", True),
    ("[1.0.0, 2.0.0)", "1.0.0", True, "2.0.0", False), ("(1.0.0, 2.0.0]", "1.0.0", False, "2.0.0", True),
    ("(, 2.0.0]", None, False, "2.0.0", True), ("(, 2.0.0)", None, False, "2.0.0", False),
    ("[, 2.0.0)", None, False, "2.0.0", False), ("[, 2.0.0]", None, False, "2.0.0", True),
    ("1.0.0-beta*", "1.0.0-beta", True, None, False), ("[1.0.0-beta*, 2.0.0)", "1.0.0-beta", True, "2.0.0", False),
    ("[1.0.0-beta.1, 2.0.0-alpha.2]", "1.0.0-beta.1", True, "2.0.0-alpha.2", True),
    ("[1.0.0+beta.1, 2.0.0+alpha.2]", "1.0.0", True, "2.0.0", True), ("[1.0, 2.0]", "1.0.0", True, "2.0.0", True),
    ("[1,3)", "1.0.0", True, "3.0.0", False),
])
def test_range_bounds(spec: str, low: str | None, low_inclusive: bool, high: str | None, high_inclusive: bool) -> None:
    parsed = nuget.parse_range(spec)
    assert parsed is not None
    assert (parsed.low.normalized() if parsed.low else None, parsed.low_inclusive) == (low, low_inclusive)
    assert (parsed.high.normalized() if parsed.high else None, parsed.high_inclusive) == (high, high_inclusive)


@pytest.mark.parametrize(("spec", "version"), [
    ("1.0.0", "2.0.0"), ("[1.0.0, 2.0.0]", "2.0.0"), ("[1.0.0, 2.0.0]", "1.0.0"),
    ("[1.0.0-beta+meta, 2.0.0-beta+meta]", "1.0.0"), ("[1.0.0-beta+meta, 2.0.0-beta+meta]", "1.0.0-beta+meta"),
    ("[1.0.0-beta+meta, 2.0.0-beta+meta]", "2.0.0-beta"), ("[1.0.0-beta+meta, 2.0.0-beta+meta]", "1.0.0+meta"),
    ("(1.0.0-beta+meta, 2.0.0-beta+meta)", "1.0.0"), ("(1.0.0-beta+meta, 2.0.0-beta+meta)", "2.0.0-alpha+meta"),
    ("(1.0.0-beta+meta, 2.0.0-beta+meta)", "2.0.0-alpha"), ("(, 2.0.0-beta+meta)", "2.0.0-alpha"),
    ("[1.0.0+A, 2.0.0]", "1.0.0+B"), ("[1.0.0, 2.0.0+A]", "1.0.0"),
])
def test_satisfies(spec: str, version: str) -> None:
    assert nuget.satisfies(version, spec)


@pytest.mark.parametrize(("spec", "version"), [
    ("1.0.0", "0.0.0"), ("[1.0.0, 2.0.0]", "2.0.1"), ("[1.0.0, 2.0.0]", "0.0.0"), ("[1.0.0, 2.0.0]", "3.0.0"),
    ("[1.0.0-beta+meta, 2.0.0-beta+meta]", "1.0.0-alpha"), ("[1.0.0-beta+meta, 2.0.0-beta+meta]", "1.0.0-alpha+meta"),
    ("[1.0.0-beta+meta, 2.0.0-beta+meta]", "2.0.0-rc"), ("[1.0.0-beta+meta, 2.0.0-beta+meta]", "2.0.0+meta"),
    ("(1.0.0-beta+meta, 2.0.0-beta+meta)", "2.0.0-beta+meta"), ("(, 2.0.0-beta+meta)", "2.0.0-beta+meta"),
])
def test_does_not_satisfy(spec: str, version: str) -> None:
    assert not nuget.satisfies(version, spec)


@pytest.mark.parametrize("spec", ["", "[", "[]", "(1.0.0)", "[1.0.0", "[2.0.0, 1.0.0]", "[1.0.0, 2.0.0, 3.0.0]",
                                  "[a, b]"])
def test_not_ranges(spec: str) -> None:
    assert nuget.parse_range(spec) is None


def test_exact_version_of_a_declared_version() -> None:
    assert nuget.exact_version("13.0.1") == "13.0.1"
    assert nuget.exact_version("[13.0.1]") == "13.0.1"
    assert nuget.exact_version("[13.0.1, 13.0.1]") == "13.0.1"
    assert nuget.exact_version("[13.0.1, )") is None and nuget.exact_version("13.*") is None


def test_through_compare_and_policies() -> None:
    assert compare("nuget", "4.0.3.3", "4.0.3.10") == -1 and compare("nuget", "1.0.0", "1.0.0.0") == 0
    assert bump("nuget", "12.0.3", "13.0.1") == "major" and bump("nuget", "4.0.3.3", "4.0.3.4") == "other"
    # a policy's plain version is that version (NuGet's equality), a bracketed one a NuGet range
    assert version_matches("nuget", "1.0.0.0", "1.0.0") and not version_matches("nuget", "1.0.1", "1.0.0")
    assert version_matches("nuget", "1.5.0", "[1.0,2.0)") and not version_matches("nuget", "2.0.0", "[1.0,2.0)")
    assert version_matches("nuget", "1.0.0-BETA", "1.0.0-beta")
    assert is_valid_spec("[1.0,2.0)", "nuget") and not is_valid_spec("[2.0,1.0]", "nuget")
    assert lower_bound("[1.2,2.0)", "nuget") == "1.2.0"


def test_osv_ranges_order_nuget_versions() -> None:
    entry = {"package": {"ecosystem": "NuGet", "name": "Newtonsoft.Json"},
             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "13.0.1"}]}]}
    assert evaluate(entry, "12.0.3", "NuGet").affected is True
    assert evaluate(entry, "13.0.1.0", "NuGet").affected is False
    assert evaluate(entry, "13.0.1-beta1", "NuGet").affected is True
