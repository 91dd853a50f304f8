"""Every rule lockgate has (checker.rules.all_rules): its id, its default level, and the texts ``lockgate explain``
prints."""

from __future__ import annotations

from checker.rules import all_rules


# --- the rule registry -----------------------------------------------------------------------------------------


def test_rules_and_their_default_levels() -> None:
    assert {rule_id: rule.default_level for rule_id, rule in all_rules().items()} == {
        "unreadable-manifest": "block",
        "hash-pinning": "block", "exact-pinning": "block", "registry-source": "block", "registry-config": "block", "deny": "block",
        "review": "block", "policy-change": "block", "exception-expired": "warn",
        "action-pinning": "block", "pin-comment": "block", "image-pinning": "block", "hook-pinning": "block", "install-command": "block",
        "install-scripts": "block",
        "version-exists": "block", "release-age": "block", "hash-mismatch": "block", "provenance": "block",
        "provenance-downgrade": "block", "publisher-change": "off", "license": "off", "scorecard": "off",
        "artifact-content": "off", "source-tag": "off", "vulnerability": "block",
        "malicious": "block",
    }
    for rule_id, rule in all_rules().items():
        assert rule.id == rule_id
        assert rule.summary and rule.explanation and rule.fix and rule.example
