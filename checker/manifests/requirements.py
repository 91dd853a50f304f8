"""pip requirements files: requirements*.txt, constraints*.txt and pip-tools ``*.in`` inputs.

The syntax is pip's own ("Requirements File Format" in pip's documentation), read the way pip reads it, by three
modules this one ties together: the line grammar (logical lines, comments, a line's options:
checker/manifests/requirements_grammar.py), where a requirement comes from (direct and VCS URLs, local paths and
archives, editables, index options: checker/manifests/requirements_sources.py), and the files ``-r``/``-c`` read in
(checker/manifests/requirements_includes.py). Each logical line is a requirement, an editable (``-e``), an include
or options; a requirement that is neither a URL nor a path is a PEP 508 specifier, read here by packaging (the
usual pip-compile line, ``name==version`` with ``--hash`` options, by one pattern that packaging agrees with). A line
pip would refuse is a ManifestError naming the file and the line; what pip ignores (words after the options, ``-r``
or ``-i`` written after a requirement), lockgate ignores too.

Deliberate differences from pip, each because lockgate must judge what a file says without running it:
``${VAR}`` references are never expanded (the value is unknown here; the registry-source rule reports them);
``--hash`` on a line without a requirement, or with an empty digest, is an error (pip warns, or fails only at
install time); hashes of every algorithm are kept, md5 included, where pip refuses all but sha256/384/512
(the hash-pinning rule judges weak ones); the long-removed ``-Z/--always-unzip`` is accepted and ignored;
include cycles, includes that leave the repository and remote includes are errors, while a file included
twice without a cycle (a diamond) is fine. pip looks at the file system to tell a local directory from a
requirement; lockgate takes anything that looks like a path (a ``/``, a leading ``.``, an archive name) as
one, and names a local directory after its pyproject.toml when it has one.

Each file is parsed on its own: its dependencies are its own entries, and files named by ``-r``/``-c`` are
only listed in ``Manifest.includes`` after the include graph has been checked (cycles, missing files).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checker.errors import ManifestError
from checker.manifests.common import canonical_pypi_name
from checker.manifests.requirements_grammar import (
    ENV_VAR, Options, annotation_says_direct, logical_lines, parse_options, scope_for, split_args_options,
)
from checker.manifests.requirements_includes import Include, check_graph, include_of, resolve_include
from checker.manifests.requirements_sources import (
    PROJECT_NAME, URL_SCHEMES, PipRequirement, archive_version, check_direct_url, editable_requirement, index_options,
    is_local_path, local_path, unnamed_url, url_hashes, url_scheme, url_source, with_index,
)
from checker.model import Dependency, IndexOption, Manifest, Reader

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

# The overwhelmingly common line of a pip-compile output: ``name==version`` (extras allowed), optionally
# followed by ``--hash=algo:hex`` options. Only a strict subset of PEP 508 / PEP 440 is matched here (no
# markers, no local versions, lower-case pre/post/dev tags), so everything it accepts packaging accepts
# with the same result; anything else takes the packaging path.
_FAST_REQUIREMENT = re.compile(
    rf"(?P<name>{PROJECT_NAME})[ \t]*(?:\[[ \t]*{PROJECT_NAME}(?:[ \t]*,[ \t]*{PROJECT_NAME})*[ \t]*\][ \t]*)?==[ \t]*"
    r"(?P<version>[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?)[ \t]*"
)


# -------------------------------------------------------------------------------------------- requirements


def _fast_requirement(args: str) -> PipRequirement | None:
    """``name==version`` without building a packaging Requirement; None when the line is anything else."""
    found = _FAST_REQUIREMENT.fullmatch(args)
    if found is None:
        return None
    version = found.group("version")
    return PipRequirement(canonical_pypi_name(found.group("name")), version, f"=={version}")


def _parse_requirement(args: str, path: str, line: int, read: Reader) -> PipRequirement:
    """One requirement as pip's ``parse_req_from_line`` sees it: a URL, a local path or archive, or a
    PEP 508 specifier. Markers are split off first, at ``"; "`` after a URL and ``";"`` otherwise."""
    fast = _fast_requirement(args)
    if fast is not None:
        return fast
    is_url = url_scheme(args) in URL_SCHEMES
    requirement, separator, marker_text = args.partition("; " if is_url else ";")
    requirement = requirement.strip()
    markers = _parse_markers(marker_text, path, line) if separator else None
    if is_url:
        return unnamed_url(requirement, path, line)._replace(markers=markers)
    if is_local_path(requirement):
        return local_path(requirement, path, line, read)._replace(markers=markers)
    return _pep508_requirement(requirement, path, line)._replace(markers=markers)


def _parse_markers(text: str, path: str, line: int) -> str | None:
    text = text.strip()
    if not text:
        return None
    from packaging.markers import InvalidMarker, Marker

    try:
        return str(Marker(text))
    except InvalidMarker as exc:
        reason = str(exc).splitlines()[0]
        raise ManifestError(f"invalid environment marker {text!r}: {reason}", path, line) from None


def _pep508_requirement(text: str, path: str, line: int) -> PipRequirement:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        if ENV_VAR.search(text):
            return _requirement_with_variables(text, path, line)
        raise ManifestError(_invalid_requirement_message(text, exc), path, line) from None
    name = canonical_pypi_name(requirement.name)
    if requirement.url:
        check_direct_url(text, requirement.url, path, line)
        source = url_source(requirement.url, path, line)
        version = archive_version(requirement.url, name)
        return PipRequirement(name, version, "", source, hashes=url_hashes(requirement.url))
    specifier = str(requirement.specifier)
    return PipRequirement(name, _exact_version(requirement.specifier), specifier)


def _invalid_requirement_message(text: str, exc: Exception) -> str:
    reason = str(exc).splitlines()[0]
    message = f"invalid requirement {text!r}: {reason}"
    if "=" in text and not any(operator in text for operator in ("==", "!=", "<=", ">=", "~=")):
        message += " (= is not a valid operator; did you mean ==?)"
    return message


def _exact_version(specifier: SpecifierSet) -> str | None:
    """The pinned version when the specifier is exactly one ``==X`` (not ``==X.*``) or ``===X``."""
    specs = list(specifier)
    if len(specs) != 1:
        return None
    spec = specs[0]
    if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*")):
        return spec.version
    return None


def _requirement_with_variables(text: str, path: str, line: int) -> PipRequirement:
    """A specifier that uses ``${VAR}`` (``foo==${FOO_VERSION}``): pip expands it at install time, lockgate
    cannot know the value. The line is checked with each variable replaced by a numeric placeholder (valid
    wherever a version is), then the variables are put back: the version is unknown (None) and the
    specifier keeps the reference as written. A variable in the package name is an error: lockgate would
    not know which package to judge."""
    from packaging.requirements import InvalidRequirement, Requirement

    placeholders: dict[str, str] = {}
    for variable in dict.fromkeys(found.group(0) for found in ENV_VAR.finditer(text)):
        placeholders[f"8{len(placeholders):03d}7654321012"] = variable
    checked = text
    for placeholder, variable in placeholders.items():
        checked = checked.replace(variable, placeholder)
    try:
        requirement = Requirement(checked)
    except InvalidRequirement as exc:
        raise ManifestError(_invalid_requirement_message(text, exc), path, line) from None

    def restore(value: str) -> str:
        for placeholder, variable in placeholders.items():
            value = value.replace(placeholder, variable)
        return value

    if restore(requirement.name) != requirement.name:
        raise ManifestError(
            f"invalid requirement {text!r}: the package name uses an environment variable, "
            "lockgate cannot know which package it is",
            path,
            line,
        )
    name = canonical_pypi_name(requirement.name)
    specifier = restore(str(requirement.specifier))
    version = _exact_version(requirement.specifier)
    if version is not None and restore(version) != version:
        version = None
    return PipRequirement(name, version, specifier)


# --------------------------------------------------------------------------------------------------- parse


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse one requirements file; see the module docstring for what is read and how."""
    declared = path.lower().endswith(".in")
    scope = scope_for(path)
    physical = text.removeprefix("\ufeff").splitlines()  # pip drops a byte-order mark
    dependencies: list[Dependency] = []
    includes: list[Include] = []
    indexes: list[IndexOption] = []
    index_url: str | None = None
    for entry in logical_lines(physical):
        if not entry.text:
            continue
        args, option_text = split_args_options(entry.text)
        options = parse_options(option_text, path, entry.number)
        if args or options.get("editable"):
            direct = declared or annotation_says_direct(physical, entry)
            dependencies.append(_dependency(args, options, entry.number, path, read, scope, direct))
            continue
        if options.get("hash"):
            raise ManifestError(
                "--hash must follow a requirement on the same logical line (pip ignores it here)",
                path,
                entry.number,
            )
        included = include_of(options)
        if included is not None:
            includes.append(Include(resolve_include(included[1], path, entry.number), path, entry.number))
        indexes.extend(index_options(options, entry.number))
        if options.get("index-url"):
            index_url = options.get("index-url")[-1]
    check_graph(path, includes, read)
    if index_url is not None:
        dependencies = [with_index(dependency, index_url) for dependency in dependencies]
    return Manifest(
        path=path,
        format="requirements",
        ecosystem="pypi",
        dependencies=tuple(dependencies),
        kind="declared" if declared else "lock",
        includes=tuple(dict.fromkeys(include.target for include in includes)),
        indexes=tuple(indexes),
    )


def _dependency(
    args: str, options: Options, line: int, path: str, read: Reader, scope: str, direct: bool
) -> Dependency:
    """A requirement line, or an ``-e`` line, as a Dependency of this file. pip scopes ``--hash`` to the
    requirement on its line and ignores it for editables (which cannot be hash-checked)."""
    editable = not args
    if editable:
        requirement = editable_requirement(options.get("editable")[0], path, line, read)
        hashes: frozenset[str] = frozenset()
    else:
        requirement = _parse_requirement(args, path, line, read)
        hashes = requirement.hashes.union(options.get("hash"))
    return Dependency(
        ecosystem="pypi",
        name=requirement.name,
        version=requirement.version,
        specifier=requirement.specifier,
        source=requirement.source,
        hashes=hashes,
        scope=scope,
        direct=direct,
        manifest=path,
        line=line,
        markers=requirement.markers,
        editable=editable,
    )
