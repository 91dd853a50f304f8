"""hash-pinning: every artifact that will be downloaded is checked against a hash recorded in the repository.

A pubspec.lock written before Dart 3.2 records no ``sha256`` at all: like a requirements file without hashes, that
is ``files-without-hashes`` (``_OPTIONAL_HASHES``). NuGet's packages.lock.json records a ``contentHash`` for every
package, so an entry without one is a missing hash like any lockfile's.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.rules.base import Issue, Option, Rule, Subject

_NO_ARTIFACT = ("path", "git")  # a local path has no artifact; a git source is pinned by its commit instead


def _file_uses_hashes(subject: Subject) -> bool:
    """pip's hash-checking mode: on as soon as any requirement of the file carries a ``--hash``."""
    return any(dep.hashes for dep in subject.manifest.dependencies)


# Yarn Berry's `checksum` hashes the zip archive Yarn stores in its cache, not the npm tarball: it cannot be compared
# with the registry's integrity, but it pins what Yarn installs (Yarn refuses an archive whose checksum differs),
# which is what this rule asks. The parsers store it as "yarn-berry:<value>".
_BERRY = "yarn-berry:"
# The SHA-256 of a patch file Bun applies to a package (bun.lock ``patchedDependencies``): it pins the patch, not the
# tarball, so it is no integrity.
_PATCH = "patch-sha256:"


def _is_berry(subject: Subject) -> bool:
    return any(h.startswith(_BERRY) for dep in subject.manifest.dependencies for h in dep.hashes)


def _check_npm(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    """npm lockfiles: every fetched artifact carries integrity, and a strong one. npm verifies the strongest
    algorithm an SRI string lists, so a sha1 beside a sha512 is fine and a sha1 alone is weak. Bundled packages
    (inside their parent's tarball), links, local folders and git commits fetch nothing of their own."""
    dep = subject.dependency
    if dep.bundled:
        return
    if any(h.startswith(_BERRY) for h in dep.hashes):
        return  # Yarn Berry's checksum pins the archive Yarn caches (see _BERRY)
    hashes = [h for h in dep.hashes if not h.startswith(_PATCH)]
    if not dep.hashes and subject.manifest.format == "yarn-lock" and _is_berry(subject):
        yield Issue(
            "no checksum: Yarn Berry records none for a package it did not fetch (typically an optional package "
            "for another platform); the archive is not pinned until it is fetched",
            hint="run `yarn install` with `supportedArchitectures` covering the platforms you install on",
            level="info",
        )
        return
    if not hashes:
        yield Issue(
            "no integrity: npm installs whatever the registry serves for this version and checks nothing "
            "(lockfile-lint skips entries without integrity; lockgate does not)",
            hint="regenerate the entry with npm (`npm install --package-lock-only`) so that it records integrity",
        )
        return
    allowed = set(options["algorithms"])
    algorithms = sorted({h.split(":", 1)[0] for h in hashes})
    if not allowed.intersection(algorithms):
        yield Issue(
            f"integrity is {', '.join(algorithms)} only: SHA-1 collisions are practical, so the recorded hash no "
            f"longer pins the tarball (accepted: {', '.join(sorted(allowed))})",
            hint="refresh the entry so that npm records sha512 integrity (remove it from the lockfile, then "
            "`npm install --package-lock-only`)",
        )


def _check_cargo_lock(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A Cargo.lock registry package without ``checksum``: Cargo then checks nothing of the ``.crate`` it downloads.
    When the whole file records none (a registry whose index publishes none, a hand-written file) it is the
    ``files-without-hashes`` level; one entry without, among entries with, is the rule's own level (an entry that
    lost its checksum is what an edit to slip in another .crate looks like)."""
    others = any(dep.hashes for dep in subject.manifest.dependencies if dep.source.kind == "registry")
    if others:
        yield Issue(
            "Cargo.lock entry carries no checksum while the others do: Cargo checks nothing of the .crate it downloads",
            hint="regenerate the entry with Cargo (`cargo update -p NAME --precise VERSION`) so that it records its "
            "checksum",
        )
        return
    yield Issue(
        "Cargo.lock records no checksums: Cargo checks nothing of the .crate files it downloads",
        hint="use a registry whose index publishes checksums (crates.io does) and regenerate the lockfile",
        level=options["files-without-hashes"],
    )


# Lockfiles whose package manager records hashes only when asked (Bundler's CHECKSUMS, added by `bundle lock
# --add-checksums` since Bundler 2.5) or only for some archives (Composer's dist.shasum, a SHA-1 Packagist leaves
# empty for GitHub's archives): a file with no hash at all is `files-without-hashes`, an entry without one in a file
# that has them is a finding at the rule's level.
_OPTIONAL_HASHES = {
    "gemfile-lock": ("the lockfile has no CHECKSUMS section: Bundler installs whatever the gem server serves for "
                     "these versions", "record checksums: `bundle lock --add-checksums` (Bundler 2.5+; 2.6+ keeps "
                     "them on every update)"),
    "composer-lock": ("the lockfile records no dist.shasum: Composer installs whatever archive the dist URL serves",
                      "Packagist publishes no checksum for GitHub archives; pin through a repository (Private "
                      "Packagist, Satis with archive) that records dist.shasum if the archive must be checked"),
    "pubspec-lock": ("the pubspec.lock records no sha256 for any package (pub before Dart 3.2): a republished archive "
                     "would install unnoticed", "run `dart pub get` (or `flutter pub get`) with Dart 3.2 or later, "
                     "which records each hosted package's sha256 in the lockfile"),
}


def _check_optional(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep, manifest = subject.dependency, subject.manifest
    if dep.hashes:
        return  # Composer's SHA-1 is the only digest it knows: no stronger one can be asked for
    message, hint = _OPTIONAL_HASHES[manifest.format]
    if not any(other.hashes for other in manifest.dependencies):
        yield Issue(message, hint=hint, level=options["files-without-hashes"])
        return
    yield Issue("lock entry carries no hash, while others in the lockfile do: the artifact that gets installed is "
                "not checked", hint="regenerate the lockfile so that every entry records its checksum")


_GRADLE_VERIFY = "./gradlew --write-verification-metadata sha256 help"


def _gradle_issue(subject: Subject, options: Mapping[str, Any]) -> Issue:
    """A Gradle lock entry without a checksum. Gradle's lock files hold none: its checksums live in
    gradle/verification-metadata.xml, which the parser reads. No checksum anywhere in the file (no verification
    file, or verification off or lenient) is a file without hashes; one entry missing while others have them is
    an artifact Gradle does not verify."""
    if not any(dep.hashes for dep in subject.manifest.dependencies):
        return Issue(
            "Gradle verifies no checksum for this lock file: there is no gradle/verification-metadata.xml, or "
            "gradle.properties turns verification off or lenient, so a republished or tampered artifact would be "
            "used unnoticed",
            hint=f"turn on dependency verification: {_GRADLE_VERIFY}, and commit gradle/verification-metadata.xml",
            level=options["files-without-hashes"],
        )
    return Issue(
        "no checksum for this version in gradle/verification-metadata.xml: Gradle does not verify the artifact "
        "(it fails the build in strict mode, or a <trust> rule skips it)",
        hint=f"regenerate the verification metadata ({_GRADLE_VERIFY}) and review the new checksums",
    )


def _check_go(subject: Subject) -> Iterator[Issue]:
    """go.sum: a built module version carries the ``h1:`` hash of its zip (a SHA-256 dirhash, checker/manifests/
    go_sum.py), which the go command checks every download against. go.mod declares, go.sum pins."""
    dep = subject.dependency
    if dep.source.kind == "module" or any(h.startswith("h1:") for h in dep.hashes):
        return  # a replacement module is pinned by its own go.sum line
    yield Issue(
        "no h1: hash: go.sum lists no hash of the module's code for this version",
        hint="run `go mod download` (or `go mod tidy`) so that go.sum records the module's h1: hash",
    )


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep, manifest = subject.dependency, subject.manifest
    if manifest.kind != "lock" or dep.source.kind in _NO_ARTIFACT or dep.editable or dep.constraint:
        return
    if dep.ecosystem == "config":
        return  # a setting (bun.lock's trustedDependencies, say): nothing is downloaded
    if dep.ecosystem == "npm":
        yield from _check_npm(subject, options)
        return
    if dep.ecosystem == "go":
        yield from _check_go(subject)
        return
    if manifest.format in _OPTIONAL_HASHES:
        yield from _check_optional(subject, options)
        return
    if dep.ecosystem == "maven" and not dep.hashes:
        yield _gradle_issue(subject, options)
        return
    allowed = set(options["algorithms"])
    weak = sorted({h.split(":", 1)[0] for h in dep.hashes} - allowed)
    if weak:
        yield Issue(
            f"weak hash algorithm {', '.join(weak)}: only {', '.join(sorted(allowed))} are accepted",
            hint="regenerate the hashes with a strong algorithm (pip-compile --generate-hashes writes sha256)",
        )
    if manifest.format == "requirements" and _file_uses_hashes(subject):
        # pip's hash-checking mode: every requirement pinned with == (or a URL) and carrying a --hash.
        problems = []
        if not dep.hashes:
            problems.append("no --hash")
        if dep.version is None and dep.source.kind == "registry":
            problems.append(f"not pinned with == ({dep.specifier or 'any version'})")
        if problems:
            yield Issue(
                f"{' and '.join(problems)}: the file is in pip's hash-checking mode, so pip will refuse to install "
                "it, and nothing checks what would be downloaded",
                hint=(
                    f"add --hash lines for {dep.name} (pip-compile --generate-hashes, or pip hash)"
                    if len(problems) == 1 and dep.version is not None
                    else f"pin {dep.name}==X.Y.Z with its --hash lines (pip-compile --generate-hashes, or pip hash)"
                ),
            )
        return
    if dep.hashes:
        return
    if manifest.format == "cargo-lock":
        yield from _check_cargo_lock(subject, options)
        return
    if manifest.format == "requirements":
        yield Issue(
            "the requirements file pins no hashes: a republished or tampered artifact would install unnoticed",
            hint="generate the file with hashes: pip-compile --generate-hashes (or uv pip compile --generate-hashes)",
            level=options["files-without-hashes"],
        )
        return
    yield Issue(
        "lock entry carries no hash: the artifact that gets installed is not checked",
        hint="regenerate the lockfile with the package manager so that it records hashes",
    )


RULE = Rule(
    id="hash-pinning",
    label="no hash",
    default_level="block",
    action="Add hashes",
    action_rank=50,
    summary="Every downloaded artifact must be checked against a hash recorded in the repository.",
    explanation=(
        "A version number names a release, not its bytes: a registry account that is taken over can upload a new "
        "artifact under an old version (a new wheel for a new platform, a re-uploaded tarball), and a mirror or proxy "
        "can serve something else. A hash in the lockfile or requirements file makes the installer refuse anything "
        "but the reviewed bytes. For requirements files lockgate follows pip's hash-checking mode: once one "
        "requirement carries --hash, every one must, and only sha256, sha384 and sha512 count. Lockfile entries "
        "from a registry must carry hashes. Local paths and git sources pinned by commit carry none and are left "
        "to registry-source. npm lockfile entries must carry `integrity`, and a strong one: npm checks the "
        "strongest algorithm listed, so sha1 alone is weak; an entry with no integrity at all is a finding too "
        "(lockfile-lint silently skips those). Bundled packages, links and git commits are exempt."
    ),
    fix="Generate requirements with `pip-compile --generate-hashes`; regenerate lockfiles so entries carry hashes.",
    example=(
        "requirements.txt:\n"
        "  litellm==1.82.6 \\\n"
        "      --hash=sha256:5b3c…            # ok\n"
        "  requests==2.32.3                  # finding: no --hash in a hash-checking file\n"
        "package-lock.json:\n"
        '  "node_modules/wrappy": {"version": "1.0.2", "integrity": "sha1-tSQ9…"}    # finding: sha1 only\n'
        '  "node_modules/debug": {"version": "4.4.1", "resolved": "https://…"}       # finding: no integrity'
    ),
    options=(
        Option("algorithms", "str-list", ["sha256", "sha384", "sha512"], "hash algorithms that count as strong"),
        Option(
            "files-without-hashes",
            "choice",
            "warn",
            "level for entries of a requirements file, Cargo.lock, Gemfile.lock, composer.lock or pubspec.lock that "
            "records no hashes at all (capped at the rule's level)",
            ("off", "info", "warn", "block"),
        ),
    ),
    check_dependency=check,
)
