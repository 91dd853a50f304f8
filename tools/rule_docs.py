"""Write docs/rules/: one Markdown page per rule, generated from the rule's own metadata (checker/rules/<rule>.py:
its summary, explanation, options with their defaults, fix and example) and the shipped presets' settings, so the
pages cannot drift from what ``lockgate explain`` says. tests/project/test_rule_docs.py fails when a page is not
what this writes; then run:

    .venv/bin/python tools/rule_docs.py

docs/rules.md keeps the longer hand-written reference (history, edge cases, figures) beside these pages.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.policy.describe import exception_lines  # noqa: E402
from checker.policy.load import load_policy  # noqa: E402
from checker.rules import all_rules  # noqa: E402
from checker.rules.base import Rule  # noqa: E402

DOCS = ROOT / "docs" / "rules"
PRESETS = ("default", "strict")
EXPIRES = dt.date(2026, 12, 31)  # a fixed date: the pages are the same whenever they are written


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "not set"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_shown(v) for v in value) + "]" if value else "[]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}" if value else "{}"
    return str(getattr(value, "text", value))


def _preset_settings(rule_id: str) -> dict[str, tuple[str, dict[str, Any]]]:
    found = {}
    for preset in PRESETS:
        setting = load_policy(f"extends: {preset}\n", "docs.yml", lambda path: None).rules[rule_id]
        found[preset] = (setting.level, dict(setting.options))
    return found


def rule_page(rule: Rule) -> str:
    """The Markdown page of one rule."""
    presets = _preset_settings(rule.id)
    lines = [f"# `{rule.id}`", "", rule.summary, ""]
    lines += ["| | level |", "|---|---|", f"| the rule's own default (a policy that extends nothing) | "
              f"{rule.default_level} |"]
    lines += [f"| preset `{name}` | {level} |" for name, (level, _) in presets.items()]
    lines += ["", "## Why", "", rule.explanation, "", "## Fix", "", rule.fix, ""]
    if rule.options:
        lines += ["## Options", "", "| option | default | preset `default` | preset `strict` | meaning |",
                  "|---|---|---|---|---|"]
        for option in rule.options:
            choices = f" ({' / '.join(option.choices)})" if option.choices and option.kind == "choice" else ""
            cells = [_shown(presets[p][1].get(option.name, option.default)) for p in PRESETS]
            doc = " ".join(option.doc.split()).replace("|", "\\|")
            lines.append(f"| `{option.name}` | {_shown(option.default)} | {cells[0]} | {cells[1]} | {doc}{choices} |")
        lines.append("")
    lines += ["## Example", "", "```", rule.example.rstrip(), "```", ""]
    lines += ["## Accepting a finding", ""]
    said = exception_lines(rule, EXPIRES)  # what `lockgate explain` says: prose, the snippet, notes on its keys
    prose, snippet, notes = [], [], []
    part = prose
    for line in said:
        if line.strip() == "exceptions:" and line.startswith("  "):
            part = snippet
        elif part is snippet and not line.startswith("    "):
            part = notes
        if part is notes and line.startswith("  ") and not line.startswith("    ") and notes:
            notes.append("")  # a new note: its own paragraph
        part.append(line[2:] if part is snippet else line.strip())
    lines += [" ".join(" ".join(prose).split()), ""]
    if snippet:
        lines += ["```yaml", *snippet, "```", ""]
    for note in " ".join(notes).split("  "):
        if note.strip():
            lines += [f"- {note.strip()}"]
    lines += [""] if notes else []
    lines += [f"`lockgate explain {rule.id}` prints the same in the terminal. "
              "[All rules](README.md) · [the reference](../rules.md)", ""]
    return "\n".join(lines)


def index_page(rules: dict[str, Rule]) -> str:
    lines = ["# Rules", "", "One page per rule, generated from the rule's own metadata (`tools/rule_docs.py`).", "",
             "| rule | preset `default` | preset `strict` | what it checks |", "|---|---|---|---|"]
    for rule in rules.values():
        presets = _preset_settings(rule.id)
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| [`{rule.id}`]({rule.id}.md) | {presets['default'][0]} | {presets['strict'][0]} | {summary} |")
    return "\n".join(lines + [""])


def pages() -> dict[str, str]:
    """File name under docs/rules/ -> content."""
    rules = all_rules()
    found = {f"{rule.id}.md": rule_page(rule) for rule in rules.values()}
    found["README.md"] = index_page(rules)
    return found


def main() -> int:
    DOCS.mkdir(parents=True, exist_ok=True)
    wanted = pages()
    for stale in DOCS.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        (DOCS / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(wanted)} pages to {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
