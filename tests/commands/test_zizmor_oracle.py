"""Oracle: lockgate's offline action-pinning findings equal zizmor's unpinned-uses findings under the same policy.

zizmor is not a dependency of lockgate: install it apart (``python -m venv /tmp/zizmor-venv &&
/tmp/zizmor-venv/bin/pip install zizmor``) and point ``LOCKGATE_ZIZMOR`` at the binary, or have ``zizmor`` on the
PATH; without it these tests skip. The inputs are warehouse's workflows from the corpus plus
tests/fixtures/zizmor_oracle (every kind of pin, reusable workflows, a composite action). Compared: the (file,
line) of every finding. ``docker://`` steps are left out on both sides: lockgate judges them as images
(image-pinning), zizmor under unpinned-images.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zizmor_oracle"  # shared: the benchmarks read it too
CUSTOM = {
    "actions/*": "ref-pin", "github/codeql-action/*": "any", "github/codeql-action": "hash-pin",
    "acme/setup-cli": "ref-pin", "acme/repo/*": "any", "docker/*": "ref-pin", "*": "hash-pin",
}


def zizmor_binary() -> str | None:
    candidates = [os.environ.get("LOCKGATE_ZIZMOR"), shutil.which("zizmor"), "/tmp/zizmor-venv/bin/zizmor"]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture
def zizmor() -> str:
    binary = zizmor_binary()
    if binary is None:
        pytest.skip("zizmor is not installed (pip install zizmor into a separate virtual environment)")
    return binary


@pytest.fixture
def tree(repo, corpus):  # type: ignore[no-untyped-def]
    shutil.copytree(FIXTURES / ".github", repo.path / ".github", dirs_exist_ok=True)
    for workflow in (corpus / "real" / "pypi-warehouse" / ".github" / "workflows").glob("*.yml"):
        shutil.copy(workflow, repo.path / ".github" / "workflows" / workflow.name)
    repo.commit("tree")
    return repo


def zizmor_findings(binary: str, root: Path, config: Path | None) -> set[tuple[str, int]]:
    args = [binary, "--offline", "--format", "json", "--no-progress"]
    args += ["--config", str(config)] if config else ["--no-config"]
    done = subprocess.run([*args, ".github"], cwd=root, capture_output=True, text=True)
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # 1x: findings of some severity
    found = set()
    for finding in json.loads(done.stdout):
        if finding["ident"] != "unpinned-uses":
            continue
        for location in finding["locations"]:
            if (location["symbolic"].get("annotation") or "").startswith("action is not pinned"):
                path = location["symbolic"]["key"]["Local"]["verbatim_path"]
                line = location["concrete"]["location"]["start_point"]["row"] + 1
                text = (root / path).read_text().splitlines()[line - 1]
                if "docker://" not in text:
                    found.add((path, line))
    return found


def lockgate_findings(capsys, root: Path, policies: dict[str, str] | None) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    args = ["check", "-C", str(root), "--all", "--head", "HEAD", "--offline", "--format", "json"]
    if policies is not None:
        policy = root.parent / "policy.yml"
        policy.write_text("extends: default\nrules:\n  action-pinning:\n    policies: " + json.dumps(policies) + "\n")
        args += ["--policy", str(policy)]
    main(args)
    doc = json.loads(capsys.readouterr().out)
    return {(f["manifest"], f["line"]) for f in doc["findings"] if f["rule"] == "action-pinning"}


def test_default_policies_agree(capsys, zizmor, tree):  # type: ignore[no-untyped-def]
    """zizmor's default since 1.20 is a blanket hash-pin, which is lockgate's default too."""
    ours = lockgate_findings(capsys, tree.path, None)
    theirs = zizmor_findings(zizmor, tree.path, None)
    assert ours == theirs
    assert len(ours) == 16  # the oracle fixtures are not trivially clean; warehouse's own workflows are


def test_custom_policies_agree(capsys, zizmor, tree):  # type: ignore[no-untyped-def]
    ours = lockgate_findings(capsys, tree.path, CUSTOM)
    theirs = zizmor_findings(zizmor, tree.path, FIXTURES / "zizmor-custom.yml")
    assert ours == theirs
    assert sorted(ours) == [
        (".github/actions/setup/action.yml", 8),
        (".github/workflows/oracle-pins.yml", 17), (".github/workflows/oracle-pins.yml", 18),
        (".github/workflows/oracle-pins.yml", 20), (".github/workflows/oracle-pins.yml", 21),
        (".github/workflows/oracle-pins.yml", 23), (".github/workflows/oracle-pins.yml", 24),
        (".github/workflows/oracle-pins.yml", 31),
    ]
