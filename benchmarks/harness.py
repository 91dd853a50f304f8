"""What every benchmark shares: fresh installs, throw-away git repositories, and measuring a command or a call.

A command is measured as a fresh child process: wall time, CPU time and peak memory (max RSS) of that one child,
read from ``os.wait4`` (the kernel's accounting of exactly that process and what it waited for, so one command's
memory never hides behind another's). A call is measured in this process. Each measure runs several times and
keeps the median and the minimum: this machine is shared, and on a busy machine the minimum is the closer
estimate of a quiet one. Nothing here asserts a figure; the suite compares figures with targets and prints them.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
# The benchmarks measure this tree's lockgate: every module imports this one first, so ``checker`` resolves here
# even under an interpreter where lockgate is not installed.
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
DEFAULT_CORPUS = Path(os.environ.get("LOCKGATE_CORPUS", HERE.parents[1] / "shared" / "corpus"))


class BenchmarkError(Exception):
    """A benchmark could not run (a command failed, a file is missing): the suite stops with this message."""


# -- git ---------------------------------------------------------------------------------------------------------


# Where lockgate's registry cache points in every child: a folder that does not exist, so that offline runs find
# the same (empty) cache on every machine, whatever the user's own cache holds.
NO_CACHE = str(Path(tempfile.gettempdir()) / "lockgate-bench-no-cache")


def git_env() -> dict[str, str]:
    """The environment of every child: no inherited git or GitHub settings, a fixed identity, no user config,
    bytecode written (a user's install has it; PYTHONDONTWRITEBYTECODE would make every start-up compile), and
    no registry: the registries answer from an empty cache (LOCKGATE_REGISTRY_OFFLINE)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "GITHUB_", "LOCKGATE_")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid", GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="bench@example.invalid", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               LOCKGATE_REGISTRY_OFFLINE="1", LOCKGATE_CACHE_DIR=NO_CACHE)
    return env


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=git_env(), check=True, capture_output=True,
                          text=True).stdout.strip()


def init_repository(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    git(directory, "init", "-q", "-b", "main")


def commit_all(repo: Path, message: str) -> str:
    """Commit every file of the work tree; the new commit's id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def write_files(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def remove_files(root: Path, paths: Iterable[str]) -> None:
    for relative in paths:
        (root / relative).unlink(missing_ok=True)


# -- lockgate as users get it ------------------------------------------------------------------------------------


def install_fresh(directory: Path) -> list[str]:
    """lockgate installed as users get it: a fresh virtual environment, a regular (non-editable) install with
    compiled bytecode. Its dependencies come from this interpreter's environment through a path entry, so no
    network is needed. Returns the command that runs it."""
    import sysconfig

    venv = directory / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                  "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    (target / "lockgate-bench-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = git_env()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), "--upgrade", str(PROJECT)], check=True, env=env)
    subprocess.run([str(venv / "bin" / "python"), "-m", "compileall", "-q", str(target / "checker")], check=True,
                   env=env)
    launcher = venv / "bin" / "lockgate"
    launcher.write_text(f"#!{venv / 'bin' / 'python'}\nimport sys\nfrom checker.cli import main\nsys.exit(main())\n")
    launcher.chmod(0o755)
    return [str(launcher)]


def development_lockgate() -> list[str]:
    """The lockgate of this interpreter's environment (the editable development install): no install step, for
    the quick smoke run."""
    launcher = Path(sys.executable).parent / "lockgate"
    return [str(launcher)] if launcher.is_file() else [sys.executable, "-m", "checker"]


def find_executable(given: str | None, name: str, *candidates: str | Path) -> str | None:
    """``given``, else ``name`` beside this interpreter (the dev venv), on PATH, or at one of ``candidates``."""
    beside = Path(sys.executable).parent / name
    for candidate in (given, beside, shutil.which(name), *candidates):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


# -- measuring ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChildRun:
    """One fresh process: wall and CPU (user + system) milliseconds, peak resident memory in MB, exit code."""

    wall_ms: float
    cpu_ms: float
    peak_mb: float
    code: int
    stdout: bytes


@dataclass(frozen=True, slots=True)
class Measure:
    """Several runs of one thing: median and minimum wall ms, median CPU ms, the largest peak memory seen (MB,
    NaN for in-process calls), the last exit code, how many runs, and the minimum CPU ms."""

    median_ms: float
    min_ms: float
    cpu_ms: float = float("nan")
    peak_mb: float = float("nan")
    code: int = 0
    runs: int = 1
    cpu_min_ms: float = float("nan")


# Runs one command for run_child and reports its own accounting of it. Why a launcher: Linux carries a process's
# peak RSS across exec, and subprocess starts children with vfork, so a child started straight from this (large)
# process would report this process's peak as its own. The launcher is a small interpreter (-S -I) that forks
# the command itself, times it, and writes "wall cpu maxrss" to the file named by its first argument.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as report:
    report.write(f"{wall} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_child(command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None,
              ok_codes: Iterable[int] = (0, 1)) -> ChildRun:
    """Run ``command`` once as a fresh process and account for exactly that process (through ``_LAUNCHER``).

    stdout goes to a temporary file (a pipe would need draining while the child runs); stderr too, and its
    tail is the error when the exit code is not one of ``ok_codes``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".usage") as usage:
        done = subprocess.run([sys.executable, "-S", "-I", "-c", _LAUNCHER, usage.name, *command], cwd=cwd,
                              env=env if env is not None else git_env(), stdout=out, stderr=err,
                              stdin=subprocess.DEVNULL)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        figures = usage.read().split()
    if done.returncode not in tuple(ok_codes) or len(figures) != 3:
        raise BenchmarkError(f"{' '.join(command)} exited {done.returncode}: "
                             f"{stderr.decode('utf-8', 'replace')[-800:]}")
    wall, cpu, maxrss_kb = (float(x) for x in figures)
    return ChildRun(wall * 1000, cpu * 1000, maxrss_kb / 1024, done.returncode, stdout)


def summarize(runs: Sequence[ChildRun]) -> Measure:
    walls = [r.wall_ms for r in runs]
    cpus = [r.cpu_ms for r in runs]
    return Measure(statistics.median(walls), min(walls), statistics.median(cpus), max(r.peak_mb for r in runs),
                   runs[-1].code, len(runs), min(cpus))


def measure_command(command: Sequence[str], runs: int, cwd: Path | None = None,
                    env: dict[str, str] | None = None, ok_codes: Iterable[int] = (0, 1)) -> Measure:
    """``runs`` fresh processes of one command."""
    return summarize([run_child(command, cwd, env, ok_codes) for _ in range(max(1, runs))])


def measure_interleaved(commands: dict[str, Sequence[str]], runs: int, cwd: Path | None = None,
                        env: dict[str, str] | None = None,
                        ok_codes: Iterable[int] = (0, 1)) -> dict[str, list[ChildRun]]:
    """Several commands, one run of each in turn, ``runs`` rounds: load from other processes falls on all of
    them alike, so their ratio is fairer than that of two separate series. Each command's runs, in order."""
    done: dict[str, list[ChildRun]] = {name: [] for name in commands}
    codes = tuple(ok_codes)
    for _ in range(max(1, runs)):
        for name, command in commands.items():
            done[name].append(run_child(command, cwd, env, codes))
    return done


def paired_ratio(ours: Sequence[ChildRun], theirs: Sequence[ChildRun]) -> float:
    """Median of the per-round wall-time ratios ours / theirs."""
    return statistics.median(a.wall_ms / b.wall_ms for a, b in zip(ours, theirs))


def measure_call(function: Callable[[], object], runs: int, warm_up: bool = True) -> Measure:
    """``runs`` calls of ``function`` in this process (after one warm-up call: imports, compiled patterns)."""
    if warm_up:
        function()
    walls, cpus = [], []
    for _ in range(max(1, runs)):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        cpus.append((time.process_time() - start_cpu) * 1000)
        walls.append((time.perf_counter() - start) * 1000)
    return Measure(statistics.median(walls), min(walls), statistics.median(cpus), runs=len(walls))


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
