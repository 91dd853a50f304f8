"""Tests of checker/review/: the review ledger (parsing, what an entry covers, appending) and review decisions."""
