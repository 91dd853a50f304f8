"""What every registry-settings parser shares: a setting as a ``config`` Dependency, and the files a setting runs.

A registry setting (``.npmrc``'s ``registry``, ``pip.conf``'s ``index-url``, ``.yarnrc.yml``'s ``enableScripts``)
decides where packages come from, whether TLS and checksums are checked, or whether install scripts run. lockgate
records each one as a dependency of ecosystem ``config``, so that a changed value is a Change like any version bump:
shown in every report, reviewed through the ordinary machinery, and judged by the ``registry-config`` rule.

Naming (shared by every parser that produces settings, see checker/model.py): ``<tool>.<key>`` with the tool's own
spelling of the key (``npm.registry``, ``npm.@acme:registry``, ``yarn.npmScopes.acme.npmRegistryServer``,
``pip.extra-index-url``); version: the value as written, booleans as ``true``/``false``; scope ``build``. A setting
with several values is one dependency per value. A credential's value is never recorded (see ``CREDENTIAL``).

A setting that names a file that runs (Yarn's ``yarnPath``, a Yarn plugin) carries the SHA-256 of that file's
content in ``hashes``: a new release committed under the same path is then ``hashes-changed``, reviewed like any
artifact whose content changed.
"""

from __future__ import annotations

import posixpath

from checker.model import DEFAULT_SOURCE, Dependency, Problem, Reader

ECOSYSTEM = "config"
SCOPE = "build"
# What a credential's value is recorded as: never the secret itself (an environment reference such as
# ``${NPM_TOKEN}`` names a variable, not its value, and is kept).
CREDENTIAL = "***"


def setting(name: str, value: str, path: str, line: int | None, label: str | None = None,
            hashes: frozenset[str] = frozenset()) -> Dependency:
    """One setting as a ``config`` dependency."""
    return Dependency(ECOSYSTEM, name, value, source=DEFAULT_SOURCE, hashes=hashes, scope=SCOPE, direct=True,
                      manifest=path, line=line, label=label)


def text_value(value: object) -> str:
    """A decoded value as lockgate records it: strings as they are, booleans ``true``/``false``, null ``null``,
    numbers as written by ``str``, anything else as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    import json

    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def credential_value(value: str) -> str:
    """What lockgate records of a credential: the environment reference it names (``${NPM_TOKEN}``), or ``***``."""
    stripped = value.strip()
    if stripped.startswith("${") and stripped.endswith("}") and stripped.count("${") == 1 and "}" not in stripped[2:-1]:
        return stripped
    return CREDENTIAL


def url_value(value: str) -> str:
    """A registry URL as recorded: credentials in it (user-info, a Gemfury token) replaced, the rest as written."""
    if "@" not in value and "fury.io" not in value and "?" not in value:
        return value
    from checker.redaction import redact_index_url

    return redact_index_url(value)


def repository_path(base_file: str, written: str) -> str | None:
    """The repository path a relative path written in ``base_file`` names, or None when it leaves the repository
    (absolute, ``~``, or climbing above the root)."""
    if not written or written.startswith(("/", "~", "\\")) or (len(written) > 1 and written[1] == ":"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_file), written.replace("\\", "/")))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def file_hash(read: Reader, base_file: str, written: str, what: str, line: int | None,
              problems: list[Problem]) -> frozenset[str]:
    """``{"sha256:<hex>"}`` of the repository file ``written`` names (relative to ``base_file``'s folder); a
    Problem when it is outside the repository or missing (the code it would run cannot be judged)."""
    target = repository_path(base_file, written)
    if target is None:
        problems.append(Problem(f"{what} {written!r} is outside the repository: lockgate cannot read the code it runs",
                                line))
        return frozenset()
    text = read(target)
    if text is None:
        problems.append(Problem(f"{what} {written!r} names {target}, which is not in the repository", line))
        return frozenset()
    import hashlib

    return frozenset({"sha256:" + hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()})


def in_node_modules(path: str) -> bool:
    """A file under ``node_modules/`` is an installed copy of a package, not the project's own configuration."""
    return "node_modules" in path.split("/")

