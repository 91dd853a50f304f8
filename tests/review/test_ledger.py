"""The review ledger (checker/review/ledger.py): parsing, what an entry covers, its evidence through the engine,
and appending an entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import PolicyError, UsageError
from checker.model import Change, ReviewStatus
from checker.review.decision import review_statuses
from checker.review.ledger import LEDGER_HEADER, LedgerEntry, NewEntry, append_entries, append_entry, parse_ledger
from tests.judge.hand_built import TODAY, added, dep, policy, removed, run, upgrade


LEDGER = ".github/lockgate-reviews.yml"


def ledger(text: str) -> tuple[LedgerEntry, ...]:
    return parse_ledger(text, LEDGER)


def ledger_error(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        ledger(text)
    return caught.value


# --- ledger evidence -------------------------------------------------------------------------------------------


LEDGER_TEXT = """\
# reviewed dependency changes
reviews:
  - package: pypi:Requests
    from: "2.31.0"
    to: "2.32.3"
    reviewer: alice
    date: 2026-03-30
    reason: read the changelog
  - {package: "pypi:httpx", from: null, to: "0.28.1", reviewer: bob, reason: new client}
  - {package: "pypi:rich", from: "-", to: "13.9.4", reviewer: bob, reason: ok}
  - {package: "pypi:attrs", to: "24.3.0", reviewer: bob, reason: ok}
  - {package: "pypi:six", from: "1.16.0", to: "-", reviewer: carol, reason: unused}
  - {package: "pypi:idna", from: "*", to: "3.10", reviewer: carol, reason: any path to 3.10 is fine}
  - {package: "pypi:certifi", from: "2024.8.30", to: "2025.1.31", reviewer: dan, reason: ok, manifest: services/api/requirements.txt}
"""


def test_parse_ledger() -> None:
    entries = ledger(LEDGER_TEXT)
    assert [(e.package.text, e.from_version, e.to_version, e.reviewer, e.line) for e in entries] == [
        ("pypi:Requests", "2.31.0", "2.32.3", "alice", 3),
        ("pypi:httpx", None, "0.28.1", "bob", 9),
        ("pypi:rich", None, "13.9.4", "bob", 10),
        ("pypi:attrs", None, "24.3.0", "bob", 11),
        ("pypi:six", "1.16.0", "-", "carol", 12),
        ("pypi:idna", "*", "3.10", "carol", 13),
        ("pypi:certifi", "2024.8.30", "2025.1.31", "dan", 14),
    ]
    first = entries[0]
    assert (first.date, first.reason, first.manifest, first.path, first.origin) == (
        "2026-03-30", "read the changelog", None, LEDGER, f"{LEDGER}:3",
    )
    assert entries[-1].manifest == "services/api/requirements.txt"


def test_empty_ledgers() -> None:
    assert ledger("") == ()
    assert ledger("# nothing yet\n") == ()
    assert ledger("reviews: []\n") == ()
    assert ledger("reviews:\n") == ()


def test_ledger_covers_upgrades_by_canonical_name() -> None:
    entry = ledger(LEDGER_TEXT)[0]
    assert entry.covers(upgrade("requests", "2.31.0", "2.32.3"))
    assert not entry.covers(upgrade("requests", "2.31.0", "2.32.4"))
    assert not entry.covers(upgrade("requests", "2.30.0", "2.32.3"))
    assert not entry.covers(added("requests", "2.32.3"))
    assert not entry.covers(upgrade("requests", "2.31.0", "2.32.3", ecosystem="npm"))


def test_ledger_covers_additions_with_null_dash_or_no_from() -> None:
    entries = {e.package.name: e for e in ledger(LEDGER_TEXT)}
    for name, version in (("httpx", "0.28.1"), ("rich", "13.9.4"), ("attrs", "24.3.0")):
        assert entries[name].covers(added(name, version)), name
        assert not entries[name].covers(upgrade(name, "0.1", version)), name
        assert not entries[name].covers(added(name, "99.0")), name


def test_ledger_covers_removals_with_a_dash() -> None:
    entry = {e.package.name: e for e in ledger(LEDGER_TEXT)}["six"]
    assert entry.covers(removed("six", "1.16.0"))
    assert not entry.covers(removed("six", "1.15.0"))
    assert not entry.covers(upgrade("six", "1.16.0", "1.17.0"))


def test_ledger_star_from_covers_any_previous_version() -> None:
    entry = {e.package.name: e for e in ledger(LEDGER_TEXT)}["idna"]
    assert entry.covers(upgrade("idna", "3.7", "3.10"))
    assert entry.covers(Change("downgraded", dep("idna", "3.11"), dep("idna", "3.10"), "minor"))
    assert entry.covers(added("idna", "3.10"))
    assert not entry.covers(upgrade("idna", "3.7", "3.11"))


def test_ledger_manifest_restriction() -> None:
    entry = {e.package.name: e for e in ledger(LEDGER_TEXT)}["certifi"]
    assert entry.covers(upgrade("certifi", "2024.8.30", "2025.1.31", manifest="services/api/requirements.txt"))
    assert not entry.covers(upgrade("certifi", "2024.8.30", "2025.1.31", manifest="requirements.txt"))


def test_ledger_evidence_through_the_engine() -> None:
    changes = [
        upgrade("requests", "2.31.0", "2.32.3"),
        added("httpx", "0.28.1"),
        upgrade("urllib3", "2.2.3", "2.3.0"),
        upgrade("certifi", "2024.8.30", "2025.1.31"),
    ]
    judgement = run(changes, ledger=ledger(LEDGER_TEXT))
    assert judgement.reviews == (
        ReviewStatus("reviewed", f"ledger {LEDGER}:3 by alice"),
        ReviewStatus("reviewed", f"ledger {LEDGER}:9 by bob"),
        ReviewStatus("required"),
        ReviewStatus("required"),  # the entry is for another manifest
    )
    assert [(f.rule, f.dependency.name) for f in judgement.findings if f.dependency] == [  # type: ignore[union-attr]
        ("review", "urllib3"), ("review", "certifi"),
    ]
    assert judgement.verdict == "block"


def test_ledger_evidence_comes_before_pull_request_evidence() -> None:
    statuses = review_statuses(
        [upgrade("requests", "2.31.0", "2.32.3"), upgrade("urllib3", "2.2.3", "2.3.0")],
        policy().review, ledger(LEDGER_TEXT), "approved by erin",
    )
    assert statuses == (ReviewStatus("reviewed", f"ledger {LEDGER}:3 by alice"), ReviewStatus("reviewed", "approved by erin"))


@pytest.mark.parametrize(
    "field, value, shown",
    [("to", "1.10", "1.1 as a number"), ("from", "2.0", "2.0 as a number"), ("to", "3", "3 as a number")],
)
def test_ledger_rejects_unquoted_numbers(field: str, value: str, shown: str) -> None:
    values = {"from": '"1.0"', "to": '"1.1"'}
    values[field] = value
    text = (
        "reviews:\n"
        "  - {package: 'pypi:ok', from: '1', to: '2', reviewer: a, reason: r}\n"
        "  - package: pypi:x\n"
        f"    from: {values['from']}\n"
        f"    to: {values['to']}\n"
        "    reviewer: alice\n"
        "    reason: r\n"
    )
    err = ledger_error(text)
    assert (err.path, err.line) == (LEDGER, 3)
    assert err.message == f"reviews[1].{field} must be a quoted string (YAML reads {shown})"


def test_malformed_ledgers() -> None:
    err = ledger_error("reviews:\n  - {package: 'pypi:x', to: '1', reason: r}\n")
    assert (err.line, err.message) == (2, "reviews[0] needs `reviewer`")
    err = ledger_error("reviews:\n  - {package: 'x', to: '1', reviewer: a, reason: r}\n")
    assert (err.line, err.message) == (2, "reviews[0].package must name its ecosystem (pypi:name, npm:name, ...)")
    err = ledger_error("reviews:\n  - {package: 'pypi:x', to: '1', reviewer: a, reason: r, when: now}\n")
    assert (err.line, err.message) == (
        2, "unknown key 'when' in reviews[0]; valid keys: package, from, to, kind, reviewer, date, reason, manifest",
    )
    err = ledger_error("\nreviews: {package: 'pypi:x'}\n")
    assert (err.line, err.message) == (2, "`reviews` must be a list of entries")
    err = ledger_error("entries: []\n")
    assert (err.line, err.message) == (1, "unknown key 'entries' in the review ledger; valid keys: reviews")
    err = ledger_error("reviews:\n  - {package: 'pypi:x', to: '1', reviewer: a, reason: r, date: 2026-02-30}\n")
    assert (err.line, err.message) == (2, "not valid YAML: 2026-02-30 is not a valid date (day is out of range for month)")


# --- append_entry ----------------------------------------------------------------------------------------------


EXISTING = """\
# Reviewed dependency changes. Keep this comment.
reviews:
  # the first review
  - package: pypi:requests
    from: "2.31.0"
    to: "2.32.3"     # aligned comment
    reviewer: alice
    date: 2026-01-02
    reason: read the changelog

  - {package: "pypi:httpx", from: null, to: "0.28.1", reviewer: bob, reason: new}
# trailing comment
"""

NEW_ENTRY = """\
  - package: pypi:idna
    from: '3.9'
    to: '3.10'
    reviewer: carol
    date: '2026-04-01'
    reason: checked the diff
"""


def test_append_keeps_everything_above_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text(EXISTING, encoding="utf-8")
    line = append_entry(str(path), "pypi:idna", "3.9", "3.10", "carol", "  checked the diff \n", TODAY)
    assert path.read_text(encoding="utf-8") == EXISTING + NEW_ENTRY
    assert line == 13
    entries = parse_ledger(path.read_text(encoding="utf-8"), str(path))
    assert [(e.package.text, e.from_version, e.to_version, e.line) for e in entries] == [
        ("pypi:requests", "2.31.0", "2.32.3", 4),
        ("pypi:httpx", None, "0.28.1", 11),
        ("pypi:idna", "3.9", "3.10", 13),
    ]


def test_append_follows_the_indentation_of_existing_entries(tmp_path: Path) -> None:
    text = "reviews:\n- package: pypi:a\n  to: '1'\n  reviewer: a\n  reason: r\n"
    path = tmp_path / "reviews.yml"
    path.write_text(text, encoding="utf-8")
    assert append_entry(str(path), "pypi:b", None, "2.0", "bob", "new", TODAY) == 6
    assert path.read_text(encoding="utf-8") == text + (
        "- package: pypi:b\n  from:\n  to: '2.0'\n  reviewer: bob\n  date: '2026-04-01'\n  reason: new\n"
    )


def test_append_to_a_file_without_a_final_newline(tmp_path: Path) -> None:
    text = "reviews:\n  - {package: 'pypi:a', to: '1', reviewer: a, reason: r}"
    path = tmp_path / "reviews.yml"
    path.write_text(text, encoding="utf-8")
    append_entry(str(path), "pypi:b", "1", "2", "bob", "ok", TODAY)
    assert path.read_text(encoding="utf-8").startswith(text + "\n  - package: pypi:b\n")


def test_append_creates_the_ledger_with_a_header(tmp_path: Path) -> None:
    path = tmp_path / ".github" / "lockgate-reviews.yml"
    line = append_entry(str(path), "pypi:six", "1.16.0", "-", "carol", "unused", TODAY)
    header = LEDGER_HEADER.replace("reviews: []\n", "reviews:\n")
    assert path.read_text(encoding="utf-8") == header + (
        "  - package: pypi:six\n    from: 1.16.0\n    to: '-'\n    reviewer: carol\n    date: '2026-04-01'\n"
        "    reason: unused\n"
    )
    assert line == 5
    [entry] = parse_ledger(path.read_text(encoding="utf-8"), str(path))
    assert entry.covers(removed("six", "1.16.0"))


def test_append_to_a_ledger_of_comments_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text("# our ledger\n# be kind\n", encoding="utf-8")
    assert append_entry(str(path), "pypi:a", None, "1.0", "bob", "new", TODAY) == 4
    assert path.read_text(encoding="utf-8").startswith("# our ledger\n# be kind\nreviews:\n  - package: pypi:a\n")


def test_append_to_an_empty_flow_list(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text("# header\nreviews: []\n", encoding="utf-8")
    assert append_entry(str(path), "pypi:a", None, "1.0", "bob", "new", TODAY) == 3
    [entry] = parse_ledger(path.read_text(encoding="utf-8"), str(path))
    assert (entry.from_version, entry.to_version, entry.reviewer) == (None, "1.0", "bob")
    assert path.read_text(encoding="utf-8").startswith("# header\nreviews:\n  - package: pypi:a\n")


def test_append_refuses_a_malformed_ledger(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    text = "reviews:\n  - {package: 'pypi:a', to: 1.10, reviewer: a, reason: r}\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        append_entry(str(path), "pypi:b", "1", "2", "bob", "ok", TODAY)
    assert (caught.value.line, caught.value.message) == (2, "reviews[0].to must be a quoted string (YAML reads 1.1 as a number)")
    assert path.read_text(encoding="utf-8") == text


def test_append_needs_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    with pytest.raises(UsageError) as caught:
        append_entry(str(path), "pypi:b", "1", "2", "bob", "   ", TODAY)
    assert caught.value.message == "--reason must say what was reviewed and why it is acceptable"
    assert not path.exists()


def test_appended_values_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text("reviews:\n  - {package: 'pypi:a', to: '1', reviewer: a, reason: r}\n", encoding="utf-8")
    reason = 'line one\nline two: "quoted" # not a comment'
    append_entry(str(path), "pypi:b", "1.10", "2", "o'brien", reason, TODAY)
    entry = parse_ledger(path.read_text(encoding="utf-8"), str(path))[-1]
    assert (entry.from_version, entry.to_version, entry.reviewer, entry.reason, entry.date) == (
        "1.10", "2", "o'brien", reason, "2026-04-01",
    )


# --- several entries in one write (lockgate review --all-pending) ---------------------------------------------------


def test_append_entries_writes_a_batch_below_the_existing_ones(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text(EXISTING, encoding="utf-8")
    new = [NewEntry("pypi:idna", "3.9", "3.10", "upgraded"), NewEntry("npm:@scope/pkg", None, "1.0.0", "added"),
           NewEntry("pypi:old", "1.0", "-", "removed")]
    lines = append_entries(str(path), new, "carol", "read the diffs", TODAY)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(EXISTING)
    read = parse_ledger(text, str(path))
    assert [(e.package.text, e.from_version, e.to_version, e.kind, e.line) for e in read[2:]] == [
        ("pypi:idna", "3.9", "3.10", "upgraded", lines[0]),
        ("npm:@scope/pkg", None, "1.0.0", "added", lines[1]),
        ("pypi:old", "1.0", "-", "removed", lines[2]),
    ]
    assert lines == sorted(lines) and lines[0] == 13


def test_append_entries_refuses_a_placeholder_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    for reason in ("...", "\u2026", "TODO", " "):
        with pytest.raises(UsageError):
            append_entries(str(path), [NewEntry("pypi:a", "1", "2", "upgraded")], "bob", reason, TODAY)
    assert not path.exists()


def test_append_entries_keeps_the_permissions_of_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "reviews.yml"
    path.write_text(EXISTING, encoding="utf-8")
    path.chmod(0o640)
    append_entries(str(path), [NewEntry("pypi:a", "1", "2", "upgraded")], "bob", "ok", TODAY)
    assert path.stat().st_mode & 0o777 == 0o640
