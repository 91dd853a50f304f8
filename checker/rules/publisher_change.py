"""publisher-change: an upgrade or downgrade to a version published by someone the package's recent releases never saw.

An account takeover publishes from an identity the project does not use: npm's 2025 chalk/debug releases came from a
maintainer account whose credentials were phished, litellm 1.82.8 was uploaded outside the project's usual
publishing path. The registries say who published each version:
- npm: ``_npmUser`` (the account name and e-mail, or the trusted publisher configuration when it was published
  through OIDC), for every version, in the one packument; and the repository and workflow a provenance
  attestation names;
- PyPI: the trusted publisher a release's provenance names (repository, workflow, environment). A token upload
  names nobody on PyPI, so there is nothing to compare then; the project's ``ownership`` roles are shown beside a
  finding when the JSON API was asked anyway.

The new version's identities are compared with those of the newest ``releases`` earlier releases (by publish time).
Names are compared as written: ``Alice``, ``alice `` or the same name with another e-mail are other identities,
and the finding says what they look like. Repositories compare without regard to case (GitHub's and GitLab's names
are case-insensitive: nobody else can own ``ACME/pkg``), workflows by file name. A move from a trusted publisher to
a token is provenance-downgrade's finding, not repeated here; a first move to trusted publishing is not flagged.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import NO_PROVENANCE, UNKNOWN, Facts, Ownership, Publisher, ReleasePublisher, Unknown, Uploader
from checker.rules.base import Issue, Option, Rule, Subject, provenance_facts
from checker.rules.provenance_downgrade import weaker

KINDS = ("upgraded", "downgraded")
_SHOWN = 3  # earlier identities named in a message


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep, change = subject.dependency, subject.change
    facts = provenance_facts(subject)
    if facts is None or change is None or change.kind not in KINDS or facts.exists is False:
        return
    if any(p.matches(dep.ecosystem, dep.name, dep.version) for p in options["exclude"]):
        return
    what = f"{dep.name} {dep.version}"
    count, earlier = facts.prior_count, facts.prior_publishers
    if isinstance(count, int) and count < max(1, options["min-releases"]):
        return  # a young package: every publisher is new to it
    if isinstance(facts.evidence, str) and isinstance(facts.prior_evidence, str) \
            and weaker(facts.evidence, facts.prior_evidence):
        return  # trusted publisher -> token: provenance-downgrade's finding
    if isinstance(count, Unknown) or isinstance(earlier, Unknown):
        yield _unknown(what, "who published the releases before it is unknown", facts)
        return
    earlier = earlier[: max(1, options["releases"])]
    judged = False
    if dep.ecosystem == "npm":
        if isinstance(facts.uploader, Unknown):
            yield _unknown(what, "the registry does not say who published it (no _npmUser)", facts)
            return
        seen = [e.uploader for e in earlier if isinstance(e.uploader, Uploader)]
        if facts.uploader is not None and seen:
            judged = True
            problem = _uploader_problem(facts.uploader, seen)
            if problem is not None:
                yield _finding(what, problem, facts)
                return
    new = facts.provenance.publishers if facts.provenance and not isinstance(facts.provenance, Unknown) else UNKNOWN
    known = [p for e in earlier if not isinstance(e.publishers, Unknown) for p in e.publishers]
    if isinstance(new, frozenset) and new and known:
        judged = True
        strangers = [p for p in sorted(new) if not any(_same_publisher(p, k) for k in known)]
        if strangers:
            came = _listed(sorted({k.describe() for k in known}))
            yield _finding(what, f"was published by {_listed([p.describe() for p in strangers])}; the provenance of "
                           f"the last releases named {came}", facts)
            return
    if not judged and _attested_unlooked(facts, new, earlier):
        yield _unknown(what, "the identities its provenance and the earlier releases' name could not be looked up",
                       facts)


def _uploader_problem(new: Uploader, seen: list[Uploader]) -> str | None:
    """What is wrong with ``new`` against the earlier uploaders ``seen``, None when one of them is the same."""
    if new.trusted is not None:
        configs = {u.trusted for u in seen if u.trusted is not None}
        if not configs or new.trusted in configs:
            return None  # the first move to trusted publishing, or the usual configuration
        return (f"was published through another trusted publisher configuration ({new.trusted}) than the last releases "
                f"({_listed(sorted(configs))})")
    if any(u.trusted is None and u.name == new.name and u.email == new.email for u in seen):
        return None
    names = list(dict.fromkeys(_describe(u) for u in seen))
    same_name = [u for u in seen if u.trusted is None and u.name == new.name]
    if same_name:
        before = _listed(list(dict.fromkeys(_mask(u.email) for u in same_name)))
        return (f"was published by npm user {new.name!r} with the e-mail {_mask(new.email)}; the account's releases "
                f"before it had {before} (an account whose e-mail changed: a takeover changes it first)")
    lookalike = [u.name for u in seen if _folded(u.name) == _folded(new.name)]
    if lookalike:
        return (f"was published by npm user {new.name!r}, which only looks like {lookalike[0]!r}, who published the "
                "last releases")
    return (f"was published by npm user {new.name!r}, who published none of the last {len(seen)} releases (they came "
            f"from {_listed(names)})")


def _same_publisher(new: Publisher, old: Publisher) -> bool:
    return new.kind.lower() == old.kind.lower() and old.matches(new.repository or "", new.workflow or "",
                                                               new.environment or "") \
        and (new.email or "") == (old.email or "")


def _attested_unlooked(facts: Facts, new: frozenset[Publisher] | Unknown,
                       earlier: tuple[ReleasePublisher, ...]) -> bool:
    """Whether identities that exist could not be compared: the version's provenance is unknown, or it has
    provenance but its publisher, or that of every earlier release with provenance, was not looked up (offline, a
    failed request). A version without provenance, or the first with it, has nothing to compare."""
    if isinstance(facts.provenance, Unknown):
        return True
    if facts.evidence == NO_PROVENANCE:
        return False
    return isinstance(new, Unknown) or any(isinstance(e.publishers, Unknown) for e in earlier)


def _describe(uploader: Uploader) -> str:
    return f"trusted publisher {uploader.trusted}" if uploader.trusted else repr(uploader.name)


def _mask(email: str | None) -> str:
    """An e-mail shown with its local part cut to one letter (``a…@example.com``): enough to see it changed."""
    if not email:
        return "no e-mail"
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}…@{domain}" if local else f"{email[:1]}…"


def _folded(name: str) -> str:
    return "".join(name.split()).casefold()


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown + (f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")


def _finding(what: str, problem: str, facts: Facts) -> Issue:
    owners = ""
    if isinstance(facts.ownership, Ownership):
        roles = _listed([f"{role} {user}" for role, user in facts.ownership.roles]) or "none listed"
        org = f"; organization {facts.ownership.organization}" if facts.ownership.organization else ""
        owners = f" (the project's roles on PyPI today: {roles}{org})"
    return Issue(
        f"{what} {problem}: a publisher new to a long-lived package is how an account takeover looks{owners}",
        hint="ask the maintainers (through the project's own channels) whether this release is theirs before taking "
        "it; stay on the previous version meanwhile",
    )


def _unknown(what: str, why: str, facts: Facts) -> Issue:
    return Issue(
        f"could not compare who published {what} with the earlier releases: {why} ({facts.unknown_reason})",
        hint="run where the registry can be reached (a mirror may strip who published a version: ask the registry "
        "itself)",
        unknown=True,
        cause=facts.unknown_reason,
    )


RULE = Rule(
    id="publisher-change",
    label="new publisher",
    default_level="off",
    action="Ask the maintainers whether the release is theirs",
    action_rank=112,
    offers_exception=True,
    summary="An upgraded version of a long-lived package comes from a publisher its recent releases used.",
    explanation=(
        "An account takeover publishes from an identity the project does not normally use: npm's 2025 chalk and "
        "debug releases came from a phished maintainer account, litellm 1.82.8 was uploaded outside the project's "
        "usual publishing path. For every upgraded or downgraded PyPI and npm version of a long-lived package "
        "(`min-releases` earlier releases), lockgate compares who published it with who published the newest "
        "`releases` earlier ones (by publish time): on npm the `_npmUser` account (name and e-mail, compared as "
        "written, so a look-alike name or an account whose e-mail changed is a new identity) or trusted publisher "
        "configuration, and on both registries the repository, workflow and environment a provenance attestation "
        "names (repositories without regard to case, workflows by file name; `lookups` earlier releases are asked, "
        "one request each). A PyPI token upload names nobody, so only trusted publishers are compared there; the "
        "project's `ownership` roles are shown when PyPI's JSON API was asked anyway. A move from a trusted "
        "publisher to a token upload is provenance-downgrade's finding and is not repeated here; a first move to "
        "trusted publishing is not flagged. Not known (offline, a mirror that strips `_npmUser`) is `unknown`."
    ),
    fix="Ask the maintainers through the project's own channels whether the release is theirs (a changed CI "
    "repository, a new maintainer); stay on the previous version until then. If it is legitimate, write an "
    "exception with a reason, or exclude the package.",
    example=(
        "chalk 5.6.0 and the 9 releases before it were published by npm user 'sindresorhus'; 5.6.1 by 'qix':\n"
        "  # warn: chalk 5.6.1 was published by npm user 'qix', who published none of the last 10 releases (they "
        "came from 'sindresorhus')"
    ),
    options=(
        Option("min-releases", "int", 5, "earlier releases a package needs before a new publisher is flagged"),
        Option("releases", "int", 10, "newest earlier releases whose publishers count as known"),
        Option("lookups", "int", 3, "earlier releases whose provenance identity is asked (one request each)"),
        Option("exclude", "package-list", [], "packages not checked (`npm:@acme/*`)"),
    ),
    check_dependency=check,
)
