"""deny, review and exceptions through the engine on npm lockfiles, with scoped names and npm ranges."""

from __future__ import annotations

import datetime as dt

from checker.diff.changes import diff
from checker.judge.engine import judge
from checker.model import Manifest
from checker.policy.load import load_policy
from tests.rules.npm_lockfiles import entry, lock


TODAY = dt.date(2026, 4, 1)


# ---------------------------------------------------------------------------------------------------------------
# deny and review through the engine, with scoped names
# ---------------------------------------------------------------------------------------------------------------


def _judge(
    base: Manifest, head: Manifest, policy_text: str | None = None, evidence: str | None = "approved by alice"
) -> list[tuple[str, str, str]]:
    policy = load_policy(policy_text, "p.yml", lambda _: None)
    changes = diff([base], [head])
    judgement = judge(changes, [base], [head], policy, today=TODAY, pull_request_evidence=evidence)
    return [(f.rule, f.level, f.message) for f in judgement.findings]


def test_known_bad_scoped_release_is_denied() -> None:
    base = lock({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.0")})
    head = lock({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.1")})
    assert ("deny", "block", "@ctrl/tinycolor 4.1.1 is a known-malicious release (Shai-Hulud worm, "
            "September 2025)") in _judge(base, head)


def test_policy_deny_with_an_npm_range_and_scope_glob() -> None:
    base = lock({"node_modules/@acme/x": entry("@acme/x", "1.9.0")})
    head = lock({"node_modules/@acme/x": entry("@acme/x", "2.0.0-rc.1")})
    policy = 'rules:\n  deny:\n    packages:\n      - {package: "npm:@acme/*@^2.0.0-0", reason: "not yet"}\n'
    found = _judge(base, head, policy)
    assert ("deny", "block", "@acme/x 2.0.0-rc.1 is on the policy's deny list (npm:@acme/*@^2.0.0-0: not yet)") in found
    assert not any(rule == "deny" for rule, _, _ in _judge(base, head, policy.replace("@acme/*", "@other/*")))


def test_review_blocks_an_unreviewed_npm_bump_unless_skipped_or_approved() -> None:
    base = lock({"node_modules/@babel/core": entry("@babel/core", "7.26.0")})
    head = lock({"node_modules/@babel/core": entry("@babel/core", "7.26.9")})
    assert _judge(base, head, evidence=None) == [(
        "review", "block", "upgraded @babel/core 7.26.0 -> 7.26.9 needs a review by a maintainer",
    )]
    skip = "review:\n  skip: [{package: 'npm:@babel/*'}]\n"
    assert _judge(base, head, skip, evidence=None) == []
    assert _judge(base, head) == []


def test_exception_waives_an_npm_finding_by_scoped_name_and_range() -> None:
    base = lock({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.0")})
    head = lock({"node_modules/@ctrl/tinycolor": entry("@ctrl/tinycolor", "4.1.1", hasInstallScript=True)})
    policy = load_policy(
        "review: {required-for: []}\nexceptions:\n  - {rule: install-scripts, package: 'npm:@ctrl/tinycolor@~4.1.0',"
        " reason: 'read it', expires: 2027-01-31}\n",
        "p.yml", lambda _: None,
    )
    judgement = judge(diff([base], [head]), [base], [head], policy, today=TODAY)
    install = [f for f in judgement.findings if f.rule == "install-scripts"]
    assert [f.excepted_by for f in install] == ["read it (until 2027-01-31, p.yml:3)"]
