"""The two trees of a run inside GitHub Actions: from the job's git checkout when it has (or can fetch) the
commits, else through the GitHub API.

actions/checkout fetches one commit by default (for a pull request, the test merge commit), so the base and head
commits are usually missing: they are fetched by id from ``origin`` (with the credentials actions/checkout left in
the repository's config; lockgate never hands the token to git itself). A pull request is compared from the merge
base of its base and head when the history allows it (what GitHub's "Files changed" shows); in a shallow checkout,
from the base commit. Either way the policy and the ledger come from the base commit.
"""

from __future__ import annotations

import os
import subprocess

from checker.errors import SnapshotError
from checker.github.api import GitHubClient
from checker.github.event import EventContext
from checker.github.runner import Log
from checker.snapshot.revisions import Snapshots, open_snapshots
from checker.snapshot.trees import EmptySnapshot, RevisionSnapshot, Snapshot

FETCH_TIMEOUT = 300


def _git(root: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(["git", "-C", root, *args], capture_output=True, check=False, timeout=timeout, env=env)


def local_root(directory: str) -> str | None:
    try:
        done = _git(directory, "rev-parse", "--show-toplevel")
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode().strip() if done.returncode == 0 else None


def has_commit(root: str, rev: str) -> bool:
    if rev.startswith("-"):
        return False
    return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").returncode == 0


def fetch(root: str, revs: list[str], log: Log) -> bool:
    """Fetch commits by id (or refs by name) from origin; shallowly when the checkout is shallow."""
    shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.decode().strip() == "true"
    args = ["fetch", "--quiet", "--no-tags", "--no-recurse-submodules"] + (["--depth=1"] if shallow else [])
    try:
        done = _git(root, *args, "origin", *[r for r in revs if not r.startswith("-")], timeout=FETCH_TIMEOUT)
    except subprocess.TimeoutExpired:
        log.info(f"git fetch of {', '.join(revs)} took longer than {FETCH_TIMEOUT}s")
        return False
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        log.info(f"git fetch of {', '.join(revs)} failed: {lines[-1] if lines else done.returncode}")
        return False
    return True


def merge_base(root: str, base: str, head: str) -> str | None:
    done = _git(root, "merge-base", "--end-of-options", base, head)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def open_trees(ctx: EventContext, directory: str, client: GitHubClient | None, log: Log) -> tuple[Snapshots, Snapshot]:
    """The snapshots to compare and the tree the policy and ledger are read from."""
    wanted = [rev for rev in (ctx.base, ctx.head) if rev]
    root = local_root(directory)
    if root is not None:
        missing = [rev for rev in wanted if not has_commit(root, rev)]
        if missing:
            log.info(f"fetching {', '.join(r[:12] for r in missing)}: not in the checkout")
            fetch(root, missing, log)
            missing = [rev for rev in wanted if not has_commit(root, rev)]
        if not missing:
            return _local(ctx, root, log)
        log.info(f"git cannot give {', '.join(r[:12] for r in missing)}: reading the files through the GitHub API")
    if client is None:
        raise SnapshotError(
            f"the commits to compare are not in {directory} and cannot be fetched, and without a token the GitHub "
            "API cannot be asked: check the repository out with actions/checkout"
        )
    return _remote(ctx, client, directory)


def _local(ctx: EventContext, root: str, log: Log) -> tuple[Snapshots, Snapshot]:
    diff_base = ctx.base
    if ctx.is_pull_request and ctx.base:
        found = merge_base(root, ctx.base, ctx.head)
        if found and found != _resolve(root, ctx.base):
            log.info(f"comparing the head with its merge base {found[:12]} (the base branch moved on since)")
            diff_base = found
        elif not found:
            log.info("the checkout is too shallow for a merge base: comparing with the base commit")
    snapshots = open_snapshots(root, diff_base, ctx.head, "rev")
    if diff_base == ctx.base or ctx.base is None:
        return snapshots, snapshots.base
    blobs = snapshots.blobs
    assert blobs is not None  # open_snapshots always opens git's reader (only the API's trees have none)
    try:
        policy_tree = RevisionSnapshot(root, _resolve(root, ctx.base), blobs)
    except BaseException:
        snapshots.close()
        raise
    return snapshots, policy_tree


def _resolve(root: str, rev: str) -> str:
    return _git(root, "rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}").stdout.decode().strip()


def _remote(ctx: EventContext, client: GitHubClient, directory: str) -> tuple[Snapshots, Snapshot]:
    from checker.github.contents import ApiSnapshot, commit_of, parent_of

    head = commit_of(client, ctx.head)
    base = commit_of(client, ctx.base) if ctx.base else parent_of(client, head)
    head_tree = ApiSnapshot(client, head, head)
    base_tree: Snapshot = ApiSnapshot(client, base, base) if base else EmptySnapshot()
    snapshots = Snapshots(base_tree, head_tree, base or "empty tree", head, None, os.path.realpath(directory))
    return snapshots, base_tree
