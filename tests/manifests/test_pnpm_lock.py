"""Tests for checker.manifests.pnpm_lock: lockfile versions 5.x, 6 and 9, real and hand-written, every corpus
fixture's exact outcome, scopes from flags and from the snapshot graph, and clear errors for bad input."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.pnpm_lock import parse, parse_lock
from checker.model import Manifest, Source

FIXTURES = Path(__file__).parent / "fixtures" / "pnpm_lock"
DEFAULT = Source()


def _sha512(text: str) -> str:
    return "sha512:" + hashlib.sha512(text.encode()).hexdigest()


def _outcome(text: str, *, fast: bool = True) -> Manifest | tuple[str, int | None]:
    try:
        return parse_lock(text, "pnpm-lock.yaml", fast=fast)
    except ManifestError as error:
        return (error.message, error.line)


def _same_both_ways(text: str) -> Manifest | tuple[str, int | None]:
    fast = _outcome(text)
    assert _outcome(text, fast=False) == fast
    return fast


def _error(text: str) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        parse_lock(text, "pnpm-lock.yaml")
    return caught.value


def _rows(manifest: Manifest) -> list[tuple]:
    """(name, version, specifier, scope, direct, line) of every dependency, in order."""
    return [(d.name, d.version, d.specifier, d.scope, d.direct, d.line) for d in manifest.dependencies]


def _no_read(path: str) -> None:
    raise AssertionError(f"pnpm-lock.yaml needs no other file, but read {path}")


def test_registry_matches_pnpm_lock_by_name():
    assert format_for("pnpm-lock.yaml").name == "pnpm-lock"
    assert format_for("apps/web/pnpm-lock.yaml").name == "pnpm-lock"
    assert format_for("pnpm-workspace.yaml").name == "pnpm-workspace"  # a format of its own


# ---------------------------------------------------------------------------------------------------------------
# Version 9: a hand-written workspace


def test_v9_workspace_values_scopes_and_direct_flags():
    manifest = parse((FIXTURES / "workspace.v9.yaml").read_text(), "pnpm-lock.yaml", _no_read)
    assert (manifest.format, manifest.ecosystem, manifest.kind) == ("pnpm-lock", "npm", "lock")
    rows = _rows(manifest)
    assert rows == [
        ("debug", "4.3.4", "", "dev", False, 61),
        ("fsevents", "2.3.3", "~2.3.3", "optional", True, 70),
        ("is-number", "7.0.0", "github:jonschlinkert/is-number#master", "prod", True, 75),
        ("js-tokens", "4.0.0", "", "prod", False, 80),
        ("local-thing", "0.1.0", "file:../../vendor/local-thing", "prod", True, 83),
        ("loose-envify", "1.4.0", "", "prod", False, 87),
        ("ms", "2.1.2", "", "dev", False, 91),
        ("ms", "2.1.3", "", "prod", False, 94),
        ("mygit", "2.0.0", "git+https://github.com/acme/mygit.git#v2", "prod", True, 97),
        ("private-pkg", "1.0.0", "^1.0.0", "prod", True, 101),
        ("react-dom", "18.3.1", "^18.2.0", "prod", True, 104),  # the peer suffix is not part of the version
        ("react", "18.3.1", "^18.2.0", "prod", True, 109),  # `catalog:` shown as the catalog's range
        ("scheduler", "0.23.2", "", "prod", False, 113),
        ("string-width", "4.2.3", "npm:string-width@^4.2.0", "prod", True, 116),  # an alias names the real package
        ("typescript", "5.4.5", "^5.4.0", "dev", True, 120),
        ("vitest", "1.6.0", "^1.6.0", "dev", True, 125),
    ]
    deps = {d.line: d for d in manifest.dependencies}
    assert deps[109].source == DEFAULT and deps[109].hashes == {_sha512("react@18.3.1")}
    assert deps[109].resolved is None
    commit = "98e8ff1da1a89f93d1397a24d7413ed15421c139"
    assert deps[75].source == Source("git", url="https://github.com/jonschlinkert/is-number", ref="master",
                                     commit=commit)
    assert deps[75].resolved == f"https://codeload.github.com/jonschlinkert/is-number/tar.gz/{commit}"
    assert deps[75].hashes == frozenset()
    assert deps[83].source == Source("path", url="vendor/local-thing")
    assert deps[97].source == Source("git", url="https://github.com/acme/mygit.git", ref="v2", commit="a1" * 20)
    assert deps[101].source == Source("registry", url="https://npm.acme.example/")
    assert deps[101].resolved == "https://npm.acme.example/private-pkg/-/private-pkg-1.0.0.tgz"
    assert deps[101].hashes == {_sha512("private-pkg@1.0.0")}
    # The workspace package @acme/utils (a link:) is the project itself.
    assert "@acme/utils" not in {d.name for d in manifest.dependencies}


def test_v9_fast_and_full_yaml_agree_on_fixtures():
    for name in ("workspace.v9.yaml", "inline-specifiers.v54.yaml"):
        assert isinstance(_same_both_ways((FIXTURES / name).read_text()), Manifest)


def test_v9_truncated_file_is_an_error():
    full = (FIXTURES / "workspace.v9.yaml").read_text()
    # Cut between two package entries: the snapshots section is gone.
    cut = full[: full.index("  typescript@5.4.5:\n    resolution")]
    assert _error(cut).message == "lockfileVersion 9.0 with packages but no snapshots (a truncated file?)"
    # Cut inside the snapshots: an importer names a snapshot that is not there.
    cut = full[: full.index("  typescript@5.4.5: {}")]
    error = _error(cut)
    assert error.message == ("importer '.' names typescript 5.4.5, which has no entry in snapshots "
                             "(a truncated or hand-edited lockfile?)")
    assert error.line == 15  # the importer's key line
    # Cut inside a flow mapping: not YAML.
    cut = full[: full.index("{integrity: ") + 20]
    error = _error(cut)
    assert error.message.startswith("not valid YAML: ") and error.line == 62


def test_v9_snapshot_without_package_is_an_error():
    text = ("lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n\npackages:\n\n  a@1.0.0:\n"
            "    resolution: {integrity: sha512-AAAA}\n\nsnapshots:\n\n  a@1.0.0: {}\n\n  b@2.0.0: {}\n")
    error = _error(text)
    assert (error.message, error.line) == ("snapshot 'b@2.0.0' has no entry in packages (a truncated file?)", 16)


def test_v9_patch_and_peer_suffixes_are_stripped():
    text = (
        "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      a:\n        specifier: ^1.0.0\n"
        "        version: 1.0.0(patch_hash=abc123)(b@2.0.0(c@3.0.0))\n\n"
        "packages:\n\n  a@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n\n  b@2.0.0:\n"
        "    resolution: {integrity: sha512-BBBB}\n\n  c@3.0.0:\n    resolution: {integrity: sha512-CCCC}\n\n"
        "snapshots:\n\n  a@1.0.0(patch_hash=abc123)(b@2.0.0(c@3.0.0)):\n    dependencies:\n"
        "      b: 2.0.0(c@3.0.0)\n\n  b@2.0.0(c@3.0.0):\n    dependencies:\n      c: 3.0.0\n\n  c@3.0.0: {}\n"
    )
    manifest = _same_both_ways(text)
    assert [(d.name, d.version, d.scope, d.direct) for d in manifest.dependencies] == [
        ("a", "1.0.0", "prod", True), ("b", "2.0.0", "prod", False), ("c", "3.0.0", "prod", False)]
    assert [d.hashes for d in manifest.dependencies] == [
        {"sha512:000000"}, {"sha512:041041"}, {"sha512:082082"}]


# ---------------------------------------------------------------------------------------------------------------
# Versions 5 and 6


def test_v54_inline_specifiers_merge_peer_variants():
    manifest = _same_both_ways((FIXTURES / "inline-specifiers.v54.yaml").read_text())
    rows = _rows(manifest)
    assert rows == [
        ("loose-envify", "1.4.0", "", "prod", False, 17),
        ("js-tokens", "4.0.0", "", "prod", False, 23),
        # /react-dom/18.2.0_react@17.0.2 (dev: true) and _react@18.2.0 (dev: false): one package, prod wins
        ("react-dom", "18.2.0", "^18.2.0", "prod", True, 26),
        ("react", "18.2.0", "^18.2.0", "prod", True, 44),  # no dev flag: used by prod and dev alike
        ("react", "17.0.2", "", "dev", False, 50),
    ]


def test_v5_absolute_paths_and_name_fields():
    text = (
        "lockfileVersion: 5.3\n\nspecifiers:\n  foo: ^1.1.0\n\ndependencies:\n  foo: registry.example.com/foo/1.1.0\n\n"
        "packages:\n\n  registry.example.com/foo/1.1.0:\n    resolution: {integrity: sha512-AAAA, tarball: "
        "https://registry.example.com/foo/-/foo-1.1.0.tgz}\n    dev: false\n\n"
        "  /@scope/bar/2.0.0_foo@1.1.0:\n    resolution: {integrity: sha512-BBBB}\n    dev: true\n"
    )
    foo, bar = _same_both_ways(text).dependencies
    assert (foo.name, foo.version, foo.specifier, foo.direct, foo.scope) == ("foo", "1.1.0", "^1.1.0", True, "prod")
    assert foo.source == Source("registry", url="https://registry.example.com/")
    assert (bar.name, bar.version, bar.scope, bar.direct) == ("@scope/bar", "2.0.0", "dev", False)


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("lockfileVersion: 4\n", "unsupported pnpm lockfileVersion 4; lockgate reads 5.x, 6.x, 7.0 and 9.0", 1),
        ("lockfileVersion: '10.0'\n", "unsupported pnpm lockfileVersion '10.0'; lockgate reads 5.x, 6.x, 7.0 and 9.0", 1),
        ("lockfileVersion: banana\n", "unsupported pnpm lockfileVersion 'banana'; lockgate reads 5.x, 6.x, 7.0 and 9.0", 1),
        ("# pnpm\nlockfileVersion: '6.0-beta'\n", "unsupported pnpm lockfileVersion '6.0-beta'; lockgate reads 5.x, 6.x, 7.0 "
         "and 9.0", 2),
        ("packages: {}\n", "missing lockfileVersion, expected a pnpm-lock.yaml of version 5.x, 6.x, 7.0 and 9.0", 1),
        ("- a\n- b\n", "expected a mapping with lockfileVersion at the top level, found a list", 1),
        ("lockfileVersion: '9.0'\npackages: [a]\n", "packages must be a mapping, found list", 2),
        ("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-!!}\n",
         "`integrity` of 'a@1.0.0': integrity 'sha512-!!' is not algorithm-base64", 3),
        ("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {}\n",
         "resolution of 'a@1.0.0' has neither `integrity`, `tarball`, nor a `type`", 3),
        ("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    engines: {node: '>=8'}\n",
         "package 'a@1.0.0' has no `resolution` mapping", 3),
        ("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {type: teleport}\n",
         "unsupported resolution type 'teleport' of 'a@1.0.0'", 3),
        ("lockfileVersion: '9.0'\npackages:\n  a@https://x.example/a.tgz:\n    resolution: {tarball: https://x.example/a.tgz}\n",
         "cannot tell the version of 'a@https://x.example/a.tgz' (no `version` field)", 3),
        ("lockfileVersion: '6.0'\npackages:\n  /a@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n    dev: maybe\n",
         "`dev` and `optional` of '/a@1.0.0' must be true or false", 3),
        ("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n  a@1.0.0:\n"
         "    resolution: {integrity: sha512-AAAA}\n",
         'not valid YAML: found duplicate key "a@1.0.0" with value "{}" (original value: "{}")', 5),
        ("lockfileVersion: '9.0'\nx: &a [1, 2]\ny: *a\n", "YAML anchors and aliases are not allowed in a lockfile", 2),
        ("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n\tresolution: {}\n",
         "not valid YAML: found character '\\t' that cannot start any token", 4),
    ],
)
def test_errors_name_the_line(text, message, line):
    error = _error(text)
    assert (error.message, error.line, error.path) == (message, line, "pnpm-lock.yaml")


def test_empty_file():
    assert _error("").message == "empty file, expected a pnpm-lock.yaml lockfile"
    assert _error("\n\n").message == "empty file, expected a pnpm-lock.yaml lockfile"


# ---------------------------------------------------------------------------------------------------------------
# The real file of the corpus


def test_real_v9_lockfile(corpus):
    text = (corpus / "real" / "vuejs-core" / "pnpm-lock.yaml").read_text()
    manifest = parse(text, "pnpm-lock.yaml", _no_read)
    assert len(manifest.dependencies) == 620
    deps = {(d.name, d.version): d for d in manifest.dependencies}
    parser = deps[("@babel/parser", "7.29.8")]
    assert (parser.specifier, parser.scope, parser.direct, parser.line) == ("^7.29.8", "prod", True, 479)
    # sha512-E8lTAYNB1KW+FH+VGJuZM1ioAx2E6oVlvQFRrf5P8ZZmsiJXYAD9vTFV7yyEURNzgh1dFqMZuO6tUwcARbqFCA==
    assert parser.hashes == {
        "sha512:13c953018341d4a5be147f95189b993358a8031d84ea8565bd0151adfe4ff19666b222576000fdbd3155ef2c845113738"
        "21d5d16a319b8eead53070045ba8508"}
    assert parser.source == DEFAULT
    # Two typescript versions, one of them reached through a workspace package's `*` range.
    assert [(d.version, d.specifier, d.scope, d.line) for d in manifest.dependencies if d.name == "typescript"] == [
        ("5.6.3", "*", "prod", 3096), ("6.0.3", "~6.0.3", "dev", 3101)]
    vite = deps[("vite", "8.2.0")]
    assert (vite.specifier, vite.scope, vite.direct) == ("^8.2.0", "dev", True)
    assert deps[("@types/trusted-types", "2.0.7")].scope == "optional"
    assert deps[("marked", "14.0.0")].scope == "prod" and not deps[("marked", "14.0.0")].direct
    counts: dict[str, int] = {}
    for dep in manifest.dependencies:
        counts[dep.scope] = counts.get(dep.scope, 0) + 1
    assert counts == {"dev": 587, "prod": 32, "optional": 1}
    assert sum(d.direct for d in manifest.dependencies) == 70
    assert all(d.hashes and d.source == DEFAULT for d in manifest.dependencies)
    # Workspace packages (link:) are the project, not dependencies.
    assert not any(d.name.startswith("@vue/") and d.name in ("@vue/shared", "@vue/reactivity") for d in manifest.dependencies)


# ---------------------------------------------------------------------------------------------------------------
# Every corpus fixture: the exact outcome

EDGE = {
    "commits.v9.yaml": [("ansi-regex", "6.0.1", "prod", True, 20), ("is-number", "7.0.0", "prod", True, 25)],
    "commits.yaml": [
        ("my-bitbucket-package", "1.0.0", "prod", True, 14), ("@my-scope/my-package", "1.0.0", "prod", True, 20),
        ("@my-scope/my-other-package", "1.0.0", "prod", False, 28), ("faker-parser", "0.0.1", "prod", False, 34),
        ("mocks", "20.0.1", "prod", True, 42),
    ],
    "empty.yaml": ("expected a mapping with lockfileVersion at the top level, found nothing", 1),
    "exotic.yaml": ("package '/foo/1.0.0' must be a mapping with a `resolution`", 10),
    "files.yaml": ("cannot tell the package name of 'file:../nameless-package' (no `name` field)", 44),
    "invalid-path.yaml": ("cannot tell the package name of 'invalidpath' (no `name` field)", 17),
    "invalid-paths.yaml": ("cannot tell the package name of 'invalidpath1' (no `name` field)", 11),
    "missing-packages.yaml": [],
    "mixed-groups.v53.yaml": [("ansi-regex", "5.0.1", "prod", True, 19), ("is-number", "7.0.0", "dev", True, 24),
                              ("uuid", "8.3.2", "optional", True, 29)],
    "mixed-groups.v54.yaml": [("ansi-regex", "5.0.1", "prod", True, 19), ("is-number", "7.0.0", "dev", True, 24),
                              ("uuid", "8.3.2", "optional", True, 29)],
    "mixed-groups.v6.yaml": [("ansi-regex", "5.0.0", "prod", True, 24), ("is-number", "7.0.0", "dev", True, 29),
                             ("uuid", "8.0.0", "optional", True, 34)],
    "mixed-groups.v9.yaml": [("ansi-regex", "5.0.1", "prod", True, 25), ("is-number", "7.0.0", "dev", True, 29),
                             ("uuid", "8.3.2", "optional", True, 33)],
    "multiple-packages.yaml": [
        ("aws-sdk", "2.1087.0", "prod", True, 11), ("base64-js", "1.5.1", "prod", False, 26),
        ("buffer", "4.9.2", "prod", False, 30), ("events", "1.1.1", "prod", False, 38),
        ("ieee754", "1.1.13", "prod", False, 43), ("isarray", "1.0.0", "prod", False, 47),
        ("jmespath", "0.16.0", "prod", False, 51), ("punycode", "1.3.2", "prod", False, 56),
        ("querystring", "0.2.0", "prod", False, 60), ("sax", "1.2.1", "prod", False, 66),
        ("url", "0.10.3", "prod", False, 70), ("uuid", "3.3.2", "prod", False, 77),
        ("xml2js", "0.4.19", "prod", False, 83), ("xmlbuilder", "9.0.7", "prod", False, 90),
    ],
    # The fixture's importer names aws-sdk 2.1602.0, which the file does not hold: a hand-trimmed lockfile.
    "multiple-versions.v9.yaml": ("importer '.' names aws-sdk 2.1602.0, which has no entry in snapshots "
                                  "(a truncated or hand-edited lockfile?)", 9),
    "multiple-versions.yaml": [("uuid", "3.3.2", "prod", False, 13), ("uuid", "8.3.2", "prod", True, 19),
                               ("xmlbuilder", "9.0.7", "prod", False, 24)],
    "no-packages.v9.yaml": [],
    "no-packages.yaml": [],
    "not-yaml.txt": ("expected a mapping with lockfileVersion at the top level, found a str", 1),
    "one-package-dev.v9.yaml": [("acorn", "8.11.3", "dev", True, 17)],
    "one-package-dev.yaml": [("acorn", "8.7.0", "prod", True, 11)],  # its flag says dev: false
    "one-package-v6-lockfile.yaml": [("acorn", "8.7.0", "prod", True, 10)],
    "one-package.v9.yaml": [("acorn", "8.11.3", "prod", True, 17)],
    "one-package.yaml": [("acorn", "8.7.0", "prod", True, 11)],
    "peer-dependencies-advanced-rc-v6.yaml": [
        ("js-tokens", "4.0.0", "prod", False, 14), ("loose-envify", "1.4.0", "prod", False, 18),
        ("react-dom", "18.0.0-rc.3", "prod", True, 25), ("react", "18.2.0", "prod", False, 35),
        ("scheduler", "0.21.0", "prod", False, 42),
    ],
    "peer-dependencies-advanced-v6.yaml": [
        ("js-tokens", "4.0.0", "prod", False, 14), ("loose-envify", "1.4.0", "prod", False, 18),
        ("react-dom", "18.3.0-canary-ab31a9ed2-20230824", "prod", True, 25),
        ("react", "18.3.0-canary-ab31a9ed2-20230824", "prod", False, 35),
        ("scheduler", "0.24.0-canary-ab31a9ed2-20230824", "prod", False, 42),
    ],
    "peer-dependencies-advanced.v9.yaml": [
        ("@eslint-community/eslint-utils", "4.4.0", "prod", False, 26), ("@eslint/eslintrc", "2.1.4", "prod", False, 32),
        ("@typescript-eslint/eslint-plugin", "5.62.0", "prod", True, 36), ("@typescript-eslint/parser", "5.62.0", "prod", True, 47),
        ("@typescript-eslint/type-utils", "5.62.0", "prod", False, 57),
        ("@typescript-eslint/typescript-estree", "5.62.0", "prod", False, 67),
        ("@typescript-eslint/utils", "5.62.0", "prod", False, 76), ("debug", "4.3.4", "prod", False, 82),
        ("eslint", "8.57.0", "prod", True, 91), ("has-flag", "4.0.0", "prod", False, 96),
        ("supports-color", "7.2.0", "prod", False, 100), ("tsutils", "3.21.0", "prod", False, 104),
        ("typescript", "4.9.5", "prod", True, 110),
    ],
    "peer-dependencies-advanced.yaml": [
        ("@typescript-eslint/eslint-plugin", "5.13.0", "prod", True, 17), ("@typescript-eslint/parser", "5.13.0", "prod", True, 44),
        ("@typescript-eslint/type-utils", "5.13.0", "prod", False, 64), ("@typescript-eslint/types", "5.13.0", "prod", False, 83),
        ("@typescript-eslint/typescript-estree", "5.13.0", "prod", False, 88),
        ("@typescript-eslint/utils", "5.13.0", "prod", False, 109), ("eslint-utils", "3.0.0", "prod", False, 127),
        ("eslint", "8.10.0", "prod", True, 137), ("tsutils", "3.21.0", "prod", False, 181),
    ],
    "peer-dependencies-v6.yaml": [
        ("js-tokens", "4.0.0", "prod", False, 14), ("loose-envify", "1.4.0", "prod", False, 18),
        ("react-dom", "18.2.0", "prod", True, 25), ("react", "18.2.0", "prod", False, 35),
        ("scheduler", "0.23.0", "prod", False, 42),
    ],
    "peer-dependencies.v9.yaml": [("acorn-jsx", "5.3.2", "prod", True, 17), ("acorn", "8.11.3", "prod", False, 22)],
    "peer-dependencies.yaml": [("acorn-jsx", "5.3.2", "prod", True, 13), ("acorn", "8.7.0", "prod", True, 21)],
    "scoped-packages-v6-lockfile.yaml": [("@typescript-eslint/types", "5.57.1", "prod", True, 10)],
    "scoped-packages.v9.yaml": [("@typescript-eslint/types", "5.62.0", "prod", True, 17)],
    "scoped-packages.yaml": [("@typescript-eslint/types", "5.13.0", "prod", True, 11)],
    "tarball.yaml": [("@my-org/my-package", "3.2.3", "dev", True, 10)],
}


def test_every_corpus_fixture_is_covered(corpus):
    assert sorted(p.name for p in (corpus / "edge" / "pnpmlock").iterdir()) == sorted(EDGE)


@pytest.mark.parametrize("name", sorted(EDGE))
def test_corpus_fixture_outcome(corpus, name):
    outcome = _same_both_ways((corpus / "edge" / "pnpmlock" / name).read_text())
    if isinstance(outcome, Manifest):
        outcome = [(d.name, d.version, d.scope, d.direct, d.line) for d in outcome.dependencies]
    assert outcome == EDGE[name]


def test_corpus_sources_in_detail(corpus):
    commits = parse_lock((corpus / "edge" / "pnpmlock" / "commits.yaml").read_text(), "pnpm-lock.yaml")
    deps = {d.line: d for d in commits.dependencies}
    assert deps[14].source == Source("git", url="git@bitbucket.org:my-org/my-bitbucket-project.git", ref="main",
                                     commit="6104ae42cd32c3d724036d3964678f197b2c9cdb")
    assert deps[14].specifier == "ssh://git@bitbucket.org:my-org/my-bitbucket-package#main"
    assert deps[42].source == Source("git", url="https://github.com/my-org/mocks", ref="main",
                                     commit="590f321b4eb3f692bb211bd74e22947639a6f79d")
    tarball = parse_lock((corpus / "edge" / "pnpmlock" / "tarball.yaml").read_text(), "pnpm-lock.yaml")
    [dep] = tarball.dependencies
    url = "https://gitlab.my-org.org/api/v4/projects/1/packages/npm/@my-org/my-package/-/@my-org/my-package-3.2.3.tgz"
    assert dep.source == Source("url", url=url) and dep.resolved == url and dep.hashes == frozenset()
    v6 = parse_lock((corpus / "edge" / "pnpmlock" / "peer-dependencies-advanced-v6.yaml").read_text(), "pnpm-lock.yaml")
    react_dom = [d for d in v6.dependencies if d.name == "react-dom"][0]
    assert react_dom.specifier == "18.3.0-canary-ab31a9ed2-20230824"
    events = [d for d in parse_lock((corpus / "edge" / "pnpmlock" / "multiple-packages.yaml").read_text(),
                                    "pnpm-lock.yaml").dependencies if d.name == "events"][0]
    assert events.hashes == {"sha1:9ebdb7635ad099c70dcc4c2a1f5004288e8bd924"}  # sha1-nr23Y1rQmccNzEwqH1AEKI6L2SQ=


# ---------------------------------------------------------------------------------------------------------------
# Two documents: pnpm 11's env lockfile (packageManagerDependencies, configDependencies) first, then the lockfile


def test_env_document_packages_are_build_dependencies_beside_the_lockfile():
    text = (FIXTURES / "env-document.v9.yaml").read_text()
    manifest = _same_both_ways(text)
    rows = _rows(manifest)
    assert rows == [
        ("@pnpm/exe", "11.0.0-beta.3", "11.0.0-beta.3", "build", True, 18),
        ("@pnpm/linux-x64", "11.0.0-beta.3", "", "build", False, 22),
        ("pnpm", "11.0.0-beta.3", "11.0.0-beta.3", "build", True, 27),
        ("is-number", "7.0.0", "^7.0.0", "dev", True, 60),
    ]
    pnpm = manifest.dependencies[2]
    assert pnpm.hashes == {"sha512:" + base64.b64decode(
        "6PrfRjycZV4vRX6ttG9oR6pOgbI2/OcF2QLOzHm35UcRuvtqP4zf3wQfAAPwEbeu1uAbpSg/Q5cL8h32tumy6Q==").hex()}


def test_env_document_with_crlf_line_ends_reads_the_same():
    text = (FIXTURES / "env-document.v9.yaml").read_text()
    assert _same_both_ways(text.replace("\n", "\r\n")) == _same_both_ways(text)


def test_a_package_manager_bump_is_a_change():
    from checker.diff.changes import diff_dependencies

    text = (FIXTURES / "env-document.v9.yaml").read_text()
    bumped = text.replace("11.0.0-beta.3", "11.0.0-beta.4")
    before, after = parse_lock(text, "pnpm-lock.yaml"), parse_lock(bumped, "pnpm-lock.yaml")
    changes = [(c.kind, c.before.name, c.before.version, c.after.version, c.after.scope)
               for c in diff_dependencies(before.dependencies, after.dependencies)]
    assert changes == [("upgraded", name, "11.0.0-beta.3", "11.0.0-beta.4", "build")
                       for name in ("@pnpm/exe", "@pnpm/linux-x64", "pnpm")]


def test_env_document_only_and_config_dependencies():
    env = (
        "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies:\n      my-plugin:\n"
        "        specifier: 1.0.0\n        version: 1.0.0\n\npackages:\n\n  my-plugin@1.0.0:\n"
        "    resolution: {integrity: sha512-" + "A" * 86 + "==}\n\nsnapshots:\n\n  my-plugin@1.0.0: {}\n\n---\n"
    )
    manifest = _same_both_ways(env)  # pnpm writes the separator even when no lockfile follows
    assert [(d.name, d.version, d.scope, d.direct, d.line) for d in manifest.dependencies] == [
        ("my-plugin", "1.0.0", "build", True, 14)]


def test_env_document_errors_name_the_line_in_the_whole_file():
    text = (FIXTURES / "env-document.v9.yaml").read_text()
    broken_main = text.replace("  is-number@7.0.0: {}", "  is-numbr@7.0.0: {}")
    assert _same_both_ways(broken_main) == (
        "snapshot 'is-numbr@7.0.0' has no entry in packages (a truncated file?)", 66)
    broken_env = text.replace("  pnpm@11.0.0-beta.3: {}", "  pnpm@11.0.0-beta.9: {}")
    assert _same_both_ways(broken_env) == (
        "snapshot 'pnpm@11.0.0-beta.9' has no entry in packages (a truncated file?)", 41)


def test_a_third_document_is_refused_as_pnpm_refuses_it():
    text = (FIXTURES / "env-document.v9.yaml").read_text() + "---\nlockfileVersion: '9.0'\n"
    message, line = _same_both_ways(text)
    assert "another document" in message and line == 67


# ---------------------------------------------------------------------------------------------------------------
# Runtimes: pnpm 11's `node: runtime:26.7.0`, one archive per platform (real: pnpm/pnpm, SOURCES.md)


def _sri256(b64: str) -> str:
    return "sha256:" + base64.b64decode(b64).hex()


def test_runtime_with_platform_variants_is_one_dependency_pinned_by_every_archive():
    text = (FIXTURES / "runtime.v9.yaml").read_text()
    manifest = _same_both_ways(text)
    assert _rows(manifest) == [("node", "26.7.0", "runtime:26.7.0", "dev", True, 17)]
    [node] = manifest.dependencies
    assert node.hashes == {_sri256("fuZZp3aOZBu/1TYJQGYLjo/QBS93SI82VWK6xSL8FdQ="),
                           _sri256("XcAYDnaE7eb8nZ5jM9pFaG9LWnggcp0zxoM1soMzcpU=")}
    assert node.source == Source("url", url="https://nodejs.org/download/release/v26.7.0/node-v26.7.0-darwin-arm64.tar.gz",
                                 hosts=frozenset({"https://nodejs.org", "https://unofficial-builds.nodejs.org"}))
    # without the `version` field, the key says it
    assert _rows(_same_both_ways(text.replace("    version: 26.7.0\n", ""))) == _rows(manifest)


def test_runtime_archive_moved_to_another_host_is_source_changed():
    from checker.diff.changes import diff_dependencies

    text = (FIXTURES / "runtime.v9.yaml").read_text()
    moved = text.replace("https://unofficial-builds.nodejs.org/", "https://nodejs.example/")
    changes = diff_dependencies(parse_lock(text, "pnpm-lock.yaml").dependencies,
                                parse_lock(moved, "pnpm-lock.yaml").dependencies)
    assert [c.kind for c in changes] == ["source-changed"]


def test_single_binary_runtime_and_bad_variants():
    text = (FIXTURES / "runtime.v9.yaml").read_text()
    start, end = text.index("    resolution:\n"), text.index("    version: 26.7.0")
    single = text[:start] + (
        "    resolution:\n      type: binary\n      archive: tarball\n"
        "      integrity: sha256-fuZZp3aOZBu/1TYJQGYLjo/QBS93SI82VWK6xSL8FdQ=\n"
        "      url: https://nodejs.org/download/release/v26.7.0/node-v26.7.0-darwin-arm64.tar.gz\n") + text[end:]
    [node] = _same_both_ways(single).dependencies
    assert node.source.url == "https://nodejs.org/download/release/v26.7.0/node-v26.7.0-darwin-arm64.tar.gz"
    assert _same_both_ways(single.replace("      integrity: sha256-fuZZp3aOZBu/1TYJQGYLjo/QBS93SI82VWK6xSL8FdQ=\n", "")) == (
        "binary resolution of 'node@runtime:26.7.0' "
        "(https://nodejs.org/download/release/v26.7.0/node-v26.7.0-darwin-arm64.tar.gz) has no `integrity`", 17)
    assert _same_both_ways(text.replace("            type: binary\n", "            type: directory\n", 1)) == (
        "each variant of 'node@runtime:26.7.0' must have a `binary` resolution", 17)


def test_env_document_split_counts_only_newlines():
    text = (FIXTURES / "env-document.v9.yaml").read_text()
    odd = text.replace("\npackages:\n", "\n# a line separator \u2028 in a comment\npackages:\n", 1)
    from checker.manifests.pnpm_lock import split_documents

    env, main = split_documents(odd)
    assert env.count("\n") == 43 and main.count("\n") == odd.count("\n")
    assert env.split("\n")[1] == "lockfileVersion: '9.0'" and main.split("\n")[44] == "lockfileVersion: '9.0'"


def test_env_document_after_a_byte_order_mark():
    text = (FIXTURES / "env-document.v9.yaml").read_text()
    assert _same_both_ways("\ufeff" + text) == _same_both_ways(text)


def test_lockfile_version_7_of_pnpm_9_pre_releases():
    """'7.0' (pnpm 9.0.0 pre-releases, in pnpm/pnpm's own history from February to April 2024, e.g. 8aca497525):
    6.x's dependency paths (``/name@1.0.0(peer)``), 9.0's split into packages and snapshots; scopes come from the
    snapshot graph as in 9.0, and every importer reference must have its entry."""
    text = (
        "lockfileVersion: '7.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@types/node':\n"
        "        specifier: ^18.0.0\n        version: 18.19.21\n    devDependencies:\n      tempy:\n"
        "        specifier: 1.0.1\n        version: 1.0.1(typanion@3.14.0)\n\npackages:\n\n"
        "  /@types/node@18.19.21:\n    resolution: {integrity: sha512-AAAA}\n\n"
        "  /undici-types@5.26.5:\n    resolution: {integrity: sha512-BBBB}\n\n"
        "  /tempy@1.0.1:\n    resolution: {integrity: sha512-CCCC}\n\n"
        "  /typanion@3.14.0:\n    resolution: {integrity: sha512-DDDD}\n\n"
        "snapshots:\n\n  /@types/node@18.19.21:\n    dependencies:\n      undici-types: 5.26.5\n\n"
        "  /undici-types@5.26.5: {}\n\n  /tempy@1.0.1(typanion@3.14.0):\n    dependencies:\n"
        "      typanion: 3.14.0\n    dev: true\n\n  /typanion@3.14.0:\n    dev: true\n"
    )
    manifest = _same_both_ways(text)
    assert [(d.name, d.version, d.scope, d.direct, d.line) for d in manifest.dependencies] == [
        ("@types/node", "18.19.21", "prod", True, 17),
        ("undici-types", "5.26.5", "prod", False, 20),
        ("tempy", "1.0.1", "dev", True, 23),
        ("typanion", "3.14.0", "dev", False, 26),
    ]
    missing = text.replace("  /tempy@1.0.1:\n    resolution: {integrity: sha512-CCCC}\n\n", "")
    assert "has no entry in packages" in _error(missing).message
