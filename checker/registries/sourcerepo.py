"""The source repository a version names, read strictly from the registry's own words: PyPI's project URLs, npm's
``repository`` field, a GitHub Action's name. A URL that does not name a repository is None, never a guess: a
documentation site, an issue tracker, a path inside a repository (``/tree/main/sub``, ``/issues``), an unknown host
reached by plain https.

What is read (the grammar; ``host`` in lower case, ``www.`` dropped before github.com and gitlab.com)::

    url       = scheme "://" [userinfo "@"] host [":" port] "/" path ["?" query] ["#" fragment]
    scheme    = "https" | "http" | "git" | "ssh" | "git+https" | "git+http" | "git+ssh" | "git+git"
    scp-like  = [user "@"] host ":" path          (``git@github.com:owner/repo.git``; no "//" after the colon)
    path      = segment ("/" segment)+ [".git"] ["/"]
    segment   = 1*( ALPHA / DIGIT / "-" / "_" / "." )   (not "." or "..")
    shorthand = [("github" | "gitlab" | "bitbucket") ":"] segment "/" segment ["#" committish]   (npm only)

A path names a repository on a known forge when it has exactly two segments (``owner/name``; GitLab: a namespace of
one or more groups and the project, none of them GitLab's ``-`` separator). On any other host (GitHub Enterprise, a
self-hosted GitLab) only a URL that says it is a git repository counts: a git scheme, an scp-like address, a path
ending in ``.git``, or npm's ``{"type": "git", "url": …}``; the owner is then every segment but the last. The query,
the fragment and credentials are dropped (credentials are never kept).

PyPI (the JSON API's ``info``): labels of ``project_urls`` are compared as PEP 753 normalises them (punctuation and
whitespace removed, lower case: ``Source Code`` is ``sourcecode``); the first of ``SOURCE_LABELS`` in that order whose
URL names a repository wins, then a ``homepage`` label, then the ``home_page`` field, each only when it names a
repository (a project whose homepage is its GitHub page has no other). npm (a version's manifest): ``repository`` as
a string (a URL or a shorthand) or ``{"type", "url", "directory"}`` (the directory of a monorepo is not part of the
repository). An action: ``owner/repo`` of its ``uses:`` name, on github.com.
"""

from __future__ import annotations

import string
import urllib.parse
from collections.abc import Mapping
from typing import Any

from checker.model import SourceRepository

# Forges whose repository URLs are recognised without a git scheme: a repository is exactly owner/name there
# (GitLab: namespace/project).
GITHUB = "github.com"
GITLAB = "gitlab.com"
FORGES = frozenset({GITHUB, GITLAB, "bitbucket.org", "codeberg.org"})
_ALIASES = {"www.github.com": GITHUB, "www.gitlab.com": GITLAB}
GIT_SCHEMES = frozenset({"git", "ssh", "git+https", "git+http", "git+ssh", "git+git"})
WEB_SCHEMES = frozenset({"https", "http"})
# PEP 753's well-known labels for a project's source, most specific first, and a few common spellings beside them.
SOURCE_LABELS = ("source", "repository", "sourcecode", "github", "gitlab", "code")
HOMEPAGE_LABEL = "homepage"
SHORTHAND_HOSTS = {"github": GITHUB, "gitlab": GITLAB, "bitbucket": "bitbucket.org"}
_SEGMENT_CHARS = frozenset(string.ascii_letters + string.digits + "-_.")
_HOST_CHARS = frozenset(string.ascii_lowercase + string.digits + "-.")
MAX_URL = 2048  # longer is no repository URL a registry would hold


def normalise_label(label: str) -> str:
    """A project URL label as PEP 753 compares them: punctuation and whitespace removed, lower case."""
    return "".join(c for c in label if c not in string.punctuation and not c.isspace()).lower()


def pypi_repository(info: Mapping[str, Any]) -> SourceRepository | None:
    """The repository a PyPI JSON API ``info`` names (module docstring), None when it names none."""
    urls = info.get("project_urls")
    labelled: dict[str, list[str]] = {}
    if isinstance(urls, Mapping):
        for label, url in urls.items():
            if isinstance(label, str) and isinstance(url, str):
                labelled.setdefault(normalise_label(label), []).append(url)
    candidates = [url for label in (*SOURCE_LABELS, HOMEPAGE_LABEL) for url in labelled.get(label, ())]
    home_page = info.get("home_page")
    if isinstance(home_page, str):
        candidates.append(home_page)
    for url in candidates:
        found = repository_of_url(url)
        if found is not None:
            return found
    return None


def npm_repository(manifest: Mapping[str, Any]) -> SourceRepository | None:
    """The repository an npm version's manifest names in ``repository`` (module docstring), None when none."""
    value = manifest.get("repository")
    if isinstance(value, str):
        return _npm_url(value, explicit=False)
    if isinstance(value, Mapping):
        kind, url = value.get("type"), value.get("url")
        if kind not in (None, "git") or not isinstance(url, str):
            return None
        return _npm_url(url, explicit=True)
    return None


def action_repository(name: str) -> SourceRepository | None:
    """The github.com repository of an action's ``uses:`` name (``owner/repo`` or ``owner/repo/path``); None for a
    local action (``./x``) or a container (``docker://…``)."""
    owner, slash, rest = name.partition("/")
    repo = rest.partition("/")[0]
    if not slash or not _segment(owner) or not _segment(repo):
        return None
    return SourceRepository(GITHUB, owner, repo)


def repository_of_url(url: str, *, explicit: bool = False) -> SourceRepository | None:
    """The repository a URL names (module docstring); ``explicit``: the context says it is a git repository (npm's
    ``type: git``), so a plain https URL on any host counts."""
    text = url.strip()
    if not text or len(text) > MAX_URL or any(c.isspace() or ord(c) < 0x20 or c == "\\" for c in text):
        return None
    if "://" not in text:
        return _scp_like(text)
    try:
        parts = urllib.parse.urlsplit(text)
        hostname = parts.hostname
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in GIT_SCHEMES and scheme not in WEB_SCHEMES:
        return None
    if not hostname or not set(hostname) <= _HOST_CHARS or hostname.startswith((".", "-")):
        return None
    host = _ALIASES.get(hostname, hostname)
    if port is not None and port not in (443, 80, 22, 9418):
        host = f"{host}:{port}"
    return _from_path(host, parts.path, explicit=explicit or scheme in GIT_SCHEMES)


def _npm_url(text: str, *, explicit: bool) -> SourceRepository | None:
    """npm's ``repository`` string (or object URL): a URL, an scp-like address, or a hosted shorthand."""
    value = text.strip()
    prefix, colon, rest = value.partition(":")
    if colon and prefix in SHORTHAND_HOSTS and not rest.startswith("//"):
        return _shorthand(SHORTHAND_HOSTS[prefix], rest)
    if "://" not in value and ":" not in value and "@" not in value:
        return _shorthand(GITHUB, value)  # npm's bare "owner/repo" is GitHub's
    return repository_of_url(value, explicit=explicit)


def _shorthand(host: str, text: str) -> SourceRepository | None:
    path = text.partition("#")[0]
    owner, slash, name = path.partition("/")
    if not slash or not _segment(owner) or not _segment(name.removesuffix(".git")):
        return None
    return SourceRepository(host, owner, name.removesuffix(".git"))


def _scp_like(text: str) -> SourceRepository | None:
    """``[user@]host:path`` as git reads it: a git address whatever the host."""
    address, colon, path = text.partition(":")
    host = address.rpartition("@")[2].lower()
    if not colon or "." not in host or not set(host) <= _HOST_CHARS or host.startswith((".", "-")):
        return None  # a host has a dot: ``C:/x/y`` is a path, not an address
    return _from_path(_ALIASES.get(host, host), path, explicit=True)


def _from_path(host: str, path: str, *, explicit: bool) -> SourceRepository | None:
    path = path.removeprefix("/").removesuffix("/")  # one each: "//owner/repo" has an empty segment
    explicit = explicit or path.lower().endswith(".git")
    if path.lower().endswith(".git"):
        path = path[:-4]
    segments = path.split("/")
    if len(segments) < 2 or not all(_segment(s) for s in segments):
        return None
    if host in FORGES:
        if host == GITLAB:
            if "-" in segments:
                return None
        elif len(segments) != 2:
            return None
    elif not explicit:
        return None
    return SourceRepository(host, "/".join(segments[:-1]), segments[-1])


def _segment(text: str) -> bool:
    return bool(text) and text not in (".", "..") and set(text) <= _SEGMENT_CHARS
