"""image-pinning on hand-built subjects: digests, tags, latest, images chosen at run time, the allow list."""

from __future__ import annotations

import pytest

from checker.model import Dependency
from checker.policy.patterns import PackagePattern
from checker.rules import image_pinning
from tests.rules.workflow_subjects import DIGEST, action, image, issues


# --- image-pinning -----------------------------------------------------------------------------------------------


IMAGE_OPTIONS = {"tag-only": "warn", "unresolved": "warn", "allow": ()}


@pytest.mark.parametrize(
    ("dep", "expected"),
    [
        (image("python", f"3.12@{DIGEST}"), []),
        (image("python", DIGEST), []),
        (image("python", "3.12-slim"), [
            ("python:3.12-slim is pinned by tag only: a tag can be re-pushed with other content", "warn"),
        ]),
        (image("python", None), [
            ("python has no tag: it changes with every push to the registry, so what runs is whatever was pushed "
             "last", None),
        ]),
        (image("ghcr.io/acme/app", "latest"), [
            ("ghcr.io/acme/app is pinned to latest: it changes with every push to the registry, so what runs is "
             "whatever was pushed last", None),
        ]),
        (image("${BASE}", None), [
            ("the image ${BASE} is chosen when the build or workflow runs (an expression or a build argument without "
             "a default): nobody reviewing this file can tell what runs", "warn"),
        ]),
        (image("app", "${{ needs.build.outputs.tag }}"), [
            ("the image app:${{ needs.build.outputs.tag }} is chosen when the build or workflow runs (an expression "
             "or a build argument without a default): nobody reviewing this file can tell what runs", "warn"),
        ]),
    ],
)
def test_image_pinning(dep: Dependency, expected: list[tuple[str, str | None]]) -> None:
    assert [(m, level) for m, level, _ in issues(image_pinning, dep, IMAGE_OPTIONS)] == expected


def test_image_pinning_allow_list_and_other_ecosystems() -> None:
    options = {**IMAGE_OPTIONS, "allow": (PackagePattern.parse("docker:registry.example.com/ours/*"),)}
    assert issues(image_pinning, image("registry.example.com/ours/app", "latest"), options) == []
    assert issues(image_pinning, action("actions/checkout", "v4"), options) == []
