"""exception-expired: a policy exception past its expiry date no longer waives anything, and says so."""

from __future__ import annotations

from checker.rules.base import Rule

RULE = Rule(
    id="exception-expired",
    label="expired exception",
    default_level="warn",
    action="Renew or remove the exception",
    action_rank=140,
    summary="A policy exception whose expiry date has passed.",
    explanation=(
        "Exceptions are debts with a due date. When one expires it stops waiving findings, and lockgate reports "
        "the expired entry itself so that it is renewed with a fresh reason or removed, instead of silently "
        "turning a green check red."
    ),
    fix="Renew the exception with a new `expires` date and reason, or delete it and fix the finding.",
    example=(
        "exceptions:\n"
        "  - {rule: release-age, package: \"pypi:internal-tool\", reason: \"we publish it\", expires: 2026-01-31}"
    ),
)
