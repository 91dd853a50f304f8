"""Tests for checker.manifests.go_mod (and the shared syntax of go_modfile): real files of spf13/cobra and
golang/tools (tests/manifests/fixtures/go/SOURCES.md) and hand-written lines, each the smallest reproduction of
what it names, checked against golang.org/x/mod/modfile's reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.go_mod import is_indirect
from checker.model import Manifest, Source

FIXTURES = Path(__file__).parent / "fixtures" / "go"


def parse(text: str, path: str = "go.mod") -> Manifest:
    fmt = format_for(path)
    assert fmt is not None and fmt.name == "go-mod"
    return fmt.parse(text, path, lambda other: None)


def deps(manifest: Manifest) -> dict[str, tuple]:
    return {d.name: (d.version, d.direct, d.source.kind, d.line) for d in manifest.dependencies}


def test_real_cobra() -> None:
    manifest = parse((FIXTURES / "cobra.go.mod").read_text())
    assert manifest.kind == "declared" and manifest.ecosystem == "go" and manifest.problems == ()
    assert deps(manifest) == {
        "go": ("1.15", True, "registry", 3),
        "github.com/cpuguy83/go-md2man/v2": ("v2.0.6", True, "registry", 6),
        "github.com/inconshreveable/mousetrap": ("v1.1.0", True, "registry", 7),
        "github.com/spf13/pflag": ("v1.0.9", True, "registry", 8),
        "go.yaml.in/yaml/v3": ("v3.0.4", True, "registry", 9),
    }
    assert next(d for d in manifest.dependencies if d.name == "go").scope == "build"


def test_real_gopls_blocks_indirect_and_local_replace() -> None:
    manifest = parse((FIXTURES / "gopls.go.mod").read_text(), "gopls/go.mod")
    assert manifest.problems == ()
    found = deps(manifest)
    assert found["golang.org/x/tools"] == ("v0.48.0", True, "path", 17)  # replace golang.org/x/tools => ..
    assert next(d for d in manifest.dependencies if d.name == "golang.org/x/tools").source == Source("path", url="..")
    assert found["github.com/BurntSushi/toml"] == ("v1.6.0", False, "registry", 26)  # // indirect
    assert found["honnef.co/go/tools"][0] == "v0.8.0-rc.1"
    assert found["golang.org/x/telemetry"][0] == "v0.0.0-20260811182544-a038080d80e5"
    assert len(manifest.dependencies) == 29


@pytest.mark.parametrize(("comment", "indirect"), [
    ("indirect", True), (" indirect", True), (" indirect; for the tests", True), (" indirect ", True),
    (" indirectly", False), (" not indirect", False), (" indirect;", False), (None, False), ("", False),
])
def test_indirect_as_modfile_reads_it(comment: str | None, indirect: bool) -> None:
    assert is_indirect(comment) is indirect


def test_single_lines_quotes_and_canonical_versions() -> None:
    manifest = parse('module example.com/m\n\nrequire "github.com/a/b" v1.2\nrequire github.com/c/d v2.0.0+incompatible'
                     ' //indirect\n')
    assert deps(manifest) == {"github.com/a/b": ("v1.2.0", True, "registry", 3),
                              "github.com/c/d": ("v2.0.0+incompatible", False, "registry", 4)}
    assert manifest.dependencies[0].specifier == "v1.2"


def test_names_are_case_sensitive() -> None:
    manifest = parse("module m\nrequire (\n\tgithub.com/Sirupsen/logrus v1.0.0\n\tgithub.com/sirupsen/logrus v1.9.0\n)\n")
    assert [d.name for d in manifest.dependencies] == ["github.com/Sirupsen/logrus", "github.com/sirupsen/logrus"]


def test_replacements() -> None:
    text = """module example.com/m
go 1.22
toolchain go1.22.3
require (
	golang.org/x/net v0.17.0
	golang.org/x/text v0.14.0
	golang.org/x/sys v0.15.0
)
replace golang.org/x/net => github.com/fork/net v0.17.1
replace golang.org/x/text v0.13.0 => ./text
replace golang.org/x/sys v0.15.0 => C:\\src\\sys
replace (
	example.com/transitive => ../transitive
	example.com/other v1.0.0 => example.com/other v1.0.1
)
"""
    manifest = parse(text)
    assert manifest.problems == ()
    by_name = {d.name: d for d in manifest.dependencies if d.direct}
    assert by_name["golang.org/x/net"].source == Source("module", url="github.com/fork/net", ref="v0.17.1")
    assert by_name["golang.org/x/net"].version == "v0.17.0"
    assert by_name["golang.org/x/text"].source.kind == "registry"  # the replace names another version
    assert by_name["golang.org/x/sys"].source == Source("path", url="C:\\src\\sys")
    assert by_name["toolchain"].version == "go1.22.3" and by_name["go"].version == "1.22"
    own = [d for d in manifest.dependencies if not d.direct]
    assert [(d.name, d.version, d.source.kind, d.line) for d in own] == [
        ("golang.org/x/text", "v0.13.0", "path", 10), ("example.com/transitive", None, "path", 13),
        ("example.com/other", "v1.0.0", "module", 14)]


@pytest.mark.parametrize(("line", "problem"), [
    ("require github.com/a/b master", "not a Go version"),
    ("require github.com/a/b", "expected `require module/path v1.2.3`"),
    ("require github.com/a/b v1.0.0 extra", "expected"),
    ("require github.com/а/b v1.0.0", "not a module path"),  # Cyrillic а
    ("require github.com/a/b v1.0.0-01", "not a Go version"),  # a leading zero in a numeric prerelease
    ("replace github.com/a/b => github.com/c/d", "must be a local directory"),
    ("replace github.com/a/b => ./d v1.0.0", "cannot have a version"),
    ("replace github.com/a/b => github.com/c/d@v1.0.0", "must be a local directory"),
    ("replace github.com/a/b v1 x => y", "expected"),
    ("exclude github.com/a/b latest", "exclude"),
    ("retract [v1.0.0 v1.1.0]", "retract"),
    ("go 1.21rc", "expected a Go version"),
    ("toolchain 1.21", "expected a toolchain"),
    ("requires github.com/a/b v1.0.0", "unknown directive 'requires'"),
])
def test_problems_not_skips(line: str, problem: str) -> None:
    manifest = parse(f"module example.com/m\n{line}\n")
    assert len(manifest.problems) == 1, manifest.problems
    assert problem in manifest.problems[0].message
    assert manifest.problems[0].line == 2


def test_valid_exclude_retract_godebug_tool_read_quietly() -> None:
    manifest = parse("module m\nexclude github.com/a/b v1.0.0\nretract v1.0.1 // oops\nretract [v1.1.0, v1.2.0]\n"
                     "godebug default=go1.21\ntool golang.org/x/tools/cmd/stringer\nignore ./node_modules\n")
    assert manifest.problems == () and manifest.dependencies == ()


def test_missing_and_repeated_module_and_go() -> None:
    manifest = parse("go 1.21\ngo 1.22\nrequire a.com/b v1.0.0\n")
    assert [p.message for p in manifest.problems] == [
        "repeated go statement (first on line 1)", "no module directive: the go command refuses a go.mod without one"]
    assert deps(manifest)["go"][0] == "1.21"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("module m\n/* require evil.com/x v1.0.0 */\n", 2, "// comments"),
    ("module m\nrequire (\n\ta.com/b v1.0.0\n", 2, "never closed"),
    ('module m\nrequire "a.com/b\\x41" v1.0.0\n', 2, "quoted string"),
    ("module m\nrequire `a.com/b` v1.0.0\n", 2, "raw"),
    ("module m\nrequire a.com/b v1.0.0\u200b\n", 2, "unexpected input character"),
    ("module m\nrequire (\n\ta.com/b v1.0.0 )\n)\n", 3, "block"),
])
def test_unreadable(text: str, line: int, message: str) -> None:
    with pytest.raises(ManifestError) as caught:
        parse(text)
    assert caught.value.line == line and message in caught.value.message and caught.value.path == "go.mod"


def test_commented_out_lines_are_not_requirements() -> None:
    """What the go command ignores: a require in a comment, and one after ``//`` on a line."""
    manifest = parse("module m\n// require evil.com/x v1.0.0\nrequire a.com/b v1.0.0 // require evil.com/y v2.0.0\n")
    assert [d.name for d in manifest.dependencies] == ["a.com/b"]


def test_carriage_returns() -> None:
    """Windows line ends read as lines; a lone CR is a space to the go command, so two requires joined by one are
    one malformed line (a problem), not one hidden requirement."""
    assert deps(parse("module m\r\nrequire a.com/b v1.0.0\r\n"))["a.com/b"][0] == "v1.0.0"
    manifest = parse("module m\nrequire a.com/b v1.0.0\rrequire evil.com/x v1.0.0\n")
    assert manifest.dependencies == () and len(manifest.problems) == 1


def test_long_line_is_linear() -> None:
    """A pathological 1 MB line parses (to a problem) without backtracking."""
    manifest = parse("module m\nrequire " + "a/" * 500_000 + " v1.0.0\n")
    assert len(manifest.problems) == 1
    with pytest.raises(ManifestError):
        parse('module m\nrequire "' + "a" * 1_000_000 + "\n")
