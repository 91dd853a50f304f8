"""Which files are the gate itself, and a cheap test of whether a change touches one of them.

The policy (``.github/lockgate.yml``), the files its ``extends`` chain reads from the repository, and the review
ledger decide what passes. A pull request that edits them does not change what judges it (the base revision's
policy does), but it changes what will judge every later pull request, so the change is reported (rule
``policy-change``, checker/rules/policy_change.py).

``may_have_changed`` runs on the start-up fast path (a commit touching no manifest), so it must stay cheap: blob ids
where git gives them, no YAML parser, and only the few files a policy can name are ever read. It is a superset
test: True whenever one of those files might differ; the full pipeline then decides exactly (checker/policy/compare.py).
Nothing heavy is imported here.
"""

from __future__ import annotations

import posixpath
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.snapshot.trees import Snapshot

POLICY_PATHS = (".github/lockgate.yml", ".github/lockgate.yaml")
DEFAULT_LEDGER = ".github/lockgate-reviews.yml"
# How far the cheap test follows files named by the policy (an ``extends`` chain is at most 10 deep).
_MAX_SCANNED = 24
# Anything in a policy's text that could name a repository file (``extends: ../base.yml``, ``ledger: x.yml``):
# a run of path characters holding a name with an extension. Runs are found first and then tested, each once; one
# pattern for the whole token rescanned a long run without a dot from each of its positions
# (tests/property/test_linear_time.py).
_PATH_RUN = re.compile(rb"[A-Za-z0-9_.@+~/-]+")
_HAS_EXTENSION = re.compile(rb"[A-Za-z0-9_]\.[A-Za-z0-9_-]")
_NOT_IN_NAMES = re.compile(rb"[@+~]")


def path_tokens(text: bytes) -> set[bytes]:
    """Every word of ``text`` that could be a repository path with an extension: each run of path characters, and
    its parts between ``@``, ``+`` and ``~`` (``base.yml@v1`` may mean ``base.yml``). More words than paths only
    cost a lookup each."""
    found: set[bytes] = set()
    for run in set(_PATH_RUN.findall(text)):
        for word in {run, *_NOT_IN_NAMES.split(run)}:
            if _HAS_EXTENSION.search(word):
                found.add(word)
    return found


def file_changed(base: Snapshot, head: Snapshot, path: str) -> bool:
    """Whether ``path`` differs between the trees (added, removed or modified). Different blob ids settle it;
    equal ones are confirmed by content, which follows a symbolic link to the file it names (a link whose target
    changed keeps its own blob id). A file that cannot be read counts as changed: the full pipeline says why."""
    from checker.errors import SnapshotError

    before, after = base.entries(), head.entries()
    if path not in before and path not in after:
        return False
    if (path in before) != (path in after):
        return True
    if before[path] is not None and after[path] is not None and before[path] != after[path]:
        return True
    try:
        return base.read(path) != head.read(path)
    except SnapshotError:
        return True


def may_have_changed(base: Snapshot, head: Snapshot, policies: tuple[str, ...] = ()) -> bool:
    """True when the policy, a repository file its ``extends`` chain reads, or the review ledger may differ between
    the trees. Cheap: the well-known paths by blob id, then only files the base's policy text names. ``policies``:
    policy files elsewhere in the repository (``--policy ci/policy.yml``), followed like the well-known ones (a
    ledger at a path of its own is only known from the policy that names it)."""
    from checker.errors import SnapshotError

    for path in (*POLICY_PATHS, *policies, DEFAULT_LEDGER):
        if file_changed(base, head, path):
            return True
    entries = base.entries()
    queue = [path for path in dict.fromkeys((*POLICY_PATHS, *policies)) if path in entries]
    seen = set(queue)
    while queue and len(seen) <= _MAX_SCANNED:
        current = queue.pop()
        try:
            text = base.read(current) or b""
        except SnapshotError:
            return True
        for token in path_tokens(text):
            name = token.decode("ascii", "replace")
            for candidate in {posixpath.normpath(name), posixpath.normpath(posixpath.join(posixpath.dirname(current), name))}:
                if candidate in seen or candidate.startswith("../"):
                    continue
                if file_changed(base, head, candidate):
                    return True
                if candidate in entries and candidate.endswith((".yml", ".yaml")):
                    seen.add(candidate)
                    queue.append(candidate)
    return False
