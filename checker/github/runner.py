"""The runner's side channels: the log with workflow commands, ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY``.

Everything written here passes through the run's Redactor first, so a token that GitHub echoed back in an error
body cannot reach the log, an output or the summary.
"""

from __future__ import annotations

import secrets
import sys
from typing import TextIO

from checker.github.api import Redactor
from checker.report.annotations import command

# GitHub's documented limits: 1 MiB for a step's summary; an output of more than 1 MB is refused by the runner.
SUMMARY_LIMIT = 1024 * 1024
OUTPUT_LIMIT = 1000 * 1000


class Log:
    """The job log. ``warning``/``error`` become workflow commands, so they show on the run's page too."""

    def __init__(self, redact: Redactor, stream: TextIO | None = None) -> None:
        self.redact = redact
        self.stream = stream or sys.stdout

    def write(self, text: str) -> None:
        self.stream.write(self.redact(text))
        self.stream.flush()

    def verbatim(self, text: str) -> None:
        """Text that must not be read as workflow commands (a report naming files a pull request chose: a path like
        ``::error::x/requirements.txt`` would otherwise be an annotation): wrapped in ``stop-commands`` with a
        token nobody can guess in advance, the runner's documented way to pass such output through."""
        if not text:
            return
        token = secrets.token_hex(16)
        self.write(f"::stop-commands::{token}\n{text}{'' if text.endswith(chr(10)) else chr(10)}::{token}::\n")

    def info(self, message: str) -> None:
        from checker.report.escape import inert_for_runner

        self.write(inert_for_runner(f"lockgate: {message}\n"))

    def warning(self, message: str) -> None:
        self.write(command("warning", f"lockgate: {self.redact(message)}", title="lockgate") + "\n")

    def error(self, message: str) -> None:
        self.write(command("error", f"lockgate: {self.redact(message)}", title="lockgate") + "\n")


def _delimiter(value: str) -> str:
    """A heredoc delimiter that does not occur in the value (the runner's own way of writing multi-line outputs)."""
    while True:
        candidate = f"ghadelimiter_{secrets.token_hex(16)}"
        if candidate not in value:
            return candidate


def format_outputs(outputs: dict[str, str]) -> str:
    """``name<<DELIMITER`` / value / ``DELIMITER`` records for ``GITHUB_OUTPUT``."""
    records = []
    for name, value in outputs.items():
        delimiter = _delimiter(value)
        records.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(records)


def write_outputs(path: str | None, outputs: dict[str, str], redact: Redactor) -> None:
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(format_outputs({name: redact(value) for name, value in outputs.items()}))


def append_summary(path: str | None, markdown: str, redact: Redactor) -> None:
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(redact(markdown) + "\n")
