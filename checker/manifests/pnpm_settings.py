"""pnpm's settings that decide what an install runs and where packages come from, as ``config`` dependencies.

They are written in pnpm-workspace.yaml (pnpm 10 and later: every setting, camelCase; pnpm ignores kebab-case keys
there) or in the root package.json's ``pnpm`` field (pnpm 9 and earlier, and pnpm 10 for a few of them). Both are
read here the same way, from the decoded data and the lines of its keys.

Which settings (pnpm's docs, settings.md, and config/reader: unknownSettings.ts, getOptionsFromRootManifest.ts):

- which dependencies may run install scripts: ``allowBuilds`` (pnpm 10.26+: ``{name: true|false}``),
  ``onlyBuiltDependencies``, ``onlyBuiltDependenciesFile``, ``neverBuiltDependencies``, ``ignoredBuiltDependencies``,
  ``dangerouslyAllowAllBuilds``, ``strictDepBuilds``, ``ignoreScripts``, ``ignoreDepScripts``;
- code pnpm runs while installing: ``globalPnpmfile``, ``ignorePnpmfile`` (the pnpmfiles of the workspace, with
  their content's hash, are read by checker/manifests/pnpm_workspace.py);
- where packages and tools come from: ``registry``, ``registries``, ``namedRegistries``, ``pnprServer``,
  ``strictSsl``, ``nodeDownloadMirrors``, ``useNodeVersion``, ``executionEnv``;
- what is trusted: ``minimumReleaseAge``, ``minimumReleaseAgeExclude``, ``trustPolicy``, ``trustPolicyExclude``,
  ``trustPolicyIgnoreAfter``, ``blockExoticSubdeps``, ``verifyStoreIntegrity``, ``strictStorePkgContentCheck``;
- whether a patch may fail to apply: ``allowUnusedPatches``, ``allowNonAppliedPatches``, ``ignorePatchFailures``.

Names follow the project's convention ``<tool>.<key>``: a scalar is one dependency ``pnpm.<key>`` whose version is
the value as written; a list is one dependency per entry, all named ``pnpm.<key>`` (``pnpm.onlyBuiltDependencies``
= ``esbuild``), so that an added entry is an ``added`` change; a mapping names its keys (``pnpm.allowBuilds.esbuild``
= ``true``, ``pnpm.registries.@acme`` = the URL). Bun's ``trustedDependencies`` (the packages Bun lets run install
scripts) is ``bun.trustedDependencies``, one per entry.

``configDependencies`` (packages pnpm installs before anything else, and whose pnpmfiles and settings it loads)
are npm dependencies of scope ``build``: ``"name": "1.0.0+sha512-<base64>"`` (pnpm 10: version and integrity),
``{"tarball": url, "integrity": "1.0.0+sha512-..."}``, or a plain specifier (pnpm 11, integrity in the lockfile).
"""

from __future__ import annotations

from checker.errors import ManifestError
from checker.manifests.config_dependency import config_dependency
from checker.model import Dependency, Source

SETTINGS = frozenset({
    "allowBuilds", "onlyBuiltDependencies", "onlyBuiltDependenciesFile", "neverBuiltDependencies",
    "ignoredBuiltDependencies", "dangerouslyAllowAllBuilds", "strictDepBuilds", "ignoreScripts", "ignoreDepScripts",
    "globalPnpmfile", "ignorePnpmfile",
    "registry", "registries", "namedRegistries", "pnprServer", "strictSsl", "nodeDownloadMirrors", "useNodeVersion",
    "executionEnv",
    "minimumReleaseAge", "minimumReleaseAgeExclude", "trustPolicy", "trustPolicyExclude", "trustPolicyIgnoreAfter",
    "blockExoticSubdeps", "verifyStoreIntegrity", "strictStorePkgContentCheck",
    "allowUnusedPatches", "allowNonAppliedPatches", "ignorePatchFailures",
})
# Settings nest a level or two (registries: URL -> {scopes: [...]}); a value nested deeper is one dependency
# holding it as JSON, so that hostile nesting costs nothing.
_MAX_DEPTH = 6


def setting_dependencies(tool: str, table: dict, key_path: tuple[str, ...], keys: frozenset[str], lines: dict,
                         path: str) -> list[Dependency]:
    """``<tool>.<key>`` dependencies for the ``keys`` of ``table`` (found at ``key_path``), in file order.
    ``lines`` maps key paths (and ``[i]`` for list items, where known) to lines."""
    out: list[Dependency] = []
    for key, value in table.items():
        if key in keys:
            here = key_path + (key,)
            _flatten(f"{tool}.{key}", value, here, lines.get(here), lines, path, out, 1)
    return out


def _flatten(name: str, value: object, key_path: tuple[str, ...], line: int | None, lines: dict, path: str,
             out: list[Dependency], depth: int) -> None:
    if isinstance(value, dict) and depth < _MAX_DEPTH:
        for key, item in value.items():
            here = key_path + (key,)
            _flatten(f"{name}.{key}", item, here, lines.get(here, line), lines, path, out, depth + 1)
    elif isinstance(value, list) and depth < _MAX_DEPTH:
        for index, item in enumerate(value):
            here = key_path + (f"[{index}]",)
            _flatten(name, item, here, lines.get(here, line), lines, path, out, depth + 1)
    else:
        out.append(config_dependency(name, value, path, line))


def config_dependencies(table: object, what: str, lines: dict, key_path: tuple[str, ...],
                        path: str) -> list[Dependency]:
    """pnpm's ``configDependencies``: ``name`` -> ``version+integrity``, ``{tarball, integrity}``, or (pnpm 11) a
    specifier."""
    from checker.manifests.npm_common import classify, expect_object, is_valid_name, sri_hashes

    table = expect_object(table, what, path, lines.get(key_path))
    out = []
    for name, value in table.items():
        line = lines.get(key_path + (name,), lines.get(key_path))
        if not is_valid_name(name):
            raise ManifestError(f"{what}: {name!r} is not a package name", path, line)
        tarball = None
        written = value
        if isinstance(value, dict):
            tarball, written = value.get("tarball"), value.get("integrity")
            if tarball is not None and not isinstance(tarball, str):
                raise ManifestError(f"{what} {name!r}: tarball must be a string", path, line)
        if not isinstance(written, str):
            raise ManifestError(f'{what} {name!r} must be "<version>+<integrity>" or a specifier', path, line)
        version_part, plus, integrity = written.partition("+")
        hashes: frozenset[str] = frozenset()
        if plus and "-" in integrity:
            hashes = sri_hashes(integrity, f"{what} {name!r}", path, line)
        else:
            version_part = written
        spec = classify(name, version_part)
        source = Source("url", tarball) if tarball else spec.source
        out.append(Dependency(ecosystem="npm", name=spec.name, version=spec.version, specifier=written,
                              source=source, hashes=hashes, scope="build", direct=True, manifest=path, line=line))
    return out
