"""package-lock.json / npm-shrinkwrap.json: lockfileVersion 1, 2 and 3, paths, aliases, links, workspaces,
sources, integrity, scopes, direct flags, install scripts, lines, and bad input."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.package_lock import parse
from checker.model import DEFAULT_SOURCE, Manifest, Source

FIXTURES = Path(__file__).parent / "fixtures" / "package_lock"
WRAPPY_SHA1 = "sha1:b5243d8f3ec1aa35f1364605bc0d1036e30ab69f"  # the registry's dist.shasum of wrappy 1.0.2
SUPPORTS_COLOR_SHA512 = (
    "sha512:423563c1d5c8b78d3c308880a825f8a142ac814d84a801b3b363e9926e1a4186e39be644584716e127c5353af8b8c35999ad1e"
    "cb87f99602eb901d1a5f440ca3"
)
SHA = "0123456789abcdef0123456789abcdef01234567"


def lock(text: str, path: str = "package-lock.json", files: dict[str, str] | None = None) -> Manifest:
    return parse(text, path, (files or {}).get)


def summary(manifest: Manifest) -> list[tuple]:
    """(name, version, scope, direct, line, source kind) of every dependency, in order."""
    return [(d.name, d.version, d.scope, d.direct, d.line, d.source.kind) for d in manifest.dependencies]


def error(text: str, path: str = "package-lock.json") -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        lock(text, path)
    return caught.value


def v3(packages: dict, **top: object) -> str:
    return json.dumps({"name": "p", "lockfileVersion": 3, "requires": True, "packages": packages, **top}, indent=2)


# ---------------------------------------------------------------------------------------------------------------
# Format registry
# ---------------------------------------------------------------------------------------------------------------


def test_both_file_names_are_npm_lockfiles() -> None:
    assert format_for("package-lock.json").name == "package-lock"
    assert format_for("web/npm-shrinkwrap.json").name == "npm-shrinkwrap"
    assert format_for("web/package-lock.json").ecosystem == "npm"
    assert format_for("package-lock.json.bak") is None
    assert lock(v3({}), "a/npm-shrinkwrap.json").format == "npm-shrinkwrap"
    assert lock(v3({})).kind == "lock"


def test_a_lockfile_inside_node_modules_declares_nothing() -> None:
    manifest = lock("not even json", "node_modules/left-pad/package-lock.json")
    assert manifest.dependencies == ()


# ---------------------------------------------------------------------------------------------------------------
# Our own fixture: workspaces, links, aliases, nested versions, bundled, git, tarball, private registry
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def workspaces() -> Manifest:
    return lock((FIXTURES / "workspaces.v3.json").read_text(encoding="utf-8"))


def test_workspace_fixture(workspaces: Manifest) -> None:
    assert summary(workspaces) == [
        ("esbuild", "0.25.0", "dev", True, 33, "registry"),
        ("fsevents", "2.3.3", "dev", True, 40, "registry"),  # devOptional counts as dev
        ("local-dep", "0.1.0", "prod", True, 46, "path"),  # a file: directory is a link, not a member
        ("lodash", "4.17.21", "prod", True, 50, "registry"),
        ("ms", "2.1.3", "prod", False, 55, "registry"),
        ("string-width", "4.2.3", "prod", True, 59, "registry"),  # the alias "sw" installs string-width
        ("debug", "4.4.1", "prod", True, 76, "registry"),  # declared by the member packages/app
        ("lodash", "4.17.20", "prod", True, 81, "registry"),  # a second lodash, nested under packages/app
        ("tarball", "1.0.0", "optional", True, 86, "url"),
        ("vendored", "1.0.0", "prod", True, 99, "git"),
    ]


def test_workspace_members_and_their_links_are_not_dependencies(workspaces: Manifest) -> None:
    names = {d.name for d in workspaces.dependencies}
    assert "app" not in names and "@acme/lib" not in names


def test_alias_keeps_the_real_name_and_shows_the_alias(workspaces: Manifest) -> None:
    [alias] = [d for d in workspaces.dependencies if d.line == 59]
    assert alias.name == "string-width" and alias.version == "4.2.3"
    assert alias.specifier == "sw@npm:string-width@4.2.3"


def test_sources_and_resolved_urls(workspaces: Manifest) -> None:
    by_line = {d.line: d for d in workspaces.dependencies}
    assert by_line[50].source == DEFAULT_SOURCE
    assert by_line[50].resolved == "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"
    assert by_line[76].source == Source("registry", "https://npm.internal.example/artifactory/api/npm/npm/")
    assert by_line[86].source == Source("url", "https://example.com/tarball-1.0.0.tgz")
    assert by_line[99].source == Source("git", "ssh://git@github.com/acme/vendored.git", SHA, SHA)
    assert by_line[46].source == Source("path", "../local-dep")
    assert by_line[46].specifier == "file:../local-dep" and by_line[46].hashes == frozenset()


def test_integrity_flags_and_install_scripts(workspaces: Manifest) -> None:
    by_name = {(d.name, d.version): d for d in workspaces.dependencies}
    esbuild = by_name[("esbuild", "0.25.0")]
    assert esbuild.install_script is True
    # The fixture's integrity values are the digests of short seed strings, so the expected hex is computed here
    # independently of the base64 decoding under test.
    assert esbuild.hashes == frozenset({"sha512:" + hashlib.sha512(b"esbuild").hexdigest()})
    assert by_name[("fsevents", "2.3.3")].hashes == frozenset({"sha1:" + hashlib.sha1(b"old").hexdigest()})
    assert by_name[("debug", "4.4.1")].hashes == frozenset({"sha512:" + hashlib.sha512(b"app-dep-debug").hexdigest()})
    assert by_name[("lodash", "4.17.21")].install_script is False  # npm 7+ writes hasInstallScript only when true
    ms = by_name[("ms", "2.1.3")]
    assert ms.bundled is True and ms.hashes == frozenset() and ms.resolved is None
    assert by_name[("local-dep", "0.1.0")].install_script is None


# ---------------------------------------------------------------------------------------------------------------
# Version 1 with the sibling package.json
# ---------------------------------------------------------------------------------------------------------------


V1 = """{
  "name": "old",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "chalk": {
      "version": "5.6.0",
      "resolved": "https://registry.npmjs.org/chalk/-/chalk-5.6.0.tgz",
      "integrity": "sha1-tSQ9jz7BqjXxNkYFvA0QNuMKtp8="
    },
    "debug": {
      "version": "2.6.9",
      "dev": true,
      "requires": {"ms": "2.0.0"},
      "dependencies": {
        "ms": {"version": "2.0.0", "bundled": true, "dev": true}
      }
    },
    "ms": {"version": "2.1.3", "dev": true},
    "remote": {
      "version": "https://example.com/remote-1.0.0.tgz",
      "integrity": "sha1-tSQ9jz7BqjXxNkYFvA0QNuMKtp8="
    }
  }
}
"""


def test_version_1_direct_flags_come_from_package_json() -> None:
    package_json = '{"dependencies": {"chalk": "^5", "remote": "https://example.com/remote-1.0.0.tgz"},' \
                   ' "devDependencies": {"debug": "^2"}}'
    manifest = lock(V1, "web/package-lock.json", {"web/package.json": package_json})
    assert summary(manifest) == [
        ("chalk", "5.6.0", "prod", True, 6, "registry"),
        ("debug", "2.6.9", "dev", True, 11, "registry"),
        ("ms", "2.0.0", "dev", False, 16, "registry"),
        ("ms", "2.1.3", "dev", False, 19, "registry"),
        ("remote", None, "prod", True, 20, "url"),
    ]
    chalk, _, bundled, plain_ms, remote = manifest.dependencies
    assert chalk.hashes == frozenset({WRAPPY_SHA1}) and chalk.install_script is None
    assert bundled.bundled is True and plain_ms.bundled is False
    assert remote.specifier == remote.resolved == "https://example.com/remote-1.0.0.tgz"


def test_version_1_without_package_json_counts_every_top_level_entry_as_direct() -> None:
    assert [d.direct for d in lock(V1).dependencies] == [True, True, False, True, True]


def test_version_1_with_a_broken_package_json_falls_back() -> None:
    assert [d.direct for d in lock(V1, files={"package.json": "{nope"}).dependencies] == [True, True, False, True, True]


def test_version_2_without_a_root_entry_uses_package_json() -> None:
    text = v3({"node_modules/a": {"version": "1.0.0"}, "node_modules/b": {"version": "1.0.0"}})
    manifest = lock(text, files={"package.json": '{"dependencies": {"b": "1"}}'})
    assert [(d.name, d.direct) for d in manifest.dependencies] == [("a", False), ("b", True)]
    assert [d.direct for d in lock(text).dependencies] == [True, True]


# ---------------------------------------------------------------------------------------------------------------
# The osv-scalibr corpus (edge/packagelockjson): an exact outcome for each of its 31 files
# ---------------------------------------------------------------------------------------------------------------

TWO = [("wrappy", "1.0.2", "prod", True, 13, "registry"), ("supports-color", "5.5.0", "prod", True, 18, "registry")]

CORPUS_OUTCOMES: dict[str, list[tuple] | str] = {
    "alias.v1.json": [
        ("@babel/code-frame", "7.0.0", "prod", True, 5, "registry"),
        ("string-width", "5.1.2", "prod", True, 13, "registry"),
        ("string-width", "4.2.0", "prod", True, 23, "registry"),
    ],
    "alias.v2.json": [
        ("@babel/code-frame", "7.0.0", "prod", True, 13, "registry"),
        ("string-width", "5.1.2", "prod", True, 22, "registry"),
        ("string-width", "4.2.0", "prod", True, 32, "registry"),
    ],
    "both/npm-shrinkwrap.json": TWO,
    "both/package-lock.json": TWO,
    "bundled-dependencies.v3.json": [
        ("ansi-regex", "6.2.2", "prod", False, 22, "registry"),
        ("semver", "7.7.2", "dev", True, 35, "registry"),
        ("strip-ansi", "7.1.2", "prod", True, 49, "registry"),
    ],
    "commits.v1.json": [  # lockfileVersion 2 without "packages": read like version 1
        ("@segment/analytics.js-integration-facebook-pixel", "3b1bb80b302c2e552685dc8a029797ec832ea7c9", "prod", True, 5, "git"),
        ("ansi-styles", "1.0.0", "prod", True, 19, "registry"),
        ("babel-preset-php", "c5a7ba5e0ad98b8db1cb8ce105403dd4b768cced", "prod", True, 24, "git"),
        ("is-number-1", "af885e2e890b9ef0875edd2b117305119ee5bdc5", "dev", True, 31, "git"),
        ("is-number-2", "d5ac0584ee9ae7bd9288220a39780f155b9ad4c8", "prod", True, 38, "git"),
        ("is-number-3", "d5ac0584ee9ae7bd9288220a39780f155b9ad4c8", "dev", True, 42, "git"),
        ("is-number-4", "af885e2e890b9ef0875edd2b117305119ee5bdc5", "dev", True, 47, "git"),
        ("is-number-5", "af885e2e890b9ef0875edd2b117305119ee5bdc5", "dev", True, 55, "git"),
        ("is-number-6", "af885e2e890b9ef0875edd2b117305119ee5bdc5", "dev", True, 63, "git"),
        ("postcss-calc", "7.0.1", "prod", True, 70, "registry"),
        ("is-number-1", "be5935f8d2595bcd97b05718ef1eeae08d812e10", "dev", False, 75, "git"),
        ("is-number-2", "82dcc8e914dabd9305ab9ae580709a7825e824f5", "prod", False, 82, "git"),
        ("is-number-3", "82ae8802978da40d7f1be5ad5943c9e550ab2c89", "dev", False, 86, "git"),
        ("raven-js", "c2b377e7a254264fd4a1fe328e4e3cfc9e245570", "prod", True, 93, "git"),
        ("slick-carousel", "280b560161b751ba226d50c7db1e0a14a78c2de0", "dev", True, 97, "git"),
    ],
    "commits.v2.json": [
        ("@segment/analytics.js-integration-facebook-pixel", "2.4.1", "prod", True, 26, "git"),
        ("ansi-styles", "1.0.0", "prod", False, 42, "registry"),
        ("babel-preset-php", "1.1.1", "dev", True, 50, "git"),
        ("is-number-1", "3.0.0", "dev", True, 60, "git"),
        ("is-number-2", "2.0.0", "dev", True, 73, "git"),
        ("is-number-3", "2.0.0", "dev", True, 83, "git"),
        ("is-number-4", "3.0.0", "dev", True, 93, "git"),
        ("is-number-5", "3.0.0", "dev", True, 106, "git"),
        ("postcss-calc", "7.0.1", "prod", False, 119, "registry"),
        ("is-number-1", "3.0.0", "dev", False, 130, "git"),
        ("is-number-2", "2.0.0", "dev", False, 143, "git"),
        ("is-number-3", "3.0.0", "dev", False, 153, "git"),
        ("raven-js", "c2b377e7a254264fd4a1fe328e4e3cfc9e245570", "prod", True, 163, "git"),  # resolved only
        ("slick-carousel", "1.7.1", "dev", True, 166, "git"),
    ],
    "empty.v1.json": [],
    "empty.v2.json": [],
    "files.v1.json": [
        ("lodash", "1.3.1", "prod", True, 5, "registry"),
        ("other_package", None, "prod", True, 10, "path"),
    ],
    "files.v2.json": [
        ("abbrev", "1.0.9", "dev", False, 36, "registry"),
        # 2.3.4 resolved to abbrev-1.0.9.tgz: not this version's tarball, so not a registry source
        ("abbrev", "2.3.4", "dev", False, 42, "url"),
    ],
    "not-json.txt": "not-json.txt:1: not valid JSON: Expecting value",
    "npm-shrinkwrap-only/npm-shrinkwrap.json": TWO,
    "null.v2.jsontest": (
        "null.v2.jsontest:1: expected an npm lockfile (null.v2.jsontest): a JSON object at the top level, found null"
    ),
    "one-package-dev.v1.json": [("wrappy", "1.0.2", "dev", True, 5, "registry")],
    "one-package-dev.v2.json": [("wrappy", "1.0.2", "dev", True, 10, "registry")],
    "one-package.v1.json": [("wrappy", "1.0.2", "prod", True, 5, "registry")],
    "one-package.v2.json": [("wrappy", "1.0.2", "prod", True, 10, "registry")],
    "optional-package.v1.json": [
        ("wrappy", "1.0.2", "dev", True, 5, "registry"),  # dev and optional: installed for development only
        ("supports-color", "5.5.0", "optional", True, 12, "registry"),
    ],
    "optional-package.v2.json": [
        ("wrappy", "1.0.2", "optional", True, 10, "registry"),
        ("supports-color", "5.5.0", "dev", False, 16, "registry"),  # devOptional
    ],
    "package-lock-only/package-lock.json": TWO,
    "same-package-different-groups.v1.json": [
        ("ajv", "5.5.2", "dev", True, 5, "registry"),
        ("eslint", "1.2.3", "dev", True, 17, "registry"),
        ("ajv", "5.5.2", "dev", False, 21, "registry"),
        ("ajv", "5.5.2", "optional", False, 33, "registry"),
        ("table", "1.0.0", "prod", True, 49, "registry"),
        ("ajv", "5.5.2", "prod", False, 52, "registry"),
        ("ajv", "5.5.2", "dev", False, 63, "registry"),
    ],
    "same-package-different-groups.v2.json": [
        ("ajv", "5.5.2", "dev", False, 10, "registry"),
        ("eslint", "1.2.3", "dev", False, 22, "registry"),
        ("ajv", "5.5.2", "dev", False, 26, "registry"),
        ("ajv", "5.5.2", "optional", False, 38, "registry"),
        ("table", "1.0.0", "prod", False, 50, "registry"),
        ("ajv", "5.5.2", "prod", False, 53, "registry"),
        ("ajv", "5.5.2", "dev", False, 64, "registry"),
    ],
    "scoped-packages.v1.json": [
        ("@babel/code-frame", "7.0.0", "prod", True, 5, "registry"),
        ("wrappy", "1.0.2", "prod", True, 13, "registry"),
    ],
    "scoped-packages.v2.json": [
        ("@babel/code-frame", "7.0.0", "prod", False, 10, "registry"),
        ("wrappy", "1.0.2", "prod", False, 18, "registry"),
    ],
    "two-packages.v1.json": [
        ("wrappy", "1.0.2", "prod", True, 5, "registry"),
        ("supports-color", "5.5.0", "prod", True, 10, "registry"),
    ],
    "two-packages.v2.json": TWO,
}


@pytest.mark.parametrize("name", sorted(CORPUS_OUTCOMES))
def test_osv_corpus_outcomes(corpus: Path, name: str) -> None:
    path = corpus / "edge" / "packagelockjson" / name
    expected = CORPUS_OUTCOMES[name]
    if isinstance(expected, str):
        with pytest.raises(ManifestError) as caught:
            lock(path.read_text(encoding="utf-8"), name)
        assert str(caught.value) == expected
        return
    assert summary(lock(path.read_text(encoding="utf-8"), name)) == expected


def test_osv_corpus_is_covered_entirely(corpus: Path) -> None:
    folder = corpus / "edge" / "packagelockjson"
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    dup = {"nested-dependencies-dup.v1.json", "nested-dependencies-dup.v2.json", "nested-dependencies.v1.json",
           "nested-dependencies.v2.json"}
    assert files == set(CORPUS_OUTCOMES) | dup
    assert len(files) == 31


def test_osv_nested_dependencies(corpus: Path) -> None:
    folder = corpus / "edge" / "packagelockjson"
    v1 = lock((folder / "nested-dependencies.v1.json").read_text(encoding="utf-8"))
    assert summary(v1) == [
        ("postcss", "6.0.23", "prod", True, 5, "registry"),
        ("postcss-calc", "7.0.1", "prod", True, 15, "registry"),
        ("postcss", "7.0.16", "prod", False, 26, "registry"),
        ("supports-color", "6.1.0", "prod", False, 36, "registry"),
        ("supports-color", "5.5.0", "prod", True, 46, "registry"),
    ]
    v2 = lock((folder / "nested-dependencies.v2.json").read_text(encoding="utf-8"))
    assert [(d.name, d.version, d.line) for d in v2.dependencies] == [
        ("postcss", "6.0.23", 10), ("postcss-calc", "7.0.1", 23), ("postcss", "7.0.16", 34),
        ("supports-color", "6.1.0", 47), ("supports-color", "5.5.0", 58),
    ]
    assert v2.dependencies[-1].hashes == frozenset({SUPPORTS_COLOR_SHA512})


def test_osv_nested_duplicates_keep_every_installed_copy(corpus: Path) -> None:
    folder = corpus / "edge" / "packagelockjson"
    v1 = lock((folder / "nested-dependencies-dup.v1.json").read_text(encoding="utf-8"))
    v2 = lock((folder / "nested-dependencies-dup.v2.json").read_text(encoding="utf-8"))
    assert (len(v1.dependencies), len(v2.dependencies)) == (73, 36)
    copies = [d.version for d in v2.dependencies if d.name == "supports-color"]
    assert sorted(set(copies)) == ["2.0.0", "6.1.0"] and len(copies) == 36
    assert all(d.line is not None for d in v1.dependencies + v2.dependencies)


def test_corpus_hashes_are_decoded_exactly(corpus: Path) -> None:
    one = lock((corpus / "edge" / "packagelockjson" / "one-package.v2.json").read_text(encoding="utf-8"))
    [wrappy] = one.dependencies
    assert wrappy.hashes == frozenset({WRAPPY_SHA1})
    assert wrappy.resolved == "https://registry.npmjs.org/wrappy/-/wrappy-1.0.2.tgz"


def test_warehouse_lockfile(corpus: Path) -> None:
    text = (corpus / "real" / "pypi-warehouse" / "package-lock.json").read_text(encoding="utf-8")
    manifest = lock(text)
    deps = manifest.dependencies
    assert len(deps) == 1064
    assert sum(d.direct for d in deps) == 49
    assert sum(d.scope == "dev" for d in deps) == 895 and sum(d.scope == "prod" for d in deps) == 169
    assert all(d.source == DEFAULT_SOURCE and len(d.hashes) == 1 and d.line for d in deps)
    assert sorted((d.name, d.version) for d in deps if d.install_script) == [
        ("@fortawesome/fontawesome-free", "5.15.4"), ("@parcel/watcher", "2.5.6"), ("admin-lte", "3.2.0"),
        ("fsevents", "2.3.3"), ("summernote", "0.8.20"), ("unrs-resolver", "1.11.1"),
    ]
    [admin] = [d for d in deps if d.name == "admin-lte"]
    assert (admin.version, admin.direct, admin.scope, admin.install_script, admin.line) == ("3.2.0", True, "prod", True, 4875)
    assert [(d.name, d.specifier, d.line) for d in deps if d.specifier] == [
        ("string-width", "string-width-cjs@npm:string-width@4.2.3", 12964),
        ("strip-ansi", "strip-ansi-cjs@npm:strip-ansi@6.0.1", 13029),
        ("wrap-ansi", "wrap-ansi-cjs@npm:wrap-ansi@7.0.0", 14589),
    ]
    # Every entry's line is the line of its own "node_modules/...": { key.
    lines = text.splitlines()
    assert all(lines[d.line - 1].strip().startswith('"node_modules/') for d in deps)
    assert all(lines[d.line - 1].rstrip().endswith("{") for d in deps)


# ---------------------------------------------------------------------------------------------------------------
# Bad input: a clear message with file and line, never another exception
# ---------------------------------------------------------------------------------------------------------------


def test_truncated_json() -> None:
    text = (FIXTURES / "workspaces.v3.json").read_text(encoding="utf-8")[:1500]
    err = error(text)
    assert err.path == "package-lock.json" and err.line == text.count("\n") + 1
    assert err.message.startswith("not valid JSON: ") and err.message.endswith("(the file ends early: truncated?)")


def test_empty_file() -> None:
    assert str(error("  \n")) == "package-lock.json: empty file, expected an npm lockfile (package-lock.json) (JSON)"


def test_unknown_lockfile_version() -> None:
    err = error('{\n  "name": "x",\n  "lockfileVersion": 4,\n  "packages": {}\n}\n')
    assert (err.line, err.message) == (3, "unsupported lockfileVersion 4 (supported: 1, 2, 3)")
    assert error('{"lockfileVersion": "3", "packages": {}}').message == "unsupported lockfileVersion '3' (supported: 1, 2, 3)"
    assert error('{"lockfileVersion": true}').message == "unsupported lockfileVersion True (supported: 1, 2, 3)"
    assert error('{"packages": {}}').message == 'no "lockfileVersion" (supported: 1, 2, 3)'
    assert error('{\n"lockfileVersion": 3\n}').message == 'lockfileVersion 3 needs a "packages" object'


def test_duplicate_keys_are_refused() -> None:
    text = (
        '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": {\n      "version": "1.0.0",\n'
        '      "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",\n'
        '      "resolved": "https://evil.example/a-1.0.0.tgz"\n    }\n  }\n}\n'
    )
    err = error(text)
    assert (err.line, err.message) == (7, "duplicate key 'resolved': npm would silently keep the last one")
    twice = '{\n"lockfileVersion": 3,\n"packages": {\n"node_modules/a": {},\n"node_modules/a": {}\n}\n}'
    assert error(twice).line == 5


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("node_modules/../../etc", "package path 'node_modules/../../etc' escapes node_modules: '..' is not a package name"),
        ("node_modules/a/../../x", "package path 'node_modules/a/../../x' escapes node_modules (expected node_modules/<name>)"),
        ("node_modules/@scope", "package path 'node_modules/@scope' escapes node_modules: '@scope' is not a package name"),
        ("node_modules/", "package path 'node_modules/' escapes node_modules: '' is not a package name"),
        ("node_modules/a/lib", "package path 'node_modules/a/lib' escapes node_modules (expected node_modules/<name>)"),
        ("/etc/node_modules/a", "package path '/etc/node_modules/a' is absolute: npm paths are relative to the project"),
        ("C:/x/node_modules/a", "package path 'C:/x/node_modules/a' is absolute: npm paths are relative to the project"),
        ("packages/../../x", "package path 'packages/../../x' is not a normalised folder path"),
        ("a/./node_modules/b", "package path 'a/./node_modules/b' is not a normalised folder path"),
    ],
)
def test_package_paths_that_escape_node_modules(key: str, message: str) -> None:
    err = error(v3({key: {"version": "1.0.0"}}))
    assert (err.message, err.line) == (message, 6)


def test_legitimate_unusual_paths() -> None:
    manifest = lock(v3({
        "../shared": {"version": "1.0.0"},
        "../shared/node_modules/x": {"version": "2.0.0"},
        "node_modules/@s/a/node_modules/b.js": {"version": "3.0.0"},
    }))
    assert [(d.name, d.version) for d in manifest.dependencies] == [("x", "2.0.0"), ("b.js", "3.0.0")]


@pytest.mark.parametrize(
    ("packages", "message"),
    [
        ({"node_modules/a": []}, "package 'node_modules/a' must be an object, found array"),
        ({"node_modules/a": {"version": 1}}, "package 'node_modules/a' version must be a string, found number"),
        ({"node_modules/a": {"dev": "yes"}}, "package 'node_modules/a' dev must be true or false, found string"),
        ({"node_modules/a": {"integrity": "sha512-!!"}}, "package 'node_modules/a': integrity 'sha512-!!' is not algorithm-base64"),
        ({"node_modules/a": {"integrity": "sha512-abcde"}}, "package 'node_modules/a': integrity 'sha512-abcde' is not valid base64"),
        ({"node_modules/a": {"link": True}}, "package 'node_modules/a' is a link without a resolved target"),
        ({"node_modules/a": {"name": "../../x", "version": "1.0.0"}}, "package 'node_modules/a': name '../../x' is not a package name"),
    ],
)
def test_wrong_types_in_entries(packages: dict, message: str) -> None:
    err = error(v3(packages))
    assert (err.message, err.line) == (message, 6)


def test_wrong_types_at_the_top() -> None:
    assert error('{"lockfileVersion": 3, "packages": []}').message == '"packages" must be an object, found array'
    assert error('{"lockfileVersion": 1, "dependencies": {"a": "1.0.0"}}').message == (
        "dependency 'a' must be an object, found string"
    )
    assert error('{"lockfileVersion": 1, "dependencies": {"../x": {"version": "1.0.0"}}}').message == (
        "dependency '../x': '../x' is not a package name (it would escape node_modules)"
    )
    assert error("[]").message == "expected an npm lockfile (package-lock.json): a JSON object at the top level, found array"


def test_deep_nesting_is_a_clear_error() -> None:
    text = '{"lockfileVersion": 1, "dependencies": ' + '{"a": {"version": "1.0.0", "dependencies": ' * 5000
    err = error(text + "}" * 10001)
    assert (err.line, err.message) == (1, "nested more than 500 levels deep")


def test_hostile_strings_keep_the_line_scan_linear() -> None:
    # A quadratic scan would take minutes on this (40,000 "node_modules/" in one string, 500 KB); a linear one
    # takes milliseconds.
    text = json.dumps({
        "lockfileVersion": 3,
        "packages": {
            "x": {"description": "node_modules/" * 40000},
            "packages/app/node_modules/a": {"version": "1.0.0", "description": "x/node_modules/" * 40000},
        },
    }, indent=1)
    [dep] = lock(text).dependencies
    assert (dep.name, dep.line) == ("a", 7)


def test_minified_lockfile_lines_are_all_one() -> None:
    text = json.dumps(json.loads((FIXTURES / "workspaces.v3.json").read_text(encoding="utf-8")))
    assert {d.line for d in lock(text).dependencies} == {1}


# The common sha512 is read without a regular expression (checker/manifests/npm_common.py): anything of the same
# length that is not 86 standard base64 characters and "==" must take the general path, with its answer or error.
_DIGEST = hashlib.sha512(b"a").digest()


@pytest.mark.parametrize(("integrity", "expected"), [
    ("sha512-" + __import__("base64").b64encode(_DIGEST).decode(), f"sha512:{_DIGEST.hex()}"),
    ("sha512-" + __import__("base64").urlsafe_b64encode(b"\xfb" * 64).decode(), f"sha512:{('fb' * 64)}"),
])
def test_a_sha512_in_either_alphabet_gives_its_hex_digest(integrity, expected):
    from checker.manifests.npm_common import sri_hashes

    assert len(integrity) == 95
    assert sri_hashes(integrity, "package 'a'", "package-lock.json", 3) == frozenset({expected})


@pytest.mark.parametrize("bad", ["!", "=", " ", "é"])
def test_a_sha512_of_the_usual_length_with_a_foreign_character_is_an_error(bad):
    from checker.manifests.npm_common import sri_hashes

    good = __import__("base64").b64encode(_DIGEST).decode()
    integrity = "sha512-" + good[:40] + bad + good[41:]
    assert len(integrity) == 95
    with pytest.raises(ManifestError, match="integrity .* is not (algorithm-base64|valid base64)"):
        sri_hashes(integrity, "package 'a'", "package-lock.json", 3)


# ---------------------------------------------------------------------------------------------------------------
# "resolved": false (npm 6 wrote it for packages bundled in fsevents 1.x; real: pypi/warehouse, SOURCES.md)
# ---------------------------------------------------------------------------------------------------------------


def _sri_hex(sri: str) -> str:
    import base64

    algorithm, _, digest = sri.partition("-")
    return f"{algorithm}:{base64.b64decode(digest).hex()}"


def test_v1_resolved_false_is_no_resolved_url() -> None:
    manifest = lock((FIXTURES / "resolved-false.v1.json").read_text())
    assert summary(manifest) == [
        ("fsevents", "1.2.9", "optional", True, 5, "registry"),
        ("abbrev", "1.1.1", "optional", False, 14, "registry"),
        ("are-we-there-yet", "1.1.5", "optional", False, 20, "registry"),
        ("chownr", "1.1.1", "prod", False, 26, "registry"),
    ]
    chownr = manifest.dependencies[3]
    # npm fetches it by name and version from the registry and checks the integrity it records
    assert (chownr.source, chownr.resolved, chownr.bundled) == (DEFAULT_SOURCE, None, False)
    assert chownr.hashes == {_sri_hex(
        "sha512-j38EvO5+LHX84jlo6h4UzmOwi0UgW61WRyPtJz4qaadK5eY3BTS5TY/S1Stc3Uk2lIM6TPevAlULiEJwie860g==")}


def test_v1_resolved_false_on_a_bundled_entry_without_integrity() -> None:
    text = json.dumps({"lockfileVersion": 1, "dependencies": {"fsevents": {
        "version": "1.2.4", "resolved": "https://registry.npmjs.org/fsevents/-/fsevents-1.2.4.tgz",
        "integrity": "sha512-" + "A" * 86 + "==", "optional": True,
        "dependencies": {"nan": {"version": "2.10.0", "resolved": False, "bundled": True, "optional": True}}}}})
    nan = lock(text).dependencies[1]
    assert (nan.name, nan.version, nan.resolved, nan.hashes, nan.bundled) == ("nan", "2.10.0", None, frozenset(), True)


def test_v3_resolved_false_is_no_resolved_url() -> None:
    manifest = lock(v3({"": {"dependencies": {"a": "1.0.0"}},
                        "node_modules/a": {"version": "1.0.0", "resolved": False, "integrity": "sha512-" + "A" * 86 + "=="}}))
    [a] = manifest.dependencies
    assert (a.name, a.version, a.source, a.resolved) == ("a", "1.0.0", DEFAULT_SOURCE, None)


@pytest.mark.parametrize("value", [True, 0, [], {}])
def test_resolved_other_than_a_string_or_false_is_an_error(value: object) -> None:
    v1 = json.dumps({"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0", "resolved": value}}})
    assert "resolved must be a string" in error(v1).message
    assert "resolved must be a string" in error(v3({"node_modules/a": {"version": "1.0.0", "resolved": value}})).message
