"""A local copy of OSV's advisories, for offline runs and the pre-commit hook (``lockgate db sync``).

OSV publishes every record of an ecosystem as one zip of OSV JSON files, ``{base}/{Ecosystem}/all.zip``
(https://google.github.io/osv.dev/data/#data-dumps; ``base`` is ``https://osv-vulnerabilities.storage.googleapis.com``,
``LOCKGATE_OSV_DB_URL`` for a mirror or the tests). The npm export is hundreds of megabytes, so it is fetched the way a
large download must be, through the registries' HTTP helper (timeouts, retries, redaction, proxies):

- **in ranges** (``Range: bytes=a-b``, ``CHUNK`` at a time) appended to ``all.zip.part``, each answer checked to be
  the ``206`` of the range asked for; a server that ignores ranges (``200``) gives the whole file in one answer,
  within ``MAX_WHOLE`` bytes;
- **resumable**: ``all.zip.part.json`` records the object's ETag and size; a later sync whose object has the same ETag
  goes on from the bytes already on disk, and one whose object changed starts again. Every range asks ``If-Match``
  with that ETag, so an export replaced in the middle of a download answers ``412`` and is started again, never
  spliced from two versions;
- **checked**: the whole file against the MD5 the object store gives (``x-goog-hash: md5=<base64>``), then every
  member's CRC (``zipfile.testzip``); a file that fails either is deleted and the sync is an error. Only then does
  it replace the copy in use, atomically, with its index.

The index maps each package, in the name form lookups use (PEP 503 for PyPI, as written for npm, lower case for
GitHub Actions), to the zip members that name it in ``affected[].package``, with where each member's bytes lie
(local header offset, method, sizes, CRC-32). It is sharded by a hash of the package key into ``SHARD_CHARS``-hex
files, and a lookup reads one shard and seeks to the members (``_read_member``): loading a whole index of npm's
quarter of a million packages, and parsing the zip's central directory, cost about 1.4 s per offline lookup
(benchmarks/osv_copy.py). ``index.json`` holds the counts, the export's ETag, size and URL, when it was synced,
and the name of the shard folder; it is written last. A member that is not a readable OSV
record is counted and said (``unreadable``): the advisories it holds cannot be looked up, and the command's output
says so rather than pretending the copy is whole.

Layout under the cache directory (checker/registries/cache.py's): ``osv/{Ecosystem}/all.zip``, ``index.json``,
``index.<token>/<xx>.json`` (the shards), and while downloading ``all.zip.part`` with ``all.zip.part.json``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from checker.errors import LockgateError
from checker.registries.advisories import OSV_ECOSYSTEMS
from checker.registries.http import MiB, HttpClient, RegistryError, Response

DEFAULT_BASE = "https://osv-vulnerabilities.storage.googleapis.com"
BASE_ENV = "LOCKGATE_OSV_DB_URL"
# lockgate's ecosystems and OSV's names for them (the advisories reader's table: one table, two users).
ECOSYSTEMS: Mapping[str, str] = OSV_ECOSYSTEMS
CHUNK = 16 * MiB
MAX_WHOLE = 1024 * MiB  # a server that ignores ranges sends the whole export in one answer, up to this
MAX_RECORD = 4 * MiB  # one OSV record; a member larger than this is not one
# A copy older than this answers no "none" offline (checker/registries/osv.py): what it lacks is what was reported
# since, and malicious releases are reported within hours. A week lets a laptop run the hook between syncs.
MAX_COPY_AGE = 7 * 24 * 3600.0
INDEX_FORMAT = 3  # how the index keys and shards packages; another format is re-indexed by the next sync
SHARD_CHARS = 2  # shards named by the first hex digits of sha1(package key): 256 files of ~1/256 of the index each
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")  # a zip member's local file header (APPNOTE 4.3.7)
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")

Progress = Callable[[str, int, int], None]


class SyncError(LockgateError):
    """The export could not be fetched whole and checked; the copy in use (if any) is untouched."""


class SyncResult(NamedTuple):
    """One ecosystem's sync: ``status`` ``downloaded`` | ``resumed`` | ``up to date`` (``installed``: ``install``); the
    export's size, how many
    records and packages the index holds, and how many members could not be read as OSV records."""

    ecosystem: str
    status: str
    size: int
    records: int
    packages: int
    unreadable: int = 0


def base_url(environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return (env.get(BASE_ENV, "").strip() or DEFAULT_BASE).rstrip("/")


def osv_ecosystem(name: str) -> str:
    """OSV's name of an ecosystem given as lockgate's (``pypi``) or OSV's own (``PyPI``); a UsageError otherwise."""
    from checker.errors import UsageError

    for ours, theirs in ECOSYSTEMS.items():
        if name.strip().lower() in (ours, theirs.lower()):
            return theirs
    raise UsageError(f"unknown ecosystem {name!r}: lockgate syncs {', '.join(ECOSYSTEMS.values())}")


def package_key(ecosystem: str, name: str) -> str:
    """How a package is named in the index, so that every spelling that names one package finds it: PEP 503 for
    PyPI (``Foo_Bar`` is ``foo-bar``), lower case for GitHub Actions (GitHub's names ignore case, as the online
    match does: advisories._same_package) and for Packagist (Composer compares names without case), crates with ``-``/``_`` as one and any case, Swift repositories without
    scheme, ``.git`` or case; as written for npm."""
    if ecosystem == "PyPI":
        from checker.manifests.common import canonical_pypi_name

        return canonical_pypi_name(name)
    if ecosystem in ("GitHub Actions", "Packagist", "NuGet"):  # Composer's vendor/name and NuGet ids ignore case too
        return name.lower()
    if ecosystem == "crates.io":  # crates.io: `-` and `_` are one character, case is ignored
        return name.replace("-", "_").lower()
    if ecosystem == "SwiftURL":  # a repository URL: no scheme, no `.git`, any case
        from checker.manifests.package_resolved import osv_name

        return osv_name(name).lower()
    return name


def directory_of(cache_directory: str, ecosystem: str) -> str:
    return os.path.join(cache_directory, "osv", ecosystem)


def sync(ecosystems: Iterable[str], cache_directory: str, http: HttpClient, *, base: str | None = None,
         progress: Progress | None = None) -> list[SyncResult]:
    """Bring each ecosystem's copy up to date; a SyncError names the first that could not be."""
    return [_sync_one(osv_ecosystem(name), cache_directory, http, base or base_url(), progress)
            for name in ecosystems]


class _Remote(NamedTuple):
    size: int
    etag: str | None
    md5: bytes | None
    whole: bytes | None  # the body, when the server ignored the range and sent everything


def _sync_one(ecosystem: str, cache_directory: str, http: HttpClient, base: str,
              progress: Progress | None) -> SyncResult:
    url = f"{base}/{ecosystem.replace(' ', '%20')}/all.zip"
    folder = directory_of(cache_directory, ecosystem)
    os.makedirs(folder, exist_ok=True)
    done_path, part_path = os.path.join(folder, "all.zip"), os.path.join(folder, "all.zip.part")
    remote = _probe(http, url)
    current = _read_json(os.path.join(folder, "index.json"))
    if (current and remote.etag and current.get("etag") == remote.etag and current.get("size") == remote.size
            and current.get("format") == INDEX_FORMAT and os.path.exists(done_path)):
        return SyncResult(ecosystem, "up to date", remote.size, int(current.get("records", 0)),
                          int(current.get("packages", 0)), int(current.get("unreadable", 0)))
    status = "downloaded"
    if remote.whole is not None:
        with open(part_path, "wb") as handle:
            handle.write(remote.whole)
    else:
        meta = _read_json(part_path + ".json")
        have = os.path.getsize(part_path) if os.path.exists(part_path) else 0
        if meta and remote.etag and meta.get("etag") == remote.etag and meta.get("size") == remote.size \
                and 0 < have <= remote.size:
            status = "resumed"
        else:
            have = 0
            open(part_path, "wb").close()
            _write_json(part_path + ".json", {"etag": remote.etag, "size": remote.size})
        _download(http, url, part_path, have, remote, ecosystem, progress)
    try:
        _check(part_path, remote, url)
        index = _build_index(part_path, ecosystem)
    except SyncError:
        _remove(part_path, part_path + ".json")
        raise
    _commit(folder, part_path, index, etag=remote.etag, size=remote.size, synced_at=time.time(), url=url)
    _remove(part_path + ".json")
    return SyncResult(ecosystem, status, remote.size, index.records, len(index.packages), index.unreadable)


def install(cache_directory: str, ecosystem: str, records: Iterable[Mapping[str, Any]], *, source: str,
            synced_at: float | None = None) -> SyncResult:
    """Make ``records`` the copy of ``ecosystem`` (OSV's name or lockgate's), packed and indexed as a sync leaves
    an export, and replacing what was there atomically. For copies that do not come from OSV's bucket: the demo's
    advisories (checker/demo/), an air-gapped mirror's files. ``source`` is recorded where a sync records the
    export's URL; ``synced_at`` (default: now) is when the records were current."""
    ecosystem = osv_ecosystem(ecosystem)
    folder = directory_of(cache_directory, ecosystem)
    os.makedirs(folder, exist_ok=True)
    part_path = os.path.join(folder, "all.zip.part")
    with zipfile.ZipFile(part_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for record in records:
            archive.writestr(f"{record['id']}.json", json.dumps(record))
    index = _build_index(part_path, ecosystem)
    size = os.path.getsize(part_path)
    _commit(folder, part_path, index, etag=None, size=size, url=source,
            synced_at=time.time() if synced_at is None else synced_at)
    return SyncResult(ecosystem, "installed", size, index.records, len(index.packages), index.unreadable)


def _probe(http: HttpClient, url: str) -> _Remote:
    """The export's size, ETag and MD5, from a one-byte range (or the whole body, from a server without ranges)."""
    answer = _get(http, url, {"Range": "bytes=0-0"}, MAX_WHOLE)
    md5 = _md5_of(answer)
    etag = answer.header("etag")
    if answer.status == 200:
        return _Remote(len(answer.body), etag, md5, answer.body)
    found = _CONTENT_RANGE.fullmatch((answer.header("content-range") or "").strip())
    if answer.status != 206 or found is None:
        raise SyncError(f"{url}: expected a 206 answer with a Content-Range to bytes=0-0, got {answer.status} "
                        f"{answer.header('content-range')!r}")
    return _Remote(int(found.group(3)), etag, md5, None)


def _download(http: HttpClient, url: str, part_path: str, start: int, remote: _Remote, ecosystem: str,
              progress: Progress | None) -> None:
    with open(part_path, "r+b") as handle:
        handle.seek(start)
        handle.truncate()
        position = start
        while position < remote.size:
            end = min(position + CHUNK, remote.size) - 1
            headers = {"Range": f"bytes={position}-{end}"}
            if remote.etag:
                headers["If-Match"] = remote.etag
            try:
                answer = http.get(url, headers=headers, max_bytes=end - position + 1)
            except RegistryError as error:
                if error.status == 412:  # If-Match failed: the export was replaced since the download began
                    raise SyncError(f"{url} was replaced while it was downloaded; run lockgate db sync again "
                                    "(the next sync starts over)") from None
                raise _failed(error, url) from None
            found = _CONTENT_RANGE.fullmatch((answer.header("content-range") or "").strip())
            if answer.status != 206 or found is None or int(found.group(1)) != position \
                    or len(answer.body) != end - position + 1:
                raise SyncError(f"{url}: the answer to bytes={position}-{end} was not that range "
                                f"({answer.status}, {answer.header('content-range')!r}, {len(answer.body)} bytes)")
            handle.write(answer.body)
            handle.flush()
            position = end + 1
            if progress is not None:
                progress(ecosystem, position, remote.size)


def _get(http: HttpClient, url: str, headers: Mapping[str, str], max_bytes: int) -> Response:
    try:
        return http.get(url, headers=headers, max_bytes=max_bytes)
    except RegistryError as error:
        raise _failed(error, url) from None


def _failed(error: RegistryError, url: str) -> SyncError:
    status = f" ({error.status})" if error.status else ""
    return SyncError(f"cannot download {error.url or url}{status}: {error.reason}")


def _md5_of(answer: Response) -> bytes | None:
    """The MD5 Google Cloud Storage gives for the whole object (``x-goog-hash: crc32c=…,md5=…``), or None."""
    for part in (answer.header("x-goog-hash") or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "md5" and value:
            try:
                return base64.b64decode(value, validate=True)
            except ValueError:
                return None
    return None


def _check(path: str, remote: _Remote, url: str) -> None:
    size = os.path.getsize(path)
    if size != remote.size:
        raise SyncError(f"{url}: {size} bytes on disk, the server said {remote.size}")
    if remote.md5 is not None:
        digest = hashlib.md5(usedforsecurity=False)
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(MiB), b""):
                digest.update(block)
        if digest.digest() != remote.md5:
            raise SyncError(f"{url}: the download does not match the MD5 the server gives; nothing was replaced")
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:  # zlib: a member's data is not deflate
        raise SyncError(f"{url}: not a readable zip ({error}); nothing was replaced") from None
    if broken is not None:
        raise SyncError(f"{url}: {broken} fails its CRC check; nothing was replaced")


class _Index(NamedTuple):
    records: int
    unreadable: int
    # package key -> the members that name it: [name, local header offset, method, compressed size, size, CRC-32]
    packages: dict[str, list[list[Any]]]


def _build_index(path: str, ecosystem: str) -> _Index:
    packages: dict[str, list[list[Any]]] = {}
    records = unreadable = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.endswith(".json"):
                continue
            names = _affected_names(archive, info, ecosystem) if info.file_size <= MAX_RECORD else None
            if names is None:
                unreadable += 1
                continue
            records += 1
            where = [info.filename, info.header_offset, info.compress_type, info.compress_size, info.file_size,
                     info.CRC]
            for name in names:
                packages.setdefault(package_key(ecosystem, name), []).append(where)
    return _Index(records, unreadable, packages)


def _shard(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:SHARD_CHARS]


def _commit(folder: str, part_path: str, index: _Index, **meta: Any) -> None:
    """Make a checked export and its index the copy in use. The index is sharded (``SHARD_CHARS``): a lookup reads
    one small shard instead of parsing an index of every package (npm's names a quarter of a million: about 300 ms
    to load whole, benchmarks/osv_copy.py), and each entry says where its member's bytes are, so that a lookup
    reads them directly instead of parsing the zip's central directory (over a second for npm's export). The
    shards go to a folder of a new name first; ``index.json``, written last and atomically, names it; the folder it
    named before is removed after."""
    shards: dict[str, dict[str, list[list[Any]]]] = {}
    for key, members in index.packages.items():
        shards.setdefault(_shard(key), {})[key] = members
    token = hashlib.sha1(f"{time.time_ns()}-{os.getpid()}".encode()).hexdigest()[:12]
    shard_folder = f"index.{token}"
    os.makedirs(os.path.join(folder, shard_folder))
    for name, entries in shards.items():
        _write_json(os.path.join(folder, shard_folder, f"{name}.json"), entries)
    before = _read_json(os.path.join(folder, "index.json")) or {}
    os.replace(part_path, os.path.join(folder, "all.zip"))
    _write_json(os.path.join(folder, "index.json"), {
        **meta, "format": INDEX_FORMAT, "records": index.records, "unreadable": index.unreadable,
        "packages": len(index.packages), "shards": shard_folder})
    old = before.get("shards")
    if isinstance(old, str) and old.startswith("index.") and old != shard_folder and "/" not in old:
        shutil.rmtree(os.path.join(folder, old), ignore_errors=True)


def _affected_names(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ecosystem: str) -> set[str] | None:
    """The package names of ``ecosystem`` a record's ``affected`` lists; None when it is not an OSV record."""
    try:
        record = json.loads(archive.read(info))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return None
    names: set[str] = set()
    for entry in record.get("affected") or ():
        package = entry.get("package") if isinstance(entry, dict) else None
        if (isinstance(package, dict) and isinstance(package.get("ecosystem"), str)
                and package["ecosystem"].split(":", 1)[0] == ecosystem and isinstance(package.get("name"), str)):
            names.add(package["name"])
    return names


class OsvDatabase:
    """One ecosystem's synced copy, for lookups: ``records(name)`` gives the OSV records that name the package."""

    def __init__(self, path: str, index: Mapping[str, Any], ecosystem: str) -> None:
        self.path = path
        self.ecosystem = ecosystem
        self.synced_at = float(index.get("synced_at", 0.0))
        self.unreadable = int(index.get("unreadable", 0))
        self._shards = os.path.join(os.path.dirname(path), str(index.get("shards", "")))
        self._loaded: dict[str, Mapping[str, list[list[Any]]]] = {}

    @classmethod
    def open(cls, cache_directory: str, ecosystem: str) -> OsvDatabase | None:
        """The copy of ``ecosystem`` (OSV's name), or None when it was never synced."""
        folder = directory_of(cache_directory, ecosystem)
        index = _read_json(os.path.join(folder, "index.json"))
        path = os.path.join(folder, "all.zip")
        if not index or index.get("format") != INDEX_FORMAT or not os.path.exists(path):
            return None  # never synced, or indexed by an older lockgate: keyed otherwise, it would miss packages
        return cls(path, index, ecosystem)

    def records(self, name: str) -> list[dict[str, Any]]:
        """The records that name the package, each read at the offset the index gives and checked against its
        CRC-32; a SyncError when the copy does not hold what its index says (changed or damaged since)."""
        key = package_key(self.ecosystem, name)
        shard = _shard(key)
        if shard not in self._loaded:
            path = os.path.join(self._shards, f"{shard}.json")
            loaded = _read_json(path) if os.path.exists(path) else {}
            if loaded is None:
                raise SyncError(f"the synced OSV copy's index {path} cannot be read: run lockgate db sync again")
            self._loaded[shard] = loaded
        members = self._loaded[shard].get(key, [])
        if not members:
            return []
        try:
            with open(self.path, "rb") as handle:
                return [json.loads(_read_member(handle, *member)) for member in members]
        except (OSError, EOFError, ValueError, TypeError, zlib.error) as error:
            raise SyncError(f"the synced OSV copy {self.path} cannot be read ({error}): run lockgate db sync "
                            "again") from None


def _read_member(handle: Any, name: str, offset: int, method: int, compressed: int, size: int, crc: int) -> bytes:
    """One zip member's bytes, read from its local header at ``offset`` (the index recorded where it is)."""
    handle.seek(offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        raise EOFError(f"{name}: the file ends inside its header")
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        raise ValueError(f"{name}: no zip member at offset {offset}")
    name_length, extra_length = fields[9], fields[10]
    if handle.read(name_length).decode("utf-8", "replace") != name:
        raise ValueError(f"{name}: another member is at offset {offset}")
    handle.seek(extra_length, os.SEEK_CUR)
    data = handle.read(compressed)
    if method == zipfile.ZIP_DEFLATED:
        data = zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, size + 1)
    elif method != zipfile.ZIP_STORED:
        raise ValueError(f"{name}: compression method {method} (the export uses deflate)")
    if len(data) != size or zlib.crc32(data) != crc:
        raise ValueError(f"{name}: fails its CRC check")
    return bytes(data)


def _read_json(path: str) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _write_json(path: str, value: Mapping[str, Any]) -> None:
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(value, handle)
    os.replace(temporary, path)


def _remove(*paths: str) -> None:
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
