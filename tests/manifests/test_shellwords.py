"""checker.manifests.shellwords.split against shlex.split: the same words, the same errors, for any text."""

from __future__ import annotations

import shlex

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_profiles import hang_guard, use_profile

from checker.manifests.shellwords import split

use_profile()

ALPHABET = " \t\r\n'\"\\ab-=#;|&$()\u00a0\u2028é"


def shlex_outcome(text: str) -> object:
    try:
        return shlex.split(text)
    except ValueError as error:
        return ("error", str(error))


def our_outcome(text: str) -> object:
    try:
        return split(text)
    except ValueError as error:
        return ("error", str(error))


@settings(max_examples=3000)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_the_same_words_and_errors_as_shlex(text: str) -> None:
    assert our_outcome(text) == shlex_outcome(text), repr(text)


def test_known_cases() -> None:
    for text in ["", "  ", "a b", "'a b' c", '"a \\" b"', '"a\\b"', "a\\ b", "''", 'a""b', "x'y'z", "-r 'my file'",
                 "'unclosed", '"unclosed', "trailing\\", '"trailing\\', "--hash=sha256:ab --hash=sha256:cd"]:
        assert our_outcome(text) == shlex_outcome(text), text


def test_a_megabyte_word_costs_its_length() -> None:
    with hang_guard("splitting a 1 MB word"):
        assert split("-r " + "a" * (1 << 20)) == ["-r", "a" * (1 << 20)]
        assert split('"' + "\\a" * (1 << 19) + '"') == ["\\a" * (1 << 19)]
        assert len(split("a " * (1 << 19))) == 1 << 19
