"""``lockgate demo``: build a throw-away git repository from the shipped example, judge its pull request offline.

The example is March 2026's litellm incident: a bot bumps litellm 1.82.6 -> 1.82.8 and adds an unpinned
dependency. lockgate blocks it, and the output says why. No network, no set-up beyond installing lockgate.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from typing import Callable

DEMO_NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
_FILES = os.path.join(os.path.dirname(__file__), "files")


def _git_env() -> dict[str, str]:
    """A clean environment for the demo's git: no hook variables (GIT_DIR, GIT_INDEX_FILE) leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="lockgate demo", GIT_AUTHOR_EMAIL="demo@lockgate.invalid",
        GIT_COMMITTER_NAME="lockgate demo", GIT_COMMITTER_EMAIL="demo@lockgate.invalid",
        GIT_AUTHOR_DATE="2026-03-24T10:52:00Z", GIT_COMMITTER_DATE="2026-03-24T10:52:00Z",
        GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
    )
    return env


def _git(repo: str, *args: str) -> str:
    done = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True, env=_git_env(), check=True)
    return done.stdout.strip()


def build_repository(directory: str) -> tuple[str, str]:
    """A repository with two commits (base, head) holding the example's files; returns their ids."""
    _git(directory, "init", "-q", "-b", "main")
    shutil.copy(os.path.join(_FILES, "base", "requirements.txt"), os.path.join(directory, "requirements.txt"))
    _git(directory, "add", "requirements.txt")
    _git(directory, "commit", "-q", "-m", "Pin litellm 1.82.6")
    base = _git(directory, "rev-parse", "HEAD")
    shutil.copy(os.path.join(_FILES, "head", "requirements.txt"), os.path.join(directory, "requirements.txt"))
    _git(directory, "commit", "-q", "-am", "Bump litellm from 1.82.6 to 1.82.8; add httpx")
    head = _git(directory, "rev-parse", "HEAD")
    return base, head


def run_demo(fmt: str, color: bool, emit: Callable[[str], None]) -> int:
    from checker.report import render
    from checker.run import CheckRequest, exit_code, run_check

    with tempfile.TemporaryDirectory(prefix="lockgate-demo-") as directory:
        base, head = build_repository(directory)
        request = CheckRequest(directory=directory, base=base, head=head, head_mode="rev", offline=True, now=DEMO_NOW)
        report = run_check(request)
    if fmt == "text":
        emit("lockgate demo: a bot's pull request bumps litellm 1.82.6 -> 1.82.8 (March 2026) and adds httpx.\n\n")
    emit(render(report, fmt, color=color))
    return exit_code(report)
