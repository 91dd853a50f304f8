"""The pull-request comment's content (checker/report/markdown.py): the first line, what unblocks the pull request,
the columns from the registries' facts, and large pull requests: folded transitive changes, a capped table with a
count of the rest, and never over GitHub's limit."""

from __future__ import annotations

import datetime as dt
import re

from checker.model import Change, Dependency, Facts, Finding, Provenance, Report, ReviewStatus
from checker.registries.types import Publisher
from checker.report.markdown import (
    COMMENT_LIMIT, FOLD_AFTER, MARKER, MAX_ROWS, PolicyView, ReviewState, render, render_comment,
)

NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
HEAD = "c" * 40
ROW = re.compile(r"^\| (?:\U0001f534|\U0001f7e0|\U0001f7e2|\u26aa) ", re.M)


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


def test_changes_waiting_only_for_review_share_one_unblock_entry() -> None:
    changes = [bump(n, "1.0", "1.1", line=i + 1) for i, n in enumerate(["b", "a", "c"])]
    denied = bump("z", "1.0", "2.0", "major", line=9)
    findings = [review_finding(c) for c in changes] + [
        Finding("deny", "block", "z 2.0 is denied: worm", denied.after, denied, "requirements.txt", 9, "move off it")]
    text = render_comment(make(changes + [denied], findings), policy=PolicyView(reviewers=("alice", "bob")))
    block = text[text.index("**What unblocks this**"):text.index("\n\n", text.index("**What unblocks this**"))]
    assert block.split("\n") == [
        "**What unblocks this**",
        "- \u274c **z** <code>1\\.0</code> \u2192 <code>2\\.0</code> in <code>requirements\\.txt&#58;9</code>: "
        "**Move off this version**: z 2\\.0 is denied&#58; worm; move off it",
        "- \u23f3 **3 changes** (a, b, c) wait only for a review: **Get a review**: an approval by alice or bob on "
        "the head commit cccccccccccc, or an entry in the review ledger on the base branch, one entry per change "
        "\\(lockgate review PACKAGE FROM TO \\-\\-reason \u2026\\)",
    ]


def test_the_review_state_of_the_pull_request() -> None:
    a = bump("a", "1.0", "1.1")
    state = ReviewState(notes=("approval by bob was given on 0d0d0d0d0d0d, before the latest push",),
                        reviewers=("alice", "@acme/security"), label="deps-ok", waiting=1)
    text = render_comment(make([a], [review_finding(a)]), state)
    assert (
        "**Review:** \u23f3 1 change needs a review: an approval of head cccccccccccc by alice, <code>&#64;acme/security,</code> "
        "or the label deps\\-ok applied by alice, <code>&#64;acme/security</code> after the latest push\n"
        "- approval by bob was given on 0d0d0d0d0d0d, before the latest push\n"
    ) in text
    assert (
        "**Get a review**: an approval by alice or <code>&#64;acme/security</code> on the head commit cccccccccccc, or the label "
        "deps\\-ok applied by one of them after the latest push, or an entry in the review ledger on the base "
        "branch&#58;<br><code>lockgate review pypi&#58;a 1\\.0 1\\.1 \\-\\-reason &quot;…&quot;</code>"
    ) in text


def test_facts_fill_the_columns() -> None:
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
    text = render(make([litellm, tiny], [], facts=facts, verdict="pass"), now=NOW)
    rows = ROW.findall(text)
    assert len(rows) == 2
    assert (
        "| [<code>litellm</code>](https://pypi.org/project/litellm/) | pypi | <code>1\\.82\\.6</code> \u2192 "
        "<code>1\\.82\\.7</code> | patch | 40 min | \u2b07\ufe0f downgrade to none (was a trusted publisher) | "
        "pinned \u2713 | \u2014 | \u23f3 required |"
    ) in text
    assert (
        "| npm | <code>4\\.1\\.0</code> \u2192 <code>4\\.1\\.1</code> | patch | 2 h | [GitHub scttcper/tinycolor "
        "\\(\\.github/workflows/release\\.yml\\)](https://github.com/scttcper/tinycolor) | pinned | \u26a0\ufe0f new |"
    ) in text
    without_clock = render(make([litellm], [], facts=facts, verdict="pass"))
    assert "| patch | 2026\\-03\\-24 | " in without_clock  # no clock: the release date


def test_unknown_reads_unknown() -> None:
    a = bump("litellm", "1.82.6", "1.82.8")
    facts = (Facts("pypi", "litellm", "1.82.8", reason="offline: PyPI was not asked"),)
    text = render(make([a], [], facts=facts, verdict="pass"), now=NOW)
    assert "| patch | unknown | unknown | pinned | \u2014 |" in text
    assert "none" not in text.split("<sub>Risk")[0].replace("\u26aa none", "")


def test_transitive_changes_fold_under_the_table_in_a_large_pull_request() -> None:
    direct = [bump(f"direct-{i:02d}", "1.0", "1.1", line=i + 1) for i in range(5)]
    transitive = [bump(f"dep-{i:03d}", "1.0", "1.1", line=100 + i, direct=False) for i in range(FOLD_AFTER)]
    risky = bump("risky", "1.0", "2.0", "major", line=99, direct=False)
    hashes = Finding("hash-pinning", "warn", "weak hash", risky.after, risky, "requirements.txt", 99)
    changes = direct + transitive + [risky]
    text = render_comment(make(changes, [hashes], [ReviewStatus("not-required")] * len(changes)))
    rows = ROW.findall(text)
    assert len(rows) == 6  # the direct changes and the risky transitive one
    assert "| \U0001f7e0 medium | [<code>risky</code>]" in text
    assert f"<details><summary>{FOLD_AFTER} transitive changes folded &#40;low risk&#41;</summary>" in text
    assert "- <code>dep\\-000</code> <code>1\\.0</code> \u2192 <code>1\\.1</code> · not required\n" in text
    small = render_comment(make(transitive[:3], [], [ReviewStatus("not-required")] * 3))
    assert len(ROW.findall(small)) == 3 and "folded" not in small  # a small pull request shows everything


def test_the_table_is_capped_with_a_count_of_the_rest() -> None:
    count = MAX_ROWS + 40
    changes = [bump(f"pkg-{i:04d}", "1.0", "1.1", line=i + 1) for i in range(count)]
    reviews = [ReviewStatus("reviewed", "approved by alice")] * count
    text = render_comment(make(changes, [], reviews))
    assert len(ROW.findall(text)) == MAX_ROWS
    assert (f"_The table leaves out 40 of {count} changes, the least serious first\\. See the job summary for all of "
            "them\\._") in text
    assert "<code>pkg\\-0000</code>" in text and "<code>pkg\\-0189</code>" not in text  # by name within a risk


def test_a_thousand_changes_fit_with_the_riskiest_first() -> None:
    changes = [bump(f"pkg-{i:04d}", "1.0", "1.1", line=i + 1) for i in range(1000)]
    findings = [review_finding(c) for c in changes]
    for worst in changes[::5]:  # 200 denied, each with a long message that its details block repeats
        findings.append(Finding("deny", "block", f"{worst.name} 1.1 is denied: " + "x" * 300, worst.after, worst,
                                "requirements.txt", worst.after.line, "move off it"))  # type: ignore[union-attr]
    text = render_comment(make(changes, findings))
    assert len(text.encode()) <= COMMENT_LIMIT
    rows = ROW.findall(text)
    assert 20 < len(rows) < MAX_ROWS and all(row.startswith("| \U0001f534") for row in rows)  # the denied ones
    assert f"This comment is too long for GitHub&#58; it leaves out {1000 - len(rows)} of 1000 changes, the least " \
           "serious first\\. See the job summary for all of them\\." in text
    assert "**Move off this version**: pkg\\-0000 1\\.1 is denied" in text
    assert "\u2026 and 190 more blocked changes (see the tables below)" in text  # 10 listed when squeezed
    assert "\u23f3 **800 changes** (pkg\\-0001, pkg\\-0002" in text  # those waiting only for review share one
    assert text.rstrip().endswith("</sub>")
    # squeezed: each rule explained once; review findings get no block of their own ("What unblocks this" says it)
    assert text.count("**deny**: Some releases are known to be malicious") == 1
    assert "<code>review</code> · pkg" not in text


def test_many_review_findings_alone_fit_without_cutting_rows() -> None:
    """Routine bumps that only need a review: their details go first, the table keeps its rows."""
    changes = [bump(f"pkg-{i:04d}", "1.0", "1.1", line=i + 1) for i in range(MAX_ROWS)]
    text = render_comment(make(changes, [review_finding(c) for c in changes]))
    assert len(text.encode()) <= COMMENT_LIMIT
    assert len(ROW.findall(text)) == MAX_ROWS and "leaves out" not in text


def test_the_job_summary_limit_is_respected_too() -> None:
    changes = [bump(f"pkg-{i:04d}", "1.0", "1.1", line=i + 1) for i in range(400)]
    findings = [review_finding(c) for c in changes]
    for limit in (4000, 20000, 65536):
        text = render_comment(make(changes, findings), limit=limit)
        assert len(text.encode()) <= limit
        assert text.startswith(MARKER + "\n### \u23f3 lockgate: Needs review · 400 of 400")


def test_updated_comment_says_when_nothing_blocks_any_more() -> None:
    a = bump("a", "1.0", "1.1")
    text = render_comment(make([a], [], [ReviewStatus("reviewed", "approved by alice")]), updated=True)
    assert "Updated for head <code>cccccccccccc</code>: nothing blocks any more." in text
