"""The facts stage (checker/registries/stage.py): which dependencies are asked about, where, with which credentials; the
policy's ``registries:`` section; and gathering against the fake registry."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest

from checker.errors import PolicyError
from checker.registries.stage import asks_registry, gather_facts, registry_for
from checker.model import UNKNOWN, Dependency, Source
from checker.policy.load import RuleSetting, load_policy
from checker.registries.cache import Cache
from checker.registries.gather import Registries
from checker.registries.npmrc import parse_npmrc
from tests.fakes.registry import FakeRegistry, standard_scenarios

NOW = dt.datetime(2026, 3, 8, tzinfo=dt.timezone.utc)


def policy(text: str = "", *, advisories: bool = False):  # type: ignore[no-untyped-def]
    """The default preset with ``text``; the advisory rules off unless ``advisories`` (OSV's part of the stage is
    tests/registries/test_stage_osv.py's), and the rules that read release files, tags and publishers off unless
    ``text`` names them (theirs are test_stage_artifacts.py's, test_stage_source_tag.py's, the rule's own)."""
    loaded = load_policy("extends: default\n" + text, ".github/lockgate.yml", lambda p: None)
    quiet = {rule: RuleSetting("off", {}) for rule in INSIDE_RULES if rule not in text}
    if not advisories:
        quiet.update({"vulnerability": RuleSetting("off", {}), "malicious": RuleSetting("off", {})})
    return loaded._replace(rules={**loaded.rules, **quiet})


INSIDE_RULES = ("artifact-content", "source-tag", "publisher-change")


def error(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        policy(text)
    return caught.value


def test_which_dependencies_are_asked_about() -> None:
    assert asks_registry(Dependency("pypi", "a", "1"))
    assert asks_registry(Dependency("npm", "@s/a", "1.0.0"))
    assert not asks_registry(Dependency("pypi", "a", None, ">=1"))
    assert not asks_registry(Dependency("pypi", "a", "1", source=Source("git", "https://x/y")))
    assert not asks_registry(Dependency("pypi", "a", "1", editable=True))
    assert not asks_registry(Dependency("npm", "a", "1.0.0", bundled=True))
    assert not asks_registry(Dependency("actions", "actions/checkout", "v4"))


def test_where_to_ask() -> None:
    plain = policy()
    mirrored = policy("registries:\n  pypi: https://mirror.example/simple/\n  npm: {url: 'https://npm.example'}\n")
    assert mirrored.registries.pypi == "https://mirror.example/simple"
    public = Dependency("pypi", "a", "1", source=Source("registry", "https://pypi.org/simple/"))
    private = Dependency("pypi", "a", "1", source=Source("registry", "https://corp.example/simple"))
    assert registry_for(public, plain) is None
    assert registry_for(public, mirrored) == "https://mirror.example/simple"
    assert registry_for(private, mirrored) == "https://corp.example/simple"  # the manifest's own index wins
    npm = Dependency("npm", "@corp/x", "1.0.0")
    config = parse_npmrc(["registry=https://npm.one/\n@corp:registry=https://npm.corp/\n"], {})
    assert registry_for(npm, plain, config) == "https://npm.corp"
    assert registry_for(Dependency("npm", "x", "1.0.0"), plain, config) == "https://npm.one"
    assert registry_for(npm, mirrored, config) == "https://npm.example"


def test_npmrc_credentials_expand_variables_and_never_leak_unset_ones() -> None:
    text = ("//npm.corp/:_authToken=${NPM_TOKEN}\n//other/:_authToken=${UNSET}\n; comment\n"
            "//basic/:username=bob\n//basic/:_password=" + base64.b64encode(b"pw").decode() + "\n"
            "//raw/:_auth=Ym9iOnB3\n")
    config = parse_npmrc([text], {"NPM_TOKEN": "s3cret"})
    assert config.credentials == {"//npm.corp/": "Bearer s3cret", "//basic/": "Basic " + base64.b64encode(b"bob:pw").decode(),
                                  "//raw/": "Basic Ym9iOnB3"}


def test_registries_section_is_validated_with_lines() -> None:
    err = error("registries:\n  pypi: {url: 'ftp://x'}\n")
    assert (err.line, err.message) == (3, "registries.pypi.url must be an http(s) URL such as https://pypi.org/simple; "
                                          "found 'ftp://x'")
    err = error("registries:\n  timeout: 0\n")
    assert (err.line, err.message) == (3, "registries.timeout must be a number greater than 0 (seconds); found 0")
    err = error("registries:\n  retries: -1\n")
    assert err.message == "registries.retries must be a whole number of 0 or more; found -1"
    err = error("registries:\n  pip: x\n")
    assert err.message.startswith("unknown key 'pip' in registries; valid keys: pypi, npm, go, go-sumdb, cargo, gem, "
                                  "composer, nuget, pub, osv, scorecard, timeout")
    err = error("registries:\n  npm: {url: 'https://n', serves-provenance: maybe}\n")
    assert err.message == "registries.npm.serves-provenance must be true or false; found 'maybe'"
    settings = policy("registries: {timeout: 2.5, retries: 0, budget: 30, cache: false, cache-ttl: 60, "
                      "npm: {url: 'https://n', serves-provenance: true}}\n").registries
    assert (settings.timeout, settings.retries, settings.budget, settings.cache, settings.cache_ttl,
            settings.npm, settings.npm_serves_provenance) == (2.5, 0, 30.0, False, 60, "https://n", True)


def test_trusted_publishers_are_validated() -> None:
    err = error("rules:\n  provenance:\n    trusted-publishers:\n      - {package: 'pypi:x'}\n")
    assert (err.line, err.message) == (5, "rules.provenance.trusted-publishers[0] needs a `repository`")
    err = error("rules:\n  provenance:\n    trusted-publishers:\n      - {package: 'pypi:x', repository: nope}\n")
    assert err.message.startswith("rules.provenance.trusted-publishers[0].repository must be owner/repo")
    [pin] = policy("rules:\n  provenance:\n    trusted-publishers:\n      - {package: 'pypi:x', repository: a/b, "
                   "workflow: release.yml, environment: pypi}\n").rules["provenance"].options["trusted-publishers"]
    assert (pin.repository, pin.workflow, pin.environment, pin.describe()) == (
        "a/b", "release.yml", "pypi", "a/b (release.yml, environment pypi)")


def test_gather_against_the_fake_registry(tmp_path: Path) -> None:
    with FakeRegistry() as fake:
        standard_scenarios(fake)
        rules = policy(f"registries: {{pypi: '{fake.pypi_url}', npm: '{fake.npm_url}'}}\n")
        deps = [Dependency("pypi", "tp-then-token", "1.3"), Dependency("pypi", "litellm", "1.82.8"),
                Dependency("npm", "scripted", "1.0.0"), Dependency("pypi", "a", None, ">=1")]
        stack = Registries.create(cache=Cache(tmp_path), retries=0, timeout=2)
        found = gather_facts(deps, offline=False, policy=rules, now=NOW, registries=stack)
    assert sorted(found) == [("npm", "scripted", "1.0.0"), ("pypi", "litellm", "1.82.8"), ("pypi", "tp-then-token", "1.3")]
    token = found[("pypi", "tp-then-token", "1.3")]
    assert (token.exists, token.provenance, token.prior_evidence, token.prior_version, token.as_of) == (
        True, None, "trusted-publisher", "1.2", NOW)
    assert found[("pypi", "litellm", "1.82.8")].exists is False
    scripted = found[("npm", "scripted", "1.0.0")]
    assert (scripted.install_script, scripted.deprecated, scripted.registry) == (True, "use scripted2", fake.npm_url)


def test_offline_without_a_cache_everything_is_unknown(tmp_path: Path) -> None:
    found = gather_facts([Dependency("pypi", "a", "1")], offline=True, policy=policy(), now=NOW,
                         registries=Registries.create(offline=True, cache=Cache(tmp_path)))
    [facts] = found.values()
    assert facts.exists is UNKNOWN and facts.release_time is UNKNOWN and facts.provenance is UNKNOWN
    assert facts.reason == "offline, not cached: https://pypi.org/simple/a/"


def test_nothing_is_asked_when_the_fact_rules_are_off() -> None:
    off = policy("rules: {release-age: off, version-exists: off, hash-mismatch: off, provenance: off, "
                 "provenance-downgrade: off, install-scripts: off}\n")
    assert gather_facts([Dependency("pypi", "a", "1")], offline=False, policy=off) == {}


def test_an_index_the_manifest_names_is_asked_only_when_registry_source_allows_its_host(tmp_path: Path) -> None:
    """A pull request chooses its manifests: a URL from one must not make lockgate send requests wherever the
    author likes. The fake registry is on 127.0.0.1; the default hosts do not include it, so it is not asked
    (and the reason says how to allow it); once the policy allows the host, it is."""
    with FakeRegistry() as fake:
        standard_scenarios(fake)
        named = Dependency("pypi", "tp-then-token", "1.3", source=Source("registry", fake.pypi_url))
        stack = Registries.create(cache=Cache(tmp_path / "a"), retries=0, timeout=2)
        found = gather_facts([named], offline=False, policy=policy(), now=NOW, registries=stack)
        [facts] = found.values()
        assert facts.exists is UNKNOWN and fake.paths() == []
        assert facts.reason == (
            "not asked: host 127.0.0.1 is not an allowed registry host (pypi.org, files.pythonhosted.org, "
            "registry.npmjs.org, registry.yarnpkg.com, conda.anaconda.org, repo.anaconda.com) — lockgate asks no registry a change names unless "
            "registry-source allows it (add the host to registry-source.hosts, or name the registry in the "
            "policy's registries section)")
        allowed = policy("rules:\n  registry-source:\n    hosts: [pypi.org, 127.0.0.1]\n")
        stack = Registries.create(cache=Cache(tmp_path / "b"), retries=0, timeout=2)
        found = gather_facts([named], offline=False, policy=allowed, now=NOW, registries=stack)
        assert found[("pypi", "tp-then-token", "1.3")].exists is True and fake.paths()
    evil = Dependency("pypi", "a", "1", source=Source("registry", "http://169.254.169.254/simple"))
    [facts] = gather_facts([evil], offline=False, policy=allowed, now=NOW,
                           registries=Registries.create(cache=Cache(tmp_path / "c"), retries=0, timeout=2)).values()
    assert facts.reason.startswith("not asked: http://169.254.169.254/simple is plain HTTP")


LICENSED = "rules: {license: {level: block, deny: [BUSL-1.1]}}\n"


def test_licenses_are_gathered_only_when_the_license_rule_is_on(tmp_path: Path) -> None:
    """PyPI: the JSON API (PEP 639 expression, a classifier, free text); npm: the packument's license field, real
    shapes (@uniswap/v3-core 1.0.0 is "BUSL-1.1"; legacy ``licenses`` arrays; ``SEE LICENSE IN``)."""
    with FakeRegistry() as fake:
        fake.add_pypi("packaging", "24.2", at_day(1))
        fake.set_pypi_info("packaging", "24.2", license=None, license_expression="Apache-2.0 OR BSD-2-Clause",
                           classifiers=["License :: OSI Approved :: Apache Software License"])
        fake.add_pypi("oldstyle", "1.0", at_day(1))
        fake.set_pypi_info("oldstyle", "1.0", license="", classifiers=["License :: OSI Approved :: MIT License"])
        fake.add_pypi("freetext", "1.0", at_day(1))
        fake.set_pypi_info("freetext", "1.0", license="Apache 2.0",
                           classifiers=["License :: OSI Approved :: Apache Software License"])
        fake.add_pypi("nojson", "1.0", at_day(1))  # an index that serves no JSON API for it
        fake.add_npm("@uniswap/v3-core", "1.0.0", at_day(1), license="BUSL-1.1")
        fake.add_npm("legacy", "1.0.0", at_day(1), license=None)
        fake.npm["legacy"]["versions"]["1.0.0"]["licenses"] = [{"type": "MIT"}, {"type": "Apache-2.0"}]
        fake.add_npm("n8n-like", "1.0.0", at_day(1), license="SEE LICENSE IN LICENSE.md")
        where = f"registries: {{pypi: '{fake.pypi_url}', npm: '{fake.npm_url}'}}\n"
        deps = [Dependency("pypi", n, v) for n, v in (("packaging", "24.2"), ("oldstyle", "1.0"),
                                                       ("freetext", "1.0"), ("nojson", "1.0"))]
        deps += [Dependency("npm", n, "1.0.0") for n in ("@uniswap/v3-core", "legacy", "n8n-like")]
        found = gather_facts(deps, offline=False, policy=policy(where + LICENSED), now=NOW,
                             registries=Registries.create(cache=Cache(tmp_path), retries=0, timeout=2))
        off = gather_facts(deps[:1], offline=False, policy=policy(where), now=NOW,
                           registries=Registries.create(cache=Cache(tmp_path / "off"), retries=0, timeout=2))
        json_requests = [p for p in fake.paths() if p.startswith("/pypi/")]
    licenses = {name: (f.license, f.license_text) for (_, name, _), f in found.items()}
    assert licenses == {
        "packaging": ("Apache-2.0 OR BSD-2-Clause", None), "oldstyle": ("MIT", None),
        "freetext": (None, "Apache 2.0; Apache Software License"), "nojson": (UNKNOWN, None),
        "@uniswap/v3-core": ("BUSL-1.1", None), "legacy": ("MIT OR Apache-2.0", None),
        "n8n-like": (None, "SEE LICENSE IN LICENSE.md"),
    }
    assert "/pypi/nojson/1.0/json answered 404" in (found[("pypi", "nojson", "1.0")].reason or "")
    assert off[("pypi", "packaging", "24.2")].license is UNKNOWN  # the rule is off: nothing asked
    assert sorted(json_requests) == ["/pypi/freetext/1.0/json", "/pypi/nojson/1.0/json", "/pypi/oldstyle/1.0/json",
                                     "/pypi/packaging/24.2/json"]


def test_a_license_offline_and_not_cached_is_unknown(tmp_path: Path) -> None:
    found = gather_facts([Dependency("pypi", "a", "1")], offline=True, policy=policy(LICENSED), now=NOW,
                         registries=Registries.create(offline=True, cache=Cache(tmp_path)))
    assert found[("pypi", "a", "1")].license is UNKNOWN


def test_an_index_that_is_not_warehouse_gives_no_license(tmp_path: Path) -> None:
    from checker.registries.fetch import Fetcher
    from checker.registries.pypi import PypiClient

    client = PypiClient(Fetcher(None, None, offline=True), "https://mirror.example/pypi-proxy/")  # type: ignore[arg-type]
    assert client.json_api_url("A_b", "1.0") is None
    license, _, why = client.license("a", "1.0")
    assert license is UNKNOWN and "not a Warehouse index" in (why or "")
    assert PypiClient(Fetcher(None, None, offline=True)).json_api_url("A_b", "1.0") == (  # type: ignore[arg-type]
        "https://pypi.org/pypi/a-b/1.0/json")


def at_day(day: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, 12, tzinfo=dt.timezone.utc)


def test_the_license_of_the_version_an_upgrade_leaves_is_read_too(tmp_path: Path) -> None:
    """A relicensing (MIT -> BUSL-1.1) shows: the stage reads the old version's license, for that only."""
    with FakeRegistry() as fake:
        fake.add_npm("relicensed", "1.0.0", at_day(1), license="MIT")
        fake.add_npm("relicensed", "2.0.0", at_day(2), license="BUSL-1.1")
        fake.add_pypi("moved", "1.0", at_day(1))
        fake.set_pypi_info("moved", "1.0", license="MIT")
        fake.add_pypi("moved", "1.1", at_day(2))
        fake.set_pypi_info("moved", "1.1", license="MIT")
        fake.add_pypi("moved", "2.0", at_day(3))
        fake.set_pypi_info("moved", "2.0", license_expression="BUSL-1.1")
        where = f"registries: {{pypi: '{fake.pypi_url}', npm: '{fake.npm_url}'}}\n"
        deps = [Dependency("npm", "relicensed", "2.0.0"), Dependency("pypi", "moved", "2.0")]
        previous = {("npm", "relicensed", "2.0.0"): {"1.0.0"}, ("pypi", "moved", "2.0"): {"1.0", "1.1"}}
        found = gather_facts(deps, offline=False, policy=policy(where + LICENSED), now=NOW, previous=previous,
                             registries=Registries.create(cache=Cache(tmp_path), retries=0, timeout=2))
        npm_requests = [p for p in fake.paths() if p.startswith("/npm/")]
        fake.set_pypi_info("moved", "1.1", license="Apache-2.0")  # two old versions licensed apart: no claim
        apart = gather_facts(deps[1:], offline=False, policy=policy(where + LICENSED), now=NOW, previous=previous,
                             registries=Registries.create(cache=Cache(tmp_path / "2"), retries=0, timeout=2))
    assert (found[("npm", "relicensed", "2.0.0")].prior_license, found[("npm", "relicensed", "2.0.0")].license) == (
        "MIT", "BUSL-1.1")
    assert (found[("pypi", "moved", "2.0")].prior_license, found[("pypi", "moved", "2.0")].license) == (
        "MIT", "BUSL-1.1")
    assert sorted(found) == [("npm", "relicensed", "2.0.0"), ("pypi", "moved", "2.0")]  # the old ones not reported
    assert npm_requests == ["/npm/relicensed"]  # one packument for both versions
    assert apart[("pypi", "moved", "2.0")].prior_license is UNKNOWN


def test_a_json_api_answer_about_another_version_is_not_taken(tmp_path: Path) -> None:
    with FakeRegistry() as fake:
        fake.add_pypi("liar", "2.0", at_day(1))
        fake.set_pypi_info("liar", "2.0", license="MIT")
        fake.pypi_json[("liar", "2.0")]["version"] = "1.0"  # a mirror serving the wrong release's metadata
        found = gather_facts([Dependency("pypi", "liar", "2.0")], offline=False, now=NOW,
                             policy=policy(f"registries: {{pypi: '{fake.pypi_url}'}}\n" + LICENSED),
                             registries=Registries.create(cache=Cache(tmp_path), retries=0, timeout=2))
    facts = found[("pypi", "liar", "2.0")]
    assert facts.license is UNKNOWN and "answered about version 1.0, not 2.0" in (facts.reason or "")
