"""Tests for checker.manifests.lockyaml: the fast reader gives exactly what a full YAML load gives (data and key
lines) on every corpus lockfile and on inputs written to trip it, and hostile YAML ends in a clear error."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from checker.errors import ManifestError
from checker.manifests import lockyaml

FIXTURES = Path(__file__).parent / "fixtures"


def _full(text: str, line_depth: int = 2) -> object:
    """The full loader's (data, lines), or ("error", message, line)."""
    try:
        return lockyaml.load_full(text, "lock.yaml", line_depth)
    except ManifestError as error:
        return ("error", error.message, error.line)


def _assert_agrees(text: str, line_depth: int = 2) -> bool:
    """The fast reader either declines or gives the full loader's data (same types) and lines. Returns whether
    the fast reader read it."""
    fast = lockyaml.read_fast(text, line_depth)
    if fast is None:
        return False
    full = _full(text, line_depth)
    assert fast == full
    assert repr(fast[0]) == repr(full[0])  # same types all the way down (1 vs 1.0 vs "1", True vs 1)
    return True


# ---------------------------------------------------------------------------------------------------------------
# Every YAML lockfile of the corpus, and the project's own fixtures


def _corpus_yaml_files(corpus: Path) -> list[Path]:
    files = sorted((corpus / "edge" / "pnpmlock").iterdir())
    files += sorted((corpus / "edge" / "yarnlock").glob("*.v2.lock"))
    files += [corpus / "real" / "vuejs-core" / "pnpm-lock.yaml", corpus / "real" / "prettier-prettier" / "yarn.lock"]
    return files


def test_fast_reader_equals_full_load_on_every_corpus_file(corpus):
    read_fast = []
    for path in _corpus_yaml_files(corpus):
        text = path.read_text(encoding="utf-8")
        for depth in (1, 2):
            if _assert_agrees(text, depth):
                read_fast.append(path.name)
    # Everything pnpm and Yarn wrote is in the subset (not-yaml.txt is a bare scalar, which the fast reader leaves
    # to the full loader).
    assert sorted(set(read_fast)) == sorted({p.name for p in _corpus_yaml_files(corpus)} - {"not-yaml.txt"})


def test_real_files_are_read_fast_with_their_key_lines(corpus):
    vue = (corpus / "real" / "vuejs-core" / "pnpm-lock.yaml").read_text()
    document = lockyaml.load(vue, "pnpm-lock.yaml")
    assert document.fast
    assert document.data["lockfileVersion"] == "9.0"
    assert document.lines[("lockfileVersion",)] == 1
    assert document.lines[("importers",)] == 35
    assert document.lines[("packages", "@asamuzakjp/css-color@6.0.5")] == 459
    assert document.lines[("snapshots", "@asamuzakjp/css-color@6.0.5")] == 3328
    assert document.data["packages"]["@babel/parser@7.29.8"]["engines"] == {"node": ">=6.0.0"}
    assert document.data["snapshots"]["@babel/code-frame@7.29.0"]["optional"] is True
    prettier = (corpus / "real" / "prettier-prettier" / "yarn.lock").read_text()
    document = lockyaml.load(prettier, "yarn.lock", line_depth=1)
    assert document.fast
    assert document.data["__metadata"] == {"version": 10, "cacheKey": 10}
    assert document.lines[('@angular/compiler@npm:22.0.8',)] == 8
    assert all(len(key) == 1 for key in document.lines)


@pytest.mark.parametrize("name", ["pnpm_lock/workspace.v9.yaml", "pnpm_lock/inline-specifiers.v54.yaml",
                                  "pnpm_lock/runtime.v9.yaml", "yarn_lock/berry/yarn.lock"])
def test_fast_reader_equals_full_load_on_fixtures(name):
    assert _assert_agrees((FIXTURES / name).read_text())


def test_pnpm_runtime_variants_are_read_fast():
    """pnpm 11's runtime entries (``resolution: {type: variations, variants: [...]}``, a block sequence of block
    mappings) are in the subset: without them every lockfile that pins its Node.js went to the slow loader."""
    text = (FIXTURES / "pnpm_lock" / "runtime.v9.yaml").read_text()
    for depth in (1, 2):
        assert _assert_agrees(text, depth)
        assert _assert_agrees(text.replace("\n", "\r\n"), depth)
    data = lockyaml.load(text, "pnpm-lock.yaml").data
    variants = data["packages"]["node@runtime:26.7.0"]["resolution"]["variants"]
    assert variants[0] == {
        "resolution": {"archive": "tarball", "bin": {"node": "bin/node"},
                       "integrity": "sha256-fuZZp3aOZBu/1TYJQGYLjo/QBS93SI82VWK6xSL8FdQ=", "type": "binary",
                       "url": "https://nodejs.org/download/release/v26.7.0/node-v26.7.0-darwin-arm64.tar.gz"},
        "targets": [{"cpu": "arm64", "os": "darwin"}],
    }


# ---------------------------------------------------------------------------------------------------------------
# Inputs written to trip the fast reader: it must either decline or agree.

TRICKY = [
    # plain scalars YAML 1.2 resolves to other types
    "a: 1\n", "a: 01\n", "a: 0x1F\n", "a: 0o17\n", "a: 0b101\n", "a: 1_000\n", "a: 1e3\n", "a: .inf\n", "a: -.inf\n",
    "a: .NaN\n", "a: -1\n", "a: +1\n", "a: 1.0\n", "a: 5.30\n", "a: .5\n", "a: 5.\n", "a: 1.0.0\n", "a: 12:30:00\n",
    "a: 2001-12-14\n", "a: 2001-12-14t21:59:43.10-05:00\n", "a: yes\n", "a: no\n", "a: on\n", "a: True\n",
    "a: FALSE\n", "a: NULL\n", "a: null\n", "a: ~\n", "a: =\n", "a: <<\n", "true: 1\n", "1: a\n", "1.5: a\n", "~: a\n",
    # quoting
    "a: 'it''s'\n", 'a: "x\\ty"\n', 'a: "\\/\\"\\\\\\b\\f\\n\\r"\n', 'a: "\\ud83d\\ude00"\n', 'a: "\\x41"\n',
    'a: "\\u0000"\n', 'a: "\\N"\n', 'a: "x\\u00e9"\n', 'a: "plain"\n', "a: ''\n", 'a: ""\n', "'a''b': 1\n",
    "'a'b: 1\n", "a: 'x'y\n", 'a: "x"y\n', "a: 'x\n", 'a: "x\n', "a: 'x' # c\n", "a: \\x\n",
    # mapping syntax
    "a: b: c\n", "a: b #c\n", "a: b#c\n", "a:b\n", "a : 1\n", "a  : 1\n", "a:: b\n", "a: x:\n", "a: x, y\n",
    "key with spaces: v\n", "a:  1\n", "a: 1 \n", "a: x\n  y\n", "a:\n    b: 1\n  c: 2\n", "a:\n  b: 1\n c: 2\n",
    "  a: 1\n", "a:\n", "a:\n# c\nb: 1\n", "a:\n  # c\n  b: 1\n", "a: b\n  # indented comment\nc: d\n",
    "a:\n  b:\n    c:\n      d: 1\n", "? a\n: b\n", "a: ? x\n",
    # sequences
    "a:\n  - x\n  - 'y'\n", "a:\n- x\n", "a:\n  - x\n  -\n", "a:\n  - x\n  - y: z\n", "a:\n  -  x\n", "a: - x\n", "a: -\n",
    # block mappings as sequence entries (`- key: value`, YAML's compact nested mapping), and what is close to one
    "a:\n  - b: 1\n    c: 2\n  - b: 3\n", "a:\n  - b:\n      c: 1\n    d: [x]\n", "a:\n  - b:\n    c: 1\n",
    "a:\n  - b:\n      - c: 1\n        d: {e: f}\n      - g\n    h: 'i'\n", "a:\n  - b:\n", "a:\n  - b:\nc: 1\n",
    "a:\n  - b:\n      - c:\n          - d:\n              e: 1\n", "a:\n  - b:\n    - x\n", "a:\n  - b:\n  - x\n",
    "a:\n  - - x\n", "a:\n  - - x: 1\n", "a:\n  - - - x\n", "a:\n  - b: - x\n", "a:\n  - b:\n    - - x\n",
    "a:\n  -\n    b: 1\n", "a:\n  -\n  - b: 1\n", "a:\n  - b: 1\n  -\n", "a:\n  - b: 1\n  - \n", "a:\n  -b: 1\n",
    "a:\n  - b: 1\n     c: 2\n", "a:\n  - b: 1\n   c: 2\n", "a:\n  - b: 1\n  c: 2\n", "a:\n  - b: 1\n- c: 2\n",
    "a:\n  - b:\n     c: 1\n    d: 2\n", "a:\n  - b:\n   c: 1\n", "a:\n  - b:\n      c: 1\n     d: 2\n", "a:\n  -  b: 1\n     c: 2\n",
    "a:\n  -   b: 1\n", "a:\n  - b: 1\n    c: 2\n      d: 3\n", "a:\n  - b: 1\n    c: 2\n    -  d\n",
    "a:\n  - x\n  - b: 1\n    c: 2\n  - y\n  - [z]\n  - {d: e}\n", "a:\n  - b: 1\n    - x\n",
    "a:\n  - b: 1\n  # c\n    c: 2\n  - d: 3\n", "a:\n  - b: 1\n# c\n  - d: 3\n", "a:\n  - b: 1\n\n\n  - d: 3\n",
    "a:\n  - b: 1\n      # c\n    c: 2\n", "a:\n  - # c\n    b: 1\n", "a:\n  - b: 1 # c\n", "a:\n  - b: 1 #\n",
    "a:\r\n  - b: 1\r\n    c:\r\n      - x\r\n  - d: 2\r\n", "a:\r\n  - b: 1\r    c: 2\r\n",
    "a:\n  - b: 1\n    b: 2\n", "a:\n  - b: 1\n  - b: 1\n", "a:\n  - 'b': 1\n    \"c\": 2\n    'd''e': 3\n",
    "a:\n  - 'b: 1'\n", "a:\n  - \"b: 1\"\n", "a:\n  - 'b'c: 1\n", "a:\n  - b:c\n", "a:\n  - b:c: d\n",
    "a:\n  - b: c: d\n", "a:\n  - b #c: 1\n", "a:\n  - b : 1\n", "a:\n  - b:  1\n", "a:\n  - b: 1 \n",
    "a:\n  - ? b\n    : 1\n", "a:\n  - &x b: 1\n", "a:\n  - b: &x 1\n    c: *x\n", "a:\n  - !t b: 1\n",
    "a:\n  - b: |\n      x\n", "a:\n  - <<: {c: 1}\n", "a:\n  - 1: x\n    true: y\n    null: z\n    1.5: w\n",
    "a:\n  - 0x1: x\n", "a:\n  - b: yes\n    c: 01\n", "a:\n  - b: {c: 1}\n    d: [1, 'e']\n",
    "a:\n  - \"b\\n\": 1\n", "a:\n  - b: \"c\\u00e9\"\n", "a:\n  - " + "k" * 1100 + ": 1\n",
    "a:\n  - '" + "k" * 1100 + "': 1\n", "a:\n  - b: 1\n---\n", "a:\n  - b: 1\n...\n", "a:\n  - ---: 1\n",
    "a:\n  - b:\n      c:\n        d:\n          e:\n            f:\n              - g: 1\n",
    # flow collections as pnpm writes them, and some it does not
    "a: [x, 'y', \"z\"]\n", "a: [x, y,]\n", "a: []\n", "a: [ ]\n", "a: [a, [b]]\n", "a: [x]y\n", "a: [x: y]\n",
    "a: {x: 1, y: 'z'}\n", "a: {x: 1,}\n", "a: {}\n", "a: { }\n", "a: { x: 1 }\n", "a: {x: {y: 1}}\n", "a: {x}\n",
    "a: {x: }\n", "a: {x:1}\n", "a: {: 1}\n", "a: {x: 1}y\n", "a: {x: 1\n", "a: {node: ^1 || >=2}\n",
    "a: {node: '>=2'}\n", "a: {repo: git@host:o/r.git}\n", "a: {integrity: sha512-abc==, tarball: https://x/y.tgz}\n",
    "a: {x: 'a''b'}\n", "a: {'x': 1}\n", 'a: {"x": 1}\n', 'a: {x: "y, z"}\n', "a: {x: 'y: z'}\n", "a: {x: y: z}\n",
    "a: {true: 1}\n", "a: {x: 1.5}\n", "a: {x: 2001-12-14}\n", "a: [1, null, 1e3]\n",
    # anchors, tags, block scalars, documents, directives
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  x\n", "a: >\n  x\n", "---\na: 1\n", "a: 1\n...\n",
    "%YAML 1.1\n---\na: yes\n", "a: @x\n", "a: `x\n", "a: %x\n",
    # duplicates
    "a: 1\na: 2\n", "a:\n  b: 1\n  b: 2\n", "'a': 1\n\"a\": 2\n",
    # characters
    "a\tb: 1\n", "a: 1\r\nb: 2\r\n", "a: 1\rb: 2\n", "a:\r\n  - x\r\n", "\ufeffa: 1\n", "a: \u00e9t\u00e9\n", "\u00e9: 1\n", "a: x\x85y\n", "a: \u2028\n",
    "a: \x00\n", "a: \u00a0x\n",
    # empty documents and sizes
    "", "\n\n", "# only a comment\n", "x" * 1100 + ": 1\n", '"' + "y" * 1100 + '": 1\n', "a: " + "z" * 5000 + "\n",
    # Berry-shaped
    '"a@npm:1, b@npm:2":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  checksum: 10c0/abc\n',
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_reader_declines_or_agrees(text):
    _assert_agrees(text)


@pytest.mark.parametrize(
    "text",
    ["a: 1\n", "a: 1.0.0\n", "a: 5.3\n", "a: 'x'\n", "a:\n  - x\n", "a: {integrity: sha512-x==}\n", "a: [x64]\n",
     "a: {}\n", "'@s/p@1.0.0(r@1)':\n  resolution: {integrity: sha512-x}\n", "# comment\n", "a:\n",
     "a: 1\r\nb: 2\r\n", 'a: "tab\\there"\n', "a:\n  - b: 1\n    c:\n      d: x\n    e:\n      - f: y\n        g: z\n",
     "a:\n  - x\n  - b: 1\n  - y\n", "a:\n  - b: 1\n  # c\n\n  - d:\n"],
)
def test_lockfile_shapes_are_in_the_subset(text):
    assert lockyaml.read_fast(text) is not None


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\n", "a: 0x1F\n", "a: yes  # comment\n", "a:\tb\n", "a: 1\rb: 2\n", "a: 1\na: 2\n", "---\na: 1\n",
     "a: |\n  x\n", "a: {x: {y: 1}}\n", "a: \"x\\ud800\"\n", "a: \"\\x41\"\n", "a:\n  - - x\n", "a:\n  -\n    b: 1\n",
     "a:\n  -  b: 1\n", "a:\n  - b:\n    - x\n", "a:\n  - b: 1\n     c: 2\n", "a:\n  - b: 1\n   c: 2\n"],
)
def test_outside_the_subset_is_declined(text):
    assert lockyaml.read_fast(text) is None


def test_load_reports_which_reader_read():
    assert lockyaml.load("a: 1\n", "x.yaml").fast is True
    assert lockyaml.load("a: 0x1F\n", "x.yaml").fast is False
    assert lockyaml.load("a: 0x1F\n", "x.yaml").data == {"a": 31}
    assert lockyaml.load("a: 1\n", "x.yaml", fast=False).fast is False


# ---------------------------------------------------------------------------------------------------------------
# Errors and hostile input


def _error(text: str) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        lockyaml.load(text, "pnpm-lock.yaml")
    return caught.value


def test_duplicate_key_is_an_error_with_its_line():
    error = _error("packages:\n  a@1.0.0:\n    resolution: {integrity: x}\n  a@1.0.0:\n    resolution: {}\n")
    assert error.path == "pnpm-lock.yaml" and error.line == 4
    assert error.message.startswith('not valid YAML: found duplicate key "a@1.0.0"')


def test_invalid_yaml_names_the_line():
    error = _error("lockfileVersion: '9.0'\npackages:\n  a: {integrity: x\n  b: 1\n")
    assert error.line == 4
    assert error.message.startswith("not valid YAML: ")
    assert str(error).startswith("pnpm-lock.yaml:4: not valid YAML: ")


def test_truncated_quoted_scalar_is_an_error():
    error = _error("lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: '^1\n")
    assert error.line == 7 and "while scanning a quoted scalar" not in error.message
    assert error.message.startswith("not valid YAML: found unexpected end of stream")


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 30):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    lines.append("packages: *a29")
    start = time.perf_counter()
    error = _error("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 5  # a generous bound: expanding 10**30 items would never end
    assert error.message == "YAML anchors and aliases are not allowed in a lockfile"
    assert error.line == 1


def test_anchor_without_alias_and_merge_keys_are_refused():
    assert _error("a: &x {b: 1}\n").message == "YAML anchors and aliases are not allowed in a lockfile"
    error = _error("a:\n  <<: {b: 1}\n  c: 2\n")
    assert error.message == "YAML merge keys (<<) are not allowed in a lockfile" and error.line == 2


def test_deep_nesting_is_bad_input_not_a_crash():
    error = _error("a: " + "[" * 20000 + "]" * 20000 + "\n")
    assert (error.line, error.message) == (1, f"nested more than {lockyaml.MAX_DEPTH} levels deep")
    error = _error("a:\n  " + "- " * 20000 + "x\n")
    assert (error.line, error.message) == (2, f"nested more than {lockyaml.MAX_DEPTH} levels deep")


def test_custom_tags_are_errors():
    error = _error("a: !python/object:os.system echo\n")
    assert error.line == 1 and "could not determine a constructor" in error.message


def test_empty_and_comment_only_documents_are_none():
    assert lockyaml.load("# nothing\n", "x.yaml").data is None
    assert lockyaml.load("", "x.yaml").data is None
    assert lockyaml.load("# nothing\n", "x.yaml", fast=False).data is None


@pytest.mark.parametrize(
    "text",
    [
        "a: {x: a" + " " * 20000 + "b}\n",  # a run of spaces inside a flow scalar
        "a: [a" + " " * 20000 + "b, c" + " " * 20000 + "]\n",
        "a: {x" + " " * 20000 + "y: 1}\n",
        "a: [" + "x, " * 20000 + "y]\n",
        "a" + ":b" * 20000 + ": c\n",
        "a:\n  - " + ":b" * 20000 + ": c\n",  # the same after a sequence entry's dash
        "a:\n  - b" + ":b" * 20000 + ": c\n",
        "a:\n  - '" + "''" * 20000 + "\n",
        "a:\n  - '" + "''" * 20000 + "': 1\n",
        "a:\n  - " + "x " * 20000 + ": c\n",
        "a:\n  - b" + ":" * 20000 + "\n",
    ],
)
def test_hostile_lines_cost_linear_time(text):
    start = time.perf_counter()
    _assert_agrees(text)
    assert time.perf_counter() - start < 10  # a hang guard (quadratic matching took seconds per line)


# Random documents from lockfile-like and YAML-tricky pieces (seeded, so every run checks the same ones): wherever
# the fast reader accepts one, it must agree with the full loader.
_PIECES = ["v", "1.2.3", "^1.0.0", "sha512-abc==", "{integrity: x}", "[x64]", "a", "x y", "1", "01", "1.0", "true",
           "null", "~", "'q'", "'it''s'", '"d"', '"e\\n"', "-", "- x", "{}", "[]", "{a: 1}", "{a: 'b', c: d}",
           "[x, y]", "[1, 'a']", "#c", "x #c", "x#c", "@x", "&x", "*x", "!t", "|", ">", "? x", ":", "a:b", "a: b",
           "'", '"', "{", "[", "}", "]", ",", "=", "<<", "\u00e9", "\\", "yes", ".5", "1e3", "2001-01-01", "0x1", "+1",
           "x:", "{a: {b: c}}", "{a: b, }", "[a, ]", "%", "`"]
_KEYS = _PIECES[:18] + ["k", "'k k'", '"k:k"', "k1", "k2", "'@s/p@1.0.0(r@1)'", "/a/1.0.0_b@2.0.0"]


def _random_document(rng) -> str:
    """Lines at the columns of the open blocks (a ``key:`` opens one two columns deeper, a ``- key`` entry one at
    its key's column), which blocks close at random, and a column off by one now and then."""
    lines, columns = [], [0]
    for _ in range(rng.randint(1, 14)):
        if len(columns) > 1 and rng.random() < 0.25:
            del columns[rng.randint(1, len(columns) - 1):]
        column = max(0, columns[-1] + (rng.choice([-1, 1]) if rng.random() < 0.03 else 0))
        indent = " " * column
        roll = rng.random()
        if column == 0 and roll < 0.3 and rng.random() < 0.9:
            roll = 0.5  # the fast reader reads a mapping at the top, so mostly keys there
        if roll < 0.12:
            lines.append(indent + "- " + _piece(rng))
        elif roll < 0.27:  # a block mapping as a sequence entry: its first key on the dash's line
            dash = rng.choice(["- ", "- ", "- ", "- ", "-  ", "- - ", "-"])
            value = rng.choice([":", ": " + _piece(rng)])
            lines.append(indent + dash + _key(rng) + value)
            columns.append(column + len(dash))
            if value == ":":
                columns.append(column + len(dash) + 2)
        elif roll < 0.3:
            lines.append(indent + rng.choice(["-", "- ", "# c", "  # c"]))
        elif roll < 0.33:
            lines.append(indent + _piece(rng))
        elif roll < 0.36:
            lines.append("")
        elif roll < 0.55:
            lines.append(indent + _key(rng) + ":")
            columns.append(column + 2)
        else:
            lines.append(indent + _key(rng) + ": " + _piece(rng))
    return "\n".join(lines) + ("\n" if rng.random() < 0.9 else "")


def _piece(rng) -> str:
    """A value: mostly what lockfiles hold (so that whole documents stay in the subset often), else anything."""
    return rng.choice(_PIECES[:18] if rng.random() < 0.85 else _PIECES)


def _key(rng) -> str:
    return rng.choice(_KEYS[18:] if rng.random() < 0.8 else _KEYS)


def test_random_documents_agree():
    import random

    rng = random.Random(20260601)
    accepted = with_item_mappings = 0
    for number in range(6000):
        text = _random_document(rng)
        if _assert_agrees(text):
            accepted += 1
            with_item_mappings += _has_item_mapping(lockyaml.read_fast(text)[0])
        if number % 5 == 0:
            _assert_agrees(text.replace("\n", "\r\n"), 1)
    assert accepted > 100  # the fast reader did take part
    assert with_item_mappings > 40  # ... also on sequences of block mappings


def _has_item_mapping(data: object) -> bool:
    if type(data) is dict:
        return any(_has_item_mapping(value) for value in data.values())
    if type(data) is list:
        return any(type(item) is dict or _has_item_mapping(item) for item in data)
    return False
