"""YAML for lockfiles: a fast reader for the regular subset that pnpm and Yarn write, ruamel.yaml for the rest.

Why two readers. ``pnpm-lock.yaml`` and Yarn Berry's ``yarn.lock`` are YAML, and lockgate reads two revisions of
one on every run. ruamel.yaml's pure-Python safe loader is many times slower than the fast reader on a large
lockfile, and would be most of lockgate's time budget (``benchmarks/scale.py --formats pnpm-lock,"yarn berry"``,
part of ``benchmarks/suite.py``, times the diff of a 50,000-entry lockfile). But the package managers write a
small, regular subset of YAML: block mappings indented by spaces, block sequences (each
more indented than its key) whose entries are scalars or block mappings, plain / single-quoted / double-quoted
scalars on one line, and one-line flow mappings and sequences of scalars (``resolution: {integrity: sha512-...}``,
``cpu: [x64]``). A mapping that is a sequence entry is written compactly, as YAML 1.2 allows and as pnpm 11 writes
a runtime's ``variants`` (``node@runtime:26.7.0``): ``- key: value`` on the dash's line, the mapping's further keys
two columns past the dash, its values any of the above (nested mappings and sequences included). ``read_fast``
reads exactly that subset, line by line (CRLF line ends included), and gives up (returns None) the moment it meets
anything else: a tab, a lone carriage return, a control character, a document marker, a directive, an anchor, an
alias, a tag, a block scalar, an escape sequence other than JSON's in a double-quoted value, a multi-line scalar, a
comment after a value, a plain scalar that YAML would turn into something other than a string, an int, a simple
float, a bool or null, a key longer than YAML allows, a duplicate key, a sequence entry that is empty (``-``), a
sequence (``- - x``) or spaced otherwise than ``- x``, a sequence at its key's indentation, or indentation it does
not expect. Then ``load_full`` reads the file with ruamel.yaml's safe loader, which produces either the same data
or the proper error with its line. So whichever reader reads a file, the data is what a full YAML 1.2 load gives;
the test suite checks this on every corpus file, on fixtures written to trip the fast reader and on seeded random
documents. Every pattern here runs in linear time, so a hostile line cannot make the fast reader slow either.

The subset (EBNF; a block collection's entries share one indentation, deeper than their key's; every line is
printable, LF or CRLF ended)::

    document      = { blank | comment-line | key-line | entry-line } ;    (* "#" comments only on lines of their own *)
    key-line      = indent key ":" [ " " value ] ;    (* nothing after ":": the block the next lines open, else null *)
    entry-line    = indent "- " ( value | key ":" [ " " value ] ) ;   (* a scalar or flow collection, or the first key
                                                         of a block mapping whose other keys stand two past the dash *)
    key           = double-quoted | single-quoted | plain ;       (* no escape in a double-quoted key *)
    value         = scalar | flow-mapping | flow-sequence ;
    flow-mapping  = "{" [ key ": " scalar { "," key ": " scalar } ] "}" ;   (* on one line; spaces after "," *)
    flow-sequence = "[" [ scalar { "," scalar } ] "]" ;                       (* on one line; spaces after "," *)
    scalar        = plain | single-quoted | double-quoted ;
    single-quoted = "'" { any but "'" | "''" } "'" ;
    double-quoted = '"' { any but '"' and "\" | JSON escape } '"' ;
    plain         = one line that YAML 1.2 reads as a string, a decimal integer, a simple float (1.5), a boolean or
                    null, and that holds no ": ", " #" or trailing ":" (nor a bracket or brace in a flow) ;

Hostile input. Lockfiles never use anchors, aliases or merge keys, so the full loader refuses them outright
(before anything is constructed): an alias bomb costs one pass over the parsed nodes, not an exponential
expansion. Duplicate keys are errors in both readers. Deep nesting that exhausts the recursion limit is reported
as bad input.

Lines. Lockfile parsers report each entry at its key's line, so both readers return, beside the data, the line
of every key of a block mapping at depth one and two (``lines[("packages", "foo@1.0.0")] == 42``), or at depth
one only when that is all a parser needs (``line_depth=1``).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from checker.errors import ManifestError
from checker.manifests.common import number_too_long, too_deep

if TYPE_CHECKING:
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.error import StreamMark
    from ruamel.yaml.nodes import Node

    # A ruamel.yaml mark to the 1-based line as git counts it (_line_counter).
    LineOf = Callable[[StreamMark], int]

# The implicit types ruamel.yaml resolves a plain scalar to under YAML 1.2 (its default): first characters that
# can start one, and one pattern that matches any of them (bool, float, int, merge, null, timestamp, value).
_RESOLVER_FIRST = frozenset("-+0123456789.tTfF~nN<=")
_IMPLICIT = re.compile(
    r"""(?:
        true|True|TRUE|false|False|FALSE
      | [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
      | [-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
      | [-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
      | [-+]?\.(?:inf|Inf|INF)
      | \.(?:nan|NaN|NAN)
      | [-+]?0b[0-1_]+
      | [-+]?0o?[0-7_]+
      | [-+]?[0-9_]+
      | [-+]?0x[0-9a-fA-F_]+
      | <<
      | ~|null|Null|NULL
      | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
      | [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[\ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
      | =
    )""",
    re.X,
)
_MAX_KEY = 1000
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_SIMPLE_FLOAT = re.compile(r"(?:0|[1-9][0-9]*)\.[0-9]+")
# Characters that cannot start a plain scalar in the subset (YAML indicators, and ``-?:`` which start one only
# in forms lockfiles never use).
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
# A double-quoted scalar whose escapes are all JSON's (but no surrogate ``\\uD800``-``\\uDFFF``, which JSON pairs up
# and YAML does not).
_JSON_ESCAPED = re.compile(r'"(?:[^"\\]|\\["\\/bfnrt]|\\u(?![dD][89a-fA-F])[0-9a-fA-F]{4})*"')
# One item of a flow mapping or sequence as pnpm writes them: a quoted or plain scalar, then ``,`` or the end.
# (No pattern here can backtrack over a run of spaces: a plain scalar runs greedily to the next comma, and its
# trailing spaces are stripped afterwards, so a hostile line costs linear time.)
_FLOW_SCALAR = re.compile(r"""[ ]*(?:(?:'((?:[^']|'')*)'|"([^"\\]*)")[ ]*|([^ ,'"][^,]*))(?:,|$)""")
_ONE_PAIR = re.compile(r"""\{([A-Za-z][A-Za-z0-9_-]*): (?:([^ ,\[\]{}#&*!|>'"%@`?:-][^ ,\[\]{}#]*)|'([^']*)')\}""")
_FLOW_KEY = re.compile(r"""[ ]*(?:'((?:[^']|'')*)'|"([^"\\]*)"|([^ ,'":][^,:]*?)):[ ]+""")


class _Abandon(Exception):
    """The text is outside the fast reader's subset; the full loader decides."""


class Document(NamedTuple):
    """A loaded lockfile: its data (plain dicts, lists, str, int, float, bool, None) and the line of every key at
    depth one and two. ``fast`` says which reader produced it (for tests and benchmarks)."""

    data: object
    lines: dict[tuple, int]
    fast: bool = True


def load(text: str, path: str, *, fast: bool = True, line_depth: int = 2) -> Document:
    """Load a lockfile's YAML: the fast reader when the text is in its subset (and ``fast``), else ruamel.yaml.
    ``line_depth`` (1 or 2) says down to which depth key lines are wanted. Raises ManifestError (with the line
    when known) for anything that is not valid YAML, or uses anchors, aliases or merge keys."""
    found = read_fast(text, line_depth) if fast else None
    if found is not None:
        return Document(found[0], found[1], True)
    data, lines = load_full(text, path, line_depth)
    return Document(data, lines, False)


# --------------------------------------------------------------------------------------------------------------
# The fast reader


def read_fast(text: str, line_depth: int = 2) -> tuple[object, dict[tuple, int]] | None:
    """(data, key lines down to ``line_depth``) when the whole text is in the subset, else None."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # a CRLF checkout: the same line breaks to YAML (a lone CR is not)
    if not text.replace("\n", "").isprintable():
        return None  # a tab, carriage return, control character, YAML 1.1 line break, BOM, ...
    try:
        return _read(text, line_depth)
    except (_Abandon, IndexError, ValueError):  # ValueError: an integer too long for int(); the full loader says so
        return None


# Every line of the text, split by one regular expression: (indentation, key as written, ``:`` and the rest of the
# line, other). A key is double-quoted without escapes, single-quoted, or plain (up to the first ``: `` or the
# final ``:``); lines that are not ``key:`` lines (blank, comment, sequence entry, anything else) come as other.
_KEY_AND_REST = (r"""("[^"\\\n]*"|'(?:[^'\n]|'')*'|[^ \n#'"\-?:,\[\]{}&*!|>%@`][^:\n]*(?::[^ :\n][^:\n]*)*)"""
                 r"""(:(?: [^\n]*)?)""")
_LINE = re.compile(r"^( *)(?:" + _KEY_AND_REST + r"|([^\n]*))$", re.M)
# The text after a sequence entry's ``- ``, when it is a ``key:`` line: the first key of a block mapping that is
# the entry (YAML's compact nested mapping), split like a line's key and rest.
_ITEM_KEY = re.compile(_KEY_AND_REST)


def _read(text: str, line_depth: int) -> tuple[object, dict[tuple, int]]:
    """One pass over the lines. A stack of open block collections, each with the indentation of its entries;
    ``pending`` is a ``key:`` with nothing after it, whose value is the block that the next line opens (or null).
    Written for speed (it is most of a lockfile's parse time): one regular expression splits every line, and the
    value of each distinct value text is worked out once."""
    root: dict = {}
    lines: dict[tuple, int] = {}
    indents = [0]
    containers: list = [root]
    paths: list[tuple | None] = [()]  # the key path of a mapping whose keys' lines are kept, else None
    pending = None  # (mapping, key, indent of the key, path of the key or None)
    values: dict[str, object] = {}  # ": value" text -> its scalar value
    missing = values  # a sentinel no value can be
    resolver_first = _RESOLVER_FIRST
    indent_now = 0
    container: dict | list = root
    in_mapping = True
    path: tuple | None = ()
    for number, (spaces, raw_key, rest, other) in enumerate(_LINE.findall(text), 1):
        # The usual line: another `key: value` of the mapping being read. Handled first, with the fewest steps.
        if raw_key and pending is None and in_mapping and len(spaces) == indent_now and len(raw_key) <= _MAX_KEY:
            first = raw_key[0]
            if first == '"':
                key = raw_key[1:-1]
            elif first == "'":
                key = raw_key[1:-1].replace("''", "'")
            else:
                key = raw_key
                if key[-1] == " " or " #" in key:
                    raise _Abandon
                if first in resolver_first:
                    key = _plain(key)
            if key in container:
                raise _Abandon  # a duplicate key: the full loader reports it
            if path is not None:
                lines[path + (key,)] = number
            if len(rest) == 1:
                pending = (container, key, len(spaces), None if path is None else path + (key,))
                continue
            value = values.get(rest, missing)
            if value is missing:
                value = _block_value(rest[2:])
                if type(value) is not dict and type(value) is not list:
                    values[rest] = value  # containers are never shared: each occurrence gets its own
            container[key] = value
            continue
        # Everything else: blank lines, comments, sequence entries, a block opening or closing.
        if raw_key:
            indent = len(spaces)
            first = raw_key[0]
            if len(raw_key) > _MAX_KEY:
                raise _Abandon  # YAML caps implicit keys at 1024 characters: the full loader decides
        else:
            if not other or other[0] == "#":
                continue
            indent = len(spaces)
            first = other[0]
            if not indent and (other.startswith("---") or other == "-" or other.startswith("...")):
                raise _Abandon  # a document marker
        if pending is not None:
            mapping, key, key_indent, key_path = pending
            pending = None
            if indent > key_indent:
                child: dict | list = [] if first == "-" else {}
                mapping[key] = child
                indents.append(indent)
                containers.append(child)
                paths.append(key_path if key_path is not None and len(key_path) < line_depth else None)
                indent_now, container, path = indent, child, paths[-1]
                in_mapping = type(child) is dict
            else:
                mapping[key] = None
        if indent != indent_now:
            while indent < indents[-1]:
                indents.pop()
                containers.pop()
                paths.pop()
            if indent != indents[-1]:
                raise _Abandon
            indent_now, container, path = indent, containers[-1], paths[-1]
            in_mapping = type(container) is dict
        if not raw_key:
            if type(container) is not list or first != "-" or other[1:2] != " ":
                raise _Abandon  # a sequence entry is the only other line the subset has
            item = _ITEM_KEY.fullmatch(other, 2)
            if item is None:
                container.append(_block_value(other[2:]))  # a scalar or flow collection (which declines a key)
                continue
            # ``- key: ...``: the entry is a block mapping whose keys stand in this first key's column, two past the
            # dash (the only spacing pnpm writes; with more spaces the text is no key and _block_value declines it).
            # Its key lines are not kept (a full load keeps none inside sequences either). The key is then read like
            # any other, and the lines that follow close, continue or nest in the mapping by their indentation.
            raw_key, rest = item.groups()
            if len(raw_key) > _MAX_KEY:
                raise _Abandon
            first = raw_key[0]
            child = {}
            container.append(child)
            indent += 2
            indents.append(indent)
            containers.append(child)
            paths.append(None)
            indent_now, container, path, in_mapping = indent, child, None, True
        elif type(container) is list:
            raise _Abandon
        if first == '"':
            key = raw_key[1:-1]
        elif first == "'":
            key = raw_key[1:-1].replace("''", "'")
        else:
            key = raw_key
            if key[-1] == " " or " #" in key:
                raise _Abandon
            if first in resolver_first:
                key = _plain(key)
        if key in container:
            raise _Abandon  # a duplicate key: the full loader reports it
        if path is not None:
            lines[path + (key,)] = number
        if len(rest) == 1:
            pending = (container, key, indent, None if path is None else path + (key,))
            continue
        value = values.get(rest, missing)
        if value is missing:
            value = _block_value(rest[2:])
            if type(value) is not dict and type(value) is not list:
                values[rest] = value  # containers are never shared: each occurrence gets its own
        container[key] = value
    if pending is not None:
        pending[0][pending[1]] = None
    return (root or None), lines


def _block_value(value: str) -> object:
    """A value on the rest of a line: a quoted or plain scalar, or a one-line flow mapping or sequence."""
    if not value or value[-1] == " " or value[0] == " ":
        raise _Abandon
    first = value[0]
    if first == "'":
        found = _SINGLE_QUOTED.fullmatch(value)
        if found is None:
            raise _Abandon
        return found.group(1).replace("''", "'")
    if first == '"':
        found = _DOUBLE_QUOTED.fullmatch(value)
        if found is not None:
            return found.group(1)
        if _JSON_ESCAPED.fullmatch(value) is None:
            raise _Abandon
        return json.loads(value)  # JSON's escapes mean the same in YAML (Berry writes strings with JSON.stringify)
    if first == "{":
        return _flow_mapping(value)
    if first == "[":
        return _flow_sequence(value)
    if first in _NOT_PLAIN_START or ": " in value or " #" in value or value[-1] == ":":
        raise _Abandon
    return _plain(value)


def _plain(value: str) -> object:
    """The value YAML 1.2 gives a plain scalar: a string unless it looks like another type; the types lockfiles
    use (decimal int, simple float, true, false, null) are built here, any other abandons the fast reader."""
    if value[0] not in _RESOLVER_FIRST:
        return value
    if _DECIMAL.fullmatch(value):
        return int(value)
    if value == "true":
        return True
    if value == "false":
        return False
    if value == "null" or value == "~":
        return None
    if _SIMPLE_FLOAT.fullmatch(value):
        return float(value)
    if _IMPLICIT.fullmatch(value):
        raise _Abandon
    return value


def _flow_scalar(found: re.Match) -> object:
    single, double, plain = found.groups()
    if single is not None:
        return single.replace("''", "'")
    if double is not None:
        return double
    plain = plain.rstrip(" ")
    if plain[0] in _NOT_PLAIN_START or ": " in plain or " #" in plain or plain[-1] == ":" or "[" in plain \
            or "]" in plain or "{" in plain or "}" in plain:
        raise _Abandon
    return _plain(plain)


def _flow_mapping(value: str) -> dict:
    """``{a: b, c: 'd'}`` on one line, with scalar values only."""
    found = _ONE_PAIR.fullmatch(value)
    if found is not None and found.end(1) < _MAX_KEY:  # the usual ``{integrity: sha512-...}``, ``{node: '>=18'}``
        only_key, plain, quoted = found.groups()
        name: object = _plain(only_key) if only_key[0] in _RESOLVER_FIRST else only_key
        if plain is None:
            return {name: quoted.replace("''", "'")}
        if plain[-1] != ":":
            return {name: _plain(plain) if plain[0] in _RESOLVER_FIRST else plain}
    if value[-1] != "}":
        raise _Abandon
    inner = value[1:-1]
    result: dict = {}
    if not inner.strip(" "):
        return result
    pos, end = 0, len(inner)
    while pos < end:
        found = _FLOW_KEY.match(inner, pos)
        if found is None or found.end() - pos > _MAX_KEY:
            raise _Abandon
        single, double, plain = found.groups()
        if plain is not None:
            if plain[0] in _NOT_PLAIN_START or plain.endswith(" ") or " #" in plain or "[" in plain \
                    or "]" in plain or "{" in plain or "}" in plain:
                raise _Abandon
            key: object = _plain(plain)
        else:
            key = double if double is not None else single.replace("''", "'")
        item = _FLOW_SCALAR.match(inner, found.end())
        if item is None or key in result:
            raise _Abandon
        result[key] = _flow_scalar(item)
        pos = item.end()  # (after a trailing comma and spaces nothing matches: the fast reader abandons)
    return result


def _flow_sequence(value: str) -> list:
    """``[a, 'b']`` on one line, scalars only."""
    if value[-1] != "]":
        raise _Abandon
    inner = value[1:-1]
    items: list = []
    if not inner.strip(" "):
        return items
    pos, end = 0, len(inner)
    while pos < end:
        found = _FLOW_SCALAR.match(inner, pos)
        if found is None:
            raise _Abandon
        items.append(_flow_scalar(found))
        pos = found.end()
    return items


# --------------------------------------------------------------------------------------------------------------
# The full loader


def load_full(text: str, path: str, line_depth: int = 2) -> tuple[object, dict[tuple, int]]:
    """ruamel.yaml's safe loader, refusing anchors, aliases and merge keys, with every YAML error turned into a
    ManifestError naming the line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    # The pure-Python loader even when ruamel.yaml's C extension (libyaml) is installed: libyaml follows YAML 1.1
    # in flow collections and rejects `{tarball: https://...}` (a plain scalar with a colon), which pnpm writes and
    # YAML 1.2 allows; and the pure loader's messages and lines are the same everywhere. Only files outside the
    # fast reader's subset come here.
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = depth_limited_composer(MAX_DEPTH)
    line_of = _line_counter(text)
    try:
        node = yaml.compose(text)
        if node is None:
            return None, {}
        _refuse_anchors(node, path, line_of)
        data = yaml.constructor.construct_document(node)
    except TooDeep as deep:
        raise ManifestError(f"nested more than {MAX_DEPTH} levels deep", path, line_of(deep.mark)) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = line_of(mark) if mark is not None else None
        problem = error.problem or error.context or "invalid YAML"
        if mark is not None:
            problem = problem.split("\n")[0]
        raise ManifestError(f"not valid YAML: {problem}", path, line) from None
    except YAMLError as error:
        raise ManifestError(f"not valid YAML: {str(error).splitlines()[0] if str(error) else 'unreadable'}",
                            path) from None
    except RecursionError:
        nested = too_deep(text, path)  # the line where brackets nest too deep, when brackets are the cause
        if nested.line is None:
            nested = ManifestError("not valid YAML for a lockfile: values nested too deeply", path)
        raise nested from None
    except ValueError:  # an integer too long for int() (Python's 4300-digit limit)
        raise number_too_long(text, path) from None
    return data, _node_lines(node, data, line_depth, line_of)


# Lockfiles nest a few levels (pnpm's deepest: importers, a folder, dependencies, a name, {specifier, version});
# the full loader refuses more than this. Not only to stay clear of the recursion limit: ruamel.yaml's pure-Python
# scanner does work proportional to the open flow levels for every token, so a line nested a thousand deep costs
# seconds and a file of many such lines would cost hours. Bounding the depth while composing keeps a load linear
# in the size of the file, with a small constant.
MAX_DEPTH = 32


class TooDeep(Exception):
    """Raised by a depth-limited composer; ``mark`` is where the node too deep starts."""

    def __init__(self, mark: StreamMark) -> None:
        super().__init__("nested too deeply")
        self.mark = mark


def depth_limited_composer(limit: int) -> type[Composer]:
    """A subclass of ruamel.yaml's composer (the pure-Python loaders' ``YAML.Composer``) that raises TooDeep at a
    node nested deeper than ``limit`` (counted as the composer recurses, so nothing deeper is ever scanned)."""
    from ruamel.yaml.composer import Composer

    class DepthLimitedComposer(Composer):
        def compose_node(self, parent: Any, index: Any) -> Any:  # ruamel.yaml's own signature
            depth = self.__dict__.get("_lockgate_depth", 0) + 1
            if depth > limit:
                raise TooDeep(self.parser.peek_event().start_mark)
            self._lockgate_depth = depth
            try:
                return super().compose_node(parent, index)
            finally:
                self._lockgate_depth = depth - 1

    return DepthLimitedComposer


# YAML also breaks lines at NEL, LS, PS and a lone CR; editors, git and GitHub do not. Where those occur, lines
# are counted from a mark's character offset instead of taken from the mark.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


def _line_counter(text: str) -> LineOf:
    """A function from a ruamel.yaml mark to the 1-based line as git counts it, within the text (the end of the
    stream after a last line without a newline is that last line)."""
    last = text.count("\n") + 1
    if _ODD_BREAKS.search(text) is None:
        return lambda mark: min(mark.line + 1, last)
    return lambda mark: min(text.count("\n", 0, mark.index) + 1, last)


def _refuse_anchors(root: Node, path: str, line_of: LineOf) -> None:
    """Anchors, aliases and merge keys have no place in a lockfile; refusing them bounds the work on any input
    (an alias bomb is a handful of nodes referenced many times: each anchor is seen, and refused, once)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    stack = [root]  # children are pushed in reverse, so nodes are met in document order (the first is reported)
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        # An anchored node, or one met twice (an alias shares its anchor's node).
        if getattr(node, "anchor", None) is not None or id(node) in seen:
            raise ManifestError("YAML anchors and aliases are not allowed in a lockfile", path,
                                line_of(node.start_mark))
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                stack.append(value)
                stack.append(key)
            for key, _ in node.value:
                if getattr(key.tag, "value", key.tag) == "tag:yaml.org,2002:merge":
                    raise ManifestError("YAML merge keys (<<) are not allowed in a lockfile", path,
                                        line_of(key.start_mark))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))


def _node_lines(node: Node, data: object, line_depth: int, line_of: LineOf) -> dict[tuple, int]:
    """The line of every key at depth one and two, from the composed nodes (whose mapping entries are in the
    same order as the constructed dict's: duplicate and merge keys are refused)."""
    from ruamel.yaml.nodes import MappingNode

    lines: dict[tuple, int] = {}
    if not isinstance(node, MappingNode) or type(data) is not dict or len(node.value) != len(data):
        return lines
    for (key_node, value_node), (key, value) in zip(node.value, data.items()):
        lines[(key,)] = line_of(key_node.start_mark)
        if line_depth > 1 and isinstance(value_node, MappingNode) and not value_node.flow_style \
                and type(value) is dict and len(value_node.value) == len(value):
            for (child_key_node, _), child_key in zip(value_node.value, value):
                lines[(key, child_key)] = line_of(child_key_node.start_mark)
    return lines
