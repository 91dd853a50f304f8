"""The head revision's parse may reuse what the base revision's parse built (checker/manifests/__init__.py,
``REUSES_BASE``): it must give exactly what a fresh parse of the head gives — the same Dependencies at the
head's lines, the same errors — whatever changed between the two revisions.

Hand-written pairs cover each way an entry can change while its key stays (version, flags, a flag turned into a
number, lines shifting, directness, links); a property test then mutates real lockfiles (text and data) and
compares the two parses of every mutant.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from tests.hypothesis_profiles import use_profile
from tests.property.test_parsers import _mutate, _mutate_tree, _outcome, seeds

from checker.manifests.collect import load_changed
from checker.errors import ManifestError
from checker.manifests import FORMATS_BY_NAME
from checker.manifests import package_lock
from checker.snapshot.trees import Snapshot

use_profile()

PATH = "package-lock.json"
SHA = "sha512-" + "A" * 86 + "=="


def _lock(packages: dict, root_deps: dict | None = None) -> str:
    root = {"name": "app", "version": "1.0.0", "dependencies": root_deps if root_deps is not None else {"a": "^1"}}
    return json.dumps({"name": "app", "lockfileVersion": 3, "requires": True, "packages": {"": root, **packages}},
                      indent=2) + "\n"


def _entry(name: str, version: str, **extra: object) -> dict:
    entry = {"version": version, "resolved": f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz",
             "integrity": SHA}
    entry.update(extra)
    return entry


BASE = {
    "node_modules/a": _entry("a", "1.0.0"),
    "node_modules/b": _entry("b", "2.0.0", dev=True),
    "node_modules/c": _entry("c", "3.0.0", optional=True, hasInstallScript=True),
    "node_modules/a/node_modules/b": _entry("b", "1.5.0"),
}


def _both(base_text: str, head_text: str) -> tuple[object, object]:
    """(head parsed after the base, with the memo; head parsed fresh), each a Manifest or (error, line)."""
    def reusing() -> object:
        memo: dict = {}
        try:
            package_lock.parse(base_text, PATH, lambda p: None, memo)
        except ManifestError:
            memo = {}
        return package_lock.parse(head_text, PATH, lambda p: None, memo)

    return _outcome(reusing), _outcome(lambda: package_lock.parse(head_text, PATH, lambda p: None))


def _same(base_text: str, head_text: str) -> object:
    reused, fresh = _both(base_text, head_text)
    assert reused == fresh
    return reused


def test_an_unchanged_head_gives_the_same_dependencies():
    text = _lock(BASE)
    outcome = _same(text, text)
    assert outcome[0] == "manifest" and len(outcome[1].dependencies) == 4


def test_lines_shift_when_an_entry_is_added_above():
    head = {"node_modules/0-first": _entry("0-first", "1.0.0"), **BASE}
    kind, manifest = _same(_lock(BASE), _lock(head))
    lines = {(d.name, d.version): d.line for d in manifest.dependencies}
    text = _lock(head).splitlines()
    assert text[lines[("a", "1.0.0")] - 1].strip().startswith('"node_modules/a"')


def test_a_changed_version_and_flags_are_read_again():
    head = dict(BASE)
    head["node_modules/a"] = _entry("a", "1.1.0")
    head["node_modules/b"] = _entry("b", "2.0.0")  # no longer dev
    head["node_modules/c"] = _entry("c", "3.0.0", optional=True)  # install script gone
    kind, manifest = _same(_lock(BASE), _lock(head))
    by_name = {(d.name, d.version): d for d in manifest.dependencies}
    assert by_name[("a", "1.1.0")].version == "1.1.0"
    assert by_name[("b", "2.0.0")].scope == "prod"
    assert by_name[("c", "3.0.0")].install_script is False


@pytest.mark.parametrize("number", [1, 1.0])
def test_a_flag_written_as_a_number_is_an_error_even_where_it_equals_the_base(number):
    head = dict(BASE)
    head["node_modules/b"] = {**BASE["node_modules/b"], "dev": number}  # 1 == True in Python
    reused, fresh = _both(_lock(BASE), _lock(head))
    assert reused == fresh
    assert reused[0] == "error" and "dev" in reused[1]


def test_directness_follows_the_head_root():
    kind, manifest = _same(_lock(BASE), _lock(BASE, root_deps={"a": "^1", "b": "^2"}))
    direct = {(d.name, d.version) for d in manifest.dependencies if d.direct}
    assert direct == {("a", "1.0.0"), ("b", "2.0.0")}


def test_links_and_workspace_members_are_read_again():
    base = {**BASE, "node_modules/lib": {"resolved": "libs/lib", "link": True},
            "libs/lib": {"name": "lib", "version": "0.1.0"}}
    head = {**base, "libs/lib": {"name": "lib", "version": "0.2.0"}}
    kind, manifest = _same(_lock(base), _lock(head))
    link = next(d for d in manifest.dependencies if d.source.kind == "path")
    assert link.version == "0.2.0"


def test_a_renamed_alias_is_read_again():
    head = dict(BASE)
    head["node_modules/a"] = {**BASE["node_modules/a"], "name": "evil"}
    kind, manifest = _same(_lock(BASE), _lock(head))
    assert any(d.name == "evil" for d in manifest.dependencies)


class _Files(Snapshot):
    """A snapshot of in-memory files, for load_changed."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files

    def entries(self) -> dict[str, str | None]:
        return {path: str(hash(text)) for path, text in self.files.items()}

    def read(self, path: str) -> bytes | None:
        text = self.files.get(path)
        return None if text is None else text.encode()


def test_load_changed_gives_the_head_what_a_fresh_parse_gives():
    head_text = _lock({"node_modules/0": _entry("0", "1.0.0"), **BASE, "node_modules/a": _entry("a", "1.2.0")})
    before, after = load_changed(_Files({PATH: _lock(BASE)}), _Files({PATH: head_text}), ())
    assert after == [FORMATS_BY_NAME["package-lock"].parse(head_text, PATH, lambda p: None)]
    assert before == [FORMATS_BY_NAME["package-lock"].parse(_lock(BASE), PATH, lambda p: None)]


# ---------------------------------------------------------------------------------------------------------------
# Mutated real lockfiles


def _flag_numbers(tree: object, data: st.DataObject) -> object:
    """A copy of a lockfile's data with some flags turned into the numbers Python finds equal to them."""
    tree = json.loads(json.dumps(tree))
    packages = tree.get("packages") if isinstance(tree, dict) else None
    if isinstance(packages, dict):
        for entry in packages.values():
            if isinstance(entry, dict):
                for flag in ("dev", "optional", "devOptional", "inBundle", "hasInstallScript", "link"):
                    if isinstance(entry.get(flag), bool) and data.draw(st.integers(0, 20)) == 0:
                        entry[flag] = data.draw(st.sampled_from([1, 0, 1.0, 0.0]))
    return tree


@pytest.mark.parametrize("name", ["package-lock"])
def test_mutated_lockfiles_parse_the_same_with_and_without_the_base(name):
    @given(data=st.data())
    def run(data):
        base = data.draw(st.sampled_from(seeds(name)), label="seed")
        how = data.draw(st.sampled_from(["text", "tree", "flags"]), label="how")
        if how == "text":
            head = base
            for _ in range(data.draw(st.integers(1, 3), label="mutations")):
                head = _mutate(head, data)
        else:
            try:
                tree = json.loads(base)
            except ValueError:
                return
            tree = _mutate_tree(tree, data) if how == "tree" else _flag_numbers(tree, data)
            head = json.dumps(tree, indent=data.draw(st.sampled_from([2, None]))) + "\n"
        note(f"head: {head[:2000]!r}")
        reused, fresh = _both(base, head)
        assert reused == fresh

    run()
