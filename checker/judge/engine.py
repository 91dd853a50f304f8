"""The policy engine: run every enabled rule over the subjects, apply exceptions and review, and decide.

Pure: it takes manifests, changes, facts and review evidence, and returns findings and a verdict. Levels come
from the policy; a rule may only lower its level for a milder sub-case, never raise it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Iterable, Mapping, NamedTuple, Sequence

from checker.model import LEVEL_RANK, Change, Facts, Finding, Manifest, ReviewStatus
from checker.policy.load import Policy, PolicyException, known_bad
from checker.redaction import redact_credentials  # a URL a rule quotes never shows its credentials
from checker.rules import all_rules
from checker.rules.base import Issue, Rule, Subject

if TYPE_CHECKING:
    from checker.policy.compare import PolicyChange
    from checker.review.ledger import LedgerEntry


class Judgement(NamedTuple):
    findings: tuple[Finding, ...]
    reviews: tuple[ReviewStatus, ...]
    verdict: str


def _rule_options(rule: Rule, policy: Policy) -> Mapping[str, Any]:
    options = policy.rules[rule.id].options
    if rule.id == "deny" and options.get("known-bad"):
        return {**options, "packages": tuple(options["packages"]) + known_bad()}
    if rule.id == "registry-config":  # the hosts registry-source allows, kept in one place
        return {**options, "hosts": policy.rules["registry-source"].options["hosts"]}
    return options


def _level(configured: str, issue: Issue, on_unknown: str) -> str:
    """A finding's level: the rule's, lowered by the issue's own milder level or, for a fact that could not be found
    out, by ``on-unknown``. A finding at ``off`` is dropped, except an unknown one (``on-unknown: off``): it is
    kept at level off, which never counts and which the reports for people leave out, so that the JSON output
    still tells a tool what was not checked."""
    if issue.unknown:
        wanted = on_unknown
    elif issue.level is not None:
        wanted = issue.level
    else:
        return configured
    return wanted if LEVEL_RANK[wanted] < LEVEL_RANK[configured] else configured


def subjects_for_changes(
    changes: Sequence[Change], head: Sequence[Manifest], facts: Mapping[tuple[str, str, str], Facts]
) -> list[Subject]:
    by_path = {m.path: m for m in head}
    out = []
    for change in changes:
        dep = change.after
        if dep is None or dep.manifest not in by_path:
            continue
        before = change.before
        before_facts = facts.get((before.ecosystem, before.name, before.version or "")) if before is not None else None
        out.append(Subject(dep, by_path[dep.manifest], change, facts.get((dep.ecosystem, dep.name, dep.version or "")),
                           before_facts))
    return out


def subjects_for_all(head: Sequence[Manifest], facts: Mapping[tuple[str, str, str], Facts]) -> list[Subject]:
    return [
        Subject(dep, manifest, None, facts.get((dep.ecosystem, dep.name, dep.version or "")))
        for manifest in head
        for dep in manifest.dependencies
    ]


def _run_rules(
    subjects: Sequence[Subject],
    manifest_pairs: Sequence[tuple[Manifest, Manifest | None]],
    policy: Policy,
) -> list[Finding]:
    findings: list[Finding] = []
    for rule in all_rules().values():
        configured = policy.rules[rule.id].level
        if configured == "off" or (rule.check_dependency is None and rule.check_manifest is None):
            continue
        options = _rule_options(rule, policy)
        if rule.check_dependency is not None:
            for subject in subjects:
                for issue in rule.check_dependency(subject, options):
                    level = _level(configured, issue, policy.on_unknown)
                    if level == "off" and not issue.unknown:
                        continue
                    dep = subject.dependency
                    findings.append(
                        Finding(
                            rule.id, level, redact_credentials(issue.message), dep, subject.change, dep.manifest,
                            issue.line or dep.line, issue.hint and redact_credentials(issue.hint), unknown=issue.unknown,
                            advisory=issue.advisory, cause=redact_credentials(issue.cause) if issue.unknown else "",
                        )
                    )
        if rule.check_manifest is not None:
            for head, base in manifest_pairs:
                for issue in rule.check_manifest(head, base, options):
                    level = _level(configured, issue, policy.on_unknown)
                    if level != "off" or issue.unknown:
                        findings.append(
                            Finding(rule.id, level, redact_credentials(issue.message), None, None, head.path,
                                    issue.line, issue.hint and redact_credentials(issue.hint), unknown=issue.unknown,
                                    cause=redact_credentials(issue.cause) if issue.unknown else "")
                        )
    return findings


def _apply_exceptions(findings: list[Finding], policy: Policy, today: dt.date) -> list[Finding]:
    """Waive findings an unexpired exception covers; report every expired exception once."""
    out: list[Finding] = []
    expired_level = policy.rules["exception-expired"].level
    for exception in policy.exceptions:
        if exception.expires < today and expired_level != "off":
            out.append(
                Finding(
                    "exception-expired",
                    expired_level,
                    f"exception for {exception.rule} on {exception.covers} expired on "
                    f"{exception.expires.isoformat()} ({exception.reason})",
                    manifest=exception.path,
                    line=exception.line,
                    hint="renew it with a new expiry date and reason, or remove it",
                )
            )
    active = [e for e in policy.exceptions if e.expires >= today]
    for finding in findings:
        waiver = next((e for e in active if waives(e, finding)), None)
        if waiver is not None:
            finding = finding._replace(
                excepted_by=f"{waiver.reason} (until {waiver.expires.isoformat()}, {waiver.origin})")
        out.append(finding)
    return out


def waives(exception: PolicyException, finding: Finding) -> bool:
    """Whether an (unexpired) exception covers a finding: its rule (``*``: any, but never malicious), its package
    when it names one, and when it names an advisory, the finding's advisory by id or alias, in any case. A
    malicious finding is waived only by an exception for rule malicious that names its advisory."""
    dep = finding.dependency
    if dep is None or exception.rule not in ("*", finding.rule):
        return False
    if exception.package is not None and not exception.package.matches(dep.ecosystem, dep.name, dep.version):
        return False
    if finding.rule == "malicious" and (exception.rule != "malicious" or exception.advisory is None):
        return False
    if exception.advisory is None:
        return True
    advisory = finding.advisory
    return advisory is not None and exception.advisory.upper() in {n.strip().upper() for n in (advisory.id, *advisory.aliases)}


def _review_findings(
    changes: Sequence[Change], statuses: Sequence[ReviewStatus], policy: Policy, local: bool = False
) -> Iterable[Finding]:
    """One finding per change that still needs a review, with the fix that applies where lockgate runs. In a pull
    request: an approval, or the ledger entry on the base branch. Judging local work (the hook, ``check --staged``,
    ``check`` of the work tree) there is no pull request to approve yet: the ledger entry recorded with the change
    (in the index or the work tree) lets it through, so that is the one step to offer."""
    level = policy.rules["review"].level
    if level == "off":
        return
    who = ", ".join(policy.review.reviewers) if policy.review.reviewers else "a maintainer"
    for change, status in zip(changes, statuses):
        if status.state != "required":
            continue
        dep = change.dependency
        before = change.before.display_version() if change.before else None
        after = change.after.display_version() if change.after else None
        if change.kind == "added":
            what = f"new dependency {dep.name} {after}"
        elif change.kind == "removed":
            what = f"removal of {dep.name} {before}"
        else:
            what = f"{change.kind} {dep.name} {before} -> {after}"
        from checker.review.ledger import review_command

        ledger_cmd = review_command(change)
        if local:  # the command in backticks: the comment sets it in code, to copy
            hint = f"record the review in the ledger, committed with this change: `{ledger_cmd}`"
        else:
            hint = f"approve the pull request as {who}, or record the review on the base branch: `{ledger_cmd}`"
        yield Finding(
            "review",
            level,
            f"{what} needs a review by {who}",
            change.after or change.before,
            change,
            dep.manifest,
            dep.line,
            hint,
        )


def _policy_change_findings(
    changes: Sequence[PolicyChange], policy: Policy, pull_request_evidence: str | None, local: bool
) -> Iterable[Finding]:
    """One finding per edit of the gate (policy, extended file, ledger). It needs a review like a bump: the pull
    request's evidence (an approval of the head, the label) reviews it, the ledger never does (it may be the very
    thing edited). Judging local work it is at most a warning: the review happens in the pull request. An edit
    that changes no effect is only information."""
    from checker.rules.policy_change import HINT, LOCAL_HINT, describe

    configured = policy.rules["policy-change"].level
    if configured == "off":
        return
    for change in changes:
        message = describe(change)
        hint: str | None
        level, hint = configured, HINT
        if change.diff.empty:
            level, hint = "info", None
        elif pull_request_evidence is not None:
            level, hint, message = "info", None, f"{message} (reviewed: {pull_request_evidence})"
        elif local:
            level = "warn" if LEVEL_RANK[configured] > LEVEL_RANK["warn"] else configured
            hint = LOCAL_HINT
        yield Finding("policy-change", level, message, manifest=change.path, line=change.line, hint=hint)


def verdict_of(findings: Iterable[Finding]) -> str:
    worst = max((LEVEL_RANK[f.level] for f in findings if f.counts), default=0)
    return "block" if worst >= LEVEL_RANK["block"] else "warn" if worst >= LEVEL_RANK["warn"] else "pass"


def _review_statuses(changes: Sequence[Change], policy: Policy, ledger: Sequence[LedgerEntry],
                     pull_request_evidence: str | None) -> tuple[ReviewStatus, ...]:
    """Review states of the changes; the review machinery is imported only when there are changes to review
    (``check --all`` and a run with no dependency change never need it)."""
    if not changes:
        return ()
    from checker.review.decision import review_statuses

    return tuple(review_statuses(changes, policy.review, ledger, pull_request_evidence))


def judge(
    changes: Sequence[Change],
    base: Sequence[Manifest],
    head: Sequence[Manifest],
    policy: Policy,
    *,
    today: dt.date,
    facts: Mapping[tuple[str, str, str], Facts] | None = None,
    ledger: Sequence[LedgerEntry] = (),
    pull_request_evidence: str | None = None,
    judge_all: bool = False,
    policy_changes: Sequence[PolicyChange] = (),
    local: bool = False,
) -> Judgement:
    """Findings, review states and the verdict for a set of changes (or, with judge_all, for all of head).
    ``policy_changes``: edits of the policy or ledger (checker.judge.policy_edits.PolicyChange); ``local``: judging
    the index or the work tree rather than revisions (a policy change then warns: it is reviewed in the pull
    request)."""
    facts = facts or {}
    if judge_all:
        subjects = subjects_for_all(head, facts)
        pairs: list[tuple[Manifest, Manifest | None]] = [(m, None) for m in head]
    else:
        subjects = subjects_for_changes(changes, head, facts)
        base_by_path = {m.path: m for m in base}
        pairs = [(m, base_by_path.get(m.path)) for m in head]
        # A manifest the change deletes is judged as one that lists nothing: what its removal turns off (an
        # `ignore-scripts=true` in a deleted .npmrc) is seen by the rules that compare with the base.
        head_paths = {m.path for m in head}
        pairs += [(m._replace(dependencies=(), indexes=(), problems=(), commands=(), includes=()), m)
                  for m in base if m.path not in head_paths]
    findings = _run_rules(subjects, pairs, policy)
    statuses = _review_statuses(changes, policy, ledger, pull_request_evidence)
    findings.extend(_review_findings(changes, statuses, policy, local))
    findings.extend(_policy_change_findings(policy_changes, policy, pull_request_evidence, local))
    findings = _apply_exceptions(findings, policy, today)
    findings.sort(key=lambda f: (f.manifest or "", f.line or 0, -LEVEL_RANK[f.level], f.rule))
    return Judgement(tuple(findings), statuses, verdict_of(findings))
