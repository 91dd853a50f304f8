"""How every format shows advisories: the verdict line's counts by severity, JSON's ``findings[].advisory`` and
``facts[].vulnerabilities``, SARIF's per-result advisory page, annotations, the risk summary's action."""

from __future__ import annotations

import json

from checker.model import Change, Dependency, Facts, Finding, Report, ReviewStatus
from checker.report import render
from checker.report.advisories import advisory_counts
from checker.report.risk import summarize
from tests.rules.advisories import CRITICAL, MALWARE, PROXY_LEAK, SESSION_VERIFY, UNRATED


def dep(name: str, version: str) -> Dependency:
    return Dependency("pypi", name, version, f"=={version}", manifest="requirements.txt", line=3)


def vulnerable(name: str, version: str, advisory: object, level: str = "block", rule: str = "vulnerability",
               **extra: object) -> Finding:
    d = dep(name, version)
    return Finding(rule, level, f"{name} {version} is affected by …", d, Change("added", None, d), d.manifest, 3,
                   "fixed in 9: upgrade to it", advisory=advisory, **extra)  # type: ignore[arg-type]


def test_counts_by_worst_severity_per_version() -> None:
    findings = [vulnerable("requests", "2.31.0", SESSION_VERIFY, "warn"), vulnerable("requests", "2.31.0", PROXY_LEAK),
                vulnerable("parser", "3.0.0", CRITICAL), vulnerable("fresh", "1.0", UNRATED),
                vulnerable("litellm", "1.82.7", MALWARE, rule="malicious")]
    assert advisory_counts(findings) == ("1 malicious change · 3 vulnerable changes: 1 critical, 1 moderate, "
                                         "1 unrated")
    assert advisory_counts(findings[2:3], judged_all=True) == "1 vulnerable dependency: 1 critical"


def test_waived_unknown_and_fix_lines_are_not_counted() -> None:
    assert advisory_counts([
        vulnerable("a", "1", CRITICAL, excepted_by="accepted"), vulnerable("b", "1", CRITICAL, "info"),
        vulnerable("c", "1", None, unknown=True), vulnerable("d", "1", CRITICAL, "off")]) is None


def report(*findings: Finding, facts: tuple[Facts, ...] = ()) -> Report:
    changes = tuple(dict.fromkeys(f.change for f in findings if f.change is not None))
    return Report("4713fe7", "a43e091", changes, findings, tuple(ReviewStatus("not-required") for _ in changes),
                  "block", ".github/lockgate.yml", version="0.1.0", facts=facts)


def test_text_verdict_line_counts_vulnerabilities() -> None:
    text = render(report(vulnerable("parser", "3.0.0", CRITICAL), vulnerable("requests", "2.31.0", SESSION_VERIFY,
                                                                           "warn")), "text")
    assert text.endswith("BLOCKED: 1 of 2 dependency changes blocked · 1 blocking finding · 1 warning · 2 vulnerable "
                         "changes: 1 critical, 1 moderate\n")


def test_json_finding_carries_the_advisory_and_facts_list_them() -> None:
    facts = (Facts("pypi", "requests", "2.31.0", vulnerabilities=(SESSION_VERIFY,)),
             Facts("pypi", "fresh", "1.0"))
    doc = json.loads(render(report(vulnerable("requests", "2.31.0", SESSION_VERIFY), facts=facts), "json"))
    record = {"id": "GHSA-9wx4-h78v-vm56", "aliases": ["CVE-2024-35195"],
              "summary": "Requests `Session` object does not verify requests after making first request with "
                         "verify=False",
              "severity": "moderate", "score": 5.6, "fixed": "2.32.2", "malicious": False,
              "url": "https://osv.dev/vulnerability/GHSA-9wx4-h78v-vm56"}
    assert doc["findings"][0]["advisory"] == record
    assert doc["facts"][0]["vulnerabilities"] == [record]
    assert doc["facts"][1]["vulnerabilities"] == "unknown"
    unrated = json.loads(render(report(vulnerable("fresh", "1.0", UNRATED)), "json"))["findings"][0]["advisory"]
    assert (unrated["severity"], unrated["score"], unrated["fixed"]) == ("unknown", None, None)


def test_sarif_result_names_the_advisory_and_its_page() -> None:
    doc = json.loads(render(report(vulnerable("requests", "2.31.0", SESSION_VERIFY)), "sarif"))
    [result] = doc["runs"][0]["results"]
    assert result["ruleId"] == "vulnerability"
    assert result["properties"]["advisory"] == "GHSA-9wx4-h78v-vm56"
    assert result["properties"]["aliases"] == ["CVE-2024-35195"]
    assert result["properties"]["helpUri"] == "https://osv.dev/vulnerability/GHSA-9wx4-h78v-vm56"
    assert {"vulnerability", "malicious"} <= {rule["id"] for rule in doc["runs"][0]["tool"]["driver"]["rules"]}


def test_annotation_title_names_the_advisory() -> None:
    out = render(report(vulnerable("litellm", "1.82.7", MALWARE, rule="malicious")), "github")
    assert out.startswith("::error file=requirements.txt,line=3,title=lockgate malicious MAL-2026-2144::")


def test_risk_summary_blocks_high_and_offers_an_exception_by_advisory() -> None:
    summary = summarize(report(vulnerable("requests", "2.31.0", SESSION_VERIFY)))
    [row] = summary.changes
    assert row.risk == "high"
    assert row.action is not None and row.action.title.startswith("Upgrade to a fixed version")
    assert row.action.detail.startswith("fixed in 9: upgrade to it; or, once checked, write an exception")
    assert row.action.snippet is not None
    assert row.action.snippet.startswith("- {rule: vulnerability, advisory: GHSA-9wx4-h78v-vm56, reason:")


def test_malicious_action_comes_before_deny_and_offers_no_exception() -> None:
    d = dep("litellm", "1.82.7")
    deny = Finding("deny", "block", "denied", d, Change("added", None, d), d.manifest, 3, "move off this version")
    malicious = vulnerable("litellm", "1.82.7", MALWARE, rule="malicious")._replace(change=deny.change)
    summary = summarize(report(deny, malicious))
    [row] = summary.changes
    assert row.action is not None and row.action.rule == "malicious" and row.action.snippet is None
    assert row.action.also == ("deny",)


def test_markdown_headline_counts_vulnerabilities() -> None:
    comment = render(report(vulnerable("parser", "3.0.0", CRITICAL), vulnerable("requests", "2.31.0", SESSION_VERIFY,
                                                                              "warn")), "markdown")
    headline = next(line for line in comment.splitlines() if line.startswith("### "))
    assert "2 vulnerable changes&#58; 1 critical, 1 moderate" in headline
    assert r"advisory&#58; GHSA\-aaaa\-bbbb\-cccc" in comment  # the exception to write names the advisory
    assert r"[advisory GHSA\-aaaa\-bbbb\-cccc](https://osv.dev/vulnerability/GHSA-aaaa-bbbb-cccc)" in comment


def test_markdown_never_links_an_advisory_url_it_would_not_build() -> None:
    hostile = CRITICAL._replace(url="javascript:alert(1)")
    comment = render(report(vulnerable("parser", "3.0.0", hostile)), "markdown")
    assert "javascript:" not in comment.replace("javascript&#58;", "")
    assert "](javascript" not in comment
