"""The replay harness's own logic (benchmarks/replay.py), on a tiny repository built here: its independent
readers and its comparison agree with lockgate where lockgate is right, and name the difference where it is not.

The replay itself (real repositories' histories) is opt-in: ``python benchmarks/replay.py``.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
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


def test_requirements_reader_is_pips_line_reader_without_includes() -> None:
    text = ("# a comment\n-i https://pypi.org/simple\n-r base.txt\n-c constraints.txt\n"
            "Requests>=2,<3 ; python_version >= '3.8'\n"
            "Flask==2.0.1 \\\n    --hash=sha256:" + "a" * 64 + "\n"
            "zope.interface===5.0\nnumpy==1.*\nplain\n"
            "-e git+https://github.com/a/b.git@v1#egg=Bee[x]\n"
            "https://github.com/pallets/click/archive/refs/heads/main.tar.gz\n"
            "-e .\n./libs/My_Pkg/\nhttps://files.example/thing.zip\n")
    assert replay.read_requirements(text) == [
        ("requests", "<3,>=2"), ("flask", "2.0.1"), ("zope-interface", "5.0"), ("numpy", "==1.*"), ("plain", "*"),
        ("bee", "*"), ("click", "*"), (".", "*"), ("my-pkg", "*"), ("?https://files.example/thing.zip", "*")]


def test_requirements_files_by_name() -> None:
    found = [p for p in ("requirements.txt", "requirements/main.in", "dev-requirements.txt", "constraints.txt",
                         "docs/Requirements-Docs.TXT", "req.in", "x/reqs/a.txt", "pip-constraints.txt",
                         "setup.txt", "MANIFEST.in", "requirements.md") if replay.format_of(p) == "requirements"]
    assert found == ["requirements.txt", "requirements/main.in", "dev-requirements.txt", "constraints.txt",
                     "docs/Requirements-Docs.TXT", "req.in", "x/reqs/a.txt", "pip-constraints.txt"]


def test_precommit_reader() -> None:
    text = ("repos:\n- repo: https://github.com/pre-commit/mirrors-mypy\n  rev: v1.0.0\n  hooks:\n  - id: mypy\n"
            "    additional_dependencies: [types-requests, 'attrs==23.1', 'Zope.Interface>=5', '@types/node@18.0.0']\n"
            "- repo: local\n  hooks:\n  - id: x\n    name: x\n    entry: x\n    language: python\n"
            "    additional_dependencies: [requests]\n"
            "  - id: y\n    name: y\n    entry: y\n    language: node\n"
            "    additional_dependencies: [eslint@8, prettier]\n"
            "- repo: meta\n  hooks:\n  - id: check-hooks-apply\n")
    # types-requests: no installer can be told (lockgate's unreadable-manifest finding at its line)
    assert replay.read_precommit_config(text) == [
        ("https://github.com/pre-commit/mirrors-mypy", "v1.0.0"), ("attrs", "23.1"), ("zope-interface", ">=5"),
        ("@types/node", "18.0.0"), ("requests", "*"), ("eslint", "8"), ("prettier", "*")]
    # before pre-commit 1.0: a bare list, `sha:`
    old = "- repo: git://github.com/pre-commit/pre-commit-hooks\n  sha: 1234abcd\n  hooks:\n  - id: flake8\n"
    assert replay.read_precommit_config(old) == [("git://github.com/pre-commit/pre-commit-hooks", "1234abcd")]


def test_precommit_partial_findings_do_not_stop_the_comparison() -> None:
    fmt = replay.FORMATS["pre-commit"]
    base = "repos:\n- repo: https://github.com/psf/black\n  rev: 23.1.0\n  hooks:\n  - id: black\n"
    head = base.replace("23.1.0", "24.1.0") + "    additional_dependencies: [click]\n"
    finding = {"manifest": ".pre-commit-config.yaml", "message": "additional dependency 'click' ..."}
    changes = [{"manifest": ".pre-commit-config.yaml", "ecosystem": "pre-commit",
                "name": "https://github.com/psf/black",
                "kind": "upgraded", "from": "23.1.0", "to": "24.1.0"}]
    assert replay.compare(fmt, ".pre-commit-config.yaml", base, head, changes, [finding]).agree
    assert not replay.compare(fmt, ".pre-commit-config.yaml", base, head, [], [finding]).agree


def test_bun_lock_reader() -> None:
    text = ('{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": {\n      "name": "app",\n'
            '      "dependencies": {"lib": "../lib", "s": "1",},\n    },\n'
            '    "packages/a": {"name": "a", "devDependencies": {"x": "^1"},},\n  },\n'
            '  "packages": {\n    "@scope/b": ["@scope/b@2.0.0", "", {}, "sha512-x,]"],\n'
            '    "a": ["a@workspace:packages/a"],\n    "lib": ["lib@file:../lib", {}],\n'
            '    "s": ["s@1.0.0", "", {"dependencies": {"q": "1",},}, "sha512-\\"],}"],\n'
            '    "s/q": ["real@3.0.0", "", {}, "sha512-y"],\n  },\n}\n')  # an alias: its entry names the real one
    assert replay.read_bun_lock(text) == [("@scope/b", "2.0.0"), ("lib", "../lib"), ("s", "1.0.0"), ("real", "3.0.0")]
    assert replay.strip_trailing_commas('{"a": [1, 2, ], "b": "x,}", "c": {"d": "\\\\",},}') == \
        '{"a": [1, 2 ], "b": "x,}", "c": {"d": "\\\\"}}'


def test_pyproject_reader() -> None:
    text = ('[build-system]\nrequires = ["setuptools>=61"]\n[project]\nname = "My.App"\n'
            'dependencies = ["Requests>=2,<3", "attrs==23.1"]\n[project.optional-dependencies]\ntest = ["pytest"]\n'
            'dev = ["my-app[test]"]\n[dependency-groups]\n'
            'dev = ["ruff==0.1", {include-group = "lint"}, "my_app[dev]"]\n'
            'lint = ["pytest>=7"]\n')
    assert replay.read_pyproject(text) == [("setuptools", ">=61"), ("requests", "<3,>=2"), ("attrs", "23.1"),
                                           ("pytest", "*"), ("ruff", "0.1"), ("pytest", ">=7")]


def test_replay_of_the_declared_formats_agrees(tmp_path: Path) -> None:
    """requirements, a pre-commit configuration, bun.lock and pyproject.toml, through lockgate and the readers."""
    repo = tmp_path / "repo"
    harness.init_repository(repo)
    bun = ('{{\n  "lockfileVersion": 1,\n  "workspaces": {{\n    "": {{\n      "name": "app",\n'
           '      "dependencies": {{\n        "ms": "^2.0.0",\n      }},\n    }},\n  }},\n  "packages": {{\n'
           '    "ms": ["ms@{0}", "", {{}}, "sha512-{1}=="],\n  }}\n}}\n')
    precommit = "repos:\n- repo: https://github.com/psf/black\n  rev: {0}\n  hooks:\n  - id: black\n"
    pyproject = '[project]\nname = "app"\ndependencies = [{0}]\n'
    harness.write_files(repo, {
        "requirements/main.txt": "-r base.txt\nflask==2.0.1\nrequests>=2\n",
        "requirements/base.txt": "idna==3.6\n",
        "bun.lock": bun.format("2.1.2", "A" * 86),
        ".pre-commit-config.yaml": precommit.format("23.1.0"),
        "pyproject.toml": pyproject.format('"attrs>=22"'),
    })
    harness.commit_all(repo, "first")
    harness.write_files(repo, {
        "requirements/main.txt": ("-r base.txt\nflask==2.0.2\nrequests>=2,<3\n"
                                  "https://github.com/a/click/archive/main.zip\n"),
        "requirements/base.txt": "idna==3.7\n",
        "bun.lock": bun.format("2.1.3", "B" * 86),
        ".pre-commit-config.yaml": precommit.format("24.1.0") + "    additional_dependencies: ['click==8.1.7']\n",
        "pyproject.toml": pyproject.format('"attrs>=23", "Zope.Interface==7"'),
    })
    second = harness.commit_all(repo, "second")

    result = replay.replay_commit(repo, second, ("requirements", "pre-commit", "bun.lock", "pyproject.toml"))

    assert result.diff_code == 0, result.stderr
    by_file = {c.manifest: c for c in result.comparisons}
    assert set(by_file) == {"requirements/main.txt", "requirements/base.txt", "bun.lock", ".pre-commit-config.yaml",
                            "pyproject.toml"}
    assert all(c.agree for c in by_file.values()), by_file
