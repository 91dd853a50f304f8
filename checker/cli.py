"""The command line: argument parsing only. Each subcommand is a module of ``checker.commands`` with ``run(args)``;
every decision lives in the stages those call.

Start-up is a feature: nothing beyond argparse is imported until a command runs, and ``--version`` answers
before argparse is even imported.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from checker import POLICY_SCHEMA_VERSION, __version__

TYPE_CHECKING = False  # not typing's: importing typing is a visible part of `lockgate --version`
if TYPE_CHECKING:
    import argparse

# What `lockgate --version` prints: the release, and the policy file format it reads (see checker/__init__.py).
_VERSION_LINE = f"lockgate {__version__} (policy schema {POLICY_SCHEMA_VERSION})"

_FORMATS = ("text", "json", "markdown", "sarif", "github")


def _head_arguments(sub: argparse.ArgumentParser, worktree_default: bool = True) -> None:
    """--base, and the head: a commit, the index or the work tree."""
    sub.add_argument("--base", metavar="REV", help="the revision to compare against (default: HEAD, or the parent of --head)")
    heads = sub.add_mutually_exclusive_group()
    heads.add_argument("--head", metavar="REV", help="judge this commit")
    heads.add_argument("--staged", action="store_true", help="judge the staged index (what git commit would record)"
                       + ("" if worktree_default else " (the default)"))
    heads.add_argument("--worktree", action="store_true",
                       help="judge the files on disk" + (" (the default)" if worktree_default else ""))


def _revision_arguments(sub: argparse.ArgumentParser, with_all: bool) -> None:
    _head_arguments(sub)
    if with_all:
        sub.add_argument("--all", action="store_true", dest="judge_all", help="judge every dependency of the head, not only changes")
    sub.add_argument("--policy", metavar="FILE", help="policy file (default: .github/lockgate.yml on the base revision)")
    sub.add_argument("-C", dest="directory", default=".", metavar="DIR", help="run as if started in DIR")
    sub.add_argument("paths", nargs="*", metavar="PATH", help="only manifests under these paths")


def _check_arguments(check: argparse.ArgumentParser) -> None:
    _revision_arguments(check, with_all=True)
    check.add_argument("--format", choices=_FORMATS, default="text",
                       help="text (the default; colour on a terminal), json (lockgate/v1), markdown (the "
                       "pull-request comment), sarif (code scanning) or github (workflow annotations)")
    check.add_argument("--offline", action="store_true", help="ask no registry; facts become unknown")
    check.add_argument(
        "--hook",
        action="store_true",
        help="pre-commit mode: judge the index (unless --head/--worktree is given), one line per blocked change, "
        "registries off unless --online or the policy's hook.online",
    )
    check.add_argument("--online", action="store_true", help="with --hook: ask the registries")
    check.add_argument("--now", metavar="ISO-TIME", help="pin the clock (for reproducible runs)")


def _diff_arguments(diff: argparse.ArgumentParser) -> None:
    _revision_arguments(diff, with_all=False)
    diff.add_argument("--format", choices=("text", "json"), default="text",
                      help="text (the default) or json (lockgate/v1: the changes, and unreadable files as findings)")


def _explain_arguments(explain: argparse.ArgumentParser) -> None:
    explain.add_argument("rule", nargs="?", help="rule id (omit to list the rules)")


def _init_arguments(init: argparse.ArgumentParser) -> None:
    init.add_argument("--path", default=".github/lockgate.yml", help="where to write it (default: %(default)s)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")


def _no_arguments(sub: argparse.ArgumentParser) -> None:
    pass


def _review_arguments(review: argparse.ArgumentParser) -> None:
    review.add_argument("package", nargs="?", metavar="PACKAGE",
                        help="ecosystem:name (the ecosystem is inferred when unambiguous)")
    review.add_argument("from_version", nargs="?", metavar="FROM",
                        help="the version before the change (- for a new dependency)")
    review.add_argument("to_version", nargs="?", metavar="TO", help="the version after the change (- for a removal)")
    review.add_argument("--all-pending", action="store_true", dest="all_pending",
                        help="record every change that waits for a review (what lockgate check blocks on review), "
                        "instead of PACKAGE FROM TO: the index against HEAD, as the pre-commit hook judges it, or the "
                        "revisions --base/--head/--worktree name")
    _head_arguments(review, worktree_default=False)
    review.add_argument("--kind", metavar="KIND",
                        help="the kind of change reviewed (inferred from FROM and TO; required when they are the same "
                        "version: hashes-changed, source-changed, scope-changed, artifacts-added or integrity-upgraded)")
    review.add_argument("--reason", required=True, help="what was reviewed and why it is acceptable")
    review.add_argument("--reviewer", help="who reviewed it (default: git config github.user or user.name)")
    review.add_argument("--ledger", help="ledger file (default: the policy's review.ledger)")
    review.add_argument("--policy", metavar="FILE",
                        help="policy file (default: .github/lockgate.yml in the work tree; with --all-pending, as "
                        "check reads it: on the base revision)")
    review.add_argument("--no-stage", action="store_true",
                        help="do not git add the ledger after recording (by default it is staged, so that the next "
                        "commit carries the review)")
    review.add_argument("-C", dest="directory", default=".", metavar="DIR", help="run as if started in DIR")
    review.usage = ("%(prog)s PACKAGE FROM TO [--kind KIND] --reason TEXT [options]\n"
                    "       %(prog)s --all-pending --reason TEXT [--base REV] [--head REV]")
    review.set_defaults(refuse=lambda args: _review_usage(review, args))


def _review_usage(review: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """PACKAGE FROM TO and --all-pending exclude each other (argparse cannot say so of positionals): exit 2 with
    the usage line, as argparse's own errors do."""
    given = [value for value in (args.package, args.from_version, args.to_version) if value is not None]
    revisions = [option for option, value in (("--base", args.base), ("--head", args.head), ("--staged", args.staged),
                                              ("--worktree", args.worktree)) if value]
    if args.all_pending:
        if given:
            review.error("--all-pending records every change that waits for a review: give it no PACKAGE FROM TO")
        if args.kind is not None:
            review.error("--kind is for one change: with --all-pending each entry names its change's own kind")
    elif len(given) < 3:
        review.error("give PACKAGE FROM TO (one change), or --all-pending (every change that waits for a review)")
    elif revisions:
        review.error(f"{', '.join(revisions)}: only with --all-pending (PACKAGE FROM TO name the change themselves)")


def _pr_arguments(pr: argparse.ArgumentParser) -> None:
    pr.add_argument("--policy", metavar="FILE", help="policy file (default: .github/lockgate.yml on the base revision)")
    pr.add_argument("--comment", choices=("always", "on-change", "on-failure", "never"), default="on-change",
                    help="when to create the sticky comment (an existing one is always kept up to date)")
    pr.add_argument("--fail-on", dest="fail_on", choices=("block", "warn", "never"), default="block",
                    help="which verdict fails the job and the status")
    pr.add_argument("--offline", action="store_true", help="ask no package registry; facts become unknown")
    pr.add_argument("--base", metavar="REV", help="base revision, for events that are not pull requests")
    pr.add_argument("--head", metavar="REV", help="head revision, for events that are not pull requests")
    pr.add_argument("--sarif", metavar="FILE", help="also write SARIF 2.1.0 to FILE")
    pr.add_argument("--now", metavar="ISO-TIME", help="pin the clock (for reproducible runs)")
    pr.add_argument("-C", dest="directory", default=".", metavar="DIR", help="the checkout (default: .)")


def _demo_arguments(demo: argparse.ArgumentParser) -> None:
    demo.add_argument("--format", choices=_FORMATS, default="text", help="as check's --format")
    demo.add_argument("--no-known-bad", action="store_true",
                      help="turn the shipped list of known malicious releases off: litellm 1.82.8 is then caught by "
                      "what its wheel holds (a new .pth) and its age alone")


def _db_arguments(db: argparse.ArgumentParser) -> None:
    db.add_argument("action", choices=("sync",), help="sync: download OSV's advisories into the cache")
    db.add_argument("--ecosystem", dest="ecosystems", action="append", metavar="NAME",
                    help="an ecosystem by lockgate's name (pypi, npm, cargo, go, ...) or OSV's; repeat; default: "
                    "every ecosystem OSV exports that lockgate judges")


# Each command: the function that adds its arguments (its texts are checker/commands/usage.py's).
_SUBCOMMANDS = {
    "check": _check_arguments,
    "diff": _diff_arguments,
    "explain": _explain_arguments,
    "init": _init_arguments,
    "schema": _no_arguments,
    "review": _review_arguments,
    "pr": _pr_arguments,
    "demo": _demo_arguments,
    "db": _db_arguments,
}

# Help is written for a 100-column terminal at most: wider, lines get too long to read.
_MAX_HELP_COLUMNS = 100


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``command``, only that command's arguments are built. argparse pays for every
    argument it is given (and looks up a translation for each help text), so a hook run should not build the
    seven other commands it will not parse (``benchmarks/suite.py``, start-up group, hook row)."""
    import argparse

    from checker.commands import usage

    class Formatter(argparse.RawDescriptionHelpFormatter):
        """argparse's formatter, told the terminal's width: left to itself it imports ``shutil`` to ask (with
        ``bz2``, ``lzma`` and ``fnmatch``, a few milliseconds), and argparse builds one for every argument added,
        help or not. The description is one paragraph wrapped to that width; the sections under the arguments
        (examples, exit codes) are printed as written, so that their columns stay aligned."""

        def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                     width: int | None = None) -> None:
            super().__init__(prog, indent_increment, max_help_position,
                             min(_terminal_columns(), _MAX_HELP_COLUMNS) - 2 if width is None else width)

        def _fill_text(self, text: str, width: int, indent: str) -> str:
            if "\n" in text:  # a section written line by line
                return super()._fill_text(text, width, indent)
            import textwrap

            return textwrap.fill(" ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent)

    parser = argparse.ArgumentParser(
        prog="lockgate",
        description=usage.TOP_DESCRIPTION,
        epilog=usage.TOP_EPILOG,
        formatter_class=Formatter,
    )
    parser.add_argument("--version", action="version", version=_VERSION_LINE)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, add_arguments in _SUBCOMMANDS.items():
        if command is None or name == command:
            help_line, description, examples, exit_codes = usage.COMMANDS[name]
            add_arguments(commands.add_parser(name, help=help_line, description=description,
                                              epilog=usage.epilog(examples, exit_codes), formatter_class=Formatter))
    return parser


def _terminal_columns() -> int:
    """What ``shutil.get_terminal_size()`` answers: ``$COLUMNS``, else the width of the terminal on standard
    output, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            stdout = sys.__stdout__  # None when Python started without a standard output
            columns = os.get_terminal_size(stdout.fileno()).columns if stdout is not None else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:
        sys.stdout.write(_VERSION_LINE + "\n")
        sys.stdout.flush()
        return 0
    parser = _parser(argv[0] if argv and argv[0] in _SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    refuse = getattr(args, "refuse", None)
    if refuse is not None:  # what argparse cannot check itself (exits 2 with the command's usage)
        refuse(args)
    import importlib

    from checker.commands.gcpause import call_without_gc
    from checker.commands.output import warn
    from checker.errors import LockgateError

    command = importlib.import_module(f"checker.commands.{args.command}")
    try:
        return call_without_gc(command.run, args)
    except LockgateError as exc:
        from checker.redaction import redact_credentials
        from checker.report.escape import terminal  # a path or name in the message is the input's, not ours

        warn(f"lockgate: error: {terminal(redact_credentials(str(exc)))}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("lockgate: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for the user; LOCKGATE_DEBUG=1 shows it
        if os.environ.get("LOCKGATE_DEBUG"):
            raise
        from checker.redaction import redact_credentials
        from checker.report.escape import terminal

        warn(f"lockgate: internal error: {type(exc).__name__}: {terminal(redact_credentials(str(exc)))} "
             "(set LOCKGATE_DEBUG=1 for details)\n")
        return 2
