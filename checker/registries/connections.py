"""Kept-alive HTTP(S) connections for the HTTP helper (http.py): one pool per HttpClient, shared by its threads.

Why: urllib opens a new TCP connection, and for https a new TLS session with a freshly loaded CA store, for every
request (it sends ``Connection: close``). Against a registry tens of milliseconds away the handshakes cost more
than the answers: a new TLS 1.3 connection is two round trips before the request's own
(``benchmarks/tls_registry.py`` measures both clients side by side and counts the handshakes).

Why a pool of its own on ``http.client`` rather than urllib3's (installed through PyGithub): the HTTP helper
guards every answer with a watchdog that must hold the socket from the moment it exists (a proxy tunnel or a TLS
handshake dripping a byte at a time is cut like a dripping body), reads bodies with ``read1`` under its own size
and time limits, and does its own retries, redirects, gzip decoding and credentials; urllib3 would have each of
those switched off, and give its sockets to a watchdog only through private methods. ``http.client`` gives all of
it directly, as urllib did, costs no new dependency of lockgate's own, and imports faster than urllib3 (compare
``python -X importtime -c "import urllib3"`` with ``-c "import http.client, ssl"``; a run that goes online pays
it once).

The pool, in short:
- connections are kept per route (scheme, host, port, and the proxy if any); a connection is used by one request
  at a time, so threads never share one; each thread takes an idle one or opens a new one, so a run opens at most
  as many connections to a host as it has threads asking it at once (the facts stage's workers);
- a connection goes back only when its answer was read to the end as its framing says (Content-Length reached,
  the last chunk read, or no body), the server did not ask to close it, and nothing failed: an answer cut short,
  an error, a timeout, a body over the limit, a watchdog shut-down, or an error status whose body was not read
  closes it instead;
- at most ``max_idle`` idle connections per route are kept (the rest close), most recently used first; an idle
  connection the server has closed (it reads as ready: an end of stream, or bytes nobody asked for) is closed
  instead of used, and HttpClient sends a request once more on a new connection when a reused one was closed
  under it before any answer (what a stale keep-alive looks like) — a GET is safe to send again, and that second
  send is not one of the retries;
- ``close()`` closes every idle connection (the facts stage does it at the end of a run).

Proxies are chosen as urllib chooses them: ``HTTP(S)_PROXY`` / ``NO_PROXY`` from the environment when the client
is given none, an http request goes to the proxy with the full URL, an https request through a ``CONNECT``
tunnel (TLS is then end to end), and ``user:password@`` in the proxy URL becomes ``Proxy-Authorization: Basic``.

TLS: one ``ssl.create_default_context()`` per pool (certificate and host name checked; OpenSSL's default places,
so ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` name the CA certificates to trust, as they did for urllib). Unlike urllib,
Python's opt-out of verification (``PYTHONHTTPSVERIFY=0`` on some distributions) is not honoured: a gate checks.
"""

from __future__ import annotations

import functools
import threading
import urllib.parse
from base64 import b64encode
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import http.client
    import socket
    import ssl

Guard = Callable[[object], None]  # gives a request's watchdog the socket it must be able to shut down (None: none)


class Proxy(NamedTuple):
    """A proxy to go through: ``scheme`` (http or https) is how lockgate talks to the proxy itself."""

    scheme: str
    host: str
    port: int
    authorization: str | None = None  # a Proxy-Authorization value


class Route(NamedTuple):
    """Where a connection goes: requests with the same route may share it, one after the other."""

    scheme: str
    host: str
    port: int
    proxy: Proxy | None = None


def route_for(url: str, proxies: Mapping[str, str]) -> tuple[Route, str]:
    """The route of ``url`` and the request target to send on it (the path and query, or the whole URL for a
    plain http proxy). ``proxies``: scheme -> proxy URL, as ``urllib.request.getproxies()`` gives them."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if scheme == "https" else 80)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    proxy_url = proxies.get(scheme)
    hostport = parts.netloc.rpartition("@")[2]
    if not proxy_url:
        return Route(scheme, host, port), target
    from urllib.request import proxy_bypass

    if proxy_bypass(hostport):  # NO_PROXY
        return Route(scheme, host, port), target
    proxy = _proxy(proxy_url)
    if scheme == "http":  # the proxy fetches the URL for us (a proxy named with https:// is talked to over TLS)
        return Route(scheme, host, port, proxy), urllib.parse.urlunsplit((scheme, hostport, parts.path or "/",
                                                                          parts.query, ""))
    return Route(scheme, host, port, proxy), target  # a CONNECT tunnel, TLS inside it to the registry


def _proxy(url: str) -> Proxy:
    """A proxy URL as urllib reads one: ``host:port`` alone means http; credentials become Basic."""
    parts = urllib.parse.urlsplit(url if "://" in url else "http://" + url)
    scheme = parts.scheme.lower() if parts.scheme.lower() in ("http", "https") else "http"
    authorization = None
    if parts.username and parts.password:
        user_pass = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password)}"
        authorization = "Basic " + b64encode(user_pass.encode()).decode("ascii")
    return Proxy(scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80),
                 authorization)


class Lease(NamedTuple):
    """One connection, lent to one request. ``reused``: it carried an earlier answer (so a failure before any
    byte of this answer may just be the server having closed it while idle)."""

    route: Route
    connection: http.client.HTTPConnection
    reused: bool


class ConnectionPool:
    """Idle connections per route, for any number of threads (see the module docstring). ``opened`` counts the
    connections made, for tests and benchmarks."""

    def __init__(self, max_idle: int = 16) -> None:
        self.max_idle = max(0, max_idle)
        self.opened = 0
        self._idle: dict[Route, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._context: ssl.SSLContext | None = None

    def acquire(self, route: Route, timeout: float, guard: Guard, *, fresh: bool = False) -> Lease:
        """A connection for one request on ``route``, connected, its socket given to ``guard`` (the request's
        watchdog) as soon as it exists: an idle one unless ``fresh``, else a new one. Raises what connecting
        raises (OSError, ssl.SSLError, http.client.HTTPException), having taken the socket back from ``guard``
        and closed it."""
        while not fresh:
            with self._lock:
                idle = self._idle.get(route)
                connection = idle.pop() if idle else None
            if connection is None:
                break
            sock = connection.sock
            if sock is None or _dropped(sock):
                connection.close()
                continue
            sock.settimeout(timeout)
            connection.timeout = timeout
            guard(sock)
            return Lease(route, connection, reused=True)
        connection = self._new(route, timeout, guard)
        with self._lock:
            self.opened += 1
        try:
            connection.connect()
        except BaseException:
            guard(None)  # the watchdog lets go of the socket before it is closed
            connection.close()
            raise
        return Lease(route, connection, reused=False)

    def release(self, lease: Lease) -> None:
        """Take back a connection whose answer was read to its end (the caller decides that; see ``finished``)."""
        connection = lease.connection
        if connection.sock is not None:
            with self._lock:
                idle = self._idle.setdefault(lease.route, [])
                if len(idle) < self.max_idle:
                    idle.append(connection)
                    return
        connection.close()

    @staticmethod
    def discard(lease: Lease) -> None:
        """Close a connection that may not carry another request."""
        lease.connection.close()

    def close(self) -> None:
        """Close every idle connection. The pool stays usable (a later request opens a new connection)."""
        with self._lock:
            idle = [c for connections in self._idle.values() for c in connections]
            self._idle.clear()
        for connection in idle:
            connection.close()

    def idle(self) -> int:
        """How many connections wait for a request (tests)."""
        with self._lock:
            return sum(len(connections) for connections in self._idle.values())

    # -- new connections ----------------------------------------------------------------------------------------

    def _new(self, route: Route, timeout: float, guard: Guard) -> http.client.HTTPConnection:
        import http.client

        proxy = route.proxy
        host, port = (route.host, route.port) if proxy is None else (proxy.host, proxy.port)
        connection: http.client.HTTPConnection
        if route.scheme == "https" or (proxy is not None and proxy.scheme == "https"):
            connection = _guarded_https()(host, port, timeout=timeout, context=self._tls(), guard=guard)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        # http.client makes the TCP socket through this hook of its own (an attribute typeshed does not list): the
        # watchdog gets the socket before a proxy's answer to CONNECT or a TLS handshake is read from it.
        create = connection._create_connection  # type: ignore[attr-defined]

        def create_guarded(*args: object, **kwargs: object) -> object:
            sock = create(*args, **kwargs)
            guard(sock)
            return sock

        connection._create_connection = create_guarded  # type: ignore[attr-defined]  # the hook above
        if proxy is not None and route.scheme == "https":
            headers = {"Proxy-Authorization": proxy.authorization} if proxy.authorization else None
            connection.set_tunnel(route.host, route.port, headers=headers)
        return connection

    def _tls(self) -> ssl.SSLContext:
        """The pool's TLS settings, made once: loading the CA certificates is the costly part of a context."""
        with self._lock:
            if self._context is None:
                import ssl

                context = ssl.create_default_context()
                context.set_alpn_protocols(["http/1.1"])
                self._context = context
            return self._context


@functools.lru_cache(maxsize=None)
def _guarded_https() -> Callable[..., http.client.HTTPSConnection]:
    """The HTTPS connection class, made on first use: http.client and ssl are imported only by a run that goes to
    the network."""
    import http.client

    class GuardedHTTPS(http.client.HTTPSConnection):
        """An HTTPSConnection whose TLS socket is given to the watchdog before the handshake, not after it (a
        handshake dripping a byte at a time is cut like a dripping body). TLS goes to the tunnel's end when there
        is a tunnel (https through a proxy), else to the host connected to."""

        def __init__(self, *args: Any, guard: Guard, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.guard = guard

        def connect(self) -> None:
            """HTTPSConnection.connect, with the handshake apart from the wrapping (its private ``_tunnel_host``
            and ``_context``, which typeshed does not list, are read as it reads them)."""
            http.client.HTTPConnection.connect(self)  # TCP, and the CONNECT tunnel when there is one
            # (both private attributes: see the docstring)
            server_hostname = self._tunnel_host or self.host  # type: ignore[attr-defined]
            sock = self._context.wrap_socket(self.sock, server_hostname=server_hostname,  # type: ignore[attr-defined]
                                             do_handshake_on_connect=False)
            self.sock = sock
            self.guard(sock)
            sock.do_handshake()

    return GuardedHTTPS


def proxy_headers(route: Route) -> dict[str, str]:
    """Headers a request on ``route`` carries for its proxy: credentials for a plain http proxy (a tunnel sends
    them with its CONNECT instead, so that the registry never sees them)."""
    proxy = route.proxy
    if proxy is not None and route.scheme == "http" and proxy.authorization:
        return {"Proxy-Authorization": proxy.authorization}
    return {}


def finished(response: http.client.HTTPResponse) -> bool:
    """True when ``response`` was read to the end its framing announces, on a connection the server keeps open:
    only then may the connection carry another request."""
    if response.will_close:
        return False
    if response.chunked:
        return response.isclosed()  # the last chunk and the trailer read
    return response.length == 0  # Content-Length reached, or an answer without a body (304, 204)


def _dropped(sock: socket.socket) -> bool:
    """True when an idle connection is unusable: readable means the server closed it (an end of stream, a TLS
    close_notify) or sent bytes nobody asked for; either way it cannot carry a request."""
    import select

    try:
        if getattr(sock, "pending", lambda: 0)():
            return True
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True
