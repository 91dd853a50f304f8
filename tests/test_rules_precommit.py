"""hook-pinning on hand-built subjects; pin-comment and the GitHub facts for pre-commit hook repositories; how
revs are ordered by their comments."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

import pytest

from checker.diff.changes import diff_dependencies
from checker.registries.stage import gather_facts
from checker.versions.gitrefs import comment_tag, github_repository_of_url, pinned_repository
from checker.manifests.precommit_config import parse
from checker.model import UNKNOWN, Dependency, Facts, Manifest, Source
from checker.versions.refs import comparable
from checker.registries.github import GitHubUnavailable
from checker.rules import hook_pinning, pin_comment
from checker.rules.base import Subject

PATH = ".pre-commit-config.yaml"
SHA = "3e8a8703264a2f4a69428a0aa4dcb512790b2c8c"  # pre-commit/pre-commit-hooks v6.0.0
V5 = "cef0300fd0fc4d2a87a85fa2093c6b283ea36f4b"  # pre-commit/pre-commit-hooks v5.0.0
HOOKS = "https://github.com/pre-commit/pre-commit-hooks"
PIN_OPTIONS = {"missing-comment": "warn", "mismatch": "block"}


def rev(version: str, label: str | None = None, name: str = HOOKS) -> Dependency:
    return Dependency("pre-commit", name, version, manifest=PATH, line=3, label=label, scope="build")


def subject(dep: Dependency, facts: Facts | None = None, fmt: str = "pre-commit-config") -> Subject:
    return Subject(dep, Manifest(dep.manifest, fmt, "pre-commit", (dep,), kind="declared"), None, facts)


def issues(rule: Any, dep: Dependency, options: Mapping[str, Any] | None = None, facts: Facts | None = None,
           fmt: str = "pre-commit-config") -> list[tuple]:
    return [(i.message, i.level, i.unknown) for i in rule.check(subject(dep, facts, fmt), options or {})]


def extra(text: str, language: str = "python") -> Dependency:
    manifest = parse(f"repos:\n- repo: local\n  hooks:\n  - id: h\n    language: {language}\n"
                     f"    additional_dependencies: [{text!r}]\n", PATH, lambda p: None)
    assert manifest.problems == (), manifest.problems
    [dep] = manifest.dependencies
    return dep


# --- hook-pinning: revs ----------------------------------------------------------------------------------------


def test_a_full_commit_passes_and_tags_branches_short_shas_do_not() -> None:
    assert issues(hook_pinning, rev(SHA, "frozen: v6.0.0")) == []
    assert issues(hook_pinning, rev(SHA.upper())) == []  # git reads 40 hex digits as the commit, in any case
    [(message, level, unknown)] = issues(hook_pinning, rev("v6.0.0"))
    assert message == (
        f"{HOOKS} rev v6.0.0 is a tag or branch, which can be moved to other code at any time (as 76 of the 77 tags "
        "of aquasecurity/trivy-action were in March 2026), and pre-commit runs that code on every developer's machine "
        "and in CI; a full commit SHA is required"
    )
    assert (level, unknown) == (None, False)
    [(message, _, _)] = issues(hook_pinning, rev("3e8a870"))
    assert message.startswith(f"{HOOKS} rev 3e8a870 is a short SHA, not a pin:")
    for ref in ("main", "deadbeef", "1234567", SHA[:39], SHA + "0", " " + SHA):
        [(message, _, _)] = issues(hook_pinning, rev(ref))
        assert "a full commit SHA is required" in message or "short SHA" in message, ref


def test_the_hint_writes_the_frozen_form() -> None:
    [issue] = hook_pinning.check(subject(rev("v6.0.0")), {})
    assert issue.hint == ("pin the commit and keep the tag as a comment: rev: <40-hex sha>  # frozen: v6.0.0 "
                          "(pre-commit autoupdate --freeze writes it)")


def test_only_pre_commit_configurations_are_judged() -> None:
    action = Dependency("actions", "actions/checkout", "v4", manifest=".github/workflows/ci.yml")
    assert issues(hook_pinning, action, fmt="gha-workflow") == []
    assert issues(hook_pinning, Dependency("pypi", "requests", None, ">=2"), fmt="requirements") == []


# --- hook-pinning: additional dependencies ----------------------------------------------------------------------


@pytest.mark.parametrize("text, language", [
    ("requests==2.32.3", "python"), ("black[jupyter]===24.1.0", "python"), ("eslint@8.56.0", "node"),
    ("@types/node@20.11.5", "node"), ("rubocop:1.60.0", "ruby"), ("golang.org/x/tools/cmd/goimports@v0.17.0", "golang"),
    ("cli:ripgrep:14.1.0", "rust"), ("serde:=1.0.100", "rust"), ("numpy==1.26.4", "conda"),
    (f"tool @ git+https://github.com/acme/tool@{SHA}", "python"),
    ("pkg @ https://files.example/pkg-1.0.tar.gz#sha256=" + "a" * 64, "python"),
])
def test_exact_pins_pass(text: str, language: str) -> None:
    assert issues(hook_pinning, extra(text, language)) == []


@pytest.mark.parametrize("text, language, hint", [
    ("requests>=2", "python", "requests==X.Y.Z"), ("requests", "python", "requests==X.Y.Z"),
    ("requests==2.*", "python", "requests==X.Y.Z"), ("requests~=2.32", "python", "requests==X.Y.Z"),
    ("requests>=2; python_version > '3'", "python", "requests==X.Y.Z"),
    ("eslint@^8", "node", "eslint@X.Y.Z"), ("eslint@latest", "node", "eslint@X.Y.Z"), ("eslint", "node", "eslint@X.Y.Z"),
    ("rubocop", "ruby", "rubocop:X.Y.Z"), ("rubocop:~> 1.0", "ruby", "rubocop:X.Y.Z"),
    ("mvdan.cc/gofumpt@latest", "golang", "mvdan.cc/gofumpt@vX.Y.Z"), ("mvdan.cc/gofumpt", "golang", "mvdan.cc/gofumpt@vX.Y.Z"),
    ("cli:ripgrep", "rust", "cli:ripgrep:X.Y.Z"), ("cli:ripgrep:^14", "rust", "cli:ripgrep:X.Y.Z"),
    ("serde:1.0.100", "rust", "serde:=X.Y.Z"),  # cargo add reads a bare version as ^1.0.100
    ("numpy=1.26", "conda", "numpy==X.Y.Z"), ("numpy", "conda", "numpy==X.Y.Z"),
])
def test_ranges_tags_and_bare_names_are_findings(text: str, language: str, hint: str) -> None:
    dep = extra(text, language)
    [issue] = hook_pinning.check(subject(dep), {})
    assert issue.message.startswith(f"additional dependency {dep.ecosystem}:{dep.name} (")
    assert "is not pinned to one version: pre-commit installs whatever the registry offers" in issue.message
    assert issue.hint == f"pin an exact version: {hint}"


def test_git_and_url_sources_need_a_commit_or_a_hash() -> None:
    [(message, _, _)] = issues(hook_pinning, extra("tool @ git+https://github.com/acme/tool@main"))
    assert message == ("additional dependency tool comes from git at main, not at a full commit: a branch or tag can "
                       "be moved")
    [(message, _, _)] = issues(hook_pinning, extra("pkg @ https://files.example/pkg-1.0.tar.gz"))
    assert message == ("additional dependency pkg is downloaded from a URL without a hash: the file behind it can "
                       "change")


# --- pin-comment for pre-commit --------------------------------------------------------------------------------


def test_the_repository_a_rev_belongs_to() -> None:
    assert github_repository_of_url("https://github.com/psf/black") == "psf/black"
    assert github_repository_of_url("https://github.com/psf/black.git") == "psf/black"
    assert github_repository_of_url("https://GitHub.com/psf/black/") == "psf/black"
    assert github_repository_of_url("git@github.com:psf/black.git") == "psf/black"
    assert github_repository_of_url("ssh://git@github.com/psf/black") == "psf/black"
    for other in ("https://gitlab.com/a/b", "https://github.com/a/b/c", "https://github.com@evil.example/a/b",
                  "file:///tmp/x", "https://github.com/a", "https://github.com/a/..", "https://github.com:8443/a/b",
                  "/srv/hooks", "../hooks"):
        assert github_repository_of_url(other) is None, other
    assert pinned_repository("actions", "github/codeql-action/init") == "github/codeql-action"
    assert pinned_repository("pre-commit", HOOKS) == "pre-commit/pre-commit-hooks"
    assert pinned_repository("pypi", "requests") is None


def test_the_tag_a_comment_names() -> None:
    assert comment_tag("frozen: v6.0.0") == "v6.0.0"
    assert comment_tag("frozen: 0.9.9") == "0.9.9"  # uv-pre-commit's tags have no v
    assert comment_tag("frozen: release-2024") == "release-2024"  # the tag exactly as written
    assert comment_tag("v6.0.0") == "v6.0.0"
    assert comment_tag("must match requirements-dev.txt") is None
    assert comment_tag("frozen:") is None


def test_offline_a_frozen_rev_is_unknown_and_a_bare_one_wants_a_comment() -> None:
    facts = Facts("pre-commit", HOOKS, SHA, reason="offline: GitHub was not asked")
    assert issues(pin_comment, rev(SHA, "frozen: v6.0.0"), PIN_OPTIONS, facts) == [
        (f"could not check commit {SHA[:12]} against pre-commit/pre-commit-hooks on GitHub (offline: GitHub was not "
         "asked)", None, True),
    ]
    [(message, level, _), _] = issues(pin_comment, rev(SHA), PIN_OPTIONS, facts)
    assert (message, level) == (
        f"{HOOKS} is pinned to commit {SHA[:12]} with no version comment: a reviewer cannot tell which release it is, "
        "and lockgate cannot check it against one", "warn")
    [issue, _] = pin_comment.check(subject(rev(SHA), facts), PIN_OPTIONS)
    assert issue.hint == (f"name the release beside the pin: rev: {SHA}  # frozen: vX.Y.Z (pre-commit autoupdate "
                          "--freeze writes it)")
    assert issues(pin_comment, rev("v6.0.0"), PIN_OPTIONS, facts) == []  # a tag: hook-pinning's business


def test_online_a_true_comment_passes_a_lie_and_an_impostor_block() -> None:
    true = Facts("pre-commit", HOOKS, SHA, tag_commits=MappingProxyType({"v6.0.0": SHA}), reachable=True)
    assert issues(pin_comment, rev(SHA, "frozen: v6.0.0"), PIN_OPTIONS, true) == []
    lie = Facts("pre-commit", HOOKS, SHA, tag_commits=MappingProxyType({"v5.0.0": V5}), reachable=True)
    [(message, level, unknown)] = issues(pin_comment, rev(SHA, "frozen: v5.0.0"), PIN_OPTIONS, lie)
    assert message.startswith(f"the comment says v5.0.0, but tag v5.0.0 of pre-commit/pre-commit-hooks points to "
                              f"commit {V5[:12]}, not {SHA[:12]}")
    assert (level, unknown) == ("block", False)
    impostor = Facts("pre-commit", HOOKS, SHA, tag_commits=MappingProxyType({"v6.0.0": None}), reachable=False)
    [(message, _, _)] = issues(pin_comment, rev(SHA, "frozen: v6.0.0"), PIN_OPTIONS, impostor)
    assert message.startswith(f"commit {SHA[:12]} is not on any branch or tag of pre-commit/pre-commit-hooks")


def test_another_host_cannot_be_checked_and_says_so() -> None:
    for name in ("https://gitlab.com/pycqa/flake8", "file:///srv/hooks", "/srv/hooks"):
        found = issues(pin_comment, rev(SHA, "frozen: v6.0.0", name), PIN_OPTIONS, None)
        assert found == [(f"could not check commit {SHA[:12]} of {name}: lockgate checks a pin's commit and its version "
                          "comment only for repositories on github.com", None, True)], name


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
    github = FakeRefs({("pre-commit/pre-commit-hooks", "v6.0.0"): SHA},
                      {("pre-commit/pre-commit-hooks", SHA): True}, {"pre-commit/pre-commit-hooks"})
    deps = [rev(SHA, "frozen: v6.0.0"), rev(SHA, "frozen: v6.0.0", "https://gitlab.com/a/b"), rev("v6.0.0")]
    found = gather_facts(deps, offline=False, github=github)
    assert list(found) == [("pre-commit", HOOKS, SHA)]
    facts = found[("pre-commit", HOOKS, SHA)]
    assert (dict(facts.tag_commits), facts.reachable, facts.reason) == ({"v6.0.0": SHA}, True, None)
    assert ("tag", "pre-commit/pre-commit-hooks", "v6.0.0") in github.asked
    offline = gather_facts(deps, offline=True, github=github)
    assert offline[("pre-commit", HOOKS, SHA)].reason == "offline: GitHub was not asked"


def test_a_repository_the_api_does_not_know_is_unknown_not_an_impostor() -> None:
    github = FakeRefs({}, {}, set())  # GitHub Enterprise Server's API, asked about github.com
    [facts] = gather_facts([rev(SHA, "frozen: v6.0.0")], offline=False, github=github).values()
    assert (facts.reachable, facts.tag_commits) == (UNKNOWN, UNKNOWN)
    assert facts.reason == "GitHub's API at https://api.github.com knows no repository pre-commit/pre-commit-hooks"
    [(_, _, unknown)] = issues(pin_comment, rev(SHA, "frozen: v6.0.0"), PIN_OPTIONS, facts)
    assert unknown
    failing = FakeRefs({}, {}, set(), fail=True)
    [facts] = gather_facts([rev(SHA, "frozen: v6.0.0")], offline=False, github=failing).values()
    assert facts.reason == "repository pre-commit/pre-commit-hooks: GitHub answered 503"


# --- ordering --------------------------------------------------------------------------------------------------


def test_a_rev_orders_by_its_comment_when_it_is_a_commit() -> None:
    assert comparable("pre-commit", SHA, "frozen: v6.0.0") == "v6.0.0"
    assert comparable("pre-commit", SHA, "v6.0.0") == "v6.0.0"
    assert comparable("pre-commit", "v5.0.0", None) == "v5.0.0"
    assert comparable("pre-commit", SHA, None) is None


def test_the_diff_orders_revs_by_their_comments() -> None:
    [change] = diff_dependencies([rev(V5, "frozen: v5.0.0")], [rev(SHA, "frozen: v6.0.0")])
    assert (change.kind, change.bump) == ("upgraded", "major")
    [change] = diff_dependencies([rev(SHA, "frozen: v6.0.0")], [rev(V5, "frozen: v6.0.0")])
    assert change.kind == "source-changed"  # another commit under the same comment


def test_source_of_a_rev_is_the_default_registry_source() -> None:
    """registry-source judges packages; a hook repository is judged by hook-pinning and pin-comment."""
    dep = parse(f"repos:\n- repo: {HOOKS}\n  rev: {SHA}\n", PATH, lambda p: None).dependencies[0]
    assert dep.source == Source()
