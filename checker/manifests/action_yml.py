"""Parser for GitHub Action definitions, ``action.yml`` and ``action.yaml`` anywhere in the tree (format
"gha-action").

A composite action runs other actions (``runs.steps[*].uses``) and shell commands (``runs.steps[*].run``, read
for install commands as a workflow's are, in the step's required ``shell:``; its ``-r`` files are not read, since
the steps run in the caller's workspace); a Docker action runs an image
(``runs.image: docker://image``; ``runs.image: Dockerfile`` builds the repository's own Dockerfile, which is
read as a manifest of its own). JavaScript actions (``using: node20``) pull in nothing through this file.
An action is what other repositories run, so the scope is ``prod``; the kind is ``declared`` (see workflow.py).
"""

from __future__ import annotations

from checker.errors import ManifestError
from checker.manifests.gha_deps import DependencyBuilder
from checker.manifests.gha_yaml import Mapping, Scalar, describe, load
from checker.model import Manifest, Reader

FORMAT = "gha-action"
SCOPE = "prod"


def parse(text: str, path: str, read: Reader) -> Manifest:
    root = load(text, path)
    if root is None:
        raise ManifestError("empty file, expected an action definition (a mapping with runs:)", path, 1)
    if not isinstance(root, Mapping):
        raise ManifestError(f"an action definition must be a mapping with runs:, found {describe(root)}", path,
                            root.line)
    builder = DependencyBuilder(path, text, SCOPE, read)
    runs = root.get("runs")
    if runs is not None and not (isinstance(runs, Scalar) and runs.null):
        if not isinstance(runs, Mapping):
            raise ManifestError(f"runs must be a mapping, found {describe(runs)}", path, runs.line)
        from checker.manifests.gha_run import RunContext

        builder.add_steps(runs.get("steps"), "runs.steps", RunContext({}, None, None, False, None), composite=True)
        image_line = runs.key_line("image")
        image = runs.get("image")
        if image_line is not None and isinstance(image, Scalar) and image.text.strip().startswith("docker://"):
            builder.add_uses(image, "runs.image", image_line)
        elif image is not None and not isinstance(image, Scalar):
            raise ManifestError(f"runs.image must be a string, found {describe(image)}", path, image.line)
    return Manifest(path=path, format=FORMAT, ecosystem="actions", kind="declared", **builder.manifest_parts())
