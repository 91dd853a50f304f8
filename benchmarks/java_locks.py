"""Parse times of real Java build files: lockgate next to the bare load a naive design pays (the floor).

    python benchmarks/java_locks.py [--runs N]     (part of: python benchmarks/suite.py, section parse)

The files are the real ones the tests keep (tests/manifests/fixtures/*/SOURCES.md): ADarko22/JDKCertsTool's
gradle.lockfile read with its 120 KB gradle/verification-metadata.xml (floor: ElementTree's load of that XML,
which dominates), android/nowinandroid's gradle/libs.versions.toml (floor: ``tomllib.loads``) and
apache/commons-lang's pom.xml (floor: ``xml.etree.ElementTree.fromstring``). Target: each parse under 60 ms
(issue 21). In process, after a warm-up call; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness import measure_call  # noqa: E402
from run import ParseFigure, print_parse_table  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "manifests" / "fixtures"
# (label, file, the path lockgate parses it under, the folder its reads resolve in)
JAVA_FILES = (
    ("ADarko22/JDKCertsTool gradle.lockfile + verification-metadata.xml",
     "gradle_lockfile/jdkcertstool/gradle.lockfile", "gradle.lockfile"),
    ("android/nowinandroid gradle/libs.versions.toml", "gradle_catalog/nowinandroid.libs.versions.toml",
     "gradle/libs.versions.toml"),
    ("apache/commons-lang pom.xml", "maven_pom/commons-lang.pom.xml", "pom.xml"),
)


def parse_figures(runs: int) -> list[ParseFigure]:
    import xml.etree.ElementTree as ET

    from checker.manifests import format_for

    figures = []
    for label, relative, as_path in JAVA_FILES:
        path = FIXTURES / relative
        text = path.read_text(encoding="utf-8")
        fmt = format_for(as_path)
        assert fmt is not None, relative

        def read(other: str, directory: Path = path.parent) -> str | None:
            target = directory / other
            return target.read_text(encoding="utf-8") if target.is_file() else None

        ours = measure_call(lambda: fmt.parse(text, as_path, read), runs)  # type: ignore[union-attr]
        if as_path.endswith(".toml"):
            floor, floor_label = measure_call(lambda: tomllib.loads(text), runs), "tomllib.loads"
        elif as_path == "pom.xml":
            floor, floor_label = measure_call(lambda: ET.fromstring(text), runs), "ElementTree"
        else:
            xml = read("gradle/verification-metadata.xml") or ""
            floor, floor_label = measure_call(lambda: ET.fromstring(xml), runs), "ElementTree (the XML)"
        size = len(text.encode()) + (len((read("gradle/verification-metadata.xml") or "").encode())
                                     if as_path == "gradle.lockfile" else 0)
        figures.append(ParseFigure(label, size, ours, floor, floor_label))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    print_parse_table(parse_figures(args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
