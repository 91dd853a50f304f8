"""What every fake server of the tests shares: an HTTP server on 127.0.0.1 (an ephemeral port) answering from a
daemon thread, used as a context manager (or ``start()`` / ``stop()``), and small helpers to answer.

A fake subclasses FakeServer and implements ``serve(request)``, where ``request`` is the http.server handler of
one request: read ``request.command``, ``request.path``, ``request.headers``, and answer with ``send`` (a body with
its Content-Length) or anything lower-level a fault needs (a reset, a stall, a drip). ``protocol`` chooses HTTP/1.0
(one request per connection) or HTTP/1.1 (keep-alive, as PyGithub's requests session and lockgate's registry
connections use it); ``connections`` counts the connections accepted. ``tls`` (an ``ssl.SSLContext``, see
tls.py) serves https instead, each handshake in its connection's own thread after ``handshake_delay`` seconds (the
round trips a handshake costs against a distant server); ``handshakes`` counts the completed ones.

Stopping the server also wakes every handler that waits on ``stopping`` (a hanging or dripping fault), so a test
never leaves a thread behind.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # listen() backlog: many clients connect at once in the benchmarks
    fake: "FakeServer"

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Serve one connection, in its own thread: over TLS when the fake has a context."""
        fake = self.fake
        if fake.tls is None:
            super().finish_request(request, client_address)
            return
        import ssl

        if fake.handshake_delay:
            time.sleep(fake.handshake_delay)
        try:
            secure = fake.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # a client that refused the certificate, or gave up
        with fake.lock:
            fake.handshakes += 1
        try:
            super().finish_request(secure, client_address)
        finally:
            secure.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that drops its connection (a call abandoned at its deadline) is no server error to print."""
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class FakeServer:
    """Base of the fakes: state lives in the subclass; ``lock`` guards it across handler threads."""

    protocol = "HTTP/1.0"
    tls: Any = None  # an ssl.SSLContext: serve https
    handshake_delay = 0.0

    def __init__(self) -> None:
        self.connections = 0
        self.handshakes = 0
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None  # kept after stop(): tests compare URLs the run recorded

    # -- life cycle ---------------------------------------------------------------------------------------------

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> Any:
        self.stopping.clear()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._server.fake = self
        self._port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    @property
    def port(self) -> int:
        assert self._port is not None, "the server was never started"
        return self._port

    @property
    def root(self) -> str:
        return f"{'https' if self.tls is not None else 'http'}://127.0.0.1:{self.port}"

    # -- answering ----------------------------------------------------------------------------------------------

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = fake.protocol
            # TCP_NODELAY, as real servers answer: http.server writes the headers and the body separately, and
            # with Nagle's algorithm the body would wait for the client's delayed ACK of the headers (40 ms on
            # Linux) on every answer of a kept-alive connection.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
                pass

            def setup(self) -> None:
                super().setup()
                with fake.lock:
                    fake.connections += 1

            def _serve(self) -> None:
                try:
                    fake.serve(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

        return Handler


def send(request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None,
         reason: str | None = None) -> None:
    """One complete answer: status (and reason phrase), headers, Content-Length, body."""
    request.send_response(status, reason)
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if request.command != "HEAD":
        request.wfile.write(body)


def send_json(request: BaseHTTPRequestHandler, status: int, value: object, headers: dict[str, str] | None = None,
              content_type: str = "application/json; charset=utf-8") -> None:
    send(request, status, b"" if value is None else json.dumps(value).encode(), {"Content-Type": content_type,
                                                                                  **(headers or {})})


def reset(request: BaseHTTPRequestHandler) -> None:
    """Close the connection with a TCP RST (SO_LINGER 0) instead of an orderly FIN: what a crashed proxy or a
    load balancer killing a connection looks like to the client."""
    try:
        request.wfile.flush()
    except OSError:
        pass
    sock = request.connection
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
    request.close_connection = True


def read_body(request: BaseHTTPRequestHandler) -> bytes:
    length = int(request.headers.get("Content-Length") or 0)
    return request.rfile.read(length) if length else b""
