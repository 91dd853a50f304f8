"""Parser for Yarn's lockfile, ``yarn.lock`` (format "yarn-lock", kind "lock"): classic (Yarn 1) and Berry (Yarn 2+).

Which one. The content decides, not the name: Berry's lockfile is YAML with a ``__metadata`` entry first; the
classic lockfile is Yarn 1's own format (``# yarn lockfile v1``). A file with neither (only comments) lists no
packages under either reading.

Classic. Yarn 1's format is not YAML: ``key value`` lines indented by two spaces, ``key:`` opening a nested block,
strings quoted as JSON (or bare when they start with a letter, ``/``, ``.`` or ``-``), and an entry per resolved
package whose key lists every descriptor that resolved to it (``"a@^1.0.0", a@^1.1.0:``). It is read here by a
parser that follows Yarn's own grammar (``src/lockfile/parse.js``) and is strict where Yarn is lenient: a line it
cannot read, an odd indentation, a duplicate key within an entry, or a merge-conflict marker is an error with its
line. A descriptor written in two entries (Yarn accepts it: the later entry wins) is read as Yarn reads it: an
identical repeat merges into the first, a different one takes the descriptor and is a Problem at its line. Each entry
gives: the real package name (an alias ``alias@npm:real@^1`` names ``real``), ``version``, ``resolved`` (the
artifact URL: a registry tarball, a git URL with the commit after ``#``, a GitHub/GitLab archive, or another
tarball; kept whole in ``Dependency.resolved``), and ``integrity`` (SRI, kept as ``sha512:<hex>``; the sha1 that
Yarn appends to a registry tarball URL as ``#<sha1>`` is kept too, as ``sha1:<hex>``). Entries without
``resolved`` come from their descriptor: ``file:``/``link:`` paths, git URLs, or the default registry.

Speed. Yarn 1 writes nearly every entry in one canonical shape (key line, ``version``, ``resolved``,
``integrity``, dependency blocks); ``_canonical_entries`` reads a file made only of such entries with one pattern per
entry, and hands anything else to the line-by-line reader, which gives the same entries (and the errors). The tests
check the two against each other on the corpus, the fixtures and seeded random edits.

Berry. YAML (read by ``lockyaml``); ``__metadata.cacheKey`` is the setting ``yarn.cacheKey`` (part of every
checksum: the diff reports its change once, not every checksum's). Each entry has ``version``, ``resolution`` (the locator: ``name@npm:1.2.3``,
``name@workspace:path``, ``name@patch:inner#patch``, ``name@portal:``/``link:``/``file:``/``exec:`` paths, git
URLs with ``#commit=<sha>``, tarball URLs) and ``checksum``. Workspace members are the project itself, not
dependencies. Patch entries that apply one of Yarn's built-in compatibility patches (``builtin<compat/...>``, in
every spelling: Yarn 4's ``optional!builtin<...>``, Yarn 2 and 3's ``~builtin<...>``) are left out: the package
they patch has its own npm entry. A patch from the repository is a dependency with a ``path`` source (the patch
file).

Berry's checksum is not an npm hash. ``checksum`` is the hash (``<cacheKey>/<sha512 hex>`` in recent Yarn) of the
zip archive Yarn stores in its cache after converting the npm tarball, not of the tarball the registry serves, so
it can never be compared with the registry's ``dist.integrity``. It is kept as ``yarn-berry:<value>``: the
artifact Yarn installs is still pinned (a changed archive changes the checksum, which the diff reports as
``hashes-changed``), but it is not a registry-verifiable hash.

Scope and direct. Berry's workspace entries name each workspace's dependencies (dev ones included); whether one
is dev comes from that workspace's package.json, read from the snapshot. Classic lockfiles do not list the
project at all, so the package.json beside the lockfile says which packages are direct and which are dev or
optional; the rest follow the lockfile's dependency edges (a Yarn 1 workspace's own packages are not in the
lockfile, so what only they ask for shows as prod and not direct). Without that package.json (and, for Berry,
without workspace entries) lockgate cannot tell: every package is then direct and prod, the strictest reading.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import NamedTuple
from urllib.parse import unquote

from checker.errors import ManifestError
from checker.manifests import lockyaml
from checker.manifests.common import is_blank, number_too_long
from checker.manifests.jslocks import (
    Edge,
    ProjectDeps,
    alias_target,
    git_ref,
    git_source,
    locate_url,
    read_package_json,
    scopes,
    split_descriptor,
    sri_hashes,
)
from checker.manifests.npm_common import is_git_url
from checker.manifests.settings import setting
from checker.model import Dependency, Manifest, Problem, Reader, Source
from checker.manifests.npm_tarball import parse_tarball_url

FORMAT = "yarn-lock"
CLASSIC_VERSION = 1
BERRY_VERSIONS = tuple(range(4, 11))
# Where Yarn Berry fetches ``npm:`` resolutions when no .yarnrc.yml names a registry (its ``npmRegistryServer``
# default). Written as the classic lockfile's tarball URLs give it, so that a move from Yarn 1 to Berry, which
# rewrites every entry, is not a source change of every package.
_BERRY_DEFAULT_REGISTRY = "https://registry.yarnpkg.com/"


def _registry(url: str) -> Source:
    """A registry's Source, its URL ending in one ``/`` as tarball URLs give it (``npmRegistryServer`` is written
    with or without)."""
    return Source("registry", url=url.rstrip("/") + "/")

_BERRY_METADATA = re.compile(r'^(?:__metadata|"__metadata"|\'__metadata\'):', re.MULTILINE)
_METADATA_VERSION = re.compile(r'^(?:__metadata|"__metadata"):[ \t]*\n(?:[ \t]+.*\n)*?([ \t]+)version:', re.MULTILINE)
_CLASSIC_HEADER = re.compile(r"^#\s*yarn lockfile v(\d+)\s*$", re.MULTILINE)
_CONFLICT = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")
_SHA1_FRAGMENT = re.compile(r"[0-9a-f]{40}")
_PATH_PROTOCOLS = ("file:", "link:", "portal:", "exec:")


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a yarn.lock, classic or Berry by its content; ``read`` fetches package.json files of the project."""
    return parse_lock(text, path, read)


def parse_lock(text: str, path: str, read: Reader, *, fast: bool = True) -> Manifest:
    """``parse``; ``fast=False`` skips the fast readers (classic entries read line by line, Berry YAML by the full
    loader), which tests use to check that both paths give the same Manifest."""
    if is_blank(text):
        raise ManifestError("empty file, expected a yarn.lock lockfile", path)
    problems: list[Problem] = []
    if "__metadata" in text and _BERRY_METADATA.search(text):  # the substring test first: it is far cheaper
        dependencies = _Berry(text, path, read, fast, problems).dependencies()
    else:
        dependencies = _Classic(text, path, read, fast, problems).dependencies()
    return Manifest(path=path, format=FORMAT, ecosystem="npm", dependencies=dependencies, kind="lock",
                    problems=tuple(problems))


class _Entry(NamedTuple):
    """One lockfile entry: the descriptors of its key, its key's line, its fields."""

    descriptors: list[str]
    line: int
    fields: dict


class _Package:
    """What one entry contributes: a dependency's fields (None for a workspace member or a built-in patch; scope
    and direct are added once the graph is walked) and the entry's edges (filled in once all entries are read)."""

    __slots__ = ("fields", "line", "edges")

    def __init__(self, fields: dict | None, line: int) -> None:
        self.fields, self.line = fields, line
        self.edges: list[Edge] = []


def _fields(name: str, version: str, specifier: str, source: Source, hashes: frozenset[str], path: str, line: int,
            resolved: str | None) -> dict:
    return {"ecosystem": "npm", "name": name, "version": version, "specifier": specifier, "source": source,
            "hashes": hashes, "manifest": path, "line": line, "resolved": resolved}


def _index(entries: list[_Entry]) -> dict[str, int]:
    """Descriptor -> entry index."""
    index: dict[str, int] = {}
    for number, entry in enumerate(entries):
        for descriptor in entry.descriptors:
            index[descriptor] = number
    return index


def _finish(packages: list[_Package], roots: list[tuple[str, int]] | None) -> tuple[Dependency, ...]:
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


def _project_roots(project: ProjectDeps, index: dict[str, int], entries: list[_Entry],
                   berry: bool) -> list[tuple[str, int]]:
    """Entries the package.json names: by exact descriptor (``name@range``; Berry adds ``npm:`` to plain ranges),
    else every entry with a descriptor of that name (a lockfile out of step with its package.json)."""
    by_name: dict[str, list[int]] = {}
    for number, entry in enumerate(entries):
        for descriptor in entry.descriptors:
            by_name.setdefault(split_descriptor(descriptor)[0], []).append(number)
    roots = []
    for scope, name, range_ in project.items():
        target = _lookup(index, name, range_, berry)
        if target is not None:
            roots.append((scope, target))
        else:
            roots.extend((scope, number) for number in dict.fromkeys(by_name.get(name, ())))
    return roots


def _lookup(index: dict[str, int], name: str, range_: str, berry: bool) -> int | None:
    found = index.get(f"{name}@{range_}")
    if found is None and berry:
        found = index.get(f"{name}@npm:{range_}")
    return found


# --------------------------------------------------------------------------------------------------------------
# Classic


# The common `  key "value"`, `  key value` and `  "key" "value"` lines (no escapes), read without tokenising.
_FIELD_LINE = re.compile(r'( +)(?:([a-zA-Z/.-][^\s:,"]*)|"([^"\\]*)") (?:"([^"\\]*)"|([a-zA-Z/.-][^\s:,"]*))')
# Every line: (indentation, bare key, quoted key, quoted value, bare value, other). A `key "value"` or `key value`
# line without escapes fills the first five; anything else (entry keys, `dependencies:`, comments, blank lines,
# escapes, errors) comes whole as other.
_CLASSIC_LINE = re.compile(
    r'^( *)(?:(?:([a-zA-Z/.-][^\s:,"]*)|"([^"\\\n]*)") (?:"([^"\\\n]*)"|([a-zA-Z/.-][^\s:,"]*))|([^\n]*))$', re.M
)
_T_OR_F = frozenset("tf")  # the first letters of Yarn's unquoted booleans
_BARE_WORD = re.compile(r'[a-zA-Z/.-][^\s:,"]*')
_TOKEN = re.compile(
    r"""[ ]*(?:
        (?P<quoted>"(?:[^"\\]|\\.)*")
      | (?P<number>[0-9]+)(?=[\s:,]|$)
      | (?P<bare>[a-zA-Z/.-][^\s:,]*)
      | (?P<colon>:)
      | (?P<comma>,)
      | (?P<comment>\#.*)
      | (?P<bad>\S)
    )""",
    re.X,
)


class _Classic:
    """Yarn 1's lockfile: read, then turned into dependencies."""

    def __init__(self, text: str, path: str, read: Reader, fast: bool = True,
                 problems: list[Problem] | None = None) -> None:
        self.text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text  # CR, CRLF: line ends
        self.path = path
        self.read = read
        self.fast = fast
        self.problems = problems if problems is not None else []

    def dependencies(self) -> tuple[Dependency, ...]:
        self._check_header()
        entries = _canonical_entries(self.text) if self.fast else None
        if entries is None:
            entries = self._entries()
        entries = _merge_duplicates(entries, self.problems)
        index = _index(entries)
        packages = [self._package(entry) for entry in entries]
        for entry, package in zip(entries, packages):
            package.edges = self._edges(entry, index)
        project = read_package_json(posixpath.dirname(self.path), self.read, line_path=self.path)
        roots = None if project is None else _project_roots(project, index, entries, berry=False)
        return _finish(packages, roots)

    def _check_header(self) -> None:
        found = _CLASSIC_HEADER.search(self.text) if "yarn lockfile v" in self.text else None
        if found is not None and int(found.group(1)) != CLASSIC_VERSION:
            line = self.text.count("\n", 0, found.start()) + 1
            raise ManifestError(
                f"unsupported yarn lockfile v{found.group(1)}; lockgate reads classic v1 and Berry (with __metadata)",
                self.path, line,
            )

    # -- reading ------------------------------------------------------------------------------------------------

    def _entries(self) -> list[_Entry]:
        """The top-level entries, each with its nested fields. Yarn's grammar: a line at depth d is ``keys value``
        or ``keys:`` (opening depth d + 1); depth is the indentation in pairs of spaces. One regular expression
        splits every line; the usual ``  key "value"`` lines are taken from it directly, the rest go through
        ``_line``."""
        text = self.text
        entries: list[_Entry] = []
        stack: list[dict] = []  # the open objects below the top level, innermost last
        opened_at: list[int] = []  # the depth each open object's lines must have
        expected = 0  # the indentation (in spaces) the next line must have, unless it closes objects
        target: dict = {}
        lines = text.split("\n")
        for number, (spaces, bare_key, quoted_key, quoted, bare, _) in enumerate(_CLASSIC_LINE.findall(text), 1):
            key = bare_key or quoted_key
            if (key and expected and len(spaces) == expected
                    and not (bare_key[:1] in _T_OR_F and bare_key.startswith(("true", "false")))
                    and not (bare[:1] in _T_OR_F and bare.startswith(("true", "false")))):
                if key in target:
                    raise ManifestError(f"duplicate key {key!r}", self.path, number)
                target[key] = bare or quoted
                continue
            line = lines[number - 1]
            if not spaces and line[-1:] == ":" and "\\" not in line:
                keys = _plain_keys(line[:-1])
                if keys is not None:  # an entry's `"a@^1", a@^1.1:` line: a new entry begins
                    entry = _Entry(keys, number, {})
                    entries.append(entry)
                    stack, opened_at = [entry.fields], [1]
                    target, expected = entry.fields, 2
                    continue
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] == "#":
                continue
            indent = len(line) - len(stripped)
            if indent % 2:
                raise ManifestError(f"indentation of {indent} spaces: Yarn indents by two", self.path, number)
            depth = indent // 2
            if depth == 0 and line.startswith(_CONFLICT):
                raise ManifestError("unresolved merge conflict marker", self.path, number)
            while opened_at and depth < opened_at[-1]:
                stack.pop()
                opened_at.pop()
            if depth != (opened_at[-1] if opened_at else 0):
                raise ManifestError("unexpected indentation", self.path, number)
            keys, value, opens = self._line(line, number)
            if depth == 0:
                if not opens:
                    raise ManifestError(f"expected an entry `descriptor:` at the top level, found {line.strip()!r}",
                                        self.path, number)
                entry = _Entry(keys, number, {})
                entries.append(entry)
                stack, opened_at = [entry.fields], [1]
                target, expected = entry.fields, 2
                continue
            target = stack[-1]
            for key in keys:
                if key in target:
                    raise ManifestError(f"duplicate key {key!r}", self.path, number)
                target[key] = {} if opens else value
            if opens:
                stack.append(target[keys[0]] if len(keys) == 1 else _shared(target, keys))
                opened_at.append(depth + 1)
            target, expected = stack[-1], opened_at[-1] * 2
        return entries

    def _line(self, line: str, number: int) -> tuple[list[str], object, bool]:
        """(keys, value, opens a block) of one line."""
        if line[-1] == ":" and "\\" not in line:
            keys = _plain_keys(line[:-1].lstrip(" "))
            if keys is not None:  # `"a@^1", a@^1.1:` and `  dependencies:`
                return keys, None, True
        found = _FIELD_LINE.fullmatch(line)
        if found is not None:
            _, bare_key, quoted_key, quoted, bare = found.groups()
            if not (bare_key or "").startswith(("true", "false")) and not (bare or "").startswith(("true", "false")):
                return [bare_key if bare_key is not None else quoted_key], quoted if bare is None else bare, False
        tokens = self._tokens(line, number)
        keys: list[str] = []
        position = 0
        while True:
            if position >= len(tokens) or tokens[position][0] not in ("quoted", "bare"):
                raise ManifestError(f"expected a key, found {line.strip()!r}", self.path, number)
            keys.append(tokens[position][1])
            position += 1
            if position < len(tokens) and tokens[position][0] == "comma":
                position += 1
                continue
            break
        colon = position < len(tokens) and tokens[position][0] == "colon"
        if colon:
            position += 1
        if position == len(tokens):
            if not colon:
                raise ManifestError(f"{keys[-1]!r} has no value", self.path, number)
            return keys, None, True
        kind, value = tokens[position]
        if kind not in ("quoted", "bare", "number", "bool") or position + 1 != len(tokens):
            raise ManifestError(f"cannot read {line.strip()!r}", self.path, number)
        return keys, value, False

    def _tokens(self, line: str, number: int) -> list[tuple[str, object]]:
        tokens: list[tuple[str, object]] = []
        position, end = 0, len(line)
        while position < end:
            found = _TOKEN.match(line, position)
            if found is None:  # only trailing spaces are left
                break
            position = found.end()
            kind = found.lastgroup
            text = found.group(kind)  # type: ignore[arg-type]
            if kind == "comment":
                break
            if kind == "bad":
                problem = "unterminated quoted string" if text == '"' else f"unexpected {text!r}"
                raise ManifestError(f"{problem} in {line.strip()!r}", self.path, number)
            if kind == "quoted":
                try:
                    tokens.append(("quoted", json.loads(text)))
                except json.JSONDecodeError:
                    raise ManifestError(f"invalid quoted string {text}", self.path, number) from None
            elif kind == "bare":
                if text in ("true", "false"):
                    tokens.append(("bool", text == "true"))
                elif text.startswith(("true", "false")):
                    raise ManifestError(f"ambiguous unquoted value {text!r}: Yarn reads it as a boolean",
                                        self.path, number)
                else:
                    tokens.append(("bare", text))
            elif kind == "number":
                try:
                    tokens.append(("number", int(text)))
                except ValueError:  # more digits than Python converts (4300)
                    raise ManifestError(number_too_long(line, self.path).message, self.path, number) from None
            else:
                tokens.append((kind, text))  # type: ignore[arg-type]
        return tokens

    # -- building -------------------------------------------------------------------------------------------------

    def _package(self, entry: _Entry) -> _Package:
        fields, line, path = entry.fields, entry.line, self.path
        first = entry.descriptors[0]
        version = fields.get("version")
        if not isinstance(version, str) or not version:
            raise ManifestError(f"entry {first!r} has no `version` string", path, line)
        name, ranges = _names_and_ranges(entry.descriptors)
        if not name:
            raise ManifestError(f"entry {first!r} names no package (expected name@range)", path, line)
        resolved = fields.get("resolved")
        if resolved is not None and (not isinstance(resolved, str) or not resolved):
            raise ManifestError(f"`resolved` of {first!r} must be a string", path, line)
        integrity = fields.get("integrity")
        hashes = frozenset() if integrity is None else sri_hashes(integrity, f"`integrity` of {first!r}", path, line)
        if resolved is not None:
            source, url, fragment_hash = _classic_resolved(resolved, name, version, ranges)
            if fragment_hash is not None:
                hashes = hashes | {fragment_hash}
        else:
            source, url = _from_descriptor(ranges), None
        specifier = ranges[0] if len(ranges) == 1 else ", ".join(dict.fromkeys(ranges))
        return _Package(_fields(name, version, specifier, source, hashes, path, line, url), line)

    def _edges(self, entry: _Entry, index: dict[str, int]) -> list[Edge]:
        edges = []
        for key, optional in (("dependencies", False), ("optionalDependencies", True)):
            table = entry.fields.get(key)
            if table is None:
                continue
            if not isinstance(table, dict):
                raise ManifestError(f"`{key}` of {entry.descriptors[0]!r} must be a block of name \"range\" lines",
                                    self.path, entry.line)
            for name, range_ in table.items():
                target = index.get(f"{name}@{range_}")
                if target is not None:
                    edges.append((target, optional))
        return edges


# The canonical shape of a classic entry, as Yarn 1 writes nearly all of them: the key line, `version`, optional
# `resolved` and `integrity`, then `dependencies` / `optionalDependencies` blocks of `name "range"` lines. Values
# without escapes, bare words as Yarn's tokenizer reads them.
_CANONICAL_ENTRY = re.compile(
    r'([^\s#"][^\n]*|"[^\n]*):\n'
    r'  version "([^"\\\n]*)"\n'
    r'(?:  resolved "([^"\\\n]*)"\n)?'
    r'(?:  integrity ([a-zA-Z/.-][^\s:,"]*|"[^"\\\n]*")\n)?'
    r'((?:  (?:dependencies|optionalDependencies):\n(?:    [^\n]+\n)+)*)'
)
_DEPENDENCY_BLOCK = re.compile(r"^  (dependencies|optionalDependencies):\n((?:    [^\n]+\n)+)", re.MULTILINE)
_DEPENDENCY_LINE = re.compile(r'^    (?:([a-zA-Z/.-][^\s:,"]*)|"([^"\\\n]*)") "([^"\\\n]*)"\n', re.MULTILINE)
# Blank and comment lines between entries. Spaces only: a tab is no indentation to Yarn, and a line that holds
# one goes to the line-by-line reader, which decides as Yarn's grammar does.
_GAP = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*")


def _canonical_entries(text: str) -> list[_Entry] | None:
    """The entries when every one has the canonical shape (one pattern each, no line-by-line work), else None:
    the line-by-line reader then reads the file, with its errors. Both give the same entries; the tests check."""
    if not text.endswith("\n"):
        text += "\n"
    entries: list[_Entry] = []
    position, line, end = 0, 1, len(text)
    match_entry, match_gap = _CANONICAL_ENTRY.match, _GAP.match
    while True:
        gap = match_gap(text, position)
        line += text.count("\n", position, gap.end())  # type: ignore[union-attr]
        position = gap.end()  # type: ignore[union-attr]
        if position >= end:
            return entries
        found = match_entry(text, position)
        if found is None:
            return None
        header, version, resolved, integrity, blocks = found.groups()
        keys = _plain_keys(header) if "\\" not in header else None
        if keys is None or integrity and integrity.startswith(("true", "false")):
            return None
        fields: dict = {"version": version}
        if resolved is not None:
            fields["resolved"] = resolved
        if integrity is not None:
            fields["integrity"] = integrity[1:-1] if integrity[0] == '"' else integrity
        if blocks and not _dependency_blocks(blocks, fields):
            return None
        entries.append(_Entry(keys, line, fields))
        line += text.count("\n", position, found.end())
        position = found.end()


def _merge_duplicates(entries: list[_Entry], problems: list[Problem]) -> list[_Entry]:
    """The entries as Yarn 1 sees them when a descriptor is written in two entries (a hand merge, or Dependabot's
    updater, leaves such files; Yarn reads the lockfile into an object, so the later entry wins that descriptor).
    A later entry identical to the earlier one is merged into it (all its descriptors go to the earlier entry):
    one dependency. A different one takes the descriptor, as in Yarn, and is a Problem at its line (a reviewer
    reading the first entry is misled); an entry left with no descriptor is gone, as in Yarn.

    The Problem is reported at the ``unchanged`` level (warn), not as an unreadable change: the file is read as
    Yarn reads it, so what is judged is what Yarn installs, and a conflicting entry added by a pull request shows
    as that dependency's own change (another version, tarball or integrity), reviewed like any. Dependabot's
    updater writes such files, and blocking every later update of them would teach people to wave lockgate by."""
    if len({key for entry in entries for key in entry.descriptors}) == sum(len(e.descriptors) for e in entries):
        return entries  # no descriptor written twice: the usual case, one pass
    owner: dict[str, int] = {}
    for number, entry in enumerate(entries):
        twin = next((owner[key] for key in entry.descriptors
                     if key in owner and entries[owner[key]].fields == entry.fields), None)
        for key in entry.descriptors:
            earlier = owner.get(key)
            if earlier is not None and entries[earlier].fields != entry.fields:
                problems.append(Problem(
                    f"entry {key!r} is written twice with different contents (first at line "
                    f"{entries[earlier].line}{_difference(entries[earlier].fields, entry.fields)}): Yarn installs "
                    "this one", entry.line, changed=False))
            owner[key] = number if twin is None else twin  # an identical repeat is the earlier entry
    kept: dict[int, list[str]] = {}
    for key, number in owner.items():
        kept.setdefault(number, []).append(key)
    return [_Entry(kept[number], entry.line, entry.fields) for number, entry in enumerate(entries) if number in kept]


def _difference(first: dict, second: dict) -> str:
    """``, version 1.0.0; here version 1.0.1``: the first of the fields that decide the artifact that differs."""
    for key in ("version", "resolved", "integrity"):
        if first.get(key) != second.get(key):
            return f", {key} {first.get(key) or '(none)'}; here {key} {second.get(key) or '(none)'}"
    return "; here its dependencies differ"


def _dependency_blocks(blocks: str, fields: dict) -> bool:
    """Fill ``fields`` from `dependencies:` / `optionalDependencies:` blocks; False for anything unusual (a block
    twice, a key twice, a line of another shape)."""
    for kind, body in _DEPENDENCY_BLOCK.findall(blocks):
        if kind in fields:
            return False
        table: dict[str, str] = {}
        for bare, quoted, range_ in _DEPENDENCY_LINE.findall(body):
            name = bare or quoted
            if not name or name in table or bare.startswith(("true", "false")):
                return False
            table[name] = range_
        if body.count("\n") != len(table):
            return False  # a line the pattern did not take
        fields[kind] = table
    return True


def _plain_keys(text: str) -> list[str] | None:
    """The keys of a ``key, "key":`` line when each is a bare word or a quoted string without escapes (the
    common case, read without tokenising), else None."""
    keys = []
    for part in text.split(", "):
        if len(part) > 1 and part[0] == '"' and part[-1] == '"' and '"' not in part[1:-1]:
            keys.append(part[1:-1])
        elif _BARE_WORD.fullmatch(part) and not part.startswith(("true", "false")):
            keys.append(part)
        else:
            return None
    return keys


def _shared(target: dict, keys: list[str]) -> dict:
    """Several keys on one line opening one block share it, as in Yarn."""
    block = target[keys[0]]
    for key in keys[1:]:
        target[key] = block
    return block


def _names_and_ranges(descriptors: list[str]) -> tuple[str, list[str]]:
    """The real package name (an alias's target) and the range of each descriptor."""
    name = None
    ranges = []
    for descriptor in descriptors:
        own, range_ = split_descriptor(descriptor)
        if name is None:
            target = alias_target(range_) if range_.startswith("npm:") else None
            name = target[0] if target is not None else own
        ranges.append(range_)
    return name or descriptors[0], ranges


def _classic_resolved(resolved: str, name: str, version: str,
                      ranges: list[str]) -> tuple[Source, str | None, str | None]:
    """Source, the artifact URL to keep, and the ``sha1:<hex>`` of a ``#<sha1>`` fragment (Yarn's tarball check)."""
    location, hash_sign, fragment = resolved.partition("#")
    sha1 = f"sha1:{fragment}" if hash_sign and _SHA1_FRAGMENT.fullmatch(fragment) else None
    registry = _registry_of(location, name, version)
    if registry is not None:
        return _registry_source(registry), location, sha1
    ref = _ref_of(ranges)
    if is_git_url(resolved) and not location.startswith("https://codeload.github.com/"):
        return _with_commit(git_source(resolved, ref), ranges), None, None
    located = locate_url(location if sha1 else resolved, ref)
    source = _with_commit(located.source, ranges) if located.source.kind == "git" else located.source
    return source, located.resolved, sha1


def _registry_of(location: str, name: str, version: str) -> str | None:
    """The registry base of a tarball URL of this very package and version (``<registry>/<name>/-/<basename>-
    <version>.tgz``): a string comparison for the usual case, ``parse_tarball_url`` for the rest (it decodes
    escapes and accepts other layouts; a URL naming another package is kept as a registry URL too, and
    registry-source compares it with the entry)."""
    suffix = f"/{name}/-/{name.rpartition('/')[2]}-{version}.tgz"
    if location.endswith(suffix) and "%" not in location and "?" not in location:
        base = location[: len(location) - len(suffix)]
        scheme, separator, rest = base.partition("://")
        if separator and scheme in ("https", "http") and rest and not rest.startswith("/"):
            return base + "/"
    tarball = parse_tarball_url(location)
    return None if tarball is None else tarball.registry


_REGISTRY_SOURCES: dict[str, Source] = {}


def _registry_source(registry: str) -> Source:
    """One Source object per registry base (thousands of entries share a handful)."""
    source = _REGISTRY_SOURCES.get(registry)
    if source is None:
        source = Source("registry", url=registry)
        if len(_REGISTRY_SOURCES) < 64:
            _REGISTRY_SOURCES[registry] = source
    return source


def _ref_of(ranges: list[str]) -> str | None:
    """The git ref the descriptors ask for (``repo#v1.2``), if any."""
    for range_ in ranges:
        ref = git_ref(range_)
        if ref:
            return ref
    return None


def _from_descriptor(ranges: list[str]) -> Source:
    """Where an entry without ``resolved`` comes from: a path, a git URL, or the default registry."""
    for range_ in ranges:
        if range_.startswith(_PATH_PROTOCOLS):
            return Source("path", url=range_.partition(":")[2])
    for range_ in ranges:
        if is_git_url(range_) or range_.startswith(("github:", "gitlab:", "bitbucket:")):
            return _with_commit(git_source(range_, _ref_of(ranges)), ranges)
    return Source()


def _with_commit(source: Source, ranges: list[str]) -> Source:
    """A git source whose URL carries no commit takes it from a descriptor that names one (``repo#<sha>``)."""
    if source.commit is not None:
        return source
    for range_ in ranges:
        candidate = git_source(range_)
        if candidate.commit is not None:
            return Source("git", url=source.url, ref=source.ref, commit=candidate.commit)
    return source


# --------------------------------------------------------------------------------------------------------------
# Berry


class _Berry:
    """Yarn 2+'s YAML lockfile."""

    def __init__(self, text: str, path: str, read: Reader, fast: bool = True,
                 problems: list[Problem] | None = None) -> None:
        self.text = text
        self.path = path
        self.read = read
        self.fast = fast
        self.problems = problems if problems is not None else []
        self.registries: tuple[Source, dict[str, Source]] = (_registry(_BERRY_DEFAULT_REGISTRY), {})

    def _configured(self) -> tuple[str | None, dict[str, str]]:
        """The registries the project's ``.yarnrc.yml`` files configure (the lockfile's folder and its parents,
        the nearer winning key by key): Berry's ``npm:`` resolutions name no host, Yarn fetches them from these."""
        from checker.manifests import yarnrc_yml

        default: str | None = None
        scopes: dict[str, str] = {}
        for config in reversed(yarnrc_paths(self.path)):  # the root's first, the nearest last: it wins
            text = self.read(config)
            if text is None:
                continue
            found = yarnrc_yml.registries(text, config)
            default = found.default or default
            scopes.update(found.scopes)
        return default, scopes

    def dependencies(self) -> tuple[Dependency, ...]:
        default, scopes = self._configured()
        self.registries = (_registry(default or _BERRY_DEFAULT_REGISTRY),
                           {scope: _registry(url) for scope, url in scopes.items()})
        document = lockyaml.load(self.text, self.path, fast=self.fast, line_depth=1)
        data, lines = document.data, document.lines
        if not isinstance(data, dict):
            raise ManifestError("expected a mapping of entries at the top level", self.path)
        cache_key = self._check_metadata(data, lines)
        entries = []
        for key, fields in data.items():
            if key == "__metadata":
                continue
            line = lines.get((key,), 0)
            if not isinstance(key, str):
                raise ManifestError(f"entry key {key!r} must be a string of descriptors", self.path, line or None)
            if not isinstance(fields, dict):
                raise ManifestError(f"entry {key!r} must be a mapping with `version` and `resolution`", self.path,
                                    line or None)
            descriptors = [d.strip() for d in key.split(",")] if "," in key else [key.strip()]
            entries.append(_Entry(descriptors, line, fields))
        index = _index(entries)
        packages = [self._package(entry) for entry in entries]
        for entry, package in zip(entries, packages):
            package.edges = self._edges(entry, index)
        roots = self._roots(entries, index)
        return _finish(packages, roots) + cache_key

    def _check_metadata(self, data: dict, lines: dict) -> tuple[Dependency, ...]:
        """Refuse a version lockgate cannot read; return ``__metadata.cacheKey`` as the setting ``yarn.cacheKey``.

        The cache key is part of every checksum (the archive Yarn caches depends on it): when it changes, every
        checksum does, and the diff reports the one setting instead (checker/diff/changes.py)."""
        supported = f"{BERRY_VERSIONS[0]} to {BERRY_VERSIONS[-1]}"
        metadata = data.get("__metadata")
        line = lines.get(("__metadata",))
        if not isinstance(metadata, dict) or "version" not in metadata:
            raise ManifestError(f"`__metadata` needs a `version` ({supported})", self.path, line)
        version = metadata["version"]
        if type(version) is not int or version not in BERRY_VERSIONS:
            raise ManifestError(
                f"unsupported yarn.lock __metadata version {version!r}; lockgate reads Berry lockfiles of version "
                f"{supported} and classic v1", self.path, _metadata_version_line(self.text) or line,
            )
        cache_key = metadata.get("cacheKey")
        if cache_key is None:
            return ()
        if type(cache_key) not in (str, int) or cache_key == "":
            raise ManifestError("`__metadata.cacheKey` must be a string or a number", self.path, line)
        key_line = _metadata_key_line(self.text, line, "cacheKey")
        return (setting("yarn.cacheKey", str(cache_key), self.path, key_line),)

    def _source_of(self, name: str) -> Source:
        """The registry an ``npm:`` resolution of ``name`` comes from: its scope's, else the default."""
        default, scopes = self.registries
        if name.startswith("@") and scopes:
            scoped = scopes.get(name[1:].partition("/")[0])
            if scoped is not None:
                return scoped
        return default

    def _package(self, entry: _Entry) -> _Package:
        fields, line, path = entry.fields, entry.line, self.path
        descriptors = entry.descriptors
        resolution = fields.get("resolution")
        at = resolution.find("@", 1) if type(resolution) is str else -1
        if at < 1:
            raise ManifestError(f"entry {descriptors[0]!r} needs a `resolution` locator (name@reference)", path, line)
        name, reference = resolution[:at], resolution[at + 1:]
        if reference.startswith("workspace:"):
            return _Package(None, line)
        version = fields.get("version")
        if type(version) is not str or not version:
            raise ManifestError(f"entry {descriptors[0]!r} has no `version` string", path, line)
        fetched = _locator_version(reference)
        if fetched is not None and fetched != version:
            # Yarn fetches what the locator names; `version` is only a label. Trusting the label would show a
            # reviewer one version while another is installed.
            self.problems.append(Problem(
                f"entry {descriptors[0]!r} says version {version!r}, but its resolution {resolution!r} is what Yarn "
                f"fetches ({fetched}): lockgate judges the resolution, and a lockfile that contradicts itself was not "
                "written by Yarn", line))
            version = fetched
        checksum = fields.get("checksum")
        if checksum is None:
            hashes: frozenset[str] = frozenset()
        elif type(checksum) is not str or not checksum or " " in checksum:
            raise ManifestError(f"`checksum` of {descriptors[0]!r} must be a string", path, line)
        else:
            hashes = frozenset((f"yarn-berry:{checksum}",))
        ranges = [d[d.find("@", 1) + 1:] if d.find("@", 1) > 0 else "" for d in descriptors]
        if len(ranges) == 1:
            specifier = _shown_range(ranges[0])
        else:
            specifier = ", ".join(dict.fromkeys(_shown_range(r) for r in ranges))
        if reference.startswith("npm:") and "::" not in reference:
            source, url = self._source_of(name), None  # the usual entry: the configured registry
        elif reference.startswith("patch:"):
            inner, patches = _patch(reference)
            if all(p.startswith("builtin<") for p in patches):
                return _Package(None, line)
            name = split_descriptor(inner)[0] or name
            source, url = Source("path", url="&".join(patches)), None
        else:
            source, url = _berry_source(reference, _ref_of(ranges))
        return _Package(_fields(name, version, specifier, source, hashes, path, line, url), line)

    def _edges(self, entry: _Entry, index: dict[str, int]) -> list[Edge]:
        fields = entry.fields
        edges: list[Edge] = []
        table = fields.get("dependencies")
        if table:
            if type(table) is not dict:
                raise ManifestError(f"`dependencies` of {entry.descriptors[0]!r} must be a mapping", self.path,
                                    entry.line)
            meta = fields.get("dependenciesMeta")
            for name, range_ in table.items():
                if type(range_) is not str:
                    range_ = _range_text(range_)
                target = index.get(f"{name}@{range_}")
                if target is None:
                    target = index.get(f"{name}@npm:{range_}")  # lockfiles before Berry 3 write bare ranges
                if target is not None:
                    info = meta.get(name) if type(meta) is dict else None
                    edges.append((target, type(info) is dict and info.get("optional") is True))
        # A patch entry depends on the package it patches: the inner descriptor of its key (``npm:^5.4.0``), or
        # failing that of its resolution (``npm:5.4.5``).
        resolution = fields.get("resolution")
        if type(resolution) is str and "@patch:" in resolution:
            for descriptor in entry.descriptors + [resolution]:
                reference = split_descriptor(descriptor)[1]
                if reference.startswith("patch:"):
                    target = index.get(_patch(reference)[0])
                    if target is not None:
                        edges.append((target, False))
                        break
        return edges

    def _roots(self, entries: list[_Entry], index: dict[str, int]) -> list[tuple[str, int]] | None:
        """Roots from the workspace entries (scope from each workspace's package.json); without any, from the
        package.json beside the lockfile; None when neither exists."""
        lock_dir = posixpath.dirname(self.path)
        roots: list[tuple[str, int]] = []
        workspaces = 0
        for entry in entries:
            resolution = entry.fields.get("resolution")
            if not isinstance(resolution, str):
                continue
            reference = split_descriptor(resolution)[1]
            if not reference.startswith("workspace:"):
                continue
            workspaces += 1
            where = unquote(reference[len("workspace:"):])
            directory = posixpath.join(lock_dir, where) if lock_dir else where
            project = read_package_json(directory, self.read, line_path=self.path, line=entry.line)
            table = entry.fields.get("dependencies") or {}
            if not isinstance(table, dict):
                raise ManifestError(f"`dependencies` of {entry.descriptors[0]!r} must be a mapping", self.path,
                                    entry.line)
            meta = entry.fields.get("dependenciesMeta") or {}
            for name, range_ in table.items():
                target = _lookup(index, str(name), _range_text(range_), berry=True)
                if target is None or _is_workspace(entries[target]):
                    continue
                if project is not None:
                    scope = project.scope_of(str(name))
                else:
                    info = meta.get(name) if isinstance(meta, dict) else None
                    scope = "optional" if isinstance(info, dict) and info.get("optional") is True else "prod"
                roots.append((scope, target))
        if workspaces:
            return roots
        project = read_package_json(lock_dir, self.read, line_path=self.path)
        return None if project is None else _project_roots(project, index, entries, berry=True)


def yarnrc_paths(lockfile: str) -> list[str]:
    """The ``.yarnrc.yml`` files Yarn reads for a project whose lockfile is at ``lockfile``: its folder's, then each
    parent's up to the repository root (nearest first)."""
    folder = posixpath.dirname(lockfile)
    paths = []
    while True:
        paths.append(posixpath.join(folder, ".yarnrc.yml") if folder else ".yarnrc.yml")
        if not folder:
            return paths
        folder = posixpath.dirname(folder)


def _locator_version(reference: str) -> str | None:
    """The version a Berry locator's reference fetches from the registry (``npm:4.17.21``, the ``npm:`` locator
    inside a ``patch:``), or None for references that name no registry version (git, tarballs, paths)."""
    if reference.startswith("npm:"):
        return reference[4:].partition("::")[0] or None
    if reference.startswith("patch:"):
        inner = split_descriptor(_patch(reference)[0])[1]
        return _locator_version(inner) if inner.startswith("npm:") else None
    return None


def _metadata_key_line(text: str, metadata_line: int | None, key: str) -> int | None:
    """The line of ``key:`` among the indented lines under ``__metadata`` (at ``metadata_line``)."""
    if metadata_line is None:
        return None
    rows = text.split("\n", metadata_line + 8)[metadata_line:metadata_line + 8]  # __metadata holds two or three keys
    for number, row in enumerate(rows, metadata_line + 1):
        if not row.startswith((" ", "\t")):
            return None
        if row.lstrip().startswith(f"{key}:"):
            return number
    return None


def _metadata_version_line(text: str) -> int | None:
    """The line of ``version:`` inside ``__metadata`` (only depth-one lines are kept for Berry)."""
    found = _METADATA_VERSION.search(text)
    return text.count("\n", 0, found.start(1)) + 1 if found else None


def _is_workspace(entry: _Entry) -> bool:
    resolution = entry.fields.get("resolution")
    return isinstance(resolution, str) and split_descriptor(resolution)[1].startswith("workspace:")


def _range_text(range_: object) -> str:
    """A dependency range as YAML gave it: old Berry lockfiles write bare ranges, which YAML may read as numbers."""
    return range_ if isinstance(range_, str) else str(range_)


def _shown_range(range_: str) -> str:
    """A descriptor's range as package.json would say it: Berry's implicit ``npm:`` dropped unless it is an
    alias, and Berry's own ``::key=value`` parameters left out."""
    range_ = range_.partition("::")[0]
    if range_.startswith("npm:") and alias_target(range_) is None:
        return range_[4:]
    return range_


def _patch(reference: str) -> tuple[str, list[str]]:
    """``patch:<inner, url-encoded>#<patch>[&<patch>]::<params>`` -> (inner descriptor, patch sources)."""
    body = reference[len("patch:"):].partition("::")[0]
    inner, _, patch_part = body.partition("#")
    from checker.manifests.npm_patches import yarn_patch_flags

    return unquote(inner), [yarn_patch_flags(unquote(p))[1] for p in patch_part.split("&") if p]


def _berry_source(reference: str, ref: str | None) -> tuple[Source, str | None]:
    """Source and artifact URL of a Berry locator's reference (the part after ``name@``)."""
    if reference.startswith("npm:"):
        params = reference.partition("::")[2]
        for param in params.split("&") if params else ():
            key, _, value = param.partition("=")
            if key == "__archiveUrl" and value:
                url = unquote(value)
                located = locate_url(url)
                return located.source, located.resolved
        return Source(), None
    for protocol in _PATH_PROTOCOLS:
        if reference.startswith(protocol):
            where = reference[len(protocol):].partition("::")[0].partition("#")[0]
            return Source("path", url=unquote(where)), None
    location = reference.partition("::")[0]
    fragment = location.partition("#")[2]
    if is_git_url(location) or "commit=" in fragment or "commit:" in fragment:
        return git_source(location, ref), None
    located = locate_url(location, ref)
    return located.source, located.resolved
