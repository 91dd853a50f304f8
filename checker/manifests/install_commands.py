"""Install commands in shell scripts: what a workflow ``run:`` step or a Dockerfile ``RUN`` fetches, and whether
it is pinned.

The reference is OpenSSF Scorecard's Pinned-Dependencies check (``checks/raw/shell_download_validate.go``); every
command it judges is judged here at least as strictly, and some it misses are not missed here. A command is
*pinned* when what it installs is fixed by an exact version **and** a hash:

- pip (``pip``, ``pip3``, ``pip3.12``, ``python -m pip``, ``py -m pip``): ``--require-hashes``, or ``-r FILE``
  whose file (read from the repository) has ``--hash`` entries, which turns on pip's hash-checking mode; a local
  wheel, directory or editable (or a VCS editable pinned to a full commit) with ``--no-deps`` (Scorecard: a
  local wheel even without ``--no-deps``; not here: its dependencies would come unpinned). Anything else, a
  ``pkg==1.2.3`` included, is not pinned: pip checks hashes only from a requirements file. ``uv pip install``
  and ``uv pip sync``: only with ``--require-hashes`` (uv checks the hashes a file has, and lets the rest in).
- ``uv sync`` with ``--locked`` or ``--frozen`` (uv.lock has hashes); ``uv tool install``, ``uvx``, ``uv add``
  and ``pipx`` never are.
- npm: ``npm ci`` (and its aliases), an ``npm install`` of git URLs pinned to full commits (Scorecard); yarn:
  ``--frozen-lockfile`` or ``--immutable`` (or, in CI, Yarn Berry's immutable default: a ``.yarnrc.yml``
  beside the command that does not turn it off); pnpm: ``--frozen-lockfile``, which pnpm sets itself in CI;
  bun: ``--frozen-lockfile`` or ``bun ci``. ``npx``/``npm exec``/``pnpm dlx``/``yarn dlx``/``bunx`` download
  and run a package, unless it is a dependency of the ``package.json`` beside the command or ``--no-install``
  forbids a download.
- go: ``go install``/``go get``/``go run pkg@vX.Y.Z`` or ``@<commit>`` (the checksum database vouches for the
  module's hash), unless ``-insecure`` or an environment that turns the checksum database off (``GOSUMDB=off``,
  ``GONOSUMDB``, ``GONOSUMCHECK``, ``GOINSECURE``, ``GOFLAGS=-insecure``).
- cargo: ``cargo install`` of an exact ``--version``/``name@x.y.z`` or a ``--git`` ``--rev`` commit, with
  ``--locked`` (crates.io's index holds each crate's checksum; ``--locked`` keeps its lockfile's).
- gem: never (``gem install`` checks no hash). choco: ``--requirechecksum(s)``/``--require-checksums``.
  NuGet: Scorecard's rules (``-Version``, ``packages.config``, ``--locked-mode``, ``-LockedMode``,
  ``/p:RestoreLockedMode=true``); ``dotnet tool install`` with ``--version``.
- A download run as code (``curl … | sh``, ``wget -qO- … | sudo bash -s --``, ``bash <(curl …)``, ``bash -c
  "$(curl …)"``, ``eval "$(curl …)"``, ``python -c "$(curl …)"``, ``source <(curl …)``, ``curl -o x.sh URL &&
  bash x.sh``, ``chmod +x x && ./x``, within a script and across the steps of one job): pinned only when every
  URL is ``https://raw.githubusercontent.com/<owner>/<repo>/<full commit>/<path>`` (Scorecard's one exception).

Every package a command names is also a Dependency of the manifest (ecosystem ``pypi``, ``npm``, ``gem``, ``go``,
``cargo``; a downloaded script is ecosystem ``url``, named by its URL), at the command's line, so the diff shows it
and the registry rules judge its exact version. A package or version made of a ``${{ }}`` expression or a shell
variable is unknown: the command is not pinned, and no Dependency is made of it.

Registry flags (``--index-url``, ``--extra-index-url``, ``--trusted-host``, ``--find-links``, ``--registry``,
``--source``, ``--index``) become the manifest's IndexOptions (judged by registry-source) and the source of the
command's packages; ``--trusted-host``, plain HTTP and a URL decided at run time are also the command's problem.
Registry settings made in the environment (``export PIP_INDEX_URL=…``, ``NPM_CONFIG_REGISTRY=… npm ci``) are
``config`` dependencies (see env_settings).

A command whose program is decided at run time (``$(echo pip) install x``, ``$PIP install x``) is judged as an
install of something unknown when its arguments read as one (``install``, ``add``, ``-m pip``, …): never a pass.
"""

from __future__ import annotations

import posixpath
from typing import Callable, Mapping, NamedTuple

from checker.manifests import shell
from checker.manifests.env_settings import setting_dependencies
from checker.manifests.shell import DYNAMIC, Command, Script, ShellError, Word
from checker.manifests.install_common import _base, _Install, _key
from checker.model import Dependency, IndexOption, InstallCommand, Problem, Reader

SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox", "fish", "su"})
_OTHER_INTERPRETERS = frozenset({"perl", "ruby", "node", "nodejs", "php", "pwsh", "powershell", "deno", "bun",
                                 "tclsh", "lua", "Rscript".lower(), "osascript"})
_DOWNLOADERS = frozenset({"curl", "wget", "gsutil", "aws", "fetch", "http", "https", "xh", "aria2c", "axel"})
_INSTALL_VERBS = frozenset({"install", "i", "add", "ci", "get", "dlx", "x", "exec", "update", "up", "upgrade",
                            "sync", "run", "tool", "pip", "restore", "inject", "create", "init"})
_MAX_ALIAS_EXPANSIONS = 8
# The programs installers.py judges (pip and python -m pip are recognised apart); see installers.handlers.
_INSTALLERS = frozenset({"uv", "uvx", "pipx", "npm", "npx", "yarn", "yarnpkg", "pnpm", "pnpx", "bun", "bunx", "gem",
                         "go", "cargo", "choco", "cinst", "nuget", "dotnet", "msbuild", "corepack"})
# Programs that run the rest of their arguments as a command: (options that take a value, whether the words
# after the options may be NAME=value assignments).
_WRAPPERS: dict[str, tuple[frozenset[str], bool]] = {
    "sudo": (frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "--user", "--group",
                        "--chdir", "--prompt", "--role", "--type", "--close-from", "--other-user"}), True),
    "doas": (frozenset({"-u", "-C"}), False),
    "env": (frozenset({"-u", "-C", "--unset", "--chdir", "-S", "--split-string"}), True),
    "time": (frozenset({"-f", "-o", "--format", "--output"}), False),
    "nice": (frozenset({"-n", "--adjustment"}), False),
    "nohup": (frozenset(), False),
    "command": (frozenset(), False),
    "builtin": (frozenset(), False),
    "exec": (frozenset({"-a"}), False),
    "stdbuf": (frozenset({"-i", "-o", "-e"}), False),
    "ionice": (frozenset({"-c", "-n", "-p"}), False),
    "chronic": (frozenset(), False),
    "caffeinate": (frozenset({"-t", "-w"}), False),
    "unbuffer": (frozenset(), False),
    "xargs": (frozenset({"-I", "-i", "-n", "-L", "-l", "-P", "-d", "-E", "-e", "-a", "-s", "--max-args",
                         "--max-procs", "--delimiter", "--arg-file", "--max-chars", "--replace", "--eof"}), False),
}
_TIMEOUT_VALUE_OPTIONS = frozenset({"-s", "-k", "--signal", "--kill-after"})


class Context(NamedTuple):
    """Where the scripts of one manifest run.

    path/scope: the manifest's. read: the repository's files. workdir: the repository folder commands run in
    (None: not a repository folder, such as a path inside an image; ``-r`` files are then not read).
    env: variables known to be set, value None when set to something lockgate cannot know. ci: the commands run
    with ``CI=true`` (GitHub Actions), which turns on pnpm's and Yarn Berry's frozen installs.
    """

    path: str
    scope: str
    read: Reader
    workdir: str | None = ""
    env: Mapping[str, str | None] = {}
    ci: bool = False


class Collected:
    """What the scripts of one manifest hold; ``downloads`` (file -> URLs) lives as long as the caller wants
    a downloaded file to be remembered (a workflow job: Scorecard follows files across its steps)."""

    __slots__ = ("commands", "dependencies", "indexes", "problems", "includes", "downloads")

    def __init__(self) -> None:
        self.commands: list[InstallCommand] = []
        self.dependencies: list[Dependency] = []
        self.indexes: list[IndexOption] = []
        self.problems: list[Problem] = []
        self.includes: list[str] = []
        self.downloads: dict[str, list[str]] = {}


def scan(text: str, line: int, context: Context, out: Collected, shell_kind: str = "sh",
         pieces: list[tuple[int, int]] | None = None, expressions: bool = True) -> None:
    """Judge every install command of a script whose first line is ``line``.

    shell_kind: ``sh`` (POSIX shells: read fully), ``pwsh``/``cmd`` (read word by word: see windows.py), or the
    name of a program lockgate cannot read (``python``, ``perl``): such a script that names a package manager or
    downloader is a Problem, never a silent pass."""
    if shell_kind == "sh":
        try:
            script = shell.read(text, line, expressions=expressions, pieces=pieces)
        except ShellError as error:
            out.problems.append(Problem(f"cannot read the shell script ({error}); its commands were read word by "
                                        "word instead", error.line))
            from checker.manifests import windows

            script = windows.read(text, line, "sh")
        _Walker(context, out).script(script, 0)
        return
    if shell_kind in ("pwsh", "cmd"):
        from checker.manifests import windows

        walker = _Walker(context, out)
        script = windows.read(text, line, shell_kind)
        walker.script(script, 0)
        windows.fetch_and_run(text, line, shell_kind, walker.fetch_run)
        return
    mentioned = _mentions_tool(text)
    if mentioned:
        out.problems.append(Problem(
            f"a {shell_kind} script that mentions {mentioned}: lockgate reads only POSIX shells, PowerShell and cmd, "
            "so what it installs is unknown", line))


def _mentions_tool(text: str) -> str | None:
    """The first package manager or downloader a script names as a word, or None."""
    words = set(text.replace("'", " ").replace('"', " ").replace("(", " ").replace(")", " ").replace(",", " ").split())
    for tool in ("pip", "pip3", "uv", "uvx", "pipx", "npm", "npx", "yarn", "pnpm", "bun", "bunx", "gem", "go",
                 "cargo", "curl", "wget", "choco", "nuget", "dotnet", "urlopen", "urlretrieve", "requests.get"):
        if tool in words or any(word.endswith(("/" + tool, "." + tool)) for word in words if len(word) < 200):
            return tool
    return None


def _is_python(name: str) -> bool:
    if name in ("python", "py", "pypy", "pypy3"):
        return True
    if name.startswith("python"):
        rest = name[6:]
        return all(c.isdigit() or c == "." for c in rest)
    return name.startswith("pypy") and all(c.isdigit() or c == "." for c in name[4:])


def _is_pip(name: str) -> bool:
    return name == "pip" or (name.startswith("pip") and all(c.isdigit() or c == "." for c in name[3:]))


def is_interpreter(name: str) -> bool:
    return name in SHELLS or _is_python(name) or name in _OTHER_INTERPRETERS


class _Walker:
    def __init__(self, context: Context, out: Collected, rereads: int = 0,
                 visited: frozenset[str] = frozenset()) -> None:
        self.context = context
        self.out = out
        self.rereads = rereads  # scripts of the repository this walk is inside of (bounded, no cycles)
        self.visited = visited
        self.aliases: dict[str, str] = {}
        self.variables: dict[str, str | None] = dict(context.env)
        self._handlers: dict | None = None
        # Configuration files the script writes: path as written -> (text so far, what it made of it so far).
        self._written: dict[str, tuple[str, list[Dependency] | Problem | None]] = {}

    # -- structure ----------------------------------------------------------------------------------------------

    def script(self, script: Script, rereads: int) -> None:
        for pipeline in script.pipelines:
            self.pipeline(pipeline.commands, rereads)

    def nested(self, words: list[Word], rereads: int) -> None:
        for word in words:
            for sub in word.subs:
                self.script(sub.script, rereads)

    def pipeline(self, commands: list[Command], rereads: int) -> None:
        stages = [self.resolve(command) for command in commands]
        text = " | ".join(command.text for command in commands)
        for index, (argv, _env) in enumerate(stages):
            if argv and self.downloads(argv) is not None and any(
                    later and _runs_stdin(later) for later, _ in stages[index + 1:]):
                self.fetch_run(self.downloads(argv) or [], text, commands[index].line)
                break
        for index, command in enumerate(commands[:-1]):
            if any(later and _base(later[0].value) in SHELLS for later, _ in stages[index + 1:]):
                self.heredocs_as_script(command, rereads)  # cat <<EOF | bash
        for command, (argv, env) in zip(commands, stages):
            self.command(command, argv, env, rereads, text if len(commands) > 1 else command.text)

    def heredocs_as_script(self, command: Command, rereads: int) -> None:
        """The heredocs a command takes, read as a script: they are fed to a shell."""
        for redirect in command.redirects:
            if redirect.heredoc is None:
                continue
            try:
                inner = shell.read(redirect.heredoc.body, redirect.heredoc.line, rereads=rereads + 1,
                                   expressions=True)
            except ShellError as error:
                self.out.problems.append(Problem(f"cannot read the heredoc fed to a shell ({error})",
                                                 redirect.heredoc.line))
                continue
            self.script(inner, rereads + 1)

    def resolve(self, command: Command) -> tuple[list[Word], dict[str, str | None]]:
        """The words that name the program and its arguments once wrappers (``sudo``, ``env VAR=x``, ``time``,
        ``xargs``, …) and aliases are taken off, and the variables the command line itself sets."""
        env: dict[str, str | None] = {}
        for assignment in command.assignments:
            name, _, value = assignment.raw.partition("=")
            env[name.rstrip("+")] = _assigned_value(assignment)
        words = list(command.words)
        expansions = 0
        while words:
            first = words[0]
            if first.static and first.value in self.aliases and expansions < _MAX_ALIAS_EXPANSIONS:
                expansions += 1
                try:
                    expansion = shell.read(self.aliases[first.value], first.line).commands()
                except ShellError:
                    expansion = []
                words = (expansion[0].words if expansion else []) + words[1:]
                continue
            name = _base(first.value) if first.static else ""
            if name == "timeout":
                words = _skip_options(words[1:], _TIMEOUT_VALUE_OPTIONS)[1:]  # then the duration
                continue
            wrapper = _WRAPPERS.get(name)
            if wrapper is None:
                break
            if name == "command" and len(words) > 1 and words[1].value in ("-v", "-V"):
                return [], env  # a lookup, not a run
            rest = _skip_options(words[1:], wrapper[0])
            if wrapper[1]:
                while rest and _is_assignment_word(rest[0]):
                    key, _, _ = rest[0].value.partition("=")
                    env[key] = _assigned_value(rest[0])
                    rest = rest[1:]
            if name == "xargs" and rest:
                rest = rest + [Word(DYNAMIC, "<arguments from standard input>", rest[0].line, [], False)]
            words = rest
        return words, env

    # -- one command --------------------------------------------------------------------------------------------

    def command(self, command: Command, argv: list[Word], env: dict[str, str | None], rereads: int,
                text: str) -> None:
        self.nested(command.assignments, rereads)
        self.nested(command.words, rereads)
        for redirect in command.redirects:
            if redirect.target is not None:
                self.nested([redirect.target], rereads)
            if redirect.heredoc is not None:
                for sub in redirect.heredoc.subs:
                    self.script(sub.script, rereads)
        for assignment in command.assignments:
            name = assignment.raw.partition("=")[0]
            self.setting(name.rstrip("+"), assignment, command.line)
            if not command.words:
                self.variables[name.rstrip("+")] = _assigned_value(assignment)
        for key, value in env.items():
            if key not in {a.raw.partition("=")[0].rstrip("+") for a in command.assignments}:
                self.setting_value(key, value, command.line)
        if not argv:
            return
        variables = {**self.variables, **env} if env else self.variables
        argv = [expand(word, variables) for word in argv]
        first = argv[0]
        name = _base(first.value)
        if DYNAMIC in name or not name:  # "$VENV/bin/pip" names pip; "$PIP" and "$(echo pip)" name nothing known
            self.unknown_program(argv, command, text)
            return
        args = argv[1:]
        line = command.line
        self.configuration_written(command, name, args)
        if self.configuration_set(name, args, line):
            return
        if name in ("export", "declare", "typeset", "local", "readonly"):
            for word in args:
                if _is_assignment_word(word):
                    key, _, _ = word.value.partition("=")
                    self.setting(key, word, line)
                    self.variables[key] = _assigned_value(word)
            return
        if name == "alias":
            for word in args:
                key, eq, value = word.value.partition("=")
                if eq and word.static:
                    self.aliases[key] = value
            return
        if name == "unalias":
            for word in args:
                self.aliases.pop(word.value, None)
            return
        if name == "eval":
            self.run_string(args, command, rereads, text)
            return
        if name in ("source", "."):
            self.run_file(args[:1], command, text)
            return
        if self.executes_download(first, args, command, text):
            return
        if name in SHELLS:
            self.shell(name, args, command, rereads, text)
            return
        if _is_python(name):
            module = _python_module(args)
            if module is not None and module[0] in ("pip", "pip3"):
                self.judge(self.pip(module[1], variables, line, uv=False), text, line)
                return
            if module is not None and module[0] == "uv":
                self.judge(self.uv(module[1], variables, line), text, line)
                return
            if module is not None and module[0] == "pipx":
                self.judge(self.pipx(module[1], line), text, line)
                return
            self.interpreter(args, command, text)
            return
        if name in _OTHER_INTERPRETERS and name != "bun":
            self.interpreter(args, command, text)
            return
        handler = self.handlers().get(name) if name in _INSTALLERS else None
        if handler is None and _is_pip(name):
            handler = lambda a, v, n: self.pip(a, v, n, uv=False)  # noqa: E731
        if handler is not None:
            self.judge(handler(args, variables, line), text, line)
            return
        if name in _DOWNLOADERS:
            self.record_download(argv, command)

    def handlers(self) -> dict[str, Callable[[list[Word], Mapping[str, str | None], int], "_Install | None"]]:
        """Program name -> handler (installers.py, imported at the first package manager met)."""
        if self._handlers is None:
            from checker.manifests import installers

            self._handlers = installers.handlers(self)
        return self._handlers

    def judge(self, install: _Install | None, text: str, line: int) -> None:
        if install is None:
            return
        self.out.commands.append(InstallCommand(install.tool, text, line, install.problem))
        self.out.dependencies.extend(install.dependencies)

    def pip(self, args: list[Word], variables: Mapping[str, str | None], line: int, uv: bool) -> _Install | None:
        from checker.manifests import installers

        return installers.pip(self, args, variables, line, uv)

    def uv(self, args: list[Word], variables: Mapping[str, str | None], line: int) -> _Install | None:
        from checker.manifests import installers

        return installers.uv(self, args, variables, line)

    def pipx(self, args: list[Word], line: int) -> _Install | None:
        from checker.manifests import installers

        return installers.pipx(self, args, {}, line)

    # -- settings ----------------------------------------------------------------------------------------------

    def setting(self, name: str, word: Word, line: int) -> None:
        _, _, value = word.raw.partition("=")
        self.setting_value(name, value if not word.static else word.value.partition("=")[2], line)

    def setting_value(self, name: str, value: str | None, line: int) -> None:
        if value is None:
            value = "<decided at run time>"
        self.out.dependencies.extend(setting_dependencies(name, value, self.context.path, line))

    def configuration_set(self, name: str, args: list[Word], line: int) -> bool:
        """``npm config set KEY VALUE`` (``npm set``, pnpm's, ``yarn config set``, ``pip config set``, also through
        ``python -m pip``): the setting it makes, as the file it writes would hold it (config_writes)."""
        tool = "pip" if name.startswith("pip") and all(c.isdigit() or c == "." for c in name[3:]) else name
        if _is_python(name):
            module = _python_module(args)
            if module is None or module[0] not in ("pip", "pip3"):
                return False
            tool, args = "pip", module[1]
        tool = "yarn" if tool == "yarnpkg" else tool
        if tool not in ("npm", "pnpm", "yarn", "pip"):
            return False
        values = [word.value if word.static else None for word in args]
        plain = [value for value in values if value is None or not value.startswith("-")]
        if plain[:2] == ["config", "set"]:
            rest = plain[2:]
        elif tool in ("npm", "pnpm") and plain[:1] == ["set"]:
            rest = plain[1:]
        else:
            return False
        from checker.manifests.config_writes import config_set

        self.add_settings(config_set(tool, rest, self.context.path, line))
        return True

    def configuration_written(self, command: Command, name: str, args: list[Word]) -> None:
        """A configuration file the command writes (``echo … > ~/.npmrc``, ``cat > pip.conf <<EOF``, ``tee``), and
        variables it hands to later steps through ``$GITHUB_ENV``."""
        from checker.manifests import config_writes

        targets = [redirect.target for redirect in command.redirects
                   if redirect.op in (">", ">>", ">|", "&>", "&>>") and redirect.target is not None]
        if name == "tee":
            targets += [word for word in args if not word.value.startswith("-")]
        if not targets:
            return
        text = _written_text(name, args, command)
        if text is None:
            return
        appends = any(redirect.op in (">>", "&>>") for redirect in command.redirects) or (
            name == "tee" and any(word.value in ("-a", "--append") for word in args))
        text = text.replace(DYNAMIC, "${…}")
        for target in targets:
            where = target.raw.strip("'\"")
            if config_writes.is_github_env(where):
                for key, value in config_writes.github_env_lines(text):
                    self.setting_value(key, value, command.line)
                continue
            before, made = self._written.get(where, ("", None))
            whole = before + text if appends else text
            found = config_writes.file_settings(where, whole, self.context.path, command.line)
            if found is None:
                continue
            self.withdraw(made)  # the file as a whole is what counts: `echo '[global]' > f && echo 'k = v' >> f`
            self._written[where] = (whole, found)
            self.add_settings(found)

    def add_settings(self, found: list[Dependency] | Problem | None) -> None:
        if isinstance(found, Problem):
            self.out.problems.append(found)
        elif found:
            self.out.dependencies.extend(found)

    def withdraw(self, made: list[Dependency] | Problem | None) -> None:
        """Take back what an earlier write of a file made, now that the file holds more."""
        if isinstance(made, Problem):
            self.out.problems = [problem for problem in self.out.problems if problem is not made]
        elif made:
            gone = {id(dep) for dep in made}
            self.out.dependencies = [dep for dep in self.out.dependencies if id(dep) not in gone]

    # -- programs that run text or files -----------------------------------------------------------------------

    def unknown_program(self, argv: list[Word], command: Command, text: str) -> None:
        """A program decided at run time: an install of something unknown when its arguments read as one."""
        values = [word.value for word in argv[1:4]]
        module = _python_module(argv[1:])
        if any(value in _INSTALL_VERBS for value in values) or (module is not None and module[0] in (
                "pip", "pip3", "uv", "pipx")):
            self.out.commands.append(InstallCommand(
                "unknown", text, command.line,
                f"the program {argv[0].raw} is decided at run time and is given {' '.join(values)}: lockgate cannot "
                "tell what it installs; name the program literally"))

    def run_string(self, args: list[Word], command: Command, rereads: int, text: str) -> None:
        """``eval WORDS`` / ``sh -c STRING``: the text is read as a script of its own; a text made from a
        download runs that download."""
        if not args:
            return
        if all(word.static for word in args):
            joined = " ".join(word.value for word in args)
            try:
                inner = shell.read(joined, command.line, rereads=rereads + 1)
            except ShellError as error:
                self.out.problems.append(Problem(f"cannot read the script given to {text.split()[0]} ({error})",
                                                 command.line))
                return
            self.script(inner, rereads + 1)
            return
        urls = self.substituted_downloads(args)
        if urls is not None:
            self.fetch_run(urls, text, command.line)

    def substituted_downloads(self, words: list[Word]) -> list[str] | None:
        """The URLs of downloads whose output a word substitutes (``"$(curl URL)"``), None when there is none."""
        found: list[str] | None = None
        for word in words:
            for sub in word.subs:
                for pipeline in sub.script.pipelines:
                    for stage in pipeline.commands:
                        argv, _ = self.resolve(stage)
                        urls = self.downloads(argv) if argv else None
                        if urls is not None:
                            found = (found or []) + urls
        return found

    def shell(self, name: str, args: list[Word], command: Command, rereads: int, text: str) -> None:
        """``sh -c STRING``, ``bash FILE``, ``bash <(curl …)``, ``bash`` with a heredoc or here-string."""
        for index, word in enumerate(args):
            if word.static and word.value.startswith("-") and "c" in word.value[1:] and not word.value.startswith("--"):
                self.run_string(args[index + 1:index + 2], command, rereads, text)
                return
            if not word.value.startswith("-") or not word.static:
                self.run_file([word], command, text)
                return
        self.heredocs_as_script(command, rereads)
        for redirect in command.redirects:
            if redirect.op == "<<<" and redirect.target is not None:
                self.run_string([redirect.target], command, rereads, text)
            elif redirect.op == "<" and redirect.target is not None:
                self.run_file([redirect.target], command, text)

    def interpreter(self, args: list[Word], command: Command, text: str) -> None:
        """``python -c "$(curl …)"``, ``python <(curl …)``, ``perl downloaded.pl``, ``node - < <(curl …)``."""
        for index, word in enumerate(args):
            if word.static and word.value in ("-c", "-e", "--eval", "-E", "-r", "--command"):
                urls = self.substituted_downloads(args[index + 1:index + 2])
                if urls is not None:
                    self.fetch_run(urls, text, command.line)
                return
            if word.static and word.value.startswith("-"):
                continue
            self.run_file([word], command, text, scripts=False)
            return
        for redirect in command.redirects:
            if redirect.op in ("<", "<<<") and redirect.target is not None:
                self.run_file([redirect.target], command, text, scripts=False)

    def run_file(self, words: list[Word], command: Command, text: str, scripts: bool = True) -> None:
        """A file given to a shell, an interpreter or ``source``: a process substitution of a download, a file
        downloaded earlier, or (``scripts``: given to a shell) a shell script of the repository."""
        for word in words:
            for sub in word.subs:
                if sub.kind == "<(" or sub.kind == "$(" or sub.kind == "`":
                    urls = self.substituted_downloads([word])
                    if urls is not None:
                        self.fetch_run(urls, text, command.line)
                        return
            if word.value == "/dev/stdin":
                continue
            urls = self.downloaded(word)
            if urls is not None:
                self.fetch_run(urls, text, command.line)
                return
            if scripts and self.repository_script(word, command):
                return

    def executes_download(self, first: Word, args: list[Word], command: Command, text: str) -> bool:
        """``./install.sh`` after ``curl -o install.sh URL``; ``./scripts/setup.sh``, a script of the repository,
        read in its turn."""
        urls = self.downloaded(first)
        if urls is None:
            return "/" in first.value and self.repository_script(first, command)
        self.fetch_run(urls, text, command.line)
        return True

    def repository_script(self, word: Word, command: Command) -> bool:
        """A shell script of the repository that a command runs (``bash scripts/ci.sh``, ``./setup.sh``): its
        install commands are this file's, at the line of the command that runs it, their text prefixed with the
        script's path. A script that does not start with a POSIX shell's ``#!`` (or has none and no ``.sh`` name)
        is not read. Returns whether it was read."""
        context = self.context
        if context.workdir is None or not word.static or posixpath.isabs(word.value) or self.rereads >= 4:
            return False
        path = posixpath.normpath(posixpath.join(context.workdir, word.value))
        if path.startswith("..") or path in self.visited:
            return path in self.visited
        text = context.read(path)
        if text is None:
            return False
        self.out.includes.append(path)
        if not _posix_script(path, text):
            return False
        inner = Collected()
        inner.downloads = self.out.downloads
        walker = _Walker(context._replace(workdir=context.workdir), inner, self.rereads + 1,
                         self.visited | {path})
        try:
            walker.script(shell.read(text, 1, expressions=False, rereads=self.rereads + 1), self.rereads + 1)
        except ShellError as error:
            self.out.problems.append(Problem(f"cannot read {path}, which line {command.line} runs ({error})",
                                             command.line))
            return True
        line = command.line
        self.out.commands.extend(c._replace(text=f"{path}:{c.line}: {c.text}", line=line) for c in inner.commands)
        self.out.dependencies.extend(d._replace(line=line) for d in inner.dependencies)
        self.out.indexes.extend(i._replace(line=line) for i in inner.indexes)
        self.out.problems.extend(p._replace(line=line) for p in inner.problems)
        self.out.includes.extend(inner.includes)
        return True

    def downloaded(self, word: Word) -> list[str] | None:
        key = _key(word)
        if key in self.out.downloads:
            return self.out.downloads[key]
        if "/" not in key:
            for path, urls in self.out.downloads.items():
                if posixpath.basename(path) == key:
                    return urls
        return None

    # -- downloads ------------------------------------------------------------------------------------------------

    def downloads(self, argv: list[Word]) -> list[str] | None:
        """The URLs a download command fetches (``[]``: from somewhere decided at run time), None when the command
        downloads nothing."""
        from checker.manifests import downloads

        return downloads.urls(argv)

    def record_download(self, argv: list[Word], command: Command) -> None:
        from checker.manifests import downloads

        urls = downloads.urls(argv)
        if urls is None:
            return
        for target in downloads.output_files(argv, command):
            self.out.downloads[target] = urls

    def fetch_run(self, urls: list[str], text: str, line: int) -> None:
        from checker.manifests import downloads

        downloads.fetch_run(self.context, self.out, urls, text, line)


def expand(word: Word, variables: Mapping[str, str | None]) -> Word:
    """A word made of literal text and ``$NAME``/``${NAME}`` references (optionally in double quotes) whose
    variables are all known, with their values put in; any other word as it is."""
    if word.static or word.subs:
        return word
    raw = word.raw
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    if any(c in raw for c in "'`\\\"") or "${{" in raw:
        return word
    out: list[str] = []
    position = 0
    while position < len(raw):
        c = raw[position]
        if c != "$":
            out.append(c)
            position += 1
            continue
        braced = raw.startswith("{", position + 1)
        start = position + (2 if braced else 1)
        end = start
        while end < len(raw) and (raw[end].isalnum() or raw[end] == "_"):
            end += 1
        name = raw[start:end]
        if not name or (braced and not raw.startswith("}", end)):
            return word
        value = variables.get(name)
        if value is None or "$" in value:
            return word
        out.append(value)
        position = end + (1 if braced else 0)
    return Word("".join(out), word.raw, word.line, [], True)


def _posix_script(path: str, text: str) -> bool:
    """A script a POSIX shell reader may read: its ``#!`` names sh, bash, dash, … (directly or through env), or it
    has none and its name ends in ``.sh``/``.bash``."""
    if text.startswith("#!"):
        words = text[2:].split("\n", 1)[0].split()
        if words and words[0].rsplit("/", 1)[-1] == "env" and len(words) > 1:
            words = words[1:] if not words[1].startswith("-") else words[2:]
        return bool(words) and words[0].rsplit("/", 1)[-1] in SHELLS
    return path.endswith((".sh", ".bash"))


def _runs_stdin(argv: list[Word]) -> bool:
    """Whether a pipeline stage runs what it reads (a shell or an interpreter)."""
    if not argv or not argv[0].static:
        return False
    name = _base(argv[0].value)
    if name in ("source", ".", "eval"):
        return True
    return is_interpreter(name)


def _written_text(name: str, args: list[Word], command: Command) -> str | None:
    """What a command writes to standard output or a file: ``echo``'s and ``printf``'s arguments, a heredoc fed to
    ``cat`` or ``tee``; None for any other command (its output cannot be known)."""
    heredocs = [redirect.heredoc for redirect in command.redirects if redirect.heredoc is not None]
    if name in ("cat", "tee") and heredocs:
        return heredocs[-1].body
    values = [word.value for word in args]
    if name == "echo":
        escapes = bool(values) and values[0] in ("-e", "-ne", "-en")
        while values and values[0] in ("-e", "-n", "-ne", "-en", "-E"):
            values = values[1:]
        text = " ".join(values) + "\n"
        return text.replace("\\n", "\n") if escapes else text
    if name == "printf" and values:
        template, rest = values[0].replace("\\n", "\n"), values[1:]
        while "%s" in template and rest:
            template = template.replace("%s", rest.pop(0), 1)
        return template.replace("%s", "")
    return None


def _python_module(args: list[Word]) -> tuple[str, list[Word]] | None:
    """``-m MODULE ARGS`` of a Python command line (after interpreter options such as ``-I``, ``-u``)."""
    for index, word in enumerate(args):
        value = word.value
        if value == "-m" and index + 1 < len(args):
            return args[index + 1].value, args[index + 2:]
        if value.startswith("-m") and len(value) > 2 and value[1] == "m":
            return value[2:], args[index + 1:]
        if not value.startswith("-") or value in ("-c", "-"):
            return None
    return None


def _skip_options(words: list[Word], takes_value: frozenset[str]) -> list[Word]:
    """The words after a wrapper's options (``--`` ends them)."""
    index = 0
    while index < len(words):
        value = words[index].value
        if value == "--":
            return words[index + 1:]
        if not value.startswith("-") or value == "-":
            break
        if value in takes_value:
            index += 1
        index += 1
    return words[index:]


def _is_assignment_word(word: Word) -> bool:
    name, eq, _ = word.value.partition("=")
    return bool(eq) and bool(name) and (name[0].isalpha() or name[0] == "_") and all(
        c.isalnum() or c == "_" for c in name)


def _assigned_value(word: Word) -> str | None:
    """The value of ``NAME=value`` when it is known."""
    if not word.static:
        return None
    return word.value.partition("=")[2]
