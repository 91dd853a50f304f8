"""Registry settings made through environment variables: ``PIP_INDEX_URL``, ``NPM_CONFIG_REGISTRY``, ….

A workflow's ``env:`` (workflow, job and step level), a Dockerfile's ``ENV`` and ``ARG`` defaults and a script's
``export VAR=…`` configure the package managers as surely as a ``pip.conf`` or an ``.npmrc``: each setting is a
dependency of ecosystem ``config`` named as the tool names the key (``pip.index-url``, ``npm.registry``,
``yarn.npmRegistryServer``, ``uv.index.<name>``; see DESIGN.md's convention), version = the value as written,
scope ``build``. A list-valued setting (``PIP_EXTRA_INDEX_URL="a b"``) is one dependency per value. Settings that
only the environment can make are named as the registry-config rule reads them (``NODE_TLS_REJECT_UNAUTHORIZED``
is ``node.tls-reject-unauthorized``); Go's keep the variable's own name (``go.GOSUMDB``), which is what ``go env``
calls them. Values are recorded as checker/manifests/settings.py records them: a URL without its credentials.

Variable names are matched as each tool reads them: pip, uv, Yarn and Go read upper-case names only; npm reads
``npm_config_*`` in any case (``NPM_CONFIG_REGISTRY``, ``npm_config_registry``), with ``_`` read as ``-``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.model import Dependency

# Upper-case variable -> (setting name, whether the value is a whitespace-separated list).
_EXACT: dict[str, tuple[str, bool]] = {
    "PIP_INDEX_URL": ("pip.index-url", False),
    "PIP_EXTRA_INDEX_URL": ("pip.extra-index-url", True),
    "PIP_TRUSTED_HOST": ("pip.trusted-host", True),
    "PIP_FIND_LINKS": ("pip.find-links", True),
    "PIP_CERT": ("pip.cert", False),
    "PIP_CONFIG_FILE": ("pip.config-file", False),
    "UV_INDEX_URL": ("uv.index-url", False),
    "UV_EXTRA_INDEX_URL": ("uv.extra-index-url", True),
    "UV_DEFAULT_INDEX": ("uv.default-index", False),
    "UV_FIND_LINKS": ("uv.find-links", True),
    "UV_INSECURE_HOST": ("uv.allow-insecure-host", True),
    "UV_CONFIG_FILE": ("uv.config-file", False),
    "YARN_NPM_REGISTRY_SERVER": ("yarn.npmRegistryServer", False),
    "YARN_REGISTRY": ("yarn.registry", False),
    "YARN_UNSAFE_HTTP_WHITELIST": ("yarn.unsafeHttpWhitelist", True),
    "YARN_CHECKSUM_BEHAVIOR": ("yarn.checksumBehavior", False),
    "YARN_ENABLE_SCRIPTS": ("yarn.enableScripts", False),
    "YARN_ENABLE_STRICT_SSL": ("yarn.enableStrictSsl", False),
    "YARN_ENABLE_IMMUTABLE_INSTALLS": ("yarn.enableImmutableInstalls", False),
    "NODE_TLS_REJECT_UNAUTHORIZED": ("node.tls-reject-unauthorized", False),
    "PIP_REQUIRE_HASHES": ("pip.require-hashes", False),
    "PIP_ONLY_BINARY": ("pip.only-binary", False),
    "UV_REQUIRE_HASHES": ("uv.require-hashes", False),
    "UV_NO_BUILD": ("uv.no-build", False),
    "UV_INDEX_STRATEGY": ("uv.index-strategy", False),
    "UV_VERIFY_HASHES": ("uv.verify-hashes", False),
    "YARN_ENABLE_HARDENED_MODE": ("yarn.enableHardenedMode", False),
    "YARN_IGNORE_SCRIPTS": ("yarn.ignore-scripts", False),
    "GOPROXY": ("go.GOPROXY", False),
    "GOSUMDB": ("go.GOSUMDB", False),
    "GONOSUMDB": ("go.GONOSUMDB", False),
    "GONOSUMCHECK": ("go.GONOSUMCHECK", False),
    "GOINSECURE": ("go.GOINSECURE", False),
    "GOFLAGS": ("go.GOFLAGS", False),
    "GOPRIVATE": ("go.GOPRIVATE", False),
    "GONOPROXY": ("go.GONOPROXY", False),
}
# npm_config_<key>, any case, ``_`` read as ``-``: the keys that decide where packages come from and how they are
# checked or run (credentials are not settings lockgate reports).
_NPM_KEYS = frozenset({"registry", "strict-ssl", "ignore-scripts", "ca", "cafile", "userconfig", "globalconfig",
                       "package-lock", "strict-allow-scripts", "allow-scripts", "dangerously-allow-all-scripts",
                       "script-shell"})


def setting_names(variable: str, value: str) -> list[tuple[str, str]]:
    """The (setting name, value) pairs an environment variable makes, [] when it is no registry setting."""
    upper = variable.upper()
    if upper.startswith("NPM_CONFIG_"):
        key = variable[len("npm_config_"):].lower().replace("_", "-")
        if key in _NPM_KEYS:
            return [(f"npm.{key}", value)]
        if key.endswith(":registry") and key.startswith("@"):  # npm_config_@acme:registry (env: only)
            return [(f"npm.{key}", value)]
        return []
    if variable != upper:
        return []
    if upper == "UV_INDEX":
        return [_uv_index(entry) for entry in value.split()] or [("uv.index", value)]
    if upper.startswith("CARGO_REGISTRIES_") and upper.endswith("_INDEX"):
        name = upper[len("CARGO_REGISTRIES_"):-len("_INDEX")].lower().replace("_", "-")
        return [(f"cargo.registries.{name}.index", value)] if name else []
    known = _EXACT.get(upper)
    if known is None:
        return []
    name, is_list = known
    if is_list and value.split():
        return [(name, part) for part in value.split()]
    return [(name, value)]


def _uv_index(entry: str) -> tuple[str, str]:
    """``UV_INDEX="internal=https://…"`` is the index ``internal`` (``uv.index.internal``, value the URL); an
    unnamed URL is ``uv.index``."""
    name, eq, url = entry.partition("=")
    if eq and "://" in url and "/" not in name and name:
        return f"uv.index.{name}", url
    return "uv.index", entry


def setting_dependencies(variable: str, value: str, manifest: str, line: int | None) -> list[Dependency]:
    """The ``config`` dependencies an environment variable makes (see setting_names)."""
    found = setting_names(variable, value)
    if not found:
        return []
    from checker.manifests.settings import setting, url_value

    return [setting(name, url_value(part) if "://" in part else part, manifest, line) for name, part in found]
