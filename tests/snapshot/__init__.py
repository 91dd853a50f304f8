"""Tests of checker/snapshot/: reading revisions, the index and the work tree through git, and path globs."""
