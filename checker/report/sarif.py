"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and any other SARIF consumer.

Every rule lockgate knows is described in ``tool.driver.rules`` (its summary, explanation, fix and example as
help text); every finding is a result pointing at its manifest line. A finding that a policy exception waives is
kept as a result with an ``external`` suppression (the exception lives in the policy file, outside the source),
so code scanning shows it as dismissed rather than losing it.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from checker.model import Scorecard, SourceRepository
from checker.report.escape import json_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from checker.model import Facts, Finding, Report
    from checker.rules.base import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"block": "error", "warn": "warning", "info": "note", "off": "none"}
FINGERPRINT = "lockgateFinding/v1"


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    help_text = f"{rule.explanation}\n\nFix: {rule.fix}\n\nExample:\n{rule.example}"
    help_markdown = f"{rule.explanation}\n\n**Fix:** {rule.fix}\n\n```yaml\n{rule.example}\n```"
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"enabled": rule.default_level != "off", "level": LEVELS[rule.default_level]},
        "properties": {"tags": ["security", "supply-chain", "dependencies"]},
    }


def _fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: the rule, the file, the package and the message."""
    dep = finding.dependency
    parts = [finding.rule, finding.manifest or "", dep.key if dep else "", dep.display_version() if dep else "", finding.message]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _result(finding: Finding, rule_index: dict[str, int], facts: Facts | None = None) -> dict[str, Any]:
    text = finding.message + (f" Fix: {finding.hint}" if finding.hint else "")
    result: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    result["level"] = LEVELS[finding.level]
    result["message"] = {"text": text}
    if finding.manifest:
        physical: dict[str, Any] = {"artifactLocation": {"uri": quote(finding.manifest, safe="/"), "uriBaseId": "%SRCROOT%"}}
        if finding.line:
            physical["region"] = {"startLine": finding.line}
        result["locations"] = [{"physicalLocation": physical}]
    result["partialFingerprints"] = {FINGERPRINT: _fingerprint(finding)}
    if finding.excepted_by:
        result["suppressions"] = [{"kind": "external", "justification": finding.excepted_by}]
    dep = finding.dependency
    properties: dict[str, Any] = {"unknown": finding.unknown}
    if dep is not None:
        properties["package"] = dep.key
        properties["version"] = dep.display_version()
    advisory = finding.advisory
    if advisory is not None:
        # SARIF's helpUri belongs to a rule, not a result: the advisory's page is the result's own helpUri
        # property, and its id and aliases are there for a consumer that groups by advisory.
        properties["advisory"] = advisory.id
        properties["aliases"] = list(advisory.aliases)
        if advisory.url:
            properties["helpUri"] = advisory.url
    card, repo = getattr(facts, "scorecard", None), getattr(facts, "repository", None)
    if isinstance(card, Scorecard) and isinstance(repo, SourceRepository):
        # the OpenSSF Scorecard of the version's source repository, and its page for a scorecard finding
        properties["repository"] = repo.describe()
        properties["scorecard"] = card.score
        if finding.rule == "scorecard":
            from checker.rules.scorecard import viewer_url

            properties["helpUri"] = viewer_url(repo)
    result["properties"] = properties
    return result


def document(report: Report) -> dict[str, Any]:
    from checker.rules import all_rules

    rules = list(all_rules().values())
    rule_index = {rule.id: i for i, rule in enumerate(rules)}
    facts = {(f.ecosystem, f.name, f.version): f for f in report.facts}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lockgate",
                        "version": report.version or "0",
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, rule_index, _facts_of(f, facts)) for f in report.findings if f.level != "off"],
                "properties": {"verdict": report.verdict, "base": report.base, "head": report.head},
            }
        ],
    }


def _facts_of(finding: Finding, facts: dict[tuple[str, str, str], Facts]) -> Facts | None:
    dep = finding.dependency
    return facts.get((dep.ecosystem, dep.name, dep.version or "")) if dep is not None else None


def render(report: Report, color: bool = False) -> str:
    return json_text(json.dumps(document(report), indent=2, ensure_ascii=False)) + "\n"
