"""What pubspec.yaml and pubspec.lock share: pub's package names, its default registries, and reading a source.

A package name (pub's ``Pubspec`` checks, and pub.dev's): lower-case letters, digits and underscores, not starting
with a digit. pub.dev is the default registry; ``https://pub.dartlang.org`` (what older locks record) is the same
registry under its old name. Both are recorded as the default (Source url None); any other hosted URL is a registry
of its own, judged by registry-source.
"""

from __future__ import annotations

import re

from checker.errors import ManifestError
from checker.model import Source

PUBLIC_REGISTRIES = frozenset({"https://pub.dev", "https://pub.dartlang.org"})
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
# Where an SDK package comes from: the installed SDK, named as a path so that it fetches nothing
# (registry-source knows this prefix).
SDK_PREFIX = "sdk:"


def package_name(name: object, what: str, path: str, line: int | None) -> str:
    if not isinstance(name, str) or _NAME.fullmatch(name) is None:
        raise ManifestError(f"{what}: {name!r} is not a pub package name (lower-case letters, digits and _)", path,
                            line)
    return name


def registry_source(url: object, what: str, path: str, line: int | None) -> Source:
    """A hosted package's registry: None for pub.dev (any of its spellings), else the URL as written."""
    if url is None:
        return Source()
    if not isinstance(url, str) or not url.strip():
        raise ManifestError(f"{what}: the hosted url must be a string, found {url!r}", path, line)
    trimmed = url.strip().rstrip("/")
    return Source() if trimmed.lower() in PUBLIC_REGISTRIES else Source("registry", url=trimmed)


def sdk_source(sdk: object, what: str, path: str, line: int | None) -> Source:
    if not isinstance(sdk, str) or not sdk.strip():
        raise ManifestError(f"{what}: the sdk must be named (flutter, dart), found {sdk!r}", path, line)
    return Source("path", url=SDK_PREFIX + sdk.strip())


def optional_string(value: object, what: str, path: str, line: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ManifestError(f"{what} must be a string, found {type(value).__name__}", path, line)
    return str(value)
