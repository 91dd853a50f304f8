"""version-exists: the registry still lists the version, and has not yanked it.

A version a registry no longer lists was deleted or unpublished — usually because it was malicious (litellm
1.82.7 and 1.82.8 were deleted from PyPI within hours) — or never existed there (a lockfile naming a version of
another registry). A yanked PyPI release (PEP 592) is one its maintainers asked installers to skip; so is an unlisted
NuGet version and a retracted pub version. RubyGems leaves a yanked version out of its version list, and Packagist a
deleted one: both read as "does not list". A Go version that a ``retract`` directive of its module's latest go.mod
covers is reported as yanked ("retracted"), with the directive's rationale.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import LEVELS, Unknown
from checker.rules.base import Issue, Option, Rule, Subject, registry_facts


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    facts = registry_facts(subject)
    if facts is None:
        return
    exists = facts.exists
    reason = facts.unknown_reason
    registry = facts.registry or "the registry"
    if exists is False:
        yield Issue(
            f"{registry} does not list {dep.name} {dep.version}: it was deleted or unpublished (as litellm 1.82.7 and "
            f"1.82.8 were), or never published there ({reason})",
            hint=f"move to a version the registry lists, and find out why {dep.version} was removed before trusting "
            "anything installed from it",
        )
        return
    if isinstance(exists, Unknown):
        yield Issue(
            f"could not find out whether {registry} still lists {dep.name} {dep.version} ({reason})",
            hint="run where the registry can be reached",
            unknown=True,
            cause=reason,
        )
        return
    if facts.yanked is True:
        why = f": {facts.yanked_reason}" if facts.yanked_reason else ""
        retracted = dep.ecosystem == "go"  # Go: a `retract` directive of the module's latest go.mod
        yield Issue(
            f"{dep.name} {dep.version} is retracted by its module's authors (the latest go.mod's retract){why}"
            if retracted else f"{dep.name} {dep.version} is yanked on {registry}{why}",
            hint="move to a release that is not retracted" if retracted else "move to a release that is not yanked",
            level=options["yanked"],
        )
    if isinstance(facts.deprecated, str) and facts.deprecated:
        yield Issue(
            f"{dep.name} {dep.version} is deprecated on {registry}: {facts.deprecated}",
            hint="move to the replacement the deprecation names",
            level=options["deprecated"],
        )


RULE = Rule(
    id="version-exists",
    label="not listed",
    default_level="block",
    action="Pick a version the registry lists",
    action_rank=20,
    summary="The registry still lists the version (deleted: block) and has not yanked it (warn).",
    explanation=(
        "A version the registry no longer lists was deleted or unpublished — usually because it was malicious: "
        "litellm 1.82.7 and 1.82.8 were deleted from PyPI within hours of their publication in March 2026 — or "
        "never existed there. A lockfile that still names it installs from a cache or a mirror, or fails later. A "
        "yanked PyPI release (PEP 592) is one its maintainers asked installers to skip (`yanked`, warn by "
        "default); an npm deprecation is reported at `deprecated` (info by default). Whether the version exists "
        "is the registry's word from this run: a cached copy that may predate the version is `unknown`, never "
        "\"deleted\"."
    ),
    fix="Move to a version the registry lists. If a deleted version was ever installed, treat the machines that "
    "installed it as compromised until you know why it was removed.",
    example=(
        "requirements.txt: litellm==1.82.8\n"
        "  # block: https://pypi.org/simple does not list litellm 1.82.8: it was deleted or unpublished"
    ),
    options=(
        Option("yanked", "choice", "warn", "level for a yanked version (capped at the rule's level)", LEVELS),
        Option("deprecated", "choice", "info", "level for an npm version marked deprecated (capped at the rule's "
               "level)", LEVELS),
    ),
    check_dependency=check,
)
