"""Whether a version lies in an OSV ``affected[]`` entry (checker/versions/osv_ranges.py).

The examples of the OSV schema's own "Examples" section (docs/schema.md in ossf/osv-schema) come first; then the
real records of tests/fixtures/osv/ (PyPA advisory database, OpenSSF malicious packages, GitHub advisories) and
property tests: every version a real record lists is affected by its ranges alone, and on random event timelines
the evaluator agrees with an independent reading of them as half-open intervals."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.versions.osv_ranges import Match, evaluate
from tests.fakes.osv import fixture_records

SHA = "2f53c851eaf926767fbac62385615efd4886221c"


def entry(*events: dict[str, str], kind: str = "SEMVER", ecosystem: str = "npm", versions: list[str] | None = None,
          **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"package": {"ecosystem": ecosystem, "name": "x"},
                             "ranges": [{"type": kind, "events": list(events), **extra}]}
    if versions is not None:
        found["versions"] = versions
    return found


def affected(item: dict[str, Any], version: str) -> bool | None:
    return evaluate(item, version).affected


# -- the schema's examples -----------------------------------------------------------------------------------------


def test_unfixed_every_version_is_affected() -> None:
    item = entry({"introduced": "0"})
    assert all(affected(item, v) for v in ("0.0.0", "1.0.0", "99.0.0-rc.1"))
    assert evaluate(item, "1.0.0") == Match(True, None)


def test_fixed_everything_before_the_fix() -> None:
    item = entry({"introduced": "0"}, {"fixed": "1.0.2"})
    assert [affected(item, v) for v in ("1.0.1", "1.0.2", "1.0.3", "1.0.2-rc.1")] == [True, False, False, True]
    assert evaluate(item, "1.0.1").fixed == "1.0.2"


def test_multiple_ranges_in_one_timeline() -> None:
    item = entry({"introduced": "1.0.0"}, {"fixed": "1.0.2"}, {"introduced": "3.0.0"}, {"fixed": "3.2.5"})
    expected = {"0.9.0": False, "1.0.0": True, "1.0.1": True, "1.0.2": False, "2.9.9": False, "3.0.0": True,
                "3.2.4": True, "3.2.5": False, "4.0.0": False}
    assert {v: affected(item, v) for v in expected} == expected
    assert evaluate(item, "1.0.1").fixed == "1.0.2" and evaluate(item, "3.1.0").fixed == "3.2.5"


def test_events_out_of_order_are_sorted_first() -> None:
    item = entry({"fixed": "3.2.5"}, {"introduced": "3.0.0"}, {"fixed": "1.0.2"}, {"introduced": "1.0.0"})
    assert [affected(item, v) for v in ("1.0.1", "2.0.0", "3.1.0")] == [True, False, True]


def test_last_affected_is_inclusive_and_gives_no_fix() -> None:
    item = entry({"introduced": "0"}, {"last_affected": "2.1.214"}, kind="ECOSYSTEM")
    assert [affected(item, v) for v in ("2.1.213", "2.1.214", "2.1.215")] == [True, True, False]
    assert evaluate(item, "2.1.214").fixed is None


def test_limit_bounds_the_range_and_star_is_infinity() -> None:
    item = entry({"introduced": "1.0.0"}, {"limit": "2.0.0"})
    assert [affected(item, v) for v in ("0.5.0", "1.5.0", "2.0.0", "3.0.0")] == [False, True, False, False]
    assert affected(entry({"introduced": "1.0.0"}, {"limit": "*"}), "9.0.0") is True
    two = entry({"introduced": "1.0.0"}, {"limit": "1.5.0"}, {"limit": "3.0.0"})
    assert affected(two, "2.0.0") is True  # before one of the limits


def test_introduced_and_fixed_at_one_version_is_an_empty_range() -> None:
    assert affected(entry({"introduced": "1.0.0"}, {"fixed": "1.0.0"}), "1.0.0") is False


def test_the_versions_list_counts_on_its_own() -> None:
    item = {"package": {"ecosystem": "PyPI", "name": "x"}, "versions": ["1.0", "2.0.post1"]}
    assert affected(item, "1.0") is True and affected(item, "1.0.0") is True  # one PEP 440 release
    assert affected(item, "2.0.post1") is True and affected(item, "2.0") is False


# -- orderings per ecosystem ---------------------------------------------------------------------------------------


def test_pypi_ranges_use_pep440_not_semver() -> None:
    item = entry({"introduced": "0"}, {"fixed": "2.10.1"}, kind="ECOSYSTEM", ecosystem="PyPI")
    assert [affected(item, v) for v in ("2.9", "2.10", "2.10.0rc1", "2.10.1", "2.10.1.post1", "10.0")] == [
        True, True, True, False, False, False]
    assert evaluate(item, "2.2").fixed == "2.10.1"


def test_npm_ecosystem_ranges_use_semver_precedence() -> None:
    item = entry({"introduced": "0"}, {"fixed": "1.10.0"}, kind="ECOSYSTEM")
    assert [affected(item, v) for v in ("1.9.0", "1.10.0-beta.1", "1.10.0", "1.10.0+build")] == [
        True, True, False, False]


def test_semver_ranges_read_partial_versions_as_osv_dev_does() -> None:
    assert affected(entry({"introduced": "1.2"}, {"fixed": "2"}), "1.2.0") is True
    assert affected(entry({"introduced": "1.2"}, {"fixed": "2"}), "2.0.0") is False


def test_github_actions_tags_with_a_v() -> None:
    item = entry({"introduced": "0"}, {"fixed": "4.2.0"}, kind="ECOSYSTEM", ecosystem="GitHub Actions")
    assert affected(item, "v4.1.1") is True and affected(item, "v4.2.0") is False


def test_maven_ranges_use_mavens_own_order() -> None:
    item = entry({"introduced": "0"}, {"fixed": "2.0"}, kind="ECOSYSTEM", ecosystem="Maven")
    assert affected(item, "2.0-rc1") is True  # a release candidate comes before its release
    assert affected(item, "2.0.0") is False and affected(item, "2.0-sp1") is False  # 2.0.0 is 2.0; sp after
    item = entry({"introduced": "2.13.0"}, {"fixed": "2.13.4.1"}, kind="ECOSYSTEM", ecosystem="Maven")
    assert affected(item, "2.13.4") is True and affected(item, "2.13.4.2") is False and affected(item, "2.12.7") is False


@pytest.mark.parametrize("ecosystem", ["Hex", "Debian:12", "made-up"])
def test_an_ecosystem_lockgate_cannot_order_is_unknown_never_no(ecosystem: str) -> None:
    match = evaluate(entry({"introduced": "0"}, {"fixed": "1.0.0"}, kind="ECOSYSTEM", ecosystem=ecosystem), "2.0.0")
    assert match.affected is None and match.reason == f"lockgate cannot order ECOSYSTEM versions of {ecosystem}"
    listed = entry({"introduced": "0"}, {"fixed": "1.0.0"}, kind="ECOSYSTEM", ecosystem=ecosystem, versions=["0.5.0"])
    assert affected(listed, "0.5.0") is True  # the list answers what the range cannot


# -- GIT -------------------------------------------------------------------------------------------------------------


def test_git_ranges_are_decided_only_for_a_listed_commit() -> None:
    item = entry({"introduced": "a" * 40}, {"fixed": SHA}, kind="GIT", repo="https://github.com/o/r")
    assert affected(item, "a" * 40) is True
    assert affected(item, SHA) is False
    assert affected(item, SHA.upper()) is False
    other = evaluate(item, "b" * 40)
    assert other.affected is None and "GIT range" in (other.reason or "")


def test_a_git_range_does_not_judge_a_release_version() -> None:
    """gevent's record: a GIT range beside an ECOSYSTEM one; the release 23.9.1 is judged by the latter."""
    [record] = [r for r in fixture_records() if r["id"] == "PYSEC-2023-177"]
    [item] = record["affected"]
    assert evaluate(item, "23.9.1") == Match(False)
    assert evaluate(item, "22.10.2").affected is True
    # Its list also names 23.9.0 and 23.9.0.post1 (osv.dev expanded the GIT range's tags): by the record's own
    # word those are affected too, so 23.9.0 is no fix to point at.
    assert evaluate(item, "22.10.2").fixed is None
    git_only = entry({"introduced": "0"}, {"fixed": SHA}, kind="GIT", ecosystem="PyPI")
    assert evaluate(git_only, "1.0").affected is None  # no list to say which releases the commits are


# -- malformed records: unknown, never "not affected" ------------------------------------------------------------


@pytest.mark.parametrize("events", [
    [{"introduced": "0", "fixed": "1.0.0"}],  # two keys in one event (invalid by the schema)
    [{"introduced": "0"}, {"fixed": "not a version"}],
    [{"introduced": "0"}, {"fixed": ""}],
    [{"introduced": "0"}, {"unfixed": "1.0.0"}],
    [],
    "nope",
])
def test_an_unreadable_range_is_unknown(events: Any) -> None:
    item = {"package": {"ecosystem": "npm", "name": "x"}, "ranges": [{"type": "SEMVER", "events": events}]}
    match = evaluate(item, "2.0.0")
    assert match.affected is None and match.reason


def test_a_version_that_does_not_parse_is_unknown() -> None:
    item = entry({"introduced": "0"}, {"fixed": "2.0"}, kind="ECOSYSTEM", ecosystem="PyPI")
    assert evaluate(item, "not-a-version") == Match(None, reason="'not-a-version' is not a PyPI version")


def test_an_unreadable_range_does_not_hide_a_readable_one_that_affects() -> None:
    item = {"package": {"ecosystem": "npm", "name": "x"}, "ranges": [
        {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "???"}]},
        {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "3.0.0"}]}]}
    assert evaluate(item, "2.0.0") == Match(True, "3.0.0")


def test_the_fix_hint_skips_a_fix_that_a_later_range_reopens() -> None:
    item = entry({"introduced": "1.0.0"}, {"fixed": "1.1.0"}, {"introduced": "1.1.0"}, {"fixed": "1.2.0"})
    assert evaluate(item, "1.1.0") == Match(True, "1.2.0")  # closed and reopened at 1.1.0: affected
    assert evaluate(item, "1.0.5") == Match(True, "1.2.0")


def test_database_and_ecosystem_specific_take_no_part() -> None:
    item = entry({"introduced": "0"}, {"fixed": "1.0.0"},
                 database_specific={"last_known_affected_version_range": "<= 5.0.0"})
    item["ecosystem_specific"] = {"affected_functions": ["x"]}
    assert affected(item, "2.0.0") is False


# -- real records ----------------------------------------------------------------------------------------------------


def test_real_records() -> None:
    records = {r["id"]: r for r in fixture_records()}
    [jinja] = records["PYSEC-2019-217"]["affected"]
    assert evaluate(jinja, "2.10") == Match(True, "2.10.1") and evaluate(jinja, "2.10.1") == Match(False)
    [salt] = records["PYSEC-2021-73"]["affected"]
    assert evaluate(salt, "2016.11.6") == Match(False)
    assert evaluate(salt, "2016.11.7") == Match(True, "2016.11.10")
    assert evaluate(salt, "2018.3.0") == Match(True, "2019.2.0rc1")
    assert evaluate(salt, "3002.4") == Match(True, "3002.5") and evaluate(salt, "3003") == Match(False)
    [py] = records["PYSEC-2022-42969"]["affected"]
    assert evaluate(py, "1.11.0") == Match(True, None) and evaluate(py, "1.11.1") == Match(False)
    [django] = records["PYSEC-2023-61"]["affected"]
    assert evaluate(django, "4.1.8") == Match(True, "4.1.9") and evaluate(django, "3.1") == Match(False)
    assert evaluate(django, "4.2rc1").affected is True  # named by the list, below the range's "4.2"
    [litellm] = records["MAL-2026-2144"]["affected"]
    assert [affected(litellm, v) for v in ("1.82.6", "1.82.7", "1.82.8", "1.82.9")] == [False, True, True, False]
    [chalk] = records["MAL-2025-46969"]["affected"]
    assert affected(chalk, "5.6.1") is True and affected(chalk, "5.6.0") is False
    ua = records["GHSA-pjwm-rvh2-c87w"]["affected"]
    assert [any(affected(e, v) for e in ua) for v in ("0.7.28", "0.7.29", "0.8.0", "0.8.1", "1.0.0", "1.0.1")] == [
        False, True, True, False, True, False]


def _listed_cases() -> list[tuple[str, dict[str, Any], str]]:
    cases = []
    for record in fixture_records():
        for item in record["affected"]:
            if item.get("ranges"):
                cases.extend((record["id"], item, str(v)) for v in item.get("versions", ()))
    return cases


LISTED = _listed_cases()
QUIRKS = {("PYSEC-2023-61", "3.2a1"), ("PYSEC-2023-61", "3.2b1"), ("PYSEC-2023-61", "3.2rc1"),
          ("PYSEC-2023-61", "4.2a1"), ("PYSEC-2023-61", "4.2b1"), ("PYSEC-2023-61", "4.2rc1"),
          ("PYSEC-2023-177", "23.9.0"), ("PYSEC-2023-177", "23.9.0.post1")}


@given(st.sampled_from(LISTED))
def test_every_listed_version_of_a_real_record_is_affected_by_its_ranges_alone(case: tuple[str, dict[str, Any], str]) -> None:
    """osv.dev fills ``versions`` by expanding the ranges: the ranges alone must agree (django's prereleases are
    the database's own quirk: its list names them, its ranges start at the final release; gevent's names the
    fixed release, from its GIT range's tags)."""
    record_id, item, version = case
    bare = {k: v for k, v in item.items() if k != "versions"}
    expected = False if (record_id, version) in QUIRKS else True
    assert evaluate(bare, version).affected is expected, (record_id, version)


# -- random timelines against intervals ----------------------------------------------------------------------------

VERSIONS = [f"{major}.{minor}.0" for major in range(4) for minor in range(4)]


@st.composite
def timelines(draw: st.DrawFn) -> tuple[list[dict[str, str]], list[tuple[int, int | None, bool]]]:
    """Non-overlapping intervals over VERSIONS as events, and the intervals themselves (start index, end index
    or None, end inclusive?)."""
    cuts = sorted(draw(st.sets(st.integers(0, len(VERSIONS) - 1), min_size=1, max_size=8)))
    events: list[dict[str, str]] = []
    intervals = []
    open_ended = draw(st.booleans())
    pairs = list(zip(cuts[::2], cuts[1::2] + ([None] if len(cuts) % 2 else [])))
    for start, end in pairs:
        zero = start == 0 and draw(st.booleans())
        events.append({"introduced": "0" if zero else VERSIONS[start]})
        if end is None:
            if not open_ended:
                continue
            intervals.append((start, None, False))
            continue
        inclusive = draw(st.booleans()) and end + 1 < len(VERSIONS)
        events.append({"last_affected": VERSIONS[end]} if inclusive else {"fixed": VERSIONS[end]})
        intervals.append((start, end, inclusive))
    if not open_ended and len(cuts) % 2:
        events.pop()
    draw(st.randoms()).shuffle(events)
    return events, intervals


@given(timelines(), st.integers(0, len(VERSIONS) - 1))
def test_random_timelines_agree_with_intervals(timeline: tuple[list[dict[str, str]], list[tuple[int, int | None, bool]]],
                                               index: int) -> None:
    events, intervals = timeline
    if not events:
        return
    expected = any(start <= index and (end is None or index < end or (inclusive and index == end))
                   for start, end, inclusive in intervals)
    assert affected(entry(*events), VERSIONS[index]) is expected


def test_a_hostile_record_cannot_make_evaluation_slow() -> None:
    """Thousands of ranges reopened at every fix: the evaluation stays bounded (events beyond MAX_EVENTS are
    unknown, and at most MAX_FIX_CANDIDATES fixes are tried for the hint). Not a timed assertion: a quadratic
    evaluation of this record would take minutes and be stopped by the suite's hang guard."""
    from checker.versions.osv_ranges import MAX_EVENTS

    events = [{"introduced": "0"}]
    for n in range(1, MAX_EVENTS // 2):
        events += [{"fixed": f"{n}.0.0"}, {"introduced": f"{n}.0.0"}]
    match = evaluate(entry(*events), "0.5.0")
    assert match.affected is True and match.fixed is None  # every fix reopened: none to point at
    too_many = evaluate(entry(*events, {"fixed": "1.0.0"}, {"fixed": "2.0.0"}), "0.5.0")
    assert too_many.affected is None and too_many.reason == f"a range with more than {MAX_EVENTS} events"
