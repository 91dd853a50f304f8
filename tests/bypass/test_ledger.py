"""The review ledger records the kind of change reviewed (issue 16): a review of a version bump never passes for a
republished artifact, a new source or a scope move of the same version."""

from __future__ import annotations

import json

import pytest

from checker.cli import main
from checker.review.ledger import parse_ledger, review_command
from checker.model import Change, Dependency, Source

LEDGER = ".github/lockgate-reviews.yml"
A, B = "sha256:" + "a" * 64, "sha256:" + "b" * 64


def dep(version: str, hashes: str = A, source: Source = Source(), scope: str = "prod") -> Dependency:
    return Dependency("pypi", "litellm", version, f"=={version}", source=source, hashes=frozenset({hashes}),
                      scope=scope, manifest="requirements.txt", line=1)


SAME_VERSION = {
    "hashes-changed": Change("hashes-changed", dep("1.82.6"), dep("1.82.6", hashes=B), "other"),
    "source-changed": Change("source-changed", dep("1.82.6"), dep("1.82.6", source=Source("url", "https://x/y.whl")),
                             "other"),
    "scope-changed": Change("scope-changed", dep("1.82.6", scope="dev"), dep("1.82.6"), "other"),
}


def entries(*lines: str):  # type: ignore[no-untyped-def]
    return parse_ledger("reviews:\n" + "".join(f"  - {{{line}, reviewer: a, reason: ok}}\n" for line in lines), LEDGER)


@pytest.mark.parametrize("kind", SAME_VERSION)
def test_a_wildcard_or_kindless_entry_never_reviews_a_same_version_change(kind):
    change = SAME_VERSION[kind]
    for entry in entries('package: "pypi:litellm", from: "*", to: "1.82.6"',
                         'package: "pypi:litellm", from: "1.82.6", to: "1.82.6"',
                         'package: "pypi:litellm", from: "*", to: "1.82.6", kind: upgraded',
                         'package: "pypi:litellm", from: "1.82.5", to: "1.82.6", kind: upgraded'):
        assert not entry.covers(change), (kind, entry)


@pytest.mark.parametrize("kind", SAME_VERSION)
def test_an_entry_of_that_kind_from_that_version_reviews_it_and_only_it(kind):
    [entry] = entries(f'package: "pypi:litellm", from: "1.82.6", to: "1.82.6", kind: {kind}')
    assert entry.covers(SAME_VERSION[kind])
    for other, change in SAME_VERSION.items():
        if other != kind:
            assert not entry.covers(change)
    assert not entry.covers(Change("upgraded", dep("1.82.5"), dep("1.82.6"), "patch"))


def test_a_review_of_a_bump_still_covers_the_bump():
    [entry] = entries('package: "pypi:litellm", from: "*", to: "1.82.6", kind: upgraded')
    assert entry.covers(Change("upgraded", dep("1.82.5"), dep("1.82.6"), "patch"))


def test_an_unknown_kind_in_the_ledger_is_an_error():
    from checker.errors import PolicyError

    with pytest.raises(PolicyError, match="reviews\\[0\\].kind must be one of added"):
        entries('package: "pypi:litellm", from: "1", to: "1", kind: republished')


def test_the_copyable_command_names_the_kind_where_the_versions_cannot():
    assert review_command(SAME_VERSION["hashes-changed"]) == (
        'lockgate review pypi:litellm 1.82.6 1.82.6 --kind hashes-changed --reason "..."')
    assert review_command(Change("upgraded", dep("1.82.5"), dep("1.82.6"), "patch")) == (
        'lockgate review pypi:litellm 1.82.5 1.82.6 --reason "..."')


def test_the_review_command_records_the_kind_and_asks_for_it_when_it_cannot_tell(capsys, repo):
    repo.commit("base", {"requirements.txt": "litellm==1.82.6\n"})
    args = ["review", "-C", str(repo.path), "pypi:litellm", "--reviewer", "alice", "--reason", "diffed the wheel"]
    assert main(args[:4] + ["1.82.6", "1.82.6"] + args[4:]) == 2
    assert "keeps the version: say which change you reviewed with --kind" in capsys.readouterr().err
    assert main(args[:4] + ["1.82.6", "1.82.6", "--kind", "hashes-changed"] + args[4:]) == 0
    assert main(args[:4] + ["1.82.5", "1.82.6"] + args[4:]) == 0
    assert main(args[:4] + ["1.82.6", "1.82.6", "--kind", "upgraded"] + args[4:]) == 2
    capsys.readouterr()
    recorded = parse_ledger((repo.path / LEDGER).read_text(), LEDGER)
    assert [(e.from_version, e.to_version, e.kind) for e in recorded] == [
        ("1.82.6", "1.82.6", "hashes-changed"), ("1.82.5", "1.82.6", "upgraded")]


def test_a_republished_artifact_is_not_reviewed_by_the_ledger_entry_of_its_bump(capsys, repo):
    """End to end: the bump to 1.82.6 was reviewed with a wildcard entry; a later pull request swaps its hash."""
    ledger = 'reviews:\n  - {package: "pypi:litellm", from: "*", to: "1.82.6", reviewer: alice, reason: ok}\n'
    base = repo.commit("base", {LEDGER: ledger, "requirements.txt": f"litellm==1.82.6 --hash={A}\n"})
    head = repo.commit("swap", {"requirements.txt": f"litellm==1.82.6 --hash={B}\n"})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--offline", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and [(c["kind"], c["review"]) for c in doc["changes"]] == [("hashes-changed", "required")]
    [finding] = [f for f in doc["findings"] if f["rule"] == "review"]
    assert "--kind hashes-changed" in finding["hint"]
