"""The include graph of one snapshot: which files its manifests read in, and what that makes of those files.

A format declares how its files read others (``Format.includes``, see checker/manifests/__init__.py):

- ``"manifests"``: the file read in is a manifest of the same format, judged on its own (pip's ``-r``/``-c``: a
  requirements file reads another requirements file, whatever its name). Such a file is *reached*: it is judged
  wherever it lives, ``paths.ignore`` or not (pip installs it all the same), and from the revision on which it is
  first reached (an include of an old, unchanged file is a change: what it lists is now installed).
- the name of another format (``"requirements"``): the file read in is a manifest of that format, judged on its own
  and reached like a ``"manifests"`` include (tox's ``deps = -r ci/test.pip`` and conda's ``pip: [-r x.txt]`` read
  pip requirements files, whatever their names).
- ``"inputs"`` (or True): the file read in is part of the parse of the file that names it (a patch file a
  package.json names, a submodule's commit). A change to it is a change of that manifest.

A requirements file is installed wherever a file that includes it is: one that its name marks as development-only
(``requirements-dev.txt``) but that a production file reads in is production (``production``), so that a
dev-only review skip cannot launder a production dependency.

Files are found by ``Format.scan_includes``: the same reader as the parse, without the parse.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.errors import LockgateError
from checker.manifests import FORMATS_BY_NAME, MAX_INCLUDED_FILES, Format
from checker.model import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.manifests.collect import SnapshotManifests

# Files reached only through includes in one snapshot (those found by their name are no attack and count for
# nothing), under the bound the requirements parser's own include check also uses.
MAX_REACHED_FILES = MAX_INCLUDED_FILES


class Graph(NamedTuple):
    """What the include graph of one snapshot says.

    reached: files reached only through ``"manifests"`` includes, with their format. inputs: for each manifest
    that reads files into its own parse, those files. production: requirements files whose name says development
    but that a production file reads in. problems: where the walk had to stop (the file holding the include).
    """

    reached: dict[str, Format]
    inputs: dict[str, frozenset[str]]
    production: frozenset[str]
    problems: dict[str, Problem]

    def judged(self, path: str, roots: dict[str, Format]) -> bool:
        return path in roots or path in self.reached


EMPTY = Graph({}, {}, frozenset(), {})


def walk(loader: SnapshotManifests, roots: dict[str, Format]) -> Graph:
    """The include graph from ``roots`` (the manifests found by their names) in the loader's snapshot."""
    readers = {path: fmt for path, fmt in roots.items() if fmt.includes}
    if not readers:
        return EMPTY
    entries = loader.snapshot.entries()
    loader.prefetch([path for path in readers if path in entries])
    reached: dict[str, Format] = {}
    inputs: dict[str, frozenset[str]] = {}
    edges: dict[str, list[str]] = {}
    problems: dict[str, Problem] = {}
    queue = sorted(readers, reverse=True)
    while queue:
        path = queue.pop()
        fmt = roots.get(path) or reached[path]
        targets = _scan(loader, path, fmt)
        reads = fmt if fmt.includes == "manifests" else (
            FORMATS_BY_NAME.get(fmt.includes) if isinstance(fmt.includes, str) else None)
        if reads is None:
            inputs[path] = frozenset(target for target, _ in targets)
            continue
        edges[path] = [target for target, _ in targets]
        for target, line in targets:
            if target in roots or target in reached:
                continue
            if len(reached) >= MAX_REACHED_FILES:
                problems.setdefault(path, Problem(
                    f"more than {MAX_REACHED_FILES} files reached through includes (the next: {target}); lockgate "
                    "stops reading there, so what the rest of the graph installs is not judged", line))
                break
            reached[target] = reads
            queue.append(target)
    return Graph(reached, inputs, _production(roots, reached, edges), problems)


def _scan(loader: SnapshotManifests, path: str, fmt: Format) -> list[tuple[str, int | None]]:
    """The files one file reads in; none when it cannot be read (its own parse reports why)."""
    try:
        text = loader.text(path)
        return fmt.scan_includes(text, path) if text else []
    except LockgateError:
        return []


# Formats whose includes are read for development only: tox installs its deps into test environments.
_DEVELOPMENT_READERS = frozenset({"tox-ini", "tox-toml"})


def _installs_in_production(path: str, fmt: Format, scope_for: Callable[[str], str]) -> bool:
    """Whether what a file reads in is installed in production: a requirements file whose name does not say
    development, or a file of another format that installs what it names (setup.cfg's ``file:`` directives, a
    conda environment), unless that format is a test runner's."""
    if fmt.includes == "manifests":
        return scope_for(path) == "prod"
    return fmt.name not in _DEVELOPMENT_READERS


def _production(roots: dict[str, Format], reached: dict[str, Format], edges: dict[str, list[str]]) -> frozenset[str]:
    """Requirements files that a production file reads in, directly or through others, though their own name says
    development: what they list is installed in production."""
    if not edges:
        return frozenset()
    from checker.manifests.requirements_grammar import scope_for

    files = [path for path in edges.keys() | {t for targets in edges.values() for t in targets}
             if (roots.get(path) or reached.get(path)) is not None]
    production = [path for path in files if _installs_in_production(path, roots.get(path) or reached[path], scope_for)]
    seen = set(production)
    promoted: set[str] = set()
    while production:
        for target in edges.get(production.pop(), ()):
            if target not in seen:
                seen.add(target)
                promoted.add(target)
                production.append(target)
    return frozenset(promoted)
