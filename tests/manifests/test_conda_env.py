"""conda environment files: conda packages (MatchSpec), the pip: list, channels and index settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import FORMATS_BY_NAME, format_for
from checker.manifests.conda_env import conda_dependency, includes, parse
from checker.model import DEFAULT_SOURCE, IndexOption, Manifest, Problem, Source

FIXTURES = Path(__file__).parent / "fixtures" / "conda_env"


def _parse(text: str, files: dict[str, str] | None = None, path: str = "environment.yml") -> Manifest:
    return parse(text, path, (files or {}).get)


@pytest.mark.parametrize(
    ("path", "read"),
    [
        ("environment.yml", True), ("environment.yaml", True), ("ci/environment-dev.yml", True),
        ("Environment_docs.YAML", True), ("build_tools/doc_environment.yml", True), ("environment.ci.yml", True),
        ("environments.yml", False), ("env.yml", False), ("myenvironment.yml", False), ("environment.txt", False),
    ],
)
def test_which_files(path: str, read: bool) -> None:
    assert (format_for(path) is FORMATS_BY_NAME["conda-env"]) is read


def test_pandas() -> None:
    manifest = parse((FIXTURES / "pandas-environment.yml").read_text(), "environment.yml", lambda p: None)
    assert (manifest.format, manifest.ecosystem, manifest.kind, manifest.problems) == ("conda-env", "conda", "declared", ())
    deps = {(d.name, d.line): d for d in manifest.dependencies}
    assert (deps[("conda.channels", 4)].ecosystem, deps[("conda.channels", 4)].version) == ("config", "conda-forge")
    python = deps[("python", 6)]
    assert (python.ecosystem, python.version, python.specifier, python.scope) == ("conda", None, "=3.8", "prod")
    assert deps[("numexpr", 36)].specifier == ">=2.7.1"  # the comment after it is no part of the spec
    assert len(manifest.dependencies) == 99


def test_scikit_learn_pip_list() -> None:
    path = "build_tools/azure/pylatest_pip_openblas_pandas_environment.yml"
    manifest = parse((FIXTURES / "scikit-learn-pip_environment.yml").read_text(), path, lambda p: None)
    assert manifest.problems == ()
    pandas = [d for d in manifest.dependencies if d.name == "pandas"][0]
    assert (pandas.ecosystem, pandas.version, pandas.line, pandas.manifest) == ("pypi", "1.5.3", 18, path)
    assert [d.ecosystem for d in manifest.dependencies].count("pypi") == 16


@pytest.mark.parametrize(
    ("spec", "name", "version", "specifier", "source"),
    [
        ("numpy", "numpy", None, "", DEFAULT_SOURCE),
        ("numpy=1.26", "numpy", None, "=1.26", DEFAULT_SOURCE),  # 1.26*: a range
        ("numpy==1.26.4", "numpy", "1.26.4", "==1.26.4", DEFAULT_SOURCE),
        ("numpy=1.26.4=py311h64a7726_0", "numpy", "1.26.4", "=1.26.4 py311h64a7726_0", DEFAULT_SOURCE),
        ("numpy 1.26.4 py311h64a7726_0", "numpy", "1.26.4", "1.26.4 py311h64a7726_0", DEFAULT_SOURCE),
        ("numpy 1.26.* py311*", "numpy", None, "1.26.* py311*", DEFAULT_SOURCE),
        ("numpy>=1.2,<2", "numpy", None, ">=1.2,<2", DEFAULT_SOURCE),
        ("NumPy >=1.2", "numpy", None, ">=1.2", DEFAULT_SOURCE),
        ("conda-forge::numpy>=1.2", "numpy", None, ">=1.2", Source(url="https://conda.anaconda.org/conda-forge")),
        ("conda-forge/linux-64::numpy", "numpy", None, "", Source(url="https://conda.anaconda.org/conda-forge")),
        ("pkgs/main::numpy", "numpy", None, "", Source(url="https://repo.anaconda.com/pkgs/main")),
        ("defaults::numpy", "numpy", None, "", DEFAULT_SOURCE),
        ("https://conda.example.com/private::numpy", "numpy", None, "", Source(url="https://conda.example.com/private")),
        ("numpy[version='>=1.2', build=py*]", "numpy", None, ">=1.2 py*", DEFAULT_SOURCE),
        ("numpy[channel=pytorch]", "numpy", None, "", Source(url="https://conda.anaconda.org/pytorch")),
        ("numpy  # a comment", "numpy", None, "", DEFAULT_SOURCE),
    ],
)
def test_matchspec(spec: str, name: str, version: str | None, specifier: str, source: Source) -> None:
    found = conda_dependency(spec, "environment.yml", 3, "prod")
    assert not isinstance(found, Problem), found
    assert (found.ecosystem, found.name, found.version, found.specifier, found.source) == (
        "conda", name, version, specifier, source)


def test_a_package_file_url() -> None:
    url = "https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3-hd590300_0.conda"
    found = conda_dependency(url, "environment.yml", 3, "prod")
    assert not isinstance(found, Problem)
    assert (found.name, found.version, found.source) == ("zlib", "1.3", Source(kind="url", url=url))


def test_pip_list_channels_and_variables() -> None:
    text = (
        "channels:\n"
        "  - conda-forge\n"
        "  - https://user:token@conda.example.com/private\n"
        "variables:\n"
        "  PIP_INDEX_URL: https://mirror.example/simple\n"
        "  OTHER: x\n"
        "dependencies:\n"
        "  - pip\n"
        "  - pip:\n"
        "    - requests==2.31.0\n"
        "    - --extra-index-url https://extra.example/simple\n"
        "    - -r requirements-extra.txt\n"
        "    - git+https://github.com/acme/b@main#egg=b\n"
    )
    manifest = _parse(text, {"requirements-extra.txt": "flask\n"})
    assert [(d.ecosystem, d.name, d.version, d.line) for d in manifest.dependencies] == [
        ("config", "conda.channels", "conda-forge", 2),
        ("config", "conda.channels", "https://conda.example.com/private", 3),  # never the credential
        ("config", "pip.index-url", "https://mirror.example/simple", 5),
        ("conda", "pip", None, 8),
        ("pypi", "requests", "2.31.0", 10),
        ("pypi", "b", None, 13),
    ]
    assert manifest.indexes == (IndexOption("index-url", "https://mirror.example/simple", 5),
                                IndexOption("extra-index-url", "https://extra.example/simple", 11))
    assert manifest.includes == ("requirements-extra.txt",)
    assert includes(text, "environment.yml") == [("requirements-extra.txt", 12)]
    assert manifest.problems == ()


@pytest.mark.parametrize(
    "pip",
    ["['--extra-index-url http://evil']", "['--extra-index-url=http://evil']", "\n    - --extra-index http://evil",
     "\n    - -i http://evil"],
)
def test_attacker_index_spellings_are_indexes(pip: str) -> None:
    manifest = _parse(f"dependencies:\n  - pip: {pip}\n")
    assert [option.value for option in manifest.indexes] == ["http://evil"], manifest


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("dependencies:\n  - numpy\n  - '== bad'\n", 3, "no package name"),
        ("dependencies:\n  - numpy\n  - conda: [x]\n", 3, "'conda' is not a section conda reads"),
        ("dependencies:\n  - numpy\n  - pip:\n    - not a requirement !\n", 4, "pip: invalid requirement"),
        ("dependencies:\n  - numpy\n  - pip:\n    - -r missing.txt\n", 4, "include not found: missing.txt"),
        ("dependencies:\n  - numpy\n  - [x]\n", 3, "must be a package spec or a pip: list"),
    ],
)
def test_an_entry_lockgate_cannot_read_is_a_problem(text: str, line: int, says: str) -> None:
    manifest = _parse(text)
    assert "numpy" in [d.name for d in manifest.dependencies]
    assert [(p.line, says in p.message) for p in manifest.problems] == [(line, True)], manifest.problems


def test_a_file_of_another_tool_declares_nothing() -> None:
    assert _parse("stage: production\nreplicas: 3\n").dependencies == ()
    assert _parse("").dependencies == ()


@pytest.mark.parametrize(("text", "line"), [("dependencies: [\n", 2), ("- numpy\n", 1),
                                             ("dependencies:\n  - a\ndependencies:\n  - b\n", 3)])
def test_bad_yaml_is_an_error(text: str, line: int) -> None:
    with pytest.raises(ManifestError) as caught:
        _parse(text)
    assert (caught.value.path, caught.value.line) == ("environment.yml", line)
