"""Faults: the real clients (PyPI, npm, GitHub through PyGithub) against servers on 127.0.0.1 that misbehave on purpose
(tests/fakes/faulty.py) — connection refused, accept-then-hang, a reset in the middle of the body, 5xx, 429 with
Retry-After, invalid or truncated JSON, the wrong content type, a body over the cap (announced or not, or a gzip
bomb), a body or headers dripping a byte at a time without end, a redirect loop, and garbage where JSON belongs.

For each: the client retries within bounds (the server counts the requests it saw), then the fact is unknown with a
reason naming the failure; the run ends within its time budget (the policy's ``registries.budget``; for
``lockgate pr`` LOCKGATE_GITHUB_BUDGET), and the verdict follows ``on-unknown`` (warn: exit 0 with warnings, block:
exit 3). No test measures time: a run that did not end would hang the test, and the commands that run as a
subprocess carry a generous timeout as a guard against that.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from checker.cli import main
from checker.model import UNKNOWN
from checker.registries.fetch import Fetcher
from checker.registries.github import GitHubRefs, GitHubUnavailable
from checker.registries.http import MiB, HttpClient
from checker.registries.npm import NpmClient
from checker.registries.pypi import SIMPLE_JSON, PypiClient
from tests.fakes.osv import quiet_copies
from tests.fakes import runner
from tests.fakes.faulty import FaultyServer, Misbehaviour, bomb, refused_url
from tests.fakes.github_api import FakeGitHub, sha

M = Misbehaviour
HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64
CAP = MiB  # the clients' body cap in the matrix (their defaults are 64 and 128 MiB)
PYPI_PAGE = json.dumps({"meta": {"api-version": "1.1"}, "name": "a", "versions": ["1.0"], "files": [
    {"filename": "a-1.0.tar.gz", "url": "https://files.example/a-1.0.tar.gz", "hashes": {"sha256": "a" * 64},
     "upload-time": "2026-03-01T12:00:00.000000Z", "yanked": False, "provenance": None}]})
PACKUMENT = json.dumps({"_id": "a", "name": "a", "dist-tags": {"latest": "1.0"}, "time": {"1.0": "2026-03-01T12:00:00.000Z"},
                        "versions": {"1.0": {"name": "a", "version": "1.0", "dist": {
                            "integrity": "sha512-" + "A" * 86 + "==", "tarball": "https://registry.example/a/-/a-1.0.tgz"}}}})
HTML = "<!DOCTYPE html><html><body>Sign in to continue</body></html>"
BIG = json.dumps({"pad": "x" * 20000})


class Sleeps(list):  # type: ignore[type-arg]
    """An injected sleep: backoff is recorded, not waited (the budget still counts real time)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


# --- the matrix: PyPI and npm clients -------------------------------------------------------------------------------

# (id, script for a PyPI index, script for an npm registry, requests the server sees, reason as a regular expression
# in which URL stands for the document's URL); a script's last step repeats.
MATRIX: list[tuple[str, list[M], list[M], int, str]] = [
    ("accept then hang", [M("hang")], [M("hang")], 3,
     r"no answer from 127\.0\.0\.1 within 0\.1 s \(gave up after 3 tries\)"),
    ("reset mid-body", [M("reset", body=BIG)], [M("reset", body=BIG)], 3,
     r"connection to 127\.0\.0\.1 failed while reading: .*Connection reset by peer.* \(gave up after 3 tries\)"),
    ("500", [M("ok", status=500)], [M("ok", status=500)], 3, r"HTTP 500 from URL \(gave up after 3 tries\)"),
    ("502", [M("ok", status=502)], [M("ok", status=502)], 3, r"HTTP 502 from URL \(gave up after 3 tries\)"),
    ("503", [M("ok", status=503)], [M("ok", status=503)], 3, r"HTTP 503 from URL \(gave up after 3 tries\)"),
    ("429 with Retry-After", [M("ok", status=429, headers={"Retry-After": "1"})],
     [M("ok", status=429, headers={"Retry-After": "1"})], 3, r"HTTP 429 from URL \(gave up after 3 tries\)"),
    ("429 asking for an hour", [M("ok", status=429, headers={"Retry-After": "3600"})],
     [M("ok", status=429, headers={"Retry-After": "3600"})], 1,
     r"HTTP 429 from URL: the server asks to wait 3600 s, more than the 30 s lockgate waits"),
    ("invalid JSON", [M("ok", body="{'name': 'a'}", content_type=SIMPLE_JSON)], [M("ok", body="{'name': 'a'}")], 1,
     r"invalid JSON from URL: Expecting property name enclosed in double quotes \(line 1, column 2\)"),
    ("truncated JSON", [M("ok", body=PYPI_PAGE[:120], content_type=SIMPLE_JSON)], [M("ok", body=PACKUMENT[:120])], 1,
     r"invalid JSON from URL: .* \(line 1, column \d+; the body ends early: truncated\?\)"),
    ("wrong content type", [M("ok", body=PYPI_PAGE, content_type="text/html")],
     [M("ok", body=HTML, content_type="text/html")], 1,
     r"(URL answered text/html, not application/vnd\.pypi\.simple\.v1\+json"
     r"|invalid JSON from URL: Expecting value \(line 1, column 1\))"),
    ("JSON of another shape", [M("ok", body='{"error": "login required"}', content_type=SIMPLE_JSON)],
     [M("ok", body='{"error": "login required"}')], 1,
     r"(URL: 'files' must be a list \(PEP 691\)|URL: not a packument \(no 'versions', and not marked unpublished\))"),
    ("larger than the cap, announced", [M("oversize", size=2 * CAP)], [M("oversize", size=2 * CAP)], 1,
     r"response from URL is 2097163 bytes, more than the 1 MiB lockgate accepts"),
    ("larger than the cap, unannounced", [M("oversize", size=2 * CAP, headers={"Content-Length": ""})],
     [M("oversize", size=2 * CAP, headers={"Content-Length": ""})], 1,
     r"response from URL is larger than the 1 MiB lockgate accepts"),
    ("gzip bomb", [M("bomb", size=8 * CAP)], [M("bomb", size=8 * CAP)], 1,
     r"response from URL is larger than the 1 MiB lockgate accepts"),
    # (on a loaded machine a gap between two drops may pass the 0.1 s read timeout: then that is the reason)
    # Which limit ends a drip depends on scheduling (a loaded machine can stall the fake server for a while).
    ("a body dripping without end", [M("drip", interval=0.02)], [M("drip", interval=0.02)], 3,
     r"(127\.0\.0\.1 did not finish answering within 0\.3 s|no answer from 127\.0\.0\.1 within 0\.1 s"
     r"|127\.0\.0\.1 stopped sending for 0\.1 s) \(gave up after 3 tries\)"),
    ("headers dripping without end", [M("drip-headers", interval=0.02)], [M("drip-headers", interval=0.02)], 3,
     r"(127\.0\.0\.1 did not finish answering within 0\.3 s|no answer from 127\.0\.0\.1 within 0\.1 s)"
     r" \(gave up after 3 tries\)"),
    ("redirect loop", [M("redirect", location="/simple/a/?hop={n}")], [M("redirect", location="/npm/a?hop={n}")], 6,
     r"more than 5 redirects from URL"),
]


def client_facts(root: str, ecosystem: str, sleeps: Sleeps, **http: Any) -> Any:
    """The facts of a 1.0 from the real client of ``ecosystem`` at ``root`` (no cache)."""
    settings: dict[str, Any] = {"timeout": 0.1, "retries": 2, "budget_seconds": 60.0, "sleep": sleeps,
                                "proxies": {}, "rng": random.Random(7)}
    settings.update(http)
    fetcher = Fetcher(HttpClient(**settings), None)
    if ecosystem == "pypi":
        return PypiClient(fetcher, root + "/simple", page_max_bytes=CAP).facts("a", "1.0")
    return NpmClient(fetcher, root + "/npm", max_bytes=CAP).facts("a", "1.0")


def document_url(root: str, ecosystem: str) -> str:
    return f"{root}/simple/a/" if ecosystem == "pypi" else f"{root}/npm/a"


@pytest.mark.parametrize("ecosystem", ["pypi", "npm"])
@pytest.mark.parametrize(("fault", "pypi_script", "npm_script", "tries", "reason"), MATRIX, ids=[m[0] for m in MATRIX])
def test_a_fault_is_retried_within_bounds_then_unknown_with_the_reason(
    ecosystem: str, fault: str, pypi_script: list[M], npm_script: list[M], tries: int, reason: str
) -> None:
    sleeps = Sleeps()
    if fault == "gzip bomb":
        bomb(8 * CAP)  # compressed before the server answers, not while the client's 0.1 s timeout runs
    with FaultyServer(*(pypi_script if ecosystem == "pypi" else npm_script)) as server:
        facts = client_facts(server.root, ecosystem, sleeps)
    assert len(server.requests) == tries
    assert (facts.exists, facts.release_time, facts.hashes, facts.evidence) == (UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)
    expected = reason.replace("URL", re.escape(document_url(server.root, ecosystem)))
    assert re.fullmatch(expected, facts.reason), facts.reason
    if fault == "429 with Retry-After":
        assert sleeps == [1.0, 1.0]  # the server's wish, exactly, between the tries
    elif tries == 3:
        assert len(sleeps) == 2 and all(0 < s <= 1.0 for s in sleeps)  # backoff with jitter between the tries


def test_connection_refused() -> None:
    sleeps = Sleeps()
    url = refused_url()
    for ecosystem in ("pypi", "npm"):
        facts = client_facts(url.rstrip("/"), ecosystem, sleeps)
        assert facts.exists is UNKNOWN
        assert re.fullmatch(r"could not connect to 127\.0\.0\.1: .*Connection refused.* \(gave up after 3 tries\)",
                            facts.reason), facts.reason
    assert len(sleeps) == 4


@pytest.mark.parametrize("ecosystem", ["pypi", "npm"])
def test_a_fault_then_an_answer(ecosystem: str) -> None:
    document = PYPI_PAGE if ecosystem == "pypi" else PACKUMENT
    kind = SIMPLE_JSON if ecosystem == "pypi" else "application/json"
    with FaultyServer(M("ok", status=503), M("hang"), M("ok", body=document, content_type=kind)) as server:
        facts = client_facts(server.root, ecosystem, Sleeps(), timeout=0.5)
    assert len(server.requests) == 3
    assert (facts.exists, facts.hashes) == (True, frozenset({"sha256:" + "a" * 64}) if ecosystem == "pypi"
                                             else frozenset({"sha512:" + "0" * 128}))


def test_a_dripping_body_is_cut_at_the_run_budget() -> None:
    """The budget, not the answer's own allowance (three timeouts), ends it: no second try is started."""
    with FaultyServer(M("drip")) as server:
        facts = client_facts(server.root, "pypi", Sleeps(), timeout=5.0, budget_seconds=1.0)
    assert len(server.requests) == 1
    assert facts.reason == "registry time budget of 1 s used up while 127.0.0.1 was still answering"


def test_the_budget_stops_every_lookup_of_the_run() -> None:
    """Ten packages behind a hanging index: once the run's budget is spent, the lookups still waiting fail at once
    instead of each taking its own timeouts and retries."""
    from checker.registries.gather import FactsRequest, Registries

    with FaultyServer(M("hang")) as server:
        stack = Registries.create(cache=False, timeout=0.3, retries=5, budget_seconds=0.8, workers=2, sleep=Sleeps(),
                                  proxies={})
        requests = [FactsRequest("pypi", f"p{i}", "1.0", registry=server.root + "/simple") for i in range(10)]
        answers = stack.gather(requests)
    reasons = [answers[r].facts.reason for r in requests]
    assert all(answers[r].facts.exists is UNKNOWN for r in requests)
    assert any("registry time budget of 0.8 s used up" in reason or "no time left to retry" in reason
               for reason in reasons), reasons
    assert len(server.requests) < 10 * 6  # far fewer than every package's full retries


# --- the command line: on-unknown decides ---------------------------------------------------------------------------


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LOCKGATE_REGISTRY_OFFLINE", raising=False)
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(tmp_path / "cache"))
    quiet_copies(tmp_path / "cache")  # OSV knows no advisory, offline as online (tests/conftest.py)


def policy(index: str, on_unknown: str) -> str:
    return (f"extends: default\non-unknown: {on_unknown}\n"
            f"registries:\n  pypi: {index}\n  timeout: 0.2\n  retries: 1\n  budget: 5\n  cache: false\n"
            "review: {required-for: []}\n")


def bumped(repo, index: str, on_unknown: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    base = repo.commit("base", {".github/lockgate.yml": policy(index, on_unknown),
                                "requirements.txt": f"a==0.9 \\\n    --hash={HASH_A}\n"})
    head = repo.commit("bump", {"requirements.txt": f"a==1.0 \\\n    --hash={HASH_B}\n"})
    return base, head


CLI_FAULTS = [
    ("hang", [M("hang")], 2, r"no answer from 127\.0\.0\.1 within 0\.2 s \(gave up after 2 tries\)"),
    ("503", [M("ok", status=503)], 2, r"HTTP 503 from URL \(gave up after 2 tries\)"),
    ("drip", [M("drip", interval=0.02)], 2,
     r"(127\.0\.0\.1 did not finish answering within 0\.6 s|no answer from 127\.0\.0\.1 within 0\.2 s)"
     r" \(gave up after 2 tries\)"),
    ("invalid JSON", [M("ok", body="<html>", content_type=SIMPLE_JSON)], 1,
     r"invalid JSON from URL: Expecting value \(line 1, column 1\)"),
]


@pytest.mark.parametrize("on_unknown", ["warn", "block"])
@pytest.mark.parametrize(("fault", "script", "tries", "reason"), CLI_FAULTS, ids=[f[0] for f in CLI_FAULTS])
def test_check_finishes_and_the_verdict_follows_on_unknown(capsys, repo, online, on_unknown: str, fault: str,
                                                          script: list[M], tries: int, reason: str) -> None:
    with FaultyServer(*script) as server:
        base, head = bumped(repo, server.root + "/simple", on_unknown)
        code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"])
    out, err = capsys.readouterr()
    assert err == ""
    doc = json.loads(out)
    assert len(server.requests) == tries  # one document per package, asked once per run whatever the rules
    expected = reason.replace("URL", re.escape(f"{server.root}/simple/a/"))
    [facts] = doc["facts"]
    assert re.fullmatch(expected, facts["reason"]), facts["reason"]
    assert (facts["exists"], facts["release_time"], facts["provenance"]) == ("unknown", "unknown", "unknown")
    unknown = [f for f in doc["findings"] if f["unknown"]]
    assert {f["rule"] for f in unknown} == {"version-exists", "release-age", "hash-mismatch", "provenance-downgrade",
                                            "artifact-content", "publisher-change", "source-tag"}
    # an unknown costs what on-unknown says, never more than its rule could: publisher-change only warns
    assert {f["rule"]: f["level"] for f in unknown} == {
        rule: "warn" if rule == "publisher-change" else on_unknown for rule in {f["rule"] for f in unknown}}
    assert all(facts["reason"] in f["message"] for f in unknown)
    assert [f for f in doc["findings"] if not f["unknown"]] == []
    if on_unknown == "warn":
        assert (code, doc["verdict"]) == (0, "warn")
    else:
        assert (code, doc["verdict"]) == (3, "block")


def test_connection_refused_on_the_command_line(capsys, repo, online) -> None:
    base, head = bumped(repo, refused_url("/simple"), "block")
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 3
    assert "Connection refused" in doc["facts"][0]["reason"]


def test_a_hanging_index_cannot_hold_the_command_past_its_budget(repo, online, tmp_path) -> None:
    """The real command as a subprocess: a dripping index, many retries allowed, a 1-second budget."""
    with FaultyServer(M("drip")) as server:
        base = repo.commit("base", {".github/lockgate.yml": policy(server.root + "/simple", "warn").replace(
            "retries: 1", "retries: 50").replace("budget: 5", "budget: 1").replace("timeout: 0.2", "timeout: 5"),
            "requirements.txt": f"a==0.9 \\\n    --hash={HASH_A}\n"})
        head = repo.commit("bump", {"requirements.txt": f"a==1.0 \\\n    --hash={HASH_B}\n"})
        env = {**repo.env, "LOCKGATE_CACHE_DIR": str(tmp_path / "c"), "NO_PROXY": "127.0.0.1"}
        env.pop("LOCKGATE_REGISTRY_OFFLINE", None)
        done = subprocess.run([sys.executable, "-m", "checker", "check", "--base", base, "--head", head, "--format",
                               "json"], cwd=repo.path, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    [facts] = json.loads(done.stdout)["facts"]
    assert facts["reason"] == "registry time budget of 1 s used up while 127.0.0.1 was still answering"
    assert len(server.requests) <= 3


# --- GitHub: the pin-comment lookups (checker/registries/github.py) ---------------------------------------------------

REF = json.dumps({"ref": "refs/tags/v1", "node_id": "R", "url": "u", "object": {"sha": sha("v1"), "type": "commit",
                                                                               "url": "u"}})
GITHUB_MATRIX: list[tuple[str, list[M], int, str]] = [
    ("accept then hang", [M("hang")], 2, r"tag v1 of actions/checkout: ConnectionError: .*Read timed out.*"),
    ("reset mid-body", [M("reset", body=BIG)], 1,
     r"tag v1 of actions/checkout: ChunkedEncodingError: .*Connection reset by peer.*"),
    ("502", [M("ok", status=502, body='{"message": "Bad Gateway"}')], 2,
     r"tag v1 of actions/checkout: GitHub answered 502: Bad Gateway"),
    ("429 with Retry-After", [M("ok", status=429, headers={"Retry-After": "1"}, body='{"message": "slow down"}')], 2,
     r"tag v1 of actions/checkout: GitHub answered 429: slow down"),
    ("invalid JSON", [M("ok", body="<html>")], 1,
     r"tag v1 of actions/checkout: GitHub's answer could not be read \(AttributeError: .*\)"),
    ("truncated JSON", [M("ok", body=REF[:60])], 1,
     r"tag v1 of actions/checkout: GitHub's answer could not be read \(JSONDecodeError: .*\)"),
    ("wrong content type", [M("ok", body=HTML, content_type="text/html")], 1,
     r"tag v1 of actions/checkout: GitHub's answer could not be read \(AttributeError: .*\)"),
    ("a body dripping without end", [M("drip")], 1,
     r"tag v1 of actions/checkout: no answer from GitHub within the time budget for GitHub lookups \(1 s\)"),
    ("headers dripping without end", [M("drip-headers")], 1,
     r"tag v1 of actions/checkout: no answer from GitHub within the time budget for GitHub lookups \(1 s\)"),
    ("redirect loop", [M("redirect", location="/api/v3/repos/actions/checkout/git/ref/tags/v1?hop={n}")], 1,
     r"tag v1 of actions/checkout: GitHub's answer could not be read \(TypeError: .*\)"),
]


def refs(api_url: str, **options: Any) -> GitHubRefs:
    settings: dict[str, Any] = {"token": "t0ken", "api_url": api_url, "timeout": 1, "retries": 1, "backoff": 0,
                                "budget_seconds": 2.0}
    settings.update(options)
    return GitHubRefs(**settings)


@pytest.mark.parametrize(("fault", "script", "tries", "reason"), GITHUB_MATRIX, ids=[g[0] for g in GITHUB_MATRIX])
def test_a_github_fault_is_bounded_then_unavailable_with_the_reason(fault: str, script: list[M], tries: int,
                                                                    reason: str) -> None:
    budget = 1.0 if "dripping" in fault else 10.0  # a drip is ended by the budget; a hang by the retries
    with FaultyServer(*script) as server:
        with pytest.raises(GitHubUnavailable) as caught:
            refs(server.root + "/api/v3", budget_seconds=budget).tag_commit("actions/checkout", "v1")
    assert re.fullmatch(reason, str(caught.value)), str(caught.value)
    assert len(server.requests) == tries


def test_github_refused_and_then_answered() -> None:
    with pytest.raises(GitHubUnavailable) as caught:
        refs(refused_url("/api/v3").rstrip("/")).tag_commit("actions/checkout", "v1")
    assert "ConnectionError" in str(caught.value) and "Connection refused" in str(caught.value)
    with FaultyServer(M("ok", status=502, body="{}"), M("ok", body=REF)) as server:  # one retry
        assert refs(server.root + "/api/v3").tag_commit("actions/checkout", "v1") == sha("v1")
    assert len(server.requests) == 2


@pytest.fixture
def no_real_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)


V420 = sha("c3-v4.2.0")
WORKFLOW = (".github/workflows/ci.yml", "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@{pin} # v4.2.0\n")


@pytest.mark.parametrize("on_unknown", ["warn", "block"])
def test_pin_comment_lookups_against_a_hanging_github_end_at_the_budget(capsys, repo, monkeypatch, no_real_github,
                                                                        on_unknown: str) -> None:
    path, text = WORKFLOW
    with FaultyServer(M("drip")) as server:
        monkeypatch.setenv("GITHUB_API_URL", server.root + "/api/v3")
        base = repo.commit("base", {".github/lockgate.yml": f"extends: default\non-unknown: {on_unknown}\n"
                                    "registries: {budget: 1.5}\nreview: {required-for: []}\n",
                                    path: text.format(pin=sha("c2-v4.1.0"))})
        head = repo.commit("bump", {path: text.format(pin=V420)})
        code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    [finding] = [f for f in doc["findings"] if f["rule"] == "pin-comment"]
    assert finding["unknown"] is True and finding["level"] == on_unknown
    assert "no answer from GitHub within the time budget for GitHub lookups (1.5 s)" in finding["message"]
    assert code == (0 if on_unknown == "warn" else 3)
    assert len(server.requests) <= 2  # the lookups running when the budget ran out; none started after


# --- GitHub: lockgate pr (checker/github/*) --------------------------------------------------------------------------

TOKEN = "ghs_FaultsRunToken0123456789ABCDEFGH"


class Runner(runner.Runner):
    token = TOKEN


@pytest.fixture
def pull(repo, tmp_path) -> Iterator[tuple[Runner, FakeGitHub, str]]:  # type: ignore[no-untyped-def]
    """A pull request bumping a pinned requirement (blocked until reviewed), its event built from the fake GitHub."""
    with FakeGitHub() as fake:
        fake.add_token(TOKEN)
        base = repo.commit("base", {".github/lockgate.yml": "extends: default\nrules:\n  release-age: off\n"
                                    "  version-exists: off\n  hash-mismatch: off\n  provenance-downgrade: off\n"
                                    "review:\n  reviewers: [alice]\n",
                                    "requirements.txt": f"a==0.9 \\\n    --hash={HASH_A}\n"})
        repo.git("checkout", "-q", "-b", "feature")
        head = repo.commit("bump", {"requirements.txt": f"a==1.0 \\\n    --hash={HASH_B}\n"})
        fake.add_pull(5, "mallory", base, head)
        yield Runner(tmp_path, repo.path, fake, repo.env), fake, head


PR_FAULTS = [
    ("hang", [M("hang")], "did not answer within the time budget (1 s for all calls of a run)"),
    ("drip", [M("drip")], "did not answer within the time budget (1 s for all calls of a run)"),
    ("502", [M("ok", status=502, body='{"message": "Bad Gateway"}')],
     "did not answer within the time budget (1 s for all calls of a run)"),
    ("invalid JSON", [M("ok", body="<html>")], "GitHub's answer could not be read"),
    ("reset", [M("reset", body=BIG)], "Connection reset by peer"),
]


@pytest.mark.parametrize(("fault", "script", "said"), PR_FAULTS, ids=[p[0] for p in PR_FAULTS])
def test_pr_against_a_failing_github_api_finishes_on_the_verdict(pull, fault: str, script: list[M], said: str) -> None:
    """Reading the approvals, commenting and setting the status all fail: the run still ends (within the GitHub
    budget), warns in words, and exits on the verdict (the unreviewed bump blocks: 1), never with a traceback."""
    runner_, fake, head = pull
    event = runner_.pull_event(5)
    with FaultyServer(*script) as server:
        result = runner_.run("pull_request", event, env={"GITHUB_API_URL": server.root + "/api/v3",
                                                         "LOCKGATE_GITHUB_BUDGET": "1"})
    assert result.stderr == "", result.stderr
    assert result.code == 1, result.stdout
    assert result.outputs["verdict"] == "block"
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert any("could not update the pull-request comment" in w and said in w for w in warnings), warnings
    if fault != "invalid JSON":  # a 200 with garbage "accepts" the status: PyGithub does not check what it got back
        assert any("could not set the lockgate commit status" in w for w in warnings), warnings
    assert "needs a review by alice" in result.stdout
    if fault == "502":
        assert 1 < len(server.requests) <= 3  # retried (GithubRetry backs off 0.5, 1, 2 s) until the budget ran out
    assert TOKEN not in result.stdout + result.summary


def test_pr_a_bad_github_budget_is_a_usage_error(pull) -> None:
    runner_, fake, head = pull
    result = runner_.run("pull_request", runner_.pull_event(5), env={"LOCKGATE_GITHUB_BUDGET": "soon"})
    assert result.code == 2
    assert result.stderr == "lockgate: error: LOCKGATE_GITHUB_BUDGET must be a number of seconds greater than 0; found 'soon'\n"
