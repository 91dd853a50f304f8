"""setup.py: the dependencies a setuptools (or distutils) script passes to ``setup()``, read with ``ast``, never run.

A setup.py is a program, so lockgate reads only what it can prove from the syntax tree: the literal values of the
dependency keywords of every ``setup()`` call. What it cannot prove is a Problem at its line (the
unreadable-manifest rule reports it; unknown is never "no"), and the literal parts beside it are still
dependencies.

Keywords and scopes: ``install_requires`` prod, ``extras_require`` optional (one list per extra; an extra's
``name:marker`` key adds its marker), ``setup_requires`` build, ``tests_require`` dev. ``dependency_links`` are
package sources: each is a ``config`` dependency ``setuptools.dependency_links`` (the URL is its version, so a new
or changed link needs review) and a ``find-links`` index, whose host registry-source judges.
``python_requires`` is not a dependency.

Which calls are ``setup()``: a call of a name imported as ``setup`` from any module (``from setuptools import
setup as s`` too, and ``from numpy.distutils.core import setup``), a name bound by ``from X import *``, ``setup``
of an imported module (``setuptools.setup``, ``distutils.core.setup``, ``__import__('setuptools').setup``), and a
name assigned one of those (``s = setuptools.setup``). A function the file defines itself is not ``setup()``,
but the calls inside it are read like any other. Every call found is read (a second ``setup()`` adds its
dependencies); a file with none is a Problem.

What a value may be (the grammar of a proven value)::

    value    := STRING                          a requirement, or several on separate lines (setuptools splits)
              | f-string of proven strings      no conversion, no format spec
              | "[" item, ... "]" | "(" ... ")" | "{" item, ... "}"
              | "{" key ":" value, ... "}"      with proven string keys; "**" value entries
              | value "+" value                 lists, tuples or strings
              | list|tuple|set|frozenset|sorted "(" value ")"      builtins the file does not rebind
              | dict "(" key "=" value, ... ")"  | dict "(" value ")"
              | NAME                            see below
    item     := value | "*" value

A NAME stands for the union of everything it can hold: every binding of the name in its scope (the function
that uses it, else the module) must itself be a proven value (``REQS = [...]``; ``REQS += [...]``), and every
change made through it anywhere adds what it adds (``REQS.append('x')``, ``.extend``, ``.insert``, ``.add``,
``.update``, ``.setdefault``, ``REQS[k] = v``, ``EXTRAS['k'].append(v)``), so a name assigned in two branches
stands for both values. Removals (``.remove``, ``.pop``, ``del``) are ignored: the union is a superset, never
smaller than what runs. A name bound any other way (``for``, ``with``, ``import``, a function argument), a
binding or an addition that is not a proven value, a name shared with another name (``ALIAS = REQS``) that is
then changed, or handed to a function that might change it is a Problem. ``exec``, ``eval``, ``globals()``,
``vars()``, ``locals()``, ``setattr`` and ``__dict__`` can rebind any name unseen, so in a file that uses them
every value read through a name is a Problem; a literal written inside the call is still read. Storing into the
setuptools module (``setuptools.setup = wrapper``) or rebinding ``setup`` after importing it is a Problem too.
"""

from __future__ import annotations

import ast
from typing import Iterator, NamedTuple

from checker.errors import ManifestError
from checker.manifests.pypi_common import config, requirement, setuptools_lines
from checker.model import Dependency, IndexOption, Manifest, Problem, Reader

FORMAT = "setup-py"

# Keyword -> scope of its dependencies.
_SCOPES = {"install_requires": "prod", "setup_requires": "build", "tests_require": "dev"}
_SETUP_MODULES = frozenset({"setuptools", "distutils.core", "distutils", "numpy.distutils.core", "setuptools.setup"})
# Builtins that make a copy of (or read) their argument, and so neither change nor share it.
_COPYING = frozenset({"list", "tuple", "set", "frozenset", "sorted"})
_READING = _COPYING | frozenset({
    "len", "print", "str", "repr", "bool", "any", "all", "min", "max", "sum", "iter", "reversed", "enumerate",
    "zip", "isinstance", "dict", "map", "filter", "hash", "id", "type", "format",
})  # fmt: skip
_ADDING = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "__setitem__", "__iadd__", "__ior__"})
_READ_ONLY_METHODS = frozenset({
    "copy", "count", "index", "get", "keys", "values", "items", "remove", "pop", "popitem", "discard", "clear",
    "sort", "reverse", "difference", "intersection", "union", "issubset", "issuperset", "isdisjoint",
    "startswith", "endswith", "split", "splitlines", "strip", "lower", "upper", "join", "format", "__len__",
    "__contains__", "__iter__",
})  # fmt: skip
# Calls that can rebind any name of the module without an assignment lockgate would see.
_REBINDING = frozenset({"exec", "eval", "globals", "vars", "locals", "setattr", "delattr", "execfile"})
_SHOWN = 60  # characters of an expression quoted in a message


class _Item(NamedTuple):
    """One proven string and the line of the literal it was written in."""

    text: str
    line: int


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The dependencies of every ``setup()`` call of a setup.py; see the module docstring."""
    tree = _syntax_tree(text, path)
    module = _Module(tree)
    reader = _Reader(module, path)
    calls = list(module.setup_calls())
    if not calls:
        reader.problem("no setup() call lockgate can find: the file's dependencies cannot be read", None)
    try:
        for call, scope in calls:
            reader.read_call(call, scope)
    except RecursionError:  # a name defined by a name defined by a name ... thousands deep: no real setup.py
        raise ManifestError("names or expressions refer to each other too deeply to read", path) from None
    for line, why in module.tampering():
        reader.problem(why, line)
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem="pypi",
        dependencies=tuple(reader.dependencies),
        kind="declared",
        indexes=tuple(reader.indexes),
        problems=tuple(dict.fromkeys(reader.problems)),
    )


def _syntax_tree(text: str, path: str) -> ast.Module:
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as error:
        line = error.lineno if error.lineno and error.lineno <= text.count("\n") + 1 else None
        raise ManifestError(f"not valid Python 3: {error.msg}", path, line) from None
    except (ValueError, RecursionError, MemoryError) as error:  # NUL bytes; nesting too deep for the compiler
        reason = "nested too deeply" if not isinstance(error, ValueError) else str(error)
        raise ManifestError(f"not valid Python: {reason}", path) from None


def _shown(node: ast.AST) -> str:
    try:
        source = ast.unparse(node)
    except (ValueError, RecursionError, AttributeError):
        source = type(node).__name__
    source = " ".join(source.split())
    return source if len(source) <= _SHOWN else source[: _SHOWN - 1] + "…"


# ---------------------------------------------------------------------------------------------------------------
# Scopes: where each name is bound, changed and used


class _Use(NamedTuple):
    """A Load of a name, and its parent node (whose own parents the module's map gives)."""

    node: ast.Name
    parent: ast.AST | None


class _Scope:
    """A module or function body: the names it binds (with each binding's value, or None when the binding is not
    an assignment of a value) and the names it declares global."""

    def __init__(self, node: ast.AST, parent: "_Scope | None") -> None:
        self.node = node
        self.parent = parent
        self.bindings: dict[str, list[tuple[ast.AST | None, int, str]]] = {}
        self.globals: set[str] = set()

    def bind(self, name: str, value: ast.AST | None, line: int, how: str) -> None:
        self.bindings.setdefault(name, []).append((value, line, how))


class _Module:
    """One pass over the syntax tree: scopes, bindings, uses, setup() calls and the constructs that defeat name
    resolution."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.module = _Scope(tree, None)
        self.scopes: dict[int, _Scope] = {}  # id(function node) -> its scope
        self.calls: list[tuple[ast.Call, _Scope]] = []
        self.rebinding: list[tuple[int, str]] = []  # (line, what) of exec()/globals()/... calls
        self.stores_into_modules: list[tuple[int, str]] = []
        self.parent_of: dict[int, ast.AST] = {}
        self.uses: dict[str, list[tuple[_Scope, _Use]]] = {}  # every Load of a name, in any scope
        self._walk(tree, self.module)

    # --- the walk ------------------------------------------------------------------------------------------------

    def _walk(self, root: ast.AST, scope: _Scope) -> None:
        """Every node once, iteratively (a long chain of ``+`` is a deep tree), children in source order."""
        stack: list[tuple[ast.AST, _Scope, ast.AST | None]] = [(root, scope, None)]
        while stack:
            current, scope, parent = stack.pop()
            if parent is not None:
                self.parent_of[id(current)] = parent
            inner = self._visit(current, scope, parent)
            for child in reversed(list(ast.iter_child_nodes(current))):
                stack.append((child, inner, current))

    def parents(self, node: ast.AST) -> Iterator[ast.AST]:
        """The ancestors of a node, nearest first."""
        current = self.parent_of.get(id(node))
        while current is not None:
            yield current
            current = self.parent_of.get(id(current))

    def _visit(self, node: ast.AST, scope: _Scope, parent: ast.AST | None) -> _Scope:
        """Record what ``node`` binds or uses in ``scope``; the scope its children belong to."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            if not isinstance(node, ast.Lambda):
                self._target(scope, node.name, None, node.lineno, "defined by def")
            inner = _Scope(node, scope)
            self.scopes[id(node)] = inner
            for argument in _arguments(node.args):
                inner.bind(argument.arg, None, argument.lineno, "a function argument")
            return inner
        if isinstance(node, ast.ClassDef):
            self._target(scope, node.name, None, node.lineno, "defined by class")
            return scope
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            scope.globals.update(node.names)
            return scope
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                self.uses.setdefault(node.id, []).append((scope, _Use(node, parent)))
            else:
                self._name_target(node, scope, parent)
            return scope
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._imports(node, scope)
            return scope
        if isinstance(node, ast.Call):
            self._call(node, scope)
            return scope
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            base = node.value
            if isinstance(base, ast.Name) and self._is_setup_module_name(base.id):
                self.stores_into_modules.append((node.lineno, f"{base.id}.{node.attr}"))
            if node.attr == "__dict__":
                self.rebinding.append((node.lineno, "__dict__"))
            return scope
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            self.rebinding.append((node.lineno, "__dict__"))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            self._target(scope, node.name, None, node.lineno, "bound by except ... as")
        elif isinstance(node, ast.MatchAs) and node.name:
            self._target(scope, node.name, None, node.lineno, "bound by a match pattern")
        elif isinstance(node, ast.MatchStar) and node.name:
            self._target(scope, node.name, None, node.lineno, "bound by a match pattern")
        elif isinstance(node, ast.MatchMapping) and node.rest:
            self._target(scope, node.rest, None, node.lineno, "bound by a match pattern")
        return scope

    def _name_target(self, node: ast.Name, scope: _Scope, parent: ast.AST | None) -> None:
        """A name stored or deleted: what binds it (an assignment's value, or how else it is bound)."""
        if isinstance(node.ctx, ast.Del):
            self._target(scope, node.id, None, node.lineno, "deleted")
            return
        if isinstance(parent, ast.Assign) and node in parent.targets:
            self._target(scope, node.id, parent.value, node.lineno, "assigned")
        elif isinstance(parent, ast.AnnAssign) and parent.target is node:
            if parent.value is not None:
                self._target(scope, node.id, parent.value, node.lineno, "assigned")
        elif isinstance(parent, ast.AugAssign) and parent.target is node:
            how = "added to" if isinstance(parent.op, (ast.Add, ast.BitOr)) else "changed by an operator"
            self._target(scope, node.id, parent.value if how == "added to" else None, node.lineno, how)
        elif isinstance(parent, ast.NamedExpr):
            self._target(scope, node.id, parent.value, node.lineno, "assigned")
        elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)):
            self._target(scope, node.id, None, node.lineno, "bound by a loop")
        elif isinstance(parent, (ast.withitem,)):
            self._target(scope, node.id, None, node.lineno, "bound by with ... as")
        else:  # unpacking (a, b = ...), a starred target, a nested target
            self._target(scope, node.id, None, node.lineno, "bound by unpacking")

    def _target(self, scope: _Scope, name: str, value: ast.AST | None, line: int, how: str) -> None:
        owner = self.module if name in scope.globals else scope
        owner.bind(name, value, line, how)

    def _imports(self, node: ast.Import | ast.ImportFrom, scope: _Scope) -> None:
        for alias in node.names:
            if isinstance(node, ast.Import):
                bound = alias.asname or alias.name.partition(".")[0]
                module = alias.name if alias.asname else alias.name.partition(".")[0]
                self._target(scope, bound, _ImportedModule(module), node.lineno, "imported")
            elif alias.name == "*":
                scope.bind("*", _ImportedStar(node.module or ""), node.lineno, "imported")
            else:
                origin = f"{'.' * node.level}{node.module or ''}"
                value = _ImportedName(origin, alias.name)
                self._target(scope, alias.asname or alias.name, value, node.lineno, "imported")

    def _call(self, node: ast.Call, scope: _Scope) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in _REBINDING and not _own_namespace(node):
            self.rebinding.append((node.lineno, f"{name}()"))
        self.calls.append((node, scope))

    # --- queries -------------------------------------------------------------------------------------------------

    def _is_setup_module_name(self, name: str) -> bool:
        for value, _, _ in self.module.bindings.get(name, []):
            if isinstance(value, _ImportedModule) and _is_setup_module(value.module):
                return True
        return False

    def owner(self, name: str, scope: _Scope) -> _Scope:
        """The scope whose binding a Load of ``name`` in ``scope`` reads (Python's rule: a name bound in a
        function is local to it unless declared global; class bodies are not enclosing scopes)."""
        current: _Scope | None = scope
        while current is not None:
            if name in current.globals:
                return self.module
            if name in current.bindings:
                return current
            current = current.parent
        return self.module

    def setup_calls(self) -> Iterator[tuple[ast.Call, _Scope]]:
        for call, scope in self.calls:
            if self.is_setup(call.func, scope):
                yield call, scope

    def is_setup(self, func: ast.AST, scope: _Scope, depth: int = 0) -> bool:
        """Whether a call of ``func`` is a call of setup(): a name imported as ``setup`` (from any module, under
        any alias), an unbound ``setup`` (``from X import *``), a name assigned such a function, or ``.setup`` of
        anything (``setuptools.setup``, ``__import__('setuptools').setup``): reading a call that is not setup()
        finds no dependency keywords, while missing one would hide its dependencies."""
        if depth > 20:
            return False
        if isinstance(func, ast.Attribute):
            return func.attr == "setup"
        if isinstance(func, (ast.Call, ast.Subscript)):  # getattr(setuptools, 'setup')(...), vars(m)['setup'](...)
            return True
        if not isinstance(func, ast.Name):
            return False
        owner = self.owner(func.id, scope)
        bindings = owner.bindings.get(func.id)
        if not bindings:
            return func.id == "setup"
        for value, _, _ in bindings:
            if isinstance(value, _ImportedName) and value.name == "setup":
                return True
            if isinstance(value, ast.AST) and not isinstance(value, _Imported):
                if self.is_setup(value, owner, depth + 1):
                    return True
        return False

    def tampering(self) -> Iterator[tuple[int, str]]:
        """Stores into the setuptools module and rebindings of an imported ``setup``: the call lockgate reads may
        not be the one that runs."""
        for line, target in self.stores_into_modules:
            yield line, f"{target} is assigned: the setup() that runs may not be the one lockgate reads"
        for scope in [self.module, *self.scopes.values()]:
            bindings = scope.bindings.get("setup", [])
            imported = [b for b in bindings if isinstance(b[0], _ImportedName) and b[0].name == "setup"]
            if imported and len(bindings) > len(imported):
                other = next(b for b in bindings if b not in imported)
                yield other[1], f"setup is {other[2]} after being imported: the setup() that runs is not setuptools'"


class _Imported(ast.AST):
    """A binding made by an import statement (a marker node, never evaluated)."""


class _ImportedModule(_Imported):
    def __init__(self, module: str) -> None:
        super().__init__()
        self.module = module


class _ImportedName(_Imported):
    def __init__(self, module: str, name: str) -> None:
        super().__init__()
        self.module = module
        self.name = name


class _ImportedStar(_Imported):
    def __init__(self, module: str) -> None:
        super().__init__()
        self.module = module


def _own_namespace(call: ast.Call) -> bool:
    """``exec(code, about)``: code run in a namespace of its own (not ``globals()``, ``locals()`` or ``vars()``)
    binds its names there, not in the module (the way requests reads its ``__version__.py``)."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name not in ("exec", "eval", "execfile"):
        return False
    namespaces = list(call.args[1:3]) + [k.value for k in call.keywords if k.arg in ("globals", "locals")]
    if not namespaces or any(isinstance(arg, ast.Starred) for arg in call.args):
        return False
    return not any(
        isinstance(space, ast.Call) and isinstance(space.func, ast.Name) and space.func.id in ("globals", "locals", "vars")
        for space in namespaces
    )


def _is_setup_module(module: str) -> bool:
    return module in _SETUP_MODULES or module.startswith(("setuptools.", "distutils."))


def _arguments(args: ast.arguments) -> list[ast.arg]:
    found = list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)
    found += [arg for arg in (args.vararg, args.kwarg) if arg is not None]
    return found


# ---------------------------------------------------------------------------------------------------------------
# Proving values


class _Reader:
    """Reads the dependency keywords of setup() calls into dependencies, indexes and problems.

    What a name stands for is worked out once per name (``_names``, ``_single``): ``B = A + A`` then costs no more
    than ``A``, however deep such a chain goes, and a proven string longer than _MAX_STRING is not proven."""

    def __init__(self, module: _Module, path: str) -> None:
        self.module = module
        self.path = path
        self.dependencies: list[Dependency] = []
        self.indexes: list[IndexOption] = []
        self.problems: list[Problem] = []
        self._seen: set[tuple[str | int, ...]] = set()  # (link, text, line) and (what, text, line, marker)
        self._rebinding = module.rebinding[0] if module.rebinding else None
        self._names: dict[tuple[int, str], list[tuple[ast.AST, _Scope]] | str] = {}
        self._single: dict[tuple[int, str], str | None] = {}
        self._strings_of: dict[tuple[int, str], list[_Item]] = {}
        self._stringish_names: dict[tuple[int, str], bool] = {}

    def problem(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(message, line))

    # --- setup() --------------------------------------------------------------------------------------------------

    def read_call(self, call: ast.Call, scope: _Scope) -> None:
        for argument in call.args:
            what = "*" + _shown(argument.value) if isinstance(argument, ast.Starred) else _shown(argument)
            self.problem(f"setup({what}) passes positional arguments lockgate cannot read", argument.lineno)
        for keyword in call.keywords:
            if keyword.arg is None:
                for key, node, node_scope in self._mapping(keyword.value, scope, "setup(**...)"):
                    if key is not None:
                        self._keyword(key, node, node_scope)
            else:
                self._keyword(keyword.arg, keyword.value, scope)

    def _keyword(self, name: str, value: ast.AST, scope: _Scope) -> None:
        if name in _SCOPES:
            for item in self._strings(value, scope, name):
                self._requirements(item, _SCOPES[name], name, None)
        elif name == "extras_require":
            for key, node, node_scope in self._mapping(value, scope, name):
                extra = "extras_require" if key is None else f"extras_require[{key!r}]"
                marker = key.partition(":")[2].strip() if key else ""
                for item in self._strings(node, node_scope, extra):
                    self._requirements(item, "optional", extra, marker or None)
        elif name == "dependency_links":
            for item in self._strings(value, scope, name):
                if ("link", item.text, item.line) in self._seen:
                    continue
                self._seen.add(("link", item.text, item.line))
                self.dependencies.append(config("setuptools.dependency_links", item.text, self.path, item.line))
                self.indexes.append(IndexOption("find-links", item.text, item.line))

    def _requirements(self, item: _Item, scope: str, what: str, marker: str | None) -> None:
        for offset, text in setuptools_lines(item.text):
            line = item.line + offset
            key = (text, scope, line, marker or "")
            if key in self._seen:
                continue
            self._seen.add(key)
            found = requirement(text, self.path, line, scope, what, marker)
            if isinstance(found, Problem):
                self.problems.append(found)
            else:
                self.dependencies.append(found)

    # --- values ---------------------------------------------------------------------------------------------------

    def _unreadable(self, node: ast.AST, what: str, why: str) -> None:
        self.problem(f"{what}: {_shown(node)} {why}; lockgate reads only literal values", getattr(node, "lineno", None))

    def _strings(self, node: ast.AST, scope: _Scope, what: str) -> list[_Item]:
        """The strings a value proven to be a string or a collection of strings holds; a Problem for each part
        that cannot be proven."""
        if isinstance(node, ast.Name):
            return self._name_strings(node, scope, what)
        if isinstance(node, _Addition):
            return self._strings(node.node, scope, what)
        if isinstance(node, ast.NamedExpr):
            return self._strings(node.target, scope, what)
        if isinstance(node, (ast.Constant, ast.JoinedStr)) or self._stringish(node, scope):
            if isinstance(node, ast.Constant) and node.value is None:
                return []
            text = self._string(node, scope)
            if text is None:
                why = "is not a string" if isinstance(node, ast.Constant) else (
                    "is a string lockgate cannot prove (or longer than it reads)")
                self._unreadable(node, what, why)
                return []
            return [_Item(text, getattr(node, "lineno", 0))]  # (an expression, or an _Addition: both have one)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            found = []
            for element in node.elts:
                found += self._strings(element.value if isinstance(element, ast.Starred) else element, scope, what)
            return found
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._strings(node.left, scope, what) + self._strings(node.right, scope, what)
        if self._builtin_call(node, scope, _COPYING):
            assert isinstance(node, ast.Call)
            if len(node.args) == 1 and not node.keywords and not isinstance(node.args[0], ast.Starred):
                return self._strings(node.args[0], scope, what)
            if node.args or node.keywords:
                self._unreadable(node, what, "is a call lockgate does not follow")
            return []
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            self._unreadable(node, what, "is a comprehension, computed when setup.py runs")
        elif isinstance(node, ast.Call):
            self._unreadable(node, what, "is computed by a call when setup.py runs")
        else:
            self._unreadable(node, what, "is computed when setup.py runs")
        return []

    def _string(self, node: ast.AST, scope: _Scope) -> str | None:
        """A value proven to be one string (a literal, ``+`` of strings, an f-string of strings), else None."""
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._string(node.left, scope)
            right = self._string(node.right, scope) if left is not None else None
            if left is None or right is None or len(left) + len(right) > _MAX_STRING:
                return None
            return left + right
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    parts.append(value.value)
                elif isinstance(value, ast.FormattedValue) and value.conversion == -1 and value.format_spec is None:
                    inner = value.value
                    if isinstance(inner, ast.Constant) and type(inner.value) in (int, float):
                        text: str | None = str(inner.value)
                    else:
                        text = self._string(inner, scope)
                    if text is None:
                        return None
                    parts.append(text)
                else:
                    return None
            joined = "".join(parts)
            return joined if len(joined) <= _MAX_STRING else None
        if isinstance(node, ast.Name):
            key = (id(self.module.owner(node.id, scope)), node.id)
            if key not in self._single:
                self._single[key] = None  # a name defined by itself is no string
                values = self._name_values(node, scope)
                if values is not None and len(values) == 1 and not isinstance(values[0][0], _Addition):
                    self._single[key] = self._string(values[0][0], values[0][1])
            return self._single[key]
        return None

    def _stringish(self, node: ast.AST, scope: _Scope) -> bool:
        """Whether a ``+`` adds strings rather than lists: a string literal or f-string on one side, or a name
        whose values are such (``'foo>=' + VERSION``, ``BASE + BASE``), so it is one string, not a list."""
        if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._stringish(node.left, scope) or self._stringish(node.right, scope)
        if isinstance(node, ast.Name):
            key = (id(self.module.owner(node.id, scope)), node.id)
            if key not in self._stringish_names:
                self._stringish_names[key] = False  # a name defined by itself: decided by its other values
                values = self._name_values(node, scope) or []
                self._stringish_names[key] = any(
                    not isinstance(value, _Addition) and self._stringish(value, value_scope)
                    for value, value_scope in values
                )
            return self._stringish_names[key]
        return False

    def _builtin_call(self, node: ast.AST, scope: _Scope, names: frozenset[str]) -> bool:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names):
            return False
        return _is_builtin(node.func.id, self.module, scope)

    def _mapping(self, node: ast.AST, scope: _Scope, what: str) -> list[tuple[str | None, ast.AST, _Scope]]:
        """The (key, value node, scope of the value) entries of a value proven to be a mapping with string keys;
        a key that cannot be proven is None (its value is still read)."""
        if isinstance(node, ast.Dict):
            found: list[tuple[str | None, ast.AST, _Scope]] = []
            for key, value in zip(node.keys, node.values):
                if key is None:  # {**other}
                    found += self._mapping(value, scope, what)
                    continue
                text = self._string(key, scope)
                if text is None:
                    self._unreadable(key, what, "is a key lockgate cannot prove")
                found.append((text, value, scope))
            return found
        if self._builtin_call(node, scope, frozenset({"dict"})):
            assert isinstance(node, ast.Call)
            found = []
            for argument in node.args:
                found += self._mapping(argument, scope, what)
            for keyword in node.keywords:
                if keyword.arg is None:
                    found += self._mapping(keyword.value, scope, what)
                else:
                    found.append((keyword.arg, keyword.value, scope))
            return found
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self._mapping(node.left, scope, what) + self._mapping(node.right, scope, what)
        if isinstance(node, _Addition):
            return [(node.key, node.node, scope)]
        if isinstance(node, ast.Name):
            found = []
            for held, held_scope in self._name_values(node, scope, what) or []:
                found += self._mapping(held, held_scope, what)
            return found
        if isinstance(node, ast.Constant) and node.value is None:
            return []
        if isinstance(node, ast.DictComp):
            self._unreadable(node, what, "is a comprehension, computed when setup.py runs")
        else:
            self._unreadable(node, what, "is computed when setup.py runs")
        return []

    # --- names ----------------------------------------------------------------------------------------------------

    def _name_strings(self, node: ast.Name, scope: _Scope, what: str) -> list[_Item]:
        """The strings a name holds, worked out once per name (and deduplicated, so ``B = A + A`` is no larger
        than ``A``); the Problems of a name are reported with the first keyword that reads it."""
        key = (id(self.module.owner(node.id, scope)), node.id)
        if key in self._strings_of:
            return self._strings_of[key]
        self._strings_of[key] = []  # a name that refers to itself adds nothing more through that reference
        found: dict[_Item, None] = {}
        for value, value_scope in self._name_values(node, scope, what) or []:
            found.update(dict.fromkeys(self._strings(value, value_scope, what)))
        self._strings_of[key] = list(found)
        return self._strings_of[key]

    def _name_values(
        self, node: ast.Name, scope: _Scope, what: str | None = None
    ) -> list[tuple[ast.AST, _Scope]] | None:
        """Every value a name can hold, with the scope each is read in: its bindings and the additions made
        through it. None (and a Problem when ``what`` is given) when the name cannot be proven."""
        owner = self.module.owner(node.id, scope)
        key = (id(owner), node.id)
        if key not in self._names:
            self._names[key] = []  # while it is worked out, a name that refers to itself adds nothing more
            self._names[key] = self._values_of(node.id, owner)
        values = self._names[key]
        if isinstance(values, str):
            if what is not None:
                self.problem(f"{what}: {node.id} {values}; lockgate reads only literal values", node.lineno)
            return None
        return values

    def _values_of(self, name: str, owner: _Scope) -> list[tuple[ast.AST, _Scope]] | str:
        """The bindings and additions of a name, or why it cannot be proven."""
        bindings = owner.bindings.get(name, [])
        if not bindings:
            return "is not assigned in this file (it may come from the environment or another module)"
        for value, line, how in bindings:
            if value is None:
                return f"is {how} (line {line}), which lockgate cannot follow"
            if isinstance(value, _Imported):
                return f"is imported (line {line}): its value is not in this file"
        if self._rebinding is not None:
            line, call = self._rebinding
            return f"may be rebound by {call} (line {line}), which lockgate cannot follow"
        values: list[tuple[ast.AST, _Scope]] = [(value, owner) for value, _, _ in bindings if value is not None]
        if all(self._stringish(value, owner) for value, _ in values):
            return values  # strings cannot be changed in place: how the name is used adds nothing
        for scope, use in self.module.uses.get(name, []):
            if self.module.owner(name, scope) is not owner:
                continue
            added, why = _classify(use, self.module, scope)
            if why is not None:
                return why
            values.extend((value, scope) for value in added)
        return values


# A proven string longer than this is not proven (``A = 'x' * ...`` is no literal anyway, but ``B = A + A`` chains
# double a literal's length at every step).
_MAX_STRING = 100_000


def _is_builtin(name: str, module: _Module, scope: _Scope) -> bool:
    """Whether a name still means the builtin: the file binds it nowhere it could be seen from ``scope``."""
    return not module.owner(name, scope).bindings.get(name)


class _Addition(ast.AST):
    """A value added to a mapping through a subscript (``EXTRAS['test'] = [...]``): its key (None when not
    proven) and the value node."""

    def __init__(self, key: str | None, node: ast.AST) -> None:
        super().__init__()
        self.key = key
        self.node = node
        self.lineno = getattr(node, "lineno", 0)


def _classify(use: _Use, module: _Module, scope: _Scope) -> tuple[list[ast.AST], str | None]:
    """What one Load of a tracked name adds to it, or why it could change it unseen."""
    node = use.node
    parent = use.parent
    # NAME.method(...)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        call = module.parent_of.get(id(parent))
        if isinstance(call, ast.Call) and call.func is parent:
            if parent.attr in _ADDING:
                return _method_additions(parent.attr, call), None
            if parent.attr in _READ_ONLY_METHODS:
                return [], None
            return [], f"is changed by .{parent.attr}() (line {call.lineno}), which lockgate cannot follow"
        return [], f"has its attribute {parent.attr} used (line {parent.lineno}), which lockgate cannot follow"
    # NAME[key] ...: a store, or a change of the element
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return _subscript_additions(parent, module)
    if isinstance(parent, ast.Call) and node in parent.args:
        if _is_reading(parent.func, module, scope) or module.is_setup(parent.func, scope):
            return [], None
        return [], f"is passed to {_shown(parent.func)}() (line {parent.lineno}), which may change it"
    if isinstance(parent, ast.keyword):
        call = module.parent_of.get(id(parent))
        if isinstance(call, ast.Call) and (module.is_setup(call.func, scope) or _is_reading(call.func, module, scope)):
            return [], None
        shown = _shown(call.func) if isinstance(call, ast.Call) else "a call"
        return [], f"is passed to {shown}() (line {node.lineno}), which may change it"
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and getattr(parent, "value", None) is node:
        return [], f"is shared with another name (line {parent.lineno}), which lockgate cannot follow"
    if isinstance(parent, (ast.List, ast.Tuple, ast.Set)) or (isinstance(parent, ast.Dict) and node in parent.values):
        return _shared_in_container(parent, module, scope)
    if isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom, ast.Lambda)):
        return [], f"is handed out of its scope (line {parent.lineno}), where lockgate cannot follow it"
    return [], None  # read: +, *, for ... in, in, comparisons, tests, f-strings, starred copies


def _is_reading(func: ast.AST, module: _Module, scope: _Scope) -> bool:
    return isinstance(func, ast.Name) and func.id in _READING and _is_builtin(func.id, module, scope)


def _shared_in_container(container: ast.AST, module: _Module, scope: _Scope) -> tuple[list[ast.AST], str | None]:
    """A name placed inside a list, tuple, set or dict display shares its object with the display. Safe while the
    display is an argument of setup() or the value of a name whose elements are never changed in place (a change
    through ``HOLDER[k]`` changes this name's object too); anything else may change it unseen."""
    for ancestor in [container, *module.parents(container)]:
        if isinstance(ancestor, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Starred, ast.BinOp)):
            continue
        if isinstance(ancestor, ast.keyword):
            call = module.parent_of.get(id(ancestor))
            if isinstance(call, ast.Call) and module.is_setup(call.func, scope):
                return [], None
        elif isinstance(ancestor, ast.Call) and module.is_setup(ancestor.func, scope):
            return [], None
        elif isinstance(ancestor, ast.Assign) and all(isinstance(target, ast.Name) for target in ancestor.targets):
            for name in [target.id for target in ancestor.targets if isinstance(target, ast.Name)]:
                changed = _element_changed(name, module, scope)
                if changed is not None:
                    return [], f"is placed in {name}, whose element is changed in place (line {changed})"
            return [], None
        line = getattr(ancestor, "lineno", None)
        return [], f"is placed in a collection used in a way lockgate cannot follow (line {line})"
    return [], None


def _element_changed(holder: str, module: _Module, scope: _Scope) -> int | None:
    """The line where an element of the collection named ``holder`` is changed in place (``H[k].append(v)``,
    ``H[k] += v``, ``H[k][j] = v``), or None."""
    owner = module.owner(holder, scope)
    for inner, use in module.uses.get(holder, []):
        if module.owner(holder, inner) is not owner:
            continue
        subscript = use.parent
        if not (isinstance(subscript, ast.Subscript) and subscript.value is use.node):
            continue
        above = module.parent_of.get(id(subscript))
        if isinstance(subscript.ctx, ast.Store) and isinstance(above, ast.AugAssign):
            return subscript.lineno
        if isinstance(above, ast.Attribute) and above.value is subscript and above.attr not in _READ_ONLY_METHODS:
            return subscript.lineno
        if isinstance(above, ast.Subscript) and above.value is subscript and not isinstance(above.ctx, ast.Load):
            return subscript.lineno
    return None


def _method_additions(method: str, call: ast.Call) -> list[ast.AST]:
    """The values a list/set/dict method call adds: ``append(v)`` and ``add(v)`` add ``[v]``, ``extend(v)`` and
    ``update(v)`` add ``v``, ``insert(i, v)`` adds ``[v]``, ``setdefault(k, v)`` adds ``{k: v}``."""
    args = call.args
    if method in ("append", "add") and len(args) == 1 and not call.keywords:
        return [ast.List(elts=[args[0]], ctx=ast.Load(), lineno=call.lineno)]
    if method == "insert" and len(args) == 2 and not call.keywords:
        return [ast.List(elts=[args[1]], ctx=ast.Load(), lineno=call.lineno)]
    if method in ("setdefault", "__setitem__") and len(args) == 2 and not call.keywords:
        return [ast.Dict(keys=[args[0]], values=[args[1]], lineno=call.lineno)]
    if method in ("extend", "update", "__iadd__", "__ior__"):
        found: list[ast.AST] = list(args)
        if call.keywords:
            found.append(ast.Call(func=ast.Name(id="dict", ctx=ast.Load()), args=[], keywords=call.keywords,
                                  lineno=call.lineno))
        return found
    return [call]  # read as a call: a Problem


def _subscript_additions(subscript: ast.Subscript, module: _Module) -> tuple[list[ast.AST], str | None]:
    """``NAME[k] = v`` and ``NAME[k] += v`` add ``v`` under the key ``k``; ``NAME[k].append(v)`` and the like add
    to the entry ``k``; reading ``NAME[k]`` or deleting it adds nothing."""
    parent = module.parent_of.get(id(subscript))
    key = _constant_key(subscript.slice)
    if isinstance(subscript.ctx, ast.Store):
        if isinstance(parent, (ast.Assign, ast.AugAssign)):
            return [_Addition(key, parent.value)], None
        return [], f"has an element bound (line {subscript.lineno}) in a way lockgate cannot follow"
    if isinstance(subscript.ctx, ast.Del):
        return [], None
    # A Load of NAME[k]: a change made through the element is a change of NAME.
    if isinstance(parent, ast.Attribute) and parent.value is subscript:
        call = module.parent_of.get(id(parent))
        if isinstance(call, ast.Call) and call.func is parent:
            if parent.attr in _ADDING:
                return [_Addition(key, value) for value in _method_additions(parent.attr, call)], None
            if parent.attr in _READ_ONLY_METHODS:
                return [], None
        return [], f"has an element changed (line {subscript.lineno}) in a way lockgate cannot follow"
    if isinstance(parent, ast.Subscript) and parent.value is subscript and not isinstance(parent.ctx, ast.Load):
        return [], f"has an element changed (line {subscript.lineno}) in a way lockgate cannot follow"
    if isinstance(parent, ast.Call) and subscript in parent.args and not _is_reading(parent.func, module, module.module):
        return [], f"has an element passed to {_shown(parent.func)}() (line {parent.lineno}), which may change it"
    return [], None


def _constant_key(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
