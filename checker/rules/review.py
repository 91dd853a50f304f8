"""review: a dependency change the policy names must be reviewed before it lands."""

from __future__ import annotations

from checker.rules.base import Rule

RULE = Rule(
    id="review",
    label="review",
    default_level="block",
    action="Get a review",
    action_rank=160,
    asks_review=True,
    summary="Version bumps and new dependencies stay blocked until an allowed reviewer has looked at them.",
    explanation=(
        "Every attack of 2025 and 2026 on npm and PyPI arrived as an ordinary-looking version bump that nobody "
        "looked at: a fresh version, a changed install script, merged by automation. lockgate blocks the changes "
        "the policy's `review` section names (by kind, bump type, scope and package) until there is evidence of a "
        "review for the current head: an approval by an allowed reviewer on the head commit, the review label "
        "applied by an allowed reviewer after the last push, or an entry in the review ledger as it stands on the "
        "base revision (a pull request cannot approve itself by adding ledger lines)."
    ),
    fix="Before a pull request exists (the pre-commit hook, `lockgate check`): record the review with the change, "
    "`lockgate review PACKAGE FROM TO --reason TEXT` (it stages the ledger; `lockgate review --all-pending --reason TEXT` "
    "records every change that waits). In a pull request: have an allowed "
    "reviewer approve it, or record the review in a separate, reviewed change.",
    example=(
        "review:\n"
        "  required-for: [added, upgraded, downgraded, source-changed, hashes-changed]\n"
        "  skip: [{scope: dev, bump: patch}]\n"
        "  reviewers: [alice, \"@acme/security\"]\n"
        "  ledger: .github/lockgate-reviews.yml"
    ),
)
