"""The type check: mypy over ``checker/`` with the configuration in ``pyproject.toml`` (``[tool.mypy]``) passes, and
each ``# type: ignore`` left in ``checker/`` says why it is needed.

A test, so that ``.ci/run``, which runs exactly the README's test command, runs the type check too. Alone, from the
repository root: ``.venv/bin/mypy``. mypy is pinned in ``requirements/test.txt``; a missing mypy is a failure here,
not a skip (the check would otherwise pass by not running). mypy keeps its cache in ``.mypy_cache`` (git ignores
it): a second run reads only what changed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "checker"
# ``# type: ignore[code]  # why``, or the why on the comment line above (above a run of such lines: the run's).
_IGNORE = re.compile(r"#\s*type:\s*ignore\b(\[[^\]]*\])?(.*)$")


def test_mypy_passes_over_checker() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, f"mypy found type errors in checker/:\n{result.stdout}{result.stderr}"


def test_every_type_ignore_names_its_code_and_reason() -> None:
    unexplained = []
    for path in sorted(CHECKER.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            found = _IGNORE.search(line)
            if found is None:
                continue
            code, after = found.group(1), found.group(2).strip()
            above = number - 2
            while above >= 0 and _IGNORE.search(lines[above]) and not lines[above].lstrip().startswith("#"):
                above -= 1
            explained_above = above >= 0 and lines[above].lstrip().startswith("#")
            if not code or not (after.startswith("#") and after.strip("# ") or explained_above):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not unexplained, "a type: ignore needs its error code and a comment saying why:\n" + "\n".join(unexplained)
