"""``.npmrc``: the registry settings npm, pnpm, Yarn 1 and Bun read from it (format "npmrc", kind "declared").

Every ``.npmrc`` in the repository is read, wherever it stands: npm reads the one of the project root, Yarn 1 every
one from the working folder up, pnpm the workspace's and the package's, and a CI step may run any tool in any
folder. The file is decoded exactly as npm decodes it (checker/manifests/npm_ini.py: quoting, JSON escapes, inline
comments, ``key[]`` arrays, the last of repeated keys winning); only top-level keys count, as for npm.

Read, each as a ``config`` dependency (checker/manifests/settings.py), are the keys that decide where packages come
from, whether TLS and checksums are checked, and whether install scripts run:

- npm (``npm.<key>``): ``registry``, ``@scope:registry`` (any ``<scope>:registry``), ``strict-ssl``, ``ca``,
  ``cafile``, ``ignore-scripts``, ``allow-scripts`` (one per package), ``dangerously-allow-all-scripts``,
  ``strict-allow-scripts``, ``package-lock``, ``replace-registry-host``, ``allow-git``, ``allow-remote``,
  ``allow-file``, ``allow-directory``, ``script-shell``, ``node-options``, ``git``, ``always-auth``; and per-registry
  credentials ``//host/path/:_authToken`` (``_auth``, ``_password``), recorded without their value: an environment
  reference (``${NPM_TOKEN}``) is kept, anything else is ``***``.
- pnpm (``pnpm.<key>``): ``only-built-dependencies`` and ``never-built-dependencies`` (one per package),
  ``only-built-dependencies-file``, ``dangerously-allow-all-builds``, ``ignore-dep-scripts``, ``strict-dep-builds``,
  ``enable-pre-post-scripts``, ``unsafe-perm``, ``side-effects-cache``, ``verify-store-integrity``, ``pnpmfile``,
  ``global-pnpmfile``, ``ignore-pnpmfile``.

The tools compare keys exactly, so ``Registry=`` is not ``registry=`` to npm; but a key that differs from one of
these only in case is read as that key all the same, so that no spelling keeps a setting from review. Problems
(reported by ``unreadable-manifest``): a key that holds an environment reference (``${SCOPE}:registry``: which
setting it is cannot be known), and one of these keys under a ``[section]`` (npm nests a section's keys and ignores
them; another reader may not).
"""

from __future__ import annotations

from checker.manifests import npm_ini
from checker.manifests.settings import credential_value, in_node_modules, setting, text_value, url_value
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "npmrc"

_NPM_KEYS = (
    "registry", "strict-ssl", "ca", "cafile", "ignore-scripts", "allow-scripts", "dangerously-allow-all-scripts",
    "strict-allow-scripts", "package-lock", "replace-registry-host", "allow-git", "allow-remote", "allow-file",
    "allow-directory", "script-shell", "node-options", "git", "always-auth",
)
_PNPM_KEYS = (
    "only-built-dependencies", "never-built-dependencies", "only-built-dependencies-file",
    "dangerously-allow-all-builds", "ignore-dep-scripts", "strict-dep-builds", "enable-pre-post-scripts",
    "unsafe-perm", "side-effects-cache", "verify-store-integrity", "pnpmfile", "global-pnpmfile", "ignore-pnpmfile",
)
# key (lower case) -> the name lockgate gives it
_NAMES = {**{key: f"npm.{key}" for key in _NPM_KEYS}, **{key: f"pnpm.{key}" for key in _PNPM_KEYS}}
_LISTS = frozenset({"allow-scripts", "only-built-dependencies", "never-built-dependencies"})
_CREDENTIALS = ("_authtoken", "_auth", "_password")


def setting_name(key: str) -> str | None:
    """The dependency name of an ``.npmrc`` key, or None when lockgate does not read it."""
    lower = key.lower()
    known = _NAMES.get(lower)
    if known is not None:
        return known
    if lower.endswith(":registry") and len(key) > len(":registry"):
        return f"npm.{key[: -len(':registry')]}:registry"
    if key.startswith("//") and ":" in key:
        prefix, _, field = key.rpartition(":")
        if field.lower() in _CREDENTIALS:
            return f"npm.{prefix}:{_CANONICAL_CREDENTIAL[field.lower()]}"
    return None


_CANONICAL_CREDENTIAL = {"_authtoken": "_authToken", "_auth": "_auth", "_password": "_password"}


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The registry settings of one ``.npmrc``."""
    if in_node_modules(path):
        return Manifest(path=path, format=FORMAT, ecosystem="config", dependencies=(), kind="declared")
    document = npm_ini.decode(text)
    problems = _problems(document)
    dependencies: list[Dependency] = []
    for key, values in npm_ini.effective(document).items():
        name = setting_name(key)
        if name is None:
            continue
        for value in values:
            dependencies.extend(_settings(name, key, value.value, path, value.line))
    dependencies.sort(key=lambda dep: dep.line or 0)
    return Manifest(path=path, format=FORMAT, ecosystem="config", dependencies=tuple(dependencies), kind="declared",
                    problems=tuple(problems))


def _settings(name: str, key: str, value: object, path: str, line: int) -> list[Dependency]:
    """The dependencies one value of a key makes: one per list element, one per package of a list setting."""
    if isinstance(value, list):
        return [dep for item in value for dep in _settings(name, key, item, path, line)]
    text = text_value(value)
    if ":_" in name and name.startswith("npm.//"):
        return [setting(name, credential_value(text), path, line)]
    if name.endswith("registry") and not name.endswith("replace-registry-host"):
        return [setting(name, url_value(text), path, line)]
    if key.lower() in _LISTS and isinstance(value, str):
        parts = [part.strip() for part in value.split(",") if part.strip()] if name == "npm.allow-scripts" else [value]
        return [setting(name, part, path, line) for part in parts]
    return [setting(name, text, path, line)]


def _problems(document: npm_ini.Document) -> list[Problem]:
    problems: list[Problem] = []
    for item in document.assignments:
        if "${" in item.key:
            problems.append(Problem(
                f"the key {item.key!r} holds an environment reference: which setting it is cannot be known", item.line))
        elif item.section is not None and setting_name(item.key) is not None:
            problems.append(Problem(
                f"{item.key} under [{item.section}]: npm ignores keys in a section, another reader may not; "
                "move it to the top of the file or remove it", item.line))
    for section in document.sections:
        head = section.name.split(".", 1)[0]
        if setting_name(head) is not None:
            problems.append(Problem(
                f"the section [{section.name}] replaces the setting {head} with a nested table (npm's ini format)",
                section.line))
    return problems
