"""Synthetic lockfiles at any size, in every format lockgate reads, and a pull request that changes 10% of them.

    python benchmarks/synthetic.py FORMAT COUNT DIRECTORY   # writes a git repository: base, then head

Why synthetic. The real lockfiles of the corpus stop at a few thousand entries; the scale benchmark needs 1k, 10k
and 50k in each format to show whether time and memory grow linearly. The files imitate the tools' real output
(field order, quoting, indentation, hashes and integrity of the right length, registry URLs with the package's
path, dependency edges, dev and nested entries), so that lockgate's fast readers take the same path as on real
files; tests/project/test_benchmarks_smoke.py proves that lockgate reads each one to the expected dependencies.

The model is one list of packages (``population``), rendered by one function per format (``RENDERERS``), and an
``evolve`` step that bumps versions, adds and removes packages the way a dependency update does. Everything is
deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from harness import commit_all, init_repository, remove_files, write_files  # noqa: E402

WORDS = ("fast", "json", "parse", "http", "core", "util", "async", "cache", "stream", "color", "path", "glob",
         "yaml", "toml", "test", "mock", "log", "retry", "queue", "crypto", "hash", "date", "time", "config",
         "cli", "lint", "format", "schema", "proto", "grpc", "auth", "token", "data", "frame", "array", "tree",
         "graph", "diff", "patch", "sync", "event", "emit", "watch", "build", "pack", "zip", "tar", "image",
         "font", "icon", "theme", "style", "css", "html", "dom", "router", "state", "store", "form", "valid")
SCOPES_NPM = ("@acme", "@types", "@babel", "@vue", "@aws-sdk", "@octokit", "@jest", "@rollup")
DIRECT_SHARE = 20  # one package in DIRECT_SHARE is a direct dependency of the project
DEV_SHARE = 4  # one package in DEV_SHARE is a development dependency
NESTED_SHARE = 20  # package-lock: one package in NESTED_SHARE sits under its dependent's node_modules


@dataclass(frozen=True, slots=True)
class Package:
    """One locked package: name, exact version, the names it depends on, and where it sits in the graph."""

    name: str
    version: str
    dependencies: tuple[str, ...] = ()
    dev: bool = False
    direct: bool = False


@dataclass(frozen=True, slots=True)
class Evolution:
    """The head revision's packages and the changes ``evolve`` made to get there."""

    packages: tuple[Package, ...]
    upgraded: int
    added: int
    removed: int

    @property
    def changes(self) -> int:
        return self.upgraded + self.added + self.removed


def _name(index: int, ecosystem: str) -> str:
    """A plausible, unique package name for ``index``: two words, then a number once the pairs run out."""
    first = WORDS[index % len(WORDS)]
    second = WORDS[(index // len(WORDS) + index) % len(WORDS)]
    cycle = index // (len(WORDS) * len(WORDS))
    name = f"{first}-{second}" + (f"-{cycle}" if cycle else "") + f"-{index % 7}"
    if ecosystem == "npm" and index % 8 == 3:
        return f"{SCOPES_NPM[index % len(SCOPES_NPM)]}/{name}"
    if ecosystem == "actions":
        return f"{first}-org{index % 97}/{name}"
    if ecosystem == "go":  # a module path; some with upper case (escaped by the proxy) and a major version suffix
        owner = f"{first.capitalize() if index % 11 == 5 else first}-org{index % 97}"
        return f"github.com/{owner}/{name}" + ("/v2" if index % 13 == 4 else "")
    return name


def population(count: int, ecosystem: str, seed: int = 1) -> tuple[Package, ...]:
    """``count`` packages of one ecosystem with versions and dependency edges (each package depends on up to
    four packages after it, so the graph has no cycle and its first packages are the roots)."""
    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    index = 0
    while len(names) < count:
        name = _name(index, ecosystem)
        index += 1
        if name not in seen:
            seen.add(name)
            names.append(name)
    packages = []
    for i, name in enumerate(names):
        version = f"{rng.randrange(0, 6)}.{rng.randrange(0, 25)}.{rng.randrange(0, 30)}"
        later = count - i - 1
        wanted = min(later, rng.choice((0, 1, 1, 2, 3, 4)))
        deps = tuple(sorted({names[i + 1 + rng.randrange(later)] for _ in range(wanted)})) if wanted else ()
        packages.append(Package(name, version, deps, dev=i % DEV_SHARE == 1, direct=i % DIRECT_SHARE == 0))
    return tuple(packages)


def _bumped(version: str, rng: random.Random) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    roll = rng.random()
    if roll < 0.05:
        return f"{major + 1}.0.0"
    if roll < 0.30:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def evolve(packages: tuple[Package, ...], ecosystem: str, fraction: float = 0.10, seed: int = 2) -> Evolution:
    """A dependency update touching ``fraction`` of the entries: one in ten of those changes adds a package, one
    in ten removes one (at least one of each), the rest bump versions. Edges to removed packages go too."""
    rng = random.Random(seed)
    count = len(packages)
    changes = max(3, round(count * fraction))
    added = removed = max(1, changes // 10)
    upgraded = max(1, changes - added - removed)
    chosen = rng.sample(range(1, count), upgraded + removed)  # the first package (a root) stays
    bump, drop = set(chosen[:upgraded]), set(chosen[upgraded:])
    gone = {packages[i].name for i in drop}
    taken = {p.name for p in packages}
    kept = []
    for i, package in enumerate(packages):
        if i in drop:
            continue
        version = _bumped(package.version, rng) if i in bump else package.version
        deps = tuple(d for d in package.dependencies if d not in gone)
        kept.append(replace(package, version=version, dependencies=deps))
    fresh = []
    index = count * 3 + 1000
    while len(fresh) < added:
        name = _name(index, ecosystem)
        index += 1
        if name in taken:
            continue
        taken.add(name)
        fresh.append(Package(name, f"1.{rng.randrange(0, 10)}.0", (), dev=False, direct=True))
    return Evolution(tuple(kept + fresh), upgraded, added, removed)


# -- hashes and URLs ---------------------------------------------------------------------------------------------


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _integrity(package: Package) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(f"{package.name}@{package.version}".encode()).digest()).decode()


def _sha1(package: Package) -> str:
    return hashlib.sha1(f"{package.name}@{package.version}".encode()).hexdigest()


def _pypi_files(package: Package) -> list[tuple[str, str, str]]:
    """(file name, URL, sha256) of a wheel and an sdist, as files.pythonhosted.org lays them out."""
    stem = package.name.replace("-", "_")
    out = []
    for file in (f"{stem}-{package.version}-py3-none-any.whl", f"{stem}-{package.version}.tar.gz"):
        digest = _sha256(file)
        where = _sha256("path", file)
        out.append((file, f"https://files.pythonhosted.org/packages/{where[:2]}/{where[2:4]}/{where[4:60]}/{file}",
                    digest))
    return out


def _npm_tarball(package: Package, host: str = "https://registry.npmjs.org") -> str:
    base = package.name.rpartition("/")[2]
    return f"{host}/{package.name}/-/{base}-{package.version}.tgz"


def _caret(version: str) -> str:
    """The range a dependent asks for: ``^major.minor.0`` (what ``npm install`` writes), from the version that
    satisfies it, so that every descriptor matches its entry in the head revision too."""
    major, minor, _ = version.split(".")
    return f"^{major}.{minor}.0"


def _versions(packages: tuple[Package, ...]) -> dict[str, str]:
    return {p.name: p.version for p in packages}


# -- Python ------------------------------------------------------------------------------------------------------


def render_requirements(packages: tuple[Package, ...]) -> dict[str, str]:
    """pip-compile --generate-hashes output: sorted pins, two hashes each, ``# via`` comments."""
    via: dict[str, list[str]] = {}
    for package in packages:
        for dep in package.dependencies:
            via.setdefault(dep, []).append(package.name)
    lines = ["#", "# This file is autogenerated by pip-compile with Python 3.12", "# by the following command:", "#",
             "#    pip-compile --generate-hashes --output-file=requirements.txt requirements.in", "#"]
    for package in sorted(packages, key=lambda p: p.name):
        files = _pypi_files(package)
        lines.append(f"{package.name}=={package.version} \\")
        lines.append(f"    --hash=sha256:{files[0][2]} \\")
        lines.append(f"    --hash=sha256:{files[1][2]}")
        parents = (["-r requirements.in"] if package.direct else []) + sorted(via.get(package.name, ()))
        if len(parents) == 1:
            lines.append(f"    # via {parents[0]}")
        elif parents:
            lines.append("    # via")
            lines.extend(f"    #   {parent}" for parent in parents)
    return {"requirements.txt": "\n".join(lines) + "\n"}


def render_poetry_lock(packages: tuple[Package, ...]) -> dict[str, str]:
    """poetry.lock, lock-version 2.1 (Poetry 2)."""
    versions = _versions(packages)
    out = ["# This file is automatically @generated by Poetry 2.1.3 and should not be changed by hand.", ""]
    for package in sorted(packages, key=lambda p: p.name):
        out += ["[[package]]", f'name = "{package.name}"', f'version = "{package.version}"',
                f'description = "The {package.name} library"', "optional = false", 'python-versions = ">=3.9"',
                f'groups = ["{"dev" if package.dev else "main"}"]', "files = ["]
        out += [f'    {{file = "{file}", hash = "sha256:{digest}"}},' for file, _, digest in _pypi_files(package)]
        out.append("]")
        if package.dependencies:
            out += ["", "[package.dependencies]"]
            out += [f'{dep} = ">={versions[dep].split(".")[0]}.0"' for dep in package.dependencies]
        out.append("")
    out += ["[metadata]", 'lock-version = "2.1"', 'python-versions = ">=3.9,<4.0"',
            f'content-hash = "{_sha256(*versions)}"', ""]
    return {"poetry.lock": "\n".join(out)}


def _uv_file(url: str, digest: str, size: int) -> str:
    return f'{{ url = "{url}", hash = "sha256:{digest}", size = {size}, upload-time = "2025-06-02T17:26:15.627Z" }}'


def render_uv_lock(packages: tuple[Package, ...]) -> dict[str, str]:
    """uv.lock, version 1 revision 3, with the project itself as a virtual root entry."""
    out = ["version = 1", "revision = 3", 'requires-python = ">=3.10"', ""]
    root = Package("bench-project", "0.1.0", tuple(sorted(p.name for p in packages if p.direct and not p.dev)))
    dev = sorted(p.name for p in packages if p.direct and p.dev)
    entries = sorted((*packages, root), key=lambda p: p.name)
    for package in entries:
        out += ["[[package]]", f'name = "{package.name}"', f'version = "{package.version}"']
        if package is root:
            out.append('source = { virtual = "." }')
        else:
            out.append('source = { registry = "https://pypi.org/simple" }')
        if package.dependencies:
            out.append("dependencies = [")
            out += [f'    {{ name = "{dep}" }},' for dep in package.dependencies]
            out.append("]")
        if package is root:
            if dev:
                out += ["", "[package.dev-dependencies]", "dev = ["]
                out += [f'    {{ name = "{name}" }},' for name in dev]
                out.append("]")
            out += ["", "[package.metadata]", "requires-dist = ["]
            out += [f'    {{ name = "{dep}" }},' for dep in package.dependencies]
            out.append("]")
            out.append("")
            continue
        (wheel, wheel_url, wheel_hash), (_, sdist_url, sdist_hash) = _pypi_files(package)
        out.append(f"sdist = {_uv_file(sdist_url, sdist_hash, 20000 + len(package.name))}")
        out += ["wheels = [", f"    {_uv_file(wheel_url, wheel_hash, 10000 + len(package.name))},", "]", ""]
    return {"uv.lock": "\n".join(out)}


def render_pipfile_lock(packages: tuple[Package, ...]) -> dict[str, str]:
    """Pipfile.lock, pipfile-spec 6: ``default`` and ``develop`` objects, sorted keys, four-space indent."""
    sections: dict[str, dict[str, object]] = {"default": {}, "develop": {}}
    for package in packages:
        sections["develop" if package.dev else "default"][package.name] = {
            "hashes": [f"sha256:{digest}" for _, _, digest in _pypi_files(package)],
            "index": "pypi",
            "markers": "python_version >= '3.9'",
            "version": f"=={package.version}",
        }
    document = {
        "_meta": {"hash": {"sha256": _sha256(*(p.name for p in packages))}, "pipfile-spec": 6,
                  "requires": {"python_version": "3.12"},
                  "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}]},
        **sections,
    }
    return {"Pipfile.lock": json.dumps(document, indent=4, sort_keys=True) + "\n"}


def render_pylock(packages: tuple[Package, ...]) -> dict[str, str]:
    """pylock.toml (PEP 751) as ``uv pip compile -o pylock.toml`` writes it."""
    out = ["# This file was autogenerated by uv via the following command:",
           "#    uv pip compile -o pylock.toml pyproject.toml", 'lock-version = "1.0"', 'created-by = "uv"',
           'requires-python = ">=3.10"', ""]
    for package in sorted(packages, key=lambda p: p.name):
        (_, wheel_url, wheel_hash), (_, sdist_url, sdist_hash) = _pypi_files(package)
        out += ["[[packages]]", f'name = "{package.name}"', f'version = "{package.version}"',
                f'sdist = {{ url = "{sdist_url}", upload-time = 2025-06-24T11:02:03Z, size = 30247, '
                f'hashes = {{ sha256 = "{sdist_hash}" }} }}',
                f'wheels = [{{ url = "{wheel_url}", upload-time = 2025-06-24T11:02:01Z, size = 15896, '
                f'hashes = {{ sha256 = "{wheel_hash}" }} }}]', ""]
    return {"pylock.toml": "\n".join(out)}


# -- JavaScript --------------------------------------------------------------------------------------------------


def _nest_parents(packages: tuple[Package, ...]) -> dict[str, str]:
    """package-lock: which packages sit under a dependent's node_modules (a second copy npm could not hoist)."""
    parents: dict[str, str] = {}
    for index, package in enumerate(packages):
        for dep in package.dependencies:
            if dep not in parents and (index + len(dep)) % NESTED_SHARE == 0:
                parents[dep] = package.name
    return parents


def render_package_lock(packages: tuple[Package, ...]) -> dict[str, str]:
    """package-lock.json, lockfileVersion 3 (npm 9+): the root entry, then one entry per installed folder."""
    versions = _versions(packages)
    root: dict[str, object] = {"name": "bench-app", "version": "1.0.0", "license": "MIT"}
    prod = {p.name: _caret(p.version) for p in packages if p.direct and not p.dev}
    dev = {p.name: _caret(p.version) for p in packages if p.direct and p.dev}
    if prod:
        root["dependencies"] = dict(sorted(prod.items()))
    if dev:
        root["devDependencies"] = dict(sorted(dev.items()))
    entries: dict[str, object] = {"": root}
    parents = _nest_parents(packages)
    located = []
    for package in packages:
        parent = parents.get(package.name)
        where = f"node_modules/{parent}/node_modules/{package.name}" if parent else f"node_modules/{package.name}"
        located.append((where, package))
    for where, package in sorted(located):
        entry: dict[str, object] = {"version": package.version, "resolved": _npm_tarball(package),
                                    "integrity": _integrity(package)}
        if package.dev:
            entry["dev"] = True
        entry["license"] = "MIT"
        if package.dependencies:
            entry["dependencies"] = {dep: _caret(versions[dep]) for dep in package.dependencies}
        entries[where] = entry
    document = {"name": "bench-app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
                "packages": entries}
    return {"package-lock.json": json.dumps(document, indent=2) + "\n"}


def _yarn_quote(text: str) -> str:
    """Yarn classic quotes a key or value unless it is a plain word."""
    plain = text[:1].isalpha() and all(c.isalnum() or c in "-_.^~@/" for c in text) and not text.startswith("@")
    return text if plain else f'"{text}"'


def render_yarn_classic(packages: tuple[Package, ...]) -> dict[str, str]:
    """yarn.lock v1 (Yarn 1): its own indented format, sha1 in the resolved URL's fragment, sha512 integrity."""
    versions = _versions(packages)
    out = ["# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.", "# yarn lockfile v1", "", ""]
    for package in sorted(packages, key=lambda p: p.name):
        out.append(_yarn_quote(f"{package.name}@{_caret(package.version)}") + ":")
        out.append(f'  version "{package.version}"')
        out.append(f'  resolved "{_npm_tarball(package, "https://registry.yarnpkg.com")}#{_sha1(package)}"')
        out.append(f"  integrity {_integrity(package)}")
        if package.dependencies:
            out.append("  dependencies:")
            out += [f'    {_yarn_quote(dep)} "{_caret(versions[dep])}"' for dep in package.dependencies]
        out.append("")
    return {"yarn.lock": "\n".join(out)}


def _berry_name(name: str) -> str:
    return f'"{name}"' if name.startswith("@") else name


def render_yarn_berry(packages: tuple[Package, ...]) -> dict[str, str]:
    """yarn.lock of Yarn Berry (4.x): YAML, ``__metadata``, a workspace entry for the project, checksums."""
    versions = _versions(packages)
    out = ["# This file is generated by running \"yarn install\" inside your project.",
           "# Manual changes might be lost - proceed with caution!", "", "__metadata:", "  version: 8",
           "  cacheKey: 10", ""]
    entries = []
    for package in packages:
        lines = [f'"{package.name}@npm:{_caret(package.version)}":', f"  version: {package.version}",
                 f'  resolution: "{package.name}@npm:{package.version}"']
        if package.dependencies:
            lines.append("  dependencies:")
            lines += [f'    {_berry_name(dep)}: "npm:{_caret(versions[dep])}"' for dep in package.dependencies]
        digest = hashlib.sha512(f"berry {package.name}@{package.version}".encode()).hexdigest()
        lines += [f"  checksum: 10/{digest}", "  languageName: node", "  linkType: hard", ""]
        entries.append((package.name, lines))
    direct = sorted(p.name for p in packages if p.direct)
    workspace = ['"bench-app@workspace:.":', "  version: 0.0.0-use.local", '  resolution: "bench-app@workspace:."']
    if direct:
        workspace.append("  dependencies:")
        workspace += [f'    {_berry_name(name)}: "npm:{_caret(versions[name])}"' for name in direct]
    workspace += ["  languageName: unknown", "  linkType: soft", ""]
    entries.append(("bench-app", workspace))
    for _, lines in sorted(entries, key=lambda item: item[0]):
        out += lines
    return {"yarn.lock": "\n".join(out)}


def _pnpm_key(text: str) -> str:
    return f"'{text}'" if text.startswith("@") else text


def render_pnpm_lock(packages: tuple[Package, ...]) -> dict[str, str]:
    """pnpm-lock.yaml, lockfileVersion 9.0: importers, packages (resolution), snapshots (edges)."""
    versions = _versions(packages)
    out = ["lockfileVersion: '9.0'", "", "settings:", "  autoInstallPeers: true",
           "  excludeLinksFromLockfile: false", "", "importers:", "", "  .:"]
    for field, dev in (("dependencies", False), ("devDependencies", True)):
        direct = sorted(p.name for p in packages if p.direct and p.dev == dev)
        if direct:
            out.append(f"    {field}:")
            for name in direct:
                out += [f"      {_pnpm_key(name)}:", f"        specifier: {_caret(versions[name])}",
                        f"        version: {versions[name]}"]
    ordered = sorted(packages, key=lambda p: p.name)
    out += ["", "packages:", ""]
    for package in ordered:
        out += [f"  {_pnpm_key(f'{package.name}@{package.version}')}:",
                f"    resolution: {{integrity: {_integrity(package)}}}", "    engines: {node: '>=18'}", ""]
    out += ["snapshots:", ""]
    for package in ordered:
        key = _pnpm_key(f"{package.name}@{package.version}")
        if not package.dependencies:
            out += [f"  {key}: {{}}", ""]
            continue
        out += [f"  {key}:", "    dependencies:"]
        out += [f"      {_pnpm_key(dep)}: {versions[dep]}" for dep in package.dependencies]
        out.append("")
    return {"pnpm-lock.yaml": "\n".join(out)}


# -- GitHub Actions ----------------------------------------------------------------------------------------------

STEPS_PER_JOB = 50


def _h1(*parts: str) -> str:
    return "h1:" + base64.b64encode(hashlib.sha256("\0".join(parts).encode()).digest()).decode()


def render_go_sum(packages: tuple[Package, ...]) -> dict[str, str]:
    """go.sum: each module's zip and go.mod lines, and for about a third of the modules (chosen by name, so a pull
    request keeps them) an older version listed for its go.mod only, as minimal version selection leaves them. No
    go.mod beside it: every module is direct, as lockgate reads a go.sum alone."""
    out = []
    for package in packages:
        version = f"v{package.version}"
        mark = sum(map(ord, package.name))
        if mark % 3 == 1:
            old = f"v0.0.0-2020010100000{mark % 10}-abcdefabcdef"
            out.append(f"{package.name} {old}/go.mod {_h1(package.name, old)}")
        out.append(f"{package.name} {version} {_h1(package.name, version)}")
        out.append(f"{package.name} {version}/go.mod {_h1(package.name, version, 'go.mod')}")
    return {"go.sum": "\n".join(out) + "\n"}


def render_workflow(packages: tuple[Package, ...]) -> dict[str, str]:
    """A workflow whose jobs run every action once, each pinned by commit with its version comment."""
    out = ["name: ci", "on:", "  push:", "    branches: [main]", "  pull_request:", "permissions:",
           "  contents: read", "jobs:"]
    for start in range(0, len(packages), STEPS_PER_JOB):
        out += [f"  job-{start // STEPS_PER_JOB:05d}:", "    runs-on: ubuntu-latest", "    steps:"]
        for package in packages[start:start + STEPS_PER_JOB]:
            sha = hashlib.sha1(f"{package.name}@v{package.version}".encode()).hexdigest()
            out.append(f"      - uses: {package.name}@{sha} # v{package.version}")
    return {".github/workflows/ci.yml": "\n".join(out) + "\n"}


def render_cargo_lock(packages: tuple[Package, ...]) -> dict[str, str]:
    """Cargo.lock version 4 as Cargo writes it: the workspace crate first (its dependencies the direct packages),
    then every crates.io package with its checksum and dependencies, sorted by name as Cargo sorts them."""
    out = ["# This file is automatically @generated by Cargo.", "# It is not intended for manual editing.",
           "version = 4", ""]
    rows = [("app", "0.1.0", None, tuple(p.name for p in packages if p.direct))]
    rows += [(p.name, p.version, _sha256(p.name, p.version), p.dependencies) for p in packages]
    for name, version, checksum, dependencies in sorted(rows):
        out += ["[[package]]", f'name = "{name}"', f'version = "{version}"']
        if checksum is not None:
            out += ['source = "registry+https://github.com/rust-lang/crates.io-index"', f'checksum = "{checksum}"']
        if dependencies:
            out += ["dependencies = ["] + [f' "{dep}",' for dep in sorted(dependencies)] + ["]"]
        out.append("")
    return {"Cargo.lock": "\n".join(out)}


def render_gemfile_lock(packages: tuple[Package, ...]) -> dict[str, str]:
    """Bundler 2.6's Gemfile.lock: one GEM section (specs sorted by name, each with its own dependencies at six
    spaces), PLATFORMS, DEPENDENCIES (the direct gems, with a requirement), CHECKSUMS (sha256) and BUNDLED WITH."""
    ordered = sorted(packages, key=lambda p: p.name)
    versions = _versions(packages)
    out = ["GEM", "  remote: https://rubygems.org/", "  specs:"]
    for package in ordered:
        out.append(f"    {package.name} ({package.version})")
        out.extend(f"      {dep} (>= {versions[dep]})" for dep in package.dependencies)
    out += ["", "PLATFORMS", "  ruby", "  x86_64-linux", "", "DEPENDENCIES"]
    out.extend(f"  {p.name} (~> {p.version})" for p in ordered if p.direct)
    out += ["", "CHECKSUMS"]
    out.extend(f"  {p.name} ({p.version}) sha256={_sha256('gem', p.name, p.version)}" for p in ordered)
    out += ["", "BUNDLED WITH", "   2.6.2"]
    return {"Gemfile.lock": "\n".join(out) + "\n"}


@dataclass(frozen=True, slots=True)
class SyntheticFormat:
    """A format the scale benchmark covers: its ecosystem, the file it writes, and its renderer."""

    name: str
    ecosystem: str
    path: str
    render: Callable[[tuple[Package, ...]], dict[str, str]]


FORMATS: tuple[SyntheticFormat, ...] = (
    SyntheticFormat("requirements", "pypi", "requirements.txt", render_requirements),
    SyntheticFormat("poetry.lock", "pypi", "poetry.lock", render_poetry_lock),
    SyntheticFormat("uv.lock", "pypi", "uv.lock", render_uv_lock),
    SyntheticFormat("Pipfile.lock", "pypi", "Pipfile.lock", render_pipfile_lock),
    SyntheticFormat("pylock.toml", "pypi", "pylock.toml", render_pylock),
    SyntheticFormat("package-lock", "npm", "package-lock.json", render_package_lock),
    SyntheticFormat("yarn classic", "npm", "yarn.lock", render_yarn_classic),
    SyntheticFormat("yarn berry", "npm", "yarn.lock", render_yarn_berry),
    SyntheticFormat("pnpm-lock", "npm", "pnpm-lock.yaml", render_pnpm_lock),
    SyntheticFormat("workflow", "actions", ".github/workflows/ci.yml", render_workflow),
    SyntheticFormat("Cargo.lock", "cargo", "Cargo.lock", render_cargo_lock),
    SyntheticFormat("Gemfile.lock", "gem", "Gemfile.lock", render_gemfile_lock),
    SyntheticFormat("go.sum", "go", "go.sum", render_go_sum),
)
FORMATS_BY_NAME = {fmt.name: fmt for fmt in FORMATS}


@dataclass(frozen=True, slots=True)
class ScaleRepository:
    """A git repository holding one synthetic lockfile: ``base`` with ``entries`` packages, ``head`` after
    ``evolution``; ``size`` is the lockfile's size in bytes at base."""

    path: Path
    format: SyntheticFormat
    entries: int
    base: str
    head: str
    evolution: Evolution
    size: int


def build_repository(directory: Path, fmt: SyntheticFormat, count: int, fraction: float = 0.10) -> ScaleRepository:
    """A repository with two commits: ``count`` entries, then a change to ``fraction`` of them."""
    packages = population(count, fmt.ecosystem)
    evolution = evolve(packages, fmt.ecosystem, fraction)
    init_repository(directory)
    files = fmt.render(packages)
    write_files(directory, files)
    base = commit_all(directory, f"{count} entries")
    head_files = fmt.render(evolution.packages)
    remove_files(directory, set(files) - set(head_files))
    write_files(directory, head_files)
    head = commit_all(directory, f"update {evolution.changes} entries")
    size = sum(len(text.encode()) for text in files.values())
    return ScaleRepository(directory, fmt, count, base, head, evolution, size)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("format", choices=sorted(FORMATS_BY_NAME))
    parser.add_argument("count", type=int)
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    repo = build_repository(args.directory, FORMATS_BY_NAME[args.format], args.count)
    print(f"{repo.path}: base {repo.base} ({repo.entries} entries, {repo.size:,} bytes), head {repo.head} "
          f"({repo.evolution.upgraded} upgraded, {repo.evolution.added} added, {repo.evolution.removed} removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
