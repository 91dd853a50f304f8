"""Build lockgate's sdist and wheel for a release: what the release workflow runs, once, before anything is published.

Why not ``python -m build``: it is not one of lockgate's dependencies, and everything a release installs comes from
hash-pinned requirements. The PEP 517 hooks ``build`` would call are setuptools' own (``setuptools.build_meta``,
pinned with its hashes in requirements/build.txt), so this script calls them itself: without build isolation
(which would download an unpinned setuptools), each hook in a fresh interpreter (setuptools keeps global state),
and, as ``build`` does, the wheel from the unpacked sdist, so a file missing from the sdist fails the release here
instead of on a user's machine.

Before building it refuses a tag that is not ``v`` + ``checker.__version__`` (the one place the version is
written) and a CHANGELOG.md without a section for that version; that section becomes the release notes. After
building it checks that the files are named and stamped with that version. Exit 0 with the two files in
``--out``, exit 1 with one line saying what is wrong.

    python .github/scripts/build_dist.py --tag v0.1.0 --out dist --notes release-notes.md
"""

from __future__ import annotations

import argparse
import ast
import email.parser
import hashlib
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME = "lockgate"


class ReleaseError(Exception):
    """Something about the tree or the files makes this not a release: one line for the log."""


def package_version(root: Path) -> str:
    """``__version__`` from checker/__init__.py, read without importing the package."""
    tree = ast.parse((root / "checker" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return node.value.value
    raise ReleaseError("checker/__init__.py has no __version__ = '...' line")


def check_tag(tag: str, version: str) -> None:
    if tag != f"v{version}":
        raise ReleaseError(
            f"tag {tag!r} does not match the package version {version!r} (checker/__init__.py): "
            f"tag the release v{version}, or change __version__ first"
        )


def changelog_section(text: str, version: str) -> str:
    """The body of ``## [version] - date`` in a Keep a Changelog file (without its heading)."""
    heading = re.compile(rf"^## \[{re.escape(version)}\](?: - \d{{4}}-\d{{2}}-\d{{2}})?\s*$", re.MULTILINE)
    match = heading.search(text)
    if match is None:
        raise ReleaseError(f"CHANGELOG.md has no '## [{version}] - YYYY-MM-DD' section: write the release's notes first")
    following = re.compile(r"^## \[", re.MULTILINE).search(text, match.end())
    end = following.start() if following else len(text)
    body = text[match.end():end]
    body = re.sub(r"^\[[^\]]+\]: \S+\s*$", "", body, flags=re.MULTILINE).strip()  # link definitions at the end
    if not body:
        raise ReleaseError(f"CHANGELOG.md's section for {version} is empty")
    return body + "\n"


def _hook(python: str, hook: str, source: Path, out: Path) -> str:
    """Run one setuptools.build_meta hook in a fresh interpreter with ``source`` as the working directory."""
    code = "import sys; from setuptools import build_meta; print(getattr(build_meta, sys.argv[1])(sys.argv[2]))"
    done = subprocess.run([python, "-c", code, hook, str(out)], cwd=source, capture_output=True, text=True)
    if done.returncode != 0:
        raise ReleaseError(f"{hook} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def _source_date_epoch(root: Path) -> str:
    """The commit's time, so that the archives' timestamps do not depend on when the job ran."""
    done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "315532800"  # 1980-01-01


def build(root: Path, out: Path, python: str) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty: the release uploads everything in it")
    with tempfile.TemporaryDirectory() as scratch:
        sdist = out / _hook(python, "build_sdist", root, out)
        unpacked = Path(scratch) / "sdist"
        with tarfile.open(sdist) as archive:
            archive.extractall(unpacked, filter="data")
        [tree] = [p for p in unpacked.iterdir() if p.is_dir()]
        wheel = out / _hook(python, "build_wheel", tree, out)
    return sdist, wheel


def check_files(sdist: Path, wheel: Path, version: str) -> None:
    if sdist.name != f"{NAME}-{version}.tar.gz":
        raise ReleaseError(f"unexpected sdist name {sdist.name} (expected {NAME}-{version}.tar.gz)")
    if wheel.name != f"{NAME}-{version}-py3-none-any.whl":
        raise ReleaseError(f"unexpected wheel name {wheel.name} (expected {NAME}-{version}-py3-none-any.whl)")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"{NAME}-{version}.dist-info/METADATA").decode("utf-8")
    headers = email.parser.HeaderParser().parsestr(metadata)
    if headers["Name"] != NAME or headers["Version"] != version:
        raise ReleaseError(f"the wheel says {headers['Name']} {headers['Version']}, not {NAME} {version}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tag", required=True, help="the release tag (GITHUB_REF_NAME), e.g. v0.1.0")
    parser.add_argument("--out", type=Path, required=True, help="an empty folder for the two files")
    parser.add_argument("--notes", type=Path, help="write the CHANGELOG section of this version here")
    parser.add_argument("--root", type=Path, default=ROOT, help="the source tree (default: this repository)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter with setuptools (build.txt)")
    args = parser.parse_args(argv)
    try:
        version = package_version(args.root)
        check_tag(args.tag, version)
        notes = changelog_section((args.root / "CHANGELOG.md").read_text(encoding="utf-8"), version)
        os.environ.setdefault("SOURCE_DATE_EPOCH", _source_date_epoch(args.root))
        sdist, wheel = build(args.root, args.out.resolve(), args.python)
        check_files(sdist, wheel, version)
    except ReleaseError as exc:
        print(f"build_dist: error: {exc}", file=sys.stderr)
        return 1
    if args.notes is not None:
        args.notes.write_text(notes, encoding="utf-8")
    for path in (sdist, wheel):
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
