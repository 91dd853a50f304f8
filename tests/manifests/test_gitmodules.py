"""Submodules: the snapshots that show gitlinks, the .gitmodules parser, and the command line end to end.

Real submodules in temporary git repositories (``git submodule add`` of a local repository); the parser on its own
with a ``read`` that answers gitlinks the way the snapshots do; the attacker's variants.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GitRepo

from checker.cli import main
from checker.manifests.collect import decode
from checker.errors import ManifestError, SnapshotError
from checker.manifests import FORMATS_BY_NAME, format_for
from checker.manifests.gitmodules import includes, parse
from checker.model import Source
from checker.snapshot.trees import BlobReader, IndexSnapshot, RevisionSnapshot, WorktreeSnapshot, gitlink_text

FIXTURES = Path(__file__).parent / "fixtures" / "gitmodules"
C1, C2, C3 = "1" * 40, "2" * 40, "abcdef0123" * 4


def gitlinks(**paths: str):  # type: ignore[no-untyped-def]
    """A ``read`` for the parser: the given paths are gitlinks at those commits, everything else is absent."""
    table = {path.replace("__", "/"): gitlink_text(commit).decode() for path, commit in paths.items()}
    return lambda path: table.get(path)


def one(text: str, read=None):  # type: ignore[no-untyped-def]
    manifest = parse(text, ".gitmodules", read or gitlinks(lib=C1))
    return manifest


LIB = '[submodule "lib"]\n\tpath = lib\n\turl = https://github.com/acme/lib.git\n'


# ---------------------------------------------------------------------------------------------------------------
# The parser


def test_a_submodule_is_a_git_dependency_at_its_gitlink_commit():
    manifest = one(LIB + "\tbranch = stable\n")
    (dep,) = manifest.dependencies
    assert (dep.ecosystem, dep.name, dep.version, dep.label) == ("git", "https://github.com/acme/lib.git", C1, "stable")
    assert dep.source == Source("git", url="https://github.com/acme/lib.git", ref="stable", commit=C1)
    assert (dep.scope, dep.direct, dep.manifest, dep.line, dep.hashes) == ("prod", True, ".gitmodules", 3, frozenset())
    assert (manifest.format, manifest.ecosystem, manifest.kind) == ("gitmodules", "git", "lock")
    assert manifest.includes == ("lib",) and manifest.problems == ()


def test_includes_are_the_submodule_paths_with_their_lines():
    text = LIB + '[submodule "b"]\n  url = u\n  path = deps/b\n[submodule "c"]\n  path = ./not-a-tree-path\n'
    assert includes(text, ".gitmodules") == [("lib", 2), ("deps/b", 6)]
    assert includes("[broken\n", ".gitmodules") == []  # parse reports it


def test_a_relative_url_stays_as_written_and_credentials_are_never_shown():
    text = ('[submodule "a"]\n path = a\n url = ../a.git\n'
            '[submodule "b"]\n path = b\n url = https://bot:ghp_SECRET123@github.com/acme/b.git\n')
    deps = parse(text, ".gitmodules", gitlinks(a=C1, b=C2)).dependencies
    assert [d.name for d in deps] == ["../a.git", "https://github.com/acme/b.git"]
    assert all("SECRET" not in d.name for d in deps)


def test_paths_that_are_not_gitlinks_are_not_submodules():
    text = LIB + '[submodule "gone"]\n\tpath = gone\n\turl = u\n[submodule "file"]\n\tpath = README\n\turl = v\n'
    reads = {"lib": gitlink_text(C1).decode(), "README": "Subproject commit " + C2 + "\nand more\n"}
    assert [d.name for d in parse(text, ".gitmodules", reads.get).dependencies] == ["https://github.com/acme/lib.git"]


def test_a_path_that_is_no_text_is_no_gitlink():
    def read(path: str) -> str | None:
        if path == "blob.bin":
            raise ManifestError("binary data, expected a text file", path, 1)
        return gitlink_text(C1).decode() if path == "lib" else None

    text = LIB + '[submodule "b"]\n\tpath = blob.bin\n\turl = u\n'
    assert [d.name for d in parse(text, ".gitmodules", read).dependencies] == ["https://github.com/acme/lib.git"]


def test_sections_add_up_and_the_deprecated_header_names_the_same_submodule():
    text = '[submodule "lib"]\n path = lib\n[submodule.lib]\n url = https://x/lib\n[SUBMODULE "lib"]\n branch = main\n'
    (dep,) = one(text).dependencies
    assert (dep.name, dep.label, dep.line) == ("https://x/lib", "main", 4)


def test_odd_but_valid_syntax_is_read_as_git_reads_it():
    text = ('; comment\n[submodule "we\\"ird"] path = "l"ib # the path is lib\n'
            '  URL = "https://x/a b" \\\n  c ; trailing comment\n')
    (dep,) = one(text).dependencies
    assert dep.name == "https://x/a b   c"  # what `git config --list` gives for it


def test_a_sha256_repository_gitlink():
    commit = "a" * 64
    (dep,) = parse(LIB, ".gitmodules", gitlinks(lib=commit)).dependencies
    assert dep.version == commit and dep.source.commit == commit


def test_git_refusing_the_file_is_a_clean_error():
    with pytest.raises(ManifestError, match="bad config line") as caught:
        one(LIB + "\turl = \"unclosed\n")
    assert (caught.value.path, caught.value.line) == (".gitmodules", 4)


# ---------------------------------------------------------------------------------------------------------------
# What git itself does not read one way: reported as problems (unreadable-manifest), never guessed


def problems(text: str, read=None) -> list[str]:  # type: ignore[no-untyped-def]
    return [problem.message for problem in one(text, read).problems]


def test_two_urls_for_one_submodule_are_a_problem_and_both_are_judged():
    manifest = one(LIB + "\turl = https://evil.example/lib.git\n")
    assert [d.name for d in manifest.dependencies] == ["https://github.com/acme/lib.git", "https://evil.example/lib.git"]
    assert [(p.message.split(":")[0], p.line) for p in manifest.problems] == [
        ("submodule 'lib' gives `url` 2 different values", 4)]


def test_two_submodules_at_one_path_are_a_problem():
    text = LIB + '[submodule "twin"]\n\tpath = lib\n\turl = https://evil.example/lib.git\n'
    manifest = one(text)
    assert {d.name for d in manifest.dependencies} == {"https://github.com/acme/lib.git", "https://evil.example/lib.git"}
    assert any("both name the path 'lib'" in p for p in problems(text))


def test_a_path_traversal_name_is_a_problem_not_a_submodule():
    text = '[submodule "../../.git/hooks"]\n\tpath = lib\n\turl = https://x/y\n'
    manifest = one(text)
    assert manifest.dependencies == ()
    assert "refuses this name as path traversal" in manifest.problems[0].message


@pytest.mark.parametrize("key", ["url", "path"])
def test_a_value_that_looks_like_an_option_is_a_problem(key):
    text = '[submodule "lib"]\n\tpath = lib\n\turl = https://x/y\n\t' + key + " = --upload-pack=touch /tmp/x\n"
    assert any("starts with '-'" in p for p in problems(text))


def test_a_gitlink_without_a_url_is_a_problem():
    manifest = one('[submodule "lib"]\n\tpath = lib\n')
    assert manifest.dependencies == ()
    assert [p.message for p in manifest.problems] == ["submodule 'lib' at 'lib' has no usable `url`: git cannot clone it"]


def test_a_url_without_a_value_is_a_problem():
    assert any("`url` has no value" in p for p in problems('[submodule "lib"]\n\tpath = lib\n\turl\n'))


def test_a_tab_inside_a_value_is_a_problem_since_gits_read_it_differently():
    read = gitlinks(**{"a b": C1, "a\tb": C2})
    manifest = one('[submodule "x"]\n\tpath = a\tb\n\turl = u\n', read)
    assert manifest.dependencies == ()  # neither reading is guessed
    assert "tab or carriage return" in manifest.problems[0].message


def test_a_control_character_in_a_gitlink_path_is_a_problem():
    read = gitlinks(**{"lib\x1b[31m": C1})
    manifest = one('[submodule "x"]\n\tpath = lib\\n\n\turl = u\n', gitlinks(**{"lib\n": C1}))
    assert [d.name for d in manifest.dependencies] == ["u"]
    assert "control character" in manifest.problems[0].message and "\n" not in manifest.problems[0].message
    manifest = one('[submodule "x"]\n\tpath = lib\x1b[31m\n\turl = u\n', read)
    assert "\x1b" not in manifest.problems[0].message


@pytest.mark.parametrize("where", ["./lib", "lib/", "/lib", "../lib", "a//lib", ".", ""])
def test_a_path_no_tree_entry_can_have_is_not_read(where):
    asked = []
    parse(f'[submodule "x"]\n\tpath = {where}\n\turl = u\n', ".gitmodules", lambda p: asked.append(p))
    assert asked == []


def test_only_the_root_gitmodules_is_read():
    assert format_for(".gitmodules") is FORMATS_BY_NAME["gitmodules"]
    assert format_for("vendor/lib/.gitmodules") is None and format_for("x.gitmodules") is None
    assert FORMATS_BY_NAME["gitmodules"].includes


def test_the_real_boost_superproject():
    """boostorg/boost: 172 submodules, relative URLs, ``branch = .``, fetchRecurseSubmodules (SOURCES.md)."""
    folder = FIXTURES / "boostorg-boost"
    links = dict(reversed(line.split(" ", 1)) for line in (folder / "gitlinks.txt").read_text().splitlines())
    text = (folder / ".gitmodules").read_text()
    manifest = parse(text, ".gitmodules", lambda p: gitlink_text(links[p]).decode() if p in links else None)
    assert len(manifest.dependencies) == len(links) == 172 and manifest.problems == ()
    assert {d.version for d in manifest.dependencies} == set(links.values())
    system = next(d for d in manifest.dependencies if d.name == "../system.git")
    assert (system.label, system.line) == (".", 3)
    assert len(includes(text, ".gitmodules")) == 172


# ---------------------------------------------------------------------------------------------------------------
# Snapshots: gitlinks in revisions, the index and the work tree


@pytest.fixture
def superproject(repo, tmp_path):  # type: ignore[no-untyped-def]
    """A repository with one submodule at ``vendor/lib`` (its first commit), and the library repository."""
    library = GitRepo(tmp_path / "lib")
    first = library.commit("one", {"README": "1\n"})
    second = library.commit("two", {"README": "2\n"})
    library.git("checkout", "-q", first)
    repo.commit("base", {"keep.txt": "x\n"})
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library.path), "vendor/lib")
    repo.git("commit", "-q", "-m", "add submodule")
    return repo, library, first, second


def _parse(snapshot) -> object:  # type: ignore[no-untyped-def]
    def read(path: str) -> str | None:
        data = snapshot.read(path)
        return None if data is None else decode(data, path)

    return parse(read(".gitmodules"), ".gitmodules", read)


def test_a_revision_lists_and_reads_its_gitlinks(superproject):
    repo, library, first, _ = superproject
    with BlobReader(str(repo.path)) as blobs:
        snapshot = RevisionSnapshot(str(repo.path), repo.git("rev-parse", "HEAD"), blobs)
        assert snapshot.entries()["vendor/lib"] == first and snapshot.gitlinks() == {"vendor/lib"}
        assert snapshot.read("vendor/lib") == f"Subproject commit {first}\n".encode()
        assert snapshot.read_many(["vendor/lib", ".gitmodules"])["vendor/lib"] == gitlink_text(first)
        (dep,) = _parse(snapshot).dependencies
    assert (dep.name, dep.version) == (str(library.path), first)


def test_the_index_holds_the_staged_commit(superproject):
    repo, _, first, second = superproject
    sub = repo.path / "vendor" / "lib"
    subprocess.run(["git", "checkout", "-q", second], cwd=sub, env=repo.env, check=True)
    with BlobReader(str(repo.path)) as blobs:
        assert _parse(IndexSnapshot(str(repo.path), blobs)).dependencies[0].version == first  # not staged yet
        repo.git("add", "vendor/lib")
        index = IndexSnapshot(str(repo.path), blobs)
        assert index.gitlinks() == {"vendor/lib"} and _parse(index).dependencies[0].version == second


def test_the_worktree_holds_the_checked_out_commit(superproject, monkeypatch):
    repo, _, first, second = superproject
    worktree = WorktreeSnapshot(str(repo.path))
    assert worktree.gitlinks() == {"vendor/lib"} and _parse(worktree).dependencies[0].version == first
    sub = repo.path / "vendor" / "lib"
    subprocess.run(["git", "checkout", "-q", second], cwd=sub, env=repo.env, check=True)
    # What `git add` would stage, even when lockgate runs inside a hook that points git at the superproject.
    monkeypatch.setenv("GIT_DIR", str(repo.path / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(repo.path / ".git" / "index"))
    assert _parse(WorktreeSnapshot(str(repo.path))).dependencies[0].version == second


def test_a_detached_checkout_is_read_without_a_git_process(superproject, monkeypatch):
    repo, _, first, second = superproject
    subprocess.run(["git", "checkout", "-q", second], cwd=repo.path / "vendor" / "lib", env=repo.env, check=True)
    worktree = WorktreeSnapshot(str(repo.path))
    worktree.gitlinks()  # the one git process that lists them
    monkeypatch.setattr(subprocess, "run", None)
    assert worktree.read("vendor/lib") == gitlink_text(second)


def test_a_submodule_on_a_branch_is_at_the_branch_tip(superproject):
    repo, *_ = superproject
    sub = repo.path / "vendor" / "lib"
    for args in (["checkout", "-q", "-b", "work"], ["commit", "-q", "--allow-empty", "-m", "local work"]):
        subprocess.run(["git", *args], cwd=sub, env=repo.env, check=True)
    tip = subprocess.run(["git", "rev-parse", "HEAD"], cwd=sub, env=repo.env, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert WorktreeSnapshot(str(repo.path)).read("vendor/lib") == gitlink_text(tip)


def test_a_submodule_that_is_not_checked_out_is_at_the_index_commit(superproject):
    repo, _, first, _ = superproject
    repo.git("submodule", "deinit", "-q", "-f", "vendor/lib")
    assert not any((repo.path / "vendor" / "lib").iterdir())  # an empty directory: git leaves it alone
    worktree = WorktreeSnapshot(str(repo.path))
    assert worktree.read("vendor/lib") == gitlink_text(first)


def test_a_deleted_submodule_directory_is_gone_from_the_worktree(superproject):
    repo, *_ = superproject
    subprocess.run(["rm", "-rf", str(repo.path / "vendor" / "lib")], check=True)
    worktree = WorktreeSnapshot(str(repo.path))
    assert "vendor/lib" not in worktree.entries() and worktree.read("vendor/lib") is None
    assert _parse(worktree).dependencies == ()


def test_a_broken_checkout_is_an_error_not_a_guess(superproject):
    repo, *_ = superproject
    (repo.path / "vendor" / "lib" / ".git").write_text("gitdir: /nonexistent\n")
    with pytest.raises(SnapshotError, match="vendor/lib: a submodule whose checked-out commit git cannot read"):
        WorktreeSnapshot(str(repo.path)).read("vendor/lib")


def test_a_repository_without_submodules_starts_no_extra_git_process(repo, monkeypatch):
    repo.commit("base", {"a/requirements.txt": "x==1\n"})
    worktree = WorktreeSnapshot(str(repo.path))
    monkeypatch.setattr(subprocess, "run", None)  # any git process from here on would fail
    assert worktree.gitlinks() == frozenset() and worktree.read("a/requirements.txt") == b"x==1\n"


def test_the_api_snapshot_reads_gitlinks_as_git_does():
    from tests.fakes.github_api import FakeGitHub

    from checker.github.api import ApiSettings, GitHubClient, Redactor
    from checker.github.contents import ApiSnapshot

    token = "ghs_" + "t" * 36
    with FakeGitHub() as fake:
        fake.add_token(token)
        fake.add_tree("c0ffee", {".gitmodules": LIB.encode()})
        fake.gitlinks["c0ffee"] = {"lib": C3}
        client = GitHubClient(ApiSettings(token, fake.full_name, fake.api_url, write_interval=0), Redactor(token))
        snapshot = ApiSnapshot(client, "c0ffee")
        assert snapshot.entries()["lib"] == C3 and snapshot.gitlinks() == {"lib"}
        (dep,) = _parse(snapshot).dependencies
    assert dep.version == C3


# ---------------------------------------------------------------------------------------------------------------
# The command line


def _json(capsys, repo, *argv: str) -> tuple[int, dict]:
    code = main(["check", "-C", str(repo.path), "--offline", "--format", "json", *argv])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, json.loads(out)


def test_a_new_submodule_is_added_and_needs_review(capsys, repo, tmp_path):
    library = GitRepo(tmp_path / "lib")
    commit = library.commit("one", {"README": "1\n"})
    base = repo.commit("base", {"keep.txt": "x\n"})
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library.path), "vendor/lib")
    head = repo.commit("add a submodule")
    code, doc = _json(capsys, repo, "--base", base, "--head", head)
    (change,) = doc["changes"]
    assert (change["ecosystem"], change["name"], change["kind"], change["to"], change["review"]) == (
        "git", str(library.path), "added", commit, "required")
    assert code == 1 and doc["verdict"] == "block"


def test_a_url_change_is_the_new_repository_added(capsys, superproject):
    repo, library, first, _ = superproject
    base = repo.git("rev-parse", "HEAD")
    repo.git("config", "-f", ".gitmodules", "submodule.vendor/lib.url", "https://evil.example/lib.git")
    head = repo.commit("move the submodule")
    code, doc = _json(capsys, repo, "--base", base, "--head", head)
    kinds = sorted((c["name"], c["kind"], c["review"]) for c in doc["changes"])
    assert kinds == [(str(library.path), "removed", "not-required"), ("https://evil.example/lib.git", "added", "required")]
    assert any(f["rule"] == "registry-source" for f in doc["findings"]) is False
    assert code == 1


def test_a_pull_request_that_only_bumps_a_submodule_needs_review(capsys, superproject):
    repo, library, first, second = superproject
    base = repo.git("rev-parse", "HEAD")
    subprocess.run(["git", "checkout", "-q", second], cwd=repo.path / "vendor" / "lib", env=repo.env, check=True)
    head = repo.commit("bump the submodule")
    code, doc = _json(capsys, repo, "--base", base, "--head", head)
    (change,) = doc["changes"]
    assert (change["ecosystem"], change["name"], change["kind"], change["from"], change["to"], change["review"]) == (
        "git", str(library.path), "source-changed", first, second, "required")
    assert code == 1


@pytest.mark.parametrize(("url", "message"), [
    ("ext::sh -c touch% /tmp/pwned", "uses git's ext:: transport"),
    ("file:///srv/lib.git", "on the disk of the machine that clones"),
    ("/srv/lib.git", "on the disk of the machine that clones"),
    ("git://example.com/lib.git", "fetched without TLS"),
    ("http://example.com/lib.git", "fetched without TLS"),
])
def test_a_submodule_fetched_in_an_unsafe_way_is_a_finding(capsys, superproject, url, message):
    repo, *_ = superproject
    base = repo.git("rev-parse", "HEAD")
    repo.git("config", "-f", ".gitmodules", "submodule.vendor/lib.url", url)
    head = repo.commit("another url")
    code, doc = _json(capsys, repo, "--base", base, "--head", head)
    (finding,) = [f for f in doc["findings"] if f["rule"] == "registry-source"]
    assert message in finding["message"] and finding["level"] == "block" and code == 1


def test_submodules_from_https_ssh_and_relative_urls_are_not_registry_findings(capsys, repo, tmp_path):
    library = GitRepo(tmp_path / "lib")
    library.commit("one", {"README": "1\n"})
    repo.commit("base", {"keep.txt": "x\n"})
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library.path), "vendor/lib")
    for url in ("https://github.com/acme/lib.git", "git@github.com:acme/lib.git", "../lib.git"):
        repo.git("config", "-f", ".gitmodules", "submodule.vendor/lib.url", url)
        repo.commit(f"url {url}")
        code, doc = _json(capsys, repo, "--all")
        assert [f["rule"] for f in doc["findings"]] == [], (url, doc["findings"])
        assert code == 0


def _manifest_named_submodule(repo, tmp_path):  # type: ignore[no-untyped-def]
    library = GitRepo(tmp_path / "lib")
    library.commit("one", {"requirements.txt": "evil==1\n"})
    base = repo.commit("base", {"keep.txt": "x\n"})
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library.path), "requirements.txt")
    return base, repo.commit("a submodule at requirements.txt")


def test_a_submodule_named_like_a_manifest_is_still_a_submodule(capsys, repo, tmp_path):
    base, head = _manifest_named_submodule(repo, tmp_path)
    code, doc = _json(capsys, repo, "--base", base, "--head", head)
    assert ("git", "added", "required") in [(c["ecosystem"], c["kind"], c["review"]) for c in doc["changes"]]
    assert code == 1


def test_a_submodule_named_like_a_manifest_is_no_unreadable_manifest(capsys, repo, tmp_path):
    base, head = _manifest_named_submodule(repo, tmp_path)
    _, doc = _json(capsys, repo, "--base", base, "--head", head)
    assert [f for f in doc["findings"] if f["rule"] == "unreadable-manifest"] == []


def test_the_work_tree_check_sees_a_checked_out_bump_before_it_is_staged(capsys, superproject):
    """``lockgate check`` (the work tree against HEAD): what ``git add`` would stage is judged."""
    repo, library, first, second = superproject
    subprocess.run(["git", "checkout", "-q", second], cwd=repo.path / "vendor" / "lib", env=repo.env, check=True)
    code, doc = _json(capsys, repo)
    assert [(c["name"], c["from"], c["to"], c["review"]) for c in doc["changes"]] == [
        (str(library.path), first, second, "required")]
    code, doc = _json(capsys, repo, "--staged")
    assert doc["changes"] == []  # not staged yet
    repo.git("add", "vendor/lib")
    code, doc = _json(capsys, repo, "--staged")
    assert [(c["from"], c["to"], c["review"]) for c in doc["changes"]] == [(first, second, "required")]
    assert code == 1


def test_a_token_in_a_submodule_url_is_never_shown(capsys, superproject):
    repo, *_ = superproject
    base = repo.git("rev-parse", "HEAD")
    repo.git("config", "-f", ".gitmodules", "submodule.vendor/lib.url", "https://x-access-token:ghs_SECRET42@github.com/acme/lib.git")
    head = repo.commit("a url with a token")
    for output in ("json", "text", "markdown", "sarif"):
        main(["check", "-C", str(repo.path), "--offline", "--format", output, "--base", base, "--head", head])
        out, err = capsys.readouterr()
        shown = "github\\.com/acme/lib\\.git" if output == "markdown" else "github.com/acme/lib.git"  # escaped there
        assert "SECRET42" not in out + err and shown in out, output


def test_a_gitlink_path_with_a_control_character(capsys, repo):
    path = "lib\x1b[31m"
    repo.commit("base", {"keep.txt": "x\n"})
    base = repo.git("rev-parse", "HEAD")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{C1},{path}")
    repo.write(".gitmodules", f'[submodule "lib"]\n\tpath = {path}\n\turl = https://github.com/acme/lib.git\n')
    repo.git("add", ".gitmodules")
    repo.git("commit", "-q", "-m", "a gitlink whose path holds an escape")
    code, doc = _json(capsys, repo, "--base", base, "--head", repo.git("rev-parse", "HEAD"))
    assert [(c["name"], c["kind"]) for c in doc["changes"]] == [("https://github.com/acme/lib.git", "added")]
    (problem,) = [f for f in doc["findings"] if f["rule"] == "unreadable-manifest"]
    assert "control character" in problem["message"] and problem["level"] == "block" and code == 1
    main(["check", "-C", str(repo.path), "--offline", "--base", base, "--head", repo.git("rev-parse", "HEAD")])
    assert "\x1b" not in capsys.readouterr().out


def test_a_branch_change_alone_needs_review(capsys, superproject):
    """``git submodule update --remote`` follows the branch: another branch is another source of code."""
    repo, library, first, _ = superproject
    base = repo.git("rev-parse", "HEAD")
    repo.git("config", "-f", ".gitmodules", "submodule.vendor/lib.branch", "next")
    head = repo.commit("follow another branch")
    code, doc = _json(capsys, repo, "--base", base, "--head", head)
    assert [(c["name"], c["kind"], c["from"], c["to"], c["to_label"], c["review"]) for c in doc["changes"]] == [
        (str(library.path), "source-changed", first, first, "next", "required")]
    assert code == 1
