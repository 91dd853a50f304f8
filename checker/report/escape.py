"""Making untrusted strings safe to show. Names, versions, URLs and messages come from the pull request and the
registries; an attacker chooses them. Terminal output must not carry escape sequences, and Markdown must not
carry HTML, links, images, mentions, references, or anything that breaks out of a table cell or a block.

A comment has two contexts, and a value is escaped for the one it lands in:
- Markdown (a table cell, a list item, a paragraph): ``markdown`` and ``code``. GitHub parses the text, so every
  Markdown punctuation character is backslash-escaped.
- Raw HTML (the ``<summary>`` line of a ``<details>`` block, which GitHub passes through without parsing
  Markdown): ``html`` and ``html_code``. Backslashes would show there, so only HTML entities are used.
In both, GitHub's own filters still run over the text afterwards (``@mentions``, ``#123``/``GH-123`` references,
bare URLs, e-mail addresses), so those are defused the same way in both, without a single invisible character
(text a reader copies — a command, a YAML line, a package name such as ``npm:@scope/pkg`` — must paste as what it
says): a word that holds ``@`` or ``#`` or a ``GH-123`` reference is set in ``<code>``, where GitHub looks for no
mention or reference; inside code ``@`` is written ``&#64;`` and ``:`` ``&#58;``, entities the Markdown parser turns
back into the same characters but after it has looked for e-mail addresses and ``scheme:`` autolinks.

Links are only ever built by lockgate (``link``): the target is a URL lockgate assembled from validated parts,
never a URL taken from a manifest or a registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# C0/C1 controls (ANSI escapes), zero-width and invisible characters, bidi controls (Trojan Source: LRM/RLM,
# ALM, LRE..RLO, LRI..PDI) and the Unicode line/paragraph separators.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
# A word GitHub could turn into a mention (@user, @org/team), an issue reference (#123, GH-123, any case) or a
# mailto autolink (a@b.example): set in <code>, where no filter looks.
_REFERENCE = re.compile(r"(?i)\bgh-\d")
_WORDS = re.compile(r"(\s+)")
# What a URL built by lockgate may contain: https, a host, and a path of unreserved or percent-encoded characters
# (no quotes, spaces, brackets or parentheses that could end the link or start another).
_SAFE_URL = re.compile(r"https://[a-z0-9.-]+(?:/[A-Za-z0-9._~%@+=-]*)*(?:\?[A-Za-z0-9._~%=&+-]*)?")


def terminal(text: object) -> str:
    """One line of plain text: control characters (ANSI escapes, bidi overrides, newlines) shown as ``?``."""
    return _CONTROL.sub("?", str(text).replace("\n", " ").replace("\t", " "))


def visible(text: object) -> str:
    """Text with every control character except tab, newline and carriage return shown as ``?``: for formats
    that escape line breaks their own way (workflow commands) but pass everything else through to a log."""
    return _CONTROL.sub(lambda m: m.group() if m.group() == "\r" else "?", str(text))


_V1_COMMAND = "##["


def inert_for_runner(text: str, json_document: bool = False) -> str:
    """Output that the GitHub Actions runner reads no workflow command from: it acts on a line that starts
    (after whitespace) with ``::`` and, in the old syntax, on ``##[`` anywhere in a line, so a value such as a
    file named ``::stop-commands::x/requirements.txt`` could silence every later annotation, or set an output.
    Such a line gets a backslash before its ``::``, and ``##[`` becomes ``#\\#[``: visible, and in Markdown the
    backslash renders as nothing. In a JSON document ``[`` becomes ``\\u005b`` (the same value to a JSON reader),
    and no line of one starts with ``::``. The ``github`` format writes commands on purpose (its values escaped as
    the toolkit escapes them) and is not passed here."""
    if "::" not in text and _V1_COMMAND not in text:
        return text
    if json_document:
        return text.replace(_V1_COMMAND, "##\\u005b")
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _V1_COMMAND in line:
            line = line.replace(_V1_COMMAND, "#\\#[")
        stripped = line.lstrip()
        if stripped.startswith("::"):
            line = line[: len(line) - len(stripped)] + "\\" + stripped
        lines[index] = line
    return "\n".join(lines)


def json_text(document: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the characters json leaves raw but a terminal,
    an editor or a diff viewer would act on (DEL and C1 controls, bidi overrides, zero-width characters, the
    line and paragraph separators) written as ``\\u`` escapes. Any JSON reader decodes the same values; only
    the bytes on screen change. Such characters can only occur inside strings, where an escape is valid."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def _one_line(text: object) -> str:
    """Line breaks and tabs as spaces (a value can never end a table row or an HTML block), controls gone."""
    return _CONTROL.sub("", str(text).replace("\r", " ").replace("\n", " ").replace("\t", " "))


def _referable(word: str) -> bool:
    return "@" in word or "#" in word or _REFERENCE.search(word) is not None


def _words(text: str, escape: Callable[[str], str], code_tag: Callable[[str], str]) -> str:
    """Each whitespace-separated word escaped, and set in code when GitHub could make a mention, a reference or
    an e-mail link of it."""
    if "@" not in text and "#" not in text and _REFERENCE.search(text) is None:
        return escape(text)
    return "".join(code_tag(part) if _referable(part) else escape(part) for part in _WORDS.split(text))


def _markdown_plain(value: str) -> str:
    """Entities for HTML, backslashes for Markdown, no scheme an autolink could see."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value).replace(":", "&#58;")  # no https:, javascript:, no :emoji:


def _code_inner(value: str) -> str:
    """The content of a <code> element in Markdown: escaped as Markdown (GitHub parses Markdown between inline
    HTML tags), and each ``@`` after a ``<wbr>``.

    cmark-gfm's e-mail autolink runs on the text between inline tags, after entities are decoded, so ``&#64;``
    alone still became ``mailto:a@evil.example`` (found by rendering the comment with cmark-gfm,
    tests/report/test_comment_html.py). The autolink looks back for the address's local part within one text
    node: an empty ``<wbr>`` (an element GitHub keeps, which shows and copies as nothing) ends that node before
    the ``@``."""
    return _markdown_plain(value).replace("@", "<wbr>&#64;")


def markdown(text: object) -> str:
    """Inline Markdown that renders as the literal text and can do nothing else.

    HTML is entity-escaped, every Markdown punctuation character is backslash-escaped, a word holding ``@`` or
    ``#`` (or a ``GH-123``) is set in code so it neither notifies nor links, and line breaks become spaces so a value
    cannot end a table row or a ``<details>`` block. No invisible character is added: what is copied is the value.
    """
    return _words(_one_line(text), _markdown_plain, lambda word: f"<code>{_code_inner(word)}</code>")


def code(text: object) -> str:
    """A value in monospace. GitHub renders Markdown between inline HTML tags, so the content is escaped as
    Markdown too: backticks, pipes and everything else come out literal; GitHub finds no mention or reference
    inside code, so nothing else is needed (and nothing invisible is added: a command copied from it works)."""
    return f"<code>{_code_inner(_one_line(text))}</code>"


_WWW = re.compile(r"(?i)\b(www)\.")  # GitHub autolinks www.example.org
_HTML_MARKDOWN = {c: f"&#{ord(c)};" for c in "\\`*_[]()!|~"}


def _html_plain(value: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    value = "".join(_HTML_MARKDOWN.get(c, c) for c in value.replace("'", "&apos;"))
    return _WWW.sub(r"\1&#46;", value).replace(":", "&#58;")


def html(text: object) -> str:
    """Text inside a raw HTML block (a ``<summary>``): entities only, since GitHub parses no Markdown there and a
    backslash would show. ``</summary>``, ``</details>`` and quotes cannot close anything, and Markdown's own
    characters are entities too (they display the same), so that even a renderer that did parse Markdown inside
    HTML would find no link, image or emphasis. Words GitHub could make a mention or reference of are set in
    code, as in ``markdown``."""
    return _words(_one_line(text), _html_plain, lambda word: f"<code>{_html_plain(word).replace('@', '&#64;')}</code>")


def html_code(text: object) -> str:
    """A value in monospace inside a raw HTML block."""
    return f"<code>{_html_plain(_one_line(text)).replace('@', '&#64;')}</code>"


def safe_url(url: str) -> bool:
    """Whether ``url`` is one lockgate may link to: https, a plain host, a path of safe characters."""
    return _SAFE_URL.fullmatch(url) is not None


def link(text: object, url: str | None) -> str:
    """``[text](url)`` in Markdown, with the text escaped; just the escaped text when there is no URL or the URL is
    not one lockgate builds (defence in depth: the URL builders validate their parts already)."""
    if not url or not safe_url(url):
        return markdown(text)
    return f"[{markdown(text)}]({url})"


def link_code(text: object, url: str | None) -> str:
    """A link whose text is monospace (a package name)."""
    if not url or not safe_url(url):
        return code(text)
    return f"[{code(text)}]({url})"


_TRUSTED_CODE = re.compile(r"`([^`]*)`")


def trusted(text: str) -> str:
    """lockgate's own prose (a rule's explanation or fix) as Markdown: escaped like any other value, except that
    its ``backtick`` spans become ``<code>``. The text is ours, but escaping it costs nothing and keeps a rule's
    wording from ever turning into markup by accident."""
    parts = _TRUSTED_CODE.split(_one_line(text))
    return "".join(code(part) if i % 2 else markdown(part) for i, part in enumerate(parts))
