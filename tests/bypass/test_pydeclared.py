"""Ways around the gate through Python declared dependencies (issue 16), end to end: a change to setup.py,
setup.cfg, tox.ini, tox.toml, a Pipfile or a conda environment file, or to a file one of them reads in, is a change
lockgate reports; what it cannot read is an unreadable-manifest finding, never a silent pass."""

from __future__ import annotations

import json

import pytest

from checker.cli import main


def _diff(capsys, repo, base: str, head: str) -> set[tuple]:
    main(["diff", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"])
    out, _ = capsys.readouterr()
    return {(c["manifest"], c["ecosystem"], c["name"], c["kind"]) for c in json.loads(out)["changes"]}


def _check(capsys, repo, base: str, head: str) -> dict:
    main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--offline", "--format", "json"])
    out, _ = capsys.readouterr()
    return json.loads(out)


@pytest.mark.parametrize(
    ("includer", "name", "text"),
    [
        ("tox.ini", "ci/deps.pip", "[testenv]\ndeps = -rci/deps.pip\n"),
        ("tox.ini", "ci/deps.pip", "[testenv]\ndeps =\n    py38: -r {toxinidir}/ci/deps.pip\n"),
        ("tox.toml", "ci/deps.pip", '[env_run_base]\ndeps = ["-r ci/deps.pip"]\n'),
        ("setup.cfg", "ci/deps.pip", "[tox:tox]\n[testenv]\ndeps = --requirement=ci/deps.pip\n"),
        ("environment.yml", "ci/deps.pip", "dependencies:\n  - pip:\n    - -r ci/deps.pip\n"),
    ],
)
def test_a_requirements_file_read_in_under_any_name_is_judged(capsys, repo, includer, name, text):
    base = repo.commit("base", {includer: text, name: "pytest==8.0.0\n"})
    head = repo.commit("head", {name: "pytest==8.0.0\nevil==1.0\n"})
    assert (name, "pypi", "evil", "added") in _diff(capsys, repo, base, head)


@pytest.mark.parametrize(
    ("path", "before", "after", "expected"),
    [
        ("setup.py", "from setuptools import setup\nsetup(install_requires=['a'])\n",
         "from setuptools import setup\nREQS = ['a']\nREQS.append('evil')\nsetup(install_requires=REQS)\n",
         ("pypi", "evil", "added")),
        ("setup.cfg", "[options]\ninstall_requires = a\n", "[options]\nInstall-Requires =\n    a\n    evil\n",
         ("pypi", "evil", "added")),
        ("tox.ini", "[testenv]\ndeps = a\n", "[testenv]\ndeps = a\n    py38: evil\n", ("pypi", "evil", "added")),
        ("Pipfile", "[packages]\na = '*'\n", "[packages]\na = '*'\n[extras]\nevil = '*'\n", ("pypi", "evil", "added")),
        ("environment.yml", "dependencies:\n  - a\n", "dependencies:\n  - a\n  - conda-forge::evil\n",
         ("conda", "evil", "added")),
        ("environment.yml", "channels: [conda-forge]\n", "channels: [conda-forge, 'https://t:k@evil.example/c']\n",
         ("config", "conda.channels", "added")),
        ("Pipfile", "[packages]\na = '*'\n", "[[source]]\nname = 'x'\nurl = 'https://evil.example/simple'\n"
         "[packages]\na = '*'\n", ("config", "pipenv.source.x", "added")),
    ],
)
def test_a_change_is_reported(capsys, repo, path, before, after, expected):
    base = repo.commit("base", {path: before})
    head = repo.commit("head", {path: after})
    assert (path, *expected) in _diff(capsys, repo, base, head)


def test_what_setup_py_computes_is_an_unreadable_manifest_finding(capsys, repo):
    base = repo.commit("base", {"setup.py": "from setuptools import setup\nsetup(install_requires=['a'])\n"})
    head = repo.commit("head", {"setup.py": "from setuptools import setup\n"
                                            "setup(install_requires=['a'] + open('r.txt').read().split())\n"})
    report = _check(capsys, repo, base, head)
    found = [f for f in report["findings"] if f["rule"] == "unreadable-manifest"]
    assert found and found[0]["manifest"] == "setup.py" and found[0]["line"] == 2, report["findings"]
    assert "open('r.txt').read().split()" in found[0]["message"]
    assert report["verdict"] == "block"


def test_a_development_file_read_in_by_setup_cfg_is_production_and_by_tox_stays_development(capsys, repo):
    """setup.cfg's install_requires = file: installs in production whatever the file is called; tox's deps do not."""
    import json

    from checker.cli import main

    pins = "pytest==8.3.5\n"
    base = repo.commit("base", {"requirements-dev.txt": pins, "tox.ini": "[testenv]\ndeps = -r requirements-dev.txt\n"})
    head = repo.commit("cfg", {"setup.cfg": "[options]\ninstall_requires = file: requirements-dev.txt\n"})
    assert main(["diff", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"]) == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert [(c["manifest"], c["name"], c["kind"], c["scope"]) for c in changes] == [
        ("requirements-dev.txt", "pytest", "scope-changed", "prod"), ("setup.cfg", "pytest", "added", "prod")]


def test_tox_in_pyproject_is_read_with_its_includes(capsys, repo):
    """[tool.tox] in pyproject.toml (native tables or legacy_tox_ini): its deps are dependencies of pyproject.toml,
    and a requirements file it reads in is judged, under any name."""
    import json

    from checker.cli import main

    native = '[project]\nname = "app"\n\n[tool.tox.env_run_base]\ndeps = ["pytest==8.3.5", "-r ci/deps.pip"]\n'
    legacy = '[project]\nname = "app"\n\n[tool.tox]\nlegacy_tox_ini = """\n[testenv]\ndeps = -r ci/deps.pip\n    tox-evil\n"""\n'
    for text, expected in ((native, "pytest"), (legacy, "tox-evil")):
        base = repo.commit("base", {"pyproject.toml": '[project]\nname = "app"\n', "ci/deps.pip": "evil==1.0\n"})
        head = repo.commit("tox", {"pyproject.toml": text})
        assert main(["diff", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"]) == 0
        changes = {(c["manifest"], c["name"], c["kind"]) for c in json.loads(capsys.readouterr().out)["changes"]}
        assert {("pyproject.toml", expected, "added"), ("ci/deps.pip", "evil", "added")} <= changes, changes
