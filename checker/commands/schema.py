"""``lockgate schema``: print the policy file's JSON Schema."""

from __future__ import annotations

import argparse

from checker.commands.output import emit


def run(args: argparse.Namespace) -> int:
    import json

    from checker.policy.schema import policy_schema

    emit(json.dumps(policy_schema(), indent=2) + "\n", "json")
    return 0
