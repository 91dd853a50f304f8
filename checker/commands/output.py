"""Where a command's output goes: standard output and error, colour or not, inert under GitHub Actions."""

from __future__ import annotations

import os
import sys


def use_color() -> bool:
    """``NO_COLOR`` wins, then ``FORCE_COLOR``, else colour on a terminal that is not ``dumb``."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def text_width() -> int | None:
    """The columns to wrap the terminal formats to: the terminal's width when standard output is one (not under
    GitHub Actions), else None. A pipe, a file or a CI log is not wrapped: one line per finding keeps ``grep``
    finding a finding whole, and a log viewer wraps to its own width."""
    if in_actions() or not sys.stdout.isatty():
        return None
    import shutil

    return max(shutil.get_terminal_size().columns, 40)


def emit(text: str, fmt: str = "text") -> None:
    """Standard output; under GitHub Actions made inert for the runner (see report.escape.inert_for_runner), except
    for the ``github`` format, which writes workflow commands on purpose."""
    if fmt != "github" and in_actions():
        from checker.report.escape import inert_for_runner

        text = inert_for_runner(text, json_document=fmt in ("json", "sarif"))
    sys.stdout.write(text)
    sys.stdout.flush()


def warn(text: str) -> None:
    """Standard error, under GitHub Actions made inert for the runner like standard output."""
    if in_actions():
        from checker.report.escape import inert_for_runner

        text = inert_for_runner(text)
    sys.stderr.write(text)


def in_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS", "").lower() == "true"
