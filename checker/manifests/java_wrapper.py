"""Parser for the Gradle and Maven wrappers' settings (formats "gradle-wrapper" and "maven-wrapper", ecosystem
"config", kind "declared"): ``gradle/wrapper/gradle-wrapper.properties`` and
``.mvn/wrapper/maven-wrapper.properties``.

``./gradlew`` and ``./mvnw`` download the build tool itself from ``distributionUrl`` (Maven's wrapper also its own
jar from ``wrapperUrl``) and run it with the developer's and CI's credentials, checking it against
``distributionSha256Sum`` / ``wrapperSha256Sum`` only when those are set. So these settings decide what runs, and
are registry settings in lockgate's sense (README "Registry settings are dependencies"): one ``config`` dependency
per key, named ``gradle-wrapper.<key>`` / ``maven-wrapper.<key>`` with the key as the wrapper spells it, version the
value as Java reads the properties file (checker/manifests/java_properties.py: ``https\\://`` is ``https://``),
scope build. A pull request that points the wrapper at another distribution or drops its checksum is a change
that needs review. Other keys (timeouts, local paths) decide nothing fetched and are not recorded.
"""

from __future__ import annotations

import posixpath

from checker.manifests import java_properties
from checker.manifests.config_dependency import config_dependency
from checker.model import Manifest, Reader

KEYS = {
    "gradle-wrapper": ("distributionUrl", "distributionSha256Sum"),
    "maven-wrapper": ("distributionUrl", "distributionSha256Sum", "wrapperUrl", "wrapperSha256Sum"),
}


def parse(text: str, path: str, read: Reader) -> Manifest:
    tool = "gradle-wrapper" if posixpath.basename(path) == "gradle-wrapper.properties" else "maven-wrapper"
    found = java_properties.read(text)
    dependencies = tuple(config_dependency(f"{tool}.{key}", found[key][0], path, found[key][1])
                         for key in KEYS[tool] if key in found)
    return Manifest(path=path, format=tool, ecosystem="config", dependencies=dependencies, kind="declared")
