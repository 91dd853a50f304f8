"""``lockgate db sync`` end to end: where it writes (the cache directory), what it says, and how it fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.registries import osv_db
from tests.fakes.osv_exports import FakeOsvExports, export_zip

FIXTURES = Path(__file__).parents[1] / "registries" / "fixtures" / "osv_db"


def test_db_sync_fills_the_cache_and_says_what_it_holds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOsvExports() as bucket:
        bucket.put("PyPI", export_zip({p.name: p.read_bytes() for p in FIXTURES.glob("*.json")}))
        monkeypatch.setenv("LOCKGATE_OSV_DB_URL", bucket.root)
        monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(tmp_path))
        assert main(["db", "sync", "--ecosystem", "pypi"]) == 0
        out, err = capsys.readouterr()
        assert out.startswith("PyPI: downloaded, 2 advisories for 2 packages (")
        assert "PyPI: " in err and " MB" in err  # progress on standard error
        assert main(["db", "sync", "--ecosystem", "pypi"]) == 0
        assert capsys.readouterr().out.startswith("PyPI: up to date, 2 advisories for 2 packages")
        assert main(["db", "sync", "--ecosystem", "npm"]) == 2  # the bucket has no npm export
        assert "lockgate: error: cannot download" in capsys.readouterr().err
    database = osv_db.OsvDatabase.open(str(tmp_path), "PyPI")
    assert database is not None and [r["id"] for r in database.records("litellm")] == ["MAL-2026-2144"]


def test_db_sync_refuses_an_ecosystem_it_does_not_know(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "sync", "--ecosystem", "made-up"]) == 2
    assert "unknown ecosystem 'made-up'" in capsys.readouterr().err
