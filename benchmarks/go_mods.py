"""Parse times of real Go module files: lockgate next to the bare split a naive reader pays (the floor).

    python benchmarks/go_mods.py [--runs N]     (part of: python benchmarks/suite.py)

The files are the real ones the tests keep (tests/manifests/fixtures/go/SOURCES.md: spf13/cobra's go.mod and go.sum,
golang/tools' gopls/go.mod and gopls/go.sum), so the figures need no corpus. Floor: splitting every line into its
fields (what a go.sum reader must do at least). Target: each parse under 60 ms (issue 21). In process, after a
warm-up call; nothing is asserted.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness import measure_call  # noqa: E402
from run import ParseFigure, print_parse_table  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "manifests" / "fixtures" / "go"
GO_FILES = ("cobra.go.mod", "cobra.go.sum", "gopls.go.mod", "gopls.go.sum")


def parse_figures(runs: int) -> list[ParseFigure]:
    from checker.manifests import format_for

    figures = []
    for name in GO_FILES:
        path = FIXTURES / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        real_name = name.split(".", 1)[1]  # cobra.go.sum -> go.sum
        fmt = format_for(real_name)
        assert fmt is not None, name
        sibling = (FIXTURES / (name.split(".", 1)[0] + ".go.mod")).read_text(encoding="utf-8")
        ours = measure_call(lambda: fmt.parse(text, real_name, lambda other: sibling), runs)  # type: ignore[union-attr]
        floor = measure_call(lambda: [line.split() for line in text.split("\n")], runs)
        figures.append(ParseFigure(f"tests/manifests/fixtures/go/{name}", len(text.encode()), ours, floor,
                                   "str.split of every line"))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    print_parse_table(parse_figures(args.runs), floor_digits=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
