"""Load a policy file: YAML through ruamel.yaml (which keeps line numbers), ``extends`` chains, validation.

Every mistake is reported with the file, the line, and what would have been valid. The result is a frozen
Policy: plain data the engine reads and never changes.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Callable, Mapping, NamedTuple

from checker.errors import PolicyError
from checker.model import CHANGE_KINDS, ECOSYSTEMS, LEVELS
from checker.policy.patterns import PackagePattern, hidden_character
from checker.rules import all_rules
from checker.rules.base import Option, Rule
from checker.versions.compare import is_valid_spec

# ``off``: an unknown fact costs nothing and is not shown (the JSON output keeps it, at level off, for tools).
ON_UNKNOWN = ("off", "info", "warn", "block")
BUMP_CHOICES = ("major", "minor", "patch", "other")
SCOPE_CHOICES = ("prod", "dev", "optional", "build")
_TOP_KEYS = ("extends", "on-unknown", "paths", "rules", "review", "exceptions", "hook", "registries")
# The registries of the other package ecosystems, each asked at one base URL (a mirror, a proxy, a test server):
# ``go`` the module proxy (GOPROXY), ``go-sumdb`` the checksum database, ``cargo`` crates.io's API, ``gem``
# RubyGems, ``composer`` Packagist's metadata, ``nuget`` the NuGet v3 service index, ``pub`` pub.dev.
OTHER_REGISTRIES = ("go", "go-sumdb", "cargo", "gem", "composer", "nuget", "pub")
_REGISTRY_KEYS = ("pypi", "npm", *OTHER_REGISTRIES, "osv", "scorecard", "timeout", "retries", "budget", "cache",
                  "cache-ttl")
_REGISTRY_ECOSYSTEM_KEYS = {"pypi": ("url",), "npm": ("url", "serves-provenance"), "osv": ("url", "private"),
                            "scorecard": ("url",), **{key: ("url",) for key in OTHER_REGISTRIES}}
_HOOK_KEYS = ("online", "on-unknown")
_REVIEW_KEYS = ("required-for", "skip", "reviewers", "label", "ledger", "allow-stale-approvals")
_SKIP_KEYS = ("scope", "bump", "kind", "package", "direct")
_EXCEPTION_KEYS = ("rule", "package", "advisory", "reason", "expires")
# The rules whose findings name an advisory, so that an exception may name it; malicious only that way.
_ADVISORY_RULES = ("vulnerability", "malicious")
MAX_EXTENDS_DEPTH = 10

# Reads a policy file named by ``extends`` (a path relative to the repository or the working directory).
PolicyReader = Callable[[str], "str | None"]


class RuleSetting(NamedTuple):
    level: str
    options: Mapping[str, Any]


class SkipEntry(NamedTuple):
    """Changes that need no review: every field that is set must match."""

    scope: str | None = None
    bump: str | None = None
    kind: str | None = None
    package: PackagePattern | None = None
    direct: bool | None = None


class ReviewPolicy(NamedTuple):
    required_for: tuple[str, ...] = ("added", "upgraded", "downgraded", "source-changed", "hashes-changed")
    skip: tuple[SkipEntry, ...] = ()
    reviewers: tuple[str, ...] = ()
    label: str | None = None
    ledger: str | None = None
    allow_stale_approvals: bool = False


class PolicyException(NamedTuple):
    """A waiver: findings of ``rule`` (``*``: any) on the dependencies ``package`` matches and, when ``advisory`` is
    set (rules vulnerability and malicious only), about that advisory (its id or any alias, in any case). One of
    package and advisory is always set; both narrow."""

    rule: str
    package: PackagePattern | None
    reason: str
    expires: dt.date
    path: str
    line: int | None
    advisory: str | None = None

    @property
    def origin(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def covers(self) -> str:
        """What it waives, in words: ``pypi:requests``, ``GHSA-9wx4-h78v-vm56``, or both."""
        return " ".join(part for part in (self.package and self.package.text, self.advisory) if part)


class DenyEntry(NamedTuple):
    """One deny-list entry; ``known``: it comes from lockgate's shipped list of known-malicious releases (the
    message then says so), not from the policy."""

    pattern: PackagePattern
    reason: str | None = None
    url: str | None = None
    known: bool = False


class PublisherPin(NamedTuple):
    """The publisher a package must come from (provenance's ``trusted-publishers``): the parts given must match
    (repository ``owner/repo`` without regard to case, workflow by file name, environment exactly)."""

    pattern: PackagePattern
    repository: str
    workflow: str | None = None
    environment: str | None = None

    def describe(self) -> str:
        text = self.repository
        if self.workflow:
            text += f" ({self.workflow}" + (f", environment {self.environment})" if self.environment else ")")
        elif self.environment:
            text += f" (environment {self.environment})"
        return text


class HookPolicy(NamedTuple):
    """How the pre-commit hook behaves: registries off unless ``online``; what an unknown fact costs locally
    (never a block unless the policy says so: a developer's commit must not fail because a registry was slow)."""

    online: bool = False
    on_unknown: str = "warn"


class RegistryPolicy(NamedTuple):
    """Where and how the facts stage asks the registries (the ``registries:`` section).

    ``pypi`` / ``npm``: the index or registry asked about packages that come from the public one (a manifest that
    names no index, or names pypi.org / registry.npmjs.org): a mirror, a proxy, or a test server. A manifest that
    names another index is asked at that index. None: the public registry. ``npm_serves_provenance``: whether the
    npm registry passes provenance through, so that its absence means "none" (None: decided per registry; only
    registry.npmjs.org is trusted to). ``osv``: the OSV API asked about advisories (None: https://api.osv.dev; the
    environment's ``LOCKGATE_OSV_URL`` overrides both); ``osv_private``: packages whose names are never sent to it
    (internal packages: their advisories come from the synced copy only, else are unknown). ``scorecard``: the OpenSSF Scorecard API (None:
    https://api.securityscorecards.dev; ``LOCKGATE_SCORECARD_URL`` overrides both). ``go``, ``go_sumdb``, ``cargo``,
    ``gem``, ``composer``, ``nuget``, ``pub``: the other ecosystems' registries (OTHER_REGISTRIES; None: the
    public one). ``timeout`` per request (seconds), ``retries`` on 429/5xx/connection errors,
    ``budget``: seconds all registry lookups of a run may take; ``cache``: use the on-disk cache; ``cache_ttl``:
    seconds a cached document is used without asking again."""

    pypi: str | None = None
    npm: str | None = None
    npm_serves_provenance: bool | None = None
    osv: str | None = None
    osv_private: tuple[PackagePattern, ...] = ()
    scorecard: str | None = None
    go: str | None = None
    go_sumdb: str | None = None
    cargo: str | None = None
    gem: str | None = None
    composer: str | None = None
    nuget: str | None = None
    pub: str | None = None
    timeout: float = 10.0
    retries: int = 3
    budget: float = 120.0
    cache: bool = True
    cache_ttl: int = 3600


class Policy(NamedTuple):
    source: str
    on_unknown: str
    ignore: tuple[str, ...]
    rules: Mapping[str, RuleSetting]
    review: ReviewPolicy
    exceptions: tuple[PolicyException, ...] = ()
    chain: tuple[str, ...] = ()
    hook: HookPolicy = HookPolicy()
    registries: RegistryPolicy = RegistryPolicy()


def presets_dir() -> str:
    # checker.policies is the repository's policies/ folder, which setuptools' package-dir maps into the package
    # (pyproject.toml): a type checker reading checker/ cannot see it.
    import checker.policies  # type: ignore[import-not-found]

    module_file: str = checker.policies.__file__
    return os.path.dirname(module_file)


def preset_names() -> list[str]:
    return sorted(
        name[:-4] for name in os.listdir(presets_dir()) if name.endswith(".yml") and name != "known-bad.yml"
    )


def _timestamp(constructor: Any, node: Any) -> Any:
    """A YAML date that names no real day (``2027-13-01``): a marked error with a line, not a ValueError."""
    from ruamel.yaml.constructor import ConstructorError

    try:
        return type(constructor).construct_yaml_timestamp(constructor, node)
    except ValueError as exc:
        raise ConstructorError(None, None, f"{node.value} is not a valid date ({exc})", node.start_mark) from None


def _yaml_load(text: str, path: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from checker.manifests.lockyaml import TooDeep, depth_limited_composer

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Composer = depth_limited_composer(MAX_POLICY_DEPTH)
    constructors = yaml.constructor.yaml_constructors
    yaml.constructor.yaml_constructors = {**constructors, "tag:yaml.org,2002:timestamp": _timestamp}
    try:
        node = yaml.compose(text)
        if node is None:
            return None
        _check_expansion(node, path)
        return yaml.constructor.construct_document(node)
    except TooDeep as deep:
        raise PolicyError(f"nested more than {MAX_POLICY_DEPTH} levels deep", path, deep.mark.line + 1) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise PolicyError(f"not valid YAML: {exc.problem or exc.context}", path, line) from None
    except YAMLError as exc:
        raise PolicyError(f"not valid YAML: {exc}", path) from None
    except RecursionError:  # ruamel.yaml's composer recurses once per level
        raise PolicyError(f"nested more than {MAX_POLICY_DEPTH} levels deep", path, _deep_line(text)) from None
    except ValueError:  # an integer too long for int() (Python's 4300-digit limit)
        from checker.manifests.common import number_too_long

        error = number_too_long(text, path)
        raise PolicyError(error.message, path, error.line) from None


# A policy is a handful of small mappings. Beyond these bounds a document is not a policy but an attack on the
# reader: aliases that expand a few lines into millions of nodes (a "billion laughs"), or nesting that exhausts
# the stack of any code that walks it.
MAX_POLICY_NODES = 100_000
MAX_POLICY_DEPTH = 64


def _check_expansion(root: Any, path: str) -> None:
    """Walk the composed document as the tree its aliases stand for, counting nodes as they would be expanded:
    more than MAX_POLICY_NODES (an alias bomb, or an alias that contains itself) or deeper than MAX_POLICY_DEPTH
    is a PolicyError with the line. The walk stops at the bound, so it costs at most that many steps."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    stack = [(root, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_POLICY_NODES:
            raise PolicyError(
                f"expands to more than {MAX_POLICY_NODES:,} values through YAML aliases: refusing an alias bomb",
                path, node.start_mark.line + 1,
            )
        if depth > MAX_POLICY_DEPTH:
            raise PolicyError(f"nested more than {MAX_POLICY_DEPTH} levels deep", path, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def _deep_line(text: str) -> int | None:
    """The line where the document first nests deeper than MAX_POLICY_DEPTH, from the parser's events (the
    parser is a loop, not a recursion, so this works where composing ran out of stack)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    depth = 0
    try:
        for event in YAML(typ="safe", pure=True).parse(text):
            kind = type(event).__name__
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_POLICY_DEPTH:
                    line: int = event.start_mark.line  # ruamel.yaml's events are untyped
                    return line + 1
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except YAMLError:
        return None
    return None


def load_shipped_yaml(text: str, path: str) -> Any:
    """A YAML file shipped with lockgate. Those written in YAML's JSON-compatible flow style (with full-line
    comments only) are read by the json module: the same data in well under a millisecond, where the YAML
    parser needs tens. Anything else goes through the YAML parser. Shipped files are tested to be valid, so
    the line numbers only the YAML parser keeps are not needed here."""
    import json

    body = "".join(line for line in text.splitlines(True) if not line.lstrip().startswith("#"))
    if body.lstrip().startswith("{"):
        try:
            return json.loads(body)
        except ValueError:
            pass
    return _yaml_load(text, path)


def _line(node: Any, key: Any = None, index: int | None = None) -> int | None:
    """1-based line of a mapping key, a sequence item, or the node itself; None when unknown."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:  # ruamel.yaml's LineCol, untyped: 0-based lines
        if key is not None:
            line: int = lc.key(key)[0] + 1
        elif index is not None:
            line = lc.item(index)[0] + 1
        else:
            line = lc.line + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return line


class _Reader:
    """Validation of one policy document, with its path for messages."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, message: str, line: int | None) -> PolicyError:
        return PolicyError(message, self.path, line)

    def mapping(self, value: Any, what: str, line: int | None, keys: tuple[str, ...]) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(f"{what} must be a mapping", line)
        for key in value:
            if key not in keys:
                raise self.fail(f"unknown key {key!r} in {what}; valid keys: {', '.join(keys)}", _line(value, key))
        return value

    def choice(self, value: Any, what: str, line: int | None, choices: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in choices:
            raise self.fail(f"{what} must be one of {', '.join(choices)}; found {value!r}", line)
        return value

    def string(self, value: Any, what: str, line: int | None) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{what} must be a non-empty string; found {value!r}", line)
        return value

    def string_list(self, value: Any, what: str, line: int | None) -> list[str]:
        if isinstance(value, str):  # the shorthand for a list of one, held to the same rule as each item
            return [self.string(value, what, line)]
        if not isinstance(value, list):
            raise self.fail(f"{what} must be a list of strings", line)
        out = []
        for index, item in enumerate(value):
            out.append(self.string(item, f"{what}[{index}]", _line(value, index=index) or line))
        return out

    def package(self, value: Any, what: str, line: int | None) -> PackagePattern:
        text = self.string(value, what, line)
        hidden = hidden_character(text)
        if hidden is not None:
            raise self.fail(
                f"{what}: {text!r} contains the invisible character {hidden}, which no package name holds "
                "(was it pasted from a rendered page?); write the name without it", line
            )
        pattern = PackagePattern.parse(text)
        if pattern.ecosystem != "*" and pattern.ecosystem not in ECOSYSTEMS:
            raise self.fail(
                f"{what}: unknown ecosystem {pattern.ecosystem!r} in {text!r}; valid: {', '.join(ECOSYSTEMS)}", line
            )
        if not pattern.name:
            raise self.fail(f"{what}: {text!r} names no package (expected ecosystem:name[@version])", line)
        if pattern.version is not None and not is_valid_spec(pattern.version, pattern.ecosystem):
            if pattern.ecosystem == "npm":
                raise self.fail(
                    f"{what}: {pattern.version!r} in {text!r} is neither a version nor an npm range "
                    "(expected e.g. @1.2.3, @^1.2 or @>=1.2.0 <2)",
                    line,
                )
            raise self.fail(
                f"{what}: {pattern.version!r} in {text!r} is neither a version nor a PEP 440 range "
                "(expected e.g. @1.2.3, @>=1.2,<2 or @==1.*)",
                line,
            )
        return pattern


def _option_value(reader: _Reader, option: Option, value: Any, what: str, line: int | None) -> Any:
    kind = option.kind
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise reader.fail(f"{what} must be a whole number of 0 or more; found {value!r}", line)
        return int(value)
    if kind == "score":  # an OpenSSF Scorecard score
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10:
            raise reader.fail(f"{what} must be a number from 0 to 10; found {value!r}", line)
        return float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise reader.fail(f"{what} must be true or false; found {value!r}", line)
        return value
    if kind == "str":
        return reader.string(value, what, line)
    if kind == "choice":
        return reader.choice(value, what, line, option.choices)
    if kind == "str-list":
        return tuple(reader.string_list(value, what, line))
    if kind == "spdx-list":  # SPDX license ids or expressions (rule license), normalised
        items = reader.string_list(value, what, line)
        if not items:  # the default: no license code loaded
            return ()
        from checker.versions.licenses import normalise_entries

        entries, bad = normalise_entries(items)
        if bad:
            index = items.index(bad[0])
            where = _line(value, index=index) if isinstance(value, list) else None
            raise reader.fail(f"{what}[{index}]: {bad[0]!r} is not an SPDX license id or expression (expected e.g. "
                              "MIT, Apache-2.0, GPL-2.0-only WITH Classpath-exception-2.0, LicenseRef-Internal)",
                              where or line)
        return tuple(entries)
    if kind == "license-scopes":  # rule license: per scope, lists that replace the rule's own
        if not isinstance(value, Mapping):
            raise reader.fail(f"{what} must be a mapping of scope names to {{allow: [...], deny: [...]}}", line)
        scopes = {}
        for scope, lists in value.items():
            item_line = _line(value, scope) or line
            named = f"{what}.{scope}"
            if not isinstance(lists, Mapping) or not lists or set(map(str, lists)) - {"allow", "deny"}:
                raise reader.fail(f"{named} must be a mapping with allow and/or deny (lists of SPDX ids or "
                                  f"expressions); found {dict(lists) if isinstance(lists, Mapping) else lists!r}",
                                  item_line)
            spdx = option._replace(kind="spdx-list")
            scopes[str(scope)] = MappingProxyType({
                name: _option_value(reader, spdx, lists.get(name, []), f"{named}.{name}", _line(lists, name) or item_line)
                for name in ("allow", "deny")})
        return MappingProxyType(scopes)
    if kind == "package-list":
        items = value if isinstance(value, list) else [value]
        return tuple(
            reader.package(item, f"{what}[{i}]", _line(value, index=i) or line) for i, item in enumerate(items)
        )
    if kind == "str-map":
        if not isinstance(value, Mapping):
            raise reader.fail(f"{what} must be a mapping of strings", line)
        out = {}
        for k, v in value.items():
            item_line = _line(value, k) or line
            if option.key_pattern is not None and not re.fullmatch(option.key_pattern, str(k)):
                raise reader.fail(f"{what}: {str(k)!r} is not {option.key_doc or 'a valid key'}", item_line)
            if option.choices:
                out[str(k)] = reader.choice(v, f"{what}.{k}", item_line, option.choices)
            else:
                out[str(k)] = reader.string(v, f"{what}.{k}", item_line)
        return MappingProxyType(out)
    if kind == "deny-list":
        return tuple(_deny_entries(reader, value, what, line))
    if kind == "publisher-list":
        return tuple(_publisher_pins(reader, value, what, line))
    raise AssertionError(f"unhandled option kind {kind}")


def _deny_entries(reader: _Reader, value: Any, what: str, line: int | None) -> list[DenyEntry]:
    if not isinstance(value, list):
        raise reader.fail(f"{what} must be a list", line)
    entries = []
    for index, item in enumerate(value):
        item_line = _line(value, index=index) or line
        if isinstance(item, str):
            entries.append(DenyEntry(reader.package(item, f"{what}[{index}]", item_line)))
            continue
        item = reader.mapping(item, f"{what}[{index}]", item_line, ("package", "reason", "url"))
        if "package" not in item:
            raise reader.fail(f"{what}[{index}] needs a `package`", item_line)
        lines = {key: _line(item, key) or item_line for key in item}
        entries.append(
            DenyEntry(
                reader.package(item["package"], f"{what}[{index}].package", lines["package"]),
                reader.string(item["reason"], f"{what}[{index}].reason", lines["reason"]) if "reason" in item else None,
                reader.string(item["url"], f"{what}[{index}].url", lines["url"]) if "url" in item else None,
            )
        )
    return entries


_PIN_KEYS = ("package", "repository", "workflow", "environment")


def _publisher_pins(reader: _Reader, value: Any, what: str, line: int | None) -> list[PublisherPin]:
    if not isinstance(value, list):
        raise reader.fail(f"{what} must be a list of {{package, repository, workflow, environment}} entries", line)
    pins = []
    for index, item in enumerate(value):
        item_line = _line(value, index=index) or line
        item = reader.mapping(item, f"{what}[{index}]", item_line, _PIN_KEYS)
        for needed in ("package", "repository"):
            if needed not in item:
                raise reader.fail(f"{what}[{index}] needs a `{needed}`", item_line)
        lines = {key: _line(item, key) or item_line for key in item}
        repository = reader.string(item["repository"], f"{what}[{index}].repository", lines["repository"]).strip()
        if not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+", repository):
            raise reader.fail(f"{what}[{index}].repository must be owner/repo (GitLab: namespace/project); "
                              f"found {repository!r}", lines["repository"])
        pins.append(PublisherPin(
            reader.package(item["package"], f"{what}[{index}].package", lines["package"]),
            repository,
            reader.string(item["workflow"], f"{what}[{index}].workflow", lines["workflow"]).strip()
            if "workflow" in item else None,
            reader.string(item["environment"], f"{what}[{index}].environment", lines["environment"]).strip()
            if "environment" in item else None,
        ))
    return pins


def _rule_settings(
    reader: _Reader, value: Any, line: int | None, rules: Mapping[str, Rule], inherited: dict[str, dict[str, Any]]
) -> None:
    """Merge the ``rules:`` section into ``inherited`` (rule id -> {"level": ..., option: value})."""
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise reader.fail("rules must be a mapping of rule id to settings", line)
    for rule_id, setting in value.items():
        key_line = _line(value, rule_id)
        rule = rules.get(rule_id)
        if rule is None:
            raise reader.fail(f"unknown rule {rule_id!r}; valid rules: {', '.join(rules)}", key_line)
        merged = inherited.setdefault(rule_id, {})
        if setting is not None and not isinstance(setting, Mapping):  # the shorthand `rule: level`
            merged["level"] = reader.choice(setting, f"rules.{rule_id}", key_line, LEVELS)
            continue
        allowed = ("level",) + tuple(option.name for option in rule.options)
        setting = reader.mapping(setting, f"rules.{rule_id}", key_line, allowed)
        for key, item in setting.items():
            item_line = _line(setting, key) or key_line
            if key == "level":
                merged["level"] = reader.choice(item, f"rules.{rule_id}.level", item_line, LEVELS)
            else:
                option = next(o for o in rule.options if o.name == key)
                merged[key] = _option_value(reader, option, item, f"rules.{rule_id}.{key}", item_line)


def _review_settings(reader: _Reader, value: Any, line: int | None, merged: dict[str, Any]) -> None:
    section = reader.mapping(value, "review", line, _REVIEW_KEYS)
    for key, item in section.items():
        item_line = _line(section, key) or line
        if key == "required-for":
            kinds = reader.string_list(item, "review.required-for", item_line)
            for index, kind in enumerate(kinds):
                reader.choice(kind, "review.required-for", _line(item, index=index) or item_line, CHANGE_KINDS)
            merged["required_for"] = tuple(kinds)
        elif key == "skip":
            merged["skip"] = tuple(_skip_entries(reader, item, item_line))
        elif key == "reviewers":
            merged["reviewers"] = tuple(r.lstrip("@") if "/" not in r else r for r in reader.string_list(item, "review.reviewers", item_line))
        elif key in ("label", "ledger"):
            merged[key] = reader.string(item, f"review.{key}", item_line)
        elif key == "allow-stale-approvals":
            if not isinstance(item, bool):
                raise reader.fail("review.allow-stale-approvals must be true or false", item_line)
            merged["allow_stale_approvals"] = item


def _skip_entries(reader: _Reader, value: Any, line: int | None) -> list[SkipEntry]:
    if not isinstance(value, list):
        raise reader.fail("review.skip must be a list of {scope, bump, kind, package, direct} entries", line)
    out = []
    for index, item in enumerate(value):
        item_line = _line(value, index=index) or line
        item = reader.mapping(item, f"review.skip[{index}]", item_line, _SKIP_KEYS)
        what = f"review.skip[{index}]"
        if not item:  # `- {}` or an empty `-` would match every change: review switched off without saying so
            raise reader.fail(
                f"{what} names nothing to match; an entry needs at least one of {', '.join(_SKIP_KEYS)} "
                "(to require no review at all, set review.required-for: [])",
                item_line,
            )
        direct = item.get("direct")
        lines = {key: _line(item, key) or item_line for key in item}
        if direct is not None and not isinstance(direct, bool):
            raise reader.fail(f"{what}.direct must be true or false", lines["direct"])
        out.append(
            SkipEntry(
                scope=reader.choice(item["scope"], f"{what}.scope", lines.get("scope"), SCOPE_CHOICES) if "scope" in item else None,
                bump=reader.choice(item["bump"], f"{what}.bump", lines.get("bump"), BUMP_CHOICES) if "bump" in item else None,
                kind=reader.choice(item["kind"], f"{what}.kind", lines.get("kind"), CHANGE_KINDS) if "kind" in item else None,
                package=reader.package(item["package"], f"{what}.package", lines.get("package")) if "package" in item else None,
                direct=direct,
            )
        )
    return out


def _exceptions(reader: _Reader, value: Any, line: int | None, rules: Mapping[str, Rule]) -> list[PolicyException]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise reader.fail("exceptions must be a list of {rule, package or advisory, reason, expires} entries", line)
    out = []
    for index, item in enumerate(value):
        item_line = _line(value, index=index) or line
        what = f"exceptions[{index}]"
        item = reader.mapping(item, what, item_line, _EXCEPTION_KEYS)
        for required in ("rule", "reason", "expires"):
            if required not in item:
                raise reader.fail(
                    f"{what} needs `{required}` (every exception names a rule, a package or an advisory, a reason and "
                    "an expiry date)",
                    item_line,
                )
        lines = {key: _line(item, key) or item_line for key in item}
        rule = reader.string(item["rule"], f"{what}.rule", lines["rule"])
        if rule != "*" and rule not in rules:
            raise reader.fail(f"{what}.rule: unknown rule {rule!r}; valid rules: {', '.join(rules)}", lines["rule"])
        advisory = _advisory(reader, item, what, lines, rule)
        if "package" not in item and advisory is None:
            raise reader.fail(f"{what} needs `package` or `advisory` (what the exception waives)", item_line)
        expires = item["expires"]
        if isinstance(expires, dt.datetime):
            expires = expires.date()
        elif isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                expires = None
        if not isinstance(expires, dt.date):
            raise reader.fail(f"{what}.expires must be a date such as 2027-01-31", lines["expires"])
        out.append(
            PolicyException(
                rule=rule,
                package=reader.package(item["package"], f"{what}.package", lines["package"]) if "package" in item else None,
                reason=reader.string(item["reason"], f"{what}.reason", lines["reason"]),
                expires=expires,
                path=reader.path,
                line=item_line,
                advisory=advisory,
            )
        )
    return out


def _advisory(reader: _Reader, item: Mapping[str, Any], what: str, lines: Mapping[str, int | None],
              rule: str) -> str | None:
    """The exception's advisory id (``GHSA-…``, ``CVE-…``, ``PYSEC-…``, ``MAL-…``), checked for a ``PREFIX-rest``
    shape so that a typo does not silently waive nothing; None when it names none. A ``malicious`` finding is waived
    only by an exception that names its advisory: never by a whole package."""
    if "advisory" not in item:
        if rule == "malicious":
            raise reader.fail(f"{what}: an exception for malicious must name the advisory (`advisory: MAL-...`): "
                              "malware is never waived for a whole package", lines.get("rule"))
        return None
    if rule not in _ADVISORY_RULES:
        raise reader.fail(f"{what}.advisory: only findings of {' and '.join(_ADVISORY_RULES)} name an advisory; "
                          f"found rule {rule!r}", lines["advisory"])
    advisory = reader.string(item["advisory"], f"{what}.advisory", lines["advisory"]).strip()
    prefix, _, rest = advisory.partition("-")
    if not prefix.isalnum() or not prefix[0].isalpha() or not rest or any(c.isspace() or c in ",;" for c in advisory):
        raise reader.fail(f"{what}.advisory must be one advisory id or alias such as GHSA-9wx4-h78v-vm56, "
                          f"CVE-2024-35195, PYSEC-2023-74 or MAL-2025-1234; found {advisory!r}", lines["advisory"])
    return advisory


class _Accumulated:
    """What the documents of an ``extends`` chain set so far, merged parent first (mutable while loading only)."""

    def __init__(self) -> None:
        self.on_unknown = "warn"
        self.ignore: list[str] = []
        self.rules: dict[str, dict[str, Any]] = {}
        self.review: dict[str, Any] = {}
        self.exceptions: list[PolicyException] = []
        self.chain: list[str] = []
        self.hook: dict[str, Any] = {}
        self.registries: dict[str, Any] = {}


def _resolve_extends(name: str, current: str) -> tuple[str, bool]:
    """A preset name -> its shipped file; anything else -> a path relative to the extending file."""
    if "/" not in name and not name.endswith((".yml", ".yaml")):
        return os.path.join(presets_dir(), f"{name}.yml"), True
    if current.startswith("preset:"):
        return name, False
    return posixpath.normpath(posixpath.join(posixpath.dirname(current), name)), False


def _apply(
    text: str, path: str, read: PolicyReader, acc: _Accumulated, rules: Mapping[str, Rule], stack: tuple[str, ...]
) -> None:
    """Apply one policy document over its ``extends`` parents; ``stack`` holds the files extending this one."""
    reader = _Reader(path)
    stack = stack + (path,)
    document = load_shipped_yaml(text, path) if path.startswith("preset:") else _yaml_load(text, path)
    if document is None:
        document = {}
    top = reader.mapping(document, "the policy", 1, _TOP_KEYS)
    if "extends" in top:
        name = reader.string(top["extends"], "extends", _line(top, "extends"))
        if len(stack) > MAX_EXTENDS_DEPTH:
            raise reader.fail(f"extends chain deeper than {MAX_EXTENDS_DEPTH}: {' -> '.join(stack + (name,))}", _line(top, "extends"))
        target, is_preset = _resolve_extends(name, path)
        label = f"preset:{name}" if is_preset else target
        if label in stack:
            raise reader.fail(f"extends cycle: {' -> '.join(stack + (label,))}", _line(top, "extends"))
        parent_text: str | None
        if is_preset:
            if name not in preset_names():
                raise reader.fail(
                    f"extends: unknown preset {name!r}; valid presets: {', '.join(preset_names())} (or a path)",
                    _line(top, "extends"),
                )
            with open(target, encoding="utf-8") as handle:
                parent_text = handle.read()
        else:
            parent_text = read(target)
            if parent_text is None:
                raise reader.fail(f"extends: {target} does not exist", _line(top, "extends"))
        _apply(parent_text, label, read, acc, rules, stack)
    acc.chain.append(path)
    if "on-unknown" in top:
        acc.on_unknown = reader.choice(top["on-unknown"], "on-unknown", _line(top, "on-unknown"), ON_UNKNOWN)
    if "paths" in top:
        paths = reader.mapping(top["paths"], "paths", _line(top, "paths"), ("ignore",))
        if "ignore" in paths:
            acc.ignore.extend(reader.string_list(paths["ignore"], "paths.ignore", _line(paths, "ignore")))
    _rule_settings(reader, top.get("rules"), _line(top, "rules"), rules, acc.rules)
    if "review" in top:
        _review_settings(reader, top["review"], _line(top, "review"), acc.review)
    acc.exceptions.extend(_exceptions(reader, top.get("exceptions"), _line(top, "exceptions"), rules))
    if "hook" in top:
        hook = reader.mapping(top["hook"], "hook", _line(top, "hook"), _HOOK_KEYS)
        if "online" in hook:
            if not isinstance(hook["online"], bool):
                raise reader.fail("hook.online must be true or false", _line(hook, "online"))
            acc.hook["online"] = hook["online"]
        if "on-unknown" in hook:
            acc.hook["on_unknown"] = reader.choice(hook["on-unknown"], "hook.on-unknown", _line(hook, "on-unknown"), ON_UNKNOWN)
    if "registries" in top:
        _registry_settings(reader, top["registries"], _line(top, "registries"), acc.registries)


def _registry_url(reader: _Reader, value: Any, what: str, line: int | None) -> str:
    """An index or registry base URL: http(s), a host, no query or fragment. Credentials in it are allowed (they
    are sent to that origin only and never shown), but ``${VAR}`` is not expanded here."""
    import urllib.parse

    text = reader.string(value, what, line).strip()
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        from checker.redaction import redact_url  # the policy may hold a credential: the message shows none

        raise reader.fail(f"{what} must be an http(s) URL such as https://pypi.org/simple; found {redact_url(text)!r}",
                          line)
    return text.rstrip("/")


def _number(reader: _Reader, value: Any, what: str, line: int | None, *, whole: bool = False) -> Any:
    """A whole number of 0 or more (``whole``), else a number greater than 0 (seconds)."""
    if whole:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise reader.fail(f"{what} must be a whole number of 0 or more; found {value!r}", line)
    elif isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or value == float("inf"):
        raise reader.fail(f"{what} must be a number greater than 0 (seconds); found {value!r}", line)
    return value


def _registry_settings(reader: _Reader, value: Any, line: int | None, merged: dict[str, Any]) -> None:
    section = reader.mapping(value, "registries", line, _REGISTRY_KEYS)
    for key, item in section.items():
        item_line = _line(section, key) or line
        if key in _REGISTRY_ECOSYSTEM_KEYS:
            if isinstance(item, str):  # the shorthand `pypi: URL`
                item = {"url": item}
            sub = reader.mapping(item, f"registries.{key}", item_line, _REGISTRY_ECOSYSTEM_KEYS[key])
            for name, entry in sub.items():
                entry_line = _line(sub, name) or item_line
                if name == "url":
                    merged[key.replace("-", "_")] = _registry_url(reader, entry, f"registries.{key}.url", entry_line)
                elif name == "private":  # packages whose names never go to OSV's API
                    items = entry if isinstance(entry, list) else [entry]
                    merged["osv_private"] = tuple(
                        reader.package(item, f"registries.osv.private[{i}]", _line(entry, index=i) or entry_line)
                        for i, item in enumerate(items))
                else:
                    if not isinstance(entry, bool):
                        raise reader.fail(f"registries.{key}.{name} must be true or false; found {entry!r}", entry_line)
                    merged["npm_serves_provenance"] = entry
        elif key in ("timeout", "budget"):
            merged[key] = float(_number(reader, item, f"registries.{key}", item_line))
        elif key in ("retries", "cache-ttl"):
            merged[key.replace("-", "_")] = int(_number(reader, item, f"registries.{key}", item_line, whole=True))
        elif key == "cache":
            if not isinstance(item, bool):
                raise reader.fail(f"registries.cache must be true or false; found {item!r}", item_line)
            merged["cache"] = item


@lru_cache(maxsize=1)
def known_bad() -> tuple[DenyEntry, ...]:
    """The shipped list of publicly documented malicious releases (read only when the deny rule runs)."""
    path = os.path.join(presets_dir(), "known-bad.yml")
    with open(path, encoding="utf-8") as handle:
        document = load_shipped_yaml(handle.read(), "preset:known-bad")
    reader = _Reader("preset:known-bad")
    section = reader.mapping(document, "known-bad", 1, ("packages",))
    return tuple(entry._replace(known=True) for entry in _deny_entries(reader, section.get("packages", []), "packages", 1))


def load_policy(text: str | None, path: str, read: PolicyReader) -> Policy:
    """Build a Policy from a policy document (or the default preset when ``text`` is None)."""
    rules = all_rules()
    acc = _Accumulated()
    if text is None:
        with open(os.path.join(presets_dir(), "default.yml"), encoding="utf-8") as handle:
            text, path = handle.read(), "preset:default"
    _apply(text, path, read, acc, rules, ())
    settings: dict[str, RuleSetting] = {}
    for rule_id, rule in rules.items():
        merged = acc.rules.get(rule_id, {})
        options = rule.defaults()
        for option in rule.options:
            if option.name in merged:
                options[option.name] = merged[option.name]
            elif option.kind in ("package-list", "str-list", "spdx-list", "deny-list", "publisher-list",
                                 "license-scopes"):
                options[option.name] = _option_value(_Reader(f"rule {rule_id}"), option, option.default, option.name, None)
        settings[rule_id] = RuleSetting(merged.get("level", rule.default_level), MappingProxyType(options))
    return Policy(
        source=path,
        on_unknown=acc.on_unknown,
        ignore=tuple(acc.ignore),
        rules=MappingProxyType(settings),
        review=ReviewPolicy(**acc.review),
        exceptions=tuple(acc.exceptions),
        chain=tuple(acc.chain),
        hook=HookPolicy(**acc.hook),
        registries=RegistryPolicy(**acc.registries),
    )


def load_policy_file(path: str) -> Policy:
    """A policy from a file on disk (``--policy``); ``extends`` paths are read from disk too."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise PolicyError("policy file does not exist", path) from None
    except UnicodeDecodeError:
        raise PolicyError("policy file is not UTF-8 text", path) from None
    except OSError as exc:
        raise PolicyError(f"policy file cannot be read ({exc.strerror})", path) from None

    def read(other: str) -> str | None:
        try:
            with open(other, encoding="utf-8") as handle:
                return handle.read()
        except OSError:
            return None

    return load_policy(text, path, read)
