"""lockgate's SARIF output against the official SARIF 2.1.0 schema (tests/report/fixtures/sarif), with ``jsonschema``.

``jsonschema`` (a test dependency) does the validating. The schema's string formats are checked here too:
jsonschema leaves ``uri``, ``uri-reference`` and ``date-time`` unchecked unless optional packages (rfc3987,
rfc3339-validator) are installed, and those are not dependencies, so the three checks are registered below.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema

SCHEMA_PATH = Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"

_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("uri")
def _uri(value: object) -> bool:
    return not isinstance(value, str) or (bool(urlsplit(value).scheme) and " " not in value)


@_FORMATS.checks("uri-reference")
def _uri_reference(value: object) -> bool:
    return not isinstance(value, str) or (" " not in value and "\\" not in value)


@_FORMATS.checks("date-time")
def _date_time(value: object) -> bool:
    if not isinstance(value, str) or "T" not in value.upper():
        return not isinstance(value, str)
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=_FORMATS)


def sarif_errors(document: Any) -> list[str]:
    """Every way ``document`` breaks the SARIF 2.1.0 schema, as ``json-path: message``; [] when it is valid."""
    return [f"{error.json_path}: {error.message}" for error in _validator().iter_errors(document)]
