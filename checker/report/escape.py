"""Making untrusted strings safe to show. Names, versions, URLs and messages come from the pull request and the
registries; an attacker chooses them. Terminal output must not carry escape sequences, and Markdown must not
carry HTML, links, images, mentions, references, or anything that breaks out of a table cell or a block."""

from __future__ import annotations

import re

# C0/C1 controls (ANSI escapes), zero-width and invisible characters, bidi controls (Trojan Source: LRM/RLM,
# ALM, LRE..RLO, LRI..PDI) and the Unicode line/paragraph separators.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_ZERO_WIDTH_SPACE = "\u200b"


def terminal(text: object) -> str:
    """One line of plain text: control characters (ANSI escapes, bidi overrides, newlines) shown as ``?``."""
    return _CONTROL.sub("?", str(text).replace("\n", " ").replace("\t", " "))


def markdown(text: object) -> str:
    """Inline Markdown that renders as the literal text and can do nothing else.

    HTML is entity-escaped, every Markdown punctuation character is backslash-escaped, ``@`` and ``#`` get a
    zero-width space after them so they neither notify nor link, and line breaks become spaces so a value
    cannot end a table row or a ``<details>`` block.
    """
    value = _CONTROL.sub("", str(text).replace("\r", " ").replace("\n", " ").replace("\t", " "))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    value = value.replace("@", "@" + _ZERO_WIDTH_SPACE).replace("#", "#" + _ZERO_WIDTH_SPACE)
    value = value.replace(":", "&#58;")  # no autolinked scheme (https:, javascript:)
    return value


def code(text: object) -> str:
    """A value in monospace. GitHub renders Markdown between inline HTML tags, so the content is escaped as
    Markdown too: backticks, pipes and everything else come out literal."""
    return f"<code>{markdown(text)}</code>"
