"""Wiring of the pipeline for one run: snapshots -> manifests -> diff -> policy -> Report.

The command line parses arguments into a CheckRequest and hands it here; this module decides nothing about
dependencies itself, it only calls the stages in order.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from checker import __version__
from checker.errors import UsageError
from checker.model import UNKNOWN, Change, Manifest, Report
from checker.policy.watch import POLICY_PATHS
from checker.snapshot.revisions import Snapshots, open_snapshots
from checker.snapshot.trees import EmptySnapshot, Snapshot

if TYPE_CHECKING:
    from collections.abc import Sequence

    from checker.policy.compare import PolicyChange
    from checker.model import Dependency, Facts, Finding
    from checker.policy.load import Policy, ReviewPolicy
    from checker.review.ledger import LedgerEntry

# Set (to anything but 0): the package registries answer from the cache only, as with --offline (GitHub lookups
# are not affected). For air-gapped CI; the test suite sets it so that no test reaches a real registry.
REGISTRY_OFFLINE = "LOCKGATE_REGISTRY_OFFLINE"


class CheckRequest(NamedTuple):
    """What to compare and how to judge it. ``head_mode``: ``rev``, ``staged`` or ``worktree``."""

    directory: str = "."
    base: str | None = None
    head: str | None = None
    head_mode: str = "worktree"
    judge_all: bool = False
    policy_file: str | None = None
    offline: bool = False
    now: dt.datetime | None = None
    paths: tuple[str, ...] = ()
    # The pre-commit hook: registries off unless ``online`` (or the policy's hook.online), and an unknown fact
    # costs what the policy's hook.on-unknown says (warn by default: a local commit is never blocked by a
    # registry that could not be reached unless the policy wants it).
    hook: bool = False
    online: bool = False
    # Who answers GitHub's part of the facts (commit pins, release tags) instead of the API the environment names:
    # a checker.registries.github.GitHubRefs (the demo's shipped answers). None: built from the environment.
    github: Any = None


def _policy_from_snapshot(snapshot: Snapshot) -> Policy:
    from checker.judge.policy_edits import policy_from_snapshot

    return policy_from_snapshot(snapshot)


def load_request_policy(request: CheckRequest, snapshots: Snapshots, policy_tree: Snapshot | None = None) -> Policy:
    """--policy from disk, else the repository's policy as it stands on the base (the head for --all), or on
    ``policy_tree`` when the caller names one (a pull request compared from its merge base: the base branch's tip)."""
    from checker.policy.load import load_policy_file

    if request.policy_file:
        return load_policy_file(request.policy_file)
    if policy_tree is not None and not isinstance(policy_tree, EmptySnapshot):
        return _policy_from_snapshot(policy_tree)
    source = snapshots.head if request.judge_all or isinstance(snapshots.base, EmptySnapshot) else snapshots.base
    return _policy_from_snapshot(source)


def _restrict(manifests: list[Manifest], paths: tuple[str, ...]) -> list[Manifest]:
    from checker.manifests.collect import under_any

    return [m for m in manifests if under_any(m.path, paths)]


def _relative_paths(request: CheckRequest, root_of: str) -> tuple[str, ...]:
    """PATH arguments are relative to the working directory; manifests are named from the repository root."""
    out = []
    for path in request.paths:
        full = os.path.realpath(os.path.join(request.directory, path))
        rel = os.path.relpath(full, root_of)
        if rel.startswith(".."):
            raise UsageError(f"{path} is outside the repository")
        out.append("" if rel == "." else rel.replace(os.sep, "/"))
    return tuple(out)


def _refuse_unknown_paths(request: CheckRequest, snapshots: Snapshots) -> None:
    """A PATH that names no file or folder on disk or in either revision is a mistake (a typo, or a revision written
    where a path goes: ``lockgate diff main HEAD``). Taken as it is, it would restrict the run to nothing and pass."""
    for shown, path in zip(request.paths, _relative_paths(request, snapshots.root)):
        if path == "" or os.path.lexists(os.path.join(snapshots.root, path)):
            continue
        folder = path + "/"
        if any(path in entries or any(name.startswith(folder) for name in entries)
               for entries in (snapshots.base.entries(), snapshots.head.entries())):
            continue
        raise UsageError(
            f"{shown}: no such file or folder on disk, in {snapshots.base_label} or in {snapshots.head_label} "
            "(PATH arguments restrict the run to the manifests under them; revisions go after --base and --head)"
        )


def compute_changes(request: CheckRequest, snapshots: Snapshots, ignore: tuple[str, ...]) -> tuple[list[Manifest], list[Manifest], list[Change]]:
    from checker.manifests.collect import load_changed
    from checker.diff.changes import diff

    base, head = load_changed(snapshots.base, snapshots.head, ignore)
    paths = _relative_paths(request, snapshots.root)
    base, head = _restrict(base, paths), _restrict(head, paths)
    return base, head, diff(base, head)


def _ledger(policy: Policy, snapshots: Snapshots, local: bool, tree: Snapshot | None = None) -> tuple[LedgerEntry, ...]:
    """The review ledger as evidence. Judging revisions (a pull request), only the base's ledger counts: a
    change cannot approve itself. Judging local work (the index or the work tree, before a commit), the
    ledger being committed counts too: a developer may record the review in the same commit."""
    from checker.manifests.collect import decode
    from checker.review.ledger import parse_ledger

    path = policy.review.ledger
    source = tree or (snapshots.head if local else snapshots.base)
    if not path or isinstance(source, EmptySnapshot):
        return ()
    data = source.read(path)
    if data is None:
        return ()
    return parse_ledger(decode(data, path), path)


def network_allowed(request: CheckRequest, policy: Policy) -> bool:
    """Whether registries may be asked: never with --offline; in the hook only with --online or the policy's
    hook.online (a commit must not wait on the network by default)."""
    if request.offline:
        return False
    if request.hook:
        return request.online or policy.hook.online
    return True


def _previous_versions(changes: Sequence[Change]) -> dict[tuple[str, str, str], set[str]]:
    """For each version an upgrade or downgrade brings, the versions it moves from (the facts stage reads their
    licenses, so that a relicensing shows, and their advisories, so that the vulnerability rule says what a change
    fixes)."""
    found: dict[tuple[str, str, str], set[str]] = {}
    for change in changes:
        if change.kind in ("upgraded", "downgraded") and change.before is not None and change.after is not None:
            after = change.after
            found.setdefault((after.ecosystem, after.name, after.version or ""), set()).add(change.before.version or "")
    return found


def _facts(request: CheckRequest, policy: Policy, dependencies: list[Dependency], now: dt.datetime,
           trusted: Snapshot | None = None,
           previous: dict[tuple[str, str, str], set[str]] | None = None) -> dict[tuple[str, str, str], Facts]:
    """The facts stage for the dependencies a run judges: registry facts of PyPI and npm versions (release time,
    existence, hashes, provenance), OSV's advisories, and GitHub refs of commit-pinned actions. Offline (``network_allowed``) the
    registries answer from the cache only; what it does not hold is unknown. Nothing is looked up for rules that
    are off. ``trusted``: the revision whose ``.npmrc`` may name registries and credentials (never the head of a
    pull request, which could point a token at a host of its choosing)."""
    from checker.registries.stage import REGISTRY_RULES, osv_wanted, scorecard_wanted
    from checker.rules.base import asks_registry, osv_version

    wanted = policy.rules["pin-comment"].level != "off" or (
        any(policy.rules[r].level != "off" for r in REGISTRY_RULES) and any(asks_registry(d) for d in dependencies)
    ) or (osv_wanted(policy) and any(osv_version(d) is not None for d in dependencies)) or (
        scorecard_wanted(policy) and any(d.ecosystem == "actions" for d in dependencies))
    if not dependencies or not wanted:
        return {}
    from checker.registries.stage import gather_facts

    npmrc: list[str | None] = []
    if trusted is not None and not isinstance(trusted, EmptySnapshot) and any(d.ecosystem == "npm" for d in dependencies):
        data = trusted.read(".npmrc")
        npmrc.append(data.decode("utf-8", "replace") if data is not None else None)
    offline = not network_allowed(request, policy)
    return gather_facts(dependencies, offline=offline, policy=policy, now=now, npmrc=npmrc, previous=previous,
                        registries_offline=offline or os.environ.get(REGISTRY_OFFLINE, "").strip() not in ("", "0"),
                        github=request.github)


def _facts_tuple(facts: dict[tuple[str, str, str], Facts], judged: Iterable[Dependency]) -> tuple[Facts, ...]:
    """Report.facts: the facts of the versions the run judged (``judged``; not those of the versions changes move
    off, asked only for the vulnerability rule's "fixes" line), PyPI and npm ones and actions (their tags' commits
    and their advisories), in a stable order. Other ecosystems' facts stay with the rules."""
    from checker.rules.base import REGISTRY_ECOSYSTEMS

    keys = {(dep.ecosystem, dep.name, dep.version or "") for dep in judged}
    return tuple(facts[key] for key in sorted(facts) if key in keys and key[0] in (*REGISTRY_ECOSYSTEMS, "actions"))


def empty_report(snapshots: Snapshots, policy_label: str | None) -> Report:
    return Report(snapshots.base_label, snapshots.head_label, (), (), (), "pass", policy_label, False, __version__)


def _open(request: CheckRequest) -> Snapshots:
    return open_snapshots(request.directory, request.base, request.head, request.head_mode, request.judge_all)


def _pull_request_evidence(provider: Callable[[ReviewPolicy], str | None] | None, changes: list[Change],
                           policy: Policy, ledger: tuple[LedgerEntry, ...],
                           policy_changes: tuple[PolicyChange, ...] = ()) -> str | None:
    """Ask the GitHub layer for pull-request evidence, only when a change still waits for a review after the
    ledger, or the policy or ledger itself changed (most pull requests need no API call for it)."""
    if provider is None:
        return None
    if policy.rules["policy-change"].level != "off" and any(not c.diff.empty for c in policy_changes):
        return provider(policy.review)
    if not changes or policy.rules["review"].level == "off":
        return None
    from checker.review.decision import review_statuses

    if not any(status.state == "required" for status in review_statuses(changes, policy.review, ledger)):
        return None
    return provider(policy.review)


def _policy_changes(request: CheckRequest, snapshots: Snapshots, judging: Policy,
                    policy_tree: Snapshot | None) -> tuple[PolicyChange, ...]:
    """Edits of the policy and the ledger between the compared trees (what the change itself does to the gate;
    with a ``policy_tree`` that differs from the compared base, the base branch's own later edits are not the
    change's). ``judging``: the policy that judges the run, reused when it was read from the compared base."""
    from checker.judge.policy_edits import detect_policy_changes, relative_policy_path

    paths: tuple[str, ...] = POLICY_PATHS
    if request.policy_file:
        inside = relative_policy_path(request.policy_file, snapshots.root, request.directory)
        paths = (inside,) if inside else POLICY_PATHS
    same_tree = not request.policy_file and (policy_tree is None or policy_tree is snapshots.base)
    return detect_policy_changes(snapshots.base, snapshots.head, before=judging if same_tree else None, paths=paths)


def run_check(
    request: CheckRequest,
    snapshots: Snapshots | None = None,
    *,
    review_evidence: Callable[[ReviewPolicy], str | None] | None = None,
    policy_tree: Snapshot | None = None,
) -> Report:
    """Judge a request and return the Report (the caller renders it and picks the exit code).

    ``snapshots``: already opened by the caller (the start-up fast path); closed here either way.
    ``review_evidence``: called with the policy's review section when a change needs a review that the ledger
    does not give; returns what counts as the pull request's review (``lockgate pr``), or None.
    ``policy_tree``: where the policy and the ledger are read, when not the base (``lockgate pr``)."""
    from checker.manifests.collect import nothing_to_compare
    from checker.policy.watch import may_have_changed

    snapshots = snapshots or _open(request)
    try:
        _refuse_unknown_paths(request, snapshots)
        if (not request.judge_all and not request.policy_file and nothing_to_compare(snapshots.base, snapshots.head)
                and not may_have_changed(snapshots.base, snapshots.head)):
            return empty_report(snapshots, None)
        policy = loaded = load_request_policy(request, snapshots, policy_tree)
        if request.hook:
            policy = policy._replace(on_unknown=policy.hook.on_unknown)
        now = request.now or dt.datetime.now(dt.timezone.utc)
        from checker.judge.engine import judge

        if request.judge_all:
            from checker.manifests.collect import load_all

            paths = _relative_paths(request, snapshots.root)
            head = _restrict(load_all(snapshots.head, policy.ignore, paths), paths)
            every = [dep for manifest in head for dep in manifest.dependencies]
            facts = _facts(request, policy, every, now, snapshots.head)
            judgement = judge([], [], head, policy, today=now.date(), judge_all=True, facts=facts)
            return Report(
                snapshots.base_label, snapshots.head_label, (), judgement.findings, (), judgement.verdict,
                policy.source, True, __version__, _facts_tuple(facts, every),
            )
        base, head, changes = compute_changes(request, snapshots, policy.ignore)
        policy_changes = _policy_changes(request, snapshots, loaded, policy_tree)
        ledger = _ledger(policy, snapshots, local=request.head_mode != "rev", tree=policy_tree) if changes else ()
        pull_request = _pull_request_evidence(review_evidence, changes, policy, ledger, policy_changes)
        trusted = policy_tree if policy_tree is not None else (
            snapshots.head if isinstance(snapshots.base, EmptySnapshot) else snapshots.base)
        judged = [change.after for change in changes if change.after is not None]
        facts = _facts(request, policy, judged, now, trusted, previous=_previous_versions(changes))
        judgement = judge(
            changes, base, head, policy, today=now.date(), ledger=ledger, facts=facts, pull_request_evidence=pull_request,
            policy_changes=policy_changes, local=request.head_mode != "rev",
        )
        return Report(
            snapshots.base_label, snapshots.head_label, tuple(changes), judgement.findings, judgement.reviews,
            judgement.verdict, policy.source, False, __version__, _facts_tuple(facts, judged),
        )
    finally:
        snapshots.close()


def run_diff(request: CheckRequest) -> Report:
    """Changes only, no judgement (``lockgate diff``)."""
    from checker.manifests.collect import nothing_to_compare
    from checker.model import ReviewStatus

    snapshots = _open(request)
    try:
        _refuse_unknown_paths(request, snapshots)
        if nothing_to_compare(snapshots.base, snapshots.head):
            return empty_report(snapshots, None)
        ignore: tuple[str, ...] = ()
        policy_label = None
        if request.policy_file or any(snapshots.base.read(p) is not None for p in POLICY_PATHS):
            policy = load_request_policy(request, snapshots)
            ignore, policy_label = policy.ignore, policy.source
        _, head, changes = compute_changes(request, snapshots, ignore)
        reviews = tuple(ReviewStatus("not-required") for _ in changes)
        unreadable = unreadable_findings(head)
        return Report(snapshots.base_label, snapshots.head_label, tuple(changes), unreadable, reviews,
                      "block" if unreadable else "pass", policy_label, False, __version__)
    finally:
        snapshots.close()


def unreadable_findings(manifests: list[Manifest]) -> tuple[Finding, ...]:
    """What ``lockgate diff`` says of the manifests it could not read: one finding per problem, so that a file it
    cannot see into never passes as "no change"."""
    from checker.model import Finding
    from checker.redaction import redact_credentials

    return tuple(Finding("unreadable-manifest", "block" if problem.changed else "warn", redact_credentials(problem.message),
                         manifest=manifest.path, line=problem.line)
                 for manifest in manifests for problem in manifest.problems)


def exit_code(report: Report) -> int:
    """0 pass or warn, 1 blocked, 3 blocked only because facts could not be obtained."""
    if report.verdict != "block":
        return 0
    blocking = [f for f in report.findings if f.counts and f.level == "block"]
    if blocking and all(f.unknown for f in blocking):
        return 3
    return 1
