"""pylock.toml and pylock.<name>.toml: the standard Python lockfile (PEP 751, lock-version 1.0).

Each ``[[packages]]`` entry names one package that may be installed, with its ``version`` (absent for source
trees), where it comes from (``index``, or exactly one of ``vcs``, ``directory``, ``archive``), the files that
may be installed (``sdist``, ``wheels``; each with a ``hashes`` table ``{algo = hex}``) and a ``marker`` saying
when it is installed.

Scope comes from the marker. A multi-use lock states which extras and dependency groups exist, and markers may
test ``'x' in extras`` and ``'g' in dependency_groups``; the default install sets ``extras`` to nothing and
``dependency_groups`` to ``default-groups``. A package whose marker cannot hold without some other dependency
group is ``dev``; one that needs an extra is ``optional``; everything else is ``prod``. Environment tests
(``python_version``, ``sys_platform``, ...) are treated as "could be either way".

Which packages are direct comes from the sibling pyproject.toml (its PEP 621 dependencies, dependency groups and
tool tables, plus the project itself); without one, or when its dependencies are dynamic, every package counts as
direct. Only lock-version 1.0 is read: PEP 751 lets a reader accept newer minor versions, but lockgate refuses
what it has not been taught rather than miss a key that changes what gets installed.
"""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple, NoReturn

from checker.errors import ManifestError
from checker.manifests import pypi_common, pyproject
from checker.manifests.common import (
    artifact_origin,
    is_blank,
    canonical_pypi_name,
    expect_list,
    expect_str,
    expect_table,
    hash_string,
    line_of,
    load_toml,
    project_name,
)
from checker.model import Dependency, Manifest, Reader, Source

FORMAT = "pylock"
SUPPORTED_LOCK_VERSIONS = ("1.0",)
_PACKAGES_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*packages[ \t]*\]\][ \t]*(?:#.*)?$")


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a PEP 751 lockfile into its locked packages."""
    if is_blank(text):
        raise ManifestError("empty file, expected a pylock.toml lockfile (PEP 751)", path, None)
    data = load_toml(text, path)
    _check_header(data, text, path)
    default_groups = frozenset(_names(data, "default-groups", text, path))
    entries = expect_list(data["packages"], "packages", path, _top_key_line(text, "packages"))
    lines = _header_lines(text, len(entries)) or _inline_lines(text, entries)
    direct = _direct_names(path, read)
    deps = []
    for index, entry in enumerate(entries):
        table = expect_table(entry, "each [[packages]] entry", path, lines[index])
        deps.append(_dependency(table, default_groups, direct, lines[index], path))
    return Manifest(path=path, format=FORMAT, ecosystem="pypi", dependencies=tuple(deps), kind="lock")


def _check_header(data: dict, text: str, path: str) -> None:
    """``lock-version`` (required; only 1.0 is read), ``created-by`` and ``packages`` (required)."""
    supported = ", ".join(SUPPORTED_LOCK_VERSIONS)
    if "lock-version" not in data:
        raise ManifestError(f"no lock-version: expected a PEP 751 lockfile (supported: {supported})", path, 1)
    version = data["lock-version"]
    if not isinstance(version, str) or version not in SUPPORTED_LOCK_VERSIONS:
        raise ManifestError(
            f"unsupported lock-version {version!r} (supported: {supported})", path, _top_key_line(text, "lock-version")
        )
    if "created-by" not in data:
        raise ManifestError("no created-by: PEP 751 requires the name of the tool that wrote the lock", path, 1)
    expect_str(data["created-by"], "created-by", path, _top_key_line(text, "created-by"))
    if "packages" not in data:
        raise ManifestError("no [[packages]]: PEP 751 requires the packages array", path, 1)


def _top_key_line(text: str, key: str) -> int | None:
    """Line of a top-level ``key =`` (the first one in the file), or None."""
    found = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.M).search(text)
    return line_of(text, found.start()) if found else None


def _names(data: dict, key: str, text: str, path: str) -> list[str]:
    line = _top_key_line(text, key)
    values = expect_list(data.get(key, []), key, path, line)
    return [canonical_pypi_name(expect_str(value, f"each of {key}", path, line)) for value in values]


def _header_lines(text: str, count: int) -> list[int | None]:
    """The line of each ``[[packages]]`` header, in order; header-like lines inside multi-line strings are
    skipped. Empty when the count does not match (packages written as an inline array)."""
    lines: list[int | None] = []
    delimiter = None
    for number, line in enumerate(text.splitlines(), start=1):
        if delimiter is None and _PACKAGES_HEADER.match(line):
            lines.append(number)
        delimiter = _multiline_state(line, delimiter)
    return lines if len(lines) == count else []


def _inline_lines(text: str, entries: list) -> list[int | None]:
    """For ``packages = [{ name = ... }, ...]``: the line of each entry's ``name = "..."``, searched in order."""
    lines: list[int | None] = []
    cursor = text.find("packages")
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        found = None
        if isinstance(name, str) and cursor >= 0:
            found = re.compile(rf"""\bname[ \t]*=[ \t]*(["']){re.escape(name)}\1""").search(text, cursor)
        if found:
            lines.append(line_of(text, found.start()))
            cursor = found.end()
        else:
            lines.append(None)
    return lines


def _multiline_state(line: str, delimiter: str | None) -> str | None:
    """Whether a multi-line string (``\"\"\"`` or ``'''``) is still open after this line. Cheap: it counts
    delimiters, which is right for what lock writers emit."""
    if delimiter is not None:
        return None if line.count(delimiter) % 2 == 1 else delimiter
    for candidate in ('"""', "'''"):
        if line.count(candidate) % 2 == 1:
            return candidate
    return None


def _direct_names(path: str, read: Reader) -> frozenset[str] | None:
    sibling = posixpath.join(posixpath.dirname(path), "pyproject.toml")
    text = read(sibling)
    if text is None:
        return None
    return pyproject.direct_names(text, sibling)


def _dependency(
    table: dict, default_groups: frozenset[str], direct: frozenset[str] | None, line: int | None, path: str
) -> Dependency:
    raw_name = pypi_common.required_string(table, "name", "[[packages]] entry", path, line)
    name = project_name(raw_name, "[[packages]] name", path, line)
    what = f"[[packages]] {raw_name!r}"
    version = table.get("version")
    if version is not None:
        version = expect_str(version, f"{what} version", path, line)
    source = _source(table, what, path, line)
    if version is None and source.kind == "git":
        version = source.commit
    marker = table.get("marker")
    if marker is not None:
        marker = expect_str(marker, f"{what} marker", path, line)
    if "dependencies" in table:
        for item in expect_list(table["dependencies"], f"{what} dependencies", path, line):
            expect_table(item, f"each of {what} dependencies", path, line)
    directory = table.get("directory")
    return Dependency(
        ecosystem="pypi",
        name=name,
        version=version,
        specifier=f"=={table['version']}" if "version" in table else "",
        source=source,
        hashes=_all_hashes(table, what, path, line),
        scope=_scope(marker, default_groups, what, path, line),
        direct=True if direct is None else name in direct,
        manifest=path,
        line=line,
        markers=marker,
        editable=isinstance(directory, dict) and directory.get("editable") is True,
    )


def _source(table: dict, what: str, path: str, line: int | None) -> Source:
    """vcs / directory / archive (mutually exclusive source trees and files), else the index, else PyPI."""
    if "vcs" in table:
        vcs = expect_table(table["vcs"], f"{what} vcs", path, line)
        kind = pypi_common.required_string(vcs, "type", f"{what} vcs", path, line)
        location = _location(vcs, f"{what} vcs", path, line)
        commit = pypi_common.required_string(vcs, "commit-id", f"{what} vcs", path, line)
        requested = vcs.get("requested-revision")
        if requested is not None:
            requested = expect_str(requested, f"{what} vcs requested-revision", path, line)
        if kind == "git":
            return Source(kind="git", url=location, ref=requested, commit=commit)
        return Source(kind="url", url=f"{kind}+{location}@{commit}")
    if "directory" in table:
        directory = expect_table(table["directory"], f"{what} directory", path, line)
        return Source(kind="path", url=pypi_common.required_string(directory, "path", f"{what} directory", path, line))
    if "archive" in table:
        archive = expect_table(table["archive"], f"{what} archive", path, line)
        if "url" in archive:
            return Source(kind="url", url=expect_str(archive["url"], f"{what} archive url", path, line))
        return Source(kind="path", url=_location(archive, f"{what} archive", path, line))
    index = expect_str(table["index"], f"{what} index", path, line) if "index" in table else None
    source = pypi_common.registry_source(index)
    hosts = _hosts(table, what, path, line)
    return source._replace(hosts=hosts) if hosts else source


def _hosts(table: dict, what: str, path: str, line: int | None) -> frozenset[str]:
    """The origins of the sdist's and the wheels' ``url``s: where an installer downloads them from, which need not
    be the index."""
    files = [table["sdist"]] if "sdist" in table else []
    if "wheels" in table:
        files += expect_list(table["wheels"], f"{what} wheels", path, line)
    urls = [expect_str(file["url"], f"{what} file url", path, line)
            for file in files if isinstance(file, dict) and "url" in file]
    return frozenset(map(artifact_origin, urls))


def _location(table: dict, what: str, path: str, line: int | None) -> str:
    """``url``, else ``path``: PEP 751 requires one of them."""
    for key in ("url", "path"):
        if key in table:
            return expect_str(table[key], f"{what} {key}", path, line)
    raise ManifestError(f"{what} needs a url or a path", path, line)


def _all_hashes(table: dict, what: str, path: str, line: int | None) -> frozenset[str]:
    """Every hash of every file the entry allows: sdist, each wheel, the archive."""
    hashes: set[str] = set()
    for key in ("sdist", "archive"):
        if key in table:
            hashes |= _file_hashes(table[key], f"{what} {key}", path, line)
    if "wheels" in table:
        for wheel in expect_list(table["wheels"], f"{what} wheels", path, line):
            hashes |= _file_hashes(wheel, f"{what} wheel", path, line)
    return frozenset(hashes)


def _file_hashes(file: object, what: str, path: str, line: int | None) -> set[str]:
    table = expect_table(file, what, path, line)
    hashes = expect_table(table.get("hashes", {}), f"{what} hashes", path, line)
    return {
        hash_string(algorithm, expect_str(digest, f"{what} hash", path, line)) for algorithm, digest in hashes.items()
    }


# ---------------------------------------------------------------------------------------------------------------
# Scope from markers
# ---------------------------------------------------------------------------------------------------------------

class _Scenario(NamedTuple):
    """What the marker variables ``extras`` and ``dependency_groups`` hold. ``None`` for extras: any extra
    might be requested."""

    groups: frozenset[str]
    extras: frozenset[str] | None


def _scope(marker: str | None, default_groups: frozenset[str], what: str, path: str, line: int | None) -> str:
    if marker is None:
        return "prod"
    tree = _MarkerParser(marker, what, path, line).parse()
    if _evaluate(tree, _Scenario(default_groups, None)) is False:
        return "dev"
    if _evaluate(tree, _Scenario(default_groups, frozenset())) is False:
        return "optional"
    return "prod"


def _evaluate(node: tuple, scenario: _Scenario) -> bool | None:
    """Three-valued: True, False, or None when the answer depends on the environment."""
    if isinstance(node, tuple) and node[0] in ("and", "or"):
        values = [_evaluate(child, scenario) for child in node[1:]]
        if node[0] == "and":
            return False if False in values else (None if None in values else True)
        return True if True in values else (None if None in values else False)
    return _compare(node, scenario)


def _compare(node: tuple, scenario: _Scenario) -> bool | None:
    """One ``left op right`` comparison; only tests on extras and dependency groups have a known answer."""
    _, left, operator, right = node
    for variable, value, flipped in ((right, left, False), (left, right, True)):
        if variable in (("var", "extras"), ("var", "extra")):
            if scenario.extras is None:
                return None
            return _membership(value, operator, scenario.extras, flipped)
        if variable == ("var", "dependency_groups"):
            return _membership(value, operator, scenario.groups, flipped)
    return None


def _membership(value: tuple, operator: str, names: frozenset[str], flipped: bool) -> bool | None:
    """``'x' in extras`` / ``'x' not in extras``, and the older ``extra == 'x'`` form."""
    if value[0] != "str":
        return None
    name = canonical_pypi_name(value[1])
    if operator == "in" and not flipped:
        return name in names
    if operator == "not in" and not flipped:
        return name not in names
    if operator == "==":
        return name in names
    if operator == "!=":
        return name not in names
    return None


_MARKER_TOKEN = re.compile(
    r"""\s*(?:(?P<paren>[()])|(?P<str>'[^']*'|"[^"]*")|(?P<op>===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b)"""
    r"""|(?P<bool>and\b|or\b)|(?P<var>[A-Za-z_][A-Za-z0-9_.]*))"""
)


class _MarkerParser:
    """A PEP 508 marker as a tree: ("and"|"or", child, ...) or ("cmp", left, op, right), where left and right are
    ("str", text) or ("var", name). Hand-written because the ``extras`` and ``dependency_groups`` variables of
    PEP 751 need a recent ``packaging``."""

    def __init__(self, text: str, what: str, path: str, line: int | None) -> None:
        self.text, self.what, self.path, self.line = text, what, path, line
        self.tokens = self._tokenize()
        self.position = 0

    def _tokenize(self) -> list[tuple[str, str]]:
        tokens, offset = [], 0
        end = len(self.text.rstrip())  # once: a check of the rest per token would cost the text's length each
        while offset < end:
            found = _MARKER_TOKEN.match(self.text, offset)
            if not found or found.end() == offset:
                self._fail(f"unexpected text at {self.text[offset:].strip()!r}")
            kind = found.lastgroup or ""
            value = found.group(kind)
            tokens.append((kind, " ".join(value.split()) if kind == "op" else value))
            offset = found.end()
        return tokens

    def _fail(self, reason: str) -> NoReturn:
        raise ManifestError(f"{self.what}: invalid marker {self.text!r}: {reason}", self.path, self.line)

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _next(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            self._fail("unexpected end")
        self.position += 1
        return token

    def parse(self) -> tuple:
        tree = self._expression("or")
        extra = self._peek()
        if extra is not None:
            self._fail(f"unexpected {extra[1]!r}")
        return tree

    def _expression(self, joiner: str) -> tuple:
        """``or`` binds loosest, then ``and``, then a parenthesised expression or a comparison."""
        parts = [self._expression("and") if joiner == "or" else self._atom()]
        while self._peek() == ("bool", joiner):
            self._next()
            parts.append(self._expression("and") if joiner == "or" else self._atom())
        return parts[0] if len(parts) == 1 else (joiner, *parts)

    def _atom(self) -> tuple:
        if self._peek() == ("paren", "("):
            self._next()
            tree = self._expression("or")
            if self._next() != ("paren", ")"):
                self._fail("missing ')'")
            return tree
        left = self._value()
        kind, operator = self._next()
        if kind != "op":
            self._fail(f"expected a comparison operator, found {operator!r}")
        return ("cmp", left, operator, self._value())

    def _value(self) -> tuple[str, str]:
        kind, value = self._next()
        if kind == "str":
            return ("str", value[1:-1])
        if kind == "var":
            return ("var", value)
        self._fail(f"expected a variable or a string, found {value!r}")
