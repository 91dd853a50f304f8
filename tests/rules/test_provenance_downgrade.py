"""provenance-downgrade on hand-built Facts (UNKNOWN kept apart from None and False), through the engine."""

from __future__ import annotations

import pytest

from checker.model import UNKNOWN, Provenance
from tests.rules.fact_subjects import KNOWN, dep, facts, rules, run


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
