"""``pip.conf`` and ``pip.ini``: pip's configuration files (format "pip-conf", kind "declared").

pip reads them with ``configparser.RawConfigParser`` (no interpolation; ``=`` or ``:`` between key and value; full
line comments with ``#`` or ``;``, no inline comments; indented lines continue a value; a duplicate section or key
is an error; ``[DEFAULT]`` values reach every section) and names every key ``<section>.<key>`` after lower-casing
it, turning ``_`` into ``-`` and dropping a leading ``--`` (pip's ``_normalize_name``). lockgate reads the file with
the same parser, so a value continued over several lines, a key spelled ``Index_URL`` or ``--index-url``, and a
``[DEFAULT]`` section are read as pip reads them. A file configparser refuses, pip refuses too: an error with its
line.

Sections: ``[global]`` applies to every pip command, ``[install]``, ``[download]``, ``[wheel]``, ``[index]`` and
the others to one; lockgate reads them all. Read, each as a ``config`` dependency named ``pip.<key>``
(checker/manifests/settings.py) with the section as its label: ``index-url``, ``extra-index-url``, ``find-links``
and ``trusted-host`` (one per value: pip splits them at white space), ``no-index``, ``require-hashes``,
``only-binary`` and ``no-binary`` (which decide whether a source distribution, whose build runs code, may be
installed), and ``cert`` (the certificate authorities pip trusts).

``.pypirc`` is not read: it configures uploads (``twine``), not where installs come from.
"""

from __future__ import annotations

import configparser
import re

from checker.errors import ManifestError
from checker.manifests.settings import setting, url_value
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "pip-conf"

_SINGLE = ("index-url", "no-index", "require-hashes", "cert")
_MULTI = ("extra-index-url", "find-links", "trusted-host", "only-binary", "no-binary")
_URLS = frozenset({"index-url", "extra-index-url", "find-links"})


def _normalize(name: str) -> str:
    """pip's ``_normalize_name``: lower case, ``_`` as ``-``, without a leading ``--``."""
    name = name.lower().replace("_", "-")
    return name[2:] if name.startswith("--") else name


def _parser(text: str, path: str) -> configparser.RawConfigParser:
    from checker.manifests.ini import check_bare_lines

    check_bare_lines(text, path)
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "message", str(exc)).splitlines()[0]
        raise ManifestError(f"not a configuration file pip can read: {message}", path, line) from None
    return parser


def _key_lines(text: str) -> dict[tuple[str, str], int]:
    """(section, normalized key) -> the line that sets it, found as configparser reads lines: a section header,
    then keys at the start of a line (indented lines continue a value)."""
    lines: dict[tuple[str, str], int] = {}
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;" or line[0] in " \t":
            continue
        header = configparser.RawConfigParser.SECTCRE.match(stripped)
        if header is not None:
            section = header.group("header")
            continue
        key = re.split(r"[=:]", stripped, maxsplit=1)[0].strip()
        if section is not None:
            lines.setdefault((section, _normalize(key)), number)
    return lines


def _value_lines(text: str, start: int | None, values: list[str]) -> list[int | None]:
    """The line of each value of a multi-line setting: searched from the key's line on."""
    if start is None:
        return [None] * len(values)
    lines = text.splitlines()
    out: list[int | None] = []
    at = start - 1
    for value in values:
        found = next((i for i in range(at, len(lines)) if value in lines[i]), None)
        out.append(found + 1 if found is not None else None)
        if found is not None:
            at = found
    return out


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The registry settings of one pip configuration file."""
    parser = _parser(text, path)
    key_lines = _key_lines(text)
    default_lines = {key: line for (section, key), line in key_lines.items() if section == parser.default_section}
    deps: list[Dependency] = []
    problems: list[Problem] = []
    for section in parser.sections():
        for raw_key, value in parser.items(section):
            key = _normalize(raw_key)
            if key not in _SINGLE and key not in _MULTI:
                continue
            line = key_lines.get((section, key), default_lines.get(key))
            values = value.split()
            if key in _SINGLE and len(values) > 1:
                problems.append(Problem(f"[{section}] {key} holds several words ({value.strip()!r}): pip takes them "
                                        "as one value, lockgate judges each", line))
            for item, item_line in zip(values, _value_lines(text, line, values)):
                shown = url_value(item) if key in _URLS else item
                deps.append(setting(f"pip.{key}", shown, path, item_line, label=f"[{section}]"))
    return Manifest(path=path, format=FORMAT, ecosystem="config", dependencies=tuple(deps), kind="declared",
                    problems=tuple(problems))
