"""install-command: a command that installs or runs something fetched from outside the repository (a workflow
``run:`` step, a composite action's step, a Dockerfile ``RUN``) pins it by exact version and hash.

The manifests record each such command (Manifest.commands, with why it is not pinned); this rule reports the
unpinned ones: in a pull request only those that are new or changed (a command, or its judgement, that differs
from the base's), with ``check --all`` every one. The packages a command names are dependencies of the same
manifest, so the ordinary rules (review, release-age, deny, …) judge them too; this rule judges the command.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.model import LEVELS, InstallCommand, Manifest
from checker.rules.base import Issue, Option, Rule

_PACKAGE_ECOSYSTEMS = frozenset({"pypi", "npm", "gem", "go", "cargo", "url"})
_HINTS = {
    "pip": "list the packages in a requirements file with hashes (pip-compile --generate-hashes, uv pip compile "
           "--generate-hashes) and run pip install --require-hashes -r <file>",
    "uv pip": "run uv pip install --require-hashes -r <file with hashes>",
    "uv": "install from uv.lock with uv sync --locked; a tool belongs in a hashed requirements file",
    "uvx": "install the tool from a hashed requirements file (pip install --require-hashes -r tools.txt)",
    "pipx": "install the tool from a hashed requirements file (pip install --require-hashes -r tools.txt)",
    "npm": "declare the package in package.json and install from the lockfile with npm ci",
    "npx": "declare the package in package.json, install with npm ci and run it with npx --no-install",
    "yarn": "yarn install --frozen-lockfile (Yarn 1) or yarn install --immutable (Yarn 2+)",
    "pnpm": "pnpm install --frozen-lockfile",
    "bun": "bun ci (bun install --frozen-lockfile)",
    "corepack": "pin the package manager with its hash: corepack use pnpm@9.1.0+sha512.…",
    "gem": "install from a Gemfile.lock with checksums: bundle install --frozen",
    "go": "name a full version or commit: go install example.com/tool@v1.2.3",
    "cargo": "cargo install NAME --version X.Y.Z --locked",
    "curl|sh": "download to a file, check it against a known SHA-256 before running it (echo '<sha256>  f' | "
               "sha256sum -c -), or fetch it from raw.githubusercontent.com at a full commit",
    "choco": "choco install --require-checksums …",
    "nuget": "restore in locked mode (-LockedMode / --locked-mode) from a packages.lock.json",
    "dotnet": "restore in locked mode (--locked-mode) and give dotnet tool/add package an exact --version",
    "msbuild": "msbuild /t:restore /p:RestoreLockedMode=true",
    "unknown": "name the program literally (pip, npm, …) so that the command can be judged",
}


def _allowed_by_text(command: InstallCommand, patterns: list[str]) -> bool:
    if not patterns:
        return False
    from fnmatch import fnmatchcase

    return any(fnmatchcase(command.text, pattern) for pattern in patterns)


def _packages_at(manifest: Manifest, line: int | None) -> list[Any]:
    return [d for d in manifest.dependencies if d.line == line and d.ecosystem in _PACKAGE_ECOSYSTEMS]


def _allowed_packages(manifest: Manifest, command: InstallCommand, patterns: Any) -> bool:
    """Every package the command's line installs matches an ``allow-packages`` pattern (a line that installs
    nothing by name, or also something else, is not allowed)."""
    if not patterns:
        return False
    packages = _packages_at(manifest, command.line)
    return bool(packages) and all(
        any(pattern.matches(d.ecosystem, d.name, d.version) for pattern in patterns) for d in packages)


def _exact_only(manifest: Manifest, command: InstallCommand) -> bool:
    """The command's one problem is the missing hash: each package it names pins an exact registry version."""
    packages = [d for d in _packages_at(manifest, command.line) if d.ecosystem != "url"]
    return (bool(packages) and ";" not in (command.problem or "") and "no hash" in (command.problem or "")
            and all(d.version is not None and d.source.kind == "registry" for d in packages))


def check_manifest(head: Manifest, base: Manifest | None, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Every unpinned install command of the head; in a pull request only those the base does not have as they
    stand (same program, text and judgement)."""
    if not head.commands:
        return
    known: dict[tuple[str, str, str | None], int] = {}
    for old in base.commands if base is not None else ():
        key = (old.tool, old.text, old.problem)
        known[key] = known.get(key, 0) + 1
    for command in head.commands:
        key = (command.tool, command.text, command.problem)
        if known.get(key, 0) > 0:
            known[key] -= 1
            continue
        if command.problem is None:
            continue
        if _allowed_by_text(command, options["allow"]) or _allowed_packages(head, command, options["allow-packages"]):
            continue
        level = options["exact-version"] if _exact_only(head, command) else None
        if level == "off":
            continue
        yield Issue(
            f"{command.text}: {command.problem}",
            hint=_HINTS.get(command.tool, _HINTS["unknown"]),
            level=level,
            line=command.line,
        )


RULE = Rule(
    id="install-command",
    label="unpinned install",
    default_level="block",
    summary="Commands in workflows, actions and Dockerfiles install pinned packages (exact version and hash), "
            "and never run a downloaded script unchecked.",
    explanation=(
        "Lockfiles are only half of what a build installs. A `run: pip install litellm` step, an `npm install -g "
        "some-cli`, a `RUN curl -fsSL https://get.example.sh | sh` install whatever the registry or the URL serves "
        "at the moment the job runs, with the job's secrets in reach: no review ever saw that version. That is the "
        "door the 2025 npm worms walked through (Shai-Hulud: stolen publish tokens pushed poisoned releases of "
        "hundreds of packages within hours, and every unpinned `npm install` in CI took them in) and the reason "
        "the force-pushed tags of aquasecurity/trivy-action (March 2026) reached so many pipelines: a name that "
        "someone else can point elsewhere is not a pin. lockgate reads the shell of each `run:` step, composite "
        "action step and Dockerfile `RUN` as a shell does (continuations, `&&`, pipes, `$( )`, heredocs, `sudo`, "
        "`bash -c '…'`, aliases, `eval`) and judges every install: pinned means an exact version *and* a hash "
        "that the tool checks, which in practice means installing from a lockfile or hashed requirements file "
        "(`pip install --require-hashes -r requirements.txt`, `npm ci`, `yarn install --immutable`, `pnpm install "
        "--frozen-lockfile`, `uv sync --locked`, `cargo install --locked` of an exact version, `go install "
        "pkg@v1.2.3` with the checksum database on). A script downloaded and run (`curl … | sh`, `bash <(curl …)`, "
        "`curl -o x.sh … && sh x.sh`) is pinned only when it is fetched from raw.githubusercontent.com at a full "
        "commit. A command whose program or packages are decided at run time (`$PIP install x`, `pip install "
        "${{ inputs.pkg }}`) is judged unpinned: what cannot be seen cannot be reviewed. In a pull request only "
        "new or changed commands are reported; `check --all` reports all. The packages and URLs a command names "
        "are also dependencies, so a new one needs review and its release age, known-bad versions and existence "
        "are judged like any lockfile entry. Registry flags on the command line (`--index-url`, `--registry`, "
        "`--trusted-host`) are judged by registry-source."
    ),
    fix=(
        "Install from a lockfile or a hashed requirements file; check a downloaded script's SHA-256 before running "
        "it; allow what you accept knowingly with `allow` (command text globs) or `allow-packages`."
    ),
    example=(
        ".github/workflows/ci.yml:\n"
        "  - run: pip install litellm                          # finding: no version, no hash\n"
        "  - run: pip install litellm==1.82.6                  # finding (exact-version): no hash\n"
        "  - run: pip install --require-hashes -r requirements/ci.txt   # ok\n"
        "  - run: npm ci                                       # ok: lockfile versions and integrity hashes\n"
        "  - run: curl -fsSL https://get.example.sh | sudo bash  # finding: runs whatever the URL serves\n"
        "Dockerfile:\n"
        "  RUN pip install --no-deps --require-hashes -r /tmp/requirements.txt   # ok\n"
        "policy:\n"
        "  install-command: {level: block, allow: [\"pip install --upgrade pip\"], allow-packages: [\"pypi:pip\"]}"
    ),
    options=(
        Option("exact-version", "choice", "block",
               "level for a command that names exact versions but can check no hash (`pip install x==1.2.3`, "
               "`npm install -g x@1.2.3`; capped at the rule's)", LEVELS),
        Option("allow", "str-list", [],
               "commands accepted as they are, by glob on the command's text (`pip install --upgrade pip`, "
               "`curl -fsSL https://sh.rustup.rs *`)"),
        Option("allow-packages", "package-list", [],
               "packages whose unpinned install is accepted (`pypi:pip`, `npm:corepack`); every package of the "
               "command must match"),
    ),
    check_manifest=check_manifest,
)
