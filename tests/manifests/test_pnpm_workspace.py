"""pnpm-workspace.yaml: catalogs, overrides, packageExtensions, configDependencies, the install settings as config
dependencies pnpm.<key>, real files across pnpm's history, and bad input (checker/manifests/pnpm_workspace.py); and
the same settings in package.json's pnpm field and Bun's trustedDependencies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.diff.changes import diff_dependencies
from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.pnpm_workspace import parse
from checker.model import Manifest, Source

FIXTURES = Path(__file__).parent / "fixtures" / "pnpm_workspace"


def manifest(text: str, path: str = "pnpm-workspace.yaml") -> Manifest:
    return parse(text, path, lambda _: None)


def rows(found: Manifest) -> list[tuple]:
    return [(d.ecosystem, d.name, d.version, d.specifier, d.direct, d.scope, d.line) for d in found.dependencies]


def test_format_registry() -> None:
    fmt = format_for("apps/pnpm-workspace.yaml")
    assert (fmt.name, fmt.ecosystem, fmt.includes) == ("pnpm-workspace", "npm", True)
    assert format_for("pnpm-workspace.yml") is None  # pnpm refuses that name
    assert manifest("").dependencies == () and manifest("# nothing\n").kind == "declared"


def test_catalogs_are_declared_dependencies() -> None:
    text = ("packages:\n  - 'packages/*'\ncatalog:\n  react: ^18.2.0\n  '@types/node': 20.17.6\n"
            "catalogs:\n  react17:\n    react: ^17.0.2\n    react-dom: npm:@preact/compat@17\n  empty:\n")
    assert rows(manifest(text)) == [
        ("npm", "react", None, "^18.2.0", True, "prod", 4),
        ("npm", "@types/node", "20.17.6", "20.17.6", True, "prod", 5),
        ("npm", "react", None, "^17.0.2", True, "prod", 8),
        ("npm", "@preact/compat", None, "react-dom@npm:@preact/compat@17", True, "prod", 9),
    ]


def test_a_catalog_entry_changed_without_the_lockfile_is_a_change() -> None:
    base = manifest("catalog:\n  react: ^18.2.0\n")
    head = manifest("catalog:\n  react: ^19.0.0\n")
    [change] = diff_dependencies(base.dependencies, head.dependencies)
    assert (change.kind, change.name, change.before.specifier, change.after.specifier, change.manifest) == (
        "upgraded", "react", "^18.2.0", "^19.0.0", "pnpm-workspace.yaml")
    # pointed at a git repository or a tarball instead
    evil = manifest("catalog:\n  react: github:evil/react#main\n")
    [change] = diff_dependencies(base.dependencies, evil.dependencies)
    assert change.after.source == Source("git", "github:evil/react", "main")


def test_overrides_extensions_and_config_dependencies() -> None:
    text = """overrides:
  'foo@1>bar': 2.0.0
  ajv@>=7.0.0-alpha.0 <8.18.0: '>=8.18.0'
  qux: '-'
  baz: $baz
packageExtensions:
  react-redux@1:
    peerDependencies:
      react-dom: '*'
    dependencies:
      left-pad: 1.3.0
configDependencies:
  '@pnpm/plugin-x': 1.0.0+sha512-dGVzdA==
  other:
    tarball: https://example.com/other-2.0.0.tgz
    integrity: 2.0.0+sha512-dGVzdA==
  plain: ^3.0.0
"""
    assert rows(manifest(text)) == [
        ("npm", "bar", "2.0.0", "2.0.0", False, "prod", 2),
        ("npm", "ajv", None, ">=8.18.0", False, "prod", 3),
        ("npm", "baz", None, "$baz", False, "prod", 5),  # a reference into the root package.json, kept as written
        ("npm", "react-dom", None, "*", False, "prod", 9),
        ("npm", "left-pad", "1.3.0", "1.3.0", False, "prod", 11),
        ("npm", "@pnpm/plugin-x", "1.0.0", "1.0.0+sha512-dGVzdA==", True, "build", 13),
        ("npm", "other", "2.0.0", "2.0.0+sha512-dGVzdA==", True, "build", 14),
        ("npm", "plain", None, "^3.0.0", True, "build", 17),
    ]
    found = manifest(text)
    assert [sorted(d.hashes) for d in found.dependencies if d.scope == "build"] == [
        ["sha512:74657374"], ["sha512:74657374"], []]
    assert found.dependencies[6].source == Source("url", "https://example.com/other-2.0.0.tgz")


def test_install_settings_are_config_dependencies() -> None:
    text = """onlyBuiltDependencies:
  - esbuild
  - sharp
neverBuiltDependencies: [core-js]
ignoredBuiltDependencies: []
onlyBuiltDependenciesFile: node_modules/@acme/policy/allow.json
dangerouslyAllowAllBuilds: true
strictDepBuilds: false
allowBuilds:
  esbuild: true
  '@parcel/watcher': false
registry: https://npm.evil.example/
registries:
  default: https://registry.npmjs.org/
  '@acme': http://npm.acme.example/
minimumReleaseAge: 0
trustPolicy: no-downgrade
hoistPattern: ['*']
only-built-dependencies: [ignored-kebab-case]
"""
    assert [(name, version, line) for eco, name, version, _, _, _, line in rows(manifest(text))] == [
        ("pnpm.onlyBuiltDependencies", "esbuild", 2),
        ("pnpm.onlyBuiltDependencies", "sharp", 3),
        ("pnpm.neverBuiltDependencies", "core-js", 4),
        ("pnpm.onlyBuiltDependenciesFile", "node_modules/@acme/policy/allow.json", 6),
        ("pnpm.dangerouslyAllowAllBuilds", "true", 7),
        ("pnpm.strictDepBuilds", "false", 8),
        ("pnpm.allowBuilds.esbuild", "true", 10),
        ("pnpm.allowBuilds.@parcel/watcher", "false", 11),
        ("pnpm.registry", "https://npm.evil.example/", 12),
        ("pnpm.registries.default", "https://registry.npmjs.org/", 14),
        ("pnpm.registries.@acme", "http://npm.acme.example/", 15),
        ("pnpm.minimumReleaseAge", "0", 16),
        ("pnpm.trustPolicy", "no-downgrade", 17),
    ]
    assert all(d.ecosystem == "config" and d.scope == "build" for d in manifest(text).dependencies)


def test_a_new_package_allowed_to_build_is_an_added_change_and_a_flipped_switch_a_changed_one() -> None:
    base = manifest("onlyBuiltDependencies:\n  - esbuild\ndangerouslyAllowAllBuilds: false\n")
    head = manifest("onlyBuiltDependencies:\n  - esbuild\n  - evil-pkg\ndangerouslyAllowAllBuilds: true\n")
    changes = diff_dependencies(base.dependencies, head.dependencies)
    assert sorted((c.kind, c.name, c.after.version) for c in changes) == [
        ("added", "pnpm.onlyBuiltDependencies", "evil-pkg"),
        ("source-changed", "pnpm.dangerouslyAllowAllBuilds", "true"),
    ]


def test_yaml_tricks() -> None:
    # an anchor shared by two settings is read as written in both places
    text = "onlyBuiltDependencies: &builds\n  - esbuild\nneverBuiltDependencies: *builds\n"
    assert [(d.name, d.version) for d in manifest(text).dependencies] == [
        ("pnpm.onlyBuiltDependencies", "esbuild"), ("pnpm.neverBuiltDependencies", "esbuild")]
    # a merge key brings the catalog entries of another mapping
    merged = "base: &base\n  react: ^18.2.0\ncatalog:\n  <<: *base\n  vue: ^3.4.0\n"
    assert sorted(d.name for d in manifest(merged).dependencies) == ["react", "vue"]
    # a duplicate key is refused, as pnpm's YAML reader refuses it
    with pytest.raises(ManifestError) as caught:
        manifest("catalog:\n  react: ^18.2.0\n  react: ^99.0.0\n")
    assert caught.value.line == 3 and "duplicate" in caught.value.message
    # quoted and plain scalars are the same text; a YAML 1.1 boolean spelling stays as written
    assert [d.version for d in manifest("dangerouslyAllowAllBuilds: 'true'\nstrictDepBuilds: yes\n").dependencies] == [
        "true", "yes"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- a\n- b\n", 1, "expected a pnpm-workspace.yaml: a mapping at the top level, found a list"),
        ("packages: 'packages/*'\n", 1, '"packages" must be a list of folder globs'),
        ("catalog: [react]\n", 1, '"catalog" must be a mapping of package names to ranges'),
        ("catalogs:\n  one: ^1\n", 2, '"catalogs.one" must be a mapping of package names to ranges'),
        ("catalogs: [a]\n", 1, '"catalogs" must be a mapping of catalog names to catalogs'),
        ("catalog:\n  react:\n    - 18\n", 2, "\"catalog\" 'react' must be a version range"),
        ("catalog:\n  ../evil: ^1\n", 2, "'../evil': '^1' does not name a package"),
        ("overrides:\n  a: [1]\n", 2, "\"overrides\" 'a' must be a string, found array"),
        ("patchedDependencies:\n  - a.patch\n", 1, '"patchedDependencies" must be an object, found array'),
        ("configDependencies:\n  x: [1]\n", 2, '"configDependencies" \'x\' must be "<version>+<integrity>" or a specifier'),
        ("catalog: {\n", 2, "not valid YAML"),
    ],
)
def test_bad_input(text: str, line: int, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        manifest(text)
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


def test_real_vue_core() -> None:
    """vuejs/core's pnpm-workspace.yaml: a catalog, allowBuilds, minimumReleaseAge and trustPolicy."""
    found = manifest((FIXTURES / "vuejs-core.yaml").read_text(encoding="utf-8"))
    deps = found.dependencies
    assert [(d.name, d.specifier) for d in deps if d.ecosystem == "npm"][:3] == [
        ("@babel/parser", "^7.29.8"), ("@babel/types", "^7.29.8"), ("entities", "^7.0.1")]
    assert [(d.name, d.version) for d in deps if d.ecosystem == "config"] == [
        ("pnpm.allowBuilds.@parcel/watcher", "true"), ("pnpm.allowBuilds.@swc/core", "true"),
        ("pnpm.allowBuilds.esbuild", "true"), ("pnpm.allowBuilds.puppeteer", "true"),
        ("pnpm.allowBuilds.simple-git-hooks", "true"), ("pnpm.allowBuilds.unrs-resolver", "true"),
        ("pnpm.minimumReleaseAge", "1440"), ("pnpm.trustPolicy", "no-downgrade"),
    ]
    assert found.problems == () and found.includes == (".pnpmfile.mjs", ".pnpmfile.cjs")


def test_pnpmfiles_are_read_with_their_content_hash() -> None:
    hook = "module.exports = {hooks: {readPackage(pkg) { return pkg }}}\n"
    evil = hook.replace("return pkg", "pkg.dependencies.evil = '1.0.0'; return pkg")

    def parse_with(text: str, files: dict[str, str]) -> Manifest:
        return parse(text, "web/pnpm-workspace.yaml", files.get)

    base = parse_with("packages: [a]\n", {"web/.pnpmfile.cjs": hook})
    head = parse_with("packages: [a]\n", {"web/.pnpmfile.cjs": evil})
    [dep] = base.dependencies
    assert (dep.ecosystem, dep.name, dep.version, dep.scope, dep.line) == (
        "config", "pnpm.pnpmfile", ".pnpmfile.cjs", "build", None)
    assert [h.split(":")[0] for h in dep.hashes] == ["sha256"]
    [change] = diff_dependencies(base.dependencies, head.dependencies)
    assert (change.kind, change.name) == ("hashes-changed", "pnpm.pnpmfile")
    # a new pnpmfile where there was none is an added one; ignorePnpmfile turns the defaults off
    assert [c.kind for c in diff_dependencies(parse_with("{}", {}).dependencies, head.dependencies)] == ["added"]
    assert parse_with("ignorePnpmfile: true\n", {"web/.pnpmfile.cjs": hook}).dependencies == (
        parse_with("ignorePnpmfile: true\n", {}).dependencies)
    # the setting names more files (a path or a list); a missing or escaping one is a problem
    named = parse_with("pnpmfile:\n  - hooks/a.cjs\n  - ../../outside.cjs\n  - hooks/missing.cjs\n",
                       {"web/hooks/a.cjs": hook})
    assert [(d.name, d.version, d.line) for d in named.dependencies if d.name == "pnpm.pnpmfile"] == [
        ("pnpm.pnpmfile", "hooks/a.cjs", 2)]
    assert [(p.message, p.line) for p in named.problems] == [
        ("\"pnpmfile\" '../../outside.cjs' is outside the repository, so lockgate cannot see what it runs", 3),
        ("the pnpmfile web/hooks/missing.cjs does not exist", 4),
    ]
    assert named.includes == ("web/.pnpmfile.mjs", "web/.pnpmfile.cjs", "web/hooks/a.cjs", "web/hooks/missing.cjs")


def test_real_pnpm_settings_moved_from_package_json() -> None:
    """pnpm/pnpm ffddb165: the same settings, first in package.json's pnpm field, then in pnpm-workspace.yaml."""
    folder = FIXTURES / "pnpm-ffddb165"
    before = format_for("package.json").parse((folder / "before" / "package.json").read_text(encoding="utf-8"),
                                              "package.json", lambda _: None)
    after = manifest((folder / "after" / "pnpm-workspace.yaml").read_text(encoding="utf-8"))
    settings = [(d.name, d.version) for d in before.dependencies if d.ecosystem == "config" and d.name.startswith("pnpm.")]
    assert settings == [(d.name, d.version) for d in after.dependencies if d.ecosystem == "config"]
    assert settings == [("pnpm.onlyBuiltDependencies", "esbuild"), ("pnpm.onlyBuiltDependencies", "fuse-native"),
                        ("pnpm.onlyBuiltDependencies", "ghooks"), ("pnpm.ignoredBuiltDependencies", "core-js")]
    # packageExtensions and patches moved too (the overrides stayed in package.json, where pnpm 10 still read them)
    moved = [(d.name, d.specifier, d.line) for d in after.dependencies if not d.direct]
    assert [name for name, _, _ in moved] == ["@babel/types", "slash", "unified", "@yao-pkg/pkg", "graceful-fs",
                                              "mdast-util-to-string"]
    kept = {(d.name, d.specifier) for d in before.dependencies if not d.direct and d.ecosystem == "npm"}
    assert {(name, specifier) for name, specifier, _ in moved} <= kept


def package_json(fields: dict) -> Manifest:
    return format_for("package.json").parse(json.dumps({"name": "app", **fields}, indent=2), "package.json",
                                            lambda _: None)


def test_package_json_pnpm_field_settings_and_bun_trusted_dependencies() -> None:
    found = package_json({
        "pnpm": {"onlyBuiltDependencies": ["esbuild"], "neverBuiltDependencies": ["fsevents"],
                 "allowBuilds": {"sharp": True}, "configDependencies": {"cfg": "1.0.0+sha512-dGVzdA=="},
                 "packageExtensions": {"a@1": {"dependencies": {"b": "^2"}}}},
        "trustedDependencies": ["sharp", "evil-pkg"],
    })
    assert [(d.ecosystem, d.name, d.version, d.specifier) for d in found.dependencies] == [
        ("config", "pnpm.onlyBuiltDependencies", "esbuild", ""),
        ("config", "pnpm.neverBuiltDependencies", "fsevents", ""),
        ("config", "pnpm.allowBuilds.sharp", "true", ""),
        ("npm", "cfg", "1.0.0", "1.0.0+sha512-dGVzdA=="),
        ("npm", "b", None, "^2"),
        ("config", "bun.trustedDependencies", "sharp", ""),
        ("config", "bun.trustedDependencies", "evil-pkg", ""),
    ]
    with pytest.raises(ManifestError) as caught:
        package_json({"trustedDependencies": "sharp"})
    assert caught.value.message == '"trustedDependencies" must be an array of package names'


def test_real_bun_trusted_dependencies() -> None:
    text = (Path(__file__).parent / "fixtures" / "package_json" / "vision-camera" / "package.trusted.json").read_text(
        encoding="utf-8")
    found = format_for("package.json").parse(text, "package.json", lambda _: None)
    assert [(d.name, d.version, d.line) for d in found.dependencies] == [
        ("bun.trustedDependencies", "react-native-vision-camera", 9)]
