"""Offline advisories from the synced OSV copy (``lockgate db sync``): one lookup in an npm-sized copy, this tree
next to a baseline commit, in one run.

    python benchmarks/osv_copy.py [--records N] [--lookups K] [--runs N] [--baseline REF]

OSV's npm export holds about 250,000 records (the OpenSSF malicious-packages feed is most of them), one zip member
each. An offline run (the pre-commit hook, ``--offline``) that judges a changed npm package opens that copy and
reads the records of the package. This measures exactly that: a fresh process imports the copy's reader, opens the
copy and looks up ``--lookups`` packages (each named by one record), and reports the time of those two steps alone
(the interpreter's start is the same for both sides and not counted).

Each side builds its own copy with its own ``osv_db.install`` (the index format is the thing compared) from the
same synthetic records, shaped like the feed's: ``MAL-2025-<n>`` with one affected npm package and its versions.
The baseline is lockgate at ``--baseline`` (default HEAD: run it on a change before committing it), taken out of
git with ``git archive`` into a scratch folder; runs of the two sides alternate. Printed: median, minimum and maximum per
side, and the ratio of medians.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

BUILD = """
import sys, time
sys.path.insert(0, {tree!r})
from checker.registries import osv_db
records = ({{"id": f"MAL-2025-{{n}}", "modified": "2025-09-01T00:00:00Z", "summary": "Malicious code in pkg-{{n}} (npm)",
            "affected": [{{"package": {{"ecosystem": "npm", "name": f"pkg-{{n}}"}}, "versions": ["1.0.0", "1.0.1"]}}],
            "database_specific": {{"malicious-packages-origins": [{{"source": "ossf-package-analysis"}}]}}}}
           for n in range({records}))
osv_db.install({cache!r}, "npm", records, source="benchmark")
"""

LOOKUP = """
import sys, time
sys.path.insert(0, {tree!r})
from checker.registries.osv_db import OsvDatabase
names = [f"pkg-{{n}}" for n in range(0, {records}, max(1, {records} // {lookups}))][:{lookups}]
started = time.perf_counter()
copy = OsvDatabase.open({cache!r}, "npm")
found = [copy.records(name) for name in names]
elapsed = time.perf_counter() - started
assert all(len(f) == 1 for f in found), [len(f) for f in found]
print(elapsed * 1000)
"""


def baseline_tree(ref: str, scratch: Path) -> Path:
    tree = scratch / "baseline"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(PROJECT), "archive", "--format=tar", ref, "checker"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as handle:
        handle.extractall(tree, filter="data")
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=250_000)
    parser.add_argument("--lookups", type=int, default=1)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--baseline", default="HEAD")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lockgate-osv-copy-") as scratch_name:
        scratch = Path(scratch_name)
        sides = {"baseline " + options.baseline: baseline_tree(options.baseline, scratch), "this tree": PROJECT}
        caches = {}
        for label, tree in sides.items():
            cache = scratch / ("cache-" + str(len(caches)))
            subprocess.run([sys.executable, "-c", BUILD.format(tree=str(tree), cache=str(cache),
                                                               records=options.records)], check=True)
            caches[label] = cache
        times: dict[str, list[float]] = {label: [] for label in sides}
        for _ in range(options.runs):
            for label, tree in sides.items():
                out = subprocess.run([sys.executable, "-c", LOOKUP.format(tree=str(tree), cache=str(caches[label]),
                                                                          records=options.records,
                                                                          lookups=options.lookups)],
                                     capture_output=True, text=True, check=True).stdout
                times[label].append(float(out))
        print(f"open + {options.lookups} lookup(s) in a {options.records:,}-record npm copy, {options.runs} runs (ms)")
        print("| side | median | min | max |")
        print("|---|---:|---:|---:|")
        for label, values in times.items():
            print(f"| {label} | {statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} |")
        first, second = (statistics.median(v) for v in times.values())
        print(f"ratio this tree / baseline (medians): {second / first:.3f}")
        print(json.dumps({label: sorted(values) for label, values in times.items()}))


if __name__ == "__main__":
    main()
