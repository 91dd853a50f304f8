"""The pull-request comment as GitHub shows it: rendered by cmark-gfm (GitHub's own Markdown renderer, through
``cmarkgfm``) and parsed into a small tree the tests can ask about.

GitHub renders a comment with cmark-gfm and its extensions (tables, autolinks, strikethrough, tag filter) letting
raw HTML through, then sanitizes the HTML against an allow-list of elements. The tests render the same way
(``CMARK_OPT_UNSAFE``: raw HTML passed on, as GitHub's renderer does before its sanitizer) and then assert that
nothing needed the sanitizer: every element is one lockgate means to write, every link is https to a host it
builds links for, and no Markdown or HTML syntax shows as text.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple

import cmarkgfm
from cmarkgfm.cmark import Options

# The elements lockgate's comment is made of (a subset of GitHub's sanitizer allow-list).
ELEMENTS = frozenset({
    "h3", "h4", "p", "ul", "li", "strong", "em", "a", "code", "sub", "br", "b", "details", "summary",
    "table", "thead", "tbody", "tr", "th", "td", "wbr",
})
VOID = frozenset({"br", "wbr"})


class Node(NamedTuple):
    tag: str
    attrs: dict[str, str]
    children: list[Node | str]

    def text(self) -> str:
        """The text a reader sees, entities decoded."""
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def find_all(self, tag: str) -> list[Node]:
        out = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    out.append(child)
                out.extend(child.find_all(tag))
        return out

    def texts(self) -> list[str]:
        """Every text node, each on its own (to look for syntax that leaked)."""
        out: list[str] = []
        for child in self.children:
            out.extend([child] if isinstance(child, str) else child.texts())
        return out


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {}, [])
        self.stack = [self.root]
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, [])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            raise AssertionError(f"</{tag}> closes <{self.stack[-1].tag}>: the HTML is not well nested")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def to_html(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def parse(markdown: str) -> tuple[Node, list[str]]:
    """The rendered comment as a tree, and its HTML comments (the sticky comment's marker)."""
    builder = _Builder()
    builder.feed(to_html(markdown))
    builder.close()
    if len(builder.stack) != 1:
        raise AssertionError(f"<{builder.stack[-1].tag}> is never closed")
    return builder.root, builder.comments


def elements(node: Node) -> set[str]:
    found = set()
    for child in node.children:
        if isinstance(child, Node):
            found.add(child.tag)
            found |= elements(child)
    return found
