"""Parser for Maven's core extensions, ``.mvn/extensions.xml`` (format "maven-extensions", ecosystem "maven",
kind "declared").

Maven loads these into itself before it reads any POM: each ``<extension>`` (``groupId``, ``artifactId``,
``version``) is code that runs in every build, so each is a dependency of scope build, named
``groupId:artifactId``. The file is read by the same safe XML reader as pom.xml (checker/manifests/xml_tree.py:
no DOCTYPE). A ``${…}`` names a property of the command line or of ``.mvn/maven.config`` (Maven interpolates
those here), unknown to lockgate: it is kept as written in the specifier with no version, as is a meta-version
(``RELEASE``, ``LATEST``); an extension without groupId or artifactId is a Problem.
"""

from __future__ import annotations

from checker.errors import ManifestError
from checker.manifests import xml_tree
from checker.manifests.common import is_blank
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "maven-extensions"


def parse(text: str, path: str, read: Reader) -> Manifest:
    from checker.versions import maven

    if is_blank(text):
        return Manifest(path=path, format=FORMAT, ecosystem="maven", dependencies=(), kind="declared")
    root = xml_tree.parse(text, path, "Maven's core extensions")
    if root.tag != "extensions":
        raise ManifestError(f"the root element is <{root.tag}>, expected <extensions>", path, root.line)
    dependencies, problems = [], []
    for node in root.all("extension"):
        group, artifact, written = node.text_of("groupId"), node.text_of("artifactId"), node.text_of("version") or ""
        if not group or not artifact:
            problems.append(Problem("<extension> without groupId and artifactId", node.line))
            continue
        version = None if "${" in written else maven.exact(written)
        dependencies.append(Dependency(ecosystem="maven", name=f"{group}:{artifact}", version=version,
                                       specifier=written, scope="build", direct=True, manifest=path, line=node.line))
    return Manifest(path=path, format=FORMAT, ecosystem="maven", dependencies=tuple(dependencies), kind="declared",
                    problems=tuple(problems))
