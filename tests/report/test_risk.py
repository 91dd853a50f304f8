"""The risk summary (checker/report/risk.py): risk levels, the facts columns (unknown is never "none"), the verdict as
a reviewer reads it, and the one action that unblocks each change."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.model import UNKNOWN, Change, Dependency, Facts, Finding, Provenance, Report, ReviewStatus, Source
from checker.registries.types import Publisher
from checker.rules.release_age import age_words as humanize
from checker.report.risk import (
    PolicyView, ReviewState, action_for, headline_counts, registry_line, summarize,
)

NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
HEAD = "f" * 40
SHA = "915b19bbe73b92a6cf82a1bc12b087c9a19a5fe2"
PUBLISHER = Publisher("GitHub", "BerriAI/litellm", "publish.yml", "pypi")
TRUSTED = Provenance("trusted-publisher", frozenset({PUBLISHER}))


def pypi(name: str, version: str | None, *, hashes: tuple[str, ...] = ("sha256:" + "a" * 64,),
         manifest: str = "requirements.txt", direct: bool = True, source: Source = Source()) -> Dependency:
    return Dependency("pypi", name, version, f"=={version}" if version else ">=1", source, frozenset(hashes),
                      manifest=manifest, line=3, direct=direct)


def npm(name: str, version: str, *, scripts: bool | None = None) -> Dependency:
    return Dependency("npm", name, version, version, hashes=frozenset({"sha512:" + "c" * 128}),
                      manifest="package-lock.json", line=9, install_script=scripts)


def upgrade(before: Dependency, after: Dependency, bump: str = "patch") -> Change:
    return Change("upgraded", before, after, bump)


def report(changes: list[Change], findings: list[Finding] = (), facts: tuple[Facts, ...] = (),
           reviews: list[ReviewStatus] | None = None, verdict: str = "block") -> Report:
    reviews = reviews if reviews is not None else [ReviewStatus("required") for _ in changes]
    return Report("e" * 40, HEAD, tuple(changes), tuple(findings), tuple(reviews), verdict, ".github/lockgate.yml",
                  False, "0.1.0", tuple(facts))


def finding(rule: str, change: Change, level: str = "block", **kwargs: object) -> Finding:
    dep = change.dependency
    return Finding(rule, level, kwargs.pop("message", f"{rule} says no"), dep, change, dep.manifest, dep.line,  # type: ignore[arg-type]
                   **kwargs)  # type: ignore[arg-type]


# --- risk levels ------------------------------------------------------------------------------------------------------


def test_risk_levels_come_from_what_counts() -> None:
    a = upgrade(pypi("a", "1.0"), pypi("a", "1.1"))
    b = upgrade(pypi("b", "1.0"), pypi("b", "1.1"))
    c = upgrade(pypi("c", "1.0"), pypi("c", "1.1"))
    d = upgrade(pypi("d", "1.0"), pypi("d", "1.1"))
    e = Change("removed", pypi("e", "2.0"), None)
    f = upgrade(pypi("f", "1.0"), pypi("f", "1.1"))
    findings = [
        finding("deny", a), finding("review", a),
        finding("release-age", b, unknown=True),  # blocks, but because a fact is unknown
        finding("review", c),
        finding("hash-pinning", d, "warn"),
        finding("deny", f, excepted_by="we vendor it (until 2027-01-01, x:1)"),  # waived: does not count
    ]
    rows = summarize(report([a, b, c, d, e, f], findings)).changes
    assert [(r.name, r.risk, r.blocked, r.review_only) for r in rows] == [
        ("a", "high", True, False),
        ("b", "medium", True, False),
        ("c", "low", True, True),
        ("d", "medium", False, False),
        ("e", "none", False, False),
        ("f", "low", False, False),
    ]


def test_the_registry_flagging_a_version_is_medium_risk_even_without_a_rule() -> None:
    a = upgrade(pypi("a", "1.0"), pypi("a", "1.1"))
    yanked = Facts("pypi", "a", "1.1", yanked=True)
    [row] = summarize(report([a], facts=(yanked,))).changes
    assert (row.status, row.risk) == ("yanked", "medium")
    gone = Facts("pypi", "a", "1.1", exists=False, reason="PyPI lists no version 1.1 of a")
    [row] = summarize(report([a], facts=(gone,))).changes
    assert (row.status, row.risk) == ("deleted", "medium")
    deprecated = finding("version-exists", a, "info", message="a 1.1 is deprecated on npm: use b")
    [row] = summarize(report([a], [deprecated])).changes
    assert (row.status, row.risk) == (None, "low")  # the status is the registry's word, not a finding's
    unsure = finding("version-exists", a, "warn", message="could not find out", unknown=True)
    [row] = summarize(report([a], [unsure])).changes
    assert (row.status, row.risk) == (None, "medium")


def test_sorted_by_risk_then_name() -> None:
    names = ["zeta", "Alpha", "beta", "gamma"]
    changes = [upgrade(pypi(n.lower(), "1"), pypi(n.lower(), "2")) for n in names]
    findings = [finding("deny", changes[2]), finding("hash-pinning", changes[0], "warn")]
    ranked = [row.name for row in summarize(report(changes, findings)).ranked()]
    assert ranked == ["beta", "zeta", "alpha", "gamma"]


# --- the columns ----------------------------------------------------------------------------------------------------


def test_age_from_the_registry_never_from_the_lockfile() -> None:
    change = upgrade(pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8"))
    released = Facts("pypi", "litellm", "1.82.8", release_time=NOW - dt.timedelta(minutes=21))
    [row] = summarize(report([change], facts=(released,)), now=NOW).changes
    assert (row.age.state, row.age.released, row.age.age) == ("known", NOW - dt.timedelta(minutes=21),
                                                               dt.timedelta(minutes=21))
    [row] = summarize(report([change], facts=(released,))).changes  # no clock: the date only
    assert (row.age.state, row.age.age) == ("known", None)
    offline = Facts("pypi", "litellm", "1.82.8", reason="offline: PyPI was not asked")
    [row] = summarize(report([change], facts=(offline,)), now=NOW).changes
    assert (row.age.state, row.age.reason) == ("unknown", "offline: PyPI was not asked")
    [row] = summarize(report([change]), now=NOW).changes
    assert (row.age.state, row.age.reason) == ("unknown", "the registry was not asked")
    action = upgrade(Dependency("actions", "a/b", SHA), Dependency("actions", "a/b", "v2"))
    assert summarize(report([action])).changes[0].age.state == "n/a"


@pytest.mark.parametrize(
    ("provenance", "before", "state", "publisher"),
    [
        (TRUSTED, None, "publisher", "GitHub BerriAI/litellm (publish.yml, environment pypi)"),
        (Provenance("provenance", UNKNOWN), None, "attested", None),
        (None, None, "none", None),
        (UNKNOWN, None, "unknown", None),  # a mirror that strips provenance: unknown, never "none"
        (None, TRUSTED, "downgrade", None),  # the earlier version had a trusted publisher
        (UNKNOWN, TRUSTED, "unknown", None),  # unknown is not a downgrade either
    ],
)
def test_provenance_states(provenance: object, before: object, state: str, publisher: str | None) -> None:
    change = upgrade(pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8"))
    facts = [Facts("pypi", "litellm", "1.82.8", provenance=provenance)]
    if before is not None:
        facts.append(Facts("pypi", "litellm", "1.82.6", provenance=before))
    [row] = summarize(report([change], facts=tuple(facts))).changes
    assert (row.provenance.state, row.provenance.publisher) == (state, publisher)
    if state == "publisher":
        assert row.provenance.repository == "BerriAI/litellm"


def test_a_provenance_downgrade_finding_is_a_downgrade() -> None:
    change = upgrade(pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8"))
    found = finding("provenance-downgrade", change, message="1.82.6 was published by a trusted publisher; 1.82.8 has "
                                                            "no attestation")
    [row] = summarize(report([change], [found])).changes
    assert row.provenance.state == "downgrade"


def test_hash_states() -> None:
    published = frozenset({"sha256:" + "a" * 64, "sha256:" + "b" * 64})
    verified = upgrade(pypi("a", "1"), pypi("a", "2", hashes=("sha256:" + "a" * 64,)))
    foreign = upgrade(pypi("b", "1"), pypi("b", "2", hashes=("sha256:" + "e" * 64,)))
    unchecked = upgrade(pypi("c", "1"), pypi("c", "2"))
    missing = upgrade(pypi("d", "1", hashes=()), pypi("d", "2", hashes=()))
    declared = upgrade(pypi("e", "1", hashes=(), manifest="pyproject.toml"), pypi("e", "2", hashes=(), manifest="pyproject.toml"))
    ranged = Change("added", None, pypi("f", None, hashes=()))
    sha = upgrade(Dependency("actions", "o/r", SHA), Dependency("actions", "o/r", "f" * 40))
    tag = upgrade(Dependency("actions", "o/r", SHA), Dependency("actions", "o/r", "v2"))
    digest = Change("added", None, Dependency("docker", "python", "3.12@sha256:" + "0" * 64))
    image_tag = Change("added", None, Dependency("docker", "python", "3.12"))
    flagged = upgrade(pypi("g", "1"), pypi("g", "2"))
    facts = (Facts("pypi", "a", "2", hashes=published), Facts("pypi", "b", "2", hashes=published))
    changes = [verified, foreign, unchecked, missing, declared, ranged, sha, tag, digest, image_tag, flagged]
    rows = summarize(report(changes, [finding("hash-mismatch", flagged)], facts)).changes
    assert [row.hashes for row in rows] == [
        "verified", "mismatch", "pinned", "missing", "n/a", "n/a", "sha", "tag", "digest", "tag", "mismatch",
    ]


def test_install_script_states() -> None:
    gained = upgrade(npm("a", "1.0.0", scripts=False), npm("a", "1.0.1", scripts=True))
    kept = upgrade(npm("b", "1.0.0", scripts=True), npm("b", "1.0.1", scripts=True))
    none = upgrade(npm("c", "1.0.0", scripts=False), npm("c", "1.0.1", scripts=False))
    unknown = upgrade(npm("d", "1.0.0"), npm("d", "1.0.1"))
    from_registry = upgrade(npm("e", "1.0.0"), npm("e", "1.0.1"))
    added = Change("added", None, npm("f", "1.0.0", scripts=True))
    python = upgrade(pypi("g", "1"), pypi("g", "2"))
    facts = (Facts("npm", "e", "1.0.1", install_script=False),)
    rows = summarize(report([gained, kept, none, unknown, from_registry, added, python], facts=facts)).changes
    assert [row.install_scripts for row in rows] == ["new", "yes", "no", "unknown", "no", "new", "n/a"]


def test_registry_line_says_unknown_and_why() -> None:
    change = upgrade(pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8"))
    offline = Facts("pypi", "litellm", "1.82.8", reason="offline: PyPI was not asked")
    [row] = summarize(report([change], facts=(offline,))).changes
    assert registry_line(row) == "registry: release time unknown, provenance unknown — offline: PyPI was not asked"
    known = Facts("pypi", "litellm", "1.82.8", release_time=NOW - dt.timedelta(hours=3), yanked=True, provenance=None,
                  hashes=frozenset({"sha256:" + "a" * 64}))
    [row] = summarize(report([change], facts=(known,)), now=NOW).changes
    assert registry_line(row) == (
        "registry: released 2026-03-24 08:00 UTC (3 h earlier), yanked, provenance: none published, "
        "hashes match the registry's"
    )
    [row] = summarize(report([change])).changes
    assert registry_line(row) == "registry: not asked (unknown)"


# --- verdict and counts -------------------------------------------------------------------------------------------------


def test_verdict_words() -> None:
    a = upgrade(pypi("a", "1"), pypi("a", "2"))
    assert summarize(report([a], [finding("review", a)])).words == "Needs review"
    assert summarize(report([a], [finding("review", a), finding("deny", a)])).words == "Blocked"
    loose = Finding("registry-source", "block", "--trusted-host", manifest="requirements.txt", line=1)
    assert summarize(report([a], [finding("review", a), loose])).words == "Blocked"
    assert summarize(report([a], [finding("hash-pinning", a, "warn")], verdict="warn")).words == "Passes with warnings"
    assert summarize(report([a], [], verdict="pass")).words == "Passes"


def test_headline_counts() -> None:
    a = upgrade(pypi("a", "1"), pypi("a", "2"))
    b = upgrade(pypi("b", "1"), pypi("b", "2"))
    findings = [finding("deny", a), finding("review", a), finding("hash-pinning", b, "warn"),
                finding("exact-pinning", b, "warn", excepted_by="x")]
    assert headline_counts(summarize(report([a, b], findings))) == (
        "1 of 2 dependency changes blocked · 2 blocking findings · 1 warning · 1 waived"
    )
    assert headline_counts(summarize(report([a], [], verdict="pass"))) == "1 dependency change · no findings"
    assert headline_counts(summarize(report([], [], verdict="pass"))) == "no dependency changes · no findings"


# --- actions ------------------------------------------------------------------------------------------------------------


def test_the_first_thing_to_fix_comes_first() -> None:
    a = upgrade(pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8"))
    findings = [finding("review", a, hint="approve"), finding("release-age", a, hint="wait"),
                finding("deny", a, message="denied: stolen token", hint="move off this version")]
    act = action_for(findings, a, None, head=HEAD)
    assert act is not None
    assert (act.rule, act.title, act.detail, act.also) == (
        "deny", "Move off this version", "denied: stolen token: move off this version", ("release-age", "review"),
    )
    assert action_for([finding("review", a, level="warn")], a, None, head=HEAD) is None  # nothing blocks


def test_review_action_names_who_from_the_policy() -> None:
    a = upgrade(pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8"))
    review = finding("review", a, hint="approve the pull request as alice, or record the review: lockgate review …")
    plain = action_for([review], a, None, head=HEAD)
    assert plain is not None and plain.detail == review.hint and plain.snippet is None  # the engine's own words
    policy = PolicyView(".github/lockgate.yml", ("alice", "@acme/security"), "dependencies-reviewed")
    act = action_for([review], a, None, head=HEAD, policy=policy)
    assert act is not None
    assert act.detail == (
        "an approval by alice or @acme/security on the head commit ffffffffffff, or the label dependencies-reviewed "
        "applied by one of them after the latest push, or an entry in the review ledger on the base branch:"
    )
    assert act.snippet == 'lockgate review pypi:litellm 1.82.6 1.82.8 --reason "…"'
    state = ReviewState(reviewers=("bob",), label=None, waiting=1)
    act = action_for([review], a, None, head=HEAD, review=state)
    assert act is not None and act.detail.startswith("an approval by bob on the head commit ffffffffffff, or an entry")
    nobody = action_for([review], a, None, head=HEAD, policy=PolicyView())
    assert nobody is not None and nobody.detail.startswith("an approval by a maintainer (an owner, member or collaborator)")


def test_cooldown_ends_on_a_date() -> None:
    a = upgrade(pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8"), "patch")
    released = Facts("pypi", "litellm", "1.82.8", release_time=dt.datetime(2026, 3, 24, 10, 39, tzinfo=dt.timezone.utc))
    young = finding("release-age", a, message="released 21 minutes ago", hint="wait for the cooldown")
    policy = PolicyView(cooldown_days={"default": 3, "patch": 2})
    act = action_for([young, finding("review", a)], a, released, head=HEAD, policy=policy, now=NOW)
    assert act is not None
    assert act.title == "Wait for the cooldown"
    assert act.detail == (
        "the 2-day cooldown ends on 2026-03-26 10:39 UTC (in 47 h); the version was released on 2026-03-24 10:39 UTC; "
        "for an urgent fix, write an exception:"
    )
    assert act.snippet == '- {rule: release-age, package: "pypi:litellm@1.82.8", reason: "…", expires: 2026-04-23}'
    assert act.also == ("review",)
    minor = upgrade(pypi("x", "1.0"), pypi("x", "1.1"), "minor")
    act = action_for([finding("release-age", minor)], minor, Facts("pypi", "x", "1.1", release_time=NOW), head=HEAD,
                     policy=policy)
    assert act is not None and act.detail.startswith("the 3-day cooldown ends on 2026-03-27 11:00 UTC;")
    unknown_time = action_for([young], a, Facts("pypi", "litellm", "1.82.8"), head=HEAD, policy=policy)
    assert unknown_time is not None and unknown_time.detail.startswith("wait for the cooldown")


def test_judgement_calls_offer_an_exception_and_unknowns_say_so() -> None:
    a = upgrade(npm("esbuild", "0.25.0", scripts=False), npm("esbuild", "0.25.1", scripts=True))
    act = action_for([finding("install-scripts", a, hint="read the scripts")], a, None, head=HEAD)
    assert act is not None
    assert (act.title, act.detail) == ("Read the install script, then allow it",
                                       "read the scripts; or, once checked, write an exception:")
    assert act.snippet == '- {rule: install-scripts, package: "npm:esbuild@0.25.1", reason: "…", expires: YYYY-MM-DD}'
    unknown = finding("provenance", a, message="provenance of esbuild 0.25.1 is unknown", unknown=True)
    act = action_for([unknown], a, Facts("npm", "esbuild", "0.25.1", reason="offline"), head=HEAD, now=NOW)
    assert act is not None and act.title == "Let lockgate find out"
    assert act.detail == ("provenance of esbuild 0.25.1 is unknown; run where the registry can be reached, or accept "
                          "the risk with an exception:")
    assert act.snippet is not None and "expires: 2026-04-23" in act.snippet


def test_policy_view_reads_the_policy() -> None:
    from checker.policy.load import load_policy

    text = "extends: default\nreview: {reviewers: [alice], label: ok}\n"
    policy = load_policy(text, ".github/lockgate.yml", lambda path: None)
    view = PolicyView.from_policy(policy)
    assert (view.path, view.reviewers, view.label, view.ledger) == (
        ".github/lockgate.yml", ("alice",), "ok", ".github/lockgate-reviews.yml")
    if "release-age" in policy.rules and policy.rules["release-age"].level != "off":
        assert view.cooldown("patch") is not None
    else:
        assert view.cooldown("patch") is None


def test_humanize() -> None:
    assert [humanize(dt.timedelta(seconds=s)) for s in (20, 60 * 21, 3600 * 5, 3600 * 47, 86400 * 3, 86400 * 90,
                                                         86400 * 800)] == [
        "under a minute", "21 min", "5 h", "47 h", "3 days", "3 months", "2 years",
    ]


# --- what the facts stage adds ------------------------------------------------------------------------------------------


def test_the_strongest_earlier_evidence_decides_a_downgrade() -> None:
    """As pnpm's no-downgrade reads it: any version published before, not only the one replaced."""
    change = upgrade(pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8"))
    facts = Facts("pypi", "litellm", "1.82.8", provenance=None, prior_evidence="trusted-publisher",
                  prior_version="1.82.3")
    [row] = summarize(report([change], facts=(facts,))).changes
    assert (row.provenance.state, row.provenance.before) == ("downgrade", "a trusted publisher (1.82.3)")
    assert registry_line(row) == (
        "registry: release time unknown, provenance: downgraded to no provenance (an earlier version had a trusted "
        "publisher (1.82.3))"
    )
    first = Facts("pypi", "litellm", "1.82.8", provenance=None, prior_evidence=None)  # nothing published before
    [row] = summarize(report([change], facts=(first,))).changes
    assert row.provenance.state == "none"
    same = Facts("pypi", "litellm", "1.82.8", provenance=TRUSTED, prior_evidence="trusted-publisher")
    [row] = summarize(report([change], facts=(same,))).changes
    assert row.provenance.state == "publisher"


def test_ages_are_measured_from_the_runs_clock() -> None:
    change = upgrade(pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8"))
    facts = Facts("pypi", "litellm", "1.82.8", release_time=NOW - dt.timedelta(minutes=21), as_of=NOW)
    [row] = summarize(report([change], facts=(facts,))).changes  # no clock handed in: the facts' own
    assert row.age.age == dt.timedelta(minutes=21)


def test_yanked_reason_and_deprecation_are_evidence() -> None:
    change = upgrade(npm("left-pad", "1.3.0"), npm("left-pad", "1.3.1"))
    facts = Facts("npm", "left-pad", "1.3.1", release_time=NOW, yanked=False, deprecated="use String.padStart",
                  provenance=None)
    [row] = summarize(report([change], facts=(facts,)), now=NOW).changes
    assert registry_line(row) == (
        "registry: released 2026-03-24 11:00 UTC (under a minute earlier), deprecated (use String.padStart), "
        "provenance: none published"
    )
    yanked = Facts("pypi", "a", "2", yanked=True, yanked_reason="broken wheel", exists=True)
    [row] = summarize(report([upgrade(pypi("a", "1"), pypi("a", "2"))], facts=(yanked,))).changes
    assert row.status == "yanked" and "yanked (broken wheel)" in (registry_line(row) or "")


def test_registry_line_says_the_license_when_it_was_looked_up() -> None:
    change = upgrade(pypi("moved", "2.0"), pypi("moved", "2.1"))
    base = Facts("pypi", "moved", "2.1", release_time=NOW - dt.timedelta(days=3), provenance=None)
    lines = []
    for fields in ({}, {"license": "BUSL-1.1", "prior_license": "MIT"}, {"license": "MIT", "prior_license": "MIT"},
                   {"license": None, "license_text": "SEE LICENSE IN LICENSE"}):
        [row] = summarize(report([change], facts=(base._replace(**fields),)), now=NOW).changes
        lines.append((registry_line(row) or "").split("none published")[1])
    assert lines == ["", ", license: BUSL-1.1 (was MIT)", ", license: MIT", ", license: none recognisable"]
