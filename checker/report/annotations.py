"""``--format github``: GitHub Actions workflow commands, one annotation per finding on its manifest line.

The runner reads ``::error file=F,line=N,title=T::MESSAGE`` lines from a step's output and pins them to the file
and line in the pull request's diff. Values are escaped exactly as the Actions toolkit does (``escapeData`` and
``escapeProperty`` of @actions/core): a package name containing a newline, ``::`` or ``%0A`` cannot end the
command early or start another one.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.model import Finding, Report

# lockgate level -> workflow command. Waived findings (a policy exception) do not count and are not annotated.
COMMANDS = {"block": "error", "warn": "warning", "info": "notice"}
_RANK = {"block": 0, "warn": 1, "info": 2}


def escape_data(value: object) -> str:
    """A command's message: ``%``, CR and LF percent-encoded (``%`` first, so nothing is decoded twice), and the
    other control characters (ESC, NUL, bidi overrides, ...) shown as ``?``: the runner decodes no other escape
    and would put them raw into the log and the annotation."""
    from checker.report.escape import visible

    return visible(str(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(value: object) -> str:
    """A command property (file, title): as a message, and ``:`` and ``,`` too, which separate properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """One workflow command line (without the newline); properties whose value is None are left out."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(finding: Finding) -> str:
    title = f"lockgate {finding.rule}" + (f" {finding.advisory.id}" if finding.advisory is not None else "")
    message = finding.message + (f"\nFix: {finding.hint}" if finding.hint else "")
    return command(COMMANDS[finding.level], message, file=finding.manifest, line=finding.line, title=title)


def render(report: Report, color: bool = False) -> str:
    """Counting findings, most serious first (the runner shows only the first few of each level per step)."""
    findings = sorted((f for f in report.findings if f.counts and f.level in COMMANDS), key=lambda f: _RANK[f.level])
    return "".join(annotation(f) + "\n" for f in findings)
