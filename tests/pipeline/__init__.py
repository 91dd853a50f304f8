"""Tests of checker/pipeline: the wiring of one run, in process (the command line's tests are in tests/commands)."""
