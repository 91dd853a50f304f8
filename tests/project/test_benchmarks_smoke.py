"""The benchmarks' own machinery, at tiny sizes: the synthetic lockfiles read as what they claim to be, the pull
request they simulate is the diff lockgate finds, and the suite's tables come out whole.

No figure is asserted here (speed is measured by ``python benchmarks/suite.py``, never by tests): these tests only
prove that the generators feed lockgate the files they describe, so that the scale figures measure real work.
"""

from __future__ import annotations

import collections
import importlib
import json
import sys
from pathlib import Path

import pytest

from checker.cli import main
from checker.diff.changes import diff
from checker.manifests import format_for

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _import(name: str):  # type: ignore[no-untyped-def]
    """A module of benchmarks/ (they import each other by plain name, so their folder joins the path)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


synthetic = _import("synthetic")
harness = _import("harness")

ENTRIES = 50
FORMAT_NAMES = [fmt.name for fmt in synthetic.FORMATS]


def _manifest(fmt, packages):  # type: ignore[no-untyped-def]
    files = fmt.render(packages)
    assert list(files) == [fmt.path]
    found = format_for(fmt.path)
    assert found is not None, fmt.path
    manifest = found.parse(files[fmt.path], fmt.path, files.get)
    # the packages only: a Berry lockfile's cacheKey is a setting of its own (yarn.cacheKey)
    return manifest._replace(dependencies=tuple(d for d in manifest.dependencies if d.ecosystem == fmt.ecosystem))


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_generated_lockfile_reads_as_every_entry(name: str) -> None:
    fmt = synthetic.FORMATS_BY_NAME[name]
    packages = synthetic.population(ENTRIES, fmt.ecosystem)
    manifest = _manifest(fmt, packages)
    assert manifest.ecosystem == fmt.ecosystem
    assert len(manifest.dependencies) == ENTRIES
    assert {d.name for d in manifest.dependencies} == {p.name for p in packages}
    versions = {p.name: p.version for p in packages}
    for dep in manifest.dependencies:
        expected = versions[dep.name]
        if name == "workflow":
            expected = _sha_pin(dep.name, expected)
        elif fmt.ecosystem == "go":  # Go versions carry their v
            expected = "v" + expected
        assert dep.version == expected
        assert dep.line is not None and dep.line > 0


def _sha_pin(name: str, version: str) -> str:
    import hashlib

    return hashlib.sha1(f"{name}@v{version}".encode()).hexdigest()


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_generated_lockfiles_carry_realistic_pins(name: str) -> None:
    """Hashes of the right algorithm and length on every entry, as the real tools write them."""
    fmt = synthetic.FORMATS_BY_NAME[name]
    manifest = _manifest(fmt, synthetic.population(ENTRIES, fmt.ecosystem))
    for dep in manifest.dependencies:
        if fmt.ecosystem in ("pypi", "cargo"):  # Cargo.lock: the .crate's SHA-256 (`checksum`)
            assert dep.hashes and all(h.startswith("sha256:") and len(h) == 7 + 64 for h in dep.hashes), dep
        elif fmt.ecosystem == "gem":  # Bundler 2.6's CHECKSUMS
            assert {h[:7] for h in dep.hashes} == {"sha256:"} and len(next(iter(dep.hashes))) == 7 + 64, dep
        elif name == "yarn berry":
            assert len(dep.hashes) == 1  # Yarn's own archive checksum
        elif fmt.ecosystem == "npm":  # integrity; Yarn 1 also keeps the sha1 of the resolved URL's fragment
            expected = {"sha512"} | ({"sha1"} if name == "yarn classic" else set())
            assert {h.split(":")[0] for h in dep.hashes} == expected, dep
            assert all(len(h) == 7 + 128 for h in dep.hashes if h.startswith("sha512:")), dep
        elif fmt.ecosystem == "go":  # the zip's and the go.mod's h1: (SHA-256, base64), some go.mod-only versions folded
            assert {h.split(":")[0].split("@")[0] for h in dep.hashes} == {"h1", "h1/go.mod"}, dep
            assert all(len(h.split(":", 1)[1]) == 44 for h in dep.hashes), dep
        else:  # an action pinned by commit, its version in the comment
            assert len(dep.version or "") == 40 and (dep.label or "").startswith("v"), dep


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_diff_finds_exactly_the_simulated_pull_request(name: str) -> None:
    fmt = synthetic.FORMATS_BY_NAME[name]
    packages = synthetic.population(ENTRIES, fmt.ecosystem)
    evolution = synthetic.evolve(packages, fmt.ecosystem)
    assert evolution.changes == round(ENTRIES * 0.10)  # 10% of the entries
    assert (evolution.upgraded, evolution.added, evolution.removed) == (3, 1, 1)
    changes = diff([_manifest(fmt, packages)], [_manifest(fmt, evolution.packages)])
    kinds = collections.Counter(change.kind for change in changes)
    assert kinds == {"upgraded": 3, "added": 1, "removed": 1}
    before = {p.name: p.version for p in packages}
    after = {p.name: p.version for p in evolution.packages}
    assert {c.dependency.name for c in changes if c.kind == "added"} == after.keys() - before.keys()
    assert {c.dependency.name for c in changes if c.kind == "removed"} == before.keys() - after.keys()
    assert {c.dependency.name for c in changes if c.kind == "upgraded"} == {
        n for n in before.keys() & after.keys() if before[n] != after[n]}


def test_generators_are_deterministic() -> None:
    fmt = synthetic.FORMATS_BY_NAME["package-lock"]
    assert fmt.render(synthetic.population(30, "npm")) == fmt.render(synthetic.population(30, "npm"))


def test_package_lock_has_nested_and_scoped_entries() -> None:
    """The shapes a real package-lock has: scoped names and folders under another package's node_modules."""
    text = synthetic.render_package_lock(synthetic.population(400, "npm"))["package-lock.json"]
    keys = list(json.loads(text)["packages"])
    assert any("/node_modules/" in key[len("node_modules/"):] for key in keys)
    assert any(key.startswith("node_modules/@") for key in keys)


def test_scale_repository_diffs_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = synthetic.build_repository(tmp_path / "repo", synthetic.FORMATS_BY_NAME["pnpm-lock"], 40)
    assert repo.entries == 40 and repo.evolution.changes == 4
    code = main(["diff", "-C", str(repo.path), "--base", repo.base, "--head", repo.head, "--format", "json"])
    assert code == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert collections.Counter(c["kind"] for c in changes) == {"upgraded": 2, "added": 1, "removed": 1}
    assert {c["manifest"] for c in changes} == {"pnpm-lock.yaml"}


def test_child_measure_accounts_for_the_child_alone() -> None:
    """Peak memory is the child's, not the parent's (the launcher forks from a small process)."""
    ballast = bytearray(200 * 1024 * 1024)  # the parent is large; a child's figure must not inherit it
    small = harness.run_child([sys.executable, "-c", "pass"])
    large = harness.run_child([sys.executable, "-c", "b = bytearray(80 * 1024 * 1024)"])
    del ballast
    assert small.code == 0 and small.peak_mb < 100
    assert large.peak_mb > small.peak_mb + 60
    with pytest.raises(harness.BenchmarkError, match="exited 3"):
        harness.run_child([sys.executable, "-c", "import sys; sys.exit(3)"])


def test_suite_quick_report_section_prints_tables_and_saves_json(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    suite = _import("suite")
    out = tmp_path / "figures.json"
    assert suite.main(["--quick", "--only", "report", "--markdown", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "**Report formats, a pull request of 500 changes (in process)**" in printed
    assert "| format | median ms | min ms | KB |" in printed
    assert "**Targets from the issues**" in printed
    saved = json.loads(out.read_text())
    assert saved["sections"] == ["report"]
    assert [row["what"] for row in saved["tables"][0]["rows"]] == ["text", "json", "markdown"]
    assert {t["key"] for t in saved["targets"]} == set()  # the report section judges no target


def test_commands_run_with_the_collector_paused_and_give_it_back() -> None:
    """checker.commands.gcpause (the scale benchmark's finding): paused inside a command, restored after, even on error."""
    import gc

    from checker.commands.gcpause import call_without_gc

    assert gc.isenabled()
    assert call_without_gc(gc.isenabled) is False
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        call_without_gc(lambda: 1 // 0)
    assert gc.isenabled()
    gc.disable()
    try:
        call_without_gc(gc.isenabled)
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_growth_is_judged_on_each_size_s_fastest_run_with_the_median_ratio_beside_it():
    """A slow spell that lands on the medians of one size bends the median-based slope, not the judged one."""
    scale = _import("scale")

    def figure(entries: int, cpu_runs: list[float]):  # type: ignore[no-untyped-def]
        runs = [harness.ChildRun(cpu, cpu, 100.0, 0, b"") for cpu in cpu_runs]
        measure = harness.summarize(runs)
        return scale.ScaleFigure("fmt", entries, entries * 100, entries // 10, measure, measure)

    figures = [figure(1000, [110, 100, 120]), figure(10000, [1000, 1010, 1020]),
               figure(50000, [5000, 6500, 6600])]  # two of three 50k runs in a slow spell
    (diff_slope, _) = scale.slopes(figures)
    assert [round(ms, 1) for _, _, ms in diff_slope.per_1k] == [100.0, 100.0]
    assert diff_slope.slope_ratio == pytest.approx(1.0)
    assert diff_slope.median_slope_ratio == pytest.approx((6500 - 1010) / 40 / ((1010 - 110) / 9))


@pytest.mark.parametrize("script, args, says", [
    ("artifacts.py", ["--packages", "2", "--runs", "1", "--files", "3", "--latency", "0", "--wheels", "3"],
     "added by inspection"),
    ("osv_copy.py", ["--records", "40", "--lookups", "2", "--runs", "1"], "ratio this tree / baseline"),
])
def test_the_fact_benchmarks_run_at_tiny_sizes(script: str, args: list[str], says: str) -> None:
    """benchmarks/artifacts.py (wheels read by ranges from a host in another process) and benchmarks/osv_copy.py
    (a synced OSV copy built by each side's own code) run end to end and print their table."""
    import subprocess

    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], cwd=BENCHMARKS, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert says in done.stdout
