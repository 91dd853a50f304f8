"""``lockgate db sync``'s download of OSV's exports (checker/registries/osv_db.py) against a fake of their bucket: in
ranges, resumed after a lost connection, started over when the export changed, checked against the server's MD5 and
the zip's CRCs before it replaces the copy in use, and indexed by package for offline lookups."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from checker.registries import osv_db
from checker.registries.http import HttpClient
from checker.registries.osv_db import OsvDatabase, SyncError, sync
from tests.fakes.osv_exports import FakeOsvExports, export_zip

FIXTURES = Path(__file__).parent / "fixtures" / "osv_db"
MAL = (FIXTURES / "MAL-2026-2144.json").read_bytes()
GHSA = (FIXTURES / "GHSA-9wx4-h78v-vm56.json").read_bytes()


def records(*extra: tuple[str, bytes]) -> bytes:
    """An export of the two real records (and what a test adds), padded so that it spans several ranges."""
    members = {"MAL-2026-2144.json": MAL, "GHSA-9wx4-h78v-vm56.json": GHSA, **dict(extra)}
    for number in range(40):  # more real-shaped records: the range logic needs a file of a few chunks
        record = json.loads(GHSA)
        record["id"] = f"GHSA-test-{number:04d}"
        record["affected"][0]["package"]["name"] = f"Package_{number}.Name"
        members[f"GHSA-test-{number:04d}.json"] = json.dumps(record, indent=2).encode()
    return export_zip(members)


@pytest.fixture
def bucket(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(osv_db, "CHUNK", 4096)  # several ranges for a small export
    with FakeOsvExports() as fake:
        fake.put("PyPI", records())
        yield fake


def client() -> HttpClient:
    return HttpClient(timeout=5.0, retries=0, budget_seconds=60.0, proxies={})


def run(fake: FakeOsvExports, cache: Path, *names: str) -> list[osv_db.SyncResult]:
    with client() as http:
        return sync(names or ("pypi",), str(cache), http, base=fake.root)


def test_a_sync_downloads_in_ranges_checks_and_indexes_by_package(bucket: FakeOsvExports, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    with client() as http:
        [result] = sync(["pypi"], str(tmp_path), http, base=bucket.root,
                        progress=lambda e, done, total: seen.append((e, done, total)))
    size = len(bucket.objects["PyPI"])
    assert result == osv_db.SyncResult("PyPI", "downloaded", size, 42, 42, 0)
    assert seen[-1] == ("PyPI", size, size) and len(seen) == -(-size // 4096)
    assert [r for _, r in bucket.ranges][:2] == ["bytes=0-0", "bytes=0-4095"]
    database = OsvDatabase.open(str(tmp_path), "PyPI")
    assert database is not None
    [litellm] = database.records("litellm")
    assert (litellm["id"], litellm["affected"][0]["versions"]) == ("MAL-2026-2144", ["1.82.7", "1.82.8"])
    assert [r["id"] for r in database.records("Package_7.Name")] == ["GHSA-test-0007"]
    assert [r["id"] for r in database.records("package-7-name")] == ["GHSA-test-0007"]  # PEP 503, as PyPI names
    assert database.records("requests")[0]["aliases"] == ["CVE-2024-35195"]
    assert database.records("not-there") == []
    assert not (tmp_path / "osv" / "PyPI" / "all.zip.part").exists()


def test_a_second_sync_of_the_same_export_downloads_nothing(bucket: FakeOsvExports, tmp_path: Path) -> None:
    run(bucket, tmp_path)
    bucket.ranges.clear()
    [result] = run(bucket, tmp_path)
    assert result.status == "up to date" and bucket.ranges == [("/PyPI/all.zip", "bytes=0-0")]


def test_a_lost_connection_leaves_the_part_and_the_next_sync_resumes_from_it(bucket: FakeOsvExports,
                                                                            tmp_path: Path) -> None:
    bucket.cut_after = 8192
    with pytest.raises(SyncError):
        run(bucket, tmp_path)
    part = tmp_path / "osv" / "PyPI" / "all.zip.part"
    assert part.stat().st_size == 8192 and OsvDatabase.open(str(tmp_path), "PyPI") is None
    bucket.cut_after = None
    bucket.ranges.clear()
    [result] = run(bucket, tmp_path)
    assert result.status == "resumed" and result.records == 42
    assert [r for _, r in bucket.ranges][:2] == ["bytes=0-0", "bytes=8192-12287"]
    assert (tmp_path / "osv" / "PyPI" / "all.zip").read_bytes() == bucket.objects["PyPI"]


def test_an_export_replaced_between_two_syncs_is_downloaded_again_from_the_start(bucket: FakeOsvExports,
                                                                                tmp_path: Path) -> None:
    bucket.cut_after = 8192
    with pytest.raises(SyncError):
        run(bucket, tmp_path)
    bucket.cut_after = None
    bucket.replace("PyPI", records(("MAL-9999.json", MAL.replace(b"MAL-2026-2144", b"MAL-2026-9999"))))
    bucket.ranges.clear()
    [result] = run(bucket, tmp_path)
    assert result.status == "downloaded" and result.records == 43
    assert [r for _, r in bucket.ranges][1] == "bytes=0-4095"


def test_an_export_replaced_during_the_download_is_never_spliced(bucket: FakeOsvExports, tmp_path: Path) -> None:
    original = FakeOsvExports.serve

    def serve(self: FakeOsvExports, request) -> None:  # type: ignore[no-untyped-def]
        if request.headers.get("Range") == "bytes=4096-8191" and self.generation == 1:
            self.replace("PyPI", records(("extra.json", MAL)))
        original(self, request)

    bucket.serve = serve.__get__(bucket)  # type: ignore[method-assign]
    with pytest.raises(SyncError, match="was replaced while it was downloaded"):
        run(bucket, tmp_path)
    assert OsvDatabase.open(str(tmp_path), "PyPI") is None


def test_a_download_that_does_not_match_the_servers_md5_replaces_nothing(bucket: FakeOsvExports,
                                                                        tmp_path: Path) -> None:
    run(bucket, tmp_path)
    bucket.replace("PyPI", records(("extra.json", MAL)))
    bucket.wrong_md5 = True
    with pytest.raises(SyncError, match="does not match the MD5"):
        run(bucket, tmp_path)
    database = OsvDatabase.open(str(tmp_path), "PyPI")
    assert database is not None and database.records("litellm")  # the copy in use is untouched
    assert not (tmp_path / "osv" / "PyPI" / "all.zip.part").exists()


def test_a_zip_whose_member_fails_its_crc_is_refused(bucket: FakeOsvExports, tmp_path: Path) -> None:
    data = bytearray(bucket.objects["PyPI"])
    with zipfile.ZipFile(__import__("io").BytesIO(bytes(data))) as archive:
        info = archive.getinfo("MAL-2026-2144.json")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5
    data[offset] ^= 0xFF  # one byte of the compressed record
    bucket.replace("PyPI", bytes(data))
    with pytest.raises(SyncError):
        run(bucket, tmp_path)
    assert OsvDatabase.open(str(tmp_path), "PyPI") is None


def test_a_server_that_ignores_ranges_gives_the_whole_export_in_one_answer(bucket: FakeOsvExports,
                                                                          tmp_path: Path) -> None:
    bucket.ignore_ranges = True
    [result] = run(bucket, tmp_path)
    assert result.status == "downloaded" and result.records == 42 and len(bucket.ranges) == 1


def test_members_that_are_not_osv_records_are_counted_not_hidden(bucket: FakeOsvExports, tmp_path: Path) -> None:
    bucket.replace("PyPI", records(("broken.json", b"{not json"), ("list.json", b"[1, 2]")))
    [result] = run(bucket, tmp_path)
    assert (result.records, result.unreadable) == (42, 2)


def test_an_unknown_ecosystem_or_a_missing_export_is_an_error(bucket: FakeOsvExports, tmp_path: Path) -> None:
    from checker.errors import UsageError

    with pytest.raises(UsageError, match="unknown ecosystem 'made-up'"):
        run(bucket, tmp_path, "made-up")
    with pytest.raises(SyncError, match=r"\(404\)"):
        run(bucket, tmp_path, "npm")


def test_ecosystem_names_and_the_mirror_variable() -> None:
    assert [osv_db.osv_ecosystem(n) for n in ("pypi", "PyPI", "npm", "actions", "GitHub Actions")] == [
        "PyPI", "PyPI", "npm", "GitHub Actions", "GitHub Actions"]
    assert osv_db.base_url({}) == osv_db.DEFAULT_BASE
    assert osv_db.base_url({"LOCKGATE_OSV_DB_URL": "https://mirror.example/osv/"}) == "https://mirror.example/osv"


def test_every_spelling_of_a_package_finds_its_records(bucket: FakeOsvExports, tmp_path: Path) -> None:
    """The index keys packages as the online match compares them: an action named in another case (GitHub's names
    ignore case) or a PyPI name in another spelling is the same package, never "no advisories"."""
    action = json.loads(GHSA)
    action.update(id="GHSA-action", affected=[{"package": {"ecosystem": "GitHub Actions", "name": "Tj-Actions/Changed-Files"},
                                                "versions": ["45.0.7"]}])
    bucket.put("GitHub Actions", export_zip({"GHSA-action.json": json.dumps(action).encode()}))
    run(bucket, tmp_path, "pypi", "actions")
    actions = OsvDatabase.open(str(tmp_path), "GitHub Actions")
    assert actions is not None and [r["id"] for r in actions.records("tj-actions/changed-files")] == ["GHSA-action"]
    pypi = OsvDatabase.open(str(tmp_path), "PyPI")
    assert pypi is not None and [r["id"] for r in pypi.records("LiteLLM")] == ["MAL-2026-2144"]


def test_records_installed_from_elsewhere_are_a_copy_like_a_synced_one(tmp_path: Path) -> None:
    """``install``: the demo's advisories, or an air-gapped mirror's files, packed and indexed as a sync leaves an
    export; it replaces what was there."""
    records = [json.loads((FIXTURES / name).read_text()) for name in ("MAL-2026-2144.json", "GHSA-9wx4-h78v-vm56.json")]
    result = osv_db.install(str(tmp_path), "pypi", records, source="test", synced_at=1000.0)
    assert (result.ecosystem, result.status, result.records, result.packages, result.unreadable) == (
        "PyPI", "installed", 2, 2, 0)
    copy = OsvDatabase.open(str(tmp_path), "PyPI")
    assert copy is not None and copy.synced_at == 1000.0
    assert [r["id"] for r in copy.records("LiteLLM")] == ["MAL-2026-2144"]
    osv_db.install(str(tmp_path), "PyPI", [], source="test")
    emptied = OsvDatabase.open(str(tmp_path), "PyPI")
    assert emptied is not None and emptied.records("litellm") == []
    files = {p.name for p in (tmp_path / "osv" / "PyPI").iterdir()}  # the shards it replaced are gone
    [shards] = files - {"all.zip", "index.json"}
    assert {"all.zip", "index.json"} <= files and shards.startswith("index.")


def test_a_lookup_reads_one_shard_and_the_members_where_the_index_says(tmp_path: Path) -> None:
    """The index is sharded by package and says where each member's bytes are (benchmarks/osv_copy.py: a lookup in
    npm's export parsed a quarter of a million entries before). Stored members read as deflated ones do; a copy
    that no longer holds what its index says is an error that says to sync again, never "no advisory"."""
    records = [json.loads(GHSA)] + [dict(json.loads(GHSA), id=f"GHSA-test-{n:04d}",
                                         affected=[{"package": {"ecosystem": "PyPI", "name": f"p{n}"}}])
                                    for n in range(300)]
    osv_db.install(str(tmp_path), "PyPI", records, source="test")
    folder = tmp_path / "osv" / "PyPI"
    index = json.loads((folder / "index.json").read_text())
    shards = list((folder / index["shards"]).iterdir())
    assert index["packages"] == 301 and 100 < len(shards) <= 256
    copy = OsvDatabase.open(str(tmp_path), "PyPI")
    assert copy is not None and [r["id"] for r in copy.records("P150")] == ["GHSA-test-0150"]
    assert [r["id"] for r in copy.records("requests")] == ["GHSA-9wx4-h78v-vm56"]
    with zipfile.ZipFile(folder / "all.zip", "w", zipfile.ZIP_STORED) as archive:  # same members, stored, in order
        for record in records:
            archive.writestr(f"{record['id']}.json", json.dumps(record))
    with pytest.raises(SyncError, match="run lockgate db sync again"):  # offsets moved: the index is stale
        OsvDatabase.open(str(tmp_path), "PyPI").records("requests")  # type: ignore[union-attr]
    osv_db.install(str(tmp_path), "PyPI", records, source="test")
    data = bytearray((folder / "all.zip").read_bytes())
    at = data.index(b"GHSA-9wx4-h78v-vm56.json") + len(b"GHSA-9wx4-h78v-vm56.json") + 5
    data[at] ^= 0xFF  # one byte of the member's compressed data
    (folder / "all.zip").write_bytes(bytes(data))
    with pytest.raises(SyncError, match="cannot be read"):
        OsvDatabase.open(str(tmp_path), "PyPI").records("requests")  # type: ignore[union-attr]


def test_crates_and_swift_repositories_are_keyed_as_their_names_compare() -> None:
    from checker.registries.osv_db import package_key

    assert package_key("crates.io", "Serde-JSON") == package_key("crates.io", "serde_json")
    assert package_key("SwiftURL", "https://github.com/Apple/swift-nio.git") == package_key(
        "SwiftURL", "github.com/apple/swift-nio")
