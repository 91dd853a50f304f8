"""The NuGet client (checker/registries/nuget.py) against a fake v3 feed (tests/fakes/nuget.py): the service
index, inlined and paged registrations, versions matched as NuGet compares them, unlisted versions, a missing
package or version, failures and the cache, and what the rules make of its answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.model import UNKNOWN, Dependency
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient
from checker.registries.nuget import NugetClient
from tests.fakes.nuget import REGISTRATION, FakeNuget
from tests.fakes.registry import Fault
from tests.registries.judged import NOW, judged

PUBLISHED = dt.datetime(2026, 2, 1, 10, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def fake() -> Iterator[FakeNuget]:
    with FakeNuget() as server:
        server.add("Newtonsoft.Json", "13.0.1", PUBLISHED)
        server.add("Newtonsoft.Json", "13.0.3", PUBLISHED + dt.timedelta(days=30))
        server.add("Old.Thing", "1.0.0", None, listed=False)
        server.add("Legacy.Lib", "2.0.0", PUBLISHED, deprecated="use New.Lib")
        server.add("Big.Package", "1.0.0", PUBLISHED, paged=True)
        server.add("Big.Package", "1.0.1-Beta.2", PUBLISHED, paged=True)
        yield server


def client(fake: FakeNuget, tmp_path: Path, *, offline: bool = False) -> NugetClient:
    http = None if offline else HttpClient(timeout=2.0, retries=1, sleep=lambda s: None, proxies={})
    return NugetClient(Fetcher(http, Cache(tmp_path / "cache"), offline=offline), fake.index_url)


def test_a_listed_version(fake: FakeNuget, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("Newtonsoft.Json", "13.0.1")
    assert (facts.exists, facts.yanked, facts.release_time, facts.license) == (True, False, PUBLISHED, "MIT")
    assert facts.hashes == frozenset()  # the registration publishes no package hash
    assert facts.reason is None
    # the service index once, then the SemVer 2.0.0 registration of the lower-cased id
    assert fake.paths() == ["/v3/index.json", f"{REGISTRATION}newtonsoft.json/index.json"]


def test_ids_and_versions_compare_as_nuget_compares_them(fake: FakeNuget, tmp_path: Path) -> None:
    nuget = client(fake, tmp_path)
    assert nuget.facts("NEWTONSOFT.JSON", "13.0.1.0").exists is True  # 13.0.1.0 is 13.0.1
    assert nuget.facts("big.package", "1.0.1-beta.2").exists is True  # labels ignore case


def test_a_paged_registration_fetches_the_page(fake: FakeNuget, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("Big.Package", "1.0.0")
    assert facts.exists is True and facts.release_time == PUBLISHED
    assert f"{REGISTRATION}big.package/page/1.0.0/1.0.1-Beta.2.json" in fake.paths()


def test_an_unlisted_version_exists_and_is_reported_as_yanked(fake: FakeNuget, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("Old.Thing", "1.0.0")
    assert (facts.exists, facts.yanked, facts.yanked_reason, facts.release_time) == (True, True, "unlisted", UNKNOWN)
    assert "unlisted" in (facts.reason or "")


def test_deprecation(fake: FakeNuget, tmp_path: Path) -> None:
    assert client(fake, tmp_path).facts("Legacy.Lib", "2.0.0").deprecated == "use New.Lib"


def test_a_missing_package_and_a_missing_version(fake: FakeNuget, tmp_path: Path) -> None:
    nuget = client(fake, tmp_path)
    missing = nuget.facts("No.Such", "1.0.0")
    assert missing.exists is False and "HTTP 404" in (missing.reason or "")
    version = nuget.facts("Newtonsoft.Json", "99.0.0")
    assert version.exists is False and "lists no version 99.0.0" in (version.reason or "")


def test_malformed_json_is_unknown(fake: FakeNuget, tmp_path: Path) -> None:
    fake.fail(f"{REGISTRATION}newtonsoft.json/index.json", Fault("truncate"), Fault("truncate"))
    facts = client(fake, tmp_path).facts("Newtonsoft.Json", "13.0.1")
    assert facts.exists is UNKNOWN and facts.reason


def test_not_a_service_index_is_unknown(fake: FakeNuget, tmp_path: Path) -> None:
    http = HttpClient(timeout=2.0, retries=1, sleep=lambda s: None, proxies={})
    wrong = NugetClient(Fetcher(http, None), f"{fake.root}{REGISTRATION}newtonsoft.json/index.json")
    facts = wrong.facts("Newtonsoft.Json", "13.0.1")
    assert facts.exists is UNKNOWN and "service index" in (facts.reason or "")


def test_a_server_error_then_success(fake: FakeNuget, tmp_path: Path) -> None:
    fake.fail(f"{REGISTRATION}newtonsoft.json/index.json", Fault("status", 503))
    assert client(fake, tmp_path).facts("Newtonsoft.Json", "13.0.1").exists is True


def test_offline_answers_from_the_cache_only(fake: FakeNuget, tmp_path: Path) -> None:
    assert client(fake, tmp_path).facts("Newtonsoft.Json", "13.0.1").exists is True
    offline = client(fake, tmp_path, offline=True)
    assert offline.cached("Newtonsoft.Json") and not offline.cached("Old.Thing")
    before = len(fake.paths())
    assert offline.facts("Newtonsoft.Json", "13.0.1").release_time == PUBLISHED
    unknown = offline.facts("Old.Thing", "1.0.0")
    assert unknown.exists is UNKNOWN and "offline, not cached" in (unknown.reason or "")
    assert len(fake.paths()) == before


def _lock_dep(name: str, version: str) -> Dependency:
    return Dependency("nuget", name, version, f"[{version}]", hashes=frozenset({"sha512:" + "ab" * 64}),
                      manifest="src/App/packages.lock.json", line=5)


def test_rules_on_real_answers(fake: FakeNuget, tmp_path: Path) -> None:
    nuget = client(fake, tmp_path)
    # a month-old listed version with a pinned contentHash: no finding, and no "could not check the hash" unknown
    assert judged(_lock_dep("Newtonsoft.Json", "13.0.1"), nuget.facts("Newtonsoft.Json", "13.0.1"), "nuget-lock") == []
    found = judged(_lock_dep("Newtonsoft.Json", "99.0.0"), nuget.facts("Newtonsoft.Json", "99.0.0"), "nuget-lock")
    assert [(rule, level) for rule, level, _, _ in found] == [("version-exists", "block")]
    found = judged(_lock_dep("Old.Thing", "1.0.0"), nuget.facts("Old.Thing", "1.0.0"), "nuget-lock")
    assert ("version-exists", "warn", False) in [(r, lvl, u) for r, lvl, u, _ in found]
    fake.add("Fresh.Pkg", "1.0.0", NOW - dt.timedelta(hours=5))
    found = judged(_lock_dep("Fresh.Pkg", "1.0.0"), nuget.facts("Fresh.Pkg", "1.0.0"), "nuget-lock")
    assert [(rule, level) for rule, level, _, _ in found] == [("release-age", "block")]
