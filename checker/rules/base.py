"""What a rule is: an id, a default level, an explanation, its options, and pure check functions.

A rule never reads files or the network. It is handed a Subject (one dependency of the head revision, the
change that brought it, its manifest, and the registry facts) and its validated options, and yields Issues.
The policy engine turns Issues into Findings at the level the policy sets.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, NamedTuple

from checker.model import Change, Dependency, Facts, Manifest

# Option kinds the policy loader knows how to validate (and the JSON Schema describes).
OPTION_KINDS = ("int", "bool", "str", "choice", "str-list", "package-list", "str-map", "deny-list", "publisher-list")

# The ecosystems whose registries the facts stage asks (checker/registries/stage.py).
REGISTRY_ECOSYSTEMS = ("pypi", "npm")


def asks_registry(dep: Dependency) -> bool:
    """Whether lockgate asks a registry about this dependency: an exact PyPI or npm version fetched from a
    registry (not a git, URL or path source, not an editable install, not bundled inside another package). A rule
    that reads registry facts applies to these only; the facts stage asks about these only."""
    return (
        dep.ecosystem in REGISTRY_ECOSYSTEMS and bool(dep.version) and dep.source.kind == "registry"
        and not dep.editable and not dep.bundled
    )


class Option(NamedTuple):
    name: str
    kind: str
    default: Any
    doc: str
    choices: tuple[str, ...] = ()  # for "choice"; for "str-map", the values allowed
    key_pattern: str | None = None  # for "str-map": a regular expression every key must match in full
    key_doc: str | None = None  # for "str-map": what a key looks like, for error messages


class Subject(NamedTuple):
    """One dependency of the head revision, judged with what is known about it."""

    dependency: Dependency
    manifest: Manifest
    change: Change | None = None
    facts: Facts | None = None


class Issue(NamedTuple):
    """A rule's complaint. level None means the level the policy sets for the rule; a rule may ask for a lower
    one for a milder sub-case (the engine never raises a level above the policy's)."""

    message: str
    hint: str | None = None
    level: str | None = None
    unknown: bool = False
    line: int | None = None


DependencyCheck = Callable[[Subject, Mapping[str, Any]], Iterable[Issue]]
# (head manifest, base manifest or None, options) -> issues about the manifest as a whole
ManifestCheck = Callable[[Manifest, "Manifest | None", Mapping[str, Any]], Iterable[Issue]]


class Rule(NamedTuple):
    id: str
    default_level: str
    summary: str
    explanation: str
    fix: str
    example: str
    options: tuple[Option, ...] = ()
    check_dependency: DependencyCheck | None = None
    check_manifest: ManifestCheck | None = None

    def defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}
