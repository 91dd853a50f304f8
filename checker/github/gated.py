"""PyGithub's token authentication and retry policy, made to stop when their run's Gate closes.

Every request PyGithub sends asks its ``Auth`` for the Authorization header first, and every retry asks the
urllib3 ``Retry`` whether to go on and then sleeps in it: the two places where an interaction that its caller has
abandoned (checker/registries/deadline.py) can be told to send nothing more. Imported only with PyGithub itself.
"""

from __future__ import annotations

from typing import Any

from github import Auth, GithubRetry

from checker.registries.deadline import Gate


class GatedToken(Auth.Token):
    """``Auth.Token`` that refuses (Abandoned) to authenticate a request once the gate is closed."""

    def __init__(self, token: str, gate: Gate) -> None:
        super().__init__(token)
        self._gate = gate

    def authentication(self, headers: dict) -> None:
        self._gate.check()
        super().authentication(headers)


class GatedRetry(GithubRetry):
    """``GithubRetry`` that gives up (Abandoned) instead of retrying once the gate is closed, and whose waits
    between tries (backoff, ``Retry-After``, a secondary rate limit) end when it closes."""

    def __init__(self, *, gate: Gate, **options: Any) -> None:
        self.gate = gate
        super().__init__(**options)

    def new(self, **options: Any) -> "GatedRetry":
        # urllib3 makes a new Retry for every try: the gate goes along.
        return super().new(gate=self.gate, **options)

    def increment(self, *args: Any, **kwargs: Any) -> Any:
        self.gate.check()
        return super().increment(*args, **kwargs)

    def sleep(self, response: Any = None) -> None:
        """urllib3's wait (``Retry-After`` when the answer has one and it is honoured, else the backoff), spent
        waiting on the gate."""
        wait = self.get_retry_after(response) if self.respect_retry_after_header and response else None
        self.gate.sleep(wait if wait else self.get_backoff_time())
