"""Java end to end: gradle.lockfile with Gradle's verification metadata, version catalogs and pom.xml, through the
command line in real temporary git repositories; OSV (a fake on 127.0.0.1) asked about exact Maven versions."""

from __future__ import annotations

import json

import pytest

from checker.cli import main
from tests.fakes.osv import FakeOsv

HEADER = "# This is a Gradle generated file for dependency locking.\n"
SHA_A, SHA_B = "a" * 64, "b" * 64
# The shape of GitHub's record for Log4Shell as OSV serves it (GHSA-jfh8-c2jp-5v3q), cut to what lockgate reads.
LOG4SHELL = {
    "id": "GHSA-jfh8-c2jp-5v3q", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2021-44228"],
    "summary": "Remote code injection in Log4j",
    "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0-beta9"}, {"fixed": "2.3.1"},
                                                               {"introduced": "2.4"}, {"fixed": "2.12.2"},
                                                               {"introduced": "2.13.0"}, {"fixed": "2.15.0"}]}]}],
    "database_specific": {"severity": "CRITICAL"},
}


def verification(version: str = "2.0.13", sha: str = SHA_A) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<verification-metadata><components>\n'
            f'<component group="org.slf4j" name="slf4j-api" version="{version}">'
            f'<artifact name="slf4j-api-{version}.jar"><sha256 value="{sha}"/></artifact></component>\n'
            "</components></verification-metadata>\n")


def check(capsys, repo, *extra: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code = main(["check", "-C", str(repo.path), "--format", "json", *extra])
    out, err = capsys.readouterr()
    assert err == "", err
    return code, json.loads(out)


def findings(doc: dict) -> list[tuple]:
    return [(f["rule"], f["level"], f["name"], f["version"]) for f in doc["findings"]]


def changes(doc: dict) -> list[tuple]:
    return [(c["ecosystem"], c["name"], c["kind"], c["from"], c["to"], c["scope"]) for c in doc["changes"]]


def test_a_gradle_lock_bump_without_verification_warns_for_hashes_and_needs_review(capsys, repo):
    base = repo.commit("base", {"gradle.lockfile": HEADER + "org.slf4j:slf4j-api:2.0.12=runtimeClasspath\n"})
    head = repo.commit("bump", {"gradle.lockfile": HEADER + "org.slf4j:slf4j-api:2.0.13=runtimeClasspath\n"})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert changes(doc) == [("maven", "org.slf4j:slf4j-api", "upgraded", "2.0.12", "2.0.13", "prod")]
    assert doc["changes"][0]["bump"] == "patch"
    # no release-age or version-exists "unknown" noise: lockgate asks no Maven registry
    assert sorted(findings(doc)) == [("hash-pinning", "warn", "org.slf4j:slf4j-api", "2.0.13"),
                                     ("review", "block", "org.slf4j:slf4j-api", "2.0.13")]
    assert code == 1


def test_verified_gradle_lock_has_no_hash_finding(capsys, repo):
    base = repo.commit("base", {"gradle/verification-metadata.xml": verification("2.0.12"),
                                "gradle.lockfile": HEADER + "org.slf4j:slf4j-api:2.0.12=runtimeClasspath\n"})
    head = repo.commit("bump", {"gradle/verification-metadata.xml": verification("2.0.13"),
                                "gradle.lockfile": HEADER + "org.slf4j:slf4j-api:2.0.13=runtimeClasspath\n"})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert findings(doc) == [("review", "block", "org.slf4j:slf4j-api", "2.0.13")]


def test_a_swapped_checksum_alone_is_a_change_of_the_lock_entry(capsys, repo):
    lock = HEADER + "org.slf4j:slf4j-api:2.0.13=runtimeClasspath\n"
    base = repo.commit("base", {"gradle/verification-metadata.xml": verification(), "gradle.lockfile": lock})
    head = repo.commit("swap", {"gradle/verification-metadata.xml": verification(sha=SHA_B)})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert changes(doc) == [("maven", "org.slf4j:slf4j-api", "hashes-changed", "2.0.13", "2.0.13", "prod")]
    assert code == 1  # hashes-changed needs review


def test_turning_verification_off_is_seen(capsys, repo):
    lock = HEADER + "org.slf4j:slf4j-api:2.0.13=runtimeClasspath\n"
    base = repo.commit("base", {"gradle/verification-metadata.xml": verification(), "gradle.lockfile": lock})
    head = repo.commit("off", {"gradle.properties": "org.gradle.dependency.verification=off\n"})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert [c[2] for c in changes(doc)] == ["hashes-changed"]
    assert ("hash-pinning", "warn", "org.slf4j:slf4j-api", "2.0.13") in findings(doc)


def test_a_doctype_in_a_pom_is_unreadable_and_blocks(capsys, repo):
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("xxe", {"pom.xml": '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                          "\n<project><version>&x;</version></project>\n"})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert code == 1 and [(f["rule"], f["level"]) for f in doc["findings"]] == [("unreadable-manifest", "block")]


def test_osv_is_asked_about_exact_maven_versions(capsys, repo, monkeypatch):
    with FakeOsv() as osv:
        osv.add(LOG4SHELL, affects=("2.14.1",))
        monkeypatch.setenv("LOCKGATE_OSV_URL", osv.url)
        monkeypatch.delenv("LOCKGATE_REGISTRY_OFFLINE")
        base = repo.commit("base", {".github/lockgate.yml": "rules:\n  review: off\n"})
        pom = ("<project><modelVersion>4.0.0</modelVersion><properties><log4j>{}</log4j></properties><dependencies>"
               "<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId>"
               "<version>${{log4j}}</version></dependency></dependencies></project>\n")
        head = repo.commit("add", {"pom.xml": pom.format("2.14.1")})
        code, doc = check(capsys, repo, "--base", base, "--head", head)
        assert code == 1
        assert [(f["rule"], f["level"], f["advisory"]["id"]) for f in doc["findings"]] == [
            ("vulnerability", "block", "GHSA-jfh8-c2jp-5v3q")]
        fixed = repo.commit("fix", {"pom.xml": pom.format("2.17.1")})
        code, doc = check(capsys, repo, "--base", base, "--head", fixed)
        assert (code, doc["findings"]) == (0, [])
        asked = [json.loads(body) for method, path, body in osv.requests if path.endswith("querybatch")]
        assert {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core"} in [
            q["package"] for batch in asked for q in batch["queries"]]


def test_a_catalog_bump_needs_review(capsys, repo):
    base = repo.commit("base", {"gradle/libs.versions.toml": '[versions]\nokio = "3.9.0"\n[libraries]\n'
                                                             'okio = { module = "com.squareup.okio:okio", version.ref = "okio" }\n'})
    head = repo.commit("bump", {"gradle/libs.versions.toml": '[versions]\nokio = "3.10.0"\n[libraries]\n'
                                                             'okio = { module = "com.squareup.okio:okio", version.ref = "okio" }\n'})
    code, doc = check(capsys, repo, "--base", base, "--head", head, "--offline")
    assert changes(doc) == [("maven", "com.squareup.okio:okio", "upgraded", "3.9.0", "3.10.0", "prod")]
    assert findings(doc) == [("review", "block", "com.squareup.okio:okio", "3.10.0")]
