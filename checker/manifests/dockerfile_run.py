"""Install commands in a Dockerfile: ``RUN`` (shell form, exec form, BuildKit heredocs), read in the stage's
``SHELL``, with the stage's ``ENV`` and ``ARG`` values; and the registry settings ``ENV``/``ARG`` make.

How BuildKit runs each form, and so how it is read here:

- shell form ``RUN cmd …``: the text (continued lines joined) is given to the stage's shell, ``/bin/sh -c`` unless
  a ``SHELL ["pwsh", "-Command"]`` (or cmd) says otherwise;
- a form that opens heredocs (``RUN cat <<EOF > f`` …): the instruction and its heredoc lines are one script;
  ``RUN <<EOF`` alone runs the body as the script (with the program of its ``#!`` line, if it has one);
- exec form ``RUN ["sh", "-c", "…"]``: a shell given ``-c`` reads the string; any other ``RUN ["prog", …]``
  runs the program with those words and no shell (``&&`` and ``|`` there are plain words, not operators);
- BuildKit's own flags (``--mount=…``, ``--network=…``) come first and are not part of the command.

Commands run inside the image, not in the repository: ``-r`` files are not read from the repository (pip needs
``--require-hashes`` to be known as pinned). A downloaded file is followed from ``RUN`` to ``RUN`` within a stage.
"""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING

from checker.manifests import install_commands
from checker.manifests.env_settings import setting_dependencies
from checker.model import Problem
from checker.manifests import shellwords

if TYPE_CHECKING:
    from checker.manifests.dockerfile import Instruction

_DEFAULT_SHELL = ["/bin/sh", "-c"]


class Stage:
    """What a build stage's RUNs share: its SHELL and its ENV/ARG values."""

    __slots__ = ("shell", "env")

    def __init__(self, shell: list[str] | None = None, env: dict[str, str | None] | None = None) -> None:
        self.shell = shell or list(_DEFAULT_SHELL)
        self.env = dict(env or {})

    def copy(self) -> "Stage":
        return Stage(list(self.shell), self.env)


def shell_kind(argv: list[str]) -> str:
    name = argv[0].replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe") if argv else "sh"
    if name in ("pwsh", "powershell"):
        return "pwsh"
    if name == "cmd":
        return "cmd"
    if name in install_commands.SHELLS:
        return "sh"
    return name


def set_shell(stage: Stage, instruction: Instruction, out: install_commands.Collected) -> None:
    try:
        argv = json.loads(instruction.arguments)
    except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep, no array of strings
        argv = None
    if not isinstance(argv, list) or not argv or not all(isinstance(word, str) for word in argv):
        out.problems.append(Problem("SHELL must be a JSON array of strings, such as [\"/bin/bash\", \"-c\"]",
                                    instruction.line))
        return
    stage.shell = argv


def variables(stage: Stage, instruction: Instruction, path: str, out: install_commands.Collected) -> None:
    """``ENV a=b c="d e"``, legacy ``ENV a b``, ``ARG name[=default]``: the stage's values, and registry
    settings as ``config`` dependencies."""
    try:
        words = shellwords.split(instruction.arguments)
    except ValueError:
        out.problems.append(Problem(f"cannot read {instruction.keyword} {instruction.arguments!r}", instruction.line))
        return
    pairs: list[tuple[str, str | None]] = []
    if instruction.keyword == "ENV" and words and "=" not in words[0]:
        pairs.append((words[0], " ".join(words[1:])))
    else:
        for word in words:
            name, eq, written = word.partition("=")
            pairs.append((name, written if eq else stage.env.get(name)))
    for name, value in pairs:
        if value is not None:
            out.dependencies.extend(setting_dependencies(name, value, path, instruction.line))
        stage.env[name] = None if value is None or "$" in value else value


def run(stage: Stage, instruction: Instruction, context: install_commands.Context,
        out: install_commands.Collected) -> None:
    """One ``RUN``: its commands judged as BuildKit would run them."""
    arguments, pieces = _without_flags(instruction.arguments, instruction.pieces)
    context = context._replace(env=stage.env, ci=(stage.env.get("CI") or "").lower() in ("1", "true", "yes"))
    kind = shell_kind(stage.shell)
    if arguments.startswith("["):
        argv = _exec_form(arguments)
        if argv is not None:
            _exec(argv, instruction.line, context, out)
            return
    if instruction.heredocs:
        if all(word.startswith("<<") for word in arguments.split()):
            for body, line, _ in instruction.heredocs:  # RUN <<EOF: each body is a script of its own
                _script_body(body, line, kind, context, out)
            return
        text = arguments
        for _, line, written in instruction.heredocs:
            pieces = pieces + [(len(text) + 1, line)]
            text = text + "\n" + written
            offset = len(text) - len(written)
            for number, body_line in enumerate(written.split("\n")[:-1], 1):
                offset += len(body_line) + 1
                pieces.append((offset, line + number))
        install_commands.scan(text + "\n", instruction.line, context, out, kind, pieces=pieces, expressions=False)
        return
    install_commands.scan(arguments, instruction.line, context, out, kind, pieces=pieces, expressions=False)


def _script_body(body: str, line: int, kind: str, context: install_commands.Context,
                 out: install_commands.Collected) -> None:
    """A heredoc BuildKit runs as a script: with the program of its ``#!`` line, if it has one."""
    if body.startswith("#!"):
        program = body[2:].split("\n", 1)[0].split()
        if program and program[0].rsplit("/", 1)[-1] == "env" and len(program) > 1:
            program = program[1:]
        kind = shell_kind(program[:1])
    install_commands.scan(body, line, context, out, kind, expressions=False)


def _without_flags(arguments: str, pieces: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """``--mount=…``/``--network=…``/``--security=…`` taken off the front (offsets of ``pieces`` moved along)."""
    consumed = 0
    rest = arguments
    while rest.startswith("--"):
        flag, _, after = rest.partition(" ")
        stripped = after.lstrip()
        consumed += len(rest) - len(stripped)
        rest = stripped
    if not consumed:
        return arguments, pieces
    moved = [(max(0, offset - consumed), line) for offset, line in pieces]
    return rest, moved


def _exec_form(arguments: str) -> list[str] | None:
    try:
        argv = json.loads(arguments)
    except (ValueError, RecursionError):
        return None  # not JSON (or nested beyond reading, so no array of strings): BuildKit runs the shell form
    if isinstance(argv, list) and argv and all(isinstance(word, str) for word in argv):
        return argv
    return None


def _exec(argv: list[str], line: int, context: install_commands.Context, out: install_commands.Collected) -> None:
    """``RUN ["sh", "-c", "…"]`` reads the string as a script; ``RUN ["pip", "install", "x"]`` is one command."""
    kind = shell_kind(argv[:1])
    if kind in ("sh", "pwsh", "cmd"):
        for index, word in enumerate(argv[1:], 1):
            lower = word.lower()
            string_follows = lower in ("-c", "/c", "-command", "-encodedcommand") or (
                lower.startswith("-") and not lower.startswith("--") and "c" in lower[1:] and kind == "sh")
            if string_follows and index + 1 < len(argv):
                if lower == "-encodedcommand":
                    out.problems.append(Problem("RUN runs an -EncodedCommand, which lockgate cannot read", line))
                    return
                install_commands.scan(argv[index + 1], line, context, out, kind, expressions=False)
                return
    install_commands.scan(shlex.join(argv), line, context, out, "sh", expressions=False)
