"""Hand-built pre-commit revs, their subjects, and a rule's issues on them: shared by the tests of hook-pinning,
pin-comment, the facts stage and the diff of refs."""

from __future__ import annotations

from typing import Any, Mapping

from checker.model import Dependency, Facts, Manifest
from checker.rules.base import Subject


PATH = ".pre-commit-config.yaml"
HOOKS_SHA = "3e8a8703264a2f4a69428a0aa4dcb512790b2c8c"  # pre-commit/pre-commit-hooks v6.0.0
V5 = "cef0300fd0fc4d2a87a85fa2093c6b283ea36f4b"  # pre-commit/pre-commit-hooks v5.0.0
HOOKS = "https://github.com/pre-commit/pre-commit-hooks"
PIN_OPTIONS = {"missing-comment": "warn", "mismatch": "block"}


def rev(version: str, label: str | None = None, name: str = HOOKS) -> Dependency:
    return Dependency("pre-commit", name, version, manifest=PATH, line=3, label=label, scope="build")


def hook_subject(dep: Dependency, facts: Facts | None = None, fmt: str = "pre-commit-config") -> Subject:
    return Subject(dep, Manifest(dep.manifest, fmt, "pre-commit", (dep,), kind="declared"), None, facts)


def hook_issues(rule: Any, dep: Dependency, options: Mapping[str, Any] | None = None, facts: Facts | None = None,
                fmt: str = "pre-commit-config") -> list[tuple]:
    return [(i.message, i.level, i.unknown) for i in rule.check(hook_subject(dep, facts, fmt), options or {})]
