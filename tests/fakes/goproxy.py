"""A fake Go module proxy and Go checksum database on 127.0.0.1, speaking the documented protocols.

- The GOPROXY protocol (https://go.dev/ref/mod#goproxy-protocol), under ``proxy_url``: ``<module>/@v/<version>.info``
  (``{"Version", "Time"}``, plus the ``Origin`` object proxy.golang.org adds), ``<module>/@v/<version>.mod`` (the
  go.mod text), ``<module>/@latest`` (``.info`` of the newest version); ``<module>/@v/list``. Module paths and
  versions arrive escaped (``!a`` for ``A``); an unknown module or version is ``404 Not Found`` with a plain-text
  body ("not found: …"), as proxy.golang.org answers, or ``410 Gone`` when marked so.
- The checksum database's lookup endpoint (https://go.dev/ref/mod#checksum-database), under ``sumdb_url``:
  ``lookup/<module>@<version>`` answers as golang.org/x/mod/sumdb's Server does (``tlog.FormatRecord``: the record
  id, the record's two go.sum lines, a blank line; then the signed tree head note), ``text/plain; charset=UTF-8``.
  The tree head's signature is made up: lockgate does not verify it.

Hashes are real ``h1:`` dirhashes (golang.org/x/mod/sumdb/dirhash ``Hash1``) of the files a test gives a module.
``fail(path, *answers)`` scripts the next answers for a path: an HTTP status, or ``"garbage"`` (a body that is no
JSON / no record).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections import deque
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from tests.fakes.server import FakeServer, send


def h1(files: dict[str, bytes]) -> str:
    """golang.org/x/mod/sumdb/dirhash ``Hash1``: SHA-256 over the sorted lines ``<sha256 hex>  <name>\\n``."""
    summary = "".join(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files))
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


def unescape(text: str) -> str:
    out, upper = [], False
    for char in text:
        if char == "!":
            upper = True
            continue
        out.append(char.upper() if upper else char)
        upper = False
    return "".join(out)


class Module:
    """One module version the fake serves."""

    def __init__(self, path: str, version: str, time: dt.datetime, go_mod: str, files: dict[str, bytes]) -> None:
        self.path, self.version, self.time, self.go_mod = path, version, time, go_mod
        prefix = f"{path}@{version}/"
        self.zip_hash = h1({prefix + name: data for name, data in {"go.mod": go_mod.encode(), **files}.items()})
        self.mod_hash = h1({"go.mod": go_mod.encode()})

    def sum_lines(self) -> str:
        return f"{self.path} {self.version} {self.zip_hash}\n{self.path} {self.version}/go.mod {self.mod_hash}\n"


class FakeGoProxy(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.modules: dict[tuple[str, str], Module] = {}
        self.gone: set[str] = set()  # module paths answered 410 Gone
        self.no_sum: set[tuple[str, str]] = set()  # versions the checksum database has no record of
        self.tree_head_extra = ""  # lines a malicious database adds to the signed tree head
        self.faults: dict[str, deque[int | str]] = {}
        self.requests: list[str] = []

    @property
    def proxy_url(self) -> str:
        return f"{self.root}/proxy"

    @property
    def sumdb_url(self) -> str:
        return f"{self.root}/sumdb"

    def add(self, path: str, version: str, time: dt.datetime, *, go_mod: str | None = None,
            files: dict[str, bytes] | None = None) -> Module:
        module = Module(path, version, time, go_mod if go_mod is not None else f"module {path}\n\ngo 1.21\n",
                        files if files is not None else {"lib.go": f"package lib // {version}\n".encode()})
        with self.lock:
            self.modules[(path, version)] = module
        return module

    def fail(self, path: str, *answers: int | str) -> None:
        with self.lock:
            self.faults.setdefault(path, deque()).extend(answers)

    def count(self, path: str) -> int:
        with self.lock:
            return self.requests.count(path)

    def latest(self, path: str) -> Module | None:
        from checker.versions import go

        versions = [m for (p, _), m in self.modules.items() if p == path]
        best = None
        for module in versions:
            if best is None or (go.compare(module.version, best.version) or 0) > 0:
                best = module
        return best

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path).path
        with self.lock:
            self.requests.append(path)
            queue = self.faults.get(path)
            fault = queue.popleft() if queue else None
        if isinstance(fault, int):
            send(request, fault, b"try again\n", {"Content-Type": "text/plain; charset=utf-8"})
            return
        status, content_type, body = self.route(path)
        if fault == "garbage":
            status, body = 200, b"<html>not what you asked for</html>"
        send(request, status, body, {"Content-Type": content_type})

    def route(self, path: str) -> tuple[int, str, bytes]:
        text = "text/plain; charset=utf-8"
        if path.startswith("/sumdb/lookup/"):
            escaped, _, version = path[len("/sumdb/lookup/"):].rpartition("@")
            module = self.modules.get((unescape(escaped), unescape(version)))
            if module is None or (module.path, module.version) in self.no_sum:
                return 404, text, f"not found: {unescape(escaped)}@{unescape(version)}\n".encode()
            record = f"{len(self.modules) + 1000}\n{module.sum_lines()}\n"
            head = ("go.sum database tree\n" f"{len(self.modules) + 2000}\n"
                    "Q/ZgMLLZMB/AJVe/4uIRv7ZyyPhj3j+rHJz/vH6MdaE=\n" + self.tree_head_extra +
                    "\n— sum.golang.org Az3grlYwYH+pBBzpBWjbL6zIq3ESe6Jv7C5ne4Ph0K11eOvsHiMaEH5YTpnN0yOaXSNcQu1CNMcDeVT/OWT8zHEIQgc=\n")
            return 200, "text/plain; charset=UTF-8", (record + head).encode()
        if not path.startswith("/proxy/"):
            return 404, text, b"404 page not found\n"
        rest = path[len("/proxy/"):]
        if rest.endswith("/@latest"):
            module_path = unescape(rest[: -len("/@latest")])
            latest = self.latest(module_path)
            if latest is None or module_path in self.gone:
                return 404 if latest is None else 410, text, f"not found: {module_path}@latest\n".encode()
            return 200, "application/json", json.dumps(self._info(latest)).encode()
        escaped, marker, tail = rest.partition("/@v/")
        module_path = unescape(escaped)
        if not marker:
            return 404, text, b"404 page not found\n"
        if module_path in self.gone:
            return 410, text, f"not found: {module_path}: gone\n".encode()
        if tail == "list":
            versions = sorted(v for (p, v) in self.modules if p == module_path)
            return 200, text, "".join(v + "\n" for v in versions).encode()
        version, dot, kind = unescape(tail).rpartition(".")
        module = self.modules.get((module_path, version))
        if not dot or module is None:
            return 404, text, f"not found: {module_path}@{version}: invalid version: unknown revision\n".encode()
        if kind == "info":
            return 200, "application/json", json.dumps(self._info(module)).encode()
        if kind == "mod":
            return 200, text, module.go_mod.encode()
        return 404, text, b"not found\n"

    @staticmethod
    def _info(module: Module) -> dict[str, Any]:
        return {"Version": module.version, "Time": module.time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "Origin": {"VCS": "git", "URL": f"https://{module.path}", "Ref": f"refs/tags/{module.version}",
                           "Hash": "d34db33fd34db33fd34db33fd34db33fd34db33f"}}
