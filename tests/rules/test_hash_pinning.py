"""hash-pinning on hand-built subjects: pip's hash-checking mode, weak algorithms, lockfile entries without hashes,
the exemptions; and on npm lockfiles (integrity)."""

from __future__ import annotations

from typing import Any

import pytest

from checker.manifests.package_json import parse as parse_package_json
from checker.model import Dependency, Source
from checker.rules import hash_pinning
from checker.rules.base import Issue, Subject
from tests.rules.npm_lockfiles import SHA512_INTEGRITY, entry, issues, lock, messages
from tests.rules.subjects import COMMIT, SHA256, dep, options, subject


SHA512 = "sha512:" + "b" * 128
MD5 = "md5:" + "c" * 32
SHA1 = "sha1:" + "d" * 40


def hash_issues(target: Subject, **overrides: Any) -> list[Issue]:
    return list(hash_pinning.check(target, options("hash-pinning", **overrides)))


# --- hash-pinning ----------------------------------------------------------------------------------------------


def test_hash_checking_mode_file_entry_without_hash() -> None:
    target = dep("idna", "3.10")
    [issue] = hash_issues(subject(target, dep("requests", hashes=(SHA256,))))
    assert issue == Issue(
        "no --hash: the file is in pip's hash-checking mode, so pip will refuse to install it, "
        "and nothing checks what would be downloaded",
        hint="add --hash lines for idna (pip-compile --generate-hashes, or pip hash)",
    )


def test_hash_checking_mode_entry_with_hash_passes() -> None:
    target = dep("requests", hashes=(SHA256, SHA512))
    assert hash_issues(subject(target, dep("idna", "3.10"))) == []


@pytest.mark.parametrize("level", ["off", "info", "warn", "block"])
def test_file_without_any_hashes_takes_its_level_from_the_option(level: str) -> None:
    [issue] = hash_issues(subject(dep("idna", "3.10"), dep("requests")), files_without_hashes=level)
    assert issue == Issue(
        "the requirements file pins no hashes: a republished or tampered artifact would install unnoticed",
        hint="generate the file with hashes: pip-compile --generate-hashes (or uv pip compile --generate-hashes)",
        level=level,
    )


def test_weak_algorithms() -> None:
    [issue] = hash_issues(subject(dep(hashes=(MD5,))))
    assert issue == Issue(
        "weak hash algorithm md5: only sha256, sha384, sha512 are accepted",
        hint="regenerate the hashes with a strong algorithm (pip-compile --generate-hashes writes sha256)",
    )
    [issue] = hash_issues(subject(dep(hashes=(SHA1, MD5))))
    assert issue.message == "weak hash algorithm md5, sha1: only sha256, sha384, sha512 are accepted"


def test_a_weak_hash_beside_a_strong_one_is_still_reported() -> None:
    [issue] = hash_issues(subject(dep(hashes=(SHA256, MD5))))
    assert issue.message == "weak hash algorithm md5: only sha256, sha384, sha512 are accepted"


def test_algorithms_option() -> None:
    [issue] = hash_issues(subject(dep(hashes=(SHA256,))), algorithms=["sha512"])
    assert issue.message == "weak hash algorithm sha256: only sha512 are accepted"
    assert hash_issues(subject(dep(hashes=(SHA512,))), algorithms=["sha512"]) == []


@pytest.mark.parametrize("fmt", ["uv-lock", "pylock", "pipfile-lock"])
def test_lockfile_entry_without_hashes(fmt: str) -> None:
    [issue] = hash_issues(subject(dep(), dep("idna", "3.10", hashes=(SHA256,)), fmt=fmt))
    assert issue == Issue(
        "lock entry carries no hash: the artifact that gets installed is not checked",
        hint="regenerate the lockfile with the package manager so that it records hashes",
    )
    assert hash_issues(subject(dep(hashes=(SHA256,)), fmt=fmt)) == []


def test_direct_url_archive_needs_a_hash_too() -> None:
    archive = dep("tool", "1.0", source=Source("url", "https://example.com/tool-1.0.tar.gz"))
    [issue] = hash_issues(subject(archive, fmt="uv-lock"))
    assert issue.message == "lock entry carries no hash: the artifact that gets installed is not checked"


@pytest.mark.parametrize(
    "exempt",
    [
        dep("local", None, source=Source("path", "./libs/local")),
        dep("mylib", COMMIT, source=Source("git", "https://github.com/acme/mylib", COMMIT, COMMIT)),
        dep("mine", None, editable=True, source=Source("registry")),
        dep("urllib3", "2.2.3", constraint=True),
    ],
    ids=["path", "git", "editable", "constraint"],
)
def test_entries_without_artifacts_are_exempt(exempt: Dependency) -> None:
    hashed = dep("idna", "3.10", hashes=(SHA256,))
    assert hash_issues(subject(exempt, hashed)) == []
    assert hash_issues(subject(exempt, hashed, fmt="uv-lock")) == []


def test_declared_manifests_are_exempt() -> None:
    assert hash_issues(subject(dep("rich", None, specifier=">=13"), fmt="pyproject", kind="declared")) == []
    assert hash_issues(subject(dep(hashes=(MD5,)), fmt="pyproject", kind="declared")) == []


SHA1_INTEGRITY = "sha1-tSQ9jz7BqjXxNkYFvA0QNuMKtp8="


# --- hash-pinning: npm lockfiles (integrity) ---------------------------------------------------------------------


def test_sha512_integrity_passes() -> None:
    assert issues(hash_pinning, "hash-pinning", lock({"node_modules/a": entry("a", "1.0.0")})) == []


def test_sha1_only_integrity_is_weak() -> None:
    found = issues(hash_pinning, "hash-pinning", lock({"node_modules/wrappy": entry("wrappy", "1.0.2", integrity=SHA1_INTEGRITY)}))
    assert messages(found) == [(
        "integrity is sha1 only: SHA-1 collisions are practical, so the recorded hash no longer pins the tarball "
        "(accepted: sha256, sha384, sha512)", None,
    )]


def test_sha1_beside_sha512_is_fine_because_npm_checks_the_strongest() -> None:
    both = lock({"node_modules/a": entry("a", "1.0.0", integrity=f"{SHA1_INTEGRITY} {SHA512_INTEGRITY}")})
    assert issues(hash_pinning, "hash-pinning", both) == []


def test_missing_integrity_is_a_finding() -> None:
    bare = {"version": "4.4.1", "resolved": "https://registry.npmjs.org/debug/-/debug-4.4.1.tgz"}
    found = issues(hash_pinning, "hash-pinning", lock({"node_modules/debug": bare}))
    assert [i.message for i in found] == [
        "no integrity: npm installs whatever the registry serves for this version and checks nothing "
        "(lockfile-lint skips entries without integrity; lockgate does not)"
    ]
    # an entry with neither resolved nor integrity too (npm's omit-lockfile-registry-resolved drops only resolved)
    assert len(issues(hash_pinning, "hash-pinning", lock({"node_modules/x": {"version": "1.0.0"}}))) == 1
    # a remote tarball needs integrity as much as a registry package
    tarball = {"version": "1.0.0", "resolved": "https://example.com/t-1.0.0.tgz"}
    assert len(issues(hash_pinning, "hash-pinning", lock({"node_modules/t": tarball}))) == 1


@pytest.mark.parametrize(
    "packages",
    [
        {"node_modules/ms": {"version": "2.1.3", "inBundle": True}},
        {"node_modules/g": {"version": "1.0.0", "resolved": "git+ssh://git@github.com/a/g.git#" + "a" * 40}},
        {"node_modules/l": {"resolved": "../l", "link": True}},
        {"node_modules/f": {"version": "1.0.0", "resolved": "file:f-1.0.0.tgz"}},
    ],
)
def test_bundled_git_link_and_file_entries_are_exempt(packages: dict) -> None:
    assert issues(hash_pinning, "hash-pinning", lock(packages)) == []


def test_package_json_is_not_judged_for_hashes() -> None:
    declared = parse_package_json('{"dependencies": {"a": "^1"}}', "package.json", lambda _: None)
    [dep] = declared.dependencies
    assert list(hash_pinning.check(Subject(dep, declared), options("hash-pinning"))) == []


# --- Cargo.lock --------------------------------------------------------------------------------------------------


def test_a_cargo_lock_entry_that_lost_its_checksum_blocks() -> None:
    lost = dep("serde", "1.0.100", ecosystem="cargo", manifest="Cargo.lock")
    kept = dep("anyhow", "1.0.0", ecosystem="cargo", hashes=(SHA256,), manifest="Cargo.lock")
    [issue] = hash_issues(subject(lost, kept, fmt="cargo-lock"))
    assert issue.level is None and "while the others do" in issue.message


def test_a_cargo_lock_without_any_checksum_is_files_without_hashes() -> None:
    bare = dep("serde", "1.0.100", ecosystem="cargo", manifest="Cargo.lock")
    [issue] = hash_issues(subject(bare, fmt="cargo-lock"), files_without_hashes="info")
    assert issue.level == "info" and "records no checksums" in issue.message
    git = dep("c", "0.1.0", ecosystem="cargo", source=Source("git", url="https://x", commit=COMMIT))
    assert hash_issues(subject(git, fmt="cargo-lock")) == []


# --- Gradle lock files (checksums from gradle/verification-metadata.xml) -------------------------------------------


def _gradle(*deps: Dependency) -> list[list[Issue]]:
    from checker.model import Manifest

    manifest = Manifest("gradle.lockfile", "gradle-lockfile", "maven", deps, kind="lock")
    return [list(hash_pinning.check(Subject(d, manifest), options("hash-pinning"))) for d in deps]


def test_a_gradle_lock_without_any_checksum_is_a_file_without_hashes() -> None:
    [[issue]] = _gradle(Dependency("maven", "org.slf4j:slf4j-api", "2.0.13", "2.0.13", manifest="gradle.lockfile"))
    assert issue.level == "warn" and "Gradle verifies no checksum" in issue.message
    assert "--write-verification-metadata" in (issue.hint or "")


def test_a_gradle_entry_missing_from_the_verification_file_blocks() -> None:
    verified = Dependency("maven", "a:b", "1.0", "1.0", hashes=frozenset({SHA256}), manifest="gradle.lockfile")
    missing = verified._replace(name="c:d", hashes=frozenset())
    weak = verified._replace(name="e:f", hashes=frozenset({SHA1}))
    ok, [issue], [weak_issue] = _gradle(verified, missing, weak)
    assert ok == [] and issue.level is None and "no checksum for this version" in issue.message
    assert weak_issue.message.startswith("weak hash algorithm sha1")


def test_go_sum_entries_are_pinned_by_their_h1_hash() -> None:
    """h1 is Go's SHA-256 dirhash, not a weak algorithm; a built go.sum version without one is unpinned; a version
    listed for its go.mod only builds nothing; go.mod declares (its hashes are go.sum's)."""
    from checker.model import Dependency, Manifest
    from checker.rules import hash_pinning
    from checker.rules.base import Subject
    from tests.rules.subjects import options

    def issues(dep: Dependency, kind: str = "lock") -> list[str]:
        manifest = Manifest(dep.manifest, "go-sum", "go", (dep,), kind=kind)
        return [i.message for i in hash_pinning.check(Subject(dep, manifest), options("hash-pinning"))]

    built = Dependency("go", "a.com/m", "v1.0.0", hashes=frozenset({"h1:" + "A" * 43 + "=", "h1/go.mod:" + "B" * 43 + "="}),
                       manifest="go.sum")
    assert issues(built) == []
    assert issues(built._replace(hashes=frozenset({"h1/go.mod:" + "B" * 43 + "="}))) == [
        "no h1: hash: go.sum lists no hash of the module's code for this version"]
    assert issues(built._replace(hashes=frozenset({"h1/go.mod:" + "B" * 43 + "="}), constraint=True)) == []
    assert issues(built._replace(hashes=frozenset(), manifest="go.mod"), kind="declared") == []
