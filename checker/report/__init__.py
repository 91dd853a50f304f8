"""Renderers: a Report in, text out. Each format is its own module, imported only when asked for."""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.model import Report

FORMATS = ("text", "json", "markdown", "sarif", "github")
_MODULES = {"text": "text", "json": "json_format", "markdown": "markdown", "compact": "compact", "sarif": "sarif", "github": "annotations"}


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    module = importlib.import_module(f"checker.report.{_MODULES[fmt]}")
    return module.render(report, color=color)
