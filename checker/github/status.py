"""The ``lockgate`` commit status on the judged head: the check a branch protection rule can require.

A status, unlike the job's own check run, has a fixed name across events: the run that an approval triggers
(``pull_request_review``) replaces the red status that the push left on the same commit.
"""

from __future__ import annotations

from checker.github.api import GitHubClient

CONTEXT = "lockgate"
_DESCRIPTION_LIMIT = 140  # GitHub answers 422 beyond this


def set_status(client: GitHubClient, sha: str, state: str, description: str, target_url: str | None) -> None:
    """``state``: success, failure, error or pending."""
    if len(description) > _DESCRIPTION_LIMIT:
        description = description[: _DESCRIPTION_LIMIT - 1] + "\u2026"
    commit = client.once(f"commit/{sha}", f"read commit {sha[:12]}", "contents: read", client.repo().get_commit, sha)
    kwargs = {"state": state, "description": description, "context": CONTEXT}
    if target_url:
        kwargs["target_url"] = target_url
    client.call(f"set the {CONTEXT} status on {sha[:12]}", "statuses: write", commit.create_status, **kwargs)
