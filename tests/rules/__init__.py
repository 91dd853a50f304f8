"""Tests of checker/rules/: one file per rule (``test_<rule module>.py``), each on hand-built subjects (the rule's
check functions) and, where the rule needs it, a few runs through the engine or the command line. Tests that
exercise the engine itself, or several rules at once, are in tests/judge/."""
