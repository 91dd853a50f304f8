"""``lockgate explain``: what a rule checks, why it exists, how to fix its findings, with an example."""

from __future__ import annotations

import argparse
import textwrap

from checker.commands.output import emit
from checker.errors import UsageError
from checker.rules import all_rules


def run(args: argparse.Namespace) -> int:
    emit(explain(args.rule) if args.rule else list_rules())
    return 0


def list_rules() -> str:
    rules = all_rules()
    width = max(len(rule_id) for rule_id in rules)
    lines = [f"{rule.id:<{width}}  {rule.default_level:<5}  {rule.summary}" for rule in rules.values()]
    return "\n".join(lines) + "\n\nlockgate explain RULE tells more.\n"


def explain(rule_id: str) -> str:
    rules = all_rules()
    rule = rules.get(rule_id)
    if rule is None:
        raise UsageError(f"unknown rule {rule_id!r}; valid rules: {', '.join(rules)}")
    out = [f"{rule.id} (default level: {rule.default_level})", "", textwrap.fill(rule.summary, 100), ""]
    out.append(textwrap.fill(rule.explanation, 100))
    out += ["", "Fix: " + rule.fix]
    if rule.options:
        out += ["", "Options:"]
        for option in rule.options:
            default = option.default if not isinstance(option.default, list) else ", ".join(option.default) or "[]"
            out.append(f"  {option.name} ({option.kind}, default {default}): {option.doc}")
    out += ["", "Example:", textwrap.indent(rule.example, "  ")]
    return "\n".join(out) + "\n"
