"""``.yarnrc.yml``: Yarn Berry's settings (format "yarnrc-yml", kind "declared").

Yarn reads the file with js-yaml's failsafe schema (every scalar is a string; Yarn parses ``true``, ``1``,
``false``, ``0`` itself) and aborts on a key it does not know. lockgate reads it as workflows are read
(checker/manifests/gha_yaml.py): scalars as text, anchors and aliases resolved once, merge keys (``<<``) honoured
(Yarn would reject the key: lockgate judges what it would bring), and a duplicate key is an error — Yarn keeps the
last of two, a reviewer reads the first. Every ``.yarnrc.yml`` in the repository is read: Yarn merges the ones of
every folder from the project up.

Read, each as a ``config`` dependency named ``yarn.<key>`` (checker/manifests/settings.py):

- where packages come from: ``npmRegistryServer``, ``npmScopes.<scope>.npmRegistryServer``, ``defaultProtocol``,
  ``approvedGitRepositories`` (one per pattern), and the credentials of ``npmRegistries.<registry>``
  (``npmAuthToken``, ``npmAuthIdent``: recorded without their value) and ``npmAlwaysAuth``;
- TLS: ``enableStrictSsl``, ``unsafeHttpWhitelist`` (one per host), ``httpsCaFilePath`` (and the older
  ``caFilePath``), ``networkSettings.<host>.httpsCaFilePath``;
- checksums and the lockfile: ``checksumBehavior``, ``enableImmutableInstalls``, ``enableHardenedMode``;
- install scripts: ``enableScripts``;
- code that runs on every Yarn command: ``yarnPath`` (the committed Yarn release) and ``plugins`` (one per plugin:
  its path, the ``spec`` it came from as label). Both carry the SHA-256 of the file they name (the format declares
  ``includes``), so a new release committed under the same name is a ``hashes-changed`` change.

A key that differs from one of these only in case is read as that key (Yarn would refuse it; no spelling keeps a
setting from review). ``packageExtensions`` is not read: what it adds to the dependency tree shows in yarn.lock.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.manifests import gha_yaml
from checker.manifests.gha_yaml import Mapping, Node, Scalar, Sequence
from checker.manifests.settings import credential_value, file_hash, in_node_modules, repository_path, setting, url_value
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "yarnrc-yml"

# Settings whose value is one string (or a boolean Yarn parses from one).
_SCALARS = (
    "npmRegistryServer", "defaultProtocol", "npmAlwaysAuth", "enableStrictSsl", "httpsCaFilePath", "caFilePath",
    "checksumBehavior", "enableImmutableInstalls", "enableHardenedMode", "enableScripts",
)
_LISTS = ("unsafeHttpWhitelist", "approvedGitRepositories")
_URLS = frozenset({"npmRegistryServer"})
_CANONICAL = {key.lower(): key for key in _SCALARS + _LISTS + ("yarnPath", "plugins", "npmScopes", "npmRegistries",
                                                                "networkSettings")}


def _entries(mapping: Mapping) -> list[tuple[str, int, Node]]:
    """The mapping's entries whose keys lockgate reads, each under its canonical spelling."""
    out = []
    for key, line, value in mapping.items():
        canonical = _CANONICAL.get(key.lower())
        if canonical is not None:
            out.append((canonical, line, value))
    return out


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The repository files the settings run: ``yarnPath`` and each plugin's ``path``."""
    try:
        root = gha_yaml.load(text, path)
    except Exception:  # noqa: BLE001 - the parse reports it; here only what is readable counts
        return []
    if not isinstance(root, Mapping) or in_node_modules(path):
        return []
    found: list[tuple[str, int | None]] = []
    for key, line, value in _entries(root):
        if key == "yarnPath" and isinstance(value, Scalar):
            found.append((value.text, line))
        elif key == "plugins" and isinstance(value, Sequence):
            for item in value.items:
                written = _plugin_path(item)
                if written is not None:
                    found.append((written, item.line))
    return [(target, line) for written, line in found
            if (target := repository_path(path, written)) is not None]


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The registry settings of one ``.yarnrc.yml``."""
    if in_node_modules(path):
        return Manifest(path=path, format=FORMAT, ecosystem="config", dependencies=(), kind="declared")
    root = gha_yaml.load(text, path)
    problems: list[Problem] = []
    deps: list[Dependency] = []
    if root is not None and not isinstance(root, Mapping):
        from checker.errors import ManifestError

        raise ManifestError(f"expected a mapping of settings, found {gha_yaml.describe(root)}", path, root.line)
    reader = _Reader(path, read, problems, deps)
    for key, line, value in _entries(root) if root is not None else ():
        reader.setting(key, line, value)
    deps.sort(key=lambda dep: dep.line or 0)
    included = tuple(sorted({target for dep in deps if dep.hashes and dep.name in ("yarn.yarnPath", "yarn.plugins")
                             for target in [repository_path(path, dep.version or "")] if target}))
    return Manifest(path=path, format=FORMAT, ecosystem="config", dependencies=tuple(deps), kind="declared",
                    includes=included, problems=tuple(problems))


def _plugin_path(item: Node) -> str | None:
    if isinstance(item, Scalar) and not item.null:
        return item.text
    if isinstance(item, Mapping):
        value = item.get("path")
        if isinstance(value, Scalar) and not value.null:
            return value.text
    return None


class _Reader:
    """Turns the entries of the file into dependencies, noting what it cannot read."""

    def __init__(self, path: str, read: Reader, problems: list[Problem], deps: list[Dependency]) -> None:
        self.path, self.read, self.problems, self.deps = path, read, problems, deps

    def add(self, name: str, value: str, line: int | None, label: str | None = None,
            hashes: frozenset[str] = frozenset()) -> None:
        self.deps.append(setting(name, value, self.path, line, label, hashes))

    def scalar(self, key: str, line: int, value: Node) -> str | None:
        if isinstance(value, Scalar):
            return "null" if value.null else value.text
        self.problems.append(Problem(f"{key} must be a string, found {gha_yaml.describe(value)}", line))
        return None

    def setting(self, key: str, line: int, value: Node) -> None:
        if key in _SCALARS:
            text = self.scalar(key, line, value)
            if text is not None:
                self.add(f"yarn.{key}", url_value(text) if key in _URLS else text, line)
        elif key in _LISTS:
            for item, item_line in self.items(key, line, value):
                self.add(f"yarn.{key}", item, item_line)
        elif key == "yarnPath":
            text = self.scalar(key, line, value)
            if text is not None and text != "null":
                hashes = file_hash(self.read, self.path, text, "yarnPath", line, self.problems)
                self.add("yarn.yarnPath", text, line, hashes=hashes)
        elif key == "plugins":
            self.plugins(line, value)
        elif key == "npmScopes":
            for scope, scope_line, body in self.tables(key, line, value):
                self.registry_server(f"yarn.npmScopes.{scope}", scope_line, body)
        elif key == "npmRegistries":
            for registry, registry_line, body in self.tables(key, line, value):
                self.credentials(f"yarn.npmRegistries.{registry}", registry_line, body)
        elif key == "networkSettings":
            for host, host_line, body in self.tables(key, line, value):
                for inner, inner_line, inner_value in body.items():
                    if inner.lower() == "httpscafilepath":
                        text = self.scalar(f"{key}.{host}.httpsCaFilePath", inner_line, inner_value)
                        if text is not None:
                            self.add(f"yarn.networkSettings.{host}.httpsCaFilePath", text, inner_line)

    def items(self, key: str, line: int, value: Node) -> list[tuple[str, int]]:
        """A list setting's values (a single string counts as a list of one, as Yarn reads it)."""
        if isinstance(value, Scalar):
            return [] if value.null else [(value.text, value.line)]
        if isinstance(value, Sequence):
            out = []
            for item in value.items:
                if isinstance(item, Scalar):
                    out.append((item.text, item.line))
                else:
                    self.problems.append(Problem(f"each entry of {key} must be a string, found "
                                                 f"{gha_yaml.describe(item)}", getattr(item, "line", line)))
            return out
        self.problems.append(Problem(f"{key} must be a list of strings, found a mapping", line))
        return []

    def tables(self, key: str, line: int, value: Node) -> list[tuple[str, int, Mapping]]:
        if isinstance(value, Scalar) and value.null:
            return []
        if not isinstance(value, Mapping):
            self.problems.append(Problem(f"{key} must be a mapping, found {gha_yaml.describe(value)}", line))
            return []
        out = []
        for name, name_line, body in value.items():
            if isinstance(body, Mapping):
                out.append((name, name_line, body))
            elif not (isinstance(body, Scalar) and body.null):
                self.problems.append(Problem(f"{key}.{name} must be a mapping, found {gha_yaml.describe(body)}",
                                             name_line))
        return out

    def registry_server(self, prefix: str, line: int, body: Mapping) -> None:
        for inner, inner_line, inner_value in body.items():
            if inner.lower() == "npmregistryserver":
                text = self.scalar(f"{prefix}.npmRegistryServer", inner_line, inner_value)
                if text is not None:
                    self.add(f"{prefix}.npmRegistryServer", url_value(text), inner_line)

    def credentials(self, prefix: str, line: int, body: Mapping) -> None:
        for inner, inner_line, inner_value in body.items():
            canonical = {"npmauthtoken": "npmAuthToken", "npmauthident": "npmAuthIdent",
                         "npmalwaysauth": "npmAlwaysAuth"}.get(inner.lower())
            if canonical is None:
                continue
            text = self.scalar(f"{prefix}.{canonical}", inner_line, inner_value)
            if text is not None:
                shown = text if canonical == "npmAlwaysAuth" else credential_value(text)
                self.add(f"{prefix}.{canonical}", shown, inner_line)

    def plugins(self, line: int, value: Node) -> None:
        if isinstance(value, Scalar) and value.null:
            return
        if not isinstance(value, Sequence):
            self.problems.append(Problem(f"plugins must be a list, found {gha_yaml.describe(value)}", line))
            return
        for item in value.items:
            written = _plugin_path(item)
            if written is None:
                self.problems.append(Problem(f"a plugin without a path ({gha_yaml.describe(item)})", item.line))
                continue
            spec = checksum = None
            if isinstance(item, Mapping):
                spec_node, checksum_node = item.get("spec"), item.get("checksum")
                spec = spec_node.text if isinstance(spec_node, Scalar) and not spec_node.null else None
                checksum = checksum_node.text if isinstance(checksum_node, Scalar) and not checksum_node.null else None
            hashes = file_hash(self.read, self.path, written, "plugin", item.line, self.problems)
            if checksum:
                hashes = hashes | {f"yarn-plugin:{checksum}"}
            self.add("yarn.plugins", written, item.line, label=spec, hashes=hashes)


class Registries(NamedTuple):
    """The registries one ``.yarnrc.yml`` configures: the default (None: not set here) and one per scope (without
    ``@``), as Yarn would fetch ``npm:`` resolutions from them."""

    default: str | None
    scopes: dict[str, str]


def registries(text: str, path: str) -> Registries:
    """``npmRegistryServer`` and ``npmScopes.<scope>.npmRegistryServer`` of one ``.yarnrc.yml``, for the readers of
    Berry's yarn.lock (whose ``resolution``s name no host: Yarn fetches them from these). Yarn merges the files of
    every folder from the project up, the nearer one winning key by key; ``${VAR}`` references are kept."""
    manifest = parse(text, path, lambda _: None)
    default = None
    scopes: dict[str, str] = {}
    for dep in manifest.dependencies:
        if dep.name == "yarn.npmRegistryServer":
            default = dep.version
        elif dep.name.startswith("yarn.npmScopes.") and dep.name.endswith(".npmRegistryServer"):
            scopes[dep.name[len("yarn.npmScopes."):-len(".npmRegistryServer")].lstrip("@")] = dep.version or ""
    return Registries(default, scopes)
