"""The facts stage's advisories (checker/registries/stage.py with checker/registries/osv.py): OSV is asked only
when a rule that reads advisories is on, about the versions it can answer, while the registries are asked; its
answers fill ``Facts.vulnerabilities``; offline or failing, they are unknown with the reason.

The ``vulnerability`` and ``malicious`` rules are another module's; these tests switch them on in the policy
record directly, so they hold with or without those rules shipped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from checker.model import UNKNOWN, Advisory, Dependency
from checker.policy.load import Policy, RuleSetting, load_policy
from checker.registries.cache import Cache
from checker.registries.gather import Registries
from checker.registries.stage import gather_facts, osv_wanted
from checker.rules.base import osv_version
from tests.fakes.osv import FakeOsv
from tests.fakes.registry import Fault, FakeRegistry, standard_scenarios

NOW = dt.datetime(2026, 3, 8, tzinfo=dt.timezone.utc)
LITELLM = Dependency("pypi", "litellm", "1.82.8")
OLD_LITELLM = Dependency("pypi", "litellm", "1.82.6")
CHALK = Dependency("npm", "chalk", "5.6.1")
JINJA = Dependency("pypi", "jinja2", "3.1.2")


def policy(text: str = "", *, advisories: bool = True) -> Policy:
    """The default preset with ``text``; ``advisories=False`` turns the two rules that read advisories off."""
    loaded = load_policy("extends: default\n" + text, ".github/lockgate.yml", lambda p: None)
    level = "block" if advisories else "off"
    inside = {rule: RuleSetting("off", {}) for rule in ("artifact-content", "source-tag", "publisher-change")}
    return loaded._replace(rules={**loaded.rules, **inside, "vulnerability": RuleSetting(level, {}),
                                  "malicious": RuleSetting(level, {})})


def stack(tmp_path: Path, **options: object) -> Registries:
    return Registries.create(cache=Cache(tmp_path), retries=0, timeout=2, sleep=lambda s: None, **options)  # type: ignore[arg-type]


@pytest.fixture
def osv() -> FakeOsv:
    with FakeOsv() as server:
        server.add_fixtures()
        yield server


def ids(facts: object) -> list[str]:
    advisories = getattr(facts, "vulnerabilities")
    assert advisories is not UNKNOWN, getattr(facts, "reason")
    return [a.id for a in advisories]


def test_advisories_and_registry_facts_together(osv: FakeOsv, tmp_path: Path) -> None:
    with FakeRegistry() as registry:
        standard_scenarios(registry)
        rules = policy(f"registries: {{pypi: '{registry.pypi_url}', npm: '{registry.npm_url}', osv: '{osv.url}'}}\n")
        found = gather_facts([LITELLM, OLD_LITELLM, CHALK, JINJA], offline=False, policy=rules, now=NOW,
                             registries=stack(tmp_path), environ={})
    litellm = found[("pypi", "litellm", "1.82.8")]
    assert ids(litellm) == ["MAL-2026-2144"] and litellm.exists is False  # OSV's word and the registry's, side by side
    assert litellm.vulnerabilities[0].malicious  # type: ignore[index]
    assert ids(found[("pypi", "litellm", "1.82.6")]) == [] and found[("pypi", "litellm", "1.82.6")].exists is True
    assert ids(found[("npm", "chalk", "5.6.1")]) == ["MAL-2025-46969"]
    [jinja] = found[("pypi", "jinja2", "3.1.2")].vulnerabilities  # type: ignore[misc]
    assert isinstance(jinja, Advisory) and (jinja.id, jinja.severity, jinja.fixed) == ("GHSA-h5c8-rqwp-cp95", "moderate", "3.1.3")
    assert osv.paths("POST") == ["/v1/querybatch"]


def test_nothing_is_asked_of_osv_unless_a_rule_reads_advisories(osv: FakeOsv, tmp_path: Path) -> None:
    rules = policy(f"registries: {{osv: '{osv.url}'}}\n", advisories=False)
    assert not osv_wanted(rules)
    off = rules._replace(rules={**rules.rules, "vulnerability": RuleSetting("off", {})})
    assert not osv_wanted(off)
    registry_off = ("rules: {release-age: off, version-exists: off, hash-mismatch: off, provenance: off, "
                    "provenance-downgrade: off, install-scripts: off}\n")
    assert gather_facts([LITELLM], offline=False, policy=policy(registry_off + f"registries: {{osv: '{osv.url}'}}\n",
                                                                advisories=False), registries=stack(tmp_path)) == {}
    assert osv.requests == []


def test_osv_alone_when_no_registry_rule_is_on(osv: FakeOsv, tmp_path: Path) -> None:
    rules = policy("rules: {release-age: off, version-exists: off, hash-mismatch: off, provenance: off, "
                   "provenance-downgrade: off, install-scripts: off}\n" + f"registries: {{osv: '{osv.url}'}}\n")
    found = gather_facts([LITELLM, CHALK], offline=False, policy=rules, now=NOW, registries=stack(tmp_path), environ={})
    assert ids(found[("pypi", "litellm", "1.82.8")]) == ["MAL-2026-2144"]
    assert found[("pypi", "litellm", "1.82.8")].exists is UNKNOWN and found[("pypi", "litellm", "1.82.8")].as_of == NOW
    assert [path for _, path, _ in osv.requests if path == "/v1/querybatch"] == ["/v1/querybatch"]


def test_the_environment_names_the_osv_url_over_the_policy(osv: FakeOsv, tmp_path: Path) -> None:
    rules = policy("rules: {release-age: off, version-exists: off, hash-mismatch: off, provenance: off, "
                   "provenance-downgrade: off, install-scripts: off}\nregistries: {osv: 'https://osv.invalid'}\n")
    found = gather_facts([LITELLM], offline=False, policy=rules, registries=stack(tmp_path),
                         environ={"LOCKGATE_OSV_URL": osv.url})
    assert ids(found[("pypi", "litellm", "1.82.8")]) == ["MAL-2026-2144"]


def test_offline_the_advisories_are_unknown(osv: FakeOsv, tmp_path: Path) -> None:
    found = gather_facts([LITELLM], offline=True, policy=policy(f"registries: {{osv: '{osv.url}'}}\n"), now=NOW,
                         registries=Registries.create(offline=True, cache=Cache(tmp_path)), environ={})
    facts = found[("pypi", "litellm", "1.82.8")]
    assert facts.vulnerabilities is UNKNOWN
    assert facts.reason == "offline, not cached: https://pypi.org/simple/litellm/"
    assert facts.advisories_reason == ("offline: OSV was not asked, and no copy of its PyPI advisories was synced "
                                       "(lockgate db sync)")
    assert osv.requests == []


def test_a_failing_osv_is_unknown_and_the_registries_still_answer(osv: FakeOsv, tmp_path: Path) -> None:
    osv.fail("/v1/querybatch", Fault("status", 503))
    with FakeRegistry() as registry:
        standard_scenarios(registry)
        rules = policy(f"registries: {{pypi: '{registry.pypi_url}', osv: '{osv.url}'}}\n")
        found = gather_facts([OLD_LITELLM], offline=False, policy=rules, now=NOW, registries=stack(tmp_path), environ={})
    facts = found[("pypi", "litellm", "1.82.6")]
    assert facts.vulnerabilities is UNKNOWN and facts.exists is True
    assert facts.reason is None
    assert facts.advisories_reason == f"HTTP 503 from {osv.url}/v1/querybatch (gave up after 1 try)"


def test_which_dependencies_osv_answers(osv: FakeOsv, tmp_path: Path) -> None:
    """A full version tag, or a commit pin by its version comment (the pin lockgate recommends: not asking by it
    would leave every pinned action unchecked; a comment that lies is pin-comment's block); not a moving major tag,
    nor a pin without a comment that is a version."""
    tagged = Dependency("actions", "tj-actions/changed-files", "v45.0.7")
    pinned = Dependency("actions", "tj-actions/changed-files", "a" * 40, label="v45.0.7")
    fixed = Dependency("actions", "tj-actions/changed-files", "b" * 40, label="v46.0.1")
    moving = Dependency("actions", "actions/checkout", "v4")
    bare = Dependency("actions", "actions/checkout", "c" * 40)
    assert [osv_version(d) for d in (LITELLM, tagged, pinned, moving, bare)] == ["1.82.8", "45.0.7", "45.0.7", None,
                                                                                  None]
    assert osv_version(Dependency("pypi", "a", None, ">=1")) is None
    assert osv_version(Dependency("docker", "node", "20")) is None
    rules = policy(f"rules: {{pin-comment: off}}\nregistries: {{osv: '{osv.url}'}}\n")
    found = gather_facts([tagged, pinned, fixed, moving, bare], offline=False, policy=rules,
                         registries=stack(tmp_path), environ={})
    assert sorted(found) == sorted((d.ecosystem, d.name, d.version) for d in (tagged, pinned, fixed))
    assert ids(found[("actions", "tj-actions/changed-files", "v45.0.7")]) == ["GHSA-mrrh-fwg8-r2c3"]
    assert ids(found[("actions", "tj-actions/changed-files", "a" * 40)]) == ["GHSA-mrrh-fwg8-r2c3"]
    assert ids(found[("actions", "tj-actions/changed-files", "b" * 40)]) == []
    [query] = json.loads(osv.requests[0][2])["queries"]  # one package query answers every version of the action
    assert query == {"package": {"ecosystem": "GitHub Actions", "name": "tj-actions/changed-files"}}


def test_an_actions_tag_commits_and_its_advisories_are_one_record(osv: FakeOsv, tmp_path: Path) -> None:
    """pin-comment's GitHub facts and OSV's answer for the same action version are merged, never one in place of
    the other (a lost tag_commits would make pin-comment unknown; lost advisories, a false pass)."""
    from checker.registries.github import GitHubRefs
    from tests.fakes.github_api import FakeGitHub, FakeRepo

    pinned = Dependency("actions", "tj-actions/changed-files", "a" * 40, label="v45.0.7")
    github = FakeGitHub().start()
    try:
        github.repos["tj-actions/changed-files"] = FakeRepo(parents={"a" * 40: []}, branches={"main": "a" * 40},
                                                            tags={"v45.0.7": "a" * 40})
        refs = GitHubRefs(api_url=github.api_url, retries=0, backoff=0)
        found = gather_facts([pinned], offline=False, policy=policy(f"registries: {{osv: '{osv.url}'}}\n"),
                             registries=stack(tmp_path), environ={}, github=refs)
    finally:
        github.stop()
    facts = found[("actions", "tj-actions/changed-files", "a" * 40)]
    assert ids(facts) == ["GHSA-mrrh-fwg8-r2c3"]
    assert dict(facts.tag_commits) == {"v45.0.7": "a" * 40} and facts.reachable is True  # type: ignore[arg-type]


def test_the_osv_url_in_the_policy_is_validated() -> None:
    from checker.errors import PolicyError

    assert policy("registries:\n  osv: {url: 'https://osv.corp/'}\n").registries.osv == "https://osv.corp"
    assert policy("registries:\n  osv: https://osv.corp\n").registries.osv == "https://osv.corp"
    with pytest.raises(PolicyError) as caught:
        policy("registries:\n  osv: {url: 'file:///etc/passwd'}\n")
    assert caught.value.line == 3 and caught.value.message.startswith("registries.osv.url must be an http(s) URL")


def test_the_version_a_change_moves_off_is_asked_too_for_the_fixes_line(osv: FakeOsv, tmp_path: Path) -> None:
    """An upgrade off an affected version: the vulnerability rule says which advisories it fixes, from the old
    version's advisories (the engine looks them up by the old version), asked in the same batch."""
    rules = policy("rules: {release-age: off, version-exists: off, hash-mismatch: off, provenance: off, "
                   "provenance-downgrade: off, install-scripts: off}\n" + f"registries: {{osv: '{osv.url}'}}\n")
    newer = Dependency("pypi", "litellm", "1.82.9")
    found = gather_facts([newer], offline=False, policy=rules, now=NOW, registries=stack(tmp_path), environ={},
                         previous={("pypi", "litellm", "1.82.9"): {"1.82.8", "1.82.9"}})
    assert ids(found[("pypi", "litellm", "1.82.9")]) == []
    assert ids(found[("pypi", "litellm", "1.82.8")]) == ["MAL-2026-2144"]
    assert [path for _, path, _ in osv.requests if path == "/v1/querybatch"] == ["/v1/querybatch"]


def test_a_private_package_is_never_named_to_osv_and_is_answered_from_the_synced_copy(osv: FakeOsv,
                                                                                     tmp_path: Path) -> None:
    """registries.osv.private: internal names must not leave the machine. They are answered from the copy
    ``lockgate db sync`` keeps (a record naming the package still counts), and without one they are unknown with
    the reason, never "no advisory"; the others still go to the API."""
    from checker.registries import osv_db

    internal = Dependency("pypi", "acme-billing", "2.0")
    rules = policy(f"registries:\n  osv: {{url: '{osv.url}', private: ['pypi:acme-*']}}\n"
                   "rules: {release-age: off, version-exists: off, hash-mismatch: off, provenance: off, "
                   "provenance-downgrade: off, install-scripts: off}\n")
    assert [p.name for p in rules.registries.osv_private] == ["acme-*"]
    found = gather_facts([internal, LITELLM], offline=False, policy=rules, registries=stack(tmp_path), environ={})
    sent = [json.loads(body) for method, _, body in osv.requests if method == "POST"]
    assert "acme" not in json.dumps(sent) and ids(found[("pypi", "litellm", "1.82.8")]) == ["MAL-2026-2144"]
    facts = found[("pypi", "acme-billing", "2.0")]
    assert facts.vulnerabilities is UNKNOWN
    assert "its name is not sent to OSV (the policy's registries.osv.private)" in (facts.advisories_reason or "")
    squatted = {"id": "MAL-2026-9999", "modified": "2026-03-01T00:00:00Z", "summary": "Malicious code in acme-billing",
                "affected": [{"package": {"ecosystem": "PyPI", "name": "acme-billing"}, "versions": ["2.0"]}]}
    osv_db.install(str(tmp_path), "pypi", [squatted], source="test")
    found = gather_facts([internal], offline=False, policy=rules, registries=stack(tmp_path), environ={})
    assert ids(found[("pypi", "acme-billing", "2.0")]) == ["MAL-2026-9999"]
    assert "acme" not in json.dumps([body.decode() for _, _, body in osv.requests])


def test_the_private_list_is_checked_where_the_policy_says_it() -> None:
    from checker.errors import PolicyError

    with pytest.raises(PolicyError) as caught:
        policy("registries:\n  osv:\n    private: ['pypi:']\n")
    assert caught.value.line == 4 and "registries.osv.private[0]" in caught.value.message  # after "extends"
