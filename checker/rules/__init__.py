"""The rules lockgate knows. Each lives in its own module and exposes ``RULE`` (checker/rules/base.py says what
a rule is: a pure function of one subject, with its texts for ``lockgate explain``).

May import: checker.model, checker.redaction, checker.versions, checker.manifests (name and pin helpers).
"""

from __future__ import annotations

import importlib

from checker.rules.base import Rule

RULE_MODULES = (
    "hash_pinning",
    "exact_pinning",
    "registry_source",
    "registry_config",
    "malicious",
    "deny",
    "vulnerability",
    "install_scripts",
    "version_exists",
    "release_age",
    "hash_mismatch",
    "provenance",
    "provenance_downgrade",
    "publisher_change",
    "license",
    "scorecard",
    "artifact_content",
    "source_tag",
    "action_pinning",
    "pin_comment",
    "hook_pinning",
    "image_pinning",
    "install_command",
    "review",
    "policy_change",
    "exception_expired",
    "unreadable_manifest",
)


def all_rules() -> dict[str, Rule]:
    """Every rule by id, in the order above."""
    rules: dict[str, Rule] = {}
    for name in RULE_MODULES:
        rule = importlib.import_module(f"checker.rules.{name}").RULE
        rules[rule.id] = rule
    return rules


def rule_by_id(rule_id: str) -> Rule | None:
    """One rule by its id (``hash-pinning`` lives in ``hash_pinning.py``), None for an id lockgate does not know;
    cheaper than ``all_rules()`` where a renderer asks about one finding's rule at a time."""
    module = rule_id.replace("-", "_")
    if module not in RULE_MODULES:
        return None
    rule: Rule = importlib.import_module(f"checker.rules.{module}").RULE
    return rule
