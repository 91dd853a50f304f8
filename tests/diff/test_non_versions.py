"""diff: a non-version (``*``, or nothing) is never compared as a version. An entry without a version whose
specifier goes from nothing to ``*`` has not changed; one whose source moves is source-changed, whatever its
specifier says (Pipfile.lock path and editable entries, whose ``"version"`` pipenv writes as ``"*"``)."""

from __future__ import annotations

import json

import pytest

from checker.diff.changes import diff_dependencies
from checker.manifests.pipfile_lock import parse
from checker.model import Dependency, Source


def _pipfile_lock(entry: dict) -> tuple[Dependency, ...]:
    data = {"_meta": {"pipfile-spec": 6, "sources": [{"name": "pypi", "url": "https://pypi.org/simple",
                                                       "verify_ssl": True}]},
            "default": {"mypkg": entry}}
    return parse(json.dumps(data), "Pipfile.lock", lambda path: None).dependencies


def _kinds(before: dict, after: dict) -> list[str]:
    return [change.kind for change in diff_dependencies(_pipfile_lock(before), _pipfile_lock(after))]


@pytest.mark.parametrize("entry", [{"editable": True, "path": "."}, {"path": "./vendor/mypkg"},
                                   {"git": "https://github.com/o/mypkg.git", "ref": "0" * 40}])
def test_a_version_written_as_star_is_no_change(entry: dict) -> None:
    assert _kinds(entry, {**entry, "version": "*"}) == []
    assert _kinds({**entry, "version": "*"}, entry) == []


@pytest.mark.parametrize("versions", [(None, "*"), ("*", None), ("*", "*"), (None, None)])
def test_a_path_that_moves_is_source_changed(versions: tuple) -> None:
    before, after = {"editable": True, "path": "./a"}, {"editable": True, "path": "./b"}
    for entry, version in zip((before, after), versions):
        if version is not None:
            entry["version"] = version
    assert _kinds(before, after) == ["source-changed"]


@pytest.mark.parametrize("ecosystem", ["npm", "pypi"])
def test_any_ecosystem_star_and_nothing_are_the_same_range(ecosystem: str) -> None:
    def dep(specifier: str, source: Source) -> Dependency:
        return Dependency(ecosystem=ecosystem, name="a", version=None, specifier=specifier, source=source)

    here, there = Source("path", url="./a"), Source("path", url="./b")
    assert diff_dependencies([dep("", here)], [dep("*", here)]) == []
    assert [c.kind for c in diff_dependencies([dep("", here)], [dep("*", there)])] == ["source-changed"]
    assert [c.kind for c in diff_dependencies([dep(">=1", here)], [dep("*", here)])] == ["upgraded"]  # a range moved
