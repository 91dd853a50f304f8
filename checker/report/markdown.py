"""``--format markdown``: the pull-request comment and job summary, rendered from a jinja2 template.

The comment is built for a reviewer who has ten seconds, in a 900-pixel comment column:
- the verdict and its counts on the first line;
- "What unblocks this": one action per blocked change, in words that say the thing once; the changes that wait
  only for a review share one entry with one command that records them all;
- the facts lockgate could not find out, one line per cause ("offline, not cached: pypi.org: 8 checks … could not be
  made for 1,012 packages"), never a block per finding;
- per manifest, a five-column table (risk, package, change, age, why) of the changes that need a look, then the
  others as compact rows in a collapsed section; ecosystem, hashes, provenance and install scripts are in each
  change's details, which open with the fix and the evidence. Under a malicious, denied or vulnerable verdict the
  secondary reasons (cooldown, review…) are folded inside it. A rule's general explanation is one line with a link
  to its page, never repeated per finding.

What to show and in which words is decided in checker/report/risk.py; this module escapes every value that came
from a manifest or a registry (checker/report/escape.py, for the context it lands in: Markdown or raw HTML) and
fits the result under GitHub's size limit. The template only lays the prepared strings out. tests/report/
test_comment_html.py renders the result with GitHub's own cmark-gfm and asserts on the HTML.

Size: GitHub refuses a comment over 65,536 characters. Every change keeps a row (compact rows cost ~100 bytes: a
300-change pull request fits whole). When the whole does not fit, what goes first is what the job summary repeats:
the rules' one-line explanations, then the details of the least risky changes, then compact rows beyond the
riskiest, each with a count of what was left out and a link to the run where the full report is.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from checker.model import Finding, Report
from checker.report import escape
from checker.report.links import (
    github_commit_url,
    github_tag_url,
    github_url,
    registry_page,
    rule_page,
    run_page,
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
    rule_rank,
    scorecard_link,
    source_tag,
    summarize,
)
from checker.report.text import SAME_VERSION_SHOWN, short
from checker.report.unknowns import UnknownGroup, fold_unknowns, folded, for_people
from checker.rules.release_age import age_words

if TYPE_CHECKING:
    import jinja2

__all__ = ["COMMENT_LIMIT", "MARKER", "FOLD_AFTER", "MAX_COMPACT", "ReviewState", "PolicyView", "render",
           "render_comment"]

MARKER = "<!-- lockgate:risk-summary -->"
# GitHub refuses an issue comment longer than 65,536 characters. Sizes are measured in UTF-8 bytes, which are never
# fewer than characters, so a comment that fits here fits there whichever way GitHub counts.
COMMENT_LIMIT = 65536
FOLD_AFTER = 20  # with more changes than this, the low-risk ones become compact rows in a collapsed section
MAX_COMPACT = 500  # compact rows in one comment before the rest are counted
MAX_UNBLOCK = 25  # entries of "What unblocks this" before the rest are counted
MAX_OTHER = 50  # findings about no single change shown before the rest are counted
MAX_WHY = 3  # reasons named in a row's "why" cell before "+N"
SUMMARY_CHARS = 110  # a <summary> line is cut at a word before this many characters

# The verdicts that make every other reason secondary: a change that brings in malware, a denied or a vulnerable
# version must move off it, so its cooldown or its review is beside the point until it does.
PRIMARY_RULES = ("malicious", "deny", "vulnerability")

_STATE_SYMBOLS = {"block": "\u274c", "review": "\u23f3", "warn": "\u26a0\ufe0f", "pass": "\u2705"}
_RISK_SYMBOLS = {"high": "\U0001f534", "medium": "\U0001f7e0", "low": "\U0001f7e2", "none": "\u26aa"}
_LEVEL_SYMBOLS = {"block": "\u274c", "warn": "\u26a0\ufe0f", "info": "\u2139\ufe0f", "off": "\u2796"}
_HASH_WORDS = {
    "verified": "pinned \u2713", "pinned": "pinned", "missing": "missing",
    "mismatch": "differ from the registry's", "sha": "commit SHA", "tag": "tag (movable)", "digest": "digest",
    "bundled": "bundled", "n/a": "\u2014",
}
_SCRIPT_WORDS = {"yes": "yes", "new": "new in this version", "no": "none", "unknown": "unknown", "n/a": "\u2014"}
_ECOSYSTEM_NAMES = {
    "pypi": "PyPI", "npm": "npm", "actions": "GitHub Actions", "docker": "containers", "pre-commit": "pre-commit",
    "go": "Go", "cargo": "Rust", "gem": "Ruby", "composer": "PHP", "nuget": ".NET", "maven": "Java", "pub": "Dart",
    "swift": "Swift",
}
_PAGE_NAMES = {"pypi": "PyPI page", "npm": "npm page", "actions": "GitHub page", "docker": "image page"}
DASH = "\u2014"
ARROW = "\u2192"
_REVISION = re.compile(r"[0-9a-fA-F]{7,64}")  # a commit a command can name (not "empty tree", not "worktree")


class _Fit(NamedTuple):
    """How much of the comment to show: change details (riskiest first), compact rows, unblock entries, other
    findings, and whether each rule's one-line explanation is given."""

    details: int
    compact: int = MAX_COMPACT
    unblock: int = MAX_UNBLOCK
    other: int = MAX_OTHER
    explain: bool = True
    tight: bool = False  # cut to fit GitHub's size limit


# --- cells --------------------------------------------------------------------------------------------------------


def _version(dep: Any, *, plain: bool = False) -> str:
    """A version for a cell: monospace (plain text in a compact row), a commit SHA cut to 12 characters, its
    version comment beside it."""
    if dep is None:
        return DASH
    text = dep.display_version()
    if len(text) == 40 and all(c in "0123456789abcdefABCDEF" for c in text):
        text = text[:12]
    cell = escape.markdown(text) if plain else escape.code(text)
    if dep.label:
        cell += f" ({escape.markdown(dep.label)})"
    return cell


def _change_cell(row: ChangeRisk, *, plain: bool = False) -> str:
    change = row.change
    if change.kind == "added":
        cell = f"new {ARROW} {_version(change.after, plain=plain)}"
    elif change.kind == "removed":
        cell = f"{_version(change.before, plain=plain)} {ARROW} removed"
    elif change.kind in SAME_VERSION_SHOWN and change.before is not None and change.after is not None \
            and change.before.display_version() == change.after.display_version() and change.before.label == change.after.label:
        cell = f"{_version(change.after, plain=plain)} ({escape.markdown(change.kind.replace('-', ' '))})"
    else:
        cell = f"{_version(change.before, plain=plain)} {ARROW} {_version(change.after, plain=plain)}"
        if change.bump and change.kind in ("upgraded", "downgraded"):
            cell += f" {escape.markdown(change.bump)}"
    if row.status:
        cell += f" **{row.status}**"
    return cell


def _package_cell(row: ChangeRisk, *, plain: bool = False) -> str:
    dep = row.change.dependency
    cell = escape.markdown(dep.name) if plain else escape.link_code(dep.name, registry_page(dep))
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


def _label(finding: Finding) -> str:
    """A finding in two or three words: the rule's label, or the advisory it names."""
    if finding.advisory is not None:
        severity = finding.advisory.severity
        words = finding.advisory.id + (f" {severity}" if isinstance(severity, str) and severity != "unknown" else "")
        return words if finding.level != "info" else f"fixes {finding.advisory.id}"
    from checker.rules import all_rules

    rule = all_rules().get(finding.rule)
    return rule.label if rule is not None and rule.label else finding.rule


def _symbol(finding: Finding) -> str:
    if finding.excepted_by is not None:
        return "\u2796"
    if finding.level == "block" and asks_review(finding.rule):
        return "\u23f3"
    return _LEVEL_SYMBOLS.get(finding.level, "")


class _Reasons(NamedTuple):
    """A change's findings as the comment tells them: the ones it names (the verdict), the secondary ones folded
    under a malicious, denied or vulnerable verdict, and the unknowns (told once per cause, above the tables)."""

    shown: tuple[Finding, ...]
    secondary: tuple[Finding, ...]
    unknown: tuple[Finding, ...]


_LEVEL_ORDER = {"block": 0, "warn": 1, "info": 2, "off": 3}


def _reasons(row: ChangeRisk) -> _Reasons:
    def order(finding: Finding) -> tuple[int, int, int]:
        waived = 1 if finding.excepted_by is not None else 0
        return waived, _LEVEL_ORDER.get(finding.level, 4), rule_rank(finding.rule)

    findings = sorted(row.findings, key=order)
    unknown = tuple(f for f in findings if folded(f))
    known = [f for f in findings if not folded(f)]
    primary = [f for f in known if f.counts and f.level == "block" and f.rule in PRIMARY_RULES]
    if not primary:
        return _Reasons(tuple(known), (), unknown)
    keep = [f for f in known if f.rule in PRIMARY_RULES or f.level == "info" and f.advisory is not None]
    return _Reasons(tuple(keep), tuple(f for f in known if f not in keep), unknown)


def _registry_flags(row: ChangeRisk) -> list[str]:
    """What the registry itself says is wrong when no rule judged it (the risk is medium for it): a deleted or
    yanked version, hashes that differ, weaker provenance, a new install script."""
    flags = []
    if row.status:
        flags.append(row.status)
    if row.hashes == "mismatch":
        flags.append("hashes differ")
    if row.provenance.state == "downgrade":
        flags.append("weaker provenance")
    if row.install_scripts == "new":
        flags.append("new install script")
    return flags


def _why_cell(row: ChangeRisk, reasons: _Reasons) -> str:
    parts: list[str] = []
    seen: set[str] = set()
    for finding in reasons.shown:
        if not finding.counts or finding.level == "info":  # notes are in the details
            continue
        words = f"{_symbol(finding)} {escape.markdown(_label(finding))}"
        if words not in seen:
            seen.add(words)
            parts.append(words)
    more = len(parts) - MAX_WHY
    cell = " · ".join(parts[:MAX_WHY])
    folded_count = len({f.rule for f in reasons.secondary if f.counts}) + max(more, 0)
    if folded_count:
        cell += f" <sub>+{folded_count} more</sub>"
    unknown = sum(1 for f in reasons.unknown if f.counts)
    if unknown:
        cell += (" · " if cell else "") + f"\u2754 {plural(unknown, 'check')} not made"
    if not cell and row.risk in ("high", "medium"):
        cell = " · ".join(f"\u26a0\ufe0f {escape.markdown(flag)}" for flag in _registry_flags(row))
    if not cell:
        if row.review.state == "reviewed":
            return "\u2705 reviewed"
        return "\u2705" if row.change.kind != "removed" else DASH
    return cell


def _row(row: ChangeRisk, reasons: _Reasons, *, compact: bool = False) -> dict[str, str]:
    return {
        "risk": _RISK_SYMBOLS[row.risk],
        "package": _package_cell(row, plain=compact),
        "change": _change_cell(row, plain=compact),
        "age": _age_cell(row),
        "why": _why_cell(row, reasons),
    }


# --- what unblocks this -------------------------------------------------------------------------------------------


def _where(manifest: str | None, line: int | None) -> str:
    return escape.code(f"{manifest}:{line}" if manifest and line else (manifest or "policy"))


def _subject(row: ChangeRisk) -> str:
    """``**name** 1.0 → 1.1`` for a list item."""
    return f"<b>{escape.markdown(row.name)}</b> {_change_cell(row)}"  # not **…**: a value's own punctuation can
    # keep emphasis from closing (cmark-gfm's delimiter rules), an HTML tag always does


def _action_text(action: Action) -> str:
    """The action in one sentence: the finding's own words and its fix; a snippet to copy on its own line. Rules
    that are secondary to a malicious, denied or vulnerable verdict are not listed beside it (they are folded in
    the change's details).

    Fixes are rules' sentences that mark commands and snippets in backticks (`lockgate db sync`): they are set in
    code (``escape.trusted``, which escapes everything else as any value; a backtick in a package name can at
    worst start a code span, never markup)."""
    text = f"**{escape.markdown(action.title)}**: {escape.trusted(action.detail)}"
    if action.snippet:
        text += f"<br>{escape.code(action.snippet)}"
    if action.also and action.rule not in PRIMARY_RULES:
        text += f" _(also: {escape.markdown(join_names(list(action.also), 'and'))})_"
    elif action.also:
        text += " <sub>(the other reasons are folded in its details)</sub>"
    return text


def review_batch_command(report: Report) -> str:
    """One command that records a review of every change waiting only for one, run by a maintainer on the base
    branch once the pull request's head is fetched (a pull request cannot approve itself by adding ledger lines;
    ``--all-pending`` compares from the merge base, as the gate does). The reason "…" is refused as a placeholder:
    a pasted command cannot record an empty review."""
    if _REVISION.fullmatch(report.base) and _REVISION.fullmatch(report.head):
        return f'lockgate review --all-pending --base {short(report.base)} --head {short(report.head)} --reason "…"'
    return 'lockgate review --all-pending --reason "…"'  # a local run ("worktree", "empty tree"): the hook's diff


def _unblock(summary: Summary, report: Report, fit: _Fit, review: ReviewState | None) -> list[str]:
    """One entry per blocked change, most serious first; the changes that wait only for a review share one entry
    (one approval, or one command, unblocks them all); then the blocking findings about no single change."""
    lines: list[str] = []
    blocked = [row for row in summary.ranked() if row.blocked]
    others = [row for row in blocked if not row.review_only]
    reviews = [row for row in blocked if row.review_only]
    for row in others[: fit.unblock]:
        assert row.action is not None
        symbol = "\u23f3" if asks_review(row.action.rule) else "\u274c"
        lines.append(f"{symbol} {_subject(row)} in {_where(row.change.manifest, row.change.line)}: "
                     f"{_action_text(row.action)}")
    if len(others) > fit.unblock:
        lines.append(f"\u2026 and {plural(len(others) - fit.unblock, 'more blocked change')} (see the tables below)")
    if len(reviews) == 1:
        row = reviews[0]
        assert row.action is not None
        lines.append(f"\u23f3 {_subject(row)} in {_where(row.change.manifest, row.change.line)}: "
                     f"{_action_text(row.action)}")
    elif reviews:
        action = reviews[0].action
        assert action is not None
        names = [escape.markdown(row.name) for row in reviews[:10]]
        more = f" and {len(reviews) - 10} more" if len(reviews) > 10 else ""
        # Who may approve, when the run knows (the pull request's review state or the policy); the one-change hint
        # otherwise names a single ledger command, which is no advice for a batch.
        detail = action.detail.rstrip(":") if action.snippet else "an approval of the pull request by an allowed " \
            "reviewer, or entries in the review ledger on the base branch"
        text = (f"\u23f3 **{plural(len(reviews), 'change')}** ({', '.join(names)}{more}) wait only for a review: "
                f"**{escape.markdown(action.title)}**: {escape.trusted(detail)}; one command records them all, run on the "
                f"base branch once the pull request's head is fetched:"
                f"<br>{escape.code(review_batch_command(report))}")
        lines.append(text)
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


# --- unknown facts --------------------------------------------------------------------------------------------------


def _unknown_line(group: UnknownGroup) -> str:
    text = f"{_LEVEL_SYMBOLS.get(group.level, '')} {group.words(text=escape.markdown)}"
    if group.hint:
        text += f" \u00b7 fix: {escape.trusted(group.hint)}"
    return text


# --- details ----------------------------------------------------------------------------------------------------------


def _cut(text: str, limit: int = SUMMARY_CHARS) -> str:
    """``text`` cut at a word boundary before ``limit`` characters, with an ellipsis; never mid-word."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:(") + "\u2026"


def _links(row: ChangeRisk | None, finding: Finding | None) -> list[str]:
    dep = row.change.after if row is not None and row.change.after is not None else (
        finding.dependency if finding is not None else None)
    if dep is None:
        return []
    out = []
    advisories = [f.advisory for f in (row.findings if row is not None else (finding,)) if f is not None and f.advisory]
    for advisory in dict.fromkeys(advisories):
        if advisory is not None and advisory.url:
            out.append(escape.link(f"advisory {advisory.id}", advisory.url))  # an unsafe URL stays plain text
    page = registry_page(dep)
    if page:
        out.append(escape.link(_PAGE_NAMES.get(dep.ecosystem, "registry page"), page))
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


def _rule_link(rule_id: str, version: str | None) -> str:
    return escape.link(rule_id, rule_page(rule_id, version))


def _finding_item(finding: Finding, version: str | None, *, with_fix: bool = True) -> str:
    """``❌ [deny](page): message — fix: …`` (a waived finding: the exception's reason instead of the fix)."""
    text = f"{_symbol(finding)} {_rule_link(finding.rule, version)}: {escape.markdown(finding.message)}"
    if finding.excepted_by is not None:
        text += f" \u2014 _waived: {escape.markdown(finding.excepted_by)}_"
    elif with_fix and finding.hint:
        text += f" \u2014 **fix**: {escape.trusted(finding.hint)}"
    return text


def _facts_line(row: ChangeRisk) -> str:
    """Ecosystem, the registry's word, hashes, provenance and install scripts: the columns the table no longer
    has, in one line."""
    change = row.change
    parts = [escape.markdown(_ECOSYSTEM_NAMES.get(change.ecosystem, change.ecosystem))]
    line = registry_line(row)
    if line:
        parts.append(escape.markdown(line))
    hashes = _HASH_WORDS[row.hashes]
    if row.hashes != "n/a":
        count = f" ({row.hash_count})" if row.hash_count > 1 and row.hashes in ("pinned", "verified") else ""
        parts.append(f"hashes: {escape.markdown(hashes + count)}")
    if row.install_scripts not in ("n/a",):
        parts.append(f"install scripts: {escape.markdown(_SCRIPT_WORDS[row.install_scripts])}")
    if change.before is not None and change.after is not None and \
            change.before.display_version() != change.after.display_version():
        parts.append(f"from {escape.code(change.before.display_version())} to {escape.code(change.after.display_version())}")
    parts.append(f"at {_where(change.manifest, change.line)}")
    return " \u00b7 ".join(parts)


def _change_details(row: ChangeRisk, reasons: _Reasons, version: str | None, fit: _Fit) -> dict[str, Any]:
    """One change's collapsible block: the fix first, then the evidence (each finding the comment names, the
    registry's facts), the secondary reasons folded, the links, and each rule's one line with its page."""
    shown = [f for f in reasons.shown if f.rule != "review" or not row.review_only]
    lead = next((f for f in shown if f.counts), shown[0] if shown else None)
    label = " \u00b7 ".join(dict.fromkeys(_label(f) for f in shown if f.counts and f.level != "info")) \
        or " \u00b7 ".join(dict.fromkeys(_label(f) for f in shown)) or " \u00b7 ".join(_registry_flags(row)) \
        or ("reviewed" if row.review.state == "reviewed" else "passes")
    symbol = _symbol(lead) if lead is not None else "\u26a0\ufe0f" if _registry_flags(row) else "\u2705"
    summary = (f"{symbol} <b>{escape.html(row.name)}</b> {escape.html(_plain_change(row))} \u2014 "
               f"{escape.html(_cut(label))}")
    body: list[str] = []
    action = row.action if row.action is not None and lead is not None and row.action.rule == lead.rule else None
    # The finding's own fix; the cooldown's action says when it ends, which its hint cannot.
    fix = action.detail if action is not None and action.rule == "release-age" else (lead.hint if lead else None)
    if fix:
        text = f"**Fix**: {escape.trusted(fix)}"
        if action is not None and action.snippet and action.rule != "review":
            text += f"<br>{escape.code(action.snippet)}"
        body.append(text)
    evidence = [f"- {_finding_item(f, version, with_fix=f is not lead or not fix)}" for f in shown]
    evidence.append(f"- {_facts_line(row)}")
    body.append("**Evidence**\n" + "\n".join(evidence))
    if reasons.secondary:
        rules = join_names(list(dict.fromkeys(f.rule for f in reasons.secondary)), "and")
        items = "\n".join(f"- {_finding_item(f, version)}" for f in reasons.secondary)
        body.append(f"<details><summary>{escape.html(plural(len(reasons.secondary), 'more reason'))} "
                    f"({escape.html(rules)}), secondary to this verdict</summary>\n\n{items}\n\n</details>")
    links = _links(row, None)
    if links:
        body.append(" \u00b7 ".join(links))
    if fit.explain:
        body.append(_rules_line([f.rule for f in (*shown, *reasons.secondary)], version))
    return {"summary": summary, "body": [part for part in body if part]}


def _rules_line(rule_ids: list[str], version: str | None) -> str:
    """Each rule once, with its one-line summary and a link to its page."""
    from checker.rules import all_rules

    rules = all_rules()
    parts = []
    for rule_id in dict.fromkeys(rule_ids):
        rule = rules.get(rule_id)
        if rule is not None:
            parts.append(f"{_rule_link(rule_id, version)}: {escape.trusted(rule.summary)}")
    return f"<sub>{' · '.join(parts)}</sub>" if parts else ""


def _plain_change(row: ChangeRisk) -> str:
    change = row.change

    def version(dep: Any) -> str:
        text = dep.display_version() if dep is not None else ""
        return text[:12] if len(text) == 40 else text

    if change.kind == "added":
        return f"{version(change.after)} (new)"
    if change.kind == "removed":
        return f"{version(change.before)} (removed)"
    if change.before is not None and change.after is not None and version(change.before) == version(change.after):
        return f"{version(change.after)} ({change.kind.replace('-', ' ')})"
    return f"{version(change.before)} \u2192 {version(change.after)}"


def _loose_details(finding: Finding, version: str | None, fit: _Fit) -> dict[str, Any]:
    where = f"{finding.manifest}:{finding.line}" if finding.manifest and finding.line else (finding.manifest or "policy")
    subject = f"{finding.dependency.name} {finding.dependency.display_version()}" if finding.dependency else where
    level = finding.level if finding.excepted_by is None else "waived"
    summary = (f"{_symbol(finding)} <b>{escape.html(subject)}</b> \u2014 {escape.html(level)}: "
               f"{escape.html(_cut(finding.message))}")
    body = []
    if finding.excepted_by:
        body.append(f"**Waived** by a policy exception: {escape.markdown(finding.excepted_by)}")
    elif finding.hint:
        body.append(f"**Fix**: {escape.trusted(finding.hint)}")
    body.append(f"**Evidence**: {escape.markdown(finding.message)} (at {_where(finding.manifest, finding.line)})")
    links = _links(None, finding)
    if links:
        body.append(" \u00b7 ".join(links))
    if fit.explain:
        body.append(_rules_line([finding.rule], version))
    return {"summary": summary, "body": [part for part in body if part]}


# --- the whole comment ----------------------------------------------------------------------------------------------


class _Prepared(NamedTuple):
    """What every fitting of one comment shares: the rows riskiest first, their reasons, which are shown in the
    main tables, and the escaped cells and blocks (built once, however many fittings are tried)."""

    ranked: tuple[ChangeRisk, ...]
    reasons: dict[int, _Reasons]
    notable: frozenset[int]
    detailed: frozenset[int]  # the changes that get a details block
    headings: dict[str, tuple[str, str]]  # manifest -> (escaped path, escaped ecosystem)
    compact_summaries: dict[str, str]  # manifest -> the escaped summary of its collapsed rows
    unknowns: list[str]  # the "Not checked" lines, one per level and cause
    cells: dict[tuple[int, bool], dict[str, str]]
    blocks: dict[tuple[int, bool], dict[str, Any]]


def _prepare(summary: Summary, report: Report) -> _Prepared:
    ranked = summary.ranked()
    reasons = {row.position: _reasons(row) for row in ranked}
    if len(ranked) <= FOLD_AFTER:
        notable = frozenset(row.position for row in ranked)
    else:
        # what needs a look: a finding other than the review, a note or an unknown (those are told once per cause),
        # or the registry's own warning; a lockfile refresh offline is not 300 "medium" rows
        notable = frozenset(row.position for row in ranked if row.risk == "high" or any(
            f.counts and not folded(f) and f.rule != "review" and f.level != "info" for f in row.findings)
            or (row.risk == "medium" and _registry_flags(row)))
    detailed = frozenset(row.position for row in ranked if _has_details(row, reasons[row.position], notable))
    headings: dict[str, tuple[str, str]] = {}
    collapsed: dict[str, list[ChangeRisk]] = {}
    for row in ranked:
        manifest = row.change.manifest
        if manifest not in headings:
            ecosystem = row.change.ecosystem
            headings[manifest] = (escape.code(manifest), escape.markdown(_ECOSYSTEM_NAMES.get(ecosystem, ecosystem)))
        if row.position not in notable:
            collapsed.setdefault(manifest, []).append(row)
    with_open_rows = {row.change.manifest for row in ranked if row.position in notable}
    summaries = {}
    for manifest, rows in collapsed.items():
        waiting = sum(1 for row in rows if row.review.state == "required")
        what = "low risk" + (f", {waiting} waiting for a review" if waiting else "")
        count = plural(len(rows), "more change" if manifest in with_open_rows else "change")
        summaries[manifest] = escape.html(f"{count} ({what})")
    unknowns = [_unknown_line(group) for group in fold_unknowns(report.findings)]
    return _Prepared(tuple(ranked), reasons, notable, detailed, headings, summaries, unknowns, {}, {})


def _has_details(row: ChangeRisk, reasons: _Reasons, notable: frozenset[int]) -> bool:
    """A block for a change with something to say beyond its row: a finding other than the review (the review's
    action is in "What unblocks this"), secondary reasons folded under a verdict, the registry's own warning; and,
    in the open table, any change that brings a version (its provenance, hashes, install scripts and score are in
    the block). The compact rows of a large pull request get none: their facts are in the job summary."""
    if any(f.rule != "review" for f in reasons.shown) or reasons.secondary:
        return True
    if row.risk in ("high", "medium") and _registry_flags(row):
        return True
    return row.position in notable and row.change.after is not None and row.facts is not None


def _plan(summary: Summary, report: Report, fit: _Fit, prepared: _Prepared, *, review: ReviewState | None,
          updated: bool, run: str | None, how_to_see_all: str) -> dict[str, Any]:
    """The template's context for one fitting."""
    groups: dict[str, dict[str, Any]] = {}

    def group(path: str) -> dict[str, Any]:
        found = groups.get(path)
        if found is None:
            heading, ecosystem = prepared.headings[path]
            found = groups[path] = {"path": heading, "ecosystem": ecosystem, "rows": [], "compact": [],
                                    "compact_summary": prepared.compact_summaries.get(path, ""), "details": []}
        return found

    version = report.version or None
    compact_left = fit.compact
    compact_total = compact_shown = 0
    details_left = fit.details
    details_total = 0
    for row in prepared.ranked:  # riskiest first: the first to be cut are the least risky
        reasons = prepared.reasons[row.position]
        target = group(row.change.manifest)
        if row.position in prepared.notable:
            key = (row.position, False)
            cells = prepared.cells.get(key) or prepared.cells.setdefault(key, _row(row, reasons))
            target["rows"].append(cells)
        else:
            compact_total += 1
            if compact_left > 0:
                compact_left -= 1
                compact_shown += 1
                key = (row.position, True)
                cells = prepared.cells.get(key) or prepared.cells.setdefault(key, _row(row, reasons, compact=True))
                target["compact"].append(cells)
        if row.position in prepared.detailed:
            details_total += 1
            if details_left > 0:
                details_left -= 1
                key = (row.position, fit.explain)
                block = prepared.blocks.get(key) or prepared.blocks.setdefault(
                    key, _change_details(row, reasons, version, fit))
                target["details"].append(block)
    loose = [f for f in summary.loose if not folded(f)]
    other = [_loose_details(f, version, fit) for f in loose[: fit.other]]
    left_out = []
    if compact_total > compact_shown:
        left_out.append(f"{compact_total - compact_shown} of {len(prepared.ranked)} changes")
    if details_total > fit.details:
        left_out.append(f"the details of {details_total - fit.details} of {details_total} changes")
    if len(loose) > fit.other:
        left_out.append(f"{len(loose) - fit.other} of {len(loose)} other findings")
    omitted = ""
    if left_out:
        why = "This comment is too long for GitHub" if fit.tight else "This comment is kept short"
        see = escape.link(how_to_see_all, run) if run else escape.markdown(how_to_see_all)
        sentence = f"{why}: it leaves out {join_names(left_out, 'and')}, the least serious first."
        omitted = f"{escape.markdown(sentence)} All of them are in {see}."
    updated_line = ""
    if updated and report.verdict == "pass":
        updated_line = (
            f"Updated for head {escape.code(short(report.head))}: "
            + ("this pull request no longer changes any dependency." if not report.changes else "nothing blocks any more.")
        )
    return {
        "marker": MARKER,
        "symbol": _STATE_SYMBOLS[summary.state],
        "headline": escape.markdown(summary.words),
        "counts": escape.markdown(headline_counts(summary)),
        "updated": updated_line,
        "unblock": _unblock(summary, report, fit, review),
        "review": _review_section(review, report.head) if review is not None else None,
        "unknowns": prepared.unknowns,
        "groups": list(groups.values()),
        "other": other,
        "other_count": len(loose),
        "omitted": omitted,
        "no_changes": not report.changes and not report.judged_all,
        "legend": bool(groups),
        "policy": escape.code(report.policy or "-"),
        "version": escape.markdown(report.version or "-"),
        "head": escape.code(short(report.head)),
        "base": escape.code(short(report.base)),
        "run": escape.link("full report and log", run) if run else "",
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
    environ: Mapping[str, str] | None = None,
) -> str:
    """The sticky pull-request comment (and job summary), never longer than ``limit`` bytes.

    ``review``: the pull request's review state (``lockgate pr``). ``policy`` and ``now``, when the caller has
    them: who may review and the cooldowns (for the unblock actions), and the run's clock (ages, cooldown ends).
    ``environ``: the Actions run's variables, for the link to the run where the full report is."""
    report = for_people(report)
    summary = summarize(report, now=now, policy=policy, review=review)
    template = _environment().get_template("comment.md.j2")
    prepared = _prepare(summary, report)
    run = run_page(dict(environ) if environ is not None else None)

    def attempt(fit: _Fit) -> str:
        return template.render(**_plan(summary, report, fit, prepared, review=review, updated=updated, run=run,
                                       how_to_see_all=how_to_see_all))

    details = len(prepared.detailed)
    text = attempt(_Fit(details))
    if _size(text) <= limit:
        return text
    lean = _Fit(details, explain=False, tight=True)
    text = attempt(lean)
    if _size(text) <= limit:
        return text
    squeezed = lean._replace(unblock=10, other=10)

    def most(field: str, high: int, base: _Fit) -> tuple[_Fit, str | None]:
        """The largest count of ``field`` (``details`` or ``compact`` rows) that fits, and the text; None if even 0
        does not."""

        def at(count: int) -> _Fit:
            return base._replace(details=count) if field == "details" else base._replace(compact=count)

        low, best_fit, best = 0, at(0), None
        while low <= high:
            middle = (low + high) // 2
            fit = at(middle)
            candidate = attempt(fit)
            if _size(candidate) <= limit:
                best_fit, best, low = fit, candidate, middle + 1
            else:
                high = middle - 1
        return best_fit, best

    fit, best = most("details", details, squeezed)
    if best is None:  # no details fit with every compact row: fewer rows, then details again
        fit, best = most("compact", MAX_COMPACT, squeezed._replace(details=0))
        if best is not None:
            fit, better = most("details", details, fit)
            best = better or best
    if best is None:  # only the fixed parts left, and still too long: cut at a line
        text = attempt(squeezed._replace(details=0, compact=0, unblock=3, other=0))
        best = text.encode("utf-8")[: limit - 64].decode("utf-8", "ignore").rsplit("\n", 1)[0] + "\n\n(cut to fit)\n"
    return best


def render(report: Report, color: bool = False, *, policy: PolicyView | None = None, now: dt.datetime | None = None,
           review: ReviewState | None = None) -> str:
    """``--format markdown``: the same comment ``lockgate pr`` posts (without the pull request's review state)."""
    return render_comment(report, review, how_to_see_all="the text or JSON output", policy=policy, now=now)
