"""The registry-fact rules as pure functions: release-age, version-exists, hash-mismatch, provenance and
provenance-downgrade, on hand-built Facts (UNKNOWN kept apart from None and False), through the policy engine."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.model import UNKNOWN, Change, Dependency, Facts, Manifest, Provenance, Source
from checker.judge.engine import judge
from checker.policy.load import load_policy
from checker.registries.types import Publisher

NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
SHA_A = "sha256:" + "a" * 64
SHA_B = "sha256:" + "b" * 64


def dep(name: str = "litellm", version: str = "1.82.8", **extra: object) -> Dependency:
    return Dependency("pypi", name, version, f"=={version}", manifest="requirements.txt", line=3, **extra)  # type: ignore[arg-type]


def facts(name: str = "litellm", version: str = "1.82.8", **fields: object) -> Facts:
    return Facts("pypi", name, version, as_of=NOW, **fields)  # type: ignore[arg-type]


def run(after: Dependency, fact: Facts | None, policy: str = "", bump: str = "patch") -> list[tuple[str, str, bool, str]]:
    before = Dependency("pypi", after.name, "1.0", "==1.0", manifest="requirements.txt", line=3)
    change = Change("upgraded", before, after, bump)
    head = [Manifest("requirements.txt", "requirements", "pypi", (after,))]
    text = "extends: default\nreview: {required-for: []}\nrules:\n  hash-pinning: off\n  deny: off\n" + policy
    judged = judge([change], [], head, load_policy(text, ".github/lockgate.yml", lambda p: None), today=NOW.date(),
                   facts={("pypi", after.name, after.version or ""): fact} if fact is not None else {})
    return [(f.rule, f.level, f.unknown, f.message) for f in judged.findings]


def rules(found: list[tuple[str, str, bool, str]]) -> list[tuple[str, str, bool]]:
    return [(rule, level, unknown) for rule, level, unknown, _ in found]


KNOWN = dict(exists=True, release_time=NOW - dt.timedelta(days=30), yanked=False, hashes=frozenset({SHA_A}),
             provenance=None, prior_evidence=None)


def test_no_facts_stage_no_fact_findings() -> None:
    assert run(dep(), None) == []


def test_offline_every_fact_rule_reports_unknown_at_on_unknown() -> None:
    offline = facts(reason="offline, not cached: https://pypi.org/simple/litellm/")
    found = run(dep(hashes=frozenset({SHA_A})), offline, "  provenance: {level: block, require: [\"pypi:*\"]}\n")
    assert rules(found) == [("hash-mismatch", "warn", True), ("provenance", "warn", True),
                            ("provenance-downgrade", "warn", True), ("release-age", "warn", True),
                            ("version-exists", "warn", True)]
    assert all("offline, not cached" in message for *_, message in found)


def test_release_age() -> None:
    young = facts(**{**KNOWN, "release_time": NOW - dt.timedelta(minutes=40)})
    [(rule, level, unknown, message)] = run(dep(), young)
    assert (rule, level, unknown) == ("release-age", "block", False)
    assert message == ("litellm 1.82.8 was released 40 min ago (2026-03-24 10:20 UTC); the policy's cooldown for new "
                       "versions is 3 days")
    assert run(dep(), young, "  release-age: {level: block, patch-days: 0}\n") == []
    assert run(dep(), young, "  release-age: {level: block, exclude: [\"pypi:lite*\"]}\n") == []
    assert rules(run(dep(), young, "  release-age: {level: block, days: 0, major-days: 10}\n", bump="major")) == [
        ("release-age", "block", False)]
    assert run(dep(), facts(**{**KNOWN, "release_time": NOW - dt.timedelta(days=3)})) == []
    # a git source is not a registry version: nothing to ask, nothing to judge
    assert [r for r in rules(run(dep(source=Source("git", "https://github.com/x/y")), young))
            if r[0] == "release-age"] == []


def test_version_exists() -> None:
    [(rule, level, unknown, message)] = run(dep(), facts(exists=False, reason="https://pypi.org/simple lists no "
                                                          "version 1.82.8 of litellm", registry="https://pypi.org/simple"))
    assert (rule, level, unknown) == ("version-exists", "block", False)
    assert message.startswith("https://pypi.org/simple does not list litellm 1.82.8: it was deleted or unpublished")
    yanked = facts(**{**KNOWN, "yanked": True}, yanked_reason="broken build")
    assert [(r, lv, m) for r, lv, _, m in run(dep(), yanked)] == [
        ("version-exists", "warn", "litellm 1.82.8 is yanked on the registry: broken build")]
    assert rules(run(dep(), yanked, "  version-exists: {level: block, yanked: block}\n")) == [
        ("version-exists", "block", False)]
    deprecated = facts(**KNOWN, deprecated="use litellm2")
    assert rules(run(dep(), deprecated)) == [("version-exists", "info", False)]


def test_hash_mismatch() -> None:
    assert run(dep(hashes=frozenset({SHA_A})), facts(**KNOWN)) == []
    [(rule, level, unknown, message)] = run(dep(hashes=frozenset({SHA_A, SHA_B})), facts(**KNOWN))
    assert (rule, level, unknown) == ("hash-mismatch", "block", False)
    assert message.startswith("litellm 1.82.8: 1 of the hashes pinned in requirements.txt (sha256:bbbbbbbbbbbbbbbb…)")
    # only sha512 pinned, only sha256 published: cannot be compared
    assert rules(run(dep(hashes=frozenset({"sha512:" + "c" * 128})), facts(**KNOWN))) == [
        ("hash-mismatch", "warn", True)]
    # Yarn Berry cache checksums are no registry digest: not judged
    assert run(dep(hashes=frozenset({"yarn-berry:10c0/abc"})), facts(**KNOWN)) == []


def _trusted(*publishers: Publisher) -> Provenance:
    return Provenance("trusted-publisher", frozenset(publishers))


PIN = ("  provenance:\n    level: block\n    trusted-publishers:\n"
       "      - {package: \"pypi:litellm\", repository: BerriAI/litellm, workflow: release.yml}\n")


def test_provenance_trusted_publishers() -> None:
    good = facts(**{**KNOWN, "provenance": _trusted(Publisher("GitHub", "berriai/litellm", "release.yml"))})
    assert run(dep(), good, PIN) == []
    evil = facts(**{**KNOWN, "provenance": _trusted(Publisher("GitHub", "evil/litellm", "release.yml"))})
    [(rule, level, _, message)] = run(dep(), evil, PIN)
    assert (rule, level) == ("provenance", "block")
    assert message.startswith("litellm 1.82.8 was published by GitHub evil/litellm (release.yml), not by the expected "
                              "BerriAI/litellm (release.yml)")
    other_workflow = facts(**{**KNOWN, "provenance": _trusted(Publisher("GitHub", "BerriAI/litellm", "hijack.yml"))})
    assert rules(run(dep(), other_workflow, PIN)) == [("provenance", "block", False)]
    none = facts(**KNOWN)  # provenance None: the registry says there is none
    assert "has no provenance, and the policy requires it" in run(dep(), none, PIN)[0][3]
    unknown_who = facts(**{**KNOWN, "provenance": Provenance("trusted-publisher", UNKNOWN)})
    assert rules(run(dep(), unknown_who, PIN)) == [("provenance", "warn", True)]
    assert run(dep(name="other"), facts(name="other", **KNOWN), PIN) == []  # not named: not required


def test_provenance_verify_without_the_extra_says_so() -> None:
    pin = PIN + "    verify: true\n"
    unverified = Provenance("trusted-publisher", frozenset({Publisher("GitHub", "BerriAI/litellm", "release.yml")}),
                            verified=UNKNOWN,
                            verification="cryptographic verification needs the optional extra lockgate[verify]")
    [(rule, level, unknown, message)] = run(dep(), facts(**{**KNOWN, "provenance": unverified}), pin)
    assert (rule, level, unknown) == ("provenance", "warn", True)
    assert "needs the optional extra lockgate[verify]" in message
    failed = unverified._replace(verified=False, verification="bad signature")
    assert rules(run(dep(), facts(**{**KNOWN, "provenance": failed}), pin)) == [("provenance", "block", False)]


@pytest.mark.parametrize(("evidence", "prior", "expected"), [
    ("none", "trusted-publisher", [("provenance-downgrade", "block", False)]),
    ("provenance", "trusted-publisher", [("provenance-downgrade", "block", False)]),
    ("none", "provenance", [("provenance-downgrade", "block", False)]),
    ("trusted-publisher", "trusted-publisher", []),
    ("provenance", "none", []),
    ("none", None, []),  # the first release: nothing to compare with
    (UNKNOWN, "trusted-publisher", [("provenance-downgrade", "warn", True)]),
    ("none", UNKNOWN, [("provenance-downgrade", "warn", True)]),
])
def test_provenance_downgrade(evidence: object, prior: object, expected: list) -> None:
    provenance = UNKNOWN if evidence is UNKNOWN else None if evidence == "none" else Provenance(
        evidence, UNKNOWN)
    fact = facts(**{**KNOWN, "provenance": provenance, "prior_evidence": prior}, prior_version="1.82.6")
    assert rules(run(dep(), fact)) == expected
    if expected and not expected[0][2]:
        assert "but version 1.82.6 had" in run(dep(), fact)[0][3]
    excluded = "  provenance-downgrade: {level: block, exclude: [\"pypi:litellm\"]}\n"
    assert run(dep(), fact, excluded) == []
