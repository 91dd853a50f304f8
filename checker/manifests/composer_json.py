"""Parser for ``composer.json`` (format "composer-json", kind "declared").

What Composer reads from it that decides what gets installed or run (composer/composer ``res/composer-schema.json``):
- ``require`` (scope prod) and ``require-dev`` (dev): ``"vendor/name": "<constraint>"``, each a ``composer``
  dependency named in lower case, ``specifier`` the constraint as written, ``version`` only for an exact one
  (``1.2.3``, ``v1.2.3``, ``dev-main``; ``1.2.3`` and ``=1.2.3`` alike). Platform requirements (``php``,
  ``hhvm``, ``ext-*``, ``lib-*``, ``composer``, ``composer-plugin-api``, ``composer-runtime-api``) are the runtime
  itself, not packages, and are left out.
- ``repositories`` (an array, or an object keyed by name): where packages come from, each in
  ``Manifest.indexes`` (kind ``composer``, ``vcs``/``git``/..., ``path``, ``artifact``, or ``package`` with the
  inline package's dist and source URLs), so registry-source judges a new one; ``"packagist.org": false`` is the
  setting ``composer.repositories.packagist.org``.
- settings, as ``config`` dependencies (scope build; a changed value is reviewed): ``config.secure-http``,
  ``config.disable-tls``, ``config.cafile``, ``config.capath``, ``config.allow-plugins`` (each entry
  ``composer.allow-plugins.<vendor/name>``; ``true`` for all as ``composer.allow-plugins``), and the root
  package's scripts that run on install or update (``composer.scripts.post-install-cmd`` ...).
"""

from __future__ import annotations

import re

from checker.errors import ManifestError
from checker.manifests import json_strict
from checker.model import Dependency, IndexOption, Manifest, Reader

FORMAT = "composer-json"
_PLATFORM = re.compile(r"(php(-64bit|-ipv6|-zts|-debug)?|hhvm|composer(-plugin-api|-runtime-api)?|ext-.+|lib-.+)",
                       re.IGNORECASE)
_SETTINGS = ("secure-http", "disable-tls", "cafile", "capath")
# Root-package script events that run during install / update (Composer's ScriptEvents and PackageEvents).
INSTALL_EVENTS = ("pre-install-cmd", "post-install-cmd", "pre-update-cmd", "post-update-cmd", "pre-autoload-dump",
                  "post-autoload-dump", "post-root-package-install", "post-create-project-cmd",
                  "pre-package-install", "post-package-install", "pre-package-update", "post-package-update",
                  "pre-operations-exec")
_CONSTRAINT_CHARS = frozenset("<>=!~^*|, ")


def parse(text: str, path: str, read: Reader) -> Manifest:
    if not text.strip():
        raise ManifestError("empty file, expected a composer.json", path)
    data = json_strict.loads(text, path, "composer.json")
    if not isinstance(data, dict):
        raise ManifestError("composer.json must be a JSON object", path, 1)
    lines = json_strict.key_lines(text, lambda keys: len(keys) <= 3)
    dependencies: list[Dependency] = []
    for key, scope in (("require", "prod"), ("require-dev", "dev")):
        section = data.get(key, {})
        if isinstance(section, list) and not section:
            continue  # PHP writes an empty object as []
        if not isinstance(section, dict):
            raise ManifestError(f"`{key}` must be an object of package names and constraints", path,
                                lines.get((key,)))
        for name, constraint in section.items():
            line = lines.get((key, name))
            if not isinstance(constraint, str):
                raise ManifestError(f"the constraint of {name} in `{key}` must be a string", path, line)
            if _PLATFORM.fullmatch(name):
                continue
            dependencies.append(Dependency("composer", name.lower(), _exact(constraint), specifier=constraint.strip(),
                                           scope=scope, manifest=path, line=line))
    dependencies.extend(_settings(data, lines, path))
    return Manifest(path=path, format=FORMAT, ecosystem="composer", dependencies=tuple(dependencies), kind="declared",
                    indexes=tuple(_repositories(data.get("repositories"), lines, path)))


def _exact(constraint: str) -> str | None:
    """The version of an exact constraint (``1.2.3``, ``=v1.2.3``, ``dev-main``), else None."""
    from checker.versions import composer

    text = constraint.strip()
    text = text[2:] if text.startswith("==") else text[1:] if text.startswith("=") else text
    text = text.strip()
    if text.lower().startswith("dev-"):
        return text if " " not in text else None
    if not text or any(char in _CONSTRAINT_CHARS for char in text) or "@" in text:
        return None
    return text if composer.normalize(text) is not None and not text.lower().endswith("-dev") else None


def _repositories(value: object, lines: dict, path: str) -> list[IndexOption]:
    if value is None:
        return []
    entries = list(value.items()) if isinstance(value, dict) else list(enumerate(value)) if isinstance(
        value, list) else None
    if entries is None:
        raise ManifestError("`repositories` must be an array or an object", path, lines.get(("repositories",)))
    found = []
    for key, repository in entries:
        line = lines.get(("repositories", str(key))) or lines.get(("repositories",))
        if (repository is False and isinstance(key, str)) or (
                isinstance(repository, dict) and set(repository) == {"packagist.org"}):
            continue  # {"packagist.org": false}: read as a setting
        if not isinstance(repository, dict):
            raise ManifestError("each repository must be an object", path, line)
        kind = str(repository.get("type", "?"))
        if kind == "package":
            packages = repository.get("package")
            for package in packages if isinstance(packages, list) else [packages]:
                if isinstance(package, dict):
                    for part in ("dist", "source"):
                        url = (package.get(part) or {}).get("url") if isinstance(package.get(part), dict) else None
                        if isinstance(url, str):
                            found.append(IndexOption("package", url, line))
            continue
        url = repository.get("url")
        if not isinstance(url, str):
            raise ManifestError(f"a repository of type {kind!r} without a `url`", path, line)
        found.append(IndexOption(kind, url, line))
    return found


def _settings(data: dict, lines: dict, path: str) -> list[Dependency]:
    found: list[Dependency] = []

    def setting(name: str, value: object, line: int | None) -> None:
        written = ("true" if value else "false") if isinstance(value, bool) else str(value)
        found.append(Dependency("config", f"composer.{name}", written, scope="build", manifest=path, line=line))

    config = data.get("config")
    if isinstance(config, dict):
        for key in _SETTINGS:
            if key in config:
                setting(key, config[key], lines.get(("config", key)))
        plugins = config.get("allow-plugins")
        if isinstance(plugins, bool):
            setting("allow-plugins", plugins, lines.get(("config", "allow-plugins")))
        elif isinstance(plugins, dict):
            for plugin, allowed in plugins.items():
                setting(f"allow-plugins.{plugin}", allowed, lines.get(("config", "allow-plugins", plugin)))
    repositories = data.get("repositories")
    if isinstance(repositories, dict) and repositories.get("packagist.org") is False:
        setting("repositories.packagist.org", False, lines.get(("repositories", "packagist.org")))
    elif isinstance(repositories, list):
        for entry in repositories:
            if isinstance(entry, dict) and entry.get("packagist.org") is False:
                setting("repositories.packagist.org", False, lines.get(("repositories",)))
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        for event in INSTALL_EVENTS:
            commands = scripts.get(event)
            for command in commands if isinstance(commands, list) else [commands] if commands is not None else []:
                setting(f"scripts.{event}", command, lines.get(("scripts", event)))
    return found
