"""``lockgate review``: record a reviewed change in the ledger, inferring what the user left out.

The ecosystem is inferred from the work tree's manifests when the name is unambiguous; the reviewer comes from
git configuration; the ledger path from the policy. The entry counts for a local commit once the ledger is in the
index (the pre-commit hook judges the index), so the ledger is staged after recording, unless it held edits of the
user's own that were not staged: those are theirs to stage, and the caller says so in one line.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from typing import NamedTuple, Sequence

from checker.errors import UsageError
from checker.review.ledger import NewEntry, append_entry, read_ledger, refuse_placeholder
from checker.model import ECOSYSTEMS, Change
from checker.policy.patterns import hidden_character


class RecordedReview(NamedTuple):
    """What ``lockgate review`` did: the ledger (relative to the working directory), the entry's line, the package
    as recorded, and whether the ledger was staged; ``not_staged`` says why not (None when it was, or when staging
    was not asked for); ``already``: the ledger file held this very entry, and nothing was written."""

    path: str
    line: int
    package: str
    staged: bool
    not_staged: str | None
    already: bool = False  # the ledger file held this very entry already: nothing was written


def _git_config(directory: str, key: str) -> str | None:
    done = subprocess.run(["git", "-C", directory, "config", "--get", key], capture_output=True, text=True, check=False)
    value = done.stdout.strip()
    return value or None


def _infer_ecosystem(directory: str, name: str) -> str:
    from checker.manifests.collect import load_all
    from checker.manifests.common import canonical_pypi_name
    from checker.snapshot.trees import WorktreeSnapshot, repository_root

    root = repository_root(directory)
    found = set()
    for manifest in load_all(WorktreeSnapshot(root), ()):
        for dep in manifest.dependencies:
            if dep.name == name or (dep.ecosystem == "pypi" and dep.name == canonical_pypi_name(name)):
                found.add(dep.ecosystem)
    if len(found) == 1:
        return found.pop()
    if not found:
        raise UsageError(f"no manifest in the work tree names {name!r}; write the package as ecosystem:name (pypi:{name})")
    raise UsageError(f"{name!r} is in several ecosystems ({', '.join(sorted(found))}); write it as ecosystem:name")


def record_review(
    directory: str,
    package: str,
    from_version: str,
    to_version: str,
    reason: str,
    *,
    reviewer: str | None = None,
    ledger: str | None = None,
    policy_file: str | None = None,
    kind: str | None = None,
    stage: bool = True,
) -> RecordedReview:
    """Append the entry and, with ``stage``, add the ledger to the index."""
    from checker.manifests.common import canonical_pypi_name
    from checker.policy.load import load_policy_file
    from checker.policy.watch import POLICY_PATHS
    from checker.snapshot.trees import repository_root

    for value, what in ((package, "PACKAGE"), (from_version, "FROM"), (to_version, "TO")):
        hidden = hidden_character(value)
        if hidden is not None:
            raise UsageError(f"{what} {value!r} contains the invisible character {hidden}, which no package name or "
                             "version holds (was it pasted from a rendered page?); type it without it")
    root = repository_root(directory)
    ecosystem, sep, name = package.partition(":")
    if not sep or ecosystem not in ECOSYSTEMS:
        name = package
        ecosystem = _infer_ecosystem(directory, package)
    if ecosystem == "pypi":
        name = canonical_pypi_name(name)
    if ledger is None:
        policy_path = policy_file or next((os.path.join(root, p) for p in POLICY_PATHS if os.path.exists(os.path.join(root, p))), None)
        ledger = load_policy_file(policy_path).review.ledger if policy_path else ".github/lockgate-reviews.yml"
        if not ledger:
            raise UsageError("the policy names no review ledger (review.ledger); pass --ledger")
        ledger = os.path.join(root, ledger)
    who = _reviewer(directory, reviewer)
    key = f"{ecosystem}:{name}"
    ledger = _ledger_file(ledger)
    before, after = None if from_version == "-" else from_version, "-" if to_version == "-" else to_version
    recorded_kind = _kind(ecosystem, from_version, to_version, kind)
    refuse_placeholder(reason)
    same = next((e for e in read_ledger(ledger) if e.package.text == key and e.from_version == before
                 and e.to_version == after and e.kind == recorded_kind), None)
    if same is not None:  # run twice (or after --no-stage): the entry is there, written once
        shown, staged, not_staged = _stage(root, ledger, stage, _why_not_stage(root, ledger) if stage else None)
        return RecordedReview(shown, same.line or 0, key, staged, not_staged, already=True)
    blocker = _why_not_stage(root, ledger) if stage else None
    line = append_entry(ledger, key, before, after, who, reason, dt.date.today(), recorded_kind)
    shown, staged, not_staged = _stage(root, ledger, stage, blocker)
    return RecordedReview(shown, line, key, staged, not_staged)


class RecordedBatch(NamedTuple):
    """What ``lockgate review --all-pending`` did: the ledger (relative to the working directory), the entries
    written (each with its line) and the changes left out because the ledger file already holds an entry that
    covers them (each with that entry's line), and whether the ledger was staged (as ``RecordedReview``);
    ``refused``: the changes no entry can name exactly, each with why (they stay waiting)."""

    path: str
    written: tuple[tuple[Change, int], ...]
    present: tuple[tuple[Change, int], ...]
    staged: bool
    not_staged: str | None
    refused: tuple[tuple[Change, str], ...] = ()


def record_reviews(directory: str, changes: Sequence[Change], reason: str, ledger: str, *,
                   reviewer: str | None = None, stage: bool = True) -> RecordedBatch:
    """Record one entry per change in ``ledger`` (a path from the working directory), written once for the batch
    and staged as ``record_review`` stages. A change the ledger file already covers (recorded by an earlier run
    and not yet committed, or staged) is not written twice. Each entry names the change's own kind, and is checked
    to cover exactly its change before anything is written: a change no entry can name so is left out (``refused``)."""
    from checker.review.ledger import append_entries
    from checker.snapshot.trees import repository_root

    refuse_placeholder(reason)
    root = repository_root(directory)
    who = _reviewer(directory, reviewer)
    ledger = _ledger_file(ledger)
    existing = read_ledger(ledger)
    present: list[tuple[Change, int]] = []
    wanted: list[Change] = []
    for change in changes:
        entry = next((e for e in existing if e.covers(change)), None)
        if entry is not None:
            present.append((change, entry.line or 0))
        elif not any(other is change for other in wanted):
            wanted.append(change)
    refused: list[tuple[Change, str]] = []
    new: list[NewEntry] = []
    for change in list(wanted):
        recorded, why = _new_entry(change)
        if recorded is None:
            wanted.remove(change)
            refused.append((change, why))
        else:
            new.append(recorded)
    blocker = _why_not_stage(root, ledger) if stage else None  # read before writing: edits of our own
    lines = append_entries(ledger, new, who, reason, dt.date.today()) if new else []
    shown, staged, not_staged = _stage(root, ledger, stage, blocker)
    return RecordedBatch(shown, tuple(zip(wanted, lines)), tuple(present), staged, not_staged, tuple(refused))


def _new_entry(change: Change) -> tuple[NewEntry | None, str]:
    """The entry that records ``change``, or None and why none can: the batch writes names it did not type, so an
    entry must name exactly its change. A name holding ``*`` or ``?`` (a URL's query, in a git or pre-commit
    source) would be read back as a pattern covering other packages; one holding an invisible character is
    refused by the ledger's reader."""
    from checker.policy.patterns import PackagePattern
    from checker.review.ledger import LedgerEntry

    dep = change.dependency
    before = change.before.display_version() if change.before is not None else None
    after = change.after.display_version() if change.after is not None else "-"
    if "*" in dep.name or "?" in dep.name:
        return None, "its name holds * or ?, which a ledger entry reads as a pattern matching other packages"
    if any(hidden_character(text) for text in (dep.key, before or "", after)):
        return None, "it holds an invisible character, which a ledger entry cannot name"
    # Read back as the ledger's reader will read it (a name holding an @ could split into a name and a version).
    pattern = PackagePattern.parse(dep.key)
    if not LedgerEntry(pattern, before, after, "", "", "", None, "", None, change.kind).covers(change):
        return None, "no ledger entry can name it exactly"
    return NewEntry(dep.key, before, after, change.kind), ""


def _reviewer(directory: str, given: str | None) -> str:
    who = given or _git_config(directory, "github.user") or _git_config(directory, "user.name")
    if not who:
        raise UsageError("cannot tell who reviewed: pass --reviewer or set git config user.name")
    return who


def _ledger_file(ledger: str) -> str:
    """git reads a relative path from the root; the ledger is named from the working directory. The folder is
    resolved (a work tree reached through a symbolic link), the file is not (a linked ledger is staged as a link)."""
    return os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(ledger))), os.path.basename(ledger))


def _stage(root: str, ledger: str, stage: bool, blocker: str | None) -> tuple[str, bool, str | None]:
    """The ledger as shown to the user, whether it is staged and, if it was to be and is not, why not."""
    shown = os.path.relpath(ledger, os.getcwd())
    if not stage:
        return shown, False, None
    if blocker is None:
        blocker = _git_add(root, ledger)
    return shown, blocker is None, blocker


def _git(root: str, *args: str, literal: bool = True) -> subprocess.CompletedProcess[str]:
    """git with every path taken literally: a ledger named ``*`` or ``:(glob)**`` in a policy must stage that one
    file, never every file a pathspec would match (``check-ignore``, which only reads, refuses the option)."""
    return subprocess.run(["git", *(["--literal-pathspecs"] if literal else []), "-C", root, *args],
                          capture_output=True, text=True, check=False)


def _why_not_stage(root: str, ledger: str) -> str | None:
    """Why the ledger must not be staged (read before the entry is appended), or None. Staging a file stages all
    of it: a ledger with edits the user has not staged would carry them into the commit unseen."""
    done = _git(root, "status", "--porcelain=v1", "-z", "--", ledger)
    if done.returncode != 0:
        return "git cannot tell its state"
    status = done.stdout[:2]
    if status and status != "??" and status[1] != " ":
        return "it has other edits that are not staged"
    return None


def _git_add(root: str, ledger: str) -> str | None:
    """Stage the ledger; None when it is staged, else why not."""
    done = _git(root, "add", "--", ledger)
    if done.returncode == 0:
        return None
    if _git(root, "check-ignore", "-q", "--", ledger, literal=False).returncode == 0:
        return "git ignores it"  # not forced in with -f: the ignore rule may be there for a reason
    said = [line for line in done.stderr.splitlines() if line.strip()]
    return "git add failed: " + (said[0] if said else "(no message)")


def _kind(ecosystem: str, from_version: str, to_version: str, given: str | None) -> str:
    """The kind of change the entry reviews: as given, else what FROM and TO say. Two equal versions say nothing
    (new hashes? a new source? another scope?), so the kind must then be given: an entry for one must never pass
    for another."""
    from checker.review.ledger import SAME_VERSION_KINDS
    from checker.model import CHANGE_KINDS
    from checker.versions.compare import compare

    if given is not None and given not in CHANGE_KINDS:
        raise UsageError(f"--kind {given!r} is not a kind of change; expected one of {', '.join(CHANGE_KINDS)}")
    if from_version == "-" or to_version == "-":
        inferred = "added" if from_version == "-" else "removed"
    elif from_version == to_version:
        if given is None:
            raise UsageError(f"{from_version} -> {to_version} keeps the version: say which change you reviewed with "
                             f"--kind ({', '.join(SAME_VERSION_KINDS)})")
        if given not in SAME_VERSION_KINDS:
            raise UsageError(f"--kind {given} changes the version, but FROM and TO are the same")
        return given
    else:
        order = None if from_version == "*" else compare(ecosystem, from_version, to_version)
        inferred = "source-changed" if order is None and from_version != "*" else (
            "downgraded" if order is not None and order > 0 else "upgraded")
        if from_version == "*":
            return given or "upgraded"
    if given is not None and given != inferred and not (given in ("upgraded", "downgraded", "source-changed")
                                                        and inferred in ("upgraded", "downgraded", "source-changed")):
        raise UsageError(f"--kind {given} does not fit {from_version} -> {to_version} ({inferred})")
    return given or inferred
