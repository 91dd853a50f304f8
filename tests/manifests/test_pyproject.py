"""pyproject.toml: PEP 621, PEP 735 dependency groups, Poetry and uv tables, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.pyproject import direct_names, parse
from checker.model import DEFAULT_SOURCE, Dependency, IndexOption, Manifest, Source
from tests.conftest import corpus_dir

FIXTURES = Path(__file__).parent / "fixtures" / "pyproject"


def _corpus() -> Path | None:
    return corpus_dir()


def _no_files(path: str) -> str | None:
    return None


def _fixture(name: str, path: str = "pyproject.toml") -> Manifest:
    return parse((FIXTURES / name).read_text(encoding="utf-8"), path, _no_files)


def _corpus_file(*parts: str) -> Path:
    corpus = _corpus()
    if corpus is None:
        pytest.skip("the shared corpus is not available")
    return corpus.joinpath(*parts)


def _parse_corpus(*parts: str) -> Manifest:
    file = _corpus_file(*parts)
    return parse(file.read_text(encoding="utf-8"), "pyproject.toml", _no_files)


def _one(manifest: Manifest, name: str) -> Dependency:
    found = [dep for dep in manifest.dependencies if dep.name == name]
    assert len(found) == 1, [dep.name for dep in manifest.dependencies]
    return found[0]


def _error(name: str) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        _fixture(name)
    assert info.value.path == "pyproject.toml"
    return info.value


# --- osv-scalibr edge cases ------------------------------------------------------------------------------------


def test_edge_simple_deps() -> None:
    manifest = _parse_corpus("edge", "pyprojecttoml", "simple_deps.toml")
    assert manifest.format == "pyproject" and manifest.kind == "declared" and manifest.ecosystem == "pypi"
    assert [(d.name, d.version, d.specifier, d.scope, d.line) for d in manifest.dependencies] == [
        ("requests", "2.32.0", "==2.32.0", "prod", 9),
        ("flask", None, ">=3.0.0", "prod", 10),
        ("numpy", None, "", "prod", 11),
        ("hatchling", None, "", "build", 2),
    ]
    assert all(d.direct and d.source == DEFAULT_SOURCE for d in manifest.dependencies)
    assert {d.manifest for d in manifest.dependencies} == {"pyproject.toml"}


def test_edge_optional_deps() -> None:
    manifest = _parse_corpus("edge", "pyprojecttoml", "optional_deps.toml")
    assert [(d.name, d.version, d.scope, d.line) for d in manifest.dependencies] == [
        ("requests", "2.32.0", "prod", 9),
        ("pytest", None, "optional", 14),
        ("black", "23.1.0", "optional", 15),
        ("aiohttp", None, "optional", 18),
        ("hatchling", None, "build", 2),
    ]


def test_edge_env_markers() -> None:
    manifest = _parse_corpus("edge", "pyprojecttoml", "env_markers.toml")
    assert [(d.name, d.version, d.specifier, d.markers, d.line) for d in manifest.dependencies] == [
        ("requests", None, ">=2.20.0", 'python_version >= "3.8"', 5),
        ("importlib-metadata", "6.0.0", "==6.0.0", 'python_version < "3.10"', 6),
    ]


def test_edge_extras_syntax() -> None:
    manifest = _parse_corpus("edge", "pyprojecttoml", "extras_syntax.toml")
    assert [(d.name, d.version, d.specifier, d.line) for d in manifest.dependencies] == [
        ("flask", "3.1.1", "==3.1.1", 5),
        ("requests", None, ">=2.20.0", 6),
    ]


@pytest.mark.parametrize("name", ["dynamic_deps.toml", "empty_deps.toml"])
def test_edge_no_dependencies(name: str) -> None:
    assert _parse_corpus("edge", "pyprojecttoml", name).dependencies == ()


def test_edge_no_project_table_has_only_build_requirements() -> None:
    manifest = _parse_corpus("edge", "pyprojecttoml", "no_project_table.toml")
    assert [(d.name, d.scope, d.line) for d in manifest.dependencies] == [("hatchling", "build", 2)]


def test_edge_malformed() -> None:
    file = _corpus_file("edge", "pyprojecttoml", "malformed.toml")
    with pytest.raises(ManifestError) as info:
        parse(file.read_text(encoding="utf-8"), "pyproject.toml", _no_files)
    assert info.value.line == 1
    assert "not valid TOML" in info.value.message


# --- real files ------------------------------------------------------------------------------------------------


def test_real_poetry_pyproject() -> None:
    manifest = _parse_corpus("real", "python-poetry-poetry", "pyproject.toml")
    deps = manifest.dependencies
    assert len(deps) == 37
    scopes = [d.scope for d in deps]
    assert (scopes.count("prod"), scopes.count("dev"), scopes.count("build")) == (22, 14, 1)
    assert "poetry" not in {d.name for d in deps}
    core = deps[0]
    assert (core.name, core.version, core.line) == ("poetry-core", None, 7)
    assert core.source == Source(kind="git", url="https://github.com/python-poetry/poetry-core.git")
    assert _one(manifest, "tomli").markers == 'python_version < "3.11"'
    assert _one(manifest, "cachecontrol").specifier == "<0.15.0,>=0.14.0"
    xattr = _one(manifest, "xattr")
    assert (xattr.line, xattr.markers) == (28, 'sys_platform == "darwin"')
    # dulwich is both a runtime dependency and a test-group dependency
    assert [(d.scope, d.specifier, d.line) for d in deps if d.name == "dulwich"] == [
        ("prod", "<2,>=0.25.0", 11),
        ("dev", ">=1.2.1", 77),
    ]
    annotate = _one(manifest, "pytest-github-actions-annotate-failures")
    assert (annotate.scope, annotate.specifier, annotate.version, annotate.line) == ("dev", "^0.1.7", None, 94)
    assert _one(manifest, "pytest-xdist").line == 84
    assert [d for d in deps if d.scope == "build"][0].specifier == ">=2.0"


def test_real_pydantic_ai_pyproject() -> None:
    manifest = _parse_corpus("real", "pydantic-pydantic-ai", "pyproject.toml")
    deps = manifest.dependencies
    assert len(deps) == 61
    dev = [d for d in deps if d.scope == "dev"]
    constraints = [d for d in deps if d.constraint]
    assert len(dev) == 31  # 27 in dev + 4 in lint; project dependencies are dynamic
    assert len(constraints) == 28  # 27 constraint-dependencies + 1 build-constraint
    assert not any(d.scope == "prod" and not d.constraint for d in deps)
    strict = _one(manifest, "strict-no-cover")
    assert strict.source == Source(
        kind="git",
        url="https://github.com/pydantic/strict-no-cover.git",
        ref="7fc59da2c4dff919db2095a0f0e47101b657131d",
        commit="7fc59da2c4dff919db2095a0f0e47101b657131d",
    )
    assert (strict.line, strict.version, strict.scope) == (212, None, "dev")
    ray = _one(manifest, "ray")
    assert (ray.constraint, ray.scope, ray.specifier, ray.line) == (True, "prod", ">=2.55.0", 135)
    assert [(d.specifier, d.scope, d.constraint, d.line) for d in deps if d.name == "hatchling"] == [
        ("<1.32", "build", True, 173),
        ("", "build", False, 2),
    ]
    assert _one(manifest, "ruff").line == 232
    assert manifest.indexes == ()


# --- PEP 621 direct references ---------------------------------------------------------------------------------


def test_direct_references() -> None:
    manifest = _fixture("direct_urls.toml")
    a, b, c, d, e, f, g, h = manifest.dependencies
    assert a.source == Source(kind="git", url="https://github.com/acme/pkg-a.git", ref="v2.0")
    assert (a.version, a.specifier, a.line) == (None, "", 4)
    sha = "0123456789abcdef0123456789abcdef01234567"
    assert b.source == Source(kind="git", url="ssh://git@github.com/acme/pkg-b.git", ref=sha, commit=sha)
    assert c.source == Source(kind="git", url="https://github.com/acme/pkg-c.git")
    assert d.source.kind == "url" and d.source.url.startswith("https://files.example.com/pkg_d-1.0")
    assert d.hashes == frozenset({"sha256:abcdef0123"})
    assert e.source == Source(kind="path", url="file:///opt/wheels/pkg_e-1.0.tar.gz")
    assert f.source == Source(kind="url", url="hg+https://hg.example.com/pkg-f@tip")
    assert (g.name, g.specifier, g.markers, g.version) == ("pkg-g", "<2.0,>=1.0", 'python_version < "3.12"', None)
    assert (h.name, h.specifier, h.version, h.line) == ("pkg-h", "==1.*", None, 11)


# --- Poetry ----------------------------------------------------------------------------------------------------


def test_poetry_constraints_and_scopes() -> None:
    manifest = _fixture("poetry.toml")
    names = [d.name for d in manifest.dependencies]
    assert "python" not in names and "demo-app" not in names  # interpreter and the project itself
    expected = {
        "requests": (None, "^2.31", "prod", 7),
        "click": (None, "~8.1", "prod", 8),
        "attrs": ("23.2.0", "23.2.0", "prod", 9),  # a bare version is exact in Poetry
        "rich": (None, "*", "prod", 10),
        "urllib3": ("2.2.1", "==2.2.1", "prod", 11),
        "zope-interface": (None, ">=6,<7", "prod", 12),
        "pendulum": (None, "^3.0", "optional", 14),
        "anyio": (None, ">=4", "prod", 30),  # group "main" is prod
        "pytest": (None, "^8.0", "dev", 33),
        "ruff": ("0.4.4", "0.4.4", "dev", 39),
        "black": (None, "^24.1", "dev", 42),  # legacy dev-dependencies
        "poetry-core": (None, ">=1.0.0", "build", 54),
    }
    for name, (version, specifier, scope, line) in expected.items():
        dep = _one(manifest, name)
        assert (dep.version, dep.specifier, dep.scope, dep.line) == (version, specifier, scope, line), name
    assert all(d.direct for d in manifest.dependencies)
    assert len([d for d in manifest.dependencies if d.ecosystem != "config"]) == 23  # + the Poetry source settings


def test_poetry_tables_markers_and_sources() -> None:
    manifest = _fixture("poetry.toml")
    httpx = _one(manifest, "httpx")
    assert (httpx.version, httpx.markers) == ("0.27.0", "sys_platform == 'linux'")
    assert _one(manifest, "tomli").markers == 'python_version < "3.11"'
    assert _one(manifest, "internal-lib").source == Source(kind="registry", url="https://pypi.example.com/simple/")
    assert _one(manifest, "pypi-pinned").source == DEFAULT_SOURCE
    sha = "0123456789abcdef0123456789abcdef01234567"
    assert _one(manifest, "cleo").source == Source(
        kind="git", url="https://github.com/python-poetry/cleo.git", ref=sha, commit=sha
    )
    assert _one(manifest, "crashtest").source.ref == "v0.4.1"
    pexpect = _one(manifest, "pexpect")
    assert pexpect.source == Source(kind="git", url="https://github.com/pexpect/pexpect.git", ref="master")
    local = _one(manifest, "localpkg")
    assert (local.source, local.editable) == (Source(kind="path", url="../localpkg"), True)
    wheel_url = "https://example.com/wheelpkg-1.0-py3-none-any.whl"
    assert _one(manifest, "wheelpkg").source == Source(kind="url", url=wheel_url)
    assert manifest.indexes == (IndexOption("index", "https://pypi.example.com/simple/", 46),)


def test_poetry_multiple_constraints() -> None:
    numpy = [d for d in _fixture("poetry.toml").dependencies if d.name == "numpy"]
    assert [(d.version, d.specifier, d.markers, d.line) for d in numpy] == [
        ("1.24.4", "1.24.4", 'python_version < "3.9"', 23),
        (None, "^2.0", '(python_version >= "3.9") and (sys_platform == "linux")', 23),
    ]


@pytest.mark.parametrize(
    ("python", "marker"),
    [
        ("^3.8", 'python_version >= "3.8" and python_version < "4"'),
        ("^0.2.3", 'python_full_version >= "0.2.3" and python_version < "0.3"'),
        ("~3.8.1", 'python_full_version >= "3.8.1" and python_version < "3.9"'),
        (">=3.7, <3.11", 'python_version >= "3.7" and python_version < "3.11"'),
        ("~2.7 || ^3.6", '(python_version >= "2.7" and python_version < "2.8") or '
                        '(python_version >= "3.6" and python_version < "4")'),
        ("3.9.*", 'python_version == "3.9.*"'),
        ("*", None),
    ],
)
def test_poetry_python_constraint_as_marker(python: str, marker: str | None) -> None:
    text = f'[tool.poetry.dependencies]\nfoo = {{ version = "1.0", python = "{python}" }}\n'
    dep = parse(text, "pyproject.toml", _no_files).dependencies[0]
    assert dep.markers == marker


def test_poetry2_enriches_project_dependencies() -> None:
    manifest = _fixture("poetry2.toml")
    assert [(d.name, d.specifier, d.source.url, d.line) for d in manifest.dependencies if d.ecosystem != "config"] == [
        ("requests", ">=2.31", None, 4),
        ("private-thing", ">=1.0", "https://corp.example.com/simple", 5),
        ("extra-only", "^1.0", None, 10),
    ]
    assert manifest.indexes == (IndexOption("index", "https://corp.example.com/simple", 14),)


# --- uv and PEP 735 --------------------------------------------------------------------------------------------


def test_uv_project_groups_and_sources() -> None:
    manifest = _fixture("uv.toml")
    rows = [(d.name, d.version, d.scope, d.line, d.constraint) for d in manifest.dependencies if d.ecosystem != "config"]
    assert rows == [
        ("fastapi", "0.110.0", "prod", 5, False),
        ("pydantic", None, "prod", 6, False),
        ("mylib", None, "prod", 7, False),
        ("torch", None, "prod", 8, False),
        ("torch", None, "prod", 8, False),
        ("helper", None, "prod", 9, False),
        ("orjson", "3.9.15", "optional", 14, False),
        ("ujson", None, "optional", 14, False),
        ("pytest", None, "dev", 17, False),
        ("pytest", None, "dev", 17, False),
        ("ruff", "0.4.4", "dev", 18, False),
        ("ipython", None, "dev", 19, False),
        ("pre-commit", None, "dev", 22, False),
        ("urllib3", None, "prod", 23, True),
        ("idna", "3.7", "prod", 24, True),
        ("setuptools", None, "build", 25, True),
        ("hatchling", None, "build", 49, False),
    ]
    torch = [d for d in manifest.dependencies if d.name == "torch"]
    assert [(d.source, d.markers) for d in torch] == [
        (Source(kind="registry", url="https://download.pytorch.org/whl/cpu"), "sys_platform != 'darwin'"),
        (DEFAULT_SOURCE, "sys_platform == 'darwin'"),  # the index named pytorch-mac is PyPI itself
    ]
    assert _one(manifest, "mylib").source == Source(kind="git", url="https://github.com/acme/mylib", ref="v1.2.0")
    assert _one(manifest, "helper").source == Source(kind="path", url="workspace")
    ipython = _one(manifest, "ipython")
    assert (ipython.source, ipython.editable) == (Source(kind="path", url="vendor/ipython"), True)
    assert _one(manifest, "pre-commit").source.kind == "url"
    assert _one(manifest, "orjson").specifier == "===3.9.15"
    assert _one(manifest, "ujson").markers == 'sys_platform != "win32"'
    assert "uv-demo" not in {d.name for d in manifest.dependencies}  # self-references are skipped
    assert manifest.indexes == (
        IndexOption("index", "https://download.pytorch.org/whl/cpu", 41),
        IndexOption("index", "https://pypi.org/simple", 46),
        IndexOption("index-url", "https://mirror.example.com/simple", 26),
        IndexOption("extra-index-url", "https://extra.example.com/simple", 27),
    )


def test_direct_names_for_lockfiles() -> None:
    text = (FIXTURES / "uv.toml").read_text(encoding="utf-8")
    names = direct_names(text, "pyproject.toml")
    assert names is not None
    assert {"fastapi", "torch", "ruff", "pytest", "orjson", "pre-commit", "uv-demo"} <= names
    assert not names & {"urllib3", "idna", "setuptools", "hatchling"}  # constraints and build requirements
    dynamic = '[project]\nname = "x"\ndynamic = ["dependencies"]\n'
    assert direct_names(dynamic, "pyproject.toml") is None


def test_registry_knows_pyproject() -> None:
    fmt = format_for("services/api/pyproject.toml")
    assert fmt is not None and fmt.name == "pyproject"
    text = '[project]\nname = "a"\ndependencies = ["b==1"]\n'
    manifest = fmt.parse(text, "services/api/pyproject.toml", _no_files)
    assert [(d.name, d.version, d.manifest) for d in manifest.dependencies] == [("b", "1", "services/api/pyproject.toml")]


def test_empty_file_declares_nothing() -> None:
    manifest = parse("", "pyproject.toml", _no_files)
    assert manifest.dependencies == () and manifest.kind == "declared"


def test_single_line_requirement_lines_found_for_duplicates() -> None:
    text = '[project]\nname = "x"\n\n[project.optional-dependencies]\na = ["six"]\nb = [\n  "six",\n]\n'
    assert [(d.line, d.scope) for d in parse(text, "pyproject.toml", _no_files).dependencies] == [
        (5, "optional"),
        (7, "optional"),
    ]


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("invalid_requirement.toml", 5, "invalid requirement 'bad req =='"),
        ("deps_not_array.toml", 3, "[project] dependencies must be an array, found str"),
        ("deps_entry_not_string.toml", 3, "each entry of [project] dependencies must be a string, found int"),
        ("optional_not_array.toml", 5, "[project.optional-dependencies] fast must be an array"),
        ("project_not_table.toml", 1, "[project] must be a table"),
        ("groups_cycle.toml", 2, "include cycle: a -> b -> c -> a"),
        ("groups_unknown.toml", 3, "dev includes unknown group 'docs'"),
        ("groups_duplicate.toml", 3, "'Test' and 'test' have the same normalised name 'test'"),
        ("groups_bad_table.toml", 2, 'a table entry must be {include-group = "name"}'),
        ("poetry_unknown_source.toml", 3, "unknown source 'nowhere' (sources declared: corp)"),
        ("poetry_bad_value.toml", 2, "must be a version string, a table or a non-empty array of tables"),
        ("poetry_bad_python.toml", 2, "invalid python constraint 'three'"),
        ("uv_unknown_index.toml", 6, "unknown index 'missing'"),
    ],
)
def test_bad_input(name: str, line: int, words: str) -> None:
    error = _error(name)
    assert error.line == line
    assert words in error.message


def test_include_group_names_are_normalised() -> None:
    text = '[dependency-groups]\nTest_Suite = ["pytest"]\nall = [{ include-group = "test.suite" }]\n'
    assert [d.name for d in parse(text, "pyproject.toml", _no_files).dependencies] == ["pytest"]


def test_uv_source_without_kind_is_an_error() -> None:
    text = '[project]\nname = "x"\ndependencies = ["a"]\n\n[tool.uv.sources]\na = { rev = "main" }\n'
    with pytest.raises(ManifestError) as info:
        parse(text, "pyproject.toml", _no_files)
    assert info.value.line == 6 and "git, path, url, index or workspace" in info.value.message


def test_uv_index_without_url_is_an_error() -> None:
    text = '[[tool.uv.index]]\nname = "x"\n'
    with pytest.raises(ManifestError, match=r"\[\[tool.uv.index\]\] has no url"):
        parse(text, "pyproject.toml", _no_files)
