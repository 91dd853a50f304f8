"""The command line end to end, in real temporary git repositories: verdicts, exit codes, formats, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from checker.cli import main

HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64
HASH_C = "sha256:" + "c" * 64


def pinned(name: str, version: str, *hashes: str) -> str:
    lines = [f"{name}=={version}"] + [f"    --hash={h}" for h in hashes]
    return " \\\n".join(lines) + "\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_json(capsys, repo, *extra: str) -> tuple[int, dict]:
    code, out, err = run(capsys, "check", "-C", str(repo.path), "--format", "json", *extra)
    assert err == "", err
    return code, json.loads(out)


def unreadable(capsys, repo, *extra: str) -> tuple[int, list[str]]:
    """Exit code and the unreadable-manifest findings (``manifest:line: message``, ``level``) of a JSON check."""
    code, doc = check_json(capsys, repo, *extra)
    return code, [f"{f['manifest']}:{f['line']}: {f['message']} [{f['level']}]"
                  for f in doc["findings"] if f["rule"] == "unreadable-manifest"]


def test_version_is_printed(capsys):
    """The release and the policy file format it reads, from their one place (checker/__init__.py)."""
    from checker import POLICY_SCHEMA_VERSION, __version__

    code, out, _ = run(capsys, "--version")
    assert code == 0 and out == f"lockgate {__version__} (policy schema {POLICY_SCHEMA_VERSION})\n"
    with pytest.raises(SystemExit) as exit_info:  # argparse's --version, among other arguments: the same line
        main(["--version", "check"])
    assert exit_info.value.code == 0 and capsys.readouterr().out == out


def test_demo_blocks_litellm_and_explains(capsys):
    code, out, err = run(capsys, "demo")
    assert code == 1, err
    assert "BLOCKED" in out
    assert "litellm 1.82.8 is a known-malicious release" in out
    assert "action-pinning: aquasecurity/trivy-action@0.33.1 is pinned to a tag" in out
    assert "✓ upgraded       pytest 8.3.4 -> 8.3.5 (patch) [dev]" in out  # the clean bump passes
    code, out, _ = run(capsys, "demo", "--format", "json")
    doc = json.loads(out)
    assert doc["verdict"] == "block"
    assert {(c["name"], c["kind"]) for c in doc["changes"]} == {
        ("litellm", "upgraded"), ("aquasecurity/trivy-action", "upgraded"), ("pytest", "upgraded"),
        ("requests", "upgraded")}


def test_upgrade_is_reported_in_the_json_contract(capsys, repo):
    base = repo.commit("base", {"requirements.txt": pinned("LiteLLM", "1.82.6", HASH_A)})
    head = repo.commit("bump", {"requirements.txt": "# deps\n" + pinned("litellm", "1.82.9", HASH_B)})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 1
    assert doc["schema"] == "lockgate/v1" and doc["base"] == base and doc["head"] == head
    assert doc["verdict"] == "block"
    [change] = doc["changes"]
    assert change == {
        "ecosystem": "pypi", "name": "litellm", "manifest": "requirements.txt", "line": 2, "kind": "upgraded",
        "from": "1.82.6", "to": "1.82.9", "bump": "patch", "from_label": None, "to_label": None, "scope": "prod",
        "direct": True, "review": "required", "review_evidence": None,
    }
    [finding] = [f for f in doc["findings"] if not f["unknown"]]  # registry facts are unknown: no registry in tests
    assert finding["rule"] == "review" and finding["level"] == "block" and finding["line"] == 2
    assert finding["version"] == "1.82.9" and finding["manifest"] == "requirements.txt"


def test_commit_without_manifest_changes_passes(capsys, repo):
    base = repo.commit("base", {"requirements.txt": pinned("a", "1", HASH_A), "README.md": "x"})
    head = repo.commit("docs", {"README.md": "y"})
    code, out, _ = run(capsys, "check", "-C", str(repo.path), "--base", base, "--head", head)
    assert code == 0
    assert out.endswith("\n\nPASSED: no dependency changes · no findings\n")


def test_head_defaults_to_parent_and_worktree(capsys, repo):
    repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    repo.commit("bump", {"requirements.txt": pinned("a", "2.0", HASH_B)})
    code, doc = check_json(capsys, repo, "--head", "HEAD")
    assert [c["bump"] for c in doc["changes"]] == ["major"]
    repo.write("requirements.txt", pinned("a", "2.1", HASH_C))
    code, doc = check_json(capsys, repo)  # worktree against HEAD
    assert [(c["from"], c["to"]) for c in doc["changes"]] == [("2.0", "2.1")]


def test_staged_first_commit_compares_with_empty_tree(capsys, repo):
    repo.write("requirements.txt", pinned("a", "1.0", HASH_A))
    repo.git("add", "requirements.txt")
    code, doc = check_json(capsys, repo, "--staged")
    assert [(c["name"], c["kind"]) for c in doc["changes"]] == [("a", "added")]
    assert doc["base"] == "empty tree" and doc["head"] == "index"


def test_ledger_on_base_counts_but_ledger_added_by_the_change_does_not(capsys, repo):
    ledger = (
        "reviews:\n"
        "  - {package: 'pypi:a', from: '1.0', to: '1.1', reviewer: alice, date: 2026-01-02, reason: diffed}\n"
    )
    base = repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    head = repo.commit("bump+ledger", {"requirements.txt": pinned("a", "1.1", HASH_B), ".github/lockgate-reviews.yml": ledger})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and doc["changes"][0]["review"] == "required"
    base2 = repo.commit("ledger first", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    head2 = repo.commit("bump", {"requirements.txt": pinned("a", "1.1", HASH_B)})
    code, doc = check_json(capsys, repo, "--base", base2, "--head", head2)
    assert code == 0, doc
    assert doc["changes"][0]["review"] == "reviewed"
    assert doc["changes"][0]["review_evidence"].startswith("ledger .github/lockgate-reviews.yml:2 by alice")


def test_policy_is_read_from_base_and_ignores_paths(capsys, repo):
    policy = "extends: default\npaths:\n  ignore: ['examples/**']\nrules:\n  review: off\n"
    base = repo.commit("base", {".github/lockgate.yml": policy, "examples/requirements.txt": "x==1\n"})
    head = repo.commit("ex", {"examples/requirements.txt": "x>=2\n", "requirements.txt": pinned("b", "1", HASH_A)})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert doc["policy"] == ".github/lockgate.yml"
    assert [c["manifest"] for c in doc["changes"]] == ["requirements.txt"]
    assert code == 0


def test_a_pull_request_cannot_loosen_its_own_policy(capsys, repo):
    base = repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    head = repo.commit("loosen", {".github/lockgate.yml": "rules:\n  review: off\n", "requirements.txt": pinned("a", "1.1", HASH_B)})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and doc["policy"] == "preset:default"


def test_include_with_unrecognised_name_is_followed(capsys, repo):
    base = repo.commit("base", {"requirements.txt": "-r common.pip\n", "common.pip": pinned("c", "1.0", HASH_A)})
    head = repo.commit("bump", {"common.pip": pinned("c", "1.5", HASH_B)})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head)
    assert [(c["manifest"], c["name"], c["bump"]) for c in doc["changes"]] == [("common.pip", "c", "minor")]


def test_exception_waives_and_expired_exception_reports(capsys, repo):
    policy = (
        "exceptions:\n"
        "  - {rule: exact-pinning, package: 'pypi:loose', reason: 'migration', expires: 2030-01-01}\n"
        "  - {rule: review, package: 'pypi:*', reason: 'old', expires: 2020-01-01}\n"
    )
    base = repo.commit("base", {".github/lockgate.yml": policy, "requirements.txt": "a==1\n"})
    head = repo.commit("add", {"requirements.txt": "a==1\nloose>=1\n"})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head, "--now", "2026-06-01T00:00:00Z")
    by_rule = {f["rule"]: f for f in doc["findings"]}
    assert by_rule["exact-pinning"]["excepted"].startswith("migration (until 2030-01-01")
    assert by_rule["exception-expired"]["level"] == "warn" and by_rule["exception-expired"]["line"] == 3
    assert by_rule["review"]["excepted"] is None


def test_check_all_judges_every_dependency(capsys, repo):
    repo.commit("base", {"requirements.txt": "a==1\nb>=2\n", "sub/requirements.txt": pinned("c", "1", HASH_A)})
    code, doc = check_json(capsys, repo, "--all", "--head", "HEAD")
    assert code == 1
    assert doc["mode"] == "all" and doc["changes"] == []
    assert ("exact-pinning", "b") in {(f["rule"], f["name"]) for f in doc["findings"]}
    code, doc = check_json(capsys, repo, "--all", "--head", "HEAD", "sub")
    assert code == 0 and [f for f in doc["findings"] if not f["unknown"]] == []


def test_check_all_with_paths_reads_only_manifests_under_them(capsys, repo):
    """A broken manifest outside the paths asked about is not even read; the same file inside them is a finding."""
    repo.commit("base", {"broken/uv.lock": "version = [\n", "sub/requirements.txt": pinned("c", "1", HASH_A)})
    code, doc = check_json(capsys, repo, "--all", "--head", "HEAD", "sub")
    assert code == 0 and {f["manifest"] for f in doc["findings"]} <= {"sub/requirements.txt"}
    code, found = unreadable(capsys, repo, "--all", "--head", "HEAD", "broken")
    assert code == 1 and len(found) == 1 and found[0].startswith("broken/uv.lock:1: cannot be read: not valid TOML")


def test_one_unreadable_manifest_does_not_hide_the_others(capsys, repo):
    """The broken file is a finding (block: the change touches it); the bump beside it is still judged."""
    base = repo.commit("base", {"requirements.txt": pinned("a", "1", HASH_A), "uv.lock": "version = 1\n"})
    head = repo.commit("head", {"requirements.txt": pinned("a", "2", HASH_B), "uv.lock": "version = [\n"})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head, "--offline")
    assert code == 1
    assert [(c["name"], c["kind"]) for c in doc["changes"]] == [("a", "upgraded")]
    assert {(f["rule"], f["manifest"], f["level"]) for f in doc["findings"] if not f["unknown"]} == {
        ("review", "requirements.txt", "block"), ("unreadable-manifest", "uv.lock", "block")}
    code, out, _ = run(capsys, "diff", "-C", str(repo.path), "--base", base, "--head", head)
    assert code == 1 and out.splitlines()[0] == "requirements.txt: upgraded a 1 -> 2 (major)"
    assert out.splitlines()[1].startswith("uv.lock:1: unreadable: not valid TOML")


def test_an_unchanged_broken_file_is_not_this_changes_finding(capsys, repo):
    """requirements.txt did not change; only the file it includes did. The change is judged; the old problem of a
    file the change did not touch is not read again (check --all reports it)."""
    base = repo.commit("base", {"requirements.txt": "-r base.pip\nfoo===\n", "base.pip": pinned("a", "1", HASH_A)})
    head = repo.commit("head", {"base.pip": pinned("a", "2", HASH_B)})
    code, doc = check_json(capsys, repo, "--base", base, "--head", head, "--offline")
    assert [(c["manifest"], c["kind"]) for c in doc["changes"]] == [("base.pip", "upgraded")]
    assert not [f for f in doc["findings"] if f["rule"] == "unreadable-manifest"]
    code, found = unreadable(capsys, repo, "--all", "--head", head, "--offline")
    assert code == 1 and len(found) == 1 and found[0].startswith("requirements.txt:2: cannot be read: invalid "), found


@pytest.mark.parametrize(
    "path, content, expected",
    [
        ("pyproject.toml", "[project]\nname = 'x'\ndependencies = [\n", "pyproject.toml:"),
        ("requirements.txt", b"\x00\x01\x02binary\xff", "requirements.txt:1: binary data, expected a text file"),
        ("requirements.txt", "ok==1\n\xe9t\xe9\n".encode("latin-1"), "requirements.txt:2: not UTF-8 text"),
        ("requirements.txt", "ok==1\nfoo==\n", "requirements.txt:2:"),
    ],
)
def test_bad_input_is_one_clear_finding(capsys, repo, path, content, expected):
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("bad", {path: content})
    code, found = unreadable(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and len(found) == 1 and found[0].endswith("[block]")
    where, _, message = expected.partition(": ")
    assert found[0].startswith(where if ":" in where else f"{where}:"), found
    assert message in found[0]
    code, out, err = run(capsys, "check", "-C", str(repo.path), "--base", base, "--head", head)
    assert code == 1 and err == "" and "Traceback" not in out and "unreadable-manifest" in out


def test_bad_policy_names_file_line_and_choices(capsys, repo):
    base = repo.commit("base", {".github/lockgate.yml": "rules:\n  hash-pinning:\n    level: loud\n", "requirements.txt": "a==1\n"})
    head = repo.commit("bump", {"requirements.txt": "a==2\n"})
    code, _, err = run(capsys, "check", "-C", str(repo.path), "--base", base, "--head", head)
    assert code == 2
    assert err.strip() == (
        "lockgate: error: .github/lockgate.yml:3: rules.hash-pinning.level must be one of off, info, warn, block; "
        "found 'loud'"
    )


def test_usage_errors_exit_2(capsys, repo):
    repo.commit("base", {"a.txt": "x"})
    code, _, err = run(capsys, "check", "-C", str(repo.path), "--base", "does-not-exist")
    assert code == 2 and "unknown revision 'does-not-exist'" in err
    code, _, err = run(capsys, "check", "-C", str(repo.path), "--now", "yesterday")
    assert code == 2 and "--now 'yesterday' is not an ISO 8601 time" in err
    code, _, err = run(capsys, "explain", "no-such-rule")
    assert code == 2 and "valid rules: hash-pinning" in err


def test_not_a_git_repository(capsys, tmp_path):
    code, _, err = run(capsys, "check", "-C", str(tmp_path))
    assert code == 2 and "is not inside a git repository" in err


def test_explain_lists_and_explains(capsys):
    code, out, _ = run(capsys, "explain")
    assert code == 0 and "hash-pinning" in out and "registry-source" in out
    code, out, _ = run(capsys, "explain", "deny")
    assert code == 0 and "litellm 1.82.7 and 1.82.8" in out and "Example:" in out


def test_init_writes_a_policy_that_loads(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "init")
    assert code == 0 and (tmp_path / ".github/lockgate.yml").exists()
    code, _, err = run(capsys, "init")
    assert code == 2 and "--force" in err
    from checker.policy.load import load_policy_file

    policy = load_policy_file(str(tmp_path / ".github/lockgate.yml"))
    assert policy.review.label == "dependencies-reviewed"


def test_schema_is_json(capsys):
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and "hash-pinning" in schema["properties"]["rules"]["properties"]


def test_review_command_appends_to_the_ledger(capsys, repo):
    repo.commit("base", {"requirements.txt": "litellm==1.82.6\n"})
    code, out, err = run(capsys, "review", "-C", str(repo.path), "LiteLLM", "1.82.6", "1.82.9", "--reason", "diffed", "--reviewer", "alice")
    assert code == 0, err
    text = (repo.path / ".github/lockgate-reviews.yml").read_text()
    assert "package: pypi:litellm" in text and "to: 1.82.9" in text and "reviewer: alice" in text


def test_installed_command_never_prints_a_traceback(repo):
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("bad", {"uv.lock": "version = [\n"})
    exe = os.path.join(os.path.dirname(sys.executable), "lockgate")
    done = subprocess.run([exe, "check", "--base", base, "--head", head], cwd=repo.path, capture_output=True, text=True)
    assert done.returncode == 1 and done.stderr == ""
    assert "BLOCK unreadable-manifest: line 1: cannot be read: not valid TOML" in done.stdout
    assert "Traceback" not in done.stdout


@pytest.mark.parametrize(
    "path, content, expected",
    [
        ("uv.lock", "version = 7\n", "uv.lock:1: "),
        ("poetry.lock", "[metadata]\nlock-version = \"9.0\"\n", "poetry.lock:"),
        ("Pipfile.lock", "", "Pipfile.lock:"),
        ("uv.lock", "", "uv.lock:"),
        ("pylock.toml", "lock-version = \"2.0\"\n", "pylock.toml:"),
    ],
)
def test_wrong_version_and_empty_lockfiles_are_clear_findings(capsys, repo, path, content, expected):
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("bad", {path: content})
    code, found = unreadable(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and len(found) == 1 and found[0].startswith(expected), found


def test_a_50_megabyte_file_is_one_clear_error(capsys, repo):
    garbage = ("%" * 1023 + "\n").encode() * (50 * 1024)  # 50 MiB of lines pip would reject
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("huge", {"requirements.txt": garbage})
    code, found = unreadable(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and len(found) == 1 and found[0].startswith("requirements.txt:1: cannot be read: "), found


def test_a_file_over_the_size_limit_is_refused_before_reading(capsys, repo, monkeypatch):
    import checker.snapshot.trees

    monkeypatch.setattr(checker.snapshot.trees, "MAX_FILE_BYTES", 1024)
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("big", {"requirements.txt": "a==1\n" * 1000})
    code, found = unreadable(capsys, repo, "--base", base, "--head", head)
    assert code == 1
    assert found == ["requirements.txt:None: cannot be read: file is 5,000 bytes, larger than the 1,024-byte limit "
                     "for a manifest (set LOCKGATE_MAX_FILE_BYTES to change it) [block]"]


def test_include_cycle_is_named(capsys, repo):
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("cycle", {"requirements.txt": "-r other.txt\n", "other.txt": "-r requirements.txt\n"})
    code, found = unreadable(capsys, repo, "--base", base, "--head", head)
    assert code == 1 and found and all("include cycle" in f for f in found)
    assert any("requirements.txt -> other.txt -> requirements.txt" in f for f in found), found
