"""``.yarnrc``: Yarn 1's settings (format "yarnrc", kind "declared").

Yarn 1 reads ``.yarnrc`` with its lockfile parser (``key value`` lines, JSON-quoted strings, bare words, ``true`` and
``false``, indented blocks), so lockgate reads it with the same tokenizer as classic yarn.lock
(checker/manifests/yarn_classic.py): a line Yarn's grammar cannot read is an error with its line. Yarn merges the
``.yarnrc`` of every folder from the working folder up, so every one in the repository is read.

Read, each as a ``config`` dependency named ``yarn.<key as written>`` (checker/manifests/settings.py): ``registry``,
``<scope>:registry`` (``"@acme:registry"``), ``strict-ssl``, ``ca``, ``cafile``, ``ignore-scripts``,
``yarn-offline-mirror`` (packages installed from committed tarballs) and ``yarn-path`` (the committed Yarn release
that runs instead of the installed one; it carries the SHA-256 of that file, and the format declares ``includes``).
A key written as a command-line flag applies as one (``--ignore-scripts true``, ``--install.ignore-scripts true``
for ``yarn install`` only) and is read the same way. Keys that differ from these only in case are read as them.
Indented blocks hold nothing lockgate reads and are skipped.
"""

from __future__ import annotations

from checker.errors import ManifestError
from checker.manifests.settings import file_hash, in_node_modules, repository_path, setting, text_value, url_value
from checker.model import Dependency, Manifest, Problem, Reader

FORMAT = "yarnrc"

_KEYS = frozenset({"registry", "strict-ssl", "ca", "cafile", "ignore-scripts", "yarn-offline-mirror", "yarn-path"})


def base_key(key: str) -> str | None:
    """The setting a key names, lower case, without a flag's ``--`` and command (``--install.ignore-scripts`` is
    ``ignore-scripts``), or None when lockgate does not read it."""
    lower = key.lower()
    if lower.startswith("--"):
        lower = lower[2:].rpartition(".")[2] if "." in lower[2:] and not lower.endswith(":registry") else lower[2:]
    if lower in _KEYS:
        return lower
    if lower.endswith(":registry") and len(lower) > len(":registry"):
        return "registry"
    return None


def _top_level(text: str, path: str) -> list[tuple[str, object, int]]:
    """(key, value, line) of each top-level ``key value`` line."""
    from checker.manifests.yarn_classic import _Classic

    reader = _Classic(text, path, lambda _: None)
    found = []
    for number, line in enumerate(reader.text.split("\n"), 1):
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#" or line[0] in " \t":
            continue
        keys, value, opens = reader._line(line, number)  # noqa: SLF001 - Yarn's grammar, written once
        if opens:
            continue
        for key in keys:
            found.append((key, value, number))
    return found


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The committed Yarn release ``yarn-path`` names."""
    if in_node_modules(path):
        return []
    try:
        entries = _top_level(text, path)
    except ManifestError:
        return []
    return [(target, line) for key, value, line in entries
            if base_key(key) == "yarn-path" and isinstance(value, str)
            and (target := repository_path(path, value)) is not None]


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The registry settings of one ``.yarnrc``."""
    if in_node_modules(path):
        return Manifest(path=path, format=FORMAT, ecosystem="config", dependencies=(), kind="declared")
    problems: list[Problem] = []
    deps: list[Dependency] = []
    included: list[str] = []
    for key, value, line in _top_level(text, path):
        setting_key = base_key(key)
        if setting_key is None:
            continue
        shown = text_value(value)
        if setting_key == "registry":
            deps.append(setting(f"yarn.{key}", url_value(shown), path, line))
        elif setting_key == "yarn-path":
            hashes = file_hash(read, path, shown, "yarn-path", line, problems)
            target = repository_path(path, shown)
            if hashes and target:
                included.append(target)
            deps.append(setting(f"yarn.{key}", shown, path, line, hashes=hashes))
        else:
            deps.append(setting(f"yarn.{key}", shown, path, line))
    return Manifest(path=path, format=FORMAT, ecosystem="config", dependencies=tuple(deps), kind="declared",
                    includes=tuple(included), problems=tuple(problems))
