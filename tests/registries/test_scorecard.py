"""The Scorecard client (checker/registries/scorecard.py) against the fake Scorecard API (tests/fakes/scorecard.py)
serving a real result: the score and the weakest checks, 404 as "not scored", every failure an unknown with its
reason, the cache by repository, the time budget and offline mode."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from checker.model import UNKNOWN, Scorecard, ScorecardCheck, SourceRepository
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient
from checker.registries.scorecard import DEFAULT_URL, ScorecardClient, read_result, scorecard_url
from tests.fakes.registry import Fault
from tests.fakes.scorecard import REAL_REPOSITORY, FakeScorecard, real_result

REAL = SourceRepository("github.com", "rohankh532", "scorecard-OIDC-test")
OTHER = SourceRepository("github.com", "acme", "tool")
PATH = "/projects/github.com/rohankh532/scorecard-OIDC-test"


def client(fake: FakeScorecard, cache: Path | None, *, retries: int = 1, offline: bool = False,
           budget: float = 60.0, clock: object = None) -> ScorecardClient:
    http = HttpClient(proxies={}, sleep=lambda seconds: None, retries=retries, timeout=2.0, budget_seconds=budget)
    fetcher = Fetcher(http, Cache(cache) if cache is not None else None, offline=offline,
                      **({"clock": clock} if clock is not None else {}))  # type: ignore[arg-type]
    return ScorecardClient(fetcher, fake.url)


@pytest.fixture
def fake() -> FakeScorecard:
    with FakeScorecard() as server:
        server.add(REAL_REPOSITORY, result=real_result())
        yield server


def test_the_real_result_read(fake: FakeScorecard, tmp_path: Path) -> None:
    answer = client(fake, tmp_path).score(REAL)
    assert answer.reason is None
    assert answer.scorecard == Scorecard(5.0, "2022-03-21", (
        ScorecardCheck("Branch-Protection", 0, "branch protection not enabled on development/release branches",
                       "https://github.com/ossf/scorecard/blob/main/docs/checks.md#branch-protection"),
        ScorecardCheck("CII-Best-Practices", 0, "no badge detected",
                       "https://github.com/ossf/scorecard/blob/main/docs/checks.md#cii-best-practices"),
        ScorecardCheck("Code-Review", 0, "no reviews found",
                       "https://github.com/ossf/scorecard/blob/main/docs/checks.md#code-review"),
    ))
    assert fake.asked() == [PATH]


def test_a_check_that_does_not_apply_is_never_among_the_weakest() -> None:
    data = real_result()
    data["checks"] = [c for c in data["checks"] if c["score"] in (-1, 10)]
    found = read_result(data, REAL)
    assert isinstance(found, Scorecard)
    assert [(c.name, c.score) for c in found.checks] == [("Binary-Artifacts", 10), ("Dangerous-Workflow", 10),
                                                          ("Maintained", 10)]


def test_404_is_not_scored_not_unknown(fake: FakeScorecard, tmp_path: Path) -> None:
    answer = client(fake, tmp_path).score(OTHER)
    assert answer.scorecard is None
    assert answer.reason == "Scorecard has no result for github.com/acme/tool"


def test_a_repository_on_another_host_is_not_asked(fake: FakeScorecard, tmp_path: Path) -> None:
    answer = client(fake, tmp_path).score(SourceRepository("ghe.example.com", "acme", "tool"))
    assert answer.scorecard is None and "github.com and gitlab.com only" in (answer.reason or "")
    assert fake.asked() == []


def test_a_gitlab_namespace_is_asked_by_its_whole_path(fake: FakeScorecard, tmp_path: Path) -> None:
    fake.add("gitlab.com/group/sub/project", score=6.5)
    answer = client(fake, tmp_path).score(SourceRepository("gitlab.com", "group/sub", "project"))
    assert isinstance(answer.scorecard, Scorecard) and answer.scorecard.score == 6.5
    assert fake.asked() == ["/projects/gitlab.com/group/sub/project"]


def test_429_with_retry_after_then_an_answer(fake: FakeScorecard, tmp_path: Path) -> None:
    fake.fail(PATH, Fault("status", 429, headers={"Retry-After": "1"}))
    answer = client(fake, tmp_path).score(REAL)
    assert isinstance(answer.scorecard, Scorecard) and answer.scorecard.score == 5.0


@pytest.mark.parametrize(("fault", "reason"), [
    (Fault("status", 503), "HTTP 503 from {url}" + PATH + " (gave up after 2 tries)"),
    (Fault("status", 429), "HTTP 429 from {url}" + PATH),
    (Fault("truncate"), "invalid JSON from {url}" + PATH + ": "),
])
def test_a_failure_is_unknown_with_the_reason(fake: FakeScorecard, tmp_path: Path, fault: Fault, reason: str) -> None:
    fake.fail(PATH, fault, fault)
    answer = client(fake, tmp_path).score(REAL)
    assert answer.scorecard is UNKNOWN
    assert (answer.reason or "").startswith(reason.format(url=fake.url)), answer.reason


@pytest.mark.parametrize(("change", "problem"), [
    ({"score": 11}, "the score is not a number from 0 to 10 (11)"),
    ({"score": -1}, "the score is not a number from 0 to 10 (-1)"),
    ({"score": "7.3"}, "the score is not a number from 0 to 10 ('7.3')"),
    ({"score": True}, "the score is not a number from 0 to 10 (True)"),
    ({"score": None}, "the score is not a number from 0 to 10 (None)"),
    ({"repo": {"name": "github.com/evil/elsewhere"}}, "the result is about 'github.com/evil/elsewhere', not "),
    ({"checks": None}, "no list of checks"),
    ({"checks": [{"name": "Code-Review", "score": 11}]}, "a check is not an object"),
    ({"checks": [{"name": "", "score": 3}]}, "a check is not an object"),
    ({"checks": ["Code-Review"]}, "a check is not an object"),
])
def test_an_answer_of_another_shape_is_unknown(fake: FakeScorecard, tmp_path: Path, change: dict[str, object],
                                               problem: str) -> None:
    data = {**real_result(), **copy.deepcopy(change)}
    fake.add(REAL_REPOSITORY, result=data)
    answer = client(fake, tmp_path).score(REAL)
    assert answer.scorecard is UNKNOWN
    assert (answer.reason or "").startswith(f"{fake.url}{PATH}: {problem}"), answer.reason


def test_a_result_named_in_another_case_is_the_same_repository(fake: FakeScorecard, tmp_path: Path) -> None:
    data = real_result()
    data["repo"]["name"] = REAL_REPOSITORY.upper()
    fake.add(REAL_REPOSITORY, result=data)
    assert isinstance(client(fake, tmp_path).score(REAL).scorecard, Scorecard)


def test_a_long_reason_is_cut(fake: FakeScorecard, tmp_path: Path) -> None:
    fake.add(REAL_REPOSITORY, checks=[{"name": "Maintained", "score": 0, "reason": "x " * 500,
                                      "documentation": {"url": "javascript:alert(1)"}}])
    card = client(fake, tmp_path).score(REAL).scorecard
    assert isinstance(card, Scorecard)
    [check] = card.checks
    assert len(check.reason) == 200 and check.reason.endswith("\u2026")
    assert check.url == ""  # only an https documentation link is kept


def test_each_repository_asked_once_and_cached_for_a_day(fake: FakeScorecard, tmp_path: Path) -> None:
    fake.add("github.com/acme/tool", score=2.5)
    first = client(fake, tmp_path).scores([REAL, OTHER, REAL])
    assert set(first) == {REAL, OTHER} and sorted(fake.asked()) == sorted([PATH, "/projects/github.com/acme/tool"])
    now = [0.0]
    import time

    now[0] = time.time() + 23 * 3600
    again = client(fake, tmp_path, clock=lambda: now[0]).scores([REAL, OTHER])
    assert again[REAL].scorecard == first[REAL].scorecard and len(fake.asked()) == 2  # from the cache
    now[0] = time.time() + 25 * 3600
    client(fake, tmp_path, clock=lambda: now[0]).scores([REAL])
    assert len(fake.asked()) == 3  # a day later: asked again


def test_offline_only_the_cache_answers(fake: FakeScorecard, tmp_path: Path) -> None:
    assert client(fake, tmp_path, offline=True).score(REAL).scorecard is UNKNOWN
    assert "offline, not cached" in (client(fake, tmp_path, offline=True).score(REAL).reason or "")
    assert fake.asked() == []
    client(fake, tmp_path).score(REAL)
    cached = client(fake, tmp_path, offline=True).score(REAL)
    assert isinstance(cached.scorecard, Scorecard) and len(fake.asked()) == 1


def test_a_slow_api_is_cut_at_the_budget(fake: FakeScorecard, tmp_path: Path) -> None:
    fake.fail(PATH, Fault("slow", seconds=30))
    answer = client(fake, tmp_path, budget=0.5).score(REAL)
    assert answer.scorecard is UNKNOWN and "budget" in (answer.reason or ""), answer.reason


def test_base_url_from_environment_policy_or_default() -> None:
    assert scorecard_url(None, {}) == DEFAULT_URL
    assert scorecard_url("https://mirror.example/scorecard/", {}) == "https://mirror.example/scorecard"
    assert scorecard_url("https://mirror.example", {"LOCKGATE_SCORECARD_URL": "http://127.0.0.1:9/"}) == \
        "http://127.0.0.1:9"
