"""tox.ini (and tox's sections of setup.cfg): what tox installs into its environments and into itself.

Read as tox 4 reads it (``tox/config/source/ini.py``, ``tox/config/loader/ini/``): configparser without
interpolation, keys lower-cased, ``[DEFAULT]`` options seen in every section. The core section is ``[tox]``
(``[tox:tox]`` in setup.cfg).

Every line a run of tox could install is a dependency (the union over all environments, since any environment
can be run):
- ``deps`` of every section that has it (``[testenv]``, ``[testenv:NAME]``, ``[pkgenv]``, and sections other
  environments take as ``base``), scope dev; ``constraints`` (constraint files) likewise;
- core ``requires`` (tox plugins, installed into tox's own environment) and ``min_version`` (tox provisions
  ``tox>=min_version``), scope build.

A value is processed as tox processes it: whole-line ``#`` comments dropped, an inline `` # comment`` cut
(``\\#`` is a literal ``#``), a factor condition stripped from its line (``py38,py39: pytest<7`` keeps
``pytest<7``: some environment installs it), lines continued with a trailing backslash joined, and substitutions
replaced: ``{[section]key}`` by that value (read the same way, with its own lines), ``{toxinidir}`` and
``{tox_root}`` by this file's folder, ``{/}`` and ``{:}`` by ``/`` and ``:``. Any other substitution
(``{env:DEPS}``, ``{posargs}``, ``{envname}``) is known only when tox runs: that line is a Problem, never
guessed. ``deps`` lines are pip requirement lines, read by the requirements reader (``-r``/``-c`` includes,
``-e``, ``--index-url``; checker/manifests/pypi_common.py places each at its own line), so includes are listed by
``includes`` and read by the collect stage as requirements files.

Registry settings: ``set_env`` / ``setenv`` entries ``PIP_INDEX_URL``, ``PIP_EXTRA_INDEX_URL``,
``PIP_TRUSTED_HOST``, ``PIP_FIND_LINKS``, ``UV_INDEX_URL``, ``UV_EXTRA_INDEX_URL`` (tox installs with them) are
``config`` dependencies named as pip's and uv's own settings (``pip.index-url``), and an ``install_command`` is a
``config`` dependency ``tox.install_command``: a change to either changes where or how tox installs.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, NamedTuple

from checker.manifests import ini
from checker.manifests.pypi_common import config, env_settings, pip_includes, pip_lines, requirement
from checker.model import Dependency, IndexOption, Manifest, Problem, Reader

if TYPE_CHECKING:
    import configparser

FORMAT = "tox-ini"

# Characters of a factor expression (``py3{8,9}-!django``): what may stand before the ``:`` of a condition.
_FACTOR_EXPRESSION = re.compile(r"[\w.*?!,{}\- ]+")
_REFERENCE = re.compile(r"\[([^\[\]]+)\]([^\[\]]+)")
_MAX_REFERENCE_DEPTH = 20


class Line(NamedTuple):
    """One logical line of a value after tox's processing, with the line of the file it starts on."""

    number: int | None
    text: str


class Collected(NamedTuple):
    """What a tox configuration installs, before the requirement lines are read."""

    deps: list[Line]
    constraints: list[Line]
    requires: list[Line]
    settings: list[Dependency]
    indexes: list[IndexOption]
    problems: list[Problem]


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The dependencies of a tox.ini (or of the tox sections of a setup.cfg); see the module docstring."""
    collected = collect(text, path)
    return manifest_of(collected, path, read, FORMAT)


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The files ``-r``/``-c`` lines and ``constraints`` name, with their lines."""
    try:
        collected = collect(text, path)
    except Exception:  # noqa: BLE001 - an unreadable file names no include; its parse reports it
        return []
    return _includes_of(collected, path)


def _includes_of(collected: Collected, path: str) -> list[tuple[str, int | None]]:
    lines = [(line.number or 0, line.text) for line in collected.deps]
    lines += [(line.number or 0, f"-c {line.text}") for line in collected.constraints]
    return pip_includes(lines, path)


def manifest_of(collected: Collected, path: str, read: Reader, format_name: str) -> Manifest:
    """Read the collected lines: deps and constraints with the requirements reader (dev), requires as PEP 508
    (build)."""
    lines = [(line.number or 0, line.text) for line in collected.deps]
    lines += [(line.number or 0, f"-c {line.text}") for line in collected.constraints]
    read_lines = pip_lines(lines, path, read, "dev", "tox deps")
    dependencies = list(read_lines.dependencies)
    problems = list(collected.problems) + read_lines.problems
    for line in collected.requires:
        found = requirement(line.text, path, line.number, "build", "tox requires")
        if isinstance(found, Problem):
            problems.append(found)
        else:
            dependencies.append(found)
    return Manifest(
        path=path,
        format=format_name,
        ecosystem="pypi",
        dependencies=tuple(dependencies + collected.settings),
        kind="declared",
        includes=tuple(dict.fromkeys(read_lines.includes)),
        indexes=tuple(read_lines.indexes + collected.indexes),
        problems=tuple(dict.fromkeys(problems)),
    )


def collect(text: str, path: str) -> Collected:
    """Every line tox could install from, after tox's processing; a ManifestError when the file is no INI."""
    parser = ini.load(text, path, interpolation=False, keep_case=False)
    located = ini.value_lines(text, keep_case=False)
    core = "tox:tox" if posixpath.basename(path) == "setup.cfg" else "tox"
    values = _Values(parser, located, path)
    deps: dict[tuple[int | None, str], Line] = {}
    constraints: dict[tuple[int | None, str], Line] = {}
    settings: list[Dependency] = []
    indexes: list[IndexOption] = []
    for section in parser.sections():
        if section == core:
            continue
        for key, into in (("deps", deps), ("constraints", constraints)):
            if parser.has_option(section, key):
                for line in values.lines(section, key, f"[{section}] {key}"):
                    into.setdefault((line.number, line.text), line)
        for key in ("set_env", "setenv"):
            if parser.has_option(section, key):
                _set_env(values.lines(section, key, f"[{section}] {key}", substitute=False), path, settings, indexes)
        if parser.has_option(section, "install_command"):
            lines = values.lines(section, "install_command", "install_command", substitute=False)
            command = " ".join(line.text for line in lines)
            number = ini.lines_of(located, section, "install_command", 1)[0]
            settings.append(config("tox.install_command", command, path, number))
    requires: list[Line] = []
    if parser.has_section(core):
        if parser.has_option(core, "requires"):
            requires += values.lines(core, "requires", f"[{core}] requires")
        for key in ("min_version", "minversion"):
            if parser.has_option(core, key):
                for line in values.lines(core, key, f"[{core}] {key}"):
                    requires.append(Line(line.number, f"tox>={line.text}"))
    return Collected(list(deps.values()), list(constraints.values()), requires, _unique(settings), indexes,
                     values.problems)


def _unique(settings: list[Dependency]) -> list[Dependency]:
    return list(dict.fromkeys(settings))


def _set_env(lines: list[Line], path: str, settings: list[Dependency], indexes: list[IndexOption]) -> None:
    """``KEY=VALUE`` lines that set where pip or uv install from."""
    for line in lines:
        key, equals, value = line.text.partition("=")
        if equals:
            found_settings, found_indexes = env_settings(key, value, path, line.number)
            settings += found_settings
            indexes += found_indexes


class _Values:
    """Values of the file processed as tox processes them, with the Problems met on the way."""

    def __init__(self, parser: configparser.ConfigParser, located: dict[tuple[str, str], list[int]], path: str) -> None:
        self.parser = parser
        self.located = located
        self.path = path
        self.problems: list[Problem] = []

    def lines(self, section: str, key: str, what: str, depth: int = 0, substitute: bool = True) -> list[Line]:
        """The logical lines of ``section``'s ``key``: comments cut, factor conditions stripped, continuations
        joined, substitutions replaced (or, for settings kept as written, left as they are)."""
        raw = self.parser.get(section, key)
        raw_lines = raw.split("\n")
        numbers = ini.lines_of(self.located, section, key, len(raw_lines))
        kept: list[Line] = []
        for number, text in zip(numbers, raw_lines):
            if text.startswith("#"):
                continue
            kept.append(Line(number, _strip_factors(_cut_comment(text).replace("\\#", "#"))))
        result: list[Line] = []
        for line in _join_continuations(kept):
            result += self._substitute(line, section, what, depth) if substitute else [Line(line.number, line.text.strip())]
        return [line for line in result if line.text.strip()]

    def _substitute(self, line: Line, section: str, what: str, depth: int) -> list[Line]:
        """Replace ``{...}`` substitutions; a line with one lockgate cannot know is a Problem and left out."""
        if "{" not in line.text:
            return [Line(line.number, line.text.strip())]
        pieces: list[str] = []
        for literal, group in split_substitutions(line.text):
            if group is None:
                pieces.append(literal)
                continue
            found = self._replacement(group, section, what, depth, line.number)
            if found is None:
                return []
            if isinstance(found, list):
                if line.text.strip() == "{" + group + "}":
                    return found  # a whole line that stands for another value: its lines, at their own lines
                pieces.append("\n".join(item.text for item in found))
            else:
                pieces.append(found)
        texts = "".join(pieces).split("\n")
        return [Line(line.number, text.strip()) for text in texts]

    def _replacement(self, group: str, section: str, what: str, depth: int, number: int | None) -> str | list[Line] | None:
        if group in ("toxinidir", "tox_root"):
            return "."
        if group in ("/", ":"):
            return group
        reference = _REFERENCE.fullmatch(group)
        if reference is not None:
            other, key = reference.group(1).strip(), reference.group(2).strip().lower()
            if depth >= _MAX_REFERENCE_DEPTH:
                self.problems.append(Problem(f"{what}: {{{group}}} refers deeper than {_MAX_REFERENCE_DEPTH} "
                                             "levels (a cycle?); lockgate does not follow it", number))
                return None
            if not self.parser.has_option(other, key) if self.parser.has_section(other) else True:
                self.problems.append(Problem(f"{what}: {{{group}}} names no value of this file", number))
                return None
            return self.lines(other, key, f"[{other}] {key}", depth + 1)
        self.problems.append(Problem(
            f"{what}: {{{group}}} is known only when tox runs; lockgate cannot tell what this line installs", number))
        return None


def split_substitutions(text: str) -> list[tuple[str, str | None]]:
    """The text cut into literal runs and outermost ``{...}`` groups (nested braces kept inside the group;
    ``\\{`` and ``\\}`` are literal braces); an unclosed ``{`` is literal. One pass, linear."""
    out: list[tuple[str, str | None]] = []
    literal: list[str] = []
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        if char == "\\" and index + 1 < end and text[index + 1] in "{}":
            literal.append(text[index + 1])
            index += 2
            continue
        if char != "{":
            literal.append(char)
            index += 1
            continue
        depth, scan = 0, index
        while scan < end:
            if text[scan] == "\\" and scan + 1 < end:
                scan += 2
                continue
            if text[scan] == "{":
                depth += 1
            elif text[scan] == "}":
                depth -= 1
                if depth == 0:
                    break
            scan += 1
        if scan >= end:  # never closed: the rest is literal
            literal.append(text[index:])
            break
        out.append(("".join(literal), None))
        literal = []
        out.append(("", text[index + 1 : scan]))
        index = scan + 1
    out.append(("".join(literal), None))
    return [piece for piece in out if piece[1] is not None or piece[0]]


def _cut_comment(line: str) -> str:
    """tox's ``(\\s)*(?<!\\\\)#.*`` removed, without a regular expression that could backtrack: the first ``#``
    not after a backslash, and the white space before it."""
    start = 0
    while True:
        at = line.find("#", start)
        if at < 0:
            return line
        if at > 0 and line[at - 1] == "\\":
            start = at + 1
            continue
        return line[:at].rstrip()


def _strip_factors(line: str) -> str:
    """``py38,!pypy: pytest<7`` -> ``pytest<7``: the condition before the first ``:`` followed by white space or
    the end, when it is a factor expression (tox keeps lines whose prefix is not one whole)."""
    at = -1
    for index, char in enumerate(line):
        if char == ":" and (index + 1 == len(line) or line[index + 1].isspace()):
            at = index
            break
    if at <= 0:
        return line
    condition = line[:at].strip()
    if condition and _FACTOR_EXPRESSION.fullmatch(condition) is not None:
        return line[at + 1 :].strip()
    return line


def _join_continuations(lines: list[Line]) -> list[Line]:
    """Lines ending in a backslash continue on the next (tox joins ``\\`` + newline)."""
    joined: list[Line] = []
    pending: Line | None = None
    for line in lines:
        if pending is not None:
            line = Line(pending.number, pending.text[:-1] + line.text)
            pending = None
        if line.text.endswith("\\") and not line.text.endswith("\\\\"):
            pending = line
            continue
        joined.append(line)
    if pending is not None:
        joined.append(Line(pending.number, pending.text[:-1]))
    return joined
