"""Rendering a Report as text, json (lockgate/v1) and markdown; and hostile values through every field."""

from __future__ import annotations

import json
import re
import subprocess
import sys


from checker.model import Change, Dependency, Finding, Report, ReviewStatus
from checker.report import FORMATS, render
from checker.report.escape import code, html, html_code, link, link_code, markdown, terminal, trusted
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
    assert markdown("@org/team #12") == "<code><wbr>&#64;org/team</code> <code>\\#12</code>"
    assert markdown("[x](javascript:alert(1))") == "\\[x\\]\\(javascript&#58;alert\\(1\\)\\)"
    assert markdown("![i](https://e.org/i.png)") == "\\!\\[i\\]\\(https&#58;//e\\.org/i\\.png\\)"
    assert markdown("line\r\nnext\tcol") == "line  next col"
    assert markdown("a\x1bb\u202ec\u2028d") == "abcd"
    assert markdown("*_~`>+-") == "\\*\\_\\~\\`&gt;\\+\\-"
    assert markdown("back\\slash") == "back\\\\slash"


def test_code_escape() -> None:
    assert code("x`y|z") == "<code>x\\`y\\|z</code>"
    assert code("</code><script>") == "<code>&lt;/code&gt;&lt;script&gt;</code>"


def test_github_references_are_defused() -> None:
    assert markdown("see GH-123 and gh-7") == "see <code>GH\\-123</code> and <code>gh\\-7</code>"
    assert markdown("high-level GH-x") == "high\\-level GH\\-x"  # only GH- before a number links
    assert markdown("a@b.example") == "<code>a<wbr>&#64;b\\.example</code>"  # no mailto autolink (cmark-gfm decodes &#64;)


def test_nothing_invisible_is_added_to_what_a_reader_copies() -> None:
    """A command copied from the comment must paste as itself: a zero-width space after the @ of npm:@scope/pkg
    made `lockgate review` write a ledger entry that never matched."""
    command = 'lockgate review npm:@scope/pkg 1.0.0 1.0.1 --reason "…"'
    for rendered in (code(command), html_code(command), markdown(command), html(command)):
        assert "\u200b" not in rendered and "@" not in rendered  # the @ is an entity: it renders, and is copied, as @
    assert code(command) == "<code>lockgate review npm&#58;<wbr>&#64;scope/pkg 1\\.0\\.0 1\\.0\\.1 \\-\\-reason &quot;…&quot;</code>"


def test_html_escape_for_summary_lines() -> None:
    """Inside a raw HTML block GitHub parses no Markdown: entities only, no backslashes that would show."""
    assert html("a</summary></details><b>x</b>") == "a&lt;/summary&gt;&lt;/details&gt;&lt;b&gt;x&lt;/b&gt;"
    # Markdown's characters as entities: they display the same, and parse as nothing
    assert html("1.82.8 [x](y) *z* `c` \\ |") == "1.82.8 &#91;x&#93;&#40;y&#41; &#42;z&#42; &#96;c&#96; &#92; &#124;"
    assert html("@org #1 GH-2 https://e.org 'q' \"d\"") == (
        "<code>&#64;org</code> <code>#1</code> <code>GH-2</code> https&#58;//e.org &apos;q&apos; &quot;d&quot;"
    )
    assert html("line\nbreak\x1b[31m\u202e") == "line break&#91;31m"
    assert html_code("`x`") == "<code>&#96;x&#96;</code>"


def test_links_only_to_urls_lockgate_builds() -> None:
    assert link("litellm", "https://pypi.org/project/litellm/") == "[litellm](https://pypi.org/project/litellm/)"
    assert link_code("a|b", "https://www.npmjs.com/package/@scope/x") == (
        "[<code>a\\|b</code>](https://www.npmjs.com/package/@scope/x)"
    )
    for bad in ("javascript:alert(1)", "http://pypi.org/x", "https://e.org/a)b", "https://e.org/a b",
                "https://e.org/<x>", "https://e.org/\"x", "https://E.ORG/x", None, ""):
        assert link("t", bad) == "t"  # text only, never a link
    assert link("[x](y)", None) == "\\[x\\]\\(y\\)"


def test_trusted_prose_keeps_its_code_spans_and_nothing_else() -> None:
    assert trusted("use `a|b` or <b>x</b> [l](u)") == "use <code>a\\|b</code> or &lt;b&gt;x&lt;/b&gt; \\[l\\]\\(u\\)"


# --- text ------------------------------------------------------------------------------------------------------


TEXT = f"""\
lockgate 0.1.0  base 4713fe7c0d2b  head a43e091  policy .github/lockgate.yml

requirements.txt
  x upgraded       litellm 1.82.6 -> 1.82.8 (patch)   review required
      BLOCK deny: litellm 1.82.8 is denied: stolen token
            fix: move off this version
      BLOCK review: upgraded litellm needs a review
            fix: approve it
  + added          httpx 0.28.1 [transitive] [dev]   reviewed (ledger .github/lockgate-reviews.yml:3 by alice)
      WARN  hash-pinning: the requirements file pins no hashes
            waived: vendored (until 2027-01-31, .github/lockgate.yml:9)
  - removed        six 1.16.0
  WARN  registry-source: line 1: --trusted-host pypi.internal turns off TLS verification
        fix: remove --trusted-host

.github/lockgate.yml
  WARN  exception-expired: line 9: exception for deny on pypi:x expired on 2026-01-01 (r)
        fix: renew it

.github/workflows/ci.yml
  ✓ source-changed actions/checkout {SHA_OLD} (v4.1.0) -> {SHA_NEW} (v4.2.2)   reviewed (approved by alice)

Not checked
  INFO  the facts it needs were not available: 1 check (exact-pinning) could not be made for rich

BLOCKED: 1 of 4 dependency changes blocked · 2 blocking findings · 2 warnings · 1 waived
"""


def test_text() -> None:
    assert render(sample_report(), "text") == TEXT


def test_text_in_colour() -> None:
    out = render(sample_report(), "text", color=True)
    assert out.splitlines()[0] == (
        "\x1b[1mlockgate 0.1.0\x1b[0m  base 4713fe7c0d2b  head a43e091  policy .github/lockgate.yml"
    )
    assert "  \x1b[31mx\x1b[0m upgraded       litellm 1.82.6 -> 1.82.8 (patch)   \x1b[31mreview required\x1b[0m\n" in out
    assert "  \x1b[32m-\x1b[0m removed        six 1.16.0\n" in out
    assert "            \x1b[1mfix:\x1b[0m move off this version\n" in out  # the fix is not dimmed
    assert "      \x1b[33mWARN \x1b[0m hash-pinning: the requirements file pins no hashes\n" in out
    assert out.endswith("\x1b[31mBLOCKED\x1b[0m: 1 of 4 dependency changes blocked · 2 blocking findings · 2 warnings · "
                        "1 waived\n")
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
    assert summary_line(empty_report()) == "PASSED: no dependency changes · no findings"
    assert summary_line(empty_report(judged_all=True)) == "PASSED: all dependencies judged · no findings"
    one = Report("b", "h", (Change("added", None, dep("x", "1")),), (Finding("deny", "warn", "m"),),
                 (ReviewStatus("not-required"),), "warn")
    assert summary_line(one) == "PASSED WITH WARNINGS: 1 dependency change · 1 warning"


def test_text_of_nothing() -> None:
    assert render(empty_report(), "text") == (
        "lockgate 0.1.0  base base  head head  policy -\n\nPASSED: no dependency changes · no findings\n"
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
    with_facts = (  # registry facts add a line per change, through the risk summary: still no jinja2
        "import sys\n"
        "from checker.model import Change, Dependency, Facts, Report, ReviewStatus\n"
        "from checker.report import render\n"
        "d = Dependency('pypi', 'a', '1', '==1', manifest='requirements.txt')\n"
        "r = Report('b', 'h', (Change('added', None, d),), (), (ReviewStatus('required'),), 'pass',\n"
        "           facts=(Facts('pypi', 'a', '1', reason='offline'),))\n"
        "out = render(r, 'text')\n"
        "print('jinja2' in sys.modules, 'github' in sys.modules, 'registry: release time unknown' in out)\n"
    )
    done = subprocess.run([sys.executable, "-c", with_facts], capture_output=True, text=True, check=True)
    assert done.stdout == "False False True\n"


# --- json ------------------------------------------------------------------------------------------------------


DESIGN_CHANGE_KEYS = [
    "ecosystem", "name", "manifest", "line", "kind", "from", "to", "bump", "from_label", "to_label", "scope",
    "direct", "review",
]
DESIGN_FINDING_KEYS = ["rule", "level", "ecosystem", "name", "version", "manifest", "line", "message"]


def test_json_document_shape() -> None:
    doc = json.loads(render(sample_report(), "json"))
    assert list(doc) == ["schema", "lockgate", "base", "head", "policy", "mode", "verdict", "changes", "findings",
                         "facts"]
    assert doc["schema"] == SCHEMA == "lockgate/v1"
    assert (doc["lockgate"], doc["base"], doc["head"], doc["policy"], doc["mode"], doc["verdict"]) == (
        "0.1.0", BASE, "a43e091", ".github/lockgate.yml", "changes", "block",
    )
    for change in doc["changes"]:
        assert list(change)[: len(DESIGN_CHANGE_KEYS)] == DESIGN_CHANGE_KEYS
        assert list(change) == DESIGN_CHANGE_KEYS + ["review_evidence"]
    for finding in doc["findings"]:
        assert list(finding)[: len(DESIGN_FINDING_KEYS)] == DESIGN_FINDING_KEYS
        assert list(finding) == DESIGN_FINDING_KEYS + ["hint", "unknown", "excepted", "advisory", "cause"]


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
        "hint": "move off this version", "unknown": False, "excepted": None, "advisory": None, "cause": None,
    }
    assert hashes["excepted"] == "vendored (until 2027-01-31, .github/lockgate.yml:9)"
    assert (index["ecosystem"], index["name"], index["version"], index["line"]) == (None, None, None, 1)
    assert (expired["manifest"], expired["line"], expired["name"]) == (".github/lockgate.yml", 9, None)
    assert (pinning["version"], pinning["unknown"], pinning["hint"]) == (">=13", True, None)
    assert review["rule"] == "review"


def test_json_of_a_baseline() -> None:
    doc = document(empty_report(judged_all=True))
    assert (doc["mode"], doc["policy"], doc["changes"], doc["findings"]) == ("all", None, [], [])


# --- markdown ----------------------------------------------------------------------------------------------------


TABLE_HEAD = "| Risk | Package | Change | Age | Why |\n|---|---|---|---|---|\n"


def test_markdown_opens_with_the_verdict_and_what_unblocks_it() -> None:
    md = render(sample_report(), "markdown")
    assert md.startswith(
        f"{MARKER}\n"
        "### \u274c lockgate: Blocked · 1 of 4 dependency changes blocked · 2 blocking findings · 2 warnings · 1 waived\n"
        "\n"
        "**What unblocks this**\n"
        "- \u274c <b>litellm</b> <code>1\\.82\\.6</code> \u2192 <code>1\\.82\\.8</code> patch in "
        "<code>requirements\\.txt&#58;12</code>: **Move off this version**: litellm 1\\.82\\.8 is denied&#58; stolen "
        "token&#58; move off this version <sub>(the other reasons are folded in its details)</sub>\n"
        "\n"
        "**Not checked**\n"
    )


def test_markdown_tables_group_by_manifest_riskiest_first() -> None:
    md = render(sample_report(), "markdown")
    requirements = (
        "#### <code>requirements\\.txt</code> · PyPI\n\n" + TABLE_HEAD
        + "| \U0001f534 | [<code>litellm</code>](https://pypi.org/project/litellm/) | <code>1\\.82\\.6</code> \u2192 "
        "<code>1\\.82\\.8</code> patch | unknown | \u274c known\\-bad release <sub>+1 more</sub> |\n"
        "| \U0001f7e2 | [<code>httpx</code>](https://pypi.org/project/httpx/) <sub>transitive, dev</sub> | "
        "new \u2192 <code>0\\.28\\.1</code> | unknown | \u2705 reviewed |\n"
        "| \u26aa | [<code>six</code>](https://pypi.org/project/six/) | <code>1\\.16\\.0</code> \u2192 removed | \u2014 | \u2014 |\n"
    )
    workflow = (
        "#### <code>\\.github/workflows/ci\\.yml</code> · GitHub Actions\n\n" + TABLE_HEAD
        + "| \U0001f7e2 | [<code>actions/checkout</code>](https://github.com/actions/checkout) | "
        "<code>b4ffde65f463</code> (v4\\.1\\.0) \u2192 <code>11bd71901bbe</code> (v4\\.2\\.2) | \u2014 | \u2705 reviewed |\n"
    )
    assert requirements in md and workflow in md
    assert md.index(requirements) < md.index(workflow)  # the manifest of the riskiest change first


def _summaries(md: str) -> list[str]:
    return re.findall(r"<details><summary>(.*)</summary>", md)


def test_markdown_details_per_change_open_with_the_fix_and_the_evidence() -> None:
    from checker.rules import all_rules

    md = render(sample_report(), "markdown")
    assert _summaries(md) == [
        "\u274c <b>litellm</b> 1.82.6 \u2192 1.82.8 \u2014 known-bad release",
        "1 more reason (review), secondary to this verdict",
        "\u2796 <b>httpx</b> 0.28.1 &#40;new&#41; \u2014 no hash",
        "\u26a0\ufe0f <b>requirements.txt&#58;1</b> \u2014 warn: --trusted-host pypi.internal turns off TLS verification",
        "\u26a0\ufe0f <b>.github/lockgate.yml&#58;9</b> \u2014 warn: exception for deny on pypi&#58;x expired on 2026-01-01 "
        "&#40;r&#41;",
    ]
    deny = md[md.index("<details><summary>\u274c <b>litellm</b>"):]
    assert deny.index("**Fix**: move off this version\n\n**Evidence**\n") < deny.index("[PyPI page]")
    assert ("- \u274c [deny](https://github.com/lockgate/lockgate/blob/v0.1.0/docs/rules/deny.md): litellm 1\\.82\\.8 is "
            "denied&#58; stolen token\n"
            "- PyPI · registry&#58; not asked \\(unknown\\) · hashes: missing · from <code>1\\.82\\.6</code> to "
            "<code>1\\.82\\.8</code> · at <code>requirements\\.txt&#58;12</code>\n") in deny
    # the rule's general explanation is one line with its page, not repeated per finding
    assert md.count("Versions that must never be installed") == 1
    assert all_rules()["deny"].explanation[:60] not in md
    assert "_waived: vendored \\(until 2027\\-01\\-31, \\.github/lockgate\\.yml&#58;9\\)_" in md
    assert "#### Other findings (2)\n" in md  # the unknown one is in "Not checked"
    assert "- \u2139\ufe0f the facts it needs were not available&#58; 1 check \\(exact\\-pinning\\) could not be made " \
           "for rich" in md


def escape_trusted(text: str) -> str:
    from checker.report.escape import trusted

    return trusted(text)


def test_markdown_of_nothing() -> None:
    assert render(empty_report(), "markdown") == (
        f"{MARKER}\n### \u2705 lockgate: Passes · no dependency changes · no findings\n\n"
        "No dependency changes.\n\n"
        "<sub>lockgate 0\\.1\\.0 · policy <code>\\-</code> · head <code>head</code> · base <code>base</code></sub>\n"
    )


def test_markdown_headline_for_warnings() -> None:
    out = render(empty_report("warn"), "markdown")
    assert out.splitlines()[1] == "### \u26a0\ufe0f lockgate: Passes with warnings · no dependency changes · no findings"


def test_formats() -> None:
    assert FORMATS == ("text", "json", "markdown", "sarif", "github")


# Hostile values through every field of every format: tests/report/test_hostile.py.


# --- text: unknowns folded, one line per cause ------------------------------------------------------------------


def _offline_change() -> tuple[Change, tuple[Finding, ...]]:
    before, after = dep("anyio", "4.14.0", manifest="uv.lock"), dep("anyio", "4.14.1", manifest="uv.lock")
    change = Change("upgraded", before, after, bump="patch")
    cause = "offline, not cached: https://pypi.org/simple/anyio/"

    def unknown(rule: str, hint: str, why: str = cause) -> Finding:
        return Finding(rule, "warn", f"{rule}: unknown ({why})", after, change, "uv.lock", None, hint, unknown=True,
                       cause=why)

    osv_hint = "run where OSV can be reached, or `lockgate db sync` for offline runs"
    return change, (
        Finding("review", "block", "upgraded anyio needs a review", after, change, "uv.lock", None, "approve it"),
        unknown("release-age", "run where the registry can be reached"),
        unknown("hash-mismatch", "run where the registry can be reached"),
        unknown("version-exists", "run where the registry can be reached"),
        unknown("vulnerability", osv_hint, "offline: OSV was not asked"),
        unknown("malicious", osv_hint, "offline: OSV was not asked"),
    )


def test_text_folds_the_unknowns_into_one_line_per_cause_after_the_manifests() -> None:
    """Offline, every registry rule reports the same missing answer; text says it once per cause, after the
    manifests, and keeps the findings that matter under their change. JSON keeps every finding."""
    from checker.model import Facts

    change, findings = _offline_change()
    facts = (Facts("pypi", "anyio", "4.14.1", reason="offline, not cached: https://pypi.org/simple/anyio/"),)
    report = Report("base", "head", (change,), findings, (ReviewStatus("required"),), "block", facts=facts)
    text = render(report, "text")
    assert text.endswith(
        "uv.lock\n"
        "  x upgraded       anyio 4.14.0 -> 4.14.1 (patch)   review required\n"
        "      registry: release time unknown, provenance unknown — offline, not cached: https://pypi.org/simple/anyio/\n"
        "      BLOCK review: upgraded anyio needs a review\n"
        "            fix: approve it\n"
        "\n"
        "Not checked\n"
        "  WARN  offline, not cached: pypi.org: 3 checks (hash-mismatch, release-age, version-exists) could not be "
        "made for anyio\n"
        "        fix: run where the registry can be reached\n"
        "  WARN  offline: OSV was not asked: 2 checks (malicious, vulnerability) could not be made for anyio\n"
        "        fix: run where OSV can be reached, or `lockgate db sync` for offline runs\n"
        "\n"
        "BLOCKED: 1 of 1 dependency change blocked · 1 blocking finding · 5 warnings\n"), text
    assert [f["rule"] for f in json.loads(render(report, "json"))["findings"]] == [f.rule for f in findings]


def test_a_change_whose_only_findings_are_unknown_keeps_its_line_and_a_waived_unknown_stays_under_it() -> None:
    change, findings = _offline_change()
    waived = findings[1]._replace(excepted_by="we run offline on purpose")
    report = Report("base", "head", (change,), (waived, *findings[2:]), (ReviewStatus("not-required"),), "warn")
    text = render(report, "text")
    assert "  ! upgraded       anyio 4.14.0 -> 4.14.1 (patch)\n" in text
    assert ("      WARN  release-age: release-age: unknown (offline, not cached: https://pypi.org/simple/anyio/)\n"
            "            waived: we run offline on purpose\n") in text
    assert "2 checks (hash-mismatch, version-exists)" in text


def test_unknowns_of_untouched_dependencies_fold_and_their_manifest_is_not_printed_empty() -> None:
    """``check --all`` offline: 1,000 dependencies, 8 unknowns each, 2 real findings: those and two lines."""
    findings = []
    for i in range(1000):
        d = dep(f"pkg-{i}", "1.0", ecosystem="npm", manifest="package-lock.json", line=i + 2)
        for rule in ("release-age", "version-exists", "hash-mismatch", "artifact-content", "source-tag",
                     "provenance-downgrade"):
            findings.append(Finding(rule, "warn", "unknown", d, None, "package-lock.json", i + 2,
                                    "run where the registry can be reached", unknown=True,
                                    cause=f"offline, not cached: https://registry.npmjs.org/pkg-{i}"))
        if i in (7, 700):
            findings.append(Finding("install-scripts", "warn", f"pkg-{i} runs an install script", d, None,
                                    "package-lock.json", i + 2, "read it"))
    only_unknown = dep("lonely", "1.0", manifest="requirements.txt", line=1)
    findings.append(Finding("release-age", "warn", "unknown", only_unknown, None, "requirements.txt", 1, None,
                            unknown=True, cause="offline, not cached: https://pypi.org/simple/lonely/"))
    report = Report("base", "head", (), tuple(findings), (), "warn", judged_all=True)
    text = render(report, "text")
    lines = text.splitlines()
    assert len(lines) < 20, text
    assert "  · pkg-7 1.0 (line 9)\n      WARN  install-scripts: pkg-7 runs an install script\n" in text
    assert "requirements.txt" not in lines  # its only finding is in the Not checked lines
    assert ("  WARN  offline, not cached: registry.npmjs.org: 6,000 checks (artifact-content, hash-mismatch, "
            "provenance-downgrade, release-age, source-tag, version-exists) could not be made for 1,000 packages "
            "(pkg-0, pkg-1, pkg-2, …)") in lines
    assert lines[-1] == "PASSED WITH WARNINGS: all dependencies judged · 6,003 warnings"


# --- text: wrapping -------------------------------------------------------------------------------------------


def _fits(line: str, width: int) -> bool:
    """Within the width, or over it only because of a token that could not fit any line (it is never split)."""
    from checker.report.wrap import cells

    return cells(line) <= width or any(cells(token) > width - 20 for token in line.split())


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[\d+m", "", text)


def test_text_wraps_with_a_hanging_indent_at_60_and_100_columns() -> None:
    from checker.report.wrap import cells

    report = sample_report()
    for width in (60, 100):
        out = render(report, "text", width=width)
        for line in out.splitlines():
            assert _fits(line, width), line
        # the same words as unwrapped, only the breaks differ
        assert out.split() == TEXT.split()
    out = render(report, "text", width=60)
    assert ("  WARN  registry-source: line 1: --trusted-host\n"
            "        pypi.internal turns off TLS verification\n"
            "        fix: remove --trusted-host\n") in out  # continuations under the message, not the level word
    assert ("  x upgraded       litellm 1.82.6 -> 1.82.8 (patch)   review\n" not in out
            and "\n                   review required\n" in out)  # "review required" moves whole
    assert "BLOCKED: 1 of 4 dependency changes blocked · 2 blocking\n         findings · 2 warnings · 1 waived\n" in out
    assert not any(line.endswith(" ") for line in out.splitlines())


def test_wrapping_never_breaks_a_url_or_a_name_at_version() -> None:
    url = "https://inspector.pypi.io/project/litellm/1.82.8/packages/d2/ca/" + "ab" * 40 + "/litellm_init.pth"
    finding = Finding("artifact-content", "block", f"litellm@1.82.8 adds litellm_init.pth ({url}); it runs at start-up",
                      hint=f"read {url} before merging @scope/name@1.2.3-rc.1+build.5")
    report = Report("b", "h", (), (finding,), (), "block", version="0.1.0")
    out = render(report, "text", width=60)
    lines = out.splitlines()
    assert url in out and "litellm@1.82.8" in out and "@scope/name@1.2.3-rc.1+build.5" in out
    # a token wider than the room: whole and alone on its line, at the hanging indent
    assert f"        ({url});" in lines
    assert f"             {url}" in lines  # the fix's
    assert out.split() == render(report, "text").split()


def test_wrapping_in_colour_breaks_where_plain_text_does() -> None:
    for width in (60, 100):
        plain = render(sample_report(), "text", width=width)
        coloured = render(sample_report(), "text", color=True, width=width)
        assert coloured != plain and _plain(coloured) == plain
        # every colour closes on the line it opened on
        for line in coloured.splitlines():
            assert line.count("\x1b[0m") == len(re.findall(r"\x1b\[(?!0m)\d+m", line)), line
    coloured = render(sample_report(), "text", color=True, width=60)
    assert "            \x1b[1mfix:\x1b[0m move off this version\n" in coloured  # the fix is bold, not dimmed
    assert "\x1b[2m" not in coloured.split("fix:")[1].split("\n")[0]


def test_wide_characters_count_two_cells() -> None:
    from checker.report.wrap import cells, hanging

    assert cells("漢字") == 4 and cells("✓ ·") == 3 and cells("e\u0301") == 1 and cells("\x1b[31mBLOCK\x1b[0m") == 5
    wrapped = hanging("  ", "漢字漢字 " * 10, 20, indent=2)
    assert all(cells(line) <= 20 for line in wrapped) and len(wrapped) == 5
    name = "漢字" * 8 + "\x1b[31m"  # hostile: wide and with an escape
    finding = Finding("deny", "block", f"{name}@1.0 is denied", dep(name, "1.0"), None, "requirements.txt", 3, "x")
    out = render(Report("b", "h", (), (finding,), (), "block", version="0.1.0"), "text", width=40)
    assert "\x1b" not in out and "漢字" * 8 + "?[31m@1.0" in out
    assert all(_fits(line, 40) for line in out.splitlines())


def test_no_width_no_wrapping() -> None:
    assert render(sample_report(), "text") == TEXT
    assert render(sample_report(), "text", width=None) == TEXT


# --- the closing line says what the comment's headline says ----------------------------------------------------


def _headline(report: Report) -> str:
    from checker.report.risk import headline_counts, summarize

    return headline_counts(summarize(report))


def _markdown_headline(report: Report) -> str:
    import html as html_module

    first = render(report, "markdown").splitlines()[1]
    return html_module.unescape(first.split(" · ", 1)[1]).replace("\\", "")


def test_the_closing_line_has_the_comments_counts() -> None:
    from checker.demo.example import demo_report
    from checker.report.text import render_unchanged

    reports = {
        "demo": demo_report(),
        "sample": sample_report(),
        "nothing": empty_report(),
        "all": sample_report()._replace(changes=(), reviews=(), judged_all=True),
        "warn": empty_report("warn"),
    }
    words = {"block": "BLOCKED", "warn": "PASSED WITH WARNINGS", "pass": "PASSED"}
    for name, report in reports.items():
        counts = _headline(report)
        assert render(report, "text").splitlines()[-1] == f"{words[report.verdict]}: {counts}", name
        assert summary_line(report) == f"{words[report.verdict]}: {counts}", name
        assert _markdown_headline(report) == counts, name
    assert _headline(reports["demo"]) == ("3 of 4 dependency changes blocked · 7 blocking findings · 4 warnings · "
                                          "1 vulnerable change: 1 moderate")
    # the fast path renders without a Report (and without the risk summary): the same words
    assert render_unchanged("0.1.0", "base", "head") == render(empty_report(), "text")


def test_the_hooks_output_has_the_comments_counts() -> None:
    report = sample_report()
    out = render(report, "compact")
    assert out.splitlines()[0] == (f"lockgate: blocked: {_headline(report)} (policy .github/lockgate.yml; details: "
                                   "lockgate check --staged)")
    passing = Report("b", "h", (Change("added", None, dep("x", "1")),), (Finding("deny", "warn", "m"),),
                     (ReviewStatus("not-required"),), "warn")
    assert render(passing, "compact") == (
        f"lockgate: passed: {_headline(passing)} (details: lockgate check --staged)\n")
    assert render(empty_report(), "compact") == f"lockgate: passed: {_headline(empty_report())}\n"
    narrow = render(report, "compact", width=60)
    assert narrow.split() == out.split() and max(len(line) for line in narrow.splitlines()) <= 60


def test_hostile_values_in_the_folded_lines_are_escaped_in_text_and_the_hook() -> None:
    """The cause comes from a registry's answer (a reason phrase, a URL) and the names from a manifest: the folded
    lines escape them as every other line does, wrapped or not."""
    evil = "\x1b[2J\u202eevil\u2066"
    d = dep(f"pkg{evil}", "1.0", manifest="requirements.txt", line=1)
    change = Change("added", None, d)
    findings = tuple(
        Finding(rule, "block", "unknown", d, change, "requirements.txt", 1, f"retry{evil}", unknown=True,
                cause=f"HTTP 503 {evil} from https://pypi.org/simple/pkg{evil}/")
        for rule in ("release-age", "version-exists"))
    report = Report("b", "h", (change,), findings, (ReviewStatus("not-required"),), "block", version="0.1.0")
    for fmt in ("text", "compact"):
        for width in (None, 40):
            out = render(report, fmt, width=width)
            assert "\x1b" not in out and not BIDI & set(out), (fmt, width)
            assert "HTTP 503 ?[2J?evil?" in out and "2 checks (release-age, version-exists)" in " ".join(out.split())


def test_a_snippet_in_backticks_stays_on_one_line_when_it_fits() -> None:
    from checker.report.wrap import hanging

    body = ("keep the commit the base branch pins (`uses: acme/act@" + "a" * 40 + "  # 0.28.0`), or pin the commit of "
            "0.33.1 once checked: `uses: acme/act@<40-hex sha>  # 0.33.1`")
    lines = hanging("fix: ", body, 80)
    assert "(`uses: acme/act@" + "a" * 40 + "  # 0.28.0`), or" in "\n".join(lines)
    assert lines[-1].strip() == "`uses: acme/act@<40-hex sha>  # 0.33.1`"
    assert "".join(lines).replace(" ", "") == ("fix: " + body).replace(" ", "")  # nothing lost or added
    narrow = hanging("fix: ", "run `a very long command that cannot fit in twenty cells` now", 20)
    assert len(narrow) > 3  # a span wider than the line is wrapped word by word
    # a span too long for a line does not make its closing word the opening of another
    long_then_short = hanging("fix: ", "(`" + "x " * 60 + "y`), then `uses: a@b  # c` end", 40)
    assert any(line.strip().startswith("`uses: a@b  # c`") or "`uses: a@b  # c`" in line for line in long_then_short)
