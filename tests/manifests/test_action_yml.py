"""Action definitions (action.yml / action.yaml anywhere): composite steps, Docker images, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.action_yml import parse

FIXTURES = Path(__file__).parent / "fixtures" / "action_yml"


def read(name: str, path: str = "actions/setup/action.yml"):  # type: ignore[no-untyped-def]
    return parse((FIXTURES / name).read_text(), path, lambda other: None)


def rows(manifest):  # type: ignore[no-untyped-def]
    return [(d.line, d.ecosystem, d.name, d.version, d.label, d.scope) for d in manifest.dependencies]


def test_recognised_anywhere_by_name() -> None:
    for path in ("action.yml", "action.yaml", "actions/setup/action.yml", "a/b/c/action.yaml"):
        assert format_for(path).name == "gha-action", path
    assert format_for("actions/setup/Action.yml") is None
    assert format_for("actions/setup/action.json") is None


def test_composite_action() -> None:
    manifest = read("composite.yml")
    assert (manifest.path, manifest.format, manifest.ecosystem, manifest.kind) == (
        "actions/setup/action.yml", "gha-action", "actions", "declared",
    )
    assert rows(manifest) == [
        (9, "actions", "actions/setup-node", "1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a", "v4.2.0", "prod"),
        # `uses: ./nested` is part of the repository
        (13, "docker", "busybox", "1.36", None, "prod"),
    ]


def test_docker_action_with_an_image() -> None:
    assert rows(read("docker.yml")) == [(4, "docker", "ghcr.io/acme/scanner", "2.1.0", "v2.1.0", "prod")]


def test_docker_action_building_its_own_dockerfile_and_javascript_actions_pull_nothing() -> None:
    assert read("dockerfile_action.yml").dependencies == ()
    assert read("node.yaml").dependencies == ()
    assert parse("name: no runs at all\n", "action.yml", lambda p: None).dependencies == ()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty file, expected an action definition (a mapping with runs:)"),
        ("[1, 2]\n", 1, "an action definition must be a mapping with runs:, found a list"),
        ("runs: node20\n", 1, "runs must be a mapping, found 'node20'"),
        ("runs:\n  using: composite\n  steps: x\n", 3, "runs.steps must be a list of steps, found 'x'"),
        ("runs:\n  using: composite\n  steps:\n    - uses: 7\n", 4,
         "runs.steps[0].uses: '7' is not an action reference; expected owner/repo[/path]@ref, ./path or docker://image"),
        ("runs:\n  using: composite\n  steps:\n    - uses: [x]\n", 4, "runs.steps[0].uses must be a string, found a list"),
        ("runs:\n  using: docker\n  image: {a: b}\n", 3, "runs.image must be a string, found a mapping"),
        ("runs:\n  using: docker\n  image: 'docker://'\n", 3,
         "runs.image: '' is not an image reference; expected name[:tag][@digest]"),
        ("runs:\n  using: x\nruns: {}\n", 3, "duplicate key 'runs' (first on line 1)"),
    ],
)
def test_bad_input(text: str, line: int, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        parse(text, "action.yml", lambda p: None)
    assert (caught.value.path, caught.value.line, caught.value.message) == ("action.yml", line, message)
