"""Tests of checker/policy/: loading and validating policies, package patterns, the JSON Schema, and comparing two
policies."""
