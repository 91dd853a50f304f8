"""Release times read from the real registries (pypi.org, registry.npmjs.org), and advisories from the real OSV
API (api.osv.dev). Marked ``live``: skipped unless LOCKGATE_LIVE=1, since the default test run is hermetic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.registries.cache import Cache
from checker.registries.gather import FactsRequest, Registries


@pytest.mark.live
def test_release_times_from_the_real_registries(tmp_path: Path) -> None:
    pypi = FactsRequest("pypi", "requests", "2.31.0")
    npm = FactsRequest("npm", "left-pad", "1.3.0")
    with Registries.create(cache=Cache(tmp_path), retries=2, timeout=20) as stack:
        answers = stack.gather([pypi, npm])
    requests_facts = answers[pypi].facts
    assert requests_facts.exists is True, requests_facts.reason
    assert requests_facts.release_time == dt.datetime(2023, 5, 22, 15, 12, 42, 313790, tzinfo=dt.timezone.utc)
    assert "sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1" in requests_facts.hashes  # type: ignore[operator]
    left_pad = answers[npm].facts
    assert left_pad.exists is True, left_pad.reason
    assert isinstance(left_pad.release_time, dt.datetime) and left_pad.release_time.tzinfo is not None
    assert dt.datetime(2014, 1, 1, tzinfo=dt.timezone.utc) < left_pad.release_time < dt.datetime.now(dt.timezone.utc)
    assert "sha1:5b8a3a7765dfe001261dde915589e782f8c94d1e" in left_pad.hashes  # type: ignore[operator]


@pytest.mark.live
def test_advisories_from_the_real_osv_api(tmp_path: Path) -> None:
    """api.osv.dev: jinja2 2.10 has PYSEC-2019-217 (fixed in 2.10.1), litellm 1.82.8 the malicious-package record
    MAL-2026-2144, the hijacked tj-actions/changed-files 45.0.7 GitHub's GHSA-mrrh-fwg8-r2c3 (asked by package: with
    a version OSV answers none, google/osv.dev#2308), and a version with no advisory has none."""
    from checker.registries.osv import OsvQuery

    jinja = OsvQuery("pypi", "jinja2", "2.10")
    litellm = OsvQuery("pypi", "litellm", "1.82.8")
    clean = OsvQuery("npm", "left-pad", "1.3.0")
    hijacked = OsvQuery("actions", "tj-actions/changed-files", "45.0.7")  # OSV matches no actions version itself
    with Registries.create(cache=Cache(tmp_path), retries=2, timeout=20) as stack:
        answers = stack.osv().advisories([jinja, litellm, clean, hijacked])
    for query in (jinja, litellm, clean, hijacked):
        assert isinstance(answers[query].advisories, tuple), answers[query].reason
    assert "GHSA-mrrh-fwg8-r2c3" in {a.id for a in answers[hijacked].advisories}  # type: ignore[union-attr]
    found = {a.id: a for a in answers[jinja].advisories}  # type: ignore[union-attr]
    assert "PYSEC-2019-217" in found, answers[jinja].reason
    assert found["PYSEC-2019-217"].fixed == "2.10.1"
    assert any(a.malicious and a.id == "MAL-2026-2144" for a in answers[litellm].advisories)  # type: ignore[union-attr]
    assert answers[clean].advisories == (), answers[clean].reason


@pytest.mark.live
def test_a_score_from_the_real_scorecard_api(tmp_path: Path) -> None:
    """api.securityscorecards.dev scores ossf/scorecard itself; a repository that does not exist has no result."""
    from checker.model import Scorecard, SourceRepository

    scored = SourceRepository("github.com", "ossf", "scorecard")
    missing = SourceRepository("github.com", "ossf", "no-such-repository-for-lockgate")
    with Registries.create(cache=Cache(tmp_path), retries=2, timeout=20) as stack:
        answers = stack.scorecard().scores([scored, missing])
    card = answers[scored].scorecard
    assert isinstance(card, Scorecard), answers[scored].reason
    assert 0 <= card.score <= 10 and card.date and card.checks
    assert all(c.score is not None and c.name for c in card.checks)
    assert answers[missing].scorecard is None, answers[missing].reason


@pytest.mark.live
def test_a_real_npm_tarball_is_read_in_memory(tmp_path: Path) -> None:
    """registry.npmjs.org: bufferutil 4.0.8's tarball, checked against its packument's integrity, holds its
    binding.gyp and prebuilt binaries for three systems, and agrees with its packument (no manifest confusion)."""
    from checker.registries.npm_contents import NpmContentsClient, manifest_confusion

    with Registries.create(cache=Cache(tmp_path), retries=2, timeout=20) as stack:
        document = stack.fetcher.json("https://registry.npmjs.org/bufferutil/4.0.8", accept="application/json")
        dist = document.data["dist"]
        contents = NpmContentsClient(stack.fetcher).contents(dist["tarball"], dist["integrity"], dist["shasum"])
    assert "binding.gyp" in contents.files
    assert {kind for _, kind in contents.binaries} >= {"ELF", "PE"}
    assert manifest_confusion(document.data, contents) == []


@pytest.mark.live
def test_a_real_wheels_file_list_by_range_requests(tmp_path: Path) -> None:
    """pip 24.0's wheel (2 MB) from pypi.org's file host, read by ranges (checker/registries/artifacts.py): its
    file list and metadata, compared with 23.3.2's, for a small part of the wheel."""
    from checker.model import ArtifactContents
    from checker.registries.artifacts import Inspector, compare

    with Registries.create(cache=Cache(tmp_path), retries=2, timeout=20) as stack:
        page = stack.pypi().project("pip")
        found = compare(Inspector(stack.fetcher), page, "24.0", ["23.3.2"])
    new, old = found.artifact, found.prior
    assert isinstance(new, ArtifactContents) and isinstance(old, ArtifactContents), found.reason
    assert new.filename == "pip-24.0-py3-none-any.whl" and "pip/__main__.py" in new.files
    assert new.pth_files == () and new.top_level == ("pip",) and "console_scripts:pip" in new.entry_points
    assert 0 < new.fetched < new.size // 10


@pytest.mark.live
def test_a_release_tag_from_the_real_pypi_and_github(tmp_path: Path) -> None:
    """requests 2.31.0 names github.com/psf/requests (PyPI's JSON API), which has the tag v2.31.0 (GitHub's API; a
    GITHUB_TOKEN in the environment lifts the 60-an-hour limit)."""
    from checker.model import Dependency, SourceRepository, SourceTag
    from checker.policy.load import load_policy
    from checker.registries.stage import gather_facts

    policy = load_policy("rules:\n  source-tag: block\n  vulnerability: off\n  malicious: off\n  pin-comment: off\n",
                         "p.yml", lambda p: None)
    dep = Dependency("pypi", "requests", "2.31.0", "==2.31.0", manifest="requirements.txt", line=1)
    with Registries.create(cache=Cache(tmp_path), retries=2, timeout=20) as stack:
        facts = gather_facts([dep], offline=False, policy=policy, registries=stack)[("pypi", "requests", "2.31.0")]
    assert facts.repository == SourceRepository("github.com", "psf", "requests"), facts.reason
    assert isinstance(facts.source_tag, SourceTag), facts.reason
    assert facts.source_tag.name == "v2.31.0" and len(facts.source_tag.commit) == 40


@pytest.mark.live
def test_npm_publishers_from_the_real_registry_or_unknown_from_a_mirror(tmp_path: Path) -> None:
    """registry.npmjs.org names who published each version (``_npmUser``): chalk's releases before 5.6.1 came from
    sindresorhus and qix. A mirror that strips the field (as the one this machine reaches does) must make the
    publisher unknown, never "nobody": publisher-change then says it could not tell, and does not pass silently."""
    from checker.model import UNKNOWN, Uploader

    request = FactsRequest("npm", "chalk", "5.6.0", publishers=True, history=True, publisher_limit=3)
    with Registries.create(cache=Cache(tmp_path), retries=2, timeout=20) as stack:
        answer = stack.gather([request])[request]
    facts, history = answer.facts, answer.history
    assert facts.exists is True, facts.reason
    assert history is not None
    uploaders = [entry.uploader for entry in history.entries]
    if isinstance(facts.uploader, Uploader):  # the real registry
        assert facts.uploader.name in ("sindresorhus", "qix")
        assert any(isinstance(u, Uploader) and u.name == "sindresorhus" for u in uploaders)
    else:  # a mirror without _npmUser
        assert facts.uploader is UNKNOWN and all(u is None for u in uploaders)
