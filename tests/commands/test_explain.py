"""``lockgate explain``: one rule's texts and options, the list of rules, an unknown rule."""

from __future__ import annotations

import pytest

from checker.commands.explain import explain, list_rules
from checker.errors import UsageError
from checker.rules import all_rules


# --- the rule registry -----------------------------------------------------------------------------------------


def test_explain() -> None:
    text = explain("hash-pinning")
    assert text.startswith("hash-pinning (default level: block)\n\nEvery downloaded artifact must be checked")
    assert "  algorithms (str-list, default sha256, sha384, sha512): hash algorithms that count as strong\n" in text
    assert "  files-without-hashes (choice, default warn): " in text
    assert list_rules().splitlines()[0] == (
        "hash-pinning          block  Every downloaded artifact must be checked against a hash recorded in the repository."
    )
    with pytest.raises(UsageError) as caught:
        explain("release-speed")
    assert caught.value.message == f"unknown rule 'release-speed'; valid rules: {', '.join(all_rules())}"
