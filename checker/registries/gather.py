"""Facts for many versions at once: a bounded thread pool, one document per package, never an exception.

The facts stage hands over what it wants to know as FactsRequest values; ``Registries.gather`` answers each with
a FactsAnswer. Requests are grouped by (ecosystem, registry, package): a group is one task, so a package's
project page or packument is fetched once however many of its versions changed, and different packages are
fetched in parallel (``workers`` threads, default 16: registry requests are mostly waiting). The Fetcher's
single-flight memo makes any remaining overlap (a history and a facts lookup of one package) free as well.
Packages whose document is fresh in the cache are answered by the calling thread while the pool waits on the
network for the others: that work is pure CPU, which threads would only slow down by contending for the GIL.

Registry trouble never raises here: it comes back as UNKNOWN facts with a reason. ``Registries.create`` builds the
whole stack (HTTP helper, on-disk cache, fetcher) from a handful of options; tests and benchmarks inject their own.
The HTTP helper keeps up to ``workers`` connections per host alive for the workers to reuse; ``close()`` (or
``with``) closes them when the run is over.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from checker.manifests.common import canonical_pypi_name
from checker.registries.cache import Cache
from checker.registries.fetch import DEFAULT_TTL, Fetcher
from checker.registries.npm import NpmClient
from checker.registries.pypi import PypiClient
from checker.registries.types import History, VersionFacts, unknown_facts

if TYPE_CHECKING:
    from checker.policy.load import RegistryPolicy
    from checker.registries.osv import OsvClient
    from checker.registries.scorecard import ScorecardClient

WORKERS = 16
ECOSYSTEMS = ("pypi", "npm")
# The other ecosystems' registries, each answered by a plain facts client: ecosystem -> "module:Class" in
# checker.registries, imported only when a dependency of that ecosystem is looked up. The class is built as
# ``Class(fetcher, registry_url)`` (registry_url None: the public registry) and has
# ``facts(name, version) -> VersionFacts`` (never raising: registry trouble is UNKNOWN with a reason) and
# ``cached(name) -> bool`` (the package's document is at hand without the network).
FACTS_CLIENTS: dict[str, str] = {
    "cargo": "crates:CratesClient",
    "gem": "rubygems:RubygemsClient",
    "composer": "packagist:PackagistClient",
    "go": "goproxy:GoProxyClient",
    "nuget": "nuget:NugetClient",
    "pub": "pubdev:PubClient",
}
# More of the policy's ``registries:`` section a FACTS_CLIENTS class needs beside its registry URL: ecosystem ->
# {keyword argument: RegistryPolicy field}. The class is then built as ``Class(fetcher, registry_url, **those)``,
# each value the field's (None when unset, or when the run has no policy); a class without a row gets exactly the
# two arguments above. Go's client also asks the checksum database (``registries.go-sumdb``).
CLIENT_SETTINGS: dict[str, dict[str, str]] = {"go": {"sumdb_url": "go_sumdb"}}


class FactsClient(Protocol):
    """What a client of FACTS_CLIENTS offers (see there)."""

    def facts(self, name: str, version: str) -> VersionFacts: ...

    def cached(self, name: str) -> bool: ...


class FactsRequest(NamedTuple):
    """One version to look up.

    registry: the index / registry base URL the manifest or policy names (None: the ecosystem's default).
    hashes: the lockfile's digests (PyPI: files matching them are preferred for provenance lookups).
    publishers: look up publisher identities (a request per attested file / version; needed to pin publishers).
    history: also build the provenance history (``provenance-downgrade``); ``publisher_limit`` bounds how many
    earlier versions get their publishers looked up (0: evidence levels only, no extra request).
    license: also find out the version's license (npm: from the packument; PyPI: one JSON API request).
    repository: also find out the source repository it names (npm: from the packument; PyPI: the same JSON API
    request as the license, made once however many of the two ask for it).
    ownership: PyPI: also read the project's ``ownership`` roles, only from the JSON API answer that ``license`` or
    ``repository`` makes anyway (no request of its own; rule ``publisher-change``).
    """

    ecosystem: str
    name: str
    version: str
    registry: str | None = None
    hashes: frozenset[str] = frozenset()
    publishers: bool = False
    history: bool = False
    publisher_limit: int = 0
    license: bool = False
    repository: bool = False
    ownership: bool = False


class FactsAnswer(NamedTuple):
    request: FactsRequest
    facts: VersionFacts
    history: History | None = None


class Registries:
    """The registry clients of one run, sharing one Fetcher (so one cache, one time budget, one memo)."""

    def __init__(self, fetcher: Fetcher, *, workers: int = WORKERS, provenance_files: int = 1,
                 npm_serves_provenance: Mapping[str, bool] | None = None,
                 settings: RegistryPolicy | None = None) -> None:
        self.fetcher = fetcher
        self.settings = settings  # the policy's registries section: what CLIENT_SETTINGS hands the clients
        self.workers = workers
        self.provenance_files = provenance_files
        self.npm_serves_provenance = {k.rstrip("/"): v for k, v in (npm_serves_provenance or {}).items()}
        self._pypi: dict[str | None, PypiClient] = {}
        self._npm: dict[str | None, NpmClient] = {}
        self._osv: dict[str | None, OsvClient] = {}
        self._others: dict[tuple[str, str | None], FactsClient] = {}
        self._lock = threading.Lock()

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
        provenance_files: int = 1,
        npm_serves_provenance: Mapping[str, bool] | None = None,
        settings: RegistryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        **http_options: Any,
    ) -> "Registries":
        """The standard stack. ``cache``: True for the user cache directory (LOCKGATE_CACHE_DIR,
        XDG_CACHE_HOME/lockgate, ~/.cache/lockgate), False for none, or a Cache. Offline, no request is made.
        ``credentials``: URL prefix -> Authorization value (see http.py). ``npm_serves_provenance``: registry URL
        -> whether that npm registry passes provenance through (default: decided as npm.py describes).
        ``settings``: the policy's registries section, for the clients' own settings (CLIENT_SETTINGS).
        ``http_options``: more HttpClient settings (``max_retry_after``, ``proxies``, ``max_bytes``, ...)."""
        from checker.registries.http import HttpClient

        # Offline too: nothing is fetched then, but the helper's register of secrets still masks them in messages
        # and in the cache's records (so an entry stored online is found offline).
        http = HttpClient(timeout=timeout, retries=retries, budget_seconds=budget_seconds, credentials=credentials,
                          sleep=sleep, **{"max_idle": workers, **http_options})
        store = Cache.default(environ, redact=http.redact) if cache is True else (cache or None)
        return cls(Fetcher(http, store, offline=offline, ttl=ttl), workers=workers,
                   provenance_files=provenance_files, npm_serves_provenance=npm_serves_provenance, settings=settings)

    def close(self) -> None:
        """Close the kept-alive registry connections (the facts stage does it when its run is over)."""
        if self.fetcher.http is not None:
            self.fetcher.http.close()

    def __enter__(self) -> "Registries":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    def client(self, ecosystem: str, registry_url: str | None = None) -> FactsClient | None:
        """The facts client of one of FACTS_CLIENTS' ecosystems at ``registry_url`` (None: the public registry),
        one per (ecosystem, registry) for the run; None for an ecosystem no registry is asked about."""
        where = FACTS_CLIENTS.get(ecosystem)
        if where is None:
            return None
        key = (ecosystem, registry_url.rstrip("/") if registry_url else None)
        with self._lock:
            client = self._others.get(key)
            if client is None:
                import importlib

                module, _, name = where.partition(":")
                factory = getattr(importlib.import_module(f"checker.registries.{module}"), name)
                options = {keyword: getattr(self.settings, field, None)
                           for keyword, field in CLIENT_SETTINGS.get(ecosystem, {}).items()}
                client = self._others[key] = factory(self.fetcher, key[1], **options)
        return client

    def scorecard(self, url: str | None = None) -> ScorecardClient:
        """The Scorecard client of this run (``url``: the API's base URL; see scorecard.scorecard_url), on the same
        Fetcher: one HTTP helper, cache, time budget and offline mode with the registries."""
        from checker.registries.scorecard import ScorecardClient

        return ScorecardClient(self.fetcher, url, workers=self.workers)

    def osv(self, url: str | None = None) -> OsvClient:
        """The OSV client of this run (``url``: the API's base URL; see osv.osv_url), on the same Fetcher: one
        HTTP helper, cache, time budget and offline mode with the registries."""
        from checker.registries.osv import OsvClient

        key = (url or "").rstrip("/") or None
        with self._lock:
            client = self._osv.get(key)
            if client is None:
                client = self._osv[key] = OsvClient(self.fetcher, url, workers=self.workers)
        return client

    def answer(self, request: FactsRequest) -> FactsAnswer:
        """One request, answered in the calling thread."""
        if request.ecosystem == "pypi":
            pypi = self.pypi(request.registry)
            facts = pypi.facts(request.name, request.version, hashes=request.hashes, publishers=request.publishers)
            # The JSON API is asked only about a version the index lists: when the index page could not be read
            # (the registry is down), these stay unknown for the same reason, at no more requests and retries.
            if request.license and facts.exists is True:
                license, text, why = pypi.license(request.name, request.version)
                reason = "; ".join(r for r in (facts.reason, why) if r) or None
                facts = facts._replace(license=license, license_text=text, reason=reason)
            if request.repository and facts.exists is True:
                source, why = pypi.repository(request.name, request.version)  # the license's request, fetched once
                if why and why in (facts.reason or ""):
                    why = None  # the license said it already: one request, one failure
                reason = "; ".join(r for r in (facts.reason, why) if r) or None
                facts = facts._replace(repository=source, reason=reason)
            if request.ownership and (request.license or request.repository) and facts.exists is True:
                facts = facts._replace(ownership=pypi.ownership(request.name, request.version))
            history = pypi.history(request.name, request.version, publisher_limit=request.publisher_limit) \
                if request.history else None
            return FactsAnswer(request, facts, history)
        if request.ecosystem == "npm":
            npm = self.npm(request.registry)
            facts = npm.facts(request.name, request.version, publishers=request.publishers, license=request.license,
                              repository=request.repository)
            history = npm.history(request.name, request.version, publisher_limit=request.publisher_limit) \
                if request.history else None
            return FactsAnswer(request, facts, history)
        other = self.client(request.ecosystem, request.registry)
        if other is not None:
            return FactsAnswer(request, other.facts(request.name, request.version))
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
        if self.fetcher.offline:
            # Only the cache answers: no request to overlap, so no pool (a `check --all --offline` of a 1,000-package
            # lockfile spent a third of its time handing cache look-ups to threads; benchmarks/suite.py, npm).
            for group in groups.values():
                for answer in run(group):
                    answers[answer.request] = answer
            return answers
        local: list[list[FactsRequest]] = []
        remote: list[list[FactsRequest]] = []
        for group in groups.values():
            (local if self._answerable_locally(group) else remote).append(group)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(remote)))) as pool:
            batches = pool.map(run, remote)  # the network work starts now ...
            for group in local:  # ... while this thread answers from memory, sparing threads a GIL tug of war
                for answer in run(group):
                    answers[answer.request] = answer
            for batch in batches:
                for answer in batch:
                    answers[answer.request] = answer
        return answers

    def _answerable_locally(self, group: list[FactsRequest]) -> bool:
        """True when the package's document is at hand (fresh in the cache, or fetched already) and no request
        of the group wants publisher identities, which may need the network."""
        first = group[0]
        other = self.client(first.ecosystem, first.registry)
        if other is not None:
            return other.cached(first.name)
        if first.ecosystem not in ECOSYSTEMS or any(r.publishers or r.publisher_limit > 0 for r in group):
            return False
        if first.ecosystem == "pypi" and any(r.license or r.repository for r in group):
            return False  # the JSON API's answer per version may need the network
        client = self.pypi(first.registry) if first.ecosystem == "pypi" else self.npm(first.registry)
        return client.cached(first.name)
