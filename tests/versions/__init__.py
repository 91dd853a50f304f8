"""Tests of checker/versions/: version comparison for every ecosystem, npm's SemVer ranges, git refs and tags."""
