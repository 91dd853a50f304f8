"""A fake of the bucket OSV publishes its exports in (``{base}/{Ecosystem}/all.zip`` on Google Cloud Storage), as
``lockgate db sync`` meets it: ``Range`` requests answered ``206`` with ``Content-Range``, an ``ETag``, ``If-Match``
answered ``412`` when the object changed, and ``x-goog-hash: crc32c=…,md5=…`` (base64), the headers GCS sends.

Faults, for the tests: ``ignore_ranges`` (answer ``200`` with the whole object), ``cut_after`` (the answer to a range
starting at or after that offset is cut off half-way: a connection lost mid-download), ``wrong_md5`` (advertise
another object's MD5), and ``replace()`` (a new object, a new ETag, as when OSV republishes the export).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

from tests.fakes.server import FakeServer, send


def export_zip(records: dict[str, bytes]) -> bytes:
    """An export as OSV packs it: one member per record, named ``<id>.json``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in records.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class FakeOsvExports(FakeServer):
    protocol = "HTTP/1.1"

    def __init__(self) -> None:
        super().__init__()
        self.objects: dict[str, bytes] = {}  # "PyPI" -> the zip
        self.generation = 1
        self.ignore_ranges = False
        self.cut_after: int | None = None
        self.wrong_md5 = False
        self.ranges: list[tuple[str, str | None]] = []  # (path, Range header) of every request

    def put(self, ecosystem: str, data: bytes) -> None:
        self.objects[ecosystem] = data

    def replace(self, ecosystem: str, data: bytes) -> None:
        self.objects[ecosystem] = data
        self.generation += 1

    def etag(self, ecosystem: str) -> str:
        return f'"{hashlib.md5(self.objects[ecosystem]).hexdigest()}-{self.generation}"'

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        self.ranges.append((request.path, request.headers.get("Range")))
        found = re.fullmatch(r"/(.+)/all\.zip", request.path)
        ecosystem = unquote(found.group(1)) if found else ""
        if ecosystem not in self.objects:
            send(request, 404, b"<Error><Code>NoSuchKey</Code></Error>", {"Content-Type": "application/xml"})
            return
        data, etag = self.objects[ecosystem], self.etag(ecosystem)
        digest = hashlib.md5(b"another object" if self.wrong_md5 else data).digest()
        headers = {"ETag": etag, "x-goog-hash": f"crc32c=AAAAAA==,md5={base64.b64encode(digest).decode()}",
                   "Content-Type": "application/zip", "Accept-Ranges": "bytes"}
        match = request.headers.get("If-Match")
        if match is not None and match != etag:
            send(request, 412, b"<Error><Code>ConditionNotMet</Code></Error>", {"Content-Type": "application/xml"})
            return
        wanted = re.fullmatch(r"bytes=(\d+)-(\d+)", request.headers.get("Range") or "")
        if wanted is None or self.ignore_ranges:
            send(request, 200, data, headers)
            return
        start, end = int(wanted.group(1)), min(int(wanted.group(2)), len(data) - 1)
        body = data[start:end + 1]
        headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
        if self.cut_after is not None and start >= self.cut_after:
            request.send_response(206)
            for name, value in headers.items():
                request.send_header(name, value)
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body[: len(body) // 2])
            request.wfile.flush()
            request.close_connection = True
            request.connection.close()
            return
        send(request, 206, body, headers)
