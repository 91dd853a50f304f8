"""INI files as setuptools and tox read them: Python's configparser, and the line of every value line.

Both tools read with ``configparser.ConfigParser`` (setuptools: the default ``BasicInterpolation`` and
``optionxform = str``, so keys keep their case; tox: ``interpolation=None`` and the default lower-casing
``optionxform``), strict (a section or an option written twice is an error), with ``#`` and ``;`` whole-line
comments, ``=`` and ``:`` as delimiters, values continued on lines indented deeper than their key, and the
``[DEFAULT]`` section's options seen in every section. lockgate reads with the same configparser and the same
settings, so the values are the ones the tool sees. That grammar, in EBNF::

    file         = { blank | comment } { section { blank | comment | option | continuation } } ;
    comment      = [ white-space ] ( "#" | ";" ) { any character } ;     (* whole lines: no comment after a value *)
    section      = "[" name "]" ;                      (* each name once in a file *)
    option       = key ( "=" | ":" ) [ value ] ;      (* cut at the first "=" or ":"; each key once in a section *)
    continuation = indentation { any character } ;    (* deeper than its option's key: one more line of the value;
                                                          blank lines inside a value are kept, trailing ones not *)

A file with more than ``MAX_BARE_LINES`` lines that are neither sections, options nor comments is refused before
configparser reads it (see there).

configparser does not keep line numbers, so ``value_lines`` walks the text once more under the same rules to
find the line of each line of each value. The values always come from configparser; a line number that the walk
cannot find is None, never a different value.
"""

from __future__ import annotations

import configparser
from typing import Callable

from checker.errors import ManifestError


# Lines that are neither blank, a comment, a section header nor an option (``key = value``) in one INI file. Each
# is a continuation of a value, or an error; configparser gathers its errors into one message by concatenating
# strings, which costs the square of their number (a megabyte of such lines took minutes), so past this many
# the file is refused before configparser reads it. A real configuration has a few hundred at most.
MAX_BARE_LINES = 20_000


def check_bare_lines(text: str, path: str) -> None:
    """Refuse a file with more than MAX_BARE_LINES lines configparser could only read as errors or
    continuations (see above); a linear count, before configparser reads it."""
    bare = 0
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped[0] in "#;[" or ("=" in stripped[1:] or ":" in stripped[1:]):
            continue
        bare += 1
        if bare > MAX_BARE_LINES:
            raise ManifestError(f"more than {MAX_BARE_LINES:,} lines that are neither a section, an option nor a "
                                "comment: refusing to read a file no tool writes", path)


class _CaseKeeping(configparser.ConfigParser):
    """A parser that keeps option names as written (configparser lower-cases them)."""

    def optionxform(self, optionstr: str) -> str:
        return optionstr


def load(text: str, path: str, *, interpolation: bool, keep_case: bool) -> configparser.ConfigParser:
    """The parsed file, or a ManifestError with the line configparser reports."""
    check_bare_lines(text, path)
    parser = (_CaseKeeping if keep_case else configparser.ConfigParser)(
        interpolation=configparser.BasicInterpolation() if interpolation else None, strict=True
    )
    try:
        parser.read_string(text, path)
    except configparser.MissingSectionHeaderError as error:
        raise ManifestError("not an INI file: a value before the first [section] header", path, error.lineno) from None
    except configparser.DuplicateSectionError as error:
        raise ManifestError(f"section [{error.section}] is written twice", path, error.lineno) from None
    except configparser.DuplicateOptionError as error:
        raise ManifestError(f"{error.option} is written twice in [{error.section}]", path, error.lineno) from None
    except configparser.ParsingError as error:
        errors = getattr(error, "errors", [])
        line = errors[0][0] if errors and isinstance(errors[0], tuple) else getattr(error, "lineno", None)
        raise ManifestError("not an INI file: a line that is neither a section, an option nor a value", path,
                            line) from None
    except configparser.Error as error:
        raise ManifestError(f"not a readable INI file: {error.message}", path) from None
    return parser


def value_lines(text: str, keep_case: bool) -> dict[tuple[str, str], list[int]]:
    """``(section, key) -> [line of each value line]`` as configparser splits the file: the first value line is
    the key's own line, then one entry per continuation line (blank ones included, comment lines not), trailing
    blank lines dropped. Keys as ``optionxform`` makes them (lower case unless ``keep_case``)."""
    transform: Callable[[str], str] = (lambda key: key) if keep_case else str.lower
    found: dict[tuple[str, str], list[int]] = {}
    section: str | None = None
    current: list[int] | None = None
    indent = 0
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if stripped.startswith(("#", ";")):
            continue
        if not stripped:
            if current is not None:
                current.append(number)
            continue
        level = len(raw) - len(raw.lstrip())
        if current is not None and level > indent:
            current.append(number)
            continue
        if current is not None:
            _drop_blank_tail(current, text)
            current = None
        if stripped.startswith("[") and "]" in stripped:
            section = stripped[1 : stripped.rindex("]")]
            continue
        if section is None:
            continue
        cut = min((at for at in (stripped.find("="), stripped.find(":")) if at >= 0), default=-1)
        if cut <= 0:
            continue
        key = transform(stripped[:cut].rstrip())
        current = [number]
        found[(section, key)] = current
        indent = level
    if current is not None:
        _drop_blank_tail(current, text)
    return found


def _drop_blank_tail(lines: list[int], text: str) -> None:
    """configparser strips a value's trailing blank lines."""
    physical = None
    while len(lines) > 1:
        if physical is None:
            physical = text.split("\n")
        if physical[lines[-1] - 1].strip():
            break
        lines.pop()


def lines_of(
    located: dict[tuple[str, str], list[int]], section: str, key: str, count: int
) -> list[int | None]:
    """The line of each of ``count`` value lines of ``key`` in ``section`` (the ``[DEFAULT]`` section's when the
    section does not write the key itself); None where unknown."""
    lines = located.get((section, key)) or located.get(("DEFAULT", key)) or []
    return [lines[index] if index < len(lines) else (lines[0] if lines else None) for index in range(count)]
