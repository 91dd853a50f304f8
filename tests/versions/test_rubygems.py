"""Gem::Version ordering, against RubyGems' own test vectors.

Copied from rubygems/rubygems ``test/rubygems/test_gem_version.rb`` (commit 69ec4a3a5f1cafa633c569671ed9ef502bbdaf61):
test_spaceship, test_semver, test_canonical_segments, test_equals2, test_hash, test_initialize,
test_initialize_invalid, test_empty_version, test_prerelease, test_release.
"""

from __future__ import annotations

import pytest

from checker.versions import rubygems
from checker.versions.compare import bump, compare
from checker.versions.osv_ranges import evaluate


def v(text: str) -> rubygems.GemVersion:
    parsed = rubygems.parse(text)
    assert parsed is not None, text
    return parsed


@pytest.mark.parametrize(("left", "right", "expected"), [
    # test_spaceship
    ("1.0", "1.0.0", 0), ("1.0", "1.0.a", 1), ("1.8.2", "0.0.0", 1), ("1.8.2", "1.8.2.a", 1),
    ("1.8.2.b", "1.8.2.a", 1), ("1.8.2.a", "1.8.2", -1), ("1.8.2.a10", "1.8.2.a9", 1), ("", "0", 0),
    ("0.beta.1", "0.0.beta.1", 0), ("0.0.beta", "0.0.beta.1", -1), ("0.0.beta", "0.beta.1", -1),
    ("5.a", "5.0.0.rc2", -1), ("5.x", "5.0.0.rc2", 1), ("1.9.3", "1.9.3", 0), ("1.9.3", "1.9.2.99", 1),
    ("1.9.3", "1.9.3.1", -1),
    # test_semver (assert_less_than)
    ("1.0.0-alpha", "1.0.0-alpha.1", -1), ("1.0.0-alpha.1", "1.0.0-beta.2", -1),
    ("1.0.0-beta.2", "1.0.0-beta.11", -1), ("1.0.0-beta.11", "1.0.0-rc.1", -1), ("1.0.0-rc1", "1.0.0", -1),
    ("1.0.0-1", "1", -1),
    # test_equals2
    ("1.2", "1.2", 0), ("1.2", "1.3", -1), ("1.2.b1", "1.2.b.1", 0),
])
def test_spaceship(left: str, right: str, expected: int) -> None:
    assert rubygems.compare(left, right) == expected
    assert rubygems.compare(right, left) == -expected
    assert compare("gem", left, right) == expected


def test_canonical_segments_and_hash() -> None:
    assert v("1.0.0").canonical == (1,)
    assert v("1.0.0.a.1.0").canonical == (1, "a", 1)
    assert v("1.2.3-1").canonical == (1, 2, 3, "pre", 1)
    assert hash(v("1.2")) == hash(v("1.2.0"))
    assert hash(v("1.2.pre.1")) == hash(v("1.2.0.pre.1.0"))
    assert v("9.8.7").segments == (9, 8, 7)


@pytest.mark.parametrize("good", ["1.0", "1.0 ", " 1.0 ", "1.0\n", "\n1.0\n"])
def test_initialize(good: str) -> None:
    assert v(good) == v("1.0")


@pytest.mark.parametrize("invalid", ["junk", "1.0\n2.0", "1..2", "1.2 3.4",
                                     "2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.",  # CVE-2013-4287
                                     "1.0" * 200, "١.٢"])  # too long; Unicode digits are not [0-9]
def test_invalid(invalid: str) -> None:
    assert rubygems.parse(invalid) is None
    assert compare("gem", invalid, "1.0") is None


@pytest.mark.parametrize("empty", ["", "   ", " "])
def test_empty_version_is_zero(empty: str) -> None:
    assert v(empty).text == "0"


@pytest.mark.parametrize("version", ["1.2.0.a", "2.9.b", "22.1.50.0.d", "1.2.d.42", "1.A", "1-1", "1-a"])
def test_prerelease(version: str) -> None:
    assert v(version).prerelease


@pytest.mark.parametrize("version", ["1.2.0", "2.9", "22.1.50.0"])
def test_not_prerelease(version: str) -> None:
    assert not v(version).prerelease


@pytest.mark.parametrize(("release", "version"), [("1.2.0", "1.2.0.a"), ("1.1", "1.1.rc10"),
                                                  ("1.9.3", "1.9.3.alpha.5"), ("1.9.3", "1.9.3")])
def test_release(release: str, version: str) -> None:
    assert v(version).release == v(release).release[: len(v(version).release)]


def test_bump() -> None:
    assert bump("gem", "7.1.3", "7.2.0") == "minor"
    assert bump("gem", "1.16.0", "1.16.0.1") == "other"
    assert bump("gem", "1.2", "1.2.1") == "patch"
    assert bump("gem", "6.1.7.10", "7.0.0") == "major"
    assert bump("gem", "junk!", "1.0") == "other"


def test_osv_rubygems_ranges_use_gem_version_ordering() -> None:
    entry = {"package": {"ecosystem": "RubyGems", "name": "nokogiri"},
             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.16.5"}]}]}
    assert evaluate(entry, "1.16.4", "RubyGems").affected is True
    assert evaluate(entry, "1.16.5.rc1", "RubyGems").affected is True  # a prerelease sorts before its release
    assert evaluate(entry, "1.16.5", "RubyGems").affected is False
    assert evaluate(entry, "1.16.10", "RubyGems").affected is False  # 10 > 5 as numbers, not as text


def test_policy_ranges_use_gem_ordering() -> None:
    from checker.versions.compare import version_matches

    assert version_matches("gem", "7.0.8.1", ">=7.0.8,<7.1")
    assert version_matches("gem", "7.1.0.rc1", "<7.1")  # a prerelease sorts before its release
    assert not version_matches("gem", "7.1.0", "<7.1")
    assert version_matches("gem", "1.16.0", "1.16.0.0")
