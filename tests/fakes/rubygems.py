"""A fake RubyGems server: ``GET /api/v1/versions/{name}.json`` as rubygems.org answers it
(``Api::V1::VersionsController#show``: the gem's public versions, newest first, each ``Version#payload``; yanked
versions left out; 404 with a plain-text body when the gem has no public version). The entries' shape is copied
from a real answer kept by renovatebot/renovate (``lib/modules/datasource/rubygems/__fixtures__/rails/versions.json``).

Built on FakeRegistry, so scripted faults (5xx, truncated bodies, slow answers) and ETags work as for PyPI and npm.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import unquote

from tests.fakes.registry import FakeRegistry, iso

PREFIX = "/api/v1/versions/"


def version_payload(number: str, created: dt.datetime, sha: str, *, platform: str = "ruby",
                    licenses: tuple[str, ...] = ("MIT",)) -> dict[str, Any]:
    """One entry as rubygems.org's Version#payload writes it."""
    return {"authors": "David Heinemeier Hansson", "built_at": iso(created.replace(hour=0, minute=0, second=0,
                                                                                    microsecond=0), 3),
            "created_at": iso(created, 3), "description": "A gem.", "downloads_count": 385269, "metadata": {},
            "number": number, "summary": "A gem.", "platform": platform, "rubygems_version": ">= 1.8.11",
            "ruby_version": ">= 2.2.2", "prerelease": any(c.isalpha() for c in number), "licenses": list(licenses),
            "requirements": [], "sha": sha, "spec_sha": "0" * 64}


class FakeRubygems(FakeRegistry):
    """``gems``: name -> list of version payloads (newest first), as the API lists them."""

    def __init__(self) -> None:
        super().__init__()
        self.gems: dict[str, list[dict[str, Any]]] = {}

    @property
    def url(self) -> str:
        return self.root

    def add(self, name: str, number: str, created: dt.datetime, sha: str, **options: Any) -> None:
        with self.lock:
            self.gems.setdefault(name, []).insert(0, version_payload(number, created, sha, **options))

    def yank(self, name: str, number: str) -> None:
        """RubyGems drops a yanked version from the list (and the gem answers 404 once none is left)."""
        with self.lock:
            self.gems[name] = [v for v in self.gems.get(name, []) if v["number"] != number]

    def route(self, path: str) -> tuple[int, str, Any]:
        with self.lock:
            if path.startswith(PREFIX) and path.endswith(".json"):
                versions = self.gems.get(unquote(path[len(PREFIX):-len(".json")]))
                if versions:
                    return 200, "application/json; charset=utf-8", versions
            return 404, "text/plain", "This rubygem could not be found."
