"""package.json's packageManager and devEngines.packageManager: the package manager Corepack downloads, its digest,
the install command of an unpinned one, and the values Corepack refuses (checker/manifests/corepack.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.diff.changes import diff_dependencies
from checker.manifests.package_json import parse
from checker.model import Manifest, Source

FIXTURES = Path(__file__).parent / "fixtures" / "package_json"
# pnpm 10.4.1's tarball digest as `corepack use` writes it (npm's dist.integrity in hex)
PNPM_SHA512 = ("c753b6c3ad7afa13af388fa6d808035a008e30ea9993f58c6663e2bc5ff21679"
               "aa834db094987129aa4d488b86df57f7b634981b2f827cdcacc698cc0cfb88af")


def manifest(fields: dict) -> Manifest:
    return parse(json.dumps({"name": "app", **fields}, indent=2), "package.json", lambda _: None)


def manager(fields: dict) -> tuple[list[tuple], list[tuple], list[str]]:
    found = manifest(fields)
    deps = [(d.ecosystem, d.name, d.version, d.specifier, sorted(d.hashes), d.source.kind, d.scope)
            for d in found.dependencies]
    commands = [(c.tool, c.text, c.line, c.problem) for c in found.commands]
    return deps, commands, [p.message for p in found.problems]


def test_a_pinned_pnpm_is_an_npm_dependency_with_its_digest_and_no_install_command() -> None:
    deps, commands, problems = manager({"packageManager": f"pnpm@10.4.1+sha512.{PNPM_SHA512}"})
    assert deps == [("npm", "pnpm", "10.4.1", f"pnpm@10.4.1+sha512.{PNPM_SHA512}", [f"sha512:{PNPM_SHA512}"],
                     "registry", "build")]
    assert commands == [] and problems == []


def test_an_unpinned_package_manager_is_an_install_command() -> None:
    deps, commands, problems = manager({"packageManager": "pnpm@9.6.0"})
    assert deps == [("npm", "pnpm", "9.6.0", "pnpm@9.6.0", [], "registry", "build")]
    assert commands == [("corepack", "pnpm@9.6.0", 3,
                         "no digest: Corepack downloads pnpm 9.6.0 and runs it on every install, checking only the "
                         "npm registry's signature, which the environment can turn off")]
    assert problems == []
    # "+sha512" without a digest: Corepack has nothing to compare (corepackUtils.ts: build[1] is undefined)
    assert manager({"packageManager": "npm@10.8.0+sha512"})[1][0][3].startswith("no digest")


def test_yarn_berry_is_named_as_npm_publishes_it_and_its_yarn_js_digest_is_not_a_registry_digest() -> None:
    digest = "88b7a7244bbd9040380c417f7eb556d85c67640b651f113cb4c72113"
    deps, commands, _ = manager({"packageManager": f"yarn@4.14.1+sha224.{digest}"})
    assert deps == [("npm", "@yarnpkg/cli-dist", "4.14.1", f"yarn@4.14.1+sha224.{digest}",
                     [f"corepack-sha224:{digest}"], "registry", "build")]
    assert commands == []
    deps, commands, _ = manager({"packageManager": "yarn@4.1.0"})
    assert "checking nothing: Yarn 2 and later come from repo.yarnpkg.com" in commands[0][3]
    deps, commands, _ = manager({"packageManager": "yarn@1.22.22+sha1." + "a" * 40})
    assert deps[0][1:3] == ("yarn", "1.22.22") and deps[0][4] == ["sha1:" + "a" * 40]
    assert commands[0][3].startswith("pinned by sha1 only")  # Yarn 1 is npm's tarball: sha1 is weak


def test_real_corepack_package_json() -> None:
    """nodejs/corepack's own package.json (Yarn 4 pinned by sha224, a Yarn patch: range)."""
    text = (FIXTURES / "corepack-720204e" / "package.json").read_text(encoding="utf-8")
    found = parse(text, "package.json", lambda _: None)
    [yarn] = [d for d in found.dependencies if d.scope == "build"]
    assert (yarn.name, yarn.version, yarn.line) == ("@yarnpkg/cli-dist", "4.14.1", 19)
    assert found.commands == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, '"packageManager" must be a string such as "pnpm@9.1.0+sha512.<hex>"'),
        ("pnpm", "\"packageManager\" 'pnpm' names no version: Corepack refuses it"),
        ("pnpm@", "\"packageManager\" 'pnpm@' names no version: Corepack refuses it"),
        ("pnpm@latest", "\"packageManager\" 'pnpm@latest': 'latest' is not a version, which Corepack demands"),
        # another algorithm Node does not know: createHash throws, so Corepack fails every install
        ("pnpm@9.0.0+whirlpool99.abcdef", "\"packageManager\" 'pnpm@9.0.0+whirlpool99.abcdef': 'whirlpool99' is not a "
         "hash algorithm Corepack can use"),
        # a digest of the wrong length or not hex: no file can match it
        ("pnpm@9.0.0+sha512.abcd", "\"packageManager\" 'pnpm@9.0.0+sha512.abcd': the sha512 digest must be 128 hex "
         "digits, so Corepack would refuse every download"),
        ("pnpm@9.0.0+sha256." + "g" * 64, "\"packageManager\" 'pnpm@9.0.0+sha256." + "g" * 64 + "': the sha256 digest "
         "must be 64 hex digits, so Corepack would refuse every download"),
    ],
)
def test_values_corepack_refuses_are_problems_not_skips(value: object, message: str) -> None:
    deps, commands, problems = manager({"packageManager": value})
    assert deps == [] and commands == [] and problems == [message]


def test_a_range_is_resolved_at_install_time_so_it_is_unpinned() -> None:
    deps, commands, problems = manager({"packageManager": "yarn@^2.0.0-rc.29"})  # early Corepack accepted ranges
    assert deps == [("npm", "@yarnpkg/cli-dist", None, "yarn@^2.0.0-rc.29", [], "registry", "build")]
    assert commands[0][3].startswith("a version range: Corepack downloads the newest yarn release matching")
    assert problems == []


def test_weak_and_strong_digests_and_the_case_of_the_algorithm() -> None:
    md5 = manager({"packageManager": "pnpm@9.0.0+md5." + "0" * 32})
    assert md5[0][0][4] == ["md5:" + "0" * 32] and md5[1][0][3].startswith("pinned by md5 only")
    upper = manager({"packageManager": "pnpm@9.0.0+SHA256." + "AB" * 32})
    assert upper[0][0][4] == ["sha256:" + "ab" * 32] and upper[1] == []
    # what follows the digest is ignored by Corepack, and by lockgate
    extra = manager({"packageManager": "pnpm@9.0.0+sha256." + "ab" * 32 + ".trailing"})
    assert extra[0][0][4] == ["sha256:" + "ab" * 32] and extra[1] == []


def test_a_url_instead_of_a_version() -> None:
    digest = "ab" * 28
    deps, commands, _ = manager({"packageManager": f"yarn@https://evil.example/yarn.js#sha224.{digest}"})
    assert deps == [("npm", "yarn", None, f"yarn@https://evil.example/yarn.js#sha224.{digest}",
                     [f"sha224:{digest}"], "url", "build")]
    assert commands == []  # pinned; registry-source judges the URL source
    found = manifest({"packageManager": "pnpm@http://evil.example/pnpm.tgz"})
    assert found.dependencies[0].source == Source("url", "http://evil.example/pnpm.tgz")
    assert found.commands[0].problem == ("no digest: Corepack downloads http://evil.example/pnpm.tgz and runs it on "
                                         "every install, whatever it serves")


def test_names_corepack_does_not_download_declare_nothing() -> None:
    assert manager({"packageManager": "bun@1.1.0"}) == ([], [], [])
    assert manager({"packageManager": "Yarn@4.0.0"}) == ([], [], [])  # case matters to Corepack: it refuses it


def test_dev_engines_package_manager() -> None:
    deps, commands, problems = manager({"devEngines": {"packageManager": {"name": "pnpm", "version": "^9.0.0"}}})
    assert deps == [("npm", "pnpm", None, "pnpm@^9.0.0", [], "registry", "build")]
    assert commands[0][3] == ("a version range: Corepack downloads the newest pnpm release matching ^9.0.0 and runs "
                              "it on every install, pinned by nothing")
    assert manager({"devEngines": {"packageManager": {"name": "yarn"}}})[0][0][1:4] == (
        "yarn", None, "yarn@*")
    # packageManager wins; devEngines then only checks agreement
    both = manager({"packageManager": f"pnpm@10.4.1+sha512.{PNPM_SHA512}",
                    "devEngines": {"packageManager": {"name": "pnpm", "version": "^10"}}})
    assert [d[1:3] for d in both[0]] == [("pnpm", "10.4.1")] and both[1] == []
    # an array is ignored by Corepack; a bad version stops it unless onFail says otherwise
    assert manager({"devEngines": {"packageManager": [{"name": "pnpm"}]}}) == ([], [], [])
    assert manager({"devEngines": {"packageManager": {"name": "pnpm", "version": "nope"}}})[2] == [
        "\"devEngines.packageManager\" version 'nope' is not a semver range: Corepack refuses it"]
    assert manager({"devEngines": {"packageManager": {"name": "pnpm", "version": "nope", "onFail": "warn"}}}) == (
        [], [], [])


def test_a_changed_digest_is_a_hashes_changed_change_and_a_changed_version_an_upgrade() -> None:
    before = manifest({"packageManager": f"pnpm@10.4.1+sha512.{PNPM_SHA512}"}).dependencies
    other = "f" * 128
    after = manifest({"packageManager": f"pnpm@10.4.1+sha512.{other}"}).dependencies
    [change] = diff_dependencies(before, after)
    assert (change.kind, change.name) == ("hashes-changed", "pnpm")
    bumped = manifest({"packageManager": f"pnpm@10.5.0+sha512.{other}"}).dependencies
    [change] = diff_dependencies(before, bumped)
    assert (change.kind, change.bump) == ("upgraded", "minor")
