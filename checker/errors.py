"""Exceptions that end a run with a clear one-line message and exit code 2 (or 3).

Every error a user can cause (a malformed manifest, a bad policy, a missing revision) is one of these,
carrying the file and, when known, the line, so the command line can print ``path:line: message`` and never a
traceback.
"""

from __future__ import annotations


class LockgateError(Exception):
    """Base of every error that is the input's fault, not lockgate's. Exit code 2."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return printable(f"{where}{self.message}")


def printable(text: str) -> str:
    """``text`` with what is not text written as escapes: a byte of a path that is not UTF-8 (git paths are decoded
    with ``surrogateescape``, so byte 0xff is U+DCFF) as ``\\xff``, any other lone surrogate as ``\\udXXX``.
    Such a string would make printing, JSON encoding or a template fail far from where it came in."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


class ManifestError(LockgateError):
    """A manifest or lockfile that cannot be read as its format requires."""


class PolicyError(LockgateError):
    """A policy file with an unknown key, a bad value, or a broken ``extends`` chain."""


class SnapshotError(LockgateError):
    """A revision, index or tree that cannot be read (unknown revision, not a git repository, ...)."""


class UnreadableFile(SnapshotError):
    """One file of a tree that cannot be read (larger than the limit, a symbolic link that leaves the repository or
    loops): the file's problem, reported as an unreadable manifest, not the run's."""


class UsageError(LockgateError):
    """Command-line arguments that do not fit together."""

