"""A reader of git's configuration file syntax, for ``.gitmodules``: what git itself reads, value for value.

git reads ``.gitmodules`` with its own config parser (config.c: ``git_parse_source``, ``get_base_var``,
``get_extended_base_var``, ``get_value``, ``parse_value``). ``configparser`` reads another language (no ``[a "b"]``
subsections, no backslash escapes, no quotes that toggle mid-value), so this module follows config.c instead.
Grammar, as config.c reads it (``blank`` is git's ``isspace``: space, tab, CR and LF, nothing else; letters and
digits are ASCII only; a CR LF pair is read as one LF; a UTF-8 BOM at the start is skipped, as collect does)::

    file       = *( blank / comment / header / entry )
    comment    = ( "#" / ";" ) *( any but LF )                   ; also after a header, on its line
    header     = "[" name "]"                                     ; name lower-cased
               / "[" name 1*blank DQUOTE subsection DQUOTE "]"    ; subsection kept as written
    name       = 1*( ALPHA / DIGIT / "-" / "." )
    subsection = *( any but LF, DQUOTE and "\\" / "\\" any-but-LF )   ; a backslash keeps the next character
    entry      = key *( SP / HTAB ) [ "=" value ] ( LF / end )    ; no "=": a boolean true (value None)
    key        = ALPHA *( ALPHA / DIGIT / "-" )                   ; lower-cased
    value      = *( plain / blank / DQUOTE / escape / comment )   ; up to the LF that ends it

Values: blanks before the first character are skipped and blanks after the last unquoted one are dropped;
``DQUOTE`` toggles quoting and is not kept; inside quotes blanks, ``#`` and ``;`` are ordinary characters, outside
them ``#`` or ``;`` starts a comment to the end of the line; ``\\`` before LF joins the next line (in quotes
too), ``\\t`` ``\\b`` ``\\n`` ``\\\\`` ``\\"`` are escapes and any other is an error; a quote still open at the end
of the line is an error. Several entries may follow one another only across lines, but an entry may follow a
header on the same line (``[core] bare = true``). The deprecated ``[section.subsection]`` header has its
subsection lower-cased, as git does. Sections may repeat; their entries add up.

One difference between git versions matters here: before git 2.45 each unquoted blank *inside* a value was read
as a space, since 2.45 as written. A value with a tab or a lone CR between its characters therefore reads
differently in different gits; such an entry carries ``mixed_blanks`` so that the caller can refuse to guess.

Anything else is an error naming the line, as git's "bad config line N". Includes (``[include] path = ...``) are
ordinary entries here: git does not follow them in ``.gitmodules``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from checker.errors import ManifestError
from checker.manifests.common import always_matching

_BLANKS_OR_NOT = always_matching(r"[ \t\r\n]*")
_COMMENT = always_matching(r"[^\n]*")
_NAME = always_matching(r"[A-Za-z0-9.-]*")
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_SPACE_TAB = always_matching(r"[ \t]*")
_SUBSECTION_PLAIN = re.compile(r'[^"\\\n]+')
_UNQUOTED_PLAIN = re.compile(r'[^"\\#;\n \t\r]+')
_QUOTED_PLAIN = re.compile(r'[^"\\\n]+')
_UNQUOTED_BLANKS = re.compile(r"[ \t\r]+")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "\\": "\\", '"': '"'}


class Entry(NamedTuple):
    """One ``key = value`` of the file: section lower-cased, subsection as git keys it (None without one), key
    lower-cased, value (None for a bare key: boolean true), and the line the key is on."""

    section: str
    subsection: str | None
    key: str
    value: str | None
    line: int
    mixed_blanks: bool = False  # a tab or lone CR between the value's characters: git < 2.45 reads it as a space


def read(text: str, path: str) -> list[Entry]:
    """Every entry of a git configuration file, in order; a line git would refuse is a ManifestError."""
    return _Reader(text.replace("\r\n", "\n"), path).entries()


class _Reader:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.at = 0
        self.line = 1
        self.counted = 0  # offset up to which newlines are counted into self.line

    def line_at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.counted, offset)
        self.counted = offset
        return self.line

    def fail(self, what: str, offset: int) -> ManifestError:
        return ManifestError(f"bad config line: {what} (git refuses the file)", self.path, self.line_at(offset))

    def entries(self) -> list[Entry]:
        text = self.text
        found: list[Entry] = []
        prefix: str | None = None  # the section header as git keys it: ``name`` or ``name.subsection``
        end = len(text)
        while True:
            self.at = _BLANKS_OR_NOT(text, self.at).end()
            if self.at >= end:
                return found
            char = text[self.at]
            if char in "#;":
                self.at = _COMMENT(text, self.at).end()
            elif char == "[":
                prefix = self.header()
            elif _KEY.match(text, self.at):
                entry = self.entry(prefix)
                if prefix is not None:  # an entry before any header belongs to no section: git looks none up
                    found.append(entry)
            else:
                raise self.fail(f"unexpected {char!r} where a section header or a key was expected", self.at)

    def header(self) -> str:
        """The header at ``self.at`` as git keys its entries: ``section`` or ``section.subsection`` (git then takes
        the section to the first dot and the subsection to the last one: ``[submodule.a "b"]`` is submodule
        ``a.b``)."""
        text, start = self.text, self.at
        name_end = _NAME(text, start + 1).end()
        name = text[start + 1 : name_end].lower()
        after = text[name_end : name_end + 1]
        if after == "]":
            if not name:
                raise self.fail("empty section name", start)
            self.at = name_end + 1
            return name  # the deprecated [section.subsection] too: its subsection is lower-cased with it
        if after not in (" ", "\t", "\r"):
            raise self.fail("a section name holds only letters, digits, '-' and '.'", name_end)
        at = _SPACE_TAB_CR(text, name_end).end()
        if text[at : at + 1] != '"':
            raise self.fail('expected a quoted subsection: [section "subsection"]', at)
        parts: list[str] = []
        at += 1
        while True:
            plain = _SUBSECTION_PLAIN.match(text, at)
            if plain is not None:
                parts.append(plain.group())
                at = plain.end()
            char = text[at : at + 1]
            if char == '"':
                break
            if char == "\\" and text[at + 1 : at + 2] not in ("", "\n"):
                parts.append(text[at + 1])
                at += 2
                continue
            raise self.fail("subsection not closed on its line", at)
        if text[at + 1 : at + 2] != "]":
            raise self.fail("expected ']' right after the subsection's closing quote", at + 1)
        self.at = at + 2
        return f"{name}.{''.join(parts)}"  # ``[ "x"]``, with no name, is valid too: section "", subsection x

    def entry(self, prefix: str | None) -> Entry:
        text = self.text
        key_match = _KEY.match(text, self.at)
        assert key_match is not None
        line = self.line_at(self.at)
        at = _SPACE_TAB(text, key_match.end()).end()
        char = text[at : at + 1]
        key = key_match.group().lower()
        section, dot, subsection = (prefix or "").partition(".")
        where = (section, subsection if dot else None, key)
        if char in ("", "\n"):
            self.at = at
            return Entry(*where, None, line)
        if char != "=":
            raise self.fail(f"expected '=' or the end of the line after the key {key_match.group()!r}", at)
        value, mixed = self.value(at + 1)
        return Entry(*where, value, line, mixed)

    def value(self, at: int) -> tuple[str, bool]:
        """The value starting at ``at`` (just after ``=``), with config.c's rules; leaves ``self.at`` after it."""
        text = self.text
        parts: list[str] = []
        length = 0  # characters in parts
        trim = None  # where trailing unquoted blanks start, None when the value does not end in such blanks
        quoted = False
        mixed = False
        while True:
            char = text[at : at + 1]
            if char in ("", "\n"):
                if quoted:
                    raise self.fail("a quoted value is not closed at the end of its line", at)
                self.at = at
                value = "".join(parts)
                return (value[:trim] if trim is not None else value), mixed
            if not quoted and char in " \t\r":
                blanks = _UNQUOTED_BLANKS.match(text, at)
                assert blanks is not None  # char is one
                if length:  # leading blanks are skipped
                    if trim is None:
                        trim = length
                    parts.append(blanks.group())
                    length += len(blanks.group())
                at = blanks.end()
                continue
            if not quoted and char in "#;":
                at = _COMMENT(text, at).end()
                continue
            if trim is not None:
                if parts[-1].strip(" ") and len(parts) > 1:
                    mixed = True  # a tab or CR between characters: git < 2.45 reads a space there
                trim = None
            if char == "\\":
                escaped = text[at + 1 : at + 2]
                if escaped in ("", "\n"):  # a continuation: the line break is dropped
                    at += 2
                    continue
                if escaped not in _ESCAPES:
                    raise self.fail(f"unknown escape sequence '\\{escaped}' in a value", at)
                parts.append(_ESCAPES[escaped])
                length += 1
                at += 2
                continue
            if char == '"':
                quoted = not quoted
                at += 1
                continue
            plain = (_QUOTED_PLAIN if quoted else _UNQUOTED_PLAIN).match(text, at)
            assert plain is not None
            parts.append(plain.group())
            length += len(plain.group())
            at = plain.end()


_SPACE_TAB_CR = always_matching(r"[ \t\r]*")
