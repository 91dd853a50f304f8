"""conda environment files (``environment.yml``): the conda packages, the pip packages and the channels they come
from, as ``conda env create`` / ``mamba env create`` read them (``conda/env/env.py``: ``name``, ``channels``,
``dependencies``, ``variables``, ``prefix``).

Which files: ``environment.yml`` / ``environment.yaml`` (the name ``conda env create`` looks for) and the usual
variants ``environment-dev.yml``, ``environment_docs.yaml``, ``environment.ci.yml``. A file of such a name that
is a mapping without ``channels`` or ``dependencies`` is some other tool's file and declares nothing here.

The YAML is read by checker/manifests/gha_yaml.py (scalars as written, duplicate keys refused, aliases resolved once,
a line for every value). Manifest kind ``declared`` (an environment file names wants; conda resolves them).
Scope: ``prod``, or ``dev`` when the file name says so (the requirements reader's rule: ``environment-dev.yml``).

- ``dependencies`` entries that are strings are conda packages (ecosystem ``conda``), written as conda's
  MatchSpec::

      spec     := [channel "::"] name [version [build]] ["[" key "=" value, ... "]"] ["#" comment]
                | URL or path of a package file (.conda, .tar.bz2)
      version  := "==" V   (exactly V: the version)     | "=" V   (V and its successors, V*: a range)
                | V        (no operator: exactly V)     | any other constraint (>=, <, !=, ~=, ",", "|", "*")
      build    := after a space, or after "=" (``numpy=1.26.4=py311h64a7726_0``): with a build, an exact
                  version is exactly that version

  A channel (``conda-forge::numpy``, or ``channel=`` in brackets) is the package's Source: conda's own
  URL for a channel name (``https://conda.anaconda.org/conda-forge``; ``defaults`` and no channel are the
  ecosystem's default), so registry-source judges its host.
- The ``pip:`` entry's list is what conda hands to pip as a requirements file, one entry a line, in this file's
  folder: each entry is read by the pip requirements reader (``-r`` includes listed in ``includes``,
  ``--index-url`` and ``--extra-index-url`` as indexes), ecosystem ``pypi``.
- ``channels`` are registry settings: one ``config`` dependency ``conda.channels`` per channel, its version the
  channel as written (credentials removed), so adding or changing a channel needs review.
- ``variables`` that set where pip or uv install from (``PIP_INDEX_URL``...) are registry settings too, named as
  pip's and uv's own keys (``pip.index-url``).

An entry lockgate cannot read (a spec that is no MatchSpec, a mapping other than ``pip:``) is a Problem at its
line; the rest is still read.
"""

from __future__ import annotations

import posixpath
import re

from checker.errors import ManifestError
from checker.manifests.common import always_matching
from checker.manifests import gha_yaml
from checker.manifests.pypi_common import config, env_settings, pip_includes, pip_lines
from checker.model import DEFAULT_SOURCE, Dependency, IndexOption, Manifest, Problem, Reader, Source

FORMAT = "conda-env"

_NAME = re.compile(r"[^ =<>!~\[\]]+")
_PACKAGE_FILE = (".conda", ".tar.bz2")
_OPERATORS = ("==", ">=", "<=", "!=", "~=", "=", ">", "<")
_BRACKET_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=\s*")
_BRACKET_VALUE = always_matching(r"[^, ]*")
# conda's platform subdirectories: ``conda-forge/linux-64::numpy`` names the channel conda-forge.
_SUBDIR = re.compile(r"/(?:noarch|(?:linux|osx|win|zos|emscripten|wasi|freebsd)-[a-z0-9_]+)$")


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The conda packages, pip packages, channels and index settings of an environment file."""
    root = gha_yaml.load(text, path)
    empty = Manifest(path=path, format=FORMAT, ecosystem="conda", dependencies=(), kind="declared")
    if root is None:
        return empty
    if not isinstance(root, gha_yaml.Mapping):
        raise ManifestError(f"expected a mapping (name, channels, dependencies), found {gha_yaml.describe(root)}", path,
                            gha_yaml.line_of(root))
    if root.get("dependencies") is None and root.get("channels") is None:
        return empty
    from checker.manifests.requirements_grammar import scope_for

    scope = scope_for(path)
    reader = _Reader(path, read, scope)
    reader.channels(root.get("channels"))
    reader.variables(root.get("variables"))
    reader.dependencies(root.get("dependencies"))
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem="conda",
        dependencies=tuple(reader.found),
        kind="declared",
        includes=tuple(dict.fromkeys(reader.includes)),
        indexes=tuple(reader.indexes),
        problems=tuple(reader.problems),
    )


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The files ``-r``/``-c`` entries of the ``pip:`` list name, with their lines."""
    try:
        root = gha_yaml.load(text, path)
    except ManifestError:
        return []
    if not isinstance(root, gha_yaml.Mapping):
        return []
    entries = root.get("dependencies")
    found: list[tuple[str, int | None]] = []
    for item in entries.items if isinstance(entries, gha_yaml.Sequence) else []:
        pip = item.get("pip") if isinstance(item, gha_yaml.Mapping) else None
        if isinstance(pip, gha_yaml.Sequence):
            lines = [(entry.line, entry.text) for entry in pip.items if isinstance(entry, gha_yaml.Scalar)]
            found += pip_includes(lines, path)
    return found


class _Reader:
    def __init__(self, path: str, read: Reader, scope: str) -> None:
        self.path = path
        self.read = read
        self.scope = scope
        self.found: list[Dependency] = []
        self.indexes: list[IndexOption] = []
        self.includes: list[str] = []
        self.problems: list[Problem] = []

    def _problem(self, message: str, node: gha_yaml.Node | None) -> None:
        self.problems.append(Problem(message, gha_yaml.line_of(node)))

    def channels(self, node: gha_yaml.Node | None) -> None:
        if node is None or (isinstance(node, gha_yaml.Scalar) and node.null):
            return
        if not isinstance(node, gha_yaml.Sequence):
            self._problem(f"channels must be a list, found {gha_yaml.describe(node)}", node)
            return
        for item in node.items:
            if not isinstance(item, gha_yaml.Scalar) or item.null:
                self._problem(f"each channel must be a name or a URL, found {gha_yaml.describe(item)}", item)
                continue
            self.found.append(config("conda.channels", item.text.strip(), self.path, item.line))

    def variables(self, node: gha_yaml.Node | None) -> None:
        if not isinstance(node, gha_yaml.Mapping):
            return
        for key, line, value in node.items():
            if isinstance(value, gha_yaml.Scalar) and not value.null:
                settings, indexes = env_settings(key, value.text, self.path, line)
                self.found += settings
                self.indexes += indexes

    def dependencies(self, node: gha_yaml.Node | None) -> None:
        if node is None or (isinstance(node, gha_yaml.Scalar) and node.null):
            return
        if not isinstance(node, gha_yaml.Sequence):
            self._problem(f"dependencies must be a list, found {gha_yaml.describe(node)}", node)
            return
        for item in node.items:
            if isinstance(item, gha_yaml.Scalar) and not item.null:
                found = conda_dependency(item.text, self.path, item.line, self.scope)
                if isinstance(found, Problem):
                    self.problems.append(found)
                else:
                    self.found.append(found)
            elif isinstance(item, gha_yaml.Mapping):
                self._mapping(item)
            else:
                self._problem(f"each dependency must be a package spec or a pip: list, found {gha_yaml.describe(item)}",
                              item)

    def _mapping(self, item: gha_yaml.Mapping) -> None:
        for key, line, value in item.items():
            if key != "pip":
                self.problems.append(Problem(f"dependencies: {key!r} is not a section conda reads (only pip:)", line))
                continue
            if value is None or (isinstance(value, gha_yaml.Scalar) and value.null):
                continue
            if not isinstance(value, gha_yaml.Sequence):
                self.problems.append(Problem(f"pip: must be a list, found {gha_yaml.describe(value)}", line))
                continue
            lines = []
            for entry in value.items:
                if isinstance(entry, gha_yaml.Scalar) and not entry.null:
                    lines.append((entry.line, entry.text))
                else:
                    self._problem(f"each pip: entry must be a requirement line, found {gha_yaml.describe(entry)}",
                                  entry)
            read = pip_lines(lines, self.path, self.read, self.scope, "pip")
            self.found += read.dependencies
            self.indexes += read.indexes
            self.includes += read.includes
            self.problems += read.problems


def conda_dependency(spec: str, path: str, line: int | None, scope: str) -> Dependency | Problem:
    """One MatchSpec string as a conda Dependency, or a Problem saying why it is not one."""
    text = spec.partition("#")[0].strip()
    if not text:
        return Problem(f"{spec!r} is not a package spec", line)
    if text.lower().endswith(_PACKAGE_FILE):
        return _package_file(text, path, line, scope)
    brackets: dict[str, str] = {}
    if text.endswith("]") and "[" in text:
        text, _, inside = text[:-1].partition("[")
        found = _brackets(inside)
        if found is None:
            return Problem(f"{spec!r}: the [...] part is not key=value pairs", line)
        brackets = found
    channel = None
    parts = text.rsplit(":", 2)
    if len(parts) == 3:
        channel, text = parts[0] or None, parts[2]
    elif len(parts) == 2:
        text = parts[1]  # a namespace, which conda ignores
    channel = brackets.pop("channel", channel)
    text = text.strip()
    name_match = _NAME.match(text)
    if name_match is None:
        return Problem(f"{spec!r}: no package name", line)
    name = name_match.group().lower()
    rest = text[name_match.end() :].strip()
    version_text, build = _version_and_build(rest)
    version_text = brackets.pop("version", version_text)
    build = brackets.pop("build", build)
    version = _exact(version_text, build)
    specifier = version_text + (f" {build}" if build else "")
    return Dependency(
        ecosystem="conda",
        name=name,
        version=version,
        specifier=specifier,
        source=_channel_source(channel),
        scope=scope,
        direct=True,
        manifest=path,
        line=line,
    )


def _brackets(inside: str) -> dict[str, str] | None:
    """``version='>=1.2', build=py*`` -> {version: '>=1.2', build: 'py*'}; None when it is not such pairs."""
    found: dict[str, str] = {}
    position, end = 0, len(inside)
    while position < end:
        key = _BRACKET_KEY.match(inside, position)
        if key is None:
            return None
        position = key.end()
        if position < end and inside[position] in "'\"":
            close = inside.find(inside[position], position + 1)
            if close < 0:
                return None
            value, position = inside[position + 1 : close], close + 1
        else:
            value = _BRACKET_VALUE(inside, position).group()
            position += len(value)
        found[key.group(1)] = value.strip()
        while position < end and inside[position] in ", ":
            position += 1
    return found


def _version_and_build(rest: str) -> tuple[str, str | None]:
    """conda's ``_parse_version_plus_build``: ``1.26.* py311*`` and ``=1.26.4=py311h0`` split into a version and a
    build string; a constraint (``>=1.2,<2``) is all version."""
    if not rest:
        return "", None
    pieces = rest.split()
    if len(pieces) == 2 and not pieces[1].startswith(_OPERATORS):
        return pieces[0], pieces[1]
    if len(pieces) > 1:
        return "".join(pieces), None  # ">= 1.2": an operator written apart from its version
    operator = next((op for op in _OPERATORS if rest.startswith(op)), "")
    body = rest[len(operator) :]
    if "=" in body and not any(char in body for char in ",|<>!~"):
        version, _, build = body.rpartition("=")
        if version and build:
            return operator + version, build
    return rest, None


def _exact(version: str, build: str | None) -> str | None:
    """The version a spec pins: ``==V``; ``V`` without an operator; ``=V=build``. None for ranges and wildcards
    (``=1.26`` means 1.26*)."""
    if not version or any(char in version for char in "*,|<>!~"):
        return None
    if version.startswith("=="):
        return version[2:] or None
    if version.startswith("="):
        return version[1:] if build else None
    return version


def _channel_source(channel: str | None) -> Source:
    """The registry conda fetches a channel from (its default channel_alias for a name)."""
    if channel is None or channel.strip() in ("", "defaults"):
        return DEFAULT_SOURCE
    channel = _SUBDIR.sub("", channel.strip().rstrip("/"))
    if "://" in channel:
        return Source(kind="registry", url=channel)
    if channel.startswith("pkgs/"):
        return Source(kind="registry", url=f"https://repo.anaconda.com/{channel}")
    return Source(kind="registry", url=f"https://conda.anaconda.org/{channel}")


def _package_file(text: str, path: str, line: int | None, scope: str) -> Dependency | Problem:
    """A package file by URL or path: ``<channel>/<subdir>/<name>-<version>-<build>.conda``."""
    filename = posixpath.basename(text)
    for suffix in _PACKAGE_FILE:
        if filename.lower().endswith(suffix):
            filename = filename[: -len(suffix)]
    pieces = filename.rsplit("-", 2)
    if len(pieces) != 3 or not all(pieces):
        return Problem(f"{text!r}: a package file named other than <name>-<version>-<build>", line)
    name, version, build = pieces
    source = Source(kind="url", url=text) if "://" in text else Source(kind="path", url=text)
    return Dependency(
        ecosystem="conda",
        name=name.lower(),
        version=version,
        specifier=f"=={version} {build}",
        source=source,
        scope=scope,
        direct=True,
        manifest=path,
        line=line,
    )
