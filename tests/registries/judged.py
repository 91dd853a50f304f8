"""Judging one dependency of any ecosystem with the facts a registry client answered, through the engine: what the
registry tests of the other ecosystems (NuGet, pub) use to show a rule's verdict on real client output."""

from __future__ import annotations

import datetime as dt

from checker.judge.engine import judge
from checker.model import Change, Dependency, Manifest
from checker.policy.load import load_policy
from checker.registries.types import VersionFacts

NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)


def judged(dep: Dependency, answer: VersionFacts, fmt: str, policy: str = "") -> list[tuple[str, str, bool, str]]:
    """(rule, level, unknown, message) of every finding on ``dep`` (added to the manifest ``fmt``), judged with
    the facts ``answer`` and the default policy (no review, advisories off)."""
    change = Change("added", None, dep, None)
    head = [Manifest(dep.manifest, fmt, dep.ecosystem, (dep,))]
    text = ("extends: default\nreview: {required-for: []}\nrules:\n  vulnerability: off\n  malicious: off\n"
            + policy)
    facts = answer.to_facts()._replace(exists=answer.exists, yanked_reason=answer.yanked_reason, as_of=NOW,
                                       prior_evidence=None)
    result = judge([change], [], head, load_policy(text, ".github/lockgate.yml", lambda p: None), today=NOW.date(),
                   facts={(dep.ecosystem, dep.name, dep.version or ""): facts})
    return [(f.rule, f.level, f.unknown, f.message) for f in result.findings]
