"""Small helpers every manifest parser shares: canonical names, hash strings, TOML loading with clean errors."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, cast

from checker.errors import ManifestError

if TYPE_CHECKING:
    from typing import Protocol

    class AlwaysMatch(Protocol):
        """A compiled pattern's ``match`` that never answers None (see always_matching)."""

        def __call__(self, string: str, pos: int = 0, /) -> re.Match[str]: ...


_PEP503 = re.compile(r"[-_.]+")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def canonical_pypi_name(name: str) -> str:
    """PEP 503 normalised project name: ``Foo_Bar.baz`` -> ``foo-bar-baz``."""
    return _PEP503.sub("-", name).lower()


# A valid project name (PEP 508): letters, digits, and ``._-`` inside.
_PROJECT_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def is_project_name(name: str) -> bool:
    """Whether ``name`` is a valid Python project name (PEP 508): what an index accepts."""
    return _PROJECT_NAME.fullmatch(name) is not None


def project_name(name: str, what: str, path: str, line: int | None) -> str:
    """The canonical name of a project named in a lockfile; a name that is not a valid project name (empty, with
    spaces or other characters no index accepts) is a ManifestError, not a dependency nobody can look up."""
    if _PROJECT_NAME.fullmatch(name) is None:
        raise ManifestError(f"{what}: {name!r} is not a valid project name", path, line)
    return canonical_pypi_name(name)


def artifact_origin(url: str) -> str:
    """``scheme://host[:port]`` of an artifact URL, lower-cased, user-info (credentials) left out; a location that is
    not a URL (a relative path) as ``path``. What Source.hosts holds."""
    scheme, sep, rest = url.partition("://")
    if not sep or "/" in scheme:
        return "path"
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return f"{scheme.lower()}://{authority.rpartition('@')[2].lower()}"


def hash_string(algorithm: str, digest: str) -> str:
    """``algo:hex`` with the algorithm lower-cased and the hex digest lower-cased."""
    return f"{algorithm.strip().lower()}:{digest.strip().lower()}"


def parse_hash(text: str) -> str | None:
    """Turn ``sha256:abc``, ``sha256=abc`` or ``sha256-abc`` into ``sha256:abc``; None if not a hash."""
    for sep in (":", "=", "-"):
        algorithm, found, digest = text.partition(sep)
        if found and algorithm and digest and algorithm.isalnum():
            return hash_string(algorithm, digest)
    return None


def always_matching(regex: str) -> AlwaysMatch:
    """``re.compile(regex).match`` for a pattern that matches the empty string (``[ \\t]*``), and so matches at any
    position: typed as never None, which a type checker cannot tell by itself, at no cost per call."""
    match = re.compile(regex).match
    assert match("") is not None, regex
    return cast("AlwaysMatch", match)


def load_toml(text: str, path: str) -> dict[str, Any]:
    """Parse TOML, turning a decode error into a ManifestError that names the file and line. Keys dotted deeper
    than MAX_NESTING are refused first: tomllib builds and checks every level of ``[a.a.a.…]`` for each of its parts,
    which takes quadratic time (a megabyte header: minutes)."""
    _refuse_deep_keys(text, path)
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        document: dict[str, Any] = tomllib.loads(text)  # (tomli, on Python 3.10, is not installed for the type check)
        return document
    except RecursionError:
        raise too_deep(text, path) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        line = int(found.group(1)) if found else None
        if line is None and "end of document" in message:
            line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        message = _TOML_POSITION.sub("", message).replace("(at end of document)", "at end of file")
        message = message.strip().rstrip(".")
        raise ManifestError(f"not valid TOML: {message}", path, line) from None
    except ValueError:  # not a TOMLDecodeError: an integer too long for int() (Python's 4300-digit limit)
        raise number_too_long(text, path) from None


def _refuse_deep_keys(text: str, path: str) -> None:
    """A ManifestError at the first line whose key (a table header, or what stands before ``=``) has more than
    MAX_NESTING dots. Linear: only lines with that many dots at all are looked at closer."""
    if text.count(".") <= MAX_NESTING:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if line.count(".") <= MAX_NESTING:
            continue
        stripped = line.lstrip()
        key = stripped.split("]", 1)[0] if stripped.startswith("[") else stripped.split("=", 1)[0]
        if key.count(".") > MAX_NESTING:
            raise ManifestError(f"a key dotted more than {MAX_NESTING} levels deep; no real file nests so",
                                path, number)


# Documents nested deeper than this are refused where a reader can tell; the C json module and tomllib recurse
# and raise RecursionError somewhat deeper, which becomes the same error, with the line where the nesting first
# passes this depth.
MAX_NESTING = 500
def too_deep(text: str, path: str) -> ManifestError:
    """The error for a JSON or TOML document nested too deeply to read, at the line where the brackets first
    nest deeper than MAX_NESTING (brackets inside one-line strings skipped). Called only once a reader has given
    up, so paid by hostile input alone, and written as one pass over the text: a regular expression for the
    strings (``"(?:[^"\\\n]|\\.)*"``) rescans a line of unclosed strings from every quote in it."""
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"' or char == "\n":
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return ManifestError(f"nested more than {MAX_NESTING} levels deep", path, line_of(text, offset))
        elif char in "]}":
            depth = max(0, depth - 1)
    return ManifestError("values nested too deeply to read", path)


_DIGITS = re.compile(r"[0-9][0-9_]*")


def number_too_long(text: str, path: str) -> ManifestError:
    """The error for a number with more digits than Python converts (``sys.get_int_max_str_digits()``, 4300 by
    default): the JSON, TOML and YAML readers raise a bare ValueError for it."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
    found = next((run for run in _DIGITS.finditer(text) if run.end() - run.start() > limit), None)  # runs once each
    line = line_of(text, found.start()) if found else None
    return ManifestError(f"a number with more than {limit} digits", path, line)


def is_blank(text: str) -> bool:
    """Whether a file holds nothing but white space: what ``not text.strip()`` says, without copying the text (a
    lockfile of tens of megabytes) to say it."""
    return not text or text.isspace()


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def expect_table(value: object, what: str, path: str, line: int | None = None) -> dict:
    """The value as a mapping, or a ManifestError saying what was expected."""
    if not isinstance(value, dict):
        raise ManifestError(f"{what} must be a table, found {type(value).__name__}", path, line)
    return value


def expect_list(value: object, what: str, path: str, line: int | None = None) -> list:
    if not isinstance(value, list):
        raise ManifestError(f"{what} must be an array, found {type(value).__name__}", path, line)
    return value


def expect_str(value: object, what: str, path: str, line: int | None = None) -> str:
    if not isinstance(value, str):
        raise ManifestError(f"{what} must be a string, found {type(value).__name__}", path, line)
    return value


def json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    names: dict[type, str] = {dict: "object", list: "array", str: "string"}
    return names.get(type(value), type(value).__name__)


def expect_object(value: object, what: str, path: str, line: int | None) -> dict:
    """A decoded JSON object, or a ManifestError naming what was expected and what was found."""
    if not isinstance(value, dict):
        raise ManifestError(f"{what} must be an object, found {json_type(value)}", path, line)
    return value


def expect_array(value: object, what: str, path: str, line: int | None) -> list:
    if not isinstance(value, list):
        raise ManifestError(f"{what} must be an array, found {json_type(value)}", path, line)
    return value


def expect_string(value: object, what: str, path: str, line: int | None) -> str:
    if not isinstance(value, str):
        raise ManifestError(f"{what} must be a string, found {json_type(value)}", path, line)
    return value


def expect_bool(value: object, what: str, path: str, line: int | None) -> bool:
    if not isinstance(value, bool):
        raise ManifestError(f"{what} must be true or false, found {json_type(value)}", path, line)
    return value
