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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from checker.registries.github import GitHubRefs
    from checker.registries.http import Response

REGISTRY_FILES = os.path.join(os.path.dirname(__file__), "files", "registry")
GITHUB_FILES = os.path.join(os.path.dirname(__file__), "files", "github")
OSV_FILES = os.path.join(os.path.dirname(__file__), "files", "osv")
CACHE_VARIABLE = "LOCKGATE_CACHE_DIR"
OFFLINE_VARIABLE = "LOCKGATE_REGISTRY_OFFLINE"  # checker.pipeline.run.REGISTRY_OFFLINE


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
    _inspect_wheels(directory)
    _json_api_answers(directory)
    for ecosystem in sorted(os.listdir(OSV_FILES)):
        folder = os.path.join(OSV_FILES, ecosystem)
        loaded = []
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                loaded.append(json.load(handle))
        osv_db.install(directory, ecosystem, loaded, source="lockgate demo (checker/demo/files/osv)")
    return len(entries)


@contextmanager
def cache_directory(directory: str, *, registry_offline: bool = False) -> Iterator[str]:
    """Point the registry clients at ``directory`` for the duration (LOCKGATE_CACHE_DIR, the variable the
    facts stage's cache honours first), then restore what was there. ``registry_offline``: the registries (and
    OSV) answer from that cache only for the duration (LOCKGATE_REGISTRY_OFFLINE)."""
    settings = {CACHE_VARIABLE: directory, **({OFFLINE_VARIABLE: "1"} if registry_offline else {})}
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield directory
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _ShippedFiles:
    """The HTTP helper's part the wheel reader uses, answering from the shipped release files (``files/``) by their
    file name, as a host without range support would (the whole file): no socket is opened."""

    def get(self, url: str, *, headers: object = None, max_bytes: int | None = None) -> Response:
        from checker.registries.http import NotFound, Response

        path = os.path.join(REGISTRY_FILES, "files", os.path.basename(url))
        if not os.path.isfile(path):
            raise NotFound(f"{url}: not shipped with the demo", url=url)
        with open(path, "rb") as handle:
            return Response(url, 200, handle.read())

    def redact(self, text: str) -> str:
        return text

    def add_secret(self, value: str) -> None:
        pass


# The example's upgrades whose wheels are shipped (files/registry/files/): new version, the version it leaves.
UPGRADES = (("litellm", "1.82.8", "1.82.6"), ("requests", "2.31.0", "2.30.0"), ("pytest", "8.3.5", "8.3.4"))


def _inspect_wheels(directory: str) -> None:
    """Read the shipped wheels (pytest's and requests' real ones, reconstructions of litellm 1.82.6 and 1.82.8: see
    files/README.md) with the real wheel reader and keep what it found in the cache, by each file's sha256, as an
    online run would: the offline demo's artifact-content then answers from the cache."""
    from checker.registries.artifacts import Inspector, compare
    from checker.registries.cache import Cache
    from checker.registries.fetch import Fetcher
    from checker.registries.pypi import PypiClient

    fetcher = Fetcher(_ShippedFiles(), Cache(directory))  # type: ignore[arg-type]  # the part of HttpClient used
    inspector = Inspector(fetcher)
    for name, version, before in UPGRADES:
        compare(inspector, PypiClient(fetcher).project(name), version, [before])


def _json_api_answers(directory: str) -> None:
    """PyPI's JSON API answer (``/pypi/<name>/<version>/json``) for each version of the example's upgrades, as
    Warehouse builds it from the release's core metadata (``home_page``, ``project_urls``, ``license``): read from
    the shipped wheels' METADATA, so that ``source-tag`` finds the source repository offline."""
    import email.parser
    import json
    import zipfile

    from checker.registries.cache import Cache

    cache = Cache(directory)
    for name, *versions in UPGRADES:
        for version in versions:
            path = os.path.join(REGISTRY_FILES, "files", f"{name}-{version}-py3-none-any.whl")
            with zipfile.ZipFile(path) as wheel:
                member = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
                metadata = email.parser.HeaderParser().parsestr(wheel.read(member).decode("utf-8"))
            urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL") or () if ", " in value)
            info = {"name": metadata["Name"], "version": metadata["Version"], "home_page": metadata["Home-page"],
                    "license": metadata["License"], "license_expression": metadata["License-Expression"],
                    "project_urls": urls or None, "classifiers": metadata.get_all("Classifier") or []}
            body = json.dumps({"info": info, "urls": [], "vulnerabilities": []}).encode()
            cache.put(f"https://pypi.org/pypi/{name}/{version}/json", "application/json", body,
                      content_type="application/json")


def shipped_github() -> "GitHubRefs":
    """The demo's GitHub: what the API answered about the example's release tags (files/github/tags.json), with no
    socket; any other question is unanswerable, as offline."""
    import json

    from checker.registries.github import GitHubRefs, GitHubUnavailable

    with open(os.path.join(GITHUB_FILES, "tags.json"), encoding="utf-8") as handle:
        shipped = {slug.lower(): entry for slug, entry in json.load(handle)["repositories"].items()}

    class ShippedGitHub(GitHubRefs):
        def _entry(self, repo: str, what: str) -> dict[str, Any]:
            entry = shipped.get(repo.lower())
            if entry is None:
                raise GitHubUnavailable(f"{what}: offline (the demo ships no GitHub answers about {repo})")
            return dict(entry)

        def tag_commit(self, repo: str, tag: str) -> str | None:
            commit = self._entry(repo, f"tag {tag} of {repo}")["tags"].get(tag)
            return str(commit) if commit is not None else None

        def default_branch(self, repo: str) -> str | None:
            return str(self._entry(repo, f"repository {repo}")["default_branch"])

        def contains(self, repo: str, base: str, sha: str) -> bool:
            raise GitHubUnavailable(f"commit {sha[:12]} of {repo}: offline (the demo ships no commit history)")

        def commit_reachable(self, repo: str, sha: str, hint_tags: Iterable[str] = ()) -> bool | None:
            raise GitHubUnavailable(f"commit {sha[:12]} of {repo}: offline (the demo ships no commit history)")

    return ShippedGitHub(api_url="https://api.github.com")
