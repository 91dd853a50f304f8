"""The source repository a version names (checker/registries/sourcerepo.py): real PyPI project URLs and real npm
``repository`` fields (fixtures/sourcerepo/, see its SOURCES.md), and the spellings an attacker or a sloppy
publisher may write, each either the right repository or None — never a guess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.model import SourceRepository
from checker.registries.sourcerepo import (
    action_repository,
    normalise_label,
    npm_repository,
    pypi_repository,
    repository_of_url,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sourcerepo"


def described(found: SourceRepository | None) -> str | None:
    return found.describe() if found is not None else None


@pytest.mark.parametrize("info", json.loads((FIXTURES / "pypi_info.json").read_text()), ids=lambda i: i["name"])
def test_real_pypi_project_urls(info: dict[str, object]) -> None:
    assert described(pypi_repository(info)) == info["expected"]


@pytest.mark.parametrize("row", json.loads((FIXTURES / "npm_repository.json").read_text()), ids=lambda r: r["name"])
def test_real_npm_repository_fields(row: dict[str, object]) -> None:
    assert described(npm_repository({"repository": row["repository"]})) == row["expected"]


def test_labels_are_compared_as_pep_753_normalises_them() -> None:
    assert normalise_label("Source Code") == "sourcecode" == normalise_label("source-code")
    assert normalise_label(" GitHub ") == "github"
    info = {"project_urls": {"Homepage": "https://github.com/decoy/home", "Issue Tracker": "https://github.com/a/b",
                             "Source_Code": "https://github.com/real/source"}}
    assert described(pypi_repository(info)) == "github.com/real/source"  # a source label before the homepage


def test_a_source_label_that_is_no_repository_falls_through_to_the_next() -> None:
    info = {"project_urls": {"Source": "https://example.org/download/x-1.0.tar.gz",
                             "Repository": "https://github.com/a/b"}}
    assert described(pypi_repository(info)) == "github.com/a/b"
    assert pypi_repository({"project_urls": {"Documentation": "https://github.com/a/b"}}) is None  # not a source
    assert pypi_repository({"project_urls": {"Changelog": "https://github.com/a/b/blob/main/CHANGES.md"}}) is None
    assert pypi_repository({"project_urls": None, "home_page": None}) is None
    assert pypi_repository({"project_urls": ["https://github.com/a/b"], "home_page": 7}) is None
    assert described(pypi_repository({"home_page": "https://github.com/a/b"})) == "github.com/a/b"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://github.com/psf/requests", "github.com/psf/requests"),
    ("https://github.com/psf/requests.git", "github.com/psf/requests"),
    ("https://github.com/psf/requests/", "github.com/psf/requests"),
    ("https://www.github.com/psf/requests", "github.com/psf/requests"),
    ("HTTPS://GitHub.COM/psf/requests", "github.com/psf/requests"),
    ("https://github.com/psf/requests#readme", "github.com/psf/requests"),
    ("https://user:token@github.com/psf/requests", "github.com/psf/requests"),  # credentials dropped
    ("git+ssh://git@github.com/psf/requests.git", "github.com/psf/requests"),
    ("ssh://git@github.com/psf/requests", "github.com/psf/requests"),
    ("git@github.com:psf/requests.git", "github.com/psf/requests"),
    ("https://gitlab.com/group/sub/project", "gitlab.com/group/sub/project"),
    ("https://codeberg.org/forgejo/forgejo", "codeberg.org/forgejo/forgejo"),
    ("https://git.example.com/team/tool.git", "git.example.com/team/tool"),  # any host, when it says it is git
    ("git://git.example.com/team/tool", "git.example.com/team/tool"),
    # not a repository: None, never a guess
    ("https://github.com/psf", None),
    ("https://github.com/psf/requests/issues", None),
    ("https://github.com/psf/requests/tree/main/src", None),
    ("https://gitlab.com/group/project/-/tree/main", None),
    ("https://git.example.com/team/tool", None),  # an unknown host by plain https: a web page
    ("https://requests.readthedocs.io", None),
    ("ftp://github.com/psf/requests", None),
    ("file:///home/me/requests", None),
    ("javascript://github.com/psf/requests", None),
    # an attacker's spellings
    ("https://github.com.evil.example/psf/requests", None),
    ("https://evil.example/github.com/psf/requests", None),
    ("https://evil.example#@github.com/psf/requests", None),
    ("https://github.com\\@evil.example/psf/requests", None),
    ("https://github.com/psf/../evil/requests", None),
    ("https://github.com//psf/requests", None),
    ("https://github.com/ps%66/requests", None),
    ("https://github.com/psf/requests\n", "github.com/psf/requests"),  # outer whitespace is no part of a URL
    ("https://github.com/psf/req uests", None),
    ("https://github.com/psf/requests\u200b", None),  # a zero-width space
    ("https://g\u0456thub.com/psf/requests", None),  # a Cyrillic i
    ("https://github.com:99999/psf/requests", None),  # no such port
    ("https://github.com:8443/psf/requests", None),  # another port is another server, not github.com's pages
    ("https://[::1]/psf/requests.git", None),
    ("C:/psf/requests", None),  # a path, not an scp-like address
    ("https://github.com/" + "a" * 5000 + "/b", None),
])
def test_urls(url: str, expected: str | None) -> None:
    assert described(repository_of_url(url)) == expected


def test_a_github_lookalike_host_is_never_github() -> None:
    found = repository_of_url("git+https://github.com.evil.example/psf/requests.git")
    assert found is not None and found.host == "github.com.evil.example"  # a repository, but not on github.com


@pytest.mark.parametrize(("value", "expected"), [
    ("github:owner/repo", "github.com/owner/repo"),
    ("gitlab:group/project", "gitlab.com/group/project"),
    ("bitbucket:team/repo", "bitbucket.org/team/repo"),
    ("owner/repo#v1.2.3", "github.com/owner/repo"),
    ("gist:11081aaa281", None),
    ("owner", None),
    ("owner/repo/extra", None),
    ("github:../repo", None),
    ({"type": "git", "url": "github:owner/repo"}, "github.com/owner/repo"),
    ({"url": "https://ghe.example.com/org/repo"}, "ghe.example.com/org/repo"),  # type git by default
    ({"type": "svn", "url": "https://github.com/owner/repo"}, None),
    ({"type": "git"}, None),
    ({"type": "git", "url": 7}, None),
    (["https://github.com/owner/repo"], None),
    (None, None),
])
def test_npm_repository_values(value: object, expected: str | None) -> None:
    assert described(npm_repository({"repository": value})) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("actions/checkout", "github.com/actions/checkout"),
    ("github/codeql-action/init", "github.com/github/codeql-action"),
    ("owner/repo/.github/workflows/build.yml", "github.com/owner/repo"),
    ("${{ matrix.action }}", None),
    ("owner/${{ inputs.repo }}", None),
    ("./local-action", None),
])
def test_action_repositories(name: str, expected: str | None) -> None:
    assert described(action_repository(name)) == expected
