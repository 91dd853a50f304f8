"""The package reads as the pipeline: each stage imports only what its ``__init__`` docstring allows, no import
cycle between modules, and nothing at the top of ``checker/`` but what every stage shares.

Every import counts, including those inside functions (lockgate imports lazily for start-up time), except those
under ``if TYPE_CHECKING:``: they are never executed, so they cannot form an import cycle, and an annotation naming a
record of a later stage (a rule describing a ``PolicyChange``) is not a dependency on that stage's code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CHECKER = Path(__file__).resolve().parents[2] / "checker"
SHARED = {"checker", "checker.model", "checker.errors", "checker.redaction"}
TOP_LEVEL = {"__init__.py", "__main__.py", "cli.py", "model.py", "errors.py", "redaction.py"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(CHECKER.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in CHECKER.rglob("*.py")}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.AST) -> list[str]:
    """The lockgate modules an import statement may load, skipping ``if TYPE_CHECKING:`` blocks."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "checker":
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.append(submodule if submodule in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names if alias.name.split(".")[0] == "checker")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


IMPORTS = {name: _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))) for name, path in MODULES.items()}


def _package_of(module: str) -> str:
    parts = module.split(".")
    return module if len(parts) == 1 else ".".join(parts[:2])


PACKAGES = sorted(f"checker.{path.parent.name}" for path in CHECKER.glob("*/__init__.py"))


def _allowed(package: str) -> set[str]:
    doc = ast.get_docstring(ast.parse((CHECKER / package.split(".")[1] / "__init__.py").read_text())) or ""
    match = re.search(r"May import:(.*?)(?:\n\n|\Z)", doc, re.S)
    assert match, f"{package}/__init__.py: the docstring says what the package may import ('May import: ...')"
    return set(re.findall(r"checker\.\w+", match.group(1)))


def test_the_top_of_the_package_holds_only_what_every_stage_shares():
    loose = {p.name for p in CHECKER.glob("*.py")} - TOP_LEVEL
    assert not loose, f"modules at the top of checker/ whose stage is not visible: {sorted(loose)}"


@pytest.mark.parametrize("package", PACKAGES)
def test_each_stage_imports_only_what_its_docstring_allows(package: str):
    allowed = _allowed(package) | SHARED | {package}
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in IMPORTS.items() if _package_of(module) == package
        for target in targets if _package_of(target) not in allowed and target not in SHARED
    )
    assert not wrong, "\n".join(wrong)


def test_the_stages_allowed_imports_form_no_cycle():
    graph = {package: _allowed(package) - {package} for package in PACKAGES}
    assert _cycles(graph) == []


def test_no_module_imports_itself_back():
    graph = {module: {t for t in targets if t in MODULES and t != module and not module.startswith(t + ".")}
             for module, targets in IMPORTS.items()}
    assert _cycles(graph) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                strong(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strong(node)
    return found


# The test folders that are not a package of checker/: the cross-cutting suites and the shared helpers
# (tests/README.md says what each holds).
TEST_SUITES = {"bypass", "property", "project", "fakes", "fixtures"}


def test_the_tests_mirror_the_package():
    """Every folder of tests/ is a package of checker/ or a cross-cutting suite, and every package of checker/ that
    holds code has its folder of tests."""
    tests = CHECKER.parent / "tests"
    folders = {p.name for p in tests.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    packages = {p.parent.name for p in CHECKER.glob("*/__init__.py")}
    assert folders - packages - TEST_SUITES == set(), "test folders that mirror no package of checker/"
    assert packages - folders == set(), "packages of checker/ without a folder of tests"


def test_every_rule_has_its_own_test_file():
    """One file of tests per rule module, as zizmor has one per audit."""
    rules = {p.stem for p in (CHECKER / "rules").glob("*.py") if p.stem != "__init__"}
    tests = {p.stem.removeprefix("test_") for p in (CHECKER.parent / "tests" / "rules").glob("test_*.py")}
    assert rules - tests == set()
