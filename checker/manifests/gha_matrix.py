"""What a job's ``strategy.matrix`` says a ``matrix.KEY`` expression takes.

Its own module: the workflow's dependency reader (``gha_deps``, a container ``image:``) and its ``run:`` reader
(``gha_run``, a script chosen by the matrix) both ask, and neither imports the other.
"""

from __future__ import annotations

from checker.manifests import gha_expr
from checker.manifests.gha_yaml import Mapping, Node, Scalar, Sequence


def matrix_values(matrix: Node | None, key: str) -> list[str] | None:
    """Every value ``matrix.KEY`` takes (from the key's list and ``include`` entries); None when the matrix is
    computed at run time or a value is itself an expression. Without a matrix, ``matrix.KEY`` is empty."""
    if matrix is None:
        return []
    if not isinstance(matrix, Mapping):
        return None
    values: list[str] = []
    nodes: list[Node] = []
    direct = matrix.get(key)
    if isinstance(direct, Sequence):
        nodes.extend(direct.items)
    elif direct is not None:
        nodes.append(direct)
    include = matrix.get("include")
    if isinstance(include, Sequence):
        for entry in include.items:
            value = entry.get(key) if isinstance(entry, Mapping) else None
            if value is not None:
                nodes.append(value)
    elif include is not None:
        return None
    for node in nodes:
        if not isinstance(node, Scalar) or gha_expr.has_expression(node.text):
            return None
        if not node.null:
            values.append(node.text)
    return values
