"""A NuGet v3 feed on 127.0.0.1, speaking the documented formats (learn.microsoft.com/nuget/api/overview): the
service index (``/v3/index.json``, its ``RegistrationsBaseUrl/3.6.0`` resource) and registration indexes
(``/v3/registration5-gz-semver2/{id-lower}/index.json``), with pages inlined or, for a package marked ``paged``,
served from their own ``@id`` as nuget.org does for large packages. Leaves carry ``catalogEntry`` with ``id``,
``version``, ``listed``, ``published`` (1900-01-01 for an unlisted version, as nuget.org writes it),
``licenseExpression`` and ``deprecation``. Faults (5xx, truncation, ...) come from FakeRegistry's machinery.

The service index and leaf shape follow the bodies api.nuget.org serves (fields trimmed to those lockgate reads
plus a few it ignores, as a real body carries them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .registry import FakeRegistry

REGISTRATION = "/v3/registration5-gz-semver2/"
UNLISTED = "1900-01-01T00:00:00+00:00"


class FakeNuget(FakeRegistry):
    def __init__(self) -> None:
        super().__init__()
        self.packages: dict[str, dict[str, Any]] = {}  # id lower -> {"id", "versions": {version: entry}, "paged"}

    @property
    def index_url(self) -> str:
        return f"{self.root}/v3/index.json"

    def add(self, package_id: str, version: str, published: dt.datetime | None, *, listed: bool = True,
            license: str | None = "MIT", deprecated: str | None = None, paged: bool = False) -> None:
        entry: dict[str, Any] = {
            "@id": f"{self.root}/v3/catalog0/data/{package_id.lower()}.{version}.json",
            "@type": "PackageDetails", "id": package_id, "version": version, "authors": "someone",
            "description": "a package", "listed": listed,
            "published": UNLISTED if published is None else published.isoformat(),
            "packageContent": f"{self.root}/v3-flatcontainer/{package_id.lower()}/{version}/x.nupkg",
            "dependencyGroups": [], "tags": [""], "requireLicenseAcceptance": False,
        }
        if license:
            entry["licenseExpression"] = license
        if deprecated:
            entry["deprecation"] = {"@id": entry["@id"] + "#deprecation", "reasons": ["Legacy"], "message": deprecated}
        with self.lock:
            package = self.packages.setdefault(package_id.lower(), {"id": package_id, "versions": {}, "paged": paged})
            package["versions"][version] = entry
            package["paged"] = package["paged"] or paged

    def service_index(self) -> dict[str, Any]:
        return {"version": "3.0.0", "resources": [
            {"@id": f"{self.root}/v3/query", "@type": "SearchQueryService", "comment": "Query endpoint"},
            {"@id": f"{self.root}/v3-flatcontainer/", "@type": "PackageBaseAddress/3.0.0"},
            {"@id": f"{self.root}/v3/registration5-semver1/", "@type": "RegistrationsBaseUrl"},
            {"@id": f"{self.root}/v3/registration5-gz-semver1/", "@type": "RegistrationsBaseUrl/3.4.0"},
            {"@id": f"{self.root}{REGISTRATION}", "@type": ["RegistrationsBaseUrl/3.6.0",
                                                           "RegistrationsBaseUrl/Versioned"]},
        ], "@context": {"@vocab": "http://schema.nuget.org/services#"}}

    def _leaves(self, key: str) -> list[dict[str, Any]]:
        package = self.packages[key]
        base = f"{self.root}{REGISTRATION}{key}"
        return [{"@id": f"{base}/{version.lower()}.json", "@type": "Package", "catalogEntry": entry,
                 "packageContent": entry["packageContent"], "registration": f"{base}/index.json"}
                for version, entry in package["versions"].items()]

    def registration(self, key: str) -> dict[str, Any]:
        package = self.packages[key]
        versions = list(package["versions"])
        base = f"{self.root}{REGISTRATION}{key}"
        page: dict[str, Any] = {"@id": f"{base}/page/{versions[0]}/{versions[-1]}.json", "@type": "catalog:CatalogPage",
                                "count": len(versions), "lower": versions[0], "upper": versions[-1],
                                "parent": f"{base}/index.json"}
        if not package["paged"]:
            page["items"] = self._leaves(key)
        return {"@id": f"{base}/index.json", "@type": ["catalog:CatalogRoot", "PackageRegistration"],
                "count": 1, "items": [page]}

    def route(self, path: str) -> tuple[int, str, Any]:
        with self.lock:
            if path == "/v3/index.json":
                return 200, "application/json", self.service_index()
            if path.startswith(REGISTRATION):
                key, _, rest = path[len(REGISTRATION):].partition("/")
                if key in self.packages:
                    if rest == "index.json":
                        return 200, "application/json", self.registration(key)
                    if rest.startswith("page/"):
                        body = self.registration(key)["items"][0]
                        body["items"] = self._leaves(key)
                        return 200, "application/json", body
        return 404, "application/xml", {"error": "BlobNotFound"}
