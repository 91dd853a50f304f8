"""The registry-fact rules together through the engine: no facts stage, no fact findings; offline, every one of
them reports unknown at on-unknown."""

from __future__ import annotations

from tests.rules.fact_subjects import SHA_A, dep, facts, rules, run


def test_no_facts_stage_no_fact_findings() -> None:
    assert run(dep(), None) == []


def test_offline_every_fact_rule_reports_unknown_at_on_unknown() -> None:
    offline = facts(reason="offline, not cached: https://pypi.org/simple/litellm/",
                    advisories_reason="offline: OSV was not asked")
    found = run(dep(hashes=frozenset({SHA_A})), offline, "  provenance: {level: block, require: [\"pypi:*\"]}\n"
                "  vulnerability: block\n  malicious: block\n")
    assert rules(found) == [("hash-mismatch", "warn", True), ("malicious", "warn", True), ("provenance", "warn", True),
                            ("provenance-downgrade", "warn", True), ("release-age", "warn", True),
                            ("version-exists", "warn", True), ("vulnerability", "warn", True)]
    registry_rules = [message for rule, *_, message in found if rule not in ("malicious", "vulnerability")]
    advisory_rules = [message for rule, *_, message in found if rule in ("malicious", "vulnerability")]
    assert all("offline, not cached" in message for message in registry_rules)
    assert all("OSV was not asked" in message and "not cached" not in message for message in advisory_rules)


def test_every_unknown_finding_names_its_cause() -> None:
    """The reports fold unknown findings by cause (checker/report/unknowns.py): a rule that forgot to give one would
    be folded under "the facts it needs were not available" instead of the real reason."""
    from checker.judge.engine import judge
    from checker.model import Change, Dependency, Manifest
    from checker.policy.load import load_policy
    from tests.rules.fact_subjects import NOW

    after = dep(hashes=frozenset({SHA_A}))
    change = Change("upgraded", Dependency("pypi", after.name, "1.0", "==1.0", manifest="requirements.txt", line=3),
                    after, "patch")
    policy = load_policy("extends: strict\nrules:\n  provenance: {level: block, require: [\"pypi:*\"]}\n"
                         "  license: {level: block, allow: [MIT]}\n  scorecard: {level: warn, min-score: 5}\n",
                         ".github/lockgate.yml", lambda p: None)
    unknown = facts(reason="offline, not cached: https://pypi.org/simple/litellm/",
                    advisories_reason="offline: OSV was not asked")
    judged = judge([change], [], [Manifest("requirements.txt", "requirements", "pypi", (after,))], policy,
                   today=NOW.date(), facts={("pypi", after.name, after.version or ""): unknown})
    found = [f for f in judged.findings if f.unknown]
    assert len({f.rule for f in found}) >= 10
    for finding in found:
        expected = "offline: OSV was not asked" if finding.rule in ("malicious", "vulnerability") else \
            "offline, not cached: https://pypi.org/simple/litellm/"
        assert finding.cause == expected, finding
