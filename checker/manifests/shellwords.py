"""Words of a command line as ``shlex.split`` splits them, in linear time.

Why not ``shlex``: it builds each word a character at a time with ``self.token = self.token + char``, which CPython
cannot do in place on an attribute, so a word of n characters costs n²: a 1 MB option in a requirements file
(``-r aaaa…``) took 15 s. pip splits option lines with ``shlex.split`` itself, so lockgate must split them exactly as
it does — this module does, proved against ``shlex.split`` on generated text (tests/manifests/test_shellwords.py).

Grammar (``shlex`` in POSIX mode, ``whitespace_split``, no comments, no punctuation characters)::

    line     := blank* (word blank+)* word? blank*
    blank    := " " | "\\t" | "\\r" | "\\n"
    word     := piece+                                    -- the pieces are joined, quotes removed
    piece    := plain+ | "'" [^']* "'" | '"' dq* '"' | "\\\\" any
    dq       := [^"\\\\] | "\\\\" ("\\"" | "\\\\")        -- yields the escaped character
              | "\\\\" other                             -- yields the backslash and the character

An unclosed quote is ``ValueError("No closing quotation")``, a backslash at the very end ``ValueError("No escaped
character")``, as from ``shlex``.
"""

from __future__ import annotations

import re

from checker.manifests.common import always_matching

_BLANKS = always_matching(r"[ \t\r\n]*")
_PLAIN = re.compile(r"[^ \t\r\n'\"\\]+")
_DOUBLE_QUOTED = re.compile(r'[^"\\]+')


def split(text: str) -> list[str]:
    """``shlex.split(text)`` (POSIX mode, no comments), in time linear in ``len(text)``."""
    words: list[str] = []
    end = len(text)
    at = _BLANKS(text).end()
    while at < end:
        parts: list[str] = []
        while at < end and text[at] not in " \t\r\n":
            char = text[at]
            if char == "'":
                close = text.find("'", at + 1)
                if close < 0:
                    raise ValueError("No closing quotation")
                parts.append(text[at + 1 : close])
                at = close + 1
            elif char == '"':
                at = _double_quoted(text, at + 1, parts)
            elif char == "\\":
                if at + 1 >= end:
                    raise ValueError("No escaped character")
                parts.append(text[at + 1])
                at += 2
            else:
                found = _PLAIN.match(text, at)
                assert found is not None
                parts.append(found.group())
                at = found.end()
        words.append("".join(parts))
        at = _BLANKS(text, at).end()
    return words


def _double_quoted(text: str, at: int, parts: list[str]) -> int:
    """Read a double-quoted piece from just after its opening quote; the position after its closing quote."""
    end = len(text)
    while True:
        found = _DOUBLE_QUOTED.match(text, at)
        if found is not None:
            parts.append(found.group())
            at = found.end()
        if at >= end:
            raise ValueError("No closing quotation")
        if text[at] == '"':
            return at + 1
        if at + 1 >= end:  # a backslash, and nothing after it
            raise ValueError("No escaped character")
        escaped = text[at + 1]
        parts.append(escaped if escaped in '"\\' else "\\" + escaped)
        at += 2
