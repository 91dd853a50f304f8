"""``lockgate --help`` and ``lockgate COMMAND --help``: every command has a description, real examples and its exit
codes, and the help fits a 100-column terminal (checker/commands/usage.py)."""

from __future__ import annotations

import shlex

import pytest

from checker.cli import _SUBCOMMANDS, _parser, main
from checker.commands.usage import COMMANDS


def help_text(capsys, monkeypatch, columns: int, *argv: str) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def sections(text: str) -> dict[str, list[str]]:
    """The help's blocks by their first line (``usage: …``, ``options:``, ``examples:``, …)."""
    out = {}
    for block in text.strip("\n").split("\n\n"):
        lines = block.splitlines()
        out[lines[0]] = lines[1:]
    return out


def test_every_command_has_its_texts() -> None:
    assert set(COMMANDS) == set(_SUBCOMMANDS)


@pytest.mark.parametrize("command", sorted(_SUBCOMMANDS))
@pytest.mark.parametrize("columns", [80, 100, 240])
def test_command_help_has_description_examples_and_exit_codes(capsys, monkeypatch, command, columns) -> None:
    text = help_text(capsys, monkeypatch, columns, command)
    assert max(len(line) for line in text.splitlines()) <= min(columns, 100)
    found = sections(text)
    description = [head for head in found if not head.startswith(("usage:", "positional arguments:", "options:",
                                                                  "examples:", "exit codes:", " "))]
    assert len(description) == 1 and len(description[0]) > 40, found
    assert found["examples:"] and all(line.startswith(f"  lockgate {command}") for line in found["examples:"])
    codes = [line.split()[0] for line in found["exit codes:"] if not line.startswith("    ")]
    assert codes and all(code in ("0", "1", "2", "3") for code in codes) and codes == sorted(codes)
    assert "2" in codes  # argparse itself exits 2 on a bad argument, for every command


@pytest.mark.parametrize("command", sorted(_SUBCOMMANDS))
def test_examples_are_real_invocations(command) -> None:
    """Every example parses as written (a mistyped option would exit 2 here)."""
    for example in COMMANDS[command][2]:
        invocation = example.split("  ")[0].split(" > ")[0]
        argv = shlex.split(invocation)
        assert argv[:2] == ["lockgate", command]
        args = _parser(command).parse_args(argv[1:])
        assert args.command == command


def test_top_level_help_lists_commands_and_exit_codes(capsys, monkeypatch) -> None:
    text = help_text(capsys, monkeypatch, 240)
    assert max(len(line) for line in text.splitlines()) <= 100
    found = sections(text)
    listed = [line.split()[0] for line in found["positional arguments:"][1:]]
    assert listed == list(_SUBCOMMANDS)
    assert all(len(line) <= 100 for line in found["positional arguments:"])  # one line each
    codes = [line.split()[0] for line in found["exit codes:"]]
    assert codes == ["0", "1", "2", "3", "130"]


def test_no_command_prints_the_help_and_exits_2(capsys) -> None:
    assert main([]) == 2
    assert "exit codes:" in capsys.readouterr().out


@pytest.mark.parametrize("command, codes", [
    ("check", ["0", "1", "2", "3"]), ("pr", ["0", "1", "2", "3"]), ("diff", ["0", "1", "2"]),
    ("review", ["0", "2"]), ("explain", ["0", "2"]), ("init", ["0", "2"]), ("schema", ["0", "2"]),
    ("demo", ["1", "2"]), ("db", ["0", "2"]),
])
def test_each_command_lists_the_codes_it_returns(command, codes) -> None:
    """The codes each command's ``run`` can return: check and pr from the verdict (3: only unknown facts block),
    diff 1 for an unreadable manifest, the demo's fixed verdict, and 2 for every error a user can cause."""
    listed = [line.split()[0] for line in COMMANDS[command][3] if not line.startswith(" ")]
    assert listed == codes


def test_demo_exit_code_is_the_one_its_help_names(capsys) -> None:
    assert main(["demo", "--format", "json"]) == 1
    capsys.readouterr()
