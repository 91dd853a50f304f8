"""A change that edits the gate itself — the policy, a file its ``extends`` chain reads, the review ledger — is judged
by the base revision's policy and reported as a ``policy-change`` finding that needs a review: the comparison of two
policies (checker/policy/compare.py), the detection in two trees (checker/judge/policy_edits.py), the engine's levels, the
command line on a git repository in every format, and ``lockgate pr`` against the fake GitHub API."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from typing import Any

import pytest

from checker.cli import main
from checker.errors import PolicyError
from checker.judge.policy_edits import detect_policy_changes
from checker.policy.compare import FileChange, PolicyChange
from checker.policy.compare import PolicyDiff, compare_ledgers, compare_policies
from checker.judge.engine import judge
from checker.policy.load import load_policy
from checker.policy.watch import may_have_changed
from checker.rules.policy_change import describe
from checker.snapshot.trees import EmptySnapshot, Snapshot
from tests.fakes import runner
from tests.fakes.github_api import FakeGitHub

POLICY = ".github/lockgate.yml"
LEDGER = ".github/lockgate-reviews.yml"
HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64
TOKEN = "ghs_PolicyChangeToken0123456789ABCDEF"
BASE_POLICY = "extends: default\nreview:\n  reviewers: [alice]\n  label: deps-reviewed\n"


def pinned(name: str, version: str, digest: str) -> str:
    return f"{name}=={version} \\\n    --hash={digest}\n"


def load(text: str | None, files: dict[str, str] | None = None, path: str = POLICY) -> Any:
    return load_policy(text, path, (files or {}).get)


class Tree(Snapshot):
    """A snapshot held in memory (content ids unknown, so changes are found by content)."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = {path: text.encode() for path, text in files.items()}

    def entries(self) -> dict[str, str | None]:
        return dict.fromkeys(self.files)

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)


# --- comparing two policies ---------------------------------------------------------------------------------------


def test_loosening_changes_are_named_first_and_the_keys_listed() -> None:
    before = load(BASE_POLICY + "rules:\n  release-age: {level: block, days: 3}\n")
    after = load(
        "extends: default\n"
        "on-unknown: info\n"
        "paths: {ignore: ['vendor/**']}\n"
        "rules:\n"
        "  release-age: {level: warn, days: 1}\n"
        "  hash-pinning: {level: block, files-without-hashes: off}\n"
        "  registry-source: {level: block, allow-git: ['pypi:our-fork']}\n"
        "review:\n  reviewers: [alice, mallory]\n  label: deps-reviewed\n  skip: [{scope: dev}]\n"
        "exceptions:\n  - {rule: deny, package: 'pypi:litellm', reason: trusted, expires: 2027-01-31}\n"
    )
    diff = compare_policies(before, after)
    assert diff.loosened == (
        "on-unknown warn -> info",
        "paths.ignore: adds vendor/**",
        "rules.hash-pinning.files-without-hashes warn -> off",
        "rules.registry-source.allow-git: adds pypi:our-fork",
        "rules.release-age.level block -> warn",
        "rules.release-age.days 3 -> 1",
        "review.skip: adds {scope: dev}",
        "review.reviewers: adds mallory",
        "exceptions: adds deny on pypi:litellm until 2027-01-31 (trusted)",
    )
    assert diff.other == ()
    assert diff.keys == ("exceptions", "on-unknown", "paths", "review", "rules")


def test_tightening_changes_are_listed_as_other_changes() -> None:
    before = load(BASE_POLICY + "exceptions:\n  - {rule: deny, package: 'pypi:x', reason: r, expires: 2027-01-31}\n")
    after = load("extends: strict\nreview:\n  reviewers: [alice]\n  label: deps-reviewed\n")
    diff = compare_policies(before, after)
    assert diff.loosened == ()
    assert "extends default -> strict (which extends default)" in diff.other
    assert "on-unknown warn -> block" in diff.other
    assert "rules.release-age.days 3 -> 7" in diff.other
    assert "review.required-for: now also reviews removed" in diff.other
    assert "exceptions: removes deny on pypi:x until 2027-01-31 (r)" in diff.other
    assert diff.keys == ("exceptions", "extends", "on-unknown", "review", "rules")


def test_a_per_bump_cooldown_is_compared_with_the_days_it_replaces() -> None:
    before = load(BASE_POLICY)  # release-age: 3 days for every bump (the default preset)
    shorter = compare_policies(before, load(BASE_POLICY + "rules:\n  release-age: {level: block, patch-days: 1}\n"))
    assert shorter.loosened == ("rules.release-age.patch-days unset -> 1",)
    longer = compare_policies(before, load(BASE_POLICY + "rules:\n  release-age: {level: block, major-days: 9}\n"))
    assert (longer.loosened, longer.other) == ((), ("rules.release-age.major-days unset -> 9",))


def test_review_reviewers_label_stale_approvals_and_registries() -> None:
    before = load("extends: default\nreview:\n  reviewers: [alice, bob]\n")
    after = load("extends: default\nreview:\n  reviewers: [bob]\n  label: lgtm\n  allow-stale-approvals: true\n"
                 "registries:\n  pypi: https://user:s3cret@mirror.example/simple\n  timeout: 30\n")
    diff = compare_policies(before, after)
    assert diff.loosened == (
        "review.label unset -> lgtm",
        "review.allow-stale-approvals false -> true",
        "registries.pypi: facts from the public registry -> https://mirror.example/simple",
    )
    assert diff.other == ("review.reviewers: removes alice", "registries.timeout 10.0 -> 30.0")
    assert "s3cret" not in json.dumps(diff.loosened + diff.other)  # credentials in an index URL are never shown


def test_action_pinning_policies_weakened() -> None:
    before = load("extends: default\n")
    after = load("extends: default\nrules:\n  action-pinning: {level: block, policies: {'actions/*': ref-pin, '*': hash-pin}}\n")
    assert compare_policies(before, after).loosened == ("rules.action-pinning.policies.actions/* unset -> ref-pin",)


def test_the_same_effect_written_differently_is_no_difference() -> None:
    before = load("extends: default\nrules:\n  exact-pinning: block\n")
    after = load("# reformatted\nextends: default\nrules:\n  exact-pinning: {level: block}\n")
    assert compare_policies(before, after) == PolicyDiff()


def test_ledger_entries_added_and_removed() -> None:
    from checker.review.ledger import parse_ledger

    old = parse_ledger("reviews:\n  - {package: 'pypi:a', from: '1.0', to: '1.1', reviewer: alice, reason: ok}\n", LEDGER)
    new = parse_ledger("reviews:\n  - {package: 'npm:b', to: '2.0', reviewer: mallory, reason: mine, "
                       "manifest: package-lock.json}\n", LEDGER)
    diff = compare_ledgers(old, new)
    assert diff.loosened == ("adds a review: npm:b - -> 2.0 in package-lock.json by mallory",)
    assert diff.other == ("removes a review: pypi:a 1.0 -> 1.1 by alice",)
    assert diff.keys == ("reviews",)


# --- the finding's words ----------------------------------------------------------------------------------------


def change(subject: str = "policy", loosened: tuple[str, ...] = (), other: tuple[str, ...] = (),
           keys: tuple[str, ...] = ("rules",), before: str = POLICY, after: str = POLICY,
           files: tuple[FileChange, ...] = (FileChange(POLICY, "modified", 4),)) -> PolicyChange:
    return PolicyChange(subject, files, PolicyDiff(loosened, other, keys), before, after)


def test_describe() -> None:
    assert describe(change(loosened=("rules.review.level block -> off",), other=("registries.timeout 10 -> 20",),
                           keys=("registries", "rules"))) == (
        "the policy changes (.github/lockgate.yml modified). It loosens the gate: rules.review.level block -> off. "
        "Other changes: registries.timeout 10 -> 20. Keys changed: registries, rules")
    assert describe(change(other=("on-unknown warn -> block",), keys=("on-unknown",), before="preset:default",
                           files=(FileChange(POLICY, "added", 1),))) == (
        "the change adds a policy (.github/lockgate.yml added) where the default preset applied. It changes: "
        "on-unknown warn -> block. Keys changed: on-unknown")
    assert describe(change(loosened=("x",), after="preset:default", files=(FileChange(POLICY, "removed"),))) == (
        "the change removes the policy (.github/lockgate.yml removed): the default preset would apply. "
        "It loosens the gate: x. Keys changed: rules")
    assert describe(change(keys=())) == (
        "the policy changes (.github/lockgate.yml modified), but not what it enforces (comments or formatting only)")
    many = describe(change(loosened=tuple(f"l{i}" for i in range(10)), other=("o1", "o2", "o3")))
    assert "It loosens the gate: l0; l1; l2; l3; l4; l5; l6; l7; and 2 more. Other changes: o1; o2; and 1 more." in many


# --- the engine ---------------------------------------------------------------------------------------------------


def judged(policy_text: str = BASE_POLICY, **options: Any) -> list[tuple[str, str, str | None]]:
    pending = change(loosened=("rules.review.level block -> off",))
    judgement = judge([], [], [], load(policy_text), today=dt.date(2026, 3, 20), policy_changes=[pending], **options)
    return [(f.rule, f.level, f.hint) for f in judgement.findings] + [("verdict", judgement.verdict, None)]


def test_a_policy_change_blocks_until_the_pull_request_is_approved() -> None:
    from checker.rules.policy_change import HINT, LOCAL_HINT

    assert judged() == [("policy-change", "block", HINT), ("verdict", "block", None)]
    approved = judge([], [], [], load(BASE_POLICY), today=dt.date(2026, 3, 20),
                     policy_changes=[change(loosened=("x",))], pull_request_evidence="approved by alice on 0123456789ab")
    [finding] = approved.findings
    assert (finding.level, approved.verdict) == ("info", "pass")
    assert finding.message.endswith("(reviewed: approved by alice on 0123456789ab)")
    assert (finding.manifest, finding.line, finding.dependency) == (POLICY, 4, None)
    # local work (the index, the work tree, the hook): a warning, the review happens in the pull request
    assert judged(local=True) == [("policy-change", "warn", LOCAL_HINT), ("verdict", "warn", None)]
    assert judged(BASE_POLICY + "rules:\n  policy-change: info\n", local=True)[0][1] == "info"
    assert judged(BASE_POLICY + "rules:\n  policy-change: off\n") == [("verdict", "pass", None)]


def test_an_edit_without_effect_is_information_only() -> None:
    judgement = judge([], [], [], load(BASE_POLICY), today=dt.date(2026, 3, 20), policy_changes=[change(keys=())])
    assert [(f.rule, f.level) for f in judgement.findings] == [("policy-change", "info")]
    assert judgement.verdict == "pass"


# --- detection in two trees -----------------------------------------------------------------------------------------


def test_detection_of_the_policy_an_extended_file_and_the_ledger() -> None:
    base = Tree({POLICY: "extends: ../policies/base.yml\n", "policies/base.yml": "extends: default\nrules:\n  review: block\n",
                 "requirements.txt": "a==1\n"})
    head = Tree({POLICY: "extends: ../policies/base.yml\n", "policies/base.yml": "extends: default\nrules:\n  review: warn\n",
                 "requirements.txt": "a==1\n",
                 LEDGER: "reviews:\n  - {package: 'pypi:a', from: '1', to: '2', reviewer: bob, reason: ok}\n"})
    assert may_have_changed(base, head)
    policy, ledger = detect_policy_changes(base, head)
    assert (policy.subject, policy.files) == ("policy", (FileChange("policies/base.yml", "modified", 3),))
    assert policy.diff.loosened == ("rules.review.level block -> warn",)
    assert (ledger.subject, ledger.files) == ("ledger", (FileChange(LEDGER, "added", 1),))
    assert ledger.diff.loosened == ("adds a review: pypi:a 1 -> 2 by bob",)


def test_nothing_to_report() -> None:
    tree = {POLICY: "extends: ../policies/base.yml\n", "policies/base.yml": "extends: default\n", "README": "x"}
    assert not may_have_changed(Tree(tree), Tree({**tree, "README": "y"}))
    assert detect_policy_changes(Tree(tree), Tree({**tree, "README": "y"})) == ()
    # a repository's first commit: its policy is the one it starts with
    assert detect_policy_changes(EmptySnapshot(), Tree(tree)) == ()


def test_a_file_named_only_by_an_extended_file_is_followed() -> None:
    base = {POLICY: "extends: a.yml\n", ".github/a.yml": "extends: ../b.yml\n", "b.yml": "extends: default\n"}
    head = {**base, "b.yml": "extends: strict\n"}
    assert may_have_changed(Tree(base), Tree(head))
    [found] = detect_policy_changes(Tree(base), Tree(head))
    assert found.files == (FileChange("b.yml", "modified", 1),)
    assert "on-unknown warn -> block" in found.diff.other


def test_a_head_policy_that_cannot_be_read_is_an_error_naming_file_and_line() -> None:
    base = Tree({POLICY: "extends: default\n"})
    with pytest.raises(PolicyError) as caught:
        detect_policy_changes(base, Tree({POLICY: "extends: default\nrules:\n  review: loud\n"}))
    assert str(caught.value) == (
        ".github/lockgate.yml:3: rules.review must be one of off, info, warn, block; found 'loud' (in the policy as "
        "this change leaves it: the base's policy judges the change, but this one would judge every later change)")
    with pytest.raises(PolicyError) as caught:
        detect_policy_changes(base, Tree({POLICY: "extends: default\n", LEDGER: "reviews: [{package: x}]\n"}))
    assert str(caught.value).startswith(".github/lockgate-reviews.yml:1: reviews[0] needs `to`")


def test_a_ledger_moved_to_a_prefilled_file_gains_its_entries() -> None:
    base = Tree({POLICY: "extends: default\n"})
    head = Tree({POLICY: "extends: default\nreview:\n  ledger: approved.yml\n",
                 "approved.yml": "reviews:\n  - {package: 'pypi:evil', to: '6.6.6', reviewer: mallory, reason: trust me}\n"})
    policy, ledger = detect_policy_changes(base, head)
    assert policy.diff.loosened == ("review.ledger .github/lockgate-reviews.yml -> approved.yml",)
    assert ledger.files == (FileChange("approved.yml", "added", 1),)
    assert ledger.diff.loosened == ("adds a review: pypi:evil - -> 6.6.6 by mallory",)


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
        "unknown": False, "excepted": None,
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
    assert code == 0 and out == "lockgate: no dependency changes (1 warning: run lockgate check --staged for details)\n"


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
    assert status["description"].startswith("1 change waiting for review; BLOCKED: 1 blocking finding")
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
