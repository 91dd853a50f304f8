"""Under GitHub Actions no output of lockgate carries a workflow command a value put there (issue 16): a file named
`::stop-commands::x/requirements.txt` must not stop the annotations, a package named `##[set-output name=x;]y` must
not set an output, in every format of every command."""

from __future__ import annotations

import json

import pytest

from checker.cli import main
from checker.report.escape import inert_for_runner

EVIL_DIR = "::stop-commands::tok"
FORMATS = ["text", "json", "markdown", "sarif", "github"]


def commands_in(text: str, fmt: str) -> list[str]:
    """Lines the runner would act on: starting with `::` after whitespace, or holding `##[` anywhere. In the
    github format lockgate's own `::error`/`::warning`/`::notice` lines are meant to be commands."""
    found = []
    for line in text.split("\n"):
        stripped = line.lstrip()
        if fmt == "github" and stripped.startswith(("::error ", "::warning ", "::notice ")):
            assert "::stop-commands" not in stripped.split("::", 2)[1]
            continue
        if stripped.startswith("::") or "##[" in line:
            found.append(line)
    return found


@pytest.fixture
def hostile(repo, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    base = repo.commit("base", {"README.md": "x"})
    head = repo.commit("evil", {f"{EVIL_DIR}/requirements.txt": "litellm==1.82.8\n",
                                "package.json": json.dumps({"dependencies": {"##[set-output name=ok;]true": "1.0.0"}})})
    return repo, base, head


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_in_every_format_carries_no_command(capsys, hostile, fmt):
    repo, base, head = hostile
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--offline", "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 1 and EVIL_DIR.strip(":").split("::")[0] in out.replace("\\", "")
    assert commands_in(out, fmt) == [] and commands_in(err, "text") == []
    if fmt in ("json", "sarif"):
        json.loads(out)  # still a document, the same values to a JSON reader
        assert "##[set-output" in json.dumps(json.loads(out))


@pytest.mark.parametrize("extra", [[], ["--format", "json"]])
def test_diff_carries_no_command(capsys, hostile, extra):
    repo, base, head = hostile
    main(["diff", "-C", str(repo.path), "--base", base, "--head", head, *extra])
    out, err = capsys.readouterr()
    assert commands_in(out, "text") == [] and commands_in(err, "text") == []


def test_an_error_naming_a_hostile_path_carries_no_command(capsys, repo, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    repo.commit("base", {"x.txt": "x"})
    assert main(["check", "-C", str(repo.path), "--base", "##[set-output name=a;]b"]) == 2
    assert commands_in(capsys.readouterr().err, "text") == []


def test_outside_actions_the_output_is_left_alone(capsys, hostile, monkeypatch):
    repo, base, head = hostile
    monkeypatch.delenv("GITHUB_ACTIONS")
    main(["diff", "-C", str(repo.path), "--base", base, "--head", head])
    assert f"{EVIL_DIR}/requirements.txt: added litellm 1.82.8" in capsys.readouterr().out.splitlines()


def test_inert_for_runner():
    assert inert_for_runner("a\n  ::error::x\n::y\nb ##[z]\n") == "a\n  \\::error::x\n\\::y\nb #\\#[z]\n"
    assert inert_for_runner('{"a": "##[x"}', json_document=True) == '{"a": "##\\u005bx"}'
    assert json.loads(inert_for_runner('{"a": "##[x"}', json_document=True)) == {"a": "##[x"}
    assert inert_for_runner("plain text: a::b\n") == "plain text: a::b\n"
