"""pubspec.yaml: a Dart or Flutter package's manifest (format "pubspec", kind "declared").

Three sections declare packages (pub's ``Pubspec``): ``dependencies`` (prod), ``dev_dependencies`` (dev) and
``dependency_overrides`` (prod: an override replaces the version or source every other constraint asks for). Each
entry is a version constraint (``^1.2.3``, ``">=1.0.0 <2.0.0"``, ``any``, or nothing: any) or a mapping naming a
source::

    name: {hosted: <url> | {name?, url}, version: <constraint>}
    name: {git: <url> | {url, ref, path, tag_pattern}, version?}
    name: {path: <folder>}
    name: {sdk: flutter | dart, version?}

A bare version (``1.2.3``) pins that version; anything else leaves the version open. ``environment`` constrains
the SDK and fetches nothing. A section that is not a mapping, or an entry of another shape, is an error: pub refuses
such a file too.

The YAML is read by checker/manifests/gha_yaml.py, as for workflows: composed by ruamel.yaml (its C parser when
installed: a Flutter app's pubspec.yaml is mostly its ``flutter:`` section, often with comments beside values), scalars
kept as written (``1.10`` stays ``1.10``), duplicate keys refused, anchors and aliases resolved once (pub's YAML reader
accepts them).
"""

from __future__ import annotations

from checker.errors import ManifestError
from checker.manifests import gha_yaml
from checker.manifests.pub_common import optional_string, package_name, registry_source, sdk_source
from checker.model import Dependency, Manifest, Reader, Source

FORMAT = "pubspec"
SECTIONS = {"dependencies": "prod", "dev_dependencies": "dev", "dependency_overrides": "prod"}
_SOURCE_KEYS = ("hosted", "git", "path", "sdk")


def parse(text: str, path: str, read: Reader) -> Manifest:
    root = gha_yaml.load(text, path)
    if root is not None and not isinstance(root, gha_yaml.Mapping):
        raise ManifestError(f"expected a pubspec.yaml: a mapping at the top level, found {gha_yaml.describe(root)}",
                            path, gha_yaml.line_of(root, 1))
    deps: list[Dependency] = []
    for section, scope in SECTIONS.items():
        entries = root.get(section) if root is not None else None
        if entries is None or isinstance(entries, gha_yaml.Scalar) and entries.null:
            continue
        if not isinstance(entries, gha_yaml.Mapping):
            raise ManifestError(f"`{section}` must be a mapping of package names, found {gha_yaml.describe(entries)}",
                                path, root.key_line(section) if root is not None else None)
        for key, line, value in entries.items():
            deps.append(_dependency(section, key, _plain(value, f"{section} {key}", path), scope, path, line))
    return Manifest(path=path, format=FORMAT, ecosystem="pub", dependencies=tuple(deps), kind="declared")


def _plain(node: gha_yaml.Node, what: str, path: str) -> object:
    """A node as the plain data the entry readers take: text (None for null), dicts of those, lists."""
    if isinstance(node, gha_yaml.Scalar):
        return None if node.null else node.text
    if isinstance(node, gha_yaml.Mapping):
        return {key: _plain(value, what, path) for key, _, value in node.items()}
    return [_plain(item, what, path) for item in node.items]


def _dependency(section: str, key: object, value: object, scope: str, path: str, line: int | None) -> Dependency:
    name = package_name(key, section, path, line)
    what = f"{section} {name}"
    source = Source()
    constraint: str | None
    if value is None or isinstance(value, (str, int, float)) and not isinstance(value, bool):
        constraint = optional_string(value, what, path, line)
    elif isinstance(value, dict):
        kinds = [k for k in _SOURCE_KEYS if k in value]
        if len(kinds) > 1:
            raise ManifestError(f"{what}: names more than one source ({', '.join(kinds)})", path, line)
        constraint = optional_string(value.get("version"), f"{what}: version", path, line)
        kind = kinds[0] if kinds else "hosted"
        if kind == "hosted":
            hosted = value.get("hosted")
            if isinstance(hosted, dict):
                if "name" in hosted:
                    name = package_name(hosted["name"], f"{what}: hosted name", path, line)
                hosted = hosted.get("url")
            source = registry_source(hosted, what, path, line)
        elif kind == "git":
            git = value["git"]
            if isinstance(git, str):
                source = Source("git", url=git)
            elif isinstance(git, dict) and isinstance(git.get("url"), str):
                source = Source("git", url=git["url"], ref=optional_string(git.get("ref"), f"{what}: ref", path, line))
            else:
                raise ManifestError(f"{what}: git must be a URL or a mapping with url", path, line)
        elif kind == "path":
            local = optional_string(value["path"], f"{what}: path", path, line)
            if not local:
                raise ManifestError(f"{what}: an empty path", path, line)
            source = Source("path", url=local)
        else:
            source = sdk_source(value["sdk"], what, path, line)
    else:
        raise ManifestError(f"{what}: expected a version constraint or a source mapping", path, line)
    from checker.versions.pub import exact_version

    specifier = (constraint or "").strip()
    version = exact_version(specifier) if specifier and source.kind == "registry" else None
    return Dependency(ecosystem="pub", name=name, version=version, specifier=specifier or "any", source=source,
                      scope=scope, direct=True, manifest=path, line=line)
