"""A server on 127.0.0.1 that misbehaves on purpose, for the fault tests (tests/registries/test_faults.py): every
request is answered by the next scripted Misbehaviour (the last one repeats), whatever its path, so that one server
can stand in for a PyPI index, an npm registry or the GitHub API.

Misbehaviours (``kind``):
- ``ok``: ``status`` with ``body`` (JSON text) as ``content_type``; ``headers`` added.
- ``hang``: read the request, never answer (until the server stops): a read timeout on the client.
- ``close``: read the request, close the connection without a word: on a kept-alive connection (``protocol =
  "HTTP/1.1"``), what a client sees that sends on a connection the server closed while it was idle.
- ``reset``: send the headers and half of ``body``, then reset the connection (TCP RST).
- ``drip``: send the headers and then one byte of a body that never ends every ``interval`` seconds.
- ``drip-headers``: send the status line and then one byte of header every ``interval`` seconds, forever.
- ``oversize``: ``size`` bytes of JSON, honestly announced (Content-Length), or streamed without a length
  (``headers={"Content-Length": ""}`` drops it).
- ``bomb``: a gzip body that inflates to ``size`` bytes (sent with ``Content-Encoding: gzip``).
- ``redirect``: ``status`` (302) to ``location``; ``{n}`` in it is replaced by a counter (a loop of new URLs).
- ``echo``: ``status`` with the request's Authorization header in the body, the reason phrase and a redirect-like
  ``Location`` (a server that quotes the token back).

``requests`` logs (method, path, headers) of every request seen, so tests count the retries a client made.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler

from .server import FakeServer, reset, send


@dataclass
class Misbehaviour:
    kind: str
    status: int = 200
    body: str = "{}"
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    interval: float = 0.05
    size: int = 0
    location: str = ""


class FaultyServer(FakeServer):
    """Answers every request with the next Misbehaviour; the last one repeats."""

    def __init__(self, *script: Misbehaviour) -> None:
        super().__init__()
        self.script = list(script) or [Misbehaviour("ok")]
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.redirects = 0

    def script_next(self, *script: Misbehaviour) -> None:
        with self.lock:
            self.script = list(script)

    def paths(self) -> list[str]:
        with self.lock:
            return [path for _, path, _ in self.requests]

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append((request.command, request.path, {k.lower(): v for k, v in request.headers.items()}))
            step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        getattr(self, "_" + step.kind.replace("-", "_"))(request, step)

    # -- the misbehaviours --------------------------------------------------------------------------------------

    def _ok(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        send(request, step.status, step.body.encode(), {"Content-Type": step.content_type, **step.headers})

    def _hang(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        self.stopping.wait()
        request.close_connection = True

    def _close(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        request.close_connection = True

    def _reset(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        body = step.body.encode()
        request.send_response(step.status)
        request.send_header("Content-Type", step.content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body[: len(body) // 2])
        reset(request)

    def _drip(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        request.send_response(200)
        request.send_header("Content-Type", step.content_type)
        request.end_headers()
        request.wfile.write(b'{"pad": "')
        self._trickle(request, step)

    def _drip_headers(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        request.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        self._trickle(request, step)

    def _trickle(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        """One byte every ``step.interval`` seconds, until the server stops: an answer that never ends."""
        while not self.stopping.wait(step.interval):
            request.wfile.write(b"x")
            request.wfile.flush()
        request.close_connection = True

    def _oversize(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        body = b'{"pad": "' + b"x" * step.size + b'"}'
        if step.headers.get("Content-Length") == "":
            request.send_response(200)
            request.send_header("Content-Type", step.content_type)
            request.end_headers()  # no length: the body runs until the connection closes
            for start in range(0, len(body), 65536):
                request.wfile.write(body[start: start + 65536])
            request.close_connection = True
            return
        send(request, 200, body, {"Content-Type": step.content_type})

    def _bomb(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        send(request, 200, bomb(step.size), {"Content-Type": step.content_type, "Content-Encoding": "gzip"})

    def _redirect(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        with self.lock:
            self.redirects += 1
            count = self.redirects
        send(request, step.status if step.status != 200 else 302, b"", {"Location": step.location.replace("{n}", str(count))})

    def _echo(self, request: BaseHTTPRequestHandler, step: Misbehaviour) -> None:
        token = request.headers.get("Authorization", "")
        body = json.dumps({"message": f"Bad credentials: {token}", "error": f"denied for {token}"}).encode()
        send(request, step.status, body, {"Content-Type": "application/json", "Location": f"{self.root}/login?t={token}",
                                          "WWW-Authenticate": f'Bearer realm="{token}"'}, reason=f"Denied for {token}")


@lru_cache(maxsize=4)
def bomb(size: int) -> bytes:
    """A gzip body that inflates to a JSON document of about ``size`` bytes (compressed once per size)."""
    return gzip.compress(b'{"pad": "' + b"0" * size + b'"}', compresslevel=9)


def refused_url(path: str = "/") -> str:
    """An http URL on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
