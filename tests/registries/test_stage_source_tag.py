"""The facts stage looking up release tags (rule ``source-tag``; checker/registries/stage.py ``_SourceTags``) against
the fake registry (PyPI's JSON API ``project_urls``, npm's ``repository`` and ``gitHead``) and the fake GitHub API
(tags, annotated tags, failures): each repository asked only when the rule is on, exact tag names, GitHub Enterprise
Server's own host, a failing or unknowing GitHub an unknown (never "no tag"), a lookalike URL never asked about."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from checker.model import UNKNOWN, Dependency, Facts, SourceRepository, SourceTag
from checker.policy.load import load_policy
from checker.registries.cache import Cache
from checker.registries.gather import Registries
from checker.registries.github import GitHubRefs
from checker.registries.stage import gather_facts
from tests.fakes.github_api import FakeGitHub, FakeRepo, sha
from tests.fakes.registry import FakeRegistry, at

ON = "  source-tag: block\n"
V1826, V18280 = sha("litellm-1.82.6"), sha("litellm-1.82.80")


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[FakeRegistry, FakeGitHub]]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with FakeRegistry() as registry, FakeGitHub() as github:
        # litellm: every release tagged v<version> until 1.82.7 and 1.82.8, uploaded with a stolen token.
        github.repos["berriai/litellm"] = FakeRepo(parents={V1826: [], V18280: [V1826]}, branches={"main": V18280},
                                                   tags={"v1.82.6": V1826, "v1.82.80": V18280})
        for version in ("1.82.6", "1.82.8"):
            registry.add_pypi("litellm", version, at(1))
            registry.set_pypi_info("litellm", version, project_urls={
                "Documentation": "https://docs.litellm.ai", "Source": "https://github.com/BerriAI/litellm"})
        yield registry, github


def gather(world: tuple[FakeRegistry, FakeGitHub], deps: list[Dependency], tmp_path: Path, rules: str = ON, *,
           offline: bool = False, api_url: str | None = None) -> dict[tuple[str, str, str], Facts]:
    registry, github = world
    text = (f"registries: {{pypi: '{registry.pypi_url}', npm: '{registry.npm_url}', timeout: 2, retries: 0}}\n"
            "rules:\n  vulnerability: off\n  malicious: off\n  pin-comment: off\n" + rules)
    refs = GitHubRefs(api_url=api_url or github.api_url, retries=0, backoff=0, timeout=2)
    return gather_facts(deps, offline=offline, policy=load_policy(text, "p.yml", lambda p: None), environ={},
                        github=refs, registries=Registries.create(cache=Cache(tmp_path), retries=0, timeout=2))


def pypi(name: str, version: str) -> Dependency:
    return Dependency("pypi", name, version, f"=={version}", manifest="requirements.txt", line=1)


def npm(name: str, version: str) -> Dependency:
    return Dependency("npm", name, version, version, manifest="package-lock.json", line=1)


def tag_paths(github: FakeGitHub) -> list[str]:
    return [path for _, path in github.requests if "/git/ref/" in path]


def test_litellm_1_82_6_has_its_tag_and_1_82_8_none(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = gather(world, [pypi("litellm", "1.82.6"), pypi("litellm", "1.82.8")], tmp_path)
    good, bad = found[("pypi", "litellm", "1.82.6")], found[("pypi", "litellm", "1.82.8")]
    assert good.repository == bad.repository == SourceRepository("github.com", "BerriAI", "litellm")
    assert good.source_tag == SourceTag("v1.82.6", V1826)
    assert bad.source_tag is None and bad.reason is None  # v1.82.80 exists: compared exactly, it is not v1.82.8
    assert good.tags_api == bad.tags_api == world[1].api_url
    assert tag_paths(world[1]) == [  # the first candidate that exists ends the search; no tag: every one tried
        "/api/v3/repos/BerriAI/litellm/git/ref/tags/v1.82.6",
        *(f"/api/v3/repos/BerriAI/litellm/git/ref/tags/{quoted}" for quoted in (
            "v1.82.8", "1.82.8", "litellm-1.82.8", "litellm%401.82.8", "litellm-v1.82.8")),
    ]


def test_nothing_is_asked_when_the_rule_is_off(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found = gather(world, [pypi("litellm", "1.82.8")], tmp_path, "  release-age: block\n")
    facts = found[("pypi", "litellm", "1.82.8")]
    assert (facts.source_tag, facts.repository, facts.tags_api) == (UNKNOWN, UNKNOWN, None)
    assert world[1].requests == []


def test_npm_git_head_and_a_scoped_annotated_tag(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    registry, github = world
    head, tagged, tag_object = sha("lib-head"), sha("lib-1.2.3"), sha("tag-object")
    manifest = registry.add_npm("@acme/lib", "1.2.3", at(1))
    manifest.update(repository={"type": "git", "url": "git+https://github.com/acme/lib.git", "directory": "pkgs/lib"},
                    gitHead=head.upper())
    github.repos["acme/lib"] = FakeRepo(parents={tagged: [], head: [tagged]}, branches={"main": head},
                                        tags={"@acme/lib@1.2.3": tag_object}, tag_objects={tag_object: tagged})
    facts = gather(world, [npm("@acme/lib", "1.2.3")], tmp_path)[("npm", "@acme/lib", "1.2.3")]
    assert facts.source_tag == SourceTag("@acme/lib@1.2.3", tagged)  # the annotated tag peeled to its commit
    assert facts.git_head == head  # lower case: compared with the tag's commit as GitHub writes it


def test_npm_without_git_head_or_with_no_commit_in_it(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    registry, github = world
    registry.add_npm("plain", "1.0.0", at(1))["repository"] = "acme/plain"
    registry.add_npm("branchy", "1.0.0", at(1)).update(repository="acme/plain", gitHead="main")
    github.repos["acme/plain"] = FakeRepo(parents={sha("p"): []}, branches={"main": sha("p")}, tags={"1.0.0": sha("p")})
    found = gather(world, [npm("plain", "1.0.0"), npm("branchy", "1.0.0")], tmp_path)
    assert found[("npm", "plain", "1.0.0")].git_head is None
    assert found[("npm", "branchy", "1.0.0")].git_head is None  # a branch name proves nothing
    assert found[("npm", "plain", "1.0.0")].source_tag == SourceTag("1.0.0", sha("p"))


def test_github_enterprise_server_repositories_are_asked_at_its_api(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    registry, github = world
    host = github.api_url.split("/")[2]  # 127.0.0.1:<port>, the "GHES" host the fake API stands for
    registry.add_npm("internal", "2.0.0", at(1))["repository"] = {"type": "git", "url": f"https://{host}/corp/internal.git"}
    github.repos["corp/internal"] = FakeRepo(parents={sha("i"): []}, branches={"main": sha("i")},
                                             tags={"internal-v2.0.0": sha("i")})
    facts = gather(world, [npm("internal", "2.0.0")], tmp_path)[("npm", "internal", "2.0.0")]
    assert facts.repository == SourceRepository(host, "corp", "internal")
    assert facts.source_tag == SourceTag("internal-v2.0.0", sha("i")) and facts.tags_api == github.api_url


def test_a_repository_on_another_host_is_not_asked_and_not_called_untagged(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    registry, github = world
    registry.add_npm("labbed", "1.0.0", at(1))["repository"] = "gitlab:group/labbed"
    facts = gather(world, [npm("labbed", "1.0.0")], tmp_path)[("npm", "labbed", "1.0.0")]
    assert facts.repository == SourceRepository("gitlab.com", "group", "labbed")
    assert (facts.source_tag, facts.tags_api) == (UNKNOWN, None)
    assert github.requests == []


def test_a_lookalike_repository_url_is_never_read_as_the_real_one(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    registry, github = world
    for name, url in (("dotted", "https://github.com.evil.example/BerriAI/litellm"),
                      ("pathed", "https://evil.example/github.com/BerriAI/litellm"),
                      ("deep", "https://github.com/BerriAI/litellm/tree/v1.82.6")):
        registry.add_pypi(name, "1.0", at(1))
        registry.set_pypi_info(name, "1.0", project_urls={"Source": url})
    found = gather(world, [pypi(n, "1.0") for n in ("dotted", "pathed", "deep")], tmp_path)
    assert {key[1]: (f.repository, f.source_tag) for key, f in found.items()} == {
        "dotted": (None, UNKNOWN), "pathed": (None, UNKNOWN), "deep": (None, UNKNOWN)}
    assert github.requests == []


@pytest.mark.parametrize("status", [403, 429, 503])
def test_a_failing_or_rate_limited_github_is_unknown_never_no_tag(world, tmp_path: Path, status: int) -> None:  # type: ignore[no-untyped-def]
    world[1].fail("/api/v3/repos/BerriAI/litellm", status)
    facts = gather(world, [pypi("litellm", "1.82.8")], tmp_path)[("pypi", "litellm", "1.82.8")]
    assert facts.source_tag is UNKNOWN
    assert (facts.reason or "").startswith(f"source tag: tag v1.82.8 of BerriAI/litellm: GitHub answered {status}")


def test_a_repository_the_api_does_not_know_is_unknown(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    registry, _ = world
    registry.add_pypi("ghost", "1.0", at(1))
    registry.set_pypi_info("ghost", "1.0", project_urls={"Repository": "https://github.com/nobody/ghost"})
    facts = gather(world, [pypi("ghost", "1.0")], tmp_path)[("pypi", "ghost", "1.0")]
    assert facts.source_tag is UNKNOWN
    assert "knows no repository nobody/ghost" in (facts.reason or "")


def test_offline_github_is_not_asked(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gather(world, [pypi("litellm", "1.82.8")], tmp_path)  # the registry's answers cached
    world[1].requests.clear()
    facts = gather(world, [pypi("litellm", "1.82.8")], tmp_path, offline=True)[("pypi", "litellm", "1.82.8")]
    assert facts.source_tag is UNKNOWN and world[1].requests == []
    assert "offline: GitHub was not asked about release tags" in (facts.reason or "")


def test_each_repository_and_tag_asked_once(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gather(world, [pypi("litellm", "1.82.6"), pypi("LiteLLM", "1.82.6")], tmp_path)
    assert tag_paths(world[1]) == ["/api/v3/repos/BerriAI/litellm/git/ref/tags/v1.82.6"]


def test_a_version_that_makes_no_tag_name_is_unknown_and_never_asked(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A lockfile's version goes into the API's URL path: ``..`` segments would ask about another repository."""
    registry, github = world
    evil = "1/../../../../attacker/evil/git/ref/tags/v1"
    registry.add_npm("trick", evil, at(1))["repository"] = "acme/trick"
    github.repos["attacker/evil"] = FakeRepo(parents={sha("e"): []}, branches={"main": sha("e")}, tags={"v1": sha("e")})
    facts = gather(world, [npm("trick", evil)], tmp_path)[("npm", "trick", evil)]
    assert facts.source_tag is UNKNOWN and "make no tag name" in (facts.reason or "")
    assert github.requests == []
