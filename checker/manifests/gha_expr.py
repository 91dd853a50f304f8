"""GitHub Actions expressions (``${{ ... }}``): which values an expression can take, as far as the file says.

Used for container images chosen by an expression, such as warehouse's
``image: ${{ (matrix.name == 'Tests') && 'postgres:17.5' || '' }}``: the images that can run are the string
literals the expression can *evaluate to* (``'postgres:17.5'``), not every literal in it (``'Tests'`` is only
compared). Following GitHub's semantics: ``a || b`` is a or b; ``a && b`` is b when a is true, else a falsy a
(no image); comparisons and ``!`` give booleans. ``matrix.KEY`` is looked up in the job's matrix by the caller;
any other context or function call is opaque (decided at run time).

Grammar (EBNF; GitHub's expression syntax, tokens separated by any white space)::

    expression = or ;
    or         = and { "||" and } ;
    and        = compare { "&&" compare } ;
    compare    = unary { ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) unary } ;
    unary      = "!" unary | postfix ;
    postfix    = primary { "." ( identifier | "*" ) | "[" or "]" } ;
    primary    = string | number | "true" | "false" | "null" | "(" or ")"
               | identifier [ "(" [ or { "," or } [ "," ] ] ")" ] ;      (* a context, or a function call *)
    string     = "'" { any character but "'" | "''" } "'" ;
    number     = [ "-" ] ( "0x" hex-digit { hex-digit } | digit { digit } [ "." digit { digit } ] [ exponent ] ) ;
    identifier = ( letter | "_" ) { letter | digit | "_" | "-" } ;

An expression outside this grammar (a token it cannot read, a token left over) or nested past the recursion limit
is opaque as a whole: unknown, never a value. ``${{`` opens an expression and the first ``}}`` after it closes it.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>'(?:[^']|'')*')
      | (?P<num>-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?))
      | (?P<op>&&|\|\||==|!=|<=|>=|[<>!()\[\],.*])
      | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})


class Leaves:
    """What an expression can evaluate to: string literals, ``matrix.KEY`` lookups, and whether some part is
    opaque (another context, a function call, or an expression lockgate cannot parse)."""

    __slots__ = ("literals", "matrix_keys", "opaque")

    def __init__(self) -> None:
        self.literals: list[str] = []
        self.matrix_keys: list[str] = []
        self.opaque = False


def single_expression(text: str) -> str | None:
    """The inside of ``${{ ... }}`` when the whole text is one expression, else None."""
    stripped = text.strip()
    match = EXPRESSION.fullmatch(stripped)
    return match.group(1) if match else None


def expressions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each ``${{ ... }}`` in ``text``, left to right, each closed by the first ``}}`` after its
    ``${{``, as ``EXPRESSION`` matches them. Found with ``str.find``: once a ``${{`` has no ``}}`` after it, no later
    one has either, where the pattern, retried from each ``${{`` of a long unterminated run, is quadratic."""
    found: list[tuple[int, int]] = []
    position = 0
    while True:
        start = text.find("${{", position)
        end = text.find("}}", start + 3) if start >= 0 else -1
        if end < 0:
            return found
        found.append((start, end + 2))
        position = end + 2


def has_expression(text: str) -> bool:
    return "${{" in text


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise ValueError(f"unexpected {text[position:position + 10]!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (op is not None and token != ("op", op)):
            raise ValueError(f"expected {op or 'more'}")
        self.index += 1
        return token

    def at_op(self, *ops: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] in ops

    def parse(self) -> tuple:
        tree = self.or_()
        if self.peek() is not None:
            raise ValueError("trailing tokens")
        return tree

    def or_(self) -> tuple:
        left = self.and_()
        while self.at_op("||"):
            self.take()
            left = ("or", left, self.and_())
        return left

    def and_(self) -> tuple:
        left = self.compare()
        while self.at_op("&&"):
            self.take()
            left = ("and", left, self.compare())
        return left

    def compare(self) -> tuple:
        left = self.unary()
        while self.at_op(*_COMPARISONS):
            self.take()
            self.unary()
            left = ("bool",)
        return left

    def unary(self) -> tuple:
        if self.at_op("!"):
            self.take()
            self.unary()
            return ("bool",)
        return self.postfix()

    def postfix(self) -> tuple:
        node = self.primary()
        while self.at_op(".", "["):
            if self.take()[1] == ".":
                kind, value = self.take()
                part = value if kind == "ident" or value == "*" else None
                if part is None:
                    raise ValueError("bad property")
            else:
                index = self.or_()
                self.take("]")
                part = index[1] if index[0] == "str" else None
            node = ("ref", node[1] + [part]) if node[0] == "ref" else ("opaque",)
        return node

    def primary(self) -> tuple:
        kind, value = self.take()
        if kind == "str":
            return ("str", value[1:-1].replace("''", "'"))
        if kind == "num":
            return ("literal",)
        if kind == "op" and value == "(":
            inner = self.or_()
            self.take(")")
            return inner
        if kind == "ident":
            if value in ("true", "false", "null"):
                return ("literal",)
            if self.at_op("("):
                self.take()
                while not self.at_op(")"):
                    self.or_()
                    if not self.at_op(")"):
                        self.take(",")
                self.take(")")
                return ("opaque",)
            return ("ref", [value])
        raise ValueError(f"unexpected {value!r}")


def _collect(tree: tuple, out: Leaves) -> None:
    kind = tree[0]
    if kind == "or":
        _collect(tree[1], out)
        _collect(tree[2], out)
    elif kind == "and":
        _collect(tree[2], out)
    elif kind == "str":
        out.literals.append(tree[1])
    elif kind == "ref":
        path = tree[1]
        if len(path) == 2 and path[0] == "matrix" and isinstance(path[1], str) and path[1] != "*":
            out.matrix_keys.append(path[1])
        else:
            out.opaque = True
    elif kind == "opaque":
        out.opaque = True
    # "bool" and "literal": booleans, numbers and null are never an image


def leaves(expression: str) -> Leaves:
    """The values one expression (the text inside ``${{ }}``) can take."""
    out = Leaves()
    try:
        tree = _Parser(expression).parse()
    except (ValueError, RecursionError):
        out.opaque = True
        return out
    _collect(tree, out)
    return out
