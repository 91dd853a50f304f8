"""pip requirements files: requirements*.txt, constraints*.txt and pip-tools ``*.in`` inputs.

The syntax is pip's own ("Requirements File Format" in pip's documentation), read the way pip reads it:
physical lines are joined on a trailing backslash, comments are stripped with pip's regex ``(^|\\s+)#.*$``
(so ``#egg=``, ``#sha256=`` and ``#subdirectory=`` inside a URL survive), each logical line is cut into a
requirement part and an options part at the first space-separated token that starts with ``-``, and the
options are read like pip's optparse parser reads them (``--opt=value``, ``--opt value``, ``-ovalue``,
unambiguous abbreviations of long options). A line pip would refuse is a ManifestError naming the file and
the line; what pip ignores (words after the options, ``-r`` or ``-i`` written after a requirement), lockgate
ignores too.

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

import posixpath
import re
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from checker.errors import ManifestError
from checker.manifests import MAX_INCLUDED_FILES
from checker.manifests.common import canonical_pypi_name, hash_string, load_toml
from checker.manifests.requirements_grammar import (
    ENV_VAR,
    Include,
    Line,
    Options,
    include_of,
    logical_lines,
    parse_options,
    resolve_include,
    scan_includes,
    scope_for,
    split_args_options,
)
from checker.model import Dependency, IndexOption, Manifest, Reader, Source

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

# The overwhelmingly common line of a pip-compile output: ``name==version`` (extras allowed), optionally
# followed by ``--hash=algo:hex`` options. Only a strict subset of PEP 508 / PEP 440 is matched here (no
# markers, no local versions, lower-case pre/post/dev tags), so everything it accepts packaging accepts
# with the same result; anything else takes the packaging path.
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_FAST_REQUIREMENT = re.compile(
    rf"(?P<name>{_NAME})[ \t]*(?:\[[ \t]*{_NAME}(?:[ \t]*,[ \t]*{_NAME})*[ \t]*\][ \t]*)?==[ \t]*"
    r"(?P<version>[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?)[ \t]*"
)

_FULL_SHA = re.compile(r"[0-9a-fA-F]{40}")
_URL_HASH = re.compile(r"[#&](sha512|sha384|sha256|sha224|sha1|md5)=([^&]*)")
_EGG = re.compile(r"[#&]egg=([^&]*)")
_SUBDIRECTORY = re.compile(r"[#&]subdirectory=([^&]*)")

# pip's version-control URL schemes (pip/_internal/vcs/*.py) and the plain URL schemes it accepts.
_GIT_SCHEMES = frozenset({"git+http", "git+https", "git+ssh", "git+git", "git+file"})
_VCS_SCHEMES = _GIT_SCHEMES | frozenset(
    {
        "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
        "svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
        "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file",
    }
)  # fmt: skip
_URL_SCHEMES = frozenset({"http", "https", "file", "ftp"}) | _VCS_SCHEMES
_ARCHIVE_EXTENSIONS = (
    ".zip", ".whl", ".tar.bz2", ".tbz", ".tar.gz", ".tgz", ".tar", ".tar.xz", ".txz", ".tlz", ".tar.lz",
    ".tar.lzma",
)  # fmt: skip


# Options that configure where packages come from; recorded in Manifest.indexes.
_INDEX_DESTS = ("index-url", "extra-index-url", "trusted-host", "find-links")



# -------------------------------------------------------------------------------------------- requirements


class _Requirement(NamedTuple):
    """What one requirement says, before file-level facts (scope, direct, line) are added."""

    name: str
    version: str | None = None
    specifier: str = ""
    source: Source = Source()
    markers: str | None = None
    hashes: frozenset[str] = frozenset()


def _fast_requirement(args: str) -> _Requirement | None:
    """``name==version`` without building a packaging Requirement; None when the line is anything else."""
    found = _FAST_REQUIREMENT.fullmatch(args)
    if found is None:
        return None
    version = found.group("version")
    return _Requirement(canonical_pypi_name(found.group("name")), version, f"=={version}")


def _parse_requirement(args: str, path: str, line: int, read: Reader) -> _Requirement:
    """One requirement as pip's ``parse_req_from_line`` sees it: a URL, a local path or archive, or a
    PEP 508 specifier. Markers are split off first, at ``"; "`` after a URL and ``";"`` otherwise."""
    fast = _fast_requirement(args)
    if fast is not None:
        return fast
    is_url = _url_scheme(args) in _URL_SCHEMES
    requirement, separator, marker_text = args.partition("; " if is_url else ";")
    requirement = requirement.strip()
    markers = _parse_markers(marker_text, path, line) if separator else None
    if is_url:
        return _unnamed_url(requirement, path, line)._replace(markers=markers)
    if _is_local_path(requirement):
        return _local_path(requirement, path, line, read)._replace(markers=markers)
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


def _url_scheme(text: str) -> str | None:
    scheme, colon, _ = text.partition(":")
    return scheme.lower() if colon else None


def _looks_like_path(text: str) -> bool:
    """pip's ``_looks_like_path``: a path separator, or a leading dot."""
    return "/" in text or text.startswith(".")


def _is_archive(text: str) -> bool:
    return text.lower().endswith(_ARCHIVE_EXTENSIONS)


def _is_local_path(text: str) -> bool:
    """Whether pip would take this as a local directory or archive rather than a PEP 508 specifier.

    pip checks the file system (is it a directory? an existing file?); lockgate cannot, so anything that
    looks like a path or names an archive is a path, except ``name @ url`` where the part before the ``@``
    does not look like a path (pip's own exception)."""
    before_at, at, _ = text.partition("@")
    if at and not _looks_like_path(before_at):
        return False
    bare = _strip_extras(text)
    return _looks_like_path(bare) or _is_archive(bare)


def _strip_extras(text: str) -> str:
    r"""``text`` less a trailing ``[extras]`` (pip's ``^(.+)(\[[^\]]+\])$`` on one line: the last ``[`` after any
    inner ``]``, with something before it and inside it), found with two searches: the regular expression
    backtracks quadratically on a run of ``[``."""
    if not text.endswith("]"):
        return text
    last = len(text) - 1
    at = text.rfind("[", max(text.rfind("]", 0, last) + 1, 1), last - 1)
    return text[:at] if at >= 0 else text


def _pep508_requirement(text: str, path: str, line: int) -> _Requirement:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        if ENV_VAR.search(text):
            return _requirement_with_variables(text, path, line)
        raise ManifestError(_invalid_requirement_message(text, exc), path, line) from None
    name = canonical_pypi_name(requirement.name)
    if requirement.url:
        _check_direct_url(text, requirement.url, path, line)
        source = _url_source(requirement.url, path, line)
        version = _archive_version(requirement.url, name)
        return _Requirement(name, version, "", source, hashes=_url_hashes(requirement.url))
    specifier = str(requirement.specifier)
    return _Requirement(name, _exact_version(requirement.specifier), specifier)


def _check_direct_url(text: str, url: str, path: str, line: int) -> None:
    """``name @ url`` needs a real URL (a scheme, and a host unless it is ``file:``), as pip's packaging
    checks it; newer packaging releases accept any word (``foo@1.0``, ``foo @ ./dir``), pip does not."""
    parts = _split_url(url, path, line)
    if not parts.scheme or len(parts.scheme) == 1 or (parts.scheme.lower() != "file" and not parts.netloc):
        raise ManifestError(
            f"invalid requirement {text!r}: {url!r} is not a URL (expected scheme://host/..., or file:)",
            path,
            line,
        )


def _split_url(url: str, path: str, line: int) -> SplitResult:
    """urlsplit, with a malformed URL (``https://[::1``) reported as the file's error."""
    try:
        return urlsplit(url)
    except ValueError as exc:
        raise ManifestError(f"invalid URL {url!r}: {exc}", path, line) from None


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


def _requirement_with_variables(text: str, path: str, line: int) -> _Requirement:
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
    return _Requirement(name, version, specifier)


def _unnamed_url(url: str, path: str, line: int) -> _Requirement:
    """A bare URL line (``git+https://...#egg=name``, ``https://.../foo-1.0.tar.gz``): the name comes from
    a wheel filename, the ``#egg=`` fragment, an archive filename, or the last part of the URL path."""
    _split_url(url, path, line)
    source = _url_source(url, path, line)
    hashes = _url_hashes(url)
    filename = _url_filename(url)
    if filename.lower().endswith(".whl"):
        name, version = _wheel_name_version(filename, path, line)
        return _Requirement(name, version, "", source, hashes=hashes)
    egg = _egg_name(url, path, line)
    if egg is not None:
        return _Requirement(egg, _archive_version(url, egg), "", source, hashes=hashes)
    if _is_archive(filename):
        name, version = _archive_name_version(filename)
        if version is None:  # `main.tar.gz`, `v1.2.zip`: the archive is named by a ref, not by the project
            name = _archive_repository(url) or name
        return _Requirement(name, version, "", source, hashes=hashes)
    return _Requirement(_name_from_url(url), None, "", source, hashes=hashes)


def _archive_repository(url: str) -> str | None:
    """The repository of a forge's archive URL (GitHub ``/owner/repo/archive/refs/heads/main.tar.gz``, GitLab
    ``/owner/repo/-/archive/...``), whose file is named by a branch, tag or commit: the best name such a line
    offers (pip learns the real one by building it). Five such lines of pallets/flask's requirements/tests-dev.txt
    were all named ``main``, as one dependency (found by benchmarks/replay.py)."""
    parts = [part for part in urlsplit(url).path.split("/") if part]
    if "archive" not in parts:
        return None
    before = parts[: parts.index("archive")]
    if before and before[-1] == "-":
        before.pop()
    if len(before) < 2:
        return None
    name = before[-1].removesuffix(".git")
    return canonical_pypi_name(name) if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) else None


def _url_source(url: str, path: str, line: int) -> Source:
    """git (repository, ref, full commit), path for ``file:`` URLs, url for everything else."""
    scheme = _url_scheme(url)
    if scheme in _GIT_SCHEMES:
        return _git_source(url, path, line)
    if scheme == "file":
        return Source(kind="path", url=url)
    return Source(kind="url", url=url)


def _git_source(url: str, path: str, line: int) -> Source:
    """Split ``git+https://host/repo.git@ref#egg=x`` as pip does: the ref is what follows the last ``@``
    of the URL path (an ``@`` in the host part is a user name), and the fragment is dropped."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[1]
    repo_path, at, ref = parts.path.rpartition("@")
    if not at:
        repo_path, ref = parts.path, ""
    elif not ref:
        raise ManifestError(f"the URL {url!r} has an empty revision after @", path, line)
    repository = urlunsplit((scheme, parts.netloc, repo_path, parts.query, ""))
    commit = ref.lower() if _FULL_SHA.fullmatch(ref) else None
    return Source(kind="git", url=repository, ref=ref or None, commit=commit)


def _url_hashes(url: str) -> frozenset[str]:
    """Hashes a URL carries in its fragment (``#sha256=...``); pip checks these too."""
    _, _, fragment = url.partition("#")
    if not fragment:
        return frozenset()
    return frozenset(hash_string(a, d) for a, d in _URL_HASH.findall("#" + fragment) if d)


def _url_filename(url: str) -> str:
    path = urlsplit(url).path if "://" in url else url.split("#", 1)[0]
    if "@" in path and _url_scheme(url) in _VCS_SCHEMES:
        path = path.rpartition("@")[0]
    return unquote(posixpath.basename(path.rstrip("/")))


def _egg_name(url: str, path: str, line: int) -> str | None:
    _, _, fragment = url.partition("#")
    found = _EGG.search("#" + fragment) if fragment else None
    if found is None or not found.group(1):
        return None
    egg = _strip_extras(found.group(1))
    if not re.fullmatch(_NAME, egg):
        raise ManifestError(f"#egg={found.group(1)} is not a valid project name", path, line)
    return canonical_pypi_name(egg)


def _wheel_name_version(filename: str, path: str, line: int) -> tuple[str, str]:
    """Name and version from a wheel filename (``name-version(-build)?-py-abi-platform.whl``)."""
    from packaging.utils import InvalidWheelFilename, parse_wheel_filename

    try:
        name, _, _, _ = parse_wheel_filename(filename)
    except InvalidWheelFilename as exc:
        raise ManifestError(f"invalid wheel filename {filename!r}: {exc}", path, line) from None
    return str(name), filename.split("-")[1]


def _archive_name_version(filename: str) -> tuple[str, str | None]:
    """Name and version from an sdist filename (``name-version.tar.gz``); the version is None when the
    filename does not carry one."""
    stem = _archive_stem(filename)
    name, dash, version = stem.rpartition("-")
    if dash and name and _is_version(version):
        return canonical_pypi_name(name), version
    return canonical_pypi_name(stem), None


def _archive_version(url: str, name: str) -> str | None:
    """The version an archive URL names, when its filename is ``<name>-<version>.<ext>`` for this very
    package (``https://.../foo-1.2.tar.gz`` for foo); None otherwise (a GitHub ``refs/tags/1.2.zip``)."""
    filename = _url_filename(url)
    if filename.lower().endswith(".whl"):
        parts = filename.split("-")
        if len(parts) >= 5 and canonical_pypi_name(parts[0]) == name and _is_version(parts[1]):
            return parts[1]
        return None
    if not _is_archive(filename):
        return None
    archive_name, version = _archive_name_version(filename)
    return version if archive_name == name else None


def _archive_stem(filename: str) -> str:
    lower = filename.lower()
    for extension in sorted(_ARCHIVE_EXTENSIONS, key=len, reverse=True):
        if lower.endswith(extension):
            return filename[: -len(extension)]
    return filename


def _is_version(text: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except (InvalidVersion, ValueError):  # ValueError: a release number over Python's digit limit
        return False
    return True


def _name_from_url(url: str) -> str:
    """The best name a URL without ``#egg=`` offers: its ``subdirectory=``, else the last path part."""
    _, _, fragment = url.partition("#")
    found = _SUBDIRECTORY.search("#" + fragment) if fragment else None
    if found is not None and found.group(1).strip("/"):
        return canonical_pypi_name(posixpath.basename(found.group(1).strip("/")))
    last = _url_filename(url)
    if last.endswith(".git"):
        last = last[: -len(".git")]
    return canonical_pypi_name(last or url)


def _local_path(text: str, path: str, line: int, read: Reader) -> _Requirement:
    """A local directory or archive (``./pkg``, ``../x``, ``.``, ``dist/foo-1.0-py3-none-any.whl``)."""
    bare = _strip_extras(text)
    source = Source(kind="path", url=bare)
    filename = posixpath.basename(bare.rstrip("/"))
    if filename.lower().endswith(".whl"):
        name, version = _wheel_name_version(filename, path, line)
        return _Requirement(name, version, "", source)
    if _is_archive(filename):
        name, version = _archive_name_version(filename)
        return _Requirement(name, version, "", source)
    return _Requirement(_directory_name(bare, read), None, "", source)


def _directory_name(directory: str, read: Reader) -> str:
    """The project name of a local directory: its pyproject.toml ``[project] name`` (or Poetry's) when the
    directory is inside the repository, else the directory's last component. Local paths are relative to
    where pip runs, which lockgate takes to be the repository root."""
    normal = posixpath.normpath(directory.replace("\\", "/"))
    if not (normal.startswith("/") or normal == ".." or normal.startswith("../")):
        declared = _pyproject_name(normal, read)
        if declared is not None:
            return declared
    last = posixpath.basename(normal)
    if last in ("", ".", ".."):
        return normal
    return canonical_pypi_name(last)


def _pyproject_name(directory: str, read: Reader) -> str | None:
    target = "pyproject.toml" if directory == "." else f"{directory}/pyproject.toml"
    try:
        text = read(target)
        if text is None:
            return None
        document = load_toml(text, target)
    except ManifestError:
        return None  # a broken pyproject.toml is reported when that file itself is parsed
    tool = document.get("tool")
    for table in (document.get("project"), tool.get("poetry") if isinstance(tool, dict) else None):
        if isinstance(table, dict) and isinstance(table.get("name"), str) and table["name"].strip():
            return canonical_pypi_name(table["name"].strip())
    return None


def _editable(target: str, path: str, line: int, read: Reader) -> _Requirement:
    """``-e`` / ``--editable``: a local project directory or a VCS URL, as pip's
    ``parse_editable_requirement`` allows; anything else (an archive URL) is refused, as pip refuses it."""
    if _url_scheme(target) in ("git", "hg", "svn", "bzr"):
        target = f"{_url_scheme(target)}+{target}"  # pip reads ``git://host/repo`` as ``git+git://...``
    bare = _strip_extras(target)
    scheme = _url_scheme(bare)
    if scheme in _URL_SCHEMES:
        _split_url(target, path, line)
    if scheme == "file":
        egg = _egg_name(bare, path, line)
        return _Requirement(egg or _name_from_url(bare), None, "", Source(kind="path", url=bare))
    if scheme in _VCS_SCHEMES:
        egg = _egg_name(target, path, line)
        return _Requirement(egg or _name_from_url(target), None, "", _url_source(target, path, line))
    if scheme in _URL_SCHEMES:
        raise ManifestError(
            f"{target!r} is not a valid editable requirement: it should be a path to a local project or a "
            "VCS URL (git+https://..., hg+https://..., svn+https://..., bzr+https://...)",
            path,
            line,
        )
    return _Requirement(_directory_name(bare, read), None, "", Source(kind="path", url=bare))


# -------------------------------------------------------------------------------------- scope and direct


def _annotation_says_direct(physical: list[str], entry: Line) -> bool:
    """Whether the pip-compile annotation of an entry makes it a direct dependency.

    pip-compile writes what pulled each pin in, below it (``# via -r requirements/main.in``, or ``# via``
    followed by one ``#   name`` line per reason) or beside it (``# via pkg-a, pkg-b``). An entry is direct
    when one reason is a requirements input (``-r file`` / ``-c file``), or when there is no annotation
    at all (a hand-written file).
    """
    comments = [entry.comment] if entry.comment else []
    index = entry.last + 1
    while index < len(physical):
        stripped = physical[index].lstrip()
        if not stripped.startswith("#"):
            break
        comments.append(stripped)
        index += 1
    reasons: list[str] = []
    annotated = in_via = False
    for comment in comments:
        body = comment[1:]
        text = body.strip()
        if text == "via" or text.startswith("via "):
            annotated = in_via = True
            reasons.extend(part.strip() for part in text[3:].split(",") if part.strip())
        elif in_via and text and body.startswith("  "):
            reasons.append(text)
        else:
            in_via = False
    if not annotated:
        return True
    return any(reason.startswith(("-r ", "-c ")) for reason in reasons)


class _IncludeGraph:
    """Walks the include graph from one file to prove it finite, closed and readable.

    Errors are reported where the offending directive is written: a missing file at the ``-r`` that names
    it, a cycle at the include where the cycle starts (so ``a.txt -> b.txt -> a.txt`` is reported at a.txt's
    ``-r b.txt``). Files reached twice without a cycle (a diamond) are fine and read once.
    """

    def __init__(self, root: str, read: Reader) -> None:
        self.root = root
        self.read = read
        self.checked: set[str] = set()
        self.visited: set[str] = set()

    def check(self, includes: list[Include]) -> None:
        self._walk([self.root], [], includes)

    def _walk(self, chain: list[str], lines: list[Include], includes: list[Include]) -> None:
        for include in includes:
            if include.target in chain:
                start = chain.index(include.target)
                cycle = " -> ".join(chain[start:] + [include.target])
                raise self._error(f"include cycle: {cycle}", lines[start] if start < len(lines) else include)
            if include.target in self.checked:
                continue
            if include.target not in self.visited and len(self.visited) >= MAX_INCLUDED_FILES:
                raise self._error(f"too many included files: more than {MAX_INCLUDED_FILES}", include)
            self.visited.add(include.target)
            text = self.read(include.target)
            if text is None:
                raise self._error(f"include not found: {include.target}", include)
            try:
                nested = scan_includes(text, include.target)
            except ManifestError as exc:
                raise ManifestError(f"{exc.message} (reached from {self.root})", exc.path, exc.line) from None
            self._walk(chain + [include.target], lines + [include], nested)
            self.checked.add(include.target)

    def _error(self, message: str, where: Include) -> ManifestError:
        """An error at the directive that causes it, saying which file's parse reached it when that is
        another file."""
        if where.path != self.root:
            message += f" (reached from {self.root})"
        return ManifestError(message, where.path, where.line)


# ------------------------------------------------------------------------------------------------- parse


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
            direct = declared or _annotation_says_direct(physical, entry)
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
        indexes.extend(_index_options(options, entry.number))
        if options.get("index-url"):
            index_url = options.get("index-url")[-1]
    _IncludeGraph(path, read).check(includes)
    if index_url is not None:
        dependencies = [_with_index(dependency, index_url) for dependency in dependencies]
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
        requirement = _editable(options.get("editable")[0], path, line, read)
        hashes = frozenset()
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


def _index_options(options: Options, line: int) -> list[IndexOption]:
    """Package sources an option line configures. pip reads only the first ``--find-links`` of a line."""
    found = []
    for dest in _INDEX_DESTS:
        values = options.get(dest)
        if dest == "find-links":
            values = values[:1]
        found.extend(IndexOption(dest, value, line) for value in values)
    return found


def _with_index(dependency: Dependency, index_url: str) -> Dependency:
    """Registry dependencies come from the file's ``--index-url`` when it sets one (pip applies the last
    one to the whole run, wherever it is written)."""
    if dependency.source.kind != "registry":
        return dependency
    return dependency._replace(source=Source(kind="registry", url=index_url))
