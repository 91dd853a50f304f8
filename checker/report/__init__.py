"""Renderers: a Report in, text out. Each format is its own module, imported only when asked for.

May import: checker.model, checker.versions, checker.manifests (format names), checker.rules (their wording and
ranking), checker.review (the ``lockgate review`` command a fix names).
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

    from checker.model import Report
    from checker.report.risk import PolicyView

FORMATS = ("text", "json", "markdown", "sarif", "github")
_MODULES = {"text": "text", "json": "json_format", "markdown": "markdown", "compact": "compact", "sarif": "sarif", "github": "annotations"}
# Formats that word things for a reader and can use the run's clock (ages) and the policy (who may review, the
# cooldowns); the others are data and carry neither.
_WORDED = frozenset({"text", "markdown"})


# Formats for a terminal, which wrap to its width when given one (checker/report/wrap.py).
_WRAPPED = frozenset({"text", "compact"})


def render(report: Report, fmt: str, *, color: bool = False, now: dt.datetime | None = None,
           policy: PolicyView | None = None, width: int | None = None) -> str:
    """``width``: the terminal's columns, for the terminal formats; None: no wrapping (a pipe, a CI log)."""
    module = importlib.import_module(f"checker.report.{_MODULES[fmt]}")
    # Each format's module has ``render(report, *, color, ...) -> str``.
    extra: dict[str, object] = {}
    if fmt in _WORDED and (now is not None or policy is not None):
        extra.update(now=now, policy=policy)
    if fmt in _WRAPPED and width is not None:
        extra["width"] = width
    text: str = module.render(report, color=color, **extra)
    return text
