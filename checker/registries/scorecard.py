"""OpenSSF Scorecard (https://scorecard.dev): the published score of a source repository, through the same HTTP
helper, cache, time budget and offline mode as the registries.

One endpoint of the Scorecard API (ossf/scorecard-webapp's ``openapi.yaml``): ``GET {url}/projects/{host}/{owner}/
{name}`` answers the repository's latest ``ScorecardResult``::

    {"date": "2024-11-13T22:44:58Z", "repo": {"name": "github.com/owner/name", "commit": "<sha>"},
     "scorecard": {"version": "v5.0.0", "commit": "<sha>"}, "score": 7.3,
     "checks": [{"name": "Code-Review", "score": 8, "reason": "…", "details": […],
                 "documentation": {"short": "…", "url": "https://github.com/ossf/scorecard/…#code-review"}}]}

A 404 means Scorecard has no result for the repository: None ("not scored"), not unknown. Every other failure — a
timeout, a 429 or 5xx after the HTTP helper's retries, an answer that is not JSON or not that shape (a score that is
no number from 0 to 10, a result about another repository) — is UNKNOWN with the reason. A check's score of -1 is
Scorecard's "not applicable": the check is kept with no score and is never among the weakest.

Only github.com and gitlab.com repositories are asked (the hosts Scorecard scans); a repository elsewhere (GitHub
Enterprise, a self-hosted GitLab) has no score (None), and the reason says why. Answers are cached on disk by URL
(that is, by repository) for ``TTL``, a day: Scorecard recomputes its public results about weekly, so the
registries' hour would only ask again for the same answer, while a day keeps a published fall in a score at most a
day late. Offline (``--offline``, the hook) only the cache answers (an expired copy is served and said to be stale);
a repository never cached is UNKNOWN. 404s are not cached (the Fetcher caches documents only), so a repository
that gets scored shows on the next run.

Base URL: ``LOCKGATE_SCORECARD_URL`` (tests, a mirror), else the policy's ``registries.scorecard.url``, else
``https://api.securityscorecards.dev``.
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from checker.model import UNKNOWN, Scorecard, ScorecardCheck, SourceRepository, Unknown
from checker.registries.fetch import Fetcher
from checker.registries.http import MiB, NotFound, RegistryError
from checker.rules.scorecard import SCORED_HOSTS

DEFAULT_URL = "https://api.securityscorecards.dev"
ENV_URL = "LOCKGATE_SCORECARD_URL"
TTL = 24 * 3600.0
MAX_BYTES = 4 * MiB  # a result with every check's details is tens of KiB
WEAKEST = 3  # checks kept in Facts: the ones a reviewer reads first
MAX_REASON = 200
WORKERS = 16


def scorecard_url(configured: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The Scorecard API base URL: ``LOCKGATE_SCORECARD_URL``, else the policy's, else api.securityscorecards.dev."""
    import os

    env = os.environ if environ is None else environ
    return (env.get(ENV_URL, "").strip() or configured or DEFAULT_URL).rstrip("/")


class ScorecardAnswer(NamedTuple):
    """The repository's result, None when it has none, UNKNOWN when it could not be had; ``reason`` says why."""

    scorecard: Scorecard | None | Unknown
    reason: str | None = None


class ScorecardClient:
    """Asks one Scorecard API. Thread-safe: its state is in the Fetcher (shared with the registry clients)."""

    def __init__(self, fetcher: Fetcher, url: str | None = None, *, workers: int = WORKERS) -> None:
        self.fetcher = fetcher
        self.url = (url or DEFAULT_URL).rstrip("/")
        self.workers = workers

    def scores(self, repositories: Iterable[SourceRepository]) -> dict[SourceRepository, ScorecardAnswer]:
        """An answer for every repository (each asked once, concurrently); never raises for Scorecard trouble."""
        wanted = sorted(set(repositories))
        if len(wanted) <= 1 or self.fetcher.offline:
            return {repo: self.score(repo) for repo in wanted}
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(wanted)))) as pool:
            return dict(zip(wanted, pool.map(self.score, wanted)))

    def score(self, repo: SourceRepository) -> ScorecardAnswer:
        if repo.host not in SCORED_HOSTS:
            return ScorecardAnswer(None, f"Scorecard scores repositories on {' and '.join(SCORED_HOSTS)} only, not "
                                         f"{repo.describe()}")
        url = self.result_url(repo)
        try:
            document = self.fetcher.json(url, accept="application/json", max_bytes=MAX_BYTES, ttl=TTL)
        except NotFound:
            return ScorecardAnswer(None, f"Scorecard has no result for {repo.describe()}")
        except RegistryError as error:
            return ScorecardAnswer(UNKNOWN, error.reason)
        found = read_result(document.data, repo)
        if isinstance(found, str):
            return ScorecardAnswer(UNKNOWN, f"{self.fetcher.shown(url)}: {found}")
        return ScorecardAnswer(found, document.note if document.stale else None)

    def result_url(self, repo: SourceRepository) -> str:
        path = "/".join(urllib.parse.quote(part, safe="") for part in (repo.host, *repo.owner.split("/"), repo.name))
        return f"{self.url}/projects/{path}"


def read_result(data: object, repo: SourceRepository) -> Scorecard | str:
    """The Scorecard of a ``ScorecardResult`` about ``repo``, or what is wrong with it (module docstring)."""
    if not isinstance(data, dict):
        return "expected a JSON object (a ScorecardResult)"
    score = data.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score) \
            or not 0 <= score <= 10:
        return f"the score is not a number from 0 to 10 ({score!r})"
    named = data.get("repo")
    name = named.get("name") if isinstance(named, dict) else None
    if isinstance(name, str) and name.strip().lower() != repo.describe().lower():
        return f"the result is about {name!r}, not {repo.describe()}"
    checks = data.get("checks")
    if not isinstance(checks, list):
        return "no list of checks"
    read: list[ScorecardCheck] = []
    for check in checks:
        item = _check(check)
        if item is None:
            return "a check is not an object with a name and a whole score from -1 to 10"
        read.append(item)
    scored = sorted((c for c in read if c.score is not None), key=lambda c: (c.score, c.name))
    date = data.get("date")
    return Scorecard(float(score), date if isinstance(date, str) else "", tuple(scored[:WEAKEST]))


def _check(value: object) -> ScorecardCheck | None:
    if not isinstance(value, dict):
        return None
    name, score = value.get("name"), value.get("score")
    if not isinstance(name, str) or not name.strip() or isinstance(score, bool) or not isinstance(score, int) \
            or not -1 <= score <= 10:
        return None
    reason = value.get("reason")
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if len(text) > MAX_REASON:
        text = text[: MAX_REASON - 1].rstrip() + "\u2026"
    documentation = value.get("documentation")
    url = documentation.get("url") if isinstance(documentation, dict) else None
    return ScorecardCheck(name.strip(), None if score < 0 else score, text,
                          url if isinstance(url, str) and url.startswith("https://") else "")
