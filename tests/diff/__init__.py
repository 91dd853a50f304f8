"""Tests of checker/diff/: how two revisions' dependencies pair up and which change each is (``test_changes.py``),
by topic: copies of one version, noise a package manager makes on its own (with real files in ``fixtures/noise/``),
entries without a version."""
