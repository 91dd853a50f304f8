"""``lockgate demo``: build a throw-away git repository from the shipped example, judge its pull request offline.

The example is March 2026. A bot's grouped pull request bumps litellm 1.82.6 -> 1.82.8 (the release published
with a stolen PyPI token and deleted from PyPI within hours), moves aquasecurity/trivy-action in a workflow from a
commit pin to a tag (the tags an attacker force-pushed that month), bumps requests 2.30.0 -> 2.31.0 (which fixes
one published advisory and is still affected by another), and bumps pytest 8.3.4 -> 8.3.5 in the test requirements
(a clean patch bump that passes). lockgate blocks the first two and says why and what unblocks them. No network:
the registry facts come from PyPI documents, and the advisories from OSV records, shipped with lockgate
(checker/demo/registry.py), read through the real clients from a temporary cache.

The commits have fixed authors and dates, so their ids, and the demo's output, are the same on every run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from checker.model import Report
    from checker.policy.load import Policy

DEMO_NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
_FILES = os.path.join(os.path.dirname(__file__), "files")
# Shipped under names without a leading dot (package data globs skip dot-folders); restored in the repository.
_RENAMES = {"_github": ".github"}
POLICY = ".github/lockgate.yml"
NO_KNOWN_BAD = ("The list of known malicious releases is off (--no-known-bad): litellm 1.82.8 is judged as on the "
                "morning nobody had listed it, by what is inside its wheel and by its age.")
INTRO = (
    "lockgate demo: a bot's pull request (March 2026) bumps litellm 1.82.6 -> 1.82.8, moves "
    "aquasecurity/trivy-action from a commit to a tag, bumps requests 2.30.0 -> 2.31.0 and pytest 8.3.4 -> 8.3.5.\n\n"
)


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


def tree(side: str) -> dict[str, str]:
    """The example's files on one side (``base`` or ``head``): repository path -> shipped file."""
    root = os.path.join(_FILES, side)
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            full = os.path.join(folder, name)
            parts = os.path.relpath(full, root).split(os.sep)
            out["/".join(_RENAMES.get(part, part) for part in parts)] = full
    return dict(sorted(out.items()))


def _checkout(directory: str, files: dict[str, str]) -> None:
    for path, source in files.items():
        target = os.path.join(directory, *path.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target)


def build_repository(directory: str, *, known_bad: bool = True) -> tuple[str, str]:
    """A repository with two commits (base, head) holding the example's files; returns their ids. ``known_bad``
    False: the example's policy turns the shipped list of known malicious releases off (``deny: known-bad:
    false``), to show what lockgate sees of a release nobody has listed yet."""
    _git(directory, "init", "-q", "-b", "main")
    _checkout(directory, tree("base"))
    if not known_bad:
        _without_known_bad(directory)
    _git(directory, "add", "-A")
    _git(directory, "commit", "-q", "-m", "Pin litellm 1.82.6, trivy-action 0.28.0, requests 2.30.0 and pytest 8.3.4")
    base = _git(directory, "rev-parse", "HEAD")
    _checkout(directory, tree("head"))
    if not known_bad:
        _without_known_bad(directory)
    _git(directory, "add", "-A")
    _git(directory, "commit", "-q", "-m", "Bump the dependencies group: litellm 1.82.8, trivy-action 0.33.1, requests 2.31.0, pytest 8.3.5")
    head = _git(directory, "rev-parse", "HEAD")
    return base, head


def _without_known_bad(directory: str) -> None:
    path = os.path.join(directory, *POLICY.split("/"))
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    text = text.replace("\nrules:\n", "\nrules:\n  deny: {level: block, known-bad: false}\n", 1)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def demo_policy() -> Policy:
    """The example repository's policy, loaded as ``lockgate check`` loads it (for the comment's wording: who may
    review, the label, the cooldowns)."""
    from checker.policy.load import load_policy

    files = tree("base")

    def read(path: str) -> str | None:
        source = files.get(path)
        if source is None:
            return None
        with open(source, encoding="utf-8") as handle:
            return handle.read()

    return load_policy(read(POLICY), POLICY, read)


def demo_report(*, known_bad: bool = True) -> Report:
    """Judge the example: a temporary repository and a temporary registry cache filled from the shipped
    documents, the run offline. Returns the Report. ``known_bad``: see build_repository."""
    from checker.demo.registry import cache_directory, prefill, shipped_github
    from checker.pipeline.run import CheckRequest, run_check

    with tempfile.TemporaryDirectory(prefix="lockgate-demo-") as directory:
        repo = os.path.join(directory, "repo")
        cache = os.path.join(directory, "cache")
        os.makedirs(repo)
        base, head = build_repository(repo, known_bad=known_bad)
        prefill(cache)
        # Registries and OSV answer from the filled cache (LOCKGATE_REGISTRY_OFFLINE), GitHub from the shipped
        # answers: no request leaves the machine.
        request = CheckRequest(directory=repo, base=base, head=head, head_mode="rev", now=DEMO_NOW,
                               github=shipped_github())
        with cache_directory(cache, registry_offline=True):
            return run_check(request)


def render_demo(report: Report, fmt: str, color: bool = False, *, width: int | None = None, note: str = "") -> str:
    """The demo's report; as text, after the introduction (and ``note``), wrapped to ``width`` when given."""
    from checker.report import render
    from checker.report.risk import PolicyView

    text = render(report, fmt, color=color, now=DEMO_NOW, policy=PolicyView.from_policy(demo_policy()), width=width)
    if fmt != "text":
        return text
    from checker.report.wrap import hanging

    intro = INTRO.rstrip("\n") + (" " + note if note else "")
    return "\n".join(hanging("", intro, width)) + "\n\n" + text


def run_demo(fmt: str, color: bool, emit: Callable[[str], None], *, known_bad: bool = True,
             width: int | None = None) -> int:
    from checker.pipeline.run import exit_code

    report = demo_report(known_bad=known_bad)
    emit(render_demo(report, fmt, color, width=width, note="" if known_bad else NO_KNOWN_BAD))
    return exit_code(report)
