"""A safe, line-numbered XML reader for the Java build files (pom.xml, Gradle's verification-metadata.xml).

Why not ``xml.etree.ElementTree`` directly: it keeps no line numbers, and a finding must name the line. Why not
``defusedxml``: it is not among the project's dependencies (DESIGN.md allows a new one only for a measured
reason), and the defence it adds is small enough to state here. The reader is expat (the standard library's,
as ElementTree uses) with:

- no document type declaration at all: a ``<!DOCTYPE`` is refused before anything in it is read. That removes
  every entity trick at once — external entities (file or network reads: expat never fetches them, but the
  refusal does not depend on that), internal entity expansion ("billion laughs"), parameter entities — since
  without a DTD only XML's five predefined entities and character references exist. Neither a POM nor Gradle's
  verification metadata has a reason to carry one (Maven's own reader, MXParser, ignores DTDs);
- no namespace processing: tags are matched as written (``project``, ``dependency``), as Maven's reader does.

The result is a tree of ``Node`` records (tag, attributes, text, children, line); text is the element's own
character data, joined and stripped.

May import: checker.errors.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.errors import ManifestError


class Node(NamedTuple):
    tag: str
    attributes: dict[str, str]
    text: str
    children: list[Node]
    line: int

    def child(self, tag: str) -> Node | None:
        """The first child named ``tag`` (Maven reads the first; a repeated one is the caller's to judge)."""
        return next((node for node in self.children if node.tag == tag), None)

    def all(self, tag: str) -> list[Node]:
        return [node for node in self.children if node.tag == tag]

    def text_of(self, tag: str) -> str | None:
        node = self.child(tag)
        return None if node is None else node.text


class _Refused(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse(text: str, path: str, what: str) -> Node:
    """The document's root element; a ManifestError naming the file and line when it is not well-formed XML or
    carries a DOCTYPE. ``what`` names the kind of file for the message (``a Maven POM``)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    stack: list[tuple[str, dict[str, str], list[str], list[Node], int]] = []
    roots: list[Node] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        stack.append((tag, attributes, [], [], parser.CurrentLineNumber))

    def end(tag: str) -> None:
        name, attributes, chunks, children, line = stack.pop()
        node = Node(name, attributes, "".join(chunks).strip(), children, line)
        (stack[-1][3] if stack else roots).append(node)

    def data(chunk: str) -> None:
        if stack:
            stack[-1][2].append(chunk)

    def doctype(*_: object) -> None:
        raise _Refused("a <!DOCTYPE> declaration: lockgate reads no document type (it could define entities that "
                       f"read files or expand without end), and {what} needs none", parser.CurrentLineNumber)

    def entity(*_: object) -> None:
        raise _Refused("an entity declaration: lockgate expands no entities", parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.buffer_text = True
    try:
        parser.Parse(text, True)
    except _Refused as refused:
        raise ManifestError(f"refused {refused.message}", path, refused.line) from None
    except expat.ExpatError as error:
        raise ManifestError(f"not well-formed XML, expected {what}: {expat.ErrorString(error.code)}", path,
                            error.lineno) from None
    except RecursionError:
        raise ManifestError(f"XML nested too deeply for {what}", path) from None
    if not roots:
        raise ManifestError(f"no root element, expected {what}", path)
    return roots[0]
