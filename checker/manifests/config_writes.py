"""Registry settings a shell command makes: ``pip config set``, ``npm config set``, ``yarn config set``, a config
file written by the script (``echo "registry=…" > ~/.npmrc``, ``cat > ~/.pip/pip.conf <<EOF``), and variables a
GitHub Actions step hands to the later ones (``echo "PIP_INDEX_URL=…" >> "$GITHUB_ENV"``).

A CI job that points npm at another registry this way changes what every later install fetches as surely as a
committed ``.npmrc``, so each such setting is a ``config`` dependency of the workflow or Dockerfile, named as the
setting's own file names it (``npm.registry``, ``pip.index-url``, ``yarn.npmRegistryServer``), at the command's
line. The text a command writes or sets is read by the parser of that very file (checker/manifests/npmrc.py,
pip_conf.py, yarnrc_yml.py, …), so a setting means the same wherever it is made. A value decided at run time
(``npm config set registry "$URL"``) is the setting's value ``<decided at run time>``, never a pass.
"""

from __future__ import annotations

import posixpath

from checker.errors import ManifestError
from checker.model import Dependency, Problem

# The configuration files lockgate reads, by base name: what a script may write.
_FILES = {".npmrc": ("npmrc", ".npmrc"), ".yarnrc": ("yarnrc", ".yarnrc"), ".yarnrc.yml": ("yarnrc_yml", ".yarnrc.yml"),
          "pip.conf": ("pip_conf", "pip.conf"), "pip.ini": ("pip_conf", "pip.conf"), "uv.toml": ("uv_toml", "uv.toml"),
          "bunfig.toml": ("bunfig", "bunfig.toml"), ".bunfig.toml": ("bunfig", "bunfig.toml")}
_GITHUB_ENV = ("$GITHUB_ENV", "${GITHUB_ENV}")
RUN_TIME = "<decided at run time>"


def file_settings(target: str, text: str, manifest: str, line: int) -> list[Dependency] | Problem | None:
    """The settings of ``text`` written to the file ``target`` (a path as the script writes it), or None when the
    target is no configuration file lockgate reads; a Problem when the text cannot be read as that file."""
    module = _FILES.get(posixpath.basename(target.rstrip("/")))
    if module is None:
        return None
    return _parse(module, text, manifest, line)


def is_github_env(target: str) -> bool:
    return target.strip("'\"") in _GITHUB_ENV


def github_env_lines(text: str) -> list[tuple[str, str]]:
    """``NAME=value`` lines of what a step appends to ``$GITHUB_ENV``, and ``NAME<<DELIMITER`` blocks (the runner's
    syntax for multi-line values)."""
    found = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        name, eq, value = line.partition("=")
        if eq and name.strip() and "<<" not in name:
            found.append((name.strip(), value))
            continue
        name, heredoc, delimiter = line.partition("<<")
        if heredoc and name.strip() and delimiter.strip():
            body = []
            while index < len(lines) and lines[index] != delimiter.strip():
                body.append(lines[index])
                index += 1
            index += 1
            found.append((name.strip(), "\n".join(body)))
    return found


def config_set(tool: str, args: list[str | None], manifest: str, line: int) -> list[Dependency] | Problem | None:
    """``<tool> config set KEY VALUE`` (also ``KEY=VALUE``; npm's ``npm set``): the setting, read by the parser of
    the file the tool writes it to. ``args`` are the words after ``set`` (None: decided at run time); None when
    the words are no setting."""
    words = [word for word in args if word is None or not word.startswith("-")]
    if not words or words[0] is None:
        return Problem(f"{tool} config set of a key decided at run time: what it configures cannot be known", line)
    key = words[0]
    value = words[1] if len(words) > 1 else None
    if value is None and "=" in key and tool in ("npm", "pnpm"):
        key, _, value = key.partition("=")
    shown = RUN_TIME if value is None else value
    if tool in ("npm", "pnpm"):
        return _parse(("npmrc", ".npmrc"), f"{key}={shown}\n", manifest, line)
    if tool == "yarn":
        if key[:1].islower() and "-" in key or key == "registry" or key.startswith("@"):
            return _parse(("yarnrc", ".yarnrc"), f'"{key}" "{shown}"\n', manifest, line)  # Yarn 1's keys
        import json

        return _parse(("yarnrc_yml", ".yarnrc.yml"), f"{key}: {json.dumps(shown)}\n", manifest, line)
    if tool == "pip":
        section, dot, name = key.partition(".")
        if not dot:
            return Problem(f"pip config set {key}: pip wants section.key", line)
        return _parse(("pip_conf", "pip.conf"), f"[{section}]\n{name} = {shown}\n", manifest, line)
    return None


def _parse(module: tuple[str, str], text: str, manifest: str, line: int) -> list[Dependency] | Problem:
    """The ``config`` dependencies of ``text`` read as the file ``module`` names, moved to ``manifest`` and
    ``line`` (where the command that writes them is)."""
    import importlib

    parser = importlib.import_module(f"checker.manifests.{module[0]}")
    try:
        parsed = parser.parse(text, module[1], lambda path: None)
    except ManifestError as error:
        return Problem(f"a {module[1]} a command writes cannot be read: {error.message}", line)
    return [dep._replace(manifest=manifest, line=line) for dep in parsed.dependencies if dep.ecosystem == "config"]
