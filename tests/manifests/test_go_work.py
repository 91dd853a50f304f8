"""Tests for checker.manifests.go_work: a workspace's modules, replaces and toolchain (hand-written, in the shape
of golang.org/x/mod/modfile's workfile tests)."""

from __future__ import annotations

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.model import Manifest, Source


def parse(text: str) -> Manifest:
    fmt = format_for("go.work")
    assert fmt is not None and fmt.name == "go-work"
    return fmt.parse(text, "go.work", lambda other: None)


def test_workspace() -> None:
    manifest = parse("""go 1.23.0

toolchain go1.23.4

use (
	./cmd/tool // the CLI
	./lib
)
use ../outside

replace golang.org/x/net v0.30.0 => github.com/fork/net v0.30.1
replace example.com/local => ./vendor/local
""")
    assert manifest.kind == "declared" and manifest.problems == ()
    assert [(d.name, d.version, d.source, d.scope, d.direct, d.line) for d in manifest.dependencies] == [
        ("go", "1.23.0", Source(), "build", True, 1),
        ("toolchain", "go1.23.4", Source(), "build", True, 3),
        ("./cmd/tool", None, Source("path", url="./cmd/tool"), "prod", True, 6),
        ("./lib", None, Source("path", url="./lib"), "prod", True, 7),
        ("../outside", None, Source("path", url="../outside"), "prod", True, 9),
        ("golang.org/x/net", "v0.30.0", Source("module", url="github.com/fork/net", ref="v0.30.1"), "prod", False, 11),
        ("example.com/local", None, Source("path", url="./vendor/local"), "prod", False, 12),
    ]


@pytest.mark.parametrize(("line", "message"), [
    ("require a.com/b v1.0.0", "unknown directive 'require'"),
    ("use ./a ./b", "use: expected"),
    ("replace a.com/b => c.com/d", "must be a local directory"),
    ("toolchain go1.22 go1.23", "expected a toolchain"),
])
def test_problems(line: str, message: str) -> None:
    manifest = parse(f"go 1.22\n{line}\n")
    assert [(p.line, message in p.message) for p in manifest.problems] == [(2, True)], manifest.problems


def test_unreadable() -> None:
    with pytest.raises(ManifestError) as caught:
        parse("go 1.22\nuse (\n./a\n")
    assert caught.value.line == 2 and caught.value.path == "go.work"
