"""Parse of real Ruby and PHP lockfiles (in process) next to the bare load of the same text, as js_locks.py does
for JavaScript: lockgate's parse of each file against ``json.loads`` (composer.lock) or a plain split into lines
(Gemfile.lock, which no library reads). The files are the real ones kept as test fixtures
(tests/manifests/fixtures/gemfile and composer, SOURCES.md there), so the figures need no corpus.

    python benchmarks/ruby_php.py [--runs N]            (part of: python benchmarks/suite.py, section parse)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from harness import measure_call  # noqa: E402
from run import ParseFigure, print_parse_table  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "manifests" / "fixtures"
FILES = (
    ("gemfile/rubygems.org-git.Gemfile.lock", "Gemfile.lock"),
    ("gemfile/brew.Gemfile.lock", "Gemfile.lock"),
    ("composer/composer.composer.lock", "composer.lock"),
)


def parse_figures(runs: int) -> list[ParseFigure]:
    from checker.manifests import format_for

    figures = []
    for relative, name in FILES:
        path = FIXTURES / relative
        text = path.read_text(encoding="utf-8")
        fmt = format_for(name)
        assert fmt is not None, name
        ours = measure_call(lambda: fmt.parse(text, name, lambda other: None), runs)  # type: ignore[union-attr]
        if name == "composer.lock":
            floor, label = measure_call(lambda: json.loads(text), runs), "json.loads"
        else:
            floor, label = measure_call(lambda: text.split("\n"), runs), "str.split (no library reads it)"
        figures.append(ParseFigure(f"fixtures/{relative}", len(text.encode()), ours, floor, label))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    print_parse_table(parse_figures(args.runs), floor_digits=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
