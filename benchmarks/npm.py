"""npm benchmarks: package-lock.json parsing, and a full check next to lockfile-lint on the same file.

    python benchmarks/npm.py [--runs N] [--corpus DIR] [--lockfile-lint PATH]

Measures, on pypi/warehouse's package-lock.json (540 KB, lockfileVersion 3, 1,064 packages):
- lockgate's parse of the file, in process, next to a bare ``json.loads`` of it (the floor; target < 60 ms);
- ``lockgate check --all --offline`` on a repository holding that file (hosts, HTTPS, integrity, names, and every
  other rule), as a fresh process of a regular install, next to
  ``lockfile-lint --type npm --allowed-hosts npm --validate-https --validate-integrity --validate-package-names``
  on the same file (target: at most half lockfile-lint's time);
- ``lockgate check --offline`` of a pull request that bumps three packages in that lockfile.

lockfile-lint is a Node.js tool, not a lockgate dependency: install it anywhere, e.g.
``npm install --prefix /tmp/lockfile-lint lockfile-lint`` (after ``echo '{}' > /tmp/lockfile-lint/package.json``),
and pass ``--lockfile-lint`` or put it on PATH; without it the comparison is skipped. Times are wall-clock
medians of fresh processes; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import DEFAULT_CORPUS, _git, install_fresh, wall  # noqa: E402

LOCKFILE = "real/pypi-warehouse/package-lock.json"
LINT_FLAGS = ["--type", "npm", "--allowed-hosts", "npm", "--validate-https", "--validate-integrity",
              "--validate-package-names"]
BUMPS = ("jquery", "debounce", "date-fns")


def find_lockfile_lint(explicit: str | None) -> str | None:
    candidates = [explicit, os.environ.get("LOCKFILE_LINT"), shutil.which("lockfile-lint"),
                  "/tmp/lockfile-lint/node_modules/.bin/lockfile-lint"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _bump(text: str, name: str) -> str:
    """Raise one top-level package's patch version (and its resolved URL) as ``npm update`` would."""
    pattern = re.compile(r'("node_modules/' + re.escape(name) + r'": \{\n\s+"version": ")(\d+)\.(\d+)\.(\d+)(")')
    found = pattern.search(text)
    if found is None:
        raise SystemExit(f"benchmark set-up: {name} not found in the lockfile")
    old = f"{found.group(2)}.{found.group(3)}.{found.group(4)}"
    new = f"{found.group(2)}.{found.group(3)}.{int(found.group(4)) + 1}"
    text = text[: found.start()] + found.group(1) + new + found.group(5) + text[found.end():]
    base = name.rpartition("/")[2]
    return text.replace(f"/{name}/-/{base}-{old}.tgz", f"/{name}/-/{base}-{new}.tgz", 1)


def build_repository(corpus: Path, directory: Path) -> tuple[str, str]:
    """base: warehouse's package-lock.json; head: three packages bumped."""
    directory.mkdir(parents=True)
    _git(directory, "init", "-q", "-b", "main")
    lock = directory / "package-lock.json"
    shutil.copy(corpus / LOCKFILE, lock)
    _git(directory, "add", "-A")
    _git(directory, "commit", "-q", "-m", "base")
    base = _git(directory, "rev-parse", "HEAD")
    text = lock.read_text()
    for name in BUMPS:
        text = _bump(text, name)
    lock.write_text(text)
    _git(directory, "commit", "-q", "-am", "bump")
    return base, _git(directory, "rev-parse", "HEAD")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("LOCKGATE_CORPUS", DEFAULT_CORPUS)))
    parser.add_argument("--lockfile-lint", help="path of the lockfile-lint executable")
    args = parser.parse_args()
    if not (args.corpus / LOCKFILE).is_file():
        raise SystemExit(f"{LOCKFILE} not found under {args.corpus}; pass --corpus")
    print(f"lockgate npm benchmarks  (python {sys.version.split()[0]}, {os.cpu_count()} cpus, "
          f"median of {args.runs} runs)\n")

    from checker.manifests.package_lock import parse

    text = (args.corpus / LOCKFILE).read_text()
    parse(text, "package-lock.json", lambda _: None)  # warm up: imports and regular-expression compilation
    parse_ms, parse_min = timed(lambda: parse(text, "package-lock.json", lambda _: None), args.runs * 3)
    floor_ms, floor_min = timed(lambda: json.loads(text), args.runs * 3)
    print("| parse of warehouse's package-lock.json (in process) | median ms | min ms | target |")
    print("|---|---:|---:|---|")
    print(f"| lockgate package_lock.parse | {parse_ms:.1f} | {parse_min:.1f} | < 60 |")
    print(f"| floor: bare json.loads | {floor_ms:.1f} | {floor_min:.1f} | |")
    print(f"\nparse / floor = {parse_ms / floor_ms:.1f} (medians), {parse_min / floor_min:.1f} (minimums)\n")

    lint = find_lockfile_lint(args.lockfile_lint)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        lockgate = install_fresh(Path(tmp))
        base, head = build_repository(args.corpus, repo)
        python_ms, _, _ = wall([sys.executable, "-c", "pass"], args.runs)
        all_ms, all_min, all_code = wall(lockgate + ["check", "--all", "--offline", "--head", base], args.runs, repo)
        pr_ms, pr_min, pr_code = wall(lockgate + ["check", "--offline", "--base", base, "--head", head], args.runs, repo)
        lint_row = None
        if lint is not None:
            _git(repo, "checkout", "-q", base)
            command = [lint, "--path", str(repo / "package-lock.json"), *LINT_FLAGS]
            ours = lockgate + ["check", "--all", "--offline", "--head", base]
            node_ms, _, _ = wall(["node", "-e", "0"], args.runs) if shutil.which("node") else (float("nan"), 0, 0)
            lint_row = (*paired(ours, command, args.runs, repo), node_ms)

    print("| command (fresh process) | median ms | min ms | exit |")
    print("|---|---:|---:|---:|")
    print(f"| python -c pass (interpreter alone) | {python_ms:.0f} | | |")
    print(f"| lockgate check --all --offline, warehouse package-lock.json | {all_ms:.0f} | {all_min:.0f} | {all_code} |")
    print(f"| lockgate check --offline, a pull request bumping {len(BUMPS)} packages | {pr_ms:.0f} | {pr_min:.0f} | {pr_code} |")
    if lint_row is None:
        print("\nlockfile-lint not found (pass --lockfile-lint or set LOCKFILE_LINT): comparison skipped")
        return 0
    ours_ms, ours_min, lint_ms, lint_min, lint_code, ratio, node_ms = lint_row
    print(f"| node -e 0 (interpreter alone) | {node_ms:.0f} | | |")
    print(f"| lockfile-lint {' '.join(LINT_FLAGS)} | {lint_ms:.0f} | {lint_min:.0f} | {lint_code} |")
    print("\nSide by side (the two commands alternate, so that load from other processes hits both alike):")
    print(f"  lockgate check --all  median {ours_ms:.0f} ms, min {ours_min:.0f} ms")
    print(f"  lockfile-lint         median {lint_ms:.0f} ms, min {lint_min:.0f} ms")
    print(f"  lockgate / lockfile-lint: median of paired ratios {ratio:.2f}, of minimums {ours_min / lint_min:.2f}"
          "  (target <= 0.50)")
    return 0


def timed(function, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(median ms, min ms) of calling ``function`` in this process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def paired(ours: list[str], theirs: list[str], runs: int, cwd: Path) -> tuple[float, float, float, float, int, float]:
    """Alternate two commands ``runs`` times; (our median, our min, their median, their min, their exit code,
    median of the per-pair ratios ours/theirs)."""
    ours_times, their_times, ratios = [], [], []
    code = 0
    for _ in range(runs):
        a, _, _ = wall(ours, 1, cwd)
        b, _, code = wall(theirs, 1, cwd)
        ours_times.append(a)
        their_times.append(b)
        ratios.append(a / b)
    return (statistics.median(ours_times), min(ours_times), statistics.median(their_times), min(their_times), code,
            statistics.median(ratios))


if __name__ == "__main__":
    sys.exit(main())
