"""The HTTP helper (checker/registries/http.py) against the fake registry on 127.0.0.1: retries and backoff,
Retry-After, timeouts, the time budget, size limits, gzip, redirects and credentials, and redaction."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
import socket
from collections.abc import Iterator

import pytest

from checker.registries.http import HttpClient, NotFound, RegistryError, Response, _Redirect, parse_json, redact_url
from tests.fakes.osv import FakeOsv
from tests.fakes.registry import Fault, FakeRegistry, standard_scenarios

PAGE = "/simple/yanky/"


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with FakeRegistry() as server:
        standard_scenarios(server)
        yield server


class Sleeps(list):
    """An injected sleep that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(sleeps: Sleeps | None = None, **options: object) -> HttpClient:
    settings: dict[str, object] = {"proxies": {}, "sleep": sleeps if sleeps is not None else Sleeps(),
                                   "rng": random.Random(7), "timeout": 5.0}
    settings.update(options)
    return HttpClient(**settings)  # type: ignore[arg-type]


def test_a_plain_get_sends_the_headers_and_returns_the_body(fake: FakeRegistry) -> None:
    response = client().get(fake.root + PAGE, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    assert response.status == 200
    assert response.content_type == "application/vnd.pypi.simple.v1+json"
    assert response.header("ETag") == response.headers["etag"]
    assert parse_json(response.body, response.url)["name"] == "yanky"  # type: ignore[index]
    (_, headers), = fake.requests
    assert headers["accept"] == "application/vnd.pypi.simple.v1+json"
    assert headers["accept-encoding"] == "gzip"
    assert headers["user-agent"].startswith("lockgate/")
    assert "authorization" not in headers


def test_500s_then_success_backs_off_exponentially_with_jitter(fake: FakeRegistry) -> None:
    sleeps = Sleeps()
    fake.fail(PAGE, Fault("status", 500), Fault("status", 502), Fault("status", 503))
    response = client(sleeps, backoff=0.5, retries=3).get(fake.root + PAGE)
    assert response.status == 200
    assert fake.count(PAGE) == 4
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps, start=1):
        ceiling = 0.5 * 2 ** (attempt - 1)
        assert ceiling / 2 <= delay <= ceiling
    assert len(set(sleeps)) == 3  # jittered, not a fixed schedule


def test_backoff_is_capped(fake: FakeRegistry) -> None:
    sleeps = Sleeps()
    fake.fail(PAGE, *[Fault("status", 500)] * 5)
    client(sleeps, backoff=1.0, max_backoff=2.0, retries=5).get(fake.root + PAGE)
    assert all(delay <= 2.0 for delay in sleeps) and max(sleeps) > 1.0


def test_429_waits_exactly_what_retry_after_says(fake: FakeRegistry) -> None:
    sleeps = Sleeps()
    fake.fail(PAGE, Fault("status", 429, {"Retry-After": "2"}))
    assert client(sleeps).get(fake.root + PAGE).status == 200
    assert sleeps == [2.0]


def test_retry_after_as_an_http_date(fake: FakeRegistry) -> None:
    sleeps = Sleeps()
    now = dt.datetime(2026, 3, 20, 10, 0, 0, tzinfo=dt.timezone.utc)
    when = email.utils.format_datetime(now + dt.timedelta(seconds=7), usegmt=True)
    fake.fail(PAGE, Fault("status", 503, {"Retry-After": when}))
    assert client(sleeps, wall=now.timestamp).get(fake.root + PAGE).status == 200
    assert sleeps == [7.0]


def test_a_retry_after_beyond_the_cap_fails_at_once(fake: FakeRegistry) -> None:
    sleeps = Sleeps()
    fake.fail(PAGE, Fault("status", 429, {"Retry-After": "3600"}))
    with pytest.raises(RegistryError) as caught:
        client(sleeps, max_retry_after=30).get(fake.root + PAGE)
    assert str(caught.value) == (f"HTTP 429 from {fake.root}{PAGE}: the server asks to wait 3600 s, more than the "
                                 "30 s lockgate waits")
    assert caught.value.status == 429
    assert sleeps == [] and fake.count(PAGE) == 1


def test_retries_are_bounded(fake: FakeRegistry) -> None:
    fake.fail(PAGE, *[Fault("status", 500)] * 10)
    with pytest.raises(RegistryError) as caught:
        client(retries=2).get(fake.root + PAGE)
    assert str(caught.value) == f"HTTP 500 from {fake.root}{PAGE} (gave up after 3 tries)"
    assert fake.count(PAGE) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 406])
def test_client_errors_are_not_retried(fake: FakeRegistry, status: int) -> None:
    fake.fail(PAGE, Fault("status", status))
    with pytest.raises(RegistryError) as caught:
        client().get(fake.root + PAGE)
    assert not isinstance(caught.value, NotFound)
    assert str(caught.value) == f"HTTP {status} from {fake.root}{PAGE}"
    assert fake.count(PAGE) == 1


def test_404_is_not_found_and_not_retried(fake: FakeRegistry) -> None:
    with pytest.raises(NotFound) as caught:
        client().get(fake.root + "/simple/no-such-project/")
    assert caught.value.status == 404
    assert fake.count("/simple/no-such-project/") == 1


def test_a_slow_endpoint_times_out_and_is_retried(fake: FakeRegistry) -> None:
    sleeps = Sleeps()
    fake.fail(PAGE, Fault("slow", seconds=1.0), Fault("slow", seconds=1.0))
    with pytest.raises(RegistryError) as caught:
        client(sleeps, timeout=0.2, retries=1).get(fake.root + PAGE)
    assert str(caught.value) == "no answer from 127.0.0.1 within 0.2 s (gave up after 2 tries)"
    assert len(sleeps) == 1


def test_a_timeout_then_an_answer(fake: FakeRegistry) -> None:
    fake.fail(PAGE, Fault("slow", seconds=1.0))
    assert client(timeout=0.2, retries=1).get(fake.root + PAGE).status == 200


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    with pytest.raises(RegistryError) as caught:
        client(sleeps, retries=2).get(f"http://127.0.0.1:{port}/simple/x/")
    assert str(caught.value).startswith("could not connect to 127.0.0.1: ")
    assert str(caught.value).endswith("(gave up after 3 tries)")
    assert len(sleeps) == 2


def test_a_body_cut_short_is_retried(fake: FakeRegistry) -> None:
    fake.fail(PAGE, Fault("short"))
    assert client().get(fake.root + PAGE).status == 200
    assert fake.count(PAGE) == 2


def test_a_body_cut_short_every_time_is_reported(fake: FakeRegistry) -> None:
    fake.fail(PAGE, Fault("short"), Fault("short"))
    with pytest.raises(RegistryError) as caught:
        client(retries=1).get(fake.root + PAGE)
    assert str(caught.value) == "connection to 127.0.0.1 closed after 14 of 100000 bytes (gave up after 2 tries)"


def test_truncated_json_is_reported_as_such(fake: FakeRegistry) -> None:
    fake.fail(PAGE, Fault("truncate"))
    response = client().get(fake.root + PAGE)
    with pytest.raises(RegistryError) as caught:
        parse_json(response.body, response.url)
    assert str(caught.value).startswith(f"invalid JSON from {fake.root}{PAGE}: ")
    assert str(caught.value).endswith("; the body ends early: truncated?)")


def test_json_nested_absurdly_deep_is_an_error_not_a_crash() -> None:
    with pytest.raises(RegistryError, match="nested too deeply"):
        parse_json(b"[" * 200_000, "https://example.invalid/x")


def test_an_oversized_body_is_refused_from_its_content_length(fake: FakeRegistry) -> None:
    fake.fail(PAGE, Fault("oversize", size=5000))
    with pytest.raises(RegistryError) as caught:
        client(max_bytes=1000).get(fake.root + PAGE)
    assert str(caught.value) == f"response from {fake.root}{PAGE} is 5011 bytes, more than the 1000 bytes lockgate accepts"
    assert fake.count(PAGE) == 1


def test_a_per_request_limit_overrides_the_default(fake: FakeRegistry) -> None:
    with pytest.raises(RegistryError, match="more than the 100 bytes"):
        client().get(fake.root + PAGE, max_bytes=100)


def test_gzip_is_decoded(fake: FakeRegistry) -> None:
    fake.gzip = True
    response = client().get(fake.root + PAGE)
    assert parse_json(response.body, response.url)["name"] == "yanky"  # type: ignore[index]


def test_a_gzip_bomb_stops_at_the_limit(fake: FakeRegistry) -> None:
    fake.fail(PAGE, Fault("bomb", size=50 * 1024 * 1024))
    with pytest.raises(RegistryError) as caught:
        client(max_bytes=1024 * 1024).get(fake.root + PAGE)
    assert str(caught.value) == f"response from {fake.root}{PAGE} is larger than the 1 MiB lockgate accepts"


def test_the_time_budget_stops_requests(fake: FakeRegistry) -> None:
    with pytest.raises(RegistryError) as caught:
        client(budget_seconds=0).get(fake.root + PAGE)
    assert str(caught.value) == f"registry time budget of 0 s used up before {fake.root}{PAGE}"
    assert fake.requests == []


def test_no_retry_when_the_wait_would_pass_the_budget(fake: FakeRegistry) -> None:
    fake.fail(PAGE, Fault("status", 503, {"Retry-After": "20"}))
    with pytest.raises(RegistryError) as caught:
        client(budget_seconds=5).get(fake.root + PAGE)
    assert str(caught.value) == f"HTTP 503 from {fake.root}{PAGE}; no time left to retry (registry time budget 5 s)"


def test_only_http_and_https() -> None:
    with pytest.raises(RegistryError, match="only http and https URLs"):
        client().get("file:///etc/passwd")


# -- credentials and redaction ---------------------------------------------------------------------------------

TOKEN = "npm_S3cr3tT0kenValue"


def test_a_token_in_an_error_body_and_reason_never_reaches_the_message(fake: FakeRegistry,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lockgate.registries")
    fake.fail(PAGE, Fault("echo", 500), Fault("echo", 500), Fault("echo", 401))
    http = client(credentials={fake.root + "/": f"Bearer {TOKEN}"}, retries=3)
    with pytest.raises(RegistryError) as caught:
        http.get(fake.root + PAGE)
    assert [h["authorization"] for _, h in fake.requests] == [f"Bearer {TOKEN}"] * 3  # the server did get it
    assert str(caught.value) == f"HTTP 401 from {fake.root}{PAGE}"
    for text in (str(caught.value), repr(caught.value), caught.value.url, caplog.text):
        assert TOKEN not in text


def test_a_token_in_the_url_is_redacted_everywhere(fake: FakeRegistry, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lockgate.registries")
    secret = "hunter2-password"
    host = fake.root.removeprefix("http://")
    fake.fail(PAGE, *[Fault("echo", 503)] * 3)
    with pytest.raises(RegistryError) as caught:
        client(retries=2).get(f"http://builder:{secret}@{host}{PAGE}?token={TOKEN}")
    assert fake.requests[0][1]["authorization"].startswith("Basic ")
    assert str(caught.value) == f"HTTP 503 from {fake.root}{PAGE}?token=*** (gave up after 3 tries)"
    for text in (str(caught.value), caplog.text):
        assert secret not in text and TOKEN not in text and "builder:" not in text


def test_a_token_embedded_in_the_path_is_redacted_once_registered(fake: FakeRegistry) -> None:
    http = client()
    http.add_secret("pathT0ken42")
    with pytest.raises(NotFound) as caught:
        http.get(fake.root + "/pathT0ken42/simple/x/")
    assert str(caught.value) == f"HTTP 404 from {fake.root}/***/simple/x/"
    assert caught.value.url == f"{fake.root}/***/simple/x/"


def test_credentials_go_only_to_their_origin_even_across_redirects(fake: FakeRegistry) -> None:
    with FakeRegistry() as other:
        standard_scenarios(other)
        fake.fail(PAGE, Fault("redirect", 302, location=other.root + PAGE))
        response = client(credentials={fake.root + "/": f"Bearer {TOKEN}"}).get(fake.root + PAGE)
        assert response.status == 200 and response.url == other.root + PAGE
        assert fake.requests[0][1]["authorization"] == f"Bearer {TOKEN}"
        assert "authorization" not in other.requests[0][1]


def test_a_same_origin_redirect_keeps_the_credentials(fake: FakeRegistry) -> None:
    fake.fail("/old/", Fault("redirect", 301, location=PAGE))
    client(credentials={"//127.0.0.1/": "Bearer x"}).get(fake.root + "/old/")  # scheme-less .npmrc style, no port
    assert "authorization" not in fake.requests[0][1]  # the port is part of the origin
    fake.requests.clear()
    fake.fail("/old/", Fault("redirect", 301, location=PAGE))
    host = fake.root.removeprefix("http://")
    client(credentials={f"//{host}/": "Bearer abcd"}).get(fake.root + "/old/")
    assert [h.get("authorization") for _, h in fake.requests] == ["Bearer abcd", "Bearer abcd"]


def test_the_longest_credential_prefix_wins(fake: FakeRegistry) -> None:
    credentials = {fake.root + "/": "Bearer general", fake.root + "/simple/": "Bearer specific"}
    client(credentials=credentials).get(fake.root + PAGE)
    assert fake.requests[0][1]["authorization"] == "Bearer specific"


def test_an_https_page_may_not_redirect_to_http() -> None:
    http = client()
    http._once = lambda url, headers, auth, limit, call: _Redirect("http://mirror.example/simple/x/", 302)  # type: ignore[method-assign]
    with pytest.raises(RegistryError) as caught:
        http.get("https://index.example/simple/x/")
    assert str(caught.value) == ("https://index.example/simple/x/ redirects to http://mirror.example/simple/x/: "
                                 "refusing to leave https")


def test_redirect_loops_end() -> None:
    http = client()
    http._once = lambda url, headers, auth, limit, call: _Redirect(url, 302)  # type: ignore[method-assign]
    with pytest.raises(RegistryError, match="more than 5 redirects"):
        http.get("https://index.example/simple/x/")


def test_redact_url() -> None:
    assert redact_url("https://u:p@h.example:8443/a/b?token=x&plain") == "https://h.example:8443/a/b?token=***&plain"


def test_a_304_is_an_answer(fake: FakeRegistry) -> None:
    etag = client().get(fake.root + PAGE).header("etag")
    assert etag
    response = client().get(fake.root + PAGE, headers={"If-None-Match": etag})
    assert isinstance(response, Response) and response.status == 304 and response.body == b""


# -- POST (OSV's querybatch) -----------------------------------------------------------------------------------------

QUERY = b'{"queries": [{"package": {"ecosystem": "PyPI", "name": "litellm"}, "version": "1.82.8"}]}'


def test_a_post_sends_its_body_and_is_retried_like_a_get() -> None:
    sleeps = Sleeps()
    with FakeOsv() as osv:
        osv.add_fixtures()
        osv.fail("/v1/querybatch", Fault("status", 503), Fault("status", 429, headers={"Retry-After": "2"}))
        response = client(sleeps).post(osv.url + "/v1/querybatch", QUERY)
        assert parse_json(response.body, "x") == {"results": [{"vulns": [{"id": "MAL-2026-2144",
                                                                          "modified": "2026-03-26T09:53:17Z"}]}]}
        assert [(m, body) for m, _, body in osv.requests] == [("POST", QUERY)] * 3
        assert sleeps[1] == 2.0


def test_a_post_follows_only_redirects_that_keep_it_a_post() -> None:
    with FakeOsv() as osv:
        osv.add_fixtures()
        osv.fail("/v1/querybatch", Fault("redirect", 307, location="/v1/querybatch"))
        assert client().post(osv.url + "/v1/querybatch", QUERY).status == 200
        assert [(m, body) for m, _, body in osv.requests] == [("POST", QUERY)] * 2
        osv.fail("/v1/querybatch", Fault("redirect", 302, location="/elsewhere"))
        with pytest.raises(RegistryError) as caught:
            client().post(osv.url + "/v1/querybatch", QUERY)
        assert str(caught.value).endswith("answered POST with a 302 redirect to " + osv.url + "/elsewhere: only 307 and "
                                          "308 keep a POST")

