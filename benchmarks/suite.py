"""lockgate's benchmark suite: every speed target of the issues, next to the peers and the floors, in one run.

    python benchmarks/suite.py [--quick] [--runs N] [--only NAME ...] [--markdown] [--json FILE]
                               [--corpus DIR] [--zizmor PATH] [--lockfile-lint PATH] [--sizes 1000,10000,50000]

Sections (``--only``):
  startup  python alone, ``lockgate --version``, a check of a commit that changes no manifest
  python   ``lockgate diff`` / ``check`` of warehouse's requirements + pydantic-ai's uv.lock, the hook on a staged
           uv.lock bump, next to two bare tomllib loads (the floor)
  parse    lockgate's parse of each real lockfile next to the bare json / tomllib / YAML load of the same file
  actions  lockgate vs ``zizmor --offline`` on pypi/warehouse's workflows, and the unpinned-uses oracle
  npm      lockgate vs lockfile-lint on the same package-lock.json and yarn.lock
  facts    registry facts for 200 packages from a fake registry: cold, warm cache, serial
  tls      registry facts for 300 packages from a fake registry over TLS: today's client next to the pooled one
  report   text / json / markdown of a 5,000-change pull request
  scale    synthetic lockfiles of 1k, 10k and 50k entries in every format: diff and check, slope, memory

Every lockgate command is a fresh process of a regular install (``--quick``: the development install), measured
for wall time, CPU time and peak memory (max RSS). Each figure is the median and the minimum of ``--runs`` runs;
on a shared machine the minimum is the closer estimate of a quiet one. Every target named in the issues stands
next to its figure with PASS or MISS (judged on the median), and all of them again in one table at the end.

``--quick`` is the smoke mode for CI: one or two runs, small sizes, no installs; it fails only when something
crashes, never on a figure (nor does a full run: figures are for people to read).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import actions  # noqa: E402
import dotnet_dart  # noqa: E402
import go_mods  # noqa: E402
import java_locks  # noqa: E402
import js_locks  # noqa: E402
import npm  # noqa: E402
import report as report_bench  # noqa: E402
import ruby_php  # noqa: E402
import run as python_bench  # noqa: E402
import scale  # noqa: E402
from harness import DEFAULT_CORPUS, Measure, development_lockgate, install_fresh, load_average  # noqa: E402
from synthetic import FORMATS  # noqa: E402

SECTIONS = ("startup", "python", "parse", "actions", "npm", "facts", "tls", "report", "scale")
QUICK_SIZES = (100, 500)


# -- targets -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """A speed target from an issue: the figure must stay under ``limit`` (in ``unit``: ms, MB, or x for a
    ratio to a peer, where at most ``limit`` passes), or reach it (``speedup``: how many times faster than
    before, where at least ``limit`` passes)."""

    issue: int
    limit: float
    unit: str
    what: str

    def met(self, value: float) -> bool:
        if self.unit == "speedup":
            return value >= self.limit
        return value <= self.limit if self.unit == "x" else value < self.limit

    def describe(self) -> str:
        if self.unit == "speedup":
            return f"≥ {self.limit:g}× faster"
        return f"≤ {self.limit:g}×" if self.unit == "x" else f"< {self.limit:g} {self.unit}"


# Every target the issues name, in one place (issue numbers as in `issues show N`).
TARGETS = {
    "version": Target(2, 80, "ms", "`lockgate --version`"),
    "no-change": Target(2, 80, "ms", "check of a commit that changes no manifest"),
    "python-diff": Target(2, 300, "ms", "diff of warehouse requirements + pydantic-ai uv.lock, a few bumps"),
    "parse:real/pypi-warehouse/package-lock.json": Target(3, 60, "ms", "parse of warehouse's package-lock.json"),
    "parse:real/vuejs-core/pnpm-lock.yaml": Target(3, 60, "ms", "parse of vuejs/core's pnpm-lock.yaml"),
    "parse:real/prettier-prettier/yarn.lock": Target(3, 60, "ms", "parse of prettier's Berry yarn.lock"),
    **{f"parse:{label}": Target(21, 60, "ms", f"parse of {label}") for label, _, _ in java_locks.JAVA_FILES},
    "parse:tests/manifests/fixtures/go/gopls.go.sum": Target(21, 60, "ms", "parse of golang/tools' gopls/go.sum"),
    "parse:tests/manifests/fixtures/go/gopls.go.mod": Target(21, 60, "ms", "parse of golang/tools' gopls/go.mod"),
    **{f"parse:fixtures/{name}": Target(21, 60, "ms", f"parse of {name}") for name in dotnet_dart.FILES},
    "lockfile-lint": Target(3, 0.5, "x", "`check --all` on warehouse's package-lock / lockfile-lint, same checks"),
    "zizmor": Target(4, 1.5, "x", "check of warehouse's workflows + Dockerfile / `zizmor --offline`"),
    "oracle": Target(4, 0, "differences", "action-pinning findings = zizmor's unpinned-uses"),
    "facts-cold": Target(5, 1500, "ms", "facts for 200 packages at 50 ms latency, cold cache"),
    "facts-warm": Target(5, 100, "ms", "the same, warm cache"),
    "facts-osv-cold": Target(19, 2000, "ms", "facts stage + OSV advisories for 200 packages at 50 ms latency, cold"),
    "facts-osv-warm": Target(19, 150, "ms", "the same, warm cache"),
    "hook": Target(7, 250, "ms", "`check --hook` on a bump staged in a 1.5 MB uv.lock"),
    "scale-time": Target(9, 2000, "ms", "`lockgate diff` of a 50k-entry package-lock, 10% changed"),
    "scale-memory": Target(9, 300, "MB", "peak memory of that diff"),
    "scale-linear": Target(9, 1.5, "x", "growth of every format's diff: last slope / first slope"),
    "tls-speedup": Target(18, 3, "speedup", "facts for 300 packages over TLS, cold: pooled vs today's client"),
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """One target next to its figure: PASS or MISS on the median, with a word when the minimum would pass."""

    key: str
    figure: str
    status: str


def judge(key: str, value: float, minimum: float | None = None, shown: str | None = None) -> Verdict:
    target = TARGETS[key]
    if math.isnan(value):
        return Verdict(key, "n/a", "n/a")
    status = "PASS" if target.met(value) else "MISS"
    if status == "MISS" and minimum is not None and target.met(minimum):
        status = "MISS (min passes)"
    return Verdict(key, shown or _number(value, target.unit), status)


def _number(value: float, unit: str) -> str:
    if unit == "speedup":
        return f"{value:.1f}× faster"
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "ms" and value < 10:
        return f"{value:.1f} ms"
    return f"{value:.0f} {unit}"


# -- results -----------------------------------------------------------------------------------------------------


@dataclass
class Table:
    """One section's figures: rows of raw values by column key (numbers stay numbers for --json)."""

    title: str
    columns: tuple[tuple[str, str], ...]
    rows: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


COMMAND_COLUMNS = (("what", "what"), ("median_ms", "median ms"), ("min_ms", "min ms"), ("cpu_ms", "CPU ms"),
                   ("peak_mb", "peak MB"), ("target", "target"), ("status", "status"))
PEER_COLUMNS = COMMAND_COLUMNS[:-2] + (("ratio", "ratio"),) + COMMAND_COLUMNS[-2:]  # lockgate next to a peer


def measure_row(what: str, measure: Measure, verdict: Verdict | None = None) -> dict[str, object]:
    row: dict[str, object] = {"what": what, "median_ms": measure.median_ms, "min_ms": measure.min_ms,
                              "cpu_ms": measure.cpu_ms, "peak_mb": measure.peak_mb}
    if verdict is not None:
        row["target"] = TARGETS[verdict.key].describe()
        row["status"] = verdict.status
    return row


@dataclass
class Context:
    """What the sections share: options, the lockgate command, a scratch folder, and the verdicts so far."""

    args: argparse.Namespace
    runs: int
    scratch: Path
    lockgate_command: list[str] | None = None
    verdicts: list[Verdict] = field(default_factory=list)
    # The startup and python sections share one series of run.py's commands.
    python_measures: dict[str, Measure] | None = None

    def lockgate(self) -> list[str]:
        """lockgate as users get it (a fresh regular install), installed once; the development install in quick
        mode."""
        if self.lockgate_command is None:
            self.lockgate_command = (development_lockgate() if self.args.quick
                                     else install_fresh(self.scratch / "install"))
        return self.lockgate_command

    def verdict(self, verdict: Verdict) -> Verdict:
        self.verdicts.append(verdict)
        return verdict


# -- sections ----------------------------------------------------------------------------------------------------


def section_startup(ctx: Context) -> list[Table]:
    table = Table("Start-up", COMMAND_COLUMNS)
    found = _python_measures(ctx)
    table.rows.append(measure_row("`python -c pass` (the interpreter alone)", found["python"]))
    version = found["version"]
    table.rows.append(measure_row("`lockgate --version`", version,
                                  ctx.verdict(judge("version", version.median_ms, version.min_ms))))
    nothing = found["no-change"]
    table.rows.append(measure_row("`lockgate check`, a commit that changes no manifest", nothing,
                                  ctx.verdict(judge("no-change", nothing.median_ms, nothing.min_ms))))
    return [table]


def _python_measures(ctx: Context) -> dict[str, Measure]:
    """The commands of run.py on warehouse's requirements + pydantic-ai's uv.lock, measured once per suite run."""
    if ctx.python_measures is None:
        repo = python_bench.build_repository(ctx.args.corpus, ctx.scratch / "python")
        ctx.python_measures = python_bench.measure_commands(ctx.lockgate(), repo, ctx.runs)
    return ctx.python_measures


def section_python(ctx: Context) -> list[Table]:
    table = Table("Python: warehouse's requirements + pydantic-ai's uv.lock (1.5 MB), 5 bumps", COMMAND_COLUMNS)
    found = _python_measures(ctx)
    diff = found["diff"]
    table.rows.append(measure_row("`lockgate diff`", diff, ctx.verdict(judge("python-diff", diff.median_ms, diff.min_ms))))
    table.rows.append(measure_row("`lockgate check --offline`, same revisions", found["check"]))
    hook = found["hook"]
    table.rows.append(measure_row("`lockgate check --hook`, a bump staged in that uv.lock", hook,
                                  ctx.verdict(judge("hook", hook.median_ms, hook.min_ms))))
    floor = python_bench.two_tomllib_loads(ctx.args.corpus, max(1, ctx.runs // 2))
    table.rows.append(measure_row("floor: two bare `tomllib` loads of that uv.lock (in process)", floor))
    table.notes.append(f"`lockgate diff` (the whole command, start-up included) / floor: "
                       f"{diff.median_ms / floor.median_ms:.2f} (medians), {diff.min_ms / floor.min_ms:.2f} (minimums)")
    return [table]


def section_parse(ctx: Context) -> list[Table]:
    table = Table("Parse of each real lockfile (in process) vs the bare load of the same file",
                  (("file", "file"), ("kb", "KB"), ("median_ms", "lockgate ms"), ("min_ms", "min ms"),
                   ("floor", "floor"), ("floor_ms", "floor ms"), ("ratio", "lockgate / floor"),
                   ("target", "target"), ("status", "status")))
    figures = python_bench.parse_figures(ctx.args.corpus, ctx.runs * 2)
    figures += js_locks.parse_figures(ctx.args.corpus, ctx.runs * 2, max(1, ctx.runs // 3))
    figures += ruby_php.parse_figures(ctx.runs * 2)
    figures += java_locks.parse_figures(ctx.runs * 2)
    figures += go_mods.parse_figures(ctx.runs * 2)
    figures += dotnet_dart.parse_figures(ctx.runs * 2, max(1, ctx.runs // 3))
    for figure in figures:
        row: dict[str, object] = {"file": figure.file, "kb": figure.size / 1024,
                                  "median_ms": figure.lockgate.median_ms, "min_ms": figure.lockgate.min_ms,
                                  "floor": figure.floor_label}
        if figure.floor is not None:
            row["floor_ms"] = figure.floor.median_ms
            row["ratio"] = figure.lockgate.median_ms / figure.floor.median_ms
        key = f"parse:{figure.file}"
        if key in TARGETS:
            verdict = ctx.verdict(judge(key, figure.lockgate.median_ms, figure.lockgate.min_ms))
            row["target"], row["status"] = TARGETS[key].describe(), verdict.status
        table.rows.append(row)
    return [table]


def section_actions(ctx: Context) -> list[Table]:
    table = Table("GitHub Actions: pypi/warehouse's 7 workflows + Dockerfile, lockgate vs zizmor", PEER_COLUMNS)
    zizmor = actions.find_zizmor(ctx.args.zizmor)
    if zizmor is None:
        table.notes.append("zizmor: not available (install lockgate's test extra, or pass --zizmor)")
        ctx.verdict(Verdict("zizmor", "n/a", "n/a"))
        return [table]
    root = ctx.scratch / "actions"
    root.mkdir()
    figures = actions.compare(ctx.lockgate(), zizmor, root, ctx.args.corpus, ctx.runs)
    table.rows.append(measure_row("`lockgate check --all --offline`", figures.ours))
    table.rows.append(measure_row("`zizmor --offline` on the same workflows", figures.theirs))
    ratio = ctx.verdict(judge("zizmor", figures.ratio))
    table.rows.append({"what": "lockgate / zizmor (median of paired runs)", "median_ms": None,
                       "ratio": figures.ratio, "target": TARGETS["zizmor"].describe(), "status": ratio.status})
    table.rows.append(measure_row("`lockgate check --all`, a repository with no manifest (fixed cost)", figures.empty))
    differences = 0 if figures.oracle_equal else 1
    oracle = ctx.verdict(Verdict("oracle", f"{figures.oracle_ours} vs {figures.oracle_theirs} findings",
                                 "PASS" if differences == 0 else "MISS"))
    table.rows.append({"what": f"oracle: action-pinning {figures.oracle_ours} findings, zizmor unpinned-uses "
                               f"{figures.oracle_theirs}", "target": "equal", "status": oracle.status})
    if figures.oracle_difference:
        table.notes.append(f"oracle differs: {figures.oracle_difference}")
    ours, floor, label = actions.parse_figures(ctx.args.corpus, ctx.runs * 2)
    table.rows.append(measure_row("parse of the 7 workflows (in process)", ours))
    table.rows.append(measure_row(f"floor: {label} load of the same 7 files (in process)", floor))
    return [table]


def section_npm(ctx: Context) -> list[Table]:
    table = Table("npm: lockgate vs lockfile-lint on the same files", PEER_COLUMNS)
    repo = npm.build_repository(ctx.args.corpus, ctx.scratch / "npm")
    table.rows.append(measure_row(f"`lockgate check --offline`, a pull request bumping {len(npm.BUMPS)} packages "
                                  "in warehouse's package-lock.json", npm.pull_request_check(ctx.lockgate(), repo, ctx.runs)))
    lint = npm.find_lockfile_lint(ctx.args.lockfile_lint)
    how = "found"
    if lint is None and not ctx.args.quick:
        lint, how = npm.install_lockfile_lint()
    if lint is None:
        table.notes.append(f"lockfile-lint: not available ({how if not ctx.args.quick else 'quick mode installs nothing'}"
                           "; pass --lockfile-lint or put it on PATH)")
        ctx.verdict(Verdict("lockfile-lint", "n/a", "n/a"))
        return [table]
    files = {"npm": "warehouse's package-lock.json (540 KB)", "yarn": "vercel/hyper's classic yarn.lock (390 KB)"}
    for kind, pair in npm.lint_comparisons(ctx.lockgate(), lint, repo, ctx.runs).items():
        table.rows.append(measure_row(f"`lockgate check --all --offline`, {files[kind]}, default policy "
                                      "(registry facts unknown offline)", pair.default))
        table.rows.append(measure_row("the same with lockfile-lint's checks only "
                                      "(`--policy benchmarks/lockfile-lint-checks.yml`)", pair.same_checks))
        table.rows.append(measure_row(f"`lockfile-lint {' '.join(npm.LINT_FLAGS[kind])}`", pair.theirs))
        row: dict[str, object] = {"what": "lockgate (same checks) / lockfile-lint (median of paired runs)",
                                  "ratio": pair.ratio}
        if kind == "npm":
            verdict = ctx.verdict(judge("lockfile-lint", pair.ratio))
            row["target"], row["status"] = TARGETS["lockfile-lint"].describe(), verdict.status
        table.rows.append(row)
    return [table]


def section_facts(ctx: Context) -> list[Table]:
    from facts import CASES, measure_facts

    packages = 20 if ctx.args.quick else 200
    figures = measure_facts(packages=packages, runs=max(1, min(ctx.runs, 5)))
    table = Table(f"Registry facts: {packages} changed packages, fake registry at 50 ms latency (in process)",
                  (("what", "what"), ("median_ms", "median ms"), ("min_ms", "min ms"), ("requests", "requests"),
                   ("target", "target"), ("status", "status")))
    keys = {"cold": "facts-cold", "warm": "facts-warm", "osv cold": "facts-osv-cold", "osv warm": "facts-osv-warm"}
    for case, label in CASES.items():
        measure, made = figures.cases[case]
        row: dict[str, object] = {"what": label.format(workers="default"), "median_ms": measure.median_ms,
                                  "min_ms": measure.min_ms, "requests": made}
        if case in keys and packages == 200:
            verdict = ctx.verdict(judge(keys[case], measure.median_ms, measure.min_ms))
            row["target"], row["status"] = TARGETS[keys[case]].describe(), verdict.status
        table.rows.append(row)
    return [table]


def section_tls(ctx: Context) -> list[Table]:
    from tls_registry import measure_tls

    packages = 30 if ctx.args.quick else 300
    figures = measure_tls(packages=packages, runs=max(1, min(ctx.runs, 5)))
    table = Table(f"Registry facts over TLS: {packages} changed packages, cold, a registry {figures.latency * 1000:g} ms "
                  f"away (a new connection: {figures.handshake_round_trips} more round trips); a fresh process per "
                  "run, the two clients alternating",
                  (("what", "what"), ("median_ms", "median ms"), ("min_ms", "min ms"), ("max_ms", "max ms"),
                   ("cpu_ms", "CPU ms"), ("requests", "requests"), ("handshakes", "TLS handshakes"),
                   ("ratio", "speed-up"), ("target", "target"), ("status", "status")))
    for client in (figures.today, figures.pooled):
        if client is not None:
            table.rows.append({"what": client.label, "median_ms": client.measure.median_ms,
                               "min_ms": client.measure.min_ms, "max_ms": client.max_ms, "cpu_ms": client.measure.cpu_ms,
                               "requests": client.requests, "handshakes": client.handshakes})
    if figures.today is not None:
        speedup = figures.today.measure.median_ms / figures.pooled.measure.median_ms
        row: dict[str, object] = {"what": "today's median / pooled median", "ratio": speedup}
        if packages == 300:
            verdict = ctx.verdict(judge("tls-speedup", speedup))
            row["target"], row["status"] = TARGETS["tls-speedup"].describe(), verdict.status
        table.rows.append(row)
    else:
        ctx.verdict(Verdict("tls-speedup", "n/a", "n/a"))
    table.notes.append(f"trusted: {figures.trusted}")
    if figures.note:
        table.notes.append(figures.note)
    return [table]


def section_report(ctx: Context) -> list[Table]:
    count = 500 if ctx.args.quick else 5000
    table = Table(f"Report formats, a pull request of {count:,} changes (in process)",
                  (("what", "format"), ("median_ms", "median ms"), ("min_ms", "min ms"), ("kb", "KB")))
    for fmt, (measure, size) in report_bench.format_figures(count, ctx.runs).items():
        table.rows.append({"what": fmt, "median_ms": measure.median_ms, "min_ms": measure.min_ms, "kb": size / 1024})
    return [table]


def section_scale(ctx: Context) -> list[Table]:
    sizes = tuple(int(s) for s in ctx.args.sizes.split(",")) if ctx.args.sizes else (
        QUICK_SIZES if ctx.args.quick else scale.SIZES)
    runs = ctx.args.scale_runs or (1 if ctx.args.quick else min(ctx.runs, 3))
    root = ctx.scratch / "scale"
    root.mkdir()

    def progress(figure: scale.ScaleFigure) -> None:  # on stderr: stdout is the table (--markdown)
        print(f"  scale: {figure.format} {figure.entries:,} entries: diff {figure.diff.median_ms:.0f} ms",
              file=sys.stderr, flush=True)

    # The judged figure (issue 9's 50k package-lock diff) gets the suite's full run count, like every other target.
    figures = scale.measure_scale(ctx.lockgate(), root, FORMATS, sizes, runs, progress,
                                  more_runs={("package-lock", 50000, "diff"): ctx.runs})
    table = Table(f"Synthetic scale: a pull request changing 10% of N entries (median of {runs}, of {ctx.runs} for "
                  "the judged 50k package-lock diff; memory = peak)",
                  (("format", "format"), ("entries", "entries"), ("mb", "file MB"), ("diff_ms", "diff ms"),
                   ("diff_min_ms", "diff min ms"), ("diff_cpu_ms", "diff CPU ms"), ("diff_peak_mb", "diff peak MB"),
                   ("check_ms", "check ms"), ("check_cpu_ms", "check CPU ms"), ("check_peak_mb", "check peak MB"),
                   ("target", "target"), ("status", "status")))
    largest = max(sizes)
    for figure in figures:
        row: dict[str, object] = {
            "format": figure.format, "entries": figure.entries, "mb": figure.size / 1e6,
            "diff_ms": figure.diff.median_ms, "diff_min_ms": figure.diff.min_ms, "diff_cpu_ms": figure.diff.cpu_ms,
            "diff_peak_mb": figure.diff.peak_mb, "check_ms": figure.check.median_ms,
            "check_cpu_ms": figure.check.cpu_ms, "check_peak_mb": figure.check.peak_mb}
        if figure.format == "package-lock" and figure.entries == 50000:
            time_ok = ctx.verdict(judge("scale-time", figure.diff.median_ms, figure.diff.min_ms))
            memory_ok = ctx.verdict(judge("scale-memory", figure.diff.peak_mb))
            row["target"] = "diff < 2000 ms, < 300 MB"
            row["status"] = time_ok.status if time_ok.status != "PASS" else memory_ok.status
        table.rows.append(row)
    growth = Table("Synthetic scale: growth (CPU ms per 1k entries between sizes, each size's fastest run)",
                   (("format", "format"), ("command", "command"), ("steps", "CPU ms per 1k entries"),
                    ("slope_ratio", "last / first slope"), ("median_slope_ratio", "from medians"),
                    ("size_ratio", "CPU time ratio"),
                    ("memory", "MB per 1k entries"), ("status", "linear?")))
    worst = 0.0
    for slope in scale.slopes(figures):
        small, large, ratio = slope.size_ratio
        linear = slope.slope_ratio <= TARGETS["scale-linear"].limit
        if slope.command == "diff" and len(slope.per_1k) > 1:
            worst = max(worst, slope.slope_ratio)
        growth.rows.append({
            "format": slope.format, "command": slope.command,
            "steps": ", ".join(f"{a // 1000 if a >= 1000 else a}{'k' if a >= 1000 else ''}→"
                               f"{b // 1000 if b >= 1000 else b}{'k' if b >= 1000 else ''}: {ms:.1f}"
                               for a, b, ms in slope.per_1k),
            "slope_ratio": slope.slope_ratio if len(slope.per_1k) > 1 else None,
            "median_slope_ratio": slope.median_slope_ratio if len(slope.per_1k) > 1 else None,
            "size_ratio": f"{_size(large)}/{_size(small)} = {ratio:.1f} (sizes ×{large / small:g})",
            "memory": slope.memory_per_1k,
            "status": ("PASS" if linear else "MISS") if len(slope.per_1k) > 1 else "",
        })
    if worst:
        ctx.verdict(judge("scale-linear", worst, shown=f"worst {worst:.2f}×"))
    if largest < 50000:
        growth.notes.append(f"sizes up to {largest:,} only: the 50k targets are not judged in this run")
    growth.notes.append("linear growth keeps the CPU ms per 1k entries flat from one size step to the next (last / "
                        "first ≈ 1; CPU time, since on a shared machine a run's wall time is mostly waiting for a "
                        "core; each size's fastest run, since noise only adds time, with the ratio from median runs "
                        "beside it); the whole command's ratio falls short of the size ratio by the fixed start-up")
    return [table, growth]


def _size(entries: int) -> str:
    return f"{entries // 1000}k" if entries >= 1000 and entries % 1000 == 0 else str(entries)


SECTION_FUNCTIONS: dict[str, Callable[[Context], list[Table]]] = {
    "startup": section_startup, "python": section_python, "parse": section_parse, "actions": section_actions,
    "npm": section_npm, "facts": section_facts, "tls": section_tls, "report": section_report, "scale": section_scale,
}


# -- output ------------------------------------------------------------------------------------------------------


def cell(key: str, value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—" if key not in ("target", "status") else ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if key in ("ratio", "slope_ratio", "median_slope_ratio"):
        return f"{value:.2f}×"
    if key in ("kb", "mb", "memory"):
        return f"{value:.1f}" if value < 100 else f"{value:,.0f}"
    if key.endswith("_ms"):
        return f"{value:.1f}" if value < 10 else f"{value:,.0f}"
    return f"{value:.0f}"


def render_table(table: Table, markdown: bool) -> str:
    columns = [(key, header) for key, header in table.columns if any(key in row for row in table.rows)]
    cells = [[cell(key, row.get(key)) for key, _ in columns] for row in table.rows]
    numeric = [key not in ("what", "file", "format", "floor", "command", "steps", "target", "status", "size_ratio")
               for key, _ in columns]
    lines = []
    if markdown:
        lines.append(f"**{table.title}**\n")
        lines.append("| " + " | ".join(header for _, header in columns) + " |")
        lines.append("|" + "|".join("---:" if right else "---" for right in numeric) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in cells]
    else:
        widths = [max([len(header)] + [len(row[i]) for row in cells]) for i, (_, header) in enumerate(columns)]

        def line(values: list[str]) -> str:
            return "  ".join(v.rjust(w) if right else v.ljust(w) for v, w, right in zip(values, widths, numeric))

        lines.append(f"== {table.title}")
        lines.append(line([header for _, header in columns]))
        lines += [line(row) for row in cells]
    lines += [("\n" if markdown and i == 0 else "") + f"{'' if markdown else '  '}{note}"
              for i, note in enumerate(table.notes)]
    return "\n".join(lines)


def targets_table(verdicts: list[Verdict]) -> Table:
    table = Table("Targets from the issues", (("issue", "issue"), ("what", "target"), ("limit", "limit"),
                                               ("figure", "measured (median)"), ("status", "status")))
    by_key = {v.key: v for v in verdicts}
    for key, target in TARGETS.items():
        verdict = by_key.get(key)
        limit = "equal" if key == "oracle" else target.describe()
        table.rows.append({"issue": f"#{target.issue}", "what": target.what, "limit": limit,
                           "figure": verdict.figure if verdict else "not run",
                           "status": verdict.status if verdict else ""})
    return table


def header_lines(args: argparse.Namespace, runs: int, load_before: str, load_after: str, started: float) -> list[str]:
    today = dt.date.today().isoformat()
    return [
        f"lockgate benchmark suite, {today}: {os.cpu_count()} cores ({_cpu_model()}), Python "
        f"{platform.python_version()} on {platform.system()}, "
        f"{'quick mode, ' if args.quick else ''}median and minimum of {runs} runs; load average {load_before} "
        f"before, {load_after} after; {time.monotonic() - started:.0f} s",
    ]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.machine()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke mode: few runs, small sizes, no installs")
    parser.add_argument("--runs", type=int, help="runs of every measure (default 7; quick: 1)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, metavar="NAME", help=f"sections: {', '.join(SECTIONS)}")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables (the README's Speed section)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save every figure as JSON")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the real-world files (../shared/corpus)")
    parser.add_argument("--zizmor", help="the zizmor executable (default: beside this python, or on PATH)")
    parser.add_argument("--lockfile-lint", help="the lockfile-lint executable (default: PATH, the cache, or npm)")
    parser.add_argument("--sizes", help="synthetic sizes, comma-separated (default 1000,10000,50000; quick: 100,500)")
    parser.add_argument("--scale-runs", type=int, help="runs of each scale command (default: min(runs, 3))")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    runs = args.runs or (1 if args.quick else 7)
    sections = list(args.only or SECTIONS)
    needs_corpus = {"startup", "python", "parse", "actions", "npm"}
    if needs_corpus.intersection(sections) and not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}: skipping {', '.join(sorted(needs_corpus.intersection(sections)))}"
              " (pass --corpus)", file=sys.stderr)
        sections = [s for s in sections if s not in needs_corpus]
    started = time.monotonic()
    load_before = load_average()
    tables: list[Table] = []
    with tempfile.TemporaryDirectory(prefix="lockgate-suite-") as scratch:
        ctx = Context(args, runs, Path(scratch))
        for name in sections:
            print(f"[{name}] ...", file=sys.stderr, flush=True)
            tables += SECTION_FUNCTIONS[name](ctx)
        verdicts = ctx.verdicts
    tables.append(targets_table(verdicts))
    head = header_lines(args, runs, load_before, load_average(), started)
    print("\n\n".join(["\n".join(head)] + [render_table(t, args.markdown) for t in tables]))
    if args.json:
        args.json.write_text(json.dumps(_finite({
            "header": head, "runs": runs, "sections": sections,
            "tables": [{"title": t.title, "rows": t.rows, "notes": t.notes} for t in tables],
            "targets": [{"key": v.key, "figure": v.figure, "status": v.status} for v in verdicts],
        }), indent=2, default=str) + "\n")
    return 0


def _finite(value: object) -> object:
    """NaN (a figure that does not apply) as null: JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
