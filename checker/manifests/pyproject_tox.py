"""The files a pyproject.toml reads in: only its ``[tool.tox]`` does (``-r``/``-c`` in deps, constraints).

A module of its own, apart from ``pyproject.py``, because the collect stage asks every pyproject.toml of a tree for
its includes, also on a commit that changes no manifest: that must not import packaging and the PEP 621 reader,
and a file that does not mention tox reads nothing (``benchmarks/suite.py --only startup``).
"""

from __future__ import annotations

from checker.manifests.common import load_toml


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The requirements files a pyproject.toml's ``[tool.tox]`` reads in (nothing else in a pyproject.toml reads
    a file); the TOML is read only when the text mentions tox at all."""
    if "tox" not in text:
        return []
    try:
        tox = load_toml(text, path).get("tool", {}).get("tox")
        if not isinstance(tox, dict):
            return []
        from checker.manifests import tox_toml

        return tox_toml.pyproject_includes(tox, text, path)
    except Exception:  # noqa: BLE001 - an unreadable file names no include; its parse reports it
        return []
