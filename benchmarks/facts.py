"""Registry facts: 200 changed packages from a fake registry that answers every request after 50 ms.

    python benchmarks/facts.py [--packages N] [--latency SECONDS] [--runs N] [--workers N]

Half the packages are PyPI projects (a PEP 691 page each), half npm packages (a packument each); a third of them
carry provenance. Each package is asked what the facts stage asks for a changed version: the version's facts
and its provenance history (``FactsRequest(..., history=True)``), through the real clients, HTTP helper, cache
and thread pool (tests/fakes/registry.py serves the documents on 127.0.0.1, from a separate process). Rows:
- cold: an empty cache, the default pool (targets: under 1.5 s for 200 packages);
- warm: a second run on the cache the cold run filled, entries still fresh (target: under 100 ms);
- revalidated: the same cache after its TTL, every document answered 304 Not Modified;
- cold + publishers: also the publisher identities of attested versions (one more request each);
- facts stage, cold / warm: the same through ``checker.registries.stage.gather_facts`` (the stage ``lockgate check`` runs),
  from Dependencies to the pipeline's Facts;
- facts stage + OSV, cold / warm: the same with the ``vulnerability`` and ``malicious`` rules on, so that the stage
  also asks a fake OSV API (tests/fakes/osv.py, same latency, same server process) about every package: one
  querybatch, and the record of each of the one package in ten that has an advisory (targets: cold under 2 s,
  warm under 150 ms: the querybatch is asked anew, the records come from the cache);
- serial cold: the same work on one thread, for comparison (run once: it takes packages x latency).
Wall-clock medians over ``--runs`` runs, in process; nothing is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from harness import Measure  # first: puts this tree on sys.path (checker, and tests.fakes below)

from checker.model import UNKNOWN  # noqa: E402
from checker.registries.cache import Cache  # noqa: E402
from checker.registries.fetch import Fetcher  # noqa: E402
from checker.registries.gather import WORKERS, FactsRequest, Registries  # noqa: E402
from checker.registries.http import HttpClient  # noqa: E402
from tests.fakes.osv import FakeOsv  # noqa: E402
from tests.fakes.registry import FakeRegistry, at, github_publisher  # noqa: E402


def populate(fake: FakeRegistry, packages: int) -> list[FactsRequest]:
    """``packages`` packages with three versions each; the request is for the newest."""
    requests = []
    for n in range(packages):
        attested = n % 3 == 0
        if n % 2 == 0:
            name = f"py-package-{n}"
            publisher = github_publisher(f"acme/{name}") if attested else None
            for day, version in ((1, "1.0"), (2, "1.1"), (3, "1.2")):
                fake.add_pypi(name, version, at(day), publisher=publisher)
            requests.append(FactsRequest("pypi", name, "1.2", fake.pypi_url, history=True))
        else:
            name = f"@bench/npm-package-{n}"
            for day, version in ((1, "1.0.0"), (2, "1.1.0"), (3, "1.2.0")):
                fake.add_npm(name, version, at(day), trusted=attested,
                             repository=f"acme/npm-package-{n}" if attested else None)
            requests.append(FactsRequest("npm", name, "1.2.0", fake.npm_url, history=True))
    return requests


def advise(osv: FakeOsv, requests: list[FactsRequest]) -> None:
    """One package in ten gets an advisory for the version asked about (a GHSA-shaped record with a CVSS vector)."""
    for n, request in enumerate(requests):
        if n % 10:
            continue
        ecosystem = "PyPI" if request.ecosystem == "pypi" else "npm"
        osv.add({"id": f"GHSA-bench-{n:04d}", "modified": "2026-01-01T00:00:00Z", "summary": f"advisory {n}",
                 "aliases": [f"CVE-2026-{n:04d}"],
                 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"}],
                 "affected": [{"package": {"ecosystem": ecosystem, "name": request.name},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9.0"}]}],
                               "versions": [request.version]}],
                 "database_specific": {"severity": "MODERATE"}})


def serve(packages: int, latency: float, pipe: Connection) -> None:
    """The fake registry and the fake OSV API, in their own process (so that serving does not compete with the
    client for the GIL)."""
    with FakeRegistry(latency=latency) as fake, FakeOsv(latency=latency) as osv:
        requests = populate(fake, packages)
        advise(osv, requests)
        pipe.send((requests, osv.url))
        pipe.recv()  # until told to stop


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def run(requests: list[FactsRequest], cache_dir: Path, workers: int, clock: Clock,
        publishers: bool = False) -> tuple[float, int, int]:
    """Seconds for one gather, how many answers have a known release time (a sanity check), requests made."""
    if publishers:
        requests = [FactsRequest(r.ecosystem, r.name, r.version, r.registry, publishers=True, history=True)
                    for r in requests]
    http = HttpClient(proxies={}, timeout=10.0, retries=1)
    stack = Registries(Fetcher(http, Cache(cache_dir), clock=clock), workers=workers)
    started = time.perf_counter()
    answers = stack.gather(requests)
    elapsed = time.perf_counter() - started
    known = sum(1 for a in answers.values() if a.facts.release_time is not UNKNOWN and a.facts.exists is True)
    return elapsed, known, http.requests


def run_stage(requests: list[FactsRequest], cache_dir: Path, workers: int, clock: Clock,
              osv_url: str | None = None) -> tuple[float, int, int]:
    """The whole facts stage (checker/registries/stage.py) for the same packages as changed dependencies under the default
    policy, with the fake as the policy's PyPI index and npm registry (a lockfile naming 127.0.0.1 as its index
    would be refused by registry-source, and the stage asks no host that rule refuses): requests built from
    Dependencies, gathered, turned into the pipeline's Facts (prior evidence included). ``osv_url``: also the
    advisories, from the OSV API there (the rules that read them switched on)."""
    from checker.model import Dependency
    from checker.policy.load import load_policy
    from checker.registries.stage import gather_facts

    bases = {r.ecosystem: r.registry for r in requests}
    text = f"extends: default\nregistries:\n  pypi: {bases['pypi']}\n  npm: {bases['npm']}\n"
    if osv_url is not None:
        text += f"  osv: {osv_url}\n"
    # The registries' answers; what is inside the releases (a wheel's central directory, a tarball) and the source
    # repositories' tags are measured by benchmarks/artifacts.py, and are off here so the figures stay comparable.
    text += "rules:\n  artifact-content: off\n  source-tag: off\n  publisher-change: off\n"
    policy = load_policy(text, ".github/lockgate.yml", lambda path: None)
    if osv_url is not None:
        from checker.policy.load import RuleSetting

        policy = policy._replace(rules={**policy.rules, "vulnerability": RuleSetting("block", {}),
                                        "malicious": RuleSetting("block", {})})
    deps = [Dependency(r.ecosystem, r.name, r.version) for r in requests]
    http = HttpClient(proxies={}, timeout=10.0, retries=1)
    stack = Registries(Fetcher(http, Cache(cache_dir), clock=clock), workers=workers)
    started = time.perf_counter()
    found = gather_facts(deps, offline=False, policy=policy, registries=stack)
    elapsed = time.perf_counter() - started
    if osv_url is not None:  # the sanity check of this case: every package's advisories known, one in ten has one
        advised = [f.vulnerabilities for f in found.values() if f.vulnerabilities is not UNKNOWN]
        assert len(advised) == len(deps), f"advisories of only {len(advised)} of {len(deps)} packages: {found}"
        return elapsed, sum(1 for a in advised if a), http.requests
    known = sum(1 for f in found.values() if f.release_time is not UNKNOWN and f.prior_evidence is not UNKNOWN)
    return elapsed, known, http.requests


@dataclass(frozen=True, slots=True)
class FactsFigures:
    """Each case's Measure (seconds as milliseconds) and how many requests its last run made."""

    packages: int
    known: int
    cases: dict[str, tuple[Measure, int]]


def _measure(seconds: list[float]) -> Measure:
    return Measure(statistics.median(seconds) * 1000, min(seconds) * 1000, runs=len(seconds))


def measure_facts(packages: int = 200, latency: float = 0.05, runs: int = 5, workers: int = WORKERS) -> FactsFigures:
    """Every case of the module docstring, ``runs`` times each (the serial case once)."""
    parent, child = multiprocessing.get_context("spawn").Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(packages, latency, child))
    server.start()
    requests, osv_url = parent.recv()
    times: dict[str, list[float]] = {case: [] for case in CASES}
    counts: dict[str, int] = {}
    known = 0
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for attempt in range(max(1, runs)):
                clock = Clock()
                cache_dir = Path(scratch) / f"run{attempt}"
                seconds, known, counts["cold"] = run(requests, cache_dir, workers, clock)
                times["cold"].append(seconds)
                seconds, _, counts["warm"] = run(requests, cache_dir, workers, clock)
                times["warm"].append(seconds)
                clock.offset += 7200  # past the TTL: every document is revalidated (304)
                seconds, _, counts["revalidated"] = run(requests, cache_dir, workers, clock)
                times["revalidated"].append(seconds)
                seconds, _, counts["publishers"] = run(requests, Path(scratch) / f"pub{attempt}", workers, Clock(), True)
                times["publishers"].append(seconds)
                stage = Path(scratch) / f"stage{attempt}"
                seconds, _, counts["stage cold"] = run_stage(requests, stage, workers, Clock())
                times["stage cold"].append(seconds)
                seconds, _, counts["stage warm"] = run_stage(requests, stage, workers, Clock())
                times["stage warm"].append(seconds)
                advised = Path(scratch) / f"osv{attempt}"
                seconds, flagged, counts["osv cold"] = run_stage(requests, advised, workers, Clock(), osv_url)
                assert flagged == (len(requests) + 9) // 10, f"{flagged} packages with an advisory"
                times["osv cold"].append(seconds)
                seconds, _, counts["osv warm"] = run_stage(requests, advised, workers, Clock(), osv_url)
                times["osv warm"].append(seconds)
            seconds, _, counts["serial"] = run(requests, Path(scratch) / "serial", 1, Clock())
            times["serial"].append(seconds)
    finally:
        parent.send("stop")
        server.join(10)
    return FactsFigures(packages, known, {case: (_measure(times[case]), counts[case]) for case in CASES})


CASES = {
    "cold": "cold cache ({workers} workers)",
    "warm": "warm cache",
    "revalidated": "revalidated (304 after the TTL)",
    "publishers": "cold + publishers",
    "stage cold": "facts stage (checker/registries/stage.py), cold",
    "stage warm": "facts stage, warm",
    "osv cold": "facts stage + OSV advisories, cold",
    "osv warm": "facts stage + OSV advisories, warm",
    "serial": "serial cold (1 worker, 1 run)",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args()
    figures = measure_facts(args.packages, args.latency, args.runs, args.workers)
    print(f"facts for {figures.packages} packages ({figures.known} with a release time), fake registry latency "
          f"{args.latency * 1000:g} ms, median of {args.runs} runs (targets: cold < 1.5 s, warm < 100 ms; with OSV: "
          "cold < 2 s, warm < 150 ms)")
    for case, label in CASES.items():
        measure, made = figures.cases[case]
        print(f"{label.format(workers=args.workers):<40} {measure.median_ms:8.0f} ms {made:>6} requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
