"""The snapshot stage: the two trees a run compares, as read-only views.

``trees.py``: a git revision, the staged index, the work tree, a tree fetched through the GitHub API, or nothing,
each listing its files with a content id and reading them (symbolic links resolved inside the repository).
``revisions.py``: which two trees a run compares (revisions resolved, one ``git cat-file --batch`` shared).
``globs.py``: which repository paths a glob matches (``paths.ignore``, path patterns).

May import: checker.errors.
"""
