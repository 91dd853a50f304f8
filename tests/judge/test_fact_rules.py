"""The registry-fact rules together through the engine: no facts stage, no fact findings; offline, every one of
them reports unknown at on-unknown."""

from __future__ import annotations

from tests.rules.fact_subjects import SHA_A, dep, facts, rules, run


def test_no_facts_stage_no_fact_findings() -> None:
    assert run(dep(), None) == []


def test_offline_every_fact_rule_reports_unknown_at_on_unknown() -> None:
    offline = facts(reason="offline, not cached: https://pypi.org/simple/litellm/")
    found = run(dep(hashes=frozenset({SHA_A})), offline, "  provenance: {level: block, require: [\"pypi:*\"]}\n"
                "  vulnerability: block\n  malicious: block\n")
    assert rules(found) == [("hash-mismatch", "warn", True), ("malicious", "warn", True), ("provenance", "warn", True),
                            ("provenance-downgrade", "warn", True), ("release-age", "warn", True),
                            ("version-exists", "warn", True), ("vulnerability", "warn", True)]
    assert all("offline, not cached" in message for *_, message in found)
