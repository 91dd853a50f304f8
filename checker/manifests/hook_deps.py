"""``additional_dependencies`` of pre-commit hooks: which package manager installs each string, and what it pins.

pre-commit hands every string of the list, unchanged, as one command-line argument to the installer of the hook's
language (``pre_commit/languages/*.py``, ``install_environment``). Each string is read as that installer reads
an argument:

============================  ==========================================  =========  ==================================
language                      what pre-commit runs                        ecosystem  an exact pin
============================  ==========================================  =========  ==================================
python (python_venv before    ``pip install . DEP...``                    pypi       ``name==X`` (PEP 508; a git URL at
pre-commit 4)                                                                        a full commit; an archive URL with
                                                                                     ``#sha256=``)
node                          ``npm install -g DEP...``                   npm        ``name@X.Y.Z``
ruby                          ``gem install DEP...``                      gem        ``name:X.Y.Z``
golang                        ``go install DEP``, one at a time           go         ``path@vX.Y.Z`` (or a full commit)
rust                          ``cli:name[:ver]``: ``cargo install name    cargo      ``cli:name:X.Y.Z``;
                              --version ver``; ``name[:req]``: ``cargo               ``name:=X.Y.Z`` (``cargo add``
                              add name@req``                                         reads a bare version as ``^``)
conda                         ``conda install -p ENV DEP...``             conda      ``name==X``, ``name X``,
                                                                                     ``name=X=build`` (``name=X`` is
                                                                                     ``X.*``)
============================  ==========================================  =========  ==================================

coursier, dart, haskell, julia, lua, perl and r install from registries lockgate has no ecosystem for: each such
dependency is a Problem (it is installed, and lockgate cannot judge it). docker, dotnet and swift refuse
additional dependencies (``lang_base.assert_no_additional_deps``), and the languages without an environment
(docker_image, fail, pygrep, system/unsupported, script/unsupported_script) make pre-commit stop with an error
when a hook has any: nothing is installed, so nothing is read.

Because every string is a command-line argument, one that starts with ``-`` is an option of the installer
(``--index-url=…``, ``--registry=…``, ``--source …``) that changes where every package comes from: a Problem.

**When the language is not written in the config** (a hook of a remote repository takes its language from that
repository's ``.pre-commit-hooks.yaml``, which lockgate cannot read: it is another repository), the string's own
syntax decides, and only where exactly one installer accepts it:

- ``cli:…`` is Rust's (only pre-commit's rust language knows the prefix);
- ``channel::name…`` or a single ``=`` (``numpy=1.26``) is conda's (pip, npm, gem and go refuse both);
- ``@scope/name[@…]`` is npm's; ``name@version`` is npm's when ``name`` is an npm package name, Go's when it is
  a module path whose first element has a dot (``github.com/x/y@v1``);
- a PEP 508 requirement with a version operator, extras, markers or ``name @ URL`` is pip's (conda reads
  ``==``/``>=`` too: write ``language: conda`` on a conda hook so that lockgate asks the right registry);
- anything else, above all a bare name (``types-requests`` is a valid pip, npm, gem and conda argument, and
  unpinned in each) and ``name:version`` (gem's exact pin, but cargo's caret range), is a Problem that says how
  to make it readable: write the hook's ``language:``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from checker.errors import ManifestError
from checker.model import Dependency, Source

SCOPE = "build"

LANGUAGE_ECOSYSTEMS = {
    "python": "pypi", "python_venv": "pypi", "node": "npm", "ruby": "gem", "golang": "go", "rust": "cargo",
    "conda": "conda",
}  # fmt: skip
# Languages whose installers fetch packages from registries lockgate has no ecosystem for.
UNJUDGED_LANGUAGES = frozenset({"coursier", "dart", "haskell", "julia", "lua", "perl", "r"})
# Languages for which pre-commit installs no additional dependency (it refuses them, or stops with an error).
NO_INSTALL_LANGUAGES = frozenset({
    "docker", "dotnet", "swift", "docker_image", "fail", "pygrep", "system", "unsupported", "script",
    "unsupported_script",
})  # fmt: skip

# No name with its version, URL or markers comes near this; a longer string is not read (a Problem), which also
# bounds what the readers' regular expressions are handed.
MAX_LENGTH = 1000

_INSTALLERS = {"pypi": "pip", "npm": "npm", "gem": "gem", "go": "go install", "cargo": "cargo", "conda": "conda"}

# A ruby gem's version as RubyGems writes one (Gem::Version's pattern, without white space).
_GEM_VERSION = re.compile(r"[0-9]+(?:\.[0-9A-Za-z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?")
_GEM_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
# A Go module version: semantic version with a leading v (pseudo-versions included), or a full commit.
_GO_VERSION = re.compile(r"v[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?|[0-9a-fA-F]{40}")
_GO_ELEMENT = re.compile(r"[A-Za-z0-9._~+-]+")
_CRATE_NAME = re.compile(r"[A-Za-z0-9_-]+")
# cargo install --version X: a bare MAJOR.MINOR.PATCH (with a pre-release or build) is that version exactly.
_CARGO_EXACT = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
_CONDA_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_CONDA_VERSION = re.compile(r"[0-9A-Za-z_.+!-]+")
_BARE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_PEP508_SIGNS = ("==", ">=", "<=", "!=", "~=", "<", ">", ";", "[", " @ ")


class Where(NamedTuple):
    """Where one dependency string stands: the file, its line, and the hook it belongs to (for messages)."""

    path: str
    line: int | None
    hook: str


def ecosystem_of(language: str | None, text: str) -> tuple[str | None, str | None]:
    """(ecosystem, None) for a dependency string of a hook of ``language`` (None: not written in the config), or
    (None, why it cannot be judged), or (None, None) when pre-commit installs nothing for the language."""
    if language is not None:
        if language in LANGUAGE_ECOSYSTEMS:
            return LANGUAGE_ECOSYSTEMS[language], None
        if language in NO_INSTALL_LANGUAGES:
            return None, None
        if language in UNJUDGED_LANGUAGES:
            return None, (f"pre-commit's {language} language installs it from a registry lockgate has no "
                          "ecosystem for, so lockgate cannot judge it: review it by hand")
        return None, f"the hook's language {language!r} is not one pre-commit knows, so lockgate cannot tell what it installs"
    return _inferred(text)


def _inferred(text: str) -> tuple[str | None, str | None]:
    """The ecosystem a string's own syntax names (see the module docstring), or why it names none."""
    unknown = ("lockgate cannot tell which package manager installs it: the hook's language is set in its "
               "repository's .pre-commit-hooks.yaml, which lockgate does not read, and the string alone does not say")
    fix = "; write the hook's language: in this file (language: python, node, ...)"
    if text.startswith("-"):
        return None, f"an installer option, not a package: it can change where every package comes from{fix}"
    if text.startswith("cli:"):
        return "cargo", None
    if "::" in text or _single_equals(text):
        return "conda", None
    if text.startswith("@"):
        return "npm", None
    if any(sign in text for sign in _PEP508_SIGNS):
        return "pypi", None
    name, at, _ = text.partition("@")
    if at and name:
        if "/" not in name:
            return "npm", None
        if _is_go_path(name):
            return "go", None
    if _BARE_NAME.fullmatch(text):
        return None, ("names no version (any package manager takes the newest release), and " + unknown
                      + "; write the hook's language: in this file and pin an exact version")
    return None, unknown + fix


def _is_go_path(text: str) -> bool:
    """A module path that the go command downloads: elements of letters, digits and ``._~+-`` joined by ``/``, the
    first one a host name (it holds a dot: ``github.com/x/y``, ``golang.org/x/tools``)."""
    elements = text.split("/")
    return (len(elements) >= 2 and "." in elements[0] and not elements[0].startswith(".")
            and all(_GO_ELEMENT.fullmatch(element) for element in elements))


def _single_equals(text: str) -> bool:
    """A ``=`` that is not part of ``==``, ``>=``, ``<=``, ``!=``, ``~=`` or ``===`` (conda's fuzzy ``name=1.2``)."""
    for index, char in enumerate(text):
        if char == "=":
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if before not in "=<>!~" and after != "=":
                return True
    return False


def read(text: str, ecosystem: str, where: Where) -> Dependency:
    """The dependency a string names for ``ecosystem``; ManifestError (its message only is used) when the
    installer would not take it as a package lockgate can name."""
    if len(text) > MAX_LENGTH:
        raise ManifestError(f"longer than {MAX_LENGTH} characters: no package name and version is, and lockgate "
                            "does not read it")
    if text.startswith("-"):
        raise ManifestError(f"an option of {_INSTALLERS[ecosystem]}, not a package: it can change where every "
                            "package of the hook comes from")
    return _READERS[ecosystem](text, where)


def _dependency(ecosystem: str, name: str, version: str | None, specifier: str, where: Where,
                source: Source = Source(), markers: str | None = None) -> Dependency:
    return Dependency(ecosystem=ecosystem, name=name, version=version, specifier=specifier, source=source,
                      scope=SCOPE, direct=True, manifest=where.path, line=where.line, markers=markers)


def _no_file(path: str) -> None:
    return None


def _pypi(text: str, where: Where) -> Dependency:
    from checker.manifests.requirements import _parse_requirement  # pip's reading of one requirement

    found = _parse_requirement(text, where.path, where.line or 0, _no_file)
    if found.source.kind == "path":
        raise ManifestError("a local path: pip installs whatever is at that path on the machine that runs the "
                            "hook, which lockgate cannot see")
    return _dependency("pypi", found.name, found.version, found.specifier, where, found.source, found.markers
                       )._replace(hashes=found.hashes)


def _npm(text: str, where: Where) -> Dependency:
    from checker.manifests.npm_common import classify, is_valid_name

    at = text.find("@", 1)
    name, spec = (text[:at], text[at + 1 :]) if at > 0 else (text, "")
    if not is_valid_name(name):
        raise ManifestError("not an npm package name (npm would install it from a URL, a path or a git "
                            "repository): name it as name@X.Y.Z")
    if not spec:
        return _dependency("npm", name, None, "", where)
    found = classify(name, spec)
    return _dependency("npm", found.name, found.version, spec, where, found.source)


def _gem(text: str, where: Where) -> Dependency:
    name, colon, version = text.partition(":")
    if _GEM_NAME.fullmatch(name) is None or name.endswith(".gem"):
        raise ManifestError("not a gem name (gem install would read it as a file or a URL): name it as "
                            "name:X.Y.Z")
    exact = version if colon and _GEM_VERSION.fullmatch(version) else None
    return _dependency("gem", name, exact, version, where)


def _go(text: str, where: Where) -> Dependency:
    path, at, version = text.rpartition("@")
    if not at:
        path, version = text, ""
    if not path or any(char.isspace() for char in path) or path.startswith((".", "/")):
        raise ManifestError("not a Go package path (go install would build a local directory): name it as "
                            "module/path@vX.Y.Z")
    exact = version if _GO_VERSION.fullmatch(version) else None
    return _dependency("go", path, exact, version, where)


def _cargo(text: str, where: Where) -> Dependency:
    cli = text.startswith("cli:")
    name, _, spec = text.removeprefix("cli:").partition(":")
    if _CRATE_NAME.fullmatch(name) is None:
        raise ManifestError("not a crate name: name it as cli:name:X.Y.Z (a binary) or name:=X.Y.Z (a library)")
    if cli:
        exact = spec if _CARGO_EXACT.fullmatch(spec) else None  # cargo install --version
    else:
        bare = spec[1:].strip() if spec.startswith("=") else ""  # cargo add name@spec reads 1.2.3 as ^1.2.3
        exact = bare if _CARGO_EXACT.fullmatch(bare) else None
    return _dependency("cargo", name, exact, text, where)  # the whole argument: cli: decides what spec means


def _conda(text: str, where: Where) -> Dependency:
    channel, sep, spec = text.rpartition("::")
    source = Source(kind="registry", url=channel) if sep and channel else Source()
    spec = spec.strip()
    end = 0
    while end < len(spec) and spec[end] not in " =<>!~[":
        end += 1
    name, rest = spec[:end], spec[end:]
    if _CONDA_NAME.fullmatch(name) is None:
        raise ManifestError("not a conda package: name it as name==X.Y.Z")
    return _dependency("conda", name, _conda_exact(rest), rest.strip(), where, source)


def _conda_exact(rest: str) -> str | None:
    """The version of ``==X``, `` X``, `` X BUILD`` or ``=X=BUILD`` (conda's exact forms); None for ``=X``
    (which conda reads as ``X.*``), ranges, wildcards and bracket specs."""
    if rest.startswith("=="):
        version = rest[2:].strip()
    elif rest.startswith("=") and "=" in rest[1:]:
        version = rest[1:].partition("=")[0]
    elif rest.startswith(" "):
        version = rest.split()[0] if rest.split() else ""
    else:
        return None
    return version if _CONDA_VERSION.fullmatch(version) and "*" not in version else None


_READERS = {"pypi": _pypi, "npm": _npm, "gem": _gem, "go": _go, "cargo": _cargo, "conda": _conda}


def exact_form(dep: Dependency) -> str:
    """How to write ``dep`` pinned to one version, for hints."""
    name = dep.name
    return {
        "pypi": f"{name}==X.Y.Z", "npm": f"{name}@X.Y.Z", "gem": f"{name}:X.Y.Z", "go": f"{name}@vX.Y.Z",
        "cargo": (f"cli:{name}:X.Y.Z" if dep.specifier.startswith("cli:") else f"{name}:=X.Y.Z"),
        "conda": f"{name}==X.Y.Z",
    }.get(dep.ecosystem, f"{name} at one exact version")
