"""A wheel's file list and metadata files, read by HTTP range requests without downloading the wheel.

A wheel is a zip (PEP 427). Its table of contents, the central directory, sits at the end of the file, so three or
four small ranges give what rule ``artifact-content`` needs: every member's name and sizes, then ``METADATA``,
``entry_points.txt``, ``top_level.txt`` and any ``.pth`` file, each read alone. ``zipfile`` cannot be given a
partial file, so the structures are read here, by hand, from PKWARE's APPNOTE.TXT (6.3.10):

- 4.3.16 end of central directory record (EOCD, 22 bytes + a comment of at most 65,535 bytes): signature
  ``PK\\5\\6``, disk numbers, entry counts, the central directory's size and offset. It is searched for backwards in
  the last ``TAIL`` bytes (``Range: bytes=-TAIL``), and accepted only where its comment ends exactly at the end of
  the file;
- 4.3.15 zip64 end of central directory locator (20 bytes right before the EOCD, ``PK\\6\\7``) and 4.3.14 the zip64
  EOCD record (``PK\\6\\6``) it points to, read when a 16- or 32-bit field of the EOCD is saturated;
- 4.3.12 central directory file headers (46 bytes + name + extra + comment, ``PK\\1\\2``): flags (bit 11: the name
  is UTF-8, else code page 437), method, CRC-32, sizes, external attributes, the local header's offset; 4.5.3 the
  zip64 extended information extra field (id 0x0001) when a size or offset is saturated;
- 4.3.7 local file header (30 bytes + name + extra, ``PK\\3\\4``) of a member read: its own extra length decides
  where the data starts; the data is stored (0) or deflated (8, 4.4.5), inflated with a bound and checked against
  the central directory's CRC-32.

Hostile input is an ``ArtifactError`` with a reason (the facts stage makes it an unknown), never a crash, a hang or
a file written: a central directory larger than ``MAX_CD_BYTES`` or with more than ``MAX_ENTRIES`` entries, offsets
outside the file, a truncated zip, an answer whose ``Content-Range`` is not the range asked for or whose total
differs from the first answer's, a member inflating beyond ``MAX_MEMBER_BYTES`` (a deflate bomb). A server that
ignores ``Range`` (200) is read whole up to ``MAX_WHOLE_MIB`` MiB, else unknown. Member names with ``..``
components, absolute paths, drive letters or backslashes are kept as they are and reported (``unsafe_names``): they
are a signal, and nothing is ever written to disk here. The HTTP helper bounds every answer's size and time (the
``Content-Length`` check and the watchdog are its own).
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import NamedTuple

from checker.registries.http import MiB, HttpClient, RegistryError, Response, redact_url

TAIL = 65_535 + 22 + 20  # the longest EOCD (comment included) and the zip64 locator before it
MAX_CD_BYTES = 16 * MiB  # a wheel of 100,000 files has a central directory of ~10 MiB
MAX_ENTRIES = 100_000
MAX_MEMBER_BYTES = 4 * MiB  # METADATA, entry_points.txt, a .pth: text files; larger inflated is a bomb or not one
MAX_WHOLE_MIB = 64  # a server that ignores ranges: the whole wheel is read up to this many MiB
_SLACK = 1024  # read this much beyond a member's data, so that one request covers a local header's extra field
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_CD_HEADER = struct.Struct("<4s6H3L5H2L")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_CONTENT_RANGE = re.compile(r"bytes (\d{1,15})-(\d{1,15})/(\d{1,15})")
_STORED, _DEFLATED = 0, 8


class ArtifactError(Exception):
    """The wheel could not be read; ``str()`` says why (safe to show)."""


class Member(NamedTuple):
    """One central directory entry (APPNOTE 4.3.12)."""

    name: str
    compressed: int
    size: int
    method: int
    offset: int  # of its local file header
    crc: int
    mode: int  # the Unix mode from the external attributes (0 when the archive was made elsewhere)


class Listing(NamedTuple):
    """A wheel's members, with what reading them cost (``fetched``: bytes downloaded so far; ``ranged``: whether
    the server answered ranges or sent the whole file)."""

    size: int
    members: tuple[Member, ...]
    ranged: bool


class RemoteZip:
    """Ranges of one file on an HTTP server, through the registries' HTTP helper. Not thread-safe (one per wheel).

    The first read asks for the last ``TAIL`` bytes; its ``Content-Range`` gives the file's size, which every later
    answer must repeat. A 200 answer (no range support) holds the whole file, kept in memory and read from."""

    def __init__(self, http: HttpClient, url: str, *, max_whole_mib: int = MAX_WHOLE_MIB) -> None:
        self.http = http
        self.url = url
        self.max_whole = max_whole_mib * MiB
        self.size = -1
        self.whole: bytes | None = None
        self.fetched = 0
        self.requests = 0
        self._tail: tuple[int, bytes] = (0, b"")  # the last bytes, already read: later reads inside them are free

    def tail(self) -> tuple[int, bytes]:
        """(the offset of the bytes returned, the last ``TAIL`` bytes of the file or all of it)."""
        answer = self._get(f"bytes=-{TAIL}", self.max_whole, whole=True)
        if answer.status == 200:
            self.whole = answer.body
            self.size = len(answer.body)
            return max(0, self.size - TAIL), answer.body[-TAIL:]
        first, last, total = self._range_of(answer)
        if last != total - 1 or first != max(0, total - TAIL) or len(answer.body) != last - first + 1:
            raise ArtifactError(f"{self._shown()} answered bytes={first}-{last}/{total} ({len(answer.body)} bytes) "
                                f"to a request for its last {TAIL} bytes")
        self.size = total
        self._tail = (first, answer.body)
        return first, answer.body

    def read(self, start: int, length: int) -> bytes:
        """``length`` bytes from ``start`` (fewer only at the end of the file)."""
        if start < 0 or length < 0 or start > self.size:
            raise ArtifactError(f"{self._shown()}: a read at {start} outside the file of {self.size} bytes")
        end = min(start + length, self.size)
        if end <= start:
            return b""
        if self.whole is not None:
            return self.whole[start:end]
        tail_start, tail = self._tail
        if tail and start >= tail_start:
            return tail[start - tail_start:end - tail_start]
        answer = self._get(f"bytes={start}-{end - 1}", end - start)
        if answer.status == 200:
            raise ArtifactError(f"{self._shown()} answered a range with the whole file after answering one in part")
        first, last, total = self._range_of(answer)
        if (first, last, total) != (start, end - 1, self.size) or len(answer.body) != end - start:
            raise ArtifactError(f"{self._shown()} answered bytes={first}-{last}/{total} ({len(answer.body)} bytes) "
                                f"to a request for bytes={start}-{end - 1}/{self.size}: not the range asked for")
        return answer.body

    def _get(self, byte_range: str, max_bytes: int, *, whole: bool = False) -> Response:
        self.requests += 1
        try:
            # identity: a range of a gzip-encoded answer would be a range of the compressed bytes
            answer = self.http.get(self.url, headers={"Range": byte_range, "Accept-Encoding": "identity"},
                                   max_bytes=max_bytes)
        except RegistryError as error:
            if whole and "lockgate accepts" in error.reason:
                raise ArtifactError(f"{self._shown()} ignores ranges and the wheel is larger than the "
                                    f"{self.max_whole / MiB:g} MiB lockgate downloads whole") from None
            raise ArtifactError(error.reason) from None
        self.fetched += len(answer.body)
        if answer.status not in (200, 206):
            raise ArtifactError(f"{self._shown()} answered HTTP {answer.status} to a range request")
        return answer

    def _range_of(self, answer: Response) -> tuple[int, int, int]:
        header = (answer.header("content-range") or "").strip()
        found = _CONTENT_RANGE.fullmatch(header)
        if answer.status != 206 or found is None:
            raise ArtifactError(f"{self._shown()} answered {answer.status} with Content-Range {header[:60]!r} to a "
                                "range request")
        first, last, total = (int(found.group(i)) for i in (1, 2, 3))
        if first > last or last >= total:
            raise ArtifactError(f"{self._shown()} answered an impossible Content-Range {header[:60]!r}")
        return first, last, total

    def _shown(self) -> str:
        return self.http.redact(redact_url(self.url))


def list_members(remote: RemoteZip) -> Listing:
    """The central directory of the zip ``remote`` holds. Raises ArtifactError."""
    tail_start, tail = remote.tail()
    size = remote.size
    shown = remote._shown()
    eocd_at = _find_eocd(tail)
    if eocd_at is None:
        raise ArtifactError(f"{shown}: no end of central directory record in the last {len(tail)} bytes: "
                            "not a zip, or truncated")
    _, disk, cd_disk, _, entries, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, eocd_at)
    end_of_cd = tail_start + eocd_at  # the central directory ends where the EOCD (or the zip64 record) begins
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        entries, cd_size, cd_offset, end_of_cd = _zip64(remote, tail, tail_start, eocd_at, shown)
    elif disk != 0 or cd_disk != 0:
        raise ArtifactError(f"{shown}: a multi-disk zip (disk {disk}): not a wheel")
    if entries > MAX_ENTRIES:
        raise ArtifactError(f"{shown}: {entries} entries in the central directory, more than the {MAX_ENTRIES} "
                            "lockgate reads")
    if cd_size > MAX_CD_BYTES:
        raise ArtifactError(f"{shown}: a central directory of {cd_size} bytes, more than the "
                            f"{MAX_CD_BYTES // MiB} MiB lockgate reads")
    if cd_offset + cd_size > end_of_cd or cd_size < entries * _CD_HEADER.size:
        raise ArtifactError(f"{shown}: the central directory ({cd_size} bytes at {cd_offset}, {entries} entries) "
                            f"does not fit before its end record at {end_of_cd} (truncated or not a zip)")
    if cd_offset >= tail_start:
        directory = tail[cd_offset - tail_start:cd_offset - tail_start + cd_size]
    else:
        directory = remote.read(cd_offset, cd_size)
    members = _read_directory(directory, entries, cd_offset, shown)
    return Listing(size, members, remote.whole is None)


def _find_eocd(tail: bytes) -> int | None:
    """Where the EOCD record starts in ``tail``: the last signature whose comment length ends the file exactly."""
    at = len(tail) - _EOCD.size
    while at >= 0:
        at = tail.rfind(b"PK\x05\x06", 0, at + 4)
        if at < 0:
            return None
        if at + _EOCD.size <= len(tail) and at + _EOCD.size + _EOCD.unpack_from(tail, at)[7] == len(tail):
            return at
        at -= 1
    return None


def _zip64(remote: RemoteZip, tail: bytes, tail_start: int, eocd_at: int, shown: str) -> tuple[int, int, int, int]:
    """(entries, central directory size, its offset, where it must end) from the zip64 records (APPNOTE 4.3.14-15)."""
    at = eocd_at - _ZIP64_LOCATOR.size
    if at < 0 or tail[at:at + 4] != b"PK\x06\x07":
        raise ArtifactError(f"{shown}: the end record's fields are saturated but no zip64 locator precedes it")
    _, _, record_offset, _ = _ZIP64_LOCATOR.unpack_from(tail, at)
    if record_offset + _ZIP64_EOCD.size > tail_start + at:
        raise ArtifactError(f"{shown}: the zip64 locator points outside the file ({record_offset})")
    if record_offset >= tail_start:
        raw = tail[record_offset - tail_start:record_offset - tail_start + _ZIP64_EOCD.size]
    else:
        raw = remote.read(record_offset, _ZIP64_EOCD.size)
    if len(raw) != _ZIP64_EOCD.size or raw[:4] != b"PK\x06\x06":
        raise ArtifactError(f"{shown}: no zip64 end of central directory record at {record_offset}")
    fields = _ZIP64_EOCD.unpack(raw)
    entries, cd_size, cd_offset = fields[7], fields[8], fields[9]
    return entries, cd_size, cd_offset, record_offset


def _read_directory(directory: bytes, entries: int, cd_offset: int, shown: str) -> tuple[Member, ...]:
    members: list[Member] = []
    at = 0
    for index in range(entries):
        if at + _CD_HEADER.size > len(directory) or directory[at:at + 4] != b"PK\x01\x02":
            raise ArtifactError(f"{shown}: central directory entry {index} at {cd_offset + at} is not a file header")
        fields = _CD_HEADER.unpack_from(directory, at)
        flags, method, crc, compressed, size = fields[3], fields[4], fields[7], fields[8], fields[9]
        name_length, extra_length, comment_length = fields[10], fields[11], fields[12]
        external, offset = fields[15], fields[16]
        start = at + _CD_HEADER.size
        end = start + name_length + extra_length + comment_length
        if end > len(directory):
            raise ArtifactError(f"{shown}: central directory entry {index} runs past the directory's end")
        raw_name = directory[start:start + name_length]
        name = raw_name.decode("utf-8", "replace") if flags & 0x800 else raw_name.decode("cp437")
        extra = directory[start + name_length:start + name_length + extra_length]
        compressed, size, offset = _zip64_extra(extra, compressed, size, offset)
        members.append(Member(name, compressed, size, method, offset, crc, external >> 16))
        at = end
    return tuple(members)


def _zip64_extra(extra: bytes, compressed: int, size: int, offset: int) -> tuple[int, int, int]:
    """The 64-bit values of the zip64 extra field (APPNOTE 4.5.3) for the saturated 32-bit ones, in its order:
    uncompressed size, compressed size, local header offset."""
    at = 0
    while at + 4 <= len(extra):
        kind, length = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4:at + 4 + length]
        if kind == 0x0001:
            values = [v for (v,) in struct.iter_unpack("<Q", body[:len(body) // 8 * 8])]
            if size == 0xFFFFFFFF and values:
                size = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
            break
        at += 4 + length
    return compressed, size, offset


def read_member(remote: RemoteZip, member: Member, *, max_bytes: int = MAX_MEMBER_BYTES) -> bytes:
    """One member's bytes, inflated within ``max_bytes`` and checked against its CRC-32. Raises ArtifactError."""
    shown = f"{remote._shown()}: {member.name!r}"
    if member.size > max_bytes or member.compressed > max_bytes:
        raise ArtifactError(f"{shown} is {member.size} bytes, more than the {max_bytes} lockgate reads of one member")
    if member.method not in (_STORED, _DEFLATED):
        raise ArtifactError(f"{shown}: compression method {member.method} (wheels use stored or deflate)")
    if member.offset + _LOCAL_HEADER.size > remote.size:
        raise ArtifactError(f"{shown}: its local header offset {member.offset} is outside the file")
    raw_name_length = len(member.name.encode("utf-8", "replace"))
    data = remote.read(member.offset, _LOCAL_HEADER.size + raw_name_length + member.compressed + _SLACK)
    if len(data) < _LOCAL_HEADER.size or data[:4] != b"PK\x03\x04":
        raise ArtifactError(f"{shown}: no local file header at {member.offset}")
    fields = _LOCAL_HEADER.unpack_from(data)
    start = _LOCAL_HEADER.size + fields[9] + fields[10]
    if start + member.compressed > len(data):
        data = data + remote.read(member.offset + len(data), start + member.compressed - len(data))
    body = data[start:start + member.compressed]
    if len(body) != member.compressed:
        raise ArtifactError(f"{shown}: the file ends inside the member's data (truncated)")
    if member.method == _DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, max_bytes + 1)
        except zlib.error as error:
            raise ArtifactError(f"{shown}: not valid deflate data ({error})") from None
        if len(body) > max_bytes or inflater.unconsumed_tail:
            raise ArtifactError(f"{shown} inflates beyond {max_bytes} bytes (a deflate bomb?)")
    if len(body) != member.size or zlib.crc32(body) != member.crc:
        raise ArtifactError(f"{shown}: fails its size or CRC-32 check")
    return body
