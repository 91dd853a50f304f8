"""Where a reader can look a package up: its registry page, its source repository, the tag or commit pinned.

Every URL is assembled here from parts that are validated against what the ecosystem allows for a name (PyPI's
project names, npm's package names, GitHub's owner and repository names, Docker's reference grammar) and then
percent-encoded. A part that does not validate gets no link at all: a hostile name is shown as text, never
turned into a URL. Nothing here reads a URL from a manifest or a registry.

A registry page is only linked for the public registry: a package fetched from a private index is another
package that happens to share the name (dependency confusion), and pypi.org's page would describe the wrong one.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from checker.versions.gitrefs import is_full_sha

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.model import Dependency

_PYPI_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?")
_PYPI_VERSION = re.compile(r"[A-Za-z0-9!+._-]{1,100}")
_NPM_NAME = re.compile(r"(?:@[a-z0-9][a-z0-9._~-]{0,213}/)?[a-z0-9~][a-z0-9._~-]{0,213}")
_NPM_VERSION = re.compile(r"[A-Za-z0-9+._-]{1,100}")
_GH_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
_GH_REPO = re.compile(r"[A-Za-z0-9._-]{1,100}")
_GIT_TAG = re.compile(r"[A-Za-z0-9._+-]{1,200}(?:/[A-Za-z0-9._+-]{1,200}){0,5}")
_DOCKER_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_DOCKER_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,250}[a-z0-9])?(?::[0-9]{1,5})?")

PUBLIC_PYPI_HOSTS = frozenset({"pypi.org", "files.pythonhosted.org", "pypi.python.org"})
PUBLIC_NPM_HOSTS = frozenset({"registry.npmjs.org", "registry.npmjs.com", "registry.yarnpkg.com"})
# Registries with a browsable page per image: host -> URL prefix for the image's path.
_IMAGE_PAGES = {
    "ghcr.io": "https://ghcr.io/",
    "quay.io": "https://quay.io/repository/",
    "mcr.microsoft.com": "https://mcr.microsoft.com/artifact/mar/",
    "public.ecr.aws": "https://gallery.ecr.aws/",
}


def _q(part: str) -> str:
    return quote(part, safe="")


def _public(dep: Dependency, hosts: frozenset[str]) -> bool:
    source = dep.source
    if source.kind != "registry":
        return False
    if not source.url:
        return True
    host = (urlsplit(source.url).hostname or "").lower()
    return host in hosts


def github_repository(name: str | None) -> str | None:
    """``owner/repo`` when ``name`` is a valid GitHub repository name (extra path segments are dropped)."""
    if not name:
        return None
    parts = name.split("/")
    if len(parts) < 2:
        return None
    owner, repo = parts[0], parts[1]
    if _GH_OWNER.fullmatch(owner) is None or _GH_REPO.fullmatch(repo) is None or repo in (".", ".."):
        return None
    return f"{owner}/{repo}"


def github_url(repository: str | None) -> str | None:
    repo = github_repository(repository)
    if repo is None:
        return None
    owner, name = repo.split("/")
    return f"https://github.com/{_q(owner)}/{_q(name)}"


def github_tag_url(repository: str | None, tag: str | None) -> str | None:
    base = github_url(repository)
    if base is None or not tag or _GIT_TAG.fullmatch(tag) is None or ".." in tag:
        return None
    return f"{base}/releases/tag/{quote(tag, safe='/')}"


def github_commit_url(repository: str | None, sha: str | None) -> str | None:
    base = github_url(repository)
    if base is None or not is_full_sha(sha):
        return None
    return f"{base}/commit/{(sha or '').lower()}"


def image_page(name: str) -> str | None:
    """The browsable page of a container image (Docker's short name form: ``python``, ``bitnami/redis``,
    ``ghcr.io/org/img``), or None for a registry without one lockgate knows."""
    parts = name.split("/")
    host = None
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        host, parts = parts[0].lower(), parts[1:]
        if _DOCKER_HOST.fullmatch(host) is None:
            return None
    if not parts or any(_DOCKER_COMPONENT.fullmatch(part) is None for part in parts):
        return None
    path = "/".join(_q(part) for part in parts)
    if host is None or host in ("docker.io", "index.docker.io", "registry-1.docker.io"):
        if len(parts) == 1:
            return f"https://hub.docker.com/_/{path}"
        if parts[0] == "library" and len(parts) == 2:
            return f"https://hub.docker.com/_/{_q(parts[1])}"
        return f"https://hub.docker.com/r/{path}"
    prefix = _IMAGE_PAGES.get(host)
    return prefix + path if prefix else None


def registry_page(dep: Dependency) -> str | None:
    """The public page of a dependency: pypi.org/project/…, npmjs.com/package/…, github.com/owner/repo for an
    action, the image's registry page for a container image. None when there is none or the name is not valid."""
    if dep.ecosystem == "pypi":
        if not _public(dep, PUBLIC_PYPI_HOSTS) or _PYPI_NAME.fullmatch(dep.name) is None:
            return None
        return f"https://pypi.org/project/{_q(dep.name)}/"
    if dep.ecosystem == "npm":
        if not _public(dep, PUBLIC_NPM_HOSTS) or _NPM_NAME.fullmatch(dep.name) is None:
            return None
        return f"https://www.npmjs.com/package/{quote(dep.name, safe='@/')}"
    if dep.ecosystem == "actions":
        return github_url(dep.name)
    if dep.ecosystem == "docker":
        return image_page(dep.name)
    return None


def version_page(dep: Dependency) -> str | None:
    """The registry's page of this very version (PyPI and npm), or None."""
    version = dep.version
    if not version:
        return None
    page = registry_page(dep)
    if page is None:
        return None
    if dep.ecosystem == "pypi" and _PYPI_VERSION.fullmatch(version):
        return f"{page}{_q(version)}/"
    if dep.ecosystem == "npm" and _NPM_VERSION.fullmatch(version):
        return f"{page}/v/{_q(version)}"
    return None


# --- lockgate's own pages -----------------------------------------------------------------------------------------

PROJECT_URL = "https://github.com/lockgate/lockgate"
_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+){1,3}(?:[a-z]+[0-9]*)?")
_RULE_ID = re.compile(r"[a-z][a-z0-9-]{0,60}")


def rule_page(rule_id: str, version: str | None = None) -> str | None:
    """The rule's reference page (docs/rules/ID.md) as of the lockgate release that ran, so that the page says what
    that run did; the default branch's for a development build."""
    if _RULE_ID.fullmatch(rule_id) is None:
        return None
    ref = f"v{version}" if version and _RELEASE.fullmatch(version) else "main"
    return f"{PROJECT_URL}/blob/{ref}/docs/rules/{rule_id}.md"


# --- the workflow run that wrote the comment ----------------------------------------------------------------------

_RUN_ID = re.compile(r"[0-9]{1,20}")
_SERVER = re.compile(r"https://[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?")


def run_page(environ: dict[str, str] | None) -> str | None:
    """The Actions run's page, where the job's step summary (the full report) and its log are: from
    ``GITHUB_SERVER_URL``, ``GITHUB_REPOSITORY``, ``GITHUB_RUN_ID`` and ``GITHUB_RUN_ATTEMPT`` (a re-run is another
    attempt with its own summary). None outside Actions, or when a value is not what GitHub sets."""
    if not environ:
        return None
    server = (environ.get("GITHUB_SERVER_URL") or "").rstrip("/")
    repository = github_repository(environ.get("GITHUB_REPOSITORY"))
    run_id = environ.get("GITHUB_RUN_ID") or ""
    if _SERVER.fullmatch(server) is None or repository is None or _RUN_ID.fullmatch(run_id) is None:
        return None
    if repository != environ.get("GITHUB_REPOSITORY"):
        return None
    url = f"{server}/{repository}/actions/runs/{run_id}"
    attempt = environ.get("GITHUB_RUN_ATTEMPT") or "1"
    if _RUN_ID.fullmatch(attempt) and attempt != "1":
        url += f"/attempts/{attempt}"
    return url
