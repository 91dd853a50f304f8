"""The plain data that flows through the pipeline: snapshot -> manifests -> diff -> facts -> policy -> report.

Every stage takes and returns these immutable records and nothing else, so a stage can be tested on its own
and no stage reaches back into another. Nothing here imports anything heavy.

The records are ``typing.NamedTuple`` classes rather than frozen dataclasses: the same typed, immutable,
keyword-constructible plain data, at a fraction of the cost to define: each run defines every record class before it
reads a byte, on CPython 3.10-3.12 ``@dataclass`` compiles six methods per class, and importing ``dataclasses``
itself costs more than the rest of a hook run on a commit with no manifest (``benchmarks/suite.py``, start-up
group). Copies with changes use ``_replace``.
Being tuples, records compare equal to tuples of equal values; lockgate never mixes the two.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Final, NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

# Package ecosystems, plus three that are not package registries but decide what gets installed or run all the
# same: ``config`` (a registry setting or a lifecycle script: name ``<tool>.<key>`` such as ``npm.registry``,
# ``pip.index-url``, ``npm.scripts.postinstall``; version: the value as written), ``url`` (a file a shell
# command downloads and runs: name the URL) and ``git`` (a submodule: name the repository URL, version the commit).
# The package ecosystems of issue 21 (each with its own parser modules, version ordering and registry client):
# ``go`` (module paths), ``cargo`` (crates.io), ``gem`` (RubyGems), ``composer`` (Packagist), ``nuget``, ``maven``,
# ``pub`` (pub.dev) and ``swift`` (SwiftPM: package identities are repository URLs).
ECOSYSTEMS = ("pypi", "npm", "actions", "docker", "pre-commit", "git", "conda", "gem", "go", "cargo", "composer",
              "nuget", "maven", "pub", "swift", "config", "url")
SCOPES = ("prod", "dev", "optional", "build")
CHANGE_KINDS = ("added", "removed", "upgraded", "downgraded", "source-changed", "hashes-changed", "scope-changed",
                "artifacts-added", "integrity-upgraded")
# Changes a package manager makes on its own that install nothing new: the same version with more of its registry
# artifacts pinned (wheels for new platforms), or the same artifact pinned by a stronger digest (npm sha1 ->
# sha512). Reported at info level and in no preset's ``review.required-for``; the rules still judge the dependency
# (hash-mismatch compares the new hashes with the registry's).
INFO_KINDS = ("artifacts-added", "integrity-upgraded")
BUMPS = ("major", "minor", "patch", "other")
LEVELS = ("off", "info", "warn", "block")
LEVEL_RANK = {"off": 0, "info": 1, "warn": 2, "block": 3}

# ``Manifest.kind``: a manifest that lists exact, resolved versions (a lockfile, a pip-compile output) is a "lock"; one that
# declares what is wanted (pyproject.toml, requirements.in, package.json) is "declared". Rules that demand
# hashes and exact pins look at locks only. A file that could not be read at all is "unreadable": it has no
# dependencies, only its Problem (what it really lists is unknown, so the diff reports no change for it).

# Reads another file of the same snapshot (a requirements include, a sibling pyproject.toml).
# Returns None when the file does not exist; raises ManifestError when it exists but cannot be read.
Reader = Callable[[str], "str | None"]


class Source(NamedTuple):
    """Where a dependency comes from.

    kind: ``registry`` (url: the index or registry URL, None for the ecosystem's default), ``git`` (url: the
    repository, ref: the ref as written, commit: the full commit when known), ``url`` (url: the archive),
    or ``path`` (url: the local path as written), or ``module`` (Go's ``replace`` by another module: url the
    module path the code comes from, ref its version).

    hosts: for a registry package of a lockfile that records where each artifact is downloaded from (uv.lock,
    pylock.toml: the wheel and sdist URLs), the origins of those URLs (``https://files.pythonhosted.org``, no
    credentials): what the installer really fetches from, which can differ from the index. A change of them is
    ``source-changed``, and registry-source judges them.
    """

    kind: str = "registry"
    url: str | None = None
    ref: str | None = None
    commit: str | None = None
    hosts: frozenset[str] = frozenset()

    def describe(self) -> str:
        if self.kind == "registry":
            return self.url or "default registry"
        if self.kind == "git":
            at = self.commit or self.ref
            return f"git+{self.url}" + (f"@{at}" if at else "")
        if self.kind == "module":
            return f"module {self.url}@{self.ref}"
        return f"{self.kind}:{self.url}"


DEFAULT_SOURCE = Source()


class Dependency(NamedTuple):
    """One dependency as one manifest states it.

    name is canonical (PEP 503 for PyPI: lower case, runs of ``-_.`` as ``-``). version is the exact version,
    commit, tag or digest, or None when only a range is declared. specifier is the constraint as written
    (``==1.2.3``, ``>=2,<3``, ``^1.2``). hashes are ``algo:hex`` strings. line is 1-based, None when unknown.
    """

    ecosystem: str
    name: str
    version: str | None
    specifier: str = ""
    source: Source = DEFAULT_SOURCE
    hashes: frozenset[str] = frozenset()
    scope: str = "prod"
    direct: bool = True
    manifest: str = ""
    line: int | None = None
    label: str | None = None
    # Environment markers as written (PEP 508), or None. Two entries of one name that differ only here are
    # different dependencies (``numpy==1.24; python_version<'3.9'`` and ``numpy==2.0; python_version>='3.9'``).
    markers: str | None = None
    # True for an entry of a pip constraints file (``-c``): it pins, but installs nothing by itself.
    constraint: bool = False
    # True for an editable install (``-e``): the code is used in place, never from a registry.
    editable: bool = False
    # npm: whether the package runs install scripts; None where the manifest does not say.
    install_script: bool | None = None
    # The exact URL a lockfile says the artifact is fetched from (npm ``resolved``), or None. Kept whole, beside
    # the source's registry base, so that registry-source can check that it names this very package and version
    # (a ``resolved`` pointing at another package or host is lockfile injection).
    resolved: str | None = None
    # True for a package shipped inside its parent's tarball (npm ``inBundle`` / ``bundled``): it is never
    # fetched on its own, so it has no URL and no hash of its own; the parent's hash covers it.
    bundled: bool = False

    @property
    def key(self) -> str:
        """``ecosystem:name``: how policies name a package."""
        return f"{self.ecosystem}:{self.name}"

    def display_version(self) -> str:
        return self.version if self.version is not None else (self.specifier or "*")

    def at(self, line: int | None, direct: bool) -> Dependency:
        """The same dependency at another line (and directness): what a parser returns for an entry that did
        not change between two revisions while the lines around it did. One tuple slice, where ``_replace``
        would cost a Python-level call per field, for tens of thousands of entries."""
        if self.line == line and self.direct is direct:
            return self
        return _new_tuple(Dependency, self[:_DIRECT] + (direct, self[_MANIFEST], line) + self[_LINE + 1 :])


_new_tuple = tuple.__new__  # what ``_make`` does, less its Python-level call and length check (the slice keeps it)
_DIRECT, _MANIFEST, _LINE = (Dependency._fields.index(field) for field in ("direct", "manifest", "line"))
assert (_DIRECT + 1, _MANIFEST + 1) == (_MANIFEST, _LINE), "Dependency.at expects direct, manifest, line in a row"


class IndexOption(NamedTuple):
    """A package source a manifest configures for all its dependencies.

    kind: ``index-url``, ``extra-index-url``, ``find-links``, ``trusted-host`` (pip options), or ``index``
    (a named index of uv, Poetry or Pipenv). value: the URL or host as written (``${VAR}`` left unexpanded).
    """

    kind: str
    value: str
    line: int | None = None


class Problem(NamedTuple):
    """A part of a manifest lockgate could not read (a computed ``install_requires``, a binary lockfile, a file
    that is not valid in its format): what, and where. Never skipped: the unreadable-manifest rule reports it.

    changed: the file, or a file its parse reads, differs between the revisions judged (or no base is compared:
    ``check --all``). False for a problem that was there before the change being judged (the collect stage
    knows), and for one a parser knows hides nothing from the judgment (it read the part as the tool does, so a
    change there shows as a dependency's change: yarn.lock's conflicting repeated entries)."""

    message: str
    line: int | None = None
    changed: bool = True


class InstallCommand(NamedTuple):
    """A shell command (a workflow ``run:`` step, a Dockerfile ``RUN``) that installs or runs something fetched
    from outside the repository: ``pip install``, ``npm ci``, ``curl … | sh``.

    tool: the program as lockgate names it (``pip``, ``npm``, ``curl|sh``). text: the command as written, on one
    line. problem: why it is not pinned (None: pinned, by exact version and hash or by a hashed lockfile).
    The packages it names are also dependencies of the manifest (same line), so they are diffed and judged.
    """

    tool: str
    text: str
    line: int | None
    problem: str | None = None


class Manifest(NamedTuple):
    """The dependencies one file declares or locks.

    includes: files this one reads in (pip ``-r``/``-c``, a patch file, a submodule's commit), as repository
    paths: a change to one of them is a change to this manifest.
    indexes: package indexes the file itself names (``--index-url``, ``[[tool.uv.index]]``, ...).
    problems: what could not be read (see Problem); the dependencies are what could.
    commands: install commands of a workflow or Dockerfile (see InstallCommand).
    """

    path: str
    format: str
    ecosystem: str
    dependencies: tuple[Dependency, ...]
    kind: str = "lock"
    includes: tuple[str, ...] = ()
    indexes: tuple[IndexOption, ...] = ()
    problems: tuple[Problem, ...] = ()
    commands: tuple[InstallCommand, ...] = ()


class Change(NamedTuple):
    """What happened to one dependency of one manifest between base and head."""

    kind: str
    before: Dependency | None
    after: Dependency | None
    bump: str | None = None

    @property
    def dependency(self) -> Dependency:
        """The dependency as it stands after the change (before it, for a removal)."""
        dep = self.after if self.after is not None else self.before
        assert dep is not None
        return dep

    @property
    def ecosystem(self) -> str:
        return self.dependency.ecosystem

    @property
    def name(self) -> str:
        return self.dependency.name

    @property
    def manifest(self) -> str:
        return self.dependency.manifest

    @property
    def line(self) -> int | None:
        return self.dependency.line


class Unknown(enum.Enum):
    """The answer "we could not find out". Distinct from None ("the registry says: none"). One member,
    ``UNKNOWN``: test with ``is UNKNOWN``; a field that may hold it is typed ``X | Unknown``. An enum of one member
    because that is the sentinel a type checker understands: ``x is UNKNOWN`` narrows ``X | Unknown`` to ``X``."""

    UNKNOWN = "UNKNOWN"

    def __repr__(self) -> str:
        return "UNKNOWN"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return False


UNKNOWN: Final = Unknown.UNKNOWN

# Evidence of where a release was built, weakest first (pnpm's ``trustPolicy`` ranks the same three): no
# provenance, a provenance attestation, a trusted publisher (published from CI through OIDC). How each registry's
# documents map to them: checker/registries/types.py.
NO_PROVENANCE = "none"
PROVENANCE = "provenance"
TRUSTED_PUBLISHER = "trusted-publisher"
EVIDENCE_RANK = {NO_PROVENANCE: 0, PROVENANCE: 1, TRUSTED_PUBLISHER: 2}


class Publisher(NamedTuple):
    """Who published through a trusted-publishing identity.

    kind: ``GitHub``, ``GitLab``, ``Google``, ``ActiveState`` (PyPI's spelling; npm's ``github`` / ``gitlab`` are
    mapped to it). repository: ``owner/repo`` (GitLab: ``namespace/project``). workflow: the workflow file name
    (``release.yml``; GitLab: the CI file path). environment: the deployment environment, None when none.
    email: a Google service account. None wherever the source does not say.
    """

    kind: str
    repository: str | None = None
    workflow: str | None = None
    environment: str | None = None
    email: str | None = None

    def describe(self) -> str:
        if self.repository:
            text = f"{self.kind} {self.repository}"
            if self.workflow:
                text += f" ({self.workflow}"
                text += f", environment {self.environment})" if self.environment else ")"
            return text
        return f"{self.kind} {self.email}" if self.email else self.kind

    def matches(self, repository: str | None = None, workflow: str | None = None,
                environment: str | None = None) -> bool:
        """Whether this publisher is the expected one. Only the parts given are compared: the repository without
        regard to case (GitHub's names are case-insensitive), the workflow by file name (``release.yml`` matches
        ``.github/workflows/release.yml``), the environment exactly."""
        if repository is not None and (self.repository or "").lower() != repository.strip().lower():
            return False
        if workflow is not None and _basename(self.workflow) != _basename(workflow):
            return False
        if environment is not None and (self.environment or "") != environment:
            return False
        return True


def _basename(path: str | None) -> str:
    return (path or "").strip().rsplit("/", 1)[-1]


class Provenance(NamedTuple):
    """A version's provenance, by the registry's word: ``evidence`` (``provenance`` or ``trusted-publisher``; a
    version without any has ``Facts.provenance`` None), the ``publishers`` it names (UNKNOWN when not asked for or
    not obtainable), and, when the provenance rule's ``verify`` is on, whether the attestation verified
    cryptographically against the expected publisher (``verified``: True, False, or UNKNOWN when not checked) and
    why (``verification``)."""

    evidence: str
    publishers: frozenset[Publisher] | Unknown = UNKNOWN
    verified: bool | Unknown = UNKNOWN
    verification: str | None = None


class Uploader(NamedTuple):
    """Who uploaded one release, by the registry's word: npm's ``_npmUser`` — the account ``name`` and ``email`` as
    written (never normalised: a look-alike spelling is another identity), and ``trusted``, the trusted publisher
    configuration (``github:oidc:…``: ``trustedPublisher.id`` and ``oidcConfigId``) when it was published through
    OIDC. PyPI names no uploader (a version's facts then say None)."""

    name: str
    email: str | None = None
    trusted: str | None = None


class ReleasePublisher(NamedTuple):
    """Who published one earlier release (rule ``publisher-change``): its ``version``, ``uploader`` (None: the
    registry names none, as PyPI never does; UNKNOWN: a mirror that strips it) and the ``publishers`` its provenance names (empty: no provenance;
    UNKNOWN: not looked up — each costs a request — or not obtainable)."""

    version: str
    uploader: Uploader | None | Unknown = None
    publishers: frozenset[Publisher] | Unknown = UNKNOWN


class Ownership(NamedTuple):
    """A PyPI project's collaborators as the JSON API serves them today (``ownership``: ``roles`` as (role, user)
    pairs, Owners first, and the ``organization`` that holds the project, None when none). The current state, not
    a history: shown to the reviewer beside a publisher change."""

    roles: tuple[tuple[str, str], ...] = ()
    organization: str | None = None


class Advisory(NamedTuple):
    """One advisory that affects a version (an OSV record): ``id`` (``GHSA-…``, ``PYSEC-…``, ``MAL-…``), its
    ``aliases`` (``CVE-…``), a one-line ``summary``, the ``severity`` (``low`` | ``moderate`` | ``high`` |
    ``critical``; UNKNOWN when the record gives none), the CVSS base ``score`` it comes from (None when no vector
    gave one), the lowest version that ``fixed`` it above the one judged (None: no fix published), whether it
    reports a ``malicious`` package (an OpenSSF malicious-packages ``MAL-`` record, or a GHSA of type malware), and
    the ``url`` of its page."""

    id: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    severity: str | Unknown = UNKNOWN
    score: float | None = None
    fixed: str | None = None
    malicious: bool = False
    url: str = ""


class SourceRepository(NamedTuple):
    """The source repository a version says it is built from (PyPI's project URLs, npm's ``repository``, an action's
    own name): ``host`` in lower case (``github.com``, ``gitlab.com``, a GitHub Enterprise host), ``owner`` (on
    GitLab the whole namespace, ``group/subgroup``) and ``name``, as written (GitHub compares them without regard to
    case). A record rather than an ``owner/repo`` string so that a repository on another host is never mistaken for
    the github.com one of the same name. checker/registries/sourcerepo.py reads it from the registries' words."""

    host: str
    owner: str
    name: str

    @property
    def slug(self) -> str:
        """``owner/name``."""
        return f"{self.owner}/{self.name}"

    def describe(self) -> str:
        """``github.com/owner/name``: how Scorecard names a repository."""
        return f"{self.host}/{self.owner}/{self.name}"

    @property
    def url(self) -> str:
        return f"https://{self.describe()}"


class SourceTag(NamedTuple):
    """The tag of a version's source repository that names the version (rule ``source-tag``): the tag's ``name`` as
    the repository spells it (``v1.82.6``) and the ``commit`` it points to (annotated tags peeled; lower-case hex)."""

    name: str
    commit: str


class ScorecardCheck(NamedTuple):
    """One check of an OpenSSF Scorecard result: its ``name`` (``Code-Review``), ``score`` (0-10; None when the
    check did not apply, the API's -1), Scorecard's ``reason`` and the check's documentation ``url``."""

    name: str
    score: int | None
    reason: str = ""
    url: str = ""


class Scorecard(NamedTuple):
    """A repository's OpenSSF Scorecard result (api.securityscorecards.dev): the aggregate ``score`` (0-10), the
    ``date`` it was computed (as the API writes it), and the ``checks`` that scored lowest, lowest first (a few: the
    ones a reviewer reads first)."""

    score: float
    date: str = ""
    checks: tuple[ScorecardCheck, ...] = ()


class ArtifactContents(NamedTuple):
    """What one release file of a PyPI version holds (rule ``artifact-content``; checker/registries/artifacts.py),
    read from the wheel's zip directory and metadata files by HTTP range requests.

    ``kind``: ``wheel``, or ``sdist`` when the version has no wheel (then only ``filename``, ``url`` and ``size``
    are known: building an sdist runs code). ``files``: every member name as the zip writes it. ``pth_files``:
    ``.pth`` files Python reads at start-up (at the wheel's root or a ``.data/purelib|platlib`` root);
    ``pth_imports``: those of them with an ``import`` line (executed at every interpreter start). ``top_level``:
    ``top_level.txt``'s names (None: the wheel has none). ``entry_points``: ``console_scripts:name`` and
    ``gui_scripts:name``. ``native``: native binaries and executables (``.so``, ``.pyd``, ``.dll``, ``.dylib``,
    ``.exe``, ``.data/scripts/`` files). ``unsafe_names``: member names with ``..``, an absolute path, a drive letter
    or a backslash. ``requires_dist``, ``urls`` (``Home-page``, ``Download-URL`` and the ``Project-URL`` values
    whose label names a home page, download or source repository: artifacts.WHERE_LABELS) and ``emails``
    (``Author-email``, ``Maintainer-email``) from ``METADATA``. ``fetched``: bytes downloaded to read it (0: from
    the cache)."""

    filename: str
    url: str
    size: int
    kind: str = "wheel"
    files: tuple[str, ...] = ()
    pth_files: tuple[str, ...] = ()
    pth_imports: tuple[str, ...] = ()
    top_level: tuple[str, ...] | None = None
    entry_points: tuple[str, ...] = ()
    native: tuple[str, ...] = ()
    unsafe_names: tuple[str, ...] = ()
    requires_dist: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    version: str = ""  # the release this file belongs to (for a prior: which release was compared)
    fetched: int = 0
    # npm (``kind`` ``npm``): the fields of package.json on which the tarball and the registry's version document
    # disagree (manifest confusion: npm installs by the tarball's, lockgate's other rules read the registry's).
    mismatched: tuple[str, ...] = ()
    # Several wheels of one version merged (checker/registries/artifacts.merged): their file names, the first the
    # one ``filename``/``url`` name; ``located``: (member, URL of the wheel holding it) for each member that first
    # wheel does not hold, so that evidence links to the right file.
    wheels: tuple[str, ...] = ()
    located: tuple[tuple[str, str], ...] = ()


class Facts(NamedTuple):
    """What the registries said about one version. Every field may be UNKNOWN; ``reason`` says why.

    Fields added by the registry facts stage (checker/registries/stage.py), after the first five, are all optional with an
    UNKNOWN (or empty) default, so consumers may rely on every field being present:
    ``exists`` (False: the registry does not list the version — deleted, unpublished, never published),
    ``yanked_reason`` and ``deprecated`` (the registry's words, None when there are none), ``registry`` (the index
    or registry URL asked, credentials removed), ``stale`` (answered from an expired cache copy: offline, or the
    registry failed; ``reason`` says from when), ``as_of`` (the run's clock, ``--now``: ages are measured from
    it), and for provenance-downgrade the strongest evidence of any version published strictly earlier
    (prereleases skipped unless this version is one): ``prior_evidence`` (``trusted-publisher`` | ``provenance`` |
    ``none``; None when no version was published earlier; UNKNOWN when not looked up or not obtainable),
    ``prior_version`` (the newest earlier version with that evidence) and ``prior_partial`` (some earlier
    version's evidence was unknown, so the strongest may be understated).
    ``provenance`` is a Provenance record, None when the registry says the version has none, UNKNOWN when it could
    not be found out (offline, a mirror that strips it).
    ``license`` is the version's license as a normalised SPDX expression (``MIT OR Apache-2.0``), None when the
    registry gives none that is recognisable (free text such as "Apache 2.0", npm's ``UNLICENSED``), UNKNOWN when
    it was not looked up (only the ``license`` rule asks) or could not be; ``license_text`` is what the registry said,
    as written (shortened), when that is not an SPDX expression: for the reviewer. ``prior_license``: the same of the
    version an upgrade or downgrade moves from (so that a relicensing shows: MIT -> BUSL-1.1).
    """

    ecosystem: str
    name: str
    version: str
    release_time: dt.datetime | Unknown = UNKNOWN  # UTC
    yanked: bool | Unknown = UNKNOWN
    hashes: frozenset[str] | Unknown = UNKNOWN
    provenance: Provenance | None | Unknown = UNKNOWN  # None: the registry says the version has none
    install_script: bool | Unknown = UNKNOWN
    exists: bool | Unknown = UNKNOWN
    yanked_reason: str | None = None
    deprecated: str | None | Unknown = UNKNOWN  # npm's message
    registry: str | None = None
    stale: bool = False
    as_of: dt.datetime | Unknown = UNKNOWN  # the run's clock (UTC)
    prior_evidence: str | None | Unknown = UNKNOWN  # None: no earlier version
    prior_version: str | None = None
    prior_partial: bool = False
    # GitHub Actions pinned by commit: the commit each tag named by a version comment points to (None: the
    # repository has no such tag), and whether the pinned commit is reachable from a branch or tag of the named
    # repository (False: an impostor commit that exists only in a fork's network).
    tag_commits: Mapping[str, str | None] | Unknown = UNKNOWN
    reachable: bool | Unknown = UNKNOWN
    reason: str | None = None
    # PyPI: the latest upload of the files the lockfiles pin (a release can gain files long after it was published:
    # a stolen token can add a wheel to a release years old). None: nothing pinned, the release time is the age;
    # UNKNOWN: a pinned file whose upload time the index does not give.
    pinned_upload_time: dt.datetime | None | Unknown = None  # UTC
    # The advisories OSV lists for this version (empty: none; UNKNOWN: OSV could not be asked, and no synced
    # database answers offline).
    vulnerabilities: tuple[Advisory, ...] | Unknown = UNKNOWN
    # The version's license (rule ``license``; checker/versions/licenses.py): a normalised SPDX expression; None:
    # the registry gives none that is recognisable; UNKNOWN: not looked up (the rule is off) or not obtainable.
    license: str | None | Unknown = UNKNOWN
    license_text: str | None = None  # what the registry said, as written, when it is not an SPDX expression
    # The license of the version an upgrade or downgrade moves from (a relicensing is a change a reviewer must see);
    # UNKNOWN when not looked up, not obtainable, or when changes reach this version from versions licensed apart.
    prior_license: str | None | Unknown = UNKNOWN
    # The source repository the version names (rule ``scorecard``; checker/registries/sourcerepo.py): None: it names
    # none lockgate recognises as a repository; UNKNOWN: not looked up (only the scorecard rule asks) or not obtainable.
    repository: SourceRepository | None | Unknown = UNKNOWN
    # The OpenSSF Scorecard result of that repository: None: the repository has no score (Scorecard's API answered
    # 404, or the version names no repository it scores); UNKNOWN: not looked up or not obtainable.
    scorecard: Scorecard | None | Unknown = UNKNOWN
    # Rule ``publisher-change``: who uploaded this version (npm's ``_npmUser``; None: the registry names no uploader,
    # as PyPI never does; UNKNOWN: not looked up or not obtainable), who published the newest earlier releases
    # (newest first, at most the rule's ``releases``; the stable ones unless this version is a prerelease; UNKNOWN:
    # not looked up or not obtainable), how many releases were published before this one (UNKNOWN: not known), and
    # PyPI's ``ownership`` roles when the JSON API request another rule makes carries them (None: not served).
    uploader: Uploader | None | Unknown = UNKNOWN
    prior_publishers: tuple[ReleasePublisher, ...] | Unknown = UNKNOWN
    prior_count: int | Unknown = UNKNOWN
    ownership: Ownership | None | Unknown = UNKNOWN
    # The release file rule ``artifact-content`` inspects (PyPI), and the one of the release it is compared with (the
    # version an upgrade or downgrade moves from, else the release before it on the index): None for a prior when
    # there is none (a first release); UNKNOWN when not looked up (the rule is off) or not obtainable.
    artifact: ArtifactContents | Unknown = UNKNOWN
    prior_artifact: ArtifactContents | None | Unknown = UNKNOWN
    # The tag of that repository that names this version (rule ``source-tag``; checker/registries/stage.py): None: the
    # repository has none of the tags tried; UNKNOWN: not looked up (the rule is off, the repository is unknown or
    # not on GitHub, offline) or not obtainable (``reason`` says why).
    source_tag: SourceTag | None | Unknown = UNKNOWN
    # The GitHub API that answers for that repository's host (github.com, or GITHUB_API_URL's Enterprise Server),
    # whether or not it was reached; None: the version names no repository on a host lockgate reads tags from.
    tags_api: str | None = None
    # npm: the commit the version's packument entry says it was published from (``gitHead``); None: it names none;
    # UNKNOWN: not looked up (only the source-tag rule asks) or not obtainable.
    git_head: str | None | Unknown = UNKNOWN
    # Why ``vulnerabilities`` is UNKNOWN (OSV could not be asked and no synced database answers), apart from
    # ``reason`` (why a registry fact is): a rule names the cause of its own unknown, and the reports fold unknown
    # findings by cause ("registry unreachable: 4 checks skipped for 300 packages").
    advisories_reason: str | None = None

    @property
    def evidence(self) -> str | Unknown:
        """The version's evidence level: ``trusted-publisher``, ``provenance``, ``none``, or UNKNOWN."""
        if self.provenance is None:
            return NO_PROVENANCE
        return UNKNOWN if self.provenance is UNKNOWN else self.provenance.evidence

    @property
    def unknown_reason(self) -> str:
        """Why a registry fact is unknown, in words a user can act on."""
        return self.reason or "the registry was not asked"

    @property
    def advisories_unknown_reason(self) -> str:
        """Why the advisories are unknown, in words a user can act on."""
        return self.advisories_reason or "the advisory database was not asked"


class Finding(NamedTuple):
    """One rule's judgement on one dependency or change.

    ``excepted_by`` holds the reason of the policy exception that waived it (the finding is then shown but
    does not count towards the verdict).
    """

    rule: str
    level: str
    message: str
    dependency: Dependency | None = None
    change: Change | None = None
    manifest: str | None = None
    line: int | None = None
    hint: str | None = None
    excepted_by: str | None = None
    # True when the finding says "could not find out" rather than "found a problem"; its level then comes
    # from the policy's ``on-unknown``.
    unknown: bool = False
    # The advisory the finding is about (rules vulnerability and malicious; None for every other finding): an
    # exception may name it by id or alias, and the reports link to it.
    advisory: Advisory | None = None
    # An unknown finding: why the fact could not be had ("offline, not cached: https://pypi.org/simple/x/"); the
    # reports fold unknown findings by it (checker/report/unknowns.py). Empty for every other finding.
    cause: str = ""

    @property
    def counts(self) -> bool:
        return self.excepted_by is None and self.level != "off"


class ReviewStatus(NamedTuple):
    """Whether one change needs review and what, if anything, reviewed it.

    state: ``not-required``, ``required`` (no evidence yet) or ``reviewed``. evidence: a short description
    of what counted (``ledger .github/lockgate-reviews.yml:12 by alice``).
    """

    state: str
    evidence: str | None = None


class Report(NamedTuple):
    """Everything a renderer needs; renderers decide nothing, they only lay this out."""

    base: str
    head: str
    changes: tuple[Change, ...]
    findings: tuple[Finding, ...]
    reviews: tuple[ReviewStatus, ...]  # one per change, same order
    verdict: str
    policy: str | None = None
    judged_all: bool = False
    version: str = ""
    # What the registries said about the versions judged (one entry per ecosystem/name/version looked up;
    # offline runs hold UNKNOWN facts). Renderers show ages and provenance from here.
    facts: tuple[Facts, ...] = ()
