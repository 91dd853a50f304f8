"""Parser for Go's checksum files ``go.sum`` and ``go.work.sum`` (format "go-sum", ecosystem ``go``, kind "lock").

Each line is ``<module> <version> <hash>`` (the hash of the module's zip: the code built) or ``<module>
<version>/go.mod <hash>`` (the hash of its go.mod alone: minimal version selection read its requirements, nothing of
it is built). The hash is ``h1:`` + base64 of a SHA-256 (golang.org/x/mod/sumdb/dirhash ``Hash1``). Fields are split
on white space, blank lines skipped, as cmd/go's ``readGoSum`` does; any other shape is a problem
(unreadable-manifest), as it is an error to the go command. Hashes are kept as written (base64 is case-sensitive):

- ``h1:<base64>``: the zip's hash;
- ``h1/go.mod:<base64>``: the version's own go.mod hash (spelt after go.sum's ``<version>/go.mod`` suffix);
- ``h1/go.mod@<version>:<base64>``: the go.mod hash of *another* version of the same module, which go.sum lists only
  for its go.mod (see below).

Dependencies. One per module version with a zip line (name = the module path, case-sensitive; version as written;
hashes its ``h1:`` and, when listed, its ``h1/go.mod:``). Versions listed only by a ``/go.mod`` line are not built,
and a go.sum typically keeps dozens of them (older versions other modules require, kept after every upgrade), so
they must not each be a change that needs review; but a changed hash of one must still be seen. So they are folded
into one dependency per module: into the module's highest built version (as ``h1/go.mod@<version>:`` entries),
and for a module with no built version into one dependency of its own at its highest listed version (its go.mod
hash as ``h1/go.mod:``, the others tagged), marked ``constraint`` (it pins, and installs nothing). The review
decision asks ``graph_only(before, after)`` (checker/review/decision.py): a change that brings no new built code
and replaces no recorded hash (a graph-only version added or dropped; a built version reduced to its go.mod line)
needs no review; one that replaces a recorded hash of any version, zip or go.mod, does. hash-mismatch compares the
``h1:`` and ``h1/go.mod:`` entries with the checksum database (checker/registries/goproxy.py).

``direct``: a module the go.mod beside the go.sum requires without ``// indirect`` (read through ``read``, so the
go.mod is this format's include); every module when there is no readable go.mod (go.work.sum), the conservative
reading for review skips that spare indirect modules.
"""

from __future__ import annotations

import posixpath
import re

from checker.errors import printable
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "go-sum"
ECOSYSTEM = "go"
ZIP = "h1"
GO_MOD = "h1/go.mod"
_H1 = re.compile(r"h1:[A-Za-z0-9+/]{43}=")
# cmd/go modfetch ``emptyGoModHash``: an old bug wrote this line; the go command drops it.
_EMPTY_GO_MOD_HASH = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The go.mod beside a go.sum (its requires say which modules are direct)."""
    if posixpath.basename(path) != "go.sum":
        return []
    return [(posixpath.join(posixpath.dirname(path), "go.mod"), None)]


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a go.sum or go.work.sum (see the module docstring)."""
    problems: list[Problem] = []
    zips: dict[tuple[str, str], tuple[str, int]] = {}
    mods: dict[tuple[str, str], tuple[str, int]] = {}
    from checker.manifests.go_modfile import is_module_path
    from checker.versions import go

    for number, line in enumerate(text.split("\n"), start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 3:
            problems.append(Problem(f"expected `module version h1:hash`, found {len(fields)} fields", number))
            continue
        module, version, digest = fields
        if digest == _EMPTY_GO_MOD_HASH and version.endswith("/go.mod"):
            continue
        table = zips
        if version.endswith("/go.mod"):
            table, version = mods, version[: -len("/go.mod")]
        if not is_module_path(module):
            problems.append(Problem(f"{printable(module)!r} is not a module path", number))
            continue
        if not go.is_valid(version):
            problems.append(Problem(f"{module}: {printable(version)!r} is not a Go version", number))
            continue
        if _H1.fullmatch(digest) is None:
            problems.append(Problem(f"{module} {version}: {printable(digest)[:60]!r} is not an h1: hash (h1: and "
                                    "the base64 of a SHA-256); the go command checks no other", number))
            continue
        earlier = table.get((module, version))
        if earlier is not None and earlier[0] != digest:
            problems.append(Problem(f"{module} {version}{'/go.mod' if table is mods else ''} is listed with two "
                                    f"different hashes (line {earlier[1]} and this one)", number))
            continue
        if earlier is None:
            table[(module, version)] = (digest, number)
    return Manifest(path=path, format=FORMAT, ecosystem=ECOSYSTEM,
                    dependencies=tuple(_dependencies(zips, mods, _directs(path, read), path)),
                    kind="lock", problems=tuple(problems))


def _directs(path: str, read: Reader) -> frozenset[str] | None:
    """The modules the go.mod beside ``path`` requires directly; None when there is none to read."""
    if posixpath.basename(path) != "go.sum":
        return None
    text = read(posixpath.join(posixpath.dirname(path), "go.mod"))
    if text is None:
        return None
    from checker.manifests import go_modfile
    from checker.manifests.go_mod import is_indirect

    try:
        found = go_modfile.statements(text)
    except go_modfile.ModfileError:
        return None  # the go.mod's own parse reports it
    return frozenset(s.args[0] for s in found if s.verb == "require" and len(s.args) == 2
                     and not is_indirect(s.comment))


def _dependencies(zips: dict[tuple[str, str], tuple[str, int]], mods: dict[tuple[str, str], tuple[str, int]],
                  directs: frozenset[str] | None, path: str) -> list[Dependency]:
    built: dict[str, list[str]] = {}
    for module, version in zips:
        built.setdefault(module, []).append(version)
    listed: dict[str, list[str]] = {}
    for module, version in mods:
        if (module, version) not in zips:
            listed.setdefault(module, []).append(version)
    out: list[Dependency] = []
    for module in dict.fromkeys([m for m, _ in zips] + [m for m, _ in mods]):
        direct = directs is None or module in directs
        versions = built.get(module, [])
        others = listed.get(module, [])
        top = _highest(versions or others)
        # The go.mod-only versions, tagged with their version; a module with no built version keeps its top one's
        # hash untagged (``h1/go.mod:``), as its dependency's own.
        tagged = frozenset(f"{GO_MOD}@{v}:{mods[(module, v)][0][3:]}" for v in others if versions or v != top)
        if not versions:
            digest, line = mods[(module, top)]
            hashes = frozenset({f"{GO_MOD}:{digest[3:]}"}) | tagged
            out.append(Dependency(ECOSYSTEM, module, top, specifier=top, hashes=hashes, direct=direct,
                                  manifest=path, line=line, constraint=True))
            continue
        for version in versions:
            digest, line = zips[(module, version)]
            pinned = {f"{ZIP}:{digest[3:]}"}
            own = mods.get((module, version))
            if own is not None:
                pinned.add(f"{GO_MOD}:{own[0][3:]}")
            if version == top:
                pinned |= tagged
            out.append(Dependency(ECOSYSTEM, module, version, specifier=version, hashes=frozenset(pinned),
                                  direct=direct, manifest=path, line=line))
    out.sort(key=lambda dep: dep.line or 0)  # in file order
    return out


def _highest(versions: list[str]) -> str:
    """The highest of ``versions`` by Go's ordering (equal ones by their text, so that the choice is stable)."""
    from functools import cmp_to_key

    from checker.versions import go

    def order(a: str, b: str) -> int:
        return go.compare(a, b) or (a > b) - (a < b)

    return max(versions, key=cmp_to_key(order))


# -- the review decision's question (see the module docstring) -------------------------------------------------------


def _built(dep: Dependency | None) -> frozenset[str]:
    return frozenset(h for h in dep.hashes if h.startswith(ZIP + ":")) if dep is not None else frozenset()


def _go_mod_hashes(dep: Dependency | None) -> dict[str, str]:
    """version -> go.mod hash, for every version a go.sum dependency records one of."""
    found: dict[str, str] = {}
    if dep is None:
        return found
    for entry in dep.hashes:
        algorithm, _, digest = entry.partition(":")
        if algorithm == GO_MOD and dep.version is not None:
            found[dep.version] = digest
        elif algorithm.startswith(GO_MOD + "@"):
            found[algorithm[len(GO_MOD) + 1 :]] = digest
    return found


def graph_only(before: Dependency | None, after: Dependency | None) -> bool:
    """Whether a change of a go.sum dependency brings no new built code and replaces no recorded hash: after it,
    nothing of the module is built that was not built before at the same version with the same zip hash, and no
    version whose go.mod hash both sides record has another one."""
    if after is not None and _built(after):
        if before is None or before.version != after.version or _built(before) != _built(after):
            return False
    old, new = _go_mod_hashes(before), _go_mod_hashes(after)
    return all(old[version] == new[version] for version in old.keys() & new.keys())
