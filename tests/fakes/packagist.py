"""A fake Packagist: Composer 2 metadata, ``GET /p2/{vendor}/{name}.json`` (tagged releases) and
``/p2/{vendor}/{name}~dev.json`` (dev branches), minified as repo.packagist.org serves them (``"minified":
"composer/2.0"``: each entry holds only what differs from the one before it, ``"__unset"`` for a key that goes
away). The shape follows a real answer kept by renovatebot/renovate
(``lib/modules/datasource/packagist/__fixtures__/mailchimp-api.json``).

Built on FakeRegistry, so scripted faults work as for PyPI and npm.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.fakes.registry import FakeRegistry


def release(name: str, version: str, normalized: str, time: dt.datetime, reference: str, *, shasum: str = "",
            require_dev: dict[str, str] | None = None) -> dict[str, Any]:
    """One expanded version entry."""
    entry: dict[str, Any] = {
        "name": name, "description": "A package.", "keywords": [], "version": version,
        "version_normalized": normalized, "license": ["MIT"],
        "source": {"type": "git", "url": f"https://github.com/{name}.git", "reference": reference},
        "dist": {"type": "zip", "url": f"https://api.github.com/repos/{name}/zipball/{reference}",
                 "reference": reference, "shasum": shasum},
        "type": "library", "time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "require": {"php": ">=8.1"},
    }
    if require_dev is not None:
        entry["require-dev"] = require_dev
    return entry


def minify(versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Composer's MetadataMinifier::minify: the first entry whole, then only what changed."""
    minified: list[dict[str, Any]] = []
    last: dict[str, Any] | None = None
    for version in versions:
        if last is None:
            minified.append(version)
        else:
            changes = {k: v for k, v in version.items() if last.get(k) != v}
            changes.update({k: "__unset" for k in last if k not in version})
            minified.append(changes)
        last = version
    return minified


class FakePackagist(FakeRegistry):
    """``tagged`` / ``dev``: package name -> expanded entries, newest first."""

    def __init__(self) -> None:
        super().__init__()
        self.tagged: dict[str, list[dict[str, Any]]] = {}
        self.dev: dict[str, list[dict[str, Any]]] = {}
        self.minified = True

    @property
    def url(self) -> str:
        return self.root

    def add(self, entry: dict[str, Any]) -> None:
        with self.lock:
            target = self.dev if entry["version"].startswith("dev-") else self.tagged
            target.setdefault(entry["name"], []).insert(0, entry)

    def route(self, path: str) -> tuple[int, str, Any]:
        with self.lock:
            if path.startswith("/p2/") and path.endswith(".json"):
                name = path[len("/p2/"):-len(".json")]
                table = self.tagged
                if name.endswith("~dev"):
                    name, table = name[: -len("~dev")], self.dev
                if name in self.tagged or name in self.dev:
                    versions = table.get(name, [])
                    body: dict[str, Any] = {"packages": {name: minify(versions) if self.minified else versions}}
                    if self.minified:
                        body = {"minified": "composer/2.0", **body}
                    return 200, "application/json", body
            return 404, "application/json", {"status": "error", "message": "Package not found"}
