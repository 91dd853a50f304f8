"""Run one command with Python's cyclic garbage collector paused.

Why: a run builds large, acyclic data that lives until it ends — two revisions of a 50,000-entry package-lock
are 300,000 objects (loaded JSON, Dependencies, hash sets) — and the cyclic collector, triggered every few
hundred allocations, traverses the growing heap again and again and frees nothing: reference counting frees
everything that dies. Measured by ``benchmarks/suite.py`` (scale section: a 50,000-entry ``lockgate diff``, CPU
time and peak memory, with and without the pause). Mercurial pauses its collector around large parses for the
same reason. The collector is back in its previous state afterwards, so in-process callers (the tests) keep it.
"""

from __future__ import annotations

import gc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


def call_without_gc(function: Callable[..., int], *args: object) -> int:
    """``function(*args)`` with the cyclic collector paused."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return function(*args)
    finally:
        if collecting:
            gc.enable()
