"""The default and strict presets through the engine on workflows and Dockerfiles: action-pinning, pin-comment
and image-pinning together."""

from __future__ import annotations

import datetime as dt

from checker.judge.engine import judge
from checker.model import Manifest
from tests.rules.workflow_subjects import SHA, WORKFLOW, action, image, policy


# --- the default policy, end to end through the engine -----------------------------------------------------------


def test_default_policy_levels() -> None:
    deps = (
        action("actions/checkout", "v4", line=1),
        action("actions/cache", SHA, None, line=2),
        image("python", "3.12"),
        image("node", None),
    )
    manifest = Manifest(WORKFLOW, "gha-workflow", "actions", deps, kind="declared")
    head = [Manifest(WORKFLOW, "gha-workflow", "actions", deps[:2], kind="declared"),
            Manifest("Dockerfile", "dockerfile", "docker", deps[2:], kind="declared")]
    judgement = judge([], [], head, policy(None), today=dt.date(2026, 3, 25), judge_all=True)
    found = sorted((f.rule, f.level, f.unknown, f.dependency.name) for f in judgement.findings)
    assert found == [
        ("action-pinning", "block", False, "actions/checkout"),
        ("image-pinning", "block", False, "node"),
        ("image-pinning", "warn", False, "python"),
        ("pin-comment", "warn", False, "actions/cache"),
        ("pin-comment", "warn", True, "actions/cache"),  # no facts: on-unknown (warn)
    ]
    assert judgement.verdict == "block"
    assert manifest.kind == "declared"  # not a lock: hash-pinning and exact-pinning leave it alone


def test_strict_preset() -> None:
    strict = policy("extends: strict\n")
    assert strict.rules["image-pinning"].options["tag-only"] == "block"
    assert strict.rules["pin-comment"].options["missing-comment"] == "block"
