"""Parser for ``.gitmodules`` and the submodules it names (format "gitmodules", ecosystem ``git``, kind "lock").

A submodule is another repository's code at a fixed commit, checked out into the tree by ``git submodule update``
(and by ``actions/checkout`` with ``submodules: true``). Two things decide what arrives: the ``url`` in the root
``.gitmodules`` (git reads no other) and the commit the tree records at the submodule's path (a gitlink). A pull
request can change either; both are changes here.

One dependency per submodule whose ``path`` is a gitlink of the tree: name = the ``url`` as written (credentials
removed, checker/redaction.py; a relative URL such as ``../lib.git`` is resolved by git against the superproject's
remote, which is no part of the repository, so it stays as written), version = the gitlink's commit, label = the
``branch`` when one is given (``git submodule update --remote`` follows it), source ``git`` (url, branch, commit),
scope ``prod`` (a submodule is code built into the product or run in CI, and a review-skip rule written for dev
tools must not waive it), direct. The commit is read through ``read``: the snapshot gives
``Subproject commit <sha>`` for a gitlink (checker/snapshot/trees.py), so the submodule paths are this format's
includes, and a change of a gitlink alone re-judges the file. A submodule that moves to another commit is
``source-changed`` (commits do not order); one whose ``url`` changes is the old repository removed and the new one
added; one whose ``branch`` changes is ``source-changed``.

The file is read as git reads it (checker/manifests/gitconfig.py), and as git's submodule code interprets it
(submodule-config.c): sections ``[submodule "<name>"]`` (or ``[submodule.<name>]``), entries that add up across
sections of one name, keys ``path``, ``url`` and ``branch``. Not judged, and why:
- an entry whose ``path`` is not a gitlink of the tree: git checks nothing out there;
- a gitlink that no entry names: git cannot clone it (``No url found for submodule path``), and the day an entry
  names it, its commit shows as added.
Reported as problems (unreadable-manifest, so that the file blocks when it changes), since git's behaviour is then
not one thing: a key given twice for one submodule (git keeps the first when it reads a commit's .gitmodules and
the last when it reads the work tree's), two submodules at one path, a name git refuses as path traversal
(CVE-2018-11235), a ``url`` or ``path`` starting with ``-`` (git ignores it: CVE-2018-17456), a gitlink whose
entry has no ``url``, a value with a tab or CR between its characters (git before 2.45 reads a space there), and a
control character in a path.
"""

from __future__ import annotations

import posixpath
import re

from checker.manifests import gitconfig
from checker.model import Dependency, Manifest, Problem, Reader, Source
from checker.redaction import redact_url

FORMAT = "gitmodules"
SCOPE = "prod"
_GITLINK = re.compile(r"Subproject commit ([0-9a-f]{40}(?:[0-9a-f]{24})?)\n")
_KEYS = ("path", "url", "branch")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class _Submodule:
    """What the entries of one submodule name say, key by key, in file order: (value, line) pairs."""

    __slots__ = ("name", "line", "values")

    def __init__(self, name: str, line: int) -> None:
        self.name = name
        self.line = line
        self.values: dict[str, list[tuple[str | None, int]]] = {key: [] for key in _KEYS}


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The submodule paths ``parse`` reads (each a gitlink, when it is one), with the line that names each. A file
    git cannot read names none (``parse`` reports it)."""
    from checker.errors import ManifestError

    try:
        submodules = _submodules(gitconfig.read(text, path))
    except ManifestError:
        return []
    return [(value, line) for submodule in submodules for value, line in submodule.values["path"]
            if value is not None and _is_tree_path(value)]


def parse(text: str, path: str, read: Reader) -> Manifest:
    problems: list[Problem] = []
    dependencies: list[Dependency] = []
    read_paths: list[str] = []
    claimed: dict[str, str] = {}  # gitlink path -> the submodule that names it
    for submodule in _submodules(gitconfig.read(text, path)):
        problems.extend(_ambiguities(submodule))
        if _is_traversal(submodule.name):
            problems.append(Problem(f"submodule {submodule.name!r}: git refuses this name as path traversal and "
                                    "ignores the submodule (CVE-2018-11235)", submodule.line))
            continue
        for where, line in submodule.values["path"]:
            if where is None or not _is_tree_path(where):
                continue
            read_paths.append(where)
            commit = _gitlink_commit(_read(read, where))
            if commit is None:
                continue  # not a gitlink: git checks nothing out at this path
            other = claimed.setdefault(where, submodule.name)
            if other != submodule.name:
                problems.append(Problem(f"submodules {other!r} and {submodule.name!r} both name the path {where!r}: "
                                        "which URL git clones there depends on the command", line))
            if _CONTROL.search(where):
                problems.append(Problem(f"submodule {submodule.name!r}: the path {where!r} holds a control "
                                        "character", line))
            dependencies.extend(_dependencies(submodule, where, commit, path, problems))
    return Manifest(path=path, format=FORMAT, ecosystem="git", dependencies=tuple(dependencies), kind="lock",
                    includes=tuple(dict.fromkeys(read_paths)), problems=tuple(problems))


def _submodules(entries: list[gitconfig.Entry]) -> list[_Submodule]:
    """The submodules the entries describe, by name in order of first appearance. git keys a submodule by the
    subsection of ``submodule.<subsection>.<key>`` and ignores one with an empty name."""
    found: dict[str, _Submodule] = {}
    for entry in entries:
        if entry.section != "submodule" or not entry.subsection or entry.key not in _KEYS:
            continue
        submodule = found.get(entry.subsection)
        if submodule is None:
            submodule = found[entry.subsection] = _Submodule(entry.subsection, entry.line)
        value = entry.value
        if entry.mixed_blanks:
            value = None  # read differently by different gits: reported by _ambiguities, used by neither
        submodule.values[entry.key].append((value, entry.line))
    return list(found.values())


def _ambiguities(submodule: _Submodule) -> list[Problem]:
    problems = []
    for key, values in submodule.values.items():
        distinct = len({value for value, _ in values})
        if distinct > 1:
            problems.append(Problem(f"submodule {submodule.name!r} gives `{key}` {distinct} different values: "
                                    "git keeps the first when it reads a commit's .gitmodules and the last when it "
                                    "reads the work tree's", values[1][1]))
        for value, line in values:
            if value is None:
                problems.append(Problem(f"submodule {submodule.name!r}: `{key}` has no value, or one with a tab or "
                                        "carriage return between its characters (git before 2.45 reads a space "
                                        "there, later versions the character)", line))
            elif value.startswith("-") and key in ("path", "url"):
                problems.append(Problem(f"submodule {submodule.name!r}: `{key}` starts with '-', which git ignores "
                                        "as a possible command-line option (CVE-2018-17456)", line))
    return problems


def _dependencies(submodule: _Submodule, where: str, commit: str, path: str,
                  problems: list[Problem]) -> list[Dependency]:
    urls = [(url, line) for url, line in submodule.values["url"] if url and not url.startswith("-")]
    if not urls:
        problems.append(Problem(f"submodule {submodule.name!r} at {where!r} has no usable `url`: git cannot clone it",
                                submodule.line))
        return []
    branches = [branch for branch, _ in submodule.values["branch"] if branch is not None]
    branch = branches[-1] if branches else None
    first_lines: dict[str, int] = {}
    for url, line in urls:  # several urls (reported as a problem): each is judged
        first_lines.setdefault(url, line)
    found = []
    for url, line in first_lines.items():
        found.append(Dependency(
            ecosystem="git", name=redact_url(url), version=commit, source=Source("git", url=url, ref=branch,
                                                                                  commit=commit),
            scope=SCOPE, direct=True, manifest=path, line=line, label=branch,
        ))
    return found


def _read(read: Reader, where: str) -> str | None:
    """The text at a submodule path; None when it is no text (a binary file, say), which no gitlink ever is."""
    from checker.errors import ManifestError

    try:
        return read(where)
    except ManifestError:
        return None


def _gitlink_commit(text: str | None) -> str | None:
    """The commit of a gitlink as the snapshot reads it; None for anything else (no file, a file, a directory)."""
    if text is None:
        return None
    found = _GITLINK.fullmatch(text)
    return found.group(1) if found is not None else None


def _is_tree_path(value: str) -> bool:
    """Whether ``value`` can be the path of a tree entry: git compares a submodule's ``path`` with the paths of its
    index and tree as they are, and those are always relative, normalised and free of ``..``."""
    return bool(value) and not value.startswith("/") and posixpath.normpath(value) == value and value != "." and \
        not value.startswith("../") and value != ".."


def _is_traversal(name: str) -> bool:
    """git's check_submodule_name: a name with a ``..`` component (either slash separates) is refused."""
    return any(part == ".." for part in re.split(r"[/\\]", name))
