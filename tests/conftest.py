"""Shared test fixtures: the real-world corpus (skipped when absent) and throw-away git repositories."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _corpus_dir() -> Path:
    env = os.environ.get("LOCKGATE_CORPUS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "corpus"


CORPUS = _corpus_dir()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``live`` talk to the real registries: skipped unless LOCKGATE_LIVE=1 (the default run is
    hermetic)."""
    if os.environ.get("LOCKGATE_LIVE") == "1":
        return
    skip = pytest.mark.skip(reason="talks to the real registries; set LOCKGATE_LIVE=1 to run")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _quiet_osv() -> Iterator[str]:
    """One fake OSV API for the session that knows no advisory (tests/fakes/osv.py)."""
    from tests.fakes.osv import FakeOsv

    with FakeOsv() as osv:
        yield osv.url


@pytest.fixture(autouse=True)
def _hermetic_registries(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                         _quiet_osv: str) -> None:
    """The default run asks no package registry: LOCKGATE_REGISTRY_OFFLINE (the registries answer from the cache
    only) and a private, empty registry cache. Tests that talk to the fake registry unset the first (see
    tests/commands/test_check_registry_facts.py). OSV, which the shipped presets ask about every changed version,
    is a fake on 127.0.0.1 that knows no advisory (LOCKGATE_OSV_URL, which wins over the policy's URL), and offline the
    cache holds a fresh synced copy of OSV that has none (``lockgate db sync``'s layout): a test that goes online
    reaches no real service, and a test about another rule sees no advisory either way. Tests about advisories
    point LOCKGATE_OSV_URL at a fake of their own (or delete it, to test the policy's URL)."""
    from tests.fakes.osv import quiet_copies

    cache = tmp_path_factory.mktemp("registry-cache")
    quiet_copies(cache)  # offline runs answer advisories from here: a fresh copy without any
    monkeypatch.setenv("LOCKGATE_REGISTRY_OFFLINE", "1")
    monkeypatch.setenv("LOCKGATE_CACHE_DIR", str(cache))
    monkeypatch.setenv("LOCKGATE_OSV_URL", _quiet_osv)


def corpus_dir() -> Path | None:
    """The shared corpus of real files (``LOCKGATE_CORPUS`` or ``../shared/corpus``), None when absent."""
    return CORPUS if CORPUS.is_dir() else None


def corpus_file(*parts: str) -> Path:
    """A file of the corpus; the calling test skips when the corpus is absent."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not present")
    return CORPUS.joinpath(*parts)


@pytest.fixture
def corpus() -> Path:
    """The shared corpus of real lockfiles; tests that need it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not present")
    return CORPUS


def _clean_git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
    )
    return env


class GitRepo:
    """A temporary git repository driven by the real git binary."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.env = _clean_git_env()
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.path, env=self.env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def write(self, relative: str, content: str | bytes) -> Path:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def commit(self, message: str = "change", files: dict[str, str | bytes] | None = None) -> str:
        for relative, content in (files or {}).items():
            self.write(relative, content)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    for key in list(os.environ):
        if key.startswith("GIT_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    return GitRepo(tmp_path / "repo")


def unreadable_lines(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    """Run ``lockgate check`` with JSON output; the exit code and each unreadable-manifest finding as the error line
    it once was: ``path:line: message`` (``path: message`` without a line), the finding's own wording
    ("cannot be read: ") left out."""
    import json

    from checker.cli import main

    code = main(["check", *argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert err == "", err
    lines = []
    for finding in json.loads(out)["findings"]:
        if finding["rule"] == "unreadable-manifest":
            message = finding["message"].removeprefix("cannot be read: ")
            where = f"{finding['manifest']}:{finding['line']}" if finding["line"] else finding["manifest"]
            lines.append(f"{where}: {message}")
    return code, lines
