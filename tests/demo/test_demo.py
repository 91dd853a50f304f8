"""``lockgate demo``: the March 2026 scenario, offline, from data shipped with the package.

A bot's pull request bumps litellm 1.82.6 -> 1.82.8 (denied, needs a review; the registry no longer lists it),
moves aquasecurity/trivy-action from a commit to a tag (pinning, review), bumps requests 2.30.0 -> 2.31.0 (still
affected by one advisory, fixes another; review), and bumps pytest 8.3.4 -> 8.3.5 in the test requirements
(passes). The registry documents go through the real PyPI client from a temporary cache."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket

import pytest

from checker.cli import main
from checker.demo import registry
from checker.demo.example import DEMO_NOW, build_repository, demo_policy, demo_report, render_demo, tree
from checker.report.risk import PolicyView


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return demo_report()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the demo must not open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_the_cli_demo_blocks_and_says_why(capsys: pytest.CaptureFixture[str], no_network: None) -> None:
    assert main(["demo"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("lockgate demo: a bot's pull request (March 2026) bumps litellm 1.82.6 -> 1.82.8, moves "
                          "aquasecurity/trivy-action from a commit to a tag, bumps requests 2.30.0 -> 2.31.0 and pytest "
                          "8.3.4 -> 8.3.5.\n\n")
    assert "  x upgraded       litellm 1.82.6 -> 1.82.8 (patch)   review required\n" in out
    assert "      BLOCK deny: litellm 1.82.8 is a known-malicious release (published with a PyPI token" in out
    assert ("  x upgraded       aquasecurity/trivy-action 915b19bbe73b92a6cf82a1bc12b087c9a19a5fe2 (0.28.0) -> 0.33.1 "
            "(minor) [build]   review required\n") in out
    assert "  ✓ upgraded       pytest 8.3.4 -> 8.3.5 (patch) [dev]\n" in out
    assert ("      WARN  vulnerability: requests 2.31.0 is affected by GHSA-9wx4-h78v-vm56 (CVE-2024-35195), moderate 5.6: "
            "Requests `Session` object does not verify requests after making first request with verify=False\n"
            "            fix: fixed in 2.32.2: upgrade to it (see https://osv.dev/vulnerability/GHSA-9wx4-h78v-vm56)\n") in out
    assert ("      INFO  vulnerability: requests 2.30.0 -> 2.31.0 fixes GHSA-j8r2-6x86-q33q (CVE-2023-32681), moderate "
            "6.1: Unintended leak of Proxy-Authorization header in requests\n") in out
    # no copy of the GitHub Actions advisories is shipped: lockgate says it could not check, never "none"
    # (folded into one line of the "Not checked" section, with its cause and the fix)
    assert ("  WARN  offline: OSV was not asked, and no copy of its GitHub Actions advisories was synced (lockgate db "
            "sync): 2 checks (malicious, vulnerability) could not be made for aquasecurity/trivy-action\n") in out
    assert "could not check" not in out  # not once per finding
    assert out.rstrip().endswith("\n\nBLOCKED: 3 of 4 dependency changes blocked · 7 blocking findings · 4 warnings · "
                                 "1 vulnerable change: 1 moderate")
    assert "\x1b" not in out  # not a terminal: no colour


def test_the_markdown_demo_is_the_full_comment(capsys: pytest.CaptureFixture[str], no_network: None) -> None:
    assert main(["demo", "--format", "markdown"]) == 1
    md = capsys.readouterr().out
    lines = md.split("\n")
    assert lines[0] == "<!-- lockgate:risk-summary -->"
    assert lines[1].startswith("### \u274c lockgate: Blocked · 3 of 4 dependency changes blocked · ")
    unblock = md[md.index("**What unblocks this**"):md.index("\n\n", md.index("**What unblocks this**"))].split("\n")
    assert unblock[1].startswith(
        "- \u274c <b>aquasecurity/trivy\\-action</b> <code>915b19bbe73b</code> (0\\.28\\.0) \u2192 <code>0\\.33\\.1</code> minor "
        "in <code>\\.github/workflows/ci\\.yml&#58;10</code>: **Pin a full commit SHA**: keep the commit the base branch pins")
    assert unblock[2] == (
        "- \u274c <b>litellm</b> <code>1\\.82\\.6</code> \u2192 <code>1\\.82\\.8</code> patch in <code>requirements\\.txt&#58;3</code>: "
        "**Move off this version**: litellm 1\\.82\\.8 is a known\\-malicious release \\(published with a PyPI token stolen "
        "through a poisoned Trivy in CI \\(March 2026\\); adds litellm\\_init\\.pth, which runs at every Python start\\-up\\)&#58; "
        "stay on 1\\.82\\.6 <sub>(the other reasons are folded in its details)</sub>")
    assert "| \U0001f7e2 | [<code>pytest</code>](https://pypi.org/project/pytest/) <sub>dev</sub> | <code>8\\.3\\.4</code> " \
           "\u2192 <code>8\\.3\\.5</code> patch | 12 months | \u2705 |" in md
    assert "#### <code>\\.github/workflows/ci\\.yml</code> · GitHub Actions" in md
    assert "#### <code>requirements\\-dev\\.txt</code> · PyPI" in md
    assert "[source tag 0\\.33\\.1](https://github.com/aquasecurity/trivy-action/releases/tag/0.33.1)" in md
    assert "**Not checked**\n- \u26a0\ufe0f offline&#58; OSV was not asked" in md  # one line, not a block per rule
    assert lines[-2].startswith("<sub>lockgate ") and "policy <code>\\.github/lockgate\\.yml</code>" in lines[-2]


def test_every_format_renders_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("json", "sarif", "github"):
        assert main(["demo", "--format", fmt]) == 1
        out = capsys.readouterr().out
        if fmt != "github":
            json.loads(out)
        else:
            assert out.startswith("::error file=")


def test_commits_are_the_same_on_every_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert build_repository(str(tmp_path / "a")) == build_repository(str(tmp_path / "b"))


def test_the_shipped_tree() -> None:
    base, head = tree("base"), tree("head")
    assert sorted(base) == sorted(head) == [
        ".github/lockgate.yml", ".github/workflows/ci.yml", "requirements-dev.txt", "requirements.txt",
    ]
    policy = demo_policy()
    view = PolicyView.from_policy(policy)
    assert (view.path, view.reviewers, view.label) == (".github/lockgate.yml", ("alice", "@acme/security"),
                                                        "dependencies-reviewed")


def test_the_report(report) -> None:  # type: ignore[no-untyped-def]
    assert report.verdict == "block" and report.policy == ".github/lockgate.yml"
    by_name = {c.name: (c.kind, c.bump, c.before.display_version(), c.after.display_version()) for c in report.changes}
    assert by_name == {
        "litellm": ("upgraded", "patch", "1.82.6", "1.82.8"),
        "aquasecurity/trivy-action": ("upgraded", "minor", "915b19bbe73b92a6cf82a1bc12b087c9a19a5fe2", "0.33.1"),
        "pytest": ("upgraded", "patch", "8.3.4", "8.3.5"),
        "requests": ("upgraded", "minor", "2.30.0", "2.31.0"),
    }
    rules = {(f.rule, f.dependency.name if f.dependency else None) for f in report.findings if f.counts}
    assert {("deny", "litellm"), ("review", "litellm"), ("action-pinning", "aquasecurity/trivy-action"),
            ("review", "aquasecurity/trivy-action")} <= rules
    assert not any(f.dependency is not None and f.dependency.name == "pytest" and f.counts and f.level != "info"
                   for f in report.findings)  # the clean bump passes
    reviews = {c.name: r.state for c, r in zip(report.changes, report.reviews)}
    assert reviews == {"litellm": "required", "aquasecurity/trivy-action": "required", "pytest": "not-required",
                       "requests": "required"}
    [vulnerable] = [f for f in report.findings if f.rule == "vulnerability" and f.level == "warn" and not f.unknown]
    assert vulnerable.advisory is not None and vulnerable.advisory.id == "GHSA-9wx4-h78v-vm56"
    assert not any(f.rule == "malicious" and not f.unknown for f in report.findings)  # 11:00: no MAL record yet


def test_the_demo_leaves_the_users_cache_alone(report, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(tmp_path / "mine"))
    demo_report()
    assert os.environ["LOCKGATE_CACHE_DIR"] == str(tmp_path / "mine")
    assert not (tmp_path / "mine").exists()
    monkeypatch.delenv("LOCKGATE_CACHE_DIR")
    with registry.cache_directory(str(tmp_path / "x")):
        assert os.environ["LOCKGATE_CACHE_DIR"] == str(tmp_path / "x")
    assert "LOCKGATE_CACHE_DIR" not in os.environ


# --- the shipped registry documents, through the real client -----------------------------------------------------------


@pytest.fixture
def pypi(tmp_path):  # type: ignore[no-untyped-def]
    from checker.registries.cache import Cache
    from checker.registries.fetch import Fetcher
    from checker.registries.pypi import PypiClient

    assert registry.prefill(str(tmp_path)) == len(registry.documents())
    return PypiClient(Fetcher(None, Cache(str(tmp_path)), offline=True))


def test_registry_documents_are_listed_with_what_the_clients_ask_for() -> None:
    from checker.registries.pypi import INTEGRITY_JSON, SIMPLE_JSON

    docs = registry.documents()
    assert {d["url"] for d in docs if d["accept"] == SIMPLE_JSON} == {
        "https://pypi.org/simple/litellm/", "https://pypi.org/simple/pytest/", "https://pypi.org/simple/requests/"}
    assert all(d["content_type"] == d["accept"] for d in docs)
    assert {d["accept"] for d in docs} == {SIMPLE_JSON, INTEGRITY_JSON}
    for d in docs:
        assert os.path.isfile(os.path.join(registry.REGISTRY_FILES, d["file"]))


def test_the_shipped_advisories_become_a_synced_copy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from checker.registries.osv_db import OsvDatabase

    registry.prefill(str(tmp_path))
    copy = OsvDatabase.open(str(tmp_path), "PyPI")
    assert copy is not None
    assert sorted(r["id"] for r in copy.records("requests")) == ["GHSA-9wx4-h78v-vm56", "GHSA-j8r2-6x86-q33q"]
    assert OsvDatabase.open(str(tmp_path), "GitHub Actions") is None  # none shipped: unknown, not "no advisory"


def test_pytest_facts_come_from_the_shipped_page(pypi) -> None:  # type: ignore[no-untyped-def]
    hashes = {line.split("--hash=")[1].strip(" \\\n") for line in open(tree("head")["requirements-dev.txt"])
              if "--hash=" in line}
    facts = pypi.facts("pytest", "8.3.5", hashes=hashes, publishers=True)
    assert facts.exists is True and facts.yanked is False and facts.stale is False
    assert facts.release_time == dt.datetime(2025, 3, 2, 12, 54, 52, 226935, tzinfo=dt.timezone.utc)
    assert facts.evidence == "trusted-publisher"
    [publisher] = facts.publishers
    assert (publisher.kind, publisher.repository, publisher.workflow, publisher.environment) == (
        "GitHub", "pytest-dev/pytest", "deploy.yml", "deploy")
    assert hashes <= facts.hashes  # the lockfile's hashes are the published ones
    assert facts.to_facts().release_time < DEMO_NOW - dt.timedelta(days=300)


def test_litellm_1_82_8_is_on_the_shipped_page_as_it_stood_at_11_00(pypi) -> None:  # type: ignore[no-untyped-def]
    old = pypi.facts("litellm", "1.82.6")
    assert old.exists is True and old.evidence == "none" and old.publishers == frozenset()  # token uploads
    new = pypi.facts("litellm", "1.82.8")
    # The page as PyPI listed it 40 minutes after the upload: the version exists, fresh, without provenance.
    assert new.exists is True and new.evidence == "none"
    assert new.release_time == dt.datetime(2026, 3, 24, 10, 20, 11, tzinfo=dt.timezone.utc)


def test_render_demo_adds_the_introduction_to_text_only(report) -> None:  # type: ignore[no-untyped-def]
    assert render_demo(report, "text").startswith("lockgate demo: ")
    assert render_demo(report, "markdown").startswith("<!-- lockgate:risk-summary -->")


def test_the_registry_facts_reach_every_format(report) -> None:  # type: ignore[no-untyped-def]
    """The facts stage read the shipped documents through the real client: pytest's release time, publisher and
    hashes are known; litellm 1.82.8 is 40 minutes old, without provenance (a token upload), inside the cooldown."""
    facts = {(f.name, f.version): f for f in report.facts}
    pytest_facts = facts[("pytest", "8.3.5")]
    assert pytest_facts.release_time == dt.datetime(2025, 3, 2, 12, 54, 52, 226935, tzinfo=dt.timezone.utc)
    assert pytest_facts.provenance is not None and pytest_facts.evidence == "trusted-publisher"
    litellm = facts[("litellm", "1.82.8")]
    assert litellm.release_time == dt.datetime(2026, 3, 24, 10, 20, 11, tzinfo=dt.timezone.utc)
    assert litellm.provenance is None and litellm.exists is True
    md = render_demo(report, "markdown")
    assert "<code>8\\.3\\.5</code> patch | 12 months | \u2705 |" in md
    assert "<code>1\\.82\\.8</code> patch | 39 min | \u274c known\\-bad release <sub>+4 more</sub> |" in md
    assert ("- PyPI · registry&#58; released 2026\\-03\\-24 10&#58;20 UTC \\(39 min earlier\\), provenance&#58; none "
            "published, hashes match the registry's · hashes: pinned ✓ \\(2\\) · from <code>1\\.82\\.6</code> to "
            "<code>1\\.82\\.8</code> · at <code>requirements\\.txt&#58;3</code>") in md
    text = render_demo(report, "text")
    assert ("      registry: released 2025-03-02 12:54 UTC (12 months earlier), provenance: GitHub pytest-dev/pytest "
            "(deploy.yml, environment deploy), hashes match the registry's\n") in text
    doc = json.loads(render_demo(report, "json"))
    by_name = {f["name"]: f for f in doc["facts"]}
    assert by_name["litellm"]["release_time"] == "2026-03-24T10:20:11Z" and by_name["litellm"]["provenance"] is None
    assert by_name["pytest"]["release_time"] == "2025-03-02T12:54:52.226935Z"
    assert by_name["pytest"]["provenance"]["publishers"][0]["repository"] == "pytest-dev/pytest"


def test_without_the_known_bad_list_the_wheel_and_the_cooldown_still_block_litellm(
        capsys: pytest.CaptureFixture[str], no_network: None) -> None:
    """Issue 20's point: on the morning nobody had listed litellm 1.82.8, what its wheel holds (a new .pth with an
    import line, read by the real wheel reader from the shipped reconstruction) and its age block it."""
    assert main(["demo", "--no-known-bad"]) == 1
    out = capsys.readouterr().out
    assert "The list of known malicious releases is off (--no-known-bad)" in out.split("\n")[0]
    assert "BLOCK deny:" not in out
    assert ("      BLOCK artifact-content: litellm 1.82.8 adds 1 .pth file (compared with 1.82.6): litellm_init.pth "
            "(https://inspector.pypi.io/project/litellm/1.82.8/packages/") in out
    assert "litellm_init.pth has an import line, executed at every Python start-up" in out
    assert "      BLOCK release-age: litellm 1.82.8 was released 39 min ago" in out
    assert "artifact-content: pytest" not in out and "artifact-content: requests" not in out  # real wheels: clean


def test_the_real_wheels_shipped_are_the_pages_files() -> None:
    import hashlib

    for name in ("pytest", "requests", "litellm"):
        with open(os.path.join(registry.REGISTRY_FILES, "pypi", f"{name}.json"), encoding="utf-8") as handle:
            page = json.load(handle)
        for file in page["files"]:
            path = os.path.join(registry.REGISTRY_FILES, "files", file["filename"])
            if os.path.exists(path):
                with open(path, "rb") as handle:
                    assert hashlib.sha256(handle.read()).hexdigest() == file["hashes"]["sha256"], file["filename"]
    assert sorted(os.listdir(os.path.join(registry.REGISTRY_FILES, "files"))) == [
        "litellm-1.82.6-py3-none-any.whl", "litellm-1.82.8-py3-none-any.whl", "pytest-8.3.4-py3-none-any.whl",
        "pytest-8.3.5-py3-none-any.whl", "requests-2.30.0-py3-none-any.whl", "requests-2.31.0-py3-none-any.whl"]
