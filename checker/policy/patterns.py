"""Package patterns in policies: ``pypi:internal-*``, ``npm:@acme/*@>=2`` (path globs live in checker.snapshot.globs).

Patterns are compiled once per policy; matching is then a regular-expression call.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from functools import lru_cache


class PackagePattern(NamedTuple):
    """``ecosystem:name-glob`` with an optional ``@version-or-range``.

    The ecosystem may itself be ``*``. Scoped npm names keep their ``@``: ``npm:@scope/pkg@1.0``
    splits at the last ``@`` that is not the first character of the name. Names that may hold an ``@`` of their
    own (a setting such as ``config:npm.@acme:registry``, a URL such as ``pre-commit:git@github.com:org/repo``) keep
    it unless what follows the last ``@`` can only be a version (no ``/`` or ``:``).
    """

    ecosystem: str
    name: str
    version: str | None
    text: str

    @classmethod
    def parse(cls, text: str) -> "PackagePattern":
        ecosystem, sep, rest = text.partition(":")
        if not sep:
            ecosystem, rest = "*", text
        at = rest.rfind("@")
        if at > 0 and ecosystem.strip().lower() in _AT_IN_NAMES and any(c in rest[at + 1:] for c in "/:"):
            at = -1
        if at > 0:
            name, version = rest[:at], rest[at + 1 :]
        else:
            name, version = rest, None
        return cls(ecosystem.strip().lower(), name.strip(), (version or "").strip() or None, text)

    def matches(self, ecosystem: str, name: str, version: str | None = None) -> bool:
        if self.ecosystem != "*" and self.ecosystem != ecosystem:
            return False
        if ecosystem == "npm" and "*" not in self.name and "?" not in self.name:
            if self.name != name:  # npm names are neither folded nor case-insensitive: a literal compares as is
                return False
        elif not _name_regex(self.name, ecosystem).fullmatch(name):
            return False
        if self.version is None:
            return True
        if version is None:
            return False
        from checker.versions.compare import version_matches

        return version_matches(ecosystem, version, self.version)


# Ecosystems whose registries ignore the case of names: NuGet ids (``Newtonsoft.Json`` is ``newtonsoft.json``).
_CASE_INSENSITIVE = frozenset({"nuget"})

# Ecosystems whose names are URLs or settings, which may hold an "@" that is not a version's.
_AT_IN_NAMES = frozenset({"config", "url", "git", "pre-commit"})


def hidden_character(text: str) -> str | None:
    """The first character of ``text`` that shows as nothing or as something else (a control character, a format
    character of Unicode category Cf such as a zero-width space or a bidi override, a line or paragraph separator),
    as ``U+XXXX``; None when there is none. No package, registry or ecosystem name holds one: a name that does was
    pasted from somewhere that added it, and would never match what it seems to name."""
    if text.isascii() and text.isprintable():
        return None
    import unicodedata

    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"):
            return f"U+{ord(char):04X}"
    return None


@lru_cache(maxsize=1024)
def _name_regex(glob: str, ecosystem: str) -> re.Pattern[str]:
    if ecosystem == "pypi":
        from checker.manifests.common import canonical_pypi_name

        glob = canonical_pypi_name(glob).replace("-", "\0")
    elif ecosystem == "docker":  # docker:library/python, docker:docker.io/library/python and docker:python agree
        from checker.manifests.images import canonical_image_name

        glob = canonical_image_name(glob)
    # crates.io takes ``-`` and ``_`` for one character (``serde-json`` is ``serde_json``), as Cargo's lookups do.
    parts = [".*" if c == "*" else "." if c == "?" else "[-_]" if ecosystem == "cargo" and c in "-_" else re.escape(c)
             for c in glob]
    body = "".join(parts)
    if ecosystem == "pypi":
        body = body.replace(re.escape("\0"), "-").replace("\0", "-")
    # GitHub names ignore case; so do crates.io's (a crate name is unique whatever its case), SwiftPM identities
    # and Composer's (vendor/name in any case is one package).
    flags = re.IGNORECASE if ecosystem in ("pypi", "docker", "actions", "cargo", "swift", "composer") else 0
    if ecosystem in _CASE_INSENSITIVE:
        flags = re.IGNORECASE
    return re.compile(body, flags)
