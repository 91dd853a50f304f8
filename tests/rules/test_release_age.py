"""release-age on hand-built Facts, through the engine."""

from __future__ import annotations

import datetime as dt

from checker.model import Source
from tests.rules.fact_subjects import KNOWN, NOW, dep, facts, rules, run


def test_release_age() -> None:
    young = facts(**{**KNOWN, "release_time": NOW - dt.timedelta(minutes=40)})
    [(rule, level, unknown, message)] = run(dep(), young)
    assert (rule, level, unknown) == ("release-age", "block", False)
    assert message == ("litellm 1.82.8 was released 40 min ago (2026-03-24 10:20 UTC); the policy's cooldown for new "
                       "versions is 3 days")
    assert run(dep(), young, "  release-age: {level: block, patch-days: 0}\n") == []
    assert run(dep(), young, "  release-age: {level: block, exclude: [\"pypi:lite*\"]}\n") == []
    assert rules(run(dep(), young, "  release-age: {level: block, days: 0, major-days: 10}\n", bump="major")) == [
        ("release-age", "block", False)]
    assert run(dep(), facts(**{**KNOWN, "release_time": NOW - dt.timedelta(days=3)})) == []
    # a git source is not a registry version: nothing to ask, nothing to judge
    assert [r for r in rules(run(dep(source=Source("git", "https://github.com/x/y")), young))
            if r[0] == "release-age"] == []
