"""PyPI (and any PEP 503/691 index): release times, yanks, published hashes and PEP 740 provenance of a version.

Two endpoints, both standard:
- the JSON simple API (PEP 691), ``GET {index}/{normalised-name}/`` with
  ``Accept: application/vnd.pypi.simple.v1+json``: ``files`` (``filename``, ``url``, ``hashes``, ``yanked`` —
  ``true`` or a reason string —, PEP 700 ``upload-time`` and PEP 740 ``provenance``) and PEP 700 ``versions``.
  An index that answers HTML instead (no PEP 691) gives UNKNOWN facts, never "no".
- the Integrity API (``GET /integrity/<project>/<version>/<filename>/provenance``, the URL a file's
  ``provenance`` key gives) answering ``{"version": 1, "attestation_bundles": [{"publisher": {"kind": "GitHub",
  "repository": "owner/repo", "workflow": "release.yml", "environment": …}, "attestations": […]}]}``.

PEP 740's ``provenance`` key has three answers, kept apart: a URL (the file has provenance), ``null`` (it has
none), and an absent key (the index does not say: a mirror that strips it) → UNKNOWN.

A file's version comes from its name (wheel: ``{name}-{version}(-{build})?-{py}-{abi}-{platform}.whl``; sdist:
``{name}-{version}.tar.gz`` or ``.zip``, where legacy names may contain dashes, so the split is where the prefix
normalises to the project's name), must be a PEP 440 version (a file whose name does not carry one is left out),
and is compared in canonical form (``1.0`` and ``1.0.0`` are one release, as PyPI itself holds).

The index URL comes from the caller (manifest or policy); ``https://pypi.org/simple`` is only the default.

API (for the facts stage):
- ``PypiClient(fetcher, index_url=DEFAULT_INDEX, provenance_files=1)``
- ``facts(name, version, hashes=(), publishers=False) -> VersionFacts``: never raises for registry trouble (it is
  in ``reason``). ``hashes``: the lockfile's digests; files matching them are preferred for provenance lookups.
  ``publishers``: look up the publisher identities (one Integrity API request for each of at most
  ``provenance_files`` attested files; the evidence level itself needs no extra request).
- ``license(name, version) -> (license, license_text, reason)``: from PyPI's JSON API
  (``GET {root}/pypi/{name}/{version}/json``: ``info.license_expression``, ``info.classifiers``, ``info.license``),
  derived only for an index at ``{root}/simple`` (Warehouse's layout); other indexes give UNKNOWN with a reason.
- ``repository(name, version) -> (repository, reason)``: the source repository the same JSON API answer names
  (``info.project_urls``, ``info.home_page``; checker/registries/sourcerepo.py): no request of its own.
- ``history(name, version, before=None, publisher_limit=0) -> History``: the versions uploaded before ``before``
  (default: the version's own release time) with their evidence, all from the one project page; the publisher
  identities of the ``publisher_limit`` newest attested ones (one request each — PyPI serves provenance per
  file, so an unbounded history would be one request per earlier release).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.parse
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from checker.manifests.common import canonical_pypi_name, hash_string
from checker.model import UNKNOWN, Ownership, SourceRepository, Unknown
from checker.registries.fetch import Document, Fetcher
from checker.redaction import index_url_secrets, redact_index_url
from checker.registries.http import MiB, NotFound, RegistryError, redact_url
from checker.registries.types import (
    NONE,
    TRUSTED_PUBLISHER,
    FileFacts,
    History,
    HistoryEntry,
    Publisher,
    VersionFacts,
    parse_time,
    stronger,
    unknown_facts,
)

DEFAULT_INDEX = "https://pypi.org/simple"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
INTEGRITY_JSON = "application/vnd.pypi.integrity.v1+json"
PAGE_MAX_BYTES = 64 * MiB
PROVENANCE_MAX_BYTES = 4 * MiB
LICENSE_MAX_BYTES = 8 * MiB  # a version's JSON API answer (its description included)
LICENSE_TTL = 7 * 24 * 3600.0  # a release's metadata does not change once uploaded
# Warehouse's public hosts: they serve the JSON API for every version their index lists.
PUBLIC_JSON_API_HOSTS = frozenset({"pypi.org", "test.pypi.org", "pypi.python.org"})
# What the cache keeps for a JSON API URL that answered 404 (PyPIClient._json_lookup): no JSON API answers so.
_ABSENT = {"lockgate": "the index answered 404"}
PROVENANCE_TTL = 7 * 24 * 3600.0  # provenance objects rarely change (PEP 740 lets an index add attestations)
_SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tbz", ".txz", ".tar")


@lru_cache(maxsize=8192)
def canonical_version(version: str) -> str:
    """PEP 440 canonical form (``1.0.0`` -> ``1``, ``1.0-RC1`` -> ``1rc1``); the text itself when not PEP 440."""
    from packaging.utils import canonicalize_version

    try:
        return str(canonicalize_version(version.strip()))
    except Exception:  # packaging versions differ in what they raise for non-versions
        return version.strip()


def is_prerelease(version: str) -> bool:
    from checker.versions.compare import parse_version

    parsed = parse_version(version)
    return bool(parsed is not None and (parsed.is_prerelease or parsed.is_devrelease))


def version_from_filename(filename: str, project: str) -> str | None:
    """The version a distribution file's name carries, or None when the name is not one of ``project``'s
    wheels, sdists or eggs."""
    return _version_in_filename(filename, canonical_pypi_name(project))


def _version_in_filename(filename: str, name: str) -> str | None:
    from checker.versions.compare import parse_version

    lower = filename.lower()
    if lower.endswith((".whl", ".egg")):
        parts = filename[:-4].split("-")
        valid = len(parts) in (5, 6) if lower.endswith(".whl") else len(parts) >= 2
        if valid and canonical_pypi_name(parts[0]) == name and parse_version(parts[1]) is not None:
            return parts[1]
        return None
    for suffix in _SDIST_SUFFIXES:
        if lower.endswith(suffix):
            stem = filename[: -len(suffix)]
            for index, char in enumerate(stem):
                if char == "-" and canonical_pypi_name(stem[:index]) == name:
                    rest = stem[index + 1:]
                    return rest if parse_version(rest) is not None else None
            return None
    return None


class Release(NamedTuple):
    """The files of one version on a project page; ``version`` as the first file's name writes it."""

    version: str
    files: tuple[FileFacts, ...]


class ProjectPage(NamedTuple):
    """One project's JSON simple page, decoded. releases: canonical version -> Release; versions: PEP 700's list
    in canonical form, None for an API 1.0 index that has no ``versions`` key."""

    name: str
    url: str
    api_version: str
    releases: Mapping[str, Release]
    versions: frozenset[str] | None
    document: Document

    def files_of(self, version: str) -> tuple[FileFacts, ...]:
        release = self.releases.get(canonical_version(version))
        return release.files if release is not None else ()


class PypiClient:
    """Facts about PyPI versions from one index. Thread-safe (all state is in the Fetcher)."""

    ecosystem = "pypi"

    def __init__(self, fetcher: Fetcher, index_url: str | None = None, *, provenance_files: int = 1,
                 page_max_bytes: int = PAGE_MAX_BYTES) -> None:
        self.fetcher = fetcher
        self.index_url = (index_url or DEFAULT_INDEX).rstrip("/")
        for secret in index_url_secrets(self.index_url):  # a token in the base URL is masked wherever it is shown
            fetcher.add_secret(secret)
        self.provenance_files = provenance_files
        self.page_max_bytes = page_max_bytes
        self._pages: dict[str, tuple[Document, ProjectPage]] = {}  # decoded once per fetched document
        self._lock = threading.Lock()

    @property
    def registry(self) -> str:
        """The base URL as it may be shown: without user-info or a token in its path (checker/redaction.py)."""
        return self.fetcher.redact(redact_index_url(self.index_url))

    def project_url(self, name: str) -> str:
        return f"{self.index_url}/{urllib.parse.quote(canonical_pypi_name(name), safe='')}/"

    # -- documents ----------------------------------------------------------------------------------------------

    def project(self, name: str, *, refresh: bool = False) -> ProjectPage:
        """The project's page. Raises NotFound (the index has no such project) or RegistryError."""
        url = self.project_url(name)
        document = self.fetcher.json(url, accept=SIMPLE_JSON, max_bytes=self.page_max_bytes, refresh=refresh,
                                     content_types=(SIMPLE_JSON,))
        with self._lock:
            known = self._pages.get(url)
        if known is not None and known[0] is document:
            return known[1]
        page = _read_page(document, name, url)
        with self._lock:
            self._pages[url] = (document, page)
        return page

    def cached(self, name: str) -> bool:
        """Whether the project's page can be had without the network (see ``Fetcher.peek``)."""
        return self.fetcher.peek(self.project_url(name), accept=SIMPLE_JSON, content_types=(SIMPLE_JSON,)) is not None

    def provenance(self, file: FileFacts) -> frozenset[Publisher]:
        """The publishers named by one file's provenance object (Integrity API). Raises RegistryError."""
        if not isinstance(file.provenance_url, str) or not file.provenance_url:
            raise RegistryError(f"{file.filename} has no provenance URL")
        try:
            document = self.fetcher.json(file.provenance_url, accept=INTEGRITY_JSON,
                                         max_bytes=PROVENANCE_MAX_BYTES, ttl=PROVENANCE_TTL)
        except NotFound:
            raise RegistryError(f"the index lists provenance for {file.filename}, but "
                                f"{redact_url(file.provenance_url)} answered 404") from None
        return _read_provenance(document.data, file.provenance_url)

    # -- facts --------------------------------------------------------------------------------------------------

    def facts(self, name: str, version: str, *, hashes: Iterable[str] = (),
              publishers: bool = False) -> VersionFacts:
        name = canonical_pypi_name(name)
        try:
            page = self.project(name)
        except NotFound:
            return unknown_facts("pypi", name, version, self.registry,
                                 f"{self.registry} has no project {name!r} (HTTP 404)", exists=False)
        except RegistryError as error:
            return unknown_facts("pypi", name, version, self.registry, error.reason)
        files = page.files_of(version)
        listed = page.versions is not None and canonical_version(version) in page.versions
        if not files and not listed and page.document.origin == "cache" and not self.fetcher.offline:
            try:  # the cached page may predate this version: ask the index before calling it missing
                page = self.project(name, refresh=True)
            except NotFound:
                return unknown_facts("pypi", name, version, self.registry,
                                     f"{self.registry} has no project {name!r} (HTTP 404)", exists=False)
            except RegistryError as error:
                return unknown_facts("pypi", name, version, self.registry, error.reason)
            files = page.files_of(version)
            listed = page.versions is not None and canonical_version(version) in page.versions
        reasons = [page.document.note] if page.document.note else []
        if not files and not listed:
            if not page.document.live:
                reasons.append(f"version {version} is not in the cached copy of the index page, which may predate it")
                return unknown_facts("pypi", name, version, self.registry, "; ".join(reasons))
            reasons.append(f"{self.registry} lists no version {version} of {name}")
            return VersionFacts("pypi", name, version, self.registry, exists=False, stale=page.document.stale,
                                reason="; ".join(reasons))
        return self._version_facts(page, name, version, files, frozenset(h.lower() for h in hashes), publishers,
                                   reasons)

    def _version_facts(self, page: ProjectPage, name: str, version: str, files: tuple[FileFacts, ...],
                       hashes: frozenset[str], want_publishers: bool, reasons: list[str]) -> VersionFacts:
        times = [f.upload_time for f in files if f.upload_time is not UNKNOWN]
        release_time: dt.datetime | Unknown = min(times) if times else UNKNOWN
        last_upload: dt.datetime | Unknown = max(times) if times else UNKNOWN
        if files and not times:
            reasons.append(f"{self.registry} gives no upload-time (PEP 700)")
        if not files:
            reasons.append(f"{self.registry} lists version {version} but no files of it")
        yanked = bool(files) and all(f.yanked for f in files)
        yanked_reason = next((f.yanked_reason for f in files if f.yanked and f.yanked_reason), None)
        evidence: str | Unknown = UNKNOWN
        for file in files:
            evidence = stronger(evidence, file.evidence)
        if files and evidence is UNKNOWN:
            reasons.append(f"{self.registry} does not say whether the files have provenance (no PEP 740 "
                           "provenance key: a mirror that does not serve it?)")
        publishers: frozenset[Publisher] | Unknown = UNKNOWN
        if evidence == NONE:
            publishers = frozenset()
        elif evidence == TRUSTED_PUBLISHER and want_publishers:
            publishers = self._publishers(files, hashes, reasons)
        return VersionFacts(
            "pypi", name, version, self.registry, exists=True, release_time=release_time,
            last_upload_time=last_upload, yanked=yanked, yanked_reason=yanked_reason, deprecated=None,
            hashes=frozenset(h for f in files for h in f.hashes), evidence=evidence, publishers=publishers,
            files=files, stale=page.document.stale, reason="; ".join(reasons) or None, uploader=None,
        )

    def _publishers(self, files: tuple[FileFacts, ...], hashes: frozenset[str],
                    reasons: list[str]) -> frozenset[Publisher] | Unknown:
        attested = [f for f in files if isinstance(f.provenance_url, str) and f.provenance_url]
        locked = [f for f in attested if f.hashes & hashes]
        others = sorted((f for f in attested if f not in locked),
                        key=lambda f: (not f.filename.lower().endswith(_SDIST_SUFFIXES), f.filename))
        found: set[Publisher] = set()
        for file in (locked + others)[: max(1, self.provenance_files)]:
            try:
                found |= self.provenance(file)
            except RegistryError as error:
                reasons.append(error.reason)
                return UNKNOWN
        return frozenset(found)

    # -- license ------------------------------------------------------------------------------------------------

    def json_api_url(self, name: str, version: str) -> str | None:
        """PyPI's JSON API URL of a version (``{root}/pypi/{name}/{version}/json``), for an index whose simple API
        is served at ``{root}/simple`` as Warehouse (pypi.org, test.pypi.org) serves it; None for any other
        index, which has no JSON API that lockgate knows of."""
        if not self.index_url.endswith("/simple"):
            return None
        root = self.index_url[: -len("/simple")]
        quoted = urllib.parse.quote(canonical_pypi_name(name), safe="")
        return f"{root}/pypi/{quoted}/{urllib.parse.quote(version, safe='')}/json"

    def license(self, name: str, version: str) -> tuple[str | None | Unknown, str | None, str | None]:
        """(license, license_text, why it is unknown) of a version, from the JSON API's ``info``
        (checker/versions/licenses.py reads it). One request per version, through the Fetcher's cache and budget."""
        info, why = self.json_info(name, version)
        if info is None:
            return UNKNOWN, None, why
        from checker.versions.licenses import pypi_license

        found = pypi_license(info)
        return found.expression, found.text, None

    def repository(self, name: str, version: str) -> tuple[SourceRepository | None | Unknown, str | None]:
        """(source repository, why it is unknown) of a version, from the JSON API's ``info`` (``project_urls``,
        ``home_page``; checker/registries/sourcerepo.py reads them): the same request as ``license``. An index
        that has no JSON API (not Warehouse, or a 404: a mirror, a private index) names no repository, and no run
        will change that: None. An answer that could not be had (offline and not cached, the index failing) is
        UNKNOWN: another run may have it."""
        info, why, absent = self._json_lookup(name, version)
        if info is None:
            return (None, None) if absent else (UNKNOWN, why)
        from checker.registries.sourcerepo import pypi_repository

        return pypi_repository(info), None

    def ownership(self, name: str, version: str) -> Ownership | None | Unknown:
        """The project's ``ownership`` (``{"roles": [{"role", "user"}], "organization"}``, top level of the JSON API
        answer, Warehouse since 2025) from the same request as ``license``: None when the answer has none (an
        older Warehouse, another index), UNKNOWN when the answer could not be had."""
        info, _ = self.json_info(name, version)
        url = self.json_api_url(name, version)
        if info is None or url is None:
            return UNKNOWN
        try:  # the answer json_info just had: the Fetcher's memo serves it again without a request
            data = self.fetcher.json(url, accept="application/json", max_bytes=LICENSE_MAX_BYTES, ttl=LICENSE_TTL).data
        except RegistryError:
            return UNKNOWN
        return read_ownership(data.get("ownership") if isinstance(data, dict) else None)

    def json_info(self, name: str, version: str) -> tuple[Mapping[str, Any] | None, str | None]:
        """The JSON API's ``info`` object of a version, or None and why not. The Fetcher fetches it once per run
        however many facts read it (single flight by URL), and caches it for ``LICENSE_TTL``."""
        info, why, _ = self._json_lookup(name, version)
        return info, why

    def _json_lookup(self, name: str, version: str) -> tuple[Mapping[str, Any] | None, str | None, bool]:
        """``json_info``'s answer, and whether the index has no JSON API at all for the version (not Warehouse, or
        a 404): a lasting fact, unlike a failed request."""
        url = self.json_api_url(name, version)
        if url is None:
            return None, (f"{self.registry} is not a Warehouse index (no /simple suffix), so lockgate cannot read "
                          "its JSON API"), True
        absent = f"{redact_url(url)} answered 404: the index serves no JSON API for {name} {version}"
        try:
            document = self.fetcher.json(url, accept="application/json", max_bytes=LICENSE_MAX_BYTES,
                                         ttl=LICENSE_TTL)
        except NotFound:
            if urllib.parse.urlsplit(url).hostname in PUBLIC_JSON_API_HOSTS:
                # pypi.org has a JSON API for every version it lists: a 404 there is a glitch (a CDN's stale 404
                # for a release uploaded minutes ago, the litellm case), never "this index names no repository".
                return None, absent, False
            # Kept for LICENSE_TTL like an answer (the Fetcher caches no 404): an index without a JSON API is a
            # lasting fact, and an offline run that saw it online must not turn it into an unknown.
            if self.fetcher.cache is not None:
                self.fetcher.cache.put(url, "application/json", json.dumps(_ABSENT).encode(),
                                       content_type="application/json")
            return None, absent, True
        except RegistryError as error:
            return None, error.reason, False
        data = document.data
        if data == _ABSENT:
            return None, absent, True
        info = data.get("info") if isinstance(data, dict) else None
        if not isinstance(info, dict):
            return None, f"{redact_url(url)}: expected a JSON object with an 'info' object", False
        said = info.get("version")
        if isinstance(said, str) and canonical_version(said) != canonical_version(version):
            return None, f"{redact_url(url)} answered about version {said}, not {version}", False
        return info, None, False

    # -- history ------------------------------------------------------------------------------------------------

    def history(self, name: str, version: str, *, before: dt.datetime | None = None,
                publisher_limit: int = 0) -> History:
        name = canonical_pypi_name(name)
        prerelease = is_prerelease(version)
        epoch = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        try:
            page = self.project(name)
        except RegistryError as error:
            return History("pypi", name, before or epoch, include_prereleases=prerelease, reason=error.reason)
        if before is None:
            times = [f.upload_time for f in page.files_of(version) if f.upload_time is not UNKNOWN]
            if not times:
                return History("pypi", name, epoch, include_prereleases=prerelease,
                               reason=f"the release time of {name} {version} is unknown")
            before = min(times)
        target = canonical_version(version)
        entries: list[HistoryEntry] = []
        untimed = 0
        for key, release in page.releases.items():
            if key == target:
                continue
            times = [f.upload_time for f in release.files if f.upload_time is not UNKNOWN]
            if not times:
                untimed += 1
                continue
            released = min(times)
            early = is_prerelease(key)
            if released >= before or (early and not prerelease):
                continue
            release_evidence: str | Unknown = UNKNOWN
            for file in release.files:
                release_evidence = stronger(release_evidence, file.evidence)
            entries.append(HistoryEntry(release.version, released, release_evidence, early))
        entries.sort(key=lambda e: e.release_time, reverse=True)
        reasons = [page.document.note] if page.document.note else []
        if untimed:
            reasons.append(f"{untimed} earlier version(s) without upload-time left out")
        looked = 0
        for index, entry in enumerate(entries):
            if looked >= publisher_limit:
                break
            if entry.evidence != TRUSTED_PUBLISHER:
                continue
            looked += 1
            publishers = self._publishers(page.files_of(entry.version), frozenset(), reasons)
            entries[index] = entry._replace(publishers=publishers)
        return History("pypi", name, before, tuple(entries), prerelease, "; ".join(reasons) or None)


# -- decoding ---------------------------------------------------------------------------------------------------


def _read_page(document: Document, name: str, url: str) -> ProjectPage:
    data = document.data
    shown = redact_url(url)
    if not isinstance(data, dict):
        raise RegistryError(f"{shown}: expected a JSON object (PEP 691 project page)", url=url)
    meta = data.get("meta", {})
    api_version = meta.get("api-version", "1.0") if isinstance(meta, dict) else "1.0"
    if not isinstance(api_version, str) or api_version.split(".", 1)[0] != "1":
        raise RegistryError(f"{shown}: simple API version {api_version!r} is not supported (1.x expected)", url=url)
    raw_files = data.get("files")
    if not isinstance(raw_files, list):
        raise RegistryError(f"{shown}: 'files' must be a list (PEP 691)", url=url)
    grouped: dict[str, tuple[str, list[FileFacts]]] = {}
    canonical = canonical_pypi_name(name)
    for index, item in enumerate(raw_files):
        file = _read_file(item, index, url)
        version = _version_in_filename(file.filename, canonical)
        if version is not None:
            grouped.setdefault(canonical_version(version), (version, []))[1].append(file)
    releases = MappingProxyType({key: Release(shown_version, tuple(files))
                                 for key, (shown_version, files) in grouped.items()})
    versions: frozenset[str] | None = None
    raw_versions = data.get("versions")
    if raw_versions is not None:
        if not isinstance(raw_versions, list) or not all(isinstance(v, str) for v in raw_versions):
            raise RegistryError(f"{shown}: 'versions' must be a list of strings (PEP 700)", url=url)
        versions = frozenset(canonical_version(v) for v in raw_versions)
    return ProjectPage(name, shown, api_version, releases, versions, document)


def _read_file(item: object, index: int, url: str) -> FileFacts:
    where = f"{redact_url(url)}: files[{index}]"
    if not isinstance(item, dict):
        raise RegistryError(f"{where} must be an object", url=url)
    filename, file_url, raw_hashes = item.get("filename"), item.get("url"), item.get("hashes")
    if not isinstance(filename, str) or not isinstance(file_url, str):
        raise RegistryError(f"{where}: 'filename' and 'url' must be strings", url=url)
    if not isinstance(raw_hashes, dict) or not all(isinstance(v, str) for v in raw_hashes.values()):
        raise RegistryError(f"{where}: 'hashes' must map algorithm names to hex digests", url=url)
    hashes = frozenset(hash_string(k, v) for k, v in raw_hashes.items() if k and v)
    upload_time: dt.datetime | Unknown = UNKNOWN
    if "upload-time" in item:
        parsed = parse_time(item["upload-time"])
        if parsed is None:
            raise RegistryError(f"{where}: 'upload-time' is not an ISO 8601 time", url=url)
        upload_time = parsed
    yanked_value = item.get("yanked", False)
    yanked = bool(yanked_value)
    reason = yanked_value if isinstance(yanked_value, str) and yanked_value else None
    provenance: str | None | Unknown = UNKNOWN
    if "provenance" in item:
        value = item["provenance"]
        if value is None:
            provenance = None
        elif isinstance(value, str) and value:
            provenance = _absolute(url, value)
        else:
            raise RegistryError(f"{where}: 'provenance' must be a URL or null (PEP 740)", url=url)
    return FileFacts(filename, _absolute(url, file_url), hashes, upload_time, yanked, reason, provenance)


def _absolute(base: str, url: str) -> str:
    """``url`` resolved against the page's URL (PEP 691 allows relative URLs)."""
    return url if url.startswith(("https://", "http://")) else urllib.parse.urljoin(base, url)


def _read_provenance(data: object, url: str) -> frozenset[Publisher]:
    shown = redact_url(url)
    if not isinstance(data, dict) or data.get("version") != 1:
        raise RegistryError(f"{shown}: not a PEP 740 provenance object (version 1)", url=url)
    bundles = data.get("attestation_bundles")
    if not isinstance(bundles, list) or not bundles:
        raise RegistryError(f"{shown}: 'attestation_bundles' must be a non-empty list", url=url)
    publishers = set()
    for bundle in bundles:
        publisher = bundle.get("publisher") if isinstance(bundle, dict) else None
        if not isinstance(publisher, dict) or not isinstance(publisher.get("kind"), str):
            raise RegistryError(f"{shown}: an attestation bundle without a publisher kind", url=url)
        publishers.add(publisher_from_json(publisher))
    return frozenset(publishers)


def read_ownership(raw: object) -> Ownership | None:
    """Warehouse's ``ownership`` object as an Ownership; None when absent or not the documented shape. Roles keep
    the user names as written; entries that are not ``{"role": str, "user": str}`` are left out."""
    if not isinstance(raw, dict):
        return None
    roles = raw.get("roles")
    pairs = tuple((item["role"], item["user"]) for item in roles if isinstance(item, dict)
                  and isinstance(item.get("role"), str) and isinstance(item.get("user"), str)) \
        if isinstance(roles, list) else ()
    organization = raw.get("organization")
    return Ownership(pairs, organization if isinstance(organization, str) and organization else None)


def publisher_from_json(raw: dict) -> Publisher:
    """A PEP 740 / PyPI publisher object as a Publisher (GitHub: ``workflow``; GitLab: ``workflow_filepath``;
    Google: ``email``). Empty strings (PyPI's ``"environment": ""``) are None."""

    def text(key: str) -> str | None:
        value = raw.get(key)
        return value.strip() or None if isinstance(value, str) else None

    return Publisher(
        kind=str(raw["kind"]), repository=text("repository"),
        workflow=text("workflow") or text("workflow_filepath"), environment=text("environment"), email=text("email"),
    )
