"""version-exists on hand-built Facts (deleted, yanked, unknown), through the engine."""

from __future__ import annotations

from tests.rules.fact_subjects import KNOWN, dep, facts, rules, run


def test_version_exists() -> None:
    [(rule, level, unknown, message)] = run(dep(), facts(exists=False, reason="https://pypi.org/simple lists no "
                                                          "version 1.82.8 of litellm", registry="https://pypi.org/simple"))
    assert (rule, level, unknown) == ("version-exists", "block", False)
    assert message.startswith("https://pypi.org/simple does not list litellm 1.82.8: it was deleted or unpublished")
    yanked = facts(**{**KNOWN, "yanked": True}, yanked_reason="broken build")
    assert [(r, lv, m) for r, lv, _, m in run(dep(), yanked)] == [
        ("version-exists", "warn", "litellm 1.82.8 is yanked on the registry: broken build")]
    assert rules(run(dep(), yanked, "  version-exists: {level: block, yanked: block}\n")) == [
        ("version-exists", "block", False)]
    deprecated = facts(**KNOWN, deprecated="use litellm2")
    assert rules(run(dep(), deprecated)) == [("version-exists", "info", False)]
