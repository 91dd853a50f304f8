"""The demo's registry answers: the documents PyPI served about the example's packages, and the OSV records of
their advisories, shipped with lockgate and handed to the real clients through their on-disk cache, so the demo
runs the whole facts stage offline.

``files/registry/index.json`` lists each document with the URL and ``Accept`` header the clients ask for and the
content type the registry answers with; the documents themselves sit beside it. ``prefill`` stores them in a
cache directory (a temporary one: the user's own cache is never touched) as fresh entries, exactly as a fetch
would have stored them. An offline run then reads them like any cached answer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager

REGISTRY_FILES = os.path.join(os.path.dirname(__file__), "files", "registry")
OSV_FILES = os.path.join(os.path.dirname(__file__), "files", "osv")
CACHE_VARIABLE = "LOCKGATE_CACHE_DIR"


def documents() -> list[dict[str, str]]:
    """The shipped documents: ``url``, ``accept``, ``content_type`` and ``file`` (relative to the registry
    folder) of each."""
    with open(os.path.join(REGISTRY_FILES, "index.json"), encoding="utf-8") as handle:
        return list(json.load(handle)["documents"])


def prefill(directory: str) -> int:
    """Store every shipped document in a cache at ``directory``, and the shipped OSV records as the synced copy of
    their ecosystems (``osv/<Ecosystem>/*.json``; ``lockgate db sync``'s layout), current as of now; returns how
    many documents. Only the ecosystems shipped get a copy: the demo's action is asked about in no copy,
    and says so (lockgate does not claim an action has no advisory when it holds none of that ecosystem's)."""
    import json

    from checker.registries import osv_db
    from checker.registries.cache import Cache

    cache = Cache(directory)
    entries = documents()
    for entry in entries:
        with open(os.path.join(REGISTRY_FILES, entry["file"]), "rb") as handle:
            body = handle.read()
        cache.put(entry["url"], entry["accept"], body, content_type=entry["content_type"])
    for ecosystem in sorted(os.listdir(OSV_FILES)):
        folder = os.path.join(OSV_FILES, ecosystem)
        loaded = []
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                loaded.append(json.load(handle))
        osv_db.install(directory, ecosystem, loaded, source="lockgate demo (checker/demo/files/osv)")
    return len(entries)


@contextmanager
def cache_directory(directory: str) -> Iterator[str]:
    """Point the registry clients at ``directory`` for the duration (LOCKGATE_CACHE_DIR, the variable the
    facts stage's cache honours first), then restore what was there."""
    before = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = directory
    try:
        yield directory
    finally:
        if before is None:
            os.environ.pop(CACHE_VARIABLE, None)
        else:
            os.environ[CACHE_VARIABLE] = before
