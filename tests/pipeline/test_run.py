"""The pipeline in process: a CheckRequest in, a Report out, each stage called in order; and the start-up fast
path, which answers a commit that changes no manifest without loading the model, the parsers or the policy."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from checker.pipeline.run import CheckRequest, exit_code, run_check, run_diff
from tests.conftest import GitRepo

NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
PINNED = "a==1.0 \\\n    --hash=sha256:" + "a" * 64 + "\n"
BUMPED = "a==1.1 \\\n    --hash=sha256:" + "b" * 64 + "\n"


def test_a_bump_between_two_revisions_is_one_change_judged_by_the_base_policy(repo: GitRepo) -> None:
    base = repo.commit("base", {"requirements.txt": PINNED})
    head = repo.commit("bump", {"requirements.txt": BUMPED})
    request = CheckRequest(directory=str(repo.path), base=base, head=head, head_mode="rev", offline=True, now=NOW)
    report = run_check(request)
    assert [(c.kind, c.before.version, c.after.version) for c in report.changes] == [("upgraded", "1.0", "1.1")]  # type: ignore[union-attr]
    assert (report.base, report.head, report.policy) == (base, head, "preset:default")
    assert report.verdict == "block" and exit_code(report) == 1  # offline: unknown facts, and the review
    assert {f.rule for f in report.findings} >= {"review"}
    assert all(f.unknown for f in report.findings if f.rule == "release-age")


def test_diff_reports_the_changes_and_judges_nothing(repo: GitRepo) -> None:
    base = repo.commit("base", {"requirements.txt": PINNED})
    repo.write("requirements.txt", BUMPED)  # the work tree, the default head
    report = run_diff(CheckRequest(directory=str(repo.path), base=base))
    assert [c.kind for c in report.changes] == ["upgraded"]
    assert report.findings == () and report.head == "worktree"


def test_a_commit_that_changes_no_manifest_loads_no_parser_policy_or_rule(repo: GitRepo) -> None:
    repo.commit("base", {"requirements.txt": PINNED, "README.md": "x\n"})
    repo.commit("docs", {"README.md": "y\n"})
    code, modules, stdout = _modules_after(repo, ["check", "--base", "HEAD~1", "--head", "HEAD", "--format", "json"])
    assert code == 0 and json.loads(stdout)["changes"] == []
    loaded = set(modules)
    assert "checker.pipeline.unchanged" in loaded
    assert not loaded & {"checker.pipeline.run", "checker.judge.engine", "checker.policy.load",
                         "checker.manifests.requirements", "checker.rules", "checker.diff.changes",
                         "checker.registries.osv", "checker.registries.advisories", "checker.versions.osv_ranges"}, sorted(loaded)
    assert "dataclasses" not in loaded and "cvss" not in loaded


def test_a_check_of_a_manifest_change_goes_on_to_the_full_pipeline(repo: GitRepo) -> None:
    repo.commit("base", {"requirements.txt": PINNED})
    repo.commit("bump", {"requirements.txt": BUMPED})
    probe = (
        "import sys\n"
        "from checker.cli import main\n"
        "code = main(['check', '--base', 'HEAD~1', '--head', 'HEAD', '--offline', '--format', 'json'])\n"
        "sys.stderr.write(' '.join(m for m in sys.modules if m.startswith('checker')))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=repo.path, capture_output=True, text=True)
    assert done.returncode == 1
    assert [c["to"] for c in json.loads(done.stdout)["changes"]] == ["1.1"]
    assert {"checker.pipeline.unchanged", "checker.pipeline.run", "checker.judge.engine"} <= set(done.stderr.split())


def test_the_hook_on_a_commit_that_changes_no_manifest_loads_nothing_of_osv(repo: GitRepo) -> None:
    """The pre-commit hook's fast path: a staged change to no manifest asks OSV nothing and imports none of it."""
    repo.commit("base", {"requirements.txt": PINNED, "README.md": "x\n"})
    repo.write("README.md", "y\n")
    repo.git("add", "README.md")
    code, modules, _ = _modules_after(repo, ["check", "--hook"])
    assert code == 0
    assert not set(modules) & {"checker.registries.osv", "checker.registries.advisories", "checker.versions.osv_ranges",
                               "checker.registries.stage", "cvss"}, modules


def _modules_after(repo: GitRepo, arguments: list[str]) -> tuple[int, list[str], str]:
    """Run ``lockgate <arguments>`` in a fresh interpreter: its exit code, the lockgate (and cvss, dataclasses)
    modules it loaded, and its output."""
    probe = (
        "import json, sys\n"
        "from checker.cli import main\n"
        f"code = main({arguments!r})\n"
        "sys.stderr.write(json.dumps([code, sorted(m for m in sys.modules if m.startswith(('checker', 'cvss')) "
        "or m == 'dataclasses')]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=repo.path, capture_output=True, text=True, check=True)
    code, modules = json.loads(done.stderr)
    return code, modules, done.stdout


def test_on_unknown_off_keeps_unknown_findings_at_level_off_in_the_json_output(repo: GitRepo, capsys) -> None:  # type: ignore[no-untyped-def]
    """Offline, every registry rule could not find out: with ``on-unknown: off`` (and ``hook.on-unknown: off`` in the
    hook) none of that counts, and the JSON output still lists each at level off for a tool."""
    from checker.cli import main

    policy = "extends: default\non-unknown: off\nhook: {on-unknown: off}\nrules: {review: 'off'}\n"
    repo.commit("base", {"requirements.txt": f"requests==2.31.0 --hash=sha256:{'a' * 64}\n",
                         ".github/lockgate.yml": policy})
    repo.write("requirements.txt", f"requests==2.32.3 --hash=sha256:{'b' * 64}\n")
    repo.git("add", "-A")
    for argv in (["--offline"], ["--hook"]):
        assert main(["check", "-C", str(repo.path), *argv, "--format", "json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["verdict"] == "pass"
        unknown = [f for f in report["findings"] if f["unknown"]]
        assert unknown and {f["level"] for f in unknown} == {"off"}
        assert all(f["level"] == "off" for f in report["findings"])
