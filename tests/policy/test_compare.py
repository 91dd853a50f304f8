"""Comparing two policies (checker/policy/compare.py): what a change to the policy or the review ledger
loosens, what else it changes, and what is no difference."""

from __future__ import annotations

import json

from checker.policy.compare import PolicyDiff, compare_ledgers, compare_policies
from tests.policy.edits import BASE_POLICY, LEDGER, load


# --- comparing two policies ---------------------------------------------------------------------------------------


def test_loosening_changes_are_named_first_and_the_keys_listed() -> None:
    before = load(BASE_POLICY + "rules:\n  release-age: {level: block, days: 3}\n")
    after = load(
        "extends: default\n"
        "on-unknown: info\n"
        "paths: {ignore: ['vendor/**']}\n"
        "rules:\n"
        "  release-age: {level: warn, days: 1}\n"
        "  hash-pinning: {level: block, files-without-hashes: off}\n"
        "  registry-source: {level: block, allow-git: ['pypi:our-fork']}\n"
        "review:\n  reviewers: [alice, mallory]\n  label: deps-reviewed\n  skip: [{scope: dev}]\n"
        "exceptions:\n  - {rule: deny, package: 'pypi:litellm', reason: trusted, expires: 2027-01-31}\n"
    )
    diff = compare_policies(before, after)
    assert diff.loosened == (
        "on-unknown warn -> info",
        "paths.ignore: adds vendor/**",
        "rules.hash-pinning.files-without-hashes warn -> off",
        "rules.registry-source.allow-git: adds pypi:our-fork",
        "rules.release-age.level block -> warn",
        "rules.release-age.days 3 -> 1",
        "review.skip: adds {scope: dev}",
        "review.reviewers: adds mallory",
        "exceptions: adds deny on pypi:litellm until 2027-01-31 (trusted)",
    )
    assert diff.other == ()
    assert diff.keys == ("exceptions", "on-unknown", "paths", "review", "rules")


def test_on_unknown_off_is_a_loosening_and_back_a_tightening() -> None:
    for before, after in (("info", "off"), ("warn", "off"), ("block", "off")):
        diff = compare_policies(load(f"{BASE_POLICY}on-unknown: {before}\n"), load(f"{BASE_POLICY}on-unknown: {after}\n"))
        assert diff.loosened == (f"on-unknown {before} -> off",)
    back = compare_policies(load(f"{BASE_POLICY}on-unknown: off\n"), load(f"{BASE_POLICY}on-unknown: info\n"))
    assert (back.loosened, back.other) == ((), ("on-unknown off -> info",))
    hook = compare_policies(load(BASE_POLICY), load(f"{BASE_POLICY}hook: {{on-unknown: off}}\n"))
    assert hook.loosened == ("hook.on-unknown warn -> off",)


def test_tightening_changes_are_listed_as_other_changes() -> None:
    before = load(BASE_POLICY + "exceptions:\n  - {rule: deny, package: 'pypi:x', reason: r, expires: 2027-01-31}\n")
    after = load("extends: strict\nreview:\n  reviewers: [alice]\n  label: deps-reviewed\n")
    diff = compare_policies(before, after)
    assert diff.loosened == ()
    assert "extends default -> strict (which extends default)" in diff.other
    assert "on-unknown warn -> block" in diff.other
    assert "rules.release-age.days 3 -> 7" in diff.other
    assert "review.required-for: now also reviews removed" in diff.other
    assert "exceptions: removes deny on pypi:x until 2027-01-31 (r)" in diff.other
    assert diff.keys == ("exceptions", "extends", "on-unknown", "review", "rules")


def test_a_per_bump_cooldown_is_compared_with_the_days_it_replaces() -> None:
    before = load(BASE_POLICY)  # release-age: 3 days for every bump (the default preset)
    shorter = compare_policies(before, load(BASE_POLICY + "rules:\n  release-age: {level: block, patch-days: 1}\n"))
    assert shorter.loosened == ("rules.release-age.patch-days unset -> 1",)
    longer = compare_policies(before, load(BASE_POLICY + "rules:\n  release-age: {level: block, major-days: 9}\n"))
    assert (longer.loosened, longer.other) == ((), ("rules.release-age.major-days unset -> 9",))


def test_review_reviewers_label_stale_approvals_and_registries() -> None:
    before = load("extends: default\nreview:\n  reviewers: [alice, bob]\n")
    after = load("extends: default\nreview:\n  reviewers: [bob]\n  label: lgtm\n  allow-stale-approvals: true\n"
                 "registries:\n  pypi: https://user:s3cret@mirror.example/simple\n  timeout: 30\n")
    diff = compare_policies(before, after)
    assert diff.loosened == (
        "review.label unset -> lgtm",
        "review.allow-stale-approvals false -> true",
        "registries.pypi: facts from the public registry -> https://mirror.example/simple",
    )
    assert diff.other == ("review.reviewers: removes alice", "registries.timeout 10.0 -> 30.0")
    assert "s3cret" not in json.dumps(diff.loosened + diff.other)  # credentials in an index URL are never shown


def test_action_pinning_policies_weakened() -> None:
    before = load("extends: default\n")
    after = load("extends: default\nrules:\n  action-pinning: {level: block, policies: {'actions/*': ref-pin, '*': hash-pin}}\n")
    assert compare_policies(before, after).loosened == ("rules.action-pinning.policies.actions/* unset -> ref-pin",)


def test_the_same_effect_written_differently_is_no_difference() -> None:
    before = load("extends: default\nrules:\n  exact-pinning: block\n")
    after = load("# reformatted\nextends: default\nrules:\n  exact-pinning: {level: block}\n")
    assert compare_policies(before, after) == PolicyDiff()


def test_ledger_entries_added_and_removed() -> None:
    from checker.review.ledger import parse_ledger

    old = parse_ledger("reviews:\n  - {package: 'pypi:a', from: '1.0', to: '1.1', reviewer: alice, reason: ok}\n", LEDGER)
    new = parse_ledger("reviews:\n  - {package: 'npm:b', to: '2.0', reviewer: mallory, reason: mine, "
                       "manifest: package-lock.json}\n", LEDGER)
    diff = compare_ledgers(old, new)
    assert diff.loosened == ("adds a review: npm:b - -> 2.0 in package-lock.json by mallory",)
    assert diff.other == ("removes a review: pypi:a 1.0 -> 1.1 by alice",)
    assert diff.keys == ("reviews",)
