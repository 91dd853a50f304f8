"""The policy file's JSON Schema (``lockgate schema``) against the real ``jsonschema`` package and the loader.

The schema is for editors (completion, and mistakes marked as they are typed), so it must accept what the loader
accepts and refuse what it refuses. Checked here:

- the schema is a valid JSON Schema (draft 2020-12), and `lockgate schema` prints it;
- every preset in policies/ and every policy example in the README (each fenced ```yaml block is classified: a
  policy, a `rules:` fragment, or one of the README's non-policy files; an unknown kind fails) validates and loads;
- on systematic mutations of all those examples (each value replaced by null, numbers, blank and malformed
  strings, lists, mappings; keys removed; unknown keys added), jsonschema and the loader give the same answer.
  What only the loader can judge is left out: whether a version range parses, whether an ``extends`` path exists.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

import checker.policy.load as policy_load
from checker.errors import PolicyError
from checker.policy.load import load_policy, preset_names, presets_dir
from checker.policy.schema import policy_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = policy_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
TOP_KEYS = set(SCHEMA["properties"])
RULE_IDS = set(SCHEMA["properties"]["rules"]["properties"])


def jsonable(value: Any) -> Any:
    """YAML data as an editor's JSON view of it: dates are strings (YAML 1.2 has no date type)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def schema_errors(document: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def loader_error(text: str) -> str | None:
    """None when the loader accepts the policy; its message when not. Every ``extends`` path exists here."""
    try:
        load_policy(text, "policy.yml", lambda path: "{}")
    except PolicyError as exc:
        return str(exc)
    return None


def preset(name: str) -> dict[str, Any]:
    text = (Path(presets_dir()) / f"{name}.yml").read_text(encoding="utf-8")
    return json.loads("".join(line for line in text.splitlines(True) if not line.lstrip().startswith("#")))


def readme_yaml_blocks() -> list[tuple[str, str]]:
    """(place, text) of every fenced ```yaml block of the README and the docs (``docs/policy.md:12``)."""
    found = []
    for path in (ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        found += [(f"{name}:{text.count(chr(10), 0, m.start()) + 2}", m.group(1))
                  for m in re.finditer(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)]
    return found


NOT_POLICIES = {
    frozenset({"reviews"}): "the review ledger",
    frozenset({"repos"}): "a .pre-commit-config.yaml",
}


def readme_policies() -> list[tuple[str, dict[str, Any]]]:
    """The README's policy examples; a `rules:` fragment (rule ids at the top) becomes {rules: fragment}."""
    found = []
    for place, text in readme_yaml_blocks():
        document = jsonable(YAML(typ="safe", pure=True).load(text))
        keys = set(document)
        if keys <= TOP_KEYS:
            found.append((place, document))
        elif keys <= RULE_IDS:
            found.append((f"{place} (rules)", {"rules": document}))
        elif "jobs" in keys or frozenset(keys) in NOT_POLICIES:
            continue
        else:
            raise AssertionError(f"{place}: a YAML block of unknown kind (keys {sorted(keys)}): classify it")
    return found


EXAMPLES = [*((f"policies/{n}.yml", preset(n)) for n in preset_names()), *readme_policies()]


def test_the_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == "https://lockgate.dev/schema/policy-v1.json"


def test_the_readme_has_policy_examples_of_every_section() -> None:
    keys = {key for _, document in readme_policies() for key in document}
    assert keys == {"extends", "on-unknown", "paths", "rules", "review", "exceptions", "hook", "registries"}
    assert len(readme_policies()) >= 9


@pytest.mark.parametrize(("where", "document"), EXAMPLES, ids=[w for w, _ in EXAMPLES])
def test_every_preset_and_readme_example_is_valid_and_loads(where: str, document: dict[str, Any]) -> None:
    assert schema_errors(document) == []
    assert loader_error(json.dumps(document)) is None


def test_the_known_bad_list_fits_the_deny_rule_packages_option() -> None:
    deny_packages = SCHEMA["properties"]["rules"]["properties"]["deny"]["oneOf"][1]["properties"]["packages"]
    known_bad = preset("known-bad")
    assert len(known_bad["packages"]) > 50
    assert list(jsonschema.Draft202012Validator(deny_packages).iter_errors(known_bad["packages"])) == []


def test_the_repository_policy_is_valid() -> None:
    text = (ROOT / ".github" / "lockgate.yml").read_text(encoding="utf-8")
    assert schema_errors(jsonable(YAML(typ="safe", pure=True).load(text))) == []
    assert loader_error(text) is None


def test_lockgate_schema_prints_the_schema_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    from checker.cli import main

    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == SCHEMA


# -- the schema and the loader agree ------------------------------------------------------------------------------

REPLACEMENTS: tuple[tuple[str, Any], ...] = (
    ("null", None), ("a number", 5), ("a negative number", -1), ("zero", 0), ("a fraction", 1.5), ("true", True),
    ("a word", "five"), ("an empty string", ""), ("a blank string", "  "), ("a list", ["x"]), ("an empty list", []),
    ("a list with null", [None]), ("a list with an empty string", [""]), ("a mapping", {"x": 1}),
    ("an empty mapping", {}), ("a package without a name", "pypi:"), ("an unknown ecosystem", "nosuch:pkg"),
    ("a URL with a query", "https://h.example/simple?q=1"), ("a URL without a host", "https://"),
    ("no real date", "2027-13-01"),
)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, path + (index,))


def _changed(document: dict[str, Any], path: tuple[Any, ...], value: Any = None, *, delete: bool = False) -> Any:
    out = copy.deepcopy(document)
    node = out
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


def mutations(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    yield "unknown top-level key", {**document, "bogus": 1}
    for path, value in _leaves(document):
        if not path:
            continue
        where = ".".join(str(p) for p in path)
        for label, replacement in REPLACEMENTS:
            if not (replacement == value and type(replacement) is type(value)):
                yield f"{where} = {label}", _changed(document, path, replacement)
        if isinstance(path[-1], str):
            yield f"{where} removed", _changed(document, path, delete=True)
        if isinstance(value, dict):
            yield f"{where} + unknown key", _changed(document, path + ("bogus",), 1)


def test_the_loader_accepts_exactly_what_the_schema_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every mutation of every example, once per shape (list positions and numbers in the label folded). The
    loader reads JSON text here: the YAML reading is tested elsewhere; what is compared is the validation, and
    the YAML parser would make this test fifty times slower."""
    monkeypatch.setattr(policy_load, "_yaml_load", lambda text, path: json.loads(text))
    seen: set[str] = set()
    disagreements, compared, refused = [], 0, 0
    for where, document in EXAMPLES:
        for label, mutated in mutations(document):
            shape = re.sub(r"\d+", "N", label)
            if shape in seen:
                continue
            seen.add(shape)
            compared += 1
            valid, error = VALIDATOR.is_valid(mutated), loader_error(json.dumps(mutated))
            refused += error is not None
            if valid != (error is None):
                errors = schema_errors(mutated)
                disagreements.append(f"{where}: {label}: schema {errors or 'accepts'}; loader {error or 'accepts'}")
    assert disagreements == []
    assert compared > 1500 and compared * 0.3 < refused < compared * 0.9  # both answers are well represented


@pytest.mark.parametrize(("policy", "message", "schema_path"), [
    ("rules: {hash-pinning: {level: loud}}",
     "policy.yml:1: rules.hash-pinning.level must be one of off, info, warn, block; found 'loud'",
     "$.rules['hash-pinning']"),
    ("extends: nosuch", "policy.yml:1: extends: unknown preset 'nosuch'; valid presets: default, strict (or a path)",
     "$.extends"),
    ("review: {skip: [{}]}",
     "policy.yml:1: review.skip[0] names nothing to match; an entry needs at least one of scope, bump, kind, "
     "package, direct (to require no review at all, set review.required-for: [])",
     "$.review.skip[0]"),
    ("review: {reviewers: ' '}", "policy.yml:1: review.reviewers must be a non-empty string; found ' '",
     "$.review.reviewers"),
    ("paths: {ignore: ''}", "policy.yml:1: paths.ignore must be a non-empty string; found ''", "$.paths.ignore"),
    ("exceptions: [{rule: nosuch, package: 'pypi:x', reason: r, expires: 2027-01-31}]",
     "policy.yml:1: exceptions[0].rule: unknown rule 'nosuch'; valid rules: ", "$.exceptions[0].rule"),
    ("rules: {release-age: {exclude: ['nosuch:pkg']}}",
     "policy.yml:1: rules.release-age.exclude[0]: unknown ecosystem 'nosuch' in 'nosuch:pkg'; valid: pypi, npm, "
     "actions, docker", "$.rules['release-age']"),
])
def test_both_refuse_with_the_loader_naming_file_line_and_choices(policy: str, message: str, schema_path: str) -> None:
    error = loader_error(policy)
    assert error is not None and error.startswith(message)
    document = jsonable(YAML(typ="safe", pure=True).load(policy))
    assert [e.json_path for e in VALIDATOR.iter_errors(document)] == [schema_path]


@pytest.mark.parametrize("policy", ["on-unknown: off", "hook: {on-unknown: off}", "on-unknown: 'off'\nhook: {on-unknown: block}"])
def test_both_accept_on_unknown_off(policy: str) -> None:
    assert loader_error(policy) is None
    assert schema_errors(jsonable(YAML(typ="safe", pure=True).load(policy))) == []


@pytest.mark.parametrize("policy", [
    "rules:\nreview:\npaths:\nhook:\nregistries:\nexceptions:\n",  # empty sections change nothing
    "rules: {exact-pinning: block, review: ~}",  # the level shorthand; an empty rule
    "review: {reviewers: alice, required-for: upgraded}\npaths: {ignore: 'docs/**'}",  # one string for a list of one
    "rules: {release-age: {exclude: 'pypi:acme-*'}, deny: {packages: ['npm:@scope/pkg@^2.0.0-0', 'litellm']}}",
    "extends: ../shared/lockgate.yml\nregistries: {pypi: 'https://user:secret@pypi.example.com/simple'}",
])
def test_both_accept_the_shorthands(policy: str) -> None:
    assert loader_error(policy) is None
    assert schema_errors(jsonable(YAML(typ="safe", pure=True).load(policy))) == []
