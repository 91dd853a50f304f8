"""A fake crates.io on 127.0.0.1: the crate and version documents of its API, and a sparse index's config.json.

Documents follow crates.io's own answers (the shapes of crates.io's API tests' snapshots and of a real
``GET https://crates.io/api/v1/crates/openssl/0.10.0``):
- ``/api/v1/crates/<name>``: ``{"crate": {"id", "name", "max_version", "repository", ...}, "versions": [{"id",
  "crate", "num", "dl_path", "created_at", "updated_at", "downloads", "yanked", "yank_message", "license",
  "checksum", "crate_size", "rust_version", "features", "links", "published_by", ...}]}``; a name is found by any
  spelling of ``-``/``_`` and case, as crates.io does;
- ``/api/v1/crates/<name>/<version>``: ``{"version": {...}}``;
- an unknown crate or version: 404 with ``{"errors": [{"detail": "..."}]}``;
- ``/index/config.json``: a sparse index's ``{"dl": ..., "api": <this server>}``.

Faults are scripted per path (``fail(path, status, times)``): a status answered that many times before the real
answer, or ``"malformed"`` for a body that is not JSON. ``requests`` logs the paths asked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote, urlsplit

from .server import FakeServer, send, send_json


def checksum_of(name: str, version: str) -> str:
    """A deterministic stand-in for the SHA-256 of ``name-version.crate``."""
    return hashlib.sha256(f"{name}-{version}.crate".encode()).hexdigest()


@dataclass
class CrateVersion:
    num: str
    created_at: dt.datetime
    yanked: bool = False
    yank_message: str | None = None
    license: str | None = "MIT OR Apache-2.0"
    checksum: str | None = None  # None: checksum_of(name, num)


@dataclass
class Crate:
    name: str
    versions: list[CrateVersion] = field(default_factory=list)
    repository: str | None = None


def _key(name: str) -> str:
    return name.replace("-", "_").lower()


class FakeCratesIo(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.crates: dict[str, Crate] = {}
        self.faults: dict[str, list[Any]] = {}
        self.requests: list[str] = []
        self.hidden: set[tuple[str, str]] = set()  # versions left out of the crate document (not of /<version>)

    def add(self, name: str, *versions: CrateVersion, repository: str | None = None) -> Crate:
        crate = self.crates[_key(name)] = Crate(name, list(versions), repository)
        return crate

    def fail(self, path: str, status: int | str, times: int = 1) -> None:
        self.faults.setdefault(path, []).extend([status] * times)

    @property
    def api(self) -> str:
        return self.root

    def _version(self, crate: Crate, version: CrateVersion, index: int) -> dict[str, Any]:
        when = version.created_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        base = f"/api/v1/crates/{crate.name}/{version.num}"
        return {
            "id": 1000 + index, "crate": crate.name, "num": version.num, "dl_path": f"{base}/download",
            "readme_path": f"{base}/readme", "updated_at": when, "created_at": when, "downloads": 17949,
            "features": {}, "yanked": version.yanked, "yank_message": version.yank_message, "lib_links": None,
            "license": version.license,
            "links": {"dependencies": f"{base}/dependencies", "version_downloads": f"{base}/downloads"},
            "crate_size": 144157, "published_by": None, "audit_actions": [],
            "checksum": version.checksum if version.checksum is not None else checksum_of(crate.name, version.num),
            "rust_version": None, "has_lib": True, "bin_names": [], "edition": None, "trustpub_data": None,
        }

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path).path
        with self.lock:
            self.requests.append(path)
            queued = self.faults.get(path)
            fault = queued.pop(0) if queued else None
        if fault == "malformed":
            send(request, 200, b'{"crate": {"name": ', {"Content-Type": "application/json"})
            return
        if isinstance(fault, int):
            send_json(request, fault, {"errors": [{"detail": "scripted"}]})
            return
        if path == "/index/config.json":
            send_json(request, 200, {"dl": f"{self.root}/api/v1/crates", "api": self.root})
            return
        parts = [unquote(p) for p in path.split("/")]
        if len(parts) in (5, 6) and parts[1:4] == ["api", "v1", "crates"]:
            crate = self.crates.get(_key(parts[4]))
            if crate is None:
                send_json(request, 404, {"errors": [{"detail": f"crate `{parts[4]}` does not exist"}]})
                return
            if len(parts) == 6:
                for index, version in enumerate(crate.versions):
                    if version.num == parts[5]:
                        send_json(request, 200, {"version": self._version(crate, version, index)})
                        return
                send_json(request, 404, {"errors": [{"detail": f"crate `{crate.name}` does not have a version "
                                                               f"`{parts[5]}`"}]})
                return
            versions = [self._version(crate, v, i) for i, v in enumerate(crate.versions)
                        if (crate.name, v.num) not in self.hidden]
            body = {"crate": {"id": crate.name, "name": crate.name, "repository": crate.repository,
                              "max_version": crate.versions[-1].num if crate.versions else "0.0.0",
                              "versions": [v["id"] for v in versions]},
                    "versions": versions, "keywords": [], "categories": []}
            send(request, 200, json.dumps(body).encode(), {"Content-Type": "application/json; charset=utf-8",
                                                           "ETag": '"' + hashlib.sha256(json.dumps(body).encode())
                                                           .hexdigest()[:16] + '"'})
            return
        send_json(request, 404, {"errors": [{"detail": "Not Found"}]})
