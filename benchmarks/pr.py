"""``lockgate pr`` benchmarks: what a pull request's gate costs inside GitHub Actions, against the fake GitHub API
of the test suite on 127.0.0.1 (so the figures are lockgate's own time, not GitHub's latency).

    python benchmarks/pr.py [--runs N]

Measures, as wall-clock medians of fresh processes:
- ``lockgate pr`` on a pull request bumping 1, 200 and 5,000 pinned requirements (first run: creates the comment;
  second run: edits it), with the number of API requests each makes;
- the same with the files read through the GitHub API instead of git (no checkout);
- rendering the sticky comment, size cap included, for 60,000 changes (in-process);
- the start-up cost of the ``pr`` path (importing PyGithub and jinja2) next to ``lockgate --version``.

Nothing is asserted; this prints a table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import git_env  # first: puts this tree on sys.path (checker, and tests.fakes below)

from tests.fakes.github_api import FakeGitHub  # noqa: E402

HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64
TOKEN = "ghs_benchmark_token_000000000000000000"


def requirements(count: int, version: str, digest: str) -> str:
    return "".join(f"pkg{i}=={version} \\\n    --hash={digest}\n" for i in range(count))


def make_repo(root: Path, count: int) -> tuple[str, str]:
    env = git_env()

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout.strip()

    root.mkdir(parents=True)
    git("init", "-q", "-b", "main")
    (root / ".github").mkdir()
    (root / ".github" / "lockgate.yml").write_text("review:\n  reviewers: [alice]\n")
    (root / "requirements.txt").write_text(requirements(count, "1.0", HASH_A))
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    base = git("rev-parse", "HEAD")
    (root / "requirements.txt").write_text(requirements(count, "1.1", HASH_B))
    git("commit", "-q", "-am", "bump")
    return base, git("rev-parse", "HEAD")


def run_pr(fake: FakeGitHub, workspace: Path, tmp: Path, number: int) -> tuple[float, int, int]:
    event = tmp / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "pull_request": fake.pulls[number]}))
    env = git_env()
    env.update(GITHUB_EVENT_NAME="pull_request", GITHUB_EVENT_PATH=str(event), GITHUB_REPOSITORY=fake.full_name,
               GITHUB_API_URL=fake.api_url, GITHUB_TOKEN=TOKEN, GITHUB_OUTPUT=str(tmp / "out"),
               GITHUB_STEP_SUMMARY=str(tmp / "summary"), LOCKGATE_GITHUB_WRITE_INTERVAL="0", NO_PROXY="127.0.0.1")
    before = len(fake.requests)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "checker", "pr"], cwd=workspace, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    return elapsed, len(fake.requests) - before, done.returncode


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as scratch, FakeGitHub() as fake:
        tmp = Path(scratch)
        fake.add_token(TOKEN)
        for number, count in ((1, 1), (2, 200), (3, 5000)):
            base, head = make_repo(tmp / f"repo{count}", count)
            fake.add_pull(number, "mallory", base, head)
            first, requests, code = run_pr(fake, tmp / f"repo{count}", tmp, number)
            edits = []
            for _ in range(args.runs):
                elapsed, edit_requests, code = run_pr(fake, tmp / f"repo{count}", tmp, number)
                edits.append(elapsed)
            rows.append((f"lockgate pr, git checkout, {count:,} bumps: first run (comment created)",
                         f"{first * 1000:8.0f} ms", f"{requests} API requests, exit {code}"))
            rows.append((f"lockgate pr, git checkout, {count:,} bumps: later runs (comment edited)",
                         median_ms(edits), f"{edit_requests} API requests"))
        # no checkout: the files come from the trees, contents and blobs APIs
        for number, count in ((11, 200), (12, 5000)):
            base, head = "ba5e" * 9 + f"{count:04d}", "bead" * 9 + f"{count:04d}"
            fake.add_tree(base, {".github/lockgate.yml": b"review:\n  reviewers: [alice]\n",
                                 "requirements.txt": requirements(count, "1.0", HASH_A).encode()})
            fake.add_tree(head, {".github/lockgate.yml": b"review:\n  reviewers: [alice]\n",
                                 "requirements.txt": requirements(count, "1.1", HASH_B).encode()}, parents=(base,))
            fake.add_pull(number, "mallory", base, head)
            empty = tmp / f"empty{count}"
            empty.mkdir()
            times = []
            for _ in range(args.runs):
                elapsed, requests, code = run_pr(fake, empty, tmp, number)
                times.append(elapsed)
            rows.append((f"lockgate pr, contents API (no checkout), {count:,} bumps", median_ms(times),
                         f"{requests} API requests"))

    from checker.model import Change, Dependency, Report, ReviewStatus
    from checker.report.markdown import ReviewState, render_comment

    changes = tuple(Change("upgraded", Dependency("pypi", f"p{i}", "1.0", manifest="requirements.txt", line=i + 1),
                           Dependency("pypi", f"p{i}", "1.1", manifest="requirements.txt", line=i + 1), "minor")
                    for i in range(60000))
    report = Report("b" * 40, "c" * 40, changes, (), tuple(ReviewStatus("required") for _ in changes), "block", None, False, "0")
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        text = render_comment(report, ReviewState(waiting=60000, reviewers=("alice",)))
        times.append(time.perf_counter() - started)
    rows.append(("render the sticky comment, 60,000 changes, capped", median_ms(times), f"{len(text.encode()):,} bytes"))

    for label, code in (("start-up: lockgate --version", "from checker.cli import main; main(['--version'])"),
                        ("start-up: the pr path's imports (PyGithub, jinja2)",
                         "import checker.commands.pr, checker.github.api, github, jinja2")):
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        rows.append((label, median_ms(times), ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'median':>11}  notes")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>11}  {note}")


if __name__ == "__main__":
    main()
