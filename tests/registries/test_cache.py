"""The on-disk cache (checker/registries/cache.py) and the fetcher on top of it (checker/registries/fetch.py): where
it lives, atomic and concurrent writes, the size bound, TTL, ETag revalidation (304), offline mode, stale copies
when the registry fails, and one fetch per document per run."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.registries.cache import Cache, default_directory
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient, NotFound, RegistryError
from tests.fakes.registry import Fault, FakeRegistry, at, standard_scenarios

ACCEPT = "application/vnd.pypi.simple.v1+json"
PAGE = "/simple/yanky/"


class Clock:
    """Epoch seconds that tests move by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with FakeRegistry() as server:
        standard_scenarios(server)
        yield server


def http(**options: object) -> HttpClient:
    settings: dict[str, object] = {"proxies": {}, "sleep": lambda s: None, "timeout": 5.0, "retries": 1}
    settings.update(options)
    return HttpClient(**settings)  # type: ignore[arg-type]


def fetcher(tmp_path: Path, clock: Clock, *, offline: bool = False, ttl: float = 600, **options: object) -> Fetcher:
    return Fetcher(None if offline else http(**options), Cache(tmp_path / "cache", clock=clock), offline=offline,
                   ttl=ttl, clock=clock)


# -- where ------------------------------------------------------------------------------------------------------


def test_the_cache_directory_follows_the_environment(tmp_path: Path) -> None:
    home = Path.home()
    assert default_directory({"LOCKGATE_CACHE_DIR": str(tmp_path / "x"), "XDG_CACHE_HOME": "/xdg"}) == str(tmp_path / "x")
    assert default_directory({"LOCKGATE_CACHE_DIR": "~/lg"}) == str(home / "lg")
    assert default_directory({"XDG_CACHE_HOME": "/xdg"}) == "/xdg/lockgate"
    assert default_directory({"XDG_CACHE_HOME": "relative/dir"}) == str(home / ".cache" / "lockgate")
    assert default_directory({}) == str(home / ".cache" / "lockgate")


# -- storing ----------------------------------------------------------------------------------------------------


def test_put_and_get_by_url_and_accept(tmp_path: Path) -> None:
    cache = Cache(tmp_path, clock=Clock(100.0))
    cache.put("https://i.example/simple/a/", ACCEPT, b'{"a": 1}', etag='"e1"', last_modified="Wed, 01 Jan 2025 00:00:00 GMT",
              content_type=ACCEPT)
    entry = cache.get("https://i.example/simple/a/", ACCEPT)
    assert entry is not None
    assert (entry.body, entry.etag, entry.last_modified, entry.stored_at, entry.content_type) == (
        b'{"a": 1}', '"e1"', "Wed, 01 Jan 2025 00:00:00 GMT", 100.0, ACCEPT)
    assert cache.get("https://i.example/simple/a/", "application/json") is None  # Accept is part of the key
    assert cache.get("https://i.example/simple/b/", ACCEPT) is None


def test_credentials_in_a_url_are_not_written_to_disk(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("https://bob:pa55word@i.example/simple/a/?token=t0psecret", ACCEPT, b"{}")
    assert cache.get("https://bob:pa55word@i.example/simple/a/?token=t0psecret", ACCEPT) is not None
    stored = b"".join(p.read_bytes() for p in (tmp_path / "http-v1").rglob("*") if p.is_file())
    assert b"pa55word" not in stored and b"t0psecret" not in stored and b"i.example/simple/a/" in stored


def test_files_are_private(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("https://i.example/x", ACCEPT, b"{}")
    (path,) = [p for p in (tmp_path / "http-v1").rglob("*") if p.is_file()]
    assert path.stat().st_mode & 0o077 == 0
    assert path.parent.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("damage", [
    lambda raw: raw[: len(raw) - 3],  # body shorter than the header says
    lambda raw: b"not a header\n" + raw,
    lambda raw: raw.replace(b'"url":"https://i.example/x"', b'"url":"https://other.example/x"'),
    lambda raw: b"",
])
def test_a_corrupt_entry_is_a_miss_and_is_removed(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = Cache(tmp_path)
    cache.put("https://i.example/x", ACCEPT, b'{"ok": true}')
    (path,) = [p for p in (tmp_path / "http-v1").rglob("*") if p.is_file()]
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get("https://i.example/x", ACCEPT) is None
    assert not path.exists()


def test_concurrent_writers_leave_complete_entries(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    bodies = [json.dumps({"writer": n, "pad": "x" * (1000 * n)}).encode() for n in range(8)]
    seen: list[bytes] = []
    errors: list[BaseException] = []

    def write(body: bytes) -> None:
        try:
            for _ in range(40):
                Cache(tmp_path).put("https://i.example/same", ACCEPT, body)
                entry = cache.get("https://i.example/same", ACCEPT)
                if entry is not None:
                    seen.append(entry.body)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=write, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert seen and set(seen) <= set(bodies)  # never half of one, never a mix
    leftovers = [p.name for p in (tmp_path / "http-v1").rglob(".tmp-*")]
    assert leftovers == []


def test_the_total_size_is_bounded_oldest_first(tmp_path: Path) -> None:
    clock = Clock(0.0)
    cache = Cache(tmp_path, max_bytes=20_000, clock=clock)
    for n in range(40):
        clock.now = float(n)
        cache.put(f"https://i.example/{n}", ACCEPT, b"x" * 1000)
        os.utime(cache._path(f"https://i.example/{n}", ACCEPT), (n, n))  # mtimes in write order, whatever the file system's resolution
    assert cache.total_bytes() <= 20_000
    assert cache.get("https://i.example/39", ACCEPT) is not None
    assert cache.get("https://i.example/0", ACCEPT) is None


def test_an_unwritable_cache_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "http-v1").write_text("a file where the directory should be")
    cache = Cache(tmp_path)
    entry = cache.put("https://i.example/x", ACCEPT, b"{}")
    assert entry.body == b"{}" and cache.get("https://i.example/x", ACCEPT) is None


# -- fetching -----------------------------------------------------------------------------------------------------


def test_a_fresh_entry_is_used_without_asking(fake: FakeRegistry, tmp_path: Path) -> None:
    clock = Clock()
    first = fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    assert first.origin == "network" and first.live
    clock.now += 599
    again = fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)  # a new run, same cache
    assert again.origin == "cache" and not again.live and again.data == first.data
    assert fake.count(PAGE) == 1


def test_an_expired_entry_is_revalidated_with_its_etag(fake: FakeRegistry, tmp_path: Path) -> None:
    clock = Clock()
    fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    etag = fake.requests[0][1].get("if-none-match")
    assert etag is None
    clock.now += 601
    document = fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    assert document.origin == "revalidated" and document.fetched_at == clock.now
    second = fake.requests[1][1]
    assert second["if-none-match"].startswith('"') and second["if-modified-since"] == "Wed, 01 Jan 2025 00:00:00 GMT"
    clock.now += 599  # the 304 renewed the entry
    assert fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT).origin == "cache"
    assert fake.count(PAGE) == 2


def test_a_changed_document_replaces_the_entry(fake: FakeRegistry, tmp_path: Path) -> None:
    clock = Clock()
    fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    fake.add_pypi("yanky", "1.2", at(9))
    clock.now += 601
    document = fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    assert document.origin == "network"
    assert "1.2" in document.data["versions"]  # type: ignore[index]


def test_refresh_skips_a_fresh_entry(fake: FakeRegistry, tmp_path: Path) -> None:
    clock = Clock()
    fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    document = fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT, refresh=True)
    assert document.origin == "revalidated"
    assert fake.count(PAGE) == 2


def test_offline_serves_the_cache_and_flags_old_entries(fake: FakeRegistry, tmp_path: Path) -> None:
    clock = Clock()
    fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    clock.now += 60
    assert fetcher(tmp_path, clock, offline=True).json(fake.root + PAGE, accept=ACCEPT).origin == "cache"
    clock.now += 3600
    stale = fetcher(tmp_path, clock, offline=True).json(fake.root + PAGE, accept=ACCEPT)
    assert stale.stale and stale.note == "offline: using the cached copy from 2027-01-15 08:00 UTC"
    with pytest.raises(RegistryError) as caught:
        fetcher(tmp_path, clock, offline=True).json(fake.root + "/simple/moved/", accept=ACCEPT)
    assert str(caught.value) == f"offline, not cached: {fake.root}/simple/moved/"
    assert fake.count(PAGE) == 1 and fake.count("/simple/moved/") == 0


def test_a_failing_registry_falls_back_to_a_stale_copy(fake: FakeRegistry, tmp_path: Path) -> None:
    clock = Clock()
    fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    clock.now += 7200
    fake.fail(PAGE, Fault("status", 502), Fault("status", 502))
    document = fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    assert document.stale
    assert document.note == (f"HTTP 502 from {fake.root}{PAGE} (gave up after 2 tries); using the cached copy from "
                             "2027-01-15 08:00 UTC")


def test_a_failing_registry_without_a_copy_is_an_error(fake: FakeRegistry, tmp_path: Path) -> None:
    fake.fail(PAGE, Fault("status", 500), Fault("status", 500))
    with pytest.raises(RegistryError, match="HTTP 500"):
        fetcher(tmp_path, Clock()).json(fake.root + PAGE, accept=ACCEPT)


def test_a_404_is_never_papered_over_by_the_cache(fake: FakeRegistry, tmp_path: Path) -> None:
    clock = Clock()
    fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    del fake.pypi["yanky"]
    clock.now += 7200
    with pytest.raises(NotFound):
        fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)


def test_invalid_json_is_not_cached(fake: FakeRegistry, tmp_path: Path) -> None:
    clock = Clock()
    fake.fail(PAGE, Fault("truncate"))
    with pytest.raises(RegistryError, match="invalid JSON"):
        fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    assert Cache(tmp_path / "cache").get(fake.root + PAGE, ACCEPT) is None
    assert fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT).origin == "network"


def test_an_unexpected_content_type_is_an_error(fake: FakeRegistry, tmp_path: Path) -> None:
    fake.fail(PAGE, Fault("html"))
    with pytest.raises(RegistryError) as caught:
        fetcher(tmp_path, Clock()).json(fake.root + PAGE, accept=ACCEPT, content_types=(ACCEPT,))
    assert str(caught.value) == f"{fake.root}{PAGE} answered text/html, not {ACCEPT}"


def test_one_fetch_per_document_per_run_even_concurrently(tmp_path: Path) -> None:
    with FakeRegistry(latency=0.2) as slow:
        standard_scenarios(slow)
        shared = fetcher(tmp_path, Clock(), ttl=0)
        results: list[object] = []
        threads = [threading.Thread(target=lambda: results.append(shared.json(slow.root + PAGE, accept=ACCEPT).data))
                   for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 8 and all(r == results[0] for r in results)
        assert slow.count(PAGE) == 1


def test_errors_are_remembered_for_the_run(fake: FakeRegistry, tmp_path: Path) -> None:
    shared = fetcher(tmp_path, Clock())
    fake.fail(PAGE, *[Fault("status", 500)] * 4)
    for _ in range(3):
        with pytest.raises(RegistryError):
            shared.json(fake.root + PAGE, accept=ACCEPT)
    assert fake.count(PAGE) == 2  # one try and one retry, once


def test_an_online_fetcher_needs_a_client(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Fetcher(None, Cache(tmp_path))


def test_peek_never_touches_the_network(fake: FakeRegistry, tmp_path: Path) -> None:
    clock = Clock()
    assert fetcher(tmp_path, clock).peek(fake.root + PAGE, accept=ACCEPT) is None  # not cached
    fetcher(tmp_path, clock).json(fake.root + PAGE, accept=ACCEPT)
    later = fetcher(tmp_path, clock)
    peeked = later.peek(fake.root + PAGE, accept=ACCEPT)
    assert peeked is not None and peeked.origin == "cache"
    assert later.json(fake.root + PAGE, accept=ACCEPT) is peeked  # remembered for the run
    clock.now += 601
    assert fetcher(tmp_path, clock).peek(fake.root + PAGE, accept=ACCEPT) is None  # expired: needs the registry
    offline = fetcher(tmp_path, clock, offline=True).peek(fake.root + PAGE, accept=ACCEPT)
    assert offline is not None and offline.stale
    assert fetcher(tmp_path, clock).peek(fake.root + PAGE, accept=ACCEPT, content_types=("text/html",)) is None
    assert fake.count(PAGE) == 1
