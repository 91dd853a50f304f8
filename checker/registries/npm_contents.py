"""What an npm release's tarball holds, read in memory: its file list, native binaries, links, and the
``package.json`` inside it, for the artifact signals (new ``binding.gyp``, new ``bin`` entries, new binaries) and
manifest confusion.

npm never checks that the ``package.json`` inside a tarball agrees with the version document the registry serves
(the packument's ``versions[v]``): the registry shows one set of ``scripts``, ``dependencies`` and ``bin``, and
``npm install`` runs the tarball's (Darcy Clarke, "manifest confusion", 2023). Lockgate's other rules read the
packument, so a tarball that disagrees with it is itself a finding.

How the tarball is read (a ``.tgz``: gzip around a POSIX ustar/pax archive, every entry under one top folder,
``package/`` by convention but any name is accepted, as npm does):

- fetched through the registries' HTTP helper with a cap (``MAX_TARBALL`` bytes), never written to disk;
- checked against the packument's ``dist.integrity`` (SRI: ``sha512-<base64>``, else ``sha1``) **before** it is
  opened: bytes that are not the published ones are not read at all (``TarballError``);
- gunzipped in memory up to ``MAX_UNPACKED`` bytes (a gzip bomb stops there, ``TarballError``);
- walked with ``tarfile`` over the bytes, ``MAX_ENTRIES`` entries at most: names only, never extracted; symbolic
  and hard links are listed (``links``), never followed (for the signals a link is an installed path like a file:
  a ``binding.gyp`` that is a link still builds); a name that leaves the package folder (``..``, an
  absolute path) is a problem (``problems``); each regular file's first bytes name a native binary (ELF, Mach-O,
  PE, WebAssembly) by its magic number;
- ``package.json`` (under whichever top folder: npm strips the first path component of every entry, so
  ``a/package.json`` and ``b/package.json`` both land at the root; more than one is a problem and no manifest is
  trusted, which manifest confusion reports) parsed as JSON, at most ``MAX_MANIFEST`` bytes.

Pure except ``NpmContentsClient.contents``, which fetches, and keeps the summary in the registries' cache under a
key made of the integrity (a published tarball never changes, so the summary never expires).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from checker.registries.http import MiB, RegistryError

if TYPE_CHECKING:
    from checker.model import ArtifactContents
    from checker.registries.fetch import Fetcher

MAX_TARBALL = 64 * MiB
MAX_UNPACKED = 512 * MiB
MAX_ENTRIES = 100_000
MAX_MANIFEST = 1 * MiB
SUMMARY_ACCEPT = "application/vnd.lockgate.npm-contents+json"
# The first bytes of a native binary (checked on every regular file).
MAGIC = (
    (b"\x7fELF", "ELF"),
    (b"\xcf\xfa\xed\xfe", "Mach-O"),
    (b"\xce\xfa\xed\xfe", "Mach-O"),
    (b"\xfe\xed\xfa\xcf", "Mach-O"),
    (b"\xca\xfe\xba\xbe", "Mach-O universal"),
    (b"\x00asm", "WebAssembly"),
    (b"MZ", "PE"),
)
# Fields of package.json that decide what `npm install` runs or installs: the ones manifest confusion is about.
CONFUSABLE = ("name", "version", "scripts", "bin", "dependencies", "optionalDependencies", "peerDependencies",
              "bundleDependencies", "os", "cpu")
# The scripts `npm install` runs (of the package itself: `prepare` only for git and local installs, still code run
# at install). Other scripts (`test`, `start`, ...) never run on install, and npm's publish adds some of them
# (`start: node server.js` when there is a server.js), so they are not compared.
INSTALL_SCRIPTS = ("preinstall", "install", "postinstall", "prepare")


class TarballError(Exception):
    """The tarball cannot be read as the published one (integrity, size, format): ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TarballContents(NamedTuple):
    """A tarball's entries (paths inside the package folder, sorted), the native binaries among them as
    ``(path, kind)``, the links (never followed), its ``package.json``, the unpacked size, and what could not be
    read as a package (a path leaving the folder, a manifest that is not JSON)."""

    files: tuple[str, ...]
    binaries: tuple[tuple[str, str], ...] = ()
    links: tuple[str, ...] = ()
    manifest: Mapping[str, Any] | None = None
    unpacked_size: int = 0
    problems: tuple[str, ...] = ()
    unsafe: tuple[str, ...] = ()  # entry names that leave the package folder, as written

    def to_json(self) -> dict[str, Any]:
        return {"files": list(self.files), "binaries": [list(b) for b in self.binaries], "links": list(self.links),
                "manifest": self.manifest, "unpacked_size": self.unpacked_size, "problems": list(self.problems),
                "unsafe": list(self.unsafe)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TarballContents:
        return cls(tuple(data["files"]), tuple((str(p), str(k)) for p, k in data["binaries"]), tuple(data["links"]),
                   data["manifest"], int(data["unpacked_size"]), tuple(data["problems"]), tuple(data["unsafe"]))


def check_integrity(data: bytes, integrity: str | None, shasum: str | None = None) -> None:
    """Raise TarballError unless ``data`` is what the packument's ``dist.integrity`` (SRI, the strongest
    algorithm it lists) or, failing that, ``dist.shasum`` (SHA-1 hex) says; with neither, it cannot be checked."""
    strongest: tuple[int, str, str] | None = None
    for token in (integrity or "").split():
        algorithm, _, digest = token.partition("-")
        rank = {"sha512": 3, "sha384": 2, "sha256": 1, "sha1": 0}.get(algorithm.lower())
        if rank is not None and digest and (strongest is None or rank > strongest[0]):
            strongest = (rank, algorithm.lower(), digest)
    if strongest is not None:
        _, algorithm, digest = strongest
        try:
            expected = base64.b64decode(digest, validate=True)
        except ValueError:
            raise TarballError(f"the packument's integrity {integrity!r} is not base64") from None
        if hashlib.new(algorithm, data).digest() != expected:
            raise TarballError(f"the tarball does not match the packument's {algorithm} integrity")
        return
    if shasum:
        if hashlib.sha1(data).hexdigest() != shasum.strip().lower():
            raise TarballError("the tarball does not match the packument's shasum")
        return
    raise TarballError("the packument gives no integrity or shasum to check the tarball against")


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_UNPACKED + 1)
    except zlib.error as error:
        raise TarballError(f"not a gzip file ({error})") from None
    if len(out) > MAX_UNPACKED or inflater.unconsumed_tail:
        raise TarballError(f"unpacks to more than {MAX_UNPACKED:,} bytes: not read")
    return out


def read_tarball(data: bytes) -> TarballContents:
    """The contents of a ``.tgz`` already checked against its integrity (see the module docstring)."""
    raw = _gunzip(data)
    files: list[str] = []
    binaries: list[tuple[str, str]] = []
    links: list[str] = []
    problems: list[str] = []
    unsafe: list[str] = []
    manifest: Mapping[str, Any] | None = None
    roots = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as archive:
            for count, member in enumerate(archive):
                if count >= MAX_ENTRIES:
                    raise TarballError(f"holds more than {MAX_ENTRIES:,} entries: not read")
                name = member.name.replace("\\", "/")
                if name.startswith("/") or ".." in name.split("/"):
                    problems.append(f"entry {member.name!r} leaves the package folder")
                    unsafe.append(member.name)
                    continue
                folder, _, inner = name.partition("/")
                if not inner or member.isdir():
                    continue
                if member.issym() or member.islnk():
                    links.append(inner)
                    continue
                if not member.isfile():
                    problems.append(f"entry {inner!r} is not a regular file (type {member.type!r})")
                    continue
                files.append(inner)
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                if inner == "package.json":  # npm strips the first folder, whatever its name: the last one wins
                    roots += 1
                    manifest = None
                    if member.size > MAX_MANIFEST:
                        problems.append(f"package.json is {member.size:,} bytes, more than lockgate reads")
                        continue
                    try:
                        value = json.loads(handle.read())
                    except ValueError as error:
                        problems.append(f"package.json is not JSON ({error})")
                        continue
                    if isinstance(value, dict):
                        manifest = value
                    else:
                        problems.append("package.json is not a JSON object")
                    continue
                head = handle.read(4)
                kind = next((k for magic, k in MAGIC if head.startswith(magic)), None)
                if kind is not None:
                    binaries.append((inner, kind))
    except tarfile.TarError as error:
        raise TarballError(f"not a readable tar archive ({error})") from None
    if roots > 1:  # which one npm ends up with depends on the order it writes them: no manifest can be trusted
        problems.append(f"the tarball holds {roots} package.json files at its root")
        manifest = None
    return TarballContents(tuple(sorted(files)), tuple(sorted(binaries)), tuple(sorted(links)), manifest, len(raw),
                           tuple(problems), tuple(unsafe))


def manifest_confusion(published: Mapping[str, Any], contents: TarballContents) -> list[str]:
    """The fields that decide what ``npm install`` runs or installs (``CONFUSABLE``) on which the packument's
    version document and the tarball's ``package.json`` disagree (a missing package.json is itself one). The
    tarball's side is read as npm's publish normalises it into the packument, so that an honest release does not
    differ: ``install: node-gyp rebuild`` implied by a ``binding.gyp`` without install scripts, ``bin`` from
    ``directories.bin``, a ``bin`` string named after the package, ``bundledDependencies`` spelled
    ``bundleDependencies``, a version's leading ``v``."""
    packed = contents.manifest
    if packed is None:
        return ["package.json (the tarball has none)"]
    effective = dict(packed)
    scripts = {k: v for k, v in (packed.get("scripts") or {}).items()} if isinstance(packed.get("scripts"), Mapping) else {}
    if "binding.gyp" in contents.files and not (scripts.get("install") or scripts.get("preinstall")):
        scripts["install"] = "node-gyp rebuild"
    effective["scripts"] = scripts
    directories = packed.get("directories")
    if not packed.get("bin") and isinstance(directories, Mapping) and isinstance(directories.get("bin"), str):
        folder = directories["bin"].removeprefix("./").rstrip("/") + "/"
        effective["bin"] = {f.rsplit("/", 1)[-1]: f for f in contents.files if f.startswith(folder)}
    if "bundleDependencies" not in effective and "bundledDependencies" in effective:
        effective["bundleDependencies"] = effective["bundledDependencies"]
    published = dict(published)
    if "bundleDependencies" not in published and "bundledDependencies" in published:
        published["bundleDependencies"] = published["bundledDependencies"]
    name = str(published.get("name") or packed.get("name") or "")
    return [field for field in CONFUSABLE
            if _normal(field, published.get(field), name) != _normal(field, effective.get(field), name)]


def _normal(field: str, value: Any, name: str) -> Any:
    """A field as npm reads it, so that two spellings of one meaning do not differ (see manifest_confusion)."""
    if field == "scripts" and isinstance(value, Mapping):
        value = {k: v for k, v in value.items() if k in INSTALL_SCRIPTS}
    if value in ({}, [], None, ""):
        return None
    if field == "version" and isinstance(value, str):
        return value.strip().removeprefix("v").removeprefix("=")
    if field == "bin" and isinstance(value, str):
        return {name.rsplit("/", 1)[-1]: value.removeprefix("./")}
    if field == "bin" and isinstance(value, Mapping):
        return {str(k): str(v).removeprefix("./") for k, v in value.items()}
    return value


class NpmContentsClient:
    """Fetches and reads tarballs for the facts stage, through the run's Fetcher (its HTTP helper, budget,
    offline mode and cache)."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    def contents(self, url: str, integrity: str | None, shasum: str | None = None) -> TarballContents:
        """The tarball's contents; TarballError (the reason) when it cannot be had or read, offline included."""
        key = f"https://lockgate.invalid/npm-contents/v2/{hashlib.sha256((integrity or shasum or url).encode()).hexdigest()}"
        cache = self.fetcher.cache
        if (integrity or shasum) and cache is not None:
            entry = cache.get(key, SUMMARY_ACCEPT)
            if entry is not None:
                try:
                    return TarballContents.from_json(json.loads(entry.body))
                except (ValueError, KeyError, TypeError):
                    pass  # a damaged entry: read the tarball again
        http = self.fetcher.http
        if self.fetcher.offline or http is None:
            raise TarballError(f"offline, not cached: {self.fetcher.shown(url)}")
        try:
            data = http.get(url, headers={"Accept": "application/octet-stream"}, max_bytes=MAX_TARBALL).body
        except RegistryError as error:
            raise TarballError(self.fetcher.redact(error.reason)) from None
        check_integrity(data, integrity, shasum)
        found = read_tarball(data)
        if (integrity or shasum) and cache is not None:
            cache.put(key, SUMMARY_ACCEPT, json.dumps(found.to_json()).encode(), content_type=SUMMARY_ACCEPT)
        return found


def as_artifact(url: str, version: str, contents: TarballContents, published: Mapping[str, Any]) -> ArtifactContents:
    """The tarball as rule ``artifact-content`` reads release files (kind ``npm``): native binaries, the commands
    its ``bin`` installs (``bin:<name>``, by the tarball's own package.json: what npm installs), the entries that
    leave the package folder, and the package.json fields the registry's document disagrees on."""
    from checker.model import ArtifactContents

    packed = contents.manifest or {}
    commands = _normal("bin", packed.get("bin"), str(packed.get("name") or published.get("name") or "")) or {}
    return ArtifactContents(
        filename=url.rsplit("/", 1)[-1], url=url, size=contents.unpacked_size, kind="npm",
        files=tuple(sorted({*contents.files, *contents.links})),  # a link is installed as a path too
        native=tuple(path for path, _ in contents.binaries),
        entry_points=tuple(sorted(f"bin:{name}" for name in commands)),
        unsafe_names=contents.unsafe, version=version, mismatched=tuple(manifest_confusion(published, contents)))


def release_before(packument: Mapping[str, Any], version: str) -> str | None:
    """The version published last before ``version`` (by the packument's ``time``), the one an added dependency's
    tarball is compared with; None for a first release."""
    times = packument.get("time") or {}
    when = times.get(version)
    if not isinstance(when, str):
        return None
    earlier = [(t, v) for v, t in times.items()
               if v not in ("created", "modified", version) and isinstance(t, str) and t < when
               and v in (packument.get("versions") or {})]
    return max(earlier)[1] if earlier else None
