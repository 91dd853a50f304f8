"""Parse times of the real JavaScript lockfiles: lockgate next to the bare load a naive design pays (the floor).

    python benchmarks/js_locks.py [--runs N] [--corpus DIR]     (part of: python benchmarks/suite.py)

For pypi/warehouse's package-lock.json (floor: ``json.loads``), vuejs/core's pnpm-lock.yaml and prettier's Berry
yarn.lock (floor: ruamel.yaml's safe loader, with its C parser when ruamel.yaml.clib is importable — a floor only:
it rejects the ``{tarball: https://...}`` flow mappings pnpm writes), and vercel/hyper's classic yarn.lock (not
YAML: no standard loader, so no floor). Target: each parse under 60 ms (issue 3). In process, after a warm-up
call; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from harness import DEFAULT_CORPUS, measure_call  # noqa: E402
from run import ParseFigure, print_parse_table  # noqa: E402

PACKAGE_LOCK = "real/pypi-warehouse/package-lock.json"
CLASSIC_YARN = "real/vercel-hyper/yarn.lock"
JS_FILES = (PACKAGE_LOCK, "real/vuejs-core/pnpm-lock.yaml", "real/prettier-prettier/yarn.lock", CLASSIC_YARN)


def yaml_floor():  # type: ignore[no-untyped-def]
    """The fastest general YAML loader at hand: ruamel.yaml's safe loader, C-backed when possible; its label."""
    from ruamel.yaml import YAML
    from ruamel.yaml.main import CParser

    if CParser is not None:
        return YAML(typ="safe"), "ruamel.yaml safe (C)"
    return YAML(typ="safe", pure=True), "ruamel.yaml safe (pure)"


def parse_figures(corpus: Path, runs: int, floor_runs: int = 3) -> list[ParseFigure]:
    from checker.manifests import format_for

    figures = []
    loader, loader_label = yaml_floor()
    for relative in JS_FILES:
        path = corpus / relative
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        fmt = format_for(path.name)
        assert fmt is not None, relative

        def read(other: str, directory: Path = path.parent) -> str | None:
            target = directory / other
            return target.read_text(encoding="utf-8") if target.is_file() else None

        ours = measure_call(lambda: fmt.parse(text, path.name, read), runs)  # type: ignore[union-attr]
        if path.suffix == ".json":
            floor, label = measure_call(lambda: json.loads(text), runs), "json.loads"
        elif relative == CLASSIC_YARN:
            floor, label = None, "none (not YAML)"
        else:
            floor, label = measure_call(lambda: loader.load(text), floor_runs), loader_label
        figures.append(ParseFigure(relative, len(text.encode()), ours, floor, label))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--floor-runs", type=int, default=3, help="runs of the (slow) YAML floors")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    print_parse_table(parse_figures(args.corpus, args.runs, args.floor_runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
