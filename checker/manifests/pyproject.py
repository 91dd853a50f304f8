"""pyproject.toml: the dependencies a Python project declares (PEP 621, PEP 735, Poetry and uv tables).

A pyproject.toml states wants, not resolved versions, so its manifest is ``declared``: a dependency carries an
exact version only when its constraint pins one (``==1.2.3``, or a bare ``1.2.3`` in Poetry). Everything here is
a direct dependency. Scopes: ``[project] dependencies`` and Poetry's main group are ``prod``, optional
dependencies (PEP 621 extras, Poetry ``optional = true``) are ``optional``, dependency groups (PEP 735, Poetry
groups, uv's legacy ``dev-dependencies``) are ``dev``, and ``[build-system] requires`` is ``build``. uv's
constraint and override dependencies are recorded with ``constraint=True``: they pin, but install nothing.

The requirement strings, URL sources and index names it shares with the other Python readers are in
``pypi_common``; pylock borrows the sibling pyproject's direct dependency names from here (``direct_names``).

Line numbers are found cheaply by searching the text for the quoted requirement string (or the key of a
Poetry entry) after the header of its table; None when the search does not find it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from packaging.version import InvalidVersion, Version

from checker.errors import ManifestError
from checker.manifests.common import (
    canonical_pypi_name,
    expect_list,
    expect_str,
    expect_table,
    line_of,
    load_toml,
    project_name,
)
from checker.manifests.pypi_common import git_source, join_markers, registry_source, required_string, requirement_dependency
from checker.model import DEFAULT_SOURCE, Dependency, IndexOption, Manifest, Problem, Reader, Source

FORMAT = "pyproject"

# A table header line: ``[tool.poetry.dependencies]`` or ``[[tool.uv.index]]``. Lines inside arrays that merely
# start with ``[`` (nested arrays) do not match because a header needs a key character after the bracket.
_ANY_HEADER = re.compile(r"""^[ \t]*\[\[?[ \t]*[A-Za-z0-9_\-"'][^\n]*\]\]?[ \t]*(?:#[^\n]*)?$""", re.M)


def direct_names(text: str, path: str) -> frozenset[str] | None:
    """Canonical names of what a lockfile next to this pyproject.toml installs directly: the dependencies the
    project declares (not constraints or build requirements) and the project itself, which locks list as the
    root. None when ``[project] dependencies`` is dynamic: the file then cannot say which packages are direct."""
    data = load_toml(text, path)
    project = _optional_table(data, "project", "[project]", text, path)
    dynamic = project.get("dynamic")
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        return None
    poetry = _optional_table(_optional_table(data, "tool", "[tool]", text, path), "poetry", "[tool.poetry]", text, path)
    manifest = parse(text, path, lambda _: None)
    declared = {dep.name for dep in manifest.dependencies if not dep.constraint and dep.scope != "build"}
    return frozenset(declared | _own_names(project, poetry, text, path))


# ---------------------------------------------------------------------------------------------------------------
# Finding lines cheaply
# ---------------------------------------------------------------------------------------------------------------


def _header_regex(parts: tuple[str, ...]) -> re.Pattern[str]:
    """A ``[a.b.c]`` header line for the dotted table name, allowing spaces around dots and quoted parts."""
    words = [rf"""(?:{re.escape(p)}|"{re.escape(p)}"|'{re.escape(p)}')""" for p in parts]
    dotted = r"[ \t]*\.[ \t]*".join(words)
    return re.compile(rf"^[ \t]*\[[ \t]*{dotted}[ \t]*\][ \t]*(?:#[^\n]*)?$", re.M)


def _section_offset(text: str, *parts: str) -> int | None:
    """Offset just after the ``[a.b.c]`` header, or None when the table is not written as a header."""
    found = _header_regex(parts).search(text)
    return found.end() if found else None


def _key_offset(text: str, start: int, key: str) -> int | None:
    """Offset of ``key =`` between ``start`` and the next table header, or None."""
    following = _ANY_HEADER.search(text, start)
    end = following.start() if following else len(text)
    quoted = rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""
    found = re.compile(rf"^[ \t]*{quoted}[ \t]*=", re.M).search(text, start, end)
    return found.start() if found else None


def _table_key_line(text: str, parts: tuple[str, ...], key: str) -> tuple[int | None, int]:
    """Line of ``key`` in table ``parts`` (written as ``key = ...`` or as a ``[parts.key]`` header), and the
    offset to search its values from."""
    start = _section_offset(text, *parts)
    if start is not None:
        at = _key_offset(text, start, key)
        if at is not None:
            return line_of(text, at), at
    sub = _section_offset(text, *parts, key)
    if sub is not None:
        return line_of(text, sub), sub
    return None, start or 0


def _quoted_forms(value: str) -> tuple[str, ...]:
    """How a TOML string may be written: basic (with escapes) or literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return (f'"{escaped}"', f"'{value}'", f'"{value}"')


def _string_line(text: str, value: str, start: int) -> tuple[int | None, int]:
    """Line of the quoted string at or after ``start`` (else anywhere), and where to search for the next one."""
    for begin in (start, 0) if start else (0,):
        for quoted in _quoted_forms(value):
            at = text.find(quoted, begin)
            if at >= 0:
                return line_of(text, at), (at + len(quoted) if begin == start else start)
    return None, start


# ---------------------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------------------


class _Context(NamedTuple):
    """What every section parser needs: the file, and the named indexes dependencies may refer to."""

    text: str
    path: str
    poetry_sources: dict[str, str | None]
    uv_indexes: dict[str, str]


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a pyproject.toml into its declared dependencies and named package indexes."""
    data = load_toml(text, path)
    tool = _optional_table(data, "tool", "[tool]", text, path)
    poetry = _optional_table(tool, "poetry", "[tool.poetry]", text, path)
    uv = _optional_table(tool, "uv", "[tool.uv]", text, path)
    project = _optional_table(data, "project", "[project]", text, path)

    poetry_indexes, poetry_sources = _poetry_sources(poetry, text, path)
    uv_index_options, uv_indexes, uv_index_settings = _uv_indexes(uv, text, path)
    ctx = _Context(text, path, poetry_sources, uv_indexes)

    project_deps = _pep621(project, ctx)
    poetry_deps = _poetry(poetry, ctx)
    if "dependencies" in project:
        project_deps, poetry_deps = _merge_poetry_into_project(project_deps, poetry_deps)
    deps = project_deps + _dependency_groups(data, ctx) + poetry_deps + _uv_requirements(uv, ctx)
    deps = _apply_uv_sources(deps, _uv_sources(uv, ctx))
    deps += _build_requires(data, ctx)
    deps += poetry_settings(poetry, text, path) + uv_index_settings + uv_settings(uv, text, path, ("tool", "uv"))
    indexes = poetry_indexes + uv_index_options + _uv_pip_indexes(uv, ctx)
    problems: tuple[Problem, ...] = ()
    read_in: tuple[str, ...] = ()
    tox = tool.get("tox")
    if isinstance(tox, dict):  # what tox installs into its test environments
        from checker.manifests import tox_toml

        extra = tox_toml.from_pyproject(tox, text, path, read)
        deps += list(extra.dependencies)
        indexes += list(extra.indexes)
        problems, read_in = extra.problems, extra.includes

    own = _own_names(project, poetry, text, path)
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem="pypi",
        dependencies=tuple(dep for dep in deps if dep.name not in own),
        kind="declared",
        includes=read_in,
        indexes=tuple(indexes),
        problems=problems,
    )


def _optional_table(parent: dict, key: str, what: str, text: str, path: str) -> dict:
    """``parent[key]`` as a table, {} when absent; a ManifestError naming the line when it is not a table."""
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        line = _first_key_line(text, key)
        raise ManifestError(f"{what} must be a table, found {type(value).__name__}", path, line)
    return value


def _first_key_line(text: str, key: str) -> int | None:
    found = re.compile(rf"""^[ \t]*(?:{re.escape(key)}|"{re.escape(key)}")[ \t]*=""", re.M).search(text)
    return line_of(text, found.start()) if found else None


def _own_names(project: dict, poetry: dict, text: str, path: str) -> frozenset[str]:
    """The project's own name (PEP 621 or Poetry 1): a group that installs the project itself is no dependency."""
    names = set()
    for table, what in ((project, "[project] name"), (poetry, "[tool.poetry] name")):
        if "name" in table:
            names.add(canonical_pypi_name(expect_str(table["name"], what, path, _first_key_line(text, "name"))))
    return frozenset(names)


def _requirement_array(
    value: object,
    what: str,
    ctx: _Context,
    where: tuple[int | None, int],
    scope: str,
    constraint: bool = False,
) -> list[Dependency]:
    """An array of requirement strings; ``where`` is the (line, offset) of its key, to find item lines from."""
    key_line, cursor = where
    items = expect_list(value, what, ctx.path, key_line)
    deps = []
    for item in items:
        requirement = expect_str(item, f"each entry of {what}", ctx.path, key_line)
        line, cursor = _string_line(ctx.text, requirement, cursor)
        deps.append(requirement_dependency(requirement, ctx.path, line, scope, constraint))
    return deps


def _pep621(project: dict, ctx: _Context) -> list[Dependency]:
    """``[project] dependencies`` (prod) and ``[project.optional-dependencies]`` (optional)."""
    deps = []
    if "dependencies" in project:
        where = _table_key_line(ctx.text, ("project",), "dependencies")
        deps += _requirement_array(project["dependencies"], "[project] dependencies", ctx, where, "prod")
    optional = project.get("optional-dependencies")
    if optional is not None:
        where = _table_key_line(ctx.text, ("project",), "optional-dependencies")
        table = expect_table(optional, "[project.optional-dependencies]", ctx.path, where[0])
        for extra, requirements in table.items():
            where = _table_key_line(ctx.text, ("project", "optional-dependencies"), extra)
            what = f"[project.optional-dependencies] {extra}"
            deps += _requirement_array(requirements, what, ctx, where, "optional")
    return deps


def _build_requires(data: dict, ctx: _Context) -> list[Dependency]:
    """``[build-system] requires``: code that runs when the project is built, hence scope ``build``."""
    build = _optional_table(data, "build-system", "[build-system]", ctx.text, ctx.path)
    if "requires" not in build:
        return []
    where = _table_key_line(ctx.text, ("build-system",), "requires")
    return _requirement_array(build["requires"], "[build-system] requires", ctx, where, "build")


# --- PEP 735 dependency groups ---------------------------------------------------------------------------------


def _dependency_groups(data: dict, ctx: _Context) -> list[Dependency]:
    """``[dependency-groups]`` (scope dev). Includes are checked (unknown groups and cycles are errors); each
    requirement is recorded once, in the group that states it."""
    if "dependency-groups" not in data:
        return []
    table = expect_table(data["dependency-groups"], "[dependency-groups]", ctx.path,
                         _first_key_line(ctx.text, "dependency-groups"))
    groups: dict[str, tuple[str, list]] = {}
    for raw_name, entries in table.items():
        name = canonical_pypi_name(raw_name)
        line = _table_key_line(ctx.text, ("dependency-groups",), raw_name)[0]
        if name in groups:
            raise ManifestError(
                f"dependency groups {groups[name][0]!r} and {raw_name!r} have the same normalised name {name!r}",
                ctx.path,
                line,
            )
        groups[name] = (raw_name, expect_list(entries, f"[dependency-groups] {raw_name}", ctx.path, line))
    deps = []
    for name, (raw_name, entries) in groups.items():
        where = _table_key_line(ctx.text, ("dependency-groups",), raw_name)
        requirements = []
        for entry in entries:
            if isinstance(entry, dict):
                _include_target(entry, raw_name, groups, ctx, where[0])
            else:
                requirements.append(entry)
        deps += _requirement_array(requirements, f"[dependency-groups] {raw_name}", ctx, where, "dev")
    checked: set[str] = set()
    for name in groups:
        _check_include_cycles(name, groups, (), ctx, checked)
    return deps


def _include_target(entry: dict, group: str, groups: dict, ctx: _Context, line: int | None) -> str:
    """The normalised group an ``{include-group = "..."}`` entry names; anything else is an error."""
    if set(entry) != {"include-group"} or not isinstance(entry["include-group"], str):
        raise ManifestError(
            f"[dependency-groups] {group}: a table entry must be {{include-group = \"name\"}}, found {entry!r}",
            ctx.path,
            line,
        )
    target = canonical_pypi_name(entry["include-group"])
    if target not in groups:
        raise ManifestError(
            f"[dependency-groups] {group} includes unknown group {entry['include-group']!r}", ctx.path, line
        )
    return target


def _check_include_cycles(
    name: str, groups: dict, chain: tuple[str, ...], ctx: _Context, checked: set[str] | None = None
) -> None:
    """Follow includes depth first; a group reached again along the same chain is a cycle (PEP 735: error).
    ``checked`` holds groups already followed to the end, so shared includes are walked once."""
    checked = set() if checked is None else checked
    if name in chain:
        cycle = " -> ".join(groups[n][0] for n in chain[chain.index(name) :] + (name,))
        line = _table_key_line(ctx.text, ("dependency-groups",), groups[name][0])[0]
        raise ManifestError(f"[dependency-groups] include cycle: {cycle}", ctx.path, line)
    if name in checked:
        return
    for entry in groups[name][1]:
        if isinstance(entry, dict):
            target = canonical_pypi_name(entry["include-group"])
            _check_include_cycles(target, groups, chain + (name,), ctx, checked)
    checked.add(name)


# --- Poetry ----------------------------------------------------------------------------------------------------


def _poetry_sources(poetry: dict, text: str, path: str) -> tuple[list[IndexOption], dict[str, str | None]]:
    """``[[tool.poetry.source]]``: the named indexes, by lower-case name (PyPI may be named without a URL)."""
    if "source" not in poetry:
        return [], {}
    entries = expect_list(poetry["source"], "[[tool.poetry.source]]", path, _first_key_line(text, "source"))
    options, named = [], {}
    for entry in entries:
        table = expect_table(entry, "each [[tool.poetry.source]]", path)
        name = required_string(table, "name", "[[tool.poetry.source]]", path, _first_key_line(text, "source"))
        url = table.get("url")
        if url is not None:
            url = expect_str(url, f"[[tool.poetry.source]] {name} url", path)
            options.append(IndexOption("index", url, _string_line(text, url, 0)[0]))
        named[name.lower()] = url
    return options, named


def _poetry(poetry: dict, ctx: _Context) -> list[Dependency]:
    """Poetry's main dependencies (prod), groups (dev; ``main`` is prod) and legacy dev-dependencies (dev)."""
    deps = []
    if "dependencies" in poetry:
        deps += _poetry_table(poetry["dependencies"], ("tool", "poetry", "dependencies"), "prod", ctx)
    groups = poetry.get("group", {})
    groups = expect_table(groups, "[tool.poetry.group]", ctx.path, _first_key_line(ctx.text, "group"))
    for group, body in groups.items():
        body = expect_table(body, f"[tool.poetry.group.{group}]", ctx.path)
        if "dependencies" in body:
            scope = "prod" if group == "main" else "dev"
            parts = ("tool", "poetry", "group", group, "dependencies")
            deps += _poetry_table(body["dependencies"], parts, scope, ctx)
    if "dev-dependencies" in poetry:
        deps += _poetry_table(poetry["dev-dependencies"], ("tool", "poetry", "dev-dependencies"), "dev", ctx)
    return deps


def _poetry_table(value: object, parts: tuple[str, ...], scope: str, ctx: _Context) -> list[Dependency]:
    what = "[" + ".".join(parts) + "]"
    table = expect_table(value, what, ctx.path)
    deps = []
    for raw_name, spec in table.items():
        line = _table_key_line(ctx.text, parts, raw_name)[0]
        name = project_name(raw_name, what, ctx.path, line)
        if name == "python":
            continue
        for element in _poetry_elements(spec, f"{what} {raw_name}", ctx.path, line):
            deps.append(_poetry_dependency(name, element, f"{what} {raw_name}", scope, line, ctx))
    return deps


def _poetry_elements(spec: object, what: str, path: str, line: int | None) -> list[dict]:
    """A Poetry dependency value as a list of constraint tables: a string is ``{version = ...}``, a list holds
    several constraints (one per environment)."""
    if isinstance(spec, str):
        return [{"version": spec}]
    if isinstance(spec, dict):
        return [spec]
    if isinstance(spec, list) and spec:
        return [expect_table(item, f"each constraint of {what}", path, line) for item in spec]
    raise ManifestError(
        f"{what} must be a version string, a table or a non-empty array of tables, found {type(spec).__name__}",
        path,
        line,
    )


def _poetry_dependency(name: str, element: dict, what: str, scope: str, line: int | None, ctx: _Context) -> Dependency:
    """One Poetry constraint table as a Dependency."""
    constraint = expect_str(element.get("version", ""), f"{what} version", ctx.path, line).strip()
    markers = element.get("markers")
    if markers is not None:
        markers = expect_str(markers, f"{what} markers", ctx.path, line)
    python = element.get("python")
    if python is not None:
        python = _poetry_python_marker(expect_str(python, f"{what} python", ctx.path, line), what, ctx.path, line)
    platform = element.get("platform")
    if platform is not None:
        platform = expect_str(platform, f"{what} platform", ctx.path, line)
        platform = f'sys_platform == "{platform}"'
    if element.get("optional") is True and scope == "prod":
        scope = "optional"
    return Dependency(
        ecosystem="pypi",
        name=name,
        version=_poetry_exact(constraint),
        specifier=constraint,
        source=_poetry_source(element, what, line, ctx),
        scope=scope,
        direct=True,
        manifest=ctx.path,
        line=line,
        markers=join_markers(markers, python, platform),
        editable=element.get("develop") is True,
    )


def _poetry_source(element: dict, what: str, line: int | None, ctx: _Context) -> Source:
    """git / path / url / named-source keys of a Poetry constraint table."""
    if "git" in element:
        url = expect_str(element["git"], f"{what} git", ctx.path, line)
        ref = None
        for key in ("rev", "tag", "branch"):
            if key in element:
                ref = expect_str(element[key], f"{what} {key}", ctx.path, line)
                break
        return git_source(url, ref)
    if "path" in element:
        return Source(kind="path", url=expect_str(element["path"], f"{what} path", ctx.path, line))
    if "url" in element:
        return Source(kind="url", url=expect_str(element["url"], f"{what} url", ctx.path, line))
    if "source" in element:
        name = expect_str(element["source"], f"{what} source", ctx.path, line)
        if name.lower() in ctx.poetry_sources:
            return registry_source(ctx.poetry_sources[name.lower()])
        if name.lower() == "pypi":
            return DEFAULT_SOURCE
        known = ", ".join(sorted(ctx.poetry_sources)) or "none"
        raise ManifestError(f"{what}: unknown source {name!r} (sources declared: {known})", ctx.path, line)
    return DEFAULT_SOURCE


def _poetry_exact(constraint: str) -> str | None:
    """The version a Poetry constraint pins: ``1.2.3``, ``==1.2.3`` or ``=1.2.3`` (Poetry reads a bare version as
    exact); None for ranges, wildcards and ``*``."""
    text = constraint.strip()
    for operator in ("===", "==", "="):
        if text.startswith(operator):
            text = text[len(operator) :].strip()
            break
    if not text or "*" in text or any(char in text for char in "<>!~^,| "):
        return None
    try:
        Version(text)
    except (InvalidVersion, ValueError):  # ValueError: a release number over Python's digit limit
        return None
    return text


_PY_CLAUSE = re.compile(r"(\^|~=|~|===|==|!=|<=|>=|<|>|=)?(\d+(?:\.\d+)*(?:\.\*)?)")
_PY_OPERATOR_SPACE = re.compile(r"(\^|~=|~|===|==|!=|<=|>=|<|>|=)\s+")


def _poetry_python_marker(constraint: str, what: str, path: str, line: int | None) -> str | None:
    """A Poetry ``python = "^3.8"`` constraint as a PEP 508 marker, so that entries of one package that differ
    only by Python version stay distinct: ``python_version >= "3.8" and python_version < "4"``."""
    text = constraint.strip()
    if text in ("", "*"):
        return None
    alternatives = []
    for alternative in text.split("||"):
        clauses = [c for c in re.split(r"[,\s]+", _PY_OPERATOR_SPACE.sub(r"\1", alternative.strip())) if c]
        if not clauses:
            raise ManifestError(f"{what}: invalid python constraint {constraint!r}", path, line)
        comparisons = []
        for clause in clauses:
            comparisons += _python_comparisons(clause, constraint, what, path, line)
        alternatives.append(" and ".join(comparisons))
    if len(alternatives) == 1:
        return alternatives[0]
    return " or ".join(f"({alt})" if " and " in alt else alt for alt in alternatives)


def _python_comparisons(clause: str, constraint: str, what: str, path: str, line: int | None) -> list[str]:
    found = _PY_CLAUSE.fullmatch(clause)
    if not found:
        raise ManifestError(f"{what}: invalid python constraint {constraint!r}", path, line)
    operator, version = found.group(1) or "==", found.group(2)
    if operator in ("^", "~"):
        if "*" in version:
            raise ManifestError(f"{what}: invalid python constraint {constraint!r}", path, line)
        upper = _caret_upper(version) if operator == "^" else _tilde_upper(version)
        return [_python_comparison(">=", version), _python_comparison("<", upper)]
    return [_python_comparison("==" if operator == "=" else operator, version)]


def _python_comparison(operator: str, version: str) -> str:
    variable = "python_full_version" if len(version.replace(".*", "").split(".")) > 2 else "python_version"
    return f'{variable} {operator} "{version}"'


def _caret_upper(version: str) -> str:
    """Poetry's caret: the next version that changes the left-most non-zero component (^0.2.3 -> 0.3)."""
    numbers = [int(part) for part in version.split(".")]
    for index, number in enumerate(numbers):
        if number:
            return ".".join(str(n) for n in numbers[:index] + [number + 1])
    if len(numbers) == 1:
        return "1"
    return ".".join(str(n) for n in numbers[:-1] + [numbers[-1] + 1])


def _tilde_upper(version: str) -> str:
    """Poetry's tilde: ~1 -> 2, ~1.2 and ~1.2.3 -> 1.3."""
    numbers = [int(part) for part in version.split(".")]
    if len(numbers) == 1:
        return str(numbers[0] + 1)
    return f"{numbers[0]}.{numbers[1] + 1}"


def _merge_poetry_into_project(
    project_deps: list[Dependency], poetry_deps: list[Dependency]
) -> tuple[list[Dependency], list[Dependency]]:
    """Poetry 2: with ``[project] dependencies`` present, a ``[tool.poetry.dependencies]`` entry of the same name
    only enriches it (its source, ``develop``), so it is not a second dependency."""
    project_names = {dep.name for dep in project_deps if dep.scope == "prod"}
    enrich: dict[str, Dependency] = {}
    for dep in poetry_deps:
        if dep.scope == "prod" and dep.name in project_names and dep.source != DEFAULT_SOURCE:
            enrich.setdefault(dep.name, dep)
    merged = []
    for dep in project_deps:
        extra = enrich.get(dep.name) if dep.scope == "prod" else None
        merged.append(dep._replace(source=extra.source, editable=extra.editable) if extra else dep)
    remaining = [dep for dep in poetry_deps if not (dep.name in project_names and dep.scope == "prod")]
    return merged, remaining


# --- uv --------------------------------------------------------------------------------------------------------


def _uv_indexes(uv: dict, text: str, path: str,
                where: str = "[[tool.uv.index]]") -> tuple[list[IndexOption], dict[str, str], list[Dependency]]:
    """``[[tool.uv.index]]`` (``[[index]]`` of uv.toml): every index as an IndexOption, the named ones by name, and
    each as registry settings: ``uv.index.<name>`` (``uv.index`` without a name) with its URL; the one marked
    ``default = true`` also as ``uv.default-index`` (what ``UV_DEFAULT_INDEX`` sets), and ``explicit`` as
    ``uv.index.<name>.explicit``, so that making an index the default or no longer explicit is a change."""
    if "index" not in uv:
        return [], {}, []
    from checker.manifests.settings import setting, text_value, url_value

    entries = expect_list(uv["index"], where, path, _first_key_line(text, "index"))
    options, named, settings = [], {}, []
    for entry in entries:
        table = expect_table(entry, f"each {where}", path)
        url = required_string(table, "url", where, path, _first_key_line(text, "index"))
        line = _string_line(text, url, 0)[0]
        options.append(IndexOption("index", url, line))
        name = expect_str(table["name"], f"{where} name", path, line) if "name" in table else None
        if name is not None:
            named[name] = url
        base = f"uv.index.{name}" if name else "uv.index"
        settings.append(setting(base, url_value(url), path, line, label=name))
        if table.get("default") is True:
            settings.append(setting("uv.default-index", url_value(url), path, line, label=name))
        if "explicit" in table:
            settings.append(setting(f"{base}.explicit", text_value(table["explicit"]), path, line))
    return options, named, settings


def _uv_pip_indexes(uv: dict, ctx: _Context) -> list[IndexOption]:
    """uv's pip-style ``index-url``, ``extra-index-url`` and ``find-links`` settings."""
    options = []
    for key in ("index-url", "extra-index-url", "find-links"):
        if key not in uv:
            continue
        values = uv[key] if isinstance(uv[key], list) else [uv[key]]
        for value in values:
            value = expect_str(value, f"[tool.uv] {key}", ctx.path, _first_key_line(ctx.text, key))
            options.append(IndexOption(key, value, _string_line(ctx.text, value, 0)[0]))
    return options


def _uv_requirements(uv: dict, ctx: _Context) -> list[Dependency]:
    """uv's legacy ``dev-dependencies`` (dev) and its constraint / override / build-constraint lists, which pin
    without installing anything (``constraint=True``)."""
    deps = []
    for key, scope, constraint in (
        ("dev-dependencies", "dev", False),
        ("constraint-dependencies", "prod", True),
        ("override-dependencies", "prod", True),
        ("build-constraint-dependencies", "build", True),
    ):
        if key in uv:
            where = _table_key_line(ctx.text, ("tool", "uv"), key)
            deps += _requirement_array(uv[key], f"[tool.uv] {key}", ctx, where, scope, constraint)
    return deps


class _UvSource(NamedTuple):
    source: Source
    marker: str | None
    editable: bool


def _uv_sources(uv: dict, ctx: _Context) -> dict[str, list[_UvSource]]:
    """``[tool.uv.sources]``: where named packages come from instead of the default index."""
    if "sources" not in uv:
        return {}
    table = expect_table(uv["sources"], "[tool.uv.sources]", ctx.path, _first_key_line(ctx.text, "sources"))
    sources = {}
    for raw_name, value in table.items():
        line = _table_key_line(ctx.text, ("tool", "uv", "sources"), raw_name)[0]
        what = f"[tool.uv.sources] {raw_name}"
        entries = value if isinstance(value, list) else [value]
        sources[canonical_pypi_name(raw_name)] = [
            _uv_source(expect_table(entry, what, ctx.path, line), what, line, ctx) for entry in entries
        ]
    return sources


def _uv_source(entry: dict, what: str, line: int | None, ctx: _Context) -> _UvSource:
    marker = entry.get("marker")
    if marker is not None:
        marker = expect_str(marker, f"{what} marker", ctx.path, line)
    editable = entry.get("editable") is True
    if entry.get("workspace") is True:
        return _UvSource(Source(kind="path", url="workspace"), marker, editable)
    if "git" in entry:
        url = expect_str(entry["git"], f"{what} git", ctx.path, line)
        ref = None
        for key in ("rev", "tag", "branch"):
            if key in entry:
                ref = expect_str(entry[key], f"{what} {key}", ctx.path, line)
                break
        return _UvSource(git_source(url, ref), marker, editable)
    if "path" in entry:
        local = expect_str(entry["path"], f"{what} path", ctx.path, line)
        return _UvSource(Source(kind="path", url=local), marker, editable)
    if "url" in entry:
        url = expect_str(entry["url"], f"{what} url", ctx.path, line)
        return _UvSource(Source(kind="url", url=url), marker, editable)
    if "index" in entry:
        name = expect_str(entry["index"], f"{what} index", ctx.path, line)
        if name not in ctx.uv_indexes:
            known = ", ".join(sorted(ctx.uv_indexes)) or "none"
            raise ManifestError(f"{what}: unknown index {name!r} (named [[tool.uv.index]]: {known})", ctx.path, line)
        return _UvSource(registry_source(ctx.uv_indexes[name]), marker, editable)
    raise ManifestError(f"{what} must name one of git, path, url, index or workspace = true", ctx.path, line)


def _apply_uv_sources(deps: list[Dependency], sources: dict[str, list[_UvSource]]) -> list[Dependency]:
    """Give each dependency named in ``[tool.uv.sources]`` its source; a list of sources with markers makes one
    dependency per source, each limited by its marker. Constraints keep their own source."""
    result = []
    for dep in deps:
        if dep.constraint or dep.name not in sources:
            result.append(dep)
            continue
        for uv_source in sources[dep.name]:
            result.append(
                dep._replace(
                    source=uv_source.source,
                    markers=join_markers(dep.markers, uv_source.marker),
                    editable=dep.editable or uv_source.editable,
                )
            )
    return result



# --- registry settings -----------------------------------------------------------------------------------------
# uv's and Poetry's settings that decide where packages come from, whether TLS and hashes are checked and whether
# source builds may run, as ``config`` dependencies (checker/manifests/settings.py): a changed index is then a
# Change, reviewed like a version bump and judged by the registry-config rule. uv.toml holds the same settings at
# its top level (checker/manifests/uv_toml.py reads it with the function below).

_UV_URLS = ("index-url",)
_UV_URL_LISTS = ("extra-index-url", "find-links")
_UV_SCALARS = ("no-index", "index-strategy", "no-build", "no-binary", "require-hashes", "verify-hashes")
_UV_LISTS = ("allow-insecure-host", "only-binary")
_POETRY_PYPI = "https://pypi.org/simple/"


def _setting_line(text: str, parts: tuple[str, ...], key: str) -> tuple[int | None, int]:
    """Line of ``key`` in the table ``parts`` (the top level when empty), and the offset to search values from."""
    if parts:
        return _table_key_line(text, parts, key)
    at = _key_offset(text, 0, key)
    return (line_of(text, at), at) if at is not None else (None, 0)


def uv_settings(uv: dict, text: str, path: str, parts: tuple[str, ...]) -> list[Dependency]:
    """The registry settings of uv's table (``[tool.uv]`` of a pyproject.toml, the top level of uv.toml) other than
    its indexes (``_uv_indexes``): ``uv.<key>``, and for its ``pip`` table ``uv.pip.<key>``."""
    from checker.manifests.settings import setting, text_value, url_value

    deps = []
    where = "[" + ".".join(parts) + "]" if parts else "uv.toml"
    tables = [("uv", uv, parts)]
    if "pip" in uv:
        pip_parts = parts + ("pip",)
        tables.append(("uv.pip", expect_table(uv["pip"], f"{where} pip", path), pip_parts))
    for prefix, table, table_parts in tables:
        for key in _UV_URLS + _UV_URL_LISTS + _UV_SCALARS + _UV_LISTS:
            if key not in table:
                continue
            line, cursor = _setting_line(text, table_parts, key)
            values = table[key] if isinstance(table[key], list) else [table[key]]
            for value in values:
                if isinstance(value, (dict, list)):
                    raise ManifestError(f"{where} {key}: expected a value, found a {type(value).__name__}", path, line)
                shown = text_value(value)
                value_line = line
                if isinstance(value, str) and isinstance(table[key], list):
                    value_line, cursor = _string_line(text, value, cursor)
                if key in _UV_URLS or key in _UV_URL_LISTS:
                    shown = url_value(shown)
                deps.append(setting(f"{prefix}.{key}", shown, path, value_line))
    return deps


def poetry_settings(poetry: dict, text: str, path: str) -> list[Dependency]:
    """Poetry's sources: ``poetry.source.<name>`` with the source's URL (PyPI's when it names none), and
    ``poetry.source.<name>.priority`` with its priority (the legacy ``default = true`` and ``secondary = true`` as
    ``default`` and ``secondary``), so that promoting a source to primary is a change too."""
    from checker.manifests.settings import setting, url_value

    deps = []
    for entry in poetry.get("source", []) if isinstance(poetry.get("source"), list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue  # _poetry_sources has refused it already
        name = entry["name"]
        url = entry.get("url") if isinstance(entry.get("url"), str) else None
        line = _string_line(text, url, 0)[0] if url else _string_line(text, name, 0)[0]
        deps.append(setting(f"poetry.source.{name}", url_value(url) if url else _POETRY_PYPI, path, line))
        priority = entry.get("priority")
        if priority is None and entry.get("default") is True:
            priority = "default"
        elif priority is None and entry.get("secondary") is True:
            priority = "secondary"
        if priority is not None:
            deps.append(setting(f"poetry.source.{name}.priority", str(priority), path, line))
    return deps
