"""Word wrap with a hanging indent, for the terminal formats (text, and the hook's compact output).

A finding's message, its fix and the closing line run to 200-400 characters; a terminal folds them at its right
edge, under the level word, and the eye loses where one finding ends. Wrapped here, continuation lines start
under the message text instead.

The rules:

- Lines break only at a space. A token (a URL, ``name@version``, a command's argument, a path) is never split: a
  reader copies it whole, and a URL cut in two opens the wrong page. A backtick span of a fix (a snippet or a
  command) is kept on one line when it fits one. A token wider than the room stays whole on a
  line of its own and overflows: the terminal folds it, which is still copyable.
- Widths are terminal cells, not characters: wide characters (CJK in a hostile package name, fullwidth forms)
  take two cells, combining marks none (``unicodedata``; the same rule as POSIX ``wcwidth`` for the characters
  lockgate prints). SGR escape sequences (colour) take none, so a painted prefix measures as its text; values from
  a manifest or a registry never carry an escape (``escape.terminal`` has made them ``?``), so every escape
  counted out here is one lockgate wrote.
- ``width`` None: no wrapping. The command line wraps only when standard output is a terminal
  (checker/commands/output.py ``text_width``): a CI log or a pipe keeps one line per finding, so ``grep`` finds a
  finding whole.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

__all__ = ["cells", "hanging"]

_ESC = "\x1b"


def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes: wide characters two, combining marks and SGR sequences none."""
    total = 0
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == _ESC and i + 1 < n and text[i + 1] == "[":
            # CSI: parameters and intermediates, then one final byte in @..~ (one pass, no backtracking)
            j = i + 2
            while j < n and not "@" <= text[j] <= "~":
                j += 1
            i = j + 1
            continue
        if char.isascii():
            total += 1 if char.isprintable() else 0
        else:
            total += _char_cells(char)
        i += 1
    return total


def _spans(words: list[str], room: int) -> list[str]:
    """The words, with each backtick span of a fix (`uses: owner/repo@<sha>  # v1.2.3`, a command to copy) joined
    into one token when it fits on a line: a snippet broken after ``uses:`` reads as two things. A span longer than
    a line, or a backtick left open, stays word by word."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.count("`") % 2 == 1:
            end = next((j for j in range(i + 1, len(words)) if words[j].count("`") % 2 == 1), None)
            if end is not None:
                joined = " ".join(words[i:end + 1])
                if cells(joined) <= room:
                    out.append(joined)
                else:  # too long for a line: its words, and its closing word is not read as an opening
                    out.extend(words[i:end + 1])
                i = end + 1
                continue
        out.append(word)
        i += 1
    return out


def hanging(lead: str, body: str, width: int | None, *, indent: int | None = None,
            paint: Callable[[str], str] | None = None, tail: str = "") -> list[str]:
    """``lead`` then ``body``, wrapped at spaces to ``width`` cells; continuation lines are indented by ``indent``
    cells (default: the width of ``lead``, so they start under the body's first character).

    ``lead`` may be painted; ``body`` is plain text, and ``paint`` (if given) colours each of its wrapped pieces
    separately, so that no colour runs across a line break into the indent. ``tail`` (painted or not) follows the
    body after a space and is kept whole: it moves to the next line rather than break (``review required``)."""
    paint = paint or (lambda text: text)
    if width is None:
        return [lead + paint(body) + (" " + tail if tail else "")]
    hang = cells(lead) if indent is None else indent
    lines: list[list[str]] = [[]]
    used = cells(lead)
    for word in _spans(body.split(" "), width - hang) + ([tail] if tail else []):
        size = cells(word)
        line = lines[-1]
        if line and used + 1 + size > width:
            lines.append([])
            line, used = lines[-1], hang
        if not word and not line and len(lines) > 1:
            continue  # a run of spaces at a break: the break stands for it
        used += size + (1 if line else 0)  # a word wider than the room overflows its own line: never split
        line.append(word)
    if tail:
        lines[-1].pop()
    out = []
    for number, line in enumerate(lines):
        if tail and number == len(lines) - 1:  # the spaces before the tail are the body's: kept
            text = f"{paint(' '.join(line))} {tail}" if line else tail
        else:
            text = paint(" ".join(line).rstrip(" "))
        out.append((lead if number == 0 else " " * hang) + text)
    return out
