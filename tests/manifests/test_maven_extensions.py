"""Maven's core extensions, .mvn/extensions.xml (checker/manifests/maven_extensions.py), on real files of Maven's own
integration tests (fixtures/maven_extensions/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.maven_extensions import parse

FIXTURES = Path(__file__).parent / "fixtures" / "maven_extensions"
PATH = ".mvn/extensions.xml"


def rows(text: str) -> list[tuple]:
    return [(d.name, d.version, d.specifier, d.scope, d.line) for d in parse(text, PATH, lambda p: None).dependencies]


def test_real_files() -> None:
    assert rows((FIXTURES / "client-properties.extensions.xml").read_text()) == [
        ("org.apache.maven.its.it-core-extensions:maven-it-core-extensions", None, "${test-extension-version}",
         "build", 23)]
    assert rows((FIXTURES / "metaversion.extensions.xml").read_text()) == [
        ("io.takari.maven:takari-smart-builder", None, "RELEASE", "build", 3)]


def test_exact_versions_and_problems() -> None:
    manifest = parse("<extensions><extension><groupId>kr.motd.maven</groupId><artifactId>os-maven-plugin</artifactId>"
                     "<version>1.7.1</version></extension><extension><artifactId>x</artifactId></extension>"
                     "</extensions>", PATH, lambda p: None)
    assert [(d.name, d.version) for d in manifest.dependencies] == [("kr.motd.maven:os-maven-plugin", "1.7.1")]
    assert len(manifest.problems) == 1


@pytest.mark.parametrize("text", ['<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><extensions/>', "<project/>",
                                  "<extensions>"])
def test_refused(text: str) -> None:
    with pytest.raises(ManifestError):
        parse(text, PATH, lambda p: None)


def test_file_name() -> None:
    assert format_for(".mvn/extensions.xml").name == "maven-extensions"  # type: ignore[union-attr]
    assert format_for("extensions.xml") is None
