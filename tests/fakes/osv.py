"""A fake OSV API on 127.0.0.1, fed with real records (tests/fixtures/osv/, see its SOURCES.md).

It speaks the documented API (https://google.github.io/osv.dev/api/):
- ``POST /v1/querybatch`` with ``{"queries": [{"package": {"ecosystem", "name"}, "version", "page_token"?}]}``
  (at most 1,000 queries, else HTTP 400) answers ``{"results": [{"vulns": [{"id", "modified"}],
  "next_page_token"?}]}`` in the order of the queries; a query with no advisory is ``{}``. A query with more than
  ``page_size`` advisories gets the first ones and a ``next_page_token``, which the client sends back with the same
  query for the rest;
- ``GET /v1/vulns/{id}`` answers the whole record (JSON), 404 for an id it does not have.

Which versions a record affects is the fake's own index, kept independent of the evaluator under test: the
versions its ``affected[].versions`` lists name (what osv.dev itself matches a version query against), plus those
given to ``add(record, affects=…)`` (for a record without a list). Names are matched as OSV does: PyPI
normalised by PEP 503, npm as written. A query without a ``version`` lists every record of the package. GitHub
Actions records list no versions (their ranges are ECOSYSTEM ranges OSV does not evaluate), so a version query
about an action answers none, as osv.dev's does (google/osv.dev#2308): lockgate must ask by package.

Faults are scripted per path (``fail(path, Fault(...))``, the registry fake's Fault: ``status`` with headers
such as ``Retry-After``, ``truncate``, ``slow``, ``redirect``). ``latency`` delays every answer (benchmarks); ``requests`` logs
(method, path, body).
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from .registry import Fault
from .server import FakeServer, read_body, send

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "osv"
MAX_QUERIES = 1000


def fixture_records() -> list[dict[str, Any]]:
    """The real records of tests/fixtures/osv/, as JSON objects (the PyPA database's YAML read as osv.dev does)."""
    from ruamel.yaml import YAML

    found = []
    for path in sorted(FIXTURES.iterdir()):
        if path.suffix == ".json":
            found.append(json.loads(path.read_text()))
        elif path.suffix == ".yaml":
            found.append(_plain(YAML(typ="safe").load(path.read_text())))
    return found


def _plain(value: Any) -> Any:
    """YAML scalars as OSV's JSON has them: timestamps and versions as strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


def normalise(ecosystem: str, name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower() if ecosystem == "PyPI" else name


class FakeOsv(FakeServer):
    """State and server; ``url`` is the base URL to configure (``LOCKGATE_OSV_URL`` or the policy's)."""

    protocol = "HTTP/1.1"

    def __init__(self, latency: float = 0.0, page_size: int = 1000) -> None:
        super().__init__()
        self.latency = latency
        self.page_size = page_size
        self.records: dict[str, dict[str, Any]] = {}
        self.index: dict[tuple[str, str, str], list[str]] = {}  # (ecosystem, name, version) -> ids
        self.faults: dict[str, deque[Fault]] = {}
        self.requests: list[tuple[str, str, Any]] = []

    @property
    def url(self) -> str:
        return self.root

    def add(self, record: dict[str, Any], affects: tuple[str, ...] = ()) -> None:
        """Serve ``record``; it affects the versions its lists name, and ``affects`` for each of its packages."""
        with self.lock:
            self.records[record["id"]] = record
            for item in record.get("affected", ()):
                package = item.get("package") or {}
                ecosystem, name = package.get("ecosystem", ""), normalise(package.get("ecosystem", ""), package.get("name", ""))
                for version in [*item.get("versions", ()), *affects]:
                    ids = self.index.setdefault((ecosystem, name, str(version)), [])
                    if record["id"] not in ids:
                        ids.append(record["id"])

    def add_fixtures(self) -> None:
        for record in fixture_records():
            self.add(record, affects=("3.1.2",) if record["id"] == "GHSA-h5c8-rqwp-cp95" else ())

    def fail(self, path: str, *faults: Fault) -> None:
        with self.lock:
            self.faults.setdefault(path, deque()).extend(faults)

    def paths(self, method: str | None = None) -> list[str]:
        with self.lock:
            return [path for m, path, _ in self.requests if method is None or m == method]

    # -- serving ---------------------------------------------------------------------------------------------------

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        body = read_body(request) if request.command == "POST" else b""
        path = request.path.split("?", 1)[0]
        with self.lock:
            self.requests.append((request.command, path, body))
            queue = self.faults.get(path)
            fault = queue.popleft() if queue else None
        if self.latency:
            time.sleep(self.latency)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
            fault = None
        if fault is not None and fault.kind == "redirect":
            send(request, fault.status, b"", {"Location": fault.location})
            return
        if fault is not None and fault.kind == "status":
            send(request, fault.status, b'{"code": 13, "message": "fault"}',
                 {"Content-Type": "application/json", **fault.headers})
            return
        status, answer = self._answer(request.command, path, body)
        data = json.dumps(answer).encode()
        if fault is not None and fault.kind == "truncate":
            data = data[: len(data) // 2]
        send(request, status, data, {"Content-Type": "application/json"})

    def _answer(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        if method == "POST" and path == "/v1/querybatch":
            try:
                queries = json.loads(body)["queries"]
            except (ValueError, KeyError, TypeError):
                return 400, {"code": 3, "message": "invalid request"}
            if len(queries) > MAX_QUERIES:
                return 400, {"code": 3, "message": f"too many queries: {len(queries)} > {MAX_QUERIES}"}
            return 200, {"results": [self._query(q) for q in queries]}
        if method == "GET" and path.startswith("/v1/vulns/"):
            record = self.records.get(path[len("/v1/vulns/"):])
            return (200, record) if record is not None else (404, {"code": 5, "message": "Bug not found."})
        return 404, {"code": 5, "message": "not found"}

    def _query(self, query: dict[str, Any]) -> dict[str, Any]:
        package = query.get("package") or {}
        ecosystem = package.get("ecosystem", "")
        name = normalise(ecosystem, package.get("name", ""))
        with self.lock:
            if "version" in query:
                ids = list(self.index.get((ecosystem, name, query["version"]), ()))
            else:  # a package query: every record of the package, whatever version it affects
                ids = list(dict.fromkeys(i for (e, n, _), listed_ids in self.index.items() if (e, n) == (ecosystem, name)
                                         for i in listed_ids))
                ids += [i for i, record in self.records.items() if i not in ids and any(
                    (item.get("package") or {}).get("ecosystem") == ecosystem
                    and normalise(ecosystem, (item.get("package") or {}).get("name", "")) == name
                    for item in record.get("affected", ()))]
            listed = [(i, self.records[i].get("modified", "")) for i in ids]
        start = int(query.get("page_token") or 0)
        page = listed[start:start + self.page_size]
        answer: dict[str, Any] = {}
        if page:
            answer["vulns"] = [{"id": i, "modified": modified} for i, modified in page]
        if start + self.page_size < len(listed):
            answer["next_page_token"] = str(start + self.page_size)
        return answer


def quiet_copies(cache_directory: str | Path) -> None:
    """Fresh synced copies of OSV that know no advisory, for every ecosystem lockgate syncs, in a cache directory
    (LOCKGATE_CACHE_DIR's layout): offline runs then find no advisory, as the quiet fake server does online."""
    from checker.registries import osv_db

    for ecosystem in osv_db.ECOSYSTEMS:
        osv_db.install(str(cache_directory), ecosystem, [], source="tests/fakes/osv.py")
