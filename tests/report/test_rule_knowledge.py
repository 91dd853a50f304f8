"""What a rule knows stays in the rule, and every reader of it says the same: the risk summary takes a rule's action,
its rank among the actions, whether it offers an exception and whether it asks only for a review from the rule
itself, the age wording from release-age and the provenance wording from provenance-downgrade."""

from __future__ import annotations

import datetime as dt

from checker.model import UNKNOWN, Change, Dependency, Facts, Finding, Provenance, Publisher, Report, ReviewStatus
from checker.report.risk import action_for, action_title, asks_review, registry_line, summarize
from checker.rules import all_rules, rule_by_id
from checker.rules.base import DEFAULT_ACTION_RANK, Subject, registry_facts
from checker.rules.release_age import age_words
from tests.rules.fact_subjects import NOW, dep, facts, run

HEAD = "f" * 40


def test_the_actions_come_in_the_documented_order() -> None:
    """Changing the pull request first, then judgement calls that may end in an exception, then waiting, the
    review last; a rule that names no rank comes just before the review."""
    ranked = sorted((rule.action_rank, rule.id) for rule in all_rules().values())
    assert [rule_id for _, rule_id in ranked][:23] == [
        "malicious", "deny", "vulnerability", "version-exists", "hash-mismatch", "registry-source", "hash-pinning",
        "exact-pinning",
        "action-pinning", "image-pinning", "pin-comment", "provenance", "provenance-downgrade", "publisher-change",
        "artifact-content", "source-tag", "install-scripts",
        "license", "scorecard", "release-age", "exception-expired", "policy-change", "hook-pinning"]
    assert ranked[-1] == (rule_by_id("review").action_rank, "review")  # type: ignore[union-attr]
    unranked = {rule.id for rule in all_rules().values() if rule.action_rank == DEFAULT_ACTION_RANK}
    assert unranked == {"registry-config", "hook-pinning", "install-command", "unreadable-manifest"}


def test_the_summary_reads_each_rules_own_action() -> None:
    for rule in all_rules().values():
        assert action_title(rule.id) == (rule.action or f"Resolve {rule.id}")
        assert asks_review(rule.id) == rule.asks_review
    assert {rule.id for rule in all_rules().values() if rule.asks_review} == {"review", "policy-change"}
    assert action_title("no-such-rule") == "Resolve no-such-rule" and rule_by_id("no-such-rule") is None


def test_a_rule_that_offers_an_exception_gets_a_snippet_and_the_first_ranked_rule_wins() -> None:
    change = Change("upgraded", dep(version="1.0"), dep(), "patch")
    found = [Finding(rule, "block", f"{rule} says no", change.after, change, "requirements.txt", 3)
             for rule in ("review", "install-scripts", "deny")]
    action = action_for(found, change, None, head=HEAD)
    assert action is not None and (action.rule, action.also) == ("deny", ("install-scripts", "review"))
    action = action_for(found[:2], change, None, head=HEAD)
    assert action is not None and action.rule == "install-scripts" and action.snippet is not None
    assert "rule: install-scripts" in action.snippet


def test_ages_read_the_same_in_the_finding_and_in_the_comment() -> None:
    released = NOW - dt.timedelta(days=95)
    fact = facts(exists=True, release_time=released, yanked=False, provenance=None, prior_evidence=None)
    [(rule, _, _, message)] = run(dep(), fact, "  release-age: {level: block, days: 200}\n")
    words = age_words(NOW - released)
    assert (rule, words) == ("release-age", "3 months") and f"released {words} ago" in message
    change = Change("upgraded", dep(version="1.0"), dep(), "patch")
    report = Report("b", HEAD, (change,), (), (ReviewStatus("not-required"),), "block", facts=(fact,))
    [row] = summarize(report, now=NOW).changes
    assert f"({words} earlier)" in (registry_line(row) or "")


def test_provenance_is_a_typed_record() -> None:
    publisher = Publisher("GitHub", "BerriAI/litellm", "publish.yml")
    assert Facts("pypi", "a", "1", provenance=None).evidence == "none"
    assert Facts("pypi", "a", "1").evidence is UNKNOWN
    trusted = Facts("pypi", "a", "1", provenance=Provenance("trusted-publisher", frozenset({publisher})))
    assert trusted.evidence == "trusted-publisher"
    assert Facts("pypi", "a", "1").unknown_reason == "the registry was not asked"


def test_registry_facts_only_for_what_lockgate_asks_a_registry_about() -> None:
    fact = Facts("pypi", "litellm", "1.82.8")
    assert registry_facts(Subject(dep(), None, None, fact)) is fact  # type: ignore[arg-type]
    assert registry_facts(Subject(dep(), None, None, None)) is None  # type: ignore[arg-type]
    action = Dependency("actions", "actions/checkout", "v4")
    assert registry_facts(Subject(action, None, None, fact)) is None  # type: ignore[arg-type]
