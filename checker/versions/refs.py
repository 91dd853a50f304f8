"""Ordering GitHub Action refs, pre-commit revs and container image tags, for the diff's upgraded / downgraded /
bump.

An action pinned by commit is ordered by its version comment (``@<sha>  # v4.2.0``); one pinned by tag by the
tag (``@v4`` < ``@v4.2.0``). A pre-commit ``rev`` likewise (``rev: <sha>  # frozen: v4.2.0``, ``rev: v4.2.0``). An image is ordered by its tag, and only against a tag of the same variant:
``26.7.0-trixie`` < ``26.8.0-trixie``, but ``3.12-slim`` and ``3.12-alpine`` are different images, not versions
of one. A digest alone (``@sha256:…``) orders nothing: such a change is ``source-changed``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from checker.versions.gitrefs import comment_tag, is_full_sha

if TYPE_CHECKING:
    from packaging.version import Version

_TAG = re.compile(r"[vV]?(\d+(?:\.\d+)*)(.*)")


def comparable(ecosystem: str, version: str | None, label: str | None) -> str | None:
    """The text that orders an actions, pre-commit or docker dependency: the comment's version for a SHA pin, the
    tag otherwise; None when there is nothing to order by."""
    if version is None:
        return None
    if ecosystem in ("actions", "pre-commit"):
        return comment_tag(label) if is_full_sha(version) else version
    tag = version.partition("@")[0] if "@" in version else (None if ":" in version else version)
    return tag or None


@lru_cache(maxsize=1024)
def tag_key(tag: str) -> tuple[Version, str] | None:
    """(release as a packaging Version, variant suffix) of an image tag, or None when it starts with no number."""
    from packaging.version import Version

    match = _TAG.fullmatch(tag)
    if match is None:
        return None
    return Version(match.group(1)), match.group(2)


def compare_tags(a: str, b: str) -> int | None:
    """-1, 0 or 1 for two image tags of the same variant; None when they cannot be ordered."""
    if a == b:
        return 0
    ka, kb = tag_key(a), tag_key(b)
    if ka is None or kb is None or ka[1] != kb[1]:
        return None
    return (ka[0] > kb[0]) - (ka[0] < kb[0])


def bump_tags(a: str, b: str) -> str:
    ka, kb = tag_key(a), tag_key(b)
    if ka is None or kb is None or ka[1] != kb[1]:
        return "other"
    ra, rb = ka[0].release + (0, 0, 0), kb[0].release + (0, 0, 0)
    for index, name in enumerate(("major", "minor", "patch")):
        if ra[index] != rb[index]:
            return name
    return "other"
