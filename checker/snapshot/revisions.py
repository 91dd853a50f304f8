"""Which two trees a run compares: revisions resolved, snapshots opened, git blob readers shared.

Kept free of dataclasses and the model: it is on the start-up path of a check that touches no manifest.
"""

from __future__ import annotations

from checker.errors import UsageError
from checker.snapshot.trees import (
    BlobReader,
    EmptySnapshot,
    IndexSnapshot,
    RevisionSnapshot,
    Snapshot,
    WorktreeSnapshot,
    locate,
)


class Snapshots:
    """The two trees of one run and their git readers (closed with ``close``). ``blobs`` reads the base and any
    other revision of the run (a policy's); the head has a reader of its own, so that both sides of a large
    lockfile are read at once, each inflated by git on its own core (collect.load_changed). A reader starts its
    ``git cat-file`` only when first asked, so a run that reads nothing starts none."""

    def __init__(self, base: Snapshot, head: Snapshot, base_label: str, head_label: str,
                 blobs: BlobReader | None, root: str, head_blobs: BlobReader | None = None) -> None:
        self.base = base
        self.head = head
        self.base_label = base_label
        self.head_label = head_label
        self.blobs = blobs
        self.head_blobs = head_blobs
        self.root = root

    def close(self) -> None:
        for reader in (self.blobs, self.head_blobs):
            if reader is not None:
                reader.close()


def open_snapshots(directory: str, base_rev: str | None, head_rev: str | None, head_mode: str,
                   judge_all: bool = False) -> Snapshots:
    """The two trees a run compares. ``head_mode``: ``rev`` (``head_rev``, default HEAD), ``staged`` or
    ``worktree``. Without a base revision: the parent of the head commit, or HEAD for staged/worktree; the
    empty tree for ``judge_all``, a root commit, or a repository without commits."""
    if head_mode not in ("rev", "staged", "worktree"):
        raise UsageError(f"unknown head mode {head_mode!r}")
    head_rev = (head_rev or "HEAD") if head_mode == "rev" else None
    required = [rev for rev in (head_rev, base_rev) if rev is not None]
    default_base = None
    if base_rev is None and not judge_all:
        default_base = f"{head_rev}^" if head_rev is not None else "HEAD"
    root, commits = locate(directory, required, [default_base] if default_base else [])
    blobs, head_blobs = BlobReader(root), BlobReader(root)
    try:
        head: Snapshot
        if head_rev is not None:
            head_commit = commits[head_rev]
            assert head_commit is not None
            head, head_label = RevisionSnapshot(root, head_commit, head_blobs, head_commit), head_commit
        elif head_mode == "staged":
            head, head_label = IndexSnapshot(root, head_blobs), "index"
        else:
            head, head_label = WorktreeSnapshot(root), "worktree"
        base_commit = commits.get(base_rev or default_base or "")
        base: Snapshot
        if base_commit is None:  # --all, a first commit, or a repository without commits yet
            base, base_label = EmptySnapshot(), "empty tree"
        else:
            base, base_label = RevisionSnapshot(root, base_commit, blobs, base_commit), base_commit
    except BaseException:
        blobs.close()
        head_blobs.close()
        raise
    return Snapshots(base, head, base_label, head_label, blobs, root, head_blobs)
