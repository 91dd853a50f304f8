"""Read-only views of a tree: a git revision, the staged index, the worktree, or nothing (the empty tree).

A snapshot lists its files with a content id (the git blob id when git knows it) and reads them. Git is used
through plumbing only, and all blobs of one repository are read through a single ``git cat-file --batch``
process, whatever the number of files: process start-up, not reading, is what costs on small files.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Callable, Iterator
from stat import S_ISDIR

from checker.errors import SnapshotError, UnreadableFile, UsageError

# A file larger than this is refused before it is read: lockfiles of real projects stay far below it, and a
# pull request must not be able to make the gate read gigabytes. LOCKGATE_MAX_FILE_BYTES changes it (for the
# command line, the pre-commit hook and the Action alike; not a policy setting, since the policy is itself a file
# read through this limit).
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_FILE_BYTES_ENV = "LOCKGATE_MAX_FILE_BYTES"
_SYMLINK_MODE = "120000"
_GITLINK_MODE = "160000"  # a submodule: the tree records a commit of another repository, not a file
_SYMLINK_HOPS = 8
_BATCH = 256  # blob ids per cat-file round trip: 256 * 41 bytes stays under any pipe buffer


def max_file_bytes() -> int:
    """The size limit for one file: LOCKGATE_MAX_FILE_BYTES (bytes, or with a K/M/G suffix: ``128M``, ``1G``),
    else MAX_FILE_BYTES. Read when a snapshot is opened; a value that is not a positive size is a usage error."""
    raw = os.environ.get(MAX_FILE_BYTES_ENV, "").strip()
    if not raw:
        return MAX_FILE_BYTES
    import re

    found = re.fullmatch(r"(\d{1,15})\s*(?:([kmg])i?)?b?", raw, re.IGNORECASE)
    if found is None or int(found.group(1)) == 0:
        raise UsageError(
            f"{MAX_FILE_BYTES_ENV}={raw!r} is not a size; expected a positive number of bytes, such as 134217728 or 128M"
        )
    factor = {None: 1, "k": 1024, "m": 1024**2, "g": 1024**3}[found.group(2) and found.group(2).lower()]
    return int(found.group(1)) * factor


def too_large(path: str, size: int, limit: int) -> UnreadableFile:
    """The error for a file over the limit, saying how to raise it."""
    return UnreadableFile(
        f"{path}: file is {size:,} bytes, larger than the {limit:,}-byte limit for a manifest "
        f"(set {MAX_FILE_BYTES_ENV} to change it)"
    )


class Snapshot:
    """What the rest of lockgate needs from a tree. (A plain base class rather than a typing.Protocol: importing
    typing costs start-up time that a check of a commit touching no manifest cannot afford.)"""

    label: str = ""

    def entries(self) -> dict[str, str | None]:
        """Every file path (repository-relative, POSIX) mapped to a content id, or None when unknown."""
        raise NotImplementedError

    def read(self, path: str) -> bytes | None:
        """The file's bytes, or None when it does not exist."""
        raise NotImplementedError

    def read_many(self, paths: list[str]) -> dict[str, bytes | None]:
        """Several files at once; git snapshots answer them in one round trip to ``cat-file``."""
        return {path: self.read(path) for path in paths}

    def resolve(self, path: str) -> str:
        """The path that ``read(path)`` really reads, once symbolic links in it are followed (the path itself when
        it holds none, or when a link cannot be followed: reading it then reports why)."""
        return path

    def content_id(self, path: str) -> str | None:
        """An id of the file's content that equals git's blob id for the same bytes: the listed id where there is
        one, else computed (the work tree); None when the file cannot be read at all. Files that cannot be decoded
        are compared by it, since their texts cannot be."""
        return self.entries().get(path)

    def gitlinks(self) -> frozenset[str]:
        """The paths that are submodules (gitlinks). ``entries`` lists them too, with the submodule's commit as
        the content id, and ``read`` gives ``gitlink_text(commit)`` for them: what ``git diff`` shows."""
        return frozenset()


def gitlink_text(commit: str) -> bytes:
    """What a snapshot reads at a submodule's path: the line ``git diff`` shows for a gitlink. The .gitmodules
    parser takes the commit from it; a change of commit is a change of this text, like any included file's."""
    return b"Subproject commit " + commit.encode("ascii") + b"\n"


def _git(repo: str, *args: str, stdin: bytes | None = None) -> bytes:
    """Run one git plumbing command and return its output; a failure becomes a SnapshotError."""
    try:
        done = subprocess.run(
            ["git", "-C", repo, *args],
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise SnapshotError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SnapshotError(f"git {args[0]} failed: {message[-1] if message else 'exit ' + str(done.returncode)}")
    return done.stdout


def repository_root(start: str) -> str:
    """The top of the git work tree that holds ``start``."""
    try:
        out = _git(start, "rev-parse", "--show-toplevel")
    except SnapshotError:
        raise SnapshotError(f"{start} is not inside a git repository") from None
    return out.decode().strip()


def resolve_commit(repo: str, rev: str) -> str:
    """The full commit id a revision names, or a SnapshotError naming the revision."""
    done = subprocess.run(
        ["git", "-C", repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise SnapshotError(f"unknown revision {rev!r}: not a commit in {repo}")
    return done.stdout.decode().strip()


def locate(directory: str, required: list[str], optional: list[str]) -> tuple[str, dict[str, str | None]]:
    """The repository root and the commit of each revision, in one git process when all of them exist.

    ``required`` revisions must exist (a SnapshotError names the first that does not); ``optional`` ones map to
    None when missing (HEAD of a repository without commits, the parent of a root commit).
    """
    revs = required + optional
    for rev in revs:
        if rev.startswith("-"):
            raise SnapshotError(f"revision {rev!r} must not start with '-'")
    done = subprocess.run(
        ["git", "-C", directory, "rev-parse", "--show-toplevel", *(f"{rev}^{{commit}}" for rev in revs)],
        capture_output=True,
        check=False,
    )
    lines = done.stdout.decode().split("\n")
    if done.returncode == 0 and len(lines) >= len(revs) + 1:
        return lines[0], dict(zip(revs, lines[1 : len(revs) + 1]))
    root = repository_root(directory)  # names a directory outside any repository
    commits: dict[str, str | None] = {rev: resolve_commit(root, rev) for rev in required}
    for rev in optional:
        try:
            commits[rev] = resolve_commit(root, rev)
        except SnapshotError:
            commits[rev] = None
    return root, commits


class BlobReader:
    """One long-lived ``git cat-file --batch`` process for a repository; reads any number of blobs.

    It is closed explicitly (or by the ``with`` block). Not for two threads at once: a run gives its head
    snapshot a reader of its own (revisions.Snapshots), the other snapshots of one repository share one.
    """

    def __init__(self, repo: str) -> None:
        self._repo = repo
        self._process: subprocess.Popen[bytes] | None = None
        self._max_bytes = max_file_bytes()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", "-C", self._repo, "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                bufsize=1 << 16,
            )
        return self._process

    def read(self, blob_id: str, path: str) -> bytes:
        process = self._start()
        assert process.stdin is not None
        process.stdin.write(blob_id.encode() + b"\n")
        process.stdin.flush()
        return self._receive(blob_id, path)

    def read_many(self, requests: list[tuple[str, str]]) -> list[bytes]:
        """Blobs for (blob id, path) pairs, asked for in batches so the round trips overlap. A batch's ids
        stay far below a pipe's buffer, so writing them all before reading cannot deadlock."""
        process = self._start()
        assert process.stdin is not None
        out: list[bytes] = []
        for start in range(0, len(requests), _BATCH):
            batch = requests[start : start + _BATCH]
            process.stdin.write(b"".join(blob_id.encode() + b"\n" for blob_id, _ in batch))
            process.stdin.flush()
            out.extend(self._receive(blob_id, path) for blob_id, path in batch)
        return out

    def _receive(self, blob_id: str, path: str) -> bytes:
        process = self._start()
        assert process.stdout is not None
        header = process.stdout.readline().split()
        if len(header) != 3:
            raise SnapshotError(f"git cat-file cannot read {path} ({blob_id})")
        size = int(header[2])
        if size > self._max_bytes:
            # Drain the blob so the pipe stays usable, then refuse it.
            remaining = size + 1
            while remaining:
                remaining -= len(process.stdout.read(min(remaining, 1 << 20)))
            raise too_large(path, size, self._max_bytes)
        data = process.stdout.read(size)
        process.stdout.read(1)  # the newline after each blob
        return data

    def close(self) -> None:
        if self._process is not None:
            if self._process.stdin:
                self._process.stdin.close()
            self._process.wait()
            if self._process.stdout:
                self._process.stdout.close()
            self._process = None

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Links:
    """The symbolic links of a listed tree (git stores a link as a blob holding its target, mode 120000), resolved
    as the file system would: a link anywhere in a path (``shared/base.txt`` with ``shared -> common``), a link to a
    link, a link to a file. What a link points at is what pip, npm and every package manager read, so it is what
    lockgate judges: a link's content id is its target's (a pull request that edits only the target changes the
    link's file), and reading a link reads its target.

    A link that leaves the repository, or a chain of more than ``_SYMLINK_HOPS`` links, is an UnreadableFile: the
    file's problem, reported as an unreadable manifest. ``read_targets`` reads the blobs of links (their targets)
    for a list of (blob id, path) pairs, in one round trip."""

    def __init__(self, listing: dict[str, tuple[str, str]],
                 read_targets: Callable[[list[tuple[str, str]]], list[bytes]]) -> None:
        self._listing = listing
        self._read_targets = read_targets
        self._targets: dict[str, str] | None = None

    def _target(self, link: str) -> str:
        if self._targets is None:
            links = [(blob_id, path) for path, (mode, blob_id) in self._listing.items() if mode == _SYMLINK_MODE]
            self._targets = {path: data.decode("utf-8", "surrogateescape")
                             for (_, path), data in zip(links, self._read_targets(links))}
        return self._targets[link]

    def resolve(self, path: str) -> str:
        """The repository path a path names once every link in it is followed (the path itself when it holds no
        link); the result is never a link. It may name nothing (a dangling link, a missing file)."""
        parts = path.split("/")
        done: list[str] = []
        hops = 0
        while parts:
            done.append(parts.pop(0))
            here = "/".join(done)
            entry = self._listing.get(here)
            if entry is None or entry[0] != _SYMLINK_MODE:
                continue
            hops += 1
            if hops > _SYMLINK_HOPS:
                raise UnreadableFile(f"{path}: too many levels of symbolic links")
            resolved = follow_link(here, self._target(here))
            parts = ([] if resolved in ("", ".") else resolved.split("/")) + parts
            done = []
        return "/".join(done)

    def content_ids(self, entries: dict[str, str | None]) -> dict[str, str | None]:
        """``entries`` with each link's id replaced by its target's (``link:`` + the target's blob id; for a link
        that names nothing or cannot be followed, an id made of the link's own blob and what went wrong, so that
        retargeting it is still a change)."""
        links = [path for path, (mode, _) in self._listing.items() if mode == _SYMLINK_MODE]
        if not links:
            return entries
        out = dict(entries)
        for path in links:
            try:
                target = self._listing.get(self.resolve(path))
                out[path] = f"link:{target[1]}" if target is not None else f"dangling:{self._listing[path][1]}"
            except UnreadableFile as error:
                out[path] = f"unreadable:{self._listing[path][1]}:{error}"
        return out


_NOT_BLOBS = (_SYMLINK_MODE, _GITLINK_MODE)  # read one by one, not through cat-file's batch


class _GitTreeBase(Snapshot):
    """Shared by the revision and the index snapshots: a listing of (mode, blob) entries read through git."""

    label: str

    def __init__(self, listing: dict[str, tuple[str, str]], blobs: BlobReader) -> None:
        self._listing = listing
        self._blobs = blobs
        self._links = Links(listing, blobs.read_many)
        self._entries: dict[str, str | None] | None = None
        self._gitlinks: frozenset[str] | None = None

    def entries(self) -> dict[str, str | None]:
        if self._entries is None:
            self._entries = self._links.content_ids({path: blob_id for path, (_, blob_id) in self._listing.items()})
        return self._entries

    def gitlinks(self) -> frozenset[str]:
        if self._gitlinks is None:
            self._gitlinks = frozenset(path for path, (mode, _) in self._listing.items() if mode == _GITLINK_MODE)
        return self._gitlinks

    def read_many(self, paths: list[str]) -> dict[str, bytes | None]:
        plain = [(p, self._listing[p][1]) for p in paths if p in self._listing and self._listing[p][0] not in _NOT_BLOBS]
        out: dict[str, bytes | None] = dict(
            zip((p for p, _ in plain), self._blobs.read_many([(blob_id, p) for p, blob_id in plain]))
        )
        for path in paths:
            if path not in out:
                out[path] = self.read(path)  # missing files, links and gitlinks, one by one
        return out

    def resolve(self, path: str) -> str:
        try:
            return self._links.resolve(path)
        except UnreadableFile:
            return path

    def content_id(self, path: str) -> str | None:
        """The blob id of what the path reads (a link's target's, as the work tree computes it)."""
        entry = self._listing.get(self.resolve(path))
        return entry[1] if entry is not None and entry[0] != _SYMLINK_MODE else self.entries().get(path)

    def read(self, path: str) -> bytes | None:
        entry = self._listing.get(path)
        if entry is None or entry[0] == _SYMLINK_MODE:
            resolved = self._links.resolve(path)
            entry = self._listing.get(resolved)
            if entry is None:
                return None
        if entry[0] == _GITLINK_MODE:
            return gitlink_text(entry[1])
        return self._blobs.read(entry[1], path)


def follow_link(link: str, target: str) -> str:
    """The repository path a symlink points at; a link that leaves the repository is an error."""
    if posixpath.isabs(target):
        raise UnreadableFile(f"{link}: symbolic link points outside the repository ({target})")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(link), target))
    if joined == ".." or joined.startswith("../"):
        raise UnreadableFile(f"{link}: symbolic link points outside the repository ({target})")
    return joined


class RevisionSnapshot(_GitTreeBase):
    """The tree of one commit."""

    def __init__(self, repo: str, commit: str, blobs: BlobReader, label: str | None = None) -> None:
        out = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit)
        listing: dict[str, tuple[str, str]] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, kind, blob_id = meta.decode().split(" ")
            if kind not in ("blob", "commit"):  # a commit: a submodule (gitlink)
                continue
            listing[raw_path.decode("utf-8", "surrogateescape")] = (mode, blob_id)
        super().__init__(listing, blobs)
        self.commit = commit
        self.label = label or commit


class IndexSnapshot(_GitTreeBase):
    """The staged index (what ``git commit`` would record)."""

    def __init__(self, repo: str, blobs: BlobReader) -> None:
        out = _git(repo, "ls-files", "-s", "-z")
        listing: dict[str, tuple[str, str]] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, blob_id, stage = meta.decode().split(" ")
            path = raw_path.decode("utf-8", "surrogateescape")
            if stage != "0":
                raise SnapshotError(f"{path}: unresolved merge conflict in the index")
            listing[path] = (mode, blob_id)
        super().__init__(listing, blobs)
        self.label = "index"


class WorktreeSnapshot(Snapshot):
    """Files on disk. In a git work tree, the files git would see (tracked and untracked, not ignored).

    A submodule on disk is a directory. Its commit is what ``git add`` would stage: the checked-out submodule's
    HEAD, or, for a submodule that is not checked out (an empty directory, which git leaves alone), the commit
    the index records."""

    label = "worktree"

    def __init__(self, root: str, in_git: bool = True) -> None:
        self._root = os.path.realpath(root)
        self._max_bytes = max_file_bytes()
        self._directories: list[str] = []  # listed paths that are directories on disk: submodules, or not
        self._paths = list(self._list_git() if in_git else self._walk())
        self._gitlinks: dict[str, str] | None = None

    def _list_git(self) -> Iterator[str]:
        out = _git(self._root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        seen: set[str] = set()
        for raw in out.split(b"\0"):
            if raw:
                path = raw.decode("utf-8", "surrogateescape")
                if path in seen:
                    continue
                try:
                    mode = os.lstat(os.path.join(self._root, path)).st_mode
                except OSError:  # gone from disk (a deletion not yet staged), or unreadable: as os.path.lexists
                    continue
                seen.add(path)
                if S_ISDIR(mode):
                    self._directories.append(path)
                yield path

    def _walk(self) -> Iterator[str]:
        skip = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"}
        for top, dirs, files in os.walk(self._root):
            dirs[:] = sorted(d for d in dirs if d not in skip)
            rel = os.path.relpath(top, self._root)
            for name in sorted(files):
                yield name if rel == "." else posixpath.join(rel.replace(os.sep, "/"), name)

    def entries(self) -> dict[str, str | None]:
        return dict.fromkeys(self._paths)

    def resolve(self, path: str) -> str:
        full = os.path.realpath(os.path.join(self._root, path))
        if full == self._root or not full.startswith(self._root + os.sep):
            return path
        return os.path.relpath(full, self._root).replace(os.sep, "/")

    def content_id(self, path: str) -> str | None:
        """git's blob id of the file on disk, read in chunks (a file over the size limit too: it is the only way to
        tell whether it changed)."""
        import hashlib

        full = os.path.realpath(os.path.join(self._root, path))
        if full != self._root and not full.startswith(self._root + os.sep):
            return None
        try:
            digest = hashlib.sha1(b"blob %d\0" % os.path.getsize(full))
            with open(full, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError:
            return None
        return digest.hexdigest()

    def gitlinks(self) -> frozenset[str]:
        return frozenset(self._gitlink_commits())

    def _gitlink_commits(self) -> dict[str, str]:
        """Submodule path -> the commit the index records, for the listed directories the index holds as
        gitlinks (a git process only when some listed path is a directory)."""
        if self._gitlinks is None:
            self._gitlinks = {}
            if self._directories:
                wanted = set(self._directories)
                for record in _git(self._root, "ls-files", "-s", "-z").split(b"\0"):
                    meta, _, raw_path = record.partition(b"\t")
                    path = raw_path.decode("utf-8", "surrogateescape")
                    if path in wanted and meta.startswith(_GITLINK_MODE.encode() + b" "):
                        self._gitlinks[path] = meta.split(b" ")[1].decode()
        return self._gitlinks

    def read(self, path: str) -> bytes | None:
        full = os.path.realpath(os.path.join(self._root, path))
        if full != self._root and not full.startswith(self._root + os.sep):
            raise UnreadableFile(f"{path}: resolves outside the repository")
        if self._directories and path in self._gitlink_commits():
            return gitlink_text(self._checked_out_commit(path, full))
        try:
            size = os.path.getsize(full)
            if size > self._max_bytes:
                raise too_large(path, size, self._max_bytes)
            with open(full, "rb") as handle:
                return handle.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        except OSError as exc:
            raise SnapshotError(f"{path}: cannot be read ({exc.strerror})") from None


    def _checked_out_commit(self, path: str, full: str) -> str:
        """The HEAD of the submodule checked out at ``full``; the index's commit when it is not checked out. git
        runs in the submodule with the superproject's repository variables (GIT_DIR, GIT_INDEX_FILE, ..., set
        when lockgate runs from a git hook) removed, so that it reads the submodule and not the superproject."""
        if not os.path.lexists(os.path.join(full, ".git")):
            return self._gitlink_commits()[path]
        detached = _detached_head(full)
        if detached is not None:
            return detached
        env = {key: value for key, value in os.environ.items() if key not in _LOCAL_GIT_VARIABLES}
        done = subprocess.run(["git", "-C", full, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
                              capture_output=True, check=False, env=env)
        commit = done.stdout.decode("ascii", "replace").strip()
        if done.returncode != 0 or not commit:
            raise SnapshotError(f"{path}: a submodule whose checked-out commit git cannot read (git -C {path} "
                                "rev-parse HEAD failed)")
        return commit


def _detached_head(checkout: str) -> str | None:
    """The commit of a checkout whose HEAD is detached, read from git's files as git writes them (``.git`` a
    directory, or a file ``gitdir: <dir>``; ``HEAD`` holding the commit), with no git process: what ``git submodule
    update`` leaves, and a work tree with a hundred submodules is read in the time of one. None for anything else (a
    branch, another ref storage): git itself is asked then."""
    import re

    dot_git = os.path.join(checkout, ".git")
    try:
        if os.path.isdir(dot_git):
            git_dir = dot_git
        else:
            with open(dot_git, encoding="utf-8") as handle:
                pointer = handle.read(4096)
            if not pointer.startswith("gitdir: "):
                return None
            git_dir = os.path.join(checkout, pointer[len("gitdir: "):].strip())
        with open(os.path.join(git_dir, "HEAD"), encoding="ascii") as handle:
            head = handle.read(100).strip()
    except (OSError, UnicodeDecodeError):
        return None
    return head if re.fullmatch(r"[0-9a-f]{40}(?:[0-9a-f]{24})?", head) else None


# What ``git rev-parse --local-env-vars`` lists: variables that point git at one repository, which a git process run
# in a submodule must not inherit.
_LOCAL_GIT_VARIABLES = frozenset({
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
    "GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE", "GIT_INDEX_FILE",
    "GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE", "GIT_PREFIX", "GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE",
    "GIT_COMMON_DIR",
})


class EmptySnapshot(Snapshot):
    """The empty tree: the base of a repository's first commit."""

    label = "empty tree"

    def entries(self) -> dict[str, str | None]:
        return {}

    def read(self, path: str) -> bytes | None:
        return None
