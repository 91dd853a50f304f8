"""What the registry clients answer: immutable records (NamedTuples), with UNKNOWN for anything that could not be found out.

Three answers are kept apart everywhere: a value (``True``, a time, a set of hashes), an explicit "none" (``None``
or an empty set: the registry says there is none), and ``UNKNOWN`` (from ``checker.model``: offline, a timeout, a
mirror that does not say). ``reason`` says why something is UNKNOWN, in words a user can act on.

Evidence levels (pnpm's ``trustPolicy`` ranks the same three): ``trusted-publisher`` > ``provenance`` > ``none``.
- npm: ``trusted-publisher`` when the version's ``_npmUser.trustedPublisher`` is set (published through OIDC
  trusted publishing), ``provenance`` when ``dist.attestations.provenance`` is set, else ``none``.
- PyPI: PyPI accepts attestations only from Trusted Publishers, and a PEP 740 provenance object always names its
  publisher, so a file whose ``provenance`` is a URL is ``trusted-publisher``; ``null`` is ``none``; a missing key
  (a mirror that does not serve PEP 740) is UNKNOWN. A version's level is the strongest of its files'.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from checker.model import (
    EVIDENCE_RANK, PROVENANCE, TRUSTED_PUBLISHER, UNKNOWN, Facts, Ownership, Provenance, Publisher, SourceRepository,
    Unknown, Uploader,
)
from checker.model import NO_PROVENANCE as NONE

__all__ = ["EVIDENCE_RANK", "NONE", "PROVENANCE", "TRUSTED_PUBLISHER", "Publisher"]  # the records' vocabulary, from checker.model

_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?")


def parse_time(value: object) -> dt.datetime | None:
    """An ISO 8601 timestamp as the registries write it (``2024-05-01T12:00:00.123456Z``, any number of fraction
    digits, ``Z`` or an offset; no zone means UTC) as an aware UTC datetime; None when it is not one."""
    if not isinstance(value, str):
        return None
    if len(value) in (20, 24, 27) and value[10] == "T" and value[-1] == "Z":
        try:  # the common shapes (``…:SSZ``, ``….mmmZ``, ``….ffffffZ``), fast
            return dt.datetime.fromisoformat(value[:-1]).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    found = _TIME.fullmatch(value.strip())
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(found.group(i)) for i in range(1, 7))
    micro = int((found.group(7) or "0")[:6].ljust(6, "0"))
    zone = found.group(8)
    offset = dt.timedelta(0)
    if zone and zone not in ("Z", "z"):
        digits = zone[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if zone[0] == "-":
            offset = -offset
    try:
        stamp = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=dt.timezone(offset))
    except ValueError:
        return None
    return stamp.astimezone(dt.timezone.utc)


def stronger(a: str | Unknown, b: str | Unknown) -> str | Unknown:
    """The stronger of two evidence levels; UNKNOWN only when neither is known."""
    if isinstance(a, Unknown):
        return b
    if isinstance(b, Unknown):
        return a
    return a if EVIDENCE_RANK[a] >= EVIDENCE_RANK[b] else b


class FileFacts(NamedTuple):
    """One distribution file of a PyPI release, as the index lists it.

    upload_time: datetime | UNKNOWN. provenance_url: the PEP 740 URL, None (the index says: no provenance) or
    UNKNOWN (the index does not say). evidence: that file's level, or UNKNOWN.
    """

    filename: str
    url: str
    hashes: frozenset[str]
    upload_time: dt.datetime | Unknown = UNKNOWN
    yanked: bool = False
    yanked_reason: str | None = None
    provenance_url: str | None | Unknown = UNKNOWN

    @property
    def evidence(self) -> str | Unknown:
        if self.provenance_url is UNKNOWN:
            return UNKNOWN
        return TRUSTED_PUBLISHER if self.provenance_url else NONE


class VersionFacts(NamedTuple):
    """What one registry says about one version.

    exists: False when the registry does not list the version (deleted, unpublished, never published) or the
    package; True when it does; UNKNOWN when it could not be asked.
    release_time: when the version was published (npm ``time[version]``; PyPI: the earliest ``upload-time`` of
    its files). last_upload_time: PyPI's latest file upload (files can be added to an old release later).
    yanked / yanked_reason: PyPI (every file of the release yanked); always False for npm. deprecated: npm's
    deprecation message, None when not deprecated.
    hashes: every published digest of the version's artifacts, as ``algo:hex`` (PyPI: all files, all algorithms;
    npm: ``sha512:<hex>`` from ``dist.integrity`` and ``sha1:<hex>`` from ``dist.shasum``).
    evidence: ``trusted-publisher`` | ``provenance`` | ``none`` | UNKNOWN (see the module docstring).
    publishers: the identities the provenance names (empty when the evidence is ``none``); UNKNOWN when not
    asked for or not obtainable. Unverified: read from the registry, not checked cryptographically.
    install_scripts: npm ``scripts`` entries that run on install (``preinstall``, ``install``, ``postinstall``);
    has_install_script: npm's ``hasInstallScript`` (or those scripts, or ``gypfile``). UNKNOWN for PyPI.
    license / license_text: the version's license (see ``checker.model.Facts``); npm: from the packument, PyPI:
    from the JSON API when asked for (``PypiClient.license``). repository: the source repository the version names
    (npm: the packument's ``repository``; PyPI: the JSON API's project URLs), when asked for; git_head: npm's
    ``gitHead`` of the version (None: the packument names none), read with it. files: PyPI only, the version's files. stale: an answer served from an expired cache entry (offline, or the
    registry failed); ``reason`` then says from when.
    uploader: who uploaded it (npm's ``_npmUser``; None: the registry names none, as PyPI never does; UNKNOWN: a
    packument without it, a mirror that strips it). ownership: PyPI's ``ownership`` roles, when the JSON API was
    asked anyway (license, repository) and serves them (None: it does not).
    """

    ecosystem: str
    name: str
    version: str
    registry: str
    exists: bool | Unknown = UNKNOWN
    release_time: dt.datetime | Unknown = UNKNOWN
    last_upload_time: dt.datetime | Unknown = UNKNOWN
    yanked: bool | Unknown = UNKNOWN
    yanked_reason: str | None = None
    deprecated: str | None | Unknown = UNKNOWN
    hashes: frozenset[str] | Unknown = UNKNOWN
    evidence: str | Unknown = UNKNOWN
    publishers: frozenset[Publisher] | Unknown = UNKNOWN
    install_scripts: Mapping[str, str] | Unknown = UNKNOWN
    has_install_script: bool | Unknown = UNKNOWN
    files: tuple[FileFacts, ...] = ()
    stale: bool = False
    reason: str | None = None
    license: str | None | Unknown = UNKNOWN
    license_text: str | None = None
    repository: SourceRepository | None | Unknown = UNKNOWN
    uploader: Uploader | None | Unknown = UNKNOWN
    ownership: Ownership | None | Unknown = UNKNOWN
    git_head: str | None | Unknown = UNKNOWN  # npm's gitHead, read with the repository

    def files_matching(self, hashes: Iterable[str]) -> tuple[FileFacts, ...]:
        """The files whose published digests include one of ``hashes`` (``algo:hex``): the artifacts a lockfile
        actually installs."""
        wanted = {h.lower() for h in hashes}
        return tuple(f for f in self.files if f.hashes & wanted)

    def to_facts(self) -> Facts:
        """The pipeline's ``checker.model.Facts`` for this version (the fields it has room for)."""
        provenance: Provenance | None | Unknown = UNKNOWN
        if isinstance(self.evidence, str):
            provenance = None if self.evidence == NONE else Provenance(self.evidence, self.publishers)
        return Facts(
            self.ecosystem, self.name, self.version, release_time=self.release_time, yanked=self.yanked,
            hashes=self.hashes, provenance=provenance, install_script=self.has_install_script, reason=self.reason,
            license=self.license, license_text=self.license_text, repository=self.repository,
            uploader=self.uploader, ownership=self.ownership, git_head=self.git_head,
        )


def unknown_facts(ecosystem: str, name: str, version: str, registry: str, reason: str,
                  *, exists: bool | Unknown = UNKNOWN) -> VersionFacts:
    """Facts that are all UNKNOWN (or say only whether the version exists), with the reason."""
    return VersionFacts(ecosystem, name, version, registry, exists=exists, reason=reason)


class HistoryEntry(NamedTuple):
    """One earlier version in a provenance history. publishers: UNKNOWN unless looked up (bounded, see History).
    uploader: who uploaded it (npm's ``_npmUser``, from the one packument; None: the registry names none)."""

    version: str
    release_time: dt.datetime
    evidence: str | Unknown
    prerelease: bool = False
    publishers: frozenset[Publisher] | Unknown = UNKNOWN
    uploader: Uploader | None | Unknown = None


class History(NamedTuple):
    """The versions of a package published strictly before ``before``, newest first, with their evidence.

    Built the way pnpm's ``trustPolicy: no-downgrade`` reads a package: by publish time, not by version number;
    prereleases left out unless the version judged is one (``include_prereleases``). Deleted versions are not
    in it (the registry keeps nothing to judge). The evidence of every entry comes from the one document the
    client already fetched; publisher identities cost one request each, so only the ``publisher_limit`` newest
    entries with provenance carry them.
    """

    ecosystem: str
    name: str
    before: dt.datetime
    entries: tuple[HistoryEntry, ...] = ()
    include_prereleases: bool = False
    reason: str | None = None

    def strongest(self) -> tuple[str | Unknown, HistoryEntry | None]:
        """The strongest evidence of any entry, and the newest entry that has it; (UNKNOWN, None) when no entry's
        evidence is known."""
        best: str | Unknown = UNKNOWN
        holder: HistoryEntry | None = None
        for entry in self.entries:
            if isinstance(entry.evidence, Unknown):
                continue
            if isinstance(best, Unknown) or EVIDENCE_RANK[entry.evidence] > EVIDENCE_RANK[best]:
                best, holder = entry.evidence, entry
        return best, holder

    @property
    def partial(self) -> bool:
        """True when some entry's evidence is UNKNOWN (the strongest may then be understated)."""
        return any(entry.evidence is UNKNOWN for entry in self.entries)

    def last_publishers(self) -> frozenset[Publisher] | Unknown:
        """The publishers of the newest entry whose publishers were looked up and are known; UNKNOWN if none."""
        for entry in self.entries:
            if entry.publishers is not UNKNOWN and entry.publishers:
                return entry.publishers
        return UNKNOWN

