"""The npm client (checker/registries/npm.py) against the fake registry: full packuments, scoped names, deleted and
unpublished versions, published hashes, trusted publishers and provenance (and their downgrade), install scripts,
a mirror that strips provenance, and failures as UNKNOWN."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.manifests.npm_common import sri_hashes
from checker.model import UNKNOWN
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient
from checker.registries.npm import NpmClient, escape_name
from checker.registries.types import NONE, PROVENANCE, TRUSTED_PUBLISHER, Publisher
from tests.fakes.registry import Fault, FakeRegistry, at, standard_scenarios


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with FakeRegistry() as server:
        standard_scenarios(server)
        yield server


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(fake: FakeRegistry, tmp_path: Path, *, offline: bool = False, sleeps: Sleeps | None = None,
                serves_provenance: bool | None = True, **http_options: object) -> NpmClient:
    settings: dict[str, object] = {"proxies": {}, "sleep": sleeps if sleeps is not None else Sleeps(),
                                   "timeout": 2.0, "retries": 1}
    settings.update(http_options)
    http = None if offline else HttpClient(**settings)  # type: ignore[arg-type]
    fetcher = Fetcher(http, Cache(tmp_path / "cache"), offline=offline)
    return NpmClient(fetcher, fake.npm_url, serves_provenance=serves_provenance)


@pytest.fixture
def npm(fake: FakeRegistry, tmp_path: Path) -> NpmClient:
    return make_client(fake, tmp_path)


def test_escape_name() -> None:
    assert escape_name("left-pad") == "left-pad"
    assert escape_name("@scope/pkg") == "@scope%2fpkg"
    assert escape_name("../../etc") == "..%2f..%2fetc"  # a name never adds path segments


def test_the_full_packument_is_asked_for(fake: FakeRegistry, npm: NpmClient) -> None:
    npm.facts("@scope/moved", "1.0.0")
    (path, headers), = fake.requests
    assert path == "/npm/@scope%2fmoved"
    assert headers["accept"] == "application/json"


def test_a_trusted_publisher_version(fake: FakeRegistry, npm: NpmClient) -> None:
    facts = npm.facts("tp-pkg", "1.1.0", publishers=True)
    assert (facts.ecosystem, facts.name, facts.version, facts.registry) == ("npm", "tp-pkg", "1.1.0", fake.npm_url)
    assert facts.exists is True and facts.yanked is False and facts.deprecated is None and facts.reason is None
    assert facts.release_time == at(2).replace(microsecond=123000)
    integrity = fake.npm["tp-pkg"]["versions"]["1.1.0"]["dist"]["integrity"]
    tarball = fake.blobs["/npm/tp-pkg/-/tp-pkg-1.1.0.tgz"]
    assert facts.hashes == sri_hashes(integrity, "x", "x", None) | {"sha1:" + hashlib.sha1(tarball).hexdigest()}
    assert facts.hashes == frozenset({"sha512:" + hashlib.sha512(tarball).hexdigest(),
                                      "sha1:" + hashlib.sha1(tarball).hexdigest()})
    assert facts.evidence == TRUSTED_PUBLISHER
    assert facts.publishers == frozenset({Publisher("GitHub", "acme/tp-pkg", "release.yml")})
    assert facts.install_scripts == {} and facts.has_install_script is False
    assert fake.paths() == ["/npm/tp-pkg", "/npm/-/npm/v1/attestations/tp-pkg@1.1.0"]


def test_publishers_are_only_looked_up_when_asked(fake: FakeRegistry, npm: NpmClient) -> None:
    facts = npm.facts("tp-pkg", "1.1.0")
    assert facts.evidence == TRUSTED_PUBLISHER and facts.publishers is UNKNOWN
    assert fake.paths() == ["/npm/tp-pkg"]


def test_a_token_publish_after_trusted_publishing_is_a_downgrade(npm: NpmClient) -> None:
    facts = npm.facts("tp-pkg", "1.2.0", publishers=True)
    assert facts.evidence == NONE and facts.publishers == frozenset()
    history = npm.history("tp-pkg", "1.2.0", publisher_limit=1)
    assert history.before == facts.release_time
    assert [(e.version, e.evidence) for e in history.entries] == [("1.1.0", TRUSTED_PUBLISHER),
                                                                 ("1.0.0", TRUSTED_PUBLISHER)]
    assert history.strongest()[0] == TRUSTED_PUBLISHER
    assert history.entries[0].publishers == frozenset({Publisher("GitHub", "acme/tp-pkg", "release.yml")})
    assert history.entries[1].publishers is UNKNOWN


def test_history_skips_prereleases_unless_judging_one(fake: FakeRegistry, npm: NpmClient) -> None:
    fake.add_npm("tp-pkg", "2.0.0-beta.1", at(3), repository="acme/tp-pkg")
    fake.add_npm("tp-pkg", "2.0.0-beta.2", at(6))
    assert [e.version for e in npm.history("tp-pkg", "1.2.0").entries] == ["1.1.0", "1.0.0"]
    beta = npm.history("tp-pkg", "2.0.0-beta.2")
    assert [(e.version, e.prerelease) for e in beta.entries] == [
        ("1.2.0", False), ("2.0.0-beta.1", True), ("1.1.0", False), ("1.0.0", False)]
    assert beta.entries[1].evidence == PROVENANCE


def test_a_changed_publisher_repository(npm: NpmClient) -> None:
    facts = npm.facts("@scope/moved", "1.1.0", publishers=True)
    assert facts.evidence == PROVENANCE
    assert facts.publishers == frozenset({Publisher("GitHub", "evil/moved", "publish.yml")})
    history = npm.history("@scope/moved", "1.1.0", publisher_limit=1)
    assert history.last_publishers() == frozenset({Publisher("GitHub", "acme/moved", "release.yml")})


def test_a_deleted_version(fake: FakeRegistry, npm: NpmClient) -> None:
    facts = npm.facts("left-pad", "1.3.0")
    assert facts.exists is False
    assert facts.release_time == at(2).replace(microsecond=123000)  # the registry still remembers when
    assert facts.reason == f"left-pad@1.3.0 was published and then removed from {fake.npm_url} (unpublished or deleted)"
    assert npm.facts("left-pad", "1.2.0").exists is True


def test_a_version_never_published(fake: FakeRegistry, npm: NpmClient) -> None:
    facts = npm.facts("left-pad", "9.0.0")
    assert facts.exists is False and facts.reason == f"{fake.npm_url} lists no version 9.0.0 of left-pad"


def test_an_unpublished_package(fake: FakeRegistry, npm: NpmClient) -> None:
    facts = npm.facts("gone", "0.1.0")
    assert facts.exists is False
    assert facts.reason == f"gone was unpublished from {fake.npm_url} on 2026-03-02 12:00 UTC"


def test_an_unknown_package(fake: FakeRegistry, npm: NpmClient) -> None:
    facts = npm.facts("@nobody/nothing", "1.0.0")
    assert facts.exists is False and facts.reason == f"{fake.npm_url} has no package '@nobody/nothing' (HTTP 404)"


def test_install_scripts_and_deprecation(npm: NpmClient) -> None:
    facts = npm.facts("scripted", "1.0.0")
    assert dict(facts.install_scripts) == {"postinstall": "node setup.js"}  # type: ignore[call-overload]
    assert facts.has_install_script is True
    assert facts.deprecated == "use scripted2"


def test_has_install_script_alone_counts(fake: FakeRegistry, npm: NpmClient) -> None:
    fake.add_npm("native", "1.0.0", at(1), has_install_script=True)  # e.g. an implicit node-gyp build
    facts = npm.facts("native", "1.0.0")
    assert facts.install_scripts == {} and facts.has_install_script is True


def test_a_mirror_that_strips_provenance_gives_unknown(fake: FakeRegistry, tmp_path: Path) -> None:
    fake.strip_provenance = True
    mirror = make_client(fake, tmp_path, serves_provenance=None)  # not registry.npmjs.org: decide from the data
    facts = mirror.facts("tp-pkg", "1.2.0", publishers=True)
    assert facts.evidence is UNKNOWN and facts.publishers is UNKNOWN
    assert facts.reason == (f"{fake.npm_url} shows no provenance for any version of this package; it may strip it, "
                            "so its absence proves nothing")
    assert facts.release_time is not UNKNOWN and facts.exists is True
    history = mirror.history("tp-pkg", "1.2.0")
    assert history.strongest() == (UNKNOWN, None)


def test_a_mirror_that_passes_provenance_through_is_believed(fake: FakeRegistry, tmp_path: Path) -> None:
    mirror = make_client(fake, tmp_path, serves_provenance=None)
    assert mirror.facts("tp-pkg", "1.2.0").evidence == NONE  # other versions show it passes provenance on
    assert mirror.facts("left-pad", "1.2.0").evidence is UNKNOWN  # nothing shows it would


def test_the_public_registry_is_believed() -> None:
    client = NpmClient(Fetcher(None, None, offline=True))
    assert client.packument_url("@a/b") == "https://registry.npmjs.org/@a%2fb"
    assert client._passes_provenance({}) is True


def test_429_with_retry_after_then_the_packument(fake: FakeRegistry, tmp_path: Path) -> None:
    sleeps = Sleeps()
    fake.fail("/npm/left-pad", Fault("status", 429, {"Retry-After": "3"}))
    facts = make_client(fake, tmp_path, sleeps=sleeps).facts("left-pad", "1.2.0")
    assert facts.exists is True and sleeps == [3.0]


def test_500s_then_success(fake: FakeRegistry, tmp_path: Path) -> None:
    fake.fail("/npm/left-pad", Fault("status", 500), Fault("status", 503))
    facts = make_client(fake, tmp_path, retries=2).facts("left-pad", "1.2.0")
    assert facts.exists is True and fake.count("/npm/left-pad") == 3


def test_a_slow_registry_gives_unknown(fake: FakeRegistry, tmp_path: Path) -> None:
    fake.fail("/npm/left-pad", Fault("slow", seconds=1.0), Fault("slow", seconds=1.0))
    facts = make_client(fake, tmp_path, timeout=0.2).facts("left-pad", "1.2.0")
    assert facts.exists is UNKNOWN and facts.release_time is UNKNOWN
    assert facts.reason == "no answer from 127.0.0.1 within 0.2 s (gave up after 2 tries)"


def test_a_truncated_packument_gives_unknown(fake: FakeRegistry, npm: NpmClient) -> None:
    fake.fail("/npm/left-pad", Fault("truncate"))
    facts = npm.facts("left-pad", "1.2.0")
    assert facts.exists is UNKNOWN
    assert facts.reason is not None and facts.reason.startswith(f"invalid JSON from {fake.npm_url}/left-pad: ")


def test_an_oversized_packument_gives_unknown(fake: FakeRegistry, tmp_path: Path) -> None:
    client = make_client(fake, tmp_path)
    client.max_bytes = 2000
    fake.fail("/npm/left-pad", Fault("oversize", size=10_000))
    facts = client.facts("left-pad", "1.2.0")
    assert facts.reason == f"response from {fake.npm_url}/left-pad is 10011 bytes, more than the 2000 bytes lockgate accepts"


def test_a_failing_attestation_endpoint_leaves_publishers_unknown(fake: FakeRegistry, npm: NpmClient) -> None:
    path = "/npm/-/npm/v1/attestations/@scope%2Fmoved@1.1.0"
    fake.fail(path, Fault("status", 500), Fault("status", 500))
    facts = npm.facts("@scope/moved", "1.1.0", publishers=True)
    assert facts.evidence == PROVENANCE and facts.publishers is UNKNOWN
    assert facts.reason == f"HTTP 500 from {fake.root}{path} (gave up after 2 tries)"


def test_a_provenance_payload_that_is_not_json(fake: FakeRegistry, npm: NpmClient) -> None:
    doc = fake.attestations["/npm/-/npm/v1/attestations/@scope%2Fmoved@1.1.0"]
    doc["attestations"][1]["bundle"]["dsseEnvelope"]["payload"] = base64.b64encode(b"not json").decode()
    facts = npm.facts("@scope/moved", "1.1.0", publishers=True)
    assert facts.publishers is UNKNOWN
    assert facts.reason is not None and facts.reason.endswith("provenance payload is not base64-encoded JSON")


def test_a_trusted_publisher_without_provenance(fake: FakeRegistry, npm: NpmClient) -> None:
    fake.add_npm("private-tp", "1.0.0", at(1), trusted=True)  # trusted publishing from a private repository
    facts = npm.facts("private-tp", "1.0.0", publishers=True)
    assert facts.evidence == TRUSTED_PUBLISHER and facts.publishers is UNKNOWN
    assert facts.reason == ("private-tp@1.0.0 has a trusted publisher but no provenance attestation, so the registry "
                            "does not say which repository published it")


def test_a_version_published_after_the_cached_packument_is_found(fake: FakeRegistry, npm: NpmClient,
                                                                tmp_path: Path) -> None:
    npm.facts("left-pad", "1.2.0")
    fake.add_npm("left-pad", "1.4.0", at(9))
    assert make_client(fake, tmp_path).facts("left-pad", "1.4.0").exists is True
    assert fake.count("/npm/left-pad") == 2


def test_offline_uses_the_cache_only(fake: FakeRegistry, npm: NpmClient, tmp_path: Path) -> None:
    npm.facts("left-pad", "1.2.0")
    offline = make_client(fake, tmp_path, offline=True)
    assert offline.facts("left-pad", "1.2.0").exists is True
    assert offline.facts("left-pad", "1.4.0").exists is UNKNOWN
    facts = offline.facts("tp-pkg", "1.0.0")
    assert facts.exists is UNKNOWN and facts.reason == f"offline, not cached: {fake.npm_url}/tp-pkg"
    assert fake.count("/npm/tp-pkg") == 0
