"""What a PyPI release file holds (rule ``artifact-content``): which file to look at, and what is in it.

Which files: every wheel of the version (yanked ones too: an exact pin installs them), read concurrently, up to MAX_WHEELS
(more is an ArtifactError: unknown, never a guess). pip installs the wheel that best fits the machine, and on Linux
that is the ``manylinux`` one, not the pure ``py3-none-any`` one: a ``.pth`` shipped in one platform's wheel only
is installed on that platform, so reading one wheel would let it through. What the wheels hold is merged into one
ArtifactContents (``merged``: the union of their members and signals, with the wheel that holds each signal), so
the rule compares everything any wheel of the new version installs with everything any wheel of the version before
it installed. An sdist's contents are what a build makes of them: a version with only an sdist is a signal of its
own (``kind="sdist"``). The version compared with: the one an upgrade or downgrade moves from, else (an added
dependency, a hashes-changed one) the newest release before it on the index (prereleases only for a prerelease).

What is in it (checker/registries/wheels.py reads the zip by ranges): the member names, the ``.pth`` files and
whether they hold an ``import`` line, ``top_level.txt``, ``entry_points.txt``'s console and GUI scripts, native
binaries, unsafe member names, and from ``METADATA`` (PEP 658/714's ``.metadata`` file when the index offers
``core-metadata``, else the member) ``Requires-Dist``, the home page and project URLs, author and maintainer
e-mails. ``RECORD`` is not read: pip installs every member of the zip, listed in RECORD or not, so the central
directory is what is installed.

Cached by the file's sha256 (a release file never changes), in the registries' cache; offline, a file not cached is
an ArtifactError ("offline, not cached"), which the facts stage makes an unknown.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from checker.model import UNKNOWN, ArtifactContents, Unknown
from checker.registries.fetch import Fetcher
from checker.registries.http import MiB, RegistryError
from checker.registries.types import FileFacts
from checker.registries.wheels import MAX_MEMBER_BYTES, ArtifactError, Listing, Member, RemoteZip, list_members, read_member

if TYPE_CHECKING:
    from checker.registries.pypi import ProjectPage

CACHE_ACCEPT = "application/vnd.lockgate.artifact+json; v=2"  # v=2: urls are where the project lives
# Wheels of one version read at most (numpy 2.x publishes about 70 per release, cffi 2.x about 200, charset-
# normalizer about 170); a release with more is unknown.
MAX_WHEELS = 512
# Wheels of one version read at once (each is a few range requests; the packages are already read concurrently).
WHEEL_WORKERS = 8
METADATA_MAX_BYTES = 4 * MiB
MAX_PTH_READ = 8  # .pth files read for import lines (more is itself suspicious; the rest are named unread)
NATIVE_SUFFIXES = (".so", ".pyd", ".dll", ".dylib", ".exe", ".bin")


def wheel_tag(filename: str) -> str | None:
    """``py3-none-any`` of ``name-1.0-py3-none-any.whl`` (the last three dash-separated parts); None: not a wheel."""
    if not filename.endswith(".whl"):
        return None
    parts = filename[:-4].split("-")
    return "-".join(parts[-3:]) if len(parts) >= 5 else None


def wheels_of(files: Iterable[FileFacts]) -> list[FileFacts]:
    """Every wheel among ``files``, by name, yanked ones included: pip still installs a yanked file for an exact
    pin (PEP 592), and a lockfile pins exactly, so a yanked platform wheel is as installable as the others."""
    return sorted((f for f in files if wheel_tag(f.filename) is not None), key=lambda f: f.filename)


def merged(contents: list[ArtifactContents]) -> ArtifactContents:
    """One ArtifactContents for several wheels of a version: the first (by name; the pure one when there is one)
    names and locates it, the members and signals are the union of all, in first-seen order, and ``located``
    says which other wheel holds each member the first does not."""
    if len(contents) == 1:
        return contents[0]
    first = sorted(contents, key=lambda c: (not c.filename.endswith("-none-any.whl"), c.filename))[0]
    rest = [c for c in contents if c is not first]

    def union(field: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item for c in (first, *rest) for item in getattr(c, field)))

    tops = [c.top_level for c in (first, *rest) if c.top_level is not None]
    located: dict[str, str] = {}
    own = set(first.files)
    for other in rest:
        for name in other.files:
            if name not in own:
                located.setdefault(name, other.url)
    return first._replace(
        size=max(c.size for c in contents), files=union("files"), pth_files=union("pth_files"),
        pth_imports=union("pth_imports"), top_level=tuple(dict.fromkeys(t for top in tops for t in top)) if tops
        else None, entry_points=union("entry_points"), native=union("native"), unsafe_names=union("unsafe_names"),
        requires_dist=union("requires_dist"), urls=union("urls"), emails=union("emails"),
        fetched=sum(c.fetched for c in contents), wheels=tuple(c.filename for c in (first, *rest)),
        located=tuple(sorted(located.items())))


def previous_release(versions: Iterable[str], version: str) -> str | None:
    """The newest of ``versions`` before ``version`` (PEP 440; prereleases only when ``version`` is one)."""
    from packaging.version import InvalidVersion, Version

    try:
        current = Version(version)
    except InvalidVersion:
        return None
    best: tuple[Version, str] | None = None
    for text in versions:
        try:
            candidate = Version(text)
        except InvalidVersion:
            continue
        if candidate >= current or (candidate.is_prerelease and not current.is_prerelease):
            continue
        if best is None or candidate > best[0]:
            best = (candidate, text)
    return best[1] if best is not None else None


def sha256_of(file: FileFacts) -> str | None:
    return next((h.split(":", 1)[1] for h in file.hashes if h.startswith("sha256:")), None)


def core_metadata_hash(page_data: object, filename: str) -> str | bool:
    """Whether the index offers the file's PEP 658 ``.metadata`` (``core-metadata``, or PEP 714's older
    ``dist-info-metadata``): its sha256 when given, True when offered without one, False when not offered."""
    files = page_data.get("files") if isinstance(page_data, dict) else None
    for item in files if isinstance(files, list) else ():
        if isinstance(item, dict) and item.get("filename") == filename:
            value = item.get("core-metadata", item.get("dist-info-metadata", False))
            if isinstance(value, dict):
                digest = value.get("sha256")
                return digest.lower() if isinstance(digest, str) and digest else True
            return value is True
    return False


class Inspector:
    """Reads release files through one Fetcher (its HTTP helper, cache and offline mode). Thread-safe.

    The wheels of one release hold the same ``METADATA``, ``entry_points.txt``, ``top_level.txt`` and ``.pth`` files
    (cffi publishes about 200 wheels per release, identical but for the compiled module): a member's text is read
    once per run for each (name, CRC-32, size) the central directories give, and every other wheel reuses it. A
    wheel whose member differs has another CRC and is read on its own."""

    def __init__(self, fetcher: Fetcher, *, max_whole_mib: int | None = None) -> None:
        import threading

        self.fetcher = fetcher
        self.max_whole_mib = max_whole_mib
        self._texts: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def _text(self, remote: RemoteZip, member: Member | None) -> str | None:
        """A member's text, from this run's memo when another wheel had the same member (see the class docstring)."""
        if member is None:
            return None
        key = (member.name.rsplit("/", 1)[-1], member.crc, member.size)
        with self._lock:
            known = self._texts.get(key)
        if known is None:
            known = _member_text(remote, member)
            if known is not None:
                with self._lock:
                    self._texts.setdefault(key, known)
        return known

    def inspect(self, file: FileFacts, version: str, page_data: object = None) -> ArtifactContents:
        """The contents of ``file`` (a wheel or an sdist). Raises ArtifactError."""
        digest = sha256_of(file)
        key = f"{file.url}#sha256={digest}" if digest else None
        cached = self._cached(key) if key is not None else None
        if cached is not None:
            return cached._replace(version=version, fetched=0)
        if self.fetcher.offline or self.fetcher.http is None:
            raise ArtifactError(f"offline, not cached: the contents of {file.filename}")
        if wheel_tag(file.filename) is None:
            contents = ArtifactContents(file.filename, self.fetcher.shown(file.url), -1, kind="sdist", version=version)
        else:
            contents = self._wheel(file, version, page_data)
        if key is not None and self.fetcher.cache is not None:
            self.fetcher.cache.put(key, CACHE_ACCEPT, json.dumps(contents._asdict()).encode(),
                                   content_type="application/json")
        return contents

    def _cached(self, key: str) -> ArtifactContents | None:
        entry = self.fetcher.cache.get(key, CACHE_ACCEPT) if self.fetcher.cache is not None else None
        if entry is None:
            return None
        try:
            raw: dict[str, Any] = json.loads(entry.body)
            fields: dict[str, Any] = {name: tuple(value) if isinstance(value, list) else value
                                      for name, value in raw.items()}
            return ArtifactContents(**fields)
        except (ValueError, TypeError):
            return None  # an entry of another format: read the wheel again

    def _wheel(self, file: FileFacts, version: str, page_data: object) -> ArtifactContents:
        assert self.fetcher.http is not None
        options = {"max_whole_mib": self.max_whole_mib} if self.max_whole_mib is not None else {}
        remote = RemoteZip(self.fetcher.http, file.url, **options)
        listing = list_members(remote)
        members = {m.name: m for m in listing.members}
        dist_info = _dist_info(listing)
        metadata = self._metadata(file, remote, members, dist_info, page_data)
        entry_points = _entry_points(self._text(remote, members.get(f"{dist_info}/entry_points.txt")))
        top_text = self._text(remote, members.get(f"{dist_info}/top_level.txt"))
        top_level = tuple(line.strip() for line in top_text.splitlines() if line.strip()) \
            if top_text is not None else None
        pth = tuple(name for name in members if _is_startup_pth(name))
        imports = tuple(name for name in pth[:MAX_PTH_READ] if _has_import(self._text(remote, members[name])))
        return ArtifactContents(
            file.filename, self.fetcher.shown(file.url), listing.size, kind="wheel", files=tuple(members),
            pth_files=pth, pth_imports=imports, top_level=top_level, entry_points=entry_points,
            native=tuple(m.name for m in listing.members if _is_native(m)),
            unsafe_names=tuple(name for name in members if _unsafe(name)),
            requires_dist=tuple(metadata.get_all("Requires-Dist") or ()) if metadata is not None else (),
            urls=_urls(metadata), emails=_emails(metadata), version=version, fetched=remote.fetched,
        )

    def _metadata(self, file: FileFacts, remote: RemoteZip, members: Mapping[str, Member], dist_info: str | None,
                  page_data: object) -> Any:
        from email.parser import HeaderParser

        member = members.get(f"{dist_info}/METADATA")
        key = (member.name.rsplit("/", 1)[-1], member.crc, member.size) if member is not None else None
        with self._lock:
            text = self._texts.get(key) if key is not None else None
        offered = core_metadata_hash(page_data, file.filename)
        if text is None and offered and member is not None:
            assert self.fetcher.http is not None
            try:
                body = self.fetcher.http.get(file.url + ".metadata", max_bytes=METADATA_MAX_BYTES).body
                remote.fetched += len(body)
                # PEP 658's file is the wheel's own METADATA: the index's hash and the central directory's CRC-32
                # must both agree, or the member itself is read (an index serving a cleaner METADATA than the
                # wheel installs is not believed).
                if (offered is True or hashlib.sha256(body).hexdigest() == offered) and \
                        zlib.crc32(body) == member.crc and len(body) == member.size:
                    text = body.decode("utf-8", "replace")
                    with self._lock:
                        self._texts.setdefault(key, text)  # type: ignore[arg-type]  # key is set with member
            except RegistryError:
                text = None  # the member itself is the fallback
        if text is None:
            text = self._text(remote, member)
        return HeaderParser().parsestr(text) if text is not None else None


def _dist_info(listing: Listing) -> str | None:
    """The ``name-version.dist-info`` folder (the one with a METADATA)."""
    for member in listing.members:
        folder, _, leaf = member.name.partition("/")
        if folder.endswith(".dist-info") and leaf == "METADATA":
            return folder
    return None


def _member_text(remote: RemoteZip, member: Member | None) -> str | None:
    if member is None:
        return None
    return read_member(remote, member, max_bytes=MAX_MEMBER_BYTES).decode("utf-8", "replace")


def _entry_points(text: str | None) -> tuple[str, ...]:
    """``console_scripts:name`` and ``gui_scripts:name`` of an ``entry_points.txt`` (an INI file)."""
    import configparser

    if text is None:
        return ()
    parser = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # names are case-sensitive
    try:
        parser.read_string(text)
    except configparser.Error as error:
        raise ArtifactError(f"entry_points.txt is not readable: {str(error).splitlines()[0][:80]}") from None
    return tuple(f"{section}:{name}" for section in ("console_scripts", "gui_scripts") if parser.has_section(section)
                 for name in parser.options(section))


def _is_startup_pth(name: str) -> bool:
    """A ``.pth`` file site.py reads: at the wheel's root (site-packages), at a ``.data/purelib`` or
    ``.data/platlib`` root (installed there too), or under ``.data/data/`` in a ``site-packages`` or
    ``dist-packages`` folder (the data scheme installs relative to the environment's prefix, so
    ``x.data/data/lib/python3.12/site-packages/evil.pth`` lands beside the others)."""
    if not name.lower().endswith(".pth"):
        return False
    parts = name.split("/")
    if len(parts) == 1:
        return True
    if not parts[0].endswith(".data") or len(parts) < 3:
        return False
    if parts[1] in ("purelib", "platlib"):
        return len(parts) == 3
    return parts[1] == "data" and len(parts) >= 4 and parts[-2].lower() in ("site-packages", "dist-packages")


def _has_import(text: str | None) -> bool:
    """site.py executes a .pth line that starts with ``import`` followed by a space or a tab."""
    return text is not None and any(line.startswith(("import ", "import\t")) for line in text.splitlines())


def _is_native(member: Member) -> bool:
    name = member.name.lower()
    leaf = name.rsplit("/", 1)[-1]
    if leaf.endswith(NATIVE_SUFFIXES) or ".so." in leaf:
        return True
    parts = name.split("/")
    return len(parts) >= 3 and parts[0].endswith(".data") and parts[1] == "scripts"


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (name.startswith(("/", "\\")) or "\\" in name or ".." in parts
            or (len(name) >= 2 and name[1] == ":" and name[0].isalpha()) or "\x00" in name)


# Project-URL labels (as PEP 753 normalises them: lower case, no punctuation or white space) that say where the
# project lives or where its code comes from. A moved home page or source repository is a signal; a new link to
# documentation, a changelog or a sponsor page is not (pytest 8.3.5 added two, and dropped its Twitter link).
WHERE_LABELS = frozenset({"homepage", "home", "source", "sourcecode", "repository", "github", "gitlab", "code",
                          "download"})


def _urls(metadata: Any) -> tuple[str, ...]:
    if metadata is None:
        return ()
    found = [*(metadata.get_all("Home-page") or ()), *(metadata.get_all("Download-URL") or ())]
    for value in metadata.get_all("Project-URL") or ():
        label, _, url = str(value).partition(",")
        if "".join(c for c in label.lower() if c.isalnum()) in WHERE_LABELS:
            found.append(url.strip())
    return tuple(sorted({str(url).strip() for url in found if str(url).strip() and str(url).strip() != "UNKNOWN"}))


def _emails(metadata: Any) -> tuple[str, ...]:
    if metadata is None:
        return ()
    from email.utils import getaddresses

    values = [str(v) for key in ("Author-email", "Maintainer-email") for v in metadata.get_all(key) or ()]
    return tuple(sorted({address.lower() for _, address in getaddresses(values) if "@" in address}))


class Comparison(NamedTuple):
    """The artifact of a version and of the release it is compared with, or why either is unknown."""

    artifact: ArtifactContents | Unknown
    prior: ArtifactContents | None | Unknown
    reason: str | None


def compare(inspector: Inspector, page: ProjectPage, version: str, previous: Iterable[str] = ()) -> Comparison:
    """Inspect every wheel of ``version`` of ``page``'s project and of the version it is compared with (the first
    of ``previous`` the index has, else the release before it), each side merged (see the module docstring); an
    sdist when a side has no wheel. Never raises for registry or zip trouble (it is in ``reason``)."""
    from checker.registries.pypi import canonical_version

    reasons: list[str] = []
    earlier = [v for v in previous if canonical_version(v) != canonical_version(version)
               and canonical_version(v) in page.releases]
    if not earlier:
        before = previous_release([r.version for r in page.releases.values()], version)
        earlier = [before] if before is not None else []
    artifact = _read_side(inspector, page, version, reasons)
    if artifact is None:
        reasons.append(f"the index lists no file of {page.name} {version}")
        artifact = UNKNOWN
    prior: ArtifactContents | None | Unknown = None
    if earlier and artifact is not UNKNOWN:
        found = _read_side(inspector, page, earlier[0], reasons)
        prior = UNKNOWN if found is None else found
    elif earlier:
        prior = UNKNOWN
    return Comparison(artifact, prior, "; ".join(inspector.fetcher.redact(r) for r in reasons) or None)


def _read_side(inspector: Inspector, page: ProjectPage, version: str,
               reasons: list[str]) -> ArtifactContents | Unknown | None:
    """Every wheel of one version, merged (else its sdist); None when the index lists no file of it; UNKNOWN (and
    the reason added) when a file cannot be read or there are more wheels than MAX_WHEELS."""
    files = page.files_of(version)
    wheels = wheels_of(files)
    if len(wheels) > MAX_WHEELS:
        reasons.append(f"{page.name} {version} has {len(wheels)} wheels; lockgate reads at most {MAX_WHEELS}")
        return UNKNOWN
    chosen = wheels or [f for f in (_sdist(files),) if f is not None]
    if not chosen:
        return None

    def one(file: FileFacts) -> ArtifactContents | str:
        try:
            return inspector.inspect(file, version, page.document.data)
        except ArtifactError as error:
            return f"{file.filename}: {error}"

    if len(chosen) == 1:
        results = [one(chosen[0])]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(WHEEL_WORKERS, len(chosen))) as pool:
            results = list(pool.map(one, chosen))
    failed = [r for r in results if isinstance(r, str)]
    if failed:
        reasons.extend(failed[:3] + ([f"and {len(failed) - 3} more files"] if len(failed) > 3 else []))
        return UNKNOWN
    return merged([r for r in results if not isinstance(r, str)])


def _sdist(files: Iterable[FileFacts]) -> FileFacts | None:
    return next((f for f in sorted(files, key=lambda f: f.filename) if wheel_tag(f.filename) is None), None)
