"""Noise that is not risk (issue 17): changes a package manager makes on its own that need no review, each beside
the ways an attacker could try to hide a real change behind the quieter kind (checker/diff/changes.py)."""

from __future__ import annotations

import datetime as dt

from checker.diff.changes import diff_dependencies
from checker.model import UNKNOWN, Change, Dependency, Facts, Manifest, Source
from checker.judge.engine import judge
from checker.policy.load import load_policy

TODAY = dt.date(2026, 12, 7)
WHEEL_LINUX = "sha256:" + "1" * 64
WHEEL_MAC = "sha256:" + "2" * 64
SDIST = "sha256:" + "3" * 64
EVIL = "sha256:" + "e" * 64
PYPI_FILES = "https://files.pythonhosted.org"


def pypi(version: str = "2.32.3", *hashes: str, source: Source = Source(hosts=frozenset({PYPI_FILES})),
         scope: str = "prod", manifest: str = "uv.lock", name: str = "requests") -> Dependency:
    return Dependency("pypi", name, version, f"=={version}", source=source, hashes=frozenset(hashes), scope=scope,
                      manifest=manifest, line=7)


def kinds(changes: list[Change]) -> list[tuple[str, str]]:
    return [(c.kind, c.name) for c in changes]


def one_kind(before: Dependency, after: Dependency) -> str:
    [change] = diff_dependencies([before], [after])
    return change.kind


def judged(change: Change, fact: Facts | None = None, preset: str = "default") -> tuple[str, list[tuple[str, str]]]:
    """(review state, [(rule, level)]) of one change under a preset, with the registry's facts when given."""
    dep = change.dependency
    head = [Manifest(dep.manifest, "uv-lock", dep.ecosystem, (dep,))]
    policy = load_policy(f"extends: {preset}\nrules:\n  release-age: off\n  provenance-downgrade: off\n",
                         ".github/lockgate.yml", lambda p: None)
    facts = {(dep.ecosystem, dep.name, dep.version or ""): fact} if fact is not None else {}
    result = judge([change], [], head, policy, today=TODAY, facts=facts)
    return result.reviews[0].state, [(f.rule, f.level) for f in result.findings if f.counts]


def published(*hashes: str, name: str = "requests", version: str = "2.32.3", ecosystem: str = "pypi") -> Facts:
    return Facts(ecosystem, name, version, exists=True, yanked=False, hashes=frozenset(hashes),
                 provenance=None, registry="https://pypi.org/simple")


# --- 1. artifacts added to the same version ------------------------------------------------------------------------


def test_wheels_for_new_platforms_are_artifacts_added_and_need_no_review() -> None:
    before, after = pypi("2.32.3", WHEEL_LINUX, SDIST), pypi("2.32.3", WHEEL_LINUX, SDIST, WHEEL_MAC)
    [change] = diff_dependencies([before], [after])
    assert (change.kind, change.bump) == ("artifacts-added", "other")
    assert judged(change, published(WHEEL_LINUX, WHEEL_MAC, SDIST)) == ("not-required", [])
    assert judged(change, published(WHEEL_LINUX, WHEEL_MAC, SDIST), "strict")[0] == "not-required"
    # a version that had no hash pinned at all and now has some: pins were only added
    assert one_kind(pypi("2.32.3"), after) == "artifacts-added"


def test_a_replaced_or_removed_artifact_hash_stays_hashes_changed() -> None:
    before = pypi("2.32.3", WHEEL_LINUX, SDIST)
    # attacker: swap the hash of a pinned wheel for the hash of a tampered one
    assert one_kind(before, pypi("2.32.3", EVIL, SDIST)) == "hashes-changed"
    # attacker: swap one and add another, so that the set grows
    assert one_kind(before, pypi("2.32.3", EVIL, SDIST, WHEEL_MAC)) == "hashes-changed"
    # a pinned artifact disappeared (the sdist is no longer pinned: the installer may take something else)
    assert one_kind(before, pypi("2.32.3", WHEEL_LINUX)) == "hashes-changed"
    # every pin dropped
    assert one_kind(before, pypi("2.32.3")) == "hashes-changed"
    assert judged(Change("hashes-changed", before, pypi("2.32.3", EVIL, SDIST), "other"),
                  published(WHEEL_LINUX, SDIST))[0] == "required"


def test_an_added_artifact_the_registry_never_published_is_still_hash_mismatch() -> None:
    """attacker: add the hash of a tampered wheel beside the genuine ones (pip accepts any pinned hash): the quiet
    kind needs no review, so the registry's published hashes must judge the head dependency."""
    before, after = pypi("2.32.3", WHEEL_LINUX, SDIST), pypi("2.32.3", WHEEL_LINUX, SDIST, EVIL)
    [change] = diff_dependencies([before], [after])
    assert change.kind == "artifacts-added"
    state, findings = judged(change, published(WHEEL_LINUX, SDIST, WHEEL_MAC))
    assert (state, findings) == ("not-required", [("hash-mismatch", "block")])
    # offline: the added hash cannot be checked, which is a finding at on-unknown, never a silent pass
    offline = Facts("pypi", "requests", "2.32.3", reason="offline")
    assert ("hash-mismatch", "warn") in judged(change, offline)[1]


def test_an_added_artifact_from_a_new_host_stays_source_changed() -> None:
    """attacker: add a wheel downloaded from a host of their own (uv.lock and pylock.toml record each file's URL)."""
    before = pypi("2.32.3", WHEEL_LINUX)
    after = pypi("2.32.3", WHEEL_LINUX, EVIL, source=Source(hosts=frozenset({PYPI_FILES, "https://evil.example"})))
    assert one_kind(before, after) == "source-changed"
    # and another index for the same version, with an added hash
    assert one_kind(before, pypi("2.32.3", WHEEL_LINUX, EVIL,
                                 source=Source(url="https://evil.example/simple", hosts=frozenset({PYPI_FILES})))) \
        == "source-changed"


def test_added_artifacts_do_not_hide_a_scope_move() -> None:
    """attacker: move a dev-only package into production and add a wheel in the same edit."""
    before = pypi("2.32.3", WHEEL_LINUX, scope="dev")
    assert one_kind(before, pypi("2.32.3", WHEEL_LINUX, WHEEL_MAC, scope="prod")) == "scope-changed"


def test_added_hashes_of_a_url_git_or_path_source_stay_hashes_changed() -> None:
    """A URL pins one file: a second hash beside the first lets whatever the URL serves next be installed (the
    attacker changes the file behind the URL and adds its hash). Only a registry version has several artifacts."""
    url = Source("url", "https://example.com/requests-2.32.3-py3-none-any.whl")
    assert one_kind(pypi("2.32.3", WHEEL_LINUX, source=url), pypi("2.32.3", WHEEL_LINUX, EVIL, source=url)) \
        == "hashes-changed"
    path = Source("path", "./vendor/requests")
    assert one_kind(pypi("2.32.3", WHEEL_LINUX, source=path), pypi("2.32.3", WHEEL_LINUX, EVIL, source=path)) \
        == "hashes-changed"
    git = Source("git", "https://github.com/psf/requests", commit="a" * 40)
    assert one_kind(pypi("2.32.3", source=git), pypi("2.32.3", EVIL, source=git)) == "hashes-changed"


def test_added_hashes_outside_python_registries_stay_hashes_changed() -> None:
    """An npm package with a patch hash added (a new patch applied to it), a Docker digest, a setting's file hash:
    one hash is one artifact, and another one added is a different thing installed."""
    patch = "patch-sha256:" + "c" * 64
    npm = Dependency("npm", "express", "4.18.1", hashes=frozenset({"sha512:" + "a" * 128}), manifest="package-lock.json")
    assert one_kind(npm, npm._replace(hashes=npm.hashes | {patch})) == "hashes-changed"


def _lock_texts(fmt: str, wheels: list[tuple[str, str]]) -> str:
    """A one-package lockfile of ``fmt`` pinning ``wheels`` ((file name, hex)) of idna 3.7, as each tool writes it."""
    if fmt == "uv.lock":
        files = ",\n".join(f'    {{ url = "https://files.pythonhosted.org/packages/{n}", hash = "sha256:{h}", size = 1 }}'
                           for n, h in wheels)
        return ('version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "idna"\nversion = "3.7"\n'
                'source = { registry = "https://pypi.org/simple" }\nwheels = [\n' + files + "\n]\n")
    if fmt == "poetry.lock":
        files = ",\n".join(f'    {{file = "{n}", hash = "sha256:{h}"}}' for n, h in wheels)
        return ('[[package]]\nname = "idna"\nversion = "3.7"\ndescription = ""\noptional = false\n'
                'python-versions = ">=3.5"\nfiles = [\n' + files + '\n]\n\n[metadata]\nlock-version = "2.0"\n'
                'python-versions = "^3.12"\ncontent-hash = "' + "0" * 64 + '"\n')
    if fmt == "pylock.toml":
        files = ",\n".join(f'    {{ name = "{n}", url = "https://files.pythonhosted.org/packages/{n}", '
                           f'hashes = {{ sha256 = "{h}" }} }}' for n, h in wheels)
        return ('lock-version = "1.0"\ncreated-by = "uv"\n\n[[packages]]\nname = "idna"\nversion = "3.7"\n'
                'index = "https://pypi.org/simple"\nwheels = [\n' + files + "\n]\n")
    assert fmt == "Pipfile.lock"
    import json

    return json.dumps({"_meta": {"hash": {"sha256": "0" * 64}, "pipfile-spec": 6, "requires": {},
                                 "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}]},
                       "default": {"idna": {"hashes": [f"sha256:{h}" for _, h in wheels], "index": "pypi",
                                            "version": "==3.7"}},
                       "develop": {}}, indent=4)


def _parsed_changes(fmt: str, before: list[tuple[str, str]], after: list[tuple[str, str]]) -> list[Change]:
    from checker.manifests import pipfile_lock, poetry_lock, pylock, uv_lock

    module = {"uv.lock": uv_lock, "poetry.lock": poetry_lock, "pylock.toml": pylock, "Pipfile.lock": pipfile_lock}[fmt]
    base = module.parse(_lock_texts(fmt, before), fmt, lambda p: None)
    head = module.parse(_lock_texts(fmt, after), fmt, lambda p: None)
    return diff_dependencies(base.dependencies, head.dependencies)


LINUX = ("idna-3.7-cp312-manylinux_x86_64.whl", "1" * 64)
MAC = ("idna-3.7-cp312-macosx_11_0_arm64.whl", "2" * 64)
TAMPERED_LINUX = ("idna-3.7-cp312-manylinux_x86_64.whl", "e" * 64)


def test_each_python_lockfile_a_new_platform_wheel_is_artifacts_added() -> None:
    for fmt in ("uv.lock", "poetry.lock", "pylock.toml", "Pipfile.lock"):
        assert kinds(_parsed_changes(fmt, [LINUX], [LINUX, MAC])) == [("artifacts-added", "idna")], fmt
        # the same file name with another hash (a republished wheel), and a wheel that went away
        assert kinds(_parsed_changes(fmt, [LINUX], [TAMPERED_LINUX, MAC])) == [("hashes-changed", "idna")], fmt
        assert kinds(_parsed_changes(fmt, [LINUX, MAC], [MAC])) == [("hashes-changed", "idna")], fmt


def test_each_python_lockfile_a_wheel_from_another_host_is_source_changed() -> None:
    """uv.lock and pylock.toml name each file's URL: a wheel added from a host of the attacker's is a new source."""
    for fmt in ("uv.lock", "pylock.toml"):
        text = _lock_texts(fmt, [LINUX, MAC]).replace(
            f"https://files.pythonhosted.org/packages/{MAC[0]}", f"https://evil.example/{MAC[0]}")
        from checker.manifests import pylock, uv_lock

        module = uv_lock if fmt == "uv.lock" else pylock
        base = module.parse(_lock_texts(fmt, [LINUX]), fmt, lambda p: None)
        head = module.parse(text, fmt, lambda p: None)
        assert kinds(diff_dependencies(base.dependencies, head.dependencies)) == [("source-changed", "idna")], fmt


def test_reports_show_an_info_kind_as_one_version_needing_no_review() -> None:
    from checker.model import Report, ReviewStatus
    from checker.report import markdown, text

    before, after = pypi("2.32.3", WHEEL_LINUX), pypi("2.32.3", WHEEL_LINUX, WHEEL_MAC)
    [change] = diff_dependencies([before], [after])
    report = Report("base", "head", (change,), (), (ReviewStatus("not-required"),), "pass")
    rendered = text.render(report)
    assert "  i artifacts-added requests 2.32.3\n" in rendered
    comment = markdown.render(report)
    assert "<code>2\\.32\\.3</code> (artifacts added)" in comment and "| \u26aa |" in comment


# --- 2. npm integrity sha1 -> sha512 -------------------------------------------------------------------------------

SHA1 = "sha1-" + __import__("base64").b64encode(bytes(range(20))).decode()
SHA1_OTHER = "sha1-" + __import__("base64").b64encode(bytes(range(1, 21))).decode()
SHA512 = "sha512-" + __import__("base64").b64encode(bytes(range(64))).decode()
SHA512_OTHER = "sha512-" + __import__("base64").b64encode(bytes(range(2, 66))).decode()
SHA1_HEX = bytes(range(20)).hex()
SHA1_OTHER_HEX = bytes(range(1, 21)).hex()
TARBALL = "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz"


def _npm_text(fmt: str, integrity: str | None, resolved: str = TARBALL, sha1_fragment: str | None = None) -> str:
    """A one-package lockfile of ``fmt`` locking left-pad 1.3.0 with ``integrity`` (SRI), as each tool writes it."""
    import json

    if fmt == "package-lock.json":
        entry = {"version": "1.3.0", "resolved": resolved}
        if integrity:
            entry["integrity"] = integrity
        return json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 1, "requires": True,
                           "dependencies": {"left-pad": entry}}, indent=2)
    if fmt == "bun.lock":
        return ('{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": {\n      "name": "app",\n'
                '      "dependencies": {\n        "left-pad": "^1.3.0",\n      },\n    },\n  },\n  "packages": {\n'
                f'    "left-pad": ["left-pad@1.3.0", "", {{}}, "{integrity}"],\n  }}\n}}\n')
    if fmt == "yarn.lock":
        url = resolved + (f"#{sha1_fragment}" if sha1_fragment else "")
        return ("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n"
                f'left-pad@^1.3.0:\n  version "1.3.0"\n  resolved "{url}"\n'
                + (f"  integrity {json.dumps(integrity) if ' ' in integrity else integrity}\n" if integrity else ""))
    assert fmt == "pnpm-lock.yaml"
    return ("lockfileVersion: 5.4\n\nspecifiers:\n  left-pad: ^1.3.0\n\ndependencies:\n  left-pad: 1.3.0\n\n"
            f"packages:\n\n  /left-pad/1.3.0:\n    resolution: {{integrity: {integrity}}}\n    dev: false\n")


def _npm_changes(fmt: str, before: str, after: str) -> list[Change]:
    from checker.manifests import bun_lock, package_lock, pnpm_lock, yarn_lock

    module = {"package-lock.json": package_lock, "yarn.lock": yarn_lock, "pnpm-lock.yaml": pnpm_lock,
              "bun.lock": bun_lock}[fmt]
    base, head = (module.parse(text, fmt, lambda p: None) for text in (before, after))
    return diff_dependencies(base.dependencies, head.dependencies)


def test_npm_integrity_sha1_to_sha512_is_an_integrity_upgrade() -> None:
    for fmt in ("package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock"):
        changes = _npm_changes(fmt, _npm_text(fmt, SHA1), _npm_text(fmt, SHA512))
        assert kinds(changes) == [("integrity-upgraded", "left-pad")], fmt
    # Yarn 1: the sha1 of the tarball URL's fragment stays, and an integrity line is added beside it
    fmt = "yarn.lock"
    before = _npm_text(fmt, None, sha1_fragment=SHA1_HEX)
    assert kinds(_npm_changes(fmt, before, _npm_text(fmt, SHA512, sha1_fragment=SHA1_HEX))) == [
        ("integrity-upgraded", "left-pad")]
    assert kinds(_npm_changes(fmt, before, _npm_text(fmt, SHA512))) == [("integrity-upgraded", "left-pad")]


def test_other_npm_integrity_moves_stay_hashes_changed() -> None:
    for fmt in ("package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock"):
        def kind(before: str, after: str) -> list[tuple[str, str]]:
            return kinds(_npm_changes(fmt, _npm_text(fmt, before), _npm_text(fmt, after)))

        assert kind(SHA512, SHA512_OTHER) == [("hashes-changed", "left-pad")], fmt  # a swapped artifact
        assert kind(SHA512, SHA1) == [("hashes-changed", "left-pad")], fmt  # a downgrade to a weak digest
        assert kind(SHA1, SHA1_OTHER) == [("hashes-changed", "left-pad")], fmt
        # attacker: upgrade the digest and swap the sha1 in the same edit (both listed, npm checks the strongest)
        assert kind(SHA1, f"{SHA1_OTHER} {SHA512}") == [("hashes-changed", "left-pad")], fmt
    # Yarn 1: a new sha1 in the URL fragment beside the new integrity
    fmt = "yarn.lock"
    before = _npm_text(fmt, None, sha1_fragment=SHA1_HEX)
    assert kinds(_npm_changes(fmt, before, _npm_text(fmt, SHA512, sha1_fragment=SHA1_OTHER_HEX))) == [
        ("hashes-changed", "left-pad")]


def test_an_integrity_upgrade_with_another_tarball_is_not_quiet() -> None:
    """attacker: point `resolved` at another tarball of the same registry and give its sha512."""
    other = "https://registry.npmjs.org/left-pad/-/left-pad-1.2.0.tgz"
    for fmt in ("package-lock.json", "yarn.lock"):
        [change] = _npm_changes(fmt, _npm_text(fmt, SHA1), _npm_text(fmt, SHA512, resolved=other))
        assert change.kind != "integrity-upgraded", fmt


def test_an_integrity_upgrade_is_still_checked_against_the_registry() -> None:
    """The new sha512 is not one the registry published: hash-mismatch blocks the quiet change."""
    before = Dependency("npm", "left-pad", "1.3.0", hashes=frozenset({f"sha1:{SHA1_HEX}"}),
                        manifest="package-lock.json", resolved=TARBALL)
    after = before._replace(hashes=frozenset({"sha512:" + "ab" * 64}))
    [change] = diff_dependencies([before], [after])
    assert change.kind == "integrity-upgraded"
    registry = published(f"sha1:{SHA1_HEX}", "sha512:" + "cd" * 64, name="left-pad", version="1.3.0", ecosystem="npm")
    assert judged(change, registry) == ("not-required", [("hash-mismatch", "block")])
    good = published(f"sha1:{SHA1_HEX}", "sha512:" + "ab" * 64, name="left-pad", version="1.3.0", ecosystem="npm")
    assert judged(change, good) == ("not-required", [])
    # a scope move in the same edit is not hidden
    assert one_kind(before._replace(scope="dev"), after) == "scope-changed"
    # a git or tarball-URL source is one file whatever its digest: no quiet kind
    url = Source("url", "https://example.com/left-pad.tgz")
    assert one_kind(before._replace(source=url), after._replace(source=url)) == "hashes-changed"


# --- 3. Yarn Berry's cacheKey --------------------------------------------------------------------------------------


def _berry_text(cache_key: str, entries: dict[str, tuple[str, str | None]], version: int = 8) -> str:
    """A Berry yarn.lock: ``entries`` maps a package name to (version, checksum or None)."""
    blocks = [f"__metadata:\n  version: {version}\n  cacheKey: {cache_key}\n"]
    for name, (at, checksum) in entries.items():
        blocks.append(f'"{name}@npm:^{at}":\n  version: {at}\n  resolution: "{name}@npm:{at}"\n'
                      + (f"  checksum: {checksum}\n" if checksum else "")
                      + "  languageName: node\n  linkType: hard\n")
    return "# This file is generated by running \"yarn install\" inside your project.\n\n" + "\n".join(blocks)


def _berry_changes(before: str, after: str) -> list[Change]:
    from checker.manifests import yarn_lock

    base, head = (yarn_lock.parse(text, "yarn.lock", lambda p: None) for text in (before, after))
    return diff_dependencies(base.dependencies, head.dependencies)


PACKAGES = ("lodash", "react", "chalk", "debug")


def _rekeyed(old: str, new: str, **replace: tuple[str, str | None]) -> tuple[str, str]:
    """The same packages before (cacheKey ``old``, Yarn 3's bare checksums when old has no ``c``) and after."""
    def checksum(key: str, seed: int) -> str:
        digest = f"ab{seed:02x}{key}".ljust(128, "0")[:128]
        return f"{key}/{digest}" if "c" in key else digest

    before = {name: ("1.0.0", checksum(old, n)) for n, name in enumerate(PACKAGES)}
    after = {name: ("1.0.0", checksum(new, n)) for n, name in enumerate(PACKAGES)}
    after.update(replace)
    return _berry_text(old, before), _berry_text(new, after)


def test_a_new_cache_key_is_one_change_not_one_per_package() -> None:
    for old, new in (("8", "10c0"), ("10c0", "10c1"), ("6", "8")):
        changes = _berry_changes(*_rekeyed(old, new))
        assert [(c.kind, c.name, c.before.version, c.after.version) for c in changes] == [
            ("source-changed", "yarn.cacheKey", old, new)], (old, new)
        [change] = changes
        assert (change.ecosystem, change.manifest, change.dependency.scope) == ("config", "yarn.lock", "build")
        assert judged(change)[0] == "required"  # a setting: reviewed like any


def test_without_a_new_cache_key_a_changed_checksum_stays_hashes_changed() -> None:
    before, _ = _rekeyed("10c0", "10c0")
    after = before.replace(f"10c0/ab02{'10c0'.ljust(124, '0')}", "10c0/" + "e" * 128)
    assert after != before
    assert kinds(_berry_changes(before, after)) == [("hashes-changed", "chalk")]


def test_a_new_cache_key_does_not_hide_other_changes() -> None:
    """attacker: change the cacheKey so that every checksum changes, and slip in, under the noise, a checksum
    that does not carry the new key, a checksum dropped (Yarn then installs whatever it fetches), a new version,
    or a new package."""
    before, after = _rekeyed("8", "10c0", chalk=("1.0.0", "8/" + "e" * 128), debug=("1.0.0", None),
                             react=("1.0.1", "10c0/" + "f" * 128))
    after += '\n"left-pad@npm:^1.3.0":\n  version: 1.3.0\n  resolution: "left-pad@npm:1.3.0"\n' \
             '  checksum: 10c0/' + "d" * 128 + "\n  languageName: node\n  linkType: hard\n"
    assert sorted((c.kind, c.name) for c in _berry_changes(before, after)) == [
        ("added", "left-pad"), ("hashes-changed", "chalk"), ("hashes-changed", "debug"),
        ("source-changed", "yarn.cacheKey"), ("upgraded", "react")]
    # a checksum that loses its key: Yarn stops checking a checksum whose key is not its own, and checks nothing
    before, after = _rekeyed("10c0", "10c1", chalk=("1.0.0", "ab" + "e" * 126))
    assert sorted((c.kind, c.name) for c in _berry_changes(before, after)) == [
        ("hashes-changed", "chalk"), ("source-changed", "yarn.cacheKey")]
    # a checksum that was missing before and is there now is not a re-keyed one either
    before, after = _rekeyed("8", "10c0", chalk=("1.0.0", "10c0/" + "e" * 128))
    before = before.replace(f"  checksum: ab02{'8'.ljust(124, '0')}\n", "")
    assert sorted((c.kind, c.name) for c in _berry_changes(before, after)) == [
        ("hashes-changed", "chalk"), ("source-changed", "yarn.cacheKey")]


# --- 4. several occurrences of one reference in one file -----------------------------------------------------------


def _file_changes(path: str, before: str, after: str) -> list[tuple[str, str, str | None]]:
    from checker.manifests import format_for

    fmt = format_for(path)
    assert fmt is not None
    base, head = (fmt.parse(text, path, lambda p: None) for text in (before, after))
    return [(c.kind, c.name, c.dependency.display_version()) for c in
            diff_dependencies(base.dependencies, head.dependencies)]


STAGES = "FROM python:3.14.5-slim-trixie AS build\nRUN true\nFROM python:3.14.5-slim-trixie\nCMD [\"x\"]\n"
STEPS = ("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
         "      - run: make\n      - uses: actions/checkout@v4\n")


def test_removing_one_of_two_occurrences_of_a_reference_is_no_change() -> None:
    assert _file_changes("Dockerfile", STAGES, "FROM python:3.14.5-slim-trixie\nCMD [\"x\"]\n") == []
    one_step = STEPS.replace("      - uses: actions/checkout@v4\n", "", 1)
    assert _file_changes(".github/workflows/ci.yml", STEPS, one_step) == []


def test_an_occurrence_added_elsewhere_in_the_file_is_no_new_dependency() -> None:
    assert _file_changes("Dockerfile", "FROM python:3.14.5-slim-trixie\nCMD [\"x\"]\n", STAGES) == []
    three = STEPS + "      - uses: actions/checkout@v4\n"
    assert _file_changes(".github/workflows/ci.yml", STEPS, three) == []


def test_a_new_reference_beside_a_kept_one_is_still_reported() -> None:
    """attacker: keep the reviewed reference in one place and add another tag, digest, ref or image elsewhere."""
    assert _file_changes("Dockerfile", STAGES, STAGES.replace("FROM python:3.14.5-slim-trixie\n",
                                                              "FROM python:3.14.6-slim-trixie\n")) == [
        ("added", "python", "3.14.6-slim-trixie")]
    assert _file_changes("Dockerfile", STAGES, STAGES + "FROM evil/python:3.14.5-slim-trixie\n") == [
        ("added", "evil/python", "3.14.5-slim-trixie")]
    digest = "sha256:" + "a" * 64
    assert _file_changes("Dockerfile", STAGES, STAGES.replace("FROM python:3.14.5-slim-trixie\n",
                                                              f"FROM python:3.14.5-slim-trixie@{digest}\n")) == [
        ("added", "python", f"3.14.5-slim-trixie@{digest}")]
    assert _file_changes(".github/workflows/ci.yml", STEPS, STEPS.replace(
        "make\n      - uses: actions/checkout@v4", "make\n      - uses: actions/checkout@main")) == [
        ("added", "actions/checkout", "main")]
    # both occurrences move: one change, not an upgrade and a removal
    assert _file_changes("Dockerfile", STAGES, STAGES.replace("3.14.5", "3.14.6")) == [
        ("upgraded", "python", "3.14.6-slim-trixie")]


def test_occurrences_that_differ_in_what_is_installed_are_not_merged() -> None:
    """attacker: add a second copy of a locked package that differs only in its tarball URL (lockfile injection,
    which registry-source judges): it is reported, so that the rules see it. A copy of the same artifact in another
    scope is where it is installed, not what (tests/diff/test_copies.py): reaching production is scope-changed,
    a development copy of what production installs anyway is no change."""
    lodash = Dependency("npm", "lodash", "4.17.21", hashes=frozenset({"sha512:" + "a" * 128}),
                        manifest="package-lock.json", resolved="https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz")
    evil = lodash._replace(resolved="https://registry.npmjs.org/evil/-/evil-1.0.0.tgz", line=40)
    assert kinds(diff_dependencies([lodash], [lodash, evil])) == [("added", "lodash")]
    assert diff_dependencies([lodash], [lodash, lodash._replace(scope="dev", line=40)]) == []
    dev = lodash._replace(scope="dev")
    assert kinds(diff_dependencies([dev], [dev, lodash._replace(line=40)])) == [("scope-changed", "lodash")]
    # the same copy twice is one
    assert diff_dependencies([lodash], [lodash, lodash._replace(line=40, direct=True)]) == []


CORE_JS = ('  version "2.6.3"\n  resolved "https://registry.yarnpkg.com/core-js/-/core-js-2.6.3.tgz'
           '#4b70938bdffdaf64931e66e2db158f0892289c49"\n  integrity sha512-' + "A" * 86 + '==\n')


def test_a_yarn_block_folded_into_another_of_the_same_version_is_no_change() -> None:
    # Yarn 1's dedupe (facebook/jest 242f3bc11f, prettier/prettier 4b6c6801a5; found by benchmarks/replay.py): the
    # block of `core-js@^2.5.0` joins the block of the other ranges resolved to the same 2.6.3 and tarball.
    before = (f"# yarn lockfile v1\n\n\ncore-js@^2.2.0, core-js@^2.5.7:\n{CORE_JS}\n"
              f"core-js@^2.5.0:\n{CORE_JS}")
    after = f"# yarn lockfile v1\n\n\ncore-js@^2.2.0, core-js@^2.5.0, core-js@^2.5.7:\n{CORE_JS}"
    assert _file_changes("yarn.lock", before, after) == []
    assert _file_changes("yarn.lock", after, before) == []
    # attacker: the folded range now resolved to another version, or to another tarball of the same version
    other = CORE_JS.replace("2.6.3", "2.6.4")
    assert _file_changes("yarn.lock", before, before.replace(f"core-js@^2.5.0:\n{CORE_JS}",
                                                             f"core-js@^2.5.0:\n{other}")) == [
        ("added", "core-js", "2.6.4")]  # 2.6.3 stays installed for the other ranges
    evil = CORE_JS.replace("registry.yarnpkg.com/core-js/-/core-js-2.6.3.tgz", "evil.example/core-js-2.6.3.tgz")
    assert [c[0] for c in _file_changes("yarn.lock", before, before.replace(f"core-js@^2.5.0:\n{CORE_JS}",
                                                                             f"core-js@^2.5.0:\n{evil}"))] != []


# --- 5. images written with ${{ }} expressions ---------------------------------------------------------------------


def _images(job: str) -> list[tuple[str, str | None, str]]:
    from checker.manifests.workflow import parse

    text = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n" + job
    manifest = parse(text, ".github/workflows/ci.yml", lambda p: None)
    return [(d.name, d.version, d.specifier) for d in manifest.dependencies if d.ecosystem == "docker"]


def _image_findings(job: str) -> list[tuple[str, str]]:
    from checker.manifests.workflow import parse

    text = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n" + job
    manifest = parse(text, ".github/workflows/ci.yml", lambda p: None)
    policy = load_policy("extends: default\nrules:\n  image-pinning: {level: block, tag-only: warn, "
                         "unresolved: warn}\n", ".github/lockgate.yml", lambda p: None)
    result = judge([], [], [manifest], policy, today=TODAY, judge_all=True)
    return [(f.dependency.name, f.level) for f in result.findings if f.rule == "image-pinning"]


MATRIX = "    strategy:\n      matrix:\n        pg: ['16', '17']\n        image: ['postgres:16', 'postgres:17']\n"


def test_a_matrix_expression_in_part_of_an_image_stands_for_each_value_like_a_whole_one() -> None:
    whole = _images(MATRIX + "    container:\n      image: ${{ matrix.image }}\n")
    part = _images(MATRIX + "    container:\n      image: postgres:${{ matrix.pg }}\n")
    assert [(name, version) for name, version, _ in whole] == [("postgres", "16"), ("postgres", "17")]
    assert [(name, version) for name, version, _ in part] == [("postgres", "16"), ("postgres", "17")]
    assert {specifier for *_, specifier in part} == {"postgres:${{ matrix.pg }}"}
    registry = _images("    strategy:\n      matrix:\n        registry: [ghcr.io/acme, docker.io/acme]\n"
                       "    container:\n      image: ${{ matrix.registry }}/app:1.0\n")
    assert [(name, version) for name, version, _ in registry] == [("ghcr.io/acme/app", "1.0"), ("acme/app", "1.0")]
    # one expression written twice takes one value in each image
    twice = _images("    strategy:\n      matrix:\n        v: ['16', '17']\n"
                    "    container:\n      image: ghcr.io/acme/pg${{ matrix.v }}:${{ matrix.v }}\n")
    assert [(name, version) for name, version, _ in twice] == [("ghcr.io/acme/pg16", "16"), ("ghcr.io/acme/pg17", "17")]
    # a matrix of two keys: every combination (GitHub runs at most 256 jobs)
    grid = _images("    strategy:\n      matrix:\n        pg: ['16', '17']\n        os: [bookworm, alpine]\n"
                   "    container:\n      image: postgres:${{ matrix.pg }}-${{ matrix.os }}\n")
    assert [version for _, version, _ in grid] == ["16-bookworm", "16-alpine", "17-bookworm", "17-alpine"]


def test_an_unknown_part_keeps_the_known_parts_and_its_expression_in_place() -> None:
    """One representation whatever the position: the part an expression decides is the expression as written, in
    the name or the version; a whole-reference expression decides both, so it is both."""
    assert _images("    container:\n      image: ${{ inputs.image }}\n") == [
        ("${{ inputs.image }}", "${{ inputs.image }}", "${{ inputs.image }}")]
    assert _images("    container:\n      image: postgres:${{ inputs.pg }}\n") == [
        ("postgres", "${{ inputs.pg }}", "postgres:${{ inputs.pg }}")]
    assert _images("    container:\n      image: ${{ inputs.registry }}/app:1.0\n") == [
        ("${{ inputs.registry }}/app", "1.0", "${{ inputs.registry }}/app:1.0")]
    assert _images("    container:\n      image: app@${{ inputs.digest }}\n") == [
        ("app", "${{ inputs.digest }}", "app@${{ inputs.digest }}")]
    # an expression whose values are partly known: the known ones, and the unknown one kept
    assert _images("    container:\n      image: postgres:${{ inputs.pg || '17' }}\n") == [
        ("postgres", "17", "postgres:${{ inputs.pg || '17' }}"),
        ("postgres", "${{ inputs.pg || '17' }}", "postgres:${{ inputs.pg || '17' }}")]


def test_an_unknown_tag_is_never_a_pin() -> None:
    """attacker: write the tag or digest as an expression (an input, a computed matrix) so that the reviewed file
    says nothing about what runs: image-pinning reports it as decided at run time, whatever its position."""
    for image in ("${{ inputs.image }}", "postgres:${{ inputs.pg }}", "postgres@${{ inputs.digest }}",
                  "postgres:17@${{ inputs.digest }}", "${{ inputs.registry }}/app:1.0",
                  "postgres:${{ inputs.pg }}@sha256:" + "a" * 64):
        found = _image_findings(f"    container:\n      image: {image}\n")
        assert found and all(level == "warn" for _, level in found), image
    computed = "    strategy:\n      matrix: ${{ fromJSON(needs.a.outputs.m) }}\n"
    assert _image_findings(computed + "    container:\n      image: postgres:${{ matrix.pg }}\n") == [
        ("postgres", "warn")]
    # each value of a matrix is judged as written: tag only (warn); an empty value in part of a reference is not
    # "no container" (as an empty whole image is) but the image without its tag, which runs `latest` (block)
    assert sorted(_image_findings("    strategy:\n      matrix:\n        pg: ['17', '']\n"
                                  "    container:\n      image: postgres:${{ matrix.pg }}\n")) == [
        ("postgres", "block"), ("postgres", "warn")]
    assert sorted(_image_findings("    strategy:\n      matrix:\n        tag: [':17', '']\n"
                                  "    container:\n      image: postgres${{ matrix.tag }}\n")) == [
        ("postgres", "block"), ("postgres", "warn")]


def test_a_changed_expression_in_an_image_is_a_change() -> None:
    before = "on: push\njobs:\n  t:\n    runs-on: x\n    container:\n      image: postgres:${{ inputs.pg }}\n"
    after = before.replace("inputs.pg", "inputs.tag")
    assert _file_changes(".github/workflows/ci.yml", before, after) == [
        ("source-changed", "postgres", "${{ inputs.tag }}")]
    whole = before.replace("postgres:${{ inputs.pg }}", "${{ inputs.image }}")
    assert sorted(_file_changes(".github/workflows/ci.yml", whole, whole.replace("inputs.image", "inputs.other"))) == [
        ("added", "${{ inputs.other }}", "${{ inputs.other }}"),
        ("removed", "${{ inputs.image }}", "${{ inputs.image }}")]


# --- end to end: what a pull request of each kind of noise shows ----------------------------------------------------


def test_a_pull_request_of_noise_passes_with_its_changes_shown(capsys, repo) -> None:  # type: ignore[no-untyped-def]
    import json

    from checker.cli import main

    berry_before, berry_after = _rekeyed("8", "10c0")
    base = repo.commit("base", {"uv.lock": _lock_texts("uv.lock", [LINUX]),
                                "package-lock.json": _npm_text("package-lock.json", SHA1),
                                "yarn.lock": berry_before, "Dockerfile": STAGES})
    head = repo.commit("noise", {"uv.lock": _lock_texts("uv.lock", [LINUX, MAC]),
                                 "package-lock.json": _npm_text("package-lock.json", SHA512),
                                 "yarn.lock": berry_after, "Dockerfile": "FROM python:3.14.5-slim-trixie\n"})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--offline", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert [(c["manifest"], c["name"], c["kind"], c["review"]) for c in doc["changes"]] == [
        ("package-lock.json", "left-pad", "integrity-upgraded", "not-required"),
        ("uv.lock", "idna", "artifacts-added", "not-required"),
        ("yarn.lock", "yarn.cacheKey", "source-changed", "required")]
    assert code == 1  # the cache key is a setting: its review is what blocks, once
    blocking = {(f["rule"], f["name"]) for f in doc["findings"] if f["level"] == "block"}
    assert blocking == {("review", "yarn.cacheKey")}
    # and the hashes that are new are still checked: offline, that is a finding at on-unknown, never a silent pass
    assert {("hash-mismatch", "idna"), ("hash-mismatch", "left-pad")} <= {
        (f["rule"], f["name"]) for f in doc["findings"] if f["unknown"]}


def test_yarn_rewriting_bare_checksums_with_their_cache_key_is_no_change() -> None:
    """Yarn 4.0's release candidates wrote bare checksums under cacheKey 10c0; Yarn 4 writes the same ones as
    ``10c0/<hex>``: nothing was re-hashed (real: nodejs/corepack 6aab5fc, 484 entries)."""
    bare = _berry_text("10c0", {"lodash": ("1.0.0", "ab" + "1" * 126), "react": ("1.0.0", "ab" + "2" * 126)})
    keyed = bare.replace("checksum: ab", "checksum: 10c0/ab")
    assert _berry_changes(bare, keyed) == []
    # the same form change with another hash is a changed archive; a foreign key on the same hash turns Yarn's check
    # off for that package (it only compares checksums of its own key); a key dropped likewise
    assert kinds(_berry_changes(bare, keyed.replace("10c0/ab" + "2" * 126, "10c0/ab" + "3" * 126))) == [
        ("hashes-changed", "react")]
    assert kinds(_berry_changes(keyed, keyed.replace("10c0/ab" + "2" * 126, "9/ab" + "2" * 126))) == [
        ("hashes-changed", "react")]
    assert kinds(_berry_changes(keyed, keyed.replace("10c0/ab" + "2" * 126, "ab" + "2" * 126))) == [
        ("hashes-changed", "react")]
    # Yarn 4's release candidates moving from key 9 to 10c0 with bare checksums: re-keyed, reported once
    old = _berry_text("9", {"lodash": ("1.0.0", "ab" + "1" * 126)})
    new = _berry_text("10c0", {"lodash": ("1.0.0", "ab" + "4" * 126)})
    assert kinds(_berry_changes(old, new)) == [("source-changed", "yarn.cacheKey")]


def test_a_cache_key_yarn_would_not_compute_quiets_nothing() -> None:
    """attacker: set the cacheKey to a value of their own and write every checksum under it: Yarn, whose own key
    differs, then checks none of them. The key's change is reported, and so is every checksum."""
    before, after = _rekeyed("10c0", "evil")
    assert sorted((c.kind, c.name) for c in _berry_changes(before, after)) == sorted(
        [("source-changed", "yarn.cacheKey")] + [("hashes-changed", name) for name in PACKAGES])
    for key in ("10c", "c0", "10c0c1", "\u0661\u0660"):
        assert len(_berry_changes(*_rekeyed("8", key))) == 1 + len(PACKAGES), key


# --- real files (tests/diff/fixtures/noise/SOURCES.md) ------------------------------------------------------------------


def _fixture_changes(stem: str, filename: str) -> list[tuple[str, str]]:
    from pathlib import Path

    from checker.manifests import format_for

    folder = Path(__file__).parent / "fixtures" / "noise"
    fmt = format_for(filename)
    assert fmt is not None
    base, head = (fmt.parse((folder / f"{stem}.{side}.{filename}").read_text(), filename, lambda p: None)
                  for side in ("before", "after"))
    return kinds(diff_dependencies(base.dependencies, head.dependencies))


def test_real_noise() -> None:
    # pallets/flask: uv adds greenlet 3.2.4's wheels for new platforms (44 -> 54 files)
    assert _fixture_changes("greenlet", "uv.lock") == [("artifacts-added", "greenlet")]
    # pypi/warehouse: npm 8 rewrites tr46 0.0.3's sha1 integrity as sha512 (and moves it under another parent)
    assert ("integrity-upgraded", "tr46") in _fixture_changes("tr46", "package-lock.json")
    # prettier/prettier, Yarn 4.1: every checksum gains its cache key prefix, nothing else changes
    assert _fixture_changes("prettier-yarn41", "yarn.lock") == []
    # nodejs/corepack, a Yarn 4 release candidate: cacheKey 9 -> 10c0 and every checksum recomputed
    assert _fixture_changes("corepack-yarn4rc", "yarn.lock") == [("source-changed", "yarn.cacheKey")]


def test_a_megabyte_of_unterminated_expressions_in_an_image_is_read_in_linear_time() -> None:
    """`${{` without its `}}`, a megabyte of them: finding expressions must not retry from each one (the hang
    guard of tests/property/test_linear_time.py, not a timed assertion)."""
    from tests.hypothesis_profiles import hang_guard

    from checker.manifests.workflow import parse

    run = "${{" * ((1 << 20) // 3)
    for value in (run, f"postgres:{run}", f"${{{{ matrix.a }}}}{run}", f"a:${{{{ inputs.b }}}}{run}}}}}"):
        for where in (f"    container:\n      image: '{value}'\n", f"    steps:\n      - uses: 'docker://{value}'\n"):
            with hang_guard(f"an image of {value[:20]!r}…"):
                parse("on: push\njobs:\n  t:\n    runs-on: x\n" + where, ".github/workflows/ci.yml", lambda p: None)


def test_a_wheel_uploaded_yesterday_to_an_old_release_is_held_back_by_release_age() -> None:
    """attacker: with a stolen token, upload a platform wheel to a release that is years old (PyPI allows adding
    files to a release), and let a bot add its hash to the lockfile. The change is quiet (artifacts-added, no
    review) and hash-mismatch passes (the registry did publish it): the age of what the lockfile now installs is the
    newest pinned file's upload, not the release's first one, so the cooldown holds it back."""
    from checker.rules import release_age
    from checker.rules.base import Subject

    before, after = pypi("2.32.3", WHEEL_LINUX, SDIST), pypi("2.32.3", WHEEL_LINUX, SDIST, EVIL)
    [change] = diff_dependencies([before], [after])
    now = dt.datetime(2026, 12, 7, 12, tzinfo=dt.timezone.utc)
    old = dt.datetime(2024, 5, 29, tzinfo=dt.timezone.utc)
    fact = published(WHEEL_LINUX, SDIST, EVIL)._replace(release_time=old, as_of=now,
                                                        pinned_upload_time=now - dt.timedelta(hours=20))
    options = {"days": 3, "exclude": ()}
    lock = Manifest("uv.lock", "uv-lock", "pypi", (after,))
    [issue] = release_age.check(Subject(after, lock, change, fact), options)
    assert "20 h ago" in issue.message and "newest file" in issue.message
    assert list(release_age.check(Subject(after, lock, change, fact._replace(pinned_upload_time=old)), options)) == []
    # a pinned file whose upload time the index does not give: unknown, never "old enough"
    [unknown] = release_age.check(Subject(after, lock, change, fact._replace(pinned_upload_time=UNKNOWN)), options)
    assert unknown.unknown


def test_the_facts_stage_takes_the_newest_upload_of_the_files_the_lockfile_pins() -> None:
    from checker.registries.stage import newest_pinned_upload
    from checker.registries.types import FileFacts, VersionFacts

    old = dt.datetime(2024, 5, 29, tzinfo=dt.timezone.utc)
    new = dt.datetime(2026, 12, 6, tzinfo=dt.timezone.utc)
    files = (FileFacts("r-2.32.3.tar.gz", "u", frozenset({SDIST}), old),
             FileFacts("r-2.32.3-py3-none-any.whl", "u", frozenset({WHEEL_LINUX}), old),
             FileFacts("r-2.32.3-cp312-manylinux.whl", "u", frozenset({EVIL}), new),
             FileFacts("r-2.32.3-other.whl", "u", frozenset({WHEEL_MAC}), UNKNOWN))
    version = VersionFacts("pypi", "requests", "2.32.3", "https://pypi.org/simple", files=files)
    assert newest_pinned_upload(version, frozenset({SDIST, WHEEL_LINUX})) == old
    assert newest_pinned_upload(version, frozenset({SDIST, EVIL})) == new
    assert newest_pinned_upload(version, frozenset({SDIST, WHEEL_MAC})) is UNKNOWN  # a pinned file without a time
    assert newest_pinned_upload(version, frozenset()) is None  # nothing pinned: the release time decides
    assert newest_pinned_upload(version, frozenset({"sha256:" + "9" * 64})) is None  # hash-mismatch's to report
