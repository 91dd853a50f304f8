"""npm lockfiles written from entries as npm writes them, parsed, and a rule's issues on their one dependency:
shared by the tests of the rules on npm dependencies."""

from __future__ import annotations

import json
from typing import Any

from checker.manifests.package_lock import parse as parse_lock
from checker.model import Change, Manifest
from checker.rules.base import Issue, Subject
from tests.rules.subjects import options


SHA512_INTEGRITY = "sha512-" + "A" * 86 + "=="


def entry(name: str, version: str, **extra: Any) -> dict:
    """A registry entry as npm writes it: resolved on registry.npmjs.org and sha512 integrity."""
    base = name.rpartition("/")[2]
    return {
        "version": version,
        "resolved": f"https://registry.npmjs.org/{name}/-/{base}-{version}.tgz",
        "integrity": SHA512_INTEGRITY,
        **extra,
    }


def lockfile(packages: dict[str, dict], root: dict | None = None) -> str:
    body = {"": root or {"dependencies": {k.rsplit("node_modules/", 1)[1]: "*" for k in packages}}}
    body.update(packages)
    return json.dumps({"name": "p", "lockfileVersion": 3, "requires": True, "packages": body}, indent=2)


def lock(packages: dict[str, dict], root: dict | None = None) -> Manifest:
    return parse_lock(lockfile(packages, root), "package-lock.json", lambda _: None)


def issues(module: Any, rule: str, manifest: Manifest, change: Change | None = None, **overrides: Any) -> list[Issue]:
    [dep] = manifest.dependencies
    return list(module.check(Subject(dep, manifest, change), options(rule, **overrides)))


def messages(found: list[Issue]) -> list[tuple[str, str | None]]:
    return [(i.message, i.level) for i in found]
