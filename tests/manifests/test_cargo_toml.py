"""Cargo.toml (checker/manifests/cargo_toml.py): every dependency table, renames, sources, workspace inheritance, real
files, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests.cargo_toml import parse
from checker.model import Source

FIXTURES = Path(__file__).parent / "fixtures" / "cargo_toml"

MANIFEST = """[package]
name = "app"

[dependencies]
serde = "1.0"
json = { package = "serde_json", version = "=1.0.100", optional = true }
tok = { git = "https://github.com/tokio-rs/tokio", rev = "0123456789abcdef0123456789abcdef01234567" }
local = { path = "../local" }
alt = { version = "=1.0.0", registry = "acme" }
idx = { version = "1", registry-index = "https://cargo.acme.example/index" }
inherited = { workspace = true }

[dependencies.rand]
version = "0.8"

[target.'cfg(windows)'.dependencies]
winapi = "0.3"

[dev-dependencies]
criterion = "0.5"

[build-dependencies]
cc = { git = "https://github.com/rust-lang/cc-rs", branch = "main" }

[workspace.dependencies]
anyhow = "1"

[patch.crates-io]
foo = { git = "https://github.com/x/foo", tag = "v1" }

[replace]
"bar:0.1.0" = { path = "vendor/bar" }
"""


def deps():  # type: ignore[no-untyped-def]
    manifest = parse(MANIFEST, "Cargo.toml", lambda path: None)
    assert manifest.kind == "declared" and manifest.ecosystem == "cargo"
    return {d.name: d for d in manifest.dependencies}


def test_every_table_and_scope() -> None:
    found = deps()
    assert {name: d.scope for name, d in found.items()} == {
        "serde": "prod", "serde_json": "optional", "tok": "prod", "local": "prod", "alt": "prod", "idx": "prod",
        "inherited": "prod", "rand": "prod", "winapi": "prod", "criterion": "dev", "cc": "build", "anyhow": "prod",
        "foo": "prod", "bar": "prod"}


def test_a_rename_is_the_real_crate() -> None:
    dep = deps()["serde_json"]
    assert (dep.version, dep.specifier, dep.line) == ("1.0.100", "=1.0.100", 6)


def test_sources() -> None:
    found = deps()
    assert found["serde"].source == Source() and found["serde"].version is None  # "1.0" is ^1.0
    assert found["tok"].source == Source("git", url="https://github.com/tokio-rs/tokio",
                                           ref="0123456789abcdef0123456789abcdef01234567",
                                           commit="0123456789abcdef0123456789abcdef01234567")
    assert found["cc"].source == Source("git", url="https://github.com/rust-lang/cc-rs", ref="main")
    assert found["local"].source == Source("path", url="../local")
    assert found["bar"].source == Source("path", url="vendor/bar")
    assert found["idx"].source == Source("registry", url="https://cargo.acme.example/index")
    # a registry known by name only: its version is not looked up at crates.io
    assert found["alt"].source == Source("registry", ref="acme") and found["alt"].version is None
    assert found["inherited"].specifier == "workspace = true"


def test_real_files() -> None:
    ripgrep = {d.name: d for d in parse((FIXTURES / "ripgrep.toml").read_text(), "Cargo.toml", lambda p: None)
               .dependencies}
    assert ripgrep["grep"].source == Source("path", url="crates/grep") and ripgrep["anyhow"].specifier == "1.0.75"
    assert ripgrep["tikv-jemallocator"].line is not None
    tokio = parse((FIXTURES / "tokio.toml").read_text(), "tokio/Cargo.toml", lambda p: None).dependencies
    assert any(d.name == "socket2" and d.scope == "optional" for d in tokio)
    workspace = parse((FIXTURES / "tokio-workspace.toml").read_text(), "Cargo.toml", lambda p: None).dependencies
    assert {d.name for d in workspace if d.source.kind == "path"} >= {"tokio", "tokio-util"}


@pytest.mark.parametrize("text, message", [
    ("", "empty file"),
    ("[dependencies]\nserde = 1\n", "must be a version requirement or a table"),
    ("[dependencies]\nserde = { version = 1 }\n", "`version` of [dependencies] serde must be a string"),
    ('[dependencies]\nx = { git = "u", tag = "a", rev = "b" }\n', "more than one of rev, tag and branch"),
    ("dependencies = 3\n", "[dependencies] must be a table"),
    ("[dependencies\n", "not valid TOML"),
])
def test_bad_input(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as error:
        parse(text, "Cargo.toml", lambda path: None)
    assert message in str(error.value)
