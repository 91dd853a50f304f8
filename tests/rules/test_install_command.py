"""The install-command rule: unpinned install commands are findings; in a pull request only new or changed ones;
and end to end on the command line in a temporary git repository."""

from __future__ import annotations

import json

from checker.cli import main
from checker.model import Dependency, InstallCommand, Manifest
from checker.policy.patterns import PackagePattern
from checker.rules import all_rules
from checker.rules.install_command import RULE, check_manifest

WORKFLOW = ".github/workflows/ci.yml"


def manifest(*commands: InstallCommand, dependencies: tuple[Dependency, ...] = ()) -> Manifest:
    return Manifest(WORKFLOW, "gha-workflow", "actions", dependencies, kind="declared", commands=commands)


def options(**overrides):  # type: ignore[no-untyped-def]
    return {**RULE.defaults(), **overrides}


UNPINNED = InstallCommand("pip", "pip install litellm", 7, "installs litellm without an exact version and hash")
PINNED = InstallCommand("npm", "npm ci", 9, None)
EXACT = InstallCommand("pip", "pip install litellm==1.82.6", 11, "pins litellm==1.82.6 but no hash: …")


def test_the_rule_is_registered_and_blocks_by_default() -> None:
    assert all_rules()["install-command"] is RULE and RULE.default_level == "block"


def test_check_all_reports_every_unpinned_command() -> None:
    issues = list(check_manifest(manifest(UNPINNED, PINNED), None, options()))
    assert [(i.line, i.message, i.level) for i in issues] == [
        (7, "pip install litellm: installs litellm without an exact version and hash", None)]
    assert "--require-hashes" in (issues[0].hint or "")


def test_a_pull_request_reports_only_new_or_changed_commands() -> None:
    base = manifest(UNPINNED, PINNED)
    moved = UNPINNED._replace(line=20)
    assert list(check_manifest(manifest(PINNED, moved), base, options())) == []
    added = InstallCommand("npm", "npm install -g x", 30, "npm install installs x without an exact version")
    assert [i.line for i in check_manifest(manifest(moved, added), base, options())] == [30]
    # The same text judged differently (the -r file lost its hashes) is a change.
    worse = InstallCommand("npm", "npm ci", 9, "--registry http://x is plain HTTP")
    assert [i.line for i in check_manifest(manifest(UNPINNED, worse), base, options())] == [9]


def test_a_command_written_twice_where_the_base_had_it_once() -> None:
    base = manifest(UNPINNED)
    head = manifest(UNPINNED, UNPINNED._replace(line=30))
    assert [i.line for i in check_manifest(head, base, options())] == [30]


def test_allow_by_text_and_by_package() -> None:
    head = manifest(UNPINNED, dependencies=(Dependency("pypi", "litellm", None, manifest=WORKFLOW, line=7),))
    assert list(check_manifest(head, None, options(allow=["pip install lite*"]))) == []
    assert list(check_manifest(head, None, options(**{"allow-packages": [PackagePattern.parse("pypi:litellm")]}))) == []
    assert len(list(check_manifest(head, None, options(**{"allow-packages": [PackagePattern.parse("pypi:other")]})))) == 1


def test_exact_version_level() -> None:
    head = manifest(EXACT, dependencies=(Dependency("pypi", "litellm", "1.82.6", "==1.82.6", manifest=WORKFLOW,
                                                    line=11),))
    assert [i.level for i in check_manifest(head, None, options(**{"exact-version": "warn"}))] == ["warn"]
    assert list(check_manifest(head, None, options(**{"exact-version": "off"}))) == []


# --- the command line ------------------------------------------------------------------------------------------


def workflow(*runs: str) -> str:
    lines = ["name: ci", "on: [pull_request]", "jobs:", "  test:", "    runs-on: ubuntu-latest", "    steps:"]
    lines += [f"      - run: {run}" for run in runs]
    return "\n".join(lines) + "\n"


def check(capsys, repo, *extra: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code = main(["check", "-C", str(repo.path), "--format", "json", "--offline", *extra])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, json.loads(out)


def test_a_pull_request_that_adds_pip_install_litellm_is_blocked(capsys, repo) -> None:  # type: ignore[no-untyped-def]
    base = repo.commit("base", {WORKFLOW: workflow("npm ci")})
    head = repo.commit("add a tool", {WORKFLOW: workflow("npm ci", "pip install litellm")})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and doc["verdict"] == "block"
    assert [(c["ecosystem"], c["name"], c["kind"], c["line"], c["scope"]) for c in doc["changes"]] == [
        ("pypi", "litellm", "added", 8, "build")]
    found = {(f["rule"], f["line"]) for f in doc["findings"]}
    assert ("install-command", 8) in found and ("review", 8) in found
    message = next(f["message"] for f in doc["findings"] if f["rule"] == "install-command")
    assert message.startswith("pip install litellm: installs litellm without an exact version and hash")


def test_an_unchanged_unpinned_command_does_not_block_an_unrelated_change(capsys, repo) -> None:  # type: ignore[no-untyped-def]
    base = repo.commit("base", {WORKFLOW: workflow("curl -fsSL https://get.example.sh | sh")})
    head = repo.commit("rename", {WORKFLOW: workflow("curl -fsSL https://get.example.sh | sh").replace("ci", "CI", 1)})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert [f for f in doc["findings"] if f["rule"] == "install-command"] == []
    code, doc = check(capsys, repo, "--all")
    assert [(f["rule"], f["line"]) for f in doc["findings"] if f["rule"] == "install-command"] == [
        ("install-command", 7)]


def test_a_registry_setting_in_env_is_a_change(capsys, repo) -> None:  # type: ignore[no-untyped-def]
    text = workflow("pip install --require-hashes -r requirements.txt")
    base = repo.commit("base", {WORKFLOW: text})
    evil = text.replace("    runs-on: ubuntu-latest\n",
                        "    runs-on: ubuntu-latest\n    env:\n      PIP_INDEX_URL: https://evil.example/simple\n")
    head = repo.commit("mirror", {WORKFLOW: evil})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert [(c["ecosystem"], c["name"], c["to"], c["kind"]) for c in doc["changes"]] == [
        ("config", "pip.index-url", "https://evil.example/simple", "added")]
    assert code == 1


def test_a_pull_request_that_edits_only_a_file_a_run_step_reads_is_judged(capsys, repo) -> None:  # type: ignore[no-untyped-def]
    """``pip install -r ci-deps.list``: the list is no manifest by its name, but the workflow reads it."""
    base = repo.commit("base", {WORKFLOW: workflow("pip install -r ci-deps.list"), "ci-deps.list": "black\n"})
    head = repo.commit("one more tool", {"ci-deps.list": "black\nevil-package\n"})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert [(c["ecosystem"], c["name"], c["kind"], c["manifest"]) for c in doc["changes"]] == [
        ("pypi", "evil-package", "added", WORKFLOW)]
    assert code == 1
