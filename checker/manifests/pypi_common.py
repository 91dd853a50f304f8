"""What the readers of Python *declared* dependencies share (setup.py, setup.cfg, Pipfile, tox, conda's ``pip:``):
a requirement string turned into a Dependency or a Problem, setuptools' way of splitting requirement text into
lines, registry settings as ``config`` dependencies, and the line-preserving bridge to the pip requirements reader.

Also what the lockfile readers borrow (pylock, Pipfile.lock, uv.lock, poetry.lock): a URL as a Source (VCS
URLs, ``#sha256=`` fragments), the PyPI index under its several names, PEP 508 markers joined, the exact version a
specifier pins.

The requirement grammar is PEP 508, read by ``requirement_dependency`` (packaging), so every format reads
requirement strings the same way. A string that is not a valid requirement does not hide the others:
it becomes a Problem at its line (the unreadable-manifest rule reports it) and the rest are still dependencies.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet

from checker.errors import ManifestError
from checker.manifests.common import canonical_pypi_name, expect_str, hash_string
from checker.model import DEFAULT_SOURCE, Dependency, IndexOption, Manifest, Problem, Reader, Source

# The public PyPI index under the names tools write for it. A dependency from it gets Source(url=None): "the
# ecosystem's default", so that a lockfile that starts or stops naming PyPI explicitly is not a source change.
_PYPI_INDEXES = frozenset(
    {
        "https://pypi.org/simple",
        "https://pypi.python.org/simple",
        "https://pypi.org/pypi",
    }
)
_COMMIT = re.compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")
_HASH_ALGORITHMS = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512"})
_VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")


def requirement(text: str, path: str, line: int | None, scope: str, what: str,
                marker: str | None = None) -> Dependency | Problem:
    """One PEP 508 requirement string as a Dependency, or a Problem naming ``what`` (``install_requires``) when
    it is not a valid requirement. ``marker``: one that applies on top of the requirement's own (an
    ``extras_require`` key written ``name:marker``)."""
    try:
        found = requirement_dependency(text, path, line, scope)
    except ManifestError as error:
        return Problem(f"{what}: {error.message.splitlines()[0]}", line)
    return found._replace(markers=join_markers(found.markers, marker)) if marker else found


def setuptools_lines(text: str) -> list[tuple[int, str]]:
    """The requirement strings of a text as setuptools splits it (``setuptools._reqs.parse_strings``): lines
    stripped, blank lines and lines starting with ``#`` dropped, a `` #`` comment cut off, a line ending in a
    backslash joined with the next (the character before the backslash dropped too, as jaraco.text does). Each
    with its 0-based line offset in the text."""
    kept = []
    for offset, raw in enumerate(text.splitlines()):
        line = raw.strip()
        if line and not line.startswith("#"):
            kept.append((offset, line.partition(" #")[0]))
    joined = []
    index = 0
    while index < len(kept):
        offset, line = kept[index]
        index += 1
        complete = True
        while line.endswith("\\"):
            if index >= len(kept):
                complete = False  # setuptools drops a continuation with nothing to continue
                break
            line = line[:-2].strip() + kept[index][1]
            index += 1
        if complete:
            joined.append((offset, line))
    return joined


def config(tool_key: str, value: str, path: str, line: int | None) -> Dependency:
    """A registry setting as a ``config`` dependency (``pipenv.source.internal``, ``conda.channels``): the value
    as written is its version, so a changed value is a change that needs review; a URL's credentials are removed
    (the version is shown in every report). The record every settings parser makes: checker/manifests/settings.py."""
    from checker.manifests.settings import setting, url_value

    return setting(tool_key, url_value(value) if "://" in value else value, path, line)


# Environment variables that set where pip or uv install from, as the registry settings they are (the names of the
# settings' own keys, as workflow ``env:`` values are named), and the kind of index each configures.
ENV_SETTINGS = {
    "PIP_INDEX_URL": ("pip.index-url", "index-url"),
    "PIP_EXTRA_INDEX_URL": ("pip.extra-index-url", "extra-index-url"),
    "PIP_TRUSTED_HOST": ("pip.trusted-host", "trusted-host"),
    "PIP_FIND_LINKS": ("pip.find-links", "find-links"),
    "UV_INDEX_URL": ("uv.index-url", "index-url"),
    "UV_DEFAULT_INDEX": ("uv.index-url", "index-url"),
    "UV_EXTRA_INDEX_URL": ("uv.extra-index-url", "extra-index-url"),
    "UV_INDEX": ("uv.index", "extra-index-url"),
}


def env_settings(key: str, value: str, path: str, line: int | None) -> tuple[list[Dependency], list[IndexOption]]:
    """An environment variable as registry settings (``PIP_INDEX_URL`` -> ``pip.index-url``), one per value of a
    space-separated list; nothing for other variables. A value holding a substitution is a setting, but no index
    registry-source could judge."""
    found = ENV_SETTINGS.get(key.strip())
    if found is None:
        return [], []
    name, kind = found
    settings, indexes = [], []
    for item in value.split():
        settings.append(config(name, item, path, line))
        if "{" not in item and "$" not in item:
            indexes.append(IndexOption(kind, item, line))
    return settings, indexes


def bool_text(value: bool) -> str:
    return "true" if value else "false"


class PipLines(NamedTuple):
    """What the pip requirements reader made of lines taken from another file (tox ``deps``, conda ``pip:``)."""

    dependencies: list[Dependency]
    indexes: list[IndexOption]
    includes: list[str]
    problems: list[Problem]


def pip_lines(lines: list[tuple[int, str]], path: str, read: Reader, scope: str, what: str) -> PipLines:
    """Read ``(line number, text)`` pairs as the lines of a pip requirements file written beside ``path``, with the
    project's requirements reader (checker/manifests/requirements.py), so options (``-r``, ``-c``, ``-e``,
    ``--index-url``, ``--hash``) and requirements are read exactly as there: conda writes its ``pip:`` list to
    such a file, one entry a line, and tox reads ``deps`` with pip's grammar. Includes resolve from ``path``'s
    folder, as pip resolves them from the requirements file; every dependency, index and error keeps the line of
    the file it came from.

    A line the reader refuses becomes a Problem at its line and is left out; the other lines are then read
    together (an ``--index-url`` applies to all of them, as pip applies it)."""
    from checker.manifests import requirements

    problems: list[Problem] = []
    good: list[tuple[int, str]] = []
    for number, text in lines:
        if "\n" in text or "\r" in text:
            problems.append(Problem(f"{what}: a line break inside {text!r} (one requirement a line)", number))
            continue
        try:
            requirements.parse(text + "\n", path, read)
        except ManifestError as error:
            where = "" if error.path == path else f"{error.path}{f':{error.line}' if error.line else ''}: "
            problems.append(Problem(f"{what}: {where}{error.message.splitlines()[0]}", number))
            continue
        good.append((number, text))
    if not good:
        return PipLines([], [], [], problems)
    numbers = [number for number, _ in good]
    try:
        manifest: Manifest = requirements.parse("".join(text + "\n" for _, text in good), path, read)
    except ManifestError as error:  # the lines disagree together (one continues another), which none did alone
        line = numbers[error.line - 1] if error.path == path and error.line else None
        problems.append(Problem(f"{what}: {error.message}", line))
        return PipLines([], [], [], problems)
    dependencies = [
        dep._replace(scope=scope, direct=True, line=numbers[dep.line - 1] if dep.line else None)
        for dep in manifest.dependencies
    ]
    indexes = [option._replace(line=numbers[option.line - 1] if option.line else None) for option in manifest.indexes]
    return PipLines(dependencies, indexes, list(manifest.includes), problems)


def pip_includes(lines: list[tuple[int, str]], path: str) -> list[tuple[str, int | None]]:
    """The files ``-r``/``-c`` lines among ``lines`` name, found by the requirements reader's own include scan; a
    line it cannot read names none (the parse reports it)."""
    from checker.manifests import requirements_includes

    found: list[tuple[str, int | None]] = []
    for number, text in lines:
        if "\n" in text or "\r" in text:
            continue
        try:
            found.extend((target, number) for target, _ in requirements_includes.includes(text + "\n", path))
        except ManifestError:
            continue
    return found


# --- URLs, indexes, markers and pins ---------------------------------------------------------------------------


def is_commit(ref: str | None) -> bool:
    """Whether a git ref is a full commit id (SHA-1 or SHA-256), which pins the code exactly."""
    return ref is not None and _COMMIT.fullmatch(ref) is not None


def registry_source(url: str | None) -> Source:
    """A registry Source; PyPI under any of its usual URLs becomes the default (url None)."""
    if url is None or url.strip().rstrip("/").lower() in _PYPI_INDEXES:
        return DEFAULT_SOURCE
    return Source(kind="registry", url=url)


def git_source(url: str, ref: str | None) -> Source:
    """A git Source; the ref doubles as the commit when it is a full commit id."""
    return Source(kind="git", url=url, ref=ref, commit=ref if is_commit(ref) else None)


def source_from_url(url: str) -> tuple[Source, frozenset[str]]:
    """The Source of a PEP 508 direct reference (``name @ URL``), and any hashes its fragment carries.

    ``git+URL@ref`` is a git source (the ref split off, fragments such as ``#subdirectory=`` dropped); other VCS
    URLs (``hg+``, ``svn+``, ``bzr+``) are kept whole as a url source; ``file:`` URLs are local paths; anything
    else is an archive URL, whose ``#sha256=...`` fragment is a hash, as pip reads it.
    """
    stripped = url.strip()
    lower = stripped.lower()
    if lower.startswith("git+"):
        return _git_url_source(stripped[4:]), frozenset()
    if lower.startswith(_VCS_PREFIXES):
        return Source(kind="url", url=stripped), frozenset()
    if lower.startswith("file:"):
        return Source(kind="path", url=stripped), _fragment_hashes(stripped)
    return Source(kind="url", url=stripped), _fragment_hashes(stripped)


def _git_url_source(url: str) -> Source:
    """``https://host/repo.git@v1.2#egg=x`` -> Source(git, https://host/repo.git, ref v1.2)."""
    parts = urlsplit(url)
    path, ref = parts.path, None
    if "@" in path:
        path, ref = path.rsplit("@", 1)
        ref = ref or None
    return git_source(urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")), ref)


def _fragment_hashes(url: str) -> frozenset[str]:
    """Hashes named in a URL fragment (``#sha256=abc`` or ``#egg=x&sha256=abc``)."""
    _, _, fragment = url.partition("#")
    hashes = set()
    for item in fragment.split("&"):
        algorithm, found, digest = item.partition("=")
        if found and digest and algorithm.lower() in _HASH_ALGORITHMS:
            hashes.add(hash_string(algorithm, digest))
    return frozenset(hashes)


def join_markers(*markers: str | None) -> str | None:
    """Join environment markers with ``and`` (each parenthesised when there are several); None when none."""
    present = [marker.strip() for marker in markers if marker and marker.strip()]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return " and ".join(f"({marker})" for marker in present)


def pinned_version(specifier: SpecifierSet) -> str | None:
    """The version of a specifier that is a single ``==X`` or ``===X`` without a wildcard, else None."""
    specs = list(specifier)
    if len(specs) != 1:
        return None
    spec = specs[0]
    if spec.operator not in ("==", "===") or spec.version.endswith("*"):
        return None
    return spec.version


def required_string(table: dict, key: str, what: str, path: str, line: int | None = None) -> str:
    """``table[key]`` as a string; a ManifestError saying it is missing or of the wrong type."""
    if key not in table:
        raise ManifestError(f"{what} has no {key}", path, line)
    return expect_str(table[key], f"{what} {key}", path, line)


# --- PEP 508 requirement strings -------------------------------------------------------------------------------


def requirement_dependency(text: str, path: str, line: int | None, scope: str, constraint: bool = False) -> Dependency:
    """One PEP 508 requirement string as a Dependency; an invalid string is a ManifestError at its line."""
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        raise ManifestError(f"invalid requirement {text!r}: {exc}", path, line) from None
    hashes: frozenset[str]
    source, hashes, version = DEFAULT_SOURCE, frozenset(), pinned_version(req.specifier)
    if req.url:
        try:
            source, hashes = source_from_url(req.url)
        except ValueError as exc:  # urlsplit: a malformed URL (``https://[bad``)
            raise ManifestError(f"invalid URL {req.url!r} in {text!r}: {exc}", path, line) from None
        version = None
    return Dependency(
        ecosystem="pypi",
        name=canonical_pypi_name(req.name),
        version=version,
        specifier=str(req.specifier),
        source=source,
        hashes=hashes,
        scope=scope,
        direct=True,
        manifest=path,
        line=line,
        markers=str(req.marker) if req.marker else None,
        constraint=constraint,
    )
