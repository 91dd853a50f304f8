"""The real pre-commit framework runs lockgate's hook from this repository (``pre-commit try-repo``).

pre-commit builds the hook's environment with pip. To keep the test run off the network, pip is pointed at a
wheelhouse of lockgate's hash-pinned dependencies that ``.ci/run`` downloads before the tests
(``LOCKGATE_WHEELHOUSE``); without it these tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64


def _pre_commit() -> str:
    exe = Path(sys.executable).with_name("pre-commit")
    if not exe.exists():
        pytest.skip("pre-commit is not installed (it is in the test extra)")
    return str(exe)


@pytest.fixture(scope="session")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for pre-commit: its own store, pip offline against the wheelhouse, a clean git."""
    wheelhouse = os.environ.get("LOCKGATE_WHEELHOUSE")
    if not wheelhouse or not Path(wheelhouse).is_dir():
        pytest.skip("LOCKGATE_WHEELHOUSE is not set (.ci/run downloads the wheelhouse the hook environment needs)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PIP_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=wheelhouse,
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        NO_COLOR="1",
        # Hermetic, like every other test (conftest.py): the hook asks no real registry and writes no user cache.
        # This fixture is built once per session, before conftest's per-test environment applies.
        LOCKGATE_REGISTRY_OFFLINE="1",
        LOCKGATE_CACHE_DIR=str(tmp_path_factory.mktemp("hook-registry-cache")),
    )
    return env


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, hook_env: dict[str, str]) -> Path:
    """This project's files (committed or not) as a fresh one-commit repository, so try-repo installs the code
    under test once per session instead of once per shadow commit."""
    target = tmp_path_factory.mktemp("lockgate-hook-repo")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT, capture_output=True, check=True,
    ).stdout.split(b"\0")
    for raw in listed:
        if not raw:
            continue
        relative = raw.decode()
        source = PROJECT / relative
        if not source.is_file():
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / relative)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "lockgate under test"]):
        subprocess.run(["git", *args], cwd=target, env=hook_env, check=True, capture_output=True)
    return target


class Project:
    """A user's repository in which the hook runs."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env
        path.mkdir()
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.path, env=self.env, check=True, capture_output=True)

    def stage(self, files: dict[str, str]) -> None:
        for relative, content in files.items():
            (self.path / relative).parent.mkdir(parents=True, exist_ok=True)
            (self.path / relative).write_text(content)
            self.git("add", relative)

    def commit(self, files: dict[str, str]) -> None:
        self.stage(files)
        self.git("commit", "-q", "-m", "base")

    def try_repo(self, repo: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_pre_commit(), "try-repo", str(repo), "lockgate", "--verbose"],
            cwd=self.path, env=self.env, capture_output=True, text=True, timeout=600,
        )


def requirement(version: str, digest: str) -> str:
    return f"requests=={version} \\\n    --hash={digest}\n"


@pytest.fixture
def project(tmp_path: Path, hook_env: dict[str, str]) -> Project:
    return Project(tmp_path / "project", hook_env)


def test_a_staged_unreviewed_bump_fails_with_the_fix(project: Project, hook_repo: Path) -> None:
    project.commit({"requirements.txt": requirement("2.32.3", HASH_A)})
    project.stage({"requirements.txt": requirement("2.32.4", HASH_B)})
    done = project.try_repo(hook_repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "lockgate (dependency changes)" in done.stdout and "Failed" in done.stdout
    assert "lockgate: blocked: 1 of 1 dependency change blocked · " in done.stdout
    assert (
        "requirements.txt:1: requests 2.32.3 -> 2.32.4 (patch): review: record the review in the ledger, committed "
        "with this change: `lockgate review pypi:requests 2.32.3 2.32.4 --reason"
    ) in done.stdout


def test_the_same_bump_with_a_ledger_entry_in_the_index_passes(project: Project, hook_repo: Path) -> None:
    project.commit({"requirements.txt": requirement("2.32.3", HASH_A)})
    ledger = (
        "reviews:\n"
        "  - {package: 'pypi:requests', from: '2.32.3', to: '2.32.4', reviewer: alice, date: '2026-11-28',"
        " reason: read the diff}\n"
    )
    project.stage({"requirements.txt": requirement("2.32.4", HASH_B), ".github/lockgate-reviews.yml": ledger})
    done = project.try_repo(hook_repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
    assert "lockgate: passed: 1 dependency change · " in done.stdout


def test_a_commit_touching_no_manifest_does_not_start_lockgate(project: Project, hook_repo: Path) -> None:
    project.commit({"requirements.txt": requirement("2.32.3", HASH_A)})
    project.stage({"README.md": "docs only\n", "src/app.py": "print('hi')\n"})
    done = project.try_repo(hook_repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(no files to check)Skipped" in done.stdout
    assert "lockgate:" not in done.stdout  # lockgate itself never ran


def test_a_staged_file_that_is_not_toml_is_a_blocking_finding(project: Project, hook_repo: Path) -> None:
    project.commit({"requirements.txt": requirement("2.32.3", HASH_A)})
    project.stage({"pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['requests'\n"})
    done = project.try_repo(hook_repo)
    assert done.returncode == 1, done.stdout + done.stderr  # pre-commit's own code for a failed hook
    # An unreadable manifest is a finding (a file lockgate cannot read could hide anything), not a skip and not
    # a crash: lockgate's own code is 1, a blocked change, and the line names the file, the line and the reason.
    assert "- exit code: 1" in done.stdout
    assert "pyproject.toml:3: unreadable-manifest: cannot be read: not valid TOML: Unclosed array at end of file" in (
        done.stdout
    )
    assert "Traceback" not in done.stdout + done.stderr


# --- which commits start the hook: its `files` pattern, and the README's override for files of other names ---------


def _hook_pattern() -> str:
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe", pure=True).load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(hook["files"] for hook in hooks if hook["id"] == "lockgate")


def _readme_override() -> str:
    """The documented example `.pre-commit-config.yaml` for a policy and a ledger under other names
    (docs/pre-commit.md)."""
    readme = (PROJECT / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    section = readme[readme.index("**A policy, ledger or `extends` file under another name.**"):]
    return section[section.index("```yaml\n") + len("```yaml\n"):section.index("```\n", section.index("```yaml\n") + 1)]


@pytest.mark.parametrize(("path", "starts"), [
    ("requirements.txt", True), ("services/api/poetry.lock", True), (".github/workflows/ci.yml", True),
    (".github/lockgate.yml", True), (".github/lockgate.yaml", True), (".github/lockgate-reviews.yml", True),
    ("ci/lockgate.yml", True), ("docs/lockgate-reviews.yaml", True), ("policies/Lockgate-base.yml", True),
    ("README.md", False), ("src/app.py", False), ("ci/dependency-policy.yml", False), ("lockgate.py", False),
    ("Gemfile", True), ("app/Gemfile.lock", True), ("gems.locked", True), ("gemfiles/rails_7.gemfile.lock", True),
    ("composer.json", True), ("web/composer.lock", True), ("src/composer.php", False),
])
def test_the_hook_pattern_starts_lockgate_for_manifests_policies_and_ledgers(path: str, starts: bool) -> None:
    """pre-commit runs a hook when ``re.search(files, path)`` finds a staged path."""
    import re

    assert bool(re.search(_hook_pattern(), path)) is starts


def test_the_readme_override_is_the_hook_pattern_with_the_files_added() -> None:
    from ruamel.yaml import YAML
    import re

    config = YAML(typ="safe", pure=True).load(_readme_override())
    [hook] = config["repos"][0]["hooks"]
    assert hook["id"] == "lockgate" and hook["args"] == ["--policy", "ci/dependency-policy.yml"]
    own = [line.strip() for line in _hook_pattern().splitlines()[1:-1]]  # between "(?xi)(" and ")"
    override = [line.strip() for line in hook["files"].splitlines()]
    assert override[1:len(own)] == own[:-1] and override[len(own)] == own[-1] + " |"  # copied as it is
    for path, starts in (("docs/dependency-reviews.yml", True), ("ci/dependency-policy.yml", True),
                         ("requirements.txt", True), ("README.md", False)):
        assert bool(re.search(hook["files"], path)) is starts


def test_the_readme_override_starts_the_hook_for_a_ledger_of_another_name(
        project: Project, hook_repo: Path, hook_env: dict[str, str]) -> None:
    """The README's configuration, run by the real pre-commit: a commit that edits only the ledger its policy names
    (`docs/dependency-reviews.yml`) starts lockgate, which reports the edit; the hook's own pattern skips it."""
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, env=hook_env, capture_output=True, text=True,
                         check=True).stdout.strip()
    config = _readme_override().replace("https://github.com/OWNER/lockgate", str(hook_repo)).replace(
        "<full commit SHA>", rev)
    project.commit({
        ".pre-commit-config.yaml": config,
        "ci/dependency-policy.yml": "extends: default\nreview:\n  ledger: docs/dependency-reviews.yml\n",
        "docs/dependency-reviews.yml": "reviews: []\n",
        "requirements.txt": requirement("2.32.3", HASH_A),
    })
    project.stage({"docs/dependency-reviews.yml": (
        "reviews:\n  - {package: 'pypi:requests', from: '2.32.3', to: '2.32.4', reviewer: alice, date: '2026-11-28',"
        " reason: read the diff}\n")})
    skipped = project.try_repo(hook_repo)  # the hook as shipped: the ledger's name is not in its pattern
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "(no files to check)Skipped" in skipped.stdout
    done = subprocess.run([_pre_commit(), "run", "--verbose"], cwd=project.path, env=project.env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lockgate (dependency changes)" in done.stdout and "Passed" in done.stdout
    assert "lockgate: passed: no dependency changes · 1 warning (details: lockgate check --staged)" in done.stdout


def test_the_hook_pattern_covers_every_format_lockgate_reads() -> None:
    """A file of every format (at the root and in a folder), and the files manifests read in that have a name of
    their own (patch files, pnpmfiles, a committed Yarn release): a commit that touches only one starts the hook."""
    import re

    from tests.property.test_parsers import PATHS

    from checker.manifests import format_for

    pattern = _hook_pattern()
    for name, path in PATHS.items():
        for where in (path, f"services/api/{path}"):
            if format_for(where) is None:
                continue  # a name read only at the root (.gitmodules) or in one folder (workflows)
            assert re.search(pattern, where), (name, where)
    for path in ("patches/lodash@4.17.21.patch", ".pnpmfile.cjs", ".yarn/releases/yarn-4.5.0.cjs", "bun.lockb"):
        assert re.search(pattern, path), path


# --- the round trip from a developer's seat (issue 22): blocked -> review recorded -> the next commit passes ---------


def _path_without_lockgate(env: dict[str, str]) -> str:
    """The PATH of a developer who never installed lockgate: only pre-commit's own copy exists."""
    return os.pathsep.join(d for d in env.get("PATH", "").split(os.pathsep)
                           if d and not shutil.which("lockgate", path=d))


def test_blocked_then_the_printed_command_records_the_review_and_the_next_commit_passes(
        project: Project, hook_repo: Path, hook_env: dict[str, str]) -> None:
    """`git commit` with the hook installed, as a developer meets it: the message offers the local step (no pull
    request exists), and the command printed under it runs from the developer's shell although `lockgate` is not on
    their PATH; the placeholder reason it holds is refused; with a reason it records and stages the ledger, and the
    same commit then passes."""
    import shlex

    env = {**project.env, "PATH": _path_without_lockgate(project.env)}
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    project.commit({
        ".pre-commit-config.yaml": f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: lockgate\n",
        "requirements.txt": requirement("2.32.3", HASH_A),
    })
    project.git("config", "user.name", "alice")
    subprocess.run([_pre_commit(), "install"], cwd=project.path, env=env, check=True, capture_output=True)
    project.stage({"requirements.txt": requirement("2.32.4", HASH_B)})

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "commit", "-m", "bump requests"], cwd=project.path, env=env,
                              capture_output=True, text=True, timeout=600)

    blocked = commit()
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, out
    assert ("requirements.txt:1: requests 2.32.3 -> 2.32.4 (patch): review: record the review in the ledger, "
            'committed with this change: `lockgate review pypi:requests 2.32.3 2.32.4 --reason "..."`') in out
    assert "approve the pull request" not in out and "pre-commit run lockgate" not in out
    lines = out.splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("lockgate is not on your PATH"))
    assert "(pre-commit runs its own copy)" in lines[note]
    assert lines[note + 2].startswith("or install it once: pipx install lockgate==")
    printed = shlex.split(lines[note + 1])
    assert printed[1:] == ["review", "pypi:requests", "2.32.3", "2.32.4", "--reason", "..."]
    assert Path(printed[0]).is_absolute() and Path(printed[0]).name == "lockgate"
    assert Path(printed[0]).is_relative_to(env["PRE_COMMIT_HOME"])  # pre-commit's own environment

    as_printed = subprocess.run(printed, cwd=project.path, env=env, capture_output=True, text=True)
    assert as_printed.returncode == 2, as_printed.stdout + as_printed.stderr
    assert "--reason '...' is a placeholder: say what you checked" in as_printed.stderr
    assert not (project.path / ".github/lockgate-reviews.yml").exists()

    recorded = subprocess.run([*printed[:-1], "read the 2.32.4 diff: no new install hooks"], cwd=project.path,
                              env=env, capture_output=True, text=True)
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert recorded.stdout.splitlines() == [
        ".github/lockgate-reviews.yml:5: recorded review of pypi:requests 2.32.3 -> 2.32.4",
        "staged .github/lockgate-reviews.yml: commit it with the change it reviews",
    ]

    passed = commit()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "lockgate (dependency changes)...." in passed.stderr and "Passed" in passed.stderr  # git's hook output
    committed = subprocess.run(["git", "show", "--name-only", "--format=", "HEAD"], cwd=project.path, env=env,
                               capture_output=True, text=True, check=True).stdout.split()
    assert sorted(committed) == [".github/lockgate-reviews.yml", "requirements.txt"]


def test_several_blocked_changes_are_recorded_by_one_command_and_the_next_commit_passes(
        project: Project, hook_repo: Path, hook_env: dict[str, str]) -> None:
    """Three changes that only a review blocks: the hook names the one command that records them all
    (`lockgate review --all-pending`), through pre-commit's copy since lockgate is not on the developer's PATH; run
    with a reason, it records the three and stages the ledger, and the same commit passes."""
    import shlex

    env = {**project.env, "PATH": _path_without_lockgate(project.env)}
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    project.commit({
        ".pre-commit-config.yaml": f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: lockgate\n",
        "requirements.txt": requirement("2.32.3", HASH_A) + f"idna==3.7 \\\n    --hash={HASH_A}\n",
    })
    project.git("config", "user.name", "alice")
    subprocess.run([_pre_commit(), "install"], cwd=project.path, env=env, check=True, capture_output=True)
    project.stage({"requirements.txt": requirement("2.32.4", HASH_B) + f"idna==3.6 \\\n    --hash={HASH_B}\n"
                   + f"six==1.16.0 \\\n    --hash={HASH_B}\n"})

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "commit", "-m", "bump three"], cwd=project.path, env=env,
                              capture_output=True, text=True, timeout=600)

    blocked = commit()
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, out
    assert ('3 changes wait only for a review: record them all at once with lockgate review --all-pending '
            '--reason "..."') in out
    lines = out.splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("lockgate is not on your PATH"))
    printed = shlex.split(lines[note + 1])
    assert printed[1:] == ["review", "--all-pending", "--reason", "..."]
    assert Path(printed[0]).is_relative_to(env["PRE_COMMIT_HOME"])

    as_printed = subprocess.run(printed, cwd=project.path, env=env, capture_output=True, text=True)
    assert as_printed.returncode == 2 and "is a placeholder" in as_printed.stderr, as_printed.stderr
    assert not (project.path / ".github/lockgate-reviews.yml").exists()

    recorded = subprocess.run([*printed[:-1], "read the three diffs: no new install hooks"], cwd=project.path,
                              env=env, capture_output=True, text=True)
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert recorded.stdout.splitlines() == [
        ".github/lockgate-reviews.yml:5: recorded review of pypi:idna 3.7 -> 3.6",
        ".github/lockgate-reviews.yml:12: recorded review of pypi:requests 2.32.3 -> 2.32.4",
        ".github/lockgate-reviews.yml:19: recorded review of pypi:six 1.16.0 (added)",
        "staged .github/lockgate-reviews.yml: commit it with the change it reviews",
    ]

    passed = commit()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    committed = subprocess.run(["git", "show", "--name-only", "--format=", "HEAD"], cwd=project.path, env=env,
                               capture_output=True, text=True, check=True).stdout.split()
    assert sorted(committed) == [".github/lockgate-reviews.yml", "requirements.txt"]
