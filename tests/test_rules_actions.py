"""action-pinning, pin-comment and image-pinning on hand-built subjects; their policy options; and how the diff
orders action refs and image tags."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import Any, Mapping

import pytest

from checker.diff.changes import diff_dependencies
from checker.errors import PolicyError
from checker.model import UNKNOWN, Dependency, Facts, Manifest
from checker.policy.patterns import PackagePattern
from checker.judge.engine import judge
from checker.policy.load import load_policy
from checker.policy.schema import policy_schema
from checker.rules import action_pinning, image_pinning, pin_comment
from checker.rules.action_pinning import policy_for
from checker.rules.base import Subject

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"
OTHER = "b4ffde65f46336ab88eb53be808477a3936bae11"
WORKFLOW = ".github/workflows/ci.yml"
DIGEST = "sha256:" + "4e" * 32


def action(name: str, version: str | None, label: str | None = None, line: int = 7) -> Dependency:
    return Dependency("actions", name, version, manifest=WORKFLOW, line=line, label=label, scope="build")


def image(name: str, version: str | None, specifier: str = "") -> Dependency:
    return Dependency("docker", name, version, specifier, manifest="Dockerfile", line=1)


def subject(dep: Dependency, facts: Facts | None = None) -> Subject:
    manifest = Manifest(dep.manifest, "gha-workflow", "actions", (dep,), kind="declared")
    return Subject(dep, manifest, None, facts)


def issues(rule: Any, dep: Dependency, options: Mapping[str, Any], facts: Facts | None = None) -> list[tuple]:
    return [(i.message, i.level, i.unknown) for i in rule.check(subject(dep, facts), options)]


# --- action-pinning ----------------------------------------------------------------------------------------------

HASH_PIN = {"policies": {"*": "hash-pin"}}


def test_full_sha_passes_and_tags_branches_short_shas_do_not() -> None:
    assert issues(action_pinning, action("actions/checkout", SHA), HASH_PIN) == []
    assert issues(action_pinning, action("actions/checkout", SHA.upper()), HASH_PIN) == []
    [(message, level, unknown)] = issues(action_pinning, action("aquasecurity/trivy-action", "0.28.0"), HASH_PIN)
    assert message.startswith("aquasecurity/trivy-action@0.28.0 is pinned to a tag or branch, which can be moved")
    assert message.endswith("a full commit SHA is required (required by the '*' policy)")
    assert (level, unknown) == (None, False)
    [(message, _, _)] = issues(action_pinning, action("actions/cache", "1bd1e32"), HASH_PIN)
    assert message.startswith("actions/cache@1bd1e32 is a short SHA, not a pin:")
    [(message, _, _)] = issues(action_pinning, action("actions/cache", "deadbeef"), HASH_PIN)  # a word, not a SHA
    assert message.startswith("actions/cache@deadbeef is pinned to a tag or branch")


def test_expressions_missing_refs_and_local_actions() -> None:
    [(message, _, _)] = issues(action_pinning, action("actions/checkout", None), {"policies": {"*": "any"}})
    assert message == "`uses: actions/checkout` names no ref: GitHub refuses it, and whatever it resolved to could change"
    expression = Dependency("actions", "actions/checkout", "${{ inputs.ref }}", "actions/checkout@${{ inputs.ref }}")
    [(message, _, _)] = issues(action_pinning, expression, {"policies": {"*": "any"}})
    assert message.startswith("`uses: actions/checkout@${{ inputs.ref }}` holds an expression: GitHub does not")
    assert issues(action_pinning, action("./.github/actions/x", None), HASH_PIN) == []
    assert issues(action_pinning, image("python", "3.12"), HASH_PIN) == []


def test_default_without_any_pattern_is_hash_pin() -> None:
    assert policy_for("acme/tool", {"actions/*": "ref-pin"}) == ("hash-pin", "default")
    [(message, _, _)] = issues(action_pinning, action("acme/tool", "v1"), {"policies": {"actions/*": "ref-pin"}})
    assert message.endswith("(the default policy)")


POLICIES = {
    "*": "hash-pin",
    "actions/*": "ref-pin",
    "github/codeql-action/*": "any",
    "github/codeql-action": "hash-pin",
    "github/codeql-action/upload-sarif": "hash-pin",
    "acme/setup-*": "ref-pin",
    "acme/s*": "any",
    "acme/*-a*": "hash-pin",
    "acme/*etup-c": "any",
    "acme/repo/sub-*": "any",
}


@pytest.mark.parametrize(
    ("name", "policy", "pattern"),
    [
        ("actions/checkout", "ref-pin", "actions/*"),  # owner/*
        ("Actions/Checkout", "ref-pin", "actions/*"),  # owners and repositories ignore case
        ("actions/cache/save", "ref-pin", "actions/*"),  # owner/* covers paths too
        ("github/codeql-action", "hash-pin", "github/codeql-action"),  # exact repository beats owner/repo/*
        ("github/codeql-action/init", "any", "github/codeql-action/*"),  # owner/repo does not cover paths
        ("github/codeql-action/upload-sarif", "hash-pin", "github/codeql-action/upload-sarif"),  # exact path first
        ("github/other", "hash-pin", "*"),
        ("acme/setup-node", "ref-pin", "acme/setup-*"),  # the longer glob beats acme/s* (4 literal chars vs 1)
        ("acme/setup-a", "ref-pin", "acme/setup-*"),  # 6 literal chars beat acme/*-a* (3)
        ("acme/setup-c", "any", "acme/*etup-c"),  # a tie of 6 literal chars: the pattern that sorts first
        ("acme/sx", "any", "acme/s*"),
        ("acme/repo/sub-x", "any", "acme/repo/sub-*"),
        ("acme/repo/other", "hash-pin", "*"),
        ("acme/repo", "hash-pin", "*"),
    ],
)
def test_most_specific_pattern_wins(name: str, policy: str, pattern: str) -> None:
    assert policy_for(name, POLICIES) == (policy, pattern)


def test_ref_pin_and_any() -> None:
    options = {"policies": MappingProxyType({"actions/*": "ref-pin", "docker/*": "any", "*": "hash-pin"})}
    assert issues(action_pinning, action("actions/checkout", "v4"), options) == []
    assert issues(action_pinning, action("actions/checkout", "1bd1e32"), options) == []  # any ref is a ref
    assert issues(action_pinning, action("docker/login-action", "master"), options) == []
    assert len(issues(action_pinning, action("acme/x", "main"), options)) == 1


def policy(text: str):  # type: ignore[no-untyped-def]
    return load_policy(text, ".github/lockgate.yml", lambda path: None)


def test_policies_option_is_validated_with_lines() -> None:
    loaded = policy('rules:\n  action-pinning:\n    policies: {"actions/*": ref-pin, "*": hash-pin}\n')
    assert dict(loaded.rules["action-pinning"].options["policies"]) == {"actions/*": "ref-pin", "*": "hash-pin"}
    with pytest.raises(PolicyError) as caught:
        policy('rules:\n  action-pinning:\n    policies:\n      "*": hashpin\n')
    assert (caught.value.line, caught.value.message) == (
        4, "rules.action-pinning.policies.* must be one of hash-pin, ref-pin, any; found 'hashpin'",
    )
    for bad in ("actions", "actions/*/x", "*/checkout", "a/b/*@v1", "a/b**", "owner/"):
        with pytest.raises(PolicyError) as caught:
            policy(f'rules:\n  action-pinning:\n    policies:\n      "{bad}": any\n')
        assert caught.value.line == 4
        assert caught.value.message == (
            f"rules.action-pinning.policies: {bad!r} is not a uses: pattern (*, owner/*, owner/repo, owner/repo/*, "
            "owner/repo/path; one * per segment)"
        )


def test_schema_describes_the_policies_option() -> None:
    rule = policy_schema()["properties"]["rules"]["properties"]["action-pinning"]
    policies = rule["oneOf"][1]["properties"]["policies"]
    assert policies["additionalProperties"] == {"enum": ["hash-pin", "ref-pin", "any"]}
    assert policies["propertyNames"]["pattern"].startswith("^(?:")


# --- pin-comment -------------------------------------------------------------------------------------------------

PIN_OPTIONS = {"missing-comment": "warn", "mismatch": "block"}


def facts(tag_commits: object = UNKNOWN, reachable: object = UNKNOWN, reason: str | None = None) -> Facts:
    if isinstance(tag_commits, dict):
        tag_commits = MappingProxyType(tag_commits)
    return Facts("actions", "actions/checkout", SHA, tag_commits=tag_commits, reachable=reachable, reason=reason)


def test_pin_comment_only_judges_full_sha_pins() -> None:
    assert issues(pin_comment, action("actions/checkout", "v4"), PIN_OPTIONS) == []
    assert issues(pin_comment, image("python", "3.12"), PIN_OPTIONS) == []


def test_verified_pin_passes() -> None:
    ok = facts({"v4.2.0": SHA}, True)
    assert issues(pin_comment, action("actions/checkout", SHA, "v4.2.0"), PIN_OPTIONS, ok) == []
    # a path inside the repository is checked against the repository
    assert issues(pin_comment, action("actions/checkout/sub", SHA, "tag=v4.2.0"), PIN_OPTIONS, ok) == []


def test_missing_comment_offline() -> None:
    offline = facts(reason="offline: GitHub was not asked")
    assert issues(pin_comment, action("actions/checkout", SHA, None), PIN_OPTIONS, offline) == [
        ("actions/checkout is pinned to commit 11bd71901bbe with no version comment: a reviewer cannot tell which "
         "release it is, and lockgate cannot check it against one", "warn", False),
        ("could not check commit 11bd71901bbe against actions/checkout on GitHub (offline: GitHub was not asked)",
         None, True),
    ]
    # a comment that names no version counts as none
    assert issues(pin_comment, action("actions/checkout", SHA, "check out the code"), PIN_OPTIONS, facts(
        {}, True))[0][1] == "warn"


def test_no_facts_at_all_is_unknown() -> None:
    assert issues(pin_comment, action("actions/checkout", SHA, "v4.2.0"), PIN_OPTIONS) == [
        ("could not check commit 11bd71901bbe against actions/checkout on GitHub (GitHub was not asked)", None, True),
    ]


def test_comment_mismatch_and_missing_tag() -> None:
    moved = facts({"v4.2.0": OTHER}, True)
    [(message, level, unknown)] = issues(pin_comment, action("actions/checkout", SHA, "v4.2.0"), PIN_OPTIONS, moved)
    assert message.startswith(
        "the comment says v4.2.0, but tag v4.2.0 of actions/checkout points to commit b4ffde65f463, not 11bd71901bbe"
    )
    assert (level, unknown) == ("block", False)
    missing = facts({"v9.9.9": None}, True)
    assert issues(pin_comment, action("actions/checkout", SHA, "v9.9.9"), PIN_OPTIONS, missing) == [
        ("the comment names v9.9.9, but actions/checkout has no tag v9.9.9: the version the pull request shows is "
         "not the code that runs", "block", False),
    ]


def test_impostor_commit_blocks() -> None:
    impostor = facts({"v6.0.2": OTHER}, False)
    [(message, level, unknown)] = issues(pin_comment, action("actions/checkout", SHA, "v6.0.2"), PIN_OPTIONS, impostor)
    assert message.startswith("commit 11bd71901bbe is not on any branch or tag of actions/checkout: it exists only in")
    assert (level, unknown) == (None, False)  # the rule's own level: block by default


def test_partial_facts_are_unknown() -> None:
    [(message, _, unknown)] = issues(
        pin_comment, action("actions/checkout", SHA, "v4.2.0"), PIN_OPTIONS, facts(UNKNOWN, True, "rate limited")
    )
    assert (message, unknown) == (
        "could not check commit 11bd71901bbe against actions/checkout on GitHub (rate limited)", True,
    )


# --- image-pinning -----------------------------------------------------------------------------------------------

IMAGE_OPTIONS = {"tag-only": "warn", "unresolved": "warn", "allow": ()}


@pytest.mark.parametrize(
    ("dep", "expected"),
    [
        (image("python", f"3.12@{DIGEST}"), []),
        (image("python", DIGEST), []),
        (image("python", "3.12-slim"), [
            ("python:3.12-slim is pinned by tag only: a tag can be re-pushed with other content", "warn"),
        ]),
        (image("python", None), [
            ("python has no tag: it changes with every push to the registry, so what runs is whatever was pushed "
             "last", None),
        ]),
        (image("ghcr.io/acme/app", "latest"), [
            ("ghcr.io/acme/app is pinned to latest: it changes with every push to the registry, so what runs is "
             "whatever was pushed last", None),
        ]),
        (image("${BASE}", None), [
            ("the image ${BASE} is chosen when the build or workflow runs (an expression or a build argument without "
             "a default): nobody reviewing this file can tell what runs", "warn"),
        ]),
        (image("app", "${{ needs.build.outputs.tag }}"), [
            ("the image app:${{ needs.build.outputs.tag }} is chosen when the build or workflow runs (an expression "
             "or a build argument without a default): nobody reviewing this file can tell what runs", "warn"),
        ]),
    ],
)
def test_image_pinning(dep: Dependency, expected: list[tuple[str, str | None]]) -> None:
    assert [(m, level) for m, level, _ in issues(image_pinning, dep, IMAGE_OPTIONS)] == expected


def test_image_pinning_allow_list_and_other_ecosystems() -> None:
    options = {**IMAGE_OPTIONS, "allow": (PackagePattern.parse("docker:registry.example.com/ours/*"),)}
    assert issues(image_pinning, image("registry.example.com/ours/app", "latest"), options) == []
    assert issues(image_pinning, action("actions/checkout", "v4"), options) == []


# --- the default policy, end to end through the engine -----------------------------------------------------------


def test_default_policy_levels() -> None:
    deps = (
        action("actions/checkout", "v4", line=1),
        action("actions/cache", SHA, None, line=2),
        image("python", "3.12"),
        image("node", None),
    )
    manifest = Manifest(WORKFLOW, "gha-workflow", "actions", deps, kind="declared")
    head = [Manifest(WORKFLOW, "gha-workflow", "actions", deps[:2], kind="declared"),
            Manifest("Dockerfile", "dockerfile", "docker", deps[2:], kind="declared")]
    judgement = judge([], [], head, policy(None), today=dt.date(2026, 3, 25), judge_all=True)
    found = sorted((f.rule, f.level, f.unknown, f.dependency.name) for f in judgement.findings)
    assert found == [
        ("action-pinning", "block", False, "actions/checkout"),
        ("image-pinning", "block", False, "node"),
        ("image-pinning", "warn", False, "python"),
        ("pin-comment", "warn", False, "actions/cache"),
        ("pin-comment", "warn", True, "actions/cache"),  # no facts: on-unknown (warn)
    ]
    assert judgement.verdict == "block"
    assert manifest.kind == "declared"  # not a lock: hash-pinning and exact-pinning leave it alone


def test_strict_preset() -> None:
    strict = policy("extends: strict\n")
    assert strict.rules["image-pinning"].options["tag-only"] == "block"
    assert strict.rules["pin-comment"].options["missing-comment"] == "block"


# --- the diff: refs ordered by labels and tags --------------------------------------------------------------------


def summary(before: list[Dependency], after: list[Dependency]) -> list[tuple]:
    return [
        (c.kind, c.bump, c.before.label if c.before else None, c.after.label if c.after else None)
        for c in diff_dependencies(before, after)
    ]


def test_sha_pins_order_by_their_comments() -> None:
    assert summary([action("actions/checkout", OTHER, "v4.1.0")], [action("actions/checkout", SHA, "v4.2.0")]) == [
        ("upgraded", "minor", "v4.1.0", "v4.2.0")
    ]
    assert summary([action("actions/checkout", SHA, "v4.2.0")], [action("actions/checkout", OTHER, "v3.6.0")]) == [
        ("downgraded", "major", "v4.2.0", "v3.6.0")
    ]
    # a tag pin to a SHA pin with a comment
    assert summary([action("actions/checkout", "v4")], [action("actions/checkout", SHA, "v4.2.2")]) == [
        ("upgraded", "minor", None, "v4.2.2")
    ]


def test_refs_that_cannot_be_ordered_are_source_changes() -> None:
    # no comments
    assert summary([action("a/b", OTHER)], [action("a/b", SHA)]) == [("source-changed", "other", None, None)]
    # another commit under the same comment: the code moved, the version it claims did not
    assert summary([action("a/b", OTHER, "v1.0.0")], [action("a/b", SHA, "v1.0.0")]) == [
        ("source-changed", "other", "v1.0.0", "v1.0.0")
    ]
    assert summary([action("a/b", "main")], [action("a/b", "develop")]) == [("source-changed", "other", None, None)]
    # only the comment changed: the same commit runs, nothing changed
    assert summary([action("a/b", SHA, "v1")], [action("a/b", SHA, "v1.0.0")]) == []


def test_image_tags_order_within_a_variant() -> None:
    def kinds(a: str | None, b: str | None) -> list[tuple]:
        return [(c.kind, c.bump) for c in diff_dependencies([image("node", a)], [image("node", b)])]

    assert kinds("26.7.0-trixie", "26.8.0-trixie") == [("upgraded", "minor")]
    assert kinds("3.12-slim", "3.11-slim") == [("downgraded", "minor")]
    assert kinds(f"20@{DIGEST}", "22@" + "sha256:" + "5f" * 32) == [("upgraded", "major")]
    assert kinds("3.12-slim", "3.12-alpine") == [("source-changed", "other")]  # another variant, not a version
    assert kinds(f"3.12@{DIGEST}", "3.12@sha256:" + "5f" * 32) == [("hashes-changed", "other")]  # re-pushed tag
    assert kinds(DIGEST, "sha256:" + "5f" * 32) == [("source-changed", "other")]
    assert kinds(None, "3.12") == [("source-changed", "other")]
    assert kinds("latest", "bookworm") == [("source-changed", "other")]
