"""The replay harness's own logic (benchmarks/replay.py), on a tiny repository built here: its independent
readers and its comparison agree with lockgate where lockgate is right, and name the difference where it is not.

The replay itself (real repositories' histories) is opt-in: ``python benchmarks/replay.py``.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))
replay = importlib.import_module("replay")
harness = importlib.import_module("harness")


def package_lock(packages: dict[str, str]) -> str:
    entries = {"": {"name": "app", "version": "1.0.0", "dependencies": {"a": "^1"}}}
    for path, version in packages.items():
        entries[path] = {"version": version, "resolved": f"https://registry.npmjs.org/x/-/x-{version}.tgz",
                         "integrity": "sha512-" + "A" * 86 + "=="}
    return json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
                       "packages": entries}, indent=2) + "\n"


def uv_lock(packages: dict[str, str]) -> str:
    blocks = ['version = 1\nrequires-python = ">=3.10"\n',
              '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n']
    for name, version in packages.items():
        blocks.append(f'[[package]]\nname = "{name}"\nversion = "{version}"\n'
                      'source = { registry = "https://pypi.org/simple" }\n'
                      f'sdist = {{ url = "https://files.example/{name}-{version}.tar.gz", '
                      f'hash = "sha256:{"0" * 64}" }}\n')
    return "\n".join(blocks)


def test_replay_of_a_small_history_agrees(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    harness.init_repository(repo)
    harness.write_files(repo, {
        "package-lock.json": package_lock({"node_modules/a": "1.0.0", "node_modules/b": "2.0.0",
                                           "node_modules/a/node_modules/b": "2.0.0"}),
        "uv.lock": uv_lock({"requests": "2.31.0"}),
    })
    harness.commit_all(repo, "first")
    harness.write_files(repo, {
        # a upgraded, one of two identical copies of b gone (no change: b 2.0.0 is still installed), a new copy
        "package-lock.json": package_lock({"node_modules/a": "1.1.0", "node_modules/b": "2.0.0",
                                           "node_modules/c/node_modules/b": "3.0.0"}),
        # a PyPI name written un-normalised: both sides canonicalise it
        "uv.lock": uv_lock({"requests": "2.32.0", "Zope.Interface": "7.0"}),
    })
    second = harness.commit_all(repo, "second")
    assert replay.sample_commits(repo, replay.GROUPS["npm"][1], 40) == [second]  # the root commit has no parent

    result = replay.replay_commit(repo, second, ("package-lock.json", "uv.lock"))

    assert result.diff_code == 0 and result.check_code in (0, 1), result.stderr
    by_file = {c.manifest: c for c in result.comparisons}
    assert set(by_file) == {"package-lock.json", "uv.lock"}
    assert all(c.agree for c in by_file.values()), by_file


def test_a_disagreement_is_named_on_both_sides() -> None:
    fmt = replay.FORMATS["uv.lock"]
    base, head = uv_lock({"requests": "2.31.0"}), uv_lock({"requests": "2.32.0", "idna": "3.7"})
    lockgate_says = [{"manifest": "uv.lock", "ecosystem": "pypi", "name": "requests", "kind": "upgraded",
                      "from": "2.31.0", "to": "2.32.1"}]  # wrong version, and idna missing

    comparison = replay.compare(fmt, "uv.lock", base, head, lockgate_says)

    assert not comparison.agree
    assert comparison.only_reader == ("+idna 3.7", "+requests 2.32.0")
    assert comparison.only_lockgate == ("+requests 2.32.1",)


def test_hash_and_scope_changes_cancel_out() -> None:
    fmt = replay.FORMATS["uv.lock"]
    text = uv_lock({"requests": "2.31.0"})
    changes = [{"manifest": "uv.lock", "ecosystem": "pypi", "name": "requests", "kind": kind,
                "from": "2.31.0", "to": "2.31.0"} for kind in ("hashes-changed", "scope-changed")]
    assert replay.compare(fmt, "uv.lock", text, text, changes).agree


def test_an_unreadable_file_is_not_compared() -> None:
    fmt = replay.FORMATS["uv.lock"]
    finding = {"manifest": "uv.lock", "message": "not valid TOML"}
    comparison = replay.compare(fmt, "uv.lock", None, "x = ", [], [finding])
    assert comparison.unreadable == "not valid TOML" and comparison.error is None


def test_yarn_classic_reader() -> None:
    text = ('# yarn lockfile v1\n\n\n"@babel/core@^7.0.0", "@babel/core@^7.1.0":\n  version "7.1.2"\n'
            '  resolved "https://registry.yarnpkg.com/@babel/core/-/core-7.1.2.tgz#abc"\n\n'
            'string-width-cjs@npm:string-width@^4.2.0:\n  version "4.2.3"\n  dependencies:\n'
            '    version-like "1.0.0"\n')
    assert replay.read_yarn_classic(text) == [("@babel/core", "7.1.2"), ("string-width", "4.2.3")]


def test_pnpm_keys_of_every_lockfile_version() -> None:
    assert replay.pnpm_key("/@babel/register/7.16.8_@babel+core@7.16.7", v5=True) == ("@babel/register", "7.16.8")
    assert replay.pnpm_key("/string_decoder/1.1.1", v5=True) == ("string_decoder", "1.1.1")
    assert replay.pnpm_key("/@vue/compiler-sfc@3.4.0(typescript@5.0.0)", v5=False) == ("@vue/compiler-sfc", "3.4.0")
    assert replay.pnpm_key("lodash@4.17.21", v5=False) == ("lodash", "4.17.21")
    assert replay.pnpm_key("/github.com/owner/repo/abcdef", v5=True) is None
    # pnpm 11: the env document, then the lockfile; a package of both is installed twice
    two = ("---\nlockfileVersion: '9.0'\npackages:\n  pnpm@11.0.0:\n    resolution: {integrity: x}\n---\n"
           "lockfileVersion: '9.0'\npackages:\n  pnpm@11.0.0:\n    resolution: {integrity: x}\n"
           "  a@1.0.0(b@2.0.0):\n    resolution: {integrity: y}\n")
    assert replay.read_pnpm_lock(two) == [("pnpm", "11.0.0"), ("a", "1.0.0"), ("pnpm", "11.0.0")]


def test_dockerfile_reader() -> None:
    text = ("ARG PY=3.12\nFROM docker.io/library/python:${PY}-slim AS build\nFROM build\n"
            "COPY --from=ghcr.io/Org/tool:1 /x /x\nCOPY --from=build /a /a\nFROM scratch\nFROM node\n")
    assert replay.read_dockerfile(text) == [("python", "3.12-slim"), ("ghcr.io/org/tool", "1"), ("node", "*")]


def test_workflow_reader() -> None:
    text = ("on: push\njobs:\n  a:\n    uses: org/repo/.github/workflows/w.yml@v1\n  b:\n    runs-on: x\n"
            "    steps:\n      - uses: actions/checkout@v4\n      - uses: ./local\n      - uses: docker://alpine:3\n")
    assert replay.read_workflow(text) == [("org/repo/.github/workflows/w.yml", "v1"), ("actions/checkout", "v4")]
