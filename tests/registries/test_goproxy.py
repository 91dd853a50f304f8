"""The Go client (checker/registries/goproxy.py) against the fake module proxy and checksum database
(tests/fakes/goproxy.py): release time, missing and gone versions, retraction, the checksum record's hashes (and the
tree head's extra lines ignored), path escaping, malformed answers, a 5xx then success, offline from the cache; and
end to end, a go.sum line the checksum database disagrees with blocks (hash-mismatch)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.cli import main
from checker.model import UNKNOWN
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.goproxy import GoProxyClient, escape, retraction
from checker.registries.http import HttpClient
from tests.fakes.goproxy import FakeGoProxy
from tests.fakes.osv import quiet_copies

WHEN = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def fake() -> Iterator[FakeGoProxy]:
    with FakeGoProxy() as server:
        server.add("golang.org/x/net", "v0.17.0", WHEN)
        server.add("github.com/BurntSushi/toml", "v1.3.2", WHEN)
        server.add("example.com/retracting", "v1.0.0", WHEN)
        server.add("example.com/retracting", "v1.1.0", WHEN + dt.timedelta(days=1),
                   go_mod="module example.com/retracting\n\ngo 1.21\n\nretract v1.0.0 // corrupts data\n")
        yield server


def client(fake: FakeGoProxy, tmp_path: Path, *, offline: bool = False) -> GoProxyClient:
    http = None if offline else HttpClient(proxies={}, sleep=lambda seconds: None, timeout=2.0, retries=1)
    return GoProxyClient(Fetcher(http, Cache(tmp_path / "cache"), offline=offline), fake.proxy_url,
                         sumdb_url=fake.sumdb_url)


def test_a_published_version(fake: FakeGoProxy, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("golang.org/x/net", "v0.17.0")
    module = fake.modules[("golang.org/x/net", "v0.17.0")]
    assert (facts.ecosystem, facts.exists, facts.release_time, facts.yanked) == ("go", True, WHEN, False)
    assert facts.hashes == {module.zip_hash, "h1/go.mod:" + module.mod_hash[3:]}
    assert facts.reason is None and facts.registry == fake.proxy_url
    assert "/proxy/golang.org/x/net/@v/v0.17.0.info" in fake.requests
    assert "/sumdb/lookup/golang.org/x/net@v0.17.0" in fake.requests


def test_upper_case_is_escaped(fake: FakeGoProxy, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("github.com/BurntSushi/toml", "v1.3.2")
    assert facts.exists is True and facts.hashes is not UNKNOWN
    assert "/proxy/github.com/!burnt!sushi/toml/@v/v1.3.2.info" in fake.requests
    assert escape("github.com/GoogleCloudPlatform/omega") == "github.com/!google!cloud!platform/omega"  # x/mod's vector
    assert escape("github.com/a/b/../../c") is None and escape("a.com/x!y") is None and escape("a.com/ü") is None


def test_missing_and_gone(fake: FakeGoProxy, tmp_path: Path) -> None:
    go = client(fake, tmp_path)
    missing = go.facts("golang.org/x/net", "v0.99.0")
    assert missing.exists is False and "has no golang.org/x/net v0.99.0" in (missing.reason or "")
    fake.gone.add("golang.org/x/net")
    assert client(fake, tmp_path / "other").facts("golang.org/x/net", "v0.17.0").exists is False


def test_a_retracted_version_is_yanked(fake: FakeGoProxy, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("example.com/retracting", "v1.0.0")
    assert facts.exists is True and facts.yanked is True and facts.yanked_reason == "corrupts data"
    assert client(fake, tmp_path).facts("example.com/retracting", "v1.1.0").yanked is False


def test_retraction_intervals() -> None:
    go_mod = "module m\nretract (\n\t[v1.0.0, v1.0.5] // bad range\n\tv2.0.0\n)\n"
    assert retraction(go_mod, "v1.0.3") == (True, "bad range")
    assert retraction(go_mod, "v1.0.6") == (False, None)
    assert retraction("module m\nretract (\n", "v1.0.0") == (UNKNOWN, None)


def test_no_checksum_record_leaves_hashes_unknown(fake: FakeGoProxy, tmp_path: Path) -> None:
    fake.no_sum.add(("golang.org/x/net", "v0.17.0"))
    facts = client(fake, tmp_path).facts("golang.org/x/net", "v0.17.0")
    assert facts.exists is True and facts.hashes is UNKNOWN
    assert "has no record of golang.org/x/net v0.17.0" in (facts.reason or "")


def test_lines_in_the_tree_head_are_never_read(fake: FakeGoProxy, tmp_path: Path) -> None:
    """A malicious database could add a hash to the signed tree head's extension (CVE-2026-56864 in x/mod's
    client): only the record is read."""
    fake.tree_head_extra = "golang.org/x/net v0.17.0 h1:" + "E" * 43 + "=\n"
    facts = client(fake, tmp_path).facts("golang.org/x/net", "v0.17.0")
    assert "h1:" + "E" * 43 + "=" not in facts.hashes  # type: ignore[operator]
    assert len(facts.hashes) == 2  # type: ignore[arg-type]


def test_malformed_answers_are_unknown(fake: FakeGoProxy, tmp_path: Path) -> None:
    fake.fail("/proxy/golang.org/x/net/@v/v0.17.0.info", "garbage")
    facts = client(fake, tmp_path).facts("golang.org/x/net", "v0.17.0")
    assert facts.exists is UNKNOWN and "invalid JSON" in (facts.reason or "")
    fake.fail("/sumdb/lookup/golang.org/x/net@v0.17.0", "garbage")
    facts = client(fake, tmp_path / "again").facts("golang.org/x/net", "v0.17.0")
    assert facts.exists is True and facts.hashes is UNKNOWN and "not a checksum database record" in (facts.reason or "")


def test_a_server_error_then_success(fake: FakeGoProxy, tmp_path: Path) -> None:
    fake.fail("/proxy/golang.org/x/net/@v/v0.17.0.info", 503)
    facts = client(fake, tmp_path).facts("golang.org/x/net", "v0.17.0")
    assert facts.exists is True and fake.count("/proxy/golang.org/x/net/@v/v0.17.0.info") == 2


def test_offline_answers_from_the_cache_only(fake: FakeGoProxy, tmp_path: Path) -> None:
    online = client(fake, tmp_path).facts("golang.org/x/net", "v0.17.0")
    asked = len(fake.requests)
    offline = client(fake, tmp_path, offline=True).facts("golang.org/x/net", "v0.17.0")
    assert (offline.exists, offline.release_time, offline.hashes) == (True, WHEN, online.hashes)
    assert len(fake.requests) == asked
    never = client(fake, tmp_path, offline=True).facts("github.com/BurntSushi/toml", "v1.3.2")
    assert never.exists is UNKNOWN and "offline, not cached" in (never.reason or "")


def test_not_a_module_path_is_never_sent(fake: FakeGoProxy, tmp_path: Path) -> None:
    facts = client(fake, tmp_path).facts("../../etc/passwd", "v1.0.0")
    assert facts.exists is UNKNOWN and fake.requests == []


# -- end to end ------------------------------------------------------------------------------------------------------


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake: FakeGoProxy) -> FakeGoProxy:
    monkeypatch.delenv("LOCKGATE_REGISTRY_OFFLINE", raising=False)
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(tmp_path / "cache"))
    quiet_copies(tmp_path / "cache")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return fake


def _policy(fake: FakeGoProxy) -> str:
    return ("extends: default\non-unknown: block\nregistries:\n"
            f"  go: {{url: \"{fake.proxy_url}\"}}\n  go-sumdb: \"{fake.sumdb_url}\"\n  timeout: 2\n  retries: 1\n"
            "review: {required-for: []}\n")


def _check(capsys: pytest.CaptureFixture[str], repo, go_sum: str, fake: FakeGoProxy) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    base = repo.commit("base", {".github/lockgate.yml": _policy(fake), "go.mod": "module example.com/app\n\ngo 1.22\n",
                                "go.sum": ""})
    head = repo.commit("bump", {"go.mod": "module example.com/app\n\ngo 1.22\n\nrequire golang.org/x/net v0.17.0\n",
                                "go.sum": go_sum})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json",
                 "--now", "2026-04-01T00:00:00Z"])
    return code, json.loads(capsys.readouterr().out)


def test_a_go_sum_line_the_checksum_database_agrees_with_passes(capsys, repo, online) -> None:  # type: ignore[no-untyped-def]
    code, doc = _check(capsys, repo, online.modules[("golang.org/x/net", "v0.17.0")].sum_lines(), online)
    assert [(f["rule"], f["name"]) for f in doc["findings"]] == [] and code == 0, doc["findings"]


def test_a_go_sum_line_the_checksum_database_disagrees_with_blocks(capsys, repo, online) -> None:  # type: ignore[no-untyped-def]
    module = online.modules[("golang.org/x/net", "v0.17.0")]
    forged = module.sum_lines().replace(module.zip_hash, "h1:" + "F" * 43 + "=")
    code, doc = _check(capsys, repo, forged, online)
    assert code == 1
    [finding] = [f for f in doc["findings"] if f["rule"] == "hash-mismatch"]
    assert finding["level"] == "block" and finding["name"] == "golang.org/x/net" and finding["manifest"] == "go.sum"
    assert "go mod download" in finding["hint"]


def test_a_young_module_version_waits(capsys, repo, online) -> None:  # type: ignore[no-untyped-def]
    online.add("golang.org/x/net", "v0.18.0", dt.datetime(2026, 3, 31, 12, tzinfo=dt.timezone.utc))
    module = online.modules[("golang.org/x/net", "v0.18.0")]
    base = repo.commit("base", {".github/lockgate.yml": _policy(online), "go.sum": ""})
    head = repo.commit("bump", {"go.sum": module.sum_lines()})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json",
                 "--now", "2026-04-01T00:00:00Z"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and [f["rule"] for f in doc["findings"]] == ["release-age"]


def test_a_retracted_version_warns(capsys, repo, online) -> None:  # type: ignore[no-untyped-def]
    module = online.modules[("example.com/retracting", "v1.0.0")]
    base = repo.commit("base", {".github/lockgate.yml": _policy(online), "go.sum": ""})
    head = repo.commit("bump", {"go.sum": module.sum_lines()})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json",
                 "--now", "2026-04-01T00:00:00Z"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    [finding] = doc["findings"]
    assert (finding["rule"], finding["level"]) == ("version-exists", "warn")
    assert finding["message"] == ("example.com/retracting v1.0.0 is retracted by its module's authors (the latest "
                                  "go.mod's retract): corrupts data")
