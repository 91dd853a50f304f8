"""An OSV record read for one version (checker/registries/advisories.py): which package, affected or not, the fix,
severity from CVSS v3/v4 vectors or the database's word, and malicious packages. Real records from
tests/fixtures/osv/ (see SOURCES.md)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from checker.model import UNKNOWN, Advisory
from checker.registries.advisories import advisory_for, cvss_score, is_malicious, osv_name, qualitative, severity_of
from tests.fakes.osv import fixture_records

RECORDS = {record["id"]: record for record in fixture_records()}
V4_CRITICAL = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"  # FIRST's calculator: 9.3


def record(record_id: str) -> dict[str, Any]:
    return copy.deepcopy(RECORDS[record_id])


def test_litellm_malicious_versions() -> None:
    mal = record("MAL-2026-2144")
    assert advisory_for(mal, "pypi", "litellm", "1.82.8") == Advisory(
        id="MAL-2026-2144", aliases=("PYSEC-2026-2",), summary="Malicious code in litellm (PyPI)", severity=UNKNOWN,
        score=None, fixed=None, malicious=True, url="https://osv.dev/vulnerability/MAL-2026-2144")
    assert advisory_for(mal, "pypi", "litellm", "1.82.7") is not None
    assert advisory_for(mal, "pypi", "litellm", "1.82.6") is None
    assert advisory_for(mal, "pypi", "LiteLLM", "1.82.8") is not None  # PEP 503 names
    assert advisory_for(mal, "npm", "litellm", "1.82.8") is None  # another ecosystem's package


def test_chalk_worm_and_a_ghsa_of_type_malware() -> None:
    chalk = advisory_for(record("MAL-2025-46969"), "npm", "chalk", "5.6.1")
    assert isinstance(chalk, Advisory) and chalk.malicious and chalk.aliases == ("GHSA-2v46-p5h4-248w",)
    assert advisory_for(record("MAL-2025-46969"), "npm", "Chalk", "5.6.1") is None  # npm names are exact
    ua = advisory_for(record("GHSA-pjwm-rvh2-c87w"), "npm", "ua-parser-js", "0.8.0")
    assert isinstance(ua, Advisory)
    assert (ua.malicious, ua.severity, ua.score, ua.fixed) == (True, "critical", None, "0.8.1")
    assert advisory_for(record("GHSA-pjwm-rvh2-c87w"), "npm", "ua-parser-js", "0.7.28") is None


def test_a_cvss_v3_vector_is_scored_and_the_fix_given() -> None:
    jinja = advisory_for(record("GHSA-h5c8-rqwp-cp95"), "pypi", "jinja2", "3.1.2")
    assert isinstance(jinja, Advisory)
    assert (jinja.severity, jinja.score, jinja.fixed, jinja.aliases, jinja.malicious) == (
        "moderate", 5.4, "3.1.3", ("CVE-2024-22195",), False)
    assert jinja.summary.startswith("Jinja vulnerable to HTML attribute injection")
    assert advisory_for(record("GHSA-h5c8-rqwp-cp95"), "pypi", "jinja2", "3.1.3") is None


def test_a_cvss_v4_vector_and_the_highest_of_several() -> None:
    jinja = record("GHSA-h5c8-rqwp-cp95")
    jinja["severity"] = [{"type": "CVSS_V4", "score": V4_CRITICAL}]
    assert severity_of(jinja) == ("critical", 9.3)
    jinja["severity"].append({"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"})
    assert severity_of(jinja) == ("critical", 9.3)


def test_severity_falls_back_to_the_database_then_unknown() -> None:
    jinja = record("GHSA-h5c8-rqwp-cp95")
    jinja["severity"] = [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/garbage"}, {"type": "CVSS_V2", "score": "AV:N"}]
    assert severity_of(jinja) == ("moderate", None)
    jinja["database_specific"]["severity"] = "MEDIUM"
    assert severity_of(jinja) == ("moderate", None)
    del jinja["database_specific"]
    assert severity_of(jinja) == (UNKNOWN, None)
    entry_level = {"affected": [{"severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}]}
    assert severity_of(entry_level, entry_level["affected"]) == ("critical", 9.8)


@pytest.mark.parametrize(("score", "word"), [(0.0, "low"), (0.1, "low"), (3.9, "low"), (4.0, "moderate"),
                                             (6.9, "moderate"), (7.0, "high"), (8.9, "high"), (9.0, "critical"),
                                             (10.0, "critical")])
def test_cvss_v3_qualitative_ranges(score: float, word: str) -> None:
    assert qualitative(score) == word


def test_vectors_that_do_not_parse_give_no_score() -> None:
    for kind, vector in (("CVSS_V3", ""), ("CVSS_V3", V4_CRITICAL), ("CVSS_V4", "CVSS:3.1/AV:N"),
                         ("CVSS_V4", "CVSS:4.0/AV:N"), ("Ubuntu", "high"), ("CVSS_V3", "x" * 10_000)):
        assert cvss_score(kind, vector) is None


def test_malicious_markers() -> None:
    assert is_malicious({"id": "MAL-2025-1"}) and is_malicious({"id": "GHSA-x", "aliases": ["MAL-2025-1"]})
    assert is_malicious({"id": "GHSA-x", "database_specific": {"cwe_ids": ["CWE-79", "CWE-506"]}})
    assert is_malicious({"id": "OSV-x", "database_specific": {"malicious-packages-origins": [{"source": "x"}]}})
    assert not is_malicious(RECORDS["GHSA-h5c8-rqwp-cp95"]) and not is_malicious(RECORDS["PYSEC-2019-217"])


def test_what_cannot_be_told_is_unknown_unless_the_api_listed_it() -> None:
    odd = {"id": "GHSA-odd", "affected": [{"package": {"ecosystem": "npm", "name": "x"},
                                           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "?"}]}]}]}
    assert advisory_for(odd, "npm", "x", "1.0.0") is UNKNOWN
    listed = advisory_for(odd, "npm", "x", "1.0.0", listed=True)
    assert isinstance(listed, Advisory) and listed.id == "GHSA-odd" and listed.fixed is None


def test_the_api_word_stands_where_lockgate_reads_the_ranges_otherwise() -> None:
    """OSV listed the record for this version: a false pass is worse than a finding to look at."""
    jinja = advisory_for(record("GHSA-h5c8-rqwp-cp95"), "pypi", "jinja2", "3.1.4", listed=True)
    assert isinstance(jinja, Advisory) and jinja.fixed is None and jinja.severity == "moderate"


def test_a_withdrawn_record_is_no_advisory() -> None:
    jinja = record("GHSA-h5c8-rqwp-cp95")
    jinja["withdrawn"] = "2024-02-01T00:00:00Z"
    assert advisory_for(jinja, "pypi", "jinja2", "3.1.2") is None
    assert advisory_for(jinja, "pypi", "jinja2", "3.1.2", listed=True) is None


def test_the_lowest_fix_among_several_entries_and_summaries() -> None:
    django = advisory_for(record("PYSEC-2023-61"), "pypi", "django", "4.1.3")
    assert isinstance(django, Advisory) and django.fixed == "4.1.9" and django.aliases == ("CVE-2023-31047",)
    assert django.summary.startswith("In Django 3.2 before 3.2.19, 4.x before 4.1.9") and "\n" not in django.summary
    long = {"id": "X", "summary": "word " * 100}
    from checker.registries.advisories import summary_of

    assert len(summary_of(long)) == 200 and summary_of({"id": "X"}) == ""
    assert summary_of({"details": "\n\n  First line  \nsecond"}) == "First line"
    assert summary_of({"summary": "red\x1b[31m text\x07\u202e here"}) == "red[31m text here"


def test_osv_names() -> None:
    assert osv_name("pypi", "Zope.Interface") == "zope-interface" and osv_name("npm", "@Scope/X") == "@Scope/X"
    action = {"id": "GHSA-a", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": "tj-actions/changed-files"},
                                            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "46.0.1"}]}]}]}
    found = advisory_for(action, "actions", "TJ-Actions/changed-files", "v45.0.0")
    assert isinstance(found, Advisory) and found.fixed == "46.0.1"


def test_crates_and_swift_packages_are_named_as_osv_names_them() -> None:
    from checker.model import Dependency, Source
    from checker.registries.advisories import matching_entries, osv_package

    record = {"affected": [{"package": {"ecosystem": "crates.io", "name": "serde-json"}},
                           {"package": {"ecosystem": "SwiftURL", "name": "github.com/Apple/swift-nio"}}]}
    assert len(matching_entries(record, "cargo", "serde_json")) == 1
    nio = Dependency("swift", "swift-nio", "2.40.0", source=Source("git", url="https://github.com/apple/swift-nio.git",
                                                                   commit="a" * 40))
    assert osv_package(nio) == "github.com/apple/swift-nio"
    assert len(matching_entries(record, "swift", osv_package(nio))) == 1


def test_osv_is_asked_about_swift_pins_at_a_version_only() -> None:
    from checker.model import Dependency, Source
    from checker.rules.base import osv_version

    url = "https://github.com/apple/swift-nio.git"
    assert osv_version(Dependency("swift", "swift-nio", "2.40.0", source=Source("git", url=url, commit="a" * 40))) \
        == "2.40.0"
    assert osv_version(Dependency("swift", "swift-nio", "a" * 40, "main", Source("git", url=url, commit="a" * 40))) \
        is None
    assert osv_version(Dependency("cargo", "serde", "1.0.0")) == "1.0.0"
