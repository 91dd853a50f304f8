"""package-lock.json and npm-shrinkwrap.json: npm's lockfiles (one format, two names), lockfileVersion 1, 2, 3.

Versions 2 and 3 (npm 7+) describe the installed tree in ``packages``: one entry per folder, keyed by its path
(``node_modules/a``, ``node_modules/a/node_modules/b``, ``packages/app/node_modules/c``), the project itself
under ``""``. An entry holds ``version``, ``resolved`` (where the tarball comes from), ``integrity`` (SRI),
``dev`` / ``optional`` / ``devOptional``, ``inBundle`` (shipped inside its parent's tarball), ``hasInstallScript``,
``name`` (the real package when the folder is an alias), or ``link: true`` + ``resolved`` for a symlink to a
folder (a workspace member or a ``file:`` directory), whose own entry is keyed by that folder's path. Version 2
also carries the version-1 ``dependencies`` tree for old npm; npm 7+ reads ``packages`` and so does lockgate.
Version 1 (npm 5 and 6) nests ``dependencies`` by name, with ``version`` holding the alias (``npm:real@1.0.0``),
the git URL or the ``file:`` path for non-registry packages, and ``bundled`` for bundled ones.

What is a dependency: every installed folder under a ``node_modules`` path, each version apart (two versions of
one package at two paths are two dependencies), except links to workspace members. A link to any other folder
(a ``file:`` directory) is a path dependency. Workspace members (link targets matching the root's
``workspaces`` globs) are the project itself, not dependencies; what they declare is direct, like what the root
declares (``dependencies``, ``devDependencies``, ``optionalDependencies``, ``peerDependencies``). Version 1 does
not say what the root declares: the sibling package.json does; without it every top-level entry counts as
direct, the safe side.

Sources: a registry tarball URL whose path names this very package and version gives the registry (url None
for registry.npmjs.org) and is kept whole in ``resolved``; any other http(s) URL is a url source (including a
registry tarball of another package: lockfile injection, reported by registry-source); ``git+...#commit`` is
git; ``file:`` is a local path. Hashes come from ``integrity`` (``sha512-<base64>`` -> ``sha512:<hex>``).
``"resolved": false`` is valid npm 6 output (the packages bundled in fsevents 1.x, whose own package.json said
``"_resolved": false``): npm reads it as no ``resolved`` at all (the entry is fetched by name and version from the
registry, or taken from its parent's tarball when ``bundled``), and so does lockgate. Any other non-string is an
error.

Lines: the file is read member by member (``json_strict.load_members``), which gives every entry's line in the
same pass as its value; the lockfile of pypi/warehouse parses within its budget (``benchmarks/npm.py``).
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from checker.errors import ManifestError
from checker.manifests.npm_common import (
    expect_bool,
    expect_object,
    expect_string,
    first_line_of,
    git_source,
    is_git_url,
    is_valid_name,
    key_lines,
    load_json_members,
    split_alias,
    sri_hashes,
)
from checker.model import DEFAULT_SOURCE, Dependency, Manifest, Reader, Source
from checker.manifests.npm_tarball import DEFAULT_REGISTRY, is_default_registry, own_registry, parse_tarball_url

FORMATS = {"package-lock.json": "package-lock", "npm-shrinkwrap.json": "npm-shrinkwrap"}
REUSES_BASE = True  # parse() takes a memo shared with the base revision's parse (see checker.manifests)
SUPPORTED_VERSIONS = (1, 2, 3)
_ROOT_SECTIONS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")
_FLAGS = ("dev", "optional", "devOptional", "inBundle", "hasInstallScript", "link", "peer", "extraneous", "bundled")
_FLAG_SET = frozenset(_FLAGS)
_STRING_FIELDS = ("version", "resolved", "integrity", "name")
# The usual shape of an installed folder's key; others go through the full check.
_PLAIN_KEY = re.compile(
    r"node_modules/(?:@[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)?[A-Za-z0-9_~-][A-Za-z0-9._~-]*"
    r"(?:/node_modules/(?:@[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)?[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*"
)
_MEMO_KEY = "package-lock entries"


def parse(text: str, path: str, read: Reader, memo: dict | None = None) -> Manifest:
    """Parse an npm lockfile into one Dependency per installed package folder.

    ``memo`` is shared by the parses of one file's two revisions, base first (see ``checker.manifests``). The base
    leaves there the document as it read it (with where each entry's text sits) and each entry's Dependency. The
    head then neither decodes an entry whose text is unchanged (``load_members``) nor builds its Dependency again:
    nine in ten entries of a typical bump."""
    base = posixpath.basename(path)
    fmt = FORMATS.get(base, "package-lock")
    if "node_modules" in path.split("/")[:-1]:
        # A lockfile inside an installed package: npm ignores it (the root lockfile records that tree).
        return Manifest(path=path, format=fmt, ecosystem="npm", dependencies=(), kind="lock")
    earlier = memo.pop(_MEMO_KEY, None) if memo is not None else None
    what = f"an npm lockfile ({base})"
    members = load_json_members(text, path, what, earlier[0] if earlier else None,
                                keep_layouts=memo is not None and earlier is None)
    data = members.data
    assert isinstance(data, dict)  # load_json_members refuses any other document
    version = _lockfile_version(data, text, path)
    if version >= 2 and "packages" in data:
        packages = _Packages(data, members.lines.get("packages", {}), text, path, read)
        deps = packages.dependencies(earlier[1] if earlier else None)
        if memo is not None and earlier is None:
            memo[_MEMO_KEY] = (members, packages.built)
    elif version == 3:
        raise ManifestError('lockfileVersion 3 needs a "packages" object', path, _top_key_line(text, "lockfileVersion"))
    else:
        deps = _legacy_dependencies(data, text, path, read)
    return Manifest(path=path, format=fmt, ecosystem="npm", dependencies=tuple(deps), kind="lock")


def _top_key_line(text: str, key: str) -> int | None:
    return first_line_of(text, json.dumps(key))


def _lockfile_version(data: dict, text: str, path: str) -> int:
    supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
    if "lockfileVersion" not in data:
        raise ManifestError(f'no "lockfileVersion" (supported: {supported})', path, 1)
    version = data["lockfileVersion"]
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise ManifestError(
            f"unsupported lockfileVersion {version!r} (supported: {supported})",
            path,
            _top_key_line(text, "lockfileVersion"),
        )
    return int(version)


def _flag(entry: dict, flag: str, what: str, path: str, line: int | None) -> bool:
    value = entry.get(flag)
    return False if value is None else expect_bool(value, f"{what} {flag}", path, line)


def _optional_string(entry: dict, key: str, what: str, path: str, line: int | None) -> str | None:
    value = entry.get(key)
    if value is False and key == "resolved":
        return None  # npm 6's "resolved": false: no URL recorded (see the module docstring)
    return None if value is None else expect_string(value, f"{what} {key}", path, line)


# Every field of a ``packages`` entry that decides its Dependency, in the order ``_read`` returns them: the
# strings, then the flags. Nothing else of an entry (its own ``dependencies``, ``engines``, ``license``) matters.
_READ = _STRING_FIELDS + _FLAGS
_FLAGS_AT = len(_STRING_FIELDS)
_NO_FLAGS = (None,) * len(_FLAGS)
_STRING_TYPES = frozenset({str, type(None)})
_FLAG_TYPES = frozenset({bool, type(None)})


def _read(entry: dict) -> tuple:
    """The fields of ``_READ``, None where absent: one C-level pass instead of a lookup per field."""
    return tuple(map(entry.get, _READ))


def _well_typed(fields: tuple) -> bool:
    """The quick check every entry passes: strings where strings belong, booleans for the flags. By type, not
    by value: ``1 == True`` in Python, and a flag written ``1`` is no boolean to npm's schema. Most entries have
    no flag at all, and then only the strings are looked at."""
    strings_ok = _STRING_TYPES.issuperset(map(type, fields[:_FLAGS_AT]))
    flags = fields[_FLAGS_AT:]
    return strings_ok and (flags == _NO_FLAGS or _FLAG_TYPES.issuperset(map(type, flags)))


def _type_errors(entry: dict, what: str, path: str, line: int | None) -> None:
    """Raise the precise error for an entry that failed ``_well_typed``."""
    for key in _STRING_FIELDS:
        _optional_string(entry, key, what, path, line)
    for flag in sorted(_FLAG_SET.intersection(entry)):
        _flag(entry, flag, what, path, line)


def _scope(dev: bool, optional: bool) -> str:
    """npm's flags as a scope: dev, devOptional and dev+optional install only for development."""
    if dev:
        return "dev"
    return "optional" if optional else "prod"


def _hashes(entry: dict, what: str, path: str, line: int | None) -> frozenset[str]:
    integrity = _optional_string(entry, "integrity", what, path, line)
    return frozenset() if integrity is None else sri_hashes(integrity, what, path, line)


def _same_version(a: str, b: str | None) -> bool:
    if b is None:
        return False
    if a == b:
        return True
    from checker.versions.semver import parse as parse_version

    va, vb = parse_version(a), parse_version(b)
    return va is not None and vb is not None and va == vb and va.build == vb.build


def source_of(resolved: str | None, name: str, version: str | None) -> Source:
    """The Source a ``resolved`` value gives ``name@version`` (see the module docstring)."""
    if resolved is None:
        return DEFAULT_SOURCE
    if version is not None and resolved == f"{DEFAULT_REGISTRY}{name}/-/{name.rpartition('/')[2]}-{version}.tgz":
        return DEFAULT_SOURCE  # what nearly every entry says: own_registry would find npm's registry
    base = own_registry(resolved, name, version)
    if base is not None:
        return DEFAULT_SOURCE if base == DEFAULT_REGISTRY else Source(kind="registry", url=base)
    lower = resolved.lower()
    if lower.startswith("file:"):
        return Source(kind="path", url=resolved)
    if is_git_url(resolved):
        return git_source(resolved)
    if lower.startswith(("http://", "https://")):
        tarball = parse_tarball_url(resolved)
        if tarball is not None and tarball.name == name and _same_version(tarball.version, version):
            if is_default_registry(tarball.registry):
                return DEFAULT_SOURCE
            return Source(kind="registry", url=tarball.registry)
        return Source(kind="url", url=resolved)
    return Source(kind="url", url=resolved)


def _declared_names(entry: Any) -> set[str] | None:
    """Names a package.json-like object declares in its dependency sections, or None when it is no object."""
    if not isinstance(entry, dict):
        return None
    names: set[str] = set()
    for section in _ROOT_SECTIONS:
        table = entry.get(section)
        if isinstance(table, dict):
            names.update(table)
    return names


def _sibling_package_json(path: str, read: Reader) -> dict | None:
    """The project's package.json beside the lockfile, for what the root declares; None when absent or broken
    (the package.json parser reports a broken one itself)."""
    text = read(posixpath.join(posixpath.dirname(path), "package.json"))
    if text is None:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


# ---------------------------------------------------------------------------------------------------------------
# lockfileVersion 2 and 3: "packages"
# ---------------------------------------------------------------------------------------------------------------


def _glob_regex(glob: str) -> re.Pattern[str]:
    """A workspaces glob (``packages/*``, ``apps/**``) as a regex over folder paths."""
    glob = glob.strip()
    while glob.startswith("./"):
        glob = glob[2:]
    glob = glob.rstrip("/")
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))


def _workspace_globs(root: Any) -> list[re.Pattern[str]]:
    if not isinstance(root, dict):
        return []
    value = root.get("workspaces")
    if isinstance(value, dict):
        value = value.get("packages")
    if not isinstance(value, list):
        return []
    return [_glob_regex(glob) for glob in value if isinstance(glob, str) and not glob.startswith("!")]


def _is_installed(key: str) -> bool:
    """Whether a ``packages`` key is a folder inside some node_modules (not the root, a link target or a
    workspace member)."""
    return key.startswith("node_modules/") or "/node_modules/" in key


def _check_key(key: str, path: str, line: int | None) -> None:
    """A ``packages`` key must be a plain relative folder path; one that is installed must end in
    ``node_modules/<name>`` with nothing that climbs out (``..``, ``.``, empty segments, absolute paths)."""
    if _PLAIN_KEY.fullmatch(key):
        return
    if key.startswith("/") or "\\" in key or re.match(r"^[A-Za-z]:", key):
        raise ManifestError(f"package path {key!r} is absolute: npm paths are relative to the project", path, line)
    parts = key.split("/")
    first = parts.index("node_modules") if "node_modules" in parts else len(parts)
    prefix = parts[:first]
    leading = 0
    while leading < len(prefix) and prefix[leading] == "..":
        leading += 1  # a link target outside the project (a file:../dir dependency)
    if any(part in ("", ".", "..") for part in prefix[leading:]) or (first == len(parts) and leading == len(parts)):
        raise ManifestError(f"package path {key!r} is not a normalised folder path", path, line)
    index = first
    while index < len(parts):
        if parts[index] != "node_modules" or index + 1 >= len(parts):
            raise ManifestError(f"package path {key!r} escapes node_modules (expected node_modules/<name>)", path, line)
        name = parts[index + 1]
        step = 2
        if name.startswith("@") and index + 2 < len(parts):
            name = f"{name}/{parts[index + 2]}"
            step = 3
        if name in (".", "..") or not is_valid_name(name) or ".." in name.split("/"):
            raise ManifestError(
                f"package path {key!r} escapes node_modules: {name!r} is not a package name", path, line
            )
        index += step


def _name_from_key(key: str) -> str:
    """``node_modules/a/node_modules/@s/b`` -> ``@s/b``."""
    return key.rsplit("node_modules/", 1)[1]


class _Packages:
    """Reads ``packages`` (lockfileVersion 2 and 3)."""

    def __init__(self, data: dict, lines: dict[str, int], text: str, path: str, read: Reader) -> None:
        self.text, self.path, self.read = text, path, read
        self.packages = expect_object(data["packages"], '"packages"', path, _top_key_line(text, "packages"))
        self.lines = lines  # of every key of "packages", from the walk that read it (load_members)
        self.built: dict[str, tuple[dict, tuple, Dependency]] = {}
        self.root = self.packages.get("")
        if self.root is not None:
            expect_object(self.root, 'the root entry ("")', path, lines.get(""))

    def dependencies(self, earlier: dict[str, tuple[dict, tuple, Dependency]] | None = None) -> list[Dependency]:
        """One Dependency per installed folder. ``earlier`` holds what the base revision built, per key: the entry,
        what ``_read`` read of it, and its Dependency. An entry that is the base's very object (its text did not
        change: ``load_members`` took it over) gives that Dependency at its own line; one that reads the same
        with the same types does too; every other entry is read in full. What this revision built is left in
        ``self.built`` for the next."""
        seen = earlier or {}
        packages, lines, path, built = self.packages, self.lines, self.path, self.built
        members = self._members()
        direct = self._direct(members)
        deps = []
        for key, entry in packages.items():
            if key == "":
                continue
            line = lines.get(key)
            found = seen.get(key)
            if found is not None:  # the base built a Dependency for this key: an installed folder, checked
                if found[0] is entry:  # unchanged text: read and built by the base already
                    deps.append(found[2].at(line, key in direct))
                    continue
                installed = True
            elif _PLAIN_KEY.fullmatch(key):  # node_modules/<name>..., the usual key: installed, nothing climbs out
                installed = True
            else:
                _check_key(key, path, line)
                installed = _is_installed(key)
            if type(entry) is not dict:  # the message is built only for the error
                expect_object(entry, f"package {key!r}", path, line)
            if not installed:
                continue
            fields = _read(entry)
            if found is not None and found[1] == fields and _well_typed(fields):
                # Equal to a base entry, and typed like it: a flag may be 1 where the base said true.
                deps.append(found[2].at(line, key in direct))
                continue
            dep = self._dependency(key, line, entry, fields, members, key in direct)
            if dep is not None:
                deps.append(dep)
                if fields[_LINK] is not True:  # a link's Dependency depends on its target entry too
                    built[key] = (entry, fields, dep)
        return deps

    def _members(self) -> set[str]:
        """Workspace members: link targets inside the project that match the root's ``workspaces`` globs."""
        globs = _workspace_globs(self.root)
        members = set()
        for entry in self.packages.values():
            if type(entry) is dict and entry.get("link") is True and isinstance(entry.get("resolved"), str):
                target = entry["resolved"]
                if any(glob.fullmatch(target) for glob in globs):
                    members.add(target)
        return members

    def _direct(self, members: set[str]) -> set[str]:
        """The folders the project's own edges resolve to: ``node_modules/<n>`` for what the root declares,
        ``<member>/node_modules/<n>`` (else the hoisted ``node_modules/<n>``) for what a member declares."""
        entries = self.packages
        root_names = _declared_names(self.root)
        if root_names is None:
            root_names = _declared_names(_sibling_package_json(self.path, self.read))
        if root_names is None:
            return {key for key in entries if key.startswith("node_modules/") and "/node_modules/" not in key}
        direct = {f"node_modules/{name}" for name in root_names}
        for member in members:
            for name in _declared_names(entries.get(member)) or ():
                nested = f"{member}/node_modules/{name}"
                direct.add(nested if nested in entries else f"node_modules/{name}")
        return direct

    def _dependency(
        self, key: str, line: int | None, entry: dict, fields: tuple, members: set[str], direct: bool
    ) -> Dependency | None:
        path = self.path
        if not _well_typed(fields):
            if fields[1] is False:  # "resolved": false, as npm 6 wrote it: no URL recorded
                fields = fields[:1] + (None,) + fields[2:]
            if not _well_typed(fields):
                _type_errors(entry, f"package {key!r}", path, line)
        version, resolved, integrity, real, dev, optional, dev_optional, in_bundle, install_script, link = fields[:10]
        folder_name = _name_from_key(key)
        scope = "dev" if dev is True or dev_optional is True else "optional" if optional is True else "prod"
        if link is True:
            if resolved is None:
                raise ManifestError(f"package {key!r} is a link without a resolved target", path, line)
            if resolved in members:
                return None
            target = self.packages.get(resolved)  # not read yet, perhaps: anything but an object has no version
            target_version = target.get("version") if type(target) is dict else None
            if type(target_version) is not str:
                target_version = None
            return Dependency(
                ecosystem="npm", name=folder_name, version=target_version, specifier=f"file:{resolved}",
                source=Source(kind="path", url=resolved), scope=scope, direct=direct, manifest=path, line=line,
            )
        if real is not None and not is_valid_name(real):
            raise ManifestError(f"package {key!r}: name {real!r} is not a package name", path, line)
        name = real or folder_name
        source = source_of(resolved, name, version)
        if version is None and source.kind == "git":
            version = source.commit or source.ref
        # A tuple in Dependency's field order (checked below the class), made without the generated __new__
        # (which only binds the arguments): keywords cost two and a half times as much, and this runs once per
        # entry of lockfiles with tens of thousands of them.
        return _make_tuple(Dependency, (
            "npm",  # ecosystem
            name,
            version,
            f"{folder_name}@npm:{name}@{version}" if name != folder_name else "",  # specifier
            source,
            frozenset() if integrity is None else sri_hashes(integrity, f"package {key!r}", path, line),
            scope,
            direct,
            path,  # manifest
            line,
            None,  # label
            None,  # markers
            False,  # constraint
            False,  # editable
            install_script is True,
            resolved,
            in_bundle is True,  # bundled
        ))


_LINK = _READ.index("link")
_make_tuple = tuple.__new__
assert _READ[:10] == (
    "version", "resolved", "integrity", "name", "dev", "optional", "devOptional", "inBundle", "hasInstallScript",
    "link",
), "_Packages._dependency unpacks the first ten fields of _READ in this order"
assert Dependency._fields == (
    "ecosystem", "name", "version", "specifier", "source", "hashes", "scope", "direct", "manifest", "line",
    "label", "markers", "constraint", "editable", "install_script", "resolved", "bundled",
), "_Packages._dependency builds Dependency positionally in this order"


# ---------------------------------------------------------------------------------------------------------------
# lockfileVersion 1: nested "dependencies"
# ---------------------------------------------------------------------------------------------------------------


def _legacy_dependencies(data: dict, text: str, path: str, read: Reader) -> list[Dependency]:
    if "dependencies" not in data:
        return []
    top = expect_object(data["dependencies"], '"dependencies"', path, _top_key_line(text, "dependencies"))
    lines = key_lines(text, lambda parent: bool(parent) and parent[-1] == "dependencies" and len(parent) % 2 == 1)
    root_names = _declared_names(_sibling_package_json(path, read))
    deps: list[Dependency] = []
    pending: list[tuple[tuple[str, ...], dict]] = [(("dependencies",), top)]
    while pending:
        key_path, table = pending.pop(0)
        for key, entry in table.items():
            here = key_path + (key,)
            line = lines.get(here)
            what = f"dependency {'/'.join(here[1::2])!r}"
            if key in (".", "..") or not is_valid_name(key):
                raise ManifestError(f"{what}: {key!r} is not a package name (it would escape node_modules)", path, line)
            entry = expect_object(entry, what, path, line)
            at_top = len(key_path) == 1
            direct = at_top and (root_names is None or key in root_names)
            deps.append(_legacy_dependency(key, entry, what, direct, path, line))
            if "dependencies" in entry:
                nested = expect_object(entry["dependencies"], f"{what} dependencies", path, line)
                pending.append((here + ("dependencies",), nested))
    deps.sort(key=lambda dep: (dep.line is None, dep.line or 0))  # file order, nested entries in place
    return deps


def _legacy_dependency(key: str, entry: dict, what: str, direct: bool, path: str, line: int | None) -> Dependency:
    for flag in _FLAG_SET.intersection(entry):
        _flag(entry, flag, what, path, line)
    raw = _optional_string(entry, "version", what, path, line)
    resolved = _optional_string(entry, "resolved", what, path, line)
    name, version, specifier = key, raw, ""
    source: Source
    alias = split_alias(raw) if raw is not None else None
    if alias is not None:
        name, version = alias
        if not is_valid_name(name):
            raise ManifestError(f"{what}: alias {raw!r} names no package", path, line)
        specifier = f"{key}@npm:{name}@{version}"
        source = source_of(resolved, name, version)
    elif raw is not None and raw.lower().startswith("file:"):
        version, specifier, source = None, raw, Source(kind="path", url=raw)
    elif raw is not None and is_git_url(raw):
        source = git_source(raw)
        version, specifier = source.commit or source.ref, raw
    elif raw is not None and raw.lower().startswith(("http://", "https://")):
        version, specifier, source = None, raw, Source(kind="url", url=raw)
        resolved = resolved or raw
    else:
        source = source_of(resolved, name, version)
    return Dependency(
        ecosystem="npm",
        name=name,
        version=version,
        specifier=specifier,
        source=source,
        hashes=_hashes(entry, what, path, line),
        scope=_scope(entry.get("dev") is True, entry.get("optional") is True),
        direct=direct,
        manifest=path,
        line=line,
        resolved=resolved,
        bundled=entry.get("bundled") is True,
    )

