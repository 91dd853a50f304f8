"""The pull-request comment rendered by GitHub's own Markdown renderer (cmark-gfm, tests/report/gfm.py), asserted on
the HTML a reviewer's browser gets: only the elements lockgate means to write, five columns in every table row,
every change present, links that are https to the hosts lockgate builds links for, and no Markdown or HTML syntax
leaking out as text. tools/screenshot_comment.py shows the same HTML to a human."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

from checker.model import Change, Dependency, Facts, Finding, Report, ReviewStatus
from checker.report.markdown import COMMENT_LIMIT, render_comment
from checker.report.risk import PolicyView
from tests.report.gfm import ELEMENTS, Node, elements, parse

SNAPSHOTS = Path(__file__).parent / "snapshots"
NOW = dt.datetime(2026, 3, 24, 11, 0, tzinfo=dt.timezone.utc)
LINK_HOSTS = frozenset({"github.com", "pypi.org", "www.npmjs.com", "osv.dev", "scorecard.dev", "hub.docker.com",
                        "ghcr.io", "quay.io", "inspector.pypi.io"})
# Markdown or HTML that was meant as markup but shows as text: emphasis or link syntax, a backslash escape, an
# entity escaped twice, a tag, a table border.
LEAK = re.compile(r"\*\*|\\|\]\(|&#|&[a-z]+;|</?(?:code|details|summary|b|sub|br)\b|\||^#{1,6} ")
ACTIONS_ENV = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/app", "GITHUB_RUN_ID": "4242"}


def assert_well_formed(root: Node, comments: list[str]) -> None:
    assert elements(root) <= ELEMENTS, elements(root) - ELEMENTS
    assert comments == [" lockgate:risk-summary "]  # the sticky comment's marker, nothing else
    for table in root.find_all("table"):
        rows = table.find_all("tr")
        assert rows and all(len(tr.find_all("th")) + len(tr.find_all("td")) == 5 for tr in rows)
        assert [th.text() for th in rows[0].find_all("th")] == ["Risk", "Package", "Change", "Age", "Why"]
    for anchor in root.find_all("a"):
        url = urlsplit(anchor.attrs["href"])
        assert url.scheme == "https" and url.hostname in LINK_HOSTS, anchor.attrs["href"]
    for details in root.find_all("details"):
        assert isinstance(details.children[0], Node) and details.children[0].tag == "summary"


def assert_no_leaks(root: Node) -> None:
    for text in root.texts():
        assert LEAK.search(text) is None, repr(text)


def cells(root: Node, column: int) -> list[str]:
    return [tr.find_all("td")[column].text() for table in root.find_all("table") for tr in table.find_all("tr")
            if tr.find_all("td")]


def test_the_demo_comment_renders_as_github_shows_it() -> None:
    markdown = (SNAPSHOTS / "demo.md").read_text(encoding="utf-8")
    root, comments = parse(markdown)
    assert_well_formed(root, comments)
    assert_no_leaks(root)
    [heading] = root.find_all("h3")
    assert heading.text().startswith("\u274c lockgate: Blocked · 3 of 4 dependency changes blocked")
    assert cells(root, 1) == ["aquasecurity/trivy-action build", "litellm", "requests", "pytest dev"]
    assert cells(root, 2)[1] == "1.82.6 \u2192 1.82.8 patch"
    unblock = root.find_all("ul")[0].find_all("li")
    assert len(unblock) == 3 and unblock[1].text().startswith("\u274c litellm 1.82.6 \u2192 1.82.8 patch in "
                                                               "requirements.txt:3: Move off this version: litellm "
                                                               "1.82.8 is a known-malicious release (")
    summaries = [d.find_all("summary")[0].text() for d in root.find_all("details")]
    assert "\u274c litellm 1.82.6 \u2192 1.82.8 \u2014 known-bad release" in summaries
    litellm = next(d for d in root.find_all("details") if d.find_all("summary")[0].text().startswith("\u274c litellm"))
    paragraphs = [p.text() for p in litellm.find_all("p")]
    assert paragraphs[0] == "Fix: stay on 1.82.6"  # the details open with the fix, then the evidence
    assert paragraphs[1] == "Evidence"
    # the secondary reasons are folded in a block of their own inside
    nested = litellm.find_all("details")
    assert len(nested) == 1 and "secondary to this verdict" in nested[0].find_all("summary")[0].text()
    assert "adds 1 .pth file" in nested[0].text()
    footer = root.find_all("sub")[-1].text()
    assert footer.startswith("lockgate 0.1.0 · policy .github/lockgate.yml · head ")


def _bump(name: str, manifest: str, line: int, *, direct: bool = True) -> Change:
    before = Dependency("npm" if manifest.endswith(".json") else "pypi", name, "1.0.0", "1.0.0", manifest=manifest,
                        line=line, direct=direct)
    return Change("upgraded", before, before._replace(version="1.0.1", specifier="1.0.1"), "patch")


def large_report(count: int = 300, *, offline: bool = True) -> Report:
    """A lockfile refresh: ``count`` changes in two manifests, every one waiting for a review, two of them risky, and
    (offline) every registry fact unknown."""
    changes = [_bump(f"pkg-{i:03d}", "package-lock.json" if i % 3 else "requirements.txt", i + 1, direct=i < 10)
               for i in range(count)]
    findings: list[Finding] = []
    for change in changes:
        dep = change.after
        assert dep is not None
        findings.append(Finding("review", "block", f"upgraded {dep.name} needs a review", dep, change, dep.manifest,
                                dep.line, "approve the pull request"))
        if offline:
            for rule in ("release-age", "version-exists"):
                findings.append(Finding(rule, "warn", f"could not check {dep.name}", dep, change, dep.manifest, dep.line,
                                        "run where the registry can be reached", unknown=True,
                                        cause=f"offline, not cached: https://registry.npmjs.org/{dep.name}"))
    for risky in (changes[7], changes[200]):
        dep = risky.after
        assert dep is not None
        findings.append(Finding("install-scripts", "block", f"{dep.name} 1.0.1 gains an install script (postinstall)",
                                dep, risky, dep.manifest, dep.line, "read the script, then allow it"))
    facts = tuple(Facts(c.ecosystem, c.name, "1.0.1", reason="offline, not cached") for c in changes)
    return Report("b" * 40, "c" * 40, tuple(changes), tuple(findings), tuple(ReviewStatus("required") for _ in changes),
                  "block", ".github/lockgate.yml", False, "0.1.0", facts)


def test_a_300_change_pull_request_keeps_every_change_in_the_rendered_comment() -> None:
    markdown = render_comment(large_report(), policy=PolicyView(reviewers=("alice",)), now=NOW, environ=ACTIONS_ENV)
    assert len(markdown.encode()) <= COMMENT_LIMIT
    root, comments = parse(markdown)
    assert_well_formed(root, comments)
    assert_no_leaks(root)
    names = [name.split(" ")[0] for name in cells(root, 1)]
    assert sorted(names) == [f"pkg-{i:03d}" for i in range(300)]  # every change, once
    # the two risky changes are in the open tables; the others in collapsed sections of compact rows
    open_rows = [tr for table in root.find_all("table") for tr in table.find_all("tr")
                 if tr.find_all("td") and not _inside_details(root, tr)]
    assert sorted(tr.find_all("td")[1].text() for tr in open_rows) == ["pkg-007", "pkg-200 transitive"]
    collapsed = [d for d in root.find_all("details") if d.find_all("table")]
    assert [d.find_all("summary")[0].text() for d in collapsed] == [
        "198 more changes (low risk, 198 waiting for a review)", "100 changes (low risk, 100 waiting for a review)"]
    # unknown facts: one line for the whole run, not a block per package
    not_checked = [li.text() for li in root.find_all("li") if "could not be made" in li.text()]
    assert not_checked == ["\u26a0\ufe0f offline, not cached: registry.npmjs.org: 600 checks (release-age, version-exists)"
                           " could not be made for 300 packages (pkg-000, pkg-001, pkg-002, …) · fix: run where the "
                           "registry can be reached"]
    # one command records every review
    unblock = root.find_all("ul")[0].text()
    assert 'lockgate review --all-pending --base bbbbbbbbbbbb --head cccccccccccc --reason "…"' in unblock
    footer = root.find_all("sub")[-1]
    assert [a.attrs["href"] for a in footer.find_all("a")] == ["https://github.com/acme/app/actions/runs/4242"]


def _inside_details(root: Node, target: Node) -> bool:
    return any(target in _descendants(d) for d in root.find_all("details"))


def _descendants(node: Node) -> list[Node]:
    out: list[Node] = []
    for child in node.children:
        if isinstance(child, Node):
            out.append(child)
            out.extend(_descendants(child))
    return out


def test_a_thousand_change_pull_request_fits_and_links_the_full_report() -> None:
    markdown = render_comment(large_report(1000), policy=PolicyView(reviewers=("alice",)), now=NOW, environ=ACTIONS_ENV)
    assert len(markdown.encode()) <= COMMENT_LIMIT
    root, comments = parse(markdown)
    assert_well_formed(root, comments)
    assert_no_leaks(root)
    names = {name.split(" ")[0] for name in cells(root, 1)}
    assert {"pkg-007", "pkg-200"} <= names  # the risky ones are never the ones left out
    note = next(p for p in root.find_all("em") if "leaves out" in p.text())
    assert note.find_all("a")[0].attrs["href"] == "https://github.com/acme/app/actions/runs/4242"


def test_hostile_values_render_as_text() -> None:
    from tests.report.test_hostile import FIELDS, HOSTILE, comment

    markdown = comment({field: HOSTILE for field in FIELDS})
    root, comments = parse(markdown)
    assert_well_formed(root, comments)
    text = root.text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text  # shown, not run
    for node in [root, *_descendants(root)]:
        if node.tag == "code":
            continue  # GitHub makes no mention or reference inside code
        for child in node.children:
            if isinstance(child, str):
                assert "@" not in child and re.search(r"(?<![\w&])#\d", child) is None, repr(child)
