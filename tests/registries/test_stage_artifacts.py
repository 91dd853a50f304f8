"""The facts stage reading release files (checker/registries/stage.py with checker/registries/artifacts.py): only
when rule artifact-content is on, the version an upgrade moves from compared, offline an unknown with its reason;
and the rule's verdict on the litellm 1.82.6 -> 1.82.8 reconstruction, end to end through the engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.judge.engine import judge
from checker.model import UNKNOWN, ArtifactContents, Change, Dependency, Manifest
from checker.policy.load import load_policy
from checker.registries.stage import gather_facts
from tests.fakes.wheels import FakeWheelHost, litellm_wheel


@pytest.fixture
def host(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with FakeWheelHost() as fake:
        for version in ("1.82.6", "1.82.7", "1.82.8"):
            fake.add_release("litellm", version, litellm_wheel(version))
        yield fake


def policy(host: FakeWheelHost, rules: str) -> object:
    text = (f"registries: {{pypi: '{host.root}/simple', timeout: 2, retries: 0}}\nrules:\n"
            "  vulnerability: off\n  malicious: off\n  release-age: off\n  review: off\n  hash-pinning: off\n"
            "  deny: off\n" + rules)  # no known-bad list: the artifact alone must catch it
    return load_policy(text, "p.yml", lambda p: None)


def litellm(version: str) -> Dependency:
    return Dependency("pypi", "litellm", version, f"=={version}", manifest="requirements.txt", line=1)


def test_the_litellm_upgrade_blocks_on_its_pth(host: FakeWheelHost) -> None:
    rules = policy(host, "  artifact-content: block\n")
    found = gather_facts([litellm("1.82.8")], offline=False, policy=rules,  # type: ignore[arg-type]
                         previous={("pypi", "litellm", "1.82.8"): ["1.82.6"]})
    facts = found[("pypi", "litellm", "1.82.8")]
    assert isinstance(facts.artifact, ArtifactContents) and facts.artifact.pth_imports == ("litellm_init.pth",)
    assert isinstance(facts.prior_artifact, ArtifactContents) and facts.prior_artifact.version == "1.82.6"
    change = Change("upgraded", litellm("1.82.6"), litellm("1.82.8"), "patch")
    head = [Manifest("requirements.txt", "requirements", "pypi", (litellm("1.82.8"),))]
    judged = judge([change], [], head, rules, facts=found, today=dt.date(2026, 3, 24))  # type: ignore[arg-type]
    blocking = [(f.rule, f.level) for f in judged.findings if f.level == "block"]
    assert blocking == [("artifact-content", "block")], judged.findings


def test_no_wheel_is_read_when_the_rule_is_off(host: FakeWheelHost) -> None:
    found = gather_facts([litellm("1.82.8")], offline=False, policy=policy(host, "  version-exists: block\n"))  # type: ignore[arg-type]
    assert found[("pypi", "litellm", "1.82.8")].artifact is UNKNOWN
    assert not [path for path, _ in host.requests if path.startswith("/files/")]


def test_offline_and_not_cached_is_unknown_with_its_reason(host: FakeWheelHost) -> None:
    rules = policy(host, "  artifact-content: block\n")
    gather_facts([litellm("1.82.7")], offline=False, policy=rules)  # type: ignore[arg-type]  # caches the page
    facts = gather_facts([litellm("1.82.8")], offline=True, policy=rules)[("pypi", "litellm", "1.82.8")]  # type: ignore[arg-type]
    assert facts.artifact is UNKNOWN and "offline, not cached" in str(facts.reason)
    cached = gather_facts([litellm("1.82.7")], offline=True, policy=rules)[("pypi", "litellm", "1.82.7")]  # type: ignore[arg-type]
    assert isinstance(cached.artifact, ArtifactContents)
