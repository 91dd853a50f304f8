"""Raw TCP servers on 127.0.0.1 for the connection tests (tests/registries/test_connections.py): an HTTP proxy, and a
server that drips bytes where a TLS handshake or a proxy's answer belongs.

``Proxy`` reads each request's head and logs it (``requests``: request line, headers), then:
- ``CONNECT host:port``: answers 200 and relays bytes both ways (the tunnel an https request goes through); with
  ``drip_answer`` it sends ``HTTP/1.1 200 OK`` and then a header one byte at a time, without end, instead;
- a request in absolute form (``GET http://host:port/path``, an http request through the proxy): answers it
  itself, a JSON body naming the URL asked, and closes.

``Dripper`` accepts connections and sends ``prefix`` and then one byte every ``interval`` seconds until stopped:
with a TLS record header as the prefix, a handshake that never ends.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from typing import Any


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _RawServer:
    """A threaded TCP server on an ephemeral port; ``handle(sock)`` serves one connection."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self._server: _TCPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Any:
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                try:
                    owner.handle(self.request)
                except OSError:
                    pass

        self.stopping.clear()
        self._server = _TCPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def handle(self, sock: socket.socket) -> None:
        raise NotImplementedError


class Proxy(_RawServer):
    def __init__(self, *, drip_answer: bool = False) -> None:
        super().__init__()
        self.drip_answer = drip_answer
        self.requests: list[tuple[str, dict[str, str]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handle(self, sock: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            data = sock.recv(4096)
            if not data:
                return
            head += data
        text, _, rest = head.partition(b"\r\n\r\n")
        line, *lines = text.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (entry.partition(":") for entry in lines)}
        with self.lock:
            self.requests.append((line, headers))
        method, target, _ = line.split(" ", 2)
        if method != "CONNECT":
            body = json.dumps({"proxied": target}).encode()
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            return
        if self.drip_answer:
            sock.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self.stopping.wait(0.02):
                sock.sendall(b"x")
            return
        host, _, port = target.rpartition(":")
        with socket.create_connection((host, int(port)), timeout=10) as upstream:
            sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
            _relay(sock, upstream, self.stopping)


def _relay(one: socket.socket, other: socket.socket, stopping: threading.Event) -> None:
    """Copy bytes both ways until either side closes (or the server stops)."""
    import selectors

    with selectors.DefaultSelector() as selector:
        selector.register(one, selectors.EVENT_READ, other)
        selector.register(other, selectors.EVENT_READ, one)
        while not stopping.is_set():
            for key, _ in selector.select(0.05):
                data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                if not data:
                    return
                key.data.sendall(data)


class Dripper(_RawServer):
    def __init__(self, prefix: bytes, interval: float = 0.02) -> None:
        super().__init__()
        self.prefix = prefix
        self.interval = interval
        self.connections = 0

    def handle(self, sock: socket.socket) -> None:
        with self.lock:
            self.connections += 1
        sock.sendall(self.prefix)
        while not self.stopping.wait(self.interval):
            sock.sendall(b"\x00")


# A TLS record header announcing a 16 KiB handshake record: a client reads on, waiting for all of it.
TLS_RECORD_HEADER = b"\x16\x03\x03\x40\x00"
