"""The pub client (checker/registries/pubdev.py) against a fake pub repository (tests/fakes/pubdev.py): publish
times, retracted and missing versions, archive_sha256 as the published hash, failures and the cache, and what the
rules make of its answers (a pubspec.lock sha256 the repository never published blocks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.model import UNKNOWN, Dependency
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient
from checker.registries.pubdev import ACCEPT, PubClient
from tests.fakes.pubdev import FakePub, archive_sha256
from tests.fakes.registry import Fault
from tests.registries.judged import judged

PUBLISHED = dt.datetime(2026, 2, 1, 10, 0, 0, 123000, tzinfo=dt.timezone.utc)


@pytest.fixture
def fake() -> Iterator[FakePub]:
    with FakePub() as server:
        server.add("http", "1.2.0", PUBLISHED)
        server.add("http", "1.2.1", PUBLISHED, retracted=True)
        server.add("old_pkg", "0.1.0", PUBLISHED, discontinued="new_pkg")
        server.add("mirror_pkg", "1.0.0", PUBLISHED, sha256=None)
        yield server


def client(fake: FakePub, tmp_path: Path, *, offline: bool = False) -> PubClient:
    http = None if offline else HttpClient(timeout=2.0, retries=1, sleep=lambda s: None, proxies={})
    return PubClient(Fetcher(http, Cache(tmp_path / "cache"), offline=offline), fake.root)


def test_a_published_version(fake: FakePub, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("http", "1.2.0")
    assert (facts.exists, facts.yanked, facts.release_time) == (True, False, PUBLISHED)
    assert facts.hashes == frozenset({"sha256:" + archive_sha256("http", "1.2.0")})
    (path, headers), = fake.requests
    assert path == "/api/packages/http" and headers["accept"] == ACCEPT


def test_retracted_discontinued_and_no_published_digest(fake: FakePub, tmp_path: Path) -> None:
    pub = client(fake, tmp_path)
    retracted = pub.facts("http", "1.2.1")
    assert (retracted.exists, retracted.yanked, retracted.yanked_reason) == (True, True, "retracted")
    assert pub.facts("old_pkg", "0.1.0").deprecated == "discontinued, replaced by new_pkg"
    unknown = pub.facts("mirror_pkg", "1.0.0")
    assert unknown.hashes is UNKNOWN and "archive_sha256" in (unknown.reason or "")


def test_a_missing_package_and_a_missing_version(fake: FakePub, tmp_path: Path) -> None:
    pub = client(fake, tmp_path)
    assert pub.facts("no_such", "1.0.0").exists is False
    version = pub.facts("http", "9.9.9")
    assert version.exists is False and "lists no version 9.9.9" in (version.reason or "")


def test_malformed_json_and_server_errors(fake: FakePub, tmp_path: Path) -> None:
    fake.fail("/api/packages/http", Fault("truncate"), Fault("truncate"), Fault("status", 502))
    pub = client(fake, tmp_path)
    assert pub.facts("http", "1.2.0").exists is UNKNOWN
    fake.fail("/api/packages/old_pkg", Fault("status", 503))
    assert pub.facts("old_pkg", "0.1.0").exists is True  # retried


def test_offline_answers_from_the_cache_only(fake: FakePub, tmp_path: Path) -> None:
    assert client(fake, tmp_path).facts("http", "1.2.0").exists is True
    offline = client(fake, tmp_path, offline=True)
    assert offline.cached("http") and not offline.cached("old_pkg")
    assert offline.facts("http", "1.2.0").release_time == PUBLISHED
    assert offline.facts("old_pkg", "0.1.0").exists is UNKNOWN


def _lock_dep(name: str, version: str, digest: str) -> Dependency:
    return Dependency("pub", name, version, hashes=frozenset({"sha256:" + digest}), manifest="pubspec.lock", line=4,
                      direct=False)


def test_a_lock_digest_the_repository_never_published_blocks(fake: FakePub, tmp_path: Path) -> None:
    pub = client(fake, tmp_path)
    good = _lock_dep("http", "1.2.0", archive_sha256("http", "1.2.0"))
    assert judged(good, pub.facts("http", "1.2.0"), "pubspec-lock") == []
    bad = _lock_dep("http", "1.2.0", "0" * 64)
    [(rule, level, unknown, message)] = judged(bad, pub.facts("http", "1.2.0"), "pubspec-lock")
    assert (rule, level, unknown) == ("hash-mismatch", "block", False)
    assert "not among the hashes" in message
    found = judged(_lock_dep("http", "1.2.1", archive_sha256("http", "1.2.1")), pub.facts("http", "1.2.1"),
                   "pubspec-lock")
    assert [(r, lvl) for r, lvl, _, _ in found] == [("version-exists", "warn")]
