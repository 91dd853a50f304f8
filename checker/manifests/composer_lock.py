"""Parser for Composer's lockfile, ``composer.lock`` (format "composer-lock", kind "lock").

A JSON object (decoded strictly: a key written twice is an error, checker/manifests/json_strict.py) whose
``packages`` and ``packages-dev`` are arrays of package objects as Composer's Locker writes them
(composer/composer ``src/Composer/Package/Locker.php``, ``ArrayDumper``)::

    {"name": "vendor/name", "version": "v1.2.3",
     "source": {"type": "git", "url": "https://github.com/vendor/name.git", "reference": "<commit>"},
     "dist": {"type": "zip", "url": "https://api.github.com/repos/vendor/name/zipball/<commit>",
              "reference": "<commit>", "shasum": ""}, ...}

Each package is a ``composer`` dependency: name lower-cased (Composer compares ``vendor/name`` without regard to
case), ``version`` as written (``v1.2.3``, ``dev-main``), scope ``dev`` for ``packages-dev``; ``direct`` when the
``composer.json`` beside the lockfile requires it (every package when there is none: the stricter reading).

Where it comes from, as Composer installs it by default (``preferred-install: dist``: the dist archive when
there is one, a ``dev-`` branch's too, at the commit the lockfile names):
- ``dist.type`` ``path``: ``path`` source (a folder of the repository);
- a source only: ``git`` source (``source.url``, commit ``source.reference``);
- otherwise a ``registry`` package: ``ref`` is the dist URL as written and ``commit`` its reference, so a dist URL
  or reference that changes is a ``source-changed`` even at the same version; ``hosts`` the dist URL's origin,
  which registry-source judges (Packagist's dists are GitHub's archives, ``api.github.com``).
``dist.shasum`` is the archive's SHA-1 (``sha1:<hex>``); Packagist leaves it empty for GitHub archives, which
then have no hash (hash-pinning: files-without-hashes when the whole lockfile has none).

Composer's lockfiles of 2012 (before its alpha 6) name each package by ``package`` and pin only ``version`` and a
``source-reference`` commit: read as packages of the default registry at that commit, without a line.
"""

from __future__ import annotations

import posixpath
import re

from checker.errors import ManifestError
from checker.manifests import json_strict
from checker.manifests.common import artifact_origin
from checker.model import Dependency, Manifest, Reader, Source

FORMAT = "composer-lock"
_SECTIONS = (("packages", "prod"), ("packages-dev", "dev"))
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
_NAME_LINE = re.compile(r'^[ \t]*"name"[ \t]*:[ \t]*"([^"\\]*)"', re.MULTILINE)
_VCS_TYPES = ("git", "hg", "svn", "fossil", "perforce")


def parse(text: str, path: str, read: Reader) -> Manifest:
    if not text.strip():
        raise ManifestError("empty file, expected a composer.lock", path)
    data = json_strict.loads(text, path, "composer.lock")
    if not isinstance(data, dict):
        raise ManifestError("composer.lock must be a JSON object", path, 1)
    if "packages" not in data:
        raise ManifestError("composer.lock has no `packages` array", path, 1)
    direct = _required_names(path, read)
    lines = _name_lines(text)
    dependencies = []
    for section, scope in _SECTIONS:
        packages = data.get(section)
        if packages is None:
            continue  # absent, or null: Composer's early lockfiles wrote "packages-dev": null for none
        if not isinstance(packages, list):
            raise ManifestError(f"`{section}` must be an array", path)
        for package in packages:
            if not isinstance(package, dict):
                raise ManifestError(f"an entry of `{section}` is not an object", path)
            dependencies.append(_dependency(package, section, scope, direct, lines, path))
    return Manifest(path=path, format=FORMAT, ecosystem="composer", dependencies=tuple(dependencies), kind="lock")


def _name_lines(text: str) -> dict[str, list[int]]:
    """The lines of each ``"name": "..."`` in file order (a package's own ``name`` comes first in its object)."""
    found: dict[str, list[int]] = {}
    counted, line = 0, 1
    for match in _NAME_LINE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.setdefault(match.group(1).lower(), []).append(line)
    return found


def _string(value: object, what: str, path: str, line: int | None) -> str:
    if not isinstance(value, str):
        raise ManifestError(f"{what} must be a string", path, line)
    return value


def _dependency(package: dict, section: str, scope: str, direct: frozenset[str] | None,
                lines: dict[str, list[int]], path: str) -> Dependency:
    if "name" not in package and "package" in package:
        return _legacy(package, section, scope, direct, lines, path)
    raw_name = package.get("name")
    if not isinstance(raw_name, str) or "/" not in raw_name:
        raise ManifestError(f"a package of `{section}` without a vendor/name `name`", path)
    name = raw_name.lower()
    candidates = lines.get(name, [])
    line = candidates.pop(0) if candidates else None
    version = _string(package.get("version"), f"`version` of {name}", path, line)
    source = _source(package, name, version, path, line)
    dist: dict = package["dist"] if isinstance(package.get("dist"), dict) else {}
    hashes: frozenset[str] = frozenset()
    shasum = dist.get("shasum") if dist else None
    if isinstance(shasum, str) and shasum.strip():
        if not _SHA1.fullmatch(shasum.strip()):
            raise ManifestError(f"`dist.shasum` of {name} is not a SHA-1 hex digest: {shasum[:80]!r}", path, line)
        hashes = frozenset({f"sha1:{shasum.strip().lower()}"})
    return Dependency(
        ecosystem="composer", name=name, version=version, source=source, hashes=hashes, scope=scope,
        direct=True if direct is None else name in direct, manifest=path, line=line,
        resolved=dist.get("url") if isinstance(dist.get("url"), str) else None,
    )


def _legacy(package: dict, section: str, scope: str, direct: frozenset[str] | None,
            lines: dict[str, list[int]], path: str) -> Dependency:
    """An entry of Composer's 2012 lockfiles: ``{"package": "vendor/name", "version": "2.1.0-dev",
    "source-reference": "<commit>"}``: the version is resolved against the repositories at install time (the
    default registry), at that commit when one is given."""
    raw_name = package.get("package")
    if not isinstance(raw_name, str) or "/" not in raw_name:
        raise ManifestError(f"a package of `{section}` without a vendor/name `package`", path)
    name = raw_name.lower()
    version = _string(package.get("version"), f"`version` of {name}", path, None)
    reference = package.get("source-reference")
    commit = reference if isinstance(reference, str) and reference else None
    return Dependency(ecosystem="composer", name=name, version=version, source=Source("registry", commit=commit),
                      scope=scope, direct=True if direct is None else name in direct, manifest=path)


def _source(package: dict, name: str, version: str, path: str, line: int | None) -> Source:
    dist, vcs = package.get("dist"), package.get("source")
    for value, what in ((dist, "dist"), (vcs, "source")):
        if value is not None and not isinstance(value, dict):
            raise ManifestError(f"`{what}` of {name} must be an object", path, line)
    if dist and dist.get("type") == "path":
        return Source("path", url=_string(dist.get("url"), f"`dist.url` of {name}", path, line))
    if vcs and not dist:
        kind = vcs.get("type")
        url = _string(vcs.get("url"), f"`source.url` of {name}", path, line)
        reference = vcs.get("reference")
        commit = reference if isinstance(reference, str) and reference else None
        if kind in _VCS_TYPES:
            return Source("git", url=url, ref=version, commit=commit)
        return Source("url", url=url)
    if not dist:
        raise ManifestError(f"{name} has neither `dist` nor `source`: Composer cannot install it", path, line)
    url = _string(dist.get("url"), f"`dist.url` of {name}", path, line)
    reference = dist.get("reference")
    return Source("registry", ref=url, commit=reference if isinstance(reference, str) and reference else None,
                  hosts=frozenset({artifact_origin(url)}))


def _required_names(path: str, read: Reader) -> frozenset[str] | None:
    """Lower-cased names the sibling composer.json requires (require and require-dev), None without one."""
    text = read(posixpath.join(posixpath.dirname(path), "composer.json"))
    if text is None:
        return None
    try:
        data = json_strict.loads(text, path, "composer.json")
    except ManifestError:
        return None  # composer.json is judged on its own; here every package counts as direct
    if not isinstance(data, dict):
        return None
    names: set[str] = set()
    for key in ("require", "require-dev"):
        section = data.get(key)
        if isinstance(section, dict):
            names.update(str(name).lower() for name in section)
    return frozenset(names)
