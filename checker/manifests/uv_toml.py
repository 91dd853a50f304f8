"""``uv.toml``: uv's settings file (format "uv-toml", kind "declared").

It holds at its top level what a pyproject.toml holds under ``[tool.uv]`` (uv reads ``uv.toml`` first, in the
project and in the user's and system's configuration folders), so it is read by the same code
(checker/manifests/pyproject.py): ``[[index]]`` tables, ``index-url``, ``extra-index-url`` and ``find-links`` become
the manifest's package indexes (judged by registry-source like a pyproject's) and, with ``no-index``,
``index-strategy``, ``allow-insecure-host``, ``no-build``, ``no-binary``, ``only-binary``, ``require-hashes``,
``verify-hashes`` and those of its ``[pip]`` table, registry settings (``uv.<key>``, ``uv.pip.<key>``,
``uv.index.<name>``, ``uv.default-index``) judged by registry-config. A uv.toml declares no packages.
"""

from __future__ import annotations

from checker.manifests.common import load_toml
from checker.model import Manifest, Reader

FORMAT = "uv-toml"


def parse(text: str, path: str, read: Reader) -> Manifest:
    """The package indexes and registry settings of one uv.toml."""
    from checker.manifests.pyproject import _Context, _uv_indexes, _uv_pip_indexes, uv_settings

    data = load_toml(text, path)
    options, _, index_settings = _uv_indexes(data, text, path, "[[index]]")
    options += _uv_pip_indexes(data, _Context(text, path, {}, {}))
    settings = sorted(index_settings + uv_settings(data, text, path, ()), key=lambda dep: dep.line or 0)
    return Manifest(path=path, format=FORMAT, ecosystem="config", dependencies=tuple(settings), kind="declared",
                    indexes=tuple(options))
