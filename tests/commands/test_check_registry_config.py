"""Registry settings end to end, in real temporary git repositories: a pull request that points ``.npmrc`` at
another host is blocked, one that only adds a comment reports nothing, a harmless change needs a review, and
deleting a file that kept install scripts off is seen."""

from __future__ import annotations

import json

from checker.cli import main


def check_json(capsys, repo, base: str, head: str) -> tuple[int, dict]:
    code = main(["check", "-C", str(repo.path), "--format", "json", "--offline", "--base", base, "--head", head])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, json.loads(out)


def findings(doc: dict, rule: str) -> list[dict]:
    return [f for f in doc["findings"] if f["rule"] == rule]


NPMRC = "registry=https://registry.npmjs.org/\nignore-scripts=true\n"


def test_a_registry_pointed_at_another_host_is_blocked(capsys, repo) -> None:
    base = repo.commit("base", {".npmrc": NPMRC})
    head = repo.commit("evil", {".npmrc": NPMRC.replace("registry.npmjs.org", "npm.evil.example")})
    code, doc = check_json(capsys, repo, base, head)
    assert code == 1 and doc["verdict"] == "block"
    [change] = doc["changes"]
    assert (change["ecosystem"], change["name"], change["kind"], change["from"], change["to"], change["review"]) == (
        "config", "npm.registry", "source-changed", "https://registry.npmjs.org/", "https://npm.evil.example/",
        "required")
    [finding] = findings(doc, "registry-config")
    assert (finding["level"], finding["manifest"], finding["line"]) == ("block", ".npmrc", 1)
    assert "host npm.evil.example is not an allowed registry host" in finding["message"]


def test_a_comment_added_to_npmrc_reports_nothing(capsys, repo) -> None:
    base = repo.commit("base", {".npmrc": NPMRC})
    head = repo.commit("comment", {".npmrc": "# the registry we use\n" + NPMRC})
    code, doc = check_json(capsys, repo, base, head)
    assert code == 0 and doc["verdict"] == "pass"
    assert doc["changes"] == [] and doc["findings"] == []


def test_a_harmless_change_needs_review_but_is_no_finding(capsys, repo) -> None:
    base = repo.commit("base", {".npmrc": NPMRC})
    head = repo.commit("mirror", {".npmrc": NPMRC.replace("registry.npmjs.org", "registry.yarnpkg.com")})
    code, doc = check_json(capsys, repo, base, head)
    assert code == 1
    assert findings(doc, "registry-config") == []
    [review] = findings(doc, "review")
    assert review["name"] == "npm.registry" and review["level"] == "block"


def test_deleting_the_npmrc_that_kept_install_scripts_off_is_blocked(capsys, repo) -> None:
    base = repo.commit("base", {".npmrc": NPMRC, "package.json": '{"name": "app"}\n'})
    repo.git("rm", "-q", ".npmrc")
    head = repo.commit("delete")
    code, doc = check_json(capsys, repo, base, head)
    assert code == 1
    messages = [f["message"] for f in findings(doc, "registry-config")]
    assert any("npm.ignore-scripts true -> removed" in m for m in messages), messages


def test_a_workspace_npmrc_in_a_sub_folder_is_read(capsys, repo) -> None:
    base = repo.commit("base", {"packages/web/package.json": '{"name": "web"}\n'})
    head = repo.commit("scoped", {"packages/web/.npmrc": "@acme:registry=http://npm.acme.example/\n"})
    code, doc = check_json(capsys, repo, base, head)
    assert code == 1
    [finding] = findings(doc, "registry-config")
    assert finding["manifest"] == "packages/web/.npmrc" and "plain HTTP" in finding["message"]


def test_checksums_turned_off_in_yarnrc_yml_are_blocked(capsys, repo) -> None:
    base = repo.commit("base", {".yarnrc.yml": "nodeLinker: node-modules\n"})
    head = repo.commit("ignore", {".yarnrc.yml": "nodeLinker: node-modules\nchecksumBehavior: ignore\n"})
    code, doc = check_json(capsys, repo, base, head)
    assert code == 1
    [finding] = findings(doc, "registry-config")
    assert finding["name"] == "yarn.checksumBehavior" and finding["line"] == 2


def test_a_new_committed_yarn_release_under_the_same_path_needs_review(capsys, repo) -> None:
    rc = "yarnPath: .yarn/releases/yarn-4.5.0.cjs\n"
    base = repo.commit("base", {".yarnrc.yml": rc, ".yarn/releases/yarn-4.5.0.cjs": "// yarn\n"})
    head = repo.commit("swap", {".yarn/releases/yarn-4.5.0.cjs": "// not yarn\n"})
    code, doc = check_json(capsys, repo, base, head)
    assert code == 1
    [change] = doc["changes"]
    assert (change["name"], change["kind"], change["review"]) == ("yarn.yarnPath", "hashes-changed", "required")
