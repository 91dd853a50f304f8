"""pylock.toml (PEP 751): sources, hashes, scope from markers, direct flags from pyproject.toml, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.pylock import parse
from checker.model import DEFAULT_SOURCE, Dependency, Manifest, Source

PYPI_FILES = frozenset({"https://files.pythonhosted.org"})
from tests.conftest import corpus_dir

FIXTURES = Path(__file__).parent / "fixtures" / "pylock"


def _corpus() -> Path | None:
    return corpus_dir()


def _no_files(path: str) -> str | None:
    return None


def _corpus_text(*parts: str) -> str:
    corpus = _corpus()
    if corpus is None:
        pytest.skip("the shared corpus is not available")
    return corpus.joinpath(*parts).read_text(encoding="utf-8")


def _edge(name: str) -> Manifest:
    return parse(_corpus_text("edge", "pylock", name), "pylock.toml", _no_files)


def _app(with_pyproject: bool = True) -> Manifest:
    """The fixture lock, read as ``app/pylock.toml`` with its sibling ``app/pyproject.toml``."""

    def read(path: str) -> str | None:
        assert path == "app/pyproject.toml"
        return (FIXTURES / "app" / "pyproject.toml").read_text(encoding="utf-8") if with_pyproject else None

    return parse((FIXTURES / "app" / "pylock.toml").read_text(encoding="utf-8"), "app/pylock.toml", read)


def _one(manifest: Manifest, name: str) -> Dependency:
    found = [d for d in manifest.dependencies if d.name == name]
    assert len(found) == 1
    return found[0]


# --- osv-scalibr edge cases ------------------------------------------------------------------------------------


def test_edge_commits() -> None:
    manifest = _edge("commits.toml")
    assert manifest.format == "pylock" and manifest.kind == "lock"
    assert [(d.name, d.version, d.line) for d in manifest.dependencies] == [
        ("click", "8.2.1", 7),
        ("mleroc", "0.1.0", 14),
        ("net-inf-eval", None, 19),
        ("packaging", "24.2", 23),
        ("pathspec", "0.12.1", 30),
        ("python-dateutil", "2.9.0.post0", 37),
        ("scikit-learn", "1.6.1", 44),
        ("tqdm", "4.67.1", 71),
    ]
    click = _one(manifest, "click")
    assert click.hashes == frozenset(
        {
            "sha256:27c491cc05d968d271d5a1db13e3b5a184636d9d930f148c50b038f0d0646202",
            "sha256:61a3265b914e850b85317d0b3109c7f8cd35a670f963866005d6ef1d5175a12b",
        }
    )
    assert click.source == DEFAULT_SOURCE._replace(hosts=PYPI_FILES) and click.specifier == "==8.2.1"
    mleroc = _one(manifest, "mleroc")
    assert mleroc.source == Source(
        kind="git", url="https://github.com/Veggente/mleroc.git", commit="735093f03c4d8be70bfaaae44074ac92d7419b6d"
    )
    assert mleroc.hashes == frozenset()
    project = _one(manifest, "net-inf-eval")
    assert (project.source, project.editable, project.specifier) == (Source(kind="path", url="."), True, "")
    assert len(_one(manifest, "scikit-learn").hashes) == 20  # sdist + 19 wheels
    assert all(d.scope == "prod" and d.direct for d in manifest.dependencies)


def test_edge_example() -> None:
    manifest = _edge("example.toml")
    assert [(d.name, d.version, d.line, len(d.hashes)) for d in manifest.dependencies] == [
        ("attrs", "25.1.0", 6, 1),
        ("cattrs", "24.1.2", 19, 1),
        ("numpy", "2.2.3", 30, 2),
    ]
    assert _one(manifest, "attrs").hashes == frozenset(
        {"sha256:c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a"}
    )


def test_edge_names_outside_package_block() -> None:
    manifest = _edge("names-outside-package-block.toml")
    # neither the [packages.tool.pylock] name nor the header-like text in the multi-line string counts
    assert [(d.name, d.version, d.line) for d in manifest.dependencies] == [
        ("first-pkg", "1.0.0", 5),
        ("second-pkg", "2.0.0", 17),
    ]


def test_edge_pdm_full_scopes_from_markers() -> None:
    manifest = _edge("pdm-full.toml")
    assert [(d.name, d.version, d.scope, d.line) for d in manifest.dependencies] == [
        ("certifi", "2025.1.31", "optional", 10),
        ("chardet", "3.0.4", "prod", 23),  # "default" is a default group
        ("charset-normalizer", "2.0.12", "optional", 36),
        ("colorama", "0.3.9", "optional", 49),
        ("idna", "2.7", "prod", 62),
        ("py", "1.4.34", "optional", 75),
        ("pytest", "3.2.5", "optional", 88),
        ("requests", "2.27.1", "optional", 101),
        ("setuptools", "39.2.0", "optional", 114),
        ("urllib3", "1.26.20", "optional", 127),
    ]
    certifi = _one(manifest, "certifi")
    assert certifi.markers == 'python_version >= "3.6" and "security" in extras'
    assert certifi.hashes == frozenset(
        {
            "sha256:ca78db4565a652026a4db2bcdf68f2fb589ea80d0be70e03929ed730746b84fe",
            "sha256:3d5da6925056f6f18f119200434a4780a94263f10d1c21d032a6f6b2baa20651",
        }
    )


def test_edge_pip_full() -> None:
    manifest = _edge("pip-full.toml")
    assert [(d.name, d.version, d.line) for d in manifest.dependencies] == [
        ("annotated-types", "0.7.0", 4),
        ("packaging", "25.0", 15),
        ("pyproject-toml", "0.1.0", 26),
        ("setuptools", "80.9.0", 37),
        ("wheel", "0.45.1", 48),
    ]
    assert _one(manifest, "wheel").hashes == frozenset(
        {"sha256:708e7481cc80179af0e556bbf0cc00b8444c7321e2700b8d8580231d13017248"}
    )


def test_edge_pip_just_self_inline_array() -> None:
    (dep,) = _edge("pip-just-self.toml").dependencies
    assert (dep.name, dep.version, dep.source, dep.editable, dep.line) == (
        "hspaans-github-io",
        None,
        Source(kind="path", url="."),
        True,
        4,
    )


def test_edge_empty() -> None:
    with pytest.raises(ManifestError) as info:
        _edge("empty.toml")
    assert info.value.line is None and "empty file, expected a pylock.toml lockfile" in info.value.message


def test_edge_not_toml() -> None:
    with pytest.raises(ManifestError) as info:
        _edge("not-toml.txt")
    assert info.value.line == 1 and info.value.message.startswith("not valid TOML")


# --- the real spectree lockfile --------------------------------------------------------------------------------


def test_real_spectree_pylock() -> None:
    manifest = parse(_corpus_text("real", "0b01001001-spectree", "pylock.toml"), "pylock.toml", _no_files)
    deps = manifest.dependencies
    assert len(deps) == 69
    assert all(d.scope == "prod" and d.direct and d.source == DEFAULT_SOURCE._replace(hosts=PYPI_FILES) for d in deps)
    assert all(d.version and d.hashes for d in deps)
    first = deps[0]
    assert (first.name, first.version, first.line) == ("aiofiles", "24.1.0", 7)
    assert first.hashes == frozenset(
        {
            "sha256:22a075c9e5a3810f0c2e48f3008c94d68c65d763b9b03857924c99e57355166c",
            "sha256:b4ec55f4195e3eb5d7abd1bf7e061763e864dd4954231fb8539a0ef8bb8260e5",
        }
    )
    assert len(_one(manifest, "charset-normalizer").hashes) == 79
    assert _one(manifest, "exceptiongroup").markers == "python_full_version < '3.11'"
    assert sum(d.markers is not None for d in deps) == 3


# --- the fixture: sources, hashes, scopes, direct flags ------------------------------------------------------------


def test_app_lines_versions_and_scopes() -> None:
    manifest = _app()
    assert [(d.name, d.version, d.scope, d.line) for d in manifest.dependencies] == [
        ("requests", "2.32.3", "prod", 9),
        ("urllib3", "2.2.2", "prod", 20),
        ("cryptography", "42.0.8", "optional", 26),
        ("pytest", "8.2.2", "dev", 32),
        ("sphinx", "7.3.7", "optional", 38),  # the docs group or an extra: an extra suffices
        ("typing-extensions", "4.12.2", "prod", 44),  # "'dev' not in dependency_groups" holds by default
        ("mylib", "0123456789abcdef0123456789abcdef01234567", "prod", 50),
        ("hglib", "0.3", "prod", 54),
        ("app", None, "prod", 59),
        ("vendored", "1.0", "prod", 63),
        ("remote", "3.0", "prod", 68),
        ("old-style", "1.0", "optional", 73),  # the older ``extra == 'x'`` spelling
    ]


def test_app_sources() -> None:
    manifest = _app()
    # PyPI's index is the default registry; the files come from where their URLs say.
    assert _one(manifest, "requests").source == DEFAULT_SOURCE._replace(hosts=frozenset({"https://files.example"}))
    assert _one(manifest, "urllib3").source == Source(kind="registry", url="https://mirror.example.com/simple/",
                                                      hosts=frozenset({"https://mirror.example.com"}))
    assert _one(manifest, "mylib").source == Source(
        kind="git",
        url="https://github.com/acme/mylib.git",
        ref="v1.0",
        commit="0123456789abcdef0123456789abcdef01234567",
    )
    assert _one(manifest, "hglib").source == Source(kind="url", url="hg+https://hg.example.com/hglib@abc123")
    app = _one(manifest, "app")
    assert (app.source, app.editable) == (Source(kind="path", url="."), True)
    assert _one(manifest, "vendored").source == Source(kind="path", url="vendor/vendored-1.0.tar.gz")
    assert _one(manifest, "remote").source == Source(kind="url", url="https://example.com/remote-3.0.zip")


def test_app_hashes() -> None:
    manifest = _app()
    assert _one(manifest, "requests").hashes == frozenset({"sha256:aaaa0001", "sha256:aaaa0002", "sha512:aaaa0003"})
    assert _one(manifest, "remote").hashes == frozenset({"sha256:2222", "md5:3333"})
    assert _one(manifest, "vendored").hashes == frozenset({"sha256:1111"})
    assert _one(manifest, "mylib").hashes == frozenset()


def test_app_direct_from_pyproject() -> None:
    direct = {d.name for d in _app().dependencies if d.direct}
    assert direct == {"requests", "cryptography", "pytest", "sphinx", "app"}


def test_app_without_pyproject_counts_everything_direct() -> None:
    assert all(d.direct for d in _app(with_pyproject=False).dependencies)


def test_dynamic_pyproject_counts_everything_direct() -> None:
    lock = 'lock-version = "1.0"\ncreated-by = "x"\n\n[[packages]]\nname = "a"\nversion = "1"\n'
    pyproject = '[project]\nname = "p"\ndynamic = ["dependencies"]\n'
    (dep,) = parse(lock, "pylock.toml", lambda path: pyproject if path == "pyproject.toml" else None).dependencies
    assert dep.direct


def test_registry_knows_pylock_names() -> None:
    for path in ("pylock.toml", "deploy/pylock.prod.toml"):
        fmt = format_for(path)
        assert fmt is not None and fmt.name == "pylock"


def test_empty_packages_array() -> None:
    text = (FIXTURES / "pylock.empty-packages.toml").read_text(encoding="utf-8")
    assert parse(text, "pylock.empty-packages.toml", _no_files).dependencies == ()


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("version2.toml", 1, "unsupported lock-version '2.0' (supported: 1.0)"),
        ("no_version.toml", 1, "no lock-version"),
        ("no_created_by.toml", 1, "no created-by"),
        ("no_packages.toml", 1, "no [[packages]]"),
        ("packages_not_array.toml", 3, "packages must be an array, found str"),
        ("no_name.toml", 8, "[[packages]] entry has no name"),
        ("bad_marker.toml", 4, "invalid marker \"python_version >= '3.8' and\": unexpected end"),
        ("vcs_no_commit.toml", 4, "[[packages]] 'a' vcs has no commit-id"),
        ("bad_hashes.toml", 4, "wheel hashes must be a table, found list"),
    ],
)
def test_bad_input(name: str, line: int, words: str) -> None:
    with pytest.raises(ManifestError) as info:
        parse((FIXTURES / name).read_text(encoding="utf-8"), "pylock.toml", _no_files)
    assert info.value.path == "pylock.toml"
    assert info.value.line == line
    assert words in info.value.message


@pytest.mark.parametrize(
    "marker",
    ["python_version >=", "(os_name == 'nt'", "os_name == 'nt' xor x", "'a' in", "== 'x'"],
)
def test_malformed_markers(marker: str) -> None:
    text = f'lock-version = "1.0"\ncreated-by = "x"\n\n[[packages]]\nname = "a"\nmarker = "{marker}"\n'
    with pytest.raises(ManifestError, match="invalid marker") as info:
        parse(text, "pylock.toml", _no_files)
    assert info.value.line == 4
