"""``.npmrc`` settings the facts stage needs: the registry to ask, per-scope registries, and credentials.

npm's ini format, decoded as npm decodes it (checker/manifests/npm_ini.py, the same decoder the ``.npmrc`` manifest
parser uses: quoting, JSON escapes, inline comments, the last of repeated keys winning); the parts that matter here: ``registry=URL``, ``@scope:registry=URL``, and per-registry
credentials keyed by the registry URL without its scheme — ``//npm.example.com/:_authToken=TOKEN`` (sent as
``Bearer``), ``//host/:_auth=BASE64`` (``Basic``), ``//host/:username=`` with ``//host/:_password=BASE64``.
``${VAR}`` is expanded from the environment, as npm does; a credential whose variable is unset is left out. Every
value so expanded is a secret to mask wherever it could be shown (``NpmConfig.secrets``: a token spliced into a
registry URL's path, ``registry=https://npm.fury.io/${FURY_TOKEN}/acme/``, would otherwise appear in every message
naming that registry), except a value that is a whole URL (``registry=${NPM_REGISTRY}``): masking
``https://registry.npmjs.org`` would mangle every message, so of such a value only its credentials are secret
(user-info, a Gemfury token: checker/redaction.py).

Which files: the user's (``NPM_CONFIG_USERCONFIG`` or ``~/.npmrc``) and the repository's ``.npmrc`` as it stands
on the *trusted* revision (the caller passes the text: the base of a pull request). Never the head's: a pull
request could otherwise point a registry — and the token that goes with it — at a host of its choosing.
Credentials are only ever handed to the HTTP helper, which sends each to its own origin and redacts it.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

_VAR = re.compile(r"\$\{([^}]*)\}")


class NpmConfig(NamedTuple):
    """registry: the default registry (None: npm's). scopes: ``@scope`` -> registry. credentials: URL prefix
    (``//host/path/``) -> Authorization value. secrets: what was expanded from the environment (see above)."""

    registry: str | None = None
    scopes: Mapping[str, str] = MappingProxyType({})
    credentials: Mapping[str, str] = MappingProxyType({})
    secrets: frozenset[str] = frozenset()

    def registry_for(self, name: str) -> str | None:
        """The registry a package is fetched from by this configuration (its scope's, else the default)."""
        if name.startswith("@") and "/" in name:
            scoped = self.scopes.get(name.split("/", 1)[0])
            if scoped:
                return scoped
        return self.registry


def user_npmrc(environ: Mapping[str, str] | None = None) -> str | None:
    """The text of the user's npm configuration, or None."""
    env = os.environ if environ is None else environ
    path = env.get("NPM_CONFIG_USERCONFIG") or env.get("npm_config_userconfig") or os.path.join(
        os.path.expanduser("~"), ".npmrc")
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(1024 * 1024)
    except (OSError, UnicodeDecodeError):
        return None


def _expand(value: str, environ: Mapping[str, str], secrets: set[str]) -> str | None:
    """``value`` with each ``${VAR}`` expanded (None when a variable is unset); what was spliced in is added to
    ``secrets``."""
    missing = False

    def one(match: re.Match[str]) -> str:
        nonlocal missing
        found = environ.get(match.group(1))
        if found is None:
            missing = True
            return ""
        secrets.update(_secret_parts(found))
        return found

    out = _VAR.sub(one, value)
    return None if missing else out


def _secret_parts(expanded: str) -> tuple[str, ...]:
    """What of one expanded value is secret: all of it, or of a whole URL only its credentials."""
    text = expanded.strip()
    if text.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in text):
        from checker.redaction import index_url_secrets

        return index_url_secrets(text)
    return (text,) if len(text) >= 4 else ()


def parse_npmrc(texts: Iterable[str | None], environ: Mapping[str, str] | None = None) -> NpmConfig:
    """Merge configuration texts, later ones overriding earlier ones key by key."""
    env = os.environ if environ is None else environ
    values: dict[str, str] = {}
    secrets: set[str] = set()
    from checker.manifests import npm_ini

    for text in texts:
        for key, settings in npm_ini.effective(npm_ini.decode(text or "")).items():
            value = settings[-1].value
            if not isinstance(value, str):
                continue  # a boolean, a list: no registry, scope or credential is one
            expanded = _expand(value, env, secrets)
            if expanded is not None:
                values[key] = expanded
            else:
                values.pop(key, None)
    registry = values.get("registry", "").strip().rstrip("/") or None
    scopes = {k.split(":", 1)[0]: v.strip().rstrip("/") for k, v in values.items()
              if k.startswith("@") and k.endswith(":registry") and v.strip()}
    credentials: dict[str, str] = {}
    users: dict[str, str] = {}
    passwords: dict[str, str] = {}
    for key, value in values.items():
        if not key.startswith("//") or ":" not in key or not value:
            continue
        prefix, _, setting = key.rpartition(":")
        if setting == "_authToken":
            credentials[prefix] = f"Bearer {value}"
        elif setting == "_auth":
            credentials[prefix] = f"Basic {value}"
        elif setting == "username":
            users[prefix] = value
        elif setting == "_password":
            passwords[prefix] = value
    for prefix, user in users.items():
        if prefix in credentials or prefix not in passwords:
            continue
        try:
            password = base64.b64decode(passwords[prefix], validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        credentials[prefix] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return NpmConfig(registry, scopes, credentials, frozenset(secrets))
