"""hook-pinning on hand-built subjects: pre-commit revs (full commits, tags, branches, short SHAs) and hooks'
additional dependencies; a hook repository is judged here and by pin-comment, not by registry-source."""

from __future__ import annotations

import pytest

from checker.manifests.precommit_config import parse
from checker.model import Dependency, Source
from checker.rules import hook_pinning
from tests.rules.hook_revs import HOOKS, HOOKS_SHA, PATH, hook_issues, hook_subject, rev


def extra(text: str, language: str = "python") -> Dependency:
    manifest = parse(f"repos:\n- repo: local\n  hooks:\n  - id: h\n    language: {language}\n"
                     f"    additional_dependencies: [{text!r}]\n", PATH, lambda p: None)
    assert manifest.problems == (), manifest.problems
    [dep] = manifest.dependencies
    return dep


# --- hook-pinning: revs ----------------------------------------------------------------------------------------


def test_a_full_commit_passes_and_tags_branches_short_shas_do_not() -> None:
    assert hook_issues(hook_pinning, rev(HOOKS_SHA, "frozen: v6.0.0")) == []
    assert hook_issues(hook_pinning, rev(HOOKS_SHA.upper())) == []  # git reads 40 hex digits as the commit, in any case
    [(message, level, unknown)] = hook_issues(hook_pinning, rev("v6.0.0"))
    assert message == (
        f"{HOOKS} rev v6.0.0 is a tag or branch, which can be moved to other code at any time (as 76 of the 77 tags "
        "of aquasecurity/trivy-action were in March 2026), and pre-commit runs that code on every developer's machine "
        "and in CI; a full commit SHA is required"
    )
    assert (level, unknown) == (None, False)
    [(message, _, _)] = hook_issues(hook_pinning, rev("3e8a870"))
    assert message.startswith(f"{HOOKS} rev 3e8a870 is a short SHA, not a pin:")
    for ref in ("main", "deadbeef", "1234567", HOOKS_SHA[:39], HOOKS_SHA + "0", " " + HOOKS_SHA):
        [(message, _, _)] = hook_issues(hook_pinning, rev(ref))
        assert "a full commit SHA is required" in message or "short SHA" in message, ref


def test_the_hint_writes_the_frozen_form() -> None:
    [issue] = hook_pinning.check(hook_subject(rev("v6.0.0")), {})
    assert issue.hint == ("pin the commit and keep the tag as a comment: rev: <40-hex sha>  # frozen: v6.0.0 "
                          "(pre-commit autoupdate --freeze writes it)")


def test_only_pre_commit_configurations_are_judged() -> None:
    action = Dependency("actions", "actions/checkout", "v4", manifest=".github/workflows/ci.yml")
    assert hook_issues(hook_pinning, action, fmt="gha-workflow") == []
    assert hook_issues(hook_pinning, Dependency("pypi", "requests", None, ">=2"), fmt="requirements") == []


# --- hook-pinning: additional dependencies ----------------------------------------------------------------------


@pytest.mark.parametrize("text, language", [
    ("requests==2.32.3", "python"), ("black[jupyter]===24.1.0", "python"), ("eslint@8.56.0", "node"),
    ("@types/node@20.11.5", "node"), ("rubocop:1.60.0", "ruby"), ("golang.org/x/tools/cmd/goimports@v0.17.0", "golang"),
    ("cli:ripgrep:14.1.0", "rust"), ("serde:=1.0.100", "rust"), ("numpy==1.26.4", "conda"),
    (f"tool @ git+https://github.com/acme/tool@{HOOKS_SHA}", "python"),
    ("pkg @ https://files.example/pkg-1.0.tar.gz#sha256=" + "a" * 64, "python"),
])
def test_exact_pins_pass(text: str, language: str) -> None:
    assert hook_issues(hook_pinning, extra(text, language)) == []


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
    [issue] = hook_pinning.check(hook_subject(dep), {})
    assert issue.message.startswith(f"additional dependency {dep.ecosystem}:{dep.name} (")
    assert "is not pinned to one version: pre-commit installs whatever the registry offers" in issue.message
    assert issue.hint == f"pin an exact version: {hint}"


def test_git_and_url_sources_need_a_commit_or_a_hash() -> None:
    [(message, _, _)] = hook_issues(hook_pinning, extra("tool @ git+https://github.com/acme/tool@main"))
    assert message == ("additional dependency tool comes from git at main, not at a full commit: a branch or tag can "
                       "be moved")
    [(message, _, _)] = hook_issues(hook_pinning, extra("pkg @ https://files.example/pkg-1.0.tar.gz"))
    assert message == ("additional dependency pkg is downloaded from a URL without a hash: the file behind it can "
                       "change")


# --- registry-source leaves hook repositories to hook-pinning ----------------------------------------------------


def test_source_of_a_rev_is_the_default_registry_source() -> None:
    """registry-source judges packages; a hook repository is judged by hook-pinning and pin-comment."""
    dep = parse(f"repos:\n- repo: {HOOKS}\n  rev: {HOOKS_SHA}\n", PATH, lambda p: None).dependencies[0]
    assert dep.source == Source()
