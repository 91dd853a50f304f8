"""``lockgate explain``: one rule's texts, its settings with their real defaults, the syntax of an exception for it,
the list of rules, an unknown rule."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from checker.commands.explain import explain, list_rules
from checker.errors import UsageError
from checker.policy.load import load_policy
from checker.rules import all_rules


# --- the rule registry -----------------------------------------------------------------------------------------


def test_explain() -> None:
    text = explain("hash-pinning")
    assert text.startswith("hash-pinning (default level: block)\n\nEvery downloaded artifact must be checked")
    assert "  algorithms: [sha256, sha384, sha512]\n      hash algorithms that count as strong\n" in text
    assert "  files-without-hashes: warn  (strict preset: block)\n" in text
    assert list_rules().splitlines()[0] == (
        "hash-pinning          block  Every downloaded artifact must be checked against a hash recorded in the repository."
    )
    with pytest.raises(UsageError) as caught:
        explain("release-speed")
    assert caught.value.message == f"unknown rule 'release-speed'; valid rules: {', '.join(all_rules())}"


# --- settings and exceptions (checker/policy/describe.py) ------------------------------------------------------


def test_settings_show_real_defaults_and_the_presets_values() -> None:
    text = explain("registry-source")
    assert '  allow-path: []  (default preset: ["*"]; strict preset: [])\n' in text
    assert "      takes a list of `ecosystem:name` patterns" in text
    text = explain("release-age")
    assert "  days: 3  (strict preset: 7)\n" in text
    assert "  major-days: not set\n      cooldown in days for major bumps (default: `days`)\n" in text
    assert explain("publisher-change").startswith("publisher-change (default level: off; warn in the default preset)")
    assert "  level: off  (default preset: warn; strict preset: block)\n" in explain("publisher-change")
    assert "  known-bad: true\n" in explain("deny")
    assert '  policies: {"*": hash-pin}\n' in explain("action-pinning")


@pytest.mark.parametrize("rule_id", list(all_rules()))
def test_explain_never_writes_python_values(rule_id) -> None:
    text = explain(rule_id, dt.date(2027, 1, 31))
    settings = text[text.index("\nSettings"):text.index("\nExceptions")]
    for word in ("None", "True", "False", "()", "['", "{'", "MappingProxy"):
        assert word not in settings, (rule_id, word)
    assert "None" not in text


def snippet(text: str) -> str | None:
    """The exception snippet of an explanation: from ``  exceptions:`` to the end of its entries."""
    lines = text.splitlines()
    if "  exceptions:" not in lines[:lines.index("Example:")]:
        return None
    start = lines.index("  exceptions:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return textwrap.dedent("\n".join(lines[start:end])) + "\n"


@pytest.mark.parametrize("rule_id", list(all_rules()))
def test_the_exception_syntax_loads_as_a_policy(rule_id) -> None:
    rule = all_rules()[rule_id]
    text = explain(rule_id, dt.date(2027, 1, 31))
    found = snippet(text)
    # every rule's exception loads and waives (the engine honours one for any rule); a rule whose reports never
    # suggest one says so
    if rule_id != "malicious" and not rule.offers_exception:
        assert "\nExceptions: lockgate's reports never suggest one for this rule" in text
    assert found is not None, text
    policy = load_policy(found, "snippet.yml", lambda _: None)
    assert policy.exceptions and {e.rule for e in policy.exceptions} == {rule_id}
    assert {e.expires for e in policy.exceptions} == {dt.date(2027, 1, 31)}
    for exception in policy.exceptions:
        assert exception.reason.strip() not in ("", "...", "…", "TODO")
    advisories = [e.advisory for e in policy.exceptions if e.advisory]
    assert bool(advisories) == (rule_id in ("vulnerability", "malicious"))
    if rule_id == "malicious":  # malware is never waived for a whole package
        assert all(e.package is None for e in policy.exceptions)


def test_the_exception_expires_ahead_of_today() -> None:
    from checker.report.risk import EXCEPTION_DAYS

    expires = (dt.date.today() + dt.timedelta(days=EXCEPTION_DAYS)).isoformat()
    assert f"      expires: {expires}\n" in explain("release-age")


def test_install_scripts_exception_names_an_npm_package() -> None:
    assert '      package: "npm:' in explain("install-scripts")


@pytest.mark.parametrize("rule_id", list(all_rules()))
def test_what_explain_writes_fits_100_columns(rule_id) -> None:
    """Every line lockgate writes (the rule's example is written by hand, as it would appear in a file)."""
    text = explain(rule_id, dt.date(2027, 1, 31))
    for line in text[:text.index("\nExample:")].splitlines():
        assert len(line) <= 100, line


def test_shown_defaults_are_the_loaders() -> None:
    """What explain shows for the default preset (or, where it sets nothing, the rule's default) is what a
    repository without a policy file gets from the loader."""
    from checker.policy.describe import preset_values, yaml_text

    policy = load_policy(None, "preset:default", lambda _: None)
    for rule_id, rule in all_rules().items():
        shown = {"level": rule.default_level, **rule.defaults()}
        for key, values in preset_values(rule).items():
            shown.update({key: value for name, value in values if name == "default"})
        setting = policy.rules[rule_id]
        assert shown["level"] == setting.level, rule_id
        for option in rule.options:
            loaded = setting.options[option.name]
            if option.kind == "package-list":
                loaded = [pattern.text for pattern in loaded]
            elif option.kind in ("deny-list", "publisher-list", "license-scopes", "spdx-list"):
                assert not loaded and not shown[option.name], (rule_id, option.name)
                continue
            elif option.kind == "str-map":
                loaded = dict(loaded)
            assert yaml_text(loaded) == yaml_text(shown[option.name]), (rule_id, option.name)
