"""The pre-commit hook from a developer's seat (issue 22): a blocked commit says what applies locally (record the
review; there is no pull request to approve yet), how to run ``lockgate`` from the developer's shell when pre-commit's
copy is not on their PATH, and ``lockgate review`` stages the ledger so that the next commit passes. A placeholder
reason is refused. The real pre-commit runs the same round trip in tests/project/test_precommit_hook.py."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest

from checker import __version__
from checker.cli import main
from checker.commands.runner import on_developer_path, path_note, running_command
from checker.review.ledger import parse_ledger

LEDGER = ".github/lockgate-reviews.yml"
HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64
REVIEW = 'lockgate review pypi:requests 2.32.3 2.32.4 --reason "..."'


def requirement(version: str, digest: str) -> str:
    return f"requests=={version} \\\n    --hash={digest}\n"


def executable(folder: Path, name: str = "lockgate") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    return script


def stage_bump(repo, base: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """A staged patch bump that only a review blocks, over a base commit that also holds ``base``; git knows who
    records the review, and lockgate runs from the repository's root."""
    repo.commit("base", {"requirements.txt": requirement("2.32.3", HASH_A), **(base or {})})
    repo.git("config", "user.name", "alice")
    repo.write("requirements.txt", requirement("2.32.4", HASH_B))
    repo.git("add", "requirements.txt")
    return repo


@pytest.fixture
def bump(repo, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo.path)
    return stage_bump(repo)


@pytest.fixture
def fresh(repo, monkeypatch):  # type: ignore[no-untyped-def]
    """The repository before its base commit (the test writes it with stage_bump)."""
    monkeypatch.chdir(repo.path)
    return repo


def staged_status(repo, path: str) -> str:  # type: ignore[no-untyped-def]
    """git's two-letter status of ``path`` (index, work tree) and the path, as ``git status --short`` shows it."""
    import subprocess

    return subprocess.run(["git", "status", "--porcelain=v1", "--ignored", "--", path], cwd=repo.path, env=repo.env,
                          capture_output=True, text=True, check=True).stdout.rstrip("\n")


# --- where lockgate runs from -------------------------------------------------------------------------------------


def test_pre_commit_own_folder_does_not_count_as_the_developers_path(tmp_path: Path) -> None:
    """pre-commit puts its environment's bin first on the hook's PATH (and sets PRE_COMMIT=1, VIRTUAL_ENV): a
    lockgate found there is not one the developer's shell finds."""
    venv = tmp_path / "py_env-python3"
    executable(venv / "bin")
    hook_env = {"PRE_COMMIT": "1", "VIRTUAL_ENV": str(venv), "PATH": f"{venv / 'bin'}{os.pathsep}/usr/bin"}
    assert not on_developer_path(hook_env)
    assert not on_developer_path({**hook_env, "PATH": f"{venv / 'bin'}/{os.pathsep}/usr/bin"})  # spelled with a /
    installed = executable(tmp_path / "home" / ".local" / "bin")
    assert on_developer_path({**hook_env, "PATH": hook_env["PATH"] + os.pathsep + str(installed.parent)})
    # Outside pre-commit (a hand-written git hook, a shell), the PATH is the developer's own.
    assert on_developer_path({"PATH": str(venv / "bin")})
    assert not on_developer_path({"PATH": ""}) and not on_developer_path({})


def test_the_running_copy_is_named_by_its_script_or_its_interpreter(tmp_path: Path) -> None:
    script = executable(tmp_path / "cache dir" / "bin")
    assert running_command(str(script), "/usr/bin/python3") == shlex.quote(str(script))
    assert shlex.split(running_command(str(script), "/usr/bin/python3")) == [str(script)]  # a space, quoted
    # python -m checker, or a script that is not lockgate's: the interpreter that runs this code.
    assert running_command("-m", "/opt/py/bin/python3") == "/opt/py/bin/python3 -m checker"
    assert running_command(str(tmp_path / "pytest"), "/opt/py/bin/python3") == "/opt/py/bin/python3 -m checker"
    assert running_command(str(tmp_path / "gone" / "lockgate"), "/x/python") == "/x/python -m checker"


def test_the_note_repeats_each_command_ready_to_run_and_says_once_how_to_install(tmp_path: Path) -> None:
    venv = tmp_path / "py_env-python3"
    script = executable(venv / "bin")
    env = {"PRE_COMMIT": "1", "VIRTUAL_ENV": str(venv), "PATH": str(venv / "bin")}
    note = path_note([REVIEW], env, str(script), "/usr/bin/python3")
    assert note.splitlines() == [
        f"lockgate is not on your PATH (pre-commit runs its own copy); run the copy that ran here as {script}:",
        f'  {script} review pypi:requests 2.32.3 2.32.4 --reason "..."',
        f"or install it once: pipx install lockgate=={__version__} (or run it without installing: "
        f"pipx run --spec lockgate=={__version__} lockgate …, uvx lockgate@{__version__} …)",
    ]
    assert "pre-commit run " not in note  # the hook's own entry records nothing
    assert path_note([REVIEW], {**env, "PATH": f"{venv / 'bin'}{os.pathsep}{executable(tmp_path / 'b').parent}"},
                     str(script), "/usr/bin/python3") == ""


# --- the hook's message -------------------------------------------------------------------------------------------


def test_a_blocked_hook_offers_the_local_step_and_a_command_that_runs(capsys, bump, tmp_path, monkeypatch) -> None:
    venv = tmp_path / "pre-commit-home" / "repoabc" / "py_env-python3"
    script = executable(venv / "bin")
    monkeypatch.setenv("PRE_COMMIT", "1")
    monkeypatch.setenv("VIRTUAL_ENV", str(venv))
    monkeypatch.setenv("PATH", f"{venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin")
    monkeypatch.setattr("sys.argv", [str(script), "check", "--hook"])
    assert main(["check", "-C", str(bump.path), "--hook"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == ("  requirements.txt:1: requests 2.32.3 -> 2.32.4 (patch): review: record the review in the "
                        f"ledger, committed with this change: `{REVIEW}`")
    assert "approve the pull request" not in "\n".join(lines)  # there is none before the push
    assert lines[2] == f"lockgate is not on your PATH (pre-commit runs its own copy); run the copy that ran here as {script}:"
    assert lines[3] == f'  {script} review pypi:requests 2.32.3 2.32.4 --reason "..."'
    assert lines[4].startswith("or install it once: pipx install lockgate==") and len(lines) == 5


def test_no_note_when_lockgate_is_on_the_developers_path(capsys, bump, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", f"{executable(tmp_path / 'bin').parent}{os.pathsep}/usr/bin{os.pathsep}/bin")
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert main(["check", "-C", str(bump.path), "--hook"]) == 1
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 2 and "not on your PATH" not in out


def test_the_review_hint_is_local_for_local_work_and_the_approval_route_in_revisions(capsys, bump) -> None:
    for args in (["--staged"], []):  # the index (the hook), the work tree (`lockgate check`)
        assert main(["check", "-C", str(bump.path), "--format", "json", *args]) == 1
        [finding] = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "review"]
        assert finding["hint"] == f"record the review in the ledger, committed with this change: `{REVIEW}`"
    base = bump.git("rev-parse", "HEAD")
    head = bump.commit("bump")
    assert main(["check", "-C", str(bump.path), "--base", base, "--head", head, "--format", "json"]) == 1
    [finding] = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "review"]
    assert finding["hint"] == ("approve the pull request as a maintainer, or record the review on the base branch: "
                               f"`{REVIEW}`")


# --- lockgate review: the reason, and the ledger staged ------------------------------------------------------------


@pytest.mark.parametrize("reason", [
    "...", '"..."', "'...'", "…", "", "   ", "\t\n", "TODO", "todo:", "TBD", "tbd", "x", "X", "?", "-", "<reason>",
    "TEXT", "FIXME", "n/a", "what you checked", "\u200b", "[TODO]",
])
def test_a_placeholder_reason_is_refused(capsys, bump, reason: str) -> None:
    code = main(["review", "-C", str(bump.path), "requests", "2.32.3", "2.32.4", "--reason", reason])
    err = capsys.readouterr().err
    assert code == 2
    assert "--reason" in err and ("placeholder" in err or "must say what was reviewed" in err), err
    assert not (bump.path / LEDGER).exists()
    assert "Traceback" not in err


@pytest.mark.parametrize("reason", ["ok", "read the diff", "TODO list module only; diff read", "x86 wheels diffed"])
def test_a_short_real_reason_is_recorded(capsys, bump, reason: str) -> None:
    assert main(["review", "-C", str(bump.path), "requests", "2.32.3", "2.32.4", "--reason", reason]) == 0
    [entry] = parse_ledger((bump.path / LEDGER).read_text(), LEDGER)
    assert entry.reason == reason


def test_review_stages_the_ledger_and_the_next_commit_passes(capsys, bump, monkeypatch) -> None:
    monkeypatch.chdir(bump.path)
    assert main(["check", "--hook"]) == 1
    capsys.readouterr()
    assert main(["review", "requests", "2.32.3", "2.32.4", "--reason", "read the diff: no new install hooks"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{LEDGER}:5: recorded review of pypi:requests 2.32.3 -> 2.32.4",
        f"staged {LEDGER}: commit it with the change it reviews",
    ]
    assert staged_status(bump, LEDGER) == f"A  {LEDGER}"
    assert main(["check", "--hook"]) == 0
    assert capsys.readouterr().out.startswith("lockgate: passed: 1 dependency change · ")


def test_review_from_a_subfolder_stages_the_ledger_at_the_root(capsys, bump, monkeypatch) -> None:
    (bump.path / "src").mkdir()
    monkeypatch.chdir(bump.path / "src")
    assert main(["review", "requests", "2.32.3", "2.32.4", "--reason", "read the diff"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == f"staged ../{LEDGER}: commit it with the change it reviews"
    assert staged_status(bump, LEDGER) == f"A  {LEDGER}"


def test_a_ledger_with_unstaged_edits_of_the_users_is_not_staged(capsys, fresh) -> None:
    """Staging stages the whole file: edits the user has not staged stay theirs to stage."""
    bump = stage_bump(fresh, {LEDGER: "reviews: []\n"})
    bump.write(LEDGER, "# my notes, not for this commit\nreviews: []\n")
    assert main(["review", "-C", str(bump.path), "requests", "2.32.3", "2.32.4", "--reason", "read the diff"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (f"not staged (it has other edits that are not staged): stage it with the change it reviews: "
                      f"git add {LEDGER}")
    assert staged_status(bump, LEDGER) == f" M {LEDGER}"


def test_a_ledger_with_staged_edits_is_staged_again(capsys, fresh) -> None:
    bump = stage_bump(fresh, {LEDGER: "reviews: []\n"})
    bump.write(LEDGER, "# reviewed changes\nreviews: []\n")
    bump.git("add", LEDGER)
    assert main(["review", "-C", str(bump.path), "requests", "2.32.3", "2.32.4", "--reason", "read the diff"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("staged ")
    assert staged_status(bump, LEDGER) == f"M  {LEDGER}"


def test_no_stage_leaves_the_index_alone(capsys, bump) -> None:
    assert main(["review", "-C", str(bump.path), "requests", "2.32.3", "2.32.4", "--reason", "read the diff",
                 "--no-stage"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == f"not staged: stage it with the change it reviews: git add {LEDGER}"
    assert staged_status(bump, LEDGER) == f"?? {LEDGER}"


def test_an_ignored_ledger_is_not_forced_into_the_index(capsys, fresh) -> None:
    bump = stage_bump(fresh, {".gitignore": ".github/\n"})
    assert main(["review", "-C", str(bump.path), "requests", "2.32.3", "2.32.4", "--reason", "read the diff"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        f"not staged (git ignores it): stage it with the change it reviews: git add {LEDGER}")
    assert staged_status(bump, LEDGER) == "!! .github/"


@pytest.mark.parametrize("name", ["*", ":(glob)**", ":!x", "--all", "-A"])
def test_a_ledger_named_like_a_pathspec_or_an_option_stages_only_itself(capsys, fresh, name: str) -> None:
    """A policy's ``review.ledger`` is text from the repository: staged as a literal path, never as a pattern or an
    option that would sweep every modified file into the commit."""
    bump = stage_bump(fresh, {".github/lockgate.yml": f"extends: default\nreview:\n  ledger: {json.dumps('r/' + name)}\n",
                              "unrelated.txt": "a\n"})
    bump.write("unrelated.txt", "edited, not for this commit\n")
    assert main(["review", "-C", str(bump.path), "requests", "2.32.3", "2.32.4", "--reason", "read the diff"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("staged ")
    staged = bump.git("diff", "--cached", "--name-only").splitlines()
    assert sorted(staged) == sorted(["requirements.txt", f"r/{name}"])
