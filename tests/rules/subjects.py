"""Hand-built PyPI dependencies, manifests and subjects, and a rule's options as the policy loader builds them:
shared by the tests of the dependency rules."""

from __future__ import annotations

import json
from typing import Any, Mapping

from checker.model import Dependency, IndexOption, Manifest, Source
from checker.policy.load import load_policy
from checker.rules.base import Subject


SHA256 = "sha256:" + "a" * 64
COMMIT = "3f2a9c1e0b7d4a5f6e8c9d0b1a2f3e4d5c6b7a8f"


def dep(
    name: str = "requests",
    version: str | None = "2.32.3",
    *,
    specifier: str | None = None,
    ecosystem: str = "pypi",
    source: Source = Source(),
    hashes: tuple[str, ...] = (),
    editable: bool = False,
    constraint: bool = False,
    manifest: str = "requirements.txt",
    line: int | None = 3,
) -> Dependency:
    if specifier is None:
        specifier = f"=={version}" if version is not None else ""
    return Dependency(
        ecosystem, name, version, specifier, source=source, hashes=frozenset(hashes), manifest=manifest, line=line,
        editable=editable, constraint=constraint,
    )


def manifest(
    *deps: Dependency,
    path: str = "requirements.txt",
    fmt: str = "requirements",
    kind: str = "lock",
    indexes: tuple[IndexOption, ...] = (),
) -> Manifest:
    return Manifest(path, fmt, "pypi", tuple(deps), kind=kind, indexes=indexes)


def subject(target: Dependency, *others: Dependency, fmt: str = "requirements", kind: str = "lock") -> Subject:
    """``target`` as a dependency of a manifest that also lists ``others``."""
    return Subject(target, manifest(target, *others, fmt=fmt, kind=kind))


def options(rule: str, **overrides: Any) -> Mapping[str, Any]:
    """A rule's options as the policy loader builds them (``allow_git=[...]`` is the option ``allow-git``)."""
    text = json.dumps({"rules": {rule: {key.replace("_", "-"): value for key, value in overrides.items()}}})
    return load_policy(text, "policy.yml", lambda path: None).rules[rule].options
