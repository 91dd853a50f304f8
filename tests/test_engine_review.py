"""checker.judge.engine.judge end to end on hand-built changes and manifests: levels, exceptions, review
statuses, ledger evidence, verdicts and judge_all; and the review ledger itself (parse, covers, append)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterator, Mapping

import pytest

import checker.rules.deny
from checker.errors import PolicyError, UsageError
from checker.review.ledger import LEDGER_HEADER, LedgerEntry, append_entry, parse_ledger
from checker.model import Change, Dependency, Finding, IndexOption, Manifest, ReviewStatus, Source
from checker.judge.engine import Judgement, judge, verdict_of
from checker.policy.load import Policy, load_policy
from checker.review.decision import needs_review, review_statuses
from checker.rules.base import Issue, Subject

TODAY = dt.date(2026, 4, 1)
POLICY = ".github/lockgate.yml"
LEDGER = ".github/lockgate-reviews.yml"
SHA256 = "sha256:" + "a" * 64
OTHER_SHA256 = "sha256:" + "b" * 64


def dep(
    name: str,
    version: str | None,
    *,
    hashes: tuple[str, ...] = (SHA256,),
    specifier: str | None = None,
    ecosystem: str = "pypi",
    scope: str = "prod",
    direct: bool = True,
    manifest: str = "requirements.txt",
    line: int | None = 3,
    source: Source = Source(),
) -> Dependency:
    if specifier is None:
        specifier = f"=={version}" if version is not None else ""
    return Dependency(
        ecosystem, name, version, specifier, source=source, hashes=frozenset(hashes), scope=scope, direct=direct,
        manifest=manifest, line=line,
    )


def manifest(*deps: Dependency, path: str = "requirements.txt", indexes: tuple[IndexOption, ...] = ()) -> Manifest:
    return Manifest(path, "requirements", "pypi", tuple(deps), indexes=indexes)


def upgrade(name: str, before: str, after: str, bump: str = "minor", **kwargs: Any) -> Change:
    return Change("upgraded", dep(name, before, **kwargs), dep(name, after, **kwargs), bump)


def added(name: str, version: str, **kwargs: Any) -> Change:
    return Change("added", None, dep(name, version, **kwargs))


def removed(name: str, version: str, **kwargs: Any) -> Change:
    return Change("removed", dep(name, version, **kwargs), None)


def policy(text: str | None = None) -> Policy:
    """A policy document on top of the default preset (None: the default preset itself)."""
    return load_policy(None if text is None else "extends: default\n" + text, POLICY, lambda path: None)


def run(changes: list[Change], text: str | None = None, **kwargs: Any) -> Judgement:
    """Judge ``changes`` of requirements.txt; the head manifest holds every dependency they leave behind."""
    head = manifest(*[c.after for c in changes if c.after is not None])
    base = manifest(*[c.before for c in changes if c.before is not None])
    kwargs.setdefault("today", TODAY)
    return judge(changes, [base], [head], policy(text), **kwargs)


def brief(judgement: Judgement) -> list[tuple[str, str]]:
    return [(f.rule, f.level) for f in judgement.findings]


def ledger(text: str) -> tuple[LedgerEntry, ...]:
    return parse_ledger(text, LEDGER)


def ledger_error(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        ledger(text)
    return caught.value


# --- levels ----------------------------------------------------------------------------------------------------


def test_a_reviewed_clean_upgrade_passes() -> None:
    judgement = run([upgrade("requests", "2.31.0", "2.32.3")], pull_request_evidence="approved by alice")
    assert judgement == Judgement((), (ReviewStatus("reviewed", "approved by alice"),), "pass")


def test_a_rule_may_lower_its_level() -> None:
    change = upgrade("requests", "2.31.0", "2.32.3", hashes=())
    judgement = run([change], "rules:\n  hash-pinning: {files-without-hashes: info}\n", pull_request_evidence="ok")
    [finding] = judgement.findings
    assert (finding.rule, finding.level, finding.change, finding.dependency) == ("hash-pinning", "info", change, change.after)
    assert (finding.manifest, finding.line) == ("requirements.txt", 3)
    assert judgement.verdict == "pass"


def test_a_rule_never_raises_its_level_above_the_policy() -> None:
    change = upgrade("requests", "2.31.0", "2.32.3", hashes=())
    text = "rules:\n  hash-pinning: {level: warn, files-without-hashes: block}\n"
    judgement = run([change], text, pull_request_evidence="ok")
    assert brief(judgement) == [("hash-pinning", "warn")]
    assert judgement.verdict == "warn"


def test_a_sub_case_set_to_off_is_dropped() -> None:
    change = upgrade("requests", "2.31.0", "2.32.3", hashes=())
    judgement = run([change], "rules:\n  hash-pinning: {files-without-hashes: 'off'}\n", pull_request_evidence="ok")
    assert judgement.findings == ()


def test_rules_set_to_off_do_not_run() -> None:
    before = dep("requests", None, specifier=">=1", hashes=())
    change = Change("upgraded", before, dep("requests", None, specifier=">=2", hashes=()), "major")
    on = run([change], "rules:\n  hash-pinning: {files-without-hashes: block}\n")
    assert brief(on) == [("exact-pinning", "block"), ("hash-pinning", "block"), ("review", "block")]
    off = run([change], "rules:\n  exact-pinning: 'off'\n  hash-pinning: 'off'\n  review: 'off'\n")
    assert off.findings == ()
    assert off.reviews == (ReviewStatus("required"),)  # review is still tracked, it just does not block
    assert off.verdict == "pass"


def _unknown_check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    yield Issue(f"could not reach the registry for {subject.dependency.name}", unknown=True)


@pytest.mark.parametrize(
    "rule_level, on_unknown, expected",
    [("block", "warn", "warn"), ("block", "block", "block"), ("block", "info", "info"), ("warn", "block", "warn")],
)
def test_on_unknown_sets_the_level_of_unknown_findings(
    monkeypatch: pytest.MonkeyPatch, rule_level: str, on_unknown: str, expected: str
) -> None:
    monkeypatch.setattr(checker.rules.deny, "RULE", checker.rules.deny.RULE._replace(check_dependency=_unknown_check))
    text = f"on-unknown: {on_unknown}\nrules:\n  deny: {rule_level}\n"
    judgement = run([upgrade("requests", "2.31.0", "2.32.3")], text, pull_request_evidence="ok")
    [finding] = judgement.findings
    assert (finding.rule, finding.level, finding.unknown) == ("deny", expected, True)
    assert finding.message == "could not reach the registry for requests"
    assert judgement.verdict == {"info": "pass", "warn": "warn", "block": "block"}[expected]


# --- exceptions ------------------------------------------------------------------------------------------------


RANGE_CHANGE = Change(
    "upgraded", dep("legacy", None, specifier=">=1"), dep("legacy", None, specifier=">=2", line=7), "major"
)
# The range sits in a file in pip's hash-checking mode, which hash-pinning also reports; these tests are about
# exceptions, so they turn hash-pinning off (two lines, before the exceptions).
NO_HASH_PINNING = "rules:\n  hash-pinning: 'off'\n"


def test_an_exception_waives_a_finding() -> None:
    text = NO_HASH_PINNING + (
        "exceptions:\n"
        "  - {rule: exact-pinning, package: 'pypi:legacy', reason: migrating to uv, expires: 2026-04-01}\n"
    )
    judgement = run([RANGE_CHANGE], text, pull_request_evidence="ok")
    [finding] = judgement.findings
    assert (finding.rule, finding.level) == ("exact-pinning", "block")
    assert finding.excepted_by == f"migrating to uv (until 2026-04-01, {POLICY}:5)"  # valid through its expiry day
    assert finding.counts is False
    assert judgement.verdict == "pass"


def test_an_exception_for_every_rule() -> None:
    text = NO_HASH_PINNING + "exceptions:\n  - {rule: '*', package: 'pypi:leg*', reason: vendored, expires: 2027-01-31}\n"
    judgement = run([RANGE_CHANGE], text)
    assert [(f.rule, f.excepted_by is not None) for f in judgement.findings] == [("exact-pinning", True), ("review", True)]
    assert judgement.verdict == "pass"


def test_an_exception_only_covers_its_rule_package_and_version() -> None:
    text = NO_HASH_PINNING + (
        "exceptions:\n"
        "  - {rule: hash-pinning, package: 'pypi:legacy', reason: r, expires: 2027-01-31}\n"
        "  - {rule: exact-pinning, package: 'pypi:other', reason: r, expires: 2027-01-31}\n"
        "  - {rule: exact-pinning, package: 'npm:legacy', reason: r, expires: 2027-01-31}\n"
        "  - {rule: exact-pinning, package: 'pypi:legacy@1.0', reason: r, expires: 2027-01-31}\n"
    )
    judgement = run([RANGE_CHANGE], text, pull_request_evidence="ok")
    [finding] = judgement.findings
    assert (finding.rule, finding.excepted_by) == ("exact-pinning", None)
    assert judgement.verdict == "block"


def test_an_expired_exception_waives_nothing_and_is_reported() -> None:
    text = NO_HASH_PINNING + (
        "\n"
        "exceptions:\n"
        "  - {rule: exact-pinning, package: 'pypi:legacy', reason: migrating, expires: 2026-03-31}\n"
    )
    judgement = run([RANGE_CHANGE], text, pull_request_evidence="ok")
    assert judgement.findings == (
        Finding(
            "exception-expired", "warn",
            "exception for exact-pinning on pypi:legacy expired on 2026-03-31 (migrating)",
            manifest=POLICY, line=6, hint="renew it with a new expiry date and reason, or remove it",
        ),
        Finding(
            "exact-pinning", "block",
            ">=2 is a range: what gets installed depends on the day it is installed, and a release published "
            "minutes ago qualifies",
            RANGE_CHANGE.after, RANGE_CHANGE, "requirements.txt", 7,
            "pin an exact version: legacy==X.Y.Z (pip-compile writes exact pins for you)",
        ),
    )
    assert judgement.verdict == "block"


def test_expired_exceptions_follow_the_rule_level() -> None:
    text = "exceptions:\n  - {rule: deny, package: 'pypi:x', reason: r, expires: 2020-01-01}\n"
    assert brief(run([], text)) == [("exception-expired", "warn")]
    assert run([], text).verdict == "warn"
    assert brief(run([], text + "rules:\n  exception-expired: block\n")) == [("exception-expired", "block")]
    assert run([], text + "rules:\n  exception-expired: 'off'\n").findings == ()


def test_an_expired_exception_is_reported_even_without_changes() -> None:
    strict = load_policy(
        "extends: strict\nexceptions:\n  - {rule: deny, package: 'pypi:x', reason: r, expires: 2026-01-01}\n",
        POLICY, lambda path: None,
    )
    judgement = judge([], [], [], strict, today=TODAY)
    assert brief(judgement) == [("exception-expired", "block")]


# --- review ----------------------------------------------------------------------------------------------------


def test_review_required_without_evidence() -> None:
    change = upgrade("requests", "2.31.0", "2.32.3")
    judgement = run([change])
    assert judgement.reviews == (ReviewStatus("required"),)
    assert judgement.findings == (
        Finding(
            "review", "block", "upgraded requests 2.31.0 -> 2.32.3 needs a review by a maintainer",
            change.after, change, "requirements.txt", 3,
            "approve the pull request as a maintainer, or record the review on the base branch: "
            "lockgate review pypi:requests 2.31.0 2.32.3 --reason \"...\"",
        ),
    )
    assert judgement.verdict == "block"


def test_review_message_names_the_reviewers() -> None:
    judgement = run([added("httpx", "0.28.1")], "review:\n  reviewers: [alice, '@acme/security']\n")
    [finding] = judgement.findings
    assert finding.message == "new dependency httpx 0.28.1 needs a review by alice, @acme/security"
    assert finding.hint == (
        "approve the pull request as alice, @acme/security, or record the review on the base branch: "
        "lockgate review pypi:httpx - 0.28.1 --reason \"...\""
    )


def test_removals_need_review_only_when_the_policy_says_so() -> None:
    change = removed("six", "1.16.0")
    assert run([change]).reviews == (ReviewStatus("not-required"),)
    assert run([change]).findings == ()
    judgement = run([change], "review:\n  required-for: [removed]\n")
    [finding] = judgement.findings
    assert (finding.rule, finding.dependency, finding.change) == ("review", change.before, change)
    assert finding.message == "removal of six 1.16.0 needs a review by a maintainer"
    assert finding.hint is not None and finding.hint.endswith("lockgate review pypi:six 1.16.0 - --reason \"...\"")


def test_source_and_hash_changes_need_review() -> None:
    hashes = Change("hashes-changed", dep("idna", "3.10"), dep("idna", "3.10", hashes=(OTHER_SHA256,)), "other")
    [finding] = run([hashes]).findings
    assert finding.message == "hashes-changed idna 3.10 -> 3.10 needs a review by a maintainer"


def test_pull_request_evidence_reviews_every_required_change() -> None:
    changes = [upgrade("requests", "2.31.0", "2.32.3"), removed("six", "1.16.0")]
    judgement = run(changes, pull_request_evidence="approved by alice at abc123")
    assert judgement.reviews == (ReviewStatus("reviewed", "approved by alice at abc123"), ReviewStatus("not-required"))
    assert judgement.verdict == "pass"


def review_policy(skip: str, required_for: str | None = None) -> Any:
    text = f"review:\n  skip:\n{skip}"
    if required_for is not None:
        text += f"  required-for: {required_for}\n"
    return policy(text).review


def test_skip_by_scope_and_bump() -> None:
    rules = review_policy("    - {scope: dev, bump: patch}\n")
    assert not needs_review(upgrade("pytest", "8.3.4", "8.3.5", "patch", scope="dev"), rules)
    assert needs_review(upgrade("pytest", "8.3.4", "8.4.0", "minor", scope="dev"), rules)
    assert needs_review(upgrade("requests", "2.32.3", "2.32.4", "patch"), rules)
    assert needs_review(added("pytest-cov", "6.0.0", scope="dev"), rules)  # an addition has no bump


def test_skip_by_kind() -> None:
    rules = review_policy("    - {kind: hashes-changed}\n")
    hashes = Change("hashes-changed", dep("idna", "3.10"), dep("idna", "3.10", hashes=(OTHER_SHA256,)), "other")
    assert not needs_review(hashes, rules)
    assert needs_review(upgrade("idna", "3.9", "3.10"), rules)


def test_skip_by_package() -> None:
    rules = review_policy("    - {package: 'pypi:Types_*'}\n    - {package: 'pypi:boto3@>=1.35'}\n")
    assert not needs_review(upgrade("types-requests", "2.31.0.1", "2.32.0.2"), rules)
    assert not needs_review(upgrade("boto3", "1.35.0", "1.35.1", "patch"), rules)
    assert needs_review(upgrade("boto3", "1.34.0", "1.34.1", "patch"), rules)
    assert needs_review(upgrade("requests", "2.31.0", "2.32.3"), rules)


def test_skip_by_direct() -> None:
    rules = review_policy("    - {direct: false, bump: patch}\n")
    assert not needs_review(upgrade("idna", "3.9.0", "3.9.1", "patch", direct=False), rules)
    assert needs_review(upgrade("idna", "3.9.0", "3.9.1", "patch", direct=True), rules)
    assert needs_review(upgrade("idna", "3.9.0", "3.10.0", "minor", direct=False), rules)


def test_required_for_limits_the_kinds() -> None:
    rules = review_policy("    []\n", "[added]")
    assert needs_review(added("httpx", "0.28.1"), rules)
    assert not needs_review(upgrade("httpx", "0.27.0", "0.28.1"), rules)


# --- ledger evidence -------------------------------------------------------------------------------------------


LEDGER_TEXT = """\
# reviewed dependency changes
reviews:
  - package: pypi:Requests
    from: "2.31.0"
    to: "2.32.3"
    reviewer: alice
    date: 2026-03-30
    reason: read the changelog
  - {package: "pypi:httpx", from: null, to: "0.28.1", reviewer: bob, reason: new client}
  - {package: "pypi:rich", from: "-", to: "13.9.4", reviewer: bob, reason: ok}
  - {package: "pypi:attrs", to: "24.3.0", reviewer: bob, reason: ok}
  - {package: "pypi:six", from: "1.16.0", to: "-", reviewer: carol, reason: unused}
  - {package: "pypi:idna", from: "*", to: "3.10", reviewer: carol, reason: any path to 3.10 is fine}
  - {package: "pypi:certifi", from: "2024.8.30", to: "2025.1.31", reviewer: dan, reason: ok, manifest: services/api/requirements.txt}
"""


def test_parse_ledger() -> None:
    entries = ledger(LEDGER_TEXT)
    assert [(e.package.text, e.from_version, e.to_version, e.reviewer, e.line) for e in entries] == [
        ("pypi:Requests", "2.31.0", "2.32.3", "alice", 3),
        ("pypi:httpx", None, "0.28.1", "bob", 9),
        ("pypi:rich", None, "13.9.4", "bob", 10),
        ("pypi:attrs", None, "24.3.0", "bob", 11),
        ("pypi:six", "1.16.0", "-", "carol", 12),
        ("pypi:idna", "*", "3.10", "carol", 13),
        ("pypi:certifi", "2024.8.30", "2025.1.31", "dan", 14),
    ]
    first = entries[0]
    assert (first.date, first.reason, first.manifest, first.path, first.origin) == (
        "2026-03-30", "read the changelog", None, LEDGER, f"{LEDGER}:3",
    )
    assert entries[-1].manifest == "services/api/requirements.txt"


def test_empty_ledgers() -> None:
    assert ledger("") == ()
    assert ledger("# nothing yet\n") == ()
    assert ledger("reviews: []\n") == ()
    assert ledger("reviews:\n") == ()


def test_ledger_covers_upgrades_by_canonical_name() -> None:
    entry = ledger(LEDGER_TEXT)[0]
    assert entry.covers(upgrade("requests", "2.31.0", "2.32.3"))
    assert not entry.covers(upgrade("requests", "2.31.0", "2.32.4"))
    assert not entry.covers(upgrade("requests", "2.30.0", "2.32.3"))
    assert not entry.covers(added("requests", "2.32.3"))
    assert not entry.covers(upgrade("requests", "2.31.0", "2.32.3", ecosystem="npm"))


def test_ledger_covers_additions_with_null_dash_or_no_from() -> None:
    entries = {e.package.name: e for e in ledger(LEDGER_TEXT)}
    for name, version in (("httpx", "0.28.1"), ("rich", "13.9.4"), ("attrs", "24.3.0")):
        assert entries[name].covers(added(name, version)), name
        assert not entries[name].covers(upgrade(name, "0.1", version)), name
        assert not entries[name].covers(added(name, "99.0")), name


def test_ledger_covers_removals_with_a_dash() -> None:
    entry = {e.package.name: e for e in ledger(LEDGER_TEXT)}["six"]
    assert entry.covers(removed("six", "1.16.0"))
    assert not entry.covers(removed("six", "1.15.0"))
    assert not entry.covers(upgrade("six", "1.16.0", "1.17.0"))


def test_ledger_star_from_covers_any_previous_version() -> None:
    entry = {e.package.name: e for e in ledger(LEDGER_TEXT)}["idna"]
    assert entry.covers(upgrade("idna", "3.7", "3.10"))
    assert entry.covers(Change("downgraded", dep("idna", "3.11"), dep("idna", "3.10"), "minor"))
    assert entry.covers(added("idna", "3.10"))
    assert not entry.covers(upgrade("idna", "3.7", "3.11"))


def test_ledger_manifest_restriction() -> None:
    entry = {e.package.name: e for e in ledger(LEDGER_TEXT)}["certifi"]
    assert entry.covers(upgrade("certifi", "2024.8.30", "2025.1.31", manifest="services/api/requirements.txt"))
    assert not entry.covers(upgrade("certifi", "2024.8.30", "2025.1.31", manifest="requirements.txt"))


def test_ledger_evidence_through_the_engine() -> None:
    changes = [
        upgrade("requests", "2.31.0", "2.32.3"),
        added("httpx", "0.28.1"),
        upgrade("urllib3", "2.2.3", "2.3.0"),
        upgrade("certifi", "2024.8.30", "2025.1.31"),
    ]
    judgement = run(changes, ledger=ledger(LEDGER_TEXT))
    assert judgement.reviews == (
        ReviewStatus("reviewed", f"ledger {LEDGER}:3 by alice"),
        ReviewStatus("reviewed", f"ledger {LEDGER}:9 by bob"),
        ReviewStatus("required"),
        ReviewStatus("required"),  # the entry is for another manifest
    )
    assert [(f.rule, f.dependency.name) for f in judgement.findings if f.dependency] == [  # type: ignore[union-attr]
        ("review", "urllib3"), ("review", "certifi"),
    ]
    assert judgement.verdict == "block"


def test_ledger_evidence_comes_before_pull_request_evidence() -> None:
    statuses = review_statuses(
        [upgrade("requests", "2.31.0", "2.32.3"), upgrade("urllib3", "2.2.3", "2.3.0")],
        policy().review, ledger(LEDGER_TEXT), "approved by erin",
    )
    assert statuses == (ReviewStatus("reviewed", f"ledger {LEDGER}:3 by alice"), ReviewStatus("reviewed", "approved by erin"))


@pytest.mark.parametrize(
    "field, value, shown",
    [("to", "1.10", "1.1 as a number"), ("from", "2.0", "2.0 as a number"), ("to", "3", "3 as a number")],
)
def test_ledger_rejects_unquoted_numbers(field: str, value: str, shown: str) -> None:
    values = {"from": '"1.0"', "to": '"1.1"'}
    values[field] = value
    text = (
        "reviews:\n"
        "  - {package: 'pypi:ok', from: '1', to: '2', reviewer: a, reason: r}\n"
        "  - package: pypi:x\n"
        f"    from: {values['from']}\n"
        f"    to: {values['to']}\n"
        "    reviewer: alice\n"
        "    reason: r\n"
    )
    err = ledger_error(text)
    assert (err.path, err.line) == (LEDGER, 3)
    assert err.message == f"reviews[1].{field} must be a quoted string (YAML reads {shown})"


def test_malformed_ledgers() -> None:
    err = ledger_error("reviews:\n  - {package: 'pypi:x', to: '1', reason: r}\n")
    assert (err.line, err.message) == (2, "reviews[0] needs `reviewer`")
    err = ledger_error("reviews:\n  - {package: 'x', to: '1', reviewer: a, reason: r}\n")
    assert (err.line, err.message) == (2, "reviews[0].package must name its ecosystem (pypi:name, npm:name, ...)")
    err = ledger_error("reviews:\n  - {package: 'pypi:x', to: '1', reviewer: a, reason: r, when: now}\n")
    assert (err.line, err.message) == (
        2, "unknown key 'when' in reviews[0]; valid keys: package, from, to, kind, reviewer, date, reason, manifest",
    )
    err = ledger_error("\nreviews: {package: 'pypi:x'}\n")
    assert (err.line, err.message) == (2, "`reviews` must be a list of entries")
    err = ledger_error("entries: []\n")
    assert (err.line, err.message) == (1, "unknown key 'entries' in the review ledger; valid keys: reviews")
    err = ledger_error("reviews:\n  - {package: 'pypi:x', to: '1', reviewer: a, reason: r, date: 2026-02-30}\n")
    assert (err.line, err.message) == (2, "not valid YAML: 2026-02-30 is not a valid date (day is out of range for month)")


# --- verdicts and sorting --------------------------------------------------------------------------------------


def finding(level: str, excepted_by: str | None = None) -> Finding:
    return Finding("deny", level, "m", excepted_by=excepted_by)


def test_verdict_of() -> None:
    assert verdict_of([]) == "pass"
    assert verdict_of([finding("info")]) == "pass"
    assert verdict_of([finding("info"), finding("warn")]) == "warn"
    assert verdict_of([finding("warn"), finding("block")]) == "block"
    assert verdict_of([finding("block", "waived"), finding("warn")]) == "warn"
    assert verdict_of([finding("off")]) == "pass"


def test_findings_are_sorted_by_manifest_line_and_severity() -> None:
    changes = [
        Change("added", None, dep("zzz", None, specifier=">=1", hashes=(), line=9, manifest="b.txt")),
        Change("added", None, dep("aaa", None, specifier=">=1", hashes=(), line=2, manifest="b.txt")),
        Change("added", None, dep("mmm", None, specifier=">=1", hashes=(), line=5, manifest="a.txt")),
    ]
    heads = [manifest(changes[2].after, path="a.txt"), manifest(changes[0].after, changes[1].after, path="b.txt")]  # type: ignore[arg-type]
    judgement = judge(changes, [], heads, policy(), today=TODAY)
    assert [(f.manifest, f.line, f.rule, f.level) for f in judgement.findings] == [
        ("a.txt", 5, "exact-pinning", "block"),
        ("a.txt", 5, "review", "block"),
        ("a.txt", 5, "hash-pinning", "warn"),
        ("b.txt", 2, "exact-pinning", "block"),
        ("b.txt", 2, "review", "block"),
        ("b.txt", 2, "hash-pinning", "warn"),
        ("b.txt", 9, "exact-pinning", "block"),
        ("b.txt", 9, "review", "block"),
        ("b.txt", 9, "hash-pinning", "warn"),
    ]
    assert judgement.reviews == (ReviewStatus("required"),) * 3


def test_removed_dependencies_are_not_judged_by_dependency_rules() -> None:
    gone = Change("removed", dep("evil", None, specifier=">=1", hashes=()), None)
    judgement = run([gone], "rules:\n  deny: {packages: ['pypi:evil']}\n")
    assert judgement.findings == ()


def test_index_options_judged_against_the_base_manifest() -> None:
    extra = IndexOption("extra-index-url", "http://pypi.internal/simple", 1)
    base = manifest(dep("idna", "3.10"))
    head = manifest(dep("idna", "3.10"), indexes=(extra,))
    [found] = judge([], [base], [head], policy(), today=TODAY).findings
    assert (found.rule, found.level, found.manifest, found.line, found.dependency, found.change) == (
        "registry-source", "block", "requirements.txt", 1, None, None,
    )
    assert judge([], [head], [head], policy(), today=TODAY).findings == ()


# --- judge_all -------------------------------------------------------------------------------------------------


def test_judge_all_judges_every_dependency_of_head() -> None:
    extra = IndexOption("extra-index-url", "https://pypi.org/simple", 1)
    head = manifest(
        dep("requests", "2.32.3"),
        dep("rich", None, specifier=">=13", line=4),
        dep("litellm", "1.82.8", line=5),
        indexes=(extra, IndexOption("trusted-host", "pypi.internal", 2)),
    )
    judgement = judge([], [head], [head], policy(), today=TODAY, judge_all=True)
    assert [(f.rule, f.line, f.dependency.name if f.dependency else None) for f in judgement.findings] == [
        ("registry-source", 2, None),  # base is ignored: every index option counts
        ("exact-pinning", 4, "rich"),
        ("hash-pinning", 4, "rich"),  # a range in a file in pip's hash-checking mode
        ("deny", 5, "litellm"),
    ]
    assert all(f.change is None for f in judgement.findings)
    assert judgement.reviews == ()
    assert judgement.verdict == "block"


# --- append_entry ----------------------------------------------------------------------------------------------


EXISTING = """\
# Reviewed dependency changes. Keep this comment.
reviews:
  # the first review
  - package: pypi:requests
    from: "2.31.0"
    to: "2.32.3"     # aligned comment
    reviewer: alice
    date: 2026-01-02
    reason: read the changelog

  - {package: "pypi:httpx", from: null, to: "0.28.1", reviewer: bob, reason: new}
# trailing comment
"""

NEW_ENTRY = """\
  - package: pypi:idna
    from: '3.9'
    to: '3.10'
    reviewer: carol
    date: '2026-04-01'
    reason: checked the diff
"""


def test_append_keeps_everything_above_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text(EXISTING, encoding="utf-8")
    line = append_entry(str(path), "pypi:idna", "3.9", "3.10", "carol", "  checked the diff \n", TODAY)
    assert path.read_text(encoding="utf-8") == EXISTING + NEW_ENTRY
    assert line == 13
    entries = parse_ledger(path.read_text(encoding="utf-8"), str(path))
    assert [(e.package.text, e.from_version, e.to_version, e.line) for e in entries] == [
        ("pypi:requests", "2.31.0", "2.32.3", 4),
        ("pypi:httpx", None, "0.28.1", 11),
        ("pypi:idna", "3.9", "3.10", 13),
    ]


def test_append_follows_the_indentation_of_existing_entries(tmp_path: Path) -> None:
    text = "reviews:\n- package: pypi:a\n  to: '1'\n  reviewer: a\n  reason: r\n"
    path = tmp_path / "reviews.yml"
    path.write_text(text, encoding="utf-8")
    assert append_entry(str(path), "pypi:b", None, "2.0", "bob", "new", TODAY) == 6
    assert path.read_text(encoding="utf-8") == text + (
        "- package: pypi:b\n  from:\n  to: '2.0'\n  reviewer: bob\n  date: '2026-04-01'\n  reason: new\n"
    )


def test_append_to_a_file_without_a_final_newline(tmp_path: Path) -> None:
    text = "reviews:\n  - {package: 'pypi:a', to: '1', reviewer: a, reason: r}"
    path = tmp_path / "reviews.yml"
    path.write_text(text, encoding="utf-8")
    append_entry(str(path), "pypi:b", "1", "2", "bob", "ok", TODAY)
    assert path.read_text(encoding="utf-8").startswith(text + "\n  - package: pypi:b\n")


def test_append_creates_the_ledger_with_a_header(tmp_path: Path) -> None:
    path = tmp_path / ".github" / "lockgate-reviews.yml"
    line = append_entry(str(path), "pypi:six", "1.16.0", "-", "carol", "unused", TODAY)
    header = LEDGER_HEADER.replace("reviews: []\n", "reviews:\n")
    assert path.read_text(encoding="utf-8") == header + (
        "  - package: pypi:six\n    from: 1.16.0\n    to: '-'\n    reviewer: carol\n    date: '2026-04-01'\n"
        "    reason: unused\n"
    )
    assert line == 5
    [entry] = parse_ledger(path.read_text(encoding="utf-8"), str(path))
    assert entry.covers(removed("six", "1.16.0"))


def test_append_to_a_ledger_of_comments_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text("# our ledger\n# be kind\n", encoding="utf-8")
    assert append_entry(str(path), "pypi:a", None, "1.0", "bob", "new", TODAY) == 4
    assert path.read_text(encoding="utf-8").startswith("# our ledger\n# be kind\nreviews:\n  - package: pypi:a\n")


def test_append_to_an_empty_flow_list(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text("# header\nreviews: []\n", encoding="utf-8")
    assert append_entry(str(path), "pypi:a", None, "1.0", "bob", "new", TODAY) == 3
    [entry] = parse_ledger(path.read_text(encoding="utf-8"), str(path))
    assert (entry.from_version, entry.to_version, entry.reviewer) == (None, "1.0", "bob")
    assert path.read_text(encoding="utf-8").startswith("# header\nreviews:\n  - package: pypi:a\n")


def test_append_refuses_a_malformed_ledger(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    text = "reviews:\n  - {package: 'pypi:a', to: 1.10, reviewer: a, reason: r}\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        append_entry(str(path), "pypi:b", "1", "2", "bob", "ok", TODAY)
    assert (caught.value.line, caught.value.message) == (2, "reviews[0].to must be a quoted string (YAML reads 1.1 as a number)")
    assert path.read_text(encoding="utf-8") == text


def test_append_needs_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    with pytest.raises(UsageError) as caught:
        append_entry(str(path), "pypi:b", "1", "2", "bob", "   ", TODAY)
    assert caught.value.message == "--reason must say what was reviewed and why it is acceptable"
    assert not path.exists()


def test_appended_values_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text("reviews:\n  - {package: 'pypi:a', to: '1', reviewer: a, reason: r}\n", encoding="utf-8")
    reason = 'line one\nline two: "quoted" # not a comment'
    append_entry(str(path), "pypi:b", "1.10", "2", "o'brien", reason, TODAY)
    entry = parse_ledger(path.read_text(encoding="utf-8"), str(path))[-1]
    assert (entry.from_version, entry.to_version, entry.reviewer, entry.reason, entry.date) == (
        "1.10", "2", "o'brien", reason, "2026-04-01",
    )
