"""Dockerfiles: FROM with flags, ARG substitution, stages, scratch, COPY --from, mounts, heredocs, escapes, errors;
and the canonical image names shared with policies."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.dockerfile import instructions, parse
from checker.manifests.images import canonical_image_name, parse_image
from checker.policy.patterns import PackagePattern

FIXTURES = Path(__file__).parent / "fixtures" / "dockerfile"
DIGEST = "sha256:4e6e670bb069649261c9c18031f0aded7bb249a5b6664ddec29c013a89310d50"


def read(text: str, path: str = "Dockerfile"):  # type: ignore[no-untyped-def]
    return parse(text, path, lambda other: None)


def rows(manifest):  # type: ignore[no-untyped-def]
    return [(d.line, d.name, d.version, d.specifier) for d in manifest.dependencies]


def error(text: str) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        read(text)
    return caught.value


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Dockerfile", True), ("svc/Dockerfile", True), ("dockerfile", True), ("Containerfile", True),
        ("build.Dockerfile", True), ("Dockerfile.dev", True), ("docker/Dockerfile.ci", True),
        ("Containerfile.arm64", True), ("Dockerfile.dockerignore", False), ("build.Dockerfile.dockerignore", False),
        ("Dockerfiles/x", False), ("MyDockerfile", False),
        # another language's or format's file named after Dockerfiles: lockgate's own parser, docs, templates
        ("checker/manifests/dockerfile.py", False), ("Dockerfile.md", False), ("Dockerfile.j2", False),
        ("dockerfile.prod", True), ("Dockerfile.alpine.3.20", True),
    ],
)
def test_file_names(path: str, expected: bool) -> None:
    fmt = format_for(path)
    assert (fmt is not None and fmt.name == "dockerfile") is expected


def test_multistage_fixture() -> None:
    manifest = read((FIXTURES / "multistage.Dockerfile").read_text(), "svc/multistage.Dockerfile")
    assert (manifest.format, manifest.ecosystem, manifest.kind) == ("dockerfile", "docker", "declared")
    assert rows(manifest) == [
        (6, "node", "20-bookworm", ""),  # --platform=$BUILDPLATFORM skipped; `AS Assets` names a stage
        # the heredoc body (lines 8-9, with a FROM in it) is not an instruction
        (11, "ghcr.io/acme/tools", "1.4", ""),  # COPY --from=<image>
        (14, "python", f"3.12-slim@{DIGEST}", "python:${PYTHON_VERSION}-slim@${DIGEST}"),  # global ARGs substituted
        (15, "busybox", "1.36", ""),  # RUN --mount=...,from=<image>; docker.io/library/ dropped
        # FROM base / COPY --from=assets (stage names, any case) / --from=0 (an index) / scratch: not images
        (23, "${BASE_REGISTRY}/runtime", "3.12", "${BASE_REGISTRY}/runtime:${PYTHON_VERSION:-3.11}"),
        (26, "alpine", "latest", ""),  # a continuation with a comment line inside
    ]
    assert {(d.scope, d.direct, d.manifest) for d in manifest.dependencies} == {
        ("prod", True, "svc/multistage.Dockerfile")
    }


def test_escape_directive_and_continuations() -> None:
    manifest = read((FIXTURES / "windows.Dockerfile").read_text())
    assert rows(manifest) == [(2, "mcr.microsoft.com/windows/servercore", "ltsc2022", "")]
    found = instructions((FIXTURES / "windows.Dockerfile").read_text(), "Dockerfile")
    assert [(i.keyword, i.arguments, i.line) for i in found] == [
        ("FROM", "mcr.microsoft.com/windows/servercore:ltsc2022 AS win", 2),
        ("RUN", "echo hi there", 4),
    ]


def test_arg_substitution_forms() -> None:
    text = (
        "ARG A=alpine\nARG B\nARG C=3.20 D=${C}-x\nARG E=\n"
        "FROM $A:${C}\n"
        "FROM ${B:-busybox}:${E:-1.36}\n"
        "FROM ${A}:${C:+edge}\n"
        "FROM ${B+never}debian:${D}\n"
        "FROM \\$literal\n"
        "ARG C=9.99\n"  # after the first FROM: not a global ARG, FROM lines do not see it
        "FROM alpine:${C}\n"
    )
    assert [(d.line, d.name, d.version) for d in read(text).dependencies] == [
        (5, "alpine", "3.20"),
        (6, "busybox", "1.36"),
        (7, "alpine", "edge"),
        (8, "debian", "3.20-x"),
        (9, "$literal", None),
        (11, "alpine", "3.20"),
    ]


def test_an_undefined_arg_is_kept_for_image_pinning() -> None:
    manifest = read("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nFROM python:$PY\n")
    assert rows(manifest) == [
        (2, "${BASE_IMAGE}", None, ""),
        (3, "python", "$PY", ""),
    ]


def test_stage_references_are_case_insensitive_and_only_to_earlier_stages() -> None:
    text = "FROM golang:1.23 AS Build\nFROM build\nFROM later\nFROM alpine:3.20 AS later\nCOPY --from=BUILD /a /a\n"
    assert [(d.line, d.name) for d in read(text).dependencies] == [(1, "golang"), (3, "later"), (4, "alpine")]


def test_heredoc_forms() -> None:
    text = (
        "FROM alpine:3.20\n"
        "RUN <<-EOF bash\n\tFROM fake:1\n\tEOF\n"
        "COPY <<'ONE' <<\"TWO\" /dst/\nFROM fake:2\nONE\nFROM fake:3\nTWO\n"
        "RUN grep x <<< \"$VAR\"\n"
        "FROM debian:12\n"
    )
    assert [(d.line, d.name) for d in read(text).dependencies] == [(1, "alpine"), (11, "debian")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty file, expected a Dockerfile (at least one FROM instruction)"),
        ("# only a comment\n\n", 1, "empty file, expected a Dockerfile (at least one FROM instruction)"),
        ("RUN echo\n", 1, "no FROM instruction: expected a Dockerfile"),
        ("FROM alpine:3.20\nRUN apk add \\\n    curl \\\n", 2,
         "the file ends inside a line continuation: the \\ at the end of line 3 continues nothing"),
        ("FROM alpine:3.20 \\\n\n# comment\n", 1,
         "the file ends inside a line continuation: the \\ at the end of line 1 continues nothing"),
        ("FROM\n", 1, "FROM '': expected FROM [--platform=...] image [AS name]"),
        ("FROM a b c d\n", 1, "FROM 'a b c d': expected FROM [--platform=...] image [AS name]"),
        ("FROM alpine AS\n", 1, "FROM 'alpine AS': expected FROM [--platform=...] image [AS name]"),
        ("FROM 'alpine\n", 1, "cannot split the arguments (No closing quotation)"),
        ("ARG 1X=2\nFROM alpine\n", 1, "ARG '1X=2': '1X' is not a valid argument name"),
        ("FROM alpine\nRUN <<EOF\necho\n", 2, "heredoc <<EOF is not closed: expected a line EOF"),
        ("# escape=x\nFROM alpine\n", 1, "invalid escape directive 'x': must be \\ or `"),
        ("FROM :3.20\n", 1, "':3.20' is not an image reference; expected name[:tag][@digest]"),
    ],
)
def test_bad_input(text: str, line: int, message: str) -> None:
    err = error(text)
    assert (err.path, err.line, err.message) == ("Dockerfile", line, message)


def test_warehouse_dockerfile(corpus: Path) -> None:
    text = (corpus / "real" / "pypi-warehouse" / "Dockerfile").read_text()
    assert rows(read(text)) == [
        (5, "node", "26.7.0-trixie", ""),
        (45, "python", "3.14.7-slim-trixie", ""),
        # FROM static-deps / base / docs ... are stages
    ]


@pytest.mark.parametrize(
    ("written", "name", "tag", "digest"),
    [
        ("python", "python", None, None),
        ("library/python:3.12", "python", "3.12", None),
        ("docker.io/library/python:3.12", "python", "3.12", None),
        ("index.docker.io/library/python@" + DIGEST, "python", None, DIGEST),
        ("docker.io/bitnami/redis:7.2", "bitnami/redis", "7.2", None),
        ("GHCR.IO/Org/img:1@" + DIGEST, "ghcr.io/Org/img", "1", DIGEST),
        ("localhost:5000/app", "localhost:5000/app", None, None),
        ("localhost:5000/app:v2", "localhost:5000/app", "v2", None),
        ("registry.example.com/team/library/x", "registry.example.com/team/library/x", None, None),
    ],
)
def test_canonical_image_names(written: str, name: str, tag: str | None, digest: str | None) -> None:
    image = parse_image(written)
    assert (image.name, image.tag, image.digest) == (name, tag, digest)


def test_policy_patterns_use_the_canonical_image_name() -> None:
    for text in ("docker:library/python", "docker:docker.io/library/python", "docker:python", "docker:pyth*"):
        assert PackagePattern.parse(text).matches("docker", "python", "3.12"), text
    assert PackagePattern.parse("docker:docker.io/bitnami/*").matches("docker", "bitnami/redis", None)
    assert not PackagePattern.parse("docker:library/python").matches("docker", "ghcr.io/x/python", None)
    assert canonical_image_name("docker.io/library/python") == canonical_image_name("python") == "python"
