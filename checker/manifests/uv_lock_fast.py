"""The fast reader of ``uv.lock``: the small, regular subset of TOML that uv writes, read in one pass.

Why. A large workspace's uv.lock runs to megabytes, lockgate reads two revisions of it on every run, and ``tomllib``
reads such a file several times slower than this reader (``benchmarks/scale.py --formats uv.lock``, part of
``benchmarks/suite.py``, times the diff of a 50,000-entry lockfile). uv writes its lockfile deterministically, so
nearly every real file is in the subset below; ``read_fast`` returns None for anything else, and the parser
(checker/manifests/uv_lock.py) then reads the file with tomllib, which gives the same data or the proper error with
its line. The tests hold the two readers to the same Manifest on real, awkward and random files.

Grammar (EBNF; ``ws`` is spaces and tabs, ``nl`` a line feed; every rule is matched in linear time)::

    document     = { nl | ws-line | header | key-value } ;
    ws-line      = ( " " | "\t" | "#" ) end-of-line ;        (* a blank or comment line, not an indented key *)
    header       = "[[package]]" nl                           (* nothing else on the line *)
                 | "[" key { "." key } "]" end-of-line ;
    key-value    = key " = " value end-of-line ;              (* exactly one space either side of "=" *)
    end-of-line  = ws [ comment ] nl ;
    comment      = "#" { any character but nl } ;
    key          = 1*( "A".."Z" | "a".."z" | "0".."9" | "_" | "-" ) ;
    value        = string | integer | "true" | "false" | inline-table | array ;
    string       = '"' { any character but '"' and nl } '"' ;   (* basic string; the file holds no backslash *)
    integer      = [ "+" | "-" ] ( "0" | "1".."9" { "0".."9" } ) ;
    inline-table = "{" ws [ pair ws { "," ws pair ws } ] "}" ;
    pair         = key ws "=" ws value ;
    array        = "[" gap [ value gap { "," gap value gap } [ "," gap ] ] "]" ;
    gap          = { " " | "\t" | nl | comment } ;

and over the whole file: no backslash (so no escape sequence), no control character but tab and line feed (a CRLF
line end is read as LF, a lone CR is refused), valid UTF-8. It keeps TOML's rules for what it accepts: no key twice
in a table (inline ones included), no table defined twice or over a value, a header descends only through tables
that headers made (``[package.metadata]`` into the last ``[[package]]``), and ``[[package]]`` is the only array of
tables. So it refuses (returns None for) literal and multi-line strings, quoted and dotted keys, ``key=value`` and
other spacing, an indented key, floats, dates and times, hexadecimal, octal, binary and zero-padded integers,
``inf`` and ``nan``, a comment or a trailing comma inside an inline table, any other array of tables, a header
naming a table that exists already (TOML allows ``[a]`` after ``[a.b]``; uv never writes it), a duplicate key, an
integer too long for ``int``, and a file that ends inside a value.

Shapes read by one pattern each (the same data as the grammar gives): a package's ``name``, ``version`` and
``source`` lines, one dependency table per line in an array, one wheel per line, the ``sdist`` and ``source``
tables. For ``sdist`` and ``wheels`` entries in uv's usual shape only what the parser reads is kept: the ``hash``,
and the origin (scheme and host) of the ``url`` in place of the URL.

``read_fast`` also returns the line of every ``[[package]]`` header, which the parser reports entries at.
"""

from __future__ import annotations

import re

from checker.manifests.common import always_matching


class _Abandon(Exception):
    """The fast reader met something outside the subset it reads; the caller falls back to tomllib."""


# Bytes a file may hold for the fast reader: printable ASCII, tab, newline and anything non-ASCII (UTF-8
# multi-byte sequences never contain ASCII bytes). TOML forbids the other control characters in strings and
# comments, so one check of the whole file lets the patterns below treat `[^"\n]` as "a valid string character".
_ALLOWED_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n" + bytes(range(0x80, 0x100))
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
_SPACES = always_matching(r"[ \t]*")
_INLINE_KEY = re.compile(r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*")
_ARRAY_GAP = always_matching(r"(?:[ \t\n]|#[^\n]*)*")


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
        pos = _SPACES(text, pos + 1).end()
        if text[pos] == "}":
            return table, pos + 1
        while True:
            found = self._expect(_INLINE_KEY, pos)
            key = found.group(1)
            if key in table:
                raise _Abandon
            table[key], pos = self._value(found.end())
            pos = _SPACES(text, pos).end()
            if text[pos] == "}":
                return table, pos + 1
            if text[pos] != ",":
                raise _Abandon
            pos = _SPACES(text, pos + 1).end()

    def _array(self, pos: int) -> tuple[list, int]:
        text = self.text
        items = []
        pos = _ARRAY_GAP(text, pos + 1).end()
        while text[pos] != "]":
            value, pos = self._value(pos)
            items.append(value)
            pos = _ARRAY_GAP(text, pos).end()
            if text[pos] == ",":
                pos = _ARRAY_GAP(text, pos + 1).end()
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
