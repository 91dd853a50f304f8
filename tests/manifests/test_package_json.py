"""package.json: dependency sections and scopes, every specifier kind, aliases, overrides / resolutions /
pnpm.overrides, workspaces and bundled dependencies, lines, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.package_json import parse
from checker.model import DEFAULT_SOURCE, Manifest, Source

FIXTURES = Path(__file__).parent / "fixtures" / "package_json"
SHA = "0123456789abcdef0123456789abcdef01234567"


def manifest(text: str, path: str = "package.json") -> Manifest:
    return parse(text, path, lambda _: None)


def error(text: str) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        manifest(text)
    return caught.value


def test_format_registry() -> None:
    fmt = format_for("web/package.json")
    assert (fmt.name, fmt.ecosystem) == ("package-json", "npm")
    assert format_for("package.jsonc") is None
    assert manifest("{}").kind == "declared" and manifest("{}").format == "package-json"


def test_every_kind_of_specifier() -> None:
    deps = manifest((FIXTURES / "every-kind.json").read_text(encoding="utf-8")).dependencies
    assert [(d.name, d.version, d.specifier, d.scope, d.direct, d.line, d.source) for d in deps] == [
        ("lodash", None, "^4.17.21", "prod", True, 6, DEFAULT_SOURCE),
        ("chalk", "5.6.0", "5.6.0", "prod", True, 7, DEFAULT_SOURCE),
        ("string-width", None, "sw@npm:string-width@^4.2.0", "prod", True, 8, DEFAULT_SOURCE),
        ("@ctrl/tinycolor", "4.1.0", "tinycolor@npm:@ctrl/tinycolor@4.1.0", "prod", True, 9, DEFAULT_SOURCE),
        ("from-github", None, "github:acme/widget#v1.2.0", "prod", True, 10, Source("git", "github:acme/widget", "v1.2.0")),
        ("shorthand", None, "acme/gadget", "prod", True, 11, Source("git", "github:acme/gadget")),
        ("pinned-git", None, f"git+ssh://git@github.com/acme/pinned.git#{SHA}", "prod", True, 12,
         Source("git", "ssh://git@github.com/acme/pinned.git", SHA, SHA)),
        ("tarball", None, "https://example.com/tarball-1.0.0.tgz", "prod", True, 13,
         Source("url", "https://example.com/tarball-1.0.0.tgz")),
        ("local", None, "file:../local", "prod", True, 14, Source("path", "file:../local")),
        ("linked", None, "link:./vendor/linked", "prod", True, 15, Source("path", "link:./vendor/linked")),
        ("sibling", None, "workspace:^", "prod", True, 16, Source("path", "workspace:^")),
        ("catalogued", None, "catalog:", "prod", True, 17, DEFAULT_SOURCE),
        ("tagged", None, "latest", "prod", True, 18, DEFAULT_SOURCE),
        ("react", None, "^18.2.0", "prod", True, 19, DEFAULT_SOURCE),
        # lodash is in devDependencies with the same range: one dependency, in the stronger scope (line 6)
        ("react", "18.2.0", "18.2.0", "dev", True, 22, DEFAULT_SOURCE),  # another specifier: kept apart
        ("typescript", None, "~5.4.0", "dev", True, 23, DEFAULT_SOURCE),
        ("fsevents", "2.3.3", "2.3.3", "optional", True, 27, DEFAULT_SOURCE),
        ("react-dom", None, "^18", "prod", True, 30, DEFAULT_SOURCE),
        ("vue", None, ">=3 <4", "optional", True, 31, DEFAULT_SOURCE),  # peerDependenciesMeta optional
        # overrides: not direct; "." is the parent; "$lodash" refers to the direct dependency's range
        ("semver", "7.6.3", "7.6.3", "prod", False, 38, DEFAULT_SOURCE),
        ("react-dom", "18.2.0", "18.2.0", "prod", False, 40, DEFAULT_SOURCE),
        ("scheduler", "0.23.2", "0.23.2", "prod", False, 41, DEFAULT_SOURCE),
        ("debug", None, "^4.17.21", "prod", False, 44, DEFAULT_SOURCE),
        # yarn resolutions: the last name of the pattern
        ("minimist", "1.2.8", "1.2.8", "prod", False, 48, DEFAULT_SOURCE),
        ("@types/node", "20.0.0", "20.0.0", "prod", False, 49, DEFAULT_SOURCE),
        # pnpm.overrides: the overridden package of a parent>child selector; "-" removes and declares nothing
        ("bar", "2.0.0", "2.0.0", "prod", False, 53, DEFAULT_SOURCE),
    ]


def test_osv_package_json_corpus(corpus: Path) -> None:
    folder = corpus / "edge" / "packagejson"

    def read(name: str) -> list[tuple]:
        deps = manifest((folder / name).read_text(encoding="utf-8"), name).dependencies
        return [(d.name, d.version, d.specifier, d.scope, d.line) for d in deps if d.ecosystem == "npm"]

    assert read("package-with-deps.json") == [
        ("dep1", "1.0.0", "1.0.0", "prod", 5), ("dep2", None, ">2.0.0", "prod", 6), ("dep3", None, "~3.1.0", "prod", 7),
        ("dep4", None, "^0.4.2", "prod", 8), ("dep5", None, "5.x", "prod", 9),
        ("dep6", None, "invalid", "prod", 10),  # a dist-tag as far as npm knows
        ("dep7", None, ">=1.0.0 <2.0.0", "prod", 11),
    ]
    assert read("package.json") == [
        ("cookie-parser", None, "~1.4.4", "prod", 14), ("debug", None, "~2.6.9", "prod", 15),
        ("express", None, "~4.16.1", "prod", 16), ("http-errors", None, "~1.6.3", "prod", 17),
        ("morgan", None, "~1.9.1", "prod", 18),
    ]
    # the same package in dependencies and devDependencies with one specifier: one dependency, prod
    assert read("duplicate-keys.json") == [("my-dep", "1.0.0", "1.0.0", "prod", 8)]
    assert read("not-vscode.json") == [("tape", None, "~0.1.1", "dev", 12), ("tap", None, "~0.3.3", "dev", 13)]
    assert read("vscode-extension.json") == [] and read("vscode-extension-only-required.json") == []
    assert [d[0] for d in read("unity-package.json")] == [
        "com.unity.nuget.newtonsoft-json", "com.unity.modules.imageconversion", "com.unity.shadergraph",
        "com.unity.mathematics",
    ]
    undici = read("undici-package.json")
    assert len(undici) == 38 and undici[-1] == ("@fastify/busboy", None, "^2.0.0", "prod", 145)
    assert sum(d[3] == "dev" for d in undici) == 37
    assert read("deps/accepts/package.json")[:2] == [
        ("mime-types", None, "~2.1.34", "prod", 12), ("negotiator", "0.6.3", "0.6.3", "prod", 13),
    ]
    assert read("deps/window-size/package.json") == []
    with pytest.raises(ManifestError) as caught:
        manifest((folder / "invalid").read_text(encoding="utf-8"), "invalid")
    assert str(caught.value) == "invalid:8: not valid JSON: Expecting property name enclosed in double quotes"


def test_vue_and_prettier_package_json(corpus: Path) -> None:
    vue_manifest = manifest((corpus / "real" / "vuejs-core" / "package.json").read_text(encoding="utf-8"))
    # beside its dependencies: the pnpm that Corepack downloads (no digest: an install command), and the two
    # lifecycle scripts an install runs
    assert [(d.ecosystem, d.name, d.version, d.line) for d in vue_manifest.dependencies if d.scope == "build"] == [
        ("npm", "pnpm", "11.19.0", 4),
        ("config", "npm.scripts.preinstall", "npx only-allow pnpm", 45),
        ("config", "npm.scripts.postinstall", "simple-git-hooks", 46),
    ]
    assert [(c.tool, c.text, c.line) for c in vue_manifest.commands] == [("corepack", "pnpm@11.19.0", 4)]
    vue = [d for d in vue_manifest.dependencies if d.scope != "build"]
    assert len(vue) == 52 and {d.scope for d in vue} == {"dev"} and all(d.direct for d in vue)
    assert [(d.name, d.specifier, d.source) for d in vue if d.specifier == "catalog:"] == [
        ("@babel/parser", "catalog:", DEFAULT_SOURCE), ("@babel/types", "catalog:", DEFAULT_SOURCE),
        ("estree-walker", "catalog:", DEFAULT_SOURCE), ("vite", "catalog:", DEFAULT_SOURCE),
    ]
    [marked] = [d for d in vue if d.name == "marked"]
    assert (marked.version, marked.line) == ("13.0.3", 94)
    prettier = manifest((corpus / "real" / "prettier-prettier" / "package.json").read_text(encoding="utf-8"))
    assert [(d.name, d.version, d.specifier) for d in prettier.dependencies if d.scope == "build"] == [
        ("@yarnpkg/cli-dist", "4.17.1", "yarn@4.17.1"),  # Yarn 2+: Corepack fetches its yarn.js
    ]
    deps = [d for d in prettier.dependencies if d.scope != "build"]
    assert len(deps) == 150
    assert (sum(d.scope == "prod" for d in deps), sum(d.scope == "dev" for d in deps)) == (91, 59)
    [trim] = [d for d in deps if not d.direct]
    assert (trim.name, trim.version, trim.line) == ("trim", "1.0.1", 198)  # from "resolutions"


def test_vendored_package_json_declares_nothing() -> None:
    assert manifest("{broken", "node_modules/a/package.json").dependencies == ()
    assert manifest("{broken", "web/node_modules/@s/a/package.json").dependencies == ()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n  "dependencies": []\n}', 2, '"dependencies" must be an object, found array'),
        ('{\n  "dependencies": {\n    "a": 1\n  }\n}', 2, "\"dependencies\": 'a' must be a string, found number"),
        ('{\n  "devDependencies": {\n    "../evil": "1.0.0"\n  }\n}', 3, "\"devDependencies\": '../evil' is not a package name"),
        ('{\n  "dependencies": {"a": "1"},\n  "dependencies": {"b": "2"}\n}', 3,
         "duplicate key 'dependencies': npm would silently keep the last one"),
        ('{\n  "overrides": {\n    ".": "1.0.0"\n  }\n}', 3,
         "\"overrides..\": \".\" only has a meaning inside a package's overrides"),
        ('{\n  "overrides": {\n    "a": "$b"\n  }\n}', 3,
         "\"overrides.a\": '$b' refers to 'b', which is not a direct dependency"),
        ('{\n  "overrides": {\n    "a": 1\n  }\n}', 3, '"overrides.a" must be a string, found number'),
        ('{\n  "resolutions": {\n    "a": ["1"]\n  }\n}', 3, "\"resolutions\" 'a' must be a string, found array"),
        ('{\n  "pnpm": []\n}', 2, '"pnpm" must be an object, found array'),
        ('{\n  "workspaces": "packages/*"\n}', 2, '"workspaces" must be an array of folder globs (or {"packages": [...]})'),
        ('{\n  "bundleDependencies": "a"\n}', 2, '"bundleDependencies" must be true, false or an array of package names'),
        ('{\n  "peerDependenciesMeta": {\n    "a": {"optional": "yes"}\n  }\n}', 3,
         "\"peerDependenciesMeta\" 'a' optional must be true or false, found string"),
        ("[1, 2]", 1, "expected a package.json: a JSON object at the top level, found array"),
        ('{\n  "dependencies": {\n    "a": "npm:b@npm:c@1"\n  }\n}', 3, "'a': 'npm:b@npm:c@1' does not name a package"),
        ('{\n  "name": "x",\n  "dependencies": {\n', 4,
         "not valid JSON: Expecting property name enclosed in double quotes (the file ends early: truncated?)"),
    ],
)
def test_bad_input(text: str, line: int, message: str) -> None:
    err = error(text)
    assert (err.path, err.line, err.message) == ("package.json", line, message)


def test_overrides_nested_too_deep_are_refused() -> None:
    nested: dict = {"leaf": "1.0.0"}
    for _ in range(40):
        nested = {"a": nested}
    err = error(json.dumps({"overrides": nested}))
    assert err.message == '"overrides" nested more than 32 deep'


def test_workspaces_object_form_and_bundled_true_are_accepted() -> None:
    assert manifest('{"workspaces": {"packages": ["a/*"], "nohoist": ["**/x"]}, "bundledDependencies": true}').dependencies == ()
