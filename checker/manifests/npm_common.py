"""What the npm parsers share: strict JSON reading, key lines, SRI integrity, and npm's dependency specifiers.

JSON. npm reads its files with ``JSON.parse``, which keeps the *last* of two equal keys; a reviewer reading the
diff sees the first. A duplicate key is therefore an error (``resolved`` written twice is how one would hide an
injected URL): the files are decoded by checker/manifests/json_strict.py, which Pipfile.lock shares.

Specifiers follow npm-package-arg: ``npm:name@range`` aliases, git URLs and hosted shorthands
(``github:user/repo#ref``, ``user/repo``, ``git+ssh://...``, ``git@host:user/repo``), tarball URLs, local paths
(``file:``, ``link:``, ``./x``), the workspace and catalog protocols of pnpm and Yarn, and registry ranges,
versions and tags.
"""

from __future__ import annotations

import binascii
import re
from typing import NamedTuple

from checker.errors import ManifestError
from checker.manifests.common import is_blank
from checker.manifests.common import expect_bool, expect_object, expect_string, json_type  # noqa: F401  (re-exported)
from checker.manifests import json_strict
from checker.manifests.json_strict import TOKEN, decode_key, duplicate_key_line, key_lines  # noqa: F401  (re-exported)
from checker.model import DEFAULT_SOURCE, Source

_COMMIT = re.compile(r"[0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?")
_SRI = re.compile(r"^([A-Za-z0-9]+)-([A-Za-z0-9+/_-]+={0,2})(\?.*)?$")
_HOSTED_PREFIXES = ("github:", "gitlab:", "bitbucket:", "gist:")
_GIT_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")
_SCP_GIT = re.compile(r"^[^@/:]+@[^:/.]+\.[^:/]+:.+$")  # git@github.com:user/repo.git
_GITHUB_SHORTHAND = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+(?:#.*)?$")
_PATH_PROTOCOLS = ("file:", "link:", "workspace:", "portal:")
_PATH_STARTS = ("./", "../", "/", "~/", ".\\", "..\\")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")  # C:\dir or C:/dir
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# ``name`` or ``@scope/name``; never a second ``@``, a ``:``, a backslash or a space (npm would have to escape them).
_NAME = re.compile(r"^(?:@[^/\s@:\\]+/)?[^/\s@:\\][^/\s@:\\]*$")


# ---------------------------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------------------------


def load_json(text: str, path: str, what: str) -> dict:
    """The top-level JSON object of a file; errors name the file and line. ``what`` names the expected file
    (``a package-lock.json``) for the messages."""
    _refuse_empty(text, path, what)
    return _expect_top_object(json_strict.loads(text, path, "npm"), path, what)


def load_json_members(text: str, path: str, what: str, earlier: json_strict.Members | None = None,
                      keep_layouts: bool = False) -> json_strict.Members:
    """``load_json`` with the lines of the entries one level down, reusing ``earlier`` (the same file's other
    revision) where entries did not change: see ``json_strict.load_members``."""
    _refuse_empty(text, path, what)
    members = json_strict.load_members(text, path, "npm", earlier, keep_layouts)
    _expect_top_object(members.data, path, what)
    return members


def _refuse_empty(text: str, path: str, what: str) -> None:
    if is_blank(text):
        raise ManifestError(f"empty file, expected {what} (JSON)", path, None)


def _expect_top_object(data: object, path: str, what: str) -> dict:
    if not isinstance(data, dict):
        raise ManifestError(f"expected {what}: a JSON object at the top level, found {json_type(data)}", path, 1)
    return data


def string_map(value: object, what: str, path: str, line: int | None) -> dict[str, str]:
    """An object whose values are all strings (a dependencies map)."""
    table = expect_object(value, what, path, line)
    for key, item in table.items():
        if not isinstance(item, str):
            raise ManifestError(f"{what}: {key!r} must be a string, found {json_type(item)}", path, line)
    return table


def first_line_of(text: str, needle: str) -> int | None:
    """Line of the first occurrence of ``needle``, or None."""
    offset = text.find(needle)
    return None if offset < 0 else text.count("\n", 0, offset) + 1


# ---------------------------------------------------------------------------------------------------------------
# Integrity (Subresource Integrity strings)
# ---------------------------------------------------------------------------------------------------------------


def sri_hashes(integrity: str, what: str, path: str, line: int | None) -> frozenset[str]:
    """``sha512-<base64> sha1-<base64>`` -> ``{"sha512:<hex>", "sha1:<hex>"}``. The base64 is decoded exactly
    (standard or URL-safe alphabet, padding optional); anything that is not an SRI hash is an error, since npm
    would refuse the install."""
    if len(integrity) == 95 and integrity.startswith("sha512-") and integrity.endswith("=="):
        # What npm writes almost always: one sha512 in the standard alphabet, 86 characters and "==". The lenient
        # decoder skips any other character, so 64 bytes out means all 86 were base64 (cheaper than a regex
        # first, for every entry of a large lockfile); anything else takes the general path below.
        try:
            raw = binascii.a2b_base64(integrity[7:])
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) == 64:
            return frozenset((f"sha512:{raw.hex()}",))
    hashes = set()
    for item in integrity.split():
        found = _SRI.match(item)
        if found is None:
            raise ManifestError(f"{what}: integrity {item!r} is not algorithm-base64", path, line)
        algorithm, digest = found.group(1).lower(), found.group(2).rstrip("=")
        if "-" in digest or "_" in digest:
            digest = digest.replace("-", "+").replace("_", "/")
        try:
            # The regex admitted only base64 characters, so the lenient decoder decodes exactly.
            raw = binascii.a2b_base64(digest + "=" * (-len(digest) % 4))
        except (binascii.Error, ValueError):
            raise ManifestError(f"{what}: integrity {item!r} is not valid base64", path, line) from None
        if not raw:
            raise ManifestError(f"{what}: integrity {item!r} holds no digest", path, line)
        hashes.add(f"{algorithm}:{raw.hex()}")
    return frozenset(hashes)


# ---------------------------------------------------------------------------------------------------------------
# Specifiers
# ---------------------------------------------------------------------------------------------------------------


class Spec(NamedTuple):
    """A dependency specifier read as npm reads it.

    name: the package it installs (the real package for an ``npm:`` alias); version: the exact version when
    the specifier pins one (registry), else None; source: registry / git / url / path.
    """

    name: str
    version: str | None
    source: Source


def is_commit(ref: str | None) -> bool:
    return ref is not None and _COMMIT.fullmatch(ref) is not None


def git_source(url: str) -> Source:
    """``git+ssh://git@host/u/r.git#ref`` -> Source(git, ``ssh://git@host/u/r.git``, ref, commit when full)."""
    location, _, fragment = url.partition("#")
    if location.lower().startswith("git+"):
        location = location[4:]
    ref = fragment or None
    commit = ref.lower() if ref is not None and is_commit(ref) else None
    return Source(kind="git", url=location, ref=ref, commit=commit)


def is_git_url(spec: str) -> bool:
    """Whether npm fetches ``spec`` with git: git URLs, hosted shorthands, scp-like remotes, and https URLs
    of a repository on GitHub, GitLab or Bitbucket."""
    lower = spec.lower()
    if lower.startswith(("git+", "git:", "git://", "ssh://")) or lower.startswith(_HOSTED_PREFIXES):
        return True
    if _SCP_GIT.match(spec):
        return True
    if lower.startswith(("http://", "https://")):
        rest = spec.split("://", 1)[1].split("#", 1)[0]
        host, _, repo_path = rest.partition("/")
        segments = [s for s in repo_path.split("/") if s]
        return host.lower().rpartition("@")[2] in _GIT_HOSTS and len(segments) == 2 and not lower.endswith(
            (".tgz", ".tar.gz", ".tar", ".zip")
        )
    return False


def is_github_shorthand(spec: str) -> bool:
    """``user/repo`` or ``user/repo#ref``: npm installs it from GitHub."""
    return _GITHUB_SHORTHAND.match(spec) is not None and not spec.startswith(".")


def is_valid_name(name: str) -> bool:
    """Loosely, an npm package name: ``name`` or ``@scope/name``, no spaces."""
    return bool(name) and len(name) <= 214 and _NAME.match(name) is not None


def split_alias(spec: str) -> tuple[str, str] | None:
    """``npm:@scope/real@^1.2`` -> (``@scope/real``, ``^1.2``); ``npm:real`` -> (``real``, ``*``); else None."""
    if not spec.lower().startswith("npm:"):
        return None
    rest = spec[4:].strip()
    at = rest.rfind("@")
    if at > 0:
        return rest[:at], rest[at + 1 :].strip() or "*"
    return rest, "*"


def classify(name: str, spec: str) -> Spec:
    """How npm installs ``"name": "spec"`` of a package.json (or an override): the real package, whether the
    specifier pins one version, and the source kind."""
    spec = spec.strip()
    alias = split_alias(spec)
    if alias is not None:
        real, inner = alias
        inner_spec = classify(real, inner)
        return Spec(real, inner_spec.version, inner_spec.source)
    lower = spec.lower()
    if lower.startswith(_PATH_PROTOCOLS) or spec.startswith(_PATH_STARTS) or spec in (".", "..") or _DRIVE.match(spec):
        return Spec(name, None, Source(kind="path", url=spec))
    if lower.startswith("catalog:"):
        return Spec(name, None, DEFAULT_SOURCE)
    if is_git_url(spec) or is_github_shorthand(spec):
        if is_github_shorthand(spec):
            spec = "github:" + spec
        return Spec(name, None, git_source(spec))
    if lower.startswith(("http://", "https://")):
        return Spec(name, None, Source(kind="url", url=spec))
    if _URL_SCHEME.match(spec):
        return Spec(name, None, Source(kind="url", url=spec))  # another protocol (patch:, exec:, jsr:, ...)
    from checker.versions.semver import exact_version

    return Spec(name, exact_version(spec), DEFAULT_SOURCE)
