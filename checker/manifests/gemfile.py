"""Parser for Bundler's ``Gemfile`` / ``gems.rb`` (format "gemfile", kind "declared").

A Gemfile is Ruby, evaluated by Bundler's DSL (rubygems/rubygems ``bundler/lib/bundler/dsl.rb``). lockgate never
runs it: it reads the statically readable subset below, statement by statement (a statement continues onto the
next line after a ``,``, a ``\\``, an operator or an open bracket), and reports every other statement as a Problem,
so that Ruby code that could change what gets installed is a finding, never a silent skip::

    statement := 'source' STRING ['do']                         a registry (a block: the gems inside use it)
               | 'gem' STRING {',' (STRING | option)}          a gem: name, requirements, options
               | ('group' | 'groups') SYMBOLS [option] 'do'     the gems inside are in those groups
               | ('platforms' | 'platform') SYMBOLS 'do'
               | ('git' | 'path') STRING {',' option} 'do'     the gems inside come from there
               | 'github' STRING {',' option} 'do'
               | 'gemspec' {...} | 'ruby' {...} | 'plugin' STRING {...}  (declared elsewhere, or not a gem)
               | 'git_source(:github) { |repo| "https://github.com/#{repo}.git" }'  (Bundler's own definition)
               | 'end'
    option    := (NAME ':' | SYMBOL '=>') VALUE
    VALUE     := STRING | SYMBOL | 'true' | 'false' | 'nil' | '[' VALUE {',' VALUE} ']' | '%w[...]' | '%i[...]'

STRING is a single- or double-quoted literal without ``#{}`` interpolation (``%q()``/``%Q()`` too). Anything
else (``eval_gemfile``, ``if``/``unless``/``case``, loops, variables, ``ENV[...]``, method definitions, an
interpolated string, an option lockgate does not know, a ``git_source`` of one's own, ``install_if``) is a
Problem on its line; gems inside a conditional are still read, and their statement named in the Problem.

What lockgate makes of a gem: a ``gem`` dependency, version None unless its one requirement is exact (``"1.2.3"``
or ``"= 1.2.3"``), ``specifier`` the requirements joined by ``, `` (``~> 1.2, >= 1.2.3``); ``scope`` ``dev`` when
every group it is in is ``development`` or ``test``, ``optional`` for a group declared ``optional: true``, else
``prod``; ``markers`` ``platforms: ...`` when limited to platforms; ``source``: ``git:`` / ``github:`` /
``gist:`` / ``bitbucket:`` (with ``branch:``/``tag:``/``ref:``), ``path:``, ``source:`` (a registry), or the
enclosing block's, else the Gemfile's global ``source`` (also listed in ``Manifest.indexes``).
``gemspec`` adds the gemspec's own dependencies, which lockgate does not read (the lockfile has them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from checker.errors import ManifestError
from checker.model import Dependency, IndexOption, Manifest, Problem, Reader, Source

FORMAT = "gemfile"
MAX_STATEMENT = 16384
_DEV_GROUPS = frozenset({"development", "test"})
_TOKEN = re.compile(
    r"""\s+|#[^\n]*|(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|%[qQ]?(?P<pct>\((?:[^()\\]|\\.)*\)|\[(?:[^\[\]\\]|\\.)*\]|\{(?:[^{}\\]|\\.)*\})"""
    r"""|%[wi](?P<words>\[[^\]]*\]|\([^)]*\)|\{[^}]*\})|(?P<label>[A-Za-z_][A-Za-z0-9_]*[?!]?):(?!:)|(?P<sym>:[A-Za-z_][A-Za-z0-9_]*[?!]?)"""
    r"""|(?P<sym2>:"[^"\\#]*")|(?P<name>[A-Za-z_][A-Za-z0-9_]*[?!]?)|(?P<num>[0-9][0-9._]*)|(?P<op>=>|[,()\[\]{}|\\])|(?P<other>.)""",
    re.DOTALL,
)
_GITHUB_SOURCE = re.compile(
    r"""git_source\s*\(\s*:github\s*\)\s*(?:\{|do)\s*\|\s*(\w+)\s*\|\s*(?:\w+\s*=\s*"\#\{\1\}/\#\{\1\}"\s+unless\s+\1\.include\?\(\s*"/"\s*\)\s*)?"https://github\.com/\#\{\1\}\.git"\s*(?:\}|end)""")
_KNOWN_OPTIONS = frozenset({"group", "groups", "platform", "platforms", "require", "path", "git", "github", "gist",
                            "bitbucket", "branch", "tag", "ref", "submodules", "source", "glob", "name",
                            "force_ruby_platform", "optional"})
_IGNORED_STATEMENTS = frozenset({"gemspec", "ruby", "plugin"})
# Ruby keywords that open a block closed by `end`: code lockgate does not run.
_BLOCK_KEYWORDS = frozenset({"if", "unless", "case", "while", "until", "for", "begin", "def", "class", "module"})
# Options whose value only decides what Bundler.require loads at run time, not what gets installed: any Ruby is
# fine there (`require: !!ENV["BULLET"]`).
_RUNTIME_OPTIONS = frozenset({"require"})
_CONTINUES = (",", "\\", "(", "[", "{", "=>", "&&", "||", "+")


class Token(NamedTuple):
    kind: str  # str, sym, label, name, num, op, words, other
    value: object


class Block(NamedTuple):
    kind: str  # group, platforms, source, git, path, other
    groups: tuple[str, ...] = ()
    optional: bool = False
    platforms: tuple[str, ...] = ()
    source: Source | None = None
    conditional: bool = False


class _Unreadable(Exception):
    pass


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a Gemfile (see the module docstring)."""
    dependencies: list[Dependency] = []
    problems: list[Problem] = []
    indexes: list[IndexOption] = []
    blocks: list[Block] = []
    default_source = Source("registry")
    for statement, line in _statements(text, path):
        first = statement.split(None, 1)[0] if statement.split() else ""
        if first == "end":
            if statement.strip() != "end":
                problems.append(Problem(f"cannot read {_shown(statement)}", line))
            if blocks:
                blocks.pop()
            else:
                problems.append(Problem("an `end` without a block", line))
            continue
        if _GITHUB_SOURCE.fullmatch(statement.strip()):
            continue
        if first in ("else", "elsif", "when", "in", "rescue", "ensure") and blocks and blocks[-1].conditional:
            continue  # another branch of code already reported (its gems are read and named as conditional)
        if first in _BLOCK_KEYWORDS:
            problems.append(Problem(f"Ruby code lockgate does not run ({_shown(statement)}): what it installs may "
                                    "differ", line))
            blocks.append(Block("other", conditional=True))
            continue
        try:
            tokens = _tokens(statement)
        except _Unreadable as error:
            problems.append(Problem(f"cannot read {_shown(statement)}: {error}", line))
            blocks.extend(_opened_blocks(statement))
            continue
        opens = bool(tokens) and tokens[-1] == Token("name", "do")
        if opens:
            tokens = tokens[:-1]
        head = tokens[0] if tokens else None
        if head is None or head.kind != "name":
            problems.append(Problem(f"cannot read {_shown(statement)}", line))
            continue
        verb = head.value
        try:
            args, options = _arguments(tokens[1:])
        except _Unreadable as error:
            conditional = verb in ("if", "unless", "case", "while", "until", "for")
            problems.append(Problem(f"cannot read {_shown(statement)}: {error}" if not conditional else
                                    f"Ruby code lockgate does not run ({_shown(statement)}): what it installs may "
                                    "differ", line))
            if conditional or opens or _opens_block(statement):
                blocks.append(Block("other", conditional=True))
            continue
        conditional = any(block.conditional for block in blocks)
        if verb == "gem":
            dep, problem = _gem(args, options, blocks, default_source, path, line)
            if problem:
                problems.append(Problem(problem, line))
            if dep is not None:
                dependencies.append(dep)
                if conditional:
                    problems.append(Problem(f"gem {dep.name} is inside Ruby code lockgate does not run: whether "
                                            "it is installed is not known", line))
            continue
        if verb == "source" and len(args) == 1 and isinstance(args[0], str) and not options:
            if opens:
                blocks.append(Block("source", source=Source("registry", url=args[0])))
            else:
                default_source = Source("registry", url=args[0])
            indexes.append(IndexOption("index", args[0], line))
            continue
        if verb in ("group", "groups") and opens and args and all(isinstance(a, Sym) for a in args) \
                and set(options) <= {"optional"}:
            blocks.append(Block("group", groups=tuple(str(a) for a in args), optional=options.get("optional") is True))
            continue
        if verb in ("platforms", "platform") and opens and args and all(isinstance(a, Sym) for a in args) \
                and not options:
            blocks.append(Block("platforms", platforms=tuple(str(a) for a in args)))
            continue
        if verb in ("git", "path", "github") and opens and len(args) == 1 and isinstance(args[0], str):
            source, problem = _block_source(verb, args[0], options)
            if problem:
                problems.append(Problem(problem, line))
            blocks.append(Block(verb, source=source))
            continue
        if verb in _IGNORED_STATEMENTS and not opens:
            continue
        problems.append(Problem(f"Ruby code lockgate does not run ({_shown(statement)}): it may change what gets "
                                "installed", line))
        if opens:
            blocks.append(Block("other", conditional=True))
    return Manifest(path=path, format=FORMAT, ecosystem="gem", dependencies=tuple(dependencies), kind="declared",
                    indexes=tuple(indexes), problems=tuple(problems))


class Sym(str):
    """A Ruby symbol (``:development``), as its name."""


def _shown(statement: str) -> str:
    one_line = " ".join(statement.split())
    return repr(one_line[:80] + ("…" if len(one_line) > 80 else ""))


def _statements(text: str, path: str) -> list[tuple[str, int]]:
    """Statements with the line each starts on: lines joined while one ends in a continuation or leaves a bracket
    open; ``;`` is not split (a statement holding one is not of the grammar, hence a Problem)."""
    found: list[tuple[str, int]] = []
    pending: list[str] = []
    start = 0
    depth = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip() == "__END__" and not pending:
            break
        code = _strip_comment(raw)
        if not pending:
            if not code.strip():
                continue
            start = number
        pending.append(code)
        depth += _depth(code)
        stripped = code.rstrip()
        if depth > 0 or stripped.endswith(_CONTINUES):
            if sum(map(len, pending)) > MAX_STATEMENT:
                raise ManifestError(f"a statement longer than {MAX_STATEMENT} characters", path, start)
            continue
        found.append(("\n".join(pending).replace("\\\n", " "), start))
        pending, depth = [], 0
    if pending:
        found.append(("\n".join(pending), start))
    return found


def _unquoted(line: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each character of ``line`` outside a string literal (a backslash escapes the next
    character inside one); the one scan both the comment and the bracket depth need."""
    quote = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        else:
            yield index, char
        index += 1


def _strip_comment(line: str) -> str:
    """The line without a trailing ``#`` comment (a ``#`` inside a string literal stays)."""
    return next((line[:index] for index, char in _unquoted(line) if char == "#"), line)


def _depth(code: str) -> int:
    """How many brackets the code opens and does not close (outside string literals)."""
    return sum(1 if char in "([" else -1 for _, char in _unquoted(code) if char in "([)]")


def _opens_block(statement: str) -> bool:
    words = statement.split()
    return bool(words) and (words[-1] == "do" or words[0] in ("if", "unless", "case", "while", "until", "for", "def",
                                                                "begin", "class", "module")
                            or words[-1].startswith("|") and "do" in words)


def _opened_blocks(statement: str) -> list[Block]:
    return [Block("other", conditional=True)] if _opens_block(statement) else []


def _tokens(statement: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(statement):
        kind = match.lastgroup
        if kind is None:
            continue  # blanks and comments
        text = match.group(kind)
        if kind == "str":
            if text[0] == '"' and "#{" in text:
                raise _Unreadable("an interpolated string")
            tokens.append(Token("str", _unquote(text)))
        elif kind == "pct":
            whole = match.group(0)
            if whole.startswith("%Q") or whole.startswith("%("):
                if "#{" in text:
                    raise _Unreadable("an interpolated string")
            tokens.append(Token("str", text[1:-1]))
        elif kind == "words":
            words = text[1:-1].split()
            tokens.append(Token("words", [Sym(w) for w in words] if match.group(0)[1] == "i" else words))
        elif kind == "sym":
            tokens.append(Token("sym", Sym(text[1:])))
        elif kind == "sym2":
            tokens.append(Token("sym", Sym(text[2:-1])))
        else:
            tokens.append(Token(kind, text))
    return tokens


def _unquote(text: str) -> str:
    body = text[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\(.)", r"\1", body)


def _arguments(tokens: list[Token]) -> tuple[list[object], dict[str, object]]:
    """Positional literals and options of a call, with or without parentheses."""
    if tokens and tokens[0] == Token("op", "(") and tokens[-1] == Token("op", ")"):
        tokens = tokens[1:-1]
    args: list[object] = []
    options: dict[str, object] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "label" and token.value in _RUNTIME_OPTIONS:
            index = _skip_value(tokens, index + 1)
            options[str(token.value)] = None
        elif token.kind == "label":
            value, index = _value(tokens, index + 1)
            options[str(token.value)] = value
        elif token.kind == "sym" and index + 1 < len(tokens) and tokens[index + 1] == Token("op", "=>"):
            value, index = _value(tokens, index + 2)
            options[str(token.value)] = value
        elif token.kind == "str" and index + 1 < len(tokens) and tokens[index + 1] == Token("op", "=>"):
            value, index = _value(tokens, index + 2)
            options[str(token.value)] = value
        else:
            value, index = _value(tokens, index)
            args.append(value)
        if index < len(tokens):
            if tokens[index] != Token("op", ","):
                raise _Unreadable(f"unexpected {tokens[index].value!r}")
            index += 1
            if index == len(tokens):
                raise _Unreadable("a trailing comma")
    return args, options


def _skip_value(tokens: list[Token], index: int) -> int:
    """The index of the comma that ends the value starting at ``index`` (or the end), whatever Ruby it holds."""
    depth = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "op" and token.value in ("(", "[", "{"):
            depth += 1
        elif token.kind == "op" and token.value in (")", "]", "}"):
            depth -= 1
        elif depth == 0 and token == Token("op", ","):
            return index
        index += 1
    return index


def _value(tokens: list[Token], index: int) -> tuple[object, int]:
    if index >= len(tokens):
        raise _Unreadable("a missing value")
    token = tokens[index]
    if token.kind in ("str", "sym", "words"):
        return token.value, index + 1
    if token.kind == "name" and token.value in ("true", "false", "nil"):
        return {"true": True, "false": False, "nil": None}[str(token.value)], index + 1
    if token == Token("op", "["):
        items: list[object] = []
        index += 1
        while index < len(tokens) and tokens[index] != Token("op", "]"):
            item, index = _value(tokens, index)
            items.append(item)
            if index < len(tokens) and tokens[index] == Token("op", ","):
                index += 1
        if index >= len(tokens):
            raise _Unreadable("an unclosed [")
        return items, index + 1
    raise _Unreadable(f"{token.value!r} is not a literal")


def _gem(args: list[object], options: dict[str, object], blocks: list[Block], default: Source, path: str,
         line: int) -> tuple[Dependency | None, str | None]:
    if not args or not isinstance(args[0], str) or isinstance(args[0], Sym):
        return None, "a gem statement without a literal name"
    name = args[0]
    requirements = [a for a in args[1:] if isinstance(a, str) and not isinstance(a, Sym)]
    for extra in args[1:]:
        if isinstance(extra, list) and all(isinstance(x, str) for x in extra):
            requirements.extend(str(x) for x in extra)
        elif not (isinstance(extra, str) and not isinstance(extra, Sym)):
            return None, f"gem {name}: {extra!r} is not a version requirement"
    unknown = sorted(set(options) - _KNOWN_OPTIONS)
    if unknown:
        return None, (f"gem {name}: option {', '.join(unknown)} is not one lockgate knows (a git_source of the "
                      "Gemfile's own, or Ruby it cannot read): where the gem comes from is not known")
    groups = [g for block in blocks for g in block.groups] + _symbols(options.get("group")) + _symbols(
        options.get("groups"))
    platforms = [p for block in blocks for p in block.platforms] + _symbols(options.get("platforms")) + _symbols(
        options.get("platform"))
    if any(block.optional for block in blocks):
        scope = "optional"
    elif groups and all(group in _DEV_GROUPS for group in groups):
        scope = "dev"
    else:
        scope = "prod"
    source, problem = _gem_source(name, options, blocks, default)
    specifier = ", ".join(" ".join(r.split()) for r in requirements)
    version = None
    if len(requirements) == 1:
        exact = requirements[0].strip()
        exact = exact[1:].strip() if exact.startswith("=") else exact
        if exact and exact[0].isdigit() and all(c.isalnum() or c in ".-" for c in exact):
            version = exact
    return Dependency("gem", name, version, specifier=specifier, source=source, scope=scope, manifest=path,
                      line=line, markers=f"platforms: {', '.join(platforms)}" if platforms else None), problem


def _symbols(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _git_url(kind: str, value: str) -> str:
    if kind == "github":
        return value if "://" in value else f"https://github.com/{value if '/' in value else value + '/' + value}.git"
    if kind == "gist":
        return f"https://gist.github.com/{value}.git"
    if kind == "bitbucket":
        user, _, repo = value.partition("/")
        return f"https://{user}@bitbucket.org/{user}/{repo or user}.git"
    return value


def _gem_source(name: str, options: dict[str, object], blocks: list[Block],
                default: Source) -> tuple[Source, str | None]:
    ref = next((str(options[key]) for key in ("ref", "tag", "branch") if isinstance(options.get(key), str)), None)
    for kind in ("git", "github", "gist", "bitbucket"):
        if kind in options:
            value = options[kind]
            if not isinstance(value, str):
                return default, f"gem {name}: {kind}: is not a string"
            return Source("git", url=_git_url(kind, value), ref=ref, commit=None), None
    if "path" in options:
        return Source("path", url=str(options["path"])), None
    if "source" in options:
        return Source("registry", url=str(options["source"])), None
    for block in reversed(blocks):
        if block.source is not None:
            if block.source.kind == "git" and ref is not None:
                return block.source._replace(ref=ref), None
            return block.source, None
    return default, None


def _block_source(verb: str, value: str, options: dict[str, object]) -> tuple[Source, str | None]:
    if verb == "path":
        return Source("path", url=value), None
    ref = next((str(options[key]) for key in ("ref", "tag", "branch") if isinstance(options.get(key), str)), None)
    return Source("git", url=_git_url(verb, value), ref=ref), None
