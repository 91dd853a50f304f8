"""Find the manifests of a snapshot and parse them: the bridge between the snapshot and manifests stages.

For a pair of snapshots only the manifests whose content differs are parsed: a 1.5 MB lockfile that a pull
request did not touch costs a blob-id comparison, not a parse. A requirements file can pull in files of any
name (``-r base.pip``); those join the manifests through the include graph.
"""

from __future__ import annotations

import posixpath
import re
from checker.errors import LockgateError, ManifestError
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

    def parse(self, path: str, fmt: Format) -> Manifest | None:
        if path in self._parsed:
            return self._parsed[path]
        text = self.text(path)
        if text is None:
            return None
        try:
            manifest = fmt.parse(text, path, self.text)
        except LockgateError:
            raise
        except RecursionError:
            raise ManifestError(f"nested too deeply to read as {fmt.name}", path) from None
        except Exception as exc:  # a parser bug must still end in a clear message, never a traceback
            raise ManifestError(
                f"could not be read as {fmt.name} ({type(exc).__name__}: {exc}); please report this to lockgate",
                path,
            ) from None
        self._parsed[path] = manifest
        return manifest


def candidate_paths(entries: dict[str, str | None], ignore: tuple[str, ...]) -> dict[str, Format]:
    """Every path whose name says it is a manifest, minus the ignored ones."""
    found: dict[str, Format] = {}
    for path in entries:
        fmt = format_for(path)
        if fmt is not None and not (ignore and path_matches(path, ignore)):
            found[path] = fmt
    return found


def _scan_includes(loader: SnapshotManifests, path: str) -> list[str]:
    """The files a requirements file includes, found by a cheap scan (no full parse)."""
    text = loader.text(path)
    if not text:
        return []
    base = posixpath.dirname(path)
    targets = []
    for match in _INCLUDE.finditer(text):
        target = posixpath.normpath(posixpath.join(base, match.group(1)))
        if not (target.startswith("../") or target == ".." or "://" in match.group(1)):
            targets.append(target)
    return targets


def add_includes(loaders: list[SnapshotManifests], found: dict[str, Format], ignore: tuple[str, ...]) -> None:
    """Add files reached through ``-r``/``-c`` from requirements files, whatever their names, transitively."""
    queue = [path for path, fmt in found.items() if fmt is _REQUIREMENTS]
    seen = set(queue)
    for loader in loaders:
        loader.prefetch([path for path in queue if path in loader.snapshot.entries()])
    while queue:
        path = queue.pop()
        for loader in loaders:
            for target in _scan_includes(loader, path):
                if target in seen or (ignore and path_matches(target, ignore)):
                    continue
                seen.add(target)
                if len(seen) > MAX_INCLUDE_FILES:
                    raise ManifestError(f"more than {MAX_INCLUDE_FILES} requirements files reached through includes", path)
                if target not in found:
                    found[target] = _REQUIREMENTS
                queue.append(target)


def load_all(snapshot: Snapshot, ignore: tuple[str, ...]) -> list[Manifest]:
    """Every manifest of a snapshot (``check --all``)."""
    loader = SnapshotManifests(snapshot)
    found = candidate_paths(snapshot.entries(), ignore)
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
    loaders[0].prefetch([p for p in differing if p in base_entries])
    loaders[1].prefetch([p for p in differing if p in head_entries])
    base_out: list[Manifest] = []
    head_out: list[Manifest] = []
    for path in differing:
        fmt = found[path]
        before_text, after_text = loaders[0].text(path), loaders[1].text(path)
        if before_text == after_text:
            continue
        before = loaders[0].parse(path, fmt)
        after = loaders[1].parse(path, fmt)
        if before is not None:
            base_out.append(before)
        if after is not None:
            head_out.append(after)
    return base_out, head_out


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
