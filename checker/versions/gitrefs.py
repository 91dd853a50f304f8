"""Git refs as GitHub Actions and pre-commit pins use them: full commit SHAs, short SHAs, the version a comment
names, and the GitHub repository a pin belongs to.

Shared by the workflow and pre-commit parsers (labels), the diff (ordering SHA pins by their comments), the rules
and the facts stage, so that all of them read ``uses: actions/checkout@<sha>  # v4.2.0`` and ``rev: <sha>  #
frozen: v4.2.0`` the same way.
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


def comment_tag(label: str | None) -> str | None:
    """The tag a pin's comment names: for ``frozen: TAG`` (what ``pre-commit autoupdate --freeze``, Dependabot and
    Renovate write beside a pre-commit ``rev``) the tag exactly as written, whatever its form (``v1.2.3``,
    ``0.9.9``, ``release-2024``); otherwise the version the comment names (``version_label``)."""
    if label and label[:7].lower() == "frozen:":
        words = label[7:].split()
        return words[0] if words else None
    return version_label(label)


_GITHUB_HOSTS = ("github.com", "www.github.com")
_GITHUB_PREFIXES = ("https://", "http://", "git://", "ssh://git@", "git+https://", "git+ssh://git@")
_REPOSITORY_SEGMENT = re.compile(r"[A-Za-z0-9_.-]+")


def github_repository_of_url(url: str) -> str | None:
    """``owner/repo`` of a git URL of a repository on github.com (``https://github.com/owner/repo``, with or
    without ``.git`` or a final ``/``; ``http://``, ``git://``, ``ssh://git@`` and ``git@github.com:owner/repo``
    alike), or None for any other host or a URL that names no repository (a path below one, a query)."""
    lower = url.lower()
    rest = None
    for prefix in _GITHUB_PREFIXES:
        if lower.startswith(prefix):
            host, slash, rest = url[len(prefix):].partition("/")
            if not slash or host.lower() not in _GITHUB_HOSTS:
                return None
            break
    else:
        if not lower.startswith("git@github.com:"):
            return None
        rest = url[len("git@github.com:"):]
    rest = rest.removesuffix("/")
    if rest.lower().endswith(".git"):
        rest = rest[:-4]
    owner, slash, repo = rest.partition("/")
    if not slash or _REPOSITORY_SEGMENT.fullmatch(owner) is None or _REPOSITORY_SEGMENT.fullmatch(repo) is None:
        return None
    if repo in (".", ".."):
        return None
    return f"{owner}/{repo}"


# Ecosystems whose dependencies pin a git commit of a repository: GitHub Actions and pre-commit hook repositories.
PINNED_ECOSYSTEMS = ("actions", "pre-commit")


def pinned_repository(ecosystem: str, name: str) -> str | None:
    """The GitHub ``owner/repo`` whose commit a commit pin runs: an action's repository, a pre-commit hook
    repository's when it is on github.com; None when the pin is not a GitHub repository's."""
    if ecosystem == "actions":
        return repository_of(name)
    if ecosystem == "pre-commit":
        return github_repository_of_url(name)
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
