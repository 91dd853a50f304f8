"""Ways around the gate through symbolic links (issue 16): a manifest or an include that is a link is judged by
what it points at, in every kind of snapshot (a commit, the index, the work tree)."""

from __future__ import annotations

import json
import os

import pytest

from checker.cli import main

HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64


def pinned(name: str, version: str, digest: str = HASH_A) -> str:
    return f"{name}=={version} --hash={digest}\n"


def link(repo, path: str, target: str) -> None:
    full = repo.path / path
    full.parent.mkdir(parents=True, exist_ok=True)
    if full.is_symlink() or full.exists():
        full.unlink()
    os.symlink(target, full)


def diff_json(capsys, repo, *argv: str) -> tuple[int, dict]:
    code = main(["diff", "-C", str(repo.path), "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {"changes": [], "findings": [], "err": err}


def summary(doc: dict) -> set[tuple]:
    return {(c["manifest"], c["name"], c["kind"], c["from"], c["to"]) for c in doc["changes"]}


MODES = {
    "revisions": lambda base, head: ["--base", base, "--head", head],
    "staged": lambda base, head: ["--staged"],
    "worktree": lambda base, head: ["--worktree"],
}


def _commit_or_stage(repo, mode: str) -> str:
    if mode == "revisions":
        return repo.commit("head")
    if mode == "staged":
        repo.git("add", "-A")
    return "HEAD"


@pytest.mark.parametrize("mode", MODES)
def test_editing_only_the_target_of_a_linked_manifest_is_a_change(capsys, repo, mode):
    """requirements.txt -> deps/prod.pins: the pull request edits only deps/prod.pins, which no name rule makes a
    manifest. pip reads the link's target: so does lockgate."""
    repo.write("deps/prod.pins", pinned("litellm", "1.82.6"))
    link(repo, "requirements.txt", "deps/prod.pins")
    base = repo.commit("base")
    repo.write("deps/prod.pins", pinned("litellm", "1.82.8", HASH_B))
    head = _commit_or_stage(repo, mode)
    code, doc = diff_json(capsys, repo, *MODES[mode](base, head))
    assert summary(doc) == {("requirements.txt", "litellm", "upgraded", "1.82.6", "1.82.8")}, doc


@pytest.mark.parametrize("mode", MODES)
def test_turning_a_manifest_into_a_link_shows_what_the_link_brings(capsys, repo, mode):
    base = repo.commit("base", {"requirements.txt": pinned("requests", "2.32.3"),
                                "vendor/evil.txt.bak": pinned("requests", "2.32.3") + pinned("evil", "1.0")})
    link(repo, "requirements.txt", "vendor/evil.txt.bak")
    head = _commit_or_stage(repo, mode)
    code, doc = diff_json(capsys, repo, *MODES[mode](base, head))
    assert summary(doc) == {("requirements.txt", "evil", "added", None, "1.0")}, doc


@pytest.mark.parametrize("mode", MODES)
def test_retargeting_a_link_is_a_change(capsys, repo, mode):
    repo.write("pins/a.lock.txt", pinned("litellm", "1.82.6"))
    repo.write("pins/b.lock.txt", pinned("litellm", "1.82.8"))
    link(repo, "requirements.txt", "pins/a.lock.txt")
    base = repo.commit("base")
    link(repo, "requirements.txt", "pins/b.lock.txt")
    head = _commit_or_stage(repo, mode)
    code, doc = diff_json(capsys, repo, *MODES[mode](base, head))
    assert summary(doc) == {("requirements.txt", "litellm", "upgraded", "1.82.6", "1.82.8")}, doc


@pytest.mark.parametrize("mode", MODES)
def test_an_include_through_a_linked_folder_is_read_as_pip_reads_it(capsys, repo, mode):
    """`-r shared/base.txt` where `shared` is a link to a folder: pip opens the file through the link."""
    repo.write("common/base.pins", pinned("litellm", "1.82.6"))
    link(repo, "shared", "common")
    base = repo.commit("base", {"requirements.txt": "-r shared/base.pins\n"})
    repo.write("common/base.pins", pinned("litellm", "1.82.8"))
    head = _commit_or_stage(repo, mode)
    code, doc = diff_json(capsys, repo, *MODES[mode](base, head))
    assert summary(doc) == {("shared/base.pins", "litellm", "upgraded", "1.82.6", "1.82.8")}, doc


@pytest.mark.parametrize("mode", MODES)
def test_editing_the_target_of_a_linked_include_is_a_change(capsys, repo, mode):
    repo.write("real.pins", pinned("litellm", "1.82.6"))
    link(repo, "alias.pins", "real.pins")
    base = repo.commit("base", {"requirements.txt": "-r alias.pins\n"})
    repo.write("real.pins", pinned("litellm", "1.82.8"))
    head = _commit_or_stage(repo, mode)
    code, doc = diff_json(capsys, repo, *MODES[mode](base, head))
    assert summary(doc) == {("alias.pins", "litellm", "upgraded", "1.82.6", "1.82.8")}, doc


@pytest.mark.parametrize("mode", ["revisions", "staged"])
def test_a_chain_of_links_is_followed_and_a_loop_is_a_finding(capsys, repo, mode):
    repo.write("real.pins", pinned("litellm", "1.82.6"))
    link(repo, "one", "real.pins")
    link(repo, "requirements.txt", "one")
    base = repo.commit("base")
    repo.write("real.pins", pinned("litellm", "1.82.8"))
    link(repo, "package.json", "loop.json")
    link(repo, "loop.json", "package.json")
    head = _commit_or_stage(repo, mode)
    code, doc = diff_json(capsys, repo, *MODES[mode](base, head))
    assert summary(doc) == {("requirements.txt", "litellm", "upgraded", "1.82.6", "1.82.8")}, doc
    assert code == 1 and [(f["manifest"], f["rule"]) for f in doc["findings"]] == [("package.json", "unreadable-manifest")]
    assert "too many levels of symbolic links" in doc["findings"][0]["message"]


@pytest.mark.parametrize("mode", MODES)
def test_a_link_out_of_the_repository_is_a_finding_not_a_skip(capsys, repo, mode, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(pinned("evil", "1.0"))
    base = repo.commit("base", {"requirements.txt": pinned("requests", "2.32.3")})
    link(repo, "requirements.txt", str(outside))
    head = _commit_or_stage(repo, mode)
    code, doc = diff_json(capsys, repo, *MODES[mode](base, head))
    assert code == 1 and doc["changes"] == []
    [finding] = doc["findings"]
    assert finding["manifest"] == "requirements.txt" and "outside the repository" in finding["message"]


def test_check_blocks_a_change_made_through_a_link(capsys, repo):
    repo.write("deps/prod.pins", pinned("litellm", "1.82.6"))
    link(repo, "requirements.txt", "deps/prod.pins")
    base = repo.commit("base")
    head = repo.commit("bump", {"deps/prod.pins": pinned("litellm", "1.82.8", HASH_B)})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--offline", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and ("review", "litellm") in {(f["rule"], f["name"]) for f in doc["findings"]}


def test_the_api_snapshot_judges_a_link_by_its_target():
    """The snapshot read through the GitHub API: a link's content id is its target's (an edit of the target alone
    is a change), a link through a linked folder is followed, and a tree of too many links is refused."""
    from tests.fakes.github_api import FakeGitHub

    from checker.errors import SnapshotError
    from checker.github.api import ApiSettings, GitHubClient, Redactor
    from checker.github.contents import MAX_API_LINKS, ApiSnapshot

    token = "ghs_" + "t" * 36
    with FakeGitHub() as fake:
        fake.add_token(token)
        for ref, pins in (("base", b"a==1\n"), ("head", b"a==2\n")):
            fake.add_tree(ref, {"deps/prod.pins": pins, "requirements.txt": b"deps/prod.pins", "shared": b"deps"})
            fake.symlinks[ref] = {"requirements.txt", "shared"}
        client = GitHubClient(ApiSettings(token, fake.full_name, fake.api_url, write_interval=0), Redactor(token))
        base, head = ApiSnapshot(client, "base"), ApiSnapshot(client, "head")
        assert base.entries()["requirements.txt"] != head.entries()["requirements.txt"]
        assert base.entries()["requirements.txt"] == "link:" + base.entries()["deps/prod.pins"]
        assert head.read("shared/prod.pins") == b"a==2\n" and head.resolve("shared/prod.pins") == "deps/prod.pins"
        many = {f"l{i}": b"deps" for i in range(MAX_API_LINKS + 1)}
        fake.add_tree("many", {"deps/x": b"", **many})
        fake.symlinks["many"] = set(many)
        with pytest.raises(SnapshotError, match="symbolic links, more than the 500"):
            ApiSnapshot(client, "many").entries()
