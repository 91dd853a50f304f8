"""Settings and scripts as dependencies of ecosystem ``config``: name ``<tool>.<key>``, version the value as written.

Why settings are dependencies: a changed registry, a new package allowed to run install scripts, a changed
``postinstall`` decide what gets installed or run as much as a version bump does. As dependencies they take the
ordinary road: the diff makes a Change of each (``added``, ``removed``, or a changed value), every report shows it,
and it needs review like any other change.

Values. A value is shown as written, as checker/manifests/settings.py records registry settings: a string as it
is, a boolean as ``true``/``false``, a number as written, null as ``null``. A value the reports could not show as it is (a line break, a tab, a bidirectional override
or another character that is not printable) is written with escapes, the backslash included, much as JSON writes
a string (without the quotes; ``\\uXXXX`` or ``\\UXXXXXXXX`` for the unprintable rest): ``echo a\\nb``. Escaping only such values, and only then the backslash too, keeps the
written form one-to-one with the value (an escaped value always holds a backslash, a plain one never does), so
two different commands can never show as the same one.
"""

from __future__ import annotations

from checker.manifests.settings import setting, text_value
from checker.model import Dependency


def config_dependency(name: str, value: object, manifest: str, line: int | None) -> Dependency:
    """The setting or script ``name`` (``npm.scripts.postinstall``, ``pnpm.onlyBuiltDependencies``) of a
    manifest, with ``value`` as written (see ``shown_value``): a registry setting's record
    (checker/manifests/settings.py), scope ``build``."""
    return setting(name, shown_value(value), manifest, line)


def shown_value(value: object) -> str:
    """A decoded JSON or YAML value as the one line a report shows (see the module docstring)."""
    text = text_value(value)
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(_escaped(char) for char in text)


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
