"""Parser for Cargo's lockfile, ``Cargo.lock`` (format "cargo-lock", ecosystem "cargo", kind "lock").

Versions 1 to 4 (Cargo's ``ResolveVersion``): 1 keeps every checksum in ``[metadata]`` under keys
``"checksum NAME VERSION (SOURCE)"``; 2 moved them into each ``[[package]]`` as ``checksum = "<sha256 hex>"``; 3
adds a top-level ``version = 3``; 4 (``version = 4``) spells git sources' query values percent-encoded. The oldest
files (Cargo before 1.0.0-ish, 2016) keep the root package in a ``[root]`` table. A higher ``version`` is refused
with its line rather than guessed at.

Each ``[[package]]`` with a ``source`` is a dependency (several versions of one crate are several dependencies):
- ``registry+https://github.com/rust-lang/crates.io-index`` and ``sparse+https://index.crates.io/``: crates.io, the
  default registry (``Source.url`` None);
- ``registry+URL`` / ``sparse+URL`` of another registry: ``Source("registry", url=<the source as written>)``, the
  protocol prefix kept, since the index URL is not the registry's API (checker/registries/crates.py reads a sparse
  index's ``config.json`` for that);
- ``git+URL[?branch=|?tag=|?rev=VALUE]#COMMIT``: ``Source("git", url, ref=VALUE, commit=COMMIT)``.
A package without ``source`` is one of the workspace's own crates (or a path dependency, which the Cargo.toml that
names it reports as a path source): not a dependency to review; the crates it depends on are the direct ones.
``replace = "NAME VERSION (SOURCE)"`` (version 1's ``[replace]``) names the package that stands in for this one:
the entry is reported with that source. ``[[patch.unused]]`` lists patches Cargo did not use: nothing installed.

Checksums are SHA-256 of the ``.crate`` file, reported as ``sha256:<hex>`` (what crates.io's API publishes as
``checksum``); ``<none>`` (version 1's spelling of "no checksum") is none.

Names are kept as the lockfile writes them, which is the registry's own spelling (crates.io refuses a new crate
whose name differs from an existing one only by ``-``/``_`` or case, so the spelling names one crate). Policies
match crate names with ``-`` and ``_`` as one character and without regard to case (checker/policy/patterns.py).

Scope: the lockfile does not record dev or build dependencies apart: every package is ``prod``.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote

from checker.errors import ManifestError
from checker.manifests.common import expect_list, expect_str, expect_table, is_blank, line_of, load_toml
from checker.model import DEFAULT_SOURCE, Dependency, Manifest, Reader, Source

FORMAT = "cargo-lock"
SUPPORTED_VERSIONS = (1, 2, 3, 4)
# Every spelling of crates.io's index Cargo writes in a lockfile.
CRATES_IO_SOURCES = frozenset({
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
    "sparse+https://index.crates.io",
})
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_PACKAGE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*package[ \t]*\]\]", re.MULTILINE)
_GIT_REF_KEYS = ("branch", "tag", "rev")
# "NAME", "NAME VERSION" or "NAME VERSION (SOURCE)": a dependency or replacement as the lockfile names it.
_PACKAGE_ID = re.compile(r"([^ ()]+)(?: ([^ ()]+))?(?: \(([^()]*)\))?")


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a Cargo.lock (``read`` is not needed: the lockfile names its workspace crates itself)."""
    if is_blank(text):
        raise ManifestError("empty file, expected a Cargo.lock lockfile", path)
    document, lines = _load(text, path)
    version = _lock_version(document, text, path)
    raw_packages = expect_list(document.get("package", []), "[[package]]", path)
    if len(lines) != len(raw_packages):
        lines = [None] * len(raw_packages)
    checksums = _metadata_checksums(document, path) if version == 1 or "metadata" in document else {}
    packages = [_package(raw, lines[index], path) for index, raw in enumerate(raw_packages)]
    roots = [p for p in packages if p.source is None]
    if "root" in document:  # Cargo's 2016 layout: the root package in its own table
        roots.append(_package(document["root"], None, path, what="[root]"))
    direct = _direct(roots)
    dependencies = tuple(
        _dependency(package, checksums, direct, path) for package in packages if package.source is not None
    )
    return Manifest(path=path, format=FORMAT, ecosystem="cargo", dependencies=dependencies, kind="lock")


class _Package(NamedTuple):
    """One ``[[package]]`` as written: ``source`` None for a workspace crate, ``checksum`` as ``sha256:<hex>``."""

    name: str
    version: str
    source: str | None
    checksum: str | None
    dependencies: list[str]
    replace: str | None
    line: int | None


def _load(text: str, path: str) -> tuple[dict, list[int | None]]:
    """The document, through the fast reader when the file is in its subset, else tomllib; and the line of each
    ``[[package]]`` header (as many as there are packages, or none)."""
    from checker.manifests.cargo_lock_fast import read_fast

    fast = read_fast(text)
    if fast is not None:
        document, found = fast
        return document, list(found)
    document = load_toml(text, path)
    starts = [match.start() for match in _PACKAGE_HEADER.finditer(text)]
    return document, [line_of(text, start) for start in starts]


def _lock_version(document: dict, text: str, path: str) -> int:
    """``version = N`` (3 and 4); without it, 1 when ``[metadata]`` holds checksums, else 2 (Cargo's reading)."""
    if "version" not in document:
        metadata = document.get("metadata")
        if isinstance(metadata, dict) and any(str(key).startswith("checksum ") for key in metadata):
            return 1
        return 2
    version = document["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version not in SUPPORTED_VERSIONS:
        found = re.search(r"^version[ \t]*=", text, re.MULTILINE)
        line = line_of(text, found.start()) if found else None
        raise ManifestError(f"unsupported Cargo.lock version {version!r}; lockgate reads versions 1 to 4", path, line)
    return version


def _metadata_checksums(document: dict, path: str) -> dict[str, str | None]:
    """Version 1's ``[metadata]``: ``"checksum NAME VERSION (SOURCE)" = "<hex>"`` -> {"NAME VERSION (SOURCE)":
    ``sha256:<hex>`` or None for ``<none>``}."""
    metadata = expect_table(document.get("metadata", {}), "[metadata]", path)
    found: dict[str, str | None] = {}
    for key, value in metadata.items():
        if not key.startswith("checksum "):
            continue
        value = expect_str(value, f"[metadata] {key!r}", path)
        found[key[len("checksum "):]] = _checksum(value, f"[metadata] {key!r}", path, None)
    return found


def _checksum(value: str, what: str, path: str, line: int | None) -> str | None:
    if value == "<none>":
        return None
    if not _SHA256.fullmatch(value):
        raise ManifestError(f"{what}: {value!r} is not a SHA-256 checksum (64 hex digits)", path, line)
    return f"sha256:{value.lower()}"


def _package(raw: object, line: int | None, path: str, what: str = "[[package]]") -> _Package:
    table = expect_table(raw, what, path, line)
    for key in ("name", "version"):
        if key not in table:
            raise ManifestError(f"{what} without `{key}`", path, line)
    name = expect_str(table["name"], f"`name` of {what}", path, line)
    if not name or name.strip() != name or " " in name:
        raise ManifestError(f"{what}: {name!r} is not a crate name", path, line)
    version = expect_str(table["version"], f"`version` of {name}", path, line)
    source = table.get("source")
    if source is not None:
        source = expect_str(source, f"`source` of {name}", path, line)
    checksum = table.get("checksum")
    if checksum is not None:
        checksum = _checksum(expect_str(checksum, f"`checksum` of {name}", path, line), f"`checksum` of {name}",
                             path, line)
    deps = [expect_str(d, f"entry of `dependencies` of {name}", path, line)
            for d in expect_list(table.get("dependencies", []), f"`dependencies` of {name}", path, line)]
    replace = table.get("replace")
    if replace is not None:
        replace = expect_str(replace, f"`replace` of {name}", path, line)
    return _Package(name, version, source, checksum, deps, replace, line)


def _direct(roots: list[_Package]) -> dict[str, set[str | None]] | None:
    """Crate name -> the versions the workspace's crates ask for (None: any); None when the lockfile names no
    workspace crate (then every package counts as direct: lockgate cannot tell, and direct is the stricter)."""
    if not roots:
        return None
    wanted: dict[str, set[str | None]] = {}
    for root in roots:
        for entry in root.dependencies:
            found = _PACKAGE_ID.fullmatch(entry)
            if found is not None:
                wanted.setdefault(found.group(1), set()).add(found.group(2))
    return wanted


def _dependency(package: _Package, checksums: dict[str, str | None], direct: dict[str, set[str | None]] | None,
                path: str) -> Dependency:
    name, version, source_text, checksum, _, replace, line = package
    assert source_text is not None
    source = parse_source(source_text, name, path, line)
    if checksum is None:
        checksum = checksums.get(f"{name} {version} ({source_text})")
    if replace is not None:
        source = _replacement(replace, name, path, line)
    is_direct = True
    if direct is not None:
        versions = direct.get(name)
        is_direct = versions is not None and (None in versions or version in versions)
    return Dependency(
        ecosystem="cargo", name=name, version=version, source=source,
        hashes=frozenset((checksum,)) if checksum else frozenset(), scope="prod", direct=is_direct,
        manifest=path, line=line,
    )


def parse_source(text: str, name: str, path: str, line: int | None) -> Source:
    """A lockfile ``source`` as a Source (see the module docstring); an unknown kind is an error, not a guess."""
    if text in CRATES_IO_SOURCES:
        return DEFAULT_SOURCE
    kind, plus, rest = text.partition("+")
    if plus and kind in ("registry", "sparse") and rest:
        return Source("registry", url=text.rstrip("/"))
    if plus and kind == "git" and rest:
        return git_source(rest)
    raise ManifestError(f"`source` of {name}: {text!r} is not a registry+, sparse+ or git+ source", path, line)


def git_source(text: str) -> Source:
    """``URL[?branch=|?tag=|?rev=VALUE][#COMMIT]`` (Cargo's git SourceId) as a git Source. Version 4 writes the
    query value percent-encoded; earlier versions as is: both are decoded."""
    location, _, commit = text.partition("#")
    url, _, query = location.partition("?")
    ref = None
    for part in query.split("&") if query else ():
        key, _, value = part.partition("=")
        if key in _GIT_REF_KEYS and value:
            ref = unquote(value)
    return Source("git", url=url, ref=ref, commit=commit or None)


def _replacement(text: str, name: str, path: str, line: int | None) -> Source:
    """The source of the package a version-1 ``replace`` names: its source, or a path crate's when it names none."""
    found = _PACKAGE_ID.fullmatch(text)
    if found is None:
        raise ManifestError(f"`replace` of {name}: {text!r} is not NAME VERSION (SOURCE)", path, line)
    if found.group(3) is None:
        return Source("path", url=f"{found.group(1)} {found.group(2) or ''}".strip())
    return parse_source(found.group(3), name, path, line)
