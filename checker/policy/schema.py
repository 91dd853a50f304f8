"""The policy file's JSON Schema, generated from the rules' declared options (``lockgate schema``)."""

from __future__ import annotations

from typing import Any

from checker.model import CHANGE_KINDS, LEVELS
from checker.policy.load import BUMP_CHOICES, ON_UNKNOWN, SCOPE_CHOICES
from checker.rules import all_rules
from checker.rules.base import Option

# ``ecosystem:name[@version]``, or a bare name for any ecosystem (the presets allow paths with ``"*"``).
_PACKAGE = {
    "type": "string",
    "pattern": "^((\\*|pypi|npm|actions|docker):.+|[^:]+)$",
    "description": "ecosystem:name[@version-or-range], or a name in any ecosystem",
}


_URL = {"type": "string", "pattern": "^https?://", "description": "an index or registry base URL"}


def _option_schema(option: Option) -> dict[str, Any]:
    kind = option.kind
    if kind == "int":
        schema: dict[str, Any] = {"type": "integer", "minimum": 0}
    elif kind == "bool":
        schema = {"type": "boolean"}
    elif kind == "str":
        schema = {"type": "string"}
    elif kind == "choice":
        schema = {"enum": list(option.choices)}
    elif kind == "str-list":
        schema = {"type": "array", "items": {"type": "string"}}
    elif kind == "package-list":
        schema = {"type": "array", "items": _PACKAGE}
    elif kind == "str-map":
        values: dict[str, Any] = {"enum": list(option.choices)} if option.choices else {"type": "string"}
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
                "properties": {"package": _PACKAGE, "repository": {"type": "string", "pattern": "^[^/]+/.+$"},
                               "workflow": {"type": "string"}, "environment": {"type": "string"}},
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
                        "properties": {"package": _PACKAGE, "reason": {"type": "string"}, "url": {"type": "string"}},
                    },
                ]
            },
        }
    schema["description"] = option.doc
    return schema


def policy_schema() -> dict[str, Any]:
    rules: dict[str, Any] = {}
    for rule in all_rules().values():
        properties: dict[str, Any] = {"level": {"enum": list(LEVELS)}}
        properties.update({option.name: _option_schema(option) for option in rule.options})
        rules[rule.id] = {
            "description": rule.summary,
            "oneOf": [{"enum": list(LEVELS)}, {"type": "object", "additionalProperties": False, "properties": properties}],
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://lockgate.dev/schema/policy-v1.json",
        "title": "lockgate policy",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "extends": {"type": "string", "description": "a preset (default, strict) or a path"},
            "on-unknown": {"enum": list(ON_UNKNOWN)},
            "paths": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"ignore": {"type": "array", "items": {"type": "string"}}},
            },
            "rules": {"type": "object", "additionalProperties": False, "properties": rules},
            "review": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "required-for": {"type": "array", "items": {"enum": list(CHANGE_KINDS)}},
                    "skip": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "scope": {"enum": list(SCOPE_CHOICES)},
                                "bump": {"enum": list(BUMP_CHOICES)},
                                "kind": {"enum": list(CHANGE_KINDS)},
                                "package": _PACKAGE,
                                "direct": {"type": "boolean"},
                            },
                        },
                    },
                    "reviewers": {"type": "array", "items": {"type": "string"}},
                    "label": {"type": "string"},
                    "ledger": {"type": "string"},
                    "allow-stale-approvals": {"type": "boolean"},
                },
            },
            "hook": {
                "type": "object",
                "additionalProperties": False,
                "description": "the pre-commit hook: registries off unless online; what an unknown fact costs locally",
                "properties": {"online": {"type": "boolean"}, "on-unknown": {"enum": list(ON_UNKNOWN)}},
            },
            "exceptions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["rule", "package", "reason", "expires"],
                    "additionalProperties": False,
                    "properties": {
                        "rule": {"type": "string"},
                        "package": _PACKAGE,
                        "reason": {"type": "string"},
                        "expires": {"type": "string", "format": "date"},
                    },
                },
            },
            "registries": {
                "type": "object",
                "additionalProperties": False,
                "description": "where and how registry facts are asked for (release times, hashes, provenance)",
                "properties": {
                    "pypi": {"oneOf": [_URL, {"type": "object", "additionalProperties": False,
                                               "properties": {"url": _URL}}]},
                    "npm": {"oneOf": [_URL, {"type": "object", "additionalProperties": False,
                                              "properties": {"url": _URL, "serves-provenance": {"type": "boolean"}}}]},
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
