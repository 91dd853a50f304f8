"""Path globs of a policy's ``paths.ignore`` (``docs/**``, ``examples``), compiled once, matched by regex.

Kept apart from package patterns so that finding manifests imports nothing but ``re``.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=512)
def path_regex(glob: str) -> re.Pattern[str]:
    """A path glob as a regex: ``**`` spans directories, ``*`` and ``?`` stay within one, a trailing ``/``
    or a pattern without ``/`` matches at any depth (as in .gitignore)."""
    anchored = "/" in glob.rstrip("/")
    glob = glob.strip("/") if anchored else glob.rstrip("/")
    out: list[str] = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(char))
        i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    # A pattern naming a directory matches everything under it too.
    return re.compile(f"{prefix}{body}(?:/.*)?")


def path_matches(path: str, globs: tuple[str, ...] | list[str]) -> bool:
    return any(path_regex(glob).fullmatch(path) for glob in globs)
