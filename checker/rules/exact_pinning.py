"""exact-pinning: a requirements file that is installed as it stands must name exact versions."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.rules.base import Issue, Rule, Subject


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep, manifest = subject.dependency, subject.manifest
    if manifest.kind != "lock" or dep.version is not None or dep.source.kind != "registry" or dep.editable:
        return
    spec = dep.specifier or "any version"
    yield Issue(
        f"{spec!s} is a range: what gets installed depends on the day it is installed, and a release published "
        "minutes ago qualifies",
        hint=f"pin an exact version: {dep.name}==X.Y.Z (pip-compile writes exact pins for you)",
    )


RULE = Rule(
    id="exact-pinning",
    label="not pinned exactly",
    default_level="block",
    action="Pin an exact version",
    action_rank=60,
    summary="Files that are installed as they stand (requirements .txt files) must pin exact versions.",
    explanation=(
        "A range such as `requests>=2` lets the next `pip install` pick whatever is newest at that moment, "
        "including a release an attacker published an hour ago. Pinning `==` makes every install take the "
        "reviewed version, and makes every version change visible in a pull request. Files that are inputs to a "
        "resolver (pip-tools `.in` files, pyproject.toml) declare ranges by design and are not judged here; their "
        "lockfile is."
    ),
    fix="Pin with `==` (pip-compile or `uv pip compile` produce fully pinned files from a `.in` input).",
    example="requirements.txt:\n  httpx==0.28.1     # ok\n  rich>=13          # finding: a range",
    check_dependency=check,
)
