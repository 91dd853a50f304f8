"""crates.io facts (checker/registries/crates.py) through a fake crates.io speaking its documented JSON, and end to end
with ``lockgate check`` on a Cargo.lock change: found, yanked, missing, malformed, 5xx then success, offline from
the cache, an alternative registry's sparse index, and a checksum that disagrees with crates.io (hash-mismatch)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.cli import main
from checker.model import UNKNOWN
from checker.registries.cache import Cache
from checker.registries.crates import CratesClient
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient
from tests.fakes.crates import CrateVersion, FakeCratesIo, checksum_of
from tests.fakes.osv import quiet_copies

WHEN = dt.datetime(2026, 3, 6, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def fake() -> Iterator[FakeCratesIo]:
    with FakeCratesIo() as server:
        server.add("serde", CrateVersion("1.0.100", WHEN - dt.timedelta(days=300)), CrateVersion("1.0.101", WHEN),
                   repository="https://github.com/serde-rs/serde")
        server.add("serde_json", CrateVersion("1.0.0", WHEN))
        server.add("yanky", CrateVersion("0.1.0", WHEN, yanked=True, yank_message="broken build"))
        yield server


def client(fake: FakeCratesIo, tmp_path: Path, *, offline: bool = False, url: str | None = None) -> CratesClient:
    http = None if offline else HttpClient(proxies={}, sleep=lambda s: None, timeout=2.0, retries=2)
    return CratesClient(Fetcher(http, Cache(tmp_path / "cache"), offline=offline), url or fake.api)


def test_a_published_version(fake: FakeCratesIo, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("serde", "1.0.101")
    assert (facts.exists, facts.yanked, facts.release_time) == (True, False, WHEN)
    assert facts.hashes == frozenset({f"sha256:{checksum_of('serde', '1.0.101')}"})
    assert facts.license == "MIT OR Apache-2.0" and facts.repository is not None
    assert fake.requests == ["/api/v1/crates/serde"]


def test_every_version_of_a_crate_is_one_request(fake: FakeCratesIo, tmp_path: Path) -> None:
    crates = client(fake, tmp_path)
    assert crates.facts("serde", "1.0.100").exists is True and crates.facts("serde", "1.0.101").exists is True
    assert fake.requests == ["/api/v1/crates/serde"] and crates.cached("serde")


def test_a_yanked_version_exists_and_is_yanked(fake: FakeCratesIo, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("yanky", "0.1.0")
    assert (facts.exists, facts.yanked, facts.yanked_reason) == (True, True, "broken build")


def test_a_missing_version_is_asked_once_more_then_missing(fake: FakeCratesIo, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("serde", "9.9.9")
    assert facts.exists is False and "lists no version 9.9.9" in (facts.reason or "")
    assert fake.requests == ["/api/v1/crates/serde", "/api/v1/crates/serde/9.9.9"]


def test_a_version_the_crate_document_leaves_out_is_found_by_its_own_endpoint(fake: FakeCratesIo,
                                                                               tmp_path: Path) -> None:
    fake.hidden.add(("serde", "1.0.100"))
    facts = client(fake, tmp_path).facts("serde", "1.0.100")
    assert facts.exists is True and facts.release_time == WHEN - dt.timedelta(days=300)


def test_a_missing_crate(fake: FakeCratesIo, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("no-such-crate", "1.0.0")
    assert facts.exists is False and "(HTTP 404)" in (facts.reason or "")


def test_dash_and_underscore_find_one_crate(fake: FakeCratesIo, tmp_path: Path) -> None:
    assert client(fake, tmp_path).facts("serde-json", "1.0.0").exists is True


def test_malformed_json_is_unknown_never_missing(fake: FakeCratesIo, tmp_path: Path) -> None:
    fake.fail("/api/v1/crates/serde", "malformed", times=5)
    facts = client(fake, tmp_path).facts("serde", "1.0.101")
    assert facts.exists is UNKNOWN and facts.hashes is UNKNOWN and facts.reason


def test_a_server_error_then_success(fake: FakeCratesIo, tmp_path: Path) -> None:
    fake.fail("/api/v1/crates/serde", 503)
    assert client(fake, tmp_path).facts("serde", "1.0.101").exists is True
    assert fake.requests.count("/api/v1/crates/serde") == 2


def test_offline_answers_from_the_cache_only(fake: FakeCratesIo, tmp_path: Path) -> None:
    assert client(fake, tmp_path).facts("serde", "1.0.101").exists is True
    offline = client(fake, tmp_path, offline=True)
    assert offline.facts("serde", "1.0.101").exists is True
    unknown = offline.facts("serde_json", "1.0.0")
    assert unknown.exists is UNKNOWN and unknown.reason


def test_an_alternative_registry_is_asked_at_the_api_its_sparse_index_names(fake: FakeCratesIo,
                                                                            tmp_path: Path) -> None:
    facts = client(fake, tmp_path, url=f"sparse+{fake.root}/index/").facts("serde", "1.0.101")
    assert facts.exists is True and fake.requests == ["/index/config.json", "/api/v1/crates/serde"]


def test_a_git_registry_index_is_unknown(fake: FakeCratesIo, tmp_path: Path) -> None:
    facts = client(fake, tmp_path, url="registry+https://git.example/index").facts("serde", "1.0.101")
    assert facts.exists is UNKNOWN and "git registry index" in (facts.reason or "") and fake.requests == []


# -- end to end ---------------------------------------------------------------------------------------------------

LOCK = """# This file is automatically @generated by Cargo.
# It is not intended for manual editing.
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde",
]

[[package]]
name = "serde"
version = "{version}"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "{checksum}"
"""


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LOCKGATE_REGISTRY_OFFLINE", raising=False)
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(tmp_path / "cache"))
    quiet_copies(tmp_path / "cache")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def run(capsys, repo, fake: FakeCratesIo, version: str, checksum: str,  # type: ignore[no-untyped-def]
        *extra: str) -> tuple[int, dict]:
    policy = ("extends: default\non-unknown: block\n"
              f"registries:\n  cargo: {{url: \"{fake.api}\"}}\n  timeout: 2\n  retries: 1\n"
              "review: {required-for: []}\n")
    base = repo.commit("base", {".github/lockgate.yml": policy,
                                "Cargo.lock": LOCK.format(version="1.0.100",
                                                          checksum=checksum_of("serde", "1.0.100"))})
    head = repo.commit("bump", {"Cargo.lock": LOCK.format(version=version, checksum=checksum)})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_check_a_cargo_lock_bump_against_crates_io(capsys, repo, fake, online) -> None:  # type: ignore[no-untyped-def]
    code, doc = run(capsys, repo, fake, "1.0.101", checksum_of("serde", "1.0.101"), "--now", "2026-04-01T00:00:00Z")
    assert code == 0, doc["findings"]
    [change] = doc["changes"]
    assert (change["ecosystem"], change["name"], change["from"], change["to"], change["bump"]) == (
        "cargo", "serde", "1.0.100", "1.0.101", "patch")


def test_a_checksum_crates_io_never_published_blocks(capsys, repo, fake, online) -> None:  # type: ignore[no-untyped-def]
    code, doc = run(capsys, repo, fake, "1.0.101", "ab" * 32, "--now", "2026-04-01T00:00:00Z")
    assert code == 1
    assert ("hash-mismatch", "block") in {(f["rule"], f["level"]) for f in doc["findings"]}


def test_a_young_crate_version_meets_the_cooldown(capsys, repo, fake, online) -> None:  # type: ignore[no-untyped-def]
    code, doc = run(capsys, repo, fake, "1.0.101", checksum_of("serde", "1.0.101"),
                    "--now", "2026-03-06T18:00:00Z")
    assert code == 1 and {f["rule"] for f in doc["findings"]} == {"release-age"}


def test_a_crate_version_crates_io_never_had_blocks(capsys, repo, fake, online) -> None:  # type: ignore[no-untyped-def]
    code, doc = run(capsys, repo, fake, "1.0.999", checksum_of("serde", "1.0.999"), "--now", "2026-04-01T00:00:00Z")
    assert code == 1 and "version-exists" in {f["rule"] for f in doc["findings"]}
