"""YAML for GitHub workflow and action files: a small tree of mappings, sequences and scalars with line numbers.

Why not a plain ``yaml.load``: lockgate needs the line of every ``uses:`` and the comment beside it, must not
fall for YAML 1.1's ``on: -> True`` (a ``%YAML 1.1`` document turns ``on``, ``yes`` and ``no`` keys into
booleans), must refuse duplicate keys (GitHub does), and must survive alias bombs. So the file is only
*composed* into ruamel.yaml's node graph (no Python objects are constructed, no tags are resolved, scalars keep
their text), and that graph is turned into the tree below once per node: an alias is the same object as its
anchor, so a billion-laughs document costs its size, not its expansion. Merge keys (``<<``) are honoured, with a
budget on the entries they copy.

ruamel.yaml composes with its C parser when ``ruamel.yaml.clib`` is installed (about ten times faster) and
with its pure-Python parser otherwise; both give the same nodes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Iterator, Union

from checker.errors import ManifestError

if TYPE_CHECKING:
    from typing import Any, Protocol

    class _Mark(Protocol):
        """Where a composed node starts or ends: ruamel.yaml's StreamMark, or the C parser's Mark."""

        line: int
        column: int
        index: int

    class YamlNode(Protocol):
        """A node as ruamel.yaml composes it (its classes declare these on each kind of node only)."""

        id: str  # scalar, sequence or mapping
        tag: object
        style: str | None
        value: Any  # a scalar's text, a sequence's nodes, a mapping's (key, value) node pairs
        start_mark: _Mark
        end_mark: _Mark

MAX_BYTES = 2 * 1024 * 1024
# Collections nested deeper than this are refused, with the line (no workflow nests a tenth as deep).
MAX_DEPTH = 200
# ruamel.yaml's C composer recurses without a limit and crashes the whole process (a segmentation fault, not an
# exception) on ``[[[[…]]]]``, ``- - - - …`` or ``? ? ? …`` some twenty thousand deep. Below this depth it is safe
# (a tenth of that); a text that might nest deeper has its depth counted before it is composed.
_COMPOSER_SAFE_DEPTH = 2000
# What may stand before a block collection's first entry on its line: indentation, and the indicators of compact
# nested collections (``- - x``, ``? - x``, ``: - x``). The width of that prefix bounds the block nesting depth.
_DEEP_PREFIX = re.compile(r"^(?:[ \t]|[-?:](?=[ \t\r\n]|$)){%d}" % (_COMPOSER_SAFE_DEPTH // 2), re.MULTILINE)
MAX_MERGED_ENTRIES = 100_000
_MERGE_TAG = "tag:yaml.org,2002:merge"
# YAML parsers also break lines at NEL, LS, PS and a lone CR (libyaml even inside quoted strings); editors, git
# and GitHub do not. Where those occur, lines are counted from character offsets instead.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


class Scalar:
    """A scalar's text as written (quotes removed), where it starts, and where it ends (0-based line, column)."""

    __slots__ = ("text", "line", "end_line", "end_column", "plain", "null")

    def __init__(self, text: str, line: int, end_line: int, end_column: int, plain: bool, null: bool) -> None:
        self.text = text
        self.line = line  # 1-based
        self.end_line = end_line  # 0-based, as ruamel's marks
        self.end_column = end_column
        self.plain = plain
        self.null = null

    def __repr__(self) -> str:
        return f"Scalar({self.text!r}, line={self.line})"


class Mapping:
    """A mapping: key text -> (1-based line of the key, value). Keys keep their order."""

    __slots__ = ("entries", "line")

    def __init__(self, line: int) -> None:
        self.entries: dict[str, tuple[int, Node]] = {}
        self.line = line

    def get(self, key: str) -> "Node | None":
        entry = self.entries.get(key)
        return entry[1] if entry is not None else None

    def key_line(self, key: str) -> int | None:
        entry = self.entries.get(key)
        return entry[0] if entry is not None else None

    def items(self) -> Iterator[tuple[str, int, "Node"]]:
        for key, (line, value) in self.entries.items():
            yield key, line, value


class Sequence:
    __slots__ = ("items", "line")

    def __init__(self, line: int) -> None:
        self.items: list[Node] = []
        self.line = line


Node = Union[Scalar, Mapping, Sequence]


def describe(node: "Node | None") -> str:
    """What a node is, for error messages."""
    if node is None:
        return "nothing"
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "null" if node.null else f"{node.text!r}"


def line_of(node: "Node | None", default: int | None = None) -> int | None:
    return node.line if node is not None else default


def _compose(text: str) -> YamlNode | None:
    """The document's node graph. With ruamel.yaml.clib, its C parser is driven directly with a resolver that
    resolves nothing: lockgate reads scalars as text, so tag resolution (a regex per scalar) and the loader class
    ``YAML.compose`` builds on every call are pure cost (``benchmarks/actions.py``: warehouse's workflows).
    Without the C extension, ruamel.yaml's pure-Python composer gives the same nodes."""
    try:
        from _ruamel_yaml import CParser
    except ImportError:
        from ruamel.yaml import YAML

        node: YamlNode | None = YAML(typ="safe", pure=True).compose(text)
        return node

    class _TextComposer(CParser):
        def resolve(self, kind: object, value: object, implicit: object) -> str:
            return ""

        def descend_resolver(self, parent: object, index: object) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    composer = _TextComposer(text)
    try:
        root: YamlNode | None = composer.get_single_node()
        return root
    finally:
        composer.dispose()


def load(text: str, path: str) -> "Node | None":
    """The document as a tree, or None for an empty document. Errors are ManifestErrors with a line."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if len(text) > MAX_BYTES:
        raise ManifestError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB, expected a workflow or action file", path)
    depth_line = _too_deep(text)
    if depth_line is not None:
        raise ManifestError(f"nested more than {MAX_DEPTH} levels deep", path, depth_line)
    try:
        root = _compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # The end of the stream is reported on the line after a last line without a newline: the last line.
        line = min(mark.line + 1, text.count("\n") + 1) if mark is not None else None
        problem = exc.problem or exc.context or "malformed"
        if exc.context and problem.startswith("but "):  # "expected a single document ..., but found another"
            problem = f"{exc.context}, {problem}"
        raise ManifestError(f"not valid YAML: {problem}", path, line) from None
    except YAMLError as exc:
        raise ManifestError(f"not valid YAML: {exc}", path) from None
    except RecursionError:
        raise ManifestError("not valid YAML: nested too deeply", path) from None
    except UnicodeEncodeError as exc:  # a lone surrogate (a byte that was not UTF-8): the C parser cannot take it
        line = text.count("\n", 0, exc.start) + 1
        raise ManifestError(f"not UTF-8 text: {text[exc.start]!r} is no character", path, line) from None
    if root is None:
        return None
    try:
        return _Converter(path, text).convert(root)
    except RecursionError:
        raise ManifestError("nested too deeply to read", path) from None


def _too_deep(text: str) -> int | None:
    """The line where collections nest deeper than MAX_DEPTH, when the text might nest too deep for the C composer;
    else None (the converter then enforces MAX_DEPTH itself).

    Two cheap tests first, each an upper bound: flow collections nest at most as deep as there are ``[`` and
    ``{`` (quoted ones and those of ``${{ expressions }}`` included), and block collections at most about as deep
    as the widest prefix of spaces and ``- ``/``? ``/``: `` indicators that starts a line (each nested block
    collection starts further right than its parent, or right of its parent's indicator). Only when a bound passes
    half the composer's safe depth are the parser's events counted (libyaml's parser is a loop, not a recursion,
    so counting cannot crash): the exact depth. Real workflows never get there, and pay two string scans."""
    if text.count("[") + text.count("{") <= _COMPOSER_SAFE_DEPTH // 2 and _DEEP_PREFIX.search(text) is None:
        return None
    from ruamel.yaml.error import YAMLError

    depth = 0
    try:
        for kind, line in _events(text):
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    return min(line + 1, text.count("\n") + 1)
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except YAMLError:
        return None  # malformed after a part that nests within the limit: composing reports the error
    return None


def _events(text: str) -> Iterator[tuple[str, int]]:
    """(event class name, 0-based line) of every parser event, without composing anything."""
    try:
        from _ruamel_yaml import CParser
    except ImportError:
        from ruamel.yaml import YAML

        for event in YAML(typ="safe", pure=True).parse(text):
            yield type(event).__name__, event.start_mark.line
        return
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            kind = type(event).__name__
            yield kind, event.start_mark.line
            if kind == "StreamEndEvent":
                return
    finally:
        parser.dispose()


class _Converter:
    """Turns composed nodes into the tree above, each node once (aliases share the converted object)."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.done: dict[int, Node] = {}
        self.merged = 0
        self.depth = 0  # collections being converted, outermost first
        self.line_starts: list[int] | None = None
        self.last_line = text.count("\n")  # 0-based: a node at the end of a file without a final newline is on it
        if _ODD_BREAKS.search(text):
            self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, mark: _Mark) -> tuple[int, int]:
        """(0-based line, column) of a mark, counting only ``\n`` as a line break."""
        if self.line_starts is None:
            return (mark.line, mark.column) if mark.line <= self.last_line else (self.last_line, 0)
        line = bisect_right(self.line_starts, mark.index) - 1
        return line, mark.index - self.line_starts[line]

    def convert(self, node: YamlNode) -> Node:
        known = self.done.get(id(node))
        if known is not None:
            return known
        kind = node.id
        line = self.position(node.start_mark)[0] + 1
        if kind == "scalar":
            style = node.style
            plain = style is None or style == ""
            null = plain and node.value in ("", "~", "null", "Null", "NULL")
            end_line, end_column = self.position(node.end_mark)
            scalar = Scalar(node.value, line, end_line, end_column, plain, null)
            self.done[id(node)] = scalar
            return scalar
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ManifestError(f"nested more than {MAX_DEPTH} levels deep", self.path, line)
        if kind == "sequence":
            sequence = Sequence(line)
            self.done[id(node)] = sequence
            sequence.items = [self.convert(item) for item in node.value]
            self.depth -= 1
            return sequence
        mapping = Mapping(line)
        self.done[id(node)] = mapping
        merges: list[Node] = []
        for key_node, value_node in node.value:
            key_line = self.position(key_node.start_mark)[0] + 1
            if key_node.id != "scalar":
                raise ManifestError("a mapping key must be a plain string, found a collection", self.path, key_line)
            key = key_node.value
            if key == "<<" and (key_node.tag == _MERGE_TAG or key_node.style in (None, "")):
                merges.append(self.convert(value_node))
                continue
            if key in mapping.entries:
                first = mapping.entries[key][0]
                raise ManifestError(f"duplicate key {key!r} (first on line {first})", self.path, key_line)
            mapping.entries[key] = (key_line, self.convert(value_node))
        for merge in merges:
            self._merge(mapping, merge, line)
        self.depth -= 1
        return mapping

    def _merge(self, mapping: Mapping, source: Node, line: int) -> None:
        """YAML merge keys: entries of the merged mappings that the mapping does not set itself."""
        sources = source.items if isinstance(source, Sequence) else [source]
        for item in sources:
            if not isinstance(item, Mapping):
                raise ManifestError(f"a merge key (<<) needs a mapping, found {describe(item)}", self.path, line)
            for key, entry in item.entries.items():
                if key in mapping.entries:
                    continue
                self.merged += 1
                if self.merged > MAX_MERGED_ENTRIES:
                    raise ManifestError(
                        f"merge keys (<<) copy more than {MAX_MERGED_ENTRIES} entries: refusing a YAML alias bomb",
                        self.path,
                        line,
                    )
                mapping.entries[key] = entry
