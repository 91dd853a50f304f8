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

from checker.model import EVIDENCE_RANK, Unknown
from checker.rules.base import Issue, Option, Rule, Subject, provenance_facts

# Each evidence level (checker.model.EVIDENCE_RANK) in words, as the finding and the risk summary say it.
EVIDENCE_WORDS = {"none": "no provenance", "provenance": "a provenance attestation",
                  "trusted-publisher": "a trusted publisher"}


def weaker(evidence: str, prior: str) -> bool:
    """Whether ``evidence`` ranks below ``prior`` (a level lockgate does not know ranks as a plain attestation)."""
    return _rank(evidence) < _rank(prior)


def evidence_words(evidence: str) -> str:
    return EVIDENCE_WORDS.get(evidence, EVIDENCE_WORDS["provenance"])


def _rank(evidence: str) -> int:
    return EVIDENCE_RANK.get(evidence, EVIDENCE_RANK["provenance"])


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    facts = provenance_facts(subject)
    if facts is None or any(p.matches(dep.ecosystem, dep.name, dep.version) for p in options["exclude"]):
        return
    if facts.exists is False:
        return
    reason = facts.unknown_reason
    evidence, prior = facts.evidence, facts.prior_evidence
    if prior is None:
        return  # the first version published: nothing to compare with
    if isinstance(evidence, Unknown) or isinstance(prior, Unknown):
        what = "its provenance" if isinstance(evidence, Unknown) else "the provenance of the versions published before it"
        yield Issue(
            f"could not compare the provenance of {dep.name} {dep.version} with earlier versions: {what} is unknown "
            f"({reason})",
            hint="run where the registry can be reached (a mirror may strip provenance: ask the registry itself)",
            unknown=True,
            cause=reason,
        )
        return
    if not weaker(evidence, prior):
        return
    earlier = f"version {facts.prior_version}" if facts.prior_version else "an earlier version"
    yield Issue(
        f"{dep.name} {dep.version} was published with {evidence_words(evidence)}, but {earlier} had {evidence_words(prior)}: "
        "a release that did not come from the project's usual pipeline, as a stolen token's would not",
        hint=f"ask the maintainers why {dep.version} was not published the usual way before taking it; stay on the "
        "previous version meanwhile",
    )


RULE = Rule(
    id="provenance-downgrade",
    label="weaker provenance",
    default_level="block",
    action="Find out why provenance got weaker, or write an exception",
    action_rank=110,
    offers_exception=True,
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
