"""``json_strict.load_members``: a JSON lockfile read member by member must be exactly the file ``loads`` reads —
the same document, the same errors — with the line of every entry's key, and a revision read with the other one
as ``earlier`` must equal a fresh read whatever changed between them.

Hand-written cases cover each way the walk can go wrong (a number that grows, a key with escapes or a raw
control character, duplicates at each level, text after the end, a top level that is no object); property tests
then compare the walk with ``loads`` and ``key_lines`` on generated documents in several layouts, on their
mutations, and on mutated real lockfiles.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from tests.hypothesis_profiles import use_profile
from tests.property.test_parsers import _mutate, seeds

from checker.errors import ManifestError
from checker.manifests import json_strict

use_profile()


def _read(text: str, earlier: json_strict.Members | None = None, keep_layouts: bool = False) -> json_strict.Members:
    return json_strict.load_members(text, "x.json", "npm", earlier, keep_layouts)


def _outcome(read) -> tuple:  # type: ignore[no-untyped-def]
    try:
        return ("ok", read())
    except ManifestError as error:
        return ("error", error.message, error.line)


def _lines(text: str) -> dict[str, dict[str, int]]:
    """The lines ``load_members`` must give, by the token scan that predates it."""
    lines: dict[str, dict[str, int]] = {}
    for (member, key), line in json_strict.key_lines(text, lambda parent: len(parent) == 1).items():
        lines.setdefault(member, {})[key] = line
    return lines


def _same_as_loads(text: str, members: json_strict.Members) -> None:
    assert members.data == json.loads(text)
    assert json.dumps(members.data) == json.dumps(json.loads(text))  # the order of keys too
    if not isinstance(members.data, dict):
        assert members.lines == {}
        return
    expected = _lines(text)
    assert members.lines == {k: expected.get(k, {}) for k, v in members.data.items() if isinstance(v, dict)}


LOCK = """{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "app"},
    "node_modules/a": {
      "version": "1.0.0",
      "size": 12
    },
    "node_modules/b": {"version": "2.0.0"}
  },
  "empty": {},
  "list": [1, {"x": 2}]
}
"""


def test_the_document_and_the_line_of_every_entry():
    members = _read(LOCK)
    _same_as_loads(LOCK, members)
    assert members.lines == {"packages": {"": 5, "node_modules/a": 6, "node_modules/b": 10}, "empty": {}}
    assert members.layouts == {}


def test_layouts_are_kept_only_when_asked_for():
    layout = _read(LOCK, keep_layouts=True).layouts["packages"]
    assert layout.keys == ["", "node_modules/a", "node_modules/b"]
    b = layout.index["node_modules/b"]
    assert LOCK[layout.key_starts[b] :].startswith('node_modules/b"')
    assert LOCK[layout.value_starts[b] : layout.value_ends[b]] == '{"version": "2.0.0"}'


def test_an_unchanged_entry_is_taken_over_and_a_changed_one_decoded():
    base = _read(LOCK, keep_layouts=True)
    head_text = LOCK.replace('"2.0.0"', '"2.1.0"')
    head = _read(head_text, base)
    _same_as_loads(head_text, head)
    assert head.data["packages"]["node_modules/a"] is base.data["packages"]["node_modules/a"]
    assert head.data["packages"]["node_modules/b"] == {"version": "2.1.0"}


def test_a_number_that_grows_is_not_taken_for_its_prefix():
    base = _read('{"p": {"k": 12, "j": [1]}}', keep_layouts=True)
    for text, value in (('{"p": {"k": 123, "j": [1]}}', 123), ('{"p": {"k": 12.5, "j": [1]}}', 12.5),
                        ('{"p": {"k": 12e1, "j": [1]}}', 120.0), ('{"p": {"k": 12}}', 12)):
        assert _read(text, base).data["p"]["k"] == value


def test_entries_moved_or_renamed_between_revisions():
    base_text = '{"p": {"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}, "z": 0}}'
    base = _read(base_text, keep_layouts=True)
    head_text = '{"p": {"c": {"v": 3}, "b2": {"v": 2}, "a": {"v": 1}, "z": 0}, "q": {"a": {"v": 1}, "z": 0}}'
    head = _read(head_text, base)
    _same_as_loads(head_text, head)
    assert head.data["p"]["a"] is base.data["p"]["a"] and head.data["p"]["c"] is base.data["p"]["c"]
    assert head.data["q"]["a"] is not base.data["p"]["a"]  # another member's entry of the same key is not the same


def test_the_walk_follows_the_earlier_entries_while_the_text_goes_on_as_there():
    base_text = '{\n"p": {\n"a": {"v": 1},\n"b": {"v": 2},\n"c": {"v": 3},\n"d": {"v": 4}\n},\n"q": 5}'
    base = _read(base_text, keep_layouts=True)
    head_text = base_text.replace('"c": {"v": 3}', '"c": {"v": 3,\n"w": 0}').replace('"b"', '"\\u0062"')
    head = _read(head_text, base)
    _same_as_loads(head_text, head)
    assert head.lines["p"] == {"a": 3, "b": 4, "c": 5, "d": 7}
    old, new = base.data["p"], head.data["p"]
    assert [new[k] is old[k] for k in "abcd"] == [True, True, False, True]


def test_a_run_that_would_repeat_a_key_is_the_duplicate_error():
    base = _read('{"p": {"a": 1, "b": 2}}', keep_layouts=True)
    with pytest.raises(ManifestError) as caught:
        _read('{"p": {"b": 2, "a": 1, "b": 2}}', base)
    assert "duplicate key 'b'" in caught.value.message


@pytest.mark.parametrize("text", [
    '{"p": {"node_modules/\\u0061": {"v": 1}, "b\\"q": 2}}',
    '{"\\u0070": {"a": 1}}',
])
def test_keys_with_escapes_are_decoded(text):
    _same_as_loads(text, _read(text))


@pytest.mark.parametrize("text, line", [
    ('{\n"p": {"a": 1,\n"a": 2}}', 3),
    ('{"p": {"a": 1},\n"p": {"b": 2}}', 2),
    ('{"p": {"a": {"x": 1, "x": 2}}}', 1),
])
def test_a_duplicate_key_at_any_level_is_the_error_loads_gives(text, line):
    with pytest.raises(ManifestError) as caught:
        _read(text)
    assert "duplicate key" in caught.value.message
    assert caught.value.line == line


@pytest.mark.parametrize("text", [
    '{"p": {"a\nb": 1}}',  # a raw control character in a key: JSON forbids it
    '{"p": {"a\\x": 1}}',  # an invalid escape
    '{"p": {"a": 1}} x',  # text after the document
    '{"p": {"a": 1}',  # the end missing
    '{"p": {"a": 1,}}',  # a trailing comma
    '{"p": {"a" 1}}',
    '{"p": {"a": 1 "b": 2}}',
    '{"p": {"a": 01}}',
    '\ufeff{"p": {}}',
    '{"p": {"a": ' + "[" * 5000 + "]" * 5000 + "}}",
    '{"p": {"a": ' + "9" * 5000 + "}}",
])
def test_what_loads_refuses_the_walk_refuses_with_the_same_error(text):
    with pytest.raises(ManifestError) as walked:
        _read(text)
    with pytest.raises(ManifestError) as loaded:
        json_strict.loads(text, "x.json", "npm")
    assert (walked.value.message, walked.value.line) == (loaded.value.message, loaded.value.line)


@pytest.mark.parametrize("text", ["[1, 2]", '"text"', "3", "null", "{}", " {} \n"])
def test_a_top_level_that_is_no_object_is_what_loads_gives(text):
    members = _read(text)
    assert members.data == json.loads(text)
    assert members.lines == {}


# --- properties ---------------------------------------------------------------------------------------------------

_KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
_SCALARS = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False) | _KEYS
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
                       max_leaves=12)
_DOCUMENTS = st.dictionaries(_KEYS, st.dictionaries(_KEYS, _VALUES, max_size=6) | _VALUES, max_size=5)
_LAYOUTS = st.sampled_from([{}, {"indent": 2}, {"indent": "\t"}, {"separators": (",", ":")},
                            {"indent": 1, "separators": (" ,\r\n", " : ")}, {"ensure_ascii": False, "indent": 0}])


@given(_DOCUMENTS, _LAYOUTS)
def test_any_document_in_any_layout_reads_as_loads_reads_it(document, layout):
    text = json.dumps(document, **layout)
    note(text)
    _same_as_loads(text, _read(text))


@given(_DOCUMENTS, _DOCUMENTS, _LAYOUTS, st.data())
def test_a_revision_read_after_another_equals_a_fresh_read(first, second, layout, data):
    # The second revision shares most entries with the first: each of its members starts from the first's.
    for member, value in first.items():
        if isinstance(value, dict) and isinstance(second.get(member, {}), dict):
            second[member] = {**value, **second.get(member, {})} if data.draw(st.booleans()) else value
    base_text, head_text = json.dumps(first, **layout), json.dumps(second, **layout)
    note(head_text)
    head = _read(head_text, _read(base_text, keep_layouts=True))
    _same_as_loads(head_text, head)


@pytest.mark.parametrize("name", ["package-lock", "pipfile-lock"])
@given(data=st.data())
def test_mutated_lockfiles_read_as_loads_reads_them_with_and_without_the_base(name, data):
    texts = seeds(name)
    if not texts:
        pytest.skip(f"no {name} seeds (the shared corpus is absent)")
    base_text = data.draw(st.sampled_from(texts))
    head_text = _mutate(base_text, data)
    note(head_text[:2000])
    expected = _outcome(lambda: json_strict.loads(head_text, "x.json", "npm"))
    outcomes = [_outcome(lambda: _read(head_text))]
    base = _outcome(lambda: _read(base_text, keep_layouts=True))
    if base[0] == "ok":  # some seeds are broken on purpose (edge cases from a peer's tests)
        outcomes.append(_outcome(lambda: _read(head_text, base[1])))
    for got in outcomes:
        if expected[0] == "error":
            assert got == expected
        else:
            assert got[0] == "ok"
            _same_as_loads(head_text, got[1])
