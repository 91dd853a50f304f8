"""pin-comment: a commit pin carries a version comment, the comment tells the truth, and the commit belongs to the
repository it is named under.

Offline, the rule can only see whether ``uses: owner/repo@<sha>`` has a ``# vX.Y.Z`` comment. Online, the facts
stage asks GitHub (checker/registries/github.py) which commit the comment's tag points to, and whether the pinned
commit is reachable from a branch or tag of ``owner/repo``. A commit that is reachable from none is an impostor:
GitHub serves any commit of a repository's fork network under the parent's name, so
``actions/checkout@<sha-from-a-fork>  # v6.0.2`` runs the fork's code while the diff reads like a checkout bump.
That is how the first poisoned commit of the March 2026 Trivy attack pinned its payload.

pre-commit hook repositories pinned by commit are judged the same way: ``rev: <sha>  # frozen: v1.2.3`` (the form
``pre-commit autoupdate --freeze`` writes; the tag after ``frozen:`` is taken exactly as written). A repository on
github.com is checked like an action; one on another host cannot be, which is an ``unknown``, never a pass.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.versions.gitrefs import PINNED_ECOSYSTEMS, comment_tag, is_full_sha, pinned_repository
from checker.model import LEVELS, UNKNOWN
from checker.rules.base import Issue, Option, Rule, Subject


def _pin(dep_ecosystem: str, name: str, sha: str, comment: str) -> str:
    """How the pin is written, for hints: ``uses: owner/repo@<sha>  # v1`` or ``rev: <sha>  # frozen: v1``."""
    if dep_ecosystem == "pre-commit":
        return f"rev: {sha}  # frozen: {comment}"
    return f"uses: {name}@{sha}  # {comment}"


def check(subject: Subject, options: Mapping[str, Any]) -> Iterator[Issue]:
    dep = subject.dependency
    if dep.ecosystem not in PINNED_ECOSYSTEMS or not is_full_sha(dep.version):
        return
    sha = (dep.version or "").lower()
    short = sha[:12]
    repo = pinned_repository(dep.ecosystem, dep.name)
    tag = comment_tag(dep.label)
    if tag is None:
        yield Issue(
            f"{dep.name} is pinned to commit {short} with no version comment: a reviewer cannot tell which release "
            "it is, and lockgate cannot check it against one",
            hint=f"name the release beside the pin: {_pin(dep.ecosystem, dep.name, sha, 'vX.Y.Z')}"
            + (" (pre-commit autoupdate --freeze writes it)" if dep.ecosystem == "pre-commit" else ""),
            level=options["missing-comment"],
        )
    if repo is None:
        yield Issue(
            f"could not check commit {short} of {dep.name}: lockgate checks a pin's commit and its version comment "
            "only for repositories on github.com",
            hint="verify by hand that the commit is the one the release tag points to (git ls-remote URL "
            "refs/tags/TAG), in the repository itself, not in a fork",
            unknown=True,
            cause="not a repository on github.com",
        )
        return
    facts = subject.facts
    reason = (facts.reason if facts is not None else None) or "GitHub was not asked"
    reachable = facts.reachable if facts is not None else UNKNOWN
    tag_commits = facts.tag_commits if facts is not None else UNKNOWN
    if reachable is False:
        yield Issue(
            f"commit {short} is not on any branch or tag of {repo}: it exists only in the repository's fork "
            "network (an impostor commit), and GitHub serves it under the name of a repository that never "
            "published it",
            hint=f"pin a commit that {repo} itself published: the one a release tag of {repo} points to",
        )
        return
    tag_checked = tag is None or (isinstance(tag_commits, Mapping) and tag in tag_commits)
    if tag is not None and isinstance(tag_commits, Mapping) and tag in tag_commits:
        target = tag_commits[tag]
        if target is None:
            yield Issue(
                f"the comment names {tag}, but {repo} has no tag {tag}: the version the pull request shows is not "
                f"the code that runs",
                hint=f"write the release the commit belongs to in the comment "
                f"({_pin(dep.ecosystem, dep.name, sha, 'vX.Y.Z')})",
                level=options["mismatch"],
            )
        elif str(target).lower() != sha:
            yield Issue(
                f"the comment says {tag}, but tag {tag} of {repo} points to commit {str(target)[:12]}, not {short}: "
                "the comment is wrong, or the tag was moved since (tags of aquasecurity/trivy-action were "
                "force-pushed in March 2026)",
                hint="find out which before changing the pin: pin the commit of a release you have reviewed",
                level=options["mismatch"],
            )
    if reachable is UNKNOWN or not tag_checked:
        yield Issue(
            f"could not check commit {short} against {repo} on GitHub ({reason})",
            hint="run online with a GitHub token (GITHUB_TOKEN), or verify the pin by hand",
            unknown=True,
            cause=reason,
        )


RULE = Rule(
    id="pin-comment",
    label="pin comment",
    default_level="block",
    action="Fix the pin",
    action_rank=90,
    summary="A commit pin carries a true version comment, and the commit belongs to the named repository.",
    explanation=(
        "`uses: owner/repo@<sha>  # v4.2.0` is only as good as what a reviewer can check. Without the comment "
        "nobody can tell which release the commit is (`missing-comment`, warn by default). Online, lockgate asks "
        "GitHub which commit the comment's tag points to (`mismatch` when it is another one, or there is no such "
        "tag: the comment is wrong or the tag was moved) and whether the commit is reachable from any branch or "
        "tag of the repository. GitHub serves every commit of a repository's fork network under the parent's name, "
        "so a commit pushed to a fork can be pinned as if it were the parent's: an impostor commit, always at the "
        "rule's level. The first poisoned commit of the March 2026 Trivy attack used exactly such a pin: "
        "`actions/checkout@<sha>  # v6.0.2`, where the commit came from a fork and the comment lied. pre-commit "
        "hook repositories pinned by commit are checked the same way: `rev: <sha>  # frozen: v1.2.3`, the comment "
        "`pre-commit autoupdate --freeze` writes (the tag after `frozen:` exactly as written), for repositories "
        "on github.com; a repository on another host cannot be checked, which is reported as `unknown`. Offline, "
        "or when GitHub cannot be reached, the online checks report `unknown` (their cost is the policy's "
        "`on-unknown`)."
    ),
    fix=(
        "Pin the commit a release tag of the repository itself points to, and name that tag in the comment "
        "(`git ls-remote https://github.com/OWNER/REPO refs/tags/vX.Y.Z`). For pre-commit, "
        "`pre-commit autoupdate --freeze` writes both."
    ),
    example=(
        "  uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8  # v5.0.0   ok\n"
        "  uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8             # finding: no version comment\n"
        "  uses: actions/checkout@0f3e5a4b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f  # v6.0.2   # block: impostor commit\n"
        "                                                                            #   (only in a fork)\n"
        "  rev: 3e8a8703264a2f4a69428a0aa4dcb512790b2c8c  # frozen: v6.0.0              ok (online: the tag's commit)\n"
        "  rev: 3e8a8703264a2f4a69428a0aa4dcb512790b2c8c  # frozen: v5.0.0              # block: v5.0.0 is cef0300fd0fc"
    ),
    options=(
        Option(
            "missing-comment",
            "choice",
            "warn",
            "level for a commit pin without a version comment (capped at the rule's level)",
            LEVELS,
        ),
        Option(
            "mismatch",
            "choice",
            "block",
            "level for a comment whose tag points to another commit, or names no tag (capped at the rule's level)",
            LEVELS,
        ),
    ),
    check_dependency=check,
)
