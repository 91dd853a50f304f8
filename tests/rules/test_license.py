"""license on hand-built Facts, through the engine (and the policy loader's checks of its lists)."""

from __future__ import annotations

import pytest

from checker.errors import PolicyError
from checker.model import UNKNOWN, Source
from checker.policy.load import load_policy
from checker.rules.license import RULE
from tests.rules.fact_subjects import KNOWN, dep, facts, run

ON = "  license: {level: block, allow: [MIT, Apache-2.0, BSD-3-Clause]}\n"


def licensed(expression: object, text: str | None = None, **more: object) -> object:
    return facts(**{**KNOWN, "license": expression, "license_text": text, **more})


def license_findings(found: list[tuple[str, str, bool, str]]) -> list[tuple[str, bool, str]]:
    return [(level, unknown, message) for rule, level, unknown, message in found if rule == "license"]


def test_off_by_default_and_blocking_nothing_until_configured() -> None:
    assert RULE.default_level == "off"
    assert license_findings(run(dep(), licensed("BUSL-1.1"))) == []
    assert license_findings(run(dep(), licensed("BUSL-1.1"), "  license: block\n")) == []  # no list: nothing refused


def test_a_relicensing_upgrade_is_judged_by_the_new_license() -> None:
    assert license_findings(run(dep(), licensed("BUSL-1.1"), ON)) == [
        ("block", False, "litellm 1.82.8 (was 1.0) is licensed BUSL-1.1: BUSL-1.1 is not on the allow-list")]
    assert license_findings(run(dep(), licensed("MIT"), ON)) == []


@pytest.mark.parametrize(("expression", "policy", "blocked"), [
    ("MIT OR GPL-3.0-only", ON, False),
    ("MIT AND GPL-3.0-only", ON, True),
    ("GPL-3.0-only", "  license: {level: block, deny: [GPL-3.0-only]}\n", True),
    ("GPL-3.0-or-later", "  license: {level: block, deny: [GPL-3.0-only]}\n", True),  # "or later" is no way round
    ("GPL-2.0-only", "  license: {level: block, deny: [GPL-3.0-only]}\n", False),  # another version
    ("GPL-2.0-only", "  license: {level: block, deny: [GPL-2.0]}\n", True),  # a deprecated id in the list
    ("LicenseRef-Proprietary", ON, True),
])
def test_lists(expression: str, policy: str, blocked: bool) -> None:
    assert bool(license_findings(run(dep(), licensed(expression), policy))) is blocked


def test_no_recognisable_license_takes_the_unknown_level() -> None:
    [(level, unknown, message)] = license_findings(run(dep(), licensed(None, "Apache 2.0"), ON))
    assert (level, unknown) == ("warn", False)
    assert message == "litellm 1.82.8 (was 1.0) has no recognisable SPDX license: the registry says 'Apache 2.0'"
    assert license_findings(run(dep(), licensed(None), ON.replace("}", ", unknown: block}")))[0][0] == "block"
    assert license_findings(run(dep(), licensed(None), ON.replace("}", ", unknown: off}"))) == []


def test_not_found_out_is_an_unknown_finding_never_a_pass() -> None:
    [(level, unknown, message)] = license_findings(
        run(dep(), licensed(UNKNOWN, reason="offline, not cached: https://pypi.org/pypi/litellm/1.82.8/json"), ON))
    assert unknown is True
    assert "could not find out the license of litellm 1.82.8" in message and "offline, not cached" in message


def test_exclude_scopes_and_what_is_not_a_registry_version() -> None:
    busl = licensed("BUSL-1.1")
    assert license_findings(run(dep(), busl, ON.replace("}", ", exclude: [\"pypi:lite*\"]}"))) == []
    assert license_findings(run(dep(scope="dev"), busl, ON.replace("}", ", scopes: [prod]}"))) == []
    assert license_findings(run(dep(scope="prod"), busl, ON.replace("}", ", scopes: [prod]}"))) != []
    assert license_findings(run(dep(source=Source("git", "https://github.com/x/y")), busl, ON)) == []
    assert license_findings(run(dep(), licensed("BUSL-1.1", exists=False), ON)) == []  # version-exists says it


def test_a_scope_may_have_lists_of_its_own() -> None:
    """A test tool may be GPL where a shipped library may not: ``by-scope`` replaces the lists for one scope."""
    policy = ("  license:\n    level: block\n    allow: [MIT]\n    by-scope:\n"
              "      dev: {allow: [MIT, GPL-3.0-only]}\n      build: {deny: [AGPL-3.0-only]}\n")
    gpl = licensed("GPL-3.0-or-later")
    assert license_findings(run(dep(scope="dev"), gpl, policy)) == []
    assert license_findings(run(dep(scope="prod"), gpl, policy)) == [
        ("block", False, "litellm 1.82.8 (was 1.0) is licensed GPL-3.0-or-later: GPL-3.0-or-later is not on the "
                         "allow-list")]
    assert license_findings(run(dep(scope="build"), gpl, policy)) == []  # build: only a deny-list, which passes it
    assert license_findings(run(dep(scope="build"), licensed("AGPL-3.0-or-later"), policy)) != []


@pytest.mark.parametrize(("text", "error"), [
    ("    by-scope: [dev]\n", r"lockgate.yml:3: rules.license.by-scope must be a mapping of scope names"),
    ("    by-scope:\n      dev: {allowed: [MIT]}\n", r"lockgate.yml:4: rules.license.by-scope.dev must be a "
                                                       r"mapping with allow and/or deny"),
    ("    by-scope:\n      dev:\n        allow: [MIT, Apache 2]\n", r"lockgate.yml:5: rules.license.by-scope.dev.allow\[1\]: "
                                                                      r"'Apache 2' is not an SPDX"),
])
def test_the_policy_refuses_a_malformed_by_scope(text: str, error: str) -> None:
    with pytest.raises(PolicyError, match=error):
        load_policy("rules:\n  license:\n" + text, "lockgate.yml", lambda p: None)


def test_the_policy_refuses_a_list_entry_that_is_no_spdx_expression() -> None:
    with pytest.raises(PolicyError, match=r"lockgate.yml:5: rules.license.allow\[1\]: 'Apache 2.0' is not an SPDX"):
        load_policy("rules:\n  license:\n    allow:\n      - MIT\n      - Apache 2.0\n", "lockgate.yml",
                    lambda p: None)
    policy = load_policy("rules:\n  license: {level: block, allow: [mit, GPL-2.0+]}\n", "lockgate.yml", lambda p: None)
    assert policy.rules["license"].options["allow"] == ("MIT", "GPL-2.0-or-later")


def test_a_relicensing_names_both_licenses() -> None:
    """hashicorp-style: MIT -> BUSL-1.1 blocks with both named; a relicensing the lists allow is an info line."""
    assert license_findings(run(dep(), licensed("BUSL-1.1", prior_license="MIT"), ON)) == [
        ("block", False, "litellm 1.82.8 (was 1.0) is relicensed MIT -> BUSL-1.1: BUSL-1.1 is not on the allow-list")]
    assert license_findings(run(dep(), licensed("Apache-2.0", prior_license="MIT"), ON)) == [
        ("info", False, "litellm 1.82.8 (was 1.0) is relicensed MIT -> Apache-2.0")]
    assert license_findings(run(dep(), licensed("Apache-2.0", prior_license="MIT"), "  license: block\n")) == [
        ("info", False, "litellm 1.82.8 (was 1.0) is relicensed MIT -> Apache-2.0")]
    assert license_findings(run(dep(), licensed(None, "SEE LICENSE IN LICENSE.md", prior_license="MIT"), ON)) == [
        ("warn", False, "litellm 1.82.8 (was 1.0) is relicensed MIT -> no recognisable license: the registry says "
                        "'SEE LICENSE IN LICENSE.md'")]
    assert license_findings(run(dep(), licensed("MIT", prior_license="MIT"), ON)) == []  # unchanged: nothing
    assert license_findings(run(dep(), licensed("MIT", prior_license=UNKNOWN), ON)) == []  # not known: no claim
