"""Git refs as GitHub Actions pins use them: full commit SHAs, short SHAs, and the version a comment names.

Shared by the workflow parsers (labels), the diff (ordering SHA pins by their comments), the rules and the
facts stage, so that all of them read ``uses: actions/checkout@<sha>  # v4.2.0`` the same way.
"""

from __future__ import annotations

import re

_FULL_SHA = re.compile(r"[0-9a-fA-F]{40}")
_SHORT_SHA = re.compile(r"[0-9a-fA-F]{7,39}")
_VERSION_TOKEN = re.compile(r"[vV]?\d+(?:\.\d+)*(?:[-+][0-9A-Za-z][0-9A-Za-z.+-]*)?")
_SEPARATORS = re.compile(r"[\s@=,;()\[\]]+")
_COMMENT = re.compile(r"(?:^|[ \t])#(.*)$")


def is_full_sha(ref: str | None) -> bool:
    """A 40-hex commit: the only ref that names fixed code (a tag or branch can be moved, a short SHA can
    become ambiguous)."""
    return ref is not None and _FULL_SHA.fullmatch(ref) is not None


def is_short_sha(ref: str | None) -> bool:
    """7 to 39 hex digits that contain a digit and a letter: almost surely an abbreviated commit, not a tag.
    (``1234567`` alone could be a numeric tag, ``deadbeef`` a word.)"""
    return (
        ref is not None
        and _SHORT_SHA.fullmatch(ref) is not None
        and any(c.isdigit() for c in ref)
        and any(c.isalpha() for c in ref)
    )


def repository_of(name: str) -> str:
    """``owner/repo`` of an action name that may carry a path (``github/codeql-action/init``, a reusable
    workflow ``owner/repo/.github/workflows/x.yml``)."""
    owner, _, rest = name.partition("/")
    return f"{owner}/{rest.partition('/')[0]}"


def version_label(label: str | None) -> str | None:
    """The version a pin's comment names: ``v4.2.0`` from ``v4.2.0``, ``tag=v4.2.0``, ``pin @v4.2.0``,
    ``ratchet:actions/checkout@v4`` or ``v4.2.0 (latest)``; None when the comment names no version."""
    if not label:
        return None
    for token in _SEPARATORS.split(label):
        if token.lower().startswith("tag:"):
            token = token[4:]
        if _VERSION_TOKEN.fullmatch(token):
            return token
    return None


def trailing_comment(line: str, column: int) -> str | None:
    """The text of a ``# comment`` on ``line`` after ``column`` (where the value ended), stripped; None when
    there is none. YAML comments start with ``#`` at the start of the rest or after a blank."""
    rest = line[column:]
    match = _COMMENT.search(rest)
    if match is None:
        return None
    text = match.group(1).strip()
    return text or None
