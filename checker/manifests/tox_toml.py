"""tox.toml (and ``[tool.tox]`` of a pyproject.toml): tox 4's TOML configuration, read as tox reads it
(``tox/config/source/toml_tox.py``, ``tox/config/loader/toml/``).

The same dependencies as a tox.ini (see checker/manifests/tox_ini.py), the union over all environments:
``deps`` and ``constraints`` of ``env_run_base``, ``env_pkg_base`` and every ``env.NAME`` (scope dev, each entry a
pip requirement line read by the requirements reader), core ``requires`` and ``min_version`` (scope build),
``set_env`` entries that set where pip or uv install from and ``install_command`` (``config`` dependencies).

tox replaces within values: a string's ``{tox_root}`` / ``{toxinidir}`` is this file's folder and ``{/}`` a slash;
a table ``{replace = "ref", of = ["env_run_base", "deps"]}`` (or ``env = "NAME", key = "deps"``) stands for that
value, ``{replace = "if", then = [...], else = [...]}`` for both branches (some run takes each). What only the
run knows (``{replace = "env"}``, ``"posargs"``, ``"glob"``, ``{env:X}`` or ``{posargs}`` in a string) is a
Problem at its line, never guessed.
"""

from __future__ import annotations

import json

from checker.manifests.common import line_of, load_toml
from checker.manifests.pypi_common import config, env_settings, pip_includes
from checker.manifests.tox_ini import Collected, Line, manifest_of, split_substitutions
from checker.model import Dependency, IndexOption, Manifest, Problem, Reader

FORMAT = "tox-toml"
_MAX_DEPTH = 20
_STRING_SUBSTITUTIONS = {"tox_root": ".", "toxinidir": ".", "/": "/", ":": ":"}


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The dependencies of a tox.toml; see the module docstring."""
    return manifest_of(collect(load_toml(text, path), text, path), path, read, FORMAT)


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    try:
        collected = collect(load_toml(text, path), text, path)
    except Exception:  # noqa: BLE001 - an unreadable file names no include; its parse reports it
        return []
    lines = [(line.number or 0, line.text) for line in collected.deps]
    lines += [(line.number or 0, f"-c {line.text}") for line in collected.constraints]
    return pip_includes(lines, path)


def pyproject_includes(tool_tox: dict, text: str, path: str) -> list[tuple[str, int | None]]:
    """The files a pyproject.toml's ``[tool.tox]`` reads in (``-r``/``-c`` in its deps, its constraints)."""
    legacy = tool_tox.get("legacy_tox_ini")
    if isinstance(legacy, str):
        from checker.manifests import tox_ini

        return tox_ini.includes(legacy.replace("\r\n", "\n"), path)
    collected = collect(tool_tox, text, path)
    lines = [(line.number or 0, line.text) for line in collected.deps]
    lines += [(line.number or 0, f"-c {line.text}") for line in collected.constraints]
    return pip_includes(lines, path)


def from_pyproject(tool_tox: dict, text: str, path: str, read: Reader) -> Manifest:
    """What a pyproject.toml's ``[tool.tox]`` installs: the native TOML tables, or the INI text of
    ``legacy_tox_ini`` (read by checker/manifests/tox_ini.py, its lines counted from the line after the key, where
    a multi-line string starts). For pyproject.toml's parser to merge into its own manifest."""
    legacy = tool_tox.get("legacy_tox_ini")
    if isinstance(legacy, str):
        from checker.manifests import tox_ini

        at = text.find("legacy_tox_ini")
        offset = line_of(text, at) if at >= 0 else 0
        collected = tox_ini.collect(legacy.replace("\r\n", "\n"), path)
        collected = _shifted(collected, offset)
    else:
        collected = collect(tool_tox, text, path)
    return manifest_of(collected, path, read, "pyproject")


def _shifted(collected: Collected, offset: int) -> Collected:
    """Lines of an embedded text as lines of the file that embeds it."""

    def move(line: int | None) -> int | None:
        return None if line is None else line + offset

    return Collected(
        [Line(move(line.number), line.text) for line in collected.deps],
        [Line(move(line.number), line.text) for line in collected.constraints],
        [Line(move(line.number), line.text) for line in collected.requires],
        [dep._replace(line=move(dep.line)) for dep in collected.settings],
        [option._replace(line=move(option.line)) for option in collected.indexes],
        [problem._replace(line=move(problem.line)) for problem in collected.problems],
    )


def collect(root: dict, text: str, path: str) -> Collected:
    """Every line a tox TOML configuration (the document of a tox.toml, or ``[tool.tox]``) could install from."""
    reader = _Reader(root, text, path)
    envs: list[tuple[str, dict]] = []
    for base in ("env_run_base", "env_pkg_base"):
        if isinstance(root.get(base), dict):
            envs.append((base, root[base]))
    if isinstance(root.get("env"), dict):
        envs += [(f"env.{name}", table) for name, table in root["env"].items() if isinstance(table, dict)]
    deps: dict[tuple[int | None, str], Line] = {}
    constraints: dict[tuple[int | None, str], Line] = {}
    settings: list[Dependency] = []
    indexes: list[IndexOption] = []
    for name, table in envs:
        for key, into in (("deps", deps), ("constraints", constraints)):
            if key in table:
                for line in reader.strings(table[key], f"[{name}] {key}"):
                    into.setdefault((line.number, line.text), line)
        set_env = table.get("set_env")
        if isinstance(set_env, dict):
            for variable, value in set_env.items():
                if isinstance(value, str):
                    found_settings, found_indexes = env_settings(variable, value, path, reader.line(value))
                    settings += found_settings
                    indexes += found_indexes
        command = table.get("install_command")
        if command is not None:
            shown = json.dumps(command) if not isinstance(command, str) else command
            settings.append(config("tox.install_command", shown, path, reader.key_line("install_command")))
    requires: list[Line] = []
    if "requires" in root:
        requires += reader.strings(root["requires"], "requires")
    for key in ("min_version", "minversion"):
        if isinstance(root.get(key), str):
            requires.append(Line(reader.line(root[key]), f"tox>={root[key]}"))
    return Collected(list(deps.values()), list(constraints.values()), requires, settings, indexes, reader.problems)


class _Reader:
    def __init__(self, root: dict, text: str, path: str) -> None:
        self.root = root
        self.text = text
        self.path = path
        self.problems: list[Problem] = []

    def line(self, value: str) -> int | None:
        """The line of a string as TOML writes it (basic or literal quotes), None when not found."""
        for quoted in (json.dumps(value), f"'{value}'"):
            at = self.text.find(quoted)
            if at >= 0:
                return line_of(self.text, at)
        return None

    def key_line(self, key: str) -> int | None:
        at = self.text.find(key)
        return line_of(self.text, at) if at >= 0 else None

    def strings(self, value: object, what: str, depth: int = 0) -> list[Line]:
        """The strings a value stands for, after tox's replacements; a Problem for each that only the run knows."""
        if depth > _MAX_DEPTH:
            self.problems.append(Problem(f"{what}: references deeper than {_MAX_DEPTH} levels (a cycle?)", None))
            return []
        if isinstance(value, str):
            found = self._substituted(value, what)
            return [] if found is None else [found]
        if isinstance(value, list):
            lines: list[Line] = []
            for item in value:
                lines += self.strings(item, what, depth + 1)
            return lines
        if isinstance(value, dict):
            return self._replacement(value, what, depth)
        self.problems.append(Problem(f"{what}: {value!r} is neither a string nor a list", None))
        return []

    def _replacement(self, value: dict, what: str, depth: int) -> list[Line]:
        kind = value.get("replace")
        if kind == "ref":
            target = self._reference(value)
            if target is None:
                self.problems.append(Problem(f"{what}: a reference to {value.get('of') or value.get('env')} names no "
                                             "value of this file", None))
                return []
            return self.strings(target, what, depth + 1)
        if kind == "if":
            return self.strings(value.get("then", []), what, depth + 1) + self.strings(value.get("else", []), what,
                                                                                      depth + 1)
        shown = json.dumps(value)[:80]
        self.problems.append(Problem(f"{what}: {shown} is known only when tox runs; lockgate cannot tell what it "
                                     "installs", None))
        return []

    def _reference(self, value: dict) -> object | None:
        of = value.get("of")
        if isinstance(of, list) and all(isinstance(part, str) for part in of):
            node: object = self.root
            for part in of:
                if not isinstance(node, dict) or part not in node:
                    return None
                node = node[part]
            return node
        env, key = value.get("env"), value.get("key")
        if isinstance(env, str) and isinstance(key, str):
            envs = self.root.get("env")
            table = envs.get(env) if isinstance(envs, dict) else None
            for candidate in (table, self.root.get("env_run_base")):
                if isinstance(candidate, dict) and key in candidate:
                    found: object = candidate[key]
                    return found
        return None

    def _substituted(self, value: str, what: str) -> Line | None:
        number = self.line(value)
        if "{" not in value:
            return Line(number, value.strip())
        pieces = []
        for literal, group in split_substitutions(value):
            if group is None:
                pieces.append(literal)
            elif group in _STRING_SUBSTITUTIONS:
                pieces.append(_STRING_SUBSTITUTIONS[group])
            else:
                self.problems.append(Problem(f"{what}: {{{group}}} is known only when tox runs; lockgate cannot tell "
                                             "what this line installs", number))
                return None
        return Line(number, "".join(pieces).strip())
