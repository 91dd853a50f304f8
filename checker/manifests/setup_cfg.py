"""setup.cfg: setuptools' declarative configuration, and tox's when the file has a ``[tox:tox]`` section.

Read as setuptools reads it (``setuptools/dist.py`` and ``setuptools/config/setupcfg.py``): configparser with
its default ``%(name)s`` interpolation and case-keeping keys, ``[DEFAULT]`` options seen in every section; in
``[options]`` a key written ``Install-Requires`` is ``install_requires`` (setuptools turns dashes into underscores
and lower-cases keys of its own sections; the last spelling written wins), keys of ``[options.extras_require]``
are extra names as written.

What is read (manifest kind ``declared``):
- ``[options] install_requires`` (prod) and ``[options.extras_require]`` (optional; a ``name:marker`` extra adds
  its marker): a list split at line ends, or at ``;`` when written on one line, ``#`` lines dropped; or
  ``file: a.txt, b.txt`` (setuptools 62.6+), the named files read through the snapshot, relative to this file and
  never outside its folder. Such a file is listed by ``includes``, so a change to it alone re-judges this one; its
  requirements are this file's dependencies, at the line of the ``file:`` key.
- ``setup_requires`` (build) and ``tests_require`` (dev): the same lists, without ``file:``.
- ``dependency_links`` and ``[easy_install] index_url`` / ``find_links`` (setuptools hands them to pip when it
  fetches ``setup_requires``): ``config`` dependencies ``setuptools.dependency_links``,
  ``setuptools.easy_install.index_url``, ``setuptools.easy_install.find_links`` (the URL is the version, so a
  change needs review) and ``find-links`` / ``index-url`` indexes, whose hosts registry-source judges.
- tox's configuration (``[tox:tox]``, ``[testenv]``, ``[testenv:NAME]``): see checker/manifests/tox_ini.py.

A value that cannot be read (an interpolation that fails or grows past a bound, a ``file:`` that is missing or
leaves the folder, a string that is no requirement) is a Problem at its line; the rest is still read.
"""

from __future__ import annotations

import configparser
import posixpath

from checker.errors import ManifestError
from checker.manifests import ini
from checker.manifests.pypi_common import config, requirement, setuptools_lines
from checker.model import Dependency, IndexOption, Manifest, Problem, Reader

FORMAT = "setup-cfg"

_LISTS = {"install_requires": "prod", "setup_requires": "build", "tests_require": "dev"}
_WITH_FILES = frozenset({"install_requires"})  # and every extra of [options.extras_require]
_EXTRAS = "options.extras_require"
# setuptools' sections whose keys it normalises (``_skip_setupcfg_normalization``).
_NOT_NORMALISED = frozenset({_EXTRAS, "options.data_files", "options.entry_points", "options.package_data",
                             "options.exclude_package_data"})
# An interpolated value larger than this is not read (``%(a)s%(a)s`` ten levels deep grows a value 1024-fold).
MAX_VALUE = 1_000_000


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The setuptools (and tox) dependencies of a setup.cfg; see the module docstring."""
    parser = ini.load(text, path, interpolation=True, keep_case=True)
    located = ini.value_lines(text, keep_case=True)
    reader = _Reader(parser, located, path, read)
    reader.read_options()
    reader.read_extras()
    reader.read_easy_install()
    dependencies, indexes, includes, problems = reader.dependencies, reader.indexes, reader.includes, reader.problems
    if parser.has_section("tox:tox"):
        from checker.manifests import tox_ini

        tox = tox_ini.parse(text, path, read)
        dependencies += tox.dependencies
        indexes += tox.indexes
        includes += tox.includes
        problems += tox.problems
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem="pypi",
        dependencies=tuple(dependencies),
        kind="declared",
        includes=tuple(dict.fromkeys(includes)),
        indexes=tuple(indexes),
        problems=tuple(problems),
    )


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The files ``file:`` directives name (and tox's ``-r``/``-c`` includes), with the line of their key."""
    try:
        parser = ini.load(text, path, interpolation=True, keep_case=True)
    except ManifestError:
        return []
    reader = _Reader(parser, ini.value_lines(text, keep_case=True), path, lambda _: None)
    found: list[tuple[str, int | None]] = []
    for section, key, _ in reader.requirement_options():
        if section == "options" and key not in _WITH_FILES:
            continue
        value = reader.value(section, key)
        if value is not None and value.lstrip().startswith("file:"):
            line = ini.lines_of(reader.located, section, reader.written.get((section, key), key), 1)[0]
            found.extend((target, line) for _, target in _file_targets(value, path) if target is not None)
    if parser.has_section("tox:tox"):
        from checker.manifests import tox_ini

        found += tox_ini.includes(text, path)
    return found


def _references(raw: str) -> list[str]:
    """The names ``%(name)s`` references in a raw value, found as BasicInterpolation walks it (``%%`` is a literal
    ``%``), in one pass: a ``%(`` without a closing parenthesis ends the walk, as it ends the interpolation."""
    names = []
    position = raw.find("%")
    while 0 <= position < len(raw) - 1:
        following = raw[position + 1]
        if following == "(":
            close = raw.find(")", position + 2)
            if close < 0:
                break
            names.append(raw[position + 2 : close])
            position = raw.find("%", close + 1)
        else:
            position = raw.find("%", position + 2)
    return names


def _file_targets(value: str, path: str) -> list[tuple[str, str | None]]:
    """(as written, repository path) of each file a ``file:`` directive names; the path is None for one that
    leaves this file's folder."""
    folder = posixpath.dirname(path)
    targets: list[tuple[str, str | None]] = []
    for written in value.lstrip()[len("file:") :].split(","):
        written = written.strip()
        if not written:
            continue
        joined = posixpath.normpath(posixpath.join(folder, written.replace("\\", "/")))
        inside = not written.startswith("/") and (folder == "" and not joined.startswith("..") or
                                                  joined.startswith(folder + "/"))
        targets.append((written, joined if inside else None))
    return targets


class _Reader:
    def __init__(
        self, parser: configparser.ConfigParser, located: dict[tuple[str, str], list[int]], path: str, read: Reader
    ) -> None:
        self.parser = parser
        self.located = located
        self.path = path
        self.read = read
        self.dependencies: list[Dependency] = []
        self.indexes: list[IndexOption] = []
        self.includes: list[str] = []
        self.problems: list[Problem] = []
        self.written: dict[tuple[str, str], str] = {}  # (section, setuptools' key) -> the key as written
        self._sizes: dict[tuple[str, str], int] = {}

    # --- keys as setuptools sees them ------------------------------------------------------------------------------

    def _options(self, section: str) -> dict[str, str]:
        """setuptools' key -> the key as written, for a section (the last spelling written wins)."""
        if not self.parser.has_section(section):
            return {}
        keys: dict[str, str] = {}
        for written in self.parser.options(section):
            key = written if section in _NOT_NORMALISED else written.replace("-", "_").lower()
            keys[key] = written
            self.written[(section, key)] = written
        return keys

    def requirement_options(self) -> list[tuple[str, str, str]]:
        """(section, setuptools' key, scope) of every requirement list: [options] lists and every extra."""
        found = [("options", key, scope) for key, scope in _LISTS.items() if key in self._options("options")]
        found += [(_EXTRAS, key, "optional") for key in self._options(_EXTRAS)]
        return found

    def value(self, section: str, key: str) -> str | None:
        """A value interpolated as setuptools gets it; None (and a Problem) when interpolation fails or would
        grow the value past MAX_VALUE."""
        written = self.written.get((section, key), key)
        line = ini.lines_of(self.located, section, written, 1)[0]
        try:
            size = self._size(section, written, 0)
        except RecursionError:
            size = MAX_VALUE + 1
        if size > MAX_VALUE:
            self.problems.append(Problem(f"[{section}] {written}: interpolation makes the value larger than "
                                         f"{MAX_VALUE} characters; lockgate does not read it", line))
            return None
        try:
            return self.parser.get(section, written)
        except configparser.Error as error:
            message = " ".join(str(getattr(error, "message", error)).split())
            self.problems.append(Problem(f"[{section}] {written}: {message}", line))
            return None

    def _size(self, section: str, key: str, depth: int) -> int:
        """An upper bound of the interpolated length (setuptools interpolates at most 10 levels deep)."""
        if (section, key) in self._sizes:
            return self._sizes[(section, key)]
        try:
            raw = self.parser.get(section, key, raw=True)
        except configparser.Error:
            return 0
        size = len(raw)
        if depth <= configparser.MAX_INTERPOLATION_DEPTH and "%(" in raw:
            for name in _references(raw):
                size += self._size(section, self.parser.optionxform(name), depth + 1)
                if size > MAX_VALUE:
                    break
        self._sizes[(section, key)] = size
        return size

    # --- sections ------------------------------------------------------------------------------------------------

    def read_options(self) -> None:
        options = self._options("options")
        for key, scope in _LISTS.items():
            if key in options:
                self._requirement_list("options", key, scope, key, allow_files=key in _WITH_FILES)
        if "dependency_links" in options:
            for url, line in self._list_items("options", "dependency_links", ","):
                self.dependencies.append(config("setuptools.dependency_links", url, self.path, line))
                self.indexes.append(IndexOption("find-links", url, line))

    def read_extras(self) -> None:
        for extra in self._options(_EXTRAS):
            marker = extra.partition(":")[2].strip() or None
            self._requirement_list(_EXTRAS, extra, "optional", f"extras_require[{extra!r}]", True, marker)

    def read_easy_install(self) -> None:
        """``[easy_install] index_url`` and ``find_links``: where setuptools has pip fetch ``setup_requires``."""
        if not self.parser.has_section("easy_install"):
            return
        for written in self.parser.options("easy_install"):
            key = written.replace("-", "_").lower()
            if key == "index_url":
                value = self.value("easy_install", written)
                line = ini.lines_of(self.located, "easy_install", written, 1)[0]
                if value is not None and value.strip():
                    self.dependencies.append(config("setuptools.easy_install.index_url", value.strip(), self.path,
                                                    line))
                    self.indexes.append(IndexOption("index-url", value.strip(), line))
            elif key == "find_links":
                value = self.value("easy_install", written)
                line = ini.lines_of(self.located, "easy_install", written, 1)[0]
                for url in (value or "").split():
                    self.dependencies.append(config("setuptools.easy_install.find_links", url, self.path, line))
                    self.indexes.append(IndexOption("find-links", url, line))

    # --- lists ---------------------------------------------------------------------------------------------------

    def _list_items(self, section: str, key: str, separator: str) -> list[tuple[str, int | None]]:
        """setuptools' ``_parse_list``: one item a line, or split at ``separator`` when on one line."""
        value = self.value(section, key)
        if value is None:
            return []
        written = self.written.get((section, key), key)
        if "\n" in value:
            raw_lines = value.split("\n")
            lines = ini.lines_of(self.located, section, written, len(raw_lines))
            items = [(item.strip(), line) for item, line in zip(raw_lines, lines)]
        else:
            line = ini.lines_of(self.located, section, written, 1)[0]
            items = [(item.strip(), line) for item in value.split(separator)]
        return [(item, line) for item, line in items if item]

    def _requirement_list(
        self, section: str, key: str, scope: str, what: str, allow_files: bool, marker: str | None = None
    ) -> None:
        value = self.value(section, key)
        if value is None:
            return
        written = self.written.get((section, key), key)
        key_line = ini.lines_of(self.located, section, written, 1)[0]
        if allow_files and value.startswith("file:"):
            items = [(item, key_line) for item, _ in self._file_items(value, what, key_line)]
        else:
            items = self._list_items(section, key, ";")
        for item, line in items:
            if item.startswith("#"):
                continue
            for _, text in setuptools_lines(item):
                found = requirement(text, self.path, line, scope, what, marker)
                if isinstance(found, Problem):
                    self.problems.append(found)
                else:
                    self.dependencies.append(found)

    def _file_items(self, value: str, what: str, line: int | None) -> list[tuple[str, int | None]]:
        """The lines of the files a ``file:`` directive names, read through the snapshot, split as setuptools
        splits them (lines, or ``;`` for a one-line text)."""
        texts = []
        for written, target in _file_targets(value, self.path):
            if target is None:
                self.problems.append(Problem(f"{what}: file: {written} is outside this file's folder "
                                             "(setuptools refuses it)", line))
                continue
            content = self.read(target)
            if content is None:
                self.problems.append(Problem(f"{what}: file: {target} is not in the repository (setuptools would "
                                             "skip it, or read it if made at build time)", line))
                continue
            self.includes.append(target)
            texts.append(content)
        joined = "\n".join(texts)
        pieces = joined.splitlines() if "\n" in joined else joined.split(";")
        return [(piece.strip(), line) for piece in pieces if piece.strip()]
