"""A snapshot read through the GitHub API, for when git cannot give a revision (no checkout, a commit the
checkout does not have and cannot fetch).

The listing comes from the git trees API (one request for the whole tree, blob ids included, so unchanged files are
recognised without being read, exactly as with a local git tree); file bytes come from the contents API, and from
the git blobs API for files over the contents API's 1 MB limit. Every file read is checked against its blob id.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from checker.errors import SnapshotError, UnreadableFile
from checker.github.api import GitHubClient
from checker.snapshot.trees import Links, Snapshot, gitlink_text, max_file_bytes, too_large

_SYMLINK = "120000"
_GITLINK = "160000"
_READ = "contents: read"
# Symbolic links of one tree whose targets are read through the API (one request each).
MAX_API_LINKS = 500


def git_blob_id(data: bytes) -> str:
    """The id git gives a blob with these bytes (SHA-1 of ``blob <size>\\0`` + data)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class ApiSnapshot(Snapshot):
    """The tree of one commit (or ref) of the repository, read through the API."""

    def __init__(self, client: GitHubClient, rev: str, label: str | None = None) -> None:
        self._client = client
        self.rev = rev
        self._max_bytes = max_file_bytes()
        self.label = label or rev
        tree = client.call(f"read the tree of {rev[:40]}", _READ, client.repo().get_git_tree, rev, recursive=True)
        if tree.truncated:
            raise SnapshotError(
                f"the tree of {rev} is too large for GitHub's trees API; check the repository out with "
                "actions/checkout so that git can read it"
            )
        # Files, and submodules (type "commit", the submodule's commit as sha), as a local git tree lists them.
        self._listing: dict[str, tuple[str, str, int | None]] = {
            e.path: (e.mode, e.sha, e.size) for e in tree.tree if e.type in ("blob", "commit")
        }
        self._links = Links({path: (mode, sha) for path, (mode, sha, _) in self._listing.items()}, self._link_targets)
        self._entries: dict[str, str | None] | None = None

    def _link_targets(self, links: list[tuple[str, str]]) -> list[bytes]:
        """The targets of the tree's links, one API request each: bounded, so that a tree of many thousand links
        cannot spend the token's rate limit (git reads them all in one round trip: check the repository out)."""
        if len(links) > MAX_API_LINKS:
            raise SnapshotError(
                f"the tree of {self.rev} holds {len(links):,} symbolic links, more than the {MAX_API_LINKS} lockgate "
                "resolves through the GitHub API; check the repository out with actions/checkout so that git can read it"
            )
        return [self._blob(sha) for sha, _ in links]

    def entries(self) -> dict[str, str | None]:
        if self._entries is None:
            self._entries = self._links.content_ids({path: sha for path, (_, sha, _) in self._listing.items()})
        return self._entries

    def gitlinks(self) -> frozenset[str]:
        return frozenset(path for path, (mode, _, _) in self._listing.items() if mode == _GITLINK)

    def resolve(self, path: str) -> str:
        try:
            return self._links.resolve(path)
        except UnreadableFile:
            return path

    def read(self, path: str) -> bytes | None:
        real = path
        entry = self._listing.get(path)
        if entry is None or entry[0] == _SYMLINK:
            real = self._links.resolve(path)
            entry = self._listing.get(real)
            if entry is None:
                return None
        mode, sha, size = entry
        if mode == _GITLINK:
            return gitlink_text(sha)
        if size is not None and size > self._max_bytes:
            raise too_large(path, size, self._max_bytes)
        return self._bytes(real, sha)

    def _bytes(self, path: str, sha: str) -> bytes:
        content = self._client.call(f"read {path} at {self.rev[:12]}", _READ, self._client.repo().get_contents, path, ref=self.rev)
        if isinstance(content, list):
            raise SnapshotError(f"{path}: the contents API lists a directory where the tree has a file")
        data: bytes | None = None
        if content.encoding == "base64" and content.content:
            data = base64.b64decode(content.content)
        if data is None or git_blob_id(data) != sha:
            data = self._blob(sha)  # over 1 MB the contents API sends no content (encoding "none")
        if git_blob_id(data) != sha:
            raise SnapshotError(f"{path}: the GitHub API returned content that does not match blob {sha}")
        return data

    def _blob(self, sha: str) -> bytes:
        blob = self._client.call(f"read blob {sha[:12]}", _READ, self._client.repo().get_git_blob, sha)
        if blob.encoding != "base64":
            return str(blob.content).encode("utf-8")
        return base64.b64decode(blob.content)


def parent_of(client: GitHubClient, rev: str) -> str | None:
    """The first parent of a commit, None for a root commit."""
    commit: Any = client.call(f"read commit {rev[:40]}", _READ, client.repo().get_commit, rev)
    parents = commit.parents
    return parents[0].sha if parents else None


def commit_of(client: GitHubClient, rev: str) -> str:
    """The full commit id a ref or sha names."""
    commit: Any = client.call(f"read commit {rev[:40]}", _READ, client.repo().get_commit, rev)
    return str(commit.sha)
