"""Facts about crates from crates.io's API (or a registry that speaks it): one document per crate.

``GET {api}/api/v1/crates/{name}`` answers a crate with every version it has (``versions[]``: ``num``,
``created_at``, ``yanked``, ``checksum`` — the SHA-256 of the ``.crate`` file, what Cargo.lock records —,
``license``) and the crate's ``repository``; one request answers every changed version of a crate. Only when a
fresh document does not list the version is ``{api}/api/v1/crates/{name}/{version}`` asked before calling it
missing (the crate document might leave old versions out; the version endpoint never does): a 404 there is
``exists=False``. A yanked version exists and is ``yanked`` (``yank_message`` its reason). crates.io finds a crate by
any spelling of ``-``/``_`` (``/api/v1/crates/serde-json`` is serde_json), so a lockfile's spelling is asked as is.

Where: the public API (https://crates.io) unless the policy's ``registries.cargo`` names another API base URL. A
Cargo.lock package from an alternative registry names its index, not its API: for a sparse index
(``sparse+https://...``) the index's ``config.json`` says where the API is (``{"dl": ..., "api": ...}``, The Cargo
Book, "Registry Index"); a git index (``registry+https://...``) is not read (it is a git repository), and its
packages' facts are UNKNOWN with that reason.

Not done: the sparse index itself (``index.crates.io/se/rd/serde``: checksums and yanked, no publish time) is not
used as a source of facts; release-age needs ``created_at``, which only the API has.
"""

from __future__ import annotations

import urllib.parse

from checker.model import UNKNOWN, SourceRepository
from checker.redaction import index_url_secrets, redact_index_url
from checker.registries.fetch import Fetcher
from checker.registries.http import MiB, NotFound, RegistryError
from checker.registries.types import VersionFacts, parse_time, unknown_facts

DEFAULT_API = "https://crates.io"
ACCEPT = "application/json"
CRATE_MAX_BYTES = 64 * MiB  # a crate with thousands of versions is a few MiB
_HEX = frozenset("0123456789abcdef")


class CratesClient:
    """Facts about crate versions from one registry API. Thread-safe (all state is in the Fetcher)."""

    ecosystem = "cargo"

    def __init__(self, fetcher: Fetcher, registry_url: str | None = None) -> None:
        self.fetcher = fetcher
        self.source = (registry_url or DEFAULT_API).rstrip("/")
        for secret in index_url_secrets(self.source.partition("+")[2] or self.source):
            fetcher.add_secret(secret)

    @property
    def registry(self) -> str:
        """The registry as it may be shown (no credentials)."""
        kind, plus, rest = self.source.partition("+")
        if plus and kind in ("sparse", "registry"):
            return f"{kind}+{self.fetcher.redact(redact_index_url(rest))}"
        return self.fetcher.redact(redact_index_url(self.source))

    def _api(self) -> str:
        """The API base URL; RegistryError when the registry's index does not say (or is a git index)."""
        kind, plus, rest = self.source.partition("+")
        if not plus or kind not in ("sparse", "registry"):
            return self.source
        if kind == "registry":
            raise RegistryError(f"{self.registry} is a git registry index, which lockgate does not read: the "
                                "registry's API is unknown")
        document = self.fetcher.json(f"{rest.rstrip('/')}/config.json", accept=ACCEPT, max_bytes=MiB)
        api = document.data.get("api") if isinstance(document.data, dict) else None
        if not isinstance(api, str) or not api.startswith(("https://", "http://")):
            raise RegistryError(f"{self.registry}: config.json names no API (`api`)")
        return api.rstrip("/")

    def crate_url(self, name: str, api: str) -> str:
        return f"{api}/api/v1/crates/{urllib.parse.quote(name, safe='')}"

    def cached(self, name: str) -> bool:
        """Whether the crate's document can be had without the network."""
        try:
            api = self._api() if "+" not in self.source else None
        except RegistryError:
            return False
        return api is not None and self.fetcher.peek(self.crate_url(name, api), accept=ACCEPT) is not None

    def facts(self, name: str, version: str) -> VersionFacts:
        try:
            api = self._api()
            document = self.fetcher.json(self.crate_url(name, api), accept=ACCEPT, max_bytes=CRATE_MAX_BYTES)
        except NotFound:
            return unknown_facts("cargo", name, version, self.registry,
                                 f"{self.registry} has no crate {name!r} (HTTP 404)", exists=False)
        except RegistryError as error:
            return unknown_facts("cargo", name, version, self.registry, error.reason)
        data = document.data
        if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
            return unknown_facts("cargo", name, version, self.registry,
                                 f"{self.registry}: the answer for {name!r} is not a crate document (no `versions`)")
        entry = next((v for v in data["versions"] if isinstance(v, dict) and v.get("num") == version), None)
        reasons = [document.note] if document.note else []
        if entry is None:
            if not document.live:
                return unknown_facts("cargo", name, version, self.registry,
                                     f"version {version} is not in the cached copy of {name}'s crate document, which "
                                     "may predate it")
            try:
                single = self.fetcher.json(f"{self.crate_url(name, api)}/{urllib.parse.quote(version, safe='')}",
                                           accept=ACCEPT, max_bytes=MiB)
            except NotFound:
                return VersionFacts("cargo", name, version, self.registry, exists=False,
                                    reason=f"{self.registry} lists no version {version} of {name}")
            except RegistryError as error:
                return unknown_facts("cargo", name, version, self.registry, error.reason)
            entry = single.data.get("version") if isinstance(single.data, dict) else None
            if not isinstance(entry, dict) or entry.get("num") != version:
                return unknown_facts("cargo", name, version, self.registry,
                                     f"{self.registry}: the answer for {name}@{version} is not a version document")
        return self._facts(name, version, entry, data.get("crate"), document.stale, reasons)

    def _facts(self, name: str, version: str, entry: dict, crate: object, stale: bool,
               reasons: list[str]) -> VersionFacts:
        released = parse_time(entry.get("created_at"))
        if released is None:
            reasons.append(f"{self.registry} gives no publish time for {name}@{version}")
        yanked = entry.get("yanked")
        checksum = entry.get("checksum")
        hashes = None
        if isinstance(checksum, str) and len(checksum) == 64 and set(checksum.lower()) <= _HEX:
            hashes = frozenset({f"sha256:{checksum.lower()}"})
        else:
            reasons.append(f"{self.registry} publishes no checksum for {name}@{version}")
        license_value = entry.get("license")
        repository = crate.get("repository") if isinstance(crate, dict) else None
        message = entry.get("yank_message")
        return VersionFacts(
            "cargo", name, version, self.registry, exists=True,
            release_time=released or UNKNOWN, last_upload_time=released or UNKNOWN,
            yanked=yanked if isinstance(yanked, bool) else UNKNOWN,
            yanked_reason=message if yanked is True and isinstance(message, str) and message else None,
            deprecated=None, hashes=hashes if hashes is not None else UNKNOWN,
            license=license_value if isinstance(license_value, str) and license_value else None,
            stale=stale, reason="; ".join(reasons) or None,
            repository=_repository(repository),
        )


def _repository(url: object) -> SourceRepository | None:
    """The crate's ``repository`` (a URL) as a SourceRepository when it names one, else None."""
    if not isinstance(url, str) or not url:
        return None
    from checker.registries.sourcerepo import repository_of_url

    return repository_of_url(url, explicit=True)
