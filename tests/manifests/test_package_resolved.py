"""Package.resolved (checker/manifests/package_resolved.py): versions 1 to 3 on real files, pins by version, branch and
revision, a moved tag and a swapped repository as source changes, OSV's names, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.diff.changes import diff
from checker.errors import ManifestError
from checker.manifests.package_resolved import identity_of, osv_name, parse
from checker.model import Source

FIXTURES = Path(__file__).parent / "fixtures" / "package_resolved"
SHA = "5928286acce13def418ec36d05a001a9641086f2"


def read(text: str):  # type: ignore[no-untyped-def]
    return parse(text, "Package.resolved", lambda path: None)


def v2(*pins: dict, version: int = 2) -> str:
    return json.dumps({"pins": list(pins), "version": version}, indent=2)


def pin(identity: str = "alamofire", location: str = "https://github.com/Alamofire/Alamofire.git",
        **state: str) -> dict:
    return {"identity": identity, "kind": "remoteSourceControl", "location": location,
            "state": state or {"revision": SHA, "version": "5.8.0"}}


def test_real_version_3() -> None:
    manifest = read((FIXTURES / "tca-v3.json").read_text())
    assert manifest.ecosystem == "swift" and len(manifest.dependencies) == 17
    first = manifest.dependencies[0]
    assert (first.name, first.version, first.line) == ("combine-schedulers", "1.1.0", 5)
    assert first.source.kind == "git" and first.source.commit and first.source.ref == "1.1.0"


def test_real_version_1_with_branch_pins() -> None:
    manifest = read((FIXTURES / "isowords-v1.json").read_text())
    by_name = {d.name: d for d in manifest.dependencies}
    assert by_name["bluecryptor"].source.url == "https://github.com/IBM-Swift/BlueCryptor.git"
    branch = [d for d in manifest.dependencies if d.specifier]
    assert branch and all(d.version == d.source.commit for d in branch)  # a branch pin is its revision


def test_identity_and_osv_names() -> None:
    assert identity_of("https://github.com/Alamofire/Alamofire.git") == "alamofire"
    assert identity_of("git@github.com:apple/swift-nio.git") == "swift-nio"
    assert osv_name("https://github.com/apple/swift-nio.git") == "github.com/apple/swift-nio"
    assert osv_name("git@github.com:apple/swift-nio.git") == "github.com/apple/swift-nio"
    assert osv_name("https://user@github.com/apple/swift-nio/") == "github.com/apple/swift-nio"


def test_a_moved_tag_and_a_swapped_repository_are_source_changes() -> None:
    base = read(v2(pin(), pin("nio", "https://github.com/apple/swift-nio.git")))
    head = read(v2(pin(revision="1" * 40, version="5.8.0"), pin("nio", "https://github.com/evil/swift-nio.git")))
    assert {(c.name, c.kind) for c in diff([base], [head])} == {("alamofire", "source-changed"),
                                                               ("nio", "source-changed")}


def test_registry_and_local_pins() -> None:
    manifest = read(v2({"identity": "acme.tool", "kind": "registry", "location": "", "state": {"version": "1.0.0"}},
                       {"identity": "mine", "kind": "localSourceControl", "location": "/src/mine",
                        "state": {"revision": SHA}}, version=3))
    registry, local = manifest.dependencies
    assert registry.source == Source("registry") and registry.version == "1.0.0"
    assert local.source.kind == "path" and local.version == SHA


@pytest.mark.parametrize("text, message", [
    ("", "empty file"),
    ('{"pins": [], "version": 4}', "unsupported Package.resolved version 4"),
    ("{", "not valid JSON"),
    (v2({"identity": "x", "kind": "remoteSourceControl", "location": "u", "state": {"version": "1.0.0"}}),
     "without `revision`"),
    (v2({"identity": "x", "kind": "fileSystem", "location": "u", "state": {}}), "`kind` of x must be one of"),
    ('{"object": {}, "version": 1}', "`object.pins` must be an array"),
])
def test_bad_input(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as error:
        read(text)
    assert message in str(error.value)
