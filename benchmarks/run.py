"""Start-up, the Python diff and the pre-commit hook on real files, with the bare parser as the floor.

    python benchmarks/run.py [--runs N] [--corpus DIR]     (part of: python benchmarks/suite.py)

Measures, in one run and side by side:
- start-up: ``lockgate --version`` and a check of a commit that changes no manifest (target < 80 ms);
- ``lockgate diff`` of two revisions of a repository holding pypi/warehouse's requirements files and
  pydantic-ai's uv.lock where a few packages changed (target < 300 ms), next to two bare ``tomllib`` loads
  of that uv.lock (the floor a naive design pays);
- ``lockgate check --hook`` on a bump staged in that uv.lock (target < 250 ms);
- each real Python lockfile's parse by lockgate next to the bare ``tomllib``/``json`` load of the same file.

Every command is a fresh process of a regular install (wall time, CPU time, peak memory); nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness import (  # noqa: E402
    DEFAULT_CORPUS,
    BenchmarkError,
    Measure,
    commit_all,
    git,
    init_repository,
    install_fresh,
    measure_call,
    measure_command,
)

UV_LOCK = "real/pydantic-pydantic-ai/uv.lock"
PYTHON_FILES = (
    "real/pydantic-pydantic-ai/uv.lock",
    "real/python-poetry-poetry/poetry.lock",
    "real/pypa-pipenv/Pipfile.lock",
    "real/0b01001001-spectree/pylock.toml",
    "real/pydantic-pydantic-ai/pyproject.toml",
    "real/pypi-warehouse/requirements/main.txt",
)


@dataclass(frozen=True, slots=True)
class PythonRepository:
    """base: warehouse requirements + pydantic-ai uv.lock; head: five bumps; docs: a commit touching no
    manifest; and a bump staged in the uv.lock (what the pre-commit hook judges)."""

    path: Path
    base: str
    head: str
    docs: str


def _bump_uv_lock(text: str, names: list[str]) -> str:
    """Change the version and the first hash of a few packages, as a real upgrade would."""
    for name in names:
        pattern = re.compile(r'(\[\[package\]\]\nname = "' + re.escape(name) + r'"\nversion = ")([^"]+)(")')
        text, count = pattern.subn(lambda m: m.group(1) + m.group(2) + ".post1" + m.group(3), text, count=1)
        if not count:
            raise BenchmarkError(f"benchmark set-up: {name} not found in uv.lock")
        start = text.index(f'name = "{name}"')
        end = text.find("[[package]]", start)
        block = re.sub(r"sha256:([0-9a-f]{64})", lambda m: "sha256:" + m.group(1)[::-1], text[start:end], count=1)
        text = text[:start] + block + text[end:]
    return text


def _bump_requirement(text: str, name: str) -> str:
    pattern = re.compile(r"^(" + re.escape(name) + r"==)([^ \\\n]+)", re.MULTILINE)
    new, count = pattern.subn(lambda m: m.group(1) + m.group(2) + ".post1", text, count=1)
    if not count:
        raise BenchmarkError(f"benchmark set-up: {name} not found")
    return new


def build_repository(corpus: Path, directory: Path) -> PythonRepository:
    init_repository(directory)
    shutil.copytree(corpus / "real" / "pypi-warehouse" / "requirements", directory / "requirements")
    (directory / "ai").mkdir()
    shutil.copy(corpus / UV_LOCK, directory / "ai" / "uv.lock")
    shutil.copy(corpus / "real" / "pydantic-pydantic-ai" / "pyproject.toml", directory / "ai" / "pyproject.toml")
    (directory / "README.md").write_text("bench\n")
    base = commit_all(directory, "base")
    uv_lock = directory / "ai" / "uv.lock"
    uv_lock.write_text(_bump_uv_lock(uv_lock.read_text(), ["anyio", "httpx", "rich"]))
    main_txt = directory / "requirements" / "main.txt"
    main_txt.write_text(_bump_requirement(_bump_requirement(main_txt.read_text(), "alembic"), "boto3"))
    head = commit_all(directory, "bump")
    (directory / "README.md").write_text("bench, again\n")
    docs = commit_all(directory, "docs")
    uv_lock.write_text(_bump_uv_lock(uv_lock.read_text(), ["certifi"]))
    git(directory, "add", "ai/uv.lock")
    return PythonRepository(directory, base, head, docs)


def commands(lockgate: list[str], repo: PythonRepository) -> dict[str, list[str]]:
    """The lockgate commands measured on the repository, by name."""
    return {
        "version": [*lockgate, "--version"],
        "no-change": [*lockgate, "check", "--base", repo.head, "--head", repo.docs],
        "diff": [*lockgate, "diff", "--base", repo.base, "--head", repo.head],
        "check": [*lockgate, "check", "--base", repo.base, "--head", repo.head, "--offline"],
        "hook": [*lockgate, "check", "--hook"],
    }


def measure_commands(lockgate: list[str], repo: PythonRepository, runs: int) -> dict[str, Measure]:
    found = {"python": measure_command([sys.executable, "-c", "pass"], runs)}
    for name, command in commands(lockgate, repo).items():
        found[name] = measure_command(command, runs, cwd=repo.path)
    return found


def two_tomllib_loads(corpus: Path, runs: int) -> Measure:
    """The floor of a naive diff of the uv.lock: two bare ``tomllib`` loads (in process)."""
    import tomllib

    text = (corpus / UV_LOCK).read_text()
    return measure_call(lambda: (tomllib.loads(text), tomllib.loads(text)), runs, warm_up=False)


@dataclass(frozen=True, slots=True)
class ParseFigure:
    """lockgate's parse of one real file next to the bare load of the same text (the floor)."""

    file: str
    size: int
    lockgate: Measure
    floor: Measure | None
    floor_label: str


def print_parse_table(figures: list[ParseFigure], floor_digits: int = 1) -> None:
    """The Markdown table the parse benchmarks print (js_locks.py, ruby_php.py, java_locks.py, dotnet_dart.py)."""
    print("| file | KB | lockgate median ms | min ms | floor | floor ms |")
    print("|---|---:|---:|---:|---|---:|")
    for figure in figures:
        floor = f"{figure.floor.median_ms:.{floor_digits}f}" if figure.floor else "-"
        print(f"| {figure.file} | {figure.size / 1024:.0f} | {figure.lockgate.median_ms:.1f} | "
              f"{figure.lockgate.min_ms:.1f} | {figure.floor_label} | {floor} |")


def _reader(directory: Path):  # type: ignore[no-untyped-def]
    def read(path: str) -> str | None:
        target = directory / Path(path).name
        return target.read_text() if target.is_file() else None

    return read


def parse_figures(corpus: Path, runs: int) -> list[ParseFigure]:
    """(file, lockgate parse, bare load) for each real Python manifest of the corpus, in process."""
    import tomllib

    from checker.manifests import format_for

    figures = []
    for relative in PYTHON_FILES:
        path = corpus / relative
        if not path.is_file():
            continue
        text = path.read_text()
        name = ("requirements/" if path.suffix == ".txt" else "") + path.name
        fmt = format_for(name)
        if fmt is None:
            raise BenchmarkError(f"{relative}: lockgate reads no such file")
        read = _reader(path.parent)
        ours = measure_call(lambda: fmt.parse(text, name, read), runs)  # type: ignore[union-attr]
        if path.suffix == ".txt":
            floor, label = None, "none (pip's syntax)"
        elif path.name == "Pipfile.lock":
            floor, label = measure_call(lambda: json.loads(text), runs), "json.loads"
        else:
            floor, label = measure_call(lambda: tomllib.loads(text), runs), "tomllib.loads"
        figures.append(ParseFigure(relative, len(text.encode()), ours, floor, label))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"corpus not found at {args.corpus}; pass --corpus")
    with tempfile.TemporaryDirectory() as tmp:
        lockgate = install_fresh(Path(tmp))
        repo = build_repository(args.corpus, Path(tmp) / "repo")
        found = measure_commands(lockgate, repo, args.runs)
    found["floor"] = two_tomllib_loads(args.corpus, max(3, args.runs // 2))
    print("| measure | median ms | min ms | peak MB |")
    print("|---|---:|---:|---:|")
    for name, measure in found.items():
        print(f"| {name} | {measure.median_ms:.0f} | {measure.min_ms:.0f} | {measure.peak_mb:.0f} |")
    print("\n| file | lockgate parse ms | floor | floor ms |")
    print("|---|---:|---|---:|")
    for figure in parse_figures(args.corpus, args.runs):
        floor = f"{figure.floor.median_ms:.1f}" if figure.floor else "-"
        print(f"| {figure.file} | {figure.lockgate.median_ms:.1f} | {figure.floor_label} | {floor} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
