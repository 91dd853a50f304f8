"""The one small HTTP helper every registry request goes through (http.client, standard library only).

GETs, and POSTs for queries (OSV's ``querybatch``, which asks about a thousand packages in one request): a query
changes nothing on the server, so a POST gets the same retries as a GET, and is redirected only by 307/308.

Why its own helper: a supply-chain gate must never hang a CI job, never blow up its memory on a hostile answer,
and never print a token. So every request here has
- a timeout on every wait for data, the whole answer (headers and body) within three timeouts, and an overall time
  budget for the run: when it is used up, requests fail at once instead of piling up. A server that dribbles bytes
  (each just within the timeout) cannot hold the run: a watchdog shuts the connection down when the answer's time
  is up, or the budget's, whichever comes first;
- bounded retries on 429, 5xx, connection errors and timeouts, with exponential backoff and jitter; a
  ``Retry-After`` (seconds or an HTTP-date) is honoured up to ``max_retry_after`` seconds, and a server asking
  for longer is an immediate failure rather than a stalled run;
- a maximum body size, checked against ``Content-Length`` and while reading (gzip is decoded with the same
  bound): a body larger than expected is an error, not a memory blow-up;
- redirects followed by hand (at most five, never from https to http), so that credentials go only to the origin
  they were configured for (urllib itself would forward an ``Authorization`` header to any host);
- only http and https (urllib would also read ``file:`` and ``ftp:`` URLs);
- connections kept alive and reused per host, by one request at a time (connections.py says why a small pool on
  ``http.client`` rather than urllib or urllib3): a connection is given back only when its answer was read whole,
  and one the server closed while idle is sent on again once on a new connection, which is not a retry.

Credentials: ``credentials`` maps a URL prefix (``https://npm.example.com/`` or scheme-less
``//npm.example.com/``, as ``.npmrc`` writes them) to an ``Authorization`` value (``Bearer …``, ``Basic …``);
the longest matching prefix wins. ``user:password@`` in a URL becomes Basic authentication for that URL's origin,
remembered for later requests to the same origin (as pip does), unless a configured prefix says otherwise.
Every secret seen is redacted (``***``) from exception messages, log lines, and the bodies and headers of the
answers themselves (a registry that quotes the token back cannot put it into the cache or a report), and URLs in
messages lose their user-info and their query values. Response bodies never appear in messages.

Failures raise RegistryError (``reason``: short, safe to show; ``status``: the HTTP status or None); a 404 or 410
raises its subclass NotFound, which clients turn into "the registry does not have it" rather than "unknown".
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
import time
import urllib.parse
from base64 import b64decode, b64encode
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from checker import __version__
from checker.redaction import redact_url  # noqa: F401  (re-exported: registry clients import it from here)
from checker.registries.connections import ConnectionPool, Lease, finished, proxy_headers, route_for
from checker.registries.log import debug

TYPE_CHECKING = False
if TYPE_CHECKING:
    import http.client

USER_AGENT = f"lockgate/{__version__} (+https://github.com/lockgate/lockgate)"
MiB = 1024 * 1024
RETRY_STATUSES = frozenset({408, 425, 429})  # and every 5xx
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
BODY_TIMEOUTS = 3  # a whole body must arrive within this many timeouts (a server dripping bytes)


class RegistryError(Exception):
    """A registry request that did not give a usable answer. ``str()`` is the reason, already redacted."""

    def __init__(self, reason: str, *, status: int | None = None, url: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.url = redact_url(url) if url else ""


class NotFound(RegistryError):
    """HTTP 404 or 410: the registry says it does not have this document."""


class _Retry(Exception):
    """A failure worth another try; ``retry_after`` is the server's wish in seconds, if it said one."""

    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


class _Call(NamedTuple):
    """What is asked: the method, and the body sent with it (None: none)."""

    method: str = "GET"
    body: bytes | None = None


class _Redirect(NamedTuple):
    location: str
    status: int


class Response(NamedTuple):
    """A successful answer: status 200 (or another 2xx), or 304 to a conditional request (empty body).
    ``url`` is the final URL after redirects, without credentials; header names are lower-case."""

    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = MappingProxyType({})

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case (``application/json``)."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()


def parse_json(body: bytes, url: str) -> object:
    """Decode a JSON body; anything that is not JSON (truncated, another format, nested absurdly deep) is a
    RegistryError saying so, with the position when known."""
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        text = body.strip()
        cut = text[:1] in (b"{", b"[") and text[-1:] not in (b"}", b"]")
        hint = "; the body ends early: truncated?" if cut else ""
        raise RegistryError(
            f"invalid JSON from {redact_url(url)}: {exc.msg} (line {exc.lineno}, column {exc.colno}{hint})", url=url
        ) from None
    except RecursionError:
        raise RegistryError(f"invalid JSON from {redact_url(url)}: nested too deeply", url=url) from None
    except ValueError as exc:  # bad UTF-8, an integer too long to convert
        raise RegistryError(f"invalid JSON from {redact_url(url)}: {str(exc)[:80]}", url=url) from None


def origin(url: str) -> str:
    """``scheme://host[:port]`` in lower case, for comparing where a request goes."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{host}{port}"


class _Watchdog:
    """Ends a request whose time is up by shutting its socket down, so that a read blocked on a server that sends
    nothing (or a byte now and then, each just within the socket timeout) returns at once. Real time, not the
    client's injectable clock: it guards real sockets.

    The request gives it each socket it comes to use (``attach``: a new connection's TCP socket, its TLS socket
    before the handshake, or a kept-alive connection's), and takes it back (``detach``) before that connection is
    closed or lent to another request, so that a late timer never shuts down a connection it no longer guards.
    ``fired``: a socket of this request was shut down, so what was read from it may be cut short."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._expired = False
        self._sock: object = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def attach(self, sock: object) -> None:
        """Guard ``sock`` from now on (None: no socket); time already up: shut it down at once."""
        with self._lock:
            self._sock = sock
            if self._expired and sock is not None:
                self._shutdown(sock)

    def detach(self) -> bool:
        """Stop guarding the socket; True when it was never shut down (its answer, if read whole, is whole)."""
        with self._lock:
            self._sock = None
            return not self.fired

    def cancel(self) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            self._expired = True
            if self._sock is not None:
                self._shutdown(self._sock)

    def _shutdown(self, sock: object) -> None:
        """Called with the lock held: ``detach`` waits for it, so the socket is not closed meanwhile."""
        import socket

        self.fired = True
        try:
            # socket.socket's own shutdown, also for a TLS socket: it cuts the connection under a TLS read or
            # handshake in progress, where SSLSocket.shutdown would also unwrap the socket.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # type: ignore[arg-type]
        except (OSError, TypeError):
            pass


class HttpClient:
    """GET (and query POST) requests with timeouts, retries, a time budget, size limits and redaction. Thread-safe; one per run.

    ``sleep``, ``clock`` (monotonic), ``wall`` (epoch seconds, for HTTP-date ``Retry-After``) and ``rng`` are
    injectable so that tests of retries never really wait. ``proxies``: None uses the environment's
    ``HTTP(S)_PROXY`` / ``NO_PROXY`` as urllib does; ``{}`` disables proxies. Connections are kept alive and
    reused (connections.py); ``max_idle``: how many idle connections per host it keeps (the facts stage's worker
    count); ``close()`` (or ``with``) closes them.
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        max_retry_after: float = 30.0,
        budget_seconds: float = 120.0,
        max_bytes: int = 64 * MiB,
        credentials: Mapping[str, str] | None = None,
        proxies: Mapping[str, str] | None = None,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        deadline: float | None = None,
        max_idle: int = 16,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.budget_seconds = budget_seconds
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.sleep = sleep
        self.clock = clock
        self.wall = wall
        self._rng = rng or random.Random()
        # ``deadline`` (on ``clock``): when the budget started earlier than this client (the facts stage's one
        # budget, part of it spent on GitHub lookups); messages still name ``budget_seconds``.
        self._deadline = clock() + budget_seconds if deadline is None else deadline
        self._credentials = {_prefix_key(k): v for k, v in (credentials or {}).items()}
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        for value in self._credentials.values():
            self._remember(value)
        self.requests = 0  # attempts made, for tests and benchmarks
        self._proxies = proxies
        self._routes: Mapping[str, str] | None = None  # the proxies in force, read on the first request
        self._max_idle = max_idle
        self._pool: ConnectionPool | None = None  # made on the first request (importing http.client takes time)

    # -- public -------------------------------------------------------------------------------------------------

    def get(self, url: str, *, headers: Mapping[str, str] | None = None, max_bytes: int | None = None) -> Response:
        """GET ``url``; a 2xx or 304 Response, else RegistryError / NotFound (after the retries it deserves)."""
        return self._request("GET", url, None, headers, max_bytes)

    def post(self, url: str, body: bytes, *, headers: Mapping[str, str] | None = None,
             max_bytes: int | None = None) -> Response:
        """POST ``body`` to ``url``, for queries only (OSV's ``querybatch``): the same timeouts, watchdog, limits,
        redaction and retries as a GET, since a query asked twice answers the same and changes nothing. Redirects:
        only 307 and 308 (they keep the method and the body); a 301/302/303 would turn the query into a GET of
        another URL, so it is an error, not followed. A 2xx Response, else RegistryError / NotFound."""
        return self._request("POST", url, body, headers, max_bytes)

    def _request(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str] | None,
                 max_bytes: int | None) -> Response:
        url, basic = self._split_userinfo(url)
        scheme = urllib.parse.urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise RegistryError(f"refusing to fetch {redact_url(url)!r}: only http and https URLs", url=url)
        extra = dict(headers or {})
        for name, value in extra.items():
            if name.lower() in ("authorization", "proxy-authorization", "cookie"):
                self._remember(value)
        limit = self.max_bytes if max_bytes is None else max_bytes
        try:
            return self._with_retries(url, extra, basic, limit, _Call(method, body))
        except RegistryError as error:  # one last pass, so that no registered secret leaves in an exception
            raise type(error)(self.redact(error.reason), status=error.status,
                              url=self.redact(redact_url(url))) from None

    def close(self) -> None:
        """Close the kept-alive connections. The client stays usable: a later request connects anew."""
        if self._pool is not None:
            self._pool.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connections(self) -> int:
        """Connections opened so far (tests and benchmarks)."""
        return self._pool.opened if self._pool is not None else 0

    def add_secret(self, value: str) -> None:
        """Register one more string to redact (a token embedded in an index URL's path, say)."""
        self._remember(value)

    def _with_retries(self, url: str, extra: dict[str, str], basic: str | None, limit: int, call: _Call) -> Response:
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._follow(url, extra, basic, limit, call)
            except _Retry as failure:
                reason = self.redact(failure.reason)
                if attempt > self.retries:
                    tries = "1 try" if attempt == 1 else f"{attempt} tries"
                    raise RegistryError(f"{reason} (gave up after {tries})", status=failure.status, url=url) from None
                delay = self._delay(attempt, failure.retry_after)
                if delay is None:
                    raise RegistryError(
                        f"{reason}: the server asks to wait {failure.retry_after:.0f} s, more than the "
                        f"{self.max_retry_after:g} s lockgate waits", status=failure.status, url=url) from None
                if self.clock() + delay >= self._deadline:
                    raise RegistryError(
                        f"{reason}; no time left to retry (registry time budget {self.budget_seconds:g} s)",
                        status=failure.status, url=url) from None
                debug("retrying %s in %.2f s: %s", self.redact(redact_url(url)), delay, reason)
                self.sleep(delay)

    def redact(self, text: str) -> str:
        """``text`` with every known secret replaced by ``***``."""
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, "***")
        return text

    def _scrub(self, body: bytes) -> bytes:
        """A body with every known secret replaced by ``***``: a registry that quotes the request's token back (in a
        document it serves with 200) must not put it into the cache on disk, the facts, or a report."""
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            raw = secret.encode("utf-8", "surrogateescape")
            if raw in body:
                body = body.replace(raw, b"***")
        return body

    def remaining(self) -> float:
        """Seconds left of the run's time budget."""
        return self._deadline - self.clock()

    # -- plumbing -----------------------------------------------------------------------------------------------

    def _remember(self, value: str) -> None:
        """Register a secret for redaction: the whole header value and, for ``Bearer x`` / ``Basic x``, ``x``
        (and the decoded ``user:password`` of Basic)."""
        parts = {value.strip()}
        scheme, _, token = value.strip().partition(" ")
        if token:
            parts.add(token.strip())
            if scheme.lower() == "basic":
                try:
                    decoded = b64decode(token.strip(), validate=True).decode("utf-8")
                    parts.add(decoded)
                    parts.add(decoded.partition(":")[2])
                except (ValueError, UnicodeDecodeError):
                    pass
        with self._lock:
            self._secrets.update(p for p in parts if len(p) >= 4)

    def _split_userinfo(self, url: str) -> tuple[str, str | None]:
        """Move ``user:password@`` out of the URL into a Basic Authorization value (for that origin only)."""
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError:
            raise RegistryError("unparsable URL", url="") from None
        if "@" not in parts.netloc:
            return url, None
        userinfo, _, hostport = parts.netloc.rpartition("@")
        user, _, password = userinfo.partition(":")
        user, password = urllib.parse.unquote(user), urllib.parse.unquote(password)
        for secret in (password or user, userinfo):  # a user without a password is a token (``TOKEN:@host``)
            if len(secret) >= 4:
                with self._lock:
                    self._secrets.add(secret)
        value = "Basic " + b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._remember(value)
        with self._lock:  # like pip: later requests to the same origin (an Integrity API URL) use them too
            self._credentials.setdefault(_prefix_key(f"{parts.scheme}://{hostport}/"), value)
        return urllib.parse.urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment)), value

    def _authorization(self, url: str, basic_origin: str | None, basic: str | None) -> str | None:
        if basic is not None and basic_origin == origin(url):
            return basic
        key = _prefix_key(url)
        best: tuple[int, str] | None = None
        for prefix, value in self._credentials.items():
            if key.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), value)
        return best[1] if best else None

    def _follow(self, url: str, headers: dict[str, str], basic: str | None, limit: int, call: _Call) -> Response:
        basic_origin = origin(url) if basic else None
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            auth = self._authorization(current, basic_origin, basic)
            result = self._once(current, headers, auth, limit, call)
            if isinstance(result, Response):
                return result
            target = urllib.parse.urljoin(current, result.location)
            if call.method != "GET" and result.status not in (307, 308):
                raise RegistryError(f"{redact_url(current)} answered {call.method} with a {result.status} redirect to "
                                    f"{redact_url(target)}: only 307 and 308 keep a {call.method}", url=url)
            if urllib.parse.urlsplit(current).scheme == "https" and urllib.parse.urlsplit(target).scheme != "https":
                raise RegistryError(
                    f"{redact_url(current)} redirects to {redact_url(target)}: refusing to leave https", url=url)
            current = target
        raise RegistryError(f"more than {MAX_REDIRECTS} redirects from {redact_url(url)}", url=url)

    def _once(self, url: str, headers: Mapping[str, str], auth: str | None, limit: int, call: _Call) -> Response | _Redirect:
        """One request. A Response, a redirect, or raises _Retry / RegistryError."""
        shown = self.redact(redact_url(url))
        host = urllib.parse.urlsplit(url).hostname or "?"
        remaining = self.remaining()
        if remaining <= 0:
            raise RegistryError(f"registry time budget of {self.budget_seconds:g} s used up before {shown}", url=url)
        timeout = max(0.001, min(self.timeout, remaining))
        allowed = min(BODY_TIMEOUTS * timeout, remaining)  # the whole answer, headers and body
        sent: dict[str, tuple[str, str]] = {}  # by lower-case name: a caller's header replaces a default one
        defaults = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip"}
        if call.body is not None:
            defaults["Content-Type"] = "application/json"
        for name, value in [*defaults.items(), *headers.items(), *([("Authorization", auth)] if auth else [])]:
            sent[name.lower()] = (name, value)
        with self._lock:
            self.requests += 1
        started = self.clock()
        watchdog = _Watchdog(allowed)
        try:
            result = self._exchange(url, dict(sent.values()), shown, host, timeout, limit, started, watchdog, call)
            if watchdog.fired:  # the shut-down socket read as an end of data: the answer is cut, not complete
                raise _Retry(f"{host} was cut off")
            return result
        except (_Retry, RegistryError):
            if not watchdog.fired:
                raise
            if allowed < BODY_TIMEOUTS * timeout:  # the run's budget, not the answer's own time, ran out
                raise RegistryError(f"registry time budget of {self.budget_seconds:g} s used up while {host} was "
                                    "still answering", url=url) from None
            raise _Retry(f"{host} did not finish answering within {allowed:g} s") from None
        finally:
            watchdog.cancel()

    def _connections(self) -> tuple[ConnectionPool, Mapping[str, str]]:
        with self._lock:
            if self._pool is None:
                self._pool = ConnectionPool(self._max_idle)
            if self._routes is None:
                if self._proxies is None:
                    import urllib.request

                    self._routes = dict(urllib.request.getproxies())
                else:
                    self._routes = dict(self._proxies)
            return self._pool, self._routes

    def _exchange(self, url: str, headers: dict[str, str], shown: str, host: str, timeout: float, limit: int,
                  started: float, watchdog: _Watchdog, call: _Call) -> Response | _Redirect:
        """Send the request on a pooled connection and read the answer (``_once`` holds the watchdog that bounds
        it). The connection goes back to the pool only when the answer was read whole (connections.py)."""
        import http.client
        import socket
        import ssl

        pool, proxies = self._connections()
        route, target = route_for(url, proxies)
        headers = {**headers, **proxy_headers(route)}
        fresh = False
        while True:
            try:
                lease = pool.acquire(route, timeout, watchdog.attach, fresh=fresh)
            except (socket.timeout, TimeoutError):
                raise _Retry(f"no answer from {host} within {timeout:g} s") from None
            except ssl.SSLCertVerificationError as error:
                raise RegistryError(f"TLS certificate of {host} not accepted: {_short(error)}", url=url) from None
            except (http.client.HTTPException, OSError) as error:
                raise _Retry(f"could not connect to {host}: {_short(error)}") from None
            response = None
            reusable = False
            try:
                response = self._send(lease, target, headers, shown, host, timeout, watchdog, call)
                if response is None:  # a kept-alive connection the server had closed: once more, on a new one
                    fresh = True
                    continue
                result = self._answer(response, url, shown, host, timeout, limit, started, call.method)
                reusable = finished(response)
                return result
            finally:
                whole = watchdog.detach()  # first: the watchdog must not shut down a socket being closed or lent
                if response is not None:
                    response.close()
                if whole and reusable:
                    pool.release(lease)
                else:
                    pool.discard(lease)

    def _send(self, lease: Lease, target: str, headers: dict[str, str], shown: str, host: str, timeout: float,
              watchdog: _Watchdog, call: _Call) -> http.client.HTTPResponse | None:
        """Send the request and read the status and headers; None when a reused connection turns out closed by
        the server before any of the answer arrived (a stale keep-alive). A request http.client refuses to write
        (a space or a control character in the URL, a line break in a header) is no retry, and its message does
        not quote what was refused: that may hold a token."""
        import http.client
        import socket

        stale = (http.client.RemoteDisconnected, ConnectionResetError, ConnectionAbortedError, BrokenPipeError)
        connection = lease.connection

        def write() -> None:
            connection.putrequest(call.method, target, skip_accept_encoding=True)  # Accept-Encoding is in ``headers``
            for name, value in headers.items():
                connection.putheader(name, value)
            if call.body is not None:
                connection.putheader("Content-Length", str(len(call.body)))
            connection.endheaders(call.body)

        response = None
        for step, failure in ((write, f"could not connect to {host}"),
                              (connection.getresponse, f"connection to {host} failed")):
            try:
                response = step()
            except http.client.InvalidURL:
                raise RegistryError(f"refusing to fetch {shown}: a space or a control character in the URL") from None
            except (socket.timeout, TimeoutError):
                raise _Retry(f"no answer from {host} within {timeout:g} s") from None
            except (http.client.HTTPException, OSError) as error:
                if isinstance(error, stale) and lease.reused and not watchdog.fired:
                    return None
                raise _Retry(f"{failure}: {_short(error)}") from None
            except ValueError:  # http.client refuses a header value or name (it would quote it)
                raise RegistryError(f"refusing to send the request to {host}: a header holds a line break or a "
                                    "control character (a token read from the environment?)") from None
        return response

    def _answer(self, response: http.client.HTTPResponse, url: str, shown: str, host: str, timeout: float,
                limit: int, started: float, method: str = "GET") -> Response | _Redirect:
        """The outcome of an answer whose status and headers have arrived: its body read for a 2xx, else a
        redirect's Location, a 304, or the error it is (an error's body is not read)."""
        status = response.status
        response_headers = {k.lower(): v for k, v in response.headers.items()}
        if not 200 <= status < 300:
            debug("%s %s -> HTTP %s", method, shown, status)
            if status in REDIRECT_STATUSES and response_headers.get("location"):
                return _Redirect(response_headers["location"], status)
            if status == 304:
                return Response(url=redact_url(url), status=304, body=b"",
                                headers=MappingProxyType({k: self.redact(v) for k, v in response_headers.items()}))
            if status in (404, 410):
                raise NotFound(f"HTTP {status} from {shown}", status=status, url=url)
            if status in RETRY_STATUSES or status >= 500:
                raise _Retry(f"HTTP {status} from {shown}", status, self._retry_after(response_headers.get("retry-after")))
            raise RegistryError(f"HTTP {status} from {shown}", status=status, url=url)
        body = self._read(response, response_headers, limit, shown, host, started, timeout)
        debug("%s %s -> HTTP %s, %d bytes", method, shown, status, len(body))
        return Response(url=redact_url(url), status=status, body=self._scrub(body),
                        headers=MappingProxyType({k: self.redact(v) for k, v in response_headers.items()}))

    def _read(self, response: http.client.HTTPResponse, headers: Mapping[str, str], limit: int, shown: str,
              host: str, started: float, timeout: float) -> bytes:
        import http.client
        import socket
        import zlib

        length = headers.get("content-length", "")
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", ""):
            raise RegistryError(f"{shown} answered with unsupported content encoding {encoding!r}", url=shown)
        if length.isdigit() and encoding in ("identity", "") and int(length) > limit:
            raise RegistryError(f"response from {shown} is {int(length)} bytes, more than the {_size(limit)} "
                                "lockgate accepts", url=shown)
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding in ("gzip", "x-gzip") else None
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                chunk = response.read1(_CHUNK)  # what has arrived: a byte now and then cannot hold the loop
                if self.clock() - started > BODY_TIMEOUTS * timeout:
                    # The watchdog's limit, seen from this side first: one event, one wording.
                    raise _Retry(f"{host} did not finish answering within {BODY_TIMEOUTS * timeout:g} s")
                if not chunk:
                    break
                if decoder is not None:
                    chunk = decoder.decompress(chunk, limit + 1 - size)
                    if decoder.unconsumed_tail:
                        size = limit + 1
                size += len(chunk)
                if size > limit:
                    raise RegistryError(f"response from {shown} is larger than the {_size(limit)} lockgate accepts",
                                        url=shown)
                chunks.append(chunk)
            if decoder is not None:
                tail = decoder.flush()
                size += len(tail)
                if size > limit:
                    raise RegistryError(f"response from {shown} is larger than the {_size(limit)} lockgate accepts",
                                        url=shown)
                if not decoder.eof:
                    raise _Retry(f"gzip body from {host} ends early (truncated)")
                chunks.append(tail)
            elif length.isdigit() and size != int(length):
                # http.client returns a short body quietly when the server closes the connection early
                raise _Retry(f"connection to {host} closed after {size} of {int(length)} bytes")
        except (socket.timeout, TimeoutError):
            raise _Retry(f"{host} stopped sending for {timeout:g} s") from None
        except http.client.IncompleteRead:
            raise _Retry(f"connection to {host} closed before the whole body arrived") from None
        except zlib.error:
            raise RegistryError(f"response from {shown} is not valid gzip", url=shown) from None
        except (http.client.HTTPException, OSError) as error:
            raise _Retry(f"connection to {host} failed while reading: {_short(error)}") from None
        return b"".join(chunks)

    def _retry_after(self, value: str | None) -> float | None:
        """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date); None when absent/bad."""
        import email.utils

        if not value:
            return None
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return max(0.0, when.timestamp() - self.wall())

    def _delay(self, attempt: int, retry_after: float | None) -> float | None:
        """The wait before retry number ``attempt``: the server's Retry-After when it gave one (None if over the
        cap), else exponential backoff with jitter (between half and all of ``backoff * 2**(attempt-1)``)."""
        if retry_after is not None:
            return None if retry_after > self.max_retry_after else retry_after
        ceiling = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        with self._lock:
            return self._rng.uniform(ceiling / 2, ceiling)


def _prefix_key(url: str) -> str:
    """A URL (or an ``.npmrc``-style ``//host/path/``) as a lower-case ``//host[:port]/path`` for prefix matching
    (a default port is dropped, so ``https://h:443/`` and ``https://h/`` are one key)."""
    text = url.strip()
    scheme = ""
    if "://" in text:
        scheme, text = text.split("://", 1)
    elif text.startswith("//"):
        text = text[2:]
    host, slash, path = text.partition("/")
    host = host.rpartition("@")[2].lower()
    if (scheme.lower(), host.rpartition(":")[2]) in (("https", "443"), ("http", "80")):
        host = host.rpartition(":")[0]
    return f"//{host}{slash}{path}"


def _short(error: object) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _size(limit: int) -> str:
    return f"{limit / MiB:g} MiB" if limit >= MiB else f"{limit} bytes"
