"""checker/registries/wheels.py: a wheel's central directory and members read by HTTP range requests from a file
host on 127.0.0.1, with and without range support, and every hostile answer a clear ArtifactError (never a crash,
a hang or a file written)."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest

from checker.registries import wheels
from checker.registries.http import HttpClient
from checker.registries.wheels import ArtifactError, RemoteZip, list_members, read_member
from tests.fakes.wheels import FakeWheelHost, build_wheel, litellm_wheel

BIG = os.urandom(512 * 1024)  # incompressible: the wheel is much larger than what a listing reads


@pytest.fixture
def host():  # type: ignore[no-untyped-def]
    with FakeWheelHost() as fake:
        yield fake


def remote(url: str, **options: int) -> RemoteZip:
    return RemoteZip(HttpClient(retries=0, timeout=5, proxies={}), url, **options)


def wheel_with_big_file() -> bytes:
    return build_wheel("demo", "1.0", {"demo/__init__.py": "x = 1\n", "demo/blob.bin": BIG}, top_level=("demo",))


def test_lists_the_members_with_ranges_without_downloading_the_wheel(host: FakeWheelHost) -> None:
    data = wheel_with_big_file()
    source = remote(host.put("/demo-1.0-py3-none-any.whl", data))
    listing = list_members(source)
    assert [m.name for m in listing.members] == zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert listing.ranged and listing.size == len(data)
    assert source.fetched < 70 * 1024 < len(data)  # the tail only: the central directory is inside it
    assert all(wanted is not None for _, wanted in host.requests)


def test_reads_one_member_by_its_range_and_checks_it(host: FakeWheelHost) -> None:
    data = wheel_with_big_file()
    source = remote(host.put("/w.whl", data))
    members = {m.name: m for m in list_members(source).members}
    metadata = read_member(source, members["demo-1.0.dist-info/METADATA"])
    assert metadata.startswith(b"Metadata-Version: 2.1\nName: demo\n")
    assert read_member(source, members["demo-1.0.dist-info/top_level.txt"]) == b"demo\n"


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_stored_and_deflated_members(host: FakeWheelHost, compression: int) -> None:
    data = build_wheel("demo", "1.0", {"demo/a.py": "a = 1\n" * 100}, compression=compression)
    source = remote(host.put("/w.whl", data))
    members = {m.name: m for m in list_members(source).members}
    assert read_member(source, members["demo/a.py"]) == b"a = 1\n" * 100


def test_a_central_directory_before_the_tail_is_read_by_its_own_range(host: FakeWheelHost) -> None:
    files = {f"demo/module_{n:05d}.py": "" for n in range(2000)}  # a directory larger than the 64 KiB tail
    data = build_wheel("demo", "1.0", files)
    source = remote(host.put("/w.whl", data))
    assert len(list_members(source).members) == 2003
    assert len(host.requests) == 2


def test_a_server_without_ranges_is_read_whole_within_the_cap() -> None:
    data = wheel_with_big_file()
    with FakeWheelHost(ranges=False) as host:
        source = remote(host.put("/w.whl", data))
        listing = list_members(source)
        assert not listing.ranged and len(listing.members) == 6
        members = {m.name: m for m in listing.members}
        assert read_member(source, members["demo/__init__.py"]) == b"x = 1\n"
        assert len(host.requests) == 1  # later reads come from the body already read
        with pytest.raises(ArtifactError, match="ignores ranges and the wheel is larger than"):
            list_members(remote(host.put("/big.whl", data), max_whole_mib=0))


@pytest.mark.parametrize("fault", ["wrong-range", "wrong-total", "lie-length", "full-after-range"])
def test_an_answer_that_is_not_the_range_asked_for_is_an_error(host: FakeWheelHost, fault: str) -> None:
    files = {f"demo/module_{n:05d}.py": "" for n in range(2000)}  # two requests at least
    url = host.put("/w.whl", build_wheel("demo", "1.0", files))
    host.faults["/w.whl"] = fault
    with pytest.raises(ArtifactError):
        list_members(remote(url))


def test_not_a_zip_and_truncated_zips(host: FakeWheelHost) -> None:
    data = wheel_with_big_file()
    with pytest.raises(ArtifactError, match="no end of central directory"):
        list_members(remote(host.put("/html.whl", b"<html>" * 1000)))
    with pytest.raises(ArtifactError, match="no end of central directory"):
        list_members(remote(host.put("/cut-end.whl", data[:-30])))
    with pytest.raises(ArtifactError, match="does not fit"):
        list_members(remote(host.put("/cut-front.whl", data[len(data) // 2:])))
    with pytest.raises(ArtifactError):
        list_members(remote(host.put("/empty.whl", b"")))


def _eocd_at(data: bytes) -> int:
    return data.rfind(b"PK\x05\x06")


def test_absurd_central_directory_sizes_and_counts(host: FakeWheelHost) -> None:
    data = bytearray(build_wheel("demo", "1.0", {"demo/a.py": "a"}))
    at = _eocd_at(bytes(data))
    huge_size = bytearray(data)
    struct.pack_into("<L", huge_size, at + 12, 0x7FFF0000)
    with pytest.raises(ArtifactError, match="more than"):
        list_members(remote(host.put("/size.whl", bytes(huge_size))))
    many = bytearray(data)
    struct.pack_into("<HH", many, at + 8, 60000, 60000)
    with pytest.raises(ArtifactError, match="does not fit"):
        list_members(remote(host.put("/count.whl", bytes(many))))
    saturated = bytearray(data)
    struct.pack_into("<HH", saturated, at + 8, 0xFFFF, 0xFFFF)
    with pytest.raises(ArtifactError, match="zip64 locator"):
        list_members(remote(host.put("/zip64.whl", bytes(saturated))))


def test_a_zip64_record_claiming_a_billion_entries(host: FakeWheelHost) -> None:
    data = build_wheel("demo", "1.0", {"demo/a.py": "a"})
    at = _eocd_at(data)
    body, eocd = data[:at], bytearray(data[at:])
    record_offset = len(body)
    cd_size, cd_offset = struct.unpack_from("<LL", eocd, 12)
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 10**9, 10**9, cd_size, cd_offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, record_offset, 1)
    struct.pack_into("<HHLL", eocd, 8, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    with pytest.raises(ArtifactError, match="more than the 100000"):
        list_members(remote(host.put("/zip64.whl", body + record + locator + bytes(eocd))))


def test_a_real_zip64_wheel_is_read(host: FakeWheelHost) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        with archive.open("demo/a.py", "w", force_zip64=True) as member:
            member.write(b"a = 1\n")
        archive.writestr("demo-1.0.dist-info/METADATA", "Name: demo\n")
    source = remote(host.put("/z.whl", buffer.getvalue()))
    members = {m.name: m for m in list_members(source).members}
    assert read_member(source, members["demo/a.py"]) == b"a = 1\n"


def _patch_directory_size(data: bytes, name: str, size: int) -> bytes:
    patched = bytearray(data)
    at = patched.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", patched, at + 28)[0]
        if patched[at + 46:at + 46 + name_length] == name.encode():
            struct.pack_into("<L", patched, at + 24, size)
            return bytes(patched)
        at = patched.find(b"PK\x01\x02", at + 4)
    raise AssertionError(name)


def test_a_deflate_bomb_is_stopped_at_the_member_cap(host: FakeWheelHost) -> None:
    data = build_wheel("demo", "1.0", {"demo/bomb.txt": b"\0" * (5 * 1024 * 1024)})
    source = remote(host.put("/bomb.whl", data))
    members = {m.name: m for m in list_members(source).members}
    with pytest.raises(ArtifactError, match="more than"):
        read_member(source, members["demo/bomb.txt"])  # the size it declares
    lying = remote(host.put("/lying.whl", _patch_directory_size(data, "demo/bomb.txt", 100)))
    members = {m.name: m for m in list_members(lying).members}
    with pytest.raises(ArtifactError, match="deflate bomb"):
        read_member(lying, members["demo/bomb.txt"], max_bytes=1024 * 1024)


def test_a_member_whose_offset_is_outside_the_file(host: FakeWheelHost) -> None:
    data = build_wheel("demo", "1.0", {"demo/a.py": "a"})
    source = remote(host.put("/w.whl", data))
    member = list_members(source).members[0]._replace(offset=10**12)
    with pytest.raises(ArtifactError, match="outside the file"):
        read_member(source, member)
    with pytest.raises(ArtifactError, match="no local file header"):
        read_member(source, member._replace(offset=5))


def test_names_with_dot_dot_and_absolute_paths_are_listed_as_written_and_nothing_is_written(
        host: FakeWheelHost, tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(str(tmp_path))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("../evil.py", "/etc/evil.pth", "demo/../../x.py"):
            archive.writestr(zipfile.ZipInfo(name), b"import os\n")
    names = [m.name for m in list_members(remote(host.put("/w.whl", buffer.getvalue()))).members]
    assert names == ["../evil.py", "/etc/evil.pth", "demo/../../x.py"]
    assert os.listdir(str(tmp_path)) == []


def test_the_litellm_reconstructions(host: FakeWheelHost) -> None:
    old = {m.name for m in list_members(remote(host.put("/a.whl", litellm_wheel("1.82.6")))).members}
    new = {m.name for m in list_members(remote(host.put("/b.whl", litellm_wheel("1.82.8")))).members}
    assert {n for n in new - old if not n.startswith("litellm-")} == {"litellm_init.pth"}


def test_module_constants_are_sane() -> None:
    assert wheels.TAIL >= 65_535 + 22 and wheels.MAX_ENTRIES == 100_000
