"""policy-change: the finding's words, and its levels through the engine (a change that edits the gate itself
needs a review)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from checker.judge.engine import judge
from checker.policy.compare import FileChange, PolicyChange, PolicyDiff
from checker.rules.policy_change import describe
from tests.policy.edits import BASE_POLICY, POLICY, load


# --- the finding's words ----------------------------------------------------------------------------------------


def change(subject: str = "policy", loosened: tuple[str, ...] = (), other: tuple[str, ...] = (),
           keys: tuple[str, ...] = ("rules",), before: str = POLICY, after: str = POLICY,
           files: tuple[FileChange, ...] = (FileChange(POLICY, "modified", 4),)) -> PolicyChange:
    return PolicyChange(subject, files, PolicyDiff(loosened, other, keys), before, after)


def test_describe() -> None:
    assert describe(change(loosened=("rules.review.level block -> off",), other=("registries.timeout 10 -> 20",),
                           keys=("registries", "rules"))) == (
        "the policy changes (.github/lockgate.yml modified). It loosens the gate: rules.review.level block -> off. "
        "Other changes: registries.timeout 10 -> 20. Keys changed: registries, rules")
    assert describe(change(other=("on-unknown warn -> block",), keys=("on-unknown",), before="preset:default",
                           files=(FileChange(POLICY, "added", 1),))) == (
        "the change adds a policy (.github/lockgate.yml added) where the default preset applied. It changes: "
        "on-unknown warn -> block. Keys changed: on-unknown")
    assert describe(change(loosened=("x",), after="preset:default", files=(FileChange(POLICY, "removed"),))) == (
        "the change removes the policy (.github/lockgate.yml removed): the default preset would apply. "
        "It loosens the gate: x. Keys changed: rules")
    assert describe(change(keys=())) == (
        "the policy changes (.github/lockgate.yml modified), but not what it enforces (comments or formatting only)")
    many = describe(change(loosened=tuple(f"l{i}" for i in range(10)), other=("o1", "o2", "o3")))
    assert "It loosens the gate: l0; l1; l2; l3; l4; l5; l6; l7; and 2 more. Other changes: o1; o2; and 1 more." in many


# --- the engine ---------------------------------------------------------------------------------------------------


def judged(policy_text: str = BASE_POLICY, **options: Any) -> list[tuple[str, str, str | None]]:
    pending = change(loosened=("rules.review.level block -> off",))
    judgement = judge([], [], [], load(policy_text), today=dt.date(2026, 3, 20), policy_changes=[pending], **options)
    return [(f.rule, f.level, f.hint) for f in judgement.findings] + [("verdict", judgement.verdict, None)]


def test_a_policy_change_blocks_until_the_pull_request_is_approved() -> None:
    from checker.rules.policy_change import HINT, LOCAL_HINT

    assert judged() == [("policy-change", "block", HINT), ("verdict", "block", None)]
    approved = judge([], [], [], load(BASE_POLICY), today=dt.date(2026, 3, 20),
                     policy_changes=[change(loosened=("x",))], pull_request_evidence="approved by alice on 0123456789ab")
    [finding] = approved.findings
    assert (finding.level, approved.verdict) == ("info", "pass")
    assert finding.message.endswith("(reviewed: approved by alice on 0123456789ab)")
    assert (finding.manifest, finding.line, finding.dependency) == (POLICY, 4, None)
    # local work (the index, the work tree, the hook): a warning, the review happens in the pull request
    assert judged(local=True) == [("policy-change", "warn", LOCAL_HINT), ("verdict", "warn", None)]
    assert judged(BASE_POLICY + "rules:\n  policy-change: info\n", local=True)[0][1] == "info"
    assert judged(BASE_POLICY + "rules:\n  policy-change: off\n") == [("verdict", "pass", None)]


def test_an_edit_without_effect_is_information_only() -> None:
    judgement = judge([], [], [], load(BASE_POLICY), today=dt.date(2026, 3, 20), policy_changes=[change(keys=())])
    assert [(f.rule, f.level) for f in judgement.findings] == [("policy-change", "info")]
    assert judgement.verdict == "pass"
