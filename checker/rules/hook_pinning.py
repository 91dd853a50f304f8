"""hook-pinning: a pre-commit configuration pins every hook repository by full commit SHA and every additional
dependency of a hook by exact version.

``.pre-commit-config.yaml`` is code that runs on every developer's machine at each commit and in CI: pre-commit
clones each ``repo`` at ``rev`` and installs each hook's ``additional_dependencies`` with the hook language's
installer (pip, npm, gem, go, cargo, conda). A tag is a movable pointer, a short SHA is resolved like a ref, and a
range takes whatever was published last. What the parser could not read at all (an installer option, a string
whose package manager cannot be told) is a Problem, reported by unreadable-manifest, not here.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.versions.gitrefs import is_full_sha, is_short_sha
from checker.model import Dependency
from checker.rules.base import Issue, Rule, Subject

FORMAT = "pre-commit-config"


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    if subject.manifest.format != FORMAT:
        return
    dep = subject.dependency
    if dep.ecosystem == "pre-commit":
        yield from _repository(dep)
    elif not _pinned(dep):
        yield _unpinned(dep)


def _repository(dep: Dependency) -> Iterator[Issue]:
    rev = dep.version or ""
    if is_full_sha(rev):
        return
    hint = f"pin the commit and keep the tag as a comment: rev: <40-hex sha>  # frozen: {rev or 'vX.Y.Z'} " \
           "(pre-commit autoupdate --freeze writes it)"
    if is_short_sha(rev):
        yield Issue(
            f"{dep.name} rev {rev} is a short SHA, not a pin: git resolves it like a tag or branch name, and it can "
            "become ambiguous; a full 40-character commit is required",
            hint=hint,
        )
        return
    yield Issue(
        f"{dep.name} rev {rev} is a tag or branch, which can be moved to other code at any time (as 76 of the 77 "
        "tags of aquasecurity/trivy-action were in March 2026), and pre-commit runs that code on every developer's "
        "machine and in CI; a full commit SHA is required",
        hint=hint,
    )


def _pinned(dep: Dependency) -> bool:
    """One version and no choice: an exact version from a registry, a git source at a full commit, or an archive
    URL whose hash pip checks (``#sha256=``)."""
    kind = dep.source.kind
    if kind == "git":
        return is_full_sha(dep.source.commit or dep.source.ref)
    if kind == "url":
        return bool(dep.hashes)
    return dep.version is not None


def _unpinned(dep: Dependency) -> Issue:
    from checker.manifests.hook_deps import exact_form

    written = dep.specifier or "no version"
    if dep.source.kind == "git":
        return Issue(
            f"additional dependency {dep.name} comes from git at {dep.source.ref or 'the default branch'}, not at a "
            "full commit: a branch or tag can be moved",
            hint="pin the git URL to a full 40-character commit, or use an exact version from the registry: "
            f"{exact_form(dep)}",
        )
    if dep.source.kind == "url":
        return Issue(
            f"additional dependency {dep.name} is downloaded from a URL without a hash: the file behind it can change",
            hint=f"add the file's hash to the URL (#sha256=...), or use an exact version: {exact_form(dep)}",
        )
    return Issue(
        f"additional dependency {dep.ecosystem}:{dep.name} ({written}) is not pinned to one version: pre-commit "
        "installs whatever the registry offers the day each machine builds the hook's environment, including a "
        "release published minutes ago",
        hint=f"pin an exact version: {exact_form(dep)}",
    )


RULE = Rule(
    id="hook-pinning",
    label="hook not pinned",
    default_level="block",
    summary="pre-commit hooks: repositories pinned by full commit SHA, additional dependencies by exact version.",
    explanation=(
        "`.pre-commit-config.yaml` is code that runs on every developer's machine at each commit and in CI, with "
        "their credentials within reach. pre-commit clones each `repo` at `rev` and installs each hook's "
        "`additional_dependencies` with the installer of the hook's language (pip, npm, gem, go install, cargo, "
        "conda). A tag is a movable pointer: in March 2026 an attacker force-pushed 76 of the 77 tags of "
        "aquasecurity/trivy-action, and everything that used them ran the attacker's code on its next run. A "
        "40-character commit SHA names fixed code; a short SHA is looked up like a ref and can become ambiguous "
        "(pre-commit itself calls tags and branches mutable references, and never updates them once cached, so "
        "two machines can run different code under one rev). An additional dependency must name one version: "
        "`==` for Python (pip), an exact version for npm (`name@1.2.3`), `name:1.2.3` for gem, `path@v1.2.3` "
        "for go, `cli:name:1.2.3` or `name:=1.2.3` for cargo (`cargo add` reads a bare version as `^`), `==` for "
        "conda; a git source at a full commit and a URL with `#sha256=` count as pinned. No installer pre-commit "
        "drives can check a hash, so none is asked for. In a pull request the changed entries are judged; with "
        "`check --all`, every one. An entry lockgate cannot read (an installer option such as `--index-url`, or a "
        "string whose package manager it cannot tell because the hook's language is only in the hook "
        "repository's `.pre-commit-hooks.yaml`) is reported by unreadable-manifest."
    ),
    fix=(
        "Run `pre-commit autoupdate --freeze`: it writes each rev as a commit with its tag as a comment "
        "(`rev: <sha>  # frozen: v1.2.3`), which Dependabot and Renovate keep up to date. Pin additional "
        "dependencies exactly, and write the hook's `language:` when lockgate cannot tell it."
    ),
    example=(
        "repos:\n"
        "  - repo: https://github.com/pre-commit/pre-commit-hooks\n"
        "    rev: 3e8a8703264a2f4a69428a0aa4dcb512790b2c8c  # frozen: v6.0.0    ok\n"
        "  - repo: https://github.com/psf/black-pre-commit-mirror\n"
        "    rev: 25.1.0                                   # finding: a tag\n"
        "  - repo: https://github.com/pre-commit/mirrors-mypy\n"
        "    rev: 7010b10                                  # finding: a short SHA is not a pin\n"
        "    hooks:\n"
        "      - id: mypy\n"
        "        additional_dependencies:\n"
        "          - types-requests==2.32.0.20241016        # ok\n"
        "          - pydantic>=2                            # finding: a range\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - {id: docs, name: docs, entry: mkdocs build, language: python,\n"
        "         additional_dependencies: [mkdocs]}       # finding: no version"
    ),
    check_dependency=check,
)
