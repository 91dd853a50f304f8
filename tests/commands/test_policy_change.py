"""A change that edits the gate itself — the policy, a file its ``extends`` chain reads, the review ledger — end to
end: the command line on a git repository in every format, and ``lockgate pr`` against the fake GitHub API."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from checker.cli import main
from tests.fakes import runner
from tests.fakes.github_api import FakeGitHub
from tests.policy.edits import BASE_POLICY, LEDGER, POLICY


HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64
TOKEN = "ghs_PolicyChangeToken0123456789ABCDEF"


def pinned(name: str, version: str, digest: str) -> str:
    return f"{name}=={version} \\\n    --hash={digest}\n"


# --- the command line on a git repository ---------------------------------------------------------------------------


def check(capsys, repo, *extra: str, fmt: str = "json") -> tuple[int, Any]:  # type: ignore[no-untyped-def]
    code = main(["check", "-C", str(repo.path), "--format", fmt, *extra])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, json.loads(out) if fmt == "json" else out


LOOSENED = ("the policy changes (.github/lockgate.yml modified). It loosens the gate: rules.release-age.level block -> "
            "off; review.reviewers: adds mallory. Keys changed: review, rules")


@pytest.fixture
def loosened(repo):  # type: ignore[no-untyped-def]
    """main with a policy naming alice; a change that turns release-age off and adds mallory as a reviewer."""
    base = repo.commit("base", {POLICY: BASE_POLICY, "requirements.txt": pinned("a", "1.0", HASH_A)})
    head = repo.commit("loosen", {POLICY: BASE_POLICY.replace("[alice]", "[alice, mallory]")
                                  + "rules:\n  release-age: off\n"})
    return base, head


def test_check_reports_the_edit_and_blocks(capsys, repo, loosened) -> None:
    base, head = loosened
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and doc["verdict"] == "block" and doc["changes"] == []
    [finding] = doc["findings"]
    assert finding == {
        "rule": "policy-change", "level": "block", "ecosystem": None, "name": None, "version": None,
        "manifest": POLICY, "line": 3, "message": LOOSENED,
        "hint": "have an allowed reviewer approve the pull request on its head commit (the review ledger cannot "
                "approve a policy change); until it is merged, the base revision's policy judges this change",
        "unknown": False, "excepted": None, "advisory": None, "cause": None,
    }


def test_every_format_shows_it(capsys, repo, loosened) -> None:
    base, head = loosened
    code, text = check(capsys, repo, "--base", base, "--head", head, fmt="text")
    assert code == 1
    assert f".github/lockgate.yml\n  BLOCK policy-change: line 3: {LOOSENED}\n" in text
    code, annotations = check(capsys, repo, "--base", base, "--head", head, fmt="github")
    assert annotations.startswith(
        f"::error file=.github/lockgate.yml,line=3,title=lockgate policy-change::{LOOSENED}%0AFix: have an allowed")
    code, markdown = check(capsys, repo, "--base", base, "--head", head, fmt="markdown")
    assert "### \u23f3 lockgate: Needs review · no dependency changes · 1 blocking finding" in markdown
    assert "- \u23f3 <code>\\.github/lockgate\\.yml&#58;3</code>: **Get the policy change reviewed**: " in markdown
    assert "rules\\.release\\-age\\.level block \\-&gt; off; review\\.reviewers&#58; adds mallory" in markdown
    code, sarif = check(capsys, repo, "--base", base, "--head", head, fmt="sarif")
    run = json.loads(sarif)["runs"][0]
    assert "policy-change" in [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    [result] = run["results"]
    assert result["ruleId"] == "policy-change" and result["level"] == "error"
    assert result["message"]["text"].startswith(LOOSENED)
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == POLICY
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_the_fast_path_does_not_skip_a_policy_edit(repo, loosened) -> None:
    """`lockgate check` of a commit touching no manifest answers without loading anything: not when the policy
    changed (the real command, so the start-up path is the one taken)."""
    base, head = loosened
    done = subprocess.run([sys.executable, "-m", "checker", "check", "--base", base, "--head", head],
                          cwd=repo.path, capture_output=True, text=True, env=repo.env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BLOCK policy-change: line 3: " in done.stdout


def test_an_edit_of_an_extended_file_alone_is_found_by_the_fast_path_too(capsys, repo) -> None:
    base = repo.commit("base", {POLICY: "extends: ../policies/base.yml\n",
                                "policies/base.yml": "extends: default\nrules:\n  deny: block\n"})
    head = repo.commit("edit", {"policies/base.yml": "extends: default\nrules:\n  deny: warn\n"})
    code, text = check(capsys, repo, "--base", base, "--head", head, fmt="text")
    assert code == 1
    assert ("BLOCK policy-change: line 3: the policy changes (policies/base.yml modified). It loosens the gate: "
            "rules.deny.level block -> warn. Keys changed: rules") in text


def test_a_pull_request_adding_the_first_policy_is_judged_by_the_default_preset(capsys, repo) -> None:
    base = repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    head = repo.commit("add", {POLICY: "extends: default\nrules:\n  review: off\n",
                               "requirements.txt": pinned("a", "1.1", HASH_B)})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and doc["policy"] == "preset:default"
    rules = {f["rule"]: f for f in doc["findings"]}
    assert rules["review"]["level"] == "block"  # the added policy turns review off: not for this change
    assert rules["policy-change"]["message"] == (
        "the change adds a policy (.github/lockgate.yml added) where the default preset applied. It loosens the gate: "
        "rules.review.level block -> off. Keys changed: rules")


def test_removing_the_policy(capsys, repo) -> None:
    base = repo.commit("base", {POLICY: "extends: strict\n", "README": "x"})
    repo.git("rm", "-q", POLICY)
    head = repo.commit("remove")
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    [finding] = doc["findings"]
    assert code == 1 and doc["policy"] == POLICY
    assert finding["line"] is None
    assert finding["message"].startswith(
        "the change removes the policy (.github/lockgate.yml removed): the default preset would apply. It loosens "
        "the gate: on-unknown block -> warn; ")


def test_a_ledger_entry_added_by_a_change_is_reported(capsys, repo) -> None:
    ledger = "reviews:\n  - {package: 'pypi:a', from: '1.0', to: '1.1', reviewer: mallory, date: 2026-03-20, reason: me}\n"
    base = repo.commit("base", {POLICY: BASE_POLICY, "requirements.txt": pinned("a", "1.0", HASH_A)})
    head = repo.commit("bump+ledger", {"requirements.txt": pinned("a", "1.1", HASH_B), LEDGER: ledger})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert code == 1
    assert doc["changes"][0]["review"] == "required"  # the change's own ledger line does not count
    [edit] = [f for f in doc["findings"] if f["rule"] == "policy-change"]
    assert (edit["manifest"], edit["line"], edit["level"]) == (LEDGER, 1, "block")
    assert edit["message"] == ("the review ledger changes (.github/lockgate-reviews.yml added): adds a review: pypi:a "
                               "1.0 -> 1.1 by mallory; once merged, each added review approves that change in every "
                               "later pull request")


def test_comments_only(capsys, repo) -> None:
    base = repo.commit("base", {POLICY: BASE_POLICY})
    head = repo.commit("comment", {POLICY: "# who may review\n" + BASE_POLICY})
    code, doc = check(capsys, repo, "--base", base, "--head", head)
    assert code == 0 and doc["verdict"] == "pass"
    [finding] = doc["findings"]
    assert (finding["level"], finding["line"], finding["message"]) == (
        "info", 1, "the policy changes (.github/lockgate.yml modified), but not what it enforces (comments or "
        "formatting only)")


def test_a_broken_policy_on_the_head_is_an_input_error(capsys, repo) -> None:
    base = repo.commit("base", {POLICY: BASE_POLICY})
    head = repo.commit("break", {POLICY: BASE_POLICY + "rules:\n  review: loud\n"})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == ("lockgate: error: .github/lockgate.yml:6: rules.review must be one of off, info, warn, block; found "
                   "'loud' (in the policy as this change leaves it: the base's policy judges the change, but this one "
                   "would judge every later change)\n")


def test_staged_and_the_hook_warn(capsys, repo) -> None:
    repo.commit("base", {POLICY: BASE_POLICY, "requirements.txt": pinned("a", "1.0", HASH_A)})
    repo.write(POLICY, BASE_POLICY + "rules:\n  deny: off\n")
    repo.git("add", POLICY)
    code, doc = check(capsys, repo, "--staged")
    assert code == 0 and doc["verdict"] == "warn"
    [finding] = doc["findings"]
    assert (finding["rule"], finding["level"]) == ("policy-change", "warn")
    assert finding["hint"] == ("it will need an approval by an allowed reviewer in the pull request (the review "
                               "ledger cannot approve it)")
    code = main(["check", "-C", str(repo.path), "--hook"])
    out, _ = capsys.readouterr()
    assert code == 0 and out == "lockgate: passed: no dependency changes · 1 warning (details: lockgate check --staged)\n"


def test_a_policy_file_given_on_the_command_line_inside_the_repository(capsys, repo) -> None:
    base = repo.commit("base", {"ci/policy.yml": "extends: default\n", "README": "x"})
    head = repo.commit("edit", {"ci/policy.yml": "extends: default\nrules:\n  exact-pinning: warn\n"})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--policy", str(repo.path / "ci/policy.yml"))
    [finding] = doc["findings"]
    assert finding["message"] == ("the policy changes (ci/policy.yml modified). It loosens the gate: "
                                  "rules.exact-pinning.level block -> warn. Keys changed: rules")


# --- lockgate pr ------------------------------------------------------------------------------------------------------


class Runner(runner.Runner):
    token = TOKEN


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    with FakeGitHub() as server:
        server.add_token(TOKEN)
        yield server


def comment(fake: FakeGitHub, number: int) -> str:
    [only] = fake.comments_on(number)
    return str(only["body"])


def statuses(fake: FakeGitHub, sha: str) -> list[str]:
    return [s["state"] for s in fake.statuses.get(sha, []) if s["context"] == "lockgate"]


@pytest.fixture
def pull(repo, fake, tmp_path, loosened):  # type: ignore[no-untyped-def]
    """Pull request #7 by mallory: the policy edit of ``loosened``, on a branch."""
    base, head = loosened
    fake.add_pull(7, "mallory", base, head)
    return Runner(tmp_path, repo.path, fake, repo.env), base, head


def test_pr_blocks_an_unreviewed_policy_edit(pull, fake) -> None:
    runner_, base, head = pull
    result = runner_.run("pull_request", runner_.pull_event(7))
    assert result.code == 1, result.stdout + result.stderr
    assert result.stderr == ""
    body = comment(fake, 7)
    assert "### \u23f3 lockgate: Needs review · no dependency changes · 1 blocking finding" in body
    assert (f"- \u23f3 <code>\\.github/lockgate\\.yml&#58;3</code>: **Get the policy change reviewed**: an approval "
            f"by alice on the head commit {head[:12]}, or the label deps\\-reviewed applied by them after the latest "
            "push") in body
    assert f"**Review:** \u23f3 1 change needs a review: an approval of head {head[:12]} by alice" in body
    assert statuses(fake, head) == ["failure"]
    [status] = fake.statuses[head]
    assert status["description"].startswith(
        "1 change waiting for review; BLOCKED: no dependency changes · 1 blocking finding")
    [finding] = json.loads(result.outputs["findings"])
    assert (finding["rule"], finding["level"], finding["message"]) == ("policy-change", "block", LOOSENED)
    assert f"::error file=.github/lockgate.yml,line=3,title=lockgate policy-change::{LOOSENED}" in result.stdout
    assert "**Get the policy change reviewed**" in result.summary


def test_pr_an_approval_by_a_reviewer_of_the_base_policy_unblocks(pull, fake) -> None:
    runner_, base, head = pull
    fake.add_review(7, "mallory", "APPROVED", head)  # the author, and a reviewer only the edit itself adds
    fake.add_review(7, "bob", "APPROVED", head)  # not a reviewer on the base
    result = runner_.run("pull_request_review", runner_.pull_event(7, action="submitted"))
    assert result.code == 1
    body = comment(fake, 7)
    assert "mallory opened the pull request and cannot review their own change" in body
    assert "approval by bob does not count&#58; not an allowed reviewer" in body
    fake.add_review(7, "alice", "APPROVED", head)
    result = runner_.run("pull_request_review", runner_.pull_event(7, action="submitted"))
    assert result.code == 0, result.stdout
    [finding] = json.loads(result.outputs["findings"])
    assert (finding["level"], finding["message"]) == ("info", f"{LOOSENED} (reviewed: approved by alice on {head[:12]})")
    assert result.outputs["verdict"] == "pass"
    assert statuses(fake, head) == ["failure", "success"]
    assert f"**Review:** \u2705 approved by alice on {head[:12]}" in comment(fake, 7)


def test_pr_an_approval_of_an_older_commit_does_not_count(pull, fake, repo) -> None:
    runner_, base, head = pull
    fake.add_review(7, "alice", "APPROVED", head)
    head2 = repo.commit("and more", {POLICY: BASE_POLICY.replace("[alice]", "[alice, mallory]")
                                     + "rules:\n  release-age: off\n  deny: off\n"})
    fake.push(7, head2)
    result = runner_.run("pull_request", runner_.pull_event(7))
    assert result.code == 1
    [finding] = json.loads(result.outputs["findings"])
    assert "rules.deny.level block -> off" in finding["message"] and finding["level"] == "block"


def test_pr_the_policy_tree_is_the_base_tip_and_the_edit_is_the_pull_requests_own(repo, fake, tmp_path) -> None:
    """Compared from the merge base, the policy judging the pull request is the base branch's tip (which moved on:
    another reviewer meanwhile) and the reported edit is only what the pull request itself does."""
    fork_point = repo.commit("base", {POLICY: BASE_POLICY, "requirements.txt": pinned("a", "1.0", HASH_A)})
    repo.git("checkout", "-q", "-b", "feature")
    head = repo.commit("feature", {"requirements.txt": pinned("a", "1.1", HASH_B)})
    repo.git("checkout", "-q", "main")
    tip = repo.commit("main moves on", {POLICY: BASE_POLICY.replace("[alice]", "[carol]")})
    repo.git("checkout", "-q", "feature")
    fake.add_pull(8, "mallory", tip, head)
    runner_ = Runner(tmp_path, repo.path, fake, repo.env)
    result = runner_.run("pull_request", runner_.pull_event(8))
    assert result.code == 1
    assert f"comparing the head with its merge base {fork_point[:12]}" in result.stdout
    findings = [f for f in json.loads(result.outputs["findings"]) if not f["unknown"]]  # offline facts aside
    assert [f["rule"] for f in findings] == ["review"]  # the base branch's own edit is not the pull request's
    assert "needs a review by carol" in findings[0]["message"]  # judged by the tip's policy
    # the pull request now edits the policy too: reported against the merge base, judged by the tip
    head2 = repo.commit("loosen", {POLICY: BASE_POLICY + "rules:\n  review: off\n"})
    fake.push(8, head2)
    result = runner_.run("pull_request", runner_.pull_event(8))
    assert result.code == 1
    rules = {f["rule"]: f for f in json.loads(result.outputs["findings"])}
    assert rules["policy-change"]["message"] == (
        "the policy changes (.github/lockgate.yml modified). It loosens the gate: rules.review.level block -> off. "
        "Keys changed: rules")
    assert "needs a review by carol" in rules["review"]["message"]  # review: off on the head changes nothing here
    fake.add_review(8, "alice", "APPROVED", head2)  # a reviewer on the merge base, no longer on the tip
    assert runner_.run("pull_request_review", runner_.pull_event(8, action="submitted")).code == 1
    fake.add_review(8, "carol", "APPROVED", head2)
    result = runner_.run("pull_request_review", runner_.pull_event(8, action="submitted"))
    assert result.code == 0, result.stdout
    assert {f["rule"]: f["level"] for f in json.loads(result.outputs["findings"]) if not f["unknown"]} == {
        "policy-change": "info"}
