"""npm end to end, in real temporary git repositories: a version bump in package-lock.json, a lockfile-injection
``resolved``, a gained install script, the 2025 malicious npm releases, reviews with scoped names, exit codes,
JSON, and bad lockfiles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from checker.cli import main
from tests.conftest import unreadable_lines

SHA512 = "sha512-" + "A" * 86 + "=="
KNOWN_BAD = Path(__file__).resolve().parents[2] / "policies" / "known-bad.yml"


def entry(name: str, version: str, **extra: object) -> dict:
    base = name.rpartition("/")[2]
    return {"version": version, "resolved": f"https://registry.npmjs.org/{name}/-/{base}-{version}.tgz",
            "integrity": SHA512, **extra}


def lockfile(packages: dict[str, dict], declared: dict[str, str] | None = None) -> str:
    root = {"name": "app", "version": "1.0.0",
            "dependencies": declared if declared is not None else {k.rsplit("node_modules/", 1)[1]: "*" for k in packages}}
    body = {"": root, **packages}
    return json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": body},
                      indent=2) + "\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_json(capsys, repo, *extra: str) -> tuple[int, dict]:
    code, out, err = run(capsys, "check", "-C", str(repo.path), "--format", "json", "--offline", *extra)
    assert err == "", err
    return code, json.loads(out)


def by_rule(doc: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for finding in doc["findings"]:
        found.setdefault(finding["rule"], []).append(finding)
    return found


def test_a_version_bump_in_package_lock_is_reported_and_needs_review(capsys, repo):
    base = repo.commit("base", {"package-lock.json": lockfile({"node_modules/@babel/core": entry("@babel/core", "7.26.0")})})
    head = repo.commit("bump", {"package-lock.json": lockfile({"node_modules/@babel/core": entry("@babel/core", "7.26.9")})})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and doc["verdict"] == "block"
    assert doc["changes"] == [{
        "ecosystem": "npm", "name": "@babel/core", "manifest": "package-lock.json", "line": 14, "kind": "upgraded",
        "from": "7.26.0", "to": "7.26.9", "bump": "patch", "from_label": None, "to_label": None, "scope": "prod",
        "direct": True, "review": "required", "review_evidence": None,
    }]
    [finding] = [f for f in doc["findings"] if not f["unknown"]]  # registry facts are unknown: no registry in tests
    assert (finding["rule"], finding["level"], finding["name"], finding["version"], finding["line"]) == (
        "review", "block", "@babel/core", "7.26.9", 14,
    )
    assert finding["message"] == "upgraded @babel/core 7.26.0 -> 7.26.9 needs a review by a maintainer"


def test_two_versions_of_one_package_each_report_their_change(capsys, repo):
    base = repo.commit("base", {"package-lock.json": lockfile({
        "node_modules/debug": entry("debug", "4.3.4"),
        "node_modules/express/node_modules/debug": entry("debug", "2.6.9"),
    }, {"debug": "^4"})})
    head = repo.commit("bump", {"package-lock.json": lockfile({
        "node_modules/debug": entry("debug", "4.4.1"),
        "node_modules/express/node_modules/debug": entry("debug", "2.6.8"),
    }, {"debug": "^4"})})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 1
    assert sorted((c["kind"], c["from"], c["to"], c["bump"], c["direct"]) for c in doc["changes"]) == [
        ("downgraded", "2.6.9", "2.6.8", "patch", False),
        ("upgraded", "4.3.4", "4.4.1", "minor", True),
    ]


def test_review_ledger_on_base_clears_a_scoped_npm_bump(capsys, repo):
    repo.commit("lock", {"package-lock.json": lockfile({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.0.3")})})
    code, _, err = run(capsys, "review", "-C", str(repo.path), "npm:@ctrl/tinycolor", "4.0.3", "4.1.0",
                       "--reason", "diffed the tarball", "--reviewer", "alice")
    assert code == 0, err
    assert "package: npm:@ctrl/tinycolor" in (repo.path / ".github/lockgate-reviews.yml").read_text()
    base = repo.commit("ledger")
    head = repo.commit("bump", {"package-lock.json": lockfile({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.0")})})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 0, doc
    [change] = doc["changes"]
    assert change["review"] == "reviewed" and change["review_evidence"].startswith("ledger .github/lockgate-reviews.yml:")


def test_lockfile_injection_is_blocked(capsys, repo):
    base = repo.commit("base", {"package-lock.json": lockfile({"node_modules/lodash": entry("lodash", "4.17.21")})})
    injected = entry("lodash", "4.17.21", resolved="https://registry.npmjs.org/lodash-utils/-/lodash-utils-1.0.0.tgz")
    head = repo.commit("inject", {"package-lock.json": lockfile({"node_modules/lodash": injected})})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 1
    [change] = doc["changes"]
    assert (change["kind"], change["from"], change["to"]) == ("source-changed", "4.17.21", "4.17.21")
    [injection] = by_rule(doc)["registry-source"]
    assert injection["level"] == "block" and injection["line"] == 14
    assert injection["message"].startswith(
        "resolved URL https://registry.npmjs.org/lodash-utils/-/lodash-utils-1.0.0.tgz is the tarball of "
        "lodash-utils@1.0.0, not lodash@4.17.21"
    )


def test_injection_to_another_host_is_blocked_in_a_baseline(capsys, repo):
    moved = entry("left-pad", "1.3.0", resolved="https://npm.evil.example/left-pad/-/left-pad-1.3.0.tgz")
    repo.commit("lock", {"package-lock.json": lockfile({"node_modules/left-pad": moved})})
    code, doc = check_json(capsys, repo, "--all", "--head", "HEAD")
    assert code == 1
    assert [f["message"] for f in by_rule(doc)["registry-source"]] == [
        "host npm.evil.example is not an allowed registry host "
        "(pypi.org, files.pythonhosted.org, registry.npmjs.org, registry.yarnpkg.com, conda.anaconda.org, repo.anaconda.com)"
    ]


def test_a_version_that_gains_an_install_script_is_blocked(capsys, repo):
    base = repo.commit("base", {"package-lock.json": lockfile({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.0.3")})})
    head = repo.commit("worm", {"package-lock.json": lockfile(
        {"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.0.4", hasInstallScript=True)})})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 1
    [scripts] = by_rule(doc)["install-scripts"]
    assert (scripts["level"], scripts["version"], scripts["line"]) == ("block", "4.0.4", 14)
    assert scripts["message"].startswith("@ctrl/tinycolor 4.0.3 -> 4.0.4 gains an install script")


def test_a_new_package_with_an_install_script_only_warns(capsys, repo):
    policy = "extends: default\nreview:\n  required-for: []\n"
    base = repo.commit("base", {".github/lockgate.yml": policy, "package-lock.json": lockfile({})})
    head = repo.commit("add", {"package-lock.json": lockfile({"node_modules/esbuild": entry("esbuild", "0.25.0", hasInstallScript=True)})})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 0 and doc["verdict"] == "warn"
    assert [(f["rule"], f["level"]) for f in doc["findings"] if not f["unknown"]] == [("install-scripts", "warn")]


def test_chalk_5_6_1_is_denied_with_exit_1_and_a_clear_text_report(capsys, repo):
    base = repo.commit("base", {"package-lock.json": lockfile({"node_modules/chalk": entry("chalk", "5.6.0")})})
    head = repo.commit("bump", {"package-lock.json": lockfile({"node_modules/chalk": entry("chalk", "5.6.1")})})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 1
    [denied] = by_rule(doc)["deny"]
    assert denied["message"] == (
        "chalk 5.6.1 is a known-malicious release (chalk/debug compromise, September 2025: crypto-wallet stealer)"
    )
    code, out, _ = run(capsys, "check", "-C", str(repo.path), "--offline", "--base", base, "--head", head)
    assert code == 1 and "chalk 5.6.1 is a known-malicious release" in out and "BLOCKED" in out


def _known_bad_2025_npm() -> list[tuple[str, str]]:
    entries = YAML(typ="safe").load(KNOWN_BAD.read_text(encoding="utf-8"))["packages"]
    out = []
    for item in entries:
        package = item["package"]
        if package.startswith("npm:") and "2025" in item["reason"]:
            name, _, version = package[4:].rpartition("@")
            out.append((name, version))
    return out


def test_every_2025_npm_release_of_the_known_bad_list_is_blocked(capsys, repo):
    releases = _known_bad_2025_npm()
    assert len(releases) == 45
    assert {("chalk", "5.6.1"), ("debug", "4.4.2"), ("nx", "21.5.0"), ("@nx/devkit", "20.9.0"),
            ("@ctrl/tinycolor", "4.1.1"), ("eslint-config-prettier", "10.1.7")} <= set(releases)
    # One lockfile holding each of them, nested under a distinct parent so that several nx versions can coexist.
    packages = {f"node_modules/holder-{i}/node_modules/{name}": entry(name, version)
                for i, (name, version) in enumerate(releases)}
    repo.commit("lock", {"package-lock.json": lockfile(packages, {})})
    code, doc = check_json(capsys, repo, "--all", "--head", "HEAD")
    assert code == 1
    denied = {(f["name"], f["version"]) for f in by_rule(doc)["deny"]}
    assert denied == set(releases)
    # The releases just before them pass the deny rule.
    clean = {f"node_modules/{name}": entry(name, version) for name, version in
             [("chalk", "5.6.0"), ("debug", "4.4.1"), ("@ctrl/tinycolor", "4.1.0"), ("nx", "21.4.1")]}
    repo.commit("clean", {"package-lock.json": lockfile(clean, {})})
    code, doc = check_json(capsys, repo, "--all", "--head", "HEAD")
    assert "deny" not in by_rule(doc) and code == 0


def test_package_json_and_lockfile_change_together(capsys, repo):
    base = repo.commit("base", {
        "web/package.json": '{\n  "dependencies": {\n    "lodash": "^4.17.20"\n  }\n}\n',
        "web/package-lock.json": lockfile({"node_modules/lodash": entry("lodash", "4.17.20")}, {"lodash": "^4.17.20"}),
    })
    head = repo.commit("bump", {
        "web/package.json": '{\n  "dependencies": {\n    "lodash": "^4.17.21"\n  }\n}\n',
        "web/package-lock.json": lockfile({"node_modules/lodash": entry("lodash", "4.17.21")}, {"lodash": "^4.17.21"}),
    })
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 1
    assert [(c["manifest"], c["from"], c["to"], c["bump"], c["line"]) for c in doc["changes"]] == [
        ("web/package-lock.json", "4.17.20", "4.17.21", "patch", 14),
        ("web/package.json", "^4.17.20", "^4.17.21", "patch", 3),
    ]


def test_sha1_integrity_and_missing_integrity_block_in_a_baseline(capsys, repo):
    old = entry("wrappy", "1.0.2", integrity="sha1-tSQ9jz7BqjXxNkYFvA0QNuMKtp8=")
    bare = {"version": "4.4.1", "resolved": "https://registry.npmjs.org/debug/-/debug-4.4.1.tgz"}
    repo.commit("lock", {"npm-shrinkwrap.json": lockfile({"node_modules/wrappy": old, "node_modules/debug": bare})})
    code, doc = check_json(capsys, repo, "--all", "--head", "HEAD")
    assert code == 1
    assert sorted((f["name"], f["message"].split(":")[0]) for f in by_rule(doc)["hash-pinning"]) == [
        ("debug", "no integrity"), ("wrappy", "integrity is sha1 only"),
    ]
    assert {f["manifest"] for f in doc["findings"]} == {"npm-shrinkwrap.json"}


def test_bad_lockfiles_are_one_finding_each(capsys, repo):
    base = repo.commit("base", {"README.md": "x"})
    cases = [
        ('{\n  "lockfileVersion": 9,\n  "packages": {}\n}\n',
         "package-lock.json:2: unsupported lockfileVersion 9 (supported: 1, 2, 3)"),
        ('{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/../../x": {}\n  }\n}\n',
         "package-lock.json:4: package path 'node_modules/../../x' escapes node_modules: '..' is not a package name"),
        ('{\n  "lockfileVersion": 3,\n  "lockfileVersion": 3\n}\n',
         "package-lock.json:3: duplicate key 'lockfileVersion': npm would silently keep the last one"),
        ('{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": {"version": "1.0',
         "package-lock.json:4: not valid JSON: Unterminated string starting at (the file ends early: truncated?)"),
    ]
    for content, expected in cases:
        head = repo.commit("bad", {"package-lock.json": content})
        code, found = unreadable_lines(capsys, "-C", str(repo.path), "--offline", "--base", base, "--head", head)
        assert (code, found) == (1, [expected])


def test_installed_command_reports_a_broken_package_json_without_a_traceback(repo):
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("bad", {"package.json": '{"dependencies": {"a": 1}}'})
    exe = os.path.join(os.path.dirname(sys.executable), "lockgate")
    done = subprocess.run([exe, "check", "--offline", "--base", base, "--head", head], cwd=repo.path,
                          capture_output=True, text=True)
    assert done.returncode == 1 and done.stderr == ""
    assert "BLOCK unreadable-manifest: line 1: cannot be read: \"dependencies\": 'a' must be a string, found number" \
        in done.stdout


def test_text_check_of_an_npm_lockfile_imports_no_jinja_or_github(repo):
    repo.commit("lock", {"package-lock.json": lockfile({"node_modules/chalk": entry("chalk", "5.6.0")})})
    code = (
        "import sys; from checker.cli import main; rc = main(['check', '--all', '--offline', '--head', 'HEAD']);"
        "bad = [m for m in ('jinja2', 'github') if m in sys.modules]; print(rc, bad)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=repo.path, capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stderr
