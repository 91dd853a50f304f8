"""What a rule is: an id, a default level, an explanation, its options, and pure check functions.

A rule never reads files or the network. It is handed a Subject (one dependency of the head revision, the
change that brought it, its manifest, and the registry facts) and its validated options, and yields Issues.
The policy engine turns Issues into Findings at the level the policy sets.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, NamedTuple

from checker.model import Advisory, Change, Dependency, Facts, Manifest

# The action rank of a rule that sets none: after every rule that does, before the review (160).
DEFAULT_ACTION_RANK = 155

# The ecosystems whose registries the facts stage asks (checker/registries/stage.py).
REGISTRY_ECOSYSTEMS = ("pypi", "npm", "cargo", "gem", "composer", "go", "nuget", "pub")
# The ecosystems whose registries publish provenance and publisher identities lockgate reads (PyPI's attestations,
# npm's provenance and trusted publishers): the provenance rules judge these only. Elsewhere there is nothing to
# read, and an "unknown provenance" on every change would be noise nobody can act on.
PROVENANCE_ECOSYSTEMS = ("pypi", "npm")


def provenance_facts(subject: Subject) -> Facts | None:
    """``registry_facts`` for the ecosystems of PROVENANCE_ECOSYSTEMS, None for the others."""
    return registry_facts(subject) if subject.dependency.ecosystem in PROVENANCE_ECOSYSTEMS else None
# Go dependencies that are no module (the go.mod/go.work ``go`` and ``toolchain`` lines, named as ``go get
# go@1.22`` names them): no registry or advisory database is asked about them as modules.
GO_DIRECTIVES = frozenset({"go", "toolchain"})


def asks_registry(dep: Dependency) -> bool:
    """Whether lockgate asks a registry about this dependency: an exact PyPI, npm or crates.io version fetched from a
    registry (not a git, URL or path source, not an editable install, not bundled inside another package). A rule
    that reads registry facts applies to these only; the facts stage asks about these only."""
    return (
        dep.ecosystem in REGISTRY_ECOSYSTEMS and bool(dep.version) and dep.source.kind == "registry"
        and not dep.editable and not dep.bundled and not (dep.ecosystem == "go" and _unbuilt_go(dep))
    )


def _unbuilt_go(dep: Dependency) -> bool:
    """A go.mod ``go``/``toolchain`` line, or a go.sum module whose go.mod alone is listed (``constraint``: nothing
    of it is built, checker/manifests/go_sum.py): no release of it is installed to judge."""
    return dep.name in GO_DIRECTIVES or dep.constraint


def osv_version(dep: Dependency) -> str | None:
    """The version OSV is asked about for this dependency, None when OSV is not asked (its facts then hold no
    advisories to judge, and a rule that reads them skips it): an exact PyPI or npm version from a registry (as
    ``asks_registry``), an exact Maven version of an artifact fetched from a repository, or a GitHub Action whose
    ref is a full version tag (``v4.2.0`` is asked as ``4.2.0``, as GitHub's advisories write action versions), or a commit pin whose version comment is one. The comment is
    the pull request's word, and the pin the recommended form: asking by it is what lets advisories reach pinned
    actions at all, and a comment that lies about the commit is pin-comment's block (online)."""
    if asks_registry(dep):
        assert dep.version is not None
        # The Go vulnerability database writes versions without the ``v`` (``0.17.0``), and OSV is asked so.
        return dep.version[1:] if dep.ecosystem == "go" and dep.version[:1] == "v" else dep.version
    if dep.ecosystem == "swift" and dep.source.kind == "git" and dep.version and dep.source.url:
        # A Swift pin at a version (not a branch or bare revision): SwiftPM has no registry lockgate asks, but OSV
        # knows its packages by repository URL (``SwiftURL``).
        from checker.versions import cargo

        return dep.version if cargo.parse(dep.version) is not None else None
    if dep.ecosystem == "maven":
        # No Maven registry is asked (Maven Central has no API for release facts in scope), but OSV knows Maven
        # advisories by groupId:artifactId and version: an exact version of a fetched artifact is asked.
        return dep.version if dep.version and dep.source.kind == "registry" else None
    if dep.ecosystem == "actions" and dep.version:
        from checker.versions import semver
        from checker.versions.gitrefs import is_full_sha

        ref = dep.label if is_full_sha(dep.version) else dep.version
        if not ref:
            return None
        text = ref[1:] if ref[:1] in ("v", "V") else ref
        if semver.parse(text, loose=False) is not None:
            return text
    return None


def advisory_facts(subject: Subject) -> Facts | None:
    """The facts whose advisories (``Facts.vulnerabilities``) the vulnerability and malicious rules judge: None when
    OSV is not asked about the dependency (see ``osv_version``)."""
    return subject.facts if osv_version(subject.dependency) is not None else None


def advised_version(dep: Dependency) -> str:
    """The version a message about advisories names: an action pinned by commit is named by its comment and the
    commit (``v45.0.7 (0e58ed8671d6)``), since that comment is what OSV was asked about."""
    from checker.versions.gitrefs import is_full_sha

    if dep.ecosystem == "actions" and dep.version and is_full_sha(dep.version) and dep.label:
        return f"{dep.label} ({dep.version[:12]})"
    return dep.version or ""


class Option(NamedTuple):
    name: str
    kind: str
    default: Any
    doc: str
    choices: tuple[str, ...] = ()  # for "choice"; for "str-map", the values allowed
    key_pattern: str | None = None  # for "str-map": a regular expression every key must match in full
    key_doc: str | None = None  # for "str-map": what a key looks like, for error messages


class Subject(NamedTuple):
    """One dependency of the head revision, judged with what is known about it."""

    dependency: Dependency
    manifest: Manifest
    change: Change | None = None
    facts: Facts | None = None
    # The facts of the version the change moved off (``change.before``), when the facts stage looked it up: what
    # a rule needs to say what a change fixes (None: not looked up, or no change).
    before_facts: Facts | None = None


# The registries whose documents name a version's license and its source repository (PyPI's JSON API, npm's
# packument, crates.io's, RubyGems' and Packagist's APIs): the license rule and Scorecard's judge these. The Go
# module proxy names neither, and an "unknown license" on every Go change would be noise nobody can act on.
METADATA_ECOSYSTEMS = ("pypi", "npm", "cargo", "gem", "composer")


def metadata_facts(subject: Subject) -> Facts | None:
    """``registry_facts`` for the ecosystems of METADATA_ECOSYSTEMS, None for the others."""
    return registry_facts(subject) if subject.dependency.ecosystem in METADATA_ECOSYSTEMS else None


def registry_facts(subject: Subject) -> Facts | None:
    """The registry facts a rule that reads them judges its subject by: None when lockgate asks no registry about
    the dependency (see ``asks_registry``), or when no facts stage ran (the engine alone: nothing to judge). An
    offline run has facts, all UNKNOWN, so that a rule says what it could not check."""
    return subject.facts if asks_registry(subject.dependency) else None


class Issue(NamedTuple):
    """A rule's complaint. level None means the level the policy sets for the rule; a rule may ask for a lower
    one for a milder sub-case (the engine never raises a level above the policy's)."""

    message: str
    hint: str | None = None
    level: str | None = None
    unknown: bool = False
    line: int | None = None
    # The advisory the complaint is about (vulnerability, malicious): exceptions may name it by id or alias.
    advisory: Advisory | None = None
    # An unknown complaint: why the fact could not be had (the facts' reason), so that the reports fold the unknowns
    # of one cause into one line. Empty: the message says why.
    cause: str = ""


DependencyCheck = Callable[[Subject, Mapping[str, Any]], Iterable[Issue]]
# (head manifest, base manifest or None, options) -> issues about the manifest as a whole
ManifestCheck = Callable[[Manifest, "Manifest | None", Mapping[str, Any]], Iterable[Issue]]


class Rule(NamedTuple):
    """A rule: its id, default level and texts (``lockgate explain``), its options, its checks, and what the risk
    summary needs to know of it.

    ``action``: what the rule asks for, in a few words ("Pin a full commit SHA"); empty: "Resolve <id>".
    ``action_rank``: when several rules block one change, the summary shows the action of the lowest rank: first
    what means changing the pull request (malicious 5, deny 10, vulnerability 12 … pin-comment 90), then judgement calls that may end in a written
    exception (provenance 100 … install-scripts 120), then waiting (release-age 130), and the review last (160):
    reviewing a denied or unpinned version is wasted effort. A rule that says nothing comes just before the review.
    ``offers_exception``: a finding of this rule may be accepted deliberately, so its action offers an exception to
    write. ``asks_review``: the rule asks only for a review (a change blocked by nothing else "needs review").
    ``facts_from``: whose answer the rule's ``unknown`` findings lack, as a report names it when it folds them.
    ``label``: what a finding of the rule is, in two or three words, for the comment's "why" column.
    """

    id: str
    default_level: str
    summary: str
    explanation: str
    fix: str
    example: str
    options: tuple[Option, ...] = ()
    check_dependency: DependencyCheck | None = None
    check_manifest: ManifestCheck | None = None
    action: str = ""
    action_rank: int = DEFAULT_ACTION_RANK
    offers_exception: bool = False
    asks_review: bool = False
    facts_from: str = "the registry"
    label: str = ""  # a finding of the rule in two or three words, for a table cell ("movable ref"); empty: the id

    def defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}
