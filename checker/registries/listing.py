"""What the RubyGems and Packagist clients share: one JSON document per package lists its versions, and a version
the document does not list does not exist there (RubyGems leaves yanked versions out; Packagist deleted ones).

``ListingClient.facts`` fetches the document through the Fetcher (cache, offline mode, time budget, single-flight),
asks the subclass for the version's entries in it, and turns trouble into UNKNOWN facts with a reason, never an
exception. A cached document that does not list the version is fetched again before the version is called missing
(it may predate the release); a document that could not be confirmed during this run (offline, a failing
registry) never makes a version missing, only unknown. A 404 for the whole package means "no such package" from the
public registry only: another server (a private gem server, a Satis repository) may not serve the API at all, so
its 404 is unknown.

Subclasses set ``ecosystem``, ``default_registry`` and ``what`` (the document's name in messages) and implement
``urls(name, version)`` (the documents to read, in order: Packagist keeps dev versions in a second one) and
``read(data, name, version, url) -> list of entries`` (raising RegistryError for a document of the wrong shape) and
``facts_of(name, version, entries, reasons) -> VersionFacts``.
"""

from __future__ import annotations

from typing import Any

from checker.redaction import index_url_secrets, redact_index_url
from checker.registries.fetch import Document, Fetcher
from checker.registries.http import MiB, NotFound, RegistryError
from checker.registries.types import VersionFacts, unknown_facts

DOCUMENT_MAX_BYTES = 64 * MiB


class ListingClient:
    ecosystem = ""
    default_registry = ""
    what = "document"
    api = "API"
    accept = "application/json"

    def __init__(self, fetcher: Fetcher, registry_url: str | None = None) -> None:
        self.fetcher = fetcher
        self.registry_url = (registry_url or self.default_registry).rstrip("/")
        for secret in index_url_secrets(self.registry_url):  # a token in the base URL is masked wherever shown
            fetcher.add_secret(secret)

    @property
    def registry(self) -> str:
        """The base URL as it may be shown: without user-info or a token in its path."""
        return self.fetcher.redact(redact_index_url(self.registry_url))

    # -- for subclasses -----------------------------------------------------------------------------------------

    def urls(self, name: str, version: str) -> list[str]:
        raise NotImplementedError

    def read(self, data: object, name: str, version: str, url: str) -> list[Any]:
        raise NotImplementedError

    def facts_of(self, name: str, version: str, entries: list[Any], reasons: list[str]) -> VersionFacts:
        raise NotImplementedError

    def invalid_name(self, name: str) -> str | None:
        """Why ``name`` cannot be asked about (None: it can)."""
        return None

    # -- shared -------------------------------------------------------------------------------------------------

    def cached(self, name: str) -> bool:
        """Whether the package's document can be had without the network (see ``Fetcher.peek``)."""
        if self.invalid_name(name):
            return True  # answered without a request
        return all(self.fetcher.peek(url, accept=self.accept) is not None for url in self.urls(name, "0"))

    def facts(self, name: str, version: str) -> VersionFacts:
        invalid = self.invalid_name(name)
        if invalid:
            return unknown_facts(self.ecosystem, name, version, self.registry, invalid)
        found: list[Any] = []
        reasons: list[str] = []
        every_live = True
        any_document = False
        for url in self.urls(name, version):
            try:
                document = self._document(url)
                entries = self.read(document.data, name, version, url)
                if not entries and document.origin == "cache" and not self.fetcher.offline:
                    document = self._document(url, refresh=True)  # the cached copy may predate this version
                    entries = self.read(document.data, name, version, url)
            except NotFound:
                continue
            except RegistryError as error:
                return unknown_facts(self.ecosystem, name, version, self.registry, error.reason)
            any_document = True
            every_live = every_live and document.live
            if document.note:
                reasons.append(document.note)
            found.extend(entries)
        if not any_document:
            if self.registry_url != self.default_registry:
                # Another server (a private gem server, Satis) may not serve this API at all: its 404 says nothing
                return unknown_facts(self.ecosystem, name, version, self.registry,
                                     f"{self.registry} answered 404 for {name!r}: it has no such package, or does "
                                     f"not serve the {self.api} that lockgate asks")
            return unknown_facts(self.ecosystem, name, version, self.registry,
                                 f"{self.registry} has no package {name!r} (HTTP 404)", exists=False)
        if not found:
            if not every_live:
                reasons.append(f"version {version} is not in the cached copy of the {self.what}, which may predate it")
                return unknown_facts(self.ecosystem, name, version, self.registry, "; ".join(reasons))
            reasons.append(f"{self.registry} lists no version {version} of {name} (yanked, deleted, or never "
                           "published)")
            return VersionFacts(self.ecosystem, name, version, self.registry, exists=False,
                                reason="; ".join(reasons))
        return self.facts_of(name, version, found, reasons)

    def _document(self, url: str, refresh: bool = False) -> Document:
        return self.fetcher.json(url, accept=self.accept, max_bytes=DOCUMENT_MAX_BYTES, refresh=refresh)
