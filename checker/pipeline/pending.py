"""The judgement behind ``lockgate review --all-pending``: ``check``'s own run, offline, and the ledger its policy
names.

Local work (the index, by default, or the work tree) is judged as the pre-commit hook judges it: against HEAD, the
ledger being committed counting as evidence. A pull request (``--head`` with ``--base``) is judged as ``lockgate
pr`` judges it: its changes from the merge base of the two (the base branch's later commits are not the pull
request's: read backwards they would be recorded as downgrades nobody made), with the policy and the ledger of the
base revision itself. Registries are never asked: whether a change needs a review depends on the change and the
policy, never on facts.
"""

from __future__ import annotations

import os
import subprocess
from typing import NamedTuple

from checker.model import Report
from checker.pipeline.run import CheckRequest, load_request_policy, run_check


class PendingRun(NamedTuple):
    """The judged run; ``ledger``: the ledger the policy names, from the repository root (None: it names none);
    ``root``: the repository root; ``base``: the revision the changes were compared from (a merge base)."""

    report: Report
    ledger: str | None
    root: str
    base: str | None


def merge_base(directory: str, base: str, head: str) -> str | None:
    """The commit a pull request from ``head`` into ``base`` is compared from; None when git cannot tell (no common
    history, a shallow clone: then the base itself, as ``lockgate pr`` does)."""
    done = subprocess.run(["git", "-C", directory, "merge-base", "--end-of-options", base, head],
                          capture_output=True, text=True, check=False)
    found = done.stdout.strip()
    return found if done.returncode == 0 and found else None


def judge_for_review(directory: str, base: str | None, head: str | None, head_mode: str,
                     policy_file: str | None) -> PendingRun:
    from checker.snapshot.revisions import open_snapshots
    from checker.snapshot.trees import RevisionSnapshot, resolve_commit

    compared = base
    if head_mode == "rev" and base is not None and head is not None:
        compared = merge_base(directory, base, head) or base
    # The hook's request for local work, so that the policy's hook settings apply as they do in the hook.
    request = CheckRequest(directory=directory, base=compared, head=head, head_mode=head_mode,
                           policy_file=policy_file, offline=True, hook=head_mode != "rev")
    snapshots = open_snapshots(directory, compared, head, head_mode)
    try:
        policy_tree = None
        if compared != base and base is not None:
            assert snapshots.blobs is not None  # git's reader: revisions were opened
            policy_tree = RevisionSnapshot(snapshots.root, resolve_commit(snapshots.root, base), snapshots.blobs)
        policy = load_request_policy(request, snapshots, policy_tree)
        root = snapshots.root
    except BaseException:
        snapshots.close()
        raise
    report = run_check(request, snapshots, policy_tree=policy_tree)  # closes the snapshots
    ledger = os.path.join(root, policy.review.ledger) if policy.review.ledger else None
    return PendingRun(report, ledger, root, compared)
