"""deny: versions that must never be installed (known-malicious releases and the policy's own list)."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.rules.base import Issue, Option, Rule, Subject


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    for entry in options["packages"]:
        if entry.pattern.matches(dep.ecosystem, dep.name, dep.version):
            reason = f": {entry.reason}" if entry.reason else ""
            yield Issue(
                f"{dep.key}@{dep.display_version()} is denied by {entry.pattern.text}{reason}",
                hint=f"move off this version{(' (see ' + entry.url + ')') if entry.url else ''}",
            )
            return


RULE = Rule(
    id="deny",
    default_level="block",
    summary="Versions that must never be installed: publicly documented malicious releases and your own list.",
    explanation=(
        "Some releases are known to be malicious: litellm 1.82.7 and 1.82.8 (March 2026) stole credentials at "
        "start-up, chalk 5.6.1 and debug 4.4.2 (September 2025) swapped crypto-wallet addresses. lockgate ships "
        "a list of publicly documented ones (policies/known-bad.yml, used when `known-bad: true`) and lets a "
        "policy add its own entries, by exact version or range, per ecosystem and name (npm scopes respected: "
        "`npm:@scope/name@1.2.3`)."
    ),
    fix="Move to a version outside the list (a clean release published after the incident, or the one before it).",
    example=(
        "rules:\n"
        "  deny:\n"
        "    level: block\n"
        "    known-bad: true\n"
        "    packages:\n"
        "      - {package: \"pypi:requests@<2.31\", reason: \"CVE-2023-32681\"}"
    ),
    options=(
        Option("known-bad", "bool", True, "also deny the releases listed in lockgate's policies/known-bad.yml"),
        Option("packages", "deny-list", [], "denied packages: `ecosystem:name@version-or-range`, with a reason"),
    ),
    check_dependency=check,
)
