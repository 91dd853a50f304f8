"""Copies of one version in one lockfile (package-lock.json installs a version in several folders; Yarn 1 writes a
block per set of ranges, each with its own scope): what a pull request changes is where the version is installed,
not whether. Found by benchmarks/replay.py on actions/setup-node 78148dae50 (a copy of semver 5.7.0 turns from dev
to prod while other dev copies stay: was `added`) and prettier/prettier 4b6c6801a5 (a dev block folded into a prod
block of the same version and tarball: was `removed`)."""

from __future__ import annotations

from checker.diff.changes import diff_dependencies
from checker.model import Dependency, Source

REGISTRY = Source("registry", url="https://registry.npmjs.org/")
TARBALL = "https://registry.npmjs.org/semver/-/semver-5.7.0.tgz"


def copy(scope: str, line: int, *, version: str = "5.7.0", resolved: str = TARBALL, hashes: frozenset = frozenset(
        {"sha512:aa"}), direct: bool = False) -> Dependency:
    return Dependency(ecosystem="npm", name="semver", version=version, source=REGISTRY, hashes=hashes, scope=scope,
                      direct=direct, manifest="package-lock.json", line=line, resolved=resolved)


def kinds(before: list[Dependency], after: list[Dependency]) -> list[tuple[str, str | None, str | None]]:
    return [(c.kind, c.before.scope if c.before else None, c.after.scope if c.after else None)
            for c in diff_dependencies(before, after)]


def test_a_copy_reaching_a_stronger_scope_is_scope_changed_not_added():
    assert kinds([copy("dev", 1), copy("dev", 9)], [copy("dev", 1), copy("prod", 9)]) == [
        ("scope-changed", "dev", "prod")]
    assert kinds([copy("optional", 1)], [copy("optional", 1), copy("prod", 9)]) == [
        ("scope-changed", "optional", "prod")]


def test_a_copy_in_a_scope_the_version_already_reaches_is_no_change():
    assert kinds([copy("prod", 1)], [copy("prod", 1), copy("dev", 9)]) == []
    assert kinds([copy("prod", 1), copy("dev", 9)], [copy("prod", 1)]) == []  # a dev copy folded into prod
    assert kinds([copy("dev", 9), copy("prod", 1)], [copy("prod", 3, direct=True)]) == []  # in either order


def test_losing_the_strongest_copy_is_scope_changed():
    assert kinds([copy("prod", 1), copy("dev", 9)], [copy("dev", 9)]) == [("scope-changed", "prod", "dev")]


def test_a_copy_that_differs_in_what_is_installed_is_still_reported():
    """Another tarball, other hashes or another version beside the kept copies is a dependency of its own."""
    assert kinds([copy("dev", 1)], [copy("dev", 1), copy("prod", 9, resolved="https://evil.example/s.tgz")]) == [
        ("added", None, "prod")]
    assert kinds([copy("dev", 1)], [copy("dev", 1), copy("prod", 9, hashes=frozenset({"sha512:bb"}))]) == [
        ("added", None, "prod")]
    assert kinds([copy("dev", 1)], [copy("dev", 1), copy("prod", 9, version="5.7.1")]) == [("added", None, "prod")]
    moved = diff_dependencies([copy("prod", 1), copy("dev", 9)], [copy("dev", 9, version="5.7.1")])
    assert sorted(c.before.scope for c in moved if c.before) == ["dev", "prod"]  # both copies of 5.7.0 accounted for
    assert [c.after.version for c in moved if c.after] == ["5.7.1"]


def test_pipfile_lock_categories_are_copies_of_one_version():
    """psf/black 5d978df8b5 and 3980b4b176: setuptools-scm in `default` and `develop`; one category dropped (the
    other rewritten with fewer hashes), or added (with markers the old entry did not have)."""
    prod = copy("prod", 1, hashes=frozenset({"sha256:1", "sha256:2"}))._replace(markers="python_version >= '3.6'")
    dev = copy("dev", 9, hashes=frozenset({"sha256:1", "sha256:2"}))._replace(markers="python_version >= '3.6'")
    rewritten = dev._replace(hashes=frozenset({"sha256:1"}), markers=None)
    assert kinds([prod, dev], [rewritten]) == [("hashes-changed", "dev", "dev"), ("scope-changed", "prod", "dev")]
    unmarked = dev._replace(markers=None)
    assert kinds([unmarked], [prod, dev]) == [("scope-changed", "dev", "prod")]


def test_a_copy_of_what_the_head_installs_anyway_is_no_change():
    """pypi/warehouse 1f1b99dc03: levn 0.3.0's production copy moves from a sha1 to a sha512 integrity (reported:
    integrity-upgraded) and a development copy of that same sha512 artifact appears: nothing more is installed.
    A development copy of another artifact beside it is still added."""
    sha1 = copy("prod", 1, hashes=frozenset({"sha1:11"}))
    upgraded = copy("prod", 1, hashes=frozenset({"sha512:aa"}))
    assert kinds([sha1], [upgraded, copy("dev", 9, hashes=frozenset({"sha512:aa"}))]) == [
        ("integrity-upgraded", "prod", "prod")]
    assert kinds([sha1], [upgraded, copy("dev", 9, hashes=frozenset({"sha512:bb"}))]) == [
        ("integrity-upgraded", "prod", "prod"), ("added", None, "dev")]
