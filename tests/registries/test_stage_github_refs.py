"""The facts stage asking GitHub about pre-commit hook repositories (checker/registries/stage.py): only those on
github.com, and a repository the API does not know is unknown, not an impostor."""

from __future__ import annotations

from checker.model import UNKNOWN
from checker.registries.github import GitHubUnavailable
from checker.registries.stage import gather_facts
from checker.rules import pin_comment
from tests.rules.hook_revs import HOOKS, HOOKS_SHA, PIN_OPTIONS, hook_issues, rev


# --- the facts stage -------------------------------------------------------------------------------------------


class FakeRefs:
    """What the facts stage asks GitHubRefs, answered from a table."""

    api_url = "https://api.github.com"
    max_compares = 30

    def __init__(self, tags: dict[tuple[str, str], str], reachable: dict[tuple[str, str], bool],
                 repos: set[str], fail: bool = False) -> None:
        self.tags, self.reachable, self.repos, self.fail = tags, reachable, repos, fail
        self.asked: list[tuple] = []

    def default_branch(self, repo: str) -> str | None:
        self.asked.append(("default", repo))
        if self.fail:
            raise GitHubUnavailable(f"repository {repo}: GitHub answered 503")
        return "main" if repo in self.repos else None

    def version_tag_commit(self, repo: str, tag: str) -> str | None:
        self.asked.append(("tag", repo, tag))
        return self.tags.get((repo, tag))

    def commit_reachable(self, repo: str, sha: str, tags: list[str]) -> bool | None:
        self.asked.append(("reachable", repo, sha))
        return self.reachable.get((repo, sha), False)


def test_facts_ask_github_about_github_hook_repositories_only() -> None:
    github = FakeRefs({("pre-commit/pre-commit-hooks", "v6.0.0"): HOOKS_SHA},
                      {("pre-commit/pre-commit-hooks", HOOKS_SHA): True}, {"pre-commit/pre-commit-hooks"})
    deps = [rev(HOOKS_SHA, "frozen: v6.0.0"), rev(HOOKS_SHA, "frozen: v6.0.0", "https://gitlab.com/a/b"), rev("v6.0.0")]
    found = gather_facts(deps, offline=False, github=github)
    assert list(found) == [("pre-commit", HOOKS, HOOKS_SHA)]
    facts = found[("pre-commit", HOOKS, HOOKS_SHA)]
    assert (dict(facts.tag_commits), facts.reachable, facts.reason) == ({"v6.0.0": HOOKS_SHA}, True, None)
    assert ("tag", "pre-commit/pre-commit-hooks", "v6.0.0") in github.asked
    offline = gather_facts(deps, offline=True, github=github)
    assert offline[("pre-commit", HOOKS, HOOKS_SHA)].reason == "offline: GitHub was not asked"


def test_a_repository_the_api_does_not_know_is_unknown_not_an_impostor() -> None:
    github = FakeRefs({}, {}, set())  # GitHub Enterprise Server's API, asked about github.com
    [facts] = gather_facts([rev(HOOKS_SHA, "frozen: v6.0.0")], offline=False, github=github).values()
    assert (facts.reachable, facts.tag_commits) == (UNKNOWN, UNKNOWN)
    assert facts.reason == "GitHub's API at https://api.github.com knows no repository pre-commit/pre-commit-hooks"
    [(_, _, unknown)] = hook_issues(pin_comment, rev(HOOKS_SHA, "frozen: v6.0.0"), PIN_OPTIONS, facts)
    assert unknown
    failing = FakeRefs({}, {}, set(), fail=True)
    [facts] = gather_facts([rev(HOOKS_SHA, "frozen: v6.0.0")], offline=False, github=failing).values()
    assert facts.reason == "repository pre-commit/pre-commit-hooks: GitHub answered 503"
