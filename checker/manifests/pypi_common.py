"""What the readers of Python *declared* dependencies share (setup.py, setup.cfg, Pipfile, tox, conda's ``pip:``):
a requirement string turned into a Dependency or a Problem, setuptools' way of splitting requirement text into
lines, registry settings as ``config`` dependencies, and the line-preserving bridge to the pip requirements reader.

The requirement grammar is PEP 508, read by pyproject's ``requirement_dependency`` (packaging), so every declared
format reads requirement strings the same way. A string that is not a valid requirement does not hide the others:
it becomes a Problem at its line (the unreadable-manifest rule reports it) and the rest are still dependencies.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.errors import ManifestError
from checker.model import Dependency, IndexOption, Manifest, Problem, Reader


class Requirements(NamedTuple):
    """What a list of requirement strings gave: the dependencies read, and the strings that could not be."""

    dependencies: list[Dependency]
    problems: list[Problem]


def requirement(text: str, path: str, line: int | None, scope: str, what: str,
                marker: str | None = None) -> Dependency | Problem:
    """One PEP 508 requirement string as a Dependency, or a Problem naming ``what`` (``install_requires``) when
    it is not a valid requirement. ``marker``: one that applies on top of the requirement's own (an
    ``extras_require`` key written ``name:marker``)."""
    from checker.manifests.pyproject import join_markers, requirement_dependency

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
    from checker.manifests import requirements_grammar

    found: list[tuple[str, int | None]] = []
    for number, text in lines:
        if "\n" in text or "\r" in text:
            continue
        try:
            found.extend((target, number) for target, _ in requirements_grammar.includes(text + "\n", path))
        except ManifestError:
            continue
    return found
