"""Strict JSON for lockfiles: a key written twice in one object is an error, not a silent choice.

npm reads its files with ``JSON.parse`` and Pipenv with Python's ``json``: both keep the *last* of two equal keys,
while a reviewer reading the diff sees the first. A second ``"resolved"`` in a package-lock.json, or a second
``"hashes"`` or ``"index"`` in a Pipfile.lock, is how one would hide an injected URL, hash or index. So every JSON
lockfile is decoded here, where a duplicate is found while decoding (one small hook per object) and reported with
the key and its line. Other failures are errors too, each naming the file and line: not JSON (with a hint when the
file ends early), an integer too long to convert, nesting too deep.
"""

from __future__ import annotations

import json
import re

from checker.errors import ManifestError
from checker.manifests.common import number_too_long, too_deep

# A JSON string (group 1, with group 2 set when a colon follows: an object key) or a bracket.
TOKEN = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")([ \t\r\n]*:)?|[{}\[\]]')


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


def loads(text: str, path: str, reader: str) -> object:
    """The decoded document (any JSON value: the caller checks its shape). ``reader`` names the tool that reads
    the file in practice (``npm``, ``Pipenv``), for the duplicate-key message."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
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
