"""A small JSON Schema (draft-07) validator for the keywords the SARIF 2.1.0 schema uses, so that SARIF output is
checked against the official schema without a network or a test dependency.

Supported: type, enum, const, properties, required, additionalProperties (bool or schema), items (schema),
minItems, uniqueItems, minimum, maximum, pattern, format (uri, uri-reference, date-time), anyOf, oneOf, allOf,
local ``$ref`` (``#/definitions/...``). An unknown keyword is an error, so the checker cannot silently skip a rule.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import urlparse

_ANNOTATIONS = {"description", "default", "title", "$schema", "$id", "definitions", "examples"}
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _format_ok(fmt: str, value: str) -> bool:
    if fmt == "uri":
        parsed = urlparse(value)
        return bool(parsed.scheme) and " " not in value
    if fmt == "uri-reference":
        return " " not in value and "\\" not in value
    if fmt == "date-time":
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
        return True
    raise AssertionError(f"unsupported format {fmt}")


class Validator:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema

    def errors(self, instance: Any) -> list[str]:
        out: list[str] = []
        self._check(self.schema, instance, "$", out)
        return out

    def _resolve(self, ref: str) -> dict[str, Any]:
        assert ref.startswith("#/"), ref
        node: Any = self.schema
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def _check(self, schema: Any, value: Any, where: str, out: list[str]) -> None:
        if schema is True:
            return
        if schema is False:
            out.append(f"{where}: not allowed")
            return
        for key, rule in schema.items():
            if key in _ANNOTATIONS:
                continue
            if key == "$ref":
                self._check(self._resolve(rule), value, where, out)
            elif key == "type":
                types = rule if isinstance(rule, list) else [rule]
                if not any(_TYPES[t](value) for t in types):
                    out.append(f"{where}: expected {rule}, found {type(value).__name__}")
            elif key == "enum":
                if value not in rule:
                    out.append(f"{where}: {value!r} not one of {rule}")
            elif key == "const":
                if value != rule:
                    out.append(f"{where}: {value!r} is not {rule!r}")
            elif key == "properties":
                if isinstance(value, dict):
                    for name, sub in rule.items():
                        if name in value:
                            self._check(sub, value[name], f"{where}.{name}", out)
            elif key == "required":
                if isinstance(value, dict):
                    out.extend(f"{where}: missing {name}" for name in rule if name not in value)
            elif key == "additionalProperties":
                if isinstance(value, dict):
                    known = schema.get("properties", {})
                    for name, sub in value.items():
                        if name not in known:
                            self._check(rule, sub, f"{where}.{name}", out)
            elif key == "items":
                if isinstance(value, list):
                    for i, item in enumerate(value):
                        self._check(rule, item, f"{where}[{i}]", out)
            elif key == "minItems":
                if isinstance(value, list) and len(value) < rule:
                    out.append(f"{where}: fewer than {rule} items")
            elif key == "uniqueItems":
                if rule and isinstance(value, list):
                    seen = [json.dumps(v, sort_keys=True) for v in value]
                    if len(seen) != len(set(seen)):
                        out.append(f"{where}: items are not unique")
            elif key == "minimum":
                if _TYPES["number"](value) and value < rule:
                    out.append(f"{where}: {value} < {rule}")
            elif key == "maximum":
                if _TYPES["number"](value) and value > rule:
                    out.append(f"{where}: {value} > {rule}")
            elif key == "pattern":
                if isinstance(value, str) and not re.search(rule, value):
                    out.append(f"{where}: {value!r} does not match {rule}")
            elif key == "format":
                if isinstance(value, str) and not _format_ok(rule, value):
                    out.append(f"{where}: {value!r} is not a {rule}")
            elif key in ("anyOf", "oneOf", "allOf"):
                results = []
                for sub in rule:
                    errs: list[str] = []
                    self._check(sub, value, where, errs)
                    results.append(errs)
                passing = sum(1 for errs in results if not errs)
                if key == "anyOf" and not passing:
                    out.append(f"{where}: matches none of anyOf ({results})")
                elif key == "oneOf" and passing != 1:
                    out.append(f"{where}: matches {passing} of oneOf")
                elif key == "allOf":
                    for errs in results:
                        out.extend(errs)
            else:
                raise AssertionError(f"unsupported schema keyword {key!r} at {where}")
