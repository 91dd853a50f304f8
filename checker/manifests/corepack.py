"""package.json's ``packageManager`` and ``devEngines.packageManager``: the package manager a project downloads and
runs on every install, and whether that download is pinned by a hash.

What Corepack does with them (nodejs/corepack: sources/specUtils.ts, corepackUtils.ts, Engine.ts, config.json):

- ``packageManager`` is ``<name>@<version>``: name ``npm``, ``pnpm`` or ``yarn`` (any other name is refused), the
  version an exact semver version (a range or a tag is refused). Build metadata ``+<algorithm>.<hex>`` pins the
  download: Corepack hashes what it downloads with that algorithm (any name Node's ``crypto.createHash`` knows,
  case-insensitive) and refuses it when the hex digest differs. Anything after a second ``.`` is ignored.
- Without a digest (no build metadata, or ``+sha512`` alone), Corepack checks the npm registry's signature of the
  npm, pnpm and Yarn 1 tarball (a check the environment can turn off: ``COREPACK_INTEGRITY_KEYS=""``), and nothing
  at all for Yarn 2 and later, which comes as a single file from repo.yarnpkg.com.
- What is hashed: the tarball npm publishes for npm, pnpm and Yarn 1 (so a ``sha512`` or ``sha1`` digest is the
  registry's ``dist.integrity`` or ``dist.shasum``), and the file ``yarn.js`` for Yarn 2 and later (published on
  npm as the ``bin/yarn.js`` of ``@yarnpkg/cli-dist``, which is how lockgate names that package).
- A URL instead of the version (``yarn@https://example.com/yarn.js#sha224.<hex>``) is refused for these names
  unless ``COREPACK_ENABLE_UNSAFE_CUSTOM_URLS=1`` (the environment, or ``.corepack.env``); its fragment
  ``#<algorithm>.<hex>`` pins it.
- ``devEngines.packageManager`` (an object ``{name, version, onFail}``) is used when ``packageManager`` is absent:
  ``<name>@<version range>`` (``*`` when no version is given), resolved to the newest matching release at install
  time. With ``packageManager`` present it only checks that the two agree. An array is ignored.

pnpm 9.7 and later also read ``packageManager`` and install that pnpm version themselves (without its digest).

What lockgate makes of it. The package manager is a Dependency of ecosystem npm (scope ``build``): its version is
what a reviewer judges, and its digest is kept as ``<algorithm>:<hex>`` like every npm hash, so that
hash-mismatch compares it with the registry's. Yarn 2+'s digest is of ``yarn.js``, not of a tarball the registry
publishes, so it is kept as ``corepack-<algorithm>:<hex>``, which nothing compares with the registry's. A
download that nothing pins (no digest, a weak one, a version range) is an InstallCommand (tool ``corepack``) with
the reason, for the install-command rule. A value Corepack would refuse is a Problem: lockgate does not guess.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.model import Dependency, InstallCommand, Problem, Source

# Package managers Corepack installs (types.ts: SupportedPackageManagers).
SUPPORTED = frozenset({"npm", "pnpm", "yarn"})
# Digest length in hex digits of the algorithms a package.json can name (Node's crypto.createHash).
_DIGEST_HEX = {
    "md4": 32, "md5": 32, "sha1": 40, "ripemd160": 40, "rmd160": 40, "md5-sha1": 72,
    "sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128, "sha512-224": 56, "sha512-256": 64,
    "sha3-224": 56, "sha3-256": 64, "sha3-384": 96, "sha3-512": 128, "blake2b512": 128, "blake2s256": 64,
    "sm3": 64,
}
# Broken for collisions: a digest of these no longer pins a file (the hash-pinning rule's stance on SHA-1).
_WEAK = frozenset({"md4", "md5", "sha1", "md5-sha1"})
_HEX = frozenset("0123456789abcdefABCDEF")


class PackageManager(NamedTuple):
    """What one package.json says about its package manager."""

    dependencies: tuple[Dependency, ...] = ()
    commands: tuple[InstallCommand, ...] = ()
    problems: tuple[Problem, ...] = ()


def read(data: dict, lines: dict, path: str) -> PackageManager:
    """The package manager that Corepack (or pnpm) would download for this package.json, if any."""
    if "packageManager" in data:
        return _package_manager(data["packageManager"], path, lines.get(("packageManager",)))
    engines = data.get("devEngines")
    if isinstance(engines, dict) and isinstance(engines.get("packageManager"), dict):
        where = lines.get(("devEngines", "packageManager")) or lines.get(("devEngines",))
        return _dev_engines(engines["packageManager"], path, where)
    return PackageManager()


def _package_manager(value: object, path: str, line: int | None) -> PackageManager:
    if not isinstance(value, str):
        return _refused('"packageManager" must be a string such as "pnpm@9.1.0+sha512.<hex>"', line)
    name, at, reference = value.partition("@")
    if not at or not reference:
        if name not in SUPPORTED:
            return PackageManager()  # bun and the like: nothing Corepack downloads
        return _refused(f'"packageManager" {value!r} names no version: Corepack refuses it', line)
    if _is_url(reference):
        return _from_url(name, reference, value, path, line)
    if name not in SUPPORTED:
        return PackageManager()
    from checker.versions import semver

    version = semver.parse(reference, loose=False)
    if version is None:
        if semver.valid_range(reference) is not None:
            return _ranged(name, reference, value, path, line)
        return _refused(f'"packageManager" {value!r}: {reference!r} is not a version, which Corepack demands', line)
    berry = name == "yarn" and version.major >= 2
    package = "@yarnpkg/cli-dist" if berry else name
    digest = _digest(version.build, value, line)
    if isinstance(digest, Problem):
        return PackageManager(problems=(digest,))
    hashes: frozenset[str] = frozenset()
    if digest is not None:
        algorithm, hex_digest = digest
        hashes = frozenset({f"{'corepack-' if berry else ''}{algorithm}:{hex_digest}"})
    dependency = Dependency(ecosystem="npm", name=package, version=version.version, specifier=value,
                            hashes=hashes, scope="build", direct=True, manifest=path, line=line)
    problem = _unpinned(digest, f"{name} {version.version}", berry)
    commands = () if problem is None else (InstallCommand("corepack", value, line, problem),)
    return PackageManager((dependency,), commands)


def _digest(build: tuple[str, ...], value: str, line: int | None) -> tuple[str, str] | None | Problem:
    """(algorithm, hex) from ``+<algorithm>.<hex>``; None when there is none (Corepack then checks no digest);
    a Problem when Corepack would fail on it."""
    if len(build) < 2:
        return None  # no build metadata, or "+sha512" alone: no digest to compare
    algorithm, hex_digest = build[0].lower(), build[1]
    if algorithm not in _DIGEST_HEX:
        return Problem(f'"packageManager" {value!r}: {build[0]!r} is not a hash algorithm Corepack can use', line)
    if not set(hex_digest) <= _HEX or len(hex_digest) != _DIGEST_HEX[algorithm]:
        return Problem(
            f'"packageManager" {value!r}: the {algorithm} digest must be {_DIGEST_HEX[algorithm]} hex digits, '
            "so Corepack would refuse every download",
            line,
        )
    return algorithm, hex_digest.lower()


def _unpinned(digest: tuple[str, str] | None, what: str, berry: bool) -> str | None:
    """Why the download of ``what`` is not pinned, or None when a strong digest pins it."""
    if digest is None:
        checked = ("checking nothing: Yarn 2 and later come from repo.yarnpkg.com without a signature" if berry
                   else "checking only the npm registry's signature, which the environment can turn off")
        return f"no digest: Corepack downloads {what} and runs it on every install, {checked}"
    if digest[0] in _WEAK:
        return (f"pinned by {digest[0]} only: collisions of {digest[0]} are practical, so the digest no longer pins "
                f"the {what} that Corepack downloads and runs")
    return None


def _from_url(name: str, reference: str, value: str, path: str, line: int | None) -> PackageManager:
    """``<name>@<url>#<algorithm>.<hex>``: Corepack downloads the URL (corepackUtils.ts parseURLReference)."""
    url, _, fragment = reference.partition("#")
    algorithm, dot, hex_digest = fragment.partition(".")
    hashes: frozenset[str] = frozenset()
    digest: tuple[str, str] | None = None
    if fragment and dot:
        found = _digest((algorithm, hex_digest.partition(".")[0]), value, line)
        if isinstance(found, Problem):
            return PackageManager(problems=(found,))
        digest = found
    if digest is not None:
        hashes = frozenset({f"{digest[0]}:{digest[1]}"})
    dependency = Dependency(ecosystem="npm", name=name, version=None, specifier=value, source=Source("url", url),
                            hashes=hashes, scope="build", direct=True, manifest=path, line=line)
    problem: str | None
    if digest is None:
        problem = f"no digest: Corepack downloads {url} and runs it on every install, whatever it serves"
    else:
        problem = _unpinned(digest, url, False)
    commands = () if problem is None else (InstallCommand("corepack", value, line, problem),)
    return PackageManager((dependency,), commands)


def _is_url(reference: str) -> bool:
    """What ``URL.canParse`` accepts, near enough: a scheme (a letter, then letters, digits, ``+-.``) and ``:``.
    A semver version never holds a ``:``."""
    scheme, colon, _ = reference.partition(":")
    return bool(colon) and scheme[:1].isalpha() and all(c.isalnum() or c in "+-." for c in scheme) and scheme.isascii()


def _dev_engines(entry: dict, path: str, line: int | None) -> PackageManager:
    """``devEngines.packageManager`` without ``packageManager``: ``name@range``, resolved when installing. A value
    Corepack cannot use stops the install unless ``onFail`` says ``ignore`` or ``warn`` (then nothing is
    downloaded): a Problem in the first case, nothing in the second."""
    name, version = entry.get("name"), entry.get("version")
    if not isinstance(name, str) or name not in SUPPORTED:
        return PackageManager()  # Corepack refuses or ignores it (onFail), and downloads nothing
    from checker.versions import semver

    written = version if version is not None else "*"
    if not isinstance(written, str) or (semver.valid_range(written) is None
                                        and semver.exact_version(written) is None):
        if entry.get("onFail") in ("ignore", "warn"):
            return PackageManager()
        return _refused(f'"devEngines.packageManager" version {written!r} is not a semver range: Corepack refuses it',
                        line)
    return _ranged(name, written, f"{name}@{written}", path, line)


def _ranged(name: str, written: str, specifier: str, path: str, line: int | None) -> PackageManager:
    """A package manager named by a range (``devEngines.packageManager``, or ``packageManager`` as early Corepack releases
    (and pnpm) once read it): the newest matching release, resolved at install time, pinned by nothing."""
    from checker.versions import semver

    exact = semver.exact_version(written)
    package = "@yarnpkg/cli-dist" if name == "yarn" and _at_least_2(written) else name
    dependency = Dependency(ecosystem="npm", name=package, version=exact, specifier=specifier, scope="build",
                            direct=True, manifest=path, line=line)
    if exact is not None:
        problem = _unpinned(None, f"{name} {exact}", package != name)
    else:
        problem = (f"a version range: Corepack downloads the newest {name} release matching {written} and runs it "
                   "on every install, pinned by nothing")
    return PackageManager((dependency,), (InstallCommand("corepack", specifier, line, problem),))


def _at_least_2(written: str) -> bool:
    from checker.versions import semver

    lowest = semver.lower_bound(written)
    parsed = semver.parse(lowest) if lowest else None
    return parsed is not None and parsed.major >= 2


def _refused(message: str, line: int | None) -> PackageManager:
    return PackageManager(problems=(Problem(message, line),))
