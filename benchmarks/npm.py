"""lockgate next to lockfile-lint on the same package-lock.json and yarn.lock, and a pull request's check.

    python benchmarks/npm.py [--runs N] [--corpus DIR] [--lockfile-lint PATH]   (part of: benchmarks/suite.py)

Measures, as fresh processes of a regular install, the two commands alternating so that load from other
processes hits both alike:
- ``lockgate check --all --offline`` on a repository holding pypi/warehouse's package-lock.json, with the
  default policy and with lockfile-lint's checks only (benchmarks/lockfile-lint-checks.yml: hosts, HTTPS,
  integrity, names, and every other rule that needs no registry), next to ``lockfile-lint --type npm
  --allowed-hosts npm --validate-https --validate-integrity --validate-package-names`` on the same file
  (target: at most half lockfile-lint's time with the same checks, issue 3);
- the same pair on vercel/hyper's classic yarn.lock (``--type yarn``, hosts npm and yarn; no target);
- ``lockgate check --offline`` of a pull request that bumps three packages in that package-lock.json.

lockfile-lint is a Node.js tool, not a lockgate dependency. It is taken from ``--lockfile-lint``, PATH, or an
earlier install under the benchmark cache; otherwise ``npm install --prefix <cache> lockfile-lint`` installs it
when npm can reach the registry, and without it the comparison says "not available".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness import (  # noqa: E402
    DEFAULT_CORPUS,
    PROJECT,
    BenchmarkError,
    Measure,
    commit_all,
    find_executable,
    init_repository,
    install_fresh,
    measure_command,
    measure_interleaved,
    paired_ratio,
    summarize,
)

LOCKFILE = "real/pypi-warehouse/package-lock.json"
YARN_LOCKFILE = "real/vercel-hyper/yarn.lock"
LINT_FLAGS = {
    "npm": ["--type", "npm", "--allowed-hosts", "npm", "--validate-https", "--validate-integrity",
            "--validate-package-names"],
    "yarn": ["--type", "yarn", "--allowed-hosts", "npm", "yarn", "--validate-https", "--validate-integrity",
             "--validate-package-names"],
}
BUMPS = ("jquery", "debounce", "date-fns")
SAME_CHECKS = PROJECT / "benchmarks" / "lockfile-lint-checks.yml"  # the default policy less the registry rules
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lockgate-bench"


def find_lockfile_lint(given: str | None) -> str | None:
    return find_executable(given or os.environ.get("LOCKFILE_LINT"), "lockfile-lint",
                           CACHE / "lockfile-lint" / "node_modules" / ".bin" / "lockfile-lint",
                           "/tmp/lockfile-lint/node_modules/.bin/lockfile-lint")


def install_lockfile_lint() -> tuple[str | None, str]:
    """Install lockfile-lint from the npm registry into the benchmark cache; (path or None, what happened)."""
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm not found"
    prefix = CACHE / "lockfile-lint"
    prefix.mkdir(parents=True, exist_ok=True)
    if not (prefix / "package.json").exists():
        (prefix / "package.json").write_text("{}\n")
    try:
        done = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "lockfile-lint"],
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None, "npm install timed out"
    if done.returncode != 0:
        return None, f"npm install failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}"
    found = find_lockfile_lint(None)
    return found, "installed with npm" if found else "npm install left no lockfile-lint"


def _bump(text: str, name: str) -> str:
    """Raise one top-level package's patch version (and its resolved URL) as ``npm update`` would."""
    pattern = re.compile(r'("node_modules/' + re.escape(name) + r'": \{\n\s+"version": ")(\d+)\.(\d+)\.(\d+)(")')
    found = pattern.search(text)
    if found is None:
        raise BenchmarkError(f"benchmark set-up: {name} not found in the lockfile")
    old = f"{found.group(2)}.{found.group(3)}.{found.group(4)}"
    new = f"{found.group(2)}.{found.group(3)}.{int(found.group(4)) + 1}"
    text = text[: found.start()] + found.group(1) + new + found.group(5) + text[found.end():]
    base = name.rpartition("/")[2]
    return text.replace(f"/{name}/-/{base}-{old}.tgz", f"/{name}/-/{base}-{new}.tgz", 1)


@dataclass(frozen=True, slots=True)
class NpmRepository:
    """base: warehouse's package-lock.json and hyper's yarn.lock (in ``yarn/``); head: three packages bumped
    in the package-lock."""

    path: Path
    base: str
    head: str


def build_repository(corpus: Path, directory: Path) -> NpmRepository:
    init_repository(directory)
    lock = directory / "package-lock.json"
    shutil.copy(corpus / LOCKFILE, lock)
    (directory / "yarn").mkdir()
    shutil.copy(corpus / YARN_LOCKFILE, directory / "yarn" / "yarn.lock")
    base = commit_all(directory, "base")
    text = lock.read_text()
    for name in BUMPS:
        text = _bump(text, name)
    lock.write_text(text)
    return NpmRepository(directory, base, commit_all(directory, "bump"))


@dataclass(frozen=True, slots=True)
class SideBySide:
    """lockgate with its default policy, lockgate with lockfile-lint's checks only (``SAME_CHECKS``), and
    lockfile-lint, measured alternately; the median of the per-round ratios same-checks / lockfile-lint."""

    default: Measure
    same_checks: Measure
    theirs: Measure
    ratio: float


def lint_comparisons(lockgate: list[str], lint: str, repo: NpmRepository, runs: int) -> dict[str, SideBySide]:
    """lockgate check --all vs lockfile-lint on the package-lock.json and on the yarn.lock, at base."""
    out = {}
    for kind, relative in (("npm", "package-lock.json"), ("yarn", "yarn/yarn.lock")):
        ours = [*lockgate, "check", "--all", "--offline", "--head", repo.base, relative]
        done = measure_interleaved({"default": ours, "same": [*ours, "--policy", str(SAME_CHECKS)],
                                    "theirs": [lint, "--path", str(repo.path / relative), *LINT_FLAGS[kind]]},
                                   runs, repo.path)
        out[kind] = SideBySide(summarize(done["default"]), summarize(done["same"]), summarize(done["theirs"]),
                               paired_ratio(done["same"], done["theirs"]))
    return out


def pull_request_check(lockgate: list[str], repo: NpmRepository, runs: int) -> Measure:
    return measure_command([*lockgate, "check", "--offline", "--base", repo.base, "--head", repo.head], runs,
                           cwd=repo.path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--lockfile-lint", help="path of the lockfile-lint executable")
    args = parser.parse_args()
    lint = find_lockfile_lint(args.lockfile_lint)
    if lint is None:
        lint, how = install_lockfile_lint()
        print(f"lockfile-lint: {how}")
    with tempfile.TemporaryDirectory() as tmp:
        lockgate = install_fresh(Path(tmp))
        repo = build_repository(args.corpus, Path(tmp) / "repo")
        pr = pull_request_check(lockgate, repo, args.runs)
        print(f"lockgate check --offline, a pull request bumping {len(BUMPS)} packages: "
              f"median {pr.median_ms:.0f} ms, min {pr.min_ms:.0f} ms, peak {pr.peak_mb:.0f} MB")
        if lint is None:
            print("lockfile-lint not available: comparison skipped")
            return 0
        for kind, pair in lint_comparisons(lockgate, lint, repo, args.runs).items():
            print(f"{kind}: lockgate check --all {pair.default.median_ms:.0f} ms, with lockfile-lint's checks only "
                  f"{pair.same_checks.median_ms:.0f} ms, lockfile-lint {pair.theirs.median_ms:.0f} ms, "
                  f"ratio {pair.ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
