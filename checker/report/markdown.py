"""``--format markdown``: the pull-request comment and job summary, rendered from a jinja2 template.

The comment is built for a reviewer who has ten seconds: the verdict and its counts on the first line, then what
unblocks the pull request (one action per blocked change), then a table per manifest of every change (riskiest
first) with what the registries said, and a collapsible block per finding with the rule's explanation, the
evidence and links.

What to show and in which words is decided in checker/report/risk.py; this module escapes every value that came
from a manifest or a registry (checker/report/escape.py, for the context it lands in: Markdown or raw HTML) and
fits the result under GitHub's size limit. The template only lays the prepared strings out.

Size: GitHub refuses a comment over 65,536 characters. Large pull requests (hundreds of lockfile changes) are
fitted in steps, each tried only when the previous one is too long: low-risk transitive changes are folded into a
list under the table; the table stops after ``MAX_ROWS`` rows with a count of the rest; then each rule's
explanation is given once rather than in every finding, and review findings get no block of their own (what they
say is in "What unblocks this"); then fewer rows, riskiest kept, until it fits.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any, NamedTuple

from checker.model import Finding, Report
from checker.report import escape
from checker.report.links import (
    github_commit_url,
    github_tag_url,
    github_url,
    registry_page,
    version_page,
)
from checker.report.risk import (
    Action,
    ChangeRisk,
    PolicyView,
    ReviewState,
    Summary,
    asks_review,
    headline_counts,
    join_names,
    plural,
    registry_line,
    scorecard_link,
    scorecard_words,
    source_tag,
    summarize,
)
from checker.report.text import SAME_VERSION_SHOWN, short
from checker.rules.release_age import age_words

if TYPE_CHECKING:
    import jinja2

__all__ = ["COMMENT_LIMIT", "MARKER", "ReviewState", "PolicyView", "render", "render_comment"]

MARKER = "<!-- lockgate:risk-summary -->"
# GitHub refuses an issue comment longer than 65,536 characters. Sizes are measured in UTF-8 bytes, which are never
# fewer than characters, so a comment that fits here fits there whichever way GitHub counts.
COMMENT_LIMIT = 65536
MAX_ROWS = 150  # table rows shown before the rest are counted (a reviewer reads no further)
FOLD_AFTER = 20  # with more changes than this, low-risk transitive changes are folded under the table
MAX_FOLDED = 100  # names listed in one folded block
MAX_UNBLOCK = 25  # entries of "What unblocks this" before the rest are counted
MAX_OTHER = 50  # findings about no single change shown before the rest are counted
SUMMARY_CHARS = 160  # a finding's message in its <summary> line is cut here (the whole message is inside)

_STATE_SYMBOLS = {"block": "\u274c", "review": "\u23f3", "warn": "\u26a0\ufe0f", "pass": "\u2705"}
_RISK_SYMBOLS = {"high": "\U0001f534", "medium": "\U0001f7e0", "low": "\U0001f7e2", "none": "\u26aa"}
_LEVEL_SYMBOLS = {"block": "\u274c", "warn": "\u26a0\ufe0f", "info": "\u2139\ufe0f", "off": "\u2796"}
_HASH_WORDS = {
    "verified": "pinned \u2713", "pinned": "pinned", "missing": "missing", "mismatch": "\u274c mismatch",
    "sha": "commit SHA", "tag": "tag (movable)", "digest": "digest", "bundled": "bundled", "n/a": "\u2014",
}
_SCRIPT_WORDS = {"yes": "yes", "new": "\u26a0\ufe0f new", "no": "no", "unknown": "unknown", "n/a": "\u2014"}
_ECOSYSTEM_NAMES = {"pypi": "PyPI", "npm": "npm", "actions": "GitHub", "docker": "registry"}
DASH = "\u2014"
ARROW = "\u2192"


class _Fit(NamedTuple):
    """How much of the comment to show: the rows of the table (riskiest first), whether every finding carries its
    rule's full explanation, and how many folded names and unblock entries to list."""

    rows: int
    explain_all: bool = True
    folded: int = MAX_FOLDED
    unblock: int = MAX_UNBLOCK
    other: int = MAX_OTHER
    tight: bool = False  # cut to fit GitHub's size limit (not only the table's length)
    review_details: bool = True  # a block per review finding (what it says is in "What unblocks this" already)


# --- cells --------------------------------------------------------------------------------------------------------


def _version(dep: Any) -> str:
    """A version for a table cell: monospace, a commit SHA cut to 12 characters, its version comment beside it."""
    if dep is None:
        return DASH
    text = dep.display_version()
    if len(text) == 40 and all(c in "0123456789abcdefABCDEF" for c in text):
        text = text[:12]
    cell = escape.code(text)
    if dep.label:
        cell += f" ({escape.markdown(dep.label)})"
    return cell


def _change_cell(row: ChangeRisk) -> str:
    change = row.change
    if change.kind == "added":
        cell = f"new {ARROW} {_version(change.after)}"
    elif change.kind == "removed":
        cell = f"{_version(change.before)} {ARROW} removed"
    elif change.kind in SAME_VERSION_SHOWN and change.before is not None and change.after is not None \
            and change.before.display_version() == change.after.display_version() and change.before.label == change.after.label:
        cell = f"{_version(change.after)} ({escape.markdown(change.kind.replace('-', ' '))})"
    else:
        cell = f"{_version(change.before)} {ARROW} {_version(change.after)}"
    if row.status:
        cell += f" **{row.status}**"
    return cell


def _package_cell(row: ChangeRisk) -> str:
    dep = row.change.dependency
    cell = escape.link_code(dep.name, registry_page(dep))
    notes = [word for word in ("transitive" if not dep.direct else "", dep.scope if dep.scope != "prod" else "") if word]
    if notes:
        cell += f" <sub>{escape.markdown(', '.join(notes))}</sub>"
    return cell


def _age_cell(row: ChangeRisk) -> str:
    age = row.age
    if age.state == "known" and age.released is not None:
        if age.age is not None:
            return escape.markdown(age_words(age.age))
        return escape.markdown(f"{age.released:%Y-%m-%d}")
    if row.status == "deleted":
        return DASH
    return "unknown" if age.state == "unknown" else DASH


def _provenance_cell(row: ChangeRisk) -> str:
    prov = row.provenance
    if prov.state == "n/a":
        return DASH
    if prov.state == "unknown":
        return DASH if row.status == "deleted" else "unknown"
    if prov.state == "none":
        return "none"
    if prov.state == "downgrade":
        was = f" (was {escape.markdown(prov.before)})" if prov.before else ""
        return f"\u2b07\ufe0f downgrade to {escape.markdown(prov.evidence or 'none')}{was}"
    if prov.publisher:
        return escape.link(prov.publisher, github_url(prov.repository))
    return "attested"


def _review_cell(row: ChangeRisk) -> str:
    state = row.review.state
    if state == "required":
        return "\u23f3 required"
    if state == "reviewed":
        return "\u2705 " + escape.markdown(row.review.evidence or "reviewed")
    return "not required"


def _table_row(row: ChangeRisk) -> dict[str, str]:
    change = row.change
    return {
        "risk": f"{_RISK_SYMBOLS[row.risk]} {row.risk}",
        "package": _package_cell(row),
        "ecosystem": escape.markdown(change.ecosystem),
        "change": _change_cell(row),
        "bump": escape.markdown(change.bump if change.kind in ("upgraded", "downgraded") and change.bump
                                else {"added": "new", "removed": "removed"}.get(change.kind, change.kind)),
        "age": _age_cell(row),
        "provenance": _provenance_cell(row),
        "hashes": _HASH_WORDS[row.hashes] + (f" ({row.hash_count})" if row.hash_count > 1 and row.hashes in ("pinned", "verified") else ""),
        "scripts": _SCRIPT_WORDS[row.install_scripts],
        "review": _review_cell(row),
        "scorecard": _scorecard_cell(row),
    }


def _scorecard_cell(row: ChangeRisk) -> str:
    """The OpenSSF Scorecard score of the new version's source repository, linked to its page (the column shows
    only when the run asked Scorecard about some change)."""
    link = scorecard_link(row.facts)
    words = scorecard_words(row.facts)
    if link is not None and words is not None:
        return escape.link(words.split(" ")[1], link[1])
    if words is not None:
        return "not scored" if "not scored" in words else "no repository"
    return DASH


def _where(manifest: str | None, line: int | None) -> str:
    return escape.code(f"{manifest}:{line}" if manifest and line else (manifest or "policy"))


def _subject(row: ChangeRisk) -> str:
    """``**name** 1.0 → 1.1`` for a list item."""
    return f"**{escape.markdown(row.name)}** {_change_cell(row)}"


# --- what unblocks this -------------------------------------------------------------------------------------------


def _action_text(action: Action) -> str:
    text = f"**{escape.markdown(action.title)}**: {escape.markdown(action.detail)}"
    if action.snippet:
        text += f"<br>{escape.code(action.snippet)}"
    if action.also:
        text += f" _(also blocked by {escape.markdown(join_names(list(action.also), 'and'))})_"
    return text


def _unblock(summary: Summary, fit: _Fit, review: ReviewState | None, policy: PolicyView | None) -> list[str]:
    """One entry per blocked change, most serious first; the changes that wait only for a review share one entry
    (one approval unblocks them all); then the blocking findings about no single change."""
    lines: list[str] = []
    blocked = [row for row in summary.ranked() if row.blocked]
    others = [row for row in blocked if not row.review_only]
    reviews = [row for row in blocked if row.review_only]
    for row in others[: fit.unblock]:
        assert row.action is not None
        lines.append(f"\u274c {_subject(row)} in {_where(row.change.manifest, row.change.line)}: {_action_text(row.action)}")
    if len(others) > fit.unblock:
        lines.append(f"\u2026 and {plural(len(others) - fit.unblock, 'more blocked change')} (see the tables below)")
    if len(reviews) == 1:
        row = reviews[0]
        assert row.action is not None
        lines.append(f"\u23f3 {_subject(row)} in {_where(row.change.manifest, row.change.line)}: {_action_text(row.action)}")
    elif reviews:
        action = reviews[0].action
        assert action is not None
        names = [escape.markdown(row.name) for row in reviews[:10]]
        more = f" and {len(reviews) - 10} more" if len(reviews) > 10 else ""
        detail = action.detail.rstrip(":")
        if action.snippet:
            detail += ", one entry per change (lockgate review PACKAGE FROM TO --reason \u2026)"
        lines.append(
            f"\u23f3 **{plural(len(reviews), 'change')}** ({', '.join(names)}{more}) wait only for a review: "
            f"**{escape.markdown(action.title)}**: {escape.markdown(detail)}"
        )
    for finding, action in summary.loose_actions[: fit.unblock]:
        symbol = "\u23f3" if asks_review(finding.rule) else "\u274c"  # a policy change waits for a review
        lines.append(f"{symbol} {_where(finding.manifest, finding.line)}: {_action_text(action)}")
    if len(summary.loose_actions) > fit.unblock:
        lines.append(f"\u2026 and {plural(len(summary.loose_actions) - fit.unblock, 'more blocking finding')}")
    return lines


def _review_section(state: ReviewState, head: str) -> dict[str, Any]:
    if state.evidence is not None:
        line = f"\u2705 {escape.markdown(state.evidence)}"
    elif state.waiting:
        who = ", ".join(state.reviewers) if state.reviewers else "a maintainer"
        how = f"an approval of head {short(head)} by {who}"
        if state.label:
            how += f", or the label {state.label} applied by {who} after the latest push"
        count = f"{state.waiting} change{'s' if state.waiting != 1 else ''}"
        line = f"\u23f3 {count} need{'s' if state.waiting == 1 else ''} a review: {escape.markdown(how)}"
    else:
        line = "nothing waits for a review"
    return {"line": line, "notes": [escape.markdown(note) for note in state.notes]}


# --- finding details ----------------------------------------------------------------------------------------------


def _rules() -> dict[str, Any]:
    from checker.rules import all_rules

    return all_rules()


def _cut(text: str, limit: int = SUMMARY_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _links(row: ChangeRisk | None, finding: Finding) -> list[str]:
    dep = row.change.after if row is not None and row.change.after is not None else finding.dependency
    if dep is None:
        return []
    out = []
    advisory = finding.advisory
    if advisory is not None and advisory.url:
        out.append(escape.link(f"advisory {advisory.id}", advisory.url))  # an unsafe URL stays plain text
    page = registry_page(dep)
    if page:
        out.append(escape.link(f"{_ECOSYSTEM_NAMES.get(dep.ecosystem, 'registry')} page", page))
    vpage = version_page(dep)
    if vpage and row is not None and row.status != "deleted":
        out.append(escape.link(f"version {dep.display_version()}", vpage))
    if row is not None:
        repo, tag, commit = source_tag(row)
        tag_url = github_tag_url(repo, tag)
        if tag_url:
            out.append(escape.link(f"source tag {tag}", tag_url))
        commit_url = github_commit_url(repo, commit)
        if commit_url:
            out.append(escape.link(f"commit {(commit or '')[:12]}", commit_url))
        if not tag_url and not commit_url and dep.ecosystem != "actions":
            repo_url = github_url(repo)
            if repo_url:
                out.append(escape.link(f"source repository {repo}", repo_url))
        scored = scorecard_link(row.facts)
        if scored is not None:
            out.append(escape.link(*scored))
    return out


class _Memo(NamedTuple):
    """What the fittings of one comment share: the escaped table rows (by row position) and the finding blocks (by
    finding and form)."""

    rows: dict[int, dict[str, str]]
    details: dict[tuple[int, bool], dict[str, Any]]


def _details(finding: Finding, row: ChangeRisk | None, explained: set[str], fit: _Fit,
             memo: _Memo) -> dict[str, Any]:
    """One finding's collapsible block; the rule's whole explanation the first time the rule comes up (or every
    time, when ``fit.explain_all``). Built once per finding and form, however many fittings are tried."""
    full = fit.explain_all or finding.rule not in explained
    explained.add(finding.rule)
    key = (id(finding), full)
    details = memo.details.get(key)
    if details is None:
        details = memo.details[key] = _build_details(finding, row, full)
    return details


def _build_details(finding: Finding, row: ChangeRisk | None, full: bool) -> dict[str, Any]:
    rules = _rules()
    rule = rules.get(finding.rule)
    if row is not None:
        subject = f"{row.name} {row.change.dependency.display_version()}"
    elif finding.dependency is not None:
        subject = f"{finding.dependency.name} {finding.dependency.display_version()}"
    else:
        subject = f"{finding.manifest}:{finding.line}" if finding.manifest and finding.line else (finding.manifest or "policy")
    level = finding.level if finding.excepted_by is None else "waived"
    summary_line = (
        f"{_LEVEL_SYMBOLS.get(finding.level, '')} <b>{escape.html(level)}</b> \u00b7 {escape.html_code(finding.rule)} "
        f"\u00b7 {escape.html(subject)} \u2014 {escape.html(_cut(finding.message))}"
    )
    body: list[str] = []
    if rule is not None:
        if full:
            body.append(f"**{escape.markdown(rule.id)}**: {escape.trusted(rule.explanation)}")
        else:
            body.append(f"**{escape.markdown(rule.id)}**: {escape.trusted(rule.summary)} "
                        f"(explained in the first {escape.markdown(rule.id)} finding above)")
    evidence = [f"**Evidence**: {escape.markdown(finding.message)}"]
    if finding.unknown:
        evidence.append("_lockgate could not find this out; the policy's <code>on-unknown</code> set this level._")
    if row is not None:
        line = registry_line(row)
        if line:
            evidence.append(f"- {escape.markdown(line)}")
        change = row.change
        if change.before is not None and change.after is not None and change.before.display_version() != change.after.display_version():
            evidence.append(f"- from {escape.code(change.before.display_version())} to {escape.code(change.after.display_version())}")
    if finding.manifest:
        evidence.append(f"- at {_where(finding.manifest, finding.line)}")
    body.append("\n".join(evidence))
    if finding.excepted_by:
        body.append(f"**Waived** by a policy exception: {escape.markdown(finding.excepted_by)}")
    elif finding.hint:
        body.append(f"**Fix**: {escape.markdown(finding.hint)}")
    links = _links(row, finding)
    if links:
        body.append("**Links**: " + " \u00b7 ".join(links))
    return {"summary": summary_line, "body": body}


# --- the whole comment ----------------------------------------------------------------------------------------------


def _plan(summary: Summary, report: Report, fit: _Fit, *, review: ReviewState | None, policy: PolicyView | None,
          updated: bool, how_to_see_all: str, memo: _Memo | None = None) -> dict[str, Any]:
    """The template's context for one fitting. ``memo`` keeps the escaped rows and blocks between fittings."""
    memo = _Memo({}, {}) if memo is None else memo
    ranked = summary.ranked()
    fold = len(ranked) > FOLD_AFTER
    table = [row for row in ranked if not (fold and not row.direct and row.risk in ("low", "none"))]
    in_table = {row.position for row in table}
    folded = [row for row in ranked if row.position not in in_table]
    shown = table[: fit.rows]
    left_out = len(table) - len(shown)
    explained: set[str] = set()
    groups: dict[str, dict[str, Any]] = {}
    for row in shown:
        group = groups.setdefault(row.change.manifest, {"path": escape.code(row.change.manifest), "rows": [],
                                                        "details": [], "folded": None})
        cells = memo.rows.get(row.position)
        if cells is None:
            cells = memo.rows[row.position] = _table_row(row)
        group["rows"].append(cells)
    # Details in table order, manifest by manifest, so that "explained above" is true.
    for row in shown:
        for finding in row.findings:
            if finding.rule == "review" and not fit.review_details:
                continue
            groups[row.change.manifest]["details"].append(_details(finding, row, explained, fit, memo))
    folded_by: dict[str, list[ChangeRisk]] = {}
    for row in folded:
        folded_by.setdefault(row.change.manifest, []).append(row)
    for path, rows in folded_by.items():
        group = groups.setdefault(path, {"path": escape.code(path), "rows": [], "details": [], "folded": None})
        items = [f"{escape.code(row.name)} {_change_cell(row)} \u00b7 {_review_cell(row)}" for row in rows[: fit.folded]]
        waiting = sum(1 for row in rows if row.review.state == "required")
        group["folded"] = {
            "summary": escape.html(f"{plural(len(rows), 'transitive change')} folded (low risk"
                                   + (f", {waiting} waiting for review)" if waiting else ")")),
            "entries": items,
            "more": f"\u2026 and {len(rows) - fit.folded} more" if len(rows) > fit.folded else "",
        }
    other = [_details(f, None, explained, fit, memo) for f in summary.loose[: fit.other]]
    omitted = ""
    if left_out or len(summary.loose) > fit.other:
        parts = []
        if left_out:
            parts.append(f"{left_out} of {len(table)} changes")
        if len(summary.loose) > fit.other:
            parts.append(f"{len(summary.loose) - fit.other} of {len(summary.loose)} other findings")
        if fit.tight:
            text = f"This comment is too long for GitHub: it leaves out {' and '.join(parts)}, the least serious first."
        else:
            text = f"The table leaves out {' and '.join(parts)}, the least serious first."
        omitted = escape.markdown(f"{text} See {how_to_see_all} for all of them.")
    updated_line = ""
    if updated and report.verdict == "pass":
        updated_line = (
            f"Updated for head {escape.code(short(report.head))}: "
            + ("this pull request no longer changes any dependency." if not report.changes else "nothing blocks any more.")
        )
    has_tables = bool(groups)
    return {
        "marker": MARKER,
        "symbol": _STATE_SYMBOLS[summary.state],
        "headline": escape.markdown(summary.words),
        "counts": escape.markdown(headline_counts(summary)),
        "updated": updated_line,
        "unblock": _unblock(summary, fit, review, policy),
        "review": _review_section(review, report.head) if review is not None else None,
        "groups": list(groups.values()),
        "scorecard": any(scorecard_words(row.facts) is not None for row in shown),
        "other": other,
        "other_count": len(summary.loose),
        "omitted": omitted,
        "no_changes": not report.changes and not report.judged_all,
        "legend": has_tables,
        "policy": escape.code(report.policy or "-"),
        "version": escape.markdown(report.version or "-"),
        "head": escape.code(short(report.head)),
        "base": escape.code(short(report.base)),
    }


def _environment() -> jinja2.Environment:
    import jinja2

    templates = os.path.join(os.path.dirname(__file__), "templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=False,  # values are escaped for Markdown+HTML in Python, before rendering
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def render_comment(
    report: Report,
    review: ReviewState | None = None,
    *,
    updated: bool = False,
    limit: int = COMMENT_LIMIT,
    how_to_see_all: str = "the job summary",
    policy: PolicyView | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The sticky pull-request comment (and job summary), never longer than ``limit`` bytes.

    ``review``: the pull request's review state (``lockgate pr``). ``policy`` and ``now``, when the caller has
    them: who may review and the cooldowns (for the unblock actions), and the run's clock (ages, cooldown ends)."""
    summary = summarize(report, now=now, policy=policy, review=review)
    template = _environment().get_template("comment.md.j2")

    memo = _Memo({}, {})

    def attempt(fit: _Fit) -> str:
        return template.render(**_plan(summary, report, fit, review=review, policy=policy, updated=updated,
                                       how_to_see_all=how_to_see_all, memo=memo))

    rows = min(len(summary.changes), MAX_ROWS)
    full = _Fit(rows)
    text = attempt(full)
    if _size(text) <= limit:
        return text
    lean = _Fit(rows, explain_all=False, review_details=False)
    text = attempt(lean)
    if _size(text) <= limit:
        return text
    tight = _Fit(rows, explain_all=False, folded=20, unblock=10, other=10, tight=True, review_details=False)
    low, high = 0, rows  # the most rows that still fit
    best = attempt(tight._replace(rows=0))
    while low <= high:
        middle = (low + high) // 2
        text = attempt(tight._replace(rows=middle))
        if _size(text) <= limit:
            best, low = text, middle + 1
        else:
            high = middle - 1
    if _size(best) > limit:  # only the fixed parts left, and still too long: cut at a line
        best = best.encode("utf-8")[: limit - 64].decode("utf-8", "ignore").rsplit("\n", 1)[0] + "\n\n(cut to fit)\n"
    return best


def render(report: Report, color: bool = False, *, policy: PolicyView | None = None, now: dt.datetime | None = None,
           review: ReviewState | None = None) -> str:
    """``--format markdown``: the same comment ``lockgate pr`` posts (without the pull request's review state)."""
    return render_comment(report, review, how_to_see_all="the text or JSON output", policy=policy, now=now)
