"""Cargo's version ordering (checker/versions/cargo.py) against the ``semver`` crate's own test vectors:
dtolnay/semver tests/test_version.rs (test_parse, test_eq, test_ne, test_lt, test_le, test_gt, test_ge,
test_spec_order), commit 2d5031362f87b2427bea3fbe71b5cff054646739."""

from __future__ import annotations

import pytest

from checker.versions import cargo
from checker.versions.compare import bump, compare


@pytest.mark.parametrize("text", ["", "  ", "1", "1.2", "1.2.3-", "a.b.c", "1.2.3 abc", "1.2.3-01", "5.1.5++", "07",
                                  "75774777777757777757", "8\0"])
def test_parse_errors(text: str) -> None:
    assert cargo.parse(text) is None


@pytest.mark.parametrize("text, expected", [
    ("1.2.3", (1, 2, 3, (), ())),
    ("1.2.3-alpha1", (1, 2, 3, ("alpha1",), ())),
    ("1.2.3+build5", (1, 2, 3, (), ("build5",))),
    ("1.2.3+5build", (1, 2, 3, (), ("5build",))),
    ("1.2.3-alpha1+build5", (1, 2, 3, ("alpha1",), ("build5",))),
    ("1.2.3-1.alpha1.9+build5.7.3aedf", (1, 2, 3, ("1", "alpha1", "9"), ("build5", "7", "3aedf"))),
    ("1.2.3-0a.alpha1.9+05build.7.3aedf", (1, 2, 3, ("0a", "alpha1", "9"), ("05build", "7", "3aedf"))),
    ("0.4.0-beta.1+0851523", (0, 4, 0, ("beta", "1"), ("0851523",))),
    ("1.1.0-beta-10", (1, 1, 0, ("beta-10",), ())),
])
def test_parse(text: str, expected: tuple) -> None:
    assert tuple(cargo.parse(text)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("a, b", [("1.2.3", "1.2.3"), ("1.2.3-alpha1", "1.2.3-alpha1"),
                                  ("1.2.3+build.42", "1.2.3+build.42"), ("1.2.3-alpha1+42", "1.2.3-alpha1+42")])
def test_eq(a: str, b: str) -> None:
    assert cargo.compare(a, b) == 0


@pytest.mark.parametrize("a, b", [("0.0.0", "0.0.1"), ("0.0.0", "0.1.0"), ("0.0.0", "1.0.0"),
                                  ("1.2.3-alpha", "1.2.3-beta"), ("1.2.3+23", "1.2.3+42")])
def test_ne(a: str, b: str) -> None:
    assert cargo.compare(a, b) != 0


@pytest.mark.parametrize("a, b", [("0.0.0", "1.2.3-alpha2"), ("1.0.0", "1.2.3-alpha2"), ("1.2.0", "1.2.3-alpha2"),
                                  ("1.2.3-alpha1", "1.2.3"), ("1.2.3-alpha1", "1.2.3-alpha2"), ("1.2.3+23", "1.2.3+42")])
def test_lt_and_gt(a: str, b: str) -> None:
    assert cargo.compare(a, b) == -1 and cargo.compare(b, a) == 1


def test_spec_order() -> None:
    order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
             "1.0.0-rc.1", "1.0.0"]
    for before, after in zip(order, order[1:]):
        assert cargo.compare(before, after) == -1, (before, after)


def test_build_metadata_orders_cargo_but_not_swift() -> None:
    assert compare("cargo", "1.0.0", "1.0.0+a") == -1 and compare("swift", "1.0.0", "1.0.0+a") == 0
    assert cargo.compare("1.0.0+1", "1.0.0+01") == -1  # the semver crate: equal value, shorter first


def test_bumps() -> None:
    assert bump("cargo", "1.0.100", "1.0.101") == "patch" and bump("cargo", "0.9.0", "1.0.0") == "major"
    assert bump("swift", "5.8.0", "5.9.0") == "minor" and bump("cargo", "1.0.0", "abc") == "other"
