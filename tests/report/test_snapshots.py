"""Snapshot tests: every format of the demo's report (the March 2026 scenario of ``lockgate demo``), pinned byte for
byte in tests/report/snapshots/. One model, five renderings: a change to any renderer shows up here as a diff to review.

Deterministic by construction: the demo's commits have fixed authors and dates (so fixed ids), its clock is fixed
(``DEMO_NOW``), and its registry facts come from documents shipped with the package.

To regenerate after an intended change (a new rule, new wording), then review the diff:

    LOCKGATE_UPDATE_SNAPSHOTS=1 python -m pytest tests/report/test_snapshots.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checker.demo.example import demo_report, render_demo
from tests.report.sarif_check import sarif_errors

SNAPSHOTS = Path(__file__).parent / "snapshots"
FILES = {"text": "demo.txt", "markdown": "demo.md", "json": "demo.json", "sarif": "demo.sarif", "github": "demo.github"}
UPDATE = os.environ.get("LOCKGATE_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return demo_report()


@pytest.mark.parametrize("fmt", list(FILES))
def test_snapshot(report, fmt: str) -> None:  # type: ignore[no-untyped-def]
    rendered = render_demo(report, fmt)
    path = SNAPSHOTS / FILES[fmt]
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert rendered == expected, (
        f"{path.name} differs from the rendering; if the change is intended, regenerate with "
        "LOCKGATE_UPDATE_SNAPSHOTS=1 python -m pytest tests/report/test_snapshots.py and review the diff"
    )


def test_the_demo_is_deterministic(report) -> None:  # type: ignore[no-untyped-def]
    again = demo_report()
    assert (again.base, again.head) == (report.base, report.head)
    for fmt in FILES:
        assert render_demo(again, fmt) == render_demo(report, fmt)


def test_the_sarif_snapshot_is_valid_sarif() -> None:
    doc = json.loads((SNAPSHOTS / FILES["sarif"]).read_text(encoding="utf-8"))
    assert sarif_errors(doc) == []
    [run] = doc["runs"]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert all(rule["help"]["text"] and rule["help"]["markdown"] for rule in rules.values())
    results = run["results"]
    json_doc = json.loads((SNAPSHOTS / FILES["json"]).read_text(encoding="utf-8"))
    assert len(results) == len([f for f in json_doc["findings"] if f["level"] != "off"])  # one result per finding
    for result in results:
        assert result["ruleId"] in rules
        [location] = result["locations"]
        region = location["physicalLocation"]["region"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] in (
            "requirements.txt", ".github/workflows/ci.yml", "requirements-dev.txt")
        assert region["startLine"] >= 1


def test_the_snapshots_agree_with_each_other() -> None:
    """The same report: every finding of the JSON is an annotation, a SARIF result, and in the markdown."""
    doc = json.loads((SNAPSHOTS / FILES["json"]).read_text(encoding="utf-8"))
    github = (SNAPSHOTS / FILES["github"]).read_text(encoding="utf-8").splitlines()
    markdown = (SNAPSHOTS / FILES["markdown"]).read_text(encoding="utf-8")
    counting = [f for f in doc["findings"] if f["excepted"] is None and f["level"] != "off"]
    assert len(github) == len(counting)
    from checker.report.escape import markdown as escaped

    not_checked = markdown[markdown.index("**Not checked**"):].split("\n\n")[0]
    for finding in counting:
        assert f"title=lockgate {finding['rule']}::" in "\n".join(github)
        if finding["unknown"]:  # told once per cause, naming its rules
            assert escaped(finding["rule"]) in not_checked
        else:  # in its change's details, linked to the rule's page
            assert f"[{escaped(finding['rule'])}](https://github.com/lockgate/lockgate/blob/" in markdown


def test_text_snapshot_at_100_columns(report) -> None:  # type: ignore[no-untyped-def]
    """The demo as a 100-column terminal shows it (lockgate demo on a terminal): wrapped under each message."""
    rendered = render_demo(report, "text", width=100)
    path = SNAPSHOTS / "demo.100.txt"
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8"), "regenerate with LOCKGATE_UPDATE_SNAPSHOTS=1 and review"
    assert rendered.split() == render_demo(report, "text").split()  # the same words: only the breaks differ
