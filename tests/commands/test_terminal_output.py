"""The terminal formats of real runs: a large lockfile offline prints its real findings and one line per cause of
what could not be checked (issue 22, the terminal); the width reaches the renderer only on a terminal."""

from __future__ import annotations

import json
import sys

import pytest

from checker.cli import main
from checker.commands import output
from tests.commands.test_check_npm import entry, lockfile
from tests.conftest import corpus_file


def _thousand_packages(scripts: int = 3) -> str:
    """A package-lock.json of 1,000 packages, ``scripts`` of them with an install script (a real finding)."""
    packages = {}
    for i in range(1000):
        extra = {"hasInstallScript": True} if i < scripts else {}
        packages[f"node_modules/pkg-{i:04d}"] = entry(f"pkg-{i:04d}", "1.0.0", **extra)
    return lockfile(packages)


def _all_offline(capsys: pytest.CaptureFixture[str], repo, *extra: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(["check", "-C", str(repo.path), "--all", "--offline", "--head", "HEAD", *extra])
    return code, capsys.readouterr().out


def test_check_all_offline_on_1000_packages_is_its_findings_and_a_summary(capsys, repo) -> None:  # type: ignore[no-untyped-def]
    repo.commit("lock", {"package-lock.json": _thousand_packages()})
    code, out = _all_offline(capsys, repo)
    lines = out.splitlines()
    assert len(lines) < 40, out
    # the real findings, whole
    for i in range(3):
        assert f"  · pkg-{i:04d} 1.0.0 (line " in out
        assert f"install-scripts: a dependency that runs an install script: pkg-{i:04d} 1.0.0" in out
    # one line per cause of what could not be checked, naming how far it reaches
    not_checked = lines[lines.index("Not checked") + 1:]
    assert any(line.startswith("  WARN  offline, not cached: registry.npmjs.org: ") and "for 1,000 packages" in line
               for line in not_checked), out
    assert "could not check" not in out and "pkg-0999" not in out
    # the closing line has the comment's counts (the unknowns count as warnings there too)
    doc_code = main(["check", "-C", str(repo.path), "--all", "--offline", "--head", "HEAD", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    warns = sum(1 for f in doc["findings"] if f["level"] == "warn" and not f["excepted"])
    assert lines[-1] == f"PASSED WITH WARNINGS: all dependencies judged · {warns:,} warnings"
    assert code == doc_code
    assert len(doc["findings"]) > 1000  # the machine formats keep every finding


def test_the_hook_folds_unknowns_that_block(capsys, repo) -> None:  # type: ignore[no-untyped-def]
    """``on-unknown: block`` offline: the hook's message names each cause once, not each of 1,000 packages."""
    repo.commit("base", {".github/lockgate.yml": "extends: default\nhook: {on-unknown: block}\n"
                                                   "review: {required-for: []}\n"})
    repo.write("package-lock.json", _thousand_packages(scripts=0))
    repo.git("add", "-A")
    code = main(["check", "-C", str(repo.path), "--hook", "--offline"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert code != 0
    assert lines[0].startswith("lockgate: blocked: "), out
    folded = [line for line in lines if line.startswith("  not checked: ")]
    assert folded and len(lines) < 40, out
    assert any("could not be made for 1,000 packages" in line for line in folded)


def test_a_real_lockfile_of_a_thousand_packages(capsys, repo) -> None:  # type: ignore[no-untyped-def]
    """pypi/warehouse's package-lock.json (the shared corpus): 25,559 lines before the fold."""
    real = corpus_file("real", "pypi-warehouse", "package-lock.json")
    repo.commit("lock", {"package-lock.json": real.read_text(encoding="utf-8")})
    code, out = _all_offline(capsys, repo)
    lines = out.splitlines()
    real_findings = sum(1 for line in lines if line.startswith(("      WARN ", "      BLOCK ", "  WARN ", "  BLOCK ")))
    assert real_findings >= 1
    assert len(lines) < 3 * real_findings + 20, out
    assert "Not checked" in lines


def test_the_width_is_the_terminals_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("COLUMNS", "77")
    monkeypatch.setattr(sys, "stdout", Tty(False))
    assert output.text_width() is None  # a pipe or a file: one line per finding, for grep
    monkeypatch.setattr(sys, "stdout", Tty(True))
    assert output.text_width() == 77
    monkeypatch.setenv("COLUMNS", "5")
    assert output.text_width() == 40  # a floor: a narrower pane would only stack words
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert output.text_width() is None  # a CI log


def test_check_on_a_terminal_wraps_to_its_width(capsys, repo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    repo.commit("lock", {"package-lock.json": _thousand_packages()})
    monkeypatch.setattr("checker.commands.check.text_width", lambda: 60)
    code, out = _all_offline(capsys, repo)
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "\n            fix: " in out  # under the message, not under the level word
