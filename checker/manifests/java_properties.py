"""Java ``.properties`` files (``gradle.properties``, ``gradle-wrapper.properties``, ``maven-wrapper.properties``),
read as ``java.util.Properties.load`` reads them, because a setting Gradle or Maven reads one way must not be read
another way here (``org.gradle.dependency.verification=\\`` continued on the next line with ``off`` turns
verification off).

Grammar (the ``Properties.load(Reader)`` documentation):

- natural lines end at ``\\n``, ``\\r`` or ``\\r\\n``; a line ending in an odd number of backslashes continues on
  the next, whose leading whitespace (space, tab, form feed) is dropped;
- a logical line whose first non-blank character is ``#`` or ``!`` is a comment; a blank one is skipped;
- the key runs to the first unescaped ``=``, ``:`` or whitespace; then whitespace, at most one ``=`` or ``:``,
  and whitespace again are skipped; the rest is the value;
- in keys and values ``\\t``, ``\\n``, ``\\r``, ``\\f``, ``\\uXXXX`` are those characters and ``\\X`` is ``X``;
- a key defined twice: the last definition wins.

May import: nothing of lockgate.
"""

from __future__ import annotations

_BLANK = " \t\f"
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def _logical_lines(text: str) -> list[tuple[str, int]]:
    """(logical line, its first line number)."""
    natural = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: list[tuple[str, int]] = []
    parts: list[str] = []
    start = 0
    for number, line in enumerate(natural, 1):
        if parts:
            line = line.lstrip(_BLANK)
        else:
            start = number
            stripped = line.lstrip(_BLANK)
            if not stripped or stripped[0] in "#!":
                continue
            line = stripped
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2:
            parts.append(line[:-1])
            continue
        parts.append(line)
        found.append(("".join(parts), start))
        parts = []
    if parts:
        found.append(("".join(parts), start))
    return found


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\" or index + 1 >= len(text):
            out.append(char)
            index += 1
            continue
        following = text[index + 1]
        if following == "u" and index + 6 <= len(text):
            digits = text[index + 2 : index + 6]
            if all(c in "0123456789abcdefABCDEF" for c in digits):
                out.append(chr(int(digits, 16)))
                index += 6
                continue
        out.append(_ESCAPES.get(following, following))
        index += 2
    return "".join(out)


def _split(line: str) -> tuple[str, str]:
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\":
            index += 2
            continue
        if char in "=:" or char in _BLANK:
            break
        index += 1
    key = line[:index]
    rest = line[index:].lstrip(_BLANK)
    if rest[:1] in ("=", ":"):
        rest = rest[1:].lstrip(_BLANK)
    return _unescape(key), _unescape(rest)


def read(text: str) -> dict[str, tuple[str, int]]:
    """Every key with its value and the line that defines it (the last definition)."""
    found: dict[str, tuple[str, int]] = {}
    for line, number in _logical_lines(text):
        key, value = _split(line)
        found[key] = (value, number)
    return found
