"""The facts stage asking OpenSSF Scorecard (checker/registries/stage.py): only when the rule is on, each repository
once, npm's repository from the packument (no extra request), an action's from its name, and a commit-pinned
action's GitHub facts kept beside its score."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.model import UNKNOWN, Dependency, Scorecard, SourceRepository
from checker.policy.load import load_policy
from checker.registries.stage import gather_facts
from tests.fakes.registry import FakeRegistry, at
from tests.fakes.scorecard import FakeScorecard
from tests.registries.test_stage_github_refs import FakeRefs

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


@pytest.fixture
def apis(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with FakeRegistry() as registry, FakeScorecard() as scorecard:
        yield registry, scorecard


def policy(registry: FakeRegistry, rules: str) -> object:
    text = (f"registries: {{npm: '{registry.npm_url}', timeout: 2, retries: 1}}\nrules:\n"
            "  vulnerability: off\n  malicious: off\n" + rules)  # OSV is not this file's subject
    return load_policy(text, "p.yml", lambda p: None)


def npm(name: str, version: str) -> Dependency:
    return Dependency("npm", name, version, version, manifest="package-lock.json", line=1)


def action(name: str, version: str, label: str | None = None) -> Dependency:
    return Dependency("actions", name, version, manifest=".github/workflows/ci.yml", line=7, label=label)


def test_npm_and_actions_scored_each_repository_once(apis) -> None:  # type: ignore[no-untyped-def]
    registry, scorecard = apis
    registry.add_npm("left-pad", "1.3.0", at(1))["repository"] = {"url": "git@github.com:stevemao/left-pad.git",
                                                                 "type": "git"}
    registry.add_npm("pad-left", "2.0.0", at(1))["repository"] = "stevemao/left-pad"  # the same repository
    registry.add_npm("nameless", "1.0.0", at(1))
    scorecard.add("github.com/stevemao/left-pad", score=3.5)
    deps = [npm("left-pad", "1.3.0"), npm("pad-left", "2.0.0"), npm("nameless", "1.0.0"),
            action("actions/checkout", "v4.2.0")]
    found = gather_facts(deps, offline=False, policy=policy(registry, "  scorecard: warn\n  pin-comment: off\n"),
                         environ={"LOCKGATE_SCORECARD_URL": scorecard.url})
    left, pad, nameless = (found[("npm", n, v)] for n, v in (("left-pad", "1.3.0"), ("pad-left", "2.0.0"),
                                                              ("nameless", "1.0.0")))
    assert left.repository == pad.repository == SourceRepository("github.com", "stevemao", "left-pad")
    assert isinstance(left.scorecard, Scorecard) and left.scorecard.score == 3.5 and pad.scorecard == left.scorecard
    assert (nameless.repository, nameless.scorecard) == (None, None)
    checkout = found[("actions", "actions/checkout", "v4.2.0")]
    assert checkout.repository == SourceRepository("github.com", "actions", "checkout")
    assert checkout.scorecard is None  # the fake has no result for it: not scored
    assert sorted(scorecard.asked()) == ["/projects/github.com/actions/checkout",
                                         "/projects/github.com/stevemao/left-pad"]
    assert [path for path, _ in registry.requests if "attestations" in path or "/pypi/" in path] == []


def test_nothing_asked_when_the_rule_is_off(apis) -> None:  # type: ignore[no-untyped-def]
    registry, scorecard = apis
    registry.add_npm("left-pad", "1.3.0", at(1))["repository"] = "stevemao/left-pad"
    found = gather_facts([npm("left-pad", "1.3.0"), action("actions/checkout", "v4.2.0")], offline=False,
                         policy=policy(registry, "  version-exists: warn\n  pin-comment: off\n"),
                         environ={"LOCKGATE_SCORECARD_URL": scorecard.url})
    assert found[("npm", "left-pad", "1.3.0")].repository is UNKNOWN
    assert found[("npm", "left-pad", "1.3.0")].scorecard is UNKNOWN
    assert ("actions", "actions/checkout", "v4.2.0") not in found
    assert scorecard.asked() == []


def test_a_commit_pinned_action_keeps_its_github_facts(apis) -> None:  # type: ignore[no-untyped-def]
    registry, scorecard = apis
    scorecard.add("github.com/actions/checkout", score=8.0)
    github = FakeRefs({("actions/checkout", "v4.2.2"): SHA}, {("actions/checkout", SHA): True}, {"actions/checkout"})
    found = gather_facts([action("actions/checkout", SHA, "v4.2.2")], offline=False, github=github,  # type: ignore[arg-type]
                         policy=policy(registry, "  scorecard: warn\n"),
                         environ={"LOCKGATE_SCORECARD_URL": scorecard.url})
    facts = found[("actions", "actions/checkout", SHA)]
    assert facts.reachable is True and dict(facts.tag_commits) == {"v4.2.2": SHA}  # type: ignore[arg-type]
    assert isinstance(facts.scorecard, Scorecard) and facts.scorecard.score == 8.0


def test_scorecard_down_is_unknown_with_the_reason(apis) -> None:  # type: ignore[no-untyped-def]
    registry, scorecard = apis
    from tests.fakes.registry import Fault

    scorecard.fail("/projects/github.com/actions/checkout", Fault("status", 503), Fault("status", 503))
    found = gather_facts([action("actions/checkout", "v4.2.0")], offline=False,
                         policy=policy(registry, "  scorecard: warn\n  pin-comment: off\n"),
                         environ={"LOCKGATE_SCORECARD_URL": scorecard.url})
    facts = found[("actions", "actions/checkout", "v4.2.0")]
    assert facts.scorecard is UNKNOWN
    assert (facts.reason or "").startswith(f"scorecard: HTTP 503 from {scorecard.url}/projects/github.com/actions/")
