"""Parser for pnpm's lockfile, ``pnpm-lock.yaml`` (format "pnpm-lock", kind "lock").

Versions. ``lockfileVersion`` 5.x (pnpm 5-7, including 7's ``5.4-inline-specifiers``), 6.x (pnpm 8), 7.0 (pnpm
9's pre-releases: 6.x's dependency paths, 9.0's packages and snapshots) and 9.0 (pnpm 9 and later). Any other version is an error: the layout of everything else hangs on it. The YAML is read by
``lockyaml`` (a fast reader for pnpm's regular output, ruamel.yaml for anything else).

Packages. Each entry of ``packages`` is a dependency. Its key is a dependency path whose shape depends on the
version: ``/name/1.0.0_peer@2.0.0`` (5.x), ``/name@1.0.0(peer@2.0.0)`` (6.x), ``name@1.0.0`` (9.0, whose peer
variants live in ``snapshots``). The peer suffix is not part of the version: the same package at the same
version under several peer sets is one dependency (reported at its first key's line). Entries that pnpm cannot
name by their key (git, tarball and directory dependencies) carry ``name`` and ``version`` fields, which win.
``resolution`` says where the artifact comes from: ``{integrity}`` (the configured registry; the integrity is
kept as ``sha512:<hex>``), ``{integrity, tarball}`` (a registry tarball on another host, or a tarball URL),
``{tarball}`` (a GitHub archive of a commit is a git source), ``{type: git, repo, commit}`` and
``{type: directory, directory}`` (a local path). Workspace packages (``link:`` references in the importers) are
the project itself, not dependencies.

Runtimes. pnpm 11 installs Node.js (and Bun, Deno) as a dependency: ``node: runtime:26.7.0`` names the entry
``node@runtime:26.7.0`` (its version is what follows ``runtime:``), whose resolution is ``{type: binary, url,
integrity}`` or ``{type: variations, variants: [{resolution: <binary>, targets: [{os, cpu, libc}]}]}``, one
archive per platform. Such an entry is one dependency with a ``url`` source: every archive's integrity is among
its hashes (a changed archive is ``hashes-changed``), the origins of all archive URLs are its ``hosts`` (another
download host is ``source-changed``) and its url is the folder the archives share (else the first archive).

Scope and direct. The importers (``importers``, or the top level of a lockfile without workspaces) name what each
project depends on: those packages are direct, with the importer's ``specifier`` (a ``catalog:`` specifier is
shown as the catalog's range). 5.x and 6.x flag each package ``dev: true`` (dev only), ``dev: false`` (prod) or
neither (both, so prod), and ``optional: true``. 9.0 has no such flags: the scope comes from walking
``snapshots`` from the importers' ``dependencies`` (prod), ``optionalDependencies`` (optional) and
``devDependencies`` (dev), prod winning over optional and optional over dev.

Consistency. In a 9.0 lockfile every importer reference and every snapshot must have its entry: a lockfile cut
short (a truncated file) fails there with a clear error instead of silently losing packages.

Two documents. pnpm 11 keeps its "env lockfile" in the same file, as a first YAML document: the file starts with
``---`` and the env document, then a ``---`` line and the regular lockfile (pnpm's ``lockfile/fs``:
``yamlDocuments.ts``, ``envLockfile.ts``: ``---\n<env>\n---\n<main>``; CRLF line ends are read alike). The env
document has the 9.0 layout, with one importer ``.`` whose ``configDependencies`` (pnpm's plugins) and
``packageManagerDependencies`` (pnpm itself, pinned by integrity) name its packages: every package of it is a
dependency of scope ``build`` (direct when the importer names it), reported beside the lockfile's own. The split is
pnpm's own, not a YAML multi-document load: a file that starts with ``---`` and has no separator is one document
(pnpm writes the separator even when no lockfile follows), and anything after a second separator is part of the
regular lockfile, which must then be one document (pnpm refuses more, and so does lockgate, at the line).
"""

from __future__ import annotations

import posixpath
import re

from checker.errors import ManifestError
from checker.manifests.common import artifact_origin, is_blank
from checker.manifests import lockyaml
from checker.manifests.jslocks import Edge, git_ref, locate_url, scopes, split_descriptor, sri_hashes
from checker.model import Dependency, Manifest, Reader, Source

FORMAT = "pnpm-lock"
SUPPORTED = "5.x, 6.x, 7.0 and 9.0"
_SCOPE_FIELDS = (("dependencies", "prod"), ("optionalDependencies", "optional"), ("devDependencies", "dev"))
# The env document's importer fields: what pnpm installs to run itself. Walked as roots like prod dependencies
# (so that every reference must have its entry), then every package of the document is scope "build".
_ENV_FIELDS = (("configDependencies", "prod"), ("packageManagerDependencies", "prod"))
_DOCUMENT_START, _DOCUMENT_SEPARATOR = "---\n", "\n---\n"
_RANK = {"prod": 0, "optional": 1, "dev": 2}
# The shape of a semver version (``1.2.3``, ``1.2.3-rc.1+build``): what a dependency path holds when it names a
# registry version, rather than a URL or a path (whose version then sits in a ``version`` field).
_VERSION = re.compile(r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a pnpm-lock.yaml. ``read`` is not needed: the lockfile names its importers itself."""
    return parse_lock(text, path)


def parse_lock(text: str, path: str, *, fast: bool = True) -> Manifest:
    """Parse a pnpm-lock.yaml; ``fast=False`` forces the full YAML loader (tests compare the two)."""
    if is_blank(text):
        raise ManifestError("empty file, expected a pnpm-lock.yaml lockfile", path)
    env, main = split_documents(text)
    dependencies: tuple[Dependency, ...] = ()
    if env is not None:
        dependencies = _read_document(env, path, fast, env=True)
    if env is None or not is_blank(main):
        dependencies += _read_document(main, path, fast, env=False)
    return Manifest(path=path, format=FORMAT, ecosystem="npm", dependencies=dependencies, kind="lock")


def split_documents(text: str) -> tuple[str | None, str]:
    """(env document or None, regular lockfile) the way pnpm splits a pnpm-lock.yaml (``extractEnvDocument``,
    ``extractMainDocument``). Each is returned as the whole file's text with the other document's lines blanked,
    so that YAML's line numbers are the file's."""
    if text.startswith("\ufeff"):
        text = text[1:]  # pnpm strips a byte order mark before it looks for the env document
    normalized = text.replace("\r\n", "\n") if "\r" in text else text
    if not normalized.startswith(_DOCUMENT_START):
        return None, text
    separator = normalized.find(_DOCUMENT_SEPARATOR, len(_DOCUMENT_START))
    if separator == -1:
        return None, text  # no second document: pnpm reads no env document, YAML reads the one there is
    lines = text.split("\n")  # not splitlines(): git and YAML's line numbers count only \n
    env_lines = normalized.count("\n", 0, separator + 1)  # the leading ``---`` and the env document
    env = "\n" + "\n".join(lines[1:env_lines]) + "\n"
    main = "\n" * (env_lines + 1) + "\n".join(lines[env_lines + 1:])
    return env, main


def _read_document(text: str, path: str, fast: bool, *, env: bool) -> tuple[Dependency, ...]:
    document = lockyaml.load(text, path, fast=fast)
    data = document.data
    if not isinstance(data, dict):
        found = "nothing" if data is None else f"a {type(data).__name__}"
        line = 2 if env else text.count("\n", 0, len(text) - len(text.lstrip("\n"))) + 1
        raise ManifestError(f"expected a mapping with lockfileVersion at the top level, found {found}", path, line)
    major = _major_version(data, document.lines, path)
    if env and major != 9:
        raise ManifestError(f"the env document (pnpm's own dependencies) has lockfileVersion "
                            f"{data['lockfileVersion']!r}, expected '9.0'", path, document.lines.get(("lockfileVersion",)))
    dependencies = _Lockfile(data, document.lines, major, path, env=env).dependencies()
    if env:
        dependencies = tuple(dependency._replace(scope="build") for dependency in dependencies)
    return dependencies


def _major_version(data: dict, lines: dict, path: str) -> int:
    """5, 6, 7 or 9 from ``lockfileVersion`` (5.3 and '5.4-inline-specifiers' are 5; '6.0' is 6; '7.0', written by
    pnpm 9's pre-releases, is 7; '9.0' is 9)."""
    if "lockfileVersion" not in data:
        raise ManifestError(f"missing lockfileVersion, expected a pnpm-lock.yaml of version {SUPPORTED}", path,
                            1 if data else None)
    value = data["lockfileVersion"]
    line = lines.get(("lockfileVersion",))
    text = str(value) if type(value) in (int, float, str) else ""
    number = text.split("-", 1)[0]
    try:
        major = int(float(number))
    except ValueError:
        major = -1
    if major not in (5, 6, 7, 9) or (major == 7 and text != "7.0") or (
            type(value) is str and "-" in text and not text.startswith("5.4-")):
        raise ManifestError(f"unsupported pnpm lockfileVersion {value!r}; lockgate reads {SUPPORTED}", path, line)
    return major


class _Package:
    """One ``packages`` entry, merged with the others of the same name, version and source (mutable while the
    importers are walked: scope, direct and specifiers are filled in)."""

    __slots__ = ("name", "version", "source", "hashes", "resolved", "line", "scope", "direct", "specifiers")

    def __init__(self, name: str, version: str, source: Source, hashes: frozenset[str], resolved: str | None,
                 line: int | None) -> None:
        self.name, self.version, self.source, self.hashes = name, version, source, hashes
        self.resolved, self.line = resolved, line
        self.scope = "prod"
        self.direct = False
        self.specifiers: list[str] = []


class _Lockfile:
    """One pnpm-lock.yaml's data, turned into dependencies: packages first, then scopes, then direct flags."""

    def __init__(self, data: dict, lines: dict, major: int, path: str, *, env: bool = False) -> None:
        self.data = data
        self.fields = _ENV_FIELDS if env else _SCOPE_FIELDS
        self.lines = lines
        self.major = major
        # '7.0' (pnpm 9's pre-releases, early 2024) spells dependency paths as 6.x does (``/name@1.0.0(peer)``) but
        # splits packages and snapshots as 9.0 does: ``keys`` is the spelling, ``graph`` whether scopes come from
        # walking the snapshots.
        self.keys = 6 if major == 7 else major
        self.graph = major in (7, 9)
        self.path = path
        self.catalogs = self._mapping(data.get("catalogs"), "catalogs", ("catalogs",))
        self._references_found: list | None = None

    def dependencies(self) -> tuple[Dependency, ...]:
        raw = self._mapping(self.data.get("packages"), "packages", ("packages",))
        packages: list[_Package] = []
        by_identity: dict[tuple, int] = {}
        by_key: dict[str, int] = {}  # package key (as written, and without its peer suffix) -> packages index
        flags: list[tuple[int, str]] = []  # (index, scope from the 5.x/6.x flags)
        for key, info in raw.items():
            line = self.lines.get(("packages", key))
            package, flag = self._package(str(key), info, line)
            identity = (package.name, package.version, package.source, package.hashes)
            index = by_identity.get(identity)
            if index is None:
                index = by_identity[identity] = len(packages)
                packages.append(package)
            by_key[str(key)] = index
            by_key.setdefault(_strip_suffix(str(key)), index)
            flags.append((index, flag))
        if self.graph:
            self._scopes_from_snapshots(packages, by_key)
        else:
            for index, flag in _strongest(flags).items():
                packages[index].scope = flag
        self._mark_direct(packages, by_key)
        return tuple(
            Dependency(
                ecosystem="npm",
                name=p.name,
                version=p.version,
                specifier=", ".join(p.specifiers),
                source=p.source,
                hashes=p.hashes,
                scope=p.scope,
                direct=p.direct,
                manifest=self.path,
                line=p.line,
                resolved=p.resolved,
            )
            for p in packages
        )

    # -- one package ------------------------------------------------------------------------------------------------

    def _package(self, key: str, info: object, line: int | None) -> tuple[_Package, str]:
        if not isinstance(info, dict):
            raise ManifestError(f"package {key!r} must be a mapping with a `resolution`", self.path, line)
        parsed_name, parsed_version = self._name_version(key)
        name = info.get("name", parsed_name)
        version = info.get("version", parsed_version)
        if not isinstance(name, str) or not name:
            raise ManifestError(f"cannot tell the package name of {key!r} (no `name` field)", self.path, line)
        if not isinstance(version, str) or not version:
            raise ManifestError(f"cannot tell the version of {key!r} (no `version` field)", self.path, line)
        source, hashes, resolved = self._resolution(key, info.get("resolution"), line)
        flag = "prod" if self.graph else self._flag(key, info, line)  # 7.0 and 9.0: the graph decides
        return _Package(name, version, source, hashes, resolved, line), flag

    def _name_version(self, key: str) -> tuple[str | None, str | None]:
        """Name and version from a dependency path, or None for what the path does not say."""
        if self.keys == 5:
            return _v5_name_version(key)
        if self.keys == 6:
            if not key.startswith("/"):
                return None, None
            key = key[1:]
        name, reference = split_descriptor(key)
        if not reference:
            return None, None
        version = reference[: _suffix_start(reference)]
        if version.startswith("runtime:") and len(version) > len("runtime:"):
            return name, version[len("runtime:"):]  # node@runtime:26.7.0: a runtime pnpm installs
        return name, version if _VERSION.fullmatch(version) else None

    def _resolution(self, key: str, resolution: object, line: int | None) -> tuple[Source, frozenset[str], str | None]:
        if not isinstance(resolution, dict):
            raise ManifestError(f"package {key!r} has no `resolution` mapping", self.path, line)
        hashes: frozenset[str] = frozenset()
        if "integrity" in resolution:
            hashes = sri_hashes(resolution["integrity"], f"`integrity` of {key!r}", self.path, line)
        kind = resolution.get("type")
        if kind in ("binary", "variations"):
            return self._runtime(key, resolution, line)
        if kind == "git":
            repo, commit = resolution.get("repo"), resolution.get("commit")
            if not isinstance(repo, str) or not isinstance(commit, str):
                raise ManifestError(f"git resolution of {key!r} needs `repo` and `commit` strings", self.path, line)
            return Source("git", url=repo, commit=commit), hashes, None
        if kind == "directory":
            directory = resolution.get("directory")
            if not isinstance(directory, str):
                raise ManifestError(f"directory resolution of {key!r} needs a `directory` string", self.path, line)
            return Source("path", url=directory), hashes, None
        if kind is not None:
            raise ManifestError(f"unsupported resolution type {kind!r} of {key!r}", self.path, line)
        tarball = resolution.get("tarball")
        if tarball is not None:
            if not isinstance(tarball, str) or not tarball:
                raise ManifestError(f"`tarball` of {key!r} must be a string", self.path, line)
            located = locate_url(tarball)
            return located.source, hashes, located.resolved
        if not hashes:
            raise ManifestError(f"resolution of {key!r} has neither `integrity`, `tarball`, nor a `type`", self.path,
                                line)
        return Source(), hashes, None

    def _runtime(self, key: str, resolution: dict, line: int | None) -> tuple[Source, frozenset[str], str | None]:
        """A runtime's archives (``binary``, or ``variations`` of binaries): see the module docstring."""
        binaries: list[object] = [resolution]
        if resolution["type"] == "variations":
            variants = resolution.get("variants")
            if not isinstance(variants, list) or not variants:
                raise ManifestError(f"`variants` of {key!r} must be a list of {{resolution, targets}}", self.path, line)
            binaries = [variant.get("resolution") if isinstance(variant, dict) else None for variant in variants]
        urls: list[str] = []
        hashes: set[str] = set()
        for binary in binaries:
            if not isinstance(binary, dict) or binary.get("type") != "binary":
                raise ManifestError(f"each variant of {key!r} must have a `binary` resolution", self.path, line)
            url = binary.get("url")
            if not isinstance(url, str) or not url:
                raise ManifestError(f"binary resolution of {key!r} needs a `url` string", self.path, line)
            if "integrity" not in binary:
                raise ManifestError(f"binary resolution of {key!r} ({url}) has no `integrity`", self.path, line)
            urls.append(url)
            hashes |= sri_hashes(binary["integrity"], f"`integrity` of {key!r}", self.path, line)
        folder = posixpath.commonprefix(urls).rpartition("/")[0] + "/"
        where = folder if len(urls) > 1 and "://" in folder and folder.count("/") > 3 else urls[0]
        return Source("url", url=where, hosts=frozenset(map(artifact_origin, urls))), frozenset(hashes), None

    def _flag(self, key: str, info: dict, line: int | None) -> str:
        """The scope the 5.x/6.x flags give: dev only, optional, or prod (``dev: false`` or no flag at all)."""
        dev, optional = info.get("dev"), info.get("optional", False)
        if dev not in (None, True, False) or optional not in (True, False):
            raise ManifestError(f"`dev` and `optional` of {key!r} must be true or false", self.path, line)
        if dev is True:
            return "dev"
        return "optional" if optional else "prod"

    # -- importers --------------------------------------------------------------------------------------------------

    def _importers(self) -> list[tuple[str, dict]]:
        """(path, importer) pairs: ``importers``, or the top level of a single-project 5.x/6.x lockfile."""
        if "importers" in self.data:
            importers = self._mapping(self.data["importers"], "importers", ("importers",))
            found = []
            for where, importer in importers.items():
                found.append((str(where), self._mapping(importer, f"importer {where!r}", ("importers", where))))
            return found
        if self.graph:
            return []
        return [(".", self.data)]

    def _references(self) -> list[tuple[str, str, str, str, str, int | None]]:
        """(importer, scope, name, reference, specifier, line) of every dependency an importer names."""
        if self._references_found is None:
            self._references_found = self._read_references()
        return self._references_found

    def _read_references(self) -> list[tuple[str, str, str, str, str, int | None]]:
        found = []
        nested = "importers" in self.data
        for where, importer in self._importers():
            specifiers = self._mapping(importer.get("specifiers"), f"specifiers of importer {where!r}", None)
            for field_name, scope in self.fields:
                line = self.lines.get(("importers", where) if nested else (field_name,))
                table = self._mapping(importer.get(field_name), f"{field_name} of importer {where!r}", None)
                for name, value in table.items():
                    name = str(name)
                    if isinstance(value, dict):  # 6.x, 9.0 and 5.4-inline-specifiers: {specifier, version}
                        reference, specifier = value.get("version"), value.get("specifier", "")
                    else:
                        reference, specifier = value, specifiers.get(name, "")
                    if not isinstance(reference, str) or not isinstance(specifier, str):
                        raise ManifestError(f"{field_name}.{name} of importer {where!r} needs a version string",
                                            self.path, line)
                    found.append((where, scope, name, reference, self._catalog(name, specifier), line))
        return found

    def _catalog(self, name: str, specifier: str) -> str:
        """A ``catalog:`` / ``catalog:<name>`` specifier as the range the catalog holds (as written otherwise)."""
        if not specifier.startswith("catalog:"):
            return specifier
        catalog = self.catalogs.get(specifier[len("catalog:"):] or "default")
        entry = catalog.get(name) if isinstance(catalog, dict) else None
        range_ = entry.get("specifier") if isinstance(entry, dict) else None
        return range_ if isinstance(range_, str) else specifier

    def _mark_direct(self, packages: list[_Package], by_key: dict[str, int]) -> None:
        by_name: dict[str, list[int]] = {}
        for index, package in enumerate(packages):
            by_name.setdefault(package.name, []).append(index)
        for where, _, name, reference, specifier, line in self._references():
            if reference.startswith("link:"):
                continue  # a workspace package: the project itself
            targets = self._resolve(name, reference, by_key)
            if not targets:
                if self.graph:
                    raise ManifestError(
                        f"importer {where!r} names {name} {reference}, which has no entry in packages "
                        "(a truncated or hand-edited lockfile?)", self.path, line,
                    )
                targets = by_name.get(name, [])
            for index in targets:
                package = packages[index]
                package.direct = True
                if specifier and specifier not in package.specifiers:
                    package.specifiers.append(specifier)
                if package.source.kind == "git" and package.source.ref is None and git_ref(specifier):
                    package.source = Source("git", url=package.source.url, ref=git_ref(specifier),
                                            commit=package.source.commit)

    def _resolve(self, name: str, reference: str, by_key: dict[str, int]) -> list[int]:
        """The packages an importer's reference points at (pnpm's ``refToRelative`` for each version)."""
        candidates = [_dep_path(self.keys, name, reference)]
        if self.keys != 9 and reference.startswith("file:./"):
            candidates.append("file:" + reference[len("file:./"):])
        for candidate in candidates:
            if candidate is None:
                continue
            index = by_key.get(candidate)
            if index is None:
                index = by_key.get(_strip_suffix(candidate))
            if index is not None:
                return [index]
        return []

    # -- 9.0 scopes -----------------------------------------------------------------------------------------------

    def _scopes_from_snapshots(self, packages: list[_Package], by_key: dict[str, int]) -> None:
        snapshots = self._mapping(self.data.get("snapshots"), "snapshots", ("snapshots",))
        if packages and "snapshots" not in self.data:
            raise ManifestError(f"lockfileVersion {self.data.get('lockfileVersion')} with packages but no snapshots "
                                "(a truncated file?)", self.path, None)
        keys = [str(key) for key in snapshots]
        node_of = {key: number for number, key in enumerate(keys)}
        owner: list[int] = []
        for key in keys:
            index = by_key.get(key)
            if index is None:
                index = by_key.get(_strip_suffix(key))
            if index is None:
                raise ManifestError(f"snapshot {key!r} has no entry in packages (a truncated file?)", self.path,
                                    self.lines.get(("snapshots", key)))
            owner.append(index)
        edges: list[list[Edge]] = []
        for key in keys:
            snapshot = snapshots[key]
            snapshot = {} if snapshot is None else snapshot
            if not isinstance(snapshot, dict):
                raise ManifestError(f"snapshot {key!r} must be a mapping", self.path, self.lines.get(("snapshots", key)))
            out = []
            for field_name, optional in (("dependencies", False), ("optionalDependencies", True)):
                table = self._mapping(snapshot.get(field_name), f"{field_name} of snapshot {key!r}", None)
                for name, reference in table.items():
                    target = node_of.get(_dep_path(self.keys, str(name), str(reference)) or "")
                    if target is not None:
                        out.append((target, optional))
            edges.append(out)
        roots: dict[str, list[int]] = {"prod": [], "optional": [], "dev": []}
        for where, scope, name, reference, _, line in self._references():
            if reference.startswith("link:"):
                continue
            target = node_of.get(_dep_path(self.keys, name, reference) or "")
            if target is None:
                raise ManifestError(
                    f"importer {where!r} names {name} {reference}, which has no entry in snapshots "
                    "(a truncated or hand-edited lockfile?)", self.path, line,
                )
            roots[scope].append(target)
        if not any(roots.values()):
            return  # nothing to walk from: every package stays prod
        node_scopes = scopes(len(keys), edges, roots["prod"], roots["optional"], roots["dev"])
        best: dict[int, str] = {}
        for node, scope in enumerate(node_scopes):
            index = owner[node]
            if index not in best or _RANK[scope] < _RANK[best[index]]:
                best[index] = scope
        for index, scope in best.items():
            packages[index].scope = scope

    # -- helpers ----------------------------------------------------------------------------------------------------

    def _mapping(self, value: object, what: str, line_key: tuple | None) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            line = self.lines.get(line_key) if line_key else None
            raise ManifestError(f"{what} must be a mapping, found {type(value).__name__}", self.path, line)
        return value


def _strongest(flags: list[tuple[int, str]]) -> dict[int, str]:
    best: dict[int, str] = {}
    for index, scope in flags:
        if index not in best or _RANK[scope] < _RANK[best[index]]:
            best[index] = scope
    return best


def _v5_name_version(key: str) -> tuple[str | None, str | None]:
    """``/name/1.0.0_peers``, ``/@scope/name/1.0.0``, ``registry.example/name/1.0.0``: pnpm 5's dependency path."""
    parts = key.split("/")
    if key.startswith("/"):
        parts = parts[1:]
    else:
        parts = parts[1:]  # the host of an absolute path
    if not parts or not parts[0]:
        return None, None
    if parts[0].startswith("@"):
        if len(parts) < 2:
            return None, None
        name, rest = f"{parts[0]}/{parts[1]}", parts[2:]
    else:
        name, rest = parts[0], parts[1:]
    if len(rest) != 1:
        return None, None
    version = rest[0].split("_", 1)[0]
    return (name, version) if _VERSION.fullmatch(version) else (None, None)


def _suffix_start(reference: str) -> int:
    """Where the peer / patch suffix ``(...)(...)`` of a version starts (pnpm's ``indexOfPeersSuffix``), or the
    end when there is none."""
    if not reference.endswith(")"):
        return len(reference)
    depth = 0
    for position in range(len(reference) - 1, -1, -1):
        char = reference[position]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
        elif depth == 0:
            return position + 1
    return len(reference)


def _strip_suffix(key: str) -> str:
    """A dependency path without its peer suffix (``(...)`` in 6.x and 9.0, ``_...`` after a 5.x version)."""
    if key.endswith(")"):
        return key[: _suffix_start(key)]
    if key.startswith("/") and "_" in key.rsplit("/", 1)[-1]:
        head, _, last = key.rpartition("/")
        return f"{head}/{last.split('_', 1)[0]}"
    return key


def _dep_path(major: int, name: str, reference: str) -> str | None:
    """The dependency path an importer or snapshot reference names (pnpm's ``refToRelative``)."""
    if reference.startswith("link:"):
        return None
    if major == 9:
        if reference.startswith("@"):
            return reference
        at = reference.find("@")
        if at == -1:
            return f"{name}@{reference}"
        colon, bracket = reference.find(":"), reference.find("(")
        if (colon == -1 or at < colon) and (bracket == -1 or at < bracket):
            return reference  # an alias: ``real-name@1.0.0``
        return f"{name}@{reference}"
    if reference.startswith("file:"):
        return reference
    if major == 6:
        bracket = reference.find("(")
        if "/" not in reference or (bracket != -1 and reference.rfind("/", 0, bracket) == -1):
            return f"/{name}@{reference}"
        return reference
    if "/" not in reference:
        return f"/{name}/{reference}"
    return reference
