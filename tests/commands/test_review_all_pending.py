"""``lockgate review --all-pending`` (issue 22): one command records every change that waits for a review, found by
``check``'s own judgement: the index against HEAD as the hook judges it, or a pull request's revisions from their
merge base. The real pre-commit runs the round trip in tests/project/test_precommit_hook.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.review.ledger import parse_ledger

LEDGER = ".github/lockgate-reviews.yml"
HASH = {v: "sha256:" + c * 64 for v, c in (("2.32.3", "a"), ("2.32.4", "b"), ("3.6", "c"), ("3.7", "d"),
                                            ("1.16.0", "e"), ("1.82.6", "f"), ("1.82.8", "1"))}
REASON = "read each diff: no new install hooks"


def requirements(**versions: str) -> str:
    return "".join(f"{name}=={version} \\\n    --hash={HASH[version]}\n" for name, version in versions.items())


def entries(repo) -> list[tuple[str, str | None, str, str | None]]:  # type: ignore[no-untyped-def]
    text = (repo.path / LEDGER).read_text()
    return [(e.package.text, e.from_version, e.to_version, e.kind) for e in parse_ledger(text, LEDGER)]


def status(repo, path: str) -> str:  # type: ignore[no-untyped-def]
    return str(repo.git("status", "--porcelain=v1", "--", path))


@pytest.fixture
def three(repo, monkeypatch):  # type: ignore[no-untyped-def]
    """Three staged changes that only a review blocks: an upgrade, a downgrade and a new dependency."""
    monkeypatch.chdir(repo.path)
    repo.commit("base", {"requirements.txt": requirements(requests="2.32.3", idna="3.7")})
    repo.git("config", "user.name", "alice")
    repo.write("requirements.txt", requirements(requests="2.32.4", idna="3.6", six="1.16.0"))
    repo.git("add", "requirements.txt")
    return repo


def test_the_blocked_hook_passes_after_all_pending(capsys, three) -> None:
    assert main(["check", "--hook"]) == 1
    hook = capsys.readouterr().out
    assert 'changes wait only for a review: record them all at once with lockgate review --all-pending --reason "..."' \
        in hook
    assert main(["review", "--all-pending", "--reason", REASON]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{LEDGER}:5: recorded review of pypi:idna 3.7 -> 3.6",
        f"{LEDGER}:12: recorded review of pypi:requests 2.32.3 -> 2.32.4",
        f"{LEDGER}:19: recorded review of pypi:six 1.16.0 (added)",
        f"staged {LEDGER}: commit it with the change it reviews",
    ]
    assert entries(three) == [("pypi:idna", "3.7", "3.6", "downgraded"), ("pypi:requests", "2.32.3", "2.32.4", "upgraded"),
                              ("pypi:six", None, "1.16.0", "added")]
    assert status(three, LEDGER) == f"A  {LEDGER}"
    assert main(["check", "--hook"]) == 0
    assert capsys.readouterr().out.startswith("lockgate: passed: 3 dependency changes")


def test_a_placeholder_reason_is_refused_before_anything_is_written(capsys, three) -> None:
    for reason in ("...", "…", "", "TODO", '"..."'):
        assert main(["review", "--all-pending", "--reason", reason]) == 2
        err = capsys.readouterr().err
        assert "--reason" in err and "Traceback" not in err
    assert not (three.path / LEDGER).exists()


def test_nothing_pending_says_so_and_writes_nothing(capsys, repo, monkeypatch) -> None:
    monkeypatch.chdir(repo.path)
    repo.commit("base", {"requirements.txt": requirements(requests="2.32.3")})
    repo.git("config", "user.name", "alice")
    assert main(["review", "--all-pending", "--reason", REASON]) == 0
    assert capsys.readouterr().out == ("nothing waits for a review: no entry written (lockgate check --staged shows "
                                       "the verdict)\n")
    repo.write("requirements.txt", requirements(requests="2.32.4"))  # in the work tree only: the index is judged
    assert main(["review", "--all-pending", "--reason", REASON]) == 0
    assert capsys.readouterr().out.startswith("nothing waits for a review")
    assert not (repo.path / LEDGER).exists()
    assert main(["review", "--all-pending", "--worktree", "--reason", REASON]) == 0  # unless told to judge the files
    assert capsys.readouterr().out.splitlines()[0] == f"{LEDGER}:5: recorded review of pypi:requests 2.32.3 -> 2.32.4"


def test_run_twice_an_entry_is_written_once(capsys, three) -> None:
    assert main(["review", "--all-pending", "--no-stage", "--reason", REASON]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"not staged: stage it with the change it reviews: git add {LEDGER}"
    written = (three.path / LEDGER).read_text()
    assert main(["review", "--all-pending", "--reason", "again"]) == 0  # the index still lacks them: still pending
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [f"{LEDGER}:5: already recorded: pypi:idna 3.7 -> 3.6",
                       f"{LEDGER}:12: already recorded: pypi:requests 2.32.3 -> 2.32.4",
                       f"{LEDGER}:19: already recorded: pypi:six 1.16.0 (added)"]
    assert (three.path / LEDGER).read_text() == written
    assert out[3] == f"staged {LEDGER}: commit it with the change it reviews"  # the file held only lockgate's edits
    assert main(["check", "--hook"]) == 0


def test_the_single_form_writes_an_identical_entry_once(capsys, three) -> None:
    for _ in range(2):
        assert main(["review", "requests", "2.32.3", "2.32.4", "--reason", REASON]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{LEDGER}:5: recorded review of pypi:requests 2.32.3 -> 2.32.4"
    assert out[2] == f"{LEDGER}:5: already recorded review of pypi:requests 2.32.3 -> 2.32.4"
    assert entries(three) == [("pypi:requests", "2.32.3", "2.32.4", "upgraded")]


def test_a_change_other_rules_block_is_recorded_and_stays_blocked(capsys, repo, monkeypatch) -> None:
    """The reviewer records that they looked at every change waiting for a review; a denied release stays denied,
    and the output says so on its line and in the count."""
    monkeypatch.chdir(repo.path)
    repo.commit("base", {"requirements.txt": requirements(litellm="1.82.6", requests="2.32.3")})
    repo.git("config", "user.name", "alice")
    repo.write("requirements.txt", requirements(litellm="1.82.8", requests="2.32.4") + "httpx>=0.27\n")
    repo.git("add", "-A")
    assert main(["review", "--all-pending", "--reason", REASON]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{LEDGER}:5: recorded review of pypi:httpx >=0.27 (added) (still blocked by exact-pinning, hash-pinning)",
        f"{LEDGER}:12: recorded review of pypi:litellm 1.82.6 -> 1.82.8 (still blocked by deny)",
        f"{LEDGER}:19: recorded review of pypi:requests 2.32.3 -> 2.32.4",
        "2 changes stay blocked by other rules: lockgate check --staged says why",
        f"staged {LEDGER}: commit it with the change it reviews",
    ]
    assert main(["check", "--hook", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {f["rule"] for f in report["findings"] if f["level"] == "block"} == {"deny", "exact-pinning", "hash-pinning"}


def test_a_waived_review_or_a_review_rule_that_is_off_is_not_pending(capsys, repo, monkeypatch) -> None:
    monkeypatch.chdir(repo.path)
    repo.commit("base", {
        "requirements.txt": requirements(requests="2.32.3", idna="3.7"),
        ".github/lockgate.yml": "extends: default\nexceptions:\n  - {rule: review, package: 'pypi:idna', "
                                "reason: vendored, expires: 2099-01-01}\n",
    })
    repo.git("config", "user.name", "alice")
    repo.write("requirements.txt", requirements(requests="2.32.4", idna="3.6"))
    repo.git("add", "-A")
    assert main(["review", "--all-pending", "--reason", REASON]) == 0
    assert entries(repo) == [("pypi:requests", "2.32.3", "2.32.4", "upgraded")]
    repo.git("reset", "-q", "--", LEDGER)
    (repo.path / LEDGER).unlink()
    repo.commit("review off", {".github/lockgate.yml": "extends: default\nrules: {review: 'off'}\n"})
    repo.write("requirements.txt", requirements(requests="2.32.3", idna="3.7"))
    repo.git("add", "-A")
    capsys.readouterr()
    assert main(["review", "--all-pending", "--reason", REASON]) == 0
    assert capsys.readouterr().out.startswith("nothing waits for a review")
    assert not (repo.path / LEDGER).exists()


def test_the_ledger_the_policy_names_and_its_absence(capsys, repo, monkeypatch) -> None:
    monkeypatch.chdir(repo.path)
    repo.commit("base", {"requirements.txt": requirements(requests="2.32.3"),
                         ".github/lockgate.yml": "extends: default\nreview: {ledger: docs/reviews.yml}\n"})
    repo.git("config", "user.name", "alice")
    repo.write("requirements.txt", requirements(requests="2.32.4"))
    repo.git("add", "-A")
    assert main(["review", "--all-pending", "--reason", REASON]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "docs/reviews.yml:5: recorded review of pypi:requests 2.32.3 -> 2.32.4"
    assert main(["check", "--hook"]) == 0
    repo.git("reset", "-q", "--", "docs/reviews.yml")
    (repo.path / "docs/reviews.yml").unlink()
    # A policy that extends nothing names no ledger.
    repo.commit("no ledger", {".github/lockgate.yml": "review: {required-for: [upgraded]}\n",
                              "requirements.txt": requirements(requests="2.32.3")})
    repo.write("requirements.txt", requirements(requests="2.32.4"))
    repo.git("add", "-A")
    capsys.readouterr()
    assert main(["review", "--all-pending", "--reason", REASON]) == 2
    assert "the policy names no review ledger (review.ledger); pass --ledger" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["pypi:requests", "2.32.3", "2.32.4", "--all-pending"], "give it no PACKAGE FROM TO"),
    (["requests", "--all-pending"], "give it no PACKAGE FROM TO"),
    ([], "give PACKAGE FROM TO (one change), or --all-pending"),
    (["requests", "2.32.3"], "give PACKAGE FROM TO (one change), or --all-pending"),
    (["requests", "2.32.3", "2.32.4", "--staged"], "--staged: only with --all-pending"),
    (["requests", "2.32.3", "2.32.4", "--base", "main", "--head", "x"], "--base, --head: only with --all-pending"),
    (["--all-pending", "--kind", "upgraded"], "--kind is for one change"),
    (["--all-pending", "--staged", "--head", "HEAD"], "not allowed with argument"),
])
def test_usage_errors_exit_2_with_the_usage(capsys, argv: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["review", *argv, "--reason", REASON])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: lockgate review PACKAGE FROM TO [--kind KIND] --reason TEXT [options]\n"
                          "       lockgate review --all-pending --reason TEXT [--base REV] [--head REV]\n")
    assert message in err


def test_a_pull_request_is_recorded_from_its_merge_base_on_the_base_branch(capsys, repo, monkeypatch) -> None:
    """A maintainer on the base branch records the reviews of a pull request's head: only the pull request's own
    changes (the base branch's later bump is not one of them, and read backwards it would be recorded as a
    downgrade nobody made), judged with the base branch's policy and ledger; once the ledger is committed there,
    nothing waits any more."""
    monkeypatch.chdir(repo.path)
    fork = repo.commit("base", {"requirements.txt": requirements(requests="2.32.3", idna="3.6")})
    repo.git("config", "user.name", "alice")
    repo.git("checkout", "-q", "-b", "pr")
    repo.write("requirements.txt", requirements(requests="2.32.4", idna="3.6", six="1.16.0"))
    repo.commit("the pull request")
    repo.git("checkout", "-q", "main")
    repo.commit("main moves on", {"requirements.txt": requirements(requests="2.32.3", idna="3.7"),
                                  LEDGER: "reviews:\n  - {package: 'pypi:idna', from: '3.6', to: '3.7', kind: upgraded, "
                                          "reviewer: bob, date: '2026-12-01', reason: read it}\n"})
    assert main(["review", "--all-pending", "--base", "main", "--head", "pr", "--reason", REASON]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{LEDGER}:3: recorded review of pypi:requests 2.32.3 -> 2.32.4",
                   f"{LEDGER}:10: recorded review of pypi:six 1.16.0 (added)",
                   f"staged {LEDGER}: commit it to the base branch: the pull request's changes count as reviewed "
                   "once it is there"]
    assert [e[0] for e in entries(repo)] == ["pypi:idna", "pypi:requests", "pypi:six"]
    repo.git("commit", "-q", "-m", "review the pull request")
    assert main(["review", "--all-pending", "--base", "main", "--head", "pr", "--reason", REASON]) == 0
    assert capsys.readouterr().out == (f"nothing waits for a review: no entry written (lockgate check --base "
                                       f"{fork[:12]} --head pr shows the verdict)\n")


def test_a_pull_request_cannot_record_its_own_review_through_its_ledger(capsys, repo, monkeypatch) -> None:
    """The head's own ledger lines are no evidence in a pull request: its changes still wait (and the maintainer's
    ledger on the base branch gets the entries)."""
    monkeypatch.chdir(repo.path)
    repo.commit("base", {"requirements.txt": requirements(requests="2.32.3")})
    repo.git("config", "user.name", "alice")
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit("self-approved", {
        "requirements.txt": requirements(requests="2.32.4"),
        LEDGER: "reviews:\n  - {package: 'pypi:requests', from: '2.32.3', to: '2.32.4', kind: upgraded, "
                "reviewer: mallory, date: '2026-12-01', reason: trust me}\n",
    })
    repo.git("checkout", "-q", "main")
    assert main(["review", "--all-pending", "--base", "main", "--head", "pr", "--reason", REASON]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{LEDGER}:5: recorded review of pypi:requests 2.32.3 -> 2.32.4"
    assert [e[0] for e in entries(repo)] == ["pypi:requests"]
    assert "mallory" not in (repo.path / LEDGER).read_text()


def test_the_hook_names_the_batch_only_when_more_than_one_change_waits_only_for_a_review(capsys, repo,
                                                                                     monkeypatch) -> None:
    monkeypatch.chdir(repo.path)
    repo.commit("base", {"requirements.txt": requirements(requests="2.32.3", litellm="1.82.6")})
    repo.write("requirements.txt", requirements(requests="2.32.4", litellm="1.82.8"))
    repo.git("add", "-A")
    assert main(["check", "--hook"]) == 1
    assert "--all-pending" not in capsys.readouterr().out  # one waits only for a review; the other is denied
    repo.write("requirements.txt", requirements(requests="2.32.4", litellm="1.82.6", six="1.16.0"))
    repo.git("add", "-A")
    assert main(["check", "--hook"]) == 1
    assert ('2 changes wait only for a review: record them all at once with lockgate review --all-pending --reason '
            '"..."') in capsys.readouterr().out


def test_the_ledger_file_is_replaced_whole(capsys, three, monkeypatch) -> None:
    """An interrupted write leaves the ledger as it was (nothing half-written, no temporary file left behind)."""
    import os

    ledger = three.path / LEDGER
    ledger.parent.mkdir()
    ledger.write_text("# ours\nreviews: []\n")

    def fail(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    assert main(["review", "--all-pending", "--reason", REASON]) == 2
    assert ledger.read_text() == "# ours\nreviews: []\n"
    assert sorted(p.name for p in ledger.parent.iterdir()) == ["lockgate-reviews.yml"]


def test_a_linked_ledger_stays_a_link(capsys, three) -> None:
    target = three.path / "shared-reviews.yml"
    target.write_text("reviews: []\n")
    (three.path / ".github").mkdir()
    (three.path / LEDGER).symlink_to("../shared-reviews.yml")
    assert main(["review", "--all-pending", "--no-stage", "--reason", REASON]) == 0
    assert (three.path / LEDGER).is_symlink()
    assert [e.package.text for e in parse_ledger(target.read_text(), "x")] == ["pypi:idna", "pypi:requests", "pypi:six"]


def test_the_help_shows_the_batch_and_the_exit_codes(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit):
        main(["review", "--help"])
    text = capsys.readouterr().out
    assert 'lockgate review --all-pending --reason "read each diff"' in text
    assert "lockgate review --all-pending --base main --head pr-123" in text
    assert "a placeholder reason" in text and "nothing waited" in text


def test_the_written_entries_match_what_review_command_prints(three: Path) -> None:
    """Each entry is what the single form would write for its change (the command a finding prints)."""
    assert main(["review", "--all-pending", "--no-stage", "--reason", REASON]) == 0
    batch = entries(three)
    (three.path / LEDGER).unlink()
    for args in (["idna", "3.7", "3.6"], ["requests", "2.32.3", "2.32.4"], ["six", "-", "1.16.0"]):
        assert main(["review", *args, "--no-stage", "--reason", REASON]) == 0
    assert entries(three) == batch
