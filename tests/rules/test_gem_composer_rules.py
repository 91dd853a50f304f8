"""The rules on RubyGems and Composer dependencies: hash-pinning's files-without-hashes for Gemfile.lock without
CHECKSUMS and composer.lock without shasums, registry-source's own hosts of each ecosystem, policy names (Composer
ignores case), OSV names, and the whole path from two revisions of a lockfile to findings."""

from __future__ import annotations

from checker.diff.changes import diff_dependencies
from checker.manifests.composer_lock import parse as parse_composer_lock
from checker.manifests.gemfile_lock import parse as parse_gemfile_lock
from checker.model import Source
from checker.policy.patterns import PackagePattern
from checker.registries.advisories import OSV_ECOSYSTEMS, osv_name
from checker.rules import hash_pinning, registry_source
from checker.rules.base import asks_registry, osv_version
from tests.rules.subjects import dep, options, subject

SHA = "sha256:" + "a" * 64


def _issues(rule, target, *others, fmt):
    return list(rule.check(subject(target, *others, fmt=fmt), options(rule.RULE.id)))


def test_gemfile_lock_without_checksums_is_files_without_hashes() -> None:
    gem = dep("rack", "3.0.8", ecosystem="gem", manifest="Gemfile.lock")
    [issue] = _issues(hash_pinning, gem, dep("rake", "13.1.0", ecosystem="gem"), fmt="gemfile-lock")
    assert issue.level == "warn" and "CHECKSUMS" in issue.message and "bundle lock --add-checksums" in issue.hint
    # one entry without a checksum in a lockfile that has them: the rule's level
    [issue] = _issues(hash_pinning, gem, dep("rake", "13.1.0", ecosystem="gem", hashes=(SHA,)), fmt="gemfile-lock")
    assert issue.level is None and "while others" in issue.message
    assert _issues(hash_pinning, gem._replace(hashes=frozenset({SHA})), fmt="gemfile-lock") == []
    git_gem = gem._replace(source=Source("git", url="https://github.com/a/b.git", commit="1" * 40))
    assert _issues(hash_pinning, git_gem, fmt="gemfile-lock") == []  # pinned by its commit (registry-source)


def test_composer_sha1_is_the_only_digest_and_no_weak_finding() -> None:
    package = dep("symfony/console", "v6.4.1", ecosystem="composer", manifest="composer.lock")
    [issue] = _issues(hash_pinning, package, fmt="composer-lock")
    assert issue.level == "warn" and "shasum" in issue.message
    assert _issues(hash_pinning, package._replace(hashes=frozenset({"sha1:" + "a" * 40})), fmt="composer-lock") == []


def test_registry_source_own_hosts_per_ecosystem() -> None:
    opts = options("registry-source")
    gem = dep("rack", "3.0.8", ecosystem="gem", source=Source("registry", url="https://rubygems.org/"))
    assert list(registry_source.check(subject(gem), opts)) == []
    plain = gem._replace(source=Source("registry", url="http://rubygems.org/"))
    assert "plain HTTP" in list(registry_source.check(subject(plain), opts))[0].message
    other = gem._replace(source=Source("registry", url="https://gems.evil.test/"))
    assert list(registry_source.check(subject(other), opts))
    two = gem._replace(source=Source("registry", url="https://rubygems.org/",
                                     hosts=frozenset({"https://rubygems.org", "https://gems.evil.test"})))
    assert ["artifact host gems.evil.test" in i.message for i in registry_source.check(subject(two), opts)] == [True]
    package = dep("a/b", "1.0.0", ecosystem="composer",
                  source=Source("registry", ref="https://api.github.com/repos/a/b/zipball/x", commit="x",
                                hosts=frozenset({"https://api.github.com"})))
    assert list(registry_source.check(subject(package), opts)) == []
    evil = package._replace(source=package.source._replace(hosts=frozenset({"https://evil.test"})))
    assert list(registry_source.check(subject(evil), opts))
    plain_dist = package._replace(source=package.source._replace(hosts=frozenset({"http://api.github.com"})))
    assert "plain HTTP" in list(registry_source.check(subject(plain_dist), opts))[0].message
    # GitHub's archive hosts are no registry of PyPI's
    pypi = dep(source=Source("registry", url="https://api.github.com/simple"))
    assert list(registry_source.check(subject(pypi), opts))


def test_names_and_osv() -> None:
    assert PackagePattern.parse("composer:Symfony/*").matches("composer", "symfony/console", "v6.4.1")
    assert not PackagePattern.parse("gem:Rack").matches("gem", "rack", "3.0.8")  # RubyGems names keep their case
    assert OSV_ECOSYSTEMS["gem"] == "RubyGems" and OSV_ECOSYSTEMS["composer"] == "Packagist"
    assert osv_name("composer", "Symfony/Console") == "symfony/console"
    gem = dep("rack", "3.0.8", ecosystem="gem")
    assert asks_registry(gem) and osv_version(gem) == "3.0.8"
    assert not asks_registry(gem._replace(source=Source("path", url="engines/x")))


GEM_LOCK = """GEM
  remote: https://rubygems.org/
  specs:
    rack ({version})

DEPENDENCIES
  rack
"""


def test_a_gem_moved_to_git_at_the_same_version_is_a_source_change() -> None:
    before = parse_gemfile_lock(GEM_LOCK.format(version="3.0.8"), "Gemfile.lock", lambda p: None)
    moved = ("GIT\n  remote: https://github.com/evil/rack.git\n  revision: " + "1" * 40 + "\n  specs:\n"
             "    rack (3.0.8)\n\nDEPENDENCIES\n  rack!\n")
    after = parse_gemfile_lock(moved, "Gemfile.lock", lambda p: None)
    [change] = diff_dependencies(before.dependencies, after.dependencies)
    assert change.kind == "source-changed"
    [upgrade] = diff_dependencies(before.dependencies, parse_gemfile_lock(
        GEM_LOCK.format(version="3.1.0.rc1"), "Gemfile.lock", lambda p: None).dependencies)
    assert (upgrade.kind, upgrade.bump) == ("upgraded", "minor")


def test_composer_downgrade_is_ordered_by_composer_rules() -> None:
    def lock(version: str):
        text = ('{"packages": [{"name": "a/b", "version": "%s", "dist": {"type": "zip", "url": '
                '"https://api.github.com/repos/a/b/zipball/1", "reference": "1", "shasum": ""}}]}' % version)
        return parse_composer_lock(text, "composer.lock", lambda p: None).dependencies
    [change] = diff_dependencies(lock("v2.0.0"), lock("2.0.0-RC1"))
    assert change.kind == "downgraded"


def test_a_gemfiles_own_source_is_no_finding_and_another_is() -> None:
    from checker.manifests.gemfile import parse as parse_gemfile

    opts = options("registry-source")
    public = parse_gemfile('source "https://rubygems.org"\ngem "rack"\n', "Gemfile", lambda p: None)
    assert list(registry_source.check_manifest(public, None, opts)) == []
    private = parse_gemfile('source "https://gems.evil.test"\ngem "rack"\n', "Gemfile", lambda p: None)
    [issue] = registry_source.check_manifest(private, public, opts)
    assert "gems.evil.test" in issue.message and issue.line == 1


def test_provenance_downgrade_has_nothing_to_compare_for_gems_and_composer() -> None:
    """RubyGems and Packagist publish no provenance lockgate reads: no permanent 'could not be checked'."""
    import datetime as dt

    from checker.model import UNKNOWN, Facts
    from checker.rules import provenance_downgrade
    from checker.rules.base import Subject

    gem = dep("rack", "3.0.8", ecosystem="gem", manifest="Gemfile.lock")
    facts = Facts("gem", "rack", "3.0.8", as_of=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), exists=True,
                  provenance=UNKNOWN, prior_evidence=UNKNOWN)
    judged = Subject(gem, subject(gem, fmt="gemfile-lock").manifest, facts=facts)
    assert list(provenance_downgrade.check(judged, options("provenance-downgrade"))) == []
    npm = judged._replace(dependency=gem._replace(ecosystem="npm"), facts=facts._replace(ecosystem="npm"))
    assert list(provenance_downgrade.check(npm, options("provenance-downgrade")))  # unknown there: reported
