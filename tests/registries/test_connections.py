"""Kept-alive registry connections (checker/registries/connections.py, through HttpClient): one connection carries
many requests to a host; only an answer read whole gives it back; a connection the server closed while idle is
sent on again once, quietly; threads share the pool within its bound; a run closes what it kept; https with a
private CA named by SSL_CERT_FILE; proxies (a CONNECT tunnel, an http proxy, the environment's HTTPS_PROXY and
NO_PROXY); and the watchdog cuts a TLS handshake or a proxy answer that drips without end.

The fake servers count the connections they accept and the TLS handshakes they complete (tests/fakes/server.py).
"""

from __future__ import annotations

import gc
import json
import re
import socket
import threading
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from checker.registries.connections import ConnectionPool, Lease, Route, _dropped
from checker.registries.http import NotFound, RegistryError, parse_json
from tests.fakes.faulty import FaultyServer, Misbehaviour
from tests.fakes.proxy import TLS_RECORD_HEADER, Dripper, Proxy
from tests.fakes.registry import Fault, FakeRegistry, standard_scenarios
from tests.fakes.server import FakeServer
from tests.fakes.tls import Certificates, make_certificates, server_context
from tests.registries.test_http import Sleeps, client  # an HttpClient that records its backoff instead of sleeping

PAGE = "/simple/yanky/"
M = Misbehaviour


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy",
                 "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


def keepalive_registry(**settings: object) -> FakeRegistry:
    fake = FakeRegistry()
    fake.protocol = "HTTP/1.1"
    for name, value in settings.items():
        setattr(fake, name, value)
    return fake


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with keepalive_registry() as server:
        standard_scenarios(server)
        yield server


def faulty(*script: Misbehaviour) -> FaultyServer:
    server = FaultyServer(*script)
    server.protocol = "HTTP/1.1"
    return server


# -- reuse -------------------------------------------------------------------------------------------------------


def test_requests_to_one_host_from_one_thread_share_one_connection(fake: FakeRegistry) -> None:
    paths = [PAGE, "/simple/moved/", "/npm/tp-pkg", PAGE, "/npm/left-pad"]
    with client() as http:
        bodies = [parse_json(http.get(fake.root + path).body, path) for path in paths]
        assert http.connections == 1
    assert [b["name"] for b in bodies] == ["yanky", "moved", "tp-pkg", "yanky", "left-pad"]  # type: ignore[index]
    assert fake.connections == 1 and fake.paths() == paths


def test_gzip_and_a_304_leave_the_connection_reusable(fake: FakeRegistry) -> None:
    fake.gzip = True
    with client() as http:
        etag = http.get(fake.root + PAGE).header("etag")
        assert etag
        assert http.get(fake.root + PAGE, headers={"If-None-Match": etag}).status == 304
        assert parse_json(http.get(fake.root + PAGE).body, PAGE)["name"] == "yanky"  # type: ignore[index]
    assert fake.connections == 1


def test_a_server_that_keeps_no_connection_gets_one_per_request() -> None:
    with FakeRegistry() as old, client() as http:  # HTTP/1.0: the server closes after each answer
        standard_scenarios(old)
        for _ in range(3):
            http.get(old.root + PAGE)
    assert old.connections == 3 and http.connections == 3
    with faulty(M("ok", headers={"Connection": "close"})) as closing, client() as http:
        for _ in range(3):
            http.get(closing.root + "/x")
    assert closing.connections == 3


def test_connections_are_per_host(fake: FakeRegistry) -> None:
    with keepalive_registry() as other, client() as http:
        standard_scenarios(other)
        for _ in range(2):
            http.get(fake.root + PAGE)
            http.get(other.root + PAGE)
    assert (fake.connections, other.connections, http.connections) == (1, 1, 2)


class ChunkedServer(FakeServer):
    """Answers every GET with a JSON body in chunks (``Transfer-Encoding: chunked``, as CDNs in front of npm send),
    kept alive; ``cut`` stops one answer after its first chunk, leaving the connection open."""

    protocol = "HTTP/1.1"

    def __init__(self) -> None:
        super().__init__()
        self.cut: set[str] = set()

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        body = json.dumps({"path": request.path, "pad": "x" * 3000}).encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        for start in range(0, len(body), 1000):
            request.wfile.write(b"%x\r\n%s\r\n" % (len(body[start:start + 1000]), body[start:start + 1000]))
            if request.path in self.cut:
                self.stopping.wait(1.0)  # then the connection waits for the next request: the client gave up
                return
        request.wfile.write(b"0\r\n\r\n")


def test_chunked_answers_read_to_their_last_chunk_keep_the_connection() -> None:
    with ChunkedServer() as server, client(timeout=0.3, retries=0) as http:
        for path in ("/a", "/b", "/c"):
            assert parse_json(http.get(server.root + path).body, path)["path"] == path  # type: ignore[index]
        assert server.connections == 1
        server.cut.add("/d")
        with pytest.raises(RegistryError, match=r"stopped sending for 0\.3 s"):
            http.get(server.root + "/d")
        assert parse_json(http.get(server.root + "/e").body, "/e")["path"] == "/e"  # type: ignore[index]
    assert server.connections == 2


class TwoAnswers(FakeServer):
    """Answers ``/a`` twice: its own answer, then one more nobody asked for (a server trying to answer the next
    request on the connection before it is asked); every other path once. ``injected`` is set once the second
    answer is on the wire."""

    protocol = "HTTP/1.1"

    def __init__(self) -> None:
        super().__init__()
        self.injected = threading.Event()

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        answers = [request.path, "/injected"] if request.path == "/a" else [request.path]
        for path in answers:
            body = json.dumps({"path": path}).encode()
            request.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                                % (len(body), body))
        if request.path == "/a":
            self.injected.set()


def test_an_answer_nobody_asked_for_is_never_taken_for_the_next_one() -> None:
    """The unasked answer arrives before the next request is sent (the test waits for it: on a loaded machine the
    server's second write could otherwise come after the request, where it is indistinguishable from the server's
    answer to it). The idle connection is then readable and is not reused."""
    with TwoAnswers() as server, client() as http:
        assert parse_json(http.get(server.root + "/a").body, "/a") == {"path": "/a"}
        assert server.injected.wait(10)
        assert parse_json(http.get(server.root + "/b").body, "/b") == {"path": "/b"}


# -- what may not go back ------------------------------------------------------------------------------------------

# (fault on the first request, the error it is, client settings; "max_bytes" is the first request's): the second
# request must get a new connection and its own answer (a connection given back with the first answer's rest unread
# would serve that rest as its answer).
NOT_REUSED = [
    ("a body over the limit", Fault("oversize", size=5000), r"response from .* is 5011 bytes, more than the 1000 "
     r"bytes lockgate accepts", {"max_bytes": 1000}),
    ("a gzip body over the limit", Fault("bomb", size=200_000), r"response from .* is larger than the 1000 bytes "
     r"lockgate accepts", {"max_bytes": 1000}),
    ("a 404 with a body", Fault("status", 404), "HTTP 404 from .*", {}),
    ("a 401 with a body", Fault("status", 401), "HTTP 401 from .*", {}),
    ("a body cut short, then a timeout", Fault("short"), r"127\.0\.0\.1 stopped sending for 0\.3 s .*",
     {"timeout": 0.3, "retries": 0}),
]


@pytest.mark.parametrize(("fault", "error", "settings"), [(f, e, dict(s)) for _, f, e, s in NOT_REUSED],
                         ids=[n[0] for n in NOT_REUSED])
def test_an_answer_not_read_whole_closes_its_connection(fake: FakeRegistry, fault: Fault, error: str,
                                                        settings: dict[str, object]) -> None:
    fake.fail(PAGE, fault)
    limit = settings.pop("max_bytes", None)
    with client(**settings) as http:
        with pytest.raises(RegistryError) as caught:
            http.get(fake.root + PAGE, max_bytes=limit)  # type: ignore[arg-type]
        assert re.fullmatch(error, str(caught.value)), str(caught.value)
        again = http.get(fake.root + "/simple/moved/")
        assert http.requests == 2  # the second answered at the first try: nothing of the first was left to read
    assert parse_json(again.body, again.url)["name"] == "moved"  # type: ignore[index]
    assert fake.connections == 2


def test_an_error_that_is_retried_goes_on_a_new_connection(fake: FakeRegistry) -> None:
    fake.fail(PAGE, Fault("status", 503), Fault("status", 500))
    with client() as http:
        assert parse_json(http.get(fake.root + PAGE).body, PAGE)["name"] == "yanky"  # type: ignore[index]
        http.get(fake.root + PAGE)
    assert fake.count(PAGE) == 4
    assert fake.connections == 3  # each error's connection closed; the answer's kept for the fourth request


def test_an_answer_whole_by_its_length_keeps_the_connection_even_if_it_is_no_json(fake: FakeRegistry) -> None:
    fake.fail(PAGE, Fault("truncate"))
    with client() as http:
        cut = http.get(fake.root + PAGE)
        with pytest.raises(RegistryError, match="truncated"):
            parse_json(cut.body, cut.url)
        http.get(fake.root + PAGE)
    assert fake.connections == 1


def test_a_connection_the_watchdog_shut_is_not_reused() -> None:
    with faulty(M("ok"), M("drip", interval=0.02), M("ok")) as server, client(timeout=0.1, retries=0) as http:
        http.get(server.root + "/a")
        with pytest.raises(RegistryError, match=r"(did not finish answering within 0\.3 s|stopped sending)"):
            http.get(server.root + "/b")
        http.get(server.root + "/c")
    assert server.connections == 2


# -- stale kept-alive connections ----------------------------------------------------------------------------------


def test_a_kept_alive_connection_closed_by_the_server_is_sent_on_again_once_quietly() -> None:
    sleeps = Sleeps()
    with faulty(M("ok"), M("close"), M("ok")) as server, client(sleeps) as http:
        http.get(server.root + "/a")
        http.get(server.root + "/b")  # sent on the kept connection, which the server closes without a word
        assert http.requests == 2  # the second send is no retry: no backoff, not counted
    assert server.paths() == ["/a", "/b", "/b"]
    assert server.connections == 2 and sleeps == []


def test_a_new_connection_closed_without_an_answer_is_an_ordinary_failure() -> None:
    sleeps = Sleeps()
    with faulty(M("close")) as server, client(sleeps, retries=1) as http:
        with pytest.raises(RegistryError) as caught:
            http.get(server.root + "/a")
    assert str(caught.value) == ("connection to 127.0.0.1 failed: Remote end closed connection without response "
                                 "(gave up after 2 tries)")
    assert len(server.requests) == 2 and len(sleeps) == 1


def test_the_quiet_second_send_happens_once_then_retries_count() -> None:
    sleeps = Sleeps()
    with faulty(M("ok"), M("close"), M("close"), M("ok")) as server, client(sleeps, retries=1) as http:
        http.get(server.root + "/a")
        http.get(server.root + "/b")  # stale (quiet), then a new connection closed (a retry), then an answer
        assert http.requests == 3
    assert server.paths() == ["/a", "/b", "/b", "/b"]
    assert len(sleeps) == 1


def test_an_idle_connection_reads_as_dropped_once_its_peer_closed_or_spoke() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert not _dropped(ours)
        theirs.sendall(b"HTTP/1.1 408 Request Timeout\r\n\r\n")  # unasked bytes: not a connection to send on
        assert _dropped(ours)
    ours, theirs = socket.socketpair()
    with ours:
        theirs.close()
        assert _dropped(ours)


class _Stub:
    def __init__(self) -> None:
        self.sock: object = object()
        self.closed = False

    def close(self) -> None:
        self.closed = True
        self.sock = None


def test_the_pool_keeps_at_most_max_idle_connections_per_route_and_close_closes_them() -> None:
    pool = ConnectionPool(max_idle=2)
    route = Route("https", "registry.example", 443)
    stubs = [_Stub() for _ in range(3)]
    for stub in stubs:
        pool.release(Lease(route, stub, reused=False))  # type: ignore[arg-type]
    assert [s.closed for s in stubs] == [False, False, True] and pool.idle() == 2
    pool.release(Lease(Route("https", "other.example", 443), _Stub(), reused=False))  # type: ignore[arg-type]
    assert pool.idle() == 3
    pool.close()
    assert pool.idle() == 0 and all(s.closed for s in stubs)


# -- threads, and the end of a run -------------------------------------------------------------------------------


def test_the_facts_workers_share_the_pool_within_its_bound() -> None:
    from checker.registries.gather import FactsRequest, Registries

    with keepalive_registry(latency=0.01) as registry:
        names = [f"pkg-{n}" for n in range(24)]
        for name in names:
            registry.add_pypi(name, "1.0", __import__("tests.fakes.registry").fakes.registry.at(1))
        with Registries.create(cache=False, workers=4, retries=0, proxies={}) as stack:
            answers = stack.gather([FactsRequest("pypi", name, "1.0", registry.pypi_url) for name in names])
            http = stack.fetcher.http
            assert http is not None
            assert 1 <= http.connections <= 4 and http._pool is not None and http._pool.idle() == http.connections
        assert http._pool.idle() == 0
    assert all(answer.facts.exists is True for answer in answers.values()) and len(answers) == 24
    assert registry.connections == http.connections and len(registry.requests) == 24


def test_a_check_closes_the_connections_it_kept(tmp_path: Path) -> None:
    """The facts stage makes its registry stack and closes it: nothing is left for the garbage collector to find
    open (which Python reports as a ResourceWarning)."""
    from checker.registries.stage import gather_facts
    from checker.model import Dependency
    from checker.policy.load import load_policy

    with keepalive_registry() as registry:
        standard_scenarios(registry)
        policy = load_policy(f"extends: default\nregistries: {{pypi: '{registry.pypi_url}', cache: false}}\n",
                             ".github/lockgate.yml", lambda path: None)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ResourceWarning)
            found = gather_facts([Dependency("pypi", "yanky", "1.1"), Dependency("pypi", "moved", "2.1")],
                                 offline=False, policy=policy, environ={})
            gc.collect()
    assert found[("pypi", "yanky", "1.1")].exists is True
    assert registry.connections >= 1
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


# -- TLS ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_registry(certificates: Certificates) -> Iterator[FakeRegistry]:
    with keepalive_registry(tls=server_context(certificates)) as server:
        standard_scenarios(server)
        yield server


def test_https_with_a_private_ca_named_by_ssl_cert_file(monkeypatch: pytest.MonkeyPatch, tls_registry: FakeRegistry,
                                                        certificates: Certificates) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.authority))
    assert tls_registry.root.startswith("https://127.0.0.1:")
    with client() as http:
        for path in (PAGE, "/npm/tp-pkg", PAGE):
            assert http.get(tls_registry.root + path).status == 200
    assert (tls_registry.handshakes, tls_registry.connections) == (1, 1)


def test_a_certificate_of_an_unknown_ca_is_refused_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                           tls_registry: FakeRegistry) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(make_certificates(tmp_path / "other").authority))
    sleeps = Sleeps()
    with client(sleeps) as http:
        with pytest.raises(RegistryError) as caught:
            http.get(tls_registry.root + PAGE)
        assert http.requests == 1
    assert str(caught.value).startswith("TLS certificate of 127.0.0.1 not accepted: [SSL: CERTIFICATE_VERIFY_FAILED]")
    assert sleeps == [] and tls_registry.handshakes == 0 and tls_registry.requests == []


def test_a_certificate_for_another_name_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    elsewhere = make_certificates(tmp_path / "elsewhere", names=("registry.example",), addresses=())
    monkeypatch.setenv("SSL_CERT_FILE", str(elsewhere.authority))
    with keepalive_registry(tls=server_context(elsewhere)) as server, client() as http:
        with pytest.raises(RegistryError) as caught:
            http.get(server.root + PAGE)
    assert re.fullmatch(r"TLS certificate of 127\.0\.0\.1 not accepted: .*(IP address mismatch|doesn't match).*",
                        str(caught.value)), str(caught.value)


def test_a_tls_handshake_dripping_without_end_is_cut_by_the_watchdog() -> None:
    sleeps = Sleeps()
    with Dripper(TLS_RECORD_HEADER) as dripper, client(sleeps, timeout=0.1, retries=1) as http:
        with pytest.raises(RegistryError) as caught:
            http.get(f"https://127.0.0.1:{dripper.port}/simple/a/")
    assert re.fullmatch(r"(127\.0\.0\.1 did not finish answering within 0\.3 s|no answer from 127\.0\.0\.1 within "
                        r"0\.1 s|could not connect to 127\.0\.0\.1: .*) \(gave up after 2 tries\)",
                        str(caught.value)), str(caught.value)
    assert dripper.connections == 2


def test_a_kept_tls_connection_closed_by_the_server_is_sent_on_again_once_quietly(
        monkeypatch: pytest.MonkeyPatch, certificates: Certificates) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.authority))
    sleeps = Sleeps()
    server = faulty(M("ok"), M("close"), M("ok"))
    server.tls = server_context(certificates)
    with server, client(sleeps) as http:
        http.get(server.root + "/a")
        http.get(server.root + "/b")
        assert http.requests == 2
    assert server.paths() == ["/a", "/b", "/b"]
    assert (server.handshakes, sleeps) == (2, [])


def test_a_registry_answering_no_tls_is_a_connection_failure(fake: FakeRegistry) -> None:
    with client(retries=0) as http:
        with pytest.raises(RegistryError, match=r"^could not connect to 127\.0\.0\.1: .*SSL"):
            http.get(fake.root.replace("http://", "https://") + PAGE)


# -- proxies -----------------------------------------------------------------------------------------------------


def test_https_goes_through_a_tunnel_that_carries_the_proxy_credentials_and_is_kept(
        monkeypatch: pytest.MonkeyPatch, tls_registry: FakeRegistry, certificates: Certificates) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.authority))
    with Proxy() as proxy, client(proxies={"https": f"http://builder:s3cret@127.0.0.1:{proxy.port}"}) as http:
        for _ in range(3):
            assert http.get(tls_registry.root + PAGE).status == 200
    [(line, headers)] = proxy.requests  # one tunnel for the three requests
    assert line == f"CONNECT 127.0.0.1:{tls_registry.port} HTTP/1.0"
    assert headers["proxy-authorization"] == "Basic YnVpbGRlcjpzM2NyZXQ="
    assert all("proxy-authorization" not in h for _, h in tls_registry.requests)  # never past the proxy
    assert tls_registry.handshakes == 1


def test_the_environment_names_the_proxy_and_no_proxy_skips_it(monkeypatch: pytest.MonkeyPatch,
                                                                tls_registry: FakeRegistry,
                                                                certificates: Certificates) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.authority))
    with Proxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        with client(proxies=None) as http:
            assert http.get(tls_registry.root + PAGE).status == 200
        assert len(proxy.requests) == 1
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        with client(proxies=None) as http:
            assert http.get(tls_registry.root + PAGE).status == 200
        assert len(proxy.requests) == 1


def test_plain_http_through_a_proxy_asks_it_for_the_whole_url() -> None:
    with Proxy() as proxy, client(proxies={"http": f"http://builder:s3cret@127.0.0.1:{proxy.port}"}) as http:
        response = http.get("http://registry.example:8080/simple/a/?x=1")
    assert parse_json(response.body, response.url) == {"proxied": "http://registry.example:8080/simple/a/?x=1"}
    [(line, headers)] = proxy.requests
    assert line == "GET http://registry.example:8080/simple/a/?x=1 HTTP/1.1"
    assert headers["proxy-authorization"] == "Basic YnVpbGRlcjpzM2NyZXQ="


def test_a_proxy_dripping_its_tunnel_answer_is_cut_by_the_watchdog() -> None:
    with Proxy(drip_answer=True) as proxy, client(proxies={"https": proxy.url}, timeout=0.1, retries=0) as http:
        with pytest.raises(RegistryError) as caught:
            http.get("https://registry.example/simple/a/")
    assert re.fullmatch(r"(registry\.example did not finish answering within 0\.3 s|no answer from registry\.example "
                        r"within 0\.1 s|could not connect to registry\.example: .*) \(gave up after 1 try\)",
                        str(caught.value)), str(caught.value)


def test_not_found_through_a_kept_connection(fake: FakeRegistry) -> None:
    with client() as http:
        http.get(fake.root + PAGE)
        with pytest.raises(NotFound):
            http.get(fake.root + "/simple/no-such-project/")
        http.get(fake.root + PAGE)
    assert fake.connections == 2


# -- the benchmark -------------------------------------------------------------------------------------------------


def test_the_tls_benchmark_measures_what_it_says() -> None:
    """benchmarks/tls_registry.py at a tiny size: every package answered over TLS by both clients, today's with a
    handshake per request, the pooled one with at most one per worker (no figure is asserted)."""
    import sys

    benchmarks = Path(__file__).resolve().parents[2] / "benchmarks"
    if str(benchmarks) not in sys.path:
        sys.path.insert(0, str(benchmarks))
    from tls_registry import measure_tls

    figures = measure_tls(packages=6, latency=0.0, runs=1)
    pooled = figures.pooled
    assert (pooled.requests, pooled.known) == (6, 6) and 1 <= pooled.handshakes <= 6
    if figures.today is not None:  # the baseline commit is in this clone
        assert (figures.today.requests, figures.today.handshakes, figures.today.known) == (6, 6, 6)
    else:
        assert figures.note.startswith("today's client not measured")


# -- what http.client refuses to write -------------------------------------------------------------------------


def test_a_url_http_client_refuses_is_an_error_that_quotes_no_secret(fake: FakeRegistry) -> None:
    sleeps = Sleeps()
    with client(sleeps) as http:
        with pytest.raises(RegistryError) as caught:
            http.get(fake.root + "/simple/a b/?token=S3cretQuery")
    assert str(caught.value) == f"refusing to fetch {fake.root}/simple/a b/?token=***: a space or a control " \
                                "character in the URL"
    assert sleeps == [] and fake.requests == []


def test_a_token_with_a_line_break_is_refused_without_quoting_it(fake: FakeRegistry) -> None:
    """A token expanded from an environment variable that holds two lines: http.client refuses the header and
    would quote it; lockgate says what is wrong without it, and sends nothing."""
    with client(credentials={fake.root + "/": "Bearer first-line\nsecond-line-S3cret"}) as http:
        with pytest.raises(RegistryError) as caught:
            http.get(fake.root + PAGE)
    assert str(caught.value) == ("refusing to send the request to 127.0.0.1: a header holds a line break or a "
                                 "control character (a token read from the environment?)")
    assert fake.requests == []
