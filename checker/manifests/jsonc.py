"""JSON with comments and trailing commas (Bun's ``bun.lock``), turned into strict JSON for json_strict.

Bun reads ``bun.lock`` with its JSON parser in the mode it uses for package.json (``parsePackageJSONUTF8``:
``allow_comments``, ``allow_trailing_commas``). The grammar it accepts beyond RFC 8259, and what this module does
with it::

    comment        = "//" *( any but LF, CR, U+2028, U+2029 )     ; a JavaScript line comment
                   / "/*" *any "*/"
    trailing-comma = "," *( ws / comment ) ( "]" / "}" )           ; one comma after the last element

Comments become spaces (their line breaks kept, so every line number stays right), and a trailing comma is
dropped. Strings are passed over whole: a ``//``, ``/*`` or ``, ]`` inside a string is text. Nothing else is
changed, so whatever else Bun's parser would accept and JSON does not (a single-quoted string, ``[1,,]``, a comment
that a U+2028 ends) is left for json_strict to refuse: such a file is unreadable, never read otherwise than Bun
reads it.

Linear time: strings are matched by one unrolled, non-backtracking pattern, and dropping trailing commas is one
``re.sub`` with a template (no Python call per string). Comments, which Bun never writes, cost a pass of their own:
``strict_json`` tries without it first, since a comment left in makes the JSON invalid (a ``/`` outside a string is
never JSON), and only a text that fails and holds a ``/`` is read again with its comments blanked.
"""

from __future__ import annotations

import re
from typing import Callable, TypeVar

from checker.errors import ManifestError

T = TypeVar("T")

# A string, or what follows a quote that is never closed (to the end of the text): the pattern always matches at a
# quote, so a text of unclosed strings costs one pass, not one pass per quote.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"?'
_STRINGS = re.compile(_STRING, re.DOTALL)
# A string (kept by the template \1), or a comma whose next character, past white space, closes a collection.
_TRAILING_COMMA = re.compile(rf"({_STRING})|,(?=[ \t\r\n]*[\]}}])", re.DOTALL)
# A string (group 2: its closing quote, empty when the string is never closed) or a comment's start (group 3).
_COMMENT_OR_STRING = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*("?))|(//|/\*)', re.DOTALL)
_LINE_COMMENT_END = re.compile("[\n\r\u2028\u2029]")
_KEEP_LINES = re.compile("[^\n]")


def to_json(text: str, path: str) -> str:
    """``text`` as strict JSON: comments blanked, trailing commas dropped, every line where it was."""
    if "/" in _STRINGS.sub('""', text):
        text = _blank_comments(text, path)
    return _TRAILING_COMMA.sub(r"\1", text)


def strict_json(text: str, path: str, load: Callable[[str], T]) -> T:
    """``load`` (a strict JSON reader raising ManifestError) applied to ``text`` as strict JSON: first with only
    the trailing commas dropped, then, if that fails and the text holds a ``/``, with its comments blanked too."""
    try:
        return load(_TRAILING_COMMA.sub(r"\1", text))
    except ManifestError:
        if "/" not in text:
            raise
    return load(_TRAILING_COMMA.sub(r"\1", _blank_comments(text, path)))


def _blank_comments(text: str, path: str) -> str:
    """Comments replaced by spaces, line breaks kept. A quote that opens no complete string is refused here:
    past it, what is a comment and what is text cannot be told."""
    out: list[str] = []
    at = 0
    while True:
        found = _COMMENT_OR_STRING.search(text, at)
        if found is None:
            out.append(text[at:])
            return "".join(out)
        if found.group(1) is not None:
            if not found.group(2):
                line = text.count("\n", 0, found.start()) + 1
                raise ManifestError("not valid JSON: a string is not closed", path, line)
            out.append(text[at : found.end()])
            at = found.end()
            continue
        out.append(text[at : found.start()])
        if found.group(3) == "//":
            end_of_line = _LINE_COMMENT_END.search(text, found.end())
            end = end_of_line.start() if end_of_line is not None else len(text)
        else:
            end = text.find("*/", found.end())
            if end < 0:
                line = text.count("\n", 0, found.start()) + 1
                raise ManifestError("not valid JSON: a /* comment is not closed", path, line)
            end += 2
        out.append(_KEEP_LINES.sub(" ", text[found.start() : end]))
        at = end
