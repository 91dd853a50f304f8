"""A pub repository on 127.0.0.1 speaking the Hosted Pub Repository Specification v2 (dart-lang/pub,
doc/repository-spec-v2.md): ``GET /api/packages/<name>`` with ``Accept: application/vnd.pub.v2+json`` answers
``{"name", "latest", "versions": [{"version", "archive_url", "archive_sha256", "published", "retracted"?,
"pubspec"}]}``, plus ``isDiscontinued`` / ``replacedBy`` as pub.dev serves them. 404 for an unknown package.
Faults come from FakeRegistry's machinery.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from .registry import FakeRegistry

PUB_JSON = "application/vnd.pub.v2+json"


def archive_sha256(name: str, version: str) -> str:
    """The digest the fake publishes for a version's archive (what a pubspec.lock records as sha256)."""
    return hashlib.sha256(f"{name}-{version}.tar.gz".encode()).hexdigest()


class FakePub(FakeRegistry):
    def __init__(self) -> None:
        super().__init__()
        self.packages: dict[str, dict[str, Any]] = {}

    def add(self, name: str, version: str, published: dt.datetime, *, retracted: bool = False,
            sha256: str | None = "auto", discontinued: str | None = None) -> None:
        item: dict[str, Any] = {
            "version": version, "pubspec": {"name": name, "version": version, "environment": {"sdk": ">=3.0.0 <4.0.0"}},
            "archive_url": f"{self.root}/api/archives/{name}-{version}.tar.gz",
            "published": published.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        if sha256 is not None:
            item["archive_sha256"] = archive_sha256(name, version) if sha256 == "auto" else sha256
        if retracted:
            item["retracted"] = True
        with self.lock:
            package = self.packages.setdefault(name, {"name": name, "versions": []})
            package["versions"].append(item)
            package["latest"] = item
            if discontinued is not None:
                package["isDiscontinued"] = True
                if discontinued:
                    package["replacedBy"] = discontinued

    def route(self, path: str) -> tuple[int, str, Any]:
        with self.lock:
            if path.startswith("/api/packages/"):
                name = path[len("/api/packages/"):]
                if name in self.packages:
                    return 200, PUB_JSON, self.packages[name]
        return 404, PUB_JSON, {"error": {"code": "NotFound", "message": "Could not find `package`."}}
