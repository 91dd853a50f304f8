"""lockgate holds its own repository to its own rules (issue 10).

- zizmor (a declared test dependency, installed next to this interpreter) finds nothing at its default persona in
  .github/ and action.yml, and the one finding the workflows silence is the documented one;
- lockgate's action-pinning and pin-comment, offline, agree: every ``uses:`` is a full commit SHA with a release
  comment;
- ``lockgate check --all`` passes under the repository's policy (.github/lockgate.yml: the strict preset): offline
  the only blocking findings are facts that could not be obtained (exit 3); with a registry and GitHub that answer
  (fakes on 127.0.0.1 serving the pinned versions' real hashes) it passes with no finding at all;
- the workflows keep the properties the issue asks for (least permissions per job, no pull_request_target, Trusted
  Publishing with attestations, the test matrix, the benchmark smoke step), Dependabot's cooldown is at least the
  strict preset's release age, the CHANGELOG keeps its format, and the release build refuses a wrong tag.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from checker.cli import main
from tests.fakes.github_api import FakeGitHub, FakeRepo
from tests.fakes.registry import FakeRegistry, iso, pypi_artifact, pypi_file_stem

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / ".github" / "lockgate.yml"
WORKFLOWS = ROOT / ".github" / "workflows"
FACT_RULES = {"hash-mismatch", "provenance-downgrade", "release-age", "version-exists", "pin-comment", "source-tag",
              "artifact-content"}
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)

pytestmark = pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs lockgate's git checkout")


def load_yaml(path: Path):  # type: ignore[no-untyped-def]
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def zizmor_binary() -> str:
    """zizmor is a test dependency: it is installed beside this interpreter (or on the PATH), never skipped."""
    beside = Path(sys.executable).parent / ("zizmor.exe" if os.name == "nt" else "zizmor")
    found = str(beside) if beside.exists() else shutil.which("zizmor")
    assert found, f"zizmor is a test dependency (pyproject.toml [test]) but is not installed next to {sys.executable}"
    return found


def zizmor(cwd: Path, *inputs: str) -> list[dict]:
    done = subprocess.run(
        [zizmor_binary(), "--offline", "--no-config", "--no-progress", "--format", "json", *inputs],
        cwd=cwd, capture_output=True, text=True,
    )
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # 1x: findings of some severity
    return json.loads(done.stdout)


# -- zizmor and lockgate's own pinning rules on .github/ and action.yml -----------------------------------------


def where(finding: dict) -> str:
    """``ident path:line`` of a zizmor JSON finding (its first location)."""
    location = finding["locations"][0]
    path = location["symbolic"]["key"].get("Local", {}).get("verbatim_path", "?")
    return f"{finding['ident']} {path}:{location['concrete']['location']['start_point']['row'] + 1}"


def test_zizmor_finds_nothing_in_the_workflows_the_action_and_dependabot() -> None:
    assert [where(f) for f in zizmor(ROOT, ".github", "action.yml")] == []


def test_the_one_silenced_zizmor_finding_is_the_documented_self_repository_use(tmp_path: Path) -> None:
    """ci.yml silences one audit, on one line, with its reason beside it; without the comment zizmor reports
    exactly that (which also shows zizmor reads these files rather than passing them over)."""
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    assert text.count("zizmor: ignore") == 1
    assert "      - uses: ./ # zizmor: ignore[self-repository]\n" in text
    copy = tmp_path / ".github" / "workflows"
    copy.mkdir(parents=True)
    (copy / "ci.yml").write_text(text.replace(" # zizmor: ignore[self-repository]", ""), encoding="utf-8")
    line = text.splitlines().index("      - uses: ./ # zizmor: ignore[self-repository]") + 1
    assert [where(f) for f in zizmor(tmp_path, ".github")] == [f"self-repository .github/workflows/ci.yml:{line}"]


def lockgate_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["check", "-C", str(ROOT), "--all", "--format", "json", *args])
    captured = capsys.readouterr()
    assert captured.err == "", captured.err
    return code, json.loads(captured.out)


def test_lockgate_action_pinning_and_pin_comment_agree_offline(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Under the default preset, offline: no action-pinning finding, and pin-comment finds only what it cannot
    know without GitHub (unknown), never a missing or malformed version comment. (The test data stays ignored:
    PATH arguments restrict what is judged, but every manifest of the tree is still read.)"""
    policy = tmp_path / "default.yml"
    policy.write_text('extends: default\npaths: {ignore: ["tests/**/fixtures/**", "checker/demo/files/**"]}\n')
    code, doc = lockgate_json(capsys, "--offline", "--policy", str(policy), ".github", "action.yml")
    rules = {(f["rule"], f["unknown"]) for f in doc["findings"]}
    assert rules == {("pin-comment", True)}, doc["findings"]
    assert code == 0 and doc["verdict"] == "warn"  # the default's on-unknown: warn


def test_every_uses_is_a_full_sha_with_its_release_in_a_comment() -> None:
    from checker.manifests import format_for

    pins = []
    for path in [*sorted(WORKFLOWS.glob("*.yml")), ROOT / "action.yml"]:
        name = path.relative_to(ROOT).as_posix()
        fmt = format_for(name)
        assert fmt is not None, name
        manifest = fmt.parse(path.read_text(encoding="utf-8"), name, lambda _: None)
        pins += [(name, d.line, d.name, d.version, d.label) for d in manifest.dependencies if d.ecosystem == "actions"]
    assert len(pins) >= 12
    for name, line, action, ref, label in pins:
        assert re.fullmatch(r"[0-9a-f]{40}", ref or ""), f"{name}:{line}: {action}@{ref} is not a full commit SHA"
        assert re.fullmatch(r"v\d+\.\d+\.\d+", label or ""), f"{name}:{line}: {action} has no '# vX.Y.Z' comment"
    # One release per action across the repository: a bump moves every use of it together.
    releases: dict[str, set[tuple[str, str]]] = {}
    for _, _, action, ref, label in pins:
        releases.setdefault(action, set()).add((ref, label))
    assert {action: len(found) for action, found in releases.items() if len(found) > 1} == {}


# -- lockgate check --all under the repository's policy (strict) ------------------------------------------------


def test_the_repository_policy_is_the_strict_preset_with_test_data_ignored() -> None:
    from checker.policy.load import load_policy_file

    policy = load_policy_file(str(POLICY))
    assert policy.chain == ("preset:default", "preset:strict", str(POLICY))
    assert policy.on_unknown == "block"
    assert policy.ignore == ("tests/**/fixtures/**", "checker/demo/files/**")
    assert policy.rules["release-age"].options["days"] == 7


def test_check_all_offline_blocks_only_on_facts_it_could_not_obtain(capsys) -> None:  # type: ignore[no-untyped-def]
    """Offline, strict's `on-unknown: block` makes every unobtainable registry or GitHub fact block (exit 3): strict
    vouches for no fact it did not see. Nothing else is found: no warning, not even an informational finding."""
    code, doc = lockgate_json(capsys, "--offline")
    assert doc["policy"] == ".github/lockgate.yml"
    known = [f for f in doc["findings"] if not f["unknown"]]
    assert known == []
    assert {f["rule"] for f in doc["findings"]} == FACT_RULES
    assert code == 3 and doc["verdict"] == "block"


def repository_dependencies() -> list:  # type: ignore[type-arg]
    """Every dependency `check --all` judges, found and parsed as lockgate does."""
    from checker.manifests.collect import load_all
    from checker.policy.load import load_policy_file
    from checker.snapshot.trees import WorktreeSnapshot

    manifests = load_all(WorktreeSnapshot(str(ROOT)), load_policy_file(str(POLICY)).ignore)
    return [d for m in manifests for d in m.dependencies]


@pytest.fixture
def answering_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A registry that publishes exactly the pinned versions with exactly the pinned hashes, two months before
    the run, without provenance; and a GitHub whose tags point at the pinned commits, on each default branch.
    Returns a policy file that extends the repository's own and points the registries at the fake."""
    monkeypatch.delenv("LOCKGATE_REGISTRY_OFFLINE", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    uploaded = iso(NOW - dt.timedelta(days=60))
    with FakeRegistry() as registry, FakeGitHub() as github:
        for dep in repository_dependencies():
            if dep.ecosystem == "pypi" and dep.version is not None:
                project = registry.pypi.setdefault(dep.name, {"versions": [], "files": []})
                if dep.version not in project["versions"]:
                    project["versions"].append(dep.version)
                # a wheel for each pinned hash (the reader cannot check a hash it reads by ranges; the index's
                # word is what it caches by): one module, as every release of a plain library holds
                wheel = pypi_artifact(dep.name, dep.version, "wheel")
                listed = {f["filename"] for f in project["files"]}
                for index, pinned in enumerate(sorted(dep.hashes)):
                    algorithm, digest = pinned.split(":", 1)
                    if f"{pypi_file_stem(dep.name)}-{dep.version}-{index}-py3-none-any.whl" in listed:
                        continue  # pinned by another requirements file too: one file of the index
                    registry.blobs[f"/files/{dep.name}-{dep.version}-{index}.whl"] = wheel
                    project["files"].append({
                        "filename": f"{pypi_file_stem(dep.name)}-{dep.version}-{index}-py3-none-any.whl",
                        "url": f"{registry.root}/files/{dep.name}-{dep.version}-{index}.whl",
                        "hashes": {algorithm: digest}, "requires-python": ">=3.9", "size": len(wheel),
                        "upload-time": uploaded, "yanked": False, "provenance": None,
                    })
            elif dep.ecosystem == "actions":
                repo = github.repos.setdefault(dep.name.lower(), FakeRepo(default_branch="main"))
                repo.parents[dep.version] = []
                repo.branches["main"] = dep.version
                repo.tags[dep.label.split()[0]] = dep.version
        assert len(registry.pypi) >= 40 and len(github.repos) >= 5
        monkeypatch.setenv("GITHUB_API_URL", github.api_url)
        monkeypatch.setenv("GITHUB_TOKEN", "ci-token")
        policy = tmp_path / "policy.yml"
        policy.write_text(f"extends: {POLICY}\nregistries:\n  pypi: {{url: \"{registry.pypi_url}\"}}\n")
        yield policy


def test_check_all_passes_under_strict_when_the_registry_and_github_answer(capsys, answering_world: Path) -> None:  # type: ignore[no-untyped-def]
    code, doc = lockgate_json(capsys, "--policy", str(answering_world), "--now", NOW.isoformat())
    assert [(f["rule"], f["name"], f["message"]) for f in doc["findings"]] == []
    assert code == 0 and doc["verdict"] == "pass" and doc["mode"] == "all"


# -- the workflows, Dependabot and the changelog keep their properties -------------------------------------------


def jobs(workflow: str) -> dict:
    return load_yaml(WORKFLOWS / workflow)["jobs"]


def test_no_workflow_has_permissions_above_its_jobs_or_a_pull_request_target_trigger() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        document = load_yaml(path)
        triggers = document["on"]
        assert "pull_request_target" not in triggers and "workflow_run" not in triggers, path.name
        assert document["permissions"] == {}, f"{path.name}: permissions belong to the jobs that need them"
        for name, job in document["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} names no permissions"
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{path.name}: {name}"


def test_ci_runs_every_supported_python_the_benchmark_smoke_and_the_gate_from_the_base() -> None:
    ci = jobs("ci.yml")
    assert ci["test"]["strategy"]["matrix"]["python"] == ["3.10", "3.11", "3.12", "3.13"]
    assert ci["test"]["permissions"] == {"contents": "read"}
    runs = [step.get("run", "") for step in ci["test"]["steps"]]
    assert "bash .ci/run" in runs
    assert any("benchmarks/suite.py --quick" in run for run in runs)
    assert any("check --all --policy .github/lockgate.yml" in run for run in runs)
    gate = ci["lockgate"]
    assert gate["permissions"] == {"contents": "read", "pull-requests": "write", "statuses": "write"}
    checkout, action = gate["steps"]
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert action["uses"] == "./"


def test_release_publishes_once_built_files_with_trusted_publishing_and_no_token() -> None:
    release = jobs("release.yml")
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    assert load_yaml(WORKFLOWS / "release.yml")["on"] == {"push": {"tags": ["v*"]}}
    assert release["build"]["permissions"] == {"contents": "read"}
    assert release["pypi"]["permissions"] == {"id-token": "write"}
    assert release["pypi"]["environment"]["name"] == "pypi"
    [publish] = [s for s in release["pypi"]["steps"] if s["uses"].startswith("pypa/gh-action-pypi-publish@")]
    assert publish["with"] == {"attestations": True, "print-hash": True}  # no password, no user: OIDC only
    assert release["github-release"]["permissions"] == {"contents": "write"}
    assert release["github-release"]["needs"] == ["build", "pypi"]
    assert "secrets." not in text and "password" not in text
    assert sum("build_dist.py" in s.get("run", "") for job in release.values() for s in job["steps"]) == 1


def test_dependabot_covers_pip_and_actions_with_a_cooldown_no_shorter_than_the_strict_release_age() -> None:
    strict = json.loads("".join(
        line for line in (ROOT / "policies" / "strict.yml").read_text().splitlines(True) if not line.startswith("#")
    ))
    release_age = strict["rules"]["release-age"]["days"]
    updates = {u["package-ecosystem"]: u for u in load_yaml(ROOT / ".github" / "dependabot.yml")["updates"]}
    assert set(updates) == {"pip", "github-actions"}
    assert set(updates["pip"]["directories"]) == {"/", "/requirements"}
    for ecosystem, update in updates.items():
        cooldown = update["cooldown"]
        assert cooldown["default-days"] >= release_age, ecosystem
        assert all(days >= release_age for key, days in cooldown.items() if key.startswith("semver-")), ecosystem


def test_the_changelog_keeps_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.*)$", text, re.MULTILINE)
    assert text.startswith("# Changelog\n") and "https://keepachangelog.com/en/1.1.0/" in text
    assert headings[0] == "[Unreleased]"
    versions = [re.fullmatch(r"\[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}", h) for h in headings[1:]]
    assert all(versions), headings
    kinds = set(re.findall(r"^### (.*)$", text, re.MULTILINE))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, kinds


# -- the release build -------------------------------------------------------------------------------------------


def build_dist(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / ".github" / "scripts" / "build_dist.py"), *args],
                          capture_output=True, text=True)


def test_the_release_refuses_a_tag_that_is_not_the_package_version(tmp_path: Path) -> None:
    from checker import __version__

    done = build_dist("--tag", "v9.9.9", "--out", str(tmp_path / "dist"))
    assert done.returncode == 1 and not (tmp_path / "dist").exists()
    assert done.stderr == (f"build_dist: error: tag 'v9.9.9' does not match the package version {__version__!r} "
                           f"(checker/__init__.py): tag the release v{__version__}, or change __version__ first\n")


def source_copy(destination: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def test_the_release_builds_the_wheel_from_the_sdist_and_writes_the_notes(tmp_path: Path) -> None:
    from checker import __version__

    tree = source_copy(tmp_path / "src")
    changelog = tree / "CHANGELOG.md"
    missing = build_dist("--tag", f"v{__version__}", "--out", str(tmp_path / "none"), "--root", str(tree))
    if f"## [{__version__}]" not in changelog.read_text():
        assert missing.returncode == 1 and f"CHANGELOG.md has no '## [{__version__}] - YYYY-MM-DD'" in missing.stderr
        changelog.write_text(changelog.read_text().replace(
            "## [Unreleased]", f"## [Unreleased]\n\n## [{__version__}] - 2026-12-01", 1))
    out, notes = tmp_path / "dist", tmp_path / "notes.md"
    done = build_dist("--tag", f"v{__version__}", "--out", str(out), "--root", str(tree), "--notes", str(notes))
    assert done.returncode == 0, done.stderr
    sdist, wheel = f"lockgate-{__version__}.tar.gz", f"lockgate-{__version__}-py3-none-any.whl"
    assert sorted(p.name for p in out.iterdir()) == sorted([sdist, wheel])
    assert [line.split("  ")[1] for line in done.stdout.splitlines()] == [sdist, wheel]
    import zipfile

    names = set(zipfile.ZipFile(out / wheel).namelist())
    for shipped in ("checker/policies/default.yml", "checker/policies/strict.yml", "checker/policies/known-bad.yml",
                    "checker/cli.py", "checker/policy/schema.py"):
        assert shipped in names
    assert any(n.startswith("checker/report/templates/") and n.endswith(".j2") for n in names)
    assert any(n.startswith("checker/demo/files/") for n in names)
    assert notes.read_text().startswith("### ")
