"""--format github (workflow annotations) and --format sarif (validated against the official SARIF 2.1.0 schema),
end to end through `lockgate check` and on hand-built reports with hostile values; and the lazy-import promise."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from checker.cli import main
from checker.model import Change, Dependency, Finding, Report, ReviewStatus
from checker.report import render
from checker.report.annotations import command, escape_data, escape_property
from checker.rules import all_rules
from tests.report.sarif_check import sarif_errors

HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64


def dep(name: str, version: str, manifest: str = "requirements.txt", line: int | None = 3) -> Dependency:
    return Dependency("pypi", name, version, f"=={version}", manifest=manifest, line=line, hashes=frozenset({HASH_A}))


def sample(name: str = "litellm", manifest: str = "requirements.txt") -> Report:
    change = Change("upgraded", dep(name, "1.82.6", manifest), dep(name, "1.82.8", manifest), "patch")
    findings = (
        Finding("deny", "block", f"{name} 1.82.8 is denied: stolen token", change.after, change, manifest, 3, "move off it"),
        Finding("review", "block", f"upgraded {name} needs a review", change.after, change, manifest, 3, "approve it"),
        Finding("hash-pinning", "warn", "no hashes", change.after, change, manifest, 3, None, "vendored (until 2027-01-31)"),
        Finding("registry-source", "warn", "--trusted-host turns off TLS", None, None, manifest, 1, "remove it"),
        Finding("exact-pinning", "info", "rich is a range", None, None, manifest, None),
    )
    return Report("b" * 40, "h" * 40, (change,), findings, (ReviewStatus("required"),), "block", ".github/lockgate.yml",
                  False, "0.1.0")


# --- workflow commands -----------------------------------------------------------------------------------------


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("%0A") == "%250A"  # an already-encoded newline stays literal
    assert command("error", "m", file="x", line=None) == "::error file=x::m"
    assert command("notice", "m") == "::notice::m"


def test_annotations_of_a_report() -> None:
    lines = render(sample(), "github").splitlines()
    assert lines == [
        "::error file=requirements.txt,line=3,title=lockgate deny::litellm 1.82.8 is denied: stolen token%0AFix: move off it",
        "::error file=requirements.txt,line=3,title=lockgate review::upgraded litellm needs a review%0AFix: approve it",
        "::warning file=requirements.txt,line=1,title=lockgate registry-source::--trusted-host turns off TLS%0AFix: remove it",
        "::notice file=requirements.txt,title=lockgate exact-pinning::rich is a range",
    ]  # the waived hash-pinning finding does not count and is not annotated


def test_hostile_values_cannot_break_out_of_an_annotation() -> None:
    hostile = "evil\n::set-output name=verdict::pass\r\n%0A::warning::x,file=y:z"
    out = render(sample(name=hostile, manifest=f"req,uire:ments{hostile}.txt"), "github")
    lines = out.splitlines()
    assert len(lines) == 4  # one line per annotation: no value started a line of its own
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "\n::set-output" not in out and "\r" not in out
    first = lines[0]
    props, _, message = first[len("::error "):].partition("::")
    # The runner splits properties at "," and each at its first "=": file, line, title and nothing smuggled in.
    assert [part.split("=", 1)[0] for part in props.split(",")] == ["file", "line", "title"]
    assert "req%2Cuire%3Aments" in props and "%0A" in props
    assert message.startswith("evil%0A::set-output name=verdict::pass%0D%0A%250A")


# --- SARIF ------------------------------------------------------------------------------------------------------


def test_sarif_is_valid_against_the_official_schema() -> None:
    doc = json.loads(render(sample(), "sarif"))
    assert sarif_errors(doc) == []
    assert doc["version"] == "2.1.0"


def test_the_schema_checker_catches_mistakes() -> None:
    """The validator is strict enough to matter: each of these breaks the official schema."""
    doc = json.loads(render(sample(), "sarif"))
    broken = json.loads(json.dumps(doc))
    broken["runs"][0]["results"][0]["level"] = "block"
    broken["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    broken["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"] = "text"
    broken["runs"][0]["results"][2]["suppressions"][0]["kind"] = "policy"
    broken["runs"][0]["unknownProperty"] = 1
    broken["runs"][0]["tool"]["driver"]["informationUri"] = "not a uri"
    errors = sarif_errors(broken)
    assert "$.runs[0].results[0].level: 'block' is not one of ['none', 'note', 'warning', 'error']" in errors
    assert ("$.runs[0].results[1].locations[0].physicalLocation.region.startLine: 0 is less than the minimum of 1"
            in errors)
    assert "$.runs[0].tool.driver.rules[0].shortDescription: 'text' is not of type 'object'" in errors
    assert any(e.startswith("$.runs[0].results[2].suppressions[0].kind: 'policy' is not one of") for e in errors)
    assert any(e.startswith("$.runs[0]: Additional properties are not allowed ('unknownProperty'") for e in errors)
    assert "$.runs[0].tool.driver.informationUri: 'not a uri' is not a 'uri'" in errors  # formats are checked
    assert len(errors) == 6


def test_sarif_rules_carry_their_help() -> None:
    doc = json.loads(render(sample(), "sarif"))
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "lockgate" and driver["version"] == "0.1.0"
    rules = {r["id"]: r for r in driver["rules"]}
    assert list(rules) == list(all_rules())
    review = all_rules()["review"]
    assert rules["review"]["shortDescription"]["text"] == review.summary
    assert rules["review"]["fullDescription"]["text"] == review.explanation
    assert rules["review"]["help"]["text"].startswith(review.explanation)
    assert f"Fix: {review.fix}" in rules["review"]["help"]["text"]
    assert rules["review"]["defaultConfiguration"] == {"enabled": True, "level": "error"}


def test_sarif_results_point_at_manifest_lines() -> None:
    doc = json.loads(render(sample(), "sarif"))
    results = doc["runs"][0]["results"]
    rule_ids = [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]]
    deny = results[0]
    assert deny["ruleId"] == "deny" and rule_ids[deny["ruleIndex"]] == "deny"
    assert deny["level"] == "error"
    assert deny["message"]["text"] == "litellm 1.82.8 is denied: stolen token Fix: move off it"
    assert deny["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "requirements.txt", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 3}}}]
    assert deny["properties"] == {"unknown": False, "package": "pypi:litellm", "version": "1.82.8"}
    waived = results[2]
    assert waived["level"] == "warning"
    assert waived["suppressions"] == [{"kind": "external", "justification": "vendored (until 2027-01-31)"}]
    no_line = results[4]
    assert no_line["level"] == "note" and "region" not in no_line["locations"][0]["physicalLocation"]
    fingerprints = [r["partialFingerprints"]["lockgateFinding/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)
    assert json.loads(render(sample(), "sarif"))["runs"][0]["results"][0]["partialFingerprints"] == deny["partialFingerprints"]


def test_sarif_uri_of_an_odd_path_is_a_valid_reference() -> None:
    doc = json.loads(render(sample(manifest="deps/my reqs [dev].txt"), "sarif"))
    assert sarif_errors(doc) == []
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "deps/my%20reqs%20%5Bdev%5D.txt"


# --- through the command line ------------------------------------------------------------------------------------


def pinned(name: str, version: str, digest: str) -> str:
    return f"{name}=={version} \\\n    --hash={digest}\n"


def test_check_format_github_and_sarif_end_to_end(capsys, repo) -> None:
    base = repo.commit("base", {"requirements.txt": pinned("litellm", "1.82.6", HASH_A)})
    head = repo.commit("bump", {"requirements.txt": "# deps\n" + pinned("litellm", "1.82.8", HASH_B)})
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "github"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("::error file=requirements.txt,line=2,title=lockgate deny::litellm 1.82.8 is a known-malicious")
    assert "not cached: https://pypi.org/simple/litellm/" in out and "not cached%3A" not in out  # a colon stays one
    assert "::error file=requirements.txt,line=2,title=lockgate review::" in out
    code = main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "sarif"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert sarif_errors(doc) == []
    assert {r["ruleId"] for r in doc["runs"][0]["results"] if r["level"] == "error"} == {"deny", "review"}
    assert doc["runs"][0]["properties"] == {"verdict": "block", "base": base, "head": head}


def test_no_changes_in_sarif_and_github_formats(capsys, repo) -> None:
    base = repo.commit("base", {"requirements.txt": pinned("a", "1", HASH_A), "README.md": "x"})
    head = repo.commit("docs", {"README.md": "y"})
    assert main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "github"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["check", "-C", str(repo.path), "--base", base, "--head", head, "--format", "sarif"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["runs"][0]["results"] == [] and sarif_errors(doc) == []


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_check_never_imports_jinja2_or_pygithub(repo, fmt: str) -> None:
    base = repo.commit("base", {"requirements.txt": pinned("a", "1.0", HASH_A)})
    head = repo.commit("bump", {"requirements.txt": pinned("a", "1.1", HASH_B)})
    probe = (
        "import sys\nfrom checker.cli import main\n"
        f"code = main(['check', '-C', {str(repo.path)!r}, '--base', {base!r}, '--head', {head!r}, '--format', {fmt!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'github', 'requests', 'urllib3'))\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy) + '\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=repo.env)
    assert "HEAVY=\n" in done.stderr, done.stderr
