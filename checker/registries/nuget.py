"""NuGet feeds (nuget.org and any NuGet v3 feed: Azure Artifacts, GitHub Packages, Artifactory, BaGet): when a
version was published, whether it exists and whether it is listed.

A v3 feed is named by its service index (``https://api.nuget.org/v3/index.json``, what nuget.config's ``<add
value=…>`` holds). The index lists the feed's resources; the registration ("package metadata") resource is the
one read here, preferring the flavour that includes SemVer 2.0.0 versions::

    GET {service index}  ->  {"version": "3.0.0", "resources": [{"@id": "<base>/", "@type":
                               "RegistrationsBaseUrl/3.6.0"}, ...]}
    GET {base}{id in lower case}/index.json  ->  {"count": n, "items": [page, ...]}
    page = {"@id": "<page url>", "lower": "<version>", "upper": "<version>", "items"?: [leaf, ...]}
    leaf = {"catalogEntry": {"id", "version", "listed"?, "published", "licenseExpression"?, "deprecation"?}, ...}

A page without ``items`` (large packages) is fetched from its ``@id``, only when the version lies between its
``lower`` and ``upper``. Versions are matched as NuGet compares them (``1.0.0.0`` is ``1.0.0``, labels without
regard to case). ``listed: false``, or a ``published`` time of 1900-01-01 (how nuget.org marks an unlisted
version), is an unlisted version: it exists and restores, but its owner withdrew it, which is reported as yanked;
its publish time is then unknown. A 404 for the registration index is a package the feed does not have.

Hashes: the registration publishes no package hash. (The catalog leaf's ``packageHash`` is the SHA-512 of the
``.nupkg`` as nuget.org serves it, repository signature included, while packages.lock.json's ``contentHash`` is the
client's hash of the package without its signature file: NuGet/Home#7283, #10787. They differ for every signed
package, so comparing them would only ever cry wolf.) ``hashes`` is therefore the empty set: nothing to compare,
which hash-mismatch reads as such; NuGet checks ``contentHash`` itself when restoring in locked mode.

API: ``NugetClient(fetcher, registry_url=None)``, ``facts(name, version)`` (never raises for registry trouble),
``cached(name)``.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Any

from checker.model import UNKNOWN, Unknown
from checker.redaction import index_url_secrets, redact_index_url
from checker.registries.fetch import Document, Fetcher
from checker.registries.http import MiB, NotFound, RegistryError, redact_url
from checker.registries.types import VersionFacts, parse_time, unknown_facts

DEFAULT_INDEX = "https://api.nuget.org/v3/index.json"
ACCEPT = "application/json"
INDEX_TTL = 24 * 3600.0  # a feed's resources move rarely
MAX_BYTES = 64 * MiB
# Registration flavours, best first: 3.6.0 includes SemVer 2.0.0 versions (gzipped), the others may not list them.
REGISTRATION_TYPES = ("RegistrationsBaseUrl/3.6.0", "RegistrationsBaseUrl/3.4.0", "RegistrationsBaseUrl/3.0.0-rc",
                      "RegistrationsBaseUrl/3.0.0-beta", "RegistrationsBaseUrl")
UNLISTED_YEAR = 1900


class NugetClient:
    """Facts about NuGet versions from one v3 feed. Thread-safe (all state is in the Fetcher)."""

    ecosystem = "nuget"

    def __init__(self, fetcher: Fetcher, registry_url: str | None = None) -> None:
        self.fetcher = fetcher
        self.index_url = (registry_url or DEFAULT_INDEX).rstrip("/")
        for secret in index_url_secrets(self.index_url):
            fetcher.add_secret(secret)

    @property
    def registry(self) -> str:
        return self.fetcher.redact(redact_index_url(self.index_url))

    # -- documents ----------------------------------------------------------------------------------------------

    def registrations_base(self) -> str:
        """The registration resource's base URL from the service index. Raises RegistryError."""
        document = self.fetcher.json(self.index_url, accept=ACCEPT, max_bytes=MAX_BYTES, ttl=INDEX_TTL)
        data = document.data
        resources = data.get("resources") if isinstance(data, dict) else None
        if not isinstance(resources, list):
            raise RegistryError(f"{redact_url(self.index_url)}: not a NuGet v3 service index (no 'resources')",
                                url=self.index_url)
        by_type: dict[str, str] = {}
        for resource in resources:
            if isinstance(resource, dict) and isinstance(resource.get("@id"), str):
                kind = resource.get("@type")
                for name in kind if isinstance(kind, list) else [kind]:
                    if isinstance(name, str):
                        by_type.setdefault(name, resource["@id"])
        for kind in REGISTRATION_TYPES:
            if kind in by_type:
                return urllib.parse.urljoin(self.index_url, by_type[kind]).rstrip("/") + "/"
        raise RegistryError(f"{redact_url(self.index_url)} lists no RegistrationsBaseUrl resource", url=self.index_url)

    def registration_url(self, name: str) -> str:
        return f"{self.registrations_base()}{urllib.parse.quote(name.lower(), safe='')}/index.json"

    def cached(self, name: str) -> bool:
        peeked = self.fetcher.peek(self.index_url, accept=ACCEPT)
        if peeked is None:
            return False
        try:
            url = self.registration_url(name)
        except RegistryError:
            return False
        return self.fetcher.peek(url, accept=ACCEPT) is not None

    # -- facts --------------------------------------------------------------------------------------------------

    def facts(self, name: str, version: str) -> VersionFacts:
        try:
            url = self.registration_url(name)
            document = self.fetcher.json(url, accept=ACCEPT, max_bytes=MAX_BYTES)
            entry = self._find(document, version)
            if entry is None and document.origin == "cache" and not self.fetcher.offline:
                document = self.fetcher.json(url, accept=ACCEPT, max_bytes=MAX_BYTES, refresh=True)
                entry = self._find(document, version)
        except NotFound:
            return unknown_facts("nuget", name, version, self.registry,
                                 f"{self.registry} has no package {name!r} (HTTP 404)", exists=False)
        except RegistryError as error:
            return unknown_facts("nuget", name, version, self.registry, error.reason)
        reasons = [document.note] if document.note else []
        if entry is None:
            if not document.live:
                reasons.append(f"version {version} is not in the cached copy of the registration, which may "
                               "predate it")
                return unknown_facts("nuget", name, version, self.registry, "; ".join(reasons))
            reasons.append(f"{self.registry} lists no version {version} of {name}")
            return VersionFacts("nuget", name, version, self.registry, exists=False, stale=document.stale,
                                reason="; ".join(reasons))
        return self._version_facts(name, version, entry, document, reasons)

    def _version_facts(self, name: str, version: str, entry: dict, document: Document,
                       reasons: list[str]) -> VersionFacts:
        published = parse_time(entry.get("published"))
        unlisted = entry.get("listed") is False or (published is not None and published.year <= UNLISTED_YEAR)
        release_time: dt.datetime | Unknown = UNKNOWN
        if published is None:
            reasons.append(f"{self.registry} gives no publish time for {name} {version}")
        elif published.year <= UNLISTED_YEAR:
            reasons.append(f"{name} {version} is unlisted, and the registry keeps no publish time for it")
        else:
            release_time = published
        deprecation = entry.get("deprecation")
        deprecated: str | None = None
        if isinstance(deprecation, dict):
            words = deprecation.get("message") or ", ".join(r for r in deprecation.get("reasons") or []
                                                             if isinstance(r, str))
            deprecated = str(words) if words else "deprecated"
        license = entry.get("licenseExpression")
        return VersionFacts(
            "nuget", name, version, self.registry, exists=True, release_time=release_time,
            last_upload_time=release_time, yanked=unlisted, yanked_reason="unlisted" if unlisted else None,
            deprecated=deprecated, hashes=frozenset(), stale=document.stale, reason="; ".join(reasons) or None,
            license=license if isinstance(license, str) and license else UNKNOWN,
        )

    def _find(self, document: Document, version: str) -> dict | None:
        """The catalog entry of ``version`` in a registration index, fetching the one page that may hold it when
        the index does not inline it. Raises RegistryError for a document that is not a registration."""
        from checker.versions import nuget

        wanted = nuget.parse(version)
        data = document.data
        pages = data.get("items") if isinstance(data, dict) else None
        if not isinstance(pages, list):
            raise RegistryError(f"{document.url}: not a NuGet registration index (no 'items')", url=document.url)
        for page in pages:
            if not isinstance(page, dict):
                continue
            if not _page_may_hold(page, wanted):
                continue
            leaves = page.get("items")
            if not isinstance(leaves, list):
                page_url = page.get("@id")
                if not isinstance(page_url, str):
                    raise RegistryError(f"{document.url}: a registration page without items or @id", url=document.url)
                fetched = self.fetcher.json(urllib.parse.urljoin(document.url, page_url), accept=ACCEPT,
                                            max_bytes=MAX_BYTES)
                leaves = fetched.data.get("items") if isinstance(fetched.data, dict) else None
                if not isinstance(leaves, list):
                    raise RegistryError(f"{redact_url(page_url)}: a registration page without items", url=page_url)
            for leaf in leaves:
                entry = leaf.get("catalogEntry") if isinstance(leaf, dict) else None
                if isinstance(entry, dict) and _same_version(entry.get("version"), version, wanted):
                    return entry
        return None


def _page_may_hold(page: dict[str, Any], wanted: Any) -> bool:
    from checker.versions import nuget

    if wanted is None:
        return True
    key = nuget.sort_key(wanted)
    lower, upper = nuget.parse(str(page.get("lower", ""))), nuget.parse(str(page.get("upper", "")))
    if lower is not None and key < nuget.sort_key(lower):
        return False
    if upper is not None and key > nuget.sort_key(upper):
        return False
    return True


def _same_version(listed: object, version: str, wanted: Any) -> bool:
    if not isinstance(listed, str):
        return False
    if listed == version:
        return True
    from checker.versions import nuget

    other = nuget.parse(listed)
    return wanted is not None and other is not None and nuget.sort_key(other) == nuget.sort_key(wanted)
