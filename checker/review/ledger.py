"""The review ledger: a YAML file in the repository that records reviewed dependency changes.

Read (``parse_ledger``) as evidence, and appended to (``append_entry``) by ``lockgate review`` without
rewriting the rest of the file: ruamel.yaml's round-trip mode keeps comments, order and formatting.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, NamedTuple, Sequence

from checker.errors import PolicyError, UsageError
from checker.model import CHANGE_KINDS, INFO_KINDS, Change
from checker.policy.patterns import PackagePattern

_ENTRY_KEYS = ("package", "from", "to", "kind", "reviewer", "date", "reason", "manifest")
# Changes that keep the version: the version says nothing of what was reviewed (the new artifact, the new source,
# the new scope), so only an entry recorded for that very kind of change, from that very version, covers one.
SAME_VERSION_KINDS = ("hashes-changed", "source-changed", "scope-changed", *INFO_KINDS)
# Reasons that say nothing was written yet: what the printed command holds (``--reason "..."``, kept with its quotes
# when pasted inside other quotes), the help's metavar, and the usual fillers. Compared case-insensitively once the
# punctuation around them is gone (``<reason>``, ``TODO:``, ``'tbd'``); a reason of one character says nothing either.
PLACEHOLDER_REASONS = frozenset({
    "todo", "tbd", "tba", "fixme", "xxx", "xx", "wip", "reason", "text", "placeholder", "n/a", "na", "none", "null",
    "what you checked", "why",
})


def placeholder_reason(reason: str) -> bool:
    """Whether ``reason`` is a placeholder rather than what the reviewer checked (a ledger entry is the evidence
    that someone looked: one that says "..." is evidence of copy and paste)."""
    words = [i for i, ch in enumerate(reason) if ch.isalnum()]
    core = reason[words[0]:words[-1] + 1].casefold() if words else ""
    return len(core) <= 1 or core in PLACEHOLDER_REASONS


class LedgerEntry(NamedTuple):
    """One reviewed change: ``package`` went from ``from_version`` (None for a new dependency) to ``to_version``;
    ``kind`` is the kind of change reviewed (None in entries written before lockgate recorded it)."""

    package: PackagePattern
    from_version: str | None
    to_version: str
    reviewer: str
    date: str
    reason: str
    manifest: str | None
    path: str
    line: int | None
    kind: str | None = None

    @property
    def origin(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def covers(self, change: Change) -> bool:
        """Whether this entry reviewed ``change``. A change that keeps its version (new hashes, a new source, a
        new scope) is covered only by an entry of that kind from exactly that version: a wildcard ``from``, an
        entry of another kind or one without a kind never reviews a republished artifact."""
        dep = change.dependency
        if not self.package.matches(dep.ecosystem, dep.name):
            return False
        if self.manifest is not None and self.manifest != dep.manifest:
            return False
        before = change.before.display_version() if change.before is not None else None
        after = change.after.display_version() if change.after is not None else None
        if change.kind == "removed":
            return self.from_version == before and self.to_version == "-" and self.kind in (None, "removed")
        if before == after:
            return self.kind == change.kind and self.from_version == before and self.to_version == after
        if self.kind in SAME_VERSION_KINDS:
            return False
        return self.to_version == after and self.from_version in (before, "*")


def review_command(change: Change) -> str:
    """The ``lockgate review`` command that records ``change`` in the ledger (what a finding and the comment show
    to copy): the kind is named where the versions cannot tell it."""
    dep = change.dependency
    before = change.before.display_version() if change.before is not None else "-"
    after = change.after.display_version() if change.after is not None else "-"
    kind = f" --kind {change.kind}" if before == after else ""
    return f'lockgate review {dep.key} {before} {after}{kind} --reason "..."'


def _version(value: Any, what: str, path: str, line: int | None) -> str | None:
    """A version field: a string; ``-`` or null for "none" (the side of an added or removed dependency)."""
    if value is None or value in ("", "-"):
        return None
    if not isinstance(value, str):
        # ruamel's round-trip types (ScalarFloat, ...) would mean nothing to the reader: name the plain kind.
        kind = "boolean" if isinstance(value, bool) else "number" if isinstance(value, (int, float)) else type(value).__name__
        raise PolicyError(f"{what} must be a quoted string (YAML reads {value} as a {kind})", path, line)
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def parse_ledger(text: str, path: str) -> tuple[LedgerEntry, ...]:
    """Entries of a review ledger; a malformed ledger is an error (a silently ignored ledger would block all)."""
    from checker.policy.load import _line, _Reader, _yaml_load

    document = _yaml_load(text, path)
    if document is None:
        return ()
    reader = _Reader(path)
    top = reader.mapping(document, "the review ledger", 1, ("reviews",))
    items = top.get("reviews") or []
    if not isinstance(items, list):
        raise PolicyError("`reviews` must be a list of entries", path, _line(top, "reviews"))
    entries = []
    for index, item in enumerate(items):
        line = _line(items, index=index)
        what = f"reviews[{index}]"
        item = reader.mapping(item, what, line, _ENTRY_KEYS)
        for required in ("package", "to", "reviewer", "reason"):
            if item.get(required) in (None, ""):
                raise PolicyError(f"{what} needs `{required}`", path, line)
        package = reader.package(str(item["package"]), f"{what}.package", line)
        if package.ecosystem == "*":
            raise PolicyError(f"{what}.package must name its ecosystem (pypi:name, npm:name, ...)", path, line)
        entries.append(
            LedgerEntry(
                package=package,
                from_version=_version(item.get("from"), f"{what}.from", path, line),
                to_version=_version(item["to"], f"{what}.to", path, line) or "-",
                reviewer=str(item["reviewer"]),
                date=_text(item.get("date")) or "",
                reason=str(item["reason"]),
                manifest=_text(item.get("manifest")),
                path=path,
                line=line,
                kind=reader.choice(str(item["kind"]), f"{what}.kind", line, CHANGE_KINDS) if item.get("kind") else None,
            )
        )
    return tuple(entries)


LEDGER_HEADER = """\
# lockgate review ledger: each entry records that a person reviewed one dependency change.
# Pull requests are judged against this file as it stands on their base branch, so an entry takes effect once
# it has itself been reviewed and merged. Add entries with: lockgate review PACKAGE FROM TO [--kind KIND] --reason TEXT
reviews: []
"""


class NewEntry(NamedTuple):
    """An entry ``lockgate review`` adds: ``from_version`` None for a new dependency, ``to_version`` ``-`` for a
    removal, ``kind`` None only where the versions alone say what changed (entries of older lockgates)."""

    package: str
    from_version: str | None
    to_version: str
    kind: str | None = None


def refuse_placeholder(reason: str) -> None:
    """Raise a usage error for a reason that says nothing (checked before anything is read or written)."""
    if not reason.strip():
        raise UsageError("--reason must say what was reviewed and why it is acceptable")
    if placeholder_reason(reason):
        raise UsageError(f"--reason {reason.strip()!r} is a placeholder: say what you checked and why it is acceptable "
                         "(for example --reason \"read the diff of 2.32.3..2.32.4: no new install hooks\")")


def read_ledger(path: str) -> tuple[LedgerEntry, ...]:
    """The entries of the ledger file at ``path`` as it stands on disk (none when it does not exist)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return ()
    return parse_ledger(text, path)


def append_entry(path: str, package: str, from_version: str | None, to_version: str, reviewer: str,
                 reason: str, today: dt.date, kind: str | None = None) -> int:
    """Append one entry to the ledger file (created when missing); returns the entry's line number."""
    return append_entries(path, [NewEntry(package, from_version, to_version, kind)], reviewer, reason, today)[0]


def append_entries(path: str, new: Sequence[NewEntry], reviewer: str, reason: str, today: dt.date) -> list[int]:
    """Append entries to the ledger file (created when missing), all by one reviewer for one reason, in one write;
    returns each entry's line number.

    Existing entries and comments stay byte for byte: when the file already lists entries in block style, the
    new ones are added as text below them. Only a ledger without entries (or with a flow-style list) is re-dumped.
    The file is replaced whole (a temporary file renamed over it), so an interrupted run leaves the old ledger or the
    new one, never half of a batch; a ledger that is a symbolic link keeps its link (the file it names is replaced).
    """
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from checker.policy.load import _yaml_load

    refuse_placeholder(reason)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        text = LEDGER_HEADER
    parse_ledger(text, path)  # refuse to append to a ledger that is already malformed
    if not text.strip():
        text = LEDGER_HEADER
    elif not text.endswith("\n"):
        text += "\n"
    document = _yaml_load(text, path)
    if document is None:  # nothing but comments: keep them, and start the list below them
        text += "reviews: []\n"
        document = _yaml_load(text, path)
    added = []
    for item in new:
        entry = CommentedMap()
        entry["package"] = item.package
        entry["from"] = item.from_version
        entry["to"] = item.to_version
        if item.kind is not None:
            entry["kind"] = item.kind
        entry["reviewer"] = reviewer
        entry["date"] = today.isoformat()
        entry["reason"] = reason.strip()
        added.append(entry)
    yaml = YAML(typ="rt")
    yaml.width = 4096
    stream = io.StringIO()
    reviews = document.get("reviews")
    if isinstance(reviews, CommentedSeq) and len(reviews) and not reviews.fa.flow_style():
        # `reviews` is the ledger's only key, so its block list runs to the end of the file: append below it,
        # with the dash in the column the existing entries use.
        yaml.indent(mapping=2, sequence=reviews.lc.col + 2, offset=reviews.lc.col)
        yaml.dump(added, stream)
        text += stream.getvalue()
    else:
        if reviews is None:
            reviews = CommentedSeq()
            document["reviews"] = reviews
        if isinstance(reviews, CommentedSeq) and reviews.fa.flow_style():
            reviews.fa.set_block_style()
        reviews.extend(added)
        yaml.indent(mapping=2, sequence=4, offset=2)
        yaml.dump(document, stream)
        text = stream.getvalue()
    entries = parse_ledger(text, path)
    _replace_file(path, text)
    return [entry.line or 0 for entry in entries[len(entries) - len(added):]]


def _replace_file(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a temporary file beside the target, renamed over it (keeping its
    permissions). A symbolic link is followed, so the link stays and the file it names is replaced."""
    import stat
    import tempfile

    target = os.path.realpath(path)
    directory = os.path.dirname(target)
    os.makedirs(directory, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    handle, temporary = tempfile.mkstemp(prefix=".lockgate-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if mode is not None:
            os.chmod(temporary, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # what open() would have given a new file
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
