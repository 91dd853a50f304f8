"""provenance on hand-built Facts, through the engine: trusted publishers, and verify without the extra."""

from __future__ import annotations

from checker.model import UNKNOWN, Provenance
from checker.registries.types import Publisher
from tests.rules.fact_subjects import KNOWN, dep, facts, rules, run


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
