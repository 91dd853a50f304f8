"""pip requirements files: pip's syntax, pip-compile annotations, includes, and every error pip would raise."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import requirements, requirements_grammar
from checker.manifests.requirements import parse, scope_for
from checker.model import Dependency, IndexOption, Manifest, Source
from tests.conftest import corpus_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "requirements" / "repo"


def _corpus() -> Path | None:
    return corpus_dir()


CORPUS = _corpus()


def _reader(root: Path):
    """read() over a directory that stands for the repository root."""

    def read(path: str) -> str | None:
        target = root / path
        return target.read_text(encoding="utf-8") if target.is_file() else None

    return read


def _memory(files: dict[str, str]):
    return files.get


def _no_files(path: str) -> None:
    return None


def _parse_text(text: str, path: str = "requirements.txt", files: dict[str, str] | None = None) -> Manifest:
    return parse(text, path, _memory(files or {}))


def _error(text: str, path: str = "requirements.txt", files: dict[str, str] | None = None) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        _parse_text(text, path, files)
    return caught.value


def _by_name(manifest: Manifest) -> dict[str, Dependency]:
    return {dependency.name: dependency for dependency in manifest.dependencies}


def _summary(manifest: Manifest) -> list[tuple[int | None, str, str | None, str]]:
    return [(d.line, d.name, d.version, d.specifier) for d in manifest.dependencies]


def _fixture(path: str) -> Manifest:
    return parse((FIXTURES / path).read_text(encoding="utf-8"), path, _reader(FIXTURES))


# ------------------------------------------------------------------------------------ osv-scalibr edge files


@pytest.fixture
def edge() -> Path:
    if CORPUS is None:
        pytest.skip("the shared corpus is not available")
    return CORPUS / "edge" / "requirements"


def _edge(edge: Path, name: str, read=None) -> Manifest:
    return parse((edge / name).read_text(encoding="utf-8"), name, read or _reader(edge))


EDGE_FILES = {
    "comments.txt", "env_var.txt", "example.txt", "extras.txt", "invalid.txt", "loop.txt",
    "multiline_and_comments.txt", "no_version.txt", "other-loop.txt", "other-requirements.txt",
    "per_req_options.txt", "trailing_backslash.txt", "with_versions.txt",
}  # fmt: skip


def test_every_edge_file_has_a_test(edge: Path) -> None:
    assert {p.name for p in edge.iterdir()} == EDGE_FILES


def test_edge_comments(edge: Path) -> None:
    manifest = _edge(edge, "comments.txt")
    assert _summary(manifest) == [
        (2, "pycrypto", "1.2-alpha", "==1.2-alpha"),
        (3, "gmpy2", "1", "==1"),
        (6, "sympy", "1.2", "==1.2"),
        (7, "requests", "1.0", "==1.0"),  # "# this one in particular" is a comment
        (8, "six", "1.2", "==1.2"),
    ]
    assert all(d.source == Source() and d.scope == "prod" and d.direct for d in manifest.dependencies)
    assert manifest.kind == "lock" and manifest.format == "requirements" and manifest.ecosystem == "pypi"


def test_edge_env_var_is_kept_unexpanded(edge: Path) -> None:
    manifest = _edge(edge, "env_var.txt")
    assert _summary(manifest) == [
        (1, "asdf", "1.2", "==1.2"),
        (2, "qwert", None, "==${MY_VARIABLE_1}"),
        (3, "another", "1.0", "==1.0"),
    ]


def test_edge_example_needs_its_constraints_file(edge: Path) -> None:
    with pytest.raises(ManifestError) as caught:
        _edge(edge, "example.txt")
    assert caught.value.message == "include not found: constraints.txt"
    assert (caught.value.path, caught.value.line) == ("example.txt", 22)


def test_edge_example(edge: Path) -> None:
    files = {"other-requirements.txt": "pandas==2.2.3\n", "constraints.txt": ""}
    manifest = _edge(edge, "example.txt", _memory(files))
    assert manifest.includes == ("other-requirements.txt", "constraints.txt")
    assert _summary(manifest) == [
        (3, "pytest", None, ""),
        (4, "pytest-cov", None, ""),
        (5, "beautifulsoup4", None, ""),
        (8, "docopt", "0.6.1", "==0.6.1"),
        (9, "requests", None, "==2.8.*,>=2.8.1"),
        (10, "urllib3", None, ""),
        (13, "keyring", None, ">=4.1.1"),
        (15, "coverage", None, "!=3.5"),
        (17, "mopidy-dirble", None, "~=1.1"),
        (25, "numpy", "1.9.2", ""),
        (28, "wxpython-phoenix", "3.0.3.dev1820+49a8884", ""),
    ]
    deps = _by_name(manifest)
    assert deps["requests"].markers == 'python_version < "2.7"'
    assert deps["urllib3"].source == Source(
        kind="url", url="https://github.com/urllib3/urllib3/archive/refs/tags/1.26.8.zip"
    )
    assert deps["numpy"].source == Source(kind="path", url="./downloads/numpy-1.9.2-cp34-none-win32.whl")
    assert deps["wxpython-phoenix"].source.kind == "url"


def test_edge_extras(edge: Path) -> None:
    assert _summary(_edge(edge, "extras.txt")) == [(1, "pyjwt", "2.1.0", "==2.1.0"), (2, "celery", "4.4.7", "==4.4.7")]


def test_edge_invalid_fails_at_its_first_line(edge: Path) -> None:
    with pytest.raises(ManifestError) as caught:
        _edge(edge, "invalid.txt")
    assert (caught.value.path, caught.value.line) == ("invalid.txt", 1)
    assert caught.value.message.startswith("invalid requirement 'asdf==': ")


def test_edge_invalid_line_by_line(edge: Path) -> None:
    lines = (edge / "invalid.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "asdf=="
    for bad in lines[:3]:
        assert _error(bad + "\n").message.startswith(f"invalid requirement {bad!r}")
    # pip reads the URL as it is: the "==" is part of the archive's name, not a specifier.
    url = _parse_text(lines[3] + "\n").dependencies[0]
    assert (url.name, url.version, url.specifier) == ("urllib3", None, "")
    assert url.source == Source(kind="url", url="https://github.com/urllib3/urllib3/archive/refs/tags/==1.26.8.zip")
    # optparse reads "-foo==1.0" as "-f oo==1.0": a --find-links option, not a requirement.
    odd = _parse_text(lines[4] + "\n")
    assert odd.dependencies == ()
    assert odd.indexes == (IndexOption("find-links", "oo==1.0", 1),)


def test_edge_loop_is_a_cycle(edge: Path) -> None:
    for name, other in (("loop.txt", "other-loop.txt"), ("other-loop.txt", "loop.txt")):
        with pytest.raises(ManifestError) as caught:
            _edge(edge, name)
        assert caught.value.message == f"include cycle: {name} -> {other} -> {name}"
        assert (caught.value.path, caught.value.line) == (name, 2)


def test_edge_multiline_and_comments(edge: Path) -> None:
    manifest = _edge(edge, "multiline_and_comments.txt")
    assert _summary(manifest) == [(3, "pkga", "1.0", "==1.0"), (7, "pkgb", "2.0", "==2.0")]
    assert manifest.dependencies[0].hashes == frozenset({"sha256:123"})
    assert manifest.dependencies[1].hashes == frozenset()


def test_edge_no_version(edge: Path) -> None:
    assert _summary(_edge(edge, "no_version.txt")) == [
        (1, "pycrypto", None, ""),
        (2, "gmpy2", None, ""),
        (3, "sympy", None, ""),
    ]


def test_edge_other_requirements(edge: Path) -> None:
    assert _summary(_edge(edge, "other-requirements.txt")) == [(1, "pandas", "2.2.3", "==2.2.3")]


def test_edge_per_req_options_fails_where_pip_fails(edge: Path) -> None:
    # foo2 carries "--config-settings=bar": pip requires KEY=VAL there and refuses the file.
    with pytest.raises(ManifestError) as caught:
        _edge(edge, "per_req_options.txt")
    assert (caught.value.line, caught.value.message) == (3, "--config-settings needs KEY=VALUE, found 'bar'")


def _per_req_entries(edge: Path) -> dict[str, str]:
    """per_req_options.txt's blank-separated entries, keyed by their first word's package (foo1 ... foo18)."""
    blocks = (edge / "per_req_options.txt").read_text(encoding="utf-8").split("\n\n")
    return {block.split("==")[0]: block + "\n" for block in blocks if block.strip()}


def test_edge_per_req_options_entry_by_entry(edge: Path) -> None:
    entries = _per_req_entries(edge)
    accepted = {
        "foo1": ("1.0", {"sha256:123"}),
        "foo5": ("1.0", {"sha256:123"}),
        "foo6": ("1.0", {"sha256:123"}),  # pip ignores words after the options
        "foo8": ("1.0", {"sha256:123", "sha256:456"}),
        "foo9": ("1.0", {"sha256:123", "sha256:456"}),
        "foo11": ("1.0", {"sha256:not_base16_encoded_is_ok_;#"}),  # ";#" is no comment: no space before
        "foo13": ("1.0", {"sha256:123"}),
        "foo16-Client": ("1.0", set()),
        "foo17--hash": ("1.0", set()),
    }
    refused = {
        "foo2": "--config-settings needs KEY=VALUE, found 'bar'",
        "foo3": "--config-settings needs KEY=VALUE, found 'bar'",
        "foo4": "--hash needs a hash name followed by a value, like --hash=sha256:abcd..., found 'wrongformatbutok'",
        "foo7": "invalid requirement 'foo7==1.0 unexpected_text_before_options_stays_around'",
        "foo10": "invalid requirement 'foo10=='",
        "foo12": "--hash needs a hash name followed by a value, like --hash=sha256:abcd..., found ''",
        "foo14": "-C needs KEY=VALUE, found 'bar'",
        "foo15": "invalid requirement 'foo15=='",
        "foo18-Client": "-C needs KEY=VALUE, found 'bar'",
    }
    assert set(entries) == set(accepted) | set(refused)
    for key, (version, hashes) in accepted.items():
        (dependency,) = _parse_text(entries[key]).dependencies
        assert (dependency.version, set(dependency.hashes)) == (version, hashes), key
    assert _by_name(_parse_text(entries["foo5"]))["foo5"].markers == 'python_version < "2.7"'
    assert _parse_text(entries["foo16-Client"]).dependencies[0].name == "foo16-client"
    assert _parse_text(entries["foo17--hash"]).dependencies[0].name == "foo17-hash"
    for key, message in refused.items():
        error = _error(entries[key])
        assert error.message.startswith(message), key
        assert error.line == 1


def test_edge_trailing_backslash(edge: Path) -> None:
    assert _summary(_edge(edge, "trailing_backslash.txt")) == [(1, "pkg1", "1.0", "==1.0")]


def test_edge_with_versions(edge: Path) -> None:
    assert _summary(_edge(edge, "with_versions.txt")) == [
        (1, "nltk", "3.2.2", "==3.2.2"),
        (2, "tabulate", "0.7.7", "==0.7.7"),
        (3, "newspaper3k", None, ">=0.2.2"),
        (4, "asdf", None, "==0.7.*"),
        (5, "qwerty", "0.1", "==0.1"),  # continued on line 6: the entry starts on line 5
        (7, "hy-phen", "1.2", "==1.2"),
        (8, "under-score", "1.3", "==1.3"),
        (9, "pkg-dot-name", "5.0.0", "==5.0.0"),
        (10, "combination-also-valid", None, ">=3.5"),
        (11, "yolo", "1.0", "===1.0"),
        (12, "pkg", None, "<=1.2.3"),
    ]


# ------------------------------------------------------------------------------------ warehouse (pip-compile)


@pytest.fixture
def warehouse() -> Path:
    if CORPUS is None:
        pytest.skip("the shared corpus is not available")
    return CORPUS / "real" / "pypi-warehouse"


def _warehouse(root: Path, name: str) -> Manifest:
    path = f"requirements/{name}"
    return parse((root / path).read_text(encoding="utf-8"), path, _reader(root))


@pytest.mark.parametrize(
    ("name", "pins", "hashes", "direct", "scope"),
    [
        ("main.txt", 184, 2089, 79, "prod"),
        ("deploy.txt", 8, 155, 2, "prod"),
        ("dev.txt", 27, 208, 6, "dev"),
        ("docs-blog.txt", 46, 640, 6, "dev"),
        ("docs-dev.txt", 31, 379, 3, "dev"),
        ("docs-user.txt", 34, 385, 4, "dev"),
        ("lint.txt", 56, 861, 27, "dev"),
        ("tests.txt", 48, 417, 16, "dev"),
    ],
)
def test_warehouse_counts(warehouse: Path, name: str, pins: int, hashes: int, direct: int, scope: str) -> None:
    manifest = _warehouse(warehouse, name)
    deps = manifest.dependencies
    assert len(deps) == pins
    assert sum(len(d.hashes) for d in deps) == hashes
    assert sum(d.direct for d in deps) == direct
    assert {d.scope for d in deps} == {scope}
    assert all(d.version is not None and d.specifier == f"=={d.version}" for d in deps)
    assert all(d.source == Source() and not d.editable and not d.constraint for d in deps)
    assert all(h.startswith("sha256:") and len(h) == 71 for d in deps for h in d.hashes)
    assert manifest.includes == () and manifest.indexes == () and manifest.kind == "lock"
    assert len({d.name for d in deps}) == pins


def test_warehouse_main_values(warehouse: Path) -> None:
    deps = _by_name(_warehouse(warehouse, "main.txt"))
    alembic = deps["alembic"]
    assert (alembic.version, alembic.line, alembic.direct, alembic.manifest) == (
        "1.18.5", 7, True, "requirements/main.txt"
    )
    assert alembic.hashes == frozenset(
        {
            "sha256:06d8ba9d04558022f5395e9317de03d270f3dced49cee01f89fe7a13c26f14bc",
            "sha256:1554982221dd17e9a749b53902407578eb305e453f71999e8c7f0a48389fff8e",
        }
    )
    # "# via\n#   -r requirements/main.in\n#   alembic-postgresql-enum" and "# via -r requirements/main.in"
    assert (deps["alembic-postgresql-enum"].line, deps["alembic-postgresql-enum"].direct) == (13, True)
    assert (deps["amqp"].version, deps["amqp"].line, deps["amqp"].direct) == ("5.3.1", 17, False)  # via kombu
    assert deps["annotated-types"].direct is False  # via b2sdk, pydantic
    assert deps["pyramid"].direct is True  # "-r requirements/main.in" first among many
    assert deps["zope-sqlalchemy"].version == "4.1"
    setuptools = deps["setuptools"]  # below "The following packages are considered to be unsafe"
    assert (setuptools.version, setuptools.line, setuptools.direct) == ("81.0.0", 2676, False)
    assert len(deps["argon2-cffi-bindings"].hashes) > 20


def test_warehouse_ipython_is_a_range(warehouse: Path) -> None:
    (ipython,) = _warehouse(warehouse, "ipython.txt").dependencies
    assert (ipython.name, ipython.version, ipython.specifier, ipython.line) == ("ipython", None, ">=9.14.1", 1)
    assert ipython.direct is True and ipython.scope == "prod"


def test_fast_path_agrees_with_packaging_on_warehouse(warehouse: Path) -> None:
    fast = 0
    for path in sorted((warehouse / "requirements").glob("*.txt")):
        for line in requirements_grammar.logical_lines(path.read_text(encoding="utf-8").splitlines()):
            args, options = requirements_grammar.split_args_options(line.text)
            if not args:
                continue
            quick = requirements._fast_requirement(args)
            slow = requirements._pep508_requirement(args, path.name, line.number)
            if quick is not None:
                fast += 1
                assert quick == slow, args
            if options:
                hashes = requirements_grammar._only_hashes(options)
                assert hashes is not None
                assert hashes == requirements_grammar._parse_option_words(options, path.name, line.number).get("hash")
    assert fast == 434  # every pin of every file; only ipython.txt's ">=" takes the packaging path


@pytest.mark.parametrize(
    "text",
    [
        "Foo_Bar[x, y]==1.0rc1.post2.dev3",
        "a==0",
        "docopt == 0.6.1",
        "zope.interface==6.0",
        "X\t==\t2",
        "pkg[one]==10.20.30a4",
    ],
)
def test_fast_path_agrees_with_packaging(text: str) -> None:
    quick = requirements._fast_requirement(text)
    assert quick is not None
    assert quick == requirements._pep508_requirement(text, "r.txt", 1)


@pytest.mark.parametrize(
    "text",
    ["foo==1.0+local", "foo==1.0.*", "foo==1.0-1", "foo>=1", "foo==1.0; python_version<'3'", "Foo==1.0RC1"],
)
def test_fast_path_leaves_the_rest_to_packaging(text: str) -> None:
    assert requirements._fast_requirement(text) is None


def test_only_hashes_takes_plain_hash_words_only() -> None:
    assert requirements_grammar._only_hashes("--hash=SHA256:AB \t --hash=md5:cd") == ["sha256:ab", "md5:cd"]
    for text in ("--hash sha256:ab", "--hash='sha256:ab'", "--HASH=sha256:ab", "--hash=sha256:", "--pre"):
        assert requirements_grammar._only_hashes(text) is None, text


# ----------------------------------------------------------------------------------------- own fixtures


def test_full_syntax_index_options() -> None:
    manifest = _fixture("requirements/full-syntax.txt")
    assert manifest.indexes == (
        IndexOption("index-url", "https://pypi.example.org/simple", 2),
        IndexOption("extra-index-url", "https://${INDEX_TOKEN}@extra.example.org/simple", 3),
        IndexOption("trusted-host", "extra.example.org", 4),
        IndexOption("find-links", "./wheelhouse", 5),
    )
    assert manifest.includes == ()


def test_full_syntax_registry_entries() -> None:
    manifest = _fixture("requirements/full-syntax.txt")
    registry = [d for d in manifest.dependencies if d.source.kind == "registry"]
    index = Source(kind="registry", url="https://pypi.example.org/simple")
    assert all(d.source == index for d in registry)
    assert [(d.line, d.name, d.version, d.specifier, d.markers) for d in registry] == [
        (9, "plain", "1.0.0", "==1.0.0", None),
        (10, "extras-pkg", "2.8.1", "==2.8.1", 'python_version >= "3.8"'),
        (11, "ranged", None, "<2,>=1.0", None),
        (12, "wildcard", None, "==1.2.*", None),
        (13, "arbitrary", "foo-bar", "===foo-bar", None),
        (14, "continued", "3.1", "==3.1", None),
        (18, "opts", "1.0", "==1.0", None),
        (34, "envpin", None, "==${PIN_VERSION}", None),
        (37, "after-comment", "1.0", "==1.0", None),  # line 36 is a comment, its backslash continues nothing
        (38, "interrupted", "1.0", "==1.0", None),  # the comment on line 39 ends the continued line
        (41, "last", "9.9", "==9.9", None),  # a trailing backslash on the last line is fine
    ]
    deps = _by_name(manifest)
    assert deps["continued"].hashes == frozenset({"sha256:aaaa", "sha512:bbbb", "md5:cccc"})  # md5 kept
    assert deps["opts"].hashes == frozenset()
    assert all(d.scope == "prod" and d.direct and not d.constraint for d in manifest.dependencies)


def test_full_syntax_direct_references() -> None:
    deps = _by_name(_fixture("requirements/full-syntax.txt"))
    direct_ref = deps["direct-ref"]
    assert (direct_ref.line, direct_ref.version, direct_ref.specifier) == (19, "4.2", "")
    assert direct_ref.source == Source(kind="url", url="https://files.example.org/direct_ref-4.2.tar.gz#sha256=dddd")
    assert direct_ref.hashes == frozenset({"sha256:dddd"})  # "#sha256=" is a URL fragment, not a comment
    assert deps["tagged"].version is None  # refs/tags/1.26.8.zip does not name the package
    assert deps["tagged"].source.kind == "url"
    assert deps["gitdep"].source == Source(
        kind="git",
        url="https://github.com/org/gitdep.git",
        ref="0123456789ABCDEF0123456789abcdef01234567",
        commit="0123456789abcdef0123456789abcdef01234567",
    )
    assert deps["gitdep"].version is None
    assert deps["tokened"].source == Source(kind="url", url="https://${TOKEN}@private.example.org/tokened-1.0.tar.gz")
    assert deps["tokened"].version == "1.0"


def test_full_syntax_vcs_lines() -> None:
    deps = _by_name(_fixture("requirements/full-syntax.txt"))
    # The "@" of "git@github.com" is the user, not a ref; #egg= names the package.
    assert deps["vcs-egg"].line == 22
    assert deps["vcs-egg"].source == Source(kind="git", url="ssh://git@github.com/org/unnamed.git", ref="v2.0")
    assert deps["no-egg"].source == Source(kind="git", url="https://github.com/org/no-egg.git", ref="main")
    assert deps["hgpkg"].source == Source(kind="url", url="hg+https://hg.example.org/repo#egg=hgpkg")
    assert not any(d.editable for d in (deps["vcs-egg"], deps["no-egg"], deps["hgpkg"]))


def test_full_syntax_editables_and_paths() -> None:
    deps = _by_name(_fixture("requirements/full-syntax.txt"))
    editable = deps["editable-pkg"]
    assert (editable.line, editable.editable, editable.version) == (24, True, None)
    assert editable.source == Source(kind="git", url="https://github.com/org/editable.git", ref="develop")
    # Local directories take the name their pyproject.toml declares.
    assert deps["local-package"].source == Source(kind="path", url="./src/local_pkg")
    assert (deps["local-package"].line, deps["local-package"].editable) == (25, True)
    assert deps["fixture-root"].source == Source(kind="path", url=".")
    assert deps["fixture-root"].editable is True
    assert deps["localdir"].source == Source(kind="path", url="./vendor/localdir")
    assert deps["thing"].source == Source(kind="path", url="../sibling/thing")
    assert (deps["thing"].editable, deps["thing"].line) == (False, 28)
    assert deps["filewheel"].source == Source(kind="path", url="file:///opt/wheels/filewheel-3.0-py3-none-any.whl")
    assert deps["filewheel"].version == "3.0"
    assert deps["some-wheel"].source == Source(kind="path", url="./dist/some_wheel-1.2.3-py3-none-any.whl")
    assert deps["some-wheel"].version == "1.2.3"
    assert deps["archive-pkg"].source == Source(kind="url", url="https://files.example.org/archive_pkg-0.9.tar.gz")
    assert deps["archive-pkg"].version == "0.9"
    wx = deps["wxpython-phoenix"]
    assert (wx.line, wx.version, wx.markers) == (32, "3.0.3.dev1820+49a8884", 'sys_platform == "win32"')


def test_full_syntax_entry_count() -> None:
    manifest = _fixture("requirements/full-syntax.txt")
    assert len(manifest.dependencies) == 27
    assert len({d.name for d in manifest.dependencies}) == 27


def test_pip_compile_annotations() -> None:
    manifest = _fixture("requirements/main.txt")
    assert [(d.line, d.name, d.direct) for d in manifest.dependencies] == [
        (9, "block-direct", True),
        (14, "block-indirect", False),
        (19, "single-direct", True),
        (21, "single-indirect", False),
        (23, "constrained", True),
        (25, "inline-indirect", False),
        (26, "inline-direct", True),
        (27, "hand-added", True),  # no annotation at all: written by hand
        (30, "setuptools", False),
    ]
    assert manifest.dependencies[0].hashes == frozenset({"sha256:1111"})
    assert {d.source for d in manifest.dependencies} == {Source(kind="registry", url="https://pypi.org/simple")}


def test_pip_tools_input_is_declared_and_direct() -> None:
    manifest = _fixture("requirements/lint.in")
    assert manifest.kind == "declared"
    assert manifest.includes == ("requirements/constraints.txt",)
    assert [(d.line, d.name, d.version, d.specifier, d.scope, d.direct) for d in manifest.dependencies] == [
        (3, "black", None, ">=24", "dev", True),
        (4, "ruff", "0.5.0", "==0.5.0", "dev", True),
    ]
    assert not any(d.constraint for d in manifest.dependencies)


def test_includes_resolve_relative_to_the_including_file() -> None:
    manifest = _fixture("requirements/prod.txt")
    # base.txt includes common.txt, and prod.txt includes it again: a diamond, not a cycle.
    assert manifest.includes == ("requirements/base.txt", "requirements/common.txt", "constraints.txt")
    assert _summary(manifest) == [(5, "prod-pkg", "1.0", "==1.0")]  # only this file's own entries


def test_include_cycle_through_the_file() -> None:
    with pytest.raises(ManifestError) as caught:
        _fixture("requirements/cycle-a.txt")
    assert caught.value.message == (
        "include cycle: requirements/cycle-a.txt -> requirements/cycle-b.txt -> requirements/cycle-c.txt"
        " -> requirements/cycle-a.txt"
    )
    assert (caught.value.path, caught.value.line) == ("requirements/cycle-a.txt", 1)


def test_include_cycle_further_down_is_reported_where_it_starts() -> None:
    with pytest.raises(ManifestError) as caught:
        _fixture("requirements/enter-cycle.txt")
    assert caught.value.message == (
        "include cycle: requirements/cycle-b.txt -> requirements/cycle-c.txt -> requirements/cycle-a.txt"
        " -> requirements/cycle-b.txt (reached from requirements/enter-cycle.txt)"
    )
    assert (caught.value.path, caught.value.line) == ("requirements/cycle-b.txt", 2)


def test_missing_nested_include() -> None:
    with pytest.raises(ManifestError) as caught:
        _fixture("requirements/missing-nested.txt")
    assert caught.value.message == (
        "include not found: requirements/does-not-exist.txt (reached from requirements/missing-nested.txt)"
    )
    assert (caught.value.path, caught.value.line) == ("requirements/broken.txt", 3)


# ----------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("foo==\n", 1, "invalid requirement 'foo==': Expected semicolon"),
        ("ok==1\n\nfoo bar\n", 3, "invalid requirement 'foo bar'"),
        ("foo=1.0\n", 1, "invalid requirement 'foo=1.0'"),
        ("a==1\n-e\n", 2, "option -e needs a local project path or a VCS URL"),
        ("--editable\n", 1, "option --editable needs a local project path or a VCS URL"),
        ("foo==1.0 --hash\n", 1, "option --hash needs a hash (algo:hex)"),
        ("foo==1.0 --hash=\n", 1, "--hash needs a hash name followed by a value"),
        ("foo==1.0 --hash=deadbeef\n", 1, "--hash needs a hash name followed by a value"),
        ("foo==1.0 --hash=:abc\n", 1, "--hash value ':abc' has no hash algorithm"),
        ("foo==1.0 --hash=sha256:\n", 1, "--hash value 'sha256:' has no digest"),
        ("# x\n--hash=sha256:abc\n", 2, "--hash must follow a requirement on the same logical line"),
        ("--pre --hash=sha256:abc\n", 1, "--hash must follow a requirement on the same logical line"),
        ("--unknown\n", 1, "unknown option --unknown: pip would reject it"),
        ("foo==1.0 --install-option=--x\n", 1, "unknown option --install-option: pip would reject it"),
        ("-x foo\n", 1, "unknown option -x: pip would reject it"),
        ("--no x\n", 1, "ambiguous option --no (could be --no-binary, --no-index): pip would reject it"),
        ("--pre=yes\n", 1, "option --pre takes no value"),
        ("foo==1.0 --config-settings=novalue\n", 1, "--config-settings needs KEY=VALUE, found 'novalue'"),
        ("foo==1.0 --global-option='x\n", 1, "cannot split the options"),
        ("foo==1.0; python_version >>> '3'\n", 1, "invalid environment marker"),
        ("foo@1.0\n", 1, "invalid requirement 'foo@1.0': '1.0' is not a URL"),
        ("foo @ ./local\n", 1, "invalid requirement 'foo @ ./local': './local' is not a URL"),
        ("${NAME}==1.0\n", 1, "invalid requirement '${NAME}==1.0': the package name uses an environ"),
        ("-e https://example.org/foo-1.0.tar.gz\n", 1, "'https://example.org/foo-1.0.tar.gz' is not a valid"),
        ("foo @ git+https://github.com/a/b.git@\n", 1, "the URL 'git+https://github.com/a/b.git@' has an empty"),
        ("./dist/not_a_wheel.whl\n", 1, "invalid wheel filename 'not_a_wheel.whl'"),
        ("git+https://github.com/a/b.git#egg=-bad\n", 1, "#egg=-bad is not a valid project name"),
        ("x\nhttps://[::1/foo-1.0.tar.gz\n", 2, "invalid URL 'https://[::1/foo-1.0.tar.gz'"),
        ("foo @ https://[bad/foo.zip\n", 1, "invalid URL 'https://[bad/foo.zip'"),
        ("-e git+https://[x/repo.git\n", 1, "invalid URL 'git+https://[x/repo.git'"),
        ("\n-r https://example.org/r.txt\n", 2, "remote includes are not supported: lockgate cannot verify what"),
        ("-c http://example.org/c.txt\n", 1, "remote includes are not supported"),
        ("-r file:///etc/r.txt\n", 1, "file: URL includes are not supported"),
        ("-r /etc/passwd\n", 1, "include leaves the repository: /etc/passwd is an absolute path"),
        ("-r 'C:\\reqs.txt'\n", 1, "include leaves the repository: C:\\reqs.txt is an absolute path"),
        ("-r ../../outside.txt\n", 1, "include leaves the repository: ../../outside.txt climbs above the"),
        ("-r ${REQS}/base.txt\n", 1, "include ${REQS}/base.txt uses the environment variable ${REQS}"),
        ("a==1\n-r missing.txt\n", 2, "include not found: requirements/missing.txt"),
        ("-c missing.txt\n", 1, "include not found: requirements/missing.txt"),
        ("-r self.txt\n", 1, "include cycle: requirements/self.txt -> requirements/self.txt"),
    ],
)
def test_errors(text: str, line: int, message: str) -> None:
    error = _error(text, "requirements/self.txt")
    assert error.path == "requirements/self.txt"
    assert error.line == line
    assert error.message.startswith(message), error.message


def test_invalid_requirement_hint_for_a_single_equals() -> None:
    assert "(= is not a valid operator; did you mean ==?)" in _error("foo=1.0\n").message


def test_include_count_is_capped() -> None:
    from checker.manifests import MAX_INCLUDED_FILES as cap

    files = {f"r{i}.txt": f"-r r{i + 1}.txt\n" for i in range(1, cap + 100)}
    error = _error("-r r1.txt\n", "r0.txt", files)
    assert error.message == f"too many included files: more than {cap} (reached from r0.txt)"
    assert (error.path, error.line) == (f"r{cap}.txt", 1)


def test_wide_include_count_is_capped() -> None:
    from checker.manifests import MAX_INCLUDED_FILES as cap

    text = "".join(f"-r r{i}.txt\n" for i in range(cap + 50))
    error = _error(text, "top.txt", {f"r{i}.txt": "" for i in range(cap + 50)})
    assert (error.message, error.path, error.line) == (f"too many included files: more than {cap}", "top.txt", cap + 1)


def test_errors_in_included_files_name_that_file() -> None:
    error = _error("-r inc.txt\n", "top.txt", {"inc.txt": "\n--bogus\n"})
    assert error.message == "unknown option --bogus: pip would reject it (reached from top.txt)"
    assert (error.path, error.line) == ("inc.txt", 2)


# ------------------------------------------------------------------------------------------- pip details


def test_empty_and_comment_only_files_are_valid() -> None:
    for text in ("", "\n\n", "# nothing but a comment\n   # and another\n"):
        manifest = _parse_text(text)
        assert (manifest.dependencies, manifest.includes, manifest.indexes) == ((), (), ())


def test_crlf_and_byte_order_mark() -> None:
    manifest = _parse_text("\ufefffoo==1.0 \\\r\n    --hash=sha256:AB\r\nbar==2.0\r\n")
    assert _summary(manifest) == [(1, "foo", "1.0", "==1.0"), (3, "bar", "2.0", "==2.0")]
    assert manifest.dependencies[0].hashes == frozenset({"sha256:ab"})


def test_a_commented_line_ending_in_a_backslash_swallows_the_next_line_like_pip() -> None:
    # pip joins first and strips comments after: "foo==1.0 # note bar==2.0" loses bar entirely.
    manifest = _parse_text("foo==1.0 # note \\\nbar==2.0\nbaz==3.0\n")
    assert _summary(manifest) == [(1, "foo", "1.0", "==1.0"), (3, "baz", "3.0", "==3.0")]


def test_hash_in_url_fragment_is_not_a_comment_but_spaced_hash_is() -> None:
    manifest = _parse_text(
        "git+https://github.com/org/repo.git@v1#egg=pkg # a real comment\n"
        "https://example.org/a-1.0.tar.gz#sha256=ABCD&egg=a\n"
    )
    deps = _by_name(manifest)
    assert deps["pkg"].source == Source(kind="git", url="https://github.com/org/repo.git", ref="v1")
    assert deps["a"].hashes == frozenset({"sha256:abcd"})
    assert deps["a"].version == "1.0"


def test_option_forms_pip_accepts() -> None:
    manifest = _parse_text(
        "-ihttps://one.example.org/simple\n"  # short option with an attached value
        "--extra-index=https://two.example.org/simple\n"  # unambiguous abbreviation
        "--find-links https://a.example.org --find-links https://b.example.org\n"  # pip reads only the first
        "--trusted-host a.example.org --trusted-host b.example.org\n"
        "--index-url https://last.example.org/simple\n"  # the last --index-url wins, wherever it is
        "foo==1.0 --hash sha256:aa --hash=sha384:BB -- --hash=sha1:ignored\n"  # "--" ends the options
    )
    assert manifest.indexes == (
        IndexOption("index-url", "https://one.example.org/simple", 1),
        IndexOption("extra-index-url", "https://two.example.org/simple", 2),
        IndexOption("find-links", "https://a.example.org", 3),
        IndexOption("trusted-host", "a.example.org", 4),
        IndexOption("trusted-host", "b.example.org", 4),
        IndexOption("index-url", "https://last.example.org/simple", 5),
    )
    (foo,) = manifest.dependencies
    assert foo.source == Source(kind="registry", url="https://last.example.org/simple")
    assert foo.hashes == frozenset({"sha256:aa", "sha384:bb"})


def test_options_on_a_requirement_line_are_ignored_like_pip_does() -> None:
    # pip applies only --hash, --config-settings and --global-option to a requirement line; an -r, -i or -e
    # written after a requirement is parsed (and must be valid) but has no effect.
    manifest = _parse_text("foo==1.0 -r other.txt -i https://evil.example.org/simple -e ./x\n")
    assert manifest.includes == () and manifest.indexes == ()
    (foo,) = manifest.dependencies
    assert (foo.name, foo.editable, foo.source) == ("foo", False, Source())


def test_one_include_per_line_like_pip() -> None:
    files = {"a.txt": "", "b.txt": "", "c.txt": ""}
    assert _parse_text("-r a.txt -r b.txt -c c.txt\n", files=files).includes == ("a.txt",)
    assert _parse_text("-c c.txt --requirement b.txt\n", files=files).includes == ("b.txt",)
    assert _parse_text("-Zrc.txt\n", files=files).includes == ("c.txt",)  # clustered short options


def test_editable_line_ignores_hashes_and_other_options() -> None:
    (dep,) = _parse_text("-e ./pkg --hash=sha256:abc -C key=value\n").dependencies
    assert (dep.name, dep.editable, dep.hashes, dep.source) == ("pkg", True, frozenset(), Source("path", "./pkg"))


def test_editable_vcs_forms() -> None:
    manifest = _parse_text(
        "-e git://github.com/org/plain.git#egg=plain\n"
        "--editable=git+https://github.com/org/sub.git@abc#subdirectory=libs/inner\n"
        "-e file:///srv/src/filepkg#egg=filepkg\n"
    )
    deps = _by_name(manifest)
    assert deps["plain"].source == Source(kind="git", url="git://github.com/org/plain.git")
    assert deps["inner"].source == Source(kind="git", url="https://github.com/org/sub.git", ref="abc")
    assert deps["filepkg"].source == Source(kind="path", url="file:///srv/src/filepkg#egg=filepkg")  # as written
    assert all(d.editable for d in manifest.dependencies)


def test_local_directory_name_without_pyproject() -> None:
    manifest = _parse_text("./libs/My_Lib\n-e .\n../up\n", files={})
    assert [(d.name, d.source.url) for d in manifest.dependencies] == [
        ("my-lib", "./libs/My_Lib"),
        (".", "."),  # the repository root with no pyproject.toml: no better name than the path
        ("up", "../up"),
    ]


def test_broken_pyproject_does_not_break_the_requirements_file() -> None:
    for broken in ("[project\nname=", 'tool = "x"\nproject = 3\n', "[project]\nname = 5\n"):
        (dep,) = _parse_text("./pkg\n", files={"pkg/pyproject.toml": broken}).dependencies
        assert dep.name == "pkg"


def test_poetry_name_of_a_local_directory() -> None:
    (dep,) = _parse_text("./pkg\n", files={"pkg/pyproject.toml": '[tool.poetry]\nname = "Poetry_Pkg"\n'}).dependencies
    assert dep.name == "poetry-pkg"


def test_markers_after_a_url_need_a_space_like_pip() -> None:
    (dep,) = _parse_text('https://example.org/w-1.0-py3-none-any.whl ; python_version >= "3"\n').dependencies
    assert (dep.name, dep.version, dep.markers) == ("w", "1.0", 'python_version >= "3"')
    (named,) = _parse_text('w @ https://example.org/w-1.0.tar.gz;python_version>="3"\n').dependencies
    assert named.markers == 'python_version >= "3"'
    assert named.source == Source(kind="url", url="https://example.org/w-1.0.tar.gz")


def test_empty_marker_is_no_marker() -> None:
    (dep,) = _parse_text("foo==1.0;\n").dependencies
    assert dep.markers is None


def test_environment_variables_stay_unexpanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKEN", "secret")
    monkeypatch.setenv("VERSION", "9")
    manifest = _parse_text(
        "--extra-index-url https://${TOKEN}@example.org/simple\n"
        "foo>=${VERSION},<${VERSION}.5\n"
        "bar @ git+https://${TOKEN}@github.com/org/bar.git@v1\n"
    )
    assert manifest.indexes == (IndexOption("extra-index-url", "https://${TOKEN}@example.org/simple", 1),)
    deps = _by_name(manifest)
    assert (deps["foo"].version, deps["foo"].specifier) == (None, "<${VERSION}.5,>=${VERSION}")
    assert deps["bar"].source == Source(kind="git", url="https://${TOKEN}@github.com/org/bar.git", ref="v1")


def test_every_dependency_carries_the_file_facts() -> None:
    manifest = _parse_text("foo==1.0\n", "services/api/requirements.txt")
    (foo,) = manifest.dependencies
    assert (foo.ecosystem, foo.manifest, foo.scope, foo.constraint, foo.label) == (
        "pypi", "services/api/requirements.txt", "prod", False, None
    )
    assert manifest.path == "services/api/requirements.txt"


def test_constraints_files_are_plain_entries() -> None:
    manifest = _parse_text("-c constraints.txt\nfoo==1.0\n", files={"constraints.txt": "bar==2.0\n"})
    assert manifest.includes == ("constraints.txt",)
    assert [d.name for d in manifest.dependencies] == ["foo"]
    assert not manifest.dependencies[0].constraint


# -------------------------------------------------------------------------------------------------- scope


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("requirements.txt", "prod"),
        ("requirements/main.txt", "prod"),
        ("requirements-dev.txt", "dev"),
        ("dev-requirements.txt", "dev"),
        ("requirements/tests.txt", "dev"),
        ("requirements/lint.txt", "dev"),
        ("requirements/docs-user.txt", "dev"),
        ("docs/requirements.txt", "dev"),
        ("test/requirements.in", "dev"),
        ("requirements_test.txt", "dev"),
        ("requirements/dev.in", "dev"),
        ("requirements-docker.txt", "prod"),  # "doc" inside "docker" is not a word
        ("requirements/latest.txt", "prod"),
        ("requirements/deploy.txt", "prod"),
        ("devices/requirements.txt", "prod"),
    ],
)
def test_scope_for(path: str, scope: str) -> None:
    assert scope_for(path) == scope
    assert {d.scope for d in _parse_text("foo==1.0\n", path).dependencies} == {scope}


def test_direct_in_txt_follows_annotations_but_in_files_are_all_direct() -> None:
    text = "foo==1.0\n    # via bar\n"
    assert _parse_text(text, "requirements.txt").dependencies[0].direct is False
    assert _parse_text(text, "requirements.in").dependencies[0].direct is True
    assert _parse_text(text, "requirements.in").kind == "declared"


def test_extras_are_stripped_as_pips_pattern_strips_them() -> None:
    """The linear search gives what pip's regular expression gives, on any one line."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from checker.manifests.requirements_sources import strip_extras as _strip_extras

    pips = re.compile(r"^(.+)(\[[^\]]+\])$")

    @settings(max_examples=2000, database=None, deadline=None)
    @given(st.text(alphabet="ab[]. /", max_size=12))
    def same(text: str) -> None:
        found = pips.match(text)
        assert _strip_extras(text) == (found.group(1) if found else text), text

    same()


def test_comments_are_found_where_pips_pattern_finds_them() -> None:
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from checker.manifests.requirements_grammar import comment_start as _comment_start

    pips = re.compile(r"(^|\s+)#.*$")

    @settings(max_examples=3000, database=None, deadline=None)
    @given(st.text(alphabet="a# \t\u00a0\u2028\x1c=", max_size=14))
    def same(text: str) -> None:
        found = pips.search(text)
        assert _comment_start(text) == (found.start() if found else -1), repr(text)
        assert text.lstrip().startswith("#") == (pips.match(text) is not None), repr(text)

    same()


@pytest.mark.parametrize(("url", "name"), [
    ("https://github.com/pallets/werkzeug/archive/refs/heads/main.tar.gz", "werkzeug"),
    ("https://github.com/pallets-eco/blinker/archive/refs/heads/main.tar.gz", "blinker"),
    ("https://github.com/owner/My.Repo/archive/v1.2.zip", "my-repo"),
    ("https://github.com/owner/repo/archive/0123456789abcdef0123456789abcdef01234567.tar.gz", "repo"),
    ("https://gitlab.com/group/proj/-/archive/main/proj-main.tar.gz", "proj"),
    ("https://files.example/dist/foo-1.0.tar.gz", "foo"),  # a versioned sdist name stays the name
    ("https://files.example/archive/main.tar.gz", "main"),  # no owner/repo before `archive`: nothing better
])
def test_a_forge_archive_named_by_a_ref_is_named_by_its_repository(url: str, name: str) -> None:
    """pallets/flask's requirements/tests-dev.txt (pip-compile) lists five GitHub archives of `main`: each is its
    own dependency, named by its repository, not five `main` that read as one."""
    deps = _parse_text(url + "\n").dependencies
    assert [d.name for d in deps] == [name]
    assert deps[0].source == Source(kind="url", url=url)


def test_five_archives_of_main_are_five_dependencies() -> None:
    text = "".join(f"https://github.com/pallets/{r}/archive/refs/heads/main.tar.gz\n"
                   for r in ("click", "itsdangerous", "jinja", "markupsafe", "werkzeug"))
    assert sorted(d.name for d in _parse_text(text).dependencies) == [
        "click", "itsdangerous", "jinja", "markupsafe", "werkzeug"]
