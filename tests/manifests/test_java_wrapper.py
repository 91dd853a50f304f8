"""The Gradle and Maven wrappers' settings (checker/manifests/java_wrapper.py) on real files
(fixtures/java_wrapper/SOURCES.md), and Java's properties grammar (checker/manifests/java_properties.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.manifests import format_for, java_properties
from checker.manifests.java_wrapper import parse

FIXTURES = Path(__file__).parent / "fixtures" / "java_wrapper"
GRADLE = "gradle/wrapper/gradle-wrapper.properties"
MAVEN = ".mvn/wrapper/maven-wrapper.properties"


def rows(text: str, path: str) -> list[tuple]:
    manifest = parse(text, path, lambda p: None)
    assert manifest.ecosystem == "config" and manifest.format == format_for(path).name  # type: ignore[union-attr]
    return [(d.ecosystem, d.name, d.version, d.scope, d.line) for d in manifest.dependencies]


def test_real_gradle_wrapper() -> None:
    assert rows((FIXTURES / "okhttp" / "gradle-wrapper.properties").read_text(), GRADLE) == [
        ("config", "gradle-wrapper.distributionUrl", "https://services.gradle.org/distributions/gradle-9.6.1-bin.zip",
         "build", 3)]  # `https\://` as Java reads it; timeouts and local paths are not recorded


def test_real_maven_wrapper() -> None:
    assert rows((FIXTURES / "petclinic" / "maven-wrapper.properties").read_text(), MAVEN) == [
        ("config", "maven-wrapper.distributionUrl",
         "https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.7/apache-maven-3.9.7-bin.zip",
         "build", 3)]


def test_checksums_and_wrapper_jar() -> None:
    text = ("distributionUrl=https://evil.example/apache-maven-bin.zip\ndistributionSha256Sum=abc\n"
            "wrapperUrl = https://evil.example/w.jar\nwrapperSha256Sum: def\n")
    assert [(name, version) for _, name, version, _, _ in rows(text, MAVEN)] == [
        ("maven-wrapper.distributionUrl", "https://evil.example/apache-maven-bin.zip"),
        ("maven-wrapper.distributionSha256Sum", "abc"), ("maven-wrapper.wrapperUrl", "https://evil.example/w.jar"),
        ("maven-wrapper.wrapperSha256Sum", "def")]


@pytest.mark.parametrize("text,expected", [
    ("a=b\n", {"a": ("b", 1)}),
    ("a = b \n", {"a": ("b ", 1)}),
    ("a:b\n", {"a": ("b", 1)}),
    ("a b\n", {"a": ("b", 1)}),
    ("a\\:b=c\n", {"a:b": ("c", 1)}),
    ("a=\\\n   b\\\n c\n", {"a": ("bc", 1)}),
    ("# a=b\n! c=d\n\n   \n", {}),
    ("a=1\na=2\n", {"a": ("2", 2)}),
    ("a=\\u0041\\t\\x\n", {"a": ("A\tx", 1)}),
    ("a=x\\\\\nb=y\n", {"a": ("x\\", 1), "b": ("y", 2)}),  # an even number of backslashes continues nothing
    ("a=x\\\n# not a comment\n", {"a": ("x# not a comment", 1)}),
    ("a=1\r\nb=2\rc=3", {"a": ("1", 1), "b": ("2", 2), "c": ("3", 3)}),
    ("a==b\n", {"a": ("=b", 1)}),
])
def test_java_properties_grammar(text: str, expected: dict) -> None:
    assert java_properties.read(text) == expected


def test_file_names() -> None:
    assert format_for("gradle/wrapper/gradle-wrapper.properties").name == "gradle-wrapper"  # type: ignore[union-attr]
    assert format_for("sub/.mvn/wrapper/maven-wrapper.properties").name == "maven-wrapper"  # type: ignore[union-attr]
    assert format_for("gradle-wrapper.properties") is None
