"""Tests of checker/judge/: the engine (levels, exceptions, verdicts, judge_all, several rules at once) and finding
the changes that edit the gate itself."""
