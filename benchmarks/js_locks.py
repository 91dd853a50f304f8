"""Parse times of the JavaScript lockfiles: lockgate next to the YAML-loading floor a naive design pays.

    python benchmarks/js_locks.py [--runs N] [--corpus DIR]

For each real lockfile of the corpus (vuejs/core's pnpm-lock.yaml, prettier's Berry yarn.lock, vercel/hyper's
classic yarn.lock) it prints the median (and fastest) wall time, in one warm process, of:
- lockgate's whole parse: text -> Manifest (YAML reading, entries, sources, hashes, the scope walk);
- lockgate's YAML reader alone (``lockyaml.read_fast``), and lockgate's parse forced onto the full loader;
- the floors: ruamel.yaml's safe loader, pure Python and, when ruamel.yaml.clib is importable, its C parser
  (libyaml; a floor only: it rejects the `{tarball: https://...}` flow mappings pnpm writes, so lockgate's own
  fallback uses the pure loader).
  Classic yarn.lock is not YAML and has no standard loader: its line gives lockgate's throughput instead.

Each figure is the median wall time, the fastest wall time, and the median CPU time of the process. The target
is a parse under 60 ms per file. Nothing is asserted: tests check behaviour, this prints figures. The machine is
shared: the load average is printed before and after; re-run when the figures look noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
DEFAULT_CORPUS = HERE.parents[1] / "shared" / "corpus"
TARGET_MS = 60.0


def timed(function, runs: int) -> tuple[float, float, float]:
    """(median wall ms, fastest wall ms, median CPU ms) of ``runs`` calls, after one warm-up call. The CPU time
    leaves out the time the process waited for a core, which on a busy shared machine is most of the noise."""
    function()
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        cpus.append((time.process_time() - start_cpu) * 1000)
        walls.append((time.perf_counter() - start) * 1000)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def reader_for(directory: Path):
    def read(path: str) -> str | None:
        target = directory / path
        return target.read_text(encoding="utf-8") if target.is_file() else None

    return read


def ruamel_loaders() -> list[tuple[str, object]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.main import CParser

    loaders = [("ruamel.yaml safe, pure Python", YAML(typ="safe", pure=True))]
    if CParser is not None:
        loaders.append(("ruamel.yaml safe, C parser", YAML(typ="safe")))
    return loaders


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--floor-runs", type=int, default=3, help="runs of the (slow) YAML floors")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)

    from checker.manifests import lockyaml, pnpm_lock, yarn_lock

    files = [
        ("vuejs/core pnpm-lock.yaml (v9)", args.corpus / "real" / "vuejs-core" / "pnpm-lock.yaml", "yaml"),
        ("prettier yarn.lock (Berry)", args.corpus / "real" / "prettier-prettier" / "yarn.lock", "yaml"),
        ("vercel/hyper yarn.lock (classic)", args.corpus / "real" / "vercel-hyper" / "yarn.lock", "classic"),
    ]
    missing = [str(path) for _, path, _ in files if not path.is_file()]
    if missing:
        print(f"corpus files missing: {', '.join(missing)}", file=sys.stderr)
        return 2
    loaders = ruamel_loaders()
    if len(loaders) == 1:
        print("(ruamel.yaml.clib is not importable: no C-parser floor)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'file':34} {'KB':>5}  {'what':44} {'median ms':>9} {'min ms':>7} {'CPU ms':>7}  note")
    for label, path, kind in files:
        text = path.read_text(encoding="utf-8")
        size = len(text.encode("utf-8"))
        name = path.name
        if name == "pnpm-lock.yaml":
            parse = lambda: pnpm_lock.parse(text, name, reader_for(path.parent))  # noqa: E731
            slow = lambda: pnpm_lock.parse_lock(text, name, fast=False)  # noqa: E731
        else:
            parse = lambda: yarn_lock.parse(text, name, reader_for(path.parent))  # noqa: E731
            slow = None
        rows: list[tuple[str, tuple[float, float, float] | None, str]] = []
        figures = timed(parse, args.runs)
        verdict = "under target" if figures[0] < TARGET_MS else "OVER TARGET"
        rows.append(("lockgate parse -> Manifest", figures,
                     f"{verdict} ({TARGET_MS:.0f} ms); {size / 1024 / figures[0]:.0f} KB/ms"))
        if kind == "yaml":
            depth = 2 if name == "pnpm-lock.yaml" else 1
            rows.append(("  of which lockyaml fast reader", timed(lambda: lockyaml.read_fast(text, depth), args.runs), ""))
            if slow is not None:
                rows.append(("lockgate parse, forced onto the full loader", timed(slow, args.floor_runs),
                             "files outside the subset"))
            for loader_label, loader in loaders:
                rows.append((f"floor: {loader_label}", timed(lambda: loader.load(text), args.floor_runs),  # type: ignore[attr-defined]
                             "YAML load only, no manifest"))
        else:
            rows.append(("floor: none (not YAML)", None, f"{size / 1000:.0f} KB; no standard loader"))
        for index, (what, found, note) in enumerate(rows):
            head = f"{label:34} {size / 1024:5.0f}" if index == 0 else f"{'':34} {'':>5}"
            shown = f"{found[0]:9.1f} {found[1]:7.1f} {found[2]:7.1f}" if found else f"{'-':>9} {'-':>7} {'-':>7}"
            print(f"{head}  {what:44} {shown}  {note}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
