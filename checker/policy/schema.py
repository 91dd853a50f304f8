"""The policy file's JSON Schema (``lockgate schema``), generated from the rules' declared options.

Editors use it for completion and for marking mistakes as they are typed (``# yaml-language-server: $schema=...``),
so it describes what the loader (checker/policy/load.py) accepts, no more and no less: the shorthands the loader
takes (``rule: block`` for ``{level: block}``, one string for a list of one, an empty section), the non-blank strings
it insists on, the presets and rule ids it knows. tests/policy/test_schema.py holds the two to agreement on
the README's examples, the presets, and systematic mutations of them, with the independent ``jsonschema`` package.
What only the loader can judge stays with it: whether a version range parses, whether an ``extends`` path exists.
"""

from __future__ import annotations

from typing import Any

from checker import POLICY_SCHEMA_VERSION
from checker.model import CHANGE_KINDS, ECOSYSTEMS, LEVELS
from checker.policy.load import BUMP_CHOICES, ON_UNKNOWN, SCOPE_CHOICES, preset_names
from checker.rules import all_rules
from checker.rules.base import Option

# A string with something in it: the loader refuses "" and whitespace alone.
_TEXT: dict[str, Any] = {"type": "string", "pattern": "\\S"}


def _package_pattern() -> str:
    """``ecosystem:name[@version]`` as checker.policy.patterns.PackagePattern reads it: the ecosystem (any case) before
    the first ``:``, or none at all (any ecosystem); the version after the last ``@`` that does not start the name
    (``npm:@scope/pkg@1``); a name that is not blank. Whether the version is a valid range only the loader says."""
    ecosystem = "|".join(
        "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else "\\" + c for c in name)
        for name in ("*", *ECOSYSTEMS)
    )

    def rest(char: str, plain: str, solid: str, solid_plain: str) -> str:
        """char: any character allowed; plain: one that is not "@"; solid, solid_plain: their non-blank kin."""
        return f"(@{plain}*|{plain}*{solid_plain}{plain}*|{char}*{solid}{char}*@{plain}*)"

    with_ecosystem = rest("[\\s\\S]", "[^@]", "\\S", "[^\\s@]")
    without = rest("[^:]", "[^@:]", "[^\\s:]", "[^\\s@:]")
    return f"^(\\s*({ecosystem})\\s*:{with_ecosystem}|{without})$"


_PACKAGE = {
    "type": "string",
    "pattern": _package_pattern(),
    "description": f"ecosystem:name[@version-or-range] ({', '.join(ECOSYSTEMS)} or *), or a name in any ecosystem",
}

# http(s), a host, no query or fragment (credentials in it are allowed: they are sent to that origin only).
_URL = {"type": "string", "pattern": "^\\s*https?://[^/?#\\s]+(/[^?#]*)?$", "description": "an index or registry base URL"}
_OTHER_REGISTRIES = {
    "go": "the Go module proxy (GOPROXY; default https://proxy.golang.org)",
    "go-sumdb": "the Go checksum database (GOSUMDB; default https://sum.golang.org)",
    "cargo": "crates.io's API (default https://crates.io)",
    "gem": "RubyGems (default https://rubygems.org)",
    "composer": "Packagist's metadata (default https://repo.packagist.org)",
    "nuget": "the NuGet v3 service index (default https://api.nuget.org/v3/index.json)",
    "pub": "pub.dev (default https://pub.dev)",
}


def _one_or_more(item: dict[str, Any]) -> dict[str, Any]:
    """A list of items, or one item alone (the loader's shorthand for a list of one)."""
    return {"anyOf": [item, {"type": "array", "items": item}]}


def _spdx_item() -> dict[str, Any]:
    """An SPDX license id (offered by editors), a LicenseRef-, an id with ``+``, or an expression of several (the
    loader checks every id of an expression against the SPDX list; a pattern cannot)."""
    from checker.versions.licenses import spdx_ids

    return {
        "anyOf": [
            {"enum": spdx_ids()},
            {"type": "string", "pattern": r"^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$"},
            {"type": "string", "pattern": r"^[A-Za-z0-9.-]+\+$"},
            {"type": "string", "pattern": r"\S\s+(?:AND|OR|WITH|and|or|with)\s+\S"},
        ],
        "description": "an SPDX license id or expression (MIT, Apache-2.0 OR MIT, GPL-2.0-only WITH "
        "Classpath-exception-2.0, LicenseRef-Internal)",
    }


def _option_schema(option: Option) -> dict[str, Any]:
    kind = option.kind
    if kind == "int":
        schema: dict[str, Any] = {"type": "integer", "minimum": 0}
    elif kind == "score":
        schema = {"type": "number", "minimum": 0, "maximum": 10}
    elif kind == "bool":
        schema = {"type": "boolean"}
    elif kind == "str":
        schema = dict(_TEXT)
    elif kind == "choice":
        schema = {"enum": list(option.choices)}
    elif kind == "str-list":
        schema = _one_or_more(_TEXT)
    elif kind == "spdx-list":
        schema = _one_or_more(_spdx_item())
    elif kind == "license-scopes":
        schema = {"type": "object", "additionalProperties": {
            "type": "object", "minProperties": 1, "additionalProperties": False,
            "properties": {"allow": _one_or_more(_spdx_item()), "deny": _one_or_more(_spdx_item())}}}
    elif kind == "package-list":
        schema = _one_or_more(_PACKAGE)
    elif kind == "str-map":
        values: dict[str, Any] = {"enum": list(option.choices)} if option.choices else dict(_TEXT)
        schema = {"type": "object", "additionalProperties": values}
        if option.key_pattern is not None:
            schema["propertyNames"] = {"pattern": f"^(?:{option.key_pattern})$"}
    elif kind == "publisher-list":
        schema = {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["package", "repository"],
                "additionalProperties": False,
                "properties": {
                    "package": _PACKAGE,
                    "repository": {"type": "string", "pattern": "^\\s*[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+\\s*$",
                                   "description": "owner/repo (GitLab: namespace/project)"},
                    "workflow": _TEXT,
                    "environment": _TEXT,
                },
            },
        }
    else:  # deny-list
        schema = {
            "type": "array",
            "items": {
                "oneOf": [
                    _PACKAGE,
                    {
                        "type": "object",
                        "required": ["package"],
                        "additionalProperties": False,
                        "properties": {"package": _PACKAGE, "reason": _TEXT, "url": _TEXT},
                    },
                ]
            },
        }
    schema["description"] = option.doc
    return schema


def _extends() -> dict[str, Any]:
    """A shipped preset by name, or a path: the loader reads a name with a ``/`` or a YAML suffix as a path."""
    return {
        "description": "a preset (" + ", ".join(preset_names()) + ") or a path to another policy file",
        "anyOf": [{"enum": preset_names()}, {"type": "string", "pattern": "(/|\\.ya?ml$)"}],
    }


def policy_schema() -> dict[str, Any]:
    rule_ids = list(all_rules())
    rules: dict[str, Any] = {}
    for rule in all_rules().values():
        properties: dict[str, Any] = {"level": {"enum": list(LEVELS)}}
        properties.update({option.name: _option_schema(option) for option in rule.options})
        rules[rule.id] = {
            "description": rule.summary,
            "oneOf": [
                {"enum": list(LEVELS)},  # the shorthand `rule: block`
                {"type": "object", "additionalProperties": False, "properties": properties},
                {"type": "null"},  # `rule:` with nothing under it changes nothing
            ],
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://lockgate.dev/schema/policy-v{POLICY_SCHEMA_VERSION}.json",
        "title": "lockgate policy",
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": {
            "extends": _extends(),
            "on-unknown": {"enum": list(ON_UNKNOWN)},
            "paths": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {"ignore": _one_or_more(_TEXT)},
            },
            "rules": {"type": ["object", "null"], "additionalProperties": False, "properties": rules},
            "review": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {
                    "required-for": _one_or_more({"enum": list(CHANGE_KINDS)}),
                    "skip": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "minProperties": 1,  # an entry that names nothing would skip every review
                            "properties": {
                                "scope": {"enum": list(SCOPE_CHOICES)},
                                "bump": {"enum": list(BUMP_CHOICES)},
                                "kind": {"enum": list(CHANGE_KINDS)},
                                "package": _PACKAGE,
                                "direct": {"type": "boolean"},
                            },
                        },
                    },
                    "reviewers": _one_or_more(_TEXT),
                    "label": _TEXT,
                    "ledger": _TEXT,
                    "allow-stale-approvals": {"type": "boolean"},
                },
            },
            "hook": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "description": "the pre-commit hook: registries off unless online; what an unknown fact costs locally",
                "properties": {"online": {"type": "boolean"}, "on-unknown": {"enum": list(ON_UNKNOWN)}},
            },
            "exceptions": {
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "required": ["rule", "reason", "expires"],
                    "anyOf": [{"required": ["package"]}, {"required": ["advisory"]}],
                    "additionalProperties": False,
                    "properties": {
                        "rule": {"enum": [*rule_ids, "*"]},
                        "package": _PACKAGE,
                        "advisory": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9]*-[^\\s,;]+$",
                                     "description": "an advisory id or alias (GHSA-…, CVE-…, PYSEC-…, MAL-…); rules "
                                                    "vulnerability and malicious only"},
                        "reason": _TEXT,
                        "expires": {"type": "string", "format": "date"},
                    },
                },
            },
            "registries": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "description": "where and how registry facts are asked for (release times, hashes, provenance)",
                "properties": {
                    "pypi": {"oneOf": [_URL, {"type": ["object", "null"], "additionalProperties": False,
                                               "properties": {"url": _URL}}]},
                    "npm": {"oneOf": [_URL, {"type": ["object", "null"], "additionalProperties": False,
                                              "properties": {"url": _URL, "serves-provenance": {"type": "boolean"}}}]},
                    **{key: {"oneOf": [_URL, {"type": ["object", "null"], "additionalProperties": False,
                                              "properties": {"url": _URL}}],
                             "description": description}
                       for key, description in _OTHER_REGISTRIES.items()},
                    "osv": {"oneOf": [_URL, {"type": ["object", "null"], "additionalProperties": False,
                                              "properties": {"url": _URL, "private": {
                                                  **_one_or_more(_PACKAGE),
                                                  "description": "packages whose names are never sent to OSV's "
                                                  "API (answered from the synced copy only)"}}}],
                            "description": "the OSV API asked about advisories (default https://api.osv.dev)"},
                    "scorecard": {"oneOf": [_URL, {"type": ["object", "null"], "additionalProperties": False,
                                                    "properties": {"url": _URL}}],
                                  "description": "the OpenSSF Scorecard API asked about source repositories "
                                  "(default https://api.securityscorecards.dev)"},
                    "timeout": {"type": "number", "exclusiveMinimum": 0, "description": "seconds per request"},
                    "retries": {"type": "integer", "minimum": 0},
                    "budget": {"type": "number", "exclusiveMinimum": 0,
                               "description": "seconds all registry lookups of a run may take"},
                    "cache": {"type": "boolean"},
                    "cache-ttl": {"type": "integer", "minimum": 0,
                                  "description": "seconds a cached registry answer is used without asking again"},
                },
            },
        },
    }
