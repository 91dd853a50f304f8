"""release-age: a new version younger than the policy's cooldown is held back.

Most malicious releases are found and pulled within hours or days: litellm 1.82.7 and 1.82.8 (March 2026) were
live for about 40 minutes, the 2025 npm worm releases for hours. A cooldown — Dependabot's ``cooldown``, pnpm's
``minimumReleaseAge``, uv's ``exclude-newer`` — lets the registry and the community catch them first. The age
comes from the registry (PyPI's PEP 700 ``upload-time``, npm's ``time``, RubyGems' ``created_at``, Packagist's
``time``), never from the lockfile, and is measured
from the run's clock (``--now`` pins it). A PyPI release can gain files after it was published (a stolen token
can add a wheel to an old release, and a lockfile tool then adds its hash: the quiet ``artifacts-added``), so its
age is that of the newest file the lockfiles pin when that is later (``Facts.pinned_upload_time``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator, Mapping

from checker.model import Unknown
from checker.rules.base import Issue, Option, Rule, Subject, registry_facts


def cooldown_days(options: Mapping[str, Any], bump: str | None) -> int:
    """The cooldown for a bump type: ``<bump>-days`` when set, else ``days``."""
    specific = options.get(f"{bump}-days") if bump in ("major", "minor", "patch") else None
    return specific if isinstance(specific, int) else options["days"]


def _when(stamp: dt.datetime) -> str:
    return stamp.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def age_words(delta: dt.timedelta) -> str:
    """A duration in the largest unit that keeps it readable: ``42 min``, ``5 h``, ``3 days``, ``4 months``. The
    one wording of ages: this rule's findings and the risk summary's age column say the same."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    days = hours // 24
    if days < 60:
        return f"{days} days"
    months = days // 30
    if months < 24:
        return f"{months} months"
    return f"{days // 365} years"


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    facts = registry_facts(subject)
    if facts is None:
        return
    if any(pattern.matches(dep.ecosystem, dep.name, dep.version) for pattern in options["exclude"]):
        return
    bump = subject.change.bump if subject.change is not None else None
    days = cooldown_days(options, bump)
    if days <= 0:
        return
    if facts.exists is False:
        return  # version-exists reports it
    released, now = facts.release_time, facts.as_of
    if isinstance(released, Unknown) or isinstance(now, Unknown):
        reason = facts.unknown_reason
        yield Issue(
            f"could not find out when {dep.name} {dep.version} was released ({reason}), so its "
            f"{days}-day cooldown cannot be checked",
            hint="run where the registry can be reached, or wait out the cooldown",
            unknown=True,
            cause=reason,
        )
        return
    newest = facts.pinned_upload_time  # a file added to the release after it was published is as new as its upload
    if isinstance(newest, Unknown):
        yield Issue(
            f"could not find out when the files of {dep.name} {dep.version} that the lockfile pins were uploaded "
            f"(the index gives no upload time for one of them), so its {days}-day cooldown cannot be checked",
            hint="run against an index that gives PEP 700 upload times (pypi.org does), or wait out the cooldown",
            unknown=True,
            cause="the index gives no upload time for a pinned file",
        )
        return
    cooldown = dt.timedelta(days=days)
    latest = newest if newest is not None and newest > released else released
    if now - latest >= cooldown:
        return
    if now - released < cooldown:
        what, when = f"was released {age_words(now - released)} ago ({_when(released)})", ""
    else:  # an old release whose pinned file is new
        what, when = f"gained its newest file {age_words(now - latest)} ago ({_when(latest)})", \
            "; the lockfile pins that file"
    which = f"{bump} bumps" if bump in ("major", "minor", "patch") and options.get(f"{bump}-days") is not None \
        else "new versions"
    yield Issue(
        f"{dep.name} {dep.version} {what}{when}; the policy's cooldown for {which} is {days} days",
        hint=f"wait until {_when(latest + cooldown)}, or, for an urgent fix, write an exception for "
        f"{dep.key}@{dep.version} with a reason",
    )


_DAYS_DOC = "cooldown in days for {} bumps (default: `days`)"

RULE = Rule(
    id="release-age",
    label="in cooldown",
    default_level="block",
    action="Wait for the cooldown",
    action_rank=130,
    offers_exception=True,
    summary="A new version younger than the cooldown (default 3 days) is held back.",
    explanation=(
        "Malicious releases are usually found and removed within hours or days: litellm 1.82.7 and 1.82.8 "
        "(March 2026, published with a stolen PyPI token) were live for about 40 minutes; the 2025 npm worm releases "
        "for a few hours. A cooldown lets the registry, scanners and the community catch them before they reach you, "
        "as Dependabot's `cooldown`, pnpm's `minimumReleaseAge` and uv's `exclude-newer` do. The release time comes "
        "from the registry (PyPI's `upload-time`, npm's `time`), never from the lockfile, and the age is measured "
        "from the run's clock (`--now` pins it). `days` is the cooldown; `major-days`, `minor-days` and "
        "`patch-days` set it per bump type (a new dependency uses `days`); `exclude` names packages you publish "
        "yourself. When the release time cannot be obtained (offline, a registry that does not say) the finding is "
        "`unknown` and costs what `on-unknown` says."
    ),
    fix="Wait until the cooldown ends (the finding says when). For an urgent fix, write a policy exception for that "
    "version with a reason and a short expiry.",
    example=(
        "requirements.txt: litellm==1.82.6 -> litellm==1.82.8   (released 40 min ago)\n"
        "  # block: litellm 1.82.8 was released 40 min ago (2026-03-24 10:12 UTC); the policy's cooldown for new\n"
        "  #        versions is 3 days\n"
        "policy: release-age: {level: block, days: 3, patch-days: 1, exclude: [\"pypi:our-*\"]}"
    ),
    options=(
        Option("days", "int", 3, "cooldown in days for a new version (0: no cooldown)"),
        Option("major-days", "int", None, _DAYS_DOC.format("major")),
        Option("minor-days", "int", None, _DAYS_DOC.format("minor")),
        Option("patch-days", "int", None, _DAYS_DOC.format("patch")),
        Option("exclude", "package-list", [], "packages without a cooldown (`pypi:internal-*`)"),
    ),
    check_dependency=check,
)
