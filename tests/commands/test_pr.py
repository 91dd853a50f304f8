"""`lockgate pr` as the GitHub Actions runner runs it: a subprocess in a real git checkout, an event file,
GITHUB_* variables, output and summary files, and the fake GitHub API behind GITHUB_API_URL driven by PyGithub."""

from __future__ import annotations

import json
import os
import re
import subprocess
from typing import Any

import pytest

from checker.report.markdown import MARKER
from tests.fakes import runner
from tests.fakes.github_api import READ_ONLY, FakeGitHub, Token
from tests.report.sarif_check import sarif_errors

TOKEN = "ghs_EndToEndWorkflowToken0123456789AB"
FORK_TOKEN = "ghs_ReadOnlyForkToken0123456789ABCDE"
HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64
HASH_C = "sha256:" + "c" * 64
# Registry facts (release-age, ...) are tested in tests/commands/test_check_registry_facts.py; here they are off.
POLICY = ("rules:\n  release-age: off\n  version-exists: off\n  hash-mismatch: off\n  provenance: off\n"
          "  provenance-downgrade: off\n  vulnerability: off\n  malicious: off\nreview:\n  reviewers: [alice]\n  label: deps-reviewed\n")


def pinned(name: str, version: str, digest: str) -> str:
    return f"{name}=={version} \\\n    --hash={digest}\n"


class Runner(runner.Runner):
    token = TOKEN


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        server.add_token(TOKEN)
        server.add_token(FORK_TOKEN, Token(permissions=dict(READ_ONLY)))
        yield server


@pytest.fixture
def setup(repo, fake, tmp_path):  # type: ignore[no-untyped-def]
    """main with a policy naming alice; a pull request #5 by mallory bumping litellm."""
    base = repo.commit("base", {".github/lockgate.yml": POLICY, "requirements.txt": pinned("litellm", "1.82.6", HASH_A)})
    repo.git("checkout", "-q", "-b", "feature")
    head = repo.commit("bump", {"requirements.txt": "# pinned\n" + pinned("litellm", "1.82.9", HASH_B)})
    fake.add_pull(5, "mallory", base, head)
    return Runner(tmp_path, repo.path, fake, repo.env), base, head


def only_comment(fake: FakeGitHub, number: int = 5) -> dict[str, Any]:
    [comment] = fake.comments_on(number)
    return comment


def lockgate_statuses(fake: FakeGitHub, sha: str) -> list[str]:
    return [s["state"] for s in fake.statuses.get(sha, []) if s["context"] == "lockgate"]


# --- the scenarios -----------------------------------------------------------------------------------------


def test_first_run_creates_the_comment_and_blocks_an_unreviewed_bump(setup, fake) -> None:
    runner, base, head = setup
    result = runner.run("pull_request", runner.pull_event(action="opened"))
    assert result.code == 1, result.stdout + result.stderr
    assert result.stderr == ""
    comment = only_comment(fake)
    assert comment["body"].startswith(
        f"{MARKER}\n### \u23f3 lockgate: Needs review · 1 of 1 dependency change blocked · 1 blocking finding\n")
    assert comment["user"]["login"] == "github-actions[bot]"
    assert "**What unblocks this**\n- \u23f3 <b>litellm</b> <code>1\\.82\\.6</code> \u2192 <code>1\\.82\\.9</code> patch in " \
           f"<code>requirements\\.txt&#58;2</code>: **Get a review**: an approval by alice on the head commit {head[:12]}" \
           in comment["body"]
    assert f"**Review:** \u23f3 1 change needs a review: an approval of head {head[:12]} by alice, or the label " \
           "deps\\-reviewed applied by alice after the latest push" in comment["body"]
    assert "| <code>1\\.82\\.6</code> \u2192 <code>1\\.82\\.9</code> patch |" in comment["body"]
    assert "| \u23f3 review |" in comment["body"]
    # the same summary in the job summary, annotations on the manifest line, the status, the outputs
    assert "### \u23f3 lockgate: Needs review" in result.summary and "<code>1\\.82\\.9</code>" in result.summary
    assert "::error file=requirements.txt,line=2,title=lockgate review::upgraded litellm 1.82.6 -> 1.82.9 needs a " \
           "review by alice%0AFix: " in result.stdout
    assert lockgate_statuses(fake, head) == ["failure"]
    [status] = fake.statuses[head]
    assert status["target_url"] == f"https://github.com/acme/app/actions/runs/{1000 + runner.count}"
    assert status["description"] == ("1 change waiting for review; BLOCKED: 1 of 1 dependency change blocked · "
                                     "1 blocking finding")
    assert result.outputs["verdict"] == "block"
    assert result.outputs["comment-url"] == comment["html_url"]
    [change] = json.loads(result.outputs["changes"])
    assert (change["name"], change["from"], change["to"], change["review"], change["line"]) == (
        "litellm", "1.82.6", "1.82.9", "required", 2)
    [finding] = json.loads(result.outputs["findings"])
    assert (finding["rule"], finding["level"], finding["manifest"]) == ("review", "block", "requirements.txt")
    assert f"comment created: {comment['html_url']}" in result.stdout


def test_a_second_run_edits_the_same_comment(setup, fake, repo) -> None:
    runner, base, head = setup
    assert runner.run("pull_request", runner.pull_event()).code == 1
    first = only_comment(fake)
    head2 = repo.commit("bump again", {"requirements.txt": "# pinned\n" + pinned("litellm", "1.83.0", HASH_C)})
    fake.push(5, head2)
    result = runner.run("pull_request", runner.pull_event())
    assert result.code == 1
    second = only_comment(fake)
    assert second["id"] == first["id"]
    assert "| <code>1\\.82\\.6</code> \u2192 <code>1\\.83\\.0</code> minor |" in second["body"]
    assert "1\\.82\\.9" not in second["body"]
    assert f"comment updated: {first['html_url']}" in result.stdout
    assert lockgate_statuses(fake, head2) == ["failure"]


def test_an_approval_on_an_older_commit_does_not_unblock(setup, fake, repo) -> None:
    runner, base, head = setup
    assert runner.run("pull_request", runner.pull_event()).code == 1
    fake.add_review(5, "alice", "APPROVED", head)
    head2 = repo.commit("bump again", {"requirements.txt": "# pinned\n" + pinned("litellm", "1.83.0", HASH_C)})
    fake.push(5, head2)
    assert runner.run("pull_request", runner.pull_event()).code == 1
    result = runner.run("pull_request_review", runner.pull_event(action="submitted", review={"state": "approved"}))
    assert result.code == 1
    body = only_comment(fake)["body"]
    assert f"approval by alice was given on {head[:12]}, before the latest push \\(head {head2[:12]}\\)" in body
    assert lockgate_statuses(fake, head2) == ["failure", "failure"]
    assert json.loads(result.outputs["changes"])[0]["review"] == "required"


def test_an_approval_on_the_head_by_an_allowed_reviewer_unblocks(setup, fake) -> None:
    runner, base, head = setup
    assert runner.run("pull_request", runner.pull_event()).code == 1
    fake.add_review(5, "eve", "APPROVED", head, "CONTRIBUTOR")
    fake.add_review(5, "alice", "APPROVED", head)
    result = runner.run("pull_request_review", runner.pull_event(action="submitted", review={"state": "approved"}))
    assert result.code == 0, result.stdout
    body = only_comment(fake)["body"]
    assert body.startswith(f"{MARKER}\n### \u2705 lockgate: Passes · 1 dependency change · no findings\n")
    assert f"**Review:** \u2705 approved by alice on {head[:12]}\n" in body
    assert "- approval by eve does not count&#58; not an allowed reviewer" in body
    assert "| \u2705 reviewed |" in body
    assert lockgate_statuses(fake, head) == ["failure", "success"]
    [change] = json.loads(result.outputs["changes"])
    assert change["review"] == "reviewed" and change["review_evidence"] == f"approved by alice on {head[:12]}"
    assert result.outputs["verdict"] == "pass" and json.loads(result.outputs["findings"]) == []


def test_a_fork_token_degrades_cleanly(setup, fake) -> None:
    runner, base, head = setup
    fake.pulls[5]["head"]["repo"]["full_name"] = "mallory/app"
    result = runner.run("pull_request", runner.pull_event(), token=FORK_TOKEN)
    assert result.code == 1  # the verdict decides, not the refused writes
    assert result.stderr == ""  # no traceback
    assert fake.comments_on(5) == [] and fake.statuses == {}
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert any("could not update the pull-request comment" in w and "`issues: write or pull-requests: write`" in w
               for w in warnings), warnings
    assert any("could not set the lockgate commit status" in w and "`statuses: write`" in w for w in warnings), warnings
    assert all("This pull request comes from a fork, which gets a read-only token under pull_request" in w
               for w in warnings)
    assert result.outputs["verdict"] == "block" and result.outputs["comment-url"] == ""
    assert "### \u23f3 lockgate: Needs review" in result.summary  # the job summary needs no token
    # a fork can still be approved: the reviews are readable with a read-only token
    fake.add_review(5, "alice", "APPROVED", head)
    assert runner.run("pull_request_review", runner.pull_event(action="submitted"), token=FORK_TOKEN).code == 0


def test_the_token_never_appears_in_any_output(setup, fake, tmp_path) -> None:
    runner, base, head = setup
    fake.echo_token_in_errors = True  # GitHub's error bodies quote the token back
    sarif = tmp_path / "out.sarif"
    result = runner.run("pull_request", runner.pull_event(), "--sarif", str(sarif), token=FORK_TOKEN)
    assert result.code == 1
    assert "(token ***)" in result.stdout  # the echoing error was logged, redacted
    everything = [result.stdout, result.stderr, result.summary, json.dumps(result.outputs), sarif.read_text()]
    everything += [c["body"] for c in fake.comments.values()]
    assert not any(FORK_TOKEN in text for text in everything)
    full = runner.run("pull_request", runner.pull_event())
    assert not any(TOKEN in text for text in (full.stdout, full.stderr, full.summary, json.dumps(full.outputs),
                                               only_comment(fake)["body"]))


# --- more of the event handling ---------------------------------------------------------------------------------


def test_a_later_push_that_removes_the_change_updates_the_comment(setup, fake, repo) -> None:
    runner, base, head = setup
    assert runner.run("pull_request", runner.pull_event()).code == 1
    head2 = repo.commit("revert", {"requirements.txt": pinned("litellm", "1.82.6", HASH_A)})
    fake.push(5, head2)
    result = runner.run("pull_request", runner.pull_event())
    assert result.code == 0
    body = only_comment(fake)["body"]
    assert body.startswith(f"{MARKER}\n### \u2705 lockgate: Passes · no dependency changes · no findings\n")
    assert f"Updated for head <code>{head2[:12]}</code>: this pull request no longer changes any dependency." in body
    assert lockgate_statuses(fake, head2) == ["success"]


def test_no_comment_for_a_pull_request_that_changes_no_dependency(repo, fake, tmp_path) -> None:
    base = repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A), "README.md": "x"})
    head = repo.commit("docs", {"README.md": "y"})
    fake.add_pull(6, "mallory", base, head)
    runner = Runner(tmp_path, repo.path, fake, repo.env)
    result = runner.run("pull_request", runner.pull_event(6))
    assert result.code == 0 and fake.comments_on(6) == []
    assert lockgate_statuses(fake, head) == ["success"]
    assert runner.run("pull_request", runner.pull_event(6), "--comment", "always").code == 0
    assert "No dependency changes." in only_comment(fake, 6)["body"]


def test_the_label_applied_by_a_reviewer_after_the_push_unblocks(setup, fake) -> None:
    runner, base, head = setup
    assert runner.run("pull_request", runner.pull_event()).code == 1  # posts the first status on the head
    fake.label(5, "deps-reviewed", "mallory")
    assert runner.run("pull_request", runner.pull_event(action="labeled")).code == 1
    assert "label deps\\-reviewed was applied by the pull request&#x27;s author" not in only_comment(fake)["body"]
    assert "label deps\\-reviewed was applied by the pull request's author mallory" in only_comment(fake)["body"]
    fake.label(5, "deps-reviewed", "alice")
    result = runner.run("pull_request", runner.pull_event(action="labeled"))
    assert result.code == 0, result.stdout
    assert "**Review:** \u2705 label deps\\-reviewed applied by alice" in only_comment(fake)["body"]


def test_a_shallow_checkout_fetches_the_commits_it_needs(setup, fake, tmp_path, repo) -> None:
    runner, base, head = setup
    clone = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", "--depth=1", "--branch", "feature", f"file://{repo.path}", str(clone)],
                   check=True, env=repo.env, capture_output=True)
    assert subprocess.run(["git", "-C", str(clone), "cat-file", "-e", base], env=repo.env).returncode != 0
    runner.workspace = clone
    result = runner.run("pull_request", runner.pull_event())
    assert result.code == 1, result.stdout
    assert f"lockgate: fetching {base[:12]}: not in the checkout" in result.stdout
    assert "the checkout is too shallow for a merge base: comparing with the base commit" in result.stdout
    assert "<code>1\\.82\\.6</code> \u2192 <code>1\\.82\\.9</code> patch" in only_comment(fake)["body"]


def test_without_a_checkout_the_files_come_from_the_contents_api(fake, tmp_path) -> None:
    base, head = "ba5e" * 10, "bead" * 10
    lockfile = pinned("litellm", "1.82.9", HASH_B) + "".join(pinned(f"pkg{i}", "1.0", HASH_A) for i in range(12000))
    assert len(lockfile) > 1024 * 1024  # too large for the contents API: read as a blob
    fake.add_tree(base, {".github/lockgate.yml": POLICY.encode(), "requirements.txt": pinned("litellm", "1.82.6", HASH_A).encode()})
    fake.add_tree(head, {".github/lockgate.yml": POLICY.encode(), "requirements.txt": lockfile.encode(), "README.md": b"x"},
                  parents=(base,))
    fake.add_pull(8, "mallory", base, head)
    workspace = tmp_path / "empty"
    workspace.mkdir()
    runner = Runner(tmp_path, workspace, fake, {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull})
    result = runner.run("pull_request", runner.pull_event(8))
    assert result.code == 1, result.stdout + result.stderr
    changes = json.loads(result.outputs["changes"])
    assert (changes[0]["name"], changes[0]["from"], changes[0]["to"]) == ("litellm", "1.82.6", "1.82.9")
    # 12,001 changes do not fit in one step output (GitHub refuses outputs over 1 MB): cut, and said so
    assert len(result.outputs["changes"].encode()) <= 1000 * 1000
    assert f"the changes output holds {len(changes)} of 12001 entries: GitHub limits an output to 1 MB" in result.stdout
    paths = [p for _, p in fake.requests]
    assert f"/api/v3/repos/acme/app/git/trees/{head}" in paths
    assert "/api/v3/repos/acme/app/contents/requirements.txt" in paths
    assert any(p.startswith("/api/v3/repos/acme/app/git/blobs/") for p in paths)
    body = only_comment(fake, 8)["body"]
    assert len(body) <= 65536 and "leaves out" in body and "of 12001 changes, the least serious first" in body


def test_the_policy_and_ledger_come_from_the_base_tip_and_changes_from_the_merge_base(repo, fake, tmp_path) -> None:
    fork_point = repo.commit("base", {"requirements.txt": pinned("litellm", "1.82.6", HASH_A) + pinned("six", "1.16.0", HASH_A)})
    repo.git("checkout", "-q", "-b", "feature")
    head = repo.commit("bump", {"requirements.txt": pinned("litellm", "1.82.9", HASH_B) + pinned("six", "1.16.0", HASH_A),
                                ".github/lockgate-reviews.yml": "reviews: [{package: 'pypi:litellm', from: 1.82.6, to: 1.82.9, "
                                "reviewer: mallory, date: '2026-03-20', reason: self-approved}]\n"})
    repo.git("checkout", "-q", "main")
    ledger = "reviews:\n  - {package: 'pypi:six', from: 1.16.0, to: 1.17.0, reviewer: alice, date: '2026-03-20', reason: ok}\n"
    tip = repo.commit("main moves on", {"requirements.txt": pinned("litellm", "1.82.6", HASH_A) + pinned("six", "1.17.0", HASH_C),
                                        ".github/lockgate.yml": POLICY + "  ledger: .github/lockgate-reviews.yml\n",
                                        ".github/lockgate-reviews.yml": ledger})
    repo.git("checkout", "-q", "feature")
    fake.add_pull(9, "mallory", tip, head)
    runner = Runner(tmp_path, repo.path, fake, repo.env)
    result = runner.run("pull_request", runner.pull_event(9))
    assert result.code == 1
    assert f"comparing the head with its merge base {fork_point[:12]}" in result.stdout
    changes = json.loads(result.outputs["changes"])
    assert [(c["name"], c["from"], c["to"]) for c in changes] == [("litellm", "1.82.6", "1.82.9")]  # not six
    assert changes[0]["review"] == "required"  # the pull request's own ledger line does not count
    findings = {f["rule"]: f for f in json.loads(result.outputs["findings"])}
    assert "needs a review by alice" in findings["review"]["message"]  # the tip's policy
    # the pull request's ledger line is itself an edit of the gate, compared with the merge base: it needs a review
    assert findings["policy-change"]["message"] == (
        "the review ledger changes (.github/lockgate-reviews.yml added): adds a review: pypi:litellm 1.82.6 -> 1.82.9 "
        "by mallory; once merged, each added review approves that change in every later pull request")


def test_merge_group_uses_the_pull_requests_approvals(setup, fake, repo) -> None:
    runner, base, head = setup
    queue = repo.commit("merge queue", {})
    event = {"action": "checks_requested", "merge_group": {
        "head_sha": queue, "head_ref": f"refs/heads/gh-readonly-queue/main/pr-5-{head}", "base_sha": base,
        "base_ref": "refs/heads/main"}, "repository": {"full_name": "acme/app"}}
    assert runner.run("merge_group", event).code == 1
    fake.add_review(5, "alice", "APPROVED", head)
    result = runner.run("merge_group", event)
    assert result.code == 0, result.stdout
    assert lockgate_statuses(fake, queue) == ["failure", "success"]
    assert fake.comments_on(5) == []  # the pull request's own runs keep the comment


def test_push_and_manual_runs(setup, fake, repo) -> None:
    runner, base, head = setup
    push = {"before": base, "after": head, "ref": "refs/heads/feature", "repository": {"full_name": "acme/app"}}
    result = runner.run("push", push)
    assert result.code == 1 and lockgate_statuses(fake, head) == ["failure"]
    new_branch = runner.run("push", {**push, "before": "0" * 40})
    assert new_branch.code == 1  # compared with the head's parent
    deleted = runner.run("push", {**push, "after": "0" * 40})
    assert deleted.code == 0 and deleted.outputs["verdict"] == "pass"
    manual = runner.run("workflow_dispatch", {"inputs": {}}, "--base", "main", "--head", "feature", "--fail-on", "never")
    assert manual.code == 0 and manual.outputs["verdict"] == "block"
    refused = runner.run("pull_request", runner.pull_event(), "--base", "main")
    assert refused.code == 2
    assert refused.stderr == "lockgate: error: base-ref and head-ref are for events that are not pull requests; " \
                             "pull_request names its own revisions\n"
    unknown = runner.run("issues", {})
    assert unknown.code == 2 and "does not know the event 'issues'" in unknown.stderr


def test_sarif_file_fail_on_and_comment_modes(setup, fake, tmp_path) -> None:
    runner, base, head = setup
    sarif = tmp_path / "lockgate.sarif"
    result = runner.run("pull_request", runner.pull_event(), "--sarif", str(sarif), "--comment", "on-failure",
                        "--fail-on", "never")
    assert result.code == 0 and result.outputs["verdict"] == "block"
    assert lockgate_statuses(fake, head) == ["success"]  # fail-on never: neither the job nor the status fails
    doc = json.loads(sarif.read_text())
    assert sarif_errors(doc) == [] and doc["runs"][0]["results"][0]["ruleId"] == "review"
    assert len(fake.comments_on(5)) == 1
    quiet = runner.run("pull_request", runner.pull_event(), "--comment", "never")
    assert quiet.code == 1 and quiet.outputs["comment-url"] == ""


def test_without_a_token_the_verdict_still_decides(setup, fake) -> None:
    runner, base, head = setup
    result = runner.run("pull_request", runner.pull_event(), token=None)
    assert result.code == 1 and result.stderr == ""
    assert "::warning title=lockgate::lockgate: no GITHUB_TOKEN: no comment, no commit status" in result.stdout
    assert fake.requests == []


def test_a_broken_policy_on_the_base_is_an_error_status(repo, fake, tmp_path) -> None:
    base = repo.commit("base", {".github/lockgate.yml": "rules:\n  review: {level: loud}\n", "requirements.txt": "a==1\n"})
    head = repo.commit("bump", {"requirements.txt": "a==2\n"})
    fake.add_pull(5, "mallory", base, head)
    runner = Runner(tmp_path, repo.path, fake, repo.env)
    result = runner.run("pull_request", runner.pull_event())
    assert result.code == 2
    assert result.stderr.startswith("lockgate: error: .github/lockgate.yml:2: rules.review.level must be one of")
    [status] = fake.statuses[head]
    assert status["state"] == "error" and status["description"].startswith(".github/lockgate.yml:2: rules.review.level")
    assert result.outputs["verdict"] == "error"
    assert "### lockgate could not judge this change" in result.summary


def test_a_malformed_event_is_a_usage_error(setup) -> None:
    runner, base, head = setup
    result = runner.run("pull_request", {"pull_request": {"number": 5, "base": {"sha": "main"}, "head": {"sha": head}}})
    assert result.code == 2
    assert re.fullmatch(r"lockgate: error: .*event\.json: the event has no commit id at pull_request\.base\.sha "
                        r"\(found 'main'\)\n", result.stderr)


def test_a_missing_permission_is_named_and_the_verdict_still_decides(setup, fake) -> None:
    runner, base, head = setup
    fake.add_token("ghs_NoStatusesToken000000000000000000",
                   Token(permissions={"contents": "read", "pull_requests": "write", "metadata": "read"}))
    result = runner.run("pull_request", runner.pull_event(), token="ghs_NoStatusesToken000000000000000000")
    assert result.code == 1 and result.stderr == ""
    assert len(fake.comments_on(5)) == 1 and fake.statuses == {}
    [warning] = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert warning == (
        "::warning title=lockgate::lockgate: could not set the lockgate commit status: cannot set the lockgate status "
        f"on {head[:12]}: the token lacks the permission `statuses: write` (403: Resource not accessible by "
        "integration). Grant it in the workflow's permissions: block (or pass a token that has it as github-token)."
    )


def test_file_names_cannot_inject_workflow_commands(repo, fake, tmp_path) -> None:
    evil = "::error file=x::forged/requirements.txt"
    base = repo.commit("base", {evil: pinned("a", "1.0", HASH_A)})
    head = repo.commit("bump", {evil: pinned("a", "1.1", HASH_B)})
    fake.add_pull(5, "mallory", base, head)
    runner = Runner(tmp_path, repo.path, fake, repo.env)
    result = runner.run("pull_request", runner.pull_event())
    assert result.code == 1
    lines = result.stdout.splitlines()
    [raw] = [i for i, line in enumerate(lines) if line == evil]  # the text report's heading for the file
    start = max(i for i in range(raw) if lines[i].startswith("::stop-commands::"))
    token = lines[start].split("::")[2]
    resume = lines.index(f"::{token}::", raw)  # commands are off around the report, back on after it
    assert len(token) == 32
    annotations = [line for line in lines[resume:] if line.startswith("::error file=")]
    assert annotations and all(line.startswith("::error file=%3A%3Aerror file=x%3A%3Aforged/requirements.txt,")
                               for line in annotations)
