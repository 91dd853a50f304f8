"""Synthetic scale: ``lockgate diff`` and ``lockgate check --offline`` of a pull request changing 10% of a lockfile
of 1k, 10k and 50k entries, in every format, with the slope between sizes.

    python benchmarks/scale.py [--formats NAME,...] [--sizes 1000,10000,50000] [--runs N]
                                                                    (part of: python benchmarks/suite.py)

The repositories come from benchmarks/synthetic.py. Each command is a fresh process (wall time, CPU time, peak
memory); the sizes of one format are measured in turns (run 1 of every size, then run 2, ...), so that a slow
spell of a shared machine does not fall on one size only. Growth is judged on the marginal cost: CPU milliseconds
per 1,000 entries from one size to the next. CPU time, not wall time: on a shared machine one run's wall time is
mostly waiting for a core. And each size's fastest run, not its median: a shared machine's noise only ever adds
time, so the minimum is the closest to what the code costs, while a median of three runs can land in a slow spell
at one size and not the next (the median-based ratio is shown beside it). Linear growth keeps that slope flat (the
ratio of the last slope to the first near 1; a whole-command ratio 50k/10k near 5 once start-up is small beside
the work).
Target (issue 9): a 50k-entry package-lock diff under 2 s and 300 MB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness import ChildRun, Measure, development_lockgate, run_child, summarize  # noqa: E402
from synthetic import FORMATS, FORMATS_BY_NAME, SyntheticFormat, build_repository  # noqa: E402

SIZES = (1000, 10000, 50000)
# GitHub workflows are small files and lockgate refuses one over 2 MiB (checker/manifests/gha_yaml.py): a workflow
# of 50,000 actions would be 4 MB, so the workflow format stops at 10,000.
MAX_ENTRIES = {"workflow": 10000}


@dataclass(frozen=True, slots=True)
class ScaleFigure:
    """One format at one size: the lockfile's size at base, the changes, and both commands' measures."""

    format: str
    entries: int
    size: int
    changes: int
    diff: Measure
    check: Measure


@dataclass(frozen=True, slots=True)
class Slope:
    """How one format's cost grows: CPU ms per 1k entries between consecutive sizes (each size's fastest run),
    the ratio of the last of those slopes to the first (and the same ratio from median runs), and the whole
    command's CPU-time ratio between the two largest sizes."""

    format: str
    command: str
    per_1k: tuple[tuple[int, int, float], ...]
    slope_ratio: float
    size_ratio: tuple[int, int, float]
    memory_per_1k: float
    median_slope_ratio: float


def sizes_for(fmt: SyntheticFormat, sizes: tuple[int, ...]) -> tuple[int, ...]:
    limit = MAX_ENTRIES.get(fmt.name)
    return tuple(size for size in sizes if limit is None or size <= limit)


def measure_format(lockgate: list[str], root: Path, fmt: SyntheticFormat, sizes: tuple[int, ...],
                   runs: int, more_runs: dict[tuple[int, str], int] | None = None) -> list[ScaleFigure]:
    """Every size of one format, interleaved: run k of each size and command before run k+1 of any. The slope
    compares sizes, and a shared machine has slow spells lasting minutes; measured one size after the other, a
    spell falls on one size and bends the slope, measured in turns it falls on all of them alike. ``more_runs``
    raises the run count of some (size, command) after the rounds: a figure judged against a target gets as many
    runs as the suite's other targets."""
    repos = [(entries, build_repository(root / f"{fmt.name.replace(' ', '-').replace('.', '-')}-{entries}", fmt,
                                        entries)) for entries in sizes_for(fmt, sizes)]
    commands: dict[tuple[int, str], tuple[list[str], Path]] = {}
    for entries, repo in repos:
        revisions = ["--base", repo.base, "--head", repo.head]
        commands[(entries, "diff")] = ([*lockgate, "diff", *revisions], repo.path)
        commands[(entries, "check")] = ([*lockgate, "check", "--offline", *revisions], repo.path)
    done: dict[tuple[int, str], list[ChildRun]] = {key: [] for key in commands}
    for _ in range(max(1, runs)):
        for key, (command, cwd) in commands.items():
            done[key].append(run_child(command, cwd))
    for key, total in (more_runs or {}).items():
        if key in commands:
            command, cwd = commands[key]
            while len(done[key]) < total:
                done[key].append(run_child(command, cwd))
    return [ScaleFigure(fmt.name, entries, repo.size, repo.evolution.changes, summarize(done[(entries, "diff")]),
                        summarize(done[(entries, "check")])) for entries, repo in repos]


def measure_scale(lockgate: list[str], root: Path, formats: tuple[SyntheticFormat, ...], sizes: tuple[int, ...],
                  runs: int, progress=None,  # type: ignore[no-untyped-def]
                  more_runs: dict[tuple[str, int, str], int] | None = None) -> list[ScaleFigure]:
    """``more_runs``: (format, size, command) -> run count, for the figures judged against a target."""
    figures = []
    for fmt in formats:
        mine = {(entries, command): total for (name, entries, command), total in (more_runs or {}).items()
                if name == fmt.name}
        for figure in measure_format(lockgate, root, fmt, sizes, runs, mine):
            if progress is not None:
                progress(figure)
            figures.append(figure)
    return figures


def slopes(figures: list[ScaleFigure]) -> list[Slope]:
    """The growth of each format's diff and check, from the figures of at least two sizes."""
    out = []
    for name in dict.fromkeys(f.format for f in figures):
        mine = sorted((f for f in figures if f.format == name), key=lambda f: f.entries)
        if len(mine) < 2:
            continue
        for command in ("diff", "check"):
            measures = [(f.entries, getattr(f, command)) for f in mine]
            per_1k = _per_1k(measures, "cpu_min_ms")
            (small, m_small), (large, m_large) = measures[-2], measures[-1]
            memory = (m_large.peak_mb - m_small.peak_mb) / ((large - small) / 1000)
            out.append(Slope(name, command, per_1k, _ratio(per_1k), (small, large, m_large.cpu_ms / m_small.cpu_ms),
                             memory, _ratio(_per_1k(measures, "cpu_ms"))))
    return out


def _per_1k(measures: list[tuple[int, Measure]], field: str) -> tuple[tuple[int, int, float], ...]:
    """CPU ms per 1k entries between consecutive sizes, from one field of each size's Measure."""
    return tuple((a, b, (getattr(mb, field) - getattr(ma, field)) / ((b - a) / 1000))
                 for (a, ma), (b, mb) in zip(measures, measures[1:]))


def _ratio(per_1k: tuple[tuple[int, int, float], ...]) -> float:
    first, last = per_1k[0][2], per_1k[-1][2]
    return last / first if first > 0 else float("inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", default=",".join(f.name for f in FORMATS))
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    formats = tuple(FORMATS_BY_NAME[name.strip()] for name in args.formats.split(","))
    sizes = tuple(int(size) for size in args.sizes.split(","))

    def show(f: ScaleFigure) -> None:
        print(f"{f.format:14} {f.entries:>6} entries {f.size / 1e6:6.1f} MB  diff {f.diff.median_ms:7.0f} ms (CPU {f.diff.cpu_ms:.0f}) "
              f"(min {f.diff.min_ms:.0f}, {f.diff.peak_mb:.0f} MB)  check {f.check.median_ms:7.0f} ms (CPU {f.check.cpu_ms:.0f}) "
              f"(min {f.check.min_ms:.0f}, {f.check.peak_mb:.0f} MB)", flush=True)

    with tempfile.TemporaryDirectory(prefix="lockgate-scale-") as tmp:
        figures = measure_scale(development_lockgate(), Path(tmp), formats, sizes, args.runs, show)
    for slope in slopes(figures):
        steps = ", ".join(f"{a // 1000}k-{b // 1000}k {ms:.1f}" for a, b, ms in slope.per_1k)
        small, large, ratio = slope.size_ratio
        print(f"{slope.format:14} {slope.command:5} ms per 1k entries: {steps}; last/first {slope.slope_ratio:.2f} "
              f"(from medians {slope.median_slope_ratio:.2f}); "
              f"{large // 1000}k/{small // 1000}k {ratio:.1f}; {slope.memory_per_1k:.1f} MB per 1k")
    return 0


if __name__ == "__main__":
    sys.exit(main())
