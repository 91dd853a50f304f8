"""Registry facts over TLS, cold: today's client (a new connection per request) and the pooled client, same run.

    python benchmarks/tls_registry.py [--packages N] [--latency SECONDS] [--handshake-round-trips N] [--runs N]
                                      [--baseline REF] [--fake-ca-only]

A fake registry (tests/fakes/registry.py) serves https on 127.0.0.1 from its own process, with a certificate made
at run time (tests/fakes/tls.py). The clients trust this machine's CA bundle with the fake's CA appended, named by
``SSL_CERT_FILE``: loading a real bundle is part of what each of today's connections costs (``--fake-ca-only``:
the fake's CA alone, which leaves the handshakes and their round trips). Half of the ``--packages``
(300) are PyPI projects, half npm packages, a third of them attested (benchmarks/facts.py's population). Each run
is a fresh process with an empty cache that asks the facts stage (``gather_facts``, what ``lockgate check`` runs;
the policy names the fake as the PyPI index and the npm registry) about every package as a changed dependency,
with the stage's own registry stack (16 workers); only that call is timed.

The registry is ``--latency`` away (50 ms): every request waits one round trip, and every new connection waits
``--handshake-round-trips`` more (2: TCP's and TLS 1.3's; the fake serves TLS 1.3), before its handshake, in the
connection's own server thread. ``--handshake-round-trips 0`` gives the handshakes only their CPU time.

Today's client is lockgate at ``--baseline`` (the last commit with urllib's client, which opens a connection, and
loads the CA certificates, for every request), taken out of git with ``git archive`` into a scratch folder; runs
of the two alternate, so that a slow phase of the machine falls on both. A clone without that commit (a shallow
CI checkout) measures the pooled client alone. The server counts the TLS handshakes of each run.
Printed: median, minimum and maximum wall time per client, the ratio of medians, requests and handshakes per run.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from harness import PROJECT, Measure

BASELINE = "96183e8ba4d4094dd8bd2ff83916e4b94dda8daa"  # main just before the pool: http.py on urllib
WORKERS = 16

# One measured run, in a fresh interpreter whose ``checker`` is the one under ``root`` (this tree, or the baseline's
# scratch copy): only the standard library is imported before sys.path says where lockgate comes from.
CHILD = r"""
import json, sys, tempfile, time
root, settings = sys.argv[1], json.loads(sys.argv[2])
sys.path.insert(0, root)
import checker
from checker.model import UNKNOWN, Dependency
from checker.policy.load import load_policy
try:
    from checker.registries.stage import gather_facts
except ImportError:
    from checker.facts import gather_facts
policy = load_policy(settings["policy"], ".github/lockgate.yml", lambda path: None)
deps = [Dependency(ecosystem, name, version) for ecosystem, name, version in settings["packages"]]
with tempfile.TemporaryDirectory() as cache:
    started, cpu = time.perf_counter(), time.process_time()
    found = gather_facts(deps, offline=False, policy=policy, environ={"LOCKGATE_CACHE_DIR": cache})
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
known = sum(1 for f in found.values() if f.release_time is not UNKNOWN and f.exists is True)
print(json.dumps({"seconds": elapsed, "cpu": cpu, "known": known, "checker": checker.__file__}))
"""


def serve(packages: int, latency: float, handshake_delay: float, certificates_dir: str, pipe: Connection) -> None:
    """The fake registry over TLS, in its own process (serving must not compete with the client for the GIL)."""
    from facts import populate  # benchmarks/facts.py: the same population as the facts benchmark

    from tests.fakes.registry import FakeRegistry  # the project root is on sys.path (harness)
    from tests.fakes.tls import make_certificates, server_context

    certificates = make_certificates(Path(certificates_dir))
    fake = FakeRegistry(latency=latency)
    fake.protocol = "HTTP/1.1"
    fake.tls = server_context(certificates)
    fake.handshake_delay = handshake_delay
    with fake:
        requests = populate(fake, packages)
        pipe.send((fake.root, str(certificates.authority), [(r.ecosystem, r.name, r.version) for r in requests]))
        while (message := pipe.recv()) != "stop":
            if message == "counts":
                with fake.lock:
                    pipe.send((len(fake.requests), fake.handshakes))


@dataclass(frozen=True, slots=True)
class ClientFigures:
    """One client's runs: wall ms, requests and TLS handshakes per run (the last run's), answers with a release
    time (a sanity check: every package)."""

    label: str
    measure: Measure
    max_ms: float
    requests: int
    handshakes: int
    known: int


@dataclass(frozen=True, slots=True)
class TlsFigures:
    packages: int
    latency: float
    handshake_round_trips: int
    pooled: ClientFigures
    today: ClientFigures | None  # None: the baseline commit is not in this clone
    trusted: str  # the CA certificates the clients load
    note: str = ""

    @property
    def ratio(self) -> float:
        """Pooled median / today's median (lower is better)."""
        return self.pooled.measure.median_ms / self.today.measure.median_ms if self.today else float("nan")


def baseline_tree(ref: str, scratch: Path) -> tuple[Path | None, str]:
    """lockgate's ``checker`` package at ``ref``, extracted into ``scratch``; None and why when git cannot."""
    target = scratch / "baseline"
    archive = subprocess.run(["git", "-C", str(PROJECT), "archive", "--format=tar", ref, "checker"],
                             capture_output=True)
    if archive.returncode != 0:
        return None, f"today's client not measured: commit {ref[:10]} is not in this clone"
    # The presets too, where the installed package finds them (checker/policies): the baseline's own, not this
    # tree's, which may name rules the baseline does not know.
    presets = subprocess.run(["git", "-C", str(PROJECT), "archive", "--format=tar", "--prefix=checker/", ref,
                              "policies"], capture_output=True)
    target.mkdir(parents=True)
    for tree in (archive.stdout, presets.stdout if presets.returncode == 0 else b""):
        if tree:
            with tarfile.open(fileobj=io.BytesIO(tree)) as tar:
                tar.extractall(target, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))  # type: ignore[arg-type]
    return target, ""


def trust_file(authority: str, scratch: Path, system: bool = True) -> tuple[Path, str]:
    """What the clients trust: this machine's CA certificates with the fake's CA appended (so that a client pays
    for loading a real bundle, as it does against a real registry), and where the bundle came from."""
    import ssl

    if not system:
        return Path(authority), "the fake's CA alone"
    paths = ssl.get_default_verify_paths()
    found = next((Path(p) for p in (paths.cafile, paths.openssl_cafile) if p and Path(p).is_file()), None)
    if found is None:
        try:
            import certifi

            found = Path(certifi.where())
        except ImportError:
            pass
    bundle = found.read_bytes() if found is not None else b""
    trust = scratch / "trust.pem"
    trust.write_bytes(bundle + b"\n" + Path(authority).read_bytes())
    return trust, (f"{found} ({bundle.count(b'BEGIN CERTIFICATE')} certificates) and the fake's CA" if found
                   else "the fake's CA alone (no CA bundle found on this machine)")


def _run_client(root: Path, settings: dict[str, object], authority: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update(SSL_CERT_FILE=authority, NO_PROXY="127.0.0.1")
    for name in ("LOCKGATE_REGISTRY_OFFLINE", "SSL_CERT_DIR", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-c", CHILD, str(root), json.dumps(settings)], capture_output=True,
                          text=True, env=env, cwd=tempfile.gettempdir(), timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"the client under {root} failed:\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    if not str(result["checker"]).startswith(str(root)):
        raise RuntimeError(f"the client meant to run from {root} imported {result['checker']}")
    return result


def measure_tls(packages: int = 300, latency: float = 0.05, runs: int = 5, handshake_round_trips: int = 2,
                baseline: str = BASELINE, system_cas: bool = True) -> TlsFigures:
    """Both clients, ``runs`` times each, alternating (see the module docstring)."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    with tempfile.TemporaryDirectory(prefix="lockgate-tls-") as scratch:
        server = context.Process(target=serve, args=(packages, latency, latency * handshake_round_trips,
                                                     str(Path(scratch) / "tls"), child))
        server.start()
        try:
            root, authority, population = parent.recv()
            trust, trusted = trust_file(authority, Path(scratch), system_cas)
            policy = (f"extends: default\nregistries:\n  pypi: {root}/simple\n  npm: {root}/npm\n"
                      "  retries: 1\n  timeout: 10\n")
            # The index pages and packuments only: what is inside the releases, tags and publishers are
            # benchmarks/artifacts.py's (off here; the baseline commit predates those rules, which a policy
            # naming them would fail).
            inside = "rules:\n  artifact-content: off\n  source-tag: off\n  publisher-change: off\n"
            settings = {"policy": policy + inside, "packages": population}
            old_tree, note = baseline_tree(baseline, Path(scratch))
            clients = {"pooled": PROJECT} | ({"today": old_tree} if old_tree is not None else {})
            seconds: dict[str, list[float]] = {name: [] for name in clients}
            cpu: dict[str, list[float]] = {name: [] for name in clients}
            counts: dict[str, tuple[int, int, int]] = {}
            for _ in range(max(1, runs)):
                for name, tree in clients.items():
                    parent.send("counts")
                    requests_before, handshakes_before = parent.recv()
                    knows = (Path(tree) / "checker" / "rules" / "artifact_content.py").exists()
                    result = _run_client(tree, settings if knows else {**settings, "policy": policy}, str(trust))
                    parent.send("counts")
                    requests_after, handshakes_after = parent.recv()
                    seconds[name].append(float(result["seconds"]))  # type: ignore[arg-type]
                    cpu[name].append(float(result["cpu"]))  # type: ignore[arg-type]
                    counts[name] = (requests_after - requests_before, handshakes_after - handshakes_before,
                                    int(result["known"]))  # type: ignore[call-overload]
        finally:
            parent.send("stop")
            server.join(10)

    def figures(name: str, label: str) -> ClientFigures:
        values = seconds[name]
        measure = Measure(statistics.median(values) * 1000, min(values) * 1000, runs=len(values),
                          cpu_ms=statistics.median(cpu[name]) * 1000)
        return ClientFigures(label, measure, max(values) * 1000, *counts[name])

    today = figures("today", f"today's client (commit {baseline[:10]}: a connection per request)") \
        if "today" in clients else None
    return TlsFigures(packages, latency, handshake_round_trips, figures("pooled", "pooled client (this tree)"),
                      today, trusted, note)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.05, help="one round trip to the registry, in seconds")
    parser.add_argument("--handshake-round-trips", type=int, default=2,
                        help="round trips a new connection waits before its request (TCP + TLS 1.3: 2)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help="the commit whose client is today's (git ref)")
    parser.add_argument("--fake-ca-only", action="store_true", help="trust the fake's CA alone, not this machine's "
                        "CA bundle with it")
    args = parser.parse_args()
    result = measure_tls(args.packages, args.latency, args.runs, args.handshake_round_trips, args.baseline,
                         not args.fake_ca_only)
    print(f"facts for {result.packages} packages over TLS, cold cache, {WORKERS} workers; registry "
          f"{args.latency * 1000:g} ms away (a request: 1 round trip, a new connection: "
          f"{args.handshake_round_trips} more); {args.runs} runs per client, alternating")
    for client in (result.today, result.pooled):
        if client is None:
            continue
        print(f"{client.label:<58} median {client.measure.median_ms:7.0f} ms  min {client.measure.min_ms:7.0f}  "
              f"max {client.max_ms:7.0f}  CPU {client.measure.cpu_ms:6.0f}  {client.requests} requests, "
              f"{client.handshakes} TLS handshakes, "
              f"{client.known} answers with a release time")
    print(f"trusted: {result.trusted}")
    if result.today is not None:
        print(f"pooled / today (medians): {result.ratio:.2f} ({1 / result.ratio:.1f}x faster; target: 3x or more)")
    if result.note:
        print(result.note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
