"""An OSV record, read for one version of one package: the ``Advisory`` the facts stage hands to the rules.

One function does it, ``advisory_for(record, ecosystem, name, version, listed=…)``, for records from any source:
the OSV API (checker/registries/osv.py, where the server already matched the version: ``listed=True``) or a
synced export of OSV's ``all.zip`` (``lockgate db sync``, where lockgate matches it itself). Pure: no network.

- Which package: the record's ``affected[]`` entries whose ``package`` is this one, by OSV's ecosystem name
  (``PyPI``, ``npm``, ``GitHub Actions``, ``Maven``: ``OSV_ECOSYSTEMS``) and the ecosystem's name rules (PyPI: PEP
  503 normalised; npm and Maven's ``groupId:artifactId``: as written; actions: without regard to case, as GitHub's
  names are).
- Whether it affects the version: checker/versions/osv_ranges.py on each such entry. A record the OSV API listed
  for the version is an advisory even where lockgate's own evaluation disagrees or cannot tell (a false pass is
  the worst bug a gate has); a withdrawn record (``withdrawn`` set) is none.
- The fix hint: the lowest version that ``fixed`` it above this one (the evaluator's), None when none is known.
- Severity: the CVSS base score of the record's ``CVSS_V3`` / ``CVSS_V4`` vectors (top level and the matched
  entries' own ``severity``; the highest when there are several), computed by the ``cvss`` library, mapped to
  CVSS v3's qualitative ranges (0.1-3.9 low, 4.0-6.9 moderate — GitHub's word for medium —, 7.0-8.9 high,
  9.0-10.0 critical; 0.0 is low); else ``database_specific.severity`` (GitHub's ``LOW`` / ``MODERATE`` / ``HIGH``
  / ``CRITICAL``, also ``MEDIUM``); else UNKNOWN. A vector that does not parse is ignored, not guessed.
- Malicious: an OpenSSF malicious-packages record (id or an alias ``MAL-…``, or its
  ``database_specific.malicious-packages-origins``), or a GitHub advisory for embedded malware: its
  ``database_specific.cwe_ids`` name CWE-506 ("Embedded Malicious Code", what GitHub's malware and compromised
  package advisories carry: GHSA-pjwm-rvh2-c87w for ua-parser-js).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from checker.model import UNKNOWN, Advisory, Dependency, Unknown

OSV_ECOSYSTEMS = {"pypi": "PyPI", "npm": "npm", "actions": "GitHub Actions", "cargo": "crates.io", "swift": "SwiftURL",
                  "gem": "RubyGems", "composer": "Packagist", "maven": "Maven",
                  "go": "Go"}
OSV_ECOSYSTEMS.update(nuget="NuGet", pub="Pub")
# Ecosystems whose names compare without regard to case (NuGet ids). OSV's API itself compares NuGet names as
# written (google/osv.dev#5292), so queries send the name as the manifest spells it, which NuGet's own files spell
# as the package does.
_CASE_INSENSITIVE = frozenset({"actions", "nuget"})
OSV_PAGE = "https://osv.dev/vulnerability/"
MALWARE_CWE = "CWE-506"
_QUALITATIVE = ((9.0, "critical"), (7.0, "high"), (4.0, "moderate"), (0.0, "low"))
_DATABASE_SEVERITY = {"low": "low", "moderate": "moderate", "medium": "moderate", "high": "high",
                      "critical": "critical"}
MAX_SUMMARY = 200


def osv_name(ecosystem: str, name: str) -> str:
    """A package's name as OSV queries want it (PyPI: PEP 503 normalised; others as written)."""
    if ecosystem == "pypi":
        from checker.manifests.common import canonical_pypi_name

        return canonical_pypi_name(name)
    if ecosystem == "composer":  # Composer compares vendor/name without regard to case; Packagist's are lower case
        return name.lower()
    return name


def osv_package(dep: Dependency) -> str:
    """The name OSV is asked about for a dependency: its name, except for Swift, whose OSV ecosystem (``SwiftURL``)
    names a package by its repository (``github.com/apple/swift-nio``) where lockgate names it by identity."""
    if dep.ecosystem == "swift" and dep.source.url:
        from checker.manifests.package_resolved import osv_name as swift_url

        return swift_url(dep.source.url)
    return dep.name


def _same_name(ecosystem: str, theirs: str, ours: str) -> bool:
    """Whether an OSV record's package name is ours: crates.io takes ``-`` and ``_`` for one character and ignores
    case; repository URLs (SwiftURL) ignore case and a trailing ``.git``."""
    if ecosystem == "cargo":
        return theirs.replace("-", "_").lower() == ours.replace("-", "_").lower()
    if ecosystem == "swift":
        from checker.manifests.package_resolved import osv_name as swift_url

        return swift_url(theirs).lower() == swift_url(ours).lower()
    return osv_name(ecosystem, theirs) == osv_name(ecosystem, ours)


def _same_package(package: object, ecosystem: str, name: str) -> bool:
    if not isinstance(package, Mapping):
        return False
    osv_ecosystem, their_name = package.get("ecosystem"), package.get("name")
    if not isinstance(osv_ecosystem, str) or not isinstance(their_name, str):
        return False
    if osv_ecosystem.split(":", 1)[0] != OSV_ECOSYSTEMS.get(ecosystem):
        return False
    if ecosystem in _CASE_INSENSITIVE:
        return their_name.lower() == name.lower()
    return _same_name(ecosystem, their_name, name)


def matching_entries(record: Mapping[str, Any], ecosystem: str, name: str) -> list[Mapping[str, Any]]:
    affected = record.get("affected")
    if not isinstance(affected, list):
        return []
    return [e for e in affected if isinstance(e, Mapping) and _same_package(e.get("package"), ecosystem, name)]


def advisory_for(record: Mapping[str, Any], ecosystem: str, name: str, version: str, *,
                 listed: bool = False) -> Advisory | None | Unknown:
    """The Advisory ``record`` is for ``version`` of the package, None when it does not affect it, UNKNOWN when
    lockgate cannot tell (only without ``listed``: see the module docstring)."""
    from checker.versions.osv_ranges import evaluate

    if record.get("withdrawn"):
        return None
    entries = matching_entries(record, ecosystem, name)
    matches = [evaluate(entry, version, OSV_ECOSYSTEMS[ecosystem]) for entry in entries]
    affecting = [entries[i] for i, match in enumerate(matches) if match.affected is True]
    if not affecting and not listed:
        return UNKNOWN if any(match.affected is None for match in matches) else None
    fixes = [match.fixed for match in matches if match.affected is True and match.fixed is not None]
    severity, score = severity_of(record, affecting or entries)
    return Advisory(
        id=str(record.get("id", "")), aliases=_strings(record.get("aliases")), summary=summary_of(record),
        severity=severity, score=score, fixed=_lowest(ecosystem, fixes), malicious=is_malicious(record),
        url=page_url(str(record.get("id", ""))),
    )


def page_url(advisory_id: str) -> str:
    """The advisory's page on osv.dev (the id quoted: it comes from a server, and reaches reports as a link)."""
    import urllib.parse

    return OSV_PAGE + urllib.parse.quote(advisory_id, safe="")


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _lowest(ecosystem: str, fixes: Sequence[str]) -> str | None:
    from checker.versions.osv_ranges import ordering

    if not fixes:
        return None
    key = ordering("ECOSYSTEM", OSV_ECOSYSTEMS[ecosystem]) or ordering("SEMVER", "")
    assert key is not None
    keyed = [(parsed, fix) for fix in fixes if (parsed := key(fix)) is not None]
    return min(keyed, key=lambda item: item[0])[1] if keyed else fixes[0]


def summary_of(record: Mapping[str, Any]) -> str:
    """The record's one-line summary, else the first line of its details, on one line, bounded, and without control
    characters (a record is text from a server: an ANSI escape must not reach a terminal through a report)."""
    for field in ("summary", "details"):
        text = record.get(field)
        if isinstance(text, str) and text.strip():
            line = next((part.strip() for part in text.strip().splitlines() if part.strip()), "")
            line = " ".join("".join(c for c in line if c.isprintable() or c.isspace()).split())
            return line if len(line) <= MAX_SUMMARY else line[: MAX_SUMMARY - 1] + "…"
    return ""


def cvss_score(kind: str, vector: str) -> float | None:
    """The base score of a CVSS v3.x or v4.0 vector, None when it does not parse (or is of another kind)."""
    if kind not in ("CVSS_V3", "CVSS_V4") or not isinstance(vector, str):
        return None
    from cvss import CVSS3, CVSS4  # loaded only when a record has a vector
    from cvss.exceptions import CVSSError

    try:
        calculator = CVSS3(vector) if kind == "CVSS_V3" else CVSS4(vector)
        return float(calculator.base_score)
    except (CVSSError, ValueError, KeyError, IndexError, ArithmeticError, AttributeError, TypeError):
        return None


def qualitative(score: float) -> str:
    """CVSS v3's qualitative severity of a base score, in GitHub's words (moderate for medium)."""
    return next(word for floor, word in _QUALITATIVE if score >= floor)


def severity_of(record: Mapping[str, Any], entries: Sequence[Mapping[str, Any]] = ()) -> tuple[str | Unknown, float | None]:
    """(severity, CVSS base score) of a record; see the module docstring."""
    scores = []
    for holder in (record, *entries):
        listed = holder.get("severity")
        for item in listed if isinstance(listed, list) else ():
            if isinstance(item, Mapping):
                score = cvss_score(str(item.get("type", "")), item.get("score", ""))
                if score is not None:
                    scores.append(score)
    if scores:
        best = max(scores)
        return qualitative(best), best
    for holder in (record, *entries):
        specific = holder.get("database_specific")
        word = specific.get("severity") if isinstance(specific, Mapping) else None
        if isinstance(word, str) and word.strip().lower() in _DATABASE_SEVERITY:
            return _DATABASE_SEVERITY[word.strip().lower()], None
    return UNKNOWN, None


def is_malicious(record: Mapping[str, Any]) -> bool:
    """Whether the record reports a malicious package (see the module docstring)."""
    ids = [record.get("id"), *_strings(record.get("aliases"))]
    if any(isinstance(i, str) and i.upper().startswith("MAL-") for i in ids):
        return True
    specific = record.get("database_specific")
    if isinstance(specific, Mapping):
        if specific.get("malicious-packages-origins"):
            return True
        cwes = specific.get("cwe_ids")
        if isinstance(cwes, list) and MALWARE_CWE in cwes:
            return True
    return False
