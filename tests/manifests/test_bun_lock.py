"""bun.lock (Bun's text lockfile) and bun.lockb (its binary one): the parser on minimal and real files, the
relaxed JSON it is written in, the attacker's variants, and the command line end to end."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.errors import ManifestError
from checker.manifests import FORMATS_BY_NAME, format_for
from checker.manifests.bun_lock import find_resolution, includes, parse
from checker.manifests.jsonc import to_json
from checker.model import DEFAULT_SOURCE, Source

FIXTURES = Path(__file__).parent / "fixtures" / "bun_lock"


def sri(text: str) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(text.encode()).digest()).decode()


def hex512(text: str) -> str:
    return "sha512:" + hashlib.sha512(text.encode()).hexdigest()


def npm(name: str, version: str, info: dict | None = None, registry: str = "") -> list:
    return [f"{name}@{version}", registry, info or {}, sri(f"{name}@{version}")]


def lockfile(workspaces: dict, packages: dict, version: int = 1, **top: object) -> str:
    """A bun.lock as Bun writes it: two-space indents, a trailing comma after every member, one line a package."""
    def block(value: dict, depth: int) -> str:
        pad = "  " * depth
        lines = []
        for key, item in value.items():
            shown = block(item, depth + 1) if isinstance(item, dict) and item else json.dumps(item)
            lines.append(f"{pad}  {json.dumps(key)}: {shown},")
        return "{\n" + "\n".join(lines) + f"\n{pad}}}" if lines else "{}"

    out = ["{", f'  "lockfileVersion": {version},', f'  "workspaces": {block(workspaces, 1)},']
    out.extend(f"  {json.dumps(key)}: {block(value, 1) if isinstance(value, dict) else json.dumps(value)},"
               for key, value in top.items())
    out.append('  "packages": {')
    out.extend(f"    {json.dumps(key)}: {json.dumps(value)},\n" for key, value in packages.items())
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def deps(text: str, read=lambda path: None):  # type: ignore[no-untyped-def]
    return {(d.name, d.version): d for d in parse(text, "bun.lock", read).dependencies}


APP = {"": {"name": "app", "dependencies": {"chalk": "^4.1.0"}, "devDependencies": {"ms": "^2.0.0"},
            "optionalDependencies": {"fsevents": "^2.3.0"}}}
PACKAGES = {
    "chalk": npm("chalk", "4.1.2", {"dependencies": {"ansi-styles": "^4.1.0"}}),
    "ansi-styles": npm("ansi-styles", "4.3.0"),
    "ms": npm("ms", "2.1.3", {"dependencies": {"ansi-styles": "^4.0.0"}}),
    "fsevents": npm("fsevents", "2.3.3", {"os": "darwin"}),
}


# ---------------------------------------------------------------------------------------------------------------
# What a bun.lock holds


def test_packages_with_versions_integrity_scope_and_direct():
    manifest = parse(lockfile(APP, PACKAGES), "bun.lock", lambda p: None)
    assert (manifest.format, manifest.ecosystem, manifest.kind, manifest.problems) == ("bun-lock", "npm", "lock", ())
    found = {d.name: d for d in manifest.dependencies}
    chalk = found["chalk"]
    assert (chalk.version, chalk.hashes, chalk.source, chalk.resolved) == (
        "4.1.2", frozenset({hex512("chalk@4.1.2")}), DEFAULT_SOURCE, None)
    assert (chalk.scope, chalk.direct, chalk.specifier, chalk.line) == ("prod", True, "^4.1.0", 18)
    assert (found["ms"].scope, found["ms"].direct) == ("dev", True)
    assert (found["fsevents"].scope, found["fsevents"].direct) == ("optional", True)
    assert (found["ansi-styles"].scope, found["ansi-styles"].direct) == ("prod", False)  # prod wins over dev


def test_a_package_only_dev_dependencies_reach_is_dev():
    packages = dict(PACKAGES, ms=npm("ms", "2.1.3", {"dependencies": {"debug": "^4"}}), debug=npm("debug", "4.3.4"))
    assert deps(lockfile(APP, packages))[("debug", "4.3.4")].scope == "dev"


def test_lockfile_version_0_reads_workspace_entries():
    text = (FIXTURES / "osv-scalibr" / "nested-dependencies.json5").read_text()
    assert "lockfileVersion\": 0" in text
    found = {d.name: d for d in parse(text, "bun.lock", lambda p: None).dependencies}
    assert found["chalk"].direct and found["chalk"].scope == "dev"


@pytest.mark.parametrize("version", [0, 1, 2, 3])
def test_every_lockfile_version_bun_writes(version):
    assert len(deps(lockfile(APP, PACKAGES, version=version))) == 4


def test_nested_folders_resolve_as_bun_resolves_them():
    packages = {
        "a": npm("a", "1.0.0", {"dependencies": {"b": "^2"}}),
        "b": npm("b", "1.0.0"),
        "a/b": npm("b", "2.0.0", {"dependencies": {"@s/c": "1"}}),
        "@s/c": npm("@s/c", "1.0.0"),
    }
    found = parse(lockfile({"": {"dependencies": {"a": "1", "b": "1"}}}, packages), "bun.lock", lambda p: None)
    assert sorted((d.name, d.version, d.direct) for d in found.dependencies) == [
        ("@s/c", "1.0.0", False), ("a", "1.0.0", True), ("b", "1.0.0", True), ("b", "2.0.0", False)]
    keys = {"a", "a/b", "@s/c", "@s/c/@t/d", "x"}
    assert find_resolution("a/b", "x", keys) == "x"
    assert find_resolution("a", "b", keys) == "a/b"
    assert find_resolution("@s/c/@t/d", "a", keys) == "a"
    with pytest.raises(ValueError):
        find_resolution("a@b/c", "x", {"q"})


def test_workspaces_declare_their_own_dependencies():
    workspaces = {"": {"name": "root"},
                  "packages/app": {"name": "app", "dependencies": {"lodash": "^4", "lib": "workspace:*"}},
                  "packages/lib": {"name": "lib", "devDependencies": {"lodash": "^3"}}}
    packages = {
        "app": ["app@workspace:packages/app"],
        "lib": ["lib@workspace:packages/lib"],
        "lodash": npm("lodash", "4.17.21"),
        "lib/lodash": npm("lodash", "3.10.1"),
    }
    found = deps(lockfile(workspaces, packages))
    assert set(found) == {("lodash", "4.17.21"), ("lodash", "3.10.1")}  # workspaces are the project itself
    assert (found[("lodash", "4.17.21")].scope, found[("lodash", "3.10.1")].scope) == ("prod", "dev")
    assert found[("lodash", "3.10.1")].direct


def test_sources_git_github_tarballs_and_paths():
    commit = "1ae6dc1267500360b411ec711b8aeac8c68b2246"
    workspaces = {"": {"dependencies": {
        "g": "git+https://gitlab.com/acme/g.git#main", "h": "github:acme/h", "t": "https://example.com/t.tgz",
        "l": "./vendor/l.tgz", "f": "file:./f", "k": "link:k"}}}
    packages = {
        "g": ["g@git+https://gitlab.com/acme/g.git#" + commit, {}, commit],
        "h": ["h@github:acme/h#527e8ce", {}, "acme-h-527e8ce", sri("h")],
        "t": ["t@https://example.com/t.tgz", {}, sri("t")],
        "l": ["l@./vendor/l.tgz", {}],
        "f": ["f@file:f", {}],
        "k": ["k@link:k", {}],
    }
    found = {d.name: d for d in parse(lockfile(workspaces, packages), "bun.lock", lambda p: None).dependencies}
    assert found["g"].source == Source("git", url="https://gitlab.com/acme/g.git", ref=commit, commit=commit)
    assert found["g"].version == commit
    assert found["h"].source == Source("git", url="https://github.com/acme/h", ref="527e8ce")
    assert (found["h"].version, found["h"].hashes) == ("527e8ce", frozenset({hex512("h")}))
    assert (found["t"].source, found["t"].resolved, found["t"].version) == (
        Source("url", url="https://example.com/t.tgz"), "https://example.com/t.tgz", None)
    assert found["l"].source == Source("path", url="./vendor/l.tgz") and found["l"].hashes == frozenset()
    assert (found["f"].source, found["k"].source) == (Source("path", url="f"), Source("path", url="k"))


def test_another_registry_keeps_its_tarball_url():
    url = "https://npm.acme.example/chalk/-/chalk-4.1.2.tgz"
    packages = dict(PACKAGES, chalk=npm("chalk", "4.1.2", {"dependencies": {"ansi-styles": "^4.1.0"}}, url))
    chalk = deps(lockfile(APP, packages))[("chalk", "4.1.2")]
    assert (chalk.source, chalk.resolved) == (Source("registry", url="https://npm.acme.example/"), url)


def test_an_empty_integrity_is_no_hash_and_a_bundled_package_says_so():
    packages = dict(PACKAGES, chalk=["chalk@4.1.2", "", {"dependencies": {"ansi-styles": "^4"}, "bundled": True}, ""])
    chalk = deps(lockfile(APP, packages))[("chalk", "4.1.2")]
    assert chalk.hashes == frozenset() and chalk.bundled


def test_an_alias_is_its_real_package():
    text = (FIXTURES / "osv-scalibr" / "alias.json5").read_text()
    manifest = parse(text, "bun.lock", lambda p: None)
    old = next(d for d in manifest.dependencies if d.version == "6.1.0")
    assert (old.name, old.specifier, old.direct) == ("supports-color", "npm:supports-color@^6.0.0", True)
    assert manifest.problems == ()


def test_a_catalog_specifier_shows_the_catalogs_range():
    workspaces = {"": {"dependencies": {"chalk": "catalog:", "ms": "catalog:tools"}}}
    text = lockfile(workspaces, {"chalk": npm("chalk", "4.1.2"), "ms": npm("ms", "2.1.3")},
                    catalog={"chalk": "^4.1.0"}, catalogs={"tools": {"ms": "~2.1.0"}})
    found = deps(text)
    assert (found[("chalk", "4.1.2")].specifier, found[("ms", "2.1.3")].specifier) == ("^4.1.0", "~2.1.0")


def test_the_same_package_in_two_folders_is_one_dependency():
    packages = {"a": npm("a", "1.0.0", {"dependencies": {"c": "1"}}), "b": npm("b", "1.0.0"),
                "c": npm("c", "2.0.0"), "a/c": npm("c", "1.0.0"), "b/c": npm("c", "1.0.0")}
    workspaces = {"": {"dependencies": {"a": "1"}, "devDependencies": {"b": "1", "c": "2"}}}
    packages["b"] = npm("b", "1.0.0", {"dependencies": {"c": "1"}})
    found = [d for d in parse(lockfile(workspaces, packages), "bun.lock", lambda p: None).dependencies if d.name == "c"]
    assert sorted((d.version, d.scope) for d in found) == [("1.0.0", "prod"), ("2.0.0", "dev")]


# ---------------------------------------------------------------------------------------------------------------
# Install scripts and patches


def test_trusted_dependencies_are_settings_that_need_review():
    text = lockfile(APP, PACKAGES, trustedDependencies=["esbuild", "chalk"])
    trusted = [d for d in parse(text, "bun.lock", lambda p: None).dependencies if d.ecosystem == "config"]
    assert [(d.name, d.version, d.scope) for d in trusted] == [
        ("bun.trustedDependencies", "esbuild", "build"), ("bun.trustedDependencies", "chalk", "build")]
    assert text.splitlines()[trusted[0].line - 1].startswith('  "trustedDependencies": ["esbuild"')


def test_a_patch_joins_the_hashes_of_the_package_it_patches():
    patch = "--- a/index.js\n+++ b/index.js\n@@ -1 +1 @@\n-a\n+b\n"
    text = lockfile(APP, PACKAGES, patchedDependencies={"chalk@4.1.2": "patches/chalk@4.1.2.patch"})
    files = {"web/patches/chalk@4.1.2.patch": patch}
    manifest = parse(text, "web/bun.lock", files.get)
    chalk = next(d for d in manifest.dependencies if d.name == "chalk")
    assert "patch-sha256:" + hashlib.sha256(patch.encode()).hexdigest() in chalk.hashes
    assert manifest.includes == ("web/patches/chalk@4.1.2.patch",)
    assert includes(text, "web/bun.lock") == [("web/patches/chalk@4.1.2.patch", 17)]
    edited = next(d for d in parse(text, "web/bun.lock", {k: v + "x" for k, v in files.items()}.get).dependencies
                  if d.name == "chalk")
    assert edited.hashes != chalk.hashes


def test_a_missing_patch_is_a_problem_and_one_outside_the_repository_an_error():
    text = lockfile(APP, PACKAGES, patchedDependencies={"chalk@4.1.2": "patches/gone.patch"})
    assert "does not exist" in parse(text, "bun.lock", lambda p: None).problems[0].message
    text = lockfile(APP, PACKAGES, patchedDependencies={"chalk@4.1.2": "../../etc/passwd"})
    with pytest.raises(ManifestError, match="leaves the repository"):
        parse(text, "bun.lock", lambda p: None)
    assert includes(text, "bun.lock") == [] and includes(lockfile(APP, PACKAGES), "bun.lock") == []


# ---------------------------------------------------------------------------------------------------------------
# Bun's relaxed JSON


@pytest.mark.parametrize(("text", "expected"), [
    ('{"a": [1, 2,], "b": {"c": 1,},}', {"a": [1, 2], "b": {"c": 1}}),
    ('{"a": "x // not a comment, ]", // a comment\n "b": 1 /* another, } */,\n}', {"a": "x // not a comment, ]", "b": 1}),
    ('{"a": "esc\\"aped, }" , }', {"a": 'esc"aped, }'}),
    ('{"a": 1, /* c\n\n */ }', {"a": 1}),
])
def test_comments_and_trailing_commas_as_bun_reads_them(text, expected):
    strict = to_json(text, "bun.lock")
    assert json.loads(strict) == expected and strict.count("\n") == text.count("\n")


@pytest.mark.parametrize("text", [
    '{"a": 1 // a comment a U+2028 ends\u2028, "b": 2}',   # Bun ends the comment there: never swallow what follows
    '{"a": [1,,]}', "{'a': 1}", '{"a": 1 /* never closed', '{"a": "never closed}', "{,}", '{"a": NaN}',
])
def test_what_json_cannot_say_is_an_error_not_a_guess(text):
    with pytest.raises(ManifestError):
        parse(text, "bun.lock", lambda p: None)


def test_megabyte_lines_read_in_linear_time():
    from tests.hypothesis_profiles import hang_guard

    for text in ('"' + '\\"' * 500_000, '"' * 1_000_000, "/*" * 500_000, '"a",' * 250_000, "[" + ", " * 500_000 + "]",
                 '{"a": "b" // ' + "/" * 1_000_000):
        with hang_guard("a 1 MB line of bun.lock"):
            with pytest.raises(ManifestError):
                parse(text, "bun.lock", lambda p: None)


def test_lines_stay_right_after_comments():
    text = lockfile(APP, PACKAGES).replace('"packages": {', '/* one\n two */ "packages": { // three')
    assert deps(text)[("chalk", "4.1.2")].line == 19


# ---------------------------------------------------------------------------------------------------------------
# What Bun refuses is refused; what Bun reads otherwise than it looks is a problem


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty file"),
    ("[]", "a JSON object at the top level"),
    ('{"workspaces": {"": {}}}', "missing lockfileVersion"),
    ('{"lockfileVersion": 4, "workspaces": {"": {}}}', "unsupported bun.lock lockfileVersion 4"),
    ('{"lockfileVersion": true, "workspaces": {"": {}}}', "unsupported"),
    ('{"lockfileVersion": 1}', "missing the `workspaces` object"),
    ('{"lockfileVersion": 1, "workspaces": {"x": {"name": "x"}}}', 'no root package'),
])
def test_files_bun_refuses(text, message):
    with pytest.raises(ManifestError, match=message):
        parse(text, "bun.lock", lambda p: None)


def test_a_duplicate_key_is_an_error_naming_its_line():
    text = lockfile(APP, PACKAGES).replace('    "ms": ', '    "chalk": ["chalk@9.9.9", "", {}, "sha512-AA=="],\n    "ms": ')
    with pytest.raises(ManifestError, match="duplicate key 'chalk': Bun reads one of the two") as caught:
        parse(text, "bun.lock", lambda p: None)
    assert caught.value.line == 23
    inner = lockfile(APP, dict(PACKAGES, ms=npm("ms", "2.1.3"))).replace(
        '"ms@2.1.3", "", {}', '"ms@2.1.3", "", {"dependencies": {"x": "1"}, "dependencies": {}}')
    with pytest.raises(ManifestError, match="duplicate key 'dependencies'"):
        parse(inner, "bun.lock", lambda p: None)


def test_a_key_bun_wrote_twice_with_the_same_value_is_read_once():
    """Bun 1.2 wrote a peer dependency twice (elysiajs/elysia's bun.lock, May 2025: ``"file-type": ">= 20.0.0"`` two
    lines running): the same value hides nothing. Another value under the same key still is an error."""
    app = {"": dict(APP[""], peerDependencies={"ms": ">= 2.0.0"})}
    text = lockfile(app, PACKAGES).replace('        "ms": ">= 2.0.0",\n', '        "ms": ">= 2.0.0",\n' * 2)
    assert text.count('"ms": ">= 2.0.0"') == 2
    once = deps(lockfile(app, PACKAGES))
    assert {key: d._replace(line=None) for key, d in deps(text).items()} == {
        key: d._replace(line=None) for key, d in once.items()}
    with pytest.raises(ManifestError, match="duplicate key 'ms': Bun reads one of the two"):
        parse(text.replace('"ms": ">= 2.0.0",', '"ms": ">= 3.0.0",', 1), "bun.lock", lambda p: None)
    # the same JSON, not equal Python values: true is not 1, 1 is not 1.0
    for first, second in (("true", "1"), ("1", "1.0")):
        odd = lockfile(APP, PACKAGES).replace('"lockfileVersion": 1,', f'"x": {first},\n  "x": {second},\n  '
                                              '"lockfileVersion": 1,')
        with pytest.raises(ManifestError, match="duplicate key 'x'"):
            parse(odd, "bun.lock", lambda p: None)


def test_a_declared_package_missing_from_packages_is_an_error():
    """Bun refuses such a file, and ``bun install`` without ``--frozen-lockfile`` then resolves afresh: nothing
    would be pinned."""
    packages = dict(PACKAGES)
    del packages["ms"]
    with pytest.raises(ManifestError, match="the root workspace declares 'ms', which has no entry"):
        parse(lockfile(APP, packages), "bun.lock", lambda p: None)
    packages = dict(PACKAGES)
    del packages["ansi-styles"]
    with pytest.raises(ManifestError, match="package 'chalk' depends on 'ansi-styles'"):
        parse(lockfile(APP, packages), "bun.lock", lambda p: None)
    del packages["fsevents"]  # an optional dependency may be absent (another platform's)
    packages["ansi-styles"] = npm("ansi-styles", "4.3.0")
    assert len(deps(lockfile(APP, packages))) == 3


@pytest.mark.parametrize(("entry", "message"), [
    (["chalk"], "not \"<name>@<resolution>\""),
    (["chalk@^4"], "unexpected resolution '\\^4'"),
    (["chalk@4.1.2"], "the second item must be the registry"),
    (["chalk@4.1.2", ""], "missing its info object"),
    (["chalk@4.1.2", "", {}], "missing its integrity"),
    (["chalk@4.1.2", "", {}, "md5-nope!"], "is not algorithm-base64"),
    (["chalk@4.1.2", "", {"dependencies": {"a": 1}}, ""], "must be an object of strings"),
    ({"not": "an array"}, "must be an array"),
    (["chalk@github:a/b#abc", {}], "missing its git tag"),
    (["bad name@1.0.0", "", {}, ""], "is not"),
    (["..@1.0.0", "", {}, ""], "is not"),
])
def test_malformed_entries_are_clean_errors(entry, message):
    with pytest.raises(ManifestError, match=message) as caught:
        parse(lockfile(APP, dict(PACKAGES, chalk=entry)), "bun.lock", lambda p: None)
    assert caught.value.line == 18


def test_a_package_in_another_packages_place_is_a_problem():
    """The key is the folder npm/Bun installs into; ``lodash`` holding ``evil`` installs evil as lodash."""
    workspaces = {"": {"dependencies": {"lodash": "^4.17.21"}}}
    manifest = parse(lockfile(workspaces, {"lodash": npm("evil", "1.0.0")}), "bun.lock", lambda p: None)
    assert [d.name for d in manifest.dependencies] == ["evil"]  # what gets installed is what is judged
    assert "installs evil@1.0.0 under the name 'lodash'" in manifest.problems[0].message
    nested = {"a": npm("a", "1.0.0", {"dependencies": {"b": "1"}}), "a/b": npm("evil", "1.0.0")}
    assert parse(lockfile({"": {"dependencies": {"a": "1"}}}, nested), "bun.lock", lambda p: None).problems


def test_an_unsafe_git_tag_is_a_problem():
    packages = {"g": ["g@git+https://x/g.git#main", {}, "--upload-pack=touch /tmp/x"]}
    manifest = parse(lockfile({"": {"dependencies": {"g": "git+https://x/g.git"}}}, packages), "bun.lock",
                     lambda p: None)
    assert "not one safe path component" in manifest.problems[0].message


# ---------------------------------------------------------------------------------------------------------------
# Real files


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "osv-scalibr").iterdir()))
def test_osv_scalibr_fixtures(name):
    """google/osv-scalibr's bun.lock test data (SOURCES.md): each parses, or is refused as broken."""
    text = (FIXTURES / "osv-scalibr" / name).read_text()
    broken = {"bad-tuple.json5", "empty.json5", "not-json.txt"}
    if name in broken:
        with pytest.raises(ManifestError):
            parse(text, "bun.lock", lambda p: None)
        return
    manifest = parse(text, "bun.lock", lambda p: None)
    assert manifest.problems == ()
    assert all(d.line is not None for d in manifest.dependencies)


def test_osv_scalibr_commits_fixture_reads_git_and_github_dependencies():
    found = {d.name: d for d in parse((FIXTURES / "osv-scalibr" / "commits.json5").read_text(), "bun.lock",
                                      lambda p: None).dependencies}
    assert found["babel-preset-php"].source.commit == "1ae6dc1267500360b411ec711b8aeac8c68b2246"
    assert found["@prettier/sync"].source == Source("git", url="https://github.com/prettier/prettier-synchronized",
                                                    ref="527e8ce")


def test_formats():
    assert format_for("bun.lock") is FORMATS_BY_NAME["bun-lock"] and format_for("web/bun.lockb").name == "bun-lockb"
    assert FORMATS_BY_NAME["bun-lock"].includes


def test_the_binary_lockfile_is_always_unreadable():
    with pytest.raises(ManifestError, match="Bun's binary lockfile") as caught:
        FORMATS_BY_NAME["bun-lockb"].parse("anything", "bun.lockb", lambda p: None)
    assert "bun install --save-text-lockfile" in caught.value.message


# ---------------------------------------------------------------------------------------------------------------
# The command line


def _json(capsys, repo, *argv: str) -> tuple[int, dict, str]:
    code = main(["check", "-C", str(repo.path), "--offline", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


def test_a_version_bump_in_bun_lock_needs_review(capsys, repo):
    base = repo.commit("base", {"bun.lock": lockfile(APP, PACKAGES)})
    head = repo.commit("bump", {"bun.lock": lockfile(APP, dict(PACKAGES, chalk=npm(
        "chalk", "4.1.3", {"dependencies": {"ansi-styles": "^4.1.0"}})))})
    code, doc, err = _json(capsys, repo, "--base", base, "--head", head)
    assert err == ""
    assert [(c["name"], c["kind"], c["from"], c["to"], c["bump"], c["scope"], c["review"]) for c in doc["changes"]] == [
        ("chalk", "upgraded", "4.1.2", "4.1.3", "patch", "prod", "required")]
    assert code == 1


def test_trusting_one_more_package_is_a_change(capsys, repo):
    base = repo.commit("base", {"bun.lock": lockfile(APP, PACKAGES, trustedDependencies=["esbuild"])})
    head = repo.commit("trust", {"bun.lock": lockfile(APP, PACKAGES, trustedDependencies=["esbuild", "chalk"])})
    code, doc, _ = _json(capsys, repo, "--base", base, "--head", head)
    assert [(c["ecosystem"], c["name"], c["kind"], c["to"], c["review"]) for c in doc["changes"]] == [
        ("config", "bun.trustedDependencies", "added", "chalk", "required")]
    (finding,) = [f for f in doc["findings"] if f["rule"] == "registry-config"]
    assert "chalk" in finding["message"]  # one more package allowed to run install scripts
    assert code == 1


def test_an_injected_tarball_url_is_a_finding(capsys, repo):
    evil = "https://registry.npmjs.org/evil/-/evil-1.0.0.tgz"
    base = repo.commit("base", {"bun.lock": lockfile(APP, PACKAGES)})
    head = repo.commit("inject", {"bun.lock": lockfile(APP, dict(PACKAGES, chalk=npm(
        "chalk", "4.1.2", {"dependencies": {"ansi-styles": "^4.1.0"}}, evil)))})
    code, doc, _ = _json(capsys, repo, "--base", base, "--head", head)
    assert [(c["name"], c["kind"]) for c in doc["changes"]] == [("chalk", "source-changed")]
    (finding,) = [f for f in doc["findings"] if f["rule"] == "registry-source"]
    assert "lockfile injection" in finding["message"] and code == 1


def test_a_new_binary_lockfile_blocks(capsys, repo):
    base = repo.commit("base", {"package.json": '{"name": "app"}'})
    head = repo.commit("bun", {"bun.lockb": b"#!/usr/bin/env bun\nbun-lockfile-format-v0\n\0\1"})
    code, doc, _ = _json(capsys, repo, "--base", base, "--head", head)
    (finding,) = [f for f in doc["findings"] if f["rule"] == "unreadable-manifest"]
    assert (finding["manifest"], finding["level"], code) == ("bun.lockb", "block", 1)


def test_a_changed_binary_lockfile_does_not_pass(capsys, repo):
    base = repo.commit("base", {"package.json": '{"name": "app"}', "bun.lockb": b"#!/usr/bin/env bun\nbun-lockfile-format-v0\n\0\1"})
    head = repo.commit("change", {"bun.lockb": b"#!/usr/bin/env bun\nbun-lockfile-format-v0\n\0\2"})
    code, doc, err = _json(capsys, repo, "--base", base, "--head", head)
    assert code != 0 and "bun.lockb" in (err + json.dumps(doc))


def test_a_changed_binary_lockfile_says_how_to_move_to_the_text_lockfile(capsys, repo):
    base = repo.commit("base", {"bun.lockb": b"#!/usr/bin/env bun\nbun-lockfile-format-v0\n\0\1"})
    head = repo.commit("change", {"bun.lockb": b"#!/usr/bin/env bun\nbun-lockfile-format-v0\n\0\2"})
    _, doc, err = _json(capsys, repo, "--base", base, "--head", head)
    assert "bun install --save-text-lockfile" in err + json.dumps(doc)


def test_editing_only_a_patch_file_is_a_change_of_its_package(capsys, repo):
    text = lockfile(APP, PACKAGES, patchedDependencies={"chalk@4.1.2": "patches/chalk.patch"})
    base = repo.commit("base", {"bun.lock": text, "patches/chalk.patch": "-a\n+b\n"})
    head = repo.commit("edit the patch", {"patches/chalk.patch": "-a\n+evil\n"})
    code, doc, _ = _json(capsys, repo, "--base", base, "--head", head)
    assert [(c["name"], c["kind"], c["review"]) for c in doc["changes"]] == [("chalk", "hashes-changed", "required")]
    assert code == 1


def test_a_patch_edited_with_the_lockfile_is_a_change_of_its_package(capsys, repo):
    text = lockfile(APP, PACKAGES, patchedDependencies={"chalk@4.1.2": "patches/chalk.patch"})
    base = repo.commit("base", {"bun.lock": text, "patches/chalk.patch": "-a\n+b\n"})
    head = repo.commit("edit the patch", {"patches/chalk.patch": "-a\n+evil\n", "bun.lock": text + "\n"})
    code, doc, _ = _json(capsys, repo, "--base", base, "--head", head)
    assert [(c["name"], c["kind"], c["review"]) for c in doc["changes"]] == [("chalk", "hashes-changed", "required")]
    assert [f["rule"] for f in doc["findings"] if not f["unknown"]] == ["review"]  # offline: registry facts unknown
    assert code == 1
