"""packages.lock.json: NuGet's lock file (``RestorePackagesWithLockFile``), versions 1 to 3 (format "nuget-lock").

The layout (NuGet.ProjectModel's ``PackagesLockFileFormat``)::

    {"version": 1 | 2,
     "dependencies": {
       "<target framework>[/<runtime identifier>]": {          (* "net8.0", "net8.0/linux-x64" *)
         "<package id>": {"type": "Direct" | "Transitive" | "CentralTransitive" | "Project",
                          "requested": "<version range>",     (* Direct and CentralTransitive *)
                          "resolved": "<version>",
                          "contentHash": "<base64 SHA-512 of the package>",
                          "dependencies": {"<id>": "<range>"}}}}}

    {"version": 3,                                             (* targets named by their alias, at the top *)
     "<alias>[/<runtime identifier>]": {"framework": "<framework>", "dependencies": {"<package id>": {...}}}}

Version 2 is what central package management writes (``CentralTransitive``: a transitive package whose version
``Directory.Packages.props`` pins); version 3 keys targets by the project's framework alias. ``type`` is read
without regard to case, as NuGet reads it. ``Project`` entries are other projects of the repository (a
``ProjectReference``), not packages, and are left out. An entry of another type without ``resolved`` restores no
version NuGet recorded: a problem at its line.

What is a dependency: each package id and resolved version, once however many target frameworks and runtimes list
it (the first listing gives the line), direct when any of them says ``Direct``. One id at two versions in two
frameworks is two dependencies. ``contentHash`` becomes ``sha512:<hex>``; the same version with two different content
hashes in two sections cannot both be right, and is reported as a problem at the second. Ids are kept as written
(NuGet writes the package's own spelling; OSV compares NuGet names as written) and compared without regard to case.
The file names no feed: every package is from the default registry (nuget.config is not read).
"""

from __future__ import annotations

import base64
import binascii

from checker.errors import ManifestError
from checker.manifests import json_strict
from checker.manifests.common import expect_object, expect_string, is_blank, json_type
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "nuget-lock"
SUPPORTED_VERSIONS = (1, 2, 3)
ALIASED_VERSION = 3
PACKAGE_TYPES = {"direct": "Direct", "transitive": "Transitive", "centraltransitive": "CentralTransitive"}
PROJECT_TYPE = "project"


def content_hash(value: str, what: str, path: str, line: int | None) -> str:
    """``contentHash`` (base64 of a SHA-512 digest) as ``sha512:<hex>``."""
    try:
        digest = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ManifestError(f"{what}: contentHash {value[:40]!r} is not base64", path, line) from None
    if len(digest) != 64:
        raise ManifestError(f"{what}: contentHash is {len(digest)} bytes, a SHA-512 digest is 64", path, line)
    return "sha512:" + digest.hex()


def parse(text: str, path: str, read: Reader) -> Manifest:
    if is_blank(text):
        raise ManifestError("empty file, expected a NuGet packages.lock.json (JSON)", path)
    data = json_strict.loads(text, path, "NuGet")
    if not isinstance(data, dict):
        raise ManifestError(f"expected a packages.lock.json: a JSON object at the top level, found {json_type(data)}",
                            path, 1)
    version = data.get("version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise ManifestError(f"unsupported packages.lock.json version {version!r} (lockgate reads 1, 2 and 3)", path,
                            _line(text, '"version"'))
    found: dict[tuple[str, str], Dependency] = {}
    problems: list[Problem] = []
    for target, packages, lines in _targets(data, version, text, path):
        for name, entry in packages.items():
            line = lines.get(name)
            dep = _dependency(name, entry, target, path, line, problems)
            if dep is None:
                continue
            key = (name.lower(), dep.version.lower() if dep.version else "")
            first = found.get(key)
            if first is None:
                found[key] = dep
                continue
            if dep.hashes and first.hashes and dep.hashes != first.hashes:
                problems.append(Problem(f"{name} {dep.version} has another contentHash under {target!r} than under "
                                        "an earlier target: one of them is not the package NuGet restores", line))
            if dep.direct and not first.direct:
                found[key] = first._replace(direct=True)
    return Manifest(path=path, format=FORMAT, ecosystem="nuget", dependencies=tuple(found.values()), kind="lock",
                    problems=tuple(problems))


def _targets(data: dict, version: int, text: str, path: str) -> list[tuple[str, dict, dict[str, int]]]:
    """(target name, its packages, the line of each package's key) for every target of the file."""
    if version >= ALIASED_VERSION:
        lines = json_strict.key_lines(text, lambda parent: len(parent) == 2 and parent[1] == "dependencies")
        top = json_strict.key_lines(text, lambda parent: len(parent) == 0)
        found = []
        for target, body in data.items():
            if target == "version":
                continue
            body = expect_object(body, f"target {target!r}", path, top.get((target,)))
            packages = expect_object(body.get("dependencies", {}), f"target {target!r} dependencies", path,
                                     top.get((target,)))
            found.append((target, packages, {key[2]: line for key, line in lines.items() if key[0] == target}))
        return found
    sections = expect_object(data.get("dependencies", {}), '"dependencies"', path, _line(text, '"dependencies"'))
    lines = json_strict.key_lines(text, lambda parent: len(parent) == 2 and parent[0] == "dependencies")
    by_target: dict[str, dict[str, int]] = {}
    for key, line in lines.items():
        by_target.setdefault(key[1], {})[key[2]] = line
    return [(target, expect_object(packages, f"target {target!r}", path, None), by_target.get(target, {}))
            for target, packages in sections.items()]


def _dependency(name: str, entry: object, target: str, path: str, line: int | None,
                problems: list[Problem]) -> Dependency | None:
    what = f"{name} ({target})"
    entry = expect_object(entry, what, path, line)
    kind = expect_string(entry.get("type"), f"{what} type", path, line).lower()
    if kind == PROJECT_TYPE:
        return None  # another project of the repository (a ProjectReference)
    if kind not in PACKAGE_TYPES:
        raise ManifestError(f"{what}: unknown type {entry.get('type')!r} (expected "
                            f"{', '.join(PACKAGE_TYPES.values())} or Project)", path, line)
    if not name.strip() or any(c.isspace() or c in "/\\" for c in name):
        raise ManifestError(f"{name!r} is not a NuGet package id", path, line)
    if entry.get("resolved") is None:
        problems.append(Problem(f"{what}: a {PACKAGE_TYPES[kind]} package without a resolved version: the lock file "
                                "does not say what NuGet restores", line))
        return None
    resolved = expect_string(entry.get("resolved"), f"{what} resolved", path, line)
    requested = entry.get("requested")
    specifier = expect_string(requested, f"{what} requested", path, line) if requested is not None else ""
    hashes: frozenset[str] = frozenset()
    if entry.get("contentHash") is not None:
        hashes = frozenset({content_hash(expect_string(entry["contentHash"], f"{what} contentHash", path, line),
                                         what, path, line)})
    return Dependency(ecosystem="nuget", name=name, version=resolved, specifier=specifier, hashes=hashes,
                      direct=kind == "direct", manifest=path, line=line)


def _line(text: str, needle: str) -> int | None:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None
