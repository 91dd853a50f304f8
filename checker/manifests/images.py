"""Container image references (``name[:tag][@digest]``): splitting them, and the one canonical name per image.

Shared by the Dockerfile, workflow and action parsers and by package patterns in policies, so that
``python``, ``library/python``, ``docker.io/library/python`` and ``index.docker.io/library/python`` are one image
everywhere. The canonical form is Docker's own short ("familiar") form: Docker Hub images lose the
``docker.io/`` host and the ``library/`` namespace (``python``, ``bitnami/redis``); other registries keep their
host, lower-cased (``ghcr.io/org/img``, ``localhost:5000/app``).

The grammar follows the distribution project's reference grammar: the first path component is a registry host
when it contains ``.`` or ``:`` or is ``localhost``; a tag follows the last ``:`` after the last ``/``; a digest
follows ``@``.
"""

from __future__ import annotations


_DOCKER_HUB = frozenset({"docker.io", "index.docker.io"})


class ImageRef:
    """One image reference as written: canonical ``name``, ``tag`` and ``digest`` (None when absent)."""

    __slots__ = ("name", "tag", "digest")

    def __init__(self, name: str, tag: str | None, digest: str | None) -> None:
        self.name = name
        self.tag = tag
        self.digest = digest

    @property
    def version(self) -> str | None:
        """What the Dependency records as the version: the tag, the digest, or ``tag@digest``."""
        if self.tag and self.digest:
            return f"{self.tag}@{self.digest}"
        return self.tag or self.digest

    def __repr__(self) -> str:
        return f"ImageRef({self.name!r}, {self.tag!r}, {self.digest!r})"


def _is_host(component: str) -> bool:
    if "$" in component:  # an unexpanded variable: unknown, kept as written
        return False
    return "." in component or ":" in component or component == "localhost" or component != component.lower()


def canonical_image_name(name: str) -> str:
    """The short form of an image name without tag or digest (see the module docstring)."""
    name = name.strip()
    first, slash, rest = name.partition("/")
    if slash and _is_host(first):
        host = first.lower()
        if host not in _DOCKER_HUB:
            return f"{host}/{rest}"
        name = rest
    if name.startswith("library/") and name.count("/") == 1:
        return name[len("library/") :]
    return name


def parse_image(text: str) -> ImageRef:
    """Split ``[host/]path[:tag][@digest]``. Never raises: what cannot be split stays in the name, and the
    callers judge it (an empty name, a malformed digest)."""
    text = text.strip()
    rest, at, digest = text.partition("@")
    digest_value = digest.strip() if at else None
    last_slash = rest.rfind("/")
    colon = rest.rfind(":")
    tag: str | None = None
    if colon > last_slash:
        rest, tag = rest[:colon], rest[colon + 1 :]
    return ImageRef(canonical_image_name(rest), tag or None, digest_value or None)



