"""policy-change: a change that edits the gate itself (the policy, a file it extends, the review ledger) needs a
review like a version bump, and the finding says what the edit does."""

from __future__ import annotations

from checker.rules.base import Rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.policy.compare import PolicyChange

# Phrases listed in one finding before "and N more" (the full list would drown a comment).
MAX_LISTED = 8

HINT = (
    "have an allowed reviewer approve the pull request on its head commit (the review ledger cannot approve a "
    "policy change); until it is merged, the base revision's policy judges this change"
)
LOCAL_HINT = "it will need an approval by an allowed reviewer in the pull request (the review ledger cannot approve it)"

RULE = Rule(
    id="policy-change",
    label="policy change",
    default_level="block",
    action="Get the policy change reviewed",
    action_rank=150,
    asks_review=True,
    summary="A change to the policy, a file it extends, or the review ledger needs a review.",
    explanation=(
        "The policy decides what every pull request may bring in, and the review ledger approves changes in "
        "advance. lockgate judges a pull request with the policy and ledger of its base revision, so a pull "
        "request cannot loosen its own gate; but once merged, its edit judges every later one. So an edit to "
        "`.github/lockgate.yml`, to a repository file its `extends` chain reads, or to the ledger is reported "
        "with what it does — what it loosens first (a level lowered, a cooldown shortened, an allowance, exception "
        "or reviewer added, facts asked of another registry), then the other changes and the top-level keys "
        "touched — and it blocks until an allowed reviewer approves the pull request on its head commit (or "
        "applies the review label). The ledger cannot approve a policy change: it is the thing being changed. "
        "An edit that changes no effect (comments, formatting) is reported at `info`. In the pre-commit hook and "
        "for the work tree or the index, the finding is at most a warning: the review happens in the pull request."
    ),
    fix="Have an allowed reviewer approve the pull request on its head commit, or apply the review label.",
    example="rules:\n  policy-change: {level: block}",
)


def _files(change: PolicyChange) -> str:
    return ", ".join(f"{f.path} {f.kind}" for f in change.files)


def _listed(phrases: tuple[str, ...], limit: int) -> tuple[str, int]:
    shown = "; ".join(phrases[:limit])
    return shown, max(0, len(phrases) - limit)


def describe(change: PolicyChange) -> str:
    """The finding's message: which files changed and what the change does, loosening first."""
    diff = change.diff
    if change.subject == "ledger":
        head = f"the review ledger changes ({_files(change)})"
        if diff.empty:
            return head + ", but not its entries (comments or formatting only)"
        text = head + ": " + "; ".join(diff.loosened + diff.other)
        if diff.loosened:
            text += "; once merged, each added review approves that change in every later pull request"
        return text
    files = _files(change)
    if change.before.startswith("preset:") and not change.after.startswith("preset:"):
        head = f"the change adds a policy ({files}) where the {change.before[len('preset:'):]} preset applied"
    elif change.after.startswith("preset:") and not change.before.startswith("preset:"):
        head = f"the change removes the policy ({files}): the {change.after[len('preset:'):]} preset would apply"
    else:
        head = f"the policy changes ({files})"
    if diff.empty:
        return head + ", but not what it enforces (comments or formatting only)"
    parts = []
    budget = MAX_LISTED
    if diff.loosened:
        shown, left = _listed(diff.loosened, budget)
        budget = max(2, budget - len(diff.loosened))
        parts.append("It loosens the gate: " + shown + (f"; and {left} more" if left else ""))
    if diff.other:
        shown, left = _listed(diff.other, budget)
        parts.append(("Other changes: " if diff.loosened else "It changes: ") + shown + (f"; and {left} more" if left else ""))
    parts.append("Keys changed: " + ", ".join(diff.keys))
    return head + ". " + ". ".join(parts)
