"""Recording reviews (checker/review/record.py): the batch of ``lockgate review --all-pending`` writes only entries
that name exactly their change. The command's end-to-end tests are in tests/commands/test_review_all_pending.py."""

from __future__ import annotations

from checker.review.ledger import parse_ledger
from checker.review.record import record_reviews
from tests.judge.hand_built import added, upgrade

LEDGER = ".github/lockgate-reviews.yml"
SHA_A, SHA_B = "a" * 40, "b" * 40


def test_a_name_that_would_read_back_as_a_pattern_is_not_recorded(repo) -> None:  # type: ignore[no-untyped-def]
    """A git or pre-commit source is named by its URL, which may hold ``?`` or ``*``: as a ledger entry it would be a
    pattern, and would cover other repositories bumped between the same commits. Such a change is left out (it stays
    waiting), and the rest of the batch is recorded."""
    wild = upgrade("https://example.com/org/*", SHA_A, SHA_B, ecosystem="pre-commit", hashes=(),
                   manifest=".pre-commit-config.yaml")
    query = upgrade("https://example.com/org/repo?x=1", SHA_A, SHA_B, ecosystem="pre-commit", hashes=(),
                    manifest=".pre-commit-config.yaml")
    hidden = added("idna\u200b", "3.7")
    plain = upgrade("requests", "2.32.3", "2.32.4")
    done = record_reviews(str(repo.path), [wild, query, hidden, plain], "read them", str(repo.path / LEDGER),
                          reviewer="alice", stage=False)
    assert [change for change, _ in done.written] == [plain]
    assert [(change, why.split(",")[0]) for change, why in done.refused] == [
        (wild, "its name holds * or ?"), (query, "its name holds * or ?"),
        (hidden, "it holds an invisible character"),
    ]
    [entry] = parse_ledger((repo.path / LEDGER).read_text(), LEDGER)
    assert (entry.package.text, entry.from_version, entry.to_version, entry.kind) == (
        "pypi:requests", "2.32.3", "2.32.4", "upgraded")


def test_nothing_recordable_writes_no_file(repo) -> None:  # type: ignore[no-untyped-def]
    wild = upgrade("https://example.com/*", SHA_A, SHA_B, ecosystem="git", hashes=())
    done = record_reviews(str(repo.path), [wild], "read it", str(repo.path / LEDGER), reviewer="alice", stage=False)
    assert (done.written, len(done.refused)) == ((), 1)
    assert not (repo.path / LEDGER).exists()
