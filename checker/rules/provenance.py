"""provenance: the packages a policy names must carry provenance, from the publisher it expects.

Presence of an attestation is not enough: the 2026 TanStack and "Mini Shai-Hulud" releases carried valid
provenance — built by a workflow an attacker had hijacked, or in a repository of the attacker's. What counts is
*who* published: ``trusted-publishers`` pins the repository (and optionally the workflow and environment) each
package must come from. The publisher is read from the registry (PyPI's Integrity API, npm's SLSA provenance
statement); with ``verify: true`` and the optional extra ``lockgate[verify]``, PyPI attestations are also verified
cryptographically against the expected publisher.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import Unknown
from checker.rules.base import Issue, Option, Rule, Subject, provenance_facts


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    facts = provenance_facts(subject)
    if facts is None:
        return
    pin = next((p for p in options["trusted-publishers"] if p.pattern.matches(dep.ecosystem, dep.name, dep.version)),
               None)
    required = pin is not None or any(p.matches(dep.ecosystem, dep.name, dep.version) for p in options["require"])
    if not required:
        return
    if facts.exists is False:
        return
    reason = facts.unknown_reason
    provenance = facts.provenance
    expected = f" from {pin.describe()}" if pin is not None else ""
    if isinstance(provenance, Unknown):
        yield Issue(
            f"could not find out whether {dep.name} {dep.version} has provenance{expected} ({reason})",
            hint="run where the registry itself can be reached (a mirror may strip provenance)",
            unknown=True,
            cause=reason,
        )
        return
    if provenance is None:
        yield Issue(
            f"{dep.name} {dep.version} has no provenance, and the policy requires it{expected}: it was not published "
            "from the project's CI (a token upload, as litellm 1.82.8's was)",
            hint="stay on a version that has provenance, and ask the maintainers how this one was published",
        )
        return
    if pin is None:
        return
    publishers = provenance.publishers
    if isinstance(publishers, Unknown):
        yield Issue(
            f"{dep.name} {dep.version} has provenance, but who published it could not be read ({reason})",
            hint="run where the registry can be reached",
            unknown=True,
            cause=reason,
        )
        return
    if not any(p.matches(repository=pin.repository, workflow=pin.workflow, environment=pin.environment)
               for p in publishers):
        who = ", ".join(sorted(p.describe() for p in publishers)) or "no publisher"
        yield Issue(
            f"{dep.name} {dep.version} was published by {who}, not by the expected {pin.describe()}: valid "
            "provenance from the wrong workflow or repository (as the 2026 TanStack releases had)",
            hint="do not take this version until the maintainers confirm the new publisher; then update "
            "provenance.trusted-publishers",
        )
        return
    if options["verify"] and dep.ecosystem == "pypi":
        verified = provenance.verified
        why = provenance.verification or "not verified"
        if verified is False:
            yield Issue(f"{dep.name} {dep.version}: the attestation does not verify: {why}",
                        hint="do not take this version; report it to the maintainers and to PyPI")
        elif verified is not True:
            yield Issue(f"{dep.name} {dep.version}: could not verify the attestation cryptographically ({why})",
                        hint="install lockgate[verify] and run online", unknown=True, cause=why)


RULE = Rule(
    id="provenance",
    label="provenance",
    default_level="block",
    action="Check the publisher, or write an exception",
    action_rank=100,
    offers_exception=True,
    summary="Named packages carry provenance, from the publisher the policy pins.",
    explanation=(
        "Provenance says where a release was built: PyPI's PEP 740 attestations name the trusted publisher (a "
        "GitHub or GitLab workflow), npm's SLSA provenance names the workflow and repository. For the packages "
        "`require` names, a version without provenance is blocked. Presence alone is not enough: the 2026 "
        "TanStack and \"Mini Shai-Hulud\" releases carried valid provenance from a hijacked workflow. "
        "`trusted-publishers` pins who must have published each package (`repository`, optionally `workflow` and "
        "`environment`); a release from anyone else is blocked. The publisher is the registry's word; with "
        "`verify: true` and the optional extra `lockgate[verify]` (pypi-attestations), PyPI attestations are also "
        "verified cryptographically against the pinned publisher — without the extra the rule says so (`unknown`) "
        "instead of pretending. A mirror that does not serve provenance makes the finding `unknown`, never \"none\"."
    ),
    fix="Stay on the previous version and ask the maintainers how the new one was published. If the publisher "
    "legitimately changed, update `trusted-publishers`.",
    example=(
        "policy: provenance: {level: block, trusted-publishers: [{package: \"pypi:moved\", repository: acme/moved,\n"
        "                                                         workflow: release.yml}]}\n"
        "requirements.txt: moved==2.0 -> moved==2.1\n"
        "  # block: moved 2.1 was published by GitHub evil/moved (publish.yml), not by the expected acme/moved"
    ),
    options=(
        Option("require", "package-list", [], "packages that must have provenance (`npm:@tanstack/*`)"),
        Option("trusted-publishers", "publisher-list", [],
               "expected publisher per package: {package, repository, workflow, environment}; implies require"),
        Option("verify", "bool", False, "verify PyPI attestations cryptographically (needs lockgate[verify])"),
    ),
    check_dependency=check,
)
