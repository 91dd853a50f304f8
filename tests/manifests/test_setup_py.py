"""setup.py: the literal dependency keywords of setup() read with ast (never run); everything else a Problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.setup_py import parse
from checker.model import IndexOption, Manifest

FIXTURES = Path(__file__).parent / "fixtures" / "setup_py"


def _parse(source: str) -> Manifest:
    return parse(source, "setup.py", lambda path: None)


def _deps(manifest: Manifest) -> list[tuple[str, str, str]]:
    return [(d.name, d.specifier, d.scope) for d in manifest.dependencies if d.ecosystem == "pypi"]


def _problems(manifest: Manifest) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in manifest.problems]


def test_format_is_found_by_name() -> None:
    assert format_for("setup.py").name == "setup-py"
    assert format_for("pkg/sub/setup.py").name == "setup-py"
    assert format_for("setup_py.py") is None


# --- real files ----------------------------------------------------------------------------------------------------


def test_flask_2021() -> None:
    manifest = parse((FIXTURES / "flask-2021.py").read_text(), "setup.py", lambda path: None)
    assert (manifest.format, manifest.kind, manifest.ecosystem) == ("setup-py", "declared", "pypi")
    assert [(d.name, d.specifier, d.scope, d.line) for d in manifest.dependencies] == [
        ("werkzeug", ">=0.15", "prod", 7),
        ("jinja2", ">=2.10.1", "prod", 8),
        ("itsdangerous", ">=0.24", "prod", 9),
        ("click", ">=5.1", "prod", 10),
        ("python-dotenv", "", "optional", 12),
    ]
    assert manifest.problems == ()


def test_requests_2021_names_extras_markers_and_exec_in_its_own_namespace() -> None:
    """requests binds ``requires`` and ``test_requirements`` at module level and reads ``__version__.py`` with
    ``exec(f.read(), about)``: code run in its own namespace cannot rebind the module's names."""
    manifest = parse((FIXTURES / "requests-2021.py").read_text(), "setup.py", lambda path: None)
    assert manifest.problems == ()
    deps = {(d.name, d.scope, d.line): d for d in manifest.dependencies}
    assert deps[("charset-normalizer", "prod", 44)].markers == 'python_version >= "3"'
    assert deps[("idna", "prod", 47)].specifier == "<4,>=2.5"
    assert deps[("pytest", "dev", 58)].specifier == ">=3"
    win = deps[("win-inet-pton", "optional", 111)]
    assert win.markers == 'sys_platform == "win32" and python_version == "2.7"'  # the extra's ``name:marker`` key


def test_requests_2017() -> None:
    manifest = parse((FIXTURES / "requests-2017.py").read_text(), "setup.py", lambda path: None)
    assert manifest.problems == ()
    assert ("pytest-httpbin", "==0.0.7", "dev") in _deps(manifest)
    assert [d.version for d in manifest.dependencies if d.name == "pytest-httpbin"] == ["0.0.7"]
    assert ("pyopenssl", ">=0.14", "optional") in _deps(manifest)


# --- what is read --------------------------------------------------------------------------------------------------


def test_every_keyword_and_its_scope() -> None:
    manifest = _parse(
        "from setuptools import setup\n"
        "setup(\n"
        "    install_requires=['requests>=2'],\n"
        "    extras_require={'socks': ['PySocks'], 'win:sys_platform == \"win32\"': ['pywin32']},\n"
        "    setup_requires=('setuptools_scm',),\n"
        "    tests_require={'pytest'},\n"
        "    python_requires='>=3.8',\n"
        "    dependency_links=['https://example.org/links/'],\n"
        ")\n"
    )
    assert _deps(manifest) == [
        ("requests", ">=2", "prod"),
        ("pysocks", "", "optional"),
        ("pywin32", "", "optional"),
        ("setuptools-scm", "", "build"),
        ("pytest", "", "dev"),
    ]
    assert [d.markers for d in manifest.dependencies if d.name == "pywin32"] == ['sys_platform == "win32"']
    links = [d for d in manifest.dependencies if d.ecosystem == "config"]
    assert [(d.name, d.version, d.scope, d.line) for d in links] == [
        ("setuptools.dependency_links", "https://example.org/links/", "build", 8)
    ]
    assert manifest.indexes == (IndexOption("find-links", "https://example.org/links/", 8),)
    assert manifest.problems == ()


def test_a_string_of_several_lines_is_split_as_setuptools_splits_it() -> None:
    manifest = _parse(
        "from setuptools import setup\n"
        "setup(install_requires='''\n"
        "requests\n"
        "# a comment line\n"
        "flask>=2  # web\n"
        "''')\n"
    )
    assert [(d.name, d.specifier, d.line) for d in manifest.dependencies] == [("requests", "", 3), ("flask", ">=2", 5)]


def test_names_concatenation_copies_and_dict_calls() -> None:
    manifest = _parse(
        "import setuptools\n"
        "BASE = ['a']\n"
        "REQS = BASE + ['b'] + list(('c',))\n"
        "VERSION = '1.0'\n"
        "EXTRAS = dict(test=['pytest'], **{'docs': ['sphinx']})\n"
        "setuptools.setup(install_requires=[*REQS, f'd=={VERSION}', 'e>=' + VERSION], extras_require=EXTRAS)\n"
    )
    assert _deps(manifest) == [
        ("a", "", "prod"), ("b", "", "prod"), ("c", "", "prod"), ("d", "==1.0", "prod"), ("e", ">=1.0", "prod"),
        ("pytest", "", "optional"), ("sphinx", "", "optional"),
    ]
    assert manifest.problems == ()


def test_a_name_stands_for_every_value_it_can_hold() -> None:
    """Assigned in two branches, appended to under a condition, changed in a function: the union of all."""
    manifest = _parse(
        "import sys\n"
        "from setuptools import setup\n"
        "if sys.platform == 'win32':\n"
        "    REQS = ['pywin32']\n"
        "else:\n"
        "    REQS = ['uvloop']\n"
        "if sys.version_info < (3, 8):\n"
        "    REQS.append('importlib-metadata')\n"
        "REQS += ['typing-extensions']\n"
        "def more():\n"
        "    REQS.extend(['late'])\n"
        "    REQS.insert(0, 'first')\n"
        "EXTRAS = {}\n"
        "EXTRAS['test'] = ['pytest']\n"
        "EXTRAS.setdefault('docs', ['sphinx'])\n"
        "EXTRAS['test'].append('coverage')\n"
        "setup(install_requires=REQS, extras_require=EXTRAS)\n"
    )
    assert sorted(_deps(manifest)) == sorted([
        ("pywin32", "", "prod"), ("uvloop", "", "prod"), ("importlib-metadata", "", "prod"),
        ("typing-extensions", "", "prod"), ("late", "", "prod"), ("first", "", "prod"),
        ("pytest", "", "optional"), ("sphinx", "", "optional"), ("coverage", "", "optional"),
    ])
    assert manifest.problems == ()


def test_a_setup_call_inside_a_function_reads_the_function_s_names() -> None:
    manifest = _parse(
        "from setuptools import setup\n"
        "reqs = ['module-level']\n"
        "def main():\n"
        "    reqs = ['local']\n"
        "    reqs.append('added')\n"
        "    setup(install_requires=reqs)\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    )
    assert _deps(manifest) == [("local", "", "prod"), ("added", "", "prod")]


# --- what is not read: a Problem at its line, the literal parts still read ------------------------------------------


def test_a_computed_install_requires_is_a_problem_and_the_literal_part_stays() -> None:
    manifest = _parse(
        "from setuptools import setup\n"
        "setup(\n"
        "    install_requires=['requests'] + open('requirements.txt').read().splitlines(),\n"
        ")\n"
    )
    assert _deps(manifest) == [("requests", "", "prod")]
    assert _problems(manifest) == [(
        3,
        "install_requires: open('requirements.txt').read().splitlines() is computed by a call when setup.py runs; "
        "lockgate reads only literal values",
    )]


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        ("REQS = [r for r in ('a', 'b')]\nsetup(install_requires=REQS)", 1, "is a comprehension"),
        ("REQS = ['a']\nREQS = open('r.txt').read().split()\nsetup(install_requires=REQS)", 2, "is computed by a call"),
        ("from deps import REQS\nsetup(install_requires=REQS)", 2, "REQS is imported (line 2)"),
        ("setup(install_requires=REQS)", 1, "REQS is not assigned in this file"),
        ("for REQS in [['a']]:\n    pass\nsetup(install_requires=REQS)", 3, "REQS is bound by a loop (line 2)"),
        ("import json\nconfig = json.load(open('c.json'))\nsetup(**config)", 2, "setup(**...): json.load"),
        ("def make(**kw):\n    setup(**kw)", 2, "kw is a function argument"),
        ("REQS = ['a']\nadd_extra(REQS)\nsetup(install_requires=REQS)", 3, "REQS is passed to add_extra() (line 3)"),
        ("A = ['a']\nB = A\nB.append('evil')\nsetup(install_requires=A)", 4, "A is shared with another name (line 3)"),
        ("A = ['a']\nglobals()['A'].append('evil')\nsetup(install_requires=A)", 3, "A may be rebound by globals()"),
        ("exec(open('deps.py').read())\nREQS = ['a']\nsetup(install_requires=REQS)", 3, "may be rebound by exec()"),
        ("A = ['a']\nA.__iadd__.__self__\nsetup(install_requires=A)", 3, "A has its attribute __iadd__ used"),
        ("T = ['pytest']\nE = {'test': T}\nE['test'].append('evil')\nsetup(tests_require=T)", 4,
         "T is placed in E, whose element is changed in place (line 4)"),
        ("setup(install_requires=['a==%s' % V])", 1, "'a==%s' % V is computed"),
        ("V = get_version()\nsetup(install_requires=[f'a=={V}'])", 2, "is a string lockgate cannot prove"),
        ("setup(install_requires=[f'a=={1.0!r}'])", 1, "is a string lockgate cannot prove"),
        ("setup(install_requires=['not a requirement !'])", 1, "install_requires: invalid requirement"),
        ("setup(*args)", 1, "setup(*args) passes positional arguments"),
        ("print('no setup here')", None, "no setup() call lockgate can find"),
    ],
)
def test_what_cannot_be_proven_is_a_problem(source: str, line: int | None, says: str) -> None:
    manifest = _parse("from setuptools import setup\n" + source if "setup(" in source else source)
    offset = 1 if "setup(" in source else 0
    problems = _problems(manifest)
    assert any(says in message for _, message in problems), problems
    assert [found for found, message in problems if says in message][0] == (None if line is None else line + offset)


def test_a_hostile_chain_of_names_is_read_once() -> None:
    """``R1 = R0 + R0``, ... doubles a list (or a string) at every step: each name is worked out once, lists are
    deduplicated and strings have a length limit, so 60 steps cost 60 steps."""
    lists = "R0 = ['x']\n" + "".join(f"R{i} = R{i - 1} + R{i - 1}\n" for i in range(1, 60))
    manifest = _parse("from setuptools import setup\n" + lists + "setup(install_requires=R59)\n")
    assert _deps(manifest) == [("x", "", "prod")]
    strings = "S0 = 'x'\n" + "".join(f"S{i} = S{i - 1} + S{i - 1}\n" for i in range(1, 60))
    manifest = _parse("from setuptools import setup\n" + strings + "setup(install_requires=[S59])\n")
    assert manifest.dependencies == ()
    assert "longer than it reads" in manifest.problems[0].message


# --- attacker variants -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "from setuptools import setup\nsetup(install_requires=['a'])\nsetup(install_requires=['evil'])",
        "__import__('setuptools').setup(install_requires=['evil'])",
        "from setuptools import setup as s\ns(install_requires=['evil'])",
        "import setuptools as st\nst.setup(install_requires=['evil'])",
        "import setuptools\nrun = setuptools.setup\nrun(install_requires=['evil'])",
        "from distutils.core import setup\nsetup(install_requires=['evil'])",
        "from setuptools import *\nsetup(install_requires=['evil'])",
        "import setuptools\ngetattr(setuptools, 'setup')(install_requires=['evil'])",
        "from setuptools import setup\nsetup(install_requires=['\\x65vil'])",
        "from setuptools import setup\nsetup(install_requires=['ev' 'il'])",
        "from setuptools import setup\nsetup(install_requires=['ev' + 'il'])",
        "from setuptools import setup\nN = 'evil'\nsetup(install_requires=[f'{N}'])",
        "from setuptools import setup\nconfig = {'install_requires': ['evil']}\nsetup(**config)",
        "from setuptools import setup\nsetup(**dict(install_requires=['evil']))",
        "from setuptools import setup\nR = ['a']\ndef f():\n    global R\n    R = ['evil']\nf()\nsetup(install_requires=R)",
        "from setuptools import setup\nR = ['a']\ndef f():\n    R.append('evil')\nf()\nsetup(install_requires=R)",
        "from setuptools import setup\nR = ['a']\nR[0] = 'evil'\nsetup(install_requires=R)",
        "from setuptools import setup\nsetup(install_requires=(R := ['a']))\nR.append('evil')",
        "from setuptools import setup\nif True:\n    setup(install_requires=['evil'])",
    ],
)
def test_attacker_spellings_are_read(source: str) -> None:
    manifest = _parse(source)
    assert "evil" in [d.name for d in manifest.dependencies], (manifest.dependencies, manifest.problems)


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("import setuptools\nsetuptools.setup = lambda **kw: None\nsetuptools.setup(install_requires=['a'])",
         "setuptools.setup is assigned"),
        ("from setuptools import setup\ndef setup(**kw):\n    pass\nsetup(install_requires=['a'])",
         "setup is defined by def after being imported"),
        ("import setuptools\ndef setup(**kw):\n    kw['install_requires'].append('evil')\n    setuptools.setup(**kw)\n"
         "setup(install_requires=['a'])", "kw is a function argument"),
    ],
)
def test_a_setup_that_may_not_be_setuptools_is_a_problem(source: str, says: str) -> None:
    manifest = _parse(source)
    assert any(says in problem.message for problem in manifest.problems), manifest.problems


# --- bad input -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line", "says"),
    [
        ("setup(\n", 1, "not valid Python 3: '(' was never closed"),
        ("print 'python 2'\n", 1, "not valid Python 3"),
        ("x = 1\0\n", None, "not valid Python 3"),
        ("x = " + "(" * 500 + ")" * 500 + "\n", 1, "not valid Python 3"),
    ],
)
def test_a_file_that_is_not_python_is_an_error(source: str, line: int | None, says: str) -> None:
    with pytest.raises(ManifestError) as caught:
        _parse(source)
    assert caught.value.path == "setup.py"
    assert caught.value.line == line
    assert says in caught.value.message


def test_a_long_line_is_read_in_linear_time() -> None:
    manifest = _parse("from setuptools import setup\nsetup(install_requires=['a' " + " " * 1_000_000 + "])\n")
    assert _deps(manifest) == [("a", "", "prod")]


def test_names_thousands_deep_are_an_error_not_a_crash() -> None:
    chain = "R0 = ['a']\n" + "".join(f"R{i} = R{i - 1} + ['x']\n" for i in range(1, 5000))
    with pytest.raises(ManifestError) as caught:
        _parse("from setuptools import setup\n" + chain + "setup(install_requires=R4999)\n")
    assert caught.value.message == "names or expressions refer to each other too deeply to read"
