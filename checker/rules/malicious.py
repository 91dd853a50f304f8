"""malicious: a version that a published advisory says is malware (an OpenSSF malicious-packages ``MAL-`` record or
a GHSA of type malware, as OSV serves them in ``Facts.vulnerabilities`` with ``malicious`` set).

Judged on every change that leaves the version in the tree, same-version kinds included: a malicious release
that a new lockfile entry, another source or other hashes keep installing is as dangerous as one newly added,
and the pull request is the moment someone looks. Advisories that could not be looked up are an ``unknown``
finding only for a change that brings in another version: a same-version change (more wheels, a stronger digest)
installs nothing the base did not, and an unknown there is noise. Blocks whatever the advisory's severity; only an exception
naming the very advisory waives it (checker/judge/engine.py), never one by package or rule ``*``.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import UNKNOWN
from checker.rules.base import Issue, Rule, Subject, advised_version, advisory_facts
from checker.rules.vulnerability import brings_version, distinct_advisories

HINT = ("remove it or go back to the last clean version, and treat every machine that installed it as compromised: "
        "its install scripts or .pth files ran there, so rotate the secrets they could read (tokens, cloud keys, "
        "SSH keys, CI secrets)")
ACTION_HINT = ("pin a commit of a release the advisory does not name, and treat every workflow run that used it as "
               "compromised: it ran with the job's token and secrets, so rotate them")


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    facts = advisory_facts(subject)
    version = advised_version(dep)
    if facts is None or facts.exists is False:
        return
    if facts.vulnerabilities is UNKNOWN:
        if not brings_version(subject.change):
            return  # a same-version change installs no version the base did not have: no new unknown to report
        reason = f" ({facts.advisories_reason})" if facts.advisories_reason else ""
        yield Issue(
            f"could not check whether {dep.name} {version} is a known malicious release: the advisory database "
            f"could not be asked{reason}; only lockgate's known-bad list was checked",
            hint="run where OSV can be reached, or `lockgate db sync` for offline runs",
            unknown=True,
            cause=facts.advisories_unknown_reason,
        )
        return
    for advisory in distinct_advisories(facts.vulnerabilities):
        if not advisory.malicious:
            continue
        aliases = f" ({', '.join(advisory.aliases)})" if advisory.aliases else ""
        summary = f": {' '.join(advisory.summary.split())}" if advisory.summary.strip() else ""
        where = f" (see {advisory.url})" if advisory.url else ""
        yield Issue(
            f"{dep.name} {version} is malware according to {advisory.id}{aliases}{summary}",
            hint=(ACTION_HINT if dep.ecosystem == "actions" else HINT) + where,
            advisory=advisory,
        )


RULE = Rule(
    id="malicious",
    label="malware",
    facts_from="OSV",
    default_level="block",
    action="Remove the malicious version and rotate the secrets it could read",
    action_rank=5,
    summary="No change keeps or brings in a version that a published advisory reports as malware.",
    explanation=(
        "OSV serves the OpenSSF malicious-packages feed (`MAL-` records) and GitHub's malware advisories next to "
        "the vulnerability databases: packages published to steal credentials, mine coins or open a back door, "
        "typosquats among them. A version reported there blocks whatever the record's severity, on any change "
        "that keeps it in the tree (a new entry, another source or other hashes of it too). Installing it may "
        "already have run its code: its install scripts, a .pth file at interpreter start. lockgate's shipped "
        "known-bad list (the `deny` rule) covers the best-known incidents when OSV cannot be asked (offline, "
        "hook); both may report one release, each in its own words. No exception by package or by `rule: \"*\"` "
        "waives this rule: only one naming the very advisory (`advisory: MAL-...`), for a record you have shown "
        "to be wrong (a research package of your own, a withdrawn report)."
    ),
    fix="Remove the dependency or go back to the release before the incident, and rotate every secret that a "
    "machine which installed it could read (CI secrets, tokens, cloud and SSH keys).",
    example=(
        "litellm 1.82.6 -> 1.82.7:\n"
        "  # block: litellm 1.82.7 is malware according to MAL-2026-2144 (PYSEC-2026-2): Malicious code in litellm\n"
        "  #        (PyPI) (remove it or go back to the last clean version, and ... rotate the secrets ...)"
    ),
    check_dependency=check,
)
