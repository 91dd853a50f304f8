"""Patched dependencies: a patch file changes a package's code on every install, so it is part of the package.

Where patches are declared:

- pnpm: ``patchedDependencies`` in pnpm-workspace.yaml (pnpm 10 and later) or in package.json's ``pnpm`` field
  (pnpm 9 and earlier): ``{"express@4.18.1": "patches/express@4.18.1.patch"}``. The key is a package name with an
  exact version, a version range, or no version at all; the path is relative to the folder of the file that
  declares it (pnpm: ``path.join(manifestDir, patchFile)``; an absolute path is taken as it is).
- Bun: the top-level ``patchedDependencies`` of package.json, same shape, relative to package.json's folder.
- Yarn (Berry): the ``patch:`` protocol in a dependency's range or a ``resolutions`` value:
  ``patch:lodash@npm%3A4.17.21#./.yarn/patches/lodash.patch`` (plugin-patch/sources/patchUtils.ts). The part
  before ``#`` is the patched package's descriptor, URL-encoded; the part after it, URL-decoded, lists patch paths
  joined by ``&``, each optionally prefixed by flags ending in ``!`` (``optional!``: a missing file is skipped).
  A path is ``builtin<name>`` (a patch shipped inside Yarn), ``~/path`` (from the project root: lockgate takes
  the declaring package.json's folder, right for the root package.json where ``yarn patch-commit`` writes them),
  absolute, or relative to the workspace that declares it. Parameters after ``::`` (``locator=``, ``version=``) are Yarn's.

What lockgate makes of it: the patched package is a Dependency (ecosystem npm, not direct: it says how a package
is built, not that it is wanted) whose hashes hold ``patch-sha256:<hex>`` of every patch file's content, read
through the snapshot. A changed patch file is then a ``hashes-changed`` change of that package, a new patch an
``added`` one. A Yarn builtin patch is recorded as ``patch-builtin:<name>``. A patch path that leaves the repository
(``..`` past its root, an absolute path, a symbolic link pointing out), or names a file that does not exist or
cannot be read, is a Problem: lockgate never pretends to know a patch it could not read.
"""

from __future__ import annotations

import hashlib
from typing import Callable, NamedTuple
from urllib.parse import unquote

from checker.errors import LockgateError
from checker.manifests.settings import repository_path
from checker.model import Dependency, Problem, Reader

PATCH_HASH = "patch-sha256"


class PatchRef(NamedTuple):
    """One patch file a manifest names: its repository path (None when it leaves the repository), the path as
    written, whether a missing file is fine (Yarn's ``optional!``), or the name of a Yarn builtin patch."""

    path: str | None
    written: str
    optional: bool = False
    builtin: str | None = None


class Patched(NamedTuple):
    """What reading a manifest's patches gave: dependencies, the files read, and what could not be read."""

    dependencies: list[Dependency]
    includes: list[str]
    problems: list[Problem]


def map_patches(table: dict, declaring: str) -> list[tuple[str, PatchRef]]:
    """pnpm's and Bun's ``patchedDependencies`` of the file ``declaring``: (the key, its patch file) for every
    entry."""
    return [(key, PatchRef(repository_path(declaring, value), value)) for key, value in table.items()]


def yarn_patch(spec: str, declaring: str) -> tuple[str, list[PatchRef]] | None:
    """``patch:<descriptor>#<paths>::<params>`` in the package.json ``declaring`` -> (the patched package's range,
    its patch files); None when ``spec`` is not a patch range. The range is the descriptor's (``npm:4.17.21`` ->
    ``4.17.21``)."""
    if not spec.startswith("patch:"):
        return None
    body = spec[len("patch:"):]
    params = body.find("::")
    if params >= 0:
        body = body[:params]
    source, hash_mark, selector = body.partition("#")
    if not hash_mark:
        return None
    descriptor = unquote(source)
    at = descriptor.find("@", 1)
    inner = descriptor[at + 1:] if at > 0 else ""
    if inner.startswith("npm:") and "@" not in inner[4:]:
        inner = inner[4:]  # Yarn's npm:<range>; npm:<name>@<range> stays an alias
    refs = []
    for written in unquote(selector).split("&"):
        optional, bare = yarn_patch_flags(written)
        if bare.startswith("builtin<") and bare.endswith(">"):
            refs.append(PatchRef(None, written, optional, bare[len("builtin<"):-1]))
        elif bare.startswith("~/"):  # the project root: the root package.json's folder, where Yarn writes these
            refs.append(PatchRef(repository_path(declaring, bare[2:]), written, optional))
        else:
            refs.append(PatchRef(repository_path(declaring, bare), written, optional))
    return inner, refs


def yarn_patch_flags(written: str) -> tuple[bool, str]:
    """(optional, the patch itself) of one ``&``-separated part of a Yarn patch selector. Yarn 4 writes flags
    before ``!`` (``optional!builtin<compat/typescript>``); Yarn 2 and 3 marked an optional patch with a leading
    ``~`` (``~builtin<compat/typescript>``). ``~/`` is no flag: it is Yarn 4's project root."""
    flags, bang, bare = written.rpartition("!")
    if not bang and bare[:1] == "~" and bare[1:2] != "/":
        return True, bare[1:]
    return bool(bang) and "optional" in flags.split("!"), bare


def patch_hashes(refs: list[PatchRef], read: Reader, what: str, line: int | None) -> tuple[set[str], list[str],
                                                                                         list[Problem]]:
    """The hashes of the patch files (``patch-sha256:<hex>``, ``patch-builtin:<name>``), the repository paths
    read, and a Problem for every file that could not be read."""
    hashes: set[str] = set()
    read_paths: list[str] = []
    problems: list[Problem] = []
    for ref in refs:
        if ref.builtin is not None:
            hashes.add(f"patch-builtin:{ref.builtin}")
            continue
        if ref.path is None:
            problems.append(Problem(f"{what}: the patch file {ref.written!r} is outside the repository, so lockgate "
                                    "cannot see what it changes", line))
            continue
        read_paths.append(ref.path)
        try:
            text = read(ref.path)
        except LockgateError as error:  # a symbolic link out of the repository, a file that is not text
            problems.append(Problem(f"{what}: the patch file {ref.path} cannot be read ({error.message})", line))
            continue
        if text is None:
            if not ref.optional:
                problems.append(Problem(f"{what}: the patch file {ref.path} does not exist", line))
            continue
        hashes.add(f"{PATCH_HASH}:{hashlib.sha256(text.encode('utf-8', 'surrogateescape')).hexdigest()}")
    return hashes, read_paths, problems


def selector_parts(key: str) -> tuple[str, str]:
    """A patch key ``name@range`` -> (name, range); ``name`` alone -> (name, ``""``); scoped names kept whole."""
    at = key.find("@", 1)
    return (key, "") if at < 0 else (key[:at], key[at + 1:])


def patched_map(table: dict, where: str, manifest: str, read: Reader,
                line_of: Callable[[str], int | None]) -> Patched:
    """Dependencies for pnpm's or Bun's ``patchedDependencies`` map (``where`` names it in messages; ``line_of``
    gives the line of a key)."""
    from checker.versions.semver import exact_version

    deps: list[Dependency] = []
    includes: list[str] = []
    problems: list[Problem] = []
    for key, ref in map_patches(table, manifest):
        line = line_of(key)
        name, written_range = selector_parts(key)
        hashes, read_paths, found = patch_hashes([ref], read, f"{where} {key!r}", line)
        includes.extend(read_paths)
        problems.extend(found)
        deps.append(Dependency(
            ecosystem="npm", name=name, version=exact_version(written_range) if written_range else None,
            specifier=written_range or "*", hashes=frozenset(hashes), direct=False, manifest=manifest, line=line,
        ))
    return Patched(deps, includes, problems)
