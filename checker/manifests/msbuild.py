"""MSBuild files that declare NuGet packages (kind "declared"): project files (``*.csproj``, ``*.fsproj``,
``*.vbproj``; format "msbuild-project"), ``Directory.Build.props`` / ``Directory.Build.targets`` (imported into every
project below them; same format) and ``Directory.Packages.props`` (central package management; format
"nuget-central").

What declares a package (item types and metadata names compared without regard to case, as MSBuild does):

- ``<PackageReference Include="Id" Version="1.2.3" />`` (or ``Update="Id"``, which changes an item an imported file
  added), the version as an attribute or a child element ``<Version>1.2.3</Version>``; ``VersionOverride`` (central
  package management's per-project override) wins over ``Version``. Without either, the version comes from
  ``Directory.Packages.props``: the reference is declared with no version.
- ``<PackageVersion Include="Id" Version="..." />`` (Directory.Packages.props) and ``<GlobalPackageReference>``
  (a reference added to every project).
- ``<PackageDownload Include="Id" Version="[1.0.0]" />``: a package restored without being referenced (scope build).
- Project SDKs fetched from NuGet: ``<Project Sdk="Name/1.2.3">`` (several separated by ``;``), ``<Sdk Name="Name"
  Version="1.2.3" />`` and ``<Import Sdk="Name" Version="..." />`` (scope build). An SDK without a version is one the
  installed .NET SDK provides, not a download.

``Include`` may list several ids separated by ``;``. Versions are NuGet's: a bare ``1.2.3`` means "1.2.3 or the
lowest above it", which is 1.2.3 whenever it exists, so it is the dependency's version; ``[1.2.3]`` pins it;
ranges and floating versions (``[1.0,2.0)``, ``1.*``) leave the version open.

Properties: ``$(Name)`` in a version or id is replaced by a property set in a ``<PropertyGroup>`` without a
``Condition`` (the last one MSBuild evaluates wins) by the file itself or by the files the .NET SDK imports before
it: the nearest ``Directory.Build.props`` at or above the file's folder (and, when that one imports the next one up
with ``GetPathOfFileAbove('Directory.Build.props', …)``, that one, and so on), then, for a project file, the nearest
``Directory.Packages.props``. Those files are read through the snapshot (``includes``), so a pull request that
changes only ``<XUnitVersion>`` in Directory.Build.props re-judges the projects that use it. Any other reference (a
property of another import, of the environment, of a conditional group, an item or metadata reference, a property
function) is known only when MSBuild evaluates the project: it is a Problem at its line, and the package is still
listed with the version as written. Items under a ``Condition`` are listed too (some build installs them).

XML safety: the file is read with expat directly (for the lines of elements) and a document type declaration is
refused before anything in it is expanded: MSBuild files have none, and a DTD is how an XML file defines entities
(the "billion laughs" expansion, external entities). defusedxml is not a dependency of lockgate; expat's own
protections vary with its version, so refusing every DTD is the one safe rule.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import NamedTuple

from checker.errors import ManifestError
from checker.model import Dependency, Manifest, Problem, Reader

PROJECT_FORMAT = "msbuild-project"
CENTRAL_FORMAT = "nuget-central"
PROJECT_SUFFIXES = (".csproj", ".fsproj", ".vbproj")
_REFERENCE_ITEMS = {"packagereference": "prod", "globalpackagereference": "prod", "packageversion": "prod",
                    "packagedownload": "build"}
_VERSION_METADATA = ("versionoverride", "version")
_PROPERTY = re.compile(r"\$\(\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\)")
_ANY_REFERENCE = re.compile(r"[$@%]\(")
MAX_PROPERTY_ROUNDS = 8  # a property defined by another, and so on: MSBuild has no limit, real files need two
# A value that grows past this while properties are put in (``$(A)$(A)`` where A is ``$(B)$(B)``…) is no version
# or id: it is left unexpanded (a Problem) instead of doubling eight times.
MAX_EXPANDED = 4096


def is_project_file(base: str, parent: str) -> bool:
    lower = base.lower()
    return lower.endswith(PROJECT_SUFFIXES) or lower in ("directory.build.props", "directory.build.targets")


def is_central_file(base: str, parent: str) -> bool:
    return base.lower() == "directory.packages.props"


class Element(NamedTuple):
    """An element as expat read it: its tag and attributes as written, its line, its text and its children."""

    tag: str
    attributes: dict[str, str]
    line: int
    children: list["Element"]
    text: list[str]

    @property
    def name(self) -> str:
        return self.tag.rpartition(":")[2].lower()  # a prefixed tag names the same element to MSBuild

    def attribute(self, name: str) -> str | None:
        for key, value in self.attributes.items():
            if key.lower() == name:
                return value
        return None

    def metadata(self, name: str) -> tuple[str, int] | None:
        """Item metadata ``name`` as an attribute or a child element (the child, written later, wins)."""
        found = None
        value = self.attribute(name)
        if value is not None:
            found = (value, self.line)
        for child in self.children:
            if child.name == name:
                found = ("".join(child.text).strip(), child.line)
        return found


class _DocumentType(Exception):
    pass


def read_xml(text: str, path: str) -> Element:
    """The root element; a ManifestError for XML that is not well formed or that has a DTD."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    root = Element("#document", {}, 1, [], [])
    stack = [root]

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = Element(tag, attributes, parser.CurrentLineNumber, [], [])
        stack[-1].children.append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        stack[-1].text.append(data)

    def refuse(*args: object) -> None:
        raise _DocumentType()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(text.lstrip("\ufeff"), True)
    except _DocumentType:
        raise ManifestError("a document type declaration (<!DOCTYPE>) in an MSBuild file: MSBuild files have none, "
                            "and lockgate does not expand the entities one can define", path,
                            parser.CurrentLineNumber) from None
    except xml.parsers.expat.ExpatError as error:
        message = xml.parsers.expat.errors.messages.get(error.code, str(error)) if hasattr(error, "code") else str(error)
        # expat counts a lone CR as a line break and reports the end of the text on the line after it: no line
        # past the text's last.
        last = max(text.count("\n") + 1, len(text.splitlines()))
        raise ManifestError(f"not well-formed XML: {message}", path, min(error.lineno, last)) from None
    except RecursionError:
        raise ManifestError("not readable: elements nested too deeply", path) from None
    if not root.children:
        raise ManifestError("no root element, expected an MSBuild <Project>", path)
    return root.children[0]


def _walk(element: Element) -> Iterator[Element]:
    """Every element below ``element``, in document order (iteratively: a deep file cannot exhaust the stack)."""
    pending = list(reversed(element.children))
    while pending:
        current = pending.pop()
        yield current
        pending.extend(reversed(current.children))


def _properties(root: Element) -> dict[str, str]:
    """Properties set by the file's unconditional property groups, by lower-cased name (last wins)."""
    found: dict[str, str] = {}
    for group in root.children:
        if group.name != "propertygroup" or group.attribute("condition") is not None:
            continue
        for prop in group.children:
            if prop.attribute("condition") is None:
                found[prop.name] = "".join(prop.text).strip()
    return found


class _Expander:
    def __init__(self, properties: dict[str, str], problems: list[Problem]) -> None:
        self.properties = properties
        self.problems = problems

    def expand(self, value: str, what: str, line: int) -> tuple[str, bool]:
        """``value`` with the file's own properties put in; False when something is left that only MSBuild's
        evaluation knows (reported as a Problem)."""
        for _ in range(MAX_PROPERTY_ROUNDS):
            if "(" not in value:
                return value, True
            replaced = _PROPERTY.sub(lambda m: self.properties.get(m.group(1).lower(), m.group(0)), value)
            if replaced == value or len(replaced) > MAX_EXPANDED:
                break
            value = replaced
        if _ANY_REFERENCE.search(value):
            self.problems.append(Problem(
                f"{what} is {value!r}: a property (or item) reference that this file does not set unconditionally, "
                "known only when MSBuild evaluates the project (an imported file, the environment, a condition); "
                "lockgate cannot tell which version is restored", line))
            return value, False
        return value, True


def _version_fields(spec: str, known: bool) -> tuple[str | None, str]:
    from checker.versions.nuget import exact_version

    return (exact_version(spec) if known else None), spec


BUILD_PROPS = "Directory.Build.props"
CENTRAL_PROPS = "Directory.Packages.props"
MAX_IMPORTS = 16  # Directory.Build.props files chained upwards: deeper than any real repository's folders
_CHAINS_UPWARDS = "GetPathOfFileAbove"


def _ancestors(folder: str, name: str) -> list[str]:
    """``name`` in ``folder`` and in every folder above it, nearest first (repository paths)."""
    found = []
    while True:
        found.append(posixpath.join(folder, name) if folder else name)
        if not folder:
            return found[:MAX_IMPORTS]
        folder = posixpath.dirname(folder)


def _imports(path: str) -> tuple[list[str], list[str]]:
    """The candidate Directory.Build.props files (nearest first) and Directory.Packages.props files whose
    properties are in scope for ``path`` (see the module docstring)."""
    folder, base = posixpath.split(path)
    lower = base.lower()
    if lower == BUILD_PROPS.lower():
        return _ancestors(posixpath.dirname(folder), BUILD_PROPS) if folder else [], []
    central = [] if lower == CENTRAL_PROPS.lower() else _ancestors(folder, CENTRAL_PROPS)
    return _ancestors(folder, BUILD_PROPS), central


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The files whose properties a parse of ``path`` may read: every candidate named by ``_imports`` (reading one
    that is absent costs nothing, and a new one becomes an input as soon as it appears)."""
    props, central = _imports(path)
    return [(candidate, None) for candidate in props + central]


def _imported_properties(path: str, text: str, read: Reader) -> tuple[dict[str, str], list[str]]:
    """The properties of the files imported before ``path`` (see the module docstring), and the files read."""
    props, central = _imports(path)
    chain: list[tuple[str, str]] = []
    own_folder = posixpath.basename(path).lower() == BUILD_PROPS.lower()
    if not own_folder or _CHAINS_UPWARDS in text:
        for candidate in props:
            found = read(candidate)
            if found is None:
                continue
            chain.append((candidate, found))
            if _CHAINS_UPWARDS not in found:
                break  # the nearest one is imported; it imports the next only when it says so
    properties: dict[str, str] = {}
    for candidate, found in reversed(chain):  # the farthest is evaluated first
        properties.update(_file_properties(found, candidate))
    for candidate in central:
        found = read(candidate)
        if found is not None:
            chain.append((candidate, found))
            properties.update(_file_properties(found, candidate))
            break
    return properties, [candidate for candidate, _ in chain]


def _file_properties(text: str, path: str) -> dict[str, str]:
    try:
        return _properties(read_xml(text, path))
    except ManifestError:
        return {}  # that file's own parse reports it; here it just sets nothing


def parse(text: str, path: str, read: Reader) -> Manifest:
    base = posixpath.basename(path)
    fmt = CENTRAL_FORMAT if is_central_file(base, "") else PROJECT_FORMAT
    root = read_xml(text, path)
    if root.name != "project":
        raise ManifestError(f"the root element is <{root.tag}>, expected an MSBuild <Project>", path, root.line)
    problems: list[Problem] = []
    imported, read_in = _imported_properties(path, text, read)
    expander = _Expander({**imported, **_properties(root)}, problems)
    deps: list[Dependency] = []
    deps.extend(_sdks(root, path, expander))
    for element in _walk(root):
        scope = _REFERENCE_ITEMS.get(element.name)
        if scope is not None:
            deps.extend(_references(element, scope, path, expander))
        elif element.name in ("sdk", "import") and element.attribute("version") is not None:
            name = element.attribute("name") if element.name == "sdk" else element.attribute("sdk")
            if name:
                deps.extend(_sdk(name, element.attribute("version") or "", element.line, path, expander))
    return Manifest(path=path, format=fmt, ecosystem="nuget", dependencies=tuple(_unique(deps)), kind="declared",
                    includes=tuple(read_in), problems=tuple(problems))


def _references(element: Element, scope: str, path: str, expander: _Expander) -> list[Dependency]:
    target = element.attribute("include")
    if target is None:
        target = element.attribute("update")
    if target is None:
        return []  # Remove="…": takes a package out, installs none
    names, known_names = expander.expand(target, f"<{element.tag}> Include", element.line)
    version_spec, version_line = "", element.line
    for name in _VERSION_METADATA:
        found = element.metadata(name)
        if found is not None:
            version_spec, version_line = found
            break
    known = True
    if version_spec:
        version_spec, known = expander.expand(version_spec, f"the version of <{element.tag}> {target}", version_line)
    version, specifier = _version_fields(version_spec, known) if version_spec else (None, "")
    deps = []
    for name in (part.strip() for part in names.split(";")):
        if not name:
            continue
        if not known_names or "*" in name or "?" in name:
            if known_names:
                expander.problems.append(Problem(f"<{element.tag}> Include {name!r} is a wildcard, which names no "
                                                 "NuGet package", element.line))
            continue
        deps.append(Dependency(ecosystem="nuget", name=name, version=version, specifier=specifier, scope=scope,
                               direct=True, manifest=path, line=element.line))
    return deps


def _sdks(root: Element, path: str, expander: _Expander) -> list[Dependency]:
    """``<Project Sdk="Name/Version;Other">``: the SDKs with a version are packages NuGet fetches."""
    deps: list[Dependency] = []
    for entry in (root.attribute("sdk") or "").split(";"):
        name, slash, version = entry.strip().partition("/")
        if slash and name.strip():
            deps.extend(_sdk(name.strip(), version.strip(), root.line, path, expander))
    return deps


def _sdk(name: str, version: str, line: int, path: str, expander: _Expander) -> list[Dependency]:
    version, known = expander.expand(version, f"the version of the MSBuild SDK {name}", line)
    exact, specifier = _version_fields(version, known)
    return [Dependency(ecosystem="nuget", name=name, version=exact, specifier=specifier, scope="build", direct=True,
                       manifest=path, line=line)]


def _unique(deps: list[Dependency]) -> list[Dependency]:
    """One dependency per id (any case) and version as written; the first keeps its line."""
    seen: dict[tuple[str, str | None, str], Dependency] = {}
    for dep in deps:
        seen.setdefault((dep.name.lower(), dep.version, dep.specifier), dep)
    return list(seen.values())
