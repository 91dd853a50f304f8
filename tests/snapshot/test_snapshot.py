"""Snapshots read through git plumbing: revisions, the index, the worktree, symlinks and limits."""

from __future__ import annotations

import pytest

from checker.errors import SnapshotError
from checker.snapshot.trees import (
    BlobReader,
    EmptySnapshot,
    IndexSnapshot,
    RevisionSnapshot,
    WorktreeSnapshot,
    resolve_commit,
)


def test_revision_snapshot_lists_and_reads_files(repo):
    commit = repo.commit("one", {"requirements.txt": "a==1\n", "sub dir/ünï code.txt": "x\n"})
    with BlobReader(str(repo.path)) as blobs:
        snap = RevisionSnapshot(str(repo.path), commit, blobs)
        entries = snap.entries()
        assert set(entries) == {"requirements.txt", "sub dir/ünï code.txt"}
        assert all(len(blob) == 40 for blob in entries.values())
        assert snap.read("requirements.txt") == b"a==1\n"
        assert snap.read("sub dir/ünï code.txt") == b"x\n"
        assert snap.read("missing.txt") is None


def test_one_cat_file_process_serves_many_reads(repo):
    commit = repo.commit("many", {f"r{i}/requirements.txt": f"p{i}==1\n" for i in range(30)})
    with BlobReader(str(repo.path)) as blobs:
        snap = RevisionSnapshot(str(repo.path), commit, blobs)
        for i in range(30):
            assert snap.read(f"r{i}/requirements.txt") == f"p{i}==1\n".encode()
        assert blobs._process is not None  # one process, reused


def test_index_snapshot_sees_staged_not_worktree(repo):
    repo.commit("base", {"requirements.txt": "a==1\n"})
    repo.write("requirements.txt", "a==2\n")
    repo.git("add", "requirements.txt")
    repo.write("requirements.txt", "a==3\n")
    with BlobReader(str(repo.path)) as blobs:
        assert IndexSnapshot(str(repo.path), blobs).read("requirements.txt") == b"a==2\n"
    assert WorktreeSnapshot(str(repo.path)).read("requirements.txt") == b"a==3\n"


def test_worktree_lists_untracked_but_not_ignored(repo):
    repo.commit("base", {".gitignore": "build/\n", "requirements.txt": "a==1\n"})
    repo.write("new/requirements.txt", "b==1\n")
    repo.write("build/requirements.txt", "c==1\n")
    entries = WorktreeSnapshot(str(repo.path)).entries()
    assert "new/requirements.txt" in entries
    assert "build/requirements.txt" not in entries


def test_symlink_inside_repository_is_followed(repo):
    repo.write("real/requirements.txt", "a==1\n")
    (repo.path / "requirements.txt").symlink_to("real/requirements.txt")
    commit = repo.commit("link")
    with BlobReader(str(repo.path)) as blobs:
        assert RevisionSnapshot(str(repo.path), commit, blobs).read("requirements.txt") == b"a==1\n"


def test_symlink_leaving_repository_is_an_error(repo):
    (repo.path / "requirements.txt").symlink_to("../../etc/passwd")
    commit = repo.commit("escape")
    with BlobReader(str(repo.path)) as blobs:
        with pytest.raises(SnapshotError, match="outside the repository"):
            RevisionSnapshot(str(repo.path), commit, blobs).read("requirements.txt")


def test_unknown_revision_names_it(repo):
    repo.commit("base", {"a.txt": "x"})
    with pytest.raises(SnapshotError, match="unknown revision 'nope'"):
        resolve_commit(str(repo.path), "nope")


def test_oversized_blob_is_refused_and_reader_stays_usable(repo, monkeypatch):
    import checker.snapshot.trees as snapshot

    commit = repo.commit("big", {"requirements.txt": "a==1\n" * 100, "small.txt": "ok\n"})
    monkeypatch.setattr(snapshot, "MAX_FILE_BYTES", 50)
    with BlobReader(str(repo.path)) as blobs:
        snap = RevisionSnapshot(str(repo.path), commit, blobs)
        with pytest.raises(SnapshotError, match="larger than the 50-byte limit"):
            snap.read("requirements.txt")
        assert snap.read("small.txt") == b"ok\n"


def test_empty_snapshot():
    assert EmptySnapshot().entries() == {}
    assert EmptySnapshot().read("x") is None


# ---------------------------------------------------------------------------------------------------------------
# Both revisions at once (collect.load_changed): the head through a reader of its own, in a second thread.


def test_both_revisions_are_read_at_once_through_two_readers(repo):
    from checker.manifests.collect import load_changed
    from checker.snapshot.revisions import open_snapshots

    base = repo.commit("base", {"requirements.txt": "a==1\n"})
    head = repo.commit("head", {"requirements.txt": "a==2\n"})
    snapshots = open_snapshots(str(repo.path), base, head, "rev")
    try:
        before, after = load_changed(snapshots.base, snapshots.head, ())
        assert [d.version for d in before[0].dependencies] == ["1"]
        assert [d.version for d in after[0].dependencies] == ["2"]
        assert snapshots.blobs is not snapshots.head_blobs
        assert snapshots.blobs._process is not None and snapshots.head_blobs._process is not None
    finally:
        snapshots.close()
    assert snapshots.blobs._process is None and snapshots.head_blobs._process is None


class _Loader:
    def __init__(self, error: Exception | None) -> None:
        self.error, self.read = error, []

    def prefetch(self, paths: list[str]) -> None:
        self.read.extend(paths)
        if self.error is not None:
            raise self.error


@pytest.mark.parametrize(("base_error", "head_error", "raised"), [
    (None, None, None),
    (SnapshotError("base broken"), None, "base broken"),
    (None, SnapshotError("head broken"), "head broken"),
    (SnapshotError("base broken"), SnapshotError("head broken"), "base broken"),  # as if read one after the other
])
def test_an_error_reading_either_side_is_raised_in_the_caller(base_error, head_error, raised):
    from checker.manifests.collect import _prefetch_both

    loaders = [_Loader(base_error), _Loader(head_error)]
    if raised is None:
        _prefetch_both(loaders, ["a"], ["b"])  # type: ignore[arg-type]
    else:
        with pytest.raises(SnapshotError, match=raised):
            _prefetch_both(loaders, ["a"], ["b"])  # type: ignore[arg-type]
    assert (loaders[0].read, loaders[1].read) == (["a"], ["b"])
