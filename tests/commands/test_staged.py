"""``lockgate check --staged`` / ``--hook``: the index against HEAD, in the places a developer commits from."""

from __future__ import annotations

import json
import subprocess

from checker.cli import main

HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64


def pinned(name: str, version: str, digest: str) -> str:
    return f"{name}=={version} \\\n    --hash={digest}\n"


def staged_changes(capsys, directory: str, *extra: str) -> tuple[int, dict]:
    code = main(["check", "-C", directory, "--staged", "--format", "json", *extra])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, json.loads(out)


def test_index_not_worktree_is_judged(capsys, repo):
    repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    repo.write("requirements.txt", pinned("a", "1.1", HASH_B))
    repo.git("add", "requirements.txt")
    repo.write("requirements.txt", pinned("a", "9.9", HASH_B))  # not staged: not judged
    _, doc = staged_changes(capsys, str(repo.path))
    assert [(c["from"], c["to"]) for c in doc["changes"]] == [("1.0", "1.1")]


def test_includes_are_followed_inside_the_index(capsys, repo):
    repo.commit("base", {"requirements.txt": "-r deps/common.pip\n", "deps/common.pip": pinned("c", "1.0", HASH_A)})
    repo.write("deps/common.pip", pinned("c", "2.0", HASH_B))
    repo.git("add", "deps/common.pip")
    _, doc = staged_changes(capsys, str(repo.path))
    assert [(c["manifest"], c["bump"]) for c in doc["changes"]] == [("deps/common.pip", "major")]


def test_spaces_and_unicode_in_paths(capsys, repo):
    path = "sérvices/my app/requirements.txt"
    repo.commit("base", {path: pinned("a", "1.0", HASH_A)})
    repo.write(path, pinned("a", "1.0.1", HASH_B))
    repo.git("add", "-A")
    _, doc = staged_changes(capsys, str(repo.path))
    assert [(c["manifest"], c["kind"]) for c in doc["changes"]] == [(path, "upgraded")]


def test_a_linked_worktree(capsys, repo, tmp_path):
    repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    linked = tmp_path / "linked worktree"
    repo.git("worktree", "add", "-q", "-b", "feature", str(linked))
    (linked / "requirements.txt").write_text(pinned("a", "1.2", HASH_B))
    subprocess.run(["git", "add", "requirements.txt"], cwd=linked, env=repo.env, check=True)
    _, doc = staged_changes(capsys, str(linked))
    assert [(c["from"], c["to"]) for c in doc["changes"]] == [("1.0", "1.2")]


def test_a_submodule_is_judged_as_its_own_repository(capsys, repo, tmp_path):
    from tests.conftest import GitRepo

    inner = GitRepo(tmp_path / "inner")
    inner.commit("inner base", {"requirements.txt": pinned("x", "1.0", HASH_A)})
    repo.commit("outer base", {"requirements.txt": pinned("outer", "1.0", HASH_A)})
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner.path), "vendor/inner")
    repo.git("commit", "-q", "-m", "add submodule")
    sub = repo.path / "vendor" / "inner"
    (sub / "requirements.txt").write_text(pinned("x", "1.1", HASH_B))
    subprocess.run(["git", "add", "requirements.txt"], cwd=sub, env=repo.env, check=True)
    _, doc = staged_changes(capsys, str(sub))
    assert [(c["name"], c["to"]) for c in doc["changes"]] == [("x", "1.1")]
    _, outer = staged_changes(capsys, str(repo.path))
    assert outer["changes"] == []  # the outer index records only the submodule's commit


def test_first_commit_is_compared_with_the_empty_tree(capsys, repo):
    repo.write("requirements.txt", pinned("a", "1.0", HASH_A))
    repo.git("add", "requirements.txt")
    _, doc = staged_changes(capsys, str(repo.path))
    assert doc["base"] == "empty tree"
    assert [(c["name"], c["kind"]) for c in doc["changes"]] == [("a", "added")]


def test_ledger_in_the_index_counts_for_local_checks_only(capsys, repo):
    ledger = "reviews:\n  - {package: 'pypi:a', from: '1.0', to: '1.1', reviewer: bob, reason: checked}\n"
    base = repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    repo.write("requirements.txt", pinned("a", "1.1", HASH_B))
    repo.write(".github/lockgate-reviews.yml", ledger)
    repo.git("add", "-A")
    code, doc = staged_changes(capsys, str(repo.path))
    assert code == 0 and doc["changes"][0]["review"] == "reviewed"
    head = repo.commit("bump with its own review")
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["changes"][0]["review"] == "required"  # as a pull request: base ledger only


def test_hook_output_is_one_line_per_blocked_change(capsys, repo, tmp_path, monkeypatch):
    # lockgate on the developer's PATH: no note on how to run it (tests/commands/test_hook_developer.py).
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "lockgate").write_text("#!/bin/sh\n")
    (tmp_path / "bin" / "lockgate").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    repo.commit("base", {"requirements.txt": pinned("litellm", "1.82.6", HASH_A) + pinned("ok", "1.0", HASH_A)})
    repo.write("requirements.txt", pinned("litellm", "1.82.8", HASH_B) + pinned("ok", "1.0", HASH_A) + "httpx>=0.27\n")
    repo.git("add", "-A")
    code = main(["check", "-C", str(repo.path), "--hook"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines() == [
        ("lockgate: blocked: 2 of 2 dependency changes blocked · 5 blocking findings · 7 warnings (policy "
         "preset:default; details: lockgate check --staged)"),
        "  requirements.txt:5: httpx >=0.27: exact-pinning, hash-pinning, review: pin httpx==X.Y.Z with its --hash "
        "lines (pip-compile --generate-hashes, or pip hash)",
        "  requirements.txt:1: litellm 1.82.6 -> 1.82.8 (patch): deny, review: stay on 1.82.6",
    ]


def test_hook_with_nothing_staged_is_one_line(capsys, repo):
    repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    repo.write("README.md", "x")
    repo.git("add", "README.md")
    assert main(["check", "-C", str(repo.path), "--hook"]) == 0
    assert capsys.readouterr().out == "lockgate: passed: no dependency changes · no findings\n"


def test_network_is_off_in_the_hook_unless_asked(repo):
    from checker.policy.load import load_policy
    from checker.pipeline.run import CheckRequest, network_allowed

    default = load_policy(None, "x", lambda p: None)
    online_policy = load_policy("hook: {online: true}\n", "x", lambda p: None)
    assert network_allowed(CheckRequest(), default)
    assert not network_allowed(CheckRequest(offline=True), default)
    assert not network_allowed(CheckRequest(hook=True), default)
    assert network_allowed(CheckRequest(hook=True, online=True), default)
    assert network_allowed(CheckRequest(hook=True), online_policy)
    assert not network_allowed(CheckRequest(hook=True, offline=True), online_policy)
