"""pub.dev and other pub repositories (the Hosted Pub Repository Specification v2): when a version was published,
whether it exists or was retracted, and its archive's SHA-256.

One document per package::

    GET {base}/api/packages/{name}      Accept: application/vnd.pub.v2+json
    -> {"name": "http", "latest": {...}, "isDiscontinued"?: true, "replacedBy"?: "...",
        "versions": [{"version": "1.2.0", "archive_url": "...", "archive_sha256": "<hex>",
                      "published": "2024-01-02T03:04:05.678Z", "retracted"?: true, "pubspec": {...}}, ...]}

A version missing from ``versions`` does not exist (never published, or removed by the repository's admins); a
404 is a package the repository does not have. ``retracted`` is the publisher's withdrawal: the version still
resolves for lockfiles that name it, and is reported as yanked. ``archive_sha256`` is the SHA-256 of the archive,
the same digest pub records in pubspec.lock (``sha256``), so hash-mismatch compares them; a repository that does not
serve it (the specification makes it optional) leaves the hashes UNKNOWN. ``isDiscontinued`` is a deprecation.

API: ``PubClient(fetcher, registry_url=None)``, ``facts(name, version)`` (never raises for registry trouble),
``cached(name)``.
"""

from __future__ import annotations

import re
import urllib.parse

from checker.model import UNKNOWN
from checker.redaction import index_url_secrets, redact_index_url
from checker.registries.fetch import Document, Fetcher
from checker.registries.http import MiB, NotFound, RegistryError
from checker.registries.types import VersionFacts, parse_time, unknown_facts

DEFAULT_REGISTRY = "https://pub.dev"
ACCEPT = "application/vnd.pub.v2+json"
MAX_BYTES = 64 * MiB
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class PubClient:
    """Facts about pub versions from one repository. Thread-safe (all state is in the Fetcher)."""

    ecosystem = "pub"

    def __init__(self, fetcher: Fetcher, registry_url: str | None = None) -> None:
        self.fetcher = fetcher
        self.registry_url = (registry_url or DEFAULT_REGISTRY).rstrip("/")
        for secret in index_url_secrets(self.registry_url):
            fetcher.add_secret(secret)

    @property
    def registry(self) -> str:
        return self.fetcher.redact(redact_index_url(self.registry_url))

    def package_url(self, name: str) -> str:
        return f"{self.registry_url}/api/packages/{urllib.parse.quote(name, safe='')}"

    def cached(self, name: str) -> bool:
        return self.fetcher.peek(self.package_url(name), accept=ACCEPT) is not None

    def _document(self, name: str, refresh: bool = False) -> tuple[Document, dict[str, dict]]:
        url = self.package_url(name)
        document = self.fetcher.json(url, accept=ACCEPT, max_bytes=MAX_BYTES, refresh=refresh)
        data = document.data
        versions = data.get("versions") if isinstance(data, dict) else None
        if not isinstance(versions, list):
            raise RegistryError(f"{document.url}: not a pub package document (no 'versions' list)", url=url)
        by_version = {}
        for item in versions:
            if isinstance(item, dict) and isinstance(item.get("version"), str):
                by_version[item["version"]] = item
        return document, by_version

    def facts(self, name: str, version: str) -> VersionFacts:
        try:
            document, versions = self._document(name)
            if version not in versions and document.origin == "cache" and not self.fetcher.offline:
                document, versions = self._document(name, refresh=True)
        except NotFound:
            return unknown_facts("pub", name, version, self.registry,
                                 f"{self.registry} has no package {name!r} (HTTP 404)", exists=False)
        except RegistryError as error:
            return unknown_facts("pub", name, version, self.registry, error.reason)
        reasons = [document.note] if document.note else []
        item = versions.get(version)
        if item is None:
            if not document.live:
                reasons.append(f"version {version} is not in the cached copy of the package, which may predate it")
                return unknown_facts("pub", name, version, self.registry, "; ".join(reasons))
            reasons.append(f"{self.registry} lists no version {version} of {name}")
            return VersionFacts("pub", name, version, self.registry, exists=False, stale=document.stale,
                                reason="; ".join(reasons))
        published = parse_time(item.get("published"))
        if published is None:
            reasons.append(f"{self.registry} gives no publish time for {name} {version}")
        digest = item.get("archive_sha256")
        hashes = frozenset({"sha256:" + digest.lower()}) if isinstance(digest, str) and _SHA256.fullmatch(digest) \
            else UNKNOWN
        if hashes is UNKNOWN:
            reasons.append(f"{self.registry} gives no archive_sha256 for {name} {version}")
        retracted = item.get("retracted") is True
        data = document.data if isinstance(document.data, dict) else {}
        deprecated = None
        if data.get("isDiscontinued") is True:
            replaced = data.get("replacedBy")
            deprecated = f"discontinued{f', replaced by {replaced}' if isinstance(replaced, str) else ''}"
        return VersionFacts(
            "pub", name, version, self.registry, exists=True, release_time=published or UNKNOWN,
            last_upload_time=published or UNKNOWN, yanked=retracted, yanked_reason="retracted" if retracted else None,
            deprecated=deprecated, hashes=hashes, stale=document.stale, reason="; ".join(reasons) or None,
        )
