"""action-pinning on hand-built subjects: full SHAs, tags, branches and short SHAs, expressions and local actions,
the policies option (the most specific pattern wins), its validation and its schema."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from checker.errors import PolicyError
from checker.model import Dependency
from checker.policy.schema import policy_schema
from checker.rules import action_pinning
from checker.rules.action_pinning import policy_for
from tests.rules.workflow_subjects import SHA, action, image, issues, policy


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


def test_the_fix_never_says_to_pin_whatever_the_tag_points_to_now() -> None:
    """During a tag hijack the tag points at the attacker's commit: the fix keeps the base's commit pin when the
    change moves off one, and otherwise asks for the release's commit checked against something that cannot move."""
    from checker.model import Change
    from checker.rules.base import Subject

    tagged = action("aquasecurity/trivy-action", "0.33.1")
    pinned = Dependency("actions", "aquasecurity/trivy-action", SHA, f"aquasecurity/trivy-action@{SHA}",
                        label="0.28.0", manifest=tagged.manifest, line=tagged.line)
    change = Change("upgraded", pinned, tagged, "minor")
    options = MappingProxyType(HASH_PIN)
    [moved] = list(action_pinning.check(Subject(tagged, None, change), options))  # type: ignore[arg-type]
    assert moved.hint is not None and moved.hint.startswith(
        f"keep the commit the base branch pins (`uses: aquasecurity/trivy-action@{SHA}  # 0.28.0`), or pin the commit "
        "of 0.33.1 only once you have checked it is the release's")
    [fresh] = list(action_pinning.check(Subject(tagged, None, None), options))  # type: ignore[arg-type]
    assert fresh.hint is not None and fresh.hint.startswith("pin the commit of 0.33.1 only once you have checked")
    for hint in (moved.hint, fresh.hint, action_pinning.RULE.fix):
        assert "points to now" not in hint and "the ref points to" not in hint and "the tag points to and" not in hint
