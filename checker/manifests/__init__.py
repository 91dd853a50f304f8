"""Manifest formats: which files lockgate reads, and the parser for each.

Each format is one module with ``parse(text, path, read) -> Manifest``. Modules are imported only when a file
of their format is actually read, so a run that touches no lockfile imports no parser.

A format whose files read other files of the repository (pip ``-r``, a patch file a package.json names, a
submodule's commit) is declared with ``includes=True`` and its module (or the lighter module named by
``scanner``) defines ``includes(text, path) -> list of (repository path, line)``: the files a parse of ``text``
would read, found without a full parse. A commit that changes no manifest still asks every such file of the tree,
so the scanner of a common format must be cheap to import. The collect stage
walks those to re-judge a manifest when only a file it reads changed (or when it starts reading one that existed
before), and the parser lists what it read in ``Manifest.includes``. ``includes="manifests"`` (pip's ``-r``) says
that a file read in is itself a manifest of the same format, judged on its own; ``includes="requirements"`` (tox's
``deps = -r ...``, conda's ``pip:`` list, setup.cfg) that it is a pip requirements file, judged on its own
(checker/manifests/includes.py).

A module that sets ``REUSES_BASE = True`` takes a fourth argument, ``memo``: a dict shared by the parses of
one file's two revisions, base first, and by nothing else. The base parse may leave there what it built, and
the head parse may reuse it for the parts that did not change, provided the result is exactly what a fresh
parse would give: a pull request changes a tenth of a 50,000-entry lockfile, and reading the other nine tenths
twice was most of its diff.

May import: checker.model, checker.errors, checker.redaction, checker.versions, checker.snapshot.
"""

from __future__ import annotations

import importlib
import posixpath
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.model import Manifest, Reader


class Format:
    """One file format: its name, ecosystem, parser module, and a matcher of (basename, parent folder name).

    A plain class, not a dataclass: finding manifests is on the start-up path of a check that touches none,
    which must not pay for importing ``dataclasses``.
    """

    __slots__ = ("name", "ecosystem", "module", "matches", "includes", "scanner", "binary")

    def __init__(self, name: str, ecosystem: str, module: str, matches: Callable[[str, str], bool],
                 includes: bool | str = False, binary: bool = False, scanner: str | None = None) -> None:
        self.name = name
        self.ecosystem = ecosystem
        self.module = module
        self.matches = matches
        self.includes = includes
        self.scanner = scanner or module  # the module whose ``includes`` finds what a file reads in
        # A binary format's files are handed to its parser as Latin-1 text (every byte one character), not
        # refused as "not text" before the parser can say what they are.
        self.binary = binary

    def __repr__(self) -> str:
        return f"Format({self.name!r})"

    def parse(self, text: str, path: str, read: Reader, memo: dict | None = None) -> Manifest:
        module = importlib.import_module(f"checker.manifests.{self.module}")
        # Every format module has ``parse(text, path, read) -> Manifest`` (and ``memo`` when it REUSES_BASE).
        manifest: Manifest = (module.parse(text, path, read, memo) if memo is not None
                              and getattr(module, "REUSES_BASE", False) else module.parse(text, path, read))
        return manifest

    def scan_includes(self, text: str, path: str) -> list[tuple[str, int | None]]:
        """The repository paths a file of this format reads, with the line that names each (see the module
        docstring); empty for formats that read nothing else."""
        if not self.includes:
            return []
        module = importlib.import_module(f"checker.manifests.{self.scanner}")
        found: list[tuple[str, int | None]] = module.includes(text, path)
        return found


# Files one include graph may reach (pip's -r/-c; patch files; submodules), in the collect stage's walk of a
# snapshot and in the requirements parser's check of one file alike: no real project needs more, and a bound keeps
# a hostile repository from making lockgate read without end.
MAX_INCLUDED_FILES = 200

_REQUIREMENT_DIRS = frozenset({"requirements", "reqs", "requirements.d"})


def _is_requirements(base: str, parent: str) -> bool:
    """requirements*.txt, *requirements.txt, constraints*.txt, *.in (pip-tools inputs) and every .txt or .in in
    a ``requirements/`` folder. ``MANIFEST.in`` and other ``.in`` templates are not requirements."""
    lower = base.lower()
    if not (lower.endswith(".txt") or lower.endswith(".in")):
        return False
    if parent.lower() in _REQUIREMENT_DIRS:
        return True
    stem = lower.rsplit(".", 1)[0]
    if "requirements" in stem or stem.startswith("constraints") or stem.endswith("constraints"):
        return True
    return lower.endswith(".in") and "req" in stem


def _named(*names: str) -> Callable[[str, str], bool]:
    wanted = frozenset(names)
    return lambda base, parent: base in wanted


def _is_pylock(base: str, parent: str) -> bool:
    return base == "pylock.toml" or (base.startswith("pylock.") and base.endswith(".toml"))


# ``Dockerfile.<suffix>`` names a build variant (``Dockerfile.dev``), except when the suffix is another language's or
# format's extension: ``dockerfile.py`` is a Python module (lockgate has one), ``Dockerfile.md`` its documentation,
# ``Dockerfile.j2`` a template that is not a Dockerfile until rendered.
_NOT_DOCKERFILE_SUFFIXES = frozenset({
    "py", "pyi", "pyc", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "rs", "rb", "java", "kt", "c", "h", "cc",
    "cpp", "hpp", "cs", "php", "pl", "lua", "sh", "bash", "zsh", "ps1", "bat", "md", "rst", "txt", "adoc", "html",
    "json", "toml", "yml", "yaml", "ini", "cfg", "xml", "lock", "diff", "patch", "orig", "bak", "swp",
    "j2", "jinja", "jinja2", "tmpl", "tpl", "template", "erb", "mustache", "hbs", "in", "dockerignore",
})


def _is_dockerfile(base: str, parent: str) -> bool:
    """Dockerfile, Containerfile, ``*.Dockerfile``, ``Dockerfile.*`` (not ``*.dockerignore``, not ``dockerfile.py``
    and other files of another language or format), any case."""
    lower = base.lower()
    for stem in ("dockerfile", "containerfile"):
        if lower == stem or lower.endswith("." + stem):
            return True
        if lower.startswith(stem + "."):
            return lower.rsplit(".", 1)[1] not in _NOT_DOCKERFILE_SUFFIXES
    return False


def _is_conda_environment(base: str, parent: str) -> bool:
    """``environment.yml``, ``environment.yaml`` (the name ``conda env create`` looks for) and the usual variants
    ``environment-dev.yml``, ``environment_docs.yaml``, ``environment.ci.yml``, ``doc_environment.yml``,
    ``py39-environment.yml``; any case."""
    lower = base.lower()
    for suffix in (".yml", ".yaml"):
        if lower.endswith(suffix):
            stem = lower[: -len(suffix)]
            return stem == "environment" or (stem.startswith("environment") and stem[11:12] in ("-", "_", ".")) or (
                stem.endswith("environment") and stem[-12:-11] in ("-", "_", "."))
    return False


def _is_gemfile_lock(base: str, parent: str) -> bool:
    """Bundler's lockfile: ``Gemfile.lock``, ``gems.locked``, and ``<name>.gemfile.lock`` (the lockfile of a
    ``BUNDLE_GEMFILE=<name>.gemfile``, as appraisal's ``gemfiles/`` hold)."""
    return base in ("Gemfile.lock", "gems.locked") or base.endswith(".gemfile.lock")


def _is_gemfile(base: str, parent: str) -> bool:
    return base in ("Gemfile", "gems.rb") or (base.endswith(".gemfile") and len(base) > 8)


def _at_root(name: str) -> Callable[[str, str], bool]:
    """A file git reads only at the top of the repository (``.gitmodules``): a copy in a folder is just a file."""
    return lambda base, parent: base == name and parent == ""


def _in_folder(name: str, folder: str) -> Callable[[str, str], bool]:
    """A file of this name in a folder of that name (``.mvn/extensions.xml``, ``gradle/wrapper/…``)."""
    return lambda base, parent: base == name and parent == folder


def _is_gradle_lockfile(base: str, parent: str) -> bool:
    """``gradle.lockfile``, ``buildscript-gradle.lockfile``, ``settings-gradle.lockfile``, and the per-configuration
    ``*.lockfile`` of an older Gradle's ``gradle/dependency-locks/`` folder."""
    return base in ("gradle.lockfile", "buildscript-gradle.lockfile", "settings-gradle.lockfile") or (
        parent == "dependency-locks" and base.endswith(".lockfile"))


def _is_gradle_catalog(base: str, parent: str) -> bool:
    """``libs.versions.toml`` and any other ``*.versions.toml`` (a catalog settings.gradle imports by path)."""
    return base.endswith(".versions.toml") and len(base) > len(".versions.toml")


def _by_path_only(base: str, parent: str) -> bool:
    """Formats that format_for recognises by their whole path, not by name."""
    return False


def _is_nuget_central(base: str, parent: str) -> bool:
    """``Directory.Packages.props`` in any case (a Windows checkout's MSBuild finds it so)."""
    return base.lower() == "directory.packages.props"


def _is_msbuild_project(base: str, parent: str) -> bool:
    """``*.csproj``, ``*.fsproj``, ``*.vbproj``, ``Directory.Build.props`` and ``Directory.Build.targets``."""
    lower = base.lower()
    return lower.endswith((".csproj", ".fsproj", ".vbproj")) or lower in ("directory.build.props",
                                                                          "directory.build.targets")


# GitHub reads workflows from this one folder at the repository root, and not from its subfolders.
WORKFLOWS_DIR = ".github/workflows"

FORMATS: tuple[Format, ...] = (
    Format("requirements", "pypi", "requirements", _is_requirements, includes="manifests",
           scanner="requirements_includes"),
    Format("pyproject", "pypi", "pyproject", _named("pyproject.toml"), includes="requirements",
           scanner="pyproject_tox"),  # [tool.tox]
    Format("poetry-lock", "pypi", "poetry_lock", _named("poetry.lock")),
    Format("uv-lock", "pypi", "uv_lock", _named("uv.lock")),
    Format("pipfile-lock", "pypi", "pipfile_lock", _named("Pipfile.lock")),
    Format("pylock", "pypi", "pylock", _is_pylock),
    Format("setup-py", "pypi", "setup_py", _named("setup.py")),
    Format("setup-cfg", "pypi", "setup_cfg", _named("setup.cfg"), includes="requirements"),
    Format("tox-ini", "pypi", "tox_ini", _named("tox.ini"), includes="requirements"),
    Format("tox-toml", "pypi", "tox_toml", _named("tox.toml"), includes="requirements"),
    Format("pipfile", "pypi", "pipfile", _named("Pipfile")),
    Format("conda-env", "conda", "conda_env", _is_conda_environment, includes="requirements"),
    Format("gha-workflow", "actions", "workflow", _by_path_only, includes="inputs"),  # run: steps' -r files
    Format("gha-action", "actions", "action_yml", _named("action.yml", "action.yaml")),
    Format("dockerfile", "docker", "dockerfile", _is_dockerfile, includes="requirements"),  # RUN pip -r files
    Format("package-json", "npm", "package_json", _named("package.json"), includes=True),  # patch files
    Format("package-lock", "npm", "package_lock", _named("package-lock.json")),
    Format("npm-shrinkwrap", "npm", "package_lock", _named("npm-shrinkwrap.json")),
    # Classic or Berry, by content. Berry's reads the registries of .yarnrc.yml, but is not re-judged when only those
    # change: that change is the setting's (registry-config), not one of every package in the lockfile.
    Format("yarn-lock", "npm", "yarn_lock", _named("yarn.lock")),
    Format("pnpm-lock", "npm", "pnpm_lock", _named("pnpm-lock.yaml")),
    Format("pnpm-workspace", "npm", "pnpm_workspace", _named("pnpm-workspace.yaml"), includes=True),  # patch files
    # Registry settings: where installs come from, whether TLS and checksums are checked, whether scripts run.
    Format("npmrc", "config", "npmrc", _named(".npmrc")),
    Format("yarnrc-yml", "config", "yarnrc_yml", _named(".yarnrc.yml"), includes=True),
    Format("yarnrc", "config", "yarnrc", _named(".yarnrc"), includes=True),
    Format("pip-conf", "config", "pip_conf", _named("pip.conf", "pip.ini")),
    Format("uv-toml", "config", "uv_toml", _named("uv.toml")),
    Format("bunfig", "config", "bunfig", _named("bunfig.toml", ".bunfig.toml")),
    # pre-commit reads the .yaml name; prek also the .yml one, and both in subfolders (prek's workspaces)
    Format("pre-commit-config", "pre-commit", "precommit_config",
           _named(".pre-commit-config.yaml", ".pre-commit-config.yml")),
    Format("bun-lock", "npm", "bun_lock", _named("bun.lock"), includes=True),  # includes: patch files
    Format("bun-lockb", "npm", "bun_lockb", _named("bun.lockb"), binary=True),  # always reported unreadable
    Format("gitmodules", "git", "gitmodules", _at_root(".gitmodules"), includes=True),  # submodules
    Format("cargo-lock", "cargo", "cargo_lock", _named("Cargo.lock")),
    Format("cargo-toml", "cargo", "cargo_toml", _named("Cargo.toml")),
    Format("package-resolved", "swift", "package_resolved", _named("Package.resolved")),
    Format("gemfile", "gem", "gemfile", _is_gemfile),
    Format("gemfile-lock", "gem", "gemfile_lock", _is_gemfile_lock),
    Format("composer-json", "composer", "composer_json", _named("composer.json")),
    Format("composer-lock", "composer", "composer_lock", _named("composer.lock")),
    # Java: Gradle's lock files (read with the build's verification-metadata.xml checksums), its version catalogs,
    # Maven's POMs (which read a local parent POM to tell it from a fetched one).
    Format("gradle-lockfile", "maven", "gradle_lockfile", _is_gradle_lockfile, includes=True),
    Format("gradle-catalog", "maven", "gradle_catalog", _is_gradle_catalog),
    Format("maven-pom", "maven", "maven_pom", _named("pom.xml"), includes=True),
    Format("maven-extensions", "maven", "maven_extensions", _in_folder("extensions.xml", ".mvn")),
    # The wrappers download and run the build tool itself: where from, and its checksum, are settings.
    Format("gradle-wrapper", "config", "java_wrapper", _in_folder("gradle-wrapper.properties", "wrapper")),
    Format("maven-wrapper", "config", "java_wrapper", _in_folder("maven-wrapper.properties", "wrapper")),
    # Go modules: go.mod's requires and replaces, go.sum's hashes (its includes: the go.mod beside it, for which
    # modules are direct), a workspace's go.work and its go.work.sum.
    Format("go-mod", "go", "go_mod", _named("go.mod")),
    Format("go-sum", "go", "go_sum", _named("go.sum", "go.work.sum"), includes=True),
    Format("go-work", "go", "go_work", _named("go.work")),
    # .NET: NuGet's lock file, central package management, and project files' PackageReference (and SDKs).
    Format("nuget-lock", "nuget", "nuget_lock", _named("packages.lock.json")),
    # MSBuild files read the properties of the Directory.Build.props (and .Packages.props) above them: includes.
    Format("nuget-central", "nuget", "msbuild", _is_nuget_central, includes=True),
    Format("msbuild-project", "nuget", "msbuild", _is_msbuild_project, includes=True),
    # Dart and Flutter: pub.
    Format("pubspec-lock", "pub", "pubspec_lock", _named("pubspec.lock")),
    Format("pubspec", "pub", "pubspec_yaml", _named("pubspec.yaml")),
)

FORMATS_BY_NAME = {fmt.name: fmt for fmt in FORMATS}


def format_for(path: str) -> Format | None:
    """The format of a repository path by its name, or None when lockgate does not read such a file."""
    parent, base = posixpath.split(path)
    if parent == WORKFLOWS_DIR and (base.endswith(".yml") or base.endswith(".yaml")):
        return FORMATS_BY_NAME["gha-workflow"]
    parent_name = posixpath.basename(parent)
    for fmt in FORMATS:
        if fmt.matches(base, parent_name):
            return fmt
    return None
