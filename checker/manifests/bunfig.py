"""``bunfig.toml``: Bun's configuration, its ``[install]`` table (format "bunfig", kind "declared").

Read, each as a ``config`` dependency (checker/manifests/settings.py): ``install.registry`` (a URL, or a table
whose ``url`` is one) as ``bun.install.registry``, each scope of ``[install.scopes]`` (the same two forms) as
``bun.install.scopes.<scope>``, and ``install.ca`` / ``install.cafile`` (the certificate authorities Bun trusts).
Tokens, user names and passwords in those tables are not recorded; a URL's own credentials are removed. Bun reads
``.npmrc`` too (checker/manifests/npmrc.py).
"""

from __future__ import annotations

from checker.errors import ManifestError
from checker.manifests.common import expect_table, load_toml
from checker.manifests.settings import setting, text_value, url_value
from checker.model import Dependency, Manifest, Reader

FORMAT = "bunfig"


def _line(text: str, value: str) -> int | None:
    at = text.find(value)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _registry_url(value: object, what: str, path: str) -> str:
    if isinstance(value, str):
        return value
    url = value.get("url") if isinstance(value, dict) else None
    if isinstance(url, str):
        return url
    raise ManifestError(f"{what} must be a URL or a table with a url, found {value!r}"[:200], path)


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The registry settings of one bunfig.toml."""
    data = load_toml(text, path)
    install = expect_table(data.get("install", {}), "[install]", path)
    deps: list[Dependency] = []
    if "registry" in install:
        url = _registry_url(install["registry"], "install.registry", path)
        deps.append(setting("bun.install.registry", url_value(url), path, _line(text, url)))
    scopes = expect_table(install.get("scopes", {}), "[install.scopes]", path)
    for scope, value in scopes.items():
        url = _registry_url(value, f"install.scopes.{scope}", path)
        deps.append(setting(f"bun.install.scopes.{scope}", url_value(url), path, _line(text, url)))
    for key in ("ca", "cafile"):
        if key in install:
            value = text_value(install[key])
            deps.append(setting(f"bun.install.{key}", value, path, _line(text, value.splitlines()[0] if value else key)))
    deps.sort(key=lambda dep: dep.line or 0)
    return Manifest(path=path, format=FORMAT, ecosystem="config", dependencies=tuple(deps), kind="declared")
