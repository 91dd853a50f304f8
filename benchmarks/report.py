"""Report rendering benchmarks: what the risk summary costs.

    python benchmarks/report.py [--runs N]

Measures, as in-process wall-clock medians:
- the pull-request comment (``render_comment``, size cap included) for pull requests of 3 to 20,000 changes, a
  mix of direct and transitive changes with registry facts, a few blocked by a rule and the rest waiting for a
  review; with the comment's size and how many table rows made it in;
- every format of the demo's report (text, json, markdown, sarif, github);
- ``lockgate demo --format markdown`` end to end in a fresh process (git repository, prefilled registry cache,
  offline facts, the comment).

Nothing is asserted; this prints a table. The machine is shared: re-run when a figure looks noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from harness import PROJECT, Measure, measure_call, measure_command

from checker.model import Change, Dependency, Facts, Finding, Provenance, Report, ReviewStatus  # noqa: E402
from checker.registries.types import Publisher  # noqa: E402

NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)


def pull_request(count: int) -> Report:
    """``count`` upgrades in one lockfile: every fifth direct, every 50th denied, all waiting for a review."""
    changes, findings, reviews, facts = [], [], [], []
    publisher = Publisher("GitHub", "acme/pkg", "release.yml")
    for i in range(count):
        name = f"package-{i:05d}"
        old = Dependency("npm", name, "1.0.0", "1.0.0", hashes=frozenset({"sha512:" + "a" * 128}),
                         manifest="package-lock.json", line=i + 1, direct=i % 5 == 0, install_script=False)
        new = Dependency("npm", name, "1.0.1", "1.0.1", hashes=frozenset({"sha512:" + "b" * 128}),
                         manifest="package-lock.json", line=i + 1, direct=i % 5 == 0, install_script=i % 97 == 3)
        change = Change("upgraded", old, new, "patch")
        changes.append(change)
        reviews.append(ReviewStatus("required"))
        if i % 50 == 7:
            findings.append(Finding("deny", "block", f"npm:{name}@1.0.1 is denied: a worm", new, change,
                                    "package-lock.json", i + 1, "move off this version"))
        findings.append(Finding("review", "block", f"upgraded {name} 1.0.0 -> 1.0.1 needs a review by alice", new,
                                change, "package-lock.json", i + 1, "approve the pull request as alice"))
        facts.append(Facts("npm", name, "1.0.1", release_time=NOW - dt.timedelta(hours=i % 100),
                           hashes=frozenset({"sha512:" + "b" * 128}), install_script=False,
                           provenance=Provenance("provenance", frozenset({publisher}))))
    return Report("b" * 40, "c" * 40, tuple(changes), tuple(findings), tuple(reviews), "block",
                  ".github/lockgate.yml", False, "0.1.0", tuple(facts))


def format_figures(count: int, runs: int, formats: tuple[str, ...] = ("text", "json", "markdown")) -> dict[str, tuple[Measure, int]]:
    """Each format's render of a ``count``-change pull request (``checker.report.render``, what the command line
    calls): its Measure and the output's size in bytes."""
    from checker.report import render

    report = pull_request(count)
    out = {}
    for fmt in formats:
        size = len(render(report, fmt, now=NOW).encode())
        out[fmt] = (measure_call(lambda fmt=fmt: render(report, fmt, now=NOW), runs, warm_up=False), size)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from checker.report.markdown import ReviewState, render_comment

    render_comment(pull_request(3))  # jinja2 import and template compilation, once
    print("pull-request comment (render_comment, size cap included)")
    print(f"{'changes':>8}  {'median ms':>9}  {'min ms':>7}  {'bytes':>7}  {'table rows':>10}")
    for count in (3, 30, 300, 3000, 20000):
        report = pull_request(count)
        review = ReviewState(reviewers=("alice",), waiting=count)
        text = render_comment(report, review, now=NOW)
        rows = sum(1 for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Risk"))
        runs = args.runs if count <= 3000 else max(1, args.runs // 2)
        measured = measure_call(lambda: render_comment(report, review, now=NOW), runs, warm_up=False)
        print(f"{count:>8}  {measured.median_ms:>9.1f}  {measured.min_ms:>7.1f}  {len(text.encode()):>7}  {rows:>10}")

    from checker.demo.example import demo_report, render_demo

    report = demo_report()
    print("\nthe demo's report, per format")
    print(f"{'format':>8}  {'median ms':>9}  {'bytes':>7}")
    for fmt in ("text", "json", "markdown", "sarif", "github"):
        out = render_demo(report, fmt)
        ms = measure_call(lambda: render_demo(report, fmt), args.runs, warm_up=False).median_ms
        print(f"{fmt:>8}  {ms:>9.2f}  {len(out.encode()):>7}")

    demo = measure_command([sys.executable, "-m", "checker", "demo", "--format", "markdown"], args.runs,
                           cwd=PROJECT)
    print(f"\nlockgate demo --format markdown, fresh process: {demo.median_ms:.0f} ms (median of {args.runs})")


if __name__ == "__main__":
    main()
