"""The files a line of shell may hand to an installer as requirements, constraints or overrides, found by a scan.

For the ``includes`` of formats that run installers (workflows, Dockerfiles): a superset of what the installer
reads, found without reading the shell as a shell does (checker/manifests/shell.py does that, in the parse), so that
a change to such a file re-judges the file that installs it. Every spelling counts: ``-r x``, ``-rx``,
``--requirement x``, ``--requirement=x``, any abbreviation pip's optparse accepts (``--requirem x``), uv's
``--requirements``, ``--constraints``, ``--overrides``, ``--build-constraints`` (``-b``), quoted or not.
"""

from __future__ import annotations

_LONG = ("--requirement", "--requirements", "--constraint", "--constraints", "--override", "--overrides",
         "--build-constraint", "--build-constraints", "--with-requirements")
_SHORT = ("-r", "-c", "-b")


def _names_a_file(option: str) -> bool:
    """Whether an option word (without ``=value``) takes a requirements-like file: a short one, or a prefix of a
    long one at least as long as ``--r`` (optparse takes any unambiguous prefix; a superset is what is wanted)."""
    if option in _SHORT:
        return True
    return len(option) >= 3 and option.startswith("--") and any(name.startswith(option) for name in _LONG)


def option_files(line: str) -> list[str]:
    """The words of ``line`` that follow (or are attached to) an option naming a requirements-like file."""
    if "-" not in line:
        return []
    words = line.replace("'", " ").replace('"', " ").replace(";", " ").replace("&", " ").replace("|", " ").split()
    found = []
    for index, word in enumerate(words):
        name, equals, attached = word.partition("=")
        if _names_a_file(name):
            if equals and attached:
                found.append(attached)
            elif not equals and index + 1 < len(words):
                found.append(words[index + 1])
        elif word[:2] in _SHORT and len(word) > 2 and not word.startswith("--"):
            found.append(word[2:])
    return found
