"""A bound on the wall-clock time of one GitHub API interaction, whatever PyGithub does inside it.

PyGithub (through requests and urllib3) has a timeout per socket operation and its own retries with backoff, but
nothing bounds an interaction as a whole: a server that sends a byte every few seconds, each just within the
timeout, or that stalls every try for the full timeout, holds the caller for as long as it likes. So each
interaction runs in a daemon thread and the caller waits no longer than the time the run has left; past that, the
interaction is abandoned (a daemon thread never keeps the process alive) and the caller reports the lookup as
failed, never as an answer.
"""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

T = TypeVar("T")


class DeadlineExceeded(Exception):
    """The interaction did not end within the time allowed (or no time was left to start it)."""


def run_within(seconds: float, fn: Callable[[], T]) -> T:
    """``fn()``'s result, or its exception, when it ends within ``seconds``; else DeadlineExceeded."""
    if seconds <= 0:
        raise DeadlineExceeded()
    outcome: dict[str, object] = {}
    done = threading.Event()

    def target() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # handed to the caller, who decides
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name="lockgate-github-call", daemon=True).start()
    if not done.wait(seconds):
        raise DeadlineExceeded()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
