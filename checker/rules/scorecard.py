"""scorecard: a new or changed dependency whose source repository scores low on OpenSSF Scorecard.

OpenSSF Scorecard (https://scorecard.dev) rates how a repository is kept — code review, branch protection,
maintained or abandoned, pinned dependencies, dangerous workflows — from 0 to 10, and publishes the result of about
a million repositories. A low score is no proof of anything, but it is what a reviewer should know before the project
depends on the package, as GitHub's dependency review shows with ``warn-on-openssf-scorecard-level``.

The rule is off until a policy turns it on (the facts cost one request per repository, and a score is a judgement
call each repository makes for itself). On, it judges the versions a change brings (added, upgraded, downgraded;
every dependency with ``--all``) by the score of the repository the new version names (``Facts.repository``: PyPI's
project URLs, npm's ``repository``, an action's own repository; checker/registries/sourcerepo.py) and warns below
``min-score``. A package that names no repository, or whose repository Scorecard has not scored (most are not:
Scorecard scans GitHub's most depended-on repositories), gets the level ``unknown`` says — info by default: the
author of a pull request cannot make a third party's repository get scored, so a warning would be noise nobody can
act on, while the line still tells the reviewer that no score vouches for the package. A score that could not be
found out (offline and not cached, the API failing) costs what the policy's ``on-unknown`` says, as every unknown
fact does.

The repository is what the package claims: a typosquat may name a well-kept repository that is not its own. The
provenance rules check where a version was really built; this rule only reports the claimed repository's score.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import Facts, Scorecard, SourceRepository, Unknown
from checker.rules.base import METADATA_ECOSYSTEMS, Issue, Option, Rule, Subject, asks_registry

# The changes that bring a version from a repository the policy has not judged where it now stands.
JUDGED_KINDS = frozenset({"added", "upgraded", "downgraded"})
VIEWER = "https://scorecard.dev/viewer/?uri="
SCORED_HOSTS = ("github.com", "gitlab.com")  # the hosts Scorecard scans (checker/registries/scorecard.py asks only these)


def viewer_url(repo: SourceRepository, *, encoded: bool = True) -> str:
    """Scorecard's page of a repository's result (``https://scorecard.dev/viewer/?uri=github.com/owner/repo``);
    ``encoded``: the slashes of the query percent-encoded (the same page), as the reports' link checker wants a
    query."""
    from urllib.parse import quote

    return VIEWER + quote(repo.describe(), safe="" if encoded else "/")


def _facts(subject: Subject) -> Facts | None:
    """The facts the rule judges: a registry package's, or an action's (its repository is its name)."""
    dep = subject.dependency
    if (asks_registry(dep) and dep.ecosystem in METADATA_ECOSYSTEMS) or dep.ecosystem == "actions":
        return subject.facts
    return None


def _judged(subject: Subject, options: Mapping[str, Any]) -> bool:
    dep = subject.dependency
    if subject.change is not None and subject.change.kind not in JUDGED_KINDS:
        return False
    return not any(pattern.matches(dep.ecosystem, dep.name, dep.version) for pattern in options["exclude"])


def describe_score(card: Scorecard) -> str:
    """``3.2/10 (2024-11-13)``."""
    day = card.date[:10]
    return f"{card.score:g}/10" + (f" ({day})" if day else "")


def weakest(card: Scorecard) -> str:
    """``Code-Review 0 (Found 0/30 approved changesets), Maintained 0 (…)``: the checks that scored lowest."""
    return ", ".join(f"{c.name} {c.score}" + (f" ({c.reason})" if c.reason else "") for c in card.checks)


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    facts = _facts(subject)
    if facts is None or facts.exists is False or not _judged(subject, options):
        return
    dep = subject.dependency
    what = f"{dep.name} {dep.version}"
    exception = f"or write an exception for {dep.key}@{dep.version} with a reason"
    repo, card = facts.repository, facts.scorecard
    if isinstance(repo, Unknown) or isinstance(card, Unknown):
        yield Issue(
            f"could not find out the OpenSSF Scorecard score of {what}'s source repository ({facts.unknown_reason})",
            hint=f"run where the registry and api.securityscorecards.dev can be reached, {exception}",
            unknown=True,
            cause=facts.unknown_reason,
        )
        return
    level = options["unknown"]
    if repo is None:
        if level != "off":
            yield Issue(
                f"{what} names no source repository, so no OpenSSF Scorecard score vouches for it",
                hint="look for the package's source before you depend on it (PyPI: a Source or Repository project "
                f"URL; npm: the repository field), {exception}",
                level=level,
            )
        return
    if card is None:
        if level != "off":
            yield Issue(
                f"{what}'s source repository {repo.describe()} has no OpenSSF Scorecard score ("
                + ("Scorecard has not scored it" if repo.host in SCORED_HOSTS else
                   f"Scorecard scores repositories on {' and '.join(SCORED_HOSTS)} only") + ")",
                hint=f"look at {repo.url} yourself (how it is maintained and reviewed), {exception}",
                level=level,
            )
        return
    minimum = options["min-score"]
    if card.score >= minimum:
        return
    checks = weakest(card)
    yield Issue(
        f"{what}: its source repository {repo.describe()} scores {describe_score(card)} on OpenSSF Scorecard, "
        f"below {minimum:g}" + (f"; weakest: {checks}" if checks else ""),
        # Without its scheme: findings pass through credential redaction, which masks every URL's query values.
        # The reports link the page in full (the comment's links, SARIF's helpUri).
        hint=f"read its Scorecard page ({viewer_url(repo, encoded=False).removeprefix('https://')}) before you depend on it; choose "
        f"a better-kept package, {exception}",
    )


RULE = Rule(
    id="scorecard",
    label="low Scorecard score",
    facts_from="OpenSSF Scorecard",
    default_level="off",
    action="Read the repository's OpenSSF Scorecard before you depend on it",
    action_rank=128,
    offers_exception=True,
    summary="A new or changed dependency whose source repository scores below min-score on OpenSSF Scorecard "
    "(off until configured).",
    explanation=(
        "OpenSSF Scorecard rates how a repository is kept (code review, branch protection, maintenance, pinned "
        "dependencies, dangerous workflows, ...) from 0 to 10. For every version a change brings (added, upgraded "
        "or downgraded; every dependency with `--all`) lockgate reads the source repository the version names (PyPI: "
        "a Source, Repository, Code or GitHub project URL, else a Homepage that is a repository; npm: the version's "
        "`repository`; an action: its own repository) and asks Scorecard's API for its score; below `min-score` the "
        "finding names the score, the weakest checks and the repository's Scorecard page. A package that names no "
        "repository, or whose repository Scorecard has not scored, gets the level `unknown` says (info by default: "
        "most repositories are not scored, and nobody in the pull request can change that); a score that could not "
        "be found out costs what `on-unknown` says. The repository is the one the package claims; provenance checks "
        "where it was really built. The rule is off by default, and with it off Scorecard is never asked."
    ),
    fix="Read the repository's Scorecard page and weakest checks; choose a better-kept package, or, when the "
    "package is acceptable after all, write a policy exception for it with a reason.",
    example=(
        "requirements.txt: + tinyhttp 0.3.1   (source repository github.com/someone/tinyhttp)\n"
        "  # warn: tinyhttp 0.3.1: its source repository github.com/someone/tinyhttp scores 2.1/10 on OpenSSF\n"
        "  #   Scorecard, below 4; weakest: Code-Review 0 (Found 0/30 approved changesets), Maintained 0 (0 commit(s)\n"
        "  #   and 0 issue activity found in the last 90 days)\n"
        "policy: scorecard: {level: warn, min-score: 4, unknown: info, exclude: [\"npm:@acme/*\"]}"
    ),
    options=(
        Option("min-score", "score", 3.0,
               "the lowest acceptable Scorecard score, 0 to 10 (a version whose repository scores below it gets the "
               "rule's level)"),
        Option("unknown", "choice", "info",
               "level for a package that names no source repository, or whose repository has no Scorecard score "
               "(capped at the rule's)",
               ("off", "info", "warn", "block")),
        Option("exclude", "package-list", [], "packages whose repository is not judged (`npm:@acme/*`)"),
    ),
    check_dependency=check,
)
