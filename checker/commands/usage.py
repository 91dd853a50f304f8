"""What ``lockgate --help`` and ``lockgate COMMAND --help`` say beyond the arguments: a description of each command,
real invocations, and the exit codes that command returns.

``checker.cli`` builds the parser from these texts; they are data, kept apart so that the parser's module stays
about parsing. The exit codes follow what each command's ``run`` returns (``checker.pipeline.run.exit_code`` for
``check`` and ``demo``, ``checker.commands.pr.exit_code`` for ``pr``, ``diff``'s own rule for unreadable files) and
``checker.errors`` (every error a user can cause is exit 2). Sections are plain text: the description is one
paragraph that the help formatter wraps to the terminal; the examples and exit-code lines are written to fit 80
columns and are printed as written.

Standard library only, and no import at all: the parser of every run reads this module.
"""

from __future__ import annotations

# The codes every command shares; a command lists the ones it can return, in its own words where they differ.
USAGE_ERROR = "2  usage or policy error: one line naming the file and line, never a traceback"

# The top level: what `lockgate --help` says under the list of commands.
TOP_DESCRIPTION = (
    "A supply-chain gate for dependency changes: pinning, hashes, sources, known-bad releases, registry facts "
    "and review. It reads the manifests and lockfiles of two revisions, works out what changed, and judges the "
    "changes against the policy in .github/lockgate.yml."
)
TOP_EPILOG = """\
examples:
  lockgate demo                          the embedded example, offline
  lockgate check --base origin/main      this branch's changes, as a pull request
  lockgate explain release-age           a rule: why, how to fix, settings, exceptions
  lockgate CMD --help                    a command's arguments, examples and exit codes

exit codes:
  0    passed, or passed with warnings
  1    blocked (check, pr, demo); a manifest that cannot be read (diff)
  2    usage or policy error: one line naming the file and line, never a traceback
  3    blocked only because facts could not be obtained and on-unknown is block
  130  interrupted"""

# Each command: (one-line help for the top-level list, description paragraph, examples, exit codes).
COMMANDS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "check": (
        "judge dependency changes (or, with --all, every dependency)",
        "Judge the dependency changes between two revisions against the policy (.github/lockgate.yml as it "
        "stands on the base revision, else the default preset), asking the package registries about every "
        "changed version. By default the files on disk are compared with HEAD. With --all every dependency of "
        "the head is judged, not only the changes: a baseline for a repository adopting lockgate. A manifest "
        "that cannot be read is a finding (unreadable-manifest), never a skip.",
        (
            "lockgate check                                  the work tree against HEAD",
            "lockgate check --staged                         what git commit would record",
            "lockgate check --base origin/main --head HEAD   a pull request's changes",
            "lockgate check --all --offline --format json    a baseline of the whole tree",
        ),
        (
            "0  passed, or passed with warnings",
            "1  blocked (an unreadable manifest that the change touches blocks too)",
            USAGE_ERROR,
            "3  blocked only because facts could not be obtained (offline, a registry that",
            "   did not answer) and the policy says on-unknown: block",
        ),
    ),
    "diff": (
        "print dependency changes without judging them",
        "Print the dependency changes between two revisions, one line each (added, removed, upgraded, "
        "downgraded, source-changed, hashes-changed, ...), without asking a registry or judging them. Manifests "
        "that cannot be read are listed after the changes: their changes are unknown.",
        (
            "lockgate diff                                   the work tree against HEAD",
            "lockgate diff --base v1.0 --head v1.1           between two tags",
            "lockgate diff --staged --format json            the index, as lockgate/v1 JSON",
        ),
        (
            "0  the changes were listed (none is also a success)",
            "1  a manifest could not be read: its changes are unknown",
            USAGE_ERROR,
        ),
    ),
    "explain": (
        "explain a rule: why it exists, how to fix its findings, settings, exceptions",
        "Explain a rule: what it checks and why, how to fix its findings, each setting with its default and the "
        "value the shipped presets give it, how to write an exception for it, and an example. Without RULE, list "
        "every rule with its default level.",
        (
            "lockgate explain                                every rule, one line each",
            "lockgate explain release-age                    one rule, whole",
        ),
        (
            "0  the rule was explained (or the rules listed)",
            "2  no rule has that id (the message lists the rules)",
        ),
    ),
    "init": (
        "write a starter policy to .github/lockgate.yml",
        "Write a starter policy: it extends the default preset and shows each section (rules, review, "
        "exceptions) with comments. Name the reviewers, then commit it: lockgate reads the policy from the base "
        "revision, so it governs the changes after the commit that adds it.",
        (
            "lockgate init                                   write .github/lockgate.yml",
            "lockgate init --path ci/lockgate.yml --force    elsewhere, overwriting it",
        ),
        (
            "0  the policy was written",
            "2  the file exists already (pass --force), or a usage error",
        ),
    ),
    "schema": (
        "print the policy file's JSON Schema",
        "Print the JSON Schema of the policy file, for an editor's completion and validation (for example the "
        "YAML language server's '# yaml-language-server: $schema=...' comment).",
        (
            "lockgate schema > lockgate.schema.json",
        ),
        (
            "0  the schema was printed",
            "2  a usage error",
        ),
    ),
    "review": (
        "record a reviewed dependency change in the review ledger",
        "Record that a dependency change was reviewed: an entry in the review ledger (the policy's review.ledger, "
        ".github/lockgate-reviews.yml by default) naming the package, the versions, the reviewer and the reason. "
        "The entry counts once it is on the base branch: a pull request cannot approve itself by adding it "
        "(before a pull request exists, the pre-commit hook also counts the ledger being committed). Use - as FROM "
        "for a new dependency and as TO for a removal. With --all-pending, instead of PACKAGE FROM TO: one entry for "
        "every change that waits for a review, found by lockgate check's own judgement (offline) of the index "
        "against HEAD, as the hook judges it, or of a pull request's --base and --head (compared from their merge "
        "base); changes other rules block are recorded too, and stay blocked. The ledger is staged unless "
        "--no-stage; an entry already in it is not written twice.",
        (
            'lockgate review pypi:requests 2.31.0 2.32.3 --reason "read the diff"',
            'lockgate review npm:left-pad - 1.3.0 --reason "vendored before, same code"',
            'lockgate review pypi:idna 3.7 3.7 --kind hashes-changed --reason "rebuilt"',
            'lockgate review --all-pending --reason "read each diff"   what the hook blocks',
            'lockgate review --all-pending --base main --head pr-123 --reason "read them"',
        ),
        (
            "0  the review was recorded (with --all-pending: every waiting change, or",
            "   nothing waited, and nothing was written)",
            "2  a usage error: an unknown package, a kind that does not fit FROM and TO,",
            "   a placeholder reason (..., TODO), no reviewer known, or no ledger",
        ),
    ),
    "pr": (
        "in GitHub Actions: judge the event's change, comment, set the status",
        "Inside GitHub Actions: read the event (a pull request, a push, a merge group), judge its dependency "
        "changes with the policy of the base revision, gather review evidence from the pull request, and publish: "
        "the report in the log, the job summary, a sticky comment, the lockgate commit status, the step outputs "
        "and, with --sarif, a SARIF file. A refused write (a read-only token) is a warning; the exit code always "
        "comes from the verdict.",
        (
            "lockgate pr                                     what the Action runs",
            "lockgate pr --comment on-failure --sarif lockgate.sarif",
            "lockgate pr --base main --head HEAD --fail-on warn",
        ),
        (
            "0  the verdict does not fail the job (pass; warn unless --fail-on warn;",
            "   anything with --fail-on never)",
            "1  blocked, or warned under --fail-on warn",
            "2  usage or policy error, or an event that cannot be read (the status says so)",
            "3  blocked only because facts could not be obtained and on-unknown is block",
        ),
    ),
    "demo": (
        "run the embedded example, fully offline",
        "Run the embedded example, fully offline: a pull request of March 2026 that upgrades litellm to the "
        "malicious 1.82.8, moves a GitHub Action from a commit pin to a force-pushed tag, and bumps requests and "
        "pytest, judged as lockgate judges a real one (registry facts and advisories are shipped with it).",
        (
            "lockgate demo                                   the terminal report",
            "lockgate demo --format markdown                 the pull-request comment",
            "lockgate demo --no-known-bad                    without the known-bad list",
        ),
        (
            "1  blocked: the example's verdict (its facts are shipped, so it never varies)",
            "2  a usage error",
        ),
    ),
    "db": (
        "download OSV's advisories, for offline runs and the pre-commit hook",
        "Download OSV's advisory exports into the cache (LOCKGATE_CACHE_DIR, else ~/.cache/lockgate), so that "
        "offline runs and the pre-commit hook can answer the vulnerability and malicious rules. An interrupted "
        "sync resumes; a download is checked before it replaces the copy in use. A copy more than 7 days old reports "
        "the advisories it holds but no longer vouches that a version has none.",
        (
            "lockgate db sync                                every ecosystem",
            "lockgate db sync --ecosystem pypi --ecosystem npm",
        ),
        (
            "0  every ecosystem asked for is synced or was up to date",
            "2  an unknown ecosystem, or a download that failed or did not check out",
            "   (the copy in use is kept)",
        ),
    ),
}


def epilog(examples: tuple[str, ...], exit_codes: tuple[str, ...]) -> str:
    """A command's sections under its arguments, indented as argparse indents its own."""
    return "\n".join(["examples:", *("  " + line for line in examples), "", "exit codes:",
                      *("  " + line for line in exit_codes)])
