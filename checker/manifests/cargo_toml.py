"""Parser for Cargo's manifest, ``Cargo.toml`` (format "cargo-toml", ecosystem "cargo", kind "declared").

Every table that names crates to build with (The Cargo Book, "Specifying Dependencies" and "Overriding
Dependencies"):
- ``[dependencies]`` (scope prod, or optional with ``optional = true``), ``[dev-dependencies]`` (dev),
  ``[build-dependencies]`` (build), and Cargo's older spellings ``dev_dependencies`` / ``build_dependencies``;
- the same three under ``[target.'cfg(...)']`` / ``[target.<triple>]``;
- ``[workspace.dependencies]``, which members inherit with ``dep = { workspace = true }``;
- ``[patch.<registry or URL>]`` and ``[replace]`` (``"name:version"`` keys): what stands in for a crate everywhere
  in the build, so a git or path source there is a source change like any other.

An entry is ``name = "REQ"`` or a table: ``version``, ``package = "real-name"`` (a rename: the dependency is the
real crate, under its registry name), ``git`` with ``branch`` / ``tag`` / ``rev``, ``path``, ``registry = "name"``
(an alternative registry of ``.cargo/config.toml``) or ``registry-index = "URL"``. Sources: a git entry is
``Source("git", url, ref=branch|tag|rev, commit=rev when it is a full commit)``; a path entry ``Source("path")``;
``registry-index`` ``Source("registry", url=URL)``; ``registry = "name"`` ``Source("registry", ref=name)`` (the
name is all the manifest says; a change of it is a change of source); anything else crates.io. A path entry that
also names a version is published with that version from the registry, but builds from the path here: it is a
path source.

``version`` is the exact version of an ``=X.Y.Z`` requirement, None for any range (Cargo reads a bare ``1.2.3`` as
``^1.2.3``). An entry that inherits from the workspace (``workspace = true``) has the specifier
``workspace = true``: its requirement and source are the workspace's ``[workspace.dependencies]`` entry, which the
workspace's own Cargo.toml reports. Names: as for Cargo.lock (checker/manifests/cargo_lock.py).
"""

from __future__ import annotations

import re

from checker.errors import ManifestError
from checker.manifests.common import is_blank, load_toml
from checker.model import DEFAULT_SOURCE, Dependency, Manifest, Problem, Reader, Source

FORMAT = "cargo-toml"
_KINDS = {"dependencies": "prod", "dev-dependencies": "dev", "dev_dependencies": "dev",
          "build-dependencies": "build", "build_dependencies": "build"}
_EXACT = re.compile(r"=[ \t]*((?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:[-+][0-9A-Za-z.+-]+)?)")
_FULL_SHA = re.compile(r"[0-9a-fA-F]{40}")


def parse(text: str, path: str, read: Reader) -> Manifest:
    if is_blank(text):
        raise ManifestError("empty file, expected a Cargo.toml manifest", path)
    document = load_toml(text, path)
    lines = _KeyLines(text)
    dependencies: list[Dependency] = []
    problems: list[Problem] = []
    for section, scope in _KINDS.items():
        _read_table(document.get(section), section, scope, path, lines, dependencies, problems)
    targets = document.get("target", {})
    if not isinstance(targets, dict):
        raise ManifestError("[target] must be a table", path, lines.header("target"))
    for target, body in targets.items():
        if not isinstance(body, dict):
            raise ManifestError(f"[target.{target!r}] must be a table", path, lines.header("target"))
        for section, scope in _KINDS.items():
            _read_table(body.get(section), f"target.{target}.{section}", scope, path, lines, dependencies, problems)
    workspace = document.get("workspace", {})
    if isinstance(workspace, dict):
        _read_table(workspace.get("dependencies"), "workspace.dependencies", "prod", path, lines, dependencies,
                    problems)
    patches = document.get("patch", {})
    if not isinstance(patches, dict):
        raise ManifestError("[patch] must be a table", path, lines.header("patch"))
    for registry, body in patches.items():
        _read_table(body, f"patch.{registry}", "prod", path, lines, dependencies, problems)
    replace = document.get("replace")
    if replace is not None:
        _read_table(replace, "replace", "prod", path, lines, dependencies, problems, replace=True)
    return Manifest(path=path, format=FORMAT, ecosystem="cargo", dependencies=tuple(dependencies), kind="declared",
                    problems=tuple(problems))


def _read_table(table: object, section: str, scope: str, path: str, lines: _KeyLines, out: list[Dependency],
                problems: list[Problem], replace: bool = False) -> None:
    if table is None:
        return
    if not isinstance(table, dict):
        raise ManifestError(f"[{section}] must be a table", path, lines.header(section))
    for key, spec in table.items():
        line = lines.key(key)
        name = key.split(":", 1)[0] if replace else key  # [replace] "name:version"
        out.append(_dependency(name, spec, section, scope, path, line, problems))


def _dependency(key: str, spec: object, section: str, scope: str, path: str, line: int | None,
                problems: list[Problem]) -> Dependency:
    what = f"[{section}] {key}"
    if isinstance(spec, str):
        return Dependency("cargo", _crate_name(key, what, path, line), _exact(spec), spec, DEFAULT_SOURCE,
                          scope=scope, manifest=path, line=line)
    if not isinstance(spec, dict):
        raise ManifestError(f"{what} must be a version requirement or a table", path, line)
    name = spec.get("package", key)
    if not isinstance(name, str):
        raise ManifestError(f"`package` of {what} must be a string", path, line)
    name = _crate_name(name, what, path, line)
    if spec.get("optional") is True and scope == "prod":
        scope = "optional"
    if spec.get("workspace") is True:
        return Dependency("cargo", name, None, "workspace = true", DEFAULT_SOURCE, scope=scope, manifest=path,
                          line=line)
    requirement = spec.get("version", "")
    if not isinstance(requirement, str):
        raise ManifestError(f"`version` of {what} must be a string", path, line)
    source = _source(spec, what, path, line, problems)
    # An exact version of crates.io or a registry-index URL is looked up; one of a registry known only by its name
    # in .cargo/config.toml is not (where it is, lockgate cannot tell: asking crates.io would be asking another).
    version = _exact(requirement) if source.kind == "registry" and source.ref is None else None
    return Dependency("cargo", name, version, requirement, source, scope=scope, manifest=path, line=line)


def _source(spec: dict, what: str, path: str, line: int | None, problems: list[Problem]) -> Source:
    def text(key: str) -> str | None:
        value = spec.get(key)
        if value is not None and not isinstance(value, str):
            raise ManifestError(f"`{key}` of {what} must be a string", path, line)
        return value

    git, local = text("git"), text("path")
    if git is not None:
        refs = [(key, value) for key in ("rev", "tag", "branch") if (value := text(key)) is not None]
        if len(refs) > 1:
            raise ManifestError(f"{what} names more than one of rev, tag and branch", path, line)
        ref = refs[0][1] if refs else None
        commit = ref.lower() if refs and refs[0][0] == "rev" and ref and _FULL_SHA.fullmatch(ref) else None
        return Source("git", url=git, ref=ref, commit=commit)
    if local is not None:
        return Source("path", url=local)
    index, registry = text("registry-index"), text("registry")
    if index is not None:
        return Source("registry", url=index)
    if registry is not None:
        return Source("registry", ref=registry)
    return DEFAULT_SOURCE


def _crate_name(name: str, what: str, path: str, line: int | None) -> str:
    if not name or name.strip() != name or any(c.isspace() for c in name):
        raise ManifestError(f"{what}: {name!r} is not a crate name", path, line)
    return name


def _exact(requirement: str) -> str | None:
    """The version of an ``=X.Y.Z`` requirement; None for a range (a bare ``1.2.3`` is ``^1.2.3`` to Cargo)."""
    found = _EXACT.fullmatch(requirement.strip())
    return found.group(1) if found else None


class _KeyLines:
    """The line of a dependency key, found by one plain scan (tomllib keeps no positions): the first line that
    starts with the key (bare or quoted) followed by ``=`` or ``.``, or a header whose last part is the key
    (``[dependencies.foo]``). None when not found; a report then names the file without a line."""

    _LEADING_KEY = re.compile(r"[ \t]*(?:\[+[ \t]*(?:[^\]\n]*\.)?[ \t]*)?"
                              r"""(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z0-9_-]+))""")

    def __init__(self, text: str) -> None:
        self._keys: dict[str, int] = {}
        self._headers: dict[str, int] = {}
        for number, line in enumerate(text.split("\n"), 1):
            found = self._LEADING_KEY.match(line)
            if found is None:
                continue
            key = found.group(1) if found.group(1) is not None else (
                found.group(2) if found.group(2) is not None else found.group(3))
            self._keys.setdefault(key, number)
            if line.lstrip().startswith("["):
                self._headers.setdefault(line.strip().lstrip("[").split(".", 1)[0].strip(), number)

    def key(self, key: str) -> int | None:
        return self._keys.get(key)

    def header(self, section: str) -> int | None:
        return self._headers.get(section.split(".", 1)[0])
