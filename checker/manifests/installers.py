"""The package managers install_commands recognises: for each, which commands install, what they name, and
whether they are pinned (see install_commands' docstring for the rules and their sources).

Each handler takes the arguments after the program name (wrappers and aliases already taken off), the variables
in effect and the command's line, and returns None (not an install) or an _Install. Options are read as each tool
reads them; an option lockgate does not know is taken as a flag, so the word after it counts as a package: an
unknown option can make a command look less pinned, never more.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Callable, Mapping

from checker.errors import ManifestError
from checker.manifests.install_common import _Install, is_commit
from checker.manifests.shell import DYNAMIC, Word
from checker.model import Dependency, IndexOption, Source

if TYPE_CHECKING:
    from checker.manifests.install_commands import Context, _Walker

Variables = Mapping[str, "str | None"]

_PIP_VALUES = frozenset({
    "requirement", "constraint", "build-constraint", "group", "editable", "target", "platform", "python-version",
    "implementation", "abi", "root", "prefix", "src", "source", "source-dir", "source-directory",
    "upgrade-strategy", "config-settings", "global-option", "build-option", "install-option", "no-binary",
    "only-binary", "progress-bar", "root-user-action", "report", "index-url", "extra-index-url", "find-links",
    "python", "log", "log-file", "local-log", "keyring-provider", "proxy", "retries", "timeout", "exists-action",
    "trusted-host", "cert", "client-cert", "cache-dir", "use-feature", "use-deprecated", "resume-retries", "dest",
    "destination-dir", "destination-directory", "wheel-dir",
})
_PIP_FLAGS = frozenset({
    "no-deps", "pre", "dry-run", "user", "upgrade", "force-reinstall", "ignore-installed", "ignore-requires-python",
    "no-build-isolation", "use-pep517", "no-use-pep517", "check-build-dependencies", "break-system-packages",
    "compile", "no-compile", "no-warn-script-location", "no-warn-conflicts", "prefer-binary", "require-hashes",
    "no-clean", "no-index", "help", "verbose", "version", "quiet", "no-input", "no-cache-dir",
    "disable-pip-version-check", "no-color", "no-python-version-warning", "isolated", "require-virtualenv", "debug",
})
_PIP_SHORT = {"r": "requirement", "c": "constraint", "e": "editable", "i": "index-url", "f": "find-links",
              "t": "target", "d": "dest", "w": "wheel-dir", "C": "config-settings"}
_UV_VALUES = frozenset({
    "index-url", "extra-index-url", "index", "default-index", "find-links", "index-strategy", "keyring-provider",
    "requirement", "requirements", "constraint", "constraints", "override", "overrides", "build-constraint",
    "build-constraints", "editable", "python", "target", "prefix", "python-version", "python-platform",
    "resolution", "prerelease", "exclude-newer", "config-setting", "config-settings", "no-binary", "only-binary",
    "link-mode", "allow-insecure-host", "extra", "group", "torch-backend", "cache-dir", "directory", "project",
    "config-file", "color", "refresh-package", "reinstall-package", "upgrade-package", "no-build-package",
    "exclude-newer-package", "fork-strategy", "python-preference", "with", "with-requirements", "with-editable",
    "from", "package", "only-group", "no-group", "extra-name", "env-file",
})
_UV_SHORT = {"r": "requirements", "c": "constraints", "e": "editable", "i": "index-url", "f": "find-links",
             "p": "python", "C": "config-setting", "P": "upgrade-package", "b": "build-constraints", "w": "with"}
_NPM_VALUES = frozenset({
    "registry", "prefix", "workspace", "cache", "userconfig", "globalconfig", "tag", "omit", "include",
    "install-strategy", "before", "loglevel", "save-prefix", "cafile", "ca", "otp", "location", "script-shell",
    "node-options", "proxy", "https-proxy", "noproxy", "scope", "package", "call",
})
_NPM_SHORT = {"w": "workspace", "C": "prefix", "p": "package", "c": "call"}
_NPM_INSTALL = frozenset({"install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal",
                          "isntall", "add", "install-test", "it", "update", "up", "upgrade", "udpate"})
_NPM_CI = frozenset({"ci", "clean-install", "ic", "install-clean", "isntall-clean", "cit", "clean-install-test",
                     "install-ci-test", "sit"})
_TRUE = frozenset({"1", "true", "yes", "on"})


class Options:
    """Options and positional words of one command line, read getopt-style."""

    __slots__ = ("values", "flags", "positional", "unknown_words")

    def __init__(self) -> None:
        self.values: dict[str, list[Word]] = {}
        self.flags: set[str] = set()
        self.positional: list[Word] = []
        self.unknown_words: list[Word] = []

    def first(self, name: str) -> Word | None:
        found = self.values.get(name)
        return found[0] if found else None

    def add(self, name: str, word: Word) -> None:
        self.values.setdefault(name, []).append(word)


def parse_options(args: list[Word], values: frozenset[str], short: Mapping[str, str],
                  flags: frozenset[str] = frozenset(), abbreviations: bool = False) -> Options:
    """``--name value``, ``--name=value``, ``-x value``, ``-xvalue``, clusters of short flags (``-qU``), ``--``.
    ``abbreviations``: a unique prefix of a long option stands for it (pip's optparse)."""
    out = Options()
    index = 0
    known = values | flags
    while index < len(args):
        word = args[index]
        value = word.value
        index += 1
        if value == "--":
            out.positional.extend(args[index:])
            break
        if value.startswith("--") and len(value) > 2:
            name, eq, attached = value[2:].partition("=")
            if abbreviations and name not in known:
                candidates = [option for option in known if option.startswith(name)]
                if len(candidates) == 1:
                    name = candidates[0]
            if name in values:
                if eq:
                    out.add(name, _part(word, attached))
                elif index < len(args):
                    out.add(name, args[index])
                    index += 1
                continue
            out.flags.add(name if not eq else f"{name}={attached}")
            continue
        if value.startswith("-") and len(value) > 1 and word.static:
            for position in range(1, len(value)):
                letter = value[position]
                if letter in short:
                    rest = value[position + 1:]
                    if rest:
                        out.add(short[letter], _part(word, rest))
                    elif index < len(args):
                        out.add(short[letter], args[index])
                        index += 1
                    break
                out.flags.add(letter)
            continue
        out.positional.append(word)
    return out


def _part(word: Word, value: str) -> Word:
    """A word for the value attached to an option (``--index-url=X``, ``-rFILE``)."""
    raw = word.raw
    if "=" in raw and not value.startswith("="):
        raw = raw.split("=", 1)[1]
    return Word(value, raw if not word.static else value, word.line, word.subs, word.quoted)


def _shown(word: Word) -> str:
    return word.value if word.static else word.raw


def _truthy(variables: Variables, name: str) -> bool:
    value = variables.get(name)
    return value is not None and value.strip().lower() in _TRUE


# -- registries ------------------------------------------------------------------------------------------------


def _index(walker: _Walker, kind: str, word: Word, line: int) -> str | None:
    """Record a registry flag as an IndexOption of the manifest (a host whose TLS is not checked as
    ``trusted-host``, whatever the tool calls it, as registry-source reads that kind); the problem it is, if any."""
    value = _shown(word)
    walker.out.indexes.append(IndexOption("trusted-host" if kind == "allow-insecure-host" else kind, value, line))
    if kind in ("trusted-host", "allow-insecure-host"):
        return f"--{kind} {value} turns off TLS verification for that host"
    if not word.static:
        return f"--{kind} {value} is decided at run time: lockgate cannot tell where packages come from"
    if value.startswith("http://") and not value.startswith(("http://localhost", "http://127.0.0.1")):
        return f"--{kind} {value} is plain HTTP: anyone on the network path can swap the packages"
    return None


def _registries(walker: _Walker, options: Options, kinds: Mapping[str, str], line: int) -> tuple[list[str], str | None]:
    """Problems of the registry flags, and the URL packages come from (the first index named)."""
    problems: list[str] = []
    source: str | None = None
    for option, kind in kinds.items():
        for word in options.values.get(option, []):
            problem = _index(walker, kind, word, line)
            if problem:
                problems.append(problem)
            if source is None and kind in ("index-url", "registry", "index", "default-index", "source"):
                source = _shown(word)
    return problems, source


def _with_source(dependencies: list[Dependency], url: str | None) -> list[Dependency]:
    if url is None:
        return dependencies
    return [d._replace(source=Source(kind="registry", url=url)) if d.source.kind == "registry" else d
            for d in dependencies]


def _dependency(walker: _Walker, ecosystem: str, name: str, version: str | None, specifier: str, line: int,
                source: Source | None = None) -> Dependency:
    context = walker.context
    return Dependency(ecosystem=ecosystem, name=name, version=version, specifier=specifier,
                      source=source or Source(), scope=context.scope, direct=True, manifest=context.path, line=line)


def _problem(*parts: str | None) -> str | None:
    found = [part for part in parts if part]
    return "; ".join(dict.fromkeys(found)) if found else None


# -- pip and uv ------------------------------------------------------------------------------------------------


def pip(walker: _Walker, args: list[Word], variables: Variables, line: int, uv: bool) -> _Install | None:
    """``pip install|download|wheel`` (and ``uv pip install|sync``)."""
    general = parse_options(args, _PIP_VALUES if not uv else _UV_VALUES, {} if not uv else _UV_SHORT,
                            _PIP_FLAGS, abbreviations=not uv)
    if not general.positional:
        return None
    sub = general.positional[0]
    verbs = ("install", "sync") if uv else ("install", "download", "wheel")
    if not sub.static or sub.value not in verbs:
        return None
    rest = args[args.index(sub) + 1:]
    if uv:
        options = parse_options(rest, _UV_VALUES, _UV_SHORT)
    else:
        options = parse_options(rest, _PIP_VALUES, _PIP_SHORT, _PIP_FLAGS, abbreviations=True)
    tool = "uv pip" if uv else "pip"
    kinds = {"index-url": "index-url", "extra-index-url": "extra-index-url", "find-links": "find-links",
             "trusted-host": "trusted-host", "index": "index", "default-index": "default-index",
             "allow-insecure-host": "allow-insecure-host"}
    registry_problems, source = _registries(walker, options, kinds, line)
    files = options.values.get("requirement", []) + options.values.get("requirements", [])
    if uv and sub.value == "sync":
        files = files + options.positional
        packages: list[Word] = []
    else:
        packages = list(options.positional)
    editables = options.values.get("editable", [])
    dependencies: list[Dependency] = []
    unknown: list[str] = []
    for word in packages:
        parsed = _requirement(walker, _shown(word), word, line)
        if parsed is None:
            unknown.append(_shown(word))
        else:
            dependencies.extend(parsed)
    for word in editables:
        parsed = _requirement(walker, "-e " + _shown(word), word, line)
        if parsed is None:
            unknown.append(_shown(word))
        else:
            dependencies.extend(parsed)
    required = "require-hashes" in options.flags or _truthy(variables, "UV_REQUIRE_HASHES" if uv else "PIP_REQUIRE_HASHES")
    file_problems: list[str] = []
    hashed_file = False
    for word in files:
        hashed, problem = _requirements_file(walker, word, line)
        hashed_file = hashed_file or hashed
        if problem:
            file_problems.append(problem)
    dependencies = _with_source(dependencies, source)
    pinned_problem: str | None
    if required or (hashed_file and not uv):
        pinned_problem = None
    elif uv and hashed_file:
        pinned_problem = ("uv checks the hashes a requirements file has and installs the rest unchecked: add "
                          "--require-hashes")
    elif file_problems:
        pinned_problem = file_problems[0]
    elif unknown:
        pinned_problem = f"installs {unknown[0]}, decided at run time: lockgate cannot tell what it installs"
    elif not dependencies:
        pinned_problem = (f"{tool} {sub.value} without a hashed requirements file: install with --require-hashes "
                          "-r <file with --hash entries>")
    elif "no-deps" in options.flags and all(_local_or_commit(d) for d in dependencies):
        pinned_problem = None
    else:
        pinned_problem = _pypi_problem(dependencies, "no-deps" in options.flags)
    return _Install(tool, _problem(pinned_problem, *registry_problems), _not_local(dependencies))


def _not_local(dependencies: list[Dependency]) -> list[Dependency]:
    """Local paths are the repository's (or the image's) own code, reviewed with it: no dependency is made of
    them (whether they pin what they pull in is the command's judgement)."""
    return [dep for dep in dependencies if dep.source.kind != "path"]


def _local_or_commit(dep: Dependency) -> bool:
    source = dep.source
    return source.kind == "path" or (source.kind == "git" and source.commit is not None)


def _pypi_problem(dependencies: list[Dependency], no_deps: bool) -> str:
    for dep in dependencies:
        if _local_or_commit(dep):
            continue
        shown = f"{dep.name}{dep.specifier}" if dep.specifier else dep.name
        if dep.source.kind == "git":
            return f"installs {dep.name} from git at {dep.source.ref or 'the default branch'}, which can be moved"
        if dep.source.kind == "url":
            return f"installs {dep.name} from {dep.source.url} with no hash checked: what it serves can change"
        if dep.version is None:
            return f"installs {shown} without an exact version and hash: whatever is newest at run time"
        return (f"pins {shown} but no hash: pip checks hashes only from a requirements file (--require-hashes "
                "-r <file>)")
    return ("installs local code whose dependencies come unpinned from the index: add --no-deps and install them "
            "from a hashed requirements file")


def _requirement(walker: _Walker, text: str, word: Word, line: int) -> list[Dependency] | None:
    """A requirement given on the command line, read as pip reads a requirements line; None when it is decided at
    run time."""
    if not word.static or DYNAMIC in text:
        return None
    from checker.manifests import requirements

    context = walker.context
    virtual = posixpath.join(context.workdir, "command-line") if context.workdir else "command-line"
    try:
        manifest = requirements.parse(text + "\n", virtual, _reader_inside(context))
    except ManifestError:
        local = text.removeprefix("-e ").strip()
        if "://" not in local and local.lower().endswith((".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz")):
            return [_dependency(walker, "pypi", local, None, "", line, Source(kind="path", url=local))]
        return None
    return [d._replace(manifest=context.path, line=line, scope=context.scope, direct=True)
            for d in manifest.dependencies]


def _reader_inside(context: Context) -> Callable[[str], "str | None"]:
    """The repository's files when commands run in a repository folder, nothing otherwise (inside an image)."""
    if context.workdir is None:
        return lambda path: None
    return context.read


def _requirements_file(walker: _Walker, word: Word, line: int) -> tuple[bool, str | None]:
    """(whether ``-r FILE`` turns on hash checking, the problem if it cannot be told). The file is read from the
    repository; one not found by its name as a manifest has its requirements added to this manifest."""
    context = walker.context
    shown = _shown(word)
    advice = f"add --require-hashes, or make sure {shown} has --hash entries lockgate can read"
    if not word.static:
        return False, f"-r {shown} is decided at run time: {advice}"
    if context.workdir is None or posixpath.isabs(word.value):
        return False, f"-r {shown} is a file lockgate does not read (outside the repository's tree): {advice}"
    path = posixpath.normpath(posixpath.join(context.workdir, word.value))
    if path.startswith("../") or path == "..":
        return False, f"-r {shown} is outside the repository: {advice}"
    text = context.read(path)
    walker.out.includes.append(path)
    if text is None:
        return False, f"-r {shown}: {path} is not in the repository: {advice}"
    from checker.manifests import format_for, requirements

    try:
        manifest = requirements.parse(text, path, context.read)
    except ManifestError as error:
        return False, f"-r {shown}: {error}"
    walker.out.includes.extend(manifest.includes)
    hashed = any(dep.hashes for dep in manifest.dependencies)
    if format_for(path) is None:
        walker.out.dependencies.extend(
            dep._replace(manifest=context.path, line=line, scope=context.scope) for dep in manifest.dependencies)
    if hashed:
        return True, None
    return False, f"-r {shown} has no --hash entries: pip installs whatever the index serves for those versions"


def uv(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    """``uv pip …``, ``uv sync``, ``uv tool install|run``, ``uv add``, ``uv run --with``."""
    options = parse_options(args, _UV_VALUES, _UV_SHORT)
    if not options.positional or not options.positional[0].static:
        return None
    verb = options.positional[0].value
    rest = args[args.index(options.positional[0]) + 1:]
    if verb == "pip":
        return pip(walker, rest, variables, line, uv=True)
    inner = parse_options(rest, _UV_VALUES, _UV_SHORT)
    kinds = {"index-url": "index-url", "extra-index-url": "extra-index-url", "find-links": "find-links",
             "index": "index", "default-index": "default-index", "allow-insecure-host": "allow-insecure-host"}
    if verb == "sync":
        problems, _ = _registries(walker, inner, kinds, line)
        locked = inner.flags & {"locked", "frozen"} or _truthy(variables, "UV_LOCKED") or _truthy(variables, "UV_FROZEN")
        problem = None if locked else "uv sync may update uv.lock before installing: add --locked (or --frozen)"
        return _Install("uv", _problem(problem, *problems), [])
    if verb == "run":
        withs = inner.values.get("with", [])
        if not withs:
            return None
        problems, source = _registries(walker, inner, kinds, line)
        deps, unknown = _python_packages(walker, [w for word in withs for w in _split_commas(word)], line)
        return _Install("uv", _problem(_tool_problem(deps, unknown, "uv run --with"), *problems),
                        _with_source(deps, source))
    if verb in ("add", "tool"):
        packages = inner.positional
        if verb == "tool":
            if not packages or packages[0].value not in ("install", "run", "upgrade"):
                return None
            tool_args = parse_options(packages[1:], _UV_VALUES, _UV_SHORT)
            inner = tool_args
            packages = tool_args.positional[:1] + inner.values.get("with", [])
            from_word = tool_args.first("from")
            if from_word is not None:
                packages = [from_word] + inner.values.get("with", [])
        problems, source = _registries(walker, inner, kinds, line)
        deps, unknown = _python_packages(walker, packages, line)
        what = "uv add" if verb == "add" else "uv tool"
        return _Install("uv", _problem(_tool_problem(deps, unknown, what), *problems), _with_source(deps, source))
    return None


def uvx(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    options = parse_options(args, _UV_VALUES, _UV_SHORT)
    packages = options.positional[:1]
    from_word = options.first("from")
    if from_word is not None:
        packages = [from_word]
    packages += options.values.get("with", [])
    if not packages:
        return None
    kinds = {"index-url": "index-url", "extra-index-url": "extra-index-url", "index": "index",
             "default-index": "default-index", "find-links": "find-links"}
    problems, source = _registries(walker, options, kinds, line)
    deps, unknown = _python_packages(walker, packages, line)
    return _Install("uvx", _problem(_tool_problem(deps, unknown, "uvx"), *problems), _with_source(deps, source))


def pipx(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    options = parse_options(args, frozenset({"index-url", "pip-args", "python", "spec", "suffix", "backend"}),
                            {"i": "index-url"})
    if not options.positional or options.positional[0].value not in ("install", "run", "inject", "upgrade",
                                                                      "install-all"):
        return None
    verb = options.positional[0].value
    packages = options.positional[1:]
    if verb == "inject":
        packages = packages[1:]
    if verb == "run":
        packages = packages[:1]
    spec = options.first("spec")
    if spec is not None:
        packages = [spec]
    problems, source = _registries(walker, options, {"index-url": "index-url"}, line)
    deps, unknown = _python_packages(walker, packages, line)
    return _Install("pipx", _problem(_tool_problem(deps, unknown, f"pipx {verb}"), *problems),
                    _with_source(deps, source))


def _split_commas(word: Word) -> list[Word]:
    if not word.static or "," not in word.value:
        return [word]
    return [Word(part, part, word.line, [], word.quoted) for part in word.value.split(",") if part]


def _python_packages(walker: _Walker, words: list[Word], line: int) -> tuple[list[Dependency], list[str]]:
    """Requirements named by a tool (``black==24.1.0``, ``ruff@0.4.0``): Dependencies, and those unknown."""
    deps: list[Dependency] = []
    unknown: list[str] = []
    for word in words:
        text = _shown(word)
        if word.static and "@" in text and "://" not in text and not text.startswith("@"):
            name, _, version = text.partition("@")
            text = f"{name}=={version}" if version and version != "latest" else name
        parsed = _requirement(walker, text, word, line)
        if parsed is None:
            unknown.append(text)
        else:
            deps.extend(parsed)
    return deps, unknown


def _tool_problem(deps: list[Dependency], unknown: list[str], what: str) -> str:
    """A package a tool downloads by name can never be hash-checked: say why this one is worse or as good as it
    gets."""
    if unknown:
        return f"{what} installs {unknown[0]}, decided at run time: lockgate cannot tell what it installs"
    for dep in deps:
        if dep.version is None and dep.source.kind == "registry":
            return f"{what} installs {dep.name}{dep.specifier} without an exact version: whatever is newest at run time"
    shown = ", ".join(f"{d.name}{d.specifier}" for d in deps) or "it"
    return f"{what} installs {shown} with no hash checked: pin it in a hashed requirements file or lockfile instead"


# -- npm, yarn, pnpm, bun --------------------------------------------------------------------------------------


def _npm_packages(walker: _Walker, words: list[Word], line: int) -> tuple[list[Dependency], list[str], bool]:
    """npm package specifiers (``pkg``, ``pkg@1.2.3``, ``@s/p@^1``, git URLs, tarballs, paths): Dependencies,
    those decided at run time, and whether every one is pinned by a full commit (Scorecard's pinned npm
    install)."""
    from checker.manifests.npm_common import classify, is_git_url, is_github_shorthand

    deps: list[Dependency] = []
    unknown: list[str] = []
    all_commits = bool(words)
    for word in words:
        text = _shown(word)
        if not word.static:
            unknown.append(text)
            all_commits = False
            continue
        if is_git_url(text) or is_github_shorthand(text) or "://" in text or text.startswith((".", "/", "file:")):
            name, spec = text.split("#", 1)[0], text
        else:
            at = text.find("@", 1)
            name, spec = (text[:at], text[at + 1:]) if at > 0 else (text, "")
        found = classify(name, spec or "*")
        source = found.source
        if source.kind == "git":
            # Scorecard's pinned form: a git URL or hosted shorthand (github:…) at a full commit
            well_formed = "://" in text or text.lower().startswith(("github:", "gitlab:", "bitbucket:", "gist:"))
            all_commits = all_commits and source.commit is not None and well_formed
        else:
            all_commits = False
        deps.append(_dependency(walker, "npm", found.name, found.version, spec if spec != "*" else "", line, source))
    return deps, unknown, all_commits


def _npm_problem(deps: list[Dependency], unknown: list[str], what: str) -> str:
    if unknown:
        return f"{what} installs {unknown[0]}, decided at run time: lockgate cannot tell what it installs"
    for dep in deps:
        if dep.source.kind == "git" and dep.source.commit is None:
            return f"{what} installs {dep.name} from git at {dep.source.ref or 'the default branch'}, which can be moved"
        if dep.version is None and dep.source.kind == "registry":
            shown = f"{dep.name}@{dep.specifier}" if dep.specifier else dep.name
            return f"{what} installs {shown} without an exact version: whatever is newest at run time"
    shown = ", ".join(f"{d.name}@{d.version}" if d.version else d.name for d in deps)
    return (f"{what} installs {shown} with no hash checked: add it to package.json and install from the lockfile "
            "(npm ci)")


def _create_package(word: Word) -> Word:
    """``npm init x`` / ``yarn create x`` / ``pnpm create x`` / ``bun create x`` run the package ``create-x``
    (``@scope/x`` -> ``@scope/create-x``)."""
    if not word.static:
        return word
    name = word.value
    if name.startswith("@"):
        scope, _, rest = name.partition("/")
        name = f"{scope}/create-{rest}" if rest else f"{scope}/create"
    else:
        name = "create-" + name
    return Word(name, word.raw, word.line, [], False)


def _adds(walker: _Walker, tool: str, verb: str, rest: list[Word], problems: list[str], source: str | None,
          line: int) -> _Install:
    """An npm-family command that fetches the packages it names (``add``, ``dlx``, ``create``, …)."""
    if not rest:
        return _Install(tool, _problem(f"{tool} {verb} moves dependencies past the lockfile", *problems), [])
    deps, unknown, commits = _npm_packages(walker, rest, line)
    problem = None if commits and not unknown else _npm_problem(deps, unknown, f"{tool} {verb}")
    return _Install(tool, _problem(problem, *problems), _not_local(_with_source(deps, source)))


def _npm_registry(walker: _Walker, options: Options, line: int) -> tuple[list[str], str | None]:
    problems, source = _registries(walker, options, {"registry": "registry"}, line)
    for flag in options.flags:
        if flag in ("strict-ssl=false", "strict-ssl=0"):
            problems.append("--strict-ssl=false turns off TLS verification of the registry")
    return problems, source


def npm(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    options = parse_options(args, _NPM_VALUES, _NPM_SHORT)
    if not options.positional or not options.positional[0].static:
        return None
    verb = options.positional[0].value
    rest = options.positional[1:]
    problems, source = _npm_registry(walker, options, line)
    if verb in _NPM_CI:
        return _Install("npm", _problem(*problems), [])
    if verb in _NPM_INSTALL:
        if not rest:
            problem = (f"npm {verb} resolves package.json's ranges and may change the lockfile: use npm ci, which "
                       "installs the lockfile's versions and checks their hashes")
            return _Install("npm", _problem(problem, *problems), [])
        return _adds(walker, "npm", verb, rest, problems, source, line)
    if verb in ("exec", "x"):
        return _npx(walker, options, rest, line, "npm exec", problems, source)
    if verb in ("init", "create", "innit") and rest and not rest[0].value.startswith("-"):
        return _adds(walker, "npm", verb, [_create_package(rest[0])], problems, source, line)
    return None


def npx(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    options = parse_options(args, _NPM_VALUES, _NPM_SHORT)
    problems, source = _npm_registry(walker, options, line)
    return _npx(walker, options, options.positional, line, "npx", problems, source)


def _npx(walker: _Walker, options: Options, rest: list[Word], line: int, what: str, problems: list[str],
         source: str | None) -> _Install | None:
    if options.flags & {"no-install", "no", "offline"} or "yes=false" in options.flags:
        return None
    packages = options.values.get("package", [])
    if not packages:
        if not rest:
            return None
        packages = rest[:1]
    deps, unknown, commits = _npm_packages(walker, packages, line)
    if not unknown and deps and all(_locally_declared(walker, dep) for dep in deps):
        return _Install(what.split()[0], _problem(*problems), [])
    problem = None if commits and not unknown else _npm_problem(deps, unknown, what)
    if problem and not unknown:
        problem += f" ({what} downloads it unless it is a dependency of the package.json where it runs)"
    return _Install(what.split()[0], _problem(problem, *problems), _with_source(deps, source))


def _locally_declared(walker: _Walker, dep: Dependency) -> bool:
    """Whether the package.json where the command runs depends on the package, with no other version asked for:
    npx then runs the locked copy that ``npm ci`` installed."""
    context = walker.context
    if context.workdir is None or dep.specifier or dep.source.kind != "registry":
        return False
    path = posixpath.join(context.workdir, "package.json") if context.workdir else "package.json"
    walker.out.includes.append(path)
    text = context.read(path)
    if not text:
        return False
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    for section in ("dependencies", "devDependencies", "optionalDependencies"):
        table = data.get(section)
        if isinstance(table, dict) and dep.name in table:
            return True
    return False


def yarn(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    options = parse_options(args, frozenset({"registry", "cwd", "modules-folder", "cache-folder", "mutex",
                                             "network-timeout", "mode", "otp"}), {})
    problems, source = _npm_registry(walker, options, line)
    verb = options.positional[0].value if options.positional and options.positional[0].static else None
    rest = options.positional[1:]
    if verb is None and options.positional:
        return None
    if verb in (None, "install"):
        frozen = options.flags & {"frozen-lockfile", "immutable", "pure-lockfile"} - {"pure-lockfile"}
        if frozen or _truthy(variables, "YARN_ENABLE_IMMUTABLE_INSTALLS") or _berry_ci_default(walker, variables):
            return _Install("yarn", _problem(*problems), [])
        problem = ("yarn install may change yarn.lock: add --frozen-lockfile (Yarn 1) or --immutable (Yarn 2+), "
                   "which install the lockfile's versions and checksums")
        return _Install("yarn", _problem(problem, *problems), [])
    if verb == "global" and rest and rest[0].value == "add":
        verb, rest = "global add", rest[1:]
    if verb in ("add", "global add", "up", "upgrade", "dlx", "create"):
        if verb == "create" and rest:
            rest = [_create_package(rest[0])]
        if verb == "dlx":
            rest = options.values.get("package", []) or rest[:1]
        return _adds(walker, "yarn", verb, rest, problems, source, line)
    return None


def _berry_ci_default(walker: _Walker, variables: Variables) -> bool:
    """In CI, Yarn 2+ installs immutably unless told otherwise: a ``.yarnrc.yml`` where the command runs that does
    not set enableImmutableInstalls to false."""
    context = walker.context
    if not context.ci or context.workdir is None or variables.get("CI", "true") in ("false", "0", ""):
        return False
    path = posixpath.join(context.workdir, ".yarnrc.yml") if context.workdir else ".yarnrc.yml"
    walker.out.includes.append(path)
    text = context.read(path)
    return text is not None and "enableImmutableInstalls" not in text


def pnpm(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    options = parse_options(args, frozenset({"registry", "dir", "filter", "workspace", "store-dir", "reporter",
                                             "config.registry", "C"}), {"C": "dir", "F": "filter"})
    problems, source = _npm_registry(walker, options, line)
    if not options.positional or not options.positional[0].static:
        return None
    verb = options.positional[0].value
    rest = options.positional[1:]
    if verb in ("install", "i") and not rest:
        explicit_off = options.flags & {"no-frozen-lockfile", "frozen-lockfile=false", "fix-lockfile"}
        ci = walker.context.ci and variables.get("CI", "true") not in ("false", "0", "")
        if not explicit_off and ("frozen-lockfile" in options.flags or ci):
            return _Install("pnpm", _problem(*problems), [])
        problem = ("pnpm install may change pnpm-lock.yaml outside CI: add --frozen-lockfile, which installs the "
                   "lockfile's versions and integrity hashes")
        return _Install("pnpm", _problem(problem, *problems), [])
    if verb in ("install", "i", "add", "update", "up", "upgrade", "dlx", "create"):
        if verb == "dlx":
            rest = options.values.get("package", []) or rest[:1]
        if verb == "create" and rest:
            rest = [_create_package(rest[0])]
        return _adds(walker, "pnpm", verb, rest, problems, source, line)
    return None


def pnpx(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    return pnpm(walker, [Word("dlx", "dlx", line, [], False)] + args, variables, line)


def bun(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    options = parse_options(args, frozenset({"registry", "cwd", "filter", "config", "backend", "cache-dir"}),
                            {"c": "config"})
    problems, source = _npm_registry(walker, options, line)
    if not options.positional or not options.positional[0].static:
        return None
    verb = options.positional[0].value
    rest = options.positional[1:]
    if verb == "ci":
        return _Install("bun", _problem(*problems), [])
    if verb in ("install", "i") and not rest:
        if "frozen-lockfile" in options.flags:
            return _Install("bun", _problem(*problems), [])
        problem = "bun install may change the lockfile: use bun ci (or --frozen-lockfile)"
        return _Install("bun", _problem(problem, *problems), [])
    if verb in ("install", "i", "add", "a", "update", "x", "create", "c"):
        if verb == "x":
            rest = rest[:1]
        if verb in ("create", "c") and rest:
            rest = [_create_package(rest[0])]
        return _adds(walker, "bun", verb, rest, problems, source, line)
    return None


def bunx(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    return bun(walker, [Word("x", "x", line, [], False)] + [w for w in args if not w.value.startswith("-")][:1],
               variables, line)


# -- gem, go, cargo ---------------------------------------------------------------------------------------------


def gem(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    options = parse_options(args, frozenset({"version", "source", "install-dir", "bindir", "platform", "document",
                                             "build-root", "format-executable", "file"}),
                            {"v": "version", "s": "source", "i": "install-dir", "n": "bindir", "g": "file"})
    if not options.positional or options.positional[0].value not in ("install", "i", "update"):
        return None
    problems, source = _registries(walker, options, {"source": "source"}, line)
    if "clear-sources" in options.flags:
        problems.append("--clear-sources drops rubygems.org: packages come only from the --source given")
    version = options.first("version")
    deps: list[Dependency] = []
    unknown: list[str] = []
    for word in options.positional[1:]:
        if not word.static:
            unknown.append(word.raw)
            continue
        name, _, pinned = word.value.partition(":")
        exact = pinned or (version.value if version is not None and version.static else None)
        if exact and not all(c.isdigit() or c == "." for c in exact.lstrip("=").strip()):
            exact = None
        deps.append(_dependency(walker, "gem", name, exact.lstrip("=").strip() if exact else None,
                                f"={exact}" if exact else "", line))
    if unknown:
        problem = f"gem install installs {unknown[0]}, decided at run time: lockgate cannot tell what it installs"
    elif not deps or any(d.version is None for d in deps):
        problem = "gem install without an exact version installs whatever is newest at run time, and checks no hash"
    else:
        problem = "gem install checks no hash: install from a Gemfile.lock with checksums (bundle install --frozen)"
    return _Install("gem", _problem(problem, *problems), _with_source(deps, source))


_GO_SKIP = frozenset({"-d", "-f", "-t", "-u", "-v", "-fix", "-insecure", "-x", "-n", "-a", "-race", "-msan",
                      "-asan", "-trimpath", "-modcacherw", "-buildvcs", "-work", "-cover", "-linkshared"})
_GO_VALUES = frozenset({"-C", "-p", "-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-modfile", "-o",
                        "-pkgdir", "-toolexec", "-overlay", "-pgo", "-coverpkg", "-covermode", "-exec", "-buildmode",
                        "-compiler", "-gccgoflags", "-installsuffix"})


def go(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    """``go install``/``go get``/``go run`` of remote packages: pinned by a full semantic version or commit, which
    the checksum database vouches for (Scorecard's rule), unless something turns that database off."""
    if not args or args[0].value not in ("install", "get", "run"):
        return None
    verb = args[0].value
    packages: list[Word] = []
    insecure = False
    index = 1
    while index < len(args):
        word = args[index]
        value = word.value
        index += 1
        if value == "--":
            break
        if value.startswith("-"):
            name = value.split("=", 1)[0].lstrip("-")
            insecure = insecure or name == "insecure"
            if "-" + name in _GO_VALUES and "=" not in value:
                index += 1
            continue
        packages.append(word)
        if verb == "run":
            break  # the rest are the program's arguments
    remote = [word for word in packages if not word.static or _go_remote(word.value)]
    if verb == "run":
        remote = [word for word in remote if "@" in word.value or not word.static]
    if not remote:
        return None
    sumdb_off = _go_checksums_off(variables)
    deps: list[Dependency] = []
    problem = None
    for word in remote:
        if not word.static:
            problem = problem or f"go {verb} {word.raw}: decided at run time, lockgate cannot tell what it installs"
            continue
        module, at, version = word.value.partition("@")
        good = at and (version == "none" or _go_semver(version) or _go_commit(version))
        deps.append(_dependency(walker, "go", module, version if good and version != "none" else None,
                                "@" + version if at else "", line))
        if not good:
            problem = problem or (f"go {verb} {word.value} is not pinned: name a full version (@v1.2.3) or commit, "
                                  "which the checksum database vouches for")
        elif insecure:
            problem = problem or f"go {verb} -insecure fetches {module} without checking it"
        elif sumdb_off:
            problem = problem or f"{sumdb_off}: the checksum database does not vouch for {module}"
    return _Install("go", problem, deps)


def _go_remote(value: str) -> bool:
    """Scorecard: a path with a dotted host (``host.tld/x``) is remote; anything else is a local package."""
    first = value.split("/", 1)
    return len(first) == 2 and "." in first[0] and not value.startswith((".", "/"))


def _go_semver(version: str) -> bool:
    if not version.startswith("v"):
        return False
    core = version[1:].split("-", 1)[0].split("+", 1)[0]
    parts = core.split(".")
    return len(parts) == 3 and all(part.isdigit() for part in parts)


def _go_commit(version: str) -> bool:
    return len(version) >= 40 and all(c in "0123456789abcdefABCDEF" for c in version)


def _go_checksums_off(variables: Variables) -> str | None:
    if (variables.get("GOSUMDB") or "").strip() == "off":
        return "GOSUMDB=off"
    for name in ("GONOSUMDB", "GONOSUMCHECK", "GOINSECURE", "GOPRIVATE"):
        if variables.get(name):
            return f"{name} is set"
    if "-insecure" in (variables.get("GOFLAGS") or ""):
        return "GOFLAGS=-insecure"
    return None


def cargo(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    if not args or args[0].value not in ("install", "binstall"):
        return None
    verb = args[0].value
    options = parse_options(args[1:], frozenset({"version", "git", "branch", "tag", "rev", "path", "root",
                                                 "index", "registry", "target", "features", "profile", "jobs",
                                                 "bin", "example", "config", "target-dir", "root"}),
                            {"F": "features", "j": "jobs", "Z": "unstable"})
    problems, _ = _registries(walker, options, {"index": "index"}, line)  # --registry NAME: a name from config
    locked = "locked" in options.flags or "frozen" in options.flags
    version = options.first("version")
    git = options.first("git")
    path = options.first("path")
    deps: list[Dependency] = []
    problem = None
    if verb == "binstall":
        problem = "cargo binstall downloads prebuilt binaries and checks no hash of them"
    if git is not None:
        rev = options.first("rev")
        commit = rev.value if rev is not None and rev.static and is_commit(rev.value) else None
        name = options.positional[0].value if options.positional else _shown(git)
        deps.append(_dependency(walker, "cargo", name, None, "", line,
                                Source(kind="git", url=_shown(git), ref=rev.value if rev else None, commit=commit)))
        if commit is None:
            problem = problem or f"cargo {verb} --git {_shown(git)} without --rev <full commit> follows a branch"
    elif path is not None and not options.positional:
        pass
    else:
        if not options.positional:
            return None
        for word in options.positional:
            if not word.static:
                problem = problem or f"cargo {verb} {word.raw}: decided at run time"
                continue
            name, at, pinned = word.value.partition("@")
            wanted = pinned if at else (version.value if version is not None else "")
            exact = wanted.lstrip("=") if wanted and _cargo_exact(wanted) else None
            deps.append(_dependency(walker, "cargo", name, exact, wanted, line))
            if exact is None:
                problem = problem or (f"cargo {verb} {name} without an exact --version installs whatever is newest "
                                      "at run time")
    if problem is None and not locked:
        problem = f"cargo {verb} without --locked resolves the crate's dependencies afresh, ignoring its Cargo.lock"
    return _Install("cargo", _problem(problem, *problems), deps)


def _cargo_exact(version: str) -> bool:
    core = version.lstrip("=")
    if version.startswith(("^", "~", ">", "<", "*")):
        return False
    parts = core.split("-", 1)[0].split("+", 1)[0].split(".")
    return len(parts) == 3 and all(part.isdigit() for part in parts)


# -- Windows package managers (Scorecard's rules) -----------------------------------------------------------------


def choco(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    if not args or args[0].value.lower() not in ("install", "upgrade"):
        return None
    for word in args[1:]:
        if word.value.split("=", 1)[0].lower() in ("--requirechecksum", "--requirechecksums",
                                                   "--require-checksums"):
            return _Install("choco", None, [])
    return _Install("choco", "choco install checks no checksum of what it downloads: add --require-checksums", [])


def cinst(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    return choco(walker, [Word("install", "install", line, [], False)] + args, variables, line)


def nuget(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    if not args:
        return None
    verb = args[0].value.lower()
    values = [word.value for word in args[1:]]
    if verb == "install":
        if not values or values[0].endswith("packages.config") or any(v.lower() == "-version" for v in values):
            return _Install("nuget", None, [])
        return _Install("nuget", "nuget install without -Version installs whatever is newest at run time", [])
    if verb == "restore":
        if any(v.lower() == "-lockedmode" for v in values):
            return _Install("nuget", None, [])
        return _Install("nuget", "nuget restore without -LockedMode may resolve new versions: add -LockedMode", [])
    return None


def dotnet(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    values = [word.value.lower() for word in args]
    if not values:
        return None
    if values[0] == "restore":
        if "--locked-mode" in values:
            return _Install("dotnet", None, [])
        return _Install("dotnet", "dotnet restore without --locked-mode may resolve new versions", [])
    if values[0] == "add" and "package" in values[1:3]:
        if "-v" in values or "--version" in values:
            return _Install("dotnet", None, [])
        return _Install("dotnet", "dotnet add package without --version adds whatever is newest at run time", [])
    if values[0] == "tool" and len(values) > 1 and values[1] in ("install", "update", "run", "exec", "execute"):
        if "--version" in values:
            return _Install("dotnet", None, [])
        return _Install("dotnet", f"dotnet tool {values[1]} without --version installs whatever is newest", [])
    if values[0] in ("dnx",):
        return _Install("dotnet", "dotnet dnx downloads and runs a tool with no version pinned", [])
    return None


def msbuild(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    values = [word.value.lower() for word in args]
    if "/t:restore" not in values and "-t:restore" not in values:
        return None
    if "/p:restorelockedmode=true" in values or "-p:restorelockedmode=true" in values:
        return _Install("msbuild", None, [])
    return _Install("msbuild", "msbuild /t:restore without /p:RestoreLockedMode=true may resolve new versions", [])


def handlers(walker: _Walker) -> dict[str, Callable[[list[Word], Variables, int], "_Install | None"]]:
    """Program name -> handler, bound to the walker."""
    def bind(function: Callable[..., "_Install | None"]) -> Callable[[list[Word], Variables, int], "_Install | None"]:
        return lambda args, variables, line: function(walker, args, variables, line)

    table = {"uv": uv, "uvx": uvx, "pipx": pipx, "npm": npm, "npx": npx, "yarn": yarn, "yarnpkg": yarn,
             "pnpm": pnpm, "pnpx": pnpx, "bun": bun, "bunx": bunx, "gem": gem, "go": go, "cargo": cargo,
             "choco": choco, "cinst": cinst, "nuget": nuget, "dotnet": dotnet, "msbuild": msbuild,
             "corepack": corepack}
    return {name: bind(function) for name, function in table.items()}


def corepack(walker: _Walker, args: list[Word], variables: Variables, line: int) -> _Install | None:
    """``corepack prepare pnpm@9 --activate`` / ``corepack use``/``install -g``: downloads a package manager;
    pinned only with a ``+sha512.…`` hash."""
    options = parse_options(args, frozenset(), {})
    if not options.positional or options.positional[0].value not in ("prepare", "use", "install", "up"):
        return None
    specs = options.positional[1:]
    if not specs:
        return _Install("corepack", None if options.positional[0].value in ("install", "prepare") else
                        "corepack up moves the package manager to its newest version", [])
    deps, unknown, _ = _npm_packages(walker, [Word(w.value.split("+", 1)[0], w.raw, w.line, w.subs, w.quoted)
                                              for w in specs], line)
    hashed = all(w.static and "+sha" in w.value for w in specs)
    problem = None if hashed else _npm_problem(deps, unknown, "corepack") + " (add the +sha512.… hash)"
    return _Install("corepack", problem, deps)
