"""Replay real histories: run lockgate on every sampled commit that changed a lockfile, a workflow or a
Dockerfile of a public repository, and hold its diff to an independent reader of the same two revisions.

Opt-in, never part of the test run (it needs the repositories' histories on disk):

    .venv/bin/python benchmarks/replay.py                       # every repository of REPOSITORIES, 40 commits each
    .venv/bin/python benchmarks/replay.py --only pnpm/pnpm --commits 10 --verbose
    .venv/bin/python benchmarks/replay.py --markdown            # the table of README's "Replaying real histories"

Each repository is a git directory with its history (``--mirrors DIR`` holds them as ``owner+name/repo``, bare
mirrors as the ``fetch`` tool writes them). It is cloned ``--shared --no-checkout`` into a scratch folder (the
mirror is never written to), and for each sampled commit C (evenly spread over ``git log -- <the group's files>``,
so the oldest formats are included) lockgate runs as a fresh process, twice: ``lockgate diff --format json --base
C^ --head C`` (timed) and ``lockgate check --offline --format json`` on the same pair. Exit codes are recorded;
exit 2 is a usage or policy error and never acceptable on a commit of a real repository.

The independent readers are deliberately plain: ``tomllib`` (uv.lock, poetry.lock, pylock.toml, pyproject.toml,
Gradle version catalogs), ElementTree (pom.xml), a line reader of ``group:artifact:version`` (gradle.lockfile),
``json`` (package-lock.json, Pipfile.lock, bun.lock once its trailing commas are dropped), a YAML safe loader
(pnpm-lock.yaml, Berry yarn.lock, workflows, .pre-commit-config.yaml), pip's own requirements file reader with
``packaging`` for each requirement, a twenty-line reader of Yarn classic's block format, and a ``FROM`` line reader
for Dockerfiles, a line splitter for go.sum. Each returns the
(name, version) pairs a revision installs; the comparison is pairing-free: the net change of each (name, version)
between the revisions according to the reader must equal the net change according to lockgate's ``changes``
(each change takes away its ``from`` and brings its ``to``, so a ``hashes-changed`` or ``scope-changed`` entry
cancels out, and it does not matter which old entry lockgate pairs with which new one). pnpm-lock.yaml's two
documents (pnpm's own packages and the project's) install one version twice, in roles no scope orders, and are a
multiset; every other format is a set: identical copies are one for lockgate too, and a copy of a version in
another scope (Pipfile.lock's `default` and `develop`, package-lock.json's folders) is a change of scope
(``scope-changed``, checker/diff/changes.py), not of names and versions.
Where lockgate legitimately writes a name or version differently, the reader's side is normalised to lockgate's
documented spelling, with the reason beside it; nothing else is adjusted.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from harness import development_lockgate, git_env  # noqa: E402  (benchmarks import each other by plain name)

DEFAULT_MIRRORS = Path(os.environ.get("LOCKGATE_MIRRORS", "/work/.mirror"))
SAMPLE = 40

Pair = tuple[str, str]  # (name, version) as lockgate spells them


# -- the repositories ---------------------------------------------------------------------------------------------


class Repository(NamedTuple):
    slug: str  # owner/name on GitHub
    group: str  # one of GROUPS
    files: str  # what is replayed, for the README
    paths: tuple[str, ...] = ()  # pathspecs that select the sampled commits (default: the group's)


GROUPS = {
    # group: (formats it compares, the git pathspecs that select its commits)
    "Python locks": (("uv.lock", "poetry.lock", "Pipfile.lock", "pylock.toml"),
                     ("uv.lock", "*/uv.lock", "poetry.lock", "*/poetry.lock", "Pipfile.lock", "*/Pipfile.lock",
                      "pylock.toml", "*/pylock.toml", "pylock.*.toml", "*/pylock.*.toml")),
    "npm": (("package-lock.json",), ("package-lock.json", "*/package-lock.json")),
    "Yarn": (("yarn.lock",), ("yarn.lock", "*/yarn.lock")),
    "pnpm": (("pnpm-lock.yaml",), ("pnpm-lock.yaml", "*/pnpm-lock.yaml")),
    "workflows": (("workflow",), (".github/workflows/",)),
    "Dockerfiles": (("Dockerfile",), ("Dockerfile", "*/Dockerfile", "*.Dockerfile", "Dockerfile.*")),
    "requirements": (("requirements",), ("*requirements*.txt", "*constraints*.txt", "*req*.in", "requirements/",
                                        "*/requirements/", "reqs/", "*/reqs/")),
    "pre-commit": (("pre-commit",), (".pre-commit-config.yaml", "*/.pre-commit-config.yaml",
                                      ".pre-commit-config.yml", "*/.pre-commit-config.yml")),
    "bun.lock": (("bun.lock",), ("bun.lock", "*/bun.lock")),
    "pyproject.toml": (("pyproject.toml",), ("pyproject.toml", "*/pyproject.toml")),
    "Cargo.lock": (("Cargo.lock",), ("Cargo.lock", "*/Cargo.lock")),
    "Package.resolved": (("Package.resolved",), ("Package.resolved", "*/Package.resolved")),
    "Gemfile.lock": (("Gemfile.lock",), ("Gemfile.lock", "*/Gemfile.lock", "gems.locked", "*/gems.locked")),
    "composer.lock": (("composer.lock",), ("composer.lock", "*/composer.lock")),
    "Gradle locks": (("gradle.lockfile",), ("gradle.lockfile", "*/gradle.lockfile", "*gradle.lockfile",
                                           "gradle/dependency-locks/", "*/gradle/dependency-locks/")),
    "Gradle catalogs": (("versions.toml",), ("*.versions.toml",)),
    "pom.xml": (("pom.xml",), ("pom.xml", "*/pom.xml")),
    "Go modules": (("go.sum",), ("go.sum", "*/go.sum")),
    "NuGet": (("packages.lock.json", "Directory.Packages.props"),
              ("packages.lock.json", "*/packages.lock.json", "Directory.Packages.props", "*/Directory.Packages.props")),
    "pub": (("pubspec.lock",), ("pubspec.lock", "*/pubspec.lock")),
}

REPOSITORIES = (
    Repository("python-poetry/poetry", "Python locks", "poetry.lock: no lock-version, 1.1 to 2.1 (2018-2026)"),
    Repository("pydantic/pydantic-ai", "Python locks", "uv.lock: version 1, revisions 0 to 3, 1.5 MB (2024-2026)"),
    Repository("pallets/flask", "Python locks", "uv.lock: all the commits there are (2025-2026)"),
    Repository("psf/requests", "Python locks", "Pipfile.lock: unnumbered (2017) to spec 6 (2017-2022)"),
    Repository("psf/black", "Python locks", "Pipfile.lock: spec 6 (2018-2021)"),
    Repository("pypi/warehouse", "npm", "package-lock.json: v1 to v3 (2018-2026)"),
    Repository("actions/setup-node", "npm", "package-lock.json: v1 to v3 (2019-2026)"),
    Repository("facebook/jest", "Yarn", "yarn.lock: classic, Berry v4 (2016-2021)"),
    Repository("prettier/prettier", "Yarn", "yarn.lock: classic, Berry v6 to v10 (2017-2026)"),
    Repository("vercel/hyper", "Yarn", "yarn.lock: classic (2016-2024)"),
    # Sampled on the root lockfile (most commits of */pnpm-lock.yaml are test fixtures); fixtures a sampled commit
    # changes are compared too.
    Repository("pnpm/pnpm", "pnpm", "pnpm-lock.yaml: 5.0 to 9.0 (2019-2026)", ("pnpm-lock.yaml",)),
    Repository("vuejs/core", "pnpm", "pnpm-lock.yaml: 5.3 to 9.0 (2021-2026)"),
    Repository("ossf/scorecard", "workflows", ".github/workflows/* (2020-2026)"),
    Repository("tox-dev/tox", "workflows", ".github/workflows/* (2020-2026)"),
    Repository("docker-library/python", "Dockerfiles", "*/Dockerfile, every variant (2014-2026)"),
    Repository("pypi/warehouse", "Dockerfiles", "Dockerfile (2015-2026)"),
    Repository("ossf/scorecard", "Dockerfiles", "Dockerfile, */Dockerfile (2020-2026)"),
    Repository("pypi/warehouse", "requirements",
               "requirements*.txt, requirements/*.txt, *.in: pip-compile with hashes (2015-2026)"),
    Repository("pallets/flask", "requirements", "requirements*.txt, requirements/*.txt, *.in: pip-compile (2013-2025)"),
    Repository("pre-commit/pre-commit", "pre-commit",
               ".pre-commit-config.yaml: a bare list with sha: to repos/rev: (2014-2026)"),
    Repository("pytest-dev/pytest", "pre-commit", ".pre-commit-config.yaml (2018-2026)"),
    Repository("tox-dev/tox", "pre-commit", ".pre-commit-config.yaml (2020-2026)"),
    Repository("elysiajs/elysia", "bun.lock", "bun.lock: lockfileVersion 1 (2025-2026)"),
    Repository("honojs/hono", "bun.lock", "bun.lock: lockfileVersion 0 to 1, all the commits there are (2025-2026)"),
    Repository("tox-dev/tox", "pyproject.toml", "pyproject.toml: PEP 621, dependency groups (2020-2026)"),
    Repository("pytest-dev/pytest", "pyproject.toml", "pyproject.toml: PEP 518 to PEP 735 (2017-2026)"),
    Repository("BurntSushi/ripgrep", "Cargo.lock", "Cargo.lock: [root] and v1 to v4 (2016-2026)"),
    Repository("sharkdp/fd", "Cargo.lock", "Cargo.lock: v1 to v4 (2017-2026)"),
    Repository("pointfreeco/swift-composable-architecture", "Package.resolved",
               "Package.resolved: v1 to v3, the package's and the examples' (2020-2026)"),
    Repository("pointfreeco/isowords", "Package.resolved", "Package.resolved: v1 to v2 (2021-2024)"),
    Repository("rubygems/rubygems.org", "Gemfile.lock", "Gemfile.lock: Bundler 0.9's YAML (2010, unreadable: Bundler "
               "1.0 and later refuse it too) to Bundler 4, CHECKSUMS from 2.5, a GIT source, a second GEM remote "
               "(2010-2026)"),
    Repository("Homebrew/brew", "Gemfile.lock", "Library/Homebrew/Gemfile.lock: platform-specific gems, CHECKSUMS "
               "(2018-2026)"),
    Repository("composer/composer", "composer.lock", "composer.lock: Composer 1 and 2 (2012-2026)"),
    Repository("matomo-org/matomo", "composer.lock", "composer.lock: dev-master packages, packages-dev (2014-2026)"),
    Repository("JoseLion/maybe", "Gradle locks",
               "gradle/dependency-locks/*.lockfile (Gradle 6) to gradle.lockfile, buildscript-gradle.lockfile"),
    Repository("ADarko22/JDKCertsTool", "Gradle locks", "gradle.lockfile, settings-gradle.lockfile (2025-2026)"),
    Repository("android/nowinandroid", "Gradle catalogs", "gradle/libs.versions.toml (2022-2026)"),
    Repository("square/okhttp", "Gradle catalogs", "gradle/libs.versions.toml (2021-2026)"),
    Repository("apache/commons-lang", "pom.xml", "pom.xml (2002-2026)"),
    Repository("apache/commons-text", "pom.xml", "pom.xml (2014-2026)"),
    Repository("spf13/cobra", "Go modules", "go.sum: a go 1.12 to 1.15 module, pseudo-versions (2019-2026)"),
    Repository("golang/tools", "Go modules",
               "go.sum, gopls/go.sum: go.mod-only lines, a replace to a local directory (2019-2026)"),
    Repository("bitwarden/server", "NuGet", "packages.lock.json: version 1, every project (2024-2026)"),
    Repository("jellyfin/jellyfin", "NuGet", "Directory.Packages.props: central package management (2023-2026)"),
    Repository("flutter/gallery", "pub", "pubspec.lock: pub.dartlang.org without sha256 to pub.dev with (2019-2024)"),
    Repository("localsend/localsend", "pub", "pubspec.lock: hosted, git and sdk packages (2022-2026)"),
)


# -- the independent readers --------------------------------------------------------------------------------------


def canonical_pypi(name: str) -> str:
    # PEP 503 normalisation: lockgate reports PyPI names canonicalised (README "JSON output"), as pip compares them.
    return re.sub(r"[-_.]+", "-", name).lower()


def read_uv_lock(text: str) -> list[Pair]:
    pairs = []
    for package in tomllib.loads(text).get("package", []):
        source = package.get("source", {})
        if "editable" in source or "virtual" in source:
            continue  # the project itself and its workspace members: lockgate treats them as the project
        pairs.append((canonical_pypi(package["name"]), str(package.get("version"))))
    return pairs


def read_poetry_lock(text: str) -> list[Pair]:
    return [(canonical_pypi(p["name"]), str(p["version"])) for p in tomllib.loads(text).get("package", [])]


def read_pylock(text: str) -> list[Pair]:
    return [(canonical_pypi(p["name"]), str(p.get("version"))) for p in tomllib.loads(text).get("packages", [])]


def read_cargo_lock(text: str) -> list[Pair]:
    # A package without `source` is one of the workspace's own crates, not a dependency (README "What lockgate
    # reads"); names as written (the registry's own spelling).
    return [(p["name"], p["version"]) for p in tomllib.loads(text).get("package", []) if "source" in p]


def read_package_resolved(text: str) -> list[Pair]:
    document = json.loads(text)
    pins = document["object"]["pins"] if document.get("version") == 1 else document.get("pins", [])
    pairs = []
    for pin in pins:
        if "identity" in pin:
            identity = pin["identity"]
        else:  # version 1 writes no identity: SwiftPM's is the URL's last component, without .git, lower-cased
            identity = pin["repositoryURL"].rstrip("/").rsplit("/", 1)[-1].removesuffix(".git").lower()
        state = pin["state"]
        pairs.append((identity, state.get("version") or state["revision"]))  # a branch pin is its revision
    return pairs


def read_pipfile_lock(text: str) -> list[Pair]:
    pairs = []
    for section, packages in json.loads(text).items():
        if section == "_meta":
            continue
        for name, entry in packages.items():
            # Pipenv's 2017 lockfiles write an entry as a Pipfile line ("==2.18.4", "*") instead of a table.
            version = entry if isinstance(entry, str) else entry.get("version")
            # A git, path or editable entry pins no version: lockgate writes "any version" as `*`.
            version = "*" if version is None else version.removeprefix("==")
            if name.startswith("-e "):  # those lockfiles' editable key `-e .`: the path, which is no PyPI name
                pairs.append((name[3:].strip(), version))
            else:
                pairs.append((canonical_pypi(name), version))
    return pairs


def read_package_lock(text: str) -> list[Pair]:
    document = json.loads(text)
    pairs = []
    if "packages" in document:  # lockfileVersion 2 and 3
        for path, entry in document["packages"].items():
            if "node_modules/" not in f"/{path}" or entry.get("link"):
                continue  # the root, a workspace member's folder, a link to one: the project, not a dependency
            name = entry.get("name") or path.rsplit("node_modules/", 1)[1]  # `name`: the real package of an alias
            pairs.append((name, str(entry.get("version"))))
        return pairs

    def walk(dependencies: dict) -> None:  # lockfileVersion 1: nested `dependencies`
        for name, entry in dependencies.items():
            version = str(entry.get("version"))
            if version.startswith("npm:"):  # an alias: `"version": "npm:real@1.2.3"`
                name, _, version = version[len("npm:"):].rpartition("@")
            pairs.append((name, version))
            walk(entry.get("dependencies", {}))

    walk(document.get("dependencies", {}))
    return pairs


def split_descriptor(descriptor: str) -> tuple[str, str]:
    """``@scope/name@range`` -> (``@scope/name``, ``range``): the name ends at the first ``@`` after its first
    character."""
    at = descriptor.index("@", 1)
    return descriptor[:at], descriptor[at + 1:]


def read_yarn_classic(text: str) -> list[Pair]:
    """Yarn v1's own format: a block per resolved package, its descriptors on an unindented line ending in ``:``,
    then indented ``key value`` lines; ``version`` is the resolved version."""
    pairs, name = [], None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            first = line.rstrip(":").split(",")[0].strip().strip('"')
            name, spec = split_descriptor(first)
            if spec.startswith("npm:"):  # an alias: `alias@npm:real@^1` installs `real`
                name = split_descriptor(spec[len("npm:"):])[0] if "@" in spec[len("npm:") + 1:] else spec[4:]
        elif line.startswith("  version ") and name is not None:
            pairs.append((name, line.split(None, 1)[1].strip('"')))
    return pairs


def yaml_load(text: str):  # type: ignore[no-untyped-def]
    return _yaml_documents(text)[0]


def _yaml_documents(text: str) -> list:
    """Every YAML document of a text. PyYAML's safe loader (a test dependency, through pre-commit), which reads
    what pnpm writes as js-yaml does: ruamel.yaml refuses the `:` inside a plain scalar of a flow mapping
    (`resolution: {tarball: https://codeload.github.com/...}`, pnpm 7). ruamel.yaml's safe loader otherwise."""
    try:
        import yaml
    except ImportError:
        from ruamel.yaml import YAML

        return list(YAML(typ="safe", pure=False).load_all(text))
    return list(yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def read_yarn_berry(document: dict) -> list[Pair]:
    pairs = []
    for key, entry in document.items():
        if key == "__metadata":
            continue
        name, resolution = split_descriptor(entry["resolution"])
        if resolution.startswith("workspace:"):
            continue  # a workspace member is the project
        if resolution.startswith("patch:") and "builtin<compat/" in resolution:
            continue  # Yarn's built-in compatibility patch: lockgate lists the package it patches (README)
        pairs.append((name, str(entry["version"])))
    return pairs


def read_yarn_lock(text: str) -> list[Pair]:
    if "__metadata:" in text:
        return read_yarn_berry(yaml_load(text))
    return read_yarn_classic(text)


def pnpm_key(key: str, v5: bool) -> Pair | None:
    """A pnpm ``packages`` key as (name, version), peer suffixes dropped: ``/name/1.0.0_peer@2`` (lockfile v3 to
    v5: the version is the last path segment, its peers after ``_``), ``/name@1.0.0(peer@2)`` (v6) and
    ``name@1.0.0(peer@2)`` (v9). None for a key that is not a registry package (a tarball URL, a git host)."""
    key = key.removeprefix("/")
    if ":" in key.split("(")[0] or key.startswith(("github.com/", "gitlab.com/", "bitbucket.org/")):
        return None  # its name and version come from the entry's fields
    if v5:
        segments = key.split("/")
        size = 2 if key.startswith("@") else 1
        if len(segments) != size + 1:
            return None
        return "/".join(segments[:size]), segments[size].split("_")[0]
    name, version = split_descriptor(key)
    return name, version.split("(")[0]


def read_pnpm_lock(text: str) -> list[Pair]:
    """One (name, version) per package of each document: pnpm 11 writes an "env lockfile" (the pnpm it runs as,
    its config dependencies) as a first document before the lockfile, in the same layout, and a package of both is
    installed twice (for pnpm itself, and for the project)."""
    pairs: list[Pair] = []
    for document in [d for d in _yaml_documents(text) if isinstance(d, dict)]:
        v5 = float(str(document.get("lockfileVersion", "5")).split(".")[0]) < 6
        found = set()  # peer variants of one version are one package
        for key, entry in (document.get("packages") or {}).items():
            pair = pnpm_key(key, v5)
            if pair is None:
                entry = entry or {}
                if "name" not in entry:
                    continue
                pair = (entry["name"], str(entry.get("version")))
            found.add(pair)
        pairs += sorted(found)
    return pairs


def read_workflow(text: str) -> list[Pair]:
    """Every ``uses: owner/repo[/path]@ref`` of a workflow (steps and reusable workflows); local actions
    (``./``) and ``docker://`` images are not actions."""
    pairs = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "uses" and isinstance(value, str) and "@" in value and not value.startswith(
                        ("./", "docker://")):
                    name, _, ref = value.partition("@")
                    pairs.append((name, ref))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml_load(text))
    return pairs


def docker_short_name(reference: str) -> Pair:
    """``[registry/]name[:tag][@digest]`` as lockgate names images (README): Docker Hub's own spellings shortened,
    other registries lower-cased; the version is the tag, the digest, or ``tag@digest``."""
    name, _, digest = reference.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = ""
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
    for prefix in ("index.docker.io/", "docker.io/", "registry-1.docker.io/"):
        if name.lower().startswith(prefix):
            name = name[len(prefix):]
    name = name.removeprefix("library/")
    if "/" in name and ("." in name.split("/")[0] or ":" in name.split("/")[0]):
        name = name.lower()
    version = "@".join(part for part in (tag, digest) if part)
    # An image without tag or digest pulls `latest` today and something else tomorrow: lockgate writes its version
    # as `*`, the spelling of "any version" it uses for every unpinned dependency.
    return name, version or "*"


def read_dockerfile(text: str) -> list[Pair]:
    """The images of ``FROM`` lines (and ``COPY --from=image``), global ``ARG`` defaults substituted, stage names
    and ``scratch`` left out. Continuation lines are joined first."""
    args: dict[str, str] = {}
    stages: set[str] = set()
    pairs = []
    seen_from = False
    logical = re.sub(r"\\\n", " ", text)

    def substitute(word: str) -> str:
        return re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), word)

    for raw in logical.splitlines():
        words = raw.split()
        if not words or words[0].startswith("#"):
            continue
        instruction = words[0].upper()
        if instruction == "ARG" and not seen_from and len(words) > 1:
            name, _, default = words[1].partition("=")
            args[name] = default.strip('"')
        elif instruction == "FROM":
            seen_from = True
            operands = [w for w in words[1:] if not w.startswith("--")]
            image = substitute(operands[0])
            if len(operands) >= 3 and operands[1].upper() == "AS":
                stages.add(operands[2].lower())
            if image.lower() != "scratch" and image.lower() not in stages:
                pairs.append(docker_short_name(image))
        elif instruction == "COPY":
            for word in words[1:]:
                if word.startswith("--from="):
                    source = substitute(word[len("--from="):])
                    if source.lower() not in stages and not source.isdigit():
                        pairs.append(docker_short_name(source))
    return pairs


# The readers of declared and configuration files: pip requirements, pre-commit configurations, pyproject.toml.


def pep508_pair(text: str) -> Pair:
    """A PEP 508 requirement as lockgate spells it (README "JSON output"): the canonical name, and the version when
    one exact ``==``/``===`` pin says it, else the specifier as ``packaging`` writes it, else ``*``."""
    from packaging.requirements import Requirement

    requirement = Requirement(text)
    specifiers = list(requirement.specifier)
    if len(specifiers) == 1 and specifiers[0].operator in ("==", "===") and "*" not in specifiers[0].version:
        return canonical_pypi(requirement.name), specifiers[0].version
    return canonical_pypi(requirement.name), str(requirement.specifier) or "*"


def read_requirements(text: str) -> list[Pair]:
    """pip's own reader of a requirements file (pip is pinned in the test extra): its line handling (continuations,
    comments, options, ``${VAR}``) yields the file's requirement lines, and ``packaging`` reads each. Only the
    file's own lines: what a ``-r``/``-c`` file lists is that file's, as lockgate reports it (pip's private
    ``_parse_file`` is its ``parse`` less the recursion into includes). An editable or URL line is named by its
    ``#egg=``, with no version; see ``_unnamed_requirement`` for one without."""
    from pip._internal.network.session import PipSession
    from pip._internal.req.req_file import RequirementsFileParser, get_line_parser

    pairs = []
    with tempfile.TemporaryDirectory(prefix="lockgate-replay-req-") as folder:
        path = Path(folder) / "requirements.txt"
        path.write_text(text, encoding="utf-8")
        parser = RequirementsFileParser(PipSession(), get_line_parser(None))
        for line in parser._parse_file(str(path), False):  # noqa: SLF001  (the oracle's own line reader)
            requirement = line.requirement
            if requirement is None:
                continue  # an option line: -i, --hash alone, -r/-c (the included file is compared on its own)
            requirement = requirement.strip()  # pip's line parser has taken the options (--hash) off
            egg = requirement.partition("#egg=")[2].split("&")[0]
            if egg:
                pairs.append((canonical_pypi(egg.split("[")[0]), "*"))
            elif line.is_editable or "/" in requirement.split("@")[0].split(";")[0] or requirement.startswith("."):
                pairs.append(_unnamed_requirement(requirement))
            else:
                pairs.append(pep508_pair(requirement))
    return pairs


def _unnamed_requirement(requirement: str) -> Pair:
    """A bare URL or path: pip learns its name only by building it. A forge's archive of a ref
    (``github.com/pallets/click/archive/refs/heads/main.tar.gz``) is named by its repository and a local folder by
    its last part (``.`` stays ``.``), as lockgate documents; anything else is kept as written, marked ``?``, so that
    lockgate's name for it shows beside it."""
    parts = requirement.split("://", 1)[-1].split("#")[0].split("/")
    if "archive" in parts and parts.index("archive") >= 3:
        return canonical_pypi(parts[parts.index("archive") - 1]), "*"
    if "://" not in requirement:
        last = requirement.rstrip("/").rsplit("/", 1)[-1]
        return (last if last in (".", "..") else canonical_pypi(last)), "*"
    return "?" + requirement, "*"


def read_precommit_config(text: str) -> list[Pair]:
    """Every hook repository as (``repo`` as written, ``rev``; ``sha`` before pre-commit 1.0), ``local`` and
    ``meta`` left out, and every ``additional_dependencies`` string the string itself or the hook's ``language:``
    assigns to one installer: pip's (PEP 508, read by ``packaging``) or npm's (``name@range``). A string no
    installer can be told for (a bare ``types-requests`` of a remote hook) is lockgate's ``unreadable-manifest``
    finding at its line, by contract, and is left out here."""
    document = yaml_load(text)
    repos = document if isinstance(document, list) else (document or {}).get("repos", [])
    pairs = []
    for repo in repos:
        url = str(repo.get("repo"))
        if url not in ("local", "meta"):
            pairs.append((url, str(repo.get("rev", repo.get("sha")))))
        for hook in repo.get("hooks", []):
            for dependency in hook.get("additional_dependencies", []) or []:
                pair = _hook_dependency(str(dependency), hook.get("language"))
                if pair is not None:
                    pairs.append(pair)
    return pairs


def _hook_dependency(text: str, language: str | None) -> Pair | None:
    from packaging.requirements import InvalidRequirement, Requirement

    if language in ("python", "python_venv"):
        return pep508_pair(text)
    if language == "node" or (language is None and "@" in text[1:] and ":" not in text):
        if "@" not in text[1:]:
            return text, "*"
        return split_descriptor(text)
    if language is None:
        try:
            if Requirement(text).specifier:
                return pep508_pair(text)
        except InvalidRequirement:
            pass
    return None


def read_pyproject(text: str) -> list[Pair]:
    """The PEP 508 strings of ``build-system.requires``, ``project.dependencies``, every extra of
    ``project.optional-dependencies`` and every PEP 735 dependency group (an ``include-group`` table is another
    group's strings, counted there). A set: one requirement in two places is one (name, version)."""
    document = tomllib.loads(text)
    project = document.get("project", {})
    strings = list(document.get("build-system", {}).get("requires", []))
    strings += project.get("dependencies", [])
    for extra in project.get("optional-dependencies", {}).values():
        strings += extra
    for group in document.get("dependency-groups", {}).values():
        strings += [s for s in group if isinstance(s, str)]
    # `pytest[dev]` in pytest's own dependency group installs the project itself with that extra, whose strings are
    # counted where the extra lists them: lockgate (README) and any installer read it as the project, not a package.
    own = canonical_pypi(str(project.get("name", "")))
    return [pair for pair in map(pep508_pair, strings) if pair[0] != own]


def strip_trailing_commas(text: str) -> str:
    """JSON with trailing commas (Bun's ``bun.lock``) as JSON: a ``,`` outside strings that only whitespace
    separates from a ``}`` or ``]`` is dropped. One pass over the characters, tracking strings and escapes."""
    out: list[str] = []
    in_string = escaped = False
    pending_comma = -1  # index in `out` of a comma outside strings not yet followed by a value
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            pending_comma = -1
        elif char in "}]" and pending_comma >= 0:
            out[pending_comma] = ""
            pending_comma = -1
        elif char == ",":
            pending_comma = len(out)
        elif not char.isspace():
            pending_comma = -1
        out.append(char)
    return "".join(out)


def read_bun_lock(text: str) -> list[Pair]:
    """``packages`` of Bun's text lockfile: each entry is ``["name@version", ...]`` (the real package of an alias);
    ``workspace:`` members are the project."""
    document = json.loads(strip_trailing_commas(text))
    declared = {name: spec for workspace in document.get("workspaces", {}).values()
                for field in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")
                for name, spec in workspace.get(field, {}).items()}
    pairs = []
    for entry in document.get("packages", {}).values():
        name, version = split_descriptor(entry[0])
        if version.startswith("workspace:"):
            continue
        if version.startswith(("file:", "link:")):
            # A folder of the repository has no version: lockgate writes what the workspace declares for it
            # (`"elysia": "../../"`), as for every dependency without a version (README "JSON output").
            version = declared.get(name, "*")
        pairs.append((name, version))
    return pairs


def read_gemfile_lock(text: str) -> list[Pair]:
    """A deliberately plain reader of Gemfile.lock: in a GEM, GIT, PATH or PLUGIN SOURCE section, a line of exactly
    four spaces is a spec, ``name (version)`` or ``name (version-platform)`` (the version runs to the first ``-``:
    lockgate keeps the platform apart, as Bundler does)."""
    pairs, section = [], ""
    for line in text.splitlines():
        if line and not line[0].isspace():
            section = line.strip()
        elif section in ("GEM", "GIT", "PATH", "PLUGIN SOURCE") and line.startswith("    ") and line[4:5] not in (
                " ", ""):
            name, _, rest = line.strip().partition(" (")
            pairs.append((name, rest.rstrip(")").split("-", 1)[0]))
    return pairs


def read_composer_lock(text: str) -> list[Pair]:
    # Composer names are compared without regard to case: lockgate reports them lower-cased (README "What lockgate
    # reads").
    document = json.loads(text)
    # Composer's 2012 lockfiles name a package by "package".
    return [((p.get("name") or p["package"]).lower(), p["version"]) for key in ("packages", "packages-dev")
            for p in document.get(key) or []]


def read_gradle_lockfile(text: str) -> list[Pair]:
    """A deliberately plain line reader: ``group:artifact:version[=configurations]`` per line, ``#`` comments and
    ``empty=`` skipped (lockgate reports a line that is neither; the replayed files have none)."""
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        coordinates = line.split("=", 1)[0]
        if coordinates == "empty":
            continue
        group, artifact, version = coordinates.split(":")
        pairs.append((f"{group}:{artifact}", version))
    return pairs


def _gradle_display(version: object, versions: dict) -> str:
    """A catalog version as lockgate spells it (README "What lockgate reads"): one exact version, else the rich
    version's keys as ``key value; key value``, else ``*``."""
    if version is None:
        return "*"
    if isinstance(version, dict) and "ref" in version:
        return _gradle_display(versions[version["ref"]], versions)
    if isinstance(version, str):
        return version
    def shown(value: object) -> str:
        if isinstance(value, list):
            return ", ".join(value)
        return str(value).lower() if isinstance(value, bool) else str(value)

    parts = [f"{key} {shown(version[key])}" for key in ("strictly", "require", "prefer", "reject", "rejectAll")
             if key in version]
    for key in ("strictly", "require", "prefer"):
        if key in version:
            value = version[key]
            dynamic = value[:1] in "[(]" or value.endswith("+") or value.startswith("latest.") or "," in value
            return "; ".join(parts) if dynamic else value
    return "; ".join(parts)


def read_gradle_catalog(text: str) -> list[Pair]:
    """tomllib: every ``[libraries]`` entry (``"g:a:v"``, ``module``, ``group`` + ``name``) and ``[plugins]``
    entry, the latter under its marker artifact ``id:id.gradle.plugin`` as lockgate names plugins."""
    document = tomllib.loads(text)
    versions = document.get("versions", {})
    pairs = []
    for entry in document.get("libraries", {}).values():
        if isinstance(entry, str):
            group, artifact, version = entry.split(":")
            pairs.append((f"{group}:{artifact}", version))
            continue
        name = entry.get("module") or f"{entry['group']}:{entry['name']}"
        pairs.append((name, _gradle_display(entry.get("version"), versions)))
    for entry in document.get("plugins", {}).values():
        if isinstance(entry, str):
            plugin, version = entry.rsplit(":", 1)
        else:
            plugin, version = entry["id"], _gradle_display(entry.get("version"), versions)
        pairs.append((f"{plugin}:{plugin}.gradle.plugin", version))
    return pairs


def read_pom(text: str) -> list[Pair]:
    """ElementTree: the parent, dependencies, managed dependencies, build and reporting plugins (their own
    dependencies too), build extensions, in the project and in every profile; ``${x}`` from the file's own
    properties and coordinates (a version naming anything else is kept as written, as lockgate keeps it). The
    replayed repositories' parents are all fetched POMs (commons-parent), which lockgate counts too."""
    import xml.etree.ElementTree as ET

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def kids(node, *path):  # type: ignore[no-untyped-def]
        found = [node]
        for tag in path:
            found = [c for n in found for c in n if local(c.tag) == tag]
        return found

    def text_of(node, tag):  # type: ignore[no-untyped-def]
        found = kids(node, tag)
        return (found[0].text or "").strip() if found else None

    root = ET.fromstring(text)
    props: dict[str, str] = {}
    for holder in kids(root, "properties"):
        for prop in holder:
            props[local(prop.tag)] = (prop.text or "").strip()
    parent = (kids(root, "parent") or [None])[0]
    for key in ("groupId", "artifactId", "version"):
        value = text_of(root, key) or (text_of(parent, key) if parent is not None and key != "artifactId" else None)
        for prefix in ("project.", "pom.", ""):
            if value is not None:
                props[prefix + key] = value
            if parent is not None and text_of(parent, key) is not None:
                props[f"{prefix}parent.{key}"] = text_of(parent, key)

    def resolve(value: str) -> str | None:
        for _ in range(10):
            found = re.search(r"\$\{([^${}]*)\}", value)
            if found is None:
                return value
            if found.group(1).strip() not in props:
                return None
            value = value[:found.start()] + props[found.group(1).strip()] + value[found.end():]
        return None

    pairs = []

    def add(node, default_group: str | None = None) -> None:  # type: ignore[no-untyped-def]
        group, artifact = text_of(node, "groupId") or default_group, text_of(node, "artifactId")
        if not group or not artifact or resolve(group) is None or resolve(artifact) is None:
            return
        written = text_of(node, "version") or ""
        version = resolve(written) if written else ""
        shown = version if version is not None else written
        if shown.startswith("[") and shown.endswith("]") and "," not in shown:
            shown = shown[1:-1]
        pairs.append((f"{resolve(group)}:{resolve(artifact)}", shown or "*"))

    if parent is not None:
        add(parent)
    for owner in [root, *kids(root, "profiles", "profile")]:
        for node in kids(owner, "dependencies", "dependency") + kids(owner, "dependencyManagement", "dependencies",
                                                                       "dependency"):
            add(node)
        for holder in kids(owner, "build") + kids(owner, "build", "pluginManagement") + kids(owner, "reporting"):
            for plugin in kids(holder, "plugins", "plugin"):
                add(plugin, "org.apache.maven.plugins")
                for node in kids(plugin, "dependencies", "dependency"):
                    add(node)
        for node in kids(owner, "build", "extensions", "extension"):
            add(node)
    return pairs


def _go_version_key(version: str) -> tuple:
    """Semantic version precedence, written out plainly: numbers by value, a prerelease below its release, its
    identifiers numeric-below-alphanumeric; build metadata (``+incompatible``) ignored."""
    core, _, prerelease = version.removeprefix("v").split("+", 1)[0].partition("-")
    numbers = tuple(int(part) for part in core.split("."))
    identifiers = tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                        for part in prerelease.split(".")) if prerelease else ()
    return numbers, not prerelease, identifiers


def read_go_sum(text: str) -> list[Pair]:
    built: dict[str, set[str]] = {}
    listed: dict[str, set[str]] = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) != 3 or fields[2] == "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=":
            continue  # a malformed line (lockgate reports it); the old bug's empty go.mod hash the go command drops
        module, version, _ = fields
        if version.endswith("/go.mod"):
            listed.setdefault(module, set()).add(version.removesuffix("/go.mod"))
        else:
            built.setdefault(module, set()).add(version)
    pairs = [(module, version) for module, versions in built.items() for version in versions]
    # lockgate folds the versions a go.sum lists only for their go.mod (nothing of them is built) into one entry per
    # module, at the highest of them, and into the module's built entry when it has one (README, go.sum).
    pairs += [(module, max(versions, key=_go_version_key)) for module, versions in listed.items()
              if module not in built]
    return pairs


def read_packages_lock(text: str) -> list[Pair]:
    """NuGet's packages.lock.json: (id, resolved) of every package of every target (versions 1 and 2 under
    ``dependencies``, version 3 at the top level); ``Project`` entries are the repository's own projects."""
    document = json.loads(text)
    if document.get("version", 1) >= 3:
        targets = [body.get("dependencies", {}) for key, body in document.items() if key != "version"]
    else:
        targets = list(document.get("dependencies", {}).values())
    return [(name, entry["resolved"]) for packages in targets for name, entry in packages.items()
            if str(entry.get("type", "")).lower() != "project" and "resolved" in entry]


def read_directory_packages_props(text: str) -> list[Pair]:
    """Directory.Packages.props with ElementTree: each ``PackageVersion`` (and ``GlobalPackageReference``) with its
    ``Version``, element names without their namespace."""
    import xml.etree.ElementTree as ElementTree

    pairs = []
    for element in ElementTree.fromstring(text.lstrip("\ufeff")).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("PackageVersion", "GlobalPackageReference") and element.get("Include"):
            version = element.get("Version") or element.findtext("Version") or "*"
            if version.startswith("[") and version.endswith("]") and "," not in version:
                version = version[1:-1]  # `[1.2.3]`: lockgate reports the version it pins
            pairs.append((element.get("Include"), version))
    return pairs


def read_pubspec_lock(text: str) -> list[Pair]:
    """pubspec.lock with a YAML safe loader: (name, version) of every package."""
    document = yaml_load(text) or {}
    return [(name, str(entry["version"])) for name, entry in (document.get("packages") or {}).items()]


class Format(NamedTuple):
    name: str
    ecosystem: str | tuple[str, ...]  # lockgate's ecosystem(s) of what the reader compares
    read: Callable[[str], list[Pair]]
    multiset: bool  # one dependency per installed copy (package-lock) rather than one per (name, version)
    # lockgate's unreadable-manifest findings of such a file name parts it could not read (a string whose
    # installer cannot be told), not the whole file: the rest is still compared
    partial: bool = False


FORMATS = {
    "uv.lock": Format("uv.lock", "pypi", read_uv_lock, False),
    "Cargo.lock": Format("Cargo.lock", "cargo", read_cargo_lock, False),
    "Package.resolved": Format("Package.resolved", "swift", read_package_resolved, False),
    "poetry.lock": Format("poetry.lock", "pypi", read_poetry_lock, False),
    "pylock.toml": Format("pylock.toml", "pypi", read_pylock, False),
    # A package in both `default` and `develop` is one version in two scopes: lockgate reports it reaching
    # `default` (or leaving it) as scope-changed, so names and versions compare as a set.
    "Pipfile.lock": Format("Pipfile.lock", "pypi", read_pipfile_lock, False),
    # A set, though one version can sit in several folders: lockgate counts identical copies once (removing one
    # while another remains installs nothing new) and keeps copies in other roles apart (a prod copy of a version
    # so far installed for dev only is `added`); such a change of copies of a version both revisions hold is
    # counted in the table's "copies" column, not as agreement, and listed with --verbose.
    "package-lock.json": Format("package-lock.json", "npm", read_package_lock, False),
    "yarn.lock": Format("yarn.lock", "npm", read_yarn_lock, False),
    # A multiset over documents (one set each): see read_pnpm_lock.
    "pnpm-lock.yaml": Format("pnpm-lock.yaml", "npm", read_pnpm_lock, True),
    "workflow": Format("workflow", "actions", read_workflow, False),
    "Dockerfile": Format("Dockerfile", "docker", read_dockerfile, False),
    "requirements": Format("requirements", "pypi", read_requirements, False),
    "pre-commit": Format("pre-commit", ("pre-commit", "pypi", "npm"), read_precommit_config, False, partial=True),
    "bun.lock": Format("bun.lock", "npm", read_bun_lock, False),
    "pyproject.toml": Format("pyproject.toml", "pypi", read_pyproject, False),
    "Gemfile.lock": Format("Gemfile.lock", "gem", read_gemfile_lock, False),
    "composer.lock": Format("composer.lock", "composer", read_composer_lock, False),
    "gradle.lockfile": Format("gradle.lockfile", "maven", read_gradle_lockfile, False),
    "versions.toml": Format("versions.toml", "maven", read_gradle_catalog, False),
    "pom.xml": Format("pom.xml", "maven", read_pom, False),
    "go.sum": Format("go.sum", "go", read_go_sum, False),
    "packages.lock.json": Format("packages.lock.json", "nuget", read_packages_lock, False),
    "Directory.Packages.props": Format("Directory.Packages.props", "nuget", read_directory_packages_props, False),
    "pubspec.lock": Format("pubspec.lock", "pub", read_pubspec_lock, False),
}


def is_requirements_file(path: str) -> bool:
    """A pip requirements file by its name, as lockgate finds them (README "What lockgate reads"): a ``.txt`` or
    ``.in`` whose stem holds ``requirements`` or starts or ends with ``constraints``, an ``.in`` whose stem holds
    ``req``, every ``.txt``/``.in`` of a ``requirements/``, ``reqs/`` or ``requirements.d/`` folder (any case). A
    file reached only by ``-r`` is not one by name and is not compared."""
    folder, _, base = path.lower().rpartition("/")
    stem, _, suffix = base.rpartition(".")
    if suffix not in ("txt", "in"):
        return False
    return (folder.rsplit("/", 1)[-1] in ("requirements", "reqs", "requirements.d") or "requirements" in stem
            or stem.startswith("constraints") or stem.endswith("constraints") or (suffix == "in" and "req" in stem))


def format_of(path: str) -> str | None:
    """Which reader a repository path needs, as lockgate finds manifests (README "What lockgate reads")."""
    base = path.rsplit("/", 1)[-1]
    if "/node_modules/" in f"/{path}":
        return None  # installed copies, not the project's files
    if base in FORMATS and base != "workflow":
        return base
    if base == "pylock.toml" or (base.startswith("pylock.") and base.endswith(".toml")):
        return "pylock.toml"
    if base in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        return "pre-commit"
    if base in ("bun.lock", "pyproject.toml", "Cargo.lock", "Package.resolved", "pom.xml"):
        return base
    if base in ("Gemfile.lock", "gems.locked"):
        return "Gemfile.lock"
    if base in ("gradle.lockfile", "buildscript-gradle.lockfile", "settings-gradle.lockfile") or (
            path.rsplit("/", 2)[-2:-1] == ["dependency-locks"] and base.endswith(".lockfile")):
        return "gradle.lockfile"
    if base.endswith(".versions.toml") and base != ".versions.toml":
        return "versions.toml"
    if is_requirements_file(path):
        return "requirements"
    if re.fullmatch(r"\.github/workflows/[^/]+\.ya?ml", path):
        return "workflow"
    if (base in ("Dockerfile", "Containerfile") or base.endswith(".Dockerfile") or base.startswith("Dockerfile.")) \
            and not base.endswith(".dockerignore"):
        return "Dockerfile"
    return None


# -- the comparison -----------------------------------------------------------------------------------------------


class Comparison(NamedTuple):
    manifest: str
    agree: bool
    only_reader: tuple[str, ...]  # net changes the independent reader sees and lockgate does not
    only_lockgate: tuple[str, ...]  # net changes lockgate reports and the independent reader does not see
    error: str | None  # the independent reader could not read a revision (then nothing is compared)
    unreadable: str | None = None  # lockgate's unreadable-manifest finding of this file (then its changes are
    # unknown by contract, and nothing is compared)
    still_held: bool = False  # every difference is lockgate adding or removing a (name, version) that both
    # revisions hold (one of two entries of the same version went or came): noise, not a missed change


def net_change(before: Iterable[Pair], after: Iterable[Pair], multiset: bool) -> collections.Counter[tuple]:
    """+n for a (name, version) the second side has n more of, -n for fewer."""
    old, new = collections.Counter(before), collections.Counter(after)
    if not multiset:
        old, new = collections.Counter(set(old)), collections.Counter(set(new))
    change: collections.Counter[tuple] = collections.Counter()
    for pair in old.keys() | new.keys():
        if new[pair] != old[pair]:
            change[pair] = new[pair] - old[pair]
    return change


def lockgate_net_change(changes: Iterable[dict], multiset: bool) -> collections.Counter[tuple]:
    """The same net change from lockgate's ``changes`` of one manifest: each takes away ``from`` and brings
    ``to``. For a set-compared format, a pair counts once however many changes name it."""
    before, after = [], []
    for change in changes:
        if change["from"] is not None:
            before.append((change["name"], change["from"]))
        if change["to"] is not None:
            after.append((change["name"], change["to"]))
    if multiset:
        return net_change(before, after, True)
    # Set semantics on lockgate's side as well: a removal of one of two identical entries is reported by lockgate
    # as `removed` but leaves the pair in the file; only a difference of presence counts.
    change: collections.Counter[tuple] = collections.Counter()
    for pair, count in net_change(before, after, True).items():
        change[pair] = 1 if count > 0 else -1
    return change


def compare(fmt: Format, manifest: str, base_text: str | None, head_text: str | None,
            changes: Sequence[dict], findings: Sequence[dict] = ()) -> Comparison:
    """The independent reader's net change of one manifest against lockgate's changes of that manifest and
    ecosystem."""
    refused = [f["message"] for f in findings if f.get("manifest") == manifest]
    if refused and not fmt.partial:
        return Comparison(manifest, False, (), (), None, refused[0])
    try:
        before = fmt.read(base_text) if base_text is not None else []
        after = fmt.read(head_text) if head_text is not None else []
    except Exception as error:  # noqa: BLE001  (any failure of the reader is reported, never hidden)
        return Comparison(manifest, False, (), (), f"the independent reader failed: {type(error).__name__}: {error}")
    expected = net_change(before, after, fmt.multiset)
    ecosystems = (fmt.ecosystem,) if isinstance(fmt.ecosystem, str) else fmt.ecosystem
    mine = [c for c in changes if c["manifest"] == manifest and c["ecosystem"] in ecosystems]
    reported = lockgate_net_change(mine, fmt.multiset)
    only_reader = tuple(_show(p, n) for p, n in sorted(_signed_difference(expected, reported).items()))
    extra = _signed_difference(reported, expected)
    only_lockgate = tuple(_show(p, n) for p, n in sorted(extra.items()))
    held = set(before) & set(after)
    still_held = bool(extra) and not only_reader and not fmt.multiset and all(p in held for p in extra)
    return Comparison(manifest, not only_reader and not only_lockgate, only_reader, only_lockgate, None, None,
                      still_held)


def _signed_difference(a: collections.Counter, b: collections.Counter) -> dict[tuple, int]:
    """The entries of ``a`` that ``b`` does not have with the same signed count."""
    return {pair: count for pair, count in a.items() if b.get(pair, 0) != count}


def _show(pair: tuple, count: int) -> str:
    sign = "+" if count > 0 else "-"
    times = f" x{abs(count)}" if abs(count) > 1 else ""
    return f"{sign}{pair[0]} {pair[1]}{times}"


# Failures on real files that issue 17 names and other work fixes: the replay labels them, so that what is left
# unlabelled is new. A label never changes a count.
KNOWN = (
    ("resolved must be a string, found boolean", "known: package-lock v1 `resolved: false`"),
    ("has no lock-version", "known: poetry.lock without lock-version"),
    ("pipfile-spec", "known: Pipfile.lock spec other than 6"),
    ("found another document", "known: pnpm-lock.yaml with a second YAML document"),
    ("duplicate entry for", "known: yarn v1 duplicate blocks"),
    ("builtin<compat", "known: Yarn 2/3 #~builtin<compat/…> patches"),
)


def known(message: str) -> str:
    return next((label for text, label in KNOWN if text in message), "new")


# -- running lockgate ---------------------------------------------------------------------------------------------


class Run(NamedTuple):
    code: int
    seconds: float
    output: dict | None
    stderr: str


def run_lockgate(repo: Path, *args: str) -> Run:
    env = git_env()
    started = time.perf_counter()
    done = subprocess.run([*development_lockgate(), *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=False)
    seconds = time.perf_counter() - started
    try:
        output = json.loads(done.stdout) if done.stdout.strip() else None
    except json.JSONDecodeError:
        output = None
    return Run(done.returncode, seconds, output, done.stderr.strip()[-2000:])


def unreadable_at(repo: Path, commit: str, path: str) -> str | None:
    """lockgate's unreadable-manifest finding of one file at one commit, if any (``check --all`` of that path)."""
    run = run_lockgate(repo, "check", "--all", "--offline", "--format", "json", "--head", commit, path)
    for finding in (run.output or {}).get("findings", []):
        if finding.get("rule") == "unreadable-manifest" and finding.get("manifest") == path:
            return str(finding.get("message"))
    return None


def git_out(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=git_env(), check=True, capture_output=True,
                          text=True, errors="replace").stdout


def git_blob(repo: Path, commit: str, path: str) -> str | None:
    done = subprocess.run(["git", "cat-file", "blob", f"{commit}:{path}"], cwd=repo, env=git_env(),
                          capture_output=True, check=False)
    if done.returncode != 0:
        return None  # absent on this side (added or deleted by the commit), or a gitlink
    return done.stdout.decode("utf-8", errors="replace")


def sample_commits(repo: Path, pathspecs: Sequence[str], count: int) -> list[str]:
    """``count`` commits that touch the pathspecs, evenly spread from the oldest to the newest (first-parent
    history of the default branch, merges and root commits left out: ``C^`` must be the commit's one parent)."""
    listed = git_out(repo, "log", "--format=%H %P", "--no-merges", "HEAD", "--", *pathspecs).split("\n")
    commits = [line.split()[0] for line in listed if len(line.split()) == 2]
    commits.reverse()
    if len(commits) <= count:
        return commits
    step = (len(commits) - 1) / (count - 1)
    return [commits[round(i * step)] for i in range(count)]


class CommitResult(NamedTuple):
    commit: str
    diff_code: int
    check_code: int
    diff_seconds: float
    comparisons: tuple[Comparison, ...]
    findings: tuple[str, ...]  # unreadable-manifest findings of the diff
    stderr: str
    missing_blobs: tuple[str, ...] = ()  # blobs lockgate could not read that the repository on disk lacks


def replay_commit(repo: Path, commit: str, formats: Sequence[str], run_check: bool = True) -> CommitResult:
    """lockgate diff (and check --offline) of one commit against its parent, compared file by file."""
    base = f"{commit}^"
    diff = run_lockgate(repo, "diff", "--format", "json", "--base", base, "--head", commit)
    check = run_lockgate(repo, "check", "--offline", "--format", "json", "--base", base, "--head", commit) \
        if run_check else Run(0, 0.0, None, "")
    changes = (diff.output or {}).get("changes", [])
    findings = tuple(f"{f.get('manifest')}:{f.get('line')}: {f.get('message')}"
                     for f in (diff.output or {}).get("findings", []))
    changed = git_out(repo, "diff", "--name-only", "--no-renames", base, commit).splitlines()
    comparisons = []
    for path in changed:
        name = format_of(path)
        if name is None or name not in formats:
            continue
        if diff.output is None:  # an exit 2 (or a crash): lockgate said nothing to compare with
            comparisons.append(Comparison(path, False, (), (), f"lockgate diff exited {diff.code} without JSON"))
            continue
        comparison = compare(FORMATS[name], path, git_blob(repo, base, path), git_blob(repo, commit, path),
                             changes, diff.output.get("findings", []))
        if not comparison.agree and comparison.unreadable is None:
            # `diff` names only the head's unreadable files; a base lockgate could not read shows everything of the
            # head as added (README). Ask lockgate about the base alone before calling this a disagreement (or
            # blaming the independent reader, when it refuses that base as well: a file the repository broke).
            refused = unreadable_at(repo, base, path)
            if refused:
                also = "; the independent reader refuses it too" if comparison.error else ""
                comparison = comparison._replace(unreadable=f"(base) {refused}{also}")
        comparisons.append(comparison)
    stderr = "\n".join(s for s in (diff.stderr, check.stderr) if s)
    return CommitResult(commit, diff.code, check.code, diff.seconds, tuple(comparisons), findings, stderr,
                        missing_blobs(repo, stderr))


def missing_blobs(repo: Path, stderr: str) -> tuple[str, ...]:
    """The blobs an exit 2 says git could not read (``cannot read <path> (<blob>)``) that the repository on disk
    does not hold: a mirror fetched without its largest files, not a fault of lockgate's."""
    named = re.findall(r"cannot read .* \(([0-9a-f]{40})\)", stderr)
    return tuple(sorted({blob for blob in named
                         if subprocess.run(["git", "cat-file", "-e", blob], cwd=repo, env=git_env(),
                                           capture_output=True, check=False).returncode != 0}))


# -- a repository -------------------------------------------------------------------------------------------------


class RepositoryResult(NamedTuple):
    repository: Repository
    commits: tuple[CommitResult, ...]

    def files(self) -> list[Comparison]:
        return [c for r in self.commits for c in r.comparisons]


def mirror_of(slug: str, mirrors: Path) -> Path:
    return mirrors / slug.replace("/", "+") / "repo"


def scratch_clone(source: Path, into: Path) -> Path:
    """A throw-away clone that borrows the mirror's objects (``--shared``): nothing is written to the mirror."""
    subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(source), str(into)],
                   env=git_env(), check=True, capture_output=True)
    return into


def replay_repository(repository: Repository, mirrors: Path, scratch: Path, count: int, run_check: bool,
                      progress: Callable[[str], None], commits: Sequence[str] = ()) -> RepositoryResult:
    formats, pathspecs = GROUPS[repository.group]
    pathspecs = repository.paths or pathspecs
    clone = scratch / repository.slug.replace("/", "+")
    if not clone.exists():
        scratch_clone(mirror_of(repository.slug, mirrors), clone)
    results = []
    if commits:  # --commit with several repositories: each replays the commits it has
        commits = [c for c in commits if subprocess.run(["git", "cat-file", "-e", f"{c}^{{commit}}"], cwd=clone,
                                                        env=git_env(), capture_output=True).returncode == 0]
        if not commits:
            return RepositoryResult(repository, ())
    for commit in commits or sample_commits(clone, pathspecs, count):
        result = replay_commit(clone, commit, formats, run_check)
        results.append(result)
        progress(describe(repository, result))
    return RepositoryResult(repository, tuple(results))


def describe(repository: Repository, result: CommitResult) -> str:
    agree = sum(c.agree for c in result.comparisons)
    line = (f"{repository.slug} {result.commit[:10]} diff={result.diff_code} check={result.check_code} "
            f"{result.diff_seconds * 1000:.0f} ms, {agree}/{len(result.comparisons)} files agree")
    details = []
    for comparison in result.comparisons:
        if comparison.agree:
            continue
        if comparison.unreadable:
            label = "broken in the repository" if "reader refuses it too" in comparison.unreadable \
                else known(comparison.unreadable)
            details.append(f"    {comparison.manifest}: unreadable for lockgate ({label}): "
                           f"{comparison.unreadable[:300]}")
        elif comparison.error:
            details.append(f"    {comparison.manifest}: not compared: {comparison.error}")
        else:
            details.append(f"    {comparison.manifest}: only the reader: {' '.join(comparison.only_reader[:12])}"
                           f"{' …' if len(comparison.only_reader) > 12 else ''}")
            if comparison.still_held:
                details.append(f"    {' ' * len(comparison.manifest)}  (both revisions still hold these: an entry "
                               "of the same version went or came)")
            details.append(f"    {' ' * len(comparison.manifest)}  only lockgate: "
                           f"{' '.join(comparison.only_lockgate[:12])}"
                           f"{' …' if len(comparison.only_lockgate) > 12 else ''}")
    compared = {c.manifest for c in result.comparisons}
    details += [f"    finding ({known(f)}): {f[:300]}" for f in result.findings if f.split(":")[0] not in compared]
    if result.diff_code == 2 or result.check_code == 2:
        details.append(f"    stderr: {result.stderr[:500]}")
        if result.missing_blobs:
            details.append(f"    (the history on disk lacks {', '.join(result.missing_blobs)}: a snapshot without its "
                           "largest files; lockgate's refusal names the blob it could not read)")
    return "\n".join([line, *details])


# -- the table ----------------------------------------------------------------------------------------------------


def table(results: Sequence[RepositoryResult], markdown: bool) -> str:
    header = ("repository", "group", "files", "commits", "files agreeing", "copies", "unreadable for lockgate",
              "diff exit codes", "check exit codes", "median diff ms", "worst diff ms")
    rows = []
    for result in results:
        files = result.files()
        times = [r.diff_seconds * 1000 for r in result.commits]
        rows.append((
            result.repository.slug, result.repository.group, result.repository.files, str(len(result.commits)),
            f"{sum(c.agree for c in files)}/{sum(c.unreadable is None for c in files)}",
            str(sum(c.still_held for c in files)),
            str(sum(c.unreadable is not None for c in files)),
            _codes(r.diff_code for r in result.commits), _codes(r.check_code for r in result.commits),
            f"{statistics.median(times):.0f}" if times else "—", f"{max(times):.0f}" if times else "—",
        ))
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * 3 + ["---:"] * 8) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in (header, *rows))


def _codes(codes: Iterable[int]) -> str:
    counted = collections.Counter(codes)
    return ", ".join(f"{code}×{n}" for code, n in sorted(counted.items()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS,
                        help="folder of the repositories, as owner+name/repo (default: %(default)s)")
    parser.add_argument("--only", action="append", default=[], help="owner/name (repeatable), or a group name")
    parser.add_argument("--commits", type=int, default=SAMPLE, help="commits per repository (default: %(default)s)")
    parser.add_argument("--commit", action="append", default=[],
                        help="replay this commit (repeatable; with --only, to reproduce one result)")
    parser.add_argument("--no-check", action="store_true", help="run only lockgate diff")
    parser.add_argument("--markdown", action="store_true", help="print the results table in Markdown")
    parser.add_argument("--verbose", action="store_true", help="one line per commit, and every disagreement")
    parser.add_argument("--json", type=Path, help="write every commit's result to this file")
    parser.add_argument("--scratch", type=Path, help="keep the scratch clones here (default: a temporary folder)")
    args = parser.parse_args(argv)
    chosen = [r for r in REPOSITORIES if not args.only or r.slug in args.only or r.group in args.only]
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="lockgate-replay-"))
    scratch.mkdir(parents=True, exist_ok=True)
    results = []

    def progress(text: str) -> None:
        if args.verbose or "\n" in text:
            print(text, file=sys.stderr, flush=True)

    try:
        for repository in chosen:
            if not mirror_of(repository.slug, args.mirrors).exists():
                print(f"replay: {repository.slug}: no history at {mirror_of(repository.slug, args.mirrors)}",
                      file=sys.stderr)
                continue
            results.append(replay_repository(repository, args.mirrors, scratch, args.commits, not args.no_check,
                                             progress, args.commit))
    finally:
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps([
            {"repository": r.repository.slug, "group": r.repository.group,
             "commits": [{"commit": c.commit, "diff_code": c.diff_code, "check_code": c.check_code,
                          "diff_ms": round(c.diff_seconds * 1000), "findings": list(c.findings),
                          "files": [m._asdict() for m in c.comparisons]} for c in r.commits]}
            for r in results], indent=1))
    print(table(results, args.markdown))
    failed = any(not c.agree and c.unreadable is None and not c.still_held for r in results for c in r.files()) or any(
        c.diff_code == 2 or c.check_code == 2 for r in results for c in r.commits)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
