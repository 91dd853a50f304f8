"""Tests for checker.manifests.uv_lock: values from real and hand-written lockfiles, errors, and the promise that
the fast reader (checker.manifests.uv_lock_fast) and the tomllib path give the same Manifest for every input."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.uv_lock import parse, parse_lock
from checker.manifests.uv_lock_fast import read_fast
from checker.model import Manifest, Source
from tests.conftest import corpus_dir

FIXTURES = Path(__file__).parent / "fixtures" / "uv_lock"
PYPI = Source("registry", url="https://pypi.org/simple", hosts=frozenset({"https://files.pythonhosted.org"}))


def _corpus() -> Path | None:
    return corpus_dir()


CORPUS = _corpus()
EDGE = CORPUS / "edge" / "uvlock" if CORPUS else None
REAL = CORPUS / "real" / "pydantic-pydantic-ai" / "uv.lock" if CORPUS else None


def _need_corpus() -> Path:
    if CORPUS is None:
        pytest.skip("the shared corpus is not available")
    return CORPUS


def _outcome(text: str, *, fast: bool) -> Manifest | tuple[str, int | None]:
    """A Manifest, or the (message, line) of the ManifestError."""
    try:
        return parse_lock(text, "uv.lock", fast=fast)
    except ManifestError as error:
        return (str(error), error.line)


def _assert_same_both_ways(text: str) -> Manifest | tuple[str, int | None]:
    fast = _outcome(text, fast=True)
    slow = _outcome(text, fast=False)
    assert fast == slow
    return fast


def _by_key(manifest: Manifest) -> dict:
    return {(d.name, d.version): d for d in manifest.dependencies}


def _no_read(path: str) -> None:
    raise AssertionError(f"uv.lock needs no other file, but read {path}")


# ---------------------------------------------------------------------------------------------------------------
# Hand-written fixtures


def test_workspace_dependencies_scopes_and_direct_flags() -> None:
    text = (FIXTURES / "workspace.lock").read_text()
    manifest = parse(text, "services/api/uv.lock", _no_read)
    assert manifest.format == "uv-lock"
    assert manifest.kind == "lock"
    assert manifest.ecosystem == "pypi"
    deps = _by_key(manifest)
    # The workspace members (app at ".", lib listed in [manifest] members) are the project, not dependencies.
    assert "app" not in {d.name for d in manifest.dependencies}
    assert "lib" not in {d.name for d in manifest.dependencies}
    assert len(manifest.dependencies) == 22
    expected = {
        # name, version: scope, direct
        ("requests", "2.32.3"): ("prod", True),
        ("certifi", "2024.2.2"): ("prod", False),
        ("pysocks", "1.7.1"): ("prod", False),  # requests[socks] is asked for by app's dependencies
        ("chardet", "5.2.0"): ("dev", False),  # requests[use-chardet-on-py3] only from the dev group
        ("click", "8.1.7"): ("optional", True),
        ("colorama", "0.4.6"): ("optional", False),  # via click (optional) and pytest (dev): optional wins
        ("orjson", "3.10.3"): ("optional", True),  # lib's extra "fast"
        ("numpy", "1.26.4"): ("prod", True),
        ("numpy", "2.1.0"): ("prod", True),
        ("packaging", "24.0"): ("prod", True),  # lib needs it; pytest (dev) too: prod wins
        ("pytest", "8.2.0"): ("dev", True),
        ("iniconfig", "2.0.0"): ("dev", False),
        ("pluggy", "1.5.0"): ("dev", False),
        ("ruff", "0.4.4"): ("dev", True),
        ("localwheel", "0.3.0"): ("dev", True),
        ("tool", "1.2.0"): ("prod", True),
        ("vendored", "0.0.1"): ("prod", True),
        ("sibling", "1.0.0"): ("prod", True),
        ("zipapp", "1.0"): ("prod", False),  # nothing reaches it: the strictest reading
    }
    for key, (scope, direct) in expected.items():
        assert (deps[key].scope, deps[key].direct) == (scope, direct), key
    assert all(d.manifest == "services/api/uv.lock" for d in manifest.dependencies)
    assert all(d.ecosystem == "pypi" and d.specifier == "" for d in manifest.dependencies)


def test_workspace_sources() -> None:
    deps = _by_key(parse_lock((FIXTURES / "workspace.lock").read_text(), "uv.lock"))
    assert deps[("requests", "2.32.3")].source == PYPI
    assert deps[("ruff", "0.4.4")].source == Source("registry", url="https://pypi.example.com/simple",
                                                      hosts=frozenset({"https://files.pythonhosted.org"}))
    assert deps[("tool", "1.2.0")].source == Source(
        "git", url="https://github.com/example/tool", ref="v1.2.0", commit="0123456789abcdef0123456789abcdef01234567"
    )
    assert deps[("zipapp", "1.0")].source == Source("url", url="https://example.com/zipapp-1.0.tar.gz")
    assert deps[("vendored", "0.0.1")].source == Source("path", url="../vendored/thing")
    assert deps[("localwheel", "0.3.0")].source == Source("path", url="wheels/localwheel-0.3.0-py3-none-any.whl")
    assert deps[("sibling", "1.0.0")].source == Source("path", url="../sibling")
    assert deps[("sibling", "1.0.0")].editable is True
    assert deps[("vendored", "0.0.1")].editable is False


def test_workspace_hashes_and_lines() -> None:
    text = (FIXTURES / "workspace.lock").read_text()
    deps = _by_key(parse_lock(text, "uv.lock"))
    certifi = deps[("certifi", "2024.2.2")]
    assert certifi.hashes == frozenset({
        "sha256:6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",  # sdist
        "sha256:d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35",  # wheel
    })
    # sdist and two wheels; the zstd copy's hash is not a file an installer checks.
    charset = deps[("charset-normalizer", "3.3.2")]
    assert len(charset.hashes) == 3
    assert "sha256:2c624232cdd221771294dfbb310aca000a0df6ac8b66b696d90ef06fdefb64a3" not in charset.hashes
    # Written in upper case in the file, lower-cased here.
    assert deps[("zipapp", "1.0")].hashes == frozenset(
        {"sha256:7a61b53701befdae0eeeffaecc73f14e20b537bb0f8b91ad7c2936dc63562b25"}
    )
    assert deps[("localwheel", "0.3.0")].hashes == frozenset(
        {"sha256:4523540f1504cd17100c4835e85b7eefd49911580f8efff0599a8f283be6b9e3"}
    )
    assert deps[("tool", "1.2.0")].hashes == frozenset()
    lines = text.splitlines()
    for dep in deps.values():
        assert lines[dep.line - 1] == "[[package]]"
        assert lines[dep.line] == f'name = "{dep.name}"'
    assert certifi.line == 64
    assert deps[("zipapp", "1.0")].line == 290


def test_virtual_root_without_manifest_table() -> None:
    manifest = parse_lock((FIXTURES / "virtual-root.lock").read_text(), "uv.lock")
    (six,) = manifest.dependencies
    assert (six.name, six.version, six.scope, six.direct, six.line) == ("six", "1.16.0", "prod", True, 5)
    assert six.hashes == frozenset({
        "sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926",
        "sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254",
    })


def test_workspace_without_root_uses_manifest_requirements() -> None:
    manifest = parse_lock((FIXTURES / "manifest-requirements.lock").read_text(), "uv.lock")
    got = {d.name: (d.scope, d.direct, d.line) for d in manifest.dependencies}
    assert got == {
        "anyio": ("prod", False, 11),
        "httpx": ("prod", True, 20),
        "idna": ("prod", False, 29),
        "pytest": ("dev", True, 35),
    }


@pytest.mark.parametrize(
    ("fixture", "message", "line"),
    [
        ("version-2.lock", "unsupported uv.lock version 2; lockgate reads version 1 (any revision)", 1),
        ("bad-hash.lock", "`hash` of idna must look like sha256:<hex>, found 'not-a-hash'", 9),
        ("bad-source.lock", "`source` of six must be a table with one of directory, editable, git, path, registry, "
                            "url, virtual (a string)", 4),
        ("missing-name.lock", "[[package]] needs a string `name`", 9),
        ("wrong-type.lock", "`version` of six must be a string", 4),
    ],
)
def test_fixture_errors(fixture: str, message: str, line: int) -> None:
    text = (FIXTURES / fixture).read_text()
    for fast in (True, False):
        with pytest.raises(ManifestError) as caught:
            parse_lock(text, "sub/uv.lock", fast=fast)
        assert caught.value.message == message
        assert caught.value.path == "sub/uv.lock"
        assert caught.value.line == line


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "empty file, expected a uv.lock lockfile", None),
        ("\n  \n", "empty file, expected a uv.lock lockfile", None),
        ('requires-python = ">=3.12"\n', "missing top-level `version`, expected a uv.lock of version 1", None),
        ('requires-python = ">=3.12"\nversion = "1"\n', "unsupported uv.lock version '1'; lockgate reads version 1 "
                                                         "(any revision)", 2),
        ("version = 1.0\n", "unsupported uv.lock version 1.0; lockgate reads version 1 (any revision)", 1),
        ("version = 1\npackage = 3\n", "[[package]] must be an array, found int", None),
        ("version = 1\nmanifest = 3\n", "[manifest] must be a table, found int", None),
        ('version = 1\n[manifest]\nmembers = "app"\n', "[manifest] members must be an array, found str", None),
        ('version = 1\n[[package]]\nname = "a"\nversion = "1"\nwheels = { hash = "sha256:ab" }\n',
         "`wheels` of a must be an array", 2),
        ('version = 1\n[[package]]\nname = "a"\nversion = "1"\nwheels = [{ hash = 3 }]\n',
         "`sdist` and `wheels` of a must be tables with a string `hash` and `url`", 2),
        ('version = 1\n[[package]]\nname = "a"\nversion = "1"\ndependencies = [{ version = "1" }]\n',
         "entries of `dependencies` of a must be tables with a string `name`", 2),
        ('version = 1\n[[package]]\nname = "a"\nversion = "1"\ndependencies = [{ name = "b", extra = "x" }]\n',
         "`extra` in `dependencies` of a must be an array of strings", 2),
        ('version = 1\n[[package]]\nname = "a"\nversion = "1"\noptional-dependencies = []\n',
         "[package.optional-dependencies] of a must be a table", 2),
        ('version = 1\n[[package]]\nname = "a"\n[package.dev-dependencies]\ndev = "b"\n',
         "`dev-dependencies.dev` of a must be an array", 2),
        ("version = 1\nversion = 1\n", "not valid TOML: Cannot overwrite a value", 2),
        ("version = 1\nx = " + "[" * 3000 + "]" * 3000 + "\n", "nested more than 500 levels deep", 2),
    ],
)
def test_malformed_input(text: str, message: str, line: int | None) -> None:
    for fast in (True, False):
        with pytest.raises(ManifestError) as caught:
            parse_lock(text, "uv.lock", fast=fast)
        assert (caught.value.message, caught.value.line) == (message, line)


def test_registered_as_the_uv_lock_format() -> None:
    fmt = format_for("services/api/uv.lock")
    assert fmt is not None and fmt.name == "uv-lock"
    manifest = fmt.parse((FIXTURES / "virtual-root.lock").read_text(), "services/api/uv.lock", _no_read)
    assert [d.name for d in manifest.dependencies] == ["six"]


# ---------------------------------------------------------------------------------------------------------------
# The fast reader against tomllib


UV_WRITTEN = ["workspace.lock", "virtual-root.lock", "manifest-requirements.lock"]


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir()))
def test_fixture_same_both_ways(fixture: str) -> None:
    text = (FIXTURES / fixture).read_text()
    _assert_same_both_ways(text)
    # Every fixture is in the subset uv writes: the fast reader must take them all, not hand them to tomllib.
    assert read_fast(text) is not None


WORKSPACE = (FIXTURES / "workspace.lock").read_text()
IDNA = '\n[[package]]\nname = "idna"\nversion = "3.7"\n'

# (id, old, new, does the fast reader keep it). Each edit is applied once to workspace.lock. Edits it cannot
# read exactly must make it give up; edits it keeps must read the same as tomllib reads them.
EDITS = [
    ("escaped-quote", "\"sys_platform == 'win32'\"", '"sys_platform == \\"win32\\""', False),
    ("unicode-escape", 'name = "idna"', 'name = "\\u0069dna"', False),
    ("comment-line", IDNA, "\n# pinned for CVE-2024-3651" + IDNA, True),
    ("trailing-comment", 'version = "3.7"\n', 'version = "3.7"  # see #123 "quoted"\n', True),
    ("comment-in-array", '    { name = "iniconfig" },\n', '    # needed by pytest\n    { name = "iniconfig" },\n',
     True),
    ("no-spaces-around-equals", 'name = "idna"', 'name="idna"', False),
    ("spaces-in-header", "[package.metadata]", "[ package.metadata ]", False),
    ("literal-string", 'version = "3.7"', "version = '3.7'", False),
    ("multi-line-string", IDNA, IDNA + 'description = """\nInternationalized\n[[package]]\n"""\n', False),
    ("tab-indented-entry", '    { name = "iniconfig" },', '\t{ name = "iniconfig" },', True),
    ("dotted-key", 'source = { registry = "https://pypi.example.com/simple" }',
     'source.registry = "https://pypi.example.com/simple"', False),
    ("underscore-integer", "size = 1000", "size = 1_000", False),
    ("hex-integer", "size = 1000", "size = 0x3e8", False),
    ("float", "revision = 2", "revision = 2.5", False),
    ("datetime", 'exclude-newer = "2024-06-01T00:00:00Z"', "exclude-newer = 2024-06-01T00:00:00Z", False),
    ("other-array-of-tables", IDNA, '\n[[manifest.dependency-metadata]]\nname = "six"\n' + IDNA, False),
    ("quoted-key", 'name = "idna"', '"name" = "idna"', False),
    ("header-trailing-space", '[[package]]\nname = "idna"', '[[package]]  \nname = "idna"', False),
    ("blank-lines-with-spaces", IDNA, "\n   \n\t\n" + IDNA, True),
    ("booleans-integers-empty-tables", "# reproducible resolution\n",
     "# reproducible resolution\nflags = { strict = true, lenient = false, retries = -3, nothing = {} }\n", True),
    ("wheel-with-unknown-field", 'idna-3.7-py3-none-any.whl"', 'idna-3.7-py3-none-any.whl", yanked = true', True),
    ("upper-case-hash", "sha256:6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
     "sha256:6B86B273FF34FCE19D6B804EFF5A3F5747ADA4EAA22F1D49C01E52DDB7875B4B", True),
    ("single-line-arrays", '[package.optional-dependencies]\ncli = [\n    { name = "click" },\n]',
     '[package.optional-dependencies]\ncli = [{ name = "click" }]', True),
    ("inline-table-over-lines", 'lint = [{ name = "ruff", specifier = ">=0.4" }]',
     'lint = [{ name = "ruff", extras = [\n  "a",\n], specifier = ">=0.4" }]', True),
    ("backslash-in-comment", "# reproducible resolution", "# reproducible\\resolution", False),
    ("non-ascii", 'name = "idna"\n', 'name = "idna"\n# café ✓\n', True),
]

# Edits that make the file invalid TOML: both paths must fail with tomllib's error and line.
BREAKS = [
    ("comment-in-inline-table", '{ name = "iniconfig" }', '{ name = "iniconfig" # x\n }', 225),
    ("duplicate-key", 'version = "3.7"\n', 'version = "3.7"\nversion = "3.8"\n', 116),
    ("table-twice", "\n[package.metadata.requires-dev]\n",
     "\n[package.dev-dependencies]\nextra = []\n\n[package.metadata.requires-dev]\n", 56),
    ("newline-in-wheel-url", "idna-3.7-py3-none-any.whl", "idna-3.7-py3-none-\nany.whl", 119),
    ("newline-in-marker", "\"sys_platform == 'win32'\"", "\"sys_platform ==\n'win32'\"", 97),
    ("newline-in-sdist-url", "idna-3.7.tar.gz", "idna-3.7\n.tar.gz", 117),
    ("newline-in-source", '"https://pypi.example.com/simple" }', '"https://pypi.example.com/\nsimple" }', 260),
    ("newline-in-extra", 'extra = ["socks"]', 'extra = ["so\ncks"]', 24),
    ("trailing-comma-in-inline-table", '{ name = "iniconfig" }', '{ name = "iniconfig", }', 225),
    ("leading-zero", "size = 1000", "size = 01000", 68),
    ("control-character", 'version = "3.7"', 'version = "3.7\x01"', 115),
    ("byte-order-mark", "version = 1\n", "\ufeffversion = 1\n", 1),
    ("plain-package-table", IDNA, "\n[package]\nname = \"x\"\n" + IDNA, 113),
    ("text-after-array", "]\nsdist", "] x = 1\nsdist", 98),
    ("missing-comma", '{ name = "lib" },\n    { name = "requests"', '{ name = "lib" }\n    { name = "requests"', 24),
]


@pytest.mark.parametrize(("name", "old", "new", "kept"), EDITS, ids=[edit[0] for edit in EDITS])
def test_edits_read_the_same_both_ways(name: str, old: str, new: str, kept: bool) -> None:
    assert old in WORKSPACE
    text = WORKSPACE.replace(old, new, 1)
    assert (read_fast(text) is not None) == kept
    outcome = _assert_same_both_ways(text)
    assert isinstance(outcome, Manifest)
    assert len(outcome.dependencies) == 22


@pytest.mark.parametrize(("name", "old", "new", "line"), BREAKS, ids=[edit[0] for edit in BREAKS])
def test_broken_edits_fail_the_same_both_ways(name: str, old: str, new: str, line: int) -> None:
    assert old in WORKSPACE
    text = WORKSPACE.replace(old, new, 1)
    assert read_fast(text) is None
    outcome = _assert_same_both_ways(text)
    assert isinstance(outcome, tuple)
    assert outcome[0].startswith("uv.lock:") and "not valid TOML" in outcome[0]
    assert outcome[1] == line


def test_windows_line_endings_and_missing_final_newline() -> None:
    for text in (WORKSPACE.replace("\n", "\r\n"), WORKSPACE.rstrip("\n")):
        assert read_fast(text) is not None
        assert _assert_same_both_ways(text) == parse_lock(WORKSPACE, "uv.lock")


def test_fast_reader_projection_matches_tomllib() -> None:
    """Beyond equal Manifests: the fields the builder reads are equal in the two readers' data."""
    import tomllib

    fast_data, lines = read_fast(WORKSPACE)  # type: ignore[misc]
    slow_data = tomllib.loads(WORKSPACE)
    assert fast_data["version"] == slow_data["version"] == 1
    assert fast_data["manifest"] == slow_data["manifest"]
    assert len(fast_data["package"]) == len(slow_data["package"]) == len(lines) == 24
    for fast_package, slow_package in zip(fast_data["package"], slow_data["package"]):
        for key in ("name", "version", "source", "dependencies", "optional-dependencies", "dev-dependencies",
                    "metadata"):
            assert fast_package.get(key) == slow_package.get(key)
        assert [w.get("hash") for w in fast_package.get("wheels", [])] == [
            w.get("hash") for w in slow_package.get("wheels", [])
        ]
        assert fast_package.get("sdist", {}).get("hash") == slow_package.get("sdist", {}).get("hash")


# ---------------------------------------------------------------------------------------------------------------
# The shared corpus


def test_edge_corpus_same_both_ways() -> None:
    edge = _need_corpus() / "edge" / "uvlock"
    files = sorted(edge.iterdir())
    assert len(files) == 9
    for path in files:
        _assert_same_both_ways(path.read_text())


def test_edge_grouped_packages() -> None:
    text = (_need_corpus() / "edge" / "uvlock" / "grouped-packages.lock").read_text()
    assert read_fast(text) is not None
    manifest = parse_lock(text, "uv.lock")
    got = {d.name: (d.version, d.scope, d.direct, d.line, len(d.hashes)) for d in manifest.dependencies}
    assert got == {
        "black": ("24.10.0", "optional", True, 4, 18),
        "click": ("8.1.7", "optional", True, 38, 2),
        "colorama": ("0.4.6", "optional", False, 50, 2),
        "emoji": ("2.14.0", "prod", True, 59, 2),
        "flake8": ("7.1.1", "optional", True, 68, 2),
        "mccabe": ("0.7.0", "optional", False, 82, 2),
        "mypy-extensions": ("1.0.0", "optional", False, 91, 2),
        "packaging": ("24.2", "optional", False, 100, 2),
        "pathspec": ("0.12.1", "optional", False, 109, 2),
        "platformdirs": ("4.3.6", "optional", False, 118, 2),
        "pycodestyle": ("2.12.1", "optional", False, 127, 2),
        "pyflakes": ("3.2.0", "optional", False, 136, 2),
        "tomli": ("2.2.1", "optional", False, 145, 32),
        "typing-extensions": ("4.12.2", "optional", False, 184, 2),
    }
    assert all(d.source == PYPI for d in manifest.dependencies)


def test_edge_small_files() -> None:
    edge = _need_corpus() / "edge" / "uvlock"

    def read(name: str) -> Manifest:
        return parse_lock((edge / name).read_text(), "uv.lock")

    (emoji,) = read("one-package.lock").dependencies
    assert (emoji.name, emoji.version, emoji.scope, emoji.direct, emoji.line) == ("emoji", "2.14.0", "prod", True, 4)
    assert emoji.hashes == frozenset({
        "sha256:f68ac28915a2221667cddb3e6c589303c3c6954c6c5af6fefaec7f9bdf72fdca",
        "sha256:fcc936bf374b1aec67dda5303ae99710ba88cc9cdce2d1a71c5f2204e6d78799",
    })
    two = {d.name: (d.version, d.line, len(d.hashes), d.direct) for d in read("two-packages.lock").dependencies}
    assert two == {"emoji": ("2.14.0", 4, 2, True), "protobuf": ("4.25.5", 13, 7, True)}
    (ruff,) = read("source-git.lock").dependencies
    assert (ruff.name, ruff.version, ruff.direct, ruff.hashes) == ("ruff", "0.8.1", True, frozenset())
    assert ruff.source == Source("git", url="https://github.com/astral-sh/ruff", ref=None,
                                 commit="84748be16341b76e073d117329f7f5f4ee2941ad")
    assert read("no-dependencies.lock").dependencies == ()
    assert read("no-packages.lock").dependencies == ()


def test_edge_names_outside_package_block() -> None:
    text = (_need_corpus() / "edge" / "uvlock" / "names-outside-package-block.lock").read_text()
    assert read_fast(text) is None  # a multi-line string: tomllib's job
    manifest = parse_lock(text, "uv.lock")
    got = [(d.name, d.version, d.line, d.source, d.scope, d.direct) for d in manifest.dependencies]
    # No workspace member: nothing to tell direct from transitive, so every package is direct and prod.
    assert got == [
        ("first-pkg", "1.0.0", 3, Source(), "prod", True),
        ("second-pkg", "2.0.0", 15, Source(), "prod", True),
    ]


@pytest.mark.parametrize(
    ("name", "message", "line"),
    [
        ("empty.lock", "empty file, expected a uv.lock lockfile", None),
        ("not-toml.txt", "not valid TOML: Expected '=' after a key in a key/value pair", 1),
    ],
)
def test_edge_broken_files(name: str, message: str, line: int | None) -> None:
    text = (_need_corpus() / "edge" / "uvlock" / name).read_text()
    for fast in (True, False):
        with pytest.raises(ManifestError) as caught:
            parse_lock(text, "uv.lock", fast=fast)
        assert (caught.value.message, caught.value.line, caught.value.path) == (message, line, "uv.lock")


def test_real_pydantic_ai_lock() -> None:
    text = (_need_corpus() / "real" / "pydantic-pydantic-ai" / "uv.lock").read_text()
    assert read_fast(text) is not None  # the point of the fast reader: a real, large lock stays on it
    manifest = _assert_same_both_ways(text)
    assert isinstance(manifest, Manifest)
    # 347 packages, of which six are the workspace's own members.
    assert len(manifest.dependencies) == 341
    names = {d.name for d in manifest.dependencies}
    assert not names & {"clai", "pydantic-ai", "pydantic-ai-examples", "pydantic-ai-slim", "pydantic-evals",
                        "pydantic-graph"}
    deps = _by_key(manifest)
    assert sum(len(d.hashes) for d in manifest.dependencies) == 4145
    pydantic = deps[("pydantic", "2.13.4")]
    assert (pydantic.scope, pydantic.direct, pydantic.line, pydantic.source) == ("prod", True, 5208, PYPI)
    assert (deps[("pytest", "9.1.1")].scope, deps[("pytest", "9.1.1")].direct) == ("dev", True)
    assert (deps[("ruff", "0.15.19")].scope, len(deps[("ruff", "0.15.19")].hashes)) == ("dev", 18)
    assert (deps[("torch", "2.13.0")].scope, deps[("torch", "2.13.0")].direct) == ("optional", False)
    assert (deps[("tomli", "2.3.0")].scope, deps[("tomli", "2.3.0")].direct) == ("prod", False)
    strict = deps[("strict-no-cover", "0.1.1")]
    assert (strict.scope, strict.direct, strict.hashes) == ("dev", True, frozenset())
    assert strict.source == Source(
        "git",
        url="https://github.com/pydantic/strict-no-cover.git",
        ref="7fc59da2c4dff919db2095a0f0e47101b657131d",
        commit="7fc59da2c4dff919db2095a0f0e47101b657131d",
    )
    # Two versions of one name: edges that state version and source reach the right one.
    assert {v for (n, v) in deps if n == "mcp"} == {"1.28.1", "2.0.0"}
    assert (deps[("numpy", "2.5.0")].direct, deps[("numpy", "2.2.6")].direct) == (True, False)
    ag_ui = deps[("ag-ui-protocol", "0.1.19")]
    assert ag_ui.hashes == frozenset({
        "sha256:43c27f60d41712dcad0e9e0a203cbdf1c8e248b22417374c5c68321c448af4ea",
        "sha256:898843b1410d378824da0c6a776486288b9c5828689d0bf563118868e37f390f",
    })
    assert ag_ui.line == 75
    scopes = [d.scope for d in manifest.dependencies]
    assert (scopes.count("prod"), scopes.count("optional"), scopes.count("dev")) == (177, 129, 35)
    assert sum(d.direct for d in manifest.dependencies) == 88


def test_real_lock_with_a_few_packages_changed() -> None:
    """The diff case: base and head differ in a few packages; each parses on the fast path to the same result
    as tomllib, and the change shows up."""
    text = (_need_corpus() / "real" / "pydantic-pydantic-ai" / "uv.lock").read_text()
    head = text.replace('name = "pydantic"\nversion = "2.13.4"', 'name = "pydantic"\nversion = "2.13.5"', 1)
    assert head != text
    assert read_fast(head) is not None
    manifest = _assert_same_both_ways(head)
    assert isinstance(manifest, Manifest)
    assert ("pydantic", "2.13.5") in _by_key(manifest)
