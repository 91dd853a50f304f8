"""unreadable-manifest as a pure function: each Problem of the head's manifest is an Issue, at the rule's level when
the change touched the file, at ``unchanged`` when it was there before; a file unreadable as a whole says so."""

from __future__ import annotations

from checker.model import Manifest, Problem
from checker.rules.unreadable_manifest import RULE

OPTIONS = RULE.defaults()


def manifest(*problems: Problem, kind: str = "lock") -> Manifest:
    return Manifest("setup.py", "setup-py", "pypi", (), kind, problems=problems)


def test_a_problem_the_change_brought_is_at_the_rules_level_and_an_old_one_at_unchanged() -> None:
    head = manifest(Problem("install_requires is computed", 4), Problem("extras are computed", 9, changed=False))
    assert RULE.check_manifest is not None
    fresh, old = RULE.check_manifest(head, None, OPTIONS)
    assert (fresh.level, fresh.line, old.level, old.line) == (None, 4, "warn", 9)
    assert fresh.message == "install_requires is computed (the rest of the file is judged)"
    assert "literal values" in (fresh.hint or "")
    [old] = RULE.check_manifest(head._replace(problems=head.problems[1:]), None, {**OPTIONS, "unchanged": "block"})
    assert old.level == "block"


def test_a_file_unreadable_as_a_whole_says_it_cannot_be_read() -> None:
    head = manifest(Problem("not valid TOML: line 3", 3), kind="unreadable")
    assert RULE.check_manifest is not None
    [issue] = RULE.check_manifest(head, None, OPTIONS)
    assert issue.message == "cannot be read: not valid TOML: line 3"
    assert "paths.ignore" in (issue.hint or "")


def test_a_manifest_without_problems_gives_nothing() -> None:
    assert RULE.check_manifest is not None
    assert list(RULE.check_manifest(manifest(), None, OPTIONS)) == []
