"""``run:`` steps of workflows and composite actions: the shell that reads them, the environment they see, and
the install commands and registry settings they hold (see install_commands and env_settings).

Which shell reads a step, as GitHub decides it: the step's ``shell:``, else ``defaults.run.shell`` of the job,
else of the workflow, else ``bash`` (``pwsh`` on a Windows runner; composite actions must name one). ``bash``,
``sh`` and custom commands of a POSIX shell (``bash -e {0}``) are read as POSIX shell; ``pwsh``, ``powershell``
and ``cmd`` word by word (windows.py); any other program (``python``, ``perl {0}``) is not read, and a step of
one that names a package manager or downloader is reported as unreadable (a Problem), never passed in silence.

``env:`` at workflow, job (and job container) and step level is both the steps' environment (a literal value is
known to the commands: ``PIP_REQUIRE_HASHES: 1``) and a place where registry settings are made
(``PIP_INDEX_URL: …`` is a ``config`` dependency at the key's line).
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from checker.manifests import gha_expr
from checker.manifests.gha_matrix import matrix_values
from checker.manifests.gha_yaml import Mapping, Node, Scalar, Sequence

if TYPE_CHECKING:
    from checker.manifests.gha_deps import DependencyBuilder

_POSIX = frozenset({"bash", "sh", "dash", "zsh", "ksh", "mksh", "ash"})


class RunContext:
    """What the steps of one job share: environment, default shell and working directory, runner OS, matrix."""

    __slots__ = ("env", "shell", "workdir", "windows", "matrix", "ci")

    def __init__(self, env: dict[str, str | None], shell: str | None, workdir: str | None, windows: bool,
                 matrix: Node | None, ci: bool = True) -> None:
        self.env = env
        self.shell = shell
        self.workdir = workdir
        self.windows = windows
        self.matrix = matrix
        self.ci = ci

    def child(self, mapping: Mapping | None, builder: DependencyBuilder, what: str, runs_on: object = None) -> "RunContext":
        """The context inside a job (or a step's ``env`` only): its own ``env`` and ``defaults.run`` over ours."""
        env = dict(self.env)
        shell, workdir, windows = self.shell, self.workdir, self.windows
        if mapping is not None:
            env.update(environment(builder, mapping.get("env"), f"{what}.env"))
            defaults = mapping.get("defaults")
            run = defaults.get("run") if isinstance(defaults, Mapping) else None
            if isinstance(run, Mapping):
                shell = _text(run.get("shell")) or shell
                directory = run.get("working-directory")
                if directory is not None:
                    workdir = _workdir(_text(directory))
        if runs_on is not None:
            windows = _windows(runs_on)
        return RunContext(env, shell, workdir, windows, self.matrix, self.ci)


def environment(builder: DependencyBuilder, node: object, what: str) -> dict[str, str | None]:
    """An ``env:`` mapping: its registry settings become ``config`` dependencies; returns the values the steps
    see (None for one decided by an expression)."""
    if not isinstance(node, Mapping):
        return {}
    from checker.manifests.env_settings import setting_dependencies

    values: dict[str, str | None] = {}
    for key, line, value in node.items():
        text = value.text if isinstance(value, Scalar) and not value.null else ""
        if isinstance(value, (Mapping, Sequence)):
            continue
        builder.dependencies.extend(setting_dependencies(key, text, builder.path, line))
        values[key] = _known_value(text)
    return values


# Contexts that name a folder of the runner, never a package or a URL: a variable set to one (``VENV:
# ${{ runner.temp }}/venv``) is known to be a local path, written as ``/<context>…`` (an absolute path, which
# lockgate never reads as a repository file).
_PATH_CONTEXTS = ("github.action_path", "github.workspace", "runner.temp", "runner.tool_cache")


def _known_value(text: str) -> str | None:
    """An ``env:`` value as the commands see it: the literal text, a runner folder, or None (decided at run time)."""
    if not gha_expr.has_expression(text):
        return text
    stripped = text.strip()
    for context in _PATH_CONTEXTS:
        for opening in ("${{ " + context + " }}", "${{" + context + "}}"):
            if stripped.startswith(opening):
                rest = stripped[len(opening):]
                if not gha_expr.has_expression(rest) and (not rest or rest.startswith("/")):
                    return f"/{context}{rest}"
    return None


def _text(node: object) -> str | None:
    if isinstance(node, Scalar) and not node.null:
        return node.text.strip()
    return None


def _workdir(text: str | None) -> str | None:
    """A working directory as a repository folder; None when lockgate cannot tell (an expression, an absolute
    path)."""
    if text is None or gha_expr.has_expression(text) or text.startswith(("/", "~", "$")):
        return None
    cleaned = posixpath.normpath(text)
    if cleaned.startswith(".."):
        return None
    return "" if cleaned == "." else cleaned


def _windows(runs_on: object) -> bool:
    """Whether a job runs on a Windows runner (``runs-on: windows-latest``, a list or group naming one)."""
    texts: list[str] = []
    if isinstance(runs_on, Scalar):
        texts.append(runs_on.text)
    elif isinstance(runs_on, Sequence):
        texts.extend(item.text for item in runs_on.items if isinstance(item, Scalar))
    elif isinstance(runs_on, Mapping):
        labels = runs_on.get("labels")
        if isinstance(labels, Scalar):
            texts.append(labels.text)
        elif isinstance(labels, Sequence):
            texts.extend(item.text for item in labels.items if isinstance(item, Scalar))
    return any("windows" in text.lower() and not gha_expr.has_expression(text) for text in texts)


def shell_kind(shell: str | None, windows: bool) -> str:
    """``sh``, ``pwsh``, ``cmd`` or the program a step's shell names."""
    if shell is None or gha_expr.has_expression(shell):
        return "pwsh" if windows and shell is None else "sh"
    program = shell.split()[0] if shell.split() else ""
    name = program.replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe")
    if name in _POSIX:
        return "sh"
    if name in ("pwsh", "powershell"):
        return "pwsh"
    if name == "cmd":
        return "cmd"
    return name or "sh"


def first_line(builder: DependencyBuilder, scalar: Scalar) -> int:
    """The line of a ``run:`` value's first character: the line after ``|``/``>`` for a block scalar."""
    if not scalar.plain and 0 < scalar.line <= len(builder.lines):
        after = builder.lines[scalar.line - 1].partition(":")[2].strip()
        if after.startswith(("|", ">")):
            return scalar.line + 1
    return scalar.line


def add_run(builder: DependencyBuilder, step: Mapping, what: str, context: RunContext, composite: bool) -> None:
    """One step's ``run:``: its install commands and settings, judged in the step's shell and environment."""
    from checker.manifests import install_commands
    from checker.model import Problem

    scalar = step.get("run")
    if not isinstance(scalar, Scalar) or scalar.null:
        return
    step_context = context.child(None, builder, what)
    step_context.env.update(environment(builder, step.get("env"), f"{what}.env"))
    directory = step.get("working-directory")
    workdir = _workdir(_text(directory)) if directory is not None else step_context.workdir
    if composite:
        workdir = None  # a composite action's steps run in the caller's workspace, not this repository
    kind = shell_kind(_text(step.get("shell")) or context.shell, context.windows)
    scripts = [scalar.text]
    inner = gha_expr.single_expression(scalar.text)
    if inner is not None:
        leaves = gha_expr.leaves(inner)
        scripts = [literal for literal in leaves.literals if literal.strip()]
        for key in leaves.matrix_keys:
            values = matrix_values(context.matrix, key)
            if values is None:
                leaves.opaque = True
            else:
                scripts.extend(value for value in values if value.strip())
        if leaves.opaque:
            builder.collected.problems.append(Problem(
                f"{what}.run is the expression {scalar.text.strip()}, decided at run time: lockgate cannot see "
                "what it runs", scalar.line))
    install_context = install_commands.Context(
        path=builder.path, scope=builder.scope, read=builder.read, workdir=workdir, env=step_context.env,
        ci=context.ci)
    line = first_line(builder, scalar)
    for script in scripts:
        install_commands.scan(script, line, install_context, builder.collected, kind)
