"""package.json: what an npm, Yarn, pnpm or Bun project declares it wants (a "declared" manifest).

Read: ``dependencies`` (prod), ``devDependencies`` (dev), ``optionalDependencies`` (optional),
``peerDependencies`` (prod, as npm 7+ installs peers; optional when ``peerDependenciesMeta`` says so), and
``bundleDependencies`` / ``bundledDependencies`` and ``workspaces`` (checked for shape; they add no dependency of
their own). Every specifier kind npm, Yarn and pnpm accept is classified: registry ranges, versions and tags,
``npm:`` aliases, git URLs and hosted shorthands, tarball URLs, ``file:`` / ``link:`` / ``portal:`` / relative
paths, ``workspace:`` and ``catalog:``.

Overrides force versions deep in the tree, so they are dependencies too (not direct): npm ``overrides`` (nested
objects; ``"."`` stands for the parent; ``"$name"`` refers to a direct dependency's specifier), Yarn
``resolutions`` (keys are name patterns such as ``**/lodash`` or ``a/b``) and ``pnpm.overrides`` (keys such as
``foo@1>bar``; ``"-"`` removes a dependency and declares nothing).

A name declared in several sections with one specifier is one dependency, in the strongest scope (prod before
optional before dev): a reviewer should judge it as what ships. Packages vendored under ``node_modules/`` are
installed copies, not the project's declarations, and are read as declaring nothing.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.errors import ManifestError
from checker.manifests.npm_common import (
    classify,
    expect_bool,
    expect_object,
    expect_string,
    is_valid_name,
    json_type,
    key_lines,
    load_json,
    string_map,
)
from checker.model import Dependency, Manifest, Reader

FORMAT = "package-json"
# section -> scope, in order of strength (the first section naming a package with a given specifier wins)
_SECTIONS = (
    ("dependencies", "prod"),
    ("peerDependencies", "prod"),
    ("optionalDependencies", "optional"),
    ("devDependencies", "dev"),
)
_MAX_OVERRIDE_DEPTH = 32


class _Entry(NamedTuple):
    name: str  # the key as written (an alias name for npm: aliases)
    spec: str
    scope: str
    direct: bool
    line: int | None


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a package.json into its declared dependencies and overrides."""
    if "node_modules" in path.split("/"):
        return Manifest(path=path, format=FORMAT, ecosystem="npm", dependencies=(), kind="declared")
    data = load_json(text, path, "a package.json")
    lines = key_lines(text, _wanted)
    entries: list[_Entry] = []
    optional_peers = _optional_peers(data, lines, path)
    for section, scope in _SECTIONS:
        if section not in data:
            continue
        table = string_map(data[section], f'"{section}"', path, lines.get((section,)))
        for name, spec in table.items():
            line = lines.get((section, name))
            _check_name(name, section, path, line)
            if section == "peerDependencies" and name in optional_peers:
                scope_here = "optional"
            else:
                scope_here = scope
            entries.append(_Entry(name, spec, scope_here, True, line))
    _check_bundled(data, lines, path)
    _check_workspaces(data, lines, path)
    direct_specs = {e.name: e.spec for e in entries}
    entries.extend(_npm_overrides(data, lines, path, direct_specs))
    entries.extend(_flat_overrides(data, ("resolutions",), lines, path, direct_specs, _resolution_name))
    pnpm = data.get("pnpm")
    if pnpm is not None:
        pnpm = expect_object(pnpm, '"pnpm"', path, lines.get(("pnpm",)))
        if "overrides" in pnpm:
            entries.extend(_flat_overrides(pnpm, ("pnpm", "overrides"), lines, path, direct_specs, _pnpm_name))
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem="npm",
        dependencies=_dependencies(entries, path),
        kind="declared",
    )


def _wanted(parent: tuple[str, ...]) -> bool:
    """Keys whose lines are needed: top-level keys, dependency names, and override keys at any depth."""
    if len(parent) <= 1:
        return True
    return parent[0] in ("overrides", "resolutions") or parent[:2] == ("pnpm", "overrides")


def _check_name(name: str, section: str, path: str, line: int | None) -> None:
    if not is_valid_name(name):
        raise ManifestError(f'"{section}": {name!r} is not a package name', path, line)


def _optional_peers(data: dict, lines: dict, path: str) -> frozenset[str]:
    meta = data.get("peerDependenciesMeta")
    if meta is None:
        return frozenset()
    table = expect_object(meta, '"peerDependenciesMeta"', path, lines.get(("peerDependenciesMeta",)))
    optional = set()
    for name, entry in table.items():
        where = lines.get(("peerDependenciesMeta", name))
        entry = expect_object(entry, f'"peerDependenciesMeta" {name!r}', path, where)
        what = f'"peerDependenciesMeta" {name!r} optional'
        if "optional" in entry and expect_bool(entry["optional"], what, path, where):
            optional.add(name)
    return frozenset(optional)


def _check_bundled(data: dict, lines: dict, path: str) -> None:
    """``bundleDependencies``: true, false, or the names of dependencies shipped inside the package."""
    for key in ("bundleDependencies", "bundledDependencies"):
        if key not in data:
            continue
        value, line = data[key], lines.get((key,))
        if isinstance(value, bool):
            continue
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ManifestError(f'"{key}" must be true, false or an array of package names', path, line)


def _check_workspaces(data: dict, lines: dict, path: str) -> None:
    """``workspaces``: an array of folder globs, or (Yarn) an object with a ``packages`` array."""
    if "workspaces" not in data:
        return
    value, line = data["workspaces"], lines.get(("workspaces",))
    if isinstance(value, dict):
        value = value.get("packages", [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ManifestError('"workspaces" must be an array of folder globs (or {"packages": [...]})', path, line)


def _resolve_reference(spec: str, direct_specs: dict[str, str], what: str, path: str, line: int | None) -> str:
    """``$name`` -> the specifier the project declares for ``name`` (npm's override references)."""
    if not spec.startswith("$"):
        return spec
    target = spec[1:]
    if target not in direct_specs:
        raise ManifestError(f"{what}: {spec!r} refers to {target!r}, which is not a direct dependency", path, line)
    return direct_specs[target]


def _selector_name(key: str) -> str:
    """``foo@^1`` -> ``foo``; ``@scope/foo@1`` -> ``@scope/foo``."""
    at = key.find("@", 1)
    return key if at < 0 else key[:at]


def _npm_overrides(data: dict, lines: dict, path: str, direct_specs: dict[str, str]) -> list[_Entry]:
    """npm ``overrides``: ``{"foo": "1.0.0", "bar": {".": "2", "baz": "3"}}`` (nested to any depth)."""
    if "overrides" not in data:
        return []
    root = expect_object(data["overrides"], '"overrides"', path, lines.get(("overrides",)))
    out: list[_Entry] = []
    pending: list[tuple[tuple[str, ...], str | None, dict]] = [(("overrides",), None, root)]
    while pending:
        key_path, parent_name, table = pending.pop()
        if len(key_path) > _MAX_OVERRIDE_DEPTH:
            raise ManifestError(f'"overrides" nested more than {_MAX_OVERRIDE_DEPTH} deep', path, lines.get(key_path))
        for key, value in table.items():
            here = key_path + (key,)
            line = lines.get(here)
            what = f'"{".".join(here)}"'
            if key == ".":
                if parent_name is None:
                    raise ManifestError(f'{what}: "." only has a meaning inside a package\'s overrides', path, line)
                name = parent_name
            else:
                name = _selector_name(key)
                if not is_valid_name(name):
                    raise ManifestError(f"{what}: {key!r} does not name a package", path, line)
            if isinstance(value, dict):
                pending.append((here, name, value))
                continue
            spec = expect_string(value, what, path, line)
            out.append(_Entry(name, _resolve_reference(spec, direct_specs, what, path, line), "prod", False, line))
    out.sort(key=lambda e: (e.line or 0, e.name))
    return out


def _resolution_name(key: str) -> str:
    """Yarn ``resolutions`` keys are paths of names, possibly with globs: ``**/a/@s/b`` -> ``@s/b``."""
    parts = [p for p in key.split("/") if p and p != "**"]
    if len(parts) >= 2 and parts[-2].startswith("@"):
        return _selector_name(f"{parts[-2]}/{parts[-1]}")
    return _selector_name(parts[-1]) if parts else key


def _pnpm_name(key: str) -> str:
    """pnpm override keys: ``foo``, ``foo@^1``, ``parent@1>foo`` -> the overridden package ``foo``."""
    return _selector_name(key.rsplit(">", 1)[-1])


def _flat_overrides(
    container: dict,
    key_path: tuple[str, ...],
    lines: dict,
    path: str,
    direct_specs: dict[str, str],
    name_of,
) -> list[_Entry]:
    """Yarn ``resolutions`` and ``pnpm.overrides``: one level of ``selector: specifier``."""
    key = key_path[-1]
    if key not in container:
        return []
    what_table = f'"{".".join(key_path)}"'
    table = expect_object(container[key], what_table, path, lines.get(key_path))
    out = []
    for selector, value in table.items():
        line = lines.get(key_path + (selector,))
        what = f"{what_table} {selector!r}"
        if not isinstance(value, str):
            raise ManifestError(f"{what} must be a string, found {json_type(value)}", path, line)
        if value == "-":
            continue  # pnpm: remove the dependency
        name = name_of(selector)
        if not is_valid_name(name):
            raise ManifestError(f"{what} does not name a package", path, line)
        out.append(_Entry(name, _resolve_reference(value, direct_specs, what, path, line), "prod", False, line))
    return out


def _dependencies(entries: list[_Entry], path: str) -> tuple[Dependency, ...]:
    """Entries as Dependencies in file order; one package with one specifier declared twice is kept once, in
    the strongest scope (entries come strongest first)."""
    deps: list[Dependency] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        if (entry.name, entry.spec) in seen:
            continue
        seen.add((entry.name, entry.spec))
        spec = classify(entry.name, entry.spec)
        if not is_valid_name(spec.name):
            raise ManifestError(f"{entry.name!r}: {entry.spec!r} does not name a package", path, entry.line)
        specifier = entry.spec if spec.name == entry.name else f"{entry.name}@{entry.spec}"
        deps.append(
            Dependency(
                ecosystem="npm",
                name=spec.name,
                version=spec.version,
                specifier=specifier,
                source=spec.source,
                scope=entry.scope,
                direct=entry.direct,
                manifest=path,
                line=entry.line,
            )
        )
    deps.sort(key=lambda dep: (dep.line is None, dep.line or 0))
    return tuple(deps)
