"""Pipfile.lock: categories, sources, git/path/file entries, direct flags from the Pipfile, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.pipfile_lock import parse
from checker.model import DEFAULT_SOURCE, Dependency, IndexOption, Manifest, Source
from tests.conftest import corpus_dir

FIXTURES = Path(__file__).parent / "fixtures" / "pipfile_lock"
MARKUPSAFE_FIRST = "sha256:0212a68688482dc52b2d45013df70d169f542b7394fc744c02a57374a4207003"
ITSDANGEROUS = frozenset(
    {
        "sha256:2c2349112351b88699d8d4b6b075022c0808887cb7ad10069318a8b0bc88db44",
        "sha256:5dbbc68b317e5e42f327f9021763545dc3fc3bfe22e6deb96aaf1fc38874156a",
    }
)


def _corpus() -> Path | None:
    return corpus_dir()


def _no_files(path: str) -> str | None:
    return None


def _edge(name: str) -> Manifest:
    corpus = _corpus()
    if corpus is None:
        pytest.skip("the shared corpus is not available")
    text = (corpus / "edge" / "pipfilelock" / name).read_text(encoding="utf-8")
    return parse(text, "Pipfile.lock", _no_files)


def _edge_error(name: str) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        _edge(name)
    assert info.value.path == "Pipfile.lock"
    return info.value


def _project(pipfile: bool = True) -> Manifest:
    """The fixture project, read as if it lived in ``svc/``."""

    def read(path: str) -> str | None:
        assert path == "svc/Pipfile"
        return (FIXTURES / "project" / "Pipfile").read_text(encoding="utf-8") if pipfile else None

    text = (FIXTURES / "project" / "Pipfile.lock").read_text(encoding="utf-8")
    return parse(text, "svc/Pipfile.lock", read)


def _fixture_error(name: str) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        parse((FIXTURES / name).read_text(encoding="utf-8"), "Pipfile.lock", _no_files)
    assert info.value.path == "Pipfile.lock"
    return info.value


def _get(manifest: Manifest, name: str, scope: str) -> Dependency:
    found = [d for d in manifest.dependencies if d.name == name and d.scope == scope]
    assert len(found) == 1
    return found[0]


# --- osv-scalibr edge cases ------------------------------------------------------------------------------------


def test_edge_one_package() -> None:
    manifest = _edge("one-package.json")
    assert manifest.format == "pipfile-lock" and manifest.kind == "lock"
    (dep,) = manifest.dependencies
    assert (dep.name, dep.version, dep.specifier, dep.scope, dep.line) == ("markupsafe", "2.1.1", "==2.1.1", "prod", 19)
    assert len(dep.hashes) == 40 and MARKUPSAFE_FIRST in dep.hashes
    assert dep.markers == "python_version >= '3.7'"
    assert dep.direct and dep.source == DEFAULT_SOURCE and dep.manifest == "Pipfile.lock"
    assert manifest.indexes == (IndexOption("index", "https://pypi.org/simple", 13),)


def test_edge_one_package_dev() -> None:
    (dep,) = _edge("one-package-dev.json").dependencies
    assert (dep.name, dep.version, dep.scope, dep.line) == ("markupsafe", "2.1.1", "dev", 20)


def test_edge_two_packages() -> None:
    manifest = _edge("two-packages.json")
    assert [(d.name, d.version, d.scope, d.line) for d in manifest.dependencies] == [
        ("itsdangerous", "2.1.2", "prod", 19),
        ("markupsafe", "2.1.1", "dev", 29),
    ]
    assert manifest.dependencies[0].hashes == ITSDANGEROUS


def test_edge_two_packages_alt() -> None:
    manifest = _edge("two-packages-alt.json")
    assert [(d.name, d.version, d.scope, d.line) for d in manifest.dependencies] == [
        ("itsdangerous", "2.1.2", "prod", 19),
        ("markupsafe", "2.1.1", "prod", 27),
    ]


def test_edge_multiple_packages_same_name_in_both_categories() -> None:
    manifest = _edge("multiple-packages.json")
    assert [(d.name, d.version, d.scope, d.line, len(d.hashes)) for d in manifest.dependencies] == [
        ("itsdangerous", "2.1.2", "prod", 19, 2),
        ("pluggy", "1.0.1", "prod", 27, 0),
        ("markupsafe", "2.1.1", "prod", 32, 40),
        ("itsdangerous", "2.1.2", "dev", 80, 2),
        ("pluggy", "1.0.0", "dev", 88, 2),
    ]
    # "index": "pypi" names PyPI, the default registry
    assert manifest.dependencies[0].source == DEFAULT_SOURCE


def test_edge_minified() -> None:
    (dep,) = _edge("minified.json").dependencies
    assert (dep.name, dep.version, dep.line, dep.hashes) == ("markupsafe", "2.1.1", 1, frozenset({MARKUPSAFE_FIRST}))


def test_edge_git_entries_without_version() -> None:
    manifest = _edge("no-version.json")
    first, second = manifest.dependencies
    assert (first.name, first.scope, first.line, first.editable) == ("markupsafe", "prod", 19, True)
    assert first.specifier == ""
    assert first.version == "b36054111bc1e8bbadb5d0d60158feb72926f467"
    assert first.source == Source(
        kind="git",
        url="https://github.com/pallets/markupsafe",
        ref="b36054111bc1e8bbadb5d0d60158feb72926f467",
        commit="b36054111bc1e8bbadb5d0d60158feb72926f467",
    )
    assert (second.name, second.scope, second.line) == ("itsdangerous", "dev", 26)
    assert second.source.commit == "de09cad488a4d7c7bbcbcdb8e1c2dfde64325f48"


def test_edge_empty_lock_has_no_packages() -> None:
    manifest = _edge("empty.json")
    assert manifest.dependencies == ()
    assert manifest.indexes == (IndexOption("index", "https://pypi.org/simple", 13),)


def test_edge_empty_file() -> None:
    error = _edge_error("empty-file")
    assert error.line is None and "empty file, expected a Pipfile.lock" in error.message


def test_edge_not_json() -> None:
    error = _edge_error("not-json.txt")
    assert error.line == 1 and error.message.startswith("not valid JSON")


# --- the real pipenv lockfile ----------------------------------------------------------------------------------


def test_real_pipenv_lock() -> None:
    corpus = _corpus()
    if corpus is None:
        pytest.skip("the shared corpus is not available")
    text = (corpus / "real" / "pypa-pipenv" / "Pipfile.lock").read_text(encoding="utf-8")
    manifest = parse(text, "Pipfile.lock", _no_files)
    deps = manifest.dependencies
    assert len(deps) == 110
    assert sum(d.scope == "prod" for d in deps) == 10 and sum(d.scope == "dev" for d in deps) == 100
    first = deps[0]
    assert (first.name, first.version, first.line, first.markers) == (
        "exceptiongroup",
        "1.3.1",
        17,
        "python_version >= '3.7'",
    )
    assert first.hashes == frozenset(
        {
            "sha256:8b412432c6055b0b7d14c310000ae93352ed6754f70fa8f7c34141f91c4e3219",
            "sha256:a7a39a3bd276781e98394987d3a5701d0c4edffb633bb7a5144577f82c773598",
        }
    )
    pytest_dep = _get(manifest, "pytest", "prod")
    assert (pytest_dep.version, pytest_dep.line) == ("9.0.3", 57)
    alabaster = _get(manifest, "alabaster", "dev")
    assert (alabaster.version, alabaster.line) == ("1.0.0", 145)
    assert alabaster.markers == "('dev' in dependency_groups) and (python_version >= '3.10')"
    coverage = _get(manifest, "coverage", "dev")
    assert coverage.version == "7.13.5" and len(coverage.hashes) == 106
    assert all(d.direct and d.source == DEFAULT_SOURCE and d.hashes for d in deps)
    assert manifest.indexes == (IndexOption("index", "https://pypi.org/simple", 11),)


# --- the fixture project: sources, non-registry entries, Pipfile --------------------------------------------------


def test_project_sources_and_trusted_host() -> None:
    assert _project().indexes == (
        IndexOption("index", "https://pypi.org/simple", 13),
        IndexOption("index", "http://pypi.internal.example:8080/simple", 18),
        IndexOption("trusted-host", "pypi.internal.example", 18),
    )


def test_project_registry_entries() -> None:
    manifest = _project()
    django = _get(manifest, "django", "prod")
    assert (django.version, django.line, django.markers) == ("5.0.4", 24, "python_version >= '3.10'")
    # hashes are lower-cased, so the two spellings of one digest do not count twice
    assert django.hashes == frozenset(
        {
            "sha256:aaaa000000000000000000000000000000000000000000000000000000000001",
            "sha256:aaaa000000000000000000000000000000000000000000000000000000000002",
        }
    )
    assert django.source == DEFAULT_SOURCE
    corp = _get(manifest, "corp-utils", "prod")
    assert corp.source == Source(kind="registry", url="http://pypi.internal.example:8080/simple")


def test_project_git_path_and_file_entries() -> None:
    manifest = _project()
    sha = "0123456789abcdef0123456789abcdef01234567"
    mytool = _get(manifest, "mytool", "prod")
    assert mytool.source == Source(kind="git", url="https://github.com/acme/mytool.git", ref=sha, commit=sha)
    assert (mytool.version, mytool.editable, mytool.hashes) == (sha, True, frozenset())
    tagged = _get(manifest, "tagged", "prod")
    assert tagged.source == Source(kind="git", url="https://github.com/acme/tagged.git", ref="v1.0")
    assert tagged.version is None
    local = _get(manifest, "localpkg", "prod")
    assert (local.source, local.editable, local.version) == (Source(kind="path", url="./libs/localpkg"), True, None)
    remote = _get(manifest, "remote-wheel", "prod")
    assert remote.source == Source(kind="url", url="https://files.example.com/remote_wheel-1.0-py3-none-any.whl")


def test_project_direct_flags_from_pipfile() -> None:
    manifest = _project()
    direct = {(d.name, d.scope): d.direct for d in manifest.dependencies}
    assert direct == {
        ("django", "prod"): True,
        ("corp-utils", "prod"): True,  # Corp_Utils in the Pipfile: names are compared canonically
        ("requests", "prod"): True,
        ("sqlparse", "prod"): False,
        ("mytool", "prod"): True,
        ("tagged", "prod"): True,
        ("localpkg", "prod"): True,
        ("remote-wheel", "prod"): True,
        ("pytest", "dev"): True,
        ("iniconfig", "dev"): False,
        ("requests", "dev"): False,  # direct in [packages], but not in [dev-packages]
        ("sphinx", "dev"): True,  # the custom "docs" category
    }
    assert [d.line for d in manifest.dependencies] == [24, 33, 40, 49, 55, 60, 64, 68, 73, 79, 83, 91]


def test_project_without_pipfile_counts_everything_direct() -> None:
    assert all(d.direct for d in _project(pipfile=False).dependencies)


def test_broken_pipfile_is_reported_against_the_pipfile() -> None:
    text = (FIXTURES / "project" / "Pipfile.lock").read_text(encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        parse(text, "Pipfile.lock", lambda path: "[packages\n")
    assert info.value.path == "Pipfile" and info.value.line == 1


def test_registry_knows_pipfile_lock() -> None:
    fmt = format_for("app/Pipfile.lock")
    assert fmt is not None and fmt.name == "pipfile-lock"


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("null.json", 1, "expected a Pipfile.lock JSON object at the top level, found null"),
        ("array.json", 1, "found array"),
        ("truncated.json", 4, "not valid JSON"),
        ("spec7.json", 3, "unsupported pipfile-spec 7 (lockgate reads 1 to 6)"),
        ("unrelated.json", 1, 'neither "_meta" nor "default" / "develop"'),
        ("default_not_object.json", 12, '"default" must be an object, found array'),
        ("entry_not_object.json", 14, "\"develop\" package 'pytest' must be an object, found string"),
        ("unknown_index.json", 13, "unknown index 'mirror' (sources: pypi)"),
        ("bad_hash.json", 13, "'nothex' is not a hash"),
        ("version_not_string.json", 13, "version must be a string, found number"),
    ],
)
def test_bad_input(name: str, line: int, words: str) -> None:
    error = _fixture_error(name)
    assert error.line == line
    assert words in error.message


# --- duplicate keys: one strict JSON loader for every JSON lockfile (checker/manifests/json_strict.py) -------------

_DUPLICATED = """{
    "_meta": {
        "pipfile-spec": 6,
        "sources": [
            {"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true},
            {"name": "attacker", "url": "https://pypi.attacker.example/simple", "verify_ssl": true}
        ]
    },
    "default": {
        "requests": {
            "hashes": ["sha256:%s"],
            "index": "pypi",
            "version": "==2.32.3",
            %s
        }
    }
}
""" % ("a" * 64, "%s")


@pytest.mark.parametrize(("hidden", "key"), [
    ('"hashes": ["sha256:%s"]' % ("b" * 64), "hashes"),  # a second hash list: Pipenv would install against it
    ('"index": "attacker"', "index"),  # a second index: the package would come from elsewhere
    ('"version": "==2.31.0"', "version"),
])
def test_a_key_written_twice_is_an_error_naming_the_key_and_its_line(hidden: str, key: str) -> None:
    text = _DUPLICATED % hidden
    with pytest.raises(ManifestError) as caught:
        parse(text, "Pipfile.lock", _no_files)
    assert str(caught.value) == f"Pipfile.lock:14: duplicate key {key!r}: Pipenv would silently keep the last one"


def test_a_duplicate_anywhere_is_found_even_in_meta_and_minified() -> None:
    meta = '{"_meta": {"pipfile-spec": 6, "sources": [], "pipfile-spec": 6}, "default": {}}'
    with pytest.raises(ManifestError) as caught:
        parse(meta, "Pipfile.lock", _no_files)
    assert (caught.value.line, caught.value.message) == (
        1, "duplicate key 'pipfile-spec': Pipenv would silently keep the last one")
    categories = '{\n"_meta": {"pipfile-spec": 6},\n"default": {},\n"develop": {},\n"default": {}\n}'
    with pytest.raises(ManifestError) as caught:
        parse(categories, "Pipfile.lock", _no_files)
    assert (caught.value.line, caught.value.message) == (5, "duplicate key 'default': Pipenv would silently keep the last one")


def test_the_same_key_in_different_objects_is_no_duplicate() -> None:
    text = _DUPLICATED % '"markers": "python_version >= \'3.8\'"'
    manifest = parse(text.replace('"default": {', '"develop": {"index": {"version": "==1.0"}},\n    "default": {'),
                     "Pipfile.lock", _no_files)
    assert sorted((d.name, d.version, d.scope) for d in manifest.dependencies) == [
        ("index", "1.0", "dev"), ("requests", "2.32.3", "prod")]


def test_npm_and_pipenv_share_the_loader_and_name_their_reader() -> None:
    from checker.manifests import json_strict, npm_common

    assert npm_common.duplicate_key_line is json_strict.duplicate_key_line  # re-exported for the npm parsers
    with pytest.raises(ManifestError) as caught:
        npm_common.load_json('{"name": "a",\n "name": "b"}', "package.json", "a package.json")
    assert str(caught.value) == "package.json:2: duplicate key 'name': npm would silently keep the last one"
    with pytest.raises(ManifestError) as caught:
        parse('{"_meta": {"pipfile-spec": 6}, "default": {', "Pipfile.lock", _no_files)
    assert caught.value.message == ("not valid JSON: Expecting property name enclosed in double quotes "
                                    "(the file ends early: truncated?)")


# --- older pipfile-specs: the same format in substance (real: psf/requests, fixtures' SOURCES.md) ------------------


def _rows(manifest: Manifest) -> list[tuple]:
    return [(d.name, d.version, d.scope, d.source.kind, d.editable, len(d.hashes), d.line)
            for d in manifest.dependencies]


@pytest.mark.parametrize("spec", [1, 2, 3, 4, 5])
def test_older_specs_read_like_six(spec: int) -> None:
    text = (FIXTURES / "spec3.json").read_text().replace('"pipfile-spec": 3', f'"pipfile-spec": {spec}')
    manifest = parse(text, "Pipfile.lock", lambda path: None)
    assert _rows(manifest) == [
        (".", None, "prod", "path", True, 0, 21),  # pipenv 8 keyed the project's editable install "-e ."
        ("certifi", "2017.7.27.1", "prod", "registry", False, 2, 26),
        ("alabaster", "0.7.10", "dev", "registry", False, 2, 35),
    ]
    assert [(i.kind, i.value) for i in manifest.indexes] == [("index", "https://pypi.python.org/simple")]


def test_a_lockfile_from_before_pipfile_spec_with_one_hash_per_package() -> None:
    manifest = parse((FIXTURES / "pre-spec-hash.json").read_text(), "Pipfile.lock", lambda path: None)
    assert _rows(manifest) == [("snowballstemmer", "1.2.1", "dev", "registry", False, 1, 4),
                               ("werkzeug", "0.11.15", "dev", "registry", False, 1, 8)]
    assert manifest.dependencies[0].hashes == {
        "sha256:9f3bcd3c401c3e862ec0ebe6d2c069ebc012ce142cce209c098ccb5b09136e89"}


def test_meta_without_pipfile_spec_is_read() -> None:
    manifest = parse((FIXTURES / "no_spec.json").read_text(), "Pipfile.lock", lambda path: None)
    assert manifest.dependencies == ()


def test_an_editable_key_without_a_path_is_an_error() -> None:
    text = '{"_meta": {"pipfile-spec": 3}, "default": {"-e ": {}}}'
    with pytest.raises(ManifestError) as caught:
        parse(text, "Pipfile.lock", lambda path: None)
    assert "'-e '" in caught.value.message and caught.value.line == 1


def test_the_first_lockfiles_wrote_a_package_as_its_pipfile_line() -> None:
    text = ('{\n    "default": {},\n    "develop": {\n        "Werkzeug": "==0.11.15",\n        "pytest-mock": "*"\n    },\n'
            '    "_meta": {"requires": {}}\n}\n')
    manifest = parse(text, "Pipfile.lock", lambda path: None)  # psf/requests at 9a2a316f (January 2017)
    assert [(d.name, d.version, d.specifier, d.line) for d in manifest.dependencies] == [
        ("werkzeug", "0.11.15", "==0.11.15", 4), ("pytest-mock", None, "*", 5)]
    with pytest.raises(ManifestError):  # from pipfile-spec 1 on, an entry is an object
        parse('{"_meta": {"pipfile-spec": 6}, "default": {"six": "==1.10.0"}}', "Pipfile.lock", lambda path: None)
