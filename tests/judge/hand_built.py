"""Hand-built dependencies, changes and manifests of requirements.txt, and the engine run on them: shared by
the tests of the engine, of the review and exception rules, and of the review ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from checker.judge.engine import Judgement, judge
from checker.model import Change, Dependency, Finding, IndexOption, Manifest, Source
from checker.policy.load import Policy, load_policy


TODAY = dt.date(2026, 4, 1)
POLICY = ".github/lockgate.yml"
SHA256 = "sha256:" + "a" * 64


def dep(
    name: str,
    version: str | None,
    *,
    hashes: tuple[str, ...] = (SHA256,),
    specifier: str | None = None,
    ecosystem: str = "pypi",
    scope: str = "prod",
    direct: bool = True,
    manifest: str = "requirements.txt",
    line: int | None = 3,
    source: Source = Source(),
) -> Dependency:
    if specifier is None:
        specifier = f"=={version}" if version is not None else ""
    return Dependency(
        ecosystem, name, version, specifier, source=source, hashes=frozenset(hashes), scope=scope, direct=direct,
        manifest=manifest, line=line,
    )


def manifest(*deps: Dependency, path: str = "requirements.txt", indexes: tuple[IndexOption, ...] = ()) -> Manifest:
    return Manifest(path, "requirements", "pypi", tuple(deps), indexes=indexes)


def upgrade(name: str, before: str, after: str, bump: str = "minor", **kwargs: Any) -> Change:
    return Change("upgraded", dep(name, before, **kwargs), dep(name, after, **kwargs), bump)


def added(name: str, version: str, **kwargs: Any) -> Change:
    return Change("added", None, dep(name, version, **kwargs))


def removed(name: str, version: str, **kwargs: Any) -> Change:
    return Change("removed", dep(name, version, **kwargs), None)


def policy(text: str | None = None) -> Policy:
    """A policy document on top of the default preset (None: the default preset itself)."""
    return load_policy(None if text is None else "extends: default\n" + text, POLICY, lambda path: None)


def run(changes: list[Change], text: str | None = None, **kwargs: Any) -> Judgement:
    """Judge ``changes`` of requirements.txt; the head manifest holds every dependency they leave behind."""
    head = manifest(*[c.after for c in changes if c.after is not None])
    base = manifest(*[c.before for c in changes if c.before is not None])
    kwargs.setdefault("today", TODAY)
    return judge(changes, [base], [head], policy(text), **kwargs)


def brief(judgement: Judgement) -> list[tuple[str, str]]:
    return [(f.rule, f.level) for f in judgement.findings]


RANGE_CHANGE = Change(
    "upgraded", dep("legacy", None, specifier=">=1"), dep("legacy", None, specifier=">=2", line=7), "major"
)
# The range sits in a file in pip's hash-checking mode, which hash-pinning also reports; these tests are about
# exceptions, so they turn hash-pinning off (two lines, before the exceptions).
NO_HASH_PINNING = "rules:\n  hash-pinning: 'off'\n"


def finding(level: str, excepted_by: str | None = None) -> Finding:
    return Finding("deny", level, "m", excepted_by=excepted_by)
