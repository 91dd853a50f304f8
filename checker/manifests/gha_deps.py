"""Turning ``uses:`` values and container images of workflow and action files into Dependencies.

Shared by the workflow and action.yml parsers. Conventions (see DESIGN.md): an action's name is what ``uses:``
says before the ``@`` (``owner/repo`` or ``owner/repo/path``) and its version is the ref as written; an image's
name is its canonical short name (checker.manifests.images) and its version the tag, the digest, or
``tag@digest``. The label is the comment at the end of the line (``# v4.2.0``). Local actions (``./path``) are
part of the repository, reviewed with its code, and are not dependencies; their own ``action.yml`` is read as a
manifest of its own.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

from checker.errors import ManifestError
from checker.versions.gitrefs import trailing_comment
from checker.manifests import gha_expr
from checker.manifests.gha_yaml import Mapping, Node, Scalar, Sequence, describe
from checker.manifests.gha_matrix import matrix_values
from checker.manifests.images import parse_image
from checker.model import Dependency, Reader

if TYPE_CHECKING:
    from checker.manifests.gha_run import RunContext
    from checker.manifests.install_commands import Collected

_PLACEHOLDER = re.compile("\0(\\d+)\0")


class DependencyBuilder:
    """Collects the dependencies of one file, in file order, each ``uses:`` or ``image:`` node once."""

    def __init__(self, path: str, text: str, scope: str, read: Reader | None = None) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.scope = scope
        self.read: Reader = read or (lambda _path: None)
        self.dependencies: list[Dependency] = []
        self._seen: set[int] = set()
        self._collected: Collected | None = None  # install commands of run: steps, made when one is met

    @property
    def collected(self) -> Collected:
        """What the ``run:`` steps hold (install_commands.Collected); the module is imported only for a file
        that has a ``run:`` step."""
        if self._collected is None:
            from checker.manifests.install_commands import Collected

            self._collected = Collected()
        return self._collected

    def new_job(self) -> None:
        """A downloaded file is followed from step to step within one job, as Scorecard does, not across jobs."""
        if self._collected is not None:
            self._collected.downloads.clear()

    def manifest_parts(self) -> dict[str, Any]:
        """The Manifest fields the ``run:`` steps fill: dependencies (uses: first, then what the steps install
        and set), commands, indexes, problems, includes."""
        collected = self._collected
        if collected is None:
            return {"dependencies": tuple(self.dependencies)}
        return {
            "dependencies": tuple(self.dependencies) + tuple(collected.dependencies),
            "commands": tuple(collected.commands),
            "indexes": tuple(collected.indexes),
            "problems": tuple(collected.problems),
            "includes": tuple(dict.fromkeys(collected.includes)),
        }

    def first_visit(self, node: object) -> bool:
        """False when this very node was handled already (a YAML alias of an anchor that was walked)."""
        if id(node) in self._seen:
            return False
        self._seen.add(id(node))
        return True

    def fail(self, message: str, line: int | None) -> ManifestError:
        return ManifestError(message, self.path, line)

    def _label(self, scalar: Scalar) -> str | None:
        """The comment after a one-line value: ``uses: x@sha  # v4.2.0`` -> ``v4.2.0``."""
        if scalar.end_line != scalar.line - 1 or scalar.end_line >= len(self.lines):
            return None
        return trailing_comment(self.lines[scalar.end_line].rstrip("\r"), scalar.end_column)

    def string(self, node: Node | None, what: str, line: int | None) -> Scalar | None:
        """The scalar of a key that must hold a string; None when it is empty (null)."""
        if node is None:
            return None
        if not isinstance(node, Scalar):
            raise self.fail(f"{what} must be a string, found {describe(node)}", node.line)
        return None if node.null else node

    def add_uses(self, node: Node | None, what: str, key_line: int) -> None:
        """A step's or job's ``uses:``: an action, a reusable workflow, or ``docker://image``."""
        scalar = self.string(node, what, key_line)
        if scalar is None or not self.first_visit(scalar):
            return
        text = scalar.text.strip()
        label = self._label(scalar)
        if not text:
            raise self.fail(f"{what} is empty; expected owner/repo@ref, ./path or docker://image", key_line)
        if text.startswith("./"):
            return
        if text.startswith("docker://"):
            reference = text[len("docker://") :]
            self._add_image(reference, reference if gha_expr.has_expression(reference) else "", key_line, label, what)
            return
        name, at, ref = text.partition("@")
        name = name.strip()
        if not gha_expr.has_expression(text):
            owner, slash, repo = name.partition("/")
            if not (owner and slash and repo.split("/", 1)[0]):
                raise self.fail(
                    f"{what}: {text!r} is not an action reference; expected owner/repo[/path]@ref, ./path or "
                    "docker://image",
                    key_line,
                )
        self.dependencies.append(
            Dependency(
                ecosystem="actions",
                name=name,
                version=ref.strip() or None,
                specifier=text if gha_expr.has_expression(text) else "",
                scope=self.scope,
                direct=True,
                manifest=self.path,
                line=key_line,
                label=label,
            )
        )

    def add_image(self, node: Node | None, what: str, key_line: int, matrix: Node | None = None) -> None:
        """A container or service image; an expression yields each image it can evaluate to."""
        scalar = self.string(node, what, key_line)
        if scalar is None or not self.first_visit(scalar):
            return
        text = scalar.text.strip()
        if not text:
            return  # an empty image: no container
        label = self._label(scalar)
        specifier = text if gha_expr.has_expression(text) else ""
        for candidate in _image_candidates(text, matrix):
            self._add_image(candidate, specifier, key_line, label, what)

    def _add_image(self, reference: str, specifier: str, line: int, label: str | None, what: str) -> None:
        """One image; ``specifier`` keeps the reference as written when an expression is part of it."""
        reference = reference.strip()
        name, version = _split_image(reference)
        if not name or (not gha_expr.has_expression(name) and any(c.isspace() for c in name)):
            raise self.fail(f"{what}: {reference!r} is not an image reference; expected name[:tag][@digest]", line)
        self.dependencies.append(
            Dependency(
                ecosystem="docker",
                name=name,
                version=version,
                specifier=specifier,
                scope=self.scope,
                direct=True,
                manifest=self.path,
                line=line,
                label=label,
            )
        )

    def add_steps(self, steps: Node | None, what: str, run_context: RunContext | None = None,
                  composite: bool = False) -> None:
        """``steps:`` of a job or a composite action: each step's ``uses:``, and its ``run:`` read in
        ``run_context`` (gha_run.RunContext)."""
        if steps is None or (isinstance(steps, Scalar) and steps.null):
            return
        if not isinstance(steps, Sequence):
            raise self.fail(f"{what} must be a list of steps, found {describe(steps)}", steps.line)
        if not self.first_visit(steps):
            return
        for index, step in enumerate(steps.items):
            if not isinstance(step, Mapping):
                raise self.fail(f"{what}[{index}] must be a mapping, found {describe(step)}", step.line)
            uses_line = step.key_line("uses")
            if uses_line is not None:
                self.add_uses(step.get("uses"), f"{what}[{index}].uses", uses_line)
            if run_context is not None and step.key_line("run") is not None:
                from checker.manifests import gha_run

                gha_run.add_run(self, step, f"{what}[{index}]", run_context, composite)
            elif run_context is not None and step.get("env") is not None:
                from checker.manifests import gha_run

                gha_run.environment(self, step.get("env"), f"{what}[{index}].env")


def _split_image(reference: str) -> tuple[str, str | None]:
    """(name, version) of an image reference that may hold expressions. A part decided by an expression is the
    expression as written, in its place: ``postgres:${{ inputs.pg }}`` is ``postgres`` at ``${{ inputs.pg }}``,
    ``${{ inputs.registry }}/app:1`` is ``${{ inputs.registry }}/app`` at ``1``, and a whole-reference expression
    decides name and tag alike, so it is both. The ``:``, ``/`` and ``@`` inside an expression do not split the
    reference. An unknown tag is thus never missing and never a pin: image-pinning reports any ``$`` in the name
    or version as decided at run time."""
    if gha_expr.single_expression(reference) is not None:
        return reference, reference
    expressions: list[str] = []
    hidden: list[str] = []  # the reference with each expression replaced by a placeholder
    position = 0
    for start, end in gha_expr.expressions(reference):
        hidden += [reference[position:start], f"\0{len(expressions)}\0"]
        expressions.append(reference[start:end])
        position = end
    hidden.append(reference[position:])

    def show(text: str | None) -> str | None:
        return None if text is None else _PLACEHOLDER.sub(lambda m: expressions[int(m.group(1))], text)

    image = parse_image("".join(hidden))
    return show(image.name) or "", show(image.version)


# More images than this from one value whose parts are expressions: the value is kept as written (decided at
# run time), rather than multiplying matrices out. GitHub runs at most 256 jobs of one matrix.
_MAX_CANDIDATES = 256


def _image_candidates(text: str, matrix: Node | None) -> list[str]:
    """The image references an ``image:`` value stands for, the same way whether an expression is the whole value
    or a part of it: each expression is replaced by each value it can take (its string literals, the values the
    job's matrix lists; one expression written twice takes one value), and one whose value is not known here (an
    input, a step output, a computed matrix) stays as written, in its place (see _split_image). An empty whole
    value is no container; an empty part is kept (the reference without it, ``postgres`` for
    ``postgres${{ matrix.tag }}``, is what runs)."""
    if not gha_expr.has_expression(text):
        return [text]
    inner = gha_expr.single_expression(text)
    if inner is not None:
        values, opaque = _expression_values(inner, matrix)
        candidates = [value for value in values if value.strip()]
        return list(dict.fromkeys(candidates + [text] if opaque else candidates))
    pieces: list[str] = []  # literal text and expressions as written, alternating
    options: dict[str, list[str]] = {}  # each distinct expression: the values it stands for
    position = 0
    for start, end in gha_expr.expressions(text):
        written = text[start:end]
        pieces += [text[position:start], written]
        if written not in options:
            values, opaque = _expression_values(written[3:-2], matrix)
            options[written] = list(dict.fromkeys(values + [written] if opaque or not values else values))
        position = end
    pieces.append(text[position:])
    count = 1
    for values in options.values():
        count *= len(values)
        if count > _MAX_CANDIDATES:
            return [text]
    candidates = []
    for chosen in itertools.product(*options.values()):
        value_of = dict(zip(options, chosen))
        candidates.append("".join(value_of.get(piece, piece) if i % 2 else piece for i, piece in enumerate(pieces)))
    return list(dict.fromkeys(candidates))


def _expression_values(expression: str, matrix: Node | None) -> tuple[list[str], bool]:
    """The values one expression (the text inside ``${{ }}``) can take, and whether it can take others too."""
    leaves = gha_expr.leaves(expression)
    values = list(leaves.literals)
    for key in leaves.matrix_keys:
        found = matrix_values(matrix, key)
        if found is None:
            leaves.opaque = True
        else:
            values.extend(found)
    return values, leaves.opaque


def job_matrix(job: Mapping) -> Node | None:
    """``strategy.matrix``: a mapping when written out, a scalar when computed (``${{ fromJSON(...) }}``),
    None when the job has no matrix."""
    strategy = job.get("strategy")
    if strategy is None:
        return None
    if not isinstance(strategy, Mapping):
        return strategy
    return strategy.get("matrix")
