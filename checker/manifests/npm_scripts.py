"""The scripts of a package.json that run when its project is installed: lifecycle scripts and what they run.

Lifecycle scripts that an install runs for the project's own packages (the root and every workspace member):

- npm (docs: using-npm/scripts, "npm install"): ``preinstall``, ``install``, ``postinstall``, ``prepublish``,
  ``preprepare``, ``prepare``, ``postprepare``, and ``dependencies`` (after node_modules changed);
- pnpm: the same, and ``pnpm:devPreinstall`` (before any dependency is installed);
- Yarn: ``preinstall``, ``install``, ``postinstall`` (Berry), and ``prepublish`` / ``prepare`` (Classic);
- Bun: ``preinstall``, ``install``, ``postinstall``, ``preprepare``, ``prepare``, ``postprepare``.

Indirection. ``"postinstall": "npm run evil"`` runs the script ``evil`` on every install: a change to ``evil`` is
a change to what the install runs, so ``evil`` is reported too, and so on through what ``evil`` runs (with the
``pre``/``post`` scripts npm runs around each). A script counts as reached when a word of a reached command names
it: as the package managers' ``run`` arguments do (``npm run x``, ``yarn x``, ``pnpm -r run x``, ``bun run x``),
as npm-run-all's (``run-s x y``, ``npm-run-all "build:*"``: ``*`` and ``**`` match any part of a name, so a glob
reaches every script it could), and concurrently's (``"npm:x"``). Matching any word, not only those after a
runner, can only reach more scripts, never fewer. A command that runs a script named by the environment
(``npm run $TARGET``) could reach any script: then every script of the package is reported, as it is for a command
too long to split cheaply.

Words are read with ``shlex`` as a POSIX shell splits them (quotes removed, ``&&``, ``;``, ``|`` apart); a
command ``shlex`` cannot split (an unclosed quote) is split at white space and punctuation instead, which also
finds every name the shell could see.

Each reached script is a ``config`` dependency ``npm.scripts.<name>`` whose version is the command as written.
Not followed: files a script runs (``node scripts/setup.js``: repository code, in the pull request's own diff)
and scripts of other packages that a recursive runner reaches (``pnpm -r build``: each package.json of the
repository is read on its own).
"""

from __future__ import annotations

import shlex

from checker.manifests.config_dependency import config_dependency
from checker.model import Dependency

LIFECYCLE = ("preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare",
             "dependencies", "pnpm:devPreinstall")
# Programs that run a package.json script by name.
_RUNNERS = frozenset({"npm", "pnpm", "yarn", "bun", "npx", "pnpx", "bunx", "run-s", "run-p", "npm-run-all",
                      "npm-run-all2", "concurrently", "nr", "ni", "turbo", "lerna", "nx", "wireit"})
_PUNCTUATION = "\"'`;&|()<>{}\\\n\t\r"
# A command longer than this, a glob longer than this, or more glob words than this, reach every script (bounded
# work on hostile input; real lifecycle commands are a line or two).
_MAX_COMMAND = 10_000
_MAX_GLOB = 256
_MAX_GLOBS = 64


def script_dependencies(scripts: dict, lines: dict, path: str) -> list[Dependency]:
    """``npm.scripts.<name>`` for every script an install runs, in file order."""
    reached = reached_scripts(scripts)
    return [
        config_dependency(f"npm.scripts.{name}", command, path, lines.get(("scripts", name)))
        for name, command in scripts.items()
        if name in reached
    ]


def reached_scripts(scripts: dict) -> set[str]:
    """The lifecycle scripts present, and every script they run, directly or through others."""
    names = set(scripts)
    pending = [name for name in LIFECYCLE if name in names]
    reached = set(pending)
    while pending:
        command = scripts[pending.pop()]
        if not isinstance(command, str):
            continue
        mentioned = _mentioned(command, names)
        if mentioned is None:
            return names
        for name in mentioned:
            for candidate in (name, "pre" + name, "post" + name):
                if candidate in names and candidate not in reached:
                    reached.add(candidate)
                    pending.append(candidate)
    return reached


def _mentioned(command: str, names: set[str]) -> set[str] | None:
    """The script names ``command`` may run; None when it may run any (a name from the environment, or more
    globs than are worth matching)."""
    if len(command) > _MAX_COMMAND:
        return None  # shlex builds each word a character at a time: a hostile word costs its length squared
    words = _words(command)
    found: set[str] = set()
    globs = []
    for word in words:
        if word.startswith("npm:"):  # concurrently's "npm:build"
            word = word[4:]
        if word in names:
            found.add(word)
        elif "*" in word:
            globs.append(word)
    if ("$" in command or "`" in command) and not _RUNNERS.isdisjoint(words):
        return None
    if len(globs) > _MAX_GLOBS or any(len(glob) > _MAX_GLOB for glob in globs):
        return None
    for glob in globs:
        found.update(name for name in names if _glob_matches(glob, name))
    return found


def _words(command: str) -> set[str]:
    """The words of a shell command: shlex's, and those between white space and punctuation, with quotes and
    backslashes either splitting or joining the text around them (``"bu"ild`` is ``build`` to a shell): together a
    superset of what a shell could see, also where shlex cannot split the command (an unclosed quote)."""
    words: set[str] = set()
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words.update(lexer)
    except ValueError:  # an unclosed quote or a trailing backslash
        pass
    joined = command.replace('"', "").replace("'", "").replace("\\", "")
    for text in (command, joined):
        for char in _PUNCTUATION:
            if char in text:
                text = text.replace(char, " ")
        words.update(text.split())
    return words


def _glob_matches(glob: str, name: str) -> bool:
    """Whether ``name`` matches ``glob`` where every ``*`` (npm-run-all's ``*`` and ``**`` alike) stands for any
    run of characters: the classic two-pointer wildcard match, without regular expressions."""
    g = n = 0
    star = -1
    resume = 0
    while n < len(name):
        if g < len(glob) and glob[g] != "*" and glob[g] == name[n]:
            g += 1
            n += 1
        elif g < len(glob) and glob[g] == "*":
            star, resume = g, n
            g += 1
        elif star >= 0:
            g = star + 1
            resume += 1
            n = resume
        else:
            return False
    while g < len(glob) and glob[g] == "*":
        g += 1
    return g == len(glob)
