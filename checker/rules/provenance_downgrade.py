"""provenance-downgrade: a new version with weaker provenance than any version published before it.

A package that has been published by a trusted publisher (OIDC from its CI) or with provenance attestations and
then gets a version uploaded with a plain token is the signature of a stolen token: the attacker could publish,
but not from the project's CI. pnpm's ``trustPolicy: no-downgrade`` defines the check, which lockgate applies to
PyPI and npm alike: evidence levels trusted publisher > provenance attestation > none; the new version's level is
compared with the strongest level of any version published strictly earlier (by publish time, not version number;
prereleases skipped unless the new version is one).
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import UNKNOWN
from checker.rules.base import Issue, Option, Rule, Subject, asks_registry

RANK = {"none": 0, "provenance": 1, "trusted-publisher": 2}
WORDS = {"none": "no provenance", "provenance": "a provenance attestation", "trusted-publisher": "a trusted publisher"}


def evidence_of(provenance: object) -> object:
    """``trusted-publisher`` / ``provenance`` / ``none`` / UNKNOWN from a Facts.provenance value."""
    if provenance is UNKNOWN:
        return UNKNOWN
    if provenance is None:
        return "none"
    evidence = provenance.get("evidence") if isinstance(provenance, Mapping) else None
    return evidence if evidence in RANK else "provenance"


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    if not asks_registry(dep) or any(p.matches(dep.ecosystem, dep.name, dep.version) for p in options["exclude"]):
        return
    facts = subject.facts
    if facts is None:
        return  # no facts stage ran (the engine alone): nothing to judge; offline runs carry UNKNOWN facts
    if facts is not None and facts.exists is False:
        return
    reason = (facts.reason if facts is not None else None) or "the registry was not asked"
    evidence = evidence_of(facts.provenance) if facts is not None else UNKNOWN
    prior = facts.prior_evidence if facts is not None else UNKNOWN
    if prior is None:
        return  # the first version published: nothing to compare with
    if evidence is UNKNOWN or prior is UNKNOWN:
        what = "its provenance" if evidence is UNKNOWN else "the provenance of the versions published before it"
        yield Issue(
            f"could not compare the provenance of {dep.name} {dep.version} with earlier versions: {what} is unknown "
            f"({reason})",
            hint="run where the registry can be reached (a mirror may strip provenance: ask the registry itself)",
            unknown=True,
        )
        return
    if RANK[evidence] >= RANK[prior]:  # type: ignore[index]
        return
    earlier = f"version {facts.prior_version}" if facts and facts.prior_version else "an earlier version"
    yield Issue(
        f"{dep.name} {dep.version} was published with {WORDS[evidence]}, but {earlier} had {WORDS[prior]}: "  # type: ignore[index]
        "a release that did not come from the project's usual pipeline, as a stolen token's would not",
        hint=f"ask the maintainers why {dep.version} was not published the usual way before taking it; stay on the "
        "previous version meanwhile",
    )


RULE = Rule(
    id="provenance-downgrade",
    default_level="block",
    summary="A new version's provenance is not weaker than that of any version published before it.",
    explanation=(
        "Evidence of where a release was built ranks trusted publisher (published from CI through OIDC) > "
        "provenance attestation > none. A package that has been published with such evidence and then gets a "
        "version without it was most likely published with a stolen token: the attacker could upload, but not "
        "from the project's CI. The check is pnpm's `trustPolicy: no-downgrade`, applied to PyPI and npm alike: the "
        "new version's evidence is compared with the strongest evidence of any version published strictly earlier "
        "(by publish time, not by version number; prereleases are skipped unless the new version is one). Which "
        "versions had provenance is the registry's word; a mirror that does not serve it makes the finding "
        "`unknown`. `exclude` names packages that legitimately moved away from trusted publishing."
    ),
    fix="Find out from the maintainers why the release was published differently; stay on the previous version "
    "until then. If the change is legitimate, exclude the package or write an exception with a reason.",
    example=(
        "tp-then-token 1.0-1.2 were published by GitHub acme/tp-then-token (trusted publisher); 1.3 with a token:\n"
        "  # block: tp-then-token 1.3 was published with no provenance, but version 1.2 had a trusted publisher"
    ),
    options=(
        Option("exclude", "package-list", [], "packages not checked (`npm:legacy-*`)"),
    ),
    check_dependency=check,
)
