"""scorecard on hand-built Facts, through the engine (and the policy loader's check of min-score); the facts stage
and the client have their own tests (tests/registries/), and the end-to-end run is at the bottom."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.errors import PolicyError
from checker.judge.engine import judge
from checker.model import UNKNOWN, Change, Dependency, Manifest, Scorecard, ScorecardCheck, SourceRepository
from checker.policy.load import load_policy
from checker.rules.scorecard import RULE, viewer_url
from tests.rules.fact_subjects import KNOWN, NOW, dep, facts, quiet, run

ON = "  scorecard: {level: warn, min-score: 5}\n"
REPO = SourceRepository("github.com", "BerriAI", "litellm")
LOW = Scorecard(3.2, "2026-03-20T10:00:00Z", (
    ScorecardCheck("Code-Review", 0, "Found 0/30 approved changesets -- score normalized to 0"),
    ScorecardCheck("Maintained", 0, "0 commit(s) and 0 issue activity found in the last 90 days"),
))


def scored(card: object, repository: object = REPO, **more: object) -> object:
    return facts(**{**KNOWN, "repository": repository, "scorecard": card, **more})


def findings(found: list[tuple[str, str, bool, str]]) -> list[tuple[str, bool, str]]:
    return [(level, unknown, message) for rule, level, unknown, message in found if rule == "scorecard"]


def test_off_by_default() -> None:
    assert RULE.default_level == "off"
    assert findings(run(dep(), scored(LOW))) == []


def test_below_min_score_names_the_score_the_repository_and_the_weakest_checks() -> None:
    [(level, unknown, message)] = findings(run(dep(), scored(LOW), ON))
    assert (level, unknown) == ("warn", False)
    assert message == (
        "litellm 1.82.8: its source repository github.com/BerriAI/litellm scores 3.2/10 (2026-03-20) on OpenSSF "
        "Scorecard, below 5; weakest: Code-Review 0 (Found 0/30 approved changesets -- score normalized to 0), "
        "Maintained 0 (0 commit(s) and 0 issue activity found in the last 90 days)")


def test_the_hint_links_the_scorecard_viewer() -> None:
    policy = load_policy("extends: default\nrules:\n" + ON, "p.yml", lambda p: None)
    judged = judge([Change("added", None, dep())], [], [Manifest("requirements.txt", "requirements", "pypi", (dep(),))],
                   policy, today=NOW.date(), facts={("pypi", "litellm", "1.82.8"): scored(LOW)})  # type: ignore[dict-item]
    [finding] = [f for f in judged.findings if f.rule == "scorecard"]
    assert "(scorecard.dev/viewer/?uri=github.com/BerriAI/litellm)" in (finding.hint or "")  # past redaction
    assert viewer_url(SourceRepository("gitlab.com", "g/sub", "p")) == \
        "https://scorecard.dev/viewer/?uri=gitlab.com%2Fg%2Fsub%2Fp"
    assert viewer_url(REPO, encoded=False) == "https://scorecard.dev/viewer/?uri=github.com/BerriAI/litellm"


def test_at_or_above_min_score_says_nothing() -> None:
    assert findings(run(dep(), scored(LOW._replace(score=5.0)), ON)) == []
    assert findings(run(dep(), scored(LOW._replace(score=3.2)), ON.replace("5", "3"))) == []  # default-like: 3


def test_the_default_min_score_is_the_peers_3() -> None:
    assert RULE.defaults()["min-score"] == 3.0
    assert findings(run(dep(), scored(LOW._replace(score=2.9)), "  scorecard: warn\n"))[0][0] == "warn"


def test_the_level_is_the_policys() -> None:
    assert findings(run(dep(), scored(LOW), ON.replace("warn", "block")))[0][0] == "block"


def test_no_repository_or_no_score_takes_the_unknown_level_info_by_default() -> None:
    [(level, unknown, message)] = findings(run(dep(), scored(None, None), ON))
    assert (level, unknown) == ("info", False)
    assert message == "litellm 1.82.8 names no source repository, so no OpenSSF Scorecard score vouches for it"
    [(level, unknown, message)] = findings(run(dep(), scored(None), ON))
    assert (level, unknown) == ("info", False)
    assert message == ("litellm 1.82.8's source repository github.com/BerriAI/litellm has no OpenSSF Scorecard score "
                       "(Scorecard has not scored it)")
    elsewhere = SourceRepository("ghe.example.com", "acme", "litellm")
    assert "github.com and gitlab.com only" in findings(run(dep(), scored(None, elsewhere), ON))[0][2]
    assert findings(run(dep(), scored(None), ON.replace("}", ", unknown: warn}")))[0][0] == "warn"
    assert findings(run(dep(), scored(None), ON.replace("}", ", unknown: off}"))) == []
    # capped at the rule's level
    assert findings(run(dep(), scored(None), "  scorecard: {level: info, unknown: block}\n"))[0][0] == "info"


def test_not_found_out_is_an_unknown_finding_never_a_pass() -> None:
    for fact in (scored(UNKNOWN, reason="scorecard: HTTP 503 from https://api.securityscorecards.dev/…"),
                 scored(UNKNOWN, UNKNOWN, reason="offline, not cached: https://pypi.org/pypi/litellm/1.82.8/json")):
        [(level, unknown, message)] = findings(run(dep(), fact, ON))
        assert unknown is True and level == "warn"  # on-unknown (warn in the default preset), capped at the rule's
        assert message.startswith("could not find out the OpenSSF Scorecard score of litellm 1.82.8's source repository (")


def test_no_facts_or_a_deleted_version_is_not_judged() -> None:
    assert findings(run(dep(), None, ON)) == []
    assert findings(run(dep(), scored(LOW, exists=False), ON)) == []


def test_exclude() -> None:
    assert findings(run(dep(), scored(LOW), ON.replace("}", ", exclude: ['pypi:lite*']}"))) == []


@pytest.mark.parametrize("kind", ["source-changed", "hashes-changed", "scope-changed", "removed"])
def test_a_change_that_brings_no_other_version_is_not_judged(kind: str) -> None:
    after = dep()
    change = Change(kind, after._replace(scope="dev"), None if kind == "removed" else after)
    policy = load_policy("extends: default\nrules:\n" + ON, "p.yml", lambda p: None)
    judged = judge([change], [], [Manifest("requirements.txt", "requirements", "pypi", (after,))], policy,
                   today=NOW.date(), facts={("pypi", "litellm", "1.82.8"): scored(LOW)})  # type: ignore[dict-item]
    assert [f for f in judged.findings if f.rule == "scorecard"] == []


def test_an_action_is_judged_by_its_own_repository() -> None:
    action = Dependency("actions", "tj-actions/changed-files", "v45.0.0", manifest=".github/workflows/ci.yml", line=9)
    repo = SourceRepository("github.com", "tj-actions", "changed-files")
    fact = facts("tj-actions/changed-files", "v45.0.0", repository=repo, scorecard=LOW)._replace(ecosystem="actions")
    policy = load_policy("extends: default\nrules:\n" + ON, "p.yml", lambda p: None)
    judged = judge([Change("added", None, action)], [], [Manifest(".github/workflows/ci.yml", "workflow", "actions",
                                                                  (action,))],
                   policy, today=NOW.date(), facts={("actions", action.name, "v45.0.0"): fact})
    [finding] = [f for f in judged.findings if f.rule == "scorecard"]
    assert finding.message.startswith("tj-actions/changed-files v45.0.0: its source repository "
                                      "github.com/tj-actions/changed-files scores 3.2/10")


@pytest.mark.parametrize("value", ["11", "-1", "'high'", "true", ".nan", "[3]"])
def test_min_score_must_be_a_number_from_0_to_10(value: str) -> None:
    with pytest.raises(PolicyError, match="min-score must be a number from 0 to 10"):
        load_policy(f"rules:\n  scorecard: {{level: warn, min-score: {value}}}\n", "p.yml", lambda p: None)
    assert load_policy("rules:\n  scorecard: {level: warn, min-score: 7.5}\n", "p.yml",
                       lambda p: None).rules["scorecard"].options["min-score"] == 7.5


def test_the_policy_names_the_scorecard_api() -> None:
    policy = load_policy("registries: {scorecard: {url: 'https://scorecard.mirror.example'}}\n", "p.yml",
                         lambda p: None)
    assert policy.registries.scorecard == "https://scorecard.mirror.example"
    assert load_policy("registries: {scorecard: 'https://s.example'}\n", "p.yml", lambda p: None).registries.scorecard \
        == "https://s.example"


def test_the_schema_offers_the_rule_and_the_api() -> None:
    from checker.policy.schema import policy_schema

    text = json.dumps(policy_schema())
    assert '"min-score": {"type": "number", "minimum": 0, "maximum": 10' in text
    assert "the OpenSSF Scorecard API" in text


# -- end to end: lockgate check in a real repository, the rule on, the fake registry and Scorecard API --------------


@pytest.fixture
def apis(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    from tests.fakes.registry import FakeRegistry, standard_scenarios
    from tests.fakes.scorecard import FakeScorecard

    monkeypatch.delenv("LOCKGATE_REGISTRY_OFFLINE", raising=False)
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with FakeRegistry() as registry, FakeScorecard() as scorecard:
        standard_scenarios(registry)
        monkeypatch.setenv("LOCKGATE_SCORECARD_URL", scorecard.url)
        yield registry, scorecard


def e2e_policy(registry: object, extra: str = "") -> str:
    return (
        "extends: default\non-unknown: warn\nregistries:\n"
        f"  pypi: {{url: \"{registry.pypi_url}\"}}\n  npm: {{url: \"{registry.npm_url}\"}}\n"  # type: ignore[attr-defined]
        "  timeout: 2\n  retries: 1\nreview: {required-for: []}\nrules:\n"
        "  hash-pinning: off\n  release-age: off\n  provenance-downgrade: off\n  action-pinning: off\n"
        + quiet(extra)
    )


WORKFLOW = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: {}\n"


def test_check_end_to_end(capsys: pytest.CaptureFixture[str], repo, apis) -> None:  # type: ignore[no-untyped-def]
    """A PyPI upgrade whose project names a low-scored repository (the JSON API request, shared with the license),
    an npm package that names none, and an action whose repository is scored well: one Scorecard request per
    repository, the findings, and the JSON facts."""
    from checker.cli import main

    registry, scorecard = apis
    registry.set_pypi_info("moved", "2.1", license_expression="MIT",
                           project_urls={"Documentation": "https://moved.readthedocs.io",
                                         "Source Code": "https://github.com/acme/moved"})
    scorecard.add("github.com/acme/moved", score=2.5)
    scorecard.add("github.com/actions/checkout", score=8.1)
    policy = e2e_policy(registry, "  scorecard: {level: warn, min-score: 4}\n  license: {level: warn, allow: [MIT]}\n")
    base = repo.commit("base", {".github/lockgate.yml": policy, "requirements.txt": "moved==2.0\n",
                                ".github/workflows/ci.yml": WORKFLOW.format("actions/checkout@v4.1.0")})
    head = repo.commit("bump", {"requirements.txt": "moved==2.1\n",
                                ".github/workflows/ci.yml": WORKFLOW.format("actions/checkout@v4.2.0")})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["verdict"] == "warn", doc["findings"]
    [finding] = [f for f in doc["findings"] if f["rule"] == "scorecard"]
    assert finding["name"] == "moved" and finding["level"] == "warn"
    assert finding["message"].startswith("moved 2.1: its source repository github.com/acme/moved scores 2.5/10 "
                                         "(2022-03-21) on OpenSSF Scorecard, below 4; weakest: Branch-Protection 0")
    facts = {f["name"]: f for f in doc["facts"]}
    assert facts["moved"]["repository"] == {"host": "github.com", "owner": "acme", "name": "moved"}
    assert facts["moved"]["scorecard"]["score"] == 2.5
    assert facts["moved"]["scorecard"]["checks"][0] == {
        "name": "Branch-Protection", "score": 0, "reason": "branch protection not enabled on development/release "
        "branches", "url": "https://github.com/ossf/scorecard/blob/main/docs/checks.md#branch-protection"}
    assert facts["moved"]["license"] == "MIT"
    assert facts["actions/checkout"]["scorecard"]["score"] == 8.1
    assert sorted(scorecard.asked()) == ["/projects/github.com/acme/moved", "/projects/github.com/actions/checkout"]
    json_api = [path for path, _ in registry.requests if path.startswith("/pypi/")]
    assert "/pypi/moved/2.1/json" in json_api and len(json_api) == len(set(json_api))  # shared with the license


def test_check_text_and_comment_show_the_score(capsys: pytest.CaptureFixture[str], repo, apis) -> None:  # type: ignore[no-untyped-def]
    from checker.cli import main

    registry, scorecard = apis
    registry.set_pypi_info("moved", "2.1", project_urls={"Repository": "https://github.com/acme/moved"})
    scorecard.add("github.com/acme/moved", score=6.4)
    base = repo.commit("base", {".github/lockgate.yml": e2e_policy(registry, "  scorecard: warn\n"),
                                "requirements.txt": "moved==2.0\n"})
    head = repo.commit("bump", {"requirements.txt": "moved==2.1\n"})
    assert main(["check", "-C", str(repo.path), "--base", base, "--head", head]) == 0
    text = capsys.readouterr().out
    assert "scorecard 6.4/10 (github.com/acme/moved)" in text
    assert main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "markdown"]) == 0
    comment = capsys.readouterr().out
    assert "scorecard 6\\.4/10 \\(github\\.com/acme/moved\\)" in comment  # in the change's details
    assert "[OpenSSF Scorecard of github\\.com/acme/moved](https://scorecard.dev/viewer/?uri=github.com%2Facme%2Fmoved)" \
        in comment


def test_nothing_is_asked_when_the_rule_is_off_or_nothing_changed(capsys: pytest.CaptureFixture[str], repo,  # type: ignore[no-untyped-def]
                                                                  apis) -> None:
    from checker.cli import main

    registry, scorecard = apis
    registry.set_pypi_info("moved", "2.1", project_urls={"Repository": "https://github.com/acme/moved"})
    base = repo.commit("base", {".github/lockgate.yml": e2e_policy(registry, "  version-exists: warn\n"),
                                "requirements.txt": "moved==2.0\n"})
    head = repo.commit("bump", {"requirements.txt": "moved==2.1\n"})
    assert main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert all(f["scorecard"] == "unknown" and f["repository"] == "unknown" for f in doc["facts"])
    assert scorecard.asked() == [] and not any(p.startswith("/pypi/") for p, _ in registry.requests)
    on = repo.commit("rule on", {".github/lockgate.yml": e2e_policy(registry, "  scorecard: warn\n")})
    same = repo.commit("no dependency change", {"README.md": "hello\n"})
    assert main(["check", "-C", str(repo.path), "--base", on, "--head", same, "--format", "json"]) == 0
    capsys.readouterr()
    assert scorecard.asked() == []


def test_offline_the_score_is_unknown_at_the_unknown_cost(capsys: pytest.CaptureFixture[str], repo, apis) -> None:  # type: ignore[no-untyped-def]
    from checker.cli import main

    registry, scorecard = apis
    scorecard.add("github.com/acme/moved", score=2.0)
    base = repo.commit("base", {".github/lockgate.yml": e2e_policy(registry, "  scorecard: {level: block}\n"),
                                "requirements.txt": "moved==2.0\n"})
    head = repo.commit("bump", {"requirements.txt": "moved==2.1\n"})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json", "--offline"])
    doc = json.loads(capsys.readouterr().out)
    [finding] = [f for f in doc["findings"] if f["rule"] == "scorecard"]
    assert (code, finding["unknown"], finding["level"]) == (0, True, "warn")  # on-unknown: warn
    assert scorecard.asked() == []
