"""GitHub Actions and container images: lockgate next to zizmor on pypi/warehouse's workflows and Dockerfile.

    python benchmarks/actions.py [--runs N] [--corpus DIR] [--zizmor PATH] [--clib DIR]

Measures, side by side, as fresh processes (wall-clock medians):
- ``lockgate check --all --head HEAD --offline`` on a repository holding warehouse's seven workflows and its
  Dockerfile (a regular, compiled install of lockgate), next to ``zizmor --offline`` on the same workflows
  (zizmor does not read Dockerfiles). Target: lockgate at most 1.5x zizmor.
- the same lockgate check with ruamel.yaml's C parser (``--clib DIR``: a site-packages folder holding
  ``ruamel.yaml.clib``, e.g. from ``pip install --target /tmp/clib ruamel.yaml.clib``), when given;
- in process: lockgate's parse of the seven workflows (YAML compose + walk) and of the Dockerfile.
And checks the oracle: lockgate's action-pinning findings equal zizmor's unpinned-uses findings, under zizmor's
default policy (a blanket hash-pin, lockgate's default too), on warehouse's workflows plus
tests/fixtures/zizmor_oracle.

zizmor is not a lockgate dependency: ``python -m venv /tmp/zizmor-venv && /tmp/zizmor-venv/bin/pip install
zizmor``; pass ``--zizmor`` or have it on PATH (or at /tmp/zizmor-venv/bin/zizmor). Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import DEFAULT_CORPUS, _git, in_process, install_fresh, wall  # noqa: E402

WAREHOUSE = "real/pypi-warehouse"
ORACLE_FIXTURES = HERE.parent / "tests" / "fixtures" / "zizmor_oracle"


def find_zizmor(given: str | None) -> str | None:
    for candidate in (given, shutil.which("zizmor"), "/tmp/zizmor-venv/bin/zizmor"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


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
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "tree")
    return repo


def with_clib(launcher: list[str], clib: Path) -> list[str]:
    """A second launcher of the same install whose path also holds ruamel.yaml.clib."""
    original = Path(launcher[0])
    copy = original.with_name("lockgate-clib")
    python = original.parent / "python"
    copy.write_text(
        f"#!{python}\nimport sys\nsys.path.append({str(clib)!r})\nfrom checker.cli import main\nsys.exit(main())\n"
    )
    copy.chmod(0o755)
    return [str(copy)]


def oracle(lockgate: list[str], zizmor: str, repo: Path) -> tuple[set, set]:
    done = subprocess.run([*lockgate, "check", "--all", "--head", "HEAD", "--offline", "--format", "json"],
                          cwd=repo, capture_output=True, text=True)
    ours = {(f["manifest"], f["line"]) for f in json.loads(done.stdout)["findings"] if f["rule"] == "action-pinning"}
    done = subprocess.run([zizmor, "--offline", "--no-config", "--no-progress", "--format", "json", ".github"],
                          cwd=repo, capture_output=True, text=True)
    theirs = set()
    for finding in json.loads(done.stdout):
        for location in finding["locations"] if finding["ident"] == "unpinned-uses" else []:
            if (location["symbolic"].get("annotation") or "").startswith("action is not pinned"):
                path = location["symbolic"]["key"]["Local"]["verbatim_path"]
                line = location["concrete"]["location"]["start_point"]["row"] + 1
                if "docker://" not in (repo / path).read_text().splitlines()[line - 1]:
                    theirs.add((path, line))
    return ours, theirs


def parse_times(corpus: Path, runs: int) -> list[tuple[str, float]]:
    from checker.manifests import dockerfile, workflow

    texts = [(p.name, p.read_text()) for p in sorted((corpus / WAREHOUSE / ".github" / "workflows").glob("*.yml"))]
    docker = (corpus / WAREHOUSE / "Dockerfile").read_text()

    def workflows() -> None:
        for name, text in texts:
            workflow.parse(text, f".github/workflows/{name}", lambda p: None)

    try:
        import _ruamel_yaml  # noqa: F401

        parser = "C parser"
    except ImportError:
        parser = "pure-Python parser"
    return [
        (f"parse 7 workflows, in process ({parser})", in_process(workflows, runs)),
        ("parse the Dockerfile, in process", in_process(lambda: dockerfile.parse(docker, "Dockerfile", lambda p: None), runs)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("LOCKGATE_CORPUS", DEFAULT_CORPUS)))
    parser.add_argument("--zizmor", help="path to the zizmor binary")
    parser.add_argument("--clib", type=Path, help="a folder holding ruamel.yaml.clib (pip install --target DIR)")
    args = parser.parse_args()
    if not (args.corpus / WAREHOUSE).is_dir():
        raise SystemExit(f"corpus not found at {args.corpus}")
    zizmor = find_zizmor(args.zizmor)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="lockgate-bench-actions-") as tmp:
        root = Path(tmp)
        lockgate = install_fresh(root)
        repo = make_repo(root, args.corpus, with_oracle=False)
        check = [*lockgate, "check", "--all", "--head", "HEAD", "--offline"]
        empty = root / "empty"
        empty.mkdir()
        (empty / "README.md").write_text("no manifest here\n")
        _git(empty, "init", "-q", "-b", "main")
        _git(empty, "add", "-A")
        _git(empty, "commit", "-q", "-m", "empty")
        commands = {"lockgate": check}
        if args.clib:
            commands["clib"] = [*with_clib(lockgate, args.clib), *check[1:]]
        if zizmor:
            workflows = sorted(str(p.relative_to(repo)) for p in (repo / ".github" / "workflows").glob("*.yml"))
            commands["zizmor"] = [zizmor, "--offline", "--no-progress", *workflows]
        # Interleaved, one run of each in turn, so that load from other processes falls on all of them alike.
        times: dict[str, list[float]] = {name: [] for name in commands}
        times["floor"] = []
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(wall(command, 1, cwd=repo)[0])
            times["floor"].append(wall(check, 1, cwd=empty)[0])
        ours = statistics.median(times["lockgate"])
        rows.append(("lockgate check --all --offline (7 workflows + Dockerfile)", f"{ours:7.1f} ms"))
        rows.append(("  the same on a repository with no manifest (the core's floor)",
                     f"{statistics.median(times['floor']):7.1f} ms"))
        if args.clib:
            fast = statistics.median(times["clib"])
            rows.append(("  the same, with ruamel.yaml.clib", f"{fast:7.1f} ms"))
        if zizmor:
            theirs = statistics.median(times["zizmor"])
            ratios = [a / b for a, b in zip(times["lockgate"], times["zizmor"])]
            rows.append(("zizmor --offline (the same 7 workflows)", f"{theirs:7.1f} ms"))
            rows.append(("lockgate / zizmor, median of paired runs (target <= 1.5)", f"{statistics.median(ratios):7.2f}"))
            if args.clib:
                ratios = [a / b for a, b in zip(times["clib"], times["zizmor"])]
                rows.append(("lockgate with clib / zizmor, median of paired runs", f"{statistics.median(ratios):7.2f}"))
            mine, theirs_set = oracle(lockgate, zizmor, make_repo(root, args.corpus, with_oracle=True))
            verdict = "equal" if mine == theirs_set else f"DIFFER: only lockgate {sorted(mine - theirs_set)}, only zizmor {sorted(theirs_set - mine)}"
            rows.append(("oracle: action-pinning vs unpinned-uses", f"{len(mine)} vs {len(theirs_set)} findings, {verdict}"))
        else:
            rows.append(("zizmor", "not installed: comparison skipped"))
    for label, ms in parse_times(args.corpus, args.runs):
        rows.append((label, f"{ms:7.1f} ms"))
    width = max(len(label) for label, _ in rows)
    print(f"{'measure':{width}}  value")
    for label, value in rows:
        print(f"{label:{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
