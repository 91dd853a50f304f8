"""Files an install command reads (issue 16, found by the adversarial pass): a requirements file that a workflow
step or a Dockerfile RUN installs from, under a name no rule makes a manifest, is judged when only it changes,
whatever the spelling of the option and however the Dockerfile copied it into the image."""

from __future__ import annotations

import json

import pytest

from checker.cli import main

PIN = "requests==2.32.3 --hash=sha256:" + "a" * 64 + "\n"
EVIL = "evil==1.0 --hash=sha256:" + "b" * 64 + "\n"
DIGEST = "sha256:" + "c" * 64


def changes(capsys, repo, base: str, head: str) -> set[tuple[str, str, str]]:
    assert main(["diff", "-C", str(repo.path), "--base", base, "--head", head, "--format", "json"]) in (0, 1)
    return {(c["manifest"], c["name"], c["kind"]) for c in json.loads(capsys.readouterr().out)["changes"]}


def workflow(command: str) -> str:
    return f"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {command}\n"


@pytest.mark.parametrize("option", ["-r ci/deps.pip", "-rci/deps.pip", "--requirement ci/deps.pip",
                                    "--requirement=ci/deps.pip", "--requirem ci/deps.pip", "--requireme=ci/deps.pip",
                                    "-r 'ci/deps.pip'"])
def test_a_workflow_step_installing_from_a_file_is_rejudged_when_only_the_file_changes(capsys, repo, option):
    base = repo.commit("base", {"ci/deps.pip": PIN,
                                ".github/workflows/ci.yml": workflow(f"pip install --require-hashes {option}")})
    head = repo.commit("evil", {"ci/deps.pip": PIN + EVIL})
    assert (".github/workflows/ci.yml", "evil", "added") in changes(capsys, repo, base, head)


@pytest.mark.parametrize("dockerfile_path, dockerfile", [
    ("Dockerfile", f"FROM python@{DIGEST}\nCOPY deps.pip /app/deps.pip\nRUN pip install --require-hashes -r /app/deps.pip\n"),
    ("Dockerfile", f"FROM python@{DIGEST}\nWORKDIR /app\nCOPY deps.pip .\nRUN pip install --require-hashes -r deps.pip\n"),
    ("Dockerfile", f"FROM python@{DIGEST}\nWORKDIR /srv\nCOPY . .\nRUN pip install --require-hashes --requirement=deps.pip\n"),
    ("Dockerfile", f"FROM python@{DIGEST}\nCOPY deps.pip setup.cfg /opt/\nRUN pip install --require-hashes -r/opt/deps.pip\n"),
    ("docker/Dockerfile", f"FROM python@{DIGEST}\nCOPY deps.pip /tmp/d.txt\nRUN uv pip install --requirements /tmp/d.txt\n"),
])
def test_a_dockerfile_run_installing_from_a_copied_file_is_seen_when_only_the_file_changes(
        capsys, repo, dockerfile_path, dockerfile):
    base = repo.commit("base", {"deps.pip": PIN, "docker/deps.pip": PIN, dockerfile_path: dockerfile})
    head = repo.commit("evil", {"deps.pip": PIN + EVIL, "docker/deps.pip": PIN + EVIL})
    assert {manifest for manifest, name, kind in changes(capsys, repo, base, head) if name == "evil"} & {
        "deps.pip", "docker/deps.pip"}
