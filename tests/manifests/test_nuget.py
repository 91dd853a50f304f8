"""NuGet's files: packages.lock.json (checker/manifests/nuget_lock.py), and Directory.Packages.props and project
files (checker/manifests/msbuild.py), on real files (fixtures/nuget/SOURCES.md) and on the ways around them."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.model import Manifest

FIXTURES = Path(__file__).parent / "fixtures" / "nuget"
HASH = "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A=="  # NuGet/Home#10787


def parse(path: str, text: str, files: dict[str, str] | None = None) -> Manifest:
    fmt = format_for(path)
    assert fmt is not None, path
    return fmt.parse(text, path, (files or {}).get)


def lock(*targets: tuple[str, dict], version: int = 1) -> str:
    return json.dumps({"version": version, "dependencies": dict(targets)}, indent=2)


def package(kind: str = "Direct", resolved: str | None = "13.0.1", content: str | None = HASH, **extra: object) -> dict:
    entry: dict = {"type": kind, **extra}
    if resolved is not None:
        entry["resolved"] = resolved
    if content is not None:
        entry["contentHash"] = content
    return entry


# --- packages.lock.json ----------------------------------------------------------------------------------------


def test_a_real_lock_file() -> None:
    manifest = parse("test/Libraries/ExceptionHandling.Test/packages.lock.json",
                     (FIXTURES / "bitwarden-exceptionhandling-test.packages.lock.json").read_text())
    assert (manifest.format, manifest.ecosystem, manifest.kind, manifest.problems) == ("nuget-lock", "nuget", "lock", ())
    by_name = {dep.name: dep for dep in manifest.dependencies}
    assert len(by_name) == 15 and "exceptionhandling" not in by_name  # the Project entries are the repository
    collector = by_name["coverlet.collector"]
    assert (collector.version, collector.specifier, collector.direct, collector.line) == ("6.0.0", "[6.0.0, )", True, 5)
    assert [h.split(":")[0] for h in collector.hashes] == ["sha512"] and len(next(iter(collector.hashes))) == 7 + 128
    assert all(dep.source.kind == "registry" and dep.source.url is None for dep in manifest.dependencies)
    assert sum(dep.direct for dep in manifest.dependencies) < len(manifest.dependencies)  # Transitive entries


def test_content_hash_is_sha512_hex() -> None:
    [dep] = parse("packages.lock.json", lock(("net8.0", {"Newtonsoft.Json": package()}))).dependencies
    assert dep.hashes == {"sha512:" + base64.b64decode(HASH).hex()}
    assert next(iter(dep.hashes)).startswith("sha512:a693c5a4172fc5db")


def test_one_package_in_several_targets_is_one_dependency_unless_versions_differ() -> None:
    text = lock(("net8.0", {"Newtonsoft.Json": package("Transitive")}),
                ("net8.0/linux-x64", {"newtonsoft.json": package("Direct")}),
                ("net472", {"Newtonsoft.Json": package("Direct", "12.0.3")}))
    deps = parse("packages.lock.json", text).dependencies
    assert [(d.name, d.version, d.direct) for d in deps] == [("Newtonsoft.Json", "13.0.1", True),
                                                             ("Newtonsoft.Json", "12.0.3", True)]


def test_two_content_hashes_for_one_version_are_a_problem() -> None:
    other = "A" * 86 + "=="
    text = lock(("net8.0", {"X": package()}), ("net9.0", {"X": package(content=other)}))
    manifest = parse("packages.lock.json", text)
    [problem] = manifest.problems
    assert "another contentHash" in problem.message and problem.line == 12


def test_version_2_central_transitive_and_version_3_aliases() -> None:
    v2 = lock(("net9.0", {"A": package("CentralTransitive", requested="[9.0.9, )"), "lib": {"type": "Project"}}),
              version=2)
    [dep] = parse("packages.lock.json", v2).dependencies
    assert (dep.name, dep.direct, dep.specifier) == ("A", False, "[9.0.9, )")
    v3 = json.dumps({"version": 3, "app": {"framework": "net10.0", "dependencies": {"B": package("direct")}}}, indent=2)
    [dep] = parse("packages.lock.json", v3).dependencies
    assert (dep.name, dep.direct, dep.line) == ("B", True, 6)  # type is read without regard to case, as NuGet does


@pytest.mark.parametrize(("text", "expected"), [
    ("", "empty file"),
    ("[]", "a JSON object"),
    ('{"version": 9, "dependencies": {}}', "unsupported packages.lock.json version 9"),
    ('{"version": true, "dependencies": {}}', "unsupported"),
    ('{"version": 1, "version": 1, "dependencies": {}}', "duplicate key 'version'"),
    (lock(("net8.0", {"X": package(content="not base64!")})), "is not base64"),
    (lock(("net8.0", {"X": package(content="AAAA")})), "a SHA-512 digest is 64"),
    (lock(("net8.0", {"X": package("Sideloaded")})), "unknown type 'Sideloaded'"),
    (lock(("net8.0", {"X": package(resolved=None) | {"resolved": 13}})), "resolved"),
    (lock(("net8.0", {"../evil": package()})), "is not a NuGet package id"),
])
def test_unreadable_lock_files_are_errors(text: str, expected: str) -> None:
    with pytest.raises(ManifestError, match=None) as raised:
        parse("src/packages.lock.json", text)
    assert expected in raised.value.message and raised.value.path == "src/packages.lock.json"


def test_a_duplicate_package_key_is_refused() -> None:
    """NuGet's reader keeps the last of two equal keys, a reviewer sees the first: the file is refused."""
    text = ('{"version": 1, "dependencies": {"net8.0": {"X": {"type": "Direct", "resolved": "1.0.0"}, '
            '"X": {"type": "Direct", "resolved": "6.6.6"}}}}')
    with pytest.raises(ManifestError, match="duplicate key 'X'"):
        parse("packages.lock.json", text)


def test_an_entry_without_resolved_is_a_problem_not_a_skip() -> None:
    manifest = parse("packages.lock.json", lock(("net8.0", {"X": package(resolved=None)})))
    assert manifest.dependencies == () and "without a resolved version" in manifest.problems[0].message


# --- Directory.Packages.props and project files ----------------------------------------------------------------


def test_real_central_package_management() -> None:
    manifest = parse("Directory.Packages.props", (FIXTURES / "jellyfin-Directory.Packages.props").read_text())
    assert (manifest.format, manifest.kind, manifest.problems) == ("nuget-central", "declared", ())
    by_name = {dep.name: dep for dep in manifest.dependencies}
    assert len(by_name) == 82
    assert (by_name["AsyncKeyedLock"].version, by_name["AsyncKeyedLock"].line) == ("8.0.2", 7)
    assert by_name["BlurHashSharp"].version == "1.4.0-pre.1"


def test_real_project_without_versions() -> None:
    manifest = parse("Jellyfin.Api/Jellyfin.Api.csproj", (FIXTURES / "jellyfin-api.csproj").read_text())
    assert manifest.format == "msbuild-project" and manifest.problems == ()
    names = [dep.name for dep in manifest.dependencies]
    assert names[:2] == ["Microsoft.AspNetCore.Authorization", "Microsoft.Extensions.Http"]
    assert "IDisposableAnalyzers" in names  # under Condition="'$(Configuration)' == 'Debug'": still listed
    assert all(dep.version is None and dep.specifier == "" for dep in manifest.dependencies)  # central versions


def test_versions_from_the_directory_build_props_above() -> None:
    files = {"Directory.Build.props": (FIXTURES / "bitwarden-Directory.Build.props").read_text()}
    path = "bitwarden_license/test/SSO.Test/SSO.Test.csproj"
    manifest = parse(path, (FIXTURES / "bitwarden-sso-test.csproj").read_text(), files)
    assert manifest.problems == () and manifest.includes == ("Directory.Build.props",)
    assert {(d.name, d.version) for d in manifest.dependencies} >= {("xunit", "2.6.6"), ("NSubstitute", "5.1.0")}
    # without it, the versions are unknown: a problem at each line, never a silent skip
    alone = parse(path, (FIXTURES / "bitwarden-sso-test.csproj").read_text())
    assert len(alone.problems) == 5 and "$(XUnitVersion)" in alone.problems[1].message
    assert {(d.name, d.version, d.specifier) for d in alone.dependencies} >= {("xunit", None, "$(XUnitVersion)")}
    assert format_for(path).scan_includes("", path)[:2] == [("bitwarden_license/test/SSO.Test/Directory.Build.props",
                                                            None), ("bitwarden_license/test/Directory.Build.props", None)]


PROJECT = """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <JsonVersion>13.0.1</JsonVersion>
  </PropertyGroup>
  <PropertyGroup Condition="'$(CI)' == 'true'">
    <Evil>6.6.6</Evil>
  </PropertyGroup>
  <ItemGroup>
    {items}
  </ItemGroup>
</Project>
"""


def project(items: str, path: str = "src/App/App.csproj") -> Manifest:
    return parse(path, PROJECT.replace("{items}", items))


@pytest.mark.parametrize(("items", "expected"), [
    ('<PackageReference Include="Newtonsoft.Json" Version="$(JsonVersion)" />', [("Newtonsoft.Json", "13.0.1")]),
    ('<PackageReference Include="A;B" Version="1.0.0" />', [("A", "1.0.0"), ("B", "1.0.0")]),
    ('<packagereference Include="A" version="2.0.0" />', [("A", "2.0.0")]),  # MSBuild ignores the case of names
    ('<PackageReference Include="A">\n<Version>3.0.0</Version>\n</PackageReference>', [("A", "3.0.0")]),
    ('<PackageReference Include="A" Version="1.0.0" VersionOverride="1.0.1" />', [("A", "1.0.1")]),
    ('<PackageReference Update="A" Version="4.0.0" />', [("A", "4.0.0")]),
    ('<PackageReference Include="A" Version="[1.0.0]" />', [("A", "1.0.0")]),
    ('<PackageReference Include="A" Version="[1.0,2.0)" />', [("A", None)]),
    ('<PackageReference Include="A" Version="1.*" />', [("A", None)]),
    ('<PackageReference Remove="A" />', []),
    ('<PackageDownload Include="A" Version="[5.0.0]" />', [("A", "5.0.0")]),
    ('<GlobalPackageReference Include="A" Version="1.0.0" />', [("A", "1.0.0")]),
])
def test_package_references(items: str, expected: list[tuple[str, str | None]]) -> None:
    manifest = project(items)
    assert [(d.name, d.version) for d in manifest.dependencies] == expected
    assert manifest.problems == ()


def test_unresolvable_properties_are_problems_and_the_package_is_still_listed() -> None:
    manifest = project('<PackageReference Include="A" Version="$(Evil)" />\n'
                       '<PackageReference Include="B" Version="$([System.IO.File]::ReadAllText(v.txt))" />\n'
                       '<PackageReference Include="$(Secret)" Version="1.0.0" />')
    assert [(d.name, d.version, d.specifier) for d in manifest.dependencies] == [
        ("A", None, "$(Evil)"), ("B", None, "$([System.IO.File]::ReadAllText(v.txt))")]
    assert [p.line for p in manifest.problems] == [10, 11, 12]
    assert "known only when MSBuild evaluates the project" in manifest.problems[0].message


def test_project_sdks_are_packages_fetched_from_nuget() -> None:
    text = ('<Project Sdk="Microsoft.NET.Sdk;Microsoft.Build.NoTargets/3.7.0">\n'
            '  <Sdk Name="Microsoft.Build.Traversal" Version="4.1.0" />\n'
            '  <Import Project="Sdk.props" Sdk="My.Sdk" Version="1.2.3" />\n</Project>')
    deps = parse("build/dirs.proj.csproj", text).dependencies
    assert [(d.name, d.version, d.scope, d.line) for d in deps] == [
        ("Microsoft.Build.NoTargets", "3.7.0", "build", 1), ("Microsoft.Build.Traversal", "4.1.0", "build", 2),
        ("My.Sdk", "1.2.3", "build", 3)]


def test_an_old_style_project_with_its_namespace_and_a_bom() -> None:
    text = ('\ufeff<?xml version="1.0" encoding="utf-8"?>\n<Project ToolsVersion="15.0" '
            'xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n  <ItemGroup>\n'
            '    <PackageReference Include="log4net" Version="2.0.15" />\n  </ItemGroup>\n</Project>\n')
    [dep] = parse("Legacy/Legacy.vbproj", text).dependencies
    assert (dep.name, dep.version, dep.line) == ("log4net", "2.0.15", 4)


@pytest.mark.parametrize(("text", "expected"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
     '<Project><ItemGroup><PackageReference Include="&lol2;" Version="1.0.0"/></ItemGroup></Project>',
     "document type declaration"),
    ('<!DOCTYPE Project SYSTEM "file:///etc/passwd"><Project/>', "document type declaration"),
    ("<Project><ItemGroup></Project>", "not well-formed XML"),
    ("", "not well-formed XML"),
    ("<Package><PackageReference Include='A' Version='1'/></Package>", "expected an MSBuild <Project>"),
])
def test_unsafe_or_broken_xml_is_an_error(text: str, expected: str) -> None:
    with pytest.raises(ManifestError) as raised:
        parse("src/App/App.csproj", text)
    assert expected in raised.value.message and raised.value.path == "src/App/App.csproj"


def test_a_wildcard_include_is_a_problem() -> None:
    manifest = project('<PackageReference Include="Evil.*" Version="1.0.0" />')
    assert manifest.dependencies == () and "wildcard" in manifest.problems[0].message


@pytest.mark.parametrize(("path", "fmt"), [
    ("Directory.Packages.props", "nuget-central"), ("src/directory.packages.props", "nuget-central"),
    ("a/b.csproj", "msbuild-project"), ("a/b.FSPROJ", "msbuild-project"), ("a/b.vbproj", "msbuild-project"),
    ("Directory.Build.props", "msbuild-project"), ("src/Directory.Build.targets", "msbuild-project"),
    ("x/packages.lock.json", "nuget-lock"),
])
def test_file_names(path: str, fmt: str) -> None:
    found = format_for(path)
    assert found is not None and found.name == fmt
    assert format_for("a/b.csproj.user") is None and format_for("packages.config") is None
