"""What changed between two lists of manifests: one Change per dependency version that moved.

Manifests are paired by path; dependencies by (ecosystem, canonical name) within a manifest, so a package
present in several manifests is reported once per manifest. A manifest that could not be read on the head side
gives no change (its content is unknown; the unreadable-manifest rule reports it); one that could not be read on
the base side has no dependencies there, so everything it lists now is added. The same package at several versions in one
lockfile is several entries: equal versions pair first, the rest pair by closeness. Several occurrences of one
reference in one file (two stages ``FROM python:3.12``) are one: removing or adding an occurrence while another
remains is no change. Copies of one artifact in several scopes (package-lock.json's folders, Yarn 1's blocks)
change only how widely it is installed: reaching a stronger scope, or losing the strongest, is ``scope-changed``.
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from typing import Sequence

from checker.model import Change, Dependency, Manifest
from checker.versions.compare import bump, compare, lower_bound, parse_version


def diff(base: Sequence[Manifest], head: Sequence[Manifest]) -> list[Change]:
    """Every change from base to head, ordered by manifest path, then name."""
    before_by_path = {m.path: m for m in base}
    after_by_path = {m.path: m for m in head}
    changes: list[Change] = []
    for path in sorted(before_by_path.keys() | after_by_path.keys()):
        before = before_by_path.get(path)
        after = after_by_path.get(path)
        if after is not None and after.kind == "unreadable":
            continue  # what it lists now is unknown: no change can be told, and the unreadable-manifest rule blocks
        changes.extend(
            diff_dependencies(before.dependencies if before else (), after.dependencies if after else ())
        )
    return changes


# What decides whether an entry changed (see _diff_one_name and _same_version_change): a name with one entry on
# each side that agree on these five fields has no change, whatever their lines.
_COMPARED = itemgetter(*(Dependency._fields.index(field) for field in ("version", "specifier", "source", "hashes",
                                                                        "scope")))
_NAME_KEY = itemgetter(Dependency._fields.index("ecosystem"), Dependency._fields.index("name"))


def _group(
    names: list[tuple[str, str]], deps: Sequence[Dependency], last: dict[tuple[str, str], Dependency],
    keys: set[tuple[str, str]], repeated: set[tuple[str, str]],
) -> dict[tuple[str, str], list[Dependency]]:
    """The entries of each name in ``keys``, in manifest order: a name with one entry is its last (and only)
    one, and only names with several are looked for in the whole list."""
    groups: dict[tuple[str, str], list[Dependency]] = {key: [last[key]] for key in keys - repeated if key in last}
    several = keys & repeated
    if several:
        for key, dep in zip(names, deps):
            if key in several:
                groups.setdefault(key, []).append(dep)
    return groups


def _repeated(names: list[tuple[str, str]], distinct: int) -> set[tuple[str, str]]:
    """The names that have more than one entry."""
    if len(names) == distinct:
        return set()
    return {name for name, count in Counter(names).items() if count > 1}


def diff_dependencies(before: Sequence[Dependency], after: Sequence[Dependency]) -> list[Change]:
    """Changes between the dependencies of one manifest at two revisions.

    A lockfile of 50,000 entries changes a few thousand in a pull request. A name with one entry on each side
    that agree on the compared fields is set aside first, in one pass over dicts built in C; only the other names
    go through the pairing below (which would find no change for those either)."""
    old_names, new_names = list(map(_NAME_KEY, before)), list(map(_NAME_KEY, after))
    old_last, new_last = dict(zip(old_names, before)), dict(zip(new_names, after))
    repeated = _repeated(old_names, len(old_last)) | _repeated(new_names, len(new_last))
    keys = {key for key in old_last if key not in new_last}
    for key, dep in new_last.items():
        earlier = old_last.get(key)
        if earlier is None or key in repeated or _COMPARED(earlier) != _COMPARED(dep):
            keys.add(key)
    old, new = _group(old_names, before, old_last, keys, repeated), _group(new_names, after, new_last, keys, repeated)
    changes: list[Change] = []
    for key in sorted(keys):
        changes.extend(_diff_one_name(old.get(key, []), new.get(key, [])))
    old_key, new_key = old_last.get(_CACHE_KEY), new_last.get(_CACHE_KEY)
    if new_key is not None and changes and _is_yarn_cache_key(new_key.version):
        cache_keys = (old_key.version if old_key is not None else None, new_key.version)
        changes = [c for c in changes if not _only_yarn_rewrote_checksum(c, *cache_keys)]
    return changes


# Specifiers that admit any version: no version at all, whichever way it is written (Pipfile.lock's ``"*"`` for a
# path or editable entry, npm's ``*``, nothing).
_ANY_VERSION = frozenset({"", "*"})


# Yarn Berry's ``__metadata.cacheKey`` (checker/manifests/yarn_lock.py): part of every checksum of the lockfile.
_CACHE_KEY = ("config", "yarn.cacheKey")
_BERRY = "yarn-berry:"


def _only_yarn_rewrote_checksum(change: Change, old_key: str | None, new_key: str) -> bool:
    """Whether ``change`` is only Yarn writing a package's checksum anew, with nothing else changed (the same
    version, source, tarball and scope, one Berry checksum on each side, every other hash the same):

    - under a new cache key, which changes every checksum: the one change of ``yarn.cacheKey`` reports it, and is
      reviewed like any setting;
    - the same hash written with its cache key (``<hex>`` -> ``10c0/<hex>``: Yarn 4.0's release candidates wrote
      bare checksums, Yarn 4 prefixes them).

    Yarn compares a checksum only when its key is Yarn's own (Cache.ts: another key, or none, means "update"
    instead of "throw"), so a checksum that takes another key than its lockfile's, or loses its key, turns the
    check off for that package: that is still reported, as is a checksum added or dropped."""
    before, after = change.before, change.after
    if change.kind != "hashes-changed" or before is None or after is None or before.scope != after.scope \
            or before.resolved != after.resolved:
        return False
    old = [h for h in before.hashes if h.startswith(_BERRY)]
    new = [h for h in after.hashes if h.startswith(_BERRY)]
    if len(old) != 1 or len(new) != 1 or before.hashes - {old[0]} != after.hashes - {new[0]}:
        return False
    old_prefix, old_hash = _checksum_parts(old[0])
    new_prefix, new_hash = _checksum_parts(new[0])
    if old_prefix is not None and (old_prefix != old_key or new_prefix is None):
        return False
    if new_prefix is not None and new_prefix != new_key:
        return False
    return old_key != new_key or old_hash == new_hash


def _is_yarn_cache_key(key: str | None) -> bool:
    """Whether ``key`` is one Yarn computes (Cache.ts: its cache version, then ``c<compressionLevel>`` when the
    level is not the default: ``8``, ``10c0``). Under any other key (a hand-written one, ``cacheKeyOverride``)
    every changed checksum is reported."""
    if not key:
        return False
    version, c, level = key.partition("c")
    return version.isdigit() and version.isascii() and (not c or (level.isdigit() and level.isascii()))


def _checksum_parts(entry: str) -> tuple[str | None, str]:
    """(cache key or None, hash) of a ``yarn-berry:[<cacheKey>/]<hex>`` entry."""
    prefix, slash, digest = entry[len(_BERRY):].partition("/")
    return (prefix, digest) if slash else (None, prefix)


def _identity(dep: Dependency) -> str:
    """What makes two entries of one name "the same version": the version, or for ranges the specifier (``*`` and
    nothing are the same range)."""
    if dep.version is not None:
        return dep.version
    return "spec:" if dep.specifier.strip() in _ANY_VERSION else f"spec:{dep.specifier}"


def _occurrence(dep: Dependency) -> tuple:
    """An entry without where it is written (its line and version comment): two occurrences of one reference in a
    file (two ``FROM python:3.12`` stages, a ``uses:`` in two jobs, a package locked twice alike) are the same
    thing installed; anything that tells them apart otherwise (tarball URL, scope, hashes, markers) keeps them
    apart, so that an added copy that differs is reported and judged. Beside an exact version the specifier only
    says which ranges were resolved to it (Yarn 1 writes one block per set of ranges, and its dedupe folds a block
    into another of the same version and tarball), so it does not tell two copies apart."""
    if dep.version is not None and dep.specifier:
        dep = dep._replace(specifier="")
    return dep[:_LINE] + dep[_LABEL + 1:]


_LINE, _LABEL = Dependency._fields.index("line"), Dependency._fields.index("label")
assert _LABEL == _LINE + 1, "_occurrence expects line and label in a row"


def _distinct(deps: list[Dependency]) -> list[Dependency]:
    """The first of each occurrence (see _occurrence), in order."""
    if len(deps) < 2:
        return deps
    seen: dict[tuple, Dependency] = {}
    for dep in deps:
        seen.setdefault(_occurrence(dep), dep)
    return list(seen.values()) if len(seen) < len(deps) else deps


def _diff_one_name(old: list[Dependency], new: list[Dependency]) -> list[Change]:
    # A reference kept in one place and removed (or added) in another is no change of what is installed.
    old, new = _distinct(old), _distinct(new)
    if len(old) == 1 and len(new) == 1:
        # The usual case, one entry on each side: the general pairing below gives the same answer, slower.
        only_before, only_after = old[0], new[0]
        if _identity(only_before) != _identity(only_after):
            return [_version_change(only_before, only_after)]
        same = _same_version_change(only_before, only_after)
        return [] if same is None else [same]
    changes: list[Change] = []
    unmatched_old: list[Dependency] = []
    remaining_new = list(new)
    # Entries that stayed in their scope pair first, so that a copy moving scope is not mistaken for one that stayed.
    pending = [dep for dep in old if not _paired(dep, _take_same_version(dep, remaining_new, same_scope=True),
                                                 changes)]
    pending = [dep for dep in pending if not _paired(dep, _take_same_version(dep, remaining_new, same_scope=True,
                                                                             same_markers=False), changes)]
    for dep in pending:
        if not _paired(dep, _take_same_version(dep, remaining_new), changes):
            unmatched_old.append(dep)
    if unmatched_old or remaining_new:
        unmatched_old, remaining_new = _copies_elsewhere(old, new, unmatched_old, remaining_new, changes)
    for before, after in _pair_by_closeness(unmatched_old, remaining_new):
        if before is None:
            changes.append(Change("added", None, after))
        elif after is None:
            changes.append(Change("removed", before, None))
        else:
            changes.append(_version_change(before, after))
    return changes


def _paired(before: Dependency, after: Dependency | None, changes: list[Change]) -> bool:
    """Record the change of a same-version pair, if any; False when there is no pair."""
    if after is None:
        return False
    same = _same_version_change(before, after)
    if same is not None:
        changes.append(same)
    return True


def _take_same_version(dep: Dependency, candidates: list[Dependency], same_scope: bool = False,
                       same_markers: bool = True) -> Dependency | None:
    """Remove and return the entry of the same version, preferring one with the same markers and scope (a
    package that is both a development and a production entry of one lockfile, and moves only in one);
    ``same_scope``: only one of the same scope (and, with ``same_markers``, the same markers)."""
    identity = _identity(dep)
    matches = [i for i, other in enumerate(candidates) if _identity(other) == identity]
    if same_scope:
        matches = [i for i in matches if candidates[i].scope == dep.scope
                   and (not same_markers or candidates[i].markers == dep.markers)]
    if not matches:
        return None
    best = next((i for i in matches if candidates[i].markers == dep.markers and candidates[i].scope == dep.scope),
                next((i for i in matches if candidates[i].markers == dep.markers), matches[0]))
    return candidates.pop(best)


# How widely a scope installs: production everywhere, optional where it can be, development in development only.
_REACH = {"prod": 0, "optional": 1, "dev": 2}


def _artifact(dep: Dependency) -> tuple:
    """A copy without its role (scope, direct, the markers that say where it applies): what is installed, wherever
    and for whichever reason."""
    return _occurrence(dep._replace(scope="", direct=False, markers=None))


def _copies_elsewhere(old: list[Dependency], new: list[Dependency], unmatched_old: list[Dependency],
                      remaining_new: list[Dependency], changes: list[Change]) -> tuple[list[Dependency], list[Dependency]]:
    """Copies of an artifact the other revision installs too, in another scope (package-lock.json installs one
    version in several folders; Yarn 1 writes a block per set of ranges, each with its own scope). What changed is
    how widely it is installed: a copy reaching a stronger scope than every copy before (a dev copy turned prod while
    other dev copies stay) is ``scope-changed``, as is losing the strongest copy while the version stays; a copy
    gained or lost within the scopes the version reaches anyway (a dev block folded into a prod block) changes
    nothing that is installed, as does a gained copy of an artifact another copy of the head installs at least as
    widely (that copy's own change, such as a stronger integrity, is reported). A gained copy counts as one only
    when it is the same artifact (tarball, hashes, source): another is reported and judged on its own. What is left
    is returned to be paired by version."""
    def strongest(copies: list[Dependency]) -> Dependency | None:
        ranked = [dep for dep in copies if dep.scope in _REACH]
        return min(ranked, key=lambda dep: _REACH[dep.scope]) if len(ranked) == len(copies) and ranked else None

    left_new = []
    paired_new = [dep for dep in new if dep not in remaining_new]  # their changes, if any, are already reported
    for dep in remaining_new:
        before = strongest([other for other in old if _artifact(other) == _artifact(dep)])
        beside = strongest([other for other in paired_new if _artifact(other) == _artifact(dep)])
        if dep.scope in _REACH and beside is not None and _REACH[beside.scope] <= _REACH[dep.scope]:
            continue  # a copy of what the head installs at least as widely anyway, its change reported there
        if before is None or dep.scope not in _REACH:
            left_new.append(dep)
        elif _REACH[dep.scope] < _REACH[before.scope]:
            changes.append(Change("scope-changed", before, dep, "other"))
    left_old = []
    for dep in unmatched_old:
        # A copy lost while the version stays installed, whatever the remaining copies' artifacts: their own
        # changes (hashes, source) are reported by their own pairs; what this one changes is where it reaches.
        after = strongest([other for other in new if _identity(other) == _identity(dep)])
        if after is None or dep.scope not in _REACH:
            left_old.append(dep)
        elif _REACH[after.scope] > _REACH[dep.scope]:
            changes.append(Change("scope-changed", dep, after, "other"))
    return left_old, left_new


def _same_version_change(before: Dependency, after: Dependency) -> Change | None:
    """The change of an entry whose version stayed: where it comes from, its pinned hashes, or the scope it is
    installed in (dev -> prod, optional -> required: a scope move is reviewed like a bump, or a dev-only review
    skip would launder a production dependency)."""
    if before.source is not after.source and before.source != after.source:  # most share DEFAULT_SOURCE
        return Change("source-changed", before, after, "other")
    if before.hashes != after.hashes:
        kind = _hashes_kind(before, after)
        # A quiet kind (more artifacts, a stronger digest) never hides a scope move made in the same edit.
        if kind == "hashes-changed" or before.scope == after.scope:
            return Change(kind, before, after, "other")
    if before.scope != after.scope:
        return Change("scope-changed", before, after, "other")
    return None


def _hashes_kind(before: Dependency, after: Dependency) -> str:
    """What other hashes of one version from one source mean (see checker.model.INFO_KINDS).

    ``artifacts-added``: a Python registry version that keeps every hash it pinned and pins more (a lockfile
    tool adding the wheels of new platforms). Hashes are a flat set of artifact digests in every Python lockfile,
    so "before is a subset of after" says exactly that no pinned artifact changed or went away. Only a registry
    version has several artifacts: a URL, git or path source is one file, and a second hash beside its first lets
    whatever the URL serves next be installed. The new hashes are still judged (hash-mismatch asks the registry
    whether it published them; registry-source judges the hosts, whose change is ``source-changed``).

    ``integrity-upgraded``: an npm registry version fetched from the same ``resolved`` tarball whose sha1
    integrity is replaced or joined by a stronger digest (old lockfiles rewritten by a newer npm or Yarn). A sha1 and
    a sha512 of one tarball cannot be compared here, so the new digest is trusted to no one: hash-mismatch compares
    it with the registry's. Any sha1 added or replaced, a weaker digest, another sha512, or no digest before, is
    not an upgrade.

    ``hashes-changed``: anything else (a pinned artifact replaced or removed)."""
    if after.source.kind == "registry":
        if after.ecosystem == "pypi" and before.hashes <= after.hashes:
            return "artifacts-added"
        if after.ecosystem == "npm" and before.resolved == after.resolved and _integrity_upgrade(before, after):
            return "integrity-upgraded"
    return "hashes-changed"


_STRONGER_THAN_SHA1 = frozenset({"sha256", "sha384", "sha512"})


def _integrity_upgrade(before: Dependency, after: Dependency) -> bool:
    """Every digest pinned before is a sha1, and every digest added is a stronger one (``algo:hex`` entries)."""
    added = after.hashes - before.hashes
    return bool(before.hashes) and bool(added) \
        and all(entry.partition(":")[0] == "sha1" for entry in before.hashes) \
        and all(entry.partition(":")[0] in _STRONGER_THAN_SHA1 for entry in added)


# Ecosystems whose versions are refs (a commit with a version comment, a tag, an image tag or digest): ordered by
# checker.versions.refs, and another commit or digest under the same version is a change of what runs.
_REF_ECOSYSTEMS = ("actions", "docker", "pre-commit")


def _comparable(dep: Dependency) -> str | None:
    if dep.ecosystem in _REF_ECOSYSTEMS:
        from checker.versions.refs import comparable

        return comparable(dep.ecosystem, dep.version, dep.label)  # a SHA pin orders by its comment
    return dep.version if dep.version is not None else lower_bound(dep.specifier, dep.ecosystem)


def _version_change(before: Dependency, after: Dependency) -> Change:
    """upgraded / downgraded by version order; source-changed when the versions cannot be ordered, and for a
    setting, whose value is no version even when it looks like one (a cooldown of 1440 minutes set to 0)."""
    if after.ecosystem == "config":
        return Change("source-changed", before, after, "other")
    a, b = _comparable(before), _comparable(after)
    order = compare(after.ecosystem, a, b) if a is not None and b is not None else None
    if order is None or a is None or b is None:
        if before.version is None and after.version is None and before.source == after.source:
            return Change("upgraded", before, after, "other")  # a range changed without a comparable bound
        return Change("source-changed", before, after, "other")
    kind = "downgraded" if order > 0 else "upgraded"
    if order == 0 and after.ecosystem in _REF_ECOSYSTEMS:
        # Another commit under the same version comment, another digest under the same tag: the code moved
        # while the version it claims did not.
        return Change("hashes-changed" if after.ecosystem == "docker" else "source-changed", before, after, "other")
    if order == 0:
        # Same version written differently (1.0 vs 1.0.0) or same lower bound of a changed range.
        kind = "upgraded" if before.source == after.source else "source-changed"
    return Change(kind, before, after, bump(after.ecosystem, a, b))


def _distance(before: Dependency, after: Dependency) -> tuple[int, float]:
    """How alike two versions are, for pairing: same major first, then numeric closeness."""
    va, vb = parse_version(_comparable(before) or ""), parse_version(_comparable(after) or "")
    if va is None or vb is None:
        return (1, float("inf"))
    ra, rb = va.release + (0, 0, 0), vb.release + (0, 0, 0)
    gap = sum(abs(x - y) / (1000.0**i) for i, (x, y) in enumerate(zip(ra[:3], rb[:3])))
    return (0 if ra[0] == rb[0] else 1, gap)


def _pair_by_closeness(
    old: list[Dependency], new: list[Dependency]
) -> list[tuple[Dependency | None, Dependency | None]]:
    if len(old) == 1 and len(new) == 1:
        return [(old[0], new[0])]
    pairs: list[tuple[Dependency | None, Dependency | None]] = []
    old = list(old)
    for after in new:
        if not old:
            pairs.append((None, after))
            continue
        best = min(range(len(old)), key=lambda i: _distance(old[i], after))
        pairs.append((old.pop(best), after))
    pairs.extend((before, None) for before in old)
    return pairs
