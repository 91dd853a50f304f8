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

Beyond dependencies, what decides what an install downloads and runs:

- ``packageManager`` and ``devEngines.packageManager``: the package manager Corepack downloads and runs, an npm
  dependency of scope ``build``; an unpinned one is also an install command (checker/manifests/corepack.py);
- the lifecycle scripts an install runs, and the scripts they run: ``config`` dependencies
  ``npm.scripts.<name>`` whose version is the command (checker/manifests/npm_scripts.py);
- patches (pnpm's ``pnpm.patchedDependencies``, Bun's ``patchedDependencies``, Yarn's ``patch:`` ranges): the
  patched package with the patch file's hash, read through the snapshot (checker/manifests/npm_patches.py);
- pnpm's settings in the ``pnpm`` field (which dependencies may run install scripts, ``configDependencies``,
  ``packageExtensions``) and Bun's ``trustedDependencies`` (checker/manifests/pnpm_settings.py).
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple

from checker.errors import ManifestError
from checker.manifests import corepack, npm_patches
from checker.manifests.settings import repository_path
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
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "package-json"
# section -> scope, in order of strength (the first section naming a package with a given specifier wins)
_SECTIONS = (
    ("dependencies", "prod"),
    ("peerDependencies", "prod"),
    ("optionalDependencies", "optional"),
    ("devDependencies", "dev"),
)
_MAX_OVERRIDE_DEPTH = 32
_PNPM_DELIMITER = re.compile(r"[^ |@]>")  # the end of a pnpm override's parent selector


class Entry(NamedTuple):
    """One declaration before it becomes a Dependency (package.json's sections, overrides, pnpm-workspace.yaml's
    catalogs and overrides)."""

    name: str  # the key as written (an alias name for npm: aliases)
    spec: str
    scope: str
    direct: bool
    line: int | None



class Extras(NamedTuple):
    """What a package.json adds besides its declared dependencies."""

    dependencies: list[Dependency]
    includes: list[str]
    problems: list[Problem]
    commands: list


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a package.json into its declared dependencies and overrides, its package manager, the scripts an
    install runs, its patches and its install settings."""
    if "node_modules" in path.split("/"):
        return Manifest(path=path, format=FORMAT, ecosystem="npm", dependencies=(), kind="declared")
    data = load_json(text, path, "a package.json")
    lines = key_lines(text, _wanted)
    extras = Extras([], [], [], [])
    entries: list[Entry] = []
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
            entries.append(Entry(name, spec, scope_here, True, line))
    _check_bundled(data, lines, path)
    _check_workspaces(data, lines, path)
    direct_specs = {e.name: e.spec for e in entries}
    entries.extend(_npm_overrides(data, lines, path, direct_specs))
    entries.extend(flat_overrides(data, ("resolutions",), lines, path, direct_specs, _resolution_name))
    pnpm = data.get("pnpm")
    if pnpm is not None:
        pnpm = expect_object(pnpm, '"pnpm"', path, lines.get(("pnpm",)))
        if "overrides" in pnpm:
            entries.extend(flat_overrides(pnpm, ("pnpm", "overrides"), lines, path, direct_specs, pnpm_override_name))
        if "packageExtensions" in pnpm:
            entries.extend(package_extensions(pnpm["packageExtensions"], ("pnpm", "packageExtensions"), lines, path))
        _pnpm_field(pnpm, lines, path, read, extras)
    _bun_fields(data, lines, path, read, extras)
    manager = corepack.read(data, lines, path)
    extras.dependencies.extend(manager.dependencies)
    extras.commands.extend(manager.commands)
    extras.problems.extend(manager.problems)
    _scripts(data, lines, path, extras)
    return declared_manifest(entries, path, read, extras, FORMAT)


def declared_manifest(entries: list[Entry], path: str, read: Reader, extras: Extras, fmt: str) -> Manifest:
    """The manifest of a file that declares npm dependencies (package.json, pnpm-workspace.yaml): its entries and
    everything else it adds, in file order."""
    dependencies = list(declared_dependencies(entries, path, read, extras))
    dependencies.extend(extras.dependencies)
    dependencies.sort(key=lambda dep: (dep.line is None, dep.line or 0))
    return Manifest(
        path=path,
        format=fmt,
        ecosystem="npm",
        dependencies=tuple(dependencies),
        kind="declared",
        includes=tuple(dict.fromkeys(extras.includes)),
        problems=tuple(extras.problems),
        commands=tuple(extras.commands),
    )


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The patch files a package.json names (pnpm's and Bun's ``patchedDependencies``, Yarn's ``patch:`` ranges),
    with the line of each, found without the rest of a parse. A package.json that does not say ``patch`` names
    none, which is nearly all of them: that costs one substring search."""
    if "patch" not in text or "node_modules" in path.split("/"):
        return []
    try:
        data = load_json(text, path, "a package.json")
    except ManifestError:
        return []  # the parse reports it
    lines = key_lines(text, _wanted)
    found: list[tuple[str, int | None]] = []
    for key_path, table in _patch_maps(data):
        if isinstance(table, dict):
            for key, written in table.items():
                target = repository_path(path, written) if isinstance(written, str) else None
                if target is not None:
                    found.append((target, lines.get(key_path + (key,))))
    for key_path, spec in _specifiers(data):
        patch = npm_patches.yarn_patch(spec, path)
        if patch is not None:
            found.extend((ref.path, lines.get(key_path)) for ref in patch[1] if ref.path is not None)
    return found


def _patch_maps(data: dict) -> list[tuple[tuple[str, ...], object]]:
    """pnpm's (``pnpm.patchedDependencies``) and Bun's (``patchedDependencies``) patch maps, where present."""
    maps: list[tuple[tuple[str, ...], object]] = []
    pnpm = data.get("pnpm")
    if isinstance(pnpm, dict) and "patchedDependencies" in pnpm:
        maps.append((("pnpm", "patchedDependencies"), pnpm["patchedDependencies"]))
    if "patchedDependencies" in data:
        maps.append((("patchedDependencies",), data["patchedDependencies"]))
    return maps


def _specifiers(data: dict) -> list[tuple[tuple[str, ...], str]]:
    """Every string specifier of the dependency sections and ``resolutions``, with its key path."""
    found: list[tuple[tuple[str, ...], str]] = []
    for section in [name for name, _ in _SECTIONS] + ["resolutions"]:
        table = data.get(section)
        if isinstance(table, dict):
            found.extend(((section, key), value) for key, value in table.items() if isinstance(value, str))
    return found


def _pnpm_field(pnpm: dict, lines: dict, path: str, read: Reader, extras: Extras) -> None:
    """package.json's ``pnpm`` field: patches, install settings and config dependencies (pnpm 9 and earlier)."""
    from checker.manifests import pnpm_settings

    if "patchedDependencies" in pnpm:
        patched(pnpm["patchedDependencies"], ("pnpm", "patchedDependencies"), lines, path, read, extras)
    extras.dependencies.extend(
        pnpm_settings.setting_dependencies("pnpm", pnpm, ("pnpm",), pnpm_settings.SETTINGS, lines, path))
    if "configDependencies" in pnpm:
        extras.dependencies.extend(pnpm_settings.config_dependencies(
            pnpm["configDependencies"], '"pnpm.configDependencies"', lines, ("pnpm", "configDependencies"), path))


def _bun_fields(data: dict, lines: dict, path: str, read: Reader, extras: Extras) -> None:
    """Bun's ``patchedDependencies`` and ``trustedDependencies`` (the packages allowed to run install scripts)."""
    if "patchedDependencies" in data:
        patched(data["patchedDependencies"], ("patchedDependencies",), lines, path, read, extras)
    if "trustedDependencies" in data:
        from checker.manifests import pnpm_settings

        trusted = data["trustedDependencies"]
        line = lines.get(("trustedDependencies",))
        if not isinstance(trusted, list) or not all(isinstance(item, str) for item in trusted):
            raise ManifestError('"trustedDependencies" must be an array of package names', path, line)
        extras.dependencies.extend(pnpm_settings.setting_dependencies(
            "bun", data, (), frozenset({"trustedDependencies"}), lines, path))


def patched(table: object, key_path: tuple[str, ...], lines: dict, path: str, read: Reader, extras: Extras) -> None:
    """A ``patchedDependencies`` map (pnpm's or Bun's) at ``key_path``: the patched packages, the patch files read,
    and what could not be read, into ``extras``."""
    what = f'"{".".join(key_path)}"'
    table = string_map(table, what, path, lines.get(key_path))
    for key in table:
        name = npm_patches.selector_parts(key)[0]
        if not is_valid_name(name):
            raise ManifestError(f"{what}: {key!r} does not name a package", path, lines.get(key_path + (key,)))
    found = npm_patches.patched_map(table, what, path, read, lambda key: lines.get(key_path + (key,)))
    extras.dependencies.extend(found.dependencies)
    extras.includes.extend(found.includes)
    extras.problems.extend(found.problems)


def _scripts(data: dict, lines: dict, path: str, extras: Extras) -> None:
    """The scripts an install runs (see checker/manifests/npm_scripts.py). ``scripts`` that is not an object is
    dropped by npm (normalize-package-data) and runs nothing: a Problem, since other tools may think otherwise."""
    scripts = data.get("scripts")
    if scripts is None:
        return
    if not isinstance(scripts, dict):
        extras.problems.append(Problem(f'"scripts" must be an object, found {json_type(scripts)}',
                                       lines.get(("scripts",))))
        return
    from checker.manifests.npm_scripts import script_dependencies

    extras.dependencies.extend(script_dependencies(scripts, lines, path))


def package_extensions(value: object, key_path: tuple[str, ...], lines: dict, path: str) -> list[Entry]:
    """pnpm's (and Yarn's) ``packageExtensions``: ``{"selector": {"dependencies": {...}, ...}}`` adds dependencies
    to the packages the selector matches, deep in the tree: declarations, not direct."""
    what = f'"{".".join(key_path)}"'
    table = expect_object(value, what, path, lines.get(key_path))
    out: list[Entry] = []
    for selector, extension in table.items():
        here = key_path + (selector,)
        extension = expect_object(extension, f"{what} {selector!r}", path, lines.get(here, lines.get(key_path)))
        for section, scope in _SECTIONS:
            if section not in extension:
                continue
            where = here + (section,)
            added = string_map(extension[section], f"{what} {selector!r} {section}", path,
                               lines.get(where, lines.get(here)))
            for name, spec in added.items():
                line = lines.get(where + (name,), lines.get(here))
                _check_name(name, f"{what} {selector!r} {section}", path, line)
                out.append(Entry(name, spec, scope, False, line))
    return out


def _wanted(parent: tuple[str, ...]) -> bool:
    """Keys whose lines are needed: top-level keys, dependency names, override keys at any depth, and every key
    of the ``pnpm`` field (settings, patches, extensions)."""
    if len(parent) <= 1:
        return True
    return parent[0] in ("overrides", "resolutions", "pnpm")


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


def _resolve_reference(spec: str, direct_specs: dict[str, str] | None, what: str, path: str, line: int | None) -> str:
    """``$name`` -> the specifier the project declares for ``name`` (npm's override references). Without
    ``direct_specs`` (pnpm-workspace.yaml, whose references point into the root package.json) the reference is
    kept as written: the dependency it names is judged where it is declared."""
    if not spec.startswith("$") or direct_specs is None:
        return spec
    target = spec[1:]
    if target not in direct_specs:
        raise ManifestError(f"{what}: {spec!r} refers to {target!r}, which is not a direct dependency", path, line)
    return direct_specs[target]


def _selector_name(key: str) -> str:
    """``foo@^1`` -> ``foo``; ``@scope/foo@1`` -> ``@scope/foo``."""
    at = key.find("@", 1)
    return key if at < 0 else key[:at]


def _npm_overrides(data: dict, lines: dict, path: str, direct_specs: dict[str, str]) -> list[Entry]:
    """npm ``overrides``: ``{"foo": "1.0.0", "bar": {".": "2", "baz": "3"}}`` (nested to any depth)."""
    if "overrides" not in data:
        return []
    root = expect_object(data["overrides"], '"overrides"', path, lines.get(("overrides",)))
    out: list[Entry] = []
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
            out.append(Entry(name, _resolve_reference(spec, direct_specs, what, path, line), "prod", False, line))
    out.sort(key=lambda e: (e.line or 0, e.name))
    return out


def _resolution_name(key: str) -> str:
    """Yarn ``resolutions`` keys are paths of names, possibly with globs: ``**/a/@s/b`` -> ``@s/b``."""
    parts = [p for p in key.split("/") if p and p != "**"]
    if len(parts) >= 2 and parts[-2].startswith("@"):
        return _selector_name(f"{parts[-2]}/{parts[-1]}")
    return _selector_name(parts[-1]) if parts else key


def pnpm_override_name(key: str) -> str:
    """pnpm override keys: ``foo``, ``foo@^1``, ``parent@1>foo`` -> the overridden package ``foo``. The parent
    ends at the first ``>`` not preceded by a space, ``|`` or ``@`` (@pnpm/parse-overrides' delimiter), so the
    ``>`` of a range (``ajv@>=7 <8``) is not one."""
    found = _PNPM_DELIMITER.search(key)
    return _selector_name(key if found is None else key[found.end():])


def flat_overrides(
    container: dict,
    key_path: tuple[str, ...],
    lines: dict,
    path: str,
    direct_specs: dict[str, str] | None,
    name_of: Callable[[str], str],
) -> list[Entry]:
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
        out.append(Entry(name, _resolve_reference(value, direct_specs, what, path, line), "prod", False, line))
    return out


def declared_dependencies(entries: list[Entry], path: str, read: Reader,
                          extras: Extras) -> tuple[Dependency, ...]:
    """Entries as Dependencies in file order; one package with one specifier declared twice is kept once, in
    the strongest scope (entries come strongest first). A Yarn ``patch:`` range is the patched package with its
    patch files' hashes (checker/manifests/npm_patches.py); the files read and the problems go to ``extras``."""
    deps: list[Dependency] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        if (entry.name, entry.spec) in seen:
            continue
        seen.add((entry.name, entry.spec))
        hashes: frozenset[str] = frozenset()
        patch = npm_patches.yarn_patch(entry.spec, path) if entry.spec.startswith("patch:") else None
        if patch is not None:
            inner, refs = patch
            spec = classify(entry.name, inner)
            found, read_paths, problems = npm_patches.patch_hashes(refs, read, f"{entry.name!r}", entry.line)
            hashes = frozenset(found)
            extras.includes.extend(read_paths)
            extras.problems.extend(problems)
        else:
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
                hashes=hashes,
                scope=entry.scope,
                direct=entry.direct,
                manifest=path,
                line=entry.line,
            )
        )
    deps.sort(key=lambda dep: (dep.line is None, dep.line or 0))
    return tuple(deps)
