"""Tests for checker.manifests.go_sum: real go.sum files (spf13/cobra, golang/tools' gopls; see
tests/manifests/fixtures/go/SOURCES.md), hand-written lines, and how go.mod-only lines reach the review decision
through the real diff (``graph_only``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.diff.changes import diff_dependencies
from checker.manifests import format_for
from checker.manifests.go_sum import graph_only
from checker.model import Manifest
from checker.policy.load import ReviewPolicy
from checker.review.decision import needs_review

FIXTURES = Path(__file__).parent / "fixtures" / "go"
A = "h1:" + "A" * 43 + "="
B = "h1:" + "B" * 43 + "="
C = "h1:" + "C" * 43 + "="
D = "h1:" + "D" * 43 + "="
REVIEW = ReviewPolicy(required_for=("added", "upgraded", "downgraded", "source-changed", "hashes-changed",
                                    "scope-changed"))


def parse(text: str, path: str = "go.sum", go_mod: str | None = None) -> Manifest:
    fmt = format_for(path)
    assert fmt is not None and fmt.name == "go-sum"
    return fmt.parse(text, path, lambda other: go_mod if other.endswith("go.mod") else None)


def test_real_cobra() -> None:
    manifest = parse((FIXTURES / "cobra.go.sum").read_text(), go_mod=(FIXTURES / "cobra.go.mod").read_text())
    assert manifest.kind == "lock" and manifest.problems == ()
    pflag = next(d for d in manifest.dependencies if d.name == "github.com/spf13/pflag")
    assert pflag.version == "v1.0.9" and pflag.direct and pflag.line == 7
    assert pflag.hashes == {"h1:9exaQaMOCwffKiiiYk6/BndUBv+iRViNW+4lEMi0PvY=",
                            "h1/go.mod:McXfInJRrz4CZXVZOBLb0bTZqETkiAhM9Iw0y3An2Bg="}
    blackfriday = next(d for d in manifest.dependencies if d.name == "github.com/russross/blackfriday/v2")
    assert not blackfriday.direct  # not required by the go.mod beside it
    assert len(manifest.dependencies) == 6


def test_real_gopls_go_mod_only_lines_fold() -> None:
    text = (FIXTURES / "gopls.go.sum").read_text()
    manifest = parse(text, "gopls/go.sum", go_mod=(FIXTURES / "gopls.go.mod").read_text())
    assert manifest.problems == ()
    lines = [line.split() for line in text.splitlines() if line.strip()]
    built = {(m, v) for m, v, _ in lines if not v.endswith("/go.mod")}
    assert {(d.name, d.version) for d in manifest.dependencies if not d.constraint} == built
    # every go.mod hash of the file is somewhere, under its own version
    recorded = {(d.name, version, digest) for d in manifest.dependencies
                for version, digest in _go_mod_hashes(d).items()}
    assert recorded == {(m, v[: -len("/go.mod")], h[3:]) for m, v, h in lines if v.endswith("/go.mod")}
    crypto = next(d for d in manifest.dependencies if d.name == "golang.org/x/crypto")
    assert crypto.constraint and crypto.version == "v0.55.0" and not crypto.direct


def _go_mod_hashes(dep):  # type: ignore[no-untyped-def]
    from checker.manifests.go_sum import _go_mod_hashes as found

    return found(dep)


def test_one_dependency_per_built_version() -> None:
    manifest = parse(f"a.com/m v1.0.0 {A}\na.com/m v1.0.0/go.mod {B}\na.com/m v0.9.0/go.mod {C}\n"
                     f"b.com/n v0.1.0/go.mod {D}\nb.com/n v0.2.0/go.mod {A}\n")
    first, second = manifest.dependencies
    assert (first.name, first.version, first.constraint, first.line) == ("a.com/m", "v1.0.0", False, 1)
    assert first.hashes == {A, "h1/go.mod:" + B[3:], "h1/go.mod@v0.9.0:" + C[3:]}
    assert (second.name, second.version, second.constraint, second.line) == ("b.com/n", "v0.2.0", True, 5)
    assert second.hashes == {"h1/go.mod:" + A[3:], "h1/go.mod@v0.1.0:" + D[3:]}
    assert first.direct and second.direct  # no go.mod to say otherwise: the conservative reading


@pytest.mark.parametrize(("line", "message"), [
    (f"a.com/m v1.0.0 {A} extra", "found 4 fields"),
    ("a.com/m v1.0.0", "found 2 fields"),
    (f"a.com/m master {A}", "not a Go version"),
    (f"a.com/m v1.0.0 sha256:{'a' * 64}", "not an h1: hash"),
    ("a.com/m v1.0.0 h1:short=", "not an h1: hash"),
    (f"a.com/m\u200b v1.0.0 {A}", "not a module path"),
    (f"a.com/m\u00a0v1.0.0 {A}", "white space"),  # Go's strings.Fields splits there too: reported, never skipped
    (f"a.com/m v1.0 {A}", "not a Go version as go.sum writes them"),
])
def test_problems(line: str, message: str) -> None:
    manifest = parse(f"ok.com/x v1.0.0 {B}\n{line}\n")
    assert [(p.line, message in p.message) for p in manifest.problems] == [(2, True)], manifest.problems
    assert [d.name for d in manifest.dependencies] == ["ok.com/x"]


def test_two_hashes_for_one_version_is_a_problem() -> None:
    """The go command accepts whichever line matches first: which artifact is pinned is not one thing."""
    manifest = parse(f"a.com/m v1.0.0 {A}\na.com/m v1.0.0 {B}\na.com/m v1.0.0 {A}\n")
    assert [(p.line, "two different hashes" in p.message) for p in manifest.problems] == [(2, True)]
    assert manifest.dependencies[0].hashes == {A}


def test_blank_lines_spaces_and_old_empty_go_mod_hash() -> None:
    manifest = parse(f"\n  a.com/m\tv1.0.0   {A}  \r\n\nb.com/n v1.0.0/go.mod h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
    assert [(d.name, d.line) for d in manifest.dependencies] == [("a.com/m", 2)]
    assert manifest.problems == ()


def test_not_a_go_sum() -> None:
    assert parse("").dependencies == ()
    manifest = parse("<html>\n")
    assert len(manifest.problems) == 1


def test_go_work_sum_is_read_without_a_go_mod() -> None:
    manifest = parse(f"a.com/m v1.0.0 {A}\n", "go.work.sum")
    assert manifest.format == "go-sum" and manifest.dependencies[0].direct
    assert format_for("go.work.sum").scan_includes("", "go.work.sum") == []  # type: ignore[union-attr]
    assert format_for("sub/go.sum").scan_includes("", "sub/go.sum") == [("sub/go.mod", None)]  # type: ignore[union-attr]


# -- what needs review: the real diff of two go.sum revisions, then the review decision ------------------------------


def _reviewed(before: str, after: str) -> list[tuple[str, str, str | None, bool]]:
    changes = diff_dependencies(parse(before).dependencies, parse(after).dependencies)
    return [(c.kind, c.name, c.dependency.version, needs_review(c, REVIEW)) for c in changes]


def test_an_upgrade_that_keeps_the_old_go_mod_line_is_one_reviewed_upgrade() -> None:
    before = f"a.com/m v1.0.0 {A}\na.com/m v1.0.0/go.mod {B}\n"
    after = f"a.com/m v1.0.0/go.mod {B}\na.com/m v1.1.0 {C}\na.com/m v1.1.0/go.mod {D}\n"
    assert _reviewed(before, after) == [("upgraded", "a.com/m", "v1.1.0", True)]


def test_go_mod_only_lines_added_and_removed_need_no_review() -> None:
    before = f"a.com/m v1.0.0 {A}\nb.com/n v0.1.0/go.mod {B}\n"
    after = f"a.com/m v1.0.0 {A}\na.com/m v0.9.0/go.mod {C}\nc.com/o v0.3.0/go.mod {D}\n"
    assert _reviewed(before, after) == [
        ("hashes-changed", "a.com/m", "v1.0.0", False),  # only a tagged go.mod line of another version added
        ("removed", "b.com/n", "v0.1.0", False),
        ("added", "c.com/o", "v0.3.0", False),
    ]


def test_graph_only_upgrade_needs_no_review() -> None:
    before = f"b.com/n v0.1.0/go.mod {B}\n"
    after = f"b.com/n v0.1.0/go.mod {B}\nb.com/n v0.2.0/go.mod {C}\n"
    assert _reviewed(before, after) == [("upgraded", "b.com/n", "v0.2.0", False)]


def test_a_changed_go_mod_hash_is_seen_and_reviewed() -> None:
    """The attack: rewrite the go.mod hash of a version listed only by its go.mod (which minimal version selection
    reads), alone or hidden beside an innocent new line."""
    before = f"b.com/n v0.1.0/go.mod {B}\n"
    assert _reviewed(before, f"b.com/n v0.1.0/go.mod {C}\n") == [("hashes-changed", "b.com/n", "v0.1.0", True)]
    assert _reviewed(before, f"b.com/n v0.1.0/go.mod {C}\nb.com/n v0.2.0/go.mod {D}\n") == [
        ("upgraded", "b.com/n", "v0.2.0", True)]
    built = f"a.com/m v1.0.0 {A}\na.com/m v0.9.0/go.mod {B}\n"
    assert _reviewed(built, f"a.com/m v1.0.0 {A}\na.com/m v0.9.0/go.mod {C}\n") == [
        ("hashes-changed", "a.com/m", "v1.0.0", True)]


def test_a_changed_zip_hash_is_reviewed() -> None:
    assert _reviewed(f"a.com/m v1.0.0 {A}\n", f"a.com/m v1.0.0 {B}\n") == [("hashes-changed", "a.com/m", "v1.0.0", True)]


def test_a_version_built_again_is_reviewed_and_one_no_longer_built_is_not() -> None:
    graph = f"a.com/m v1.0.0/go.mod {B}\n"
    full = f"a.com/m v1.0.0 {A}\na.com/m v1.0.0/go.mod {B}\n"
    assert _reviewed(graph, full) == [("hashes-changed", "a.com/m", "v1.0.0", True)]
    assert _reviewed(full, graph) == [("hashes-changed", "a.com/m", "v1.0.0", False)]


def test_graph_only_is_about_go_sum_only() -> None:
    from checker.model import Change, Dependency

    dep = Dependency("go", "a.com/m", "v1.0.0", manifest="go.mod")
    assert needs_review(Change("added", None, dep, None), REVIEW)
    assert graph_only(None, None)
