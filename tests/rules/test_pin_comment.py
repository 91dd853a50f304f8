"""pin-comment on hand-built subjects: a full-SHA pin's version comment checked against the tag it names (missing,
mismatched, impostor commits, unknown facts), for GitHub Actions and for pre-commit hook repositories."""

from __future__ import annotations

from types import MappingProxyType

from checker.model import UNKNOWN, Facts
from checker.rules import pin_comment
from tests.rules.hook_revs import HOOKS, HOOKS_SHA, V5, hook_issues, hook_subject, rev
from tests.rules.workflow_subjects import OTHER, SHA, action, image, issues


# --- pin-comment -------------------------------------------------------------------------------------------------


PIN_OPTIONS = {"missing-comment": "warn", "mismatch": "block"}


def facts(tag_commits: object = UNKNOWN, reachable: object = UNKNOWN, reason: str | None = None) -> Facts:
    if isinstance(tag_commits, dict):
        tag_commits = MappingProxyType(tag_commits)
    return Facts("actions", "actions/checkout", SHA, tag_commits=tag_commits, reachable=reachable, reason=reason)


def test_pin_comment_only_judges_full_sha_pins() -> None:
    assert issues(pin_comment, action("actions/checkout", "v4"), PIN_OPTIONS) == []
    assert issues(pin_comment, image("python", "3.12"), PIN_OPTIONS) == []


def test_verified_pin_passes() -> None:
    ok = facts({"v4.2.0": SHA}, True)
    assert issues(pin_comment, action("actions/checkout", SHA, "v4.2.0"), PIN_OPTIONS, ok) == []
    # a path inside the repository is checked against the repository
    assert issues(pin_comment, action("actions/checkout/sub", SHA, "tag=v4.2.0"), PIN_OPTIONS, ok) == []


def test_missing_comment_offline() -> None:
    offline = facts(reason="offline: GitHub was not asked")
    assert issues(pin_comment, action("actions/checkout", SHA, None), PIN_OPTIONS, offline) == [
        ("actions/checkout is pinned to commit 11bd71901bbe with no version comment: a reviewer cannot tell which "
         "release it is, and lockgate cannot check it against one", "warn", False),
        ("could not check commit 11bd71901bbe against actions/checkout on GitHub (offline: GitHub was not asked)",
         None, True),
    ]
    # a comment that names no version counts as none
    assert issues(pin_comment, action("actions/checkout", SHA, "check out the code"), PIN_OPTIONS, facts(
        {}, True))[0][1] == "warn"


def test_no_facts_at_all_is_unknown() -> None:
    assert issues(pin_comment, action("actions/checkout", SHA, "v4.2.0"), PIN_OPTIONS) == [
        ("could not check commit 11bd71901bbe against actions/checkout on GitHub (GitHub was not asked)", None, True),
    ]


def test_comment_mismatch_and_missing_tag() -> None:
    moved = facts({"v4.2.0": OTHER}, True)
    [(message, level, unknown)] = issues(pin_comment, action("actions/checkout", SHA, "v4.2.0"), PIN_OPTIONS, moved)
    assert message.startswith(
        "the comment says v4.2.0, but tag v4.2.0 of actions/checkout points to commit b4ffde65f463, not 11bd71901bbe"
    )
    assert (level, unknown) == ("block", False)
    missing = facts({"v9.9.9": None}, True)
    assert issues(pin_comment, action("actions/checkout", SHA, "v9.9.9"), PIN_OPTIONS, missing) == [
        ("the comment names v9.9.9, but actions/checkout has no tag v9.9.9: the version the pull request shows is "
         "not the code that runs", "block", False),
    ]


def test_impostor_commit_blocks() -> None:
    impostor = facts({"v6.0.2": OTHER}, False)
    [(message, level, unknown)] = issues(pin_comment, action("actions/checkout", SHA, "v6.0.2"), PIN_OPTIONS, impostor)
    assert message.startswith("commit 11bd71901bbe is not on any branch or tag of actions/checkout: it exists only in")
    assert (level, unknown) == (None, False)  # the rule's own level: block by default


def test_partial_facts_are_unknown() -> None:
    [(message, _, unknown)] = issues(
        pin_comment, action("actions/checkout", SHA, "v4.2.0"), PIN_OPTIONS, facts(UNKNOWN, True, "rate limited")
    )
    assert (message, unknown) == (
        "could not check commit 11bd71901bbe against actions/checkout on GitHub (rate limited)", True,
    )


# --- pin-comment for pre-commit --------------------------------------------------------------------------------


def test_offline_a_frozen_rev_is_unknown_and_a_bare_one_wants_a_comment() -> None:
    facts = Facts("pre-commit", HOOKS, HOOKS_SHA, reason="offline: GitHub was not asked")
    assert hook_issues(pin_comment, rev(HOOKS_SHA, "frozen: v6.0.0"), PIN_OPTIONS, facts) == [
        (f"could not check commit {HOOKS_SHA[:12]} against pre-commit/pre-commit-hooks on GitHub (offline: GitHub was not "
         "asked)", None, True),
    ]
    [(message, level, _), _] = hook_issues(pin_comment, rev(HOOKS_SHA), PIN_OPTIONS, facts)
    assert (message, level) == (
        f"{HOOKS} is pinned to commit {HOOKS_SHA[:12]} with no version comment: a reviewer cannot tell which release it is, "
        "and lockgate cannot check it against one", "warn")
    [issue, _] = pin_comment.check(hook_subject(rev(HOOKS_SHA), facts), PIN_OPTIONS)
    assert issue.hint == (f"name the release beside the pin: rev: {HOOKS_SHA}  # frozen: vX.Y.Z (pre-commit autoupdate "
                          "--freeze writes it)")
    assert hook_issues(pin_comment, rev("v6.0.0"), PIN_OPTIONS, facts) == []  # a tag: hook-pinning's business


def test_online_a_true_comment_passes_a_lie_and_an_impostor_block() -> None:
    true = Facts("pre-commit", HOOKS, HOOKS_SHA, tag_commits=MappingProxyType({"v6.0.0": HOOKS_SHA}), reachable=True)
    assert hook_issues(pin_comment, rev(HOOKS_SHA, "frozen: v6.0.0"), PIN_OPTIONS, true) == []
    lie = Facts("pre-commit", HOOKS, HOOKS_SHA, tag_commits=MappingProxyType({"v5.0.0": V5}), reachable=True)
    [(message, level, unknown)] = hook_issues(pin_comment, rev(HOOKS_SHA, "frozen: v5.0.0"), PIN_OPTIONS, lie)
    assert message.startswith(f"the comment says v5.0.0, but tag v5.0.0 of pre-commit/pre-commit-hooks points to "
                              f"commit {V5[:12]}, not {HOOKS_SHA[:12]}")
    assert (level, unknown) == ("block", False)
    impostor = Facts("pre-commit", HOOKS, HOOKS_SHA, tag_commits=MappingProxyType({"v6.0.0": None}), reachable=False)
    [(message, _, _)] = hook_issues(pin_comment, rev(HOOKS_SHA, "frozen: v6.0.0"), PIN_OPTIONS, impostor)
    assert message.startswith(f"commit {HOOKS_SHA[:12]} is not on any branch or tag of pre-commit/pre-commit-hooks")


def test_another_host_cannot_be_checked_and_says_so() -> None:
    for name in ("https://gitlab.com/pycqa/flake8", "file:///srv/hooks", "/srv/hooks"):
        found = hook_issues(pin_comment, rev(HOOKS_SHA, "frozen: v6.0.0", name), PIN_OPTIONS, None)
        assert found == [(f"could not check commit {HOOKS_SHA[:12]} of {name}: lockgate checks a pin's commit and its version "
                          "comment only for repositories on github.com", None, True)], name
