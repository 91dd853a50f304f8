"""hash-mismatch on hand-built Facts, through the engine."""

from __future__ import annotations

from tests.rules.fact_subjects import KNOWN, SHA_A, dep, facts, rules, run


SHA_B = "sha256:" + "b" * 64


def test_hash_mismatch() -> None:
    assert run(dep(hashes=frozenset({SHA_A})), facts(**KNOWN)) == []
    [(rule, level, unknown, message)] = run(dep(hashes=frozenset({SHA_A, SHA_B})), facts(**KNOWN))
    assert (rule, level, unknown) == ("hash-mismatch", "block", False)
    assert message.startswith("litellm 1.82.8: 1 of the hashes pinned in requirements.txt (sha256:bbbbbbbbbbbbbbbb…)")
    # only sha512 pinned, only sha256 published: cannot be compared
    assert rules(run(dep(hashes=frozenset({"sha512:" + "c" * 128})), facts(**KNOWN))) == [
        ("hash-mismatch", "warn", True)]
    # Yarn Berry cache checksums are no registry digest: not judged
    assert run(dep(hashes=frozenset({"yarn-berry:10c0/abc"})), facts(**KNOWN)) == []


def test_go_h1_hashes_compare_as_written() -> None:
    """Go's h1: is base64, whose case is part of the value: a hash that differs only in case is another hash."""
    from checker.model import Dependency, Facts
    from tests.rules.fact_subjects import NOW

    zip_hash, mod_hash = "h1:" + "Ab" * 21 + "c=", "h1/go.mod:" + "Cd" * 21 + "e="
    module = Dependency("go", "golang.org/x/net", "v0.17.0", "v0.17.0", hashes=frozenset({zip_hash, mod_hash}),
                        manifest="go.sum", line=1)
    published = Facts("go", "golang.org/x/net", "v0.17.0", as_of=NOW, exists=True, hashes=frozenset({zip_hash, mod_hash}))
    from checker.policy.load import load_policy
    from checker.model import Change, Manifest
    from checker.judge.engine import judge

    def judged(dep: Dependency) -> list[tuple[str, str]]:
        policy = load_policy("extends: default\nreview: {required-for: []}\nrules:\n  vulnerability: off\n"
                             "  malicious: off\n  release-age: off\n", ".github/lockgate.yml", lambda p: None)
        found = judge([Change("added", None, dep)], [], [Manifest("go.sum", "go-sum", "go", (dep,))], policy,
                      today=NOW.date(), facts={("go", dep.name, dep.version or ""): published})
        return [(f.rule, f.level) for f in found.findings]

    assert judged(module) == []
    assert judged(module._replace(hashes=frozenset({zip_hash.lower(), mod_hash}))) == [("hash-mismatch", "block")]
    assert judged(module._replace(hashes=frozenset({zip_hash, "h1/go.mod:" + "Zz" * 21 + "e="}))) == [
        ("hash-mismatch", "block")]
    # a tagged go.mod hash of another version is not compared with this version's record
    assert judged(module._replace(hashes=frozenset({zip_hash, "h1/go.mod@v0.16.0:" + "Q" * 43 + "="}))) == []
