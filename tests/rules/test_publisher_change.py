"""publisher-change on hand-built Facts (npm's _npmUser, PyPI's trusted publishers, look-alikes, unknowns), through
the engine; and end to end against the fake registry (the chalk/debug takeover shape, another repository's
trusted publisher)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from checker.judge.engine import judge
from checker.model import (
    UNKNOWN, Change, Dependency, Facts, Manifest, Ownership, Provenance, Publisher, ReleasePublisher, Uploader,
)
from checker.policy.load import load_policy
from tests.commands.test_check_registry_facts import NOW_LATE, check, fake, findings, policy  # noqa: F401 (fixture)
from tests.fakes.registry import FakeRegistry, at, github_publisher
from tests.rules.fact_subjects import KNOWN, NOW, dep, facts, quiet, rules, run

ON = "  publisher-change: {level: warn}\n"
ALICE = Uploader("alice", "alice@example.com")
ACME = Publisher("GitHub", "BerriAI/litellm", "publish.yml")


def npm_run(uploader: object, earlier: object, policy: str = ON, count: object = 10,
            **fields: object) -> list[tuple[str, str, bool, str]]:
    after = Dependency("npm", "chalk", "5.6.1", "5.6.1", manifest="package-lock.json", line=3)
    before = after._replace(version="5.6.0", specifier="5.6.0")
    fact = Facts("npm", "chalk", "5.6.1", as_of=NOW, **{**KNOWN, "uploader": uploader,  # type: ignore[arg-type]
                                                          "prior_publishers": earlier, "prior_count": count,
                                                          "prior_evidence": "none", **fields})
    head = [Manifest("package-lock.json", "package-lock", "npm", (after,))]
    text = ("extends: default\nreview: {required-for: []}\nrules:\n  hash-pinning: off\n  deny: off\n"
            + quiet(policy))
    judged = judge([Change("upgraded", before, after, "patch")], [], head,
                   load_policy(text, ".github/lockgate.yml", lambda p: None), today=NOW.date(),
                   facts={("npm", "chalk", "5.6.1"): fact})
    return [(f.rule, f.level, f.unknown, f.message) for f in judged.findings]


def history(*uploaders: Uploader) -> tuple[ReleasePublisher, ...]:
    return tuple(ReleasePublisher(f"5.{i}.0", u, frozenset()) for i, u in enumerate(uploaders))


def test_the_usual_npm_publisher_passes() -> None:
    assert npm_run(ALICE, history(ALICE, ALICE, Uploader("bob", "bob@example.com"))) == []


def test_a_first_time_npm_publisher_on_a_long_lived_package_warns() -> None:
    found = npm_run(Uploader("qix", "qix@example.net"), history(ALICE, ALICE))
    assert rules(found) == [("publisher-change", "warn", False)]
    assert "npm user 'qix', who published none of the last 2 releases (they came from 'alice')" in found[0][3]
    assert "qix@example.net" not in found[0][3]  # e-mails are not shown whole


@pytest.mark.parametrize(("name", "email", "says"), [
    ("alice", "alice@evil.test", "with the e-mail a…@evil.test; the account's releases before it had a…@example.com"),
    ("Alice", "alice@example.com", "'Alice', which only looks like 'alice'"),
    ("alice ", "alice@example.com", "'alice ', which only looks like 'alice'"),
    ("al ice", "alice@example.com", "only looks like 'alice'"),
])
def test_a_look_alike_publisher_is_a_new_one(name: str, email: str, says: str) -> None:
    found = npm_run(Uploader(name, email), history(ALICE, ALICE))
    assert rules(found) == [("publisher-change", "warn", False)]
    assert says in found[0][3]


def test_a_young_package_is_not_judged_and_the_level_follows_the_policy() -> None:
    assert npm_run(Uploader("qix"), history(ALICE), count=4) == []
    assert npm_run(Uploader("qix"), history(ALICE), count=2, policy="  publisher-change: {level: warn, min-releases: 2}\n")
    strict = npm_run(Uploader("qix"), history(ALICE), policy="  publisher-change: {level: block}\n")
    assert rules(strict) == [("publisher-change", "block", False)]
    assert npm_run(Uploader("qix"), history(ALICE), policy="  publisher-change: off\n") == []
    excluded = "  publisher-change: {level: warn, exclude: [\"npm:chalk\"]}\n"
    assert npm_run(Uploader("qix"), history(ALICE), policy=excluded) == []


def test_only_the_newest_releases_count() -> None:
    earlier = history(*[ALICE] * 3, Uploader("qix"))  # qix published the 4th newest
    assert npm_run(Uploader("qix"), earlier) == []
    assert rules(npm_run(Uploader("qix"), earlier, policy="  publisher-change: {level: warn, releases: 3}\n")) == [
        ("publisher-change", "warn", False)]


def test_trusted_publishing_configurations() -> None:
    github = Uploader("GitHub Actions", "npm-oidc-no-reply@github.com", "github:oidc:aaa")
    assert npm_run(github, history(ALICE, ALICE)) == []  # the first move to trusted publishing
    assert npm_run(github, history(github, ALICE)) == []
    other = github._replace(trusted="github:oidc:bbb")
    found = npm_run(other, history(github, github), prior_evidence="trusted-publisher",
                    provenance=Provenance("trusted-publisher", frozenset()))
    assert rules(found) == [("publisher-change", "warn", False)]
    assert "another trusted publisher configuration (github:oidc:bbb)" in found[0][3]


def test_a_move_from_a_trusted_publisher_to_a_token_is_left_to_provenance_downgrade() -> None:
    github = Uploader("GitHub Actions", None, "github:oidc:aaa")
    found = npm_run(Uploader("qix"), history(github, github), prior_evidence="trusted-publisher")
    assert rules(found) == [("provenance-downgrade", "block", False)]


def test_unknown_npm_facts_are_unknown() -> None:
    assert rules(npm_run(UNKNOWN, history(ALICE))) == [("publisher-change", "warn", True)]
    assert rules(npm_run(ALICE, UNKNOWN)) == [("publisher-change", "warn", True)]
    assert rules(npm_run(ALICE, history(ALICE), count=UNKNOWN)) == [("publisher-change", "warn", True)]


def pypi_facts(new: object, earlier: tuple[ReleasePublisher, ...] | object, **fields: object) -> Facts:
    provenance = Provenance("trusted-publisher", new) if new is not None else None  # type: ignore[arg-type]
    return facts(**{**KNOWN, "provenance": provenance, "uploader": None, "prior_publishers": earlier,
                    "prior_count": 10, "prior_evidence": "trusted-publisher", **fields})


def releases(*publishers: Publisher) -> tuple[ReleasePublisher, ...]:
    return tuple(ReleasePublisher(f"1.82.{i}", None, frozenset({p})) for i, p in enumerate(publishers))


@pytest.mark.parametrize("publisher", [
    ACME, ACME._replace(repository="berriai/LiteLLM"), ACME._replace(workflow=".github/workflows/publish.yml"),
])
def test_the_usual_trusted_publisher_passes(publisher: Publisher) -> None:
    assert run(dep(), pypi_facts(frozenset({publisher}), releases(ACME, ACME)), ON) == []


@pytest.mark.parametrize("publisher", [
    Publisher("GitHub", "evil/litellm", "publish.yml"), ACME._replace(workflow="other.yml"),
    ACME._replace(environment="pypi"), Publisher("GitLab", "BerriAI/litellm", "publish.yml"),
])
def test_another_trusted_publisher_warns(publisher: Publisher) -> None:
    ownership = Ownership((("Owner", "krrishdholakia"), ("Maintainer", "ishaan")), None)
    found = run(dep(), pypi_facts(frozenset({publisher}), releases(ACME, ACME), ownership=ownership), ON)
    assert rules(found) == [("publisher-change", "warn", False)]
    assert f"litellm 1.82.8 was published by {publisher.describe()}; the provenance of the last releases named " \
        "GitHub BerriAI/litellm (publish.yml)" in found[0][3]
    assert "roles on PyPI today: Owner krrishdholakia, Maintainer ishaan" in found[0][3]


def test_pypi_token_uploads_name_nobody() -> None:
    assert run(dep(), pypi_facts(None, releases(), prior_evidence="none"), ON) == []  # nothing to compare
    found = run(dep(), pypi_facts(None, releases(ACME)), ON)  # trusted -> token: provenance-downgrade's
    assert rules(found) == [("provenance-downgrade", "block", False)]
    first = (ReleasePublisher("1.82.6", None, frozenset()),)
    assert run(dep(), pypi_facts(frozenset({ACME}), first, prior_evidence="none"), ON) == []  # the first move to TP


def test_unknown_pypi_identities_are_unknown() -> None:
    unlooked = (ReleasePublisher("1.82.6", None, UNKNOWN),)
    assert rules(run(dep(), pypi_facts(UNKNOWN, releases(ACME)), ON)) == [("publisher-change", "warn", True)]
    assert rules(run(dep(), pypi_facts(frozenset({ACME}), unlooked), ON)) == [("publisher-change", "warn", True)]
    assert rules(run(dep(), facts(**{**KNOWN, "provenance": UNKNOWN, "prior_evidence": UNKNOWN}), ON
                     + "  provenance-downgrade: off\n")) == [("publisher-change", "warn", True)]


def test_an_added_dependency_is_not_judged() -> None:
    after = dep()
    head = [Manifest("requirements.txt", "requirements", "pypi", (after,))]
    policy = load_policy("extends: default\nreview: {required-for: []}\nrules:\n  hash-pinning: off\n" + ON,
                         ".github/lockgate.yml", lambda p: None)
    judged = judge([Change("added", None, after, None)], [], head, policy, today=NOW.date(),
                   facts={("pypi", "litellm", "1.82.8"): pypi_facts(frozenset({Publisher("GitHub", "evil/x")}),
                                                                   releases(ACME))})
    assert [f for f in judged.findings if f.rule == "publisher-change"] == []


# -- end to end, against the fake registry ---------------------------------------------------------------------------


def npm_lock(fake: FakeRegistry, name: str, version: str) -> str:
    digest = fake.npm[name]["versions"][version]["dist"]["integrity"]
    entry = {"version": version, "resolved": f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz",
             "integrity": digest}
    return json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": {
        "": {"name": "app", "version": "1.0.0", "dependencies": {name: "*"}},
        f"node_modules/{name}": entry}}, indent=2) + "\n"


def test_end_to_end_npm_takeover_and_another_trusted_publisher(capsys, repo, fake) -> None:  # type: ignore[no-untyped-def]
    for day in range(1, 7):  # six releases by sindresorhus, then one by qix: the 2025 chalk/debug shape
        fake.add_npm("chalk-like", f"5.{day}.0", at(day), publisher="sindresorhus")
    fake.add_npm("chalk-like", "5.7.0", at(8), publisher="qix")
    fake.add_npm("chalk-like", "5.8.0", at(9), publisher="sindresorhus")
    berri = github_publisher("BerriAI/litellm-like", "publish.yml")
    for day in range(1, 7):
        fake.add_pypi("litellm-like", f"1.82.{day}", at(day), publisher=berri)
    fake.add_pypi("litellm-like", "1.82.8", at(8), publisher=github_publisher("evil/litellm-like", "publish.yml"))
    fake.add_pypi("litellm-like", "1.82.9", at(9), publisher=github_publisher("berriai/LITELLM-like", "publish.yml"))
    extra = "  publisher-change: {level: warn}\n  provenance-downgrade: off\n"  # the fake npm is no known full registry
    base = repo.commit("base", {".github/lockgate.yml": policy(fake, extra), "requirements.txt": "litellm-like==1.82.6\n",
                                "package-lock.json": npm_lock(fake, "chalk-like", "5.6.0")})
    head = repo.commit("bump", {"requirements.txt": "litellm-like==1.82.8\n",
                                "package-lock.json": npm_lock(fake, "chalk-like", "5.7.0")})
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE)
    assert code == 0 and findings(doc) == [("publisher-change", "warn", "chalk-like", False),
                                           ("publisher-change", "warn", "litellm-like", False)]
    messages = sorted(f["message"] for f in doc["findings"])
    assert messages[0].startswith("chalk-like 5.7.0 was published by npm user 'qix', who published none of the last 6 "
                                  "releases (they came from 'sindresorhus')")
    assert messages[1].startswith("litellm-like 1.82.8 was published by GitHub evil/litellm-like (publish.yml); the "
                                  "provenance of the last releases named GitHub BerriAI/litellm-like (publish.yml)")
    # The usual publishers (a repository's name in another case is the same GitHub repository) pass.
    again = repo.commit("usual", {"requirements.txt": "litellm-like==1.82.9\n",
                                  "package-lock.json": npm_lock(fake, "chalk-like", "5.8.0")})
    code, doc = check(capsys, repo, base, again, "--now", NOW_LATE)
    assert code == 0 and findings(doc) == []


def test_offline_without_a_cache_it_is_unknown(capsys, repo, fake, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    extra = "  publisher-change: {level: warn}\n  release-age: off\n  version-exists: off\n  hash-mismatch: off\n" \
        "  provenance-downgrade: off\n"
    base = repo.commit("base", {".github/lockgate.yml": policy(fake, extra, on_unknown="warn"),
                                "requirements.txt": "moved==2.0\n"})
    head = repo.commit("bump", {"requirements.txt": "moved==2.1\n"})
    code, doc = check(capsys, repo, base, head, "--now", NOW_LATE, "--offline")
    assert code == 0 and [f for f in findings(doc) if f[0] == "publisher-change"] == [
        ("publisher-change", "warn", "moved", True)]
