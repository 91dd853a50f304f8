"""Settings and scripts as dependencies of ecosystem ``config``: name ``<tool>.<key>``, version the value as written.

Why settings are dependencies: a changed registry, a new package allowed to run install scripts, a changed
``postinstall`` decide what gets installed or run as much as a version bump does. As dependencies they take the
ordinary road: the diff makes a Change of each (``added``, ``removed``, or a changed value), every report shows it,
and it needs review like any other change.

Values. A value is shown as written: a string as it is, a boolean as ``true``/``false``, a number as JSON writes
it, null as ``null``. A value the reports could not show as it is (a line break, a tab, a bidirectional override
or another character that is not printable) is written with escapes, the backslash included, much as JSON writes
a string (without the quotes; ``\\uXXXX`` or ``\\UXXXXXXXX`` for the unprintable rest): ``echo a\\nb``. Escaping only such values, and only then the backslash too, keeps the
written form one-to-one with the value (an escaped value always holds a backslash, a plain one never does), so
two different commands can never show as the same one.
"""

from __future__ import annotations

import json

from checker.model import Dependency


def config_dependency(name: str, value: object, manifest: str, line: int | None) -> Dependency:
    """The setting or script ``name`` (``npm.scripts.postinstall``, ``pnpm.onlyBuiltDependencies``) of a
    manifest, with ``value`` as written (see ``shown_value``). Scope ``build``: it shapes the install."""
    return Dependency(
        ecosystem="config",
        name=name,
        version=shown_value(value),
        scope="build",
        direct=True,
        manifest=manifest,
        line=line,
    )


def shown_value(value: object) -> str:
    """A decoded JSON or YAML value as the one line a report shows (see the module docstring)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value.isprintable() and "\\" not in value:
        return value
    return "".join(_escaped(char) for char in value)


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char.isprintable() or char == " ":
        return char
    code = ord(char)
    if code > 0xFFFF:
        return f"\\U{code:08x}"
    return f"\\u{code:04x}"
