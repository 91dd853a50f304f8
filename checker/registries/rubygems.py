"""RubyGems (rubygems.org and servers that speak its API): release time, existence and published SHA-256 of a gem
version.

One document per gem, ``GET {registry}/api/v1/versions/{name}.json`` (rubygems.org ``Api::V1::VersionsController``:
the gem's public versions, newest first, each ``Version#payload``)::

    [{"number": "7.1.3", "platform": "ruby", "created_at": "2024-01-16T22:55:39.353Z",
      "sha": "<sha256 of the .gem file>", "licenses": ["MIT"], "prerelease": false, ...}, ...]

A version appears once per platform it was built for (``nokogiri`` 1.16.0 for ``ruby``, ``x86_64-linux``, ...),
each with its own ``sha``: the version's hashes are all of them, and its release time the earliest. Yanked
versions are left out of the list (and a gem whose every version is yanked answers 404), so a version the list
lacks is reported as not existing (yanked, deleted or never published); ``yanked`` itself stays UNKNOWN, since
the API does not tell the two apart. The versions are compared as ``Gem::Version`` does (``1.0`` is ``1.0.0``).
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from checker.model import UNKNOWN
from checker.registries.http import RegistryError, redact_url
from checker.registries.listing import ListingClient
from checker.registries.types import VersionFacts, parse_time

DEFAULT_REGISTRY = "https://rubygems.org"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class RubygemsClient(ListingClient):
    ecosystem = "gem"
    default_registry = DEFAULT_REGISTRY
    what = "gem's version list"
    api = "RubyGems versions API (/api/v1/versions/NAME.json)"

    def invalid_name(self, name: str) -> str | None:
        return None if _NAME.fullmatch(name) else f"{name!r} is not a RubyGems name"

    def urls(self, name: str, version: str) -> list[str]:
        return [f"{self.registry_url}/api/v1/versions/{urllib.parse.quote(name, safe='')}.json"]

    def read(self, data: object, name: str, version: str, url: str) -> list[Any]:
        if not isinstance(data, list):
            raise RegistryError(f"{redact_url(url)}: expected a JSON array of versions", url=url)
        from checker.versions import rubygems

        wanted = rubygems.parse(version)
        found = []
        for entry in data:
            if not isinstance(entry, dict) or not isinstance(entry.get("number"), str):
                continue
            number = entry["number"]
            if number == version or (wanted is not None and rubygems.parse(number) == wanted):
                found.append(entry)
        return found

    def facts_of(self, name: str, version: str, entries: list[Any], reasons: list[str]) -> VersionFacts:
        times = [t for t in (parse_time(e.get("created_at")) for e in entries) if t is not None]
        if not times:
            reasons.append(f"{self.registry} gives no created_at for {name} {version}")
        hashes = frozenset(f"sha256:{e['sha'].lower()}" for e in entries
                           if isinstance(e.get("sha"), str) and _SHA256.fullmatch(e["sha"]))
        licenses = sorted({str(item) for e in entries if isinstance(e.get("licenses"), list)
                           for item in e["licenses"] if item})
        return VersionFacts(
            "gem", name, version, self.registry, exists=True, release_time=min(times) if times else UNKNOWN,
            yanked=False, hashes=hashes if hashes else UNKNOWN, license=" OR ".join(licenses) or None,
            reason="; ".join(reasons) or None,
        )
