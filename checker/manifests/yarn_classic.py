"""The classic (Yarn 1) ``yarn.lock`` reader: Yarn 1's own lockfile syntax (``# yarn lockfile v1``), which is not YAML.

A file is an entry per resolved package whose key lists every descriptor that resolved to it
(``"a@^1.0.0", a@^1.1.0:``), with ``key value`` lines indented by two spaces below it and ``key:`` opening a nested
block. It is read by a parser that follows Yarn's own grammar (``src/lockfile/parse.js``; the ``.yarnrc`` reader,
checker/manifests/yarnrc.py, uses its line reader too):

Grammar (EBNF; lines end at LF, CRLF or CR; tokens may be separated by spaces)::

    lockfile = { line } ;
    line     = indent [ entry | block | field ] [ comment ] ;
    indent   = { "  " } ;                      (* the line's depth is its number of spaces / 2 *)
    entry    = keys ":" ;                      (* depth 0 only: a new entry *)
    block    = keys ":" ;                      (* below an entry: opens a block one level deeper *)
    field    = keys [ ":" ] value ;            (* below an entry: version "1.2.3" *)
    keys     = key { "," key } ;               (* keys of one line that open a block share it *)
    key      = string | word ;
    value    = string | word | number | "true" | "false" ;
    string   = '"' { any character but '"' and "\" | "\" any character } '"' ;   (* read as JSON *)
    word     = ( letter | "/" | "." | "-" ) { any character but white space, ":" and "," } ;
    number   = digit { digit } ;               (* ends at white space, ":", "," or the line's end *)
    comment  = "#" { any character } ;

A line's depth must be that of the innermost open block, or less (which closes blocks). The reader is strict
where Yarn is lenient: an odd indentation, an unexpected one, a top-level line that is not an entry, a line it
cannot read, a bare word that starts with ``true`` or ``false`` without being one (Yarn reads the boolean and
then chokes), a key written twice in one block, an invalid quoted string, a number too long to convert, a
merge-conflict marker and a ``# yarn lockfile v<N>`` header other than v1 are errors with their line. A tab
outside a string ends what is read of its line (Yarn refuses such a line as an invalid token).

Meaning. A descriptor written in two entries (Yarn accepts it: the later entry wins) is read as Yarn reads it: an
identical repeat merges into the first, a different one takes the descriptor and is a Problem at its line. Each
entry gives: the real package name (an alias ``alias@npm:real@^1`` names ``real``), ``version``, ``resolved`` (the
artifact URL: a registry tarball, a git URL with the commit after ``#``, a GitHub/GitLab archive, or another
tarball; kept whole in ``Dependency.resolved``), and ``integrity`` (SRI, kept as ``sha512:<hex>``; the sha1 that
Yarn appends to a registry tarball URL as ``#<sha1>`` is kept too, as ``sha1:<hex>``). Entries without
``resolved`` come from their descriptor: ``file:``/``link:`` paths, git URLs, or the default registry. Edges are
the ``dependencies`` and ``optionalDependencies`` blocks; the package.json beside the lockfile gives the roots
(checker/manifests/yarn_lock.py says how scope and direct follow).

Speed. Yarn 1 writes nearly every entry in one canonical shape (key line, ``version``, ``resolved``,
``integrity``, dependency blocks); ``_canonical_entries`` reads a file made only of such entries with one pattern per
entry, and hands anything else to the line-by-line reader, which gives the same entries (and the errors). The tests
check the two against each other on the corpus, the fixtures and seeded random edits; ``benchmarks/scale.py
--formats "yarn classic"`` times the diff of a 50,000-entry lockfile.
"""

from __future__ import annotations

import json
import posixpath
import re

from checker.errors import ManifestError
from checker.manifests.common import always_matching, number_too_long
from checker.manifests.jslocks import (
    Edge, alias_target, git_source, locate_url, read_package_json, split_descriptor, sri_hashes,
)
from checker.manifests.npm_common import is_git_url
from checker.manifests.npm_tarball import parse_tarball_url
from checker.manifests.yarn_common import (
    PATH_PROTOCOLS, Entry, Package, dependency_fields, entry_index, finish, project_roots, ref_of,
)
from checker.model import Dependency, Problem, Reader, Source

CLASSIC_VERSION = 1

_CLASSIC_HEADER = re.compile(r"^#\s*yarn lockfile v(\d+)\s*$", re.MULTILINE)
_CONFLICT = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")
_SHA1_FRAGMENT = re.compile(r"[0-9a-f]{40}")


def dependencies(text: str, path: str, read: Reader, fast: bool, problems: list[Problem]) -> tuple[Dependency, ...]:
    """The dependencies of a classic yarn.lock (``read`` fetches the package.json beside it); what is read but
    misleading goes to ``problems``. ``fast=False`` reads every entry line by line."""
    return _Classic(text, path, read, fast, problems).dependencies()


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
        index = entry_index(entries)
        packages = [self._package(entry) for entry in entries]
        for entry, package in zip(entries, packages):
            package.edges = self._edges(entry, index)
        project = read_package_json(posixpath.dirname(self.path), self.read, line_path=self.path)
        roots = None if project is None else project_roots(project, index, entries, berry=False)
        return finish(packages, roots)

    def _check_header(self) -> None:
        found = _CLASSIC_HEADER.search(self.text) if "yarn lockfile v" in self.text else None
        if found is not None and int(found.group(1)) != CLASSIC_VERSION:
            line = self.text.count("\n", 0, found.start()) + 1
            raise ManifestError(
                f"unsupported yarn lockfile v{found.group(1)}; lockgate reads classic v1 and Berry (with __metadata)",
                self.path, line,
            )

    # -- reading ------------------------------------------------------------------------------------------------

    def _entries(self) -> list[Entry]:
        """The top-level entries, each with its nested fields. Yarn's grammar: a line at depth d is ``keys value``
        or ``keys:`` (opening depth d + 1); depth is the indentation in pairs of spaces. One regular expression
        splits every line; the usual ``  key "value"`` lines are taken from it directly, the rest go through
        ``_line``."""
        text = self.text
        entries: list[Entry] = []
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
                    entry = Entry(keys, number, {})
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
                entry = Entry(keys, number, {})
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
            plain = _plain_keys(line[:-1].lstrip(" "))
            if plain is not None:  # `"a@^1", a@^1.1:` and `  dependencies:`
                return plain, None, True
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
            key = tokens[position][1]
            assert isinstance(key, str)  # a quoted or bare token
            keys.append(key)
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
            assert kind is not None  # every alternative is a named group
            text = found.group(kind)
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
                tokens.append((kind, text))
        return tokens

    # -- building -------------------------------------------------------------------------------------------------

    def _package(self, entry: Entry) -> Package:
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
        return Package(dependency_fields(name, version, specifier, source, hashes, path, line, url), line)

    def _edges(self, entry: Entry, index: dict[str, int]) -> list[Edge]:
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
_GAP = always_matching(r"(?:[ ]*(?:#[^\n]*)?\n)*")


def _canonical_entries(text: str) -> list[Entry] | None:
    """The entries when every one has the canonical shape (one pattern each, no line-by-line work), else None:
    the line-by-line reader then reads the file, with its errors. Both give the same entries; the tests check."""
    if not text.endswith("\n"):
        text += "\n"
    entries: list[Entry] = []
    position, line, end = 0, 1, len(text)
    match_entry, match_gap = _CANONICAL_ENTRY.match, _GAP
    while True:
        gap = match_gap(text, position)
        line += text.count("\n", position, gap.end())
        position = gap.end()
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
        entries.append(Entry(keys, line, fields))
        line += text.count("\n", position, found.end())
        position = found.end()


def _merge_duplicates(entries: list[Entry], problems: list[Problem]) -> list[Entry]:
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
    return [Entry(kept[number], entry.line, entry.fields) for number, entry in enumerate(entries) if number in kept]


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
    block: dict = target[keys[0]]
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
    ref = ref_of(ranges)
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


def _from_descriptor(ranges: list[str]) -> Source:
    """Where an entry without ``resolved`` comes from: a path, a git URL, or the default registry."""
    for range_ in ranges:
        if range_.startswith(PATH_PROTOCOLS):
            return Source("path", url=range_.partition(":")[2])
    for range_ in ranges:
        if is_git_url(range_) or range_.startswith(("github:", "gitlab:", "bitbucket:")):
            return _with_commit(git_source(range_, ref_of(ranges)), ranges)
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
