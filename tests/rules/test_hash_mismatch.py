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
