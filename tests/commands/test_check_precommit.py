"""pre-commit configurations end to end: the command line in real temporary git repositories, with a fake GitHub
API on 127.0.0.1 for the frozen-comment checks."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from checker.cli import main
from tests.fakes.github_api import FakeGitHub, FakeRepo, sha

CONFIG = ".pre-commit-config.yaml"
HOOKS = "https://github.com/pre-commit/pre-commit-hooks"
V5, V6, FORK = sha("hooks-v5.0.0"), sha("hooks-v6.0.0"), sha("hooks-fork")
NO_REVIEW = {".github/lockgate.yml": "rules:\n  review: off\n"}


@pytest.fixture(autouse=True)
def no_real_github(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hermetic: an online lookup that a test did not point at the fake fails fast (connection refused)."""
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9/api/v3")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    server = FakeGitHub().start()
    root = sha("hooks-root")
    server.repos["pre-commit/pre-commit-hooks"] = FakeRepo(
        default_branch="main",
        parents={root: [], V5: [root], V6: [V5], FORK: [V6]},
        branches={"main": V6},
        tags={"v5.0.0": V5, "v6.0.0": V6},
        network={FORK},
    )
    monkeypatch.setenv("GITHUB_API_URL", server.api_url)
    monkeypatch.setenv("GITHUB_TOKEN", "ci-token")
    yield server
    server.stop()


def config(rev: str, *deps: str, language: str | None = None) -> str:
    lines = ["repos:", f"- repo: {HOOKS}", f"  rev: {rev}", "  hooks:", "  - id: check-yaml"]
    if deps:
        lines += ["- repo: local", "  hooks:", "  - id: docs", "    name: docs", "    entry: mkdocs build",
                  f"    language: {language or 'python'}", "    additional_dependencies:"]
        lines += [f"    - {dep}" for dep in deps]
    return "\n".join(lines) + "\n"


def check(capsys, repo, *extra: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code = main(["check", "-C", str(repo.path), "--format", "json", *extra])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, json.loads(out)


def findings(doc: dict) -> list[tuple]:
    return [(f["rule"], f["level"], f["name"], f["line"], f["unknown"]) for f in doc["findings"]]


def test_a_rev_moved_from_a_commit_to_a_tag_is_blocked(capsys, repo):
    base = repo.commit("base", {CONFIG: config(f"{V5}  # frozen: v5.0.0"), **NO_REVIEW})
    head = repo.commit("tag", {CONFIG: config("v6.0.0")})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert code == 1 and doc["verdict"] == "block"
    assert [(c["ecosystem"], c["name"], c["from"], c["to"], c["from_label"], c["line"], c["scope"])
            for c in doc["changes"]] == [("pre-commit", HOOKS, V5, "v6.0.0", "frozen: v5.0.0", 3, "build")]
    assert findings(doc) == [("hook-pinning", "block", HOOKS, 3, False)]
    assert doc["findings"][0]["message"].startswith(f"{HOOKS} rev v6.0.0 is a tag or branch, which can be moved")


def test_a_frozen_bump_needs_review_and_offline_its_comment_is_unknown(capsys, repo):
    base = repo.commit("base", {CONFIG: config(f"{V5}  # frozen: v5.0.0")})
    head = repo.commit("bump", {CONFIG: config(f"{V6}  # frozen: v6.0.0")})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert code == 1
    [change] = doc["changes"]
    assert (change["from"], change["to"], change["from_label"], change["to_label"], change["review"]) == (
        V5, V6, "frozen: v5.0.0", "frozen: v6.0.0", "required")
    assert findings(doc) == [("review", "block", HOOKS, 3, False), ("pin-comment", "warn", HOOKS, 3, True)]


def test_an_added_additional_dependency_with_a_range_is_blocked(capsys, repo):
    base = repo.commit("base", {CONFIG: config(f"{V6}  # frozen: v6.0.0", "mkdocs==1.6.1"), **NO_REVIEW})
    head = repo.commit("deps", {CONFIG: config(f"{V6}  # frozen: v6.0.0", "mkdocs==1.6.1",
                                               "mkdocs-material>=9; python_version >= '3.8'")})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert code == 1 and doc["verdict"] == "block"
    assert [(c["ecosystem"], c["name"], c["kind"], c["line"]) for c in doc["changes"]] == [
        ("pypi", "mkdocs-material", "added", 14)]
    blocking = [f for f in findings(doc) if f[1] == "block"]
    assert blocking == [("hook-pinning", "block", "mkdocs-material", 14, False)]
    assert doc["findings"][0]["message"].startswith(
        "additional dependency pypi:mkdocs-material (>=9) is not pinned to one version")


def test_check_all_judges_every_rev_and_dependency(capsys, repo):
    repo.commit("all", {CONFIG: config("v6.0.0", "requests", "eslint@8.56.0", language="node")})
    code, doc = check(capsys, repo, "--all", "--offline")
    assert code == 1
    assert [f for f in findings(doc) if f[0] == "hook-pinning"] == [
        ("hook-pinning", "block", HOOKS, 3, False), ("hook-pinning", "block", "requests", 13, False)]


def test_online_a_true_frozen_comment_passes_a_lie_and_a_fork_commit_block(capsys, repo, fake):
    base = repo.commit("base", {CONFIG: config(f"{V5}  # frozen: v5.0.0"), **NO_REVIEW})
    head = repo.commit("bump", {CONFIG: config(f"{V6}  # frozen: v6.0.0")})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert (code, doc["verdict"], doc["findings"]) == (0, "pass", [])
    lie = repo.commit("lie", {CONFIG: config(f"{V5}  # frozen: v6.0.0")})
    code, doc = check(capsys, repo, "--base", head, "--head", lie)
    assert code == 1
    [finding] = doc["findings"]
    assert (finding["rule"], finding["level"]) == ("pin-comment", "block")
    assert finding["message"].startswith(
        f"the comment says v6.0.0, but tag v6.0.0 of pre-commit/pre-commit-hooks points to commit {V6[:12]}, "
        f"not {V5[:12]}")
    evil = repo.commit("evil", {CONFIG: config(f"{FORK}  # frozen: v6.0.0")})
    code, doc = check(capsys, repo, "--base", head, "--head", evil)
    assert code == 1
    [finding] = doc["findings"]
    assert finding["message"].startswith(
        f"commit {FORK[:12]} is not on any branch or tag of pre-commit/pre-commit-hooks")


def test_a_repository_on_another_host_cannot_be_checked(capsys, repo):
    text = config(f"{V6}  # frozen: v6.0.0").replace(HOOKS, "https://gitlab.com/acme/hooks")
    repo.commit("other host", {CONFIG: text, **NO_REVIEW})
    code, doc = check(capsys, repo, "--all")
    assert code == 0 and doc["verdict"] == "warn"
    assert findings(doc) == [("pin-comment", "warn", "https://gitlab.com/acme/hooks", 3, True)]


def test_what_cannot_be_judged_is_reported_never_skipped(capsys, repo):
    """A bare name under a hook whose language only its repository knows, and a pip option: unreadable-manifest
    blocks the pull request that brings them."""
    mypy = ("- repo: https://github.com/pre-commit/mirrors-mypy\n"
            f"  rev: {V6}  # frozen: v1.8.0\n"
            "  hooks:\n  - id: mypy\n    additional_dependencies: [types-requests==2.31.0]\n")
    base = repo.commit("base", {CONFIG: config(f"{V6}  # frozen: v6.0.0") + mypy, **NO_REVIEW})
    head = repo.commit("deps", {CONFIG: config(f"{V6}  # frozen: v6.0.0", "'--extra-index-url=https://evil.example/'")
                                + mypy.replace("[types-requests==2.31.0]", "[types-requests==2.31.0, types-evil]")})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert code == 1
    unreadable = [(f["level"], f["line"], f["message"]) for f in doc["findings"] if f["rule"] == "unreadable-manifest"]
    assert [(level, line) for level, line, _ in unreadable] == [("block", 13), ("block", 18)]
    assert "an option of pip, not a package" in unreadable[0][2]
    assert "'types-evil' of hook mypy (https://github.com/pre-commit/mirrors-mypy): names no version" in unreadable[1][2]
