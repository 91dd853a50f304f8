"""requirements/*.txt against pyproject.toml: the hash-pinned files may not drift from what the project declares.

requirements/action.txt is what the GitHub Action installs (action.yml), test.txt what CI and development install,
build.txt the build backend; all three are generated with hashes (requirements/README.md has the commands). The
check fails, naming file, line and package, when

- a runtime dependency of pyproject.toml (in an environment its marker selects) has no pin in action.txt or
  test.txt, or a pin without hashes;
- a pin no longer satisfies the range pyproject.toml declares (packaging decides, as pip would);
- action.txt pins a package at another version, or with other hashes, than test.txt pins it, or one test.txt does
  not pin at all (the Action would run what CI never tested);
- test.txt does not cover the `test` extra, or build.txt the build-system requirements.

Markers are evaluated, not compared as text: the files are universal (one pin per package and environment), so
each is resolved in every environment lockgate supports (CPython and PyPy 3.10 to 3.14 on Linux, macOS and
Windows) and the pins active there are compared. The requirements files are read with lockgate's own parser.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from checker.manifests.requirements import parse as parse_requirements

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
ACTION, TEST, BUILD = "requirements/action.txt", "requirements/test.txt", "requirements/build.txt"

_PLATFORMS = {"linux": ("linux", "Linux", "posix"), "darwin": ("darwin", "Darwin", "posix"),
              "win32": ("win32", "Windows", "nt")}


def environment(python: str, implementation: str, platform: str) -> dict[str, str]:
    sys_platform, system, os_name = _PLATFORMS[platform]
    return {
        "python_version": python, "python_full_version": f"{python}.0", "implementation_version": f"{python}.0",
        "implementation_name": implementation.lower(), "platform_python_implementation": implementation,
        "sys_platform": sys_platform, "platform_system": system, "os_name": os_name, "platform_machine": "x86_64",
        "platform_release": "", "platform_version": "", "extra": "",
    }


ENVIRONMENTS = {
    f"{implementation} {python} on {platform}": environment(python, implementation, platform)
    for python, implementation, platform in itertools.product(
        ("3.10", "3.11", "3.12", "3.13", "3.14"), ("CPython", "PyPy"), _PLATFORMS)
}


def _applies(marker: str | Marker | None, env: dict[str, str]) -> bool:
    if marker is None:
        return True
    return (marker if isinstance(marker, Marker) else Marker(marker)).evaluate(env)


def _pins(text: str, path: str, env_name: str, env: dict[str, str], problems: set[str]) -> dict:  # type: ignore[type-arg]
    """Canonical name -> the Dependency that pins it in this environment."""
    active: dict = {}  # type: ignore[type-arg]
    for dep in parse_requirements(text, path, lambda _: None).dependencies:
        if not _applies(dep.markers, env):
            continue
        if dep.name in active:
            problems.add(f"{path}:{dep.line}: {dep.name} is pinned twice for {env_name} (lines "
                         f"{active[dep.name].line} and {dep.line})")
        active[dep.name] = dep
    return active


def _satisfies(requirement: Requirement, dep, where: str, problems: set[str]) -> None:  # type: ignore[no-untyped-def]
    """The pin is exact, hashed, and inside the declared range."""
    if dep.version is None:
        problems.add(f"{where}:{dep.line}: {dep.name} is not pinned to one version ({dep.specifier})")
        return
    if not dep.hashes:
        problems.add(f"{where}:{dep.line}: {dep.name}=={dep.version} has no --hash (pip --require-hashes refuses it)")
    try:
        inside = requirement.specifier.contains(Version(dep.version), prereleases=True)
    except InvalidVersion:
        inside = False
    if not inside:
        problems.add(f"{where}:{dep.line}: {dep.name}=={dep.version} does not satisfy pyproject.toml's "
                     f"{requirement.name}{requirement.specifier}")


def _declared(requirements: list[str], env: dict[str, str]) -> list[Requirement]:
    out = []
    for text in requirements:
        requirement = Requirement(text)
        if _applies(requirement.marker, env):
            out.append(requirement)
    return out


def drift(pyproject: str, action: str, test: str, build: str) -> list[str]:
    """Every way the requirements files have drifted from pyproject.toml, one line each, sorted."""
    project = tomllib.loads(pyproject)
    runtime = project["project"].get("dependencies", [])
    test_extra = project["project"].get("optional-dependencies", {}).get("test", [])
    build_requires = project.get("build-system", {}).get("requires", [])
    problems: set[str] = set()
    for env_name, env in ENVIRONMENTS.items():
        action_pins = _pins(action, ACTION, env_name, env, problems)
        test_pins = _pins(test, TEST, env_name, env, problems)
        build_pins = _pins(build, BUILD, env_name, env, problems)
        wanted = [(ACTION, action_pins, runtime), (TEST, test_pins, runtime + test_extra),
                  (BUILD, build_pins, build_requires)]
        for path, pins, requirements in wanted:
            for requirement in _declared(requirements, env):
                name = canonicalize_name(requirement.name)
                if name not in pins:
                    problems.add(f"{path}: no pin for {requirement.name} (pyproject.toml: {requirement}), "
                                 f"needed on {env_name}")
                else:
                    _satisfies(requirement, pins[name], path, problems)
        for name, dep in action_pins.items():
            tested = test_pins.get(name)
            if tested is None:
                problems.add(f"{ACTION}:{dep.line}: {name}=={dep.version} is not in {TEST} for {env_name}: "
                             "the Action would run what CI never installed")
            elif (tested.version, tested.hashes) != (dep.version, dep.hashes):
                what = "version" if tested.version != dep.version else "hashes"
                problems.add(f"{ACTION}:{dep.line}: {name}=={dep.version} differs from {TEST}:{tested.line} "
                             f"({name}=={tested.version}) in its {what} on {env_name}")
    return sorted(problems)


def read(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def test_the_repository_requirements_match_pyproject() -> None:
    assert drift(read("pyproject.toml"), read(ACTION), read(TEST), read(BUILD)) == []


def test_the_check_sees_every_runtime_and_test_dependency() -> None:
    """Not vacuous: the runtime dependencies and the test extra are all found and compared."""
    project = tomllib.loads(read("pyproject.toml"))["project"]
    names = {canonicalize_name(Requirement(r).name) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    assert {"ruamel-yaml", "ruamel-yaml-clib", "packaging", "pygithub", "jinja2", "tomli", "pytest", "jsonschema",
            "zizmor", "hypothesis", "pre-commit"} <= names
    env = ENVIRONMENTS["CPython 3.10 on linux"]
    problems: set[str] = set()
    action = _pins(read(ACTION), ACTION, "x", env, problems)
    assert {"ruamel-yaml", "ruamel-yaml-clib", "tomli", "jinja2", "pygithub", "packaging"} <= set(action)
    assert "pytest" not in action and problems == set()


# -- each kind of drift, on small files ----------------------------------------------------------------------------

H1, H2, H3 = (f"--hash=sha256:{c * 64}" for c in "abc")
PYPROJECT = """
[build-system]
requires = ["setuptools>=77"]
[project]
name = "x"
dependencies = ["jinja2>=3.1", "tomli>=2.0; python_version < '3.11'"]
[project.optional-dependencies]
test = ["pytest>=8"]
"""
ACTION_TXT = f"jinja2==3.1.6 {H1}\ntomli==2.5.0 ; python_full_version < '3.11' {H2}\n"
TEST_TXT = ACTION_TXT + f"pytest==9.2.0 {H3}\n"
BUILD_TXT = f"setuptools==84.2.1 {H1}\n"


def test_consistent_small_files_pass() -> None:
    assert drift(PYPROJECT, ACTION_TXT, TEST_TXT, BUILD_TXT) == []


def test_a_new_runtime_dependency_without_a_pin_fails() -> None:
    pyproject = PYPROJECT.replace('"jinja2>=3.1"', '"jinja2>=3.1", "httpx>=0.28"')
    problems = drift(pyproject, ACTION_TXT, TEST_TXT, BUILD_TXT)
    assert f"{ACTION}: no pin for httpx (pyproject.toml: httpx>=0.28), needed on CPython 3.10 on linux" in problems
    assert f"{TEST}: no pin for httpx (pyproject.toml: httpx>=0.28), needed on PyPy 3.14 on win32" in problems
    assert len(problems) == 2 * len(ENVIRONMENTS)


def test_a_pin_without_hashes_fails() -> None:
    action = "jinja2==3.1.6\n" + ACTION_TXT.split("\n", 1)[1]
    assert drift(PYPROJECT, action, TEST_TXT, BUILD_TXT) == sorted([
        f"{ACTION}:1: jinja2==3.1.6 has no --hash (pip --require-hashes refuses it)",
        *(f"{ACTION}:1: jinja2==3.1.6 differs from {TEST}:1 (jinja2==3.1.6) in its hashes on {env}"
          for env in ENVIRONMENTS),
    ])


def test_a_pin_outside_the_declared_range_fails() -> None:
    pyproject = PYPROJECT.replace("jinja2>=3.1", "jinja2>=3.2")
    assert drift(pyproject, ACTION_TXT, TEST_TXT, BUILD_TXT) == [
        f"{ACTION}:1: jinja2==3.1.6 does not satisfy pyproject.toml's jinja2>=3.2",
        f"{TEST}:1: jinja2==3.1.6 does not satisfy pyproject.toml's jinja2>=3.2",
    ]


def test_an_action_pin_that_differs_from_the_tested_one_fails() -> None:
    action = ACTION_TXT.replace("jinja2==3.1.6", "jinja2==3.1.5")
    problems = drift(PYPROJECT, action, TEST_TXT, BUILD_TXT)
    assert problems[0] == (f"{ACTION}:1: jinja2==3.1.5 differs from {TEST}:1 (jinja2==3.1.6) in its version on "
                           "CPython 3.10 on darwin")
    assert len(problems) == len(ENVIRONMENTS)


def test_an_action_pin_that_ci_never_installed_fails() -> None:
    action = ACTION_TXT + f"markupsafe==3.0.4 {H3}\n"
    problems = drift(PYPROJECT, action, TEST_TXT, BUILD_TXT)
    assert problems[0] == (f"{ACTION}:3: markupsafe==3.0.4 is not in {TEST} for CPython 3.10 on darwin: the Action "
                           "would run what CI never installed")


def test_markers_are_evaluated_per_environment() -> None:
    """tomli is needed only before 3.11: a pin limited to 3.10 is enough, and a missing one fails only there."""
    action = ACTION_TXT.split("\n", 1)[0] + "\n"
    test = action + f"pytest==9.2.0 {H3}\n"
    problems = drift(PYPROJECT, action, test, BUILD_TXT)
    assert {p.split(", needed on ")[1].split(" on ")[0] for p in problems} == {"CPython 3.10", "PyPy 3.10"}
    assert all("no pin for tomli" in p for p in problems)


def test_two_pins_active_in_one_environment_fail() -> None:
    action = ACTION_TXT + f"jinja2==3.1.6 ; sys_platform == 'win32' {H1}\n"
    problems = drift(PYPROJECT, action, TEST_TXT, BUILD_TXT)
    assert f"{ACTION}:3: jinja2 is pinned twice for CPython 3.12 on win32 (lines 1 and 3)" in problems
    assert not any("on linux" in p for p in problems)


def test_the_test_extra_and_the_build_backend_are_covered() -> None:
    problems = drift(PYPROJECT, ACTION_TXT, ACTION_TXT, BUILD_TXT.replace("84.2.1", "76.0.0"))
    assert f"{BUILD}:1: setuptools==76.0.0 does not satisfy pyproject.toml's setuptools>=77" in problems
    assert f"{TEST}: no pin for pytest (pyproject.toml: pytest>=8), needed on CPython 3.13 on linux" in problems
