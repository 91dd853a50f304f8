"""Scripts lockgate reads word by word: PowerShell (``shell: pwsh``/``powershell``, Windows runners' default),
cmd (``shell: cmd``), and a POSIX script the shell reader could not read (an unclosed quote).

Not a parser of those languages: a statement is a run of words ended by a newline, ``;``, ``|``, ``&&``,
``||`` (cmd: also ``&``); quotes group words (``'…'`` literal, ``"…"``; PowerShell's escape is the backquote,
cmd's the caret, which also continue a line); ``$name``, ``$(…)``, ``${…}``, ``%NAME%`` and ``${{ }}`` are
decided at run time (DYNAMIC). That is enough for the package managers, which are programs with the same
arguments in every shell: ``pip install x`` in PowerShell is judged as in bash. PowerShell's own download-and-run
idioms (``iwr URL | iex``, ``Invoke-Expression (New-Object Net.WebClient).DownloadString(URL)``, ``& ([scriptblock]
::Create((irm URL)))``) are found by fetch_and_run.
"""

from __future__ import annotations

from typing import Callable

from checker.manifests.shell import DYNAMIC, Command, Pipeline, Script, Word

_DOWNLOAD_WORDS = ("invoke-webrequest", "iwr", "invoke-restmethod", "irm", "downloadstring", "downloadfile",
                   "start-bitstransfer", "curl", "wget", "net.webclient")


def read(text: str, line: int, kind: str) -> Script:
    escape = {"pwsh": "`", "cmd": "^"}.get(kind, "\\")
    separators = ";|&" if kind != "pwsh" else ";|"
    pipelines: list[Pipeline] = []
    commands: list[Command] = []
    words: list[Word] = []
    value: list[str] = []
    raw_start = -1
    quoted = False
    command_start = 0
    current_line = line
    word_line = line
    position = 0
    n = len(text)

    def end_word(at: int) -> None:
        nonlocal value, raw_start, quoted
        if raw_start >= 0:
            words.append(Word("".join(value), text[raw_start:at], word_line, [], quoted))
        value, raw_start, quoted = [], -1, False

    def end_command(at: int) -> None:
        nonlocal words, command_start
        end_word(at)
        if words:
            command = Command()
            command.words = words
            command.line = words[0].line
            command.text = " ".join(text[command_start:at].split())
            commands.append(command)
        words = []
        command_start = at

    def end_pipeline(at: int) -> None:
        nonlocal commands
        end_command(at)
        if commands:
            pipelines.append(Pipeline(commands))
        commands = []

    while position < n:
        c = text[position]
        if c == escape and position + 1 < n:
            if text[position + 1] == "\n":
                current_line += 1
                position += 2
                continue
            if raw_start < 0:
                raw_start, word_line = position, current_line
            value.append(text[position + 1])
            quoted = True
            position += 2
            continue
        if c == "\n":
            end_pipeline(position)
            current_line += 1
            position += 1
            command_start = position
            continue
        if c in " \t\r":
            end_word(position)
            position += 1
            continue
        if c == "#" and raw_start < 0 and kind != "cmd":
            end = text.find("\n", position)
            position = n if end < 0 else end
            continue
        if c in separators:
            two = text[position:position + 2]
            if c == "|" and two != "||":
                end_command(position)
                position += 1
                command_start = position
                continue
            end_pipeline(position)
            position += 2 if two in ("&&", "||") else 1
            command_start = position
            continue
        if raw_start < 0:
            raw_start, word_line = position, current_line
        if c in "'\"" and text.find(c, position + 1) >= 0:  # an unclosed quote is read as a character
            quoted = True
            end = text.find(c, position + 1)
            inside = text[position + 1:end]
            current_line += inside.count("\n")
            value.append(_dynamic(inside, kind) if c == '"' or "${{" in inside else inside)
            position = end + 1
            continue
        if c == "$" or (c == "%" and kind == "cmd"):
            value.append(DYNAMIC)
            position += 1
            while position < n and (text[position].isalnum() or text[position] in "_{}(%:"):
                position += 1
            continue
        value.append(c)
        position += 1
    end_pipeline(n)
    return Script(pipelines)


def _dynamic(inside: str, kind: str) -> str:
    """A quoted string's value: its expansions as DYNAMIC."""
    if "$" not in inside and "%" not in inside:
        return inside
    out: list[str] = []
    position = 0
    while position < len(inside):
        c = inside[position]
        if c == "$" or (c == "%" and kind == "cmd"):
            out.append(DYNAMIC)
            position += 1
            while position < len(inside) and (inside[position].isalnum() or inside[position] in "_{}(%:"):
                position += 1
            continue
        out.append(c)
        position += 1
    return "".join(out)


def fetch_and_run(text: str, line: int, kind: str, report: Callable[[list[str], str, int], None]) -> None:
    """PowerShell and cmd statements that download and run code in one go (``iwr URL | iex``)."""
    for offset, statement in enumerate(text.split("\n")):
        lower = statement.lower()
        if not any(word in lower for word in _DOWNLOAD_WORDS) or not _has_run_word(lower):
            continue
        urls = [word.strip("'\"(),;") for word in statement.split() if "://" in word]
        report([url for url in urls if url], " ".join(statement.split()), line + offset)


def _has_run_word(lower: str) -> bool:
    """``iex`` or ``invoke-expression`` as a word (not inside another word), or a script block made of text."""
    for token in lower.replace("(", " ").replace(")", " ").replace("|", " ").replace(";", " ").split():
        if token in ("iex", "invoke-expression", "&") or token.startswith("[scriptblock]::create"):
            return True
    return "downloadstring(" in lower and ("iex" in lower.split() or "invoke-expression" in lower)
