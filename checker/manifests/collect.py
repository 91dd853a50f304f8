"""Find the manifests of a snapshot and parse them: the bridge between the snapshot and manifests stages.

For a pair of snapshots only the manifests whose content differs are parsed: a 1.5 MB lockfile that a pull
request did not touch costs a blob-id comparison, not a parse. A requirements file can pull in files of any
name (``-r base.pip``); those join the manifests through the include graph.
"""

from __future__ import annotations

import re
from checker.manifests import includes
from checker.errors import LockgateError, ManifestError, UnreadableFile, printable
from checker.snapshot.globs import path_matches
from checker.manifests import Format, format_for

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.model import Manifest
    from checker.snapshot.trees import Snapshot



def decode(data: bytes, path: str) -> str:
    """Manifest bytes as text: UTF-8 (a BOM is dropped); binary data or another encoding is an error."""
    if b"\0" in data[:65536]:
        raise ManifestError("binary data, expected a text file", path, data.count(b"\n", 0, data.index(b"\0")) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ManifestError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path, line) from None
    return text[1:] if text.startswith("\ufeff") else text


class SnapshotManifests:
    """Parses manifests of one snapshot on demand, each at most once; includes are read from the same snapshot.

    A file that cannot be read as its format requires becomes an *unreadable* manifest (kind ``unreadable``, no
    dependencies, one Problem saying why and where): one broken file never stops the judging of the others, and
    the unreadable-manifest rule reports it."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._texts: dict[str, str | None] = {}
        self._parsed: dict[tuple[str, bool], Manifest] = {}

    def prefetch(self, paths: list[str]) -> None:
        """Read several files in one go (one cat-file round trip instead of one per file). A file that cannot be
        read is left for ``text`` to report."""
        wanted = [p for p in paths if p not in self._texts]
        try:
            found = self.snapshot.read_many(wanted)
        except UnreadableFile:
            return  # one of them: each is read again on its own, and the one that fails says so
        for path, data in found.items():
            try:
                self._texts[path] = None if data is None else decode(data, path)
            except ManifestError:
                pass  # read again by ``text``, which raises it where the file is parsed

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            data = self.snapshot.read(path)
            self._texts[path] = None if data is None else decode(data, path)
        return self._texts[path]

    def text_or_problem(self, path: str, fmt: Format | None = None) -> str | None:
        """The text, or for a file that cannot be read its content id and the reason (the revisions are compared by
        it: an unchanged unreadable file is no change, but two different files that fail alike — two binary
        lockfiles — differ). A file whose content cannot be told at all is never equal to anything."""
        try:
            if fmt is not None and fmt.binary:
                return self._binary(path)
            return self.text(path)
        except (ManifestError, UnreadableFile) as error:
            identity = self.snapshot.content_id(path)
            return f"\0unreadable {identity or object()!r}: {error}"

    def parse(self, path: str, fmt: Format, memo: dict | None = None, production: bool = False) -> Manifest | None:
        """The manifest at ``path``, or None when the snapshot has no such file. ``memo`` is shared with the
        parse of the same file in the other revision (see ``checker.manifests``). ``production``: a development
        requirements file that a production file reads in (checker/manifests/includes.py)."""
        if (path, production) in self._parsed:
            return self._parsed[(path, production)]
        try:
            manifest = self._parse(path, fmt, memo)
        except (ManifestError, UnreadableFile) as error:
            manifest = unreadable(path, fmt, error)
        if manifest is None:
            return None
        if production:
            manifest = manifest._replace(dependencies=tuple(
                dep if dep.scope == "prod" else dep._replace(scope="prod") for dep in manifest.dependencies))
        self._parsed[(path, production)] = manifest
        return manifest

    def _binary(self, path: str) -> str | None:
        data = self.snapshot.read(path)
        return None if data is None else data.decode("latin-1")

    def _parse(self, path: str, fmt: Format, memo: dict | None) -> Manifest | None:
        text = self._binary(path) if fmt.binary else self.text(path)
        if text is None:
            return None
        _refuse_control_characters(path, "the file name", path, None)
        try:
            manifest = fmt.parse(text, path, self.text, memo)
        except LockgateError:
            raise
        except RecursionError:
            raise ManifestError(f"nested too deeply to read as {fmt.name}", path) from None
        except Exception as exc:  # a parser bug must still end in a clear message, never a traceback
            raise ManifestError(
                f"could not be read as {fmt.name} ({type(exc).__name__}: {exc}); please report this to lockgate",
                path,
            ) from None
        _check_names(manifest)
        return manifest


def unreadable(path: str, fmt: Format, error: LockgateError) -> Manifest:
    """The manifest of a file that cannot be read at all: no dependencies, and the reason as its Problem (the line
    is the file's own when the error is in it; an error in a file it reads in names that file)."""
    message = error.message
    line = error.line
    if error.path and printable(error.path) != printable(path):
        message = f"{printable(error.path)}{f':{error.line}' if error.line else ''}: {message}"
        line = None
    elif error.path is None and isinstance(error, UnreadableFile):
        line = None
    if isinstance(error, UnreadableFile) and message.startswith(f"{path}: "):
        message = message[len(path) + 2:]
    from checker.model import Manifest, Problem

    # A path that is not text (bytes that are not UTF-8, kept as lone surrogates) is shown escaped: the reports
    # print and encode it.
    return Manifest(printable(path), fmt.name, fmt.ecosystem, (), kind="unreadable",
                    problems=(Problem(printable(message), line),))


# Characters that make a value display as something else (ANSI escapes, bidi overrides such as U+202E, zero-width
# characters, line breaks, NUL). No registry allows them in a package name or version, and no file of a project
# needs them in its name; a pull request that brings one is up to something. Tabs are left alone. Lone surrogates
# too: a file name that is not UTF-8 (git allows any bytes; checker/snapshot/trees.py keeps them as U+DC80-U+DCFF) or a
# JSON escape such as "\ud800" is not text, and would fail later, where it is printed or encoded.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]")


def _refuse_control_characters(value: str, what: str, path: str, line: int | None) -> None:
    found = _CONTROL.search(value)
    if found is not None and "\ud800" <= found.group() <= "\udfff":
        code = ord(found.group())
        why = (f"is not valid UTF-8 (byte 0x{code - 0xDC00:02x})" if code >= 0xDC80
               else f"contains the lone surrogate U+{code:04X}, which is not text")
        raise ManifestError(f"{what} '{printable(value)}' {why}: refusing a name lockgate cannot show as it is",
                            printable(path), line)
    if found is not None:
        raise ManifestError(
            f"{what} {value!r} contains the control character U+{ord(found.group()):04X}: refusing a name that can "
            "display as another",
            path,
            line,
        )


def _check_names(manifest: Manifest) -> None:
    """Every dependency's name, version and version comment free of control characters. One search over all of
    them joined (a 50,000-entry lockfile costs a few milliseconds); only when it finds one is the culprit looked for."""
    dependencies = manifest.dependencies
    if not dependencies:
        return
    joined = " ".join([d.name for d in dependencies] + [d.version or "" for d in dependencies]
                      + [d.label or "" for d in dependencies])
    if joined.isprintable() or _CONTROL.search(joined) is None:  # isprintable: a C loop, and true for nearly all
        return
    for dependency in dependencies:
        where = (manifest.path, dependency.line)
        _refuse_control_characters(dependency.name, "package name", *where)
        _refuse_control_characters(dependency.version or "", f"{dependency.name}: version", *where)
        _refuse_control_characters(dependency.label or "", f"{dependency.name}: version comment", *where)


def candidate_paths(snapshot: Snapshot, ignore: tuple[str, ...]) -> dict[str, Format]:
    """Every path whose name says it is a manifest, minus the ignored ones and the submodules (a submodule at
    ``requirements.txt`` is a submodule, judged through .gitmodules, not a requirements file)."""
    found: dict[str, Format] = {}
    gitlinks: frozenset[str] | None = None
    for path in snapshot.entries():
        fmt = format_for(path)
        if fmt is not None and not (ignore and path_matches(path, ignore)):
            if gitlinks is None:
                gitlinks = snapshot.gitlinks()
            if path not in gitlinks:
                found[path] = fmt
    return found


def under_any(path: str, prefixes: tuple[str, ...]) -> bool:
    """Whether a repository path is one of ``prefixes`` or inside one (no prefixes, or ``.``: everything)."""
    if not prefixes:
        return True
    for prefix in prefixes:
        prefix = prefix.strip("/")
        if prefix in ("", ".") or path == prefix or path.startswith(prefix + "/"):
            return True
    return False


def load_all(snapshot: Snapshot, ignore: tuple[str, ...], paths: tuple[str, ...] = ()) -> list[Manifest]:
    """Every manifest of a snapshot (``check --all``), or those under ``paths``: a file elsewhere is not even
    read, so a broken manifest outside the paths asked about cannot stop the run. Files that those manifests
    include are read wherever they are, ``paths.ignore`` or not (checker/manifests/includes.py)."""
    loader = SnapshotManifests(snapshot)
    found = {path: fmt for path, fmt in candidate_paths(snapshot, ignore).items() if under_any(path, paths)}
    loader.prefetch(sorted(found))
    graph = includes.walk(loader, found)
    manifests = []
    for path, fmt in sorted({**graph.reached, **found}.items()):
        manifest = loader.parse(path, fmt, production=path in graph.production)
        if manifest is not None:
            manifests.append(_with_graph_problem(manifest, graph))
    return manifests


def load_changed(base: Snapshot, head: Snapshot, ignore: tuple[str, ...]) -> tuple[list[Manifest], list[Manifest]]:
    """The manifests that differ between two snapshots, parsed on each side where they are judged.

    A manifest is parsed when its text differs, when a file it reads into its parse differs, when an include
    starts or stops reaching it, or when an include changes whether it is installed in production (see
    checker/manifests/includes.py). A side on which a file is not judged (not there, or there but not yet reached through
    an include) is left out, so everything the file lists is added (or removed)."""
    base_entries, head_entries = base.entries(), head.entries()
    loaders = [SnapshotManifests(base), SnapshotManifests(head)]
    base_roots, head_roots = candidate_paths(base, ignore), candidate_paths(head, ignore)
    found = {**base_roots, **head_roots}
    differs = _differs(base_entries, head_entries)
    graphs = (includes.EMPTY, includes.EMPTY)
    if _includes_matter(found, base_entries, head_entries):
        graphs = (includes.walk(loaders[0], base_roots), includes.walk(loaders[1], head_roots))
        found = {**graphs[0].reached, **graphs[1].reached, **found}
    candidates = sorted(path for path in found if differs(path) or _graph_moves(path, graphs, base_roots, head_roots))
    _prefetch_both(loaders, [p for p in candidates if p in base_entries], [p for p in candidates if p in head_entries])
    base_out: list[Manifest] = []
    head_out: list[Manifest] = []
    for path in candidates:
        fmt = found[path]
        judged = (graphs[0].judged(path, base_roots), graphs[1].judged(path, head_roots))
        production = (path in graphs[0].production, path in graphs[1].production)
        inputs = graphs[0].inputs.get(path, frozenset()) | graphs[1].inputs.get(path, frozenset())
        inputs_changed = any(differs(other) for other in inputs)
        before_text = loaders[0].text_or_problem(path, fmt) if judged[0] else None
        after_text = loaders[1].text_or_problem(path, fmt) if judged[1] else None
        if before_text == after_text and production[0] == production[1] and not inputs_changed:
            continue
        memo: dict = {}  # the head's parse may reuse what the base's parse built
        before = loaders[0].parse(path, fmt, memo, production[0]) if judged[0] else None
        after = loaders[1].parse(path, fmt, memo, production[1]) if judged[1] else None
        if before is not None:
            base_out.append(_with_graph_problem(before, graphs[0]))
        if after is not None:
            after = _with_graph_problem(after, graphs[1])
            if before_text == after_text and not inputs_changed and after.problems:
                after = after._replace(problems=tuple(p._replace(changed=False) for p in after.problems))
            head_out.append(after)
    return base_out, head_out


def _differs(base_entries: dict[str, str | None], head_entries: dict[str, str | None]) -> Callable[[str], bool]:
    """Whether a path may differ between the two trees: absent on one side, different content ids, or ids unknown
    (the work tree): the texts then decide."""

    def differs(path: str) -> bool:
        before = base_entries.get(path)
        return before is None or before != head_entries.get(path)

    return differs


def _graph_moves(path: str, graphs: tuple[includes.Graph, includes.Graph], base_roots: dict[str, Format],
                 head_roots: dict[str, Format]) -> bool:
    """Whether the include graphs of the two trees judge a file differently: reached on one side only, promoted
    to production on one side only, or reading another set of files."""
    base_graph, head_graph = graphs
    return (
        base_graph.judged(path, base_roots) != head_graph.judged(path, head_roots)
        or (path in base_graph.production) != (path in head_graph.production)
        or bool(base_graph.inputs.get(path, frozenset()) ^ head_graph.inputs.get(path, frozenset()))
        or path in base_graph.inputs or path in head_graph.inputs
    )


def _with_graph_problem(manifest: Manifest, graph: includes.Graph) -> Manifest:
    problem = graph.problems.get(manifest.path)
    return manifest if problem is None else manifest._replace(problems=manifest.problems + (problem,))


def _prefetch_both(loaders: list[SnapshotManifests], base_paths: list[str], head_paths: list[str]) -> None:
    """Read the base's and the head's files at the same time, the head's in a second thread. Reading is mostly
    waiting for ``git cat-file`` to inflate each blob, and the snapshots of a run have a reader each
    (revisions.Snapshots): both sides of a large lockfile arrive in about the time of one (``benchmarks/scale.py``).
    An error of the base is the one reported when both sides fail, as when they were read one after the other."""
    if not base_paths or not head_paths:
        loaders[0].prefetch(base_paths)
        loaders[1].prefetch(head_paths)
        return
    import threading  # already loaded: subprocess imports it

    failed: list[BaseException] = []

    def read_head() -> None:
        try:
            loaders[1].prefetch(head_paths)
        except BaseException as error:  # raised in the caller's thread below
            failed.append(error)

    worker = threading.Thread(target=read_head, name="lockgate-read-head", daemon=True)
    worker.start()
    try:
        loaders[0].prefetch(base_paths)
    finally:
        worker.join()
    if failed:
        raise failed[0]


def _includes_matter(found: dict[str, Format], base_entries: dict[str, str | None],
                     head_entries: dict[str, str | None]) -> bool:
    """Whether the include graphs must be walked: some manifest found reads other files, and something changed.
    (Scanning every requirements file of a repository for includes is cheap, ``benchmarks/suite.py``'s warehouse
    rows: no cheaper guess is worth its false negatives, such as a file reached through another that did not
    change.)"""
    if not any(fmt.includes for fmt in found.values()):
        return False
    differs = _differs(base_entries, head_entries)
    return any(differs(path) for path in base_entries.keys() | head_entries.keys())


def nothing_to_compare(base: Snapshot, head: Snapshot) -> bool:
    """True when no manifest can differ: every manifest path has the same blob on both sides and no file a
    manifest reads in changed. Decided from blob ids alone where git provides them, so a commit that touches no
    manifest is judged without reading or parsing anything (unless some manifest reads other files: then the
    head's include graph is walked). The head's graph suffices: the manifests found are the same on both sides,
    so the first changed file on any chain of includes of the base is reached on the head too."""
    base_entries, head_entries = base.entries(), head.entries()
    found = candidate_paths(base, ())
    found.update(candidate_paths(head, ()))
    differs = _differs(base_entries, head_entries)
    for path in found:
        if differs(path):
            return False
    if not any(fmt.includes for fmt in found.values()):
        return True
    changed = {path for path in base_entries.keys() | head_entries.keys() if differs(path)}
    if not changed:
        return True
    graph = includes.walk(SnapshotManifests(head), {p: f for p, f in found.items() if p in head_entries})
    read_in = set(graph.reached).union(*graph.inputs.values())
    return not any(_touched(path, head, changed) for path in read_in)


def _touched(path: str, snapshot: Snapshot, changed: set[str]) -> bool:
    """Whether a file read in changed: the file, the file a link in its path leads to, or a link on the way."""
    if path in changed or snapshot.resolve(path) in changed:
        return True
    parts = path.split("/")
    return any("/".join(parts[:end]) in changed for end in range(1, len(parts)))
