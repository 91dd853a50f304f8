"""Parser for Go's ``go.mod`` (format "go-mod", ecosystem ``go``, kind "declared").

The syntax is checker/manifests/go_modfile.py's (golang.org/x/mod/modfile). What each directive becomes:

- ``require path version [// indirect]`` (a line or a block): one dependency, name = the module path as written
  (module paths are case-sensitive: ``github.com/Sirupsen/logrus`` and ``github.com/sirupsen/logrus`` are two
  modules), version = the canonical Go version (``v1.2`` reads ``v1.2.0``; ``+incompatible`` kept), specifier =
  the version as written, ``direct`` False for ``// indirect`` (modfile ``isIndirect``: the suffix comment is
  ``indirect`` or starts ``indirect;``), scope ``prod``. go.mod versions are minimums that minimal version selection
  settles on, so the file is "declared"; the hashes are go.sum's (checker/manifests/go_sum.py).
- ``replace old [v] => new [v]`` changes where a required module comes from: to a local directory
  (modfile ``IsDirectoryPath``) it is a ``path`` source, to another module a ``module`` source (url = that module's
  path, ref = its version): the code built is not the registry's copy of the module named. A replace with a version
  applies to that version only, one without to every version. A require it applies to carries the replacement as
  its source (so a new or edited replace is that module's ``source-changed``); a replace that applies to no require
  of the file (a transitive module in a pre-1.17 go.mod, or a version not required) is a dependency of its own,
  indirect, so that adding one is still a change.
- ``go 1.22`` and ``toolchain go1.22.3``: the dependencies ``go`` and ``toolchain`` (the names the go command gives
  them in ``go get go@1.22``), scope ``build``: since Go 1.21 a newer ``go`` or ``toolchain`` line makes the go
  command download and run that toolchain (GOTOOLCHAIN=auto), so a change of either is a change of what runs.
- ``module``: the module's own path, required once. ``exclude`` and ``retract``: read and checked, not dependencies
  (an exclude installs nothing: the version MVS picks instead shows in the requires and in go.sum; a retraction
  speaks to this module's users). ``godebug``, ``tool``, ``ignore``: read, nothing installed.

Reported as problems (unreadable-manifest) rather than skipped, since the go command would refuse the file or
resolve something lockgate cannot see: an unknown directive, a malformed line, a version that is not a Go version
(``master``: the go command resolves it to a commit at build time), a module path the go command refuses.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.errors import ManifestError
from checker.manifests import go_modfile
from checker.manifests.go_modfile import ModfileError, Statement
from checker.model import DEFAULT_SOURCE, Dependency, Manifest, Problem, Reader, Source

FORMAT = "go-mod"
ECOSYSTEM = "go"
KNOWN_VERBS = frozenset({"module", "go", "toolchain", "godebug", "require", "exclude", "replace", "retract", "tool",
                         "ignore"})
# The names the go command gives the go and toolchain lines (``go get go@1.22 toolchain@go1.22.3``): no module path
# is one of them (a module path's first element holds a dot), and no registry is asked about them.
DIRECTIVE_NAMES = frozenset({"go", "toolchain"})


class Replacement(NamedTuple):
    """One ``replace``: the module (and version, None for all) it replaces, and where the code comes from."""

    path: str
    version: str | None
    source: Source
    line: int


def replacement_source(new_path: str, new_version: str | None) -> Source:
    """A local directory is a ``path`` source; another module at a version a ``module`` source."""
    if new_version is None:
        return Source(kind="path", url=new_path)
    return Source(kind="module", url=new_path, ref=new_version)


def read_replace(statement: Statement, problems: list[Problem]) -> Replacement | None:
    """modfile ``parseReplace``: ``old [v] => new [v]``; a malformed one is a problem."""
    args = statement.args
    arrow = 1 if len(args) >= 2 and args[1] == "=>" else 2
    if len(args) < arrow + 2 or len(args) > arrow + 3 or args[arrow] != "=>":
        problems.append(Problem("replace: expected `module [version] => other/module version` or "
                                "`module [version] => ../local/directory`", statement.line))
        return None
    old = args[0]
    if not go_modfile.is_module_path(old):
        problems.append(Problem(f"replace: {old!r} is not a module path", statement.line))
        return None
    old_version = None
    if arrow == 2:
        old_version = go_modfile.module_version(args[1])
        if old_version is None:
            problems.append(Problem(f"replace: {args[1]!r} is not a Go version (vX.Y.Z)", statement.line))
            return None
    new = args[arrow + 1]
    new_version = None
    if len(args) == arrow + 2:
        if not go_modfile.is_directory_path(new):
            problems.append(Problem(f"replace: {new!r} without a version must be a local directory (./, ../ or /)",
                                    statement.line))
            return None
    else:
        if go_modfile.is_directory_path(new):
            problems.append(Problem(f"replace: the directory {new!r} cannot have a version", statement.line))
            return None
        if not go_modfile.is_module_path(new):
            problems.append(Problem(f"replace: {new!r} is not a module path", statement.line))
            return None
        new_version = go_modfile.module_version(args[arrow + 2])
        if new_version is None:
            problems.append(Problem(f"replace: {args[arrow + 2]!r} is not a Go version (vX.Y.Z)", statement.line))
            return None
    return Replacement(old, old_version, replacement_source(new, new_version), statement.line)


def directive_dependency(statement: Statement, path: str, problems: list[Problem]) -> Dependency | None:
    """The ``go`` or ``toolchain`` line as a build dependency (see the module docstring)."""
    verb, args = statement.verb, statement.args
    valid = go_modfile.is_go_version if verb == "go" else go_modfile.is_toolchain
    if len(args) != 1 or not valid(args[0]):
        expected = "a Go version such as 1.22.0" if verb == "go" else "a toolchain such as go1.22.3 or default"
        problems.append(Problem(f"{verb}: expected {expected}", statement.line))
        return None
    return Dependency(ECOSYSTEM, verb, args[0], specifier=args[0], scope="build", manifest=path, line=statement.line)


def apply_replacements(requires: list[Dependency], replacements: list[Replacement], path: str) -> list[Dependency]:
    """The requires with their replacement as source (a versioned replace wins over one for all versions, as in
    the go command), then each replace that applies to no require, as a dependency of its own."""
    exact: dict[tuple[str, str | None], Replacement] = {(r.path, r.version): r for r in replacements
                                                        if r.version is not None}
    every = {r.path: r for r in replacements if r.version is None}
    used: set[int] = set()
    out: list[Dependency] = []
    for dep in requires:
        found = exact.get((dep.name, dep.version)) or every.get(dep.name)
        if found is not None:
            used.add(id(found))
            dep = dep._replace(source=found.source)
        out.append(dep)
    for replacement in replacements:
        if id(replacement) not in used:
            out.append(Dependency(ECOSYSTEM, replacement.path, replacement.version,
                                  specifier=replacement.version or "", source=replacement.source, direct=False,
                                  manifest=path, line=replacement.line))
    return out


def read_shared(statement: Statement, path: str, problems: list[Problem], seen: dict[str, int],
                replacements: list[Replacement], directives: list[Dependency]) -> None:
    """A ``replace``, ``go`` or ``toolchain`` statement, read alike in go.mod and go.work: the replacement, or the
    directive's dependency (a second ``go`` or ``toolchain`` line is a problem, as the go command refuses it)."""
    verb = statement.verb
    if verb == "replace":
        replacement = read_replace(statement, problems)
        if replacement is not None:
            replacements.append(replacement)
        return
    if verb in seen:
        problems.append(Problem(f"repeated {verb} statement (first on line {seen[verb]})", statement.line))
        return
    seen[verb] = statement.line
    dep = directive_dependency(statement, path, problems)
    if dep is not None:
        directives.append(dep)


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a go.mod (see the module docstring). ``read`` is not needed: go.mod names no other file."""
    try:
        found = go_modfile.statements(text)
    except ModfileError as error:
        raise ManifestError(f"not a go.mod lockgate can read: {error.message}", path, error.line) from None
    problems: list[Problem] = []
    requires: list[Dependency] = []
    replacements: list[Replacement] = []
    directives: list[Dependency] = []
    module_lines: list[int] = []
    seen: dict[str, int] = {}
    for statement in found:
        verb = statement.verb
        if verb not in KNOWN_VERBS:
            problems.append(Problem(f"unknown directive {verb!r}", statement.line))
        elif verb == "require":
            dep = _require(statement, path, problems)
            if dep is not None:
                requires.append(dep)
        elif verb in ("replace", "go", "toolchain"):
            read_shared(statement, path, problems, seen, replacements, directives)
        elif verb == "module":
            module_lines.append(statement.line)
            if len(statement.args) != 1 or not go_modfile.is_module_path(statement.args[0]):
                problems.append(Problem("module: expected `module module/path`", statement.line))
        elif verb == "exclude":
            _check_exclude(statement, problems)
        elif verb == "retract":
            _check_retract(statement, problems)
    if not module_lines:
        problems.append(Problem("no module directive: the go command refuses a go.mod without one", None))
    elif len(module_lines) > 1:
        problems.append(Problem("repeated module statement", module_lines[1]))
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem=ECOSYSTEM,
        dependencies=tuple(directives + apply_replacements(requires, replacements, path)),
        kind="declared",
        problems=tuple(problems),
    )


def is_indirect(comment: str | None) -> bool:
    """modfile ``isIndirect``: the suffix comment's words are ``indirect``, or start with ``indirect;``."""
    if comment is None:
        return False
    words = comment.split()
    return (len(words) == 1 and words[0] == "indirect") or (len(words) > 1 and words[0] == "indirect;")


def _require(statement: Statement, path: str, problems: list[Problem]) -> Dependency | None:
    args = statement.args
    if len(args) != 2:
        problems.append(Problem("require: expected `require module/path v1.2.3`", statement.line))
        return None
    module, written = args
    if not go_modfile.is_module_path(module):
        problems.append(Problem(f"require: {module!r} is not a module path", statement.line))
        return None
    version = go_modfile.module_version(written)
    if version is None:
        problems.append(Problem(f"require {module}: {written!r} is not a Go version (vX.Y.Z); the go command would "
                                "resolve it when it builds, to a commit lockgate cannot see", statement.line))
        return None
    return Dependency(ECOSYSTEM, module, version, specifier=written, source=DEFAULT_SOURCE,
                      direct=not is_indirect(statement.comment), manifest=path, line=statement.line)


def _check_exclude(statement: Statement, problems: list[Problem]) -> None:
    args = statement.args
    if len(args) != 2 or not go_modfile.is_module_path(args[0]) or go_modfile.module_version(args[1]) is None:
        problems.append(Problem("exclude: expected `exclude module/path v1.2.3`", statement.line))


def _check_retract(statement: Statement, problems: list[Problem]) -> None:
    """modfile ``parseVersionInterval``: ``v1.2.3`` or ``[v1.0.0, v1.1.0]``."""
    args = statement.args
    single = len(args) == 1 and go_modfile.module_version(args[0]) is not None
    interval = (len(args) == 5 and args[0] == "[" and args[2] == "," and args[4] == "]"
                and go_modfile.module_version(args[1]) is not None and go_modfile.module_version(args[3]) is not None)
    if not (single or interval):
        problems.append(Problem("retract: expected `retract v1.2.3` or `retract [v1.0.0, v1.1.0]`", statement.line))
