"""The fast reader of ``Cargo.lock``: the small, regular subset of TOML that Cargo writes, read line by line.

Why. A large workspace's Cargo.lock runs to megabytes and lockgate reads two revisions of it on every run;
``tomllib`` reads a 50,000-package lockfile in about two seconds, this reader in a fraction of that
(``benchmarks/scale.py --formats Cargo.lock``). Cargo writes its lockfile deterministically
(``cargo/core/resolver/encode.rs`` through ``toml``'s serializer), so nearly every real file is in the subset below;
``read_fast`` returns None for anything else, and the parser (checker/manifests/cargo_lock.py) then reads the file
with tomllib, which gives the same document or the proper error with its line. The tests hold the two readers to
the same document on real, awkward and random files.

Grammar (EBNF; every line ends with a line feed, a CRLF line end is read as LF; matched in linear time)::

    document    = { blank | comment | top-pair } { table } ;
    blank       = "" ;                                          (* an empty line: no spaces *)
    comment     = "#" { any character } ;
    top-pair    = "version = " integer ;                        (* before any table *)
    table       = package | metadata | root | other-array ;
    root        = "[root]" { pair | array | blank | comment } ;      (* once; Cargo's 2016 layout *)
    package     = "[[package]]" { pair | array | blank | comment } ;
    other-array = "[[patch.unused]]" { pair | array | blank | comment } ;
    metadata    = "[metadata]" { quoted-pair | pair | blank | comment } ;   (* once *)
    pair        = key " = " string ;
    quoted-pair = string " = " string ;
    array       = key " = [" ( "]" | { " " string "," } "]" ) ;  (* each string on its own line *)
    key         = 1*( "a".."z" | "A".."Z" | "0".."9" | "_" | "-" ) ;
    string      = '"' { any character but '"', "\\" and control characters } '"' ;
    integer     = "0" | "1".."9" { "0".."9" } ;

No key may repeat within its table (TOML's rule). Anything else (literal or multi-line strings, escapes, inline
tables, other tables, spacing of its own, a trailing comment on a value line) makes it give up.

``read_fast`` returns ``(document, package_lines)``: the document as tomllib would give it, and the line of each
``[[package]]`` header.
"""

from __future__ import annotations

import re

_PAIR = re.compile(r'([A-Za-z0-9_-]+) = "([^"\\\x00-\x08\x0a-\x1f\x7f]*)"')
_QUOTED_PAIR = re.compile(r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)" = "([^"\\\x00-\x08\x0a-\x1f\x7f]*)"')
_ARRAY_START = re.compile(r"([A-Za-z0-9_-]+) = \[(\])?")
_ARRAY_ITEM = re.compile(r' "([^"\\\x00-\x08\x0a-\x1f\x7f]*)",')
_TOP_VERSION = re.compile(r"version = (0|[1-9][0-9]{0,8})")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _Abandon(Exception):
    """The file is outside the subset: the caller reads it with tomllib."""


def read_fast(text: str) -> tuple[dict, list[int]] | None:
    """The document and the ``[[package]]`` lines, or None when the file is not in the subset (see the module
    docstring)."""
    if "\r" in text:
        if "\r" in text.replace("\r\n", "\n"):
            return None  # a lone CR: tomllib decides
        text = text.replace("\r\n", "\n")
    if _CONTROL.search(text) is not None:
        return None
    try:
        return _read(text.split("\n"))
    except _Abandon:
        return None


def _read(lines: list[str]) -> tuple[dict, list[int]]:
    document: dict = {}
    packages: list[dict] = []
    package_lines: list[int] = []
    table: dict | None = None  # the table the following pairs go in; None: the top level
    in_metadata = False
    index, count = 0, len(lines)
    if lines and lines[-1] == "":
        count -= 1  # the empty string after the last line feed
    elif lines and lines[-1]:
        raise _Abandon  # no line feed at the end: rare, tomllib reads it
    while index < count:
        line = lines[index]
        index += 1
        if not line or line[0] == "#":
            continue
        if line == "[[package]]":
            table = {}
            packages.append(table)
            package_lines.append(index)
            in_metadata = False
            continue
        if line == "[metadata]" or line == "[root]":
            key = line[1:-1]
            if key in document:
                raise _Abandon
            table = document[key] = {}
            in_metadata = key == "metadata"
            continue
        if line == "[[patch.unused]]":
            patch = document.setdefault("patch", {})
            if not isinstance(patch, dict) or set(patch) - {"unused"}:
                raise _Abandon
            table = {}
            patch.setdefault("unused", []).append(table)
            in_metadata = False
            continue
        if line[0] == "[":
            raise _Abandon
        if table is None:
            found = _TOP_VERSION.fullmatch(line)
            if found is None or "version" in document:
                raise _Abandon
            document["version"] = int(found.group(1))
            continue
        pair = _PAIR.fullmatch(line)
        if pair is not None:
            _put(table, pair.group(1), pair.group(2))
            continue
        if in_metadata:
            quoted = _QUOTED_PAIR.fullmatch(line)
            if quoted is None:
                raise _Abandon
            _put(table, quoted.group(1), quoted.group(2))
            continue
        start = _ARRAY_START.fullmatch(line)
        if start is None:
            raise _Abandon
        items: list[str] = []
        if start.group(2) is None:
            while True:
                if index >= count:
                    raise _Abandon
                item_line = lines[index]
                index += 1
                if item_line == "]":
                    break
                item = _ARRAY_ITEM.fullmatch(item_line)
                if item is None:
                    raise _Abandon
                items.append(item.group(1))
        _put(table, start.group(1), items)
    if packages:
        if "package" in document:
            raise _Abandon
        document["package"] = packages
    return document, package_lines


def _put(table: dict, key: str, value: object) -> None:
    if key in table:
        raise _Abandon  # TOML refuses a key twice; tomllib says so with its line
    table[key] = value
