"""pubspec.lock: the lock file of Dart's package manager, pub (format "pubspec-lock", kind "lock").

The layout (pub's ``LockFile.serialize``)::

    packages:
      <name>:
        dependency: "direct main" | "direct dev" | "direct overridden" | transitive
        description: <source-specific>
        source: hosted | git | path | sdk
        version: "<version>"
    sdks: {dart: "<constraint>", flutter: "<constraint>"}

Descriptions: hosted ``{name, url, sha256}`` (``sha256``, the archive's SHA-256, since Dart 3.2's content hashes;
older locks have none, which makes the file one without hashes, like a requirements file without ``--hash``);
git ``{url, ref, resolved-ref, path}`` (the commit is ``resolved-ref``); path ``{path, relative}``; sdk the SDK's
name (``flutter``), a package that comes with the SDK and is fetched from nowhere (a path source ``sdk:flutter``).

A hosted description whose ``name`` differs from its key fetches that other package: the dependency is what is
fetched (the description's name), and the difference is a problem at its line. ``sdks`` constrains the SDK, it
fetches nothing. Scope: ``direct dev`` is dev, everything else prod (pub does not record what only dev
dependencies need).
"""

from __future__ import annotations

import re

from checker.errors import ManifestError
from checker.manifests import lockyaml
from checker.manifests.pub_common import optional_string, package_name, registry_source, sdk_source
from checker.model import Dependency, Manifest, Problem, Reader, Source

FORMAT = "pubspec-lock"
_KINDS = {"direct main": (True, "prod"), "direct dev": (True, "dev"), "direct overridden": (True, "prod"),
          "transitive": (False, "prod")}
_SOURCES = ("hosted", "git", "path", "sdk")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def parse(text: str, path: str, read: Reader) -> Manifest:
    document = lockyaml.load(text, path, line_depth=2)
    data = document.data
    if data is None:
        raise ManifestError("empty file, expected a pubspec.lock", path)
    if not isinstance(data, dict):
        raise ManifestError("expected a pubspec.lock: a mapping at the top level", path, 1)
    packages = data.get("packages") or {}
    if not isinstance(packages, dict):
        raise ManifestError("`packages` must be a mapping of package names", path, document.lines.get(("packages",)))
    problems: list[Problem] = []
    deps = tuple(_dependency(key, entry, path, document.lines.get(("packages", key)), problems)
                 for key, entry in packages.items())
    return Manifest(path=path, format=FORMAT, ecosystem="pub", dependencies=deps, kind="lock",
                    problems=tuple(problems))


def _dependency(key: object, entry: object, path: str, line: int | None, problems: list[Problem]) -> Dependency:
    name = package_name(key, "packages", path, line)
    if not isinstance(entry, dict):
        raise ManifestError(f"{name}: expected a mapping (dependency, description, source, version)", path, line)
    kind = entry.get("dependency")
    if not isinstance(kind, str) or kind not in _KINDS:
        raise ManifestError(f"{name}: dependency {kind!r} is not one of {', '.join(_KINDS)}", path, line)
    direct, scope = _KINDS[kind]
    version = optional_string(entry.get("version"), f"{name}: version", path, line)
    if version is None:
        raise ManifestError(f"{name}: no version", path, line)
    source_kind = entry.get("source")
    if not isinstance(source_kind, str) or source_kind not in _SOURCES:
        raise ManifestError(f"{name}: source {source_kind!r} is not one of {', '.join(_SOURCES)}", path, line)
    description = entry.get("description")
    hashes: frozenset[str] = frozenset()
    if source_kind == "sdk":
        source = sdk_source(description, name, path, line)
    elif not isinstance(description, dict):
        raise ManifestError(f"{name}: the {source_kind} description must be a mapping", path, line)
    elif source_kind == "hosted":
        fetched = package_name(description.get("name", name), f"{name}: description name", path, line)
        if fetched != name:
            problems.append(Problem(f"{name}: the lock fetches the package {fetched!r} under the name {name!r}", line))
            name = fetched
        source = registry_source(description.get("url"), name, path, line)
        digest = description.get("sha256")
        if digest is not None:
            if not isinstance(digest, str) or _SHA256.fullmatch(digest) is None:
                raise ManifestError(f"{name}: sha256 {digest!r} is not a SHA-256 hex digest", path, line)
            hashes = frozenset({"sha256:" + digest.lower()})
    elif source_kind == "git":
        url = optional_string(description.get("url"), f"{name}: git url", path, line)
        if not url:
            raise ManifestError(f"{name}: a git description without url", path, line)
        source = Source("git", url=url, ref=optional_string(description.get("ref"), f"{name}: ref", path, line),
                        commit=optional_string(description.get("resolved-ref"), f"{name}: resolved-ref", path, line))
    else:
        local = optional_string(description.get("path"), f"{name}: path", path, line)
        if not local:
            raise ManifestError(f"{name}: a path description without path", path, line)
        source = Source("path", url=local)
    return Dependency(ecosystem="pub", name=name, version=version, source=source, hashes=hashes, scope=scope,
                      direct=direct, manifest=path, line=line)
