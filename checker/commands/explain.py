"""``lockgate explain``: what a rule checks, why it exists, how to fix its findings, its settings with their real
defaults (checker/policy/describe.py), how to write an exception for it, and an example."""

from __future__ import annotations

import argparse
import textwrap

from checker.commands.output import emit
from checker.errors import UsageError
from checker.rules import all_rules

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt


def run(args: argparse.Namespace) -> int:
    emit(explain(args.rule) if args.rule else list_rules())
    return 0


def list_rules() -> str:
    rules = all_rules()
    width = max(len(rule_id) for rule_id in rules)
    lines = [f"{rule.id:<{width}}  {rule.default_level:<5}  {rule.summary}" for rule in rules.values()]
    return "\n".join(lines) + "\n\nlockgate explain RULE tells more.\n"


def explain(rule_id: str, expires: dt.date | None = None) -> str:
    """The whole explanation of one rule; ``expires``: the date its exception snippet names (default: as far ahead
    as the pull-request comment's snippets reach, so that a copied exception is short-lived, not forgotten)."""
    import datetime as dt

    from checker.policy.describe import WIDTH, default_level_text, exception_lines, settings_lines
    from checker.report.risk import EXCEPTION_DAYS

    rules = all_rules()
    rule = rules.get(rule_id)
    if rule is None:
        raise UsageError(f"unknown rule {rule_id!r}; valid rules: {', '.join(rules)}")
    expires = expires or dt.date.today() + dt.timedelta(days=EXCEPTION_DAYS)
    out = [f"{rule.id} ({default_level_text(rule)})", "", textwrap.fill(rule.summary, WIDTH), ""]
    out.append(textwrap.fill(rule.explanation, WIDTH))
    out += ["", textwrap.fill("Fix: " + rule.fix, WIDTH, subsequent_indent="  ")]
    out += ["", *settings_lines(rule)]
    out += ["", *exception_lines(rule, expires)]
    out += ["", "Example:", textwrap.indent(rule.example, "  ")]
    return "\n".join(out) + "\n"
