"""The limits lockgate puts on hostile input, each a clear error naming the file (and the line when known) and
saying what was expected: file size, YAML alias expansion, nesting depth, numbers too long to convert, the
number of requirements includes, symbolic links leaving the repository, and control characters in paths and
names (which also never reach any output raw).

The parse limits are checked on every format that can hit them; the snapshot limits on every kind of snapshot
(a revision, the index, the worktree, and the GitHub API fallback).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import unreadable_lines
from checker.manifests.collect import SnapshotManifests, candidate_paths, load_all
from checker.manifests.includes import MAX_REACHED_FILES, walk
from checker.model import Problem
from checker.errors import ManifestError, SnapshotError, UsageError
from checker.manifests import FORMATS_BY_NAME
from checker.manifests.common import MAX_NESTING
from checker.snapshot.trees import (
    MAX_FILE_BYTES,
    BlobReader,
    IndexSnapshot,
    RevisionSnapshot,
    WorktreeSnapshot,
    max_file_bytes,
)
from tests.fakes.github_api import FakeGitHub

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "ghs_limits0123456789"
# Every control character the outputs must never carry raw (ANSI escapes, NUL, bidi overrides, invisible and
# line-separating characters); tab, newline and carriage return are the formats' own business.
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]")


def parse(fmt: str, text: str, path: str, read=lambda p: None):  # type: ignore[no-untyped-def]
    return FORMATS_BY_NAME[fmt].parse(text, path, read)


def parse_error(fmt: str, text: str, path: str, read=lambda p: None) -> ManifestError:  # type: ignore[no-untyped-def]
    with pytest.raises(ManifestError) as caught:
        parse(fmt, text, path, read)
    return caught.value


# ---------------------------------------------------------------------------------------------------------------
# File size


@pytest.mark.parametrize(("value", "limit"), [
    ("", MAX_FILE_BYTES), ("100", 100), ("128M", 128 * 1024**2), ("64MiB", 64 * 1024**2), ("10kb", 10 * 1024),
    ("1g", 1024**3), (" 2K ", 2048),
])
def test_the_file_size_limit_comes_from_the_environment(monkeypatch, value, limit):
    monkeypatch.setenv("LOCKGATE_MAX_FILE_BYTES", value)
    assert max_file_bytes() == limit


@pytest.mark.parametrize("value", ["0", "-5", "abc", "1.5M", "12T", "9" * 16])
def test_a_bad_file_size_limit_is_a_usage_error(monkeypatch, value):
    monkeypatch.setenv("LOCKGATE_MAX_FILE_BYTES", value)
    with pytest.raises(UsageError) as caught:
        max_file_bytes()
    assert caught.value.message == (
        f"LOCKGATE_MAX_FILE_BYTES={value.strip()!r} is not a size; expected a positive number of bytes, "
        "such as 134217728 or 128M"
    )


def _limit_message(path: str, size: int, limit: int) -> str:
    return (f"{path}: file is {size:,} bytes, larger than the {limit:,}-byte limit for a manifest "
            "(set LOCKGATE_MAX_FILE_BYTES to change it)")


def test_every_git_snapshot_refuses_a_file_over_the_limit(repo, monkeypatch):
    big = "a==1\n" * 30  # 150 bytes
    commit = repo.commit("big", {"requirements.txt": big, "small.txt": "ok\n"})
    monkeypatch.setenv("LOCKGATE_MAX_FILE_BYTES", "100")
    with BlobReader(str(repo.path)) as blobs:
        for snapshot in (RevisionSnapshot(str(repo.path), commit, blobs), IndexSnapshot(str(repo.path), blobs),
                         WorktreeSnapshot(str(repo.path))):
            with pytest.raises(SnapshotError) as caught:
                snapshot.read("requirements.txt")
            assert caught.value.message == _limit_message("requirements.txt", 150, 100), type(snapshot).__name__
            assert snapshot.read("small.txt") == b"ok\n"  # the reader stays usable after a refusal


def test_the_api_snapshot_refuses_a_file_over_the_limit(monkeypatch):
    from checker.github.api import ApiSettings, GitHubClient, Redactor
    from checker.github.contents import ApiSnapshot

    with FakeGitHub() as fake:
        fake.add_token(TOKEN)
        fake.add_tree("c0ffee", {"requirements.txt": b"a==1\n" * 30, "small.txt": b"ok\n"})
        client = GitHubClient(ApiSettings(TOKEN, fake.full_name, fake.api_url, write_interval=0), Redactor(TOKEN))
        monkeypatch.setenv("LOCKGATE_MAX_FILE_BYTES", "100")
        snapshot = ApiSnapshot(client, "c0ffee")
        with pytest.raises(SnapshotError) as caught:
            snapshot.read("requirements.txt")
        assert caught.value.message == _limit_message("requirements.txt", 150, 100)
        assert snapshot.read("small.txt") == b"ok\n"


def test_the_command_line_reports_the_limit_and_a_bad_value(repo, monkeypatch, capsys):
    repo.commit("base", {"requirements.txt": "a==1\n"})
    repo.write("requirements.txt", "a==2\n" * 40)
    monkeypatch.chdir(repo.path)
    monkeypatch.setenv("LOCKGATE_MAX_FILE_BYTES", "64")
    assert unreadable_lines(capsys, "--offline") == (1, [_limit_message("requirements.txt", 200, 64)])
    monkeypatch.setenv("LOCKGATE_MAX_FILE_BYTES", "lots")
    assert main(["check", "--offline"]) == 2
    assert capsys.readouterr().err == (
        "lockgate: error: LOCKGATE_MAX_FILE_BYTES='lots' is not a size; expected a positive number of bytes, "
        "such as 134217728 or 128M\n"
    )
    monkeypatch.setenv("LOCKGATE_MAX_FILE_BYTES", "1M")
    assert main(["check", "--offline"]) == 1  # read, and judged: an unpinned change blocks


# ---------------------------------------------------------------------------------------------------------------
# YAML aliases


def test_workflow_aliases_are_resolved_once_whatever_they_expand_to():
    """A billion laughs in a workflow costs its size: an alias is the very node of its anchor, walked once."""
    lines = ["on: push", "x0: &s0 [{uses: actions/checkout@v4}]"]
    lines += [f"x{i}: &s{i} [" + ", ".join([f"*s{i - 1}"] * 10) + "]" for i in range(1, 10)]
    lines += ["jobs:"] + [f"  j{i}:\n    runs-on: ubuntu-latest\n    steps: *s0" for i in range(50)]
    manifest = parse("gha-workflow", "\n".join(lines) + "\n", ".github/workflows/ci.yml")
    assert [(d.name, d.version, d.line) for d in manifest.dependencies] == [("actions/checkout", "v4", 2)]


@pytest.mark.parametrize(("fmt", "path", "text", "line"), [
    ("pnpm-lock", "pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters: &a\n  .: {}\nsnapshots: *a\n", 2),
    ("yarn-lock", "yarn.lock", "__metadata:\n  version: 6\n\n\"a@npm:1\": &e\n  version: 1.0.0\n\"b@npm:1\": *e\n", 4),
    ("pnpm-lock", "pnpm-lock.yaml", "lockfileVersion: '9.0'\nx:\n  <<: {a: 1}\n", 3),
])
def test_lockfile_yaml_refuses_anchors_aliases_and_merge_keys(fmt, path, text, line):
    error = parse_error(fmt, text, path)
    assert error.line == line
    assert error.message in ("YAML anchors and aliases are not allowed in a lockfile",
                             "YAML merge keys (<<) are not allowed in a lockfile")


# ---------------------------------------------------------------------------------------------------------------
# Nesting depth


def _isolated(code: str) -> str:
    """Run ``code`` in a fresh interpreter and return what it printed: a regression here would crash the process
    (ruamel.yaml's C composer overflows the C stack), which must fail this test, not end the test run."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, f"exit {done.returncode} (a negative code is a signal): {done.stderr[-2000:]}"
    return done.stdout


@pytest.mark.parametrize("body", [
    "'jobs:\\n  a:\\n    steps:\\n      ' + '- ' * 100000 + 'x\\n'",  # block sequences, compact
    "'? ' * 100000 + 'x\\n'",  # complex keys
    "'on: push\\njobs: ' + '[' * 100000 + ']' * 100000 + '\\n'",  # flow sequences
    "'on: push\\njobs:\\n' + ''.join(' ' * i + 'k%d:\\n' % i for i in range(1, 700))",  # indentation alone
])
@pytest.mark.parametrize("fmt", ["gha-workflow", "gha-action"])
def test_deep_yaml_in_workflows_is_an_error_not_a_crash(fmt, body):
    out = _isolated(f"""
        from checker.errors import ManifestError
        from checker.manifests import FORMATS_BY_NAME
        try:
            FORMATS_BY_NAME[{fmt!r}].parse({body}, "x.yml", lambda p: None)
        except ManifestError as error:
            print(error.line, error.message)
    """)
    line, message = out.strip().split(" ", 1)
    assert message == "nested more than 200 levels deep"
    assert int(line) >= 1


_DEEP_JSON = '{"name": "x",\n "dependencies": ' + '{"a": ' * 100_000 + '"1"' + "}" * 100_000 + "}"


@pytest.mark.parametrize(("fmt", "path"), [
    ("package-json", "package.json"), ("package-lock", "package-lock.json"), ("npm-shrinkwrap", "npm-shrinkwrap.json"),
    ("pipfile-lock", "Pipfile.lock"),
])
def test_deep_json_is_an_error_with_its_line(fmt, path):
    error = parse_error(fmt, _DEEP_JSON, path)
    assert (error.path, error.line, error.message) == (path, 2, f"nested more than {MAX_NESTING} levels deep")


def test_a_deep_package_json_beside_a_lockfile_is_an_error_naming_it():
    lock = '# yarn lockfile v1\n\n"a@^1":\n  version "1.0.0"\n'
    error = parse_error("yarn-lock", lock, "yarn.lock", lambda p: _DEEP_JSON if p == "package.json" else None)
    assert (error.path, error.line, error.message) == ("package.json", 2, f"nested more than {MAX_NESTING} levels deep")
    # package-lock.json reads its package.json only for what is direct, and leaves a broken one to its own parse.
    lock = '{"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0"}}}'
    manifest = parse("package-lock", lock, "package-lock.json", lambda p: _DEEP_JSON if p == "package.json" else None)
    assert [(d.name, d.direct) for d in manifest.dependencies] == [("a", True)]


_DEEP_TOML = 'version = 1\n\n[project]\nname = "x"\ndependencies = ' + "[" * 100_000 + "]" * 100_000 + "\n"


@pytest.mark.parametrize(("fmt", "path"), [
    ("pyproject", "pyproject.toml"), ("poetry-lock", "poetry.lock"), ("uv-lock", "uv.lock"), ("pylock", "pylock.toml"),
])
def test_deep_toml_is_an_error_with_its_line(fmt, path):
    error = parse_error(fmt, _DEEP_TOML, path)
    assert (error.line, error.message) == (5, f"nested more than {MAX_NESTING} levels deep")
    inline = parse_error(fmt, "version = 1\nx = " + "{a = " * 100_000 + "1" + "}" * 100_000 + "\n", path)
    assert (inline.line, inline.message) == (2, f"nested more than {MAX_NESTING} levels deep")


def test_deep_yaml_in_lockfiles_is_an_error():
    """Bounded while composing (32 levels: lockfiles nest five or so), which also keeps ruamel.yaml's pure-Python
    scanner linear: its work per token grows with the open flow levels."""
    from checker.manifests.lockyaml import MAX_DEPTH

    flow = parse_error("pnpm-lock", "lockfileVersion: '9.0'\nimporters: " + "[" * 50_000 + "]" * 50_000 + "\n",
                       "pnpm-lock.yaml")
    assert (flow.line, flow.message) == (2, f"nested more than {MAX_DEPTH} levels deep")
    block = parse_error("yarn-lock", "__metadata:\n  version: 6\nx:\n  " + "- " * 50_000 + "x\n", "yarn.lock")
    assert (block.line, block.message) == (4, f"nested more than {MAX_DEPTH} levels deep")


def test_deep_registry_documents_are_a_registry_error():
    from checker.registries.http import RegistryError, parse_json

    with pytest.raises(RegistryError) as caught:
        parse_json(b"[" * 100_000 + b"]" * 100_000, "https://registry.example/x")
    assert str(caught.value) == "invalid JSON from https://registry.example/x: nested too deeply"
    with pytest.raises(RegistryError) as caught:
        parse_json(b'{"time": ' + b"9" * 5000 + b"}", "https://registry.example/x")
    assert str(caught.value).startswith("invalid JSON from https://registry.example/x: Exceeds the limit (4300 digits)")


# ---------------------------------------------------------------------------------------------------------------
# Numbers too long to convert (Python refuses int() of more than 4300 digits with a bare ValueError)

_DIGITS = "9" * 5000


@pytest.mark.parametrize(("fmt", "path", "text", "line"), [
    ("uv-lock", "uv.lock", f"version = 1\n\n[[package]]\nname = \"a\"\nsize = {_DIGITS}\n", 5),
    ("poetry-lock", "poetry.lock", f"[metadata]\nlock-version = {_DIGITS}\n", 2),
    ("pylock", "pylock.toml", f"lock-version = \"1.0\"\nx = {_DIGITS}\n", 2),
    ("pyproject", "pyproject.toml", f"[project]\nname = \"x\"\nversion = {_DIGITS}\n", 3),
    ("package-json", "package.json", f'{{\n"name": "x",\n"version": {_DIGITS}\n}}', 3),
    ("package-lock", "package-lock.json", f'{{\n"lockfileVersion": {_DIGITS}\n}}', 2),
    ("pipfile-lock", "Pipfile.lock", f'{{\n"_meta": {{"pipfile-spec": {_DIGITS}}}\n}}', 2),
    ("pnpm-lock", "pnpm-lock.yaml", f"lockfileVersion: {_DIGITS}\n", 1),
    ("yarn-lock", "yarn.lock", f"__metadata:\n  version: {_DIGITS}\n", 2),
    ("yarn-lock", "yarn.lock", f"# yarn lockfile v1\n\na@^1:\n  version {_DIGITS}\n", 4),
])
def test_a_number_too_long_to_convert_is_an_error_with_its_line(fmt, path, text, line):
    error = parse_error(fmt, text, path)
    assert (error.path, error.line, error.message) == (path, line, "a number with more than 4300 digits")


# ---------------------------------------------------------------------------------------------------------------
# Requirements includes


def test_includes_are_bounded_with_the_line_of_the_include(repo):
    """Past the bound the walk stops, and the file whose include went past it is reported as only partly read
    (a finding, not a stopped run): what lies beyond is not judged."""
    files = {"requirements.txt": "-r deps/f0.pip\n"}
    files.update({f"deps/f{i}.pip": f"a{i}==1\n-r f{i + 1}.pip\n" for i in range(MAX_REACHED_FILES + 5)})
    repo.commit("chain", files)
    snapshot = WorktreeSnapshot(str(repo.path))
    found = candidate_paths(snapshot, ())
    graph = walk(SnapshotManifests(snapshot), found)
    assert len(graph.reached) == MAX_REACHED_FILES
    holder = f"deps/f{MAX_REACHED_FILES - 1}.pip"
    assert graph.problems == {holder: Problem(
        f"more than {MAX_REACHED_FILES} files reached through includes (the next: deps/f{MAX_REACHED_FILES}.pip); "
        "lockgate stops reading there, so what the rest of the graph installs is not judged", 2)}
    [manifest] = [m for m in load_all(snapshot, ()) if m.path == holder]
    assert manifest.problems[-1] == graph.problems[holder]


def test_files_found_by_name_do_not_count_towards_the_include_bound(repo):
    files = {f"requirements/r{i}.txt": f"a{i}==1\n" for i in range(MAX_REACHED_FILES + 50)}
    files["requirements/r0.txt"] = "-r ../shared.pip\n"
    repo.commit("many", {**files, "shared.pip": "b==1\n"})
    snapshot = WorktreeSnapshot(str(repo.path))
    found = candidate_paths(snapshot, ())
    graph = walk(SnapshotManifests(snapshot), found)
    assert set(graph.reached) == {"shared.pip"} and not graph.problems


def test_an_include_chain_in_one_parse_is_bounded():
    from checker.manifests import MAX_INCLUDED_FILES

    texts = {f"r{i}.txt": f"-r r{i + 1}.txt\n" for i in range(MAX_INCLUDED_FILES + 10)}
    error = parse_error("requirements", "-r r0.txt\n", "top.txt", texts.get)
    assert error.message == f"too many included files: more than {MAX_INCLUDED_FILES} (reached from top.txt)"


# ---------------------------------------------------------------------------------------------------------------
# Symbolic links that leave the repository


@pytest.mark.parametrize("target", ["../../etc/passwd", "/etc/passwd", "sub/../../outside.txt"])
def test_every_git_snapshot_refuses_a_link_out_of_the_repository(repo, target):
    (repo.path / "requirements.txt").symlink_to(target)
    commit = repo.commit("escape", {"keep.txt": "x\n"})
    with BlobReader(str(repo.path)) as blobs:
        for snapshot in (RevisionSnapshot(str(repo.path), commit, blobs), IndexSnapshot(str(repo.path), blobs)):
            with pytest.raises(SnapshotError) as caught:
                snapshot.read("requirements.txt")
            assert str(caught.value) == f"requirements.txt: symbolic link points outside the repository ({target})"
    with pytest.raises(SnapshotError) as caught:
        WorktreeSnapshot(str(repo.path)).read("requirements.txt")
    assert str(caught.value) == "requirements.txt: resolves outside the repository"


def test_a_worktree_link_through_a_linked_folder_is_refused(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "requirements.txt").write_text("evil==1\n")
    (repo.path / "vendor").symlink_to(outside)
    repo.commit("linked folder", {"keep.txt": "x\n"})
    with pytest.raises(SnapshotError) as caught:
        WorktreeSnapshot(str(repo.path), in_git=False).read("vendor/requirements.txt")
    assert str(caught.value) == "vendor/requirements.txt: resolves outside the repository"


def test_a_link_loop_is_an_error(repo):
    (repo.path / "a.txt").symlink_to("b.txt")
    (repo.path / "b.txt").symlink_to("a.txt")
    commit = repo.commit("loop", {"keep.txt": "x\n"})
    with BlobReader(str(repo.path)) as blobs:
        with pytest.raises(SnapshotError, match="too many levels of symbolic links"):
            RevisionSnapshot(str(repo.path), commit, blobs).read("a.txt")


def test_the_api_snapshot_follows_links_inside_and_refuses_links_out():
    from checker.github.api import ApiSettings, GitHubClient, Redactor
    from checker.github.contents import ApiSnapshot

    with FakeGitHub() as fake:
        fake.add_token(TOKEN)
        fake.add_tree("c0ffee", {"real/requirements.txt": b"a==1\n", "requirements.txt": b"real/requirements.txt",
                                 "up.txt": b"../../etc/passwd", "abs.txt": b"/etc/passwd"})
        fake.symlinks["c0ffee"] = {"requirements.txt", "up.txt", "abs.txt"}
        client = GitHubClient(ApiSettings(TOKEN, fake.full_name, fake.api_url, write_interval=0), Redactor(TOKEN))
        snapshot = ApiSnapshot(client, "c0ffee")
        assert snapshot.read("requirements.txt") == b"a==1\n"
        for link, target in (("up.txt", "../../etc/passwd"), ("abs.txt", "/etc/passwd")):
            with pytest.raises(SnapshotError) as caught:
                snapshot.read(link)
            assert str(caught.value) == f"{link}: symbolic link points outside the repository ({target})"


# ---------------------------------------------------------------------------------------------------------------
# Control characters in paths and names


@pytest.mark.parametrize(("name", "code"), [
    ("requirements-\x1b[31m.txt", "001B"), ("requirements-\u202etxt.txt", "202E"), ("requirements\nx.txt", "000A"),
])
def test_a_manifest_whose_name_holds_a_control_character_is_refused(repo, monkeypatch, capsys, name, code):
    """Refused as unreadable (a finding that blocks), with the name shown escaped in every format."""
    repo.commit("base", {"keep.txt": "x\n"})
    repo.write(name, "a==1\n")
    monkeypatch.chdir(repo.path)
    exit_code, found = unreadable_lines(capsys, "--offline")
    assert exit_code == 1 and len(found) == 1
    assert f"the file name {name!r} contains the control character U+{code}" in found[0]
    for fmt in ("text", "markdown", "sarif", "github"):
        assert main(["check", "--offline", "--format", fmt]) == 1
        out, err = capsys.readouterr()
        assert err == "" and "unreadable" in out and not RAW_CONTROL.search(out), fmt


@pytest.mark.parametrize(("evil", "reason"), [
    ("evil\u202egpj", "contains the control character U+202E"), ("evil\x1b[2J", "contains the control character U+001B"),
    ("e\nvil", "is not a package name"),  # refused by the parser itself already
])
def test_a_package_name_with_a_control_character_is_refused_at_its_line(repo, monkeypatch, capsys, evil, reason):
    lock = {"name": "app", "lockfileVersion": 3, "requires": True, "packages": {
        "": {"name": "app", "dependencies": {evil: "1.0.0"}},
        f"node_modules/{evil}": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/x/-/x-1.0.0.tgz",
                                 "integrity": "sha512-" + "A" * 86 + "=="}}}
    repo.commit("base", {"keep.txt": "x\n"})
    repo.write("package-lock.json", json.dumps(lock, indent=2))
    monkeypatch.chdir(repo.path)
    exit_code, found = unreadable_lines(capsys, "--offline")
    assert exit_code == 1 and len(found) == 1 and found[0].startswith("package-lock.json:12: package ")
    assert reason in found[0]
    assert main(["check", "--offline"]) == 1
    assert not RAW_CONTROL.search(capsys.readouterr().out)


def _add_raw_path(repo, raw: bytes, content: bytes) -> None:
    """Stage a file under a name of arbitrary bytes: git allows any bytes but NUL and ``/`` in a name, whatever
    the file system would allow (``update-index --cacheinfo`` never touches the file system)."""
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo.path, env=repo.env, input=content,
                          capture_output=True, check=True).stdout.strip()
    subprocess.run([b"git", b"update-index", b"--add", b"--cacheinfo", b"100644," + blob + b"," + raw],
                   cwd=repo.path, env=repo.env, check=True, capture_output=True)


_NOT_UTF8 = [
    (b"requirements-\xff.txt", b"a==1.0\n", "requirements-\\xff.txt", "byte 0xff"),
    (b"svc-\xe9t\xe9/package.json", b'{"name": "svc", "dependencies": {"lodash": "^4.17.21"}}',  # Latin-1 "été"
     "svc-\\xe9t\\xe9/package.json", "byte 0xe9"),
]


@pytest.mark.parametrize(("raw", "content", "shown", "byte"), _NOT_UTF8, ids=["requirements", "directory"])
@pytest.mark.parametrize("mode", ["revisions", "all", "staged"])
@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif", "github"])
def test_a_manifest_whose_path_is_not_utf8_is_refused_naming_it(repo, monkeypatch, capsys, raw, content, shown, byte,
                                                                mode, fmt):
    """A real repository holding a manifest under a name that is not UTF-8: one clear finding naming the path with
    the byte escaped, in every output format, instead of a crash where the name is printed or encoded (markdown
    and SARIF ended in "internal error: UnicodeEncodeError") or a name printed as mojibake."""
    base = repo.commit("base", {"keep.txt": "x\n"})
    _add_raw_path(repo, raw, content)
    if mode != "staged":
        repo.git("commit", "-q", "-m", "head")
    monkeypatch.chdir(repo.path)
    args = {"revisions": ["--base", base, "--head", "HEAD"], "all": ["--all", "--head", "HEAD"],
            "staged": ["--staged"]}[mode]
    assert main(["check", "--offline", "--format", fmt, *args]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    message = f"the file name '{shown}' is not valid UTF-8 ({byte}): refusing a name lockgate cannot show as it is"
    if fmt == "json":
        [finding] = [f for f in json.loads(out)["findings"] if f["rule"] == "unreadable-manifest"]
        assert (finding["manifest"], finding["message"]) == (shown, f"cannot be read: {message}")
    else:
        assert byte in out and ("xff" if "xff" in shown else "xe9") in out, out  # escaped as each format escapes
        out.encode("utf-8")  # nothing that is not text


def test_a_file_that_is_no_manifest_may_have_any_name(repo, monkeypatch, capsys):
    """Only manifests are judged, so only their names must be text: a stray file named in Latin-1 changes nothing."""
    base = repo.commit("base", {"requirements.txt": "a==1.0\n"})
    _add_raw_path(repo, b"notes-\xe9t\xe9.md", b"summer\n")
    repo.write("requirements.txt", "a==1.1\n")
    repo.git("add", "requirements.txt")
    repo.git("commit", "-q", "-m", "head")
    monkeypatch.chdir(repo.path)
    assert main(["check", "--offline", "--format", "json", "--base", base, "--head", "HEAD"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [(c["manifest"], c["name"], c["from"], c["to"]) for c in doc["changes"]] == [
        ("requirements.txt", "a", "1.0", "1.1")]


def test_a_lone_surrogate_in_a_package_name_is_refused_at_its_line(repo, monkeypatch, capsys):
    """JSON can spell a lone surrogate (``"\\ud800"``), which is no text either."""
    lock = ('{"name": "app", "lockfileVersion": 3, "requires": true, "packages": {\n'
            '  "": {"name": "app", "dependencies": {"\\ud800x": "1.0.0"}},\n'
            '  "node_modules/\\ud800x": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/x/-/x-1.0.0.tgz",'
            ' "integrity": "sha512-' + "A" * 86 + '=="}}}\n')
    repo.commit("base", {"keep.txt": "x\n"})
    repo.write("package-lock.json", lock)
    monkeypatch.chdir(repo.path)
    assert unreadable_lines(capsys, "--offline") == (1, [
        "package-lock.json:3: package name '\\ud800x' contains the lone surrogate U+D800, which is "
        "not text: refusing a name lockgate cannot show as it is"])


def test_an_error_naming_a_path_that_is_not_utf8_prints_its_bytes_escaped():
    error = ManifestError("not UTF-8 text (byte 0xfe)", b"dir\xff/requirements.txt".decode("utf-8", "surrogateescape"), 2)
    assert str(error) == "dir\\xff/requirements.txt:2: not UTF-8 text (byte 0xfe)"


def test_an_error_message_never_prints_raw_control_characters(monkeypatch, capsys):
    def boom(args):  # type: ignore[no-untyped-def]
        raise ManifestError("bad \x1b[31mvalue\u202e\nnext", "dir\x1b]0;title\x07/requirements.txt", 3)

    monkeypatch.setattr(__import__("checker.commands.explain", fromlist=["run"]), "run", boom)
    assert main(["explain"]) == 2
    assert capsys.readouterr().err == "lockgate: error: dir?]0;title?/requirements.txt:3: bad ?[31mvalue? next\n"


def test_no_output_format_carries_raw_control_characters():
    from tests.report.test_hostile import FIELDS, HOSTILE, outputs

    rendered = outputs({field: HOSTILE for field in FIELDS})
    assert set(rendered) >= {"text", "json", "markdown", "sarif", "github", "comment", "compact"}
    for name, text in rendered.items():
        if name in ("markdown", "markdown+context", "comment"):
            # lockgate's own zero-width space after @, # and GH defuses mentions and references; nothing else.
            text = re.sub("(?i)([@#]|gh)\u200b", r"\1", text)
        found = RAW_CONTROL.search(text)
        assert found is None, (name, hex(ord(found.group())), text[max(0, found.start() - 40):found.end() + 40])
    doc = json.loads(rendered["json"])
    assert HOSTILE in doc["changes"][0]["name"]  # escaped in the text, the same value to a JSON reader
    assert "\\u202e" in rendered["json"] and "\\u202e" in rendered["sarif"]


def test_annotations_escape_control_characters_but_keep_the_toolkits_escapes():
    from checker.report.annotations import command

    line = command("error", "a\x1b[31m\u202e%\r\nb", file="x\x00:y,z.txt", line=3)
    assert line == "::error file=x?%3Ay%2Cz.txt,line=3::a?[31m?%25%0D%0Ab"


def test_a_pr_run_with_an_unreadable_manifest_escapes_its_path_in_the_summary_and_the_status(repo, tmp_path):
    from tests.fakes.runner import Runner

    evil = "requirements-`<img src=x>\x1b[31m`.txt"
    with FakeGitHub() as fake:
        fake.add_token(TOKEN)
        base = repo.commit("base", {"keep.txt": "x\n"})
        head = repo.commit("evil", {evil: "a==1\n"})
        fake.add_pull(5, "mallory", base, head)
        runner = Runner(tmp_path, repo.path, fake, repo.env)
        result = runner.run("pull_request", runner.pull_event(), token=TOKEN)
    assert result.code == 1
    assert "<img" not in result.summary and "\x1b" not in result.summary
    assert "unreadable" in result.summary and "&lt;img src=x&gt;" in result.summary
    [status] = fake.statuses[head]
    assert status["state"] == "failure" and "\x1b" not in status["description"]
    assert not RAW_CONTROL.search(result.stderr) and not RAW_CONTROL.search(result.stdout)


def test_the_review_ledger_has_the_policy_files_bounds() -> None:
    """The ledger is YAML a pull request can edit; it is read with the policy's reader and its bounds."""
    from checker.errors import PolicyError
    from checker.review.ledger import parse_ledger

    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index, name in enumerate("bcde"):
        previous = "abcd"[index]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    bomb = "\n".join(levels) + "\nreviews: [*e]\n"
    with pytest.raises(PolicyError) as caught:
        parse_ledger(bomb, ".github/lockgate-reviews.yml")
    assert str(caught.value) == (
        ".github/lockgate-reviews.yml:1: expands to more than 100,000 values through YAML aliases: refusing an alias bomb")
    deep = "reviews:\n" + "".join("  " * depth + "- \n" for depth in range(1, 80))
    with pytest.raises(PolicyError) as caught:
        parse_ledger(deep, ".github/lockgate-reviews.yml")
    assert "nested more than 64 levels deep" in str(caught.value)
