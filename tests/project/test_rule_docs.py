"""docs/rules/ is what tools/rule_docs.py writes from the rules' own metadata (one page per rule and an index): a rule
whose texts, options or preset levels change without its page fails here. Regenerate: .venv/bin/python tools/rule_docs.py"""

from __future__ import annotations

import re
from pathlib import Path

from tests.project.tools import load_tool

ROOT = Path(__file__).resolve().parents[2]


def _generator():  # type: ignore[no-untyped-def]
    return load_tool("rule_docs")


def test_every_rule_page_is_current() -> None:
    wanted = _generator().pages()
    present = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "docs" / "rules").glob("*.md")}
    assert set(present) == set(wanted), "run tools/rule_docs.py"
    stale = [name for name, text in wanted.items() if present[name] != text]
    assert stale == [], f"run tools/rule_docs.py: {stale} differ from the rules' metadata"


def test_a_page_shows_real_defaults_and_the_exception_syntax_that_loads() -> None:
    from checker.policy.load import load_policy

    pages = _generator().pages()
    for name, text in pages.items():
        assert "| None |" not in text and " None " not in text, name
    page = pages["release-age.md"]
    snippet = page[page.index("```yaml\n") + 8:page.index("```", page.index("```yaml\n") + 8)]
    policy = load_policy("extends: default\n" + snippet, "p.yml", lambda path: None)
    assert [e.rule for e in policy.exceptions] == ["release-age"]


def test_the_readme_is_the_front_door_and_its_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) < 15_000
    for target in re.findall(r"\]\(((?:docs/|CHANGELOG)[^)#]*)", readme):
        assert (ROOT / target).exists(), target
    for page in (ROOT / "docs").rglob("*.md"):
        for target in re.findall(r"\]\(([\w./-]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), (page, target)
