"""Packagist (repo.packagist.org, and Composer repositories that serve the same metadata): release time, existence
and published checksum of a Composer package version.

Composer 2's metadata, ``GET {registry}/p2/{vendor}/{name}.json`` for tagged releases and
``{registry}/p2/{vendor}/{name}~dev.json`` for ``dev-`` branches and ``-dev`` versions::

    {"minified": "composer/2.0", "packages": {"vendor/name": [
        {"name": "vendor/name", "version": "v2.5.4", "version_normalized": "2.5.4.0", "time": "2019-08-06T09:24:58+00:00",
         "dist": {"type": "zip", "url": "...", "reference": "<commit>", "shasum": ""}, ...},
        {"version": "v2.5.3", ...only what differs from the entry before...}, ...]}}

Minified lists are expanded as Composer's ``MetadataMinifier::expand`` does: each entry is the one before it with
its own keys set and keys whose value is ``"__unset"`` removed. A version is found by ``version`` as written or
by its normalised form (``v1.2.3`` is ``1.2.3.0``). ``dist.shasum`` (SHA-1) is the published hash when not empty
(Packagist leaves it empty for GitHub's archives: then the registry publishes none). Packagist has no yank: a
deleted version is simply not listed, which is reported as not existing.
"""

from __future__ import annotations

import re
from typing import Any

from checker.model import UNKNOWN
from checker.registries.http import RegistryError, redact_url
from checker.registries.listing import ListingClient
from checker.registries.types import VersionFacts, parse_time

DEFAULT_REGISTRY = "https://repo.packagist.org"
_NAME = re.compile(r"[a-z0-9](?:[_.-]?[a-z0-9]+)*/[a-z0-9](?:(?:[_.]|-{1,2})?[a-z0-9]+)*")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
UNSET = "__unset"


def expand(versions: list[Any]) -> list[Any]:
    """Composer's ``MetadataMinifier::expand``."""
    expanded: list[Any] = []
    current: dict[str, Any] | None = None
    for data in versions:
        if not isinstance(data, dict):
            continue
        if not current:
            current = dict(data)
            expanded.append(current)
            continue
        current = dict(current)
        for key, value in data.items():
            if value == UNSET:
                current.pop(key, None)
            else:
                current[key] = value
        expanded.append(current)
    return expanded


def _is_dev(version: str) -> bool:
    lowered = version.lower()
    return lowered.startswith("dev-") or lowered.endswith("-dev")


class PackagistClient(ListingClient):
    ecosystem = "composer"
    default_registry = DEFAULT_REGISTRY
    what = "package's metadata"
    api = "Composer 2 metadata (/p2/VENDOR/NAME.json)"

    def invalid_name(self, name: str) -> str | None:
        return None if _NAME.fullmatch(name.lower()) else f"{name!r} is not a Composer vendor/name"

    def urls(self, name: str, version: str) -> list[str]:
        base = f"{self.registry_url}/p2/{name.lower()}"
        return [base + ("~dev.json" if _is_dev(version) else ".json")]

    def read(self, data: object, name: str, version: str, url: str) -> list[Any]:
        packages = data.get("packages") if isinstance(data, dict) else None
        if not isinstance(packages, dict):
            raise RegistryError(f"{redact_url(url)}: expected Composer metadata (an object with `packages`)", url=url)
        versions = packages.get(name.lower())
        if versions is None:
            return []
        if not isinstance(versions, list):
            raise RegistryError(f"{redact_url(url)}: `packages.{name.lower()}` is not a list", url=url)
        if isinstance(data, dict) and data.get("minified") == "composer/2.0":
            versions = expand(versions)
        from checker.versions import composer

        wanted = composer.normalize(version)
        return [entry for entry in versions if isinstance(entry, dict) and isinstance(entry.get("version"), str) and (
            entry["version"] == version or (wanted is not None and not wanted.startswith("dev-")
                                            and entry.get("version_normalized") == wanted))]

    def facts_of(self, name: str, version: str, entries: list[Any], reasons: list[str]) -> VersionFacts:
        times = [t for t in (parse_time(e.get("time")) for e in entries) if t is not None]
        if not times:
            reasons.append(f"{self.registry} gives no time for {name} {version}")
        hashes = set()
        for entry in entries:
            dist = entry.get("dist")
            shasum = dist.get("shasum") if isinstance(dist, dict) else None
            if isinstance(shasum, str) and _SHA1.fullmatch(shasum.strip()):
                hashes.add(f"sha1:{shasum.strip().lower()}")
        licenses = sorted({str(item) for e in entries if isinstance(e.get("license"), list)
                           for item in e["license"] if item})
        return VersionFacts(
            "composer", name, version, self.registry, exists=True, release_time=min(times) if times else UNKNOWN,
            yanked=False, hashes=frozenset(hashes), license=" OR ".join(licenses) or None,
            reason="; ".join(reasons) or None,
        )
