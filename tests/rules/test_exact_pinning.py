"""exact-pinning on hand-built subjects: ranges, wildcards, no specifier, and the exemptions."""

from __future__ import annotations

from checker.model import Source
from checker.rules import exact_pinning
from checker.rules.base import Issue, Subject
from tests.rules.subjects import dep, options, subject


def pin_issues(target: Subject) -> list[Issue]:
    return list(exact_pinning.check(target, options("exact-pinning")))


# --- exact-pinning ---------------------------------------------------------------------------------------------


def test_range_in_a_lock_kind_requirements_file() -> None:
    [issue] = pin_issues(subject(dep("requests", None, specifier=">=2,<3")))
    assert issue == Issue(
        ">=2,<3 is a range: what gets installed depends on the day it is installed, and a release published "
        "minutes ago qualifies",
        hint="pin an exact version: requests==X.Y.Z (pip-compile writes exact pins for you)",
    )


def test_wildcard_equality_is_a_range() -> None:
    [issue] = pin_issues(subject(dep("requests", None, specifier="==1.*")))
    assert issue.message.startswith("==1.* is a range: ")


def test_no_specifier_at_all() -> None:
    [issue] = pin_issues(subject(dep("requests", None, specifier="")))
    assert issue.message.startswith("any version is a range: ")


def test_exact_pins_pass() -> None:
    assert pin_issues(subject(dep("requests", "2.32.3"))) == []
    assert pin_issues(subject(dep("requests", "2.32.3", specifier="===2.32.3"))) == []


def test_exact_pinning_exemptions() -> None:
    assert pin_issues(subject(dep("rich", None, specifier=">=13"), fmt="pyproject", kind="declared")) == []
    assert pin_issues(subject(dep("mine", None, specifier="", editable=True))) == []
    assert pin_issues(subject(dep("mylib", None, specifier="", source=Source("git", "https://g.example/x", "main")))) == []
    assert pin_issues(subject(dep("local", None, specifier="", source=Source("path", "./libs/local")))) == []
