"""Where an npm registry keeps a package's tarball, and what a tarball URL says about the package it holds.

Every npm registry (registry.npmjs.org, the Yarn mirror, Verdaccio, Artifactory, Nexus, ...) serves the tarball
of ``name@version`` at ``<registry>/<name>/-/<basename>-<version>.tgz``, where ``basename`` is the name without
its scope: ``https://registry.npmjs.org/@ctrl/tinycolor/-/tinycolor-4.1.0.tgz``. GitHub Packages is the one
exception, with ``https://npm.pkg.github.com/download/<name>/<version>/<id>``.

Lockfile injection edits a lockfile's ``resolved`` URL so that ``npm ci`` fetches something other than what the
entry claims: another package (``lodash`` resolved to ``lodash-evil``'s tarball), another version, or another
host. Splitting the URL into registry, name and version lets the parser record the registry base and lets
``registry-source`` compare the name and version with the entry's. Pure: no network.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

DEFAULT_REGISTRY = "https://registry.npmjs.org/"
# Characters that, in the part of a URL before the package path, could make the real path something else.
_UNSAFE_PREFIX = re.compile(r"[?#%\\@\s]")
_GITHUB_PACKAGES = re.compile(r"^/download/(@[^/]+/[^/]+)/([^/]+)/[0-9A-Fa-f]+/?$")


class Tarball(NamedTuple):
    """A registry tarball URL taken apart: ``registry`` is the base URL (ending in ``/``)."""

    registry: str
    name: str
    version: str


def parse_tarball_url(url: str) -> Tarball | None:
    """The registry, package name and version a tarball URL names, or None when it has no registry layout
    (a GitHub archive, a file server, anything else). Query and fragment are ignored, as registries ignore
    them; percent-escapes in the path (``@scope%2fname``) are decoded first."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = unquote(parts.path)
    origin = f"{parts.scheme}://{parts.netloc}"
    github = _GITHUB_PACKAGES.match(path)
    if github is not None:
        return Tarball(origin + "/", github.group(1), github.group(2))
    before, separator, filename = path.rpartition("/-/")
    if not separator or "/" in filename or not filename.endswith(".tgz"):
        return None
    segments = before.split("/")
    if len(segments) >= 3 and segments[-2].startswith("@") and len(segments[-2]) > 1:
        name, prefix = f"{segments[-2]}/{segments[-1]}", segments[:-2]
    else:
        name, prefix = segments[-1], segments[:-1]
    basename = name.rpartition("/")[2]
    if not basename or not filename.startswith(basename + "-"):
        return None
    version = filename[len(basename) + 1 : -len(".tgz")]
    if not version:
        return None
    registry = origin + "/".join(prefix) + "/"
    return Tarball(registry, name, version)


def own_registry(url: str, name: str, version: str | None) -> str | None:
    """Fast path for the usual case: ``url`` is ``https://host[/prefix]/<name>/-/<base>-<version>.tgz`` with
    nothing before the package path that could move the real path elsewhere (a query, a fragment, an escape, a
    user name). Returns the registry base (ending in ``/``), else None, and then ``parse_tarball_url`` decides."""
    if version is None or not url.startswith("https://"):
        return None
    tail = f"/{name}/-/{name.rpartition('/')[2]}-{version}.tgz"
    if not url.endswith(tail):
        return None
    base = url[: len(url) - len(tail)]
    if len(base) <= 8 or _UNSAFE_PREFIX.search(base, 8):
        return None
    return base + "/"


def is_default_registry(registry: str) -> bool:
    """Whether a registry base is npm's own (``https://registry.npmjs.org/``)."""
    return registry.rstrip("/").lower() == DEFAULT_REGISTRY.rstrip("/")
