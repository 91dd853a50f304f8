"""The Berry (Yarn 2+) ``yarn.lock`` reader: a YAML document with a ``__metadata`` entry first.

The YAML is read by checker/manifests/lockyaml.py (its fast reader for the subset Yarn writes, ruamel.yaml for the
rest); this module reads the document's structure, of which it uses::

    lockfile   = "__metadata" metadata { entry } ;             (* the top-level mapping *)
    metadata   = "version" (4 .. 10) [ "cacheKey" (string | integer) ] ;
    entry      = descriptor { "," descriptor } fields ;         (* the key: the descriptors resolved to it *)
    descriptor = name "@" range ;
    fields     = "version" string  "resolution" locator  [ "checksum" string ]
                 [ "dependencies" { name range } ]  [ "dependenciesMeta" { name { "optional" boolean } } ]
                 { other-key any } ;                            (* languageName, linkType, bin, ...: not read *)
    locator    = name "@" reference ;
    reference  = "npm:" version [ "::" params ]                 (* from the registry .yarnrc.yml names *)
               | "workspace:" path                              (* the project itself *)
               | "patch:" descriptor "#" patch { "&" patch } [ "::" params ]
               | ( "file:" | "link:" | "portal:" | "exec:" ) path [ "::" params ]
               | git-url [ "#" ( "commit=" | "commit:" ) sha ] | tarball-url ;
    params     = param { "&" param } ;                          (* "__archiveUrl=" url: the tarball fetched *)

(descriptors, patches and paths are URL-encoded where Yarn encodes them). A ``__metadata`` without a version
from 4 to 10, an entry that is not a mapping, a key that is not a string, an entry without a ``resolution``
locator or a ``version`` string, a ``checksum`` that is not one word, and a ``dependencies`` that is not a
mapping are errors with their line.

Meaning. ``__metadata.cacheKey`` is the setting ``yarn.cacheKey`` (part of every checksum: the diff reports its
change once, not every checksum's). Each entry is a dependency named by its ``resolution``, at the version that
locator fetches (a ``version`` label that contradicts an ``npm:`` locator is a Problem, and the locator wins).
Workspace members are the project itself, not dependencies. Patch entries that apply one of Yarn's built-in
compatibility patches (``builtin<compat/...>``, in every spelling: Yarn 4's ``optional!builtin<...>``, Yarn 2 and
3's ``~builtin<...>``) are left out: the package they patch has its own npm entry. A patch from the repository is
a dependency with a ``path`` source (the patch file). ``npm:`` resolutions name no host: they come from the
registry the project's ``.yarnrc.yml`` files configure (``npmRegistryServer``, ``npmScopes``), Yarn's default
without one.

Berry's checksum is not an npm hash. ``checksum`` is the hash (``<cacheKey>/<sha512 hex>`` in recent Yarn) of the
zip archive Yarn stores in its cache after converting the npm tarball, not of the tarball the registry serves, so
it can never be compared with the registry's ``dist.integrity``. It is kept as ``yarn-berry:<value>``: the
artifact Yarn installs is still pinned (a changed archive changes the checksum, which the diff reports as
``hashes-changed``), but it is not a registry-verifiable hash.

Roots. The workspace entries name each workspace's dependencies (dev ones included); whether one is dev comes
from that workspace's package.json, read from the snapshot; without workspace entries, the package.json beside
the lockfile says (checker/manifests/yarn_lock.py).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from checker.errors import ManifestError
from checker.manifests import lockyaml
from checker.manifests.jslocks import Edge, alias_target, git_source, locate_url, read_package_json, split_descriptor
from checker.manifests.npm_common import is_git_url
from checker.manifests.settings import setting
from checker.manifests.yarn_common import (
    PATH_PROTOCOLS, Entry, Package, dependency_fields, entry_index, finish, lookup, project_roots, ref_of,
)
from checker.model import Dependency, Problem, Reader, Source

BERRY_VERSIONS = tuple(range(4, 11))
# Where Yarn Berry fetches ``npm:`` resolutions when no .yarnrc.yml names a registry (its ``npmRegistryServer``
# default). Written as the classic lockfile's tarball URLs give it, so that a move from Yarn 1 to Berry, which
# rewrites every entry, is not a source change of every package.
_BERRY_DEFAULT_REGISTRY = "https://registry.yarnpkg.com/"
_METADATA_VERSION = re.compile(r'^(?:__metadata|"__metadata"):[ \t]*\n(?:[ \t]+.*\n)*?([ \t]+)version:', re.MULTILINE)


def dependencies(text: str, path: str, read: Reader, fast: bool, problems: list[Problem]) -> tuple[Dependency, ...]:
    """The dependencies of a Berry yarn.lock, and the ``yarn.cacheKey`` setting (``read`` fetches package.json and
    .yarnrc.yml files of the project); what is read but misleading goes to ``problems``. ``fast=False`` reads the
    YAML with the full loader."""
    return _Berry(text, path, read, fast, problems).dependencies()


def _registry(url: str) -> Source:
    """A registry's Source, its URL ending in one ``/`` as tarball URLs give it (``npmRegistryServer`` is written
    with or without)."""
    return Source("registry", url=url.rstrip("/") + "/")


class _Berry:
    """Yarn 2+'s YAML lockfile."""

    def __init__(self, text: str, path: str, read: Reader, fast: bool = True,
                 problems: list[Problem] | None = None) -> None:
        self.text = text
        self.path = path
        self.read = read
        self.fast = fast
        self.problems = problems if problems is not None else []
        self.registries: tuple[Source, dict[str, Source]] = (_registry(_BERRY_DEFAULT_REGISTRY), {})

    def _configured(self) -> tuple[str | None, dict[str, str]]:
        """The registries the project's ``.yarnrc.yml`` files configure (the lockfile's folder and its parents,
        the nearer winning key by key): Berry's ``npm:`` resolutions name no host, Yarn fetches them from these."""
        from checker.manifests import yarnrc_yml

        default: str | None = None
        scopes: dict[str, str] = {}
        for config in reversed(yarnrc_paths(self.path)):  # the root's first, the nearest last: it wins
            text = self.read(config)
            if text is None:
                continue
            found = yarnrc_yml.registries(text, config)
            default = found.default or default
            scopes.update(found.scopes)
        return default, scopes

    def dependencies(self) -> tuple[Dependency, ...]:
        default, scopes = self._configured()
        self.registries = (_registry(default or _BERRY_DEFAULT_REGISTRY),
                           {scope: _registry(url) for scope, url in scopes.items()})
        document = lockyaml.load(self.text, self.path, fast=self.fast, line_depth=1)
        data, lines = document.data, document.lines
        if not isinstance(data, dict):
            raise ManifestError("expected a mapping of entries at the top level", self.path)
        cache_key = self._check_metadata(data, lines)
        entries = []
        for key, fields in data.items():
            if key == "__metadata":
                continue
            line = lines.get((key,), 0)
            if not isinstance(key, str):
                raise ManifestError(f"entry key {key!r} must be a string of descriptors", self.path, line or None)
            if not isinstance(fields, dict):
                raise ManifestError(f"entry {key!r} must be a mapping with `version` and `resolution`", self.path,
                                    line or None)
            descriptors = [d.strip() for d in key.split(",")] if "," in key else [key.strip()]
            entries.append(Entry(descriptors, line, fields))
        index = entry_index(entries)
        packages = [self._package(entry) for entry in entries]
        for entry, package in zip(entries, packages):
            package.edges = self._edges(entry, index)
        roots = self._roots(entries, index)
        return finish(packages, roots) + cache_key

    def _check_metadata(self, data: dict, lines: dict) -> tuple[Dependency, ...]:
        """Refuse a version lockgate cannot read; return ``__metadata.cacheKey`` as the setting ``yarn.cacheKey``.

        The cache key is part of every checksum (the archive Yarn caches depends on it): when it changes, every
        checksum does, and the diff reports the one setting instead (checker/diff/changes.py)."""
        supported = f"{BERRY_VERSIONS[0]} to {BERRY_VERSIONS[-1]}"
        metadata = data.get("__metadata")
        line = lines.get(("__metadata",))
        if not isinstance(metadata, dict) or "version" not in metadata:
            raise ManifestError(f"`__metadata` needs a `version` ({supported})", self.path, line)
        version = metadata["version"]
        if type(version) is not int or version not in BERRY_VERSIONS:
            raise ManifestError(
                f"unsupported yarn.lock __metadata version {version!r}; lockgate reads Berry lockfiles of version "
                f"{supported} and classic v1", self.path, _metadata_version_line(self.text) or line,
            )
        cache_key = metadata.get("cacheKey")
        if cache_key is None:
            return ()
        if type(cache_key) not in (str, int) or cache_key == "":
            raise ManifestError("`__metadata.cacheKey` must be a string or a number", self.path, line)
        key_line = _metadata_key_line(self.text, line, "cacheKey")
        return (setting("yarn.cacheKey", str(cache_key), self.path, key_line),)

    def _source_of(self, name: str) -> Source:
        """The registry an ``npm:`` resolution of ``name`` comes from: its scope's, else the default."""
        default, scopes = self.registries
        if name.startswith("@") and scopes:
            scoped = scopes.get(name[1:].partition("/")[0])
            if scoped is not None:
                return scoped
        return default

    def _package(self, entry: Entry) -> Package:
        fields, line, path = entry.fields, entry.line, self.path
        descriptors = entry.descriptors
        resolution = fields.get("resolution")
        at = resolution.find("@", 1) if type(resolution) is str else -1
        if type(resolution) is not str or at < 1:
            raise ManifestError(f"entry {descriptors[0]!r} needs a `resolution` locator (name@reference)", path, line)
        name, reference = resolution[:at], resolution[at + 1:]
        if reference.startswith("workspace:"):
            return Package(None, line)
        version = fields.get("version")
        if type(version) is not str or not version:
            raise ManifestError(f"entry {descriptors[0]!r} has no `version` string", path, line)
        fetched = _locator_version(reference)
        if fetched is not None and fetched != version:
            # Yarn fetches what the locator names; `version` is only a label. Trusting the label would show a
            # reviewer one version while another is installed.
            self.problems.append(Problem(
                f"entry {descriptors[0]!r} says version {version!r}, but its resolution {resolution!r} is what Yarn "
                f"fetches ({fetched}): lockgate judges the resolution, and a lockfile that contradicts itself was not "
                "written by Yarn", line))
            version = fetched
        checksum = fields.get("checksum")
        if checksum is None:
            hashes: frozenset[str] = frozenset()
        elif type(checksum) is not str or not checksum or " " in checksum:
            raise ManifestError(f"`checksum` of {descriptors[0]!r} must be a string", path, line)
        else:
            hashes = frozenset((f"yarn-berry:{checksum}",))
        ranges = [d[d.find("@", 1) + 1:] if d.find("@", 1) > 0 else "" for d in descriptors]
        if len(ranges) == 1:
            specifier = _shown_range(ranges[0])
        else:
            specifier = ", ".join(dict.fromkeys(_shown_range(r) for r in ranges))
        if reference.startswith("npm:") and "::" not in reference:
            source, url = self._source_of(name), None  # the usual entry: the configured registry
        elif reference.startswith("patch:"):
            inner, patches = _patch(reference)
            if all(p.startswith("builtin<") for p in patches):
                return Package(None, line)
            name = split_descriptor(inner)[0] or name
            source, url = Source("path", url="&".join(patches)), None
        else:
            source, url = _berry_source(reference, ref_of(ranges))
        return Package(dependency_fields(name, version, specifier, source, hashes, path, line, url), line)

    def _edges(self, entry: Entry, index: dict[str, int]) -> list[Edge]:
        fields = entry.fields
        edges: list[Edge] = []
        table = fields.get("dependencies")
        if table:
            if type(table) is not dict:
                raise ManifestError(f"`dependencies` of {entry.descriptors[0]!r} must be a mapping", self.path,
                                    entry.line)
            meta = fields.get("dependenciesMeta")
            for name, range_ in table.items():
                if type(range_) is not str:
                    range_ = _range_text(range_)
                target = index.get(f"{name}@{range_}")
                if target is None:
                    target = index.get(f"{name}@npm:{range_}")  # lockfiles before Berry 3 write bare ranges
                if target is not None:
                    info = meta.get(name) if type(meta) is dict else None
                    edges.append((target, type(info) is dict and info.get("optional") is True))
        # A patch entry depends on the package it patches: the inner descriptor of its key (``npm:^5.4.0``), or
        # failing that of its resolution (``npm:5.4.5``).
        resolution = fields.get("resolution")
        if type(resolution) is str and "@patch:" in resolution:
            for descriptor in entry.descriptors + [resolution]:
                reference = split_descriptor(descriptor)[1]
                if reference.startswith("patch:"):
                    target = index.get(_patch(reference)[0])
                    if target is not None:
                        edges.append((target, False))
                        break
        return edges

    def _roots(self, entries: list[Entry], index: dict[str, int]) -> list[tuple[str, int]] | None:
        """Roots from the workspace entries (scope from each workspace's package.json); without any, from the
        package.json beside the lockfile; None when neither exists."""
        lock_dir = posixpath.dirname(self.path)
        roots: list[tuple[str, int]] = []
        workspaces = 0
        for entry in entries:
            resolution = entry.fields.get("resolution")
            if not isinstance(resolution, str):
                continue
            reference = split_descriptor(resolution)[1]
            if not reference.startswith("workspace:"):
                continue
            workspaces += 1
            where = unquote(reference[len("workspace:"):])
            directory = posixpath.join(lock_dir, where) if lock_dir else where
            project = read_package_json(directory, self.read, line_path=self.path, line=entry.line)
            table = entry.fields.get("dependencies") or {}
            if not isinstance(table, dict):
                raise ManifestError(f"`dependencies` of {entry.descriptors[0]!r} must be a mapping", self.path,
                                    entry.line)
            meta = entry.fields.get("dependenciesMeta") or {}
            for name, range_ in table.items():
                target = lookup(index, str(name), _range_text(range_), berry=True)
                if target is None or _is_workspace(entries[target]):
                    continue
                if project is not None:
                    scope = project.scope_of(str(name))
                else:
                    info = meta.get(name) if isinstance(meta, dict) else None
                    scope = "optional" if isinstance(info, dict) and info.get("optional") is True else "prod"
                roots.append((scope, target))
        if workspaces:
            return roots
        project = read_package_json(lock_dir, self.read, line_path=self.path)
        return None if project is None else project_roots(project, index, entries, berry=True)


def yarnrc_paths(lockfile: str) -> list[str]:
    """The ``.yarnrc.yml`` files Yarn reads for a project whose lockfile is at ``lockfile``: its folder's, then each
    parent's up to the repository root (nearest first)."""
    folder = posixpath.dirname(lockfile)
    paths = []
    while True:
        paths.append(posixpath.join(folder, ".yarnrc.yml") if folder else ".yarnrc.yml")
        if not folder:
            return paths
        folder = posixpath.dirname(folder)


def _locator_version(reference: str) -> str | None:
    """The version a Berry locator's reference fetches from the registry (``npm:4.17.21``, the ``npm:`` locator
    inside a ``patch:``), or None for references that name no registry version (git, tarballs, paths)."""
    if reference.startswith("npm:"):
        return reference[4:].partition("::")[0] or None
    if reference.startswith("patch:"):
        inner = split_descriptor(_patch(reference)[0])[1]
        return _locator_version(inner) if inner.startswith("npm:") else None
    return None


def _metadata_key_line(text: str, metadata_line: int | None, key: str) -> int | None:
    """The line of ``key:`` among the indented lines under ``__metadata`` (at ``metadata_line``)."""
    if metadata_line is None:
        return None
    rows = text.split("\n", metadata_line + 8)[metadata_line:metadata_line + 8]  # __metadata holds two or three keys
    for number, row in enumerate(rows, metadata_line + 1):
        if not row.startswith((" ", "\t")):
            return None
        if row.lstrip().startswith(f"{key}:"):
            return number
    return None


def _metadata_version_line(text: str) -> int | None:
    """The line of ``version:`` inside ``__metadata`` (only depth-one lines are kept for Berry)."""
    found = _METADATA_VERSION.search(text)
    return text.count("\n", 0, found.start(1)) + 1 if found else None


def _is_workspace(entry: Entry) -> bool:
    resolution = entry.fields.get("resolution")
    return isinstance(resolution, str) and split_descriptor(resolution)[1].startswith("workspace:")


def _range_text(range_: object) -> str:
    """A dependency range as YAML gave it: old Berry lockfiles write bare ranges, which YAML may read as numbers."""
    return range_ if isinstance(range_, str) else str(range_)


def _shown_range(range_: str) -> str:
    """A descriptor's range as package.json would say it: Berry's implicit ``npm:`` dropped unless it is an
    alias, and Berry's own ``::key=value`` parameters left out."""
    range_ = range_.partition("::")[0]
    if range_.startswith("npm:") and alias_target(range_) is None:
        return range_[4:]
    return range_


def _patch(reference: str) -> tuple[str, list[str]]:
    """``patch:<inner, url-encoded>#<patch>[&<patch>]::<params>`` -> (inner descriptor, patch sources)."""
    body = reference[len("patch:"):].partition("::")[0]
    inner, _, patch_part = body.partition("#")
    from checker.manifests.npm_patches import yarn_patch_flags

    return unquote(inner), [yarn_patch_flags(unquote(p))[1] for p in patch_part.split("&") if p]


def _berry_source(reference: str, ref: str | None) -> tuple[Source, str | None]:
    """Source and artifact URL of a Berry locator's reference (the part after ``name@``)."""
    if reference.startswith("npm:"):
        params = reference.partition("::")[2]
        for param in params.split("&") if params else ():
            key, _, value = param.partition("=")
            if key == "__archiveUrl" and value:
                url = unquote(value)
                located = locate_url(url)
                return located.source, located.resolved
        return Source(), None
    for protocol in PATH_PROTOCOLS:
        if reference.startswith(protocol):
            where = reference[len(protocol):].partition("::")[0].partition("#")[0]
            return Source("path", url=unquote(where)), None
    location = reference.partition("::")[0]
    fragment = location.partition("#")[2]
    if is_git_url(location) or "commit=" in fragment or "commit:" in fragment:
        return git_source(location, ref), None
    located = locate_url(location, ref)
    return located.source, located.resolved
