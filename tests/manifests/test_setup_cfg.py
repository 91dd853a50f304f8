"""setup.cfg: setuptools' declarative dependencies read as setuptools reads them, and tox's sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import FORMATS_BY_NAME, format_for
from checker.manifests.setup_cfg import includes, parse
from checker.model import IndexOption, Manifest

FIXTURES = Path(__file__).parent / "fixtures" / "setup_cfg"


def _parse(text: str, files: dict[str, str] | None = None, path: str = "setup.cfg") -> Manifest:
    return parse(text, path, (files or {}).get)


def _deps(manifest: Manifest) -> list[tuple[str, str, str, int | None]]:
    return [(d.name, d.specifier, d.scope, d.line) for d in manifest.dependencies]


def test_format() -> None:
    fmt = format_for("pkg/setup.cfg")
    assert fmt is FORMATS_BY_NAME["setup-cfg"] and fmt.includes


def test_cryptography() -> None:
    manifest = parse((FIXTURES / "cryptography-setup.cfg").read_text(), "setup.cfg", lambda p: None)
    assert (manifest.format, manifest.kind, manifest.problems) == ("setup-cfg", "declared", ())
    deps = _deps(manifest)
    assert deps[0] == ("cffi", ">=1.12", "prod", 49)
    assert ("pytest", ">=6.2.0", "optional", 61) in deps
    assert ("pytest-subtests", "", "optional", 66) in deps  # the comment line above it is skipped
    assert ("pytest-randomly", "", "optional", 71) in deps  # "test-randomorder:" uses ':' as the delimiter
    assert len(deps) == 22


def test_pytest() -> None:
    manifest = parse((FIXTURES / "pytest-setup.cfg").read_text(), "setup.cfg", lambda p: None)
    assert manifest.problems == ()
    assert ("pluggy", "<2.0,>=1.4.0", "prod", 8) in _deps(manifest)
    assert ("setuptools-scm", ">=6.0", "build", 17) in _deps(manifest)
    assert [d.markers for d in manifest.dependencies if d.name == "colorama"] == ['sys_platform == "win32"']


def test_lists_scopes_and_settings() -> None:
    manifest = _parse(
        "[options]\n"
        "install_requires =\n"
        "    requests>=2\n"
        "    # a comment\n"
        "\n"
        "    idna; python_version<'3.8'\n"
        "setup_requires = setuptools_scm; wheel\n"
        "tests_require = pytest\n"
        "dependency_links = https://example.org/a, http://example.org/b\n"
        "[options.extras_require]\n"
        "socks = PySocks>=1.5\n"
        "win:sys_platform=='win32' =\n"  # configparser splits at the first ':'; setuptools sees the same
        "[easy_install]\n"
        "index_url = https://mirror.example/simple\n"
        "find_links = https://example.org/x https://example.org/y\n"
    )
    assert [dep for dep in _deps(manifest) if not dep[0].startswith("setuptools.")] == [
        ("requests", ">=2", "prod", 3), ("idna", "", "prod", 6), ("setuptools-scm", "", "build", 7),
        ("wheel", "", "build", 7), ("pytest", "", "dev", 8), ("pysocks", ">=1.5", "optional", 11),
    ]
    settings = [(d.name, d.version, d.line) for d in manifest.dependencies if d.ecosystem == "config"]
    assert settings == [
        ("setuptools.dependency_links", "https://example.org/a", 9),
        ("setuptools.dependency_links", "http://example.org/b", 9),
        ("setuptools.easy_install.index_url", "https://mirror.example/simple", 14),
        ("setuptools.easy_install.find_links", "https://example.org/x", 15),
        ("setuptools.easy_install.find_links", "https://example.org/y", 15),
    ]
    assert IndexOption("index-url", "https://mirror.example/simple", 14) in manifest.indexes
    assert IndexOption("find-links", "http://example.org/b", 9) in manifest.indexes


def test_file_directives_are_read_through_the_snapshot_and_listed_as_includes() -> None:
    text = "[options]\ninstall_requires = file: requirements.in, extra.txt\n[options.extras_require]\ntest = file: test.txt\n"
    files = {"pkg/requirements.in": "requests\n# comment\nflask>=2  # web\n", "pkg/extra.txt": "click", "pkg/test.txt": "pytest"}
    manifest = _parse(text, files, "pkg/setup.cfg")
    assert _deps(manifest) == [
        ("requests", "", "prod", 2), ("flask", ">=2", "prod", 2), ("click", "", "prod", 2), ("pytest", "", "optional", 4)
    ]
    assert manifest.includes == ("pkg/requirements.in", "pkg/extra.txt", "pkg/test.txt")
    assert includes(text, "pkg/setup.cfg") == [("pkg/requirements.in", 2), ("pkg/extra.txt", 2), ("pkg/test.txt", 4)]


def test_a_file_directive_that_is_missing_or_leaves_the_folder_is_a_problem() -> None:
    manifest = _parse("[options]\ninstall_requires = file: ../up.txt, missing.txt\n", {"../up.txt": "evil"})
    assert manifest.dependencies == ()
    assert [(p.line, p.message) for p in manifest.problems] == [
        (2, "install_requires: file: ../up.txt is outside this file's folder (setuptools refuses it)"),
        (2, "install_requires: file: missing.txt is not in the repository (setuptools would skip it, or read it if "
            "made at build time)"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[options]\nInstall-Requires = evil\n",  # setuptools normalises dashes and case in its own sections
        "[options]\nINSTALL_REQUIRES = evil\n",
        "[DEFAULT]\ninstall_requires = evil\n[options]\npackages = find:\n",  # DEFAULT options are in every section
        "[options]\ndeps = evil\ninstall_requires = %(deps)s\n",  # setuptools interpolates
        "[DEFAULT]\ndeps = evil\n[options]\ninstall_requires =\n    requests\n    %(deps)s\n",
        "[options]\ninstall_requires : evil\n",
        "[options]\ninstall_requires = requests; evil\n",  # one line: split at ';' as setuptools splits it
        "[options.extras_require]\nall = evil\n",
        "[options]\ninstall_requires = file: reqs.txt\n",
        "[options]\ninstall_requires = %(f)s\nf = file: reqs.txt\n",
        "[tox:tox]\n[testenv]\ndeps = evil\n",
    ],
)
def test_attacker_spellings_are_read(text: str) -> None:
    manifest = _parse(text, {"reqs.txt": "evil\n"})
    assert "evil" in [d.name for d in manifest.dependencies], (manifest.dependencies, manifest.problems)


def test_tox_sections_are_read_only_with_a_tox_tox_section() -> None:
    assert _parse("[testenv]\ndeps = pytest\n").dependencies == ()
    manifest = _parse("[tox:tox]\nrequires = tox-uv\n[testenv]\ndeps = pytest\n")
    assert [(d.name, d.scope) for d in manifest.dependencies] == [("pytest", "dev"), ("tox-uv", "build")]


def test_interpolation_that_fails_or_explodes_is_a_problem() -> None:
    manifest = _parse("[options]\ninstall_requires = 100%%-sure\nsetup_requires = %(missing)s\n")
    assert [p.line for p in manifest.problems] == [2, 3]  # '100%-sure' is read (%% is a %) and is no requirement
    assert "setup_requires" in manifest.problems[1].message
    bomb = "[options]\na0 = " + "x" * 4000 + "\n" + "".join(f"a{i} = %(a{i - 1})s%(a{i - 1})s\n" for i in range(1, 10))
    manifest = _parse(bomb + "install_requires = %(a9)s\n")
    assert "larger than 1000000 characters" in manifest.problems[0].message


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("install_requires = x\n", 1, "not an INI file"),
        ("[options]\na = 1\na = 2\n", 3, "a is written twice in [options]"),
        ("[options]\n[options]\n", 2, "section [options] is written twice"),
        ("[options]\nnot an option\n", 2, "not an INI file"),
    ],
)
def test_bad_input_is_an_error_with_its_line(text: str, line: int, says: str) -> None:
    with pytest.raises(ManifestError) as caught:
        _parse(text)
    assert (caught.value.path, caught.value.line) == ("setup.cfg", line)
    assert says in caught.value.message


def test_a_hostile_interpolation_line_is_read_in_linear_time() -> None:
    """``%(%(%(...`` without a closing parenthesis: one pass, not one scan to the end per ``%(``."""
    manifest = _parse("[options]\ninstall_requires = " + "%(" * 500_000 + "\n")
    assert manifest.dependencies == ()
    assert "install_requires" in manifest.problems[0].message
