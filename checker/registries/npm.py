"""npm registries: publish times, deletions, published hashes, provenance, install scripts of a version.

One document per package, the full packument: ``GET {registry}/{name}`` with ``Accept: application/json``
(scoped names escaped as npm does, ``@scope%2fname``). The abbreviated install document
(``application/vnd.npm.install-v1+json``) has no ``time`` and no ``_npmUser``, so it cannot serve this stage.
Read from it, per version:
- ``time[version]``: the publish time; ``time.unpublished`` (``{"time", "versions"}``) marks a package
  unpublished as a whole; a version absent from ``versions`` does not exist (deleted, unpublished, or never
  published) — although ``time`` may still remember when it was published;
- ``dist.integrity`` (SRI, ``sha512-<base64>``) and ``dist.shasum`` (hex SHA-1) as ``sha512:<hex>`` /
  ``sha1:<hex>``, the same form the lockfile parsers use (``checker.manifests.npm_common.sri_hashes``);
- evidence as pnpm's ``trustPolicy`` computes it: ``_npmUser.trustedPublisher`` (``{"id": "github",
  "oidcConfigId": …}``) is a trusted publisher, ``dist.attestations.provenance`` (``{"predicateType":
  "https://slsa.dev/provenance/v1"}``) a provenance attestation;
- ``scripts`` (``preinstall``, ``install``, ``postinstall``), ``hasInstallScript``, ``gypfile``, ``deprecated``;
- ``_npmUser`` (``{"name", "email", "trustedPublisher"?}``): who published the version, as an Uploader (the
  ``publisher-change`` rule compares it with the earlier versions' — all in the one packument).

Publisher identities (repository, workflow) are not in the packument: they come from the version's SLSA
provenance statement, one request to ``dist.attestations.url`` (``{"attestations": [{"predicateType", "bundle":
{"dsseEnvelope": {"payload": base64 in-toto statement}}}]}``), read but not verified cryptographically.

Mirrors: a registry other than registry.npmjs.org may strip ``dist.attestations`` and ``_npmUser``. Unless told
(``serves_provenance``), the absence of provenance there only counts as "none" when some version of the same
package does carry provenance or a trusted publisher (the mirror demonstrably passes them through); otherwise the
evidence is UNKNOWN, never "none".

API (for the facts stage):
- ``NpmClient(fetcher, registry_url=DEFAULT_REGISTRY, serves_provenance=None)``
- ``facts(name, version, publishers=False, license=False, repository=False) -> VersionFacts`` (never raises for
  registry trouble; ``publishers`` costs one attestation request when the version has provenance; ``license`` and
  ``repository`` read the version's manifest, checker/registries/sourcerepo.py the latter);
- ``history(name, version, before=None, publisher_limit=0) -> History``: every version published before
  ``before`` (default: the version's own publish time) with its evidence, from the one packument; publisher
  identities for the ``publisher_limit`` newest ones with provenance (one request each).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import urllib.parse
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from checker.errors import ManifestError
from checker.model import UNKNOWN, SourceRepository, Unknown, Uploader
from checker.registries.fetch import Document, Fetcher
from checker.redaction import index_url_secrets, redact_index_url
from checker.registries.http import MiB, NotFound, RegistryError, redact_url
from checker.registries.types import (
    NONE, PROVENANCE, TRUSTED_PUBLISHER, History, HistoryEntry, Publisher, VersionFacts, parse_time, unknown_facts,
)

DEFAULT_REGISTRY = "https://registry.npmjs.org"
PACKUMENT_ACCEPT = "application/json"
PACKUMENT_MAX_BYTES = 128 * MiB  # the largest public packuments are tens of MiB
ATTESTATION_MAX_BYTES = 4 * MiB
ATTESTATION_TTL = 30 * 24 * 3600.0  # attestations of a published version do not change
INSTALL_SCRIPTS = ("preinstall", "install", "postinstall")
# Registries known to serve the full packument unaltered (registry.yarnpkg.com proxies registry.npmjs.org).
FULL_REGISTRIES = frozenset({"registry.npmjs.org", "registry.npmjs.com", "registry.yarnpkg.com"})
SLSA_PREDICATES = ("https://slsa.dev/provenance/v1", "https://slsa.dev/provenance/v0.2")
_TIME_KEYS = frozenset({"created", "modified", "unpublished"})


def escape_name(name: str) -> str:
    """The package name as a URL path segment: ``@scope/pkg`` -> ``@scope%2fpkg`` (npm-package-arg's
    ``escapedName``); anything else unusual is percent-encoded, so a name can never add path segments."""
    return urllib.parse.quote(name, safe="@").replace("%2F", "%2f")


def is_prerelease(version: str) -> bool:
    from checker.versions import semver

    parsed = semver.parse(version)
    return bool(parsed is not None and parsed.prerelease)


class NpmClient:
    """Facts about npm versions from one registry. Thread-safe (all state is in the Fetcher)."""

    ecosystem = "npm"

    def __init__(self, fetcher: Fetcher, registry_url: str | None = None, *, serves_provenance: bool | None = None,
                 max_bytes: int = PACKUMENT_MAX_BYTES) -> None:
        self.fetcher = fetcher
        self.registry_url = (registry_url or DEFAULT_REGISTRY).rstrip("/")
        for secret in index_url_secrets(self.registry_url):  # a token in the base URL is masked wherever it is shown
            fetcher.add_secret(secret)
        self.serves_provenance = serves_provenance
        self.max_bytes = max_bytes
        self._host = (urllib.parse.urlsplit(self.registry_url).hostname or "").lower()

    @property
    def registry(self) -> str:
        """The base URL as it may be shown: without user-info or a token in its path (checker/redaction.py)."""
        return self.fetcher.redact(redact_index_url(self.registry_url))

    def packument_url(self, name: str) -> str:
        return f"{self.registry_url}/{escape_name(name)}"

    # -- documents ----------------------------------------------------------------------------------------------

    def packument(self, name: str, *, refresh: bool = False) -> Document:
        """The full packument (a JSON object). Raises NotFound or RegistryError."""
        url = self.packument_url(name)
        document = self.fetcher.json(url, accept=PACKUMENT_ACCEPT, max_bytes=self.max_bytes, refresh=refresh)
        data = document.data
        if not isinstance(data, dict):
            raise RegistryError(f"{redact_url(url)}: expected a JSON object (a packument)", url=url)
        for key in ("versions", "time"):
            if key in data and not isinstance(data[key], dict):
                raise RegistryError(f"{redact_url(url)}: {key!r} must be an object", url=url)
        # Only an unpublished package lacks ``versions`` (its ``time`` says so). Any other JSON object — an error
        # document answered with 200, a mirror's login page as JSON — is no packument, and "lists no version"
        # drawn from it would call a version deleted on no evidence.
        if "versions" not in data and not isinstance((data.get("time") or {}).get("unpublished"), dict):
            raise RegistryError(f"{redact_url(url)}: not a packument (no 'versions', and not marked unpublished)",
                                url=url)
        return document

    def cached(self, name: str) -> bool:
        """Whether the packument can be had without the network (see ``Fetcher.peek``)."""
        return self.fetcher.peek(self.packument_url(name), accept=PACKUMENT_ACCEPT) is not None

    def attestation_publishers(self, name: str, version: str, url: str) -> frozenset[Publisher]:
        """The build identity in a version's SLSA provenance statement (``dist.attestations.url``)."""
        try:
            document = self.fetcher.json(urllib.parse.urljoin(self.registry_url + "/", url), accept="application/json",
                                         max_bytes=ATTESTATION_MAX_BYTES, ttl=ATTESTATION_TTL)
        except NotFound:
            raise RegistryError(f"{name}@{version} lists provenance, but {redact_url(url)} answered 404") from None
        return _read_attestations(document.data, url)

    # -- facts --------------------------------------------------------------------------------------------------

    def facts(self, name: str, version: str, *, publishers: bool = False, license: bool = False,
              repository: bool = False) -> VersionFacts:
        """``license``: also read the version's license (``versions[v].license``; no extra request).
        ``repository``: also read its source repository (``versions[v].repository``; no extra request)."""
        try:
            document = self.packument(name)
        except NotFound:
            return unknown_facts("npm", name, version, self.registry,
                                 f"{self.registry} has no package {name!r} (HTTP 404)", exists=False)
        except RegistryError as error:
            return unknown_facts("npm", name, version, self.registry, error.reason)
        versions = _packument_data(document).get("versions") or {}
        if version not in versions and document.origin == "cache" and not self.fetcher.offline:
            try:  # the cached packument may predate this version: ask before calling it missing
                document = self.packument(name, refresh=True)
            except NotFound:
                return unknown_facts("npm", name, version, self.registry,
                                     f"{self.registry} has no package {name!r} (HTTP 404)", exists=False)
            except RegistryError as error:
                return unknown_facts("npm", name, version, self.registry, error.reason)
            versions = _packument_data(document).get("versions") or {}
        data = _packument_data(document)
        times = data.get("time") or {}
        reasons = [document.note] if document.note else []
        release_time: dt.datetime | Unknown = parse_time(times.get(version)) or UNKNOWN
        manifest = versions.get(version)
        if manifest is None:
            if not document.live:
                reasons.append(f"version {version} is not in the cached copy of the packument, which may predate it")
                return unknown_facts("npm", name, version, self.registry, "; ".join(reasons))
            reasons.append(_missing(data, name, version, self.registry))
            return VersionFacts("npm", name, version, self.registry, exists=False, release_time=release_time,
                                stale=document.stale, reason="; ".join(reasons))
        if not isinstance(manifest, dict):
            return unknown_facts("npm", name, version, self.registry,
                                 f"{self.registry}: versions[{version!r}] is not an object")
        if release_time is UNKNOWN:
            reasons.append(f"{self.registry} gives no publish time for {name}@{version}")
        dist_value = manifest.get("dist")
        dist = dist_value if isinstance(dist_value, dict) else {}
        hashes = _hashes(dist, reasons)
        evidence = self._evidence(manifest, versions, reasons)
        found: frozenset[Publisher] | Unknown = UNKNOWN
        if evidence == NONE:
            found = frozenset()
        elif publishers and evidence is not UNKNOWN:
            found = self._publishers(name, version, manifest, reasons)
        deprecated = manifest.get("deprecated")
        scripts_value = manifest.get("scripts")
        scripts = scripts_value if isinstance(scripts_value, dict) else {}
        install = {k: v for k, v in scripts.items() if k in INSTALL_SCRIPTS and isinstance(v, str) and v.strip()}
        has_install = manifest.get("hasInstallScript") is True or bool(install) or manifest.get("gypfile") is True
        found_license: str | None | Unknown = UNKNOWN
        license_text = None
        if license:
            from checker.versions.licenses import npm_license

            found_license, license_text = npm_license(manifest)
        source: SourceRepository | None | Unknown = UNKNOWN
        git_head: str | None | Unknown = UNKNOWN
        if repository:
            from checker.registries.sourcerepo import npm_repository

            source = npm_repository(manifest)
            git_head = _git_head(manifest.get("gitHead"))
        return VersionFacts(
            "npm", name, version, self.registry, exists=True, release_time=release_time,
            last_upload_time=release_time, yanked=False, deprecated=deprecated if isinstance(deprecated, str)
            and deprecated else None, hashes=hashes, evidence=evidence, publishers=found,
            install_scripts=MappingProxyType(install), has_install_script=has_install, stale=document.stale,
            reason="; ".join(reasons) or None, license=found_license, license_text=license_text,
            repository=source, uploader=uploader(manifest) or UNKNOWN, git_head=git_head,
        )

    def _evidence(self, manifest: Mapping, versions: Mapping, reasons: list[str]) -> str | Unknown:
        level = _level(manifest)
        if level != NONE:
            return level
        if self._passes_provenance(versions):
            return NONE
        reasons.append(f"{self.registry} shows no provenance for any version of this package; it may strip it, "
                       "so its absence proves nothing")
        return UNKNOWN

    def _passes_provenance(self, versions: Mapping) -> bool:
        if self.serves_provenance is not None:
            return self.serves_provenance
        if self._host in FULL_REGISTRIES:
            return True
        return any(isinstance(m, dict) and _level(m) != NONE for m in versions.values())

    def _publishers(self, name: str, version: str, manifest: Mapping,
                    reasons: list[str]) -> frozenset[Publisher] | Unknown:
        dist_value = manifest.get("dist")
        dist = dist_value if isinstance(dist_value, dict) else {}
        attestations = dist.get("attestations")
        url = attestations.get("url") if isinstance(attestations, dict) else None
        if not isinstance(url, str) or not url:
            reasons.append(f"{name}@{version} has a trusted publisher but no provenance attestation, so the "
                           "registry does not say which repository published it")
            return UNKNOWN
        try:
            return self.attestation_publishers(name, version, url)
        except RegistryError as error:
            reasons.append(error.reason)
            return UNKNOWN

    # -- history ------------------------------------------------------------------------------------------------

    def history(self, name: str, version: str, *, before: dt.datetime | None = None,
                publisher_limit: int = 0) -> History:
        prerelease = is_prerelease(version)
        epoch = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        try:
            document = self.packument(name)
        except RegistryError as error:
            return History("npm", name, before or epoch, include_prereleases=prerelease, reason=error.reason)
        data = _packument_data(document)
        times = data.get("time") or {}
        versions = data.get("versions") or {}
        if before is None:
            before = parse_time(times.get(version))
            if before is None:
                return History("npm", name, epoch, include_prereleases=prerelease,
                               reason=f"the publish time of {name}@{version} is unknown")
        reasons = [document.note] if document.note else []
        passes = self._passes_provenance(versions)
        entries: list[HistoryEntry] = []
        for other, stamp in times.items():
            if other in _TIME_KEYS or other == version or not isinstance(versions.get(other), dict):
                continue
            released = parse_time(stamp)
            if released is None or released >= before:
                continue
            early = is_prerelease(other)
            if early and not prerelease:
                continue
            level = _level(versions[other])
            evidence = level if level != NONE or passes else UNKNOWN
            entries.append(HistoryEntry(other, released, evidence, early, uploader=uploader(versions[other])))
        entries.sort(key=lambda e: e.release_time, reverse=True)
        if not passes:
            reasons.append(f"{self.registry} shows no provenance for any version of this package; it may strip it")
        looked = 0
        for index, entry in enumerate(entries):
            if looked >= publisher_limit:
                break
            if entry.evidence not in (PROVENANCE, TRUSTED_PUBLISHER):
                continue
            looked += 1
            found = self._publishers(name, entry.version, versions[entry.version], reasons)
            entries[index] = entry._replace(publishers=found)
        return History("npm", name, before, tuple(entries), prerelease, "; ".join(reasons) or None)


# -- decoding ---------------------------------------------------------------------------------------------------


def _packument_data(document: Document) -> dict[str, Any]:
    """A packument's JSON object (``packument`` refused any other document)."""
    data = document.data
    assert isinstance(data, dict)
    return data


def _level(manifest: Mapping) -> str:
    """pnpm's getProvenance: a trusted publisher, else a provenance attestation, else none."""
    user = manifest.get("_npmUser")
    if isinstance(user, dict) and isinstance(user.get("trustedPublisher"), dict) and user["trustedPublisher"]:
        return TRUSTED_PUBLISHER
    dist = manifest.get("dist")
    attestations = dist.get("attestations") if isinstance(dist, dict) else None
    if isinstance(attestations, dict) and attestations.get("provenance"):
        return PROVENANCE
    return NONE


def uploader(manifest: Mapping) -> Uploader | None:
    """A version's ``_npmUser`` as an Uploader, the strings as written (a look-alike spelling must stay another
    identity); None when the version names none (a mirror that strips it, a version older than the field)."""
    user = manifest.get("_npmUser")
    if not isinstance(user, dict) or not isinstance(user.get("name"), str) or not user["name"]:
        return None
    email = user.get("email")
    trusted = user.get("trustedPublisher")
    config = None
    if isinstance(trusted, dict) and trusted:
        config = f"{trusted.get('id') or '?'}:{trusted.get('oidcConfigId') or '?'}"
    return Uploader(user["name"], email if isinstance(email, str) and email else None, config)


def _hashes(dist: Mapping, reasons: list[str]) -> frozenset[str] | Unknown:
    from checker.manifests.npm_common import sri_hashes

    found: set[str] = set()
    integrity = dist.get("integrity")
    if isinstance(integrity, str) and integrity.strip():
        try:
            found |= sri_hashes(integrity, "dist.integrity", "registry", None)
        except ManifestError:
            reasons.append("the registry's dist.integrity is not a valid SRI hash")
    shasum = dist.get("shasum")
    if isinstance(shasum, str) and len(shasum) == 40:
        try:
            bytes.fromhex(shasum)
            found.add(f"sha1:{shasum.lower()}")
        except ValueError:
            reasons.append("the registry's dist.shasum is not hex")
    if not found:
        reasons.append("the registry publishes no hash for this version")
        return UNKNOWN
    return frozenset(found)


def _missing(data: Mapping, name: str, version: str, registry: str) -> str:
    times = data.get("time") or {}
    unpublished = times.get("unpublished")
    if isinstance(unpublished, dict):
        when = parse_time(unpublished.get("time"))
        listed = unpublished.get("versions")
        if not isinstance(listed, list) or version in listed:
            return f"{name} was unpublished from {registry}" + (f" on {when:%Y-%m-%d %H:%M} UTC" if when else "")
    if version in times:
        return f"{name}@{version} was published and then removed from {registry} (unpublished or deleted)"
    return f"{registry} lists no version {version} of {name}"


def _read_attestations(data: object, url: str) -> frozenset[Publisher]:
    shown = redact_url(url)
    items = data.get("attestations") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise RegistryError(f"{shown}: expected {{\"attestations\": [...]}}", url=url)
    for item in items:
        if not isinstance(item, dict) or item.get("predicateType") not in SLSA_PREDICATES:
            continue
        envelope = item.get("bundle", {}).get("dsseEnvelope") if isinstance(item.get("bundle"), dict) else None
        payload = envelope.get("payload") if isinstance(envelope, dict) else None
        if not isinstance(payload, str):
            raise RegistryError(f"{shown}: provenance attestation without a DSSE payload", url=url)
        try:
            statement = json.loads(base64.b64decode(payload, validate=True))
        except (binascii.Error, ValueError, RecursionError):
            raise RegistryError(f"{shown}: provenance payload is not base64-encoded JSON", url=url) from None
        publisher = _slsa_publisher(statement)
        if publisher is None:
            raise RegistryError(f"{shown}: the provenance does not name a GitHub Actions workflow lockgate can read",
                                url=url)
        return frozenset({publisher})
    raise RegistryError(f"{shown}: no SLSA provenance attestation", url=url)


def _slsa_publisher(statement: object) -> Publisher | None:
    """The GitHub Actions workflow in an in-toto statement's SLSA predicate (v1: ``buildDefinition.
    externalParameters.workflow``; v0.2: ``invocation.configSource``)."""
    predicate = statement.get("predicate") if isinstance(statement, dict) else None
    if not isinstance(predicate, dict):
        return None
    build = predicate.get("buildDefinition")
    if isinstance(build, dict):
        params = build.get("externalParameters")
        workflow = params.get("workflow") if isinstance(params, dict) else None
        if isinstance(workflow, dict):
            repository = _repository(workflow.get("repository"))
            path = workflow.get("path")
            if repository:
                return Publisher("GitHub", repository, path.rsplit("/", 1)[-1] if isinstance(path, str) else None)
        return None
    invocation = predicate.get("invocation")
    source = invocation.get("configSource") if isinstance(invocation, dict) else None
    if isinstance(source, dict) and isinstance(source.get("uri"), str):
        uri = source["uri"].removeprefix("git+").split("@", 1)[0]
        repository = _repository(uri)
        entry = source.get("entryPoint")
        if repository:
            return Publisher("GitHub", repository, entry.rsplit("/", 1)[-1] if isinstance(entry, str) else None)
    return None


def _repository(url: object) -> str | None:
    """``https://github.com/owner/repo(.git)`` -> ``owner/repo``; None for other hosts or shapes."""
    if not isinstance(url, str):
        return None
    parts = urllib.parse.urlsplit(url)
    if (parts.hostname or "").lower() != "github.com":
        return None
    path = parts.path.strip("/").removesuffix(".git")
    return path if path.count("/") == 1 else None



def _git_head(value: object) -> str | None:
    """npm's ``gitHead``: the full commit (40 or 64 hex digits, lower case) the version was published from; None when
    the packument names none, or something that is no commit (a branch name proves nothing)."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    return text if len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text) else None
