"""GitHub Actions workflows: every form of uses:, containers and services, labels and lines, YAML traps, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for, gha_yaml
from checker.manifests.workflow import parse

FIXTURES = Path(__file__).parent / "fixtures" / "workflow"
PATH = ".github/workflows/ci.yml"
SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


def read(text: str, path: str = PATH):  # type: ignore[no-untyped-def]
    return parse(text, path, lambda other: None)


def rows(manifest):  # type: ignore[no-untyped-def]
    return [(d.line, d.ecosystem, d.name, d.version, d.label) for d in manifest.dependencies]


def error(text: str) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        read(text)
    return caught.value


def test_workflows_are_recognised_only_in_the_workflows_folder() -> None:
    assert format_for(".github/workflows/ci.yml").name == "gha-workflow"
    assert format_for(".github/workflows/release.yaml").name == "gha-workflow"
    assert format_for(".github/workflows/action.yml").name == "gha-workflow"
    assert format_for(".github/workflows/nested/ci.yml") is None  # GitHub does not read subfolders
    assert format_for("sub/.github/workflows/ci.yml") is None
    assert format_for(".github/workflows/README.md") is None


def test_every_form_with_lines_and_labels() -> None:
    manifest = read((FIXTURES / "all_forms.yml").read_text())
    assert (manifest.format, manifest.ecosystem, manifest.kind) == ("gha-workflow", "actions", "declared")
    digest = "sha256:4e6e670bb069649261c9c18031f0aded7bb249a5b6664ddec29c013a89310d50"
    tool = "sha256:0d5a8d9a8a1bd5ee8db7a5ec1f7e3a2c3f4e1e6b0a1c0d7b4f6a8c2e9d1b3f5a7"
    assert rows(manifest) == [
        (12, "docker", "node", "20.11-bookworm", "the job container, by tag"),
        (15, "docker", "postgres", f"16@{digest}", None),
        (17, "docker", "redis", None, None),
        (19, "actions", "actions/checkout", SHA, "v4.2.2"),
        (20, "actions", "actions/setup-python", "v5", None),
        (21, "actions", "github/codeql-action/init", "ff2f1c621b7f889edc0d3c761ac2e6a3f8cdb0dd", "tag=v3.28.0"),
        # ./.github/actions/local-setup (line 22) is part of the repository: not a dependency
        (23, "docker", "alpine", "3.20", None),
        (24, "docker", "ghcr.io/acme/tool", tool, None),
        (25, "actions", "pypa/gh-action-pypi-publish", "release/v1", None),
        (26, "actions", "actions/cache", "1bd1e32", "short sha"),
        # a matrix expression stands for each image the matrix lists
        (36, "docker", "python", "3.12-slim", None),
        (36, "docker", "python", "3.13-slim", None),
        (36, "docker", "pypy", "3.10", None),
        # the steps anchored here and aliased by job `again` are one line: reported once
        (39, "actions", "actions/checkout", "v4", None),
        (44, "actions", "acme/workflows/.github/workflows/release.yml", "0123456789abcdef0123456789abcdef01234567", "v2.0.0"),
    ]
    assert {d.scope for d in manifest.dependencies} == {"build"}
    assert all(d.direct and d.manifest == PATH for d in manifest.dependencies)
    matrix = [d for d in manifest.dependencies if d.line == 36]
    assert {d.specifier for d in matrix} == {"${{ matrix.image }}"}


def test_the_yaml_1_1_on_trap() -> None:
    """Under %YAML 1.1 a resolver reads `on:` and `yes:` as booleans; keys are read as written here."""
    manifest = read((FIXTURES / "yaml11.yml").read_text())
    assert rows(manifest) == [(9, "actions", "actions/checkout", "v4", None)]
    root = gha_yaml.load("%YAML 1.1\n---\non: push\nyes: 1\n", PATH)
    assert isinstance(root, gha_yaml.Mapping)
    assert list(root.entries) == ["on", "yes"]


def test_labels_only_from_a_comment_on_the_same_line() -> None:
    text = (
        "jobs:\n  a:\n    steps:\n"
        f"      - uses: 'actions/checkout@{SHA}'   #   v4.2.2  \n"
        f"      - uses: >-\n          actions/checkout@{SHA}\n        # v9 (a comment on another line)\n"
        "      - uses: actions/setup-go@v5#not-a-comment\n"
    )
    assert rows(read(text)) == [
        (4, "actions", "actions/checkout", SHA, "v4.2.2"),
        (5, "actions", "actions/checkout", SHA, None),
        (8, "actions", "actions/setup-go", "v5#not-a-comment", None),
    ]


def test_lines_count_only_newlines() -> None:
    """A U+2028 in a string or a lone CR is a line break to YAML parsers, not to editors, git or GitHub."""
    text = f"name: 'a\u2028b'\r# x\rjobs:\n  a:\n    steps:\n      - uses: actions/checkout@{SHA}  # v4.2.2\n"
    assert rows(read(text)) == [(4, "actions", "actions/checkout", SHA, "v4.2.2")]


def test_container_forms_and_expressions() -> None:
    text = """\
jobs:
  t:
    runs-on: x
    strategy:
      matrix: ${{ fromJSON(needs.setup.outputs.matrix) }}
    container:
      image: ${{ matrix.image }}
    services:
      pg:
        image: ${{ (matrix.name == 'Tests') && 'postgres:17.5' || '' }}
      app:
        image: registry.example.com/app:${{ needs.build.outputs.tag }}
      none:
        image: ''
      text: mysql:8
  u:
    runs-on: x
    container: ${{ github.event.inputs.image || 'ubuntu:24.04' }}
"""
    manifest = read(text)
    assert [(d.line, d.name, d.version, d.specifier) for d in manifest.dependencies] == [
        # a computed matrix: decided at run time; a whole expression is name and version alike
        (7, "${{ matrix.image }}", "${{ matrix.image }}", "${{ matrix.image }}"),
        (10, "postgres", "17.5", "${{ (matrix.name == 'Tests') && 'postgres:17.5' || '' }}"),
        (12, "registry.example.com/app", "${{ needs.build.outputs.tag }}",
         "registry.example.com/app:${{ needs.build.outputs.tag }}"),
        (15, "mysql", "8", ""),
        (18, "ubuntu", "24.04", "${{ github.event.inputs.image || 'ubuntu:24.04' }}"),
        (18, "${{ github.event.inputs.image || 'ubuntu:24.04' }}", "${{ github.event.inputs.image || 'ubuntu:24.04' }}",
         "${{ github.event.inputs.image || 'ubuntu:24.04' }}"),
    ]


def test_an_expression_in_uses_is_kept_for_the_rules() -> None:
    manifest = read("jobs:\n  a:\n    steps:\n      - uses: ${{ inputs.action }}\n      - uses: actions/checkout@${{ inputs.ref }}\n")
    assert [(d.line, d.name, d.version, d.specifier) for d in manifest.dependencies] == [
        (4, "${{ inputs.action }}", None, "${{ inputs.action }}"),
        (5, "actions/checkout", "${{ inputs.ref }}", "actions/checkout@${{ inputs.ref }}"),
    ]


def test_uses_without_a_ref_is_a_dependency_without_version() -> None:
    assert rows(read("jobs:\n  a:\n    steps:\n      - uses: actions/checkout\n")) == [
        (4, "actions", "actions/checkout", None, None)
    ]


def test_empty_jobs_and_steps() -> None:
    assert read("on: push\n").dependencies == ()
    assert read("on: push\njobs:\n").dependencies == ()
    assert read("jobs:\n  a:\n    steps:\n").dependencies == ()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty file, expected a workflow (a mapping with on: and jobs:)"),
        ("- a\n- b\n", 1, "a workflow must be a mapping with on: and jobs:, found a list"),
        ("just text\n", 1, "a workflow must be a mapping with on: and jobs:, found 'just text'"),
        ("jobs: [a, b]\n", 1, "jobs must be a mapping of job ids to jobs, found a list"),
        ("jobs:\n  a: 3\n", 2, "jobs.a must be a mapping, found '3'"),
        ("jobs:\n  a:\n    steps: {uses: x}\n", 3, "jobs.a.steps must be a list of steps, found a mapping"),
        ("jobs:\n  a:\n    steps:\n      - run: x\n      - oops\n", 5, "jobs.a.steps[1] must be a mapping, found 'oops'"),
        ("jobs:\n  a:\n    steps:\n      - uses: [a]\n", 4, "jobs.a.steps[0].uses must be a string, found a list"),
        ("jobs:\n  a:\n    steps:\n      - uses: ''\n", 4,
         "jobs.a.steps[0].uses is empty; expected owner/repo@ref, ./path or docker://image"),
        ("jobs:\n  a:\n    steps:\n      - uses: checkout@v4\n", 4,
         "jobs.a.steps[0].uses: 'checkout@v4' is not an action reference; expected owner/repo[/path]@ref, ./path or "
         "docker://image"),
        ("jobs:\n  a:\n    uses: /x@v1\n", 3,
         "jobs.a.uses: '/x@v1' is not an action reference; expected owner/repo[/path]@ref, ./path or docker://image"),
        ("jobs:\n  a:\n    services: [pg]\n", 3, "jobs.a.services must be a mapping, found a list"),
        ("jobs:\n  a:\n    container: ':latest'\n", 3,
         "jobs.a.container: ':latest' is not an image reference; expected name[:tag][@digest]"),
        ("jobs:\n  a: {}\n  a: {}\n", 3, "duplicate key 'a' (first on line 2)"),
        ("on: push\njobs:\n  a:\n    runs-on: x\n    runs-on: y\n", 5, "duplicate key 'runs-on' (first on line 4)"),
        ("jobs:\n  a:\n    steps:\n      - uses: 'unterminated\n", 5,
         "not valid YAML: found unexpected end of stream"),
        # ruamel.yaml's Python and C parsers word these two a little differently: the message starts so
        ("jobs:\n\tbad: tab\n", 2, "not valid YAML: found character…"),
        ("jobs: *missing\n", 1, "not valid YAML: found undefined alias…"),
        ("a: 1\n---\nb: 2\n", 2, "not valid YAML: expected a single document in the stream, but found another document"),
        ("? [a, b]\n: c\n", 1, "a mapping key must be a plain string, found a collection"),
    ],
)
def test_bad_input_is_a_manifest_error_with_a_line(text: str, line: int, message: str) -> None:
    err = error(text)
    assert (err.path, err.line) == (PATH, line)
    if message.endswith("…"):
        assert err.message.startswith(message[:-1]), err.message
    else:
        assert err.message == message


def test_alias_bomb_costs_its_size_not_its_expansion() -> None:
    """Nine levels of ten aliases each would be a billion nodes if expanded."""
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    lines.append("jobs:\n  x:\n    steps: *a9")
    err = error("\n".join(lines) + "\n")
    assert err.message == "jobs.x.steps[0] must be a mapping, found a list"


def test_aliased_jobs_and_steps_are_walked_once() -> None:
    step = "{uses: actions/checkout@v4}"
    jobs = "\n".join(f"  j{i}: *job" for i in range(2000))
    text = f"base: &job\n  steps: &steps [{', '.join([step] * 5)}]\njobs:\n{jobs}\n"
    manifest = read(text)
    assert len(manifest.dependencies) == 5
    assert {d.line for d in manifest.dependencies} == {2}


def test_merge_keys_are_honoured_and_bounded() -> None:
    text = (
        "defaults: &d\n  runs-on: x\n  container: alpine:3.20\n"
        "jobs:\n  a:\n    <<: *d\n    container: alpine:3.21\n  b:\n    <<: *d\n"
    )
    assert [(d.line, d.version) for d in read(text).dependencies] == [(7, "3.21"), (3, "3.20")]
    keys = ", ".join(f"k{i}: {i}" for i in range(2000))
    layers = ["l0: &l0 {" + keys + "}"] + [f"l{i}: &l{i} {{<<: [*l{i - 1}], x{i}: 1}}" for i in range(1, 60)]
    err = error("\n".join(layers) + "\n")
    assert err.message == "merge keys (<<) copy more than 100000 entries: refusing a YAML alias bomb"


def test_a_huge_file_is_refused() -> None:
    err = error("a: " + "x" * (2 * 1024 * 1024) + "\n")
    assert (err.line, err.message) == (None, "larger than 2 MiB, expected a workflow or action file")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    """ruamel.yaml's C composer (used when ruamel.yaml.clib is installed) would crash on this; it never sees it."""
    err = error("jobs:\n  a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert (err.line, err.message) == (2, "nested more than 200 levels deep")
    many = "jobs:\n" + "".join(f"  j{i}: {{runs-on: [a, b]}}\n" for i in range(600))  # many brackets, shallow
    assert read(many).dependencies == ()
    block = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 1200)) + "jobs: {}\n"
    err = error(block)
    assert (err.line, err.message) == (201, "nested more than 200 levels deep")  # the 200th "- " opens the 201st


def test_warehouse_workflows(corpus: Path) -> None:
    folder = corpus / "real" / "pypi-warehouse" / ".github" / "workflows"
    manifests = {p.name: read(p.read_text(), f".github/workflows/{p.name}") for p in sorted(folder.glob("*.yml"))}
    assert sorted(manifests) == [
        "ci.yml", "codeql-analysis.yml", "combine-prs.yml", "dev-env-test.yml", "node-ci.yml", "not-this-repo.yml",
        "zizmor.yml",
    ]
    ci = manifests["ci.yml"]
    checkout = "3d3c42e5aac5ba805825da76410c181273ba90b1"
    assert rows(ci)[:4] == [
        (25, "actions", "actions/checkout", checkout, "v7.0.1"),
        (29, "actions", "depot/setup-action", "15c09a5f77a0840ad4bce955686522a257853461", "v1.7.1"),
        (32, "actions", "depot/build-push-action", "98e78adca7817480b8185f474a400b451d74e287", "v1.18.0"),
        (64, "docker", "registry.depot.dev/rltf7cln5v", "${{ needs.build.outputs.buildId }}", None),
    ]
    # `${{ (matrix.name == 'Tests') && 'postgres:17.5' || '' }}`: the image is the literal the expression yields
    assert [(d.line, d.name, d.version) for d in ci.dependencies if d.line in (71, 80, 84, 114)] == [
        (71, "postgres", "17.5"), (80, "redis", "7.0"), (84, "stripe/stripe-mock", "v0.162.0"), (114, "postgres", "17.5"),
    ]
    uses = [d for m in manifests.values() for d in m.dependencies if d.ecosystem == "actions"]
    assert len(uses) == 19
    assert all(len(d.version or "") == 40 and d.label and d.label.startswith("v") for d in uses)
    assert rows(manifests["codeql-analysis.yml"])[2] == (
        57, "actions", "github/codeql-action/init", "ff2f1c621b7f889edc0d3c761ac2e6a3f8cdb0dd", "v4.37.7"
    )
    assert manifests["not-this-repo.yml"].dependencies == ()
