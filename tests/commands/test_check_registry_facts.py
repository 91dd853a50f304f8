"""Registry facts end to end: ``lockgate check`` in real temporary git repositories, the registry URLs pointed at a
fake registry on 127.0.0.1 through the policy, the real clients talking to it.

Scenarios (tests/fakes/registry.py ``standard_scenarios``; times are 2026-03-<day> 12:00 UTC): release-age with
``--now``, version-exists (litellm 1.82.8 deleted; a yanked release), hash-mismatch, provenance with
trusted-publishers, provenance-downgrade (PyPI and npm), unknown on a mirror that strips provenance (exit 3 when
on-unknown: block), 429 with Retry-After, 500 retries, a timeout, truncated JSON, and --offline from the cache.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from checker.cli import main
from tests.fakes.osv import quiet_copies
from tests.fakes.registry import FakeRegistry, Fault, pypi_artifact, standard_scenarios

NOW_LATE = "2026-04-01T00:00:00Z"  # every scenario release is weeks old


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LOCKGATE_REGISTRY_OFFLINE", raising=False)
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(tmp_path / "cache"))
    quiet_copies(tmp_path / "cache")  # OSV knows no advisory, offline as online (tests/conftest.py)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with FakeRegistry() as registry:
        standard_scenarios(registry)
        yield registry


def policy(fake: FakeRegistry, extra: str = "", *, on_unknown: str = "block", timeout: float = 2,
           retries: int = 1) -> str:
    return (
        "extends: default\n"
        f"on-unknown: {on_unknown}\n"
        "registries:\n"
        f"  pypi: {{url: \"{fake.pypi_url}\"}}\n"
        f"  npm: {{url: \"{fake.npm_url}\"}}\n"
        f"  timeout: {timeout}\n"
        f"  retries: {retries}\n"
        "review: {required-for: []}\n"
        "rules:\n"
        "  hash-pinning: {level: block, files-without-hashes: off}\n"
        + extra
    )


def check(capsys: pytest.CaptureFixture[str], repo, base: str, head: str, *extra: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json", *extra])
    captured = capsys.readouterr()
    return code, json.loads(captured.out)


def bump(repo, fake: FakeRegistry, before: str, after: str, extra: str = "", **options: object) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    base = repo.commit("base", {".github/lockgate.yml": policy(fake, extra, **options), "requirements.txt": before})  # type: ignore[arg-type]
    head = repo.commit("bump", {"requirements.txt": after})
    return base, head


def findings(doc: dict) -> list[tuple[str, str, str, bool]]:
    return sorted((f["rule"], f["level"], f["name"], f["unknown"]) for f in doc["findings"])


def test_release_age_blocks_a_version_younger_than_the_cooldown(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n")
    code, doc = check(capsys, repo, base, head, "--now", "2026-03-07T12:00:01Z")  # 2.1: released 2026-03-06 12:00
    assert code == 1 and doc["verdict"] == "block"
    assert findings(doc) == [("release-age", "block", "moved", False)]
    [finding] = doc["findings"]
    assert finding["message"] == (
        "moved 2.1 was released 24 h ago (2026-03-06 12:00 UTC); the policy's cooldown for new versions is 3 days")
    assert finding["hint"].startswith("wait until 2026-03-09 12:00 UTC")
    [facts] = doc["facts"]
    assert (facts["name"], facts["version"], facts["exists"], facts["release_time"]) == (
        "moved", "2.1", True, "2026-03-06T12:00:00.123456Z")
    assert facts["registry"] == fake.pypi_url and facts["prior_evidence"] == "trusted-publisher"
    code, doc = check(capsys, repo, base, head, "--now", "2026-03-09T12:00:01Z")  # the cooldown is over
    assert code == 0 and doc["findings"] == []


def test_release_age_per_bump_type_and_exclude(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n", "  release-age: {level: block, days: 3, minor-days: 1}\n")
    code, doc = check(capsys, repo, base, head, "--now", "2026-03-07T11:00:00Z")
    assert code == 1 and "cooldown for minor bumps is 1 days" in doc["findings"][0]["message"]
    code, doc = check(capsys, repo, base, head, "--now", "2026-03-07T13:00:00Z")
    assert code == 0
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n",
                      "  release-age: {level: block, exclude: [\"pypi:mov*\"]}\n")
    code, doc = check(capsys, repo, base, head, "--now", "2026-03-06T13:00:00Z")
    assert code == 0 and doc["findings"] == []


def test_a_deleted_version_is_blocked(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    base, head = bump(repo, fake, "litellm==1.82.6\n", "litellm==1.82.8\n", "  deny: {level: block, known-bad: false}\n")
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 1
    assert findings(doc) == [("version-exists", "block", "litellm", False)]
    message = doc["findings"][0]["message"]
    assert message.startswith(f"{fake.pypi_url} does not list litellm 1.82.8: it was deleted or unpublished")
    [facts] = doc["facts"]
    assert facts["exists"] is False and facts["release_time"] == "unknown"


def test_a_yanked_version_warns_with_its_reason(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    base, head = bump(repo, fake, "yanky==1.0\n", "yanky==1.1\n")
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 0 and doc["verdict"] == "warn"
    [finding] = doc["findings"]
    assert (finding["rule"], finding["level"]) == ("version-exists", "warn")
    assert finding["message"] == f"yanky 1.1 is yanked on {fake.pypi_url}: broken build"


def _digest(content: bytes) -> str:
    return "sha256:" + hashlib.sha256(content).hexdigest()


def test_a_hash_the_registry_never_published_is_blocked(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    good = _digest(pypi_artifact("yanky", "1.0", "sdist"))
    forged = "sha256:" + "0" * 64
    base = repo.commit("base", {".github/lockgate.yml": policy(fake), "requirements.txt": "other==1\n"})
    head = repo.commit("add", {"requirements.txt": f"yanky==1.0 --hash={good} --hash={forged}\n"})
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 1
    assert [(f["rule"], f["level"]) for f in doc["findings"] if f["name"] == "yanky"] == [("hash-mismatch", "block")]
    message = next(f["message"] for f in doc["findings"] if f["rule"] == "hash-mismatch")
    assert message.startswith("yanky 1.0: 1 of the hashes pinned in requirements.txt (sha256:0000000000000000…) is not "
                              f"among the hashes {fake.pypi_url} published for this version")
    # the same version with its true hashes only: a hashes-changed change, judged the same way, passes
    fixed = repo.commit("fix", {"requirements.txt": f"yanky==1.0 --hash={good}\n"})
    code, doc = check(capsys, repo, head, fixed, "--now", NOW_LATE)
    assert [c["kind"] for c in doc["changes"]] == ["hashes-changed"]
    assert not [f for f in doc["findings"] if f["rule"] == "hash-mismatch"]


def test_provenance_with_a_pinned_publisher(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    pin = ("  provenance:\n    level: block\n    trusted-publishers:\n"
           "      - {package: \"pypi:moved\", repository: acme/moved, workflow: release.yml}\n")
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n", pin)
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 1
    assert findings(doc) == [("provenance", "block", "moved", False)]
    assert doc["findings"][0]["message"].startswith(
        "moved 2.1 was published by GitHub evil/moved (publish.yml), not by the expected acme/moved (release.yml)")
    assert fake.count("/integrity/moved/2.1/moved-2.1.tar.gz/provenance") + \
        fake.count("/integrity/moved/2.1/moved-2.1-py3-none-any.whl/provenance") == 1
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n", pin.replace("acme/moved, workflow: release.yml",
                                                                              "Evil/Moved, workflow: publish.yml"))
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 0 and doc["findings"] == []


def test_required_provenance_and_the_verify_extra(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    extra = "  provenance: {level: block, require: [\"pypi:tp-then-token\"]}\n  provenance-downgrade: off\n"
    base, head = bump(repo, fake, "tp-then-token==1.2\n", "tp-then-token==1.3\n", extra)
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 1 and findings(doc) == [("provenance", "block", "tp-then-token", False)]
    assert doc["findings"][0]["message"].startswith("tp-then-token 1.3 has no provenance, and the policy requires it")
    verify = ("  provenance:\n    level: block\n    verify: true\n    trusted-publishers:\n"
              "      - {package: \"pypi:moved\", repository: evil/moved}\n")
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n", verify)
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    from checker.registries.verify import available

    if not available():  # without the extra the rule says so instead of pretending
        assert code == 3 and findings(doc) == [("provenance", "block", "moved", True)]
        assert "needs the optional extra lockgate[verify]" in doc["findings"][0]["message"]


def test_provenance_downgrade_pypi_and_npm(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    base, head = bump(repo, fake, "tp-then-token==1.2\n", "tp-then-token==1.3\n")
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 1 and findings(doc) == [("provenance-downgrade", "block", "tp-then-token", False)]
    assert doc["findings"][0]["message"].startswith(
        "tp-then-token 1.3 was published with no provenance, but version 1.2 had a trusted publisher")
    # npm: tp-pkg 1.1.0 (trusted publisher) -> 1.2.0 (a token upload)
    integrity = fake.npm["tp-pkg"]["versions"]["1.2.0"]["dist"]["integrity"]
    old = fake.npm["tp-pkg"]["versions"]["1.1.0"]["dist"]["integrity"]

    def lock(version: str, digest: str) -> str:
        entry = {"version": version, "resolved": f"https://registry.npmjs.org/tp-pkg/-/tp-pkg-{version}.tgz",
                 "integrity": digest}
        return json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": {
            "": {"name": "app", "version": "1.0.0", "dependencies": {"tp-pkg": "*"}},
            "node_modules/tp-pkg": entry}}, indent=2) + "\n"

    base = repo.commit("npm base", {"package-lock.json": lock("1.1.0", old)})
    head = repo.commit("npm bump", {"package-lock.json": lock("1.2.0", integrity)})
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 1 and findings(doc) == [("provenance-downgrade", "block", "tp-pkg", False)]
    assert doc["findings"][0]["message"].startswith(
        "tp-pkg 1.2.0 was published with no provenance, but version 1.1.0 had a trusted publisher")
    [facts] = doc["facts"]
    assert facts["registry"] == fake.npm_url and facts["install_script"] is False
    assert fake.count("/npm/tp-pkg") == 1  # one packument for facts and history


def test_a_mirror_that_strips_provenance_is_unknown_and_exit_3(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    fake.strip_provenance = True
    base, head = bump(repo, fake, "tp-then-token==1.2\n", "tp-then-token==1.3\n")
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 3 and doc["verdict"] == "block"
    assert findings(doc) == [("provenance-downgrade", "block", "tp-then-token", True)]
    assert "could not compare the provenance of tp-then-token 1.3" in doc["findings"][0]["message"]
    assert "a mirror that does not serve it?" in doc["findings"][0]["message"]
    assert doc["facts"][0]["provenance"] == "unknown"  # never "none"


def test_429_with_retry_after_and_500s_are_retried(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    fake.fail("/simple/moved/", Fault("status", 429, headers={"Retry-After": "1"}), Fault("status", 500))
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n", retries=2)
    code, doc = check(capsys, repo, base, head, "--now", "2026-03-07T12:00:01Z")
    assert code == 1 and findings(doc) == [("release-age", "block", "moved", False)]
    assert fake.count("/simple/moved/") == 3


def test_a_registry_that_keeps_failing_is_unknown(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    fake.fail("/simple/moved/", *[Fault("status", 503)] * 3)
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n", retries=1)
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 3
    # every rule that reads the index's page for the version: release files, publishers and tags included
    assert {f["rule"] for f in doc["findings"]} == {"version-exists", "release-age", "provenance-downgrade",
                                                    "artifact-content", "publisher-change", "source-tag"}
    assert all(f["unknown"] and "503" in f["message"] for f in doc["findings"])
    assert fake.count("/simple/moved/") == 2  # one try and one retry


def test_a_timeout_is_unknown(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    fake.fail("/simple/moved/", Fault("slow", seconds=2.5))
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n", on_unknown="warn", timeout=0.5, retries=0)
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 0 and doc["verdict"] == "warn"
    assert all(f["unknown"] and f["level"] == "warn" for f in doc["findings"])
    assert "no answer from 127.0.0.1 within 0.5 s" in doc["findings"][0]["message"]


def test_truncated_json_is_unknown(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    fake.fail("/simple/moved/", Fault("truncate"))
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n")
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 3
    assert "the body ends early: truncated?" in doc["findings"][0]["message"]


def test_offline_uses_the_cache_only(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n")
    code, doc = check(capsys, repo, base, head, "--now", "2026-03-07T12:00:01Z", "--offline")
    assert code == 3 and fake.requests == []  # nothing cached yet: unknown, and the registry is not asked
    assert "offline, not cached" in doc["findings"][0]["message"]
    code, online = check(capsys, repo, base, head, "--now", "2026-03-07T12:00:01Z")
    asked = len(fake.requests)
    code, doc = check(capsys, repo, base, head, "--now", "2026-03-07T12:00:01Z", "--offline")
    assert code == 1 and findings(doc) == findings(online) == [("release-age", "block", "moved", False)]
    assert len(fake.requests) == asked  # answered from the cache


def test_text_output_shows_the_registry_facts(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n")
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--now", "2026-03-07T12:00:01Z"])
    out = capsys.readouterr().out
    assert code == 1
    assert "BLOCK release-age: moved 2.1 was released 24 h ago (2026-03-06 12:00 UTC)" in out


def test_license_shows_a_relicensing_end_to_end(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    """The license rule, on: the old and new versions' licenses from the JSON API, the verdict, the JSON facts."""
    fake.set_pypi_info("moved", "2.0", license="MIT", classifiers=["License :: OSI Approved :: MIT License"])
    fake.set_pypi_info("moved", "2.1", license_expression="BUSL-1.1")
    base, head = bump(repo, fake, "moved==2.0\n", "moved==2.1\n",
                      "  license: {level: block, allow: [MIT, Apache-2.0]}\n  provenance-downgrade: off\n")
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 1 and findings(doc) == [("license", "block", "moved", False)]
    assert doc["findings"][0]["message"] == (
        "moved 2.1 (was 2.0) is relicensed MIT -> BUSL-1.1: BUSL-1.1 is not on the allow-list")
    [facts] = doc["facts"]
    assert (facts["license"], facts["license_text"], facts["prior_license"]) == ("BUSL-1.1", None, "MIT")


def test_a_failing_registry_is_one_line_per_cause_in_the_terminal_and_the_hook(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    """A registry that answers 503 for every package: the text and hook outputs say so once (the URLs by host),
    with the packages it reaches, not once per check and package (JSON keeps every finding)."""
    for name in ("moved", "yanky"):
        fake.fail(f"/simple/{name}/", *[Fault("status", 503)] * 2)
    base, head = bump(repo, fake, "moved==2.0\nyanky==1.0\n", "moved==2.1\nyanky==1.1\n",
                      "hook: {on-unknown: block, online: true}\n", retries=0)
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--now", NOW_LATE])
    out = capsys.readouterr().out
    assert code == 3
    folded = [line for line in out.splitlines() if line.startswith("  BLOCK HTTP 503")]
    assert len(folded) == 1, out
    assert "127.0.0.1" in folded[0] and "/simple/" not in folded[0] and "moved and yanky" in folded[0]
    assert "  x upgraded       moved 2.0 -> 2.1" in out and "  x upgraded       yanky 1.0 -> 1.1" in out
    assert "BLOCK release-age" not in out  # not once per check
    for name in ("moved", "yanky"):
        fake.fail(f"/simple/{name}/", *[Fault("status", 503)] * 2)
    repo.git("checkout", "-q", base)
    repo.write("requirements.txt", "moved==2.1\nyanky==1.1\n")
    repo.git("add", "-A")
    code = main(["check", "-C", str(repo.path), "--hook", "--now", NOW_LATE])
    out = capsys.readouterr().out
    not_checked = [line for line in out.splitlines() if line.startswith("  not checked: HTTP 503")]
    assert len(not_checked) == 1 and "moved and yanky" in not_checked[0], out
