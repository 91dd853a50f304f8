"""Parser for Go workspaces, ``go.work`` (format "go-work", ecosystem ``go``, kind "declared").

The syntax is checker/manifests/go_modfile.py's (golang.org/x/mod/modfile, workfile.go). A workspace decides which
local modules are built together and may override where any module comes from:

- ``use ./dir`` (a line or a block): a local module of the workspace, a dependency named by the directory as
  written, version None, a ``path`` source (its own go.mod is judged on its own, as every go.mod of the
  repository is). A new ``use`` of a directory outside the reviewed code shows as an added path source.
- ``replace``: as in go.mod (checker/manifests/go_mod.py), and it wins over the modules' own replaces; each is a
  dependency of its own (name = the module replaced, version = the one it applies to, or None for all), indirect,
  with the replacement as source (``path`` or ``module``).
- ``go`` and ``toolchain``: the build dependencies ``go`` and ``toolchain``, as in go.mod.
- ``godebug``: read, nothing installed. Anything else, and any malformed line, is a problem.
"""

from __future__ import annotations

from checker.errors import ManifestError
from checker.manifests import go_modfile
from checker.manifests.go_mod import ECOSYSTEM, Replacement, apply_replacements, read_shared
from checker.manifests.go_modfile import ModfileError
from checker.model import Dependency, Manifest, Problem, Reader, Source

FORMAT = "go-work"
KNOWN_VERBS = frozenset({"go", "toolchain", "godebug", "use", "replace"})


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a go.work (see the module docstring)."""
    try:
        found = go_modfile.statements(text)
    except ModfileError as error:
        raise ManifestError(f"not a go.work lockgate can read: {error.message}", path, error.line) from None
    problems: list[Problem] = []
    deps: list[Dependency] = []
    replacements: list[Replacement] = []
    seen: dict[str, int] = {}
    for statement in found:
        verb = statement.verb
        if verb not in KNOWN_VERBS:
            problems.append(Problem(f"unknown directive {verb!r}", statement.line))
        elif verb == "use":
            if len(statement.args) != 1:
                problems.append(Problem("use: expected `use ./directory`", statement.line))
                continue
            directory = statement.args[0]
            deps.append(Dependency(ECOSYSTEM, directory, None, source=Source(kind="path", url=directory),
                                   manifest=path, line=statement.line))
        elif verb in ("replace", "go", "toolchain"):
            read_shared(statement, path, problems, seen, replacements, deps)
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem=ECOSYSTEM,
        dependencies=tuple(deps + apply_replacements([], replacements, path)),
        kind="declared",
        problems=tuple(problems),
    )
