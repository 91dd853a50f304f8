"""Rendering a Report as text, json (lockgate/v1) and markdown; and hostile values through every field."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata

import pytest

from checker.model import Change, Dependency, Finding, Report, ReviewStatus
from checker.report import FORMATS, render
from checker.report.escape import code, markdown, terminal
from checker.report.json_format import SCHEMA, document
from checker.report.markdown import MARKER
from checker.report.text import describe_change, short, summary_line

BASE = "4713fe7c0d2b3a4f5e6d7c8b9a0f1e2d3c4b5a69"
SHA_OLD = "b4ffde65f46336ab88eb53be808477a3936bae11"
SHA_NEW = "11bd71901bbe5b1630ceea73d27597364c9af683"

HOSTILE = (
    "<script>alert(1)</script> [a](javascript:alert(1)) ![x](http://evil) @org/team #123 a|b\nnext\r\n"
    "</details> `tick` \x1b[31mred\x1b[0m \u202eevil\u2066 \x07\x00 \u2028end"
)
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def dep(
    name: str,
    version: str | None,
    *,
    ecosystem: str = "pypi",
    manifest: str = "requirements.txt",
    line: int | None = None,
    specifier: str | None = None,
    label: str | None = None,
    scope: str = "prod",
    direct: bool = True,
) -> Dependency:
    if specifier is None:
        specifier = f"=={version}" if version is not None else ""
    return Dependency(
        ecosystem, name, version, specifier, manifest=manifest, line=line, label=label, scope=scope, direct=direct
    )


def sample_report(value: str = "") -> Report:
    """A report touching every part of every format; ``value`` is appended to every user-controlled string."""
    v = value
    manifest = f"requirements{v}.txt"
    workflow = f".github/workflows/ci{v}.yml"
    checkout_old = dep(f"actions/checkout{v}", SHA_OLD + v, ecosystem="actions", manifest=workflow, line=14,
                       label=f"v4.1.0{v}")
    checkout_new = dep(f"actions/checkout{v}", SHA_NEW + v, ecosystem="actions", manifest=workflow, line=14,
                       label=f"v4.2.2{v}")
    litellm_old = dep(f"litellm{v}", f"1.82.6{v}", manifest=manifest, line=12)
    litellm_new = dep(f"litellm{v}", f"1.82.8{v}", manifest=manifest, line=12)
    httpx = dep(f"httpx{v}", f"0.28.1{v}", manifest=manifest, line=13, scope="dev", direct=False)
    six = dep(f"six{v}", f"1.16.0{v}", manifest=manifest, line=4)
    rich = dep(f"rich{v}", None, specifier=f">=13{v}", manifest=manifest, line=20)
    checkout = Change("source-changed", checkout_old, checkout_new, "other")
    litellm = Change("upgraded", litellm_old, litellm_new, "patch")
    added = Change("added", None, httpx)
    removed = Change("removed", six, None)
    findings = (
        Finding("deny", "block", f"litellm 1.82.8 is denied: stolen token{v}", litellm_new, litellm, manifest, 12,
                f"move off this version{v}"),
        Finding("review", "block", f"upgraded litellm needs a review{v}", litellm_new, litellm, manifest, 12,
                f"approve it{v}"),
        Finding("hash-pinning", "warn", f"the requirements file pins no hashes{v}", httpx, added, manifest, 13,
                f"generate hashes{v}", f"vendored{v} (until 2027-01-31, .github/lockgate.yml:9)"),
        Finding("registry-source", "warn", f"--trusted-host pypi.internal{v} turns off TLS verification", None, None,
                manifest, 1, f"remove --trusted-host{v}"),
        Finding("exception-expired", "warn", f"exception for deny on pypi:x expired on 2026-01-01 (r{v})",
                manifest=f".github/lockgate{v}.yml", line=9, hint=f"renew it{v}"),
        Finding("exact-pinning", "info", f"rich is a range{v}", rich, None, manifest, 20, None, unknown=True),
    )
    reviews = (
        ReviewStatus("reviewed", f"approved by alice{v}"),
        ReviewStatus("required"),
        ReviewStatus("reviewed", f"ledger .github/lockgate-reviews.yml:3 by alice{v}"),
        ReviewStatus("not-required"),
    )
    return Report(BASE + v, "a43e091" + v, (checkout, litellm, added, removed), findings, reviews, "block",
                  policy=f".github/lockgate.yml{v}", version="0.1.0")


def empty_report(verdict: str = "pass", **kwargs: object) -> Report:
    return Report("base", "head", (), (), (), verdict, policy=None, version="0.1.0", **kwargs)  # type: ignore[arg-type]


# --- escape ----------------------------------------------------------------------------------------------------


def test_terminal_escape() -> None:
    assert terminal("a\x1b[31mb\nc\td\u202ee\x00f\x9bg") == "a?[31mb c d?e?f?g"
    assert terminal("\u061c\u2028\u2029\ufeff\u200b") == "?????"
    assert terminal("ünïcode ✓ plain") == "ünïcode ✓ plain"
    assert terminal(12) == "12"


def test_markdown_escape() -> None:
    assert markdown("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert markdown('a "q" & b') == "a &quot;q&quot; &amp; b"
    assert markdown("a|b") == "a\\|b"
    assert markdown("@org/team #12") == "@\u200borg/team \\#\u200b12"
    assert markdown("[x](javascript:alert(1))") == "\\[x\\]\\(javascript&#58;alert\\(1\\)\\)"
    assert markdown("![i](https://e.org/i.png)") == "\\!\\[i\\]\\(https&#58;//e\\.org/i\\.png\\)"
    assert markdown("line\r\nnext\tcol") == "line  next col"
    assert markdown("a\x1bb\u202ec\u2028d") == "abcd"
    assert markdown("*_~`>+-") == "\\*\\_\\~\\`&gt;\\+\\-"
    assert markdown("back\\slash") == "back\\\\slash"


def test_code_escape() -> None:
    assert code("x`y|z") == "<code>x\\`y\\|z</code>"
    assert code("</code><script>") == "<code>&lt;/code&gt;&lt;script&gt;</code>"


# --- text ------------------------------------------------------------------------------------------------------


TEXT = f"""\
lockgate 0.1.0  base 4713fe7c0d2b  head a43e091  policy .github/lockgate.yml

.github/lockgate.yml
  WARN  exception-expired: line 9: exception for deny on pypi:x expired on 2026-01-01 (r)
        fix: renew it

.github/workflows/ci.yml
  + source-changed actions/checkout {SHA_OLD} (v4.1.0) -> {SHA_NEW} (v4.2.2)   reviewed (approved by alice)

requirements.txt
  x upgraded       litellm 1.82.6 -> 1.82.8 (patch)   review required
      BLOCK deny: litellm 1.82.8 is denied: stolen token
            fix: move off this version
      BLOCK review: upgraded litellm needs a review
            fix: approve it
  + added          httpx 0.28.1 [transitive] [dev]   reviewed (ledger .github/lockgate-reviews.yml:3 by alice)
      WARN  hash-pinning: the requirements file pins no hashes
            waived: vendored (until 2027-01-31, .github/lockgate.yml:9)
  + removed        six 1.16.0
  WARN  registry-source: line 1: --trusted-host pypi.internal turns off TLS verification
        fix: remove --trusted-host
  - rich >=13 (line 20)
      INFO  exact-pinning: rich is a range

BLOCKED: 2 blocking findings, 2 warnings, 1 waived (4 dependency changes)
"""


def test_text() -> None:
    assert render(sample_report(), "text") == TEXT


def test_text_in_colour() -> None:
    out = render(sample_report(), "text", color=True)
    assert out.splitlines()[0] == (
        "\x1b[1mlockgate 0.1.0\x1b[0m  base 4713fe7c0d2b  head a43e091  policy .github/lockgate.yml"
    )
    assert "  \x1b[31mx\x1b[0m upgraded       litellm 1.82.6 -> 1.82.8 (patch)   \x1b[31mreview required\x1b[0m\n" in out
    assert "  \x1b[32m+\x1b[0m removed        six 1.16.0\n" in out
    assert "      \x1b[33mWARN \x1b[0m hash-pinning: the requirements file pins no hashes\n" in out
    assert out.endswith("\x1b[31mBLOCKED\x1b[0m: 2 blocking findings, 2 warnings, 1 waived (4 dependency changes)\n")
    assert re.sub(r"\x1b\[\d+m", "", out) == TEXT


def test_describe_change() -> None:
    report = sample_report()
    assert [describe_change(c) for c in report.changes] == [
        f"actions/checkout {SHA_OLD} (v4.1.0) -> {SHA_NEW} (v4.2.2)",
        "litellm 1.82.6 -> 1.82.8 (patch)",
        "httpx 0.28.1 [transitive] [dev]",
        "six 1.16.0",
    ]
    same = Change("hashes-changed", dep("idna", "3.10"), dep("idna", "3.10"), "other")
    assert describe_change(same) == "idna 3.10"
    down = Change("downgraded", dep("urllib3", "2.2.0"), dep("urllib3", "1.26.20"), "major")
    assert describe_change(down) == "urllib3 2.2.0 -> 1.26.20 (major)"


def test_short() -> None:
    assert short(BASE) == "4713fe7c0d2b"
    assert short(BASE.upper()) == BASE.upper()
    assert short("main") == "main"
    assert short("index") == "index"


def test_summary_line() -> None:
    assert summary_line(empty_report()) == "PASSED: no findings (no dependency changes)"
    assert summary_line(empty_report(judged_all=True)) == "PASSED: no findings (all dependencies)"
    one = Report("b", "h", (Change("added", None, dep("x", "1")),), (Finding("deny", "warn", "m"),),
                 (ReviewStatus("not-required"),), "warn")
    assert summary_line(one) == "PASSED WITH WARNINGS: 1 warning (1 dependency change)"


def test_text_of_nothing() -> None:
    assert render(empty_report(), "text") == (
        "lockgate 0.1.0  base base  head head  policy -\n\nPASSED: no findings (no dependency changes)\n"
    )


def test_text_output_does_not_import_jinja2() -> None:
    script = (
        "import sys\n"
        "from checker.model import Report\n"
        "from checker.report import render\n"
        "render(Report('b', 'h', (), (), (), 'pass'), 'text')\n"
        "print('jinja2' in sys.modules, 'github' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == "False False\n"


# --- json ------------------------------------------------------------------------------------------------------


DESIGN_CHANGE_KEYS = [
    "ecosystem", "name", "manifest", "line", "kind", "from", "to", "bump", "from_label", "to_label", "scope",
    "direct", "review",
]
DESIGN_FINDING_KEYS = ["rule", "level", "ecosystem", "name", "version", "manifest", "line", "message"]


def test_json_document_shape() -> None:
    doc = json.loads(render(sample_report(), "json"))
    assert list(doc) == ["schema", "lockgate", "base", "head", "policy", "mode", "verdict", "changes", "findings"]
    assert doc["schema"] == SCHEMA == "lockgate/v1"
    assert (doc["lockgate"], doc["base"], doc["head"], doc["policy"], doc["mode"], doc["verdict"]) == (
        "0.1.0", BASE, "a43e091", ".github/lockgate.yml", "changes", "block",
    )
    for change in doc["changes"]:
        assert list(change)[: len(DESIGN_CHANGE_KEYS)] == DESIGN_CHANGE_KEYS
        assert list(change) == DESIGN_CHANGE_KEYS + ["review_evidence"]
    for finding in doc["findings"]:
        assert list(finding)[: len(DESIGN_FINDING_KEYS)] == DESIGN_FINDING_KEYS
        assert list(finding) == DESIGN_FINDING_KEYS + ["hint", "unknown", "excepted"]


def test_json_changes() -> None:
    checkout, litellm, added, removed = json.loads(render(sample_report(), "json"))["changes"]
    assert checkout == {
        "ecosystem": "actions", "name": "actions/checkout", "manifest": ".github/workflows/ci.yml", "line": 14,
        "kind": "source-changed", "from": SHA_OLD, "to": SHA_NEW, "bump": "other", "from_label": "v4.1.0",
        "to_label": "v4.2.2", "scope": "prod", "direct": True, "review": "reviewed",
        "review_evidence": "approved by alice",
    }
    assert litellm == {
        "ecosystem": "pypi", "name": "litellm", "manifest": "requirements.txt", "line": 12, "kind": "upgraded",
        "from": "1.82.6", "to": "1.82.8", "bump": "patch", "from_label": None, "to_label": None, "scope": "prod",
        "direct": True, "review": "required", "review_evidence": None,
    }
    assert (added["from"], added["to"], added["bump"], added["scope"], added["direct"], added["review"]) == (
        None, "0.28.1", None, "dev", False, "reviewed",
    )
    assert (removed["from"], removed["to"], removed["line"], removed["review"]) == ("1.16.0", None, 4, "not-required")


def test_json_findings() -> None:
    deny, review, hashes, index, expired, pinning = json.loads(render(sample_report(), "json"))["findings"]
    assert deny == {
        "rule": "deny", "level": "block", "ecosystem": "pypi", "name": "litellm", "version": "1.82.8",
        "manifest": "requirements.txt", "line": 12, "message": "litellm 1.82.8 is denied: stolen token",
        "hint": "move off this version", "unknown": False, "excepted": None,
    }
    assert hashes["excepted"] == "vendored (until 2027-01-31, .github/lockgate.yml:9)"
    assert (index["ecosystem"], index["name"], index["version"], index["line"]) == (None, None, None, 1)
    assert (expired["manifest"], expired["line"], expired["name"]) == (".github/lockgate.yml", 9, None)
    assert (pinning["version"], pinning["unknown"], pinning["hint"]) == (">=13", True, None)
    assert review["rule"] == "review"


def test_json_of_a_baseline() -> None:
    doc = document(empty_report(judged_all=True))
    assert (doc["mode"], doc["policy"], doc["changes"], doc["findings"]) == ("all", None, [], [])


# --- markdown --------------------------------------------------------------------------------------------------


MARKDOWN = f"""\
{MARKER}
### \u274c lockgate: Blocked

BLOCKED&#58; 2 blocking findings, 2 warnings, 1 waived \\(4 dependency changes\\)

| | Manifest | Change | Kind | Review |
|---|---|---|---|---|
| \u2705 | <code>\\.github/workflows/ci\\.yml</code> | actions/checkout {SHA_OLD} \\(v4\\.1\\.0\\) \\-&gt; {SHA_NEW} \\(v4\\.2\\.2\\) | source\\-changed | reviewed&#58; approved by alice |
| \u274c | <code>requirements\\.txt</code> | litellm 1\\.82\\.6 \\-&gt; 1\\.82\\.8 \\(patch\\) | upgraded | required |
| \u2705 | <code>requirements\\.txt</code> | httpx 0\\.28\\.1 \\[transitive\\] \\[dev\\] | added | reviewed&#58; ledger \\.github/lockgate\\-reviews\\.yml&#58;3 by alice |
| \u2705 | <code>requirements\\.txt</code> | six 1\\.16\\.0 | removed | not\\-required |

<details><summary>\u274c litellm 1\\.82\\.6 \\-&gt; 1\\.82\\.8 \\(patch\\)</summary>

- **block** <code>deny</code>: litellm 1\\.82\\.8 is denied&#58; stolen token<br>Fix: move off this version
- **block** <code>review</code>: upgraded litellm needs a review<br>Fix: approve it
</details>

<details><summary>\u2705 httpx 0\\.28\\.1 \\[transitive\\] \\[dev\\]</summary>

- **warn** <code>hash\\-pinning</code>: the requirements file pins no hashes _(waived: vendored \\(until 2027\\-01\\-31, \\.github/lockgate\\.yml&#58;9\\))_
</details>

<details><summary>Other findings (3)</summary>

- <code>requirements\\.txt&#58;1</code> **warn** <code>registry\\-source</code>: \\-\\-trusted\\-host pypi\\.internal turns off TLS verification<br>Fix: remove \\-\\-trusted\\-host
- <code>\\.github/lockgate\\.yml&#58;9</code> **warn** <code>exception\\-expired</code>: exception for deny on pypi&#58;x expired on 2026\\-01\\-01 \\(r\\)<br>Fix: renew it
- <code>requirements\\.txt&#58;20</code> **info** <code>exact\\-pinning</code>: rich &gt;=13: rich is a range
</details>

<sub>lockgate 0\\.1\\.0 · policy <code>\\.github/lockgate\\.yml</code> · base <code>4713fe7c0d2b</code> · head <code>a43e091</code></sub>
"""


def test_markdown() -> None:
    assert render(sample_report(), "markdown") == MARKDOWN


def test_markdown_of_nothing() -> None:
    assert render(empty_report(), "markdown") == (
        f"{MARKER}\n### \u2705 lockgate: Passes\n\nPASSED&#58; no findings \\(no dependency changes\\)\n\n"
        "No dependency changes.\n"
        "<sub>lockgate 0\\.1\\.0 · policy <code>\\-</code> · base <code>base</code> · head <code>head</code></sub>\n"
    )


def test_markdown_headline_for_warnings() -> None:
    out = render(empty_report("warn"), "markdown")
    assert out.splitlines()[1] == "### \u26a0\ufe0f lockgate: Passes with warnings"


def test_formats() -> None:
    assert FORMATS == ("text", "json", "markdown", "sarif", "github")


# --- hostile values --------------------------------------------------------------------------------------------


def _table_rows(md: str) -> list[str]:
    lines = md.split("\n")
    start = lines.index("|---|---|---|---|---|") + 1
    end = lines.index("", start)
    return lines[start:end]


def test_hostile_values_in_markdown() -> None:
    report = sample_report(HOSTILE)
    md = render(report, "markdown")
    assert "<script" not in md.lower()
    assert "](" not in md
    assert "![" not in md
    assert "javascript:" not in md
    assert re.search(r"@\w", md) is None
    assert "#123" not in md
    assert re.search(r"(?<!\\)`", md) is None
    assert md.count("</details>") == md.count("<details>") == 3  # the template's own blocks only
    assert "\x1b" not in md and "\r" not in md and not (BIDI & set(md))
    assert "\u2028" not in md
    assert all(unicodedata.category(c) != "Cc" for c in md if c != "\n")
    rows = _table_rows(md)
    assert len(rows) == len(report.changes)  # no value broke a row in two
    for row in rows:
        assert row.startswith("| ") and row.endswith(" |")
        assert len(re.findall(r"(?<!\\)\|", row)) == 6  # only the template's cell borders
    assert md.count("\n") == render(sample_report(), "markdown").count("\n")


def test_hostile_values_reach_markdown_as_literal_text() -> None:
    md = render(sample_report(HOSTILE), "markdown")
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in md
    assert "@\u200borg/team \\#\u200b123 a\\|b next  &lt;/details&gt; \\`tick\\`" in md


def test_hostile_values_in_text() -> None:
    text = render(sample_report(HOSTILE), "text")
    assert all(unicodedata.category(c) != "Cc" for c in text if c != "\n")
    assert not (BIDI & set(text))
    assert "\u2028" not in text
    assert text.count("\n") == TEXT.count("\n")  # a newline in a value does not start a line
    assert "<script>alert(1)</script> [a](javascript:alert(1))" in text  # plain text for a terminal: shown as is
    assert "?[31mred?[0m ?evil? ?? ?end" in text


def test_hostile_values_in_coloured_text() -> None:
    text = render(sample_report(HOSTILE), "text", color=True)
    painted = re.sub(r"\x1b\[(?:0|1|2|31|32|33|36)m", "", text)
    assert "\x1b" not in painted
    assert painted == render(sample_report(HOSTILE), "text")


def test_hostile_values_survive_json_unchanged() -> None:
    doc = json.loads(render(sample_report(HOSTILE), "json"))
    checkout, litellm = doc["changes"][0], doc["changes"][1]
    assert checkout["name"] == f"actions/checkout{HOSTILE}"
    assert checkout["from_label"] == f"v4.1.0{HOSTILE}"
    assert litellm["to"] == f"1.82.8{HOSTILE}"
    assert litellm["manifest"] == f"requirements{HOSTILE}.txt"
    assert doc["findings"][0]["message"] == f"litellm 1.82.8 is denied: stolen token{HOSTILE}"
    assert doc["findings"][0]["hint"] == f"move off this version{HOSTILE}"
    assert (doc["base"], doc["policy"]) == (BASE + HOSTILE, f".github/lockgate.yml{HOSTILE}")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_every_hostile_field_is_escaped(fmt: str) -> None:
    """Each field on its own: a value that reaches the output unescaped would leave a raw marker behind."""
    marker = "\x1b[31m<script>\n"
    out = render(sample_report(marker), fmt)
    assert "\x1b" not in out
    if fmt == "markdown":
        assert "<script>" not in out
    assert out.count("\n") == render(sample_report(), fmt).count("\n")
