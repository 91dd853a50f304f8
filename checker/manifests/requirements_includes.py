"""pip's includes in requirements files: the files ``-r`` and ``-c`` read in, and the check of their graph.

A line reads in a file with ``-r``/``--requirement`` or ``-c``/``--constraint``, in every spelling pip's option
parser accepts (read by checker/manifests/requirements_grammar.py); pip follows the first ``-r`` of a line, else
its first ``-c``, and ignores both on a requirement's line. The path is relative to the including file's folder,
as pip joins it. lockgate must read every file pip reads, so an include pip would fetch (``http:``, ``https:``,
``file:``), an absolute path, a path that climbs above the repository root and a path with an environment
variable (``${VAR}``) are errors at their line; so are, when the graph is walked from a file, an included file
that is not there, a cycle, and more than ``MAX_INCLUDED_FILES`` files. A file reached twice without a cycle (a
diamond) is fine and read once.

``includes`` is the collect stage's scanner for requirements files (``Format.scanner``): it runs on every
requirements file of the tree, even for a commit that touches no manifest, so this module and what it imports
stay light (no packaging, no URL readers; ``benchmarks/suite.py --only startup`` measures that path).
``tests/manifests/test_include_oracle.py`` holds it to pip's own ``parse_requirements``.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, NamedTuple

from checker.errors import ManifestError
from checker.manifests import MAX_INCLUDED_FILES
from checker.manifests.requirements_grammar import ENV_VAR, Options, logical_lines, parse_options, split_args_options

if TYPE_CHECKING:
    from checker.model import Reader

# pip's own pattern (pip/_internal/req/req_file.py): an include pip fetches rather than reads from the repository.
_REMOTE_INCLUDE = re.compile(r"^(http|https|file):", re.I)


class Include(NamedTuple):
    """A ``-r``/``-c`` directive: the file it names (as a repository path) and where it is written."""

    target: str
    path: str
    line: int


def resolve_include(written: str, including: str, line: int) -> str:
    """The repository path of an included file, relative to the including file's directory as pip joins it.
    Remote, absolute, escaping or variable paths are refused: lockgate must be able to read what pip reads."""
    if _REMOTE_INCLUDE.match(written):
        if written.lower().startswith("file:"):
            raise ManifestError(
                f"file: URL includes are not supported ({written}): name the file by a relative path",
                including,
                line,
            )
        raise ManifestError(
            f"remote includes are not supported: lockgate cannot verify what it cannot read ({written})",
            including,
            line,
        )
    variable = ENV_VAR.search(written)
    if variable:
        raise ManifestError(
            f"include {written} uses the environment variable {variable.group(0)}: lockgate cannot know "
            "which file pip would read",
            including,
            line,
        )
    if written.startswith(("/", "\\")) or re.match(r"[A-Za-z]:[\\/]", written):
        raise ManifestError(f"include leaves the repository: {written} is an absolute path", including, line)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(including), written))
    if resolved == ".." or resolved.startswith("../"):
        raise ManifestError(
            f"include leaves the repository: {written} climbs above the repository root", including, line
        )
    return resolved


def include_of(options: Options) -> tuple[str, str] | None:
    """The file an option line includes, as pip picks it: the first ``-r``, else the first ``-c``."""
    if options.get("requirement"):
        return "-r", options.get("requirement")[0]
    if options.get("constraint"):
        return "-c", options.get("constraint")[0]
    return None


def scan_includes(text: str, path: str, strict: bool = True) -> list[Include]:
    """The ``-r``/``-c`` directives of a file, read with the parse's own line and option grammar but without
    reading its requirements. ``strict``: a line pip would refuse is an error; otherwise it is passed over (the
    collect stage only wants to know which files are read: the file's own parse reports the line)."""
    includes = []
    for entry in logical_lines(text.splitlines()):
        if not entry.text or "-" not in entry.text:
            continue
        args, option_text = split_args_options(entry.text)
        if args or not option_text:
            continue
        try:
            options = parse_options(option_text, path, entry.number)
            included = include_of(options)
            if included is not None and not options.get("editable"):
                includes.append(Include(resolve_include(included[1], path, entry.number), path, entry.number))
        except ManifestError:
            if strict:
                raise
    return includes


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The files a requirements file includes (``-r``/``-c`` in every spelling pip accepts), with their lines:
    the same reader as the parse, without reading any requirement."""
    found = scan_includes(text.removeprefix("\ufeff"), path, strict=False)
    return [(include.target, include.line) for include in found]


def check_graph(root: str, directives: list[Include], read: Reader) -> None:
    """Walk the include graph from ``root``, whose own ``-r``/``-c`` are ``directives``: a ManifestError at the
    directive that makes it infinite, open or unreadable."""
    _IncludeGraph(root, read).check(directives)


class _IncludeGraph:
    """Walks the include graph from one file to prove it finite, closed and readable.

    Errors are reported where the offending directive is written: a missing file at the ``-r`` that names
    it, a cycle at the include where the cycle starts (so ``a.txt -> b.txt -> a.txt`` is reported at a.txt's
    ``-r b.txt``). Files reached twice without a cycle (a diamond) are fine and read once.
    """

    def __init__(self, root: str, read: Reader) -> None:
        self.root = root
        self.read = read
        self.checked: set[str] = set()
        self.visited: set[str] = set()

    def check(self, includes: list[Include]) -> None:
        self._walk([self.root], [], includes)

    def _walk(self, chain: list[str], lines: list[Include], includes: list[Include]) -> None:
        for include in includes:
            if include.target in chain:
                start = chain.index(include.target)
                cycle = " -> ".join(chain[start:] + [include.target])
                raise self._error(f"include cycle: {cycle}", lines[start] if start < len(lines) else include)
            if include.target in self.checked:
                continue
            if include.target not in self.visited and len(self.visited) >= MAX_INCLUDED_FILES:
                raise self._error(f"too many included files: more than {MAX_INCLUDED_FILES}", include)
            self.visited.add(include.target)
            text = self.read(include.target)
            if text is None:
                raise self._error(f"include not found: {include.target}", include)
            try:
                nested = scan_includes(text, include.target)
            except ManifestError as exc:
                raise ManifestError(f"{exc.message} (reached from {self.root})", exc.path, exc.line) from None
            self._walk(chain + [include.target], lines + [include], nested)
            self.checked.add(include.target)

    def _error(self, message: str, where: Include) -> ManifestError:
        """An error at the directive that causes it, saying which file's parse reached it when that is
        another file."""
        if where.path != self.root:
            message += f" (reached from {self.root})"
        return ManifestError(message, where.path, where.line)
