"""Find the manifests of a snapshot and parse them: the bridge between the snapshot and manifests stages.

For a pair of snapshots only the manifests whose content differs are parsed: a 1.5 MB lockfile that a pull
request did not touch costs a blob-id comparison, not a parse. A requirements file can pull in files of any
name (``-r base.pip``); those join the manifests through the include graph.
"""

from __future__ import annotations

import posixpath
import re
from checker.errors import LockgateError, ManifestError, printable
from checker.globs import path_matches
from checker.manifests import FORMATS_BY_NAME, Format, format_for

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.model import Manifest
    from checker.snapshot import Snapshot

_INCLUDE = re.compile(r"^[ \t]*(?:-r|-c|--requirement|--constraint)(?:[ \t]*=[ \t]*|[ \t]+)(\S+)", re.MULTILINE)
_REQUIREMENTS = FORMATS_BY_NAME["requirements"]
MAX_INCLUDE_FILES = 200


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
    """Parses manifests of one snapshot on demand, each at most once; includes are read from the same snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._texts: dict[str, str | None] = {}
        self._parsed: dict[str, Manifest] = {}

    def prefetch(self, paths: list[str]) -> None:
        """Read several files in one go (one cat-file round trip instead of one per file)."""
        wanted = [p for p in paths if p not in self._texts]
        for path, data in self.snapshot.read_many(wanted).items():
            self._texts[path] = None if data is None else decode(data, path)

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            data = self.snapshot.read(path)
            self._texts[path] = None if data is None else decode(data, path)
        return self._texts[path]

    def parse(self, path: str, fmt: Format, memo: dict | None = None) -> Manifest | None:
        """The manifest at ``path``, or None when the snapshot has no such file. ``memo`` is shared with the
        parse of the same file in the other revision (see ``checker.manifests``)."""
        if path in self._parsed:
            return self._parsed[path]
        text = self.text(path)
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
        self._parsed[path] = manifest
        return manifest


# Characters that make a value display as something else (ANSI escapes, bidi overrides such as U+202E, zero-width
# characters, line breaks, NUL). No registry allows them in a package name or version, and no file of a project
# needs them in its name; a pull request that brings one is up to something. Tabs are left alone. Lone surrogates
# too: a file name that is not UTF-8 (git allows any bytes; checker/snapshot.py keeps them as U+DC80-U+DCFF) or a
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


def candidate_paths(entries: dict[str, str | None], ignore: tuple[str, ...]) -> dict[str, Format]:
    """Every path whose name says it is a manifest, minus the ignored ones."""
    found: dict[str, Format] = {}
    for path in entries:
        fmt = format_for(path)
        if fmt is not None and not (ignore and path_matches(path, ignore)):
            found[path] = fmt
    return found


def _scan_includes(loader: SnapshotManifests, path: str) -> list[tuple[str, int]]:
    """The files a requirements file includes, with the line of each ``-r``/``-c``, found by a cheap scan (no full
    parse)."""
    text = loader.text(path)
    if not text:
        return []
    base = posixpath.dirname(path)
    targets = []
    for match in _INCLUDE.finditer(text):
        target = posixpath.normpath(posixpath.join(base, match.group(1)))
        if not (target.startswith("../") or target == ".." or "://" in match.group(1)):
            targets.append((target, text.count("\n", 0, match.start()) + 1))
    return targets


def add_includes(loaders: list[SnapshotManifests], found: dict[str, Format], ignore: tuple[str, ...]) -> None:
    """Add files reached through ``-r``/``-c`` from requirements files, whatever their names, transitively."""
    queue = [path for path, fmt in found.items() if fmt is _REQUIREMENTS]
    seen = set(queue)
    reached = 0  # files found only through includes: those found by name are no attack and count for nothing
    for loader in loaders:
        loader.prefetch([path for path in queue if path in loader.snapshot.entries()])
    while queue:
        path = queue.pop()
        for loader in loaders:
            for target, line in _scan_includes(loader, path):
                if target in seen or (ignore and path_matches(target, ignore)):
                    continue
                seen.add(target)
                reached += 1
                if reached > MAX_INCLUDE_FILES:
                    raise ManifestError(
                        f"more than {MAX_INCLUDE_FILES} files reached through -r/-c includes (the last: {target})",
                        path,
                        line,
                    )
                if target not in found:
                    found[target] = _REQUIREMENTS
                queue.append(target)


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
    include are read wherever they are."""
    loader = SnapshotManifests(snapshot)
    found = {path: fmt for path, fmt in candidate_paths(snapshot.entries(), ignore).items() if under_any(path, paths)}
    loader.prefetch(sorted(found))
    add_includes([loader], found, ignore)
    manifests = [loader.parse(path, fmt) for path, fmt in sorted(found.items())]
    return [m for m in manifests if m is not None]


def load_changed(base: Snapshot, head: Snapshot, ignore: tuple[str, ...]) -> tuple[list[Manifest], list[Manifest]]:
    """The manifests that differ between two snapshots, parsed on each side where they exist."""
    base_entries, head_entries = base.entries(), head.entries()
    loaders = [SnapshotManifests(base), SnapshotManifests(head)]
    found = candidate_paths(base_entries, ignore)
    found.update(candidate_paths(head_entries, ignore))
    changed = _unrecognised_changes(base_entries, head_entries, found)
    if changed and _named_by_requirements([base, head], found, changed):
        add_includes(loaders, found, ignore)
    differing = sorted(
        path for path in found if base_entries.get(path) is None or base_entries.get(path) != head_entries.get(path)
    )
    _prefetch_both(loaders, [p for p in differing if p in base_entries], [p for p in differing if p in head_entries])
    base_out: list[Manifest] = []
    head_out: list[Manifest] = []
    for path in differing:
        fmt = found[path]
        before_text, after_text = loaders[0].text(path), loaders[1].text(path)
        if before_text == after_text:
            continue
        memo: dict = {}  # the head's parse may reuse what the base's parse built
        before = loaders[0].parse(path, fmt, memo)
        after = loaders[1].parse(path, fmt, memo)
        if before is not None:
            base_out.append(before)
        if after is not None:
            head_out.append(after)
    return base_out, head_out


def _prefetch_both(loaders: list[SnapshotManifests], base_paths: list[str], head_paths: list[str]) -> None:
    """Read the base's and the head's files at the same time, the head's in a second thread. Reading is mostly
    waiting for ``git cat-file`` to inflate each blob, and the snapshots of a run have a reader each
    (revisions.Snapshots): both sides of a 20 MB lockfile arrive in the time of one (measured: 200 -> 115 ms).
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


def _unrecognised_changes(
    base_entries: dict[str, str | None], head_entries: dict[str, str | None], found: dict[str, Format]
) -> list[str]:
    """Files that are not manifests by name but changed (one might be a requirements include); none are
    looked for when the tree has no requirements file at all."""
    if not any(fmt is _REQUIREMENTS for fmt in found.values()):
        return []
    changed = []
    for path in base_entries.keys() | head_entries.keys():
        if path in found:
            continue
        before, after = base_entries.get(path), head_entries.get(path)
        if before is None or after is None or before != after:
            changed.append(path)
    return changed


def _named_by_requirements(snapshots: list[Snapshot], found: dict[str, Format], changed: list[str]) -> bool:
    """Whether any requirements file mentions the name of a changed file at all: a byte-substring test, far
    cheaper than scanning includes, and a superset of them (an include names its target's file name). Bytes,
    not text: an unchanged file that is not valid UTF-8 is no reason to fail a check that does not judge it."""
    names = [posixpath.basename(path).encode("utf-8", "surrogateescape") for path in changed]
    requirements = [path for path, fmt in found.items() if fmt is _REQUIREMENTS]
    for snapshot in snapshots:
        for data in snapshot.read_many(requirements).values():
            if data and any(name in data for name in names):
                return True
    return False


def nothing_to_compare(base: Snapshot, head: Snapshot) -> bool:
    """True when no manifest can differ: every manifest path has the same blob on both sides and no file a
    requirements file includes changed. Decided from blob ids alone where git provides them, so a commit that
    touches no manifest is judged without reading or parsing anything."""
    base_entries, head_entries = base.entries(), head.entries()
    found = candidate_paths(base_entries, ())
    found.update(candidate_paths(head_entries, ()))
    for path in found:
        before, after = base_entries.get(path), head_entries.get(path)
        if before is None or before != after:
            return False
    changed = _unrecognised_changes(base_entries, head_entries, found)
    if not changed:
        return True
    if not _named_by_requirements([head], found, changed):
        return True
    known = set(found)
    add_includes([SnapshotManifests(base), SnapshotManifests(head)], found, ())
    for path in found.keys() - known:
        before, after = base_entries.get(path), head_entries.get(path)
        if before is None or before != after:
            if before is None and after is None:
                continue
            return False
    return True
