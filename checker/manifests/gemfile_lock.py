"""Parser for Bundler's lockfile, ``Gemfile.lock`` / ``gems.locked`` (format "gemfile-lock", kind "lock").

The format, as Bundler's own reader (rubygems/rubygems ``bundler/lib/bundler/lockfile_parser.rb``) reads it: lines
split on newlines (``\\r\\n`` too); blank lines skipped; a line that starts with a non-blank is a section heading,
and only these are known::

    GEM | GIT | PATH | PLUGIN SOURCE      a source: "  key: value" options, then "  specs:" and its specs
    DEPENDENCIES                          "  name (requirements)[!]": what the Gemfile asks for (direct)
    CHECKSUMS                             "  name (version[-platform]) algo=hex[,algo=hex]" (Bundler 2.5+)
    PLATFORMS | RUBY VERSION | BUNDLED WITH

Inside a source, options are ``  key: value`` (``remote:`` may repeat: an old GEM section with several remotes
installs each gem from whichever has it); ``revision:`` is a git source's commit and ``branch:``/``tag:``/``ref:``
what was asked for. A spec is a line of exactly four spaces, ``name (version)`` or ``name (version-platform)``
(the version runs to the first ``-``: ``nokogiri (1.16.0-x86_64-linux)``); six spaces are that spec's own
dependencies. Every line is matched as Bundler matches it (its NAME_VERSION expression: ``_name_version``); Bundler ignores
lines it does not recognise, so they install nothing, and so does lockgate. When two specs have the same name,
version and platform, the later one is what Bundler keeps.

What lockgate makes of it:
- each spec is a ``gem`` dependency: name as written (RubyGems names are case-sensitive), version, the platform in
  ``markers`` (``platform: x86_64-linux``) so that one version's platform builds are separate entries; the source
  of its section (GEM: ``registry`` with the remote, several remotes as ``hosts``; GIT: ``git`` with the revision;
  PATH: ``path``; PLUGIN SOURCE: ``url`` naming the plugin and its remote); ``direct`` when DEPENDENCIES names it.
- CHECKSUMS as the specs' hashes (``sha256:<hex>``); a lockfile without that section has no hashes, which
  hash-pinning reports as files-without-hashes (``bundle lock --add-checksums`` adds it).
- ``BUNDLED WITH``: Bundler 2.3+ installs and runs that very version of itself, so it is a setting,
  ``config`` ``bundler.bundled-with``, whose change is reviewed like any.
- A heading lockgate does not know (a future Bundler's) is a Problem: it may say something about what gets
  installed that lockgate cannot read. Merge-conflict markers make the file unreadable (Bundler refuses it too).

Lines longer than MAX_LINE in a section that holds specs are a Problem rather than matched (no real spec line is
anywhere near that long, and the expression would be slow on them).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from checker.errors import ManifestError
from checker.manifests.common import artifact_origin, hash_string
from checker.model import Dependency, Manifest, Problem, Reader, Source

FORMAT = "gemfile-lock"
MAX_LINE = 4096
MAX_PROBLEMS = 20  # the first unreadable parts are enough to act on; a file of thousands says no more
SOURCE_HEADINGS = ("GEM", "GIT", "PATH", "PLUGIN SOURCE")
OTHER_HEADINGS = ("DEPENDENCIES", "CHECKSUMS", "PLATFORMS", "RUBY VERSION", "BUNDLED WITH")
_OPTION = re.compile(r"  ([a-zA-Z]+): (.*)")
_HEX = re.compile(r"[0-9a-fA-F]+")
DEFAULT_REMOTE = "https://rubygems.org/"
_NO_HASHES: frozenset[str] = frozenset()
_RUBY_BLANKS = " \t\r\n\f\v"  # Ruby's \s: a line starting with any other character (U+00A0, U+001C) ends a section


class Spec(NamedTuple):
    name: str
    version: str | None
    platform: str | None
    source: Source
    line: int


def parse(text: str, path: str, read: Reader) -> Manifest:
    """Parse a Gemfile.lock (see the module docstring)."""
    if not text.strip():
        raise ManifestError("empty file, expected a Gemfile.lock", path)
    if text.lstrip().startswith("---"):
        raise ManifestError("a YAML lockfile of Bundler 0.9 (2010), which Bundler 1.0 and later do not read: "
                            "expected GEM / GIT / PATH sections", path, 1)
    _refuse_conflicts(text, path)
    specs: dict[tuple[str, str | None, str | None], Spec] = {}
    direct: set[str] = set()
    checksums: dict[tuple[str, str | None, str | None], frozenset[str]] = {}
    problems: list[Problem] = []
    section: str | None = None
    in_source = False
    heading_line = 0
    options: dict[str, list[str]] = {}
    source: Source | None = None
    bundled_with: tuple[str, int] | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if line[-1:] == "\r":
            line = line[:-1]
        first = line[:1]
        if first == " ":
            if section is None:
                continue  # under an unknown heading (already a Problem), or before any
            if len(line) > MAX_LINE and (in_source or section in ("DEPENDENCIES", "CHECKSUMS")):
                problems.append(Problem(f"a line of {len(line)} characters in {section}: too long to be a spec",
                                        number))
                continue
            if in_source:
                if line[:5] == "     " or line[:4] != "    ":
                    if line == "  specs:":
                        source = _source(section, options, path, heading_line)
                    elif source is None and line[2:3] != " ":
                        option = _OPTION.fullmatch(line)
                        if option is not None:
                            options.setdefault(option.group(1), []).append(option.group(2))
                    continue  # six spaces: the spec's own dependencies; Bundler ignores anything else here
                found = _name_version(line[4:])
                if found is None:
                    continue
                if source is None:
                    problems.append(Problem(f"a spec before `specs:` in {section}: Bundler would fail on it", number))
                    continue
                key = found[:3]
                specs.pop(key, None)  # the later spec is the one Bundler keeps (and where it is now)
                specs[key] = Spec(found[0], found[1], found[2], source, number)
            elif line[2:3] == " " or line[:2] != "  ":
                if section == "BUNDLED WITH":
                    bundled_with = (line.strip(), number)
            elif section == "DEPENDENCIES":
                found = _name_version(line[2:])
                if found is not None:
                    direct.add(found[0])
            elif section == "CHECKSUMS":
                found = _name_version(line[2:])
                if found is None:
                    continue
                hashes, problem = _checksums(found[4])
                if problem is not None:
                    problems.append(Problem(f"checksum of {found[0]} {found[1]}: {problem}", number))
                checksums[found[:3]] = hashes
            elif section == "BUNDLED WITH":
                bundled_with = (line.strip(), number)
            continue
        if not line.strip(_RUBY_BLANKS):
            continue
        if line in SOURCE_HEADINGS or line in OTHER_HEADINGS:
            section, heading_line, options, source = line, number, {}, None
            in_source = line in SOURCE_HEADINGS
            continue
        if first in _RUBY_BLANKS:  # a tab or another blank first: not Bundler's indentation, ignored as Bundler does
            continue
        section, in_source = None, False
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(f"unknown section {line[:80]!r}: lockgate cannot tell what it installs "
                                    f"(it reads {', '.join(SOURCE_HEADINGS + OTHER_HEADINGS)})", number))
    dependencies = [_dependency(spec, checksums, direct, path) for spec in specs.values()]
    if bundled_with is not None and bundled_with[0]:
        dependencies.append(Dependency("config", "bundler.bundled-with", bundled_with[0], scope="build",
                                       manifest=path, line=bundled_with[1]))
    return Manifest(path=path, format=FORMAT, ecosystem="gem", dependencies=tuple(dependencies), kind="lock",
                    problems=tuple(problems))


def _refuse_conflicts(text: str, path: str) -> None:
    """Merge-conflict markers anywhere make the file unreadable, as Bundler refuses it."""
    found = [text.find(marker) for marker in ("<<<<<<<", "=======", ">>>>>>>", "|||||||")]
    found = [at for at in found if at >= 0]
    if found:
        raise ManifestError("the lockfile contains merge-conflict markers (Bundler refuses it too)", path,
                            text.count("\n", 0, min(found)) + 1)


def _name_version(body: str) -> tuple[str, str | None, str | None, str | None, str | None] | None:
    """NAME_VERSION on a line after its indentation (which Bundler requires to be followed by a non-space):
    (name, version, platform, pinned ``!``, checksum). The usual ``name (version)`` shapes are split by hand,
    giving what the expression gives; anything else goes to the expression itself."""
    if body[:1] == " ":
        return None
    if "!" not in body:
        if " " not in body:
            return (body, None, None, None, None) if "(" not in body else _by_expression(body)
        name, _, rest = body.partition(" (")
        if name and " " not in name and "(" not in name:
            inner, close, tail = rest.partition(")")
            if close and ")" not in tail and (not tail or (tail[0] == " " and len(tail) > 1
                                                          and " " not in tail[1:])):
                version, dash, platform = inner.partition("-")
                return name, version, platform if dash else None, None, tail[1:] or None
    return _by_expression(body)


_BODY = re.compile(r"(.*?)(?: \(([^-]*)(?:-(.*))?\))?(!)?(?: ([^ ]+))?")


def _by_expression(body: str) -> tuple[str, str | None, str | None, str | None, str | None] | None:
    found = _BODY.fullmatch(body)
    return None if found is None else (found.group(1), found.group(2), found.group(3), found.group(4),
                                       found.group(5))


def _dependency(spec: Spec, checksums: dict, direct: set[str], path: str) -> Dependency:
    return Dependency("gem", spec.name, spec.version, "", spec.source,
                      checksums.get((spec.name, spec.version, spec.platform), _NO_HASHES), "prod",
                      spec.name in direct, path, spec.line, None,
                      f"platform: {spec.platform}" if spec.platform else None)


def _source(section: str, options: dict[str, list[str]], path: str, line: int) -> Source:
    """The Source of a GEM / GIT / PATH / PLUGIN SOURCE section from its options."""
    remotes = options.get("remote", [])
    if section == "GEM":
        if not remotes:
            return Source("registry")
        first = remotes[0]
        hosts = frozenset(artifact_origin(remote) for remote in remotes) if len(remotes) > 1 else frozenset()
        return Source("registry", url=first, hosts=hosts)
    if section == "GIT":
        if not remotes:
            raise ManifestError("a GIT section without `remote:`", path, line)
        ref = next((options[key][0] for key in ("ref", "tag", "branch") if options.get(key)), None)
        revision = options.get("revision", [None])[0]
        return Source("git", url=remotes[0], ref=ref, commit=revision)
    if section == "PATH":
        return Source("path", url=remotes[0] if remotes else ".")
    plugin = options.get("type", ["?"])[0]
    return Source("url", url=f"bundler plugin {plugin}: {remotes[0] if remotes else '(no remote)'}")


def _checksums(written: str | None) -> tuple[frozenset[str], str | None]:
    """``sha256=<hex>[,algo=<hex>]`` as ``algo:hex`` hashes, and what is wrong with it (None: nothing)."""
    if not written:
        return frozenset(), None
    if len(written) == 71 and written[:7] == "sha256=" and _HEX.fullmatch(written, 7):  # the usual one
        return frozenset((f"sha256:{written[7:].lower()}",)), None
    found: set[str] = set()
    for part in written.split(","):
        algorithm, sep, digest = part.partition("=")
        if not sep or not algorithm.isalnum() or not _HEX.fullmatch(digest):
            return frozenset(found), f"{part[:80]!r} is not algorithm=hex"
        found.add(hash_string(algorithm, digest))
    return frozenset(found), None
