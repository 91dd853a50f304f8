"""Path globs of a policy's ``paths.ignore`` (checker.snapshot.globs)."""

from __future__ import annotations

import pytest

from checker.snapshot.globs import path_matches, path_regex


def matches(glob: str, path: str) -> bool:
    return path_matches(path, [glob])


# --- path globs ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, expected",
    [
        ("docs/requirements.txt", True),
        ("docs/a/b/requirements.txt", True),
        ("docs", False),  # `docs/**` is what is inside docs, not docs itself
        ("src/docs/requirements.txt", False),  # a pattern with a slash is anchored at the root
        ("docsx/requirements.txt", False),
        ("requirements.txt", False),
    ],
)
def test_double_star_under_a_directory(path: str, expected: bool) -> None:
    assert matches("docs/**", path) is expected


@pytest.mark.parametrize(
    "path, expected",
    [
        ("requirements.txt", True),
        ("a/requirements.txt", True),
        ("a/b/c/requirements.txt", True),
        ("requirements.txt/inner", True),  # a matched directory covers what is under it
        ("a/requirements.txt.bak", False),
        ("a/dev-requirements.txt", False),
    ],
)
def test_leading_double_star_matches_at_any_depth(path: str, expected: bool) -> None:
    assert matches("**/requirements.txt", path) is expected


@pytest.mark.parametrize(
    "path, expected",
    [
        ("uv.lock", True),
        ("services/api/uv.lock", True),
        ("services/api/uv.lock.orig", False),
        ("xuv.lock", False),
    ],
)
def test_bare_name_matches_at_any_depth(path: str, expected: bool) -> None:
    assert matches("uv.lock", path) is expected


@pytest.mark.parametrize(
    "path, expected",
    [
        ("examples/requirements.txt", True),
        ("examples/deep/pyproject.toml", True),
        ("sub/examples/requirements.txt", True),  # no slash inside: any depth, as in .gitignore
        ("examples-old/requirements.txt", False),
        ("my-examples/requirements.txt", False),
    ],
)
def test_directory_pattern_with_trailing_slash(path: str, expected: bool) -> None:
    assert matches("examples/", path) is expected


def test_directory_pattern_with_inner_slash_is_anchored() -> None:
    assert matches("tools/vendor/", "tools/vendor/requirements.txt")
    assert not matches("tools/vendor/", "x/tools/vendor/requirements.txt")


def test_leading_slash_anchors_a_bare_name_at_the_root() -> None:
    assert matches("/requirements.txt", "requirements.txt")
    assert not matches("/requirements.txt", "sub/requirements.txt")


def test_single_star_and_question_mark_stay_within_one_directory() -> None:
    assert matches("docs/*.txt", "docs/requirements.txt")
    assert not matches("docs/*.txt", "docs/sub/requirements.txt")
    assert matches("req?.txt", "deps/req1.txt")
    assert not matches("req?.txt", "req12.txt")
    assert not matches("req?.txt", "req/.txt")


def test_regex_metacharacters_in_globs_are_literal() -> None:
    assert matches("a+b(1).txt", "a+b(1).txt")
    assert not matches("a.txt", "abtxt")


def test_path_matches_any_of_several_globs() -> None:
    assert path_matches("examples/x/requirements.txt", ["docs/**", "examples/**"])
    assert not path_matches("src/requirements.txt", ["docs/**", "examples/**"])
    assert not path_matches("src/requirements.txt", [])


def test_path_regex_is_compiled_once() -> None:
    assert path_regex("docs/**") is path_regex("docs/**")
