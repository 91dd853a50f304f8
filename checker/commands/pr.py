"""``lockgate pr``: one run of the gate inside GitHub Actions.

Reads the event, opens the base and head trees (git, else the GitHub API), judges the changes with the policy of
the base, gathers review evidence from the pull request only when a change still needs it, and then publishes:
the text report and workflow annotations in the log, the summary in ``GITHUB_STEP_SUMMARY``, the sticky comment,
the ``lockgate`` commit status, the step outputs, and SARIF when asked. Publishing never decides the outcome: a
token that may not comment or set a status (a pull request from a fork) costs a warning naming the permission,
and the exit code still comes from the verdict.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from typing import TYPE_CHECKING, Any, Callable, Mapping, NamedTuple, TypeVar

from checker.errors import LockgateError, UsageError
from checker.github.api import DEFAULT_API_URL, DEFAULT_BUDGET, ApiSettings, GitHubApiError, GitHubClient, Redactor
from checker.github.event import EventContext, read_event
from checker.github.runner import OUTPUT_LIMIT, SUMMARY_LIMIT, Log, append_summary, write_outputs
from checker.model import Report
from checker.review.decision import PullRequestDecision

if TYPE_CHECKING:
    from checker.github.comment import CommentResult
    from checker.policy.load import ReviewPolicy

_T = TypeVar("_T")

COMMENT_MODES = ("always", "on-change", "on-failure", "never")
FAIL_ON = ("block", "warn", "never")
_STATES = {"pass": "success", "warn": "success", "block": "failure"}


class PrOptions(NamedTuple):
    """The command line of ``lockgate pr`` (the action's inputs)."""

    directory: str = "."
    policy_file: str | None = None
    comment: str = "on-change"
    fail_on: str = "block"
    offline: bool = False
    base: str | None = None
    head: str | None = None
    sarif_file: str | None = None
    now: dt.datetime | None = None


class _ReviewBox:
    """What the review-evidence callback learnt, for the comment (filled at most once per run)."""

    def __init__(self) -> None:
        self.decision: PullRequestDecision | None = None
        self.reviewers: tuple[str, ...] = ()
        self.label: str | None = None


def fails(verdict: str, fail_on: str) -> bool:
    return fail_on != "never" and (verdict == "block" or (verdict == "warn" and fail_on == "warn"))


def exit_code(report: Report, fail_on: str) -> int:
    from checker.pipeline.run import exit_code as verdict_code

    if not fails(report.verdict, fail_on):
        return 0
    return verdict_code(report) if report.verdict == "block" else 1


def _client(env: Mapping[str, str], ctx: EventContext, redact: Redactor, log: Log) -> GitHubClient | None:
    token = env.get("GITHUB_TOKEN") or env.get("INPUT_GITHUB_TOKEN")
    if not token:
        log.warning("no GITHUB_TOKEN: no comment, no commit status, and pull-request approvals cannot be read")
        return None
    interval = env.get("LOCKGATE_GITHUB_WRITE_INTERVAL")
    settings = ApiSettings(
        token=token,
        repository=ctx.repository,
        url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
        write_interval=float(interval) if interval else 1.0,
        budget=_seconds(env, "LOCKGATE_GITHUB_BUDGET", DEFAULT_BUDGET),
    )
    return GitHubClient(settings, redact)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    """A number of seconds from the environment; a value that is not a positive number is a usage error."""
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise UsageError(f"{name} must be a number of seconds greater than 0; found {text!r}")
    return value


def _run_url(env: Mapping[str, str]) -> str | None:
    server, repository, run = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY"), env.get("GITHUB_RUN_ID")
    return f"{server.rstrip('/')}/{repository}/actions/runs/{run}" if server and repository and run else None


def _waiting(report: Report) -> int:
    """Changes waiting for a review: dependency changes, and edits of the policy or ledger (rule policy-change)."""
    policy_edits = sum(1 for f in report.findings if f.rule == "policy-change" and f.counts and f.level == "block")
    return sum(1 for status in report.reviews if status.state == "required") + policy_edits


def _status_text(report: Report, fail_on: str) -> tuple[str, str]:
    from checker.report.text import summary_line

    state = "failure" if fails(report.verdict, fail_on) else "success"
    waiting = _waiting(report)
    if waiting:
        text = f"{waiting} change{'s' if waiting != 1 else ''} waiting for review; " + summary_line(report)
    else:
        text = summary_line(report)
    return state, text


def _should_create(mode: str, report: Report, fail_on: str) -> bool:
    if mode == "always":
        return True
    if mode == "on-change":
        return bool(report.changes) or any(f.counts and f.level != "info" for f in report.findings)
    if mode == "on-failure":
        return report.verdict == "block" or fails(report.verdict, fail_on)
    return False


def _json_list(records: list[dict[str, Any]], what: str, log: Log) -> str:
    """A JSON array for a step output, shortened (most serious first is the caller's order) under the limit."""
    text = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode("utf-8")) <= OUTPUT_LIMIT:
        return text
    low, high = 0, len(records)
    while low < high:
        middle = (low + high + 1) // 2
        if len(json.dumps(records[:middle], ensure_ascii=False, separators=(",", ":")).encode("utf-8")) <= OUTPUT_LIMIT:
            low = middle
        else:
            high = middle - 1
    log.warning(f"the {what} output holds {low} of {len(records)} entries: GitHub limits an output to 1 MB")
    return json.dumps(records[:low], ensure_ascii=False, separators=(",", ":"))


def _outputs(report: Report, comment_url: str | None, log: Log) -> dict[str, str]:
    from checker.report.json_format import change_record, finding_record

    changes = [change_record(c, r) for c, r in zip(report.changes, report.reviews)]
    rank = {"block": 0, "warn": 1, "info": 2, "off": 3}
    findings = [finding_record(f) for f in sorted(report.findings, key=lambda f: rank[f.level])]
    return {
        "verdict": report.verdict,
        "changes": _json_list(changes, "changes", log),
        "findings": _json_list(findings, "findings", log),
        "comment-url": comment_url or "",
    }


def run_pr(options: PrOptions, env: Mapping[str, str], log: Log | None = None) -> int:
    """One gate run; returns the exit code. ``env`` is the runner's environment (``os.environ``)."""
    if options.comment not in COMMENT_MODES:
        raise UsageError(f"--comment must be one of {', '.join(COMMENT_MODES)}; found {options.comment!r}")
    if options.fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on must be one of {', '.join(FAIL_ON)}; found {options.fail_on!r}")
    redact = Redactor(env.get("GITHUB_TOKEN"), env.get("INPUT_GITHUB_TOKEN"))
    log = log or Log(redact)
    ctx = read_event(env, options.base, options.head)
    if ctx.deleted:
        log.info("the push deleted a branch: nothing to judge")
        write_outputs(env.get("GITHUB_OUTPUT"), {"verdict": "pass", "changes": "[]", "findings": "[]", "comment-url": ""}, redact)
        return 0
    client = _client(env, ctx, redact, log)
    try:
        return _judge_and_publish(options, env, ctx, client, log, redact)
    except LockgateError as exc:
        # The run cannot judge (a broken policy on the base, an unreadable manifest): say so where people look.
        # The message names a path or a value from the pull request: escaped for each place it is shown.
        from checker.redaction import redact_credentials
        from checker.report.escape import code, terminal

        message = terminal(redact(redact_credentials(str(exc))))
        if client is not None and ctx.status_sha:
            status_sha = ctx.status_sha  # narrowed here, for the lambda
            _try(log, "set the commit status", lambda: _set_status(client, status_sha, "error", message, env))
        append_summary(env.get("GITHUB_STEP_SUMMARY"), f"### lockgate could not judge this change\n\n{code(message)}", redact)
        write_outputs(env.get("GITHUB_OUTPUT"), {"verdict": "error", "changes": "[]", "findings": "[]", "comment-url": ""}, redact)
        raise


def _set_status(client: GitHubClient, sha: str, state: str, text: str, env: Mapping[str, str]) -> None:
    from checker.github.status import set_status

    set_status(client, sha, state, text, _run_url(env))


def _try(log: Log, what: str, action: Callable[[], _T], ctx: EventContext | None = None) -> _T | None:
    """Run a publishing step; a GitHub refusal becomes a warning that names the missing permission."""
    try:
        return action()
    except GitHubApiError as exc:
        hint = ""
        if exc.forbidden and ctx is not None and ctx.fork and ctx.name in ("pull_request", "pull_request_review"):
            hint = (
                f" This pull request comes from a fork, which gets a read-only token under {ctx.name}; "
                "see docs/action.md, 'Pull requests from forks'."
            )
        elif exc.forbidden:
            hint = " Grant it in the workflow's permissions: block (or pass a token that has it as github-token)."
        log.warning(f"could not {what}: {exc.message}.{hint}")
        return None
    except Exception as exc:  # an answer PyGithub turned into half an object: publishing still never decides
        if os.environ.get("LOCKGATE_DEBUG"):
            raise
        log.warning(f"could not {what}: GitHub's answer could not be read ({type(exc).__name__}: {exc})")
        return None


def _judge_and_publish(
    options: PrOptions, env: Mapping[str, str], ctx: EventContext, client: GitHubClient | None, log: Log, redact: Redactor
) -> int:
    from checker.github.checkout import open_trees
    from checker.report import render
    from checker.report.markdown import COMMENT_LIMIT, ReviewState, render_comment
    from checker.pipeline.run import CheckRequest, run_check

    log.info(f"{ctx.name} on {ctx.repository}: base {(ctx.base or 'parent')[:12]}, head {ctx.head[:12]}"
             + (f", pull request #{ctx.pull_number}" if ctx.pull_number else ""))
    snapshots, policy_tree = open_trees(ctx, options.directory, client, log)
    box = _ReviewBox()

    def review_evidence(review_policy: ReviewPolicy) -> str | None:
        box.reviewers, box.label = review_policy.reviewers, review_policy.label
        if ctx.pull_number is None:
            return None
        if client is None:
            box.decision = PullRequestDecision(None, ("no GITHUB_TOKEN: approvals and the review label cannot be read",))
            return None
        from checker.github.evidence import fetch_evidence
        from checker.review.decision import decide_pull_request

        head = None if ctx.name == "merge_group" else ctx.head
        evidence = fetch_evidence(client, ctx.pull_number, head, review_policy)
        for problem in evidence.problems:
            log.warning(problem)
        box.decision = decide_pull_request(evidence, review_policy)
        return box.decision.evidence

    request = CheckRequest(
        directory=options.directory, base=ctx.base, head=ctx.head, head_mode="rev", policy_file=options.policy_file,
        offline=options.offline, now=options.now,
    )
    report = run_check(request, snapshots, review_evidence=review_evidence, policy_tree=policy_tree)

    log.verbatim(render(report, "text"))
    log.write(render(report, "github"))
    decision = box.decision
    review = ReviewState(
        evidence=decision.evidence if decision else None,
        notes=decision.notes if decision else (),
        reviewers=box.reviewers,
        label=box.label,
        waiting=_waiting(report),
    )
    append_summary(
        env.get("GITHUB_STEP_SUMMARY"),
        render_comment(report, review, limit=SUMMARY_LIMIT - 1024, how_to_see_all="the job log", environ=env),
        redact,
    )

    comment_url = None
    pull_number = ctx.pull_number
    if pull_number is not None and client is not None and options.comment != "never" and ctx.is_pull_request:
        from checker.github.comment import upsert
        from checker.github.evidence import fetch_pull

        def comment() -> CommentResult:
            pull = fetch_pull(client, pull_number)
            return upsert(
                client,
                pull,
                lambda updated: redact(render_comment(report, review, updated=updated, limit=COMMENT_LIMIT,
                                                      environ=env)),
                create=_should_create(options.comment, report, options.fail_on),
            )

        result = _try(log, "update the pull-request comment", comment, ctx)
        if result is not None:
            comment_url = result.url
            if result.action != "skipped":
                log.info(f"comment {result.action}: {result.url}")

    status_sha = ctx.status_sha or (report.head if len(report.head) == 40 else None)
    if client is not None and status_sha:
        state, text = _status_text(report, options.fail_on)
        _try(log, "set the lockgate commit status", lambda: _set_status(client, status_sha, state, text, env), ctx)

    if options.sarif_file:
        with open(options.sarif_file, "w", encoding="utf-8") as handle:
            handle.write(render(report, "sarif"))
        log.info(f"SARIF written to {options.sarif_file}")
    write_outputs(env.get("GITHUB_OUTPUT"), _outputs(report, comment_url, log), redact)
    return exit_code(report, options.fail_on)


def run(args: argparse.Namespace) -> int:
    """Entry from the command line (``checker.cli``)."""
    from checker.commands.options import parse_now

    options = PrOptions(
        directory=args.directory,
        policy_file=args.policy,
        comment=args.comment,
        fail_on=args.fail_on,
        offline=args.offline,
        base=args.base or None,
        head=args.head or None,
        sarif_file=args.sarif or None,
        now=parse_now(args.now),
    )
    return run_pr(options, os.environ)
