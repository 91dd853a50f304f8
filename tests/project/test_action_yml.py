"""action.yml itself: its shape (inputs, outputs, pinned actions, no expression spliced into a script), and its
`run:` steps executed with bash the way the runner executes a composite action, inputs as environment, against a
real git repository and the fake GitHub API. A broken action file fails here.

The interpreter that actions/setup-python would provide is a stand-in that records pip's arguments (installing
needs the network); when CI has built its offline wheelhouse (LOCKGATE_WHEELHOUSE, see .ci/run) a second test runs
the install step for real: a fresh venv, `pip install --require-hashes` of requirements/action.txt from the
wheelhouse, and lockgate installed from a copy of the action's checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from checker.manifests.requirements import parse as parse_requirements
from tests.fakes.github_api import FakeGitHub
from tests.fakes.runner import parse_outputs
from tests.commands.test_pr import HASH_A, HASH_B, POLICY, pinned

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "ghs_ActionStepToken000000000000000000"
_EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")
_PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s+v\d+\.\d+\.\d+", re.MULTILINE)


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text())


ACTION = load(ROOT / "action.yml")


def evaluate(value: Any, context: dict[str, Any], missing_output: str | None = None) -> str:
    """``${{ a.b.c }}`` lookups, the only expressions the action may use; anything else is a test failure. A
    step output that was never set reads as ``missing_output`` (the runner's empty string) when that is given."""
    text = "" if value is None else str(value)
    leftover = _EXPRESSION.sub("", text)
    assert "${{" not in leftover, f"unsupported expression in {text!r}"

    def lookup(match: re.Match[str]) -> str:
        node: Any = context
        for part in match.group(1).split("."):
            if missing_output is not None and isinstance(node, dict) and part not in node and ".outputs." in match.group(1):
                return missing_output
            assert isinstance(node, dict) and part in node, f"unknown context {match.group(1)!r}"
            node = node[part]
        return str(node)

    return _EXPRESSION.sub(lookup, text)


# --- shape -----------------------------------------------------------------------------------------------------


def test_inputs_and_outputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert list(inputs) == ["github-token", "policy", "comment", "fail-on", "offline", "base-ref", "head-ref", "sarif-file",
                            "max-file-bytes"]
    assert inputs["github-token"]["default"] == "${{ github.token }}"
    assert (inputs["comment"]["default"], inputs["fail-on"]["default"], inputs["offline"]["default"]) == (
        "on-change", "block", "false")
    assert all(i.get("description") for i in inputs.values())
    assert {name: o["value"] for name, o in ACTION["outputs"].items()} == {
        name: f"${{{{ steps.run.outputs.{name} }}}}" for name in ("verdict", "changes", "findings", "comment-url")}


def test_every_action_is_pinned_by_commit_and_no_input_reaches_a_script() -> None:
    text = (ROOT / "action.yml").read_text()
    uses = [step["uses"] for step in ACTION["runs"]["steps"] if "uses" in step]
    assert uses and len(_PINNED.findall(text)) == len(uses)
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "expressions go through env:, never into the script"


def test_this_repositorys_workflows_pin_actions_by_commit() -> None:
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        text = path.read_text()
        for line in re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)", text, re.MULTILINE):
            assert line.startswith("./") or re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", line), (path.name, line)
        remote = re.findall(r"^\s*(?:-\s+)?uses:\s*[^.\s]", text, re.MULTILINE)
        assert len(_PINNED.findall(text)) == len(remote), f"{path.name}: every pinned action carries its # vX.Y.Z"
        assert "permissions" in load(path)


def test_the_readme_example_workflow() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("# .github/workflows/lockgate.yml\n", 1)[1].split("```", 1)[0]
    workflow = YAML(typ="safe").load(block)
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert {"pull_request", "pull_request_review", "merge_group"} <= set(triggers)
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write", "statuses": "write"}
    steps = workflow["jobs"]["lockgate"]["steps"]
    assert all(re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]) for step in steps)
    assert len(_PINNED.findall(block)) == len(steps)


def test_the_action_requirements_are_hash_pinned_and_match_what_ci_tests() -> None:
    action = parse_requirements((ROOT / "requirements/action.txt").read_text(), "requirements/action.txt", lambda p: None)
    tested = parse_requirements((ROOT / "requirements/test.txt").read_text(), "requirements/test.txt", lambda p: None)
    assert action.dependencies
    for dep in action.dependencies:
        assert dep.specifier == f"=={dep.version}" and dep.hashes and all(h.startswith("sha256:") for h in dep.hashes)
    # The same version as CI tested, installed where CI installed it: the same environment marker, or none in
    # test.txt (a test dependency can need unconditionally what the runtime needs on some interpreters only:
    # cmarkgfm needs cffi everywhere, cryptography only off PyPy).
    # The marker is compared by what it means, over the interpreters the project supports.
    from itertools import product

    from packaging.markers import Marker

    environments = [
        {"python_full_version": version, "python_version": version.rsplit(".", 1)[0], "implementation_name": name,
         "platform_python_implementation": platform, "sys_platform": system}
        for version, (name, platform), system in product(
            ("3.10.0", "3.11.0", "3.12.0", "3.13.0", "3.14.0"), (("cpython", "CPython"), ("pypy", "PyPy")),
            ("linux", "darwin", "win32"))
    ]

    def installs(markers: str | None, environment: dict[str, str]) -> bool:
        return markers is None or Marker(markers).evaluate(environment)

    tested_markers = {(d.name, d.version): d.markers for d in tested.dependencies}
    for dep in action.dependencies:
        assert (dep.name, dep.version) in tested_markers, (dep.name, dep.version)
        tested_where = tested_markers[(dep.name, dep.version)]
        assert all(installs(tested_where, env) for env in environments if installs(dep.markers, env)), dep
    names = {d.name for d in action.dependencies}
    assert {"pygithub", "jinja2", "ruamel-yaml", "packaging", "tomli"} <= names and "pytest" not in names


# --- the steps, executed ---------------------------------------------------------------------------------------

SHIM = """#!/usr/bin/env bash
# Stands in for the interpreter actions/setup-python provides: "creates" venvs, records pip, runs the rest.
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then shift 2; printf '%s\\n' "$*" >> "$SHIM_PIP_LOG"; exit 0; fi
exec "$SHIM_REAL_PYTHON" "$@"
"""


class Composite:
    """Runs the composite action's steps as the runner does: each `run:` with bash, its env evaluated, its own
    GITHUB_OUTPUT file; `uses:` steps are replaced by the outputs they would give."""

    def __init__(self, tmp: Path, workspace: Path, fake: FakeGitHub, action_path: Path, python: str, base_env: dict[str, str]) -> None:
        self.tmp, self.workspace, self.fake, self.action_path, self.python = tmp, workspace, fake, action_path, python
        self.base_env = base_env

    def run(self, event_name: str, event: dict[str, Any], inputs: dict[str, str]) -> tuple[int, dict[str, str], str]:
        values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
        context: dict[str, Any] = {
            "github": {"action_path": str(self.action_path), "token": TOKEN},
            "runner": {"temp": str(self.tmp / "runner-temp")},
            "steps": {},
        }
        (self.tmp / "runner-temp").mkdir(exist_ok=True)
        values = {name: evaluate(value, context) for name, value in values.items()}
        values.update(inputs)
        context["inputs"] = values
        (self.tmp / "event.json").write_text(json.dumps(event))
        log = []
        code = 0
        for index, step in enumerate(ACTION["runs"]["steps"]):
            step_id = step.get("id", f"step{index}")
            if "uses" in step:
                assert step["uses"].startswith("actions/setup-python@")
                context["steps"][step_id] = {"outputs": {"python-path": self.python, "python-version": "3.12"}}
                continue
            output = self.tmp / f"output-{step_id}"
            output.write_text("")
            env = dict(self.base_env)
            env.update(
                GITHUB_EVENT_NAME=event_name, GITHUB_EVENT_PATH=str(self.tmp / "event.json"),
                GITHUB_REPOSITORY=self.fake.full_name, GITHUB_API_URL=self.fake.api_url,
                GITHUB_SERVER_URL="https://github.com", GITHUB_RUN_ID="77", GITHUB_OUTPUT=str(output),
                GITHUB_STEP_SUMMARY=str(self.tmp / "summary"), GITHUB_WORKSPACE=str(self.workspace),
                GITHUB_ACTION_PATH=str(self.action_path), RUNNER_TEMP=str(self.tmp / "runner-temp"),
            )
            env.update({key: evaluate(value, context) for key, value in (step.get("env") or {}).items()})
            script = self.tmp / f"step-{step_id}.sh"
            script.write_text(step["run"])
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=self.workspace,
                                  env=env, capture_output=True, text=True, timeout=600)
            log.append(done.stdout + done.stderr)
            context["steps"][step_id] = {"outputs": parse_outputs(output.read_text())}
            if done.returncode != 0:
                code = done.returncode
                break
        outputs = {name: evaluate(spec["value"], context, missing_output="") for name, spec in ACTION["outputs"].items()}
        return code, outputs, "\n".join(log)


@pytest.fixture
def scene(repo, tmp_path):  # type: ignore[no-untyped-def]
    with FakeGitHub() as fake:
        fake.add_token(TOKEN)
        base = repo.commit("base", {".github/lockgate.yml": POLICY, "requirements.txt": pinned("litellm", "1.82.6", HASH_A)})
        head = repo.commit("bump", {"requirements.txt": pinned("litellm", "1.82.9", HASH_B)})
        fake.add_pull(5, "mallory", base, head)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_", "LOCKGATE_", "PIP_"))
               and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        env.update(repo.env, NO_PROXY="127.0.0.1", LOCKGATE_GITHUB_WRITE_INTERVAL="0", LOCKGATE_REGISTRY_OFFLINE="1",
                   LOCKGATE_CACHE_DIR=str(tmp_path / "registry-cache"))
        event = {"action": "synchronize", "number": 5, "pull_request": fake.pulls[5], "repository": {"full_name": "acme/app"}}
        yield fake, repo, env, event, head


def _shimmed(tmp_path: Path, repo: Any, fake: Any, env: dict[str, str]) -> Composite:
    """The action's steps with ``python`` replaced by SHIM: pip's arguments logged to pip.log, never run."""
    shim = tmp_path / "python-shim"
    shim.write_text(SHIM)
    shim.chmod(0o755)
    env = {**env, "SHIM_PIP_LOG": str(tmp_path / "pip.log"), "SHIM_REAL_PYTHON": sys.executable}
    return Composite(tmp_path, repo.path, fake, ROOT, str(shim), env)


def test_the_steps_run_lockgate_with_the_inputs(scene, tmp_path) -> None:
    fake, repo, env, event, head = scene
    composite = _shimmed(tmp_path, repo, fake, env)
    sarif = tmp_path / "out.sarif"
    code, outputs, log = composite.run("pull_request", event, {"sarif-file": str(sarif), "comment": "always"})
    assert code == 1, log  # blocked: the step, and so the job, fails
    venv = tmp_path / "runner-temp" / "lockgate-venv"
    assert (tmp_path / "pip.log").read_text().splitlines() == [
        f"install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: -r {ROOT}/requirements/action.txt "
        f"-r {ROOT}/requirements/build.txt",
        f"install --quiet --disable-pip-version-check --no-index --no-deps --no-build-isolation {ROOT}",
    ]
    assert (venv / "bin" / "python").exists()
    assert outputs["verdict"] == "block"
    assert json.loads(outputs["changes"])[0]["to"] == "1.82.9"
    [comment] = fake.comments_on(5)
    assert outputs["comment-url"] == comment["html_url"]
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert [s["state"] for s in fake.statuses[head]] == ["failure"]
    assert TOKEN not in log

    fake.add_review(5, "alice", "APPROVED", head)
    code, outputs, log = composite.run("pull_request_review", {**event, "action": "submitted"}, {"offline": "true"})
    assert code == 0, log
    assert outputs["verdict"] == "pass"


def test_a_bad_input_fails_the_step_clearly(scene, tmp_path) -> None:
    fake, repo, env, event, head = scene
    composite = _shimmed(tmp_path, repo, fake, env)
    code, outputs, log = composite.run("pull_request", event, {"offline": "maybe"})
    assert code == 2 and "::error title=lockgate::the offline input must be true or false" in log
    code, outputs, log = composite.run("pull_request", event, {"fail-on": "sometimes"})
    assert code == 2 and "argument --fail-on: invalid choice: 'sometimes'" in log


def test_the_max_file_bytes_input_sets_the_limit_and_an_empty_one_keeps_the_jobs(scene, tmp_path) -> None:
    fake, repo, env, event, head = scene
    composite = _shimmed(tmp_path, repo, fake, env)
    code, outputs, log = composite.run("pull_request", event, {"max-file-bytes": "100", "offline": "true"})
    assert code == 2, log
    assert "-byte limit for a manifest (set LOCKGATE_MAX_FILE_BYTES to change it)" in log
    assert "larger than the 100-byte limit" in log
    assert outputs["verdict"] == "error"
    # An empty input leaves a job-wide LOCKGATE_MAX_FILE_BYTES in force.
    composite = _shimmed(tmp_path, repo, fake, {**env, "LOCKGATE_MAX_FILE_BYTES": "50"})
    code, outputs, log = composite.run("pull_request", event, {"offline": "true"})
    assert code == 2 and "larger than the 50-byte limit" in log, log


@pytest.mark.skipif(not os.environ.get("LOCKGATE_WHEELHOUSE"), reason="needs .ci/run's offline wheelhouse")
def test_the_install_step_for_real_from_the_offline_wheelhouse(scene, tmp_path) -> None:
    fake, repo, env, event, head = scene
    action_path = tmp_path / "action"
    action_path.mkdir()
    for name in ("action.yml", "pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, action_path / name)
    for folder in ("checker", "policies", "requirements"):
        shutil.copytree(ROOT / folder, action_path / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {**env, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": os.environ["LOCKGATE_WHEELHOUSE"]}
    composite = Composite(tmp_path, repo.path, fake, action_path, sys.executable, env)
    code, outputs, log = composite.run("pull_request", event, {})
    assert code == 1, log
    assert outputs["verdict"] == "block" and len(fake.comments_on(5)) == 1
    venv_python = tmp_path / "runner-temp" / "lockgate-venv" / "bin" / "python"
    done = subprocess.run([str(venv_python), "-c", "import checker, github; print(checker.__file__)"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and "lockgate-venv" in done.stdout  # installed, not run from the checkout
