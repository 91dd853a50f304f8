"""The GitHub client (checker/registries/github.py) through PyGithub against a fake GitHub API on 127.0.0.1:
tags (lightweight and annotated), reachability (impostor commits), caching, pagination, retries, failures, and
the facts stage built on it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from checker.registries.stage import gather_facts
from checker.model import UNKNOWN, Dependency
from checker.registries.github import GitHubRefs, GitHubUnavailable
from tests.fakes.github_api import FakeGitHub, FakeRepo, checkout_repo, sha

C1, V410, V420, MAIN = sha("c1"), sha("c2-v4.1.0"), sha("c3-v4.2.0"), sha("c4-main")
R0, R1, IMPOSTOR = sha("r0-releases/v3"), sha("r1-releases/v3"), sha("fork-impostor")


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    server = FakeGitHub().start()
    server.repos["actions/checkout"] = checkout_repo()
    yield server
    server.stop()


def client(fake: FakeGitHub, **options: object) -> GitHubRefs:
    settings = {"token": "t0ken", "api_url": fake.api_url, "timeout": 5, "retries": 2, "backoff": 0}
    settings.update(options)
    return GitHubRefs(**settings)  # type: ignore[arg-type]


def test_lightweight_and_annotated_tags(fake: FakeGitHub) -> None:
    github = client(fake)
    assert github.tag_commit("actions/checkout", "v4.1.0") == V410
    assert github.tag_commit("actions/checkout", "v4.2.0") == V420  # peeled through the tag object
    assert github.tag_commit("actions/checkout", "v9.9.9") is None
    assert fake.paths() == [
        "/api/v3/repos/actions/checkout/git/ref/tags/v4.1.0",
        "/api/v3/repos/actions/checkout/git/ref/tags/v4.2.0",
        f"/api/v3/repos/actions/checkout/git/tags/{sha('tagobject-v4.2.0')}",
        "/api/v3/repos/actions/checkout/git/ref/tags/v9.9.9",
    ]
    assert set(fake.authorizations) == {"token t0ken"}
    github.tag_commit("actions/checkout", "v4.1.0")
    github.tag_commit("actions/checkout", "v9.9.9")
    assert len(fake.requests) == 4  # cached for the run, answers and "no such tag" alike


def test_a_comment_without_or_with_the_v_finds_the_tag(fake: FakeGitHub) -> None:
    github = client(fake)
    assert github.version_tag_commit("actions/checkout", "4.1.0") == V410
    assert github.version_tag_commit("actions/checkout", "v4.2.0") == V420


@pytest.mark.parametrize(
    ("commit", "hints", "expected", "paths"),
    [
        # the comment's tag points at the commit: one request (plus the tag object of an annotated tag)
        (V410, ["v4.1.0"], True, ["git/ref/tags/v4.1.0"]),
        # on the default branch: the repository, then one comparison
        (C1, [], True, ["", f"compare/main...{C1}"]),
        # the tip of another branch: found in the branch list
        (R1, [], True, ["", f"compare/main...{R1}", "branches", "tags"]),
        # inside another branch: compared against it
        (R0, [], True, ["", f"compare/main...{R0}", "branches", "tags", f"compare/{R1}...{R0}"]),
        # only in a fork's network: no branch or tag contains it
        (IMPOSTOR, ["v4.2.0"], False, [
            "git/ref/tags/v4.2.0", f"git/tags/{sha('tagobject-v4.2.0')}", "",
            f"compare/main...{IMPOSTOR}", "branches", "tags", f"compare/{R1}...{IMPOSTOR}",
            f"compare/{V420}...{IMPOSTOR}", f"compare/{V410}...{IMPOSTOR}",
        ]),
    ],
)
def test_reachability(fake: FakeGitHub, commit: str, hints: list[str], expected: bool, paths: list[str]) -> None:
    assert client(fake).commit_reachable("actions/checkout", commit, hints) is expected
    prefix = "/api/v3/repos/actions/checkout"
    assert [p.removeprefix(prefix).lstrip("/") for p in fake.paths()] == [
        p.split("?")[0] for p in paths
    ]


def test_a_repository_that_does_not_exist_contains_nothing(fake: FakeGitHub) -> None:
    github = client(fake)
    assert github.commit_reachable("nobody/nothing", C1) is False
    assert github.tag_commit("nobody/nothing", "v1") is None


def test_undecided_within_the_comparison_budget(fake: FakeGitHub) -> None:
    repo = checkout_repo()
    for index in range(10):
        repo.branches[f"feature-{index}"] = sha(f"feature-{index}")
        repo.parents[sha(f"feature-{index}")] = [C1]
    fake.repos["acme/many"] = repo
    assert client(fake, max_compares=4).commit_reachable("acme/many", IMPOSTOR) is None
    assert sum("/compare/" in p for p in fake.paths()) == 4


def test_listings_are_paginated_and_bounded(fake: FakeGitHub) -> None:
    repo = FakeRepo(default_branch="main", parents={C1: []}, branches={"main": C1})
    for index in range(250):
        repo.tags[f"v0.{index}.0"] = C1 if index != 249 else sha("last")
        repo.parents.setdefault(sha("last"), [C1])
    fake.repos["acme/many-tags"] = repo
    github = client(fake)
    assert github.commit_reachable("acme/many-tags", sha("last")) is True  # the tip of the 250th tag, on page 3
    tag_pages = [p for p in fake.paths() if p.endswith("/tags")]
    assert len(tag_pages) == 3


def test_server_errors_are_retried_then_unavailable(fake: FakeGitHub) -> None:
    fake.fail("/api/v3/repos/actions/checkout/git/ref/tags/v4.1.0", 503, times=2)
    assert client(fake).tag_commit("actions/checkout", "v4.1.0") == V410  # third try answers
    assert len(fake.requests) == 3
    fake.clear_log()
    fake.fail("/api/v3/repos/actions/checkout/git/ref/tags/v4.2.0", 502)
    with pytest.raises(GitHubUnavailable) as caught:
        client(fake, retries=1).tag_commit("actions/checkout", "v4.2.0")
    assert len(fake.requests) == 2  # one try and one retry, then it gives up
    assert str(caught.value).startswith("tag v4.2.0 of actions/checkout: ")


def test_rate_limit_and_bad_credentials_are_unavailable(fake: FakeGitHub) -> None:
    fake.fail("/api/v3/repos/actions/checkout/git/ref/tags/v1", 401)
    with pytest.raises(GitHubUnavailable) as caught:
        client(fake).tag_commit("actions/checkout", "v1")
    assert str(caught.value) == "tag v1 of actions/checkout: GitHub answered 401: Service Unavailable"
    fake.fail("/api/v3/repos/actions/checkout/git/ref/tags/v2", 429)
    with pytest.raises(GitHubUnavailable):
        client(fake, retries=0).tag_commit("actions/checkout", "v2")


def test_no_server_is_unavailable_not_a_hang() -> None:
    github = GitHubRefs(api_url="http://127.0.0.1:9/api/v3", timeout=2, retries=1, backoff=0)
    with pytest.raises(GitHubUnavailable) as caught:
        github.tag_commit("actions/checkout", "v4")
    assert "ConnectionError" in str(caught.value)


def test_the_time_budget_stops_lookups(fake: FakeGitHub) -> None:
    github = client(fake, budget_seconds=-1)
    with pytest.raises(GitHubUnavailable) as caught:
        github.tag_commit("actions/checkout", "v4")
    assert str(caught.value) == "tag v4 of actions/checkout: the time budget for GitHub lookups is spent"
    assert fake.requests == []


def test_environment(fake: FakeGitHub) -> None:
    github = GitHubRefs.from_environment({"GH_TOKEN": "gh", "GITHUB_API_URL": fake.api_url + "/"})
    assert (github.token, github.api_url) == ("gh", fake.api_url)
    github = GitHubRefs.from_environment({"GITHUB_TOKEN": "a", "GH_TOKEN": "b"})
    assert (github.token, github.api_url) == ("a", "https://api.github.com")
    assert GitHubRefs.from_environment({}).token is None


def test_unauthenticated_requests_send_no_token(fake: FakeGitHub) -> None:
    assert GitHubRefs(api_url=fake.api_url, backoff=0).tag_commit("actions/checkout", "v4") == V420
    assert fake.paths() == ["/api/v3/repos/actions/checkout/git/ref/tags/v4"] and fake.authorizations == [None]


def pin(version: str, label: str | None, name: str = "actions/checkout") -> Dependency:
    return Dependency("actions", name, version, manifest=".github/workflows/ci.yml", line=3, label=label)


def test_facts_stage(fake: FakeGitHub) -> None:
    deps = [
        pin(V420, "v4.2.0"),
        pin(V420, "v4.2.0 (again, another line)"),
        pin(IMPOSTOR, "v4.2.0"),
        pin(V410, None),
        pin("v4", None),  # a tag pin: nothing to look up
        Dependency("docker", "python", "3.12"),
    ]
    facts = gather_facts(deps, offline=False, github=client(fake))
    assert sorted(facts) == sorted([("actions", "actions/checkout", v) for v in (V420, IMPOSTOR, V410)])
    good = facts[("actions", "actions/checkout", V420)]
    assert (dict(good.tag_commits), good.reachable, good.reason) == ({"v4.2.0": V420}, True, None)
    bad = facts[("actions", "actions/checkout", IMPOSTOR)]
    assert (dict(bad.tag_commits), bad.reachable) == ({"v4.2.0": V420}, False)
    assert dict(facts[("actions", "actions/checkout", V410)].tag_commits) == {}


def test_facts_stage_offline_and_failing(fake: FakeGitHub) -> None:
    offline = gather_facts([pin(V420, "v4.2.0")], offline=True)
    [facts] = offline.values()
    assert (facts.tag_commits, facts.reachable, facts.reason) == (UNKNOWN, UNKNOWN, "offline: GitHub was not asked")
    fake.fail("/api/v3/repos/actions/checkout", 500)
    [facts] = gather_facts([pin(V420, "v4.2.0")], offline=False, github=client(fake, retries=0)).values()
    assert (facts.tag_commits, facts.reachable) == (UNKNOWN, UNKNOWN)
    assert facts.reason == (
        "tag v4.2.0 of actions/checkout: GitHub answered 500: Service Unavailable; "
        "tag v4.2.0 of actions/checkout: GitHub answered 500: Service Unavailable"
    )
    assert gather_facts([Dependency("pypi", "x", "1")], offline=False) == {}


def test_pygithub_is_imported_only_when_asked() -> None:
    code = (
        "import sys; import checker.registries.github, checker.registries.stage; "
        "assert 'github' not in sys.modules, 'imported too early'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
