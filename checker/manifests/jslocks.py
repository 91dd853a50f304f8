"""What the JavaScript lockfile parsers (yarn.lock, pnpm-lock.yaml) share: integrity strings, package descriptors,
where a resolved URL points, the project's package.json, and the walk that tells prod from dev.

Kept apart from the parsers so that each parser holds only its own file format.
"""

from __future__ import annotations

import posixpath
import re
from typing import Iterable, NamedTuple, Sequence
from urllib.parse import unquote

from checker.errors import ManifestError
from checker.manifests.npm_common import is_git_url, load_json
from checker.manifests.npm_common import sri_hashes as npm_sri_hashes
from checker.model import Reader, Source
from checker.manifests.npm_tarball import parse_tarball_url

_FULL_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_CODELOAD = re.compile(r"^https://codeload\.github\.com/([^/]+)/([^/]+)/tar\.gz/([0-9a-fA-F]{7,64})$")
_GITLAB_ARCHIVE = re.compile(r"^(https://[^/]+/.+?)/repository/archive\.tar\.gz\?ref=([0-9a-fA-F]{7,64})$")
DEPENDENCY_FIELDS = ("dependencies", "optionalDependencies", "devDependencies")


# --------------------------------------------------------------------------------------------------------------
# Hashes


def sri_hashes(value: object, what: str, path: str, line: int | None) -> frozenset[str]:
    """An SRI ``integrity`` string (``sha512-<base64>``, several separated by spaces) as ``algo:hex`` hashes, read
    as the npm parsers read it (``npm_common.sri_hashes``); a value that is not a string is an error too."""
    if not isinstance(value, str):
        raise ManifestError(f"{what} must be a string, found {type(value).__name__}", path, line)
    hashes = npm_sri_hashes(value, what, path, line)
    if not hashes:
        raise ManifestError(f"{what} is empty", path, line)
    return hashes


# --------------------------------------------------------------------------------------------------------------
# Descriptors: ``name@range`` as package managers write them


def split_descriptor(descriptor: str) -> tuple[str, str]:
    """``name@range`` -> (name, range); a scoped name keeps its leading ``@``. No ``@`` means no range."""
    at = descriptor.find("@", 1)
    if at < 0:
        return descriptor, ""
    return descriptor[:at], descriptor[at + 1:]


def alias_target(range_: str) -> tuple[str, str] | None:
    """``npm:real@^1`` (an alias) -> ("real", "^1"); None for anything else (``npm:^1`` included)."""
    if not range_.startswith("npm:"):
        return None
    inner = range_[4:]
    at = inner.find("@", 1)
    if at <= 0:
        return None
    return inner[:at], inner[at + 1:]


# --------------------------------------------------------------------------------------------------------------
# Where a URL points


class Located(NamedTuple):
    """A Source and the resolved artifact URL (None when there is none, as for git)."""

    source: Source
    resolved: str | None = None


def locate_url(url: str, ref: str | None = None) -> Located:
    """What a resolved URL is: a registry tarball (``<registry>/<name>/-/<file>.tgz``), a GitHub or GitLab archive
    of a commit (git), a git URL (``git+ssh://...#<commit>``), a local ``file:`` path, or any other tarball URL.
    ``ref`` is the git ref the project asked for, when known."""
    if url.startswith("file:"):
        return Located(Source("path", url=url[5:]))
    tarball = parse_tarball_url(url)
    if tarball is not None:
        return Located(Source("registry", url=tarball.registry), url)
    found = _CODELOAD.match(url)
    if found is not None:
        owner, repo, commit = found.groups()
        return Located(Source("git", url=f"https://github.com/{owner}/{repo}", ref=ref, commit=_commit(commit)), url)
    found = _GITLAB_ARCHIVE.match(url)
    if found is not None:
        return Located(Source("git", url=found.group(1), ref=ref, commit=_commit(found.group(2))), url)
    if is_git_url(url):
        return Located(git_source(url, ref))
    return Located(Source("url", url=url), url)


def git_source(url: str, ref: str | None = None) -> Source:
    """``<repository>#<commit or ref>``: the repository (without npm's ``git+`` prefix), the ref asked for, and the
    full commit when the fragment is one (Yarn Berry writes ``#commit=<sha>`` or ``#commit:<sha>``, among other
    ``key=value`` pairs)."""
    location, _, fragment = url.partition("#")
    if location.lower().startswith("git+"):
        location = location[4:]  # as the package-lock.json parser writes git sources
    commit: str | None = None
    if fragment:
        for part in fragment.split("&"):
            key, separator, value = part.partition("=")
            if not separator:
                key, separator, value = part.partition(":")
            if separator and key == "commit":
                commit = _commit(value)
            elif separator and key in ("tag", "head", "semver") and ref is None:
                ref = value
            elif not separator:
                found = _commit(part)
                if found is not None:
                    commit = found
                elif ref is None:
                    ref = part
    return Source("git", url=location, ref=ref, commit=commit)


def _commit(text: str) -> str | None:
    text = text.lower()
    return text if _FULL_COMMIT.fullmatch(text) else None


def git_ref(range_: str) -> str | None:
    """The ``#ref`` a git descriptor asks for (``github:o/r#v1.2``, Berry's ``#head=main`` or ``#tag=v1``), or
    None (also for Berry's ``#commit=<sha>``, which pins a commit rather than naming a ref)."""
    _, hash_sign, fragment = range_.partition("#")
    if not hash_sign or not fragment:
        return None
    for part in fragment.split("&"):
        key, separator, value = part.partition("=")
        if not separator:
            key, separator, value = part.partition(":")
        if not separator:
            return unquote(part)
        if key in ("tag", "head", "semver") and value:
            return unquote(value)
    return None


# --------------------------------------------------------------------------------------------------------------
# The project's package.json


class ProjectDeps(NamedTuple):
    """The dependency ranges a package.json declares, by field: ``{name: range}``."""

    path: str
    dependencies: dict[str, str]
    optional: dict[str, str]
    dev: dict[str, str]

    def scope_of(self, name: str) -> str:
        """prod when a production dependency names it, else optional, else dev (the same name can sit in
        several fields: the strongest wins)."""
        if name in self.dependencies:
            return "prod"
        if name in self.optional:
            return "optional"
        if name in self.dev:
            return "dev"
        return "prod"

    def items(self) -> Iterable[tuple[str, str, str]]:
        """(scope, name, range) of every declared dependency."""
        for scope, table in (("prod", self.dependencies), ("optional", self.optional), ("dev", self.dev)):
            for name, range_ in table.items():
                yield scope, name, range_


def read_package_json(directory: str, read: Reader, *, line_path: str, line: int | None = None) -> ProjectDeps | None:
    """The package.json in ``directory`` (a repository path, ``""`` for the root), or None when there is none.
    A directory outside the repository is an error naming ``line_path`` and ``line``: a lockfile has no business
    pointing there, and lockgate never reads outside the snapshot."""
    directory = posixpath.normpath(directory) if directory else ""
    if directory == ".":
        directory = ""
    if directory.startswith("../") or directory == ".." or directory.startswith("/"):
        raise ManifestError(f"workspace path {directory!r} leaves the repository", line_path, line)
    path = posixpath.join(directory, "package.json") if directory else "package.json"
    text = read(path)
    if text is None:
        return None
    data = load_json(text, path, "a package.json")
    tables = []
    for field in DEPENDENCY_FIELDS:
        table = data.get(field) or {}
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ManifestError(f"`{field}` must be an object of name: range strings", path)
        tables.append(table)
    return ProjectDeps(path, tables[0], tables[1], tables[2])


# --------------------------------------------------------------------------------------------------------------
# prod, optional or dev: a walk over the lockfile's graph


# An edge of the dependency graph: (index of the target package, whether the dependency is optional). A plain
# tuple: lockfiles have thousands of edges, and a tuple is the cheapest thing to build.
Edge = tuple[int, bool]


def scopes(count: int, edges: Sequence[Sequence[Edge]], prod: Iterable[int], optional: Iterable[int],
           dev: Iterable[int]) -> list[str]:
    """The scope of each of ``count`` packages, given each package's edges and the packages the project names
    under each scope. prod: reachable from a production dependency through required edges. optional: reachable
    from an optional dependency, or through an optional edge of a prod or optional package. dev: reachable from a
    dev dependency and neither of the others. Packages nothing reaches stay prod, the strictest reading."""
    prod_set = _reach(prod, edges, follow_optional=False)
    seeds = list(optional)
    for index in prod_set:
        seeds.extend(target for target, optional_edge in edges[index] if optional_edge)
    optional_set = _reach(seeds, edges, follow_optional=True, stop=prod_set)
    dev_set = _reach(dev, edges, follow_optional=True, stop=prod_set | optional_set)
    return ["optional" if i in optional_set else "dev" if i in dev_set else "prod" for i in range(count)]


def _reach(seeds: Iterable[int], edges: Sequence[Sequence[Edge]], *, follow_optional: bool,
           stop: frozenset[int] | set[int] = frozenset()) -> set[int]:
    seen: set[int] = set()
    stack = [seed for seed in seeds if seed not in stop]
    while stack:
        index = stack.pop()
        if index in seen:
            continue
        seen.add(index)
        for target, optional in edges[index]:
            if (follow_optional or not optional) and target not in seen and target not in stop:
                stack.append(target)
    return seen
