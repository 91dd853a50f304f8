"""``lockgate db sync``: download OSV's advisories for offline runs and the pre-commit hook
(checker/registries/osv_db.py)."""

from __future__ import annotations

import argparse

from checker.commands.output import emit, warn


def run(args: argparse.Namespace) -> int:
    from checker.registries.cache import default_directory
    from checker.registries.http import HttpClient
    from checker.registries.osv_db import ECOSYSTEMS, sync

    shown: dict[str, int] = {}

    def progress(ecosystem: str, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if shown.get(ecosystem) != tenth:
            shown[ecosystem] = tenth
            warn(f"{ecosystem}: {done / 1e6:.1f} of {total / 1e6:.1f} MB\n")

    names = args.ecosystems or list(ECOSYSTEMS)
    # A download of hundreds of megabytes: each wait for data within a minute, the whole sync within two hours.
    with HttpClient(timeout=60.0, retries=3, budget_seconds=7200.0) as http:
        results = sync(names, default_directory(), http, progress=progress)
    for result in results:
        unreadable = f"; {result.unreadable} files that are not OSV records were left out" if result.unreadable else ""
        emit(f"{result.ecosystem}: {result.status}, {result.records} advisories for {result.packages} packages "
             f"({result.size / 1e6:.1f} MB){unreadable}\n")
    return 0
