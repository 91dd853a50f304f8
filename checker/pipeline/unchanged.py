"""The start-up fast path: a check of a commit that touches no manifest.

Most commits change no dependency, and the pre-commit hook runs on every one of them, so answering "nothing to
judge" must cost little more than the git calls. This path opens the two trees, compares blob ids, and renders
the "no dependency changes" result without loading the policy, the parsers, the rules or ``dataclasses`` (whose
import alone costs more than the rest of the path; tests/pipeline/test_run.py holds it to that). When something may have changed it hands the opened trees
to the full pipeline, so nothing is done twice.
"""

from __future__ import annotations

from checker import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.snapshot.revisions import Snapshots


def open_and_render_if_unchanged(
    directory: str, base: str | None, head: str | None, head_mode: str, fmt: str, color: bool,
    width: int | None = None,
) -> tuple[str | None, Snapshots | None]:
    """(rendered output, None) when no manifest can differ; (None, open snapshots) otherwise.

    Markdown output always takes the full path (it is rendered by jinja2 for pull-request comments, where
    start-up does not matter)."""
    from checker.manifests.collect import nothing_to_compare
    from checker.policy.watch import may_have_changed
    from checker.snapshot.revisions import open_snapshots

    snapshots = open_snapshots(directory, base, head, head_mode)
    try:
        if (fmt == "markdown" or not nothing_to_compare(snapshots.base, snapshots.head)
                or may_have_changed(snapshots.base, snapshots.head)):
            return None, snapshots
        if fmt == "compact":
            from checker.report.text import NO_CHANGES

            output = f"lockgate: passed: {NO_CHANGES}\n"  # the compact format's words
            snapshots.close()
            return output, None
        if fmt == "json":
            from checker.report.json_format import render_unchanged

            output = render_unchanged(__version__, snapshots.base_label, snapshots.head_label, color=color)
        else:
            from checker.report import text

            output = text.render_unchanged(__version__, snapshots.base_label, snapshots.head_label, color=color,
                                           width=width)
    except BaseException:
        snapshots.close()
        raise
    snapshots.close()
    return output, None
