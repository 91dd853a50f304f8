"""How the developer runs ``lockgate`` from where the hook blocked them: the commands a blocked hook prints must work
in their shell, not only in the hook's process.

pre-commit runs a ``language: python`` hook from a virtual environment of its own: it sets ``PRE_COMMIT=1`` for
every hook (``pre_commit/commands/run.py``) and, for the hook's process only, ``VIRTUAL_ENV`` and a ``PATH`` that
starts with that environment's ``bin`` (``pre_commit/languages/python.py``). The developer's shell has neither, so
``lockgate`` found on the hook's ``PATH`` says nothing about theirs: that folder is left out of the search. When the
command is missing there, the note names the copy that is running (its script, from ``sys.argv[0]``, or its
interpreter with ``-m checker``), which works now and is the very version that judged the commit, and says once how
to install lockgate (pinned to that version: another version could judge differently).
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping, Sequence

from checker import __version__

_SCRIPT_NAMES = ("lockgate", "lockgate.exe", "lockgate-script.py")


def _own_bin_folders(environ: Mapping[str, str]) -> set[str]:
    """The script folders of the virtual environment pre-commit made for the hook (none outside pre-commit)."""
    venv = environ.get("VIRTUAL_ENV")
    if environ.get("PRE_COMMIT") != "1" or not venv:
        return set()
    return {os.path.normcase(os.path.normpath(os.path.join(venv, folder))) for folder in ("bin", "Scripts")}


def on_developer_path(environ: Mapping[str, str]) -> bool:
    """Whether ``lockgate`` runs from the developer's shell: found on the ``PATH`` less the hook's own folder."""
    own = _own_bin_folders(environ)
    folders = [d for d in environ.get("PATH", "").split(os.pathsep)
               if d and os.path.normcase(os.path.normpath(d)) not in own]
    return shutil.which("lockgate", path=os.pathsep.join(folders)) is not None


def running_command(argv0: str, executable: str) -> str:
    """The shell words that start this very lockgate: its script when it runs as one, else its interpreter."""
    if os.path.basename(argv0).lower() in _SCRIPT_NAMES and os.path.isfile(argv0):
        return shlex.quote(os.path.abspath(argv0))
    return f"{shlex.quote(executable)} -m checker"


def path_note(commands: Sequence[str], environ: Mapping[str, str], argv0: str, executable: str) -> str:
    """The lines to print under a blocked hook's message, or "" when ``lockgate`` is on the developer's PATH.
    ``commands``: the ``lockgate …`` commands the message offers, each repeated ready to run."""
    if on_developer_path(environ):
        return ""
    runner = running_command(argv0, executable)
    where = " (pre-commit runs its own copy)" if _own_bin_folders(environ) else ""
    lines = [f"lockgate is not on your PATH{where}; run the copy that ran here as {runner}:"]
    lines += [f"  {runner}{command[len('lockgate'):]}" for command in commands if command.startswith("lockgate ")]
    lines.append(f"or install it once: pipx install lockgate=={__version__} (or run it without installing: "
                 f"pipx run --spec lockgate=={__version__} lockgate …, uvx lockgate@{__version__} …)")
    return "\n".join(lines) + "\n"
