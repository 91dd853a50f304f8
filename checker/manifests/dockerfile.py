r"""Parser for Dockerfiles: ``Dockerfile``, ``*.Dockerfile``, ``Dockerfile.*`` and ``Containerfile``
(format "dockerfile", ecosystem "docker").

The images a build pulls: ``FROM [--platform=...] image[:tag][@digest] [AS name]``, ``COPY --from=image`` and
``RUN --mount=...,from=image``. Stage names (case-insensitive) and ``scratch`` are not images, nor is a numeric
``--from`` (a stage index). Global ``ARG``s (those before the first ``FROM``) are substituted into ``FROM``
lines as BuildKit does (``$X``, ``${X}``, ``${X:-default}``, ``${X-default}``, ``${X:+alt}``, ``${X+alt}``); a
reference to an ARG without a value is kept as written, and image-pinning reports the image as decided at
build time. Lines follow BuildKit's reader: parser directives (``# escape=```), comment lines (also inside a
continuation), line continuations, and heredocs (``RUN <<EOF``), whose bodies are not instructions.

``RUN`` instructions add their install commands (Manifest.commands) and what those install, ``ENV``/``ARG`` the
registry settings they make (dockerfile_run). Kind ``declared``: images are pinned by digest, not by a hash list
(image-pinning judges them).

Grammar (EBNF; BuildKit's reader, frontend/dockerfile/parser; ``escape`` is the backslash, or the backquote when a
directive says so)::

    file        = { directive } { blank | comment | instruction } ;
    directive   = "#" name "=" value ;                 (* the first lines only; "escape" must be \ or ` *)
    comment     = [ white-space ] "#" { any } ;       (* a whole line, also between continued lines *)
    instruction = keyword [ arguments ] { escape end-of-line { blank | comment } line } { heredoc } ;
    heredoc     = { line } word end-of-line ;          (* RUN, COPY, ADD, ONBUILD RUN: one body per <<word,
                                                          <<-word (tabs stripped), <<"word" or <<'word' *)
    from        = "FROM" { "--" flag } image [ "AS" name ] ;                  (* words as shlex splits them *)
    arg         = "ARG" name [ "=" value ] { name [ "=" value ] } ;
    reference   = "$" name | "${" name [ ( ":-" | "-" | ":+" | "+" ) word ] "}" | "\$" ;

The keyword is case-insensitive; continued lines are joined with one space. A file that ends inside a
continuation or a heredoc, an escape directive of another character, a ``FROM`` or ``ARG`` of another shape and
arguments that cannot be split into words (an open quote) are errors with their line.
"""

from __future__ import annotations

import posixpath

import re
from typing import TYPE_CHECKING

from checker.errors import ManifestError
from checker.manifests.images import parse_image
from checker.model import Dependency, Manifest, Reader
from checker.manifests import shellwords

if TYPE_CHECKING:
    from checker.manifests.dockerfile_run import Stage
    from checker.manifests.install_commands import Collected

FORMAT = "dockerfile"
SCOPE = "prod"
_DIRECTIVE = re.compile(r"#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$")
# ``<<EOF``, ``<<-EOF``, ``<<"EOF"``; not a here-string (``<<<word``).
_HEREDOC = re.compile(r"(?<!<)<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\2")
_VARIABLE = re.compile(r"\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})


class Instruction:
    """One logical instruction. ``pieces``: (offset in ``arguments``, line) where each continued line starts;
    ``heredocs``: (body, line of its first body line, the body lines with their closing line as written)."""

    __slots__ = ("keyword", "arguments", "line", "pieces", "heredocs")

    def __init__(self, keyword: str, arguments: str, line: int, pieces: list[tuple[int, int]] | None = None,
                 heredocs: list[tuple[str, int, str]] | None = None) -> None:
        self.keyword = keyword
        self.arguments = arguments
        self.line = line
        self.pieces = pieces or [(0, line)]
        self.heredocs = heredocs or []


def instructions(text: str, path: str) -> list[Instruction]:
    """The logical instructions of a Dockerfile, each with the line it starts on."""
    lines = text.split("\n")
    escape = "\\"
    index = 0
    # Parser directives: only at the very top, before any instruction, comment or blank line.
    while index < len(lines):
        match = _DIRECTIVE.fullmatch(lines[index].strip())
        if match is None:
            break
        if match.group(1).lower() == "escape":
            if match.group(2) not in ("\\", "`"):
                raise ManifestError(f"invalid escape directive {match.group(2)!r}: must be \\ or `", path, index + 1)
            escape = match.group(2)
        index += 1
    out: list[Instruction] = []
    while index < len(lines):
        raw = lines[index].rstrip("\r")
        stripped = raw.strip()
        index += 1
        if not stripped or stripped.startswith("#"):
            continue
        start = index
        parts: list[str] = []
        part_lines = [start]
        current = raw.rstrip()
        while current.endswith(escape):
            parts.append(current[: -len(escape)])
            escaped_line = index
            while True:
                if index >= len(lines):
                    raise ManifestError(
                        f"the file ends inside a line continuation: the {escape} at the end of line {escaped_line} "
                        "continues nothing",
                        path,
                        start,
                    )
                following = lines[index].rstrip("\r")
                index += 1
                if following.strip() and not following.strip().startswith("#"):
                    break
            current = following.rstrip()
            part_lines.append(index)
        parts.append(current)
        stripped_parts = [part.strip() for part in parts]
        logical = " ".join(stripped_parts).strip()
        keyword, _, arguments = logical.partition(" ")
        keyword = keyword.upper()
        arguments = arguments.strip()
        shift = len(logical) - len(arguments)
        pieces, offset = [], 0
        for part, line in zip(stripped_parts, part_lines):
            pieces.append((max(0, offset - shift), line))
            offset += len(part) + 1
        heredocs: list[tuple[str, int, str]] = []
        if keyword in _HEREDOC_INSTRUCTIONS or (keyword == "ONBUILD" and arguments[:3].upper() == "RUN"):
            index = _read_heredocs(arguments, lines, index, path, start, heredocs)
        out.append(Instruction(keyword, arguments, start, pieces, heredocs))
    return out


def _read_heredocs(arguments: str, lines: list[str], index: int, path: str, start: int,
                   found: list[tuple[str, int, str]]) -> int:
    """Read the bodies of the heredocs an instruction opens (``<<EOF`` ... ``EOF``) into ``found``."""
    for match in _HEREDOC.finditer(arguments):
        strip_tabs, word = match.group(1) == "-", match.group(3)
        first = index
        while True:
            if index >= len(lines):
                raise ManifestError(f"heredoc <<{word} is not closed: expected a line {word}", path, start)
            body = lines[index].rstrip("\r")
            index += 1
            if (body.lstrip("\t") if strip_tabs else body) == word:
                break
        body_lines = [line.rstrip("\r") for line in lines[first:index - 1]]
        if strip_tabs:
            body_lines = [line.lstrip("\t") for line in body_lines]
        written = "\n".join(line.rstrip("\r") for line in lines[first:index])
        found.append(("\n".join(body_lines) + ("\n" if body_lines else ""), first + 1, written))
    return index


def _split(arguments: str, path: str, line: int) -> list[str]:
    try:
        return shellwords.split(arguments)
    except ValueError as exc:
        raise ManifestError(f"cannot split the arguments ({exc})", path, line) from None


def _global_args(arguments: str, path: str, line: int, values: dict[str, str | None]) -> None:
    """``ARG NAME[=value] ...``: a name without a value is declared but undefined (None)."""
    tokens = _split(arguments, path, line)
    if not tokens:
        raise ManifestError("ARG needs a name", path, line)
    for token in tokens:
        name, eq, value = token.partition("=")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ManifestError(f"ARG {token!r}: {name!r} is not a valid argument name", path, line)
        values[name] = _substitute(value, values)[0] if eq else values.get(name)


def _substitute(text: str, values: dict[str, str | None]) -> tuple[str, list[str]]:
    """BuildKit-style substitution of the global ARGs; returns the text and the names left unresolved."""
    unresolved: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "\\$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, word = match.group(2), match.group(3) or ""
        value = values.get(name)
        is_set = name in values and value is not None
        if operator in (":-", "-"):
            if (operator == ":-" and not value) or (operator == "-" and not is_set):
                return word
            return value or ""
        if operator in (":+", "+"):
            return word if ((operator == ":+" and value) or (operator == "+" and is_set)) else ""
        if value is None:
            unresolved.append(name)
            return match.group(0)
        return value

    return _VARIABLE.sub(replace, text), unresolved


def _from(instruction: Instruction, path: str) -> tuple[str, str | None]:
    """The image and the stage name of ``FROM [--flag=...] image [AS name]``."""
    tokens = [t for t in _split(instruction.arguments, path, instruction.line) if not t.startswith("--")]
    if len(tokens) == 3 and tokens[1].lower() == "as":
        return tokens[0], tokens[2]
    if len(tokens) == 1:
        return tokens[0], None
    raise ManifestError(
        f"FROM {instruction.arguments!r}: expected FROM [--platform=...] image [AS name]", path, instruction.line
    )


def _flag_values(arguments: str, flag: str) -> list[str]:
    """Values of ``--flag=value`` options at the start of an instruction's arguments."""
    out = []
    for token in arguments.split():
        if not token.startswith("--"):
            break
        name, _, value = token[2:].partition("=")
        if name == flag:
            out.append(value)
    return out


def _mount_sources(arguments: str) -> list[str]:
    """``from=`` of ``RUN --mount=type=bind,from=image,...``."""
    out = []
    for mount in _flag_values(arguments, "mount"):
        for field in mount.split(","):
            key, _, value = field.partition("=")
            if key.strip() == "from" and value.strip():
                out.append(value.strip())
    return out


class _Collector:
    def __init__(self, path: str) -> None:
        self.path = path
        self.dependencies: list[Dependency] = []

    def add(self, reference: str, written: str, line: int) -> None:
        image = parse_image(reference)
        if not image.name:
            raise ManifestError(f"{written!r} is not an image reference; expected name[:tag][@digest]", self.path, line)
        self.dependencies.append(
            Dependency(
                ecosystem="docker",
                name=image.name,
                version=image.version,
                specifier=written if written != reference else "",
                scope=SCOPE,
                direct=True,
                manifest=self.path,
                line=line,
            )
        )


def parse(text: str, path: str, read: Reader) -> Manifest:
    found = instructions(text, path)
    if not found:
        raise ManifestError("empty file, expected a Dockerfile (at least one FROM instruction)", path, 1)
    values: dict[str, str | None] = {}
    stages: set[str] = set()
    all_stages = {
        stage.lower()
        for stage in (_from(i, path)[1] for i in found if i.keyword == "FROM")
        if stage is not None
    }
    collector = _Collector(path)
    seen_from = False
    runs = _Runs(path, read)
    for instruction in found:
        keyword = instruction.keyword
        if keyword == "ARG" and not seen_from:
            _global_args(instruction.arguments, path, instruction.line, values)
            runs.variables(instruction)
        elif keyword == "FROM":
            seen_from = True
            written, stage = _from(instruction, path)
            image, _ = _substitute(written, values)
            runs.new_stage(image.lower() if image.lower() in stages else None, stage)
            if image.lower() not in stages and image != "scratch":
                collector.add(image, written, instruction.line)
            if stage is not None:
                stages.add(stage.lower())
        elif keyword in ("ENV", "ARG"):
            runs.variables(instruction)
        elif keyword == "SHELL":
            runs.shell(instruction)
        elif keyword == "ONBUILD" and instruction.arguments[:4].upper() == "RUN ":
            runs.run(instruction, instruction.arguments[4:].lstrip())
        elif keyword == "COPY":
            for source in _flag_values(instruction.arguments, "from"):
                if source.lower() not in all_stages and not source.isdigit():
                    collector.add(source, source, instruction.line)
        elif keyword == "RUN":
            for source in _mount_sources(instruction.arguments):
                if source.lower() not in all_stages and not source.isdigit():
                    collector.add(source, source, instruction.line)
            runs.run(instruction, instruction.arguments)
    if not seen_from:
        raise ManifestError("no FROM instruction: expected a Dockerfile", path, found[0].line)
    out = runs.out
    if out is None:
        return Manifest(path=path, format=FORMAT, ecosystem="docker", dependencies=tuple(collector.dependencies),
                        kind="declared")
    return Manifest(path=path, format=FORMAT, ecosystem="docker",
                    dependencies=tuple(collector.dependencies) + tuple(out.dependencies), kind="declared",
                    indexes=tuple(out.indexes), problems=tuple(out.problems), commands=tuple(out.commands))


class _Runs:
    """The RUN side of a Dockerfile (dockerfile_run, imported at the first RUN, ENV, ARG or SHELL): stages, their
    shells and variables, and what the RUNs install."""

    def __init__(self, path: str, read: Reader) -> None:
        self.path = path
        self.read = read
        self.out: Collected | None = None
        self.stage: Stage | None = None  # set with out
        self.stages: dict[str, Stage] = {}

    def _started(self) -> tuple[Stage, Collected]:
        """The current stage and what the RUNs install, made at the first RUN, ENV, ARG or SHELL."""
        if self.out is None or self.stage is None:
            from checker.manifests import dockerfile_run, install_commands

            self.out = install_commands.Collected()
            self.stage = dockerfile_run.Stage()
        return self.stage, self.out

    def new_stage(self, parent: str | None, name: str | None) -> None:
        if self.out is None:
            return
        from checker.manifests import dockerfile_run

        self.stage = self.stages[parent].copy() if parent in self.stages else dockerfile_run.Stage()
        self.out.downloads.clear()
        if name is not None:
            self.stages[name.lower()] = self.stage

    def variables(self, instruction: Instruction) -> None:
        stage, out = self._started()
        from checker.manifests import dockerfile_run

        dockerfile_run.variables(stage, instruction, self.path, out)

    def shell(self, instruction: Instruction) -> None:
        stage, out = self._started()
        from checker.manifests import dockerfile_run

        dockerfile_run.set_shell(stage, instruction, out)

    def run(self, instruction: Instruction, arguments: str) -> None:
        stage, out = self._started()
        from checker.manifests import dockerfile_run
        from checker.manifests.install_commands import Context

        if arguments is not instruction.arguments:
            shift = len(instruction.arguments) - len(arguments)
            instruction = Instruction(instruction.keyword, arguments, instruction.line,
                                      [(max(0, o - shift), n) for o, n in instruction.pieces], instruction.heredocs)
        context = Context(path=self.path, scope=SCOPE, read=self.read, workdir=None)
        dockerfile_run.run(stage, instruction, context, out)


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The repository files a ``RUN pip install -r …`` (``-c``, uv's ``--requirements``, any spelling) of this
    Dockerfile installs from, found by a scan, as requirements files judged on their own (``Format.includes``): the
    path named, and the build-context file a ``COPY``/``ADD`` put there (``COPY deps.pip /app/`` then ``-r
    /app/deps.pip``), under the Dockerfile's folder and the repository root (the two usual build contexts). A
    superset of what the build reads: a file that is not there is not read."""
    if "-r" not in text and "-c" not in text and "--" not in text:
        return []
    from checker.manifests.option_files import option_files

    folder = posixpath.dirname(path)
    copies: list[tuple[list[str], str]] = []  # (sources, destination as an absolute image path)
    workdir = "/"
    found: dict[str, int] = {}
    for number, raw in enumerate(text.split("\n"), 1):
        words = raw.split()
        keyword = words[0].upper() if words else ""
        if keyword == "WORKDIR" and len(words) > 1:
            workdir = posixpath.join(workdir, words[1])
        elif keyword in ("COPY", "ADD") and not any(word.startswith("--from") for word in words):
            plain = [word for word in words[1:] if not word.startswith("--")]
            if len(plain) >= 2 and not plain[0].startswith("["):
                copies.append((plain[:-1], posixpath.join(workdir, plain[-1])))
        for target in option_files(raw) if "-" in raw else ():
            for candidate in _context_paths(posixpath.join(workdir, target), copies):
                for base in (folder, ""):
                    joined = posixpath.normpath(posixpath.join(base, candidate))
                    if joined not in (".", "..") and not joined.startswith(("../", "/")):
                        found.setdefault(joined, number)
    return list(found.items())


def _context_paths(image_path: str, copies: list[tuple[list[str], str]]) -> list[str]:
    """Build-context paths that may have been copied to ``image_path``: through each COPY whose destination holds
    it, and the path itself (``COPY . .`` with the same layout, or a path that is already the context's)."""
    image_path = posixpath.normpath(image_path)
    candidates = [image_path.lstrip("/")]
    for sources, destination in copies:
        destination = posixpath.normpath(destination)
        for source in sources:
            if image_path in (destination, posixpath.join(destination, posixpath.basename(source))):
                candidates.append(source)
            elif image_path.startswith(destination.rstrip("/") + "/"):
                candidates.append(posixpath.join(source, image_path[len(destination.rstrip("/")) + 1:]))
    return candidates
