"""unreadable-manifest: a file that decides what gets installed, which lockgate could not read (in whole or in
part), is a finding, never a skip."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import LEVELS, Manifest
from checker.rules.base import Issue, Option, Rule


def check_manifest(head: Manifest, base: Manifest | None, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Each problem of the head's manifest: at the rule's level when the file (or a file its parse reads) changed,
    at ``unchanged`` when it was like this before the change judged."""
    for problem in head.problems:
        whole = head.kind == "unreadable"
        yield Issue(
            f"cannot be read: {problem.message}" if whole else f"{problem.message} (the rest of the file is judged)",
            hint=_hint(head, whole),
            level=None if problem.changed else options["unchanged"],
            line=problem.line,
        )


def _hint(manifest: Manifest, whole: bool) -> str:
    if whole:
        return (f"fix {manifest.path} so that it reads as {manifest.format} (lockgate cannot see what a change to it "
                "does), or add it to paths.ignore if nothing installs it")
    return f"write what {manifest.path} declares as literal values lockgate can read, or review it by hand"


RULE = Rule(
    id="unreadable-manifest",
    label="unreadable",
    default_level="block",
    summary="A manifest lockgate cannot read is reported, and blocks when the change touches it.",
    explanation=(
        "A gate that skips what it cannot read has a door left open: a lockfile written so that the reader "
        "chokes, a binary lockfile, or a `setup.py` that computes its `install_requires` would carry any "
        "dependency past it. So a file lockgate cannot read (not valid in its format, too large, a symbolic link "
        "that leaves the repository, a binary lockfile) is a finding at its file and line with the reason, and so "
        "is a part of a file it cannot read (a computed value, which it never executes); every other manifest is "
        "still judged. When the change being judged touches the file (or a file its parse reads), lockgate cannot "
        "see what that change does, so it fails closed at the rule's level; a problem that was there before the "
        "change cannot have been caused by it and is reported at `unchanged` (warn)."
    ),
    fix="Make the file readable (regenerate it with its package manager), or ignore it with paths.ignore if nothing "
        "installs it.",
    example=(
        "package-lock.json:\n  {\"lockfileVersion\": 3, \"packages\": {\"\": {}, \"node_modules/a\": {\"version\": 1}}}"
        "   # finding: version must be a string\n"
        "setup.py:\n  setup(install_requires=open('requirements.txt').read().split())   # finding: computed"
    ),
    options=(
        Option("unchanged", "choice", "warn",
               "level for a problem that was there before the change judged (capped at the rule's level)", LEVELS),
    ),
    check_manifest=check_manifest,
)
