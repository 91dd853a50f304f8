"""GitHub Actions and container images end to end: the command line in real temporary git repositories, with a
fake GitHub API on 127.0.0.1 for the online checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from checker.cli import main
from tests.conftest import unreadable_lines
from tests.fakes.github_api import FakeGitHub, FakeRepo, checkout_repo, sha
from tests.fakes.osv import FakeOsv

WORKFLOW = ".github/workflows/ci.yml"
V410, V420, IMPOSTOR = sha("c2-v4.1.0"), sha("c3-v4.2.0"), sha("fork-impostor")


@pytest.fixture(autouse=True)
def no_real_github(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hermetic: an online lookup that a test did not point at the fake fails fast (connection refused)."""
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9/api/v3")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    server = FakeGitHub().start()
    server.repos["actions/checkout"] = checkout_repo()
    monkeypatch.setenv("GITHUB_API_URL", server.api_url)
    monkeypatch.setenv("GITHUB_TOKEN", "ci-token")
    yield server
    server.stop()


def workflow(*uses: str, container: str | None = None) -> str:
    lines = ["name: ci", "on: [push, pull_request]", "jobs:", "  test:", "    runs-on: ubuntu-latest"]
    if container:
        lines.append(f"    container: {container}")
    lines.append("    steps:")
    lines += [f"      - uses: {u}" for u in uses]
    lines.append("      - run: make test")
    return "\n".join(lines) + "\n"


def check(capsys, repo, *extra: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code = main(["check", "-C", str(repo.path), "--format", "json", *extra])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, json.loads(out)


def findings(doc: dict) -> list[tuple]:
    return [(f["rule"], f["level"], f["name"], f["line"], f["unknown"]) for f in doc["findings"]]


def test_a_tag_pin_is_blocked(capsys, repo):
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("ci", {WORKFLOW: workflow("actions/checkout@v4")})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert code == 1 and doc["verdict"] == "block"
    assert [(c["ecosystem"], c["name"], c["kind"], c["to"], c["line"], c["scope"]) for c in doc["changes"]] == [
        ("actions", "actions/checkout", "added", "v4", 7, "build"),
    ]
    assert findings(doc) == [
        ("action-pinning", "block", "actions/checkout", 7, False),
        ("review", "block", "actions/checkout", 7, False),
    ]
    message = doc["findings"][0]["message"]
    assert message.startswith("actions/checkout@v4 is pinned to a tag or branch, which can be moved")


def test_a_sha_bump_is_an_upgrade_by_its_comments_and_needs_review(capsys, repo):
    base = repo.commit("base", {WORKFLOW: workflow(f"actions/checkout@{V410} # v4.1.0")})
    head = repo.commit("bump", {WORKFLOW: workflow(f"actions/checkout@{V420}  # v4.2.0")})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert doc["changes"] == [{
        "ecosystem": "actions", "name": "actions/checkout", "manifest": WORKFLOW, "line": 7, "kind": "upgraded",
        "from": V410, "to": V420, "bump": "minor", "from_label": "v4.1.0", "to_label": "v4.2.0", "scope": "build",
        "direct": True, "review": "required", "review_evidence": None,
    }]
    # offline: the pin cannot be verified, which costs what on-unknown says (warn); the review blocks
    assert findings(doc) == [
        ("review", "block", "actions/checkout", 7, False),
        ("pin-comment", "warn", "actions/checkout", 7, True),
    ]
    assert code == 1
    # the text report shows the comments beside the commits
    main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--offline"])
    out = capsys.readouterr().out
    assert f"actions/checkout {V410} (v4.1.0) -> {V420} (v4.2.0) (minor) [build]" in out


def test_a_reviewed_bump_passes(capsys, repo):
    ledger = (
        "reviews:\n"
        f"  - {{package: 'actions:actions/checkout', from: '{V410}', to: '{V420}', reviewer: alice, "
        "date: 2026-03-20, reason: read the diff of v4.1.0..v4.2.0}\n"
    )
    repo.commit("ledger", {".github/lockgate-reviews.yml": ledger})
    base = repo.commit("base", {WORKFLOW: workflow(f"actions/checkout@{V410} # v4.1.0")})
    head = repo.commit("bump", {WORKFLOW: workflow(f"actions/checkout@{V420} # v4.2.0")})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert doc["changes"][0]["review"] == "reviewed"
    assert code == 0 and doc["verdict"] == "warn"  # only the unverified pin remains (unknown, warn)


def test_online_a_true_pin_passes_and_an_impostor_commit_is_blocked(capsys, repo, fake):
    base = repo.commit("base", {WORKFLOW: workflow(f"actions/checkout@{V410} # v4.1.0"),
                                ".github/lockgate.yml": "rules:\n  review: off\n"})
    head = repo.commit("bump", {WORKFLOW: workflow(f"actions/checkout@{V420} # v4.2.0")})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert (code, doc["verdict"], doc["findings"]) == (0, "pass", [])
    assert set(fake.authorizations) == {"token ci-token"}
    # The March 2026 pattern: a commit from a fork, and a comment that names a real release
    evil = repo.commit("evil", {WORKFLOW: workflow(f"actions/checkout@{IMPOSTOR} # v4.2.0")})
    code, doc = check(capsys, repo, "--base", head, "--head", evil)
    assert code == 1 and doc["verdict"] == "block"
    assert doc["changes"][0]["kind"] == "source-changed"  # same comment, other commit
    [finding] = doc["findings"]
    assert (finding["rule"], finding["level"], finding["line"], finding["unknown"]) == ("pin-comment", "block", 7, False)
    assert finding["message"].startswith(
        f"commit {IMPOSTOR[:12]} is not on any branch or tag of actions/checkout: it exists only in the repository's "
        "fork network (an impostor commit)"
    )


def test_online_a_lying_comment_is_blocked(capsys, repo, fake):
    base = repo.commit("base", {".github/lockgate.yml": "rules:\n  review: off\n"})
    head = repo.commit("ci", {WORKFLOW: workflow(f"actions/checkout@{V410} # v4.2.0")})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert code == 1
    assert [(f["rule"], f["level"]) for f in doc["findings"]] == [("pin-comment", "block")]
    assert doc["findings"][0]["message"].startswith(
        f"the comment says v4.2.0, but tag v4.2.0 of actions/checkout points to commit {V420[:12]}, not {V410[:12]}"
    )


def test_github_unreachable_is_unknown_never_no(capsys, repo):
    base = repo.commit("base", {".github/lockgate.yml": "rules:\n  review: off\n"})
    head = repo.commit("ci", {WORKFLOW: workflow(f"actions/checkout@{V420} # v4.2.0")})
    code, doc = check(capsys, repo, "--base", base, "--head", head)  # online, but nothing listens on port 9
    assert code == 0 and doc["verdict"] == "warn"
    [finding] = doc["findings"]
    assert (finding["rule"], finding["level"], finding["unknown"]) == ("pin-comment", "warn", True)
    assert "ConnectionError" in finding["message"]


def test_offline_unknown_blocks_under_strict_with_exit_3(capsys, repo):
    base = repo.commit("base", {".github/lockgate.yml": "extends: strict\nrules:\n  review: off\n"})
    head = repo.commit("ci", {WORKFLOW: workflow(f"actions/checkout@{V420} # v4.2.0")})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert code == 3
    assert findings(doc) == [("pin-comment", "block", "actions/checkout", 7, True)]
    assert doc["findings"][0]["message"] == (
        f"could not check commit {V420[:12]} against actions/checkout on GitHub (offline: GitHub was not asked)"
    )


def test_one_workflow_holds_actions_and_images(capsys, repo):
    base = repo.commit("base", {WORKFLOW: workflow(f"actions/checkout@{V410} # v4.1.0", container="node:20.10-bookworm")})
    head = repo.commit("bump", {WORKFLOW: workflow(f"actions/checkout@{V420} # v4.2.0", container="node:22.1-bookworm")})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert [(c["ecosystem"], c["name"], c["kind"], c["bump"], c["from"], c["to"]) for c in doc["changes"]] == [
        ("actions", "actions/checkout", "upgraded", "minor", V410, V420),
        ("docker", "node", "upgraded", "major", "20.10-bookworm", "22.1-bookworm"),
    ]
    assert ("image-pinning", "warn", "node", 6, False) in findings(doc)


def test_dockerfile_changes(capsys, repo):
    base = repo.commit("base", {"Dockerfile": "FROM python:3.12-slim AS build\nFROM build\n"})
    head = repo.commit("bump", {"Dockerfile": "ARG PY=3.13\nFROM python:${PY}-slim AS build\nFROM nginx\n"})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert [(c["name"], c["kind"], c["bump"], c["line"]) for c in doc["changes"]] == [
        ("nginx", "added", None, 3), ("python", "upgraded", "minor", 2),
    ]
    assert [(f["rule"], f["level"], f["name"]) for f in doc["findings"] if f["rule"] == "image-pinning"] == [
        ("image-pinning", "warn", "python"), ("image-pinning", "block", "nginx"),
    ]
    assert code == 1


def test_policy_patterns_name_images_canonically(capsys, repo):
    policy = (
        "rules:\n  review: off\n  image-pinning: {level: block, tag-only: block, allow: ['docker:docker.io/library/python']}\n"
    )
    base = repo.commit("base", {".github/lockgate.yml": policy})
    head = repo.commit("img", {"Dockerfile": "FROM docker.io/library/python:3.13\nFROM ruby:3.3\n"})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert [(f["name"], f["level"]) for f in doc["findings"]] == [("ruby", "block")]
    assert code == 1


def test_check_all_on_a_workflow_with_local_and_reusable_uses(capsys, repo):
    repo.commit("all", {
        WORKFLOW: workflow("./.github/actions/setup", f"actions/checkout@{V420} # v4.2.0"),
        ".github/workflows/release.yml": (
            "on: push\njobs:\n  call:\n    uses: acme/pipelines/.github/workflows/release.yml@main\n"
        ),
        ".github/actions/setup/action.yml": "runs:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4\n",
    })
    code, doc = check(capsys, repo, "--all", "--head", "HEAD", "--offline")
    assert doc["mode"] == "all"
    assert sorted((f["rule"], f["manifest"], f["line"], f["name"]) for f in doc["findings"]) == [
        ("action-pinning", ".github/actions/setup/action.yml", 4, "actions/setup-node"),
        ("action-pinning", ".github/workflows/release.yml", 4, "acme/pipelines/.github/workflows/release.yml"),
        ("pin-comment", WORKFLOW, 8, "actions/checkout"),
    ]
    assert code == 1


@pytest.mark.parametrize(
    ("path", "content", "message"),
    [
        (WORKFLOW, "- not\n- a mapping\n", f"{WORKFLOW}:1: a workflow must be a mapping with on: and jobs:, found a list"),
        (WORKFLOW, "jobs:\n  a: {}\n  a: {}\n", f"{WORKFLOW}:3: duplicate key 'a' (first on line 2)"),
        ("Dockerfile", "FROM alpine \\\n", "Dockerfile:1: the file ends inside a line continuation: the \\ at the end "
         "of line 1 continues nothing"),
        ("action.yml", "runs: [x]\n", "action.yml:1: runs must be a mapping, found a list"),
    ],
)
def test_bad_files_are_one_clear_finding(capsys, repo, path, content, message):
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("bad", {path: content})
    code, found = unreadable_lines(capsys, "-C", str(repo.path), "--base", base, "--head", head, "--offline")
    assert (code, found) == (1, [message])


def test_diff_shows_labels(capsys, repo):
    base = repo.commit("base", {WORKFLOW: workflow(f"actions/checkout@{V410} # v4.1.0")})
    head = repo.commit("bump", {WORKFLOW: workflow(f"actions/checkout@{V420} # v4.2.0")})
    assert main(["diff", "-C", str(repo.path), "--base", base, "--head", head]) == 0
    assert capsys.readouterr().out == (
        f"{WORKFLOW}: upgraded actions/checkout {V410} (v4.1.0) -> {V420} (v4.2.0) (minor) [build]\n"
    )


def test_offline_text_check_imports_neither_pygithub_nor_jinja2(repo):
    base = repo.commit("base", {WORKFLOW: workflow(f"actions/checkout@{V410} # v4.1.0")})
    head = repo.commit("bump", {WORKFLOW: workflow(f"actions/checkout@{V420} # v4.2.0", container="redis")})
    code = (
        "import sys\nfrom checker.cli import main\n"
        f"rc = main(['check', '-C', {str(repo.path)!r}, '--base', {base!r}, '--head', {head!r}, '--offline'])\n"
        "assert rc == 1, rc\n"
        "assert 'github' not in sys.modules and 'jinja2' not in sys.modules, sorted(sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr


def test_a_hijacked_action_pinned_by_commit_is_blocked_as_malware(capsys, repo, fake, monkeypatch):  # type: ignore[no-untyped-def]
    """tj-actions/changed-files, March 2025: the commit the hijacked tag v45.0.7 pointed to, pinned with that comment
    (pin-comment is satisfied: the tag does point there). OSV, asked by package as it must be for actions, has
    GitHub's advisory; lockgate judges v45.0.7 affected, and the malicious rule blocks. The fixed release passes."""
    hijacked, fixed = sha("tj-hijacked"), sha("tj-46.0.1")
    fake.repos["tj-actions/changed-files"] = FakeRepo(parents={hijacked: [], fixed: [hijacked]},
                                                      branches={"main": fixed},
                                                      tags={"v45.0.7": hijacked, "v46.0.1": fixed})
    with FakeOsv() as osv:
        osv.add_fixtures()
        monkeypatch.setenv("LOCKGATE_OSV_URL", osv.url)
        monkeypatch.delenv("LOCKGATE_REGISTRY_OFFLINE")
        base = repo.commit("base", {".github/lockgate.yml": "rules:\n  review: off\n"})
        head = repo.commit("ci", {WORKFLOW: workflow(f"tj-actions/changed-files@{hijacked} # v45.0.7")})
        code, doc = check(capsys, repo, "--base", base, "--head", head)
        assert code == 1
        assert [(f["rule"], f["level"], f["advisory"]["id"]) for f in doc["findings"]] == [
            ("malicious", "block", "GHSA-mrrh-fwg8-r2c3")]
        [facts] = [f for f in doc["facts"] if f["ecosystem"] == "actions"]
        assert [v["id"] for v in facts["vulnerabilities"]] == ["GHSA-mrrh-fwg8-r2c3"]
        later = repo.commit("fix", {WORKFLOW: workflow(f"tj-actions/changed-files@{fixed} # v46.0.1")})
        code, doc = check(capsys, repo, "--base", base, "--head", later)
        assert (code, doc["findings"]) == (0, [])

