"""install-scripts: npm packages that run code at install time, judged where they enter or change.

npm runs a package's ``preinstall``, ``install`` and ``postinstall`` scripts (and ``node-gyp`` for a
``binding.gyp``) on every ``npm install`` and ``npm ci``, with the installing user's rights and secrets, before
any of the code is ever imported. npm lockfiles (version 2 and 3) record this as ``hasInstallScript``.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import Dependency
from checker.rules.base import Issue, Option, Rule, Subject


def _runs_scripts(dep: Dependency, subject: Subject) -> bool | None:
    """What the lockfile says, else what the registry said, else None (unknown)."""
    if dep.install_script is not None:
        return dep.install_script
    facts = subject.facts
    if facts is not None and isinstance(facts.install_script, bool):
        return facts.install_script
    return None


def _allowed(dep: Dependency, patterns: Any) -> bool:
    return any(pattern.matches(dep.ecosystem, dep.name, dep.version) for pattern in patterns)


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep, change = subject.dependency, subject.change
    if dep.ecosystem != "npm" or subject.manifest.kind != "lock" or _runs_scripts(dep, subject) is not True:
        return
    if _allowed(dep, options["allow"]):
        return
    hint = (
        f"read the package's install scripts before merging; if it must build, allow it: "
        f'install-scripts.allow: ["{dep.key}"] (or install with --ignore-scripts)'
    )
    if change is None or change.kind == "added":
        what = "a new dependency" if change is not None else "a dependency"
        yield Issue(
            f"{what} that runs an install script: {dep.name} {dep.display_version()} executes code on every "
            "npm install",
            hint=hint,
            level=options["added"],
        )
        return
    before = change.before
    if before is None:
        return
    had = before.install_script
    if had is True:
        return
    if had is False:
        yield Issue(
            f"{dep.name} {before.display_version()} -> {dep.display_version()} gains an install script: the new "
            "version runs code on every npm install that the old one did not (how the 2025 npm worms spread)",
            hint=hint,
        )
        return
    yield Issue(
        f"{dep.name} {before.display_version()} -> {dep.display_version()} runs an install script; the base "
        "revision's lockfile does not record whether the old version had one",
        hint=hint,
        level=options["added"],
    )


RULE = Rule(
    id="install-scripts",
    label="install script",
    default_level="block",
    action="Read the install script, then allow it",
    action_rank=120,
    offers_exception=True,
    summary="npm packages that run install scripts: a new one is flagged, a version that gains one is blocked.",
    explanation=(
        "npm runs a package's preinstall, install and postinstall scripts on every `npm install` and `npm ci`, "
        "with the installing user's permissions, tokens and cloud credentials, before a line of the package is "
        "imported. That is how the 2025 worms spread: nx 's1ngularity' (August 2025) added a postinstall that "
        "harvested secrets, and Shai-Hulud (September 2025) republished every package its stolen tokens could "
        "reach with a new postinstall that stole more tokens and published again. A package that starts running "
        "an install script in a patch release is the clearest sign of such a takeover, so a version change that "
        "gains `hasInstallScript` blocks. A newly added package with an install script is common (native builds "
        "such as esbuild or sharp) and is reported at the `added` level (warn by default) so that someone reads "
        "the script. `allow` names packages whose scripts are known and wanted. lockgate reads "
        "`hasInstallScript` from npm lockfiles (version 2 and 3; version 1 does not record it)."
    ),
    fix="Read the new install script. If it is expected, allow the package (`install-scripts.allow`) or record "
    "the review; otherwise pin the previous version and report the release.",
    example=(
        "package-lock.json (base -> head):\n"
        '  "node_modules/@ctrl/tinycolor": {"version": "4.1.0"}\n'
        '  -> {"version": "4.1.1", "hasInstallScript": true}      # block: gains an install script\n'
        '  "node_modules/esbuild": {"version": "0.25.0", "hasInstallScript": true}   # new: warn'
    ),
    options=(
        Option(
            "added",
            "choice",
            "warn",
            "level for a new package with an install script, and for `check --all` (capped at the rule's level)",
            ("off", "info", "warn", "block"),
        ),
        Option(
            "allow", "package-list", [], "packages whose install scripts are expected (`npm:esbuild`, `npm:@swc/*`)"
        ),
    ),
    check_dependency=check,
)
