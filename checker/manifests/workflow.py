"""Parser for GitHub Actions workflows, ``.github/workflows/*.yml`` and ``*.yaml`` (format "gha-workflow").

What a workflow pulls in from outside the repository: actions in steps (``uses: owner/repo@ref``,
``owner/repo/path@ref``, ``docker://image``), reusable workflows called by jobs (``jobs.<id>.uses``), the job
container (``jobs.<id>.container``, a string or a mapping with ``image``) and service containers
(``jobs.<id>.services.<id>.image``). Actions are ecosystem ``actions``, images ecosystem ``docker``: one
manifest holds both. ``run:`` steps add their install commands (Manifest.commands) and what those install, and
``env:`` its registry settings (gha_run). Everything runs in CI with the workflow's token and secrets, so the scope is ``build``.

The manifest kind is ``declared``: a workflow pins refs and digests, not hashes, so the lockfile rules
(hash-pinning, exact-pinning) do not apply; action-pinning, pin-comment and image-pinning judge it instead.
"""

from __future__ import annotations

import posixpath

from checker.errors import ManifestError
from checker.manifests.gha_deps import DependencyBuilder, job_matrix
from checker.manifests.gha_run import RunContext, environment
from checker.manifests.option_files import option_files
from checker.manifests.gha_yaml import Mapping, Node, Scalar, describe, load
from checker.model import Manifest, Reader

FORMAT = "gha-workflow"
SCOPE = "build"


def parse(text: str, path: str, read: Reader) -> Manifest:
    root = load(text, path)
    if root is None:
        raise ManifestError("empty file, expected a workflow (a mapping with on: and jobs:)", path, 1)
    if not isinstance(root, Mapping):
        raise ManifestError(f"a workflow must be a mapping with on: and jobs:, found {describe(root)}", path, root.line)
    builder = DependencyBuilder(path, text, SCOPE, read)
    top = RunContext({}, None, "", False, None).child(root, builder, "env")
    jobs = root.get("jobs")
    if jobs is not None and not (isinstance(jobs, Scalar) and jobs.null):
        if not isinstance(jobs, Mapping):
            raise ManifestError(f"jobs must be a mapping of job ids to jobs, found {describe(jobs)}", path, jobs.line)
        for job_id, _, job in jobs.items():
            _job(builder, f"jobs.{job_id}", job, top)
    return Manifest(path=path, format=FORMAT, ecosystem="actions", kind="declared", **builder.manifest_parts())


def _job(builder: DependencyBuilder, what: str, job: Node, top: RunContext) -> None:
    if not isinstance(job, Mapping):
        line = getattr(job, "line", None)
        raise builder.fail(f"{what} must be a mapping, found {describe(job)}", line)
    if not builder.first_visit(job):
        return
    uses_line = job.key_line("uses")
    if uses_line is not None:
        builder.add_uses(job.get("uses"), f"{what}.uses", uses_line)
    matrix = job_matrix(job)
    _container(builder, job, what, matrix)
    _services(builder, job, what, matrix)
    context = top.child(job, builder, what, job.get("runs-on"))
    context.matrix = matrix
    container = job.get("container")
    if isinstance(container, Mapping):
        context.env.update(environment(builder, container.get("env"), f"{what}.container.env"))
    builder.new_job()
    builder.add_steps(job.get("steps"), f"{what}.steps", context)


def _container(builder: DependencyBuilder, job: Mapping, what: str, matrix: Node | None) -> None:
    container = job.get("container")
    line = job.key_line("container")
    if container is None or line is None:
        return
    if isinstance(container, Mapping):
        image_line = container.key_line("image")
        if image_line is not None:
            builder.add_image(container.get("image"), f"{what}.container.image", image_line, matrix)
        return
    builder.add_image(container, f"{what}.container", line, matrix)


def _services(builder: DependencyBuilder, job: Mapping, what: str, matrix: Node | None) -> None:
    services = job.get("services")
    if services is None or (isinstance(services, Scalar) and services.null):
        return
    if not isinstance(services, Mapping):
        raise builder.fail(f"{what}.services must be a mapping, found {describe(services)}", services.line)
    for name, line, service in services.items():
        where = f"{what}.services.{name}"
        if isinstance(service, Mapping):
            image_line = service.key_line("image")
            if image_line is not None:
                builder.add_image(service.get("image"), f"{where}.image", image_line, matrix)
        else:
            builder.add_image(service, where, line, matrix)


_SCRIPT_RUNNERS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "source", "."})


def includes(text: str, path: str) -> list[tuple[str, int | None]]:
    """The repository files a parse may read (``Format.includes``), found by a scan of the text, not a parse: for
    every ``-r``/``-c`` file named on a line, every word that names a shell script (``*.sh``, ``./…``), and the
    ``package.json``/``.yarnrc.yml`` that ``npx`` and ``yarn`` consult, that path under the repository root and under every ``working-directory`` the file names. A superset
    of what the parse reads (gha_run, installers), so that a change to one of them re-judges the workflow."""
    folders = [""]
    files: list[tuple[str, int]] = []
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith(("working-directory:", "- working-directory:")):
            folder = stripped.partition(":")[2].strip().strip("'\"")
            if folder and "$" not in folder and not folder.startswith("/"):
                folders.append(posixpath.normpath(folder))
        files.extend((found, number) for found in option_files(line))
        if "sh" in line or "source" in line or "./" in line or ". " in line:  # scripts of the repository a step runs
            words = line.replace("'", " ").replace('"', " ").replace(";", " ").replace("&", " ").split()
            for index, word in enumerate(words):
                if word.endswith((".sh", ".bash")) or word.startswith("./"):
                    files.append((word, number))
                elif word.rsplit("/", 1)[-1] in _SCRIPT_RUNNERS:
                    following = [w for w in words[index + 1:] if not w.startswith("-")]
                    if following:
                        files.append((following[0], number))
        if "npx" in line or "npm exec" in line or "npm x " in line:
            files.append(("package.json", number))
        if "yarn" in line:
            files.append((".yarnrc.yml", number))
    found: dict[str, int] = {}
    for written, number in files:
        if "$" in written or written.startswith("/"):
            continue
        for folder in folders:
            target = posixpath.normpath(posixpath.join(folder, written))
            if not target.startswith("..") and target not in found and target != ".":
                found[target] = number
    return list(found.items())
