"""review: which changes need a review, the evidence that gives one, and what the policy lets skip, through the
engine on hand-built changes."""

from __future__ import annotations

from typing import Any

from checker.model import Change, Finding, ReviewStatus
from checker.review.decision import needs_review
from tests.judge.hand_built import added, dep, finding, policy, removed, run, upgrade


OTHER_SHA256 = "sha256:" + "b" * 64


# --- review ----------------------------------------------------------------------------------------------------


def test_review_required_without_evidence() -> None:
    change = upgrade("requests", "2.31.0", "2.32.3")
    judgement = run([change])
    assert judgement.reviews == (ReviewStatus("required"),)
    assert judgement.findings == (
        Finding(
            "review", "block", "upgraded requests 2.31.0 -> 2.32.3 needs a review by a maintainer",
            change.after, change, "requirements.txt", 3,
            "approve the pull request as a maintainer, or record the review on the base branch: "
            "`lockgate review pypi:requests 2.31.0 2.32.3 --reason \"...\"`",
        ),
    )
    assert judgement.verdict == "block"


def test_review_message_names_the_reviewers() -> None:
    judgement = run([added("httpx", "0.28.1")], "review:\n  reviewers: [alice, '@acme/security']\n")
    [finding] = judgement.findings
    assert finding.message == "new dependency httpx 0.28.1 needs a review by alice, @acme/security"
    assert finding.hint == (
        "approve the pull request as alice, @acme/security, or record the review on the base branch: "
        "`lockgate review pypi:httpx - 0.28.1 --reason \"...\"`"
    )


def test_removals_need_review_only_when_the_policy_says_so() -> None:
    change = removed("six", "1.16.0")
    assert run([change]).reviews == (ReviewStatus("not-required"),)
    assert run([change]).findings == ()
    judgement = run([change], "review:\n  required-for: [removed]\n")
    [finding] = judgement.findings
    assert (finding.rule, finding.dependency, finding.change) == ("review", change.before, change)
    assert finding.message == "removal of six 1.16.0 needs a review by a maintainer"
    assert finding.hint is not None and finding.hint.endswith("`lockgate review pypi:six 1.16.0 - --reason \"...\"`")


def test_source_and_hash_changes_need_review() -> None:
    hashes = Change("hashes-changed", dep("idna", "3.10"), dep("idna", "3.10", hashes=(OTHER_SHA256,)), "other")
    [finding] = run([hashes]).findings
    assert finding.message == "hashes-changed idna 3.10 -> 3.10 needs a review by a maintainer"


def test_pull_request_evidence_reviews_every_required_change() -> None:
    changes = [upgrade("requests", "2.31.0", "2.32.3"), removed("six", "1.16.0")]
    judgement = run(changes, pull_request_evidence="approved by alice at abc123")
    assert judgement.reviews == (ReviewStatus("reviewed", "approved by alice at abc123"), ReviewStatus("not-required"))
    assert judgement.verdict == "pass"


def review_policy(skip: str, required_for: str | None = None) -> Any:
    text = f"review:\n  skip:\n{skip}"
    if required_for is not None:
        text += f"  required-for: {required_for}\n"
    return policy(text).review


def test_skip_by_scope_and_bump() -> None:
    rules = review_policy("    - {scope: dev, bump: patch}\n")
    assert not needs_review(upgrade("pytest", "8.3.4", "8.3.5", "patch", scope="dev"), rules)
    assert needs_review(upgrade("pytest", "8.3.4", "8.4.0", "minor", scope="dev"), rules)
    assert needs_review(upgrade("requests", "2.32.3", "2.32.4", "patch"), rules)
    assert needs_review(added("pytest-cov", "6.0.0", scope="dev"), rules)  # an addition has no bump


def test_skip_by_kind() -> None:
    rules = review_policy("    - {kind: hashes-changed}\n")
    hashes = Change("hashes-changed", dep("idna", "3.10"), dep("idna", "3.10", hashes=(OTHER_SHA256,)), "other")
    assert not needs_review(hashes, rules)
    assert needs_review(upgrade("idna", "3.9", "3.10"), rules)


def test_skip_by_package() -> None:
    rules = review_policy("    - {package: 'pypi:Types_*'}\n    - {package: 'pypi:boto3@>=1.35'}\n")
    assert not needs_review(upgrade("types-requests", "2.31.0.1", "2.32.0.2"), rules)
    assert not needs_review(upgrade("boto3", "1.35.0", "1.35.1", "patch"), rules)
    assert needs_review(upgrade("boto3", "1.34.0", "1.34.1", "patch"), rules)
    assert needs_review(upgrade("requests", "2.31.0", "2.32.3"), rules)


def test_skip_by_direct() -> None:
    rules = review_policy("    - {direct: false, bump: patch}\n")
    assert not needs_review(upgrade("idna", "3.9.0", "3.9.1", "patch", direct=False), rules)
    assert needs_review(upgrade("idna", "3.9.0", "3.9.1", "patch", direct=True), rules)
    assert needs_review(upgrade("idna", "3.9.0", "3.10.0", "minor", direct=False), rules)


def test_required_for_limits_the_kinds() -> None:
    rules = review_policy("    []\n", "[added]")
    assert needs_review(added("httpx", "0.28.1"), rules)
    assert not needs_review(upgrade("httpx", "0.27.0", "0.28.1"), rules)
