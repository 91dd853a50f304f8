"""lockgate's benchmarks: wall times of real commands on real files, with the bare parser as the floor.

    python benchmarks/run.py [--runs N] [--corpus DIR]

Measures, in one run and side by side:
- start-up: ``lockgate --version`` and a check of a commit that changes no manifest (target < 80 ms);
- ``lockgate diff`` of two revisions of a repository holding pypi/warehouse's requirements files and
  pydantic-ai's uv.lock where a few packages changed (target < 300 ms), next to two bare ``tomllib`` loads
  of that uv.lock (the floor a naive design pays);
- each real lockfile's parse by lockgate next to the bare ``tomllib``/``json`` load of the same file.

Times are wall-clock medians over several runs of fresh processes. Nothing here is asserted: tests check
behaviour, this prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parents[1] / "shared" / "corpus"


def install_fresh(directory: Path) -> list[str]:
    """lockgate installed as users get it: a fresh virtual environment, a regular (non-editable) install with
    compiled bytecode. Its dependencies come from this interpreter's environment through a path entry, so no
    network is needed."""
    import site
    import sysconfig

    venv = directory / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    (target / "lockgate-bench-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), "--upgrade", str(HERE.parent)], check=True, env=env)
    subprocess.run([str(venv / "bin" / "python"), "-m", "compileall", "-q", str(target / "checker")], check=True, env=env)
    launcher = venv / "bin" / "lockgate"
    launcher.write_text(f"#!{venv / 'bin' / 'python'}\nimport sys\nfrom checker.cli import main\nsys.exit(main())\n")
    launcher.chmod(0o755)
    del site
    return [str(launcher)]


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid", GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="bench@example.invalid", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return env


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=_git_env(), check=True, capture_output=True, text=True).stdout.strip()


def wall(command: list[str], runs: int, cwd: Path | None = None) -> tuple[float, float, int]:
    """(median ms, min ms, exit code) of a command run ``runs`` times as a fresh process."""
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, env=_git_env())
        times.append((time.perf_counter() - start) * 1000)
        code = done.returncode
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({code}): {done.stderr.decode()[-500:]}")
    return statistics.median(times), min(times), code


def in_process(function, runs: int) -> float:  # type: ignore[no-untyped-def]
    """Median ms of calling ``function`` in this process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _bump_uv_lock(text: str, names: list[str]) -> str:
    """Change the version and the first hash of a few packages, as a real upgrade would."""
    for name in names:
        pattern = re.compile(r'(\[\[package\]\]\nname = "' + re.escape(name) + r'"\nversion = ")([^"]+)(")')
        text, count = pattern.subn(lambda m: m.group(1) + m.group(2) + ".post1" + m.group(3), text, count=1)
        if not count:
            raise SystemExit(f"benchmark set-up: {name} not found in uv.lock")
        start = text.index(f'name = "{name}"')
        end = text.find("[[package]]", start)
        block = re.sub(r"sha256:([0-9a-f]{64})", lambda m: "sha256:" + m.group(1)[::-1], text[start:end], count=1)
        text = text[:start] + block + text[end:]
    return text


def _bump_requirement(text: str, name: str) -> str:
    pattern = re.compile(r"^(" + re.escape(name) + r"==)([^ \\\n]+)", re.MULTILINE)
    new, count = pattern.subn(lambda m: m.group(1) + m.group(2) + ".post1", text, count=1)
    if not count:
        raise SystemExit(f"benchmark set-up: {name} not found")
    return new


def build_repository(corpus: Path, directory: Path) -> tuple[str, str, str]:
    """base: warehouse requirements + pydantic-ai uv.lock; head: a few bumps; docs: a commit touching no manifest."""
    directory.mkdir(parents=True)
    _git(directory, "init", "-q", "-b", "main")
    shutil.copytree(corpus / "real" / "pypi-warehouse" / "requirements", directory / "requirements")
    (directory / "ai").mkdir()
    shutil.copy(corpus / "real" / "pydantic-pydantic-ai" / "uv.lock", directory / "ai" / "uv.lock")
    shutil.copy(corpus / "real" / "pydantic-pydantic-ai" / "pyproject.toml", directory / "ai" / "pyproject.toml")
    (directory / "README.md").write_text("bench\n")
    _git(directory, "add", "-A")
    _git(directory, "commit", "-q", "-m", "base")
    base = _git(directory, "rev-parse", "HEAD")
    uv_lock = directory / "ai" / "uv.lock"
    uv_lock.write_text(_bump_uv_lock(uv_lock.read_text(), ["anyio", "httpx", "rich"]))
    main_txt = directory / "requirements" / "main.txt"
    main_txt.write_text(_bump_requirement(_bump_requirement(main_txt.read_text(), "alembic"), "boto3"))
    _git(directory, "commit", "-q", "-am", "bump")
    head = _git(directory, "rev-parse", "HEAD")
    (directory / "README.md").write_text("bench, again\n")
    _git(directory, "commit", "-q", "-am", "docs")
    docs = _git(directory, "rev-parse", "HEAD")
    # Staged, not committed: what the pre-commit hook judges.
    uv_lock.write_text(_bump_uv_lock(uv_lock.read_text(), ["certifi"]))
    _git(directory, "add", "ai/uv.lock")
    return base, head, docs


def parse_benchmarks(corpus: Path, runs: int) -> list[tuple[str, float, float]]:
    """(file, lockgate parse ms, bare load ms) for each real lockfile."""
    import tomllib

    from checker.manifests import format_for

    rows = []
    files = [
        "real/pydantic-pydantic-ai/uv.lock",
        "real/python-poetry-poetry/poetry.lock",
        "real/pypa-pipenv/Pipfile.lock",
        "real/0b01001001-spectree/pylock.toml",
        "real/pydantic-pydantic-ai/pyproject.toml",
        "real/pypi-warehouse/requirements/main.txt",
    ]
    for relative in files:
        path = corpus / relative
        if not path.exists():
            continue
        text = path.read_text()
        name = path.name
        fmt = format_for(("requirements/" if name.endswith(".txt") else "") + name)
        assert fmt is not None, relative
        siblings = {p.name: p.read_text() for p in path.parent.iterdir() if p.is_file() and p.suffix in (".toml", ".txt", "") }

        def read(other: str, siblings=siblings) -> str | None:  # type: ignore[no-untyped-def]
            return siblings.get(os.path.basename(other))

        parse_ms = in_process(lambda: fmt.parse(text, ("requirements/" if name.endswith(".txt") else "") + name, read), runs)
        if name.endswith(".lock") and name != "Pipfile.lock" or name.endswith(".toml"):
            floor_ms = in_process(lambda: tomllib.loads(text), runs)
        elif name.endswith("Pipfile.lock"):
            floor_ms = in_process(lambda: json.loads(text), runs)
        else:
            floor_ms = float("nan")
        rows.append((relative, parse_ms, floor_ms))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("LOCKGATE_CORPUS", DEFAULT_CORPUS)))
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"corpus not found at {args.corpus}; pass --corpus")
    print(f"lockgate benchmarks  (python {sys.version.split()[0]}, {os.cpu_count()} cpus, median of {args.runs} runs)\n")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        lockgate = install_fresh(Path(tmp))
        base, head, docs = build_repository(args.corpus, repo)
        python_ms, _, _ = wall([sys.executable, "-c", "pass"], args.runs)
        version_ms, version_min, _ = wall(lockgate + ["--version"], args.runs)
        nochange_ms, nochange_min, _ = wall(lockgate + ["check", "--base", head, "--head", docs], args.runs, repo)
        diff_ms, diff_min, _ = wall(lockgate + ["diff", "--base", base, "--head", head], args.runs, repo)
        check_ms, check_min, _ = wall(lockgate + ["check", "--base", base, "--head", head, "--offline"], args.runs, repo)
        hook_ms, hook_min, _ = wall(lockgate + ["check", "--hook"], args.runs, repo)
        diff_out = subprocess.run(lockgate + ["diff", "--base", base, "--head", head], cwd=repo, capture_output=True, text=True).stdout
    import tomllib

    uv_text = (args.corpus / "real/pydantic-pydantic-ai/uv.lock").read_text()
    floor_ms = in_process(lambda: (tomllib.loads(uv_text), tomllib.loads(uv_text)), max(3, args.runs // 2))

    print("| command | median ms | min ms | target |")
    print("|---|---:|---:|---|")
    print(f"| python -c pass (interpreter alone) | {python_ms:.0f} | | |")
    print(f"| lockgate --version | {version_ms:.0f} | {version_min:.0f} | < 80 |")
    print(f"| lockgate check, commit touching no manifest | {nochange_ms:.0f} | {nochange_min:.0f} | < 80 |")
    print(f"| lockgate diff, warehouse requirements + pydantic-ai uv.lock, 5 bumps | {diff_ms:.0f} | {diff_min:.0f} | < 300 |")
    print(f"| lockgate check --offline, same revisions | {check_ms:.0f} | {check_min:.0f} | |")
    print(f"| lockgate check --hook, a bump staged in that uv.lock | {hook_ms:.0f} | {hook_min:.0f} | < 250 |")
    print(f"| floor: two bare tomllib loads of that uv.lock (in process) | {floor_ms:.0f} | | |")
    print(f"\nlockgate diff / floor = {diff_ms / floor_ms:.2f}  (the whole command, start-up included, vs two bare loads)")
    print(f"changes found: {len(diff_out.splitlines())}\n")

    print("| file | lockgate parse ms | bare tomllib/json ms | ratio |")
    print("|---|---:|---:|---:|")
    for relative, parse_ms, bare_ms in parse_benchmarks(args.corpus, args.runs):
        ratio = f"{parse_ms / bare_ms:.2f}" if bare_ms == bare_ms else "-"
        bare = f"{bare_ms:.1f}" if bare_ms == bare_ms else "-"
        print(f"| {relative} | {parse_ms:.1f} | {bare} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
