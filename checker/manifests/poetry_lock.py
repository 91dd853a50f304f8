"""Parser for Poetry's lockfile, ``poetry.lock`` (format "poetry-lock", kind "lock").

Lock versions 1.1, 2.0 and 2.1 (``[metadata] lock-version``), and the lockfiles of Poetry 1.0 and older, which
have no ``lock-version`` (Poetry reads a missing one as 1.0; ``lock-version = "1.0"`` was written by Poetry 1.0's
last releases) and the layout of 1.1. Every ``[[package]]`` is a dependency; its
``[package.source]`` says where it comes from (``git``, ``url``, ``file``, ``directory``, ``legacy`` for a private
index; no source table means PyPI). Hashes sit in ``[metadata.files]`` (name -> ``[{file, hash}]``) in 1.0 and 1.1
and in each package's ``files`` in 2.x; Poetry 0.12 wrote ``[metadata.hashes]`` instead (name -> bare sha256 hex
digests, which Poetry passes to pip as ``sha256:``). A 1.0 lockfile with neither table is refused, naming them:
Poetry itself cannot install from it.

Scope: 1.1 says ``category = "main" | "dev"``; 2.1 says ``groups = [...]`` (a package in ``main`` is prod, one only
in other groups is dev); ``optional = true`` (an extra) makes it optional. Lock version 2.0 states neither
category nor groups, so its packages are prod unless optional.

Direct: the lockfile does not say which packages the project asks for, so ``direct`` comes from the
``pyproject.toml`` beside it (PEP 621 ``dependencies``, ``optional-dependencies``, PEP 735 ``[dependency-groups]``,
and Poetry's ``dependencies``, ``group.*.dependencies`` and legacy ``dev-dependencies``). When there is no such
pyproject.toml, every package is marked direct: lockgate cannot tell, and treating a package as direct is the
stricter choice.
"""

from __future__ import annotations

import posixpath
import re

from checker.errors import ManifestError
from checker.manifests.common import (
    is_blank,
    canonical_pypi_name,
    expect_list,
    expect_str,
    expect_table,
    load_toml,
    parse_hash,
    project_name,
)
from checker.model import Dependency, Manifest, Reader, Source

FORMAT = "poetry-lock"
SUPPORTED_LOCK_VERSIONS = ("1.0", "1.1", "2.0", "2.1")
# What Poetry takes a lockfile without lock-version for; 1.0 and 1.1 share a layout (category, [metadata.files]).
_UNNUMBERED = "1.0"
_METADATA_FILES_VERSIONS = ("1.0", "1.1")
_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")

# Poetry source type -> the model's Source kind.
_SOURCE_KINDS = {"git": "git", "url": "url", "file": "path", "directory": "path", "legacy": "registry"}
_PACKAGE_HEADER_LINE = re.compile(r"^[ \t]*\[\[[ \t]*package[ \t]*\]\]", re.MULTILINE)
_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a poetry.lock; ``read`` fetches the sibling pyproject.toml that says which packages are direct."""
    if is_blank(text):
        raise ManifestError("empty file, expected a poetry.lock lockfile", path)
    data = _load(text, path)
    lock_version = _lock_version(data, text, path)
    files_by_name = _metadata_files(data, text, path, lock_version) if lock_version in _METADATA_FILES_VERSIONS else {}
    direct_names = _direct_names(path, read)
    raw_packages = expect_list(data.get("package", []), "[[package]]", path)
    lines = _package_lines(text, len(raw_packages))
    dependencies = tuple(
        _dependency(raw, lines[index], lock_version, files_by_name, direct_names, path)
        for index, raw in enumerate(raw_packages)
    )
    return Manifest(path=path, format=FORMAT, ecosystem="pypi", dependencies=dependencies, kind="lock")


def _load(text: str, path: str) -> dict:
    """load_toml, with absurdly deep nesting (which tomllib meets with RecursionError) reported as bad input."""
    try:
        return load_toml(text, path)
    except RecursionError:
        raise ManifestError("not valid TOML: values nested too deeply", path) from None


def _lock_version(data: dict, text: str, path: str) -> str:
    """``[metadata] lock-version``: the layout of everything else (where hashes are, how scope is told) hangs
    on it, so a missing or unknown one is an error rather than a guess."""
    supported = ", ".join(SUPPORTED_LOCK_VERSIONS)
    if "metadata" not in data:
        raise ManifestError(f"missing [metadata], expected a poetry.lock with lock-version {supported}", path)
    metadata = expect_table(data["metadata"], "[metadata]", path)
    if "lock-version" not in metadata:
        return _UNNUMBERED  # Poetry 1.0 and older (Poetry's own reading of a missing lock-version)
    version = metadata["lock-version"]
    if not isinstance(version, str) or version not in SUPPORTED_LOCK_VERSIONS:
        line = _line_of(text, r"^[ \t]*lock-version[ \t]*=")
        raise ManifestError(
            f"unsupported poetry.lock lock-version {version!r}; lockgate reads {supported}", path, line
        )
    return version


def _metadata_files(data: dict, text: str, path: str, lock_version: str) -> dict[str, frozenset[str]]:
    """Lock 1.0 and 1.1 keep every package's files in ``[metadata.files]``, keyed by name (all versions
    together); Poetry 0.12 kept bare sha256 digests in ``[metadata.hashes]``."""
    metadata = data["metadata"]
    if lock_version == _UNNUMBERED and "files" not in metadata:
        if "hashes" in metadata:
            return _metadata_hashes(metadata["hashes"], path)
        if data.get("package"):
            line = _line_of(text, r"^[ \t]*\[[ \t]*metadata[ \t]*\]")
            raise ManifestError("[metadata] has no lock-version (Poetry 1.0 or older) and neither [metadata.files] "
                                "nor [metadata.hashes]: the packages' hashes are missing", path, line)
    files = expect_table(metadata.get("files", {}), "[metadata.files]", path)
    return {canonical_pypi_name(name): _hashes(entries, f"[metadata.files] {name}", path, None)
            for name, entries in files.items()}


def _metadata_hashes(table: object, path: str) -> dict[str, frozenset[str]]:
    """Poetry 0.12's ``[metadata.hashes]``: name -> bare sha256 hex digests."""
    found = {}
    for name, digests in expect_table(table, "[metadata.hashes]", path).items():
        hashes = set()
        for digest in expect_list(digests, f"[metadata.hashes] {name}", path):
            digest = expect_str(digest, f"each of [metadata.hashes] {name}", path)
            if not _SHA256_HEX.fullmatch(digest):
                raise ManifestError(f"[metadata.hashes] {name}: {digest!r} is not a sha256 hex digest", path)
            hashes.add(f"sha256:{digest.lower()}")
        found[canonical_pypi_name(name)] = frozenset(hashes)
    return found


def _hashes(entries: object, what: str, path: str, line: int | None) -> frozenset[str]:
    """The ``hash`` of every ``{file, hash}`` entry, as ``algo:hex``."""
    hashes = set()
    for entry in expect_list(entries, what, path, line):
        entry = expect_table(entry, f"entry of {what}", path, line)
        if "hash" not in entry:
            continue
        value = expect_str(entry["hash"], f"`hash` in {what}", path, line)
        parsed = parse_hash(value)
        if parsed is None:
            raise ManifestError(f"`hash` in {what} must look like sha256:<hex>, found {value!r}", path, line)
        hashes.add(parsed)
    return frozenset(hashes)


def _dependency(raw: object, line: int | None, lock_version: str, files_by_name: dict[str, frozenset[str]],
                direct_names: frozenset[str] | None, path: str) -> Dependency:
    """One ``[[package]]`` as a Dependency; ``files_by_name`` holds lock 1.1's ``[metadata.files]`` hashes."""
    table = expect_table(raw, "[[package]]", path, line)
    for key in ("name", "version"):
        if key not in table:
            raise ManifestError(f"[[package]] without `{key}`", path, line)
    name = project_name(expect_str(table["name"], "package `name`", path, line), "package `name`", path, line)
    version = expect_str(table["version"], f"`version` of {name}", path, line)
    if lock_version in _METADATA_FILES_VERSIONS:
        hashes = files_by_name.get(name, frozenset())
    else:
        hashes = _hashes(table.get("files", []), f"`files` of {name}", path, line)
    source, editable = _source(table, name, path, line)
    return Dependency(
        ecosystem="pypi",
        name=name,
        version=version,
        source=source,
        hashes=hashes,
        scope=_scope(table, lock_version, name, path, line),
        direct=True if direct_names is None else name in direct_names,
        manifest=path,
        line=line,
        markers=_markers(table, name, path, line),
        editable=editable,
    )


def _scope(table: dict, lock_version: str, name: str, path: str, line: int | None) -> str:
    """optional if an extra; else prod for the main category/group, dev for any other."""
    optional = table.get("optional", False)
    if not isinstance(optional, bool):
        raise ManifestError(f"`optional` of {name} must be true or false", path, line)
    if optional:
        return "optional"
    if lock_version in _METADATA_FILES_VERSIONS:
        category = expect_str(table.get("category", "main"), f"`category` of {name}", path, line)
        if category not in ("main", "dev"):
            raise ManifestError(f"`category` of {name} must be \"main\" or \"dev\", found {category!r}", path, line)
        return "prod" if category == "main" else "dev"
    if "groups" not in table:
        return "prod"  # lock-version 2.0 does not record groups
    groups = expect_list(table["groups"], f"`groups` of {name}", path, line)
    return "prod" if "main" in groups else "dev"


def _markers(table: dict, name: str, path: str, line: int | None) -> str | None:
    """``markers`` as written; Poetry 2 writes a table per group when they differ, of which main's counts."""
    markers = table.get("markers")
    if markers is None or isinstance(markers, str):
        return markers
    markers = expect_table(markers, f"`markers` of {name}", path, line)
    main = markers.get("main")
    return main if isinstance(main, str) else None


def _source(table: dict, name: str, path: str, line: int | None) -> tuple[Source, bool]:
    """``[package.source]`` as a Source, and whether the package is a develop (editable) directory."""
    if "source" not in table:
        return Source(), False
    source = expect_table(table["source"], f"[package.source] of {name}", path, line)
    source_type = expect_str(source.get("type"), f"[package.source] `type` of {name}", path, line)
    if source_type not in _SOURCE_KINDS:
        raise ManifestError(
            f"[package.source] `type` of {name} must be one of {', '.join(_SOURCE_KINDS)}, found {source_type!r}",
            path,
            line,
        )
    url = expect_str(source.get("url"), f"[package.source] `url` of {name}", path, line)
    kind = _SOURCE_KINDS[source_type]
    if kind == "git":
        ref = source.get("reference")
        commit = source.get("resolved_reference")
        return Source(
            "git",
            url=url,
            ref=expect_str(ref, f"`reference` of {name}", path, line) if ref is not None else None,
            commit=expect_str(commit, f"`resolved_reference` of {name}", path, line) if commit else None,
        ), False
    editable = source_type == "directory" and table.get("develop") is True
    return Source(kind, url=url), editable


def _direct_names(path: str, read: Reader) -> frozenset[str] | None:
    """Canonical names the sibling pyproject.toml asks for, or None when there is no pyproject.toml."""
    pyproject_path = posixpath.join(posixpath.dirname(path), "pyproject.toml")
    text = read(pyproject_path)
    if text is None:
        return None
    data = _load(text, pyproject_path)
    names: set[str] = set()
    project = expect_table(data.get("project", {}), "[project]", pyproject_path)
    _add_requirements(names, project.get("dependencies", []), "[project] dependencies", pyproject_path)
    extras = expect_table(project.get("optional-dependencies", {}), "[project.optional-dependencies]",
                          pyproject_path)
    for extra, requirements in extras.items():
        _add_requirements(names, requirements, f"[project.optional-dependencies] {extra}", pyproject_path)
    groups = expect_table(data.get("dependency-groups", {}), "[dependency-groups]", pyproject_path)
    for group, requirements in groups.items():
        _add_requirements(names, requirements, f"[dependency-groups] {group}", pyproject_path)
    poetry = expect_table(expect_table(data.get("tool", {}), "[tool]", pyproject_path).get("poetry", {}),
                          "[tool.poetry]", pyproject_path)
    _add_keys(names, poetry.get("dependencies", {}), "[tool.poetry.dependencies]", pyproject_path)
    _add_keys(names, poetry.get("dev-dependencies", {}), "[tool.poetry.dev-dependencies]", pyproject_path)
    for group, body in expect_table(poetry.get("group", {}), "[tool.poetry.group]", pyproject_path).items():
        body = expect_table(body, f"[tool.poetry.group.{group}]", pyproject_path)
        _add_keys(names, body.get("dependencies", {}), f"[tool.poetry.group.{group}.dependencies]", pyproject_path)
    names.discard("python")
    return frozenset(names)


def _add_requirements(names: set[str], requirements: object, what: str, path: str) -> None:
    """Names of PEP 508 requirement strings. Tables (PEP 735 ``{include-group = ...}``) name no package."""
    for requirement in expect_list(requirements, what, path):
        if isinstance(requirement, dict):
            continue
        found = _REQUIREMENT_NAME.match(expect_str(requirement, f"entry of {what}", path))
        if found is None:
            raise ManifestError(f"entry of {what} does not start with a package name: {requirement!r}", path)
        names.add(canonical_pypi_name(found.group(1)))


def _add_keys(names: set[str], table: object, what: str, path: str) -> None:
    names.update(canonical_pypi_name(name) for name in expect_table(table, what, path))


def _package_lines(text: str, count: int) -> list[int | None]:
    """The line of each ``[[package]]`` header; no lines at all if the scan does not find exactly ``count``
    headers (one inside a multi-line string), rather than wrong ones."""
    starts = [match.start() for match in _PACKAGE_HEADER_LINE.finditer(text)]
    if len(starts) != count:
        return [None] * count
    lines: list[int | None] = []
    line, counted = 1, 0
    for start in starts:
        line += text.count("\n", counted, start)
        counted = start
        lines.append(line)
    return lines


def _line_of(text: str, pattern: str) -> int | None:
    found = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None
