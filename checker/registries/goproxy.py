"""The Go module proxy and the Go checksum database: release time, existence, retraction and hashes of a version.

Three documents per module version, each through the Fetcher (cache, offline mode, time budget, single flight):

- the proxy's ``GET $GOPROXY/<module>/@v/<version>.info`` (the GOPROXY protocol, https://go.dev/ref/mod#goproxy-
  protocol): ``{"Version": "v1.2.3", "Time": "2019-05-01T12:00:00Z"}``; ``Time`` is the release time. A 404 or 410
  means the proxy has no such version (never published, or a module path that does not exist): ``exists`` False.
- the checksum database's ``GET $GOSUMDB/lookup/<module>@<version>`` (https://go.dev/ref/mod#checksum-database): a
  record id on the first line, then the record, ``<module> <version> h1:<base64>`` (the module zip's hash) and
  ``<module> <version>/go.mod h1:<base64>``, then a blank line and the signed tree head. The hashes become
  ``h1:<base64>`` and ``h1/go.mod:<base64>``, as checker/manifests/go_sum.py writes go.sum's, so that
  ``hash-mismatch`` blocks a go.sum line the database disagrees with. Only the record's lines naming the module
  and version asked are read; lines after the blank line (the tree head, where a malicious server could add
  more) never are. **The signed tree head is not verified** (neither its signature nor the record's inclusion in
  the log): lockgate trusts the HTTPS connection to the database, as the proxy's answers are trusted. A database
  that has no record (404/410) leaves the hashes UNKNOWN with the reason; the go command would refuse such a
  version unless GONOSUMDB/GOPRIVATE exempts it.
- retraction: the proxy's ``@latest`` (``{"Version": …}``), then ``@v/<latest>.mod``: a ``retract`` directive of the
  module's latest go.mod that covers the version makes it ``yanked`` (reason: the directive's comment). Unknown when
  either cannot be had.

Module paths and versions are escaped as the go command does (golang.org/x/mod/module ``EscapePath``): each
upper-case letter as ``!`` and its lower-case form, so ``github.com/Azure/x`` is fetched as
``github.com/!azure/x``; a path with ``!`` or a character outside the module path alphabet is never sent.

Defaults: https://proxy.golang.org and https://sum.golang.org (the policy's ``registries.go`` and
``registries.go-sumdb`` override them; a mirror such as Artifactory or Athens speaks the same protocol).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from checker.model import UNKNOWN, Unknown
from checker.registries.fetch import Document, Fetcher
from checker.registries.http import MiB, NotFound, RegistryError, redact_url
from checker.registries.types import VersionFacts, parse_time, unknown_facts

DEFAULT_PROXY = "https://proxy.golang.org"
DEFAULT_SUMDB = "https://sum.golang.org"
INFO_ACCEPT = "application/json"
TEXT_ACCEPT = "text/plain"
INFO_MAX_BYTES = 1 * MiB
MOD_MAX_BYTES = 4 * MiB
LOOKUP_MAX_BYTES = 64 * 1024
RECORD_TTL = 30 * 24 * 3600.0  # a version's .info and its checksum record never change


def escape(path: str) -> str | None:
    """golang.org/x/mod/module ``EscapePath``: upper-case letters as ``!`` + lower case; None for a string that is
    no module path (a ``!``, a character outside ASCII, a space), which is never sent."""
    from checker.manifests.go_modfile import is_module_path

    if not is_module_path(path):
        return None
    return "".join(f"!{c.lower()}" if "A" <= c <= "Z" else c for c in path)


def _escape_version(version: str) -> str | None:
    """golang.org/x/mod/module ``EscapeVersion``, for the Go versions lockgate asks about (None for others)."""
    from checker.versions import go

    if not go.is_valid(version):
        return None
    return "".join(f"!{c.lower()}" if "A" <= c <= "Z" else c for c in version)


def _text(body: bytes, url: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise RegistryError(f"{redact_url(url)}: the answer is not UTF-8 text", url=url) from None


def read_lookup(body: bytes, url: str) -> tuple[str, ...]:
    """A checksum database lookup answer, as the record's lines (the record id line and everything from the first
    blank line on, the signed tree head, are left out). Raises RegistryError for anything else."""
    text = _text(body, url)
    head, blank, _ = text.partition("\n\n")
    lines = head.split("\n")
    if not blank or len(lines) < 2 or not lines[0].strip().isdigit():
        raise RegistryError(f"{redact_url(url)}: not a checksum database record (a record id, the go.sum lines, a "
                            "blank line and the signed tree head)", url=url)
    return tuple(lines[1:])


def read_text(body: bytes, url: str) -> str:
    return _text(body, url)


class GoProxyClient:
    """Facts about Go module versions from a module proxy and a checksum database (see the module docstring)."""

    def __init__(self, fetcher: Fetcher, registry_url: str | None = None, *, sumdb_url: str | None = None) -> None:
        self.fetcher = fetcher
        self.proxy_url = (registry_url or DEFAULT_PROXY).rstrip("/")
        self.sumdb_url = (sumdb_url or DEFAULT_SUMDB).rstrip("/")

    @property
    def registry(self) -> str:
        return self.fetcher.shown(self.proxy_url)

    def info_url(self, name: str, version: str) -> str | None:
        path, escaped = escape(name), _escape_version(version)
        if path is None or escaped is None:
            return None
        return f"{self.proxy_url}/{path}/@v/{escaped}.info"

    def cached(self, name: str) -> bool:
        """Whether the module's documents are at hand (the facts stage asks per module; the version is not known
        here, so a module is never answered from the calling thread: it costs a worker, never a wrong answer)."""
        return False

    def facts(self, name: str, version: str) -> VersionFacts:
        """Release time and existence (proxy), hashes (checksum database), retraction (the latest go.mod)."""
        url = self.info_url(name, version)
        if url is None:
            return unknown_facts("go", name, version, self.registry,
                                 f"{name} {version} is not a module path and Go version lockgate can ask about")
        try:
            document = self.fetcher.json(url, accept=INFO_ACCEPT, max_bytes=INFO_MAX_BYTES, ttl=RECORD_TTL)
        except NotFound:
            return unknown_facts("go", name, version, self.registry, f"{self.registry} has no {name} {version}",
                                 exists=False)
        except RegistryError as error:
            return unknown_facts("go", name, version, self.registry, error.reason)
        info = document.data
        if not isinstance(info, Mapping) or not isinstance(info.get("Version"), str):
            return unknown_facts("go", name, version, self.registry,
                                 f"{document.url}: expected {{\"Version\": …, \"Time\": …}}")
        reasons: list[str] = []
        if document.stale and document.note:
            reasons.append(document.note)
        released: dt.datetime | Unknown = parse_time(info.get("Time")) or UNKNOWN
        if released is UNKNOWN:
            reasons.append(f"{document.url} gives no release time")
        hashes = self._hashes(name, version, reasons)
        yanked, why = self._retracted(name, version, reasons)
        return VersionFacts(
            "go", name, version, self.registry, exists=True, release_time=released, yanked=yanked,
            yanked_reason=why, deprecated=None, hashes=hashes, stale=document.stale,
            reason="; ".join(reasons) or None,
        )

    def _hashes(self, name: str, version: str, reasons: list[str]) -> frozenset[str] | Unknown:
        path, escaped = escape(name), _escape_version(version)
        url = f"{self.sumdb_url}/lookup/{path}@{escaped}"
        try:
            document = self.fetcher.json(url, accept=TEXT_ACCEPT, max_bytes=LOOKUP_MAX_BYTES, ttl=RECORD_TTL,
                                         decode=read_lookup)
        except NotFound:
            reasons.append(f"the checksum database {self.fetcher.shown(self.sumdb_url)} has no record of "
                           f"{name} {version}")
            return UNKNOWN
        except RegistryError as error:
            reasons.append(f"checksum database: {error.reason}")
            return UNKNOWN
        found = set()
        assert isinstance(document.data, tuple)
        for line in document.data:
            fields = line.split()
            if len(fields) != 3 or fields[0] != name or not fields[2].startswith("h1:"):
                continue
            if fields[1] == version:
                found.add(fields[2])
            elif fields[1] == version + "/go.mod":
                found.add("h1/go.mod:" + fields[2][3:])
        if not found:
            reasons.append(f"{document.url}: the record names no h1: hash of {name} {version}")
            return UNKNOWN
        return frozenset(found)

    def _retracted(self, name: str, version: str, reasons: list[str]) -> tuple[bool | Unknown, str | None]:
        """Whether the latest go.mod of the module retracts ``version``, and its rationale."""
        path = escape(name)
        try:
            latest = self.fetcher.json(f"{self.proxy_url}/{path}/@latest", accept=INFO_ACCEPT,
                                       max_bytes=INFO_MAX_BYTES)
            newest = latest.data.get("Version") if isinstance(latest.data, Mapping) else None
            escaped = _escape_version(newest) if isinstance(newest, str) else None
            if escaped is None:
                reasons.append(f"{latest.url} names no latest version: retraction unknown")
                return UNKNOWN, None
            mod: Document = self.fetcher.json(f"{self.proxy_url}/{path}/@v/{escaped}.mod", accept=TEXT_ACCEPT,
                                              max_bytes=MOD_MAX_BYTES, ttl=RECORD_TTL, decode=read_text)
        except RegistryError as error:
            reasons.append(f"retraction unknown: {error.reason}")
            return UNKNOWN, None
        return retraction(str(mod.data), version)


def retraction(go_mod: str, version: str) -> tuple[bool | Unknown, str | None]:
    """Whether a go.mod's ``retract`` directives cover ``version`` (a single version or ``[low, high]``), and the
    rationale (the directive's comment). UNKNOWN when the go.mod cannot be read."""
    from checker.manifests import go_modfile
    from checker.versions import go

    try:
        statements = go_modfile.statements(go_mod)
    except go_modfile.ModfileError:
        return UNKNOWN, None
    for statement in statements:
        if statement.verb != "retract":
            continue
        args = statement.args
        if len(args) == 1:
            low = high = args[0]
        elif len(args) == 5 and args[0] == "[" and args[2] == "," and args[4] == "]":
            low, high = args[1], args[3]
        else:
            continue
        above, below = go.compare(version, low), go.compare(version, high)
        if above is not None and below is not None and above >= 0 and below <= 0:
            rationale = (statement.comment or "").strip() or None
            return True, rationale
    return False, None
