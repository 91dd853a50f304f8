"""Property tests of the policy loader: any text, any policy-shaped document with wrong values, any ``extends``
target gives either a Policy or a clean PolicyError naming the file (and a line inside it) — never another
exception, never a hang. A policy is read from the base revision, so a pull request cannot change the one that
judges it; but a broken or hostile policy must still end in a clear error, not a traceback.

Profiles and the hang guard: tests/hypothesis_profiles.py.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from tests.hypothesis_profiles import hang_guard, use_profile
from tests.property.test_parsers import _pick

from checker.errors import PolicyError
from checker.policy.load import (
    MAX_POLICY_DEPTH,
    MAX_POLICY_NODES,
    Policy,
    load_policy,
    presets_dir,
)
from checker.policy.starter import STARTER

use_profile()

PATH = ".github/lockgate.yml"
_YAML_SYNTAX = ':-?[]{},#&*!|>\'"%@`\n\t ~.0123456789<=abcdefxyz'

# The keys the loader reads, at every level, so generated documents get past "unknown key".
_KEYS = [
    "extends", "on-unknown", "paths", "ignore", "rules", "review", "exceptions", "hook", "registries", "level",
    "required-for", "skip", "reviewers", "label", "ledger", "allow-stale-approvals", "scope", "bump", "kind",
    "package", "direct", "rule", "reason", "expires", "online", "pypi", "npm", "url", "serves-provenance",
    "timeout", "retries", "budget", "cache", "cache-ttl", "hash-pinning", "exact-pinning", "registry-source",
    "deny", "release-age", "action-pinning", "image-pinning", "pin-comment", "provenance", "install-scripts",
    "days", "patch-days", "exclude", "hosts", "allow-git", "allow-url", "allow-path", "packages", "known-bad",
    "policies", "trusted-publishers", "repository", "workflow", "environment", "require", "files-without-hashes",
]
_STRINGS = [
    "", " ", "block", "warn", "info", "off", "default", "strict", "../../etc/passwd", "/etc/passwd", "preset:x",
    "pypi:litellm", "npm:@scope/x@^1", "npm:x@>=1 <2", "pypi:x@>=1,<2", "pypi:x@not a range", "actions:*",
    "docker:library/python", "nope:x", "*", "pypi:", "https://pypi.example.com/simple", "ftp://x", "http://",
    "2027-01-31", "2027-02-30", "yesterday", "hash-pin", "ref-pin", "added", "upgraded", "patch", "dev",
    "@org/team", "alice", "\x1b[31m", "\u202e", "a\nb", "x" * 300, "${VAR}", "owner/repo", "release.yml",
]
_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=15),
    st.sampled_from(_STRINGS), st.dates().map(str),
)
_KEY = st.one_of(st.sampled_from(_KEYS), st.text(max_size=6))
_VALUES = st.recursive(
    _LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEY, inner, max_size=4)),
    max_leaves=10,
)


class _Reads:
    """The ``extends`` reader: answers every path with one text (or None) and remembers what was asked."""

    def __init__(self, text: str | None) -> None:
        self.text = text
        self.asked: list[str] = []

    def __call__(self, path: str) -> str | None:
        self.asked.append(path)
        return self.text


def check_policy(text: str, parent: str | None = None) -> Policy | PolicyError:
    reads = _Reads(parent)
    with hang_guard(f"loading a policy of {len(text)} characters"):
        try:
            policy = load_policy(text, PATH, reads)
        except PolicyError as error:
            assert error.message and isinstance(error.message, str)
            known = {PATH, *reads.asked}
            assert error.path in known or (error.path or "").startswith("preset:"), (error.path, known)
            if error.line is not None:
                source = text if error.path == PATH else (parent or "") if error.path in reads.asked else None
                if source is not None:
                    assert 1 <= error.line <= max(source.count("\n") + 1, len(source.splitlines())), str(error)
            return error
    assert isinstance(policy, Policy)
    assert policy.source == PATH
    assert policy.on_unknown in ("info", "warn", "block")
    for rule_id, setting in policy.rules.items():
        assert setting.level in ("off", "info", "warn", "block"), (rule_id, setting)
    for exception in policy.exceptions:
        assert exception.reason.strip() and exception.package.name
    return policy


def _to_yaml(document: object, flow: bool) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _seed_documents() -> list[object]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    documents = [yaml.load(STARTER)]
    for name in ("default", "strict"):
        with open(f"{presets_dir()}/{name}.yml", encoding="utf-8") as handle:
            documents.append(yaml.load(handle.read()))
    documents.append({
        "extends": "strict", "on-unknown": "block", "paths": {"ignore": ["docs/**"]},
        "rules": {"release-age": {"level": "block", "days": 3, "patch-days": 2, "exclude": ["pypi:internal-*"]},
                  "action-pinning": {"level": "block", "policies": {"actions/*": "ref-pin", "*": "hash-pin"}},
                  "deny": {"level": "block", "packages": [{"package": "pypi:requests@<2.31", "reason": "CVE"}]}},
        "review": {"skip": [{"scope": "dev", "bump": "patch"}], "reviewers": ["alice", "@acme/security"]},
        "exceptions": [{"rule": "exact-pinning", "package": "pypi:x", "reason": "we publish it",
                        "expires": "2027-01-31"}],
        "hook": {"online": False, "on-unknown": "warn"},
        "registries": {"pypi": "https://pypi.example.com/simple", "timeout": 5, "retries": 2, "cache": True},
    })
    return [json.loads(json.dumps(d, default=str)) for d in documents]


SEEDS = _seed_documents()


def _mutate(tree: object, data: st.DataObject) -> object:
    spot = _pick(tree, data)
    if spot is None:
        return data.draw(_VALUES)
    container, key = spot
    kind = data.draw(st.sampled_from(["replace", "replace", "delete", "add"]))
    if kind == "replace":
        container[key] = data.draw(_VALUES)  # type: ignore[index]
    elif kind == "delete":
        del container[key]  # type: ignore[attr-defined]
    elif isinstance(container, dict):
        container[data.draw(_KEY)] = data.draw(_VALUES)
    else:
        container.append(data.draw(_VALUES))  # type: ignore[attr-defined]
    return tree


def test_the_seed_documents_load():
    for document in SEEDS:
        assert isinstance(check_policy(_to_yaml(document, flow=False)), Policy), document


@given(text=st.one_of(st.text(alphabet=st.sampled_from(_YAML_SYNTAX), max_size=300), st.text(max_size=200)),
       parent=st.one_of(st.none(), st.text(max_size=60)))
def test_arbitrary_text_gives_a_policy_or_a_clean_error(text, parent):
    check_policy(text, parent)


@given(data=st.data())
def test_policy_documents_with_wrong_values_give_a_policy_or_a_clean_error(data):
    tree = json.loads(json.dumps(data.draw(st.sampled_from(SEEDS), label="seed")))
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        tree = _mutate(tree, data)
    try:
        text = _to_yaml(tree, flow=data.draw(st.booleans(), label="flow"))
    except Exception:  # a value YAML cannot write (a NUL in a key, ...): nothing to test
        assume(False)
    note(text)
    parent = data.draw(st.one_of(st.none(), st.sampled_from([_to_yaml(d, False) for d in SEEDS[:1]]), st.text(max_size=40)))
    check_policy(text, parent)


@given(data=st.data())
def test_extends_chains_give_a_policy_or_a_clean_error(data):
    """``extends`` to a file that is missing, broken, another policy, or the file itself (a cycle)."""
    name = data.draw(st.sampled_from(["base.yml", "../base.yml", "/etc/base.yml", "lockgate.yml", "a/b.yaml"]))
    parent = data.draw(st.one_of(st.none(), st.sampled_from([f"extends: {name}\n", "rules: [\n", "on-unknown: x\n",
                                                            "extends: default\n", ""]), st.text(max_size=40)))
    outcome = check_policy(f"extends: {name}\non-unknown: warn\n", parent)
    if name == "lockgate.yml":  # .github/lockgate.yml extends itself
        assert isinstance(outcome, PolicyError)
        assert outcome.message == "extends cycle: .github/lockgate.yml -> .github/lockgate.yml"
    elif parent is None:
        assert isinstance(outcome, PolicyError) and "does not exist" in outcome.message


# ---------------------------------------------------------------------------------------------------------------
# The resource limits, each with its message and line


def _error(text: str) -> PolicyError:
    with hang_guard("loading a hostile policy"):
        with pytest.raises(PolicyError) as caught:
            load_policy(text, PATH, lambda path: None)
    return caught.value


def test_an_alias_bomb_is_refused_before_it_is_expanded():
    layers = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    layers += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]" for i in range(8)]
    text = "paths:\n  ignore:\n    - " + "\n    - ".join(["ok"]) + "\nhook:\n  " + "\n  ".join(layers) + "\n"
    error = _error(text)
    assert error.message == f"expands to more than {MAX_POLICY_NODES:,} values through YAML aliases: refusing an alias bomb"
    assert error.line is not None and 4 <= error.line <= 13


def test_an_alias_that_contains_itself_is_refused():
    error = _error("paths:\n  ignore: &loop [*loop]\n")
    assert error.message.startswith("expands to more than") or error.message.startswith("nested more than")
    assert error.line == 2


def test_nesting_is_bounded_with_its_line():
    error = _error("rules:\n  deny:\n    packages: " + "[" * 5000 + "]" * 5000 + "\n")
    assert (error.line, error.message) == (3, f"nested more than {MAX_POLICY_DEPTH} levels deep")
    error = _error("rules:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 80)))
    assert error.message == f"nested more than {MAX_POLICY_DEPTH} levels deep"
    assert error.line == MAX_POLICY_DEPTH  # the mapping of k63, the 65th level (the document is the first)
    error = _error("rules:\n  deny:\n    " + "- " * 20000 + "x\n")  # deeper than ruamel.yaml's composer can recurse
    assert (error.line, error.message) == (3, f"nested more than {MAX_POLICY_DEPTH} levels deep")


def test_a_number_python_will_not_convert_is_a_clean_error():
    error = _error("registries:\n  retries: " + "9" * 5000 + "\n")
    assert (error.line, error.message) == (2, "a number with more than 4300 digits")


def test_a_real_policy_with_aliases_still_loads():
    text = (
        "review:\n  reviewers: &people [alice, bob]\n"
        "rules:\n  deny: {level: block, packages: [pypi:evil]}\n"
        "exceptions:\n  - &waiver {rule: deny, package: 'pypi:x', reason: r, expires: 2027-01-31}\n"
    )
    policy = load_policy(text, PATH, lambda path: None)
    assert policy.review.reviewers == ("alice", "bob")
    assert [e.package.name for e in policy.exceptions] == ["x"]
