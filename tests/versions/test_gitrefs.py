"""Git refs (checker/versions/gitrefs.py): the GitHub repository a pin belongs to, and the tag a version comment
names."""

from __future__ import annotations

from checker.versions.gitrefs import comment_tag, github_repository_of_url, pinned_repository
from tests.rules.hook_revs import HOOKS


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
