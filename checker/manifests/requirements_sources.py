"""Where a pip requirement comes from: direct URLs, version-control URLs, local paths and archives, editables, and
the index options of a requirements file, each turned into the model's Source (checker/model.py).

What pip accepts, read as pip reads it (pip/_internal/req/constructors.py, pip/_internal/vcs/)::

    url-line      = url-scheme ":" { any character } ;     (* a bare URL line: git+https://host/repo@ref#egg=name *)
    url-scheme    = "http" | "https" | "file" | "ftp" | vcs-scheme ;
    vcs-scheme    = ( "git" | "hg" | "svn" | "bzr" ) "+" transport ;   (* _VCS_SCHEMES *)
    direct-url    = name [ extras ] "@" url ;               (* PEP 508: a scheme, and a host unless file: *)
    local-path    = path [ extras ] ;                       (* a "/", a leading ".", or an archive's name *)
    editable      = local-path | vcs-url | "file:" url ;    (* -e / --editable; git://... reads as git+git://... *)
    fragment      = "#" param { "&" param } ;
    param         = "egg=" name | "subdirectory=" path | hash-name "=" hex | other ;

The name of an unnamed URL or path comes from a wheel's file name, the ``#egg=`` fragment, an sdist's file name
(``name-version.tar.gz``), a forge archive's repository (``github.com/owner/repo/archive/main.tar.gz``), the
``subdirectory=`` or the last part of the path; a local directory's from its pyproject.toml when the repository
holds it. A git URL's ref is what follows the last ``@`` of its path, and a full 40-hex ref is the commit. Hashes
in the fragment (``#sha256=``) are pip's too. pip looks at the file system to tell a local directory from a
requirement; lockgate takes anything that looks like a path (a ``/``, a leading ``.``, an archive's name) as one.
A URL urllib cannot split, a direct URL that is not one, an invalid wheel file name or ``#egg=`` name, and an
editable that is neither a local project nor a VCS URL are errors with their line, as pip refuses them.
"""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from checker.errors import ManifestError
from checker.manifests.common import canonical_pypi_name, hash_string, load_toml
from checker.manifests.requirements_grammar import Options
from checker.model import Dependency, IndexOption, Reader, Source

# A project name as PEP 508 writes it.
PROJECT_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"

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
URL_SCHEMES = frozenset({"http", "https", "file", "ftp"}) | _VCS_SCHEMES
_ARCHIVE_EXTENSIONS = (
    ".zip", ".whl", ".tar.bz2", ".tbz", ".tar.gz", ".tgz", ".tar", ".tar.xz", ".txz", ".tlz", ".tar.lz",
    ".tar.lzma",
)  # fmt: skip

# Options that configure where packages come from; recorded in Manifest.indexes.
_INDEX_DESTS = ("index-url", "extra-index-url", "trusted-host", "find-links")


# -------------------------------------------------------------------------------------------- requirements


class PipRequirement(NamedTuple):
    """What one requirement says, before file-level facts (scope, direct, line) are added."""

    name: str
    version: str | None = None
    specifier: str = ""
    source: Source = Source()
    markers: str | None = None
    hashes: frozenset[str] = frozenset()


def _looks_like_path(text: str) -> bool:
    """pip's ``_looks_like_path``: a path separator, or a leading dot."""
    return "/" in text or text.startswith(".")


def _is_archive(text: str) -> bool:
    return text.lower().endswith(_ARCHIVE_EXTENSIONS)


def is_local_path(text: str) -> bool:
    """Whether pip would take this as a local directory or archive rather than a PEP 508 specifier.

    pip checks the file system (is it a directory? an existing file?); lockgate cannot, so anything that
    looks like a path or names an archive is a path, except ``name @ url`` where the part before the ``@``
    does not look like a path (pip's own exception)."""
    before_at, at, _ = text.partition("@")
    if at and not _looks_like_path(before_at):
        return False
    bare = strip_extras(text)
    return _looks_like_path(bare) or _is_archive(bare)


def strip_extras(text: str) -> str:
    r"""``text`` less a trailing ``[extras]`` (pip's ``^(.+)(\[[^\]]+\])$`` on one line: the last ``[`` after any
    inner ``]``, with something before it and inside it), found with two searches: the regular expression
    backtracks quadratically on a run of ``[``."""
    if not text.endswith("]"):
        return text
    last = len(text) - 1
    at = text.rfind("[", max(text.rfind("]", 0, last) + 1, 1), last - 1)
    return text[:at] if at >= 0 else text


def url_scheme(text: str) -> str | None:
    scheme, colon, _ = text.partition(":")
    return scheme.lower() if colon else None


def check_direct_url(text: str, url: str, path: str, line: int) -> None:
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


def unnamed_url(url: str, path: str, line: int) -> PipRequirement:
    """A bare URL line (``git+https://...#egg=name``, ``https://.../foo-1.0.tar.gz``): the name comes from
    a wheel filename, the ``#egg=`` fragment, an archive filename, or the last part of the URL path."""
    _split_url(url, path, line)
    source = url_source(url, path, line)
    hashes = url_hashes(url)
    filename = _url_filename(url)
    version: str | None
    if filename.lower().endswith(".whl"):
        name, version = _wheel_name_version(filename, path, line)
        return PipRequirement(name, version, "", source, hashes=hashes)
    egg = _egg_name(url, path, line)
    if egg is not None:
        return PipRequirement(egg, archive_version(url, egg), "", source, hashes=hashes)
    if _is_archive(filename):
        name, version = _archive_name_version(filename)
        if version is None:  # `main.tar.gz`, `v1.2.zip`: the archive is named by a ref, not by the project
            name = _archive_repository(url) or name
        return PipRequirement(name, version, "", source, hashes=hashes)
    return PipRequirement(_name_from_url(url), None, "", source, hashes=hashes)


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


def url_source(url: str, path: str, line: int) -> Source:
    """git (repository, ref, full commit), path for ``file:`` URLs, url for everything else."""
    scheme = url_scheme(url)
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


def url_hashes(url: str) -> frozenset[str]:
    """Hashes a URL carries in its fragment (``#sha256=...``); pip checks these too."""
    _, _, fragment = url.partition("#")
    if not fragment:
        return frozenset()
    return frozenset(hash_string(a, d) for a, d in _URL_HASH.findall("#" + fragment) if d)


def _url_filename(url: str) -> str:
    path = urlsplit(url).path if "://" in url else url.split("#", 1)[0]
    if "@" in path and url_scheme(url) in _VCS_SCHEMES:
        path = path.rpartition("@")[0]
    return unquote(posixpath.basename(path.rstrip("/")))


def _egg_name(url: str, path: str, line: int) -> str | None:
    _, _, fragment = url.partition("#")
    found = _EGG.search("#" + fragment) if fragment else None
    if found is None or not found.group(1):
        return None
    egg = strip_extras(found.group(1))
    if not re.fullmatch(PROJECT_NAME, egg):
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


def archive_version(url: str, name: str) -> str | None:
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


def local_path(text: str, path: str, line: int, read: Reader) -> PipRequirement:
    """A local directory or archive (``./pkg``, ``../x``, ``.``, ``dist/foo-1.0-py3-none-any.whl``)."""
    bare = strip_extras(text)
    source = Source(kind="path", url=bare)
    filename = posixpath.basename(bare.rstrip("/"))
    version: str | None
    if filename.lower().endswith(".whl"):
        name, version = _wheel_name_version(filename, path, line)
        return PipRequirement(name, version, "", source)
    if _is_archive(filename):
        name, version = _archive_name_version(filename)
        return PipRequirement(name, version, "", source)
    return PipRequirement(_directory_name(bare, read), None, "", source)


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


# ----------------------------------------------------------------------------------------------- editables


def editable_requirement(target: str, path: str, line: int, read: Reader) -> PipRequirement:
    """``-e`` / ``--editable``: a local project directory or a VCS URL, as pip's
    ``parse_editable_requirement`` allows; anything else (an archive URL) is refused, as pip refuses it."""
    if url_scheme(target) in ("git", "hg", "svn", "bzr"):
        target = f"{url_scheme(target)}+{target}"  # pip reads ``git://host/repo`` as ``git+git://...``
    bare = strip_extras(target)
    scheme = url_scheme(bare)
    if scheme in URL_SCHEMES:
        _split_url(target, path, line)
    if scheme == "file":
        egg = _egg_name(bare, path, line)
        return PipRequirement(egg or _name_from_url(bare), None, "", Source(kind="path", url=bare))
    if scheme in _VCS_SCHEMES:
        egg = _egg_name(target, path, line)
        return PipRequirement(egg or _name_from_url(target), None, "", url_source(target, path, line))
    if scheme in URL_SCHEMES:
        raise ManifestError(
            f"{target!r} is not a valid editable requirement: it should be a path to a local project or a "
            "VCS URL (git+https://..., hg+https://..., svn+https://..., bzr+https://...)",
            path,
            line,
        )
    return PipRequirement(_directory_name(bare, read), None, "", Source(kind="path", url=bare))


# ------------------------------------------------------------------------------------------- index options


def index_options(options: Options, line: int) -> list[IndexOption]:
    """Package sources an option line configures. pip reads only the first ``--find-links`` of a line."""
    found: list[IndexOption] = []
    for dest in _INDEX_DESTS:
        values = options.get(dest)
        if dest == "find-links":
            values = values[:1]
        found.extend(IndexOption(dest, value, line) for value in values)
    return found


def with_index(dependency: Dependency, index_url: str) -> Dependency:
    """Registry dependencies come from the file's ``--index-url`` when it sets one (pip applies the last
    one to the whole run, wherever it is written)."""
    if dependency.source.kind != "registry":
        return dependency
    return dependency._replace(source=Source(kind="registry", url=index_url))
