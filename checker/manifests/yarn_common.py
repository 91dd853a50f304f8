"""What the classic and the Berry ``yarn.lock`` readers share: an entry (the descriptors of its key, its line, its
fields), what it contributes (a dependency's fields and its edges), and the walk from the project's roots that
gives each dependency its scope and direct flag (checker/manifests/yarn_lock.py says how)."""

from __future__ import annotations

from typing import NamedTuple

from checker.manifests.jslocks import Edge, ProjectDeps, git_ref, scopes, split_descriptor
from checker.model import Dependency, Source

# Descriptor protocols that name a path of the project (both readers make them ``path`` sources).
PATH_PROTOCOLS = ("file:", "link:", "portal:", "exec:")


class Entry(NamedTuple):
    """One lockfile entry: the descriptors of its key, its key's line, its fields."""

    descriptors: list[str]
    line: int
    fields: dict


class Package:
    """What one entry contributes: a dependency's fields (None for a workspace member or a built-in patch; scope
    and direct are added once the graph is walked) and the entry's edges (filled in once all entries are read)."""

    __slots__ = ("fields", "line", "edges")

    def __init__(self, fields: dict | None, line: int) -> None:
        self.fields, self.line = fields, line
        self.edges: list[Edge] = []


def dependency_fields(name: str, version: str, specifier: str, source: Source, hashes: frozenset[str], path: str,
                      line: int, resolved: str | None) -> dict:
    """The fields of an entry's Dependency, but scope and direct (``finish`` adds them)."""
    return {"ecosystem": "npm", "name": name, "version": version, "specifier": specifier, "source": source,
            "hashes": hashes, "manifest": path, "line": line, "resolved": resolved}


def entry_index(entries: list[Entry]) -> dict[str, int]:
    """Descriptor -> entry index."""
    index: dict[str, int] = {}
    for number, entry in enumerate(entries):
        for descriptor in entry.descriptors:
            index[descriptor] = number
    return index


def finish(packages: list[Package], roots: list[tuple[str, int]] | None) -> tuple[Dependency, ...]:
    """The dependencies, with scope and direct flags from the roots ((scope, entry index) pairs), or all direct
    and prod without roots."""
    if roots is None:
        return tuple(Dependency(**p.fields) for p in packages if p.fields is not None)
    by_scope: dict[str, list[int]] = {"prod": [], "optional": [], "dev": []}
    for scope, target in roots:
        by_scope[scope].append(target)
    scope_of = scopes(len(packages), [p.edges for p in packages], by_scope["prod"], by_scope["optional"],
                      by_scope["dev"])
    direct = {target for _, target in roots}
    return tuple(
        Dependency(**package.fields, scope=scope_of[number], direct=number in direct)
        for number, package in enumerate(packages)
        if package.fields is not None
    )


def project_roots(project: ProjectDeps, index: dict[str, int], entries: list[Entry],
                  berry: bool) -> list[tuple[str, int]]:
    """Entries the package.json names: by exact descriptor (``name@range``; Berry adds ``npm:`` to plain ranges),
    else every entry with a descriptor of that name (a lockfile out of step with its package.json)."""
    by_name: dict[str, list[int]] = {}
    for number, entry in enumerate(entries):
        for descriptor in entry.descriptors:
            by_name.setdefault(split_descriptor(descriptor)[0], []).append(number)
    roots = []
    for scope, name, range_ in project.items():
        target = lookup(index, name, range_, berry)
        if target is not None:
            roots.append((scope, target))
        else:
            roots.extend((scope, number) for number in dict.fromkeys(by_name.get(name, ())))
    return roots


def lookup(index: dict[str, int], name: str, range_: str, berry: bool) -> int | None:
    """The entry of ``name@range_`` (for Berry also ``name@npm:range_``), or None."""
    found = index.get(f"{name}@{range_}")
    if found is None and berry:
        found = index.get(f"{name}@npm:{range_}")
    return found


def ref_of(ranges: list[str]) -> str | None:
    """The git ref the descriptors ask for (``repo#v1.2``), if any."""
    for range_ in ranges:
        ref = git_ref(range_)
        if ref:
            return ref
    return None
