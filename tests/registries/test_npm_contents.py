"""npm tarballs read in memory (checker/registries/npm_contents.py): real releases (is-number 7.0.0, bufferutil
4.0.8 with its prebuilt binaries), integrity before anything is read, hostile archives, manifest confusion, and
the client's fetch, cache and offline answer against a fake registry on 127.0.0.1."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from checker.registries import npm_contents
from checker.registries.cache import Cache
from checker.registries.fetch import Fetcher
from checker.registries.http import HttpClient
from checker.registries.npm_contents import (NpmContentsClient, TarballContents, TarballError, check_integrity,
                                             manifest_confusion, read_tarball)
from tests.fakes.server import FakeServer, send

FIXTURES = Path(__file__).parent / "fixtures" / "npm_contents"


def real(name: str) -> tuple[bytes, dict[str, object]]:
    return (FIXTURES / f"{name}.tgz").read_bytes(), json.loads((FIXTURES / f"{name}.json").read_text())


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def tarball(files: dict[str, bytes], *, links: dict[str, str] | None = None, top: str = "package") -> bytes:
    """A .tgz as npm packs one: every entry under one top folder."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name if name.startswith(("/", "..")) else f"{top}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.type, info.linkname = tarfile.SYMTYPE, target
            archive.addfile(info)
    return gzip.compress(raw.getvalue(), mtime=0)  # the same files, the same bytes: the packument's integrity holds


def manifest(**fields: object) -> bytes:
    return json.dumps({"name": "pkg", "version": "1.0.0", **fields}).encode()


def test_real_tarballs_are_read_as_published() -> None:
    data, doc = real("is-number-7.0.0")
    check_integrity(data, doc["dist"]["integrity"])  # type: ignore[index]
    contents = read_tarball(data)
    assert contents.files == ("LICENSE", "README.md", "index.js", "package.json")
    assert (contents.binaries, contents.links, contents.problems) == ((), (), ())
    assert contents.manifest is not None and contents.manifest["name"] == "is-number"
    assert manifest_confusion(doc, contents) == []
    data, doc = real("bufferutil-4.0.8")
    check_integrity(data, doc["dist"]["integrity"])  # type: ignore[index]
    contents = read_tarball(data)
    assert "binding.gyp" in contents.files
    assert dict(contents.binaries) == {
        "prebuilds/darwin-x64+arm64/node.napi.node": "Mach-O universal", "prebuilds/linux-x64/node.napi.node": "ELF",
        "prebuilds/win32-ia32/node.napi.node": "PE", "prebuilds/win32-x64/node.napi.node": "PE"}
    assert manifest_confusion(doc, contents) == []


def test_bytes_that_are_not_the_published_ones_are_never_opened() -> None:
    data, doc = real("is-number-7.0.0")
    with pytest.raises(TarballError, match="does not match the packument's sha512 integrity"):
        check_integrity(data + b"\0", doc["dist"]["integrity"])  # type: ignore[index]
    weak_and_strong = f"sha1-{base64.b64encode(hashlib.sha1(data).digest()).decode()} {integrity(b'other')}"
    with pytest.raises(TarballError, match="sha512"):  # the strongest listed decides, not the weakest that matches
        check_integrity(data, weak_and_strong)
    check_integrity(data, None, hashlib.sha1(data).hexdigest())  # an old packument: shasum only
    with pytest.raises(TarballError, match="no integrity or shasum"):
        check_integrity(data, None, None)
    with pytest.raises(TarballError, match="not base64"):
        check_integrity(data, "sha512-***")


def test_hostile_archives_are_errors_or_problems_never_files_on_disk(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    escaping = read_tarball(tarball({"package.json": manifest(), "../../evil.sh": b"#!/bin/sh", "/etc/x": b"x"},
                                    links={"lib/passwd": "/etc/passwd"}))
    assert escaping.files == ("package.json",) and escaping.links == ("lib/passwd",)
    assert escaping.problems == ("entry '../../evil.sh' leaves the package folder",
                                 "entry '/etc/x' leaves the package folder")
    assert not (tmp_path / "evil.sh").exists()
    monkeypatch.setattr(npm_contents, "MAX_UNPACKED", 10_000)
    with pytest.raises(TarballError, match="unpacks to more than"):
        read_tarball(gzip.compress(b"\0" * 1_000_000))  # a bomb: 1 MB of zeros in 1 kB
    monkeypatch.setattr(npm_contents, "MAX_UNPACKED", 10_000_000)
    monkeypatch.setattr(npm_contents, "MAX_ENTRIES", 3)
    with pytest.raises(TarballError, match="more than 3 entries"):
        read_tarball(tarball({f"f{n}.js": b"" for n in range(5)}))
    with pytest.raises(TarballError, match="not a gzip file"):
        read_tarball(b"PK\x03\x04 not a tgz")
    with pytest.raises(TarballError, match="not a readable tar archive"):
        read_tarball(gzip.compress(b"garbage" * 100))
    odd = read_tarball(tarball({"package.json": b"[1, 2]"}))
    assert odd.manifest is None and odd.problems == ("package.json is not a JSON object",)


@pytest.mark.parametrize(("published", "packed", "files", "differ"), [
    # the 2023 demonstration: the registry shows no install script, the tarball runs one
    ({"scripts": {"test": "jest"}}, {"scripts": {"test": "jest", "postinstall": "node steal.js"}}, {}, ["scripts"]),
    ({"dependencies": {"a": "^1"}}, {"dependencies": {"a": "^1", "evil": "*"}}, {}, ["dependencies"]),
    ({"version": "1.0.0"}, {"version": "1.0.1"}, {}, ["version"]),
    ({"bin": {"pkg": "cli.js"}}, {"bin": {"pkg": "cli.js", "ls": "x.js"}}, {}, ["bin"]),
    # what npm's publish normalises is not a difference
    ({"scripts": {"install": "node-gyp rebuild"}, "gypfile": True}, {}, {"binding.gyp": b"{}"}, []),
    ({"bin": {"pkg": "cli.js"}}, {"bin": "./cli.js"}, {}, []),
    ({"bin": {"run": "bin/run"}}, {"directories": {"bin": "./bin"}}, {"bin/run": b""}, []),
    ({"scripts": {"start": "node server.js"}}, {}, {"server.js": b""}, []),
    ({"bundleDependencies": ["a"]}, {"bundledDependencies": ["a"]}, {}, []),
    ({"version": "1.0.0"}, {"version": "v1.0.0"}, {}, []),
])
def test_manifest_confusion(published: dict[str, object], packed: dict[str, object], files: dict[str, bytes],
                            differ: list[str]) -> None:
    contents = read_tarball(tarball({"package.json": manifest(**packed), **files}))
    assert manifest_confusion({"name": "pkg", "version": "1.0.0", **published}, contents) == differ


def test_no_package_json_is_a_difference() -> None:
    assert manifest_confusion({"name": "pkg"}, TarballContents(("index.js",))) == ["package.json (the tarball has none)"]


class Tarballs(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}
        self.asked: list[str] = []

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.asked.append(request.path)
        body = self.files.get(request.path)
        send(request, 200 if body is not None else 404, body or b"{}", {"Content-Type": "application/octet-stream"})


def client(cache: Path, *, offline: bool = False) -> NpmContentsClient:
    http = HttpClient(proxies={}, sleep=lambda seconds: None, retries=0, timeout=2.0)
    return NpmContentsClient(Fetcher(http, Cache(cache), offline=offline))


def test_the_client_fetches_checks_and_keeps_the_summary(tmp_path: Path) -> None:
    data, doc = real("bufferutil-4.0.8")
    with Tarballs() as server:
        server.files["/bufferutil/-/bufferutil-4.0.8.tgz"] = data
        url = server.root + "/bufferutil/-/bufferutil-4.0.8.tgz"
        first = client(tmp_path).contents(url, doc["dist"]["integrity"])  # type: ignore[index]
        again = client(tmp_path, offline=True).contents(url, doc["dist"]["integrity"])  # type: ignore[index]
        assert first == again and len(server.asked) == 1  # the summary of an immutable tarball, from the cache
        with pytest.raises(TarballError, match="offline, not cached"):
            client(tmp_path / "other", offline=True).contents(url, doc["dist"]["integrity"])  # type: ignore[index]
        with pytest.raises(TarballError, match="does not match"):
            client(tmp_path / "third").contents(url, integrity(b"another release"))
        with pytest.raises(TarballError, match="HTTP 404"):
            client(tmp_path / "fourth").contents(server.root + "/missing.tgz", integrity(b""))


class NpmWithTarballs(FakeServer):
    """A packument for ``pkg`` (1.0.0 and 1.1.0, their ``dist`` naming tarballs served here, with integrity) and the
    tarballs; ``packed`` overrides the package.json inside a version's tarball (manifest confusion)."""

    protocol = "HTTP/1.1"

    def __init__(self, releases: dict[str, dict[str, bytes]], packed: dict[str, dict[str, object]] | None = None) -> None:
        super().__init__()
        self.releases, self.packed = releases, packed or {}

    def documents(self) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        versions, times = {}, {"created": "2026-01-01T00:00:00.000Z"}
        for day, (version, files) in enumerate(self.releases.items(), start=1):
            document = {"name": "pkg", "version": version, "scripts": {"test": "jest"}}
            data = tarball({"package.json": json.dumps(self.packed.get(version, document)).encode(), **files})
            found[f"/pkg/-/pkg-{version}.tgz"] = data
            versions[version] = {**document, "dist": {"tarball": f"{self.root}/pkg/-/pkg-{version}.tgz",
                                                      "integrity": integrity(data)}}
            times[version] = f"2026-01-{day:02d}T00:00:00.000Z"
        found["/pkg"] = json.dumps({"name": "pkg", "versions": versions, "time": times}).encode()
        return found

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        body = self.documents().get(request.path)
        send(request, 200 if body is not None else 404, body or b"{}", {"Content-Type": "application/json"})


def test_the_facts_stage_compares_an_npm_tarball_with_the_one_before(tmp_path: Path) -> None:
    """Through the facts stage's npm path: the new version's tarball and the one it moves from, each read after its
    integrity; the one with a tarball package.json the registry does not show is manifest confusion."""
    from checker.model import ArtifactContents
    from checker.registries.gather import FactsRequest, Registries
    from checker.registries.stage import _npm_tarballs

    releases = {"1.0.0": {"index.js": b"module.exports = 1\n"},
                "1.1.0": {"index.js": b"module.exports = 2\n", "binding.gyp": b"{}", "bin/x.node": b"\x7fELF\x02"}}
    packed = {"1.1.0": {"name": "pkg", "version": "1.1.0", "scripts": {"test": "jest", "postinstall": "node x.js"}}}
    with NpmWithTarballs(releases, packed) as server:
        stack = Registries.create(cache=Cache(tmp_path), retries=0, timeout=2)
        try:
            found = _npm_tarballs(stack, FactsRequest("npm", "pkg", "1.1.0", server.root), ["1.0.0"])
            added = _npm_tarballs(stack, FactsRequest("npm", "pkg", "1.1.0", server.root), [])  # before: by time
        finally:
            stack.close()
    new, old = found.artifact, found.prior
    assert isinstance(new, ArtifactContents) and isinstance(old, ArtifactContents), found.reason
    assert (new.kind, new.version, old.version) == ("npm", "1.1.0", "1.0.0")
    assert "binding.gyp" in new.files and new.native == ("bin/x.node",) and old.native == ()
    assert new.mismatched == ("scripts",) and old.mismatched == ()
    assert added.prior == old


def test_a_second_package_json_under_another_top_folder_is_not_overlooked() -> None:
    """npm strips the first path component of every entry, whatever it is: ``evil/package.json`` lands at the root
    beside ``package/package.json``, and the one written last is what npm reads. Reading only the first folder's
    would compare the registry with the harmless one; both, and no manifest trusted, is manifest confusion."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as archive:
        for name, data in (("package/package.json", manifest()), ("evil/package.json",
                                                                  manifest(scripts={"postinstall": "node x.js"}))):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    contents = read_tarball(gzip.compress(raw.getvalue()))
    assert contents.manifest is None and contents.problems == ("the tarball holds 2 package.json files at its root",)
    assert manifest_confusion({"name": "pkg", "version": "1.0.0"}, contents) == ["package.json (the tarball has none)"]
    single = read_tarball(tarball({"package.json": manifest(scripts={"postinstall": "x"})}, top="renamed"))
    assert single.manifest is not None and single.manifest["scripts"] == {"postinstall": "x"}  # any folder name


def test_a_link_counts_as_an_installed_path_for_the_signals() -> None:
    """A ``binding.gyp`` that is a symbolic link still makes npm build: the artifact lists it like a file."""
    from checker.registries.npm_contents import as_artifact

    contents = read_tarball(tarball({"package.json": manifest()}, links={"binding.gyp": "build/real.gyp"}))
    assert "binding.gyp" not in contents.files and contents.links == ("binding.gyp",)
    artifact = as_artifact("https://registry.npmjs.org/pkg/-/pkg-1.0.0.tgz", "1.0.0", contents,
                           {"name": "pkg", "version": "1.0.0"})
    assert "binding.gyp" in artifact.files
