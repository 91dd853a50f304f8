"""The GitHub REST API through PyGithub: one client per run, a timeout and bounded retries on every request, and
every failure turned into a GitHubApiError that says which permission was missing and never shows the token.

PyGithub's GithubRetry already retries 5xx and rate-limit responses, honouring ``Retry-After`` on a secondary
rate limit; it is given a small total and a cap on the wait, so a run never sleeps for the reset of an hourly limit.
Every call is also bounded as a whole by what is left of the run's budget for API calls (the time spent in calls,
not the judging between them; checker/registries/deadline.py): a server that stalls or dribbles bytes cannot hold the
job.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, NamedTuple, TypeVar, cast

from checker.errors import LockgateError
from checker.redaction import Redactor  # noqa: F401  (re-exported: the run's one masker of secrets)

T = TypeVar("T")

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_BUDGET = 120.0  # seconds all API calls of a run may take (LOCKGATE_GITHUB_BUDGET)


class GitHubApiError(LockgateError):
    """A GitHub API call failed. ``status``: the HTTP status (None when GitHub was not reached); ``permission``:
    the token permission that would have allowed it, in the words of a workflow's ``permissions:`` block."""

    def __init__(self, message: str, status: int | None = None, permission: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.permission = permission

    @property
    def forbidden(self) -> bool:
        return self.status in (401, 403)


class ApiSettings(NamedTuple):
    """Where the API is and how hard to try. ``write_interval``: seconds between writes, as GitHub asks of
    integrations to stay clear of secondary rate limits."""

    token: str
    repository: str
    url: str = DEFAULT_API_URL
    timeout: float = 15.0
    retries: int = 3
    write_interval: float = 1.0
    max_wait: float = 60.0
    budget: float = DEFAULT_BUDGET  # seconds all API calls of a run may take, retries and waits included


# Names in the X-Accepted-GitHub-Permissions header -> keys of a workflow's ``permissions:`` block.
_PERMISSION_NAMES = {"pull_requests": "pull-requests", "security_events": "security-events", "id_token": "id-token"}


def _accepted_permissions(headers: dict[str, Any] | None) -> str | None:
    """GitHub's own statement of what a call needs: ``X-Accepted-GitHub-Permissions: pull_requests=write; issues=write``."""
    if not headers:
        return None
    value = next((v for k, v in headers.items() if k.lower() == "x-accepted-github-permissions"), None)
    if not value:
        return None
    options = []
    for part in str(value).split(";"):
        name, _, level = part.strip().partition("=")
        if name:
            options.append(f"{_PERMISSION_NAMES.get(name, name.replace('_', '-'))}: {level or 'read'}")
    return " or ".join(options) or None


class GitHubClient:
    """A PyGithub ``Github`` for one repository, and ``call`` to run any PyGithub operation with errors translated."""

    def __init__(self, settings: ApiSettings, redact: Redactor) -> None:
        import logging

        from github import Github

        from checker.registries.deadline import Gate
        from checker.github.gated import GatedRetry, GatedToken

        # PyGithub logs every retried 403 at INFO on its own handler; lockgate reports failures itself, in words.
        logging.getLogger("github").setLevel(logging.WARNING)
        self.settings = settings
        self.redact = redact
        # Closed when a call runs out of time (checker/registries/deadline.py): the abandoned call then sends nothing
        # more, and since the budget is spent by then, neither does any later call.
        self._gate = Gate()
        retry = GatedRetry(
            gate=self._gate,
            total=settings.retries,
            backoff_factor=0.5,
            status_forcelist=[429, *range(500, 600)],  # GithubRetry adds 403, retried only for rate limits
            allowed_methods=["GET", "POST", "PATCH", "DELETE"],  # a duplicate comment from a retried POST is cleaned up
            secondary_rate_wait=min(30.0, settings.max_wait),
            max_rate_limit_wait=settings.max_wait,
        )
        self.github = Github(
            auth=GatedToken(settings.token, self._gate),
            base_url=settings.url.rstrip("/"),
            timeout=int(max(1, settings.timeout)),
            retry=retry,
            per_page=100,
            user_agent="lockgate",
            seconds_between_requests=None,
            # Writes are spaced here (``_space_writes``), not by PyGithub: PyGithub sleeps inside the call, where a
            # write whose caller has given up would still go out when the sleep ends.
            seconds_between_writes=None,
        )
        self._repo: Any = None
        self._memo: dict[str, Any] = {}
        self._spent = 0.0  # seconds spent in API calls so far: the budget counts those, not the judging between
        self._spent_lock = threading.Lock()
        self._last_write: float | None = None  # time.monotonic() when the last write call ended

    def repo(self) -> Any:
        """The repository (one GET, kept for the run)."""
        if self._repo is None:
            self._repo = self.call(
                f"read repository {self.settings.repository}", "metadata: read", self.github.get_repo, self.settings.repository
            )
        return self._repo

    def once(self, key: str, action: str, permission: str, fn: Callable[..., T], *args: Any) -> T:
        """``call``, remembered for the run under ``key`` (the pull request and a commit are read once, not by
        every step that needs them)."""
        if key not in self._memo:
            self._memo[key] = self.call(action, permission, fn, *args)
        return cast(T, self._memo[key])  # what ``fn`` returned for this key

    def call(self, action: str, permission: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)``; any failure becomes a GitHubApiError saying what ``action`` failed and why."""
        import requests
        from github import GithubException

        from checker.registries.deadline import DeadlineExceeded, run_within

        started = time.monotonic()
        write = permission.endswith(": write")
        try:
            if write:
                self._space_writes()
            left = self.settings.budget - self._spent - (time.monotonic() - started)
            return run_within(left, lambda: fn(*args, **kwargs), self._gate)
        except DeadlineExceeded:
            raise GitHubApiError(
                f"cannot {action}: GitHub's API at {self.settings.url} did not answer within the time budget "
                f"({self.settings.budget:g} s for all calls of a run)"
            ) from None
        except GithubException as exc:
            raise self._translate(action, permission, exc) from None
        except (requests.RequestException, OSError) as exc:
            raise GitHubApiError(
                f"cannot {action}: GitHub's API at {self.settings.url} did not answer ({self.redact(type(exc).__name__)}: "
                f"{self.redact(exc)})"
            ) from None
        except GitHubApiError:
            raise  # from a call nested in this one, already in words
        except Exception as exc:  # an answer PyGithub could not make sense of (not JSON, cut short, another shape)
            raise GitHubApiError(
                f"cannot {action}: GitHub's answer could not be read ({type(exc).__name__}: {self.redact(exc)[:200]})"
            ) from None
        finally:
            with self._spent_lock:
                self._spent += time.monotonic() - started
                if write:
                    self._last_write = time.monotonic()

    def _space_writes(self) -> None:
        """Wait out ``write_interval`` since the last write (GitHub asks integrations to space their writes), in
        the caller's thread and within the budget: a pause longer than the time left is DeadlineExceeded now."""
        interval = self.settings.write_interval
        if not interval or self._last_write is None:
            return
        pause = self._last_write + interval - time.monotonic()
        if pause <= 0:
            return
        from checker.registries.deadline import DeadlineExceeded

        if pause >= self.settings.budget - self._spent:
            raise DeadlineExceeded()
        time.sleep(pause)

    def _translate(self, action: str, permission: str, exc: Any) -> GitHubApiError:
        from github import RateLimitExceededException

        status = getattr(exc, "status", None)
        data = getattr(exc, "data", None)
        said = data.get("message") if isinstance(data, dict) else (data.decode("utf-8", "replace") if isinstance(data, bytes) else data)
        said = self.redact(" ".join(str(said or "").split())[:300]) or "no message"
        if isinstance(data, dict) and data.get("errors"):
            said += f" ({self.redact(str(data['errors'])[:300])})"
        accepted = _accepted_permissions(getattr(exc, "headers", None))
        needed = accepted or permission
        if isinstance(exc, RateLimitExceededException):
            return GitHubApiError(f"cannot {action}: GitHub's rate limit was hit ({status}: {said})", status)
        if status == 401:
            return GitHubApiError(f"cannot {action}: GitHub refused the token (401: {said})", status, needed)
        if status == 403:
            return GitHubApiError(
                f"cannot {action}: the token lacks the permission `{needed}` (403: {said})", status, needed
            )
        if status == 404:
            return GitHubApiError(
                f"cannot {action}: not found (404: {said}); GitHub also answers 404 when the token lacks `{needed}`",
                status,
                needed,
            )
        if status == 422:
            return GitHubApiError(f"cannot {action}: GitHub rejected the request (422: {said})", status)
        return GitHubApiError(f"cannot {action}: GitHub answered {status} ({said})", status)
