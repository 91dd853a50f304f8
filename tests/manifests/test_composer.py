"""Tests for checker.manifests.composer_lock and composer_json, on real files (fixtures/composer/SOURCES.md) and on
the ways a pull request could swap what Composer installs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.diff.changes import diff_dependencies
from checker.errors import ManifestError
from checker.manifests import format_for
from checker.manifests.composer_json import parse as parse_json
from checker.manifests.composer_lock import parse as parse_lock
from checker.model import IndexOption, Source

FIXTURES = Path(__file__).parent / "fixtures" / "composer"
REF = "0123456789abcdef0123456789abcdef01234567"


def _package(name: str = "Symfony/Console", version: str = "v6.4.1", **extra: object) -> dict:
    package = {"name": name, "version": version,
               "source": {"type": "git", "url": f"https://github.com/{name.lower()}.git", "reference": REF},
               "dist": {"type": "zip", "url": f"https://api.github.com/repos/{name.lower()}/zipball/{REF}",
                        "reference": REF, "shasum": ""}}
    package.update(extra)
    return package


def _lock(packages: list, dev: list | None = None, composer_json: str | None = None):
    text = json.dumps({"_readme": ["x"], "content-hash": "x", "packages": packages, "packages-dev": dev or []},
                      indent=4)
    return parse_lock(text, "composer.lock", lambda path: composer_json if path == "composer.json" else None)


def test_lock_packages() -> None:
    manifest = _lock([_package()], [_package("phpunit/phpunit", "10.5.0")],
                     composer_json='{"require": {"symfony/console": "^6.4"}}')
    console, phpunit = manifest.dependencies
    assert console.name == "symfony/console" and console.version == "v6.4.1" and console.scope == "prod"
    assert console.direct and not phpunit.direct and phpunit.scope == "dev"
    assert console.source == Source("registry", ref=f"https://api.github.com/repos/symfony/console/zipball/{REF}",
                                    commit=REF, hosts=frozenset({"https://api.github.com"}))
    assert console.hashes == frozenset() and console.line == 8


def test_shasum_path_and_source_only() -> None:
    sha1 = "ab" * 20
    shasum = _package("a/zip", dist={"type": "zip", "url": "https://repo.acme.test/a.zip", "shasum": sha1})
    path = _package("a/local", "dev-main", dist={"type": "path", "url": "packages/local", "reference": REF})
    source_only = {"name": "a/git", "version": "dev-main",
                   "source": {"type": "git", "url": "https://git.acme.test/a.git", "reference": REF}}
    deps = {d.name: d for d in _lock([shasum, path, source_only]).dependencies}
    assert deps["a/zip"].hashes == {f"sha1:{sha1}"} and deps["a/zip"].source.hosts == {"https://repo.acme.test"}
    assert deps["a/local"].source == Source("path", url="packages/local")
    assert deps["a/git"].source == Source("git", url="https://git.acme.test/a.git", ref="dev-main", commit=REF)
    assert all(d.direct for d in deps.values())  # no composer.json: every package counts as direct


@pytest.mark.parametrize("swap", [
    {"dist": {"type": "zip", "url": f"https://api.github.com/repos/evil/console/zipball/{REF}", "reference": REF,
              "shasum": ""}},
    {"dist": {"type": "zip", "url": f"https://api.github.com/repos/symfony/console/zipball/{'f' * 40}",
              "reference": REF, "shasum": ""}},
    {"dist": {"type": "zip", "url": "https://evil.test/console.zip", "reference": REF, "shasum": ""}},
])
def test_a_swapped_dist_at_the_same_version_is_a_source_change(swap: dict) -> None:
    """Without a shasum, the dist URL is all that says what gets installed: any change of it is a change."""
    before = _lock([_package()]).dependencies
    after = _lock([_package(**swap)]).dependencies
    [change] = diff_dependencies(before, after)
    assert change.kind == "source-changed"


def test_lock_errors() -> None:
    with pytest.raises(ManifestError):
        parse_lock("", "composer.lock", lambda p: None)
    with pytest.raises(ManifestError):
        parse_lock('{"packages": [{"name": "a/b", "version": "1", "version": "2", "dist": {}}]}', "composer.lock",
                   lambda p: None)  # a key written twice
    with pytest.raises(ManifestError):
        _lock([{"name": "a/b", "version": "1.0.0"}])  # neither dist nor source
    with pytest.raises(ManifestError):
        _lock([_package(dist={"type": "zip", "url": "https://x.test/a.zip", "shasum": "not-hex"})])
    with pytest.raises(ManifestError):
        parse_lock('{"content-hash": "x"}', "composer.lock", lambda p: None)


def test_composer_json() -> None:
    text = json.dumps({
        "require": {"php": ">=8.1", "ext-json": "*", "Monolog/Monolog": "^3.0", "acme/exact": "v1.2.3",
                    "acme/branch": "dev-main", "composer-plugin-api": "^2.0", "lib-icu": "*"},
        "require-dev": {"phpunit/phpunit": "^10.5"},
        "repositories": [{"type": "vcs", "url": "https://github.com/acme/fork"},
                         {"type": "path", "url": "packages/*"}, {"packagist.org": False}],
        "config": {"secure-http": False, "allow-plugins": {"acme/plugin": True}},
        "scripts": {"post-install-cmd": ["@php artisan key:generate"], "test": "phpunit"},
    }, indent=2)
    manifest = parse_json(text, "composer.json", lambda p: None)
    deps = {d.name: d for d in manifest.dependencies}
    assert set(deps) == {"monolog/monolog", "acme/exact", "acme/branch", "phpunit/phpunit",
                         "composer.secure-http", "composer.allow-plugins.acme/plugin",
                         "composer.repositories.packagist.org", "composer.scripts.post-install-cmd"}
    assert deps["monolog/monolog"].version is None and deps["monolog/monolog"].specifier == "^3.0"
    assert deps["acme/exact"].version == "v1.2.3" and deps["acme/branch"].version == "dev-main"
    assert deps["phpunit/phpunit"].scope == "dev"
    assert deps["composer.secure-http"].version == "false" and deps["composer.secure-http"].ecosystem == "config"
    assert deps["composer.scripts.post-install-cmd"].version == "@php artisan key:generate"
    assert [o.kind for o in manifest.indexes] == ["vcs", "path"]
    assert deps["monolog/monolog"].line == 5


def test_real_files() -> None:
    lock_text = (FIXTURES / "composer.composer.lock").read_text()
    json_text = (FIXTURES / "composer.composer.json").read_text()
    lock = parse_lock(lock_text, "composer.lock", lambda p: json_text if p == "composer.json" else None)
    data = json.loads(lock_text)
    assert [d.name for d in lock.dependencies] == [p["name"].lower() for p in data["packages"] + data["packages-dev"]]
    assert [d.version for d in lock.dependencies] == [p["version"] for p in data["packages"] + data["packages-dev"]]
    assert all(d.line is not None for d in lock.dependencies)
    assert {d.name for d in lock.dependencies if d.direct} <= {n.lower() for n in json.loads(json_text)["require"]} | {
        n.lower() for n in json.loads(json_text)["require-dev"]}
    manifest = parse_json(json_text, "composer.json", lambda p: None)
    assert "composer/semver" in {d.name for d in manifest.dependencies}
    matomo = parse_json((FIXTURES / "matomo.composer.json").read_text(), "composer.json", lambda p: None)
    assert IndexOption("vcs", "https://github.com/matomo-org/matomo-coding-standards.git", matomo.indexes[0].line) \
        in matomo.indexes


def test_file_names() -> None:
    assert format_for("composer.lock").name == "composer-lock"
    assert format_for("web/composer.json").name == "composer-json"


def test_composers_2012_lockfiles() -> None:
    """composer/composer's composer.lock of 2012-03 (package, version, source-reference, alias)."""
    text = json.dumps({"hash": "x", "packages": [
        {"package": "Symfony/Finder", "version": "2.1.0-dev", "source-reference": REF},
        {"package": "symfony/console", "version": "dev-master", "alias": "2.1.0-dev"}], "packages-dev": None})
    finder, console = parse_lock(text, "composer.lock", lambda p: None).dependencies
    assert finder.name == "symfony/finder" and finder.version == "2.1.0-dev"
    assert finder.source == Source("registry", commit=REF) and console.source == Source("registry")
