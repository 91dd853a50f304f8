r"""pip's line grammar for requirements files: logical lines, comments, the options of a line, pip-compile's
annotations, and the scope a file's name gives it (``scope_for``).

One reader for everything that needs only the grammar: the requirements parser (``requirements.py``) reads every
line with it, and the include scanner (``requirements_includes.py``) reads only the options, without importing what
reading a requirement needs (packaging, the URL and archive readers). That keeps a commit that touches no
manifest, whose requirements files are still scanned for includes, within its start-up target
(``benchmarks/suite.py --only startup``).

Grammar (EBNF), pip's own reading (pip/_internal/req/req_file.py)::

    file           = { physical-line } ;           (* split as pip splits (str.splitlines); a leading BOM is dropped *)
    logical-line   = { continued-line } physical-line ;
    continued-line = physical-line "\" ;           (* not a comment line; joined as pip's line.strip("\\"), which
                                                      drops backslashes at both ends; a comment line ends a join *)
    line           = [ requirement ] [ options ] [ comment ] ;
    comment        = ( start-of-line | white-space ) "#" { any character } ;    (* pip's (^|\s+)#.*$ *)
    requirement    = { any character } ;           (* up to the first " -" (pip's break_args_options); read by
                                                      requirements.py *)
    options        = word { word } ;               (* shell words, POSIX quoting, read as optparse reads them: *)
    word           = "--" long-name [ "=" value ]  (* or any unambiguous prefix of a long name *)
                   | "-" { flag-letter } option-letter [ value ]    (* -r file, -rfile, -Zr file *)
                   | "--" | other-word ;           (* "--" ends the options; other words are ignored *)

An option that needs a value and has none in its word takes the next word. The long names and short letters are
``LONG_OPTIONS`` and ``SHORT_OPTIONS`` (pip's options for requirements files). An unknown or ambiguous option, a
missing value, a value for a flag, a ``--hash`` that is not ``algo:digest``, a ``--config-settings`` that is not
``KEY=VALUE`` and options that cannot be split into words (an open quote) are errors with their line. ``${VAR}``
references (``ENV_VAR``) are pip's; lockgate never expands them.

pip-compile's annotations are comments too: ``# via -r requirements.in`` beside or below a pin, or ``# via`` then
one ``#   reason`` line per reason (``annotation_says_direct``).
"""

from __future__ import annotations

import posixpath
import re
from typing import Iterator, NamedTuple

from checker.errors import ManifestError
from checker.manifests import shellwords
from checker.manifests.common import hash_string

# pip's own pattern (pip/_internal/req/req_file.py) of an environment variable reference.
ENV_VAR = re.compile(r"\$\{([A-Z0-9_]+)\}")
# Words of a file name that say it is for development only (scope_for).
_DEV_WORDS = frozenset(
    {
        "dev", "devel", "develop", "development",
        "test", "tests", "testing",
        "lint", "linting", "linter", "linters",
        "doc", "docs", "documentation",
    }
)  # fmt: skip


class Option(NamedTuple):
    """One option pip accepts in a requirements file: what it sets and what value it needs (None: a flag)."""

    dest: str
    needs: str | None


# Long option -> what it does. These are pip's SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ, plus the
# long-removed ``-Z/--always-unzip`` that old files still carry (accepted and ignored).
LONG_OPTIONS: dict[str, Option] = {
    "--index-url": Option("index-url", "a URL"),
    "--pypi-url": Option("index-url", "a URL"),
    "--extra-index-url": Option("extra-index-url", "a URL"),
    "--no-index": Option("no-index", None),
    "--constraint": Option("constraint", "a file"),
    "--requirement": Option("requirement", "a file"),
    "--editable": Option("editable", "a local project path or a VCS URL"),
    "--find-links": Option("find-links", "a URL or path"),
    "--no-binary": Option("no-binary", "package names, :all: or :none:"),
    "--only-binary": Option("only-binary", "package names, :all: or :none:"),
    "--prefer-binary": Option("prefer-binary", None),
    "--require-hashes": Option("require-hashes", None),
    "--pre": Option("pre", None),
    "--trusted-host": Option("trusted-host", "a host name"),
    "--use-feature": Option("use-feature", "a feature name"),
    "--always-unzip": Option("always-unzip", None),
    "--global-option": Option("global-option", "an option"),
    "--hash": Option("hash", "a hash (algo:hex)"),
    "--config-settings": Option("config-settings", "KEY=VALUE"),
}
SHORT_OPTIONS: dict[str, str] = {
    "-i": "--index-url",
    "-c": "--constraint",
    "-r": "--requirement",
    "-e": "--editable",
    "-f": "--find-links",
    "-Z": "--always-unzip",
    "-C": "--config-settings",
}


# --------------------------------------------------------------------------------------------------- lines


class Line(NamedTuple):
    """One logical line: backslash continuations joined, the comment cut off.

    number is the 1-based first physical line (the one pip reports); last is the 0-based index of the last
    physical line, so the pip-compile annotation below an entry can be found.
    """

    number: int
    last: int
    text: str
    comment: str


def logical_lines(physical: list[str]) -> Iterator[Line]:
    """Join continued lines exactly as pip's ``join_lines`` does: a line ending in a backslash continues
    unless it is a comment line, a comment line ends a continuation, and a trailing backslash on the last
    line simply ends the file."""
    parts: list[str] = []
    start = 0
    for index, line in enumerate(physical):
        is_comment = "#" in line and line.lstrip().startswith("#")
        if line.endswith("\\") and not is_comment:
            if not parts:
                start = index
            parts.append(line.strip("\\"))
            continue
        if parts:
            parts.append(" " + line if is_comment else line)
            yield _finish_line(start, index, "".join(parts))
            parts = []
        elif not is_comment:  # a whole-line comment is nothing to pip
            yield _finish_line(index, index, line)
    if parts:
        yield _finish_line(start, len(physical) - 1, "".join(parts))


def _finish_line(first: int, last: int, raw: str) -> Line:
    start = comment_start(raw) if "#" in raw else -1
    if start < 0:
        return Line(first + 1, last, raw.strip(), "")
    return Line(first + 1, last, raw[:start].strip(), raw[start:].strip())


def comment_start(raw: str) -> int:
    r"""Where pip's comment pattern ``(^|\s+)#.*$`` would match (-1: nowhere): the first ``#`` that starts the
    line or follows white space, from the start of that white space. Each ``#`` is looked at once."""
    at = raw.find("#")
    while at > 0 and not raw[at - 1].isspace():
        at = raw.find("#", at + 1)
    if at <= 0:
        return at
    while at > 0 and raw[at - 1].isspace():
        at -= 1
    return at


def split_args_options(text: str) -> tuple[str, str]:
    """pip's ``break_args_options``: the requirement ends before the first space-separated token that
    starts with ``-``. Only the options part is shell-split, so markers keep their quotes."""
    if text.startswith("-"):
        return "", text
    cut = text.find(" -")
    if cut < 0:
        return text, ""
    return text[:cut].strip(), text[cut + 1 :]


# --------------------------------------------------------------------------------------------- annotations


def annotation_says_direct(physical: list[str], entry: Line) -> bool:
    """Whether the pip-compile annotation of an entry makes it a direct dependency.

    pip-compile writes what pulled each pin in, below it (``# via -r requirements/main.in``, or ``# via``
    followed by one ``#   name`` line per reason) or beside it (``# via pkg-a, pkg-b``). An entry is direct
    when one reason is a requirements input (``-r file`` / ``-c file``), or when there is no annotation
    at all (a hand-written file).
    """
    comments = [entry.comment] if entry.comment else []
    index = entry.last + 1
    while index < len(physical):
        stripped = physical[index].lstrip()
        if not stripped.startswith("#"):
            break
        comments.append(stripped)
        index += 1
    reasons: list[str] = []
    annotated = in_via = False
    for comment in comments:
        body = comment[1:]
        text = body.strip()
        if text == "via" or text.startswith("via "):
            annotated = in_via = True
            reasons.extend(part.strip() for part in text[3:].split(",") if part.strip())
        elif in_via and text and body.startswith("  "):
            reasons.append(text)
        else:
            in_via = False
    if not annotated:
        return True
    return any(reason.startswith(("-r ", "-c ")) for reason in reasons)


# ------------------------------------------------------------------------------------------------- options


class Options:
    """The options of one logical line, by destination, in the order written."""

    __slots__ = ("values",)

    def __init__(self, values: dict[str, list[str]] | None = None) -> None:
        self.values: dict[str, list[str]] = values if values is not None else {}

    def add(self, dest: str, value: str) -> None:
        self.values.setdefault(dest, []).append(value)

    def get(self, dest: str) -> list[str]:
        return self.values.get(dest, [])


def parse_options(text: str, path: str, line: int) -> Options:
    """Read the options part of a line the way pip's optparse parser does. Positional words after the
    options are ignored, as pip ignores them."""
    if not text:
        return Options()
    hashes = _only_hashes(text)
    if hashes is not None:
        return Options({"hash": hashes})
    return _parse_option_words(text, path, line)


def _parse_option_words(text: str, path: str, line: int) -> Options:
    """The full reader: shell-split words, then optparse's rules."""
    options = Options()
    try:
        words = shellwords.split(text)[::-1]  # a stack, the next word last: each taken in constant time
    except ValueError as exc:
        raise ManifestError(f"cannot split the options {text!r}: {exc}", path, line) from None
    while words:
        word = words.pop()
        if word == "--":
            break
        if word.startswith("--"):
            _take_long_option(word, words, options, path, line)
        elif word.startswith("-") and len(word) > 1:
            _take_short_options(word, words, options, path, line)
    return options


def _only_hashes(text: str) -> list[str] | None:
    """The hashes of an options part made only of plain ``--hash=algo:hex`` words (a pip-compile line),
    read without splitting words; None for anything else, which then takes the full option parser. Quotes,
    backslashes and non-ASCII text always take the full parser, so both read the same words."""
    if "'" in text or '"' in text or "\\" in text or not text.isascii():
        return None
    hashes = []
    for word in text.replace("\t", " ").split(" "):
        if not word:
            continue
        if not word.startswith("--hash="):
            return None
        algorithm, colon, digest = word[7:].partition(":")
        if not (algorithm and colon and digest):
            return None
        hashes.append(f"{algorithm}:{digest}".lower())
    return hashes


def _take_long_option(word: str, words: list[str], options: Options, path: str, line: int) -> None:
    written, has_value, value = word.partition("=")
    name = _match_long_option(written, path, line)
    option = LONG_OPTIONS[name]
    if option.needs is None:
        if has_value:
            raise ManifestError(f"option {name} takes no value", path, line)
        options.add(option.dest, "")
        return
    if not has_value:
        if not words:
            raise ManifestError(f"option {written} needs {option.needs}", path, line)
        value = words.pop()
    _store(option.dest, name, value, options, path, line)


def _match_long_option(written: str, path: str, line: int) -> str:
    """optparse accepts any unambiguous prefix of a long option (``--extra-index`` for
    ``--extra-index-url``); so does pip, so lockgate must too."""
    if written in LONG_OPTIONS:
        return written
    candidates = sorted(name for name in LONG_OPTIONS if name.startswith(written))
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise ManifestError(
            f"ambiguous option {written} (could be {', '.join(candidates)}): pip would reject it", path, line
        )
    raise ManifestError(f"unknown option {written}: pip would reject it", path, line)


def _take_short_options(word: str, words: list[str], options: Options, path: str, line: int) -> None:
    """``-r file``, ``-rfile`` and clustered flags such as ``-Zr file``, as optparse reads them."""
    for position in range(1, len(word)):
        short = "-" + word[position]
        name = SHORT_OPTIONS.get(short)
        if name is None:
            raise ManifestError(f"unknown option {short}: pip would reject it", path, line)
        option = LONG_OPTIONS[name]
        if option.needs is None:
            options.add(option.dest, "")
            continue
        value = word[position + 1 :]
        if not value:
            if not words:
                raise ManifestError(f"option {short} needs {option.needs}", path, line)
            value = words.pop()
        _store(option.dest, short, value, options, path, line)
        return


def _store(dest: str, written: str, value: str, options: Options, path: str, line: int) -> None:
    """Keep one option value, checked as pip's callbacks check it."""
    if dest == "hash":
        value = _hash_value(value, written, path, line)
    elif dest == "config-settings" and "=" not in value:
        raise ManifestError(f"{written} needs KEY=VALUE, found {value!r}", path, line)
    options.add(dest, value)


def _hash_value(value: str, written: str, path: str, line: int) -> str:
    """``algo:hex`` as pip requires it for ``--hash``; every algorithm is kept, weak ones included."""
    algorithm, colon, digest = value.partition(":")
    if not colon:
        raise ManifestError(
            f"{written} needs a hash name followed by a value, like {written}=sha256:abcd..., found {value!r}",
            path,
            line,
        )
    if not algorithm:
        raise ManifestError(f"{written} value {value!r} has no hash algorithm", path, line)
    if not digest:
        raise ManifestError(f"{written} value {value!r} has no digest", path, line)
    return hash_string(algorithm, digest)


# ---------------------------------------------------------------------------------------------- file names


def scope_for(path: str) -> str:
    """"dev" for a requirements file whose name or directory says it is for development, else "prod".

    The file's stem and its directory's name are cut into words at every non-alphanumeric character, and
    a word such as dev, test(s), lint or doc(s) marks the file as development-only: requirements-dev.txt,
    requirements/tests.txt, requirements/lint.txt, docs/requirements.txt, test_requirements.in. Whole words
    are compared, not substrings, so requirements-docker.txt or latest.txt stay "prod".
    """
    directory, base = posixpath.split(path.lower())
    stem = base.rsplit(".", 1)[0]
    words = re.split(r"[^a-z0-9]+", stem) + re.split(r"[^a-z0-9]+", posixpath.basename(directory))
    return "dev" if _DEV_WORDS.intersection(words) else "prod"
