"""checker.diff.changes: which change kind, which bump, how entries pair up, on hand-built manifests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hypothesis_profiles import use_profile

from checker.diff.changes import diff, diff_dependencies
from checker.model import Change, Dependency, Manifest, Source

use_profile()

HASH_A = frozenset({"sha256:" + "a" * 64})
HASH_B = frozenset({"sha256:" + "b" * 64})
COMMIT_1 = "3f2a9c1e0b7d4a5f6e8c9d0b1a2f3e4d5c6b7a8f"
COMMIT_2 = "e8c9d0b1a2f3e4d5c6b7a8f3f2a9c1e0b7d4a5f6"


def dep(
    name: str,
    version: str | None,
    *,
    specifier: str | None = None,
    ecosystem: str = "pypi",
    manifest: str = "requirements.txt",
    source: Source = Source(),
    hashes: frozenset[str] = frozenset(),
    markers: str | None = None,
    line: int | None = None,
) -> Dependency:
    if specifier is None:
        specifier = f"=={version}" if version is not None else ""
    return Dependency(
        ecosystem, name, version, specifier, source=source, hashes=hashes, manifest=manifest, line=line, markers=markers
    )


def manifest(path: str, *deps: Dependency, kind: str = "lock") -> Manifest:
    return Manifest(path, "requirements", "pypi", tuple(deps), kind=kind)


def summary(changes: list[Change]) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(kind, name, from, to, bump) for each change, in order."""
    return [
        (
            c.kind,
            c.name,
            c.before.display_version() if c.before else None,
            c.after.display_version() if c.after else None,
            c.bump,
        )
        for c in changes
    ]


# --- change kinds ----------------------------------------------------------------------------------------------


def test_no_change_gives_nothing() -> None:
    same = [dep("requests", "2.32.3", hashes=HASH_A)]
    assert diff_dependencies(same, list(same)) == []


def test_added() -> None:
    after = dep("httpx", "0.28.1", line=4)
    [change] = diff_dependencies([], [after])
    assert change == Change("added", None, after, None)
    assert change.dependency is after
    assert (change.name, change.manifest, change.line, change.ecosystem) == ("httpx", "requirements.txt", 4, "pypi")


def test_removed() -> None:
    before = dep("httpx", "0.28.1", line=4)
    [change] = diff_dependencies([before], [])
    assert change == Change("removed", before, None, None)
    assert change.dependency is before


def test_upgraded() -> None:
    before, after = dep("litellm", "1.82.6"), dep("litellm", "1.82.8")
    assert diff_dependencies([before], [after]) == [Change("upgraded", before, after, "patch")]


def test_downgraded() -> None:
    before, after = dep("urllib3", "2.2.0"), dep("urllib3", "1.26.20")
    assert diff_dependencies([before], [after]) == [Change("downgraded", before, after, "major")]


def test_source_changed_same_version() -> None:
    before = dep("requests", "2.32.3")
    after = dep("requests", "2.32.3", source=Source("registry", "https://mirror.example.com/simple"))
    assert diff_dependencies([before], [after]) == [Change("source-changed", before, after, "other")]


def test_source_change_wins_over_a_hash_change() -> None:
    before = dep("requests", "2.32.3", hashes=HASH_A)
    after = dep("requests", "2.32.3", hashes=HASH_B, source=Source("git", "https://github.com/psf/requests", "main"))
    assert summary(diff_dependencies([before], [after])) == [("source-changed", "requests", "2.32.3", "2.32.3", "other")]


def test_hashes_changed_same_version() -> None:
    before, after = dep("requests", "2.32.3", hashes=HASH_A), dep("requests", "2.32.3", hashes=HASH_B)
    assert diff_dependencies([before], [after]) == [Change("hashes-changed", before, after, "other")]


def test_hashes_added_to_an_entry_pin_artifacts() -> None:
    """No artifact was pinned before, so none was replaced: the version's artifacts are pinned now (see
    tests/diff/test_noise.py for what stays hashes-changed)."""
    before, after = dep("requests", "2.32.3"), dep("requests", "2.32.3", hashes=HASH_A)
    assert summary(diff_dependencies([before], [after])) == [("artifacts-added", "requests", "2.32.3", "2.32.3", "other")]


def test_line_and_specifier_moves_alone_are_no_change() -> None:
    before = dep("requests", "2.32.3", line=3)
    after = dep("requests", "2.32.3", specifier="===2.32.3", line=10)
    assert diff_dependencies([before], [after]) == []


def test_git_commit_moves_are_source_changes() -> None:
    before = dep("mylib", COMMIT_1, source=Source("git", "https://github.com/acme/mylib", COMMIT_1, COMMIT_1))
    after = dep("mylib", COMMIT_2, source=Source("git", "https://github.com/acme/mylib", COMMIT_2, COMMIT_2))
    assert summary(diff_dependencies([before], [after])) == [("source-changed", "mylib", COMMIT_1, COMMIT_2, "other")]


def test_same_version_written_differently_is_an_upgrade_of_bump_other() -> None:
    before, after = dep("six", "1.0"), dep("six", "1.0.0")
    assert summary(diff_dependencies([before], [after])) == [("upgraded", "six", "1.0", "1.0.0", "other")]


def test_same_version_written_differently_from_another_source() -> None:
    before = dep("six", "1.0")
    after = dep("six", "1.0.0", source=Source("url", "https://example.com/six-1.0.0.tar.gz"))
    assert summary(diff_dependencies([before], [after])) == [("source-changed", "six", "1.0", "1.0.0", "other")]


def test_version_to_tag_cannot_be_ordered() -> None:
    before, after = dep("tool", "1.0"), dep("tool", "main")
    assert summary(diff_dependencies([before], [after])) == [("source-changed", "tool", "1.0", "main", "other")]


# --- bumps -----------------------------------------------------------------------------------------------------


def test_bump_types() -> None:
    cases = [("1.2.3", "2.0.0", "major"), ("1.2.3", "1.3.0", "minor"), ("1.2.3", "1.2.4", "patch"),
             ("1.2.3", "1.2.3.1", "other"), ("1.2.3rc1", "1.2.3", "other")]
    for before, after, expected in cases:
        [change] = diff_dependencies([dep("x", before)], [dep("x", after)])
        assert (change.kind, change.bump) == ("upgraded", expected), (before, after)


def test_downgrade_bumps() -> None:
    [change] = diff_dependencies([dep("x", "1.3.0")], [dep("x", "1.2.9")])
    assert (change.kind, change.bump) == ("downgraded", "minor")


def test_actions_tags_with_v_prefix() -> None:
    before = dep("actions/checkout", "v4", ecosystem="actions", manifest=".github/workflows/ci.yml")
    after = dep("actions/checkout", "v5", ecosystem="actions", manifest=".github/workflows/ci.yml")
    assert summary(diff_dependencies([before], [after])) == [("upgraded", "actions/checkout", "v4", "v5", "major")]


# --- names, ecosystems, manifests ------------------------------------------------------------------------------


def test_entries_pair_by_canonical_name() -> None:
    # Parsers hand over canonical names (Django_Rest -> django-rest), so a respelled requirement pairs up.
    before = dep("django-rest", "1.0")
    after = dep("django-rest", "1.1")
    assert summary(diff_dependencies([before], [after])) == [("upgraded", "django-rest", "1.0", "1.1", "minor")]


def test_same_name_in_two_ecosystems_are_two_packages() -> None:
    py, js = dep("left-pad", "1.0"), dep("left-pad", "1.0", ecosystem="npm")
    assert summary(diff_dependencies([py], [js])) == [
        ("added", "left-pad", None, "1.0", None),
        ("removed", "left-pad", "1.0", None, None),
    ]
    assert [c.ecosystem for c in diff_dependencies([py], [js])] == ["npm", "pypi"]


def test_changes_are_sorted_by_ecosystem_then_name() -> None:
    after = [dep("zeta", "1"), dep("alpha", "1"), dep("mid", "1", ecosystem="npm")]
    assert [(c.ecosystem, c.name) for c in diff_dependencies([], after)] == [
        ("npm", "mid"), ("pypi", "alpha"), ("pypi", "zeta"),
    ]


def test_same_package_in_two_manifests_is_reported_once_per_manifest() -> None:
    base = [
        manifest("services/b/requirements.txt", dep("requests", "2.31.0", manifest="services/b/requirements.txt")),
        manifest("services/a/requirements.txt", dep("requests", "2.31.0", manifest="services/a/requirements.txt")),
    ]
    head = [
        manifest("services/a/requirements.txt", dep("requests", "2.32.3", manifest="services/a/requirements.txt")),
        manifest("services/b/requirements.txt", dep("requests", "2.32.3", manifest="services/b/requirements.txt")),
    ]
    changes = diff(base, head)
    assert [(c.manifest, c.kind, c.bump) for c in changes] == [
        ("services/a/requirements.txt", "upgraded", "minor"),
        ("services/b/requirements.txt", "upgraded", "minor"),
    ]


def test_a_package_moving_between_manifests_is_removed_and_added() -> None:
    base = [manifest("a.txt", dep("rich", "13.0", manifest="a.txt")), manifest("b.txt")]
    head = [manifest("a.txt"), manifest("b.txt", dep("rich", "13.0", manifest="b.txt"))]
    assert [(c.manifest, c.kind) for c in diff(base, head)] == [("a.txt", "removed"), ("b.txt", "added")]


def test_new_and_deleted_manifests() -> None:
    base = [manifest("old.txt", dep("a", "1", manifest="old.txt"), dep("b", "2", manifest="old.txt"))]
    head = [manifest("new.txt", dep("c", "3", manifest="new.txt"))]
    assert [(c.manifest, c.kind, c.name) for c in diff(base, head)] == [
        ("new.txt", "added", "c"),
        ("old.txt", "removed", "a"),
        ("old.txt", "removed", "b"),
    ]


def test_diff_of_nothing() -> None:
    assert diff([], []) == []
    assert diff([manifest("r.txt")], [manifest("r.txt")]) == []


# --- several versions of one name in one manifest --------------------------------------------------------------


def test_two_versions_pair_by_closeness() -> None:
    before = [dep("numpy", "1.26.0"), dep("numpy", "2.0.0")]
    after = [dep("numpy", "2.1.0"), dep("numpy", "1.26.4")]
    assert summary(diff_dependencies(before, after)) == [
        ("upgraded", "numpy", "2.0.0", "2.1.0", "minor"),
        ("upgraded", "numpy", "1.26.0", "1.26.4", "patch"),
    ]


def test_unchanged_twin_pairs_first_and_the_other_moves() -> None:
    before = [dep("numpy", "1.26.4"), dep("numpy", "2.0.0")]
    after = [dep("numpy", "1.26.4"), dep("numpy", "2.0.2")]
    assert summary(diff_dependencies(before, after)) == [("upgraded", "numpy", "2.0.0", "2.0.2", "patch")]


def test_two_versions_collapse_into_one() -> None:
    before = [dep("numpy", "1.26.0"), dep("numpy", "2.0.0")]
    after = [dep("numpy", "1.27.0")]
    assert summary(diff_dependencies(before, after)) == [
        ("upgraded", "numpy", "1.26.0", "1.27.0", "minor"),
        ("removed", "numpy", "2.0.0", None, None),
    ]


def test_one_version_splits_into_two() -> None:
    before = [dep("numpy", "1.26.0")]
    after = [dep("numpy", "1.26.1"), dep("numpy", "2.2.0")]
    assert summary(diff_dependencies(before, after)) == [
        ("upgraded", "numpy", "1.26.0", "1.26.1", "patch"),
        ("added", "numpy", None, "2.2.0", None),
    ]


def test_same_major_is_preferred_over_a_smaller_numeric_gap() -> None:
    before = [dep("x", "1.0.0"), dep("x", "3.0.0")]
    after = [dep("x", "1.9.0"), dep("x", "3.5.0")]
    assert summary(diff_dependencies(before, after)) == [
        ("upgraded", "x", "1.0.0", "1.9.0", "minor"),
        ("upgraded", "x", "3.0.0", "3.5.0", "minor"),
    ]


# --- markers ---------------------------------------------------------------------------------------------------


def test_markers_keep_same_version_twins_apart() -> None:
    old = [
        dep("numpy", "1.24.4", markers="python_version < '3.9'", hashes=HASH_A),
        dep("numpy", "1.24.4", markers="python_version >= '3.9'", hashes=HASH_B),
    ]
    new = [old[1], old[0]]  # same entries, other order: nothing changed
    assert diff_dependencies(old, new) == []


def test_a_hash_change_under_one_marker() -> None:
    old_lo = dep("numpy", "1.24.4", markers="python_version < '3.9'", hashes=HASH_A)
    old_hi = dep("numpy", "1.24.4", markers="python_version >= '3.9'", hashes=HASH_A)
    new_hi = dep("numpy", "1.24.4", markers="python_version >= '3.9'", hashes=HASH_B)
    [change] = diff_dependencies([old_lo, old_hi], [new_hi, old_lo])
    assert change == Change("hashes-changed", old_hi, new_hi, "other")


def test_one_marker_branch_upgraded() -> None:
    old = [dep("numpy", "1.24.4", markers="python_version < '3.9'"), dep("numpy", "2.0.0", markers="python_version >= '3.9'")]
    new = [dep("numpy", "1.24.4", markers="python_version < '3.9'"), dep("numpy", "2.1.0", markers="python_version >= '3.9'")]
    [change] = diff_dependencies(old, new)
    assert (change.kind, change.bump, change.after.markers) == ("upgraded", "minor", "python_version >= '3.9'")  # type: ignore[union-attr]


def test_a_marker_change_alone_is_no_change() -> None:
    assert diff_dependencies([dep("x", "1.0", markers="sys_platform == 'linux'")], [dep("x", "1.0")]) == []


# --- declared ranges (version None) ----------------------------------------------------------------------------


def test_range_raised_compares_lower_bounds() -> None:
    before, after = dep("rich", None, specifier=">=12"), dep("rich", None, specifier=">=13.1")
    assert diff_dependencies([before], [after]) == [Change("upgraded", before, after, "major")]


def test_range_lowered_is_a_downgrade() -> None:
    before, after = dep("rich", None, specifier=">=13.1,<14"), dep("rich", None, specifier=">=13.0,<14")
    assert summary(diff_dependencies([before], [after])) == [("downgraded", "rich", ">=13.1,<14", ">=13.0,<14", "minor")]


def test_range_narrowed_with_the_same_lower_bound() -> None:
    before, after = dep("rich", None, specifier=">=13"), dep("rich", None, specifier=">=13,<14")
    assert summary(diff_dependencies([before], [after])) == [("upgraded", "rich", ">=13", ">=13,<14", "other")]


def test_range_without_lower_bound_changed() -> None:
    before, after = dep("rich", None, specifier="<14"), dep("rich", None, specifier="<15")
    assert summary(diff_dependencies([before], [after])) == [("upgraded", "rich", "<14", "<15", "other")]


def test_same_range_is_no_change_but_its_source_is() -> None:
    before = dep("rich", None, specifier=">=13")
    assert diff_dependencies([before], [dep("rich", None, specifier=">=13")]) == []
    moved = dep("rich", None, specifier=">=13", source=Source("registry", "https://mirror.example.com/simple"))
    assert summary(diff_dependencies([before], [moved])) == [("source-changed", "rich", ">=13", ">=13", "other")]


def test_range_to_exact_pin() -> None:
    before, after = dep("rich", None, specifier=">=13"), dep("rich", "13.9.4")
    assert summary(diff_dependencies([before], [after])) == [("upgraded", "rich", ">=13", "13.9.4", "minor")]


def test_unbounded_declaration_shows_a_star() -> None:
    [change] = diff_dependencies([], [dep("rich", None)])
    assert (change.kind, change.after.display_version()) == ("added", "*")  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------------------------
# diff_dependencies sets aside the names that did not change before pairing the rest: it must give what pairing
# every name gives.


def _pair_every_name(before: list[Dependency], after: list[Dependency]) -> list:
    """The reference: every name through the pairing, none set aside."""
    from collections import defaultdict

    from checker.diff.changes import _diff_one_name

    old: dict = defaultdict(list)
    new: dict = defaultdict(list)
    for dep in before:
        old[(dep.ecosystem, dep.name)].append(dep)
    for dep in after:
        new[(dep.ecosystem, dep.name)].append(dep)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        changes.extend(_diff_one_name(old.get(key, []), new.get(key, [])))
    return changes


def _deps() -> st.SearchStrategy[list[Dependency]]:
    dep = st.builds(
        Dependency,
        ecosystem=st.sampled_from(["npm", "pypi", "actions"]),
        name=st.sampled_from(["a", "b", "c", "d"]),
        version=st.sampled_from([None, "1.0.0", "1.0", "2.0.0", "2.1.0"]),
        specifier=st.sampled_from(["", ">=1", "^2"]),
        source=st.sampled_from([Source(), Source(kind="url", url="https://x/a.tgz"), Source(kind="registry", url="https://r/")]),
        hashes=st.sampled_from([frozenset(), frozenset({"sha256:00"}), frozenset({"sha256:11"})]),
        line=st.integers(1, 50),
        markers=st.sampled_from([None, "python_version < '3.9'"]),
    )
    return st.lists(dep, max_size=8)


@settings(max_examples=300)
@given(before=_deps(), after=_deps(), keep=st.lists(st.integers(0, 7), max_size=8))
def test_setting_unchanged_names_aside_gives_what_pairing_every_name_gives(before, after, keep):
    after = after + [before[i]._replace(line=before[i].line + 1) for i in keep if i < len(before)]  # unchanged, moved
    assert diff_dependencies(before, after) == _pair_every_name(before, after)
