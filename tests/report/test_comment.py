"""The pull-request comment's content (checker/report/markdown.py): the first line, what unblocks the pull request
(one command for a batch of reviews), the five columns and the details that hold the rest, verdicts that fold their
secondary reasons, unknown facts in one line per cause, the link to the run, and large pull requests: every change
keeps a row, never over GitHub's limit. tests/report/test_comment_html.py renders these with cmark-gfm."""

from __future__ import annotations

import datetime as dt
import re

from checker.model import Change, Dependency, Facts, Finding, Provenance, Report, ReviewStatus
from checker.registries.types import Publisher
from checker.report.markdown import (
    COMMENT_LIMIT, FOLD_AFTER, MARKER, PolicyView, ReviewState, render, render_comment,
)

NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
HEAD = "c" * 40
ROW = re.compile(r"^\| (?:\U0001f534|\U0001f7e0|\U0001f7e2|\u26aa) \| ", re.M)
ACTIONS_ENV = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/app", "GITHUB_RUN_ID": "4242",
               "GITHUB_RUN_ATTEMPT": "1"}


def dep(name: str, version: str, *, ecosystem: str = "pypi", manifest: str = "requirements.txt", line: int = 1,
        direct: bool = True, scripts: bool | None = None) -> Dependency:
    hashes = frozenset({"sha512:" + "c" * 128}) if ecosystem == "npm" else frozenset({"sha256:" + "a" * 64})
    return Dependency(ecosystem, name, version, version, hashes=hashes, manifest=manifest, line=line, direct=direct,
                      install_script=scripts)


def bump(name: str, old: str, new: str, kind_bump: str = "patch", **kwargs: object) -> Change:
    return Change("upgraded", dep(name, old, **kwargs), dep(name, new, **kwargs), kind_bump)  # type: ignore[arg-type]


def make(changes: list[Change], findings: list[Finding] = (), reviews: list[ReviewStatus] | None = None,
         facts: tuple[Facts, ...] = (), verdict: str | None = None) -> Report:
    reviews = reviews if reviews is not None else [ReviewStatus("required") for _ in changes]
    if verdict is None:
        levels = {f.level for f in findings if f.counts}
        verdict = "block" if "block" in levels else "warn" if "warn" in levels else "pass"
    return Report("b" * 40, HEAD, tuple(changes), tuple(findings), tuple(reviews), verdict, ".github/lockgate.yml",
                  False, "0.1.0", tuple(facts))


def review_finding(change: Change) -> Finding:
    d = change.dependency
    return Finding("review", "block", f"upgraded {d.name} needs a review by alice", d, change, d.manifest, d.line,
                   "approve the pull request as alice")


def test_the_first_line_gives_the_verdict_in_words_a_symbol_and_counts() -> None:
    a = bump("a", "1.0", "1.1")
    firsts = {
        "review": render(make([a], [review_finding(a)])),
        "block": render(make([a], [review_finding(a), Finding("deny", "block", "denied", a.after, a, "requirements.txt", 1)])),
        "warn": render(make([a], [Finding("hash-pinning", "warn", "weak", a.after, a, "requirements.txt", 1)],
                            [ReviewStatus("not-required")])),
        "pass": render(make([a], [], [ReviewStatus("reviewed", "approved by alice")])),
    }
    assert {k: v.split("\n")[1] for k, v in firsts.items()} == {
        "review": "### \u23f3 lockgate: Needs review · 1 of 1 dependency change blocked · 1 blocking finding",
        "block": "### \u274c lockgate: Blocked · 1 of 1 dependency change blocked · 2 blocking findings",
        "warn": "### \u26a0\ufe0f lockgate: Passes with warnings · 1 dependency change · 1 warning",
        "pass": "### \u2705 lockgate: Passes · 1 dependency change · no findings",
    }
    assert all(text.startswith(MARKER + "\n") for text in firsts.values())  # the sticky comment's marker


def test_changes_waiting_only_for_review_share_one_entry_and_one_command() -> None:
    changes = [bump(n, "1.0", "1.1", line=i + 1) for i, n in enumerate(["b", "a", "c"])]
    denied = bump("z", "1.0", "2.0", "major", line=9)
    findings = [review_finding(c) for c in changes] + [
        Finding("deny", "block", "z 2.0 is on the policy's deny list (worm)", denied.after, denied,
                "requirements.txt", 9, "stay on 1.0")]
    text = render_comment(make(changes + [denied], findings), policy=PolicyView(reviewers=("alice", "bob")))
    block = text[text.index("**What unblocks this**"):text.index("\n\n", text.index("**What unblocks this**"))]
    assert block.split("\n") == [
        "**What unblocks this**",
        "- \u274c <b>z</b> <code>1\\.0</code> \u2192 <code>2\\.0</code> major in <code>requirements\\.txt&#58;9</code>: "
        "**Move off this version**: z 2\\.0 is on the policy's deny list \\(worm\\)&#58; stay on 1\\.0",
        "- \u23f3 **3 changes** (a, b, c) wait only for a review: **Get a review**: an approval by alice or bob on "
        "the head commit cccccccccccc, or an entry in the review ledger on the base branch; one command records "
        "them all, run on the base branch once the pull request's head is fetched:<br><code>lockgate review "
        "\\-\\-all\\-pending \\-\\-base bbbbbbbbbbbb \\-\\-head cccccccccccc \\-\\-reason &quot;…&quot;</code>",
    ]


def test_the_review_state_of_the_pull_request() -> None:
    a = bump("a", "1.0", "1.1")
    state = ReviewState(notes=("approval by bob was given on 0d0d0d0d0d0d, before the latest push",),
                        reviewers=("alice", "@acme/security"), label="deps-ok", waiting=1)
    text = render_comment(make([a], [review_finding(a)]), state)
    assert (
        "**Review:** \u23f3 1 change needs a review: an approval of head cccccccccccc by alice, <code><wbr>&#64;acme/security,</code> "
        "or the label deps\\-ok applied by alice, <code><wbr>&#64;acme/security</code> after the latest push\n"
        "- approval by bob was given on 0d0d0d0d0d0d, before the latest push\n"
    ) in text
    assert (
        "**Get a review**: an approval by alice or <code><wbr>&#64;acme/security</code> on the head commit cccccccccccc, or the label "
        "deps\\-ok applied by one of them after the latest push, or an entry in the review ledger on the base "
        "branch&#58;<br><code>lockgate review pypi&#58;a 1\\.0 1\\.1 \\-\\-reason &quot;…&quot;</code>"
    ) in text
    assert "<details>" not in text  # a change that only waits for a review has nothing more to say than its action


def test_five_columns_and_the_details_hold_the_rest() -> None:
    litellm = bump("litellm", "1.82.6", "1.82.7")
    tiny = bump("@ctrl/tinycolor", "4.1.0", "4.1.1", ecosystem="npm", manifest="package-lock.json", scripts=True)
    tiny = Change("upgraded", dep("@ctrl/tinycolor", "4.1.0", ecosystem="npm", manifest="package-lock.json",
                                  scripts=False), tiny.after, "patch")
    publisher = Publisher("GitHub", "BerriAI/litellm", "publish.yml")
    facts = (
        Facts("pypi", "litellm", "1.82.6", release_time=NOW - dt.timedelta(days=4),
              provenance=Provenance("trusted-publisher", frozenset({publisher}))),
        Facts("pypi", "litellm", "1.82.7", release_time=NOW - dt.timedelta(minutes=40), provenance=None,
              hashes=frozenset({"sha256:" + "a" * 64})),
        Facts("npm", "@ctrl/tinycolor", "4.1.1", release_time=NOW - dt.timedelta(hours=2),
              provenance=Provenance("provenance", frozenset({
                  Publisher("GitHub", "scttcper/tinycolor", ".github/workflows/release.yml")}))),
    )
    scripts = Finding("install-scripts", "block", "@ctrl/tinycolor 4.1.1 gains an install script", tiny.after, tiny,
                      "package-lock.json", 1, "read the script")
    text = render(make([litellm, tiny], [scripts], facts=facts), now=NOW)
    assert text.count("| Risk | Package | Change | Age | Why |") == 2
    assert "#### <code>package\\-lock\\.json</code> · npm" in text and "#### <code>requirements\\.txt</code> · PyPI" in text
    assert ("| [<code>litellm</code>](https://pypi.org/project/litellm/) | <code>1\\.82\\.6</code> \u2192 "
            "<code>1\\.82\\.7</code> patch | 40 min |") in text
    assert "| 2 h | \u274c install script |" in text
    assert "| 40 min | \u26a0\ufe0f weaker provenance |" in text  # the registry's word, when no rule judged it
    assert "<summary>\u26a0\ufe0f <b>litellm</b> 1.82.6 \u2192 1.82.7 \u2014 weaker provenance</summary>" in text
    details = text[text.index("<details><summary>\u274c <b><code>&#64;ctrl/tinycolor</code></b>"):]
    assert details.index("**Fix**: read the script") < details.index("**Evidence**")  # the fix opens the details
    assert ("- npm · registry&#58; released 2026\\-03\\-24 09&#58;00 UTC \\(2 h earlier\\), provenance&#58; GitHub "
            "scttcper/tinycolor \\(\\.github/workflows/release\\.yml\\) · hashes: pinned · install scripts: new in this "
            "version · from <code>4\\.1\\.0</code> to <code>4\\.1\\.1</code> · at <code>package\\-lock\\.json&#58;1</code>"
            ) in details
    assert ("[install\\-scripts](https://github.com/lockgate/lockgate/blob/v0.1.0/docs/rules/install-scripts.md): "
            "npm packages that run install scripts") in details  # the rule in one line, with its page
    without_clock = render(make([litellm], [], facts=facts, verdict="pass"))
    assert "patch | 2026\\-03\\-24 | " in without_clock  # no clock: the release date


def test_unknown_reads_unknown() -> None:
    a = bump("litellm", "1.82.6", "1.82.8")
    facts = (Facts("pypi", "litellm", "1.82.8", reason="offline: PyPI was not asked"),)
    text = render(make([a], [], facts=facts, verdict="pass"), now=NOW)
    assert "<code>1\\.82\\.8</code> patch | unknown | \u2705 |" in text


def test_a_malicious_verdict_folds_its_secondary_reasons() -> None:
    a = bump("litellm", "1.82.6", "1.82.8")
    findings = [
        Finding("deny", "block", "litellm 1.82.8 is a known-malicious release (stolen token)", a.after, a,
                "requirements.txt", 1, "stay on 1.82.6"),
        Finding("release-age", "block", "litellm 1.82.8 was released 39 min ago", a.after, a, "requirements.txt", 1,
                "wait until 2026-03-27"),
        review_finding(a),
    ]
    text = render_comment(make([a], findings))
    unblock = text[text.index("**What unblocks this**"):text.index("\n\n", text.index("**What unblocks this**"))]
    assert ("**Move off this version**: litellm 1\\.82\\.8 is a known\\-malicious release \\(stolen token\\)&#58; stay on "
            "1\\.82\\.6 <sub>(the other reasons are folded in its details)</sub>") in unblock
    assert "release\\-age" not in unblock and "also" not in unblock
    assert "| \u274c known\\-bad release <sub>+2 more</sub> |" in text
    secondary = text[text.index("<details><summary>2 more reasons (release-age and review), secondary to this verdict"):]
    assert "litellm 1\\.82\\.8 was released 39 min ago" in secondary.split("</details>")[0]


def test_unknown_facts_are_one_line_per_cause_not_a_block_each() -> None:
    changes = [bump(f"pkg-{i:03d}", "1.0", "1.1", line=i + 1) for i in range(300)]
    findings = [Finding(rule, "warn", f"could not check {c.name}", c.after, c, "requirements.txt", c.after.line,  # type: ignore[union-attr]
                        "run where the registry can be reached", unknown=True,
                        cause=f"HTTP 503 from https://pypi.org/simple/{c.name}/ (gave up after 3 tries)")
                for c in changes for rule in ("release-age", "version-exists", "hash-mismatch", "source-tag")]
    text = render_comment(make(changes, findings, [ReviewStatus("not-required")] * 300))
    section = text[text.index("**Not checked**"):text.index("\n\n", text.index("**Not checked**"))]
    assert section.split("\n") == [
        "**Not checked**",
        "- \u26a0\ufe0f HTTP 503 from pypi\\.org \\(gave up after 3 tries\\)&#58; 1,200 checks \\(hash\\-mismatch, release\\-age, "
        "source\\-tag, version\\-exists\\) could not be made for 300 packages \\(pkg\\-000, pkg\\-001, pkg\\-002, …\\) · fix: run "
        "where the registry can be reached",
    ]
    assert "could not check pkg" not in text  # no finding of its own
    assert len(ROW.findall(text)) == 300 and len(text.encode()) <= COMMENT_LIMIT


def test_every_change_of_a_large_pull_request_keeps_a_row() -> None:
    direct = [bump(f"direct-{i:02d}", "1.0", "1.1", line=i + 1) for i in range(5)]
    transitive = [bump(f"dep-{i:03d}", "1.0", "1.1", line=100 + i, direct=False) for i in range(295)]
    risky = bump("risky", "1.0", "2.0", "major", line=99, direct=False)
    hashes = Finding("hash-pinning", "warn", "weak hash", risky.after, risky, "requirements.txt", 99, "pin sha256")
    changes = direct + transitive + [risky]
    text = render_comment(make(changes, [review_finding(c) for c in direct + transitive] + [hashes],
                               [ReviewStatus("required")] * 300 + [ReviewStatus("not-required")]))
    assert len(text.encode()) <= COMMENT_LIMIT and "leaves out" not in text
    main, collapsed = text.split("<details><summary>300 more changes &#40;low risk, 300 waiting for a review&#41;</summary>")
    assert ROW.findall(main) == ["| \U0001f7e0 | "]  # the risky change is in the open table
    assert "| [<code>risky</code>](https://pypi.org/project/risky/) <sub>transitive</sub> | <code>1\\.0</code> \u2192 " \
           "<code>2\\.0</code> major | unknown | \u26a0\ufe0f no hash |" in main
    assert len(ROW.findall(collapsed)) == 300  # compact rows: plain text, no link
    assert "| \U0001f7e2 | dep\\-000 <sub>transitive</sub> | 1\\.0 \u2192 1\\.1 patch | unknown | \u23f3 review |" in collapsed
    small = render_comment(make(transitive[:FOLD_AFTER], [], [ReviewStatus("not-required")] * FOLD_AFTER))
    assert len(ROW.findall(small)) == FOLD_AFTER and "<details>" not in small  # a small pull request: one table


def test_a_thousand_changes_fit_with_the_riskiest_first_and_a_link_to_the_rest() -> None:
    changes = [bump(f"pkg-{i:04d}", "1.0", "1.1", line=i + 1) for i in range(1000)]
    findings = [review_finding(c) for c in changes]
    for worst in changes[::5]:  # 200 denied, each with a long message
        findings.append(Finding("deny", "block", f"{worst.name} 1.1 is on the policy's deny list (" + "x " * 150 + ")",
                                worst.after, worst, "requirements.txt", worst.after.line, "stay on 1.0"))  # type: ignore[union-attr]
    text = render_comment(make(changes, findings), environ=ACTIONS_ENV)
    assert len(text.encode()) <= COMMENT_LIMIT
    rows = ROW.findall(text)
    assert rows.count("| \U0001f534 | ") == 200  # every denied change keeps its row
    assert len(rows) > 200
    assert "This comment is too long for GitHub&#58; it leaves out" in text
    assert "All of them are in [the job summary](https://github.com/acme/app/actions/runs/4242)." in text
    assert "**Move off this version**: pkg\\-0000 1\\.1 is on the policy's deny list" in text
    assert "\u2026 and 190 more blocked changes (see the tables below)" in text  # 10 listed when squeezed
    assert "\u23f3 **800 changes** (pkg\\-0001, pkg\\-0002" in text  # those waiting only for review share one
    assert text.rstrip().endswith("</sub>")


def test_the_job_summary_limit_is_respected_too() -> None:
    changes = [bump(f"pkg-{i:04d}", "1.0", "1.1", line=i + 1) for i in range(400)]
    findings = [review_finding(c) for c in changes]
    for limit in (4000, 20000, 65536):
        text = render_comment(make(changes, findings), limit=limit)
        assert len(text.encode()) <= limit
        assert text.startswith(MARKER + "\n### \u23f3 lockgate: Needs review · 400 of 400")


def test_the_footer_links_the_run_where_the_full_report_is() -> None:
    a = bump("a", "1.0", "1.1")
    text = render_comment(make([a], [review_finding(a)]), environ={**ACTIONS_ENV, "GITHUB_RUN_ATTEMPT": "2"})
    assert text.rstrip().endswith(
        " · [full report and log](https://github.com/acme/app/actions/runs/4242/attempts/2)</sub>")
    for bad in ({"GITHUB_RUN_ID": "42; rm"}, {"GITHUB_SERVER_URL": "javascript:alert(1)"},
                {"GITHUB_REPOSITORY": "acme/app/../x"}, {"GITHUB_SERVER_URL": "http://github.com"}):
        assert "full report and log" not in render_comment(make([a], [review_finding(a)]), environ={**ACTIONS_ENV, **bad})
    assert "full report and log" not in render_comment(make([a], [review_finding(a)]))


def test_summaries_are_cut_at_a_word() -> None:
    a = bump("a", "1.0", "1.1")
    long = Finding("hash-pinning", "warn", "weak", a.after, a, "requirements.txt", 1, "pin")
    from checker.report.markdown import _cut

    assert _cut("word " * 40, 50).endswith("word\u2026") and len(_cut("word " * 40, 50)) <= 50
    assert _cut("short") == "short"
    assert "<summary>" in render(make([a], [long], [ReviewStatus("not-required")]))


def test_updated_comment_says_when_nothing_blocks_any_more() -> None:
    a = bump("a", "1.0", "1.1")
    text = render_comment(make([a], [], [ReviewStatus("reviewed", "approved by alice")]), updated=True)
    assert "Updated for head <code>cccccccccccc</code>: nothing blocks any more." in text


def test_on_unknown_off_silences_the_unknowns_in_the_comment() -> None:
    a = bump("a", "1.0", "1.1")
    silenced = Finding("release-age", "off", "could not find out when a 1.1 was released", a.after, a,
                       "requirements.txt", 1, "run where the registry can be reached", unknown=True, cause="offline")
    text = render_comment(make([a], [silenced], [ReviewStatus("not-required")], verdict="pass"))
    assert "Not checked" not in text and "could not" not in text and "release\\-age" not in text


def test_the_batch_command_names_only_revisions_a_command_can_take() -> None:
    from checker.report.markdown import review_batch_command

    report = make([bump("a", "1.0", "1.1")])
    assert review_batch_command(report) == 'lockgate review --all-pending --base bbbbbbbbbbbb --head cccccccccccc --reason "…"'
    for base, head in (("empty tree", "c" * 40), ("b" * 40, "worktree"), ("b" * 40, "index")):
        assert review_batch_command(report._replace(base=base, head=head)) == 'lockgate review --all-pending --reason "…"'
