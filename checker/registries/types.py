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
from types import MappingProxyType
from typing import NamedTuple

from checker.model import UNKNOWN, Facts

NONE = "none"
PROVENANCE = "provenance"
TRUSTED_PUBLISHER = "trusted-publisher"
EVIDENCE_RANK: Mapping[str, int] = MappingProxyType({NONE: 0, PROVENANCE: 1, TRUSTED_PUBLISHER: 2})

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


def stronger(a: object, b: object) -> object:
    """The stronger of two evidence levels; UNKNOWN only when neither is known."""
    if a is UNKNOWN:
        return b
    if b is UNKNOWN:
        return a
    return a if EVIDENCE_RANK[a] >= EVIDENCE_RANK[b] else b  # type: ignore[index]


class Publisher(NamedTuple):
    """Who published through a trusted-publishing identity.

    kind: ``GitHub``, ``GitLab``, ``Google``, ``ActiveState`` (PyPI's spelling; npm's ``github`` / ``gitlab`` are
    mapped to it). repository: ``owner/repo`` (GitLab: ``namespace/project``). workflow: the workflow file name
    (``release.yml``; GitLab: the CI file path). environment: the deployment environment, None when none.
    email: a Google service account. None wherever the source does not say.
    """

    kind: str
    repository: str | None = None
    workflow: str | None = None
    environment: str | None = None
    email: str | None = None

    def describe(self) -> str:
        if self.repository:
            text = f"{self.kind} {self.repository}"
            if self.workflow:
                text += f" ({self.workflow}"
                text += f", environment {self.environment})" if self.environment else ")"
            return text
        return f"{self.kind} {self.email}" if self.email else self.kind

    def matches(self, repository: str | None = None, workflow: str | None = None,
                environment: str | None = None) -> bool:
        """Whether this publisher is the expected one. Only the parts given are compared: the repository without
        regard to case (GitHub's names are case-insensitive), the workflow by file name (``release.yml`` matches
        ``.github/workflows/release.yml``), the environment exactly."""
        if repository is not None and (self.repository or "").lower() != repository.strip().lower():
            return False
        if workflow is not None and _basename(self.workflow) != _basename(workflow):
            return False
        if environment is not None and (self.environment or "") != environment:
            return False
        return True


def _basename(path: str | None) -> str:
    return (path or "").strip().rsplit("/", 1)[-1]


class FileFacts(NamedTuple):
    """One distribution file of a PyPI release, as the index lists it.

    upload_time: datetime | UNKNOWN. provenance_url: the PEP 740 URL, None (the index says: no provenance) or
    UNKNOWN (the index does not say). evidence: that file's level, or UNKNOWN.
    """

    filename: str
    url: str
    hashes: frozenset[str]
    upload_time: object = UNKNOWN
    yanked: bool = False
    yanked_reason: str | None = None
    provenance_url: object = UNKNOWN

    @property
    def evidence(self) -> object:
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
    files: PyPI only, the version's files. stale: an answer served from an expired cache entry (offline, or the
    registry failed); ``reason`` then says from when.
    """

    ecosystem: str
    name: str
    version: str
    registry: str
    exists: object = UNKNOWN
    release_time: object = UNKNOWN
    last_upload_time: object = UNKNOWN
    yanked: object = UNKNOWN
    yanked_reason: str | None = None
    deprecated: object = UNKNOWN
    hashes: object = UNKNOWN
    evidence: object = UNKNOWN
    publishers: object = UNKNOWN
    install_scripts: object = UNKNOWN
    has_install_script: object = UNKNOWN
    files: tuple[FileFacts, ...] = ()
    stale: bool = False
    reason: str | None = None

    def files_matching(self, hashes: Iterable[str]) -> tuple[FileFacts, ...]:
        """The files whose published digests include one of ``hashes`` (``algo:hex``): the artifacts a lockfile
        actually installs."""
        wanted = {h.lower() for h in hashes}
        return tuple(f for f in self.files if f.hashes & wanted)

    def to_facts(self) -> Facts:
        """The pipeline's ``checker.model.Facts`` for this version (the fields it has room for)."""
        provenance: object = UNKNOWN
        if self.evidence is not UNKNOWN:
            provenance = None if self.evidence == NONE else MappingProxyType(
                {"evidence": self.evidence, "publishers": self.publishers})
        return Facts(
            self.ecosystem, self.name, self.version, release_time=self.release_time, yanked=self.yanked,
            hashes=self.hashes, provenance=provenance, install_script=self.has_install_script, reason=self.reason,
        )


def unknown_facts(ecosystem: str, name: str, version: str, registry: str, reason: str,
                  *, exists: object = UNKNOWN) -> VersionFacts:
    """Facts that are all UNKNOWN (or say only whether the version exists), with the reason."""
    return VersionFacts(ecosystem, name, version, registry, exists=exists, reason=reason)


class HistoryEntry(NamedTuple):
    """One earlier version in a provenance history. publishers: UNKNOWN unless looked up (bounded, see History)."""

    version: str
    release_time: dt.datetime
    evidence: object
    prerelease: bool = False
    publishers: object = UNKNOWN


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

    def strongest(self) -> tuple[object, HistoryEntry | None]:
        """The strongest evidence of any entry, and the newest entry that has it; (UNKNOWN, None) when no entry's
        evidence is known."""
        best: object = UNKNOWN
        holder: HistoryEntry | None = None
        for entry in self.entries:
            if entry.evidence is UNKNOWN:
                continue
            if best is UNKNOWN or EVIDENCE_RANK[entry.evidence] > EVIDENCE_RANK[best]:  # type: ignore[index]
                best, holder = entry.evidence, entry
        return best, holder

    @property
    def partial(self) -> bool:
        """True when some entry's evidence is UNKNOWN (the strongest may then be understated)."""
        return any(entry.evidence is UNKNOWN for entry in self.entries)

    def last_publishers(self) -> object:
        """The publishers of the newest entry whose publishers were looked up and are known; UNKNOWN if none."""
        for entry in self.entries:
            if entry.publishers is not UNKNOWN and entry.publishers:
                return entry.publishers
        return UNKNOWN

