"""Names with invisible characters are refused where a person types or pastes them (issue 16): a policy, the review
ledger, `lockgate review`. `npm:@\u200bscope/pkg` pasted from a rendered page would otherwise record a review, or an
exception, that never matches the package it seems to name."""

from __future__ import annotations

import pytest

from checker.cli import main
from checker.errors import PolicyError
from checker.review.ledger import parse_ledger
from checker.policy.patterns import PackagePattern, hidden_character
from checker.policy.load import load_policy

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\u00ad", "\u061c", "\x1b", "\u2028"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_hidden_characters_are_found(char):
    assert hidden_character(f"npm:@{char}scope/pkg") == f"U+{ord(char):04X}"
    assert hidden_character("npm:@scope/pkg") is None and hidden_character("pypi:naïve-ünïcode") is None


@pytest.mark.parametrize("char", [c for c in INVISIBLE if c != "\x1b"])  # YAML itself refuses ESC
def test_the_policy_refuses_a_name_with_an_invisible_character(char):
    text = f"extends: default\nexceptions:\n  - {{rule: deny, package: \"npm:@{char}scope/pkg\", reason: r, expires: 2027-01-31}}\n"
    with pytest.raises(PolicyError) as caught:
        load_policy(text, ".github/lockgate.yml", lambda path: None)
    assert f"contains the invisible character U+{ord(char):04X}" in caught.value.message and caught.value.line == 3


def test_the_ledger_refuses_one_too():
    with pytest.raises(PolicyError, match="invisible character U\\+200B"):
        parse_ledger('reviews:\n  - {package: "npm:@\u200bscope/pkg", to: "1.0.1", reviewer: a, reason: ok}\n',
                     ".github/lockgate-reviews.yml")


@pytest.mark.parametrize("argument", [1, 2, 3])
def test_lockgate_review_refuses_pasted_invisible_characters(capsys, repo, argument):
    repo.commit("base", {"package.json": '{"dependencies": {"@scope/pkg": "1.0.1"}}\n'})
    args = ["npm:@scope/pkg", "1.0.0", "1.0.1"]
    args[argument - 1] = args[argument - 1].replace("@", "@\u200b", 1) if argument == 1 else args[argument - 1] + "\u200b"
    assert main(["review", "-C", str(repo.path), *args, "--reviewer", "a", "--reason", "ok"]) == 2
    err = capsys.readouterr().err
    assert "contains the invisible character U+200B" in err and "\u200b" not in err
    assert not (repo.path / ".github/lockgate-reviews.yml").exists()


def test_patterns_of_the_new_ecosystems_keep_the_at_signs_of_their_names():
    assert PackagePattern.parse("config:npm.@acme:registry").name == "npm.@acme:registry"
    assert PackagePattern.parse("pre-commit:git@github.com:org/hooks").name == "git@github.com:org/hooks"
    assert PackagePattern.parse("pre-commit:https://github.com/psf/black@24.1.0").version == "24.1.0"
    assert PackagePattern.parse("npm:@scope/pkg@1.0").version == "1.0"
    policy = load_policy("extends: default\nexceptions:\n  - {rule: registry-config, package: 'config:npm.@acme:registry', "
                         "reason: our registry, expires: 2027-01-31}\n", ".github/lockgate.yml", lambda path: None)
    assert policy.exceptions[0].package.matches("config", "npm.@acme:registry", "https://npm.acme.example/")
