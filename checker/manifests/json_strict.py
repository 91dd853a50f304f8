"""Strict JSON for lockfiles: a key written twice in one object is an error, not a silent choice.

npm reads its files with ``JSON.parse`` and Pipenv with Python's ``json``: both keep the *last* of two equal keys,
while a reviewer reading the diff sees the first. A second ``"resolved"`` in a package-lock.json, or a second
``"hashes"`` or ``"index"`` in a Pipfile.lock, is how one would hide an injected URL, hash or index. So every JSON
lockfile is decoded here, where a duplicate is found while decoding (one small hook per object) and reported with
the key and its line. Other failures are errors too, each naming the file and line: not JSON (with a hint when the
file ends early), an integer too long to convert, nesting too deep.

A lockfile is one object whose large members are objects of entries (npm's ``packages``, Pipfile.lock's
``default``). ``load_members`` reads such a file member by member: the same document as ``loads``, plus the line
of each entry's key, in one pass instead of a decode and a second scan for lines. Given the same file's other
revision, an entry whose text is unchanged is not decoded again: its value is taken from that revision (see
``load_members``).

Grammar. JSON as Python's ``json`` decodes it (RFC 8259, plus ``NaN``, ``Infinity`` and ``-Infinity``), with no key
twice in one object. ``load_members`` walks the top two levels itself and hands every value below them to the same
decoder::

    document = ws "{" ws [ member { ws "," ws member } ] ws "}" ws ;
    member   = key ws ":" ws ( "{" ws [ entry { ws "," ws entry } ] ws "}" | value ) ;
    entry    = key ws ":" ws value ;                  (* value: any JSON value, decoded by json *)
    key      = JSON string without a raw control character ;
    ws       = { " " | tab | CR | LF } ;

Anything else (another top level, a repeated key, any error) goes to ``loads``, so both give the same document or
the same error.
"""

from __future__ import annotations

import json
import re
from typing import Callable

from checker.errors import ManifestError
from checker.manifests.common import always_matching, number_too_long, too_deep

# A JSON string (group 1, with group 2 set when a colon follows: an object key) or a bracket. Searched for only in
# text that ``loads`` has accepted, where every string is closed: an unclosed one, rescanned from each of its
# quotes, would be quadratic.
TOKEN = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")([ \t\r\n]*:)?|[{}\[\]]')
# For load_members: white space; the first member of an object (its key, group 1, and colon) or the object's end
# (group 2); the next member after a comma, or the end.
_SPACE = always_matching(r"[ \t\r\n]*")
# A key holds no raw control character (JSON forbids them in strings; the walk leaves such a file to ``loads``).
_KEY = r'"([^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*)"[ \t\r\n]*:[ \t\r\n]*'
_FIRST_MEMBER = re.compile(rf"[ \t\r\n]*(?:{_KEY}|(\}}))")
_NEXT_MEMBER = re.compile(rf"[ \t\r\n]*(?:,[ \t\r\n]*{_KEY}|(\}}))")


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    table = dict(pairs)
    if len(table) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return table


def _no_conflicting_duplicates(pairs: list[tuple[str, object]]) -> dict:
    """As ``_no_duplicates``, but a key repeated with the very same JSON value (``true`` is not ``1``, ``1`` is not
    ``1.0``) is read once: first and last are one, so it hides nothing. For a reader whose tool writes such
    repeats (Bun 1.2 wrote a peer dependency twice: elysiajs/elysia, May 2025, found by benchmarks/replay.py)."""
    table = dict(pairs)
    if len(table) != len(pairs):
        seen: dict[str, str] = {}
        for key, value in pairs:
            text = json.dumps(value, sort_keys=True)
            if seen.setdefault(key, text) != text:
                raise _DuplicateKey(key)
    return table


def loads(text: str, path: str, reader: str, same_repeats: bool = False) -> object:
    """The decoded document (any JSON value: the caller checks its shape). ``reader`` names the tool that reads
    the file in practice (``npm``, ``Pipenv``), for the duplicate-key message. ``same_repeats``: a key repeated
    with the same value is read once rather than refused (Bun writes such files)."""
    try:
        return json.loads(text, object_pairs_hook=_no_conflicting_duplicates if same_repeats else _no_duplicates)
    except json.JSONDecodeError as exc:
        message = exc.msg
        if text.lstrip().startswith(("{", "[")) and not text.rstrip().endswith(("}", "]")):
            message = f"{message} (the file ends early: truncated?)"
        raise ManifestError(f"not valid JSON: {message}", path, exc.lineno) from None
    except _DuplicateKey as exc:
        raise ManifestError(
            f"duplicate key {exc.key!r}: {reader} would silently keep the last one", path, duplicate_key_line(text)
        ) from None
    except ValueError:  # not a JSONDecodeError: an integer too long for int() (Python's 4300-digit limit)
        raise number_too_long(text, path) from None
    except RecursionError:
        raise too_deep(text, path) from None


class Layout:
    """Where the entries of one object member sit in the text, in order: each key's offset (inside its quotes) and
    the offsets of its value. What the next revision's walk compares its own text with."""

    __slots__ = ("index", "keys", "key_starts", "value_starts", "value_ends")

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.keys: list[str] = []
        self.key_starts: list[int] = []
        self.value_starts: list[int] = []
        self.value_ends: list[int] = []


class Members:
    """A JSON document as ``load_members`` read it. ``data`` is what ``loads`` gives. For each member of the
    top-level object whose value is an object (``packages``), ``lines[member][key]`` is the line of each key in
    it, and ``layouts[member]`` where its entries sit in ``text``: kept only when asked for, by a revision that
    another will reuse."""

    __slots__ = ("text", "data", "lines", "layouts")

    def __init__(self, text: str, data: object, lines: dict[str, dict[str, int]], layouts: dict[str, Layout]) -> None:
        self.text, self.data, self.lines, self.layouts = text, data, lines, layouts


class _NotWalked(Exception):
    """Raised where the member walk meets anything but well-formed JSON: ``loads`` then reads the file and
    reports the error, so that both ways of reading give the same document and the same messages."""


_DECODE_VALUE = json.JSONDecoder(object_pairs_hook=_no_duplicates).raw_decode


def load_members(text: str, path: str, reader: str, earlier: Members | None = None,
                 keep_layouts: bool = False, same_repeats: bool = False) -> Members:
    """The document, as ``loads`` reads it, with the line of every key one level inside the top-level object.

    The top two levels are walked with regular expressions and each value below them is decoded by the C
    decoder (``raw_decode``, with the duplicate-key hook), so the lines cost no second pass over the text.

    ``earlier`` is the same file at the other revision, read with ``keep_layouts``. Where the text of a value is
    the same there, for the same member and key, its value is taken from ``earlier`` rather than decoded again;
    and where the text after a value goes on as it did there (the next key and its value), the walk follows
    ``earlier``'s entries, one comparison each, with no regular expression. That is nine in ten entries of a
    typical pull request. Same text, same value: that is what decoding is. Each comparison includes one
    character past the value, since a number is not self-delimiting (``12``, ``123``). Values taken over are
    shared with ``earlier``: parsers read them and never change them.

    Anything but a well-formed object at the top, and any error, goes to ``loads``, which raises the error a
    whole-file decode gives (name, line, and the duplicate key when there is one). One difference remains, at
    the edge of Python's recursion limit: values are decoded from inside the top two levels, so a value nested
    to within those levels of the limit (about 994 brackets deep), which a whole-file decode refuses as too
    deep, is read; anything deeper is refused either way."""
    try:
        return _walk(text, earlier, keep_layouts)
    except (_NotWalked, _DuplicateKey, ValueError, RecursionError, IndexError):  # ValueError: JSONDecodeError too
        pass
    data = loads(text, path, reader, same_repeats)  # a repeated key, with same_repeats, is read here
    lines: dict[str, dict[str, int]] = {}
    if isinstance(data, dict):  # the walk takes every object but one with a key repeated (with its same value)
        lines = {member: {} for member, value in data.items() if isinstance(value, dict)}
        for (member, key), line in key_lines(text, lambda parent: len(parent) == 1).items():
            lines.setdefault(member, {})[key] = line
    return Members(text, data, lines, {})


def _walk(text: str, earlier: Members | None, keep_layouts: bool) -> Members:
    at = _SPACE(text).end()
    if text[at] != "{":
        raise _NotWalked
    data: dict[str, object] = {}
    lines: dict[str, dict[str, int]] = {}
    layouts: dict[str, Layout] = {}
    position = (0, 1)  # (offset, line) counted so far
    found = _FIRST_MEMBER.match(text, at + 1)
    while found is not None and found.group(2) is None:
        member = _key(found.group(1))
        if member in data:
            raise _NotWalked
        at = found.end()
        if text[at] == "{":
            member_lines: dict[str, int] = {}
            layout = Layout() if keep_layouts else None
            data[member], at, position = _walk_object(text, at, position, member_lines, layout,
                                                      _earlier_member(earlier, member))
            lines[member] = member_lines
            if layout is not None:
                layouts[member] = layout
        else:
            data[member], at = _DECODE_VALUE(text, at)
        found = _NEXT_MEMBER.match(text, at)
    if found is None or _SPACE(text, found.end()).end() != len(text):
        raise _NotWalked
    return Members(text, data, lines, layouts)


def _earlier_member(earlier: Members | None, member: str) -> tuple[str, dict, Layout] | None:
    """What ``earlier`` read of one member: its text, values and layout, if it kept them."""
    if earlier is None or member not in earlier.layouts or type(earlier.data) is not dict:
        return None
    values = earlier.data.get(member)
    return (earlier.text, values, earlier.layouts[member]) if type(values) is dict else None


_NO_LAYOUT = Layout()


def _walk_object(text: str, at: int, position: tuple[int, int], lines: dict[str, int], layout: Layout | None,
                 earlier: tuple[str, dict, Layout] | None) -> tuple[dict, int, tuple[int, int]]:
    """The object whose ``{`` is at ``text[at]``: its value, the offset past its ``}``, and the line count. One
    turn per entry, so every step that can be is a C call."""
    count, decode, next_member = text.count, _DECODE_VALUE, _NEXT_MEMBER.match
    before_text, before_values, before = earlier if earlier is not None else ("", {}, _NO_LAYOUT)
    before_index, before_keys, before_key_starts = before.index, before.keys, before.key_starts
    before_starts, before_ends = before.value_starts, before.value_ends
    last = len(before_keys) - 1
    if layout is not None:
        index, keys, key_starts, starts, ends = (layout.index, layout.keys, layout.key_starts, layout.value_starts,
                                                 layout.value_ends)
    counted, line = position
    table: dict[str, object] = {}
    found = _FIRST_MEMBER.match(text, at + 1)
    while found is not None:
        key = found.group(1)
        if key is None:
            return table, found.end(), (counted, line)
        if "\\" in key:
            key = _key(key)
        if key in table:
            raise _NotWalked
        start = found.start(1)  # the key, not the comma before it (which may end the line above)
        line += count("\n", counted, start)
        counted = start
        lines[key] = line
        at = found.end()
        i = before_index.get(key)
        if i is not None and text.startswith(before_text[before_starts[i] : before_ends[i] + 1], at):
            table[key] = before_values[key]
            end = at + before_ends[i] - before_starts[i]
        else:
            table[key], end = decode(text, at)
        if layout is not None:
            index[key] = len(keys)
            keys.append(key)
            key_starts.append(start)
            starts.append(at)
            ends.append(end)
        if i is not None:
            # The entries that follow this one in ``earlier``, for as long as the text goes on as it did there:
            # the separator, the next key, its value and one character more, in one comparison.
            while i < last and text.startswith(before_text[before_ends[i] : before_ends[i + 1] + 1], end):
                i += 1
                key = before_keys[i]
                if key in table:
                    raise _NotWalked
                table[key] = before_values[key]
                start = end + before_key_starts[i] - before_ends[i - 1]
                line += count("\n", counted, start)
                counted = start
                lines[key] = line
                if layout is not None:
                    index[key] = len(keys)
                    keys.append(key)
                    key_starts.append(start)
                    starts.append(end + before_starts[i] - before_ends[i - 1])
                end += before_ends[i] - before_ends[i - 1]
                if layout is not None:
                    ends.append(end)
        found = next_member(text, end)
    raise _NotWalked


def _key(raw: str) -> str:
    """A key as the regular expressions captured it (between the quotes), decoded when it has escapes."""
    return json.loads(f'"{raw}"') if "\\" in raw else raw


def key_lines(text: str, wanted: Callable[[tuple[str, ...]], bool]) -> dict[tuple[str, ...], int]:
    """Line of every object key whose parent path (the keys leading to its object; ``"[]"`` for an array
    element) ``wanted`` accepts, keyed by the key's full path. One pass over the JSON tokens; the first
    occurrence wins. Works for minified files too (everything is then on line 1)."""
    lines: dict[tuple[str, ...], int] = {}
    stack: list[tuple[str, ...]] = []
    key: str | None = None
    line, counted = 1, 0
    for token in TOKEN.finditer(text):
        string = token.group(1)
        if string is not None:
            if token.group(2) is None:
                continue
            key = decode_key(string)
            parent = stack[-1] if stack else ()
            if wanted(parent):
                start = token.start()
                line += text.count("\n", counted, start)
                counted = start
                lines.setdefault(parent + (key,), line)
            continue
        if token.group() in "{[":
            if not stack:
                stack.append(())
            else:
                stack.append(stack[-1] + ((key,) if key is not None else ("[]",)))
            key = None
        else:
            if stack:
                stack.pop()
            key = None
    return lines


def decode_key(token: str) -> str:
    """The text of a JSON string token (quotes included)."""
    return json.loads(token) if "\\" in token else token[1:-1]


def duplicate_key_line(text: str) -> int | None:
    """Line of the first key that repeats within one object (only called once a duplicate is known)."""
    seen: list[set[str] | None] = []
    for token in TOKEN.finditer(text):
        string = token.group(1)
        if string is not None:
            if token.group(2) is not None and seen and seen[-1] is not None:
                key = decode_key(string)
                if key in seen[-1]:
                    return text.count("\n", 0, token.start()) + 1
                seen[-1].add(key)
            continue
        value = token.group()
        if value == "{":
            seen.append(set())
        elif value == "[":
            seen.append(None)
        elif seen:
            seen.pop()
    return None
