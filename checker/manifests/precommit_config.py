"""Parser for pre-commit configurations, ``.pre-commit-config.yaml`` (format "pre-commit-config").

pre-commit reads ``.pre-commit-config.yaml`` at the repository root (``pre_commit/constants.py``; another file only
with ``--config``); prek, its Rust reimplementation, also reads ``.pre-commit-config.yml`` and, in its workspace
mode, the configurations of subfolders. lockgate reads both names anywhere in the tree.

What the file makes every developer's machine and CI download and run (the schema is ``CONFIG_SCHEMA`` in
pre-commit's ``clientlib.py``):

- ``repos[*]`` with ``repo: URL`` and ``rev: REF``: pre-commit clones the repository and checks out ``rev``. Each
  is a dependency of ecosystem ``pre-commit``: name the URL as written, version the ``rev``, label the comment
  beside ``rev`` (``pre-commit autoupdate --freeze`` writes ``rev: <sha>  # frozen: v1.2.3``), line the line of
  ``rev:``. pre-commit keys its cache by the URL string exactly as written, so no two spellings are merged; the
  only change lockgate makes is to drop a credential from the URL (``https://user:TOKEN@host/…``): it is not part
  of which repository runs, and must never be shown (checker/redaction.py). A ``rev`` that is missing is a
  Problem (pre-commit requires one).
- pre-commit before 1.0 read a file that is only the list of repositories, and before 1.7 called ``rev`` ``sha``:
  both are read (a repository that pins an old pre-commit still runs them).
- ``repo: local`` and ``repo: meta`` (and prek's ``repo: builtin``) have no ``rev`` and are no dependency; but the
  ``additional_dependencies`` of a local hook are installed from the registries, and read like every other.
- ``hooks[*].additional_dependencies``: strings handed to the installer of the hook's language (see
  checker/manifests/hook_deps.py for each language and for what is done when the language is not written here).
  A string lockgate cannot judge is a Problem, never skipped.

Everything here runs on developers' machines and in CI, so the scope is ``build``. The kind is ``declared``: no
installer pre-commit drives can check a hash, so hash-pinning (and exact-pinning, which is for requirements
files) do not apply; hook-pinning demands a commit for every ``rev`` and an exact version for every additional
dependency instead.

YAML is read as pre-commit reads it (PyYAML's safe loader) with three differences, each on the safe side: a
duplicate key is an error (PyYAML keeps the last one, a reviewer reads the first), scalars stay text (PyYAML
would turn ``rev: 1.0`` into a float, which pre-commit then refuses), and an alias bomb costs its size
(checker/manifests/gha_yaml.py). Anchors, aliases and merge keys (``<<``) are honoured.
"""

from __future__ import annotations

import re

from checker.errors import ManifestError
from checker.versions.gitrefs import trailing_comment
from checker.manifests import gha_yaml, hook_deps
from checker.manifests.gha_yaml import Mapping, Node, Scalar, Sequence, describe, line_of, load
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "pre-commit-config"
ECOSYSTEM = "pre-commit"
SCOPE = hook_deps.SCOPE
# Repositories that pre-commit (meta) and prek (builtin) provide themselves: nothing is cloned or installed.
NO_CLONE = frozenset({"meta", "builtin"})
LOCAL = "local"
# ``rev`` as a mapping key at the start of a line or inside a flow mapping, quoted or not (for the comment after an
# alias, whose node sits where its anchor was written).
_REV_KEY = re.compile(r"""(?:^|[\s{,])["']?rev["']?[ \t]*:""")


def parse(text: str, path: str, read: Reader) -> Manifest:
    if len(text) > gha_yaml.MAX_BYTES:
        raise ManifestError(f"larger than {gha_yaml.MAX_BYTES // (1024 * 1024)} MiB, expected a pre-commit "
                            "configuration", path)
    root = load(text, path)
    if root is None:
        raise ManifestError("empty file, expected a pre-commit configuration (a mapping with repos:)", path, 1)
    if isinstance(root, Sequence):
        repos: Node | None = root  # the layout before pre-commit 1.0: the list of repositories alone
    elif isinstance(root, Mapping):
        repos = root.get("repos")
        if repos is None:
            raise ManifestError("repos: is missing (pre-commit requires it)", path, root.line)
    else:
        raise ManifestError(f"a pre-commit configuration must be a mapping with repos:, found {describe(root)}",
                            path, root.line)
    if not isinstance(repos, Sequence):
        raise ManifestError(f"repos must be a list of repositories, found {describe(repos)}", path, line_of(repos))
    config = _Config(path, text)
    for index, entry in enumerate(repos.items):
        config.repository(entry, f"repos[{index}]")
    return Manifest(path=path, format=FORMAT, ecosystem=ECOSYSTEM, dependencies=tuple(config.dependencies),
                    kind="declared", problems=tuple(config.problems))


def _short(text: str, limit: int = 120) -> str:
    """A value as a message may quote it: a hostile file's megabyte-long string is cut."""
    return text if len(text) <= limit else text[:limit] + "..."


class _Config:
    """Collects the dependencies and problems of one file, in file order, each at most once (an alias repeats a
    node; the same dependency read twice is one)."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.dependencies: list[Dependency] = []
        self.problems: list[Problem] = []
        self._seen_deps: set[Dependency] = set()
        self._seen_problems: set[Problem] = set()
        self._seen_nodes: set[int] = set()
        self._rev_scalars: set[int] = set()

    def fail(self, message: str, line: int | None) -> ManifestError:
        return ManifestError(message, self.path, line)

    def add(self, dep: Dependency) -> None:
        if dep not in self._seen_deps:
            self._seen_deps.add(dep)
            self.dependencies.append(dep)

    def problem(self, message: str, line: int | None) -> None:
        found = Problem(message, line)
        if found not in self._seen_problems:
            self._seen_problems.add(found)
            self.problems.append(found)

    def string(self, node: Node | None, what: str) -> Scalar | None:
        """The scalar of a key that must hold a string; None when absent or null."""
        if node is None or (isinstance(node, Scalar) and node.null):
            return None
        if not isinstance(node, Scalar):
            raise self.fail(f"{what} must be a string, found {describe(node)}", node.line)
        return node

    def repository(self, entry: Node, what: str) -> None:
        if not isinstance(entry, Mapping):
            raise self.fail(f"{what} must be a mapping with repo:, found {describe(entry)}", entry.line)
        if id(entry) in self._seen_nodes:
            return
        self._seen_nodes.add(id(entry))
        repo = self.string(entry.get("repo"), f"{what}.repo")
        if repo is None or not repo.text.strip():
            raise self.fail(f"{what}: repo: is missing or empty (a URL, local or meta)", entry.line)
        url = repo.text
        if url in NO_CLONE:
            return
        if url == LOCAL:
            self.hooks(entry, what, "local")
            return
        from checker.redaction import redact_url

        name = redact_url(url)
        key = "rev" if entry.key_line("rev") is not None or entry.key_line("sha") is None else "sha"
        rev_line = entry.key_line(key)
        rev = self.string(entry.get(key), f"{what}.{key}")
        if rev is None:
            self.problem(f"{what} ({_short(name)}) has no rev: pre-commit refuses a repository without one, and lockgate "
                         "cannot tell which commit would run", rev_line or entry.key_line("repo"))
        else:
            self.add(Dependency(
                ecosystem=ECOSYSTEM, name=name, version=rev.text, scope=SCOPE, direct=True, manifest=self.path,
                line=rev_line, label=self.rev_comment(rev, rev_line),
            ))
        self.hooks(entry, what, name)

    def rev_comment(self, rev: Scalar, key_line: int | None) -> str | None:
        """The comment beside ``rev:`` (``frozen: v1.2.3``, ``v1.2.3``). For an alias (``rev: *pinned``), whose
        node is where its anchor was written (earlier, or already used), the comment on the alias's own line."""
        alias = id(rev) in self._rev_scalars or (key_line is not None and rev.line < key_line)
        self._rev_scalars.add(id(rev))
        if not alias:
            return self.one_line_comment(rev)
        if key_line is None or key_line > len(self.lines):
            return None
        line = self.lines[key_line - 1].rstrip("\r")
        key = _REV_KEY.search(line)
        return trailing_comment(line, key.end()) if key is not None else None

    def one_line_comment(self, scalar: Scalar) -> str | None:
        if scalar.end_line != scalar.line - 1 or scalar.end_line >= len(self.lines):
            return None
        return trailing_comment(self.lines[scalar.end_line].rstrip("\r"), scalar.end_column)

    def hooks(self, entry: Mapping, what: str, repo: str) -> None:
        hooks = entry.get("hooks")
        if hooks is None or (isinstance(hooks, Scalar) and hooks.null):
            return
        if not isinstance(hooks, Sequence):
            raise self.fail(f"{what}.hooks must be a list of hooks, found {describe(hooks)}", hooks.line)
        for index, hook in enumerate(hooks.items):
            self.hook(hook, f"{what}.hooks[{index}]", repo)

    def hook(self, hook: Node, what: str, repo: str) -> None:
        if not isinstance(hook, Mapping):
            raise self.fail(f"{what} must be a mapping with id:, found {describe(hook)}", hook.line)
        deps = hook.get("additional_dependencies")
        if deps is None or (isinstance(deps, Scalar) and deps.null):
            return
        if not isinstance(deps, Sequence):
            raise self.fail(f"{what}.additional_dependencies must be a list of strings, found {describe(deps)}",
                            deps.line)
        hook_id = self.string(hook.get("id"), f"{what}.id")
        language_node = self.string(hook.get("language"), f"{what}.language")
        language = language_node.text if language_node is not None else None
        label = f"{_short(hook_id.text) if hook_id is not None else what} ({_short(repo)})"
        for item in deps.items:
            text_node = self.string(item, f"{what}.additional_dependencies[*]")
            if text_node is None:
                raise self.fail(f"{what}.additional_dependencies holds an empty entry; pre-commit expects strings",
                                item.line)
            self.additional(text_node.text, language, hook_deps.Where(self.path, text_node.line, label))

    def additional(self, text: str, language: str | None, where: hook_deps.Where) -> None:
        ecosystem, why = hook_deps.ecosystem_of(language, text)
        shown = _short(text)
        if ecosystem is None:
            if why is not None:
                self.problem(f"additional dependency {shown!r} of hook {where.hook}: {why}", where.line)
            return
        try:
            self.add(hook_deps.read(text, ecosystem, where))
        except ManifestError as error:
            self.problem(f"additional dependency {shown!r} of hook {where.hook}: {error.message}", where.line)
