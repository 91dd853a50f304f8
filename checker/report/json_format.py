"""``--format json``: the ``lockgate/v1`` document. Stable: integrations parse it (docs/json.md documents it)."""

from __future__ import annotations

import json

from checker.report.escape import json_text

SCHEMA = "lockgate/v1"

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: this module is on the start-up path, which imports neither
    from typing import Any

    from checker.model import Change, Finding, Report, ReviewStatus


def change_record(change: Change, review: ReviewStatus) -> dict[str, Any]:
    dep = change.dependency
    return {
        "ecosystem": dep.ecosystem,
        "name": dep.name,
        "manifest": dep.manifest,
        "line": dep.line,
        "kind": change.kind,
        "from": change.before.display_version() if change.before else None,
        "to": change.after.display_version() if change.after else None,
        "bump": change.bump,
        "from_label": change.before.label if change.before else None,
        "to_label": change.after.label if change.after else None,
        "scope": dep.scope,
        "direct": dep.direct,
        "review": review.state,
        "review_evidence": review.evidence,
    }


def finding_record(finding: Finding) -> dict[str, Any]:
    dep = finding.dependency
    return {
        "rule": finding.rule,
        "level": finding.level,
        "ecosystem": dep.ecosystem if dep else None,
        "name": dep.name if dep else None,
        "version": dep.display_version() if dep else None,
        "manifest": finding.manifest,
        "line": finding.line,
        "message": finding.message,
        "hint": finding.hint,
        "unknown": finding.unknown,
        "excepted": finding.excepted_by,
        "advisory": _value(finding.advisory),
        "cause": finding.cause or None,
    }


def _value(value: Any) -> Any:
    """A fact as JSON: UNKNOWN as the string "unknown" (never null, which means "none"), times in UTC ISO 8601,
    sets sorted, mappings and records (a provenance publisher) as objects."""
    from checker.model import UNKNOWN

    if value is UNKNOWN:
        return "unknown"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat") and hasattr(value, "tzinfo"):
        import datetime as dt

        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat() + "Z"
    if isinstance(value, (set, frozenset)):
        items = [_value(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    fields = getattr(type(value), "_fields", None)  # a record (NamedTuple), before tuples: it is one
    if fields:
        return {name: _value(getattr(value, name)) for name in fields}
    if isinstance(value, (list, tuple)):
        return [_value(item) for item in value]
    if hasattr(value, "items"):
        return {str(key): _value(item) for key, item in value.items()}
    fields = getattr(type(value), "__dataclass_fields__", None)
    if fields:
        return {name: _value(getattr(value, name)) for name in fields}
    return str(value)


def facts_record(facts: Any) -> dict[str, Any]:
    """What the registries said about one version: every field of checker.model.Facts, UNKNOWN as "unknown"."""
    record = {name: _value(getattr(facts, name)) for name in type(facts)._fields}
    provenance = getattr(facts, "provenance", None)
    if isinstance(record.get("provenance"), dict) and getattr(provenance, "verification", None) is None:
        # ``verified`` / ``verification`` are there only when the provenance rule's ``verify`` checked the
        # attestation (the documented shape: {"evidence", "publishers"[, "verified", "verification"]}).
        del record["provenance"]["verified"], record["provenance"]["verification"]
    return record


def skeleton(version: str, base: str, head: str, policy: str | None, mode: str, verdict: str) -> dict[str, Any]:
    """The document's top level, in its documented key order, with no changes or findings yet."""
    return {
        "schema": SCHEMA,
        "lockgate": version,
        "base": base,
        "head": head,
        "policy": policy,
        "mode": mode,
        "verdict": verdict,
        "changes": [],
        "findings": [],
        "facts": [],
    }


def document(report: Report) -> dict[str, Any]:
    doc = skeleton(report.version, report.base, report.head, report.policy,
                   "all" if report.judged_all else "changes", report.verdict)
    doc["changes"] = [change_record(c, r) for c, r in zip(report.changes, report.reviews)]
    doc["findings"] = [finding_record(f) for f in report.findings]
    doc["facts"] = [facts_record(f) for f in report.facts]
    return doc


def render_unchanged(version: str, base: str, head: str, color: bool = False) -> str:
    """The document of a run that found no manifest to compare (built without a Report: see checker.pipeline.unchanged)."""
    return json_text(json.dumps(skeleton(version, base, head, None, "changes", "pass"), indent=2, ensure_ascii=False)) + "\n"


def render(report: Report, color: bool = False) -> str:
    return json_text(json.dumps(document(report), indent=2, ensure_ascii=False)) + "\n"
