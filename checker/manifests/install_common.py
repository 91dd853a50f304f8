"""What the install-command readers share: a program's name, a file's name, one install found, a commit id.

Its own module so that ``install_commands`` (the walker over a script's commands) and the readers it hands commands
to (``installers``: pip, npm, gem, go, …; ``downloads``: ``curl … | sh``) import it without importing each other.
"""

from __future__ import annotations

import posixpath
from typing import NamedTuple

from checker.manifests.shell import Word
from checker.model import Dependency

_FULL_COMMIT = frozenset("0123456789abcdef")


def _base(value: str) -> str:
    """The program a first word names: ``/usr/bin/pip3`` -> ``pip3``, ``NPM.EXE`` -> ``npm`` (macOS and Windows
    runners find programs case-insensitively)."""
    name = value.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for suffix in (".exe", ".cmd", ".bat", ".ps1"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _key(word: Word) -> str:
    """How a file is named for matching a download with its run: the cleaned path, or the text as written when
    a variable is part of it (``"$TMP/x.sh"`` is the same file wherever it is written the same way)."""
    if not word.static:
        return word.raw
    value = word.value
    return posixpath.normpath(value) if value else value


class _Install(NamedTuple):
    tool: str
    problem: str | None
    dependencies: list[Dependency]


def is_commit(text: str) -> bool:
    return len(text) == 40 and all(c in _FULL_COMMIT for c in text.lower())
