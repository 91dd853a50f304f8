"""Hand-built GitHub Actions and container image dependencies, their subjects, and a rule's issues on them: shared
by the tests of action-pinning, pin-comment, image-pinning, the default policy and the diff of refs."""

from __future__ import annotations

from typing import Any, Mapping

from checker.model import Dependency, Facts, Manifest
from checker.policy.load import load_policy
from checker.rules.base import Subject


SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"
OTHER = "b4ffde65f46336ab88eb53be808477a3936bae11"
WORKFLOW = ".github/workflows/ci.yml"
DIGEST = "sha256:" + "4e" * 32


def action(name: str, version: str | None, label: str | None = None, line: int = 7) -> Dependency:
    return Dependency("actions", name, version, manifest=WORKFLOW, line=line, label=label, scope="build")


def image(name: str, version: str | None, specifier: str = "") -> Dependency:
    return Dependency("docker", name, version, specifier, manifest="Dockerfile", line=1)


def subject(dep: Dependency, facts: Facts | None = None) -> Subject:
    manifest = Manifest(dep.manifest, "gha-workflow", "actions", (dep,), kind="declared")
    return Subject(dep, manifest, None, facts)


def issues(rule: Any, dep: Dependency, options: Mapping[str, Any], facts: Facts | None = None) -> list[tuple]:
    return [(i.message, i.level, i.unknown) for i in rule.check(subject(dep, facts), options)]


def policy(text: str):  # type: ignore[no-untyped-def]
    return load_policy(text, ".github/lockgate.yml", lambda path: None)
