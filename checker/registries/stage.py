"""The facts stage: what the outside world says about the versions a run judges, gathered before the rules run.

Rules are pure; they read Facts (``Subject.facts``). This stage asks, only for the dependencies handed to it (the
changed ones in a pull request, every one with ``--all``), concurrently, each question once:
- the package registries (checker/registries/gather.py) about PyPI and npm versions that come from a registry:
  whether the version exists or is yanked, when it was released, its published hashes, its provenance and
  publisher, its install scripts, the strongest provenance of the versions published before it, and (rule
  ``license`` on) its license;
- GitHub (checker/registries/github.py) about GitHub Actions and pre-commit hook repositories on github.com pinned
  by full commit SHA: the commit the version comment's tag points to, and whether the commit is reachable from a
  branch or tag of the repository;
- OpenSSF Scorecard (checker/registries/scorecard.py), when the ``scorecard`` rule is on, about the source
  repository each PyPI and npm version names (``Facts.repository``, read from the registry's answer: PyPI's JSON
  API, the one request the license shares; npm's packument) and each action's own repository: ``Facts.scorecard``,
  asked once per repository after the registries answered;
- GitHub again, when the ``source-tag`` rule is on, about the release tag of the source repository each PyPI and
  npm version names (``Facts.repository``, read as for Scorecard): ``Facts.source_tag`` (the first of the rule's
  candidate tags that exists, with its commit) and, for npm, ``Facts.git_head`` from the packument; the same
  GitHubRefs as the commit pins (one cache, one budget), one task per repository after the registries answered,
  concurrently with Scorecard (``_SourceTags``);
- OSV (checker/registries/osv.py) about the advisories that affect each version it can answer (``osv_version``:
  PyPI and npm versions, actions on a full version tag), when a rule that reads them (``OSV_RULES``) is on: the
  ``Facts.vulnerabilities`` of that version, each Advisory with its fix hint. It is asked in a thread of its own
  while the registries are asked, on the same HTTP helper, cache and time budget.

Offline (``--offline``, the hook's default) the registries answer from the on-disk cache only and GitHub is not
asked; whatever is not known is UNKNOWN with a reason ("offline, not cached: …"): "could not find out", never "no".
Nothing is looked up for rules that are off.

Where to ask: a manifest that names its own index or registry (``--index-url``, a uv/Poetry index, a lockfile's
``resolved`` host) is asked there when ``registry-source`` would accept it (``_refused_index``); packages from the public registries (or from none named) are asked at the
policy's ``registries.pypi`` / ``registries.npm`` URL when set (a mirror, a proxy, a test server), else at
``.npmrc``'s ``registry=`` (npm), else at pypi.org / registry.npmjs.org.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from checker.versions.gitrefs import PINNED_ECOSYSTEMS, comment_tag, is_full_sha, pinned_repository
from checker.model import (UNKNOWN, ArtifactContents, Dependency, Facts, Provenance, ReleasePublisher,
                           SourceRepository, Unknown)
from checker.rules.base import asks_registry, osv_version

if TYPE_CHECKING:
    from checker.registries.artifacts import Comparison
    from checker.policy.load import Policy, PublisherPin, RegistryPolicy
    from checker.registries.gather import FactsAnswer, FactsRequest, Registries
    from checker.registries.github import GitHubRefs
    from checker.registries.npmrc import NpmConfig
    from checker.registries.osv import OsvAnswer
    from checker.registries.types import VersionFacts

FactsKey = tuple[str, str, str]
WORKERS = 4
# The rules that read registry facts: the registries are asked only when one of them is on.
REGISTRY_RULES = ("release-age", "version-exists", "hash-mismatch", "provenance", "provenance-downgrade",
                  "install-scripts", "license", "scorecard", "publisher-change", "artifact-content", "source-tag")
# The rule that compares a version's publisher with the earlier releases' (checker/rules/publisher_change.py).
PUBLISHER_RULE = "publisher-change"
# The rule that reads release files' contents: wheels are inspected only when it is on.
ARTIFACT_RULE = "artifact-content"
# The rule that reads Scorecard results: Scorecard is asked only when it is on.
SCORECARD_RULE = "scorecard"
# The rule that reads release tags of source repositories: GitHub is asked about them only when it is on.
SOURCE_TAG_RULE = "source-tag"
# The rules that read advisories: OSV is asked only when one of them is on (a policy without them asks nothing).
OSV_RULES = ("vulnerability", "malicious")
PUBLIC_REGISTRIES = {
    "pypi": frozenset({"https://pypi.org/simple", "https://pypi.python.org/simple", "https://pypi.org/pypi"}),
    "npm": frozenset({"https://registry.npmjs.org", "https://registry.yarnpkg.com", "http://registry.npmjs.org"}),
    # crates.io's API, and its index as Cargo.lock and Cargo.toml's registry-index spell it
    "cargo": frozenset({"https://crates.io", "https://github.com/rust-lang/crates.io-index",
                        "registry+https://github.com/rust-lang/crates.io-index", "sparse+https://index.crates.io",
                        "https://index.crates.io"}),
    "gem": frozenset({"https://rubygems.org", "http://rubygems.org", "https://index.rubygems.org"}),
    "composer": frozenset({"https://repo.packagist.org", "https://packagist.org"}),
    "go": frozenset({"https://proxy.golang.org"}),
    "nuget": frozenset({"https://api.nuget.org/v3/index.json", "https://www.nuget.org/api/v2"}),
    "pub": frozenset({"https://pub.dev", "https://pub.dartlang.org"}),
}
_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def registry_facts_wanted(policy: Policy) -> bool:
    return any(policy.rules[rule].level != "off" for rule in REGISTRY_RULES if rule in policy.rules)


def scorecard_wanted(policy: Policy) -> bool:
    setting = policy.rules.get(SCORECARD_RULE)
    return setting is not None and setting.level != "off"


def artifacts_wanted(policy: Policy) -> bool:
    setting = policy.rules.get(ARTIFACT_RULE)
    return setting is not None and setting.level != "off"


def source_tag_wanted(policy: Policy) -> bool:
    setting = policy.rules.get(SOURCE_TAG_RULE)
    return setting is not None and setting.level != "off"


def osv_wanted(policy: Policy) -> bool:
    rules = policy.rules
    return any(rules.get(rule) is not None and rules[rule].level != "off" for rule in OSV_RULES)


def registry_for(dep: Dependency, policy: Policy, npm_config: NpmConfig | None = None) -> str | None:
    """The index / registry base URL to ask about ``dep`` (None: the public default). See the module docstring."""
    named = (dep.source.url or "").strip().rstrip("/") or None
    if named is not None and named not in PUBLIC_REGISTRIES.get(dep.ecosystem, frozenset()):
        return named
    configured: str | None = getattr(getattr(policy, "registries", None), dep.ecosystem, None)  # RegistryPolicy
    if configured:
        return configured
    if dep.ecosystem == "npm" and npm_config is not None:
        return npm_config.registry_for(dep.name)
    return None


def gather_facts(
    dependencies: Iterable[Dependency],
    *,
    offline: bool,
    environ: Mapping[str, str] | None = None,
    github: GitHubRefs | None = None,
    policy: Policy | None = None,
    now: dt.datetime | None = None,
    npmrc: Iterable[str | None] = (),
    registries: Registries | None = None,
    registries_offline: bool | None = None,
    previous: Mapping[FactsKey, Iterable[str]] | None = None,
) -> dict[FactsKey, Facts]:
    """Facts keyed by (ecosystem, name, version), as the policy engine looks them up.

    ``policy``: decides which lookups are needed (rules that are off cost nothing) and where to ask; without one
    only the GitHub lookups run (the historical behaviour). ``now``: the run's clock (``Facts.as_of``).
    ``npmrc``: texts of trusted ``.npmrc`` files (the user's is read here). ``github`` / ``registries``: a
    GitHubRefs / Registries to use instead of ones built from the environment (tests). ``registries_offline``:
    the package registries answer from the cache only (default: ``offline``). ``previous``: for a version, the
    versions the run's upgrades and downgrades move from (rule ``license``: ``Facts.prior_license``)."""
    import time

    deps = list(dependencies)
    found: dict[FactsKey, Facts] = {}
    # One time budget (the policy's registries.budget) for the whole stage: GitHub's lookups first, then the
    # registries get what is left, so that a slow GitHub and a slow registry do not add up.
    budget = policy.registries.budget if policy is not None else None
    started = time.monotonic()
    if github is None and not offline and (policy is None or policy.rules["pin-comment"].level != "off"
                                           or source_tag_wanted(policy)):
        from checker.registries.github import GitHubRefs  # one client: one cache and one budget for both lookups

        github = GitHubRefs.from_environment(environ, **({"budget_seconds": budget} if budget is not None else {}))
    if policy is None or policy.rules["pin-comment"].level != "off":
        found.update(_github_facts(deps, offline=offline, environ=environ, github=github, budget=budget))
    if policy is not None and (registry_facts_wanted(policy) or osv_wanted(policy)):
        deadline = started + budget if budget is not None else None
        registry = _registry_facts(deps, policy, offline=offline if registries_offline is None else registries_offline, environ=environ, now=now, npmrc=npmrc,
                                   registries=registries, deadline=deadline, previous=previous or {},
                                   github=github, github_offline=offline)
        for key, facts in registry.items():
            earlier = found.get(key)  # an action's GitHub facts: keep them, add what OSV and Scorecard said
            if earlier is not None:
                facts = earlier._replace(vulnerabilities=facts.vulnerabilities, repository=facts.repository,
                                         scorecard=facts.scorecard, advisories_reason=facts.advisories_reason,
                                         reason="; ".join(r for r in (earlier.reason, facts.reason) if r) or None)
            found[key] = facts
    return found


# -- package registries ------------------------------------------------------------------------------------------


def _refused_index(dep: Dependency, url: str | None, policy: Policy) -> str | None:
    """Why the index or registry a manifest names is not asked, or None when it may be.

    A pull request chooses its manifests, so a URL taken from one must not make lockgate send requests wherever
    the author likes (an internal address from a self-hosted runner, a host that logs who asks): it is asked only
    when ``registry-source`` would accept it (HTTPS, an allowed host). Registries the policy or the base
    revision's ``.npmrc`` configure, and the public defaults, are always asked."""
    named = (dep.source.url or "").strip().rstrip("/") or None
    if url is None or url != named:
        return None
    if "${" in url:
        from checker.redaction import redact_index_url

        return (f"the index URL {redact_index_url(url)} names an environment variable; lockgate does not expand it "
                "(name the index in the policy's registries section)")
    from checker.rules.registry_source import url_problem

    setting = policy.rules.get("registry-source")
    hosts = setting.options.get("hosts", ()) if setting is not None else ()
    problem = url_problem(url, {"hosts": list(hosts)})
    if problem is None:
        return None
    return (f"not asked: {problem} — lockgate asks no registry a change names unless registry-source allows it "
            "(add the host to registry-source.hosts, or name the registry in the policy's registries section)")


def _registry_facts(deps: list[Dependency], policy: Policy, *, offline: bool, environ: Mapping[str, str] | None,
                    now: dt.datetime | None, npmrc: Iterable[str | None], registries: Registries | None,
                    deadline: float | None = None,
                    previous: Mapping[FactsKey, Iterable[str]] | None = None, github: GitHubRefs | None = None,
                    github_offline: bool = True) -> dict[FactsKey, Facts]:
    """The registries' facts and OSV's advisories of ``deps`` (each only when a rule that reads it is on)."""
    wanted = [dep for dep in deps if asks_registry(dep)] if registry_facts_wanted(policy) else []
    advised = [dep for dep in deps if osv_version(dep) is not None] if osv_wanted(policy) else []
    # The versions changes move off, in the same batch: the vulnerability rule's "fixes …" line reads their
    # advisories (the engine looks them up by the old version).
    advised += [moved for dep in advised
                for old in sorted(set((previous or {}).get((dep.ecosystem, dep.name, dep.version or ""), ())))
                # (label=None: the comment a commit pin had before is not known here; it is not asked by the new one's)
                if old != dep.version and osv_version(moved := dep._replace(version=old, label=None)) is not None]
    scoring = scorecard_wanted(policy)
    tagging = source_tag_wanted(policy)
    actions = [dep for dep in deps if dep.ecosystem == "actions"] if scoring else []
    if not wanted and not advised and not actions:
        return {}
    from checker.registries.gather import FactsRequest, Registries
    from checker.registries.npmrc import parse_npmrc, user_npmrc

    npm_config = None
    if any(dep.ecosystem == "npm" for dep in wanted):
        npm_config = parse_npmrc([user_npmrc(environ), *npmrc], environ)
    provenance = policy.rules["provenance"] if "provenance" in policy.rules else None
    pins = provenance.options.get("trusted-publishers", ()) if provenance and provenance.level != "off" else ()
    change_rule = policy.rules.get(PUBLISHER_RULE)
    publisher_change = change_rule is not None and change_rule.level != "off"
    downgrade = "provenance-downgrade" in policy.rules and policy.rules["provenance-downgrade"].level != "off"
    history = downgrade or publisher_change
    # publisher-change: the earlier releases' uploaders come with the history's document; the identities their
    # provenance names cost a request each, so only ``lookups`` of them, and only for upgrades and downgrades.
    releases = int(change_rule.options.get("releases", 10)) if publisher_change and change_rule else 0
    lookups = int(change_rule.options.get("lookups", 3)) if publisher_change and change_rule else 0
    license = "license" in policy.rules and policy.rules["license"].level != "off"
    requests: dict[FactsKey, FactsRequest] = {}
    found: dict[FactsKey, Facts] = {}
    pinned: dict[FactsKey, set[str]] = {}  # every hash any manifest pins for a version, for its newest file's age
    for dep in wanted:
        key = (dep.ecosystem, dep.name, dep.version or "")
        pinned.setdefault(key, set()).update(h.lower() for h in dep.hashes)
        if key in requests or key in found:
            continue
        url = registry_for(dep, policy, npm_config)
        refused = _refused_index(dep, url, policy)
        if refused is not None:
            found[key] = Facts(*key, reason=refused, as_of=now or UNKNOWN)
            continue
        publishers = any(pin.pattern.matches(dep.ecosystem, dep.name, dep.version) for pin in pins)
        compared = publisher_change and key in (previous or {})
        requests[key] = FactsRequest(dep.ecosystem, dep.name, dep.version or "", registry=url,
                                     hashes=frozenset(h.lower() for h in dep.hashes), publishers=publishers or compared,
                                     history=history, publisher_limit=lookups if compared else 0, license=license,
                                     repository=scoring or tagging, ownership=compared)
    # The versions upgrades and downgrades move from, for their license only (npm: the packument already fetched;
    # PyPI: one JSON API request each).
    priors: dict[FactsKey, list[FactsRequest]] = {}
    if license:
        for key, request in requests.items():
            for old in sorted(set((previous or {}).get(key, ()))):
                if old and old != request.version:
                    priors.setdefault(key, []).append(FactsRequest(request.ecosystem, request.name, old,
                                                                   registry=request.registry, license=True))
    if requests or advised or actions:
        settings = policy.registries
        stack = registries or Registries.create(
            offline=offline, cache=settings.cache, environ=environ, ttl=float(settings.cache_ttl),
            timeout=settings.timeout, retries=settings.retries, budget_seconds=settings.budget,
            deadline=deadline if not offline else None,
            credentials=npm_config.credentials if npm_config is not None else None,
            npm_serves_provenance=_npm_provenance(settings), settings=settings,
        )
        for secret in npm_config.secrets if npm_config is not None else ():  # values expanded from the environment
            stack.fetcher.add_secret(secret)
        advisories = _Advisories(stack, advised, policy, environ) if advised else None  # asked meanwhile
        answers = (stack.gather([*requests.values(), *(r for rs in priors.values() for r in rs)])
                   if requests else {})
        verify = bool(provenance and provenance.level != "off" and provenance.options.get("verify"))
        for key, request in requests.items():
            answer = answers.get(request)
            if answer is None:
                continue
            facts = _to_facts(answer, now, releases)
            if key in priors:
                facts = facts._replace(prior_license=_prior_license([answers.get(r) for r in priors[key]]))
            if request.ecosystem == "pypi":
                facts = facts._replace(pinned_upload_time=newest_pinned_upload(answer.facts, pinned[key]))
            if verify and request.ecosystem == "pypi" and request.publishers and isinstance(facts.provenance, Provenance):
                pin = next(p for p in pins if p.pattern.matches(request.ecosystem, request.name, request.version))
                verified, why = _verify(stack, request, answer.facts, pin, offline)
                facts = facts._replace(provenance=facts.provenance._replace(verified=verified, verification=why))
            found[key] = _masked(facts, stack.fetcher.redact)
        if advisories is not None:
            for key, advice in advisories.result().items():
                facts = found.get(key) or Facts(*key, as_of=now or UNKNOWN)
                found[key] = facts._replace(vulnerabilities=advice.advisories,
                                            advisories_reason=advice.reason and stack.fetcher.redact(advice.reason))
        if artifacts_wanted(policy):
            _artifacts(stack, requests, found, previous or {})
        tags = _SourceTags(found, [*requests], github, offline=github_offline, environ=environ) if tagging else None
        if scoring:
            _scorecards(stack, found, [*requests], actions, policy, environ, now)
        if tags is not None:
            tags.apply(found)
        if registries is None:  # the stack this run made: its kept-alive connections end with it
            stack.close()
    return found


def _scorecards(stack: Registries, found: dict[FactsKey, Facts], asked: list[FactsKey], actions: list[Dependency],
                policy: Policy, environ: Mapping[str, str] | None, now: dt.datetime | None) -> None:
    """``Facts.repository`` of the actions (their own repository) and ``Facts.scorecard`` of every version asked
    about (the registries' ``asked`` and the actions), in ``found``; each repository asked once."""
    from checker.registries.scorecard import scorecard_url
    from checker.registries.sourcerepo import action_repository

    keys = list(dict.fromkeys(asked))
    for dep in actions:
        key = (dep.ecosystem, dep.name, dep.version or "")
        facts = found.get(key) or Facts(*key, as_of=now or UNKNOWN)
        found[key] = facts._replace(repository=action_repository(dep.name))
        keys.append(key)
    repositories = {facts.repository for key in keys if isinstance((facts := found[key]).repository, SourceRepository)}
    answers = stack.scorecard(scorecard_url(policy.registries.scorecard, environ)).scores(repositories) \
        if repositories else {}
    for key in dict.fromkeys(keys):
        facts = found[key]
        repo = facts.repository
        if isinstance(repo, Unknown):
            continue  # the registry could not say: the score stays UNKNOWN, the reason says why
        if repo is None:
            found[key] = facts._replace(scorecard=None)
            continue
        answer = answers[repo]
        reason = facts.reason
        if answer.reason and answer.scorecard is not None:  # unknown, or a stale copy; "not scored" the rule says
            reason = "; ".join(r for r in (reason, f"scorecard: {stack.fetcher.redact(answer.reason)}") if r)
        found[key] = facts._replace(scorecard=answer.scorecard, reason=reason)


def _artifacts(stack: Registries, requests: Mapping[FactsKey, FactsRequest], found: dict[FactsKey, Facts],
               previous: Mapping[FactsKey, Iterable[str]]) -> None:
    """``Facts.artifact`` and ``Facts.prior_artifact`` of the PyPI versions asked about (checker/registries/
    artifacts.py), concurrently on the registries' HTTP helper, cache and time budget."""
    from concurrent.futures import ThreadPoolExecutor

    from checker.registries.artifacts import Comparison, Inspector, compare
    from checker.registries.http import RegistryError

    keys = [key for key, request in requests.items()
            if request.ecosystem in ("pypi", "npm") and key in found and found[key].exists is not False]
    if not keys:
        return
    inspector = Inspector(stack.fetcher)

    def one(key: FactsKey) -> Comparison:
        request = requests[key]
        if request.ecosystem == "npm":
            return _npm_tarballs(stack, request, sorted(previous.get(key, ())))
        try:
            page = stack.pypi(request.registry).project(request.name)
        except RegistryError as error:
            return Comparison(UNKNOWN, UNKNOWN, error.reason)
        return compare(inspector, page, request.version, sorted(previous.get(key, ())))

    with ThreadPoolExecutor(max_workers=min(stack.workers, len(keys))) as pool:
        answers = list(pool.map(one, keys))
    for key, answer in zip(keys, answers):
        facts = found[key]
        reason = answer.reason and stack.fetcher.redact(answer.reason)
        # a failure the version's facts already name (the index page could not be read) is said once
        reason = reason and None if reason and reason in (facts.reason or "") else reason and f"artifact: {reason}"
        found[key] = facts._replace(artifact=answer.artifact, prior_artifact=answer.prior,
                                    reason="; ".join(r for r in (facts.reason, reason) if r) or None)


def _npm_tarballs(stack: Registries, request: FactsRequest, previous: list[str]) -> Comparison:
    """An npm version's tarball and the one it is compared with (the version the change moves from, else the one
    published before it), as artifacts (checker/registries/npm_contents.py): each read in memory after its
    integrity is checked, never unpacked to disk."""
    from checker.registries.artifacts import Comparison
    from checker.registries.http import RegistryError
    from checker.registries.npm_contents import NpmContentsClient, TarballError, as_artifact, release_before

    try:
        data = stack.npm(request.registry).packument(request.name).data
    except RegistryError as error:
        return Comparison(UNKNOWN, UNKNOWN, error.reason)
    packument: Mapping[str, Any] = data if isinstance(data, dict) else {}
    versions = packument.get("versions") or {}
    client = NpmContentsClient(stack.fetcher)

    def read(version: str) -> ArtifactContents | str:
        document = versions.get(version)
        if not isinstance(document, dict):
            return f"the packument lists no {request.name}@{version}"
        dist = document.get("dist")
        if not isinstance(dist, dict) or not isinstance(dist.get("tarball"), str):
            return f"the packument names no tarball for {request.name}@{version}"
        try:
            contents = client.contents(dist["tarball"], dist.get("integrity"), dist.get("shasum"))
        except TarballError as error:
            return f"{request.name}@{version}: {error.reason}"
        return as_artifact(dist["tarball"], version, contents, document)

    new = read(request.version)
    if isinstance(new, str):
        return Comparison(UNKNOWN, UNKNOWN, new)
    old_version = next((v for v in previous if v in versions and v != request.version), None) \
        or release_before(packument, request.version)
    if old_version is None:
        return Comparison(new, None, None)
    prior = read(old_version)
    return Comparison(new, UNKNOWN, prior) if isinstance(prior, str) else Comparison(new, prior, None)


class _SourceTags:
    """The release tag of each version's source repository (rule ``source-tag``), looked up on GitHub from
    construction on, concurrently with Scorecard, each (repository, tags) once; ``apply`` waits and writes
    ``Facts.source_tag`` (and ``tags_api``) into ``found``.

    Only repositories on a host a GitHub API answers for are asked (``github_hosts``: github.com, and
    GITHUB_API_URL's Enterprise Server); the others keep UNKNOWN with ``tags_api`` None, which the rule reads as
    "cannot be checked". Offline, or without a client, GitHub is not asked: UNKNOWN with the reason. The candidate
    tags are tried in order through ``GitHubRefs.tag_commit`` (exact ref names, annotated tags peeled, cached for
    the run); when none exists the repository itself is asked for, so that a repository the API does not know
    (private, deleted, or github.com asked at an Enterprise Server) is an unknown, never "no tag"."""

    def __init__(self, found: Mapping[FactsKey, Facts], keys: list[FactsKey], github: GitHubRefs | None, *,
                 offline: bool, environ: Mapping[str, str] | None) -> None:
        import os

        from checker.registries.github import DEFAULT_API_URL
        from checker.rules.source_tag import candidate_tags, github_hosts

        env = environ if environ is not None else os.environ
        self._api = github.api_url if github is not None else (env.get("GITHUB_API_URL") or DEFAULT_API_URL)
        hosts = github_hosts(self._api)
        self._keys: dict[FactsKey, tuple[SourceRepository, tuple[str, ...]]] = {}
        for key in dict.fromkeys(keys):
            repo = found[key].repository if key in found else None
            if isinstance(repo, SourceRepository) and repo.host in hosts:
                self._keys[key] = (repo, candidate_tags(*key))
        self._offline = offline or github is None
        self._future: list[Any] | None = None
        self._pool: Any = None
        # One task per repository (its versions one after another: a tag two of them try is asked once, from the
        # client's cache), the repositories concurrently.
        by_repository: dict[SourceRepository, list[tuple[str, ...]]] = {}
        for repo, tags in sorted(set(self._keys.values())):
            by_repository.setdefault(repo, []).append(tags)
        if by_repository and not self._offline:
            from concurrent.futures import ThreadPoolExecutor

            assert github is not None
            self._pool = ThreadPoolExecutor(max_workers=min(WORKERS, len(by_repository)),
                                            thread_name_prefix="lockgate-tags")
            self._future = [self._pool.submit(_find_tags, github, repo, lists) for repo, lists in by_repository.items()]

    def apply(self, found: dict[FactsKey, Facts]) -> None:
        answers: dict[tuple[SourceRepository, tuple[str, ...]], tuple[Any, str | None]] = {}
        if self._future is not None:
            for future in self._future:
                answers.update(future.result())
            self._pool.shutdown(wait=True)
        for key, lookup in self._keys.items():
            tag, why = answers.get(lookup, (UNKNOWN, "offline: GitHub was not asked about release tags"))
            facts = found[key]
            reason = "; ".join(r for r in (facts.reason, why and f"source tag: {why}") if r) or None
            found[key] = facts._replace(source_tag=tag, tags_api=self._api, reason=reason)


def _find_tags(github: GitHubRefs, repo: SourceRepository,
               lists: list[tuple[str, ...]]) -> dict[tuple[SourceRepository, tuple[str, ...]], tuple[Any, str | None]]:
    return {(repo, tags): _find_tag(github, repo, tags) for tags in lists}


def _find_tag(github: GitHubRefs, repo: SourceRepository, tags: tuple[str, ...]) -> tuple[Any, str | None]:
    """(the first of ``tags`` that ``repo`` has as a SourceTag, None when it has none, or UNKNOWN; why unknown)."""
    from checker.model import SourceTag
    from checker.registries.github import GitHubUnavailable

    if not tags:
        return UNKNOWN, "the name and version make no tag name lockgate asks GitHub about"
    try:
        for tag in tags:
            commit = github.tag_commit(repo.slug, tag)
            if commit is not None:
                return SourceTag(tag, commit), None
        if github.default_branch(repo.slug) is None:
            return UNKNOWN, f"GitHub's API at {github.api_url} knows no repository {repo.slug} (private, deleted or " \
                            "renamed, or not on this server)"
    except GitHubUnavailable as exc:
        return UNKNOWN, str(exc)
    return None, None


def _prior_license(answers: list[FactsAnswer | None]) -> str | None | Unknown:
    """The license of the versions a change moves from, when they are all known and agree; else UNKNOWN."""
    found = {answer.facts.license if answer is not None else UNKNOWN for answer in answers}
    if len(found) != 1:
        return UNKNOWN
    return found.pop()


class _Advisories:
    """OSV's answers for ``deps``, asked in a thread of its own from construction on (the registries are asked
    meanwhile, on the same HTTP helper and budget); ``result()`` waits for them, by FactsKey."""

    def __init__(self, stack: Registries, deps: list[Dependency], policy: Policy,
                 environ: Mapping[str, str] | None) -> None:
        import threading

        from checker.registries.advisories import osv_package
        from checker.registries.osv import OsvQuery, osv_url

        self._queries: dict[FactsKey, OsvQuery] = {}
        self._private: list[OsvQuery] = []
        kept = policy.registries.osv_private
        for dep in deps:
            version = osv_version(dep)
            assert version is not None
            query = self._queries.setdefault((dep.ecosystem, dep.name, dep.version or ""),
                                             OsvQuery(dep.ecosystem, osv_package(dep), version))
            if any(pattern.matches(dep.ecosystem, dep.name, dep.version) for pattern in kept):
                self._private.append(query)
        self._client = stack.osv(osv_url(policy.registries.osv, environ))
        self._answers: dict[Any, Any] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="lockgate-osv", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            private = set(self._private)
            self._answers = self._client.advisories([q for q in self._queries.values() if q not in private],
                                                    private=private)
        except BaseException as error:  # handed to the caller's thread, never lost
            self._error = error

    def result(self) -> dict[FactsKey, OsvAnswer]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return {key: self._answers[query] for key, query in self._queries.items()}


def newest_pinned_upload(version: VersionFacts, hashes: Iterable[str]) -> dt.datetime | None | Unknown:
    """The latest upload time of the files of ``version`` that ``hashes`` pin (release-age judges it: a file added
    to an old release is as new as its upload). None when no pinned hash names a published file (nothing pinned, or
    hashes the registry never published, which hash-mismatch reports); UNKNOWN when a pinned file has no upload
    time (PEP 700's ``upload-time`` missing)."""
    files = version.files_matching(hashes) if hashes else ()
    if not files:
        return None
    times = [file.upload_time for file in files]
    known = [time for time in times if isinstance(time, dt.datetime)]
    return max(known) if len(known) == len(times) else UNKNOWN


def _masked(facts: Facts, redact: Callable[[str], str]) -> Facts:
    """The facts with the run's secrets masked in the texts a registry client wrote (a reason, the registry):
    they may quote a registry URL with a token in its path, built outside the HTTP helper's own redaction."""
    texts = (facts.reason, facts.registry, facts.yanked_reason)
    reason, registry, yanked_reason = (redact(text) if text is not None else None for text in texts)
    if (reason, registry, yanked_reason) == texts:
        return facts
    return facts._replace(reason=reason, registry=registry, yanked_reason=yanked_reason)


def _verify(stack: Registries, request: FactsRequest, version: VersionFacts, pin: PublisherPin, offline: bool) -> tuple[bool | Unknown, str]:
    """Verify the attestation of the file the lockfile pins (else the first attested file) against ``pin``."""
    from checker.registries import verify
    from checker.registries.http import RegistryError
    from checker.registries.pypi import INTEGRITY_JSON, PROVENANCE_MAX_BYTES, PROVENANCE_TTL

    if not verify.available():
        return UNKNOWN, verify.EXTRA_MISSING
    attested = [f for f in version.files if isinstance(f.provenance_url, str) and f.provenance_url]
    chosen = [f for f in version.files_matching(request.hashes) if f in attested] or attested
    if not chosen:
        return UNKNOWN, "no file of this version has an attestation to verify"
    file = chosen[0]
    url = file.provenance_url
    assert isinstance(url, str)  # an attested file
    digest = next((h.split(":", 1)[1] for h in file.hashes if h.startswith("sha256:")), None)
    if digest is None:
        return UNKNOWN, f"the index gives no sha256 of {file.filename}"
    try:
        document = stack.pypi(request.registry).fetcher.json(
            url, accept=INTEGRITY_JSON, max_bytes=PROVENANCE_MAX_BYTES, ttl=PROVENANCE_TTL)
    except RegistryError as error:
        return UNKNOWN, error.reason
    return verify.verify_file(document.data, file.filename, digest, pin, offline=offline)


def _npm_provenance(settings: RegistryPolicy) -> Mapping[str, bool] | None:
    if settings.npm_serves_provenance is None:
        return None
    from checker.registries.npm import DEFAULT_REGISTRY

    return {settings.npm or DEFAULT_REGISTRY: settings.npm_serves_provenance}


def _to_facts(answer: FactsAnswer, now: dt.datetime | None, releases: int = 0) -> Facts:
    """The pipeline's Facts from a registry answer, with the prior evidence of its history and, for
    publisher-change, who published its ``releases`` newest earlier releases."""
    version = answer.facts
    facts = version.to_facts()
    reasons = [version.reason] if version.reason else []
    prior: str | None | Unknown = UNKNOWN
    prior_version: str | None = None
    partial = False
    history = answer.history
    prior_publishers: tuple[ReleasePublisher, ...] | Unknown = UNKNOWN
    prior_count: int | Unknown = UNKNOWN
    if history is not None and version.exists is True:
        if history.before != _EPOCH:
            prior_count = len(history.entries)
            if releases:
                prior_publishers = tuple(ReleasePublisher(  # no provenance: nobody to look up
                    e.version, e.uploader, frozenset() if e.evidence == "none" else e.publishers)
                    for e in history.entries[:releases])
        if history.before == _EPOCH:
            if history.reason and history.reason not in reasons:
                reasons.append(history.reason)
        elif not history.entries:
            prior = None
        else:
            prior, holder = history.strongest()
            prior_version = holder.version if holder is not None else None
            partial = history.partial
            if prior is UNKNOWN and history.reason and history.reason not in reasons:
                reasons.append(history.reason)
    return facts._replace(
        exists=version.exists, yanked_reason=version.yanked_reason, deprecated=version.deprecated,
        registry=version.registry or None, stale=version.stale, as_of=now or UNKNOWN, prior_evidence=prior,
        prior_version=prior_version, prior_partial=partial, reason="; ".join(reasons) or None,
        prior_publishers=prior_publishers, prior_count=prior_count,
    )


# -- GitHub ------------------------------------------------------------------------------------------------------


def _github_facts(deps: list[Dependency], *, offline: bool, environ: Mapping[str, str] | None,
                  github: GitHubRefs | None, budget: float | None = None) -> dict[FactsKey, Facts]:
    """Facts of commit pins of GitHub repositories: actions, and pre-commit hook repositories on github.com (a
    hook repository elsewhere is not asked anything: pin-comment reports that it cannot be checked)."""
    pins: dict[FactsKey, tuple[str, set[str]]] = {}
    for dep in deps:
        if dep.ecosystem not in PINNED_ECOSYSTEMS or not is_full_sha(dep.version):
            continue
        repo = pinned_repository(dep.ecosystem, dep.name)
        if repo is None:
            continue
        _, tags = pins.setdefault((dep.ecosystem, dep.name, dep.version or ""), (repo, set()))
        tag = comment_tag(dep.label)
        if tag is not None:
            tags.add(tag)
    if not pins:
        return {}
    if offline:
        return {key: Facts(*key, reason="offline: GitHub was not asked") for key in pins}
    from concurrent.futures import ThreadPoolExecutor  # not on the offline path: it imports logging

    if github is None:
        from checker.registries.github import GitHubRefs

        github = GitHubRefs.from_environment(environ, **({"budget_seconds": budget} if budget is not None else {}))
    keys = sorted(pins)
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(keys))) as pool:
        found = list(pool.map(lambda key: _pin_facts(github, key, pins[key][0], sorted(pins[key][1])), keys))
    return dict(zip(keys, found))


def _pin_facts(github: GitHubRefs, key: FactsKey, repo: str, tags: list[str]) -> Facts:
    from checker.registries.github import GitHubUnavailable

    reasons: list[str] = []
    if key[0] == "pre-commit":
        # An action that names no repository cannot run; a hook repository URL is a clone URL that the GitHub API
        # may not know (GitHub Enterprise Server's API asked about github.com): "not found" proves nothing here.
        try:
            if github.default_branch(repo) is None:
                return Facts(*key, reason=f"GitHub's API at {github.api_url} knows no repository {repo}")
        except GitHubUnavailable as exc:
            return Facts(*key, reason=str(exc))
    tag_commits: Mapping[str, str | None] | Unknown = UNKNOWN
    try:
        tag_commits = MappingProxyType({tag: github.version_tag_commit(repo, tag) for tag in tags})
    except GitHubUnavailable as exc:
        reasons.append(str(exc))
    reachable: bool | Unknown = UNKNOWN
    try:
        answer = github.commit_reachable(repo, key[2], tags)
        if answer is None:
            reasons.append(f"no branch or tag of {repo} among the first {github.max_compares} compared contains it")
        else:
            reachable = answer
    except GitHubUnavailable as exc:
        reasons.append(str(exc))
    return Facts(*key, tag_commits=tag_commits, reachable=reachable, reason="; ".join(reasons) or None)
