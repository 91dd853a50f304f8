"""Hostile values through every field of every format.

Everything a manifest or a registry says is chosen by whoever controls it: names, versions, version comments,
manifest paths, source URLs, messages that quote them, review evidence, exception reasons, and the registries'
facts (a publisher's repository, workflow and environment; the reason a fact is unknown). Each field is made
hostile on its own, and each format is checked for what would let it do harm: raw HTML, links and images,
mentions and references, a broken table row or <details> block, control characters; in the data formats,
that the document still parses (and SARIF still validates) and the value comes through unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import pytest

from checker.model import Change, Dependency, Facts, Finding, Provenance, Report, ReviewStatus, Source
from checker.registries.types import Publisher
from checker.report import FORMATS, render
from checker.report.markdown import ReviewState, render_comment
from checker.report.risk import PolicyView
from tests.report.sarif_check import sarif_errors

NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
SHA_OLD = "b4ffde65f46336ab88eb53be808477a3936bae11"
SHA_NEW = "11bd71901bbe5b1630ceea73d27597364c9af683"

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) ![x](http://evil.example/i.png) "
    "<https://evil.example> www.evil.example a@evil.example @org/team @alice #123 GH-45 owner/repo#6 "
    "a|b\nnext\r\n\n</details></summary></code></sub> `tick` ``` **bold** _it_ :smile: &amp; &#35;7 "
    "\x1b[31mred\x1b[0m \u202eevil\u2066 \x07\x00 \u2028end\u2029 \ufeff\u200b"
)
BENIGN_UNLINKABLE = " x"  # a value that also makes names unlinkable, for comparing line counts
FIELDS = (
    "name", "version", "label", "specifier", "manifest", "source", "resolved", "message", "hint", "excepted",
    "evidence", "base", "head", "policy", "publisher_kind", "publisher_repository", "publisher_workflow",
    "publisher_environment", "facts_reason", "review_notes", "reviewers", "review_label", "cause",
)
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_TAGS = {"details", "summary", "code", "b", "sub", "br", "wbr"}
LINK_TARGET = re.compile(
    r"\]\((https://(?:pypi\.org|www\.npmjs\.com|github\.com|hub\.docker\.com|ghcr\.io|quay\.io)/[A-Za-z0-9._~%@+=/-]*)\)"
)


def _v(values: dict[str, str], field: str) -> str:
    return values.get(field, "")


def hostile_report(values: dict[str, str]) -> Report:
    """A report that touches every field every format shows, across all four ecosystems, with facts."""
    v = lambda field: _v(values, field)  # noqa: E731
    manifest = f"requirements{v('manifest')}.txt"
    lock = f"package-lock{v('manifest')}.json"
    workflow = f".github/workflows/ci{v('manifest')}.yml"
    source = Source("registry", f"https://pypi.org/simple{v('source')}") if v("source") else Source()
    litellm_old = Dependency("pypi", f"litellm{v('name')}", f"1.82.6{v('version')}", f"==1.82.6{v('specifier')}",
                             source, frozenset({"sha256:" + "a" * 64}), manifest=manifest, line=3)
    litellm_new = Dependency("pypi", f"litellm{v('name')}", f"1.82.8{v('version')}", f"==1.82.8{v('specifier')}",
                             source, frozenset({"sha256:" + "b" * 64}), manifest=manifest, line=3)
    tiny_old = Dependency("npm", f"@ctrl/tinycolor{v('name')}", f"4.1.0{v('version')}", f"4.1.0{v('specifier')}",
                          manifest=lock, line=40, direct=False, install_script=False,
                          resolved=f"https://registry.npmjs.org/@ctrl/tinycolor/-/tinycolor-4.1.0.tgz{v('resolved')}")
    tiny_new = Dependency("npm", f"@ctrl/tinycolor{v('name')}", f"4.1.1{v('version')}", f"4.1.1{v('specifier')}",
                          hashes=frozenset({"sha512:" + "c" * 128}), manifest=lock, line=40, direct=False,
                          install_script=True,
                          resolved=f"https://registry.npmjs.org/@ctrl/tinycolor/-/tinycolor-4.1.1.tgz{v('resolved')}")
    trivy_old = Dependency("actions", f"aquasecurity/trivy-action{v('name')}", SHA_OLD + v("version"), "",
                           manifest=workflow, line=10, scope="build", label=f"0.28.0{v('label')}")
    trivy_new = Dependency("actions", f"aquasecurity/trivy-action{v('name')}", f"0.33.1{v('version')}", "",
                           manifest=workflow, line=10, scope="build", label=f"v0.33.1{v('label')}" if v("label") else None)
    image_new = Dependency("docker", f"ghcr.io/acme/img{v('name')}", f"1.2{v('version')}", "", manifest=workflow,
                           line=14, scope="build")
    litellm = Change("upgraded", litellm_old, litellm_new, "patch")
    tiny = Change("upgraded", tiny_old, tiny_new, "patch")
    trivy = Change("upgraded", trivy_old, trivy_new, "minor")
    image = Change("added", None, image_new)
    findings = (
        Finding("deny", "block", f"litellm is denied{v('message')}", litellm_new, litellm, manifest, 3,
                f"move off{v('hint')}"),
        Finding("review", "block", f"needs a review{v('message')}", litellm_new, litellm, manifest, 3,
                f"approve it{v('hint')}"),
        Finding("install-scripts", "block", f"gains an install script{v('message')}", tiny_new, tiny, lock, 40,
                f"read it{v('hint')}"),
        Finding("release-age", "block", f"too young{v('message')}", tiny_new, tiny, lock, 40, f"wait{v('hint')}",
                unknown=True, cause=f"offline, not cached: https://registry.npmjs.org/x{v('cause')}"),
        Finding("action-pinning", "block", f"a tag{v('message')}", trivy_new, trivy, workflow, 10, f"pin{v('hint')}"),
        Finding("image-pinning", "warn", f"a bare tag{v('message')}", image_new, image, workflow, 14,
                f"add a digest{v('hint')}", f"vendored{v('excepted')}"),
        Finding("registry-source", "block", f"--trusted-host evil{v('message')}", None, None, manifest, 1,
                f"remove it{v('hint')}"),
    )
    reviews = (
        ReviewStatus("required"),
        ReviewStatus("reviewed", f"approved by alice{v('evidence')}"),
        ReviewStatus("required"),
        ReviewStatus("reviewed", f"ledger x.yml:3 by bob{v('evidence')}"),
    )
    publisher = Publisher(f"GitHub{v('publisher_kind')}", f"ctrl/tinycolor{v('publisher_repository')}",
                          f"release.yml{v('publisher_workflow')}", f"npm{v('publisher_environment')}")
    facts = (
        Facts("pypi", litellm_new.name, litellm_new.version or "", release_time=UNKNOWN_TIME(),
              reason=f"offline: PyPI was not asked{v('facts_reason')}"),
        Facts("npm", tiny_new.name, tiny_new.version or "", release_time=NOW - dt.timedelta(hours=5), yanked=False,
              hashes=frozenset({"sha512:" + "d" * 128}), install_script=True,
              provenance=Provenance("provenance", frozenset({publisher})),
              reason=f"partly stale{v('facts_reason')}"),
        Facts("npm", tiny_old.name, tiny_old.version or "", release_time=NOW - dt.timedelta(days=300),
              provenance=Provenance("provenance", frozenset({publisher}))),
    )
    return Report(f"{'e' * 40}{v('base')}", f"{'f' * 40}{v('head')}", (litellm, trivy, tiny, image), findings, reviews,
                  "block", policy=f".github/lockgate.yml{v('policy')}", version="0.1.0", facts=facts)


def UNKNOWN_TIME() -> object:  # noqa: N802 - reads as the constant it returns
    from checker.model import UNKNOWN

    return UNKNOWN


def review_state(values: dict[str, str]) -> ReviewState:
    return ReviewState(notes=(f"approval by bob came before the push{_v(values, 'review_notes')}",),
                       reviewers=("alice", f"@acme/security{_v(values, 'reviewers')}"),
                       label=f"deps-ok{_v(values, 'review_label')}", waiting=2)


def policy_view(values: dict[str, str]) -> PolicyView:
    return PolicyView(f".github/lockgate.yml{_v(values, 'policy')}", ("alice", f"carol{_v(values, 'reviewers')}"),
                      f"deps-ok{_v(values, 'review_label')}", None, {"default": 3, "patch": 2})


def comment(values: dict[str, str]) -> str:
    report = hostile_report(values)
    return render_comment(report, review_state(values), policy=policy_view(values), now=NOW)


def outputs(values: dict[str, str]) -> dict[str, str]:
    report = hostile_report(values)
    out = {fmt: render(report, fmt) for fmt in FORMATS}
    out["markdown+context"] = render(report, "markdown", now=NOW, policy=policy_view(values))
    out["text+context"] = render(report, "text", now=NOW, policy=policy_view(values))
    out["comment"] = comment(values)
    out["compact"] = render(report, "compact")
    return out


# --- the checks ---------------------------------------------------------------------------------------------------


def assert_safe_markdown(md: str, details: int | None, rows: int) -> None:
    """``details``: the number of <details> blocks, None when a comment cut to its size limit may fold some."""
    lowered = md.lower()
    tags = {m.group(1).lower() for m in re.finditer(r"<\s*/?\s*([a-z!][a-z0-9-]*)", lowered)}
    assert tags <= ALLOWED_TAGS | {"!--"}, tags - ALLOWED_TAGS
    assert md.count("<!--") == 1  # the marker, nothing else opens a comment
    assert "![" not in md and "javascript:" not in lowered
    without_links = LINK_TARGET.sub("]", md)
    assert "](" not in without_links  # every link is one lockgate built, to a known host
    assert "://" not in without_links  # no bare URL GitHub could autolink
    assert "www.evil" not in md  # www autolinks need a literal "www."
    # GitHub finds mentions and references in text, never inside code (where lockgate sets a word that could be
    # one), and e-mail autolinks only where a raw "@" is written (inside code it is an entity).
    assert "@" not in without_links and "\u200b" not in md  # nothing invisible: what a reader copies is the value
    prose = re.sub(r"<code>.*?</code>", "", re.sub(r"(?m)^#{3,4} ", "", md))
    assert re.search(r"(?<!&)#\w", prose) is None  # no #123 reference
    assert re.search(r"(?i)\bGH\\?-\d", prose) is None
    assert re.search(r"(?<!\\)`", md) is None  # no code span opened by a value
    assert ":smile:" not in md
    assert "\x1b" not in md and "\r" not in md and not (BIDI & set(md)) and "\u2028" not in md and "\u2029" not in md
    assert all(unicodedata.category(c) not in ("Cc", "Cf") or c == "\n" for c in md)
    assert md.count("<details>") == md.count("</details>") == (md.count("<details>") if details is None else details)
    assert md.count("<summary>") == md.count("</summary>") == md.count("<details>")
    table = [line for line in md.split("\n") if line.startswith("|") and not line.startswith("|---")]
    for line in table:
        assert line.startswith("| ") and line.endswith(" |"), line
        assert len(re.findall(r"(?<!\\)\|", line)) == 6, line  # only the template's cell borders (five columns)
    assert len(table) == rows
    for line in md.split("\n"):  # a <summary> line is raw HTML: an entity, never a backslash escape
        if line.startswith("<details><summary>"):
            assert "\\" not in line and line.endswith("</summary>")


def _details_and_rows(values: dict[str, str]) -> tuple[int, int]:
    """One block per change with a finding other than the review (the unknown release-age is told in one line,
    the review in "What unblocks this"), one per finding about no change, and the one that folds litellm's review
    under its deny verdict; a row per change, plus a header row per manifest's table (3) and one that the callers
    take off."""
    report = hostile_report(values)
    return len(report.changes) + 2, len(report.changes) + 4


@pytest.mark.parametrize("field", FIELDS)
def test_each_hostile_field_is_harmless_in_markdown(field: str) -> None:
    details, rows = _details_and_rows({})
    rows = rows - 1  # three manifests with changes: requirements, package-lock, the workflow
    hostile = outputs({field: HOSTILE})
    control = outputs({field: BENIGN_UNLINKABLE})
    for key in ("markdown", "markdown+context", "comment"):
        assert_safe_markdown(hostile[key], details, rows)
        assert hostile[key].count("\n") == control[key].count("\n"), key  # no value added or removed a line


def test_all_fields_hostile_at_once() -> None:
    values = {field: HOSTILE for field in FIELDS}
    details, rows = _details_and_rows(values)
    out = outputs(values)
    for key in ("markdown", "markdown+context", "comment"):
        # every field at its most hostile makes the comment long enough for its size limit to fold the review
        # findings' blocks (what they say is in "What unblocks this" already)
        assert_safe_markdown(out[key], None if key == "comment" else details, rows - 1)
    md = out["comment"]
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in md  # shown as the literal text it is
    assert "&lt;/details&gt;&lt;/summary&gt;&lt;/code&gt;&lt;/sub&gt;" in md
    assert "<code><wbr>&#64;org/team</code> <code><wbr>&#64;alice</code> <code>\\#123</code> <code>GH\\-45</code>" in md


@pytest.mark.parametrize("field", FIELDS)
def test_each_hostile_field_is_harmless_in_text(field: str) -> None:
    hostile, control = outputs({field: HOSTILE}), outputs({field: BENIGN_UNLINKABLE})
    for key in ("text", "text+context", "compact"):
        text = hostile[key]
        assert all(unicodedata.category(c) != "Cc" for c in text if c != "\n"), key
        assert not (BIDI & set(text)) and "\u2028" not in text and "\u2029" not in text
        assert text.count("\n") == control[key].count("\n"), key


@pytest.mark.parametrize("field", FIELDS)
def test_each_hostile_field_survives_json_and_sarif(field: str) -> None:
    out = outputs({field: HOSTILE})
    doc = json.loads(out["json"])
    assert doc["schema"] == "lockgate/v1"
    sarif = json.loads(out["sarif"])
    assert sarif_errors(sarif) == []
    carried = {
        "name": lambda: doc["changes"][0]["name"], "version": lambda: doc["changes"][0]["to"],
        "label": lambda: doc["changes"][1]["from_label"], "manifest": lambda: doc["changes"][0]["manifest"],
        "message": lambda: doc["findings"][0]["message"], "hint": lambda: doc["findings"][0]["hint"],
        "excepted": lambda: [f for f in doc["findings"] if f["excepted"]][0]["excepted"],
        "evidence": lambda: doc["changes"][1]["review_evidence"], "base": lambda: doc["base"],
        "head": lambda: doc["head"], "policy": lambda: doc["policy"],
        "facts_reason": lambda: doc["facts"][0]["reason"],
        "publisher_repository": lambda: doc["facts"][1]["provenance"]["publishers"][0]["repository"],
        "publisher_workflow": lambda: doc["facts"][1]["provenance"]["publishers"][0]["workflow"],
    }
    if field in carried:
        assert HOSTILE in carried[field]()  # data formats carry the value exactly, escaping is the reader's job
    results = sarif["runs"][0]["results"]
    assert len(results) == len(hostile_report({}).findings)  # one result per finding


@pytest.mark.parametrize("field", FIELDS)
def test_each_hostile_field_cannot_break_an_annotation(field: str) -> None:
    lines = outputs({field: HOSTILE})["github"].split("\n")
    assert lines[-1] == ""
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines[:-1])
    counting = [f for f in hostile_report({}).findings if f.counts]
    assert len(lines) - 1 == len(counting)  # one command per counting finding: nothing ended one early


def test_hostile_facts_are_not_linked() -> None:
    """A publisher repository from the registry becomes a link only when it is a valid GitHub name."""
    md = comment({"publisher_repository": "/../../evil"})
    assert "https://github.com/ctrl/tinycolor/../../evil" not in md
    assert "github.com/ctrl/tinycolor/" not in md
    assert "GitHub ctrl/tinycolor/\\.\\./\\.\\./evil \\(release\\.yml" in md  # shown, escaped, not linked
    clean = comment({})
    assert "GitHub ctrl/tinycolor \\(release\\.yml, environment npm\\)" in clean
    assert "[source repository ctrl/tinycolor](https://github.com/ctrl/tinycolor)" in clean
