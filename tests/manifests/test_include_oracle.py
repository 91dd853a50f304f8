"""lockgate's include scanner against pip's own requirements parser (a test-only oracle, pinned in the test extra).

For generated include lines (every spelling pip's optparse accepts, and many it does not), the files pip reads in
are exactly the files lockgate's scanner reports: a file lockgate misses is a way around the gate, a file it adds
that pip would not read is noise. Lines pip refuses are left to the full parse (an unreadable-manifest finding).
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.manifests.requirements_includes import includes

pip_req_file = pytest.importorskip("pip._internal.req.req_file")
pip_session = pytest.importorskip("pip._internal.network.session")
pip_exceptions = pytest.importorskip("pip._internal.exceptions")

# Files that exist in the generated tree, each holding one requirement named after it, so that what pip yields
# says which files it read.
TARGETS = {"base.pip": "from-base", "sub/deep.txt": "from-deep", "my file.txt": "from-space", "=odd.txt": "from-odd",
           "-dash.txt": "from-dash", "c.txt": "from-c"}

# Spellings pip accepts, weighted so that most generated lines read something, and spellings it does not (an
# ambiguous abbreviation, a removed option, a wrong case) or that take the file name as something else.
VALID = ["-r", "-c", "--requirement", "--constraint", "--requirem", "--requireme", "--constr", "--cons", "--pre -r"]
OTHER = ["--requ", "--req", "--con", "--c", "-Z", "--pre", "-rc", "-cr", "-e", "-i", "--index-url", "--no-index", "--",
         "-R", "--Requirement", "-rr", "-f"]
OPTIONS = VALID * 4 + OTHER
JOINERS = ["", " ", "  ", "\t", "=", " = ", " \\\n", "\\\n", " \\\n  "]


def _quote(name: str, style: int) -> str:
    if style == 1:
        return f"'{name}'"
    if style == 2:
        return f'"{name}"'
    if style == 3:
        return shlex.quote(name)
    return name


@st.composite
def include_lines(draw: st.DrawFn) -> str:
    parts = [draw(st.sampled_from(["", " ", "\t", "  "]))]
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        parts.append(draw(st.sampled_from(OPTIONS)))
        parts.append(draw(st.sampled_from(JOINERS)))
        parts.append(_quote(draw(st.sampled_from(sorted(TARGETS) + ["missing.txt", "sub/../base.pip"])),
                            draw(st.integers(0, 3))))
        parts.append(draw(st.sampled_from([" ", "  ", "\t"])))
    parts.append(draw(st.sampled_from(["", "# a comment", " #x", "\\"])))
    return "".join(parts)


def _tree(root: Path, line: str) -> Path:
    for name, requirement in TARGETS.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{requirement}==1.0\n")
    top = root / "requirements.txt"
    top.write_text(line + "\n")
    return top


def _pip_reads(top: Path) -> set[str] | None:
    """The repository paths pip reads through includes (by the requirements they yield), or None when pip refuses
    the file."""
    session = pip_session.PipSession()
    reverse = {requirement: name for name, requirement in TARGETS.items()}
    try:
        found = set()
        for parsed in pip_req_file.parse_requirements(str(top), session):
            name = parsed.requirement.split("==")[0]
            if not parsed.is_editable and name in reverse:
                found.add(os.path.normpath(reverse[name]))
        return found
    except (pip_exceptions.InstallationError, pip_exceptions.RequirementsFileParseError, SystemExit, OSError,
            ValueError):
        return None
    finally:
        session.close()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=include_lines())
def test_the_scanner_finds_the_files_pip_reads(tmp_path_factory, line):
    root = tmp_path_factory.mktemp("includes")
    top = _tree(root, line)
    pip_read = _pip_reads(top)
    if pip_read is None:
        return  # pip refuses the file: lockgate's parse refuses it too (tested below for these lines)
    ours = {os.path.normpath(target) for target, _ in includes(top.read_text(), "requirements.txt")}
    assert ours & set(TARGETS) == pip_read, line


@pytest.mark.parametrize("line", [
    "-rbase.pip", "-r base.pip", "--requirement=base.pip", "--requirem base.pip", "--cons=c.txt", "-cc.txt",
    "-r 'my file.txt'", "-r \\\nbase.pip", "-r=odd.txt", "-r -dash.txt", "--pre -r sub/deep.txt",
    "-c c.txt -r base.pip",
])
def test_known_spellings_agree_with_pip(tmp_path, line):
    top = _tree(tmp_path, line)
    pip_read = _pip_reads(top)
    assert pip_read, f"pip reads nothing for {line!r}: the case is not what it means to be"
    ours = {os.path.normpath(target) for target, _ in includes(top.read_text(), "requirements.txt")}
    assert ours & set(TARGETS) == pip_read
