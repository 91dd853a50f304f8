"""pub versions and constraints (checker/versions/pub.py) against pub_semver's own test vectors.

Source: dart-lang/pub_semver, test/version_test.dart (commit 01c67f9b9a543182fad66f6b476857017800bbee): the
"comparison" group's sorted list (compareTo and the operators), "equality", and parse() (what parses and what
throws a FormatException).
"""

from __future__ import annotations

import itertools

import pytest

from checker.versions import pub
from checker.versions.compare import bump, compare, is_valid_spec, lower_bound, version_matches
from checker.versions.osv_ranges import evaluate

SORTED = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0-rc.1+build.1",
          "1.0.0", "1.0.0+0.3.7", "1.3.7+build", "1.3.7+build.2.b8f12d7", "1.3.7+build.11.e0f985a", "2.0.0", "2.1.0",
          "2.2.0", "2.11.0", "2.11.1"]


def test_compare_orders_pub_semver_s_sorted_list() -> None:
    for (i, a), (j, b) in itertools.product(enumerate(SORTED), repeat=2):
        assert pub.compare(a, b) == (i > j) - (i < j), (a, b)


@pytest.mark.parametrize(("a", "b"), [("01.2.3", "1.2.3"), ("1.02.3", "1.2.3"), ("1.2.03", "1.2.3"),
                                      ("1.2.3-01", "1.2.3-1"), ("1.2.3+01", "1.2.3+1")])
def test_equality(a: str, b: str) -> None:
    assert pub.compare(a, b) == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("0.0.0", ((0, 0, 0), (), ())), ("12.34.56", ((12, 34, 56), (), ())),
    ("1.2.3-alpha.1", ((1, 2, 3), ("alpha", 1), ())), ("1.2.3-x.7.z-92", ((1, 2, 3), ("x", 7, "z-92"), ())),
    ("1.2.3+build.1", ((1, 2, 3), (), ("build", 1))), ("1.2.3+x.7.z-92", ((1, 2, 3), (), ("x", 7, "z-92"))),
    ("1.0.0-rc-1+build-1", ((1, 0, 0), ("rc-1",), ("build-1",))),
])
def test_parse(text: str, expected: tuple) -> None:
    assert tuple(pub.parse(text)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["1.0", "1.2.3.4", "1234", "-2.3.4", "1.3-pre", "1.3+build", "1.3+bu?!3ild", "",
                                  "v1.2.3"])
def test_not_versions(text: str) -> None:
    assert pub.parse(text) is None


def test_constraints() -> None:
    assert pub.satisfies("1.9.9", "^1.2.3") and not pub.satisfies("2.0.0", "^1.2.3")
    assert pub.satisfies("0.2.9", "^0.2.1") and not pub.satisfies("0.3.0", "^0.2.1")  # next breaking of 0.x
    assert pub.satisfies("1.5.0", ">=1.0.0 <2.0.0") and not pub.satisfies("2.0.0", ">=1.0.0 <2.0.0")
    assert pub.satisfies("7.7.7", "any") and pub.satisfies("1.2.3", "1.2.3") and not pub.satisfies("1.2.4", "1.2.3")
    assert pub.satisfies("2.0.0-dev", "<2.0.0")  # a gate includes prereleases
    assert not pub.is_constraint("^1.2") and not pub.is_constraint(">=1.0")


def test_through_compare_and_policies() -> None:
    assert compare("pub", "1.0.0+build", "1.0.0") == 1  # unlike SemVer, pub orders builds
    assert bump("pub", "1.2.3", "1.3.0") == "minor" and bump("pub", "1.0.0-rc.1", "1.0.0") == "other"
    assert version_matches("pub", "1.5.0", ">=1.0.0 <2.0.0") and version_matches("pub", "1.2.3-01", "1.2.3-1")
    assert is_valid_spec("^1.2.3", "pub") and lower_bound("^1.2.3", "pub") == "1.2.3"


def test_osv_ranges_order_pub_versions() -> None:
    entry = {"package": {"ecosystem": "Pub", "name": "http"},
             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "0.13.3"}]}]}
    assert evaluate(entry, "0.13.2", "Pub").affected is True and evaluate(entry, "0.13.3", "Pub").affected is False
