"""image-pinning: container images (Dockerfile ``FROM``, workflow containers and services, ``docker://`` steps)
are pinned by digest.

A tag is a movable pointer like a git tag: ``python:3.12`` is rebuilt and re-pushed under the same name, and a
registry account that is taken over can push anything under it, as the March 2026 attack did with the git tags
of aquasecurity/trivy-action. ``image@sha256:…`` names fixed bytes. No tag at all, or
``latest``, is worse than a tag — the image changes with every push — and is a finding of its own.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import LEVELS
from checker.rules.base import Issue, Option, Rule, Subject


def _split(version: str | None) -> tuple[str | None, str | None]:
    """(tag, digest) of a docker Dependency version (``tag``, ``algo:hex`` or ``tag@algo:hex``)."""
    if version is None:
        return None, None
    tag, at, digest = version.partition("@")
    if at:
        return tag or None, digest or None
    if ":" in version:
        return None, version
    return version, None


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    if dep.ecosystem != "docker":
        return
    if any(pattern.matches(dep.ecosystem, dep.name, dep.version) for pattern in options["allow"]):
        return
    written = dep.specifier or (f"{dep.name}:{dep.version}" if dep.version else dep.name)
    if "$" in dep.name or "$" in (dep.version or ""):
        yield Issue(
            f"the image {written} is chosen when the build or workflow runs (an expression or a build argument "
            "without a default): nobody reviewing this file can tell what runs",
            hint="write the image literally, pinned by digest (image:tag@sha256:…), or give the ARG a pinned default",
            level=options["unresolved"],
        )
        return
    tag, digest = _split(dep.version)
    if digest is not None:
        return
    if tag is None or tag == "latest":
        what = "has no tag" if tag is None else "is pinned to latest"
        yield Issue(
            f"{dep.name} {what}: it changes with every push to the registry, so what runs is whatever was pushed last",
            hint=f"pin a version and its digest: {dep.name}:X.Y@sha256:… (docker buildx imagetools inspect prints it)",
        )
        return
    yield Issue(
        f"{dep.name}:{tag} is pinned by tag only: a tag can be re-pushed with other content",
        hint=f"add the digest: {dep.name}:{tag}@sha256:… (Dependabot and Renovate keep tag and digest in step)",
        level=options["tag-only"],
    )


RULE = Rule(
    id="image-pinning",
    label="image not by digest",
    default_level="block",
    action="Pin the image by digest",
    action_rank=80,
    summary="Container images must be pinned by digest; no tag or `latest` is a finding of its own.",
    explanation=(
        "Container images are pulled by Dockerfiles (`FROM`, `COPY --from`), workflow jobs (`container:`, "
        "`services:`) and `docker://` steps. A tag can be re-pushed with other content at any time — by the "
        "publisher (rebuilds), or by whoever takes over the registry account, just as the git tags of "
        "aquasecurity/trivy-action were force-pushed in March 2026. A digest (`@sha256:…`) names fixed bytes. An image with no tag or with `latest` changes with every push "
        "and is reported at the rule's level; an image pinned by tag alone at `tag-only` (warn by default: a tag "
        "at least names a version). An image chosen at run time (a workflow expression, a build argument with no "
        "default) cannot be reviewed at all (`unresolved`). `allow` exempts images you build and control."
    ),
    fix="Pin the digest beside the tag: `FROM python:3.12-slim@sha256:…`; Dependabot and Renovate update both.",
    example=(
        "FROM python:3.12-slim@sha256:4a1c…   # ok\n"
        "FROM python:3.12-slim                # finding (tag-only, warn): a tag can be re-pushed\n"
        "FROM python                          # finding (block): no tag, changes with every push\n"
        "FROM ${BASE_IMAGE}                   # finding (unresolved, warn): chosen at build time"
    ),
    options=(
        Option("tag-only", "choice", "warn", "level for an image pinned by tag but not digest (capped at the rule's)",
               LEVELS),
        Option("unresolved", "choice", "warn",
               "level for an image chosen at run time by an expression or build argument (capped at the rule's)",
               LEVELS),
        Option("allow", "package-list", [], "images that need no digest, e.g. docker:registry.example.com/ours/*"),
    ),
    check_dependency=check,
)
