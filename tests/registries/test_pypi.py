"""The PyPI client (checker/registries/pypi.py) against the fake index: PEP 691/700 pages, PEP 740 provenance and the
Integrity API, deleted and yanked releases, hashes, a mirror that strips provenance, failures as UNKNOWN."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.model import UNKNOWN
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient
from checker.registries.pypi import SIMPLE_JSON, PypiClient, canonical_version, version_from_filename
from checker.registries.types import NONE, TRUSTED_PUBLISHER, Publisher
from tests.fakes.registry import Fault, FakeRegistry, at, github_publisher, sha256, standard_scenarios

ACME = Publisher("GitHub", "acme/tp-then-token", "release.yml")


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with FakeRegistry() as server:
        standard_scenarios(server)
        yield server


def make_client(fake: FakeRegistry, tmp_path: Path, *, offline: bool = False, index: str | None = None,
                **options: object) -> PypiClient:
    http = None if offline else HttpClient(proxies={}, sleep=lambda s: None, timeout=2.0, retries=1)
    fetcher = Fetcher(http, Cache(tmp_path / "cache"), offline=offline)
    return PypiClient(fetcher, index or fake.pypi_url, **options)  # type: ignore[arg-type]


@pytest.fixture
def pypi(fake: FakeRegistry, tmp_path: Path) -> PypiClient:
    return make_client(fake, tmp_path)


# -- file names and versions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("filename", "project", "version"), [
    ("requests-2.31.0-py3-none-any.whl", "requests", "2.31.0"),
    ("requests-2.31.0.tar.gz", "requests", "2.31.0"),
    ("zope.interface-6.0-cp311-cp311-manylinux_2_17_x86_64.whl", "zope-interface", "6.0"),
    ("foo_bar-1.0-1-py3-none-any.whl", "foo-bar", "1.0"),  # with a build tag
    ("python-dateutil-2.8.2.tar.gz", "python-dateutil", "2.8.2"),  # legacy sdist: dashes in the name
    ("Django-1.2.zip", "django", "1.2"),
    ("setuptools-0.6c11-py2.7.egg", "setuptools", "0.6c11"),
    ("requests-2.31.0-py3-none-any.whl", "request", None),  # another project
    ("requests-toolbelt-1.0.0.tar.gz", "requests", None),  # requests-toolbelt, not requests
    ("requests-2.31.0.exe", "requests", None),
    ("requests-2.31.0-py3-any.whl", "requests", None),  # not a valid wheel name
])
def test_version_from_filename(filename: str, project: str, version: str | None) -> None:
    assert version_from_filename(filename, project) == version


def test_versions_compare_in_canonical_form() -> None:
    assert canonical_version("1.0.0") == canonical_version("1.0") == "1"
    assert canonical_version("1.0-RC1") == "1rc1"
    assert canonical_version("not a version") == "not a version"


# -- facts ------------------------------------------------------------------------------------------------------


def test_a_release_with_a_trusted_publisher(fake: FakeRegistry, pypi: PypiClient) -> None:
    facts = pypi.facts("Tp_Then.Token", "1.0", publishers=True)  # any spelling of the name
    assert (facts.ecosystem, facts.name, facts.version, facts.registry) == (
        "pypi", "tp-then-token", "1.0", fake.pypi_url)
    assert facts.exists is True and facts.yanked is False and facts.stale is False and facts.reason is None
    assert facts.release_time == at(1)
    assert facts.last_upload_time == at(1) + dt.timedelta(seconds=1)
    sdist, wheel = fake.pypi["tp-then-token"]["files"][:2]
    assert facts.hashes == frozenset({
        f"sha256:{sdist['hashes']['sha256']}", f"blake2b_256:{sdist['hashes']['blake2b_256']}",
        f"sha256:{wheel['hashes']['sha256']}", f"blake2b_256:{wheel['hashes']['blake2b_256']}"})
    assert [f.filename for f in facts.files] == ["tp_then_token-1.0.tar.gz", "tp_then_token-1.0-py3-none-any.whl"]
    assert facts.evidence == TRUSTED_PUBLISHER
    assert facts.publishers == frozenset({ACME})
    assert fake.paths() == ["/simple/tp-then-token/",
                            "/integrity/tp-then-token/1.0/tp_then_token-1.0.tar.gz/provenance"]
    assert fake.requests[0][1]["accept"] == SIMPLE_JSON
    assert fake.requests[1][1]["accept"] == "application/vnd.pypi.integrity.v1+json"


def test_the_evidence_needs_no_integrity_request(fake: FakeRegistry, pypi: PypiClient) -> None:
    facts = pypi.facts("tp-then-token", "1.1", publishers=False)
    assert facts.evidence == TRUSTED_PUBLISHER and facts.publishers is UNKNOWN
    assert fake.paths() == ["/simple/tp-then-token/"]


def test_a_version_written_differently_finds_its_files(pypi: PypiClient) -> None:
    assert pypi.facts("tp-then-token", "1.0.0").release_time == at(1)


def test_provenance_is_fetched_for_the_locked_file_first(fake: FakeRegistry, pypi: PypiClient) -> None:
    wheel_hash = "sha256:" + fake.pypi["tp-then-token"]["files"][1]["hashes"]["sha256"]
    pypi.facts("tp-then-token", "1.0", hashes={wheel_hash.upper().replace("SHA256", "sha256")}, publishers=True)
    assert fake.paths()[-1] == "/integrity/tp-then-token/1.0/tp_then_token-1.0-py3-none-any.whl/provenance"


def test_a_token_upload_after_trusted_publishing_is_a_downgrade(pypi: PypiClient) -> None:
    facts = pypi.facts("tp-then-token", "1.3")
    assert facts.evidence == NONE and facts.publishers == frozenset()
    history = pypi.history("tp-then-token", "1.3", publisher_limit=1)
    assert history.before == facts.release_time
    assert [e.version for e in history.entries] == ["1.2", "1.1", "1.0"]  # newest first; 2.0rc1 left out
    assert history.include_prereleases is False
    strongest, holder = history.strongest()
    assert strongest == TRUSTED_PUBLISHER and holder is not None and holder.version == "1.2"
    assert history.entries[0].publishers == frozenset({ACME})
    assert history.entries[1].publishers is UNKNOWN  # beyond publisher_limit
    assert history.partial is False


def test_a_prerelease_history_includes_prereleases(fake: FakeRegistry, pypi: PypiClient) -> None:
    fake.add_pypi("tp-then-token", "2.0rc2", at(6))
    history = pypi.history("tp-then-token", "2.0rc2", publisher_limit=0)
    assert [e.version for e in history.entries] == ["1.3", "2.0rc1", "1.2", "1.1", "1.0"]
    assert history.entries[1].prerelease is True and history.include_prereleases is True


def test_history_is_by_publish_time_not_version_number(fake: FakeRegistry, pypi: PypiClient) -> None:
    fake.add_pypi("tp-then-token", "0.9.1", at(6), publisher=github_publisher("acme/tp-then-token"))  # a backport
    history = pypi.history("tp-then-token", "0.9.1")
    assert [e.version for e in history.entries] == ["1.3", "1.2", "1.1", "1.0"]


def test_history_before_a_given_time(pypi: PypiClient) -> None:
    history = pypi.history("tp-then-token", "1.3", before=at(2, 13), publisher_limit=0)
    assert [e.version for e in history.entries] == ["1.1", "1.0"]


def test_a_changed_publisher_repository(pypi: PypiClient) -> None:
    facts = pypi.facts("moved", "2.1", publishers=True)
    assert facts.publishers == frozenset({Publisher("GitHub", "evil/moved", "publish.yml")})
    history = pypi.history("moved", "2.1", publisher_limit=3)
    assert history.last_publishers() == frozenset({Publisher("GitHub", "acme/moved", "release.yml")})
    (publisher,) = facts.publishers  # type: ignore[misc]
    assert not publisher.matches(repository="acme/moved")
    assert publisher.matches(repository="Evil/Moved", workflow=".github/workflows/publish.yml")


def test_a_deleted_version_does_not_exist(fake: FakeRegistry, pypi: PypiClient) -> None:
    facts = pypi.facts("litellm", "1.82.8")
    assert facts.exists is False
    assert facts.reason == f"{fake.pypi_url} lists no version 1.82.8 of litellm"
    assert facts.release_time is UNKNOWN and facts.hashes is UNKNOWN and facts.evidence is UNKNOWN
    assert pypi.facts("litellm", "1.82.6").exists is True


def test_an_unknown_project_does_not_exist(fake: FakeRegistry, pypi: PypiClient) -> None:
    facts = pypi.facts("no-such-project", "1.0")
    assert facts.exists is False
    assert facts.reason == f"{fake.pypi_url} has no project 'no-such-project' (HTTP 404)"


def test_a_yanked_version(pypi: PypiClient) -> None:
    facts = pypi.facts("yanky", "1.1")
    assert facts.exists is True and facts.yanked is True and facts.yanked_reason == "broken build"
    assert pypi.facts("yanky", "1.0").yanked is False


def test_a_hash_the_index_never_published(fake: FakeRegistry, pypi: PypiClient) -> None:
    facts = pypi.facts("yanky", "1.0")
    lockfile = {"sha256:" + sha256(b"something else")}
    assert isinstance(facts.hashes, frozenset) and not (lockfile & facts.hashes)
    assert facts.files_matching(lockfile) == ()
    real = "sha256:" + fake.pypi["yanky"]["files"][1]["hashes"]["sha256"]
    assert [f.filename for f in facts.files_matching({real})] == ["yanky-1.0-py3-none-any.whl"]


def test_a_mirror_that_strips_provenance_gives_unknown_not_none(fake: FakeRegistry, pypi: PypiClient) -> None:
    fake.strip_provenance = True
    facts = pypi.facts("tp-then-token", "1.3")
    assert facts.evidence is UNKNOWN and facts.publishers is UNKNOWN
    assert facts.release_time == at(5)  # everything else is still known
    assert facts.reason == (f"{fake.pypi_url} does not say whether the files have provenance (no PEP 740 provenance "
                            "key: a mirror that does not serve it?)")
    history = pypi.history("tp-then-token", "1.3")
    assert history.strongest() == (UNKNOWN, None) and history.partial is True


def test_the_integrity_api_failing_leaves_publishers_unknown(fake: FakeRegistry, pypi: PypiClient) -> None:
    path = "/integrity/moved/2.1/moved-2.1.tar.gz/provenance"
    fake.fail(path, Fault("status", 500), Fault("status", 500))
    facts = pypi.facts("moved", "2.1", publishers=True)
    assert facts.evidence == TRUSTED_PUBLISHER and facts.publishers is UNKNOWN
    assert facts.reason == f"HTTP 500 from {fake.root}{path} (gave up after 2 tries)"


def test_announced_provenance_that_is_missing(fake: FakeRegistry, pypi: PypiClient) -> None:
    del fake.provenance["/integrity/moved/2.1/moved-2.1.tar.gz/provenance"]
    facts = pypi.facts("moved", "2.1", publishers=True)
    assert facts.publishers is UNKNOWN
    assert facts.reason == (f"the index lists provenance for moved-2.1.tar.gz, but {fake.root}"
                            "/integrity/moved/2.1/moved-2.1.tar.gz/provenance answered 404")


def test_a_malformed_provenance_object(fake: FakeRegistry, pypi: PypiClient) -> None:
    fake.provenance["/integrity/moved/2.1/moved-2.1.tar.gz/provenance"] = {"version": 1, "attestation_bundles": []}
    facts = pypi.facts("moved", "2.1", publishers=True)
    assert facts.publishers is UNKNOWN
    assert facts.reason == (f"{fake.root}/integrity/moved/2.1/moved-2.1.tar.gz/provenance: 'attestation_bundles' must "
                            "be a non-empty list")


def test_an_index_without_the_json_api_gives_unknown(fake: FakeRegistry, pypi: PypiClient) -> None:
    fake.fail("/simple/yanky/", Fault("html"))
    facts = pypi.facts("yanky", "1.0")
    assert facts.exists is UNKNOWN and facts.release_time is UNKNOWN
    assert facts.reason == f"{fake.pypi_url}/yanky/ answered text/html, not {SIMPLE_JSON}"


@pytest.mark.parametrize(("page", "reason"), [
    ({"meta": {"api-version": "2.0"}, "name": "yanky", "files": []}, "simple API version '2.0' is not supported"),
    ({"meta": {"api-version": "1.1"}, "name": "yanky", "files": {}}, "'files' must be a list (PEP 691)"),
    ({"meta": {"api-version": "1.1"}, "name": "yanky", "files": [{"filename": "yanky-1.0.tar.gz"}]},
     "files[0]: 'filename' and 'url' must be strings"),
    ({"files": [{"filename": "yanky-1.0.tar.gz", "url": "x", "hashes": {}, "upload-time": "yesterday"}]},
     "files[0]: 'upload-time' is not an ISO 8601 time"),
    ({"files": [{"filename": "yanky-1.0.tar.gz", "url": "x", "hashes": {}, "provenance": 42}]},
     "files[0]: 'provenance' must be a URL or null (PEP 740)"),
    ({"files": [], "versions": "1.0"}, "'versions' must be a list of strings (PEP 700)"),
    ([], "expected a JSON object (PEP 691 project page)"),
])
def test_malformed_pages_give_unknown_with_the_reason(fake: FakeRegistry, pypi: PypiClient, page: object,
                                                      reason: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fake, "pypi_page", lambda name: page)
    facts = pypi.facts("yanky", "1.0")
    assert facts.exists is UNKNOWN
    assert facts.reason is not None and facts.reason.startswith(f"{fake.pypi_url}/yanky/") and reason in facts.reason


def test_an_index_without_upload_times(fake: FakeRegistry, pypi: PypiClient) -> None:
    fake.add_pypi("untimed", "1.0", at(1), upload_time=False)
    facts = pypi.facts("untimed", "1.0")
    assert facts.exists is True and facts.release_time is UNKNOWN
    assert facts.reason == f"{fake.pypi_url} gives no upload-time (PEP 700)"


def test_a_version_published_after_the_cached_page_is_found(fake: FakeRegistry, pypi: PypiClient,
                                                           tmp_path: Path) -> None:
    assert pypi.facts("yanky", "1.0").exists is True
    fake.add_pypi("yanky", "1.2", at(9))
    later = make_client(fake, tmp_path)  # a later run: the page is in the cache and still fresh
    assert later.facts("yanky", "1.2").exists is True
    assert fake.count("/simple/yanky/") == 2


def test_offline_a_version_missing_from_the_cached_page_is_unknown(fake: FakeRegistry, pypi: PypiClient,
                                                                 tmp_path: Path) -> None:
    pypi.facts("yanky", "1.0")
    offline = make_client(fake, tmp_path, offline=True)
    assert offline.facts("yanky", "1.0").release_time == at(1)
    facts = offline.facts("yanky", "1.2")
    assert facts.exists is UNKNOWN
    assert facts.reason == "version 1.2 is not in the cached copy of the index page, which may predate it"


def test_offline_and_not_cached_is_unknown(fake: FakeRegistry, tmp_path: Path) -> None:
    facts = make_client(fake, tmp_path, offline=True).facts("yanky", "1.0")
    assert facts.exists is UNKNOWN and facts.evidence is UNKNOWN
    assert facts.reason == f"offline, not cached: {fake.pypi_url}/yanky/"
    assert fake.requests == []


def test_credentials_in_the_index_url(fake: FakeRegistry, tmp_path: Path) -> None:
    host = fake.root.removeprefix("http://")
    pypi = make_client(fake, tmp_path, index=f"http://ci:t0ken-value@{host}/simple/")
    facts = pypi.facts("moved", "2.1", publishers=True)
    assert facts.registry == fake.pypi_url and "t0ken-value" not in repr(facts)
    assert len(fake.requests) == 2  # the page and, at the same origin, the Integrity API
    assert all(h["authorization"].startswith("Basic ") for _, h in fake.requests)


def test_the_default_index_is_pypi(tmp_path: Path) -> None:
    fetcher = Fetcher(None, Cache(tmp_path), offline=True)
    assert PypiClient(fetcher).project_url("Foo.Bar") == "https://pypi.org/simple/foo-bar/"


def test_a_failing_index_serves_a_stale_page_once_and_a_missing_version_stays_unknown(
        fake: FakeRegistry, tmp_path: Path) -> None:
    clock = [1_800_000_000.0]
    http = HttpClient(proxies={}, sleep=lambda s: None, timeout=2.0, retries=1)
    first = PypiClient(Fetcher(http, Cache(tmp_path / "c", clock=lambda: clock[0]), clock=lambda: clock[0]),
                       fake.pypi_url)
    assert first.facts("yanky", "1.0").exists is True
    clock[0] += 7200
    fake.fail("/simple/yanky/", *[Fault("status", 503)] * 10)
    later = PypiClient(Fetcher(http, Cache(tmp_path / "c", clock=lambda: clock[0]), clock=lambda: clock[0]),
                       fake.pypi_url)
    old = later.facts("yanky", "1.0")
    assert old.exists is True and old.stale is True
    assert old.reason == (f"HTTP 503 from {fake.pypi_url}/yanky/ (gave up after 2 tries); using the cached copy "
                          "from 2027-01-15 08:00 UTC")
    missing = later.facts("yanky", "1.2")
    assert missing.exists is UNKNOWN
    assert missing.reason is not None and missing.reason.endswith(
        "version 1.2 is not in the cached copy of the index page, which may predate it")
    assert fake.count("/simple/yanky/") == 3  # one fetch, then one failed revalidation with its retry
