"""Go module versions (checker/versions/go.py) against Go's own test vectors.

- ``SEMVER_TESTS``: golang.org/x/mod semver/semver_test.go ``tests`` (input, canonical form; "" = invalid), in
  ascending order, as TestCompare uses them (github.com/golang/mod, commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db).
- ``PSEUDO_TESTS``: golang.org/x/mod module/pseudo_test.go ``pseudoTests`` (older tagged version, pseudo-version)
  and ``TestInvalidPseudoVersionBase``'s inputs (same commit).
"""

from __future__ import annotations

import pytest

from checker.versions import go
from checker.versions.compare import bump, compare, is_valid_spec, version_matches
from checker.versions.osv_ranges import evaluate

SEMVER_TESTS = [
    ("bad", ""), ("v1-alpha.beta.gamma", ""), ("v1-pre", ""), ("v1+meta", ""), ("v1-pre+meta", ""),
    ("v1.2-pre", ""), ("v1.2+meta", ""), ("v1.2-pre+meta", ""),
    ("v1.0.0-alpha", "v1.0.0-alpha"), ("v1.0.0-alpha.1", "v1.0.0-alpha.1"),
    ("v1.0.0-alpha.beta", "v1.0.0-alpha.beta"), ("v1.0.0-beta", "v1.0.0-beta"), ("v1.0.0-beta.2", "v1.0.0-beta.2"),
    ("v1.0.0-beta.11", "v1.0.0-beta.11"), ("v1.0.0-rc.1", "v1.0.0-rc.1"), ("v1", "v1.0.0"), ("v1.0", "v1.0.0"),
    ("v1.0.0", "v1.0.0"), ("v1.2", "v1.2.0"), ("v1.2.0", "v1.2.0"), ("v1.2.3-456", "v1.2.3-456"),
    ("v1.2.3-456.789", "v1.2.3-456.789"), ("v1.2.3-456-789", "v1.2.3-456-789"), ("v1.2.3-456a", "v1.2.3-456a"),
    ("v1.2.3-pre", "v1.2.3-pre"), ("v1.2.3-pre+meta", "v1.2.3-pre"), ("v1.2.3-pre.1", "v1.2.3-pre.1"),
    ("v1.2.3-zzz", "v1.2.3-zzz"), ("v1.2.3", "v1.2.3"), ("v1.2.3+meta", "v1.2.3"), ("v1.2.3+meta-pre", "v1.2.3"),
    ("v1.2.3+meta-pre.sha.256a", "v1.2.3"),
]

PSEUDO_TESTS = [
    ("", "v0.0.0-20060102150405-hash"),
    ("", "v1.0.0-20060102150405-hash"),
    ("", "v2.0.0-20060102150405-hash"),
    ("v0.0.0", "v0.0.1-0.20060102150405-hash"),
    ("v1.2.3", "v1.2.4-0.20060102150405-hash"),
    ("v1.2.99999999999999999", "v1.2.100000000000000000-0.20060102150405-hash"),
    ("v1.2.3-pre", "v1.2.3-pre.0.20060102150405-hash"),
    ("v1.3.0-pre", "v1.3.0-pre.0.20060102150405-hash"),
    ("v0.0.0--", "v0.0.0--.0.20060102150405-hash"),
    ("v1.0.0+metadata", "v1.0.1-0.20060102150405-hash+metadata"),
    ("v2.0.0+incompatible", "v2.0.1-0.20060102150405-hash+incompatible"),
    ("v2.3.0-pre+incompatible", "v2.3.0-pre.0.20060102150405-hash+incompatible"),
]


@pytest.mark.parametrize(("text", "canonical"), SEMVER_TESTS)
def test_is_valid_and_canonical(text: str, canonical: str) -> None:
    assert go.is_valid(text) is (canonical != "")
    assert go.canonical(text) == canonical


def test_compare_orders_the_vectors_as_go_does() -> None:
    """semver_test.go TestCompare: equal canonical forms compare equal, else by position in the table (invalid
    ones are not ordered here: Go puts them below every version, lockgate cannot order them at all)."""
    valid = [(i, text, canon) for i, (text, canon) in enumerate(SEMVER_TESTS) if canon]
    for i, a, ca in valid:
        for j, b, cb in valid:
            want = 0 if ca == cb else (-1 if i < j else 1)
            assert go.compare(a, b) == want, (a, b)


def test_compare_numbers_by_value() -> None:
    assert go.compare("v1.19.0", "v1.2.0") == 1
    assert go.compare("v1.2.99999999999999999", "v1.2.100000000000000000") == -1
    assert go.compare("v2", "v1") == 1


@pytest.mark.parametrize(("older", "pseudo"), PSEUDO_TESTS)
def test_pseudo_versions(older: str, pseudo: str) -> None:
    """pseudo_test.go TestIsPseudoVersion, and the ordering Go's pseudo.go promises: above the tag it was made
    after, below the next possible release."""
    assert go.is_pseudo_version(pseudo)
    assert not go.is_pseudo_version(older)
    assert go.pseudo_version_revision(pseudo) == "hash"
    if older:
        assert go.compare(older, pseudo) == -1


@pytest.mark.parametrize("text", ["v0.0.0", "v0.0.0-", "v1.2.0-20060102150405-hash", "v1.2.3-pre",
                                  "v1.0.0-2006010215040-hash", "v0.0.0-20060102150405-"])
def test_not_pseudo_versions(text: str) -> None:
    assert not go.is_pseudo_version(text)


def test_real_pseudo_version_and_incompatible() -> None:
    assert go.is_pseudo_version("v0.0.0-20191109021931-daa7c04131f5")
    assert go.pseudo_version_revision("v0.0.0-20191109021931-daa7c04131f5") == "daa7c04131f5"
    assert go.compare("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa") == -1
    assert go.compare("v0.0.0-20191109021931-daa7c04131f5", "v0.1.0") == -1
    assert go.compare("v2.0.0+incompatible", "v2.0.0") == 0  # build metadata is not ordered
    assert go.compare("v1.5.0-rc.1", "v1.5.0") == -1


def test_compare_dispatch_and_bump() -> None:
    assert compare("go", "v1.2.3", "v1.10.0") == -1
    assert compare("go", "master", "v1.0.0") is None
    assert bump("go", "v1.2.3", "v2.0.0+incompatible") == "major"
    assert bump("go", "v0.17.0", "v0.18.0") == "minor"
    assert bump("go", "v1.2.3", "v1.2.4") == "patch"
    assert bump("go", "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa") == "other"


def test_policy_ranges() -> None:
    assert is_valid_spec(">=v1.2.0, <v1.3.0", "go")
    assert is_valid_spec("v1.2.3", "go")
    assert not is_valid_spec(">=1.2.0", "go")  # Go versions have their v
    assert version_matches("go", "v1.2.5", ">=v1.2.0, <v1.3.0")
    assert not version_matches("go", "v1.3.0", ">=v1.2.0 <v1.3.0")
    assert version_matches("go", "v1.2.3+incompatible", "v1.2.3")
    assert version_matches("go", "v1.3.0-0.20240101000000-abcdefabcdef", "<v1.3.0")
    assert not version_matches("go", "master", "<v1.3.0")


def test_osv_go_ranges_without_v() -> None:
    """The Go vulnerability database writes SEMVER events without the ``v``; lockgate asks OSV the same way."""
    entry = {"package": {"ecosystem": "Go", "name": "golang.org/x/net"},
             "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.17.0"}]}]}
    assert evaluate(entry, "0.16.0", "Go").affected is True
    assert evaluate(entry, "0.17.0", "Go").affected is False
    assert evaluate(entry, "0.0.0-20191109021931-daa7c04131f5", "Go").affected is True
    ecosystem = {**entry, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.10.0"}]}]}
    assert evaluate(ecosystem, "1.9.0", "Go").affected is True
    assert evaluate(ecosystem, "1.10.0", "Go").affected is False


def test_go_and_toolchain_lines_order_as_releases() -> None:
    assert compare("go", "1.21", "1.22.0") == -1 and bump("go", "1.21.0", "1.22.0") == "minor"
    assert compare("go", "go1.22.3", "go1.22.10") == -1 and bump("go", "go1.22.3", "go1.22.10") == "patch"
    assert compare("go", "1.21rc1", "1.21.0") is None and compare("go", "default", "go1.22.0") is None
