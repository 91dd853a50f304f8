"""A rule's settings and the syntax of an exception for it, as ``lockgate explain RULE`` prints them.

Every value shown is one lockgate really uses: the default the rule's ``RULE.options`` declare, and beside it the
value a shipped preset gives where that preset sets it otherwise (``allow-path: []  (default preset: ["*"])``):
a repository without a policy file, and one whose policy ``extends: default``, gets the default preset's. Values
are written as they would be in the policy file (YAML flow style: ``true``, ``[]``, ``{"*": hash-pin}``), never as
Python writes them (``None``, ``True``). The exception snippet is one the policy loader accepts
(``checker/policy/load.py``: a rule, a package or an advisory, a reason, an expiry date); the tests load it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import textwrap
from typing import Any, Mapping

from checker.rules.base import Option, Rule

WIDTH = 100
# The presets whose values are shown beside a rule's own defaults, each against the one it extends.
SHOWN_PRESETS = (("default", None), ("strict", "default"))
# What an exception's placeholder package looks like for a rule; a rule that judges npm only gets an npm one.
_EXAMPLE_PACKAGES = {"install-scripts": "npm:name@1.2.3"}
_EXAMPLE_PACKAGE = "pypi:name@1.2.3"
_EXAMPLE_ADVISORIES = {"vulnerability": "GHSA-9wx4-h78v-vm56", "malicious": "MAL-2025-1234"}
# Not a placeholder that a reviewer would let through ("...", "TODO"): it says what the reason must hold.
_EXAMPLE_REASON = "what was checked, and why it is acceptable"
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+-]*")

# What a value of each option kind holds, for the line under the option's own text.
_KINDS = {
    "int": "a whole number, 0 or more",
    "score": "a number from 0 to 10",
    "bool": "true or false",
    "str": "a string",
    "str-list": "a list of strings",
    "package-list": "a list of `ecosystem:name` patterns (`*` globs; an optional `@version` or `@range`)",
    "spdx-list": "a list of SPDX license ids or expressions (`MIT`, `Apache-2.0 OR MIT`, `LicenseRef-Internal`)",
    "deny-list": "a list of packages (`ecosystem:name@version-or-range`), each a string or "
                 "{package, reason, url}",
    "publisher-list": "a list of {package, repository: owner/repo, workflow, environment}; package and repository "
                      "are required",
    "license-scopes": "a mapping of a scope (prod, dev, optional, build) to {allow: [...], deny: [...]}",
}


def yaml_text(value: Any) -> str:
    """A value as the policy file would write it, in YAML's flow style; None is "not set"."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value if _PLAIN.fullmatch(value) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{yaml_text(str(k))}: {yaml_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_text(item) for item in value) + "]"
    return json.dumps(str(value))


def preset_rules(name: str) -> dict[str, dict[str, Any]]:
    """The ``rules:`` of a shipped preset merged over the shipped presets it extends, as written (raw values: the
    loader's parsed forms, such as package patterns, are not what a user writes)."""
    from checker.policy.load import load_shipped_yaml, presets_dir

    with open(os.path.join(presets_dir(), f"{name}.yml"), encoding="utf-8") as handle:
        document = load_shipped_yaml(handle.read(), f"preset:{name}")
    merged = preset_rules(document["extends"]) if "extends" in document else {}
    for rule_id, setting in (document.get("rules") or {}).items():
        target = merged.setdefault(rule_id, {})
        target.update(setting if isinstance(setting, Mapping) else {"level": setting})
    return merged


def preset_values(rule: Rule) -> dict[str, list[tuple[str, Any]]]:
    """For each setting of the rule (``level`` and its options), the presets that set it otherwise than what they
    start from (the default preset from the rule's own defaults, strict from the default preset)."""
    own: dict[str, Any] = {"level": rule.default_level, **rule.defaults()}
    values = {"": own}
    out: dict[str, list[tuple[str, Any]]] = {}
    for name, base in SHOWN_PRESETS:
        setting = {**values[base or ""], **preset_rules(name).get(rule.id, {})}
        values[name] = setting
        for key, value in setting.items():
            if _normal(value) != _normal(values[base or ""].get(key)):
                out.setdefault(key, []).append((name, value))
    return out


def _normal(value: Any) -> Any:
    """A value compared as YAML would see it: a tuple and a list alike."""
    return yaml_text(value)


def default_level_text(rule: Rule) -> str:
    """The header's level: the rule's own, and the default preset's where that differs."""
    preset = dict(preset_values(rule).get("level", ()))
    if "default" in preset:
        return f"default level: {rule.default_level}; {preset['default']} in the default preset"
    return f"default level: {rule.default_level}"


def settings_lines(rule: Rule) -> list[str]:
    """Each setting with its default and what the presets give it, its text, and what its value holds."""
    presets = preset_values(rule)
    level = Option("level", "choice", rule.default_level, "the level of the rule's findings",
                   ("off", "info", "warn", "block"))
    out = _wrapped(f"Settings, under `rules: {rule.id}:` in the policy (each with the rule's default, and a "
                   "shipped preset's value where it differs):", "", "")
    for option in (level, *rule.options):
        head = f"{option.name}: {yaml_text(option.default)}"
        if option.name in presets:
            head += "  (" + "; ".join(f"{name} preset: {yaml_text(value)}" for name, value in presets[option.name]) + ")"
        out += _wrapped(head, "  ", "      ")
        out += _wrapped(option.doc, "      ", "      ")
        out += _wrapped("takes " + kind_text(option), "      ", "      ")
    return out


def kind_text(option: Option) -> str:
    """What a value of the option holds."""
    if option.kind == "choice":
        return "one of: " + ", ".join(option.choices)
    if option.kind == "str-map":
        values = ", ".join(option.choices) if option.choices else "a string"
        return f"a mapping of {option.key_doc or 'a pattern'} to {'one of ' if option.choices else ''}{values}"
    return _KINDS.get(option.kind, option.kind)


def exception_lines(rule: Rule, expires: dt.date) -> list[str]:
    """How to write an exception for the rule's findings, with a snippet the policy loader accepts; or that the
    rule offers none (its findings are fixed, not accepted)."""

    def entry(key: str, value: str) -> list[str]:
        return [f"    - rule: {rule.id}", f"      {key}: {value}", f'      reason: "{_EXAMPLE_REASON}"',
                f"      expires: {expires.isoformat()}"]

    advisory = _EXAMPLE_ADVISORIES.get(rule.id)
    if advisory is not None and not rule.offers_exception:
        # The loader accepts one form for malicious: a report shown to be false, waived by its advisory alone.
        return _wrapped("Exceptions: this rule offers none for a package (malware is never waived for a whole "
                        "package). An advisory shown to be a false report is waived by its id alone, in the "
                        "policy's `exceptions:`:", "", "") + ["  exceptions:", *entry("advisory", advisory)]
    package = _EXAMPLE_PACKAGES.get(rule.id, _EXAMPLE_PACKAGE)
    if rule.offers_exception:
        out = _wrapped("Exceptions: once a finding is checked, it may be accepted in the policy's `exceptions:` "
                       "(a reason and an expiry date are required; an expired exception is reported):", "", "")
    else:
        # The engine honours an exception for any rule (a repository migrating to hashes waives hash-pinning for a
        # package meanwhile); this rule's fix is the change itself, so lockgate never suggests one in a report.
        out = _wrapped("Exceptions: lockgate's reports never suggest one for this rule (fix what it reports, see Fix "
                       "above), but the policy's `exceptions:` can still accept its findings for a package, with a "
                       "reason and an expiry date (an expired exception is reported):", "", "")
    out += ["  exceptions:", *entry("package", f'"{package}"')]
    if advisory is not None:
        out += entry("advisory", advisory)
    out += _wrapped("package: `ecosystem:name`, with `*` globs and an optional `@version` or `@range`; the "
                    "exception covers the findings of that rule on the packages it matches", "  ", "    ")
    if advisory is not None:
        out += _wrapped("advisory: one advisory id or alias (GHSA-…, CVE-…, PYSEC-…): that advisory only, not the "
                        "next one found in the same version; with a package as well, only there", "  ", "    ")
    return out


def _wrapped(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False,
                         break_long_words=False)
