"""license: a new or changed dependency whose license the policy's allow or deny list refuses.

What a license policy allows is the repository's choice, so the rule is off until a policy turns it on: with it
off nothing is looked up (a PyPI license costs one JSON API request per version) and no package without a license
warns in a repository that never asked. On, it judges the versions a change brings (added, upgraded, downgraded,
from another source, moved to another scope) and, with ``--all``, every dependency; an upgrade is judged by the
new version's license, so a relicensing to a license the lists refuse (MIT -> BUSL-1.1) is caught like a new
package, and the finding names both licenses (``Facts.prior_license``); a relicensing the lists allow is an info
finding, for the reviewer. The license comes from the registry (``Facts.license``, checker/versions/licenses.py):
PEP 639's expression, an unambiguous trove classifier or an SPDX free-text field on PyPI, the packument's
``license`` on npm.

How the lists are read (checker/versions/licenses.py): ``OR`` is a choice (``MIT OR GPL-3.0-only`` passes an
allow-list with MIT), ``AND`` binds to every part, ``X WITH E`` matches entries ``X WITH E`` and ``X``, ``X+`` and
``X-or-later`` match ``X`` and ``X-only``, a compound entry matches a whole expression. A package with no
recognisable license (free text, npm's ``UNLICENSED``, nothing) gets the level ``unknown`` says; one whose license
could not be found out (offline, an index without a JSON API) is an ``unknown`` finding that costs what the policy's
``on-unknown`` says.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import Unknown
from checker.rules.base import Issue, Option, Rule, Subject, metadata_facts

# The changes that bring a version whose license the policy has not judged where it now stands.
JUDGED_KINDS = frozenset({"added", "upgraded", "downgraded", "source-changed", "scope-changed"})


def _judged(subject: Subject, options: Mapping[str, Any]) -> bool:
    dep = subject.dependency
    if subject.change is not None and subject.change.kind not in JUDGED_KINDS:
        return False
    scopes = options["scopes"]
    if scopes and dep.scope not in scopes:
        return False
    return not any(pattern.matches(dep.ecosystem, dep.name, dep.version) for pattern in options["exclude"])


def _was(subject: Subject) -> str:
    change = subject.change
    if change is not None and change.before is not None and change.kind in ("upgraded", "downgraded"):
        return f" (was {change.before.version})"
    return ""


def _named(license: str | None) -> str:
    return license if license is not None else "no recognisable license"


def relicensing(subject: Subject) -> str | None:
    """``MIT -> BUSL-1.1`` when an upgrade or downgrade moves to a version licensed otherwise (both known)."""
    facts = subject.facts
    if facts is None or not _was(subject):
        return None
    before, after = facts.prior_license, facts.license
    if isinstance(before, Unknown) or isinstance(after, Unknown) or before == after:
        return None
    return f"{_named(before)} -> {_named(after)}"


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    facts = metadata_facts(subject)
    if facts is None or facts.exists is False or not _judged(subject, options):
        return
    dep = subject.dependency
    scoped = options["by-scope"].get(dep.scope)
    allow, deny = (scoped["allow"], scoped["deny"]) if scoped is not None else (options["allow"], options["deny"])
    changed = relicensing(subject)
    what = f"{dep.name} {dep.version}{_was(subject)}"
    exception = f"or write an exception for {dep.key}@{dep.version} with a reason"
    if isinstance(facts.license, Unknown):
        yield Issue(
            f"could not find out the license of {what} ({facts.unknown_reason}), so the license policy cannot be "
            "checked",
            hint="run where the registry can be reached (PyPI licenses come from pypi.org's JSON API), "
            f"{exception}",
            unknown=True,
            cause=facts.unknown_reason,
        )
        return
    if facts.license is None:
        level = options["unknown"]
        if level == "off":
            return
        said = f": the registry says {facts.license_text!r}" if facts.license_text else ": the registry names none"
        yield Issue(
            f"{what} {'is relicensed ' + changed if changed else 'has no recognisable SPDX license'}{said}",
            hint="read the package's license; if it is acceptable, add it to the policy as an exception (or its "
            f"SPDX id or LicenseRef- to license.allow), {exception}",
            level=level,
        )
        return
    from checker.versions.licenses import evaluate

    verdict = evaluate(facts.license, allow, deny) if allow or deny else None
    if verdict is None or verdict.passes:
        if changed is not None:  # allowed, but a relicensing is a change a reviewer must see
            yield Issue(f"{what} is relicensed {changed}",
                        hint="read the new license terms", level="info")
        return
    reasons = []
    if verdict.denied:
        reasons.append(f"the policy denies {', '.join(verdict.denied)}")
    if verdict.not_allowed:
        reasons.append(f"{', '.join(verdict.not_allowed)} is not on the allow-list")
    yield Issue(
        f"{what} is {'relicensed ' + changed if changed else 'licensed ' + facts.license}: "
        f"{'; '.join(reasons) or 'the lists refuse it'}",
        hint=f"choose another package or version, {exception}",
    )


RULE = Rule(
    id="license",
    label="license",
    default_level="off",
    action="Choose a package whose license the policy allows",
    action_rank=125,
    offers_exception=True,
    summary="A new or changed dependency whose license the allow or deny list refuses (off until configured).",
    explanation=(
        "The license of every version a change brings (added, upgraded, downgraded, moved to another source or "
        "scope; every dependency with `--all`) is read from the registry: on PyPI the PEP 639 `License-Expression`, "
        "else a trove classifier that names one license and version, else a free-text field that is itself an SPDX "
        "expression; on npm the packument's `license` (legacy `{type}` objects and `licenses` arrays too). `allow` "
        "and `deny` are SPDX ids or expressions: `OR` in a package's license is a choice (`MIT OR GPL-3.0-only` "
        "passes an allow-list with MIT), `AND` binds to every part, `X WITH E` matches `X WITH E` and `X`, `X+` and "
        "`X-or-later` match `X` and `X-only` (denying GPL-3.0-only denies GPL-3.0-or-later), deprecated ids match "
        "their successors (`GPL-2.0` is `GPL-2.0-only`). `by-scope` gives a scope lists of its own in place of "
        "`allow` and `deny` (a dev-only test tool under GPL, a shipped library never); `scopes` limits the rule to "
        "some scopes. An upgrade is judged by the new version's license, "
        "so a relicensing to a refused license blocks like a new package and says `MIT -> BUSL-1.1`; a relicensing the "
        "lists allow (or with no lists) is an info finding, since a reviewer must see it. A package with no "
        "recognisable license gets the level `unknown` says; one whose license could not be found out (offline, an "
        "index that is not Warehouse) costs what `on-unknown` says. The rule is off by default: a license policy is "
        "the repository's choice, and with it off no license is looked up."
    ),
    fix="Choose another package or version, or, when its license is acceptable after all, add it to `allow` or "
    "write a policy exception for the package with a reason.",
    example=(
        "package-lock.json: + @uniswap/v3-core 1.0.0   (license BUSL-1.1)\n"
        "  # block: @uniswap/v3-core 1.0.0 is licensed BUSL-1.1: BUSL-1.1 is not on the allow-list\n"
        "policy: license: {level: block, allow: [MIT, Apache-2.0, BSD-3-Clause, ISC], unknown: warn,\n"
        "                  exclude: [\"npm:@acme/*\"],\n"
        "                  by-scope: {dev: {allow: [MIT, Apache-2.0, BSD-3-Clause, ISC, GPL-3.0-only]}}}"
    ),
    options=(
        Option("allow", "spdx-list", [], "SPDX ids or expressions a license may use (empty: any not denied)"),
        Option("deny", "spdx-list", [], "SPDX ids or expressions a license may not use"),
        Option("unknown", "choice", "warn",
               "level for a package with no recognisable SPDX license (capped at the rule's)",
               ("off", "info", "warn", "block")),
        Option("scopes", "str-list", [], "dependency scopes judged (`prod`, `dev`, ...; empty: every scope)"),
        Option("by-scope", "license-scopes", {}, "lists for one scope, in place of `allow` and `deny` "
               "(`{dev: {allow: [MIT, GPL-3.0-only]}}`: a test tool may be GPL where a shipped library may not)"),
        Option("exclude", "package-list", [], "packages whose license is not judged (`npm:@acme/*`)"),
    ),
    check_dependency=check,
)
