"""Facts for many versions at once (checker/registries/gather.py): one document per package, concurrency, errors as
UNKNOWN, the offline stack, and the mapping to the pipeline's Facts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.model import UNKNOWN, Facts
from checker.registries.cache import Cache
from checker.registries.gather import FactsRequest, Registries
from checker.registries.types import NONE, TRUSTED_PUBLISHER, Publisher, VersionFacts
from tests.fakes.registry import Fault, FakeRegistry, at, standard_scenarios


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with FakeRegistry() as server:
        standard_scenarios(server)
        yield server


def registries(tmp_path: Path, **options: object) -> Registries:
    settings: dict[str, object] = {"cache": Cache(tmp_path / "cache"), "proxies": {}, "sleep": lambda s: None,
                                   "retries": 1, "timeout": 2.0}
    settings.update(options)
    return Registries.create(**settings)  # type: ignore[arg-type]


def test_each_document_is_fetched_once(fake: FakeRegistry, tmp_path: Path) -> None:
    requests = [
        FactsRequest("pypi", "tp-then-token", "1.3", fake.pypi_url, history=True),
        FactsRequest("pypi", "Tp_Then_Token", "1.2", fake.pypi_url),
        FactsRequest("pypi", "litellm", "1.82.8", fake.pypi_url),
        FactsRequest("npm", "tp-pkg", "1.2.0", fake.npm_url, history=True),
        FactsRequest("npm", "tp-pkg", "1.1.0", fake.npm_url),
        FactsRequest("npm", "left-pad", "1.3.0", fake.npm_url),
        FactsRequest("npm", "left-pad", "1.3.0", fake.npm_url),  # a duplicate
        FactsRequest("docker", "library/python", "3.12"),
    ]
    answers = registries(tmp_path).gather(requests)
    assert set(answers) == set(requests)
    assert sorted(fake.paths()) == ["/npm/left-pad", "/npm/tp-pkg", "/simple/litellm/", "/simple/tp-then-token/"]
    downgrade = answers[requests[0]]
    assert downgrade.facts.evidence == NONE
    assert downgrade.history is not None and downgrade.history.strongest()[0] == TRUSTED_PUBLISHER
    assert answers[requests[1]].facts.evidence == TRUSTED_PUBLISHER and answers[requests[1]].history is None
    assert answers[requests[2]].facts.exists is False
    assert answers[requests[3]].history is not None and answers[requests[3]].history.strongest()[0] == TRUSTED_PUBLISHER
    assert answers[requests[5]].facts.exists is False
    docker = answers[requests[7]].facts
    assert docker.exists is UNKNOWN and docker.reason == "lockgate asks no registry about docker packages"


def test_packages_are_fetched_concurrently(tmp_path: Path) -> None:
    with FakeRegistry(latency=0.2) as slow:
        for n in range(12):
            slow.add_pypi(f"pkg{n}", "1.0", at(1))
        answers = registries(tmp_path, workers=12).gather(
            FactsRequest("pypi", f"pkg{n}", "1.0", slow.pypi_url) for n in range(12))
    assert all(a.facts.exists is True for a in answers.values())
    assert slow.max_in_flight > 1  # the speed itself is measured by benchmarks/facts.py


def test_registry_failures_are_unknown_facts_not_exceptions(fake: FakeRegistry, tmp_path: Path) -> None:
    fake.fail("/simple/yanky/", Fault("status", 500), Fault("status", 500))
    request = FactsRequest("pypi", "yanky", "1.0", fake.pypi_url)
    facts = registries(tmp_path).gather([request])[request].facts
    assert facts.exists is UNKNOWN
    assert facts.reason == f"HTTP 500 from {fake.pypi_url}/yanky/ (gave up after 2 tries)"


def test_offline_nothing_is_asked(fake: FakeRegistry, tmp_path: Path) -> None:
    request = FactsRequest("npm", "tp-pkg", "1.2.0", fake.npm_url, history=True)
    answer = registries(tmp_path, offline=True).gather([request])[request]
    assert answer.facts.exists is UNKNOWN and answer.facts.reason == f"offline, not cached: {fake.npm_url}/tp-pkg"
    assert answer.history is not None and answer.history.entries == ()
    assert fake.requests == []


def test_offline_after_an_online_run_uses_the_cache(fake: FakeRegistry, tmp_path: Path) -> None:
    request = FactsRequest("pypi", "yanky", "1.1", fake.pypi_url)
    registries(tmp_path).gather([request])
    facts = registries(tmp_path, offline=True).gather([request])[request].facts
    assert facts.yanked is True and facts.release_time == at(2)


def test_the_default_registries_are_used_when_none_is_named(tmp_path: Path) -> None:
    stack = registries(tmp_path, offline=True)
    assert stack.pypi().index_url == "https://pypi.org/simple"
    assert stack.npm().registry_url == "https://registry.npmjs.org"
    assert stack.pypi("https://mirror.example/simple/") is stack.pypi("https://mirror.example/simple")


def test_to_facts_maps_to_the_pipeline_model(fake: FakeRegistry, tmp_path: Path) -> None:
    request = FactsRequest("npm", "scripted", "1.0.0", fake.npm_url)
    facts = registries(tmp_path).gather([request])[request].facts.to_facts()
    assert isinstance(facts, Facts)
    assert (facts.ecosystem, facts.name, facts.version) == ("npm", "scripted", "1.0.0")
    assert facts.install_script is True and facts.yanked is False
    assert facts.provenance is UNKNOWN  # this fake registry shows no provenance for the package
    request = FactsRequest("pypi", "tp-then-token", "1.3", fake.pypi_url)
    assert registries(tmp_path).gather([request])[request].facts.to_facts().provenance is None


def test_gather_of_nothing() -> None:
    assert Registries.create(offline=True, cache=False).gather([]) == {}


def test_threads_are_bounded(fake: FakeRegistry, tmp_path: Path) -> None:
    for n in range(30):
        fake.add_npm(f"p{n}", "1.0.0", at(1))
    seen: set[int] = set()
    original = Registries.answer

    def spy(self: Registries, request: FactsRequest):  # type: ignore[no-untyped-def]
        seen.add(threading.get_ident())
        return original(self, request)

    stack = registries(tmp_path, workers=4)
    stack.answer = spy.__get__(stack)  # type: ignore[method-assign]
    stack.gather(FactsRequest("npm", f"p{n}", "1.0.0", fake.npm_url) for n in range(30))
    assert 1 <= len(seen) <= 4


def test_a_warm_cache_answers_without_the_network(fake: FakeRegistry, tmp_path: Path) -> None:
    requests = [FactsRequest("pypi", "yanky", "1.1", fake.pypi_url, history=True),
                FactsRequest("npm", "left-pad", "1.2.0", fake.npm_url, history=True)]
    cold = registries(tmp_path).gather(requests)
    fake.requests.clear()
    warm = registries(tmp_path).gather(requests)
    assert fake.requests == []
    assert {r: a.facts for r, a in warm.items()} == {r: a.facts for r, a in cold.items()}


def test_publisher_lookups_go_to_the_pool_even_when_the_page_is_cached(fake: FakeRegistry, tmp_path: Path) -> None:
    registries(tmp_path).gather([FactsRequest("pypi", "moved", "2.1", fake.pypi_url)])
    fake.requests.clear()
    request = FactsRequest("pypi", "moved", "2.1", fake.pypi_url, publishers=True)
    facts = registries(tmp_path).gather([request])[request].facts
    assert facts.publishers == frozenset({Publisher("GitHub", "evil/moved", "publish.yml")})
    assert fake.paths() == ["/integrity/moved/2.1/moved-2.1.tar.gz/provenance"]


def test_a_mirror_can_be_declared_to_pass_provenance_through(fake: FakeRegistry, tmp_path: Path) -> None:
    request = FactsRequest("npm", "left-pad", "1.2.0", fake.npm_url)
    assert registries(tmp_path).gather([request])[request].facts.evidence is UNKNOWN
    declared = registries(tmp_path, npm_serves_provenance={fake.npm_url + "/": True})
    assert declared.gather([request])[request].facts.evidence == NONE


class _EchoClient:
    """A facts client of FACTS_CLIENTS' shape: remembers how it was built and what it was asked."""

    built: list[tuple[object, str | None]] = []

    def __init__(self, fetcher: object, registry: str | None) -> None:
        self.registry = registry
        _EchoClient.built.append((fetcher, registry))

    def facts(self, name: str, version: str) -> VersionFacts:
        return VersionFacts("go", name, version, self.registry or "public", exists=True)

    def cached(self, name: str) -> bool:
        return name == "example.com/cached"


def test_other_ecosystems_are_answered_by_their_facts_client_one_per_registry(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys
    import types

    from checker.registries import gather

    module = types.ModuleType("checker.registries._echo_client")
    module.EchoClient = _EchoClient  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "checker.registries._echo_client", module)
    monkeypatch.setitem(gather.FACTS_CLIENTS, "go", "_echo_client:EchoClient")
    monkeypatch.setitem(gather.CLIENT_SETTINGS, "go", {})  # the echo takes only (fetcher, registry_url)
    _EchoClient.built.clear()
    stack = Registries.create(offline=True, cache=Cache(tmp_path))
    answers = stack.gather([FactsRequest("go", "example.com/a", "v1.0.0"),
                                 FactsRequest("go", "example.com/b", "v1.0.0"),
                                 FactsRequest("go", "example.com/a", "v1.0.0", registry="https://goproxy.test/")])
    assert {a.facts.registry for a in answers.values()} == {"public", "https://goproxy.test"}
    assert all(a.facts.exists is True for a in answers.values())
    assert [registry for _, registry in _EchoClient.built] == [None, "https://goproxy.test"]
    assert stack.client("go") is stack.client("go", None)
    assert stack.client("maven") is None  # no registry client: unknown, as before
    unknown = stack.answer(FactsRequest("maven", "g:a", "1"))
    assert unknown.facts.exists is UNKNOWN and "asks no registry" in (unknown.facts.reason or "")
