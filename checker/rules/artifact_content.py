"""artifact-content: what a new PyPI release file holds that the release before it did not (litellm 1.82.8).

litellm 1.82.8 had valid hashes, a normal version bump and no advisory on its first day; what gave it away was a new
``litellm_init.pth`` in the wheel, which Python's ``site`` module executes at every interpreter start-up. This rule
compares the wheel of each added, upgraded, downgraded or hashes-changed PyPI version with the wheel of the version
it moves from (an added one: the release before it on the index), chosen by the same rule for both
(checker/registries/artifacts.py reads them by HTTP range requests, without downloading the wheels), and reports,
each signal at its own level: a new ``.pth`` file (``pth``), files outside the distribution's top-level names
(``new-top-level``), native binaries in a package that had none (``native``), new console or GUI scripts
(``entry-points``), a release with only an sdist where the one before had a wheel (``sdist-only``: building it runs
code), new ``Requires-Dist`` entries (``requires-dist``), a changed home page, project URL or author/maintainer
e-mail (``metadata``), and a release that grew more than ``size-growth`` times (info). Member names with ``..`` or
an absolute path always block: no honest wheel has them.

npm (checker/registries/npm_contents.py reads the tarball in memory after its integrity): a ``package.json`` inside
the tarball that differs from the registry's version document (``manifest``: manifest confusion, block), and against
the tarball before it a new ``binding.gyp`` (``install-time``), new ``bin`` commands (``entry-points``) and native
binaries where there were none (``native``). Install scripts themselves are the ``install-scripts`` rule's.
"""

from __future__ import annotations

import urllib.parse
from typing import Any, Iterator, Mapping

from checker.model import ArtifactContents, Unknown
from checker.rules.base import Issue, Option, Rule, Subject, registry_facts

JUDGED_KINDS = frozenset({"added", "upgraded", "downgraded", "hashes-changed"})
LEVELS = ("off", "info", "warn", "block")
SHOWN = 5  # file names listed in a finding; the rest are counted


def inspector_link(artifact: ArtifactContents, name: str, member: str) -> str | None:
    """The file on PyPI's inspector (https://inspector.pypi.io/project/<name>/<version>/packages/<path>/<member>),
    in the wheel that holds it (several wheels merged: ``located``), for a file PyPI's file host serves; None
    elsewhere (a private index has no inspector)."""
    parts = urllib.parse.urlsplit(dict(artifact.located).get(member, artifact.url))
    if parts.hostname != "files.pythonhosted.org" or not parts.path.startswith("/packages/"):
        return None
    quoted = urllib.parse.quote(member)
    return f"https://inspector.pypi.io/project/{name}/{artifact.version}{parts.path}/{quoted}"


def _listed(names: list[str], artifact: ArtifactContents | None = None, project: str = "") -> str:
    shown = []
    for name in names[:SHOWN]:
        link = inspector_link(artifact, project, name) if artifact is not None else None
        shown.append(f"{name} ({link})" if link else name)
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return ", ".join(shown) + more


def install_root(name: str) -> str | None:
    """Where a wheel member lands, as a top-level name: the first folder (or module) under site-packages, the wheel's
    ``.data/purelib`` and ``.data/platlib`` installing there too; ``data:<a>/<b>`` for a ``.data/data`` file (it
    lands under the environment's prefix: ``share/jupyter``, or ``lib/python3.12`` beside site-packages itself);
    None for the wheel's own metadata, its scripts (judged as native files) and headers."""
    parts = name.split("/")
    if parts[0].endswith(".data"):
        if len(parts) >= 3 and parts[1] in ("purelib", "platlib"):
            parts = parts[2:]
        elif len(parts) >= 3 and parts[1] == "data":
            return "data:" + "/".join(parts[2:4])
        else:
            return None
    elif parts[0].endswith(".dist-info"):
        return None
    return parts[0].removesuffix(".py") if len(parts) == 1 else parts[0]


def _roots(artifact: ArtifactContents) -> set[str]:
    """The top-level names a wheel installs (install_root of each member)."""
    return {root for root in map(install_root, artifact.files) if root is not None}


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    facts = registry_facts(subject)
    dep = subject.dependency
    if facts is None or dep.ecosystem not in ("pypi", "npm") or facts.exists is False:
        return
    if subject.change is not None and subject.change.kind not in JUDGED_KINDS:
        return
    new, old = facts.artifact, facts.prior_artifact
    what = f"{dep.name} {dep.version}"
    if isinstance(new, Unknown):
        yield Issue(f"could not read what the release files of {what} hold ({facts.unknown_reason})",
                    hint="run where the index and its file host can be reached", unknown=True,
                    cause=facts.unknown_reason)
        return
    yield from _signals(dep.name, what, new, None if isinstance(old, Unknown) else old, options)
    if isinstance(old, Unknown):
        yield Issue(f"could not read the release {what} is compared with ({facts.unknown_reason}): only what is "
                    "dangerous on its own was checked", hint="run where the index can be reached", unknown=True,
                    cause=facts.unknown_reason)


def _signals(project: str, what: str, new: ArtifactContents, old: ArtifactContents | None,
             options: Mapping[str, Any]) -> Iterator[Issue]:
    against = f" (compared with {old.version})" if old is not None else " (no earlier release to compare with)"
    if new.unsafe_names:
        yield Issue(f"{what}: {new.filename} has member names that escape the install folder: "
                    f"{_listed(list(new.unsafe_names))}", hint="do not install it; report it to the index")
    if new.kind == "npm":
        yield from _npm(what, new, old if old is not None and old.kind == "npm" else None, against, options)
        return
    if new.kind == "sdist":
        if old is not None and old.kind == "wheel" and options["sdist-only"] != "off":
            yield Issue(f"{what} has only a source distribution where {old.version} had a wheel: installing it runs "
                        "its build code", hint="read the sdist's setup code before accepting it",
                        level=options["sdist-only"])
        return
    before = old if old is not None and old.kind == "wheel" else None
    level = options["pth"]
    pth = [name for name in new.pth_files if before is None or name not in before.pth_files]
    if pth and level != "off":
        imports = [name for name in pth if name in new.pth_imports]
        said = (f"; {_listed(imports)} {'has' if len(imports) == 1 else 'have'} an import line, executed at every "
                "Python start-up" if imports else "")
        yield Issue(f"{what} adds {len(pth)} .pth file{'s' if len(pth) > 1 else ''}{against}: "
                    f"{_listed(pth, new, project)}{said}",
                    hint="read the .pth file: code in it runs in every Python process of the environment (litellm "
                    "1.82.8's litellm_init.pth stole credentials this way)", level=level)
    if before is None:
        return
    yield from _compared(project, what, new, before, against, options)


def _compared(project: str, what: str, new: ArtifactContents, old: ArtifactContents, against: str,
              options: Mapping[str, Any]) -> Iterator[Issue]:
    level = options["new-top-level"]
    known = _roots(old) | set(new.top_level or ()) | set(old.top_level or ())
    outside = sorted(name for name in new.files if (root := install_root(name)) is not None and root not in known
                     and name not in new.pth_files)
    if outside and level != "off":
        yield Issue(f"{what} installs files outside its package's top-level names{against}: "
                    f"{_listed(outside, new, project)}", hint="read the new files", level=level)
    level = options["native"]
    if new.native and not old.native and level != "off":
        yield Issue(f"{what} adds native binaries or executables where {old.version} had none: "
                    f"{_listed(list(new.native), new, project)}", hint="find out why a pure-Python package ships "
                    "compiled code", level=level)
    yield from _new_commands(what, new, old, against, options)
    level = options["requires-dist"]
    requires = [r for r in new.requires_dist if r not in old.requires_dist]
    if requires and level != "off":
        yield Issue(f"{what} declares new dependencies{against}: {', '.join(requires[:10])}",
                    hint="they are installed with it: review them too", level=level)
    level = options["metadata"]
    if level != "off":
        for label, was, now in (("project URLs", old.urls, new.urls), ("author/maintainer e-mails", old.emails,
                                                                        new.emails)):
            if was and now and set(was) != set(now):
                yield Issue(f"{what} changes its {label}{against}: {', '.join(was)} -> {', '.join(now)}",
                            hint="a changed contact or source can be an account takeover", level=level)
    factor = options["size-growth"]
    if factor and old.size > 0 and new.size > factor * old.size:
        yield Issue(f"{what}'s wheel is {new.size / old.size:.1f} times the size of {old.version}'s "
                    f"({old.size} -> {new.size} bytes)", hint="find out what was added", level="info")


def _npm(what: str, new: ArtifactContents, old: ArtifactContents | None, against: str,
         options: Mapping[str, Any]) -> Iterator[Issue]:
    """An npm tarball's signals: manifest confusion (on its own), and against the tarball before it a new
    ``binding.gyp`` (a native build at install), new ``bin`` commands, new native binaries."""
    level = options["manifest"]
    if new.mismatched and level != "off":
        yield Issue(f"{what}: the package.json inside {new.filename} differs from the registry's version document in "
                    f"{', '.join(new.mismatched)} (manifest confusion: npm installs by the tarball's, and every "
                    "other check read the registry's)", hint="read the tarball's package.json: its scripts and "
                    "dependencies are what npm runs and installs", level=level)
    if old is None:
        return
    level = options["install-time"]
    if "binding.gyp" in new.files and "binding.gyp" not in old.files and level != "off":
        yield Issue(f"{what} adds binding.gyp{against}: npm builds native code from it at install",
                    hint="find out why the package now compiles code on install", level=level)
    yield from _new_commands(what, new, old, against, options)
    level = options["native"]
    if new.native and not old.native and level != "off":
        yield Issue(f"{what} adds native binaries where {old.version} had none: {_listed(list(new.native))}",
                    hint="find out why the package ships compiled code", level=level)


def _new_commands(what: str, new: ArtifactContents, old: ArtifactContents, against: str,
                  options: Mapping[str, Any]) -> Iterator[Issue]:
    """Commands the release installs that the one before did not (wheels' console/GUI scripts, npm's ``bin``)."""
    level = options["entry-points"]
    commands = [name for name in new.entry_points if name not in old.entry_points]
    if commands and level != "off":
        yield Issue(f"{what} adds commands{against}: {', '.join(c.removeprefix('bin:') for c in commands)}",
                    hint="a new command can shadow a common one on PATH", level=level)


RULE = Rule(
    id="artifact-content",
    label="release contents",
    default_level="off",
    action="Read what the new release file adds",
    action_rank=115,
    facts_from="the index's release files",
    offers_exception=True,
    summary="A new PyPI or npm release whose files add a .pth file, files outside its package, native code or "
    "commands, or whose npm package.json is not the registry's.",
    explanation=(
        "For each added, upgraded, downgraded or hashes-changed PyPI version, lockgate reads the wheel's file list "
        "and metadata files by HTTP range requests (the zip's central directory, then METADATA, entry_points.txt, "
        "top_level.txt and any .pth file alone: a few kilobytes, not the wheel) and compares them with the wheel of "
        "the version it moves from (an added dependency: the release before it on the index), the same wheel "
        "chosen for both (pure-Python first, else the same platform tag). Signals, each with its own level: `pth` "
        "a new .pth file (Python executes its import lines at every start-up: litellm 1.82.8's litellm_init.pth), "
        "`new-top-level` files outside the distribution's top-level names, `native` native binaries in a package "
        "that had none, `entry-points` new console or GUI scripts, `sdist-only` a release with only an sdist where "
        "the one before had a wheel (building it runs code), `requires-dist` new declared dependencies, `metadata` a "
        "changed project URL or author/maintainer e-mail, `size-growth` a wheel that grew more than that many times "
        "(info). Member names with `..` or an absolute path always block. File names link to PyPI's inspector. "
        "npm: the tarball (read in memory after its integrity) whose package.json differs from the registry's "
        "version document blocks (`manifest`: manifest confusion), and a new binding.gyp (`install-time`), new "
        "`bin` commands and new native binaries are reported against the tarball before it. "
        "Contents are cached by the file's sha256; offline, a wheel not cached is unknown (`on-unknown`)."
    ),
    fix="Read the new files (the inspector links show them); if the release is sound, record a review or write a "
    "policy exception for the version with a reason; if not, stay on the earlier version.",
    example=(
        "requirements.txt: litellm 1.82.6 -> 1.82.8\n"
        "  # block: litellm 1.82.8 adds 1 .pth file (compared with 1.82.6): litellm_init.pth; litellm_init.pth has an "
        "import line, executed at every Python start-up\n"
        "policy: artifact-content: {level: block, pth: block, new-top-level: warn, native: warn}"
    ),
    options=(
        Option("pth", "choice", "block", "level for a new .pth file", LEVELS),
        Option("new-top-level", "choice", "warn", "level for files outside the top-level names", LEVELS),
        Option("native", "choice", "warn", "level for native binaries in a package that had none", LEVELS),
        Option("entry-points", "choice", "warn", "level for new console_scripts / gui_scripts", LEVELS),
        Option("sdist-only", "choice", "warn", "level for an sdist-only release after wheels", LEVELS),
        Option("requires-dist", "choice", "info", "level for new Requires-Dist entries", LEVELS),
        Option("metadata", "choice", "warn", "level for changed project URLs or author/maintainer e-mails", LEVELS),
        Option("size-growth", "int", 5, "info when the wheel grows more than this many times (0: never)"),
        Option("manifest", "choice", "block", "level for an npm tarball whose package.json differs from the "
               "registry's version document (manifest confusion)", LEVELS),
        Option("install-time", "choice", "warn", "level for a new binding.gyp in an npm tarball (native build at "
               "install)", LEVELS),
    ),
    check_dependency=check,
)
