"""registry-config: each dangerous change of a registry setting is a finding; a harmless one is none (it is still a
change that needs review); settings a change removes are judged from the base; the hosts are registry-source's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from checker.diff.changes import diff
from checker.manifests import format_for
from checker.model import Manifest
from checker.judge.engine import judge
from checker.policy.load import load_policy, load_policy_file
from checker.rules import registry_config
from checker.rules.base import Issue, Subject

HOSTS = ["pypi.org", "files.pythonhosted.org", "registry.npmjs.org", "registry.yarnpkg.com"]
OPTIONS = {"hosts": HOSTS, "package-scripts": "warn", "protections": "warn"}


def manifest(path: str, text: str) -> Manifest:
    fmt = format_for(path)
    assert fmt is not None
    return fmt.parse(text, path, lambda _: None)


def judged(path: str, before: str | None, after: str, **options: Any) -> list[Issue]:
    """The rule's issues for a change of one file from ``before`` (None: the file is new) to ``after``."""
    opts = {**OPTIONS, **options}
    head = manifest(path, after)
    base = manifest(path, before) if before is not None else None
    issues: list[Issue] = []
    for change in diff([base] if base else [], [head]):
        if change.after is not None:
            issues += registry_config.check(Subject(change.after, head, change), opts)
    issues += registry_config.check_manifest(head, base, opts)
    return issues


def messages(issues: list[Issue]) -> list[str]:
    return [issue.message for issue in issues]


# --- where packages come from ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "before", "after"), [
    (".npmrc", "registry=https://registry.npmjs.org/\n", "registry=https://npm.evil.example/\n"),
    (".npmrc", "", 'registry = "https://npm.evil.example/"\n'),
    (".npmrc", "", "@acme:registry=https://npm.evil.example/\n"),
    (".npmrc", "registry=https://registry.npmjs.org/\n", "registry=https://registry.npmjs.org/\n"
                                                         "registry=https://npm.evil.example/\n"),
    (".yarnrc.yml", "", "npmRegistryServer: https://npm.evil.example\n"),
    (".yarnrc.yml", "", "npmScopes:\n  acme:\n    npmRegistryServer: https://npm.evil.example\n"),
    (".yarnrc", "", '"@acme:registry" "https://npm.evil.example/"\n'),
    ("pip.conf", "[global]\n", "[global]\nextra-index-url =\n  https://pypi.org/simple\n  https://pypi.evil.example/\n"),
    ("uv.toml", "", '[pip]\nindex-url = "https://pypi.evil.example/simple"\n'),
    ("bunfig.toml", "", '[install.scopes]\nacme = "https://npm.evil.example/"\n'),
])
def test_a_registry_on_a_host_that_is_not_allowed_is_blocked(path: str, before: str, after: str) -> None:
    [issue] = judged(path, before, after)
    assert "is not an allowed registry host" in issue.message and issue.level is None


def test_plain_http_and_env_references_are_blocked() -> None:
    [http] = judged(".npmrc", "", "registry=http://registry.npmjs.org/\n")
    assert "plain HTTP" in http.message
    [env] = judged(".npmrc", "", "registry=${NPM_REGISTRY}\n")
    assert "environment reference" in env.message


def test_an_allowed_registry_change_is_no_finding() -> None:
    assert judged(".npmrc", "registry=https://registry.npmjs.org/\n", "registry=https://registry.yarnpkg.com/\n") == []


def test_the_hosts_are_registry_source_s() -> None:
    assert judged(".npmrc", "", "registry=https://npm.acme.example/\n", hosts=["*.acme.example"]) == []


def test_a_credential_for_a_host_that_is_not_allowed_is_blocked() -> None:
    [issue] = judged(".npmrc", "registry=https://registry.npmjs.org/\n",
                     "registry=https://registry.npmjs.org/\n//evil.example/:_authToken=${NPM_TOKEN}\n")
    assert "credential for //evil.example/" in issue.message
    assert judged(".npmrc", "", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n") == []


def test_a_uv_index_made_default_is_judged_though_its_url_did_not_change() -> None:
    base = '[[index]]\nname = "internal"\nurl = "https://pypi.internal.example/simple"\nexplicit = true\n'
    head = '[[index]]\nname = "internal"\nurl = "https://pypi.internal.example/simple"\ndefault = true\n'
    assert any("uv.default-index" in m and "pypi.internal.example" in m for m in messages(judged("uv.toml", base, head)))


def test_an_index_a_pyproject_lists_is_left_to_registry_source() -> None:
    base = '[project]\nname = "a"\nversion = "1"\n'
    head = base + '[[tool.uv.index]]\nname = "x"\nurl = "https://pypi.evil.example/simple"\n'
    assert judged("pyproject.toml", base, head) == []


def test_a_poetry_source_promoted_to_primary_is_judged() -> None:
    base = '[[tool.poetry.source]]\nname = "x"\nurl = "https://pypi.evil.example/simple"\npriority = "explicit"\n'
    head = base.replace('"explicit"', '"primary"')
    assert any("poetry.source.x.priority" in m for m in messages(judged("pyproject.toml", base, head)))


def test_removing_a_scope_registry_sends_its_packages_to_the_public_registry() -> None:
    [issue] = judged(".npmrc", "@acme:registry=https://registry.npmjs.org/\n", "")
    assert issue.level == "warn" and "default public registry" in issue.message


# --- TLS and checksums ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "after"), [
    (".npmrc", "strict-ssl=false\n"),
    (".npmrc", "strict-ssl=0\n"),
    (".npmrc", "cafile=certs/ca.pem\n"),
    (".yarnrc.yml", "enableStrictSsl: false\n"),
    (".yarnrc.yml", "unsafeHttpWhitelist:\n  - npm.acme.example\n"),
    (".yarnrc.yml", "httpsCaFilePath: ./ca.pem\n"),
    (".yarnrc", "strict-ssl false\n"),
    ("pip.conf", "[global]\ntrusted-host = pypi.org\n"),
    ("pip.conf", "[global]\ncert = ./ca.pem\n"),
    ("uv.toml", 'allow-insecure-host = ["pypi.org"]\n'),
    ("uv.toml", "[pip]\nallow-insecure-host = [\"pypi.org\"]\n"),
    (".yarnrc.yml", "checksumBehavior: ignore\n"),
    (".yarnrc.yml", "checksumBehavior: update\n"),
    (".npmrc", "verify-store-integrity=false\n"),
    ("uv.toml", "[pip]\nverify-hashes = false\n"),
])
def test_tls_and_checksums_turned_off_are_blocked(path: str, after: str) -> None:
    [issue] = judged(path, "", after)
    assert issue.level is None, issue


def test_strict_ssl_true_is_no_finding() -> None:
    assert judged(".npmrc", "", "strict-ssl=true\n") == []


def test_require_hashes_turned_off_is_blocked() -> None:
    [issue] = judged("pip.conf", "[global]\nrequire-hashes = true\n", "[global]\nrequire-hashes = false\n")
    assert "hash" in issue.message


# --- install scripts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "before", "after"), [
    (".npmrc", "ignore-scripts=true\n", "ignore-scripts=false\n"),
    (".npmrc", "ignore-scripts=true\n", ""),
    (".npmrc", "ignore-scripts=true\n", "ignore-scripts=no\n"),
    (".npmrc", "", "dangerously-allow-all-scripts=true\n"),
    (".npmrc", "", "dangerously-allow-all-builds=true\n"),
    (".npmrc", "strict-allow-scripts=true\n", "strict-allow-scripts=false\n"),
    (".yarnrc.yml", "enableScripts: false\n", "enableScripts: true\n"),
    (".yarnrc.yml", "enableScripts: false\n", "nodeLinker: pnp\n"),
    (".yarnrc.yml", "", "enableScripts: true\n"),
    (".yarnrc", "--install.ignore-scripts true\n", "--install.ignore-scripts false\n"),
    (".yarnrc", "ignore-scripts true\n", ""),
    ("pip.conf", "[global]\nonly-binary = :all:\n", "[global]\nonly-binary = numpy\n"),
    ("pip.conf", "[global]\nonly-binary = :all: numpy\n", "[global]\nonly-binary = numpy\n"),
    ("uv.toml", "no-build = true\n", ""),
    (".npmrc", "", "never-built-dependencies[]=fsevents\n"),
])
def test_install_scripts_turned_back_on_are_blocked(path: str, before: str, after: str) -> None:
    issues = judged(path, before, after)
    assert [issue.level for issue in issues] == [None], issues


def test_a_protection_spelled_in_another_case_still_counts() -> None:
    [issue] = judged(".npmrc", "IGNORE-SCRIPTS=true\n", "ignore-scripts=false\n")
    assert issue.level is None


@pytest.mark.parametrize(("path", "before", "after"), [
    (".npmrc", "only-built-dependencies[]=esbuild\n", "only-built-dependencies[]=esbuild\n"
                                                     "only-built-dependencies[]=evil-pkg\n"),
    (".npmrc", "", "allow-scripts=evil-pkg\n"),
    (".npmrc", "never-built-dependencies[]=a\nnever-built-dependencies[]=b\n", "never-built-dependencies[]=a\n"),
])
def test_one_more_package_allowed_to_run_scripts_warns(path: str, before: str, after: str) -> None:
    [issue] = judged(path, before, after)
    assert issue.level == "warn"
    [strict] = judged(path, before, after, **{"package-scripts": "block"})
    assert strict.level == "block"


def test_harmless_setting_changes_are_no_finding() -> None:
    assert judged(".npmrc", "ignore-scripts=false\n", "ignore-scripts=true\n") == []
    assert judged(".npmrc", "strict-ssl=false\n", "") == []
    assert judged(".npmrc", "", "ignore-scripts=false\n") == []
    assert judged(".yarnrc.yml", "enableScripts: true\n", "enableScripts: false\n") == []
    assert judged(".npmrc", "only-built-dependencies[]=esbuild\nonly-built-dependencies[]=sharp\n",
                  "only-built-dependencies[]=esbuild\n") == []
    assert judged(".npmrc", "script-shell=bash\n", "script-shell=zsh\n") == []


# --- weakened protections -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "after"), [
    (".npmrc", "package-lock=false\n"),
    (".yarnrc.yml", "enableImmutableInstalls: false\n"),
    (".yarnrc.yml", "enableHardenedMode: 0\n"),
    ("uv.toml", 'index-strategy = "unsafe-best-match"\n'),
])
def test_weakened_protections_warn(path: str, after: str) -> None:
    [issue] = judged(path, "", after)
    assert issue.level == "warn"


# --- settings named by other parsers ------------------------------------------------------------------------------


def _config(name: str, value: str, before: str | None = None) -> list[Issue]:
    from checker.model import Change, Dependency

    dep = Dependency("config", name, value, scope="build", manifest=".github/workflows/ci.yml", line=3)
    old = dep._replace(version=before) if before is not None else None
    change = Change("source-changed" if old else "added", old, dep)
    head = Manifest(".github/workflows/ci.yml", "gha-workflow", "actions", (dep,))
    return list(registry_config.check(Subject(dep, head, change), OPTIONS))


@pytest.mark.parametrize(("name", "value"), [
    ("pip.index-url", "https://pypi.evil.example/simple"),
    ("uv.default-index", "https://pypi.evil.example/simple"),
    ("uv.index", "https://pypi.evil.example/simple"),
    ("npm.registry", "https://npm.evil.example/"),
    ("yarn.npmRegistryServer", "https://npm.evil.example"),
    ("pipenv.source.pypi", "https://pypi.evil.example/simple"),
    ("pip.trusted-host", "pypi.org"),
    ("npm.strict-ssl", "false"),
    ("node.tls-reject-unauthorized", "0"),
    ("conda.channels", "http://conda.example/channel"),
    ("pnpm.dangerouslyAllowAllBuilds", "true"),
])
def test_settings_from_workflows_and_other_files_are_judged_by_name(name: str, value: str) -> None:
    assert len(_config(name, value)) == 1


def test_other_named_settings_that_are_harmless() -> None:
    assert _config("node.tls-reject-unauthorized", "1") == []
    assert _config("conda.channels", "conda-forge") == []
    assert _config("npm.scripts.postinstall", "node evil.js") == []  # reviewed as a change, not judged here
    [issue] = _config("pnpm.onlyBuiltDependencies", "evil-pkg")
    assert issue.level == "warn"
    [issue] = _config("bun.trustedDependencies", "evil-pkg")
    assert issue.level == "warn"


# --- through the engine ---------------------------------------------------------------------------------------


def test_the_engine_hands_the_rule_registry_source_hosts(tmp_path) -> None:
    policy_file = tmp_path / "lockgate.yml"
    policy_file.write_text("extends: default\nrules:\n  registry-source: {level: block, hosts: [npm.acme.example]}\n")
    policy = load_policy_file(str(policy_file))
    base = [manifest(".npmrc", "registry=https://npm.acme.example/\n")]
    head = [manifest(".npmrc", "registry=https://registry.npmjs.org/\n")]
    result = judge(diff(base, head), base, head, policy, today=dt.date(2026, 1, 1))
    [finding] = [f for f in result.findings if f.rule == "registry-config"]
    assert "registry.npmjs.org is not an allowed registry host (npm.acme.example)" in finding.message


def test_the_engine_judges_a_deleted_file_against_its_base() -> None:
    policy = load_policy(None, "", lambda _: None)
    base = [manifest(".yarnrc.yml", "enableScripts: false\n")]
    result = judge(diff(base, []), base, [], policy, today=dt.date(2026, 1, 1))
    assert [f.rule for f in result.findings if f.level == "block"] == ["registry-config"]


# --- the names the other surfaces produce -------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "before", "after", "expected"), [
    ("Pipfile", '[[source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\nverify_ssl = true\n',
     '[[source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\nverify_ssl = false\n', "does not check the TLS"),
    ("Pipfile", '[[source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\nverify_ssl = true\n',
     '[[source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\nverify_ssl = true\n[pipenv]\n'
     'install_search_all_sources = true\n', "dependency confusion"),
    ("pnpm-workspace.yaml", "packages: []\n", "packages: []\nregistry: https://npm.evil.example/\n", "not an allowed"),
    ("pnpm-workspace.yaml", "packages: []\n", "packages: []\nstrictSsl: false\n", "TLS certificates"),
    ("pnpm-workspace.yaml", "packages: []\n", "packages: []\nverifyStoreIntegrity: false\n", "no longer verified"),
    ("pnpm-workspace.yaml", "packages: []\n", "packages: []\nallowBuilds:\n  esbuild: true\n", "run install scripts"),
])
def test_settings_of_every_surface_are_judged(path, before, after, expected):
    assert any(expected in message for message in messages(judged(path, before, after))), messages(
        judged(path, before, after))


def test_a_pipfile_source_verified_is_no_finding():
    """verify_ssl = true is the safe value: not a URL to judge (it once blocked as 'sends installs to true')."""
    text = '[[source]]\nname = "pypi"\nurl = "https://pypi.org/simple"\nverify_ssl = true\n'
    assert messages(judged("Pipfile", None, text)) == []
