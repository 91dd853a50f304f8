"""registry-config: a registry setting must not send installs to another host, turn off TLS or checksums, or let
install scripts run again.

It judges ``config`` dependencies (checker/manifests/settings.py) by name, whichever file they come from; in a
pull request, the changed ones (``subject.change.before`` is the old value), and settings a change removes
(``check_manifest``). Every change of a setting also needs a review: that is the ordinary review of a changed
dependency, not this rule. The names it understands:

Where packages come from (the URL must use an allowed host, the hosts of ``registry-source``, over HTTPS; a
``${VAR}`` reference is unknown, hence a finding): ``npm.registry``, ``npm.<scope>:registry``,
``yarn.npmRegistryServer``, ``yarn.npmScopes.<scope>.npmRegistryServer``, ``yarn.registry``,
``yarn.<scope>:registry`` (and Yarn 1's flag forms ``yarn.--registry``, ``yarn.--<command>.registry``),
``pip.index-url``, ``pip.extra-index-url``, ``pip.find-links``, ``uv.index-url``, ``uv.extra-index-url``,
``uv.find-links``, ``uv.index``, ``uv.index.<name>``, ``uv.default-index``, the same under ``uv.pip.``,
``poetry.source.<name>`` (and ``poetry.source.<name>.priority`` set to ``primary`` or ``default``, which makes that
source's URL the one every package comes from), ``pipenv.source.<name>``, ``bun.install.registry``, ``pnpm.registry``,
``pnpm.registries.<key>``, ``pnpm.namedRegistries.<name>``, ``setuptools.dependency_links``,
``setuptools.easy_install.index_url``, ``setuptools.easy_install.find_links``,
``bun.install.scopes.<scope>``; ``conda.channels`` (a channel URL must use HTTPS; channel names are not URLs).
A URL that a pyproject.toml or uv.toml also lists among its indexes is judged by registry-source instead, once.
Credentials for a host that is not allowed (``npm.//host/:_authToken``, ``_auth``, ``_password``;
``yarn.npmRegistries.<registry>.npmAuthToken``, ``npmAuthIdent``): the token would be sent there.

TLS: ``npm.strict-ssl``, ``yarn.strict-ssl``, ``yarn.enableStrictSsl``, ``pnpm.strictSsl`` other than ``true``;
``pipenv.source.<name>.verify_ssl`` set to false;
``node.tls-reject-unauthorized`` set to ``0``; any ``yarn.unsafeHttpWhitelist``, ``pip.trusted-host``,
``uv.allow-insecure-host`` (``uv.pip.allow-insecure-host``); a certificate authority of the repository's choosing
(``npm.ca``, ``npm.cafile``, ``yarn.ca``, ``yarn.cafile``, ``yarn.httpsCaFilePath``, ``yarn.caFilePath``,
``yarn.networkSettings.<host>.httpsCaFilePath``, ``pip.cert``, ``bun.install.ca``, ``bun.install.cafile``).

Checksums: ``yarn.checksumBehavior`` other than ``throw``; ``pnpm.verify-store-integrity``, ``pnpm.verifyStoreIntegrity`` and
``uv.pip.verify-hashes`` (``uv.verify-hashes``) set to false; ``pip.require-hashes``, ``uv.require-hashes``,
``uv.pip.require-hashes`` going from true to anything else or away.

Install scripts: ``npm.ignore-scripts``, ``yarn.ignore-scripts`` (``yarn.--ignore-scripts``,
``yarn.--install.ignore-scripts``), ``npm.strict-allow-scripts``, ``pnpm.ignore-dep-scripts``,
``pnpm.ignoreDepScripts``, ``pnpm.ignoreScripts``, ``uv.no-build``,
``uv.pip.no-build`` going from true to anything else or away; ``pip.only-binary`` and ``uv.pip.only-binary`` losing
``:all:`` (source builds run code); ``yarn.enableScripts`` set to true (or a ``false`` removed);
``npm.dangerously-allow-all-scripts``, ``pnpm.dangerously-allow-all-builds`` and
``pnpm.dangerouslyAllowAllBuilds`` set to true; a first ``pnpm.never-built-dependencies``
(``pnpm.neverBuiltDependencies``) entry, which lets every other package build. One package allowed to run its
scripts is the milder ``package-scripts`` level: a new ``npm.allow-scripts``, ``pnpm.only-built-dependencies``,
``pnpm.onlyBuiltDependencies`` or ``bun.trustedDependencies`` entry, a ``pnpm.allowBuilds.<pkg>`` set to true, a
changed ``pnpm.only-built-dependencies-file`` (``pnpm.onlyBuiltDependenciesFile``), or a
``never-built-dependencies`` entry removed.

Weakened protections (the ``protections`` level): ``npm.package-lock`` false (installs ignore the lockfile),
``yarn.enableImmutableInstalls`` or ``yarn.enableHardenedMode`` false, ``uv.index-strategy`` /
``uv.pip.index-strategy`` ``unsafe-first-match`` or ``unsafe-best-match`` (every index is searched for every
package: dependency confusion), ``pipenv.install_search_all_sources`` true (the same).

Removed sources (the ``protections`` level): removing ``npm.registry``, a ``<scope>:registry``,
``yarn.npmRegistryServer``, a scope's ``npmRegistryServer``, ``pip.index-url``, ``uv.index-url``,
``uv.default-index`` or ``bun.install.registry``/scopes sends those packages to the tool's default public registry,
where anyone may publish the names.

Every other setting the parsers read (``npm.scripts.<name>``, ``npm.script-shell``, ``yarn.yarnPath``,
``yarn.plugins``, ``pnpm.pnpmfile``, ...) is reviewed as a change and not judged here.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import Dependency, Manifest
from checker.rules.base import Issue, Option, Rule, Subject

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
_USE_ALLOWED = "use a registry the policy allows over HTTPS, or add the host to registry-source.hosts"


def _parts(name: str) -> tuple[str, str]:
    """(tool, key) of a setting's name; Yarn 1's flag forms (``--install.ignore-scripts``) become the key."""
    tool, _, key = name.partition(".")
    if tool == "yarn" and key.startswith("--"):
        rest = key[2:]
        key = rest if rest.endswith(":registry") or "." not in rest else rest.rpartition(".")[2]
    return tool, key


def _pip_like(key: str) -> str:
    """uv's ``pip.`` table holds pip's keys: ``pip.index-url`` is judged as ``index-url``."""
    return key[4:] if key.startswith("pip.") else key


_URL_KEYS = {
    "npm": lambda k: k == "registry" or k.endswith(":registry"),
    "yarn": lambda k: k in ("registry", "npmRegistryServer") or k.endswith(":registry")
    or (k.startswith("npmScopes.") and k.endswith(".npmRegistryServer")),
    "pip": lambda k: k in ("index-url", "extra-index-url", "find-links"),
    "uv": lambda k: _pip_like(k) in ("index-url", "extra-index-url", "find-links", "index", "default-index")
    or (k.startswith("index.") and not k.endswith(".explicit")),
    "poetry": lambda k: k.startswith("source.") and not k.endswith(".priority"),
    "pipenv": lambda k: k.startswith("source.") and not k.endswith(".verify_ssl"),
    "bun": lambda k: k == "install.registry" or k.startswith("install.scopes."),
    "pnpm": lambda k: k == "registry" or k.startswith(("registries.", "namedRegistries.")),
    "setuptools": lambda k: k in ("dependency_links", "easy_install.index_url", "easy_install.find_links"),
}
_PATHS_ALLOWED = frozenset({"find-links", "index", "default-index"})  # a local folder is a valid value
_CA_KEYS = {
    "npm": ("ca", "cafile"), "yarn": ("ca", "cafile", "httpsCaFilePath", "caFilePath"), "pip": ("cert",),
    "bun": ("install.ca", "install.cafile"),
}
_INSECURE_HOSTS = {"yarn": ("unsafeHttpWhitelist",), "pip": ("trusted-host",), "uv": ("allow-insecure-host",)}
_PROTECT_WHEN_TRUE = {
    "npm": ("ignore-scripts", "strict-allow-scripts"), "yarn": ("ignore-scripts",),
    "pnpm": ("ignore-dep-scripts", "ignoreDepScripts", "ignoreScripts"), "uv": ("no-build", "require-hashes"),
    "pip": ("require-hashes",),
}
_ALL_SCRIPTS = {"npm": ("dangerously-allow-all-scripts",),
                "pnpm": ("dangerously-allow-all-builds", "dangerouslyAllowAllBuilds")}
_ALLOW_LISTS = {"npm": ("allow-scripts",), "pnpm": ("only-built-dependencies", "onlyBuiltDependencies"),
                "bun": ("trustedDependencies",)}
_ALLOW_FILES = {"pnpm": ("only-built-dependencies-file", "onlyBuiltDependenciesFile")}
_DENY_LISTS = {"pnpm": ("never-built-dependencies", "neverBuiltDependencies")}
_SOURCES_REMOVED = {
    "npm": lambda k: k == "registry" or k.endswith(":registry"),
    "yarn": lambda k: k == "npmRegistryServer" or k.endswith(".npmRegistryServer") or k.endswith("registry"),
    "pip": lambda k: k == "index-url",
    "uv": lambda k: _pip_like(k) in ("index-url", "default-index"),
    "bun": lambda k: k == "install.registry" or k.startswith("install.scopes."),
}


def _is(table: Mapping[str, Any], tool: str, key: str) -> bool:
    return _pip_like(key) in table.get(tool, ()) or key in table.get(tool, ())


def _protected(tool: str, key: str, value: str | None) -> bool:
    """Whether a value keeps a protection on (true for the ``_PROTECT_WHEN_TRUE`` keys, ``:all:`` for
    only-binary, false for Yarn's ``enableScripts``)."""
    if value is None:
        return False
    if (tool, key) == ("yarn", "enableScripts"):
        return value.strip().lower() in _FALSE
    if _pip_like(key) == "only-binary":
        return ":all:" in value.replace(",", " ").split()
    return value.strip().lower() in _TRUE


def _guards(tool: str, key: str) -> bool:
    """Whether losing this setting's protective value lets scripts run or checksums go unchecked."""
    return (_is(_PROTECT_WHEN_TRUE, tool, key) or (_pip_like(key) == "only-binary" and tool in ("pip", "uv"))
            or (tool, key) == ("yarn", "enableScripts"))


def _url_issue(name: str, url: str, options: Mapping[str, Any], *, transport_only: bool = False) -> Issue | None:
    from checker.rules import registry_source

    if transport_only:
        problem = registry_source._transport_problem(url)  # noqa: SLF001 - the same transport judgement
    else:
        problem = registry_source.url_problem(url, options)
    if problem is None:
        return None
    return Issue(f"{name} sends installs to {url}: {problem}", hint=_USE_ALLOWED)


def _credential_host(tool: str, key: str) -> str | None:
    """The registry a credential setting is for (``//host/path/``), or None when the name is no credential."""
    if tool == "npm" and key.startswith("//") and key.rpartition(":")[2] in ("_authToken", "_auth", "_password"):
        return key.rpartition(":")[0]
    if tool == "yarn" and key.startswith("npmRegistries.") and key.endswith((".npmAuthToken", ".npmAuthIdent")):
        return key[len("npmRegistries."):].rpartition(".")[0]
    return None


def _judge_url(subject: Subject, tool: str, key: str, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    value = (dep.version or "").strip()
    if not value:
        return
    if "://" not in value and "$" not in value and _pip_like(key).split(".")[0] in _PATHS_ALLOWED:
        return  # a local folder, part of the repository
    if dep.name != "uv.default-index" and any(option.value == value for option in subject.manifest.indexes):
        return  # one of the manifest's indexes: registry-source judges it
    issue = _url_issue(dep.name, value, options)
    if issue is not None:
        yield issue


def _before(subject: Subject) -> str | None:
    change = subject.change
    return change.before.version if change is not None and change.before is not None else None


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    if dep.ecosystem != "config":
        return
    tool, key = _parts(dep.name)
    value = dep.version or ""
    lowered = value.strip().lower()
    changed = subject.change is not None
    if tool in _URL_KEYS and _URL_KEYS[tool](key):
        yield from _judge_url(subject, tool, key, options)
    elif (tool, key) == ("conda", "channels") and "://" in value:
        issue = _url_issue(dep.name, value, options, transport_only=True)
        if issue is not None:
            yield issue
    elif tool == "poetry" and key.startswith("source.") and key.endswith(".priority"):
        yield from _promoted_source(subject, key, lowered, options)
    elif _credential_host(tool, key) is not None:
        registry = _credential_host(tool, key) or ""
        url = registry if "://" in registry else "https:" + (registry if registry.startswith("//") else "//" + registry)
        from checker.rules import registry_source

        problem = registry_source.url_problem(url, options)
        if problem is not None:
            yield Issue(f"{dep.name} configures a credential for {registry}: {problem}; the token is sent to any URL "
                        "on that host", hint="remove the credential, or add the host to registry-source.hosts")
    elif (key in ("strict-ssl", "enableStrictSsl") and tool in ("npm", "yarn")) or (tool, key) in (
            ("pnpm", "strictSsl"), ("pnpm", "strict-ssl")):
        if lowered not in _TRUE:
            yield Issue(f"{dep.name} = {value}: TLS certificates are no longer checked, so anyone on the network path "
                        "can serve other packages", hint=f"remove {key} or set it to true")
    elif tool == "pipenv" and key.startswith("source.") and key.endswith(".verify_ssl"):
        if lowered in _FALSE:
            yield Issue(f"{dep.name} = {value}: pipenv does not check the TLS certificate of that source, so anyone on "
                        "the network path can serve other packages", hint="set verify_ssl = true")
    elif (tool, key) == ("node", "tls-reject-unauthorized"):
        if lowered == "0":
            yield Issue(f"{dep.name} = 0 (NODE_TLS_REJECT_UNAUTHORIZED): TLS certificates are not checked",
                        hint="remove NODE_TLS_REJECT_UNAUTHORIZED")
    elif _is(_INSECURE_HOSTS, tool, key):
        yield Issue(f"{dep.name} = {value}: TLS (or HTTPS itself) is not required for that host, so anyone on the "
                    "network path can serve other packages", hint=f"remove {value} from {key} and use verified HTTPS")
    elif _is(_CA_KEYS, tool, key) or (tool == "yarn" and key.startswith("networkSettings.")
                                      and key.endswith(".httpsCaFilePath")):
        if lowered not in ("", "null"):
            yield Issue(f"{dep.name} = {_short(value)}: TLS trusts the certificate authorities the repository names "
                        "instead of the system's", hint="remove the setting, or review the certificate and record an "
                        "exception")
    elif (tool, key) == ("yarn", "checksumBehavior"):
        if lowered != "throw":
            yield Issue(f"{dep.name} = {value}: a package whose checksum does not match the lockfile is installed "
                        "anyway", hint="remove checksumBehavior (the default is throw)")
    elif (tool, key) in (("pnpm", "verify-store-integrity"), ("pnpm", "verifyStoreIntegrity")) or (
            _pip_like(key) == "verify-hashes" and tool == "uv"):
        if lowered in _FALSE:
            yield Issue(f"{dep.name} = {value}: package hashes are no longer verified", hint=f"remove {key}")
    elif (tool, key) == ("yarn", "enableScripts"):
        yield from _scripts_enabled(subject)
    elif _guards(tool, key):
        return  # judged by check_manifest: a protection is lost by what the file no longer says, in any spelling
    elif _is(_ALL_SCRIPTS, tool, key):
        if lowered in _TRUE:
            yield Issue(f"{dep.name} = {value}: every dependency may run its install scripts",
                        hint=f"remove {key} and allow the packages that need scripts one by one")
    elif _is(_ALLOW_LISTS, tool, key) or _is(_ALLOW_FILES, tool, key) or (
            tool == "pnpm" and key.startswith("allowBuilds.") and lowered in _TRUE):
        if changed and dep.version != _before(subject):
            what = (f"the packages listed in {value}" if _is(_ALLOW_FILES, tool, key)
                    else key.partition(".")[2] if key.startswith("allowBuilds.") else value)
            yield Issue(f"{dep.name}: lets {what} run install scripts", level=options["package-scripts"],
                        hint="check that the package needs its install script and that this version's script is "
                             "what it should be")
    elif _is(_DENY_LISTS, tool, key):
        return  # judged by check_manifest: a deny-list matters by what it no longer lists
    else:
        yield from _weakened(dep.name, tool, key, lowered, value, options)


def _short(value: str) -> str:
    first = value.strip().splitlines()[0] if value.strip() else value
    return first if len(first) <= 60 and "\n" not in value.strip() else first[:60] + "…"


def _promoted_source(subject: Subject, key: str, lowered: str, options: Mapping[str, Any]) -> Iterator[Issue]:
    if lowered not in ("primary", "default"):
        return
    source = key[: -len(".priority")]
    url = next((dep.version for dep in subject.manifest.dependencies
                if dep.ecosystem == "config" and dep.name == f"poetry.{source}"), None)
    if url and "://" in url:
        issue = _url_issue(subject.dependency.name, url, options)
        if issue is not None:
            yield issue


def _scripts_enabled(subject: Subject) -> Iterator[Issue]:
    """Yarn's ``enableScripts: true``, unless it said so before (newer Yarn runs no scripts by default, older Yarn
    all of them: an explicit true is judged, a removed false is judged by check_manifest)."""
    dep = subject.dependency
    before = _before(subject)
    if (dep.version or "").strip().lower() in _TRUE and not (before or "").strip().lower() in _TRUE:
        yield Issue(f"{dep.name} = {dep.version}: every dependency may run its install scripts",
                    hint="remove enableScripts: true, and allow the packages that need scripts with "
                         "dependenciesMeta.<package>.built")


def _what_is_lost(tool: str, key: str) -> str:
    plain = _pip_like(key)
    if plain == "require-hashes":
        return "installs no longer require a hash for every package"
    if plain == "only-binary":
        return "source distributions may be built again, which runs their build code"
    if plain == "no-build":
        return "source distributions may be built again, which runs their build code"
    return "install scripts of dependencies run again"


_WEAK = {
    ("npm", "package-lock"): (_FALSE, "installs ignore package-lock.json and resolve every version anew"),
    ("yarn", "enableImmutableInstalls"): (_FALSE, "an install may rewrite yarn.lock instead of failing"),
    ("yarn", "enableHardenedMode"): (_FALSE, "Yarn no longer checks the lockfile's resolutions against the registry"),
    ("pipenv", "install_search_all_sources"): (_TRUE, "every source is searched for every package, so a public index "
                                               "can serve a name meant for a private one (dependency confusion)"),
}
_UNSAFE_STRATEGIES = frozenset({"unsafe-first-match", "unsafe-best-match"})


def _weakened(name: str, tool: str, key: str, lowered: str, value: str, options: Mapping[str, Any]) -> Iterator[Issue]:
    weak = _WEAK.get((tool, key))
    if weak is not None and lowered in weak[0]:
        yield Issue(f"{name} = {value}: {weak[1]}", level=options["protections"], hint=f"remove {key}")
    elif tool == "uv" and _pip_like(key) == "index-strategy" and lowered in _UNSAFE_STRATEGIES:
        yield Issue(f"{name} = {value}: every index is searched for every package, so a public index can serve a "
                    "name meant for a private one (dependency confusion)", level=options["protections"],
                    hint="remove index-strategy (the default, first-index, is the safe one)")


# --- what a change removes ---------------------------------------------------------------------------------------


def _settings(manifest: Manifest) -> dict[str, list[Dependency]]:
    found: dict[str, list[Dependency]] = {}
    for dep in manifest.dependencies:
        if dep.ecosystem == "config":
            found.setdefault(dep.name, []).append(dep)
    return found


def check_manifest(head: Manifest, base: Manifest | None, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Settings the change removes: a protection that no longer holds, a deny-list that shrinks or a source whose
    packages would now come from the default public registry. (A changed value is judged by ``check``.)"""
    if base is None:
        return
    before, after = _settings(base), _settings(head)
    for name in sorted(set(before) | set(after)):
        tool, key = _parts(name)
        old = [dep.version or "" for dep in before.get(name, [])]
        new = [dep.version or "" for dep in after.get(name, [])]
        if _guards(tool, key):
            yield from _protection_lost(name, tool, key, old, new, after.get(name, []))
        elif old and not new and tool in _SOURCES_REMOVED and _SOURCES_REMOVED[tool](key):
            yield Issue(f"{name} = {old[0]} was removed: these packages now come from the tool's default public "
                        "registry, where anyone can publish their names", level=options["protections"],
                        hint="keep the setting, or make sure every package it served is published by you there")
    yield from _deny_list_changes(before, after, options)


def _protection_lost(name: str, tool: str, key: str, old: list[str], new: list[str],
                     now: list[Dependency]) -> Iterator[Issue]:
    if not any(_protected(tool, key, value) for value in old) or any(_protected(tool, key, value) for value in new):
        return
    if (tool, key) == ("yarn", "enableScripts"):
        if any(value.strip().lower() in _TRUE for value in new):
            return  # `check` reports the explicit true
        lost = "install scripts of dependencies may run again (older Yarn runs them unless told not to)"
    else:
        lost = _what_is_lost(tool, key)
    after = f"{new[0]}" if new else "removed"
    yield Issue(f"{name} {old[0]} -> {after}: {lost}", hint=f"keep {key} = {old[0]}",
                line=now[0].line if now else None)


def _deny_list_changes(before: dict[str, list[Dependency]], after: dict[str, list[Dependency]],
                       options: Mapping[str, Any]) -> Iterator[Issue]:
    allow_list = any(_is(_ALLOW_LISTS, *_parts(name)) and _parts(name)[0] == "pnpm" for name in after)
    for name in sorted(set(before) | set(after)):
        tool, key = _parts(name)
        if not _is(_DENY_LISTS, tool, key):
            continue
        old = {dep.version for dep in before.get(name, [])}
        new = {dep.version: dep for dep in after.get(name, [])}
        if not old and new and not allow_list:  # onlyBuiltDependencies, when set, wins over the deny-list
            first = next(iter(new.values()))
            yield Issue(f"{name} is new: with a deny-list, pnpm lets every package not on it run its install "
                        "scripts", hint="list the packages that may build in onlyBuiltDependencies instead",
                        line=first.line)
        for package in sorted(v or "" for v in old - set(new)):
            yield Issue(f"{name} no longer lists {package}: it may run its install scripts",
                        level=options["package-scripts"], hint=f"keep {package} in {key}")


RULE = Rule(
    id="registry-config",
    label="registry settings",
    default_level="block",
    summary="Registry settings must not point installs at another host, turn off TLS or checksums, or let install "
    "scripts run again.",
    explanation=(
        "A package manager's settings decide more than any single dependency: where every package comes from, "
        "whether TLS certificates and checksums are checked, and whether install scripts run. A pull request that "
        "adds `registry=https://npm.evil.example/` to `.npmrc`, `strict-ssl=false`, `checksumBehavior: ignore` to "
        "`.yarnrc.yml` or `trusted-host` to `pip.conf` changes what every install fetches without touching a "
        "lockfile. lockgate reads these settings from `.npmrc`, `.yarnrc.yml`, `.yarnrc`, `pip.conf`/`pip.ini`, "
        "`uv.toml`, `pyproject.toml` (`[tool.uv]`, Poetry sources), `bunfig.toml`, package.json and workflow "
        "environments, as dependencies of ecosystem `config`, so every changed setting is a change that needs "
        "review. This rule blocks the dangerous ones: a registry or index on a host that registry-source does not "
        "allow (its `hosts` option), plain HTTP or an unexpanded ${VAR}, credentials configured for such a host, "
        "TLS turned off or a certificate authority of the repository's choosing, checksums turned off, and install "
        "scripts turned back on. Allowing one more package to run its scripts, weakening a lockfile protection, or "
        "removing a registry setting (its packages then come from the public registry) is reported at the milder "
        "`package-scripts` and `protections` levels. Keys are matched case-insensitively, and `.npmrc` is decoded "
        "as npm decodes it (quotes, JSON escapes, the last of repeated keys winning), so no spelling hides a setting."
    ),
    fix="Point settings at an allowed registry over HTTPS, keep TLS, checksums and script protections on, and allow "
    "scripts package by package.",
    example=(
        ".npmrc:\n"
        "  registry = \"https://npm.evil.example/\"     # block: host npm.evil.example is not an allowed registry host\n"
        "  strict-ssl=false                            # block: TLS certificates are no longer checked\n"
        "  ignore-scripts=true -> ignore-scripts=false # block: install scripts of dependencies run again\n"
        ".yarnrc.yml:\n"
        "  checksumBehavior: ignore                    # block: a package whose checksum does not match is installed\n"
        ".npmrc (pnpm):\n"
        "  only-built-dependencies[]=esbuild           # warn: lets esbuild run install scripts"
    ),
    options=(
        Option("package-scripts", "choice", "warn",
               "level for one more package allowed to run install scripts (capped at the rule's level)",
               ("off", "info", "warn", "block")),
        Option("protections", "choice", "warn",
               "level for a weakened lockfile or index protection and for a removed registry setting "
               "(capped at the rule's level)", ("off", "info", "warn", "block")),
    ),
    check_dependency=check,
    check_manifest=check_manifest,
)
