"""Composer's version normalising and ordering, against composer/semver's own test vectors.

Copied from composer/semver (commit a5e1d2d4a0db4a8dce9a4b076d41e329e2599e31): ``tests/VersionParserTest.php``
(successfulNormalizedVersions, failingNormalizedVersions) and ``tests/ComparatorTest.php`` (compareProvider and
the dev-branch rows of greaterThanProvider / lessThanProvider / equalToProvider).
"""

from __future__ import annotations

import pytest

from checker.versions import composer
from checker.versions.compare import bump, compare
from checker.versions.osv_ranges import evaluate

NORMALIZED = {
    "1.0.0": "1.0.0.0", "1.2.3.4": "1.2.3.4", "1.0.0RC1dev": "1.0.0.0-RC1-dev", "1.0.0-rC15-dev": "1.0.0.0-RC15-dev",
    "1.0.0.RC.15-dev": "1.0.0.0-RC15-dev", "1.0.0-rc1": "1.0.0.0-RC1", "1.0.0.pl3-dev": "1.0.0.0-patch3-dev",
    "1.0-dev": "1.0.0.0-dev", "0": "0.0.0.0", "99999": "99999.0.0.0", "10.4.13-beta": "10.4.13.0-beta",
    "10.4.13beta2": "10.4.13.0-beta2", "10.4.13beta.2": "10.4.13.0-beta2", "v1.13.11-beta.0": "1.13.11.0-beta0",
    "1.13.11.0-beta0": "1.13.11.0-beta0", "10.4.13-b": "10.4.13.0-beta", "10.4.13-b5": "10.4.13.0-beta5",
    "v1.0.0": "1.0.0.0", "2010.01": "2010.01.0.0", "2010.01.02": "2010.01.02.0", "2010.1.555": "2010.1.555.0",
    "2010.10.200": "2010.10.200.0", "20230131.0.0": "20230131.0.0", "202301310000.0.0": "202301310000.0.0",
    "v20100102": "20100102", "20100102": "20100102", "20100102.0": "20100102.0", "20100102.1.0": "20100102.1.0",
    "20100102.0.3": "20100102.0.3", "100000": "100000", "2010-01-02-10-20-30.0.3": "2010.01.02.10.20.30.0.3",
    "2010-01-02-10-20-30.5": "2010.01.02.10.20.30.5", "2010-01-02": "2010.01.02", "2012.06.07": "2012.06.07.0",
    "2010-01-02.5": "2010.01.02.5", "20100102-203040": "20100102.203040",
    "20100102.x-dev": "20100102.9999999.9999999.9999999-dev",
    "20100102.203040.x-dev": "20100102.203040.9999999.9999999-dev", "20100102203040-10": "20100102203040.10",
    "20100102-203040-p1": "20100102.203040-patch1", "201903.0": "201903.0",
    "201903.x-dev": "201903.9999999.9999999.9999999-dev", "201903.0-p2": "201903.0-patch2",
    "dev-master": "dev-master", "master": "dev-master", "dev-trunk": "dev-trunk",
    "1.x-dev": "1.9999999.9999999.9999999-dev", "dev-feature-foo": "dev-feature-foo", "DEV-FOOBAR": "dev-FOOBAR",
    "dev-feature/foo": "dev-feature/foo", "dev-feature+issue-1": "dev-feature+issue-1",
    "dev-master as 1.0.0": "dev-master",
    "dev-load-varnish-only-when-used as ^2.0": "dev-load-varnish-only-when-used",
    "dev-load-varnish-only-when-used@dev as ^2.0@dev": "dev-load-varnish-only-when-used",
    "1.0.0+foo@dev": "1.0.0.0", "dev-load-varnish-only-when-used@stable": "dev-load-varnish-only-when-used",
    "1.0.0-beta.5+foo": "1.0.0.0-beta5", "1.0.0+foo": "1.0.0.0", "1.0.0-alpha.3.1+foo": "1.0.0.0-alpha3.1",
    "1.0.0-alpha2.1+foo": "1.0.0.0-alpha2.1", "1.0.0-alpha-2.1-3+foo": "1.0.0.0-alpha2.1-3",
    "1.0.0+foo as 2.0": "1.0.0.0", "00.01.03.04": "00.01.03.04", "000.001.003.004": "000.001.003.004",
    "0.000.103.204": "0.000.103.204", "0700": "0700.0.0.0", "041.x-dev": "041.9999999.9999999.9999999-dev",
    "dev-041.003": "dev-041.003", "dev-1.0.0-dev<1.0.5-dev": "dev-1.0.0-dev<1.0.5-dev", "dev-foo bar": "dev-foo bar",
    " 1.0.0": "1.0.0.0", "1.0.0 ": "1.0.0.0",
}
FAILING = ["", "a", "1.0.0-meh", "1.0.0.0.0", "feature-foo", "1.0.0+foo bar", "1.0.1-SNAPSHOT", "1.0.0<1.0.5-dev",
           "1.0.0-dev<1.0.5-dev", "foo bar-dev", "1.0 .2", " as ", " as 1.2", "^", "^8 || ^", "~", "~1 ~", "~1", "^1",
           "1.*", "20100102.0.3.4", "100000.0.0.0", "2023013.0.0", "202301311.0.0", "20230131000.0.0",
           "2023013100000.0.0", "1" * 300]


@pytest.mark.parametrize(("written", "normalized"), NORMALIZED.items())
def test_normalize(written: str, normalized: str) -> None:
    assert composer.normalize(written) == normalized


@pytest.mark.parametrize("written", FAILING)
def test_not_a_version(written: str) -> None:
    assert composer.normalize(written) is None


@pytest.mark.parametrize(("left", "op", "right", "expected"), [
    ("1.25.0", ">", "1.24.0", True), ("1.25.0", ">", "1.25.0", False), ("1.25.0", ">", "1.26.0", False),
    ("1.25.0", ">=", "1.24.0", True), ("1.25.0", ">=", "1.25.0", True), ("1.25.0", ">=", "1.26.0", False),
    ("1.25.0", "<", "1.24.0", False), ("1.25.0", "<", "1.25.0", False), ("1.25.0", "<", "1.26.0", True),
    ("1.25.0-beta2.1", "<", "1.25.0-b.3", True), ("1.25.0-b2.1", "<", "1.25.0beta.3", True),
    ("1.25.0-b-2.1", "<", "1.25.0-rc", True), ("1.25.0", "<=", "1.24.0", False), ("1.25.0", "<=", "1.25.0", True),
    ("1.25.0", "<=", "1.26.0", True), ("1.25.0", "==", "1.24.0", False), ("1.25.0", "==", "1.25.0", True),
    ("1.25.0", "==", "1.26.0", False), ("1.25.0-beta2.1", "==", "1.25.0-b.2.1", True),
    ("1.25.0beta2.1", "==", "1.25.0-b2.1", True), ("1.0.0", "<", "1.2-dev", True),
])
def test_version_compare(left: str, op: str, right: str, expected: bool) -> None:
    """ComparatorTest compares the strings as written with PHP's version_compare."""
    result = composer.version_compare(left, right)
    assert {">": result > 0, ">=": result >= 0, "<": result < 0, "<=": result <= 0, "==": result == 0}[op] is expected


def test_php_version_compare_special_forms() -> None:
    """php-src ext/standard/versioning.c: dev < alpha < beta < RC < number < patch; unknown words below dev."""
    ordered = ["1.0-foo", "1.0-dev", "1.0-alpha", "1.0-beta", "1.0-RC1", "1.0", "1.0-pl1"]
    for low, high in zip(ordered, ordered[1:]):
        assert composer.version_compare(low, high) == -1, (low, high)
        assert composer.version_compare(high, low) == 1, (high, low)
    assert composer.version_compare("1.0", "1.0.0") == -1  # PHP: a further number is larger
    assert composer.version_compare("1.", "1") == -1


def test_branches_are_not_ordered() -> None:
    assert compare("composer", "dev-foo", "dev-master") is None
    assert compare("composer", "dev-foo", "1.26.0") is None
    assert compare("composer", "dev-main", "dev-main") == 0
    assert composer.is_branch("dev-main") and not composer.is_branch("1.x-dev")
    assert bump("composer", "dev-main", "1.0.0") == "other"


def test_lock_versions_compare_through_normalisation() -> None:
    assert compare("composer", "v1.2.3", "1.2.3.0") == 0
    assert compare("composer", "v5.4.0", "v5.4.10") == -1
    assert compare("composer", "2.0.0-RC1", "2.0.0") == -1
    assert compare("composer", "2.0.0", "2.0.0-p1") == -1
    assert bump("composer", "v5.4.0", "v6.0.0") == "major"
    assert bump("composer", "v5.4.0", "v5.4.1") == "patch"


def test_osv_packagist_ranges() -> None:
    entry = {"package": {"ecosystem": "Packagist", "name": "symfony/http-kernel"},
             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.4.10"}]}]}
    assert evaluate(entry, "v5.4.9", "Packagist").affected is True
    assert evaluate(entry, "v5.4.10", "Packagist").affected is False
    assert evaluate(entry, "5.4.10-RC1", "Packagist").affected is True
    assert evaluate(entry, "dev-main", "Packagist").affected is None  # a branch cannot be placed in a range


def test_policy_ranges_use_composer_ordering() -> None:
    from checker.versions.compare import version_matches

    assert version_matches("composer", "v5.4.9", "<5.4.10")
    assert not version_matches("composer", "v5.4.10", "<5.4.10")
    assert version_matches("composer", "dev-main", "dev-main")
    assert not version_matches("composer", "dev-main", "<1.0")  # a branch is ordered against nothing
