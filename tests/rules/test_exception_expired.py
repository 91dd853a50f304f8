"""exception-expired: an exception past its date waives nothing and is reported, at the rule's level, with or
without changes."""

from __future__ import annotations

from checker.judge.engine import judge
from checker.model import Finding
from checker.policy.load import load_policy
from tests.judge.hand_built import NO_HASH_PINNING, POLICY, RANGE_CHANGE, TODAY, brief, run


# --- exceptions ------------------------------------------------------------------------------------------------


def test_an_expired_exception_waives_nothing_and_is_reported() -> None:
    text = NO_HASH_PINNING + (
        "\n"
        "exceptions:\n"
        "  - {rule: exact-pinning, package: 'pypi:legacy', reason: migrating, expires: 2026-03-31}\n"
    )
    judgement = run([RANGE_CHANGE], text, pull_request_evidence="ok")
    assert judgement.findings == (
        Finding(
            "exception-expired", "warn",
            "exception for exact-pinning on pypi:legacy expired on 2026-03-31 (migrating)",
            manifest=POLICY, line=6, hint="renew it with a new expiry date and reason, or remove it",
        ),
        Finding(
            "exact-pinning", "block",
            ">=2 is a range: what gets installed depends on the day it is installed, and a release published "
            "minutes ago qualifies",
            RANGE_CHANGE.after, RANGE_CHANGE, "requirements.txt", 7,
            "pin an exact version: legacy==X.Y.Z (pip-compile writes exact pins for you)",
        ),
    )
    assert judgement.verdict == "block"


def test_expired_exceptions_follow_the_rule_level() -> None:
    text = "exceptions:\n  - {rule: deny, package: 'pypi:x', reason: r, expires: 2020-01-01}\n"
    assert brief(run([], text)) == [("exception-expired", "warn")]
    assert run([], text).verdict == "warn"
    assert brief(run([], text + "rules:\n  exception-expired: block\n")) == [("exception-expired", "block")]
    assert run([], text + "rules:\n  exception-expired: 'off'\n").findings == ()


def test_an_expired_exception_is_reported_even_without_changes() -> None:
    strict = load_policy(
        "extends: strict\nexceptions:\n  - {rule: deny, package: 'pypi:x', reason: r, expires: 2026-01-01}\n",
        POLICY, lambda path: None,
    )
    judgement = judge([], [], [], strict, today=TODAY)
    assert brief(judgement) == [("exception-expired", "block")]
