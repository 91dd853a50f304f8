"""Parser for Maven's ``pom.xml`` (format "maven-pom", ecosystem "maven", kind "declared").

What the POM itself declares, read safely (checker/manifests/xml_tree.py: no DOCTYPE, no entities), with no
effective-POM resolution (no parent POM is fetched, no profile is activated, no ``settings.xml`` is read):

- ``<parent>``: scope build (it configures the build: plugins, managed versions); not a dependency when the POM
  at its ``relativePath`` (default ``../pom.xml``) in the same repository has the same coordinates (Maven uses
  that file, which lockgate reads as a manifest of its own: nothing is fetched);
- ``<dependencies>``: Maven's scopes ``compile`` (the default), ``provided``, ``runtime``, ``import`` -> prod,
  ``test`` -> dev, ``system`` -> prod from the local ``systemPath`` (source ``path``); ``<optional>true`` ->
  optional;
- ``<dependencyManagement>``: the same, as constraints (a managed version installs nothing by itself), except a
  BOM (``<scope>import``), which Maven fetches;
- ``<build><plugins>``, ``<build><pluginManagement>``, ``<build><extensions>``, ``<reporting><plugins>`` and
  each plugin's own ``<dependencies>``: scope build (plugins and extensions run code during the build); a plugin's
  ``groupId`` defaults to ``org.apache.maven.plugins``;
- each ``<profile>``'s dependencies, management, build and reporting, as above (a profile can be activated by
  a property or the environment, so what it adds is judged too);
- ``<repositories>`` and ``<pluginRepositories>`` (top level and in profiles): the manifest's indexes, judged by
  registry-source (a new repository can shadow any artifact: dependency confusion), except Maven Central over
  HTTPS, the repository Maven uses anyway.

Names are ``groupId:artifactId`` as written (Maven coordinates are case-sensitive). Versions: ``${name}``
references are replaced from this file's top-level ``<properties>`` (recursively, cycles refused) and from the
project's own coordinates (``project.version``, ``project.groupId``, ``project.artifactId``, their ``pom.`` and
bare spellings, and ``project.parent.*``; a missing project version or groupId is the parent's, as Maven
inherits it). A version that is one exact version (not a range ``[1.0,2.0)``, not ``LATEST``/``RELEASE``) is
the dependency's version; ``[1.2]`` is exactly 1.2. A version that names a property this file does not define
(one of the parent POM's, the command line's, ``env.*``) or that is missing (managed by a parent or a BOM) is
left as written in the specifier with no version: never guessed. A ``groupId`` or ``artifactId`` that cannot be
resolved is a Problem (which artifact it is cannot be told), as is a dependency without them.
"""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple

from checker.errors import ManifestError
from checker.manifests import xml_tree
from checker.manifests.common import is_blank
from checker.manifests.xml_tree import Node
from checker.model import DEFAULT_SOURCE, Dependency, IndexOption, Manifest, Problem, Reader, Source

FORMAT = "maven-pom"
ECOSYSTEM = "maven"
DEFAULT_PLUGIN_GROUP = "org.apache.maven.plugins"
MAX_DEPTH = 10  # properties that name properties: deeper than any real POM, and a bound on hostile ones
MAX_RESOLVED = 10_000  # characters: a property doubled at each level must not grow without bound
# Maven's own default repository (the super POM's ``central``): naming it changes no source, so it is no index.
MAVEN_CENTRAL = frozenset({"https://repo.maven.apache.org/maven2", "https://repo1.maven.org/maven2"})
_REFERENCE = re.compile(r"\$\{([^${}]*)\}")
_SCOPES = {"compile": "prod", "provided": "prod", "runtime": "prod", "import": "prod", "system": "prod",
           "test": "dev"}


class _Context(NamedTuple):
    path: str
    properties: dict[str, str]
    problems: list[Problem]
    out: list[Dependency]


def parse(text: str, path: str, read: Reader) -> Manifest:
    if is_blank(text):
        raise ManifestError("empty file, expected a Maven POM", path)
    root = xml_tree.parse(text, path, "a Maven POM")
    if root.tag != "project":
        raise ManifestError(f"the root element is <{root.tag}>, expected <project>", path, root.line)
    context = _Context(path, _properties(root), [], [])
    includes: list[str] = []
    parent = root.child("parent")
    if parent is not None:
        _parent(parent, context, read, includes)
    _sections(root, context)
    for profile in _children(root, "profiles", "profile"):
        _sections(profile, context)
    indexes = [IndexOption("index", url, node.line) for url, node in _repositories(root, context)
               if url.rstrip("/") not in MAVEN_CENTRAL]
    return Manifest(path=path, format=FORMAT, ecosystem=ECOSYSTEM, dependencies=tuple(context.out),
                    kind="declared", includes=tuple(includes), indexes=tuple(indexes),
                    problems=tuple(context.problems))


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The parent POM a parse reads to tell a local parent from a fetched one (``relativePath``)."""
    start = text.find("<parent>")
    end = text.find("</parent>", start) if start >= 0 else -1
    if end < 0:
        return []
    block = text[start:end]
    opened = block.find("<relativePath>")
    relative = None
    if opened >= 0:
        closed = block.find("</relativePath>", opened)
        relative = block[opened + len("<relativePath>") : closed] if closed >= 0 else None
    where = _relative_pom(path, relative)
    return [] if where is None else [(where, text.count("\n", 0, start) + 1)]


def _children(node: Node, *tags: str) -> list[Node]:
    """The nodes at the path ``tags`` under ``node`` (every match at each step)."""
    found = [node]
    for tag in tags:
        found = [child for parent in found for child in parent.all(tag)]
    return found


def _properties(root: Node) -> dict[str, str]:
    """The ``${…}`` names this file defines: its top-level ``<properties>`` and its own coordinates."""
    found: dict[str, str] = {}
    for properties in root.all("properties"):
        for node in properties.children:
            found[node.tag] = node.text  # Maven's Properties: the last definition wins
    parent = root.child("parent")
    for key in ("groupId", "artifactId", "version"):
        parent_value = parent.text_of(key) if parent is not None else None
        own = root.text_of(key)
        if own is None and key != "artifactId":
            own = parent_value  # Maven inherits the parent's groupId and version
        for prefix in ("project.", "pom.", ""):
            if own is not None:
                found[prefix + key] = own
            if parent_value is not None:
                found[f"{prefix}parent.{key}"] = parent_value
    return found


def _resolve(text: str, properties: dict[str, str]) -> str | None:
    """``text`` with every ``${name}`` replaced; None when one names nothing this file defines (or loops)."""
    for _ in range(MAX_DEPTH):
        if "${" not in text:
            return text
        missing = False
        size = len(text)

        def value(match: re.Match[str]) -> str:
            nonlocal missing, size
            name = match.group(1).strip()
            if name not in properties or size > MAX_RESOLVED:
                missing = True
                return ""
            size += len(properties[name])
            return properties[name]

        text = _REFERENCE.sub(value, text)
        if missing or len(text) > MAX_RESOLVED:
            return None
    return None if "${" in text else text


def _coordinates(node: Node, context: _Context, default_group: str | None) -> str | None:
    """``groupId:artifactId``, or None after a Problem."""
    group_text = node.text_of("groupId") or default_group
    artifact_text = node.text_of("artifactId")
    if not group_text or not artifact_text:
        context.problems.append(Problem(f"<{node.tag}> without groupId and artifactId", node.line))
        return None
    group, artifact = _resolve(group_text, context.properties), _resolve(artifact_text, context.properties)
    if group is None or artifact is None:
        context.problems.append(Problem(
            f"<{node.tag}> {group_text}:{artifact_text}: a property this POM does not define names the artifact, "
            "so which one is used cannot be told without the effective POM", node.line))
        return None
    return f"{group}:{artifact}"


def _version(node: Node, context: _Context) -> tuple[str | None, str]:
    """(exact version or None, specifier: the version resolved, else as written)."""
    from checker.versions import maven

    written = node.text_of("version")
    if not written:
        return None, ""
    resolved = _resolve(written, context.properties)
    if resolved is None:
        return None, written
    return maven.exact(resolved), resolved


def _add(node: Node, context: _Context, *, scope: str, default_group: str | None = None,
         constraint: bool = False, source: Source = DEFAULT_SOURCE) -> None:
    name = _coordinates(node, context, default_group)
    if name is None:
        return
    version, specifier = _version(node, context)
    context.out.append(Dependency(ecosystem=ECOSYSTEM, name=name, version=version, specifier=specifier,
                                  source=source, scope=scope, direct=True, manifest=context.path, line=node.line,
                                  constraint=constraint))


def _dependency(node: Node, context: _Context, *, managed: bool) -> None:
    scope_text = _resolve(node.text_of("scope") or "compile", context.properties) or ""
    scope = _SCOPES.get(scope_text.strip())
    if scope is None:
        context.problems.append(Problem(f"<dependency> with unknown scope {scope_text!r} (expected "
                                        f"{', '.join(_SCOPES)})", node.line))
        scope = "prod"
    if (_resolve(node.text_of("optional") or "", context.properties) or "").strip() == "true":
        scope = "optional"
    source = DEFAULT_SOURCE
    if scope_text.strip() == "system":
        source = Source("path", url=node.text_of("systemPath") or "")
    _add(node, context, scope=scope, source=source, constraint=managed and scope_text.strip() != "import")


def _plugins(holder: Node | None, context: _Context) -> None:
    if holder is None:
        return
    for plugin in _children(holder, "plugins", "plugin"):
        _add(plugin, context, scope="build", default_group=DEFAULT_PLUGIN_GROUP)
        for dependency in _children(plugin, "dependencies", "dependency"):
            _add(dependency, context, scope="build")


def _sections(owner: Node, context: _Context) -> None:
    """The dependencies, managed dependencies, plugins and extensions of the project or of one profile."""
    for dependency in _children(owner, "dependencies", "dependency"):
        _dependency(dependency, context, managed=False)
    for dependency in _children(owner, "dependencyManagement", "dependencies", "dependency"):
        _dependency(dependency, context, managed=True)
    for build in owner.all("build"):
        _plugins(build, context)
        _plugins(build.child("pluginManagement"), context)
        for extension in _children(build, "extensions", "extension"):
            _add(extension, context, scope="build")
    for reporting in owner.all("reporting"):
        _plugins(reporting, context)


def _relative_pom(path: str, relative: str | None) -> str | None:
    """The repository path ``relativePath`` names (a folder means its pom.xml); None when empty (Maven: do not
    look locally) or outside the repository."""
    if relative is None:
        relative = "../pom.xml"
    relative = relative.strip()
    if not relative:
        return None
    if not relative.endswith(".xml"):
        relative = posixpath.join(relative, "pom.xml")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), relative))
    if joined.startswith("../") or joined == ".." or posixpath.isabs(joined):
        return None
    return joined


def _parent(parent: Node, context: _Context, read: Reader, includes: list[str]) -> None:
    """The parent POM, unless it is the repository's own: the POM at relativePath, with its coordinates."""
    where = _relative_pom(context.path, parent.text_of("relativePath"))
    if where is not None:
        try:
            text = read(where)
        except ManifestError:
            text = None
        if text is not None:
            includes.append(where)
            if _declares(text, where, parent, context):
                return  # the repository's own POM, judged as a manifest of its own: nothing is fetched
    _add(parent, context, scope="build")


def _declares(text: str, where: str, parent: Node, context: _Context) -> bool:
    """Whether the POM at ``where`` is the one ``<parent>`` names (groupId, artifactId and version agree)."""
    try:
        root = xml_tree.parse(text, where, "a Maven POM")
    except ManifestError:
        return False
    theirs = _properties(root)
    for key in ("groupId", "artifactId", "version"):
        mine = _resolve(parent.text_of(key) or "", context.properties)
        their_text = theirs.get(key)
        their = _resolve(their_text, theirs) if their_text is not None else None
        if not mine or mine != their:
            return False
    return True


def _repositories(root: Node, context: _Context) -> list[tuple[str, Node]]:
    """The URL of every ``<repository>`` and ``<pluginRepository>``, top level and in profiles (resolved where
    this file can; as written otherwise, so that registry-source reports the unexpanded reference)."""
    found = []
    for owner in [root, *_children(root, "profiles", "profile")]:
        for path in (("repositories", "repository"), ("pluginRepositories", "pluginRepository")):
            for repository in _children(owner, *path):
                url = repository.text_of("url")
                if url:
                    found.append((_resolve(url, context.properties) or url, repository))
    return found
