"""A bound on the wall-clock time of one GitHub API interaction, whatever PyGithub does inside it.

PyGithub (through requests and urllib3) has a timeout per socket operation and its own retries with backoff, but
nothing bounds an interaction as a whole: a server that sends a byte every few seconds, each just within the
timeout, or that stalls every try for the full timeout, holds the caller for as long as it likes. So each
interaction runs in a daemon thread and the caller waits no longer than the time the run has left; past that, the
interaction is abandoned (a daemon thread never keeps the process alive) and the caller reports the lookup as
failed, never as an answer.

An abandoned thread is not stopped by Python: it goes on until its current socket operation returns, and left to
itself it would then carry on — retry a write after a 5xx or a rate limit (GithubRetry retries POST and PATCH),
or send the next request of the interaction. The caller has already reported the write as failed and moved on, so
that late write would be a comment or a status nobody accounted for (a duplicate comment, a status set after the
verdict was published). Hence the Gate: the caller closes it when it gives up, and the interaction checks it
before every request it sends and wakes from every wait between tries when it closes (checker/github/gated.py
wires it into PyGithub), ending with Abandoned instead. What no gate can undo is a request already on the wire:
the server may still act on it. The token is not at risk either way: the thread's outcome is dropped, not
printed, and what PyGithub and urllib3 log names URLs, never the Authorization header.
"""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

T = TypeVar("T")


class DeadlineExceeded(Exception):
    """The interaction did not end within the time allowed (or no time was left to start it)."""


class Abandoned(Exception):
    """Raised inside an interaction whose caller gave up on it: it must not send anything more."""


class Gate:
    """Open while someone waits for the interactions that check it; closed for good when the caller gives up."""

    def __init__(self) -> None:
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        self._closed.set()

    def check(self) -> None:
        """Before sending a request: Abandoned once the gate is closed."""
        if self._closed.is_set():
            raise Abandoned()

    def sleep(self, seconds: float) -> None:
        """A wait between tries that ends, with Abandoned, as soon as the gate closes."""
        if self._closed.wait(max(0.0, seconds)):
            raise Abandoned()


def run_within(seconds: float, fn: Callable[[], T], gate: Gate | None = None) -> T:
    """``fn()``'s result, or its exception, when it ends within ``seconds``; else DeadlineExceeded, and ``gate``
    (which ``fn`` checks) is closed, so that the abandoned ``fn`` sends nothing more."""
    if seconds <= 0:
        if gate is not None:
            gate.close()
        raise DeadlineExceeded()
    value: list[T] = []
    error: list[BaseException] = []
    done = threading.Event()

    def target() -> None:
        try:
            value.append(fn())
        except BaseException as exc:  # handed to the caller, who decides (dropped once the caller has gone)
            error.append(exc)
        finally:
            done.set()

    threading.Thread(target=target, name="lockgate-github-call", daemon=True).start()
    if not done.wait(seconds):
        if gate is not None:
            gate.close()
        raise DeadlineExceeded()
    if error:
        raise error[0]
    return value[0]
