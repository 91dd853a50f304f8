"""pnpm-workspace.yaml: a pnpm workspace's packages, catalogs, overrides, patches and install settings (a
"declared" manifest, format "pnpm-workspace").

pnpm reads it from the workspace root (only under this name: pnpm refuses ``pnpm-workspace.yml``). Since pnpm 10
it holds the settings that package.json's ``pnpm`` field held before, and since pnpm 9.5 the catalogs. What
lockgate reads (pnpm's docs: pnpm-workspace_yaml.md, catalogs.md, settings.md):

- ``packages``: folder globs of the workspace's members. Checked for shape; nothing to judge.
- ``catalog`` and ``catalogs.<name>``: the ranges that ``catalog:`` and ``catalog:<name>`` specifiers of the
  members resolve to. Each entry is a declared npm dependency (direct: the members declare it through the
  catalog), so that a catalog bumped without the lockfile is a change like any other.
- ``overrides``: as package.json's ``pnpm.overrides`` (not direct; ``"-"`` removes a dependency; a ``$name``
  reference to the root package.json is kept as written).
- ``packageExtensions``: dependencies added to packages deep in the tree (not direct).
- ``patchedDependencies``: each patched package with its patch file's hash (checker/manifests/npm_patches.py);
  the patch files are read through the snapshot, so the format declares ``includes``.
- ``configDependencies``: packages pnpm installs first, with their integrity (checker/manifests/pnpm_settings.py).
- the settings that decide which dependencies run install scripts, where packages come from and what is trusted
  (``onlyBuiltDependencies``, ``allowBuilds``, ``registry``, ``minimumReleaseAge``, ...; the list is in
  checker/manifests/pnpm_settings.py): ``config`` dependencies ``pnpm.<key>``.
- the pnpmfiles: JavaScript that pnpm loads on every install and whose hooks can rewrite any package's
  dependencies (``readPackage``) or the lockfile. pnpm loads ``.pnpmfile.mjs``, else ``.pnpmfile.cjs``, from the
  workspace root, and the files the ``pnpmfile`` setting names (a path or a list); ``ignorePnpmfile: true`` turns
  them off (hooks/pnpmfile: requireHooks.ts). Each file present is a ``config`` dependency ``pnpm.pnpmfile``
  whose version is its path and whose hash is its content's (``sha256:<hex>``, as for Yarn's ``yarnPath``): an edited pnpmfile is a
  ``hashes-changed`` change. A file the setting names that is missing or outside the repository is a Problem.

The YAML is composed into a tree with lines (checker/manifests/gha_yaml.py: scalars keep their text, duplicate
keys are refused as pnpm's YAML reader refuses them, aliases cost their size, not their expansion).
"""

from __future__ import annotations

import posixpath

from checker.errors import LockgateError, ManifestError
from checker.manifests import gha_yaml, pnpm_settings
from checker.manifests.common import is_blank
from checker.manifests.config_dependency import config_dependency
from checker.manifests.settings import repository_path
from checker.manifests.package_json import (
    Entry,
    Extras,
    declared_manifest,
    flat_overrides,
    package_extensions,
    patched,
    pnpm_override_name,
)
from checker.model import Manifest, Problem, Reader

FORMAT = "pnpm-workspace"


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a pnpm-workspace.yaml (see the module docstring)."""
    data, lines = _load(text, path)
    extras = Extras([], [], [], [])
    _check_packages(data, lines, path)
    entries = _catalogs(data, lines, path)
    if "overrides" in data:
        entries.extend(flat_overrides(data, ("overrides",), lines, path, None, pnpm_override_name))
    if "packageExtensions" in data:
        entries.extend(package_extensions(data["packageExtensions"], ("packageExtensions",), lines, path))
    _pnpmfiles(data, lines, path, read, extras)
    if data.get("patchedDependencies") is not None:
        patched(data["patchedDependencies"], ("patchedDependencies",), lines, path, read, extras)
    if "configDependencies" in data:
        extras.dependencies.extend(pnpm_settings.config_dependencies(
            data["configDependencies"], '"configDependencies"', lines, ("configDependencies",), path))
    extras.dependencies.extend(pnpm_settings.setting_dependencies("pnpm", data, (), pnpm_settings.SETTINGS, lines,
                                                                  path))
    return declared_manifest(entries, path, read, extras, FORMAT)


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The files a pnpm-workspace.yaml reads: its pnpmfiles and the patch files ``patchedDependencies`` names, with
    their lines. Only a file that mentions either setting is loaded; the others read the default pnpmfiles."""
    folder = posixpath.dirname(path)
    if "patchedDependencies" not in text and "pnpmfile" not in text.lower():
        return [(posixpath.join(folder, name), None) for name in _DEFAULT_PNPMFILES]
    try:
        data, lines = _load(text, path)
    except ManifestError:
        return []  # the parse reports it
    found = [(target, line) for _, target, line in _pnpmfile_paths(data, lines, path) if target is not None]
    table = data.get("patchedDependencies")
    if isinstance(table, dict):
        for key, written in table.items():
            target = repository_path(path, written) if isinstance(written, str) else None
            if target is not None:
                found.append((target, lines.get(("patchedDependencies", key))))
    return found


# What pnpm loads when no setting says otherwise: the first of these that exists, from the workspace root.
_DEFAULT_PNPMFILES = (".pnpmfile.mjs", ".pnpmfile.cjs")


def _pnpmfile_paths(data: dict, lines: dict, path: str) -> list[tuple[str, str | None, int | None]]:
    """(as written, repository path or None when it leaves the repository, line) of every pnpmfile pnpm would
    load; the defaults are written as their names, with no line."""
    if data.get("ignorePnpmfile") == "true":
        return []
    out: list[tuple[str, str | None, int | None]] = [
        (name, posixpath.join(posixpath.dirname(path), name), None) for name in _DEFAULT_PNPMFILES]
    named = data.get("pnpmfile")
    for index, written in enumerate(named if isinstance(named, list) else [named] if named is not None else []):
        line = lines.get(("pnpmfile", f"[{index}]"), lines.get(("pnpmfile",)))
        if isinstance(written, str):
            out.append((written, repository_path(path, written), line))
    return out


def _pnpmfiles(data: dict, lines: dict, path: str, read: Reader, extras: Extras) -> None:
    """``pnpm.pnpmfile`` for every pnpmfile present, with its content's hash (see the module docstring)."""
    named = data.get("pnpmfile")
    if named is not None and not (isinstance(named, str) or (
            isinstance(named, list) and all(isinstance(item, str) for item in named))):
        raise ManifestError('"pnpmfile" must be a path or a list of paths', path, lines.get(("pnpmfile",)))
    seen: set[str] = set()
    for written, target, line in _pnpmfile_paths(data, lines, path):
        default = line is None
        if target is None:
            extras.problems.append(Problem(f'"pnpmfile" {written!r} is outside the repository, so lockgate cannot '
                                           "see what it runs", line))
            continue
        if target in seen:
            continue
        seen.add(target)
        extras.includes.append(target)
        try:
            text = read(target)
        except LockgateError as error:
            extras.problems.append(Problem(f"the pnpmfile {target} cannot be read ({error.message})", line))
            continue
        if text is None:
            if not default:
                extras.problems.append(Problem(f"the pnpmfile {target} does not exist", line))
            continue
        dependency = config_dependency("pnpm.pnpmfile", written, path, line)
        extras.dependencies.append(dependency._replace(hashes=frozenset({f"sha256:{_sha256(text)}"})))


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _load(text: str, path: str) -> tuple[dict, dict]:
    """The document as plain data (mappings, lists, the text of scalars, None for null) and the line of every
    key and list item, keyed by its path (``("catalogs", "react17", "react")``, ``("packages", "[0]")``)."""
    if is_blank(text):
        return {}, {}
    root = gha_yaml.load(text, path)
    if root is None:
        return {}, {}
    if not isinstance(root, gha_yaml.Mapping):
        raise ManifestError(f"expected a pnpm-workspace.yaml: a mapping at the top level, found {gha_yaml.describe(root)}",
                            path, root.line)
    lines: dict[tuple[str, ...], int] = {}
    data = _plain(root, (), lines)
    assert isinstance(data, dict)
    return data, lines


def _plain(node: gha_yaml.Node, key_path: tuple[str, ...], lines: dict) -> object:
    if isinstance(node, gha_yaml.Mapping):
        out = {}
        for key, line, value in node.items():
            here = key_path + (key,)
            lines[here] = line
            out[key] = _plain(value, here, lines)
        return out
    if isinstance(node, gha_yaml.Sequence):
        items = []
        for index, item in enumerate(node.items):
            here = key_path + (f"[{index}]",)
            lines[here] = item.line
            items.append(_plain(item, here, lines))
        return items
    return None if node.null else node.text


def _check_packages(data: dict, lines: dict, path: str) -> None:
    packages = data.get("packages")
    if packages is None:
        return
    if not isinstance(packages, list) or not all(isinstance(item, str) for item in packages):
        raise ManifestError('"packages" must be a list of folder globs', path, lines.get(("packages",)))


def _catalogs(data: dict, lines: dict, path: str) -> list[Entry]:
    """``catalog`` (the default catalog) and every named catalog of ``catalogs``, as declarations."""
    tables: list[tuple[tuple[str, ...], object]] = []
    if "catalog" in data:
        tables.append((("catalog",), data["catalog"]))
    catalogs = data.get("catalogs")
    if catalogs is not None:
        if not isinstance(catalogs, dict):
            raise ManifestError('"catalogs" must be a mapping of catalog names to catalogs', path,
                                lines.get(("catalogs",)))
        tables.extend((("catalogs", name), table) for name, table in catalogs.items())
    entries: list[Entry] = []
    for key_path, table in tables:
        what = f'"{".".join(key_path)}"'
        if table is None:
            continue  # an empty catalog
        if not isinstance(table, dict):
            raise ManifestError(f"{what} must be a mapping of package names to ranges", path, lines.get(key_path))
        for name, spec in table.items():
            line = lines.get(key_path + (name,))
            if not isinstance(spec, str):
                raise ManifestError(f"{what} {name!r} must be a version range", path, line)
            entries.append(Entry(name, spec, "prod", True, line))
    return entries
