"""A GitHub Actions job's environment for ``lockgate pr``: a subprocess in a workspace, an event file, the
GITHUB_* variables, output and summary files, and the fake GitHub API behind GITHUB_API_URL (PyGithub talks to it).
Shared by the end-to-end tests of the action (tests/commands/test_pr.py, tests/commands/test_policy_change.py, ...)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .github_api import FakeGitHub


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT records, as the runner reads them (name<<DELIMITER ... DELIMITER)."""
    out: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        name, _, delimiter = lines[i].partition("<<")
        end = lines.index(delimiter, i + 1)
        out[name] = "\n".join(lines[i + 1: end])
        i = end + 1
    return out


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


class Runner:
    """One workflow job's environment. ``run`` executes `lockgate pr` in ``workspace`` for one event, with
    ``token`` as GITHUB_TOKEN unless the call names another (or None)."""

    token: str | None = None

    def __init__(self, tmp: Path, workspace: Path, fake: FakeGitHub, git_env: dict[str, str]) -> None:
        self.tmp, self.workspace, self.fake, self.git_env = tmp, workspace, fake, git_env
        self.count = 0

    def pull_event(self, number: int = 5, action: str = "synchronize", **extra: Any) -> dict[str, Any]:
        return {"action": action, "number": number, "pull_request": json.loads(json.dumps(self.fake.pulls[number])),
                "repository": {"full_name": self.fake.full_name}, **extra}

    def run(self, name: str, event: dict[str, Any], *args: str, token: str | None | type[Ellipsis] = ...,
            env: dict[str, str] | None = None) -> Run:
        self.count += 1
        folder = self.tmp / f"run{self.count}"
        folder.mkdir()
        (folder / "event.json").write_text(json.dumps(event))
        (folder / "output").write_text("")
        (folder / "summary").write_text("")
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_", "LOCKGATE_"))
                   and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        environ.update(self.git_env)
        environ.update(
            GITHUB_ACTIONS="true", GITHUB_EVENT_NAME=name, GITHUB_EVENT_PATH=str(folder / "event.json"),
            GITHUB_REPOSITORY=self.fake.full_name, GITHUB_API_URL=self.fake.api_url, GITHUB_SERVER_URL="https://github.com",
            GITHUB_RUN_ID=str(1000 + self.count), GITHUB_OUTPUT=str(folder / "output"),
            GITHUB_STEP_SUMMARY=str(folder / "summary"), GITHUB_WORKSPACE=str(self.workspace),
            LOCKGATE_GITHUB_WRITE_INTERVAL="0", NO_PROXY="127.0.0.1,localhost",
            LOCKGATE_REGISTRY_OFFLINE="1", LOCKGATE_CACHE_DIR=str(self.tmp / "registry-cache"),
        )
        token = self.token if token is ... else token
        if token:
            environ["GITHUB_TOKEN"] = token  # type: ignore[assignment]
        environ.update(env or {})
        done = subprocess.run([sys.executable, "-m", "checker", "pr", *args], cwd=self.workspace, env=environ,
                              capture_output=True, text=True, timeout=120)
        return Run(done.returncode, done.stdout, done.stderr, parse_outputs((folder / "output").read_text()),
                   (folder / "summary").read_text())
