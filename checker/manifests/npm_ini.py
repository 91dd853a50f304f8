"""npm's ini format, decoded as npm decodes it (the ``ini`` package's ``decode``, used by ``@npmcli/config``).

Both the ``.npmrc`` manifest parser and the facts stage (checker/registries/npmrc.py) read ``.npmrc`` through this
one decoder, so that what lockgate judges and what it asks the registry are the same settings.

The grammar, line by line (``ini``'s ``decode``; lines are split at every run of CR and LF):

    line     := blank | comment | section | pair
    comment  := WS* (";" | "#") ANY*                  (skipped)
    section  := "[" NOT-"]"* "]" WS*                  (opens a nested object: npm ignores its keys)
    pair     := NOT-"="+ ( "=" VALUE )?               (no "=": the value is true; VALUE holds no U+2028/U+2029)

A key and a value are each ``unsafe``-decoded: trimmed; then, when quoted (``"…"`` or ``'…'``), the quotes come off
and what remains is JSON-decoded if it can be (``"https:\\u002f\\u002fx"`` is ``https://x``, ``'true'`` is the
boolean); otherwise the text is cut at the first unescaped ``;`` or ``#`` (an inline comment) and ``\\;``, ``\\#``,
``\\\\`` are unescaped. A value that is then exactly ``true``, ``false`` or ``null`` is that JSON value.

A key ending in ``[]`` (longer than ``[]`` itself) appends to an array; a later plain assignment to a key that is
an array appends too; any other repeated key: the last one wins. ``__proto__`` is dropped.

What this module returns is every assignment (``Assignment``) in file order with its line and section; ``effective``
applies npm's rules (last wins, arrays accumulate, only top-level keys count).
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

# JavaScript's String.prototype.trim removes these (WhiteSpace and LineTerminator of ECMAScript).
_JS_SPACE = " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_COMMENT_START = re.compile("^[" + _JS_SPACE + "]*[;#]")


class Assignment(NamedTuple):
    """One ``key=value`` line: the decoded key (without ``[]``), the decoded value (str, bool, None, a number, or
    a JSON list/object), its 1-based line, the section it stands in (None: top level) and whether it appends."""

    key: str
    value: object
    line: int
    section: str | None
    array: bool


class Section(NamedTuple):
    name: str
    line: int


class Document(NamedTuple):
    assignments: tuple[Assignment, ...]
    sections: tuple[Section, ...]


def _js_trim(text: str) -> str:
    return text.strip(_JS_SPACE)


def _json(text: str) -> object:
    """JSON.parse; raises ValueError where it fails (Python's NaN and Infinity are not JSON)."""

    def refuse(constant: str) -> object:
        raise ValueError(constant)

    return json.loads(text, parse_constant=refuse)


def unsafe(raw: str) -> object:
    """``ini``'s ``unsafe``: the decoded key or value (see the module docstring)."""
    value = _js_trim(raw)
    if (value.startswith('"') and value.endswith('"')) or (value.startswith("'") and value.endswith("'")):
        decoded: object = value
        if value[0] == "'":
            value = value[1:-1]
            decoded = value
        try:
            decoded = _json(value)
        except (ValueError, RecursionError):
            pass
        return decoded
    out: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            out.append(char if char in "\\;#" else "\\" + char)
            escaped = False
        elif char in ";#":
            break
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    if escaped:
        out.append("\\")
    return _js_trim("".join(out))


def _key_text(key: object) -> str:
    """A decoded key as a JavaScript property name (a quoted key may decode to a boolean or a number)."""
    if isinstance(key, str):
        return key
    from checker.manifests.settings import text_value

    return text_value(key)


def decode(text: str) -> Document:
    """Every section and assignment of an ``.npmrc``, in order."""
    assignments: list[Assignment] = []
    sections: list[Section] = []
    section: str | None = None
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if not line or _COMMENT_START.match(line) or not line.strip(_JS_SPACE + " "):
            continue
        if line.startswith("["):
            body = _js_trim(line)
            closing = line.find("]")
            if closing > 0 and not _js_trim(line[closing + 1 :]) and body.endswith("]"):
                section = _key_text(unsafe(line[1:closing]))
                sections.append(Section(section, number))
                continue
        equals = line.find("=")
        if equals == 0:
            continue  # `[^=]+` needs a key
        if equals > 0:
            raw_key, raw_value = line[:equals], line[equals + 1 :]
            if "\u2028" in raw_value or "\u2029" in raw_value:
                continue  # JavaScript's `.` stops there, so the line does not match at all
            value: object = unsafe(raw_value)
        else:
            raw_key, value = line, True
        key_raw = unsafe(raw_key)
        array = isinstance(key_raw, str) and len(key_raw) > 2 and key_raw.endswith("[]")
        key = _key_text(key_raw)[:-2] if array else _key_text(key_raw)
        if key == "__proto__" or section == "__proto__":
            continue
        if value in ("true", "false", "null"):
            value = _json(value)
        assignments.append(Assignment(key, value, number, section, array))
    return Document(tuple(assignments), tuple(sections))


class Value(NamedTuple):
    """One value a key ends up with, and the line that gave it."""

    value: object
    line: int


def effective(document: Document) -> dict[str, list[Value]]:
    """The top-level settings as npm ends up with them: key -> its values (one, or several for an array)."""
    out: dict[str, list[Value]] = {}
    arrays: set[str] = set()
    for item in document.assignments:
        if item.section is not None:
            continue
        if item.array:
            if item.key not in arrays:
                arrays.add(item.key)
                out[item.key] = out.get(item.key, [])  # a plain value before it becomes the array's first
            out[item.key].append(Value(item.value, item.line))
        elif item.key in arrays:
            out[item.key].append(Value(item.value, item.line))
        else:
            out[item.key] = [Value(item.value, item.line)]
    return out
