"""The facts stage: what the outside world says about the versions a run judges, gathered before the rules run.

Rules are pure; they read Facts. This stage asks the registries, only for the dependencies handed to it (the
changed ones in a pull request, every one with ``--all``), concurrently, each question once. Offline, or when a
lookup fails, a fact is UNKNOWN with a reason: "could not find out", never "no".

Today it knows GitHub Actions pinned by full commit SHA: for each, the commit the version comment's tag points
to and whether the commit is reachable from a branch or tag of the repository (checker/registries/github.py).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Iterable, Mapping

from checker.gitrefs import is_full_sha, repository_of, version_label
from checker.model import UNKNOWN, Dependency, Facts

FactsKey = tuple[str, str, str]
WORKERS = 4


def gather_facts(
    dependencies: Iterable[Dependency],
    *,
    offline: bool,
    environ: Mapping[str, str] | None = None,
    github: Any = None,
) -> dict[FactsKey, Facts]:
    """Facts keyed by (ecosystem, name, version), as the policy engine looks them up. ``github``: a
    GitHubRefs to use instead of one built from the environment (tests)."""
    pins: dict[FactsKey, set[str]] = {}
    for dep in dependencies:
        if dep.ecosystem == "actions" and is_full_sha(dep.version):
            tags = pins.setdefault((dep.ecosystem, dep.name, dep.version or ""), set())
            tag = version_label(dep.label)
            if tag is not None:
                tags.add(tag)
    if not pins:
        return {}
    if offline:
        return {key: Facts(*key, reason="offline: GitHub was not asked") for key in pins}
    from concurrent.futures import ThreadPoolExecutor  # not on the offline path: it imports logging

    if github is None:
        from checker.registries.github import GitHubRefs

        github = GitHubRefs.from_environment(environ)
    keys = sorted(pins)
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(keys))) as pool:
        found = list(pool.map(lambda key: _action_pin_facts(github, key, sorted(pins[key])), keys))
    return dict(zip(keys, found))


def _action_pin_facts(github: Any, key: FactsKey, tags: list[str]) -> Facts:
    from checker.registries.github import GitHubUnavailable

    _, name, sha = key
    repo = repository_of(name)
    reasons: list[str] = []
    tag_commits: object = UNKNOWN
    try:
        tag_commits = MappingProxyType({tag: github.version_tag_commit(repo, tag) for tag in tags})
    except GitHubUnavailable as exc:
        reasons.append(str(exc))
    reachable: object = UNKNOWN
    try:
        answer = github.commit_reachable(repo, sha, tags)
        if answer is None:
            reasons.append(f"no branch or tag of {repo} among the first {github.max_compares} compared contains it")
        else:
            reachable = answer
    except GitHubUnavailable as exc:
        reasons.append(str(exc))
    return Facts(*key, tag_commits=tag_commits, reachable=reachable, reason="; ".join(reasons) or None)
