"""Tests of checker/report/: every output format (``test_formats.py``, ``test_github_formats.py``), the comment, the
risk summary, links, hostile values through every field, and the demo's report pinned byte for byte in
``snapshots/``. ``sarif_check.py`` validates SARIF against the official schema in ``fixtures/sarif/``."""
