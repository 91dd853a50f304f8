"""OSV (https://osv.dev): the advisories that affect a version — vulnerabilities, and the OpenSSF malicious-packages
feed (``MAL-`` records) — through the same HTTP helper, cache, time budget and offline mode as the registries.

Two endpoints of the documented API (https://google.github.io/osv.dev/api/):
- ``POST {url}/v1/querybatch`` with ``{"queries": [{"package": {"ecosystem", "name"}, "version"}]}``, at most
  ``BATCH`` (1,000) queries a request; the answer has one result per query, in order: ``{"vulns": [{"id",
  "modified"}], "next_page_token"}`` (``{}``: no advisory). A result with a ``next_page_token`` has more: the
  query is sent again with ``page_token`` (together with the others that have more), at most ``MAX_ROUNDS``
  times; a query still unfinished then is UNKNOWN, never a short list.
- ``GET {url}/v1/vulns/{id}``: the whole record, read by checker/registries/advisories.py (severity, the fix hint,
  malicious or not). Records are cached on disk by URL (that is, by id) for ``RECORD_TTL``, and checked against
  the ``modified`` the query gave: a cached record whose ``modified`` differs is fetched again (revalidated).
  Records are fetched concurrently (``workers`` threads, each record once per run).

The querybatch answer itself is not cached: it is the one part that must be new (a malicious release is reported
within hours, and a cached "no advisory" would pass it for as long as the cache lives), and it costs one request
per thousand packages; the records, the heavy part, are cached. Offline nothing is asked: the copy ``lockgate db
sync`` keeps in the cache directory answers (checker/registries/osv_db.py), lockgate matching each record of the
package itself (advisories.py, without the API's word: a record it cannot evaluate leaves the answer UNKNOWN when
no other record affects the version); an ecosystem never synced is UNKNOWN ("offline: OSV was not asked, and …"),
and so is a version without advisories in a copy older than ``osv_db.MAX_COPY_AGE`` (malware is reported within
hours: an old copy's "none" would pass a release reported since; the advisories it does hold are still reported).

Every failure — a timeout, a 5xx or 429 after the HTTP helper's retries, an answer that is not JSON or not the
documented shape, a result count that differs from the query count — is UNKNOWN with the reason, for the queries
it concerns; never "no advisories". A record that cannot be fetched still counts: the query's answer holds an
Advisory with its id (malicious when it is a ``MAL-`` id) and unknown severity, and the reason says why.

A version is asked in every spelling that installs the same release (``spellings``): a pin ``litellm==1.82.8.0``
installs 1.82.8, and a server matching the text "1.82.8.0" against a list that says "1.82.8" would answer "none".
PyPI: as written, PEP 440's normal form (``1.82.08`` -> ``1.82.8``) and the canonical one without trailing zeros
(``1.82.8.0`` -> ``1.82.8``); npm: as written and node-semver's clean form (``v5.6.1`` -> ``5.6.1``). The answers
are merged; they cost no request of their own (the batch holds them).

Base URL: ``LOCKGATE_OSV_URL`` (tests, an air-gapped mirror), else the policy's ``registries.osv.url``, else
``https://api.osv.dev``. Ecosystems: ``pypi`` → ``PyPI`` (PEP 503 names), ``npm`` → ``npm`` (names as written),
``actions`` → ``GitHub Actions``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from checker.model import UNKNOWN, Advisory, Unknown
from checker.registries.advisories import OSV_ECOSYSTEMS, advisory_for, osv_name, page_url
from checker.registries.fetch import Fetcher
from checker.registries.http import MiB, RegistryError, parse_json, redact_url

DEFAULT_URL = "https://api.osv.dev"
ENV_URL = "LOCKGATE_OSV_URL"
BATCH = 1000  # the API's limit of queries per querybatch
MAX_ROUNDS = 20  # querybatch requests per chunk of queries, following next_page_token
RECORD_TTL = 7 * 24 * 3600.0  # a record is checked against the query's `modified` anyway
QUERY_MAX_BYTES = 32 * MiB
RECORD_MAX_BYTES = 8 * MiB
WORKERS = 16
# OSV evaluates no version of a GitHub Actions package: GitHub's advisories for actions carry ECOSYSTEM ranges and
# no ``versions`` list, and osv.dev does not order that ecosystem's versions (google/osv.dev#2308), so a query with
# a version answers "none" for an affected one. Such packages are asked by name alone, and lockgate evaluates every
# record listed, as it does offline (a record it cannot evaluate leaves the answer UNKNOWN). OSV compares these
# names by case and GitHub does not: an action is asked as written and in lower case (one batch, no extra request).
PACKAGE_QUERIES = frozenset({"actions"})


def osv_url(configured: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The OSV API base URL: ``LOCKGATE_OSV_URL``, else the policy's, else api.osv.dev."""
    import os

    env = os.environ if environ is None else environ
    return (env.get(ENV_URL, "").strip() or configured or DEFAULT_URL).rstrip("/")


class OsvQuery(NamedTuple):
    """One version to ask about, in lockgate's terms (ecosystem ``pypi`` / ``npm`` / ``actions``)."""

    ecosystem: str
    name: str
    version: str


class OsvAnswer(NamedTuple):
    """The advisories that affect the version (empty: none), or UNKNOWN; ``reason`` says why, or what is partial."""

    advisories: tuple[Advisory, ...] | Unknown
    reason: str | None = None


class _Listed(NamedTuple):
    id: str
    modified: str


class OsvClient:
    """Asks one OSV API. Thread-safe: its state is in the Fetcher (shared with the registry clients)."""

    def __init__(self, fetcher: Fetcher, url: str | None = None, *, workers: int = WORKERS) -> None:
        self.fetcher = fetcher
        self.url = (url or DEFAULT_URL).rstrip("/")
        self.workers = workers

    def advisories(self, queries: Iterable[OsvQuery], *, private: Iterable[OsvQuery] = ()) -> dict[OsvQuery, OsvAnswer]:
        """An answer for every query (see the module docstring); never raises for OSV trouble. ``private``: queries
        whose package names must not leave the machine (the policy's ``registries.osv.private``): answered from the
        synced copy only, as offline, never sent to the API."""
        wanted = list(dict.fromkeys([*queries, *private]))
        kept = set(private)
        answers: dict[OsvQuery, OsvAnswer] = {}
        asked = []
        for query in wanted:
            if query.ecosystem not in OSV_ECOSYSTEMS:
                answers[query] = OsvAnswer(UNKNOWN, f"lockgate asks OSV nothing about {query.ecosystem} packages")
            else:
                asked.append(query)
        if not asked:
            return answers
        if self.fetcher.offline or self.fetcher.http is None:
            answers.update(self._offline(asked))
            return answers
        if kept:
            answers.update(self._offline([q for q in asked if q in kept], sent=False))
            asked = [q for q in asked if q not in kept]
            if not asked:
                return answers
        spelled = {query: ([query._replace(name=name, version="") for name in dict.fromkeys((query.name, query.name.lower()))]
                           if query.ecosystem in PACKAGE_QUERIES else
                           [query._replace(version=v) for v in spellings(query.ecosystem, query.version)])
                   for query in asked}
        sent = list(dict.fromkeys(variant for variants in spelled.values() for variant in variants))
        listed: dict[OsvQuery, list[_Listed]] = {}
        failed: dict[OsvQuery, str] = {}
        for start in range(0, len(sent), BATCH):
            found, lost = self._query(sent[start:start + BATCH])
            listed.update(found)
            failed.update(lost)
        records = self._records({item for items in listed.values() for item in items})
        for query, variants in spelled.items():
            reason = next((failed[v] for v in variants if v in failed), None)
            if reason is not None:
                answers[query] = OsvAnswer(UNKNOWN, reason)
                continue
            items = list(dict.fromkeys(item for v in variants for item in listed[v]))
            answers[query] = (self._evaluated(query, items, records) if query.ecosystem in PACKAGE_QUERIES
                              else self._answer(query, items, records))
        return answers

    def _offline(self, queries: list[OsvQuery], *, sent: bool = True) -> dict[OsvQuery, OsvAnswer]:
        """Answers from the synced copies (see the module docstring). ``sent=False``: for packages the policy keeps
        from the API, which the reason says instead of "offline"."""
        import os

        from checker.registries.osv_db import MAX_COPY_AGE, OsvDatabase, SyncError

        cache = self.fetcher.cache
        directory = os.path.dirname(cache.root) if cache is not None else None
        copies: dict[str, OsvDatabase | None] = {}
        answers = {}
        for query in queries:
            ecosystem = OSV_ECOSYSTEMS[query.ecosystem]
            if ecosystem not in copies:
                copies[ecosystem] = OsvDatabase.open(directory, ecosystem) if directory else None
            copy = copies[ecosystem]
            if copy is None:
                why = ("offline: OSV was not asked" if sent else
                       "its name is not sent to OSV (the policy's registries.osv.private)")
                answers[query] = OsvAnswer(UNKNOWN, f"{why}, and no copy of its {ecosystem} advisories was synced "
                                                    "(lockgate db sync)")
                continue
            try:
                records = copy.records(query.name)
            except SyncError as error:
                answers[query] = OsvAnswer(UNKNOWN, str(error))
                continue
            age = self.fetcher.clock() - copy.synced_at
            old = (f"the synced copy of OSV's {ecosystem} advisories is {int(age // 86400)} days old; run lockgate db "
                   "sync") if age > MAX_COPY_AGE else None
            found, undecided = _evaluate(query, records)
            reason = _undecided_reason(undecided, "from the synced copy ")
            if old is not None:  # what an old copy lacks is a release reported since: its "none" is not a "no"
                reason = "; ".join(r for r in (old, reason) if r)
            answers[query] = OsvAnswer(UNKNOWN if (undecided or old) and not found else
                                       tuple(found[key] for key in sorted(found)), reason)
        return answers

    # -- querybatch ------------------------------------------------------------------------------------------------

    def _query(self, chunk: list[OsvQuery]) -> tuple[dict[OsvQuery, list[_Listed]], dict[OsvQuery, str]]:
        """The ids listed for each query of one chunk, following pages; the queries that failed, with why."""
        found: dict[OsvQuery, list[_Listed]] = {query: [] for query in chunk}
        failed: dict[OsvQuery, str] = {}
        pending: dict[OsvQuery, str | None] = {query: None for query in chunk}  # query -> page token
        for _ in range(MAX_ROUNDS):
            if not pending:
                return found, failed
            batch = list(pending)
            try:
                results = self._post(batch, pending)
            except RegistryError as error:
                failed.update((query, error.reason) for query in batch)
                break
            pending = {}
            for query, result in zip(batch, results):
                items, token = result
                found[query].extend(items)
                if token:
                    pending[query] = token
        else:
            if pending:
                failed.update((query, f"OSV listed more pages of advisories than lockgate follows ({MAX_ROUNDS})")
                              for query in pending)
        for query in failed:
            found.pop(query, None)
        return found, failed

    def _post(self, batch: list[OsvQuery], tokens: Mapping[OsvQuery, str | None]) -> list[tuple[list[_Listed], str | None]]:
        url = f"{self.url}/v1/querybatch"
        body = json.dumps({"queries": [_query_json(query, tokens.get(query)) for query in batch]}).encode()
        http = self.fetcher.http
        assert http is not None
        response = http.post(url, body, headers={"Accept": "application/json"}, max_bytes=QUERY_MAX_BYTES)
        data = parse_json(response.body, url)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list) or len(results) != len(batch):
            count = len(results) if isinstance(results, list) else "no"
            raise RegistryError(f"{redact_url(url)} answered {count} results to {len(batch)} queries, not the "
                                "documented shape", url=url)
        return [_read_result(result, url) for result in results]

    # -- records ---------------------------------------------------------------------------------------------------

    def _records(self, listed: set[_Listed]) -> dict[str, Mapping[str, Any] | str]:
        """Each listed record by id, or why it could not be had."""
        items = sorted(listed)
        if not items:
            return {}
        if len(items) == 1:
            return {items[0].id: self._record(items[0])}
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(items)))) as pool:
            return dict(zip((item.id for item in items), pool.map(self._record, items)))

    def _record(self, item: _Listed) -> Mapping[str, Any] | str:
        import urllib.parse

        url = f"{self.url}/v1/vulns/{urllib.parse.quote(item.id, safe='')}"
        try:
            document = self.fetcher.json(url, accept="application/json", max_bytes=RECORD_MAX_BYTES, ttl=RECORD_TTL)
            if _modified(document.data) != item.modified and not document.live:
                document = self.fetcher.json(url, accept="application/json", max_bytes=RECORD_MAX_BYTES,
                                             ttl=RECORD_TTL, refresh=True)
        except RegistryError as error:
            return error.reason
        data = document.data
        if not isinstance(data, dict) or data.get("id") != item.id:
            return f"{self.fetcher.shown(url)} did not answer the record {item.id}"
        return data

    def _answer(self, query: OsvQuery, items: list[_Listed], records: Mapping[str, Mapping[str, Any] | str]) -> OsvAnswer:
        advisories: dict[str, Advisory] = {}
        reasons = []
        for item in items:
            record = records.get(item.id, "not fetched")
            if isinstance(record, str):
                reasons.append(f"advisory {item.id}: {record}")
                advisories[item.id] = Advisory(id=item.id, malicious=item.id.upper().startswith("MAL-"),
                                               url=page_url(item.id))
                continue
            found = advisory_for(record, query.ecosystem, query.name, query.version, listed=True)
            if isinstance(found, Advisory):
                advisories[item.id] = found
        ordered = tuple(advisories[key] for key in sorted(advisories))
        return OsvAnswer(ordered, "; ".join(reasons) or None)


    def _evaluated(self, query: OsvQuery, items: list[_Listed],
                   records: Mapping[str, Mapping[str, Any] | str]) -> OsvAnswer:
        """The answer to a package query (PACKAGE_QUERIES): lockgate decides which listed records affect the
        version. A record that could not be fetched, or not evaluated, leaves the answer UNKNOWN unless another
        record does affect the version (then the reason still names it)."""
        fetched = [record for item in items if not isinstance(record := records.get(item.id, "not fetched"), str)]
        lost = [f"advisory {item.id}: {records.get(item.id, 'not fetched')}" for item in items
                if isinstance(records.get(item.id, "not fetched"), str)]
        found, undecided = _evaluate(query, fetched)
        reason = "; ".join(r for r in (*lost, _undecided_reason(undecided, "")) if r) or None
        if (lost or undecided) and not found:
            return OsvAnswer(UNKNOWN, reason)
        return OsvAnswer(tuple(found[key] for key in sorted(found)), reason)


def _evaluate(query: OsvQuery, records: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Advisory], list[str]]:
    """The records that affect the query's version, by id, and the ids of those lockgate cannot evaluate."""
    found: dict[str, Advisory] = {}
    undecided = []
    for record in records:
        advisory = advisory_for(record, query.ecosystem, query.name, query.version)
        if isinstance(advisory, Advisory):
            found[advisory.id] = advisory
        elif advisory is UNKNOWN:
            undecided.append(str(record.get("id", "?")))
    return found, undecided


def _undecided_reason(undecided: list[str], where: str) -> str | None:
    if not undecided:
        return None
    verb = "affects" if len(undecided) == 1 else "affect"
    return f"lockgate cannot tell {where}whether {', '.join(sorted(undecided))} {verb} this version"


def spellings(ecosystem: str, version: str) -> list[str]:
    """The spellings of ``version`` that install the same release, the written one first (module docstring)."""
    found = [version]
    if ecosystem == "pypi":
        from packaging.utils import canonicalize_version
        from packaging.version import InvalidVersion, Version

        try:
            found += [str(Version(version)), str(canonicalize_version(version))]
        except InvalidVersion:
            pass
    elif ecosystem == "npm":
        from checker.versions import semver

        clean = semver.valid(version)
        if clean:
            found.append(clean)
    return list(dict.fromkeys(found))


def _query_json(query: OsvQuery, token: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"package": {"ecosystem": OSV_ECOSYSTEMS[query.ecosystem],
                                         "name": osv_name(query.ecosystem, query.name)}}
    if query.ecosystem not in PACKAGE_QUERIES:
        found["version"] = query.version
    if token:
        found["page_token"] = token
    return found


def _read_result(result: object, url: str) -> tuple[list[_Listed], str | None]:
    """One querybatch result: the ids it lists and its next page token; RegistryError when it is not the shape the
    API documents (then nothing of the batch is trusted)."""
    shape = RegistryError(f"{redact_url(url)} answered a result that is not the documented shape", url=url)
    if not isinstance(result, dict):
        raise shape
    vulns = result.get("vulns", [])
    token = result.get("next_page_token")
    if not isinstance(vulns, list) or (token is not None and not isinstance(token, str)):
        raise shape
    items = []
    for vuln in vulns:
        if not isinstance(vuln, dict) or not isinstance(vuln.get("id"), str) or not vuln["id"].strip():
            raise shape
        modified = vuln.get("modified")
        items.append(_Listed(vuln["id"].strip(), modified if isinstance(modified, str) else ""))
    return items, token or None


def _modified(data: object) -> str | None:
    value = data.get("modified") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None
