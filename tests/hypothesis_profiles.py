"""Hypothesis settings for the property tests, and a guard that turns a hang into a test failure.

Two profiles, chosen by ``LOCKGATE_HYPOTHESIS``:
- ``default``: a few dozen examples per test, derandomized (the same examples on every run, so CI is
  reproducible and a failure is a failure of the code, not of the dice), no example database written into the
  repository, no deadline (a slow machine must not fail a test: speed is measured in benchmarks/).
- ``thorough``: many more examples, randomized, for a local bug hunt (``LOCKGATE_HYPOTHESIS=thorough pytest
  tests/property/test_parsers.py``). Still no database in the repository.

The hang guard is not a timed assertion: it only ends an example that would otherwise never end (an infinite
loop or catastrophic backtracking), with a generous bound, so that a hang is reported as the failing example
instead of stalling the run.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, settings

_COMMON = dict(
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

settings.register_profile("default", max_examples=60, derandomize=True, print_blob=True, **_COMMON)
settings.register_profile("thorough", max_examples=2000, derandomize=False, print_blob=True, **_COMMON)

PROFILE = os.environ.get("LOCKGATE_HYPOTHESIS", "default")
if PROFILE not in ("default", "thorough"):
    raise RuntimeError(f"LOCKGATE_HYPOTHESIS={PROFILE!r}: expected default or thorough")
THOROUGH = PROFILE == "thorough"

# Seconds one example may run before it counts as a hang. Parses in these tests take milliseconds; a minute is
# two orders of magnitude of head-room for a loaded CI machine.
HANG_SECONDS = 60


class Hang(BaseException):
    """Raised into an example that ran past HANG_SECONDS. A BaseException, so that no ``except Exception`` in
    the code under test can swallow it."""


def use_profile() -> None:
    """Load the profile named by LOCKGATE_HYPOTHESIS (called by each property test module on import)."""
    settings.load_profile(PROFILE)


@contextmanager
def hang_guard(what: str, seconds: float = HANG_SECONDS) -> Iterator[None]:
    """End the block with Hang after ``seconds`` (main thread on POSIX only; elsewhere a no-op)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _alarm(signum: int, frame: object) -> None:
        raise Hang(f"{what} did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
