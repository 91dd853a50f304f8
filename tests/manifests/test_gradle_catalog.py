"""Gradle version catalogs (checker/manifests/gradle_catalog.py): the real catalog of android/nowinandroid
(fixtures/gradle_catalog/SOURCES.md) and every notation Gradle's TomlCatalogFileParser reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.gradle_catalog import parse
from checker.model import Manifest

FIXTURES = Path(__file__).parent / "fixtures" / "gradle_catalog"
PATH = "gradle/libs.versions.toml"


def catalog(text: str) -> Manifest:
    return parse(text, PATH, lambda path: None)


def test_real_catalog() -> None:
    manifest = catalog((FIXTURES / "nowinandroid.libs.versions.toml").read_text())
    assert manifest.kind == "declared" and manifest.ecosystem == "maven" and manifest.problems == ()
    by_name = {d.name: d for d in manifest.dependencies}
    compose = by_name["androidx.activity:activity-compose"]
    assert (compose.version, compose.scope, compose.line) == ("1.9.3", "prod", 74)
    plugin = by_name["com.android.application:com.android.application.gradle.plugin"]
    assert plugin.scope == "build" and plugin.version
    bom = by_name["androidx.compose:compose-bom-alpha"]
    assert bom.version is not None
    versionless = [d for d in manifest.dependencies if d.version is None]
    assert versionless and all(d.specifier == "" for d in versionless)  # versions from a BOM: none as written


def test_three_library_notations_and_version_refs() -> None:
    manifest = catalog('''
[versions]
groovy = "3.0.5"
checkstyle = "8.37"

[libraries]
groovy-core = { module = "org.codehaus.groovy:groovy", version.ref = "groovy" }
groovy-json = { group = "org.codehaus.groovy", name = "groovy-json", version.ref = "groovy" }
groovy-nio = "org.codehaus.groovy:groovy-nio:3.0.5"
commons-lang3 = { group = "org.apache.commons", name = "commons-lang3", version = { strictly = "[3.8, 4.0[", prefer="3.9" } }
guava = { module = "com.google.guava:guava", version = { require = "32.1.3-jre", reject = ["33.0.0-jre"] } }
bom-managed = { module = "androidx.compose.ui:ui" }

[bundles]
groovy = ["groovy-core", "groovy-json", "groovy-nio"]

[plugins]
versions = { id = "com.github.ben-manes.versions", version = "0.45.0" }
kotlin = "org.jetbrains.kotlin.jvm:1.9.22"
''')
    assert manifest.problems == ()
    assert [(d.name, d.version, d.specifier, d.scope, d.line) for d in manifest.dependencies] == [
        ("org.codehaus.groovy:groovy", "3.0.5", "3.0.5", "prod", 7),
        ("org.codehaus.groovy:groovy-json", "3.0.5", "3.0.5", "prod", 8),
        ("org.codehaus.groovy:groovy-nio", "3.0.5", "3.0.5", "prod", 9),
        ("org.apache.commons:commons-lang3", None, "strictly [3.8, 4.0[; prefer 3.9", "prod", 10),
        ("com.google.guava:guava", "32.1.3-jre", "require 32.1.3-jre; reject 33.0.0-jre", "prod", 11),
        ("androidx.compose.ui:ui", None, "", "prod", 12),
        ("com.github.ben-manes.versions:com.github.ben-manes.versions.gradle.plugin", "0.45.0", "0.45.0", "build", 18),
        ("org.jetbrains.kotlin.jvm:org.jetbrains.kotlin.jvm.gradle.plugin", "1.9.22", "1.9.22", "build", 19),
    ]


@pytest.mark.parametrize("version,expected", [
    ("1.2.3", "1.2.3"), ("[1.0,2.0)", None), ("1.+", None), ("latest.release", None), ("]1.0, 2.0[", None),
])
def test_ranges_and_dynamic_versions_are_no_version(version: str, expected: str | None) -> None:
    manifest = catalog(f'[libraries]\na = "g:a:{version}"\n')
    assert (manifest.dependencies[0].version, manifest.dependencies[0].specifier) == (expected, version)


def test_table_headers_per_library() -> None:
    manifest = catalog('[libraries.groovy-core]\nmodule = "org.codehaus.groovy:groovy"\nversion = "3.0.5"\n')
    assert [(d.name, d.version, d.line) for d in manifest.dependencies] == [("org.codehaus.groovy:groovy", "3.0.5", 1)]


@pytest.mark.parametrize("entry,message", [
    ('a = { module = "g:a", version.ref = "nope" }', "names no [versions] alias 'nope'"),
    ('a = "g:a"', "expected \"group:artifact:version\""),
    ('a = "g:a:1:2"', "expected \"group:artifact:version\""),
    ('a = { module = "g:a:1.0" }', "module must be \"group:artifact\""),
    ('a = { module = "g:a", group = "x", name = "y" }', "module must be \"group:artifact\""),
    ('a = { group = "g" }', "expected module"),
    ('a = { module = "g:a", versions = "1.0" }', "unknown key versions"),
    ('a = { module = "g:a", version = { strictly = 1 } }', "version strictly must be a string"),
    ('a = { module = "g:a", version = { rquire = "1.0" } }', "unknown version key rquire"),
    ("a = 12", "expected a \"group:artifact:version\" string or a table"),
])
def test_entries_gradle_refuses_are_problems(entry: str, message: str) -> None:
    manifest = catalog(f'[versions]\nx = "1"\n[libraries]\n{entry}\nok = "g:ok:1.0"\n')
    assert [d.name for d in manifest.dependencies] == ["g:ok"]
    assert len(manifest.problems) == 1 and message in manifest.problems[0].message
    assert manifest.problems[0].line == 4


def test_plugins_and_bundles_problems() -> None:
    manifest = catalog('[libraries]\na = "g:a:1"\n[bundles]\nb = ["a", "missing"]\nc = "a"\n[plugins]\np = "noversion"\n'
                       'q = { id = "x", version.ref = "gone" }\n')
    assert sorted(p.message for p in manifest.problems) == [
        "[bundles] b: names no library missing", "[bundles] c: expected a list of library aliases",
        "[plugins] p: expected \"plugin.id:version\", found 'noversion'",
        "[plugins] q: version.ref names no [versions] alias 'gone'",
    ]


def test_not_toml_or_wrong_tables() -> None:
    with pytest.raises(ManifestError) as error:
        catalog('[libraries]\na = "g:a:1"\na = "g:a:2"\n')  # a duplicate alias: TOML refuses it, and so does Gradle
    assert error.value.line == 3
    with pytest.raises(ManifestError):
        catalog('libraries = "x"\n')
    assert catalog("").dependencies == ()


def test_file_names() -> None:
    for path in ("gradle/libs.versions.toml", "gradle/tools.versions.toml", "libs.versions.toml"):
        assert format_for(path) is not None and format_for(path).name == "gradle-catalog"
    assert format_for("versions.toml") is None and format_for(".versions.toml") is None
