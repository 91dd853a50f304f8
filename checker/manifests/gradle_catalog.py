"""Parser for Gradle version catalogs, ``gradle/libs.versions.toml`` and other ``*.versions.toml`` (format
"gradle-catalog", ecosystem "maven", kind "declared").

The catalog is TOML (read by tomllib) with four tables, as Gradle's ``TomlCatalogFileParser`` reads them:

- ``[versions]``: alias -> a version: a string, or a rich version table (``strictly``, ``require``, ``prefer``,
  ``reject``, ``rejectAll``);
- ``[libraries]``: alias -> ``"group:artifact:version"``, or a table with ``module = "group:artifact"`` or
  ``group`` and ``name``, and a ``version`` that is a string, a rich version table, or ``version.ref`` naming a
  ``[versions]`` alias; no version at all (a platform or BOM decides it) is allowed;
- ``[plugins]``: alias -> ``"plugin.id:version"`` or a table with ``id`` and a version as above;
- ``[bundles]``: alias -> a list of library aliases; a bundle adds no module of its own, so it is only checked
  for naming libraries that exist.

Each library is a dependency named ``group:artifact`` (scope prod: the catalog does not say which configuration
uses it, and prod is the stricter choice). Each plugin is named by the Maven coordinates Gradle resolves a plugin
id through, its marker artifact ``<id>:<id>.gradle.plugin``, with scope build (a plugin runs in the build). The
version is exact when the catalog states one version: a plain version string (not a range ``[1.0,2.0)``, a prefix
``1.+`` or ``latest.release``), else ``strictly``, else ``require``, else ``prefer`` when it is exact; the
specifier is what the catalog writes (``strictly [1.0,2.0[; prefer 1.5``). A ``version.ref`` to no alias, an entry
of the wrong shape, a coordinate that is not ``group:artifact[:version]`` are Problems at their line (Gradle
refuses the catalog), and the other entries are still read.
"""

from __future__ import annotations

import re
from typing import Any

from checker.errors import ManifestError
from checker.manifests.common import is_blank, load_toml
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "gradle-catalog"
ECOSYSTEM = "maven"
_SECTIONS = ("versions", "libraries", "plugins", "bundles")
_RICH_KEYS = ("strictly", "require", "prefer", "reject", "rejectAll")
_HEADER = re.compile(r"[ \t]*\[[ \t]*([A-Za-z0-9_.\"' -]+?)[ \t]*\][ \t]*(?:#.*)?$")
_KEY = re.compile(r"[ \t]*(?:\"([^\"\n]*)\"|'([^'\n]*)'|([A-Za-z0-9_-]+))[ \t]*[=.]")


class _Lines:
    """Where each alias of each section is written: ``alias = …`` under ``[section]``, or a ``[section.alias]``
    header. tomllib keeps no positions; an alias this scan cannot place has no line (never a wrong one)."""

    def __init__(self, text: str) -> None:
        self.found: dict[tuple[str, str], int] = {}
        section = ""
        for number, line in enumerate(text.splitlines(), 1):
            header = _HEADER.match(line)
            if header:
                parts = [p.strip().strip("\"'") for p in header.group(1).split(".")]
                section = parts[0]
                if len(parts) == 2:
                    self.found.setdefault((section, parts[1]), number)
                continue
            key = _KEY.match(line)
            if key and section in _SECTIONS:
                self.found.setdefault((section, next(g for g in key.groups() if g is not None)), number)

    def of(self, section: str, alias: str) -> int | None:
        return self.found.get((section, alias))


def parse(text: str, path: str, read: Reader) -> Manifest:
    if is_blank(text):
        return Manifest(path=path, format=FORMAT, ecosystem=ECOSYSTEM, dependencies=(), kind="declared")
    data = load_toml(text, path)
    lines = _Lines(text)
    problems: list[Problem] = []
    tables: dict[str, dict[str, Any]] = {}
    for section in _SECTIONS:
        value = data.get(section, {})
        if not isinstance(value, dict):
            raise ManifestError(f"[{section}] must be a table", path)
        tables[section] = value
    versions = tables["versions"]
    dependencies: list[Dependency] = []
    for alias, entry in tables["libraries"].items():
        line = lines.of("libraries", alias)
        try:
            dependencies.append(_library(alias, entry, versions, path, line))
        except _Invalid as invalid:
            problems.append(Problem(f"[libraries] {alias}: {invalid}", line))
    for alias, entry in tables["plugins"].items():
        line = lines.of("plugins", alias)
        try:
            dependencies.append(_plugin(alias, entry, versions, path, line))
        except _Invalid as invalid:
            problems.append(Problem(f"[plugins] {alias}: {invalid}", line))
    for alias, members in tables["bundles"].items():
        line = lines.of("bundles", alias)
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            problems.append(Problem(f"[bundles] {alias}: expected a list of library aliases", line))
            continue
        missing = [m for m in members if m not in tables["libraries"]]
        if missing:
            problems.append(Problem(f"[bundles] {alias}: names no library {', '.join(missing)}", line))
    return Manifest(path=path, format=FORMAT, ecosystem=ECOSYSTEM, dependencies=tuple(dependencies),
                    kind="declared", problems=tuple(problems))


class _Invalid(Exception):
    """An entry Gradle would refuse: a Problem at its line."""


def _coordinate(part: str) -> bool:
    return bool(part) and not any(c.isspace() or c in ":,=" for c in part)


def _library(alias: str, entry: object, versions: dict[str, Any], path: str, line: int | None) -> Dependency:
    if isinstance(entry, str):
        parts = entry.split(":")
        if len(parts) != 3 or not all(_coordinate(p) for p in parts[:2]) or not parts[2].strip():
            raise _Invalid(f"expected \"group:artifact:version\", found {entry!r}")
        name, (version, specifier) = f"{parts[0]}:{parts[1]}", _plain(parts[2])
    elif isinstance(entry, dict):
        unknown = set(entry) - {"module", "group", "name", "version"}
        if unknown:
            raise _Invalid(f"unknown key {', '.join(sorted(unknown))} (expected module or group and name, and "
                           "version)")
        if "module" in entry:
            module = entry["module"]
            parts = module.split(":") if isinstance(module, str) else []
            if len(parts) != 2 or not all(_coordinate(p) for p in parts) or "group" in entry or "name" in entry:
                raise _Invalid(f"module must be \"group:artifact\" (and alone), found {module!r}")
            name = module
        else:
            group, artifact = entry.get("group"), entry.get("name")
            if not isinstance(group, str) or not isinstance(artifact, str) or not _coordinate(group) or not \
                    _coordinate(artifact):
                raise _Invalid("expected module = \"group:artifact\", or group and name")
            name = f"{group}:{artifact}"
        version, specifier = _version(entry.get("version"), versions)
    else:
        raise _Invalid("expected a \"group:artifact:version\" string or a table")
    return Dependency(ecosystem=ECOSYSTEM, name=name, version=version, specifier=specifier, scope="prod",
                      direct=True, manifest=path, line=line)


def _plugin(alias: str, entry: object, versions: dict[str, Any], path: str, line: int | None) -> Dependency:
    if isinstance(entry, str):
        plugin_id, colon, version_text = entry.rpartition(":")
        if not colon or not _coordinate(plugin_id) or not version_text.strip():
            raise _Invalid(f"expected \"plugin.id:version\", found {entry!r}")
        version, specifier = _plain(version_text)
    elif isinstance(entry, dict):
        unknown = set(entry) - {"id", "version"}
        given = entry.get("id")
        if unknown or not isinstance(given, str) or not _coordinate(given):
            raise _Invalid("expected a table with id and version")
        plugin_id = given
        version, specifier = _version(entry.get("version"), versions)
    else:
        raise _Invalid("expected a \"plugin.id:version\" string or a table")
    return Dependency(ecosystem=ECOSYSTEM, name=f"{plugin_id}:{plugin_id}.gradle.plugin", version=version,
                      specifier=specifier, scope="build", direct=True, manifest=path, line=line)


def _plain(text: str) -> tuple[str | None, str]:
    from checker.versions import maven

    text = text.strip()
    return maven.exact(text), text


def _version(value: object, versions: dict[str, Any], referenced: bool = False) -> tuple[str | None, str]:
    """(exact version or None, specifier as written) of a library's or plugin's ``version``."""
    from checker.versions import maven

    if value is None:
        return None, ""
    if isinstance(value, str):
        return _plain(value)
    if not isinstance(value, dict):
        raise _Invalid("version must be a string or a table")
    if "ref" in value:
        ref = value["ref"]
        if referenced or len(value) != 1 or not isinstance(ref, str):
            raise _Invalid("version.ref must stand alone and name a [versions] alias")
        if ref not in versions:
            raise _Invalid(f"version.ref names no [versions] alias {ref!r}")
        return _version(versions[ref], versions, referenced=True)
    unknown = set(value) - set(_RICH_KEYS)
    if unknown:
        raise _Invalid(f"unknown version key {', '.join(sorted(unknown))} (expected ref or {', '.join(_RICH_KEYS)})")
    parts = []
    for key in _RICH_KEYS:
        if key in value:
            item = value[key]
            shown = ", ".join(map(str, item)) if isinstance(item, list) else str(item).lower() \
                if isinstance(item, bool) else str(item)
            parts.append(f"{key} {shown}")
    for key in ("strictly", "require", "prefer"):
        item = value.get(key)
        if item is None:
            continue
        if not isinstance(item, str):
            raise _Invalid(f"version {key} must be a string")
        exact = maven.exact(item)
        if exact is not None:
            return exact, "; ".join(parts)
        break  # the strongest stated is a range: no one version
    return None, "; ".join(parts)
