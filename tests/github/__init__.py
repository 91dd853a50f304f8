"""Tests of checker/github/: the GitHub client, the sticky comment and the review evidence, through the real PyGithub
against the fake GitHub API (tests/fakes/github_api.py).

Imported as ``tests.github``: tests/ itself is never put on sys.path, or this folder would hide PyGithub's
``github``."""
