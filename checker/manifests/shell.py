"""A reader of POSIX shell scripts (and bash's extensions) that finds the commands a script runs.

Used for workflow ``run:`` steps, composite actions' ``run:`` steps and Dockerfile ``RUN``: lockgate needs every
simple command (``pip install x``), how commands are joined (``curl … | sh``), what a command's words hold
(quotes removed, expansions marked as unknown), and the scripts nested inside words (``$( )``, backquotes,
``<( )``) and heredocs. It never runs anything.

Why not ``shlex``: with ``punctuation_chars`` it splits words and operators, but it knows nothing of ``$( )``
nesting, backquotes, heredocs, backslash-newline continuations (it keeps the newline in the word) or line
numbers, all of which decide what a script runs. The grammar below is POSIX's token recognition (XCU 2.3, 2.6,
2.7.4, 2.9) reduced to what finding commands needs, read in one left-to-right pass without regular expressions
(linear time; nesting is bounded by MAX_DEPTH and MAX_REREADS, so a pathological script is refused, not a hang).

Grammar read (``*`` repeats, ``|`` alternatives)::

    script      := item*                         (up to an unmatched ``)`` inside ``$( )``, else to the end)
    item        := blank | '\\' NEWLINE | NEWLINE | comment | separator | redirect | word
    blank       := SPACE | TAB
    comment     := '#' (any but NEWLINE)*        (only where a word may start)
    separator   := '&&' | '||' | ';;' | ';&' | ';' | '&' | '|&' | '|' | '(' | ')' | NEWLINE
                   ('|' and '|&' join commands into a pipeline; the others end the pipeline)
    redirect    := [digits | '{' name '}'] op word
    op          := '<<<' | '<<-' | '<<' | '<>' | '<&' | '<' | '>>' | '>&' | '>|' | '>' | '&>>' | '&>'
    word        := part+
    part        := '\\' CHAR                     (CHAR literally; '\\' NEWLINE disappears)
                 | "'" (any but "'")* "'"
                 | '$' "'" ansi-c "'"           (bash: \\n, \\xHH, \\NNN, \\uHHHH ... decoded)
                 | '"' dq-part* '"'  |  '$"' dq-part* '"'
                 | '$(' script ')'               (command substitution; ``$((`` arithmetic reads the same way)
                 | '`' text '`'                  (old-style substitution: its text, unescaped, read as a script)
                 | '${' balanced '}'             (parameter expansion; substitutions inside are read)
                 | '${{' any* '}}'               (a GitHub expression, when the caller says the text has them)
                 | '$' (name | digit | one of @*#?-$!)
                 | '<(' script ')' | '>(' script ')'   (bash process substitution, at the start of a word)
                 | any other character but blank, NEWLINE and ``;&|()<>``
    dq-part     := '\\' ('$' | '`' | '"' | '\\' | NEWLINE) | '$…' and '`…`' as above | any but '"'

A heredoc (``<<WORD``, ``<<-WORD``) takes the lines after the end of its line up to a line that is WORD (tabs
stripped for ``<<-``); its body is the command's standard input, and when WORD is unquoted the substitutions in it
are read (they run). Reserved words (``if``, ``then``, ``do``, ``{``, ``!``, …) are dropped where a command
starts, so ``if true; then pip install x; fi`` yields the commands ``true`` and ``pip install x``; ``case``
patterns end at their ``)``.

In a word's ``value`` quotes are removed and every part decided at run time (a variable, a substitution, a glob
is kept as written) is replaced by DYNAMIC: ``pip install "$PKG"`` has the words ``pip``, ``install``, DYNAMIC.
"""

from __future__ import annotations

import re
from bisect import bisect_right

DYNAMIC = "\x00"  # stands in a word's value for a part decided at run time
MAX_DEPTH = 64  # ``$( )`` substitutions nested in one another
# Text read again as a script of its own (a backquote's inside, a heredoc body, ``bash -c '…'``, ``eval``): each
# level costs one more reading of the text, so their nesting is bounded tighter.
MAX_REREADS = 8
_BREAKS = frozenset(" \t\r\n;&|()<>")
# A run of characters that need no attention inside a word, or inside double quotes: one character class, so a
# match is linear in its length whatever the text.
_PLAIN = re.compile(r"[^ \t\r\n;&|()<>\\'\"$`]+")
_PLAIN_DQ = re.compile(r"[^\"\\$`]+")
_RESERVED = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "case", "esac",
                       "in", "{", "}", "!", "function", "select", "[[", "]]", "time", "coproc"})
_SPECIAL_PARAMETERS = frozenset("@*#?-$!0123456789")
_ANSI_SIMPLE = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


class ShellError(ValueError):
    """A script lockgate cannot read: an unclosed quote or substitution, a heredoc without its end, nesting past
    MAX_DEPTH. ``line`` is where the problem starts."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class Script:
    """The pipelines of a script, in the order they are written."""

    __slots__ = ("pipelines",)

    def __init__(self, pipelines: list["Pipeline"]) -> None:
        self.pipelines = pipelines

    def commands(self) -> list["Command"]:
        return [command for pipeline in self.pipelines for command in pipeline.commands]


class Pipeline:
    """Commands joined by ``|``: each one's output is the next one's input."""

    __slots__ = ("commands",)

    def __init__(self, commands: list["Command"]) -> None:
        self.commands = commands


class Substitution:
    """A script inside a word: ``$( )`` or a backquote (its output becomes text) or ``<( )``/``>( )`` (a file
    name that reads its output or feeds its input)."""

    __slots__ = ("kind", "script")

    def __init__(self, kind: str, script: Script) -> None:
        self.kind = kind
        self.script = script


class Word:
    """One word: ``value`` with quotes removed and run-time parts as DYNAMIC, ``raw`` as written."""

    __slots__ = ("value", "raw", "line", "subs", "quoted")

    def __init__(self, value: str, raw: str, line: int, subs: list[Substitution], quoted: bool) -> None:
        self.value = value
        self.raw = raw
        self.line = line
        self.subs = subs
        self.quoted = quoted

    @property
    def static(self) -> bool:
        return DYNAMIC not in self.value

    def __repr__(self) -> str:
        return f"Word({self.raw!r})"


class Heredoc:
    """A heredoc's body (the command's standard input) and the line it starts on."""

    __slots__ = ("body", "line", "expands", "subs", "strip_tabs", "delimiter")

    def __init__(self, delimiter: str, expands: bool, strip_tabs: bool) -> None:
        self.delimiter = delimiter
        self.expands = expands
        self.strip_tabs = strip_tabs
        self.body = ""
        self.line = 0
        self.subs: list[Substitution] = []


class Redirect:
    __slots__ = ("op", "target", "heredoc")

    def __init__(self, op: str, target: Word | None, heredoc: Heredoc | None = None) -> None:
        self.op = op
        self.target = target
        self.heredoc = heredoc


class Command:
    """A simple command: ``VAR=value`` prefixes, words (the first names the program), redirections, the line of
    its first word and its text as written (continuations joined)."""

    __slots__ = ("assignments", "words", "redirects", "line", "text")

    def __init__(self) -> None:
        self.assignments: list[Word] = []
        self.words: list[Word] = []
        self.redirects: list[Redirect] = []
        self.line = 0
        self.text = ""

    def __repr__(self) -> str:
        return f"Command({self.text!r}, line={self.line})"


class _Lines:
    """Offsets to lines. By default every NEWLINE of the text starts a line, counted from ``first``; a caller whose
    text was assembled from several places (a Dockerfile's continued lines) passes the offset where each piece
    starts and its line."""

    __slots__ = ("starts", "numbers")

    def __init__(self, text: str, first: int, pieces: list[tuple[int, int]] | None) -> None:
        if pieces is not None:
            self.starts = [offset for offset, _ in pieces]
            self.numbers = [line for _, line in pieces]
            return
        self.starts = [0]
        self.numbers = [first]
        at = text.find("\n")
        while at >= 0:
            self.starts.append(at + 1)
            self.numbers.append(self.numbers[-1] + 1)
            at = text.find("\n", at + 1)

    def line(self, offset: int) -> int:
        return self.numbers[max(0, bisect_right(self.starts, offset) - 1)]


def read(text: str, line: int = 1, *, expressions: bool = False, rereads: int = 0,
         pieces: list[tuple[int, int]] | None = None) -> Script:
    """The script ``text`` whose first character is on ``line``. ``expressions``: ``${{ … }}`` is a GitHub
    expression (text substituted before the shell runs: a DYNAMIC part wherever it stands, quotes included).
    ``pieces``: (offset, line) where each piece of an assembled text starts. ``rereads``: how many readings this
    text is nested in (see MAX_REREADS). Raises ShellError."""
    if rereads > MAX_REREADS:
        raise ShellError(f"scripts nested in strings more than {MAX_REREADS} levels deep", line)
    reader = _Reader(text, _Lines(text, line, pieces), expressions, rereads)
    script = reader.script(0, closing=False)
    reader.finish()
    return script


class _Reader:
    def __init__(self, text: str, lines: _Lines, expressions: bool, rereads: int) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.lines = lines
        self.expressions = expressions
        self.rereads = rereads
        self.pending: list[Heredoc] = []  # heredocs whose bodies start after the current line

    def line(self, offset: int | None = None) -> int:
        return self.lines.line(self.pos if offset is None else offset)

    def fail(self, message: str, offset: int | None = None) -> ShellError:
        return ShellError(message, self.line(offset))

    def finish(self) -> None:
        if self.pending:
            raise self.fail(f"heredoc <<{self.pending[0].delimiter} is not closed: expected a line "
                            f"{self.pending[0].delimiter}")

    # -- the list of commands ---------------------------------------------------------------------------------

    def script(self, depth: int, closing: bool) -> Script:
        """Commands up to the end, or (``closing``) up to the ``)`` that ends a substitution."""
        text, n = self.text, self.n
        pipelines: list[Pipeline] = []
        pipeline: list[Command] = []
        command = Command()
        start = -1  # offset of the current command's first character
        parens = 0  # subshell parentheses open inside this script
        cases = 0  # ``case`` statements open: a ``)`` ends a pattern

        def end_command(at: int) -> None:
            nonlocal command, start
            if command.words or command.assignments or command.redirects:
                command.text = " ".join(text[start:at].replace("\\\n", " ").split())
                pipeline.append(command)
            command = Command()
            start = -1

        def end_pipeline(at: int) -> None:
            nonlocal pipeline
            end_command(at)
            if pipeline:
                pipelines.append(Pipeline(pipeline))
            pipeline = []

        while self.pos < n:
            c = text[self.pos]
            if c == " " or c == "\t" or c == "\r":
                self.pos += 1
                continue
            if c == "\\" and text.startswith("\n", self.pos + 1):
                self.pos += 2
                continue
            if c == "\n":
                end_pipeline(self.pos)
                self.pos += 1
                self.heredoc_bodies()
                continue
            if c == "#":
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
                continue
            if c == "&" and text.startswith("&>", self.pos):
                if start < 0:
                    start = self.pos
                self.redirect(command)
                continue
            if c == ";" or c == "&" or c == "|":
                two = text[self.pos:self.pos + 2]
                if c == "|" and two != "||":
                    end_command(self.pos)
                    self.pos += 2 if two == "|&" else 1
                    continue
                end_pipeline(self.pos)
                self.pos += 2 if two in ("&&", "||", ";;", ";&") else 1
                if two == ";;" and text.startswith("&", self.pos):
                    self.pos += 1
                continue
            if c == "(":
                end_pipeline(self.pos)
                parens += 1
                self.pos += 1
                continue
            if c == ")":
                if parens > 0:
                    parens -= 1
                elif cases > 0:
                    pass  # the end of a case pattern
                elif closing:
                    end_pipeline(self.pos)
                    self.pos += 1
                    return Script(pipelines)
                end_pipeline(self.pos)
                self.pos += 1
                continue
            if (c == "<" or c == ">") and not text.startswith("(", self.pos + 1):
                if start < 0:
                    start = self.pos
                self.redirect(command)
                continue
            if start < 0:
                start = self.pos
            word = self.word(depth)
            if word is None:
                continue
            if self.pos < n and text[self.pos] in "<>" and _io_number(word.raw):
                continue  # ``2>file``: the digits name a file descriptor
            if not command.words:
                if word.value in _RESERVED and not word.quoted and not command.assignments:
                    if word.value == "esac":
                        cases = max(0, cases - 1)
                    elif word.value == "case":
                        cases += 1
                        skipped = self.skip_words(depth, 2)
                    elif word.value in ("for", "select"):
                        skipped = self.skip_words(depth, None)
                    elif word.value == "function":
                        skipped = self.skip_words(depth, 1)
                    else:
                        skipped = []
                    if skipped:  # their substitutions still run: kept as a command of their own
                        holder = Command()
                        holder.words, holder.line, holder.text = skipped, skipped[0].line, word.value
                        pipeline.append(holder)
                    start = -1
                    continue
                if _is_assignment(word.raw):
                    command.assignments.append(word)
                    command.line = command.line or word.line
                    continue
            command.words.append(word)
            command.line = command.line or word.line
        if closing:
            raise self.fail("a $( ) substitution is not closed: expected )")
        end_pipeline(self.pos)
        return Script(pipelines)

    def skip_words(self, depth: int, count: int | None) -> list[Word]:
        """Words that are not a command: ``case WORD in`` (two), ``function NAME`` (one), ``for NAME in WORDS``
        (up to the separator). Those holding substitutions are returned: what they substitute runs."""
        kept: list[Word] = []
        taken = 0
        while self.pos < self.n and (count is None or taken < count):
            self.blanks()
            if self.pos >= self.n or self.text[self.pos] in ";\n&|":
                break
            if self.text[self.pos] in "()":
                if count is not None:
                    break
                self.pos += 1
                continue
            word = self.word(depth)
            if word is None:
                self.pos += 1  # a lone < or > among for's words
                continue
            taken += 1
            if word.subs:
                kept.append(word)
        return kept

    def blanks(self) -> None:
        while self.pos < self.n and self.text[self.pos] in " \t\r":
            self.pos += 1
        while self.text.startswith("\\\n", self.pos):
            self.pos += 2
            while self.pos < self.n and self.text[self.pos] in " \t\r":
                self.pos += 1

    # -- redirections and heredocs ----------------------------------------------------------------------------

    def redirect(self, command: Command) -> None:
        text = self.text
        for op in ("&>>", "<<<", "<<-", "&>", "<<", "<>", "<&", ">>", ">&", ">|", "<", ">"):
            if text.startswith(op, self.pos):
                break
        self.pos += len(op)
        if op in (">&", "<&") and self.pos < self.n and text[self.pos] in "0123456789-":
            while self.pos < self.n and text[self.pos] in "0123456789-":
                self.pos += 1
            command.redirects.append(Redirect(op, None))
            return
        self.blanks()
        if self.pos >= self.n or (text[self.pos] in "\n;&|()<>" and not text.startswith(("<(", ">("), self.pos)):
            raise self.fail(f"{op} needs a word after it")
        target = self.word(0)
        if target is None:
            raise self.fail(f"{op} needs a word after it")
        if op in ("<<", "<<-"):
            heredoc = Heredoc(target.value.replace(DYNAMIC, ""), not target.quoted, op == "<<-")
            self.pending.append(heredoc)
            command.redirects.append(Redirect(op, target, heredoc))
            return
        command.redirects.append(Redirect(op, target))

    def heredoc_bodies(self) -> None:
        """Read the bodies of the heredocs opened on the line that just ended."""
        text = self.text
        pending, self.pending = self.pending, []
        for heredoc in pending:
            heredoc.line = self.line()
            body_start = self.pos
            while True:
                if self.pos >= self.n:
                    self.pending = [heredoc]
                    raise self.fail(f"heredoc <<{heredoc.delimiter} is not closed: expected a line "
                                    f"{heredoc.delimiter}", body_start)
                end = text.find("\n", self.pos)
                end = self.n if end < 0 else end
                line = text[self.pos:end].rstrip("\r")
                if (line.lstrip("\t") if heredoc.strip_tabs else line) == heredoc.delimiter:
                    heredoc.body = text[body_start:self.pos]
                    self.pos = min(end + 1, self.n)
                    break
                self.pos = end + 1
            if heredoc.strip_tabs:
                heredoc.body = "\n".join(line.lstrip("\t") for line in heredoc.body.split("\n"))
            if heredoc.expands and ("$" in heredoc.body or "`" in heredoc.body):
                heredoc.subs = self.substitutions_in(heredoc.body, heredoc.line)

    def substitutions_in(self, body: str, line: int) -> list[Substitution]:
        """The substitutions of an expanding heredoc body (read as the inside of double quotes)."""
        if self.rereads + 1 > MAX_REREADS:
            raise ShellError(f"scripts nested in strings more than {MAX_REREADS} levels deep", line)
        inner = _Reader(body, _Lines(body, line, None), self.expressions, self.rereads + 1)
        subs: list[Substitution] = []
        value: list[str] = []
        while inner.pos < inner.n:
            c = body[inner.pos]
            if c == "\\":
                inner.pos += 2
            elif c == "$":
                inner.dollar(value, subs, 0)
            elif c == "`":
                inner.backquote(value, subs)
            else:
                inner.pos += 1
        return subs

    # -- words ------------------------------------------------------------------------------------------------

    def word(self, depth: int) -> Word | None:
        """The word at ``pos`` (a process substitution included), or None for nothing (a lone ``\\``+NEWLINE)."""
        text, n = self.text, self.n
        start = self.pos
        line = self.line()
        value: list[str] = []
        subs: list[Substitution] = []
        quoted = False
        if text.startswith(("<(", ">("), self.pos):
            kind = text[self.pos:self.pos + 2]
            self.pos += 2
            subs.append(Substitution(kind, self.nested(depth)))
            value.append(DYNAMIC)
        while self.pos < n:
            c = text[self.pos]
            if c in _BREAKS:
                break
            if c == "\\":
                if self.pos + 1 >= n:
                    self.pos += 1
                    break
                nxt = text[self.pos + 1]
                self.pos += 2
                if nxt != "\n":
                    value.append(nxt)
                    quoted = True
                continue
            if c == "'":
                quoted = True
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise self.fail("a single quote is not closed", start)
                self.literal(text[self.pos + 1:end], value)
                self.pos = end + 1
                continue
            if c == '"':
                quoted = True
                self.pos += 1
                self.double_quoted(value, subs, depth)
                continue
            if c == "$":
                if text.startswith("$'", self.pos):
                    quoted = True
                    self.ansi_c(value)
                    continue
                if text.startswith('$"', self.pos):
                    quoted = True
                    self.pos += 2
                    self.double_quoted(value, subs, depth)
                    continue
                self.dollar(value, subs, depth)
                continue
            if c == "`":
                self.backquote(value, subs)
                continue
            plain = _PLAIN.match(text, self.pos)
            if plain is None:  # cannot happen: every character the class leaves out is handled above
                raise self.fail(f"unexpected {c!r}")
            value.append(plain.group())
            self.pos = plain.end()
        if self.pos == start:
            return None
        return Word("".join(value), text[start:self.pos], line, subs, quoted)

    def literal(self, inside: str, value: list[str]) -> None:
        """Single-quoted text: literal, except that a GitHub expression is substituted before the shell runs."""
        if self.expressions and "${{" in inside:
            value.append(_mark_expressions(inside))
        else:
            value.append(inside)

    def double_quoted(self, value: list[str], subs: list[Substitution], depth: int) -> None:
        text, n = self.text, self.n
        start = self.pos - 1
        while self.pos < n:
            c = text[self.pos]
            if c == '"':
                self.pos += 1
                return
            if c == "\\" and self.pos + 1 < n and text[self.pos + 1] in '$`"\\\n':
                if text[self.pos + 1] != "\n":
                    value.append(text[self.pos + 1])
                self.pos += 2
                continue
            if c == "$":
                self.dollar(value, subs, depth)
                continue
            if c == "`":
                self.backquote(value, subs)
                continue
            plain = _PLAIN_DQ.match(text, self.pos)
            if plain is None:  # a lone backslash
                value.append(c)
                self.pos += 1
                continue
            value.append(plain.group())
            self.pos = plain.end()
        raise self.fail("a double quote is not closed", start)

    def ansi_c(self, value: list[str]) -> None:
        """bash's ``$'…'``: escapes decoded; ``\\cX`` and anything unusual is DYNAMIC."""
        text, n = self.text, self.n
        start = self.pos
        self.pos += 2
        while self.pos < n:
            c = text[self.pos]
            if c == "'":
                self.pos += 1
                return
            if c != "\\":
                value.append(c)
                self.pos += 1
                continue
            if self.pos + 1 >= n:
                break
            e = text[self.pos + 1]
            self.pos += 2
            if e in _ANSI_SIMPLE:
                value.append(_ANSI_SIMPLE[e])
            elif e in "xuU":
                width = {"x": 2, "u": 4, "U": 8}[e]
                digits = _take(text, self.pos, width, "0123456789abcdefABCDEF")
                self.pos += len(digits)
                value.append(chr(int(digits, 16)) if digits and int(digits, 16) < 0x110000 else DYNAMIC)
            elif e in "01234567":
                digits = e + _take(text, self.pos, 2, "01234567")
                self.pos += len(digits) - 1
                value.append(chr(int(digits, 8) & 0xFF))
            else:
                value.append(DYNAMIC)
        raise self.fail("a $'…' string is not closed", start)

    def dollar(self, value: list[str], subs: list[Substitution], depth: int) -> None:
        """A ``$`` expansion at ``pos``: its value is DYNAMIC; substitutions inside are read."""
        text, n = self.text, self.n
        nxt = text[self.pos + 1] if self.pos + 1 < n else ""
        if nxt == "(":
            self.pos += 2
            subs.append(Substitution("$(", self.nested(depth)))
            value.append(DYNAMIC)
            return
        if nxt == "{":
            if self.expressions and text.startswith("{{", self.pos + 1):
                end = text.find("}}", self.pos + 3)
                if end < 0:
                    raise self.fail("a ${{ expression is not closed: expected }}")
                self.pos = end + 2
                value.append(DYNAMIC)
                return
            self.braces(subs, depth)
            value.append(DYNAMIC)
            return
        if nxt.isalpha() or nxt == "_":
            self.pos += 1
            while self.pos < n and (text[self.pos].isalnum() or text[self.pos] == "_"):
                self.pos += 1
            value.append(DYNAMIC)
            return
        if nxt and nxt in _SPECIAL_PARAMETERS:
            self.pos += 2
            value.append(DYNAMIC)
            return
        value.append("$")
        self.pos += 1

    def braces(self, subs: list[Substitution], depth: int) -> None:
        """``${…}``: to its matching brace; quotes and substitutions inside are read (they run)."""
        text, n = self.text, self.n
        start = self.pos
        self.pos += 2
        level = 1
        ignored: list[str] = []
        while self.pos < n:
            c = text[self.pos]
            if c == "\\":
                self.pos += 2
            elif c == "}":
                level -= 1
                self.pos += 1
                if level == 0:
                    return
            elif c == "{":
                level += 1
                self.pos += 1
            elif c == "'":
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise self.fail("a single quote is not closed", self.pos)
                self.pos = end + 1
            elif c == '"':
                self.pos += 1
                self.double_quoted(ignored, subs, depth)
            elif c == "$":
                if text.startswith("${", self.pos):
                    level += 1
                    self.pos += 2
                else:
                    self.dollar(ignored, subs, depth)
            elif c == "`":
                self.backquote(ignored, subs)
            else:
                self.pos += 1
        raise self.fail("a ${ expansion is not closed: expected }", start)

    def nested(self, depth: int) -> Script:
        """The script of a ``$(``, ``<(`` or ``>(`` whose opening is just behind ``pos``."""
        if depth + 1 > MAX_DEPTH:
            raise self.fail(f"substitutions nested more than {MAX_DEPTH} levels deep")
        return self.script(depth + 1, closing=True)

    def backquote(self, value: list[str], subs: list[Substitution]) -> None:
        """```…```: the text up to the next unescaped backquote, ``\\``, ``\\` `` and ``\\$`` unescaped, read
        as a script of its own (bounded by MAX_REREADS: each level is read again)."""
        text, n = self.text, self.n
        start = self.pos
        line = self.line()
        self.pos += 1
        inside: list[str] = []
        while self.pos < n:
            c = text[self.pos]
            if c == "\\" and self.pos + 1 < n and text[self.pos + 1] in "\\`$":
                inside.append(text[self.pos + 1])
                self.pos += 2
                continue
            if c == "`":
                self.pos += 1
                body = "".join(inside)
                script = read(body, line, expressions=self.expressions, rereads=self.rereads + 1) if body.strip() \
                    else Script([])
                subs.append(Substitution("`", script))
                value.append(DYNAMIC)
                return
            inside.append(c)
            self.pos += 1
        raise self.fail("a backquote substitution is not closed", start)


def _take(text: str, start: int, most: int, allowed: str) -> str:
    end = start
    while end < len(text) and end - start < most and text[end] in allowed:
        end += 1
    return text[start:end]


def _mark_expressions(text: str) -> str:
    """``${{ … }}`` in literal text replaced by DYNAMIC."""
    out = []
    position = 0
    while True:
        start = text.find("${{", position)
        if start < 0:
            out.append(text[position:])
            return "".join(out)
        end = text.find("}}", start + 3)
        out.append(text[position:start])
        out.append(DYNAMIC)
        if end < 0:
            return "".join(out)
        position = end + 2


def _io_number(raw: str) -> bool:
    return raw.isdigit() or (raw.startswith("{") and raw.endswith("}") and len(raw) > 2)


def _is_assignment(raw: str) -> bool:
    """``NAME=…`` or ``NAME+=…`` with a valid name written plainly."""
    name, eq, _ = raw.partition("=")
    if not eq:
        return False
    if name.endswith("+"):
        name = name[:-1]
    return bool(name) and (name[0].isalpha() or name[0] == "_") and all(c.isalnum() or c == "_" for c in name)
