"""Artifact inspection (rule ``artifact-content``): what reading the wheels of 50 changed PyPI packages adds to the
facts stage, cold, with every answer 50 ms away.

    python benchmarks/artifacts.py [--packages N] [--latency SECONDS] [--runs N] [--files N] [--wheels N]

A file host on 127.0.0.1 (tests/fakes/wheels.py, in its own process) serves a PEP 691 page per package and the
wheels of two releases each (1.0 and 1.1, built with ``--files`` members of a few kilobytes, so that a wheel is
megabytes and its central directory tens of kilobytes), and answers range requests. Each run is the facts stage
(``gather_facts``, what ``lockgate check`` runs) for the 50 packages as upgrades 1.0 -> 1.1 from an empty cache,
once with ``artifact-content`` off and once on, the two alternating; the difference of the medians is what
inspection adds (target: under 2 s). Printed too: the bytes the host sent per inspected wheel, against the
wheel's size (the point of range requests: the central directory, not the wheel). ``--wheels N``: each release
has N platform wheels (``cp312-cp312-platNN``; alike but for the tag, as the wheels of one release are), all read.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection

from harness import Measure  # first: puts this tree on sys.path (checker, and tests.fakes below)

from tests.fakes.wheels import FakeWheelHost, build_wheel  # noqa: E402


def serve(packages: int, files: int, latency: float, wheels: int, pipe: Connection) -> None:
    """The host, with every package's two releases, in its own process; answers 'sent' with the bytes sent."""
    with FakeWheelHost(latency=latency) as host:
        payload = os.urandom(4096)
        size = 0
        for n in range(packages):
            name = f"bench-package-{n}"
            for version in ("1.0", "1.1"):
                members = {f"bench_package_{n}/module_{i}.py": payload for i in range(files)}
                wheel = build_wheel(name, version, members, top_level=(f"bench_package_{n}",))
                size = len(wheel)
                for index in range(wheels):
                    host.add_release(name, version, wheel,
                                     tag="py3-none-any" if wheels == 1 else f"cp312-cp312-plat{index:02}")
        pipe.send((host.root, size))
        while True:
            command = pipe.recv()
            if command == "stop":
                return
            with host.lock:
                sent, host.sent = host.sent, 0
            pipe.send(sent)


def run(root: str, packages: int, inspect: bool, cache: str) -> float:
    from checker.model import ArtifactContents, Dependency
    from checker.policy.load import RuleSetting, load_policy
    from checker.registries.stage import gather_facts

    policy = load_policy(f"extends: default\nregistries:\n  pypi: {root}/simple\n", ".github/lockgate.yml",
                         lambda path: None)
    # artifact-content alone: the other rules that ask more than the index page (tags, publishers) are off
    rules = {**policy.rules, "vulnerability": RuleSetting("off", {}), "malicious": RuleSetting("off", {}),
             "source-tag": RuleSetting("off", {}), "publisher-change": RuleSetting("off", {}),
             "artifact-content": RuleSetting("block" if inspect else "off", policy.rules["artifact-content"].options)}
    policy = policy._replace(rules=rules)
    deps = [Dependency("pypi", f"bench-package-{n}", "1.1") for n in range(packages)]
    previous = {("pypi", d.name, "1.1"): {"1.0"} for d in deps}
    os.environ["LOCKGATE_CACHE_DIR"] = cache
    started = time.perf_counter()
    found = gather_facts(deps, offline=False, policy=policy, previous=previous)
    elapsed = time.perf_counter() - started
    if inspect:  # the sanity check: every new wheel and the one it is compared with were read
        read = [f for f in found.values() if isinstance(f.artifact, ArtifactContents) and f.artifact.files
                and isinstance(f.prior_artifact, ArtifactContents)]
        assert len(read) == packages, [f.reason for f in found.values()][:3]
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--wheels", type=int, default=1, help="platform wheels per release")
    options = parser.parse_args()
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    here, there = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(options.packages, options.files, options.latency,
                                                         options.wheels, there),
                                     daemon=True)
    server.start()
    root, wheel_size = here.recv()
    times: dict[bool, list[float]] = {False: [], True: []}
    sent_per_wheel: list[float] = []
    try:
        for _ in range(options.runs):
            for inspect in (False, True):
                with tempfile.TemporaryDirectory(prefix="lockgate-bench-artifacts-") as cache:
                    here.send("sent")
                    here.recv()
                    times[inspect].append(run(root, options.packages, inspect, cache))
                    here.send("sent")
                    sent = here.recv()
                    if inspect:
                        sent_per_wheel.append(sent / (2 * options.packages * options.wheels))
    finally:
        here.send("stop")
        server.join(5)
    off = Measure(statistics.median(times[False]) * 1000, min(times[False]) * 1000, runs=options.runs)
    on = Measure(statistics.median(times[True]) * 1000, min(times[True]) * 1000, runs=options.runs)
    print(f"facts stage, {options.packages} upgraded PyPI packages ({options.wheels} wheel(s) per release), "
          f"{options.latency * 1000:.0f} ms latency, cold ({options.runs} runs, ms)")
    print("| artifact-content | median | min | max |")
    print("|---|---:|---:|---:|")
    print(f"| off | {off.median_ms:,.0f} | {off.min_ms:,.0f} | {max(times[False]) * 1000:,.0f} |")
    print(f"| on | {on.median_ms:,.0f} | {on.min_ms:,.0f} | {max(times[True]) * 1000:,.0f} |")
    print(f"added by inspection (medians): {on.median_ms - off.median_ms:,.0f} ms (target < 2,000 ms)")
    print(f"bytes sent per wheel inspected (the page's share included): {statistics.median(sent_per_wheel):,.0f} "
          f"of a {wheel_size:,}-byte wheel")
    return 0


if __name__ == "__main__":
    sys.exit(main())
