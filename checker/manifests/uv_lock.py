"""Parser for uv's lockfile, ``uv.lock`` (format "uv-lock", kind "lock").

Two readers. uv writes its lockfile in a small regular subset of TOML, which ``uv_lock_fast.read_fast`` reads
much faster than tomllib (its docstring states the grammar and names the benchmark); on anything outside that
subset it gives up, and ``load_toml`` reads the file in full and, for malformed input, produces the proper error
with its line. Both readers feed the same ``_build``, so a file gives the same Manifest whichever reader read it;
the test suite checks this on real and deliberately awkward files (``parse_lock(..., fast=False)`` forces the
tomllib path).

What counts as a dependency. Every ``[[package]]`` is one, except the workspace's own packages: those whose
source is ``editable`` or ``virtual`` and that are either listed in ``[manifest] members`` or are the root
(source path ``.``). ``direct`` means a workspace member (or, in a workspace without a root project, the
``[manifest]`` requirements and dependency groups) names the package. ``scope`` follows the dependency graph: prod
when reachable from a member's ``dependencies``, else optional when reachable from a member's
``optional-dependencies``, else dev when reachable from its ``dev-dependencies`` (dependency groups). An extra of a
package is followed only where some edge asks for it (``extra = [...]``). A lockfile without any workspace member
or manifest requirement (not something uv writes) gives no graph to walk: every package is then direct and prod,
the conservative reading.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from checker.errors import ManifestError
from checker.manifests.common import (
    artifact_origin, canonical_pypi_name, expect_list, expect_table, is_blank, load_toml,
)
from checker.manifests.uv_lock_fast import read_fast
from checker.model import Dependency, Manifest, Reader, Source

FORMAT = "uv-lock"
SUPPORTED_VERSIONS = (1,)

_SOURCE_KINDS = frozenset({"registry", "git", "url", "path", "directory", "editable", "virtual"})
_MEMBER_SOURCES = frozenset({"editable", "virtual"})
_GIT_REF_KEYS = ("rev", "tag", "branch")
_HASH = re.compile(r"[a-z0-9]+:[0-9a-f]+")
_HASH_LINES = re.compile(r"[a-z0-9]+:[0-9a-f]+(?:\n[a-z0-9]+:[0-9a-f]+)*")


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a uv.lock. ``read`` is not needed: the lockfile names its workspace members itself."""
    return parse_lock(text, path)


def parse_lock(text: str, path: str, *, fast: bool = True) -> Manifest:
    """Parse a uv.lock, trying the fast reader first unless ``fast`` is False (tests compare the two paths)."""
    if is_blank(text):
        raise ManifestError("empty file, expected a uv.lock lockfile", path)
    found = read_fast(text) if fast else None
    if found is None:
        data = load_toml(text, path)
        lines = _package_lines(text, data)
    else:
        data, lines = found
    return _build(data, lines, text, path)


# --------------------------------------------------------------------------------------------------------------
# The builder: TOML data -> Manifest. Both readers end here. It runs once per package and once per edge of a
# lockfile with thousands of them, so it checks types inline (building an error message only on error).


class _Edge(NamedTuple):
    """One dependency entry: the packages it may point at (indexes) and the extras it asks for."""

    targets: tuple[int, ...]
    extras: tuple[str, ...]


class _Package:
    """A ``[[package]]`` with its edges resolved to package indexes (mutable while the file is read)."""

    __slots__ = ("name", "version", "source", "source_kind", "line", "hashes", "hosts", "member", "dependencies",
                 "extras", "groups")

    def __init__(self, name: str, version: str | None, source: dict | None, source_kind: str | None,
                 line: int | None, hashes: frozenset[str], hosts: frozenset[str]) -> None:
        self.name, self.version, self.source, self.source_kind = name, version, source, source_kind
        self.line, self.hashes, self.hosts = line, hashes, hosts
        self.member = False
        self.dependencies: list[_Edge] = []
        self.extras: dict[str, list[_Edge]] = {}
        self.groups: dict[str, list[_Edge]] = {}


def _build(data: dict, lines: list[int | None], text: str, path: str) -> Manifest:
    """Turn the lockfile's data into a Manifest: check the version, read packages, walk the graph."""
    _check_version(data, text, path)
    manifest_table = expect_table(data.get("manifest", {}), "[manifest]", path)
    members = _member_names(manifest_table, path)
    raw_packages = expect_list(data.get("package", []), "[[package]]", path)
    origins: dict[frozenset[str], frozenset[str]] = {}  # one frozenset per set of hosts, shared by the packages
    packages = [
        _read_package(raw, lines[index] if index < len(lines) else None, members, origins, path)
        for index, raw in enumerate(raw_packages)
    ]
    _check_hashes(packages, path)
    by_name: dict[str, list[int]] = {}
    for index, package in enumerate(packages):
        by_name.setdefault(package.name, []).append(index)
    for raw, package in zip(raw_packages, packages):
        _read_edges(raw, package, packages, by_name, path)
    roots = _Roots.of(packages, manifest_table, by_name, path)
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem="pypi",
        dependencies=_dependencies(packages, roots, path, {}),
        kind="lock",
    )


def _check_version(data: dict, text: str, path: str) -> None:
    """uv.lock ``version = 1`` (any ``revision``); anything else is a format lockgate does not know."""
    supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
    if "version" not in data:
        raise ManifestError(f"missing top-level `version`, expected a uv.lock of version {supported}", path)
    version = data["version"]
    if type(version) is not int or version not in SUPPORTED_VERSIONS:
        found = _TOP_LEVEL_VERSION.search(text)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        raise ManifestError(
            f"unsupported uv.lock version {version!r}; lockgate reads version {supported} (any revision)", path, line
        )


def _member_names(manifest_table: dict, path: str) -> frozenset[str]:
    members = expect_list(manifest_table.get("members", []), "[manifest] members", path)
    if not all(type(member) is str for member in members):
        raise ManifestError("[manifest] members must be an array of strings", path)
    return frozenset(canonical_pypi_name(member) for member in members)


def _read_package(raw: object, line: int | None, members: frozenset[str],
                  origins: dict[frozenset[str], frozenset[str]], path: str) -> _Package:
    """Name, version, source and hashes of one ``[[package]]`` (edges come later, once every package is known)."""
    if type(raw) is not dict:
        raise ManifestError(f"[[package]] must be a table, found {type(raw).__name__}", path, line)
    name = raw.get("name")
    if type(name) is not str:
        raise ManifestError("[[package]] needs a string `name`", path, line)
    name = canonical_pypi_name(name)
    version = raw.get("version")
    if version is not None and type(version) is not str:
        raise ManifestError(f"`version` of {name} must be a string", path, line)
    source = raw.get("source")
    kind, at_root = None, False
    if source is not None:
        kind = _source_kind(source, name, path, line)
        at_root = source[kind] == "."
    hashes, hosts = _files(raw, name, path, line)
    package = _Package(name, version, source, kind, line, hashes, origins.setdefault(hosts, hosts))
    # The project itself: a workspace member, or the root (which a single-project lock does not list).
    package.member = kind in _MEMBER_SOURCES and (name in members or at_root)
    return package


def _source_kind(source: object, name: str, path: str, line: int | None) -> str:
    """Which of registry, git, url, path, directory, editable, virtual a ``source`` table is."""
    kinds: list[str] = [key for key in source if key in _SOURCE_KINDS] if type(source) is dict else []
    if type(source) is not dict or len(kinds) != 1 or type(source[kinds[0]]) is not str:
        raise ManifestError(
            f"`source` of {name} must be a table with one of {', '.join(sorted(_SOURCE_KINDS))} (a string)",
            path,
            line,
        )
    return kinds[0]


def _files(raw: dict, name: str, path: str, line: int | None) -> tuple[frozenset[str], frozenset[str]]:
    """The ``hash`` of the sdist and of every wheel, lower-cased (not the hash of a wheel's zstd copy: no
    installer checks that one), and the origins of their ``url``s (uv downloads from those, not from the index).
    The form of the hashes is checked for the whole file at once by ``_check_hashes``."""
    files = raw.get("wheels", [])
    if type(files) is not list:
        raise ManifestError(f"`wheels` of {name} must be an array", path, line)
    if "sdist" in raw:
        files = files + [raw["sdist"]]
    try:
        values = [entry["hash"] for entry in files if "hash" in entry]
        joined = "\n".join(values).lower()
        urls = {entry["url"] for entry in files if "url" in entry}
        hosts = frozenset(map(artifact_origin, urls)) if urls else frozenset()
    except TypeError:  # an entry that is not a table, or a hash or url that is not a string
        raise ManifestError(f"`sdist` and `wheels` of {name} must be tables with a string `hash` and `url`", path,
                            line) from None
    if not values:
        return frozenset(), hosts
    if joined.count("\n") != len(values) - 1:
        raise ManifestError(f"a `hash` of {name} spans lines", path, line)
    return frozenset(joined.split("\n")), hosts


def _check_hashes(packages: list[_Package], path: str) -> None:
    """Every hash must look like ``algo:hex``. A few string operations over all of them at once confirm the
    usual case (every hash ``sha256:`` and hex digits); otherwise one pattern over all of them decides, and
    only if that fails are they checked one by one, to name the package."""
    hashes = [file_hash for package in packages for file_hash in package.hashes]
    joined = "\n".join(hashes)
    if not joined or _all_sha256(joined, len(hashes)) or _HASH_LINES.fullmatch(joined):
        return
    for package in packages:
        for file_hash in sorted(package.hashes):
            if not _HASH.fullmatch(file_hash):
                raise ManifestError(
                    f"`hash` of {package.name} must look like sha256:<hex>, found {file_hash!r}", path, package.line
                )


def _all_sha256(joined: str, count: int) -> bool:
    """Whether ``joined`` (``count`` hashes, one per line, none empty) is all ``sha256:<hex>``: exactly one
    colon per hash, each line starting ``sha256:``, no empty digest, and nothing but hex digits left once the
    prefixes are gone. (If this says no, the general pattern still decides.)"""
    if joined.count(":") != count or ("\n" + joined).count("\nsha256:") != count:
        return False
    if ":\n" in joined or joined.endswith(":"):
        return False
    digests = joined.replace("sha256:", "").encode("utf-8")
    return not digests.translate(None, b"0123456789abcdef\n")


def _read_edges(raw: dict, package: _Package, packages: list[_Package], by_name: dict, path: str) -> None:
    """``dependencies``, ``optional-dependencies`` and ``dev-dependencies`` of one package, as edges."""
    package.dependencies = _edges(raw.get("dependencies", []), "dependencies", package, packages, by_name, path)
    for key, into in (("optional-dependencies", package.extras), ("dev-dependencies", package.groups)):
        table = raw.get(key, {})
        if type(table) is not dict:
            raise ManifestError(f"[package.{key}] of {package.name} must be a table", path, package.line)
        for group, entries in table.items():
            into[group] = _edges(entries, f"{key}.{group}", package, packages, by_name, path)


def _edges(entries: object, what: str, package: _Package, packages: list[_Package], by_name: dict,
           path: str) -> list[_Edge]:
    if type(entries) is not list:
        raise ManifestError(f"`{what}` of {package.name} must be an array", path, package.line)
    edges = []
    for entry in entries:
        if type(entry) is not dict or type(entry.get("name")) is not str:
            raise ManifestError(f"entries of `{what}` of {package.name} must be tables with a string `name`",
                                path, package.line)
        extras = entry.get("extra", ())
        if extras and (type(extras) is not list or not all(type(extra) is str for extra in extras)):
            raise ManifestError(f"`extra` in `{what}` of {package.name} must be an array of strings", path,
                                package.line)
        edges.append(_Edge(_resolve(entry, packages, by_name), tuple(extras)))
    return edges


def _resolve(entry: dict, packages: list[_Package], by_name: dict) -> tuple[int, ...]:
    """The packages an edge points at. uv states ``version`` and ``source`` only when the name is ambiguous;
    an edge that still matches several packages (or none exactly) points at every package of that name."""
    name = entry["name"]
    candidates = by_name.get(name)  # uv writes canonical names; any key of by_name is one
    if candidates is None:
        candidates = by_name.get(canonical_pypi_name(name), [])
    if len(candidates) <= 1:
        return tuple(candidates)
    exact = [
        index
        for index in candidates
        if ("version" not in entry or entry["version"] == packages[index].version)
        and ("source" not in entry or entry["source"] == packages[index].source)
    ]
    return tuple(exact or candidates)


class _Roots(NamedTuple):
    """Where the graph walk starts, by scope.

    known is False when the file names no workspace member and no requirement: there is nothing to walk from.
    """

    prod: tuple[_Edge, ...]
    optional: tuple[_Edge, ...]
    dev: tuple[_Edge, ...]
    known: bool

    @classmethod
    def of(cls, packages: list[_Package], manifest_table: dict, by_name: dict, path: str) -> "_Roots":
        prod: list[_Edge] = []
        optional: list[_Edge] = []
        dev: list[_Edge] = []
        known = "requirements" in manifest_table or "dependency-groups" in manifest_table
        for package in packages:
            if package.member:
                known = True
                prod.extend(package.dependencies)
                for edges in package.extras.values():
                    optional.extend(edges)
                for edges in package.groups.values():
                    dev.extend(edges)
        # A workspace without a root project (or a PEP 723 script) states its wants in [manifest] instead.
        prod.extend(_requirement_edges(manifest_table.get("requirements", []), "[manifest] requirements",
                                       by_name, path))
        groups = expect_table(manifest_table.get("dependency-groups", {}), "[manifest.dependency-groups]", path)
        for group, entries in groups.items():
            dev.extend(_requirement_edges(entries, f"[manifest.dependency-groups] {group}", by_name, path))
        return cls(tuple(prod), tuple(optional), tuple(dev), known)

    def direct(self) -> frozenset[int]:
        """The packages that the workspace names itself."""
        return frozenset(target for edge in self.prod + self.optional + self.dev for target in edge.targets)


def _requirement_edges(entries: object, what: str, by_name: dict, path: str) -> list[_Edge]:
    """Edges from ``[manifest]`` requirement tables (``{ name, specifier, extras, marker }``), matched by name."""
    edges = []
    for entry in expect_list(entries, what, path):
        if type(entry) is not dict or type(entry.get("name")) is not str:
            raise ManifestError(f"entries of {what} must be tables with a string `name`", path)
        extras = entry.get("extras", [])
        if type(extras) is not list or not all(type(extra) is str for extra in extras):
            raise ManifestError(f"`extras` in {what} must be an array of strings", path)
        edges.append(_Edge(tuple(by_name.get(canonical_pypi_name(entry["name"]), ())), tuple(extras)))
    return edges


def _reachable(seeds: tuple[_Edge, ...], packages: list[_Package]) -> set[int]:
    """Packages reachable from ``seeds``, following a package's extra only where an edge asks for that extra."""
    seen: set[tuple[int, str | None]] = set()
    stack: list[tuple[int, str | None]] = []

    def push(edge: _Edge) -> None:
        for target in edge.targets:
            stack.append((target, None))
            stack.extend((target, extra) for extra in edge.extras)

    for edge in seeds:
        push(edge)
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        index, extra = state
        package = packages[index]
        for edge in package.dependencies if extra is None else package.extras.get(extra, ()):
            push(edge)
    return {index for index, _ in seen}


def _dependencies(packages: list[_Package], roots: _Roots, path: str,
                  sources: dict[tuple[str, frozenset[str]], Source]) -> tuple[Dependency, ...]:
    if roots.known:
        # Prod wins over optional, optional over dev; packages that nothing reaches stay prod (the strictest).
        prod = _reachable(roots.prod, packages)
        optional = _reachable(roots.optional, packages) - prod
        dev = _reachable(roots.dev, packages) - prod - optional
        direct = roots.direct()
    else:
        optional, dev = set(), set()
        direct = frozenset(range(len(packages)))
    return tuple(
        Dependency(
            ecosystem="pypi",
            name=package.name,
            version=package.version,
            source=_source(package, sources),
            hashes=package.hashes,
            scope="optional" if index in optional else "dev" if index in dev else "prod",
            direct=index in direct,
            manifest=path,
            line=package.line,
            editable=package.source_kind == "editable",
        )
        for index, package in enumerate(packages)
        if not package.member
    )


def _source(package: _Package, sources: dict[tuple[str, frozenset[str]], Source]) -> Source:
    """The model's Source for a package's ``source`` table (a path for path, directory, editable, virtual); a
    registry package's with the hosts its files are downloaded from (one Source per index and hosts, shared)."""
    if package.source is None or package.source_kind is None:
        return Source(hosts=package.hosts)
    value = package.source[package.source_kind]
    if package.source_kind == "registry":
        key = (value, package.hosts)
        source = sources.get(key)
        if source is None:
            source = sources[key] = Source("registry", url=value, hosts=package.hosts)
        return source
    if package.source_kind == "git":
        return _git_source(value)
    if package.source_kind == "url":
        return Source("url", url=value)
    return Source("path", url=value)


def _git_source(value: str) -> Source:
    """``https://host/repo?rev=v1#<commit>`` -> repository URL, the ref from the query, the commit."""
    location, _, commit = value.partition("#")
    url, _, query = location.partition("?")
    ref = None
    for part in query.split("&") if query else ():
        key, _, ref_value = part.partition("=")
        if key in _GIT_REF_KEYS and ref_value:
            ref = ref_value
    if ref is not None and "%" in ref:
        from urllib.parse import unquote

        ref = unquote(ref)
    return Source("git", url=url, ref=ref, commit=commit or None)


# --------------------------------------------------------------------------------------------------------------
# Line numbers for the tomllib path.

_PACKAGE_HEADER_LINE = re.compile(r"^[ \t]*\[\[[ \t]*package[ \t]*\]\]", re.MULTILINE)
_TOP_LEVEL_VERSION = re.compile(r"^version[ \t]*=", re.MULTILINE)


def _package_lines(text: str, data: dict) -> list[int | None]:
    """The line of each ``[[package]]`` header, found by a scan of the text. If the count does not match the
    parsed packages (a header-like line inside a multi-line string), no line is claimed rather than a wrong one."""
    starts = [match.start() for match in _PACKAGE_HEADER_LINE.finditer(text)]
    packages = data.get("package")
    if not isinstance(packages, list) or len(starts) != len(packages):
        return []
    lines: list[int | None] = []
    line, counted = 1, 0
    for start in starts:
        line += text.count("\n", counted, start)
        counted = start
        lines.append(line)
    return lines
