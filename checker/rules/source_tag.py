"""source-tag: a new PyPI or npm version with no matching tag in the source repository it names.

A release made the ordinary way is tagged in its repository: the maintainers' release workflow builds from the tag
(or ``npm version`` / ``git tag`` comes before the upload). A release pushed with a stolen token comes from the
attacker's machine and nothing in the repository says it exists: litellm 1.82.7 and 1.82.8 (March 2026) carried a
credential stealer, had valid hashes and a normal version bump, and ``github.com/BerriAI/litellm`` had no tag for
either while every release before them had one. That absence is visible on the day of the release, before any
advisory or list.

For every version a change brings (added, upgraded, downgraded; every dependency with ``--all``) whose registry
names a source repository (``Facts.repository``: PyPI's project URLs, npm's ``repository``;
checker/registries/sourcerepo.py), the facts stage asks the GitHub API (the client pin-comment uses; GitHub
Enterprise Server through ``GITHUB_API_URL``) for the tags ``candidate_tags`` lists, each compared exactly (GitHub's
``/git/ref/tags/{tag}`` names one ref: ``v1.82.80`` is not ``v1.82.8``), and records the first that exists
(``Facts.source_tag``). No tag: the level ``missing`` says (warn; block in strict: a project that does not tag, or
tags in a way of its own, is possible, and only a strict policy should block it). The rule is on in both presets
(the rule's own default level is off, for a policy that extends nothing). npm records the commit a
version was published from (``gitHead``); one that is not the tag's commit gets the rule's level, block: the
package was built from something else than the release the repository shows.

What the rule cannot check it says at the level ``unchecked`` gives, off by default: a package that names no
repository, one on a host other than GitHub (GitLab, Bitbucket, a self-hosted forge), or one whose index answers
about the version but not about its repository (an index without PyPI's JSON API: a mirror, a private index). Nobody in a pull request
can make a third party move its repository, and a line under every such package on every bump would teach
reviewers to skip the report (the strict preset keeps it off too; a policy that wants the list sets ``unchecked:
info``). A tag that could not be found out (offline,
GitHub failing or rate-limited, a repository GitHub's API does not know) is an unknown, costing what ``on-unknown``
says: it is never read as "no tag".

The repository is the one the package claims: a typosquat may name a well-kept repository that is not its own (then
the tag check passes on the real project's tags). provenance and provenance-downgrade check where a version was
really built; this rule catches the release its own repository does not know.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import Dependency, Facts, SourceRepository, Unknown
from checker.rules.base import Issue, Option, Rule, Subject, provenance_facts

# The changes that bring a version the repository should know.
JUDGED_KINDS = frozenset({"added", "upgraded", "downgraded"})


def candidate_tags(ecosystem: str, name: str, version: str) -> tuple[str, ...]:
    """The tag names a release of ``name`` ``version`` is tagged as, most common first: ``v1.2.3``, ``1.2.3``,
    ``name-1.2.3``, ``name@1.2.3``, ``name-v1.2.3``. PyPI: also with the version's PEP 440 normal form
    (``1.82.08`` is tagged ``v1.82.8``) and the name's normal form (``Foo_Bar`` -> ``foo-bar``). npm: a scoped
    package also as ``@scope/pkg@1.2.3`` (changesets, lerna) and its bare name (``pkg-1.2.3``)."""
    versions = [version]
    names = [name]
    if ecosystem == "pypi":
        from packaging.utils import canonicalize_name
        from packaging.version import InvalidVersion, Version

        try:
            versions.append(str(Version(version)))
        except InvalidVersion:
            pass
        names.append(canonicalize_name(name))
    elif ecosystem == "npm" and name.startswith("@") and "/" in name:
        names.append(name.partition("/")[2])
    found: list[str] = []
    for each in dict.fromkeys(versions):
        found += [f"v{each}", each]
        for label in dict.fromkeys(names):
            if label.startswith("@"):
                found.append(f"{label}@{each}")  # "@scope/pkg-1.2.3" is no tag anyone writes
                continue
            found += [f"{label}-{each}", f"{label}@{each}", f"{label}-v{each}"]
    return tuple(tag for tag in dict.fromkeys(found) if _safe_tag(tag))


# What a tag name asked of the API may hold: a name and version come from the pull request's lockfiles, and a
# segment ``..`` in a URL path is resolved by the HTTP stack (``v1/../../../other/repo/git/ref/tags/x`` would ask
# about another repository's tag and could "find" one there).
_TAG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_@/!")


def _safe_tag(tag: str) -> bool:
    return (0 < len(tag) <= 255 and set(tag) <= _TAG_CHARS
            and all(segment not in ("", ".", "..") for segment in tag.split("/")))


def github_hosts(api_url: str) -> frozenset[str]:
    """The repository hosts the GitHub API at ``api_url`` answers for: github.com, and a GitHub Enterprise Server's
    own host (``https://ghe.example.com/api/v3`` -> ``ghe.example.com``). github.com repositories are asked there too,
    as pin-comment asks about actions: a server that does not know one says so, and that is an unknown."""
    from urllib.parse import urlsplit

    host = (urlsplit(api_url).netloc or "").lower()
    return frozenset({"github.com"} | ({host} if host and host != "api.github.com" else set()))


def _judged(subject: Subject, options: Mapping[str, Any]) -> bool:
    dep = subject.dependency
    if subject.change is not None and subject.change.kind not in JUDGED_KINDS:
        return False
    return not any(pattern.matches(dep.ecosystem, dep.name, dep.version) for pattern in options["exclude"])


def _tried(dep: Dependency) -> str:
    return ", ".join(candidate_tags(dep.ecosystem, dep.name, dep.version or ""))


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    facts = provenance_facts(subject)
    if facts is None or facts.exists is False or not _judged(subject, options):
        return
    dep = subject.dependency
    what = f"{dep.name} {dep.version}"
    exception = f"or write an exception for {dep.key}@{dep.version} with a reason"
    repo = facts.repository
    unchecked = options["unchecked"]
    # An index without PyPI's JSON API (a mirror, a private index) names no repository (None, below): no run will
    # change that. An unknown repository is one this run could not find out (offline and not cached, the registry
    # failing): another run can, so it costs what on-unknown says.
    if isinstance(repo, Unknown):
        yield Issue(f"could not find out which source repository {what} names, so its release tag was not checked "
                    f"({facts.unknown_reason})",
                    hint=f"run where the registry and GitHub can be reached, {exception}", unknown=True,
                    cause=facts.unknown_reason)
        return
    if repo is None or facts.tags_api is None:
        # No repository, or one on a host no GitHub API answers for: nothing can be looked up.
        if unchecked != "off":
            where = "names no source repository" if repo is None else \
                f"names its source repository on {repo.host} ({repo.describe()}), where lockgate reads no tags"
            yield Issue(f"{what} {where}, so no release tag was checked",
                        hint="look for the release in the project's repository yourself before you trust it, "
                        + exception, level=unchecked)
        return
    yield from _judge_tag(dep, facts, repo, what, exception, options["missing"])


def _judge_tag(dep: Dependency, facts: Facts, repo: SourceRepository, what: str, exception: str,
               missing: str) -> Iterator[Issue]:
    tag = facts.source_tag
    if isinstance(tag, Unknown):
        yield Issue(f"could not find out whether {repo.describe()} has a release tag for {what} "
                    f"({facts.unknown_reason})",
                    hint=f"run where the registry and GitHub can be reached (a GITHUB_TOKEN lifts GitHub's rate "
                    f"limit), {exception}", unknown=True, cause=facts.unknown_reason)
        return
    if tag is None:
        if missing == "off":
            return
        yield Issue(
            f"{what}: its source repository {repo.describe()} has no tag for this version (tried {_tried(dep)}); "
            "a release uploaded without one may not come from the project's own release process",
            hint=f"compare with {repo.url}/tags and the project's changelog: a release the repository does not know "
            "(as litellm 1.82.7 and 1.82.8, uploaded with a stolen token) should not be installed until the "
            f"maintainers confirm it; {exception}",
            level=missing,
        )
        return
    head = facts.git_head
    if dep.ecosystem == "npm" and isinstance(head, str) and head != tag.commit:
        yield Issue(
            f"{what} was published from commit {head[:12]} (the registry's gitHead), but {repo.describe()}'s tag "
            f"{tag.name} points to {tag.commit[:12]}: the package was not built from the tagged release",
            hint=f"compare {repo.url}/compare/{tag.commit[:12]}...{head[:12]} and ask the maintainers before "
            f"installing it, {exception}",
        )


RULE = Rule(
    id="source-tag",
    label="source tag",
    default_level="off",
    action="Check that the release exists in its source repository",
    action_rank=115,
    offers_exception=True,
    summary="A new or changed PyPI or npm version that its source repository on GitHub has no tag for (npm: or "
    "whose gitHead is not the tag's commit).",
    explanation=(
        "A release made the ordinary way is tagged in its repository; one uploaded with a stolen token is not "
        "(litellm 1.82.7 and 1.82.8 had no tag in github.com/BerriAI/litellm, every release before them had one). "
        "For every version a change brings (added, upgraded or downgraded; every dependency with `--all`) lockgate "
        "reads the source repository the registry names (PyPI: a Source, Repository, Code or GitHub project URL, "
        "else a Homepage that is a repository; npm: the version's `repository`) and asks the GitHub API (GitHub "
        "Enterprise Server through GITHUB_API_URL; GITHUB_TOKEN or GH_TOKEN lifts the rate limit) for the tags "
        "`v1.2.3`, `1.2.3`, `name-1.2.3`, `name@1.2.3` and `name-v1.2.3` (PyPI: also the PEP 440 normal form of "
        "the version; npm: `@scope/pkg@1.2.3`), each compared exactly. No tag: the level `missing` says (warn; "
        "block in strict). npm: a version whose `gitHead` is not the tag's commit gets the rule's level (block). A package that names no repository, or one outside GitHub, "
        "gets the level `unchecked` says (off by default: nobody in the pull request can change it); a tag that "
        "could not be found out (offline, GitHub failing or rate-limited) costs what `on-unknown` says. On in the "
        "default preset (missing: warn) and the strict one (missing: block). The "
        "repository is the one the package claims; provenance checks where it was really built."
    ),
    fix="Look at the repository's tags and changelog: a release the repository does not know should wait until the "
    "maintainers confirm it (pin the previous version). A project that tags differently (a prefix of its own), or "
    "not at all, can be excluded with a reason.",
    example=(
        "requirements.txt: litellm 1.82.6 -> 1.82.8   (source repository github.com/BerriAI/litellm)\n"
        "  # warn: litellm 1.82.8: its source repository github.com/BerriAI/litellm has no tag for this version\n"
        "  #   (tried v1.82.8, 1.82.8, litellm-1.82.8, litellm@1.82.8, litellm-v1.82.8); a release uploaded\n"
        "  #   without one may not come from the project's own release process\n"
        "policy: source-tag: {level: block, missing: block, unchecked: info, exclude: [\"pypi:tags-nothing\"]}"
    ),
    options=(
        Option("missing", "choice", "warn",
               "level for a version its repository has no tag for (capped at the rule's; the rule's level itself is "
               "for an npm gitHead that is not the tag's commit)",
               ("off", "info", "warn", "block")),
        Option("unchecked", "choice", "off",
               "level for a version whose tag cannot be checked: the package names no source repository, or one "
               "outside GitHub (capped at the rule's)",
               ("off", "info", "warn", "block")),
        Option("exclude", "package-list", [], "packages whose releases are not looked for in their repository "
               "(a project that does not tag its releases)"),
    ),
    check_dependency=check,
)
