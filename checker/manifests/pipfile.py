"""Pipfile: the packages a Pipenv project declares (TOML), the *declared* side of Pipfile.lock.

Tables (as Pipenv reads them, ``pipenv/utils/pipfile.py`` and the Pipfile spec): ``[packages]`` (scope prod),
``[dev-packages]`` (dev), and since Pipenv 2022.10 any other table is a package category of its own (dev:
installed only when asked for; ``[source]``, ``[requires]``, ``[pipenv]`` and ``[scripts]`` are settings). The
same scopes as checker/manifests/pipfile_lock.py, so a package has the same scope in both files.

A package's value is a version string (``"*"``, ``"==1.2.3"``, ``">=2,<3"``) or a table: ``version``, ``extras``,
``markers`` and marker variables as keys (``sys_platform = "== 'win32'"``), ``index`` (a source by name), ``git``
with ``ref``, ``path``, ``file``, ``editable``. Where it comes from: ``git`` + ``ref`` (registry-source wants a
full commit), a local ``path`` or ``file``, else the index its ``index`` names, else the first ``[[source]]``
(Pipenv installs a package without ``index`` from the first source only, unless ``[pipenv]
install_search_all_sources`` is true). So registry-source judges the host of every package.

Sources are registry settings: each ``[[source]]`` is a ``config`` dependency ``pipenv.source.<name>`` (its URL
the version) and ``pipenv.source.<name>.verify_ssl`` (``true``/``false``), ``[pipenv]
install_search_all_sources`` is ``pipenv.install_search_all_sources``; and each source is an ``index`` (with a
``trusted-host`` when ``verify_ssl`` is false), as Pipfile.lock's ``_meta.sources`` are.

An entry lockgate cannot read (a wrong type, an index no source names, a version that is no specifier) is a
Problem at its line; the others are still read.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from checker.manifests.common import canonical_pypi_name, is_project_name, load_toml
from checker.manifests.pypi_common import (
    bool_text,
    config,
    git_source,
    join_markers,
    pinned_version,
    registry_source,
    source_from_url,
)
from checker.manifests.pyproject import _string_line
from checker.model import DEFAULT_SOURCE, Dependency, IndexOption, Manifest, Problem, Reader, Source

FORMAT = "pipfile"
_SETTINGS = frozenset({"source", "requires", "pipenv", "scripts"})
_SCOPES = {"packages": "prod", "dev-packages": "dev"}
# PEP 508 marker variables Pipenv accepts as keys of a package table.
_MARKER_KEYS = (
    "os_name", "sys_platform", "platform_machine", "platform_python_implementation", "platform_release",
    "platform_system", "platform_version", "python_version", "python_full_version", "implementation_name",
    "implementation_version",
)  # fmt: skip


class _Sources:
    """The ``[[source]]`` entries: their URLs by name, in order (the first is the default index)."""

    def __init__(self) -> None:
        self.urls: dict[str, str] = {}
        self.first: str | None = None
        self.search_all = False


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The packages and sources of a Pipfile; see the module docstring."""
    data = load_toml(text, path)
    problems: list[Problem] = []
    settings: list[Dependency] = []
    indexes: list[IndexOption] = []
    lines = _key_lines(text)
    sources = _read_sources(data, text, path, settings, indexes, problems, lines)
    dependencies: list[Dependency] = []
    for table, packages in data.items():
        if table in _SETTINGS:
            continue
        line = lines.get((table, None))
        if not isinstance(packages, dict):
            problems.append(Problem(f"[{table}] must be a table of packages, found {type(packages).__name__}", line))
            continue
        scope = _SCOPES.get(table, "dev")
        for raw_name, value in packages.items():
            found = _package(raw_name, value, table, scope, sources, lines.get((table, raw_name)), path)
            if isinstance(found, Problem):
                problems.append(found)
            else:
                dependencies.append(found[0])
                problems += found[1]
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem="pypi",
        dependencies=tuple(dependencies + settings),
        kind="declared",
        indexes=tuple(indexes),
        problems=tuple(problems),
    )


def _key_lines(text: str) -> dict[tuple[str, str | None], int]:
    """``(table, key) -> line`` of every ``key = ...`` (bare or quoted key) and ``(table, None)`` of every
    ``[table]`` header, found in one pass over the lines (the values come from tomllib; these are only their
    lines). A package written as a table of its own, ``[packages.requests]``, is at its header."""
    found: dict[tuple[str, str | None], int] = {}
    table = ""
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line.startswith("["):
            name = line.strip("[]").partition("]")[0].strip()
            parts = [_unquote(part.strip()) for part in name.split(".")]
            table = parts[0]
            found.setdefault((table, None), number)
            if len(parts) == 2:
                found.setdefault((table, parts[1]), number)
            continue
        key, equals, _ = line.partition("=")
        if equals and key:
            found.setdefault((table, _unquote(key.strip())), number)
    return found


def _unquote(key: str) -> str:
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"":
        return key[1:-1]
    return key


def _read_sources(
    data: dict, text: str, path: str, settings: list[Dependency], indexes: list[IndexOption], problems: list[Problem],
    lines: dict[tuple[str, str | None], int],
) -> _Sources:
    sources = _Sources()
    entries = data.get("source", [])
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        problems.append(Problem("[[source]] must be an array of tables", None))
        entries = []
    for entry in entries:
        name, url = (entry.get("name"), entry.get("url")) if isinstance(entry, dict) else (None, None)
        if isinstance(entry, dict) and "name" not in entry:
            name = url  # Pipenv before 2018 wrote sources without a name (Pipfile.lock names them alike)
        if not isinstance(name, str) or not isinstance(url, str):
            problems.append(Problem("each [[source]] needs a url (and, when it has one, a name) as strings", None))
            continue
        line = _string_line(text, url, 0)[0]
        try:
            host = urlsplit(url).hostname
        except ValueError as error:
            problems.append(Problem(f"[[source]] {name}: {url!r} is not a valid URL: {error}", line))
            continue
        sources.urls[name] = url
        if sources.first is None:
            sources.first = url
        settings.append(config(f"pipenv.source.{name}", url, path, line))
        indexes.append(IndexOption("index", url, line))
        verify = entry.get("verify_ssl", True)
        if isinstance(verify, bool):
            settings.append(config(f"pipenv.source.{name}.verify_ssl", bool_text(verify), path, line))
            if not verify:
                indexes.append(IndexOption("trusted-host", host or url, line))
        else:
            problems.append(Problem(f"[[source]] {name}: verify_ssl must be true or false", line))
    pipenv = data.get("pipenv")
    if isinstance(pipenv, dict) and "install_search_all_sources" in pipenv:
        value = pipenv["install_search_all_sources"]
        line = lines.get(("pipenv", "install_search_all_sources"))
        shown = bool_text(value) if isinstance(value, bool) else str(value)
        settings.append(config("pipenv.install_search_all_sources", shown, path, line))
        sources.search_all = value is True
    return sources


def _package(
    raw_name: str, value: object, table: str, scope: str, sources: _Sources, line: int | None, path: str
) -> tuple[Dependency, list[Problem]] | Problem:
    what = f"[{table}] {raw_name}"
    if raw_name.startswith("-e "):
        return _editable_key(raw_name, value, what, scope, line, path)
    if not is_project_name(raw_name.strip()):
        return Problem(f"{what}: {raw_name!r} is not a valid project name", line)
    name = canonical_pypi_name(raw_name.strip())
    if isinstance(value, str):
        value = {"version": value}
    if not isinstance(value, dict):
        return Problem(f"{what}: expected a version string or a table, found {type(value).__name__}", line)
    problems: list[Problem] = []
    specifier, version = _version(value.get("version", "*"), what, line, problems)
    markers = _markers(value, what, line, problems)
    source = _source(value, what, line, sources, problems)
    if version is None and source.kind == "git" and source.commit:
        version = source.commit
    dependency = Dependency(
        ecosystem="pypi",
        name=name,
        version=version,
        specifier=specifier,
        source=source,
        scope=scope,
        direct=True,
        manifest=path,
        line=line,
        markers=markers,
        editable=value.get("editable") is True,
    )
    return dependency, problems


def _editable_key(raw_name: str, value: object, what: str, scope: str, line: int | None,
                  path: str) -> tuple[Dependency, list[Problem]] | Problem:
    """Pipenv's first Pipfiles keyed an editable install by its pip option (``"-e ." = {extras = ["socks"]}``,
    psf/requests 2017): a path dependency named by its path, as Pipfile.lock's ``"-e ."`` entries are."""
    location = raw_name[len("-e "):].strip()
    if not location:
        return Problem(f"{what}: names no path to install", line)
    if not isinstance(value, (str, dict)):
        return Problem(f"{what}: expected a version string or a table, found {type(value).__name__}", line)
    problems: list[Problem] = []
    markers = _markers(value, what, line, problems) if isinstance(value, dict) else None
    return Dependency(ecosystem="pypi", name=location, version=None, specifier="",
                      source=Source(kind="path", url=location), scope=scope, direct=True, manifest=path, line=line,
                      markers=markers, editable=True), problems


def _version(value: object, what: str, line: int | None, problems: list[Problem]) -> tuple[str, str | None]:
    """The specifier as written (``*`` is any) and the version it pins, if it pins one."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    if not isinstance(value, str):
        problems.append(Problem(f"{what}: version must be a string", line))
        return "", None
    written = value.strip()
    if written in ("", "*"):
        return "", None
    try:
        return written, pinned_version(SpecifierSet(written))
    except InvalidSpecifier:
        problems.append(Problem(f"{what}: {written!r} is not a version specifier", line))
        return written, None


def _markers(value: dict, what: str, line: int | None, problems: list[Problem]) -> str | None:
    parts: list[str | None] = []
    markers = value.get("markers")
    if markers is not None:
        if isinstance(markers, str):
            parts.append(markers)
        else:
            problems.append(Problem(f"{what}: markers must be a string", line))
    for key in _MARKER_KEYS:
        if isinstance(value.get(key), str):
            parts.append(f"{key} {value[key].strip()}")
    return join_markers(*parts)


def _source(value: dict, what: str, line: int | None, sources: _Sources, problems: list[Problem]) -> Source:
    """git / path / file, else the named index, else the first source."""
    try:
        if isinstance(value.get("git"), str):
            ref = value.get("ref")
            return git_source(value["git"], ref if isinstance(ref, str) else None)
        if isinstance(value.get("path"), str):
            return Source(kind="path", url=value["path"])
        if isinstance(value.get("file"), str):
            location = value["file"]
            if "://" in location or location.lower().startswith("file:"):
                return source_from_url(location)[0]
            return Source(kind="path", url=location)
    except ValueError as error:  # urlsplit: a malformed URL
        problems.append(Problem(f"{what}: not a valid URL: {error}", line))
        return DEFAULT_SOURCE
    index = value.get("index")
    if index is not None:
        if isinstance(index, str) and index in sources.urls:
            return registry_source(sources.urls[index])
        known = ", ".join(sorted(sources.urls)) or "none"
        problems.append(Problem(f"{what}: index {index!r} names no [[source]] (sources: {known})", line))
    return registry_source(sources.first)
