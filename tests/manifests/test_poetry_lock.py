"""Tests for checker.manifests.poetry_lock: every lock version, sources, hashes, scopes, direct flags from the
sibling pyproject.toml, and errors with their lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.poetry_lock import parse
from checker.model import Dependency, Manifest, Source
from tests.conftest import corpus_dir

FIXTURES = Path(__file__).parent / "fixtures" / "poetry_lock"


def _corpus() -> Path | None:
    return corpus_dir()


CORPUS = _corpus()


def _need_corpus() -> Path:
    if CORPUS is None:
        pytest.skip("the shared corpus is not available")
    return CORPUS


def _reader(root: Path):
    """A snapshot reader over a folder; records what was asked for."""
    asked: list[str] = []

    def read(path: str) -> str | None:
        asked.append(path)
        target = root / path
        return target.read_text() if target.is_file() else None

    read.asked = asked  # type: ignore[attr-defined]
    return read


def _no_files(path: str) -> None:
    return None


def _parse_fixture(relative: str) -> Manifest:
    return parse((FIXTURES / relative).read_text(), relative, _reader(FIXTURES))


def _by_name(manifest: Manifest) -> dict[str, Dependency]:
    return {d.name: d for d in manifest.dependencies}


# ---------------------------------------------------------------------------------------------------------------
# Lock version 1.1


def test_lock_1_1_categories_hashes_and_direct() -> None:
    manifest = _parse_fixture("v1_1/poetry.lock")
    assert (manifest.format, manifest.kind, manifest.ecosystem, manifest.path) == (
        "poetry-lock", "lock", "pypi", "v1_1/poetry.lock")
    got = {d.name: (d.version, d.scope, d.direct, d.line) for d in manifest.dependencies}
    assert got == {
        "certifi": ("2023.7.22", "prod", False, 1),
        "flask": ("2.3.3", "prod", True, 9),  # "Flask" in the lock, canonical here
        "pytest": ("7.4.2", "dev", True, 23),  # [tool.poetry.dev-dependencies]
        "python-dotenv": ("1.0.0", "optional", True, 31),
        "werkzeug": ("2.3.7", "prod", False, 39),
        "internal-lib": ("0.4.0", "prod", True, 47),  # internal_lib in pyproject.toml
    }
    deps = _by_name(manifest)
    # 1.1 keeps the hashes in [metadata.files], by name.
    assert deps["certifi"].hashes == frozenset({
        "sha256:92d6037539857d8206b8f6ae472e8b77db8058fec5937a1ef3f54304089edbb9",
        "sha256:539cc1d13202e33ca466e88b2807e29f4c13049d6d87031a3c110744495cb082",
    })
    assert deps["werkzeug"].hashes == frozenset(
        {"sha256:effde6f7f0d8c9e4f0b8b0c1c3f3a0d2e9b8b4f4e1e2d3c4b5a6978877665544"}  # lower-cased
    )
    assert deps["python-dotenv"].hashes == frozenset()
    assert deps["internal-lib"].source == Source("path", url="../internal-lib")
    assert deps["internal-lib"].editable is True
    assert deps["flask"].source == Source()
    assert all(d.manifest == "v1_1/poetry.lock" and d.ecosystem == "pypi" for d in manifest.dependencies)


def test_reads_the_sibling_pyproject_only() -> None:
    read = _reader(FIXTURES)
    parse((FIXTURES / "v1_1/poetry.lock").read_text(), "v1_1/poetry.lock", read)
    assert read.asked == ["v1_1/pyproject.toml"]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------------------------
# Lock version 2.0 (no category, no groups)


def test_lock_2_0_sources() -> None:
    manifest = _parse_fixture("v2_0/poetry.lock")
    deps = _by_name(manifest)
    assert {d.name: (d.scope, d.direct, d.line) for d in manifest.dependencies} == {
        "attrs": ("prod", False, 3),
        "mylib": ("prod", True, 14),
        "requests": ("prod", True, 29),
        "tarball": ("optional", True, 44),
        "vendored-wheel": ("prod", True, 58),
    }
    assert deps["mylib"].source == Source("registry", url="https://pypi.internal.example.com/simple")
    assert deps["requests"].source == Source(
        "git", url="https://github.com/psf/requests.git", ref="v2.31.0",
        commit="147c8511ddbfa5e8f71bbf5c18ede0c4ceb3bba4")
    assert deps["requests"].hashes == frozenset()
    assert deps["tarball"].source == Source("url", url="https://example.com/tarball-1.0.tar.gz")
    assert deps["vendored-wheel"].source == Source("path", url="wheels/vendored_wheel-0.1.0-py3-none-any.whl")
    assert deps["vendored-wheel"].editable is False
    assert deps["attrs"].hashes == frozenset({
        "sha256:99b87a485a5820b23b879f04c2305b44b951b502fd64be915879d77a7e8fc6f1",
        "sha256:935dc3b529c262f6cf76e50877d35a4bd3c1de194fd41f47a2b7ae8f19971f30",
    })


# ---------------------------------------------------------------------------------------------------------------
# Lock version 2.1 (groups) with a PEP 621 / PEP 735 pyproject.toml


def test_lock_2_1_groups_markers_and_pep621_direct() -> None:
    manifest = _parse_fixture("v2_1/poetry.lock")
    assert {d.name: (d.version, d.scope, d.direct, d.line, len(d.hashes)) for d in manifest.dependencies} == {
        "colorama": ("0.4.6", "prod", False, 3, 2),  # groups main + test: main wins
        "click": ("8.1.8", "prod", True, 16, 2),  # "Click (>=8.1,<9.0) ; ..." in [project] dependencies
        "iniconfig": ("2.0.0", "dev", True, 31, 2),  # [tool.poetry.group.test.dependencies]
        "rich": ("13.9.4", "optional", True, 43, 1),  # optional-dependencies "rich[jupyter]>=13"
        "ruff": ("0.9.2", "dev", True, 55, 1),  # [dependency-groups] lint
    }
    deps = _by_name(manifest)
    # A per-group markers table: main's marker is the one that applies to the project itself.
    assert deps["colorama"].markers == 'platform_system == "Windows"'
    assert deps["rich"].markers == 'extra == "fancy"'
    assert deps["click"].markers is None


def test_without_pyproject_every_package_is_direct() -> None:
    text = (FIXTURES / "v2_1/poetry.lock").read_text()
    manifest = parse(text, "poetry.lock", _no_files)
    assert all(d.direct for d in manifest.dependencies)
    assert len(manifest.dependencies) == 5


def test_registered_as_the_poetry_lock_format() -> None:
    fmt = format_for("v2_1/poetry.lock")
    assert fmt is not None and fmt.name == "poetry-lock"
    manifest = fmt.parse((FIXTURES / "v2_1/poetry.lock").read_text(), "v2_1/poetry.lock", _reader(FIXTURES))
    assert _by_name(manifest)["ruff"].direct is True


# ---------------------------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("fixture", "message", "line"),
    [
        ("unsupported-version.lock", "unsupported poetry.lock lock-version '3.0'; lockgate reads 1.0, 1.1, 2.0, 2.1", 9),
        ("no-lock-version.lock", "[metadata] has no lock-version (Poetry 1.0 or older) and neither [metadata.files] "
                                 "nor [metadata.hashes]: the packages' hashes are missing", 5),
        ("bad-hash.lock", "`hash` in `files` of six must look like sha256:<hex>, found 'md5'", 1),
        ("unknown-source-type.lock",
         "[package.source] `type` of hg-thing must be one of git, url, file, directory, legacy, found 'hg'", 5),
        ("missing-version.lock", "[[package]] without `version`", 1),
        ("bad-category.lock", "`category` of six must be \"main\" or \"dev\", found 'docs'", 1),
    ],
)
def test_fixture_errors(fixture: str, message: str, line: int) -> None:
    with pytest.raises(ManifestError) as caught:
        parse((FIXTURES / fixture).read_text(), f"lib/{fixture}", _no_files)
    assert (caught.value.message, caught.value.line, caught.value.path) == (message, line, f"lib/{fixture}")


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "empty file, expected a poetry.lock lockfile", None),
        ("package = []\n", "missing [metadata], expected a poetry.lock with lock-version 1.0, 1.1, 2.0, 2.1", None),
        ("metadata = 3\n", "[metadata] must be a table, found int", None),
        ('package = 3\n[metadata]\nlock-version = "2.1"\n', "[[package]] must be an array, found int", None),
        ('[[package]]\nname = 3\nversion = "1"\n[metadata]\nlock-version = "2.1"\n',
         "package `name` must be a string, found int", 1),
        ('[[package]]\nname = "a"\nversion = "1"\ngroups = "main"\n[metadata]\nlock-version = "2.1"\n',
         "`groups` of a must be an array, found str", 1),
        ('[[package]]\nname = "a"\nversion = "1"\noptional = "no"\n[metadata]\nlock-version = "2.1"\n',
         "`optional` of a must be true or false", 1),
        ('[[package]]\nname = "a"\nversion = "1"\nfiles = [{file = "a.whl", hash = 3}]\n'
         '[metadata]\nlock-version = "2.1"\n', "`hash` in `files` of a must be a string, found int", 1),
        ('[[package]]\nname = "a"\nversion = "1"\n[package.source]\ntype = "git"\n'
         '[metadata]\nlock-version = "2.1"\n', "[package.source] `url` of a must be a string, found NoneType", 1),
        ('[metadata]\nlock-version = "1.1"\n[metadata.files]\na = "x"\n',
         "[metadata.files] a must be an array, found str", None),
        ('[metadata]\nlock-version = 2.1\n', "unsupported poetry.lock lock-version 2.1; lockgate reads 1.0, 1.1, 2.0, 2.1",
         2),
        ("[metadata]\nlock-version = \"2.1\"\n[metadata]\n", "not valid TOML: Cannot declare ('metadata',) twice", 3),
        ("x = " + "[" * 3000 + "]" * 3000 + "\n", "nested more than 500 levels deep", 1),
    ],
)
def test_malformed_input(text: str, message: str, line: int | None) -> None:
    with pytest.raises(ManifestError) as caught:
        parse(text, "poetry.lock", _no_files)
    assert (caught.value.message, caught.value.line) == (message, line)


def test_broken_sibling_pyproject_is_an_error_naming_it() -> None:
    text = (FIXTURES / "v2_1/poetry.lock").read_text()

    def read(path: str) -> str | None:
        return "[project]\ndependencies = [\n" if path == "app/pyproject.toml" else None

    with pytest.raises(ManifestError) as caught:
        parse(text, "app/poetry.lock", read)
    assert caught.value.path == "app/pyproject.toml"
    assert caught.value.message.startswith("not valid TOML")


def test_pyproject_with_wrong_types_is_an_error() -> None:
    text = (FIXTURES / "v2_1/poetry.lock").read_text()
    with pytest.raises(ManifestError) as caught:
        parse(text, "poetry.lock", lambda path: '[project]\ndependencies = "click"\n')
    assert (caught.value.path, caught.value.message) == (
        "pyproject.toml", "[project] dependencies must be an array, found str")


# ---------------------------------------------------------------------------------------------------------------
# The shared corpus


def _edge(name: str) -> str:
    return (_need_corpus() / "edge" / "poetrylock" / name).read_text()


def test_edge_corpus_has_the_expected_files() -> None:
    names = sorted(p.name for p in (_need_corpus() / "edge" / "poetrylock").iterdir())
    assert names == [
        "empty-file.lock", "empty.lock", "multiple-packages.v2.lock", "names-outside-package-block.lock",
        "not-toml.txt", "one-package-with-metadata.lock", "one-package.lock", "optional-package.lock",
        "source-git.lock", "source-legacy.lock", "two-packages.lock",
    ]


@pytest.mark.parametrize(
    ("name", "message", "line"),
    [
        ("empty-file.lock", "empty file, expected a poetry.lock lockfile", None),
        ("not-toml.txt", "not valid TOML: Expected '=' after a key in a key/value pair", 1),
        # No [metadata]: no lock-version to go by.
        ("source-legacy.lock", "missing [metadata], expected a poetry.lock with lock-version 1.0, 1.1, 2.0, 2.1", None),
    ],
)
def test_edge_broken_files(name: str, message: str, line: int | None) -> None:
    with pytest.raises(ManifestError) as caught:
        parse(_edge(name), "poetry.lock", _no_files)
    assert (caught.value.message, caught.value.line, caught.value.path) == (message, line, "poetry.lock")


def test_edge_empty_package_list() -> None:
    assert parse(_edge("empty.lock"), "poetry.lock", _no_files).dependencies == ()


def test_edge_lock_1_1_files() -> None:
    def one(name: str) -> Dependency:
        (dep,) = parse(_edge(name), "poetry.lock", _no_files).dependencies
        return dep

    emoji = one("one-package-with-metadata.lock")
    assert (emoji.name, emoji.version, emoji.scope, emoji.direct, emoji.line) == ("emoji", "2.0.0", "prod", True, 1)
    assert emoji.hashes == frozenset({"sha256:297fac7ec9e86f7b602792c28eb6f04819ba67ab88a34c56afcde52243a9a105"})
    numpy = one("one-package.lock")
    assert (numpy.name, numpy.version, numpy.scope, numpy.hashes) == ("numpy", "1.23.3", "prod", frozenset())
    assert one("optional-package.lock").scope == "optional"
    ike = one("source-git.lock")
    assert (ike.name, ike.version, ike.line) == ("ike", "0.2.0", 1)
    assert ike.source == Source("git", url="https://github.com/dzshn/ike", ref="main",
                                commit="cd66602cd29f61a2d2e7fb995fef1e61708c034d")
    two = parse(_edge("two-packages.lock"), "poetry.lock", _no_files)
    assert [(d.name, d.version, d.line) for d in two.dependencies] == [
        ("proto-plus", "1.22.0", 1), ("protobuf", "4.21.5", 15)]


def test_edge_names_outside_package_block() -> None:
    manifest = parse(_edge("names-outside-package-block.lock"), "poetry.lock", _no_files)
    assert [(d.name, d.version, d.line, d.scope) for d in manifest.dependencies] == [
        ("first-pkg", "1.0.0", 3, "prod"), ("second-pkg", "2.0.0", 15, "prod")]


def test_edge_lock_2_1_multiple_packages() -> None:
    manifest = parse(_edge("multiple-packages.v2.lock"), "poetry.lock", _no_files)
    got = [(d.name, d.version, d.scope, d.line, len(d.hashes)) for d in manifest.dependencies]
    assert got == [
        ("async-timeout", "5.0.1", "optional", 3, 2),
        ("factory-boy", "3.3.1", "dev", 16, 2),
        ("faker", "33.3.0", "dev", 35, 2),
        ("proto-plus", "1.22.0", "prod", 51, 2),
        ("proto-plus", "1.23.0", "prod", 70, 2),
        ("protobuf", "4.25.5", "prod", 89, 11),
        ("python-dateutil", "2.9.0.post0", "dev", 110, 2),
        ("redis", "5.2.1", "optional", 125, 2),
        ("six", "1.17.0", "prod", 145, 2),
        ("typing-extensions", "4.12.2", "dev", 157, 2),
        ("urllib3", "2.3.0", "dev", 169, 2),
    ]
    deps = {(d.name, d.version): d for d in manifest.dependencies}
    assert deps[("proto-plus", "1.22.0")].markers == 'python_version < "3.10"'
    assert deps[("proto-plus", "1.23.0")].markers == 'python_version >= "3.10"'
    assert all(d.direct for d in manifest.dependencies)  # no pyproject.toml beside it


def test_real_poetry_lock_with_its_pyproject() -> None:
    root = _need_corpus() / "real" / "python-poetry-poetry"
    manifest = parse((root / "poetry.lock").read_text(), "poetry.lock", _reader(root))
    deps = _by_name(manifest)
    assert len(manifest.dependencies) == 78
    assert sum(len(d.hashes) for d in manifest.dependencies) == 1105  # every `hash` of every `files` entry
    assert len(deps["cffi"].hashes) == 84
    assert deps["anyio"].hashes == frozenset({
        "sha256:08b310f9e24a9594186fd75b4f73f4a4152069e3853f1ed8bfbf58369f4ad708",
        "sha256:334b70e641fd2221c1505b3890c69882fe4a2df910cba14d97019b90b24439dc",
    })
    # direct: [project] dependencies, Poetry groups (dev, test, typing, github-actions); not transitive ones.
    for name in ("cleo", "packaging", "pbs-installer", "xattr", "poetry-core", "pre-commit", "pytest-xdist",
                 "mypy", "pytest-github-actions-annotate-failures", "jaraco-classes"):
        assert deps[name].direct is True, name
    for name in ("anyio", "certifi", "idna", "pluggy", "iniconfig", "typing-extensions"):
        assert deps[name].direct is False, name
    # scope from groups: main -> prod, only other groups -> dev.
    assert (deps["cleo"].scope, deps["pytest"].scope, deps["cfgv"].scope, deps["mypy"].scope) == (
        "prod", "dev", "dev", "dev")
    assert deps["dulwich"].scope == "prod"  # groups main and test
    scopes = [d.scope for d in manifest.dependencies]
    assert (scopes.count("prod"), scopes.count("dev"), scopes.count("optional")) == (53, 25, 0)
    core = deps["poetry-core"]
    assert (core.version, core.line, core.hashes) == ("2.4.1", 1402, frozenset())
    assert core.source == Source("git", url="https://github.com/python-poetry/poetry-core.git", ref="HEAD",
                                 commit="e3998b0e111dc03e4aa721fd054c48e5c7de6fc5")
    assert (deps["anyio"].line, deps["zstandard"].line) == (3, 2159)
    assert deps["colorama"].markers == 'os_name == "nt"'
    assert deps["xattr"].markers == 'sys_platform == "darwin"'


# ---------------------------------------------------------------------------------------------------------------
# Poetry 1.0 and 0.12: no lock-version (real: python-poetry/poetry's own lockfile, SOURCES.md)


@pytest.mark.parametrize("fixture", ["poetry-1.0.lock", "poetry-0.12.lock"])
def test_lockfiles_without_lock_version_read_like_1_1(fixture):
    text = (FIXTURES / fixture).read_text()
    manifest = parse(text, "poetry.lock", lambda path: None)
    rows = [(d.name, d.version, d.scope, len(d.hashes), d.line) for d in manifest.dependencies]
    assert rows == [("appdirs", "1.4.3", "dev", 2, 1), ("six", rows[1][1], "prod", 2, 10)]
    assert manifest.dependencies[0].hashes == {
        "sha256:d8b24664561d0d34ddfaec54636d502d7cea6e29c3eaf68f3df6180863e2166e",
        "sha256:9e5896d1372858f8dd3344faf4e5014d21849c756c8d5701f78f8a103b372d92"}
    # Poetry 1.0's last releases wrote lock-version = "1.0" into the same layout
    numbered = text.replace("[metadata]\n", '[metadata]\nlock-version = "1.0"\n')
    assert parse(numbered, "poetry.lock", lambda path: None).dependencies == manifest.dependencies


def test_poetry_0_12_hashes_must_be_sha256_digests():
    text = (FIXTURES / "poetry-0.12.lock").read_text().replace('six = ["70e8', 'six = ["md5:70e8')
    with pytest.raises(ManifestError) as caught:
        parse(text, "poetry.lock", lambda path: None)
    assert "[metadata.hashes] six" in caught.value.message and "not a sha256 hex digest" in caught.value.message
