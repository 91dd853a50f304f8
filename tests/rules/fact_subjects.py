"""Hand-built registry Facts for one PyPI upgrade, judged by the engine: shared by the tests of the registry-fact
rules."""

from __future__ import annotations

import datetime as dt

from checker.judge.engine import judge
from checker.model import Change, Dependency, Facts, Manifest
from checker.policy.load import load_policy


NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
SHA_A = "sha256:" + "a" * 64


def dep(name: str = "litellm", version: str = "1.82.8", **extra: object) -> Dependency:
    return Dependency("pypi", name, version, f"=={version}", manifest="requirements.txt", line=3, **extra)  # type: ignore[arg-type]


def facts(name: str = "litellm", version: str = "1.82.8", **fields: object) -> Facts:
    return Facts("pypi", name, version, as_of=NOW, **fields)  # type: ignore[arg-type]


def run(after: Dependency, fact: Facts | None, policy: str = "", bump: str = "patch") -> list[tuple[str, str, bool, str]]:
    before = Dependency("pypi", after.name, "1.0", "==1.0", manifest="requirements.txt", line=3)
    change = Change("upgraded", before, after, bump)
    head = [Manifest("requirements.txt", "requirements", "pypi", (after,))]
    # The rules that read advisories, tags, publishers and artifact contents are off unless the test's policy names
    # them: most tests judge one other rule, on facts that hold nothing for those.
    text = "extends: default\nreview: {required-for: []}\nrules:\n  hash-pinning: off\n  deny: off\n" + quiet(policy)
    judged = judge([change], [], head, load_policy(text, ".github/lockgate.yml", lambda p: None), today=NOW.date(),
                   facts={("pypi", after.name, after.version or ""): fact} if fact is not None else {})
    return [(f.rule, f.level, f.unknown, f.message) for f in judged.findings]


QUIET_RULES = ("vulnerability", "malicious", "artifact-content", "source-tag", "publisher-change")


def quiet(rules_text: str) -> str:
    """``rules_text`` (lines of a policy's ``rules:`` section) with each of QUIET_RULES it does not name turned off."""
    return "".join(f"  {rule}: off\n" for rule in QUIET_RULES if f"  {rule}:" not in rules_text) + rules_text


def rules(found: list[tuple[str, str, bool, str]]) -> list[tuple[str, str, bool]]:
    return [(rule, level, unknown) for rule, level, unknown, _ in found]


KNOWN = dict(exists=True, release_time=NOW - dt.timedelta(days=30), yanked=False, hashes=frozenset({SHA_A}),
             provenance=None, prior_evidence=None, vulnerabilities=())
