"""tox.ini: every dependency a tox environment or tox itself installs, read as tox 4 reads the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import FORMATS_BY_NAME, format_for
from checker.manifests.tox_ini import includes, parse
from checker.model import IndexOption, Manifest

FIXTURES = Path(__file__).parent / "fixtures" / "tox_ini"


def _parse(text: str, files: dict[str, str] | None = None, path: str = "tox.ini") -> Manifest:
    return parse(text, path, (files or {}).get)


def _deps(manifest: Manifest) -> list[tuple[str, str, str, int | None]]:
    return [(d.name, d.specifier, d.scope, d.line) for d in manifest.dependencies if d.ecosystem == "pypi"]


def _problems(manifest: Manifest) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in manifest.problems]


def test_format() -> None:
    fmt = format_for("tox.ini")
    assert fmt is FORMATS_BY_NAME["tox-ini"] and fmt.includes


def test_tox_own_tox_ini() -> None:
    manifest = parse((FIXTURES / "tox-tox.ini").read_text(), "tox.ini", lambda p: None)
    assert (manifest.format, manifest.kind, manifest.problems) == ("tox-ini", "declared", ())
    deps = _deps(manifest)
    assert ("mypy", "==1.11.2", "dev", 54) in deps
    assert ("tox", ">=4.2", "build", 3) in deps
    assert [d.version for d in manifest.dependencies if d.name == "mypy"] == ["1.11.2"]


def test_pytest_tox_ini_factors_includes_and_environment_values() -> None:
    files = {"doc/en/requirements.txt": "sphinx\n", "testing/plugins_integration/requirements.txt": "django\n"}
    manifest = parse((FIXTURES / "pytest.ini").read_text(), "tox.ini", files.get)
    deps = _deps(manifest)
    assert ("pytest-xdist", ">=2.1.0", "dev", 83) in deps  # "xdist: pytest-xdist>=2.1.0"
    assert ("numpy", ">=1.19.4", "dev", 77) in deps
    assert manifest.includes == ("doc/en/requirements.txt", "testing/plugins_integration/requirements.txt")
    assert _problems(manifest) == [(85, "[testenv] deps: {env:_PYTEST_TOX_EXTRA_DEP:} is known only when tox runs; "
                                        "lockgate cannot tell what this line installs")]


def test_what_tox_reads() -> None:
    text = (
        "[tox]\n"
        "requires = tox-uv>=1\n"
        "min_version = 4.2\n"
        "[testenv]\n"
        "deps =\n"
        "    -r{toxinidir}/requirements/test.txt\n"
        "    py38,py39: pytest<7   # old pythons\n"
        "    !py38-!py39: pytest>=7\n"
        "    very-long-\\\n"
        "      name\n"
        "    git+https://github.com/a/b@main#egg=b\n"
        "set_env =\n"
        "    PIP_INDEX_URL = https://mirror.example/simple\n"
        "    COVERAGE_FILE = {env:COVERAGE_FILE:{toxworkdir}}\n"
        "install_command = python -m pip install {opts} {packages}\n"
        "[testenv:lint]\n"
        "deps = {[testenv]deps}\n"
        "    flake8\n"
    )
    manifest = _parse(text, {"requirements/test.txt": "coverage\n"})
    assert _deps(manifest) == [
        ("pytest", "<7", "dev", 7), ("pytest", ">=7", "dev", 8), ("very-long-name", "", "dev", 9), ("b", "", "dev", 11),
        ("flake8", "", "dev", 18), ("tox-uv", ">=1", "build", 2), ("tox", ">=4.2", "build", 3),
    ]
    assert manifest.includes == ("requirements/test.txt",)
    assert includes(text, "tox.ini") == [("requirements/test.txt", 6)]
    settings = [(d.name, d.version, d.line) for d in manifest.dependencies if d.ecosystem == "config"]
    assert settings == [
        ("pip.index-url", "https://mirror.example/simple", 13),
        ("tox.install_command", "python -m pip install {opts} {packages}", 15),
    ]
    assert IndexOption("index-url", "https://mirror.example/simple", 13) in manifest.indexes
    assert manifest.problems == ()


@pytest.mark.parametrize(
    "deps",
    [
        "evil",
        "-rextra.txt",
        "-r extra.txt",
        "--requirement=extra.txt",
        "-r{toxinidir}/extra.txt",
        "-r {tox_root}{/}extra.txt",
        "py38: evil",
        "{py38,py39}-django: evil",
        "!py38: evil",
        "pytest\n    evil",
        "ev\\\n    il",
        "evil # a comment",
        "{[base]deps}",
        "{[base]deps} pytest",
    ],
)
def test_attacker_spellings_are_read(deps: str) -> None:
    text = f"[base]\ndeps = evil\n[testenv]\ndeps = {deps}\n"
    manifest = _parse(text, {"extra.txt": "evil\n"})
    names = [d.name for d in manifest.dependencies]
    included = "extra.txt" in manifest.includes
    assert "evil" in names or included, (manifest.dependencies, manifest.problems)


@pytest.mark.parametrize(
    ("deps", "says"),
    [
        ("{env:DEPS}", "{env:DEPS} is known only when tox runs"),
        ("{env:DEPS:pytest}", "{env:DEPS:pytest} is known only when tox runs"),
        ("pytest {posargs}", "{posargs} is known only when tox runs"),
        ("{[nowhere]deps}", "{[nowhere]deps} names no value of this file"),
        ("-r {env:REQS}", "{env:REQS} is known only when tox runs"),
        ("-r missing.txt", "include not found: missing.txt"),
        ("not a requirement !", "invalid requirement"),
    ],
)
def test_what_tox_alone_knows_is_a_problem(deps: str, says: str) -> None:
    manifest = _parse(f"[testenv]\ndeps =\n    pytest\n    {deps}\n")
    assert [d.name for d in manifest.dependencies] == ["pytest"]
    assert [(line, says in message) for line, message in _problems(manifest)] == [(4, True)], _problems(manifest)


def test_a_reference_cycle_is_a_problem_not_a_hang() -> None:
    manifest = _parse("[a]\ndeps = {[b]deps}\n[b]\ndeps = {[a]deps}\n")
    assert manifest.dependencies == ()
    assert "refers deeper than" in manifest.problems[0].message


def test_default_section_deps_count_where_a_section_does_not_set_its_own() -> None:
    manifest = _parse("[DEFAULT]\ndeps = evil\n[testenv]\ncommands = pytest\n")
    assert [(d.name, d.line) for d in manifest.dependencies] == [("evil", 2)]


@pytest.mark.parametrize(
    ("text", "line"),
    [("deps = x\n", 1), ("[testenv]\ndeps = a\ndeps = b\n", 3), ("[testenv]\n<<<<<<< HEAD\n", 2)],
)
def test_a_file_that_is_no_ini_is_an_error(text: str, line: int) -> None:
    with pytest.raises(ManifestError) as caught:
        _parse(text)
    assert (caught.value.path, caught.value.line) == ("tox.ini", line)


def test_long_hostile_lines_are_read_in_linear_time() -> None:
    spaces = " " * 1_000_000
    manifest = _parse(f"[testenv]\ndeps = pytest{spaces}#\n    {{{spaces}\n    a:{spaces}b\n")
    assert [d.name for d in manifest.dependencies][:1] == ["pytest"]


# --- tox.toml ----------------------------------------------------------------------------------------------------------


def test_tox_toml_format_and_tox_own_file() -> None:
    from checker.manifests.tox_toml import parse as parse_toml

    assert format_for("tox.toml") is FORMATS_BY_NAME["tox-toml"]
    manifest = parse_toml((FIXTURES / "tox.toml").read_text(), "tox.toml", lambda p: None)
    assert (manifest.format, manifest.problems) == ("tox-toml", ())
    assert [(d.name, d.specifier, d.scope, d.line) for d in manifest.dependencies] == [("tox", ">=4.27", "build", 1)]


def test_tox_toml_environments_references_and_settings() -> None:
    from checker.manifests.tox_toml import includes as toml_includes
    from checker.manifests.tox_toml import parse as parse_toml

    text = (
        'requires = ["tox-uv>=1"]\n'
        'min_version = "4.21"\n'
        "[env_run_base]\n"
        'deps = ["pytest>=8", "-r{tox_root}{/}requirements/test.txt"]\n'
        'set_env.PIP_INDEX_URL = "https://mirror.example/simple"\n'
        "[env.lint]\n"
        'deps = [{ replace = "ref", of = ["env_run_base", "deps"], extend = true }, "ruff"]\n'
        "[env.type]\n"
        'deps = [{ replace = "if", condition = "factor.py39", then = ["mypy<1"], else = ["mypy"] }]\n'
        'install_command = ["uv", "pip", "install", "{opts}", "{packages}"]\n'
        "[env.other]\n"
        'deps = [{ replace = "env", name = "DEPS" }, "{env:MORE}", "ok"]\n'
    )
    manifest = parse_toml(text, "tox.toml", {"requirements/test.txt": "coverage\n"}.get)
    pypi = [(d.name, d.specifier, d.scope, d.line) for d in manifest.dependencies if d.ecosystem == "pypi"]
    assert pypi == [("pytest", ">=8", "dev", 4), ("ruff", "", "dev", 7), ("mypy", "<1", "dev", 9),
                    ("mypy", "", "dev", 9), ("ok", "", "dev", 12), ("tox-uv", ">=1", "build", 1),
                    ("tox", ">=4.21", "build", 2)]
    assert manifest.includes == ("requirements/test.txt",)
    assert toml_includes(text, "tox.toml") == [("requirements/test.txt", 4)]
    settings = [(d.name, d.version) for d in manifest.dependencies if d.ecosystem == "config"]
    assert settings == [("pip.index-url", "https://mirror.example/simple"),
                        ("tox.install_command", '["uv", "pip", "install", "{opts}", "{packages}"]')]
    assert [("is known only when tox runs" in p.message) for p in manifest.problems] == [True, True]


def test_pyproject_tool_tox_native_and_legacy() -> None:
    """For pyproject.toml's parser to merge (checker/manifests/pyproject.py calls it for ``[tool.tox]``)."""
    import tomllib

    from checker.manifests.tox_toml import from_pyproject

    native = '[project]\nname = "x"\n[tool.tox.env_run_base]\ndeps = ["pytest"]\n'
    manifest = from_pyproject(tomllib.loads(native)["tool"]["tox"], native, "pyproject.toml", lambda p: None)
    assert [(d.name, d.scope, d.line) for d in manifest.dependencies] == [("pytest", "dev", 4)]
    legacy = '[tool.tox]\nlegacy_tox_ini = """\n[tox]\nrequires = tox>=4\n[testenv]\ndeps =\n    pytest\n    {env:X}\n"""\n'
    manifest = from_pyproject(tomllib.loads(legacy)["tool"]["tox"], legacy, "pyproject.toml", lambda p: None)
    assert [(d.name, d.scope, d.line) for d in manifest.dependencies] == [("pytest", "dev", 7), ("tox", "build", 4)]
    assert [p.line for p in manifest.problems] == [8]
