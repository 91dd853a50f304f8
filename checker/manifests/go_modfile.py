"""The syntax ``go.mod`` and ``go.work`` share, read as golang.org/x/mod/modfile (read.go, rule.go) reads it.

The grammar (read.go ``readToken`` and ``parseStmt``/``parseLineBlock``)::

    file     := { line }
    line     := [ stmt ] [ comment ] "\\n"
    stmt     := verb { arg }                                   (a single line)
              | verb { arg } "(" "\\n" { [ { arg } ] [ comment ] "\\n" } ")"   (a block: each line one statement)
    arg      := ident | string | "(" | ")" | "[" | "]" | "{" | "}" | ","
    ident    := a run of printable, non-space characters other than ( ) [ ] { } , that stops before "//"
    string   := '"' Go string-literal characters (no newline) '"' | '`' raw characters (no newline) '`'
    comment  := "//" to the end of the line          (a "/*" comment is an error)

A comment after a statement is its *suffix* (``// indirect``); comment-only lines are ignored. Blocks do not nest.
``parseString`` then reads an argument: a ``"…"`` string is unquoted (Go escapes), an unquoted one must not hold a
quote character. lockgate reads module paths and versions, which hold no escapes: a quoted string with a
backslash, or a raw string, is reported (``ModfileError``) rather than guessed at.

Every regular expression here matches in linear time (each a run of one character class or a fixed string).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_SPACE = re.compile(r"[ \t\r]*")
_IDENT = re.compile(r"(?:[^\s()\[\]{},/\"`]|/(?!/))(?:[^\s()\[\]{},/]|/(?!/))*")
_STRING = re.compile(r'"[^"\\\n]*"')
_PUNCT = frozenset("()[]{},")


class ModfileError(ValueError):
    """A line the go command would refuse: message and 1-based line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Statement(NamedTuple):
    """One directive: its verb, arguments (strings unquoted), the suffix comment without ``//`` (or None), the
    line it is on, and whether it came from a block (``require ( … )``)."""

    verb: str
    args: tuple[str, ...]
    comment: str | None
    line: int
    in_block: bool = False


def _tokens(text: str, number: int) -> tuple[list[str], str | None]:
    """The tokens of one line and its comment (without ``//``). Strings come back unquoted."""
    tokens: list[str] = []
    pos, end = 0, len(text)
    while True:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string
        if pos >= end:
            return tokens, None
        char = text[pos]
        if text.startswith("//", pos):
            return tokens, text[pos + 2 :]
        if text.startswith("/*", pos):
            raise ModfileError("mod files must use // comments (not /* */ comments)", number)
        if char in _PUNCT:
            tokens.append(char)
            pos += 1
            continue
        if char == '"':
            found = _STRING.match(text, pos)
            if found is None:
                raise ModfileError("a quoted string that lockgate cannot read (an escape, or no closing quote)",
                                   number)
            tokens.append(found.group()[1:-1])
            pos = found.end()
            continue
        if char == "`":
            raise ModfileError("a raw `…` string, which go.mod does not accept for a path or version", number)
        found = _IDENT.match(text, pos)
        if found is None or not found.group().isprintable():
            raise ModfileError(f"unexpected input character {char!r}", number)
        token = found.group()
        if "'" in token or '"' in token or "`" in token:
            raise ModfileError(f"unquoted string cannot contain quote: {token!r}", number)
        tokens.append(token)
        pos = found.end()


def statements(text: str) -> list[Statement]:
    """The file's directives in order (see the module docstring). Raises ModfileError."""
    out: list[Statement] = []
    block: tuple[str, int] | None = None  # (verb, line) of the open block
    for number, raw in enumerate(text.split("\n"), start=1):
        tokens, comment = _tokens(raw, number)
        if not tokens:
            continue
        if block is not None:
            if tokens == [")"]:
                block = None
                continue
            if ")" in tokens or "(" in tokens:
                raise ModfileError("a block line may not open or close another block", number)
            out.append(Statement(block[0], tuple(tokens), comment, number, True))
            continue
        if tokens[-1] == "(" and len(tokens) >= 2 and "(" not in tokens[:-1]:
            if len(tokens) != 2:
                raise ModfileError(f"unexpected arguments before '(' of a {tokens[0]} block", number)
            block = (tokens[0], number)
            continue
        if tokens[0] in _PUNCT:
            raise ModfileError(f"unexpected {tokens[0]!r}", number)
        out.append(Statement(tokens[0], tuple(tokens[1:]), comment, number))
    if block is not None:
        raise ModfileError(f"the {block[0]} block opened here is never closed", block[1])
    return out


def is_directory_path(path: str) -> bool:
    """modfile ``IsDirectoryPath``: a replacement that is a local directory (rooted, or starting with . or ..,
    in Unix or Windows syntax, or a drive letter)."""
    return (path in (".", "..") or path.startswith(("./", ".\\", "../", "..\\", "/", "\\"))
            or (len(path) >= 2 and path[0].isascii() and path[0].isalpha() and path[1] == ":"))


# A module path (golang.org/x/mod/module CheckPath, loosely): ASCII letters, digits and ``-._~+``, elements joined by
# ``/``, none empty. Anything else (a space, a homoglyph, ``@``) is no module path the go command accepts.
_MODULE_PATH = re.compile(r"[A-Za-z0-9_~+-][A-Za-z0-9._~+-]*(?:/[A-Za-z0-9._~+-]+)*")


def is_module_path(path: str) -> bool:
    return _MODULE_PATH.fullmatch(path) is not None and ".." not in path.split("/")


def module_version(text: str) -> str | None:
    """golang.org/x/mod/module ``CanonicalVersion``: the canonical Go version, ``+incompatible`` kept; None when
    ``text`` is not a Go version (a branch, ``latest``), which the go command would have to resolve."""
    from checker.versions import go

    parsed = go.parse(text)
    if parsed is None:
        return None
    return parsed.canonical + ("+incompatible" if parsed.build == "incompatible" else "")


# golang.org/x/mod/modfile GoVersionRE and ToolchainRE.
_GO_VERSION = re.compile(r"([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?")
_TOOLCHAIN = re.compile(r"default|go1(?:\.\S*)?")


def is_go_version(text: str) -> bool:
    return _GO_VERSION.fullmatch(text) is not None


def is_toolchain(text: str) -> bool:
    return _TOOLCHAIN.fullmatch(text) is not None
