"""A fake package registry on 127.0.0.1: PyPI's JSON simple API and Integrity API, npm packuments and attestations.

Documents follow the published formats:
- PyPI project pages as PEP 691 + PEP 700 + PEP 740 describe them (``meta.api-version``, ``name``, ``versions``,
  ``files`` with ``filename``, ``url``, ``hashes``, ``requires-python``, ``size``, ``upload-time``, ``yanked``,
  ``provenance``), served as ``application/vnd.pypi.simple.v1+json`` under ``/simple/<name>/``;
- provenance objects as PyPI's Integrity API returns them (``{"version": 1, "attestation_bundles": [{"publisher":
  {"kind": "GitHub", "repository", "workflow", "environment", "claims": null}, "attestations": [...]}]}``) under
  ``/integrity/<project>/<version>/<filename>/provenance``;
- npm full packuments (``_id``, ``name``, ``dist-tags``, ``versions`` with ``dist.integrity``/``shasum``/
  ``tarball``/``signatures``/``attestations``, ``_npmUser`` with ``trustedPublisher``, ``scripts``,
  ``hasInstallScript``, ``deprecated``; ``time`` with ``created``, ``modified``, one entry per version and
  ``unpublished``) under ``/npm/<escaped name>``, and attestation documents (SLSA v1 provenance statement in a
  DSSE envelope) under ``/npm/-/npm/v1/attestations/<name>@<version>``.

Every answer carries an ``ETag`` (a digest of the body) and ``Last-Modified`` and honours ``If-None-Match``
(304). Faults are scripted per path (``fail(path, ...)``): HTTP statuses with headers (429 + ``Retry-After``),
a slow answer, truncated JSON, an oversized body, a gzip bomb, a reason phrase and body echoing the request's
Authorization header. ``latency`` delays every answer (benchmarks). ``requests`` logs (path, headers).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import json
import tarfile
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .server import FakeServer, send

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
INTEGRITY_JSON = "application/vnd.pypi.integrity.v1+json"
SLSA_V1 = "https://slsa.dev/provenance/v1"
NPM_PUBLISH = "https://github.com/npm/attestation/tree/main/specs/publish/v0.1"
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"


def iso(value: dt.datetime, digits: int = 6) -> str:
    text = value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        text += "." + f"{value.microsecond:06d}"[:digits]
    return text + "Z"


def at(day: int, hour: int = 12) -> dt.datetime:
    """A fixed clock: 2026-03-<day> <hour>:00 UTC."""
    return dt.datetime(2026, 3, day, hour, 0, 0, 123456, tzinfo=dt.timezone.utc)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode("ascii")


def pypi_file_stem(name: str) -> str:
    return name.replace("-", "_").replace(".", "_")


def _tar_gz(members: dict[str, bytes]) -> bytes:
    """A gzipped tar of ``members`` with fixed times: the same members are the same bytes (and hash) every time."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path, data in members.items():
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), 1767225600, 0o644
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def pypi_artifact(name: str, version: str, kind: str) -> bytes:
    """The release file ``add_pypi`` serves: a real wheel (one module named after the project, METADATA, RECORD),
    or a real sdist (PKG-INFO and the module), alike from version to version, so that rule artifact-content,
    which reads them, finds nothing new unless a test makes it so."""
    from tests.fakes.wheels import build_wheel

    module = pypi_file_stem(name).lower()
    source = f"__version__ = {version!r}\n"
    if kind == "wheel":
        return build_wheel(name, version, {f"{module}/__init__.py": source}, top_level=(module,))
    stem = f"{pypi_file_stem(name)}-{version}"
    return _tar_gz({f"{stem}/PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
                    f"{stem}/{module}/__init__.py": source.encode()})


# The package.json fields of a version document that are the package's own (not the registry's ``_id``, ``dist``,
# ``_npmUser``, ...): the tarball's package.json holds these, so it agrees with the registry's document.
_PACKAGE_JSON_FIELDS = ("name", "version", "description", "main", "license", "scripts", "bin", "dependencies",
                        "optionalDependencies", "peerDependencies", "os", "cpu", "engines", "gypfile", "repository")


def _wheel_metadata(wheel: bytes) -> bytes | None:
    """The METADATA member of a wheel: what PEP 658 serves as ``<file>.metadata``."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        name = next((n for n in archive.namelist() if n.endswith(".dist-info/METADATA")), None)
        return archive.read(name) if name is not None else None


def npm_tarball(manifest: dict[str, Any]) -> bytes:
    """The tarball ``add_npm`` serves for a version document: ``package/package.json`` with the document's own
    fields and an ``index.js``, as ``npm pack`` lays it out."""
    package = {key: manifest[key] for key in _PACKAGE_JSON_FIELDS if key in manifest}
    return _tar_gz({"package/package.json": json.dumps(package, indent=2).encode(),
                    "package/index.js": f"module.exports = {manifest['version']!r};\n".encode()})


def github_publisher(repository: str, workflow: str = "release.yml", environment: str = "") -> dict[str, Any]:
    """A publisher object as PyPI's Integrity API writes it."""
    return {"kind": "GitHub", "repository": repository, "workflow": workflow, "environment": environment,
            "claims": None}


@dataclass
class Fault:
    """One scripted answer for a path. kind: ``status`` (``status``, ``headers``), ``slow`` (``seconds`` before
    answering normally), ``truncate`` (the real body cut in half, with a matching Content-Length), ``short``
    (Content-Length larger than the body sent), ``oversize`` (``size`` bytes of JSON), ``bomb`` (gzip that
    inflates to ``size`` bytes), ``echo`` (``status`` with the Authorization header in reason and body),
    ``redirect`` (``status`` 302 to ``location``), ``html`` (a text/html page)."""

    kind: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    size: int = 0
    location: str = ""


class FakeRegistry(FakeServer):
    """State and server. Use as a context manager. ``pypi_url`` and ``npm_url`` are the base URLs to configure."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__()
        self.latency = latency
        self.pypi: dict[str, dict[str, Any]] = {}  # canonical name -> {"versions": [...], "files": [...]}
        self.provenance: dict[str, dict[str, Any]] = {}  # path -> provenance object
        self.npm: dict[str, dict[str, Any]] = {}  # name -> packument
        self.attestations: dict[str, dict[str, Any]] = {}  # path -> attestation document
        self.blobs: dict[str, bytes] = {}  # path -> a release file (wheel, sdist, its .metadata, an npm tarball)
        self.pypi_json: dict[tuple[str, str], dict[str, Any]] = {}  # (canonical name, version) -> JSON API ``info``
        self.faults: dict[str, deque[Fault]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests being answered at once
        self.strip_provenance = False  # act as a mirror that drops PEP 740 keys and npm provenance fields
        self.gzip = False

    @property
    def pypi_url(self) -> str:
        return f"{self.root}/simple"

    @property
    def npm_url(self) -> str:
        return f"{self.root}/npm"

    def fail(self, path: str, *faults: Fault) -> None:
        """Answer the next requests for ``path`` with these faults, in order, then normally."""
        with self.lock:
            self.faults.setdefault(path, deque()).extend(faults)

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _ in self.requests]

    def count(self, path: str) -> int:
        return self.paths().count(path)

    def serve(self, request: BaseHTTPRequestHandler) -> None:
        _Answer(self, request)()

    # -- PyPI ---------------------------------------------------------------------------------------------------

    def add_pypi(self, name: str, version: str, uploaded: dt.datetime, *, publisher: dict[str, Any] | None = None,
                 provenance: str = "auto", yanked: bool | str = False, kinds: tuple[str, ...] = ("sdist", "wheel"),
                 listed: bool = True, upload_time: bool = True) -> list[dict[str, Any]]:
        """Add a release with an sdist and a wheel. ``publisher``: a trusted publisher (the files get provenance);
        ``provenance="absent"`` leaves the PEP 740 key out (an index that does not say). ``listed=False`` leaves the
        version out of ``versions`` and adds no files (a deleted release)."""
        with self.lock:
            project = self.pypi.setdefault(name, {"versions": [], "files": []})
            if not listed:
                return []
            project["versions"].append(version)
            added = []
            for offset, kind in enumerate(kinds):
                stem = pypi_file_stem(name)
                filename = f"{stem}-{version}.tar.gz" if kind == "sdist" else f"{stem}-{version}-py3-none-any.whl"
                content = pypi_artifact(name, version, kind)
                self.blobs[f"/files/{filename}"] = content
                metadata = _wheel_metadata(content) if kind == "wheel" else None
                if metadata is not None:
                    self.blobs[f"/files/{filename}.metadata"] = metadata
                entry: dict[str, Any] = {
                    "filename": filename, "url": f"{self.root}/files/{filename}",
                    "hashes": {"sha256": sha256(content), "blake2b_256": hashlib.blake2b(content, digest_size=32).hexdigest()},
                    "requires-python": ">=3.9", "size": len(content),
                    "core-metadata": False if metadata is None else {"sha256": sha256(metadata)},
                    "dist-info-metadata": False,
                    "yanked": yanked,
                }
                if upload_time:
                    entry["upload-time"] = iso(uploaded + dt.timedelta(seconds=offset))
                if provenance != "absent":
                    entry["provenance"] = None
                    if publisher is not None:
                        path = f"/integrity/{name}/{version}/{filename}/provenance"
                        entry["provenance"] = f"{self.root}{path}"
                        self.provenance[path] = provenance_object(filename, content, publisher)
                project["files"].append(entry)
                added.append(entry)
            return added

    def set_pypi_info(self, name: str, version: str, **info: Any) -> None:
        """Serve ``GET /pypi/<name>/<version>/json`` (PyPI's JSON API) with these ``info`` fields (``license``,
        ``license_expression``, ``classifiers``, …) next to the simple page."""
        with self.lock:
            self.pypi_json[(name, version)] = {"name": name, "version": version, "summary": f"{name} package", **info}

    def pypi_page(self, name: str) -> dict[str, Any]:
        project = self.pypi[name]
        files = [dict(f) for f in project["files"]]
        if self.strip_provenance:
            for entry in files:
                entry.pop("provenance", None)
        return {"meta": {"api-version": "1.4", "_last-serial": 4242}, "name": name,
                "versions": list(project["versions"]), "files": files}

    # -- npm ----------------------------------------------------------------------------------------------------

    def add_npm(self, name: str, version: str, published: dt.datetime, *, trusted: bool = False,
                repository: str | None = None, workflow: str = "release.yml", publisher: str = "alice",
                scripts: dict[str, str] | None = None, has_install_script: bool | None = None,
                deprecated: str | None = None, license: Any = "MIT") -> dict[str, Any]:
        """Add a version. ``license``: the version's ``license`` field as written (None: left out). ``trusted``: published through trusted publishing (``_npmUser.trustedPublisher``);
        ``repository``: the GitHub repository named in its SLSA provenance (None: no provenance)."""
        with self.lock:
            doc = self.npm.setdefault(name, {
                "_id": name, "_rev": "1-0123456789abcdef", "name": name, "description": f"{name} package",
                "dist-tags": {}, "versions": {}, "time": {"created": iso(published, 3)},
                "maintainers": [{"name": "alice", "email": "alice@example.com"}], "license": "MIT",
                "readme": "# readme\n", "readmeFilename": "README.md",
            })
            tarball_name = name.rsplit("/", 1)[-1]
            user: dict[str, Any] = {"name": publisher, "email": f"{publisher}@example.com"}
            if trusted:
                user = {"name": "GitHub Actions", "email": "npm-oidc-no-reply@github.com",
                        "trustedPublisher": {"id": "github", "oidcConfigId": f"oidc:{sha256(name.encode())[:12]}"}}
            manifest: dict[str, Any] = {
                "name": name, "version": version, "main": "index.js",
                "_id": f"{name}@{version}", "_nodeVersion": "22.11.0", "_npmVersion": "11.5.1",
                "_npmUser": user, "maintainers": doc["maintainers"],
                "directories": {}, "_hasShrinkwrap": False,
            }
            if license is not None:
                manifest["license"] = license
            if scripts is not None:
                manifest["scripts"] = scripts
            if has_install_script is not None:
                manifest["hasInstallScript"] = has_install_script
            if deprecated is not None:
                manifest["deprecated"] = deprecated
            content = npm_tarball(manifest)  # the version's own fields: a tarball that agrees with the document
            tarball_path = f"/npm/{name}/-/{tarball_name}-{version}.tgz"
            self.blobs[tarball_path] = content
            dist: dict[str, Any] = {
                "integrity": "sha512-" + b64(hashlib.sha512(content).digest()),
                "shasum": hashlib.sha1(content).hexdigest(),
                "tarball": f"{self.root}{tarball_path}",
                "fileCount": 2, "unpackedSize": len(content),
                "signatures": [{"keyid": "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA", "sig": "MEUCIQ=="}],
            }
            if repository is not None:
                path = f"/npm/-/npm/v1/attestations/{quote(name, safe='@')}@{version}"
                dist["attestations"] = {"url": f"{self.root}{path}", "provenance": {"predicateType": SLSA_V1}}
                self.attestations[path] = attestation_document(name, version, content, repository, workflow)
            manifest["dist"] = dist
            doc["versions"][version] = manifest
            doc["time"][version] = iso(published, 3)
            doc["time"]["modified"] = iso(published, 3)
            doc["dist-tags"]["latest"] = version
            return manifest

    def remove_npm(self, name: str, version: str) -> None:
        """Delete a version the way the registry does: gone from ``versions``, still in ``time``."""
        with self.lock:
            del self.npm[name]["versions"][version]

    def unpublish_npm(self, name: str, when: dt.datetime) -> None:
        """Unpublish a whole package: the document keeps only ``time`` with ``unpublished``."""
        with self.lock:
            doc = self.npm[name]
            versions = sorted(doc["versions"])
            self.npm[name] = {"_id": name, "name": name, "time": {
                "created": doc["time"]["created"], "modified": iso(when, 3),
                "unpublished": {"time": iso(when, 3), "versions": versions,
                                "maintainers": [{"name": "alice", "email": "alice@example.com"}]}}}

    def packument(self, name: str) -> dict[str, Any]:
        doc = json.loads(json.dumps(self.npm[name]))
        if self.strip_provenance:
            for manifest in doc.get("versions", {}).values():
                manifest.get("dist", {}).pop("attestations", None)
                manifest.pop("_npmUser", None)
        return doc

    # -- routing ------------------------------------------------------------------------------------------------

    def route(self, path: str) -> tuple[int, str, Any]:
        """(status, content type, JSON value) for a GET of ``path``."""
        with self.lock:
            if path.startswith("/simple/"):
                name = path[len("/simple/"):].strip("/")
                if name in self.pypi:
                    return 200, SIMPLE_JSON, self.pypi_page(name)
            elif path.startswith("/pypi/") and path.endswith("/json"):
                parts = path.split("/")  # "", "pypi", name, version, "json"
                info = self.pypi_json.get((parts[2], unquote(parts[3]))) if len(parts) == 5 else None
                if info is not None:
                    return 200, "application/json", {"info": info, "urls": [], "vulnerabilities": []}
            elif path.startswith("/integrity/"):
                if path in self.provenance:
                    return 200, INTEGRITY_JSON, self.provenance[path]
            elif path.startswith("/npm/-/npm/v1/attestations/"):
                if path in self.attestations:
                    return 200, "application/json", self.attestations[path]
            elif path.startswith("/npm/"):
                name = unquote(path[len("/npm/"):])
                if name in self.npm:
                    return 200, "application/json", self.packument(name)
            return 404, "application/json", {"error": "Not found"}


def provenance_object(filename: str, content: bytes, publisher: dict[str, Any]) -> dict[str, Any]:
    """A PEP 740 provenance object with one bundle holding one publish attestation."""
    statement = {"_type": "https://in-toto.io/Statement/v1",
                 "subject": [{"name": filename, "digest": {"sha256": sha256(content)}}],
                 "predicateType": "https://docs.pypi.org/attestations/publish/v1", "predicate": None}
    return {"version": 1, "attestation_bundles": [{
        "publisher": publisher,
        "attestations": [{"version": 1, "envelope": {"statement": b64(json.dumps(statement)), "signature": b64("sig")},
                          "verification_material": {"certificate": b64("cert"), "transparency_entries": [
                              {"logIndex": "148215256", "logId": {"keyId": b64("log")}, "kindVersion":
                               {"kind": "dsse", "version": "0.0.1"}, "integratedTime": "1730932627"}]}}],
    }]}


def attestation_document(name: str, version: str, content: bytes, repository: str, workflow: str) -> dict[str, Any]:
    """npm's attestations document: a publish attestation and an SLSA v1 provenance statement."""
    subject = [{"name": f"pkg:npm/{name}@{version}", "digest": {"sha512": hashlib.sha512(content).hexdigest()}}]
    slsa = {"_type": "https://in-toto.io/Statement/v1", "subject": subject, "predicateType": SLSA_V1, "predicate": {
        "buildDefinition": {
            "buildType": "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
            "externalParameters": {"workflow": {"ref": "refs/heads/main",
                                                "repository": f"https://github.com/{repository}",
                                                "path": f".github/workflows/{workflow}"}},
            "internalParameters": {"github": {"event_name": "push", "repository_id": "123", "repository_owner_id": "9"}},
            "resolvedDependencies": [{"uri": f"git+https://github.com/{repository}@refs/heads/main",
                                      "digest": {"gitCommit": "a" * 40}}]},
        "runDetails": {"builder": {"id": "https://github.com/actions/runner/github-hosted"},
                       "metadata": {"invocationId": f"https://github.com/{repository}/actions/runs/1/attempts/1"}}}}
    publish = {"_type": "https://in-toto.io/Statement/v1", "subject": subject, "predicateType": NPM_PUBLISH,
               "predicate": {"name": name, "version": version, "registry": "https://registry.npmjs.org"}}

    def bundle(statement: dict[str, Any]) -> dict[str, Any]:
        return {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
                "verificationMaterial": {"certificate": {"rawBytes": b64("cert")}, "tlogEntries": []},
                "dsseEnvelope": {"payload": b64(json.dumps(statement)), "payloadType": "application/vnd.in-toto+json",
                                 "signatures": [{"sig": b64("sig"), "keyid": ""}]}}

    return {"attestations": [{"predicateType": NPM_PUBLISH, "bundle": bundle(publish)},
                             {"predicateType": SLSA_V1, "bundle": bundle(slsa)}]}


class _Answer:
    """One GET of the fake registry: the scripted fault for its path, if any, else the document."""

    def __init__(self, fake: FakeRegistry, request: BaseHTTPRequestHandler) -> None:
        self.fake, self.request = fake, request

    def __call__(self) -> None:
        fake = self.fake
        path = urlsplit(self.request.path).path
        headers = {k.lower(): v for k, v in self.request.headers.items()}
        with fake.lock:
            fake.requests.append((path, headers))
            queue = fake.faults.get(path)
            fault = queue.popleft() if queue else None
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
        try:
            self._answer(path, headers, fault)
        finally:
            with fake.lock:
                fake.in_flight -= 1

    def _answer(self, path: str, headers: dict[str, str], fault: Fault | None) -> None:
        if self.fake.latency:
            time.sleep(self.fake.latency)
        if fault is not None and self._fault(fault, headers):
            return
        with self.fake.lock:
            blob = self.fake.blobs.get(path)
        if blob is not None:  # a release file: the whole of it (the artifact readers fall back from ranges to this)
            send(self.request, 200, blob, {"Content-Type": "application/octet-stream"})
            return
        status, content_type, value = self.fake.route(path)
        body = json.dumps(value, indent=1).encode()
        if fault is not None and fault.kind == "truncate":
            body = body[: len(body) // 2]
        self._send(status, content_type, body, headers)

    def _fault(self, fault: Fault, headers: dict[str, str]) -> bool:
        """Answer with the fault; False when the normal answer should follow (after ``slow``/``truncate``)."""
        request = self.request
        if fault.kind == "slow":
            self.fake.stopping.wait(fault.seconds)
            return False
        if fault.kind == "truncate":
            return False
        if fault.kind == "status":
            send(request, fault.status, b'{"message": "try again"}', fault.headers)
        elif fault.kind == "echo":
            token = headers.get("authorization", "")
            send(request, fault.status, f'{{"error": "bad credentials: {token}"}}'.encode(), {},
                 reason=f"Denied for {token}")
        elif fault.kind == "redirect":
            send(request, fault.status, b"", {"Location": fault.location})
        elif fault.kind == "oversize":
            send(request, 200, b'{"pad": "' + b"x" * fault.size + b'"}', {"Content-Type": "application/json"})
        elif fault.kind == "short":
            request.send_response(200)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", "100000")
            request.end_headers()
            request.wfile.write(b'{"partial": tr')
        elif fault.kind == "bomb":
            packed = gzip.compress(b'{"pad": "' + b"0" * fault.size + b'"}')
            send(request, 200, packed, {"Content-Type": "application/json", "Content-Encoding": "gzip"})
        elif fault.kind == "html":
            send(request, 200, b"<!DOCTYPE html><html><body><a href='x'>x</a></body></html>",
                 {"Content-Type": "text/html"})
        return True

    def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str]) -> None:
        etag = f'"{sha256(body)[:16]}"'
        if status == 200 and headers.get("if-none-match") == etag:
            self.request.send_response(304)
            self.request.send_header("ETag", etag)
            self.request.end_headers()
            return
        extra = {"Content-Type": content_type}
        if status == 200:
            extra.update({"ETag": etag, "Last-Modified": LAST_MODIFIED, "Cache-Control": "max-age=600"})
            if self.fake.gzip and "gzip" in headers.get("accept-encoding", ""):
                body = gzip.compress(body)
                extra["Content-Encoding"] = "gzip"
        send(self.request, status, body, extra)


# -- scenarios ---------------------------------------------------------------------------------------------------


def standard_scenarios(fake: FakeRegistry) -> None:
    """The named situations the tests and the demo rely on (times are 2026-03-<day>):

    PyPI
    - ``tp-then-token``: 1.0, 1.1, 1.2 published by GitHub acme/tp-then-token release.yml (trusted publisher,
      with provenance); 1.3 uploaded with a token (provenance null) — a downgrade; 2.0rc1 (a prerelease, trusted).
    - ``moved``: 2.0 published by acme/moved; 2.1 by evil/moved (a changed publisher repository).
    - ``litellm``: 1.82.6 present; 1.82.7 and 1.82.8 deleted (in neither ``versions`` nor ``files``).
    - ``yanky``: 1.0 fine, 1.1 yanked with the reason "broken build".
    - ``no-prov-key``: 1.0 on an index that omits PEP 740's ``provenance`` key.
    npm
    - ``tp-pkg``: 1.0.0, 1.1.0 trusted publisher + provenance (acme/tp-pkg); 1.2.0 published by a token, none.
    - ``@scope/moved``: 1.0.0 provenance from acme/moved; 1.1.0 from evil/moved.
    - ``left-pad``: 1.3.0 deleted (gone from ``versions``, still in ``time``); 1.2.0 present.
    - ``gone``: unpublished as a whole.
    - ``scripted``: 1.0.0 with a postinstall script, deprecated.
    """
    acme = github_publisher("acme/tp-then-token")
    for day, version in ((1, "1.0"), (2, "1.1"), (3, "1.2")):
        fake.add_pypi("tp-then-token", version, at(day), publisher=acme)
    fake.add_pypi("tp-then-token", "2.0rc1", at(4), publisher=acme)
    fake.add_pypi("tp-then-token", "1.3", at(5))
    fake.add_pypi("moved", "2.0", at(1), publisher=github_publisher("acme/moved"))
    fake.add_pypi("moved", "2.1", at(6), publisher=github_publisher("evil/moved", "publish.yml"))
    fake.add_pypi("litellm", "1.82.6", at(1))
    fake.add_pypi("litellm", "1.82.7", at(7), listed=False)
    fake.add_pypi("litellm", "1.82.8", at(7), listed=False)
    fake.add_pypi("yanky", "1.0", at(1))
    fake.add_pypi("yanky", "1.1", at(2), yanked="broken build")
    fake.add_pypi("no-prov-key", "1.0", at(1), provenance="absent")

    fake.add_npm("tp-pkg", "1.0.0", at(1), trusted=True, repository="acme/tp-pkg")
    fake.add_npm("tp-pkg", "1.1.0", at(2), trusted=True, repository="acme/tp-pkg")
    fake.add_npm("tp-pkg", "1.2.0", at(5), publisher="mallory")
    fake.add_npm("@scope/moved", "1.0.0", at(1), repository="acme/moved")
    fake.add_npm("@scope/moved", "1.1.0", at(6), repository="evil/moved", workflow="publish.yml")
    fake.add_npm("left-pad", "1.2.0", at(1))
    fake.add_npm("left-pad", "1.3.0", at(2))
    fake.remove_npm("left-pad", "1.3.0")
    fake.add_npm("gone", "0.1.0", at(1))
    fake.unpublish_npm("gone", at(2))
    fake.add_npm("scripted", "1.0.0", at(1), scripts={"postinstall": "node setup.js", "test": "jest"},
                 has_install_script=True, deprecated="use scripted2")
