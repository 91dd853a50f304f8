"""Parse of the real .NET and Dart files lockgate keeps as fixtures (tests/manifests/fixtures/nuget and pub, see
their SOURCES.md), in process, next to the bare load of the same file: ``json.loads`` (packages.lock.json),
``xml.etree.ElementTree.fromstring`` (MSBuild files) and ruamel.yaml's safe loader (pubspec.lock, pubspec.yaml).

    .venv/bin/python benchmarks/dotnet_dart.py [--runs 15]

Part of ``benchmarks/suite.py`` (section ``parse``), where each file's median is held to the 60 ms budget of a
lockfile under 1 MB.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from harness import measure_call  # noqa: E402
from js_locks import yaml_floor  # noqa: E402
from run import ParseFigure, print_parse_table  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "manifests" / "fixtures"
# fixture -> the repository path it is parsed under (its name decides the format)
FILES = {
    "nuget/bitwarden-billing-integrationtest.packages.lock.json": "test/Billing.IntegrationTest/packages.lock.json",
    "nuget/bitwarden-exceptionhandling-test.packages.lock.json": "test/ExceptionHandling.Test/packages.lock.json",
    "nuget/jellyfin-Directory.Packages.props": "Directory.Packages.props",
    "nuget/bitwarden-sso-test.csproj": "test/SSO.Test/SSO.Test.csproj",
    "pub/localsend.pubspec.lock": "pubspec.lock",
    "pub/gallery.pubspec.lock": "app/pubspec.lock",
    "pub/gallery-2020.pubspec.lock": "old/pubspec.lock",
    "pub/gallery.pubspec.yaml": "pubspec.yaml",
}


def parse_figures(runs: int, floor_runs: int = 3) -> list[ParseFigure]:
    import xml.etree.ElementTree as ElementTree

    from checker.manifests import format_for

    loader, loader_label = yaml_floor()
    figures = []
    for fixture, path in FILES.items():
        text = (FIXTURES / fixture).read_text(encoding="utf-8")
        fmt = format_for(path)
        assert fmt is not None, path
        ours = measure_call(lambda: fmt.parse(text, path, lambda other: None), runs)  # type: ignore[union-attr]
        if path.endswith(".json"):
            floor, label = measure_call(lambda: json.loads(text), runs), "json.loads"
        elif path.endswith((".props", "proj")):
            floor, label = measure_call(lambda: ElementTree.fromstring(text), runs), "ElementTree.fromstring"
        else:
            floor, label = measure_call(lambda: loader.load(text), floor_runs), loader_label
        figures.append(ParseFigure(f"fixtures/{fixture}", len(text.encode()), ours, floor, label))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    print_parse_table(parse_figures(args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
