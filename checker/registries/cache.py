"""An on-disk cache of registry documents, shared by runs on one machine (local hooks, a cached CI directory).

Where: ``LOCKGATE_CACHE_DIR``, else ``$XDG_CACHE_HOME/lockgate``, else ``~/.cache/lockgate``; entries live under
``http-v1/`` there (the directory is created private, 0700). What: one file per (URL, Accept) pair — a JSON header
line (URL, Accept, time stored, ``ETag``, ``Last-Modified``, content type, body size) and the body as received.
The key is a SHA-256 of URL and Accept (URLs are stored without credentials), so names never collide or leak.

Writes are atomic (a temporary file in the same directory, then ``os.replace``): two runs writing the same entry
at once leave one complete entry, and a reader sees the old file or the new one, never half of one. The cache is
bounded (``max_bytes``, default 256 MiB): past it, the least recently stored entries go. The cache is an
optimisation only: an unreadable, corrupt or unwritable entry is a miss, never an error.

Freshness (TTL), conditional revalidation and the offline mode are the fetcher's business (``fetch.py``); this
module only stores and finds.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from checker.registries.http import MiB, redact_url
from checker.registries.log import debug

LAYOUT = "http-v1"
DEFAULT_MAX_BYTES = 256 * MiB
_PRUNE_TO = 0.8  # after going over the bound, prune down to this fraction of it
_TEMP_PREFIX = ".tmp-"
_MAX_HEADER = 64 * 1024


def default_directory(environ: Mapping[str, str] | None = None) -> str:
    """The user cache directory for lockgate (not created here). Paths are plain strings in this module: it is
    imported by every run that asks a registry, including each pre-commit hook, and ``pathlib`` (with the
    ``urllib.parse`` and ``ipaddress`` it imports) would cost it a few milliseconds for nothing."""
    env = os.environ if environ is None else environ
    explicit = env.get("LOCKGATE_CACHE_DIR", "").strip()
    if explicit:
        return os.path.expanduser(explicit)
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):  # the XDG spec says to ignore a relative path
        return os.path.join(xdg, "lockgate")
    return os.path.join(os.path.expanduser("~"), ".cache", "lockgate")


class CacheEntry(NamedTuple):
    """One stored answer. ``stored_at``: epoch seconds when it was fetched or last revalidated."""

    url: str
    accept: str
    body: bytes
    stored_at: float
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""

    def age(self, now: float) -> float:
        return max(0.0, now - self.stored_at)


class Cache:
    """Find and store registry answers on disk. Thread-safe, and safe for several processes at once."""

    def __init__(self, directory: os.PathLike[str] | str, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 clock: Callable[[], float] = time.time, redact: Callable[[str], str] | None = None) -> None:
        """``redact``: masks the run's secrets (``HttpClient.redact``) in the URL each entry records and in log
        lines: a token in a registry URL's path (a Gemfury index, a value expanded from the environment) must not
        reach the disk. Entries are still keyed by the URL itself (hashed), so two registries never share one."""
        self.root = os.path.join(os.fspath(directory), LAYOUT)
        self._redact = redact
        self.max_bytes = max_bytes
        self.clock = clock
        self._lock = threading.Lock()
        self._size: int | None = None  # bytes on disk, counted on first write

    @classmethod
    def default(cls, environ: Mapping[str, str] | None = None, **options: Any) -> "Cache":
        return cls(default_directory(environ), **options)

    # -- reading ------------------------------------------------------------------------------------------------

    def get(self, url: str, accept: str) -> CacheEntry | None:
        """The stored entry for this URL and Accept, or None (absent, unreadable or corrupt)."""
        path = self._path(url, accept)
        try:
            with open(path, "rb") as stream:
                raw = stream.read()
        except OSError:
            return None
        entry = self._decode(raw, url, accept)
        if entry is None:
            debug("cache: dropping a corrupt entry for %s", self._shown(url))
            self._remove(path)
        return entry

    # -- writing ------------------------------------------------------------------------------------------------

    def put(self, url: str, accept: str, body: bytes, *, etag: str | None = None, last_modified: str | None = None,
            content_type: str = "", stored_at: float | None = None) -> CacheEntry:
        """Store an answer (atomically) and return it as an entry. Failing to write is logged, not raised."""
        entry = CacheEntry(self._shown(url), accept, body, self.clock() if stored_at is None else stored_at,
                           etag, last_modified, content_type)
        self._write(self._path(url, accept), entry)
        return entry

    def touch(self, entry: CacheEntry, url: str | None = None) -> CacheEntry:
        """The entry revalidated now (a 304): same body, new time. ``url``: the URL it was stored for (needed
        when the entry's own URL has secrets masked)."""
        fresh = CacheEntry(entry.url, entry.accept, entry.body, self.clock(), entry.etag, entry.last_modified,
                           entry.content_type)
        self._write(self._path(entry.url if url is None else url, entry.accept), fresh)
        return fresh

    def clear(self) -> None:
        for path in self._files():
            self._remove(path)
        with self._lock:
            self._size = 0

    def total_bytes(self) -> int:
        return sum(size for _, size, _ in self._stats())

    def prune(self, limit: int | None = None) -> int:
        """Delete the oldest entries (and abandoned temporary files) until at most ``limit`` bytes (default:
        80 % of ``max_bytes``) remain. Returns the bytes now on disk."""
        target = int(self.max_bytes * _PRUNE_TO) if limit is None else limit
        stats = self._stats()
        now = self.clock()
        total = 0
        kept = []
        for path, size, mtime in stats:
            if os.path.basename(path).startswith(_TEMP_PREFIX):
                if now - mtime > 3600:  # a writer that died mid-write
                    self._remove(path)
                continue
            kept.append((path, size, mtime))
            total += size
        for path, size, _ in sorted(kept, key=lambda item: item[2]):
            if total <= target:
                break
            if self._remove(path):
                total -= size
        with self._lock:
            self._size = total
        return total

    # -- plumbing -----------------------------------------------------------------------------------------------

    def _shown(self, url: str) -> str:
        shown = redact_url(url)
        return shown if self._redact is None else self._redact(shown)

    def _path(self, url: str, accept: str) -> str:
        import hashlib  # here, not at the top: loading OpenSSL costs a run that never looks anything up

        digest = hashlib.sha256(f"{redact_url(url)}\n{accept}".encode("utf-8")).hexdigest()
        return os.path.join(self.root, digest[:2], digest)

    def _write(self, path: str, entry: CacheEntry) -> None:
        import tempfile  # only a run that stores something needs it (with shutil, random, bz2 and lzma)

        header = json.dumps({
            "url": entry.url, "accept": entry.accept, "stored_at": entry.stored_at, "etag": entry.etag,
            "last_modified": entry.last_modified, "content_type": entry.content_type, "size": len(entry.body),
        }, separators=(",", ":")).encode("utf-8")
        data = header + b"\n" + entry.body
        try:
            folder = os.path.dirname(path)
            os.makedirs(folder, mode=0o700, exist_ok=True)
            try:
                old = os.stat(path).st_size
            except OSError:
                old = 0
            handle, temp = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.replace(temp, path)
            except BaseException:
                self._remove(temp)
                raise
        except OSError as error:
            debug("cache: could not store %s: %s", entry.url, error)
            return
        with self._lock:
            known = self._size
        # Counted once per process, then kept up to date; other processes' writes are seen at the next count.
        known = self.total_bytes() if known is None else known + len(data) - old
        with self._lock:
            self._size = known
        if known > self.max_bytes:
            self.prune()

    def _decode(self, raw: bytes, url: str, accept: str) -> CacheEntry | None:
        newline = raw.find(b"\n", 0, _MAX_HEADER)
        if newline < 0:
            return None
        try:
            header = json.loads(raw[:newline])
        except ValueError:
            return None
        body = raw[newline + 1:]
        if not isinstance(header, dict) or header.get("size") != len(body):
            return None
        if header.get("url") != self._shown(url) or header.get("accept") != accept:
            return None
        stored_at = header.get("stored_at")
        if not isinstance(stored_at, (int, float)) or isinstance(stored_at, bool):
            return None
        etag, modified, ctype = header.get("etag"), header.get("last_modified"), header.get("content_type", "")
        if not all(v is None or isinstance(v, str) for v in (etag, modified)) or not isinstance(ctype, str):
            return None
        return CacheEntry(header["url"], accept, body, float(stored_at), etag, modified, ctype)

    def _files(self) -> list[str]:
        try:
            folders = [os.path.join(self.root, name) for name in os.listdir(self.root)]
            return [os.path.join(folder, name) for folder in folders if os.path.isdir(folder)
                    for name in os.listdir(folder)]
        except OSError:
            return []

    def _stats(self) -> list[tuple[str, int, float]]:
        found = []
        for path in self._files():
            try:
                info = os.stat(path)
            except OSError:
                continue
            found.append((path, info.st_size, info.st_mtime))
        return found

    @staticmethod
    def _remove(path: str) -> bool:
        try:
            os.remove(path)
            return True
        except OSError:
            return False
