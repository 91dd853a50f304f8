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


def render(report: Report, fmt: str, *, color: bool = False, now: dt.datetime | None = None,
           policy: PolicyView | None = None) -> str:
    module = importlib.import_module(f"checker.report.{_MODULES[fmt]}")
    # Each format's module has ``render(report, *, color, ...) -> str``.
    text: str = (module.render(report, color=color, now=now, policy=policy)
                 if fmt in _WORDED and (now is not None or policy is not None) else module.render(report, color=color))
    return text
