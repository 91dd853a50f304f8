"""A fake OpenSSF Scorecard API on 127.0.0.1, fed with a real result (tests/registries/fixtures/scorecard/, see its
SOURCES.md).

It speaks the documented API (ossf/scorecard-webapp's ``openapi.yaml``): ``GET /projects/{host}/{owner}/{repo}``
answers the repository's ScorecardResult as JSON (``date``, ``repo {name, commit}``, ``scorecard {version, commit}``,
``score``, ``checks[]``), and 404 for a repository it has no result for. Repositories are matched without regard to
case, as GitHub names them. ``add(repository, score=…)`` serves the real result re-addressed to that repository,
with its aggregate score (and optionally its checks) replaced.

Faults are scripted per path (``fail(path, Fault(...))``, the registry fake's Fault: ``status`` with headers such as
``Retry-After``, ``truncate``, ``slow``). ``requests`` logs the paths asked.
"""

from __future__ import annotations

import copy
import json
from collections import deque
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from .registry import Fault
from .server import FakeServer, send

FIXTURE = Path(__file__).resolve().parent.parent / "registries" / "fixtures" / "scorecard" / \
    "results-rohankh532-scorecard-OIDC-test.json"
REAL_REPOSITORY = "github.com/rohankh532/scorecard-OIDC-test"


def real_result() -> dict[str, Any]:
    """The real ScorecardResult of the fixture (score 5.0, 18 checks, three of them not applicable)."""
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    return data


class FakeScorecard(FakeServer):
    """State and server; ``url`` is the base URL to configure (``LOCKGATE_SCORECARD_URL`` or the policy's)."""

    protocol = "HTTP/1.1"

    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, dict[str, Any]] = {}  # "github.com/owner/repo" in lower case -> result
        self.faults: dict[str, deque[Fault]] = {}
        self.requests: list[str] = []

    @property
    def url(self) -> str:
        return self.root

    def add(self, repository: str, score: float | None = None, checks: list[dict[str, Any]] | None = None,
            result: dict[str, Any] | None = None) -> dict[str, Any]:
        """Serve a result for ``repository`` (``github.com/owner/repo``): ``result`` as given, else the real one
        re-addressed to it, with ``score`` and ``checks`` when given."""
        data = copy.deepcopy(result) if result is not None else real_result()
        if result is None:
            data["repo"]["name"] = repository
            if score is not None:
                data["score"] = score
            if checks is not None:
                data["checks"] = checks
        with self.lock:
            self.results[repository.lower()] = data
        return data

    def fail(self, path: str, *faults: Fault) -> None:
        with self.lock:
            self.faults.setdefault(path, deque()).extend(faults)

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?", 1)[0]
        with self.lock:
            self.requests.append(path)
            queue = self.faults.get(path)
            fault = queue.popleft() if queue else None
        if fault is not None and fault.kind == "slow":
            if self.stopping.wait(fault.seconds):
                return
            fault = None
        if fault is not None and fault.kind == "status":
            send(request, fault.status, b'{"code": 500, "message": "fault"}',
                 {"Content-Type": "application/json", **fault.headers})
            return
        result = None
        if request.command == "GET" and path.startswith("/projects/"):
            with self.lock:
                result = self.results.get(path[len("/projects/"):].lower())
        if result is None:
            send(request, 404, b'{"code": 404, "message": "not found"}', {"Content-Type": "application/json"})
            return
        data = json.dumps(result).encode()
        if fault is not None and fault.kind == "truncate":
            data = data[: len(data) // 2]
        send(request, 200, data, {"Content-Type": "application/json"})

    def asked(self) -> list[str]:
        with self.lock:
            return list(self.requests)

