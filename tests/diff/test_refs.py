"""How the diff orders refs: action SHA pins by their version comments, image tags within a variant, pre-commit revs
by their comments; what cannot be ordered is a source change."""

from __future__ import annotations

from checker.diff.changes import diff_dependencies
from checker.model import Dependency
from tests.rules.hook_revs import HOOKS_SHA, V5, rev
from tests.rules.workflow_subjects import DIGEST, OTHER, SHA, action, image


# --- the diff: refs ordered by labels and tags --------------------------------------------------------------------


def summary(before: list[Dependency], after: list[Dependency]) -> list[tuple]:
    return [
        (c.kind, c.bump, c.before.label if c.before else None, c.after.label if c.after else None)
        for c in diff_dependencies(before, after)
    ]


def test_sha_pins_order_by_their_comments() -> None:
    assert summary([action("actions/checkout", OTHER, "v4.1.0")], [action("actions/checkout", SHA, "v4.2.0")]) == [
        ("upgraded", "minor", "v4.1.0", "v4.2.0")
    ]
    assert summary([action("actions/checkout", SHA, "v4.2.0")], [action("actions/checkout", OTHER, "v3.6.0")]) == [
        ("downgraded", "major", "v4.2.0", "v3.6.0")
    ]
    # a tag pin to a SHA pin with a comment
    assert summary([action("actions/checkout", "v4")], [action("actions/checkout", SHA, "v4.2.2")]) == [
        ("upgraded", "minor", None, "v4.2.2")
    ]


def test_refs_that_cannot_be_ordered_are_source_changes() -> None:
    # no comments
    assert summary([action("a/b", OTHER)], [action("a/b", SHA)]) == [("source-changed", "other", None, None)]
    # another commit under the same comment: the code moved, the version it claims did not
    assert summary([action("a/b", OTHER, "v1.0.0")], [action("a/b", SHA, "v1.0.0")]) == [
        ("source-changed", "other", "v1.0.0", "v1.0.0")
    ]
    assert summary([action("a/b", "main")], [action("a/b", "develop")]) == [("source-changed", "other", None, None)]
    # only the comment changed: the same commit runs, nothing changed
    assert summary([action("a/b", SHA, "v1")], [action("a/b", SHA, "v1.0.0")]) == []


def test_image_tags_order_within_a_variant() -> None:
    def kinds(a: str | None, b: str | None) -> list[tuple]:
        return [(c.kind, c.bump) for c in diff_dependencies([image("node", a)], [image("node", b)])]

    assert kinds("26.7.0-trixie", "26.8.0-trixie") == [("upgraded", "minor")]
    assert kinds("3.12-slim", "3.11-slim") == [("downgraded", "minor")]
    assert kinds(f"20@{DIGEST}", "22@" + "sha256:" + "5f" * 32) == [("upgraded", "major")]
    assert kinds("3.12-slim", "3.12-alpine") == [("source-changed", "other")]  # another variant, not a version
    assert kinds(f"3.12@{DIGEST}", "3.12@sha256:" + "5f" * 32) == [("hashes-changed", "other")]  # re-pushed tag
    assert kinds(DIGEST, "sha256:" + "5f" * 32) == [("source-changed", "other")]
    assert kinds(None, "3.12") == [("source-changed", "other")]
    assert kinds("latest", "bookworm") == [("source-changed", "other")]


# --- pre-commit revs ordered by their comments -------------------------------------------------------------------


def test_the_diff_orders_revs_by_their_comments() -> None:
    [change] = diff_dependencies([rev(V5, "frozen: v5.0.0")], [rev(HOOKS_SHA, "frozen: v6.0.0")])
    assert (change.kind, change.bump) == ("upgraded", "major")
    [change] = diff_dependencies([rev(HOOKS_SHA, "frozen: v6.0.0")], [rev(V5, "frozen: v6.0.0")])
    assert change.kind == "source-changed"  # another commit under the same comment
