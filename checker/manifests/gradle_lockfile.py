"""Parser for Gradle's dependency lock files (format "gradle-lockfile", ecosystem "maven", kind "lock").

Files: ``gradle.lockfile`` (Gradle 6+, one per project), ``buildscript-gradle.lockfile`` (the build script's own
classpath) and ``settings-gradle.lockfile`` (settings plugins), and the per-configuration files of Gradle 4.8-6,
``gradle/dependency-locks/<configuration>.lockfile`` (``buildscript-<configuration>.lockfile`` for the build
script). Grammar (Gradle's ``LockFileReaderWriter``), one entry a line::

    file    = { line "\\n" }
    line    = "#" comment | "" | entry | empty
    entry   = group ":" artifact ":" version [ "=" configuration { "," configuration } ]
    empty   = "empty=" [ configuration { "," configuration } ]     (configurations locked to nothing)

The ``=configurations`` part is in the Gradle 6 single file only; a per-configuration file names its
configuration by its file name. A line that is neither is a Problem (Gradle refuses the whole lock state), the
other lines are still read.

Names are ``group:artifact`` as written (Maven coordinates are case-sensitive); versions are exact. The same
module can be locked at two versions for different configurations (a linter's own classpath), and each is an entry.

Scope, from the configurations an entry is locked for (the strongest wins: prod, then build, then dev):
- build: every entry of a build-script or settings lock file; annotation processors (``annotationProcessor``,
  ``*AnnotationProcessor``, ``kapt*``, ``ksp*``), the Kotlin compiler's own classpaths (``kotlinCompiler*``,
  ``kotlin*PluginClasspath*``, ``kotlinBuildToolsApiClasspath``, ``kotlinKlibCommonizerClasspath``), and the tools
  of code-quality plugins (``ktlint``, ``detekt``, ``spotbugs``, ``checkstyle``, ``pmd``, ``codenarc``,
  ``jacocoAgent``, ``jacocoAnt``, ``errorprone``, ``sonarlint*``, ``pitest``, ``lintChecks``/``lintClassPath``):
  code that runs on the build machine;
- dev: configurations of tests (a name starting ``test``, or containing ``Test``: ``testRuntimeClasspath``,
  ``androidTestImplementation``, ``debugUnitTestRuntimeClasspath``, ``testFixturesApi``, ``integrationTest…``);
- prod: everything else (``compileClasspath``, ``runtimeClasspath``, ``releaseRuntimeClasspath``,
  ``…DependenciesMetadata``), and any name lockgate does not know, the stricter choice.

Hashes: Gradle keeps none in lock files. They live in the build's dependency verification file,
``gradle/verification-metadata.xml`` (``<component group name version><artifact name><sha256 value/>``, also
``sha512``, ``sha1``, ``md5`` and ``<also-trust value/>``), which the parser reads through ``read`` from the
nearest folder at or above the lock file's project that has one: every checksum of a component's artifacts
becomes a hash of the entry with that group, name and version. When ``gradle.properties`` beside that ``gradle/``
folder turns verification ``off`` or ``lenient`` (``org.gradle.dependency.verification``), Gradle checks nothing
(lenient only logs), so the checksums do not count and the entries carry no hashes. Without a verification file,
no entry has a hash (hash-pinning: ``files-without-hashes``).

Direct: a lock file does not say which modules the build asks for, so every entry is marked direct (the
stricter choice, as for a poetry.lock without its pyproject.toml).
"""

from __future__ import annotations

import posixpath

from checker.errors import ManifestError
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "gradle-lockfile"
ECOSYSTEM = "maven"
LOCKFILE_NAMES = ("gradle.lockfile", "buildscript-gradle.lockfile", "settings-gradle.lockfile")
VERIFICATION = "gradle/verification-metadata.xml"
PROPERTIES = "gradle.properties"
VERIFICATION_MODE = "org.gradle.dependency.verification"
_CHECKSUM_TAGS = ("sha256", "sha512", "sha1", "md5")
_BUILD_PREFIXES = ("annotationprocessor", "kapt", "ksp", "kotlincompiler", "kotlinbuildtoolsapiclasspath",
                   "kotlinklibcommonizerclasspath", "kotlinnativecompilerpluginclasspath", "ktlint", "detekt",
                   "spotbugs", "checkstyle", "pmd", "codenarc", "jacocoagent", "jacocoant", "errorprone",
                   "sonarlint", "pitest", "lintchecks", "lintclasspath", "classpath")
_SCOPE_RANK = {"prod": 3, "build": 2, "dev": 1}
_NO_HASHES: frozenset[str] = frozenset()
MAX_PROBLEMS = 50  # lines reported one by one; a file of nothing else is one finding per line up to here, then one


def is_lockfile(base: str, parent: str) -> bool:
    return base in LOCKFILE_NAMES or (parent == "dependency-locks" and base.endswith(".lockfile"))


def _project_dir(path: str) -> str:
    """The Gradle project folder a lock file belongs to (``x/gradle/dependency-locks/a.lockfile`` -> ``x``)."""
    folder = posixpath.dirname(path)
    if posixpath.basename(folder) == "dependency-locks" and posixpath.basename(posixpath.dirname(folder)) == "gradle":
        return posixpath.dirname(posixpath.dirname(folder))
    return folder


def _ancestors(folder: str) -> list[str]:
    found = [folder]
    while folder:
        folder = posixpath.dirname(folder)
        found.append(folder)
    return found


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The verification files and ``gradle.properties`` a parse may read: one pair per folder from the project up
    to the repository root (a verification file added higher up changes the hashes too)."""
    found: list[tuple[str, int | None]] = []
    for folder in _ancestors(_project_dir(path)):
        found.append((posixpath.join(folder, VERIFICATION), None))
        found.append((posixpath.join(folder, PROPERTIES), None))
    return found


def configuration_scope(configuration: str) -> str:
    """prod, build or dev for one configuration name (see the module docstring)."""
    lower = configuration.lower()
    if lower.startswith("test") or "Test" in configuration:
        return "dev"
    if lower.startswith(_BUILD_PREFIXES) or lower.endswith("annotationprocessor") or (
            lower.startswith("kotlin") and "pluginclasspath" in lower):
        return "build"
    return "prod"


def _scope(configurations: list[str], build_script: bool) -> str:
    if build_script or not configurations:
        return "build" if build_script else "prod"
    return max((configuration_scope(c) for c in configurations), key=_SCOPE_RANK.__getitem__)


def _is_build_script(path: str) -> bool:
    base = posixpath.basename(path)
    return base in ("buildscript-gradle.lockfile", "settings-gradle.lockfile") or (
        base.startswith("buildscript-") and posixpath.basename(posixpath.dirname(path)) == "dependency-locks")


def _valid_part(part: str) -> bool:
    return bool(part) and not any(c.isspace() or c in ",=:" for c in part)


def parse(text: str, path: str, read: Reader) -> Manifest:
    hashes, read_paths, problems = _verification_hashes(path, read)
    build_script = _is_build_script(path)
    per_configuration = posixpath.basename(posixpath.dirname(path)) == "dependency-locks"
    own_configuration = posixpath.basename(path)[: -len(".lockfile")] if per_configuration else None
    dependencies: list[Dependency] = []
    scopes: dict[str, tuple[bool, str]] = {}  # configuration list as written -> (valid, scope)
    refused = 0
    for number, raw in enumerate(text.split("\n"), 1):  # Gradle's lines: "\n" only (not U+2028 and the like)
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        coordinates, equals, configurations_text = line.partition("=")
        if coordinates.strip() == "empty" and equals:
            continue
        known = scopes.get(configurations_text) if equals else None
        if known is None:
            configurations = [c.strip() for c in configurations_text.split(",") if c.strip()] if equals else []
            valid = (not equals or bool(configurations)) and all(_valid_part(c) for c in configurations)
            if own_configuration is not None:
                configurations = configurations or [own_configuration]
            known = (valid, _scope(configurations, build_script))
            if equals:
                scopes[configurations_text] = known  # a real lock file repeats a few configuration lists
        parts = coordinates.strip().split(":")
        if len(parts) != 3 or not all(_valid_part(p) for p in parts) or not known[0]:
            refused += 1
            if refused <= MAX_PROBLEMS:
                problems.append(Problem(
                    f"line is not group:artifact:version=configurations (Gradle refuses the lock state): "
                    f"{line[:120]!r}", number))
            continue
        group, artifact, version = parts
        key = f"{group}:{artifact}"
        dependencies.append(Dependency(
            ecosystem=ECOSYSTEM, name=key, version=version, specifier=version,
            hashes=hashes.get((key, version), _NO_HASHES), scope=known[1],
            direct=True, manifest=path, line=number,
        ))
    if refused > MAX_PROBLEMS:
        problems.append(Problem(f"{refused - MAX_PROBLEMS} more lines that are not group:artifact:version entries"))
    return Manifest(path=path, format=FORMAT, ecosystem=ECOSYSTEM, dependencies=tuple(dependencies), kind="lock",
                    includes=tuple(read_paths), problems=tuple(problems))


def _verification_hashes(path: str, read: Reader) -> tuple[dict[tuple[str, str], frozenset[str]], list[str],
                                                            list[Problem]]:
    """The checksums of the nearest verification file, keyed by (group:artifact, version); the paths read; and
    the problems met (a verification file that cannot be read is one: the entries then carry no hashes)."""
    read_paths: list[str] = []
    for folder in _ancestors(_project_dir(path)):
        where = posixpath.join(folder, VERIFICATION)
        try:
            text = read(where)
        except ManifestError as error:
            return {}, [where], [Problem(f"{where}: {error.message}")]
        if text is None:
            continue
        read_paths.append(where)
        properties_path = posixpath.join(folder, PROPERTIES)
        properties = _read_quietly(read, properties_path)
        if properties is not None:
            read_paths.append(properties_path)
            if verification_mode(properties) in ("off", "lenient"):
                return {}, read_paths, []
        try:
            return read_verification(text, where), read_paths, []
        except ManifestError as error:
            where_line = f"{where}:{error.line}" if error.line else where
            return {}, read_paths, [Problem(f"{where_line}: {error.message}; the lock entries carry no hashes")]
    return {}, read_paths, []


def _read_quietly(read: Reader, path: str) -> str | None:
    """The file's text; one that exists but cannot be read is taken as turning verification off (what it says
    is unknown, and "unknown" must not count as checked)."""
    try:
        return read(path)
    except ManifestError:
        return f"{VERIFICATION_MODE}=off"


def verification_mode(text: str) -> str | None:
    """``org.gradle.dependency.verification`` of a gradle.properties, read as Java reads a properties file
    (checker/manifests/java_properties.py: continuations, escapes, the last definition wins), lower-cased; None
    when it is not set."""
    from checker.manifests import java_properties

    found = java_properties.read(text).get(VERIFICATION_MODE)
    return None if found is None else found[0].strip().lower()


def read_verification(text: str, path: str) -> dict[tuple[str, str], frozenset[str]]:
    """Every checksum of ``verification-metadata.xml`` by (group:name, version), as ``algo:hex``."""
    from checker.manifests import xml_tree

    root = xml_tree.parse(text, path, "Gradle's dependency verification metadata")
    if root.tag != "verification-metadata":
        raise ManifestError(f"the root element is <{root.tag}>, expected <verification-metadata>", path, root.line)
    found: dict[tuple[str, str], set[str]] = {}
    for components in root.all("components"):
        for component in components.all("component"):
            group, name, version = (component.attributes.get(k) for k in ("group", "name", "version"))
            if not group or not name or not version:
                raise ManifestError("<component> without group, name and version", path, component.line)
            checksums = found.setdefault((f"{group}:{name}", version), set())
            for artifact in component.all("artifact"):
                for checksum in artifact.children:
                    if checksum.tag not in _CHECKSUM_TAGS:
                        continue
                    values = [checksum.attributes.get("value")] + [
                        trusted.attributes.get("value") for trusted in checksum.all("also-trust")]
                    for value in values:
                        if not value or not all(c in "0123456789abcdefABCDEF" for c in value):
                            raise ManifestError(f"<{checksum.tag}> without a hexadecimal value", path, checksum.line)
                        checksums.add(f"{checksum.tag}:{value.lower()}")
    return {key: frozenset(values) for key, values in found.items()}
