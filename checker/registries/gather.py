"""Facts for many versions at once: a bounded thread pool, one document per package, never an exception.

The facts stage hands over what it wants to know as FactsRequest values; ``Registries.gather`` answers each with
a FactsAnswer. Requests are grouped by (ecosystem, registry, package): a group is one task, so a package's
project page or packument is fetched once however many of its versions changed, and different packages are
fetched in parallel (``workers`` threads, default 16: registry requests are mostly waiting). The Fetcher's
single-flight memo makes any remaining overlap (a history and a facts lookup of one package) free as well.

Registry trouble never raises here: it comes back as UNKNOWN facts with a reason. ``Registries.create`` builds the
whole stack (HTTP helper, on-disk cache, fetcher) from a handful of options; tests and benchmarks inject their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from checker.manifests.common import canonical_pypi_name
from checker.registries.cache import Cache
from checker.registries.fetch import DEFAULT_TTL, Fetcher
from checker.registries.npm import NpmClient
from checker.registries.pypi import PypiClient
from checker.registries.types import History, VersionFacts, unknown_facts

WORKERS = 16
ECOSYSTEMS = ("pypi", "npm")


@dataclass(frozen=True, slots=True)
class FactsRequest:
    """One version to look up.

    registry: the index / registry base URL the manifest or policy names (None: the ecosystem's default).
    hashes: the lockfile's digests (PyPI: files matching them are preferred for provenance lookups).
    publishers: look up publisher identities (a request per attested file / version; needed to pin publishers).
    history: also build the provenance history (``provenance-downgrade``); ``publisher_limit`` bounds how many
    earlier versions get their publishers looked up (0: evidence levels only, no extra request).
    """

    ecosystem: str
    name: str
    version: str
    registry: str | None = None
    hashes: frozenset[str] = frozenset()
    publishers: bool = False
    history: bool = False
    publisher_limit: int = 0


@dataclass(frozen=True, slots=True)
class FactsAnswer:
    request: FactsRequest
    facts: VersionFacts
    history: History | None = None


class Registries:
    """The registry clients of one run, sharing one Fetcher (so one cache, one time budget, one memo)."""

    def __init__(self, fetcher: Fetcher, *, workers: int = WORKERS, provenance_files: int = 1,
                 npm_serves_provenance: Mapping[str, bool] | None = None) -> None:
        self.fetcher = fetcher
        self.workers = workers
        self.provenance_files = provenance_files
        self.npm_serves_provenance = dict(npm_serves_provenance or {})
        self._pypi: dict[str | None, PypiClient] = {}
        self._npm: dict[str | None, NpmClient] = {}

    @classmethod
    def create(
        cls,
        *,
        offline: bool = False,
        cache: Cache | bool = True,
        environ: Mapping[str, str] | None = None,
        credentials: Mapping[str, str] | None = None,
        ttl: float = DEFAULT_TTL,
        timeout: float = 10.0,
        retries: int = 3,
        budget_seconds: float = 120.0,
        workers: int = WORKERS,
        sleep: Callable[[float], None] = time.sleep,
        **http_options: object,
    ) -> "Registries":
        """The standard stack. ``cache``: True for the user cache directory (LOCKGATE_CACHE_DIR,
        XDG_CACHE_HOME/lockgate, ~/.cache/lockgate), False for none, or a Cache. Offline, no request is made."""
        from checker.registries.http import HttpClient

        store = Cache.default(environ) if cache is True else (cache or None)
        http = None if offline else HttpClient(timeout=timeout, retries=retries, budget_seconds=budget_seconds,
                                               credentials=credentials, sleep=sleep, **http_options)  # type: ignore[arg-type]
        return cls(Fetcher(http, store, offline=offline, ttl=ttl), workers=workers)

    def pypi(self, index_url: str | None = None) -> PypiClient:
        key = index_url.rstrip("/") if index_url else None
        client = self._pypi.get(key)
        if client is None:
            client = self._pypi.setdefault(key, PypiClient(self.fetcher, index_url,
                                                           provenance_files=self.provenance_files))
        return client

    def npm(self, registry_url: str | None = None) -> NpmClient:
        key = registry_url.rstrip("/") if registry_url else None
        client = self._npm.get(key)
        if client is None:
            host_setting = self.npm_serves_provenance.get(key or "")
            client = self._npm.setdefault(key, NpmClient(self.fetcher, registry_url, serves_provenance=host_setting))
        return client

    def answer(self, request: FactsRequest) -> FactsAnswer:
        """One request, answered in the calling thread."""
        if request.ecosystem == "pypi":
            pypi = self.pypi(request.registry)
            facts = pypi.facts(request.name, request.version, hashes=request.hashes, publishers=request.publishers)
            history = pypi.history(request.name, request.version, publisher_limit=request.publisher_limit) \
                if request.history else None
            return FactsAnswer(request, facts, history)
        if request.ecosystem == "npm":
            npm = self.npm(request.registry)
            facts = npm.facts(request.name, request.version, publishers=request.publishers)
            history = npm.history(request.name, request.version, publisher_limit=request.publisher_limit) \
                if request.history else None
            return FactsAnswer(request, facts, history)
        return FactsAnswer(request, unknown_facts(
            request.ecosystem, request.name, request.version, request.registry or "",
            f"lockgate asks no registry about {request.ecosystem} packages"))

    def gather(self, requests: Iterable[FactsRequest]) -> dict[FactsRequest, FactsAnswer]:
        """Answers to every request (duplicates answered once), fetched concurrently, one task per package."""
        groups: dict[tuple[str, str, str], list[FactsRequest]] = {}
        for request in dict.fromkeys(requests):
            name = canonical_pypi_name(request.name) if request.ecosystem == "pypi" else request.name
            registry = (request.registry or "").rstrip("/")
            groups.setdefault((request.ecosystem, registry, name), []).append(request)
        if not groups:
            return {}

        def run(group: list[FactsRequest]) -> list[FactsAnswer]:
            return [self.answer(request) for request in group]

        answers: dict[FactsRequest, FactsAnswer] = {}
        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(groups)))) as pool:
            for batch in pool.map(run, groups.values()):
                for answer in batch:
                    answers[answer.request] = answer
        return answers
