"""The registry-settings parsers: .npmrc, .yarnrc.yml, .yarnrc, pip.conf, uv.toml, bunfig.toml and the uv/Poetry
settings of pyproject.toml, on minimal files, real files (tests/manifests/fixtures/registry_settings/SOURCES.md) and the
spellings an attacker would try."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.npm_ini import decode, effective
from checker.model import Manifest

FIXTURES = Path(__file__).parent / "fixtures" / "registry_settings"


def parse(path: str, text: str, files: dict[str, str] | None = None) -> Manifest:
    fmt = format_for(path)
    assert fmt is not None, path
    return fmt.parse(text, path, lambda other: (files or {}).get(other))


def settings(manifest: Manifest) -> list[tuple[str, str | None, int | None]]:
    assert all(d.ecosystem == "config" and d.scope == "build" for d in manifest.dependencies)
    return [(d.name, d.version, d.line) for d in manifest.dependencies]


def fixture(folder: str, name: str) -> str:
    return (FIXTURES / folder / name).read_text(encoding="utf-8")


# --- .npmrc -------------------------------------------------------------------------------------------------------


def test_npmrc_reads_registries_tls_scripts_and_pnpm_allow_lists() -> None:
    manifest = parse(".npmrc", "registry=https://registry.npmjs.org/\n@acme:registry=https://npm.acme.example/\n"
                               "strict-ssl=false\nignore-scripts=true\nonly-built-dependencies[]=esbuild\n"
                               "only-built-dependencies[]=sharp\nallow-scripts=a, @b/c\nsave-exact=true\n")
    assert settings(manifest) == [
        ("npm.registry", "https://registry.npmjs.org/", 1), ("npm.@acme:registry", "https://npm.acme.example/", 2),
        ("npm.strict-ssl", "false", 3), ("npm.ignore-scripts", "true", 4),
        ("pnpm.only-built-dependencies", "esbuild", 5), ("pnpm.only-built-dependencies", "sharp", 6),
        ("npm.allow-scripts", "a", 7), ("npm.allow-scripts", "@b/c", 7),
    ]
    assert manifest.kind == "declared" and manifest.problems == ()


def test_npmrc_real_fluentui_vscode_and_astro() -> None:
    assert settings(parse(".npmrc", fixture("npmrc", "fluentui.npmrc"))) == [
        ("npm.registry", "https://registry.npmjs.org/", 1), ("npm.package-lock", "false", 2),
        ("npm.@1js:registry", "https://pkgs.dev.azure.com/uifabric/_packaging/uifabric/npm/registry/", 7),
    ]
    assert settings(parse(".npmrc", fixture("npmrc", "vscode.npmrc"))) == []
    assert settings(parse(".npmrc", fixture("npmrc", "astro.npmrc"))) == []


def test_npm_ini_decodes_as_npm_does() -> None:
    text = ('registry = "https:\\u002f\\u002fevil.example/" \n'  # quoted: JSON escapes decoded
            "strict-ssl='false'\n"  # single quotes, then JSON: the boolean
            "a=1 ; comment\n"  # inline comment
            "b=x\\;y\n"  # an escaped ;
            "c\n"  # no value: true
            "d[]=1\nd[]=2\n"
            "[section]\ne=3\n")
    document = decode(text)
    values = {key: [v.value for v in found] for key, found in effective(document).items()}
    assert values == {"registry": ["https://evil.example/"], "strict-ssl": [False], "a": ["1"], "b": ["x;y"],
                      "c": [True], "d": ["1", "2"]}
    assert [(a.key, a.section) for a in document.assignments if a.section] == [("e", "section")]


def test_npmrc_attacker_spellings_are_all_read() -> None:
    text = ("Registry=https://a.example/\n"  # another case
            "  registry   =   https://b.example/  \n"  # spaces
            "REGISTRY = 'https://c.example/'\n")
    manifest = parse(".npmrc", text)
    assert [(n, v) for n, v, _ in settings(manifest)] == [("npm.registry", "https://a.example/"),
                                                          ("npm.registry", "https://b.example/"),
                                                          ("npm.registry", "https://c.example/")]


def test_npmrc_duplicate_keys_last_wins_as_in_npm() -> None:
    manifest = parse(".npmrc", "registry=https://registry.npmjs.org/\nregistry=https://evil.example/\n")
    assert settings(manifest) == [("npm.registry", "https://evil.example/", 2)]


def test_npmrc_env_references_are_kept_and_credentials_are_never_recorded() -> None:
    manifest = parse(".npmrc", "registry=${NPM_REGISTRY}\n//npm.acme.example/:_authToken=${NPM_TOKEN}\n"
                               "//evil.example/:_authToken=npm_abcdefSECRET\n//evil.example/:_password=c2VjcmV0\n")
    assert settings(manifest) == [
        ("npm.registry", "${NPM_REGISTRY}", 1), ("npm.//npm.acme.example/:_authToken", "${NPM_TOKEN}", 2),
        ("npm.//evil.example/:_authToken", "***", 3), ("npm.//evil.example/:_password", "***", 4),
    ]
    assert "SECRET" not in repr(manifest) and "c2VjcmV0" not in repr(manifest)


def test_npmrc_credentials_in_a_registry_url_are_removed() -> None:
    [dep] = parse(".npmrc", "registry=https://user:s3cret@npm.acme.example/\n").dependencies
    assert "s3cret" not in (dep.version or "") and "npm.acme.example" in (dep.version or "")


def test_npmrc_a_setting_under_a_section_or_an_env_key_is_a_problem() -> None:
    manifest = parse(".npmrc", "${SCOPE}:registry=https://x.example/\n[foo]\nregistry=https://evil.example/\n"
                               "[registry.x]\n")
    assert [problem.line for problem in manifest.problems] == [1, 3, 4]
    assert settings(manifest) == [("npm.${SCOPE}:registry", "https://x.example/", 1)]  # judged all the same


def test_npmrc_under_node_modules_is_an_installed_copy() -> None:
    assert parse("node_modules/x/.npmrc", "registry=http://evil.example/\n").dependencies == ()


def test_npmrc_unicode_line_separator_hides_nothing_npm_reads() -> None:
    # JavaScript's `.` stops at U+2028: npm skips the whole line, and so does lockgate (no dependency, no crash).
    assert settings(parse(".npmrc", "registry=https://a.example/\u2028x\n")) == []


# --- .yarnrc.yml --------------------------------------------------------------------------------------------------


def test_yarnrc_yml_reads_registries_scopes_tls_checksums_and_scripts() -> None:
    text = ("npmRegistryServer: https://registry.yarnpkg.com\nnpmScopes:\n  acme:\n"
            "    npmRegistryServer: https://npm.acme.example\n    npmAuthToken: ${ACME_TOKEN}\n"
            "unsafeHttpWhitelist:\n  - '*.example'\nchecksumBehavior: ignore\nenableScripts: true\n"
            "enableStrictSsl: false\nnodeLinker: node-modules\n")
    assert settings(parse(".yarnrc.yml", text)) == [
        ("yarn.npmRegistryServer", "https://registry.yarnpkg.com", 1),
        ("yarn.npmScopes.acme.npmRegistryServer", "https://npm.acme.example", 4),
        ("yarn.unsafeHttpWhitelist", "*.example", 7), ("yarn.checksumBehavior", "ignore", 8),
        ("yarn.enableScripts", "true", 9), ("yarn.enableStrictSsl", "false", 10),
    ]


def test_yarnrc_yml_real_backstage_hashes_the_release_and_the_plugin() -> None:
    files = {".yarn/releases/yarn-3.6.4.cjs": "release", ".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs": "p"}
    manifest = parse(".yarnrc.yml", fixture("yarnrc_yml", "backstage.yarnrc.yml"), files)
    assert [(n, v) for n, v, _ in settings(manifest)] == [
        ("yarn.npmRegistryServer", "https://registry.npmjs.org/"),
        ("yarn.plugins", ".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs"),
        ("yarn.yarnPath", ".yarn/releases/yarn-3.6.4.cjs"),
    ]
    plugin, release = manifest.dependencies[1:]
    assert plugin.label == "@yarnpkg/plugin-workspace-tools" and plugin.hashes and release.hashes
    assert manifest.problems == () and set(manifest.includes) == set(files)
    assert sorted(t for t, _ in format_for(".yarnrc.yml").scan_includes(fixture("yarnrc_yml", "backstage.yarnrc.yml"),
                                                                         ".yarnrc.yml")) == sorted(files)


def test_yarnrc_yml_a_new_release_under_the_same_name_changes_the_hash() -> None:
    text = "yarnPath: .yarn/releases/yarn-4.5.0.cjs\n"
    one = parse(".yarnrc.yml", text, {".yarn/releases/yarn-4.5.0.cjs": "a"}).dependencies[0]
    two = parse(".yarnrc.yml", text, {".yarn/releases/yarn-4.5.0.cjs": "b"}).dependencies[0]
    assert one.version == two.version and one.hashes != two.hashes


def test_yarnrc_yml_a_missing_or_outside_release_is_a_problem() -> None:
    assert [p.message for p in parse(".yarnrc.yml", "yarnPath: .yarn/releases/gone.cjs\n").problems] == [
        "yarnPath '.yarn/releases/gone.cjs' names .yarn/releases/gone.cjs, which is not in the repository"]
    [problem] = parse("web/.yarnrc.yml", "yarnPath: ../../yarn.cjs\n").problems
    assert "outside the repository" in problem.message


def test_yarnrc_yml_real_prettier_from_the_corpus() -> None:
    from tests.conftest import corpus_file

    path = corpus_file("real", "prettier-prettier", ".yarnrc.yml")
    manifest = parse(".yarnrc.yml", path.read_text(encoding="utf-8"))
    names = [n for n, _, _ in settings(manifest)]
    assert ("yarn.enableScripts", "false") in [(d.name, d.version) for d in manifest.dependencies]
    assert "yarn.plugins" in names and "yarn.yarnPath" in names and "yarn.approvedGitRepositories" not in names


def test_yarnrc_yml_anchor_alias_and_merge_key_are_resolved() -> None:
    text = "base: &evil\n  checksumBehavior: ignore\n<<: *evil\nnpmRegistryServer: &url https://evil.example\n"
    manifest = parse(".yarnrc.yml", text)
    assert [(n, v) for n, v, _ in settings(manifest)] == [("yarn.checksumBehavior", "ignore"),
                                                          ("yarn.npmRegistryServer", "https://evil.example")]


def test_yarnrc_yml_duplicate_keys_are_refused() -> None:
    with pytest.raises(ManifestError) as caught:
        parse(".yarnrc.yml", "npmRegistryServer: https://registry.yarnpkg.com\nnpmRegistryServer: https://evil.example\n")
    assert caught.value.line == 2 and "duplicate key" in caught.value.message


def test_yarnrc_yml_keys_in_another_case_are_read() -> None:
    assert settings(parse(".yarnrc.yml", "NPMRegistryServer: https://evil.example\nenablescripts: 'true'\n")) == [
        ("yarn.npmRegistryServer", "https://evil.example", 1), ("yarn.enableScripts", "true", 2)]


def test_yarnrc_yml_wrong_types_are_problems_not_crashes() -> None:
    manifest = parse(".yarnrc.yml", "npmRegistryServer: [a]\nnpmScopes: x\nplugins: {a: b}\n")
    assert [problem.line for problem in manifest.problems] == [1, 2, 3] and manifest.dependencies == ()


# --- .yarnrc (Yarn 1) -----------------------------------------------------------------------------------------------


def test_yarnrc_reads_registry_scopes_flags_and_the_yarn_release() -> None:
    text = ('registry "https://registry.yarnpkg.com"\n"@acme:registry" "https://npm.acme.example"\n'
            "strict-ssl false\n--install.ignore-scripts true\nyarn-path \".yarn/releases/yarn-1.22.19.cjs\"\n"
            'lastUpdateCheck 1700000000000\nenv:\n  FOO "bar"\n')
    manifest = parse(".yarnrc", text, {".yarn/releases/yarn-1.22.19.cjs": "yarn"})
    assert settings(manifest) == [
        ("yarn.registry", "https://registry.yarnpkg.com", 1), ("yarn.@acme:registry", "https://npm.acme.example", 2),
        ("yarn.strict-ssl", "false", 3), ("yarn.--install.ignore-scripts", "true", 4),
        ("yarn.yarn-path", ".yarn/releases/yarn-1.22.19.cjs", 5),
    ]
    assert manifest.dependencies[-1].hashes and manifest.includes == (".yarn/releases/yarn-1.22.19.cjs",)


def test_yarnrc_real_vscode_reads_nothing_it_need_not() -> None:
    assert settings(parse(".yarnrc", fixture("yarnrc", "vscode.yarnrc"))) == []


def test_yarnrc_a_line_yarn_cannot_read_is_an_error() -> None:
    with pytest.raises(ManifestError) as caught:
        parse(".yarnrc", 'registry "https://a.example"\nregistry https://evil.example\n')
    assert caught.value.line == 2


# --- pip.conf -----------------------------------------------------------------------------------------------------


def test_pip_conf_real_files() -> None:
    assert settings(parse("pip.conf", fixture("pip_conf", "datadog.pip.conf"))) == [
        ("pip.index-url", "https://depot-read-api-python.us1.ddbuild.io/magicmirror/magicmirror/@current/simple/", 2)]
    openhands = parse("pip.conf", fixture("pip_conf", "openhands.pip.conf"))
    assert settings(openhands) == [
        ("pip.trusted-host", "pypi.org", 2), ("pip.trusted-host", "pypi.python.org", 3),
        ("pip.trusted-host", "files.pythonhosted.org", 4), ("pip.trusted-host", "pypi.org", 7),
        ("pip.trusted-host", "pypi.python.org", 8), ("pip.trusted-host", "files.pythonhosted.org", 9),
    ]
    assert [d.label for d in openhands.dependencies] == ["[global]"] * 3 + ["[install]"] * 3
    assert settings(parse("pip.ini", fixture("pip_conf", "cern.pip.conf"))) == [
        ("pip.extra-index-url", "https://cern-nexus.web.cern.ch/repository/pypi-internal/simple/", 2),
        ("pip.trusted-host", "cern-nexus.web.cern.ch", 3)]


def test_pip_conf_spellings_continuations_and_default_section() -> None:
    text = ("[DEFAULT]\nonly-binary = :all:\n[global]\nIndex_URL = https://evil.example/simple\n"
            "--extra-index-url =\n    https://a.example/simple\n    # a comment line\n    https://b.example/simple\n")
    assert settings(parse("pip.conf", text)) == [
        ("pip.only-binary", ":all:", 2), ("pip.index-url", "https://evil.example/simple", 4),
        ("pip.extra-index-url", "https://a.example/simple", 6), ("pip.extra-index-url", "https://b.example/simple", 8),
    ]


def test_pip_conf_a_duplicate_key_is_an_error_as_in_pip() -> None:
    with pytest.raises(ManifestError) as caught:
        parse("pip.conf", "[global]\nindex-url = https://a.example\nindex-url = https://b.example\n")
    assert caught.value.line == 3


def test_pip_conf_an_inline_comment_is_part_of_the_value() -> None:
    manifest = parse("pip.conf", "[global]\nindex-url = https://a.example/simple # mirror\n")
    assert manifest.problems and [v for _, v, _ in settings(manifest)] == ["https://a.example/simple", "#", "mirror"]


# --- uv.toml, pyproject.toml, bunfig.toml -------------------------------------------------------------------------


def test_uv_toml_real_azure_default_index() -> None:
    manifest = parse("uv.toml", fixture("uv_toml", "azure.uv.toml"))
    url = "https://pkgs.dev.azure.com/azure-sdk/public/_packaging/azure-sdk-for-python/pypi/simple/"
    assert settings(manifest) == [("uv.index.azure-sdk", url, 3), ("uv.default-index", url, 3)]
    assert [(o.kind, o.value) for o in manifest.indexes] == [("index", url)]


def test_uv_toml_settings_and_its_pip_table() -> None:
    text = ('index-url = "https://a.example/simple"\nextra-index-url = ["https://b.example/simple"]\n'
            'allow-insecure-host = ["b.example"]\nindex-strategy = "unsafe-best-match"\nno-build = true\n'
            '[pip]\nverify-hashes = false\n[[index]]\nname = "x"\nurl = "https://x.example/simple"\nexplicit = true\n')
    assert settings(parse("uv.toml", text)) == [
        ("uv.index-url", "https://a.example/simple", 1), ("uv.extra-index-url", "https://b.example/simple", 2),
        ("uv.allow-insecure-host", "b.example", 3), ("uv.index-strategy", "unsafe-best-match", 4),
        ("uv.no-build", "true", 5), ("uv.pip.verify-hashes", "false", 7),
        ("uv.index.x", "https://x.example/simple", 10), ("uv.index.x.explicit", "true", 10),
    ]


def test_pyproject_uv_indexes_and_poetry_sources_are_settings_too() -> None:
    text = ('[project]\nname = "app"\nversion = "1"\ndependencies = []\n'
            '[[tool.uv.index]]\nname = "torch"\nurl = "https://download.pytorch.org/whl/cpu"\ndefault = true\n'
            '[tool.uv]\nallow-insecure-host = ["pypi.internal"]\n'
            '[[tool.poetry.source]]\nname = "internal"\nurl = "https://pypi.internal/simple"\npriority = "primary"\n'
            '[[tool.poetry.source]]\nname = "PyPI"\npriority = "supplemental"\n')
    manifest = parse("pyproject.toml", text)
    config = [(d.name, d.version) for d in manifest.dependencies if d.ecosystem == "config"]
    assert config == [
        ("poetry.source.internal", "https://pypi.internal/simple"), ("poetry.source.internal.priority", "primary"),
        ("poetry.source.PyPI", "https://pypi.org/simple/"), ("poetry.source.PyPI.priority", "supplemental"),
        ("uv.index.torch", "https://download.pytorch.org/whl/cpu"),
        ("uv.default-index", "https://download.pytorch.org/whl/cpu"), ("uv.allow-insecure-host", "pypi.internal"),
    ]
    assert all(d.scope == "build" for d in manifest.dependencies if d.ecosystem == "config")


def test_bunfig_registry_scopes_and_ca() -> None:
    assert settings(parse("bunfig.toml", fixture("bunfig", "send.bunfig.toml"))) == [
        ("bun.install.scopes.0xsend", "https://npm.pkg.github.com/", 2)]
    text = '[install]\nregistry = { url = "https://u:p@npm.acme.example/", token = "t" }\ncafile = "ca.pem"\n'
    manifest = parse(".bunfig.toml", text)
    assert [(n, v) for n, v, _ in settings(manifest)] == [("bun.install.registry", "https://npm.acme.example/"),
                                                          ("bun.install.cafile", "ca.pem")]


def test_yarnrc_yml_registries_for_the_berry_lockfile_reader() -> None:
    from checker.manifests.yarnrc_yml import registries

    found = registries("npmRegistryServer: https://mirror.example\nnpmScopes:\n  '@acme':\n"
                       "    npmRegistryServer: https://npm.acme.example\n", ".yarnrc.yml")
    assert found.default == "https://mirror.example" and found.scopes == {"acme": "https://npm.acme.example"}
    assert registries("nodeLinker: pnp\n", ".yarnrc.yml").default is None
