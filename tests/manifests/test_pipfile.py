"""Pipfile: Pipenv's declared packages, their sources, and the sources as registry settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import FORMATS_BY_NAME, format_for
from checker.manifests.pipfile import parse
from checker.model import DEFAULT_SOURCE, IndexOption, Manifest, Source

FIXTURES = Path(__file__).parent / "fixtures" / "pipfile"

SOURCES = '''[[source]]
name = "pypi"
url = "https://pypi.org/simple"
verify_ssl = true

[[source]]
name = "internal"
url = "https://user:s3cret@pkgs.example.com/simple"
verify_ssl = false
'''


def _parse(text: str) -> Manifest:
    return parse(text, "Pipfile", lambda path: None)


def _one(manifest: Manifest, name: str):  # type: ignore[no-untyped-def]
    found = [d for d in manifest.dependencies if d.name == name]
    assert len(found) == 1, manifest.dependencies
    return found[0]


def test_format() -> None:
    assert format_for("app/Pipfile") is FORMATS_BY_NAME["pipfile"]
    assert format_for("Pipfile.lock") is FORMATS_BY_NAME["pipfile-lock"]


def test_pipenv_own_pipfile() -> None:
    manifest = parse((FIXTURES / "pipenv-Pipfile").read_text(), "Pipfile", lambda path: None)
    assert (manifest.format, manifest.kind, manifest.problems) == ("pipfile", "declared", ())
    assert [(d.name, d.specifier, d.scope, d.line) for d in manifest.dependencies][:2] == [
        ("pipenv", "", "dev", 3), ("flake8", ">=3.3.0,<4", "dev", 4)]
    pipenv = _one(manifest, "pipenv")
    assert (pipenv.source, pipenv.editable) == (Source(kind="path", url="."), True)
    assert _one(manifest, "stdeb").markers == "sys_platform == 'linux'"


def test_categories_versions_and_sources() -> None:
    manifest = _parse(
        SOURCES
        + "[packages]\n"
        + 'requests = "==2.31.0"\n'
        + 'flask = {version = ">=2", extras = ["async"], markers = "python_version >= \'3.8\'"}\n'
        + 'private = {version = "*", index = "internal"}\n'
        + 'mylib = {git = "https://github.com/acme/mylib.git", ref = "main"}\n'
        + 'pinned = {git = "https://github.com/acme/p.git", ref = "' + "a" * 40 + '"}\n'
        + 'wheel = {file = "https://example.com/w-1.0-py3-none-any.whl"}\n'
        + "[dev-packages]\n"
        + 'pytest = "*"\n'
        + "[docs]\n"
        + 'sphinx = "~=7.0"\n'
        + "[pipenv]\n"
        + "install_search_all_sources = true\n"
    )
    assert manifest.problems == ()
    requests = _one(manifest, "requests")
    assert (requests.version, requests.specifier, requests.scope, requests.source) == ("2.31.0", "==2.31.0", "prod",
                                                                                        DEFAULT_SOURCE)
    assert _one(manifest, "flask").markers == "python_version >= '3.8'"
    assert _one(manifest, "private").source == Source(kind="registry", url="https://user:s3cret@pkgs.example.com/simple")
    assert _one(manifest, "mylib").source == Source(kind="git", url="https://github.com/acme/mylib.git", ref="main")
    assert _one(manifest, "pinned").version == "a" * 40
    assert _one(manifest, "wheel").source.kind == "url"
    assert (_one(manifest, "pytest").scope, _one(manifest, "sphinx").scope) == ("dev", "dev")
    settings = [(d.name, d.version, d.line) for d in manifest.dependencies if d.ecosystem == "config"]
    assert settings == [
        ("pipenv.source.pypi", "https://pypi.org/simple", 3),
        ("pipenv.source.pypi.verify_ssl", "true", 3),
        ("pipenv.source.internal", "https://pkgs.example.com/simple", 8),  # the credential is never shown
        ("pipenv.source.internal.verify_ssl", "false", 8),
        ("pipenv.install_search_all_sources", "true", 22),
    ]
    assert manifest.indexes == (
        IndexOption("index", "https://pypi.org/simple", 3),
        IndexOption("index", "https://user:s3cret@pkgs.example.com/simple", 8),
        IndexOption("trusted-host", "pkgs.example.com", 8),
    )


def test_the_first_source_is_every_package_s_index() -> None:
    manifest = _parse('[[source]]\nname = "mirror"\nurl = "http://mirror.example/simple"\n[packages]\nrequests = "*"\n')
    assert _one(manifest, "requests").source == Source(kind="registry", url="http://mirror.example/simple")


def test_a_source_without_a_name_is_named_by_its_url() -> None:
    # Pipenv's first Pipfiles (psf/requests, 2017: found by benchmarks/replay.py) wrote no source name.
    manifest = _parse('[[source]]\nurl = "https://pypi.org/"\nverify_ssl = true\n[dev-packages]\npytest = "*"\n')
    assert manifest.problems == ()
    assert _one(manifest, "pytest").source == Source(kind="registry", url="https://pypi.org/")
    assert [(d.name, d.version) for d in manifest.dependencies if d.ecosystem == "config"] == [
        ("pipenv.source.https://pypi.org/", "https://pypi.org/"),
        ("pipenv.source.https://pypi.org/.verify_ssl", "true"),
    ]
    for broken in ('[[source]]\nname = "pypi"\n', '[[source]]\nname = 3\nurl = "https://pypi.org/"\n'):
        assert [p.message for p in _parse(broken).problems] == [
            "each [[source]] needs a url (and, when it has one, a name) as strings"]


def test_an_editable_key_of_pipenv_s_first_pipfiles_is_a_path_dependency() -> None:
    # psf/requests, 2017 (found by benchmarks/replay.py): `"-e ." = {extras = ["socks"]}`, as pipfile-spec 3
    # lockfiles key it too (tests/manifests/test_pipfile_lock.py).
    manifest = _parse('[packages]\n"-e ." = {extras = ["socks"]}\n')
    assert manifest.problems == ()
    dependency = _one(manifest, ".")
    assert (dependency.source, dependency.editable, dependency.version, dependency.line) == (
        Source(kind="path", url="."), True, None, 2)
    assert [p.message for p in _parse('[packages]\n"-e  " = "*"\n').problems] == [
        "[packages] -e  : names no path to install"]


def test_an_index_that_names_no_source_is_a_problem_and_the_package_still_counts() -> None:
    manifest = _parse(SOURCES + '[packages]\nevil = {version = "*", index = "evil"}\n')
    assert _one(manifest, "evil").line == 11
    assert [(p.line, p.message) for p in manifest.problems] == [
        (11, "[packages] evil: index 'evil' names no [[source]] (sources: internal, pypi)")]


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ("bad = 3", "expected a version string or a table, found int"),
        ('bad = "not a version"', "'not a version' is not a version specifier"),
        ("bad = {version = 3}", "version must be a string"),
        ("bad = {version = \"*\", markers = 3}", "markers must be a string"),
    ],
)
def test_an_entry_lockgate_cannot_read_is_a_problem(entry: str, says: str) -> None:
    manifest = _parse(f'[packages]\nok = "*"\n{entry}\n')
    assert "ok" in [d.name for d in manifest.dependencies]
    assert [(p.line, says in p.message) for p in manifest.problems] == [(3, True)], manifest.problems


def test_not_toml_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        _parse("[packages]\nrequests = \n")
    assert (caught.value.path, caught.value.line) == ("Pipfile", 2)


def test_lines_of_many_packages_are_found_in_one_pass() -> None:
    text = "[packages]\n" + "".join(f'p{i} = "*"\n' for i in range(20_000)) + '[packages.last]\nversion = "*"\n'
    manifest = _parse(text)
    assert [(d.name, d.line) for d in manifest.dependencies[-2:]] == [("p19999", 20_001), ("last", 20_002)]
