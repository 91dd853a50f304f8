"""The OSV client (checker/registries/osv.py) against the fake OSV API (tests/fakes/osv.py) serving real records:
querybatch with pages and chunks of 1,000, records by id cached and checked against ``modified``, and every failure
an unknown with its reason, never "no advisories"."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from checker.model import UNKNOWN, Advisory
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient
from checker.registries.osv import DEFAULT_URL, OsvAnswer, OsvClient, OsvQuery, osv_url
from tests.fakes.osv import FakeOsv, fixture_records
from tests.fakes.registry import Fault

LITELLM = OsvQuery("pypi", "litellm", "1.82.8")
CLEAN = OsvQuery("pypi", "litellm", "1.82.6")
JINJA = OsvQuery("pypi", "jinja2", "3.1.2")
CHALK = OsvQuery("npm", "chalk", "5.6.1")


def client(fake: FakeOsv, cache: Path | None, *, retries: int = 1, offline: bool = False) -> OsvClient:
    http = HttpClient(proxies={}, sleep=lambda seconds: None, retries=retries, timeout=2.0)
    return OsvClient(Fetcher(http, Cache(cache) if cache is not None else None, offline=offline), fake.url)


@pytest.fixture
def fake() -> FakeOsv:
    with FakeOsv() as server:
        server.add_fixtures()
        yield server


def test_advisories_of_real_records(fake: FakeOsv, tmp_path: Path) -> None:
    answers = client(fake, tmp_path).advisories([LITELLM, CLEAN, JINJA, CHALK])
    [mal] = answers[LITELLM].advisories  # type: ignore[misc]
    assert (mal.id, mal.malicious, mal.aliases, mal.severity) == ("MAL-2026-2144", True, ("PYSEC-2026-2",), UNKNOWN)
    assert answers[CLEAN].advisories == () and answers[CLEAN].reason is None
    [jinja] = answers[JINJA].advisories  # type: ignore[misc]
    assert (jinja.id, jinja.severity, jinja.score, jinja.fixed) == ("GHSA-h5c8-rqwp-cp95", "moderate", 5.4, "3.1.3")
    [chalk] = answers[CHALK].advisories  # type: ignore[misc]
    assert chalk.id == "MAL-2025-46969" and chalk.malicious
    [post] = [json.loads(body) for method, _, body in fake.requests if method == "POST"]
    assert post["queries"][2] == {"package": {"ecosystem": "PyPI", "name": "jinja2"}, "version": "3.1.2"}
    assert sorted(fake.paths("GET")) == ["/v1/vulns/GHSA-h5c8-rqwp-cp95", "/v1/vulns/MAL-2025-46969",
                                         "/v1/vulns/MAL-2026-2144"]


def test_names_go_to_osv_as_it_wants_them(fake: FakeOsv, tmp_path: Path) -> None:
    answers = client(fake, tmp_path).advisories([OsvQuery("pypi", "LiteLLM", "1.82.8"),
                                                 OsvQuery("actions", "tj-actions/changed-files", "45.0.0")])
    queries = json.loads(fake.requests[0][2])["queries"]
    assert queries == [{"package": {"ecosystem": "PyPI", "name": "litellm"}, "version": "1.82.8"},
                       {"package": {"ecosystem": "GitHub Actions", "name": "tj-actions/changed-files"}}]
    assert len(answers[OsvQuery("pypi", "LiteLLM", "1.82.8")].advisories) == 1  # type: ignore[arg-type]


def test_an_action_is_asked_by_package_and_its_version_judged_here(fake: FakeOsv, tmp_path: Path) -> None:
    """OSV matches no GitHub Actions version (google/osv.dev#2308): asked with one, it answers none for the
    hijacked tj-actions 45.0.7 (the fake does the same). lockgate asks by package, once for all versions of it and
    in lower case too (OSV compares names by case, GitHub does not), and evaluates the record itself."""
    hijacked = OsvQuery("actions", "TJ-Actions/Changed-Files", "45.0.7")
    fixed = OsvQuery("actions", "tj-actions/changed-files", "46.0.1")
    answers = client(fake, tmp_path).advisories([hijacked, fixed])
    [advisory] = answers[hijacked].advisories  # type: ignore[misc]
    assert (advisory.id, advisory.aliases, advisory.severity, advisory.score, advisory.fixed, advisory.malicious) == (
        "GHSA-mrrh-fwg8-r2c3", ("CVE-2025-30066",), "high", 8.6, "46.0.1", True)  # CWE-506: embedded malicious code
    assert answers[fixed] == OsvAnswer((), None)
    [post] = [json.loads(body)["queries"] for method, _, body in fake.requests if method == "POST"]
    assert post == [{"package": {"ecosystem": "GitHub Actions", "name": "TJ-Actions/Changed-Files"}},
                    {"package": {"ecosystem": "GitHub Actions", "name": "tj-actions/changed-files"}}]
    with FakeOsv() as versioned:  # what asking with the version would have answered
        versioned.add_fixtures()
        http = HttpClient(proxies={}, sleep=lambda seconds: None, retries=0, timeout=2.0)
        body = json.dumps({"queries": [{"package": {"ecosystem": "GitHub Actions", "name": "tj-actions/changed-files"},
                                        "version": "45.0.7"}]}).encode()
        assert json.loads(http.post(versioned.url + "/v1/querybatch", body).body) == {"results": [{}]}


def test_an_action_record_lockgate_cannot_evaluate_or_fetch_is_unknown(fake: FakeOsv, tmp_path: Path) -> None:
    record = copy.deepcopy(next(r for r in fixture_records() if r["id"] == "GHSA-mrrh-fwg8-r2c3"))
    record["id"] = "GHSA-test-gitonly"
    record["affected"][0]["ranges"] = [{"type": "GIT", "repo": "https://github.com/tj-actions/changed-files",
                                        "events": [{"introduced": "0"}, {"fixed": "a" * 40}]}]
    fake.add(record)
    answer = client(fake, tmp_path).advisories([OsvQuery("actions", "tj-actions/changed-files", "46.0.1")])
    [query] = answer
    assert answer[query].advisories is UNKNOWN
    assert answer[query].reason == "lockgate cannot tell whether GHSA-test-gitonly affects this version"
    fake.fail("/v1/vulns/GHSA-mrrh-fwg8-r2c3", Fault("status", 500), Fault("status", 500))
    lost = client(fake, tmp_path / "other", retries=0).advisories([OsvQuery("actions", "tj-actions/changed-files", "46.0.1")])
    assert next(iter(lost.values())).advisories is UNKNOWN


def test_pages_are_followed(tmp_path: Path) -> None:
    with FakeOsv(page_size=1) as fake:
        fake.add_fixtures()
        for n in range(3):  # three more advisories of jinja2 2.10 besides PYSEC-2019-217
            extra = copy.deepcopy(next(r for r in fixture_records() if r["id"] == "GHSA-h5c8-rqwp-cp95"))
            extra["id"] = f"GHSA-test-000{n}"
            fake.add(extra, affects=("2.10",))
        query = OsvQuery("pypi", "jinja2", "2.10")
        answer = client(fake, tmp_path).advisories([query, LITELLM])[query]
        assert [a.id for a in answer.advisories] == [  # type: ignore[union-attr]
            "GHSA-test-0000", "GHSA-test-0001", "GHSA-test-0002", "PYSEC-2019-217"]
        posts = [json.loads(body)["queries"] for method, _, body in fake.requests if method == "POST"]
        assert len(posts) == 4 and len(posts[0]) == 2 and all(len(p) == 1 for p in posts[1:])
        assert [p[0].get("page_token") for p in posts[1:]] == ["1", "2", "3"]


def test_endless_pages_are_unknown_not_a_short_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("checker.registries.osv.MAX_ROUNDS", 2)
    with FakeOsv(page_size=1) as fake:
        fake.add_fixtures()
        for n in range(3):
            fake.add({"id": f"GHSA-x-{n}", "modified": "2024-01-01T00:00:00Z",
                      "affected": [{"package": {"ecosystem": "PyPI", "name": "p"}, "versions": ["1.0"]}]})
        query = OsvQuery("pypi", "p", "1.0")
        answer = client(fake, tmp_path).advisories([query])[query]
    assert answer == (UNKNOWN, "OSV listed more pages of advisories than lockgate follows (2)")


def test_more_than_a_thousand_queries_go_in_chunks(fake: FakeOsv, tmp_path: Path) -> None:
    queries = [OsvQuery("npm", f"package-{n}", "1.0.0") for n in range(1500)] + [CHALK]
    answers = client(fake, tmp_path).advisories(queries)
    assert [len(json.loads(body)["queries"]) for m, _, body in fake.requests if m == "POST"] == [1000, 501]
    assert all(answers[q].advisories == () for q in queries[:-1])
    assert [a.id for a in answers[CHALK].advisories] == ["MAL-2025-46969"]  # type: ignore[union-attr]


def test_429_with_retry_after_then_an_answer(fake: FakeOsv, tmp_path: Path) -> None:
    fake.fail("/v1/querybatch", Fault("status", 429, headers={"Retry-After": "1"}))
    answers = client(fake, tmp_path).advisories([LITELLM])
    assert len(answers[LITELLM].advisories) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(("fault", "reason"), [
    (Fault("status", 503), "HTTP 503 from {url}/v1/querybatch (gave up after 2 tries)"),
    (Fault("status", 400), "HTTP 400 from {url}/v1/querybatch"),
    (Fault("truncate"), "invalid JSON from {url}/v1/querybatch: "),
])
def test_a_failed_query_is_unknown_with_the_reason(fake: FakeOsv, tmp_path: Path, fault: Fault, reason: str) -> None:
    fake.fail("/v1/querybatch", fault, fault)
    answers = client(fake, tmp_path).advisories([LITELLM, CLEAN])
    for query in (LITELLM, CLEAN):
        assert answers[query].advisories is UNKNOWN
        assert (answers[query].reason or "").startswith(reason.format(url=fake.url))


def test_an_answer_of_another_shape_is_unknown(tmp_path: Path) -> None:
    class Short(FakeOsv):
        def _answer(self, method, path, body):  # type: ignore[no-untyped-def]
            status, answer = super()._answer(method, path, body)
            if path == "/v1/querybatch":
                answer["results"] = answer["results"][:-1]  # one result short: which query lost it?
            return status, answer

    with Short() as fake:
        fake.add_fixtures()
        answers = client(fake, tmp_path).advisories([LITELLM, CLEAN])
    assert answers[CLEAN] == (UNKNOWN, f"{fake.url}/v1/querybatch answered 1 results to 2 queries, not the "
                                       "documented shape")


def test_a_record_that_cannot_be_fetched_still_counts(fake: FakeOsv, tmp_path: Path) -> None:
    fake.fail("/v1/vulns/MAL-2026-2144", Fault("status", 500), Fault("status", 500))
    answer = client(fake, tmp_path).advisories([LITELLM])[LITELLM]
    assert answer.advisories == (Advisory("MAL-2026-2144", malicious=True,
                                          url="https://osv.dev/vulnerability/MAL-2026-2144"),)
    assert answer.reason == (f"advisory MAL-2026-2144: HTTP 500 from {fake.url}/v1/vulns/MAL-2026-2144 "
                             "(gave up after 2 tries)")


def test_an_id_is_quoted_into_the_record_url(fake: FakeOsv, tmp_path: Path) -> None:
    fake.index[("PyPI", "evil", "1.0")] = ["../../v1/querybatch"]
    fake.records["../../v1/querybatch"] = {"id": "../../v1/querybatch"}
    query = OsvQuery("pypi", "evil", "1.0")
    answer = client(fake, tmp_path).advisories([query])[query]
    assert fake.paths("GET") == ["/v1/vulns/..%2F..%2Fv1%2Fquerybatch"]
    [advisory] = answer.advisories  # type: ignore[misc]
    assert advisory.url == "https://osv.dev/vulnerability/..%2F..%2Fv1%2Fquerybatch"
    assert "HTTP 404" in (answer.reason or "")  # the fake has no record at the quoted path: it still counts


def test_records_are_cached_by_id_and_refetched_when_modified(fake: FakeOsv, tmp_path: Path) -> None:
    client(fake, tmp_path).advisories([LITELLM, JINJA])
    fake.requests.clear()
    client(fake, tmp_path).advisories([LITELLM, JINJA])
    assert fake.paths() == ["/v1/querybatch"]  # the query is asked anew, the records come from the cache
    fake.records["MAL-2026-2144"] = {**fake.records["MAL-2026-2144"], "modified": "2026-04-01T00:00:00Z",
                                     "summary": "updated"}
    fake.requests.clear()
    [mal] = client(fake, tmp_path).advisories([LITELLM])[LITELLM].advisories  # type: ignore[misc]
    assert mal.summary == "updated" and fake.paths("GET") == ["/v1/vulns/MAL-2026-2144"]


def test_offline_nothing_is_asked(fake: FakeOsv, tmp_path: Path) -> None:
    answers = client(fake, tmp_path, offline=True).advisories([LITELLM, CHALK])
    assert answers[LITELLM] == (UNKNOWN, "offline: OSV was not asked, and no copy of its PyPI advisories was synced "
                                         "(lockgate db sync)")
    assert answers[CHALK].advisories is UNKNOWN and fake.requests == []
    assert client(fake, None, offline=True).advisories([LITELLM])[LITELLM].advisories is UNKNOWN


def synced(cache: Path, ecosystem: str, records: list[dict[str, object]], age: float = 3600.0) -> None:
    """A copy as ``lockgate db sync`` leaves it (checker/registries/osv_db.py's layout and index), ``age`` seconds
    old."""
    import time

    from checker.registries import osv_db

    osv_db.install(str(cache), ecosystem, records, source="test", synced_at=time.time() - age)


def test_offline_a_synced_copy_answers(fake: FakeOsv, tmp_path: Path) -> None:
    records = fixture_records()
    synced(tmp_path, "PyPI", [r for r in records if any(e["package"]["ecosystem"] == "PyPI" for e in r["affected"])]
           + [{"id": "GHSA-odd", "affected": [{"package": {"ecosystem": "PyPI", "name": "odd"},
                                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "x!"}]}]}]}])
    offline = client(fake, tmp_path, offline=True)
    jinja_old, odd = OsvQuery("pypi", "Jinja2", "2.10"), OsvQuery("pypi", "odd", "1.0")
    answers = offline.advisories([LITELLM, CLEAN, JINJA, jinja_old, odd, CHALK])
    assert [a.id for a in answers[LITELLM].advisories] == ["MAL-2026-2144"]  # type: ignore[union-attr]
    assert answers[CLEAN] == ((), None)
    assert [(a.id, a.fixed) for a in answers[JINJA].advisories] == [("GHSA-h5c8-rqwp-cp95", "3.1.3")]  # type: ignore[union-attr]
    assert [a.id for a in answers[jinja_old].advisories] == ["GHSA-h5c8-rqwp-cp95", "PYSEC-2019-217"]  # type: ignore[union-attr]
    assert answers[odd] == (UNKNOWN, "lockgate cannot tell from the synced copy whether GHSA-odd affects this version")
    assert answers[CHALK].advisories is UNKNOWN  # npm was never synced
    assert fake.requests == []


def test_an_ecosystem_osv_is_not_asked_about(fake: FakeOsv, tmp_path: Path) -> None:
    query = OsvQuery("docker", "node", "20")
    assert client(fake, tmp_path).advisories([query])[query] == (UNKNOWN, "lockgate asks OSV nothing about docker packages")
    assert fake.requests == []


def test_the_url_from_the_environment_the_policy_or_the_default() -> None:
    assert osv_url(None, {}) == DEFAULT_URL == "https://api.osv.dev"
    assert osv_url("https://osv.corp/", {}) == "https://osv.corp"
    assert osv_url("https://osv.corp", {"LOCKGATE_OSV_URL": "http://127.0.0.1:9/"}) == "http://127.0.0.1:9"
    assert osv_url("https://osv.corp", {"LOCKGATE_OSV_URL": "  "}) == "https://osv.corp"


def test_a_record_of_another_id_is_not_taken(fake: FakeOsv, tmp_path: Path) -> None:
    fake.records["MAL-2026-2144"] = {**fake.records["MAL-2025-46969"]}
    [advisory] = client(fake, tmp_path).advisories([LITELLM])[LITELLM].advisories  # type: ignore[misc]
    assert advisory == Advisory("MAL-2026-2144", malicious=True, url="https://osv.dev/vulnerability/MAL-2026-2144")


@pytest.mark.parametrize("version", ["1.82.8.0", "1.82.08", "1.82.8", "01.82.8"])
def test_every_spelling_that_installs_the_release_is_asked(fake: FakeOsv, tmp_path: Path, version: str) -> None:
    """pip installs 1.82.8 for ``litellm==1.82.8.0``: a server matching text against "1.82.8" must still be asked
    about "1.82.8", in the same batch."""
    query = OsvQuery("pypi", "litellm", version)
    answer = client(fake, tmp_path).advisories([query])[query]
    assert [a.id for a in answer.advisories] == ["MAL-2026-2144"]  # type: ignore[union-attr]
    assert len(fake.paths("POST")) == 1


def test_npm_spellings(fake: FakeOsv, tmp_path: Path) -> None:
    from checker.registries.osv import spellings

    assert spellings("npm", "v5.6.1") == ["v5.6.1", "5.6.1"] and spellings("npm", "5.6.1") == ["5.6.1"]
    assert spellings("pypi", "1.0.0") == ["1.0.0", "1"] and spellings("pypi", "not a version") == ["not a version"]
    query = OsvQuery("npm", "chalk", "v5.6.1")
    assert [a.id for a in client(fake, tmp_path).advisories([query])[query].advisories] == ["MAL-2025-46969"]  # type: ignore[union-attr]


def test_offline_an_old_copy_says_none_no_longer(fake: FakeOsv, tmp_path: Path) -> None:
    """A copy synced ten days ago still reports the advisories it holds, but a version it lists nothing for is
    unknown: a malicious release reported since would not be in it."""
    records = [r for r in fixture_records() if any(e["package"]["ecosystem"] == "PyPI" for e in r["affected"])]
    synced(tmp_path, "PyPI", records, age=10 * 86400.0)
    answers = client(fake, tmp_path, offline=True).advisories([LITELLM, CLEAN])
    assert [a.id for a in answers[LITELLM].advisories] == ["MAL-2026-2144"]  # type: ignore[union-attr]
    assert answers[CLEAN] == (UNKNOWN, "the synced copy of OSV's PyPI advisories is 10 days old; run lockgate db sync")


def test_offline_a_copy_indexed_by_an_older_lockgate_is_not_used(fake: FakeOsv, tmp_path: Path) -> None:
    synced(tmp_path, "PyPI", [r for r in fixture_records() if r["id"] == "MAL-2026-2144"])
    index = tmp_path / "osv" / "PyPI" / "index.json"
    index.write_text(json.dumps({**json.loads(index.read_text()), "format": 1}))
    assert client(fake, tmp_path, offline=True).advisories([LITELLM])[LITELLM].advisories is UNKNOWN
