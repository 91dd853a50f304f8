"""Parser for SwiftPM's lockfile, ``Package.resolved`` (format "package-resolved", ecosystem "swift", kind "lock").

Versions 1 to 3 (SwiftPM's ``PinsStore``)::

    v1: {"object": {"pins": [{"package": "Alamofire", "repositoryURL": URL,
                              "state": {"branch": null, "revision": SHA, "version": "5.4.0"}}]}, "version": 1}
    v2: {"pins": [{"identity": "alamofire", "kind": "remoteSourceControl", "location": URL,
                   "state": {"revision": SHA, "version": "5.4.0"}}], "version": 2}
    v3: v2 with a top-level "originHash" (a hash of the manifests the pins were resolved from, not of any pin).

A pin is a dependency named by its package identity (v2/v3 ``identity``; v1 has none written, so it is computed as
SwiftPM does for a URL: the last path component, without ``.git``, lower-cased). ``remoteSourceControl`` pins are
git sources: ``Source("git", url=location, ref=version or branch, commit=revision)``, version = the pinned
``version`` when there is one, else the revision (a branch or revision pin). The revision is what SwiftPM checks out,
so a tag moved to another commit shows as a change of source. ``localSourceControl`` pins are path sources;
``registry`` pins (a package registry, identity ``scope.name``) are registry sources at their version. SwiftPM
records no hash of what it fetches: the commit is the pin.

The file does not say which pins the package asks for directly (Package.swift does, in Swift, which lockgate
does not evaluate), so every pin counts as direct: the stricter reading. OSV knows Swift packages as ``SwiftURL``,
by the location without its scheme and ``.git`` (``github.com/Alamofire/Alamofire``; checker/registries/advisories.py).
"""

from __future__ import annotations

import json
import re

from checker.errors import ManifestError
from checker.manifests.common import expect_array, expect_object, expect_string, is_blank
from checker.model import Dependency, Manifest, Reader, Source

FORMAT = "package-resolved"
SUPPORTED_VERSIONS = (1, 2, 3)
_KINDS = ("remoteSourceControl", "localSourceControl", "registry")
_PIN_KEY = {1: re.compile(r'^[ \t]*"package"[ \t]*:', re.MULTILINE),
            2: re.compile(r'^[ \t]*"identity"[ \t]*:', re.MULTILINE)}


def parse(text: str, path: str, read: Reader) -> Manifest:
    if is_blank(text):
        raise ManifestError("empty file, expected a Package.resolved", path)
    try:
        document = json.loads(text)
    except RecursionError:
        raise ManifestError("not valid JSON: values nested too deeply", path) from None
    except ValueError as error:
        line = getattr(error, "lineno", None)
        message = getattr(error, "msg", str(error))
        raise ManifestError(f"not valid JSON: {message}", path, line) from None
    document = expect_object(document, "Package.resolved", path, None)
    version = document.get("version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise ManifestError(f"unsupported Package.resolved version {version!r}; lockgate reads versions 1 to 3",
                            path, _line_of(text, '"version"'))
    if version == 1:
        holder = expect_object(document.get("object"), "`object`", path, None)
        pins = expect_array(holder.get("pins"), "`object.pins`", path, None)
    else:
        pins = expect_array(document.get("pins", []), "`pins`", path, None)
    starts = [text.count("\n", 0, m.start()) + 1 for m in _PIN_KEY[min(version, 2)].finditer(text)]
    lines: list[int | None] = list(starts) if len(starts) == len(pins) else [None] * len(pins)
    dependencies = tuple(_pin(pin, version, path, lines[index]) for index, pin in enumerate(pins))
    return Manifest(path=path, format=FORMAT, ecosystem="swift", dependencies=dependencies, kind="lock")


def _pin(raw: object, version: int, path: str, line: int | None) -> Dependency:
    pin = expect_object(raw, "a pin", path, line)
    if version == 1:
        location = expect_string(pin.get("repositoryURL"), "`repositoryURL` of a pin", path, line)
        identity = identity_of(location)
        kind = "localSourceControl" if _is_local(location) else "remoteSourceControl"
    else:
        identity = expect_string(pin.get("identity"), "`identity` of a pin", path, line)
        kind = expect_string(pin.get("kind"), f"`kind` of {identity}", path, line)
        if kind not in _KINDS:
            raise ManifestError(f"`kind` of {identity} must be one of {', '.join(_KINDS)}, found {kind!r}", path,
                                line)
        location = expect_string(pin.get("location", ""), f"`location` of {identity}", path, line)
    if not identity or identity != identity.strip():
        raise ManifestError(f"{identity!r} is not a package identity", path, line)
    state = expect_object(pin.get("state"), f"`state` of {identity}", path, line)
    pinned = _optional_string(state, "version", identity, path, line)
    branch = _optional_string(state, "branch", identity, path, line)
    revision = _optional_string(state, "revision", identity, path, line)
    if kind == "registry":
        if pinned is None:
            raise ManifestError(f"registry pin {identity} without `version`", path, line)
        return Dependency("swift", identity, pinned, pinned, Source("registry", url=location or None),
                          manifest=path, line=line)
    if revision is None:
        raise ManifestError(f"pin {identity} without `revision`: SwiftPM checks out a commit", path, line)
    source_kind = "path" if kind == "localSourceControl" else "git"
    source = Source(source_kind, url=location, ref=pinned or branch, commit=revision)
    return Dependency("swift", identity, pinned or revision, branch or "", source, manifest=path, line=line)


def _optional_string(state: dict, key: str, identity: str, path: str, line: int | None) -> str | None:
    value = state.get(key)
    if value is None:
        return None
    return expect_string(value, f"`state.{key}` of {identity}", path, line) or None


def identity_of(location: str) -> str:
    """SwiftPM's identity of a package at a URL or path: its last path component, without ``.git``, lower-cased."""
    last = location.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    if last.lower().endswith(".git"):
        last = last[:-4]
    return last.lower()


def _is_local(location: str) -> bool:
    return location.startswith(("/", "file:", "./", "../", "~"))


def osv_name(location: str) -> str:
    """The repository as OSV's ``SwiftURL`` ecosystem names it: the URL without its scheme, user-info and ``.git``
    (``git@github.com:owner/repo.git`` as ``github.com/owner/repo``)."""
    text = location.strip()
    scheme, sep, rest = text.partition("://")
    if sep:
        text = rest
    elif "@" in text and ":" in text.split("@", 1)[1]:  # scp-like ssh: git@host:owner/repo
        host, _, repo = text.split("@", 1)[1].partition(":")
        text = f"{host}/{repo}"
    text = text.rpartition("@")[2] if "@" in text.split("/", 1)[0] else text
    text = text.rstrip("/")
    return text[:-4] if text.lower().endswith(".git") else text


def _line_of(text: str, needle: str) -> int | None:
    offset = text.find(needle)
    return None if offset < 0 else text.count("\n", 0, offset) + 1
