"""Links in the comment (checker/report/links.py): registry pages for every ecosystem, source tags and commits, and
no link at all for a name that is not valid in its ecosystem or a package from a private index."""

from __future__ import annotations

import pytest

from checker.model import Dependency, Source
from checker.report.escape import safe_url
from checker.report.links import (
    github_commit_url, github_repository, github_tag_url, image_page, registry_page, version_page,
)

SHA = "915b19bbe73b92a6cf82a1bc12b087c9a19a5fe2"


@pytest.mark.parametrize(
    ("ecosystem", "name", "page"),
    [
        ("pypi", "litellm", "https://pypi.org/project/litellm/"),
        ("pypi", "zope.interface", "https://pypi.org/project/zope.interface/"),
        ("npm", "lodash", "https://www.npmjs.com/package/lodash"),
        ("npm", "@ctrl/tinycolor", "https://www.npmjs.com/package/@ctrl/tinycolor"),
        ("actions", "actions/checkout", "https://github.com/actions/checkout"),
        ("actions", "github/codeql-action/init", "https://github.com/github/codeql-action"),
        ("actions", "octo-org/wf/.github/workflows/ci.yml", "https://github.com/octo-org/wf"),
        ("docker", "python", "https://hub.docker.com/_/python"),
        ("docker", "library/python", "https://hub.docker.com/_/python"),
        ("docker", "bitnami/redis", "https://hub.docker.com/r/bitnami/redis"),
        ("docker", "docker.io/bitnami/redis", "https://hub.docker.com/r/bitnami/redis"),
        ("docker", "ghcr.io/acme/tools/img", "https://ghcr.io/acme/tools/img"),
        ("docker", "quay.io/prometheus/node-exporter", "https://quay.io/repository/prometheus/node-exporter"),
        ("docker", "mcr.microsoft.com/dotnet/sdk", "https://mcr.microsoft.com/artifact/mar/dotnet/sdk"),
        ("docker", "public.ecr.aws/lambda/python", "https://gallery.ecr.aws/lambda/python"),
        ("docker", "registry.internal:5000/team/app", None),  # no page lockgate knows
    ],
)
def test_registry_pages(ecosystem: str, name: str, page: str | None) -> None:
    assert registry_page(Dependency(ecosystem, name, "1.0")) == page
    if page is not None:
        assert safe_url(page)


@pytest.mark.parametrize(
    ("ecosystem", "name"),
    [
        ("pypi", "evil)[x](javascript:alert(1)"), ("pypi", "a b"), ("pypi", "-lead"), ("pypi", "a/../b"),
        ("npm", "Upper"), ("npm", "@scope/a/b"), ("npm", "a)b"), ("npm", "@/x"),
        ("actions", "owner"), ("actions", "-bad/repo"), ("actions", "o/.."), ("actions", "o/r)x"),
        ("docker", "Python"), ("docker", "a//b"), ("docker", "ghcr.io/a/b)c"), ("docker", "evil host/x"),
    ],
)
def test_invalid_names_get_no_link(ecosystem: str, name: str) -> None:
    assert registry_page(Dependency(ecosystem, name, "1.0")) is None


def test_private_indexes_get_no_public_page() -> None:
    """A package from another index is another package: pypi.org's page would describe the wrong one."""
    private = Source("registry", "https://pypi.internal.example/simple")
    assert registry_page(Dependency("pypi", "internal-tool", "1.0", source=private)) is None
    assert registry_page(Dependency("pypi", "requests", "2.0", source=Source("registry", "https://pypi.org/simple"))) \
        == "https://pypi.org/project/requests/"
    assert registry_page(Dependency("npm", "x", "1.0", source=Source("registry", "https://npm.internal/"))) is None
    assert registry_page(Dependency("npm", "x", "1.0", source=Source("registry", "https://registry.npmjs.org/"))) \
        == "https://www.npmjs.com/package/x"
    assert registry_page(Dependency("pypi", "x", "1.0", source=Source("git", "https://github.com/a/x"))) is None


def test_version_pages() -> None:
    assert version_page(Dependency("pypi", "litellm", "1.82.6")) == "https://pypi.org/project/litellm/1.82.6/"
    assert version_page(Dependency("npm", "@ctrl/tinycolor", "4.1.1")) == \
        "https://www.npmjs.com/package/@ctrl/tinycolor/v/4.1.1"
    assert version_page(Dependency("pypi", "litellm", None, ">=1")) is None
    assert version_page(Dependency("pypi", "litellm", "1.0 )x")) is None
    assert version_page(Dependency("actions", "a/b", "v1")) is None


def test_source_links() -> None:
    assert github_repository("BerriAI/litellm") == "BerriAI/litellm"
    assert github_repository("a/b/c") == "a/b"
    assert github_repository("a") is None and github_repository(None) is None
    assert github_tag_url("aquasecurity/trivy-action", "0.28.0") == \
        "https://github.com/aquasecurity/trivy-action/releases/tag/0.28.0"
    assert github_tag_url("a/b", "release/v1") == "https://github.com/a/b/releases/tag/release/v1"
    assert github_tag_url("a/b", "../x") is None and github_tag_url("a/b", "v1 )") is None
    assert github_tag_url("a/b", None) is None
    assert github_commit_url("a/b", SHA) == f"https://github.com/a/b/commit/{SHA}"
    assert github_commit_url("a/b", "v1") is None


def test_image_pages_follow_dockers_short_names() -> None:
    assert image_page("index.docker.io/library/node") == "https://hub.docker.com/_/node"
    assert image_page("localhost:5000/app") is None
