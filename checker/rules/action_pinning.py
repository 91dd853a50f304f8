"""action-pinning: GitHub Actions and reusable workflows are pinned by full commit SHA (or as a policy allows).

Policies map ``uses:`` patterns to ``hash-pin`` (a full 40-hex commit), ``ref-pin`` (any ref: tag, branch or
commit) or ``any``. The most specific matching pattern wins, ranked as zizmor ranks them (so that lockgate and
zizmor's ``unpinned-uses`` agree under the same policy):

1. ``owner/repo/path``  an exact action path (``github/codeql-action/init``)
2. ``owner/repo``       the repository's root action only, not its sub-paths
3. ``owner/repo/*``     the repository and every path in it
4. ``owner/*``          every repository of the owner
5. ``*``                everything

Within one rank a pattern without ``*`` beats a glob, and a glob with more literal characters beats one with
fewer (``acme/setup-*`` before ``acme/s*``); a remaining tie goes to the pattern that sorts first. Owners and
repositories match case-insensitively (GitHub's names do), paths case-sensitively. Without a matching pattern the
policy is ``hash-pin``. Local actions (``./path``) are part of the repository and never judged.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator, Mapping

from checker.versions.gitrefs import is_full_sha, is_short_sha
from checker.rules.base import Issue, Option, Rule, Subject

POLICIES = ("hash-pin", "ref-pin", "any")
_OWNER = r"[A-Za-z0-9_.-]+"
_REPO = r"(?!\*(?:/|$))(?:[A-Za-z0-9_.-]+|[A-Za-z0-9_.-]*\*[A-Za-z0-9_.-]*)"
_PATH = r"(?!\*$)(?:[^@*\s]+|[^@*\s]*\*[^@*\s]*)"
PATTERN_SYNTAX = rf"\*|{_OWNER}/\*|{_OWNER}/{_REPO}(?:/\*)?|{_OWNER}/{_REPO}/{_PATH}"


class UsesPattern:
    """One policy key, parsed: what it matches and how specific it is."""

    __slots__ = ("text", "rank", "owner", "repo", "path")

    def __init__(self, text: str) -> None:
        self.text = text
        self.owner = self.repo = self.path = None
        if text == "*":
            self.rank = 5
            return
        owner, _, rest = text.partition("/")
        self.owner = owner.lower()
        repo, _, path = rest.partition("/")
        if repo == "*":
            self.rank = 4
        elif path == "*":
            self.rank, self.repo = 3, repo.lower()
        elif path:
            self.rank, self.repo, self.path = 1, repo.lower(), path
        else:
            self.rank, self.repo = 2, repo.lower()

    def sort_key(self) -> tuple[int, int, int, int, int, str]:
        """Lower sorts first, i.e. is more specific."""
        return (self.rank, *_segment_key(self.repo), *_segment_key(self.path), self.text)

    def matches(self, owner: str, repo: str, path: str | None) -> bool:
        if self.rank == 5:
            return True
        if owner.lower() != self.owner:
            return False
        if self.rank == 4:
            return True
        if not _segment_matches(self.repo or "", repo.lower()):
            return False
        if self.rank == 3:
            return True
        if self.rank == 2:
            return path is None
        return path is not None and _segment_matches(self.path or "", path)


def _segment_key(segment: str | None) -> tuple[int, int]:
    """(0 exact | 1 glob, minus the literal length): exact first, then longer globs."""
    if segment is None or "*" not in segment:
        return (0, 0)
    return (1, -(len(segment) - 1))


def _segment_matches(segment: str, value: str) -> bool:
    if "*" not in segment:
        return segment == value
    prefix, _, suffix = segment.partition("*")
    return len(value) >= len(prefix) + len(suffix) and value.startswith(prefix) and value.endswith(suffix)


@lru_cache(maxsize=64)
def _ordered(policies: tuple[tuple[str, str], ...]) -> tuple[tuple[UsesPattern, str], ...]:
    parsed = [(UsesPattern(text), policy) for text, policy in policies]
    return tuple(sorted(parsed, key=lambda item: item[0].sort_key()))


def policy_for(name: str, policies: Mapping[str, str]) -> tuple[str, str]:
    """(policy, pattern that chose it) for an action ``owner/repo[/path]``; ``hash-pin`` when none matches."""
    owner, _, rest = name.partition("/")
    repo, slash, path = rest.partition("/")
    for pattern, policy in _ordered(tuple(policies.items())):
        if pattern.matches(owner, repo, path if slash else None):
            return policy, pattern.text
    return "hash-pin", "default"


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    if dep.ecosystem != "actions" or dep.name.startswith("./"):
        return
    ref = dep.version
    if "${{" in dep.name or (ref is not None and "${{" in ref):
        yield Issue(
            f"`uses: {dep.specifier or dep.name}` holds an expression: GitHub does not evaluate expressions in "
            "uses:, so this step cannot run, and no reviewer can tell what it would run",
            hint="write the action and its full commit SHA literally: uses: owner/repo@<40-hex sha>  # vX.Y.Z",
        )
        return
    if ref is None:
        yield Issue(
            f"`uses: {dep.name}` names no ref: GitHub refuses it, and whatever it resolved to could change",
            hint=f"pin a full commit SHA: uses: {dep.name}@<40-hex sha>  # vX.Y.Z",
        )
        return
    policy, pattern = policy_for(dep.name, options["policies"])
    if policy != "hash-pin" or is_full_sha(ref):
        return
    why = f"(required by the {pattern!r} policy)" if pattern != "default" else "(the default policy)"
    hint = _pin_hint(subject, ref)
    if is_short_sha(ref):
        yield Issue(
            f"{dep.name}@{ref} is a short SHA, not a pin: it is resolved like a branch or tag name and can become "
            f"ambiguous; a full 40-character commit is required {why}",
            hint=hint,
        )
        return
    yield Issue(
        f"{dep.name}@{ref} is pinned to a tag or branch, which can be moved to other code at any time "
        f"(as 76 of the 77 tags of aquasecurity/trivy-action were in March 2026); a full commit SHA is required {why}",
        hint=hint,
    )


def _pin_hint(subject: Subject, ref: str) -> str:
    """How to pin without trusting the ref: never "pin what the tag points to now" (during a tag hijack that is the
    attacker's commit). A change that moves off a commit pin of the same action may keep it; the new release's
    commit is to be checked against something the attacker cannot move (the release notes, a signed tag) first."""
    dep = subject.dependency
    verify = (f"pin the commit of {ref} only once you have checked it is the release's (the release notes or a "
              f"signed tag name it; a moved tag points at the attacker's commit): "
              f"`uses: {dep.name}@<40-hex sha>  # {ref}`")
    change = subject.change
    before = change.before if change is not None else None
    if before is not None and before.name == dep.name and before.version and is_full_sha(before.version):
        label = f"  # {before.label}" if before.label else ""
        return f"keep the commit the base branch pins (`uses: {dep.name}@{before.version}{label}`), or {verify}"
    return verify


RULE = Rule(
    id="action-pinning",
    label="movable ref",
    default_level="block",
    action="Pin a full commit SHA",
    action_rank=70,
    summary="GitHub Actions and reusable workflows must be pinned by full commit SHA (per-pattern policy).",
    explanation=(
        "A tag or branch is a movable pointer. In March 2026 an attacker force-pushed 76 of the 77 tags of "
        "aquasecurity/trivy-action and all tags of aquasecurity/setup-trivy to malicious commits; every workflow "
        "that used `@v0.x` ran the attacker's code with its secrets on the next run, and workflows pinned to a "
        "full commit SHA kept running the old code. A 40-character SHA names fixed code; a short SHA does not (it "
        "is looked up like a ref and can become ambiguous). The `policies` option maps `uses:` patterns to "
        "`hash-pin`, `ref-pin` (any ref) or `any`; the most specific pattern wins (exact path, then exact "
        "repository, then `owner/repo/*`, then `owner/*`, then `*`; exact before glob, longer glob before shorter). "
        "Local actions (`./path`) are part of the repository and exempt. A `uses:` holding an expression or no "
        "ref at all is always a finding: GitHub cannot run it."
    ),
    fix=(
        "Pin the release's full commit SHA and keep the tag as a comment: "
        "`uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8  # v5.0.0` "
        "(Dependabot and Renovate update both together). Take the commit from something an attacker cannot move "
        "(the release notes, a signed tag, the pin you already had), not from whatever the tag points to today: "
        "during a tag hijack that is the attacker's commit. The pin-comment rule then checks the pin against its "
        "comment on every change."
    ),
    example=(
        "rules:\n"
        "  action-pinning: {level: block, policies: {\"actions/*\": ref-pin, \"*\": hash-pin}}\n"
        "\n"
        "  uses: actions/checkout@v5                          # ok under actions/*: ref-pin\n"
        "  uses: aquasecurity/trivy-action@0.28.0             # finding: a tag (hash-pin required by '*')\n"
        "  uses: aquasecurity/trivy-action@915b19b            # finding: a short SHA is not a pin\n"
        "  uses: aquasecurity/trivy-action@915b19bbe73b92a6cf82a1bc12b087c9a19a5fe2  # 0.28.0   ok"
    ),
    options=(
        Option(
            "policies",
            "str-map",
            {"*": "hash-pin"},
            "uses: pattern -> hash-pin | ref-pin | any; the most specific pattern wins (see the explanation)",
            POLICIES,
            key_pattern=PATTERN_SYNTAX,
            key_doc="a uses: pattern (*, owner/*, owner/repo, owner/repo/*, owner/repo/path; one * per segment)",
        ),
    ),
    check_dependency=check,
)
