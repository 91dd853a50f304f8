"""A change that edits the gate itself: the policy file, a repository file its ``extends`` chain reads, or the
review ledger.

The base revision's policy judges a pull request, so such an edit cannot loosen the gate for the pull request that
makes it; but once merged it judges every later one. It is therefore reported (rule ``policy-change``) and needs a
review like a version bump. ``detect_policy_changes`` compares the two trees: which of those files differ, and
what the difference does (checker/policy/compare.py), each policy loaded as lockgate would load it on that revision
(no policy file: the ``default`` preset). A policy or ledger that the change leaves unreadable is an error, as
an unreadable manifest is: merged, it would stop every later run.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from checker.errors import PolicyError
from checker.policy.compare import FileChange, PolicyChange, compare_ledgers, compare_policies
from checker.policy.load import Policy, load_policy
from checker.policy.watch import POLICY_PATHS, file_changed, may_have_changed
from checker.snapshot.trees import EmptySnapshot, Snapshot

if TYPE_CHECKING:
    from checker.review.ledger import LedgerEntry


def policy_from_snapshot(snapshot: Snapshot, paths: tuple[str, ...] = POLICY_PATHS) -> Policy:
    """The policy as it stands in a tree: the first of ``paths`` that exists (``extends`` read from the same
    tree), else the ``default`` preset."""
    from checker.manifests.collect import decode

    def read(path: str) -> str | None:
        data = snapshot.read(path)
        return None if data is None else decode(data, path)

    for path in paths:
        text = read(path)
        if text is not None:
            return load_policy(text, path, read)
    return load_policy(None, "preset:default", read)


def _first_difference(before: bytes | None, after: bytes | None) -> int | None:
    if after is None:
        return None
    if before is None:
        return 1
    old, new = before.splitlines(), after.splitlines()
    for index, line in enumerate(new):
        if index >= len(old) or old[index] != line:
            return index + 1
    return max(1, len(new))


def _file_change(base: Snapshot, head: Snapshot, path: str) -> FileChange | None:
    if not file_changed(base, head, path):
        return None
    before, after = base.read(path), head.read(path)
    if before == after:
        return None
    kind = "added" if before is None else "removed" if after is None else "modified"
    return FileChange(path, kind, _first_difference(before, after))


def _repository_files(policy: Policy) -> list[str]:
    """The files of a policy's ``extends`` chain that live in the repository (presets are lockgate's own)."""
    return [path for path in policy.chain if not path.startswith("preset:")]


def _on_head(exc: PolicyError) -> PolicyError:
    return PolicyError(f"{exc.message} (in the policy as this change leaves it: the base's policy judges the change, "
                       "but this one would judge every later change)", exc.path, exc.line)


def _ledger_entries(tree: Snapshot, path: str | None) -> tuple[LedgerEntry, ...]:
    from checker.manifests.collect import decode
    from checker.review.ledger import parse_ledger

    data = tree.read(path) if path else None
    return () if data is None or path is None else parse_ledger(decode(data, path), path)


def detect_policy_changes(base: Snapshot, head: Snapshot, *, before: Policy | None = None,
                          paths: tuple[str, ...] = POLICY_PATHS) -> tuple[PolicyChange, ...]:
    """The changes between ``base`` and ``head`` to the policy (the first of ``paths`` that exists, and the
    repository files of its ``extends`` chain) and to the review ledger. ``before``: the base's policy when the
    caller has loaded it already. Nothing is reported against an empty base (a repository's first commit: its
    policy is the one it starts with)."""
    if isinstance(base, EmptySnapshot):
        return ()
    extra = [p for p in paths if p not in POLICY_PATHS]
    if not may_have_changed(base, head, tuple(extra)):
        return ()
    before = before if before is not None else policy_from_snapshot(base, paths)
    try:
        after = policy_from_snapshot(head, paths)
    except PolicyError as exc:
        raise _on_head(exc) from None
    found: list[PolicyChange] = []
    watched = dict.fromkeys([*paths, *POLICY_PATHS, *_repository_files(before), *_repository_files(after)])
    files = [change for change in (_file_change(base, head, path) for path in watched) if change is not None]
    if files:
        found.append(PolicyChange("policy", tuple(files), compare_policies(before, after), before.source, after.source))
    old_ledger, new_ledger = before.review.ledger, after.review.ledger
    ledger_files = [c for c in (_file_change(base, head, p) for p in dict.fromkeys([old_ledger, new_ledger]) if p)
                    if c is not None]
    if ledger_files or old_ledger != new_ledger:
        # The review evidence the change leaves behind: the head's ledger (at the head policy's path) against the
        # base's (at the base policy's path). A ledger moved to a new, pre-filled file gains its entries.
        try:
            new_entries = _ledger_entries(head, new_ledger)
        except PolicyError as exc:
            raise _on_head(exc) from None
        diff = compare_ledgers(_ledger_entries(base, old_ledger), new_entries)
        if ledger_files or not diff.empty:
            where = tuple(ledger_files) or (FileChange(new_ledger or old_ledger or "", "modified"),)
            found.append(PolicyChange("ledger", where, diff, old_ledger or "none", new_ledger or "none"))
    return tuple(found)


def relative_policy_path(policy_file: str, root: str, directory: str) -> str | None:
    """``--policy FILE`` as a repository path when the file lives in the repository (else None)."""
    import os

    full = os.path.realpath(os.path.join(directory, policy_file))
    rel = os.path.relpath(full, os.path.realpath(root))
    return None if rel.startswith("..") else posixpath.normpath(rel.replace(os.sep, "/"))
