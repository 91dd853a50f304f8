"""Finding a change that edits the gate itself in two trees (checker/judge/policy_edits.py): the policy, a file its
``extends`` chain reads, the review ledger."""

from __future__ import annotations

import pytest

from checker.errors import PolicyError
from checker.judge.policy_edits import detect_policy_changes
from checker.policy.compare import FileChange
from checker.policy.watch import may_have_changed
from checker.snapshot.trees import EmptySnapshot, Snapshot
from tests.policy.edits import LEDGER, POLICY


class Tree(Snapshot):
    """A snapshot held in memory (content ids unknown, so changes are found by content)."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = {path: text.encode() for path, text in files.items()}

    def entries(self) -> dict[str, str | None]:
        return dict.fromkeys(self.files)

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)


# --- detection in two trees -----------------------------------------------------------------------------------------


def test_detection_of_the_policy_an_extended_file_and_the_ledger() -> None:
    base = Tree({POLICY: "extends: ../policies/base.yml\n", "policies/base.yml": "extends: default\nrules:\n  review: block\n",
                 "requirements.txt": "a==1\n"})
    head = Tree({POLICY: "extends: ../policies/base.yml\n", "policies/base.yml": "extends: default\nrules:\n  review: warn\n",
                 "requirements.txt": "a==1\n",
                 LEDGER: "reviews:\n  - {package: 'pypi:a', from: '1', to: '2', reviewer: bob, reason: ok}\n"})
    assert may_have_changed(base, head)
    policy, ledger = detect_policy_changes(base, head)
    assert (policy.subject, policy.files) == ("policy", (FileChange("policies/base.yml", "modified", 3),))
    assert policy.diff.loosened == ("rules.review.level block -> warn",)
    assert (ledger.subject, ledger.files) == ("ledger", (FileChange(LEDGER, "added", 1),))
    assert ledger.diff.loosened == ("adds a review: pypi:a 1 -> 2 by bob",)


def test_nothing_to_report() -> None:
    tree = {POLICY: "extends: ../policies/base.yml\n", "policies/base.yml": "extends: default\n", "README": "x"}
    assert not may_have_changed(Tree(tree), Tree({**tree, "README": "y"}))
    assert detect_policy_changes(Tree(tree), Tree({**tree, "README": "y"})) == ()
    # a repository's first commit: its policy is the one it starts with
    assert detect_policy_changes(EmptySnapshot(), Tree(tree)) == ()


def test_a_file_named_only_by_an_extended_file_is_followed() -> None:
    base = {POLICY: "extends: a.yml\n", ".github/a.yml": "extends: ../b.yml\n", "b.yml": "extends: default\n"}
    head = {**base, "b.yml": "extends: strict\n"}
    assert may_have_changed(Tree(base), Tree(head))
    [found] = detect_policy_changes(Tree(base), Tree(head))
    assert found.files == (FileChange("b.yml", "modified", 1),)
    assert "on-unknown warn -> block" in found.diff.other


def test_a_head_policy_that_cannot_be_read_is_an_error_naming_file_and_line() -> None:
    base = Tree({POLICY: "extends: default\n"})
    with pytest.raises(PolicyError) as caught:
        detect_policy_changes(base, Tree({POLICY: "extends: default\nrules:\n  review: loud\n"}))
    assert str(caught.value) == (
        ".github/lockgate.yml:3: rules.review must be one of off, info, warn, block; found 'loud' (in the policy as "
        "this change leaves it: the base's policy judges the change, but this one would judge every later change)")
    with pytest.raises(PolicyError) as caught:
        detect_policy_changes(base, Tree({POLICY: "extends: default\n", LEDGER: "reviews: [{package: x}]\n"}))
    assert str(caught.value).startswith(".github/lockgate-reviews.yml:1: reviews[0] needs `to`")


def test_a_ledger_moved_to_a_prefilled_file_gains_its_entries() -> None:
    base = Tree({POLICY: "extends: default\n"})
    head = Tree({POLICY: "extends: default\nreview:\n  ledger: approved.yml\n",
                 "approved.yml": "reviews:\n  - {package: 'pypi:evil', to: '6.6.6', reviewer: mallory, reason: trust me}\n"})
    policy, ledger = detect_policy_changes(base, head)
    assert policy.diff.loosened == ("review.ledger .github/lockgate-reviews.yml -> approved.yml",)
    assert ledger.files == (FileChange("approved.yml", "added", 1),)
    assert ledger.diff.loosened == ("adds a review: pypi:evil - -> 6.6.6 by mallory",)
