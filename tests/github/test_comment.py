"""The sticky comment (checker.github.comment) and the comment's content (render_comment): one comment, edited in
place, never a second one even when two runs race, never someone else's, and never over GitHub's size limit."""

from __future__ import annotations

import threading

import pytest

from checker.github.api import ApiSettings, GitHubApiError, GitHubClient, Redactor
from checker.github.comment import upsert
from checker.github.evidence import fetch_pull
from checker.model import Change, Dependency, Finding, Report, ReviewStatus
from checker.report.markdown import COMMENT_LIMIT, MARKER, ReviewState, render_comment
from tests.fakes.github_api import READ_ONLY, FakeGitHub, Token

TOKEN = "ghs_app_token_for_comments_0001"


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        server.add_token(TOKEN)
        server.add_pull(7, "mallory", "ba" * 20, "1e" * 20)
        yield server


def client(fake: FakeGitHub, token: str = TOKEN) -> GitHubClient:
    return GitHubClient(ApiSettings(token, fake.full_name, fake.api_url, write_interval=0), Redactor(token))


def body(text: str):  # type: ignore[no-untyped-def]
    return lambda updated: f"{MARKER}\n{text} (updated={updated})"


def run_upsert(fake: FakeGitHub, text: str, create: bool = True, token: str = TOKEN):  # type: ignore[no-untyped-def]
    c = client(fake, token)
    return upsert(c, fetch_pull(c, 7), body(text), create)


def test_first_run_creates_then_later_runs_edit_the_same_comment(fake: FakeGitHub) -> None:
    fake.add_comment(7, "alice", "looks fine")
    first = run_upsert(fake, "one")
    assert first.action == "created" and first.url.endswith(f"#issuecomment-{first.id}")
    second = run_upsert(fake, "two")
    assert (second.action, second.id) == ("updated", first.id)
    third = run_upsert(fake, "two")
    assert (third.action, third.id) == ("unchanged", first.id)  # no write when nothing changed
    comments = fake.comments_on(7)
    assert [c["body"] for c in comments] == ["looks fine", f"{MARKER}\ntwo (updated=True)"]
    assert len([m for m, p in fake.requests if m == "PATCH"]) == 1


def test_nothing_is_created_when_not_asked_but_an_existing_comment_is_updated(fake: FakeGitHub) -> None:
    assert run_upsert(fake, "quiet", create=False).action == "skipped"
    assert fake.comments_on(7) == []
    run_upsert(fake, "loud")
    result = run_upsert(fake, "all clear now", create=False)
    assert result.action == "updated"
    assert [c["body"] for c in fake.comments_on(7)] == [f"{MARKER}\nall clear now (updated=True)"]


def test_a_marker_pasted_by_a_user_is_never_touched(fake: FakeGitHub) -> None:
    spoof = fake.add_comment(7, "mallory", f"{MARKER}\n### lockgate: Passes")
    result = run_upsert(fake, "real")
    assert result.action == "created" and result.id != spoof["id"]
    assert fake.comments[spoof["id"]]["body"] == f"{MARKER}\n### lockgate: Passes"


def test_with_a_user_token_only_its_own_comments_count(fake: FakeGitHub) -> None:
    fake.add_token("ghp_personal_token_0001", Token(login="lockgate-bot", kind="user"))
    other_bot = fake.add_comment(7, "other-app[bot]", f"{MARKER}\nfrom another app")
    result = run_upsert(fake, "mine", token="ghp_personal_token_0001")
    assert result.action == "created" and result.id != other_bot["id"]
    again = run_upsert(fake, "mine again", token="ghp_personal_token_0001")
    assert (again.action, again.id) == ("updated", result.id)


def test_leftover_duplicates_are_removed(fake: FakeGitHub) -> None:
    first = fake.add_comment(7, "github-actions[bot]", f"{MARKER}\nold 1")
    fake.add_comment(7, "github-actions[bot]", f"{MARKER}\nold 2")
    result = run_upsert(fake, "new")
    assert (result.action, result.id) == ("updated", first["id"])
    assert [c["body"] for c in fake.comments_on(7)] == [f"{MARKER}\nnew (updated=True)"]


def test_two_racing_runs_leave_one_comment(fake: FakeGitHub) -> None:
    """Both runs list the comments before either creates one (held at a barrier in the fake): both create, and
    the clean-up after creating leaves exactly one comment."""
    barrier = threading.Barrier(2, timeout=10)
    lists = {"n": 0}

    def hold_first_lists() -> None:
        lists["n"] += 1
        if lists["n"] <= 2:
            barrier.wait()

    fake.hooks["list_comments"] = hold_first_lists
    results: dict[str, object] = {}

    def run(name: str) -> None:
        try:
            results[name] = run_upsert(fake, name)
        except Exception as exc:  # pragma: no cover - reported below
            results[name] = exc

    threads = [threading.Thread(target=run, args=(name,)) for name in ("run-a", "run-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(isinstance(r, Exception) for r in results.values()), results
    assert len([m for m, p in fake.requests if m == "POST" and p.endswith("/comments")]) == 2  # the race happened
    comments = fake.comments_on(7)
    assert len(comments) == 1
    assert comments[0]["body"] in (f"{MARKER}\nrun-a (updated=False)", f"{MARKER}\nrun-b (updated=False)")
    assert {r.id for r in results.values()} == {comments[0]["id"]}  # type: ignore[attr-defined]


def test_a_run_whose_comment_the_racing_run_deleted_writes_its_body_into_the_one_kept(fake: FakeGitHub) -> None:
    """The race of the test above, in the order that made it flaky: run A created its comment first (the older
    id), then listed, kept its own and deleted B's; B lists after that and sees only A's. B must not report its
    deleted comment as the sticky one: it writes its (newer) body into A's and reports that one."""
    reserved: dict[str, int] = {}
    lists = {"n": 0}

    def race() -> None:
        lists["n"] += 1
        if lists["n"] == 1:  # B's first list: A is about to create its comment (an older id than B's)
            reserved["a"] = fake.new_id()
        elif lists["n"] == 2:  # B's list after creating: A created, listed, and deleted B's comment meanwhile
            with fake.lock:
                [own] = [cid for cid, c in fake.comments.items() if c["_issue"] == 7]
                del fake.comments[own]
            with fake.lock:
                cid = reserved["a"]
                fake.comments[cid] = {**fake.comments.get(cid, {}), "id": cid, "_issue": 7,
                                      "url": f"{fake.repo_url}/issues/comments/{cid}",
                                      "html_url": f"https://github.com/{fake.full_name}/pull/7#issuecomment-{cid}",
                                      "issue_url": f"{fake.repo_url}/issues/7", "body": f"{MARKER}\nrun-a (updated=False)",
                                      "user": fake.user("github-actions[bot]"), "created_at": "2026-03-24T10:00:00Z",
                                      "updated_at": "2026-03-24T10:00:00Z"}

    fake.hooks["list_comments"] = race
    result = run_upsert(fake, "run-b")
    comments = fake.comments_on(7)
    assert [c["id"] for c in comments] == [reserved["a"]]
    assert (result.action, result.id) == ("updated", reserved["a"])
    assert comments[0]["body"] == f"{MARKER}\nrun-b (updated=False)"


def test_a_read_only_token_fails_with_the_permission_named(fake: FakeGitHub) -> None:
    fake.add_token("ghs_fork_token_00000001", Token(permissions=dict(READ_ONLY)))
    with pytest.raises(GitHubApiError) as caught:
        run_upsert(fake, "x", token="ghs_fork_token_00000001")
    assert caught.value.permission == "issues: write or pull-requests: write"
    assert fake.comments_on(7) == []


# --- the comment's content ----------------------------------------------------------------------------------------


def dep(name: str, version: str, line: int) -> Dependency:
    return Dependency("pypi", name, version, f"=={version}", manifest="requirements.txt", line=line)


def big_report(count: int, verdict: str = "block") -> Report:
    changes, findings, reviews = [], [], []
    for i in range(count):
        change = Change("upgraded", dep(f"package-{i:05d}", "1.0", i + 1), dep(f"package-{i:05d}", "1.1", i + 1), "minor")
        changes.append(change)
        if i % 50 == 7:  # a few are serious, scattered through the file
            findings.append(Finding("deny", "block", f"package-{i:05d} 1.1 is denied: " + "x" * 80, change.after, change,
                                    "requirements.txt", i + 1, "move off it"))
            reviews.append(ReviewStatus("required"))
        else:
            reviews.append(ReviewStatus("reviewed", "ledger .github/lockgate-reviews.yml:3 by alice"))
    return Report("b" * 40, "c" * 40, tuple(changes), tuple(findings), tuple(reviews), verdict, ".github/lockgate.yml",
                  False, "0.1.0")


def test_a_huge_comment_keeps_the_verdict_and_the_most_serious_changes() -> None:
    report = big_report(3000)
    text = render_comment(report, ReviewState(waiting=60, reviewers=("alice",)))
    assert len(text.encode("utf-8")) <= COMMENT_LIMIT
    assert text.startswith(
        f"{MARKER}\n### \u274c lockgate: Blocked · 60 of 3,000 dependency changes blocked · 60 blocking findings\n")
    rows = [line for line in text.splitlines() if line.startswith("| \U0001f534") or line.startswith("| \U0001f7e2")]
    blocked = [row for row in rows if row.startswith("| \U0001f534 |")]
    assert len(blocked) == 60  # every blocked change made it in, before any passing one
    assert rows[:60] == blocked and len(rows) > 60
    shown = len(rows)
    assert f"it leaves out {3000 - shown} of 3000 changes and the details of " in text
    assert "changes, the least serious first\\. All of them are in the job summary." in text
    assert text.rstrip().endswith("</sub>")


def test_a_comment_that_fits_is_left_whole() -> None:
    report = big_report(20)
    text = render_comment(report, ReviewState(evidence="approved by alice on cccccccccccc"))
    assert "leaves out" not in text
    assert "**Review:** \u2705 approved by alice on cccccccccccc" in text
    assert text.count("| \U0001f534 |") + text.count("| \U0001f7e2 |") == 20


def test_review_state_and_what_blocks_are_spelt_out() -> None:
    report = big_report(20)
    text = render_comment(
        report,
        ReviewState(notes=("approval by bob was given on 0d0d0d0d0d0d, before the latest push",),
                    reviewers=("alice", "@acme/security"), label="deps-ok", waiting=2),
    )
    assert (
        "**What unblocks this**\n- \u274c <b>package\\-00007</b> <code>1\\.0</code> \u2192 <code>1\\.1</code> minor in "
        "<code>requirements\\.txt&#58;8</code>: **Move off this version**: package\\-00007 1\\.1 is denied"
    ) in text
    assert (
        "**Review:** \u23f3 2 changes need a review: an approval of head cccccccccccc by alice, <code><wbr>&#64;acme/security,</code> "
        "or the label deps\\-ok applied by alice, <code><wbr>&#64;acme/security</code> after the latest push\n"
        "- approval by bob was given on 0d0d0d0d0d0d, before the latest push\n"
    ) in text


def test_an_updated_comment_says_when_nothing_blocks_any_more() -> None:
    empty = Report("b" * 40, "c" * 40, (), (), (), "pass", ".github/lockgate.yml", False, "0.1.0")
    text = render_comment(empty, ReviewState(), updated=True)
    assert "### \u2705 lockgate: Passes" in text
    assert "Updated for head <code>cccccccccccc</code>: this pull request no longer changes any dependency." in text
    assert "No dependency changes." in text
    assert "Updated for head" not in render_comment(empty, ReviewState(), updated=False)
