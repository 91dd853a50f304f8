"""Parser for Bun's text lockfile, ``bun.lock`` (format "bun-lock", ecosystem npm, kind "lock").

Bun 1.2 and later write it (1.1.39+ with ``--save-text-lockfile``); the older binary ``bun.lockb`` is format
"bun-lockb" (checker/manifests/bun_lockb.py). The file is JSON with trailing commas, which Bun reads with comments
allowed too (checker/manifests/jsonc.py turns it into strict JSON; a key written twice is an error, as in every
JSON lockfile lockgate reads). Layout, as Bun's reader (``src/install/lockfile/bun.lock.zig``) takes it:

- ``lockfileVersion`` 0 to 3. 0 lists a workspace's dependencies in its ``packages`` entry, 1 only in
  ``workspaces``; 2 and 3 add checks on the same layout and object-valued ``overrides``.
- ``workspaces``: ``{"": root, "<path>": {name, version, ...}}``, each with ``dependencies``,
  ``devDependencies``, ``optionalDependencies``, ``peerDependencies`` (and ``optionalPeers``): the project's
  declarations. Their packages are direct; the scope comes from walking the graph from them (prod wins over
  optional, optional over dev; a package nothing reaches is prod).
- ``packages``: one entry per installed folder, keyed by its path of names (``lodash``, ``parent/lodash``,
  ``@scope/a/@scope/b``, ``<workspace name>/lodash``), an array whose first item is ``"<name>@<resolution>"``
  (the name is the real package: under an alias key it differs from the key). By resolution:
  ``name@1.2.3`` (npm) -> ``[ident, registry, info, integrity]``, registry ``""`` for the configured registry or
  the tarball's URL; ``name@github:owner/repo#sha`` and ``name@git+<url>#<commit>`` -> ``[ident, info, tag,
  integrity?]`` (the tag is the commit git checks out, or ``owner-repo-sha`` for GitHub); ``name@https://...``
  or a local ``.tgz`` -> ``[ident, info, integrity?]``; ``name@file:path`` and ``name@link:path`` ->
  ``[ident, info]``; ``name@workspace:path`` and ``name@root:`` are the project itself. ``info`` holds the
  package's own dependencies, ``optionalPeers``, ``bundled``, ``os``, ``cpu``, ``bin``.
- ``trustedDependencies``: packages whose install scripts Bun runs (it runs no dependency's scripts otherwise):
  each is a ``config`` dependency ``bun.trustedDependencies`` whose version is the package name, so that a pull
  request that trusts one more package shows it and needs review.
- ``patchedDependencies``: ``{"name@version": "patches/x.patch"}``. A patch is code: its SHA-256 joins the hashes
  of the package it patches (``patch-sha256:<hex>``), so an edited patch is a ``hashes-changed`` change of that
  package. The patch files are this format's includes.
- ``overrides``, ``catalog``, ``catalogs``: what the resolution used; the packages record its outcome.
  A ``catalog:`` declaration is shown as the catalog's range.

Dependency per package: the real name and version, integrity as ``sha512:<hex>`` (an empty integrity is none),
the source (the configured registry; another registry's or any other tarball URL, kept as ``resolved`` so that
registry-source can check it names this package; git with the commit; a local path), ``bundled`` for a package
inside its parent's tarball.

Consistency, as Bun checks it: every dependency a workspace or a package declares must resolve to an entry (Bun's
lookup: the declaring path, then each parent path, then the top), unless it is optional; otherwise Bun refuses
the file (and ``bun install`` without ``--frozen-lockfile`` would resolve afresh). An entry whose real name differs
from its key's name is an alias, which some declaration must ask for (``"key": "npm:<name>@..."``); one nobody
asks for installs a package under another package's name, and is a problem. A git tag that is not one safe path
component (older Bun passes it to ``git checkout`` and into a cache path) is a problem too.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from typing import NamedTuple, NoReturn

from checker.errors import ManifestError
from checker.manifests import json_strict
from checker.manifests.common import is_blank
from checker.manifests.jsonc import strict_json, to_json
from checker.manifests.jslocks import scopes, sri_hashes
from checker.manifests.npm_common import git_source, is_valid_name
from checker.model import DEFAULT_SOURCE, Dependency, Manifest, Problem, Reader, Source

FORMAT = "bun-lock"
# (field, the scope it gives, whether the dependency is optional): the groups of a workspace or a package's info.
GROUPS = (
    ("dependencies", "prod", False),
    ("devDependencies", "dev", False),
    ("optionalDependencies", "optional", True),
    ("peerDependencies", "prod", False),
)
VERSIONS = (0, 1, 2, 3)
_SAFE_TAG = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]{0,255}")
_FULL_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_PATCHED = '"patchedDependencies"'
_KEEPS_LAST = ": Bun would silently keep the last one"  # json_strict's words, true of JSON.parse but not of Bun


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The patch files a parse reads (``patchedDependencies``), as repository paths, with the line that names the
    table. Nothing to decode for the usual file that patches nothing; a file that cannot be read names none (the
    parse reports it)."""
    if _PATCHED not in text:
        return []
    try:
        data = json_strict.loads(to_json(text, path), path, "Bun", same_repeats=True)
    except ManifestError:
        return []
    table = data.get("patchedDependencies") if type(data) is dict else None
    if type(table) is not dict:
        return []
    line = _key_line(text, "patchedDependencies")
    found = [_patch_path(patch, path) for patch in table.values() if type(patch) is str]
    return [(where, line) for where in found if where is not None]


def parse(text: str, path: str, read: Reader) -> Manifest:
    if is_blank(text):
        raise ManifestError("empty file, expected a bun.lock (JSON with trailing commas)", path)
    try:
        # A key Bun wrote twice with one value (Bun 1.2 repeats peer dependencies) is read once; two values are
        # refused below.
        members = strict_json(text, path,
                              lambda strict: json_strict.load_members(strict, path, "Bun", same_repeats=True))
    except ManifestError as error:
        if not error.message.endswith(_KEEPS_LAST):
            raise
        # Bun keeps both in a list and reads the first for most keys (an error for a package path): a reviewer
        # may read the other one.
        raise ManifestError(error.message[: -len(_KEEPS_LAST)] + ": Bun reads one of the two, a reviewer may read "
                            "the other", path, error.line) from None
    data = members.data
    if type(data) is not dict:
        raise ManifestError("expected a bun.lock: a JSON object at the top level", path, 1)
    return _Lockfile(data, members.lines, text, path, read).manifest()


class _Entry(NamedTuple):
    """One ``packages`` entry: its key, line, real name, what it resolves to, and its info object."""

    key: str
    line: int | None
    name: str
    kind: str  # npm, git, github, tarball, folder, symlink, workspace, root
    resolution: str  # what follows ``name@``
    info: dict
    fields: list  # the array's items after the ident


class _Lockfile:
    def __init__(self, data: dict, lines: dict, text: str, path: str, read: Reader) -> None:
        self.data, self.lines, self.text, self.path, self.read = data, lines, text, path, read
        self.problems: list[Problem] = []
        self.includes: list[str] = []
        self.version = self._version()

    def fail(self, message: str, line: int | None = None) -> ManifestError:
        return ManifestError(message, self.path, line)

    def _version(self) -> int:
        value = self.data.get("lockfileVersion")
        line = _key_line(self.text, "lockfileVersion")
        if value is None:
            raise self.fail(f"missing lockfileVersion, expected a bun.lock of version {_versions()}", 1)
        if type(value) is float and value.is_integer():
            value = int(value)
        if type(value) is not int or value not in VERSIONS:
            raise self.fail(f"unsupported bun.lock lockfileVersion {value!r}; lockgate reads {_versions()}", line)
        return value

    # -- the whole file ---------------------------------------------------------------------------------------------

    def manifest(self) -> Manifest:
        workspaces = self._workspaces()
        names = self._workspace_names(workspaces)
        entries = self._entries()
        keys = {entry.key: entry for entry in entries}
        if self.version >= 1:
            for name in names:
                if name in keys and keys[name].kind != "workspace":
                    raise self.fail(f"package {name!r} has the name of a workspace (Bun: duplicate package path)",
                                    keys[name].line)
            paths = set(names.values())
            for entry in entries:
                if entry.kind == "workspace" and entry.key not in names and entry.resolution[10:] not in paths:
                    raise self.fail(f"package {entry.key!r} names {entry.resolution!r}, which is no workspace "
                                    "(Bun: unknown workspace)", entry.line)
        packages = [entry for entry in entries if entry.kind not in ("workspace", "root")]
        index = {entry.key: number for number, entry in enumerate(packages)}
        # What a dependency can resolve to: the packages' keys, and from version 1 on the workspaces' names.
        self.resolvable = frozenset(keys) | (frozenset(names) if self.version >= 1 else frozenset())
        roots, specifiers = self._roots(workspaces, keys, index, entries)
        edges = [self._edges(entry, keys, index) for entry in packages]
        self._check_aliases(packages, workspaces, entries)
        package_scopes = scopes(len(packages), edges, roots["prod"], roots["optional"], roots["dev"])
        patches = self._patches()
        dependencies = self._dependencies(packages, package_scopes, specifiers, patches)
        dependencies.extend(self._trusted())
        return Manifest(path=self.path, format=FORMAT, ecosystem="npm", dependencies=tuple(dependencies),
                        kind="lock", includes=tuple(dict.fromkeys(self.includes)), problems=tuple(self.problems))

    # -- workspaces -------------------------------------------------------------------------------------------------

    def _workspaces(self) -> dict[str, dict]:
        workspaces = self.data.get("workspaces")
        line = _key_line(self.text, "workspaces")
        if type(workspaces) is not dict:
            raise self.fail("missing the `workspaces` object (Bun requires it)", line if workspaces else 1)
        if "" not in workspaces:
            raise self.fail('`workspaces` has no root package ("")', line)
        for where, workspace in workspaces.items():
            if type(workspace) is not dict:
                raise self.fail(f"workspace {where!r} must be an object", line)
            if where and type(workspace.get("name")) is not str:
                raise self.fail(f"workspace {where!r} needs a string `name`", line)
            for group, _, _ in GROUPS:
                self._string_map(workspace.get(group), f"{group} of workspace {where!r}", line)
        return workspaces

    def _workspace_names(self, workspaces: dict[str, dict]) -> dict[str, str]:
        """Workspace name -> path, for the workspaces other than the root."""
        names: dict[str, str] = {}
        for where, workspace in workspaces.items():
            if where:
                name = workspace["name"]
                if name in names:
                    raise self.fail(f"two workspaces are named {name!r} (Bun: duplicate workspace name)",
                                    _key_line(self.text, "workspaces"))
                names[name] = where
        return names

    def _roots(self, workspaces: dict[str, dict], keys: dict[str, _Entry], index: dict[str, int],
               entries: list[_Entry]) -> tuple[dict[str, list[int]], dict[int, list[str]]]:
        """The packages each workspace declares, by scope, and the specifiers that declare them. Version 0 reads
        a workspace's declarations from its ``packages`` entry, later versions from ``workspaces``."""
        roots: dict[str, list[int]] = {"prod": [], "optional": [], "dev": []}
        specifiers: dict[int, list[str]] = {}
        line = _key_line(self.text, "workspaces")
        declarations: list[tuple[str | None, dict, str]] = [(None, workspaces[""], "the root workspace")]
        if self.version == 0:
            declarations.extend((entry.key, entry.info, f"workspace package {entry.key!r}") for entry in entries
                                if entry.kind == "workspace")
        else:
            declarations.extend((workspace["name"], workspace, f"workspace {where!r}")
                                for where, workspace in workspaces.items() if where)
        for parent, declared, what in declarations:
            optional_peers = set(self._strings(declared.get("optionalPeers"), f"optionalPeers of {what}", line))
            for group, scope, optional_group in GROUPS:
                for name, spec in (declared.get(group) or {}).items():
                    optional = optional_group or (group == "peerDependencies" and name in optional_peers)
                    target = self._resolve_declared(parent, name, keys, optional, what, line)
                    if target is None or target not in index:
                        continue  # not installed (optional), or a workspace: the project itself
                    roots["optional" if optional else scope].append(index[target])
                    specifiers.setdefault(index[target], []).append(self._catalog(name, spec))
        return roots, specifiers

    def _resolve_declared(self, parent: str | None, name: str, keys: dict[str, _Entry], optional: bool,
                          what: str, line: int | None) -> str | None:
        """The key a workspace's dependency resolves to, as Bun resolves it: the root's by its name, another
        workspace's (version 1 on) under the workspace's name first, a version 0 workspace entry's by the
        package lookup."""
        if parent is None:
            candidates = [name]
        elif self.version == 0:
            return self._find(parent, name, optional, keys[parent].line)
        else:
            candidates = [f"{parent}/{name}", name]
        for candidate in candidates:
            if candidate in self.resolvable:
                return candidate
        if optional:
            return None
        raise self.fail(f"{what} declares {name!r}, which has no entry in packages (a truncated or hand-edited "
                        "lockfile? Bun refuses it)", line)

    def _catalog(self, name: str, spec: str) -> str:
        """A ``catalog:`` specifier as the range its catalog holds, else as written."""
        if not spec.startswith("catalog:"):
            return spec
        group = spec[len("catalog:"):].strip()
        catalog = self.data.get("catalog") if not group or group == "default" else \
            (self.data.get("catalogs") or {}).get(group)
        value = catalog.get(name) if type(catalog) is dict else None
        return value if type(value) is str else spec

    # -- packages ---------------------------------------------------------------------------------------------------

    def _entries(self) -> list[_Entry]:
        packages = self.data.get("packages")
        if packages is None:
            return []
        if type(packages) is not dict:
            raise self.fail("`packages` must be an object", _key_line(self.text, "packages"))
        lines = self.lines.get("packages", {})
        return [self._entry(key, value, lines.get(key)) for key, value in packages.items()]

    def _entry(self, key: str, value: object, line: int | None) -> _Entry:
        if type(value) is not list or not value or type(value[0]) is not str:
            raise self.fail(f"package {key!r} must be an array starting with \"<name>@<resolution>\"", line)
        ident = value[0]
        if ident.startswith("@root:"):
            return _Entry(key, line, "", "root", ident[6:], {}, value[1:])
        at = ident.find("@", 1)
        name, resolution = ident[:at], ident[at + 1:]
        if at <= 0 or not is_valid_name(name) or name in (".", ".."):  # Bun: "Invalid package name"
            raise self.fail(f"package {key!r}: {ident!r} is not \"<name>@<resolution>\"", line)
        kind = _kind(resolution)
        if kind is None:
            raise self.fail(f"package {key!r}: unexpected resolution {resolution!r} (Bun refuses it)", line)
        fields = value[1:]
        if kind == "root" or (kind == "workspace" and self.version >= 1):
            return _Entry(key, line, name, kind, resolution, {}, fields)
        info_at = 1 if kind == "npm" else 0
        if kind == "npm" and (not fields or type(fields[0]) is not str):
            raise self.fail(f"package {key!r}: the second item must be the registry (a string, \"\" for the "
                            "configured one)", line)
        if len(fields) <= info_at or type(fields[info_at]) is not dict:
            raise self.fail(f"package {key!r}: missing its info object", line)
        info = fields[info_at]
        for group, _, _ in GROUPS:
            self._string_map(info.get(group), f"{group} of package {key!r}", line)
        return _Entry(key, line, name, kind, resolution, info, fields)

    def _edges(self, entry: _Entry, keys: dict[str, _Entry], index: dict[str, int]) -> list[tuple[int, bool]]:
        """The packages this one's dependencies resolve to, each with whether the edge is optional. Dev
        dependencies of an installed package are not installed, but must resolve all the same (Bun checks)."""
        edges = []
        optional_peers = set(self._strings(entry.info.get("optionalPeers"), f"optionalPeers of {entry.key!r}",
                                           entry.line))
        for group, scope, optional_group in GROUPS:
            for name in (entry.info.get(group) or {}):
                optional = optional_group or (group == "peerDependencies" and name in optional_peers)
                target = self._find(entry.key, name, optional, entry.line)
                if target is not None and target in index and scope != "dev":
                    edges.append((index[target], optional))
        return edges

    def _find(self, parent: str, name: str, optional: bool, line: int | None) -> str | None:
        """Bun's ``findResolution``: ``parent/name``, then ``name`` under each parent folder up to the top."""
        try:
            return find_resolution(parent, name, self.resolvable)
        except _Unresolvable:
            if optional:
                return None
            raise self.fail(f"package {parent!r} depends on {name!r}, which has no entry it can reach in packages "
                            "(a truncated or hand-edited lockfile? Bun refuses it)", line) from None
        except ValueError:
            raise self.fail(f"package key {parent!r} is not a path of package names (Bun refuses it)", line) from None

    def _check_aliases(self, packages: list[_Entry], workspaces: dict[str, dict], entries: list[_Entry]) -> None:
        """A package installed under another name than its own must be asked for so: by an ``npm:<name>@...``
        alias, or by a git, URL or path specifier (npm and Bun install those under the declared name, whatever the
        package calls itself). Under a name only registry ranges ask for, it is another package in that one's
        place."""
        declared: dict[str, list[str]] = {}
        tables = [declared_in.get(group) or {} for declared_in in list(workspaces.values()) + [e.info for e in entries]
                  for group, _, _ in GROUPS]
        overrides = self.data.get("overrides")
        tables.append(overrides if type(overrides) is dict else {})
        for table in tables:
            for folder, spec in table.items():
                if type(spec) is str:
                    declared.setdefault(folder, []).append(self._catalog(folder, spec))
        for entry in packages:
            folder = _folder_name(entry.key)
            if entry.name == folder or any(_asks_for(entry.name, folder, spec) for spec in declared.get(folder, ())):
                continue
            self.problems.append(Problem(
                f"package {entry.key!r} installs {entry.name}@{entry.resolution} under the name {folder!r}, which "
                f"nothing declares as an alias (npm:{entry.name}@...) or as a git, URL or path dependency: one "
                "package installed in another's place", entry.line))

    def _dependencies(self, packages: list[_Entry], package_scopes: list[str], specifiers: dict[int, list[str]],
                      patches: dict[str, str]) -> list[Dependency]:
        found: list[Dependency] = []
        seen: dict[tuple, int] = {}
        for number, entry in enumerate(packages):
            dependency = self._dependency(entry, package_scopes[number], specifiers.get(number), patches)
            identity = (dependency.name, dependency.version, dependency.source, dependency.hashes)
            earlier = seen.get(identity)
            if earlier is None:
                seen[identity] = len(found)
                found.append(dependency)
                continue
            kept = found[earlier]  # the same package installed in two folders: one dependency, the stronger scope
            if _RANK[dependency.scope] < _RANK[kept.scope] or (dependency.direct and not kept.direct):
                found[earlier] = kept._replace(scope=min(kept.scope, dependency.scope, key=_RANK.__getitem__),
                                               direct=kept.direct or dependency.direct,
                                               specifier=kept.specifier or dependency.specifier)
        return found

    def _dependency(self, entry: _Entry, scope: str, specifiers: list[str] | None,
                    patches: dict[str, str]) -> Dependency:
        where = f"package {entry.key!r}"
        kind, fields, resolution = entry.kind, entry.fields, entry.resolution
        version: str | None = None
        source: Source = DEFAULT_SOURCE
        resolved: str | None = None
        integrity: object = None
        if kind == "npm":
            version, registry = resolution, fields[0]
            integrity = fields[2] if len(fields) > 2 else _missing(self, where, "integrity", entry.line)
            if registry:
                from checker.manifests.package_lock import source_of

                source, resolved = source_of(registry, entry.name, version), registry
        elif kind in ("git", "github"):
            if len(fields) < 2 or type(fields[1]) is not str:
                _missing(self, where, "git tag (the third item)", entry.line)
            tag = fields[1]
            if not _SAFE_TAG.fullmatch(tag) or tag in (".", ".."):
                self.problems.append(Problem(f"{where}: git tag {tag!r} is not one safe path component (older Bun "
                                             "passes it to git checkout and into a cache path)", entry.line))
            integrity = fields[2] if len(fields) > 2 and type(fields[2]) is str else None
            source = _git(kind, resolution, tag)
            version = source.commit or source.ref
        elif kind == "tarball":
            integrity = fields[1] if len(fields) > 1 and type(fields[1]) is str else None
            if resolution.lower().startswith(("http://", "https://")):
                source, resolved = Source("url", url=resolution), resolution
            else:
                source = Source("path", url=resolution)
        else:  # folder, symlink, and version 0's workspaces (left out before this): a local path
            source = Source("path", url=resolution.partition(":")[2])
        hashes = frozenset() if integrity in (None, "") else sri_hashes(integrity, f"{where}: integrity", self.path,
                                                                        entry.line)
        patch = patches.get(f"{entry.name}@{version}") if version is not None else None
        if patch is not None:
            hashes = hashes | {patch}
        folder = _folder_name(entry.key)
        alias = f"{folder}@npm:{entry.name}@{version}" if folder != entry.name else ""
        return Dependency(
            ecosystem="npm", name=entry.name, version=version,
            specifier=", ".join(dict.fromkeys(specifiers)) if specifiers else alias, source=source, hashes=hashes,
            scope=scope, direct=bool(specifiers), manifest=self.path, line=entry.line, resolved=resolved,
            bundled=entry.info.get("bundled") is True,
        )

    # -- patches and trusted dependencies ---------------------------------------------------------------------------

    def _patches(self) -> dict[str, str]:
        """``name@version`` -> ``patch-sha256:<hex>`` of its patch file. A patch file that does not exist makes
        Bun's install fail: a problem."""
        table = self.data.get("patchedDependencies")
        line = _key_line(self.text, "patchedDependencies")
        found: dict[str, str] = {}
        for target, patch in self._string_map(table, "patchedDependencies", line).items():
            where = _patch_path(patch, self.path)
            if where is None:
                raise self.fail(f"patch {patch!r} of {target} leaves the repository", line)
            self.includes.append(where)
            content = self.read(where)
            if content is None:
                self.problems.append(Problem(f"the patch of {target}, {where}, does not exist: bun install fails",
                                             line))
                continue
            found[target] = "patch-sha256:" + hashlib.sha256(content.encode("utf-8", "surrogateescape")).hexdigest()
        return found

    def _trusted(self) -> list[Dependency]:
        names = self._strings(self.data.get("trustedDependencies"), "trustedDependencies",
                              _key_line(self.text, "trustedDependencies"))
        start = self.text.find('"trustedDependencies"')
        found = []
        for name in dict.fromkeys(names):
            at = self.text.find(f'"{name}"', start) if start >= 0 else -1
            line = self.text.count("\n", 0, at) + 1 if at >= 0 else None
            found.append(Dependency(ecosystem="config", name="bun.trustedDependencies", version=name, scope="build",
                                    direct=True, manifest=self.path, line=line))
        return found

    # -- helpers ----------------------------------------------------------------------------------------------------

    def _string_map(self, value: object, what: str, line: int | None) -> dict[str, str]:
        if value is None:
            return {}
        if type(value) is not dict or any(type(item) is not str for item in value.values()):
            raise self.fail(f"{what} must be an object of strings", line)
        return value

    def _strings(self, value: object, what: str, line: int | None) -> list[str]:
        if value is None:
            return []
        if type(value) is not list or any(type(item) is not str for item in value):
            raise self.fail(f"{what} must be an array of strings", line)
        return value


_RANK = {"prod": 0, "optional": 1, "dev": 2}


class _Unresolvable(Exception):
    pass


def find_resolution(parent: str, name: str, keys: set[str] | frozenset[str]) -> str:
    """The key Bun's ``findResolution`` gives dependency ``name`` of the package at ``parent``: ``parent/name``,
    then ``name`` under each enclosing package folder (``@scope/pkg`` counts as one), then ``name`` alone.
    Raises _Unresolvable when none exists, ValueError for a key that is no path of package names."""
    buffer = parent + "/"
    offset = len(buffer)
    while True:
        candidate = buffer[:offset] + name
        if candidate in keys:
            return candidate
        if offset == 0:
            raise _Unresolvable
        head = buffer[: offset - 1]
        slash = head.rfind("/")
        if slash < 0:
            offset = 0
            continue
        at = head.rfind("@")
        if at < 0:
            offset = slash + 1
            continue
        if at > slash:
            raise ValueError(parent)
        next_slash = buffer.rfind("/", 0, slash)
        if next_slash < 0:
            if at != 0:
                raise ValueError(parent)
            offset = 0
            continue
        if next_slash > at:
            offset = slash + 1
            continue
        if next_slash + 1 != at:
            raise ValueError(parent)
        offset = at


def _asks_for(name: str, folder: str, spec: str) -> bool:
    """Whether declaring ``"<folder>": "<spec>"`` installs package ``name`` in that folder: an ``npm:`` alias of
    it, or a specifier that fetches by location rather than by name (git, a URL, a path, a workspace)."""
    from checker.manifests.npm_common import classify, split_alias

    alias = split_alias(spec)
    if alias is not None:
        return alias[0] == name
    return classify(folder, spec).source.kind != "registry"


def _kind(resolution: str) -> str | None:
    """What a resolution is, in the order Bun's ``Resolution.fromTextLockfile`` tries: ``root:``, ``link:``,
    ``workspace:``, ``file:``, then git, GitHub, a tarball (a URL, or a path ending in .tgz / .tar.gz / .tar),
    an exact version."""
    for prefix, kind in (("root:", "root"), ("link:", "symlink"), ("workspace:", "workspace"), ("file:", "folder")):
        if resolution.startswith(prefix):
            return kind
    lower = resolution.lower()
    if lower.startswith(("git+", "git://", "ssh://")):
        return "git"
    if lower.startswith("github:"):
        return "github"
    if lower.startswith(("http://", "https://")) or lower.endswith((".tgz", ".tar.gz", ".tar")):
        return "tarball"
    from checker.versions.semver import exact_version

    return "npm" if exact_version(resolution) == resolution else None


def _git(kind: str, resolution: str, tag: str) -> Source:
    """The git source of a ``git+<url>#<commit>`` or ``github:owner/repo#<sha>`` resolution; the commit is the
    tag for git (the commit Bun checks out), the ident's fragment for GitHub when it is a full commit."""
    if kind == "github":
        location, _, ref = resolution[len("github:"):].partition("#")
        commit = ref.lower() if _FULL_COMMIT.fullmatch(ref.lower()) else None
        return Source("git", url=f"https://github.com/{location}", ref=ref or None, commit=commit)
    source = git_source(resolution)
    commit = tag.lower() if _FULL_COMMIT.fullmatch(tag.lower()) else source.commit
    return Source("git", url=source.url, ref=source.ref, commit=commit)


def _folder_name(key: str) -> str:
    """The installed folder's name: the last name of a key (``@scope/name`` counts as one)."""
    parts = key.split("/")
    if len(parts) >= 2 and parts[-2].startswith("@"):
        return f"{parts[-2]}/{parts[-1]}"
    return parts[-1]


def _patch_path(patch: str, lock_path: str) -> str | None:
    """A patch path, relative to the lockfile's folder, as a repository path; None when it leaves the repository."""
    if patch.startswith("/") or "\\" in patch:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(lock_path), patch))
    return None if joined == ".." or joined.startswith("../") or joined == "." else joined


def _key_line(text: str, key: str) -> int | None:
    at = text.find(f'"{key}"')
    return None if at < 0 else text.count("\n", 0, at) + 1


def _missing(lockfile: _Lockfile, where: str, what: str, line: int | None) -> NoReturn:
    raise lockfile.fail(f"{where}: missing its {what} (Bun refuses it)", line)


def _versions() -> str:
    return ", ".join(map(str, VERSIONS[:-1])) + f" and {VERSIONS[-1]}"
