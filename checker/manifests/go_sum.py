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
from operator import attrgetter

from checker.errors import printable
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "go-sum"
ECOSYSTEM = "go"
ZIP = "h1"
GO_MOD = "h1/go.mod"
# cmd/go modfetch ``emptyGoModHash``: an old bug wrote this line; the go command drops it.
_EMPTY_GO_MOD_HASH = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The go.mod beside a go.sum (its requires say which modules are direct)."""
    if posixpath.basename(path) != "go.sum":
        return []
    return [(posixpath.join(posixpath.dirname(path), "go.mod"), None)]


# A well-formed line, in one match: module path, canonical Go version (checker/versions/go.py's grammar with its
# three numbers: what go.sum holds), an optional ``/go.mod``, an h1: hash. Each part is a run of one character class
# that the next separator cannot continue, and a prerelease identifier is a number without a leading zero or a run
# holding a non-digit: linear on any line. A line it does not match is read field by field, for the problem's words.
_NUMBER = r"(?:0|[1-9][0-9]*)"
_IDENTIFIER = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_SUM_LINE = re.compile(
    r"[ \t\r]*([A-Za-z0-9_~+-][A-Za-z0-9._~+-]*(?:/[A-Za-z0-9._~+-]+)*)[ \t]+"
    rf"(v{_NUMBER}\.{_NUMBER}\.{_NUMBER}(?:-{_IDENTIFIER}(?:\.{_IDENTIFIER})*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)"
    r"(/go\.mod)?[ \t]+(h1:[A-Za-z0-9+/]{43}=)[ \t\r]*"
)


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a go.sum or go.work.sum (see the module docstring)."""
    problems: list[Problem] = []
    zips: dict[tuple[str, str], tuple[str, int]] = {}
    mods: dict[tuple[str, str], tuple[str, int]] = {}
    match = _SUM_LINE.fullmatch
    for number, line in enumerate(text.split("\n"), start=1):
        found = match(line)
        if found is None:
            if line.strip():
                problems.append(Problem(_line_problem(line), number))
            continue
        module, version, go_mod, digest = found.groups()
        if ".." in module and ".." in module.split("/"):
            problems.append(Problem(f"{module!r} is not a module path", number))
            continue
        if go_mod is not None and digest == _EMPTY_GO_MOD_HASH:
            continue
        table = zips if go_mod is None else mods
        earlier = table.get((module, version))
        if earlier is None:
            table[(module, version)] = (digest, number)
        elif earlier[0] != digest:
            problems.append(Problem(f"{module} {version}{go_mod or ''} is listed with two different hashes (line "
                                    f"{earlier[1]} and this one)", number))
    return Manifest(path=path, format=FORMAT, ecosystem=ECOSYSTEM,
                    dependencies=tuple(_dependencies(zips, mods, _directs(path, read), path)),
                    kind="lock", problems=tuple(problems))


def _line_problem(line: str) -> str:
    """What is wrong with a line that is not ``module version[/go.mod] h1:hash``, in words."""
    from checker.manifests.go_modfile import is_module_path
    from checker.versions import go

    fields = line.split()
    if len(fields) != 3:
        return f"expected `module version h1:hash`, found {len(fields)} fields"
    module, version, digest = fields
    version = version.removesuffix("/go.mod")
    if not is_module_path(module):
        return f"{printable(module)!r} is not a module path"
    if not go.is_valid(version) or go.parse(version).short:  # type: ignore[union-attr]  # valid: parse is not None
        return f"{module}: {printable(version)!r} is not a Go version as go.sum writes them (vX.Y.Z)"
    if _SUM_LINE.fullmatch(f"{module} {fields[1]} {digest}") is not None:
        return (f"{module} {version}: fields separated by white space the go command writes no go.sum with (it "
                "splits on any Unicode space; lockgate reads only spaces and tabs)")
    return (f"{module} {version}: {printable(digest)[:60]!r} is not an h1: hash (h1: and the base64 of a SHA-256); "
            "the go command checks no other")


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
    """One dependency per built version, the go.mod-only versions folded in (see the module docstring), in file
    order. A module with one built version and nothing else listed (most of them) takes the short way."""
    built: dict[str, list[str]] = {}
    for module, version in zips:
        built.setdefault(module, []).append(version)
    listed: dict[str, list[str]] = {}
    for key in mods:
        if key not in zips:
            listed.setdefault(key[0], []).append(key[1])
    out: list[Dependency] = []
    for (module, version), (digest, line) in zips.items():
        direct = directs is None or module in directs
        own = mods.get((module, version))
        hashes = {digest} if own is None else {digest, f"{GO_MOD}:{own[0][3:]}"}
        versions = built[module]
        others = listed.get(module)
        if others and version == (versions[0] if len(versions) == 1 else _highest(versions)):
            hashes.update(f"{GO_MOD}@{v}:{mods[(module, v)][0][3:]}" for v in others)
        out.append(Dependency(ECOSYSTEM, module, version, specifier=version, hashes=frozenset(hashes),
                              direct=direct, manifest=path, line=line))
    for module, others in listed.items():
        if module in built:
            continue
        top = others[0] if len(others) == 1 else _highest(others)
        digest, line = mods[(module, top)]
        hashes = {f"{GO_MOD}:{digest[3:]}"}
        hashes.update(f"{GO_MOD}@{v}:{mods[(module, v)][0][3:]}" for v in others if v != top)
        out.append(Dependency(ECOSYSTEM, module, top, specifier=top, hashes=frozenset(hashes),
                              direct=directs is None or module in directs, manifest=path, line=line,
                              constraint=True))
    out.sort(key=_LINE_OF)
    return out


_LINE_OF = attrgetter("line")


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
