"""GitHub Actions and container images: lockgate next to zizmor on pypi/warehouse's workflows and Dockerfile.

    python benchmarks/actions.py [--runs N] [--corpus DIR] [--zizmor PATH]   (part of: benchmarks/suite.py)

Measures, side by side as fresh processes (the commands alternate, so that load from other processes falls on
all of them alike):
- ``lockgate check --all --head HEAD --offline`` on a repository holding warehouse's seven workflows and its
  Dockerfile (a regular, compiled install), next to ``zizmor --offline`` on the same workflows (zizmor does not
  read Dockerfiles). Target: lockgate at most 1.5x zizmor (issue 4).
- the same lockgate check on a repository with no manifest (the core's fixed cost);
- in process: lockgate's parse of the seven workflows next to a bare YAML load of them (the floor).
And checks the oracle: lockgate's action-pinning findings equal zizmor's unpinned-uses findings under zizmor's
default policy (a blanket hash-pin, lockgate's default too), on warehouse's workflows plus
tests/fixtures/zizmor_oracle.

zizmor is a test dependency of lockgate (the dev venv has it); ``--zizmor`` or PATH name another.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness import (  # noqa: E402
    DEFAULT_CORPUS,
    PROJECT,
    Measure,
    commit_all,
    find_executable,
    git_env,
    init_repository,
    install_fresh,
    measure_call,
    measure_interleaved,
    paired_ratio,
    summarize,
)

WAREHOUSE = "real/pypi-warehouse"
ORACLE_FIXTURES = PROJECT / "tests" / "fixtures" / "zizmor_oracle"
ZIZMOR_FOUND = (10, 11, 12, 13, 14)  # zizmor's exit codes for findings, by severity


def find_zizmor(given: str | None) -> str | None:
    return find_executable(given, "zizmor", "/tmp/zizmor-venv/bin/zizmor")


def make_repo(root: Path, corpus: Path, with_oracle: bool) -> Path:
    repo = root / ("oracle" if with_oracle else "warehouse")
    workflows = repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for path in sorted((corpus / WAREHOUSE / ".github" / "workflows").glob("*.yml")):
        shutil.copy(path, workflows / path.name)
    if with_oracle:
        shutil.copytree(ORACLE_FIXTURES / ".github", repo / ".github", dirs_exist_ok=True)
    else:
        shutil.copy(corpus / WAREHOUSE / "Dockerfile", repo / "Dockerfile")
    init_repository(repo)
    commit_all(repo, "tree")
    return repo


def make_empty_repo(root: Path) -> Path:
    empty = root / "empty"
    init_repository(empty)
    (empty / "README.md").write_text("no manifest here\n")
    commit_all(empty, "empty")
    return empty


def oracle(lockgate: list[str], zizmor: str, repo: Path) -> tuple[set, set]:
    """(lockgate's action-pinning findings, zizmor's unpinned-uses findings), each as (file, line) pairs."""
    done = subprocess.run([*lockgate, "check", "--all", "--head", "HEAD", "--offline", "--format", "json"],
                          cwd=repo, capture_output=True, text=True, env=git_env())
    ours = {(f["manifest"], f["line"]) for f in json.loads(done.stdout)["findings"] if f["rule"] == "action-pinning"}
    done = subprocess.run([zizmor, "--offline", "--no-config", "--no-progress", "--format", "json", ".github"],
                          cwd=repo, capture_output=True, text=True, env=git_env())
    theirs = set()
    for finding in json.loads(done.stdout):
        for location in finding["locations"] if finding["ident"] == "unpinned-uses" else []:
            if (location["symbolic"].get("annotation") or "").startswith("action is not pinned"):
                path = location["symbolic"]["key"]["Local"]["verbatim_path"]
                line = location["concrete"]["location"]["start_point"]["row"] + 1
                if "docker://" not in (repo / path).read_text().splitlines()[line - 1]:
                    theirs.add((path, line))
    return ours, theirs


@dataclass(frozen=True, slots=True)
class ActionsFigures:
    """lockgate and zizmor on the same workflows; ``empty``: lockgate on a repository with no manifest."""

    ours: Measure
    theirs: Measure
    ratio: float
    empty: Measure
    oracle_ours: int
    oracle_theirs: int
    oracle_equal: bool
    oracle_difference: str


def compare(lockgate: list[str], zizmor: str, root: Path, corpus: Path, runs: int) -> ActionsFigures:
    repo = make_repo(root, corpus, with_oracle=False)
    empty = make_empty_repo(root)
    check = [*lockgate, "check", "--all", "--head", "HEAD", "--offline"]
    workflows = sorted(str(p.relative_to(repo)) for p in (repo / ".github" / "workflows").glob("*.yml"))
    # All three in the same rounds (the empty repository through -C); zizmor exits 10-14 when it finds something.
    done = measure_interleaved({"lockgate": check, "zizmor": [zizmor, "--offline", "--no-progress", *workflows],
                                "empty": [*check, "-C", str(empty)]}, runs, cwd=repo, ok_codes=(0, 1, *ZIZMOR_FOUND))
    mine, theirs = oracle(lockgate, zizmor, make_repo(root, corpus, with_oracle=True))
    difference = "" if mine == theirs else (f"only lockgate {sorted(mine - theirs)}, "
                                            f"only zizmor {sorted(theirs - mine)}")
    return ActionsFigures(summarize(done["lockgate"]), summarize(done["zizmor"]),
                          paired_ratio(done["lockgate"], done["zizmor"]), summarize(done["empty"]), len(mine),
                          len(theirs), mine == theirs, difference)


def parse_figures(corpus: Path, runs: int) -> tuple[Measure, Measure, str]:
    """lockgate's parse of the seven workflows, in process, and the bare YAML load of the same texts."""
    from checker.manifests import workflow
    from js_locks import yaml_floor

    texts = [(p.name, p.read_text()) for p in sorted((corpus / WAREHOUSE / ".github" / "workflows").glob("*.yml"))]
    loader, label = yaml_floor()

    def ours() -> None:
        for name, text in texts:
            workflow.parse(text, f".github/workflows/{name}", lambda p: None)

    def floor() -> None:
        for _, text in texts:
            loader.load(text)

    return measure_call(ours, runs), measure_call(floor, runs), label


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--zizmor", help="path to the zizmor binary")
    args = parser.parse_args()
    zizmor = find_zizmor(args.zizmor)
    if zizmor is None:
        raise SystemExit("zizmor not found: install lockgate's test extra, or pass --zizmor")
    with tempfile.TemporaryDirectory(prefix="lockgate-bench-actions-") as tmp:
        lockgate = install_fresh(Path(tmp))
        figures = compare(lockgate, zizmor, Path(tmp), args.corpus, args.runs)
    ours, floor, label = parse_figures(args.corpus, args.runs)
    print(f"lockgate check --all --offline   {figures.ours.median_ms:7.1f} ms (min {figures.ours.min_ms:.1f})")
    print(f"zizmor --offline                 {figures.theirs.median_ms:7.1f} ms (min {figures.theirs.min_ms:.1f})")
    print(f"lockgate / zizmor (paired)       {figures.ratio:7.2f}   (target <= 1.5)")
    print(f"lockgate, no manifest            {figures.empty.median_ms:7.1f} ms")
    print(f"oracle                           {figures.oracle_ours} vs {figures.oracle_theirs} "
          f"{'equal' if figures.oracle_equal else 'DIFFER: ' + figures.oracle_difference}")
    print(f"parse 7 workflows                {ours.median_ms:7.1f} ms vs {label} {floor.median_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
