"""The RubyGems and Packagist facts clients (checker/registries/rubygems.py, packagist.py) against fakes that speak
their documented formats (tests/fakes/rubygems.py, packagist.py): found, missing, yanked, malformed answers, a
failing then recovering server, offline from the cache, and a hash the registry never published blocking through the
whole facts stage and engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.judge.engine import judge
from checker.model import UNKNOWN, Change, Dependency, Manifest, Source
from checker.policy.load import load_policy
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.gather import Registries
from checker.registries.http import HttpClient
from checker.registries.packagist import PackagistClient, expand
from checker.registries.rubygems import RubygemsClient
from checker.registries.stage import gather_facts
from tests.fakes.packagist import FakePackagist, minify, release
from tests.fakes.registry import Fault
from tests.fakes.rubygems import FakeRubygems

NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
SHA_RUBY, SHA_LINUX = "1" * 64, "2" * 64
REF = "c6cdfab4ca6ddbc3b260913470bd0a4a5cb84c7a"


def fetcher(tmp_path: Path, *, offline: bool = False) -> Fetcher:
    http = None if offline else HttpClient(proxies={}, sleep=lambda s: None, timeout=2.0, retries=1)
    return Fetcher(http, Cache(tmp_path / "cache"), offline=offline)


@pytest.fixture
def gems() -> Iterator[FakeRubygems]:
    with FakeRubygems() as fake:
        fake.add("nokogiri", "1.15.0", NOW - dt.timedelta(days=90), "9" * 64)
        fake.add("nokogiri", "1.16.0", NOW - dt.timedelta(days=30), SHA_RUBY)
        fake.add("nokogiri", "1.16.0", NOW - dt.timedelta(days=30, hours=-1), SHA_LINUX, platform="x86_64-linux")
        fake.add("rack", "3.0.8", NOW - dt.timedelta(days=1), "3" * 64)
        yield fake


@pytest.fixture
def packagist() -> Iterator[FakePackagist]:
    with FakePackagist() as fake:
        fake.add(release("drewm/mailchimp-api", "v2.5.3", "2.5.3.0", NOW - dt.timedelta(days=60), "a" * 40,
                         require_dev={"phpunit/phpunit": "7.0.*"}))
        fake.add(release("drewm/mailchimp-api", "v2.5.4", "2.5.4.0", NOW - dt.timedelta(days=2), REF))
        fake.add(release("acme/zipped", "1.0.0", "1.0.0.0", NOW - dt.timedelta(days=10), "b" * 40,
                         shasum="ab" * 20))
        fake.add(release("acme/zipped", "dev-main", "dev-main", NOW - dt.timedelta(days=1), "c" * 40))
        yield fake


# -- RubyGems ------------------------------------------------------------------------------------------------------

def test_gem_found_with_every_platform_hash(gems: FakeRubygems, tmp_path: Path) -> None:
    facts = RubygemsClient(fetcher(tmp_path), gems.url).facts("nokogiri", "1.16.0")
    assert facts.exists is True and facts.yanked is False
    assert facts.hashes == {f"sha256:{SHA_RUBY}", f"sha256:{SHA_LINUX}"}
    assert facts.release_time == (NOW - dt.timedelta(days=30)).replace(microsecond=0)
    assert facts.license == "MIT"
    assert gems.paths() == ["/api/v1/versions/nokogiri.json"]


def test_gem_version_equal_by_gem_version(gems: FakeRubygems, tmp_path: Path) -> None:
    assert RubygemsClient(fetcher(tmp_path), gems.url).facts("nokogiri", "1.16.0.0").exists is True


class PublicRubygems(RubygemsClient):
    """The client as it treats rubygems.org itself, pointed at the fake."""

    def __init__(self, fetcher: Fetcher, url: str) -> None:
        self.default_registry = url
        super().__init__(fetcher, url)


def test_gem_missing_and_yanked(gems: FakeRubygems, tmp_path: Path) -> None:
    client = PublicRubygems(fetcher(tmp_path), gems.url)
    missing = client.facts("no-such-gem", "1.0.0")
    assert missing.exists is False and "404" in (missing.reason or "")
    # another server's 404 may mean only that it does not serve the API (a private gem server): unknown
    other = RubygemsClient(fetcher(tmp_path / "other"), gems.url).facts("no-such-gem", "1.0.0")
    assert other.exists is UNKNOWN and "does not serve" in (other.reason or "")
    gems.yank("rack", "3.0.8")  # its only version: the gem answers 404 now
    assert client.facts("rack", "3.0.8").exists is False
    gems.yank("nokogiri", "1.15.0")
    yanked = client.facts("nokogiri", "1.15.0")
    assert yanked.exists is False and "yanked" in (yanked.reason or "")


def test_gem_malformed_and_failing(gems: FakeRubygems, tmp_path: Path) -> None:
    gems.fail("/api/v1/versions/nokogiri.json", Fault("truncate"))
    broken = RubygemsClient(fetcher(tmp_path), gems.url).facts("nokogiri", "1.16.0")
    assert broken.exists is UNKNOWN and broken.reason
    gems.fail("/api/v1/versions/rack.json", Fault("status", 503))
    recovered = RubygemsClient(fetcher(tmp_path / "b"), gems.url).facts("rack", "3.0.8")
    assert recovered.exists is True  # one retry
    bad_name = RubygemsClient(fetcher(tmp_path), gems.url).facts("../etc/passwd", "1")
    assert bad_name.exists is UNKNOWN and "not a RubyGems name" in (bad_name.reason or "")


def test_gem_offline_answers_from_the_cache_only(gems: FakeRubygems, tmp_path: Path) -> None:
    RubygemsClient(fetcher(tmp_path), gems.url).facts("nokogiri", "1.16.0")
    offline = RubygemsClient(fetcher(tmp_path, offline=True), gems.url)
    assert offline.cached("nokogiri") and not offline.cached("rack")
    assert offline.facts("nokogiri", "1.16.0").exists is True
    assert offline.facts("rack", "3.0.8").exists is UNKNOWN
    newer = offline.facts("nokogiri", "1.17.0")  # not in the cached copy: unknown, never "missing"
    assert newer.exists is UNKNOWN


# -- Packagist -----------------------------------------------------------------------------------------------------

def test_expand_is_composers_metadata_minifier() -> None:
    versions = [{"name": "a/b", "version": "2", "require-dev": {"x/y": "1"}}, {"version": "1", "require-dev": "__unset"},
                {"version": "0.9"}]
    assert expand(versions) == [{"name": "a/b", "version": "2", "require-dev": {"x/y": "1"}},
                                {"name": "a/b", "version": "1"}, {"name": "a/b", "version": "0.9"}]
    entries = [release("a/b", "2.0.0", "2.0.0.0", NOW, "a" * 40, require_dev={}),
               release("a/b", "1.0.0", "1.0.0.0", NOW, "b" * 40)]
    assert expand(minify(entries)) == entries


def test_packagist_found(packagist: FakePackagist, tmp_path: Path) -> None:
    client = PackagistClient(fetcher(tmp_path), packagist.url)
    facts = client.facts("drewm/mailchimp-api", "v2.5.3")
    assert facts.exists is True and facts.hashes == frozenset() and facts.license == "MIT"
    assert facts.release_time == (NOW - dt.timedelta(days=60)).replace(microsecond=0)
    assert client.facts("DrewM/Mailchimp-API", "2.5.4.0").exists is True  # names in any case, normalised versions
    zipped = client.facts("acme/zipped", "1.0.0")
    assert zipped.hashes == {"sha1:" + "ab" * 20}
    dev = client.facts("acme/zipped", "dev-main")
    assert dev.exists is True and "/p2/acme/zipped~dev.json" in packagist.paths()


def test_packagist_missing_malformed_failing_offline(packagist: FakePackagist, tmp_path: Path) -> None:
    client = PackagistClient(fetcher(tmp_path), packagist.url)
    assert client.facts("acme/none", "1.0.0").exists is UNKNOWN  # not the public registry: its 404 says little
    assert client.facts("acme/zipped", "2.0.0").exists is False  # deleted or never tagged
    packagist.fail("/p2/drewm/mailchimp-api.json", Fault("truncate"))
    assert PackagistClient(fetcher(tmp_path / "x"), packagist.url).facts(
        "drewm/mailchimp-api", "v2.5.4").exists is UNKNOWN
    packagist.fail("/p2/drewm/mailchimp-api.json", Fault("status", 502))
    assert PackagistClient(fetcher(tmp_path / "y"), packagist.url).facts(
        "drewm/mailchimp-api", "v2.5.4").exists is True
    offline = PackagistClient(fetcher(tmp_path / "y", offline=True), packagist.url)
    assert offline.facts("drewm/mailchimp-api", "v2.5.4").exists is True
    assert offline.facts("acme/zipped", "1.0.0").exists is UNKNOWN
    assert client.facts("not-a-name", "1").exists is UNKNOWN


# -- through the facts stage and the engine ---------------------------------------------------------------------

def _judge(dep: Dependency, fmt: str, registries: str, tmp_path: Path) -> list[tuple[str, str, str]]:
    policy = load_policy("extends: default\nreview: {required-for: []}\nrules:\n  vulnerability: off\n"
                         f"  malicious: off\n  hash-pinning: off\nregistries: {registries}\n",
                         ".github/lockgate.yml", lambda p: None)
    stack = Registries.create(cache=Cache(tmp_path), retries=0, timeout=2, sleep=lambda s: None)
    found = gather_facts([dep], offline=False, policy=policy, now=NOW, registries=stack, environ={})
    before = dep._replace(version="0.1.0", hashes=frozenset())
    judged = judge([Change("upgraded", before, dep, "minor")], [],
                   [Manifest(dep.manifest, fmt, dep.ecosystem, (dep,))], policy, today=NOW.date(), facts=found)
    return [(f.rule, f.level, f.message) for f in judged.findings]


def test_a_checksum_rubygems_never_published_blocks(gems: FakeRubygems, tmp_path: Path) -> None:
    good = Dependency("gem", "nokogiri", "1.16.0", source=Source("registry", url="https://rubygems.org/"),
                      hashes=frozenset({f"sha256:{SHA_LINUX}"}), manifest="Gemfile.lock", line=4)
    registries = f"{{gem: '{gems.url}'}}"
    assert [f for f in _judge(good, "gemfile-lock", registries, tmp_path) if f[1] == "block"] == []
    bad = good._replace(hashes=frozenset({"sha256:" + "e" * 64}))
    found = _judge(bad, "gemfile-lock", registries, tmp_path / "2")
    assert ("hash-mismatch", "block") in [(rule, level) for rule, level, _ in found]
    fresh = good._replace(name="rack", version="3.0.8", hashes=frozenset({"sha256:" + "3" * 64}))
    assert "release-age" in [rule for rule, _, _ in _judge(fresh, "gemfile-lock", registries, tmp_path / "3")]
    gone = good._replace(version="9.9.9", hashes=frozenset())
    assert ("version-exists", "block") in [(r, lv) for r, lv, _ in _judge(gone, "gemfile-lock", registries,
                                                                          tmp_path / "4")]


def test_a_shasum_packagist_never_published_blocks(packagist: FakePackagist, tmp_path: Path) -> None:
    dep = Dependency("composer", "acme/zipped", "1.0.0", hashes=frozenset({"sha1:" + "cd" * 20}),
                     manifest="composer.lock", line=9)
    found = _judge(dep, "composer-lock", f"{{composer: '{packagist.url}'}}", tmp_path)
    assert ("hash-mismatch", "block") in [(rule, level) for rule, level, _ in found]
