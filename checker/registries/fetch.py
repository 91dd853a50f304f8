"""JSON documents from the registries through the cache: freshness, revalidation, offline mode, once per run.

A Fetcher joins the HTTP helper and the on-disk cache:
- a cached entry younger than its TTL is used as is (``origin="cache"``);
- an older one is revalidated with ``If-None-Match`` / ``If-Modified-Since``; a 304 renews it
  (``origin="revalidated"``), a 200 replaces it (``origin="network"``);
- when the registry fails (after the HTTP helper's retries) and an old entry exists, that entry is served,
  flagged ``origin="stale"`` with a ``note`` saying why and from when; a 404 is never papered over;
- offline, only the cache answers: fresh entries as ``cache``, expired ones as ``stale``, and a URL never
  cached is the RegistryError "offline, not cached";
- ``refresh=True`` skips a fresh cache entry (still revalidating it): clients use it before concluding that a
  version is missing, since a cached document can predate a version published a minute ago.

Within a run each (URL, Accept) is fetched once: concurrent callers of the same document wait for the first
one's answer (single flight), and errors are remembered too, so a dead registry costs its retries once.
Only documents that parse as JSON are cached. A client whose registry answers in another text format (the Go
checksum database's plain-text records) passes its own ``decode`` (bytes, URL -> data, raising RegistryError for a
body it cannot read): the same rules hold, with that reader in place of JSON's.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

from checker.registries.cache import Cache, CacheEntry
from checker.registries.http import (
    HttpClient,
    NotFound,
    RegistryError,
    parse_json,
    redact_url,
)
from checker.registries.log import debug

DEFAULT_TTL = 3600.0  # seconds a cached document is used without asking the registry
LIVE = frozenset({"network", "revalidated"})


class Document(NamedTuple):
    """A decoded JSON document. origin: ``network``, ``revalidated``, ``cache`` or ``stale``. fetched_at: epoch
    seconds when its content was last confirmed by the registry. note: why a stale copy was served."""

    url: str
    data: object
    origin: str
    fetched_at: float
    note: str | None = None

    @property
    def stale(self) -> bool:
        return self.origin == "stale"

    @property
    def live(self) -> bool:
        """Confirmed by the registry during this run."""
        return self.origin in LIVE


class _Slot:
    """One document being fetched, or fetched: the first caller fills it, later callers wait for it. What
    ``concurrent.futures.Future`` does here, without its import, which pulls in ``logging`` (a few milliseconds
    of every run, including those that never leave the cache)."""

    __slots__ = ("_filled", "_document", "_error")

    def __init__(self) -> None:
        self._filled = threading.Event()
        self._document: Document | None = None
        self._error: BaseException | None = None

    def done(self) -> bool:
        return self._filled.is_set()

    def set_result(self, document: Document) -> None:
        self._document = document
        self._filled.set()

    def set_exception(self, error: BaseException) -> None:
        self._error = error
        self._filled.set()

    def exception(self) -> BaseException | None:
        self._filled.wait()
        return self._error

    def result(self) -> Document:
        """The document, once filled (waiting for it); the first caller's error, raised again."""
        self._filled.wait()
        if self._error is not None:
            raise self._error
        assert self._document is not None
        return self._document


class Fetcher:
    """Cached, single-flight JSON GETs. ``http`` may be None when ``offline``; ``cache`` None disables caching."""

    def __init__(self, http: HttpClient | None, cache: Cache | None, *, offline: bool = False,
                 ttl: float = DEFAULT_TTL, clock: Callable[[], float] = time.time) -> None:
        if http is None and not offline:
            raise ValueError("an online Fetcher needs an HttpClient")
        self.http = http
        self.cache = cache
        self.offline = offline
        self.ttl = ttl
        self.clock = clock
        self._memo: dict[tuple[str, str], _Slot] = {}
        self._lock = threading.Lock()

    def add_secret(self, value: str) -> None:
        """One more string to mask wherever this fetcher's URLs are shown (see HttpClient.add_secret)."""
        if self.http is not None:
            self.http.add_secret(value)

    def redact(self, text: str) -> str:
        """``text`` with every secret the HTTP helper knows masked."""
        return text if self.http is None else self.http.redact(text)

    def shown(self, url: str) -> str:
        """A URL as messages, log lines and documents may show it."""
        return self.redact(redact_url(url))

    def json(self, url: str, *, accept: str, max_bytes: int | None = None, ttl: float | None = None,
             refresh: bool = False, content_types: tuple[str, ...] = (),
             decode: Callable[[bytes, str], object] = parse_json) -> Document:
        """The JSON document at ``url`` (see the module docstring). ``content_types``: the media types accepted
        in the answer (empty: any). ``decode``: the body's reader, for a document that is not JSON. Raises
        NotFound (404/410) or RegistryError."""
        key = (url, accept)
        while True:
            with self._lock:
                future = self._memo.get(key)
                owner = future is None or (refresh and future.done() and not _is_live(future))
                if owner:
                    future = _Slot()
                    self._memo[key] = future
            assert future is not None
            if owner:
                break
            document = future.result()  # waits for the first caller; re-raises its error
            if not refresh or document.live:
                return document
        try:
            document = self._load(url, accept, max_bytes, self.ttl if ttl is None else ttl, refresh, content_types,
                                  decode)
        except BaseException as error:
            future.set_exception(error)
            raise
        future.set_result(document)
        return document

    def peek(self, url: str, *, accept: str, content_types: tuple[str, ...] = (),
             decode: Callable[[bytes, str], object] = parse_json) -> Document | None:
        """The document if it can be had without the network (already fetched this run, or fresh in the cache;
        offline, any cached copy), remembered for later ``json`` calls; else None. Never raises."""
        key = (url, accept)
        with self._lock:
            future = self._memo.get(key)
        if future is not None:
            if future.done() and future.exception() is None:
                return future.result()
            return None
        entry = self.cache.get(url, accept) if self.cache is not None else None
        if entry is None:
            return None
        stale = entry.age(self.clock()) > self.ttl
        if stale and not self.offline:
            return None
        try:
            document = self._from_entry(entry, url, content_types, "cache", decode)
        except RegistryError:
            return None
        if stale:
            document = _stale(document, f"offline: using the cached copy from {_when(entry.stored_at)}")
        done = _Slot()
        done.set_result(document)
        with self._lock:
            current = self._memo.setdefault(key, done)  # another thread may have started a fetch meanwhile
        if current.done() and current.exception() is None:
            return current.result()
        return None

    # -- plumbing -----------------------------------------------------------------------------------------------

    def _load(self, url: str, accept: str, max_bytes: int | None, ttl: float, refresh: bool,
              content_types: tuple[str, ...], decode: Callable[[bytes, str], object] = parse_json) -> Document:
        entry = self.cache.get(url, accept) if self.cache is not None else None
        now = self.clock()
        if self.offline:
            if entry is None:
                raise RegistryError(f"offline, not cached: {self.shown(url)}", url=url)
            document = self._from_entry(entry, url, content_types, "cache", decode)
            if entry.age(now) > ttl:
                return _stale(document, f"offline: using the cached copy from {_when(entry.stored_at)}")
            return document
        if entry is not None and not refresh and entry.age(now) <= ttl:
            try:
                return self._from_entry(entry, url, content_types, "cache", decode)
            except RegistryError:
                entry = None  # a cached body we no longer accept: fetch anew
        assert self.http is not None
        headers = {"Accept": accept}
        if entry is not None:
            if entry.etag:
                headers["If-None-Match"] = entry.etag
            if entry.last_modified:
                headers["If-Modified-Since"] = entry.last_modified
        try:
            response = self.http.get(url, headers=headers, max_bytes=max_bytes)
        except NotFound:
            raise
        except RegistryError as error:
            if entry is None:
                raise
            try:
                document = self._from_entry(entry, url, content_types, "cache", decode)
            except RegistryError:
                raise error from None
            debug("serving a stale copy of %s: %s", self.shown(url), error.reason)
            return _stale(document, f"{error.reason}; using the cached copy from {_when(entry.stored_at)}")
        if response.status == 304 and entry is not None:
            renewed = self.cache.touch(entry, url) if self.cache is not None else entry
            try:
                return self._from_entry(renewed, url, content_types, "revalidated", decode)
            except RegistryError:
                response = self.http.get(url, headers={"Accept": accept}, max_bytes=max_bytes)
        if response.status == 304:
            raise RegistryError(f"{self.shown(url)} answered 304 Not Modified to a request that had no "
                                "validators", status=304, url=url)
        _check_type(response.content_type, content_types, url)
        data = decode(response.body, url)
        if self.cache is not None:
            self.cache.put(url, accept, response.body, etag=response.header("etag"),
                           last_modified=response.header("last-modified"), content_type=response.content_type,
                           stored_at=now)
        return Document(self.shown(url), data, "network", now)

    def _from_entry(self, entry: CacheEntry, url: str, content_types: tuple[str, ...], origin: str,
                    decode: Callable[[bytes, str], object] = parse_json) -> Document:
        _check_type(entry.content_type, content_types, url)
        return Document(self.shown(url), decode(entry.body, url), origin, entry.stored_at)


def _is_live(future: _Slot) -> bool:
    return future.exception() is None and future.result().live


def _stale(document: Document, note: str) -> Document:
    return Document(document.url, document.data, "stale", document.fetched_at, note)


def _check_type(content_type: str, accepted: tuple[str, ...], url: str) -> None:
    if accepted and content_type not in accepted:
        raise RegistryError(
            f"{redact_url(url)} answered {content_type or 'without a content type'}, not {' or '.join(accepted)}",
            url=url)


def _when(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
