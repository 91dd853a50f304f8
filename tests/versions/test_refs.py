"""Refs as versions (checker/versions/refs.py): a commit pin orders by its version comment."""

from __future__ import annotations

from checker.versions.refs import comparable
from tests.rules.hook_revs import HOOKS_SHA


def test_a_rev_orders_by_its_comment_when_it_is_a_commit() -> None:
    assert comparable("pre-commit", HOOKS_SHA, "frozen: v6.0.0") == "v6.0.0"
    assert comparable("pre-commit", HOOKS_SHA, "v6.0.0") == "v6.0.0"
    assert comparable("pre-commit", "v5.0.0", None) == "v5.0.0"
    assert comparable("pre-commit", HOOKS_SHA, None) is None
