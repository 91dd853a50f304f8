"""Ways around the gate through pip includes (issue 16): every file a requirements file reads in is judged,
whatever the spelling of the include, wherever the file lives, and from the moment it is first read in."""

from __future__ import annotations

import json

import pytest

from checker.cli import main

HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64


def pinned(name: str, version: str, digest: str = HASH_A) -> str:
    return f"{name}=={version} --hash={digest}\n"


def changes(capsys, repo, base: str, head: str, *extra: str) -> list[dict]:
    code = main(["diff", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json", *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)["changes"]


def summary(found: list[dict]) -> set[tuple]:
    return {(c["manifest"], c["name"], c["kind"], c["from"], c["to"]) for c in found}


# Every way pip lets a requirements file read another (pip's optparse: attached short options, `=`-joined long
# options, unambiguous abbreviations, quotes, continuations). Each names the file `base.pip`, which no name rule
# makes a manifest: only the include reaches it.
INCLUDE_SPELLINGS = [
    "-r base.pip",
    "-rbase.pip",
    "-r  base.pip",
    "-r\tbase.pip",
    "--requirement base.pip",
    "--requirement=base.pip",
    "--requirem base.pip",
    "--requireme=base.pip",
    "-r 'base.pip'",
    '-r "base.pip"',
    "-r \\\nbase.pip",
    "--requirement \\\n  base.pip",
    "  -r base.pip  # the shared pins",
    "-c base.pip",
    "-cbase.pip",
    "--constraint=base.pip",
    "--constr base.pip",
    "--cons=base.pip",
    "-Zrbase.pip",
    "--pre -r base.pip",
]


@pytest.mark.parametrize("include", INCLUDE_SPELLINGS)
def test_a_change_in_an_included_file_is_seen_whatever_the_spelling(capsys, repo, include):
    base = repo.commit("base", {"requirements.txt": f"{include}\n", "base.pip": pinned("litellm", "1.82.6")})
    head = repo.commit("bump", {"base.pip": pinned("litellm", "1.82.8", HASH_B)})
    assert summary(changes(capsys, repo, base, head)) == {("base.pip", "litellm", "upgraded", "1.82.6", "1.82.8")}


@pytest.mark.parametrize("include", INCLUDE_SPELLINGS)
def test_a_new_include_of_an_old_file_adds_every_requirement_in_it(capsys, repo, include):
    """The included file existed, unchanged, before the include was written: pip now installs what it lists."""
    base = repo.commit("base", {"requirements.txt": pinned("requests", "2.32.3"),
                                "base.pip": pinned("litellm", "1.82.8") + pinned("evil", "1.0")})
    head = repo.commit("include", {"requirements.txt": pinned("requests", "2.32.3") + f"{include}\n"})
    assert summary(changes(capsys, repo, base, head)) == {
        ("base.pip", "litellm", "added", None, "1.82.8"), ("base.pip", "evil", "added", None, "1.0")}


def test_dropping_an_include_removes_what_it_brought(capsys, repo):
    base = repo.commit("base", {"requirements.txt": "-r base.pip\n", "base.pip": pinned("litellm", "1.82.6")})
    head = repo.commit("drop", {"requirements.txt": "# nothing\n"})
    assert summary(changes(capsys, repo, base, head)) == {("base.pip", "litellm", "removed", "1.82.6", None)}


def test_an_included_file_is_judged_even_when_the_policy_ignores_its_path(capsys, repo):
    """paths.ignore keeps lockgate from reading manifests nobody installs; a file a requirements file reads in is
    installed, so the include wins."""
    policy = {".github/lockgate.yml": "extends: default\npaths:\n  ignore: ['vendor/**', 'docs/**']\n"}
    base = repo.commit("base", {**policy, "requirements.txt": "requests==2.32.3 --hash=" + HASH_A + "\n",
                                "docs/requirements.txt": pinned("sphinx", "8.0.0")})
    head = repo.commit("include", {"requirements.txt": "requests==2.32.3 --hash=" + HASH_A + "\n"
                                   "-r vendor/extra.txt\n-r docs/requirements.txt\n",
                                   "vendor/extra.txt": pinned("evil", "1.0")})
    assert summary(changes(capsys, repo, base, head)) == {
        ("vendor/extra.txt", "evil", "added", None, "1.0"), ("docs/requirements.txt", "sphinx", "added", None, "8.0.0")}
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json", "--offline"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and {f["name"] for f in doc["findings"] if f["rule"] == "review"} == {"evil", "sphinx"}


def test_an_ignored_file_that_nothing_includes_stays_ignored(capsys, repo):
    policy = {".github/lockgate.yml": "extends: default\npaths:\n  ignore: ['docs/**']\n"}
    base = repo.commit("base", {**policy, "docs/requirements.txt": pinned("sphinx", "8.0.0")})
    head = repo.commit("bump", {"docs/requirements.txt": pinned("sphinx", "8.1.0")})
    assert changes(capsys, repo, base, head) == []


def test_a_dev_file_included_by_a_production_file_becomes_production(capsys, repo):
    """requirements-dev.txt is dev by its name; once requirements.txt reads it in, what it lists is installed in
    production: a scope move, reviewed like any change (a dev-only review skip must not launder it)."""
    base = repo.commit("base", {"requirements.txt": pinned("requests", "2.32.3"),
                                "requirements-dev.txt": pinned("pytest", "8.3.5")})
    head = repo.commit("include", {"requirements.txt": pinned("requests", "2.32.3") + "-r requirements-dev.txt\n"})
    [change] = changes(capsys, repo, base, head)
    assert (change["manifest"], change["name"], change["kind"], change["scope"]) == (
        "requirements-dev.txt", "pytest", "scope-changed", "prod")


def test_a_nested_include_reached_through_an_unchanged_file_is_seen(capsys, repo):
    base = repo.commit("base", {"requirements.txt": "-r reqs/common.pip\n", "reqs/common.pip": "-r deeper.pip\n",
                                "reqs/deeper.pip": pinned("litellm", "1.82.6")})
    head = repo.commit("bump", {"reqs/deeper.pip": pinned("litellm", "1.82.8")})
    assert summary(changes(capsys, repo, base, head)) == {
        ("reqs/deeper.pip", "litellm", "upgraded", "1.82.6", "1.82.8")}


def test_a_file_named_like_an_option_is_read_as_pip_reads_it(capsys, repo):
    """optparse reads `-r=x` as the file `=x` (a short option takes the rest of its word)."""
    base = repo.commit("base", {"requirements.txt": "-r=extra.pip\n", "=extra.pip": pinned("litellm", "1.82.6")})
    head = repo.commit("bump", {"=extra.pip": pinned("litellm", "1.82.8")})
    assert summary(changes(capsys, repo, base, head)) == {("=extra.pip", "litellm", "upgraded", "1.82.6", "1.82.8")}
