"""What every rule shares (checker/rules/base.py): which dependencies a registry rule judges, the facts it judges
them by, and the defaults of a rule's options and of what the risk summary reads of it."""

from __future__ import annotations

from checker.model import Dependency, Facts, Manifest, Source
from checker.rules.base import DEFAULT_ACTION_RANK, Option, Rule, Subject, asks_registry, registry_facts

MANIFEST = Manifest("requirements.txt", "requirements", "pypi", ())


def test_a_registry_rule_judges_exact_registry_versions_of_pypi_and_npm_only() -> None:
    assert asks_registry(Dependency("pypi", "a", "1")) and asks_registry(Dependency("npm", "@s/a", "1.0.0"))
    for dep in (Dependency("pypi", "a", None, ">=1"), Dependency("pypi", "a", "1", source=Source("git", "https://x/y")),
                Dependency("pypi", "a", "1", editable=True), Dependency("npm", "a", "1.0.0", bundled=True),
                Dependency("actions", "actions/checkout", "v4")):
        assert not asks_registry(dep), dep


def test_registry_facts_are_the_subjects_when_a_registry_is_asked_about_it() -> None:
    facts = Facts("pypi", "a", "1")
    assert registry_facts(Subject(Dependency("pypi", "a", "1"), MANIFEST, None, facts)) is facts
    assert registry_facts(Subject(Dependency("pypi", "a", "1"), MANIFEST)) is None  # no facts stage ran
    assert registry_facts(Subject(Dependency("pypi", "a", None, ">=1"), MANIFEST, None, facts)) is None


def test_a_rule_that_says_nothing_more_comes_just_before_the_review_and_offers_nothing() -> None:
    rule = Rule("x", "warn", "s", "e", "f", "ex", options=(Option("days", "int", 3, "doc"),))
    assert rule.defaults() == {"days": 3}
    assert (rule.action, rule.action_rank, rule.offers_exception, rule.asks_review) == (
        "", DEFAULT_ACTION_RANK, False, False)


def test_maven_versions_are_asked_of_osv_but_of_no_registry() -> None:
    from checker.model import Dependency, Source
    from checker.rules.base import asks_registry, osv_version

    exact = Dependency("maven", "org.slf4j:slf4j-api", "2.0.13", "2.0.13")
    assert osv_version(exact) == "2.0.13" and not asks_registry(exact)
    assert osv_version(exact._replace(version=None, specifier="${slf4j.version}")) is None
    assert osv_version(exact._replace(source=Source("path", url="lib/x.jar"))) is None


def test_go_modules_are_asked_about_and_osv_without_the_v() -> None:
    from checker.rules.base import metadata_facts, osv_version, provenance_facts

    module = Dependency("go", "golang.org/x/net", "v0.17.0")
    assert asks_registry(module) and osv_version(module) == "0.17.0"
    assert osv_version(module._replace(version="v0.0.0-20191109021931-daa7c04131f5")) == "0.0.0-20191109021931-daa7c04131f5"
    # the go/toolchain lines, a go.sum version listed for its go.mod only, a replaced module: nothing to ask
    for dep in (Dependency("go", "go", "1.22"), Dependency("go", "toolchain", "go1.22.3"),
                module._replace(constraint=True), module._replace(source=Source("path", "../net")),
                module._replace(source=Source("module", "github.com/fork/net", ref="v0.17.1"))):
        assert not asks_registry(dep) and osv_version(dep) is None, dep
    facts = Facts("go", "golang.org/x/net", "v0.17.0")
    subject = Subject(module, Manifest("go.sum", "go-sum", "go", (module,)), None, facts)
    assert registry_facts(subject) is facts  # release time, existence, hashes
    assert provenance_facts(subject) is None and metadata_facts(subject) is None  # the proxy names none of them
