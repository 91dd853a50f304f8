"""Parser for uv's lockfile, ``uv.lock`` (format "uv-lock", kind "lock").

Why two readers. A large workspace's uv.lock runs to megabytes, and lockgate reads two revisions of it on every
run; ``tomllib`` needs a few hundred milliseconds for one such file, which is most of lockgate's time budget. But
uv writes its lockfile deterministically, in a small regular subset of TOML: ``[[package]]`` headers,
``key = value`` lines, inline tables, and arrays with one inline table per line. ``_FastReader`` reads exactly that
subset with a handful of regular expressions and gives up (returns None) the moment it meets anything else: a
backslash escape, a literal or multi-line string, a dotted key, odd spacing, a comment inside an inline table, a
redefined table, a duplicate key. Then ``load_toml`` reads the file in full and, for malformed input, produces the
proper error with its line. Both readers feed the same ``_build``, so a file gives the same Manifest whichever
reader read it; the test suite checks this on real and deliberately awkward files (``parse_lock(..., fast=False)``
forces the tomllib path).

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
    kind = None if source is None else _source_kind(source, name, path, line)
    hashes, hosts = _files(raw, name, path, line)
    package = _Package(name, version, source, kind, line, hashes, origins.setdefault(hosts, hosts))
    # The project itself: a workspace member, or the root (which a single-project lock does not list).
    package.member = kind in _MEMBER_SOURCES and (name in members or source[kind] == ".")  # type: ignore[index]
    return package


def _source_kind(source: object, name: str, path: str, line: int | None) -> str:
    """Which of registry, git, url, path, directory, editable, virtual a ``source`` table is."""
    kinds = [key for key in source if key in _SOURCE_KINDS] if type(source) is dict else []
    if len(kinds) != 1 or type(source[kinds[0]]) is not str:  # type: ignore[index]
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


# --------------------------------------------------------------------------------------------------------------
# The fast reader.


class _Abandon(Exception):
    """The fast reader met something outside the subset it reads; the caller falls back to tomllib."""


# Bytes a file may hold for the fast reader: printable ASCII, tab, newline and anything non-ASCII (UTF-8
# multi-byte sequences never contain ASCII bytes). TOML forbids the other control characters in strings and
# comments, so one check of the whole file lets the patterns below treat `[^"\n]` as "a valid string character".
_ALLOWED_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n" + bytes(range(0x80, 0x100))
_STR = r'"[^"\n]*"'
_CAPTURED_STR = r'"([^"\n]*)"'
# In the hot line patterns strings are matched as `[^"]*`, which the regex engine scans several times faster than
# `[^"\n]*`; the callers then check that a match spans exactly the lines it should (no newline inside a string).
_FAST_STR = r'"[^"]*"'
_FAST_CAPTURED_STR = r'"([^"]*)"'
_INT = r"(?:0|[1-9][0-9]*)"

_KEY_EQUALS = re.compile(r"([A-Za-z0-9_-]+) = ")
_HEADER = re.compile(r"\[([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\][ \t]*(?:#[^\n]*)?\n")
_PACKAGE_HEADER = "[[package]]\n"
_END_OF_LINE = re.compile(r"[ \t]*(?:#[^\n]*)?\n")
_STRING = re.compile(_CAPTURED_STR)
_INTEGER = re.compile(r"[+-]?" + _INT)
_SPACES = re.compile(r"[ \t]*")
_INLINE_KEY = re.compile(r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*")
_ARRAY_GAP = re.compile(r"(?:[ \t\n]|#[^\n]*)*")



def _source_table_pattern(string: str) -> str:
    """``{ registry = "..." }`` and the other source tables uv writes, capturing kind, value, subdirectory."""
    return (
        r"\{ (registry|git|url|path|directory|editable|virtual) = " + string
        + r"(?:, subdirectory = " + string + r")? \}"
    )


# The shapes uv writes most: a package's first three lines, one dependency edge per line, one wheel per line,
# the sdist.
_SOURCE_TABLE = _source_table_pattern(_FAST_CAPTURED_STR)
_SOURCE_VALUE = re.compile(_SOURCE_TABLE)
_PACKAGE_PROLOGUE = re.compile(
    r"name = " + _CAPTURED_STR + r"\n(?:version = " + _CAPTURED_STR + r"\n)?source = "
    + _source_table_pattern(_CAPTURED_STR) + r"\n"
)
_DEPENDENCY_LINE = re.compile(
    r"    \{ name = " + _FAST_CAPTURED_STR
    + r"(?:, version = " + _FAST_CAPTURED_STR + r")?"
    + r"(?:, source = " + _SOURCE_TABLE + r")?"
    + r"(?:, extra = \[((?:" + _FAST_STR + r", )*" + _FAST_STR + r")\])?"
    + r"(?:, marker = " + _FAST_CAPTURED_STR + r")?"
    + r" \},\n"
)
_FILE_FIELDS = (
    r"(?:, hash = " + _FAST_CAPTURED_STR + r")?"
    + r"(?:, size = " + _INT + r")?"
    + r"(?:, upload-time = " + _FAST_STR + r")?"
)
_ZSTD_TABLE = r"\{(?:(?: hash = " + _FAST_STR + r"(?:, size = " + _INT + r")?| size = " + _INT + r") )?\}"
# A file's location: a URL, whose origin (scheme and host) is captured, or a path or file name.
_FILE_LOCATION = r'(?:url = "([^/"]*//[^/"]*)[^"]*"|(?:url|path|filename) = ' + _FAST_STR + ")"
_WHEEL_LINE = re.compile(
    r"    \{ " + _FILE_LOCATION + _FILE_FIELDS + r"(?:, zstd = " + _ZSTD_TABLE + r")? \},\n"
)
_SDIST = re.compile(r"\{ " + _FILE_LOCATION + _FILE_FIELDS + r" \}")


def read_fast(text: str) -> tuple[dict, list[int | None]] | None:
    """The lockfile's data and the line of each ``[[package]]`` header, or None when the text is not in the
    subset uv writes. The data holds what ``_build`` reads: for ``sdist`` and ``wheels`` entries in uv's usual
    shape only their ``hash`` is kept."""
    if "\\" in text:
        return None  # an escape sequence (or a stray backslash): leave it to tomllib
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    try:
        if text.encode("utf-8").translate(None, _ALLOWED_BYTES):
            return None
    except UnicodeEncodeError:
        return None
    if not text.endswith("\n"):
        text += "\n"
    try:
        return _FastReader(text).read()
    except (_Abandon, IndexError, RecursionError, ValueError):  # IndexError: the text ended inside a value;
        return None  # ValueError: an integer too long for int() (tomllib then reports it)


class _FastReader:
    """Reads uv's TOML subset in one pass over the text, building the same nested dicts tomllib would.

    It keeps TOML's rules for the parts it accepts (no duplicate keys, no table defined twice, no header
    reaching into an inline table or a plain value) and abandons on everything else.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.root: dict = {}
        self.packages: list[dict] = []
        self.lines: list[int | None] = []
        self.header_tables: set[int] = set()  # ids of tables that headers created: only these take sub-headers
        self.line = 1
        self.counted = 0

    def read(self) -> tuple[dict, list[int | None]]:
        text, end = self.text, len(self.text)
        table, package_root = self.root, False
        while self.pos < end:
            char = text[self.pos]
            if char == "\n":
                self.pos += 1
            elif char == "[":
                table, package_root = self._header()
            elif char in " \t#":
                self.pos = self._expect(_END_OF_LINE, self.pos).end()
            else:
                self._key_value(table, package_root)
        return self.root, self.lines

    def _expect(self, pattern: re.Pattern, pos: int) -> re.Match:
        found = pattern.match(self.text, pos)
        if found is None:
            raise _Abandon
        return found

    def _header(self) -> tuple[dict, bool]:
        """``[[package]]`` or ``[a.b.c]``; returns the table that the following keys fill."""
        if self.text.startswith(_PACKAGE_HEADER, self.pos):
            return self._new_package(), True
        found = self._expect(_HEADER, self.pos)
        self.pos = found.end()
        *parents, last = found.group(1).split(".")
        node = self.root
        for key in parents:
            node = self._descend(node, key)
        if last in node:
            raise _Abandon  # a table defined twice, or over a value (valid TOML sometimes; never uv's output)
        table = node[last] = {}
        self.header_tables.add(id(table))
        return table, False

    def _new_package(self) -> dict:
        existing = self.root.get("package")
        if existing is None:
            self.root["package"] = self.packages
        elif existing is not self.packages:
            raise _Abandon
        table: dict = {}
        self.header_tables.add(id(table))
        self.packages.append(table)
        self.line += self.text.count("\n", self.counted, self.pos)
        self.counted = self.pos
        self.lines.append(self.line)
        self.pos += len(_PACKAGE_HEADER)
        # uv opens every package with its name, version and source: one pattern reads all three lines.
        found = _PACKAGE_PROLOGUE.match(self.text, self.pos)
        if found is not None:
            name, version, source_kind, source_value, subdirectory = found.groups()
            table["name"] = name
            if version is not None:
                table["version"] = version
            table["source"] = _source_table(source_kind, source_value, subdirectory)
            self.pos = found.end()
        return table

    def _descend(self, node: dict, key: str) -> dict:
        child = node.get(key)
        if child is None:
            child = node[key] = {}
            self.header_tables.add(id(child))
        elif child is self.packages and self.packages:
            child = self.packages[-1]
        elif not (isinstance(child, dict) and id(child) in self.header_tables):
            raise _Abandon
        return child

    def _key_value(self, table: dict, package_root: bool) -> None:
        text = self.text
        found = self._expect(_KEY_EQUALS, self.pos)
        key, start = found.group(1), found.end()
        if key in table:
            raise _Abandon
        value, end = self._common_value(key, start, package_root)
        if end < 0:
            value, end = self._value(start)
        if text[end] != "\n":
            end = self._expect(_END_OF_LINE, end).end() - 1
        table[key] = value
        self.pos = end + 1

    def _common_value(self, key: str, start: int, package_root: bool) -> tuple[object, int]:
        """The values uv writes most, each read by one pattern; (None, -1) for anything else."""
        text = self.text
        char = text[start]
        if char == '"':
            found = _STRING.match(text, start)
            if found is not None:
                return found.group(1), found.end()
        elif char == "[":
            if text.startswith("[\n    { ", start):
                if package_root and key == "wheels":
                    return self._wheel_lines(start + 2)
                return self._dependency_lines(start + 2)
        elif package_root and key == "source":
            found = _SOURCE_VALUE.match(text, start)
            if found is not None and text.find("\n", start, found.end()) < 0:
                return _source_table(found.group(1), found.group(2), found.group(3)), found.end()
        elif package_root and key == "sdist":
            found = _SDIST.match(text, start)
            if found is not None and text.find("\n", start, found.end()) < 0:
                return _file_entry(found.group(1), found.group(2)), found.end()
        return None, -1

    def _dependency_lines(self, pos: int) -> tuple[list | None, int]:
        """An array of dependency edges in uv's layout (one ``_DEPENDENCY_LINE`` per line, then ``]``), or
        (None, -1) when some line has another shape: the general value reader then reads the whole array."""
        text, match = self.text, _DEPENDENCY_LINE.match
        items = []
        start = pos
        found = match(text, pos)
        while found is not None:
            items.append(_dependency_entry(found))
            pos = found.end()
            found = match(text, pos)
        return self._closed(items, start, pos)

    def _wheel_lines(self, pos: int) -> tuple[list | None, int]:
        """Like ``_dependency_lines`` for ``wheels``, keeping only each wheel's hash. The hottest loop of all."""
        text, match = self.text, _WHEEL_LINE.match
        items = []
        start = pos
        found = match(text, pos)
        while found is not None:
            items.append(_file_entry(found.group(1), found.group(2)))
            pos = found.end()
            found = match(text, pos)
        return self._closed(items, start, pos)

    def _closed(self, items: list, start: int, pos: int) -> tuple[list | None, int]:
        """The array read line by line from ``start`` must end with ``]`` at ``pos``, and span exactly one line
        per item (the line patterns match strings as ``[^"]*``, so a newline inside a string shows up here)."""
        if self.text.startswith("]", pos) and self.text.count("\n", start, pos) == len(items):
            return items, pos + 1
        return None, -1

    def _value(self, pos: int) -> tuple[object, int]:
        """Any value of the subset: basic string without escapes, integer, boolean, inline table, array."""
        text = self.text
        char = text[pos]
        if char == '"':
            found = self._expect(_STRING, pos)
            return found.group(1), found.end()
        if char == "{":
            return self._inline_table(pos)
        if char == "[":
            return self._array(pos)
        if text.startswith("true", pos):
            return True, pos + 4
        if text.startswith("false", pos):
            return False, pos + 5
        found = self._expect(_INTEGER, pos)
        return int(found.group()), found.end()

    def _inline_table(self, pos: int) -> tuple[dict, int]:
        text = self.text
        table: dict = {}
        pos = _SPACES.match(text, pos + 1).end()
        if text[pos] == "}":
            return table, pos + 1
        while True:
            found = self._expect(_INLINE_KEY, pos)
            key = found.group(1)
            if key in table:
                raise _Abandon
            table[key], pos = self._value(found.end())
            pos = _SPACES.match(text, pos).end()
            if text[pos] == "}":
                return table, pos + 1
            if text[pos] != ",":
                raise _Abandon
            pos = _SPACES.match(text, pos + 1).end()

    def _array(self, pos: int) -> tuple[list, int]:
        text = self.text
        items = []
        pos = _ARRAY_GAP.match(text, pos + 1).end()
        while text[pos] != "]":
            value, pos = self._value(pos)
            items.append(value)
            pos = _ARRAY_GAP.match(text, pos).end()
            if text[pos] == ",":
                pos = _ARRAY_GAP.match(text, pos + 1).end()
            elif text[pos] != "]":
                raise _Abandon
        return items, pos + 1


def _dependency_entry(found: re.Match) -> dict:
    """The table of a ``_DEPENDENCY_LINE`` match, as tomllib would give it."""
    name, version, source_kind, source_value, subdirectory, extras, marker = found.groups()
    entry: dict = {"name": name}
    if version is not None:
        entry["version"] = version
    if source_kind is not None:
        entry["source"] = _source_table(source_kind, source_value, subdirectory)
    if extras is not None:
        entry["extra"] = _STRING.findall(extras)
    if marker is not None:
        entry["marker"] = marker
    return entry


def _source_table(kind: str, value: str, subdirectory: str | None) -> dict:
    source = {kind: value}
    if subdirectory is not None:
        source["subdirectory"] = subdirectory
    return source


def _file_entry(origin: str | None, file_hash: str | None) -> dict:
    """A wheel or sdist table as ``_files`` reads it: its hash, and for a URL its origin in place of the URL (the
    origin of an origin is itself, so both readers give the same hosts)."""
    entry = {} if file_hash is None else {"hash": file_hash}
    if origin is not None:
        entry["url"] = origin
    return entry
