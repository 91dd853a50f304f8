"""Pipfile.lock: Pipenv's JSON lockfile (pipfile-spec 6, and the older lockfiles of the same substance).

Layout: ``_meta`` (``pipfile-spec``, ``sources`` = the named indexes), then one object per package category:
``default`` (scope prod), ``develop`` (scope dev) and, since Pipenv 2022.10, any custom category named in the
Pipfile (scope dev: installed only on request). Each package entry is keyed by name and holds ``version``
(``==X``), ``hashes``, ``index`` (a source name), ``markers``, ``extras``, or for non-registry packages ``git`` +
``ref``, ``path``, ``file`` and ``editable``.

Older lockfiles (psf/requests kept each one in its history). pipfile-spec 1 to 5 and the lockfiles written before
Pipenv numbered them (2017) have the same substance: the same categories and ``version`` / ``hashes`` entries,
with some differences lockgate reads as Pipenv read them: ``_meta.host-environment-markers`` (ignored), sources
without a ``name`` (named by their URL; packages named no index then), the project's editable install keyed by
its pip option (``"-e ."``: an editable path dependency named by its path), no ``_meta`` at all, and one
``"hash"`` per package instead of a ``hashes`` list (Pipenv 3). A spec above 6, or a file with neither ``_meta``
nor a category, is refused: its layout is unknown. The very first (no ``pipfile-spec``) also wrote a package as
its Pipfile line, ``"six": "==1.10.0"``, read as its ``version``.

Which packages are direct comes from the sibling ``Pipfile`` (``[packages]`` for ``default``, ``[dev-packages]``
for ``develop``, a category's own table otherwise); without a Pipfile every package counts as direct, the safe
side for rules that treat direct dependencies more strictly.
"""

from __future__ import annotations

import json
import posixpath
import re
from urllib.parse import urlsplit

from checker.errors import ManifestError
from checker.manifests.common import (
    canonical_pypi_name,
    expect_array,
    expect_object,
    expect_string,
    is_blank,
    json_type,
    line_of,
    load_toml,
    parse_hash,
    project_name,
)
from checker.manifests import json_strict
from checker.manifests.pypi_common import git_source, registry_source, source_from_url
from checker.model import DEFAULT_SOURCE, Dependency, IndexOption, Manifest, Reader, Source

FORMAT = "pipfile-lock"
SUPPORTED_SPECS = (1, 2, 3, 4, 5, 6)
_SCOPES = {"default": "prod", "develop": "dev"}
# The Pipfile table that declares each lock category.
_PIPFILE_TABLES = {"default": "packages", "develop": "dev-packages"}
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a Pipfile.lock into its locked dependencies and the indexes it names."""
    if is_blank(text):
        raise ManifestError("empty file, expected a Pipfile.lock lockfile (JSON)", path, None)
    members = _load_json(text, path)
    data = members.data
    assert isinstance(data, dict)  # _load_json refuses any other document
    if "_meta" not in data and not any(category in data for category in _SCOPES):
        raise ManifestError('neither "_meta" nor "default" / "develop": expected a Pipfile.lock', path, 1)
    meta = expect_object(data.get("_meta", {}), "_meta", path, _key_line(text, "_meta"))
    _check_spec(meta, text, path)
    sources = _sources(meta, text, path)
    indexes = _index_options(sources, text)
    pipfile = _pipfile_names(path, read)
    deps: list[Dependency] = []
    for category, packages in data.items():
        if category == "_meta" or (category not in _SCOPES and not isinstance(packages, dict)):
            continue
        table = expect_object(packages, f'"{category}"', path, _key_line(text, category))
        table_name: str = _PIPFILE_TABLES[category] if category in _PIPFILE_TABLES else category
        direct = None if pipfile is None else pipfile.get(table_name, frozenset())
        lines = members.lines.get(category, {})
        for raw_name, entry in table.items():
            deps.append(_dependency(raw_name, entry, category, sources, direct, lines.get(raw_name), path,
                                    legacy="pipfile-spec" not in meta))
    return Manifest(
        path=path,
        format=FORMAT,
        ecosystem="pypi",
        dependencies=tuple(deps),
        kind="lock",
        indexes=tuple(indexes),
    )


def _load_json(text: str, path: str) -> json_strict.Members:
    """The top-level object, read strictly (checker/manifests/json_strict.py), with the line of each package: a key
    written twice in one object (a hidden second ``"hashes"`` or ``"index"``, which Pipenv would silently take)
    is an error naming the key and its line; other JSON errors carry their line."""
    members = json_strict.load_members(text, path, "Pipenv")
    if not isinstance(members.data, dict):
        raise ManifestError(
            f"expected a Pipfile.lock JSON object at the top level, found {json_type(members.data)}", path, 1)
    return members


def _check_spec(meta: dict, text: str, path: str) -> None:
    """No ``pipfile-spec`` is a lockfile from before Pipenv numbered them; 1 to 6 are read alike."""
    spec = meta.get("pipfile-spec")
    if spec is not None and (type(spec) is not int or spec not in SUPPORTED_SPECS):
        raise ManifestError(
            f"unsupported pipfile-spec {spec!r} (lockgate reads {SUPPORTED_SPECS[0]} to {SUPPORTED_SPECS[-1]})", path,
            _key_line(text, "pipfile-spec"),
        )


def _sources(meta: dict, text: str, path: str) -> dict[str, dict]:
    """``_meta.sources`` by name: each a table with ``url`` and ``verify_ssl``."""
    entries = expect_array(meta.get("sources", []), "_meta.sources", path, _key_line(text, "sources"))
    sources = {}
    for entry in entries:
        table = expect_object(entry, "each of _meta.sources", path, _key_line(text, "sources"))
        url = expect_string(table.get("url"), "_meta.sources url", path, _key_line(text, "sources"))
        name = url  # pipfile-spec 3 and older: sources had no name (and packages named no index)
        if "name" in table:
            name = expect_string(table["name"], "_meta.sources name", path, _key_line(text, "sources"))
        try:
            urlsplit(url).hostname
        except ValueError as exc:  # ``https://[bad``: the trusted-host of a source without TLS checks is its host
            raise ManifestError(f"_meta.sources {name} url {url!r} is not a valid URL: {exc}", path,
                                _string_line(text, url)) from None
        sources[name] = table
    return sources


def _index_options(sources: dict[str, dict], text: str) -> list[IndexOption]:
    """Every source as an ``index``; a source with ``verify_ssl: false`` also as a ``trusted-host``, because
    Pipenv then fetches from it without checking its TLS certificate."""
    options = []
    for table in sources.values():
        url = table["url"]
        line = _string_line(text, url)
        options.append(IndexOption("index", url, line))
        if table.get("verify_ssl") is False:
            options.append(IndexOption("trusted-host", urlsplit(url).hostname or url, line))
    return options


def _dependency(
    raw_name: str,
    entry: object,
    category: str,
    sources: dict[str, dict],
    direct_names: frozenset[str] | None,
    line: int | None,
    path: str,
    legacy: bool = False,
) -> Dependency:
    what = f'"{category}" package {raw_name!r}'
    if isinstance(entry, str) and legacy:
        entry = {"version": entry}  # Pipenv's first lockfiles, as the Pipfile says it: "six": "==1.10.0"
    entry = expect_object(entry, what, path, line)
    if raw_name.startswith("-e "):
        return _editable_key(raw_name, entry, category, direct_names, line, path)
    name = project_name(raw_name, f'"{category}" package', path, line)
    specifier = entry.get("version")
    specifier = "" if specifier is None else expect_string(specifier, f"{what} version", path, line)
    version = _exact(specifier)
    source, url_hashes = _source(entry, what, sources, path, line)
    if version is None and source.kind == "git" and source.commit:
        version = source.commit
    markers = entry.get("markers")
    return Dependency(
        ecosystem="pypi",
        name=name,
        version=version,
        specifier=specifier,
        source=source,
        hashes=_hashes(entry, what, path, line) | url_hashes,
        scope=_SCOPES.get(category, "dev"),
        direct=True if direct_names is None else name in direct_names,
        manifest=path,
        line=line,
        markers=None if markers is None else expect_string(markers, f"{what} markers", path, line),
        editable=entry.get("editable") is True,
    )


def _editable_key(raw_name: str, entry: dict, category: str, direct_names: frozenset[str] | None,
                  line: int | None, path: str) -> Dependency:
    """pipfile-spec 3 and older keyed an editable install by its pip option (``"-e .": {"extras": [...]}``):
    a path dependency, named by its path (no package name is written)."""
    location = raw_name[len("-e "):].strip()
    if not location:
        raise ManifestError(f'"{category}" package {raw_name!r} names no path to install', path, line)
    return Dependency(ecosystem="pypi", name=location, version=None, specifier="",
                      source=Source(kind="path", url=location), scope=_SCOPES.get(category, "dev"),
                      direct=True if direct_names is None else location in direct_names, manifest=path, line=line,
                      editable=True)


def _exact(specifier: str) -> str | None:
    """``==1.2.3`` -> ``1.2.3``; anything else (a range, ``*``, nothing) -> None."""
    for operator in ("===", "=="):
        if specifier.startswith(operator):
            version = specifier[len(operator) :].strip()
            return version if version and "*" not in version else None
    return None


def _source(
    entry: dict, what: str, sources: dict[str, dict], path: str, line: int | None
) -> tuple[Source, frozenset[str]]:
    """Where the package comes from: git + ref, a local path, a file URL, or a named index."""
    if "git" in entry:
        url = expect_string(entry["git"], f"{what} git", path, line)
        ref = entry.get("ref")
        return git_source(url, None if ref is None else expect_string(ref, f"{what} ref", path, line)), frozenset()
    if "path" in entry:
        return Source(kind="path", url=expect_string(entry["path"], f"{what} path", path, line)), frozenset()
    if "file" in entry:
        location = expect_string(entry["file"], f"{what} file", path, line)
        if _URL_SCHEME.match(location) or location.lower().startswith("file:"):
            try:
                return source_from_url(location)
            except ValueError as exc:  # urlsplit: a malformed URL (``https://[bad``)
                raise ManifestError(f"{what} file {location!r} is not a valid URL: {exc}", path, line) from None
        return Source(kind="path", url=location), frozenset()
    if "index" in entry:
        index = expect_string(entry["index"], f"{what} index", path, line)
        if index not in sources:
            known = ", ".join(sorted(sources)) or "none"
            raise ManifestError(f"{what}: unknown index {index!r} (sources: {known})", path, line)
        return registry_source(sources[index]["url"]), frozenset()
    if sources:  # no index named: pipenv installs from its sources, the first as the index
        return registry_source(next(iter(sources.values()))["url"]), frozenset()
    return DEFAULT_SOURCE, frozenset()


def _hashes(entry: dict, what: str, path: str, line: int | None) -> frozenset[str]:
    """``hashes`` (a list), or Pipenv 3's single ``hash``."""
    hashes = set()
    listed = expect_array(entry.get("hashes", []), f"{what} hashes", path, line)
    if "hash" in entry:
        listed = [*listed, entry["hash"]]
    for item in listed:
        text = expect_string(item, f"each of {what} hashes", path, line)
        parsed = parse_hash(text)
        if parsed is None:
            raise ManifestError(f"{what}: {text!r} is not a hash (expected algo:hex)", path, line)
        hashes.add(parsed)
    return frozenset(hashes)


def _pipfile_names(path: str, read: Reader) -> dict[str, frozenset[str]] | None:
    """Canonical package names of each table of the sibling Pipfile, or None when there is none."""
    pipfile_path = posixpath.join(posixpath.dirname(path), "Pipfile")
    text = read(pipfile_path)
    if text is None:
        return None
    data = load_toml(text, pipfile_path)
    names = {}
    for table, packages in data.items():
        if isinstance(packages, dict) and table not in ("source", "requires", "pipenv", "scripts"):
            names[table] = frozenset(canonical_pypi_name(name) for name in packages)
    return names


# ---------------------------------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------------------------------


def _key_line(text: str, key: str) -> int | None:
    """Line of the first ``"key":`` in the text, or None."""
    found = re.search(re.escape(json.dumps(key)) + r"\s*:", text)
    return line_of(text, found.start()) if found else None


def _string_line(text: str, value: str) -> int | None:
    at = text.find(json.dumps(value))
    return line_of(text, at) if at >= 0 else None

