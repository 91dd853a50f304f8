"""install-scripts on npm lockfiles: a version that gains an install script, a new package with one, what was
there before, unknown before, --all, and the registry's facts when the lockfile does not say."""

from __future__ import annotations

from checker.diff.changes import diff
from checker.manifests.package_lock import parse as parse_lock
from checker.model import Change, Dependency, Facts, Manifest
from checker.policy.load import load_policy
from checker.rules import all_rules, install_scripts
from checker.rules.base import Subject
from tests.rules.npm_lockfiles import SHA512_INTEGRITY, entry, issues, lock, messages
from tests.rules.subjects import options


# ---------------------------------------------------------------------------------------------------------------
# install-scripts
# ---------------------------------------------------------------------------------------------------------------


def _change(before: dict | None, after: dict, name: str = "@ctrl/tinycolor") -> tuple[Manifest, Change]:
    key = f"node_modules/{name}"
    head = lock({key: after})
    base = lock({key: before}) if before is not None else lock({})
    [change] = diff([base], [head])
    return head, change


def test_a_version_that_gains_an_install_script_blocks() -> None:
    head, change = _change(entry("@ctrl/tinycolor", "4.1.0"), entry("@ctrl/tinycolor", "4.1.1", hasInstallScript=True))
    assert (change.kind, change.bump) == ("upgraded", "patch")
    assert messages(issues(install_scripts, "install-scripts", head, change)) == [(
        "@ctrl/tinycolor 4.1.0 -> 4.1.1 gains an install script: the new version runs code on every npm install "
        "that the old one did not (how the 2025 npm worms spread)", None,
    )]


def test_a_new_package_with_an_install_script_warns() -> None:
    head, change = _change(None, entry("esbuild", "0.25.0", hasInstallScript=True), "esbuild")
    assert change.kind == "added"
    assert messages(issues(install_scripts, "install-scripts", head, change)) == [(
        "a new dependency that runs an install script: esbuild 0.25.0 executes code on every npm install", "warn",
    )]
    assert messages(issues(install_scripts, "install-scripts", head, change, added="block"))[0][1] == "block"
    assert issues(install_scripts, "install-scripts", head, change, allow=["npm:esbuild"]) == []


def test_install_scripts_that_were_there_before_or_are_absent_pass() -> None:
    head, change = _change(entry("sharp", "0.33.0", hasInstallScript=True), entry("sharp", "0.34.0", hasInstallScript=True), "sharp")
    assert issues(install_scripts, "install-scripts", head, change) == []
    head, change = _change(entry("a", "1.0.0"), entry("a", "1.0.1"), "a")
    assert issues(install_scripts, "install-scripts", head, change) == []


def test_unknown_before_warns_instead_of_blocking() -> None:
    head = lock({"node_modules/a": entry("a", "1.0.1", hasInstallScript=True)})
    before = Dependency("npm", "a", "1.0.0", install_script=None)
    change = Change("upgraded", before, head.dependencies[0], "patch")
    assert messages(issues(install_scripts, "install-scripts", head, change)) == [(
        "a 1.0.0 -> 1.0.1 runs an install script; the base revision's lockfile does not record whether the old "
        "version had one", "warn",
    )]


def test_check_all_lists_install_scripts_at_the_added_level() -> None:
    head = lock({"node_modules/a": entry("a", "1.0.1", hasInstallScript=True)})
    assert messages(issues(install_scripts, "install-scripts", head)) == [(
        "a dependency that runs an install script: a 1.0.1 executes code on every npm install", "warn",
    )]


def test_registry_facts_fill_in_when_the_lockfile_does_not_say() -> None:
    v1 = parse_lock(
        '{"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0", "integrity": "' + SHA512_INTEGRITY + '"}}}',
        "package-lock.json", lambda _: None,
    )
    [dep] = v1.dependencies
    rule_options = options("install-scripts")
    assert list(install_scripts.check(Subject(dep, v1), rule_options)) == []
    facts = Facts("npm", "a", "1.0.0", install_script=True)
    assert len(list(install_scripts.check(Subject(dep, v1, None, facts), rule_options))) == 1


def test_install_scripts_rule_is_registered_in_the_presets() -> None:
    rule = all_rules()["install-scripts"]
    assert rule.default_level == "block"
    default = load_policy(None, "default", lambda _: None)
    assert (default.rules["install-scripts"].level, default.rules["install-scripts"].options["added"]) == ("block", "warn")
    strict = load_policy("extends: strict\n", "p.yml", lambda _: None)
    assert strict.rules["install-scripts"].options["added"] == "block"
