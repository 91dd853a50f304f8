"""The risk summary of a Report: for every change, what a reviewer needs in order to decide — its findings, what
the registries said (age, provenance, published hashes, install scripts), a risk level, and the one action that
unblocks it.

Every decision the pull-request comment shows is made here, as plain data and plain (unescaped) text; the
renderers only escape and lay it out. Nothing is looked up: the facts are those the run gathered
(``Report.facts``), and a fact the run could not obtain stays UNKNOWN and reads "unknown", never "none".

Risk levels, from the findings that count (a waived finding does not):
- ``high``: a rule other than ``review`` blocks on a known problem (a denied or deleted version, a hash the
  registry never published, a movable pin, weaker provenance than before, ...);
- ``medium``: a rule other than ``review`` warns, or blocks because a fact is unknown; or the registry itself
  says something is wrong (deleted, yanked, hashes that differ) while no rule judged it;
- ``low``: nothing but the review (the ordinary case: a bump someone has to look at) or informational findings;
- ``none``: a removal without findings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from checker.model import (
    INFO_KINDS, UNKNOWN, Change, Facts, Finding, Publisher, Report, ReviewStatus, Scorecard, SourceRepository, Unknown,
)
from checker.rules import rule_by_id
from checker.rules.base import DEFAULT_ACTION_RANK, PROVENANCE_ECOSYSTEMS, REGISTRY_ECOSYSTEMS
from checker.rules.provenance_downgrade import evidence_words, weaker
from checker.rules.release_age import age_words
from checker.versions.gitrefs import is_full_sha, repository_of, version_label

RISKS = ("high", "medium", "low", "none")
RISK_RANK = {risk: rank for rank, risk in enumerate(RISKS)}
VERDICT_WORDS = {"block": "Blocked", "review": "Needs review", "warn": "Passes with warnings", "pass": "Passes"}

# What each rule asks for (its ``action``), which comes first when several block one change (``action_rank``),
# whether it offers an exception, and whether it asks only for a review: the rules say (checker/rules/base.py).
# Manifests that declare ranges rather than lock artifacts: hashes do not apply to them.
_DECLARED_FORMATS = frozenset({"pyproject", "package-json"})
EXCEPTION_DAYS = 30


class ReviewState(NamedTuple):
    """What the comment says about review: the evidence that counted (None: none did), why other signals did not,
    who may review and with which label, and how many changes still wait for a review."""

    evidence: str | None = None
    notes: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    label: str | None = None
    waiting: int = 0


class PolicyView(NamedTuple):
    """What the renderers need from the policy, when the caller has it: who may review, the review label and
    ledger, and the release-age cooldown per bump type (days; ``default`` for any bump not listed)."""

    path: str | None = None
    reviewers: tuple[str, ...] = ()
    label: str | None = None
    ledger: str | None = None
    cooldown_days: Mapping[str, int] | None = None

    @classmethod
    def from_policy(cls, policy: Any) -> "PolicyView":
        cooldown: dict[str, int] | None = None
        setting = policy.rules.get("release-age") if hasattr(policy.rules, "get") else None
        if setting is not None and setting.level != "off":
            options = setting.options
            default = _days(options.get("days"))
            cooldown = {"default": default} if default is not None else {}
            for bump in ("major", "minor", "patch"):
                days = _days(options.get(f"{bump}-days"))
                if days is not None:
                    cooldown[bump] = days
            cooldown = cooldown or None
        review = policy.review
        return cls(policy.source, tuple(review.reviewers), review.label, review.ledger, cooldown)

    def cooldown(self, bump: str | None) -> int | None:
        if not self.cooldown_days:
            return None
        return self.cooldown_days.get(bump or "", self.cooldown_days.get("default"))


def _days(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


class Age(NamedTuple):
    """How old the new version is. state: ``known`` (released is set; age too when the clock is known),
    ``unknown`` (the registry could not be asked or did not say; reason says why), ``n/a`` (no registry version:
    a removal, an action, an image)."""

    state: str
    released: dt.datetime | None = None
    age: dt.timedelta | None = None
    reason: str | None = None


class ProvenanceState(NamedTuple):
    """Where the new version came from, by the registry's word (unverified). state: ``publisher`` (a trusted
    publisher or attestation naming who built it), ``attested`` (an attestation whose publisher is not known),
    ``none`` (the registry says there is none), ``downgrade`` (weaker than before), ``unknown``, ``n/a``."""

    state: str
    evidence: str | None = None
    publisher: str | None = None  # "GitHub owner/repo (release.yml)"
    repository: str | None = None  # owner/repo on GitHub, when the publisher is GitHub
    workflow: str | None = None
    before: str | None = None  # the previous version's evidence, in words, when known
    reason: str | None = None


class Action(NamedTuple):
    """The one thing that unblocks a change: a title, the specifics (plain text), an optional command or YAML line
    to copy, and the other rules that also block it."""

    rule: str
    title: str
    detail: str
    snippet: str | None = None
    also: tuple[str, ...] = ()


class ChangeRisk(NamedTuple):
    """One change, judged and explained; ``position``: its place in the report's changes."""

    position: int
    change: Change
    review: ReviewStatus
    findings: tuple[Finding, ...]
    facts: Facts | None
    risk: str
    blocked: bool
    review_only: bool  # blocked, and only by the review
    status: str | None  # "deleted" / "yanked" by the registry's word, else None
    age: Age
    provenance: ProvenanceState
    hashes: str  # verified | pinned | missing | mismatch | sha | tag | digest | bundled | n/a
    hash_count: int
    install_scripts: str  # yes | new | no | unknown | n/a
    action: Action | None

    @property
    def name(self) -> str:
        return self.change.name

    @property
    def direct(self) -> bool:
        return self.change.dependency.direct

    @property
    def sort_key(self) -> tuple[int, int, str, str, int]:
        """Riskiest first; blocked before passing within a risk; then by name."""
        return (RISK_RANK[self.risk], 0 if self.blocked else 1, self.name.lower(), self.name, self.position)


class Counts(NamedTuple):
    changes: int
    blocked: int
    review_only: int
    blocks: int
    warns: int
    infos: int
    waived: int
    unknown: int


class Summary(NamedTuple):
    """The whole risk summary. ``state``: the verdict as a reviewer reads it — ``block``, ``review`` (blocked only
    because a review is missing), ``warn`` or ``pass``."""

    verdict: str
    state: str
    changes: tuple[ChangeRisk, ...]  # in the report's order
    loose: tuple[Finding, ...]  # findings about no single change (a manifest's index, an expired exception)
    loose_actions: tuple[tuple[Finding, Action], ...]
    counts: Counts
    judged_all: bool
    by_risk: tuple[ChangeRisk, ...] = ()  # the changes riskiest first, then by name

    @property
    def words(self) -> str:
        return VERDICT_WORDS[self.state]

    def ranked(self) -> list[ChangeRisk]:
        return list(self.by_risk)


# --- facts ------------------------------------------------------------------------------------------------------


def facts_index(report: Report) -> dict[tuple[str, str, str], Facts]:
    """Report.facts keyed as the policy engine keys them: (ecosystem, name, version)."""
    index: dict[tuple[str, str, str], Facts] = {}
    for facts in report.facts:
        index.setdefault((facts.ecosystem, facts.name, facts.version), facts)
    return index


def run_clock(report: Report) -> dt.datetime | None:
    """The run's clock (``--now``, or the time it ran) as the facts stage recorded it (``Facts.as_of``), so that
    ages read the same in every format without the renderer looking at a clock of its own."""
    for facts in report.facts:
        stamp = getattr(facts, "as_of", UNKNOWN)
        if isinstance(stamp, dt.datetime):
            return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.timezone.utc)
    return None


def _fact(facts: Facts | None, name: str) -> object:
    """A field of Facts, UNKNOWN when the run has no facts for the version."""
    return UNKNOWN if facts is None else getattr(facts, name)


def describe_publisher(publisher: Publisher) -> str:
    """``GitHub owner/repo (release.yml, environment pypi)``; a publisher that names no repository by its kind."""
    text = " ".join(part for part in (publisher.kind, publisher.repository) if part) or "a trusted publisher"
    if publisher.workflow:
        text += f" ({publisher.workflow}" + (f", environment {publisher.environment})" if publisher.environment else ")")
    return text


def _earlier(facts: Facts | None, before: Facts | None) -> tuple[str | Unknown, str | None]:
    """The strongest evidence published before the new version, and in words. The facts stage gives it as
    ``prior_evidence`` (any version published strictly earlier, as pnpm's no-downgrade reads it); without that,
    the old version's own evidence when its facts are in the report."""
    prior = facts.prior_evidence if facts is not None else UNKNOWN
    if isinstance(prior, str):
        version = facts.prior_version if facts is not None else None
        return prior, evidence_words(prior) + (f" ({version})" if version and prior != "none" else "")
    old = before.evidence if before is not None else UNKNOWN
    if isinstance(old, str):
        return old, evidence_words(old)
    return UNKNOWN, None


def _provenance(change: Change, facts: Facts | None, before: Facts | None, findings: list[Finding]) -> ProvenanceState:
    dep = change.after
    if dep is None or dep.ecosystem not in REGISTRY_ECOSYSTEMS:
        return ProvenanceState("n/a")
    value = facts.provenance if facts is not None else UNKNOWN
    evidence = facts.evidence if facts is not None else UNKNOWN
    before_evidence, before_words = _earlier(facts, before)
    publisher = repository = workflow = None
    if value is not None and not isinstance(value, Unknown):
        publishers = value.publishers
        if not isinstance(publishers, Unknown) and publishers:
            ordered = sorted(publishers, key=lambda p: (p.kind or "", p.repository or "", p.workflow or "",
                                                        p.environment or ""))
            first = ordered[0]
            workflow = first.workflow
            publisher = describe_publisher(first) + (f" and {len(ordered) - 1} more" if len(ordered) > 1 else "")
            repository = first.repository if first.kind and first.kind.lower() == "github" else None
    downgraded = any(f.rule == "provenance-downgrade" and not f.unknown for f in findings) or (
        isinstance(evidence, str) and isinstance(before_evidence, str) and weaker(evidence, before_evidence)
    )
    known = evidence if isinstance(evidence, str) else None
    if downgraded:
        return ProvenanceState("downgrade", known, publisher, repository, workflow, before_words)
    if known is None:
        return ProvenanceState("unknown", reason=_reason(facts), before=before_words)
    if known == "none":
        return ProvenanceState("none", known, publisher, repository, workflow, before_words)
    return ProvenanceState("publisher" if publisher else "attested", known, publisher, repository, workflow,
                           before_words)


def _reason(facts: Facts | None) -> str:
    if facts is None:
        return "the registry was not asked"
    return facts.reason or "the registry did not say"


def _age(change: Change, facts: Facts | None, now: dt.datetime | None) -> Age:
    dep = change.after
    if dep is None or dep.ecosystem not in REGISTRY_ECOSYSTEMS:
        return Age("n/a")
    released = _fact(facts, "release_time")
    if not isinstance(released, dt.datetime):
        return Age("unknown", reason=_reason(facts))
    if released.tzinfo is None:
        released = released.replace(tzinfo=dt.timezone.utc)
    age = max(now - released, dt.timedelta(0)) if now is not None else None
    return Age("known", released.astimezone(dt.timezone.utc), age)


def _algorithm(entry: str) -> str:
    return entry.split(":", 1)[0].lower()


def _hashes(change: Change, facts: Facts | None, findings: list[Finding]) -> tuple[str, int]:
    dep = change.after
    if dep is None:
        return "n/a", 0
    if any(f.rule == "hash-mismatch" and not f.unknown for f in findings):
        return "mismatch", len(dep.hashes)
    if dep.ecosystem == "actions":
        return ("sha" if is_full_sha(dep.version) else "tag"), 0
    if dep.ecosystem == "docker":
        version = dep.version or ""
        return ("digest" if "sha256:" in version else "tag"), 0
    if dep.hashes:
        published = _fact(facts, "hashes")
        if isinstance(published, (set, frozenset)) and published:
            algorithms = {_algorithm(h) for h in published}
            comparable = {h.lower() for h in dep.hashes if _algorithm(h) in algorithms}
            lowered = {h.lower() for h in published}
            if comparable:
                return ("verified" if comparable <= lowered else "mismatch"), len(dep.hashes)
        return "pinned", len(dep.hashes)
    if dep.bundled:
        return "bundled", 0
    from checker.manifests import format_for

    fmt = format_for(dep.manifest)
    if dep.version is None or (fmt is not None and fmt.name in _DECLARED_FORMATS) or dep.manifest.endswith(".in"):
        return "n/a", 0
    return "missing", 0


def _scripts_of(dep: Any, facts: Facts | None) -> bool | None:
    if dep is None:
        return None
    if dep.install_script is not None:
        return bool(dep.install_script)
    value = _fact(facts, "install_script")
    return value if isinstance(value, bool) else None


def _install_scripts(change: Change, facts: Facts | None, before: Facts | None) -> str:
    dep = change.after
    if dep is None or dep.ecosystem != "npm":
        return "n/a"
    now_runs = _scripts_of(dep, facts)
    if now_runs is None:
        return "unknown"
    if not now_runs:
        return "no"
    had = _scripts_of(change.before, before) if change.before is not None else None
    return "new" if had is False or change.before is None else "yes"


def _status(facts: Facts | None) -> str | None:
    """``deleted`` / ``yanked`` by the registry's word in this run (a cached copy that may predate a version
    leaves ``exists`` unknown: never "deleted")."""
    if _fact(facts, "exists") is False:
        return "deleted"
    if _fact(facts, "yanked") is True:
        return "yanked"
    return None


# --- risk and actions ---------------------------------------------------------------------------------------------


def _risk(change: Change, findings: list[Finding], status: str | None, hashes: str, provenance: ProvenanceState) -> str:
    counting = [f for f in findings if f.counts and f.rule != "review"]
    if any(f.level == "block" and not f.unknown for f in counting):
        return "high"
    if any(f.level in ("block", "warn") for f in counting):
        return "medium"
    if status is not None or hashes == "mismatch" or provenance.state == "downgrade":
        return "medium"
    if change.kind in ("removed", *INFO_KINDS) and not any(f.counts for f in findings):
        return "none"  # nothing new is installed
    return "low"


def rule_rank(rule_id: str) -> int:
    """Which rule's action comes first when several block one change (the rule's ``action_rank``)."""
    return _rank(rule_id)


def _rank(rule_id: str) -> int:
    rule = rule_by_id(rule_id)
    return rule.action_rank if rule is not None else DEFAULT_ACTION_RANK


def action_title(rule_id: str) -> str:
    """What the rule asks for, in a few words."""
    rule = rule_by_id(rule_id)
    return rule.action if rule is not None and rule.action else f"Resolve {rule_id}"


def asks_review(rule_id: str) -> bool:
    """Whether the rule asks only for a review (a change blocked by nothing else "needs review")."""
    rule = rule_by_id(rule_id)
    return rule is not None and rule.asks_review


def _offers_exception(rule_id: str) -> bool:
    rule = rule_by_id(rule_id)
    return rule is not None and rule.offers_exception


def join_names(names: tuple[str, ...] | list[str], conjunction: str = "or") -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def exception_snippet(finding: Finding, now: dt.datetime | None) -> str:
    """The policy line that would waive the finding: by its advisory when it names one (the exception then covers
    that advisory only, not the next one found in the same version), else by package and version."""
    dep = finding.dependency
    package = f"{dep.key}@{dep.display_version()}" if dep is not None else "ECOSYSTEM:NAME"
    expires = (now + dt.timedelta(days=EXCEPTION_DAYS)).date().isoformat() if now is not None else "YYYY-MM-DD"
    if finding.advisory is not None:
        return f'- {{rule: {finding.rule}, advisory: {finding.advisory.id}, reason: "…", expires: {expires}}}'
    return f'- {{rule: {finding.rule}, package: "{package}", reason: "…", expires: {expires}}}'


def _review_action(finding: Finding, change: Change | None, review: ReviewState | None,
                   policy: PolicyView | None, head: str) -> Action:
    """Who must approve, from the pull request's review state or the policy; without either, the finding's own
    hint (which names the policy's reviewers and the ledger command)."""
    if review is None and policy is None:
        return Action("review", action_title("review"), finding.hint or finding.message)
    reviewers = review.reviewers if review is not None and review.reviewers else (policy.reviewers if policy else ())
    label = review.label if review is not None and review.label else (policy.label if policy else None)
    who = join_names(list(reviewers)) if reviewers else "a maintainer (an owner, member or collaborator)"
    detail = f"an approval by {who} on the head commit {_short(head)}"
    if label:
        detail += f", or the label {label} applied by {'one of them' if len(reviewers) > 1 else 'them'} after the latest push"
    snippet = None
    if change is not None:
        from checker.review.ledger import review_command

        detail += ", or an entry in the review ledger on the base branch:"
        snippet = review_command(change).replace('"..."', '"…"')
    return Action("review", action_title("review"), detail, snippet)


_FULL_SHA_LOWER = re.compile(r"[0-9a-f]{40}")


def _short(rev: str) -> str:
    return rev[:12] if _FULL_SHA_LOWER.fullmatch(rev) else rev


def _release_age_action(finding: Finding, change: Change | None, facts: Facts | None, policy: PolicyView | None,
                        now: dt.datetime | None) -> Action:
    released = _fact(facts, "release_time")
    days = policy.cooldown(change.bump if change is not None else None) if policy is not None else None
    if isinstance(released, dt.datetime) and days is not None:
        if released.tzinfo is None:
            released = released.replace(tzinfo=dt.timezone.utc)
        ends = (released + dt.timedelta(days=days)).astimezone(dt.timezone.utc)
        detail = f"the {days}-day cooldown ends on {ends:%Y-%m-%d %H:%M} UTC"
        if now is not None and ends > now:
            detail += f" (in {age_words(ends - now)})"
        detail += f"; the version was released on {released.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    else:
        detail = finding.hint or finding.message
    return Action("release-age", action_title("release-age"), detail + "; for an urgent fix, write an exception:",
                  exception_snippet(finding, now))


def action_for(findings: list[Finding], change: Change | None, facts: Facts | None, *, head: str,
               review: ReviewState | None = None, policy: PolicyView | None = None,
               now: dt.datetime | None = None) -> Action | None:
    """The one action that unblocks a change (or a loose finding), from its counting blocking findings."""
    blocking = [f for f in findings if f.counts and f.level == "block"]
    if not blocking:
        return None
    ordered = sorted(blocking, key=lambda f: (_rank(f.rule), f.unknown))
    first = ordered[0]
    also = tuple(dict.fromkeys(f.rule for f in ordered[1:] if f.rule != first.rule))
    if first.unknown:
        how = first.hint or "run where the registry can be reached"
        detail = f"{first.message}; {how}, or accept the risk with an exception:"
        action = Action(first.rule, "Let lockgate find out", detail, exception_snippet(first, now))
    elif first.rule == "review":
        action = _review_action(first, change, review, policy, head)
    elif first.rule == "policy-change":
        # Approved like a bump, but never by the ledger (it may be the very file changed): no ledger command.
        reviewed = _review_action(first, None, review, policy, head)
        action = Action(first.rule, action_title(first.rule), reviewed.detail)
    elif first.rule == "release-age":
        action = _release_age_action(first, change, facts, policy, now)
    else:
        title = action_title(first.rule)
        detail = first.hint or first.message
        snippet = None
        if _offers_exception(first.rule):
            detail += "; or, once checked, write an exception:"
            snippet = exception_snippet(first, now)
        elif first.rule in ("deny", "version-exists", "hash-mismatch"):
            detail = first.message + (f": {first.hint}" if first.hint else "")
        action = Action(first.rule, title, detail, snippet)
    return Action(action.rule, action.title, action.detail, action.snippet, also)


# --- the summary --------------------------------------------------------------------------------------------------


def summarize(report: Report, *, now: dt.datetime | None = None, policy: PolicyView | None = None,
              review: ReviewState | None = None) -> Summary:
    """The risk summary of a report. ``now``: the run's clock (ages, cooldown ends, exception expiry); ``policy``
    and ``review``: who may review, the label, the cooldowns — each optional, with plainer wording without."""
    index = facts_index(report)
    now = now if now is not None else run_clock(report)
    by_change: dict[int, list[Finding]] = {}
    loose: list[Finding] = []
    known = {id(change) for change in report.changes}
    for finding in report.findings:
        if finding.change is not None and id(finding.change) in known:
            by_change.setdefault(id(finding.change), []).append(finding)
        else:
            loose.append(finding)
    rows = []
    for i, change in enumerate(report.changes):
        status_of_review = report.reviews[i] if i < len(report.reviews) else ReviewStatus("not-required")
        findings = by_change.get(id(change), [])
        after = change.after
        facts = index.get((after.ecosystem, after.name, after.version or "")) if after is not None else None
        before = change.before
        before_facts = index.get((before.ecosystem, before.name, before.version or "")) if before is not None else None
        status = _status(facts)
        hashes, count = _hashes(change, facts, findings)
        provenance = _provenance(change, facts, before_facts, findings)
        blocking = [f for f in findings if f.counts and f.level == "block"]
        rows.append(ChangeRisk(
            position=i, change=change, review=status_of_review, findings=tuple(findings), facts=facts,
            risk=_risk(change, findings, status, hashes, provenance), blocked=bool(blocking),
            review_only=bool(blocking) and all(f.rule == "review" for f in blocking), status=status,
            age=_age(change, facts, now), provenance=provenance, hashes=hashes, hash_count=count,
            install_scripts=_install_scripts(change, facts, before_facts),
            action=action_for(findings, change, facts, head=report.head, review=review, policy=policy, now=now),
        ))
    loose_actions = []
    for finding in loose:
        act = action_for([finding], None, None, head=report.head, review=review, policy=policy, now=now)
        if act is not None:
            loose_actions.append((finding, act))
    counting = [f for f in report.findings if f.counts]
    blocks = [f for f in counting if f.level == "block"]
    counts = Counts(
        changes=len(report.changes),
        blocked=sum(1 for row in rows if row.blocked),
        review_only=sum(1 for row in rows if row.review_only),
        blocks=len(blocks),
        warns=sum(1 for f in counting if f.level == "warn"),
        infos=sum(1 for f in counting if f.level == "info"),
        waived=sum(1 for f in report.findings if f.excepted_by),
        unknown=sum(1 for f in counting if f.unknown),
    )
    state = report.verdict
    if state == "block" and blocks and all(asks_review(f.rule) for f in blocks):
        state = "review"
    return Summary(report.verdict, state, tuple(rows), tuple(loose), tuple(loose_actions), counts, report.judged_all,
                   tuple(sorted(rows, key=lambda row: row.sort_key)))


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def headline_counts(summary: Summary) -> str:
    """The counts after the verdict: ``2 of 3 dependency changes blocked · 7 blocking findings · 1 warning``."""
    c = summary.counts
    parts = []
    if summary.judged_all:
        parts.append("all dependencies judged")
    elif not c.changes:
        parts.append("no dependency changes")
    elif c.blocked:
        parts.append(f"{c.blocked} of {plural(c.changes, 'dependency change')} blocked")
    else:
        parts.append(plural(c.changes, "dependency change"))
    if c.blocks:
        parts.append(plural(c.blocks, "blocking finding"))
    if c.warns:
        parts.append(plural(c.warns, "warning"))
    if c.waived:
        parts.append(f"{c.waived} waived")
    if not (c.blocks or c.warns or c.waived):
        parts.append("no findings")
    findings = [f for row in summary.changes for f in row.findings] + list(summary.loose)
    if any(f.advisory is not None for f in findings):
        from checker.report.advisories import advisory_counts

        advisories = advisory_counts(findings, summary.judged_all)
        if advisories:
            parts.append(advisories)
    return " · ".join(parts)


def registry_line(row: ChangeRisk) -> str | None:
    """What the registry said about the new version, in one line of plain text (None for ecosystems lockgate
    asks no registry about)."""
    dep = row.change.after
    if dep is None or dep.ecosystem not in REGISTRY_ECOSYSTEMS:
        score = scorecard_words(row.facts) if dep is not None else None  # an action's own repository
        return f"source: {score}" if score else None
    if row.facts is None:
        return "registry: not asked (unknown)"
    parts = []
    exists = _fact(row.facts, "exists")
    if exists is False:
        parts.append("the version is not listed (deleted or never published)")
    if row.age.state == "known" and row.age.released is not None:
        parts.append(f"released {row.age.released:%Y-%m-%d %H:%M} UTC"
                     + (f" ({age_words(row.age.age)} earlier)" if row.age.age is not None else ""))
    elif exists is not False:
        parts.append("release time unknown")
    yanked = _fact(row.facts, "yanked")
    if yanked is True:
        reason = _fact(row.facts, "yanked_reason")
        parts.append(f"yanked ({reason})" if isinstance(reason, str) and reason else "yanked")
    deprecated = _fact(row.facts, "deprecated")
    if isinstance(deprecated, str) and deprecated:
        parts.append(f"deprecated ({deprecated})")
    prov = row.provenance
    if prov.state in ("publisher", "attested"):
        parts.append(f"provenance: {prov.publisher or evidence_words(prov.evidence or '')}")
    elif prov.state == "none":
        parts.append("provenance: none published")
    elif prov.state == "downgrade":
        was = f" (an earlier version had {prov.before})" if prov.before else ""
        parts.append(f"provenance: downgraded to {evidence_words(prov.evidence) if prov.evidence else 'unknown'}{was}")
    elif exists is not False and dep is not None and dep.ecosystem in PROVENANCE_ECOSYSTEMS:
        parts.append("provenance unknown")  # (elsewhere the registry publishes none lockgate reads: nothing to say)
    license = _fact(row.facts, "license")
    if isinstance(license, str) or (license is None and exists is not False):  # looked up (the license rule is on)
        text = license if license is not None else "none recognisable"
        prior = _fact(row.facts, "prior_license")
        known_prior = isinstance(prior, str) or prior is None
        was = f" (was {prior or 'none recognisable'})" if known_prior and prior != license else ""
        parts.append(f"license: {text}{was}")
    score = scorecard_words(row.facts)
    if score:
        parts.append(score)
    if row.hashes == "verified":
        parts.append("hashes match the registry's")
    elif row.hashes == "mismatch":
        parts.append("hashes differ from the registry's")
    text = "registry: " + ", ".join(parts)
    if row.facts.reason and (row.age.state == "unknown" or prov.state == "unknown" or exists is False):
        text += f" — {row.facts.reason}"
    return text


def scorecard_words(facts: Facts | None) -> str | None:
    """``scorecard 6.4/10 (github.com/owner/repo)``, or that there is none; None when Scorecard was not asked (the
    rule is off) or could not be (the rule's unknown finding says so)."""
    card = _fact(facts, "scorecard")
    repo = _fact(facts, "repository")
    if isinstance(card, Scorecard) and isinstance(repo, SourceRepository):
        from checker.rules.scorecard import describe_score

        return f"scorecard {describe_score(card).split(' ')[0]} ({repo.describe()})"
    if card is None:
        return f"no scorecard ({repo.describe()} not scored)" if isinstance(repo, SourceRepository) else \
            "no scorecard (no source repository named)"
    return None


def scorecard_link(facts: Facts | None) -> tuple[str, str] | None:
    """(text, URL) of the Scorecard page of the version's source repository, when Scorecard scored it."""
    card, repo = _fact(facts, "scorecard"), _fact(facts, "repository")
    if not isinstance(card, Scorecard) or not isinstance(repo, SourceRepository):
        return None
    from checker.rules.scorecard import viewer_url

    return f"OpenSSF Scorecard of {repo.describe()}", viewer_url(repo)


def source_tag(row: ChangeRisk) -> tuple[str | None, str | None, str | None]:
    """(repository, tag, commit) of the new version's source when known: an action's repository with the tag it
    names (the ref, or the version comment of a commit pin) and the commit; a package's publisher repository."""
    dep = row.change.after
    if dep is None:
        return None, None, None
    if dep.ecosystem == "actions":
        repo = repository_of(dep.name)
        if is_full_sha(dep.version):
            return repo, version_label(dep.label), dep.version
        return repo, dep.version, None
    return row.provenance.repository, None, None
