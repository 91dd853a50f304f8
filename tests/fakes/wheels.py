"""Real wheels built in the test (zipfile) and a file host on 127.0.0.1 that serves them with or without range
support, and with the faults rule ``artifact-content``'s reader must survive (checker/registries/wheels.py).

``build_wheel(name, version, files)`` makes a PEP 427 wheel: the given members, then ``METADATA``, ``WHEEL``,
``top_level.txt`` (when given) and ``RECORD`` under ``name-version.dist-info``. ``litellm_wheel(version)`` is a
reconstruction of litellm's release layout (the real wheels hold ~1,700 files; the names kept here are real ones,
and 1.82.8 adds the root ``litellm_init.pth`` with an import line, as the compromised release did).

``FakeWheelHost``: ``put(path, data)``; ``ranges`` (False: answer every request 200 with the whole file);
``faults[path]``: ``lie-length`` (a Content-Length larger than the body), ``wrong-range`` (206 of another range),
``wrong-total`` (a Content-Range total that differs from the first answer's), ``full-after-range`` (200 to a later
range). ``requests``: the (path, Range header) pairs asked, ``sent``: body bytes sent. ``latency``: seconds every
answer waits (a distant host, for the benchmark).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler

from tests.fakes.server import FakeServer, send


def build_wheel(name: str, version: str, files: Mapping[str, bytes | str], *, metadata: Mapping[str, str] | None = None,
                requires: tuple[str, ...] = (), top_level: tuple[str, ...] | None = None,
                entry_points: str | None = None, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    dist_info = f"{name.replace('-', '_')}-{version}.dist-info"
    headers = {"Metadata-Version": "2.1", "Name": name, "Version": version, **(metadata or {})}
    meta = "".join(f"{key}: {value}\n" for key, value in headers.items())
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires) + "\n"
    members: dict[str, bytes] = {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}
    members[f"{dist_info}/METADATA"] = meta.encode()
    members[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    if top_level is not None:
        members[f"{dist_info}/top_level.txt"] = ("\n".join(top_level) + "\n").encode()
    if entry_points is not None:
        members[f"{dist_info}/entry_points.txt"] = entry_points.encode()
    record = "".join(f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},"
                     f"{len(data)}\n" for path, data in members.items())
    members[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for path, data in members.items():  # a fixed time: the same wheel is the same bytes (and hash) every time
            archive.writestr(zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buffer.getvalue()


# Real member names of litellm's wheels (a few of ~1,700), and the .pth of 1.82.8.
LITELLM_FILES = ("litellm/__init__.py", "litellm/main.py", "litellm/utils.py", "litellm/router.py",
                 "litellm/proxy/proxy_server.py", "litellm/proxy/proxy_cli.py", "litellm/llms/openai/openai.py",
                 "litellm/litellm_core_utils/litellm_logging.py", "litellm/py.typed")
LITELLM_PTH = "import os, subprocess, sys; exec(__import__('base64').b64decode(b'cHJpbnQoJ3JlY29uc3RydWN0aW9uJyk='))\n"


def litellm_wheel(version: str) -> bytes:
    files: dict[str, bytes | str] = {path: f"# {path} (reconstruction)\n" for path in LITELLM_FILES}
    if version == "1.82.8":
        files["litellm_init.pth"] = LITELLM_PTH
    return build_wheel("litellm", version, files,
                       metadata={"Home-page": "https://litellm.ai", "Author-email": "BerriAI <hello@berri.ai>",
                                 "Project-URL": "Repository, https://github.com/BerriAI/litellm"},
                       requires=("httpx>=0.23.0", "openai>=1.99.5"),
                       entry_points="[console_scripts]\nlitellm=litellm:run_server\n"
                                    "litellm-proxy=litellm.proxy.client.cli:cli\n")


class FakeWheelHost(FakeServer):
    protocol = "HTTP/1.1"

    def __init__(self, *, ranges: bool = True, latency: float = 0.0) -> None:
        super().__init__()
        self.ranges = ranges
        self.latency = latency  # seconds every answer waits (benchmarks/artifacts.py)
        self.files: dict[str, bytes] = {}
        self.types: dict[str, str] = {}
        self.faults: dict[str, str] = {}
        self.requests: list[tuple[str, str | None]] = []
        self.sent = 0

    def put(self, path: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        with self.lock:
            self.files[path] = data
            self.types[path] = content_type
        return f"{self.root}{path}"

    def add_release(self, name: str, version: str, wheel: bytes | None, *, sdist: bool = False,
                    tag: str = "py3-none-any") -> None:
        """A release on the simple JSON page ``/simple/<name>/`` (PEP 691), its wheel served at ``/files/``."""
        import json

        with self.lock:
            page = json.loads(self.files.get(f"/simple/{name}/", b'{"meta": {"api-version": "1.1"}, "files": []}'))
        page.setdefault("versions", []).append(version)
        stem = name.replace("-", "_")
        for filename, data in ((f"{stem}-{version}-{tag}.whl", wheel), (f"{stem}-{version}.tar.gz", b"sdist" if sdist else None)):
            if data is None:
                continue
            url = self.put(f"/files/{filename}", data)
            page["files"].append({"filename": filename, "url": url,
                                  "hashes": {"sha256": hashlib.sha256(data).hexdigest()}})
        self.put(f"/simple/{name}/", json.dumps(page).encode(), "application/vnd.pypi.simple.v1+json")

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path
        wanted = request.headers.get("Range")
        if self.latency:
            import time

            time.sleep(self.latency)
        with self.lock:
            self.requests.append((path, wanted))
            data = self.files.get(path)
            fault = self.faults.get(path)
            answered = sum(1 for p, _ in self.requests if p == path)
        if data is None:
            send(request, 404, b"not found")
            return
        span = _span(wanted, len(data)) if wanted and self.ranges else None
        if span is None or (fault == "full-after-range" and answered > 1):
            self._send(request, 200, data, {})
            return
        first, last = span
        total = len(data)
        if fault == "wrong-range":
            first, last = max(0, first - 10), max(0, last - 10)
        if fault == "wrong-total" and answered > 1:
            total += 1
        body = data[first:last + 1]
        headers = {"Content-Range": f"bytes {first}-{last}/{total}"}
        if fault == "lie-length":
            request.send_response(206)
            request.send_header("Content-Range", headers["Content-Range"])
            request.send_header("Content-Length", str(len(body) + 100))
            request.send_header("Connection", "close")
            request.end_headers()
            request.wfile.write(body)
            request.close_connection = True
            with self.lock:
                self.sent += len(body)
            return
        self._send(request, 206, body, headers)

    def _send(self, request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        with self.lock:
            self.sent += len(body)
        send(request, status, body, {"Content-Type": self.types.get(request.path, "application/octet-stream"),
                                     **headers})


def _span(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single ``bytes=a-b`` / ``bytes=a-`` / ``bytes=-n`` range (RFC 9110 14.1.2)."""
    found = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
    if found is None or size == 0:
        return None
    start, end = found.groups()
    if not start:
        return max(0, size - int(end)), size - 1
    return int(start), min(int(end), size - 1) if end else size - 1
